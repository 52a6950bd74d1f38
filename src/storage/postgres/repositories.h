// The PostgreSQL implementation of every repository over one connection. Private to the back
// end. Not thread-safe: used by one transaction at a time on one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/postgres/connection.h"
#include "storage/repositories.h"

namespace kith::storage::postgres {

// What one connection's repositories share with its store: whether the transaction may write,
// the audit chain this connection owns (docs/adr/0014-audit-chains-per-writer.md) and its head, and what the transaction
// changed that caches must hear about (Store::IdentityVersion, RecordsVersion).
struct TransactionState {
  bool writable = false;
  int64_t chain = -1;  // claimed when the connection opened
  int64_t head_seq = 0;
  std::string head_hash;
  bool identity_changed = false;  // users, sessions or local authorities
  bool records_changed = false;   // children, teams, users, agencies or merges
};

// Every repository over `connection`, sharing `state` (both outlive the result).
std::unique_ptr<Repositories> MakeRepositories(Connection& connection, TransactionState& state);

// Makers of the repositories in the other files of the back end.
std::unique_ptr<ChronologyRepository> MakeChronology(Connection& c);
std::unique_ptr<ForumRepository> MakeForum(Connection& c);
std::unique_ptr<WheelRepository> MakeWheel(Connection& c);
std::unique_ptr<WordStatsRepository> MakeWordStats(Connection& c);
std::unique_ptr<FeedRepository> MakeFeed(Connection& c);
std::unique_ptr<SourceRecordRepository> MakeSourceRecords(Connection& c);
std::unique_ptr<ReviewRepository> MakeReviews(Connection& c);
std::unique_ptr<MergeRepository> MakeMerges(Connection& c, TransactionState& state);
std::unique_ptr<EarlyHelpRepository> MakeEarlyHelp(Connection& c);
std::unique_ptr<FamilyRepository> MakeFamily(Connection& c);
std::unique_ptr<IdempotencyRepository> MakeIdempotency(Connection& c);
std::unique_ptr<BreakGlassRepository> MakeBreakGlass(Connection& c);
std::unique_ptr<JoinRequestRepository> MakeJoinRequests(Connection& c);
std::unique_ptr<PractitionerHomeRepository> MakePractitionerHomes(Connection& c);
std::unique_ptr<MisuseFlagRepository> MakeMisuseFlags(Connection& c);
std::unique_ptr<JobClaimRepository> MakeJobClaims(Connection& c);
std::unique_ptr<RetentionRepository> MakeRetention(Connection& c);
std::unique_ptr<ImportJobRepository> MakeImportJobs(Connection& c);

// Runs an INSERT … ON CONFLICT DO NOTHING: kConflict ("<what> already exists") when no row was
// inserted because of a uniqueness constraint.
Status InsertOrConflict(Statement& insert, const std::string& what);

}  // namespace kith::storage::postgres
