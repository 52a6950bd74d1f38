// Importing a source feed (a school roll, a GP practice list, a council system's extract) into
// the national child index: what `kith import` runs.
//
// A feed is CSV with a header. Recognised columns: record_id (the source's own reference,
// required), source, given_name, family_name, date_of_birth (YYYY-MM-DD), sex, postcode,
// address, nhs_number, upn; every other column is kept with the record as an attribute. A row
// that cannot be a child's record (no record id, no names, an impossible date, a wrong NHS
// check digit, the wrong number of fields, text that is not UTF-8...) is rejected with its line
// number and reason; the other rows are imported.
//
// Each new row is stored as a source record (provenance: source + record_id, its values and
// attributes) and linked with the linkage engine against every child already in the index and
// the other new rows: an automatic match attaches it to the existing child (filling in fields
// the child's record lacks); an uncertain one waits, attached to no child, in the clerical
// review queue of the importing authority with its candidate children and the evidence; a
// non-match becomes a new child. A row already imported with the same content is left alone,
// so importing the same file twice changes nothing; a row whose content changed updates its
// source record (the child it belongs to is not relinked). Everything is audited.
//
// One import at a time across the cluster (issue 16): two imports linked at the same moment could
// each make a new child of the same person, so an import holds a lease in the database
// (JobClaimRepository::Lease, job kImportLease) from before it reads the index until it ends.
// An import that finds the lease held by another waits (stage "wait"), trying again every
// `lease_poll`; it takes over a lease not renewed for kImportLeaseStale (its holder died or
// stalled). Each batch renews the lease in its own transaction, so a batch commits only while
// its import holds it: an import whose lease passed to another ends (kConflict), its batch undone.
//
// Thread safety: ImportFeed writes through `ctx.store` and may run on any thread; a server runs
// it on its import worker (app/import_jobs.h), which tells the search index about every child
// stored. On PostgreSQL `kith import` may run beside the servers (the lease orders it with their
// imports; their change feeds bring its children to their search); on SQLite the file belongs to
// one process at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "app/child_observer.h"
#include "app/context.h"
#include "app/principal.h"
#include "common/date.h"
#include "common/result.h"
#include "domain/child.h"
#include "storage/repositories.h"

namespace kith::app {

inline constexpr std::string_view kImportLease = "index.import";
inline constexpr std::chrono::minutes kImportLeaseStale{5};

struct FeedRowError {
  size_t line = 0;  // 1-based physical line where the row starts
  std::string reason;
};

// A row that passed validation: a source record without id, child or times yet.
struct FeedRow {
  size_t line = 0;
  storage::SourceRecord record;
};

struct ParsedFeed {
  size_t rows_read = 0;  // data rows, good and bad (blank lines are not rows)
  std::vector<FeedRow> rows;
  std::vector<FeedRowError> rejected;  // in file order
};

// Parses and validates a feed. `default_source` names the source of rows with no source column
// or an empty one. Fails with kInvalidInput (and imports nothing) when the file cannot be a feed:
// empty, not UTF-8 (e.g. saved as UTF-16), no header naming a recognised column, no record_id
// column, or no source for its rows.
Result<ParsedFeed> ParseFeed(std::string_view text, std::string_view default_source, const Date& today);

struct ImportOptions {
  std::string authority_id;  // new children and review items belong to this authority
  std::string default_source;
  double match_probability = 0.99;  // as linkage::LinkOptions
  double review_probability = 0.50;
  size_t batch_rows = 2000;  // rows written per transaction (at most, with batch_budget)
  // When set, batches are sized so that each holds the store's writer for about this long
  // (other users' writes wait behind it): a running server's imports use it.
  std::chrono::microseconds batch_budget{0};
  // Called with a stage ("wait", "read", "link", "write") and the fraction of it done; "wait"
  // while another import of the cluster holds the lease.
  std::function<void(std::string_view stage, double fraction)> progress;
  // Called with the counts so far once the feed is read and after every batch written.
  std::function<void(const struct ImportSummary& so_far)> counted;
  // Told about every child created or changed, after the batch that stored it committed.
  ChildObserver* observer = nullptr;
  // Checked between batches: when stop is requested the import ends after the batch it is
  // writing (kConflict). What was written stays; importing the file again finishes it.
  std::stop_token stop;
  // How often an import waiting for another's lease tries again (real time).
  std::chrono::milliseconds lease_poll{1000};
  // Empty: the import takes the lease under a name of its own and gives it up when it ends. Set:
  // the caller's name for the lease (the server's import worker, which took it when it claimed
  // the job); the import takes or renews it under that name and leaves it held at the end.
  std::string lease_holder;
  // Set: the import job (ImportJobRepository) under which each row's outcome is recorded, in the
  // batch that writes it (rows found unchanged at the end), for the import report per row.
  std::string report_to;
};

struct ImportSummary {
  size_t rows_read = 0;
  size_t created = 0;    // rows that became a new child
  size_t matched = 0;    // rows attached to a child already known (or made from an earlier row)
  size_t queued = 0;     // rows waiting in the clerical review queue
  size_t unchanged = 0;  // rows imported before with the same content
  size_t updated = 0;    // rows imported before whose content changed
  size_t to_write = 0;   // new and changed rows: created + matched + queued + updated when done
  std::vector<FeedRowError> rejected;
  size_t children_before = 0;  // children in the index when linking started
};

// A new child's index record made from a source record (no team: imported children have none
// until a practitioner joins).
domain::Child ChildFromSource(const storage::SourceRecord& record, const std::string& id,
                              const std::string& authority_id, TimePoint now);

// Fills the fields a child's record lacks (NHS number, UPN, date of birth, sex, and the address
// with its postcode when both are missing) from a source record about the same child; never
// overwrites what is recorded. Returns whether anything changed.
bool FillGapsFromSource(domain::Child& child, const storage::SourceRecord& record);

// Imports a feed as `actor` (audited). Errors: kInvalidInput from ParseFeed or for thresholds,
// kNotFound when the authority does not exist, kConflict when stopped (while waiting for the
// lease or between batches) or when the lease passed to another import.
Result<ImportSummary> ImportFeed(Context& ctx, const Principal& actor, std::string_view text,
                                 const ImportOptions& options);

}  // namespace kith::app
