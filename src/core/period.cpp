#include <spm/core/period.hpp>

#include <algorithm>
#include <array>
#include <bit>

#include <spm/core/error.hpp>

namespace spm {

Period Period::make(Date begin, Date end) {
  if (end < begin) {
    throw InvalidInputError("period.invalid", "",
                            "a period cannot end (" + end.to_string() + ") before it begins (" +
                                begin.to_string() + ")");
  }
  return {begin, end};
}

std::optional<Period> Period::intersect(const Period& o) const noexcept {
  const Date b = std::max(begin, o.begin);
  const Date e = std::min(end, o.end);
  if (e <= b) return std::nullopt;
  return Period{b, e};
}

std::string Period::to_string() const {
  return "[" + begin.to_string() + ", " + end.to_string() + ")";
}

std::string_view to_string(PeriodKind kind) noexcept {
  switch (kind) {
    case PeriodKind::month: return "month";
    case PeriodKind::quarter: return "quarter";
    case PeriodKind::half_year: return "half_year";
    case PeriodKind::year: return "year";
  }
  return "month";
}

PeriodKind parse_period_kind(std::string_view name) {
  for (auto k : {PeriodKind::month, PeriodKind::quarter, PeriodKind::half_year, PeriodKind::year}) {
    if (to_string(k) == name) return k;
  }
  throw InvalidInputError("period.kind", "",
                          "'" + std::string(name) +
                              "' is not a period kind; use month, quarter, half_year or year");
}

int months_in(PeriodKind kind) noexcept {
  switch (kind) {
    case PeriodKind::month: return 1;
    case PeriodKind::quarter: return 3;
    case PeriodKind::half_year: return 6;
    case PeriodKind::year: return 12;
  }
  return 1;
}

FiscalCalendar::FiscalCalendar(unsigned first_month, bool named_by_start)
    : first_month_(first_month), named_by_start_(named_by_start) {
  if (first_month < 1 || first_month > 12) {
    throw InvalidInputError("calendar.first_month", "first_month",
                            "the fiscal year's first month must be 1 (January) to 12 (December), "
                            "got " + std::to_string(first_month));
  }
}

namespace {
// Months since the start of the fiscal year that contains d (0..11).
int months_into_year(Date d, unsigned first_month) {
  return static_cast<int>((d.month() + 12 - first_month) % 12);
}
}  // namespace

Period FiscalCalendar::period_containing(Date d, PeriodKind kind) const {
  const int into = months_into_year(d, first_month_);
  const int len = months_in(kind);
  const Date start = d.month_start().add_months(-(into % len));
  return {start, start.add_months(len)};
}

std::vector<Period> FiscalCalendar::periods(const Period& range, PeriodKind kind) const {
  std::vector<Period> out;
  if (range.empty()) return out;
  Period p = period_containing(range.begin, kind);
  while (p.begin < range.end) {
    out.push_back(p);
    p = {p.end, p.end.add_months(months_in(kind))};
  }
  return out;
}

int FiscalCalendar::fiscal_year(Date d) const {
  const Date start = period_containing(d, PeriodKind::year).begin;
  if (first_month_ == 1 || named_by_start_) return start.year();
  return start.year() + 1;
}

int FiscalCalendar::index_in_year(Date d, PeriodKind kind) const {
  return months_into_year(d, first_month_) / months_in(kind) + 1;
}

std::string FiscalCalendar::label(Date d, PeriodKind kind) const {
  std::string out = (first_month_ == 1 ? "" : "FY") + std::to_string(fiscal_year(d));
  const int i = index_in_year(d, kind);
  std::array<char, 8> buf{};
  switch (kind) {
    case PeriodKind::year: break;
    case PeriodKind::half_year: out += "-H" + std::to_string(i); break;
    case PeriodKind::quarter: out += "-Q" + std::to_string(i); break;
    case PeriodKind::month:
      std::snprintf(buf.data(), buf.size(), "-M%02d", i);
      out += buf.data();
      break;
  }
  return out;
}

namespace {

[[noreturn]] void not_a_period(std::string_view text) {
  throw InvalidInputError("period.text", std::string(text),
                          "not a period; write 2026-Q1, 2026-03, 2026, 2026-01..2026-06 or "
                          "2026-01-01..2026-07-01");
}

// One side of a range: "2026", "2026-Q1", "2026-H1", "2026-M03", "2026-03" or "2026-03-15";
// fiscal labels ("FY2026-Q1") use the calendar. Every label FiscalCalendar::label prints reads
// back as its period, so that a period named in a statement can be given to --period as written.
Period one_period(const std::string_view text, const FiscalCalendar& cal) {
  Date d;
  if (Date::try_parse(text, d)) return {d, d + 1};
  std::string_view t = text;  // errors name the whole text, "FY" included
  // Letters in either case: people type 2025-q4 and fy2026 as often as 2025-Q4 and FY2026.
  const auto upper = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; };
  const bool fy = t.size() >= 2 && upper(t[0]) == 'F' && upper(t[1]) == 'Y';
  if (fy) t.remove_prefix(2);
  if (t.size() < 4) not_a_period(text);
  int year = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (t[i] < '0' || t[i] > '9') not_a_period(text);
    year = year * 10 + (t[i] - '0');
  }
  // Fiscal year Y (named by its end unless the calendar says otherwise) starts in year Y-1 when
  // the fiscal year does not start in January.
  const int start_year = cal.first_month() == 1 || cal.named_by_start() ? year : year - 1;
  const Date year_start(start_year, cal.first_month(), 1);
  const auto rest = t.substr(4);
  if (rest.empty()) return cal.period_containing(year_start, PeriodKind::year);
  const char letter = rest.size() >= 2 ? upper(rest[1]) : '\0';
  if (rest.size() >= 3 && rest[0] == '-' && (letter == 'Q' || letter == 'H')) {
    const int i = rest[2] - '0';
    const PeriodKind kind = letter == 'Q' ? PeriodKind::quarter : PeriodKind::half_year;
    if (rest.size() != 3 || i < 1 || i > 12 / months_in(kind)) not_a_period(text);
    return cal.period_containing(year_start.add_months((i - 1) * months_in(kind)), kind);
  }
  // "-M03", the month label: the n-th month of the (fiscal) year, like Q and H. Two digits, as
  // labels print them ("2026-M3" would read as a typo of either form).
  if (rest.size() == 4 && rest[0] == '-' && letter == 'M') {
    const int m = (rest[2] - '0') * 10 + (rest[3] - '0');
    if (rest[2] < '0' || rest[2] > '9' || rest[3] < '0' || rest[3] > '9' || m < 1 || m > 12) {
      not_a_period(text);
    }
    return cal.period_containing(year_start.add_months(m - 1), PeriodKind::month);
  }
  if (rest.size() == 3 && rest[0] == '-') {
    const int m = (rest[1] - '0') * 10 + (rest[2] - '0');
    if (rest[1] < '0' || rest[1] > '9' || rest[2] < '0' || rest[2] > '9' || m < 1 || m > 12) {
      not_a_period(text);
    }
    if (fy) return cal.period_containing(year_start.add_months(m - 1), PeriodKind::month);
    const Date s(year, static_cast<unsigned>(m), 1);
    return {s, s.add_months(1)};
  }
  not_a_period(text);
}

}  // namespace

