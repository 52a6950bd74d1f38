// The small documents both back ends store inside one column, with one encoding, so that the
// same value reads the same from either: an early help version's content and a review's
// progress (JSON), a merge's moved source records (one id per line) and a review's status.
// Pure functions; safe from any thread. Decoding throws StorageError on text it did not write.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/early_help/assessment.h"
#include "storage/repositories.h"

namespace kith::storage {

std::string EncodeContent(const domain::early_help::Content& content);
domain::early_help::Content DecodeContent(const std::string& text);

std::string EncodeProgress(const std::vector<domain::early_help::NeedProgress>& progress);
std::vector<domain::early_help::NeedProgress> DecodeProgress(const std::string& text);

// A meeting's attendees (user ids) as a JSON array.
std::string EncodeIds(const std::vector<std::string>& ids);
std::vector<std::string> DecodeIds(const std::string& text);

// The children a search found (AuditRecord::found_children): a JSON array, or "" for none.
std::string EncodeFoundChildren(const std::vector<std::string>& ids);
std::vector<std::string> DecodeFoundChildren(const std::string& text);

// Audit records named by chain and seq (a misuse flag's records): a JSON array of [chain, seq].
std::string EncodeAuditRefs(const std::vector<domain::AuditRef>& refs);
std::vector<domain::AuditRef> DecodeAuditRefs(const std::string& text);

// Ids one per line (ids never contain a newline).
std::string JoinLines(const std::vector<std::string>& ids);
std::vector<std::string> SplitLines(const std::string& text);

std::string_view ToText(ReviewStatus status);
ReviewStatus ParseReviewStatus(std::string_view text);

}  // namespace kith::storage
