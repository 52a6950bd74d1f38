// The privacy-preserving linkage commands (docs/adr/0013-pprl-tokens.md):
//   kith pprl keygen --out SECRET                 a new linkage secret (the key custodian's act)
//   kith pprl encode IN.csv --secret-file SECRET --out TOKENS.csv [--field COLUMN=TYPE …]
//       reads the columns `kith link` reads and writes record_id and tokens only;
//   kith pprl link TOKENS.csv [TOKENS.csv …] --out CLUSTERS.csv [--threshold D]
//       links token files (from several authorities) by their tokens alone and writes
//       record_id,cluster_id as `kith link` does.
// A bad input row of `encode` is reported with its line and skipped (as `kith link` does); a bad
// token file makes `link` stop with every bad line named and write nothing.
// Thread safety: used once, from main.
#pragma once

#include <memory>
#include <optional>

namespace CLI {
class App;
}

namespace kith::server {

class PprlTools {
 public:
  // Adds the `pprl` subcommand and its own subcommands to `cli`.
  explicit PprlTools(CLI::App& cli);
  ~PprlTools();

  // Runs the parsed `pprl` subcommand and returns its exit code; nullopt when none was parsed.
  std::optional<int> Run();

 private:
  struct Options;
  std::unique_ptr<Options> o_;
};

}  // namespace kith::server
