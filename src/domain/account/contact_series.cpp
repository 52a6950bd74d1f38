#include "domain/account/contact_series.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <unordered_map>

#include "domain/account/uk_time.h"

namespace kith::domain {
namespace {

constexpr const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};

// "5 October 2026": how dates read in an explanation a practitioner sees.
std::string LongDate(const Date& d) { return fmt::format("{} {} {}", d.day, kMonthNames[d.month - 1], d.year); }

constexpr int64_t kMaxRangeDays = 50 * 366;

Date MonthStart(const Date& d) { return Date{d.year, d.month, 1}; }
Date NextMonth(const Date& d) { return d.month == 12 ? Date{d.year + 1, 1, 1} : Date{d.year, d.month + 1, 1}; }

struct LocalEvent {
  const std::string* agency_id;
  int64_t day;  // UK date as a day number
};

class Bucketing {
 public:
  Bucketing(Granularity granularity, const Date& from, const Date& to)
      : granularity_(granularity), first_(granularity == Granularity::kWeek ? WeekStart(from) : MonthStart(from)) {
    for (Date start = first_; start <= to; start = Following(start)) {
      const Date end = Following(start);
      buckets_.push_back(Bucket{start, end, UkStartOfDay(start), UkStartOfDay(end)});
    }
    for (const Bucket& b : buckets_) start_days_.push_back(b.start.ToDays());
    first_day_ = start_days_.front();
    end_day_ = buckets_.back().end.ToDays();
  }

  const std::vector<Bucket>& buckets() const { return buckets_; }

  // Index of the bucket holding UK day number `day`, or nullopt outside the range.
  std::optional<size_t> IndexOf(int64_t day) const {
    if (day < first_day_ || day >= end_day_) return std::nullopt;
    if (granularity_ == Granularity::kWeek) return static_cast<size_t>((day - first_day_) / 7);
    const auto after = std::upper_bound(start_days_.begin(), start_days_.end(), day);
    return static_cast<size_t>(after - start_days_.begin()) - 1;
  }

  // Like IndexOf, but a day outside the range is pinned to the nearest end.
  size_t ClampedIndexOf(int64_t day) const {
    if (day < first_day_) return 0;
    return IndexOf(day).value_or(buckets_.size() - 1);
  }

  int64_t first_day() const { return first_day_; }

  std::string Describe(size_t index) const {
    const Date& start = buckets_[index].start;
    return granularity_ == Granularity::kWeek ? "the week beginning " + LongDate(start)
                                              : fmt::format("{} {}", kMonthNames[start.month - 1], start.year);
  }

 private:
  Date Following(const Date& start) const {
    return granularity_ == Granularity::kWeek ? Date::FromDays(start.ToDays() + 7) : NextMonth(start);
  }

