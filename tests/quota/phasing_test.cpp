// Quota time phasing: seasonality, proration (starts, terminations, leaves, business days),
// ramps, relief, and every error and reject reason. Expected values are worked by hand in the
// comments; a failing check prints the inputs, the options and the whole output.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <spm/core/decimal.hpp>
#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>
#include <spm/quota/phasing.hpp>

#include "support/throws_error.hpp"

namespace spm::quota {
namespace {

Decimal dec(std::string_view text) { return Decimal::parse(text); }

// A table from CSV text: quota and annual_quota are decimals, the date columns dates, the rest
// text; empty fields are nulls.
io::Table table(std::string_view csv) {
  static const std::vector<std::string> decimals = {"quota", "annual_quota"};
  static const std::vector<std::string> dates = {"start", "end",  "hire_date",
                                                 "from",  "to",   "effective"};
  const auto header = csv.substr(0, csv.find('\n'));
  std::vector<io::ColumnSpec> schema;
  std::size_t begin = 0;
  while (begin <= header.size()) {
    const auto comma = std::min(header.find(',', begin), header.size());
    const std::string name(header.substr(begin, comma - begin));
    const auto has = [&](const std::vector<std::string>& v) {
      return std::find(v.begin(), v.end(), name) != v.end();
    };
    const auto type = has(decimals) ? io::ColumnType::decimal
                      : has(dates)  ? io::ColumnType::date
                                    : io::ColumnType::string;
    schema.push_back({name, type, true, true});
    begin = comma + 1;
  }
  auto r = io::parse_csv(csv, schema);
  EXPECT_TRUE(r.rejects.empty()) << "the CSV reader rejected: " << r.rejects.front().reason;
  return std::move(r.table);
}

std::string csv_text(const io::Table& t) {
  std::ostringstream out;
  io::write_csv(t, out);
  return out.str();
}

// The input tables as CSV text ("" = no table).
struct Inputs {
  std::string quotas = {};
  std::string employment = {};
  std::string leaves = {};
  std::string relief = {};
};

// Calendar year `year` in periods of `kind`; cents.
PhasingOptions year_options(int year, PeriodKind kind = PeriodKind::quarter) {
  PhasingOptions o;
  o.year = Period::make(Date(year, 1, 1), Date(year + 1, 1, 1));
  o.kind = kind;
  return o;
}

std::vector<Decimal> quarters(std::string_view q1, std::string_view q2, std::string_view q3,
                              std::string_view q4) {
  return {dec(q1), dec(q2), dec(q3), dec(q4)};
}

std::string join(const std::vector<Decimal>& v) {
  std::string s;
  for (const auto& d : v) s += (s.empty() ? "" : " ") + d.to_string();
  return s.empty() ? "(none)" : s;
}

// A phasing run: its inputs, options and result, with readable access for the checks.
struct Run {
  Inputs in;
  PhasingOptions options;
  PhasingResult result;

  // "seasonal factor prorated relief quota" of one rep and period.
  [[nodiscard]] std::string row(std::string_view rep, std::string_view period) const {
    const auto& t = result.quotas;
    const auto reps = t.strings("rep_id");
    const auto periods = t.strings("period");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      if (reps[r] != rep || periods[r] != period) continue;
      std::string s;
      for (const char* c : {"seasonal", "factor", "prorated", "relief", "quota"}) {
        s += (s.empty() ? "" : " ") + t.column(c).text(r);
      }
      return s;
    }
    return "(no row)";
  }
  // One column of a rep's rows, in period order.
  [[nodiscard]] std::vector<std::string> column(std::string_view rep, const char* name) const {
    const auto& t = result.quotas;
    const auto reps = t.strings("rep_id");
    std::vector<std::string> out;
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      if (reps[r] == rep) out.push_back(t.column(name).text(r));
    }
    return out;
  }
  // The sum of a decimal column over a rep's rows.
  [[nodiscard]] Decimal sum(std::string_view rep, const char* name) const {
    Decimal s;
    for (const auto& v : column(rep, name)) s += dec(v);
    return s;
  }
  // "source row id | reason" per reject.
  [[nodiscard]] std::vector<std::string> rejects() const {
    const auto& t = result.rejects;
    std::vector<std::string> out;
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      out.push_back(t.column("source").text(r) + " " + t.column("row").text(r) + " " +
                    t.column("id").text(r) + " | " + t.column("reason").text(r));
    }
    return out;
  }
};

