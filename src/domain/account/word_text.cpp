// Tokenise, IsStopWord, IsFillerWord, IsSafeguardingTerm and Stem (declared in word_cloud.h):
// the text side of the word cloud.
#include <algorithm>
#include <array>
#include <string>
#include <unordered_set>

#include "common/utf8.h"
#include "domain/account/word_cloud.h"

namespace kith::domain {
namespace {

constexpr size_t kMaxWordChars = 40;  // longer runs are unsegmented scripts or junk

// Letters of the scripts a case record in England plausibly holds. Anything unlisted above
// U+2000 (punctuation, symbols, emoji) separates words.
bool IsLetter(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  if (c == 0xAA || c == 0xB5 || c == 0xBA) return true;
  if (c < 0xC0) return false;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c < 0x2000) {
    // Punctuation and digits inside the alphabetic blocks.
    constexpr std::array<std::pair<char32_t, char32_t>, 11> kNotLetters{{
        {0x37E, 0x37E},
        {0x387, 0x387},
        {0x482, 0x489},
        {0x55A, 0x55F},
        {0x589, 0x58A},
        {0x5BE, 0x5BE},
        {0x5C0, 0x5C0},
        {0x60C, 0x61F},
        {0x660, 0x66D},
        {0x6D4, 0x6D4},
        {0x964, 0x96F},
    }};
    return std::none_of(kNotLetters.begin(), kNotLetters.end(),
                        [c](const auto& r) { return c >= r.first && c <= r.second; });
  }
  return (c >= 0x3040 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFDFF) ||
         (c >= 0xFE70 && c <= 0xFEFF) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
}

char32_t FoldCase(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c == 0x130) return 'i';
  if (c == 0x178) return 0xFF;
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c | 1;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c % 2 == 1) ? c + 1 : c;
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
  if (c == 0x3C2) return 0x3C3;  // final sigma folds to sigma
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 37;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 63;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0xFF21 && c <= 0xFF3A) return c - 0xFF21 + 'a';  // fullwidth Latin
  if (c >= 0xFF41 && c <= 0xFF5A) return c - 0xFF41 + 'a';
  return c;
}

bool IsApostrophe(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }

// Characters that join words without ending a clause: spaces, hyphens, slashes, ampersands.
bool IsSoftSeparator(char32_t c) {
  return c == ' ' || c == '-' || c == '/' || c == '&' || c == 0xA0 || c == 0x2010 || c == 0x2011 || IsApostrophe(c);
}

// --- Porter's algorithm, inflectional steps ---------------------------------------------------

class PorterWord {
 public:
  explicit PorterWord(std::string word) : w_(std::move(word)) {}
  std::string Take() { return std::move(w_); }

  void Step1a() {
    if (EndsWith("sses")) {
      Chop(2);
    } else if (EndsWith("ies")) {
      Chop(2);
    } else if (!EndsWith("ss") && EndsWith("s")) {
      Chop(1);
    }
  }

  void Step1b() {
    bool tidy = false;
    if (EndsWith("eed")) {
      if (Measure(w_.size() - 3) > 0) Chop(1);
    } else if (EndsWith("ed") && HasVowel(w_.size() - 2)) {
      Chop(2);
      tidy = true;
    } else if (EndsWith("ing") && HasVowel(w_.size() - 3)) {
      Chop(3);
      tidy = true;
    }
    if (!tidy) return;
    if (EndsWith("at") || EndsWith("bl") || EndsWith("iz")) {
      w_ += 'e';
    } else if (EndsWithDoubleConsonant(w_.size()) && !EndsWith("l") && !EndsWith("s") && !EndsWith("z")) {
      Chop(1);
    } else if (Measure(w_.size()) == 1 && EndsCvc(w_.size())) {
      w_ += 'e';
    }
  }

  void Step1c() {
    if (EndsWith("y") && HasVowel(w_.size() - 1)) w_.back() = 'i';
  }

  void Step5a() {
    if (!EndsWith("e")) return;
    const size_t stem = w_.size() - 1;
    const int m = Measure(stem);
    if (m > 1 || (m == 1 && !EndsCvc(stem))) Chop(1);
  }

  void Step5b() {
    if (Measure(w_.size()) > 1 && EndsWithDoubleConsonant(w_.size()) && EndsWith("l")) Chop(1);
  }

