#include "linkage/search_index.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "domain/identifiers.h"
#include "linkage/record.h"
#include "linkage/text.h"

namespace kith::linkage {
namespace {

// ---- Packed values ----------------------------------------------------------------------------

// Dates of birth as days since 1899-12-31, so 0 means "none" and 16 bits reach 2079.
constexpr int64_t kDateBase = -25568;  // 1899-12-31 in days since 1970-01-01

uint16_t PackDate(const std::optional<Date>& d) {
  if (!d || !d->IsValid()) return 0;
  const int64_t v = d->ToDays() - kDateBase;
  return v > 0 && v <= 0xFFFF ? static_cast<uint16_t>(v) : 0;
}

Date UnpackDate(uint16_t v) { return Date::FromDays(static_cast<int64_t>(v) + kDateBase); }

// NHS number + 1 (so that 0000000000 is not "none"); ten digits fit in 34 bits.
uint64_t PackNhs(std::string_view normalised) {
  if (normalised.empty()) return 0;
  uint64_t v = 0;
  for (char c : normalised) v = v * 10 + static_cast<uint64_t>(c - '0');
  return v + 1;
}

// A valid UPN in 48 bits: check letter, eleven digits, last character (digit or letter), with a
// top bit so that no UPN packs to 0.
uint64_t PackUpn(std::string_view normalised) {
  if (normalised.size() != 13) return 0;
  constexpr std::string_view kLetters = "ABCDEFGHJKLMNPQRTUVWXYZ";
  uint64_t v = kLetters.find(normalised[0]);
  for (size_t i = 1; i < 12; ++i) v = v * 10 + static_cast<uint64_t>(normalised[i] - '0');
  const char last = normalised[12];
  const uint64_t last_value = last >= '0' && last <= '9' ? static_cast<uint64_t>(last - '0') : 10 + kLetters.find(last);
  return (v * 33 + last_value) | (uint64_t{1} << 62);
}

// A UK postcode (upper case, no spaces) in 45 bits: up to seven characters of 6 bits each
// (digits 1..10, letters 11..36) and the length of the outward code above them. 0 when the
// text is not a UK postcode. Packing avoids a string pool of millions of distinct postcodes.
uint64_t PackPostcode(std::string_view pc) {
  const uint8_t outward = UkOutwardLength(pc);
  if (outward == 0) return 0;
  uint64_t v = 0;
  for (char c : pc) {
    uint64_t code;
    if (c >= '0' && c <= '9')
      code = static_cast<uint64_t>(c - '0') + 1;
    else if (c >= 'A' && c <= 'Z')
      code = static_cast<uint64_t>(c - 'A') + 11;
    else
      return 0;
    v = v << 6 | code;
  }
  return v | uint64_t{outward} << 42;
}

std::string UnpackPostcode(uint64_t v) {
  std::string out;
  for (uint64_t rest = v & ((uint64_t{1} << 42) - 1); rest != 0; rest >>= 6) {
    const auto code = static_cast<char>(rest & 63);
    out.insert(out.begin(), code <= 10 ? static_cast<char>('0' + code - 1) : static_cast<char>('A' + code - 11));
  }
  return out;
}

size_t PostcodeOutward(uint64_t v) { return static_cast<size_t>(v >> 42); }

// One child's searchable values in 40 bytes, so scoring a candidate touches one cache line.
struct Row {
  uint32_t given = 0;   // name pool id, 0 when missing
  uint32_t family = 0;  // name pool id
  uint32_t id_ref = 0;  // position of the id in the id arena
  uint32_t unused = 0;
  uint64_t nhs_dob_flags = 0;  // bits 0..33 NHS + 1, 34..49 packed date, 50.. flags
  uint64_t upn = 0;
  uint64_t postcode = 0;  // PackPostcode

  static constexpr uint64_t kShielded = uint64_t{1} << 50;
  uint64_t Nhs() const { return nhs_dob_flags & ((uint64_t{1} << 34) - 1); }
  uint16_t Dob() const { return static_cast<uint16_t>(nhs_dob_flags >> 34); }
  bool Shielded() const { return (nhs_dob_flags & kShielded) != 0; }
};
static_assert(sizeof(Row) == 40);

// Rows in fixed-size chunks: appending never moves existing rows, so growth costs no copy of
// hundreds of megabytes and no transient doubling of memory.
class RowStore {
 public:
  static constexpr size_t kChunkBits = 16;
  static constexpr size_t kChunk = size_t{1} << kChunkBits;

