#include "storage/documents.h"

#include <nlohmann/json.hpp>

namespace kith::storage {
namespace {

namespace eh = domain::early_help;
using nlohmann::json;

json Parse(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw StorageError("a stored document is not JSON: " + text.substr(0, 60));
  return j;
}

}  // namespace

std::string EncodeContent(const eh::Content& c) {
  json elements = json::array();
  for (const auto& e : c.elements) {
    elements.push_back(
        {{"code", e.code}, {"strengths", e.strengths}, {"needs", e.needs}, {"family_view", e.family_view}});
  }
  json needs = json::array();
  for (const auto& n : c.agreed_needs) needs.push_back({{"id", n.id}, {"text", n.text}});
  return json{{"consent",
               {{"given_by", c.consent.given_by},
                {"given_on", c.consent.given_on ? json(c.consent.given_on->ToString()) : json()},
                {"lawful_basis", c.consent.lawful_basis}}},
              {"elements", elements},
              {"child_view", c.child_view},
              {"parents_view", c.parents_view},
              {"conclusion", c.conclusion},
              {"agreed_needs", needs}}
      .dump();
}

eh::Content DecodeContent(const std::string& text) {
  try {
    const json j = Parse(text);
    eh::Content c;
    const json& consent = j.at("consent");
    c.consent.given_by = consent.at("given_by").get<std::string>();
    if (!consent.at("given_on").is_null()) c.consent.given_on = Date::Parse(consent.at("given_on").get<std::string>());
    c.consent.lawful_basis = consent.at("lawful_basis").get<std::string>();
    for (const auto& e : j.at("elements")) {
      c.elements.push_back({e.at("code").get<std::string>(), e.at("strengths").get<std::string>(),
                            e.at("needs").get<std::string>(), e.at("family_view").get<std::string>()});
    }
    c.child_view = j.at("child_view").get<std::string>();
    c.parents_view = j.at("parents_view").get<std::string>();
    c.conclusion = j.at("conclusion").get<std::string>();
    for (const auto& n : j.at("agreed_needs")) {
      c.agreed_needs.push_back({n.at("id").get<std::string>(), n.at("text").get<std::string>()});
    }
    return c;
  } catch (const json::exception& e) {
    throw StorageError(std::string("a stored early help version cannot be read: ") + e.what());
  }
}

std::string EncodeProgress(const std::vector<eh::NeedProgress>& progress) {
  json out = json::array();
  for (const auto& p : progress) {
    out.push_back({{"need_id", p.need_id}, {"progress", eh::ToString(p.progress)}, {"note", p.note}});
  }
  return out.dump();
}

std::vector<eh::NeedProgress> DecodeProgress(const std::string& text) {
  try {
    std::vector<eh::NeedProgress> out;
    for (const auto& p : Parse(text)) {
      out.push_back({p.at("need_id").get<std::string>(),
                     eh::ParseProgress(p.at("progress").get<std::string>()).value_or(eh::Progress::kNoChange),
                     p.at("note").get<std::string>()});
    }
    return out;
  } catch (const json::exception& e) {
    throw StorageError(std::string("a stored early help review cannot be read: ") + e.what());
  }
}

std::string EncodeIds(const std::vector<std::string>& ids) { return json(ids).dump(); }

std::vector<std::string> DecodeIds(const std::string& text) {
  try {
    return Parse(text).get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    throw StorageError(std::string("a stored list of ids cannot be read: ") + e.what());
  }
}

std::string EncodeFoundChildren(const std::vector<std::string>& ids) { return ids.empty() ? "" : EncodeIds(ids); }

std::vector<std::string> DecodeFoundChildren(const std::string& text) {
  if (text.empty()) return {};
  return DecodeIds(text);
}

std::string EncodeAuditRefs(const std::vector<domain::AuditRef>& refs) {
  json out = json::array();
  for (const auto& ref : refs) out.push_back({ref.chain, ref.seq});
  return out.dump();
}

std::vector<domain::AuditRef> DecodeAuditRefs(const std::string& text) {
  try {
    std::vector<domain::AuditRef> out;
    for (const auto& pair : Parse(text)) out.push_back({pair.at(0).get<int64_t>(), pair.at(1).get<int64_t>()});
    return out;
  } catch (const json::exception& e) {
    throw StorageError(std::string("a stored list of audit records cannot be read: ") + e.what());
  }
}

std::string JoinLines(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += id + "\n";
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    out.push_back(text.substr(start, end - start));
  }
  return out;
}

std::string_view ToText(ReviewStatus status) {
  switch (status) {
    case ReviewStatus::kOpen:
      return "open";
    case ReviewStatus::kMatched:
      return "matched";
    case ReviewStatus::kNotMatched:
      return "not_matched";
  }
  return "open";
}

ReviewStatus ParseReviewStatus(std::string_view text) {
  if (text == "matched") return ReviewStatus::kMatched;
  if (text == "not_matched") return ReviewStatus::kNotMatched;
  return ReviewStatus::kOpen;
}

}  // namespace kith::storage
