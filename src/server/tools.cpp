#include "server/tools.h"

#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/index_import.h"
#include "app/search_service.h"
#include "common/clock.h"
#include "linkage/csv.h"
#include "linkage/linker.h"
#include "linkage/search_index.h"
#include "server/db_lock.h"
#include "storage/sqlite/sqlite_store.h"

namespace kith::server {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void PrintRowErrors(const std::vector<linkage::RowError>& errors) {
  constexpr size_t kShown = 50;
  for (size_t i = 0; i < errors.size() && i < kShown; ++i) {
    std::cerr << "  line " << errors[i].line << ": " << errors[i].reason << "\n";
  }
  if (errors.size() > kShown) std::cerr << "  … and " << errors.size() - kShown << " more\n";
}

// Progress on one stderr line when it is a terminal; one line per stage otherwise (logs).
linkage::ProgressFn StageProgress(const std::string& tool) {
  const bool tty = isatty(STDERR_FILENO);
  auto last_stage = std::make_shared<std::string>();
  return [tool, tty, last_stage](std::string_view stage, double fraction) {
    if (tty) {
      std::cerr << fmt::format("\r{}: {:<10} {:3.0f}%", tool, stage, fraction * 100) << std::flush;
      if (fraction >= 1.0) std::cerr << "\n";
    } else if (*last_stage != stage) {
      *last_stage = std::string(stage);
      std::cerr << tool << ": " << stage << "…\n";
    }
  };
}

std::string Column(const std::vector<std::string>& row, const std::vector<std::string>& header, const char* name) {
  for (size_t i = 0; i < header.size() && i < row.size(); ++i) {
    if (header[i] == name) return row[i];
  }
  return "";
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// Builds the index from a CSV of source records (linkage column names; record_id required).
std::unique_ptr<linkage::SearchIndex> IndexFromCsv(const std::string& path) {
  auto loaded = linkage::ReadRecordsCsvFile(path, {});
  if (!loaded) {
    std::cerr << "kith search: " << path << ": " << loaded.error().message << "\n";
    return nullptr;
  }
  if (!loaded->errors.empty()) {
    std::cerr << "kith search: " << path << ": " << loaded->errors.size() << " rows skipped:\n";
    PrintRowErrors(loaded->errors);
  }
  linkage::SearchIndexBuilder builder;
  builder.Reserve(loaded->records.size());
  size_t skipped = 0;
  for (const auto& r : loaded->records) {
    linkage::IndexedChild c{r.record_id, r.given_name, r.family_name, std::nullopt,
                            r.postcode,  r.nhs_number, r.upn,         false};
    const auto dob = linkage::ParseDateDigits(r.date_of_birth);
    if (dob.valid) c.date_of_birth = Date{dob.year, dob.month, dob.day};
    if (r.full_name.size() > 0 && c.given_names.empty() && c.family_name.empty()) {
      // A single name column: the last token is the family name.
      const auto space = r.full_name.rfind(' ');
      c.given_names = space == std::string::npos ? "" : r.full_name.substr(0, space);
      c.family_name = space == std::string::npos ? r.full_name : r.full_name.substr(space + 1);
    }
    if (!builder.Add(c)) ++skipped;
  }
  if (skipped) std::cerr << "kith search: " << skipped << " records without a usable record_id skipped\n";
  return builder.Finish();
}

// Reads a whole file; nullopt when it cannot be opened.
std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

app::Principal CliPrincipal() {
  app::Principal p;
  p.user.id = "cli";
  p.user.username = "cli";
  p.user.display_name = "Command line";
  p.user.role = domain::Role::kNationalAdmin;
  p.user.active = true;
  p.client = "local";
  return p;
}

struct Tools::Options {
  CLI::App* link = nullptr;
  std::vector<std::string> link_inputs;
  std::string link_out;
  std::vector<std::string> link_fields;
  double link_match = 0.99;
  double link_review = 0.50;
  std::string link_review_out;
  bool link_similar_names_match = false;

  CLI::App* search = nullptr;
  std::string search_batch;
  std::string search_out;
  std::string search_index;

  CLI::App* import = nullptr;
  std::string import_file;
  std::string import_db;
  std::string import_source;
  std::string import_authority;
  double import_match = 0.99;
  double import_review = 0.50;

  int RunLink() const;
  int RunImport(const Config& config) const;
  int RunSearch(const Config& config) const;
};

Tools::Tools(CLI::App& cli) : o_(std::make_unique<Options>()) {
  o_->link = cli.add_subcommand("link", "Link source records about children (CSV) into one cluster per child");
  o_->link->add_option("inputs", o_->link_inputs, "CSV files with the same header (see docs/linkage.md)")
      ->required()
      ->check(CLI::ExistingFile);
  o_->link->add_option("--out", o_->link_out, "Write record_id,cluster_id here")->required();
  o_->link->add_option("--field", o_->link_fields, "COLUMN=TYPE: override a column's meaning (repeatable)");
  o_->link->add_option("--match", o_->link_match, "Match probability for an automatic match")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  o_->link->add_option("--review", o_->link_review, "Match probability for clerical review")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  o_->link->add_option("--review-out", o_->link_review_out, "Write the pairs for clerical review here");
  o_->link->add_flag("--similar-names-match", o_->link_similar_names_match,
                     "Match pairs whose given names are only similar (Graham/Graeme) on their evidence instead of "
                     "sending them to review: for sources about adults without twins (see docs/linkage.md)");

  o_->import = cli.add_subcommand("import", "Import a source feed (CSV) into the national child index");
  o_->import
      ->add_option("file", o_->import_file,
                   "CSV with a header: record_id, source, given_name, family_name, date_of_birth, sex, postcode, "
                   "address, nhs_number, upn; other columns are kept as attributes")
      ->required()
      ->check(CLI::ExistingFile);
  o_->import->add_option("--db", o_->import_db, "The database file (default: kith.db in KITH_DATA)");
  o_->import->add_option("--source", o_->import_source, "The feed's source, for rows without a source column");
  o_->import->add_option("--authority", o_->import_authority,
                         "Local authority id of new children and review items (default: the only one)");
  o_->import->add_option("--match", o_->import_match, "Match probability for an automatic match")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  o_->import->add_option("--review", o_->import_review, "Match probability for clerical review")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));

