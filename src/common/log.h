// Structured logging: one JSON object per line on stderr. Callers pass an event name and
// fields; string values are JSON-escaped, so user input cannot forge log lines. Never log
// passwords, tokens, session ids or case content.
// Thread safety: all functions are safe to call from any thread.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace kith::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Sets the lowest level written (default kInfo). Call once at start-up.
void SetLevel(Level level);
// Parses "debug", "info", "warn" or "error"; false if the text is none of them.
bool ParseLevel(std::string_view text, Level* out);
// Whether a line at `level` would be written: lets hot paths skip building the fields.
bool Enabled(Level level);

void Write(Level level, std::string_view event, const nlohmann::json& fields);
void Debug(std::string_view event, const nlohmann::json& fields);
void Info(std::string_view event, const nlohmann::json& fields);
void Warn(std::string_view event, const nlohmann::json& fields);
void Error(std::string_view event, const nlohmann::json& fields);

}  // namespace kith::log
