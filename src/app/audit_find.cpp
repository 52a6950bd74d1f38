#include "app/audit_find.h"

#include <nlohmann/json.hpp>

#include "domain/access_policy.h"
#include "domain/account/uk_time.h"

namespace kith::app {

Result<std::vector<FoundChild>> AuditFind::Children(const Principal& p, const std::string& given_name,
                                                    const std::string& family_name,
                                                    std::optional<Date> date_of_birth) {
  const TimePoint now = ctx_.clock.Now();
  const auto decision = domain::Decide(p.Actor(), domain::AuthorityAction::kViewAuthorityAudit, p.user.authority_id);
  auto audit = AuditFor(p, "audit.find_child", now);
  if (!decision.allowed || p.user.authority_id.empty()) {
    audit.outcome = domain::AuditOutcome::kDenied;
    audit.why = std::string(decision.why);
    ctx_.store.Write([&](storage::Repositories& r) {
      r.Audit().Append(audit);
      return true;
    });
    return Error::Forbidden("Only auditors of a local authority find children for the audit trail.");
  }
  if (given_name.find_first_not_of(" \t") == std::string::npos &&
      family_name.find_first_not_of(" \t") == std::string::npos) {
    return Error::Invalid("family_name", "Enter the child's name");
  }
  linkage::SearchQuery query;
  query.given_name = given_name;
  query.family_name = family_name;
  query.date_of_birth = date_of_birth;
  query.today = domain::UkDate(now);
  auto found = index_.Search(query);
  if (!found) return found.error();
  std::vector<FoundChild> out;
  ctx_.store.Read([&](storage::Repositories& r) {
    for (const auto& hit : found->hits) {
      auto c = r.Children().Get(hit.id);
      if (!c || c->authority_id != p.user.authority_id) continue;
      out.push_back({c->id, c->given_names, c->family_name, c->date_of_birth, hit.score});
    }
  });
  audit.why = std::string(decision.why);
  audit.detail = nlohmann::json{{"given_name", given_name},
                                {"family_name", family_name},
                                {"date_of_birth", date_of_birth ? date_of_birth->ToString() : ""},
                                {"results", out.size()}}
                     .dump();
  ctx_.store.Write([&](storage::Repositories& r) {
    r.Audit().Append(audit);
    return true;
  });
  return out;
}

}  // namespace kith::app
