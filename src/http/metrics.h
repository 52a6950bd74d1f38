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
#include <tuple>

#include "storage/store.h"

namespace kith::http {

class Metrics {
 public:
  explicit Metrics(std::function<storage::StoreStats()> store_stats) : store_stats_(std::move(store_stats)) {}

  void Observe(const std::string& method, const std::string& route, int status, double seconds);
  void ConnectionOpened();
  void ConnectionClosed();
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
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // method, route, status
  std::map<std::pair<std::string, std::string>, Series> latency_;           // method, route
  int64_t open_connections_ = 0;
  uint64_t connections_total_ = 0;
};

}  // namespace kith::http
