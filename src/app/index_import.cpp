#include "app/index_import.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "common/log.h"
#include "common/utf8.h"
#include "domain/child.h"
#include "linkage/csv.h"
#include "linkage/linker.h"
#include "linkage/synthetic.h"

namespace kith::app {
namespace {

using storage::Repositories;
using storage::SourceRecord;

// Inside an import's write a failed insert means the database changed under the import (or a
// bug): undo the batch.
void Must(const Status& s) {
  if (!s) throw std::runtime_error("index import: " + s.error().message);
}

linkage::InputRecord ToInput(const SourceRecord& r) {
  linkage::InputRecord in;
  in.given_name = r.given_name;
  in.family_name = r.family_name;
  in.date_of_birth = r.date_of_birth;
  in.sex = r.sex;
  in.postcode = r.postcode;
  in.address = r.address;
  in.nhs_number = r.nhs_number;
  in.upn = r.upn;
  return in;
}

linkage::InputRecord ToInput(const domain::Child& c) {
  linkage::InputRecord in;
  in.record_id = c.id;
  in.given_name = c.given_names;
  in.family_name = c.family_name;
  if (c.date_of_birth) in.date_of_birth = c.date_of_birth->ToString();
  if (c.sex != domain::Sex::kNotKnown) in.sex = std::string(domain::ToString(c.sex));
  in.postcode = c.postcode;
  in.address = c.address;
  in.nhs_number = c.nhs_number;
  in.upn = c.upn;
  return in;
}

// With ImportOptions::batch_budget: the first batch's rows, and the fewest rows a batch has.
constexpr size_t kFirstBudgetedBatch = 200;
constexpr size_t kMinBudgetedBatch = 50;

// A small index or feed says little about how often names agree by chance, so with fewer than
// this many records the model is estimated once on a synthetic population of English children
// instead, and term frequencies (meaningless over a handful of records) are not used.
constexpr size_t kMinTrainingRecords = 10'000;

const linkage::Model& SyntheticModel() {
  static const linkage::Model model = [] {
    linkage::SyntheticConfig config;
    config.seed = 6;
    config.records = 20'000;
    auto population = linkage::GenerateChildren(config);
    auto linked = linkage::Link(population.records, {});
    linkage::Model m = linked ? std::move(linked->model) : linkage::Model{};
    m.tf_weight = 0;
    m.Finalise();
    return m;
  }();
  return model;
}

// Per compared field: its agreement level and weight, as the reviewer sees them.
std::string Evidence(const linkage::Model& model, const linkage::Record& a, const linkage::Record& b) {
  const linkage::Comparator comparator(model.comparisons());
  std::vector<uint8_t> gamma(comparator.size());
  comparator.Compare(a, b, gamma.data());
  nlohmann::json out = nlohmann::json::array();
  for (size_t c = 0; c < comparator.size(); ++c) {
    const auto& spec = comparator.specs()[c];
    const int level = gamma[c];
    out.push_back({{"field", spec.name},
                   {"outcome", level == 0 ? "missing" : std::string(linkage::LevelName(spec.kind, level))},
                   {"level", level},
                   {"weight", std::round(model.LevelWeight(c, level) * 100) / 100}});
  }
  return out.dump();
}

// What happens to one new row.
struct Plan {
  enum class Kind { kCreate, kAttach, kQueue } kind = Kind::kCreate;
  size_t creator = 0;  // kAttach to a child made from an earlier row: that row's index
  std::string child_id;  // kAttach to an existing child
  std::vector<storage::ReviewCandidate> candidates;  // kQueue
};

// Decides what happens to each new row from the linkage of `records`: the known children
// first (indices 0..known.size()), then the new rows. Candidates made from other new rows name
// the child as "new:<row>" (the row that creates it).
std::vector<Plan> PlanRows(const linkage::LinkResult& linked, const std::vector<linkage::Record>& records,
                           const std::vector<domain::Child>& known) {
  const size_t k = known.size();
  const auto& cluster_of = linked.cluster_of;
  std::vector<Plan> plans(records.size() - k);
  // Per cluster: the known children in it. Per record: review links leaving its cluster.
  std::unordered_map<uint32_t, std::vector<size_t>> known_in_cluster;
  for (size_t i = 0; i < k; ++i) known_in_cluster[cluster_of[i]].push_back(i);
  std::vector<std::vector<const linkage::ScoredPair*>> links(records.size());
  for (const auto& p : linked.pairs) {
    links[p.a].push_back(&p);
    links[p.b].push_back(&p);
  }
  std::unordered_map<uint32_t, bool> cluster_uncertain;
  for (const auto& p : linked.pairs) {
    if (p.outcome == linkage::Outcome::kReview && cluster_of[p.a] != cluster_of[p.b]) {
      if (p.a >= k) cluster_uncertain[cluster_of[p.a]] = true;
      if (p.b >= k) cluster_uncertain[cluster_of[p.b]] = true;
    }
  }
  // First pass: rows that are certain. The first new row of a cluster with no known child
  // creates it; the others attach to it.
  std::unordered_map<uint32_t, size_t> creator_of;
  for (size_t i = 0; i < plans.size(); ++i) {
    const uint32_t cluster = cluster_of[k + i];
    auto known_it = known_in_cluster.find(cluster);
    Plan& plan = plans[i];
    if (known_it != known_in_cluster.end() && known_it->second.size() == 1) {
      plan.kind = Plan::Kind::kAttach;
      plan.child_id = known[known_it->second[0]].id;
    } else if ((known_it != known_in_cluster.end()) || cluster_uncertain.contains(cluster)) {
      plan.kind = Plan::Kind::kQueue;
    } else if (auto [it, first] = creator_of.emplace(cluster, i); first) {
      plan.kind = Plan::Kind::kCreate;
    } else {
      plan.kind = Plan::Kind::kAttach;
      plan.creator = it->second;
    }
  }
  // Second pass: the uncertain rows and their candidates (the best pair with each child).
  auto child_of_record = [&](size_t rec) -> std::optional<std::string> {
    if (rec < k) return known[rec].id;
    const Plan& p = plans[rec - k];
    if (p.kind == Plan::Kind::kCreate) return "new:" + std::to_string(rec - k);
    if (p.kind == Plan::Kind::kAttach) return p.child_id.empty() ? "new:" + std::to_string(p.creator) : p.child_id;
    return std::nullopt;
  };
  for (size_t i = 0; i < plans.size(); ++i) {
    Plan& plan = plans[i];
    if (plan.kind != Plan::Kind::kQueue) continue;
    std::map<std::string, std::pair<float, size_t>> best;  // child -> weight, record
    for (const auto* p : links[k + i]) {
      const size_t other = p->a == k + i ? p->b : p->a;
      auto child = child_of_record(other);
      if (!child) continue;
      auto [it, inserted] = best.emplace(*child, std::make_pair(p->weight, other));
      if (!inserted && p->weight > it->second.first) it->second = {p->weight, other};
    }
    if (best.empty()) {
      // Uncertain only about rows that are themselves uncertain: a new child.
      if (auto [it, first] = creator_of.emplace(cluster_of[k + i], i); first) {
        plan.kind = Plan::Kind::kCreate;
      } else {
        plan.kind = Plan::Kind::kAttach;
        plan.creator = it->second;
      }
      continue;
    }
    for (const auto& [child, wr] : best) {
      plan.candidates.push_back({child, linkage::Model::ToProbability(wr.first), wr.first,
                                 Evidence(linked.model, records[k + i], records[wr.second])});
    }
    std::sort(plan.candidates.begin(), plan.candidates.end(),
              [](const auto& a, const auto& b) { return a.weight > b.weight; });
  }
  return plans;
}

}  // namespace

domain::Child ChildFromSource(const SourceRecord& r, const std::string& id, const std::string& authority_id, TimePoint now) {
  domain::Child c;
  c.id = id;
  c.authority_id = authority_id;
  c.given_names = r.given_name;
  c.family_name = r.family_name;
  c.date_of_birth = Date::Parse(r.date_of_birth);
  c.sex = domain::ParseSex(r.sex).value_or(domain::Sex::kNotKnown);
  c.address = r.address;
  c.postcode = r.postcode;
  c.nhs_number = r.nhs_number;
  c.upn = r.upn;
  c.created_at = now;
  c.updated_at = now;
  c.version = 1;
  return c;
}

bool FillGapsFromSource(domain::Child& c, const SourceRecord& r) {
  bool changed = false;
  auto fill = [&](std::string& field, const std::string& value) {
    if (field.empty() && !value.empty()) {
      field = value;
      changed = true;
    }
  };
  fill(c.nhs_number, r.nhs_number);
  fill(c.upn, r.upn);
  if (!c.date_of_birth && !r.date_of_birth.empty()) {
    c.date_of_birth = Date::Parse(r.date_of_birth);
    changed = true;
  }
  if (c.sex == domain::Sex::kNotKnown && !r.sex.empty()) {
    c.sex = domain::ParseSex(r.sex).value_or(domain::Sex::kNotKnown);
    changed = true;
  }
  if (c.address.empty() && c.postcode.empty()) {
    fill(c.address, r.address);
    fill(c.postcode, r.postcode);
  }
  return changed;
}

namespace {

// The cluster's import lease (see the header), held by one ImportFeed call.
class ImportLease {
 public:
  ImportLease(Context& ctx, const std::string& holder)
      : ctx_(ctx), holder_(holder.empty() ? ctx.random.Id("import-") : holder), owned_(holder.empty()) {}
  ~ImportLease() {
    if (!held_ || !owned_) return;  // a caller's lease is the caller's to give up
    try {
      ctx_.store.Write([&](Repositories& r) {
        r.JobClaims().Release(std::string(kImportLease), holder_);
        return true;
      });
    } catch (const std::exception& e) {
      // The next import waits out kImportLeaseStale instead.
      log::Error("index_import.lease_release_failed", {{"reason", e.what()}});
    }
  }
  ImportLease(const ImportLease&) = delete;
  ImportLease& operator=(const ImportLease&) = delete;

