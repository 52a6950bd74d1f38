#include "http/metrics.h"

#include <fmt/format.h>

namespace kith::http {
namespace {

// Label values are our own route patterns and methods, but escape them anyway.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string MethodLabel(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (const auto known : kKnown) {
    if (method == known) return std::string(known);
  }
  return "other";
}

void Metrics::Observe(const std::string& method, const std::string& route, int status, double seconds) {
  const std::string label = MethodLabel(method);
  std::lock_guard lock(mutex_);
  ++requests_[{label, route, status}];
  auto& s = latency_[{label, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  }
  ++s.count;
  s.sum += seconds;
}

void Metrics::ConnectionOpened() {
  std::lock_guard lock(mutex_);
  ++open_connections_;
  ++connections_total_;
}

void Metrics::ConnectionRefused() {
  std::lock_guard lock(mutex_);
  ++connections_refused_;
}

void Metrics::ConnectionClosed() {
  std::lock_guard lock(mutex_);
  --open_connections_;
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  out += "# HELP kith_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE kith_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("kith_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", Label(method),
                       Label(route), status, n);
  }
  out += "# HELP kith_http_errors_total HTTP responses with a 5xx status.\n";
  out += "# TYPE kith_http_errors_total counter\n";
  uint64_t errors = 0;
  for (const auto& [key, n] : requests_) {
    if (std::get<2>(key) >= 500) errors += n;
  }
  out += fmt::format("kith_http_errors_total {}\n", errors);
  out += "# HELP kith_http_request_duration_seconds Time to handle a request.\n";
  out += "# TYPE kith_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : latency_) {
    const std::string labels = fmt::format("method=\"{}\",route=\"{}\"", Label(key.first), Label(key.second));
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("kith_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels, kBuckets[i],
                         s.buckets[i]);
    }
    out += fmt::format("kith_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, s.count);
    out += fmt::format("kith_http_request_duration_seconds_sum{{{}}} {}\n", labels, s.sum);
    out += fmt::format("kith_http_request_duration_seconds_count{{{}}} {}\n", labels, s.count);
  }
  out += "# TYPE kith_http_open_connections gauge\n";
  out += fmt::format("kith_http_open_connections {}\n", open_connections_);
  out += "# TYPE kith_http_connections_total counter\n";
  out += fmt::format("kith_http_connections_total {}\n", connections_total_);
  out += "# HELP kith_http_connections_refused_total Connections closed at once: too many open (max_connections).\n";
  out += "# TYPE kith_http_connections_refused_total counter\n";
  out += fmt::format("kith_http_connections_refused_total {}\n", connections_refused_);
  if (password_hashes_) {
    out += "# HELP kith_password_hashes_total argon2id computations (password hashes and checks).\n";
    out += "# TYPE kith_password_hashes_total counter\n";
    out += fmt::format("kith_password_hashes_total {}\n", password_hashes_());
  }
  if (store_stats_) {
    const auto st = store_stats_();
    out += "# HELP kith_db_write_batches_total Durable commits (on SQLite each holds a group of writes).\n";
    out += "# TYPE kith_db_write_batches_total counter\n";
    out += fmt::format("kith_db_write_batches_total {}\n", st.write_batches);
    out += "# HELP kith_db_write_jobs_total Writes committed or undone.\n";
    out += "# TYPE kith_db_write_jobs_total counter\n";
    out += fmt::format("kith_db_write_jobs_total {}\n", st.write_jobs);
    out += "# HELP kith_db_commit_seconds_total Time spent in durable commits.\n";
    out += "# TYPE kith_db_commit_seconds_total counter\n";
    out += fmt::format("kith_db_commit_seconds_total {}\n", st.write_commit_micros / 1e6);
    out += "# HELP kith_db_write_retries_total Write callbacks run again after a serialisation failure.\n";
    out += "# TYPE kith_db_write_retries_total counter\n";
    out += fmt::format("kith_db_write_retries_total {}\n", st.write_retries);
    out += "# TYPE kith_db_reads_total counter\n";
    out += fmt::format("kith_db_reads_total {}\n", st.reads);
  }
  if (gauges_) {
    for (const auto& g : gauges_()) {
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", g.name, g.help, g.name, g.type, g.name, g.value);
    }
  }
  return out;
}

}  // namespace kith::http