 private:
  bool EndsWith(std::string_view suffix) const { return w_.ends_with(suffix); }
  void Chop(size_t n) { w_.resize(w_.size() - n); }

  bool IsConsonant(size_t i) const {
    switch (w_[i]) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
        return false;
      case 'y':
        return i == 0 || !IsConsonant(i - 1);
      default:
        return true;
    }
  }
  // m in [C](VC)^m[V] for the first `length` letters.
  int Measure(size_t length) const {
    int m = 0;
    size_t i = 0;
    while (i < length && IsConsonant(i)) ++i;
    while (i < length) {
      while (i < length && !IsConsonant(i)) ++i;
      if (i == length) break;
      ++m;
      while (i < length && IsConsonant(i)) ++i;
    }
    return m;
  }
  bool HasVowel(size_t length) const {
    for (size_t i = 0; i < length; ++i) {
      if (!IsConsonant(i)) return true;
    }
    return false;
  }
  bool EndsWithDoubleConsonant(size_t length) const {
    return length >= 2 && w_[length - 1] == w_[length - 2] && IsConsonant(length - 1);
  }
  // consonant-vowel-consonant, the last not w, x or y ("hop", not "snow").
  bool EndsCvc(size_t length) const {
    if (length < 3) return false;
    const char last = w_[length - 1];
    return IsConsonant(length - 1) && !IsConsonant(length - 2) && IsConsonant(length - 3) && last != 'w' &&
           last != 'x' && last != 'y';
  }

  std::string w_;
};

constexpr std::array<std::string_view, 218> kStopWords{
    "about",      "above",     "after",    "again",   "against", "all",    "almost",    "also",      "although",
    "am",         "among",     "an",       "and",     "another", "any",    "anyone",    "anything",  "are",
    "aren't",     "around",    "as",       "at",      "be",      "became", "because",   "been",      "before",
    "being",      "below",     "between",  "both",    "but",     "by",     "came",      "can",       "can't",
    "cannot",     "could",     "couldn't", "did",     "didn't",  "do",     "does",      "doesn't",   "doing",
    "don't",      "done",      "down",     "dr",      "during",  "each",   "either",    "else",      "etc",
    "even",       "ever",      "every",    "few",     "for",     "from",   "further",   "get",       "gets",
    "getting",    "go",        "goes",     "going",   "gone",    "got",    "had",       "hadn't",    "has",
    "hasn't",     "have",      "haven't",  "having",  "he",      "he'd",   "he'll",     "her",       "here",
    "hers",       "herself",   "him",      "himself", "his",     "how",    "however",   "i'd",       "i'll",
    "i'm",        "i've",      "if",       "in",      "into",    "is",     "isn't",     "it",        "its",
    "itself",     "just",      "let",      "made",    "make",    "many",   "may",       "me",        "might",
    "more",       "most",      "mr",       "mrs",     "ms",      "much",   "must",      "my",        "myself",
    "no",         "nor",       "not",      "now",     "of",      "off",    "often",     "on",        "once",
    "one",        "only",      "or",       "other",   "others",  "our",    "ours",      "ourselves", "out",
    "over",       "own",       "per",      "quite",   "rather",  "really", "said",      "same",      "say",
    "says",       "shall",     "she",      "she'd",   "she'll",  "should", "shouldn't", "since",     "so",
    "some",       "still",     "such",     "than",    "that",    "the",    "their",     "theirs",    "them",
    "themselves", "then",      "there",    "these",   "they",    "they'd", "they'll",   "they're",   "they've",
    "this",       "those",     "though",   "through", "to",      "too",    "under",     "until",     "up",
    "upon",       "us",        "very",     "was",     "wasn't",  "we",     "we'd",      "we'll",     "we're",
    "we've",      "were",      "weren't",  "what",    "when",    "where",  "whether",   "which",     "while",
    "who",        "whom",      "why",      "will",    "with",    "within", "without",   "won't",     "would",
    "wouldn't",   "yet",       "you",      "you'd",   "you'll",  "you're", "you've",    "your",      "yours",
    "yourself",   "yourselves"};

