// forecast_bookings' summary: deals without a group, the reach probability's digits, the lattice's
// spread per group, and the note on a saddlepoint group one deal dominates.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <spm/core/random.hpp>
#include <spm/forecast/rollup.hpp>

namespace {

using spm::Decimal;
using spm::io::Column;
using spm::io::Table;

// User report: a None or empty owner made a group named ''. Such deals are the "(missing)" group,
// and still count in "(all)".
TEST(RollupSummary, DealsWithoutAGroupFormTheMissingGroup) {
  Table deals;
  auto owner = Column::of("owner", std::vector<std::string>{"ana", "", "x"});
  owner.set_validity({1, 1, 0});
  deals.add(std::move(owner));
  deals.add(Column::of("probability", std::vector<double>{0.5, 0.5, 0.5}));
  deals.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(200), Decimal(300)}));
  spm::forecast::RollupOptions o;
  o.group = "owner";
  const auto r = spm::forecast::forecast_bookings(deals, nullptr, o);
  const auto& s = r.summary;
  ASSERT_EQ(s.num_rows(), 3U);
  EXPECT_EQ(s.strings("group")[0], "(missing)");
  EXPECT_EQ(s.values<std::int64_t>("deals")[0], 2);
  EXPECT_EQ(s.values<Decimal>("expected")[0], Decimal(250));
  EXPECT_EQ(s.strings("group")[2], "(all)");
  EXPECT_EQ(s.values<std::int64_t>("deals")[2], 3);
  EXPECT_EQ(r.rejects.num_rows(), 0U);
}

// User report: p_reach_target was written as 0.02562999999999939. It has 6 significant digits.
TEST(RollupSummary, TheReachProbabilityHasSixSignificantDigits) {
  spm::Random rng(3);
  std::vector<double> p;
  std::vector<Decimal> amount;
  for (int i = 0; i < 400; ++i) {
    p.push_back(rng.uniform(0.05, 0.6));
    amount.push_back(Decimal(static_cast<std::int64_t>(100 + rng.below(4900))));
  }
  Table deals;
  deals.add(Column::of("probability", p));
  deals.add(Column::of("amount", amount));
  Table targets;
  targets.add(Column::of("group", std::vector<std::string>{"(all)"}));
  targets.add(Column::of("target", std::vector<Decimal>{Decimal(370000)}));
  for (const auto method : {spm::forecast::DistributionMethod::exact, spm::forecast::DistributionMethod::monte_carlo,
                            spm::forecast::DistributionMethod::saddlepoint}) {
    spm::forecast::RollupOptions o;
    o.method = method;
    o.monte_carlo.scenarios = 20000;
    const auto r = spm::forecast::forecast_bookings(deals, &targets, o);
    const double v = r.summary.values<double>("p_reach_target")[0];
    const auto text = r.summary.column("p_reach_target").text(0);
    ASSERT_GT(v, 0);
    ASSERT_LT(v, 1);
    // "0.0" and at most 6 digits (plus an exponent-free leading zeros run).
    const auto digits = text.substr(text.find_first_not_of("0.", 0));
    EXPECT_LE(digits.size(), 6U) << to_string(method) << ": " << text;
  }
}

TEST(RollupSummary, EachGroupReportsItsLatticeSpread) {
  Table deals;
  deals.add(Column::of("owner", std::vector<std::string>{"ana", "ana", "ben"}));
  deals.add(Column::of("probability", std::vector<double>{0.5, 0.5, 0.9}));
  deals.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(300), Decimal(200)}));
  spm::forecast::RollupOptions o;
  o.group = "owner";
  o.monte_carlo.lattice.step = Decimal(1000);
  const auto r = spm::forecast::forecast_bookings(deals, nullptr, o);
  const auto& sd = r.summary.values<double>("lattice_sd");
  EXPECT_NEAR(sd[0], 1000 * std::sqrt(0.5 * 0.1 * 0.9 + 0.5 * 0.3 * 0.7), 1e-9);  // ana
  // ben's deal is more likely won: split on its lost side (weight 1 - p).
  EXPECT_NEAR(sd[1], 1000 * std::sqrt(0.1 * 0.2 * 0.8), 1e-9);  // ben
  EXPECT_DOUBLE_EQ(sd[2], r.total.lattice_sd);
  EXPECT_TRUE(r.notes.empty());
}

