// What both back ends share about stored import jobs: the names of their states in the database.
// Private to the storage back ends. Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/repositories.h"

namespace kith::storage {

inline std::string_view StateName(ImportJobState state) {
  switch (state) {
    case ImportJobState::kReceiving:
      return "receiving";
    case ImportJobState::kQueued:
      return "queued";
    case ImportJobState::kRunning:
      return "running";
    case ImportJobState::kDone:
      return "done";
    case ImportJobState::kFailed:
      return "failed";
  }
  return "failed";
}

inline std::optional<ImportJobState> ParseImportJobState(std::string_view name) {
  for (auto s : {ImportJobState::kReceiving, ImportJobState::kQueued, ImportJobState::kRunning, ImportJobState::kDone,
                 ImportJobState::kFailed}) {
    if (StateName(s) == name) return s;
  }
  return std::nullopt;
}

// ImportJobRepository::AppendPart's answer to a part that does not follow on.
inline std::string OffsetRefused(int64_t offset, int64_t bytes_received) {
  const std::string has = std::to_string(bytes_received);
  return "This part starts at byte " + std::to_string(offset) + " but the import has " + has +
         " bytes; send the part that starts at byte " + has + ".";
}

}  // namespace kith::storage
