// The file-based tools of the command line:
//   kith link INPUT.csv [INPUT2.csv …] --out CLUSTERS.csv [--field COLUMN=TYPE …] [--match P]
//             [--review P] [--review-out PAIRS.csv]
//       record linkage of source records into one cluster per child (linkage::LinkCsvFile);
//   kith import FILE.csv [--db PATH] [--source NAME] [--authority ID] [--match P] [--review P]
//       imports a source feed into the national child index (app/index_import.h);
//   kith search --batch QUERIES.csv [--db PATH --reason TEXT | --index CHILDREN.csv] [--out RESULTS.csv]
//       runs many searches through the national search index and writes
//       query_row,rank,record_id,score (query_row: the query's data row in the file). From the
//       database (a stopped server's: the batch is audited once, with its reason) record_id is
//       each source reference of a matched child, one line each, or its Kith id when it has no
//       source record; with --index the index is built from a CSV of source records (record_id
//       and the linkage column names) and no reason is needed.
//   kith retention run --dry-run [--as-of DATE] [--authority ID]
//       lists what the retention rules make due (app/retention_service.h) as CSV on stdout:
//       authority,child_id,step,due_on,rule,held_by (step: archive, purge, remove_from_index, or
//       held when a legal hold keeps a due purge or removal back). Audited; on SQLite the server
//       must be stopped. Without --dry-run it refuses: applying is not built yet.
// Progress and bad rows (with their line numbers) go to stderr, results to the named files.
// Thread safety: used once, from main.
#pragma once

#include <memory>
#include <optional>

#include "app/principal.h"
#include "server/config.h"

namespace CLI {
class App;
}

namespace kith::server {

// Command-line acts are audited as a national administrator named "cli".
app::Principal CliPrincipal();

class Tools {
 public:
  // Adds the `link`, `import`, `search` and `retention run` subcommands to `cli`.
  explicit Tools(CLI::App& cli);
  ~Tools();

  // Runs whichever of the subcommands was parsed and returns its exit code; nullopt when
  // neither was.
  std::optional<int> Run(const Config& config);

 private:
  struct Options;
  std::unique_ptr<Options> o_;
};

}  // namespace kith::server
