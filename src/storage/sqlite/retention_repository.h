// The SQLite implementation of RetentionRepository (storage/repositories.h): rules per
// authority, legal holds and the facts retention needs. Private to the back end; created by
// MakeRepositories. Not thread-safe: used by one transaction on one thread.
#pragma once

#include <memory>

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"

namespace kith::storage::sqlite {

std::unique_ptr<RetentionRepository> MakeRetentionRepository(Connection& connection);

}  // namespace kith::storage::sqlite
