// Plan versions: effective-dated versions of one plan run as one, a version change inside a pay
// period splits it by days.
#include <gtest/gtest.h>

#include "comp_test_support.hpp"
#include "support/throws_error.hpp"

namespace spm::comp::test {
namespace {

// Attainment tiers: below 100% of quota at `low`%, above at `high`%.
Plan version(int number, std::string_view from, std::string_view to, std::string_view low,
             std::string_view high) {
  return parse_plan(R"({"id": "t", "version": )" + std::to_string(number) +
                    R"(, "effective": {"from": ")" + std::string(from) + R"(", "to": ")" +
                    std::string(to) + R"("}, "measures": [{"id": "bookings"}],
      "components": [{"id": "c", "measure": "bookings", "mode": "marginal",
        "tiers": [{"from": "0", "to": "100", "rate": ")" + std::string(low) +
                    R"("}, {"from": "100", "rate": ")" + std::string(high) + R"("}]}]})");
}

CompResult run_versions(const std::vector<Plan>& versions, std::string_view tx,
                        std::string_view quotas, std::string_view period) {
  const io::Table t = table(tx);
  const io::Table q = table(quotas);
  CompInputs in;
  in.transactions = &t;
  in.quotas = &q;
  return run(versions, in, parse_run_range(period, versions.front()));
}

constexpr std::string_view quotas = "payee_id,period_start,quota\nA,2026-01-01,9000\n";

// Version 1 (10% / 20%) to 2026-02-15, version 2 (5% / 10%) from then; one deal in each.
std::vector<Plan> split_feb15() {
  return {version(1, "2026-01-01", "2026-02-15", "10", "20"),
          version(2, "2026-02-15", "2027-01-01", "5", "10")};
}
constexpr std::string_view deal_each = R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,5000
T2,A,2026-03-01,1000
)";

// Q1 2026 has 90 days; version 2 starts on 2026-02-15, day 46: version 1 has 45 days of the
// quarter, version 2 the other 45, so each computes against 9000 x 45/90 = 4500.
TEST(PlanVersions, AChangeInsideAPayPeriodSplitsItByDays) {
  const auto r = run_versions(split_feb15(), deal_each, quotas, "2026-Q1");
  EXPECT_EQ(r.rejects.num_rows(), 0u) << dump(r);
  // Version 1: 4500 x 10% + 500 x 20% = 550. Version 2: 1000 x 5% = 50 (22.2% of 4500).
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("600"));
  ASSERT_EQ(r.statements.num_rows(), 3u) << dump(r);  // c (v1), c (v2), TOTAL
  EXPECT_EQ(r.statements.values<Decimal>("quota")[0], dec("4500"));
  EXPECT_EQ(r.statements.values<Decimal>("quota")[1], dec("4500"));
  EXPECT_EQ(r.statements.values<Decimal>("payout")[0], dec("550"));
  EXPECT_EQ(r.statements.values<Decimal>("payout")[1], dec("50"));
  EXPECT_EQ(r.statements.values<std::int64_t>("plan_version")[0], 1);
  EXPECT_EQ(r.statements.values<std::int64_t>("plan_version")[1], 2);
  EXPECT_TRUE(r.statements.column("plan_version").is_null(2));
  EXPECT_EQ(lines(r, "A", "2026-Q1"),
            (std::vector<std::string>{"tier T1 1 4500 10 450.00", "tier T1 2 500 20 100.00",
                                      "tier T2 1 1000 5 50.00"}));
  // Numbered across versions, each line with its version.
  EXPECT_EQ(r.lines.values<std::int64_t>("line"), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(r.lines.values<std::int64_t>("plan_version"), (std::vector<std::int64_t>{1, 1, 2}));
  Decimal sum;
  for (const auto& a : r.lines.values<Decimal>("amount")) sum += a;
  EXPECT_EQ(sum, dec("600"));  // the lines add up to the TOTAL
}

TEST(PlanVersions, OneVersionIsTheSameAsThePlan) {
  const std::vector<Plan> v{version(1, "2026-01-01", "2027-01-01", "10", "20")};
  const std::string_view tx = "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,5000\n";
  const auto a = run_versions(v, tx, quotas, "2026-Q1");
  const auto b = run_text(v.front(), tx, quotas, "2026-Q1");
  EXPECT_EQ(csv(a.statements), csv(b.statements));
  EXPECT_EQ(csv(a.lines), csv(b.lines));
}

TEST(PlanVersions, TransactionsOutsideEveryVersionAreRejectedOnce) {
  const std::vector<Plan> v{version(1, "2026-01-01", "2026-02-01", "10", "20"),
                            version(2, "2026-03-01", "2027-01-01", "5", "10")};
  const auto r = run_versions(v, R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,100
T2,A,2026-02-10,100
)",
                              quotas, "2026-Q1");
  EXPECT_EQ(rejects(r), std::vector<std::string>{
                            "transactions 2 T2 A  | dated 2026-02-10, outside the effective dates "
                            "of every version of the plan: [2026-01-01, 2026-02-01), "
                            "[2026-03-01, 2027-01-01)"});
}