std::ostream& operator<<(std::ostream& os, const Run& run) {
  const auto& o = run.options;
  os << "\n--- options: year " << o.year.to_string() << ", kind " << to_string(o.kind)
     << ", seasonality " << join(o.seasonality) << ", ramp " << join(o.ramp)
     << ", ramp_prior_hires " << o.ramp_prior_hires << ", day_count "
     << (o.day_count == DayCount::calendar_days ? "calendar" : "business") << ", increment "
     << o.increment.to_string();
  os << "\n--- quotas:\n" << run.in.quotas << "--- employment:\n" << run.in.employment
     << "--- leaves:\n" << run.in.leaves << "--- relief:\n" << run.in.relief;
  os << "--- output:\n" << csv_text(run.result.quotas) << "--- rejects:\n"
     << csv_text(run.result.rejects);
  return os;
}

Run run(Inputs in, PhasingOptions options) {
  const auto q = table(in.quotas);
  const auto e = in.employment.empty() ? io::Table() : table(in.employment);
  const auto l = in.leaves.empty() ? io::Table() : table(in.leaves);
  const auto r = in.relief.empty() ? io::Table() : table(in.relief);
  PhasingInputs pi;
  pi.quotas = &q;
  pi.employment = in.employment.empty() ? nullptr : &e;
  pi.leaves = in.leaves.empty() ? nullptr : &l;
  pi.relief = in.relief.empty() ? nullptr : &r;
  auto result = phase_quotas(pi, options);
  return {std::move(in), std::move(options), std::move(result)};
}

// Quarterly 2024 at 25% a quarter: a 120000 annual quota is 30000.00 a quarter.
PhasingOptions even_quarters_2024() {
  auto o = year_options(2024);
  o.seasonality = quarters("0.25", "0.25", "0.25", "0.25");
  return o;
}

// ---------------------------------------------------------------------------------------------
// Seasonality

