// Rate tables: every tier mode under every processing mode, the boundary rule and rate units.
// Hand computations are in the comments of each row; lines read "kind tx tier base rate amount".
#include <gtest/gtest.h>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

// One payee, quota 100000 for 2026-Q1; 60000 + 30000 + 30000 = 120000 (120% attainment).
constexpr std::string_view three_deals = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,60000
T2,A,2026-02-10,30000
T3,A,2026-03-05,30000
)";
constexpr std::string_view quota_100k = "payee_id,period_start,quota\nA,2026-01-01,100000\n";

// Attainment tiers (in percent of quota) and amount tiers (in currency) used below.
constexpr std::string_view steps_8_12_15 =
    R"([{"from": "0", "to": "100", "rate": "8"}, {"from": "100", "to": "150", "rate": "12"},
        {"from": "150", "rate": "15"}])";
constexpr std::string_view interp_4_8_10_15 =
    R"([{"from": "0", "to": "100", "rate": "4", "rate_to": "8"},
        {"from": "100", "to": "150", "rate": "10"}, {"from": "150", "rate": "15"}])";
constexpr std::string_view flat_10 = R"([{"from": "0", "rate": "10"}])";
constexpr std::string_view amount_8_12 =
    R"([{"from": "0", "to": "50000", "rate": "8"}, {"from": "50000", "rate": "12"}])";
constexpr std::string_view amount_interp_6_10 =
    R"([{"from": "0", "to": "50000", "rate": "6"}, {"from": "50000", "rate": "10"}])";

struct Case {
  const char* mode;
  const char* processing;
  const char* basis;
  std::string_view tiers;
  std::vector<std::string> lines;
  const char* payout;
};

std::string component(const Case& c) {
  return std::string(R"("measures": [{"id": "bookings"}], "components": [{"id": "commission", )") +
         R"("measure": "bookings", "mode": ")" + c.mode + R"(", "processing": ")" + c.processing +
         R"(", "basis": ")" + c.basis + R"(", "tiers": )" + std::string(c.tiers) + "}]";
}

TEST(Tiers, EveryModeUnderEveryProcessing) {
  const std::vector<Case> cases = {
      // marginal, running total: T1 60000 x 8% = 4800; T2 30000 x 8% = 2400 (cum 90000);
      // T3 10000 x 8% = 800 + 20000 x 12% = 2400; total 10400.
      {"marginal", "running_total", "attainment_percent", steps_8_12_15,
       {"tier T1 1 60000 8 4800.00", "tier T2 1 30000 8 2400.00", "tier T3 1 10000 8 800.00",
        "tier T3 2 20000 12 2400.00"},
       "10400.00"},
      // marginal, grouped: 100000 x 8% + 20000 x 12% = 8000 + 2400 = 10400.
      {"marginal", "grouped", "attainment_percent", steps_8_12_15,
       {"tier  1 100000 8 8000.00", "tier  2 20000 12 2400.00"}, "10400.00"},
      // marginal, per transaction (amount tiers 50000): T1 50000 x 8% + 10000 x 12% = 4000 + 1200;
      // T2 30000 x 8% = 2400; T3 2400; total 10000.
      {"marginal", "per_transaction", "amount", amount_8_12,
       {"tier T1 1 50000 8 4000.00", "tier T1 2 10000 12 1200.00", "tier T2 1 30000 8 2400.00",
        "tier T3 1 30000 8 2400.00"},
       "10000.00"},
      // retroactive, running total: T1 60000 x 8% = 4800; T2 30000 x 8% = 2400; T3 reaches 120%:
      // 30000 x 12% = 3600 + uplift 90000 x (12 - 8)% = 3600; total 120000 x 12% = 14400.
      {"retroactive", "running_total", "attainment_percent", steps_8_12_15,
       {"tier T1 1 60000 8 4800.00", "tier T2 1 30000 8 2400.00", "tier T3 2 30000 12 3600.00",
        "retro T3 2 90000 4 3600.00"},
       "14400.00"},
      // retroactive, grouped: 120000 x 12% = 14400.
      {"retroactive", "grouped", "attainment_percent", steps_8_12_15,
       {"tier  2 120000 12 14400.00"}, "14400.00"},
      // retroactive, per transaction: T1 60000 >= 50000: 60000 x 12% = 7200; T2, T3 30000 x 8% =
      // 2400 each; total 12000.
      {"retroactive", "per_transaction", "amount", amount_8_12,
       {"tier T1 2 60000 12 7200.00", "tier T2 1 30000 8 2400.00", "tier T3 1 30000 8 2400.00"},
       "12000.00"},
      // interpolated, running total (4% -> 8% over 0-100%, 10% -> 15% over 100-150%):
      // 60%: 4 + 4 x 0.6 = 6.4%, F = 60000 x 6.4% = 3840.
      // 90%: 4 + 4 x 0.9 = 7.6%, F = 6840: 30000 x 7.6% = 2280 + 60000 x 1.2% = 720.
      // 120%: 10 + 5 x 20/50 = 12%, F = 14400: 30000 x 12% = 3600 + 90000 x 4.4% = 3960.
      {"interpolated", "running_total", "attainment_percent", interp_4_8_10_15,
       {"tier T1 1 60000 6.4 3840.00", "tier T2 1 30000 7.6 2280.00",
        "retro T2 1 60000 1.2 720.00", "tier T3 2 30000 12 3600.00",
        "retro T3 2 90000 4.4 3960.00"},
       "14400.00"},
      // interpolated, grouped: 120000 x 12% = 14400.
      {"interpolated", "grouped", "attainment_percent", interp_4_8_10_15,
       {"tier  2 120000 12 14400.00"}, "14400.00"},
      // interpolated, per transaction (6% -> 10% over 0-50000, then 10%): T1 60000 x 10% = 6000;
      // T2: 6 + 4 x 30000/50000 = 8.4%, 30000 x 8.4% = 2520; T3 2520; total 11040.
      {"interpolated", "per_transaction", "amount", amount_interp_6_10,
       {"tier T1 2 60000 10 6000.00", "tier T2 1 30000 8.4 2520.00",
        "tier T3 1 30000 8.4 2520.00"},
       "11040.00"},
      // flat: 10% of everything, 6000 + 3000 + 3000 = 12000, whatever the processing.
      {"flat", "running_total", "attainment_percent", flat_10,
       {"tier T1 1 60000 10 6000.00", "tier T2 1 30000 10 3000.00", "tier T3 1 30000 10 3000.00"},
       "12000.00"},
      {"flat", "grouped", "attainment_percent", flat_10, {"tier  1 120000 10 12000.00"},
       "12000.00"},
      {"flat", "per_transaction", "amount", flat_10,
       {"tier T1 1 60000 10 6000.00", "tier T2 1 30000 10 3000.00", "tier T3 1 30000 10 3000.00"},
       "12000.00"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.mode) + " / " + c.processing + " / " + c.basis);
    const auto r = run_text(plan(component(c)), three_deals, quota_100k, "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"), c.lines) << dump(r);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec(c.payout));
    EXPECT_TRUE(lines_sum_to_payouts(r));
  }
}

