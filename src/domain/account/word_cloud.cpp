#include "domain/account/word_cloud.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>
#include <tuple>
#include <unordered_set>

#include "common/utf8.h"

namespace kith::domain {
namespace {

// One-letter words carry no meaning on their own ("a", "i", stray initials); stop and filler
// words say nothing of the child; a negated word says the opposite of itself.
bool Ignorable(const Token& token) {
  return token.negated || utf8::Length(token.surface) < 2 || IsStopWord(token.surface) || IsFillerWord(token.surface);
}

// Sublinear TF-IDF with the child as the document:
//  - The question the cloud answers is "what is distinctive about this child's case", so a
//    document is a whole child, and a term's rarity is measured across children.
//  - TF is 1 + ln(count): case notes repeat a key word many times (every visit mentions
//    "mum"), and a linear TF would let two or three words take the whole cloud.
//  - IDF is ln((1 + N) / (1 + df)) + 1, smoothed as if one extra child used every term: a term
//    unknown to the corpus (not yet applied) stays finite, and a term every child shares keeps
//    weight 1 instead of vanishing, because a common concern repeated heavily still matters.
//  BM25-style saturation was considered; with children as documents, length normalisation
//  would penalise exactly the heavily recorded children the cloud is most needed for.
//  - The safeguarding vocabulary is exempt from the down-weighting: Top weighs it with df = 1,
//    as if this child alone used it. A burn on another child's record makes this child's burn
//    no less important, and with IDF one entry on another child pushed "burn" and "bruising"
//    out of Leo's cloud behind filler that only Leo's notes use (issue 15).
double Weight(int count, int64_t df, int64_t documents) {
  const double tf = 1.0 + std::log(static_cast<double>(count));
  const double idf =
      std::log((1.0 + static_cast<double>(documents)) / (1.0 + static_cast<double>(std::max<int64_t>(df, 0)))) + 1.0;
  return tf * idf;
}

// Nets out a term that disappeared in one delta and reappeared in the next (a replaced entry).
TermDelta Merge(TermDelta a, TermDelta b) {
  std::unordered_map<std::string, int> net;
  for (auto* d : {&a, &b}) {
    for (auto& t : d->appeared) ++net[std::move(t)];
    for (auto& t : d->disappeared) --net[std::move(t)];
  }
  TermDelta merged;
  merged.documents = a.documents + b.documents;
  for (auto& [term, n] : net) {
    if (n > 0) merged.appeared.push_back(term);
    if (n < 0) merged.disappeared.push_back(term);
  }
  return merged;
}

}  // namespace

// --- CorpusStats ---------------------------------------------------------------------------

void CorpusStats::Apply(const TermDelta& delta) {
  std::unique_lock lock(mutex_);
  documents_ += delta.documents;
  for (const auto& term : delta.appeared) ++document_frequency_[term];
  for (const auto& term : delta.disappeared) {
    const auto it = document_frequency_.find(term);
    if (it != document_frequency_.end() && --it->second <= 0) document_frequency_.erase(it);
  }
}

void CorpusStats::Reset(const TermDelta& all) {
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> fresh;
  for (const auto& term : all.appeared) ++fresh[term];
  std::unique_lock lock(mutex_);
  documents_ = all.documents;
  document_frequency_ = std::move(fresh);
}

int64_t CorpusStats::documents() const {
  std::shared_lock lock(mutex_);
  return documents_;
}

int64_t CorpusStats::DocumentFrequency(std::string_view term) const {
  std::shared_lock lock(mutex_);
  const auto it = document_frequency_.find(term);
  return it == document_frequency_.end() ? 0 : it->second;
}

void CorpusStats::DocumentFrequencies(std::span<const std::string* const> terms, std::vector<int64_t>& out) const {
  out.resize(terms.size());
  std::shared_lock lock(mutex_);
  for (size_t i = 0; i < terms.size(); ++i) {
    const auto it = document_frequency_.find(*terms[i]);
    out[i] = it == document_frequency_.end() ? 0 : it->second;
  }
}

// --- TermIndex -----------------------------------------------------------------------------

namespace {

// The heap a string of n bytes uses beyond its own object (libstdc++ keeps up to 15 inline).
size_t StringHeap(size_t n) { return n > 15 ? n + 1 : 0; }
// One node of an unordered_map holding `Value`, with its share of the bucket array.
template <class Value>
constexpr size_t kNodeBytes = sizeof(Value) + 3 * sizeof(void*);

}  // namespace

TermIndex::TermId TermIndex::Intern(std::string_view key, bool phrase, TermId first, TermId second) {
  if (const auto it = term_ids_.find(key); it != term_ids_.end()) return it->second;
  const auto id = static_cast<TermId>(terms_.size());
  const bool safeguarding = IsSafeguardingTerm(key);
  // A safeguarding phrase ("cut lip") counts the first time: one cut lip is enough to show.
  const int min_count = phrase && !safeguarding ? kMinPhraseCount : 1;
  terms_.push_back(TermData{std::string(key), phrase, safeguarding, min_count, first, second, 0, {}, {}});
  term_ids_.emplace(std::string(key), id);
  bytes_ += sizeof(TermData) + kNodeBytes<std::pair<const std::string, TermId>> + 2 * StringHeap(key.size());
  return id;
}

TermDelta TermIndex::Add(std::string_view entry_id, std::string_view text) {
  if (entry_slots_.contains(entry_id)) {
    TermDelta removed = Remove(entry_id);
    return Merge(std::move(removed), Add(entry_id, text));
  }

  // Gather this entry's occurrences: (term, surface) pairs, words and phrases.
  struct Raw {
    TermId term;
    std::string surface;
  };
  std::vector<Raw> raw;
  const std::vector<Token> tokens = Tokenise(text);
  std::optional<std::pair<TermId, const std::string*>> previous;
  for (const Token& token : tokens) {
    if (Ignorable(token)) {
      previous.reset();
      continue;
    }
    const TermId word = Intern(Stem(token.surface), false, 0, 0);
    raw.push_back({word, token.surface});
    if (previous && !token.clause_start) {
      const std::string key = terms_[previous->first].key + ' ' + terms_[word].key;
      const TermId phrase = Intern(key, true, previous->first, word);
      raw.push_back({phrase, *previous->second + ' ' + token.surface});
    }
    previous.emplace(word, &token.surface);
  }
  std::sort(raw.begin(), raw.end(),
            [](const Raw& a, const Raw& b) { return std::tie(a.term, a.surface) < std::tie(b.term, b.surface); });

  const auto slot = static_cast<Slot>(slot_ids_.size());
  slot_ids_.emplace_back(entry_id);
  entry_slots_.emplace(std::string(entry_id), slot);
  occurrences_.emplace_back();
  std::vector<Occurrence>& mine = occurrences_.back();
  bytes_ += sizeof(std::string) + sizeof(std::vector<Occurrence>) + kNodeBytes<std::pair<const std::string, Slot>> +
            2 * StringHeap(entry_id.size());

  TermDelta delta;
  if (entry_slots_.size() == 1) delta.documents = 1;
  for (size_t i = 0; i < raw.size();) {
    const TermId id = raw[i].term;
    TermData& term = terms_[id];
    const int before = term.count;
    while (i < raw.size() && raw[i].term == id) {
      size_t j = i;
      while (j < raw.size() && raw[j].term == raw[i].term && raw[j].surface == raw[i].surface) {
        ++j;
      }
      const int n = static_cast<int>(j - i);
      const uint32_t surface = AddSurface(term, raw[i].surface, n);
      mine.push_back({id, surface, n});
      bytes_ += sizeof(Occurrence);
      term.count += n;
      i = j;
    }
    term.slots.push_back(slot);
    bytes_ += sizeof(Slot);
    if (before < term.min_count && term.count >= term.min_count) delta.appeared.push_back(term.key);
    if (before == 0) ++live_terms_;
  }
  return delta;
}

uint32_t TermIndex::AddSurface(TermData& term, std::string_view surface, int count) {
  for (size_t i = 0; i < term.surfaces.size(); ++i) {
    if (term.surfaces[i].text == surface) {
      term.surfaces[i].count += count;
      return static_cast<uint32_t>(i);
    }
  }
  term.surfaces.push_back({std::string(surface), count});
  bytes_ += sizeof(Surface) + StringHeap(surface.size());
  return static_cast<uint32_t>(term.surfaces.size() - 1);
}

TermDelta TermIndex::Remove(std::string_view entry_id) {
  TermDelta delta;
  const auto it = entry_slots_.find(entry_id);
  if (it == entry_slots_.end()) return delta;
  const Slot slot = it->second;
  // The slot's id and its (now empty) occurrence list stay: slots are never reused.
  bytes_ -= kNodeBytes<std::pair<const std::string, Slot>> + StringHeap(entry_id.size());
  entry_slots_.erase(it);
  if (entry_slots_.empty()) delta.documents = -1;

  std::vector<Occurrence> mine = std::move(occurrences_[slot]);
  occurrences_[slot].clear();
  bytes_ -= mine.size() * sizeof(Occurrence);
  // Occurrences are grouped by term (Add sorted them), so each term is settled once.
  for (size_t i = 0; i < mine.size();) {
    const TermId id = mine[i].term;
    TermData& term = terms_[id];
    const int before = term.count;
    for (; i < mine.size() && mine[i].term == id; ++i) {
      term.surfaces[mine[i].surface].count -= mine[i].count;
      term.count -= mine[i].count;
    }
    const auto pos = std::lower_bound(term.slots.begin(), term.slots.end(), slot);
    if (pos != term.slots.end() && *pos == slot) {
      term.slots.erase(pos);
      bytes_ -= sizeof(Slot);
    }
    if (before >= term.min_count && term.count < term.min_count) delta.disappeared.push_back(term.key);
    if (term.count == 0) --live_terms_;
  }
  return delta;
}

std::vector<CloudTerm> TermIndex::Top(const CorpusStats& corpus, const TopOptions& options) const {
  std::unordered_set<std::string> name_stems;
  for (const auto& name : options.excluded_names) {
    for (const Token& token : Tokenise(name)) name_stems.insert(Stem(token.surface));
  }
  auto is_name = [&](TermId id) { return name_stems.contains(terms_[id].key); };

  std::vector<TermId> candidates;
  for (TermId id = 0; id < terms_.size(); ++id) {
    const TermData& term = terms_[id];
    const int min_count = term.phrase ? term.min_count : std::max(1, options.min_word_count);
    if (term.count < min_count) continue;
    const bool names_someone = term.phrase ? is_name(term.first) || is_name(term.second) : is_name(id);
    if (names_someone) continue;
    candidates.push_back(id);
  }

  std::vector<const std::string*> keys;
  keys.reserve(candidates.size());
  for (const TermId id : candidates) keys.push_back(&terms_[id].key);
  std::vector<int64_t> df;
  corpus.DocumentFrequencies(keys, df);
  const int64_t documents = corpus.documents();

  struct Scored {
    double weight;
    TermId id;
  };
  std::vector<Scored> scored;
  scored.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const TermData& term = terms_[candidates[i]];
    const double weight = term.safeguarding ? kSafeguardingBoost * Weight(term.count, 1, documents)
                                            : Weight(term.count, df[i], documents);
    scored.push_back({weight, candidates[i]});
  }
  const size_t n = std::min(options.n, scored.size());
  const auto heavier = [&](const Scored& a, const Scored& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
    return terms_[a.id].key < terms_[b.id].key;
  };
  std::sort(scored.begin(), scored.end(), heavier);
  // Safeguarding phrases (named injuries and events: "cut lip", "head injury") keep up to a
  // quarter of the places whatever their weight: one cut lip among months of routine visits must
  // still show (issue 15). Single safeguarding words are boosted but compete by weight: they are
  // many ("police", "missed") and would otherwise fill the reserve before the one cut lip. The
  // rest go by weight, and the cloud stays in weight order.
  const auto reserved_for = [&](const Scored& s) { return terms_[s.id].safeguarding && terms_[s.id].phrase; };
  const size_t reserved = options.n / 4;
  std::vector<Scored> chosen;
  chosen.reserve(n);
  for (const auto& s : scored) {
    if (chosen.size() == std::min(reserved, n)) break;
    if (reserved_for(s)) chosen.push_back(s);
  }
  const size_t kept = chosen.size();
  for (const auto& s : scored) {
    if (chosen.size() == n) break;
    const bool taken = reserved_for(s) && std::any_of(chosen.begin(), chosen.begin() + static_cast<ptrdiff_t>(kept),
                                                      [&](const Scored& c) { return c.id == s.id; });
    if (!taken) chosen.push_back(s);
  }
  std::sort(chosen.begin(), chosen.end(), heavier);
  scored = std::move(chosen);

  std::vector<CloudTerm> top;
  top.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const TermData& term = terms_[scored[i].id];
    CloudTerm out;
    out.term = term.key;
    out.phrase = term.phrase;
    out.safeguarding = term.safeguarding;
    out.count = term.count;
    out.weight = scored[i].weight;
    const auto display = std::max_element(term.surfaces.begin(), term.surfaces.end(),
                                          [](const Surface& a, const Surface& b) { return a.count < b.count; });
    out.display = display->text;
    out.entry_count = term.slots.size();
    const size_t shown = std::min(options.max_entry_ids, term.slots.size());
    out.entry_ids.reserve(shown);
    for (size_t k = 0; k < shown; ++k) {
      out.entry_ids.push_back(slot_ids_[term.slots[term.slots.size() - 1 - k]]);
    }
    top.push_back(std::move(out));
  }
  return top;
}

std::vector<std::string> TermIndex::EntriesFor(std::string_view term) const {
  std::vector<std::string> ids;
  const auto it = term_ids_.find(term);
  if (it == term_ids_.end()) return ids;
  for (const Slot slot : terms_[it->second].slots) ids.push_back(slot_ids_[slot]);
  return ids;
}

}  // namespace kith::domain
