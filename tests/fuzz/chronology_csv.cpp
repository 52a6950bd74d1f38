// A chronology import (POST .../chronology/import, text/csv): domain::ParseChronologyCsv with
// every agency name known. Invariant: every data row is either an entry or an error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/account/chronology.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int next = 0;
  domain::CsvImportContext context;
  context.child_id = "child-1";
  context.author_id = "user-1";
  context.today = Date{2026, 12, 7};
  context.max_rows = 1000;
  context.resolve_agency = [](std::string_view name) -> std::optional<domain::AgencyRef> {
    if (name.empty() || name == "unknown") return std::nullopt;
    return domain::AgencyRef{std::string(name), domain::AgencyKind::kSchool};
  };
  context.next_id = [&next] { return "entry-" + std::to_string(++next); };
  auto parsed = domain::ParseChronologyCsv(std::string_view(reinterpret_cast<const char*>(data), size), context);
  if (parsed && parsed->entries.size() > static_cast<size_t>(parsed->rows_read)) std::abort();
  return 0;
}
