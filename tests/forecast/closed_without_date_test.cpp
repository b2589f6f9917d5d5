// A deal marked won or lost without a close date: closed, but nobody knows when. Taken as open it
// was forecast again (its amount counted twice); every reader of outcomes and close dates rejects
// it instead, naming the outcome and the fix (user report: deal_durations gave causes 1 0 2).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <spm/demo/company.hpp>
#include <spm/forecast/backtest.hpp>
#include <spm/forecast/hazard.hpp>
#include <spm/forecast/pipeline.hpp>
#include <spm/forecast/rollup.hpp>
#include <spm/forecast/survival.hpp>

namespace {

using spm::Date;
using spm::Decimal;
using spm::io::Column;
using spm::io::Table;

// The reporter's three deals: D2 is won without a close date.
Table three_deals() {
  Table t;
  t.add(Column::of("deal_id", std::vector<std::string>{"D1", "D2", "D3"}));
  t.add(Column::of("created_date", std::vector<Date>{Date(2025, 1, 1), Date(2025, 2, 1), Date(2025, 3, 1)}));
  auto closed = Column::of("close_date", std::vector<Date>{Date(2025, 2, 1), Date(2025, 2, 1), Date(2025, 4, 1)});
  closed.set_validity({1, 0, 1});
  t.add(std::move(closed));
  t.add(Column::of("outcome", std::vector<std::string>{"Won", "Won", "Lost"}));
  return t;
}

TEST(OutcomeWithoutCloseDate, DealDurationsRejectItNotCensorIt) {
  spm::forecast::DealDurationsOptions o;
  o.as_of = Date(2025, 9, 1);
  o.id = "deal_id";
  const auto d = spm::forecast::deal_durations(three_deals(), o);
  EXPECT_EQ(d.rows, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(d.cause, (std::vector<int>{1, 2}));
  ASSERT_EQ(d.rejects.num_rows(), 1U);
  EXPECT_EQ(d.rejects.values<std::int64_t>("row")[0], 2);
  EXPECT_EQ(d.rejects.strings("column")[0], "close_date");
  EXPECT_EQ(d.rejects.strings("reason")[0],
            "outcome Won but the close date is missing; give the close date or clear the outcome");
}

// The demo company with the close dates of a few won and lost deals blanked.
struct Blanked {
  Table deals;
  std::vector<std::size_t> rows;
};

Blanked blanked(Date before) {
  spm::demo::CompanyOptions co;
  co.reps = 30;
  co.seed = 11;
  Blanked b{spm::demo::generate_company(co).opportunities, {}};
  auto& closed = b.deals.columns()[*b.deals.find("close_date")];
  const auto& created = b.deals.column("created_date").values<Date>();
  auto valid = closed.validity();
  if (valid.empty()) valid.assign(closed.size(), 1);
  const auto outcome = b.deals.strings("outcome");
  for (std::size_t r = 0; r < b.deals.num_rows() && b.rows.size() < 6; ++r) {
    if (valid[r] != 0 && outcome[r] != "open" && created[r] < before && r % 7 == 0) {
      valid[r] = 0;
      b.rows.push_back(r);
    }
  }
  closed.set_validity(std::move(valid));
  return b;
}

bool has(const std::vector<std::size_t>& v, std::size_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// Each blanked row is among the rejects, once, with the reason for its outcome.
void expect_rejected(const Table& rejects, const Blanked& b) {
  const auto outcome = b.deals.strings("outcome");
  for (const auto r : b.rows) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < rejects.num_rows(); ++i) {
      if (rejects.values<std::int64_t>("row")[i] != static_cast<std::int64_t>(r) + 1) continue;
      ++seen;
      EXPECT_EQ(rejects.strings("reason")[i], "outcome " + std::string(outcome[r]) +
                                                  " but the close date is missing; give the close date or clear "
                                                  "the outcome");
    }
    EXPECT_EQ(seen, 1U) << "row " << r + 1;
  }
}

spm::forecast::WindowForecastOptions window_options(Date as_of) {
  spm::forecast::WindowForecastOptions o;
  o.model.numeric = {"amount"};
  o.model.categorical = {"source"};
  o.as_of = as_of;
  return o;
}

TEST(OutcomeWithoutCloseDate, TheWindowForecastAndTheBacktestDoNotForecastItAgain) {
  const Date as_of(2025, 7, 1);
  const auto b = blanked(as_of);
  ASSERT_EQ(b.rows.size(), 6U);
  const auto w = spm::forecast::forecast_window(b.deals, window_options(as_of));
  for (const auto r : b.rows) EXPECT_FALSE(has(w.rows, r)) << "row " << r + 1 << " forecast as open";
  expect_rejected(w.rejects, b);
  spm::forecast::BacktestOptions bo;
  bo.forecast = window_options(as_of);
  bo.cuts = {Date(2025, 4, 1), as_of};
  bo.scenarios = 500;
  expect_rejected(spm::forecast::backtest(b.deals, bo).rejects, b);
}

TEST(OutcomeWithoutCloseDate, TheHazardModelNeitherFitsNorForecastsIt) {
  spm::forecast::HazardOptions o;
  o.as_of = Date(2025, 10, 1);
  const auto b = blanked(o.as_of);
  const auto m = spm::forecast::HazardModel::fit(b.deals, o);
  expect_rejected(m.rejects(), b);
  const auto f = m.predict(b.deals, o.as_of, 90);
  for (const auto r : b.rows) EXPECT_FALSE(has(f.rows, r)) << "row " << r + 1 << " forecast as open";
  expect_rejected(f.rejects, b);
}

TEST(OutcomeWithoutCloseDate, CapacityAndArrivalsRejectIt) {
  // Capacity: a won deal without its close date would count as created but never closed.
  Table t = three_deals();
  t.add(Column::of("owner_id", std::vector<std::string>{"ana", "ana", "ana"}));
  t.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(200), Decimal(300)}));
  spm::forecast::CapacityBySizeOptions c;
  c.bands = {Decimal(1000)};
  c.as_of = Date(2025, 9, 1);
  const auto cap = spm::forecast::capacity_by_size(t, c);
  ASSERT_EQ(cap.rejects.num_rows(), 1U);
  EXPECT_EQ(cap.rejects.values<std::int64_t>("row")[0], 2);
  EXPECT_EQ(cap.rejects.strings("reason")[0],
            "outcome Won but the close date is missing; give the close date or clear the outcome");
  // Arrivals: when it was won is unknown, so it is not counted as a new deal won in its window.
  spm::forecast::ArrivalOptions a;
  a.as_of = Date(2025, 4, 1);
  a.window_days = 90;
  a.windows = 1;
  Table rejects;
  const auto arrivals = spm::forecast::estimate_arrivals(t, a, &rejects);
  EXPECT_EQ(arrivals.at("(all)").amounts, (std::vector<Decimal>{Decimal(100)}));  // D1 only
  ASSERT_EQ(rejects.num_rows(), 1U);
  EXPECT_EQ(rejects.values<std::int64_t>("row")[0], 2);
  EXPECT_EQ(rejects.strings("column")[0], "close_date");
}

}  // namespace
