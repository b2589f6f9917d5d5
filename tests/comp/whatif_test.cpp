// What-if: variants over the same credited history; the baseline agrees with full runs.
#include <spm/comp/whatif.hpp>

#include "comp_test_support.hpp"
#include "random_book.hpp"

namespace spm::comp::test {
namespace {

struct Data {
  io::Table tx, quotas, credits, scores;
  CompInputs in() const {
    CompInputs i;
    i.transactions = &tx;
    i.quotas = &quotas;
    i.credits = &credits;
    i.scores = &scores;
    return i;
  }
};

Data data(const Book& b) { return {table(b.transactions), table(b.quotas), table(b.credits), table(b.scores)}; }

// Total payout per payee of a full run.
std::map<std::string, Decimal> run_totals(const CompResult& r) {
  std::map<std::string, Decimal> out;
  for (std::size_t i = 0; i < r.statements.num_rows(); ++i) {
    if (r.statements.strings("component")[i] == "TOTAL") {
      out[std::string(r.statements.strings("payee_id")[i])] += r.statements.values<Decimal>("payout")[i];
    }
  }
  return out;
}

std::map<std::string, Decimal> whatif_totals(const WhatIfResult& w, std::string_view variant) {
  std::map<std::string, Decimal> out;
  for (std::size_t i = 0; i < w.payees.num_rows(); ++i) {
    if (w.payees.strings("variant")[i] == variant) {
      out[std::string(w.payees.strings("payee_id")[i])] = w.payees.values<Decimal>("payout")[i];
    }
  }
  return out;
}

const char* rich = R"("measures": [{"id": "bookings", "filter": {"type": "booking"}}, {"id": "all"}],
  "components": [
    {"id": "commission", "measure": "bookings", "mode": "marginal",
     "tiers": [{"from": "0", "to": "100", "rate": "5"}, {"from": "100", "rate": "9"}],
     "limits": {"cap_per_period": "60000", "cap_per_year": "150000"},
     "gates": [{"measure": "bookings", "min_attainment_percent": "25", "effect": "no_accelerator"}],
     "multipliers": [{"id": "mbo", "score": "mbo", "table": [{"from": "0", "to": "3", "factor": "0.9"}, {"from": "3", "factor": "1.1"}]}]},
    {"id": "volume", "measure": "all", "basis": "amount", "processing": "grouped", "mode": "retroactive",
     "tiers": [{"from": "0", "to": "500000", "rate": "0.5"}, {"from": "500000", "rate": "1"}]},
    {"id": "spif", "type": "spif", "amount": "250", "filter": {"product": "ENT"}},
    {"id": "steps", "type": "step_bonus", "measure": "bookings", "steps": [{"attainment_percent": "100", "amount": "1000"}]}])";

TEST(WhatIf, BaselineEqualsFullRunsWhenLinesAreNotRounded) {
  const Book b = random_book(7, {.payees = 30, .transactions = 900});
  const Data d = data(b);
  const auto p = plan(rich, R"("true_up": "year_to_date", "rounding": {"point": "payout"})");
  const auto range = parse_run_range("2026-04..2026-12", p);
  const auto full = run(p, d.in(), range);
  const auto w = what_if(p, {}, d.in(), range);
  EXPECT_EQ(whatif_totals(w, "baseline"), run_totals(full));
  EXPECT_EQ(w.summary.num_rows(), 1U);
  // Dictionary-encoded string columns give the same what-if.
  const Data e{dictionary_encoded(d.tx), dictionary_encoded(d.quotas),
               dictionary_encoded(d.credits), dictionary_encoded(d.scores)};
  EXPECT_EQ(csv(what_if(p, {}, e.in(), range).payees), csv(w.payees));
}

// A variant with a yearly cap computes the year from January although the baseline (no cap, no
// true-up) computes Q2 only: the earlier transactions are kept for it, so the exact variant
// equals a full run of the variant plan.
// A SPIF on a split is allocated over the split in a run (33.33 + 33.33 + 33.34): the default
// what-if, which collapses credits, keeps such credits alone to pay the same.
TEST(WhatIf, SplitSpifsAsInARun) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [
      {"id": "c", "measure": "bookings", "basis": "amount", "processing": "grouped",
       "tiers": [{"from": "0", "rate": "10"}]},
      {"id": "s", "type": "spif", "amount": "100.004"}])");
  Data d{table("transaction_id,payee_id,date,amount\nT1,A,2026-01-10,9\nT2,A,2026-02-10,5\n"),
         table("payee_id,period_start,quota\n"),
         table("transaction_id,payee_id,percent\nT1,A,33.333\nT1,B,33.333\nT1,C,33.334\n"),
         table("payee_id,period_start,score,value\n")};
  const auto range = parse_run_range("2026-Q1", p);
  const auto full = run(p, d.in(), range);
  // 100.004 pays 100.00 as a whole credit's line does; its thirds add up to it.
  EXPECT_EQ(run_totals(full), (std::map<std::string, Decimal>{{"A", dec("134.13")}, {"B", dec("33.63")},
                                                              {"C", dec("33.64")}}));
  EXPECT_EQ(whatif_totals(what_if(p, {}, d.in(), range), "baseline"), run_totals(full));
  EXPECT_EQ(whatif_totals(what_if(p, {}, d.in(), range, {}, true), "baseline"), run_totals(full));
}