TEST(PhasingSeasonality, UnevenWeightsConserveTheAnnualQuota) {
  // A: 100000.01 = 10000001 cents x (0.1, 0.2, 0.3, 0.4) = 1000000.1, 2000000.2, 3000000.3,
  // 4000000.4 cents; floors sum to 10000000, the 1 cent left goes to the largest remainder (Q4).
  // B: 0.07 = 7 cents -> 0.7, 1.4, 2.1, 2.8; floors 0, 1, 2, 2 (5), the 2 left go to Q4 (.8)
  // and Q1 (.7): 1, 1, 2, 3 cents.
  auto o = year_options(2024);
  o.seasonality = quarters("0.1", "0.2", "0.3", "0.4");
  const auto r = run({"rep_id,quota\nA,100000.01\nB,0.07\n"}, o);
  EXPECT_EQ(r.column("A", "seasonal"),
            (std::vector<std::string>{"10000.00", "20000.00", "30000.00", "40000.01"}))
      << r;
  EXPECT_EQ(r.column("B", "seasonal"),
            (std::vector<std::string>{"0.01", "0.01", "0.02", "0.03"}))
      << r;
  EXPECT_EQ(r.sum("A", "quota"), dec("100000.01")) << r;
  EXPECT_EQ(r.sum("B", "quota"), dec("0.07")) << r;
  EXPECT_EQ(r.column("A", "factor"), (std::vector<std::string>{"1", "1", "1", "1"})) << r;
  EXPECT_EQ(r.column("A", "period"),
            (std::vector<std::string>{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"}))
      << r;
}

TEST(PhasingSeasonality, EmptyWeighsPeriodsByTheirDays) {
  // 2024 quarters have 91, 91, 92, 92 days (366). 1000.00 = 100000 cents x d/366 = 24863.39,
  // 24863.39, 25136.61, 25136.61 cents; floors sum to 99998, the 2 cents go to Q3 and Q4
  // (remainders .61 > .39).
  const auto r = run({"rep_id,quota\nA,1000\n"}, year_options(2024));
  EXPECT_EQ(r.column("A", "seasonal"),
            (std::vector<std::string>{"248.63", "248.63", "251.37", "251.37"}))
      << r;
  EXPECT_EQ(r.sum("A", "quota"), dec("1000")) << r;
}

TEST(PhasingSeasonality, LargeIncrementSplitsInWholeIncrements) {
  // Increment 1000: 10000 = 10 thousands x 0.25 = 2.5 each; floors 2 x 4 = 8, the 2 left go to
  // Q1 and Q2 (equal remainders, earlier first).
  auto o = even_quarters_2024();
  o.increment = dec("1000");
  const auto r = run({"rep_id,quota\nA,10000\n"}, o);
  EXPECT_EQ(r.column("A", "seasonal"),
            (std::vector<std::string>{"3000", "3000", "2000", "2000"}))
      << r;
}

// ---------------------------------------------------------------------------------------------
// Proration: starts, terminations, leaves

TEST(PhasingProration, MidYearStartByCalendarDays) {
  // Start 2024-05-10: Q2 = 30 + 31 + 30 = 91 days, employed May 10-31 (22) + June (30) = 52:
  // factor 52/91 = 4/7; 30000 x 4/7 = 17142.857... -> 17142.86. Q1 nothing, Q3 and Q4 whole.
  const auto r = run({"rep_id,quota\nA,120000\n", "rep_id,start\nA,2024-05-10\n"},
                     even_quarters_2024());
  EXPECT_EQ(r.row("A", "2024-Q1"), "30000.00 0 0.00 0.00 0.00") << r;
  EXPECT_EQ(r.row("A", "2024-Q2"), "30000.00 4/7 17142.86 0.00 17142.86") << r;
  EXPECT_EQ(r.row("A", "2024-Q3"), "30000.00 1 30000.00 0.00 30000.00") << r;
  EXPECT_EQ(r.row("A", "2024-Q4"), "30000.00 1 30000.00 0.00 30000.00") << r;
}

TEST(PhasingProration, StartOnTheFirstDayOfAQuarterGetsTheWholeQuarter) {
  // Start 2024-07-01: Q1 and Q2 nothing, Q3 and Q4 exactly their seasonal quota.
  const auto r = run({"rep_id,quota\nA,120000\n", "rep_id,start\nA,2024-07-01\n"},
                     even_quarters_2024());
  EXPECT_EQ(r.column("A", "factor"), (std::vector<std::string>{"0", "0", "1", "1"})) << r;
  EXPECT_EQ(r.column("A", "prorated"),
            (std::vector<std::string>{"0.00", "0.00", "30000.00", "30000.00"}))
      << r;
}

TEST(PhasingProration, Termination) {
  // End 2024-11-15 (first day gone): Q4 = 31 + 30 + 31 = 92 days, employed Oct (31) + Nov 1-14
  // (14) = 45: factor 45/92; 30000 x 45/92 = 14673.913... -> 14673.91.
  const auto r = run({"rep_id,quota\nA,120000\n", "rep_id,end\nA,2024-11-15\n"},
                     even_quarters_2024());
  EXPECT_EQ(r.column("A", "factor"), (std::vector<std::string>{"1", "1", "1", "45/92"})) << r;
  EXPECT_EQ(r.row("A", "2024-Q4"), "30000.00 45/92 14673.91 0.00 14673.91") << r;
}

TEST(PhasingProration, Leaves) {
  // L1: leave all of February 2024 (29 days): Q1 (91 days) keeps 62/91;
  //     30000 x 62/91 = 20439.5604... -> 20439.56.
  // L2: overlapping leaves Feb 1 - Mar 1 and Feb 15 - Mar 11 count once: Feb 1 - Mar 11 = 29 +
  //     10 = 39 days away, 52/91 = 4/7 -> 17142.86.
  // L3: starts 2024-04-01, on leave 2024-02-01 to 2024-05-01: the days before the start change
  //     nothing; April is away, so Q2 keeps May + June = 61/91; 30000 x 61/91 = 20109.8901... ->
  //     20109.89.
  const auto r = run({"rep_id,quota\nL1,120000\nL2,120000\nL3,120000\n",
                      "rep_id,start\nL3,2024-04-01\n",
                      "rep_id,from,to\nL1,2024-02-01,2024-03-01\nL2,2024-02-01,2024-03-01\n"
                      "L2,2024-02-15,2024-03-11\nL3,2024-02-01,2024-05-01\n"},
                     even_quarters_2024());
  EXPECT_EQ(r.row("L1", "2024-Q1"), "30000.00 62/91 20439.56 0.00 20439.56") << r;
  EXPECT_EQ(r.row("L1", "2024-Q2"), "30000.00 1 30000.00 0.00 30000.00") << r;
  EXPECT_EQ(r.row("L2", "2024-Q1"), "30000.00 4/7 17142.86 0.00 17142.86") << r;
  EXPECT_EQ(r.row("L3", "2024-Q1"), "30000.00 0 0.00 0.00 0.00") << r;
  EXPECT_EQ(r.row("L3", "2024-Q2"), "30000.00 61/91 20109.89 0.00 20109.89") << r;
}

// Every month boundary of leap year 2024: a start on the first day of month m gets exactly
// months m..12 and nothing before. With days-weighted monthly seasonality 366.00 splits into
// each month's days (36600 cents x d/366 = 100 d, no remainder), so the sum is 366 minus the
// days of the months before m (e.g. a March start: 366 - 31 - 29 = 306).
TEST(PhasingProration, StartOnEachFirstDayOfLeapYear2024) {
  constexpr std::array<int, 12> days = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::string quotas = "rep_id,quota\n";
  std::string employment = "rep_id,start\n";
  for (int m = 1; m <= 12; ++m) {
    const std::string id = (m < 10 ? "S0" : "S") + std::to_string(m);
    quotas += id + ",366\n";
    employment += id + "," + Date(2024, static_cast<unsigned>(m), 1).to_string() + "\n";
  }
  const auto r = run({quotas, employment}, year_options(2024, PeriodKind::month));
  int before = 0;
  for (int m = 1; m <= 12; ++m) {
    const std::string id = (m < 10 ? "S0" : "S") + std::to_string(m);
    std::vector<std::string> factors;
    std::vector<std::string> prorated;
    for (int k = 1; k <= 12; ++k) {
      factors.emplace_back(k < m ? "0" : "1");
      prorated.push_back(k < m ? "0.00" : std::to_string(days[k - 1]) + ".00");
    }
    EXPECT_EQ(r.column(id, "factor"), factors) << "start " << m << r;
    EXPECT_EQ(r.column(id, "prorated"), prorated) << "start " << m << r;
    EXPECT_EQ(r.sum(id, "quota"), Decimal(366 - before)) << "start " << m << r;
    before += days[m - 1];
  }
}

TEST(PhasingProration, LeapDayStartAndEnd) {
  // Start 2024-02-29: February 1/29 (29.00 x 1/29 = 1.00), March whole.
  // End 2024-02-29 (last day Feb 28): February 28/29 (28.00), March nothing.
  const auto r = run({"rep_id,quota\nIN,366\nOUT,366\n",
                      "rep_id,start,end\nIN,2024-02-29,\nOUT,,2024-02-29\n"},
                     year_options(2024, PeriodKind::month));
  EXPECT_EQ(r.row("IN", "2024-M02"), "29.00 1/29 1.00 0.00 1.00") << r;
  EXPECT_EQ(r.row("IN", "2024-M03"), "31.00 1 31.00 0.00 31.00") << r;
  EXPECT_EQ(r.row("OUT", "2024-M02"), "29.00 28/29 28.00 0.00 28.00") << r;
  EXPECT_EQ(r.row("OUT", "2024-M03"), "31.00 0 0.00 0.00 0.00") << r;
}

TEST(PhasingProration, BusinessDaysWithAHoliday) {
  // Q3 2024 business days with July 4 off: July 23 weekdays - 1 = 22, August 22, September 21:
  // 65. Start Monday 2024-07-15: July 15-31 has 13 business days, so 13 + 22 + 21 = 56 of 65;
  // 30000 x 56/65 = 25846.1538... -> 25846.15. (Calendar days would give 78/92.)
  auto o = even_quarters_2024();
  o.day_count = DayCount::business_days;
  o.holidays = HolidayCalendar({Date(2024, 7, 4)});
  const auto r = run({"rep_id,quota\nA,120000\n", "rep_id,start\nA,2024-07-15\n"}, o);
  EXPECT_EQ(r.row("A", "2024-Q3"), "30000.00 56/65 25846.15 0.00 25846.15") << r;
  EXPECT_EQ(r.row("A", "2024-Q4"), "30000.00 1 30000.00 0.00 30000.00") << r;
}

TEST(PhasingProration, FiscalYearStartingInFebruary) {
  // FY2025 runs 2024-02-01 to 2025-02-01; Q1 = Feb (29) + Mar (31) + Apr (30) = 90 days. A start
  // on 2024-03-01 keeps 61/90: 30000 x 61/90 = 20333.333... -> 20333.33.
  auto o = even_quarters_2024();
  o.calendar = FiscalCalendar(2);
  o.year = Period::make(Date(2024, 2, 1), Date(2025, 2, 1));
  const auto r = run({"rep_id,quota\nA,120000\n", "rep_id,start\nA,2024-03-01\n"}, o);
  EXPECT_EQ(r.column("A", "period"),
            (std::vector<std::string>{"FY2025-Q1", "FY2025-Q2", "FY2025-Q3", "FY2025-Q4"}))
      << r;
  EXPECT_EQ(r.row("A", "FY2025-Q1"), "30000.00 61/90 20333.33 0.00 20333.33") << r;
  EXPECT_EQ(r.row("A", "FY2025-Q4"), "30000.00 1 30000.00 0.00 30000.00") << r;
}

// ---------------------------------------------------------------------------------------------
// Ramps

TEST(PhasingRamp, NewHireRampsAcrossMonthsIntoAQuarter) {
  // Hired (started) 2024-02-10, ramp 25%, 50%, 75%. Q1 has 91 days: February is tenure month 1
  // (20 days x 0.25 = 5), March month 2 (31 x 0.5 = 15.5): 20.5/91 = 41/182;
  // 30000 x 41/182 = 6758.2417... -> 6758.24. Q2: April month 3 (30 x 0.75 = 22.5), May and
  // June ramped (61): 83.5/91 = 167/182; 30000 x 167/182 = 27527.4725... -> 27527.47.
  auto o = even_quarters_2024();
  o.ramp = {dec("0.25"), dec("0.5"), dec("0.75")};
  const auto r = run({"rep_id,quota\nA,120000\n", "rep_id,start\nA,2024-02-10\n"}, o);
  EXPECT_EQ(r.row("A", "2024-Q1"), "30000.00 41/182 6758.24 0.00 6758.24") << r;
  EXPECT_EQ(r.row("A", "2024-Q2"), "30000.00 167/182 27527.47 0.00 27527.47") << r;
  EXPECT_EQ(r.row("A", "2024-Q3"), "30000.00 1 30000.00 0.00 30000.00") << r;
}

TEST(PhasingRamp, PriorYearHireKeepsRampingUnlessDisabled) {
  // Hired 2023-12-01 (employed from before the year): January is tenure month 2 (31 x 0.5 =
  // 15.5), February month 3 (29 x 0.75 = 21.75), March ramped (31): 68.25/91 = 3/4 ->
  // 22500.00. With ramp_prior_hires off the rep is fully ramped: factor 1.
  auto o = even_quarters_2024();
  o.ramp = {dec("0.25"), dec("0.5"), dec("0.75")};
  const Inputs in{"rep_id,quota\nA,120000\n", "rep_id,start,hire_date\nA,,2023-12-01\n"};
  const auto ramping = run(in, o);
  EXPECT_EQ(ramping.row("A", "2024-Q1"), "30000.00 3/4 22500.00 0.00 22500.00") << ramping;
  EXPECT_EQ(ramping.row("A", "2024-Q2"), "30000.00 1 30000.00 0.00 30000.00") << ramping;
  o.ramp_prior_hires = false;
  const auto ramped = run(in, o);
  EXPECT_EQ(ramped.row("A", "2024-Q1"), "30000.00 1 30000.00 0.00 30000.00") << ramped;
}

// ---------------------------------------------------------------------------------------------
// Relief

TEST(PhasingRelief, ConservesTotalsAndProratesFromTheEffectiveDate) {
  // 40000 of A's accounts move to B on 2024-05-10: 10000 a quarter. Q1 ends before: nothing.
  // Q2: May 10 - June 30 is 52 of 91 days = 4/7; 10000 x 4/7 = 5714.2857... -> 5714.29.
  // Q3, Q4: 10000.00 each. A: 30000 - relief, B: 30000 + relief; each period sums to 60000.
  const auto r = run({"rep_id,quota\nA,120000\nB,120000\n", "", "",
                      "account_id,from_rep,to_rep,effective,annual_quota\n"
                      "X1,A,B,2024-05-10,40000\n"},
                     even_quarters_2024());
  EXPECT_EQ(r.column("A", "relief"),
            (std::vector<std::string>{"0.00", "-5714.29", "-10000.00", "-10000.00"}))
      << r;
  EXPECT_EQ(r.column("B", "relief"),
            (std::vector<std::string>{"0.00", "5714.29", "10000.00", "10000.00"}))
      << r;
  EXPECT_EQ(r.row("A", "2024-Q2"), "30000.00 1 30000.00 -5714.29 24285.71") << r;
  EXPECT_EQ(r.row("B", "2024-Q2"), "30000.00 1 30000.00 5714.29 35714.29") << r;
  const auto a = r.column("A", "quota");
  const auto b = r.column("B", "quota");
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(dec(a[i]) + dec(b[i]), dec("60000")) << "period " << i << r;
  }
  EXPECT_EQ(r.sum("A", "quota") + r.sum("B", "quota"), dec("240000")) << r;
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(PhasingErrors, SeasonalityMustHaveOneWeightPerPeriodSummingToOne) {
  const auto q = table("rep_id,quota\nA,100\n");
  PhasingInputs in;
  in.quotas = &q;
  auto o = even_quarters_2024();
  o.seasonality = quarters("0.25", "0.25", "0.25", "0.24");
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)phase_quotas(in, o); }, "quota.seasonality",
      "[quota.seasonality] seasonality: the weights sum to 0.99; they must sum to exactly 1 "
      "(change them by 0.01 in total)"));
  o.seasonality.pop_back();
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)phase_quotas(in, o); }, "quota.seasonality",
      "[quota.seasonality] seasonality: there are 3 weights for the 4 quarter periods of the "
      "plan year [2024-01-01, 2025-01-01); give one weight per period, or none to weigh periods "
      "by their days"));
  o.seasonality = quarters("0.5", "0.6", "-0.1", "0");
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)phase_quotas(in, o); }, "quota.seasonality",
      "[quota.seasonality] seasonality[2]: the weight -0.1 is negative; weights are shares of "
      "the year from 0 to 1"));
}

