#include "server/tools.h"

#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "app/index_import.h"
#include "app/retention_service.h"
#include "app/search_service.h"
#include "common/clock.h"
#include "common/utf8.h"
#include "domain/team.h"
#include "linkage/csv.h"
#include "linkage/linker.h"
#include "linkage/search_index.h"
#include "server/db_lock.h"
#include "server/root.h"

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
  std::string search_db;
  std::string search_reason;

  CLI::App* import = nullptr;
  std::string import_file;
  std::string import_db;
  std::string import_source;
  std::string import_authority;
  double import_match = 0.99;
  double import_review = 0.50;

  CLI::App* retention_run = nullptr;
  std::string retention_as_of;
  std::string retention_authority;
  bool retention_dry_run = false;

  int RunLink() const;
  int RunImport(const Config& config) const;
  int RunSearch(const Config& config) const;
  int RunRetention(const Config& config) const;
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

  o_->search = cli.add_subcommand("search", "Search the national child index with a file of queries");
  o_->search
      ->add_option("--batch", o_->search_batch,
                   "CSV of queries: any of given_name, family_name, date_of_birth, postcode, nhs_number, upn; "
                   "query_row in the output is the query's data row (1 = the first row after the header)")
      ->required()
      ->check(CLI::ExistingFile);
  o_->search->add_option("--out", o_->search_out,
                         "Write query_row,rank,record_id,score here (default: stdout); record_id is each source "
                         "reference of a matched child (one line each), or its Kith id if it has none");
  auto* db = o_->search->add_option("--db", o_->search_db,
                                    "The database file (default: kith.db in KITH_DATA); the server must be "
                                    "stopped, as the batch is written to its audit trail");
  o_->search->add_option("--reason", o_->search_reason,
                         "Why you search the database (10 to 500 characters; required with the database, kept in "
                         "the audit trail)");
  o_->search
      ->add_option("--index", o_->search_index,
                   "Build the index from this CSV of source records instead of the database (no reason needed)")
      ->check(CLI::ExistingFile)
      ->excludes(db);

  auto* retention = cli.add_subcommand("retention", "Retention by rule (docs/retention.md)");
  retention->require_subcommand(1);
  o_->retention_run = retention->add_subcommand("run", "List (with --dry-run) what the retention rules make due");
  o_->retention_run->add_option("--as-of", o_->retention_as_of, "The day to look at, YYYY-MM-DD (default: today, UTC)");
  o_->retention_run->add_option("--authority", o_->retention_authority,
                                "One local authority's id (default: every authority)");
  o_->retention_run->add_flag("--dry-run", o_->retention_dry_run,
                              "List what is due without changing anything (the only mode built so far)");
}

Tools::~Tools() = default;

std::optional<int> Tools::Run(const Config& config) {
  if (o_->link->parsed()) return o_->RunLink();
  if (o_->search->parsed()) return o_->RunSearch(config);
  if (o_->import->parsed()) return o_->RunImport(config);
  if (o_->retention_run->parsed()) return o_->RunRetention(config);
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
      "conflicts, {} weak links between clusters, {} lowered by the twins and siblings rule, {} by the "
      "strong-evidence rule), {} oversized blocks skipped; {:.1f} s\n",
      summary->rows_read, s.clusters, s.candidate_pairs, s.matches, s.reviews, s.identifier_conflicts, s.weak_bridges,
      s.sibling_guarded, s.strong_evidence_reviews, s.oversized_blocks, Seconds(started));
  std::cerr << "kith link: strong-evidence parts in force: " << linkage::StrongEvidenceParts(s.strong_evidence_in_force)
            << " (" << s.strong_evidence_settled_pairs << " pairs told apart by identifiers showed their shapes)\n";
  std::cerr << "kith link: clusters written to " << link_out
            << (link_review_out.empty() ? "" : ", review pairs to " + link_review_out) << "\n";
  return 0;
}

