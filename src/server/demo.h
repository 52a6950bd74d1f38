// The demo data set: a believable, clearly fictional local authority ("Northbrook") with
// agencies of every kind, about 30 practitioners, about 200 children with carers, schools, GPs
// and services, teams around some of them, and a few children with rich multi-agency pictures.
// Deterministic: the same seed gives the same data.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "app/credentials.h"
#include "common/clock.h"
#include "storage/store.h"

namespace kith::server {

struct DemoLogin {
  std::string username;
  std::string role;         // e.g. "Social worker, Northbrook Children's Services"
  std::string description;  // what to try with this login
};

struct DemoSummary {
  int agencies = 0;
  int users = 0;
  int children = 0;
  int team_memberships = 0;
  int chronology_entries = 0;
  std::string password;  // shared by every demo login
  std::vector<DemoLogin> logins;
};

// True if the store holds no local authority yet.
bool IsEmpty(storage::Store& store);

// Creates the demo data. Throws storage::StorageError if the store is not empty.
DemoSummary CreateDemoData(storage::Store& store, const app::PasswordHasher& hasher, TimePoint now, uint64_t seed);

// Prints what was created and the demo logins, for a person to read.
void PrintDemoLogins(const DemoSummary& summary, std::ostream& out);

}  // namespace kith::server
