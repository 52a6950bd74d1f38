// The national hub's commands (docs/hub.md):
//   kith hub serve --data DIR --authorities FILE [--address A] [--port N]
//       serves the hub: tokens only, per authority and child, in DIR/hub.db;
//   kith hub keygen --authority CODE --out KEY
//       a new Ed25519 signing key for an authority's node; prints the line for the hub's
//       authorities file.
// Thread safety: used once, from main.
#pragma once

#include <memory>
#include <optional>

namespace CLI {
class App;
}

namespace kith::server {

class HubTools {
 public:
  explicit HubTools(CLI::App& cli);
  ~HubTools();
  // Runs the parsed `hub` subcommand and returns its exit code; nullopt when none was parsed.
  std::optional<int> Run();

 private:
  struct Options;
  std::unique_ptr<Options> o_;
};

}  // namespace kith::server
