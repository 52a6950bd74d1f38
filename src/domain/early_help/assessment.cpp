#include "domain/early_help/assessment.h"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "common/utf8.h"

namespace kith::domain::early_help {
namespace {

constexpr std::string_view kDev = "development";
constexpr std::string_view kPar = "parenting";
constexpr std::string_view kEnv = "family_environment";
constexpr std::string_view kDevLabel = "Development of the child";
constexpr std::string_view kParLabel = "Parents and carers";
constexpr std::string_view kEnvLabel = "Family and environmental factors";

constexpr std::array<ElementInfo, 16> kElements = {{
    {"health", kDev, kDevLabel, "Health"},
    {"emotional_social", kDev, kDevLabel, "Emotional and social development"},
    {"behaviour", kDev, kDevLabel, "Behavioural development"},
    {"identity", kDev, kDevLabel, "Identity, including self-esteem and self-image"},
    {"family_social_relationships", kDev, kDevLabel, "Family and social relationships"},
    {"self_care", kDev, kDevLabel, "Self-care skills and independence"},
    {"learning_understanding", kDev, kDevLabel, "Learning: understanding, reasoning and problem solving"},
    {"learning_progress", kDev, kDevLabel, "Learning: participation, progress and achievement"},
    {"learning_aspirations", kDev, kDevLabel, "Learning: aspirations"},
    {"basic_care_safety", kPar, kParLabel, "Basic care and ensuring safety"},
    {"emotional_warmth", kPar, kParLabel, "Emotional warmth and stability"},
    {"guidance_boundaries", kPar, kParLabel, "Guidance, boundaries and stimulation"},
    {"family_history", kEnv, kEnvLabel, "Family history, functioning and wellbeing"},
    {"wider_family", kEnv, kEnvLabel, "Wider family"},
    {"housing_employment_finance", kEnv, kEnvLabel, "Housing, employment and financial considerations"},
    {"community_resources", kEnv, kEnvLabel, "Social and community elements and resources, including education"},
}};

template <typename E, size_t N>
std::optional<E> ParseCode(std::string_view code, const std::array<std::string_view, N>& codes) {
  for (size_t i = 0; i < N; ++i) {
    if (codes[i] == code) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 5> kStages = {"draft", "completed", "plan", "review", "closed"};
constexpr std::array<std::string_view, 4> kOutcomes = {"needs_met", "stepped_up", "stepped_down", "moved_away"};
constexpr std::array<std::string_view, 4> kActionStatuses = {"not_started", "in_progress", "done", "cancelled"};
constexpr std::array<std::string_view, 4> kProgress = {"worse", "no_change", "some_progress", "met"};

bool Blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string Trim(std::string_view text) {
  const auto b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(b, e - b + 1));
}

// Valid UTF-8 within `max` code points; single-line text has no control characters at all,
// free text only line breaks and tabs.
Status CheckText(const std::string& field, const std::string& text, size_t max, bool multiline) {
  if (!utf8::IsValid(text)) return Error::Invalid(field, "The text is not valid UTF-8.");
  if (utf8::Length(text) > max) return Error::Invalid(field, fmt::format("At most {} characters.", max));
  for (unsigned char c : text) {
    if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7F) {
      return Error::Invalid(field,
                            multiline ? "The text contains control characters." : "Must be a single line of text.");
    }
  }
  return Ok{};
}

Status CheckDate(const std::string& field, const Date& d, const Date& today, bool allow_future) {
  if (!d.IsValid()) return Error::Invalid(field, "Give a date as YYYY-MM-DD.");
  if (!allow_future && d > today) return Error::Invalid(field, "The date is in the future.");
  return Ok{};
}

Error Refused(const Assessment& a, std::string_view act, std::string_view instead) {
  return Error::Conflict(fmt::format("An assessment in stage '{}' cannot {}: {}", ToString(a.stage), act, instead));
}

Status RefuseIfClosed(const Assessment& a, std::string_view act) {
  if (a.stage == Stage::kClosed)
    return Refused(a, act, "it is closed; start a new assessment if help is needed again.");
  return Ok{};
}

// Stages after a TAC meeting has been held: the plan exists.
bool HasPlan(Stage s) { return s == Stage::kPlan || s == Stage::kReview; }

const Need* FindNeed(const Version& v, std::string_view id) {
  for (const auto& n : v.content.agreed_needs) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

// Gives each new need (empty id) the next "N<n>" not used by a locked version or the content
// itself, so a need's id keeps meaning the same need across versions, actions and reviews.
void AssignNeedIds(const std::vector<Version>& versions, Content& c) {
  int highest = 0;
  auto note = [&](const std::string& id) {
    if (id.size() > 1 && id[0] == 'N' && id.size() < 8 &&
        std::all_of(id.begin() + 1, id.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      highest = std::max(highest, std::stoi(id.substr(1)));
    }
  };
  for (const auto& v : versions) {
    if (!v.locked) continue;  // the draft being replaced: its ids were never used
    for (const auto& n : v.content.agreed_needs) note(n.id);
  }
  for (const auto& n : c.agreed_needs) note(n.id);
  for (auto& n : c.agreed_needs) {
    if (n.id.empty()) n.id = "N" + std::to_string(++highest);
  }
}

}  // namespace

std::string_view ToString(Stage stage) { return kStages[static_cast<size_t>(stage)]; }
std::string_view ToString(Outcome outcome) { return kOutcomes[static_cast<size_t>(outcome)]; }
std::string_view ToString(ActionStatus status) { return kActionStatuses[static_cast<size_t>(status)]; }
std::string_view ToString(Progress progress) { return kProgress[static_cast<size_t>(progress)]; }
std::optional<Stage> ParseStage(std::string_view code) { return ParseCode<Stage>(code, kStages); }
std::optional<Outcome> ParseOutcome(std::string_view code) { return ParseCode<Outcome>(code, kOutcomes); }
std::optional<ActionStatus> ParseActionStatus(std::string_view code) {
  return ParseCode<ActionStatus>(code, kActionStatuses);
}
std::optional<Progress> ParseProgress(std::string_view code) { return ParseCode<Progress>(code, kProgress); }

std::string_view Label(Outcome outcome) {
  switch (outcome) {
    case Outcome::kNeedsMet:
      return "needs met";
    case Outcome::kSteppedUp:
      return "stepped up to children's social care";
    case Outcome::kSteppedDown:
      return "stepped down to universal services";
    case Outcome::kMovedAway:
      return "moved away";
  }
  return "";
}

std::span<const ElementInfo> Elements() { return kElements; }

const ElementInfo* FindElement(std::string_view code) {
  for (const auto& e : kElements) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

const Version* Assessment::OfRecord() const {
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    if (it->locked) return &*it;
  }
  return nullptr;
}

const Version* Assessment::Draft() const {
  return !versions.empty() && !versions.back().locked ? &versions.back() : nullptr;
}

const Action* Assessment::FindAction(std::string_view action_id) const {
  for (const auto& x : actions) {
    if (x.id == action_id) return &x;
  }
  return nullptr;
}

Status ValidateContent(Content& c, const Date& today) {
  c.consent.given_by = Trim(c.consent.given_by);
  c.consent.lawful_basis = Trim(c.consent.lawful_basis);
  if (auto s = CheckText("consent.given_by", c.consent.given_by, kMaxLineChars, false); !s) return s;
  if (auto s = CheckText("consent.lawful_basis", c.consent.lawful_basis, kMaxTextChars, true); !s) return s;
  if (c.consent.given_on) {
    if (auto s = CheckDate("consent.given_on", *c.consent.given_on, today, false); !s) return s;
  }
  std::set<std::string> seen;
  for (auto& e : c.elements) {
    if (!FindElement(e.code)) {
      return Error::Invalid("elements.code", "'" + e.code + "' is not an element of the early help assessment.");
    }
    if (!seen.insert(e.code).second) return Error::Invalid("elements.code", "'" + e.code + "' is given twice.");
    if (auto s = CheckText("elements." + e.code + ".strengths", e.strengths, kMaxTextChars, true); !s) return s;
    if (auto s = CheckText("elements." + e.code + ".needs", e.needs, kMaxTextChars, true); !s) return s;
    if (auto s = CheckText("elements." + e.code + ".family_view", e.family_view, kMaxTextChars, true); !s) return s;
  }
  // Empty elements carry nothing; the rest go into the order of the form.
  std::erase_if(c.elements, [](const ElementAssessment& e) {
    return Blank(e.strengths) && Blank(e.needs) && Blank(e.family_view);
  });
  auto rank = [](const ElementAssessment& e) { return FindElement(e.code) - kElements.data(); };
  std::stable_sort(c.elements.begin(), c.elements.end(),
                   [&](const ElementAssessment& x, const ElementAssessment& y) { return rank(x) < rank(y); });
  if (auto s = CheckText("child_view", c.child_view, kMaxTextChars, true); !s) return s;
  if (auto s = CheckText("parents_view", c.parents_view, kMaxTextChars, true); !s) return s;
  if (auto s = CheckText("conclusion", c.conclusion, kMaxTextChars, true); !s) return s;
  if (c.agreed_needs.size() > kMaxNeeds) {
    return Error::Invalid("agreed_needs", fmt::format("At most {} agreed needs.", kMaxNeeds));
  }
  std::set<std::string> ids;
  for (auto& n : c.agreed_needs) {
    n.text = Trim(n.text);
    if (n.text.empty()) return Error::Invalid("agreed_needs.text", "Each agreed need needs a description.");
    if (auto s = CheckText("agreed_needs.text", n.text, kMaxLineChars, false); !s) return s;
    if (n.id.empty() || n.id.size() > 20 || !ids.insert(n.id).second) {
      return Error::Invalid("agreed_needs.id", "Each agreed need needs its own short id.");
    }
  }
  return Ok{};
}

Result<Assessment> Start(std::string id, std::string child_id, std::string lead_id, Content content,
                         const std::string& by, TimePoint at, const Date& today) {
  if (lead_id.empty()) return Error::Invalid("lead_user_id", "Designate a lead professional from the team.");
  AssignNeedIds({}, content);
  if (auto s = ValidateContent(content, today); !s) return s.error();
  Assessment a;
  a.id = std::move(id);
  a.child_id = std::move(child_id);
  a.lead_id = lead_id;
  a.lead_history.push_back({std::move(lead_id), by, "designated when the assessment started", at});
  a.versions.push_back({1, std::move(content), false, at, by, std::nullopt, ""});
  a.opened_at = at;
  a.opened_by = by;
  return a;
}

Status EditDraft(Assessment& a, Content content, const Date& today) {
  if (auto s = RefuseIfClosed(a, "be edited"); !s) return s;
  if (!a.Draft()) {
    return Refused(a, "be edited", "the completed version is locked; start a new version to change it.");
  }
  AssignNeedIds(a.versions, content);
  if (auto s = ValidateContent(content, today); !s) return s;
  a.versions.back().content = std::move(content);
  return Ok{};
}

Status Complete(Assessment& a, const std::string& by, TimePoint at) {
  if (auto s = RefuseIfClosed(a, "be completed"); !s) return s;
  if (!a.Draft()) return Refused(a, "be completed", "there is no draft to complete; start a new version first.");
  Version& v = a.versions.back();
  const Consent& consent = v.content.consent;
  const bool consented = !consent.given_by.empty() && consent.given_on;
  if (!consented && Blank(consent.lawful_basis)) {
    return Error::Invalid("consent",
                          "Record who gave consent and when, or the lawful basis for proceeding without it.");
  }
  if (v.content.elements.empty()) {
    return Error::Invalid("elements", "Assess at least one element (strengths, needs or the family's view).");
  }
  if (Blank(v.content.conclusion)) return Error::Invalid("conclusion", "Write the conclusion of the assessment.");
  if (v.content.agreed_needs.empty()) {
    return Error::Invalid("agreed_needs", "Agree at least one need with the family before completing.");
  }
  v.locked = true;
  v.completed_at = at;
  v.completed_by = by;
  if (a.stage == Stage::kDraft) a.stage = Stage::kCompleted;
  return Ok{};
}

Status StartNewVersion(Assessment& a, const std::string& by, TimePoint at) {
  if (auto s = RefuseIfClosed(a, "start a new version"); !s) return s;
  if (a.Draft()) {
    return Refused(a, "start a new version",
                   fmt::format("version {} is still a draft; edit or complete it.", a.versions.back().number));
  }
  const Version* record = a.OfRecord();
  a.versions.push_back({record->number + 1, record->content, false, at, by, std::nullopt, ""});
  return Ok{};
}

Status HoldMeeting(Assessment& a, Meeting m, const Date& today) {
  if (auto s = RefuseIfClosed(a, "hold a TAC meeting"); !s) return s;
  if (!a.OfRecord()) return Refused(a, "hold a TAC meeting", "complete and lock the assessment first.");
  if (auto s = CheckDate("held_on", m.held_on, today, false); !s) return s;
  std::erase_if(m.attendees, [](const std::string& x) { return Blank(x); });
  for (auto& x : m.attendees) {
    x = Trim(x);
    if (auto s = CheckText("attendees", x, kMaxLineChars, false); !s) return s;
  }
  if (m.attendees.empty()) return Error::Invalid("attendees", "List who attended the meeting.");
  if (m.attendees.size() > kMaxAttendees) {
    return Error::Invalid("attendees", fmt::format("At most {} attendees.", kMaxAttendees));
  }
  if (Blank(m.decisions)) return Error::Invalid("decisions", "Record what the meeting decided.");
  if (auto s = CheckText("decisions", m.decisions, kMaxTextChars, true); !s) return s;
  a.meetings.push_back(std::move(m));
  if (a.stage == Stage::kCompleted) a.stage = Stage::kPlan;
  return Ok{};
}

Status AddAction(Assessment& a, Action x) {
  if (auto s = RefuseIfClosed(a, "add an action"); !s) return s;
  if (!HasPlan(a.stage)) return Refused(a, "add an action", "agree the action plan at a TAC meeting first.");
  x.description = Trim(x.description);
  if (x.description.empty()) return Error::Invalid("description", "Say what is to be done.");
  if (auto s = CheckText("description", x.description, kMaxLineChars, false); !s) return s;
  if (x.owner_id.empty()) return Error::Invalid("owner_id", "Give the action an owner from the team.");
  if (!x.due_on.IsValid()) return Error::Invalid("due_on", "Give a due date as YYYY-MM-DD.");
  if (!x.need_id.empty() && !FindNeed(*a.OfRecord(), x.need_id)) {
    return Error::Invalid("need_id", "'" + x.need_id + "' is not an agreed need of the assessment.");
  }
  if (!x.meeting_id.empty() &&
      std::none_of(a.meetings.begin(), a.meetings.end(), [&](const Meeting& m) { return m.id == x.meeting_id; })) {
    return Error::Invalid("meeting_id", "There is no such TAC meeting on this assessment.");
  }
  if (a.FindAction(x.id)) return Error::Conflict("An action with this id exists.");
  a.actions.push_back(std::move(x));
  return Ok{};
}

Status SetActionStatus(Assessment& a, std::string_view action_id, ActionStatus status, TimePoint at) {
  if (auto s = RefuseIfClosed(a, "change an action"); !s) return s;
  auto it = std::find_if(a.actions.begin(), a.actions.end(), [&](const Action& x) { return x.id == action_id; });
  if (it == a.actions.end()) return Error::NotFound("There is no such action on this assessment.");
  it->status = status;
  it->updated_at = at;
  if (status == ActionStatus::kDone || status == ActionStatus::kCancelled) it->overdue_alerted_on.reset();
  return Ok{};
}

Status RecordReview(Assessment& a, Review r, const Date& today) {
  if (auto s = RefuseIfClosed(a, "be reviewed"); !s) return s;
  if (!HasPlan(a.stage)) return Refused(a, "be reviewed", "hold a TAC meeting and agree a plan before reviewing it.");
  if (auto s = CheckDate("held_on", r.held_on, today, false); !s) return s;
  const Version& record = *a.OfRecord();
  std::set<std::string> covered;
  for (auto& p : r.progress) {
    if (!FindNeed(record, p.need_id)) {
      return Error::Invalid("progress.need_id", "'" + p.need_id + "' is not an agreed need of the assessment.");
    }
    if (!covered.insert(p.need_id).second) {
      return Error::Invalid("progress.need_id", "Progress on '" + p.need_id + "' is given twice.");
    }
    if (auto s = CheckText("progress.note", p.note, kMaxTextChars, true); !s) return s;
  }
  for (const auto& n : record.content.agreed_needs) {
    if (!covered.contains(n.id)) {
      return Error::Invalid("progress", "Record progress against every agreed need; missing: " + n.text + ".");
    }
  }
  if (auto s = CheckText("summary", r.summary, kMaxTextChars, true); !s) return s;
  r.version_reviewed = record.number;
  a.reviews.push_back(std::move(r));
  a.stage = Stage::kReview;
  return Ok{};
}

Status Close(Assessment& a, Outcome outcome, std::string summary, const std::string& by, TimePoint at) {
  if (auto s = RefuseIfClosed(a, "be closed"); !s) return s;
  if (!a.OfRecord()) {
    return Refused(a, "be closed", "complete the assessment first, so the outcome rests on an agreed assessment.");
  }
  if (const Version* d = a.Draft()) {
    return Refused(a, "be closed", fmt::format("version {} is still a draft; complete it first.", d->number));
  }
  summary = Trim(summary);
  if (summary.empty()) return Error::Invalid("summary", "Say briefly why the assessment is closing.");
  if (auto s = CheckText("summary", summary, kMaxTextChars, true); !s) return s;
  a.stage = Stage::kClosed;
  a.outcome = outcome;
  a.closure_summary = std::move(summary);
  a.closed_at = at;
  a.closed_by = by;
  return Ok{};
}

Status HandOver(Assessment& a, const std::string& to, const std::string& by, std::string reason, TimePoint at) {
  if (auto s = RefuseIfClosed(a, "hand over its lead professional"); !s) return s;
  if (to.empty()) return Error::Invalid("user_id", "Name the team member who takes over.");
  if (to == a.lead_id) return Error::Conflict("That practitioner is already the lead professional.");
  reason = Trim(reason);
  if (auto s = CheckText("reason", reason, kMaxLineChars, false); !s) return s;
  a.lead_id = to;
  a.lead_history.push_back({to, by, std::move(reason), at});
  return Ok{};
}

bool IsOverdue(const Action& x, const Date& today) {
  return (x.status == ActionStatus::kNotStarted || x.status == ActionStatus::kInProgress) && x.due_on < today;
}

std::vector<const Action*> OverdueActions(const Assessment& a, const Date& today) {
  std::vector<const Action*> out;
  if (!a.IsOpen()) return out;
  for (const auto& x : a.actions) {
    if (IsOverdue(x, today)) out.push_back(&x);
  }
  return out;
}

}  // namespace kith::domain::early_help
