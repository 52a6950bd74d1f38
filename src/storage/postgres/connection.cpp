#include "storage/postgres/connection.h"

#include <endian.h>
#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <cstring>
#include <regex>

namespace kith::storage::postgres {

// Type OIDs from the server's catalogue (pg_type.dat); they never change.
namespace oid {
constexpr Oid kBool = 16, kName = 19, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kOid = 26, kJson = 114,
              kFloat4 = 700, kFloat8 = 701, kUnknown = 705, kBpchar = 1042, kVarchar = 1043, kDate = 1082, kTime = 1083,
              kTimestamp = 1114, kTimestamptz = 1184, kBytea = 17;
}  // namespace oid

// PostgreSQL counts time from 2000-01-01; TimePoint and Date from 1970-01-01.
constexpr int64_t kEpochShiftDays = 10957;
constexpr int64_t kEpochShiftMicros = kEpochShiftDays * 86'400'000'000LL;

struct PreparedStatement {
  std::string name;
  std::string sql;
  std::vector<Oid> param_types;
};

namespace {

// Text, and bytea: in the binary format both are their bytes as they are, so a string binds to
// and reads from either (bytea holds what text may not: NUL bytes, bytes that are not UTF-8).
bool IsText(Oid t) {
  return t == oid::kText || t == oid::kVarchar || t == oid::kBpchar || t == oid::kName || t == oid::kUnknown ||
         t == oid::kJson || t == oid::kBytea;
}

// Connection-level failures: the server is gone, shutting down, or can no longer take writes (a
// standby after a failover). Reconnecting (to whichever host is now the primary) is the remedy.
bool IsUnavailable(const char* sqlstate) {
  if (sqlstate == nullptr) return true;
  const std::string_view s(sqlstate);
  return s.starts_with("08") || s == "57P01" || s == "57P02" || s == "57P03" || s == "25006" || s == "53300";
}

void Put64(std::string& out, uint64_t v) {
  v = htobe64(v);
  out.append(reinterpret_cast<const char*>(&v), 8);
}

void Put32(std::string& out, uint32_t v) {
  v = htobe32(v);
  out.append(reinterpret_cast<const char*>(&v), 4);
}

uint64_t Get64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return be64toh(v);
}

uint32_t Get32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return be32toh(v);
}

// The binary form of `value` for a parameter of type `type`.
std::string Encode(const Statement::Value& value, Oid type, size_t index) {
  auto wrong = [&](const char* given) {
    return StorageError("parameter $" + std::to_string(index + 1) + " has type " + std::to_string(type) + " but " +
                        given + " was bound to it");
  };
  std::string out;
  if (const auto* text = std::get_if<std::string>(&value)) {
    if (!IsText(type)) throw wrong("text");
    return *text;
  }
  if (const auto* n = std::get_if<int64_t>(&value)) {
    if (type == oid::kInt8) {
      Put64(out, static_cast<uint64_t>(*n));
    } else if (type == oid::kInt4 || type == oid::kOid) {
      Put32(out, static_cast<uint32_t>(*n));
    } else if (type == oid::kInt2) {
      const uint16_t v = htobe16(static_cast<uint16_t>(*n));
      out.append(reinterpret_cast<const char*>(&v), 2);
    } else {
      throw wrong("an integer");
    }
    return out;
  }
  if (const auto* b = std::get_if<bool>(&value)) {
    if (type != oid::kBool) throw wrong("a boolean");
    out.push_back(*b ? 1 : 0);
    return out;
  }
  if (const auto* d = std::get_if<double>(&value)) {
    if (type != oid::kFloat8) throw wrong("a real number");
    uint64_t bits;
    std::memcpy(&bits, d, 8);
    Put64(out, bits);
    return out;
  }
  if (const auto* t = std::get_if<TimePoint>(&value)) {
    if (type != oid::kTimestamptz && type != oid::kTimestamp) throw wrong("a time");
    Put64(out, static_cast<uint64_t>(ToMicros(*t) - kEpochShiftMicros));
    return out;
  }
  if (const auto* day = std::get_if<Date>(&value)) {
    if (type != oid::kDate) throw wrong("a date");
    Put32(out, static_cast<uint32_t>(static_cast<int32_t>(day->ToDays() - kEpochShiftDays)));
    return out;
  }
  if (const auto* tod = std::get_if<Statement::TimeOfDaySeconds>(&value)) {
    if (type != oid::kTime) throw wrong("a time of day");
    Put64(out, static_cast<uint64_t>(tod->seconds * 1'000'000));
    return out;
  }
  throw wrong("an unknown value");
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  // postgresql://user:secret@host → postgresql://user:***@host
  static const std::regex kUserinfo(R"(^(postgres(?:ql)?://[^:/@?#]*):[^@/?#]*@)");
  out = std::regex_replace(out, kUserinfo, "$1:***@");
  // ?password=secret&… and password=secret (key = value form)
  static const std::regex kParam(R"((^|[?&\s])password\s*=\s*('[^']*'|[^&\s]*))");
  out = std::regex_replace(out, kParam, "$1password=***");
  return out;
}

