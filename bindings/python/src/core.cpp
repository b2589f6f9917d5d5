// Python bindings of the core module: decimals, rounding, money, allocation, periods, calendars.
#include "casters.hpp"  // first: it specialises the casters of std::vector<spm::Decimal>, <Date>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <spm/core/allocate.hpp>
#include <spm/core/currency.hpp>
#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/fraction.hpp>
#include <spm/core/money.hpp>
#include <spm/core/period.hpp>
#include <spm/core/rounding.hpp>

namespace spm::python {

using namespace nb::literals;

namespace {

/// The currency for a code; `minor_units` given makes a custom currency unless it matches ISO.
Currency make_currency(std::string_view code, std::optional<int> minor_units) {
  if (!minor_units) return Currency(code);
  if (is_iso_currency(code)) {
    Currency iso(code);
    if (iso.minor_units() == *minor_units) return iso;
  }
  return Currency::custom(code, *minor_units);
}

std::vector<Padded> padded(const std::vector<Decimal>& values, int places) {
  std::vector<Padded> out;
  out.reserve(values.size());
  for (const Decimal& v : values) out.push_back({v, places});
  return out;
}

std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.append(1, '\'').append(s).append(1, '\'');
  return out;
}

std::string date_repr(Date d) {
  return "datetime.date(" + std::to_string(d.year()) + ", " + std::to_string(d.month()) + ", " +
         std::to_string(d.day()) + ")";
}

// Decimals in the shortest exact text of d.
int decimals(const Decimal& d) {
  for (int p = 0; p < Decimal::scale; ++p) {
    if (d.has_places(p)) return p;
  }
  return Decimal::scale;
}

std::string money_repr(const Money& x) {
  const int mu = x.currency().minor_units();
  const std::string amount = x.amount().to_string(std::max(mu, decimals(x.amount())));
  std::string out = "Money(Decimal(" + quoted(amount) + "), " + quoted(x.currency().code());
  const bool iso = is_iso_currency(x.currency().code()) &&
                   Currency(x.currency().code()).minor_units() == mu;
  if (!iso) out += ", minor_units=" + std::to_string(mu);
  return out + ")";
}

// HolidayCalendar state: what it was built from, for properties and pickling.
template <class Calendar>
void bind_holiday_state(nb::class_<Calendar>& cls) {
  cls.def_prop_ro(
         "holidays",
         [](const Calendar& c) {
           return std::vector<Date>(c.holidays().begin(), c.holidays().end());
         },
         "The holidays that fall on working weekdays, sorted.")
      .def_prop_ro("weekend_mask", [](const Calendar& c) { return c.weekend_mask(); },
                   "Weekend days as bits, bit 0 = Sunday ... bit 6 = Saturday.")
      .def("__getstate__",
           [](const Calendar& c) {
             return std::make_tuple(
                 std::vector<Date>(c.holidays().begin(), c.holidays().end()),
                 static_cast<unsigned>(c.weekend_mask()));
           })
      .def("__setstate__",
           [](Calendar& self, const std::tuple<std::vector<Date>, unsigned>& s) {
             new (&self) Calendar(std::get<0>(s), std::get<1>(s));
           });
}

void bind_decimal(nb::module_& m) {
  nb::enum_<Rounding>(m, "Rounding",
                      "How a value is brought to fewer decimal places. The half modes differ only "
                      "on exact ties.")
      .value("half_even", Rounding::half_even,
             "Ties to the even neighbour (banker's rounding): 2.5 -> 2, 3.5 -> 4. "
             "decimal.ROUND_HALF_EVEN.")
      .value("half_up", Rounding::half_up,
             "Ties toward +infinity: 2.5 -> 3, -2.5 -> -2.")
      .value("half_down", Rounding::half_down,
             "Ties toward -infinity: 2.5 -> 2, -2.5 -> -3.")
      .value("half_away_from_zero", Rounding::half_away_from_zero,
             "Ties away from zero: 2.5 -> 3, -2.5 -> -3. decimal.ROUND_HALF_UP.")
      .value("half_toward_zero", Rounding::half_toward_zero,
             "Ties toward zero: 2.5 -> 2, -2.5 -> -2. decimal.ROUND_HALF_DOWN.")
      .value("down", Rounding::down, "Toward zero (truncate). decimal.ROUND_DOWN.")
      .value("up", Rounding::up, "Away from zero. decimal.ROUND_UP.")
      .value("floor", Rounding::floor, "Toward -infinity. decimal.ROUND_FLOOR.")
      .value("ceiling", Rounding::ceiling, "Toward +infinity. decimal.ROUND_CEILING.");

  m.def(
      "parse_decimal",
      [](std::string_view text, bool lenient) {
        return lenient ? Decimal::parse_lenient(text) : Decimal::parse(text);
      },
      "text"_a, "lenient"_a = false,
      "Parses decimal text exactly: optional sign, digits, optional '.', at most 12 decimals.\n\n"
      "With lenient=True also trims blanks and accepts ',' thousands separators and accounting\n"
      "negatives '(12.50)'. Exponents are always rejected. Raises InvalidInputError with id\n"
      "'decimal.parse'.");

  // Private: spm.quota reads its percentage options through it ("30%" or "0.3").
  m.def(
      "_parse_fraction", [](std::string_view text) { return Decimal::parse_fraction(text); },
      "text"_a);

  m.def(
      "round_decimal",
      [](const Decimal& x, int places, Rounding mode) {
        return Padded{x.round(places, mode), places};
      },
      "x"_a, "places"_a, "mode"_a = Rounding::half_even,
      "x rounded to `places` decimals (0..12) with `mode`, returned with exactly `places`\n"
      "decimals like decimal.Decimal.quantize.");

  m.def(
      "mul",
      [](const Decimal& a, const Decimal& b, int places, Rounding mode) {
        return Padded{Decimal::mul(a, b, places, mode), places};
      },
      "a"_a, "b"_a, "places"_a = Decimal::scale, "mode"_a = Rounding::half_even,
      "a * b computed exactly, then rounded once to `places` decimals with `mode`.");

  m.def(
      "div",
      [](const Decimal& a, const Decimal& b, int places, Rounding mode) {
        return Padded{Decimal::div(a, b, places, mode), places};
      },
      "a"_a, "b"_a, "places"_a = Decimal::scale, "mode"_a = Rounding::half_even,
      "a / b rounded once to `places` decimals with `mode`; b == 0 raises SpmArithmeticError.");

  m.def(
      "product",
      [](const Decimal& a, const Decimal& b, const Fraction& f, int places, Rounding mode) {
        return Padded{Decimal::product(a, b, f, places, mode), places};
      },
      "a"_a, "b"_a, "f"_a, "places"_a, "mode"_a = Rounding::half_even,
      "a * b * f (e.g. amount x rate x proration) computed exactly, then rounded once.");
  m.def(
      "product",
      [](const Decimal& a, const Fraction& f, int places, Rounding mode) {
        return Padded{Decimal::product(a, f, places, mode), places};
      },
      "a"_a, "f"_a, "places"_a, "mode"_a = Rounding::half_even,
      "a * f computed exactly, then rounded once.");
}

void bind_money(nb::module_& m) {
  m.def(
      "currency_minor_units", [](std::string_view code) { return Currency(code).minor_units(); },
      "code"_a,
      "Minor units of an active ISO 4217 currency (USD 2, JPY 0, KWD 3); unknown codes raise\n"
      "InvalidInputError 'currency.unknown'.");
  m.def("is_iso_currency", &is_iso_currency, "code"_a,
        "True when `code` is an active ISO 4217 code known to libspm.");

  nb::class_<Money>(m, "Money",
                    "An exact amount of one currency. Amounts of different currencies never mix: "
                    "adding or ordering them raises InvalidInputError 'money.currency_mismatch'.")
      .def(
          "__init__",
          [](Money* self, const Decimal& amount, std::string_view currency,
             std::optional<int> minor_units) {
            new (self) Money(amount, make_currency(currency, minor_units));
          },
          "amount"_a, "currency"_a, nb::kw_only(), "minor_units"_a = nb::none(),
          "`amount` (decimal.Decimal or int) in the ISO 4217 `currency`; give `minor_units` for a\n"
          "currency outside ISO 4217 (points, a crypto asset).")
      .def_static(
          "parse", [](std::string_view text) { return Money::parse(text); }, "text"_a,
          "Parses '1234.56 USD' or 'USD 1234.56'.")
      .def_prop_ro(
          "amount",
          [](const Money& x) { return Padded{x.amount(), x.currency().minor_units()}; },
          "The exact amount, with at least the currency's minor units of decimals.")
      .def_prop_ro(
          "currency", [](const Money& x) { return std::string(x.currency().code()); },
          "The three-letter currency code.")
      .def_prop_ro(
          "minor_units", [](const Money& x) { return x.currency().minor_units(); },
          "Decimals of the currency's minor unit (USD 2, JPY 0).")
      .def("rounded", &Money::rounded, "mode"_a = Rounding::half_even,
           "The amount rounded to the currency's minor units.")
      .def(
          "__add__", [](const Money& a, const Money& b) { return a + b; }, nb::is_operator())
      .def(
          "__sub__", [](const Money& a, const Money& b) { return a - b; }, nb::is_operator())
      .def("__neg__", [](const Money& a) { return -a; })
      .def("__pos__", [](const Money& a) { return a; })
      .def("__abs__", [](const Money& a) { return Money(a.amount().abs(), a.currency()); })
      .def(
          "__mul__", [](const Money& a, const Decimal& k) { return a * k; }, nb::is_operator())
      .def(
          "__rmul__", [](const Money& a, const Decimal& k) { return k * a; }, nb::is_operator())
      .def(
          "__eq__", [](const Money& a, const Money& b) { return a == b; }, nb::is_operator())
      .def(
          "__ne__", [](const Money& a, const Money& b) { return a != b; }, nb::is_operator())
      .def(
          "__lt__", [](const Money& a, const Money& b) { return a < b; }, nb::is_operator())
      .def(
          "__le__", [](const Money& a, const Money& b) { return a <= b; }, nb::is_operator())
      .def(
          "__gt__", [](const Money& a, const Money& b) { return a > b; }, nb::is_operator())
      .def(
          "__ge__", [](const Money& a, const Money& b) { return a >= b; }, nb::is_operator())
      .def("__hash__",
           [](const Money& a) {
             return nb::hash(nb::make_tuple(a.amount().to_string(),
                                            std::string(a.currency().code()),
                                            a.currency().minor_units()));
           })
      .def("__repr__", &money_repr)
      .def("__str__", &Money::to_string)
      .def("__getstate__",
           [](const Money& x) {
             return std::make_tuple(x.amount(), std::string(x.currency().code()),
                                    x.currency().minor_units());
           })
      .def("__setstate__",
           [](Money& self, const std::tuple<Decimal, std::string, int>& s) {
             new (&self) Money(std::get<0>(s), make_currency(std::get<1>(s), std::get<2>(s)));
           });
}

void bind_allocate(nb::module_& m) {
  m.def(
      "allocate",
      [](const Money& total, const std::vector<Decimal>& weights) {
        return allocate(total, weights);
      },
      "total"_a, "weights"_a,
      "Splits money in its currency's minor units, proportionally to `weights`; the parts sum\n"
      "exactly to `total`.");
  m.def(
      "allocate",
      [](const Decimal& total, const std::vector<Decimal>& weights, int places,
         const std::optional<std::vector<std::size_t>>& tie_keys) {
        return padded(tie_keys ? allocate(total, weights, places, *tie_keys)
                               : allocate(total, weights, places),
                      places);
      },
      "total"_a, "weights"_a, "places"_a, "tie_keys"_a = nb::none(),
      "Splits `total` into parts proportional to `weights`, each with `places` decimals, that\n"
      "sum exactly to `total` (largest remainder; equal remainders go to the smaller tie key,\n"
      "by default the position). Errors: InvalidInputError 'allocate.negative_weight',\n"
      "'allocate.zero_weights', 'allocate.places', 'allocate.tie_keys'.");
  m.def(
      "allocate_percent",
      [](const Decimal& total, const std::vector<Decimal>& percents, int places) {
        return padded(allocate_percent(total, percents, places), places);
      },
      "total"_a, "percents"_a, "places"_a,
      "Splits `total` by percentages that sum to exactly 100 ('allocate.percent_sum' otherwise).");
}

void bind_period(nb::module_& m) {
  m.def(
      "parse_date", [](std::string_view text) { return Date::parse(text); }, "text"_a,
      "Parses a strict ISO 8601 date 'YYYY-MM-DD' (InvalidInputError 'date.parse' otherwise).");

  nb::enum_<PeriodKind>(m, "PeriodKind",
                        "Lengths of the periods plans, quotas and forecasts run in.")
      .value("month", PeriodKind::month)
      .value("quarter", PeriodKind::quarter)
      .value("half_year", PeriodKind::half_year)
      .value("year", PeriodKind::year);
  m.def("months_in", &months_in, "kind"_a, "Months in a period of this kind (1, 3, 6, 12).");

  nb::enum_<DayCount>(m, "DayCount", "How proration counts days.")
      .value("calendar_days", DayCount::calendar_days)
      .value("business_days", DayCount::business_days);

  nb::class_<Period>(m, "Period",
                     "A half-open span of days [begin, end): begin is the first day in it, end the "
                     "first day after.")
      .def(
          "__init__",
          [](Period* self, Date begin, Date end) { new (self) Period(Period::make(begin, end)); },
          "begin"_a, "end"_a, "Raises InvalidInputError 'period.invalid' unless begin <= end.")
      .def_prop_ro("begin", [](const Period& p) { return p.begin; }, "The first day in the period.")
      .def_prop_ro("end", [](const Period& p) { return p.end; }, "The first day after the period.")
      .def_prop_ro("days", &Period::days, "Number of days in the period.")
      .def_prop_ro("empty", &Period::empty, "True when the period has no day.")
      .def("contains", &Period::contains, "day"_a, "True when begin <= day < end.")
      .def("__contains__", &Period::contains, "day"_a)
      .def("intersect", &Period::intersect, "other"_a,
           "The overlap of two periods, or None if they share no day.")
      .def(
          "__eq__", [](const Period& a, const Period& b) { return a == b; }, nb::is_operator())
      .def(
          "__ne__", [](const Period& a, const Period& b) { return !(a == b); }, nb::is_operator())
      .def("__hash__",
           [](const Period& p) {
             return nb::hash(
                 nb::make_tuple(p.begin.days_since_epoch(), p.end.days_since_epoch()));
           })
      .def("__repr__",
           [](const Period& p) {
             return "Period(" + date_repr(p.begin) + ", " + date_repr(p.end) + ")";
           })
      .def("__str__", &Period::to_string)
      .def("__getstate__",
           [](const Period& p) {
             return std::make_tuple(p.begin.days_since_epoch(), p.end.days_since_epoch());
           })
      .def("__setstate__", [](Period& self, const std::tuple<std::int32_t, std::int32_t>& s) {
        new (&self) Period(
            Period::make(Date::from_days(std::get<0>(s)), Date::from_days(std::get<1>(s))));
      });

  nb::class_<FiscalCalendar>(
      m, "FiscalCalendar",
      "A fiscal calendar whose years start on the first day of `first_month` (1 = the calendar\n"
      "year). Fiscal years are named by the calendar year they end in (FY2025 with first_month=2\n"
      "runs 2024-02-01 to 2025-01-31) unless `named_by_start`.")
      .def(nb::init<unsigned, bool>(), "first_month"_a = 1u, "named_by_start"_a = false,
           "Raises InvalidInputError 'calendar.first_month' unless 1 <= first_month <= 12.")
      .def_prop_ro("first_month", &FiscalCalendar::first_month)
      .def_prop_ro("named_by_start", [](const FiscalCalendar& c) { return c.named_by_start(); })
      .def("period_containing", &FiscalCalendar::period_containing, "day"_a, "kind"_a,
           "The period of `kind` that contains `day`.")
      .def("periods", &FiscalCalendar::periods, "range"_a, "kind"_a,
           "The consecutive whole periods of `kind` that overlap `range`.")
      .def("fiscal_year", &FiscalCalendar::fiscal_year, "day"_a,
           "The fiscal year containing `day`.")
      .def("index_in_year", &FiscalCalendar::index_in_year, "day"_a, "kind"_a,
           "1-based index of the period of `kind` containing `day` within its fiscal year.")
      .def("label", &FiscalCalendar::label, "day"_a, "kind"_a,
           "A label such as 'FY2025', 'FY2025-H1', 'FY2025-Q3', 'FY2025-M07' ('2025-Q3' for the\n"
           "calendar year).")
      .def(
          "__eq__",
          [](const FiscalCalendar& a, const FiscalCalendar& b) {
            return a.first_month() == b.first_month() &&
                   a.named_by_start() == b.named_by_start();
          },
          nb::is_operator())
      .def(
          "__ne__",
          [](const FiscalCalendar& a, const FiscalCalendar& b) {
            return a.first_month() != b.first_month() ||
                   a.named_by_start() != b.named_by_start();
          },
          nb::is_operator())
      .def("__hash__",
           [](const FiscalCalendar& c) {
             return nb::hash(nb::make_tuple(c.first_month(), c.named_by_start()));
           })
      .def("__repr__",
           [](const FiscalCalendar& c) {
             return "FiscalCalendar(first_month=" + std::to_string(c.first_month()) +
                    ", named_by_start=" + (c.named_by_start() ? "True" : "False") + ")";
           })
      .def("__getstate__",
           [](const FiscalCalendar& c) {
             return std::make_tuple(c.first_month(), c.named_by_start());
           })
      .def("__setstate__", [](FiscalCalendar& self, const std::tuple<unsigned, bool>& s) {
        new (&self) FiscalCalendar(std::get<0>(s), std::get<1>(s));
      });

  nb::class_<HolidayCalendar> holiday_calendar(
      m, "HolidayCalendar",
      "Business days: days that are neither weekend days nor listed holidays.");
  holiday_calendar
      .def(nb::init<std::vector<Date>, unsigned>(), "holidays"_a = std::vector<Date>{},
           "weekend_mask"_a = 0b1000001u,
           "`holidays` in any order; `weekend_mask` has a bit per weekday, bit 0 = Sunday ...\n"
           "bit 6 = Saturday (default Saturday and Sunday, 0b1000001).")
      .def("is_business_day", &HolidayCalendar::is_business_day, "day"_a)
      .def("business_days", &HolidayCalendar::business_days, "period"_a,
           "Business days in [period.begin, period.end).");
  bind_holiday_state(holiday_calendar);

  m.def(
      "day_fraction",
      [](const Period& part, const Period& whole, DayCount count, const HolidayCalendar* holidays) {
        return holidays != nullptr ? day_fraction(part, whole, count, *holidays)
                                   : day_fraction(part, whole, count);
      },
      "part"_a, "whole"_a, "count"_a, "holidays"_a = nb::none(),
      "The exact fraction of `whole` covered by `part` (clipped to `whole`), counting calendar\n"
      "days or business days, as a fractions.Fraction. Raises InvalidInputError 'period.empty'\n"
      "when `whole` has no (business) days.");
}

}  // namespace

void bind_core(nb::module_& m) {
  bind_decimal(m);
  bind_money(m);
  bind_allocate(m);
  bind_period(m);
}

}  // namespace spm::python