  Granularity granularity_;
  Date first_;
  std::vector<Bucket> buckets_;
  std::vector<int64_t> start_days_;
  int64_t first_day_ = 0;
  int64_t end_day_ = 0;
};

std::string_view Unit(Granularity g, int n) {
  if (g == Granularity::kWeek) return n == 1 ? "week" : "weeks";
  return n == 1 ? "month" : "months";
}

// "3 times in 1,000": a probability as people read it.
std::string Chance(double p) {
  if (p < 0.001) return "less than 1 time in 1,000";
  if (p < 0.01) return fmt::format("about {} times in 1,000", std::max(1, static_cast<int>(std::lround(p * 1000))));
  return fmt::format("about {} times in 100", std::max(1, static_cast<int>(std::lround(p * 100))));
}

void FlagRises(const std::vector<int>& counts, const std::vector<Bucket>& buckets, const Bucketing& bucketing,
               Granularity granularity, const SeriesOptions& options, std::vector<ContactFlag>& flags) {
  const auto window = static_cast<size_t>(std::max(1, options.rise_baseline_buckets));
  const auto min_history = static_cast<size_t>(std::max(1, options.rise_min_history));
  for (size_t i = min_history; i < counts.size(); ++i) {
    // History: complete buckets only (a bucket before i is complete unless i is too).
    const size_t first = i > window ? i - window : 0;
    int sum = 0;
    for (size_t j = first; j < i; ++j) sum += counts[j];
    const auto history = static_cast<int>(i - first);
    const double mean = static_cast<double>(sum) / history;
    const double rate = std::max(mean, options.rise_min_rate);
    const int count = counts[i];
    if (count <= rate) continue;
    const double p = PoissonUpperTail(count, rate);
    if (p >= options.rise_p) continue;
    ContactFlag flag{ContactFlagKind::kSuddenRise, "", i, buckets[i].start};
    flag.count = count;
    flag.baseline = rate;
    flag.p_value = p;
    flag.explanation = fmt::format(
        "{} contacts across all agencies in {}{}, against an average of {:.1f} a {} over the previous {} {}: a rise "
        "this large would happen by chance {}.",
        count, bucketing.Describe(i), buckets[i].partial ? " so far" : "", mean, Unit(granularity, 1), history,
        Unit(granularity, history), Chance(p));
    flags.push_back(std::move(flag));
  }
}

void FlagGaps(const AgencySeries& series, const Bucketing& bucketing, Granularity granularity, int min_gap,
              std::vector<ContactFlag>& flags) {
  std::optional<size_t> previous_contact;
  for (size_t i = 0; i < series.counts.size(); ++i) {
    if (series.counts[i] == 0) continue;
    if (previous_contact) {
      const auto empty = static_cast<int>(i - *previous_contact - 1);
      if (empty >= min_gap) {
        const size_t first_empty = *previous_contact + 1;
        ContactFlag flag{ContactFlagKind::kLongGap, series.agency_id, first_empty,
                         bucketing.buckets()[first_empty].start};
        flag.empty_buckets = empty;
        flag.explanation =
            fmt::format("No contact for {} {} from {} until contact resumed in {}.", empty, Unit(granularity, empty),
                        bucketing.Describe(first_empty), bucketing.Describe(i));
        flags.push_back(std::move(flag));
      }
    }
    previous_contact = i;
  }
}

// Day numbers are in UK local dates; 1970-01-05 (day 4) was a Monday.
int64_t WeekOf(int64_t day) { return (day - 4 >= 0 ? (day - 4) : (day - 4 - 6)) / 7; }

void FlagStopped(const AgencySeries& series, std::vector<int64_t>& days, const Bucketing& bucketing, const Date& today,
                 const SeriesOptions& options, std::vector<ContactFlag>& flags) {
  std::sort(days.begin(), days.end());
  // Only contact up to today counts: a future-dated appointment is not contact.
  const int64_t today_day = today.ToDays();
  const auto after_today = std::upper_bound(days.begin(), days.end(), today_day);
  if (after_today == days.begin()) return;
  const int64_t last_day = *std::prev(after_today);
  const auto silent_weeks = static_cast<int>((today_day - last_day) / 7);
  if (silent_weeks < options.stop_silent_weeks) return;

  const int64_t last_week = WeekOf(last_day);
  const int64_t first_week = last_week - (options.stop_regular_window_weeks - 1);
  int active_weeks = 0;
  int64_t previous_week = first_week - 1;
  for (auto it = after_today; it != days.begin();) {
    const int64_t week = WeekOf(*--it);
    if (week < first_week) break;
    if (week != previous_week) ++active_weeks;
    previous_week = week;
  }
  if (active_weeks < options.stop_regular_min_weeks) return;

  // The bucket after the last contact's: the first one that is silent throughout.
  const Date last = Date::FromDays(last_day);
  const size_t bucket = last_day < bucketing.first_day()
                            ? 0
                            : std::min(bucketing.ClampedIndexOf(last_day) + 1, bucketing.buckets().size() - 1);
  ContactFlag flag{ContactFlagKind::kStoppedSeeing, series.agency_id, bucket, bucketing.buckets()[bucket].start};
  flag.baseline = active_weeks;
  flag.empty_buckets = silent_weeks;
  flag.last_contact = last;
  flag.explanation = fmt::format("No contact for {} weeks since {}, after contact in {} of the {} weeks before that.",
                                 silent_weeks, LongDate(last), active_weeks, options.stop_regular_window_weeks);
  flags.push_back(std::move(flag));
}

}  // namespace

Date WeekStart(const Date& date) { return Date::FromDays(date.ToDays() - DayOfWeek(date)); }

