#include "hub/publisher.h"

#include <fmt/format.h>

#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "common/encoding.h"
#include "pprl/token_file.h"
#include "storage/sqlite/connection.h"

namespace kith::hub {
namespace {

using storage::sqlite::Connection;

constexpr std::string_view kJournalSchema = R"sql(
CREATE TABLE IF NOT EXISTS published (ref TEXT PRIMARY KEY, fingerprint TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, ref TEXT NOT NULL, tokens TEXT);
CREATE TABLE IF NOT EXISTS journal_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
)sql";

// What the hub's tokens of a child depend on.
std::string Fingerprint(const domain::Child& c) {
  return Sha256Hex(fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", c.given_names, c.family_name,
                               c.date_of_birth ? c.date_of_birth->ToString() : "", domain::ToString(c.sex), c.postcode,
                               c.nhs_number, c.upn));
}

linkage::InputRecord AsRecord(const domain::Child& c) {
  linkage::InputRecord r;
  r.record_id = c.id;
  r.given_name = c.given_names;
  r.family_name = c.family_name;
  if (c.date_of_birth) r.date_of_birth = c.date_of_birth->ToString();
  r.sex = c.sex == domain::Sex::kFemale ? "F" : c.sex == domain::Sex::kMale ? "M" : "";
  r.postcode = c.postcode;
  r.nhs_number = c.nhs_number;
  r.upn = c.upn;
  return r;
}

// A token row of a token file (pprl/token_file.h), without the header: the journal's format.
std::string TokenRow(const pprl::Encoder& encoder, const pprl::Tokens& t) {
  std::ostringstream out;
  pprl::WriteTokens(out, encoder.Encoding(), {t});
  const std::string text = out.str();
  return text.substr(text.find('\n') + 1);
}

std::optional<pprl::Tokens> ParseTokenRow(const std::string& row) {
  std::istringstream in("record_id,encoding,nhs_token,upn_token,blocks,clk\n" + row);
  auto read = pprl::ReadTokens(in, "journal");
  if (!read || read->rows.size() != 1) return std::nullopt;
  return std::move(read->rows[0]);
}

}  // namespace

struct Publisher::Journal {
  explicit Journal(const std::string& path) : db(path, Connection::Mode::kReadWrite) { db.Exec(kJournalSchema); }
  uint64_t Meta(std::string_view key) {
    auto st = db.Prepare("SELECT value FROM journal_meta WHERE key = ?");
    st.Bind(1, key);
    return st.Step() ? static_cast<uint64_t>(st.Int(0)) : 0;
  }
  void SetMeta(std::string_view key, uint64_t value) {
    db.Prepare("INSERT OR REPLACE INTO journal_meta (key, value) VALUES (?, ?)")
        .Bind(1, key)
        .Bind(2, static_cast<int64_t>(value))
        .Run();
  }
  Connection db;
};

Publisher::Publisher(storage::Store& store, std::string authority_id, const pprl::Encoder& encoder, HubChannel& channel,
                     const std::string& journal_path)
    : store_(store),
      authority_id_(std::move(authority_id)),
      encoder_(encoder),
      channel_(channel),
      journal_(std::make_unique<Journal>(journal_path)) {}

Publisher::~Publisher() = default;

