// The composition root: the one place where the store, clock, randomness, services, router and
// server are built and wired together.
#pragma once

#include <memory>

#include "server/config.h"

namespace kith::server {

class ServeHooks;

// Runs the server until SIGTERM/SIGINT. With `demo_if_empty`, an empty database first gets the
// demo data and the demo logins are printed. `hooks` (may be null) extend the server: the test
// build's (server/hooks.h). Returns the process exit code.
int Serve(const Config& config, bool demo_if_empty, ServeHooks* hooks = nullptr);

}  // namespace kith::server
