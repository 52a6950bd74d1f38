// Repository interfaces: the only way the app layer reaches stored data. Each back end
// (sqlite/, later postgres/) implements all of them and passes tests/conformance unchanged.
//
// Repositories are handed out by a Store (store.h) inside a read or write transaction and are
// valid only for the duration of that callback. They are not thread-safe: one transaction, one
// thread. Methods that find nothing return std::nullopt or an empty vector; expected conflicts
// (a duplicate username, a stale version) are returned as values; anything else — a broken
// database, a write attempted inside a read transaction — throws StorageError.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/audit.h"
#include "domain/child.h"
#include "domain/organisation.h"
#include "domain/team.h"
#include "domain/user.h"

namespace kith::storage {

class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AuthorityRepository {
 public:
  virtual ~AuthorityRepository() = default;
  // kConflict if the id or code exists.
  virtual Status Insert(const domain::LocalAuthority& authority) = 0;
  virtual void Update(const domain::LocalAuthority& authority) = 0;
  virtual std::optional<domain::LocalAuthority> Get(const std::string& id) = 0;
  virtual std::vector<domain::LocalAuthority> List() = 0;
};

class AgencyRepository {
 public:
  virtual ~AgencyRepository() = default;
  virtual Status Insert(const domain::Agency& agency) = 0;  // kConflict if the id exists
  virtual Status Update(const domain::Agency& agency) = 0;  // kNotFound if it does not
  virtual std::optional<domain::Agency> Get(const std::string& id) = 0;
  // In name order.
  virtual std::vector<domain::Agency> ListByAuthority(const std::string& authority_id) = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Stores a new user with version 1. kConflict if the id or username is taken.
  virtual Status Insert(const domain::User& user) = 0;
  // Stores `user` if its version matches the stored one, and increments the version.
  // kConflict if the version is stale, kNotFound if there is no such user.
  virtual Status Update(const domain::User& user) = 0;
  virtual std::optional<domain::User> Get(const std::string& id) = 0;
  virtual std::optional<domain::User> GetByUsername(const std::string& username) = 0;
  // In username order.
  virtual std::vector<domain::User> ListByAuthority(const std::string& authority_id) = 0;
};

class ChildRepository {
 public:
  virtual ~ChildRepository() = default;
  // Stores a new child with version 1. kConflict if the id exists.
  virtual Status Insert(const domain::Child& child) = 0;
  // Replaces the record if `child.version` matches the stored one; increments the version.
  // kConflict if stale, kNotFound if missing.
  virtual Status Update(const domain::Child& child) = 0;
  virtual std::optional<domain::Child> Get(const std::string& id) = 0;
  // Children of one authority in id order, at most `limit`, after `after_id` (paging).
  virtual std::vector<domain::Child> ListByAuthority(const std::string& authority_id,
                                                     const std::string& after_id, int limit) = 0;
  virtual int64_t Count() = 0;
};

// One change to a team, kept for ever.
struct TeamEvent {
  std::string child_id;
  std::string user_id;  // the member the event is about
  std::string kind;     // "joined", "left", "lead_assigned", "lead_released"
  std::string role;
  std::string reason;
  std::string by_user_id;  // who made the change
  TimePoint at;
};

class TeamRepository {
 public:
  virtual ~TeamRepository() = default;
  // The active members of a child's team, in joining order.
  virtual domain::Team Members(const std::string& child_id) = 0;
  // Ids of the children whose teams the user is on.
  virtual std::vector<std::string> ChildrenOf(const std::string& user_id) = 0;
  virtual void AddMember(const domain::TeamMember& member) = 0;
  virtual void RemoveMember(const std::string& child_id, const std::string& user_id) = 0;
  // Sets or clears the lead flag of one member.
  virtual void SetLead(const std::string& child_id, const std::string& user_id, bool lead) = 0;
  virtual void AppendEvent(const TeamEvent& event) = 0;
  // Oldest first.
  virtual std::vector<TeamEvent> History(const std::string& child_id) = 0;
};

struct SessionRecord {
  std::string token_hash;  // SHA-256 of the cookie token; the token itself is never stored
  std::string user_id;
  std::string csrf_token;
  TimePoint created_at;
  TimePoint last_seen_at;
  bool second_factor_done = false;
  std::string client;
  // A second-factor secret being enrolled, not yet confirmed with a code; empty otherwise.
  std::string pending_totp_secret;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual void Insert(const SessionRecord& session) = 0;
  virtual std::optional<SessionRecord> Get(const std::string& token_hash) = 0;
  virtual void Update(const SessionRecord& session) = 0;
  virtual void Delete(const std::string& token_hash) = 0;
  virtual void DeleteForUser(const std::string& user_id) = 0;
  // Removes sessions last seen before `idle_before` or created before `created_before`.
  virtual int64_t DeleteExpired(TimePoint idle_before, TimePoint created_before) = 0;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Assigns seq, prev_hash and hash, appends the record and returns it as stored. If the
  // surrounding write is undone the record is too, and the chain continues from before it.
  virtual domain::AuditRecord Append(domain::AuditRecord record) = 0;
  // Records about one child, newest first, at most `limit`.
  virtual std::vector<domain::AuditRecord> ForChild(const std::string& child_id, int limit) = 0;
  // Records with seq > after_seq in seq order, at most `limit`.
  virtual std::vector<domain::AuditRecord> Range(int64_t after_seq, int limit) = 0;
  virtual int64_t LastSeq() = 0;
};

// Everything one transaction can reach.
class Repositories {
 public:
  virtual ~Repositories() = default;
  virtual AuthorityRepository& Authorities() = 0;
  virtual AgencyRepository& Agencies() = 0;
  virtual UserRepository& Users() = 0;
  virtual ChildRepository& Children() = 0;
  virtual TeamRepository& Teams() = 0;
  virtual SessionRepository& Sessions() = 0;
  virtual AuditLog& Audit() = 0;
};

}  // namespace kith::storage
