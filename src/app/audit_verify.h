// Verifies the whole audit chain: sequence numbers run 1, 2, 3 … without gaps, each record's
// prev_hash is the previous record's hash, and each hash matches the record's contents.
// Removing records from the end of the log cannot be detected from inside the log; operators
// record the head (`kith audit head`) elsewhere to close that gap.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "storage/store.h"

namespace kith::app {

struct ChainReport {
  int64_t checked = 0;
  bool ok = true;
  int64_t first_broken_seq = 0;  // 0 when ok
  std::string problem;           // what is wrong with that record
  std::string head_hash;         // hash of the last record checked
};

// `progress` is called now and then with the number of records checked so far.
ChainReport VerifyAuditChain(storage::Store& store, const std::function<void(int64_t)>& progress);

}  // namespace kith::app
