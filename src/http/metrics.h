// Request counts, errors and latency histograms per route, and database timings, rendered in
// the Prometheus text format for GET /metrics.
// Thread safety: safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "storage/store.h"

namespace kith::http {

// The label a request method is counted under: the method itself for the seven that Kith's
// routes use, "other" for anything else, so that clients cannot add labels at will (issue 14:
// 3,000 invented methods grew /metrics to 196 MB).
std::string MethodLabel(std::string_view method);

// A value read when /metrics is rendered (e.g. the word cloud cache's bytes).
struct Gauge {
  std::string name;  // a fixed Prometheus name, e.g. kith_word_index_bytes
  std::string help;
  double value = 0;
  std::string type = "gauge";  // or "counter"
};

class Metrics {
 public:
  // Any function may be empty. `password_hashes` counts argon2id computations
  // (app::PasswordHasher::Computations); `gauges` gives values to render as gauges.
  explicit Metrics(std::function<storage::StoreStats()> store_stats,
                   std::function<uint64_t()> password_hashes = nullptr,
                   std::function<std::vector<Gauge>()> gauges = nullptr)
      : store_stats_(std::move(store_stats)),
        password_hashes_(std::move(password_hashes)),
        gauges_(std::move(gauges)) {}

  // Counts a request. `route` must come from a fixed set (route patterns and the pipeline's own
  // names such as "(static)"), never from the request; the method is bounded by MethodLabel.
  void Observe(const std::string& method, const std::string& route, int status, double seconds);
  void ConnectionOpened();
  void ConnectionClosed();
  // A connection closed at once because the server or its address had too many open.
  void ConnectionRefused();
  std::string Render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Series {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  std::function<storage::StoreStats()> store_stats_;
  std::function<uint64_t()> password_hashes_;
  std::function<std::vector<Gauge>()> gauges_;
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // method, route, status
  std::map<std::pair<std::string, std::string>, Series> latency_;           // method, route
  int64_t open_connections_ = 0;
  uint64_t connections_total_ = 0;
  uint64_t connections_refused_ = 0;
};

}  // namespace kith::http