// One deal of 60,001 beside 300 of 55 (the others' sd 476): the total has two modes the
// saddlepoint cannot represent. It still answers, with a note.
TEST(RollupSummary, ASaddlepointGroupDominatedByOneDealHasANote) {
  std::vector<double> p(301, 0.5);
  std::vector<Decimal> amount(300, Decimal(55));
  amount.push_back(Decimal(60001));
  Table deals;
  deals.add(Column::of("probability", p));
  deals.add(Column::of("amount", amount));
  spm::forecast::RollupOptions o;
  o.method = spm::forecast::DistributionMethod::saddlepoint;
  const auto r = spm::forecast::forecast_bookings(deals, nullptr, o);
  ASSERT_EQ(r.notes.size(), 1U);
  EXPECT_EQ(r.notes[0],
            "group '(all)': one deal of 60001 is 126 times the standard deviation of the other deals' total: the "
            "total has separate modes (that deal won or not), which the saddlepoint cannot represent (its "
            "probabilities can be off by 0.05 or more); use the exact or monte_carlo method");
  EXPECT_TRUE(r.summary.column("lattice_sd").is_null(0));
  std::vector<Decimal> even(301, Decimal(55));
  Table alike;
  alike.add(Column::of("probability", p));
  alike.add(Column::of("amount", even));
  EXPECT_TRUE(spm::forecast::forecast_bookings(alike, nullptr, o).notes.empty());
}

// Found by a user test: each group's expected was rounded to the cent alone, so four deals of
// 0.01, 0.01, 0.01, 0.03 at 1/2 reported 0, 0, 0, 0.02 beside a total of 0.03. The total's cents
// go to the groups by largest remainder (ties by group order): 0.01, 0.01, 0, 0.01.
TEST(RollupSummary, TheGroupsExpectedAddUpToTheTotal) {
  Table deals;
  deals.add(Column::of("rep", std::vector<std::string>{"a", "b", "c", "d"}));
  deals.add(Column::of("probability", std::vector<double>{0.5, 0.5, 0.5, 0.5}));
  deals.add(Column::of("amount", std::vector<Decimal>{Decimal::parse("0.01"), Decimal::parse("0.01"),
                                                      Decimal::parse("0.01"), Decimal::parse("0.03")}));
  spm::forecast::RollupOptions o;
  o.group = "rep";
  const auto r = spm::forecast::forecast_bookings(deals, nullptr, o);
  const auto& e = r.summary.values<Decimal>("expected");
  ASSERT_EQ(e.size(), 5U);
  EXPECT_EQ(e, (std::vector<Decimal>{Decimal::parse("0.01"), Decimal::parse("0.01"), Decimal(0),
                                     Decimal::parse("0.01"), Decimal::parse("0.03")}));
}

// Found by a user test: a target row with an empty target was neither used nor rejected.
TEST(RollupSummary, ATargetRowWithoutATargetIsRejected) {
  Table deals;
  deals.add(Column::of("rep", std::vector<std::string>{"ana", "ben"}));
  deals.add(Column::of("probability", std::vector<double>{0.5, 0.5}));
  deals.add(Column::of("amount", std::vector<Decimal>{Decimal(100), Decimal(200)}));
  Table targets;
  targets.add(Column::of("rep", std::vector<std::string>{"ana", "ben"}));
  auto t = Column::of("target", std::vector<Decimal>{Decimal(300), Decimal(0)});
  t.set_validity({1, 0});
  targets.add(std::move(t));
  spm::forecast::RollupOptions o;
  o.group = "rep";
  const auto r = spm::forecast::forecast_bookings(deals, &targets, o);
  ASSERT_EQ(r.rejects.num_rows(), 1U);
  EXPECT_EQ(r.rejects.values<std::int64_t>("row")[0], 2);
  EXPECT_EQ(r.rejects.strings("column")[0], "target");
  EXPECT_EQ(r.rejects.strings("reason")[0], "targets: no target for 'ben'; fill it or leave the row out");
}

}  // namespace
