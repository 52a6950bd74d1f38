// Linkage-token files (`kith pprl link` input; pprl/token_file.h). Invariant: every good row
// carries the file's encoding, and what is read writes back and reads again the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "pprl/token_file.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  auto read = pprl::ReadTokens(in, "fuzz.csv");
  if (!read) return 0;
  if (read->rows.empty() != read->encoding.empty()) std::abort();
  if (read->rows.empty()) return 0;
  std::ostringstream out;
  pprl::WriteTokens(out, read->encoding, read->rows);
  std::istringstream again_in(out.str());
  auto again = pprl::ReadTokens(again_in, "again.csv");
  if (!again || again->rows.size() != read->rows.size() || !again->errors.empty()) std::abort();
  return 0;
}