  size_t size() const { return size_; }
  Row& operator[](size_t i) { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  const Row& operator[](size_t i) const { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  void push_back(const Row& row) {
    if ((size_ & (kChunk - 1)) == 0) chunks_.push_back(std::make_unique<Row[]>(kChunk));
    (*this)[size_++] = row;
  }

 private:
  std::vector<std::unique_ptr<Row[]>> chunks_;
  size_t size_ = 0;
};

// Ids as length-prefixed bytes in 1 MiB blocks; a reference is block << 20 | offset.
class IdArena {
 public:
  static constexpr size_t kBlockBits = 20;
  static constexpr size_t kBlock = size_t{1} << kBlockBits;

  uint32_t Append(std::string_view id) {
    if (blocks_.empty() || used_ + 1 + id.size() > kBlock) {
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    at[0] = static_cast<char>(id.size());
    std::memcpy(at + 1, id.data(), id.size());
    const auto ref = static_cast<uint32_t>(((blocks_.size() - 1) << kBlockBits) | used_);
    used_ += 1 + id.size();
    return ref;
  }
  std::string_view Get(uint32_t ref) const {
    const char* at = blocks_[ref >> kBlockBits].get() + (ref & (kBlock - 1));
    return {at + 1, static_cast<uint8_t>(at[0])};
  }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0;
};

uint64_t HashText(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  return h;
}

// Folded names, each stored once; id 0 is the empty string. Each token of three letters or more
// is also indexed by every string made by deleting one or two of its letters, so that names
// within two slips of a query name are found (SymSpell's deletion neighbourhood): a typo that
// changes a name's phonetic code still reaches the keys of the names it may have meant.
class Pool {
 public:
  uint32_t Intern(std::string_view s) {
    if (s.empty()) return 0;
    if (auto it = ids_.find(s); it != ids_.end()) return it->second;
    values_.emplace_back(s);
    const auto id = static_cast<uint32_t>(values_.size());
    ids_.emplace(values_.back(), id);
    std::vector<uint64_t>& into = bulk_ ? deletes_ : delta_;
    ForEachToken(values_.back(), [&](std::string_view token) {
      if (token.size() < 3 || token.size() > 24) return;
      Variants(token, [&](std::string_view variant) { into.push_back(uint64_t{Hash32(variant)} << 32 | id); });
    });
    if (!bulk_ && delta_.size() > 4096 + deletes_.size() / 16) Seal();
    return id;
  }
  std::string_view Get(uint32_t id) const { return id == 0 ? std::string_view() : values_[id - 1]; }
  size_t size() const { return values_.size(); }

  // While building in bulk, names are indexed unsorted until Seal.
  void BeginBulk() { bulk_ = true; }
  // Sorts the deletion index (after a bulk build, and when the names added since grow large).
  void Seal() {
    deletes_.insert(deletes_.end(), delta_.begin(), delta_.end());
    delta_.clear();
    std::sort(deletes_.begin(), deletes_.end());
    deletes_.erase(std::unique(deletes_.begin(), deletes_.end()), deletes_.end());
    deletes_.shrink_to_fit();
    bulk_ = false;
  }

  // Ids of names with a token within two slips of `query` (a folded token) but not equal to it,
  // at most `limit`.
  void Near(std::string_view query, size_t limit, std::vector<uint32_t>* out) const {
    out->clear();
    if (query.size() < 3 || query.size() > 24) return;
    auto consider = [&](uint32_t id) {
      if (out->size() >= limit || std::find(out->begin(), out->end(), id) != out->end()) return;
      bool near = false;
      ForEachToken(Get(id), [&](std::string_view token) {
        near = near || (token != query && WithinTwoEdits(token, query));
      });
      if (near) out->push_back(id);
    };
    Variants(query, [&](std::string_view variant) {
      const uint64_t key = uint64_t{Hash32(variant)} << 32;
      for (auto it = std::lower_bound(deletes_.begin(), deletes_.end(), key);
           it != deletes_.end() && (*it >> 32) == (key >> 32); ++it) {
        consider(static_cast<uint32_t>(*it));
      }
      for (uint64_t d : delta_) {
        if ((d >> 32) == (key >> 32)) consider(static_cast<uint32_t>(d));
      }
    });
  }

 private:
  static uint32_t Hash32(std::string_view s) { return static_cast<uint32_t>(HashText(s) >> 32); }

  // Calls fn for `word` and every distinct string made by deleting one or two of its letters.
  template <typename Fn>
  static void Variants(std::string_view word, Fn&& fn) {
    fn(word);
    char one[32];
    char two[32];
    for (size_t i = 0; i < word.size(); ++i) {
      if (i > 0 && word[i] == word[i - 1]) continue;  // deleting either of a double gives one string
      size_t n = 0;
      for (size_t k = 0; k < word.size(); ++k) {
        if (k != i) one[n++] = word[k];
      }
      fn(std::string_view(one, n));
      if (word.size() < 5) continue;  // two deletions from a short name match too much
      for (size_t j = i; j < n; ++j) {
        if (j > i && one[j] == one[j - 1]) continue;
        size_t m = 0;
        for (size_t k = 0; k < n; ++k) {
          if (k != j) two[m++] = one[k];
        }
        fn(std::string_view(two, m));
      }
    }
  }

  std::deque<std::string> values_;  // stable addresses for the views in ids_
  std::unordered_map<std::string_view, uint32_t> ids_;
  // Deletion variants: 32-bit hash << 32 | name id, sorted; names interned one at a time wait in
  // delta_ (scanned) until the next Seal.
  std::vector<uint64_t> deletes_;
  std::vector<uint64_t> delta_;
  bool bulk_ = false;
};

// ---- Keys -------------------------------------------------------------------------------------

enum class KeyType : uint64_t {
  kId = 1,
  kNhs,
  kUpn,
  kDobName,
  kDobNames,
  kNamePair,
  kFamilyYear,
  kPostcode,
  kDob,
  kNamesYear,
  kNamesMonthDay,
};

uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint32_t Key(KeyType type, uint64_t value) {
  return static_cast<uint32_t>(Mix(value + static_cast<uint64_t>(type) * 0x9e3779b97f4a7c15ULL) >> 32);
}

uint64_t UnorderedPair(uint32_t a, uint32_t b) { return a < b ? (uint64_t{a} << 32 | b) : (uint64_t{b} << 32 | a); }

std::string_view FirstToken(std::string_view folded) { return folded.substr(0, folded.find(' ')); }

// Given names are coded by the canonical form of their first token (Bill and William agree);
// family names as a whole.
uint32_t GivenPhonetic(std::string_view folded) {
  return folded.empty() ? 0 : PackPhonetic(PhoneticCode(CanonicalGivenName(FirstToken(folded))));
}
uint32_t FamilyPhonetic(std::string_view folded) { return folded.empty() ? 0 : PackPhonetic(PhoneticCode(folded)); }

std::string NormalisePostcodeText(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '\t') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

uint64_t Posting(uint32_t key, uint32_t row) { return uint64_t{key} << 32 | row; }

// ---- Similarity -------------------------------------------------------------------------------

// How alike a query name and an indexed name are, in [0, 1]; 0 is no evidence of a match.
double NameSimilarity(std::string_view q, std::string_view c, bool given) {
  if (q.empty() || c.empty()) return 0;
  if (q == c) return 1.0;
  double s = 0;
  const std::string_view qf = FirstToken(q);
  const std::string_view cf = FirstToken(c);
  if (given) {
    if (qf == cf)
      s = 0.95;  // same first name, other middle names
    else if (CanonicalGivenName(qf) == CanonicalGivenName(cf))
      s = 0.92;  // Bill/William, Mohammed/Muhammad
  }
  if (s >= 0.92) return s;
  const bool long_enough = std::min(q.size(), c.size()) >= 3;
  if (long_enough && (WithinOneEdit(q, c) || (given && qf.size() >= 3 && WithinOneEdit(qf, cf)))) {
    return 0.85;
  }
  if (ShareToken(q, c, 3)) s = std::max(s, 0.8);  // double-barrelled, a middle name used
  if (s == 0 && std::min(q.size(), c.size()) >= 4 &&
      (WithinTwoEdits(q, c) || (given && qf.size() >= 4 && WithinTwoEdits(qf, cf)))) {
    s = 0.65;  // two slips: less than a date of birth a day out (twins' names are often two apart)
  }
  double jw = JaroWinkler(q, c);
  if (given) jw = std::max(jw, JaroWinkler(qf, cf));
  if (jw >= 0.92) s = std::max(s, 0.8);
  if (s > 0) return s;
  const bool same_sound = given ? GivenPhonetic(q) == GivenPhonetic(c) : FamilyPhonetic(q) == FamilyPhonetic(c);
  if (same_sound) return 0.7;
  if (jw >= 0.85) return 0.6;
  return 0;
}

// How many of the eight digits of YYYYMMDD differ.
int DigitsApart(const Date& a, const Date& b) {
  int n = 0;
  auto count = [&](int x, int y, int digits) {
    for (int i = 0; i < digits; ++i, x /= 10, y /= 10) n += x % 10 != y % 10;
  };
  count(a.year, b.year, 4);
  count(a.month, b.month, 2);
  count(a.day, b.day, 2);
  return n;
}

// Whether two dates differ by two neighbouring digits swapped (2012-11-02 / 2012-11-20).
bool DigitsSwapped(const Date& a, const Date& b) {
  const std::string x = a.ToString();
  const std::string y = b.ToString();
  for (size_t i = 0; i + 1 < x.size(); ++i) {
    if (x[i] == y[i]) continue;
    return x[i] == y[i + 1] && x[i + 1] == y[i] && x.compare(i + 2, std::string::npos, y, i + 2) == 0;
  }
  return false;
}

// ---- Query ------------------------------------------------------------------------------------

constexpr double kWeightGiven = 2.0;
constexpr double kWeightFamily = 3.0;
constexpr double kWeightDob = 3.0;
constexpr double kWeightPostcode = 1.5;
constexpr double kWeightIdentifier = 8.0;
constexpr double kMissing = 0.3;  // the child's record lacks the field: neither for nor against

// A broad posting list (name pair, family + year) longer than this is skipped when the query has
// more selective keys: it would add thousands of namesakes at a cost of milliseconds.
constexpr size_t kBroadPostingCap = 300;
// Date of birth + one name's code: skipped above this when both names are asked (the key with
// both codes then finds the child unless one name is badly mistyped).
constexpr size_t kDobNamePostingCap = 256;
// Everyone born on a day (about 1,800 children at 12 million): looked at when the names may be
// mistyped beyond their codes, unless the day is crowded (a default such as 1 January).
constexpr size_t kDobPostingCap = 4'000;
// Both names' codes with the year, or with the day and month (for a mistyped date of birth).
constexpr size_t kNamesDatePostingCap = 1'000;
// Names within two slips of a query name whose codes are tried, and codes per name.
constexpr size_t kNearNames = 12;
constexpr size_t kMaxCodes = 4;
constexpr size_t kMaxCandidates = 50'000;

struct Prepared {
  std::string given;             // folded
  std::string family;            // folded
  uint32_t given_phonetic = 0;   // of the given name, by the given-name rule
  uint32_t family_phonetic = 0;  // of the family name, by the family-name rule
  std::optional<Date> dob;
  uint16_t dob_lo = 0, dob_hi = 0;  // age range as packed dates, inclusive; 0 when none
  std::string postcode;             // upper case, no spaces
  size_t outward = 0;               // district length of `postcode`, 0 when unknown
  bool district_only = false;
  uint64_t nhs = 0;
  uint64_t upn = 0;
};

Date YearsBefore(const Date& d, int years) {
  Date out{d.year - years, d.month, d.day};
  out.day = std::min(out.day, DaysInMonth(out.year, out.month));
  return out;
}

Result<Prepared> Prepare(const SearchQuery& q) {
  Prepared p;
  p.given = FoldName(q.given_name);
  p.family = FoldName(q.family_name);
  p.given_phonetic = GivenPhonetic(p.given);
  p.family_phonetic = FamilyPhonetic(p.family);
  if (q.date_of_birth) {
    if (!q.date_of_birth->IsValid() || PackDate(q.date_of_birth) == 0) {
      return Error::Invalid("date_of_birth", "The date of birth is not a date Kith can search for.");
    }
    p.dob = q.date_of_birth;
  } else if (q.age_from || q.age_to) {
    const int from = q.age_from.value_or(0);
    const int to = q.age_to.value_or(25);
    if (from < 0 || to < from || to > 25) {
      return Error::Invalid(q.age_from ? "age_from" : "age_to",
                            "The age range must run from a lower to a higher age, between 0 and 25.");
    }
    if (!q.today.IsValid()) return Error::Invalid("age_to", "An age range needs today's date.");
    // Aged `to` on today means born after the day `to + 1` years ago.
    p.dob_lo = PackDate(Date::FromDays(YearsBefore(q.today, to + 1).ToDays() + 1));
    p.dob_hi = PackDate(YearsBefore(q.today, from));
    if (p.dob_lo == 0 || p.dob_hi == 0) return Error::Invalid("age_to", "The age range is out of reach.");
  }
  p.postcode = NormalisePostcodeText(q.postcode);
  if (!p.postcode.empty()) {
    p.outward = UkOutwardLength(p.postcode);
    if (p.outward == 0) {
      const bool district = p.postcode.size() >= 2 && p.postcode.size() <= 4 &&
                            std::isalpha(static_cast<unsigned char>(p.postcode[0])) &&
                            std::all_of(p.postcode.begin(), p.postcode.end(),
                                        [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
      if (!district) return Error::Invalid("postcode", "The postcode is not a UK postcode or postcode district.");
      p.district_only = true;
      p.outward = p.postcode.size();
    }
  }
  if (!q.nhs_number.empty()) {
    const std::string nhs = domain::NormaliseNhsNumber(q.nhs_number);
    if (nhs.empty()) return Error::Invalid("nhs_number", "That is not a valid NHS number (check digit).");
    p.nhs = PackNhs(nhs);
  }
  if (!q.upn.empty()) {
    const std::string upn = domain::NormaliseUpn(q.upn);
    if (upn.empty()) return Error::Invalid("upn", "That is not a valid UPN (check letter).");
    p.upn = PackUpn(upn);
  }
  const int parts = !p.given.empty() + !p.family.empty() + (p.dob || p.dob_lo) + !p.postcode.empty();
  if (p.nhs == 0 && p.upn == 0 && parts < 2) {
    return Error::Invalid("family_name",
                          "Give an NHS number or UPN, or at least two of: given name, family name, date of "
                          "birth (or age range) and postcode.");
  }
  return p;
}

// Dates a mistyped date of birth may have been meant as: day and month swapped, a day either
// side, and every valid date one digit away. The exact date comes first.
std::vector<uint16_t> DateVariants(const Date& d, bool all_one_digit) {
  std::vector<uint16_t> out{PackDate(d)};
  auto add = [&](const Date& v) {
    const uint16_t packed = v.IsValid() ? PackDate(v) : 0;
    if (packed != 0 && std::find(out.begin(), out.end(), packed) == out.end()) out.push_back(packed);
  };
  add(Date{d.year, d.day, d.month});
  add(Date::FromDays(d.ToDays() - 1));
  add(Date::FromDays(d.ToDays() + 1));
  if (all_one_digit) {
    const std::string text = d.ToString();  // YYYY-MM-DD
    for (size_t i : {2, 5, 8}) {  // the digits of the decade, month or day swapped
      std::string v = text;
      std::swap(v[i], v[i + 1]);
      if (auto parsed = Date::Parse(v)) add(*parsed);
    }
    for (size_t i : {2, 3, 5, 6, 8, 9}) {
      for (char digit = '0'; digit <= '9'; ++digit) {
        if (digit == text[i]) continue;
        std::string v = text;
        v[i] = digit;
        if (auto parsed = Date::Parse(v)) add(*parsed);
      }
    }
  }
  return out;
}

}  // namespace

// ---- The index --------------------------------------------------------------------------------

struct SearchIndex::Impl {
  mutable std::shared_mutex mutex;
  RowStore rows;
  IdArena ids;
  Pool names;
  std::vector<uint64_t> base;   // sorted postings (key << 32 | row)
  std::vector<uint64_t> delta;  // sorted postings added since the last merge
  static constexpr int kDirectoryBits = 20;
  std::vector<uint32_t> directory;  // see BuildDirectory

  Row MakeRow(const IndexedChild& c) {
    Row r;
    r.given = names.Intern(FoldName(c.given_names));
    r.family = names.Intern(FoldName(c.family_name));
    r.postcode = PackPostcode(NormalisePostcodeText(c.postcode));
    r.nhs_dob_flags = PackNhs(domain::NormaliseNhsNumber(c.nhs_number)) |
                      (static_cast<uint64_t>(PackDate(c.date_of_birth)) << 34) | (c.shielded ? Row::kShielded : 0);
    r.upn = PackUpn(domain::NormaliseUpn(c.upn));
    return r;
  }

  // Every key a row is found under.
  void RowKeys(const Row& r, std::string_view id, std::vector<uint32_t>* out) const {
    out->clear();
    out->push_back(Key(KeyType::kId, HashText(id)));
    if (r.Nhs() != 0) out->push_back(Key(KeyType::kNhs, r.Nhs()));
    if (r.upn != 0) out->push_back(Key(KeyType::kUpn, r.upn));
    const uint32_t gp = GivenPhonetic(names.Get(r.given));
    const uint32_t fp = FamilyPhonetic(names.Get(r.family));
    const uint64_t dob = r.Dob();
    if (dob != 0) {
      if (gp != 0) out->push_back(Key(KeyType::kDobName, dob << 32 | gp));
      if (fp != 0 && fp != gp) out->push_back(Key(KeyType::kDobName, dob << 32 | fp));
      if (gp != 0 && fp != 0) out->push_back(Key(KeyType::kDobNames, Mix(UnorderedPair(gp, fp)) ^ dob));
      if (fp != 0)
        out->push_back(Key(KeyType::kFamilyYear, uint64_t{fp} << 16 | static_cast<uint64_t>(UnpackDate(r.Dob()).year)));
    }
    if (gp != 0 && fp != 0) out->push_back(Key(KeyType::kNamePair, UnorderedPair(gp, fp)));
    if (r.postcode != 0) out->push_back(Key(KeyType::kPostcode, r.postcode));
    if (dob != 0) {
      out->push_back(Key(KeyType::kDob, dob));
      if (gp != 0 && fp != 0) {
        const Date d = UnpackDate(r.Dob());
        out->push_back(Key(KeyType::kNamesYear, Mix(UnorderedPair(gp, fp)) ^ static_cast<uint64_t>(d.year)));
        out->push_back(
            Key(KeyType::kNamesMonthDay, Mix(UnorderedPair(gp, fp)) ^ static_cast<uint64_t>(d.month * 32 + d.day)));
      }
    }
  }

  // The postings under `key` in `base` (narrowed by the directory) and in `delta`.
  using Span = std::pair<const uint64_t*, const uint64_t*>;
  std::array<Span, 2> Find(uint32_t key) const {
    const uint64_t lo_key = uint64_t{key} << 32;
    const uint64_t hi_key = (uint64_t{key} + 1) << 32;
    const uint32_t bucket = key >> (32 - kDirectoryBits);
    const uint64_t* b0 = base.data() + (directory.empty() ? 0 : directory[bucket]);
    const uint64_t* b1 = base.data() + (directory.empty() ? base.size() : directory[bucket + 1]);
    const uint64_t* lo = std::lower_bound(b0, b1, lo_key);
    const uint64_t* d_lo = std::lower_bound(delta.data(), delta.data() + delta.size(), lo_key);
    return {Span{lo, std::lower_bound(lo, b1, hi_key)},
            Span{d_lo, std::lower_bound(d_lo, delta.data() + delta.size(), hi_key)}};
  }
  size_t Count(uint32_t key) const {
    size_t n = 0;
    for (const auto& [b, e] : Find(key)) n += static_cast<size_t>(e - b);
    return n;
  }
  void Collect(uint32_t key, std::vector<uint32_t>* out) const {
    for (const auto& [b, e] : Find(key)) {
      for (const uint64_t* it = b; it != e && out->size() < kMaxCandidates; ++it) {
        out->push_back(static_cast<uint32_t>(*it));
      }
    }
  }

  // directory[b] is the first posting in `base` whose key's top kDirectoryBits bits are >= b:
  // a lookup then searches a few hundred postings instead of a hundred million.
  void BuildDirectory() {
    directory.assign((size_t{1} << kDirectoryBits) + 1, 0);
    size_t at = 0;
    for (size_t b = 0; b <= (size_t{1} << kDirectoryBits); ++b) {
      while (at < base.size() && (base[at] >> (64 - kDirectoryBits)) < b) ++at;
      directory[b] = static_cast<uint32_t>(at);
    }
  }

  std::optional<uint32_t> FindId(std::string_view id) const {
    for (const auto& [b, e] : Find(Key(KeyType::kId, HashText(id)))) {
      for (const uint64_t* it = b; it != e; ++it) {
        const auto row = static_cast<uint32_t>(*it);
        if (ids.Get(rows[row].id_ref) == id) return row;
      }
    }
    return std::nullopt;
  }

  void AddDelta(uint64_t posting) {
    const auto at = std::lower_bound(delta.begin(), delta.end(), posting);
    if (at != delta.end() && *at == posting) return;
    delta.insert(at, posting);
  }

  void MaybeMerge() {
    if (delta.size() <= std::max<size_t>(size_t{1} << 16, base.size() / 16)) return;
    std::vector<uint64_t> merged;
    merged.reserve(base.size() + delta.size());
    std::merge(base.begin(), base.end(), delta.begin(), delta.end(), std::back_inserter(merged));
    base = std::move(merged);
    BuildDirectory();
    delta.clear();
    delta.shrink_to_fit();
  }
};

namespace {

// Per-query memo of name similarities by pool id: common names recur among candidates.
class NameMemo {
 public:
  NameMemo(const Pool& pool, std::string_view query, bool given) : pool_(pool), query_(query), given_(given) {}
  double operator()(uint32_t id) {
    if (query_.empty()) return 0;
    if (id == 0) return -1;  // missing
    auto [it, inserted] = memo_.try_emplace(id, 0.0);
    if (inserted) it->second = NameSimilarity(query_, pool_.Get(id), given_);
    return it->second;
  }

 private:
  const Pool& pool_;
  std::string_view query_;
  bool given_;
  std::unordered_map<uint32_t, double> memo_;
};

}  // namespace

SearchIndex::SearchIndex() : impl_(std::make_unique<Impl>()) {}
SearchIndex::~SearchIndex() = default;

size_t SearchIndex::Size() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->rows.size();
}

Status SearchIndex::Upsert(const IndexedChild& child) {
  if (child.id.empty() || child.id.size() > 255) return Error::Invalid("id", "An id must have 1 to 255 bytes.");
  std::unique_lock lock(impl_->mutex);
  Impl& x = *impl_;
  Row row = x.MakeRow(child);
  std::vector<uint32_t> keys;
  x.RowKeys(row, child.id, &keys);
  uint32_t at;
  if (auto existing = x.FindId(child.id)) {
    at = *existing;
    std::vector<uint32_t> old_keys;
    x.RowKeys(x.rows[at], child.id, &old_keys);
    row.id_ref = x.rows[at].id_ref;
    x.rows[at] = row;
    // Postings under the old values stay: they only add candidates scored on the new values.
    for (uint32_t k : keys) {
      if (std::find(old_keys.begin(), old_keys.end(), k) == old_keys.end()) x.AddDelta(Posting(k, at));
    }
  } else {
    at = static_cast<uint32_t>(x.rows.size());
    row.id_ref = x.ids.Append(child.id);
    x.rows.push_back(row);
    for (uint32_t k : keys) x.AddDelta(Posting(k, at));
  }
  x.MaybeMerge();
  return Ok{};
}

Result<SearchResults> SearchIndex::Search(const SearchQuery& query, size_t limit) const {
  auto prepared = Prepare(query);
  if (!prepared) return prepared.error();
  const Prepared& q = *prepared;
  limit = std::min(limit, kMaxResults);

  std::shared_lock lock(impl_->mutex);
  const Impl& x = *impl_;

  // Candidate generation: selective keys first; broad ones only when affordable.
  std::vector<uint32_t> narrow;
  std::vector<uint32_t> broad;
  if (q.nhs) narrow.push_back(Key(KeyType::kNhs, q.nhs));
  if (q.upn) narrow.push_back(Key(KeyType::kUpn, q.upn));
  const uint32_t gp = q.given_phonetic;
  const uint32_t fp = q.family_phonetic;
  // The query's names coded by the other rule, for given and family names swapped.
  const uint32_t gp_as_family = FamilyPhonetic(q.given);
  const uint32_t fp_as_given = GivenPhonetic(q.family);
  // Codes of the names the query's names may have been meant as: names in the index within
  // two slips (a typo that changes the phonetic code would otherwise miss the child's keys).
  std::vector<uint32_t> given_codes, family_codes;
  {
    std::vector<uint32_t> near;
    auto add = [](std::vector<uint32_t>* codes, uint32_t code) {
      if (code != 0 && std::find(codes->begin(), codes->end(), code) == codes->end()) codes->push_back(code);
    };
    add(&given_codes, gp);
    add(&family_codes, fp);
    if (gp != 0) {
      x.names.Near(FirstToken(q.given), kNearNames, &near);
      for (uint32_t id : near) add(&given_codes, GivenPhonetic(x.names.Get(id)));
    }
    if (fp != 0) {
      x.names.Near(FirstToken(q.family), kNearNames, &near);
      for (uint32_t id : near) add(&family_codes, FamilyPhonetic(x.names.Get(id)));
    }
    if (given_codes.size() > kMaxCodes) given_codes.resize(kMaxCodes);
    if (family_codes.size() > kMaxCodes) family_codes.resize(kMaxCodes);
  }
  auto capped = [&](uint32_t key, size_t cap) {
    if (x.Count(key) <= cap) narrow.push_back(key);
  };
  if (q.dob) {
    const bool both_names = gp != 0 && fp != 0;
    const std::vector<uint16_t> dates = DateVariants(*q.dob, both_names);
    for (size_t i = 0; i < dates.size(); ++i) {
      const uint64_t d = dates[i];
      if (both_names) {
        narrow.push_back(Key(KeyType::kDobNames, Mix(UnorderedPair(gp, fp)) ^ d));
        if (fp_as_given != gp || gp_as_family != fp) {
          narrow.push_back(Key(KeyType::kDobNames, Mix(UnorderedPair(fp_as_given, gp_as_family)) ^ d));
        }
        if (i < 4) {  // exact, day and month swapped, a day either side: with the names meant
          for (uint32_t g : given_codes) {
            for (uint32_t f : family_codes) {
              if (g != gp || f != fp) narrow.push_back(Key(KeyType::kDobNames, Mix(UnorderedPair(g, f)) ^ d));
            }
          }
        }
      }
      if (i < 2) {  // exact, or day and month swapped: one name may be badly mistyped
        for (uint32_t code : {gp, fp}) {
          if (code == 0) continue;
          const uint32_t key = Key(KeyType::kDobName, d << 32 | code);
          if (!both_names) {
            narrow.push_back(key);
          } else {
            capped(key, kDobNamePostingCap);
          }
        }
      }
    }
    // Everyone born on the day: both names may be mistyped beyond their codes.
    capped(Key(KeyType::kDob, dates[0]), kDobPostingCap);
    if (both_names) {
      // A mistyped date of birth: the names with the year, or with the day and month.
      for (uint32_t g : given_codes) {
        for (uint32_t f : family_codes) {
          const uint64_t names = Mix(UnorderedPair(g, f));
          capped(Key(KeyType::kNamesYear, names ^ static_cast<uint64_t>(q.dob->year)), kNamesDatePostingCap);
          capped(Key(KeyType::kNamesMonthDay, names ^ static_cast<uint64_t>(q.dob->month * 32 + q.dob->day)),
                 kNamesDatePostingCap);
        }
      }
    }
  }
  if (!q.postcode.empty() && !q.district_only) narrow.push_back(Key(KeyType::kPostcode, PackPostcode(q.postcode)));
  if (gp != 0 && fp != 0) {
    broad.push_back(Key(KeyType::kNamePair, UnorderedPair(gp, fp)));
    broad.push_back(Key(KeyType::kNamePair, UnorderedPair(fp_as_given, gp_as_family)));
  }
  {
    int y0 = 0, y1 = -1;
    if (q.dob) y0 = y1 = q.dob->year;
    if (q.dob_lo) y0 = UnpackDate(q.dob_lo).year, y1 = UnpackDate(q.dob_hi).year;
    for (int y = y0; y <= y1; ++y) {
      if (fp != 0) broad.push_back(Key(KeyType::kFamilyYear, uint64_t{fp} << 16 | static_cast<uint64_t>(y)));
      if (fp != 0 && gp_as_family != 0 && gp_as_family != fp) {  // names swapped
        broad.push_back(Key(KeyType::kFamilyYear, uint64_t{gp_as_family} << 16 | static_cast<uint64_t>(y)));
      }
    }
  }
  if (narrow.empty() && broad.empty()) {
    return Error::Invalid("family_name",
                          "Add a family name, a date of birth, a full postcode, an NHS number or a UPN to search.");
  }
  std::sort(narrow.begin(), narrow.end());
  narrow.erase(std::unique(narrow.begin(), narrow.end()), narrow.end());
  std::sort(broad.begin(), broad.end());
  broad.erase(std::unique(broad.begin(), broad.end()), broad.end());
  std::vector<uint32_t> candidates;
  for (uint32_t k : narrow) x.Collect(k, &candidates);
  for (uint32_t k : broad) {
    if (!narrow.empty() && x.Count(k) > kBroadPostingCap) continue;
    x.Collect(k, &candidates);
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  // Scoring.
  NameMemo given_sim(x.names, q.given, true);
  NameMemo family_sim(x.names, q.family, false);
  NameMemo given_as_family(x.names, q.given, false);
  NameMemo family_as_given(x.names, q.family, true);
  struct Scored {
    double score;
    uint32_t row;
  };
  std::vector<Scored> scored;
  const uint16_t q_dob = PackDate(q.dob);
  for (uint32_t r : candidates) {
    const Row& row = x.rows[r];
    const uint16_t cdob = row.Dob();
    if (row.Shielded()) {
      // Only an exact name and date of birth finds a shielded child, whatever else was asked.
      if (q.dob && !q.given.empty() && !q.family.empty() && cdob == q_dob && x.names.Get(row.given) == q.given &&
          x.names.Get(row.family) == q.family) {
        scored.push_back({1.0, r});
      }
      continue;
    }
    double sum = 0, weights = 0;
    bool identifier_agrees = false;
    auto field = [&](double weight, double similarity) {
      weights += weight;
      sum += weight * (similarity < 0 ? kMissing : similarity);
    };
    if (q.nhs) {
      field(kWeightIdentifier, row.Nhs() == 0 ? -1 : row.Nhs() == q.nhs ? 1 : 0);
      identifier_agrees |= row.Nhs() == q.nhs;
    }
    if (q.upn) {
      field(kWeightIdentifier, row.upn == 0 ? -1 : row.upn == q.upn ? 1 : 0);
      identifier_agrees |= row.upn == q.upn;
    }
    double g = given_sim(row.given);
    double f = family_sim(row.family);
    if (!q.given.empty() && !q.family.empty()) {
      const double g2 = given_as_family(row.family);
      const double f2 = family_as_given(row.given);
      if (0.95 * (kWeightGiven * g2 + kWeightFamily * f2) >
          kWeightGiven * std::max(g, 0.0) + kWeightFamily * std::max(f, 0.0)) {
        g = 0.95 * g2;
        f = 0.95 * f2;
      }
    }
    double dob_sim = -1;
    if (cdob != 0 && q.dob) {
      const int gap = static_cast<int>(cdob) - static_cast<int>(q_dob);
      if (gap == 0) {
        dob_sim = 1;
      } else {
        const Date c = UnpackDate(cdob);
        const Date& d = *q.dob;
        if (c.year == d.year && c.month == d.day && c.day == d.month)
          dob_sim = 0.85;
        else if (gap == 1 || gap == -1)
          dob_sim = 0.8;
        else if (DigitsApart(c, d) == 1 || DigitsSwapped(c, d))
          dob_sim = 0.75;
        else
          dob_sim = 0;
      }
    } else if (cdob != 0 && q.dob_lo) {
      dob_sim = cdob >= q.dob_lo && cdob <= q.dob_hi ? 1 : 0;
    }
    if (!q.given.empty()) field(kWeightGiven, g);
    if (!q.family.empty()) field(kWeightFamily, f);
    if (q.dob || q.dob_lo) field(kWeightDob, dob_sim);
    if (!q.postcode.empty()) {
      double s = -1;
      if (row.postcode != 0) {
        const std::string c_text = UnpackPostcode(row.postcode);
        const std::string_view c = c_text;
        const size_t c_out = PostcodeOutward(row.postcode);
        const std::string_view q_district = std::string_view(q.postcode).substr(0, q.outward);
        const std::string_view c_district = c.substr(0, c_out);
        if (q.district_only)
          s = q_district == c_district ? 1 : 0;
        else if (c == q.postcode)
          s = 1;
        else if (q_district == c_district && c.size() > c_out && q.postcode[q.outward] == c[c_out])
          s = 0.7;
        else if (q_district == c_district)
          s = 0.5;
        else
          s = 0;
      }
      field(kWeightPostcode, s);
    }
    if (!identifier_agrees) {
      // Every name asked for must show some likeness, except that one may differ outright (a
      // new surname, a name the table does not know) when the other and the date agree well.
      const bool dob_strong = dob_sim >= 0.8;
      if (!q.given.empty() && g <= 0 && !(f >= 0.85 && dob_strong)) continue;
      if (!q.family.empty() && f <= 0 && !(g >= 0.85 && dob_strong)) continue;
      if (q.dob_lo && dob_sim == 0) continue;  // an age range is a filter
    }
    const double score = sum / weights;
    if (score >= kMinScore) scored.push_back({score, r});
  }

  SearchResults out;
  out.candidates = candidates.size();
  out.truncated = scored.size() > limit;
  const size_t n = std::min(limit, scored.size());
  std::partial_sort(
      scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(n), scored.end(),
      [](const Scored& a, const Scored& b) { return a.score != b.score ? a.score > b.score : a.row < b.row; });
  for (size_t i = 0; i < n; ++i) {
    const Row& row = x.rows[scored[i].row];
    SearchHit hit;
    hit.id = std::string(x.ids.Get(row.id_ref));
    hit.score = scored[i].score;
    hit.shielded = row.Shielded();
    if (!hit.shielded && row.postcode != 0) {
      hit.postcode_district = UnpackPostcode(row.postcode).substr(0, PostcodeOutward(row.postcode));
    }
    out.hits.push_back(std::move(hit));
  }
  return out;
}

// ---- Builder ----------------------------------------------------------------------------------

SearchIndexBuilder::SearchIndexBuilder() : index_(std::make_unique<SearchIndex>()) { index_->impl_->names.BeginBulk(); }
SearchIndexBuilder::~SearchIndexBuilder() = default;

void SearchIndexBuilder::Reserve(size_t children) { index_->impl_->base.reserve(children * 12); }

size_t SearchIndexBuilder::Size() const { return index_->impl_->rows.size(); }

Status SearchIndexBuilder::Add(const IndexedChild& child) {
  if (child.id.empty() || child.id.size() > 255) return Error::Invalid("id", "An id must have 1 to 255 bytes.");
  SearchIndex::Impl& x = *index_->impl_;
  Row row = x.MakeRow(child);
  row.id_ref = x.ids.Append(child.id);
  const auto at = static_cast<uint32_t>(x.rows.size());
  x.rows.push_back(row);
  thread_local std::vector<uint32_t> keys;
  x.RowKeys(row, child.id, &keys);
  for (uint32_t k : keys) x.base.push_back(Posting(k, at));
  return Ok{};
}

std::unique_ptr<SearchIndex> SearchIndexBuilder::Finish(unsigned threads) {
  std::vector<uint64_t>& v = index_->impl_->base;
  v.shrink_to_fit();
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(1, v.size() / 100'000)));
  // Sort equal slices in parallel, then merge them pairwise.
  std::vector<size_t> bounds;
  for (unsigned t = 0; t <= threads; ++t) bounds.push_back(v.size() * t / threads);
  {
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        std::sort(v.begin() + static_cast<std::ptrdiff_t>(bounds[t]),
                  v.begin() + static_cast<std::ptrdiff_t>(bounds[t + 1]));
      });
    }
    for (auto& w : workers) w.join();
  }
  for (size_t width = 1; width < threads; width *= 2) {
    for (size_t t = 0; t + width < threads; t += 2 * width) {
      const size_t end = bounds[std::min<size_t>(t + 2 * width, threads)];
      std::inplace_merge(v.begin() + static_cast<std::ptrdiff_t>(bounds[t]),
                         v.begin() + static_cast<std::ptrdiff_t>(bounds[t + width]),
                         v.begin() + static_cast<std::ptrdiff_t>(end));
    }
  }
  index_->impl_->BuildDirectory();
  index_->impl_->names.Seal();
  auto out = std::move(index_);
  index_ = std::make_unique<SearchIndex>();
  index_->impl_->names.BeginBulk();
  return out;
}

}  // namespace kith::linkage
