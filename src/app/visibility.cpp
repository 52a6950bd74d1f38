#include "app/visibility.h"

namespace kith::app {

domain::Visibility AuthorityDefault(storage::Repositories& r, const std::string& authority_id,
                                    std::string_view subject_type) {
  for (const auto& [type, visibility] : r.Family().Defaults(authority_id)) {
    if (type == subject_type) return visibility;
  }
  return domain::BuiltInDefault(subject_type);
}

Result<storage::VisibilityRow> RecordVisibility(storage::Repositories& r, const VisibilitySubject& subject,
                                                const std::optional<domain::VisibilityChoice>& choice,
                                                const std::string& by, TimePoint at) {
  auto record = domain::ResolveVisibility(choice, AuthorityDefault(r, subject.authority_id, subject.type));
  if (!record) return record.error();
  storage::VisibilityRow row{subject.subject_id, subject.child_id, std::string(subject.kind), *record, by, at, "",
                             std::nullopt};
  r.Family().SetVisibility(row);
  return row;
}

std::map<std::string, storage::VisibilityRow> VisibilityOf(storage::Repositories& r, const std::string& child_id) {
  std::map<std::string, storage::VisibilityRow> out;
  for (auto& row : r.Family().VisibilityForChild(child_id)) out.emplace(row.subject_id, std::move(row));
  return out;
}

}  // namespace kith::app
