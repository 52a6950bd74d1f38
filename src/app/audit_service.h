// The auditors' view of the audit log (issue 14): who looked at or searched for a child, what one
// user did, everything the authority's people did, by date; the same as CSV; finding a child or
// a user by name. For auditors (information governance) of the authority only
// (domain::AuthorityAction::kViewAuthorityAudit); every look is itself audited. The lead
// professional's view of one child's trail stays ChildService::AuditTrail.
// Thread safety: safe from any thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/principal.h"
#include "common/date.h"
#include "common/result.h"
#include "domain/audit.h"

namespace kith::app {

// Which records to show. With a child: every record concerning that child (its child_id, or a
// search that found it), by anyone. With a user: that user's records. Otherwise: the records of
// everyone in the auditor's authority. Dates are UK calendar dates, both inclusive.
struct AuditFilter {
  std::string child_id;
  std::string user_id;
  std::optional<Date> from;
  std::optional<Date> to;
  // Paging, newest first: the `next` cursor of the previous page; empty for the first.
  std::string cursor;
  int limit = 100;  // 1..500
};

// A record with the names an auditor reads instead of ids.
struct AuditRecordView {
  domain::AuditRecord record;
  std::string actor_name;   // the user's display name; empty for none or an unknown user
  std::string child_name;   // the name of record.child_id; empty for none
  std::string action_label; // from the catalogue (domain/audit_actions.h); empty if unknown
};

struct AuditPage {
  std::vector<AuditRecordView> records;  // newest first
  std::string next;                      // the cursor of the next page; empty at the end
};

// Display names already read, by user id and by child id (empty: none or unknown).
struct AuditNames {
  std::map<std::string, std::string> users, children;
};

// An export under way (AuditService::StartExport): every record its filter selects, newest first,
// handed out a page at a time so that memory stays bounded whatever their number. Pages follow
// one another by keyset ((at, chain, seq) of the last record given), so a record is given once.
// The export holds every record committed before it began, none appended after it with a later
// time (its own audit record among them), and perhaps one appended meanwhile whose time falls
// before the page being read (PostgreSQL's writers commit in any order).
// Thread safety: one call at a time; each reads the store, so call it where a store read may
// wait (a server fiber, or any thread that is not inside a transaction).
class AuditExportStream {
 public:
  // The next page, at most the service's export page of records, newest first; empty once every
  // record has been given (and at every call after that).
  std::vector<AuditRecordView> Next();

 private:
  friend class AuditService;
  AuditExportStream(storage::Store& store, storage::AuditQuery query, std::vector<AuditRecordView> first);
  void After(const domain::AuditRecord& last);

  // At most this many names are kept across pages (a few MiB): an export's pages mostly name
  // the same people and children, each a query on PostgreSQL.
  static constexpr size_t kMaxNames = 50'000;

  storage::Store& store_;
  storage::AuditQuery query_;  // limit is the page size; before_* the last record given
  AuditNames names_;
  std::vector<AuditRecordView> first_;  // read when the export began, given by the first Next
  bool first_given_ = false;
  bool done_ = false;
};

struct FoundChild {
  std::string child_id;
  std::string given_names;
  std::string family_name;
  std::optional<Date> date_of_birth;
  std::string postcode;
  bool shielded = false;
};

struct FoundUser {
  std::string user_id;
  std::string username;
  std::string display_name;
  std::string job_title;
  std::string role;
  std::string agency_name;
};

class AuditService {
 public:
  static constexpr int kMaxPage = 500;
  static constexpr int kMaxFound = 50;
  static constexpr int kDefaultExportPage = 1000;

  // `export_page`: records an export reads and hands out at a time (1..10,000; configuration
  // `audit_export_page`).
  explicit AuditService(Context& context, int export_page = kDefaultExportPage)
      : ctx_(context), export_page_(export_page) {}

  // One page of records. Errors: kForbidden (not an auditor of the authority), kNotFound (a child
  // or user not of the auditor's authority), kInvalidInput (dates, cursor, limit; field named).
  Result<AuditPage> Records(const Principal& p, const AuditFilter& filter);

  // Begins an export of every record the filter selects, without limit (the cursor and limit are
  // ignored): reads the first page, then writes the export's one audit record
  // (`audit.records.export`, naming the newest record exported) before any record is handed out,
  // so nothing leaves unaudited; the stream gives the first page and reads the others as asked.
  // Errors as Records; StorageError (or StorageUnavailable) if the audit record cannot be written.
  Result<std::unique_ptr<AuditExportStream>> StartExport(const Principal& p, const AuditFilter& filter);

  // Children of the auditor's authority whose names match: every word of `name` begins a word of
  // the child's names (accents and case ignored; at least one word of two letters), born on
  // `date_of_birth` if given. Shielded children are found too. At most kMaxFound, by family name.
  Result<std::vector<FoundChild>> FindChildren(const Principal& p, const std::string& name,
                                               const std::optional<Date>& date_of_birth);

  // Users of the auditor's authority whose display name or username matches as FindChildren's
  // names do. At most kMaxFound, by display name.
  Result<std::vector<FoundUser>> FindUsers(const Principal& p, const std::string& name);

 private:
  // The query for `filter`, or the refusal (audited) — kNotFound for a child or user that is not
  // the auditor's to see.
  Result<storage::AuditQuery> Authorise(const Principal& p, const AuditFilter& filter, const char* action);
  void Record(const Principal& p, domain::AuditRecord a);

  Context& ctx_;
  int export_page_;
};

// The records with their actors', children's and actions' names (each user and child read once;
// with `names`, once for as long as it keeps them).
std::vector<AuditRecordView> ViewAuditRecords(storage::Repositories& r, std::vector<domain::AuditRecord> records);
std::vector<AuditRecordView> ViewAuditRecords(storage::Repositories& r, std::vector<domain::AuditRecord> records,
                                              AuditNames& names);

// "<at in microseconds>.<seq>", the position a page ended at.
std::string AuditCursor(const domain::AuditRecord& record);

}  // namespace kith::app