// A value exactly on a boundary belongs to the upper tier unless "boundary": "lower".
TEST(Tiers, BoundaryBelongsToTheUpperTierByDefault) {
  constexpr std::string_view tx = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-15,60000
T2,A,2026-02-10,40000
)";
  struct Row {
    const char* mode;
    const char* processing;
    const char* boundary;  // "" = default
    std::vector<std::string> lines;
    const char* payout;
  };
  const std::vector<Row> rows = {
      // Exactly 100%: upper tier, 100000 x 12% = 12000 (T2: 40000 x 12% + 60000 x 4% uplift).
      {"retroactive", "running_total", "",
       {"tier T1 1 60000 8 4800.00", "tier T2 2 40000 12 4800.00", "retro T2 2 60000 4 2400.00"},
       "12000.00"},
      {"retroactive", "running_total", R"("boundary": "upper", )",
       {"tier T1 1 60000 8 4800.00", "tier T2 2 40000 12 4800.00", "retro T2 2 60000 4 2400.00"},
       "12000.00"},
      // Lower: exactly 100% stays in tier 1, 100000 x 8% = 8000.
      {"retroactive", "running_total", R"("boundary": "lower", )",
       {"tier T1 1 60000 8 4800.00", "tier T2 1 40000 8 3200.00"}, "8000.00"},
      {"retroactive", "grouped", "", {"tier  2 100000 12 12000.00"}, "12000.00"},
      {"retroactive", "grouped", R"("boundary": "lower", )", {"tier  1 100000 8 8000.00"},
       "8000.00"},
      // Marginal tables are continuous: 100000 x 8% = 8000 whichever tier owns the boundary.
      {"marginal", "grouped", "", {"tier  1 100000 8 8000.00"}, "8000.00"},
      {"marginal", "grouped", R"("boundary": "lower", )", {"tier  1 100000 8 8000.00"},
       "8000.00"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(std::string(row.mode) + " / " + row.processing + " / " + row.boundary);
    const auto p = plan(std::string(R"("measures": [{"id": "bookings"}], "components": [{)") +
                        R"("id": "commission", "measure": "bookings", )" + row.boundary +
                        R"("mode": ")" + row.mode + R"(", "processing": ")" + row.processing +
                        R"(", "tiers": )" + std::string(steps_8_12_15) + "}]");
    const auto r = run_text(p, tx, quota_100k, "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"), row.lines) << dump(r);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec(row.payout));
  }
}

