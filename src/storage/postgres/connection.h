// Thin RAII wrappers over libpq, private to the PostgreSQL back end.
//
// Statements are prepared once per connection (named by their SQL text) and run with the
// extended protocol: parameters are sent in the form the server inferred for them (described
// once, when prepared), results come back in binary, so integers, times and dates cross the wire
// without text parsing. Times are `timestamptz` (microseconds, as TimePoint), dates `date`,
// times of day `time`.
//
// Errors: a statement that fails throws PgError with the server's SQLSTATE; a failure to reach
// the server (or a server that stopped accepting writes: a standby after a failover) throws
// StorageUnavailable and marks the connection broken; a serialisation failure or deadlock throws
// PgError with retryable() true. After any error the transaction is aborted: the caller rolls it
// back (the store does).
//
// Not thread-safe: one Connection is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "common/date.h"
#include "storage/store.h"

struct pg_conn;
struct pg_result;

namespace kith::storage::postgres {

class PgError : public StorageError {
 public:
  PgError(const std::string& message, std::string sqlstate) : StorageError(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  // A serialisation failure (40001) or deadlock (40P01): the transaction may succeed if run again.
  bool retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }

 private:
  std::string sqlstate_;
};

// The connection URI with any password replaced by "***", for messages and logs.
std::string RedactUrl(std::string_view url);

// One result row set, read row by row: Next() moves to the next row (false after the last).
// Column readers convert the binary value of the column's type; NULL reads as "", 0, false or
// nullopt. Asking for a type the column cannot give throws StorageError.
class Rows {
 public:
  explicit Rows(pg_result* result);
  ~Rows();
  Rows(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  Rows& operator=(Rows&&) = delete;

  bool Next();
  int size() const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  int64_t affected() const;

  bool IsNull(int col) const;
  std::string Text(int col) const;
  int64_t Int(int col) const;
  bool Bool(int col) const;
  double Real(int col) const;
  TimePoint Time(int col) const;
  std::optional<TimePoint> OptionalTime(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;
  std::optional<Date> OptionalDate(int col) const;
  Date DateValue(int col) const { return OptionalDate(col).value_or(Date{}); }
  // A `time` column as seconds since midnight.
  std::optional<int64_t> OptionalSecondsOfDay(int col) const;

 private:
  const char* Value(int col, uint32_t* type, int* length) const;
  pg_result* result_;
  int row_ = -1;
};

class Connection;
struct PreparedStatement;

// A prepared statement being bound: Bind appends the next parameter ($1, $2, ...).
class Statement {
 public:
  struct TimeOfDaySeconds {
    int64_t seconds;
  };
  using Value = std::variant<std::monostate, std::string, int64_t, bool, double, TimePoint, Date, TimeOfDaySeconds>;

  Statement(Connection& connection, const PreparedStatement& prepared) : connection_(connection), prepared_(prepared) {}

  Statement& Bind(std::string_view text) { return Add(std::string(text)); }
  Statement& Bind(const char* text) { return Add(std::string(text)); }
  Statement& Bind(const std::string& text) { return Add(text); }
  Statement& Bind(int64_t value) { return Add(value); }
  Statement& Bind(int value) { return Add(static_cast<int64_t>(value)); }
  Statement& Bind(bool value) { return Add(value); }
  Statement& Bind(double value) { return Add(value); }
  Statement& Bind(TimePoint value) { return Add(value); }
  Statement& Bind(const Date& value) { return Add(value); }
  Statement& BindSecondsOfDay(int64_t seconds) { return Add(TimeOfDaySeconds{seconds}); }
  Statement& BindNull() { return Add(std::monostate{}); }
  // Empty text as NULL (optional references).
  Statement& BindTextOrNull(const std::string& text) { return text.empty() ? BindNull() : Bind(text); }
  template <typename T>
  Statement& Bind(const std::optional<T>& value) {
    return value ? Bind(*value) : BindNull();
  }

  // Runs the statement and returns its rows (none for most writes).
  Rows Run();

 private:
  template <typename T>
  Statement& Add(T value) {
    values_.emplace_back(std::move(value));
    return *this;
  }
  Connection& connection_;
  const PreparedStatement& prepared_;
  std::vector<Value> values_;
};

class Connection {
 public:
  // Connects to `url` (a libpq URI or key=value string). Throws StorageUnavailable, naming the
  // URL without its password, if the server cannot be reached or refuses the connection.
  Connection(const std::string& url, const std::string& application_name);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // False once the connection was lost (or a server told us it cannot take writes).
  bool healthy() const;

  // Runs one or more statements with no parameters (simple protocol).
  void Exec(std::string_view sql);
  // The statement for `sql`, prepared on this connection on first use. Callers pass literals
  // or strings built once: the text is the cache key.
  Statement Prepare(std::string_view sql);

  // Marks the start of a transaction (after BEGIN): forgets earlier failures. In a read-only
  // transaction, a refused write is a caller's mistake, not a sign of a standby.
  void StartTransaction(bool read_only);
  // Throws the first failure of a statement since StartTransaction, if any (one the caller
  // caught and went on from: the server has aborted the transaction meanwhile).
  void ThrowIfTransactionFailed() const;
  // COMMIT; throws PgError if the server rolled the transaction back instead.
  void Commit();

  // Makes a failed result into the right exception, marking the connection broken when it is.
  [[noreturn]] void Fail(pg_result* result, std::string_view what);

  // Notifications (LISTEN; storage/message_bus.h). Waits up to `timeout` for input from the
  // server, then returns the payloads of the notifications that arrived, in order (none after a
  // timeout). Throws StorageUnavailable, marking the connection broken, when it was lost.
  std::vector<std::string> WaitForNotifications(std::chrono::milliseconds timeout);

 private:
  friend class Statement;
  pg_result* Execute(const PreparedStatement& prepared, const std::vector<Statement::Value>& values);
  void Check(pg_result* result, std::string_view what);

  pg_conn* conn_ = nullptr;
  std::string redacted_url_;
  bool broken_ = false;
  bool read_only_ = false;
  std::optional<PgError> failed_;  // the first failure in the current transaction
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<PreparedStatement>, TextHash, std::equal_to<>> prepared_;
};

}  // namespace kith::storage::postgres