TEST(PhasingErrors, RampLongerThanTheYearOrOutsideZeroToOne) {
  const auto q = table("rep_id,quota\nA,100\n");
  PhasingInputs in;
  in.quotas = &q;
  auto o = year_options(2024);
  o.ramp.assign(13, dec("0.5"));
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)phase_quotas(in, o); }, "quota.ramp",
      "[quota.ramp] ramp: the ramp is 13 months long but the plan year has 12 months; give at "
      "most 12 (reps are fully ramped after the last)"));
  o.ramp = {dec("0.5"), dec("1.5")};
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)phase_quotas(in, o); }, "quota.ramp",
      "[quota.ramp] ramp[1]: the ramp fraction 1.5 is outside [0, 1]; give each tenure month's "
      "share of the full quota from 0 to 1"));
}

TEST(PhasingErrors, OptionsAndTables) {
  const auto q = table("rep_id,quota\nA,100\n");
  PhasingInputs in;
  in.quotas = &q;
  auto o = year_options(2024);
  o.increment = Decimal();
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)phase_quotas(in, o); }, "quota.options",
      "[quota.options] increment: the increment 0 must be above 0 (e.g. 0.01 for cents, 1000 "
      "for thousands)"));
  o = year_options(2024);
  o.year = Period::make(Date(2024, 1, 15), Date(2025, 1, 15));
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)phase_quotas(in, o); }, "quota.options",
      "[quota.options] year: the plan year [2024-01-15, 2025-01-15) does not start and end on "
      "quarter boundaries of the fiscal calendar (first month 1); align the year to the "
      "calendar or choose another period kind"));
  o = year_options(2024);
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)phase_quotas(PhasingInputs{}, o); }, "quota.input",
      "[quota.input] quotas: no quotas table was given; pass one with columns rep_id and quota"));
  const auto no_quota = table("rep_id,amount\nA,100\n");
  in.quotas = &no_quota;
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)phase_quotas(in, o); }, "quota.column",
      "[quota.column] quotas.quota: the quotas table has no column 'quota'; add it (type "
      "decimal)"));
}

