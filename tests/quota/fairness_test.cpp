// Fairness diagnostics on small hand-computed tables: percentiles, share attaining,
// correlations, probabilities and rejects.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/quota/fairness.hpp>

#include "../support/throws_error.hpp"

namespace spm::quota {
namespace {

using namespace spm::literals;

io::Table two_columns(const char* value_name, std::vector<std::string> ids,
                      std::vector<Decimal> values) {
  io::Table t;
  t.add(io::Column::of("rep_id", std::move(ids)));
  t.add(io::Column::of(value_name, std::move(values)));
  return t;
}

// Five reps; attainment R1 1.2, R2 2/3, R3 1, R4 0.8, R5 2.
struct Book {
  io::Table quotas = two_columns("quota", {"R1", "R2", "R3", "R4", "R5"},
                                 {100, 300, 100, 300, 50});
  io::Table actuals = two_columns("sales", {"R5", "R4", "R3", "R2", "R1"},
                                  {100, 240, 100, 200, 120});
  io::Table sizes;
  io::Table forecast;
  Book() {
    sizes.add(io::Column::of("rep_id", std::vector<std::string>{"R1", "R2", "R3", "R4", "R5"}));
    sizes.add(io::Column::of("accounts", std::vector<std::int64_t>{10, 30, 20, 30, 5}));
    sizes.add(io::Column::of("regions", std::vector<Decimal>{1, 1, 1, 1, 1}));
    sizes.add(io::Column::of("label", std::vector<std::string>{"a", "b", "c", "d", "e"}));
    forecast.add(io::Column::of("rep_id", std::vector<std::string>{"R1", "R2", "R3", "R4"}));
    forecast.add(io::Column::of("expected_sales", std::vector<Decimal>{110, 300, 90, 300}));
    forecast.add(io::Column::of("volatility", std::vector<Decimal>{10, 0, 0, 50}));
  }
  [[nodiscard]] FairnessInputs inputs() const { return {&quotas, &actuals, &sizes, &forecast}; }
};

TEST(FairnessReport, HandComputedBook) {
  Book b;
  const auto r = fairness(b.inputs());
  EXPECT_EQ(r.reps, 5u);
  EXPECT_EQ(r.rejects.num_rows(), 0u);
  // Sorted attainment 2/3, 0.8, 1, 1.2, 2; h = 4q. P10: h = 0.4 -> 2/3 + 0.4 x (0.8 - 2/3) =
  // 0.72. P25: h = 1 -> 0.8. P50: 1. P75: 1.2. P90: h = 3.6 -> 1.2 + 0.6 x 0.8 = 1.68.
  EXPECT_NEAR(r.p10, 0.72, 1e-12);
  EXPECT_NEAR(r.p25, 0.8, 1e-12);
  EXPECT_NEAR(r.p50, 1.0, 1e-12);
  EXPECT_NEAR(r.p75, 1.2, 1e-12);
  EXPECT_NEAR(r.p90, 1.68, 1e-12);
  // Mean (1.2 + 2/3 + 1 + 0.8 + 2) / 5 = 17/15. Attaining (sales >= quota): R1, R3, R5 = 3/5.
  EXPECT_NEAR(r.mean, 17.0 / 15, 1e-12);
  EXPECT_DOUBLE_EQ(r.share_attaining, 0.6);

  ASSERT_EQ(r.correlations.size(), 2u);  // the string column is not numeric
  // Pearson with accounts (10, 30, 20, 30, 5), mean 19: dx = -9, 11, 1, 11, -14; attainment
  // deviations from 17/15: 1/15, -7/15, -2/15, -5/15, 13/15. Sxy = -65/3, Sxx = 520,
  // Syy = 248/225 -> r = (-65/3) / sqrt(520 x 248/225) = -0.905015148688...
  EXPECT_EQ(r.correlations[0].column, "accounts");
  EXPECT_NEAR(r.correlations[0].pearson, -0.905015148688042, 1e-12);
  // Spearman: account ranks 2, 4.5, 3, 4.5, 1 (the two 30s share 4 and 5); attainment ranks
  // 4, 1, 3, 2, 5. Deviations from 3: (-1, 1.5, 0, 1.5, -2) and (1, -2, 0, -1, 2): Sxy = -9.5,
  // Sxx = 9.5, Syy = 10 -> -9.5 / sqrt(95) = -0.974679434480896.
  EXPECT_NEAR(r.correlations[0].spearman, -0.974679434480896, 1e-12);
  // A constant column has no correlation: NaN.
  EXPECT_EQ(r.correlations[1].column, "regions");
  EXPECT_TRUE(std::isnan(r.correlations[1].pearson));
  EXPECT_TRUE(std::isnan(r.correlations[1].spearman));

  // Every rep attaining alike (15 / 997 each, whose mean in binary is not 15 / 997): no
  // correlation either, not 1e-17.
  Book same;
  same.actuals = two_columns("sales", {"R1", "R2", "R3", "R4", "R5"}, {15, 15, 15, 15, 15});
  same.quotas = two_columns("quota", {"R1", "R2", "R3", "R4", "R5"}, {997, 997, 997, 997, 997});
  const auto flat = fairness(same.inputs());
  EXPECT_TRUE(std::isnan(flat.correlations[0].pearson)) << flat.correlations[0].pearson;

  // Ordered by rep_id. R2: 200 x 100 / 300 = 66.666... -> 66.67.
  const auto& t = r.reps_table;
  ASSERT_EQ(t.num_rows(), 5u);
  const std::vector<std::string> ids = {"R1", "R2", "R3", "R4", "R5"};
  const std::vector<std::string> percent = {"120.00", "66.67", "100.00", "80.00", "200.00"};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(t.column("rep_id").text(i), ids[i]);
    EXPECT_EQ(t.column("attainment_percent").text(i), percent[i]) << ids[i];
  }
  EXPECT_EQ(t.column("quota").text(1), "300");
  EXPECT_EQ(t.column("sales").text(1), "200");
  // Probability 1 - Phi((quota - expected) / volatility):
  // R1 (100 - 110) / 10 = -1 -> Phi(1) = 0.841344746068543; R2 volatility 0, 300 >= 300 -> 1;
  // R3 volatility 0, 90 < 100 -> 0; R4 (300 - 300) / 50 = 0 -> 0.5; R5 has no forecast: null.
  const auto& p = t.column("probability_of_attaining");
  const auto& pv = p.values<double>();
  EXPECT_NEAR(pv[0], 0.841344746068543, 1e-12);
  EXPECT_EQ(pv[1], 1.0);
  EXPECT_EQ(pv[2], 0.0);
  EXPECT_EQ(pv[3], 0.5);
  EXPECT_TRUE(p.is_null(4));
}

TEST(FairnessReport, WithoutOptionalTablesAndWithNoReps) {
  Book b;
  const auto r = fairness({&b.quotas, &b.actuals, nullptr, nullptr});
  EXPECT_TRUE(r.correlations.empty());
  EXPECT_EQ(r.reps_table.num_columns(), 4u);  // no probability column without a forecast
  const io::Table none = two_columns("quota", {}, {});
  const io::Table no_sales = two_columns("sales", {}, {});
  const auto empty = fairness({&none, &no_sales, nullptr, nullptr});
  EXPECT_EQ(empty.reps, 0u);
  EXPECT_TRUE(std::isnan(empty.p50));
  EXPECT_TRUE(std::isnan(empty.mean));
  EXPECT_TRUE(std::isnan(empty.share_attaining));
}

// Sizes as text (a CSV read without types): a text column (a region) is left out with a note,
// and a cell that is not a number or is empty leaves its rep out of that column only. A user
// test's file: one "region" column rejected every row (every correlation NaN), and one empty
// cell dropped its rep from every column.
TEST(FairnessReport, SizeColumnsAreReadOneByOne) {
  const Book b;
  io::Table sizes;
  sizes.add(io::Column::of("rep_id", std::vector<std::string>{"R1", "R2", "R3", "R4", "R5"}));
  sizes.add(io::Column::of("accounts", std::vector<std::string>{"10", "30", "20", "30", "5"}));
  sizes.add(io::Column::of("region", std::vector<std::string>{"EU", "US", "EU", "US", "APAC"}));
  sizes.add(io::Column::of("potential", std::vector<std::string>{"5", "", "7", "1", "x"}));
  const auto r = fairness({&b.quotas, &b.actuals, &sizes, nullptr});
  EXPECT_EQ(r.rejects.num_rows(), 0u);
  ASSERT_EQ(r.correlations.size(), 2u);
  const auto with_ints = fairness({&b.quotas, &b.actuals, &b.sizes, nullptr});
  EXPECT_EQ(r.correlations[0].column, "accounts");
  EXPECT_DOUBLE_EQ(r.correlations[0].pearson, with_ints.correlations[0].pearson);
  // potential over R1 (1.2, 5), R3 (1, 7), R4 (0.8, 1): ranks (3,2,1) vs (2,3,1): spearman 0.5.
  EXPECT_EQ(r.correlations[1].column, "potential");
  EXPECT_NEAR(r.correlations[1].spearman, 0.5, 1e-12);
  EXPECT_EQ(r.notes, (std::vector<std::string>{
                         "sizes column 'region' is not numeric (row 1 holds 'EU'); it is left out "
                         "of the correlations",
                         "sizes column 'potential': 1 values are not numbers (row 5 holds 'x'); "
                         "those reps are left out of its correlation only"}));
}

TEST(FairnessRejects, EveryReason) {
  // quotas: Q1 fine; Q2 twice; Q3 quota 0; Q4 no actuals; Q5 fine but its actuals row is
  // duplicated; a row without an id. actuals: A1 has no quota; Q3 matches a rejected quota.
  io::Table quotas = two_columns("quota", {"Q1", "Q2", "Q2", "Q3", "Q4", "Q5", ""},
                                 {100, 100, 200, 0, 100, 100, 100});
  io::Table actuals = two_columns("sales", {"Q1", "Q2", "Q3", "Q5", "Q5", "A1"},
                                  {90, 100, 100, 1, 2, 50});
  io::Table sizes;
  sizes.add(io::Column::of("rep_id", std::vector<std::string>{"Q1", "ZZ"}));
  sizes.add(io::Column::of("accounts", std::vector<std::int64_t>{1, 2}));
  io::Table forecast;
  forecast.add(io::Column::of("rep_id", std::vector<std::string>{"Q1", "ZZ"}));
  forecast.add(io::Column::of("expected_sales", std::vector<Decimal>{100, 100}));
  forecast.add(io::Column::of("volatility", std::vector<Decimal>{-1, 5}));
  const auto r = fairness({&quotas, &actuals, &sizes, &forecast});
  EXPECT_EQ(r.reps, 1u);  // Q1 only
  const std::vector<std::vector<std::string>> expected = {
      {"quotas", "2", "Q2", "rep_id Q2 appears 2 times in quotas; give one row per rep"},
      {"quotas", "3", "Q2", "rep_id Q2 appears 2 times in quotas; give one row per rep"},
      {"quotas", "4", "Q3", "quota 0 is not above zero; attainment needs a positive quota"},
      {"quotas", "7", "", "rep_id is missing; give the rep's id"},
      {"actuals", "4", "Q5", "rep_id Q5 appears 2 times in actuals; give one row per rep"},
      {"actuals", "5", "Q5", "rep_id Q5 appears 2 times in actuals; give one row per rep"},
      {"quotas", "5", "Q4", "rep Q4 has no actuals row; add its sales (0 if none)"},
      {"quotas", "6", "Q5", "the rep's actuals row was rejected"},
      {"actuals", "6", "A1", "rep A1 has no quotas row; add its quota"},
      {"actuals", "2", "Q2", "the rep's quotas row was rejected"},
      {"actuals", "3", "Q3", "the rep's quotas row was rejected"},
      {"sizes", "2", "ZZ", "rep ZZ is not among the reps with a usable quota and actuals row"},
      {"forecast", "1", "Q1",
       "volatility -1 is negative; give a standard deviation of 0 or more"},
      {"forecast", "2", "ZZ", "rep ZZ is not among the reps with a usable quota and actuals row"},
  };
  ASSERT_EQ(r.rejects.num_rows(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    for (std::size_t c = 0; c < 4; ++c) {
      EXPECT_EQ(r.rejects.columns()[c].text(i), expected[i][c])
          << "reject " << i << " column " << r.rejects.columns()[c].name();
    }
  }
  // Q1's forecast row was rejected, so its probability is null.
  EXPECT_TRUE(r.reps_table.column("probability_of_attaining").is_null(0));
}

TEST(FairnessRejects, MissingTablesAndColumnsThrow) {
  Book b;
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)fairness({nullptr, &b.actuals, nullptr, nullptr}); }, "quota.fairness",
      "[quota.fairness] quotas: the quotas table is required (rep_id, quota)"));
  const io::Table wrong = two_columns("amount", {"R1"}, {1});
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)fairness({&b.quotas, &wrong, nullptr, nullptr}); }, "quota.column",
      "[quota.column] actuals.sales: the actuals table has no column 'sales'; add it (type "
      "decimal)"));
}