// Words about the act of recording rather than the child: who visited, what was given, when.
// They fill a cloud of routine contacts ("given", "ate", "visitor") and say nothing a reviewer
// looks for. Kept apart from the stop words, which are plain English function words.
constexpr std::array<std::string_view, 121> kFillerWords{
    "advice",   "advised",  "afternoon", "agreed",    "appeared", "arranged", "ask",       "asked",     "ate",
    "attend",   "attended", "attending", "attends",   "booked",   "call",     "called",    "calls",     "check",
    "checked",  "clinic",   "come",      "contact",   "contacts", "continue", "continued", "continues", "daily",
    "day",      "days",     "discuss",   "discussed", "eat",      "eating",   "evening",   "fifth",     "fine",
    "first",    "five",     "four",      "fourth",    "gave",     "give",     "given",     "giving",    "good",
    "inform",   "informed", "last",      "letter",    "letters",  "mention",  "mentioned", "mentions",  "month",
    "months",   "morning",  "never",     "new",       "next",     "nil",      "none",      "note",      "noted",
    "notes",    "nothing",  "offer",     "offered",   "ok",       "okay",     "phone",     "practice",  "put",
    "received", "recent",   "recently",  "remained",  "remains",  "routine",  "saw",       "second",    "see",
    "seemed",   "seen",     "send",      "sent",      "service",  "services", "session",   "sessions",  "speak",
    "spoke",    "staff",    "take",      "taken",     "team",     "tell",     "third",     "three",     "time",
    "times",    "today",    "told",      "tomorrow",  "took",     "two",      "usual",     "usually",   "visit",
    "visited",  "visiting", "visitor",   "visitors",  "visits",   "week",     "weekly",    "weeks",     "well",
    "went",     "worker",   "workers",   "yesterday"};

// The safeguarding vocabulary: what reviews of serious cases show a reviewer looks for first
// (injuries and their explanations, neglect, domestic abuse, substances, exploitation, fear,
// missed health care). Matched on stems, so "bruise"/"bruising" and "burn"/"burns" are one.
constexpr std::array<std::string_view, 94> kSafeguardingWords{
    "abuse",     "abusive",      "alcohol",     "alone",        "argument",      "assault",   "bite",
    "bleeding",  "bruise",       "bruising",    "burn",         "burnt",         "cannabis",  "crying",
    "cut",       "dirty",        "disclosed",   "disclosure",   "domestic",      "drugs",     "drunk",
    "exclusion", "excluded",     "explanation", "explanations", "exploitation",  "exploited", "fear",
    "fearful",   "flinched",     "fracture",    "frightened",   "grooming",      "harm",      "hungry",
    "hunger",    "inconsistent", "injury",      "injuries",     "injured",       "knife",     "ligature",
    "lip",       "marks",        "missed",      "missing",      "neglect",       "neglected", "overdose",
    "overdue",   "refused",      "restraint",   "scald",        "scalded",       "scared",    "shouting",
    "smacked",   "smell",        "soiled",      "strangled",    "strangulation", "suicidal",  "swelling",
    "threat",    "threats",      "threatened",  "underweight",  "unexplained",   "unkempt",   "unsupervised",
    "vague",     "violence",     "violent",     "watchful",     "weapon",        "withdrawn", "not brought",
    "not seen",  "not attended", "absent",      "absence",      "arrears",       "bruised",   "burns",
    "cuts",      "frightening",  "homeless",    "intoxicated",  "malnourished",  "police",    "sexual",
    "skeletal",  "thin",         "untreated"};
constexpr std::array<std::string_view, 12> kSafeguardingPhrases{
    "cut lip",          "head injury",  "domestic abuse",     "domestic violence",
    "self harm",        "weight loss",  "missed appointment", "skeletal survey",
    "child protection", "sexual abuse", "not brought",        "fingertip bruising"};

// A negation and the words that end its scope early (NegEx-style; see word_cloud.h).
constexpr std::array<std::string_view, 25> kNegators{
    "no",      "not",    "never",   "nil",      "none",     "neither",   "nor",     "without", "cannot",
    "can't",   "didn't", "doesn't", "don't",    "isn't",    "wasn't",    "weren't", "aren't",  "hasn't",
    "haven't", "hadn't", "won't",   "wouldn't", "couldn't", "shouldn't", "nothing"};
constexpr std::array<std::string_view, 7> kScopeBreakers{"but",    "however", "although", "though",
                                                         "except", "whereas", "yet"};
// "not" before these is a safeguarding term, not a negation: a child not brought to an
// appointment, not seen on a visit.
constexpr std::array<std::string_view, 5> kKeptAfterNot{"brought", "seen", "attended", "attend", "attending"};

