#include "app/family_service.h"

#include <algorithm>
#include <array>
#include <map>

#include <nlohmann/json.hpp>

#include "app/account_views.h"
#include "app/alerts.h"
#include "app/broker.h"
#include "app/visibility.h"
#include "common/encoding.h"
#include "domain/account/uk_time.h"
#include "common/utf8.h"

namespace kith::app {

using domain::AuditOutcome;
using domain::Decision;
using storage::Repositories;

namespace {

// No 0/O, 1/I/L: codes are read aloud and typed from paper.
constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
constexpr size_t kCodeLength = 12;
constexpr size_t kMaxPersonName = 200;

Error NoChild() { return Error::NotFound("There is no child with that Kith id."); }
Error BadCode() {
  return Error::NotFound(
      "This invitation code is not valid: it may have been typed wrongly, used already, cancelled or expired. Ask the "
      "team around the child for a new one.");
}

// A code as typed ("k7mq 2xhp-9rdw") in its stored form ("K7MQ2XHP9RDW").
std::string NormaliseCode(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string CodeHash(const std::string& normalised) { return Sha256Hex("kith-family-invitation:" + normalised); }

std::string StatusOf(const storage::FamilyInvitation& i, TimePoint now) {
  if (i.redeemed_at) return "redeemed";
  if (i.revoked_at) return "cancelled";
  if (now >= i.expires_at) return "expired";
  return "pending";
}

Status CheckName(std::string_view field, const std::string& text, bool required) {
  if (required && text.find_first_not_of(" \t") == std::string::npos) {
    return Error::Invalid(std::string(field), "This field is required.");
  }
  if (!utf8::IsValid(text) || utf8::Length(text) > kMaxPersonName) {
    return Error::Invalid(std::string(field), "At most 200 characters of text.");
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7F) return Error::Invalid(std::string(field), "Must be a single line of text.");
  }
  return Ok{};
}

// Reading the team's side of the portal (the team, break-glass, supervising managers), changing
// it (the team), and what only the lead professional does.
ChildAct TeamReading(std::string_view action) {
  return {action, domain::ChildAction::kViewAccount, "Only the team around the child can see this"};
}
ChildAct TeamChanging(std::string_view action) {
  return {action, domain::ChildAction::kContribute, "Only members of the child's team can do this"};
}
ChildAct LeadOnly(std::string_view action) {
  return {action, domain::ChildAction::kLeadAct, "Only the child's lead professional can do this"};
}

ThreadDetail ThreadOf(Names& names, Repositories& r, storage::ForumThread t,
                      const std::map<std::string, storage::VisibilityRow>& vis) {
  ThreadDetail d;
  d.thread.author_name = names.User(t.author_id);
  if (auto it = vis.find(t.id); it != vis.end()) d.thread.visibility = it->second;
  for (auto& post : r.Forum().Posts(t.id)) {
    const std::string author = names.User(post.author_id);
    d.posts.push_back({std::move(post), author});
  }
  d.thread.thread = std::move(t);
  return d;
}

constexpr const char* kTeamMemberName = "A member of the team";

bool Visible(const std::map<std::string, storage::VisibilityRow>& vis, const std::string& subject_id) {
  auto it = vis.find(subject_id);
  return domain::FamilyMaySee(it == vis.end() ? nullptr : &it->second.record);
}

FamilyEntryView FamilyEntryViewOf(Names& names, Repositories& r, storage::FamilyEntry e) {
  FamilyEntryView v{std::move(e), "", domain::FamilyRelation::kParentCarer};
  v.author_name = names.User(v.entry.author_id);
  for (const auto& l : r.Family().LinksOf(v.entry.author_id)) {
    if (l.child_id == v.entry.child_id) v.relation = l.relation;
  }
  if (!v.entry.about_entry_id.empty()) {
    v.about_kind = r.EarlyHelp().Get(v.entry.about_entry_id) ? "assessment" : "entry";
  }
  return v;
}

// The family's view of an assessment, or nothing while no version has been completed (a draft
// is the team's working copy) or until someone in the team shared it with the family.
std::optional<FamilyAssessmentView> FamilyAssessmentOf(Names& names, Repositories& r,
                                                       const domain::early_help::Assessment& a,
                                                       const std::map<std::string, storage::VisibilityRow>& vis,
                                                       const Date& today) {
  const auto* record = a.OfRecord();
  if (!record) return std::nullopt;
  // Shared only when someone decided to share it (ADR 0017), like everything else.
  if (!Visible(vis, a.id)) return std::nullopt;
  FamilyAssessmentView v;
  v.id = a.id;
  v.stage = a.stage;
  v.lead_name = names.User(a.lead_id);
  v.version = record->number;
  v.completed_at = record->completed_at.value_or(record->created_at);
  v.content = record->content;
  for (const auto& m : a.meetings) v.meetings.push_back({m.held_on, m.decisions});
  for (const auto& act : a.actions) {
    FamilyActionView fa{act.description,
                        names.User(act.owner_id),
                        "",
                        act.due_on,
                        act.status,
                        domain::early_help::IsOverdue(act, today) && a.IsOpen(),
                        act.need_id};
    if (auto u = r.Users().Get(act.owner_id)) fa.owner_agency = names.Agency(u->agency_id);
    v.actions.push_back(std::move(fa));
  }
  for (auto review : a.reviews) {
    review.recorded_by.clear();
    v.reviews.push_back(std::move(review));
  }
  v.closed_at = a.closed_at;
  v.outcome = a.outcome;
  v.closure_summary = a.closure_summary;
  return v;
}

// What a linked family member may see of one child (the caller has checked the link).
FamilyChildView ChildViewFor(Repositories& r, const domain::Child& child, const domain::FamilyLink& link,
                             const std::string& viewer_id, const Date& today) {
  FamilyChildView out;
  out.child = {child.id, child.FullName(), link.relation};
  out.date_of_birth = child.date_of_birth;
  // A shielded child's family portal names no agency and no practitioner's contacts: a parent
  // linked before the shield may be the person the child is shielded from. Contact goes
  // through the broker.
  if (child.shielded) out.contact_through = BrokerFor(r, child).contact_through;
  for (const auto& m : child.shielded ? domain::Team{} : r.Teams().Members(child.id)) {
    auto user = r.Users().Get(m.user_id);
    if (!user) continue;
    TeamContact c{user->display_name, m.role, "", "", "", m.lead};
    if (auto agency = user->agency_id.empty() ? std::nullopt : r.Agencies().Get(user->agency_id)) {
      c.agency_name = agency->name;
      c.agency_phone = agency->phone;
      c.agency_email = agency->email;
    }
    out.team.push_back(std::move(c));
  }
  Names names(r);
  const auto vis = VisibilityOf(r, child.id);
  // Nor are practitioners named as authors: "a member of the team" (family members' own words
  // keep their names).
  auto anonymise = [&](const std::string& author_id, std::string& name) {
    if (child.shielded && author_id != viewer_id && r.Family().LinksOf(author_id).empty()) name = kTeamMemberName;
  };
  for (auto& e : r.Chronology().Current(child.id, 0)) {
    if (!Visible(vis, e.entry.lineage_id)) continue;
    out.entries.push_back(ViewOf(std::move(e), names, &vis));
    if (child.shielded) out.entries.back().agency_name.clear();
    anonymise(out.entries.back().stored.entry.author_id, out.entries.back().author_name);
  }
  for (auto& t : r.Forum().Threads(child.id)) {
    if (!Visible(vis, t.id)) continue;
    out.threads.push_back(ThreadOf(names, r, std::move(t), vis));
    anonymise(out.threads.back().thread.thread.author_id, out.threads.back().thread.author_name);
    for (auto& post : out.threads.back().posts) anonymise(post.post.author_id, post.author_name);
  }
  for (auto& e : r.Family().Entries(child.id)) {
    if (e.author_id == viewer_id) out.my_entries.push_back(FamilyEntryViewOf(names, r, std::move(e)));
  }
  for (const auto& a : r.EarlyHelp().ForChild(child.id)) {
    auto v = FamilyAssessmentOf(names, r, a, vis, today);
    if (!v) continue;
    if (child.shielded) {
      // As for entries: no agency, and practitioners are "a member of the team".
      anonymise(a.lead_id, v->lead_name);
      for (size_t i = 0; i < v->actions.size(); ++i) {
        anonymise(a.actions[i].owner_id, v->actions[i].owner_name);
        v->actions[i].owner_agency.clear();
      }
    }
    out.early_help.push_back(std::move(*v));
  }
  return out;
}

}  // namespace

// --- Generic access, audit and refusal -------------------------------------------------------

void FamilyService::Refuse(const Principal& p, const std::string& action, const std::string& child_id,
                           std::string_view why) {
  auto a = AuditFor(p, action, ctx_.clock.Now());
  a.child_id = child_id;
  a.outcome = AuditOutcome::kDenied;
  a.why = std::string(why);
  gate_.Append(a);
}

// --- Invitations and family accounts (the team's side) ---------------------------------------

Result<InvitationView> FamilyService::Invite(const Principal& p, const std::string& child_id, const NewInvitation& n) {
  if (auto s = CheckName("name", n.name, n.wheel_person_id.empty()); !s) return s.error();
  // Rejection sampling keeps every character equally likely.
  const size_t limit = 256 - 256 % kCodeAlphabet.size();
  std::string code;
  for (size_t drawn = 0; drawn < kCodeLength;) {
    std::array<uint8_t, 1> byte{};
    ctx_.random.Fill(byte);
    if (byte[0] >= limit) continue;
    if (drawn > 0 && drawn % 4 == 0) code.push_back('-');
    code.push_back(kCodeAlphabet[byte[0] % kCodeAlphabet.size()]);
    ++drawn;
  }
  const TimePoint now = ctx_.clock.Now();
  return gate_.Write<InvitationView>(
      p, child_id, TeamChanging("family.invite"),
      [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<InvitationView> {
        storage::FamilyInvitation inv;
        inv.name = n.name;
        if (!n.wheel_person_id.empty()) {
          auto person = r.Wheel().Get(n.wheel_person_id);
          if (!person || person->child_id != child_id) {
            return Error::Invalid("wheel_person_id", "There is no such person on this child's wheel.");
          }
          inv.wheel_person_id = person->id;
          if (inv.name.find_first_not_of(" \t") == std::string::npos) inv.name = person->name;
        }
        if (n.relation == domain::FamilyRelation::kYoungPerson) {
          if (!a.child.date_of_birth) {
            return Error::Invalid("relation",
                                  "The child's date of birth is not recorded; add it before inviting them.");
          }
          const int min_age =
              r.Family().YoungPersonMinAge(a.child.authority_id).value_or(domain::kDefaultYoungPersonMinAge);
          if (auto s = domain::CheckYoungPersonAge(a.child.date_of_birth->AgeOn(domain::UkDate(now)), min_age); !s) {
            return s.error();
          }
        }
        inv.id = ctx_.random.Id("I");
        inv.code_hash = CodeHash(NormaliseCode(code));
        inv.child_id = child_id;
        inv.relation = n.relation;
        inv.invited_by = p.user.id;
        inv.created_at = now;
        inv.expires_at = now + kInvitationLifetime;
        if (auto s = r.Family().InsertInvitation(inv); !s) return s.error();
        audit.target_id = inv.id;
        audit.detail = nlohmann::json{{"relation", domain::ToString(n.relation)}}.dump();
        return InvitationView{inv, "pending", p.user.display_name, code};
      });
}

Result<std::vector<InvitationView>> FamilyService::Invitations(const Principal& p, const std::string& child_id) {
  const TimePoint now = ctx_.clock.Now();
  return gate_.Read<std::vector<InvitationView>>(p, child_id, TeamReading("family.invitations"),
                                                 [&](Repositories& r, const ChildAccess&) {
                                                   std::vector<InvitationView> out;
                                                   Names names(r);
                                                   for (auto& i : r.Family().InvitationsForChild(child_id)) {
                                                     const std::string by = names.User(i.invited_by);
                                                     const std::string status = StatusOf(i, now);
                                                     out.push_back({std::move(i), status, by, ""});
                                                   }
                                                   return Result<std::vector<InvitationView>>(std::move(out));
                                                 });
}

Result<InvitationView> FamilyService::CancelInvitation(const Principal& p, const std::string& child_id,
                                                       const std::string& invitation_id) {
  const TimePoint now = ctx_.clock.Now();
  return gate_.Write<InvitationView>(
      p, child_id, TeamChanging("family.invitation_cancel"),
      [&](Repositories& r, const ChildAccess&, domain::AuditRecord& audit) -> Result<InvitationView> {
        for (auto& i : r.Family().InvitationsForChild(child_id)) {
          if (i.id != invitation_id) continue;
          if (StatusOf(i, now) != "pending") return Error::Conflict("Only a pending invitation can be cancelled.");
          i.revoked_at = now;
          if (auto s = r.Family().UpdateInvitation(i); !s) return s.error();
          audit.target_id = i.id;
          return InvitationView{i, "cancelled", Names(r).User(i.invited_by), ""};
        }
        return Error::NotFound("There is no such invitation for this child.");
      });
}

Result<std::vector<FamilyMemberView>> FamilyService::Members(const Principal& p, const std::string& child_id) {
  return gate_.Read<std::vector<FamilyMemberView>>(
      p, child_id, TeamReading("family.members"), [&](Repositories& r, const ChildAccess&) {
        std::vector<FamilyMemberView> out;
        for (const auto& l : r.Family().LinksToChild(child_id)) {
          auto u = r.Users().Get(l.user_id);
          if (!u) continue;
          out.push_back({u->id, u->display_name, u->username, l.relation, u->active, u->totp_enrolled, l.linked_at});
        }
        return Result<std::vector<FamilyMemberView>>(std::move(out));
      });
}

Result<FamilyMemberView> FamilyService::SetMemberActive(const Principal& p, const std::string& child_id,
                                                        const std::string& user_id, bool active,
                                                        const std::string& reason) {
  const char* action = active ? "family.reinstate" : "family.suspend";
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::Invalid("reason", "Say why, for the record.");
  }
  const TimePoint now = ctx_.clock.Now();
  std::optional<Result<FamilyMemberView>> out;
  std::string_view refused = "no such child";
  ctx_.store.Write([&](Repositories& r) {
    out.reset();
    // The team (who invited them) suspends and reinstates; an administrator of the child's
    // authority may suspend, managing the account as a user (no case content is read or
    // returned), but only the team lets a family member back in.
    auto a = LoadChildAccess(r, child_id, p.Actor(), domain::ChildAction::kContribute, now);
    if (!a) return false;
    const Decision admin = Decide(p.Actor(), domain::AuthorityAction::kManageUsers, a->child.authority_id);
    if (!a->decision.allowed && !(admin.allowed && !active)) {
      refused = admin.allowed ? "administrators suspend family accounts; only the child's team reinstates them"
                              : "neither team member nor administrator of the authority";
      return false;
    }
    refused = {};
    std::optional<storage::FamilyLinkRow> link;
    for (const auto& l : r.Family().LinksToChild(child_id)) {
      if (l.user_id == user_id) link = l;
    }
    auto user = link ? r.Users().Get(user_id) : std::nullopt;
    if (!user) {
      out.emplace(Error::NotFound("There is no such family account linked to this child."));
      return false;
    }
    user->active = active;
    if (auto s = r.Users().Update(*user); !s) {
      out.emplace(s.error());
      return false;
    }
    if (!active) r.Sessions().DeleteForUser(user_id);
    if (!a->decision.allowed) {
      AlertWatchers(r, ctx_.random, a->child, Watchers::kLeadAndManagers, p.user.id, "account_change",
                    "Family account of " + user->display_name + " suspended by the administrator " +
                        p.user.display_name + ": " + reason,
                    user->id, now);
    }
    auto audit = AuditFor(p, action, now);
    audit.child_id = child_id;
    audit.target_id = user_id;
    audit.reason = reason;
    audit.why = std::string(a->decision.allowed ? a->decision.why : admin.why);
    r.Audit().Append(audit);
    out.emplace(FamilyMemberView{user->id, user->display_name, user->username, link->relation, active,
                                 user->totp_enrolled, link->linked_at});
    return true;
  });
  if (!refused.empty()) {
    Refuse(p, action, child_id, refused);
    if (refused == "no such child") return NoChild();
    return Error::Forbidden(active ? "Only the child's team can reinstate a family account."
                                   : "Only the child's team or an administrator can do this.");
  }
  return std::move(*out);
}

// --- Visibility, restrictions and releases ----------------------------------------------------

namespace {

std::string TitleOf(Repositories& r, const storage::VisibilityRow& row) {
  if (row.subject_kind == "thread") {
    if (auto t = r.Forum().GetThread(row.subject_id)) return t->title;
    return "";
  }
  if (row.subject_kind == "assessment") return "Early help assessment";
  auto versions = r.Chronology().Versions(row.subject_id);
  return versions.empty() ? "" : versions.back().entry.summary;
}

// The team members who act for `agency_id` on this child's team.
std::vector<std::string> TeamMembersOf(Repositories& r, const domain::Team& team, const std::string& agency_id) {
  std::vector<std::string> out;
  for (const auto& m : team) {
    auto u = r.Users().Get(m.user_id);
    if (u && u->active && u->agency_id == agency_id) out.push_back(m.user_id);
  }
  return out;
}

// Who in `agency_id` should hear of a request when nobody from it is on the team: its active
// people who recorded the subject (any version of an entry, a thread's author) or set its
// visibility (the restrictor), or else the agency's active managers. Sorted, each once.
std::vector<std::string> AgencyPeopleFor(Repositories& r, const std::string& authority_id,
                                         const storage::VisibilityRow& row, const std::string& agency_id) {
  std::vector<std::string> candidates;
  if (!row.set_by.empty()) candidates.push_back(row.set_by);
  if (row.subject_kind == "entry") {
    for (const auto& v : r.Chronology().Versions(row.subject_id)) candidates.push_back(v.entry.author_id);
  } else if (row.subject_kind == "thread") {
    if (auto t = r.Forum().GetThread(row.subject_id)) candidates.push_back(t->author_id);
  }
  std::vector<std::string> out;
  for (const auto& id : candidates) {
    auto u = r.Users().Get(id);
    if (u && u->active && u->agency_id == agency_id && u->role != domain::Role::kFamily) out.push_back(id);
  }
  if (out.empty()) {
    for (const auto& u : r.Users().ListByAuthority(authority_id)) {
      if (u.active && u.agency_id == agency_id && u.role == domain::Role::kManager) out.push_back(u.id);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The state of a request from its agencies' parts: declined if one declined, agreed if all did.
domain::ReleaseStatus RequestStatus(const std::vector<storage::ReleaseRequest>& all, const std::string& request_id) {
  bool all_agreed = true;
  for (const auto& q : all) {
    if (q.request_id != request_id) continue;
    if (q.status == domain::ReleaseStatus::kDeclined) return domain::ReleaseStatus::kDeclined;
    all_agreed &= q.status == domain::ReleaseStatus::kAgreed;
  }
  return all_agreed ? domain::ReleaseStatus::kAgreed : domain::ReleaseStatus::kPending;
}

std::vector<ReleaseView> ReleaseViewsOf(Repositories& r, Names& names, const domain::Team& team,
                                        const std::vector<storage::ReleaseRequest>& all, const domain::User& reader,
                                        const std::string& only_subject = "") {
  std::vector<ReleaseView> out;
  for (const auto& q : all) {
    if (!only_subject.empty() && q.subject_id != only_subject) continue;
    ReleaseView v;
    v.request = q;
    auto row = r.Family().Visibility(q.subject_id);
    v.subject_kind = row ? row->subject_kind : "entry";
    v.title = row ? TitleOf(r, *row) : TitleOf(r, {q.subject_id, q.child_id, "entry", {}, "", {}, "", {}, ""});
    v.agency_name = names.Agency(q.agency_id);
    v.requested_by_name = names.User(q.requested_by);
    v.decided_by_name = names.User(q.decided_by);
    v.request_status = RequestStatus(all, q.request_id);
    v.agency_on_team = !TeamMembersOf(r, team, q.agency_id).empty();
    v.may_decide = v.request_status == domain::ReleaseStatus::kPending && q.status == domain::ReleaseStatus::kPending &&
                   reader.agency_id == q.agency_id && domain::FindMember(team, reader.id) != nullptr;
    out.push_back(std::move(v));
  }
  return out;
}

bool ReleaseWaiting(const std::vector<storage::ReleaseRequest>& all, const std::string& subject_id) {
  for (const auto& q : all) {
    if (q.subject_id == subject_id && RequestStatus(all, q.request_id) == domain::ReleaseStatus::kPending) return true;
  }
  return false;
}

}  // namespace

Result<storage::VisibilityRow> FamilyService::SetVisibility(const Principal& p, const std::string& child_id,
                                                            const std::string& subject_id,
                                                            const domain::VisibilityChoice& choice) {
  const TimePoint now = ctx_.clock.Now();
  auto result = gate_.Write<storage::VisibilityRow>(
      p, child_id, TeamChanging("family.visibility_set"),
      [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<storage::VisibilityRow> {
        auto subject = FindSubject(r, child_id, a.child.authority_id, subject_id);
        if (!subject) {
          return Error::NotFound("There is no such entry, thread or early help assessment on this child's account.");
        }
        auto row = ChangeVisibility(r, *subject, choice, {p.user.id, p.user.agency_id}, now);
        if (!row) return row.error();
        audit.target_id = subject->subject_id;
        audit.reason = row->record.reason ? std::string(domain::ToString(*row->record.reason)) : "";
        audit.detail = nlohmann::json{{"visibility", domain::ToString(row->record.visibility)}}.dump();
        return row;
      });
  // Content-free, so that a family page open on the child reloads what it may see.
  if (result && hub_)
    hub_->Publish({child_id, result->subject_kind == "thread" ? "forum" : "chronology", {}, "", true});
  return result;
}

Result<std::vector<RestrictionView>> FamilyService::Restrictions(const Principal& p, const std::string& child_id) {
  return gate_.Read<std::vector<RestrictionView>>(
      p, child_id, TeamReading("family.restrictions"), [&](Repositories& r, const ChildAccess& a) {
        std::vector<RestrictionView> out;
        Names names(r);
        const auto releases = r.Family().ReleaseRequests(child_id);
        for (auto& row : r.Family().VisibilityForChild(child_id)) {
          if (!row.record.reason) continue;
          RestrictionView v{row,  TitleOf(r, row), names.User(row.set_by), names.User(row.reviewed_by), "", "", {},
                            false};
          v.restricting_agency_name = names.Agency(row.set_by_agency_id);
          if (auto subject = FindSubject(r, child_id, a.child.authority_id, row.subject_id)) {
            v.recording_agency_name = names.Agency(subject->recording_agency_id);
            if (row.record.visibility == domain::Visibility::kTeam) {
              for (const auto& id : domain::AgreementNeeded(HoldersOf(*subject, row), p.user.agency_id)) {
                v.agreement_needed.push_back(names.Agency(id));
              }
            }
          }
          v.release_pending = ReleaseWaiting(releases, row.subject_id);
          out.push_back(std::move(v));
        }
        std::stable_sort(out.begin(), out.end(), [](const RestrictionView& x, const RestrictionView& y) {
          const bool xp = x.row.record.review == domain::RestrictionReview::kPending;
          const bool yp = y.row.record.review == domain::RestrictionReview::kPending;
          if (xp != yp) return xp;
          return x.row.set_at > y.row.set_at;
        });
        return Result<std::vector<RestrictionView>>(std::move(out));
      });
}

Result<storage::VisibilityRow> FamilyService::Confirm(const Principal& p, const std::string& child_id,
                                                      const std::string& subject_id, const std::string& note) {
  const TimePoint now = ctx_.clock.Now();
  return gate_.Write<storage::VisibilityRow>(
      p, child_id, LeadOnly("family.restriction_confirm"),
      [&](Repositories& r, const ChildAccess&, domain::AuditRecord& audit) -> Result<storage::VisibilityRow> {
        auto row = r.Family().Visibility(subject_id);
        if (!row || row->child_id != child_id) return Error::NotFound("There is no restriction with that id here.");
        auto reviewed = domain::ConfirmRestriction(row->record);
        if (!reviewed) return reviewed.error();
        row->record = *reviewed;
        row->reviewed_by = p.user.id;
        row->reviewed_at = now;
        r.Family().SetVisibility(*row);
        audit.target_id = subject_id;
        audit.reason = note;
        audit.detail = nlohmann::json{{"review", domain::ToString(reviewed->review)}}.dump();
        return *row;
      });
}

namespace {

// Shares the subject with the family now: the row made visible, its releaser recorded, the
// practitioner who held it back told when it was someone else, and the audit detail filled.
storage::VisibilityRow ReleaseNow(Repositories& r, Random& random, const ChildAccess& a, storage::VisibilityRow row,
                                  const domain::User& by, TimePoint now, const std::string& reason,
                                  const std::string& title) {
  const bool restricted = row.record.reason.has_value();
  if (auto released = domain::Release(row.record)) row.record = *released;
  row.reviewed_by = by.id;
  row.reviewed_at = now;
  r.Family().SetVisibility(row);
  if (restricted && !row.set_by.empty() && row.set_by != by.id && domain::FindMember(a.team, row.set_by)) {
    r.Feed().InsertAlert({random.Id("A"), row.set_by, a.child.id, now, "release_done",
                          "Shared with the family by " + by.display_name + " (you had restricted it): \"" + title +
                              "\". Reason: " + reason,
                          row.subject_id, std::nullopt});
  }
  return row;
}

}  // namespace

Result<ReleaseOutcome> FamilyService::Release(const Principal& p, const std::string& child_id,
                                              const std::string& subject_id, const std::string& reason) {
  if (auto s = domain::ValidateReleaseReason(reason); !s) return s.error();
  const TimePoint now = ctx_.clock.Now();
  auto result = gate_.Write<ReleaseOutcome>(
      p, child_id, TeamChanging("family.release"),
      [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<ReleaseOutcome> {
        auto subject = FindSubject(r, child_id, a.child.authority_id, subject_id);
        if (!subject) {
          return Error::NotFound("There is no such entry, thread or early help assessment on this child's account.");
        }
        auto row = CurrentVisibility(r, *subject);
        if (row.record.visibility == domain::Visibility::kTeamAndFamily) {
          return Error::Conflict("This is already shared with the family.");
        }
        auto all = r.Family().ReleaseRequests(child_id);
        if (ReleaseWaiting(all, subject->subject_id)) {
          return Error::Conflict("A request to share this with the family is already waiting for an agency's answer.");
        }
        audit.target_id = subject->subject_id;
        audit.reason = reason;
        Names names(r);
        const std::string title = TitleOf(r, row);
        const auto needed = domain::AgreementNeeded(HoldersOf(*subject, row), p.user.agency_id);
        ReleaseOutcome out;
        if (needed.empty()) {
          out.row = ReleaseNow(r, ctx_.random, a, row, p.user, now, reason, title);
          out.released = true;
          audit.detail = nlohmann::json{{"released", true}}.dump();
          return out;
        }
        const std::string request_id = ctx_.random.Id("RQ");
        nlohmann::json asked = nlohmann::json::array();
        nlohmann::json told = nlohmann::json::array();
        std::map<std::string, std::vector<std::string>> told_by_agency;
        for (const auto& agency : needed) {
          storage::ReleaseRequest q{ctx_.random.Id("RR"),
                                    request_id,
                                    child_id,
                                    subject->subject_id,
                                    agency,
                                    p.user.id,
                                    now,
                                    reason,
                                    domain::ReleaseStatus::kPending,
                                    "",
                                    std::nullopt,
                                    ""};
          if (auto s = r.Family().InsertReleaseRequest(q); !s) return s.error();
          asked.push_back(agency);
          const std::string asks =
              p.user.display_name + " asks your agency to agree to share \"" + title + "\" with the family";
          auto members = TeamMembersOf(r, a.team, agency);
          std::vector<std::string> told_names;
          if (members.empty()) {
            // Nobody from the agency is on the team to answer: the request would wait unseen.
            for (const auto& id : AgencyPeopleFor(r, a.child.authority_id, row, agency)) {
              r.Feed().InsertAlert({ctx_.random.Id("A"), id, child_id, now, "release_request",
                                    asks + ". Nobody from your agency is on the team now: ask to join the team to "
                                           "answer.",
                                    subject->subject_id, std::nullopt});
              told.push_back(id);
              told_names.push_back(names.User(id));
            }
          }
          for (const auto& member : members) {
            r.Feed().InsertAlert({ctx_.random.Id("A"), member, child_id, now, "release_request", asks,
                                  subject->subject_id, std::nullopt});
          }
          told_by_agency[agency] = std::move(told_names);
          all.insert(all.begin(), q);
        }
        out.row = row;
        out.requests = ReleaseViewsOf(r, names, a.team, all, p.user, subject->subject_id);
        std::erase_if(out.requests, [&](const ReleaseView& v) { return v.request.request_id != request_id; });
        for (auto& v : out.requests) v.told = told_by_agency[v.request.agency_id];
        audit.detail = nlohmann::json{{"released", false}, {"asked", asked}, {"told", told}}.dump();
        return out;
      });
  if (result && result->released && hub_) {
    hub_->Publish({child_id, result->row.subject_kind == "thread" ? "forum" : "chronology", {}, "", true});
  }
  return result;
}

Result<ReleaseOutcome> FamilyService::DecideRelease(const Principal& p, const std::string& child_id,
                                                    const std::string& subject_id, bool agree,
                                                    const std::string& reason) {
  if (auto s = domain::ValidateReleaseReason(reason); !s) return s.error();
  const TimePoint now = ctx_.clock.Now();
  auto result = gate_.Write<ReleaseOutcome>(
      p, child_id, TeamChanging(agree ? "family.release_agree" : "family.release_decline"),
      [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) -> Result<ReleaseOutcome> {
        auto all = r.Family().ReleaseRequests(child_id);
        storage::ReleaseRequest* mine = nullptr;
        for (auto& q : all) {
          if (q.subject_id == subject_id && q.status == domain::ReleaseStatus::kPending &&
              RequestStatus(all, q.request_id) == domain::ReleaseStatus::kPending && q.agency_id == p.user.agency_id) {
            mine = &q;
          }
        }
        if (!mine) return Error::NotFound("Nothing here is waiting for your agency's agreement.");
        mine->status = agree ? domain::ReleaseStatus::kAgreed : domain::ReleaseStatus::kDeclined;
        mine->decided_by = p.user.id;
        mine->decided_at = now;
        mine->decision_reason = reason;
        if (auto s = r.Family().UpdateReleaseRequest(*mine); !s) return s.error();
        audit.target_id = subject_id;
        audit.reason = reason;
        Names names(r);
        ReleaseOutcome out;
        auto subject = FindSubject(r, child_id, a.child.authority_id, subject_id);
        if (!subject) return Error::NotFound("The entry, thread or assessment is no longer on this account.");
        auto row = CurrentVisibility(r, *subject);
        const std::string title = TitleOf(r, row);
        const auto status = RequestStatus(all, mine->request_id);
        const std::string requester = mine->requested_by;
        const std::string agency = names.Agency(p.user.agency_id);
        if (status == domain::ReleaseStatus::kAgreed && row.record.visibility == domain::Visibility::kTeam) {
          out.row = ReleaseNow(r, ctx_.random, a, row, p.user, now, mine->reason, title);
          out.released = true;
        } else {
          out.row = row;
        }
        if (requester != p.user.id) {
          const std::string what =
              !agree ? agency + " did not agree to share \"" + title + "\" with the family: " + reason
              : out.released
                  ? agency + " agreed: \"" + title + "\" is now shared with the family"
                  : agency + " agreed to share \"" + title + "\" with the family; another agency must agree too";
          r.Feed().InsertAlert({ctx_.random.Id("A"), requester, child_id, now,
                                agree ? "release_agreed" : "release_declined", what, subject_id, std::nullopt});
        }
        out.requests = ReleaseViewsOf(r, names, a.team, all, p.user, subject_id);
        std::erase_if(out.requests, [&](const ReleaseView& v) { return v.request.request_id != mine->request_id; });
        audit.detail = nlohmann::json{{"released", out.released}, {"request_id", mine->request_id}}.dump();
        return out;
      });
  if (result && result->released && hub_) {
    hub_->Publish({child_id, result->row.subject_kind == "thread" ? "forum" : "chronology", {}, "", true});
  }
  return result;
}

Result<std::vector<ReleaseView>> FamilyService::Releases(const Principal& p, const std::string& child_id) {
  return gate_.Read<std::vector<ReleaseView>>(p, child_id, TeamReading("family.releases"), [&](Repositories& r,
                                                                                               const ChildAccess& a) {
    Names names(r);
    return Result<std::vector<ReleaseView>>(
        ReleaseViewsOf(r, names, a.team, r.Family().ReleaseRequests(child_id), p.user));
  });
}

Result<std::vector<FamilyEntryView>> FamilyService::FamilyEntries(const Principal& p, const std::string& child_id) {
  return gate_.Read<std::vector<FamilyEntryView>>(p, child_id, TeamReading("family.entries_read"),
                                                  [&](Repositories& r, const ChildAccess&) {
                                                    std::vector<FamilyEntryView> out;
                                                    Names names(r);
                                                    for (auto& e : r.Family().Entries(child_id))
                                                      out.push_back(FamilyEntryViewOf(names, r, std::move(e)));
                                                    return Result<std::vector<FamilyEntryView>>(std::move(out));
                                                  });
}

// --- Administrators ---------------------------------------------------------------------------

namespace {

bool KnownSubjectType(std::string_view type) {
  if (type == domain::kForumThreadSubject) return true;
  return domain::ParseEntryType(type).has_value();
}

FamilySettings SettingsOf(Repositories& r, const std::string& authority_id) {
  FamilySettings s;
  auto add = [&](std::string_view type) {
    s.defaults.emplace_back(std::string(type),
                            domain::DefaultVisibility(type, false, AuthoritySetting(r, authority_id, type)));
    if (domain::IsSensitiveSubject(type)) s.fixed.emplace_back(type);
  };
  for (auto t : domain::AllEntryTypes()) add(domain::ToString(t));
  add(domain::kForumThreadSubject);
  s.young_person_min_age = r.Family().YoungPersonMinAge(authority_id).value_or(domain::kDefaultYoungPersonMinAge);
  return s;
}

}  // namespace

Result<FamilySettings> FamilyService::Settings(const Principal& p) {
  const Decision d = Decide(p.Actor(), domain::AuthorityAction::kManageUsers, p.user.authority_id);
  if (!d.allowed || p.user.authority_id.empty()) {
    Refuse(p, "family.settings_read", "", d.why);
    return Error::Forbidden("Only an administrator of a local authority manages its family portal settings.");
  }
  FamilySettings out;
  ctx_.store.Write([&](Repositories& r) {
    auto audit = AuditFor(p, "family.settings_read", ctx_.clock.Now());
    audit.why = std::string(d.why);
    r.Audit().Append(audit);
    out = SettingsOf(r, p.user.authority_id);
    return true;
  });
  return out;
}

Result<FamilySettings> FamilyService::UpdateSettings(
    const Principal& p, const std::vector<std::pair<std::string, domain::Visibility>>& defaults,
    std::optional<int> young_person_min_age) {
  const Decision d = Decide(p.Actor(), domain::AuthorityAction::kManageUsers, p.user.authority_id);
  if (!d.allowed || p.user.authority_id.empty()) {
    Refuse(p, "family.settings_update", "", d.why);
    return Error::Forbidden("Only an administrator of a local authority manages its family portal settings.");
  }
  for (const auto& [type, v] : defaults) {
    if (!KnownSubjectType(type)) {
      return Error::Invalid("defaults." + type, "Not an entry type or forum_thread.");
    }
    if (auto s = domain::CheckAuthorityDefault(type, v); !s) return s.error();
  }
  if (young_person_min_age && (*young_person_min_age < 10 || *young_person_min_age > 18)) {
    return Error::Invalid("young_person_min_age", "Expected an age from 10 to 18.");
  }
  FamilySettings out;
  ctx_.store.Write([&](Repositories& r) {
    for (const auto& [type, v] : defaults) r.Family().SetDefault(p.user.authority_id, type, v);
    if (young_person_min_age) r.Family().SetYoungPersonMinAge(p.user.authority_id, *young_person_min_age);
    auto audit = AuditFor(p, "family.settings_update", ctx_.clock.Now());
    nlohmann::json detail = nlohmann::json::object();
    for (const auto& [type, v] : defaults) detail[type] = domain::ToString(v);
    if (young_person_min_age) detail["young_person_min_age"] = *young_person_min_age;
    audit.detail = detail.dump();
    audit.why = std::string(d.why);
    r.Audit().Append(audit);
    out = SettingsOf(r, p.user.authority_id);
    return true;
  });
  return out;
}

Result<SubjectAccessExport> FamilyService::SubjectAccess(const Principal& p, const std::string& child_id,
                                                         const std::string& reason) {
  auto why = domain::ValidateReason(reason);
  if (!why)
    return Error::Invalid("reason", "State the subject-access request this export answers (10 to 500 characters).");
  const ChildAct act{"family.subject_access", domain::ChildAction::kSubjectAccess,
                     "Only information governance of the child's local authority produces this export", true};
  // A write: the lead professional is alerted in the same transaction as the audit record.
  return gate_.Write<SubjectAccessExport>(
      p, child_id, act, [&](Repositories& r, const ChildAccess& a, domain::AuditRecord& audit) {
        audit.reason = *why;
        SubjectAccessExport e{a.child, audit.at, p.user.display_name, *why, {}, {}, {}, {}};
        Names names(r);
        const auto vis = VisibilityOf(r, child_id);
        auto current = r.Chronology().Current(child_id, 0);
        for (auto it = current.rbegin(); it != current.rend(); ++it) {
          for (auto& v : r.Chronology().Versions(it->entry.lineage_id))
            e.entries.push_back(ViewOf(std::move(v), names, &vis));
        }
        for (auto& t : r.Forum().Threads(child_id)) e.threads.push_back(ThreadOf(names, r, std::move(t), vis));
        for (auto& fe : r.Family().Entries(child_id))
          e.family_entries.push_back(FamilyEntryViewOf(names, r, std::move(fe)));
        const Date today = domain::UkDate(e.produced_at);
        for (auto& x : r.EarlyHelp().ForChild(child_id)) {
          SubjectAccessAssessment sa;
          if (auto it = vis.find(x.id); it != vis.end()) {
            sa.visibility = it->second;
            sa.family_may_see = domain::FamilyMaySee(&it->second.record);
          }
          sa.view = AssessmentViewOf(r, std::move(x), today);
          e.assessments.push_back(std::move(sa));
        }
        if (const auto* lead = a.Lead()) {
          r.Feed().InsertAlert(
              {ctx_.random.Id("A"), lead->user_id, child_id, audit.at, "subject_access",
               "Subject-access export of the record by " + p.user.display_name + ": " + *why,
               "", std::nullopt});
        }
        return Result<SubjectAccessExport>(std::move(e));
      });
}

// --- Family members ---------------------------------------------------------------------------

Result<storage::FamilyInvitation> FamilyService::CheckRedemption(Repositories& r, const Redemption& red,
                                                                 bool& identity_failed) {
  const TimePoint now = ctx_.clock.Now();
  auto inv = r.Family().InvitationByCodeHash(CodeHash(NormaliseCode(red.code)));
  if (!inv || StatusOf(*inv, now) != "pending") return BadCode();
  auto child = r.Children().Get(inv->child_id);
  if (!child) return BadCode();
  if (!domain::IdentityMatches(child->date_of_birth, child->postcode, red.child_date_of_birth, red.postcode)) {
    identity_failed = true;
    ++inv->failed_checks;
    if (inv->failed_checks >= kMaxIdentityChecks) inv->revoked_at = now;
    if (auto s = r.Family().UpdateInvitation(*inv); !s) return s.error();
    return Error::Invalid("child_date_of_birth",
                          inv->revoked_at ? "The details did not match too many times; the invitation is cancelled. "
                                            "Ask the team for a new one."
                                          : "The child's date of birth or postcode does not match our record.");
  }
  return *inv;
}

Result<FamilyMemberView> FamilyService::Redeem(const Redemption& red, const std::string& client) {
  if (auto s = domain::ValidateUsername(red.username); !s) return s.error();
  if (auto s = domain::ValidatePassword(red.password, red.username); !s) return s.error();
  if (auto s = CheckName("display_name", red.display_name, true); !s) return s.error();
  const TimePoint now = ctx_.clock.Now();
  // The password is hashed (argon2id, the costly part) only once a read has found the code
  // pending and the identity matching, so that invented codes cost a read and an audit record
  // and nothing more (issue 14). The write below checks again, and counts a failed identity check.
  const bool would_redeem = ctx_.store.ReadValue([&](Repositories& r) {
    auto inv = r.Family().InvitationByCodeHash(CodeHash(NormaliseCode(red.code)));
    if (!inv || StatusOf(*inv, now) != "pending") return false;
    auto child = r.Children().Get(inv->child_id);
    return child &&
           domain::IdentityMatches(child->date_of_birth, child->postcode, red.child_date_of_birth, red.postcode);
  });
  const std::string hash = would_redeem ? ctx_.hasher.Hash(red.password) : std::string();
  std::optional<Result<FamilyMemberView>> out;
  domain::AuditRecord audit;
  audit.at = now;
  audit.action = "family.redeem";
  audit.client = client;
  ctx_.store.Write([&](Repositories& r) {
    bool identity_failed = false;
    auto inv = CheckRedemption(r, red, identity_failed);
    if (!inv) {
      out.emplace(inv.error());
      if (!identity_failed) return false;
      // Keep the failed check (it counts towards cancelling the invitation), and audit it.
      audit.outcome = AuditOutcome::kDenied;
      audit.why = "identity check failed";
      r.Audit().Append(audit);
      return true;
    }
    if (hash.empty()) {  // the invitation changed between the read and this write
      out.emplace(Error::Conflict("The invitation changed while it was being redeemed; try again."));
      return false;
    }
    auto child = r.Children().Get(inv->child_id);
    domain::User u;
    u.id = ctx_.random.Id("U");
    u.username = red.username;
    u.display_name = red.display_name;
    u.role = domain::Role::kFamily;
    u.authority_id = child->authority_id;
    u.password_hash = hash;
    if (auto s = r.Users().Insert(u); !s) {
      out.emplace(Error::Conflict("That username is taken; choose another."));
      return false;
    }
    storage::FamilyLinkRow link{u.id, inv->child_id, inv->relation, now, inv->id};
    if (auto s = r.Family().Link(link); !s) {
      out.emplace(s.error());
      return false;
    }
    inv->redeemed_at = now;
    inv->redeemed_by = u.id;
    if (auto s = r.Family().UpdateInvitation(*inv); !s) {
      out.emplace(s.error());
      return false;
    }
    audit.actor_id = u.id;
    audit.actor_role = std::string(domain::ToString(u.role));
    audit.authority_id = u.authority_id;
    audit.child_id = inv->child_id;
    audit.target_id = inv->id;
    audit.why = "invitation redeemed with identity check";
    r.Audit().Append(audit);
    out.emplace(FamilyMemberView{u.id, u.display_name, u.username, inv->relation, true, false, now});
    return true;
  });
  if (!*out && (*out).error().code == ErrorCode::kNotFound) {
    audit.outcome = AuditOutcome::kDenied;
    audit.why = "invitation code not valid";
    ctx_.store.Write([&](Repositories& r) {
      r.Audit().Append(audit);
      return true;
    });
  }
  return std::move(*out);
}

Result<FamilyChildSummary> FamilyService::AddLink(const Principal& p, const Redemption& red) {
  if (p.user.role != domain::Role::kFamily) {
    Refuse(p, "family.link", "", "not a family account");
    return Error::Forbidden("Only family accounts are linked to children by invitation.");
  }
  const TimePoint now = ctx_.clock.Now();
  std::optional<Result<FamilyChildSummary>> out;
  ctx_.store.Write([&](Repositories& r) {
    bool identity_failed = false;
    auto audit = AuditFor(p, "family.link", now);
    auto inv = CheckRedemption(r, red, identity_failed);
    if (!inv) {
      out.emplace(inv.error());
      audit.outcome = AuditOutcome::kDenied;
      audit.why = identity_failed ? "identity check failed" : "invitation code not valid";
      r.Audit().Append(audit);
      return true;
    }
    const auto actor = ChildGate::FamilyActorOf(r, p.user);
    if (auto s = domain::CheckNewLink(actor.links, inv->child_id, inv->relation); !s) {
      out.emplace(s.error());
      return false;
    }
    storage::FamilyLinkRow link{p.user.id, inv->child_id, inv->relation, now, inv->id};
    if (auto s = r.Family().Link(link); !s) {
      out.emplace(s.error());
      return false;
    }
    inv->redeemed_at = now;
    inv->redeemed_by = p.user.id;
    if (auto s = r.Family().UpdateInvitation(*inv); !s) {
      out.emplace(s.error());
      return false;
    }
    auto child = r.Children().Get(inv->child_id);
    audit.child_id = inv->child_id;
    audit.target_id = inv->id;
    audit.why = "invitation redeemed with identity check";
    r.Audit().Append(audit);
    out.emplace(FamilyChildSummary{child->id, child->FullName(), inv->relation});
    return true;
  });
  return std::move(*out);
}

Result<std::vector<FamilyChildSummary>> FamilyService::Children(const Principal& p) {
  if (p.user.role != domain::Role::kFamily) {
    Refuse(p, "family.children", "", "not a family account");
    return Error::Forbidden("This is the family portal; practitioners use their own pages.");
  }
  auto out = ctx_.store.ReadValue([&](Repositories& r) {
    std::vector<FamilyChildSummary> children;
    for (const auto& l : r.Family().LinksOf(p.user.id)) {
      if (auto c = r.Children().Get(l.child_id)) children.push_back({c->id, c->FullName(), l.relation});
    }
    return children;
  });
  auto audit = AuditFor(p, "family.children", ctx_.clock.Now());
  audit.why = "own links";
  ctx_.store.Write([&](Repositories& r) {
    r.Audit().Append(audit);
    return true;
  });
  return out;
}

Result<FamilyChildView> FamilyService::Child(const Principal& p, const std::string& child_id) {
  return gate_.ReadAsFamily<FamilyChildView>(
      p, child_id, "family.child_read", domain::FamilyAction::kViewChild,
      [&](Repositories& r, const domain::Child& child, const domain::FamilyLink& link) {
        return Result<FamilyChildView>(ChildViewFor(r, child, link, p.user.id, domain::UkDate(ctx_.clock.Now())));
      });
}

Result<FamilyEntryView> FamilyService::AddEntry(const Principal& p, const std::string& child_id,
                                                domain::FamilyEntryKind kind, const std::string& about_entry_id,
                                                const std::string& text) {
  if (auto s = domain::ValidateFamilyEntry(kind, about_entry_id, text); !s) return s.error();
  const TimePoint now = ctx_.clock.Now();
  auto lease = words_.Acquire(child_id);
  lease.Get(ctx_.store);
  std::optional<FeedItemView> published;
  bool about_assessment = false;  // a view on an early help assessment (shown on its tab)
  auto out = gate_.WriteAsFamily<FamilyEntryView>(
      p, child_id, "family.entry_add", domain::FamilyAction::kAddEntry,
      [&](Repositories& r, const domain::Child& child, const domain::FamilyLink&,
          domain::AuditRecord& audit) -> Result<FamilyEntryView> {
        lease.Begin(r);  // the callback may run again (storage/store.h)
        published.reset();
        storage::FamilyEntry e{ctx_.random.Id("FE"), child_id, p.user.id, kind, "", text, now};
        about_assessment = false;
        if (!about_entry_id.empty()) {
          // Only an entry or early help assessment the family member can see can be answered;
          // anything else is "no such".
          auto about = r.Chronology().Get(about_entry_id);
          const auto row = about && about->entry.child_id == child_id ? r.Family().Visibility(about->entry.lineage_id)
                                                                      : std::nullopt;
          if (row && domain::FamilyMaySee(&row->record)) {
            e.about_entry_id = about->entry.lineage_id;
          } else if (auto a = r.EarlyHelp().Get(about_entry_id); a && a->child_id == child_id) {
            Names names(r);
            if (FamilyAssessmentOf(names, r, *a, VisibilityOf(r, child_id), domain::UkDate(now))) {
              e.about_entry_id = a->id;
              about_assessment = true;
            }
          }
          if (e.about_entry_id.empty()) {
            return Error::Invalid("about_entry_id", "There is no such entry on your child's record.");
          }
        }
        if (auto s = r.Family().InsertEntry(e); !s) return s.error();
        lease.Add(r, e.id, e.text);
        Names names(r);
        auto view = FamilyEntryViewOf(names, r, e);
        const std::string who =
            p.user.display_name +
            (view.relation == domain::FamilyRelation::kYoungPerson ? " (the young person)" : " (family)");
        const std::string summary =
            who + (about_assessment ? " added their view on the early help assessment" : " added their view");
        storage::FeedItem item{
            ctx_.random.Id("F"), now, child_id, "family_entry", summary, p.user.id, "", e.id, "", ""};
        r.Feed().Append(item);
        const auto team = r.Teams().Members(child_id);
        if (const auto* lead = domain::FindLead(team)) {
          r.Feed().InsertAlert(
              {ctx_.random.Id("A"), lead->user_id, child_id, now, "family_entry", summary, e.id, std::nullopt});
        }
        audit.target_id = e.id;
        audit.detail = nlohmann::json{{"kind", domain::ToString(kind)}}.dump();
        published = FeedItemView{item.id, now, child_id, child.FullName(), item.kind, summary, p.user.display_name, ""};
        return view;
      });
  lease.Finish(published.has_value());
  if (!out) return out;
  // The team only: another family member must not see this family member's words.
  if (published && hub_) hub_->Publish({child_id, "family", published, "", false});
  if (published && hub_ && about_assessment) hub_->Publish({child_id, "early_help", std::nullopt, "", false});
  return out;
}

Result<FamilyExport> FamilyService::Export(const Principal& p) {
  if (p.user.role != domain::Role::kFamily) {
    Refuse(p, "family.export", "", "not a family account");
    return Error::Forbidden("This is the family portal's download.");
  }
  FamilyExport out{p.user.display_name, ctx_.clock.Now(), {}};
  std::vector<std::string> child_ids;
  ctx_.store.Read([&](Repositories& r) {
    const auto actor = ChildGate::FamilyActorOf(r, p.user);
    for (const auto& link : actor.links) {
      if (!domain::DecideFamily(actor, domain::FamilyAction::kExport, link.child_id).allowed) continue;
      if (auto child = r.Children().Get(link.child_id)) {
        out.children.push_back(ChildViewFor(r, *child, link, p.user.id, domain::UkDate(ctx_.clock.Now())));
        child_ids.push_back(child->id);
      }
    }
  });
  ctx_.store.Write([&](Repositories& r) {
    for (const auto& id : child_ids) {
      auto audit = AuditFor(p, "family.export", out.produced_at);
      audit.child_id = id;
      audit.why = "linked family member";
      r.Audit().Append(audit);
    }
    return true;
  });
  return out;
}

bool FamilyService::MaySeeLive(const std::string& user_id, const LiveEvent& event) {
  if (!event.family_visible || !event.recipient_id.empty()) return false;
  return ctx_.store.ReadValue([&](Repositories& r) {
    auto user = r.Users().Get(user_id);
    return user &&
           domain::DecideFamily(ChildGate::FamilyActorOf(r, *user), domain::FamilyAction::kViewChild, event.child_id)
               .allowed;
  });
}

}  // namespace kith::app
