// The test build of `kith`: the product's command line with server/test_hooks.h's hooks. Only
// the tests run it; `make run` runs `kith`, which does not contain them.
#include "server/cli.h"
#include "server/test_hooks.h"

int main(int argc, char** argv) {
  kith::server::TestHooks hooks;
  return kith::server::RunCli(argc, argv, &hooks);
}
