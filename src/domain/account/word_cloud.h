// The word cloud of a child's account: the words and two-word phrases that come up most in the
// chronology and forum, weighted by how distinctive they are for this child compared with all
// children, kept current one entry at a time.
//
// Pipeline (see docs/account-analyses.md):
//  1. Tokenise: UTF-8; a word is a run of letters; case is folded (ASCII, Latin-1, Latin
//     Extended-A, Greek and Cyrillic); an apostrophe between two letters stays in the word
//     ("o'neill", "don't") and a trailing possessive "'s" is dropped ("mum's" -> "mum"); digits
//     and punctuation split words; one-letter words are dropped.
//  2. Drop stop words (a built-in English list), filler words of case recording ("given",
//     "ate", "visitor": they describe the recording, not the child), and words a negation
//     governs: "No concerns raised" says nothing about concerns, so neither "concerns" nor
//     "concerns raised" counts. A negation ("no", "not", "never", "denies", "didn't", ...) covers
//     up to kNegationWindow following words within its clause, ended early by "but",
//     "however", "although", "though", "except", "whereas", "yet". "not brought", "not seen"
//     and "not attended" are safeguarding terms in their own right and stay whole.
//  3. Stem: fold inflections with the inflectional steps of Porter's algorithm, so "bruise",
//     "bruises", "bruised", "bruising" are one term; the display form is the term's most
//     frequent surface form.
//  4. Phrases: two adjacent non-stop words within one clause (no punctuation between them) form
//     a phrase term ("domestic abuse"); a phrase counts (in the cloud and in CorpusStats) only
//     once it recurs, kMinPhraseCount times for the child.
//  5. Weight: sublinear TF-IDF, with children as the documents (see Weight in word_cloud.cpp).
//     The safeguarding vocabulary (injuries, neglect, domestic abuse, exploitation, missed
//     health care...) is exempt from the corpus down-weighting (weighed as if no other child
//     used it, so another child's burn never pushes this child's burn out) and is weighted
//     kSafeguardingBoost times, so the words a reviewer looks for are not crowded out by
//     filler; safeguarding phrases ("cut lip", "head injury") count from one occurrence
//     and keep up to a quarter of the cloud's places whatever their weight (TermIndex::Top).
//
// Incremental: a TermIndex holds one child's term counts and can Add or Remove a single entry
// (a chronology entry or a forum post) in time proportional to that entry's length; CorpusStats
// holds, for each term, how many children use it, and is updated from the deltas that Add and
// Remove return.
#pragma once

#include <cstdint>
#include <functional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kith::domain {

inline constexpr int kMinPhraseCount = 2;
inline constexpr int kNegationWindow = 5;
inline constexpr double kSafeguardingBoost = 1.5;

// --- Text processing (exposed for tests and for search to share) ---------------------------

struct Token {
  std::string surface;        // case-folded word as written, e.g. "bruised"; "not brought" is one
  bool clause_start = false;  // punctuation or a line break came before it: no phrase across
  bool negated = false;       // inside a negation's scope (step 2): not counted
};

// Splits text into case-folded words (step 1 above) and marks the words a negation governs.
// Stop and filler words are kept; see IsStopWord and IsFillerWord.
std::vector<Token> Tokenise(std::string_view text);
// True for the built-in English stop words (case-folded input).
bool IsStopWord(std::string_view folded_word);
// True for words of the recording rather than the child ("given", "ate", "visitor", "seen").
bool IsFillerWord(std::string_view folded_word);
// True for a term (a stemmed key, as CloudTerm::term) of the safeguarding vocabulary: a word
// ("bruis", "burn", "neglect") or a phrase ("cut lip", "domestic abus").
bool IsSafeguardingTerm(std::string_view term);
// Porter's steps 1a, 1b, 1c, 5a and 5b on a case-folded ASCII word; other words are returned
// unchanged. The derivational steps 2-4 are left out on purpose: they merge words a
// practitioner would keep apart ("organ"/"organisation", "general"/"generate").
std::string Stem(std::string_view folded_word);

// --- Corpus-wide statistics ------------------------------------------------------------------

// Lets the maps below be searched with a string_view without building a string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// What an Add or Remove changed in a child's set of terms: terms that the child now uses for
// the first time (a phrase: now recurs), terms it no longer uses (a phrase: no longer recurs), and
// whether the child's account went from empty to non-empty (+1) or back (-1). Apply it to
// CorpusStats.
struct TermDelta {
  std::vector<std::string> appeared;
  std::vector<std::string> disappeared;
  int documents = 0;
};

// Document frequency of every term across all children (a child is one document), and the
// number of children with any text.
// Thread safety: all methods may be called concurrently from any thread (a shared mutex: many
// readers, one writer). Built at start-up by applying each child's delta from an empty
// TermIndex; the serving process then applies each Add/Remove delta as it happens.
class CorpusStats {
 public:
  void Apply(const TermDelta& delta);
  // Forgets everything, then applies `all` (the whole corpus as one delta).
  void Reset(const TermDelta& all);