// Amount tiers and per-transaction processing: a deal of exactly 50000 is in the upper tier.
TEST(Tiers, BoundaryOnAmountTiersPerTransaction) {
  constexpr std::string_view tx = "transaction_id,payee_id,date,amount\nT1,A,2026-01-15,50000\n";
  for (const auto& [boundary, expected] :
       {std::pair{"", "6000.00"},  // 50000 x 12% = 6000
        std::pair{R"("boundary": "lower", )", "4000.00"}}) {  // 50000 x 8% = 4000
    const auto p = plan(std::string(R"("measures": [{"id": "bookings"}], "components": [{)") +
                        R"("id": "c", "measure": "bookings", "basis": "amount", )" + boundary +
                        R"("mode": "retroactive", "processing": "per_transaction", "tiers": )" +
                        std::string(amount_8_12) + "}]");
    const auto r = run_text(p, tx, quota_100k, "2026-Q1");
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec(expected)) << boundary << dump(r);
  }
}

// A bounded last tier is a limit in every mode: measure above its bound earns nothing more.
// Quota 100000, bookings 200000 (200%), tiers up to 150%.
TEST(Tiers, BoundedLastTierLimitsEveryMode) {
  struct Row {
    const char* mode;
    const char* tiers;
    std::vector<std::string> lines;
    const char* payout;
  };
  const std::vector<Row> rows = {
      // 100000 x 8% + 50000 x 12% = 8000 + 6000 = 14000; the 50000 above 150% earns nothing.
      {"marginal",
       R"([{"from": "0", "to": "100", "rate": "8"}, {"from": "100", "to": "150", "rate": "12"}])",
       {"tier  1 100000 8 8000.00", "tier  2 50000 12 6000.00"}, "14000.00"},
      // Counted as 150%: 150000 x 12% = 18000 (not 200000 x 12% = 24000).
      {"retroactive",
       R"([{"from": "0", "to": "100", "rate": "8"}, {"from": "100", "to": "150", "rate": "12"}])",
       {"tier  2 150000 12 18000.00"}, "18000.00"},
      // Interpolated 10% -> 15% over 100-150%: 150000 x 15% = 22500.
      {"interpolated",
       R"([{"from": "0", "to": "100", "rate": "4", "rate_to": "8"},
           {"from": "100", "to": "150", "rate": "10", "rate_to": "15"}])",
       {"tier  2 150000 15 22500.00"}, "22500.00"},
      // 150000 x 10% = 15000.
      {"flat", R"([{"from": "0", "to": "150", "rate": "10"}])", {"tier  1 150000 10 15000.00"},
       "15000.00"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.mode);
    const auto p = plan(std::string(R"("measures": [{"id": "bookings"}], "components": [{)") +
                        R"("id": "c", "measure": "bookings", "processing": "grouped", "mode": ")" +
                        row.mode + R"(", "tiers": )" + row.tiers + "}]");
    const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-15,200000\n",
                            quota_100k, "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"), row.lines) << dump(r);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec(row.payout));
  }
}

// Rate units: percent of the amount, currency per unit of a summed column, currency per deal.
TEST(Tiers, RateUnits) {
  // per_unit: the measure sums the "units" column; 6 + 6 seats against amount tiers [0, 10) at
  // 50 per seat and [10, ...) at 80: T1 6 x 50 = 300; T2 4 x 50 + 2 x 80 = 200 + 160 = 360.
  {
    const auto p = plan(R"("measures": [{"id": "seats", "sum": "units"}],
        "components": [{"id": "per_seat", "measure": "seats", "basis": "amount",
          "rate_unit": "per_unit", "tiers": [{"from": "0", "to": "10", "rate": "50"},
                                              {"from": "10", "rate": "80"}]}])");
    const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,units
T1,A,2026-01-15,1000,6
T2,A,2026-02-10,99999,6
)",
                            quota_100k, "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"),
              (std::vector<std::string>{"tier T1 1 6 50 300.00", "tier T2 1 4 50 200.00",
                                        "tier T2 2 2 80 160.00"}))
        << dump(r);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("660"));
    EXPECT_EQ(statement(r, "A", "2026-Q1", "per_seat", "measure_value"), dec("12"));
  }
  // per_deal: a count measure; deals [0, 2) at 100 each, from the 3rd deal on 150 each (the 3rd
  // deal takes the count from 2 to 3, in the upper tier): 100 + 100 + 150 + 150 = 500.
  {
    const auto p = plan(R"("measures": [{"id": "deals", "count": true}],
        "components": [{"id": "per_deal", "measure": "deals", "basis": "amount",
          "rate_unit": "per_deal", "tiers": [{"from": "0", "to": "2", "rate": "100"},
                                              {"from": "2", "rate": "150"}]}])");
    const auto r = run_text(p, R"(transaction_id,payee_id,date,amount
D1,A,2026-01-15,10
D2,A,2026-01-16,20000
D3,A,2026-02-10,5
D4,A,2026-03-01,700
)",
                            quota_100k, "2026-Q1");
    EXPECT_EQ(lines(r, "A", "2026-Q1"),
              (std::vector<std::string>{"tier D1 1 1 100 100.00", "tier D2 1 1 100 100.00",
                                        "tier D3 2 1 150 150.00", "tier D4 2 1 150 150.00"}))
        << dump(r);
    EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("500"));
  }
}

}  // namespace
}  // namespace spm::comp::test
