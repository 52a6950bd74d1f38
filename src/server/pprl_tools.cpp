#include "server/pprl_tools.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <unordered_map>

#include "common/random.h"
#include "linkage/csv.h"
#include "pprl/encoder.h"
#include "pprl/token_file.h"
#include "pprl/token_link.h"

namespace kith::server {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void PrintRowErrors(const std::string& file, const std::vector<linkage::RowError>& errors) {
  constexpr size_t kShown = 50;
  for (size_t i = 0; i < errors.size() && i < kShown; ++i) {
    std::cerr << "  " << file << " line " << errors[i].line << ": " << errors[i].reason << "\n";
  }
  if (errors.size() > kShown) std::cerr << "  … and " << errors.size() - kShown << " more\n";
}

// Writes through a temporary file renamed into place, so that a failed run leaves no partial file.
bool WriteAtomically(const std::string& path, const std::string& tool, const std::function<void(std::ostream&)>& fn) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      std::cerr << tool << ": cannot write " << path << ": check the directory exists and is writable\n";
      return false;
    }
    fn(out);
    out.flush();
    if (!out) {
      std::cerr << tool << ": writing " << path << " failed (disk full?)\n";
      std::filesystem::remove(tmp);
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::cerr << tool << ": cannot write " << path << ": " << ec.message() << "\n";
    std::filesystem::remove(tmp);
    return false;
  }
  return true;
}

}  // namespace

struct PprlTools::Options {
  CLI::App* pprl = nullptr;
  CLI::App* keygen = nullptr;
  CLI::App* encode = nullptr;
  CLI::App* link = nullptr;
  std::string keygen_out;
  std::string encode_input;
  std::string encode_secret;
  std::string encode_out;
  std::vector<std::string> encode_fields;
  std::vector<std::string> link_inputs;
  std::string link_out;
  double link_threshold = pprl::TokenLinkOptions{}.threshold;

  int RunKeygen() const;
  int RunEncode() const;
  int RunLink() const;
};

PprlTools::PprlTools(CLI::App& cli) : o_(std::make_unique<Options>()) {
  o_->pprl = cli.add_subcommand(
      "pprl", "Privacy-preserving linkage: encode records as tokens and link token files (docs/linkage.md)");
  o_->pprl->require_subcommand(1);
  o_->keygen = o_->pprl->add_subcommand("keygen", "Write a new linkage secret (for the key custodian)");
  o_->keygen->add_option("--out", o_->keygen_out, "The secret file to create (mode 600; never overwritten)")
      ->required();

  o_->encode = o_->pprl->add_subcommand("encode", "Encode source records (CSV, as `kith link` reads) as tokens");
  o_->encode->add_option("input", o_->encode_input, "CSV with a header (see docs/linkage.md, \"Input columns\")")
      ->required()
      ->check(CLI::ExistingFile);
  o_->encode->add_option("--secret-file", o_->encode_secret, "The linkage secret (from `kith pprl keygen`)")
      ->required();
  o_->encode->add_option("--out", o_->encode_out, "Write record_id and tokens here")->required();
  o_->encode->add_option("--field", o_->encode_fields, "COLUMN=TYPE: override a column's meaning (repeatable)");

  o_->link = o_->pprl->add_subcommand("link", "Link token files by their tokens alone");
  o_->link->add_option("inputs", o_->link_inputs, "Token files from `kith pprl encode`, made with one secret")
      ->required()
      ->check(CLI::ExistingFile);
  o_->link->add_option("--out", o_->link_out, "Write record_id,cluster_id here")->required();
  o_->link->add_option("--threshold", o_->link_threshold, "Dice coefficient at or above which two CLKs match")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 1.0));
}

PprlTools::~PprlTools() = default;

std::optional<int> PprlTools::Run() {
  if (!o_->pprl->parsed()) return std::nullopt;
  if (o_->keygen->parsed()) return o_->RunKeygen();
  if (o_->encode->parsed()) return o_->RunEncode();
  return o_->RunLink();
}

int PprlTools::Options::RunKeygen() const {
  SystemRandom random;
  const auto secret = pprl::LinkageSecret::Generate(random);
  const int fd = ::open(keygen_out.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    std::cerr << "kith pprl keygen: cannot create " << keygen_out
              << (errno == EEXIST ? ": it exists (a secret is never overwritten; rotate by writing a new file)"
                                  : ": check the directory exists and is writable")
              << "\n";
    return 1;
  }
  const std::string text = secret.FileText();
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    std::cerr << "kith pprl keygen: writing " << keygen_out << " failed\n";
    std::filesystem::remove(keygen_out);
    return 1;
  }
  std::cerr << "kith pprl keygen: wrote a new linkage secret with key id " << secret.KeyId() << " to " << keygen_out
            << "\n";
  return 0;
}

