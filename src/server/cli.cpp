#include "server/cli.h"

#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/admin_service.h"
#include "app/audit_verify.h"
#include "common/log.h"
#include "domain/audit_checkpoint.h"
#include "server/audit_files.h"
#include "server/config.h"
#include "server/demo.h"
#include "server/hub_tools.h"
#include "server/pprl_tools.h"
#include "server/root.h"
#include "server/tools.h"

namespace kith::server {
namespace {

// Reads a password: from standard input when asked to (for scripts), otherwise from the
// terminal with echo off.
std::optional<std::string> ReadPassword(bool from_stdin, const std::string& prompt) {
  std::string line;
  if (from_stdin || !isatty(STDIN_FILENO)) {
    if (!from_stdin) {
      std::cerr << "kith: no terminal to ask for a password; pass --password-stdin and pipe it in.\n";
      return std::nullopt;
    }
    if (!std::getline(std::cin, line)) return std::nullopt;
    return line;
  }
  std::cerr << prompt;
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << "\n";
  return line;
}

struct Runtime {
  Config config;
  Database database;
  storage::Store* store = nullptr;
  SystemClock clock;
  SystemRandom random;
  std::unique_ptr<app::PasswordHasher> hasher;
  std::unique_ptr<app::Context> context;

  // Throws (storage::StorageError) when the database cannot be opened.
  static std::unique_ptr<Runtime> Open(const Config& config) {
    auto rt = std::make_unique<Runtime>();
    rt->config = config;
    auto database = OpenDatabase(config, {});
    if (!database) throw storage::StorageError(database.error().message);
    rt->database = std::move(database).value();
    rt->store = rt->database.store.get();
    rt->hasher = std::make_unique<app::PasswordHasher>(config.fast_hashing ? app::HashCost::kMinimum
                                                                           : app::HashCost::kInteractive);
    rt->context = std::make_unique<app::Context>(app::Context{*rt->store, rt->clock, rt->random, *rt->hasher, {}});
    return rt;
  }
};

int Fail(const Error& e) {
  std::cerr << "kith: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
  return 1;
}

// `kith audit verify` and `kith audit head`.
int AuditVerify(Runtime& rt, bool head_only, const std::vector<std::string>& key_args, std::string checkpoint_dir) {
  const bool tty = isatty(STDERR_FILENO);
  app::AuditVerifyOptions options;
  if (!head_only) {
    options.progress = [&](int64_t n) {
      if (tty) std::cerr << "\rchecked " << n << " records" << std::flush;
    };
    for (const auto& arg : key_args) {
      std::string text = arg;
      if (arg.rfind("ed25519 ", 0) != 0) {
        std::ifstream in(arg);
        if (!in || !std::getline(in, text)) {
          std::cerr << "kith: --public-key " << arg << ": neither a key (\"ed25519 BASE64\") nor a readable file.\n";
          return 1;
        }
      }
      auto key = domain::ParsePublicKey(text);
      if (!key) {
        std::cerr << "kith: --public-key " << arg << ": not a key as `kith audit public-key` prints it.\n";
        return 1;
      }
      options.trusted_keys.push_back(*key);
    }
    if (key_args.empty()) {
      SystemRandom unused;
      if (auto own = LoadSigningKey(rt.config.AuditSigningKeyPath(), false, unused)) {
        options.trusted_keys.push_back(own->public_key());
        std::cerr << "kith: trusting the server's own signing key (" << rt.config.AuditSigningKeyPath()
                  << "); pass --public-key with the key kept elsewhere to catch checkpoints signed again with a "
                     "stolen or replaced key.\n";
      }
    }
  }
  const CheckpointDirectory archive(checkpoint_dir.empty() ? rt.config.AuditCheckpointDir() : checkpoint_dir);
  if (!head_only) options.checkpoints = &archive;
  const auto report = app::VerifyAuditChain(*rt.store, options);
  if (tty && !head_only) std::cerr << "\n";
  if (head_only) {
    for (const auto& head : report.heads) std::cout << head.chain << " " << head.seq << " " << head.hash << "\n";
    return report.first_broken_seq == 0 ? 0 : 1;
  }
  if (report.ok) {
    std::cout << "The audit log is intact: " << report.checked << " records in " << report.heads.size()
              << (report.heads.size() == 1 ? " chain" : " chains") << ".\n";
    for (const auto& head : report.heads) {
      std::cout << "  chain " << head.chain << ": head " << head.seq << " " << head.hash << "\n";
    }
    if (report.newest_checkpoint) {
      const auto& c = *report.newest_checkpoint;
      int64_t covered = 0;
      for (const auto& head : c.chains) covered += head.seq;
      std::cout << "It matches all " << report.checkpoints_valid << " signed checkpoints; the newest, checkpoint "
                << c.number << " (" << domain::FormatMicrosUtc(c.issued_at) << "), vouches for " << covered
                << " records in " << c.chains.size() << (c.chains.size() == 1 ? " chain" : " chains") << "; the "
                << report.checked - covered
                << " records after it are protected by their chain alone until the next checkpoint.\n";
    } else {
      std::cout << "There are no signed checkpoints in " << archive.Describe()
                << ": a rewritten chain or removed newest records cannot be detected.\n";
    }
    return 0;
  }
  if (report.first_broken_seq != 0) {
    std::cout << "The audit log is BROKEN at record " << report.first_broken_seq << " of chain "
              << report.first_broken_chain << ".\n";
  } else {
    std::cout << "The audit log does NOT match its checkpoints.\n";
  }
  std::cout << report.problems.size() << (report.problems.size() == 1 ? " problem" : " problems") << " ("
            << report.checked << " records and " << report.checkpoints_valid << " checkpoints read):\n";
  for (const auto& p : report.problems) std::cout << "- " << p << "\n";
  return 1;
}

}  // namespace

int RunCli(int argc, char** argv, ServeHooks* hooks) {
  CLI::App cli{
      "Kith: the safeguarding network around every child.\n"
      "Configuration comes from --config FILE (or KITH_CONFIG), then KITH_* environment variables;\n"
      "see README.md. The embedded database lives in KITH_DATA (default ./var)."};
  cli.require_subcommand(1);
  std::string config_file;
  cli.add_option("--config", config_file, "Configuration file (key = value lines)");

  auto* serve = cli.add_subcommand("serve", "Serve the web application and API (stops cleanly on SIGTERM/SIGINT)");
  bool demo_if_empty = false;
  serve->add_flag("--demo-if-empty", demo_if_empty, "Create the demo data first if the database is empty");
  std::optional<uint16_t> port;
  serve->add_option("--port", port, "Port to listen on (overrides KITH_PORT; 0 picks a free one)");

  auto* demo = cli.add_subcommand("demo", "Create the fictional demo local authority in an empty database");
  uint64_t seed = 2026;
  demo->add_option("--seed", seed, "Seed for the generated data")->capture_default_str();

  auto* migrate = cli.add_subcommand("migrate", "Apply pending database migrations and report the schema version");

  auto* authority = cli.add_subcommand("authority", "Manage local authorities");
  authority->require_subcommand(1);
  auto* authority_add = authority->add_subcommand("add", "Add a local authority");
  std::string la_code, la_name;
  bool la_2fa = false;
  authority_add->add_option("--code", la_code, "ONS code, e.g. E09000033")->required();
  authority_add->add_option("--name", la_name, "Name")->required();
  authority_add->add_flag("--require-second-factor", la_2fa, "Every user must enrol a second factor");
  auto* authority_list = authority->add_subcommand("list", "List local authorities");

  auto* user = cli.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add a user (asks for the password)");
  app::NewUser nu;
  std::string role_text = "practitioner";
  bool password_stdin = false;
  user_add->add_option("--username", nu.username, "Sign-in name: lower case, e.g. amy.jones")->required();
  user_add->add_option("--name", nu.display_name, "Full name")->required();
  user_add->add_option("--role", role_text, "practitioner, manager, authority_admin, auditor or national_admin")
      ->capture_default_str();
  user_add->add_option("--authority", nu.authority_id, "Local authority id (default: the only one)");
  user_add->add_option("--agency", nu.agency_id, "Agency id (required except for national_admin)");
  user_add->add_option("--job-title", nu.job_title, "Job title, e.g. 'Health visitor'");
  user_add->add_option("--email", nu.email, "Work email");
  user_add->add_option("--phone", nu.phone, "Work phone");
  user_add->add_flag("--password-stdin", password_stdin, "Read the password from standard input");
  auto* user_list = user->add_subcommand("list", "List the users of a local authority");
  std::string list_authority;
  user_list->add_option("--authority", list_authority, "Local authority id (default: the only one)");
  auto* user_passwd = user->add_subcommand("passwd", "Set a user's password (asks for it)");
  auto* user_unlock = user->add_subcommand("unlock", "Clear a user's lockout after failed sign-ins");
  auto* user_disable = user->add_subcommand("disable", "Disable a user and end their sessions");
  auto* user_enable = user->add_subcommand("enable", "Enable a disabled user");
  std::string target_username;
  for (auto* sub : {user_passwd, user_unlock, user_disable, user_enable}) {
    sub->add_option("username", target_username, "The user's sign-in name")->required();
  }
  user_passwd->add_flag("--password-stdin", password_stdin, "Read the password from standard input");

  auto* audit = cli.add_subcommand("audit", "Check the tamper-evident audit trail");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand(
      "verify",
      "Verify every hash chain of the audit log and the log against every signed checkpoint; names each problem "
      "and exits 1 if any");
  std::vector<std::string> public_keys;
  std::string checkpoint_dir;
  audit_verify
      ->add_option("--public-key", public_keys,
                   "A trusted key, as `kith audit public-key` printed it (the line, or a file holding it); "
                   "repeat for keys used before. Default: the server's own signing key")
      ->take_all();
  audit_verify->add_option("--checkpoints", checkpoint_dir,
                           "Directory of the checkpoints (default: audit_checkpoint_dir of the configuration)");
  auto* audit_head = audit->add_subcommand(
      "head",
      "Print the newest record of each chain as 'chain seq hash' lines (keep them elsewhere to detect truncation)");
  audit->add_subcommand("public-key",
                        "Print the public key that checks the server's audit checkpoints (makes the key pair if "
                        "there is none yet); keep a copy outside this machine");

  Tools tools(cli);  // link, import, search
  PprlTools pprl_tools(cli);
  HubTools hub_tools(cli);

  CLI11_PARSE(cli, argc, argv);

  auto config = LoadConfig(config_file, ProcessEnvironment());
  if (!config) return Fail(config.error());
  if (port) config->port = *port;
  log::Level level;
  if (log::ParseLevel(config->log_level, &level)) log::SetLevel(level);

  try {
    if (serve->parsed()) return Serve(*config, demo_if_empty, hooks);
    if (auto code = tools.Run(*config)) return *code;
    if (auto code = pprl_tools.Run()) return *code;
    if (auto code = hub_tools.Run()) return *code;

    if (migrate->parsed()) {
      std::cout << "Database " << MigrateDatabase(*config) << "\n";
      return 0;
    }

    if (audit->got_subcommand("public-key")) {
      SystemRandom random;
      auto key = LoadSigningKey(config->AuditSigningKeyPath(), true, random);
      if (!key) return Fail(key.error());
      std::cout << domain::FormatPublicKey(key->public_key()) << "\n";
      return 0;
    }

    auto rt = Runtime::Open(*config);
    app::AdminService admin(*rt->context);
    const app::Principal cli_user = CliPrincipal();
    auto only_authority = [&](std::string& id) -> bool {
      if (!id.empty()) return true;
      auto all = admin.ListAuthorities(cli_user);
      if (all && all->size() == 1) {
        id = (*all)[0].id;
        return true;
      }
      std::cerr << "kith: there are " << (all ? all->size() : 0)
                << " local authorities; choose one with --authority (see `kith authority list`).\n";
      return false;
    };
    auto find_user = [&](const std::string& username) -> std::optional<domain::User> {
      auto u = rt->store->ReadValue([&](storage::Repositories& r) { return r.Users().GetByUsername(username); });
      if (!u) std::cerr << "kith: there is no user called '" << username << "'.\n";
      return u;
    };

    if (demo->parsed()) {
      if (!IsEmpty(*rt->store)) {
        std::cerr << "kith: the database " << rt->database.where
                  << " already holds data; demo data goes only into an empty database.\n";
        return 1;
      }
      PrintDemoLogins(CreateDemoData(*rt->store, *rt->hasher, rt->clock.Now(), seed), std::cout);
      return 0;
    }
    if (authority_add->parsed()) {
      auto la = admin.CreateAuthority(cli_user, {"", la_code, la_name, la_2fa});
      if (!la) return Fail(la.error());
      std::cout << "Added local authority " << la->name << " with id " << la->id << "\n";
      return 0;
    }
    if (authority_list->parsed()) {
      const auto authorities = admin.ListAuthorities(cli_user);  // kept alive for the loop
      if (!authorities) return Fail(authorities.error());
      for (const auto& la : *authorities) {
        std::cout << la.id << "  " << la.code << "  " << la.name << "\n";
      }
      return 0;
    }
    if (user_add->parsed()) {
      auto role = domain::ParseRole(role_text);
      if (!role) return Fail(Error::Invalid("role", "Unknown role '" + role_text + "'."));
      nu.role = *role;
      if (nu.role != domain::Role::kNationalAdmin && !only_authority(nu.authority_id)) return 1;
      auto password = ReadPassword(password_stdin, "Password for " + nu.username + ": ");
      if (!password) return 1;
      nu.password = *password;
      auto created = admin.CreateUser(cli_user, nu);
      if (!created) return Fail(created.error());
      std::cout << "Added " << created->username << " (" << domain::ToString(created->role) << ") with id "
                << created->id << "\n";
      return 0;
    }
    if (user_list->parsed()) {
      if (!only_authority(list_authority)) return 1;
      auto users = admin.ListUsers(cli_user, list_authority);
      if (!users) return Fail(users.error());
      for (const auto& u : *users) {
        std::cout << u.username << "  " << domain::ToString(u.role) << "  " << u.display_name
                  << (u.active ? "" : "  [disabled]")
                  << (u.locked_until && *u.locked_until > rt->clock.Now() ? "  [locked]" : "")
                  << (u.totp_enrolled ? "  [2FA]" : "") << "\n";
      }
      return 0;
    }
    for (auto* sub : {user_passwd, user_unlock, user_disable, user_enable}) {
      if (!sub->parsed()) continue;
      auto u = find_user(target_username);
      if (!u) return 1;
      app::UserChanges changes;
      changes.version = u->version;
      if (sub == user_passwd) {
        auto password = ReadPassword(password_stdin, "New password for " + u->username + ": ");
        if (!password) return 1;
        changes.password = *password;
      }
      changes.unlock = sub == user_unlock;
      if (sub == user_disable) changes.active = false;
      if (sub == user_enable) changes.active = true;
      auto updated = admin.UpdateUser(cli_user, u->id, changes);
      if (!updated) return Fail(updated.error());
      std::cout << "Updated " << u->username << "\n";
      return 0;
    }
    if (audit_verify->parsed() || audit_head->parsed()) {
      return AuditVerify(*rt, audit_head->parsed(), public_keys, checkpoint_dir);
    }
  } catch (const std::exception& e) {
    std::cerr << "kith: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace kith::server