  o_->search = cli.add_subcommand("search", "Search the national child index");
  o_->search
      ->add_option("--batch", o_->search_batch,
                   "CSV of queries: any of given_name, family_name, date_of_birth, postcode, nhs_number, upn")
      ->required()
      ->check(CLI::ExistingFile);
  o_->search->add_option("--out", o_->search_out, "Write query_row,rank,record_id,score here (default: stdout)");
  o_->search
      ->add_option("--index", o_->search_index,
                   "Build the index from this CSV of source records instead of the database")
      ->check(CLI::ExistingFile);
}

Tools::~Tools() = default;

std::optional<int> Tools::Run(const Config& config) {
  if (o_->link->parsed()) return o_->RunLink();
  if (o_->search->parsed()) return o_->RunSearch(config);
  if (o_->import->parsed()) return o_->RunImport(config);
  return std::nullopt;
}

int Tools::Options::RunLink() const {
  linkage::LinkCsvOptions options;
  options.link.match_probability = link_match;
  options.link.review_probability = link_review;
  options.link.similar_given_names_to_review = !link_similar_names_match;
  options.link.progress = StageProgress("kith link");
  options.fields = link_fields;
  options.review_path = link_review_out;
  const auto started = std::chrono::steady_clock::now();
  auto summary = linkage::LinkCsvFile(link_inputs, link_out, options);
  if (!summary) {
    std::cerr << "kith link: " << (summary.error().field.empty() ? "" : summary.error().field + ": ")
              << summary.error().message << "\n";
    return 1;
  }
  if (!summary->row_errors.empty()) {
    std::cerr << "kith link: " << summary->row_errors.size() << " rows skipped:\n";
    PrintRowErrors(summary->row_errors);
  }
  const auto& s = summary->stats;
  std::cerr << fmt::format(
      "kith link: {} records read, {} clusters; {} candidate pairs, {} matches, {} for review ({} identifier "
      "conflicts, {} weak links between clusters, {} lowered by the twins and siblings rule), {} oversized blocks "
      "skipped; {:.1f} s\n",
      summary->rows_read, s.clusters, s.candidate_pairs, s.matches, s.reviews, s.identifier_conflicts,
      s.weak_bridges, s.sibling_guarded, s.oversized_blocks, Seconds(started));
  std::cerr << "kith link: clusters written to " << link_out
            << (link_review_out.empty() ? "" : ", review pairs to " + link_review_out) << "\n";
  return 0;
}

