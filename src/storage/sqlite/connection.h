// Thin RAII wrappers over the SQLite C API, private to the SQLite back end.
// Not thread-safe: one Connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace kith::storage::sqlite {

// A cached prepared statement in use. Resetting it when it goes out of scope matters: an
// un-reset statement keeps its read snapshot open, and later reads would not see new commits.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binders take 1-based positions, as SQLite does. Text is copied.
  Statement& Bind(int pos, std::string_view text);
  Statement& Bind(int pos, int64_t value);
  Statement& Bind(int pos, int value) { return Bind(pos, static_cast<int64_t>(value)); }
  Statement& Bind(int pos, bool value) { return Bind(pos, static_cast<int64_t>(value ? 1 : 0)); }
  Statement& BindNull(int pos);
  Statement& BindReal(int pos, double value);
  // Bytes as a BLOB (any bytes, unlike text); Text() reads them back.
  Statement& BindBlob(int pos, std::string_view bytes);
  Statement& Bind(int pos, const std::optional<int64_t>& value) { return value ? Bind(pos, *value) : BindNull(pos); }

  // Steps once: true when a row is available, false when done. Throws StorageError on error.
  bool Step();
  // Steps to completion, for statements that return no rows.
  void Run();

  std::string Text(int col) const;
  int64_t Int(int col) const;
  bool Bool(int col) const { return Int(col) != 0; }
  bool IsNull(int col) const;
  double Real(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };
  // Opens (creating if kReadWrite) the database at `path` and applies the connection settings
  // (WAL, synchronous=FULL, foreign keys, busy timeout). Throws StorageError on failure.
  Connection(const std::string& path, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements with no parameters.
  void Exec(std::string_view sql);
  // Runs one statement with no parameters through the statement cache (transaction control on
  // hot paths: no parsing per call).
  void Run(std::string_view sql) { Prepare(sql).Run(); }
  // A cached prepared statement, reset and ready for binding. Valid until the next call to
  // Prepare with the same SQL text.
  // Looking up cached text allocates nothing, so callers pass literals (or strings built once).
  Statement Prepare(std::string_view sql);
  int64_t Changes() const;
  sqlite3* raw() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> cache_;
};

}  // namespace kith::storage::sqlite
