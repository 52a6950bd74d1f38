#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "common/clock.h"

namespace kith::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::mutex g_write_mutex;

std::string_view Name(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void SetLevel(Level level) { g_level = level; }

bool ParseLevel(std::string_view text, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == Name(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

bool Enabled(Level level) { return level >= g_level.load(std::memory_order_relaxed); }

void Write(Level level, std::string_view event, const nlohmann::json& fields) {
  if (!Enabled(level)) return;
  nlohmann::json line = {{"ts", FormatUtc(SystemClock().Now())}, {"level", Name(level)}, {"event", event}};
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  // Invalid UTF-8 from a client is replaced, not allowed to throw out of a log call.
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(g_write_mutex);
  std::fprintf(stderr, "%s\n", text.c_str());
}

void Debug(std::string_view e, const nlohmann::json& f) { Write(Level::kDebug, e, f); }
void Info(std::string_view e, const nlohmann::json& f) { Write(Level::kInfo, e, f); }
void Warn(std::string_view e, const nlohmann::json& f) { Write(Level::kWarn, e, f); }
void Error(std::string_view e, const nlohmann::json& f) { Write(Level::kError, e, f); }

}  // namespace kith::log
