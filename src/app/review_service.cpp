#include "app/review_service.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/alerts.h"
#include "app/index_import.h"
#include "domain/team.h"

namespace kith::app {
namespace {

using domain::AuditOutcome;
using domain::AuthorityAction;
using storage::Repositories;

constexpr int kQueuePage = 200;

Error NotFound() { return Error::NotFound("There is no open or decided review with that id in your authority."); }

void Audit(Context& ctx, const Principal& p, const char* action, const std::string& target, AuditOutcome outcome,
           std::string_view why) {
  auto a = AuditFor(p, action, ctx.clock.Now());
  a.target_id = target;
  a.outcome = outcome;
  a.why = std::string(why);
  ctx.store.Write([&](Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
}

// Why the policy allows `p` the review queue (a fixed phrase for the audit trail).
std::string_view Allowed(const Principal& p) {
  return domain::Decide(p.Actor(), AuthorityAction::kReviewIndex, p.user.authority_id).why;
}

// The policy's answer, audited when it is a refusal.
std::optional<Error> Refuse(Context& ctx, const Principal& p, const char* action, const std::string& target) {
  const auto d = domain::Decide(p.Actor(), AuthorityAction::kReviewIndex, p.user.authority_id);
  if (d.allowed) return std::nullopt;
  Audit(ctx, p, action, target, AuditOutcome::kDenied, d.why);
  return Error::Forbidden("Only managers and index stewards of the authority decide the index's clerical review (" +
                          std::string(d.why) + ").");
}

std::optional<ReviewView> Load(Repositories& r, const std::string& id, const std::string& authority_id) {
  auto item = r.Reviews().Get(id);
  if (!item || item->authority_id != authority_id) return std::nullopt;
  auto record = r.SourceRecords().Get(item->source_record_id);
  if (!record) return std::nullopt;
  ReviewView v{std::move(*item), std::move(*record), {}};
  for (const auto& c : v.item.candidates) {
    auto child = r.Children().Get(c.child_id);
    if (!child) continue;
    auto sources = r.SourceRecords().ForChild(c.child_id);
    if (child->shielded) {
      // Where a shielded child lives is never shown outside the team: not in the index record,
      // not in the records of the feeds that found it.
      child->address.clear();
      child->postcode.clear();
      for (auto& s : sources) {
        s.address.clear();
        s.postcode.clear();
        s.attributes = "{}";
      }
    }
    child->carers.clear();
    child->services.clear();
    v.candidates.push_back({c, std::move(*child), std::move(sources)});
  }
  return v;
}

}  // namespace

Result<std::vector<ReviewSummary>> ReviewService::Open(const Principal& p) {
  if (auto refused = Refuse(ctx_, p, "index.review.list", "")) return *refused;
  std::vector<ReviewSummary> out;
  ctx_.store.Read([&](Repositories& r) {
    for (const auto& item : r.Reviews().Open(p.user.authority_id, kQueuePage)) {
      auto record = r.SourceRecords().Get(item.source_record_id);
      if (!record) continue;
      out.push_back({item.id, item.created_at, record->source, record->record_id, record->given_name,
                     record->family_name, record->date_of_birth, item.candidates.size(),
                     item.candidates.empty() ? 0.0 : item.candidates[0].probability});
    }
  });
  Audit(ctx_, p, "index.review.list", "", AuditOutcome::kAllowed, Allowed(p));
  return out;
}

Result<ReviewView> ReviewService::Get(const Principal& p, const std::string& review_id) {
  if (auto refused = Refuse(ctx_, p, "index.review.read", review_id)) return *refused;
  auto view = ctx_.store.ReadValue([&](Repositories& r) { return Load(r, review_id, p.user.authority_id); });
  if (!view) {
    Audit(ctx_, p, "index.review.read", review_id, AuditOutcome::kDenied, "no such review");
    return NotFound();
  }
  // One record per candidate child, so that the child's own trail shows who compared it; the
  // team and managers of a shielded candidate are told at once.
  const TimePoint now = ctx_.clock.Now();
  ctx_.store.Write([&](Repositories& r) {
    auto a = AuditFor(p, "index.review.read", now);
    a.target_id = review_id;
    a.why = std::string(Allowed(p));
    r.Audit().Append(a);
    for (const auto& c : view->candidates) {
      a.child_id = c.child.id;
      a.detail = nlohmann::json{{"candidate", true}, {"shielded", c.child.shielded}}.dump();
      r.Audit().Append(a);
      if (c.child.shielded) {
        AlertWatchers(r, ctx_.random, c.child, Watchers::kLeadAndManagers, p.user.id, "shielded_review",
                      "A shielded child's index record was shown as a candidate in clerical review " + review_id +
                          " to " + p.user.display_name + " (where the child lives was withheld)",
                      review_id, now);
      }
    }
    return true;
  });
  return std::move(*view);
}

Result<ReviewView> ReviewService::Decide(const Principal& p, const std::string& review_id, ReviewDecision decision,
                                         const std::string& child_id, const std::string& reason) {
  if (auto refused = Refuse(ctx_, p, "index.review.decide", review_id)) return *refused;
  auto why = domain::ValidateReason(reason);
  if (!why) return why.error();
  const TimePoint now = ctx_.clock.Now();
  Status outcome = Ok{};
  std::optional<domain::Child> stored;
  ctx_.store.Write([&](Repositories& r) {
    stored.reset();
    auto item = r.Reviews().Get(review_id);
    if (!item || item->authority_id != p.user.authority_id) {
      outcome = NotFound();
      return false;
    }
    if (item->status != storage::ReviewStatus::kOpen) {
      outcome = Error::Conflict("This review was already decided by someone else; reload it.");
      return false;
    }
    auto record = r.SourceRecords().Get(item->source_record_id);
    if (!record) {
      outcome = NotFound();
      return false;
    }
    item->decided_by = p.user.id;
    item->decided_at = now;
    item->reason = *why;
    if (decision == ReviewDecision::kMatch) {
      const bool candidate = std::any_of(item->candidates.begin(), item->candidates.end(),
                                         [&](const auto& c) { return c.child_id == child_id; });
      auto child = candidate ? r.Children().Get(child_id) : std::nullopt;
      if (!child) {
        outcome = Error::Invalid("child_id", "Choose one of the review's candidate children.");
        return false;
      }
      if (FillGapsFromSource(*child, *record)) {
        child->updated_at = now;
        if (outcome = r.Children().Update(*child); !outcome) return false;
        ++child->version;
        stored = *child;
      }
      item->status = storage::ReviewStatus::kMatched;
      item->decided_child_id = child_id;
    } else {
      auto child = ChildFromSource(*record, ctx_.random.Id("K"), item->authority_id, now);
      if (outcome = r.Children().Insert(child); !outcome) return false;
      stored = child;
      item->status = storage::ReviewStatus::kNotMatched;
      item->decided_child_id = child.id;
    }
    record->child_id = item->decided_child_id;
    record->updated_at = now;
    if (outcome = r.SourceRecords().Update(*record); !outcome) return false;
    if (outcome = r.Reviews().Decide(*item); !outcome) return false;
    auto a = AuditFor(p, "index.review.decide", now);
    a.child_id = item->decided_child_id;
    a.target_id = review_id;
    a.reason = *why;
    a.why = std::string(Allowed(p));
    a.detail = nlohmann::json{{"decision", decision == ReviewDecision::kMatch ? "match" : "not_a_match"},
                              {"source_record_id", record->id}}
                   .dump();
    r.Audit().Append(a);
    return true;
  });
  if (!outcome) {
    const bool missing = outcome.error().code == ErrorCode::kNotFound;
    Audit(ctx_, p, "index.review.decide", review_id, missing ? AuditOutcome::kDenied : AuditOutcome::kFailed,
          missing ? std::string_view("no such review") : std::string_view(outcome.error().message));
    return outcome.error();
  }
  if (observer_ && stored) observer_->ChildStored(*stored);
  return Get(p, review_id);
}

}  // namespace kith::app
