// Units from a table: good rows become units, bad rows rejects with reasons; numbers of any type.
#include <gtest/gtest.h>

#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>
#include <spm/territory/units_table.hpp>

#include "support/throws_error.hpp"

namespace {

using spm::territory::units_from_table;

TEST(UnitsTable, GoodRowsAndRejects) {
  const auto r = spm::io::parse_csv(
      "id,x,y,accounts,potential\na,0,0,1,200\nb,1,,2,100\nc,2,0,-1,5\na,3,0,1,1\nd,4,0,3,\ne,5,1e13,1,1\n",
      std::vector<spm::io::ColumnSpec>{{"id"},
                                       {"x", spm::io::ColumnType::float64, true},
                                       {"y", spm::io::ColumnType::float64, true},
                                       {"accounts", spm::io::ColumnType::integer, true},
                                       {"potential", spm::io::ColumnType::decimal, true}},
      {});
  ASSERT_TRUE(r.rejects.empty());
  const auto u = units_from_table(r.table, {"id", "x", "y", {"accounts", "potential"}, false});
  EXPECT_EQ(u.units.id, (std::vector<std::string>{"a"}));
  EXPECT_EQ(u.rows, (std::vector<std::size_t>{0}));
  EXPECT_EQ(u.units.activity[1], (std::vector<double>{200}));
  const auto& rj = u.rejects;
  ASSERT_EQ(rj.num_rows(), 5u);
  EXPECT_EQ(rj.values<std::int64_t>("row"), (std::vector<std::int64_t>{2, 3, 4, 5, 6}));
  EXPECT_EQ(rj.strings("reason")[0], "no coordinates: fill in x and y");
  EXPECT_EQ(rj.strings("reason")[1], "accounts is -1: activity must be a finite number >= 0");
  EXPECT_EQ(rj.strings("reason")[2], "the id repeats row 1; keep one row per unit");
  EXPECT_EQ(rj.strings("reason")[3], "no potential: give a number >= 0");
  EXPECT_EQ(rj.strings("reason")[4],
            "a coordinate beyond 1e12 would overflow distances; check its units");
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)units_from_table(r.table, {"id", "x", "y", {"visits"}, false}); },
      "territory.column",
      "[territory.column] visits: the units table has no column 'visits'; it has: id, x, y, "
      "accounts, potential"));
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [&] { (void)units_from_table(r.table, {"id", "x", "id", {"accounts"}, false}); },
      "territory.column",
      "[territory.column] id: column holds string values; give numbers (float64, integer or "
      "decimal)"));
}

// Measures by default: columns of numbers; every other column is listed with why (a revenue
// written with thousands separators is text, and was once left out without a word).
TEST(UnitsTable, DefaultMeasuresListTheColumnsLeftOut) {
  spm::io::CsvReadOptions o;
  o.line_column = "_line";
  const auto t = spm::io::parse_csv("id,x,y,accounts,revenue,region,blank,zip\n"
                                    "a,0,0,1,\"27,167.98\",north,,10001\n"
                                    "b,1,0,2,999.5,south,,10002\n"
                                    "c,2,0,3,\"1,000\",south,,10003\n",
                                    std::vector<spm::io::ColumnSpec>{}, o)
                     .table;
  const auto d = spm::territory::default_measures(t, {"id", "x", "y"});
  EXPECT_EQ(d.measures, (std::vector<std::string>{"accounts", "zip"}));
  ASSERT_EQ(d.skipped.size(), 3U);
  EXPECT_EQ(d.skipped[0].name, "revenue");
  EXPECT_EQ(d.skipped[0].reason,
            "not numeric: 2 of its 3 values are not numbers (row 2 holds '27,167.98'), with "
            "thousands separators: write 27167.98");
  EXPECT_EQ(d.skipped[1].reason, "not numeric: 3 of its 3 values are not numbers (row 2 holds 'north')");
  EXPECT_EQ(d.skipped[2].name, "blank");
  EXPECT_EQ(d.skipped[2].reason, "empty: no value in any row");
}

}  // namespace
