#include "server/hub_tools.h"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/clock.h"
#include "common/log.h"
#include "common/random.h"
#include "http/metrics.h"
#include "http/pipeline.h"
#include "http/server.h"
#include "http/static_files.h"
#include "hub/hub_api.h"
#include "hub/hub_service.h"

namespace kith::server {

struct HubTools::Options {
  CLI::App* hub = nullptr;
  CLI::App* serve = nullptr;
  CLI::App* keygen = nullptr;
  std::string data_dir;
  std::string authorities_file;
  std::string address = "127.0.0.1";
  uint16_t port = 8090;
  std::string keygen_authority;
  std::string keygen_out;

  int Serve() const;
  int Keygen() const;
};

HubTools::HubTools(CLI::App& cli) : o_(std::make_unique<Options>()) {
  o_->hub = cli.add_subcommand("hub", "The national hub: linkage tokens only, per authority and child (docs/hub.md)");
  o_->hub->require_subcommand(1);
  o_->serve = o_->hub->add_subcommand("serve", "Serve the hub");
  o_->serve->add_option("--data", o_->data_dir, "Directory of the hub's database (hub.db)")->required();
  o_->serve
      ->add_option("--authorities", o_->authorities_file,
                   "The trusted authorities: one `CODE BASE64-PUBLIC-KEY` line each (from `kith hub keygen`)")
      ->required()
      ->check(CLI::ExistingFile);
  o_->serve->add_option("--address", o_->address, "Address to listen on")->capture_default_str();
  o_->serve->add_option("--port", o_->port, "Port to listen on (0: any free port)")->capture_default_str();
  o_->keygen = o_->hub->add_subcommand("keygen", "Write a new signing key for an authority's node");
  o_->keygen->add_option("--authority", o_->keygen_authority, "The authority's code (e.g. its ONS code)")->required();
  o_->keygen->add_option("--out", o_->keygen_out, "The key file to create (mode 600; never overwritten)")->required();
}

HubTools::~HubTools() = default;

std::optional<int> HubTools::Run() {
  if (!o_->hub->parsed()) return std::nullopt;
  return o_->serve->parsed() ? o_->Serve() : o_->Keygen();
}

int HubTools::Options::Keygen() const {
  SystemRandom random;
  if (keygen_authority.empty() || keygen_authority.size() > 32 ||
      keygen_authority.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
          std::string::npos) {
    std::cerr << "kith hub keygen: --authority is 1 to 32 letters, digits, '-' or '_'\n";
    return 1;
  }
  const auto key = hub::SigningKey::Generate(keygen_authority, random);
  const int fd = ::open(keygen_out.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    std::cerr << "kith hub keygen: cannot create " << keygen_out
              << (errno == EEXIST ? ": it exists (a key is never overwritten)" : "") << "\n";
    return 1;
  }
  const std::string text = key.FileText();
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    std::filesystem::remove(keygen_out);
    std::cerr << "kith hub keygen: writing " << keygen_out << " failed\n";
    return 1;
  }
  std::cout << key.PublicLine() << "\n";
  std::cerr << "kith hub keygen: wrote " << keygen_out << "; add the line above to the hub's authorities file\n";
  return 0;
}

int HubTools::Options::Serve() const {
  std::ifstream in(authorities_file);
  std::stringstream text;
  text << in.rdbuf();
  auto authorities = hub::ParseAuthorities(text.str(), authorities_file);
  if (!authorities) {
    std::cerr << "kith hub serve: " << authorities.error().message << "\n";
    return 1;
  }
  if (authorities->empty()) {
    std::cerr << "kith hub serve: " << authorities_file << " names no authority\n";
    return 1;
  }
  std::filesystem::create_directories(data_dir);
  auto store = hub::OpenSqliteHubStore((std::filesystem::path(data_dir) / "hub.db").string());
  std::vector<std::string> codes;
  for (const auto& [code, key] : *authorities) codes.push_back(code);
  hub::HubService service(*store, codes);
  SystemClock clock;
  http::Router router;
  hub::RegisterHubApi(router, {service, *store, *authorities, clock});
  http::Metrics metrics([] { return storage::StoreStats{}; });
  const http::StaticFiles files = http::StaticFiles::None();  // the hub has no web pages
  const http::Pipeline pipeline(router, files, metrics, {});
  http::Server server({.address = address, .port = port, .threads = 8}, pipeline, metrics);
  const uint16_t bound = server.Listen();
  log::Info("hub.listening",
            {{"address", address}, {"port", bound}, {"children", service.Size()}, {"authorities", codes.size()}});
  std::cout << "Kith hub is serving on http://" << address << ":" << bound << "/" << std::endl;
  server.Run();
  return 0;
}

}  // namespace kith::server