// --- Rows -------------------------------------------------------------------------------------

Rows::Rows(pg_result* result) : result_(result) {}
Rows::~Rows() { PQclear(result_); }
Rows::Rows(Rows&& other) noexcept : result_(other.result_), row_(other.row_) { other.result_ = nullptr; }

bool Rows::Next() { return ++row_ < PQntuples(result_); }
int Rows::size() const { return PQntuples(result_); }

int64_t Rows::affected() const {
  const char* n = PQcmdTuples(result_);
  return n && *n ? std::stoll(n) : 0;
}

bool Rows::IsNull(int col) const { return PQgetisnull(result_, row_, col) != 0; }

const char* Rows::Value(int col, uint32_t* type, int* length) const {
  if (row_ < 0 || row_ >= PQntuples(result_)) throw StorageError("no current row (call Next first)");
  if (col < 0 || col >= PQnfields(result_)) throw StorageError("no column " + std::to_string(col));
  *type = PQftype(result_, col);
  *length = PQgetlength(result_, row_, col);
  return PQgetvalue(result_, row_, col);
}

std::string Rows::Text(int col) const {
  uint32_t type;
  int length;
  const char* v = Value(col, &type, &length);
  if (IsNull(col)) return {};
  if (!IsText(type)) throw StorageError("column " + std::to_string(col) + " is not text");
  return std::string(v, static_cast<size_t>(length));
}

int64_t Rows::Int(int col) const {
  uint32_t type;
  int length;
  const char* v = Value(col, &type, &length);
  if (IsNull(col)) return 0;
  switch (type) {
    case oid::kInt8:
      return static_cast<int64_t>(Get64(v));
    case oid::kInt4:
    case oid::kOid:
      return static_cast<int32_t>(Get32(v));
    case oid::kInt2: {
      uint16_t x;
      std::memcpy(&x, v, 2);
      return static_cast<int16_t>(be16toh(x));
    }
    case oid::kBool:
      return v[0] != 0;
    default:
      throw StorageError("column " + std::to_string(col) + " is not an integer");
  }
}

bool Rows::Bool(int col) const {
  uint32_t type;
  int length;
  const char* v = Value(col, &type, &length);
  if (IsNull(col)) return false;
  if (type != oid::kBool) return Int(col) != 0;
  return v[0] != 0;
}

