#include "app/account_views.h"

namespace kith::app {

const std::string& Names::User(const std::string& id) {
  auto [it, fresh] = users_.try_emplace(id);
  if (fresh) {
    if (auto u = r_.Users().Get(id)) it->second = u->display_name;
  }
  return it->second;
}

const std::string& Names::Agency(const std::string& id) {
  auto [it, fresh] = agencies_.try_emplace(id);
  if (fresh) {
    if (auto a = r_.Agencies().Get(id)) it->second = a->name;
  }
  return it->second;
}

const std::string& Names::Child(const std::string& id) {
  auto [it, fresh] = children_.try_emplace(id);
  if (fresh) {
    if (auto c = r_.Children().Get(id)) it->second = c->given_names + " " + c->family_name;
  }
  return it->second;
}

EntryView ViewOf(storage::StoredEntry e, Names& names,
                 const std::map<std::string, storage::VisibilityRow>* visibility) {
  EntryView v{std::move(e), "", "", std::nullopt};
  v.agency_name = names.Agency(v.stored.entry.agency_id);
  v.author_name = names.User(v.stored.entry.author_id);
  if (visibility) {
    if (auto it = visibility->find(v.stored.entry.lineage_id); it != visibility->end()) v.visibility = it->second;
  }
  return v;
}

}  // namespace kith::app
