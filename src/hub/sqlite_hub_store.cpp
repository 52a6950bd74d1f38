#include <fmt/format.h>

#include <mutex>

#include "common/encoding.h"
#include "hub/hub_store.h"
#include "pprl/clk.h"
#include "storage/sqlite/connection.h"

namespace kith::hub {
namespace {

using storage::sqlite::Connection;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hub_cursor (authority TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS hub_tokens (
  authority TEXT NOT NULL,
  ref TEXT NOT NULL,
  seq INTEGER NOT NULL,
  nhs TEXT NOT NULL,
  upn TEXT NOT NULL,
  blocks TEXT NOT NULL,
  clk TEXT NOT NULL,
  PRIMARY KEY (authority, ref)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hub_nonces (
  authority TEXT NOT NULL,
  nonce TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (authority, nonce)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hub_nonces_seen ON hub_nonces (seen_at);
CREATE TABLE IF NOT EXISTS hub_refusals (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  client TEXT NOT NULL,
  authority TEXT NOT NULL,
  path TEXT NOT NULL,
  reason TEXT NOT NULL
);
)sql";

std::string Hex(const std::optional<pprl::IdToken>& t) { return t ? HexEncode(*t) : ""; }

std::optional<pprl::IdToken> FromHex(const std::string& text) {
  if (text.size() != 32) return std::nullopt;
  pprl::IdToken t{};
  for (size_t i = 0; i < t.size(); ++i) t[i] = static_cast<uint8_t>(std::stoi(text.substr(2 * i, 2), nullptr, 16));
  return t;
}

class SqliteHubStore final : public HubStore {
 public:
  explicit SqliteHubStore(const std::string& path) : db_(path, Connection::Mode::kReadWrite) { db_.Exec(kSchema); }

  Result<Applied> Apply(const std::string& authority, std::vector<HubChange> changes) override {
    std::lock_guard lock(mutex_);
    Applied out;
    out.last_seq = LastSeqLocked(authority);
    db_.Run("BEGIN IMMEDIATE");
    try {
      for (auto& c : changes) {
        if (c.seq <= out.last_seq) continue;
        if (c.seq != out.last_seq + 1) {
          db_.Run("ROLLBACK");
          return Error::Conflict(fmt::format("change {} is beyond the next expected change {}; resend from there",
                                             c.seq, LastSeqLocked(authority) + 1));
        }
        if (c.tokens) {
          std::string blocks;
          for (uint64_t b : c.tokens->blocks) blocks += fmt::format("{}{:016x}", blocks.empty() ? "" : " ", b);
          db_.Prepare(
                 "INSERT OR REPLACE INTO hub_tokens (authority, ref, seq, nhs, upn, blocks, clk) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)")
              .Bind(1, authority)
              .Bind(2, c.ref)
              .Bind(3, static_cast<int64_t>(c.seq))
              .Bind(4, Hex(c.tokens->nhs))
              .Bind(5, Hex(c.tokens->upn))
              .Bind(6, blocks)
              .Bind(7, c.tokens->has_clk ? pprl::ClkToBase64(c.tokens->clk) : std::string())
              .Run();
        } else {
          db_.Prepare("DELETE FROM hub_tokens WHERE authority = ? AND ref = ?").Bind(1, authority).Bind(2, c.ref).Run();
        }
        out.last_seq = c.seq;
        out.applied.push_back(std::move(c));
      }
      db_.Prepare(
             "INSERT INTO hub_cursor (authority, last_seq) VALUES (?, ?) "
             "ON CONFLICT (authority) DO UPDATE SET last_seq = excluded.last_seq")
          .Bind(1, authority)
          .Bind(2, static_cast<int64_t>(out.last_seq))
          .Run();
      db_.Run("COMMIT");
    } catch (...) {
      db_.Run("ROLLBACK");
      throw;
    }
    return out;
  }

  uint64_t LastSeq(const std::string& authority) override {
    std::lock_guard lock(mutex_);
    return LastSeqLocked(authority);
  }

  void ForEachHeld(
      const std::function<void(const std::string&, const std::string&, const pprl::Tokens&)>& fn) override {
    std::lock_guard lock(mutex_);
    auto st = db_.Prepare("SELECT authority, ref, nhs, upn, blocks, clk FROM hub_tokens ORDER BY authority, ref");
    while (st.Step()) {
      pprl::Tokens t;
      t.record_id = st.Text(1);
      t.nhs = FromHex(st.Text(2));
      t.upn = FromHex(st.Text(3));
      const std::string blocks = st.Text(4);
      for (size_t i = 0; i + 16 <= blocks.size(); i += 17)
        t.blocks.push_back(std::stoull(blocks.substr(i, 16), nullptr, 16));
      t.has_clk = pprl::ClkFromBase64(st.Text(5), &t.clk);
      fn(st.Text(0), t.record_id, t);
    }
  }

  std::string Encoding() override {
    std::lock_guard lock(mutex_);
    auto st = db_.Prepare("SELECT value FROM hub_meta WHERE key = 'encoding'");
    return st.Step() ? st.Text(0) : std::string();
  }

  void SetEncoding(const std::string& encoding) override {
    std::lock_guard lock(mutex_);
    db_.Prepare("INSERT OR REPLACE INTO hub_meta (key, value) VALUES ('encoding', ?)").Bind(1, encoding).Run();
  }

  bool Remember(const std::string& authority, const std::string& nonce, TimePoint now,
                TimePoint forget_before) override {
    std::lock_guard lock(mutex_);
    db_.Run("BEGIN IMMEDIATE");
    try {
      db_.Prepare("DELETE FROM hub_nonces WHERE seen_at < ?").Bind(1, ToMicros(forget_before)).Run();
      db_.Prepare("INSERT OR IGNORE INTO hub_nonces (authority, nonce, seen_at) VALUES (?, ?, ?)")
          .Bind(1, authority)
          .Bind(2, nonce)
          .Bind(3, ToMicros(now))
          .Run();
      const bool fresh = db_.Changes() == 1;
      db_.Run("COMMIT");
      return fresh;
    } catch (...) {
      db_.Run("ROLLBACK");
      throw;
    }
  }

  void LogRefusal(const RefusedRequest& r) override {
    std::lock_guard lock(mutex_);
    db_.Prepare("INSERT INTO hub_refusals (at, client, authority, path, reason) VALUES (?, ?, ?, ?, ?)")
        .Bind(1, ToMicros(r.at))
        .Bind(2, r.client)
        .Bind(3, r.authority)
        .Bind(4, r.path)
        .Bind(5, r.reason)
        .Run();
  }

  std::vector<RefusedRequest> Refusals(size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<RefusedRequest> out;
    auto st = db_.Prepare("SELECT at, client, authority, path, reason FROM hub_refusals ORDER BY id DESC LIMIT ?");
    st.Bind(1, static_cast<int64_t>(limit));
    while (st.Step()) out.push_back({FromMicros(st.Int(0)), st.Text(1), st.Text(2), st.Text(3), st.Text(4)});
    return out;
  }

 private:
  uint64_t LastSeqLocked(const std::string& authority) {
    auto st = db_.Prepare("SELECT last_seq FROM hub_cursor WHERE authority = ?");
    st.Bind(1, authority);
    return st.Step() ? static_cast<uint64_t>(st.Int(0)) : 0;
  }

  std::mutex mutex_;
  Connection db_;
};

}  // namespace

std::unique_ptr<HubStore> OpenSqliteHubStore(const std::string& path) { return std::make_unique<SqliteHubStore>(path); }

}  // namespace kith::hub