// An employment table none of whose columns is start, end or hire_date would change nothing:
// an error naming its columns, not a year of quota for a rep who starts in July. Extra columns
// next to a recognised one are ignored, as in every quota input.
TEST(PhasingErrors, EmploymentWithoutAnyDateColumnItReads) {
  const auto q = table("rep_id,quota\nE3,1000\n");
  const auto e = table("rep_id,start_date\nE3,2024-07-01\n");
  PhasingInputs in;
  in.quotas = &q;
  in.employment = &e;
  const auto o = even_quarters_2024();
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>(
      [&] { (void)phase_quotas(in, o); }, "quota.column",
      "[quota.column] employment: the employment table has columns 'rep_id', 'start_date' but "
      "none of the date columns it is read by: 'start' (first day employed), 'end' (first day "
      "no longer employed), 'hire_date' (tenure start for the ramp); rename yours to these, or "
      "leave the employment table out"));
  const auto r = run({"rep_id,quota\nE3,1000\n", "rep_id,start,note\nE3,2024-07-01,x\n"}, o);
  EXPECT_EQ(r.column("E3", "quota"),
            (std::vector<std::string>{"0.00", "0.00", "250.00", "250.00"}))
      << r;
}

// Every reject reason once; the good rows are still computed.
TEST(PhasingRejects, EveryReason) {
  const Inputs in{
      "rep_id,quota\n"
      "A,120000\n"     // row 1: ok
      ",5000\n"        // 2: no rep
      "D,100\n"        // 3: duplicate
      "D,200\n"        // 4: duplicate
      "N,\n"           // 5: no quota
      "M,-1\n"         // 6: negative
      "F,100.005\n"    // 7: off the increment
      "E,120000\n"     // 8: its employment row is bad
      "B,120000\n"     // 9: ok
      "H,1000\n"       // 10: hire after start
      "K,1000\n"       // 11: two employment rows
      "P,1000\n",      // 12: in-year hire with an empty start
      "rep_id,start,end,hire_date\n"
      "E,2024-03-01,2024-03-01,\n"    // 1
      "Z,2024-03-01,,\n"              // 2
      "D,2024-03-01,,\n"              // 3
      ",2024-01-01,,\n"               // 4
      "H,2024-03-01,,2024-04-01\n"    // 5
      "K,2024-02-01,,\n"              // 6
      "K,2024-03-01,,\n"              // 7
      "P,,,2024-02-01\n",             // 8
      "rep_id,from,to\n"
      "A,2024-03-01,2024-02-01\n"     // 1
      "A,,2024-02-01\n"               // 2
      "Q,2024-02-01,2024-03-01\n"     // 3
      "E,2024-02-01,2024-03-01\n"     // 4
      ",2024-02-01,2024-03-01\n"      // 5
      "A,2024-02-01,2024-03-01\n",    // 6: ok
      "account_id,from_rep,to_rep,effective,annual_quota\n"
      "X1,A,B,2024-05-10,40000\n"     // 1: ok
      "X2,A,A,2024-05-10,1\n"         // 2
      "X3,A,Z,2024-05-10,1\n"         // 3
      "X4,A,B,2025-01-01,1\n"         // 4
      "X5,A,B,2024-06-01,-5\n"        // 5
      "X6,A,B,2024-06-01,0.005\n"     // 6
      "X7,,B,2024-06-01,1\n"          // 7
      "X8,A,B,,100\n"                 // 8
      "X9,A,B,2024-06-01,\n"          // 9
      "X10,D,B,2024-06-01,1\n"};      // 10
  const auto r = run(in, even_quarters_2024());
  EXPECT_EQ(r.rejects(),
            (std::vector<std::string>{
                "quotas 2  | the rep_id is missing; every quota row needs the rep it belongs to",
                "quotas 3 D | rep_id 'D' appears 2 times; give each rep one annual quota",
                "quotas 4 D | rep_id 'D' appears 2 times; give each rep one annual quota",
                "quotas 5 N | the quota is missing; give the rep's annual quota",
                "quotas 6 M | the quota -1 is negative; annual quotas must be 0 or more",
                "quotas 7 F | the quota 100.005 is not a multiple of the increment 0.01; round "
                "it to the increment",
                "quotas 8 E | rep 'E' is not phased because its employment row 1 was rejected; "
                "fix that row",
                "quotas 10 H | rep 'H' is not phased because its employment row 5 was rejected; "
                "fix that row",
                "quotas 11 K | rep 'K' is not phased because its employment row 6 was rejected; "
                "fix that row",
                "quotas 12 P | rep 'P' is not phased because its employment row 8 was rejected; "
                "fix that row",
                "employment 1 E | end 2024-03-01 is not after start 2024-03-01; end is the first "
                "day no longer employed, so it must be later than start",
                "employment 2 Z | rep 'Z' has no row in the quotas table; add its annual quota "
                "there or remove this row",
                "employment 3 D | rep 'D' is not phased: its quotas row was rejected",
                "employment 4  | the rep_id is missing; every employment row needs the rep it "
                "describes",
                "employment 5 H | hire_date 2024-04-01 is after start 2024-03-01; tenure starts "
                "at hire, so set hire_date on or before start",
                "employment 6 K | rep 'K' has 2 employment rows; give one row per rep",
                "employment 7 K | rep 'K' has 2 employment rows; give one row per rep",
                "employment 8 P | hire_date 2024-02-01 is after start (empty: employed from "
                "before the plan year); give the start date or set hire_date on or before the "
                "year start",
                "leaves 1 A | to 2024-02-01 is not after from 2024-03-01; to is the first day "
                "back, so it must be later than from",
                "leaves 2 A | from is missing; a leave needs from (first day away) and to (first "
                "day back)",
                "leaves 3 Q | rep 'Q' has no row in the quotas table; add its annual quota there "
                "or remove this row",
                "leaves 4 E | rep 'E' is not phased: its employment row was rejected",
                "leaves 5  | the rep_id is missing; every leave needs the rep on leave",
                "relief 2 X2 | from_rep and to_rep are both 'A'; relief must move quota between "
                "two reps",
                "relief 3 X3 | to_rep 'Z' has no row in the quotas table; add its annual quota "
                "there or remove this row",
                "relief 4 X4 | effective 2025-01-01 is outside the plan year [2024-01-01, "
                "2025-01-01); relief within the year only",
                "relief 5 X5 | annual_quota -5 is negative; give the moved amount as 0 or more, "
                "from from_rep to to_rep",
                "relief 6 X6 | annual_quota 0.005 is not a multiple of the increment 0.01; round "
                "it to the increment",
                "relief 7 X7 | from_rep is missing; relief moves quota from one rep to another",
                "relief 8 X8 | effective is missing; give the date the accounts move",
                "relief 9 X9 | annual_quota is missing; give the moved accounts' part of the "
                "annual quota",
                "relief 10 X10 | from_rep 'D' is not phased: its quotas row was rejected",
            }))
      << r;
  // Only A and B are phased; A's good leave (February, 29 of Q1's 91 days) and the good relief
  // (Q2: 5714.29, as in PhasingRelief) are applied: 30000 x 62/91 = 20439.56.
  EXPECT_EQ(r.column("A", "period").size() + r.column("B", "period").size(),
            r.result.quotas.num_rows())
      << r;
  EXPECT_EQ(r.row("A", "2024-Q1"), "30000.00 62/91 20439.56 0.00 20439.56") << r;
  EXPECT_EQ(r.row("A", "2024-Q2"), "30000.00 1 30000.00 -5714.29 24285.71") << r;
  EXPECT_EQ(r.row("B", "2024-Q2"), "30000.00 1 30000.00 5714.29 35714.29") << r;
}

// Permuting input rows changes nothing (rows come out by rep, then period).
TEST(PhasingDeterminism, InputOrderDoesNotMatter) {
  auto o = even_quarters_2024();
  o.ramp = {dec("0.5")};
  const auto a = run({"rep_id,quota\nA,120000\nB,60000\nC,1000\n",
                      "rep_id,start\nB,2024-03-15\nC,2024-08-01\n",
                      "rep_id,from,to\nA,2024-02-01,2024-03-01\nA,2024-06-01,2024-06-10\n",
                      "account_id,from_rep,to_rep,effective,annual_quota\nX,A,C,2024-09-01,500\n"},
                     o);
  const auto b = run({"rep_id,quota\nC,1000\nA,120000\nB,60000\n",
                      "rep_id,start\nC,2024-08-01\nB,2024-03-15\n",
                      "rep_id,from,to\nA,2024-06-01,2024-06-10\nA,2024-02-01,2024-03-01\n",
                      "account_id,from_rep,to_rep,effective,annual_quota\nX,A,C,2024-09-01,500\n"},
                     o);
  EXPECT_EQ(csv_text(a.result.quotas), csv_text(b.result.quotas)) << a << b;
}

}  // namespace
}  // namespace spm::quota
