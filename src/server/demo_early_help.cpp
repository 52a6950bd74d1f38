#include "server/demo_early_help.h"

#include "domain/account/uk_time.h"
#include "domain/early_help/assessment.h"

namespace kith::server {

namespace eh = domain::early_help;

namespace {

void Check(const Status& s, const char* what) {
  if (!s) throw storage::StorageError(std::string("demo early help: ") + what + ": " + s.error().message);
}

}  // namespace

void CreateEarlyHelpDemo(storage::Store& store, Random& rng, TimePoint now, const std::string& amira_id,
                         const std::function<std::string(std::string_view)>& user_id) {
  const Date today = domain::UkDate(now);
  auto day = [&](int days_ago) { return Date::FromDays(today.ToDays() - days_ago); };
  auto at = [&](int days_ago) { return now - std::chrono::hours(24 * days_ago); };
  const std::string dsl = user_id("dsl.brown");
  const std::string family_support = user_id("fs.jones");

  eh::Content c;
  c.consent = {"Nasreen Begum, mother", day(162), ""};
  c.elements = {
      {"health", "Amira is healthy and growing well.", "Tired in the mornings; late nights in a shared bedroom.",
       "Mum says Amira sleeps badly since the family moved."},
      {"emotional_social", "Kind to younger children; two close friends.", "Anxious about her mother's health.", ""},
      {"learning_progress", "Reading at the expected level.", "Attendance 86% this year; often late.",
       "Mum wants help with the school run while she is unwell."},
      {"basic_care_safety", "Warm, loving care from her mother.",
       "Mother's long illness makes mornings hard; no other adult at home.", ""},
      {"housing_employment_finance", "Secure tenancy.", "Two-bedroom flat for a family of four: overcrowded.",
       "The family has asked the council to move them."},
      {"wider_family", "An aunt nearby helps at weekends.", "", "The aunt could do the school run twice a week."},
  };
  c.child_view = "I like school and my friends. I worry about Mum when I am there.";
  c.parents_view = "I want Amira and Yusuf at school every day. I need help until I am better.";
  c.conclusion =
      "Good care under strain from the mother's illness and overcrowding. Early help can support "
      "attendance, the mother's health and the housing application.";
  c.agreed_needs = {
      {"", "School attendance above 95%"}, {"", "Support for mother's health"}, {"", "Housing that fits the family"}};

  auto a = eh::Start(rng.Id("H"), amira_id, dsl, c, dsl, at(160), day(160));
  Check(a.ok() ? Status(Ok{}) : Status(a.error()), "start");
  Check(eh::Complete(*a, dsl, at(150)), "complete");
  const std::string first = rng.Id("M");
  Check(eh::HoldMeeting(*a,
                        {first,
                         day(120),
                         {"Joanne Brown, designated safeguarding lead", "Megan Jones, family support worker",
                          "Nasreen Begum, mother", "Amira (for the first part)"},
                         "Weekly family support visits. Aunt to do the school run on Tuesdays and Thursdays. School "
                         "to support a housing application.",
                         dsl,
                         at(120)},
                        day(120)),
        "first meeting");
  auto action = [&](const char* text, const std::string& owner, int due_days_ago, eh::ActionStatus status,
                    const char* need, const std::string& meeting, int created_days_ago) {
    Check(eh::AddAction(*a, {rng.Id("X"), text, owner, day(due_days_ago), status, need, meeting, at(created_days_ago),
                             at(created_days_ago), std::nullopt}),
          "action");
  };
  action("Morning routine plan with Nasreen and the aunt", family_support, 100, eh::ActionStatus::kDone, "N1", first,
         120);
  action("Support letter for the housing application", dsl, 90, eh::ActionStatus::kDone, "N3", first, 120);
  Check(eh::RecordReview(*a,
                         {rng.Id("R"),
                          day(30),
                          {{"N1", eh::Progress::kSomeProgress, "Attendance up to 94%."},
                           {"N2", eh::Progress::kNoChange, "Still waiting for a specialist appointment."},
                           {"N3", eh::Progress::kNoChange, "Application in; no offer yet."}},
                          0,
                          "Attendance is improving. Housing and health need chasing.",
                          dsl,
                          at(30)},
                         day(30)),
        "review");
  const std::string second = rng.Id("M");
  Check(eh::HoldMeeting(*a,
                        {second,
                         day(30),
                         {"Joanne Brown, designated safeguarding lead", "Megan Jones, family support worker",
                          "Nasreen Begum, mother"},
                         "Family support to chase the housing application and ask the GP about the referral.",
                         dsl,
                         at(30)},
                        day(30)),
        "second meeting");
  // Due ten days ago and still in progress: overdue, so its owner and the lead are alerted.
  action("Chase the housing application with the council", family_support, 10, eh::ActionStatus::kInProgress, "N3",
         second, 30);
  action("Ask the GP about the specialist referral", family_support, -14, eh::ActionStatus::kNotStarted, "N2", second,
         30);

  store.Write([&](storage::Repositories& r) {
    Check(r.EarlyHelp().Insert(*a), "insert");
    return true;
  });
}

}  // namespace kith::server