size_t Publisher::Reconcile() {
  std::lock_guard lock(mutex_);
  std::unordered_map<std::string, std::string> published;
  {
    auto st = journal_->db.Prepare("SELECT ref, fingerprint FROM published");
    while (st.Step()) published.emplace(st.Text(0), st.Text(1));
  }
  struct Pending {
    std::string ref;
    std::optional<std::string> tokens;  // a token row; none: removed
    std::string fingerprint;
  };
  std::vector<Pending> changes;
  std::unordered_set<std::string> seen;
  constexpr int kPage = 2000;
  std::string after;
  size_t children = 0;
  for (;;) {
    std::vector<bool> merged_away;
    const auto page = store_.ReadValue([&](storage::Repositories& r) {
      auto children_page = r.Children().ListRecordsByAuthority(authority_id_, after, kPage);
      for (const auto& c : children_page) merged_away.push_back(r.Merges().MergedAway(c.id).has_value());
      return children_page;
    });
    for (size_t i = 0; i < page.size(); ++i) {
      const domain::Child& c = page[i];
      if (merged_away[i]) continue;  // the survivor stands for the child now
      ++children;
      seen.insert(c.id);
      const std::string fp = Fingerprint(c);
      const auto it = published.find(c.id);
      if (it != published.end() && it->second == fp) continue;
      changes.push_back({c.id, TokenRow(encoder_, encoder_.Encode(AsRecord(c))), fp});
    }
    if (page.size() < static_cast<size_t>(kPage)) break;
    after = page.back().id;
  }
  for (const auto& [ref, fp] : published) {
    if (!seen.count(ref)) changes.push_back({ref, std::nullopt, ""});
  }
  // One journal transaction: the queue and the record of what is published move together.
  journal_->db.Run("BEGIN IMMEDIATE");
  try {
    uint64_t seq = journal_->Meta("next_seq");
    if (seq == 0) seq = 1;
    for (const auto& p : changes) {
      auto insert = journal_->db.Prepare("INSERT INTO outbox (seq, ref, tokens) VALUES (?, ?, ?)");
      insert.Bind(1, static_cast<int64_t>(seq++)).Bind(2, p.ref);
      if (p.tokens) {
        insert.Bind(3, *p.tokens);
      } else {
        insert.BindNull(3);
      }
      insert.Run();
      if (p.tokens) {
        journal_->db.Prepare("INSERT OR REPLACE INTO published (ref, fingerprint) VALUES (?, ?)")
            .Bind(1, p.ref)
            .Bind(2, p.fingerprint)
            .Run();
      } else {
        journal_->db.Prepare("DELETE FROM published WHERE ref = ?").Bind(1, p.ref).Run();
      }
    }
    journal_->SetMeta("next_seq", seq);
    journal_->db.Run("COMMIT");
  } catch (...) {
    journal_->db.Run("ROLLBACK");
    throw;
  }
  stats_.children = children;
  stats_.queued = changes.size();
  return changes.size();
}

Status Publisher::Flush(size_t batch) {
  std::lock_guard lock(mutex_);
  for (;;) {
    std::vector<HubChange> changes;
    {
      auto st = journal_->db.Prepare("SELECT seq, ref, tokens FROM outbox ORDER BY seq LIMIT ?");
      st.Bind(1, static_cast<int64_t>(batch));
      while (st.Step()) {
        HubChange c;
        c.seq = static_cast<uint64_t>(st.Int(0));
        c.ref = st.Text(1);
        if (!st.IsNull(2)) {
          c.tokens = ParseTokenRow(st.Text(2));
          if (!c.tokens) throw std::runtime_error(fmt::format("journal change {} holds unreadable tokens", c.seq));
        }
        changes.push_back(std::move(c));
      }
    }
    if (changes.empty()) return Ok{};
    auto sent = channel_.Publish(encoder_.Encoding(), changes);
    if (!sent && sent.error().code == ErrorCode::kConflict) {
      // The hub holds another point of the sequence (it lost nothing, so it holds more than the
      // node thinks, or the journal was restored): ask where it stands and resume from there.
      sent = channel_.Cursor();
      if (sent && *sent < changes.front().seq - 1) {
        return Error::Conflict(
            fmt::format("the hub holds changes up to {} but the journal starts at {}: the hub "
                        "lost changes; re-publish everything (delete the journal)",
                        *sent, changes.front().seq));
      }
    }
    if (!sent) return sent.error();
    stats_.acknowledged = *sent;
    if (*sent < changes.front().seq) {
      return Error::Conflict(
          fmt::format("the hub acknowledged {} of changes from {}: it did not apply them", *sent, changes.front().seq));
    }
    journal_->db.Prepare("DELETE FROM outbox WHERE seq <= ?").Bind(1, static_cast<int64_t>(*sent)).Run();
  }
}

PublisherStats Publisher::Stats() {
  std::lock_guard lock(mutex_);
  auto st = journal_->db.Prepare("SELECT COUNT(*) FROM outbox");
  stats_.pending = st.Step() ? static_cast<size_t>(st.Int(0)) : 0;
  return stats_;
}

}  // namespace kith::hub
