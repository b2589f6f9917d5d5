// Invariants over seeded random books: lines explain every cent, year-to-date payouts add up to
// the year's earnings, more attainment never earns less on a non-decreasing table, and split
// credits add up exactly to the deal.
#include <gtest/gtest.h>

#include <map>

#include "comp_test_support.hpp"
#include "random_book.hpp"

namespace spm::comp::test {
namespace {

constexpr std::uint64_t seeds[] = {1, 2, 3};

struct Variant {
  const char* name;
  const char* head;
  const char* body;
  bool monthly;
};

// Plans with every mechanism: caps, floors, gates, multipliers, SPIFs, steps, both rounding
// points, no true-up, year to date and quarter to date.
const Variant variants[] = {
    {"rich, year to date, earning-line rounding",
     R"("true_up": "year_to_date", "allow_negative": true, "quota_measure": "bookings")",
     R"("measures": [{"id": "bookings", "filter": {"type": "booking"}}, {"id": "all"},
          {"id": "seats", "sum": "units"}],
        "components": [
          {"id": "commission", "measure": "bookings", "mode": "retroactive",
           "tiers": [{"from": "0", "to": "50", "rate": "4"},
                     {"from": "50", "to": "100", "rate": "8"}, {"from": "100", "rate": "12.5"}],
           "limits": {"cap_per_year": "250000", "cap_per_transaction": "9000"},
           "gates": [{"measure": "bookings", "min_attainment_percent": "20",
                      "effect": "no_accelerator"}]},
          {"id": "volume", "measure": "all", "basis": "amount", "processing": "grouped",
           "mode": "interpolated",
           "tiers": [{"from": "0", "to": "300000", "rate": "0.3", "rate_to": "1.1"},
                     {"from": "300000", "rate": "1.1"}],
           "multipliers": [{"id": "mbo", "score": "mbo",
             "table": [{"from": "0", "to": "3", "factor": "0.9"},
                       {"from": "3", "factor": "1.1"}]}]},
          {"id": "seats", "measure": "seats", "basis": "amount", "rate_unit": "per_unit",
           "tiers": [{"from": "0", "to": "40", "rate": "7.77"}, {"from": "40", "rate": "11"}]},
          {"id": "spif", "type": "spif", "amount": "333.33", "filter": {"product": "ENT"}},
          {"id": "steps", "type": "step_bonus", "measure": "bookings",
           "steps": [{"attainment_percent": "100", "amount": "1000"}]}])",
     false},
    {"caps and floors per period, payout rounding, no true-up",
     R"("allow_negative": true, "rounding": {"mode": "half_even", "point": "payout"})",
     R"("measures": [{"id": "bookings"}],
        "components": [
          {"id": "commission", "measure": "bookings", "mode": "marginal",
           "tiers": [{"from": "0", "to": "100", "rate": "3.333"}, {"from": "100", "rate": "7.5"}],
           "limits": {"cap_per_period": "20000", "floor_per_period": "500",
                      "attainment_cap_percent": "150"}},
          {"id": "steps", "type": "step_bonus", "measure": "bookings",
           "steps": [{"attainment_percent": "80", "to": "120", "amount": "100.005"},
                     {"attainment_percent": "120", "amount": "250"}]}])",
     false},
    {"monthly, quarter to date, gates by year",
     R"("pay_period": "month", "true_up": "quarter_to_date", "allow_negative": true)",
     R"("measures": [{"id": "bookings"}],
        "components": [
          {"id": "commission", "measure": "bookings", "mode": "retroactive",
           "tiers": [{"from": "0", "to": "100", "rate": "6"}, {"from": "100", "rate": "9.25"}],
           "limits": {"cap_per_period": "15000"},
           "gates": [{"measure": "bookings", "min_attainment_percent": "30"}]}])",
     true},
};

CompResult run_book(const Plan& p, const Book& b, std::string_view range, unsigned threads = 1) {
  Extra extra;
  extra.credits = b.credits;
  extra.scores = b.scores;
  extra.assignments = b.assignments;
  extra.threads = threads;
  return run_text(p, b.transactions, b.quotas, range, extra);
}

TEST(Properties, LinesSumToThePayout) {
  for (const auto& v : variants) {
    const Plan p = plan(v.body, v.head);
    for (const auto seed : seeds) {
      SCOPED_TRACE(std::string(v.name) + ", seed " + std::to_string(seed));
      BookOptions opt;
      opt.monthly = v.monthly;
      opt.returns = true;
      opt.assignments = seed == 2;
      const auto r = run_book(p, random_book(seed, opt), "2026");
      ASSERT_GT(r.lines.num_rows(), 100u);
      EXPECT_TRUE(lines_sum_to_payouts(r));
    }
  }
}

// With a year-to-date true-up (no period caps or floors, which move money between years or
// give it away), each payee's payouts over the year add up to the year's window earnings, the
// earnings of the last quarter's statement; per component and in total.
TEST(Properties, YearToDatePayoutsAddUpToTheYearsEarnings) {
  const Plan p = plan(variants[0].body, variants[0].head);
  for (const auto seed : seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    BookOptions opt;
    opt.returns = true;
    const Book b = random_book(seed, opt);
    const auto r = run_book(p, b, "2026");
    ASSERT_EQ(r.rejects.num_rows(), 0u) << dump(r);
    std::map<std::pair<std::string, std::string>, Decimal> paid, earned;
    const auto& s = r.statements;
    for (std::size_t i = 0; i < s.num_rows(); ++i) {
      const auto key = std::pair{std::string(s.strings("payee_id")[i]),
                                 std::string(s.strings("component")[i])};
      paid[key] += s.values<Decimal>("payout")[i];
      if (s.strings("period")[i] == "2026-Q4") {
        earned[key] = s.values<Decimal>("earnings")[i];
      }
    }
    ASSERT_EQ(paid.size(), b.payees.size() * 6);  // 5 components and TOTAL
    for (const auto& [key, amount] : paid) {
      EXPECT_EQ(amount, earned.at(key)) << key.first << " " << key.second;
    }
  }
}

