#include "hub/token_index.h"

#include <algorithm>
#include <mutex>

namespace kith::hub {
namespace {

// Token kinds are kept apart by mixing in a constant per kind before the tag is taken.
constexpr uint64_t kChildKind = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kNhsKind = 0xbf58476d1ce4e5b9ULL;
constexpr uint64_t kUpnKind = 0x94d049bb133111ebULL;
constexpr uint64_t kBlockKind = 0xd6e8feb86659fd93ULL;
constexpr double kMaxLoad = 0.85;

uint64_t Mix(uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint32_t Tag(uint64_t key, uint64_t kind) {
  const uint32_t tag = static_cast<uint32_t>(Mix(key ^ kind) >> 32);
  return tag == 0 ? 1 : tag;
}

uint64_t Prefix(const pprl::IdToken& token) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | token[i];
  return v == 0 ? 1 : v;  // 0 means "no token"
}

uint64_t ChildKey(uint16_t authority, std::string_view ref) {
  uint64_t h = 1469598103934665603ULL ^ authority;  // FNV-1a
  for (char c : ref) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ULL;
  return h;
}

size_t Position(uint32_t tag, size_t capacity) {
  return static_cast<size_t>((static_cast<uint64_t>(tag) * capacity) >> 32);
}

}  // namespace

std::string_view ToString(MatchBand band) {
  switch (band) {
    case MatchBand::kPossible:
      return "possible";
    case MatchBand::kStrong:
      return "strong";
    case MatchBand::kCertain:
      return "certain";
  }
  return "possible";
}

TokenIndex::TokenIndex(TokenIndexOptions options) : options_(options) { slots_.resize(1024); }

bool TokenIndex::Fresh(const Slot& slot) const {
  const uint32_t row = slot.row_gen >> 5;
  const Meta& m = meta_[row];
  return (m.gen_live & 1) && (m.gen_live >> 1) == (slot.row_gen & 31);
}

std::string_view TokenIndex::RefOf(uint32_t row) const {
  return std::string_view(refs_).substr(meta_[row].ref_offset, meta_[row].ref_length);
}

void TokenIndex::InsertTag(uint32_t tag, uint32_t row) {
  const size_t capacity = slots_.size();
  const uint32_t row_gen = row << 5 | (meta_[row].gen_live >> 1);
  for (size_t i = Position(tag, capacity);; i = i + 1 == capacity ? 0 : i + 1) {
    Slot& s = slots_[i];
    if (s.tag == 0) {
      s = {tag, row_gen};
      ++used_slots_;
      return;
    }
    if (!Fresh(s)) {  // a stale slot is free for reuse
      s = {tag, row_gen};
      return;
    }
  }
}

void TokenIndex::Grow(size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  used_slots_ = 0;
  for (const Slot& s : old) {
    if (s.tag == 0 || !Fresh(s)) continue;
    for (size_t i = Position(s.tag, capacity);; i = i + 1 == capacity ? 0 : i + 1) {
      if (slots_[i].tag == 0) {
        slots_[i] = s;
        ++used_slots_;
        break;
      }
    }
  }
}

uint32_t TokenIndex::FindRow(uint16_t authority, std::string_view ref) const {
  const uint32_t tag = Tag(ChildKey(authority, ref), kChildKind);
  const size_t capacity = slots_.size();
  for (size_t i = Position(tag, capacity); slots_[i].tag != 0; i = i + 1 == capacity ? 0 : i + 1) {
    const Slot& s = slots_[i];
    if (s.tag != tag || !Fresh(s)) continue;
    const uint32_t row = s.row_gen >> 5;
    if (meta_[row].authority == authority && RefOf(row) == ref) return row;
  }
  return UINT32_MAX;
}

void TokenIndex::Kill(uint32_t row) {
  Meta& m = meta_[row];
  const uint8_t generation = static_cast<uint8_t>(((m.gen_live >> 1) + 1) & 31);
  m.gen_live = static_cast<uint8_t>(generation << 1);  // not live
  free_rows_.push_back(row);
  --live_;
}

void TokenIndex::Reserve(size_t children) {
  std::unique_lock lock(mutex_);
  clks_.reserve(children);
  nhs_.reserve(children);
  upn_.reserve(children);
  meta_.reserve(children);
  refs_.reserve(children * 18);
  const size_t wanted = static_cast<size_t>(static_cast<double>(children) * 8 / kMaxLoad) + 1024;
  if (wanted > slots_.size()) Grow(wanted);
}

void TokenIndex::Upsert(uint16_t authority, std::string_view ref, const pprl::Tokens& tokens) {
  std::unique_lock lock(mutex_);
  if (const uint32_t old = FindRow(authority, ref); old != UINT32_MAX) Kill(old);
  uint32_t row;
  if (!free_rows_.empty()) {
    row = free_rows_.back();
    free_rows_.pop_back();
  } else {
    row = static_cast<uint32_t>(meta_.size());
    clks_.emplace_back();
    nhs_.push_back(0);
    upn_.push_back(0);
    meta_.emplace_back();
  }
  clks_[row] = tokens.clk;
  nhs_[row] = tokens.nhs ? Prefix(*tokens.nhs) : 0;
  upn_[row] = tokens.upn ? Prefix(*tokens.upn) : 0;
  Meta& m = meta_[row];
  m.authority = authority;
  m.ref_offset = static_cast<uint32_t>(refs_.size());
  m.ref_length = static_cast<uint8_t>(std::min<size_t>(ref.size(), 255));
  refs_.append(ref.substr(0, m.ref_length));
  m.gen_live = static_cast<uint8_t>(m.gen_live | 1);
  ++live_;

  const size_t keys = 1 + (tokens.nhs ? 1 : 0) + (tokens.upn ? 1 : 0) + tokens.blocks.size();
  if (static_cast<double>(used_slots_ + keys) > kMaxLoad * static_cast<double>(slots_.size())) {
    Grow(slots_.size() * 2);
  }
  InsertTag(Tag(ChildKey(authority, ref), kChildKind), row);
  if (nhs_[row]) InsertTag(Tag(nhs_[row], kNhsKind), row);
  if (upn_[row]) InsertTag(Tag(upn_[row], kUpnKind), row);
  for (uint64_t b : tokens.blocks) InsertTag(Tag(b, kBlockKind), row);
}

bool TokenIndex::Remove(uint16_t authority, std::string_view ref) {
  std::unique_lock lock(mutex_);
  const uint32_t row = FindRow(authority, ref);
  if (row == UINT32_MAX) return false;
  Kill(row);
  return true;
}

std::vector<IndexMatch> TokenIndex::Query(const pprl::Tokens& query) const {
  std::shared_lock lock(mutex_);
  const uint64_t nhs = query.nhs ? Prefix(*query.nhs) : 0;
  const uint64_t upn = query.upn ? Prefix(*query.upn) : 0;
  std::vector<uint32_t> rows;
  auto probe = [&](uint32_t tag) {
    const size_t capacity = slots_.size();
    for (size_t i = Position(tag, capacity); slots_[i].tag != 0; i = i + 1 == capacity ? 0 : i + 1) {
      if (slots_[i].tag == tag && Fresh(slots_[i])) rows.push_back(slots_[i].row_gen >> 5);
    }
  };
  if (nhs) probe(Tag(nhs, kNhsKind));
  if (upn) probe(Tag(upn, kUpnKind));
  for (uint64_t b : query.blocks) probe(Tag(b, kBlockKind));
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());