int Tools::Options::RunImport(const Config& config) const {
  const auto started = std::chrono::steady_clock::now();
  const std::string db = import_db.empty() ? config.DatabasePath() : import_db;
  if (!std::filesystem::exists(db)) {
    std::cerr << "kith import: there is no database at " << db
              << "; create it with `kith migrate` and `kith authority add` first\n";
    return 1;
  }
  auto text = ReadFile(import_file);
  if (!text) {
    std::cerr << "kith import: cannot read " << import_file << "\n";
    return 1;
  }
  // A running server must import the feed itself (its audit chain head and search index are
  // in its memory): the Imports page, or POST /api/v1/index/imports.
  auto lock = DatabaseLock::Acquire(db, "A running Kith server (or another kith import)");
  if (!lock) {
    std::cerr << "kith import: " << lock.error().message
              << " Import the feed through the server instead (an index steward's Imports page, or POST "
                 "/api/v1/index/imports), or stop the server first.\n";
    return 1;
  }
  auto store = storage::OpenSqliteStore({.path = db});
  app::ImportOptions options;
  options.authority_id = import_authority;
  if (options.authority_id.empty()) {
    const auto authorities = store->ReadValue([](storage::Repositories& r) { return r.Authorities().List(); });
    if (authorities.size() != 1) {
      std::cerr << "kith import: there are " << authorities.size()
                << " local authorities; choose one with --authority (see `kith authority list`)\n";
      return 1;
    }
    options.authority_id = authorities[0].id;
  }
  options.default_source = import_source;
  options.match_probability = import_match;
  options.review_probability = import_review;
  options.progress = StageProgress("kith import");
  SystemClock clock;
  SystemRandom random;
  app::PasswordHasher hasher(app::HashCost::kMinimum);  // the import signs nobody in
  app::Context context{*store, clock, random, hasher, {}};
  auto summary = app::ImportFeed(context, CliPrincipal(), *text, options);
  if (!summary) {
    std::cerr << "kith import: " << import_file << ": " << summary.error().message << "\n";
    return 1;
  }
  if (!summary->rejected.empty()) {
    std::cerr << "kith import: " << summary->rejected.size() << " rows rejected (the others were imported):\n";
    std::vector<linkage::RowError> errors;
    for (const auto& e : summary->rejected) errors.push_back({e.line, e.reason});
    PrintRowErrors(errors);
  }
  std::cout << fmt::format(
      "kith import: {} rows: {} created, {} matched, {} queued for review, {} unchanged, {} updated, {} rejected "
      "({} children in the index before; {:.1f} s)\n",
      summary->rows_read, summary->created, summary->matched, summary->queued, summary->unchanged, summary->updated,
      summary->rejected.size(), summary->children_before, Seconds(started));
  return 0;
}

int Tools::Options::RunSearch(const Config& config) const {
  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<linkage::SearchIndex> index;
  if (!search_index.empty()) {
    std::cerr << "kith search: indexing " << search_index << "…\n";
    index = IndexFromCsv(search_index);
  } else {
    if (!std::filesystem::exists(config.DatabasePath())) {
      std::cerr << "kith search: there is no database at " << config.DatabasePath() << "; pass --index CHILDREN.csv\n";
      return 1;
    }
    auto store = storage::OpenSqliteStore({.path = config.DatabasePath()});
    index = app::BuildSearchIndex(*store, [](size_t n) { std::cerr << "kith search: indexed " << n << " children\n"; });
  }
  if (!index) return 1;
  std::cerr << fmt::format("kith search: {} children indexed in {:.1f} s\n", index->Size(), Seconds(started));

  const std::string text = ReadFile(search_batch).value_or("");
  std::ofstream file;
  if (!search_out.empty()) {
    file.open(search_out, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "kith search: cannot write " << search_out << "\n";
      return 1;
    }
  }
  std::ostream& out = search_out.empty() ? std::cout : file;
  out << "query_row,rank,record_id,score\n";

  size_t pos = 0, line = 1, lines = 0, queries = 0, failed = 0, hits = 0;
  std::vector<std::string> header, row;
  std::string error;
  if (!linkage::SplitCsvRecord(text, &pos, &header, &lines, &error)) {
    std::cerr << "kith search: " << search_batch << ": line 1: " << error << "\n";
    return 1;
  }
  line += lines;
  for (auto& h : header) {
    for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const Date today = Date::FromTime(SystemClock().Now());
  const auto search_started = std::chrono::steady_clock::now();
  while (pos < text.size()) {
    const size_t row_line = line;
    lines = 0;
    if (!linkage::SplitCsvRecord(text, &pos, &row, &lines, &error)) {
      std::cerr << "kith search: line " << row_line << ": " << error << "\n";
      ++failed;
      line += lines;
      continue;
    }
    line += lines;
    if (row.size() == 1 && row[0].empty()) continue;
    ++queries;
    linkage::SearchQuery q;
    q.today = today;
    q.given_name = Column(row, header, "given_name");
    q.family_name = Column(row, header, "family_name");
    q.postcode = Column(row, header, "postcode");
    q.nhs_number = Column(row, header, "nhs_number");
    q.upn = Column(row, header, "upn");
    const std::string dob = Column(row, header, "date_of_birth");
    if (!dob.empty()) {
      const auto d = linkage::ParseDateDigits(dob);
      if (d.valid) q.date_of_birth = Date{d.year, d.month, d.day};
    }
    auto found = index->Search(q);
    if (!found) {
      std::cerr << "kith search: line " << row_line << ": "
                << (found.error().field.empty() ? "" : found.error().field + ": ") << found.error().message << "\n";
      ++failed;
      continue;
    }
    for (size_t rank = 0; rank < found->hits.size(); ++rank) {
      const auto& h = found->hits[rank];
      out << queries << ',' << rank + 1 << ',' << CsvField(h.id) << ',' << fmt::format("{:.4f}", h.score) << '\n';
      ++hits;
    }
  }
  const double elapsed = Seconds(search_started);
  std::cerr << fmt::format("kith search: {} queries ({} refused or malformed), {} results; {:.3f} ms per query\n",
                           queries, failed, hits, queries ? elapsed * 1000 / static_cast<double>(queries) : 0.0);
  return 0;
}

}  // namespace kith::server
