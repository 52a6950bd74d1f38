// The hub's token index at national scale: memory for N children's tokens and query latency.
//
//   hub_bench [CHILDREN] [QUERIES] [THREADS]
//
// Streams N synthetic children (linkage::ForEachSyntheticChild), encodes each (on THREADS
// threads) and files it under one of 152 authorities; then queries with QUERIES erroneous
// records of held children (linkage::MakeSyntheticRecord: typos, nicknames, moves, missing
// NHS numbers) and reports latency percentiles, how often the child was found, and the
// process's resident memory. See docs/BENCHMARKS.md ("Hub").
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "hub/token_index.h"
#include "linkage/synthetic.h"
#include "process_stats.h"

namespace {

using namespace kith;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

linkage::InputRecord AsRecord(const linkage::SyntheticChild& c) {
  linkage::InputRecord r;
  r.given_name = c.given_name;
  r.family_name = c.family_name;
  r.date_of_birth = c.date_of_birth.ToString();
  r.sex = std::string(1, c.sex);
  r.postcode = c.postcode;
  r.nhs_number = c.nhs_number;
  r.upn = c.upn;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1'000'000;
  const size_t queries = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 10'000;
  const unsigned threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 2;
  const auto secret = *pprl::LinkageSecret::FromHex("6b6974682d7070726c2d62656e63682d7365637265742d6e6f742d7265616c21");
  const pprl::Encoder encoder(secret);
  linkage::SyntheticConfig config;
  config.seed = 20;

  const long rss_before = bench::VmRssKiB();
  hub::TokenIndex index;
  index.Reserve(n);
  std::vector<linkage::SyntheticChild> sample;  // every (n / queries)-th child, to query for
  const size_t stride = std::max<size_t>(1, n / std::max<size_t>(queries, 1));
  const auto t0 = std::chrono::steady_clock::now();
  constexpr size_t kBatch = 8192;
  std::vector<linkage::SyntheticChild> batch;
  std::vector<pprl::Tokens> encoded(kBatch);
  size_t serial = 0;
  auto flush = [&] {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (size_t i = t; i < batch.size(); i += threads) encoded[i] = encoder.Encode(AsRecord(batch[i]));
      });
    }
    for (auto& th : pool) th.join();
    for (size_t i = 0; i < batch.size(); ++i) {
      index.Upsert(static_cast<uint16_t>(serial % 152), fmt::format("C{:016}", serial), encoded[i]);
      if (serial % stride == 0 && sample.size() < queries) sample.push_back(batch[i]);
      ++serial;
    }
    batch.clear();
  };
  linkage::ForEachSyntheticChild(config, n, [&](const linkage::SyntheticChild& c) {
    batch.push_back(c);
    if (batch.size() == kBatch) flush();
  });
  flush();
  const double load_seconds = Seconds(t0);
  const long rss_after = bench::VmRssKiB();
  fmt::print(
      "{} children encoded and indexed in {:.1f} s on {} threads; index arrays {:.0f} MiB ({:.0f} bytes/child); "
      "process RSS {:.0f} MiB (grew {:.0f} MiB)\n",
      index.Size(), load_seconds, threads, index.MemoryBytes() / 1048576.0,
      static_cast<double>(index.MemoryBytes()) / static_cast<double>(index.Size()), rss_after / 1024.0,
      (rss_after - rss_before) / 1024.0);

  // Queries: an erroneous record of a held child, encoded as a node would encode a search.
  std::vector<pprl::Tokens> asks;
  std::vector<std::string> want;
  for (size_t i = 0; i < sample.size(); ++i) {
    asks.push_back(encoder.Encode(linkage::MakeSyntheticRecord(sample[i], config, 1'000'000'000 + i, "social_care")));
    want.push_back(fmt::format("C{:016}", i * stride));
  }
  std::vector<double> micros;
  size_t found = 0, certain = 0, results = 0;
  for (size_t i = 0; i < asks.size(); ++i) {
    const auto q0 = std::chrono::steady_clock::now();
    const auto matches = index.Query(asks[i]);
    micros.push_back(Seconds(q0) * 1e6);
    results += matches.size();
    for (const auto& m : matches) {
      if (m.ref == want[i]) {
        ++found;
        certain += m.band == hub::MatchBand::kCertain;
        break;
      }
    }
  }
  std::sort(micros.begin(), micros.end());
  auto pct = [&](double p) {
    return micros.empty() ? 0.0 : micros[std::min(micros.size() - 1, size_t(p * micros.size()))];
  };
  fmt::print(
      "{} queries: p50 {:.0f} µs, p99 {:.0f} µs, max {:.0f} µs; child found {:.2f}% ({:.2f}% by an identifier), "
      "{:.2f} results per query\n",
      asks.size(), pct(0.50), pct(0.99), micros.empty() ? 0.0 : micros.back(),
      100.0 * found / std::max<size_t>(asks.size(), 1), 100.0 * certain / std::max<size_t>(asks.size(), 1),
      static_cast<double>(results) / std::max<size_t>(asks.size(), 1));
  return 0;
}