Period parse_period_text(std::string_view text, const FiscalCalendar& calendar) {
  const auto dots = text.find("..");
  if (dots == std::string_view::npos) return one_period(text, calendar);
  const auto a = text.substr(0, dots);
  const auto b = text.substr(dots + 2);
  Date da, db;
  // Two dates: half-open [a, b). Otherwise both ends inclusive.
  if (Date::try_parse(a, da) && Date::try_parse(b, db)) {
    if (db <= da) not_a_period(text);
    return {da, db};
  }
  const Period pa = one_period(a, calendar);
  const Period pb = one_period(b, calendar);
  if (pb.end <= pa.begin) not_a_period(text);
  return {pa.begin, pb.end};
}

HolidayCalendar::HolidayCalendar(std::vector<Date> holidays, unsigned weekend_mask)
    : weekend_(weekend_mask & 0x7Fu) {
  std::sort(holidays.begin(), holidays.end());
  holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());
  // Keep only holidays on working weekdays, so that counting never subtracts a day twice.
  std::erase_if(holidays, [&](Date d) { return (weekend_ >> d.weekday()) & 1u; });
  holidays_ = std::move(holidays);
}

bool HolidayCalendar::is_business_day(Date d) const noexcept {
  if ((weekend_ >> d.weekday()) & 1u) return false;
  return !std::binary_search(holidays_.begin(), holidays_.end(), d);
}

std::int64_t HolidayCalendar::business_days(const Period& p) const noexcept {
  if (p.empty()) return 0;
  const std::int64_t total = p.days();
  const int workdays_per_week = 7 - std::popcount(weekend_);
  std::int64_t count = (total / 7) * workdays_per_week;
  Date d = p.begin + static_cast<std::int32_t>((total / 7) * 7);
  for (; d < p.end; d = d + 1) {
    if (!((weekend_ >> d.weekday()) & 1u)) ++count;
  }
  const auto lo = std::lower_bound(holidays_.begin(), holidays_.end(), p.begin);
  const auto hi = std::lower_bound(holidays_.begin(), holidays_.end(), p.end);
  return count - (hi - lo);
}

Fraction day_fraction(const Period& part, const Period& whole, DayCount count,
                      const HolidayCalendar& holidays) {
  const auto covered = part.intersect(whole);
  std::int64_t num = 0;
  std::int64_t den = 0;
  if (count == DayCount::calendar_days) {
    num = covered ? covered->days() : 0;
    den = whole.empty() ? 0 : whole.days();  // a hand-built backwards period has no days
  } else {
    num = covered ? holidays.business_days(*covered) : 0;
    den = holidays.business_days(whole);
  }
  if (den == 0) {
    throw InvalidInputError("period.empty", "",
                            "the period " + whole.to_string() + " has no " +
                                (count == DayCount::calendar_days ? "days" : "business days") +
                                ", so nothing can be prorated over it");
  }
  return {num, den};
}

}  // namespace spm
