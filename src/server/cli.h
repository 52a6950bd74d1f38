// The `kith` command line: serve, demo, migrate, user, authority and audit subcommands.
#pragma once

namespace kith::server {

// Parses the arguments and runs the chosen subcommand. Returns the process exit code.
int RunCli(int argc, char** argv);

}  // namespace kith::server
