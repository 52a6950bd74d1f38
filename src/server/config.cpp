#include "server/config.h"

#include <charconv>
#include <fstream>

extern char** environ;

namespace kith::server {
namespace {

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

Status Apply(Config& c, const std::string& key, const std::string& value, const std::string& where) {
  auto bad = [&](const std::string& what) {
    return Error::Invalid(key, where + ": " + key + " must be " + what + " (got '" + value + "').");
  };
  auto boolean = [&](bool& out) -> Status {
    if (value == "true" || value == "1" || value == "yes") {
      out = true;
    } else if (value == "false" || value == "0" || value == "no") {
      out = false;
    } else {
      return bad("true or false");
    }
    return Ok{};
  };
  auto integer = [&](int64_t lo, int64_t hi, int64_t& out) -> Status {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || ptr != value.data() + value.size() || v < lo || v > hi) {
      return bad("a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    out = v;
    return Ok{};
  };
  int64_t n = 0;
  if (key == "port") {
    if (auto s = integer(0, 65535, n); !s) return s;
    c.port = static_cast<uint16_t>(n);
  } else if (key == "threads") {
    if (auto s = integer(1, 1024, n); !s) return s;
    c.threads = static_cast<int>(n);
  } else if (key == "address") {
    c.address = value;
  } else if (key == "data") {
    if (value.empty()) return bad("a directory");
    c.data_dir = value;
  } else if (key == "database_url") {
    if (!value.empty() && value.rfind("postgresql://", 0) != 0 && value.rfind("postgres://", 0) != 0 &&
        value.find('=') == std::string::npos) {
      // Not echoed: it may hold a password.
      return Error::Invalid(key, where + ": " + key +
                                     " must be a PostgreSQL connection URI (postgresql://…) or a key=value "
                                     "connection string.");
    }
    c.database_url = value;
  } else if (key == "web_root") {
    c.web_root = value;
  } else if (key == "log_level") {
    if (value != "debug" && value != "info" && value != "warn" && value != "error") {
      return bad("debug, info, warn or error");
    }
    c.log_level = value;
  } else if (key == "secure_cookies") {
    return boolean(c.secure_cookies);
  } else if (key == "fast_hashing") {
    return boolean(c.fast_hashing);
  } else if (key == "trusted_proxies") {
    auto proxies = http::TrustedProxies::Parse(value);
    if (!proxies) return Error::Invalid(key, where + ": " + proxies.error().message);
    c.trusted_proxies = std::move(*proxies);
  } else if (key == "max_connections") {
    if (auto s = integer(16, 1'000'000, n); !s) return s;
    c.max_connections = static_cast<int>(n);
  } else if (key == "max_connections_per_address") {
    if (auto s = integer(1, 1'000'000, n); !s) return s;
    c.max_connections_per_address = static_cast<int>(n);
  } else if (key == "idle_timeout") {
    if (auto s = integer(1, 3600, n); !s) return s;
    c.idle_timeout_seconds = static_cast<int>(n);
  } else if (key == "header_timeout") {
    if (auto s = integer(1, 3600, n); !s) return s;
    c.header_timeout_seconds = static_cast<int>(n);
  } else if (key == "body_timeout") {
    if (auto s = integer(1, 3600, n); !s) return s;
    c.body_timeout_seconds = static_cast<int>(n);
  } else if (key == "break_glass_hours") {
    if (auto s = integer(1, 72, n); !s) return s;
    c.break_glass_hours = static_cast<int>(n);
  } else if (key == "break_glass_max_hours") {
    if (auto s = integer(1, 72, n); !s) return s;
    c.break_glass_max_hours = static_cast<int>(n);
  } else if (key == "join_escalation_hours") {
    if (auto s = integer(1, 24 * 30, n); !s) return s;
    c.join_escalation_hours = static_cast<int>(n);
  } else if (key == "word_index_mib") {
    if (auto s = integer(0, 65536, n); !s) return s;
    c.word_index_mib = static_cast<int>(n);
  } else if (key == "audit_checkpoint_dir") {
    c.audit_checkpoint_dir = value;
  } else if (key == "audit_signing_key") {
    c.audit_signing_key = value;
  } else if (key == "audit_checkpoint_url") {
    if (!value.empty() && value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0) {
      return bad("an http:// or https:// address");
    }
    c.audit_checkpoint_url = value;
  } else if (key == "audit_export_page") {
    if (auto s = integer(1, 10'000, n); !s) return s;
    c.audit_export_page = static_cast<int>(n);
  } else if (key == "hub_url") {
    c.hub_url = value;
  } else if (key == "hub_key_file") {
    c.hub_key_file = value;
  } else if (key == "linkage_secret_file") {
    c.linkage_secret_file = value;
  } else if (key == "hub_authority") {
    c.hub_authority = value;
  } else if (key == "hub_interval") {
    if (auto s = integer(1, 3600, n); !s) return s;
    c.hub_interval = static_cast<int>(n);
  } else {
    return Error::Invalid(key, where + ": unknown setting '" + key + "'.");
  }
  return Ok{};
}

constexpr const char* kKeys[] = {"port",
                                 "address",
                                 "data",
                                 "database_url",
                                 "web_root",
                                 "threads",
                                 "log_level",
                                 "secure_cookies",
                                 "fast_hashing",
                                 "trusted_proxies",
                                 "max_connections",
                                 "max_connections_per_address",
                                 "idle_timeout",
                                 "header_timeout",
                                 "body_timeout",
                                 "break_glass_hours",
                                 "break_glass_max_hours",
                                 "join_escalation_hours",
                                 "word_index_mib",
                                 "audit_checkpoint_dir",
                                 "audit_signing_key",
                                 "audit_checkpoint_url",
                                 "audit_export_page",
                                 "hub_url",
                                 "hub_key_file",
                                 "linkage_secret_file",
                                 "hub_authority",
                                 "hub_interval"};

}  // namespace

Result<Config> LoadConfig(const std::string& file, const std::map<std::string, std::string>& env) {
  Config c;
  std::string path = file;
  if (path.empty()) {
    auto it = env.find("KITH_CONFIG");
    if (it != env.end()) path = it->second;
  }
  if (!path.empty()) {
    std::ifstream in(path);
    if (!in) return Error::Invalid("config", "Cannot read the configuration file " + path + ".");
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      line = Trim(line.substr(0, line.find('#')));
      if (line.empty()) continue;
      const auto eq = line.find('=');
      const std::string where = path + ":" + std::to_string(number);
      if (eq == std::string::npos) return Error::Invalid("config", where + ": expected 'key = value'.");
      if (auto s = Apply(c, Trim(line.substr(0, eq)), Trim(line.substr(eq + 1)), where); !s) return s.error();
    }
  }
  for (const char* key : kKeys) {
    std::string var = "KITH_";
    for (const char* p = key; *p; ++p) var.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(*p))));
    auto it = env.find(var);
    if (it != env.end()) {
      if (auto s = Apply(c, key, it->second, "environment variable " + var); !s) return s.error();
    }
  }
  if (c.break_glass_hours > c.break_glass_max_hours) {
    return Error::Invalid("break_glass_hours", "break_glass_hours (" + std::to_string(c.break_glass_hours) +
                                                   ") is longer than break_glass_max_hours (" +
                                                   std::to_string(c.break_glass_max_hours) +
                                                   "); make the default at most the maximum.");
  }
  const int hub_settings =
      !c.hub_url.empty() + !c.hub_key_file.empty() + !c.linkage_secret_file.empty() + !c.hub_authority.empty();
  if (hub_settings != 0 && hub_settings != 4) {
    return Error::Invalid("hub_url",
                          "Publishing to the hub needs hub_url, hub_key_file, linkage_secret_file and "
                          "hub_authority together (see docs/hub.md).");
  }
  return c;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry = *e;
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

}  // namespace kith::server
