// The `kith` command line: serve, demo, migrate, user, authority, audit, link and search
// subcommands (link and search live in tools.h).
#pragma once

namespace kith::server {

// Parses the arguments and runs the chosen subcommand. Returns the process exit code.
int RunCli(int argc, char** argv);

}  // namespace kith::server
