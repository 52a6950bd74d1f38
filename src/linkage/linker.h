// Probabilistic record linkage (deduplication of one set of records, which may come from
// several sources): blocking on several keys, Fellegi–Sunter scoring with parameters estimated
// from the data (u by random sampling, m and the prior by EM), three outcomes per pair and
// clusters as the connected components of automatic matches (joined strongest first, never
// putting two different valid NHS numbers or UPNs in one cluster).
// Link() is the library entry point; LinkCsvFile() is what `kith link` calls.
// Thread safety: Link() may be called concurrently on different inputs. It runs its own worker
// threads (LinkOptions::threads) and calls the progress callback on the calling thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "linkage/csv.h"
#include "linkage/model.h"
#include "linkage/record.h"

namespace kith::linkage {

// The parts a blocking key is made of. A record lacking any part of a rule is not blocked by it.
enum class BlockPart : uint8_t {
  kNhsNumber,
  kUpn,
  kIdentifier,
  kGivenPhonetic,  // phonetic code of the canonical given name (Bill and William agree)
  kGivenInitial,   // first letter of the canonical given name
  kFamilyPhonetic,
  kFamilyName,
  kBirthYear,
  kDateOfBirth,    // all eight digits
  kBirthMonthDay,  // month and day, for year typos
  kPostcode,
  kPostcodeDistrict,  // outward code of a UK postcode; the whole postcode otherwise
  kLocality,
  // Each distinct token (two letters or more) of the full name: a record gets one key per
  // token, so two records are candidates when any token agrees whatever column it came from
  // (sources that give a full name move names between the given and family name columns, or
  // give one name only). At most one kNameToken per rule.
  kNameToken,
};

struct BlockingRule {
  std::string name;
  std::vector<BlockPart> parts;
};

// NHS number; UPN; other identifier; family phonetic + birth year + given initial; date of
// birth + postcode district; given phonetic + date of birth; family phonetic + date of birth;
// given phonetic + family phonetic + postcode district; family name + given phonetic;
// given phonetic + family phonetic + birth month and day; and on full-name tokens (which only
// sources giving a full name have): name token + date of birth, name token + postcode district
// and name token + locality. Together they keep recall when any one field is wrong or missing.
std::vector<BlockingRule> DefaultBlockingRules();

enum class Outcome : uint8_t { kNonMatch, kReview, kMatch };
std::string_view ToString(Outcome outcome);

struct ScoredPair {
  uint32_t a = 0;  // record indices, a < b
  uint32_t b = 0;
  float weight = 0;  // log2 posterior odds
  Outcome outcome = Outcome::kNonMatch;
  bool sibling_guard = false;  // the outcome was lowered by the twins and siblings rule
  uint8_t strong_shape = 0;    // the StrongEvidence parts whose shape the pair shows
};

// Called with a stage name ("normalise", "block", "train", "score", "cluster") and the
// fraction of that stage done, in [0, 1].
using ProgressFn = std::function<void(std::string_view stage, double fraction)>;

// The parts of the strong-evidence rule (LinkOptions::strong_evidence), each a shape of pair that
// twins, siblings and other children of one household show and that is no longer an automatic
// match but a review. Unless said otherwise a part applies only when no identifier (NHS number,
// UPN, other id) agrees exactly. "Household": family names one slip apart or closer, and the first
// place both records fill (postcode, else address, else locality) agreeing to the postcode sector
// (the address near enough, the locality exactly).
enum StrongEvidence : uint32_t {
  // A record gives an initial or no given name (a placeholder such as "Baby" reads as none): the
  // rest of the evidence may be a twin's or a sibling's. Not when the full names both records
  // fill agree at half their tokens.
  kStrongNoGivenName = 1u << 0,
  // An agreeing NHS number or UPN contradicted by an entirely different given name and a date of
  // birth two or more digits off: a sibling's NHS number or UPN written in the record. Always in
  // force when on (see strong_evidence_from_data).
  kStrongIdentifierContradicted = 1u << 1,
  // In one household, dates of birth two or more digits off (siblings).
  kStrongHouseholdDate = 1u << 2,
  // In one household, given names one slip apart (twins: Zayn / Zain).
  kStrongHouseholdGivenSlip = 1u << 3,
  // A date of birth one slip off (or day and month swapped) together with a family name one slip
  // off ("Leo Karter" for Leo Carter).
  kStrongNearDateAndFamily = 1u << 4,
  // Exempts the household parts when the full names both records fill agree at half their
  // tokens (two or more): a sibling's full name holds the sibling's own given name.
  kStrongHouseholdFullNameExempt = 1u << 5,
};
inline constexpr uint32_t kStrongEvidenceDefault = kStrongNoGivenName | kStrongIdentifierContradicted |
                                                   kStrongHouseholdDate | kStrongHouseholdGivenSlip |
                                                   kStrongNearDateAndFamily | kStrongHouseholdFullNameExempt;

struct LinkOptions {
  // Posterior match probability at or above which a pair is an automatic match, and at or above
  // which (below the first) it goes to clerical review. 0 < review <= match < 1.
  double match_probability = 0.99;
  double review_probability = 0.50;
  std::vector<BlockingRule> blocking_rules;  // empty: DefaultBlockingRules()
  // Blocks bigger than this are skipped (reported in stats): they cost quadratic time and the
  // other rules usually find their pairs.
  size_t max_block_size = 1000;
  unsigned threads = 0;  // 0: std::thread::hardware_concurrency()
  uint64_t seed = 20240601;
  size_t u_sample_pairs = 1'000'000;
  size_t em_sample_pairs = 300'000;
  int em_max_iterations = 100;
  double tf_weight = 1.0;
  // Twins and siblings: a pair whose given names are entirely different (no nickname,
  // transliteration, typo or phonetic link) is never matched unless an identifier (NHS number,
  // UPN, other id) agrees exactly; merely similar given names cap the outcome at review.
  bool sibling_guard = true;
  // The second half of that rule: similar given names (Jaro–Winkler >= 0.80 or one phonetic
  // code, e.g. Jack/Jake, Graham/Graeme, Vi/Violet) cap the outcome at review. Twins and
  // siblings are often given similar names, so it stays on for records about children; a
  // source about adults with no twins in it (Splink's historical_50k) may turn it off and have
  // such pairs matched on their evidence: `kith link --similar-names-match`.
  bool similar_given_names_to_review = true;
  // Two clusters of several records each are joined only by a pair at least this many bits
  // (log2 odds) above the automatic-match weight; a weaker match may add a single record to a
  // cluster but not chain two clusters together (it goes to review instead). 0 turns it off.
  double cluster_join_margin = 10.0;
  // Automatic matches only on strong evidence (issue 19): the parts of StrongEvidence that are
  // on (a bit mask) lower a would-be automatic match of that shape to review. See StrongEvidence.
  uint32_t strong_evidence = kStrongEvidenceDefault;
  // Each part but the identifier part is in force only when the data shows its shape between
  // children that their identifiers tell apart: at least strong_evidence_min_pairs pairs whose
  // NHS numbers (or UPNs) differ, that would otherwise be an automatic match of that shape (twins
  // with their own NHS numbers and names one slip apart). Data without NHS numbers or UPNs (a
  // source about adults) cannot show it, and keeps its recall. Off: every part in
  // strong_evidence is in force.
  bool strong_evidence_from_data = true;
  size_t strong_evidence_min_pairs = 2;
  bool keep_match_pairs = false;        // also return automatic matches in LinkResult::pairs
  std::vector<std::string> text_names;  // names of InputRecord::texts, for reports
  const Model* model = nullptr;         // when set, used as is instead of being estimated
  ProgressFn progress;
};

// The parts set in `parts`, named for people ("no given name, household date"), or "none".
std::string StrongEvidenceParts(uint32_t parts);

struct LinkStats {
  size_t records = 0;
  size_t candidate_pairs = 0;  // distinct pairs compared
  size_t matches = 0;
  size_t reviews = 0;
  size_t sibling_guarded = 0;
  size_t strong_evidence_reviews = 0;  // automatic matches lowered to review by strong_evidence
  uint32_t strong_evidence_in_force = 0;      // the StrongEvidence parts that were in force
  size_t strong_evidence_settled_pairs = 0;   // pairs of children told apart by identifiers that
                                              // showed a part's shape (summed over the parts)
  size_t identifier_conflicts = 0;  // matches sent to review because joining them would put two
                                    // NHS numbers or UPNs in one cluster
  size_t weak_bridges = 0;          // matches sent to review because they would chain two clusters
                                    // with a link weaker than cluster_join_margin allows
  size_t oversized_blocks = 0;
  size_t clusters = 0;
  double normalise_seconds = 0;
  double block_seconds = 0;
  double train_seconds = 0;
  double score_seconds = 0;
  double cluster_seconds = 0;
};

struct LinkResult {
  std::vector<uint32_t> cluster_of;  // per input record: its cluster, numbered from 0 in order of
                                     // first appearance
  std::vector<ScoredPair> pairs;     // reviews (and matches when keep_match_pairs), sorted
  Model model;                       // the parameters used
  LinkStats stats;
};

// Links records. Fails with kInvalidInput for inconsistent thresholds or when the records have
// no comparable field; an empty input gives an empty result.
Result<LinkResult> Link(const std::vector<InputRecord>& records, const LinkOptions& options);

// As Link, on records already normalised (NormaliseRecord).
Result<LinkResult> LinkNormalised(const std::vector<Record>& records, const LinkOptions& options);

struct LinkCsvOptions {
  LinkOptions link;
  std::vector<std::string> fields;  // "COLUMN=TYPE" overrides (see ParseFieldType)
  std::string review_path;          // when set, review pairs are written here as CSV
};

struct LinkCsvSummary {
  size_t rows_read = 0;
  std::vector<RowError> row_errors;  // rows skipped, with line numbers and reasons
  LinkStats stats;
};

// Reads one or more CSV files with the same header, links their rows together and writes
// `record_id,cluster_id` for every row read to `output_path` (cluster ids are integers
// from 0, in order of first appearance).
// When options.review_path is set, writes record_id_a,record_id_b,match_probability,sibling_guard
// there for each pair sent to clerical review. Fails with kNotFound when a file cannot be
// opened or written and with kInvalidInput for a bad header, override or option; bad rows do
// not fail the call (see LinkCsvSummary::row_errors).
Result<LinkCsvSummary> LinkCsvFile(const std::vector<std::string>& input_paths, const std::string& output_path,
                                   const LinkCsvOptions& options);

}  // namespace kith::linkage
