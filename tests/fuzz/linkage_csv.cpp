// The CSV reader of `kith link`, `kith search --batch` and `kith pprl encode` (linkage/csv.h):
// any bytes give records and row errors, never a crash.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "linkage/csv.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  auto loaded = linkage::ReadRecordsCsv(in, {});
  if (loaded) {
    for (const auto& record : loaded->records) (void)linkage::CsvQuote(record.record_id);
  }
  return 0;
}