TEST(FairnessProperties, ScalingQuotasKeepsCorrelationsAndRowOrderChangesNothing) {
  // Doubling every quota halves every attainment: percentiles halve, correlations (invariant
  // under positive scaling) stay the same, and nobody attains 100% any more (max 2 -> 1, R5
  // exactly at quota so still attains; the share becomes 1/5).
  Book b;
  const auto base = fairness(b.inputs());
  Book doubled;
  for (auto& q : doubled.quotas.columns()[1].values<Decimal>()) q = q * Decimal(2);
  const auto r = fairness(doubled.inputs());
  EXPECT_NEAR(r.p90, base.p90 / 2, 1e-12);
  EXPECT_NEAR(r.mean, base.mean / 2, 1e-12);
  EXPECT_DOUBLE_EQ(r.share_attaining, 0.2);
  EXPECT_NEAR(r.correlations[0].pearson, base.correlations[0].pearson, 1e-12);
  EXPECT_EQ(r.correlations[0].spearman, base.correlations[0].spearman);

  // Reversing every input table's rows gives the same report.
  Book reversed;
  for (io::Table* t : {&reversed.quotas, &reversed.actuals, &reversed.sizes, &reversed.forecast}) {
    for (auto& c : t->columns()) {
      std::visit([](auto& v) {
        if constexpr (requires { v.rbegin(); }) std::reverse(v.begin(), v.end());
      }, c.data());
    }
  }
  const auto again = fairness(reversed.inputs());
  EXPECT_EQ(again.p10, base.p10);
  EXPECT_EQ(again.p90, base.p90);
  EXPECT_EQ(again.correlations[0].pearson, base.correlations[0].pearson);
  EXPECT_EQ(again.correlations[0].spearman, base.correlations[0].spearman);
  for (const auto& name : {"rep_id", "quota", "sales", "attainment_percent",
                           "probability_of_attaining"}) {
    for (std::size_t i = 0; i < 5; ++i) {
      EXPECT_EQ(again.reps_table.column(name).text(i), base.reps_table.column(name).text(i))
          << name << " row " << i;
    }
  }
}

}  // namespace
}  // namespace spm::quota