  struct Scored {
    uint32_t row;
    MatchBand band;
  };
  std::vector<Scored> scored;
  for (uint32_t row : rows) {
    if ((nhs && nhs_[row] == nhs) || (upn && upn_[row] == upn)) {
      scored.push_back({row, MatchBand::kCertain});
      continue;
    }
    if ((nhs && nhs_[row] && nhs_[row] != nhs) || (upn && upn_[row] && upn_[row] != upn)) continue;
    if (!query.has_clk) continue;
    const double dice = pprl::Dice(query.clk, clks_[row]);
    if (dice >= options_.strong) {
      scored.push_back({row, MatchBand::kStrong});
    } else if (dice >= options_.possible) {
      scored.push_back({row, MatchBand::kPossible});
    }
  }
  std::sort(scored.begin(), scored.end(), [&](const Scored& a, const Scored& b) {
    if (a.band != b.band) return a.band > b.band;
    if (meta_[a.row].authority != meta_[b.row].authority) return meta_[a.row].authority < meta_[b.row].authority;
    return RefOf(a.row) < RefOf(b.row);
  });
  if (scored.size() > options_.max_results) scored.resize(options_.max_results);
  std::vector<IndexMatch> out;
  out.reserve(scored.size());
  for (const auto& s : scored) out.push_back({meta_[s.row].authority, std::string(RefOf(s.row)), s.band});
  return out;
}

size_t TokenIndex::Size() const {
  std::shared_lock lock(mutex_);
  return live_;
}

size_t TokenIndex::MemoryBytes() const {
  std::shared_lock lock(mutex_);
  return slots_.capacity() * sizeof(Slot) + clks_.capacity() * sizeof(pprl::Clk) +
         (nhs_.capacity() + upn_.capacity()) * sizeof(uint64_t) + meta_.capacity() * sizeof(Meta) +
         free_rows_.capacity() * sizeof(uint32_t) + refs_.capacity();
}

}  // namespace kith::hub
