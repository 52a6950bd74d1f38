#include "server/cli.h"

int main(int argc, char** argv) { return kith::server::RunCli(argc, argv); }
