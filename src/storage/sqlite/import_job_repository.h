// The SQLite implementation of ImportJobRepository (index imports through the server, issue 16).
// Private to the back end; created by MakeRepositories. Not thread-safe: used by one transaction
// on one thread.
#pragma once

#include <memory>

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"

namespace kith::storage::sqlite {

std::unique_ptr<ImportJobRepository> MakeImportJobRepository(Connection& connection);

}  // namespace kith::storage::sqlite