int Tools::Options::RunImport(const Config& config) const {
  const auto started = std::chrono::steady_clock::now();
  auto text = ReadFile(import_file);
  if (!text) {
    std::cerr << "kith import: cannot read " << import_file << "\n";
    return 1;
  }
  // A running SQLite server must import the feed itself (its audit chain head and search index
  // are in its memory): the Imports page, or POST /api/v1/index/imports.
  auto database = OpenDatabase(config, {.sqlite_path = import_db,
                                        .must_exist = true,
                                        .exclusive = true,
                                        .in_the_way = "A running Kith server (or another kith import)"});
  if (!database) {
    std::cerr << "kith import: " << database.error().message
              << (database.error().code == ErrorCode::kConflict
                      ? " Import the feed through the server instead (an index steward's Imports page, or POST "
                        "/api/v1/index/imports), or stop the server first."
                      : "")
              << "\n";
    return 1;
  }
  storage::Store* store = database->store.get();
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
  std::string reason;
  if (search_index.empty()) {
    // Searching the database is an act on children's records: it states a reason and is audited.
    auto why = domain::ValidateReason(search_reason);
    if (!why) {
      std::cerr << "kith search: --reason: " << why.error().message << "\n";
      return 1;
    }
    reason = std::move(why).value();
  }

  // The queries first: a malformed row is reported and skipped, and keeps its number, so that
  // query_row is always the data row of the file (1 = the first row after the header).
  const std::string text = ReadFile(search_batch).value_or("");
  struct BatchQuery {
    size_t row = 0;
    size_t line = 0;
    linkage::SearchQuery terms;
  };
  std::vector<BatchQuery> queries;
  size_t pos = 0, line = 1, lines = 0, data_row = 0, malformed = 0;
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
  auto skip = [&](size_t at, const std::string& why) {
    std::cerr << "kith search: " << search_batch << ": line " << at << ": " << why << " (skipped)\n";
    ++malformed;
  };
  const Date today = Date::FromTime(SystemClock().Now());
  while (pos < text.size()) {
    const size_t row_line = line;
    lines = 0;
    const bool split = linkage::SplitCsvRecord(text, &pos, &row, &lines, &error);
    line += lines;
    if (split && row.size() == 1 && row[0].empty()) continue;  // a blank line is not a row
    ++data_row;
    if (!split) {
      skip(row_line, error);
      continue;
    }
    if (row.size() != header.size()) {
      skip(row_line, fmt::format("the row has {} fields but the header has {}", row.size(), header.size()));
      continue;
    }
    BatchQuery query{data_row, row_line, {}};
    linkage::SearchQuery& q = query.terms;
    q.today = today;
    q.given_name = Column(row, header, "given_name");
    q.family_name = Column(row, header, "family_name");
    q.postcode = Column(row, header, "postcode");
    q.nhs_number = Column(row, header, "nhs_number");
    q.upn = Column(row, header, "upn");
    const std::string dob = Column(row, header, "date_of_birth");
    if (!dob.empty()) {
      const auto d = linkage::ParseDateDigits(dob);
      if (!d.valid) {
        skip(row_line, fmt::format("date_of_birth: '{}' is not a date", dob));
        continue;
      }
      q.date_of_birth = Date{d.year, d.month, d.day};
    }
    queries.push_back(std::move(query));
  }

  std::unique_ptr<linkage::SearchIndex> index;
  std::optional<Database> database;
  storage::Store* store = nullptr;
  if (!search_index.empty()) {
    std::cerr << "kith search: indexing " << search_index << "…\n";
    index = IndexFromCsv(search_index);
  } else {
    // The audit record goes on the chain, which a running SQLite server keeps the head of in memory.
    auto opened = OpenDatabase(config, {.sqlite_path = search_db,
                                        .must_exist = true,
                                        .exclusive = true,
                                        .in_the_way = "A running Kith server (or kith import)"});
    if (!opened) {
      std::cerr << "kith search: " << opened.error().message
                << (opened.error().code == ErrorCode::kConflict
                        ? " A batch search is recorded in the audit trail, so it runs only on a stopped server's "
                          "database; search through the server instead, or stop it first."
                        : " Pass --db PATH or --index CHILDREN.csv.")
                << "\n";
      return 1;
    }
    database = std::move(opened).value();
    store = database->store.get();
    auto audit = app::AuditFor(CliPrincipal(), "child.search.batch", SystemClock().Now());
    audit.reason = reason;
    audit.why = "batch search from the command line";
    // A file name need not be UTF-8; the audit detail must be (JSON).
    audit.detail = nlohmann::json{{"file", utf8::Escape(std::filesystem::absolute(search_batch).string())},
                                  {"queries", queries.size()},
                                  {"malformed_rows", malformed}}
                       .dump();
    store->Write([&](storage::Repositories& r) {
      r.Audit().Append(audit);
      return true;
    });
    index = app::BuildSearchIndex(*store, [](size_t n) { std::cerr << "kith search: indexed " << n << " children\n"; });
  }
  if (!index) return 1;
  std::cerr << fmt::format("kith search: {} children indexed in {:.1f} s\n", index->Size(), Seconds(started));

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

  // From the database, a matched child is reported by its source references (the record_id of
  // each source record it has; one line each, same rank and score), looked up per hit through
  // the index on source_records.child_id and remembered; a child with none (created through the
  // API) by its Kith id. As in the API, a child merged into another is left out.
  struct References {
    bool merged_away = false;
    std::vector<std::string> record_ids;
  };
  std::unordered_map<std::string, References> references;
  std::vector<std::string> reported;  // each child reported, once, in the order first found
  std::chrono::steady_clock::duration lookups{};
  size_t refused = 0, hits = 0;
  const auto search_started = std::chrono::steady_clock::now();
  auto run = [&](storage::Repositories* r) {
    for (const auto& query : queries) {
      auto found = index->Search(query.terms);
      if (!found) {
        std::cerr << "kith search: " << search_batch << ": line " << query.line << ": "
                  << (found.error().field.empty() ? "" : found.error().field + ": ") << found.error().message << "\n";
        ++refused;
        continue;
      }
      size_t rank = 0;
      for (const auto& h : found->hits) {
        const std::string score = fmt::format("{:.4f}", h.score);
        if (r == nullptr) {
          out << query.row << ',' << ++rank << ',' << CsvField(h.id) << ',' << score << '\n';
          ++hits;
          continue;
        }
        const auto looked = std::chrono::steady_clock::now();
        auto [it, fresh] = references.try_emplace(h.id);
        References& refs = it->second;
        if (fresh) {
          refs.merged_away = r->Merges().MergedAway(h.id).has_value();
          for (auto& source : r->SourceRecords().ForChild(h.id)) refs.record_ids.push_back(std::move(source.record_id));
        }
        lookups += std::chrono::steady_clock::now() - looked;
        if (refs.merged_away) continue;
        if (fresh) reported.push_back(h.id);
        ++rank;
        ++hits;
        if (refs.record_ids.empty()) out << query.row << ',' << rank << ',' << CsvField(h.id) << ',' << score << '\n';
        for (const auto& id : refs.record_ids) {
          out << query.row << ',' << rank << ',' << CsvField(id) << ',' << score << '\n';
        }
      }
    }
  };
  if (store) {
    store->Read([&](storage::Repositories& r) { run(&r); });
    // The children the batch found, so that "who searched for this child" finds it too.
    auto audit = app::AuditFor(CliPrincipal(), "child.search.batch.results", SystemClock().Now());
    audit.reason = reason;
    audit.why = "batch search from the command line";
    audit.detail = nlohmann::json{{"queries", queries.size()}, {"refused", refused}, {"results", hits}}.dump();
    audit.found_children = std::move(reported);
    store->Write([&](storage::Repositories& r) {
      r.Audit().Append(audit);
      return true;
    });
  } else {
    run(nullptr);
  }
  const double elapsed = Seconds(search_started);
  const double per_query = queries.empty() ? 0.0 : 1000.0 / static_cast<double>(queries.size());
  std::cerr << fmt::format(
      "kith search: {} queries ({} malformed rows skipped, {} refused), {} results; {:.3f} ms per query ({:.3f} ms "
      "of it looking up source references)\n",
      queries.size(), malformed, refused, hits, elapsed * per_query,
      std::chrono::duration<double>(lookups).count() * per_query);
  return 0;
}

