// Verifies the whole audit log, chain by chain (domain/audit.h): within each chain sequence
// numbers run 1, 2, 3 … without gaps, each record's prev_hash is the previous record's hash, and
// each hash matches the record's contents. Removing records from the end of a chain (or a whole
// chain) cannot be detected from inside the log; operators record the heads (`kith audit head`)
// elsewhere to close that gap.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "storage/store.h"

namespace kith::app {

struct ChainReport {
  int64_t checked = 0;  // records checked, over every chain
  bool ok = true;
  int64_t first_broken_chain = 0;  // with first_broken_seq: the first broken record, when !ok
  int64_t first_broken_seq = 0;    // 0 when ok
  std::string problem;             // what is wrong with that record
  // The last record checked of each chain, in chain order (the heads when ok).
  std::vector<storage::AuditChainHead> heads;
};

// `progress` is called now and then with the number of records checked so far. Records appended
// while it runs may or may not be checked; every record there was when it started is.
ChainReport VerifyAuditChain(storage::Store& store, const std::function<void(int64_t)>& progress);

}  // namespace kith::app