double Rows::Real(int col) const {
  uint32_t type;
  int length;
  const char* v = Value(col, &type, &length);
  if (IsNull(col)) return 0;
  if (type == oid::kFloat8) {
    const uint64_t bits = Get64(v);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  if (type == oid::kFloat4) {
    const uint32_t bits = Get32(v);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  return static_cast<double>(Int(col));
}

std::optional<TimePoint> Rows::OptionalTime(int col) const {
  uint32_t type;
  int length;
  const char* v = Value(col, &type, &length);
  if (IsNull(col)) return std::nullopt;
  if (type != oid::kTimestamptz && type != oid::kTimestamp) {
    throw StorageError("column " + std::to_string(col) + " is not a time");
  }
  return FromMicros(static_cast<int64_t>(Get64(v)) + kEpochShiftMicros);
}

TimePoint Rows::Time(int col) const { return OptionalTime(col).value_or(FromMicros(0)); }

std::optional<int64_t> Rows::OptionalInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::optional<Date> Rows::OptionalDate(int col) const {
  uint32_t type;
  int length;
  const char* v = Value(col, &type, &length);
  if (IsNull(col)) return std::nullopt;
  if (type != oid::kDate) throw StorageError("column " + std::to_string(col) + " is not a date");
  return Date::FromDays(static_cast<int32_t>(Get32(v)) + kEpochShiftDays);
}

std::optional<int64_t> Rows::OptionalSecondsOfDay(int col) const {
  uint32_t type;
  int length;
  const char* v = Value(col, &type, &length);
  if (IsNull(col)) return std::nullopt;
  if (type != oid::kTime) throw StorageError("column " + std::to_string(col) + " is not a time of day");
  return static_cast<int64_t>(Get64(v)) / 1'000'000;
}

// --- Statement --------------------------------------------------------------------------------

Rows Statement::Run() { return Rows(connection_.Execute(prepared_, values_)); }

// --- Connection -------------------------------------------------------------------------------

Connection::Connection(const std::string& url, const std::string& application_name) : redacted_url_(RedactUrl(url)) {
  // Defaults first: the URL is expanded in place of dbname and overrides them. Keepalives notice
  // a server that vanished without closing the connection (a network partition, a dead host).
  const char* keywords[] = {"connect_timeout",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "dbname",
                            "fallback_application_name",
                            nullptr};
  const char* values[] = {"5", "10", "3", "3", url.c_str(), application_name.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords, values, 1);
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    std::string reason = conn_ ? PQerrorMessage(conn_) : "out of memory";
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw StorageUnavailable("cannot connect to the PostgreSQL database " + redacted_url_ + ": " + reason);
  }
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::healthy() const { return !broken_ && conn_ && PQstatus(conn_) == CONNECTION_OK; }

void Connection::Fail(pg_result* result, std::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const std::string sqlstate = state ? state : "";
  PQclear(result);
  const bool refused_write = sqlstate == "25006";
  if (PQstatus(conn_) != CONNECTION_OK || (IsUnavailable(state) && !(refused_write && read_only_))) {
    broken_ = true;
    throw StorageUnavailable("the PostgreSQL database " + redacted_url_ + " is unavailable (" + std::string(what) +
                             "): " + message);
  }
  PgError error(std::string(what) + ": " + message + " [" + sqlstate + "]", sqlstate);
  if (!failed_) failed_ = error;
  throw error;
}

void Connection::StartTransaction(bool read_only) {
  read_only_ = read_only;
  failed_.reset();
}

void Connection::ThrowIfTransactionFailed() const {
  if (failed_) throw *failed_;
}

void Connection::Commit() {
  if (broken_) throw StorageUnavailable("the connection to " + redacted_url_ + " was lost");
  pg_result* result = PQexec(conn_, "COMMIT");
  Check(result, "COMMIT");
  const std::string tag = PQcmdStatus(result);
  PQclear(result);
  if (tag != "COMMIT") {
    throw PgError("the transaction was rolled back at its commit (" + tag + ")", "40001");
  }
}

void Connection::Check(pg_result* result, std::string_view what) {
  const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
  Fail(result, what);
}

void Connection::Exec(std::string_view sql) {
  if (broken_) throw StorageUnavailable("the connection to " + redacted_url_ + " was lost");
  pg_result* result = PQexec(conn_, std::string(sql).c_str());
  Check(result, sql.substr(0, 60));
  PQclear(result);
}

std::vector<std::string> Connection::WaitForNotifications(std::chrono::milliseconds timeout) {
  const auto lost = [&] {
    broken_ = true;
    return StorageUnavailable("the connection to " + redacted_url_ + " was lost");
  };
  if (broken_) throw lost();
  std::vector<std::string> payloads;
  const auto take = [&] {
    while (PGnotify* n = PQnotifies(conn_)) {
      payloads.emplace_back(n->extra);
      PQfreemem(n);
    }
  };
  take();  // some may have come with the reply to an earlier command
  if (!payloads.empty()) return payloads;
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  if (fd.fd < 0) throw lost();
  if (poll(&fd, 1, static_cast<int>(timeout.count())) < 0 && errno != EINTR) throw lost();
  if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) throw lost();
  take();
  return payloads;
}

Statement Connection::Prepare(std::string_view sql) {
  if (auto it = prepared_.find(sql); it != prepared_.end()) return Statement(*this, *it->second);
  if (broken_) throw StorageUnavailable("the connection to " + redacted_url_ + " was lost");
  auto p = std::make_unique<PreparedStatement>();
  p->name = "k" + std::to_string(prepared_.size() + 1);
  p->sql = std::string(sql);
  pg_result* made = PQprepare(conn_, p->name.c_str(), p->sql.c_str(), 0, nullptr);
  Check(made, "prepare " + p->sql.substr(0, 60));
  PQclear(made);
  pg_result* described = PQdescribePrepared(conn_, p->name.c_str());
  Check(described, "describe " + p->sql.substr(0, 60));
  for (int i = 0; i < PQnparams(described); ++i) p->param_types.push_back(PQparamtype(described, i));
  PQclear(described);
  auto& stored = *prepared_.emplace(p->sql, std::move(p)).first->second;
  return Statement(*this, stored);
}

pg_result* Connection::Execute(const PreparedStatement& prepared, const std::vector<Statement::Value>& values) {
  if (broken_) throw StorageUnavailable("the connection to " + redacted_url_ + " was lost");
  if (values.size() != prepared.param_types.size()) {
    throw StorageError("statement takes " + std::to_string(prepared.param_types.size()) + " parameters, " +
                       std::to_string(values.size()) + " bound: " + prepared.sql.substr(0, 80));
  }
  std::vector<std::string> encoded(values.size());
  std::vector<const char*> pointers(values.size());
  std::vector<int> lengths(values.size());
  std::vector<int> formats(values.size(), 1);
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::holds_alternative<std::monostate>(values[i])) continue;  // NULL
    encoded[i] = Encode(values[i], prepared.param_types[i], i);
    pointers[i] = encoded[i].data();
    lengths[i] = static_cast<int>(encoded[i].size());
  }
  pg_result* result = PQexecPrepared(conn_, prepared.name.c_str(), static_cast<int>(values.size()), pointers.data(),
                                     lengths.data(), formats.data(), 1);
  Check(result, prepared.sql.substr(0, 80));
  return result;
}

}  // namespace kith::storage::postgres