TEST(WhatIf, VariantComputingFromEarlierKeepsEarlierTransactions) {
  const auto base = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "tiers": [{"from": "0", "rate": "10"}]}])");
  auto capped = base;
  capped.components[0].limits.cap_per_year = dec("150");
  const io::Table tx = table("transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1000\n"
                             "T2,A,2026-04-10,1000\n");
  const io::Table q = table("payee_id,period_start,quota\n");
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &q;
  const auto range = parse_run_range("2026-Q2", base);
  const auto full = run(capped, in, range);
  EXPECT_EQ(statement(full, "A", "2026-Q2", "TOTAL"), dec("50"));  // 100 in Q1, then 50 to the cap
  const std::vector<Variant> variants{Variant{"capped", capped, Decimal(1)}};
  const auto w = what_if(base, variants, in, range, {}, true);
  EXPECT_EQ(whatif_totals(w, "capped"), run_totals(full));
  EXPECT_EQ(whatif_totals(w, "baseline").at("A"), dec("100"));
}

TEST(WhatIf, PerTransactionPlansUseEveryCredit) {
  const Book b = random_book(8, {.payees = 20, .transactions = 600});
  const Data d = data(b);
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c", "measure": "bookings",
      "processing": "per_transaction", "basis": "amount",
      "tiers": [{"from": "0", "to": "10000", "rate": "3"}, {"from": "10000", "rate": "6"}],
      "limits": {"cap_per_transaction": "1500"}}])");
  const auto range = parse_run_range("2026", p);
  EXPECT_EQ(whatif_totals(what_if(p, {}, d.in(), range), "baseline"), run_totals(run(p, d.in(), range)));
}

TEST(WhatIf, RunningTotalsWithLineRoundingDifferByLineRoundingOnly) {
  const Book b = random_book(9, {.payees = 25, .transactions = 800});
  const Data d = data(b);
  const auto p = plan(rich, R"("true_up": "year_to_date")");
  const auto range = parse_run_range("2026", p);
  const auto full = run(p, d.in(), range);
  const auto got = whatif_totals(what_if(p, {}, d.in(), range), "baseline");
  std::map<std::string, std::int64_t> lines;
  for (std::size_t i = 0; i < full.lines.num_rows(); ++i) ++lines[std::string(full.lines.strings("payee_id")[i])];
  std::size_t differ = 0;
  for (const auto& [payee, total] : run_totals(full)) {
    const Decimal diff = (got.at(payee) - total).abs();
    EXPECT_LE(diff, Decimal::mul(dec("0.005"), Decimal(lines[payee]))) << payee;
    differ += diff.is_zero() ? 0 : 1;
  }
  RecordProperty("payees_differing", static_cast<int>(differ));
  // Exact mode keeps every credit: every payee equals the full run to the cent.
  EXPECT_EQ(whatif_totals(what_if(p, {}, d.in(), range, {}, true), "baseline"), run_totals(full));
}

