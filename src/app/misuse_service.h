// The misuse report (issue 14): runs domain::MisuseDetector over an authority's audit log and
// keeps what it flags (storage MisuseFlagRepository) for the authority's auditors to read, with
// the audit records behind each flag, and to mark reviewed. A nightly job reports on the previous
// UK day for every authority, once per cluster (a claim held in the database), and auditors can
// run it for up to 31 days at once. Administrators record where practitioners live and the other
// surnames they declare, which only the report reads. Every act of a person is audited.
// Thread safety: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/audit_service.h"
#include "app/context.h"
#include "app/principal.h"
#include "common/date.h"
#include "common/result.h"
#include "domain/misuse/misuse.h"
#include "storage/repositories.h"

namespace kith::app {

struct MisuseRun {
  int64_t records = 0;  // audit records of the window read
  int flags = 0;        // flags found
  int new_flags = 0;    // of which not stored before
  double seconds = 0;
};

struct MisuseFlagView {
  storage::StoredMisuseFlag stored;
  std::string user_name;
  std::string child_name;
  std::string reviewed_by_name;
};

struct MisuseFlagDetail {
  MisuseFlagView flag;
  std::vector<AuditRecordView> records;  // the audit records behind it, oldest first
};

struct HomeChange {
  std::string address;
  std::string postcode;
  std::vector<std::string> other_surnames;
};

class MisuseService {
 public:
  static constexpr int kMaxRunDays = 31;

  MisuseService(Context& context, domain::MisusePolicy policy = {}) : ctx_(context), policy_(policy) {}

  // Runs the report for `authority_id` over the UK days `from` to `to` (inclusive) and stores the
  // flags not stored yet. Reads the baseline days before `from` too. Throws on storage failure.
  MisuseRun Run(const std::string& authority_id, const Date& from, const Date& to);

  // The nightly job: for each authority, the report on the previous UK day, run by whichever
  // server claims it first (`holder` names this one); from 01:00 UK time, when the day is
  // complete. Returns how many reports this call ran. Each run is audited as the system's.
  int Nightly(const std::string& holder);

  // For the authority's auditors: the stored flags of the UK days `from` to `to` (by default the
  // 30 days up to today), newest day first (reviewed ones with `include_reviewed`), at most 500.
  // Errors: kForbidden, kInvalidInput.
  Result<std::vector<MisuseFlagView>> Flags(const Principal& p, std::optional<Date> from, std::optional<Date> to,
                                            bool include_reviewed);
  // One flag with the audit records behind it. Errors: kForbidden, kNotFound.
  Result<MisuseFlagDetail> Flag(const Principal& p, const std::string& flag_id);
  // Runs the report now over at most kMaxRunDays days. Errors: kForbidden, kInvalidInput.
  Result<MisuseRun> RunNow(const Principal& p, const Date& from, const Date& to);
  // Marks a flag reviewed with a note (10..2000 characters). A flag about the auditor's own use
  // of Kith (say one raised before they became an auditor) is another auditor's to review.
  // Errors: kForbidden (also the flag's subject), kNotFound, kConflict (reviewed already),
  // kInvalidInput (note). Audited (misuse.flag.review) when allowed, refused (denied; no such
  // flag in the caller's authority and the flag's subject included) and reviewed already (failed).
  Result<MisuseFlagView> Review(const Principal& p, const std::string& flag_id, const std::string& note);

  // For the authority's administrators: where a user of the authority lives and the other
  // surnames they declared. Errors: kForbidden, kNotFound, kInvalidInput (field named).
  Result<storage::PractitionerHome> SetHome(const Principal& p, const std::string& user_id, HomeChange change);

 private:
  std::optional<Error> Refuse(const Principal& p, const char* action, const std::string& target);
  MisuseFlagView View(storage::Repositories& r, storage::StoredMisuseFlag stored);

  Context& ctx_;
  domain::MisusePolicy policy_;
};

}  // namespace kith::app
