#include "conformance/backends.h"

#include "storage/sqlite/sqlite_store.h"

namespace kith::conformance {

std::vector<Backend> Backends() {
  auto sqlite = [](const std::string& dir) {
    return storage::OpenSqliteStore({.path = dir + "/kith.db", .readers = 2});
  };
  return {{"sqlite", sqlite, sqlite}};
}

}  // namespace kith::conformance