TEST(WhatIf, VariantsCostAndDistribution) {
  // Two payees, one quarter: A sells 150000 of a 100000 quota, B 50000 of 100000.
  const io::Table tx = table("transaction_id,payee_id,date,amount\nT1,A,2026-01-10,150000\nT2,B,2026-02-10,50000\n");
  const io::Table q = table("payee_id,period_start,quota\nA,2026-01-01,100000\nB,2026-01-01,100000\n");
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &q;
  auto tiers = [](const char* accel) {
    return plan(std::string(R"("measures": [{"id": "b"}], "components": [{"id": "c", "measure": "b",
        "tiers": [{"from": "0", "to": "100", "rate": "5"}, {"from": "100", "rate": ")") + accel + R"("}]}])");
  };
  const Plan base = tiers("10");
  const std::vector<Variant> variants{{"accel15", tiers("15"), Decimal(1)},
                                      {"quota120", base, dec("1.2")}};
  const auto w = what_if(base, variants, in, parse_run_range("2026-Q1", base));
  // baseline: A 100000 x 5% + 50000 x 10% = 10000, B 2500; total 12500 of 200000 revenue.
  // accel15: A 5000 + 7500 = 12500, B 2500: 15000 (+2500).
  // quota120: A 120000 x 5% + 30000 x 10% = 9000, B 2500: 11500 (-1000); A at 125%.
  EXPECT_EQ(csv(w.summary),
            "variant,payout,revenue,cost_of_sales_percent,payees,payout_p10,payout_p25,payout_p50,"
            "payout_p75,payout_p90,payout_max,above_quota_percent,delta,rejected\n"
            "baseline,12500.00,200000.00,6.25,2,2500.00,2500.00,2500.00,10000.00,10000.00,10000.00,50,0.00,0\n"
            "accel15,15000.00,200000.00,7.5,2,2500.00,2500.00,2500.00,12500.00,12500.00,12500.00,50,2500.00,0\n"
            "quota120,11500.00,200000.00,5.75,2,2500.00,2500.00,2500.00,9000.00,9000.00,9000.00,50,-1000.00,0\n");
  EXPECT_EQ(whatif_totals(w, "quota120").at("A"), dec("9000"));
  EXPECT_EQ(w.payees.num_rows(), 6U);
  EXPECT_EQ(w.payees.column("attainment_percent").text(4), "125");
}

TEST(WhatIf, VariantMustCreditTheSame) {
  const io::Table tx = table("transaction_id,payee_id,date,amount\nT1,A,2026-01-10,1\n");
  const io::Table q = table("payee_id,period_start,quota\n");
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &q;
  const auto base = plan(R"("measures": [{"id": "b"}], "components": [{"id": "c", "type": "spif", "amount": "1"}])");
  const auto other = plan(R"("measures": [{"id": "b", "filter": {"type": "x"}}], "components": [{"id": "c", "type": "spif", "amount": "1"}])");
  const std::vector<Variant> v{{"v1", other, Decimal(1)}};
  EXPECT_THROW((void)what_if(base, v, in, parse_run_range("2026-Q1", base)), InvalidInputError);
  // Weights are part of the crediting: a variant weighting differently is refused, not computed
  // with the baseline's credits.
  const auto weighted = plan(R"("measures": [{"id": "b", "weights": [{"filter": {"payee_id": "A"},
      "factor": "2"}]}], "components": [{"id": "c", "type": "spif", "amount": "1"}])");
  const std::vector<Variant> w{{"w", weighted, Decimal(1)}};
  try {
    (void)what_if(base, w, in, parse_run_range("2026-Q1", base));
    FAIL() << "a variant with other weights was accepted";
  } catch (const InvalidInputError& e) {
    EXPECT_EQ(e.id(), "whatif.variant");
    EXPECT_NE(std::string(e.what()).find("measure 'b' differs from the baseline's"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace spm::comp::test
