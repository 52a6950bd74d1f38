// Name and text normalisation and string similarity for record linkage and search: folding of
// accents and case, a nickname and transliteration table (William→Bill, Mohammed→Muhammad), a
// phonetic code, Jaro–Winkler similarity and one-edit tests.
// The similarity functions take string_views and never allocate, so they can sit in the hot
// loop of pair comparison and of a search index. Strings are folded ASCII (see FoldName);
// behaviour on other bytes is defined but not meaningful.
// Thread safety: all functions are pure and safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kith::linkage {

// Folds a UTF-8 name to lower-case ASCII letters: accented Latin letters lose their accents
// (é→e, ß→ss, æ→ae), apostrophes are dropped (O'Brien→obrien), and any run of other separators
// (spaces, hyphens, dots, commas, digits) becomes one space between tokens; letters glued to
// digits are an ordinal and dropped ("1st Baron" → "baron"). Unknown non-ASCII
// characters are dropped. Returns "" when nothing alphabetic remains.
std::string FoldName(std::string_view utf8);

// As FoldName but keeps digits as part of tokens: for addresses, places and free text.
std::string FoldText(std::string_view utf8);

// The canonical form of a folded given name under the nickname and transliteration table
// (bill→william, mohammed→muhammad, kate→katherine). Returns `folded` itself when it is not in
// the table. The returned view points into static storage or into `folded`.
std::string_view CanonicalGivenName(std::string_view folded);

// `folded` (a given name, FoldName) without its leading titles and honorifics ("sir walter" →
// "walter", "rt hon" → ""): a title is no given name, and one in the given-name column would
// otherwise count as a given name different from the person's own. Words that are also given
// names (King, Major, Prince) are kept.
std::string_view WithoutLeadingTitles(std::string_view folded);

// Given names that are one name beyond the single canonical of the nickname table: a short form
// of several names (Fred: Frederick and Alfred; Bert: Albert, Herbert and Robert), and forms of
// a name in other languages (Carl, Karl, Carlos: Charles; Gwilym, Wilhelm: William; Jean,
// Johannes, Giovanni: John). Names that English-speaking parents give as names in their own
// right, so that twins may carry both (Jacob and James, Ian and John, Hannah and Anne), are not
// grouped. A name may be in several groups; two names are the same name when their groups meet.
struct GivenNameGroups {
  uint64_t bits[2] = {0, 0};
  bool Meets(const GivenNameGroups& other) const {
    return ((bits[0] & other.bits[0]) | (bits[1] & other.bits[1])) != 0;
  }
  bool empty() const { return (bits[0] | bits[1]) == 0; }
};
// The groups of a folded name (one token); empty when it is in none.
GivenNameGroups GivenNameGroupsOf(std::string_view folded);

// Whether two folded tokens are one given name by the nickname table or a name group (tom and
// thomas, fred and alfred) though spelt differently; false when either is in neither table.
// For comparing names that may sit in any position of a full name; a hash lookup per token.
bool SameGivenName(std::string_view a, std::string_view b);
// Whether a folded token is in the nickname table (as a variant or a canonical) or a name group:
// a cheap test before SameGivenName.
bool IsKnownGivenName(std::string_view folded);

// A four-character phonetic code in the style of Soundex, with the first letter itself coded so
// that Catherine/Katherine, Phillip/Filip and Gerald/Jerald share a code. Letters only; returns
// "" for a name without letters.
std::string PhoneticCode(std::string_view folded);

// Jaro–Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4). Strings longer than 64
// bytes are compared on their first 64 bytes. Two empty strings give 1.
double JaroWinkler(std::string_view a, std::string_view b);

// True when a and b differ by at most one substitution, insertion, deletion or transposition
// of adjacent characters (restricted Damerau–Levenshtein distance ≤ 1).
bool WithinOneEdit(std::string_view a, std::string_view b);

// True when a and b are at most two edits apart (substitutions, insertions, deletions and
// transpositions of adjacent characters; restricted Damerau–Levenshtein distance ≤ 2): two
// slips of the keyboard. Strings longer than 64 bytes are never within two edits. No allocation.
bool WithinTwoEdits(std::string_view a, std::string_view b);

// Number of positions at which equal-length strings differ; SIZE_MAX when lengths differ.
size_t HammingDistance(std::string_view a, std::string_view b);

// Calls fn(token) for each space-separated token of folded text.
template <typename Fn>
void ForEachToken(std::string_view text, Fn&& fn) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) fn(text.substr(start, end - start));
    start = end + 1;
  }
}

// True when one token (space-separated) of a equals one token of b. Tokens of fewer than
// `min_length` characters are ignored.
bool ShareToken(std::string_view a, std::string_view b, size_t min_length = 2);

}  // namespace kith::linkage
