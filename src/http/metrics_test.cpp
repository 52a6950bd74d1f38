#include "http/metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace kith::http {
namespace {

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Issue 14: each distinct HTTP method a client sent became a metrics label, and 3,000 requests
// grew /metrics to 196 MB. Unknown methods now share one label.
TEST(MetricsTest, DistinctMethodsDoNotGrowTheMetrics) {
  Metrics metrics(nullptr);
  metrics.Observe("GET", "/healthz", 200, 0.001);
  const size_t one_route = metrics.Render().size();
  for (int i = 0; i < 3000; ++i) metrics.Observe("M" + std::to_string(i), "(unmatched)", 405, 0.001);
  const std::string text = metrics.Render();
  EXPECT_LT(text.size(), one_route * 3) << "the label set grew with the methods sent";
  EXPECT_EQ(Count(text, "M1"), 0u);
  EXPECT_NE(text.find(R"m(kith_http_requests_total{method="other",route="(unmatched)",status="405"} 3000)m"),
            std::string::npos)
      << text;
}

TEST(MetricsTest, KnownMethodsKeepTheirOwnLabel) {
  for (const char* method : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    EXPECT_EQ(MethodLabel(method), method);
  }
  EXPECT_EQ(MethodLabel("get"), "other");  // methods are case-sensitive (RFC 9110, 9.1)
  EXPECT_EQ(MethodLabel("PROPFIND"), "other");
  EXPECT_EQ(MethodLabel(""), "other");
}

}  // namespace
}  // namespace kith::http