int PprlTools::Options::RunEncode() const {
  const auto started = std::chrono::steady_clock::now();
  auto secret = pprl::LinkageSecret::FromFile(encode_secret);
  if (!secret) {
    std::cerr << "kith pprl encode: " << secret.error().message << "\n";
    return 1;
  }
  auto loaded = linkage::ReadRecordsCsvFile(encode_input, encode_fields);
  if (!loaded) {
    std::cerr << "kith pprl encode: " << encode_input << ": " << loaded.error().message << "\n";
    return 1;
  }
  if (!loaded->errors.empty()) {
    std::cerr << "kith pprl encode: " << loaded->errors.size() << " rows skipped:\n";
    PrintRowErrors(encode_input, loaded->errors);
  }
  const pprl::Encoder encoder(*secret);
  std::vector<pprl::Tokens> tokens;
  tokens.reserve(loaded->records.size());
  size_t empty = 0;
  for (const auto& r : loaded->records) {
    auto t = encoder.Encode(r);
    if (!t.has_clk && !t.nhs && !t.upn) {
      ++empty;
      continue;
    }
    tokens.push_back(std::move(t));
  }
  if (empty > 0) {
    std::cerr << "kith pprl encode: " << empty
              << " records have no name, date of birth, sex, postcode, NHS number or UPN and were left out\n";
  }
  if (!WriteAtomically(encode_out, "kith pprl encode",
                       [&](std::ostream& out) { pprl::WriteTokens(out, encoder.Encoding(), tokens); })) {
    return 1;
  }
  std::cerr << fmt::format("kith pprl encode: {} records encoded ({}) to {} in {:.1f} s\n", tokens.size(),
                           encoder.Encoding(), encode_out, Seconds(started));
  return 0;
}

int PprlTools::Options::RunLink() const {
  const auto started = std::chrono::steady_clock::now();
  std::vector<pprl::Tokens> all;
  std::string encoding, encoding_file;
  bool bad = false;
  for (const auto& path : link_inputs) {
    auto rows = pprl::ReadTokenFile(path);
    if (!rows) {
      std::cerr << "kith pprl link: " << rows.error().message << "\n";
      return 1;
    }
    if (!rows->errors.empty()) {
      std::cerr << "kith pprl link: " << path << ": " << rows->errors.size() << " bad rows:\n";
      PrintRowErrors(path, rows->errors);
      bad = true;
    }
    if (!rows->encoding.empty()) {
      if (encoding.empty()) {
        encoding = rows->encoding, encoding_file = path;
      } else if (rows->encoding != encoding) {
        std::cerr << "kith pprl link: " << path << " is encoded as " << rows->encoding << " but " << encoding_file
                  << " as " << encoding
                  << ": tokens made with another secret or scheme never match; re-encode every file with one secret\n";
        bad = true;
      }
    }
    for (auto& t : rows->rows) all.push_back(std::move(t));
  }
  // Record ids name the output rows, so they must be unique across the files too.
  std::unordered_map<std::string_view, size_t> ids;
  size_t repeated = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!ids.emplace(all[i].record_id, i).second && repeated++ < 50) {
      std::cerr << "kith pprl link: record_id " << all[i].record_id
                << " appears in more than one file; give each authority's records distinct ids\n";
    }
  }
  if (bad || repeated > 0) {
    std::cerr << "kith pprl link: nothing written; correct the token files and run again\n";
    return 1;
  }
  pprl::TokenLinkOptions options;
  options.threshold = link_threshold;
  auto linked = pprl::LinkTokens(all, options);
  if (!linked) {
    std::cerr << "kith pprl link: " << linked.error().message << "\n";
    return 1;
  }
  if (!WriteAtomically(link_out, "kith pprl link", [&](std::ostream& out) {
        out << "record_id,cluster_id\n";
        for (size_t i = 0; i < all.size(); ++i) {
          const std::string& id = all[i].record_id;
          const bool quote = id.find_first_of(",\"\r\n") != std::string::npos;
          if (quote) {
            out << '"';
            for (char c : id) out << (c == '"' ? "\"\"" : std::string(1, c));
            out << '"';
          } else {
            out << id;
          }
          out << ',' << linked->cluster_of[i] << '\n';
        }
      })) {
    return 1;
  }
  const auto& s = linked->stats;
  std::cerr << fmt::format(
      "kith pprl link: {} records from {} files, {} clusters; {} CLK comparisons ({:.0f} million/s), {} identifier "
      "matches, {} CLK matches, {} refused for joining different identifiers, {} weak links between clusters; "
      "{:.1f} s\n",
      s.records, link_inputs.size(), s.clusters, s.comparisons,
      s.compare_seconds > 0 ? s.comparisons / s.compare_seconds / 1e6 : 0.0, s.identifier_matches, s.clk_matches,
      s.identifier_conflicts, s.weak_bridges, Seconds(started));
  std::cerr << "kith pprl link: clusters written to " << link_out << "\n";
  return 0;
}

}  // namespace kith::server
