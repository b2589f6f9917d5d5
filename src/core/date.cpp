#include <spm/core/date.hpp>

#include <array>
#include <cstdio>

#include <spm/core/error.hpp>

namespace spm {
namespace {
namespace chr = std::chrono;

bool digits(std::string_view s, std::size_t from, std::size_t n, unsigned& out) {
  unsigned v = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  out = v;
  return true;
}

std::string explain(std::string_view text) {
  const std::string q = "'" + std::string(text) + "'";
  if (text.empty()) return "an empty value is not a date; write YYYY-MM-DD";
  unsigned y = 0, m = 0, d = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(text, 0, 4, y) &&
      digits(text, 5, 2, m) && digits(text, 8, 2, d)) {
    if (m < 1 || m > 12) return q + " is not a valid date: the month must be 01 to 12";
    const chr::year_month_day_last last{chr::year{static_cast<int>(y)}, chr::month_day_last{chr::month{m}}};
    return q + " is not a valid date: that month has " +
           std::to_string(static_cast<unsigned>(last.day())) + " days";
  }
  return q + " is not an ISO date; write YYYY-MM-DD (e.g. 2024-03-31)";
}


[[noreturn]] void throw_invalid(int y, unsigned m, unsigned d) {
  throw InvalidInputError("date.invalid", "",
                          "year " + std::to_string(y) + ", month " + std::to_string(m) + ", day " +
                              std::to_string(d) + " is not a calendar date");
}

// chrono's year, month and day hold only 16 and 8 bits (day{257} is unspecified, in practice
// day 1), so components are range-checked before they are converted.
chr::year_month_day checked_ymd(int y, unsigned m, unsigned d) {
  if (y < static_cast<int>(chr::year::min()) || y > static_cast<int>(chr::year::max()) ||
      m < 1 || m > 12 || d < 1 || d > 31) {
    throw_invalid(y, m, d);
  }
  return chr::year_month_day{chr::year{y}, chr::month{m}, chr::day{d}};
}
}  // namespace

Date::Date(chr::year_month_day ymd) {
  if (!ymd.ok()) {
    throw_invalid(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
  }
  days_ = static_cast<std::int32_t>(chr::sys_days(ymd).time_since_epoch().count());
}

Date::Date(int y, unsigned m, unsigned d) : Date(checked_ymd(y, m, d)) {}

bool Date::try_parse(std::string_view text, Date& out) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  unsigned y = 0, m = 0, d = 0;
  if (!digits(text, 0, 4, y) || !digits(text, 5, 2, m) || !digits(text, 8, 2, d)) return false;
  const chr::year_month_day ymd{chr::year{static_cast<int>(y)}, chr::month{m}, chr::day{d}};
  if (!ymd.ok()) return false;
  out = Date(chr::sys_days(ymd));
  return true;
}

Date Date::parse(std::string_view text, std::string_view path) {
  Date d;
  if (!try_parse(text, d)) throw InvalidInputError("date.parse", std::string(path), explain(text));
  return d;
}

int Date::year() const noexcept { return static_cast<int>(ymd().year()); }
unsigned Date::month() const noexcept { return static_cast<unsigned>(ymd().month()); }
unsigned Date::day() const noexcept { return static_cast<unsigned>(ymd().day()); }
unsigned Date::weekday() const noexcept { return chr::weekday(sys_days()).c_encoding(); }

std::string Date::to_string() const {
  const auto v = ymd();
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", static_cast<int>(v.year()),
                static_cast<unsigned>(v.month()), static_cast<unsigned>(v.day()));
  return buf.data();
}

Date Date::add_months(int n) const {
  const auto v = ymd();
  const chr::year_month ym = chr::year_month{v.year(), v.month()} + chr::months{n};
  const auto last = chr::year_month_day_last{ym.year(), chr::month_day_last{ym.month()}}.day();
  return Date(chr::year_month_day{ym.year(), ym.month(), v.day() > last ? last : v.day()});
}

Date Date::month_start() const {
  const auto v = ymd();
  return Date(chr::year_month_day{v.year(), v.month(), chr::day{1}});
}

}  // namespace spm
