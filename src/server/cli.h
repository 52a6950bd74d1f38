// The `kith` command line: serve, demo, migrate, user, authority, audit, link and search
// subcommands (link and search live in tools.h).
#pragma once

namespace kith::server {

class ServeHooks;

// Parses the arguments and runs the chosen subcommand. Returns the process exit code. `hooks`
// (may be null; must outlive the call) extend `kith serve`: see server/hooks.h.
int RunCli(int argc, char** argv, ServeHooks* hooks = nullptr);

}  // namespace kith::server