int Tools::Options::RunRetention(const Config& config) const {
  if (!retention_dry_run) {
    std::cerr << "kith retention run: applying retention (archiving and purging children's records) is not built "
                 "yet; run with --dry-run to list what is due (docs/retention.md, docs/ROADMAP.md issue 18).\n";
    return 2;
  }
  Date as_of = Date::FromTime(SystemClock().Now());
  if (!retention_as_of.empty()) {
    auto parsed = Date::Parse(retention_as_of);
    if (!parsed) {
      std::cerr << "kith retention run: --as-of: '" << retention_as_of << "' is not a date (YYYY-MM-DD).\n";
      return 1;
    }
    as_of = *parsed;
  }
  // The listing names children and days derived from their dates of birth: it is audited, and the
  // audit record goes on the chain, which a running SQLite server keeps the head of in memory.
  auto opened = OpenDatabase(config, {.must_exist = true, .exclusive = true, .in_the_way = "A running Kith server"});
  if (!opened) {
    std::cerr << "kith retention run: " << opened.error().message
              << (opened.error().code == ErrorCode::kConflict
                      ? " A dry run is recorded in the audit trail, so on the embedded database it runs only while "
                        "the server is stopped."
                      : "")
              << "\n";
    return 1;
  }
  storage::Store& store = *opened->store;
  if (!retention_authority.empty() &&
      !store.ReadValue([&](storage::Repositories& r) { return r.Authorities().Get(retention_authority); })) {
    std::cerr << "kith retention run: there is no local authority with the id " << retention_authority << ".\n";
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  const auto listing = app::ListDue(store, retention_authority, as_of, [&](const std::string& la, int64_t checked) {
    std::cerr << fmt::format("kith retention run: {}: {} children checked ({:.1f} s)\n", la, checked,
                             Seconds(started));
  });
  auto audit = app::AuditFor(CliPrincipal(), "retention.dry_run", SystemClock().Now());
  audit.target_id = retention_authority;
  audit.why = "retention dry run from the command line";
  audit.detail = nlohmann::json{{"as_of", as_of.ToString()},
                                {"checked", listing.checked},
                                {"due", listing.due.size()},
                                {"held", listing.held.size()},
                                {"no_date", listing.no_date.size()}}
                     .dump();
  store.Write([&](storage::Repositories& r) {
    r.Audit().Append(audit);
    return true;
  });

  std::cout << "authority,child_id,step,due_on,rule,held_by\n";
  auto line = [](const app::DueChild& d, std::string_view step) {
    std::string holds;
    for (const auto& h : d.assessment.held_by) holds += (holds.empty() ? "" : " ") + h;
    std::cout << d.authority_id << ',' << d.child_id << ',' << step << ','
              << (d.assessment.next_on ? d.assessment.next_on->ToString() : "") << ','
              << domain::ToString(d.assessment.rule) << ',' << holds << '\n';
  };
  size_t archive = 0, purge = 0, remove = 0;
  for (const auto& d : listing.due) {
    line(d, domain::ToString(d.assessment.due));
    archive += d.assessment.due == domain::RetentionStep::kArchive;
    purge += d.assessment.due == domain::RetentionStep::kPurge;
    remove += d.assessment.due == domain::RetentionStep::kRemoveFromIndex;
  }
  for (const auto& d : listing.held) line(d, "held");
  std::cerr << fmt::format(
      "kith retention run (dry run, as of {}): {} children checked; due: {} to archive, {} to purge, {} to remove "
      "from the index; {} held by a legal hold; {} with no date of birth (no rule applies: record one); nothing was "
      "changed ({:.1f} s)\n",
      as_of.ToString(), listing.checked, archive, purge, remove, listing.held.size(), listing.no_date.size(),
      Seconds(started));
  return 0;
}

}  // namespace kith::server
