// A source feed (a school roll, a GP list) as `kith import` and the Imports page read it
// (app::ParseFeed). Invariant: every data row is either kept or rejected, and a kept row has a
// record id and a source.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "app/index_import.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto feed = app::ParseFeed(text, size % 2 ? "school-roll" : "", Date{2026, 12, 7});
  if (!feed) return 0;
  if (feed->rows.size() + feed->rejected.size() != feed->rows_read) std::abort();
  for (const auto& row : feed->rows) {
    if (row.record.record_id.empty() || row.record.source.empty()) std::abort();
  }
  return 0;
}