  // Waits until this import holds the lease; false if stopped first.
  bool Take(const ImportOptions& options, const std::function<void(std::string_view, double)>& progress) {
    std::mutex mutex;
    std::condition_variable_any wake;
    for (bool told = false;; told = true) {
      ctx_.store.Write([&](Repositories& r) {
        held_ = Renew(r);
        return true;
      });
      if (held_) return true;
      if (!told) {
        progress("wait", 0);
        log::Info("index_import.waiting", {{"reason", "another import of the cluster holds the lease"}});
      }
      std::unique_lock lock(mutex);
      if (wake.wait_for(lock, options.stop, options.lease_poll, [] { return false; }) || options.stop.stop_requested()) {
        return false;
      }
    }
  }

  // Renews the lease inside the caller's transaction; false if another import holds it.
  bool Renew(Repositories& r) {
    const TimePoint now = ctx_.clock.Now();
    return r.JobClaims().Lease(std::string(kImportLease), holder_, now, now - kImportLeaseStale);
  }

 private:
  Context& ctx_;
  const std::string holder_;
  const bool owned_;
  bool held_ = false;
};

}  // namespace

Result<ImportSummary> ImportFeed(Context& ctx, const Principal& actor, std::string_view text,
                                 const ImportOptions& options) {
  if (!(options.review_probability > 0 && options.review_probability <= options.match_probability &&
        options.match_probability < 1)) {
    return Error::Invalid("threshold", "Thresholds must satisfy 0 < review <= match < 1.");
  }
  auto progress = [&](std::string_view stage, double fraction) {
    if (options.progress) options.progress(stage, fraction);
  };
  const TimePoint now = ctx.clock.Now();
  auto parsed = ParseFeed(text, options.default_source, Date::FromTime(now));
  if (!parsed) return parsed.error();
  // Held from before the index is read until the last batch is written.
  ImportLease lease(ctx, options.lease_holder);
  if (!lease.Take(options, progress)) {
    return Error::Conflict("The import stopped while it waited for another import to finish; import the file again.");
  }
  progress("read", 0.5);

  ImportSummary summary;
  summary.rows_read = parsed->rows_read;
  summary.rejected = std::move(parsed->rejected);

  // What is already known: rows imported before, and every child in the index.
  std::vector<FeedRow> fresh;
  std::vector<FeedRow> changed;
  std::vector<storage::ImportRow> unchanged;  // for the report per row
  std::vector<domain::Child> known;
  bool authority_exists = false;
  ctx.store.Read([&](Repositories& r) {
    authority_exists = r.Authorities().Get(options.authority_id).has_value();
    for (auto& row : parsed->rows) {
      auto stored = r.SourceRecords().Find(row.record.source, row.record.record_id);
      if (!stored) {
        fresh.push_back(std::move(row));
      } else if (stored->content_hash == row.record.content_hash) {
        ++summary.unchanged;
        if (!options.report_to.empty()) {
          unchanged.push_back({static_cast<int64_t>(row.line), stored->source, stored->record_id, "unchanged",
                               stored->child_id, ""});
        }
      } else {
        row.record.id = stored->id;
        row.record.child_id = stored->child_id;
        row.record.imported_at = stored->imported_at;
        row.record.updated_at = now;
        changed.push_back(std::move(row));
      }
    }
    if (fresh.empty()) return;
    for (const auto& authority : r.Authorities().List()) {
      std::string after;
      for (;;) {
        auto page = r.Children().ListByAuthority(authority.id, after, 5000);
        if (page.empty()) break;
        after = page.back().id;
        for (auto& c : page) {
          if (!r.Merges().MergedAway(c.id)) known.push_back(std::move(c));  // hidden: not a candidate
        }
      }
    }
  });
  if (!authority_exists) return Error::NotFound("There is no local authority with the id '" + options.authority_id + "'.");
  summary.children_before = known.size();
  summary.to_write = fresh.size() + changed.size();
  if (options.counted) options.counted(summary);
  progress("read", 1.0);

  // Link the new rows against the index and each other.
  std::vector<linkage::Record> records;
  records.reserve(known.size() + fresh.size());
  for (const auto& c : known) records.push_back(linkage::NormaliseRecord(ToInput(c)));
  for (const auto& row : fresh) records.push_back(linkage::NormaliseRecord(ToInput(row.record)));
  std::vector<Plan> plans;
  if (!fresh.empty()) {
    linkage::LinkOptions link;
    link.match_probability = options.match_probability;
    link.review_probability = options.review_probability;
    link.keep_match_pairs = true;
    // Feeds are about children, who have twins and siblings: every part of the strong-evidence
    // rule is in force, not only those the data shows between children with their own NHS
    // numbers (a small feed and index show few). "Leo Karter" or "L Carter" is queued, not
    // joined to Leo Carter.
    link.strong_evidence_from_data = false;
    if (records.size() < kMinTrainingRecords) link.model = &SyntheticModel();
    // Linking a national index takes minutes with no write: the lease is renewed as it goes.
    TimePoint renewed = ctx.clock.Now();
    link.progress = [&](std::string_view stage, double fraction) {
      progress("link", (stage == "cluster" ? 0.9 : 0.5) * fraction);
      if (ctx.clock.Now() - renewed < kImportLeaseStale / 5) return;
      renewed = ctx.clock.Now();
      ctx.store.Write([&](Repositories& r) {
        (void)lease.Renew(r);  // a lease lost meanwhile ends the import at its first batch
        return true;
      });
    };
    auto linked = linkage::LinkNormalised(records, link);
    if (!linked) return linked.error();
    plans = PlanRows(*linked, records, known);
  }
  progress("link", 1.0);

  // Write in batches: source records, new children, attachments, review items, audit.
  std::vector<std::string> child_ids(fresh.size());
  for (size_t i = 0; i < fresh.size(); ++i) {
    if (plans[i].kind == Plan::Kind::kCreate) child_ids[i] = ctx.random.Id("K");
  }
  auto audit = [&](Repositories& r, const char* action, const std::string& child_id, const std::string& target,
                   const std::string& detail) {
    auto rec = AuditFor(actor, action, now);
    rec.child_id = child_id;
    rec.target_id = target;
    rec.why = "index import";
    rec.detail = detail;
    r.Audit().Append(std::move(rec));
  };
  const size_t total = fresh.size() + changed.size();
  const size_t max_batch = std::max<size_t>(options.batch_rows, 1);
  // With a time budget, the first batch is small and each next one is sized from how long the
  // last took inside the writer, so that no batch holds the writer much longer than the budget.
  size_t batch = options.batch_budget.count() > 0 ? std::min<size_t>(max_batch, kFirstBudgetedBatch) : max_batch;
  std::vector<domain::Child> stored;  // the children a batch created or changed, for the observer
  for (size_t begin = 0, end = 0; begin < total; begin = end) {
    if (options.stop.stop_requested()) {
      return Error::Conflict(
          fmt::format("The import stopped after {} of {} rows; import the file again to finish it.", begin, total));
    }
    end = std::min(total, begin + batch);
    size_t created = 0, matched = 0, queued = 0;
    std::chrono::steady_clock::duration held{};
    bool leased = true;
    ctx.store.Write([&](Repositories& r) {
      const auto started = std::chrono::steady_clock::now();
      created = matched = queued = 0;
      stored.clear();
      leased = lease.Renew(r);
      if (!leased) return false;
      std::vector<storage::ImportRow> report;
      auto reported = [&](size_t line, const SourceRecord& rec, const char* outcome, std::string review_id = "") {
        if (options.report_to.empty()) return;
        report.push_back({static_cast<int64_t>(line), rec.source, rec.record_id, outcome, rec.child_id,
                          std::move(review_id)});
      };
      for (size_t j = begin; j < end; ++j) {
        if (j >= fresh.size()) {
          const FeedRow& row = changed[j - fresh.size()];
          Must(r.SourceRecords().Update(row.record));
          audit(r, "index.import.update", row.record.child_id, row.record.id, "");
          reported(row.line, row.record, "updated");
          continue;
        }
        SourceRecord rec = fresh[j].record;
        rec.id = ctx.random.Id("S");
        rec.imported_at = now;
        rec.updated_at = now;
        const Plan& plan = plans[j];
        const std::string detail = nlohmann::json{{"source", rec.source}, {"record_id", rec.record_id}}.dump();
        if (plan.kind == Plan::Kind::kCreate) {
          rec.child_id = child_ids[j];
          stored.push_back(ChildFromSource(rec, rec.child_id, options.authority_id, now));
          Must(r.Children().Insert(stored.back()));
          Must(r.SourceRecords().Insert(rec));
          audit(r, "index.import.create", rec.child_id, rec.id, detail);
          reported(fresh[j].line, rec, "created");
          ++created;
        } else if (plan.kind == Plan::Kind::kAttach) {
          rec.child_id = plan.child_id.empty() ? child_ids[plan.creator] : plan.child_id;
          if (auto child = r.Children().Get(rec.child_id); child && FillGapsFromSource(*child, rec)) {
            child->updated_at = now;
            Must(r.Children().Update(*child));
            ++child->version;
            stored.push_back(std::move(*child));
          }
          Must(r.SourceRecords().Insert(rec));
          audit(r, "index.import.attach", rec.child_id, rec.id, detail);
          reported(fresh[j].line, rec, "matched");
          ++matched;
        } else {
          Must(r.SourceRecords().Insert(rec));
          storage::ReviewItem item;
          item.id = ctx.random.Id("R");
          item.authority_id = options.authority_id;
          item.source_record_id = rec.id;
          item.created_at = now;
          item.candidates = plan.candidates;
          for (auto& c : item.candidates) {
            if (c.child_id.starts_with("new:")) c.child_id = child_ids[std::stoul(c.child_id.substr(4))];
          }
          Must(r.Reviews().Insert(item));
          audit(r, "index.import.queue", "", item.id, detail);
          reported(fresh[j].line, rec, "queued", item.id);
          ++queued;
        }
      }
      if (!report.empty()) r.ImportJobs().AddRows(options.report_to, report);
      held = std::chrono::steady_clock::now() - started;
      return true;
    });
    if (!leased) {
      return Error::Conflict(fmt::format(
          "The import stopped after {} of {} rows: it was stalled for more than {} minutes and another import took "
          "over. Import the file again to finish it (rows already written are kept).",
          begin, total, kImportLeaseStale.count()));
    }
    if (options.batch_budget.count() > 0) {
      const double held_us =
          std::max<double>(1, static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(held).count()));
      const double fits =
          static_cast<double>(end - begin) * static_cast<double>(options.batch_budget.count()) / held_us;
      batch = std::clamp<size_t>(static_cast<size_t>(fits), kMinBudgetedBatch, max_batch);
    }
    summary.created += created;
    summary.matched += matched;
    summary.queued += queued;
    summary.updated += end > fresh.size() ? end - std::max(begin, fresh.size()) : 0;
    if (options.observer) {
      for (const auto& child : stored) options.observer->ChildStored(child);
    }
    if (options.counted) options.counted(summary);
    progress("write", static_cast<double>(end) / static_cast<double>(total));
  }
  ctx.store.Write([&](Repositories& r) {
    if (!unchanged.empty()) r.ImportJobs().AddRows(options.report_to, unchanged);
    audit(r, "index.import", "", "",
          nlohmann::json{{"rows", summary.rows_read},
                         {"created", summary.created},
                         {"matched", summary.matched},
                         {"queued", summary.queued},
                         {"unchanged", summary.unchanged},
                         {"updated", summary.updated},
                         {"rejected", summary.rejected.size()}}
              .dump());
    return true;
  });
  progress("write", 1.0);
  return summary;
}

}  // namespace kith::app