double PoissonUpperTail(int k, double rate) {
  if (k <= 0) return 1.0;
  // Sum the tail's terms in log space from k upwards until they no longer matter: exact for
  // small rates, and no underflow of e^-rate for large ones.
  const double log_rate = std::log(rate);
  double p = 0;
  for (int i = k;; ++i) {
    const double term = std::exp(-rate + i * log_rate - std::lgamma(i + 1.0));
    p += term;
    if (i > rate && term < p * 1e-15) break;
    if (i - k > 100'000) break;
  }
  return std::min(1.0, p);
}

std::string_view ToString(Granularity granularity) {
  switch (granularity) {
    case Granularity::kAuto:
      return "auto";
    case Granularity::kWeek:
      return "week";
    case Granularity::kMonth:
      return "month";
  }
  return "auto";
}

std::string_view ToString(ContactFlagKind kind) {
  switch (kind) {
    case ContactFlagKind::kSuddenRise:
      return "sudden_rise";
    case ContactFlagKind::kLongGap:
      return "long_gap";
    case ContactFlagKind::kStoppedSeeing:
      return "stopped_seeing";
  }
  return "unknown";
}

std::vector<ContactEvent> ContactEventsFrom(std::span<const ChronologyEntry> entries) {
  std::vector<ContactEvent> events;
  events.reserve(entries.size());
  for (const auto& e : entries) events.push_back({e.agency_id, OccurredInstant(e)});
  return events;
}

Result<ContactSeries> ComputeContactSeries(std::span<const ContactEvent> events, const Date& today,
                                           const SeriesOptions& options) {
  std::vector<LocalEvent> local;
  local.reserve(events.size());
  for (const auto& e : events) local.push_back({&e.agency_id, UkDayNumber(e.at)});

  const Date to = options.to.value_or(today);
  Date from = to;
  if (options.from) {
    from = *options.from;
  } else {
    int64_t earliest = to.ToDays();
    for (const auto& e : local) earliest = std::min(earliest, e.day);
    from = Date::FromDays(earliest);
  }
  if (!from.IsValid()) return Error::Invalid("from", "is not a valid date");
  if (!to.IsValid()) return Error::Invalid("to", "is not a valid date");
  if (from > to) return Error::Invalid("from", "is after the end of the range");
  if (to.ToDays() - from.ToDays() > kMaxRangeDays) {
    return Error::Invalid("from", "the range is longer than 50 years");
  }

  ContactSeries series;
  series.granularity = options.granularity;
  if (series.granularity == Granularity::kAuto) {
    const int64_t weeks = (WeekStart(to).ToDays() - WeekStart(from).ToDays()) / 7 + 1;
    series.granularity = weeks <= options.max_auto_weeks ? Granularity::kWeek : Granularity::kMonth;
  }
  const Bucketing bucketing(series.granularity, from, to);
  series.buckets = bucketing.buckets();
  for (Bucket& b : series.buckets) b.partial = b.end.ToDays() > today.ToDays() + 1;
  series.totals.assign(series.buckets.size(), 0);

  struct Accumulator {
    AgencySeries series;
    std::vector<int64_t> days;
  };
  std::vector<Accumulator> by_agency;
  std::unordered_map<std::string_view, size_t> agency_index;
  for (const auto& e : local) {
    const auto [it, added] = agency_index.try_emplace(*e.agency_id, by_agency.size());
    if (added) {
      by_agency.emplace_back();
      by_agency.back().series.agency_id = *e.agency_id;
      by_agency.back().series.counts.assign(series.buckets.size(), 0);
    }
    Accumulator& acc = by_agency[it->second];
    acc.days.push_back(e.day);
    if (const auto index = bucketing.IndexOf(e.day)) {
      ++acc.series.counts[*index];
      ++acc.series.total;
      ++series.totals[*index];
    }
  }

  const int min_gap =
      options.gap_min_buckets > 0 ? options.gap_min_buckets : (series.granularity == Granularity::kWeek ? 4 : 2);
  std::sort(by_agency.begin(), by_agency.end(),
            [](const Accumulator& a, const Accumulator& b) { return a.series.agency_id < b.series.agency_id; });
  FlagRises(series.totals, series.buckets, bucketing, series.granularity, options, series.flags);
  for (auto& acc : by_agency) {
    AgencySeries& s = acc.series;
    s.last_contact = Date::FromDays(*std::max_element(acc.days.begin(), acc.days.end()));
    FlagGaps(s, bucketing, series.granularity, min_gap, series.flags);
    FlagStopped(s, acc.days, bucketing, today, options, series.flags);
    series.agencies.push_back(std::move(s));
  }
  std::stable_sort(series.flags.begin(), series.flags.end(), [](const ContactFlag& a, const ContactFlag& b) {
    return std::tie(a.agency_id, a.bucket) < std::tie(b.agency_id, b.bucket);
  });
  return series;
}

}  // namespace kith::domain