// A negation before these says something is wrong, not absent ("not typical of an accidental
// burn", "explanations do not match"): it opens no scope, so the burn still counts.
constexpr std::array<std::string_view, 8> kNoScopeAfterNegation{"typical",   "consistent", "keeping",  "accidental",
                                                                "explained", "match",      "matching", "fit"};

template <size_t N>
bool In(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Stems of a word or each word of a phrase, joined by one space: a term key.
std::string StemKey(std::string_view text) {
  if (text.starts_with("not ")) return std::string(text);  // kept whole, as Tokenise makes it
  std::string key;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(' ', start), text.size());
    if (!key.empty()) key += ' ';
    key += Stem(text.substr(start, end - start));
    start = end + 1;
  }
  return key;
}

void MarkNegations(std::vector<Token>& tokens) {
  int scope = 0;
  std::vector<Token> out;
  out.reserve(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    Token& t = tokens[i];
    if (t.clause_start) scope = 0;
    if (t.surface == "not" && i + 1 < tokens.size() && !tokens[i + 1].clause_start &&
        In(kKeptAfterNot, tokens[i + 1].surface)) {
      const std::string_view next = tokens[i + 1].surface;
      t.surface = next.starts_with("attend") ? "not attended" : "not " + std::string(next);
      t.negated = false;
      out.push_back(std::move(t));
      ++i;
      scope = 0;
      continue;
    }
    if (In(kScopeBreakers, t.surface)) {
      scope = 0;
    } else if (In(kNegators, t.surface)) {
      const bool pseudo = i + 1 < tokens.size() && In(kNoScopeAfterNegation, tokens[i + 1].surface);
      scope = pseudo ? 0 : kNegationWindow;
    } else if (scope > 0) {
      t.negated = true;
      --scope;
    }
    out.push_back(std::move(t));
  }
  tokens = std::move(out);
}

}  // namespace

bool IsFillerWord(std::string_view folded_word) {
  static const std::unordered_set<std::string_view> kSet(kFillerWords.begin(), kFillerWords.end());
  return kSet.contains(folded_word);
}

bool IsSafeguardingTerm(std::string_view term) {
  static const std::unordered_set<std::string> kTerms = [] {
    std::unordered_set<std::string> terms;
    for (auto w : kSafeguardingWords) terms.insert(StemKey(w));
    for (auto p : kSafeguardingPhrases) terms.insert(StemKey(p));
    return terms;
  }();
  return kTerms.contains(std::string(term));
}

bool IsStopWord(std::string_view folded_word) {
  static const std::unordered_set<std::string_view> kSet(kStopWords.begin(), kStopWords.end());
  return kSet.contains(folded_word);
}

std::string Stem(std::string_view folded_word) {
  const bool plain = folded_word.size() > 2 &&
                     std::all_of(folded_word.begin(), folded_word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (!plain) return std::string(folded_word);
  PorterWord word{std::string(folded_word)};
  word.Step1a();
  word.Step1b();
  word.Step1c();
  word.Step5a();
  word.Step5b();
  return word.Take();
}

std::vector<Token> Tokenise(std::string_view text) {
  std::vector<Token> tokens;
  std::string word;
  size_t word_chars = 0;
  bool clause_start = true;
  // A pending apostrophe is kept only if a letter follows it inside the same word.
  bool pending_apostrophe = false;

  auto finish_word = [&] {
    if (word.ends_with("'s")) word.resize(word.size() - 2);
    if (!word.empty() && word_chars <= kMaxWordChars) {
      tokens.push_back(Token{std::move(word), clause_start});
      clause_start = false;
    }
    word.clear();
    word_chars = 0;
  };

  for (size_t pos = 0; pos < text.size();) {
    const char32_t c = utf8::Next(text, pos);
    if (IsLetter(c)) {
      if (pending_apostrophe) {
        word.push_back('\'');
        pending_apostrophe = false;
      }
      utf8::Append(word, FoldCase(c));
      ++word_chars;
      continue;
    }
    if (IsApostrophe(c) && !word.empty() && !pending_apostrophe) {
      pending_apostrophe = true;
      continue;
    }
    pending_apostrophe = false;
    if (!word.empty()) finish_word();
    if (!IsSoftSeparator(c)) clause_start = true;
  }
  if (!word.empty()) finish_word();
  MarkNegations(tokens);
  return tokens;
}

}  // namespace kith::domain
