#include "server/demo_account.h"

#include <cmath>
#include <optional>
#include <vector>

#include "domain/account/chronology.h"
#include "domain/account/family.h"
#include "domain/account/uk_time.h"
#include "storage/repositories.h"

namespace kith::server {
namespace {

using domain::EntryType;
using domain::RelationshipType;
using domain::Significance;
using domain::TimeOfDay;

// Who records for each demo agency.
struct Recorder {
  const char* agency;
  const char* username;
};
constexpr Recorder kRecorders[] = {
    {"ACSC", "sw.hughes"},     {"AHV", "hv.bennett"},    {"AGPBROOK", "gp.osei"}, {"AHOSP", "ed.kaur"},
    {"APOL", "pc.davies"},     {"AEY", "ey.wright"},     {"AHOUSE", "ho.green"},  {"AVCS", "fs.jones"},
    {"ASCHANNE", "dsl.brown"}, {"ASCHACAD", "dsl.khan"}, {"AYOUTH", "yw.ali"},    {"ACAMHS", "camhs.ng"},
    {"ASCHRIVR", "dsl.singh"}, {"ASN", "sn.price"},
};

struct Event {
  int days_ago;
  std::optional<TimeOfDay> time;
  const char* agency;
  EntryType type;
  Significance significance;
  const char* summary;
  const char* detail;
};

// Leo Carter's significant events: the pattern serious case reviews describe.
const std::vector<Event>& LeoEvents() {
  static const std::vector<Event> kEvents = {
      {238, TimeOfDay{10, 0, 0}, "AHV", EntryType::kHomeVisit, Significance::kRoutine,
       "Health visitor 12-month development review",
       "Leo meeting milestones. Mother Tracey coping, tired. Home warm and clean."},
      {226, TimeOfDay{9, 20, 0}, "AGPBROOK", EntryType::kAppointmentAttended, Significance::kRoutine,
       "12-month immunisations given", "Attended with mother. No concerns raised."},
      {203, std::nullopt, "AEY", EntryType::kContact, Significance::kRoutine, "Started stay and play sessions",
       "Leo enjoys sand and water play. Mother chatty, mentions money worries."},
      {181, TimeOfDay{14, 0, 0}, "AHV", EntryType::kWasNotBrought, Significance::kNotable,
       "Leo was not brought to health visitor clinic", "No reply to phone calls. Letter sent offering new date."},
      {168, TimeOfDay{11, 10, 0}, "AGPBROOK", EntryType::kWasNotBrought, Significance::kNotable,
       "Leo was not brought for booster immunisations", "Second missed appointment. Practice to write to mother."},
      {151, TimeOfDay{2, 15, 0}, "AHOSP", EntryType::kHospitalAttendance, Significance::kNotable,
       "A&E attendance: bump to the head, said to have fallen from the sofa",
       "Small swelling to the forehead. Mother and her partner present. Discharged with head injury advice."},
      {122, TimeOfDay{23, 40, 0}, "APOL", EntryType::kPoliceCallOut, Significance::kNotable,
       "Police called by neighbour to shouting at the address",
       "Verbal argument between Tracey Carter and a man giving his name as Jason Kerr. Child asleep upstairs. "
       "No offences disclosed. DASH risk assessment standard."},
      {112, TimeOfDay{10, 30, 0}, "AHV", EntryType::kHomeVisit, Significance::kNotable,
       "Home visit: mother says her partner Jason has moved in",
       "Jason Kerr not present. Mother vague about how long she has known him. Home untidy, little food seen."},
      {101, TimeOfDay{9, 0, 0}, "AGPBROOK", EntryType::kWasNotBrought, Significance::kNotable,
       "Third missed appointment: Leo not brought for immunisations",
       "Immunisations now overdue. Health visitor informed."},
      {94, TimeOfDay{19, 5, 0}, "AHOSP", EntryType::kHospitalAttendance, Significance::kSerious,
       "A&E attendance: bruising to the left forearm, explanation vague",
       "Finger-tip bruising to the forearm. Mother said he caught it in the cot bars; partner said he fell. "
       "Explanations do not match. Skeletal survey declined by mother."},
      {93, std::nullopt, "AHOSP", EntryType::kReferral, Significance::kSerious,
       "Referral to children's social care by the paediatric liaison nurse",
       "Bruising with inconsistent explanations, missed appointments and a new adult in the household."},
      {79, TimeOfDay{15, 30, 0}, "AHOUSE", EntryType::kContact, Significance::kRoutine,
       "Housing officer visit about rent arrears and noise complaints",
       "Tenant Tracey Carter. A man answered the door and would not give his name."},
      {71, TimeOfDay{0, 50, 0}, "APOL", EntryType::kPoliceCallOut, Significance::kSerious,
       "Domestic incident: police attended, mother had a cut lip",
       "Jason Kerr left before police arrived. Mother declined to give a statement. Child crying, nappy heavily "
       "soiled. Referral to children's social care."},
      {64, TimeOfDay{11, 0, 0}, "ACSC", EntryType::kStrategyDiscussion, Significance::kSerious,
       "Strategy discussion: police, health and social care",
       "Agreed section 47 enquiries. Actions: check Jason Kerr's identity and history; joint home visit."},
      {56, std::nullopt, "AEY", EntryType::kWasNotBrought, Significance::kNotable,
       "Leo has not attended stay and play for three weeks", "Phone not answered. Worker to inform health visitor."},
      {41, TimeOfDay{10, 0, 0}, "ACSC", EntryType::kAssessment, Significance::kNotable,
       "Child and family assessment started", "Mother engaging reluctantly. Partner not seen."},
      {33, TimeOfDay{14, 15, 0}, "AHV", EntryType::kHomeVisit, Significance::kNotable,
       "Joint home visit: mother's partner present, refused to give date of birth",
       "Jason Kerr stayed in the kitchen. Leo quiet and watchful, flinched when the partner raised his voice."},
      {19, TimeOfDay{21, 30, 0}, "AHOSP", EntryType::kHospitalAttendance, Significance::kSerious,
       "A&E attendance: burn to the back of the hand",
       "Mother said he touched the oven door. Pattern not typical of an accidental burn. Paediatric review."},
      {12, TimeOfDay{16, 0, 0}, "ACSC", EntryType::kHomeVisit, Significance::kNotable,
       "Unannounced home visit: no answer", "Curtains drawn. Neighbour says she hears a child crying at night."},
      {5, TimeOfDay{9, 40, 0}, "AGPBROOK", EntryType::kWasNotBrought, Significance::kNotable,
       "Leo not brought to GP review of the burn", "Fourth missed health appointment in eight months."},
  };
  return kEvents;
}

// Routine contacts that fill in between the significant ones, ever more often.
struct Filler {
  const char* agency;
  EntryType type;
  const char* summary;
};
constexpr Filler kFillers[] = {
    {"AEY", EntryType::kContact, "Attended stay and play with mother"},
    {"AHV", EntryType::kContact, "Phone call with mother about sleep and feeding"},
    {"AGPBROOK", EntryType::kAppointmentAttended, "Seen by GP for a cough and cold"},
    {"AHV", EntryType::kHomeVisit, "Health visitor home visit, weight checked"},
    {"AEY", EntryType::kContact, "Mother collected food bank voucher at the children's centre"},
    {"ACSC", EntryType::kContact, "Social worker phone call with mother"},
    {"AHOSP", EntryType::kContact, "Paediatric liaison follow-up call"},
    {"ACSC", EntryType::kHomeVisit, "Social worker home visit, Leo seen"},
    {"APOL", EntryType::kContact, "Police safeguarding hub information shared"},
    {"AHOUSE", EntryType::kContact, "Housing officer letter about arrears"},
};

std::string FillerDetail(int i) {
  static constexpr const char* kDetails[] = {
      "Leo seemed tired. Mother says money is tight.", "No concerns raised at this contact.",
      "Leo quiet. Nappy rash noted. Advice given.",    "Mother mentions her partner works nights.",
      "Leo hungry, ate two snacks quickly.",           "Home cluttered. Dog in the house.",
  };
  return kDetails[static_cast<size_t>(i) % std::size(kDetails)];
}

// Nothing reaches the family unless someone decided: the health visitor, GP and children's
// centre share their routine, non-sensitive entries with Leo's mother as they record them; the
// police keep what they share from the family while it may be part of an investigation (waiting
// on the lead professional's review list); the social worker keeps a neighbour's report back as
// third-party information; everything else stays within the team by default.
domain::VisibilityRecord DemoVisibility(const domain::ChronologyEntry& x) {
  using domain::RestrictionReason;
  using domain::RestrictionReview;
  using domain::Visibility;
  const std::string_view agency = x.agency_id;
  if (agency == "APOL") {
    return {Visibility::kTeam, RestrictionReason::kPoliceInvestigation, "", RestrictionReview::kPending};
  }
  if (x.detail.find("Neighbour") != std::string::npos) {
    return {Visibility::kTeam, RestrictionReason::kThirdParty, "A neighbour could be identified.",
            RestrictionReview::kPending};
  }
  const bool sensitive = domain::OnTheFloor(domain::ToString(x.type), x.significance == Significance::kSerious);
  const bool shares = agency == "AHV" || agency == "AGPBROOK" || agency == "AEY";
  if (shares && !sensitive && x.significance == Significance::kRoutine) {
    return {Visibility::kTeamAndFamily, std::nullopt, "", RestrictionReview::kNone};
  }
  return {Visibility::kTeam, std::nullopt, "", RestrictionReview::kNone};
}

struct ThreadSpec {
  const char* username;
  const char* category;
  const char* title;
  std::vector<std::pair<const char*, const char*>> posts;  // username, body
  int days_ago;
};

}  // namespace

int CreateAccountDemo(storage::Store& store, Random& rng, TimePoint now, const DemoChildren& kids,
                      const std::function<std::string(std::string_view)>& user_id) {
  const Date today = domain::UkDate(now);
  auto day = [&](int days_ago) { return Date::FromDays(today.ToDays() - days_ago); };
  auto recorder = [&](std::string_view agency) -> std::string {
    for (const auto& r : kRecorders) {
      if (agency == r.agency) return user_id(r.username);
    }
    return user_id("sw.hughes");
  };
  int entries = 0;

  store.Write([&](storage::Repositories& r) {
    entries = 0;
    auto agency_kind = [&](const std::string& id) {
      auto a = r.Agencies().Get(id);
      return a ? a->kind : domain::AgencyKind::kVoluntarySector;
    };
    auto add = [&](const std::string& child, const Event& e) {
      domain::ChronologyEntry x;
      x.id = rng.Id("E");
      x.lineage_id = x.id;
      x.child_id = child;
      x.occurred_on = day(e.days_ago);
      x.occurred_time = e.time;
      x.agency_id = e.agency;
      x.agency_kind = agency_kind(e.agency);
      x.author_id = recorder(e.agency);
      x.type = e.type;
      x.significance = e.significance;
      x.summary = e.summary;
      x.detail = e.detail;
      // Recorded the same afternoon (or at once when it happened later in the day).
      const TimeOfDay at = e.time && e.time->hour >= 17 ? TimeOfDay{23, 0, 0} : TimeOfDay{17, 30, 0};
      x.recorded_at = std::min(domain::FromUkCivil(x.occurred_on, at), now);
      if (!r.Chronology().Insert({x, ""})) throw storage::StorageError("demo: chronology entry");
      r.Family().SetVisibility(
          {x.lineage_id, child, "entry", DemoVisibility(x), x.author_id, x.recorded_at, "", std::nullopt, x.agency_id});
      r.Feed().Append({rng.Id("F"), x.recorded_at, child, "chronology_entry", "New entry: " + x.summary, x.author_id,
                       std::string(domain::ToString(x.significance)), x.id, "", ""});
      ++entries;
      return x;
    };

    // Leo: the significant events, then routine contacts whose density rises over 8 months.
    for (const auto& e : LeoEvents()) {
      auto x = add(kids.leo, e);
      if (x.significance == Significance::kSerious && x.author_id != user_id("sw.hughes")) {
        r.Feed().InsertAlert({rng.Id("A"), user_id("sw.hughes"), kids.leo, x.recorded_at, "serious_entry",
                              "Serious entry: " + x.summary, x.id, std::nullopt});
      }
    }
    constexpr int kFillerCount = 40;
    for (int i = 1; i <= kFillerCount; ++i) {
      // sqrt spacing: gaps shrink as i grows, so contact rises towards today.
      const int days_ago = 236 - static_cast<int>(233.0 * std::sqrt(static_cast<double>(i) / kFillerCount));
      const Filler& f = kFillers[static_cast<size_t>(i * 7) % std::size(kFillers)];
      // Social care and police become involved only after the referral.
      const bool late_agency = std::string_view(f.agency) == "ACSC" || std::string_view(f.agency) == "APOL" ||
                               std::string_view(f.agency) == "AHOSP";
      const Filler& used = late_agency && days_ago > 93 ? kFillers[0] : f;
      const std::string detail = FillerDetail(i);
      Event e{days_ago,
              TimeOfDay{9 + i % 8, (i * 13) % 60, 0},
              used.agency,
              used.type,
              Significance::kRoutine,
              used.summary,
              detail.c_str()};
      add(kids.leo, e);
    }

    // A few entries for the other demo children.
    const std::vector<std::pair<std::string, Event>> others = {
        {kids.amira,
         {150, std::nullopt, "ASCHANNE", EntryType::kAssessment, Significance::kNotable,
          "Early help assessment completed with the family",
          "Concerns: attendance, mother's health, housing overcrowding."}},
        {kids.amira,
         {120, std::nullopt, "AVCS", EntryType::kPlanStarted, Significance::kRoutine, "Family support plan started",
          "Weekly visits agreed; help with school routines."}},
        {kids.amira,
         {30, TimeOfDay{15, 0, 0}, "ASCHANNE", EntryType::kMeeting, Significance::kRoutine,
          "Team around the family review", "Attendance improved to 94%."}},
        {kids.yusuf,
         {100, std::nullopt, "ASCHANNE", EntryType::kSchoolAbsence, Significance::kNotable,
          "Yusuf absent five days without explanation", "Mother unwell; sibling also absent."}},
        {kids.yusuf,
         {20, std::nullopt, "AVCS", EntryType::kHomeVisit, Significance::kRoutine, "Family support home visit",
          "Morning routine chart in use. Yusuf proud of his reading."}},
        {kids.kayden,
         {180, std::nullopt, "AYOUTH", EntryType::kContact, Significance::kRoutine,
          "Detached youth work: Kayden engaged at the skate park", "Talked about football and college."}},
        {kids.kayden,
         {60, TimeOfDay{22, 10, 0}, "AYOUTH", EntryType::kIncident, Significance::kNotable,
          "Kayden seen getting into a car with older young people",
          "Possible criminal exploitation concern shared with his social worker."}},
        {kids.kayden,
         {45, std::nullopt, "ACAMHS", EntryType::kAssessment, Significance::kRoutine,
          "CAMHS assessment appointment attended", "Low mood, poor sleep. Follow-up in four weeks."}},
        {kids.kayden,
         {15, std::nullopt, "ASCHACAD", EntryType::kExclusion, Significance::kNotable,
          "Fixed-term exclusion for two days", "Incident with a peer; Kayden says he was provoked."}},
        {kids.ruby,
         {200, std::nullopt, "ACSC", EntryType::kPlanStarted, Significance::kSerious,
          "Child protection plan started (category: emotional abuse)",
          "Family moved to a refuge address following domestic abuse."}},
        {kids.ruby,
         {40, std::nullopt, "ASCHRIVR", EntryType::kMeeting, Significance::kRoutine, "Core group meeting",
          "Ruby settled at school; attendance good."}},
    };
    for (const auto& [child, e] : others) add(child, e);

    // Forum threads.
    auto thread = [&](const std::string& child, const ThreadSpec& t) {
      const TimePoint start = domain::FromUkCivil(day(t.days_ago), TimeOfDay{12, 0, 0});
      storage::ForumThread th{rng.Id("T"), child, t.category, t.title, user_id(t.username), start, "", 0, {}};
      if (!r.Forum().InsertThread(th)) throw storage::StorageError("demo: thread");
      const auto author = r.Users().Get(th.author_id);
      r.Family().SetVisibility(
          {th.id,
           child,
           "thread",
           {domain::DefaultVisibility(domain::kForumThreadSubject, false, std::nullopt), std::nullopt, "", {}},
           th.author_id,
           start,
           "",
           std::nullopt,
           author ? author->agency_id : ""});
      std::string first;
      int i = 0;
      for (const auto& [who, body] : t.posts) {
        const TimePoint at = start + std::chrono::hours(3 * i++);
        std::vector<std::string> mentions;
        if (std::string_view(body).find("@sw.hughes") != std::string_view::npos)
          mentions.push_back(user_id("sw.hughes"));
        storage::ForumPost p{rng.Id("P"), th.id, child, user_id(who), body, at, {}, 1, first, mentions};
        if (!r.Forum().InsertPost(p)) throw storage::StorageError("demo: post");
        if (first.empty()) first = p.id;
        r.Feed().Append({rng.Id("F"), at, child, "forum_post", "New post in \"" + std::string(t.title) + "\"",
                         p.author_id, "", p.id, "", ""});
      }
    };
    thread(kids.leo, {"ed.kaur",
                      "concern",
                      "Bruising and explanations that do not match",
                      {{"ed.kaur",
                        "Second A&E attendance in two months. Mother and partner gave different accounts of "
                        "the forearm bruising. @sw.hughes can we share what each agency knows?"},
                       {"hv.bennett",
                        "Leo has missed three health appointments since the spring. Home visits show "
                        "little food and a tired mother."},
                       {"sw.hughes", "Thank you both. Strategy discussion being arranged this week."}},
                      92});
    thread(kids.leo, {"hv.bennett",
                      "observation",
                      "Mother's partner Jason Kerr: who has checked him?",
                      {{"hv.bennett",
                        "Jason Kerr moved in around the summer. I have never met him: he stays out of "
                        "the room or leaves. We do not know his date of birth or background."},
                       {"pc.davies",
                        "A man giving that name was present at two call-outs. Identity not confirmed; "
                        "checks requested."},
                       {"sw.hughes", "Agreed at the strategy discussion: identity and history checks on Jason Kerr."}},
                      30});
    thread(kids.leo, {"gp.osei",
                      "question",
                      "Overdue immunisations",
                      {{"gp.osei",
                        "Leo is now four immunisations "
                        "behind. Can the health visitor "
                        "offer a home appointment?"}},
                      20});
    thread(kids.amira, {"dsl.brown",
                        "progress",
                        "Attendance improving",
                        {{"dsl.brown", "Attendance up to 94% this half term. Family support visits are helping."},
                         {"fs.jones", "Mother says the morning routine chart has made a difference."}},
                        25});
    thread(kids.kayden, {"yw.ali",
                         "concern",
                         "Possible exploitation",
                         {{"yw.ali", "Seen with older young people and a car late at night twice this month."},
                          {"sw.okafor", "Thank you. I will raise this at the next review and share with police."}},
                         55});

    // Relationships wheels.
    auto person = [&](const std::string& child, const char* name, RelationshipType rel, bool lives, int since_days,
                      bool verified, const char* verified_by, const char* notes, std::optional<Date> dob = {}) {
      storage::StoredPerson p;
      p.id = rng.Id("W");
      p.child_id = child;
      p.name = name;
      p.relationship = rel;
      p.lives_with_child = lives;
      if (since_days >= 0) p.since = day(since_days);
      p.date_of_birth = dob;
      p.verified = verified;
      p.verified_by_agency_id = verified ? verified_by : "";
      p.notes = notes;
      p.created_by = user_id("sw.hughes");
      p.created_at = now - std::chrono::hours(24 * 30);
      p.updated_at = p.created_at;
      if (!r.Wheel().Insert(p)) throw storage::StorageError("demo: wheel person");
    };
    person(kids.leo, "Tracey Carter", RelationshipType::kMother, true, -1, true, "AHV",
           "Holds parental responsibility.");
    person(kids.leo, "Jason Kerr", RelationshipType::kParentsPartner, true, 115, false, "",
           "Mother's partner; moved in over the summer. No agency has confirmed his identity or history.");
    person(kids.leo, "Linda Carter", RelationshipType::kGrandparent, false, -1, true, "ACSC",
           "Maternal grandmother; offers childcare at weekends.");
    person(kids.amira, "Nasreen Begum", RelationshipType::kMother, true, -1, true, "ASCHANNE", "");
    person(kids.amira, "Yusuf Begum", RelationshipType::kSibling, true, -1, true, "ASCHANNE", "Younger brother.");
    person(kids.yusuf, "Nasreen Begum", RelationshipType::kMother, true, -1, true, "ASCHANNE", "");
    person(kids.kayden, "Janet Fielding", RelationshipType::kFosterCarer, true, 400, true, "ACSC", "");
    person(kids.kayden, "Robert Fielding", RelationshipType::kFosterCarer, true, 400, true, "ACSC", "");
    person(kids.ruby, "Agnieszka Nowak", RelationshipType::kMother, true, -1, true, "ACSC", "Address shielded.");
    return true;
  });
  return entries;
}

}  // namespace kith::server
