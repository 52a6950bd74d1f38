// The clerical review queue of the national child index (issue 6): source records the linkage
// engine could not decide on import wait here, attached to no child, until a manager or index
// steward of the importing authority (docs/adr/0004-index-stewards.md,
// docs/adr/0010-index-steward-permission.md) compares them side by side with their
// candidate children and the evidence, and decides: the record is one of the candidates (it is
// attached to that child, filling in what the child's record lacks) or it is nobody known (it
// becomes a new child). Every list, read, decision and refusal is audited; a decision states a
// reason (10..500 characters). A shielded candidate's address and postcode are never shown.
// Thread safety: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/child_observer.h"
#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"
#include "domain/child.h"
#include "storage/repositories.h"

namespace kith::app {

// A line of the queue.
struct ReviewSummary {
  std::string id;
  TimePoint created_at;
  std::string source;
  std::string record_id;
  std::string given_name;
  std::string family_name;
  std::string date_of_birth;
  size_t candidates = 0;
  double best_probability = 0;
};

struct CandidateView {
  storage::ReviewCandidate candidate;
  domain::Child child;  // identity only; address and postcode empty when shielded
  std::vector<storage::SourceRecord> sources;  // the records already attached to the child (for a
                                               // shielded child without address, postcode, attributes)
};

struct ReviewView {
  storage::ReviewItem item;
  storage::SourceRecord record;  // the record under review
  std::vector<CandidateView> candidates;
};

enum class ReviewDecision { kMatch, kNotAMatch };

class ReviewService {
 public:
  // `observer`, when set, is told about the child a decision created or changed.
  ReviewService(Context& context, ChildObserver* observer) : ctx_(context), observer_(observer) {}

  // Open items of the caller's authority, oldest first (at most 200). Errors: kForbidden.
  Result<std::vector<ReviewSummary>> Open(const Principal& p);

  // One item with its candidates, audited once for the review and once per candidate child; a
  // shielded candidate comes without where it lives, and its lead and managers are alerted.
  // Errors: kForbidden; kNotFound (also for another authority's).
  Result<ReviewView> Get(const Principal& p, const std::string& review_id);

  // Decides an open item. For kMatch, `child_id` must be one of its candidates. Errors:
  // kForbidden, kNotFound, kInvalidInput (reason, child_id), kConflict (already decided).
  Result<ReviewView> Decide(const Principal& p, const std::string& review_id, ReviewDecision decision,
                            const std::string& child_id, const std::string& reason);

 private:
  Context& ctx_;
  ChildObserver* observer_;
};

}  // namespace kith::app
