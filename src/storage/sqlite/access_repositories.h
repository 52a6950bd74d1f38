// The SQLite implementation of the repositories of access beyond the team: break-glass and
// requests to join a team. Private to the back end; created by MakeRepositories. Not
// thread-safe: used by one transaction on one thread.
#pragma once

#include <memory>

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"

namespace kith::storage::sqlite {

std::unique_ptr<BreakGlassRepository> MakeBreakGlassRepository(Connection& connection);
std::unique_ptr<JoinRequestRepository> MakeJoinRequestRepository(Connection& connection);

}  // namespace kith::storage::sqlite
