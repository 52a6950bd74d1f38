// JSON encodings of the API's resources, and strict decoding of request bodies: unknown fields,
// wrong types and over-long values are refused with the field named, before any work is done.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "app/admin_service.h"
#include "app/auth_service.h"
#include "app/child_service.h"
#include "common/result.h"

namespace kith::http {

using nlohmann::json;

// Reads the fields of one JSON object, remembering the first problem. Every key present in the
// object must be in `allowed`.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path, std::initializer_list<std::string_view> allowed);

  bool Has(std::string_view key) const;
  std::string String(std::string_view key, bool required = false, size_t max_length = 10000);
  std::optional<std::string> OptionalString(std::string_view key, size_t max_length = 10000);
  bool Bool(std::string_view key, bool fallback = false);
  std::optional<bool> OptionalBool(std::string_view key);
  int64_t Int(std::string_view key, bool required = false);
  std::optional<Date> DateValue(std::string_view key, bool required = false);
  // The array at `key` (empty if absent); a problem if present but not an array.
  const json& Array(std::string_view key, size_t max_items);

  // The first problem met, if any.
  const std::optional<Error>& error() const { return error_; }
  void Fail(std::string_view key, std::string message);
  std::string Path(std::string_view key) const;

 private:
  const json* Get(std::string_view key) const;
  static std::string Missing(std::string_view key);
  const json& object_;
  std::string path_;
  std::optional<Error> error_;
};

// Parses a request body as a JSON object. kInvalidInput if it is not one.
Result<json> ParseObject(const std::string& body);

json ToJson(const domain::Child& child);
json ToJson(const domain::Agency& agency);
json ToJson(const domain::LocalAuthority& authority);
json ToJson(const domain::User& user);  // never credentials
json ToJson(const domain::AuditRecord& record);
json ToJson(const app::AuditEntryView& entry);
json ToJson(const app::MemberView& member);
json ToJson(const app::ChildAccount& account);
json ToJson(const app::Signposting& signposting);
json ToJson(const app::ChildSummary& summary);
json ToJson(const app::Principal& principal);

// The editable fields of a child from a request body (id, authority and timestamps are not
// editable). `version` is required when `for_update`.
Result<domain::Child> ChildFromJson(const json& body, bool for_update);
// A change to a child's record from a PUT body: only the fields present change (an omitted
// field keeps its value); `version` is required.
Result<app::ChildChanges> ChildChangesFromJson(const json& body);

}  // namespace kith::http