TEST(PlanVersions, OverlappingOrMismatchedVersionsAreRefused) {
  const io::Table t = table("transaction_id,payee_id,date,amount\n");
  const io::Table q = table(quotas);
  CompInputs in;
  in.transactions = &t;
  in.quotas = &q;
  const Period q1{Date(2026, 1, 1), Date(2026, 4, 1)};
  const std::vector<Plan> overlap{version(1, "2026-01-01", "2026-03-01", "10", "20"),
                                  version(2, "2026-02-15", "2027-01-01", "5", "10")};
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>([&] { (void)run(overlap, in, q1); }, "plan.versions",
                           "[plan.versions] t version 2: it starts on 2026-02-15, before version 1 ends on "
                           "2026-03-01; versions of one plan share id, currency, pay period and "
                           "fiscal year start, and follow one another without overlap"));
  const std::vector<Plan> same_number{version(1, "2026-01-01", "2026-02-01", "10", "20"),
                                      version(1, "2026-02-01", "2027-01-01", "5", "10")};
  EXPECT_TRUE(spm::test::throws_error<InvalidInputError>([&] { (void)run(same_number, in, q1); }, "plan.versions",
                           "[plan.versions] t version 1: two versions have this number; versions of one "
                           "plan share id, currency, pay period and fiscal year start, and follow "
                           "one another without overlap"));
}

// A run whose range meets no version's dates computes nothing: said in the notes, not silent.
// The versions' notes (a filter matching nothing) come once.
TEST(PlanVersions, NotesOfTheVersionsAndARangeOutsideThemAll) {
  const std::vector<Plan> v = split_feb15();
  const std::string_view tx = "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,5000\n";
  const auto outside = run_versions(v, tx, quotas, "2030");
  EXPECT_EQ(outside.statements.num_rows(), 0u);
  ASSERT_EQ(outside.notes.size(), 1u);
  EXPECT_EQ(outside.notes[0],
            "the run's periods [2030-01-01, 2031-01-01) are outside the plan's effective dates "
            "[2026-01-01, 2026-02-15), [2026-02-15, 2027-01-01), so nothing was computed; check "
            "the period asked for");
  EXPECT_TRUE(run_versions(v, tx, quotas, "2026-Q1").notes.empty());
  const auto one = run_text(v.front(), tx, quotas, "2025");
  ASSERT_EQ(one.notes.size(), 1u);
  EXPECT_NE(one.notes[0].find("outside the plan's effective dates [2026-01-01, 2026-02-15)"),
            std::string::npos);
  // A filter that matches nothing, in both versions: one note.
  std::vector<Plan> filtered;
  for (int k = 1; k <= 2; ++k) {
    filtered.push_back(parse_plan(R"({"id": "t", "version": )" + std::to_string(k) +
                                  R"(, "effective": {"from": ")" +
                                  (k == 1 ? "2026-01-01" : "2026-02-15") + R"(", "to": ")" +
                                  (k == 1 ? "2026-02-15" : "2027-01-01") + R"("},
        "measures": [{"id": "bookings", "filter": {"type": "x"}}],
        "components": [{"id": "c", "measure": "bookings", "tiers": [{"from": "0", "rate": "1"}]}]})"));
  }
  const auto noted = run_versions(
      filtered, "transaction_id,payee_id,date,amount,type\nT1,A,2026-01-10,5000,y\n", quotas,
      "2026-Q1");
  ASSERT_EQ(noted.notes.size(), 1u);
  EXPECT_NE(noted.notes[0].find("measure 'bookings'"), std::string::npos) << noted.notes[0];
}

// explain on a run over versions: each version's block names its version and lists its own
// lines, which add up to its earnings.
TEST(PlanVersions, ExplainShowsEachVersionsOwnLines) {
  const auto r = run_versions(split_feb15(), deal_each, quotas, "2026-Q1");
  EXPECT_EQ(explain(r, "A", "2026-Q1"),
            "Statement for A, 2026-Q1 [2026-01-01, 2026-04-01)\n"
            "\n"
            "c (plan version 1): bookings = 5000, quota 4500, attainment 111.1111%\n"
            "  1. tier T1 (2026-01-10) tier 1: 4500 x 10% = 450.00\n"
            "  2. tier T1 (2026-01-10) tier 2: 500 x 20% = 100.00\n"
            "  earnings 550.00, paid before 0.00, payout 550.00\n"
            "\n"
            "c (plan version 2): bookings = 1000, quota 4500, attainment 22.2222%\n"
            "  3. tier T2 (2026-03-01) tier 1: 1000 x 5% = 50.00\n"
            "  earnings 50.00, paid before 0.00, payout 50.00\n"
            "\n"
            "TOTAL payout 600.00\n");
}

}  // namespace
}  // namespace spm::comp::test
