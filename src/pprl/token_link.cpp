#include "pprl/token_link.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <numeric>
#include <string>
#include <thread>
#include <unordered_map>

namespace kith::pprl {
namespace {

struct Match {
  uint32_t a = 0, b = 0;
  float score = 0;  // Dice, or 2 for an identifier match
};

constexpr float kIdentifierScore = 2.0f;

// Matches between records sharing a token: each member of a group with its first member.
void IdentifierMatches(const std::vector<Tokens>& records, bool nhs, std::vector<Match>* out) {
  std::unordered_map<std::string, uint32_t> first;
  for (uint32_t i = 0; i < records.size(); ++i) {
    const auto& token = nhs ? records[i].nhs : records[i].upn;
    if (!token) continue;
    const auto [it, inserted] = first.emplace(std::string(token->begin(), token->end()), i);
    if (!inserted) out->push_back({it->second, i, kIdentifierScore});
  }
}

struct ClusterState {
  uint32_t parent = 0;
  uint32_t size = 1;
  const IdToken* nhs = nullptr;
  const IdToken* upn = nullptr;
};

uint32_t Find(std::vector<ClusterState>& s, uint32_t x) {
  while (s[x].parent != x) {
    s[x].parent = s[s[x].parent].parent;
    x = s[x].parent;
  }
  return x;
}

bool Conflict(const IdToken* a, const IdToken* b) { return a && b && *a != *b; }

}  // namespace

Result<TokenLinkResult> LinkTokens(const std::vector<Tokens>& records, const TokenLinkOptions& options) {
  if (!(options.threshold > 0 && options.threshold <= 1)) {
    return Error::Invalid("threshold", "the Dice threshold must be in (0, 1]");
  }
  TokenLinkResult result;
  auto& stats = result.stats;
  stats.records = records.size();

  std::vector<Match> matches;
  IdentifierMatches(records, true, &matches);
  IdentifierMatches(records, false, &matches);
  stats.identifier_matches = matches.size();

  // CLKs packed for streaming, with their popcounts.
  std::vector<uint32_t> owner;
  std::vector<Clk> clks;
  std::vector<uint32_t> pops;
  for (uint32_t i = 0; i < records.size(); ++i) {
    if (!records[i].has_clk) continue;
    owner.push_back(i);
    clks.push_back(records[i].clk);
    pops.push_back(PopCount(records[i].clk));
  }
  const size_t n = clks.size();
  const unsigned threads =
      std::max(1u, std::min<unsigned>(options.threads ? options.threads : std::thread::hardware_concurrency(),
                                      static_cast<unsigned>(std::max<size_t>(n / 256, 1))));
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::vector<Match>> found(threads);
  {
    const float threshold = static_cast<float>(options.threshold);
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        std::vector<float> dice(n);
        for (size_t i = t; i + 1 < n; i += threads) {
          const size_t count = n - i - 1;
          DiceMany(clks[i], pops[i], std::span<const Clk>(clks).subspan(i + 1, count),
                   std::span<const uint32_t>(pops).subspan(i + 1, count), std::span<float>(dice).first(count));
          for (size_t j = 0; j < count; ++j) {
            if (dice[j] >= threshold) found[t].push_back({owner[i], owner[i + 1 + j], dice[j]});
          }
        }
      });
    }
    for (auto& th : pool) th.join();
  }
  stats.compare_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  stats.comparisons = n < 2 ? 0 : static_cast<uint64_t>(n) * (n - 1) / 2;
  for (auto& f : found) {
    stats.clk_matches += f.size();
    matches.insert(matches.end(), f.begin(), f.end());
  }

  // Strongest first; ties in a fixed order so that the result does not depend on threads.
  std::sort(matches.begin(), matches.end(), [](const Match& x, const Match& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  std::vector<ClusterState> state(records.size());
  for (uint32_t i = 0; i < records.size(); ++i) {
    state[i].parent = i;
    state[i].nhs = records[i].nhs ? &*records[i].nhs : nullptr;
    state[i].upn = records[i].upn ? &*records[i].upn : nullptr;
  }
  const float bridge = static_cast<float>(options.threshold + options.join_margin);
  for (const Match& m : matches) {
    uint32_t ra = Find(state, m.a), rb = Find(state, m.b);
    if (ra == rb) continue;
    if (Conflict(state[ra].nhs, state[rb].nhs) || Conflict(state[ra].upn, state[rb].upn)) {
      ++stats.identifier_conflicts;
      continue;
    }
    if (m.score < bridge && state[ra].size > 1 && state[rb].size > 1) {
      ++stats.weak_bridges;
      continue;
    }
    if (ra > rb) std::swap(ra, rb);
    state[rb].parent = ra;
    state[ra].size += state[rb].size;
    if (!state[ra].nhs) state[ra].nhs = state[rb].nhs;
    if (!state[ra].upn) state[ra].upn = state[rb].upn;
  }
  std::vector<uint32_t> number(records.size(), UINT32_MAX);
  result.cluster_of.resize(records.size());
  uint32_t next = 0;
  for (uint32_t i = 0; i < records.size(); ++i) {
    const uint32_t root = Find(state, i);
    if (number[root] == UINT32_MAX) number[root] = next++;
    result.cluster_of[i] = number[root];
  }
  stats.clusters = next;
  return result;
}

}  // namespace kith::pprl
