// Binding and reading the optional values the SQLite repositories share: dates as
// "YYYY-MM-DD" text and instants as microseconds since the Unix epoch, NULL when absent.
// Private to the SQLite back end. Stateless; safe from any thread (the statements are not).
#pragma once

#include <optional>

#include "common/clock.h"
#include "common/date.h"
#include "storage/sqlite/connection.h"

namespace kith::storage::sqlite {

inline void BindOptionalDate(Statement& s, int pos, const std::optional<Date>& d) {
  if (d) {
    s.Bind(pos, d->ToString());
  } else {
    s.BindNull(pos);
  }
}

inline std::optional<Date> OptionalDate(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return Date::Parse(s.Text(col));
}

inline void BindOptionalTime(Statement& s, int pos, const std::optional<TimePoint>& t) {
  if (t) {
    s.Bind(pos, ToMicros(*t));
  } else {
    s.BindNull(pos);
  }
}

inline std::optional<TimePoint> OptionalTime(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return FromMicros(s.Int(col));
}

}  // namespace kith::storage::sqlite
