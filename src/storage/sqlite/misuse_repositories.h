// The SQLite implementations of the misuse report's repositories: practitioners' homes, the
// report's flags and job claims. Private to the back end; created by MakeRepositories. Not
// thread-safe: used by one transaction on one thread.
#pragma once

#include <memory>

#include "storage/repositories.h"
#include "storage/sqlite/connection.h"

namespace kith::storage::sqlite {

std::unique_ptr<PractitionerHomeRepository> MakePractitionerHomeRepository(Connection& connection);
std::unique_ptr<MisuseFlagRepository> MakeMisuseFlagRepository(Connection& connection);
std::unique_ptr<JobClaimRepository> MakeJobClaimRepository(Connection& connection);

}  // namespace kith::storage::sqlite