  int64_t documents() const;
  int64_t DocumentFrequency(std::string_view term) const;
  // Document frequencies for many terms under one lock (Top uses it); out[i] is for terms[i].
  void DocumentFrequencies(std::span<const std::string* const> terms, std::vector<int64_t>& out) const;

 private:
  mutable std::shared_mutex mutex_;
  int64_t documents_ = 0;
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> document_frequency_;
};

// --- One child's index -----------------------------------------------------------------------

struct TopOptions {
  size_t n = 50;
  // Names of the child and family: words of these names (tokenised, stemmed) are left out of
  // the cloud, and so is any phrase containing one, so names do not dominate it. Applied at
  // query time, so a name change needs no re-indexing.
  std::vector<std::string> excluded_names;
  int min_word_count = 1;
  // At most this many entry ids per term (the most recently added first); entry_count always
  // gives the full number and TermIndex::EntriesFor the full list.
  size_t max_entry_ids = 100;
};

struct CloudTerm {
  std::string term;     // the stemmed key, e.g. "bruis" or "domest abus" (stable for a child)
  std::string display;  // the most frequent surface form, e.g. "bruises", "domestic abuse"
  bool phrase = false;
  bool safeguarding = false;  // of the safeguarding vocabulary (weighted up)
  int count = 0;              // occurrences in the child's text
  double weight = 0;          // sublinear TF-IDF; larger is more prominent
  size_t entry_count = 0;
  std::vector<std::string> entry_ids;
};

// Thread safety: not synchronised. One TermIndex belongs to one child; the caller serialises
// Add/Remove/Top on it (e.g. under the child's lock). It only reads CorpusStats, which is safe.
class TermIndex {
 public:
  TermIndex() = default;
  TermIndex(const TermIndex&) = delete;
  TermIndex& operator=(const TermIndex&) = delete;
  TermIndex(TermIndex&&) = default;
  TermIndex& operator=(TermIndex&&) = default;

  // Indexes the text of one entry or post. Adding an id already present replaces its text.
  TermDelta Add(std::string_view entry_id, std::string_view text);
  // Forgets an entry (e.g. a superseded version). Unknown ids change nothing.
  TermDelta Remove(std::string_view entry_id);

  // The n heaviest terms, heaviest first (ties by term), weighted against `corpus`; the
  // safeguarding phrases present take up to n / 4 of the places first, heaviest first.
  std::vector<CloudTerm> Top(const CorpusStats& corpus, const TopOptions& options = {}) const;
  // Every entry holding the term (a CloudTerm::term), in the order they were added.
  std::vector<std::string> EntriesFor(std::string_view term) const;

  size_t entry_count() const { return entry_slots_.size(); }
  // The heap this index holds, approximately: its terms, surface forms, entry ids, occurrences
  // and postings, without the containers' spare capacity or the allocator's own overhead (0.7 to
  // 0.8 of what glibc's malloc holds for short case notes). Kept as the index changes; O(1).
  size_t approximate_bytes() const { return bytes_; }
  // Distinct words and phrases currently used at least once (phrases below kMinPhraseCount
  // included).
  size_t term_count() const { return live_terms_; }

 private:
  using TermId = uint32_t;
  using Slot = uint32_t;

  struct Surface {
    std::string text;
    int count = 0;
  };
  struct TermData {
    std::string key;
    bool phrase = false;
    bool safeguarding = false;
    int min_count = 1;             // uses before it counts: kMinPhraseCount for ordinary phrases
    TermId first = 0, second = 0;  // a phrase's component word terms
    int count = 0;
    std::vector<Surface> surfaces;
    std::vector<Slot> slots;  // entries holding the term; ascending, as slots only grow
  };
  struct Occurrence {
    TermId term;
    uint32_t surface;  // index into TermData::surfaces
    int count;
  };

  TermId Intern(std::string_view key, bool phrase, TermId first, TermId second);
  // Adds `count` uses of a surface form; returns its index in term.surfaces.
  uint32_t AddSurface(TermData& term, std::string_view surface, int count);

  std::vector<TermData> terms_;
  std::unordered_map<std::string, TermId, StringHash, std::equal_to<>> term_ids_;
  size_t live_terms_ = 0;
  std::vector<std::string> slot_ids_;  // entry id of each slot ever issued
  std::unordered_map<std::string, Slot, StringHash, std::equal_to<>> entry_slots_;
  std::vector<std::vector<Occurrence>> occurrences_;  // per slot; emptied on Remove
  size_t bytes_ = 0;                                  // approximate_bytes()
};

}  // namespace kith::domain