// On a non-decreasing rate table more attainment never earns less: adding a deal, or lowering
// the quota (without an attainment cap), does not lower the earnings. Lines are kept exact
// (rounding at the payout) so that rounding each line to cents cannot hide or fake a decrease;
// interpolated rates are divided once per line at 12 decimals, hence a tolerance of 1e-9 there.
TEST(Properties, MoreAttainmentNeverEarnsLess) {
  struct Table {
    const char* mode;
    const char* tiers;
  };
  const Table tables[] = {
      {"marginal",
       R"([{"from": "0", "to": "40", "rate": "2"}, {"from": "40", "to": "100", "rate": "2"},
           {"from": "100", "to": "130", "rate": "9.5"}, {"from": "130", "rate": "14"}])"},
      {"retroactive",
       R"([{"from": "0", "to": "50", "rate": "0"}, {"from": "50", "to": "100", "rate": "6"},
           {"from": "100", "rate": "10.25"}])"},
      {"interpolated",
       R"([{"from": "0", "to": "100", "rate": "3", "rate_to": "7"},
           {"from": "100", "to": "160", "rate": "8"}, {"from": "160", "rate": "13"}])"},
      {"flat", R"([{"from": "0", "rate": "6.5"}])"},
  };
  Random rng(99);
  for (const auto& t : tables) {
    for (const char* processing : {"running_total", "grouped"}) {
      for (const char* cap : {"", R"(, "limits": {"attainment_cap_percent": "140"})"}) {
        SCOPED_TRACE(std::string(t.mode) + " / " + processing + (*cap ? " / capped" : ""));
        const Plan p = plan(std::string(R"("measures": [{"id": "bookings"}], "components": [{)") +
                                R"("id": "c", "measure": "bookings", "mode": ")" + t.mode +
                                R"(", "processing": ")" + processing + R"(", "tiers": )" +
                                t.tiers + cap + "}]",
                            R"("rounding": {"point": "payout"})");
        const Decimal tolerance =
            std::string_view(t.mode) == "interpolated" ? dec("0.000000001") : Decimal(0);
        for (int trial = 0; trial < 12; ++trial) {
          // One payee, one quarter, a few deals; then one more deal anywhere in the quarter.
          auto deal = [&](const std::string& id, std::uint64_t max_cents) {
            const Date d = Date(2026, 1, 1) + static_cast<int>(rng.below(90));
            return id + ",A," + d.to_string() + "," +
                   cents(1 + static_cast<std::int64_t>(rng.below(max_cents))) + "\n";
          };
          std::string tx = "transaction_id,payee_id,date,amount\n";
          const int n = 1 + static_cast<int>(rng.below(8));
          for (int k = 0; k < n; ++k) tx += deal("T" + std::to_string(k), 6'000'000);
          const std::string more = tx + deal("X", 3'000'000);
          const auto quota = 1'000'000 + static_cast<std::int64_t>(rng.below(20'000'000));
          const auto lower =
              quota - static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(quota / 2)));
          auto earned = [&](const std::string& transactions, std::int64_t q) {
            const auto r = run_text(p, transactions,
                                    "payee_id,period_start,quota\nA,2026-01-01," + cents(q) + "\n",
                                    "2026-Q1");
            return statement(r, "A", "2026-Q1", "c", "earnings");
          };
          const Decimal base = earned(tx, quota);
          EXPECT_GE(earned(more, quota) + tolerance, base) << tx << "X added:\n" << more;
          // An attainment cap counts the measure up to a share of the quota, so a lower quota
          // counts less of it: only uncapped tables must pay more for the same deals.
          if (*cap == '\0') {
            EXPECT_GE(earned(tx, lower) + tolerance, base)
                << tx << "quota " << cents(quota) << " lowered to " << cents(lower);
          }
        }
      }
    }
  }
}

// Split credits: per transaction, the payees' credited bases add up exactly to the deal.
TEST(Properties, SplitCreditsSumToTheDeal) {
  const Plan p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "processing": "per_transaction", "mode": "flat",
      "tiers": [{"from": "0", "rate": "1"}]}])",
                      R"("allow_negative": true)");
  for (const auto seed : seeds) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    BookOptions opt;
    opt.returns = true;
    opt.transactions = 600;
    const Book b = random_book(seed, opt);
    const io::Table tx = table(b.transactions);
    Extra extra;
    extra.credits = b.credits;
    const auto r = run_text(p, b.transactions, b.quotas, "2026", extra);
    ASSERT_EQ(r.rejects.num_rows(), 0u) << dump(r);
    std::map<std::string, Decimal> credited;
    std::map<std::string, int> shares;
    for (std::size_t i = 0; i < r.lines.num_rows(); ++i) {
      const std::string id(r.lines.strings("transaction_id")[i]);
      credited[id] += r.lines.values<Decimal>("base")[i];
      ++shares[id];
    }
    int split = 0;
    for (std::size_t i = 0; i < tx.num_rows(); ++i) {
      const std::string id(tx.strings("transaction_id")[i]);
      EXPECT_EQ(credited[id], tx.values<Decimal>("amount")[i]) << id;
      split += shares[id] > 1;
    }
    EXPECT_GT(split, 40);
  }
}

}  // namespace
}  // namespace spm::comp::test
