// Quota allocation: one hand-checked example per method (the arithmetic in comments), the
// hierarchy with cushions, constraints and redistribution, infeasibility, rejects, errors, and
// properties on random inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/core/random.hpp>
#include <spm/quota/allocation.hpp>
#include <support/throws_error.hpp>

namespace spm::quota {
namespace {

using io::Column;
using io::ColumnType;
using io::Table;

Decimal d(const char* s) { return Decimal::parse(s); }

Column strings(const char* name, std::vector<std::string> v) {
  return Column::of(name, std::move(v));
}
// Decimals from text; "" is null.
Column decimals(const char* name, const std::vector<std::string>& v) {
  std::vector<Decimal> vals(v.size());
  std::vector<std::uint8_t> valid(v.size(), 1);
  bool nulls = false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i].empty()) {
      valid[i] = 0;
      nulls = true;
    } else {
      vals[i] = Decimal::parse(v[i]);
    }
  }
  auto c = Column::of(name, std::move(vals));
  if (nulls) c.set_validity(std::move(valid));
  return c;
}

Table targets(const std::string& node, const char* target) {
  Table t;
  t.add(strings("node_id", {node}));
  t.add(decimals("target", {target}));
  return t;
}

// One history row per rep in 2025 (period_start 2025-01-01) with the given sales.
Table history(const std::vector<std::string>& reps, const std::vector<std::string>& sales) {
  Table t;
  t.add(strings("rep_id", reps));
  t.add(Column::of("period_start", std::vector<Date>(reps.size(), Date(2025, 1, 1))));
  t.add(decimals("sales", sales));
  return t;
}

Table flat_reps(const std::vector<std::string>& ids) {
  Table t;
  t.add(strings("rep_id", ids));
  t.add(strings("parent_id", std::vector<std::string>(ids.size(), "CO")));
  return t;
}

std::map<std::string, std::string> quotas(const AllocationResult& r) {
  std::map<std::string, std::string> m;
  for (const auto& n : r.nodes) m[n.node_id] = n.quota.to_string();
  return m;
}

using Quotas = std::map<std::string, std::string>;

TEST(QuotaAllocation, HistoryShare) {
  // 1000 by sales 100 : 300 : 600 -> 100, 300, 600.
  auto reps = flat_reps({"A", "B", "C"});
  auto t = targets("CO", "1000");
  auto h = history({"A", "B", "C"}, {"100", "300", "600"});
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(r.status, AllocationStatus::ok);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"A", "100"}, {"B", "300"}, {"C", "600"}}));
}

// Rejected reps and a base window holding few history rows are noted; no targets is an error.
TEST(QuotaAllocation, NotesAndEmptyTargets) {
  auto reps = flat_reps({"A", "B", "C"});
  auto t = targets("CO", "1000");
  Table h;  // A and B in 2025, one row of A in 2026: the automatic base is 2026
  h.add(strings("rep_id", {"A", "B", "A"}));
  h.add(Column::of("period_start", std::vector<Date>{Date(2025, 1, 1), Date(2025, 1, 1), Date(2026, 3, 1)}));
  h.add(decimals("sales", {"100", "300", "5"}));
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"A", "1000"}}));
  EXPECT_EQ(r.notes, (std::vector<std::string>{
                         "the base window [2026-01-01, 2027-01-01) (the calendar year of the latest "
                         "history date) holds history of 1 of the 2 reps with history; give the "
                         "base window to use another year",
                         "2 rep rows were rejected; the targets went to the reps left under their "
                         "nodes (fix the rows in the rejects to give them quotas)"}));
  o.base = Period{Date(2025, 1, 1), Date(2026, 1, 1)};
  const auto given = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(given.notes.size(), 1U);  // C still has no history in 2025
  Table none;
  none.add(strings("node_id", {}));
  none.add(decimals("target", {}));
  EXPECT_THROW((void)allocate_quotas({&none, nullptr, &reps, &h}, o), InvalidInputError);
}

TEST(QuotaAllocation, LargestRemainderRoundingConservesTheTarget) {
  // 1000 in thirds: 333.33 each; the one unit left goes to the first by tie key (id order).
  auto reps = flat_reps({"A", "B", "C"});
  auto t = targets("CO", "1000");
  auto h = history({"A", "B", "C"}, {"5", "5", "5"});
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"A", "334"}, {"B", "333"}, {"C", "333"}}));
  const auto a = r.trace(*r.find("A"));
  ASSERT_EQ(a.size(), 2u);  // method then rounding
  EXPECT_EQ(a[1].kind, StepKind::rounding);
  EXPECT_EQ(a[1].running, d("334"));
  EXPECT_EQ(r.note(*r.find("A"), 1),
            "largest-remainder rounding to multiples of 1 so the siblings sum to 1000");
  EXPECT_EQ(r.note(*r.find("A"), 0), "history: sales 5 of 15 = 33.3333% of 1000");
}

TEST(QuotaAllocation, ExactTiesGoToTheFirstIdWhateverTheWeights) {
  // 15000 in thousands by sales 4 : 16 : 25 (of 45): 1333.3, 5333.3, 8333.3 thousand-units,
  // every remainder exactly 1/3, so the one unit left goes to A (the first id): 2000, 5000, 8000.
  auto reps = flat_reps({"A", "B", "C"});
  auto t = targets("CO", "15000");
  auto h = history({"A", "B", "C"}, {"4", "16", "25"});
  AllocationOptions o;
  o.method = Method::history;
  o.increment = d("1000");
  EXPECT_EQ(quotas(allocate_quotas({&t, nullptr, &reps, &h}, o)),
            (Quotas{{"CO", "15000"}, {"A", "2000"}, {"B", "5000"}, {"C", "8000"}}));
}

TEST(QuotaAllocation, PotentialIndex) {
  // accounts 10/30/60 -> shares .1 .3 .6; spend 100/100/800 -> .1 .1 .8; weights .5/.5
  // index .1 .2 .7 of 10000 -> 1000, 2000, 7000.
  auto reps = flat_reps({"A", "B", "C"});
  reps.add(decimals("accounts", {"10", "30", "60"}));
  reps.add(decimals("spend", {"100", "100", "800"}));
  auto t = targets("CO", "10000");
  AllocationOptions o;
  o.method = Method::potential;
  o.factors = {{"accounts", d("0.5")}, {"spend", d("0.5")}};
  const auto r = allocate_quotas({&t, nullptr, &reps, nullptr}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "10000"}, {"A", "1000"}, {"B", "2000"}, {"C", "7000"}}));
}

Table blend_reps() {
  auto reps = flat_reps({"A", "B", "C"});
  reps.add(decimals("accounts", {"10", "30", "60"}));
  return reps;
}

TEST(QuotaAllocation, BlendOfHistoryAndPotential) {
  // history .2 .3 .5, potential .1 .3 .6, w = 0.6:
  // .6x.2+.4x.1 = .16, .6x.3+.4x.3 = .30, .6x.5+.4x.6 = .54 of 10000 -> 1600, 3000, 5400.
  auto reps = blend_reps();
  auto t = targets("CO", "10000");
  auto h = history({"A", "B", "C"}, {"200", "300", "500"});
  AllocationOptions o;
  o.method = Method::blend;
  o.history_weight = d("0.6");
  o.factors = {{"accounts", d("1")}};
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "10000"}, {"A", "1600"}, {"B", "3000"}, {"C", "5400"}}));
}

TEST(QuotaAllocation, BlendEndpointsAreHistoryAndPotential) {
  auto reps = blend_reps();
  auto t = targets("CO", "9999");
  auto h = history({"A", "B", "C"}, {"217", "331", "452"});
  AllocationOptions blend;
  blend.method = Method::blend;
  blend.factors = {{"accounts", d("1")}};
  AllocationOptions hist = blend;
  hist.method = Method::history;
  AllocationOptions pot = blend;
  pot.method = Method::potential;
  blend.history_weight = d("1");
  EXPECT_EQ(quotas(allocate_quotas({&t, nullptr, &reps, &h}, blend)),
            quotas(allocate_quotas({&t, nullptr, &reps, &h}, hist)));
  blend.history_weight = d("0");
  EXPECT_EQ(quotas(allocate_quotas({&t, nullptr, &reps, &h}, blend)),
            quotas(allocate_quotas({&t, nullptr, &reps, &h}, pot)));
}

TEST(QuotaAllocation, GrowthSamePercentAndSameAmount) {
  auto reps = flat_reps({"A", "B"});
  auto t = targets("CO", "600");
  auto h = history({"A", "B"}, {"100", "200"});
  AllocationOptions o;
  o.method = Method::growth_percent;  // +100% each: 200, 400
  EXPECT_EQ(quotas(allocate_quotas({&t, nullptr, &reps, &h}, o)),
            (Quotas{{"CO", "600"}, {"A", "200"}, {"B", "400"}}));
  o.method = Method::growth_absolute;  // (600 - 300) / 2 = 150 each: 250, 350
  EXPECT_EQ(quotas(allocate_quotas({&t, nullptr, &reps, &h}, o)),
            (Quotas{{"CO", "600"}, {"A", "250"}, {"B", "350"}}));
}

TEST(QuotaAllocation, GrowthOverLastQuota) {
  // last quotas 300 and 100, target 800: same percent -> 600, 200; same amount -> 500, 300.
  auto reps = flat_reps({"A", "B"});
  reps.add(decimals("last_quota", {"300", "100"}));
  auto t = targets("CO", "800");
  AllocationOptions o;
  o.method = Method::growth_percent;
  o.growth_base = GrowthBase::last_quota;
  EXPECT_EQ(quotas(allocate_quotas({&t, nullptr, &reps, nullptr}, o)),
            (Quotas{{"CO", "800"}, {"A", "600"}, {"B", "200"}}));
  o.method = Method::growth_absolute;
  EXPECT_EQ(quotas(allocate_quotas({&t, nullptr, &reps, nullptr}, o)),
            (Quotas{{"CO", "800"}, {"A", "500"}, {"B", "300"}}));
}

TEST(QuotaAllocation, RegressionFairShareIncludesNewHires) {
  // sales = 1000 + 100 x accounts exactly for A..D; E is new (25 accounts -> fitted 3500).
  // Target 17500 = 2000 + 3000 + 4000 + 5000 + 3500, so the fitted values come back.
  auto reps = flat_reps({"A", "B", "C", "D", "E"});
  reps.add(decimals("accounts", {"10", "20", "30", "40", "25"}));
  auto t = targets("CO", "17500");
  auto h = history({"A", "B", "C", "D"}, {"2000", "3000", "4000", "5000"});
  AllocationOptions o;
  o.method = Method::regression;
  o.factors = {{"accounts", d("1")}};
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "17500"}, {"A", "2000"}, {"B", "3000"}, {"C", "4000"},
                               {"D", "5000"}, {"E", "3500"}}));
  const auto note = r.note(*r.find("E"), 0);
  EXPECT_NE(note.find("sales = 1000 + 100 x accounts"), std::string::npos) << note;
}

TEST(QuotaAllocation, RegressionOnAFactorThatDoesNotVaryIsRefused) {
  auto reps = flat_reps({"A", "B", "C", "D"});
  reps.add(decimals("accounts", {"10", "10", "10", "10"}));
  reps.add(decimals("spend", {"1", "2", "3", "4"}));
  reps.add(decimals("twice", {"2", "4", "6", "8"}));
  auto t = targets("CO", "100");
  auto h = history({"A", "B", "C", "D"}, {"20", "30", "40", "50"});
  AllocationOptions o;
  o.method = Method::regression;
  o.factors = {{"accounts", d("1")}};
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)allocate_quotas({&t, nullptr, &reps, &h}, o); }, "quota.regression",
      "[quota.regression] factors[0]: factor 'accounts' is the same for every rep with history, "
      "so sales cannot be fitted on it; drop it or choose a factor that varies"));
  o.factors = {{"spend", d("0.5")}, {"twice", d("0.5")}};
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)allocate_quotas({&t, nullptr, &reps, &h}, o); }, "quota.regression",
      "[quota.regression] factors: the factors are collinear over the reps with history (one is "
      "a combination of the others); drop one"));
}

TEST(QuotaAllocation, EqualProbabilityGivesOneZ) {
  // mean 100 and 200, volatility 10 and 30, target 380: z = (380 - 300) / 40 = 2,
  // so 100 + 2 x 10 = 120 and 200 + 2 x 30 = 260: both two sigmas above their mean.
  auto reps = flat_reps({"A", "B"});
  reps.add(decimals("expected_sales", {"100", "200"}));
  reps.add(decimals("volatility", {"10", "30"}));
  auto t = targets("CO", "380");
  AllocationOptions o;
  o.method = Method::equal_probability;
  const auto r = allocate_quotas({&t, nullptr, &reps, nullptr}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "380"}, {"A", "120"}, {"B", "260"}}));
}

TEST(QuotaAllocation, EqualProbabilityVolatilityFromHistory) {
  // A sells 90, 110 (mean 100, sample sd 14.142.., total 200, volatility of the total
  // sqrt(2) x 14.142 = 20); B sells 100, 100 (volatility 0). Target 440 = 400 + z x 20 -> z = 2:
  // A 240, B 200.
  auto reps = flat_reps({"A", "B"});
  Table h;
  h.add(strings("rep_id", {"A", "A", "B", "B"}));
  h.add(Column::of("period_start", std::vector<Date>{Date(2025, 1, 1), Date(2025, 7, 1),
                                                     Date(2025, 1, 1), Date(2025, 7, 1)}));
  h.add(decimals("sales", {"90", "110", "100", "100"}));
  auto t = targets("CO", "440");
  AllocationOptions o;
  o.method = Method::equal_probability;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "440"}, {"A", "240"}, {"B", "200"}}));
}

TEST(QuotaAllocation, Ratchet) {
  // A: last 100, sales 150 -> 100 + 0.5 x 50 = 125; B: last 100, sales 60 -> 100 - 0.25 x 40
  // = 90; target 215 = 125 + 90, so the ratchet values come back.
  auto reps = flat_reps({"A", "B"});
  reps.add(decimals("last_quota", {"100", "100"}));
  auto t = targets("CO", "215");
  auto h = history({"A", "B"}, {"150", "60"});
  AllocationOptions o;
  o.method = Method::ratchet;
  o.ratchet_up = d("0.5");
  o.ratchet_down = d("0.25");
  EXPECT_EQ(quotas(allocate_quotas({&t, nullptr, &reps, &h}, o)),
            (Quotas{{"CO", "215"}, {"A", "125"}, {"B", "90"}}));
}

TEST(QuotaAllocation, HierarchyWithCompoundingCushions) {
  // CO 1000, cushion 10% at levels 0 and 1. Regions share 1100 by sales 600 : 400 -> 660, 440.
  // R1 shares 660 x 1.1 = 726 by 200 : 400 -> 242, 484; R2 shares 484 -> c 484.
  // The reps carry 1210 = 1000 x 1.1 x 1.1.
  Table org;
  org.add(strings("node_id", {"CO", "R1", "R2"}));
  org.add(decimals("dummy", {"0", "0", "0"}));
  {
    auto p = Column::of("parent_id", std::vector<std::string>{"", "CO", "CO"});
    p.set_validity({0, 1, 1});
    org.add(std::move(p));
  }
  Table reps;
  reps.add(strings("rep_id", {"a", "b", "c"}));
  reps.add(strings("parent_id", {"R1", "R1", "R2"}));
  auto t = targets("CO", "1000");
  auto h = history({"a", "b", "c"}, {"200", "400", "400"});
  AllocationOptions o;
  o.method = Method::history;
  o.cushions = {d("0.1"), d("0.1")};
  const auto r = allocate_quotas({&t, &org, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"R1", "660"}, {"R2", "440"}, {"a", "242"},
                               {"b", "484"}, {"c", "484"}}));
  std::vector<std::string> order;
  for (const auto& n : r.nodes) order.push_back(n.node_id);
  EXPECT_EQ(order, (std::vector<std::string>{"CO", "R1", "a", "b", "R2", "c"}));
  const auto r1 = r.trace(*r.find("R1"));
  EXPECT_EQ(r1.back().kind, StepKind::cushion);
  EXPECT_EQ(r1.back().running, d("726"));
  EXPECT_EQ(r.note(*r.find("R1"), r1.size() - 1),
            "cushion 10% at level 1: the children share 660 x 1.1 = 726 (this node's own quota "
            "stays 660)");
}

TEST(QuotaAllocation, CapsRedistributeByTheSameMethod) {
  // Target 2000 by sales 100 : 100 : 800 -> 200, 200, 1600. max +50% over last quota
  // (100, 300, 1000) caps A at 150 and C at 1500 (over by 50 + 100 = 150 > B's shortfall of
  // 70 under its -10% floor 270), so both are capped and B gets the rest: 2000 - 1650 = 350.
  auto reps = flat_reps({"A", "B", "C"});
  reps.add(decimals("last_quota", {"100", "300", "1000"}));
  auto t = targets("CO", "2000");
  auto h = history({"A", "B", "C"}, {"100", "100", "800"});
  AllocationOptions o;
  o.method = Method::history;
  o.max_increase = d("0.5");
  o.max_decrease = d("0.1");
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(r.status, AllocationStatus::ok);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "2000"}, {"A", "150"}, {"B", "350"}, {"C", "1500"}}));
  const auto a = r.trace(*r.find("A"));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1].kind, StepKind::constraint);
  EXPECT_EQ(a[1].amount, d("-50"));
  EXPECT_EQ(a[1].bound, Bound::cap);
  EXPECT_EQ(r.note(*r.find("A"), 1), "capped: at most +50% over 100");
  const auto b = r.trace(*r.find("B"));
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[1].kind, StepKind::redistribution);
  EXPECT_EQ(b[1].amount, d("150"));
}

TEST(QuotaAllocation, ReferenceColumnOverridesLastQuotaForChangeLimits) {
  // Same as above, but A's limits compare with its reference 120 (cap +50% = 180) instead of
  // its last quota 100: A 180, C 1500, B 2000 - 1680 = 320.
  auto reps = flat_reps({"A", "B", "C"});
  reps.add(decimals("last_quota", {"100", "300", "1000"}));
  reps.add(decimals("reference", {"120", "", ""}));
  auto t = targets("CO", "2000");
  auto h = history({"A", "B", "C"}, {"100", "100", "800"});
  AllocationOptions o;
  o.method = Method::history;
  o.max_increase = d("0.5");
  o.max_decrease = d("0.1");
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "2000"}, {"A", "180"}, {"B", "320"}, {"C", "1500"}}));
  EXPECT_EQ(*r.find("A")->reference, d("120"));
}

TEST(QuotaAllocation, FloorsRaiseAndOthersGiveWay) {
  // Target 1000 by sales 50 : 450 : 500 -> 50, 450, 500; min quota 200 raises A to 200 and the
  // other two share 800 by 450 : 500 -> 378.947.. and 421.052.. -> 379, 421.
  auto reps = flat_reps({"A", "B", "C"});
  auto t = targets("CO", "1000");
  auto h = history({"A", "B", "C"}, {"50", "450", "500"});
  AllocationOptions o;
  o.method = Method::history;
  o.min_quota = d("200");
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"A", "200"}, {"B", "379"}, {"C", "421"}}));
}

TEST(QuotaAllocation, LockedQuotaAndLockedNode) {
  // A is locked at 500; B and C share 1500 by 1 : 2 -> 500, 1000.
  auto reps = flat_reps({"A", "B", "C"});
  reps.add(decimals("locked_quota", {"500", "", ""}));
  auto t = targets("CO", "2000");
  auto h = history({"A", "B", "C"}, {"900", "100", "200"});
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "2000"}, {"A", "500"}, {"B", "500"}, {"C", "1000"}}));
  const auto& a = *r.find("A");
  EXPECT_EQ(r.note(a, a.step_count - 1), "locked at 500");
}

TEST(QuotaAllocation, ALockOutsideItsBoundsWinsAndSaysSo) {
  // A: last quota 100, at most +50% -> cap 150, locked at 400: the lock wins, and its note
  // names the cap. B: minimum quota 300 (floor), locked at 200. C: locked inside its bounds.
  auto reps = flat_reps({"A", "B", "C", "D"});
  reps.add(decimals("last_quota", {"100", "", "500", ""}));
  reps.add(decimals("max_increase", {"0.5", "", "0.5", ""}));
  reps.add(decimals("min_quota", {"", "300", "", ""}));
  reps.add(decimals("locked_quota", {"400", "200", "600", ""}));
  auto t = targets("CO", "2000");
  auto h = history({"A", "B", "C", "D"}, {"100", "100", "100", "100"});
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "2000"}, {"A", "400"}, {"B", "200"}, {"C", "600"}, {"D", "800"}}));
  const auto note = [&](const char* id) {
    const auto& n = *r.find(id);
    return r.note(n, n.step_count - 1);
  };
  EXPECT_EQ(note("A"), "locked at 400, above its cap 150 (at most +50% over 100): the lock wins");
  EXPECT_EQ(note("B"), "locked at 200, below its floor 300 (minimum quota 300): the lock wins");
  EXPECT_EQ(note("C"), "locked at 600");
}

TEST(QuotaAllocation, RedistributedThenCappedTracesBothSteps) {
  // 1000 by sales 500 : 250 : 250. Caps +50% over last quota: A 150, B 300, C none.
  // Round 1 caps A (500 > 150); B and C share 850 -> 425 each; round 2 caps B at 300; C 550.
  auto reps = flat_reps({"A", "B", "C"});
  reps.add(decimals("last_quota", {"100", "200", ""}));
  reps.add(decimals("max_increase", {"0.5", "0.5", ""}));
  auto t = targets("CO", "1000");
  auto h = history({"A", "B", "C"}, {"500", "250", "250"});
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"A", "150"}, {"B", "300"}, {"C", "550"}}));
  const auto b = r.trace(*r.find("B"));
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[1].kind, StepKind::redistribution);
  EXPECT_EQ(b[1].amount, d("175"));
  EXPECT_EQ(b[2].kind, StepKind::constraint);
  EXPECT_EQ(b[2].amount, d("-125"));
  EXPECT_EQ(b[2].running, d("300"));
}

TEST(QuotaAllocation, TargetOnARepLocksItWithoutAnOrg) {
  // Targets CO 1000 and A 300: A is held at 300, B takes the other 700.
  auto reps = flat_reps({"A", "B"});
  Table t;
  t.add(strings("node_id", {"CO", "A"}));
  t.add(decimals("target", {"1000", "300"}));
  auto h = history({"A", "B"}, {"100", "100"});
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(r.rejects.num_rows(), 0u);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"A", "300"}, {"B", "700"}}));
  EXPECT_EQ(r.note(*r.find("A"), 1), "target given for this node");
}

TEST(QuotaAllocation, AnOrgNodeWithoutRepsCarriesNothing) {
  // R2 has no reps: it is held at 0 and R1 takes the whole 1000 (growth_absolute would
  // otherwise hand R2 an equal increase that no rep carries).
  Table org;
  org.add(strings("node_id", {"CO", "R1", "R2"}));
  {
    auto p = Column::of("parent_id", std::vector<std::string>{"", "CO", "CO"});
    p.set_validity({0, 1, 1});
    org.add(std::move(p));
  }
  Table reps;
  reps.add(strings("rep_id", {"a", "b"}));
  reps.add(strings("parent_id", {"R1", "R1"}));
  auto t = targets("CO", "1000");
  auto h = history({"a", "b"}, {"300", "300"});
  AllocationOptions o;
  o.method = Method::growth_absolute;
  const auto r = allocate_quotas({&t, &org, &reps, &h}, o);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"R1", "1000"}, {"R2", "0"}, {"a", "500"},
                               {"b", "500"}}));
  const auto& r2 = *r.find("R2");
  EXPECT_EQ(r.note(r2, r2.step_count - 1), "no reps under this node: it carries no quota");
}

TEST(QuotaAllocation, EqualProbabilityWithoutExpectedOrHistoryIsRejected) {
  auto reps = flat_reps({"A", "B"});
  reps.add(decimals("expected_sales", {"100", ""}));
  reps.add(decimals("volatility", {"10", "10"}));
  auto t = targets("CO", "200");
  AllocationOptions o;
  o.method = Method::equal_probability;
  const auto r = allocate_quotas({&t, nullptr, &reps, nullptr}, o);
  ASSERT_EQ(r.rejects.num_rows(), 1u);
  EXPECT_EQ(r.rejects.strings("id")[0], "B");
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "200"}, {"A", "200"}}));
  const NodeQuota copy = *r.find("A");
  EXPECT_THROW((void)r.note(copy, 0), InvalidInputError);
}

TEST(QuotaAllocation, InfeasibleFloorsAreReportedAndTotalsStillHold) {
  // Three floors of 800 need 2400 of a 2000 target: reported, and shared by the floors instead:
  // 666.67 each -> 667, 667, 666.
  auto reps = flat_reps({"A", "B", "C"});
  auto t = targets("CO", "2000");
  auto h = history({"A", "B", "C"}, {"1", "1", "8"});
  AllocationOptions o;
  o.method = Method::history;
  o.min_quota = d("800");
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(r.status, AllocationStatus::infeasible);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].node_id, "CO");
  EXPECT_EQ(r.violations[0].message,
            "the children's floors and locks need 2400 but 2000 is to share (short 400); shared "
            "in proportion to the floors instead: loosen the constraints or change the target");
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "2000"}, {"A", "667"}, {"B", "667"}, {"C", "666"}}));
}

TEST(QuotaAllocation, IncrementRoundsToThousands) {
  // 100000 by 1 : 1 : 1 in thousands: 34000, 33000, 33000.
  auto reps = flat_reps({"A", "B", "C"});
  auto t = targets("CO", "100000");
  auto h = history({"A", "B", "C"}, {"7", "7", "7"});
  AllocationOptions o;
  o.method = Method::history;
  o.increment = d("1000");
  EXPECT_EQ(quotas(allocate_quotas({&t, nullptr, &reps, &h}, o)),
            (Quotas{{"CO", "100000"}, {"A", "34000"}, {"B", "33000"}, {"C", "33000"}}));
}

TEST(QuotaAllocation, RejectsNameTheRowAndTheFix) {
  Table reps;
  reps.add(strings("rep_id", {"A", "B", "A", "X", "N", ""}));
  reps.add(strings("parent_id", {"CO", "CO", "CO", "NOPE", "CO", "CO"}));
  reps.add(decimals("accounts", {"1", "-2", "1", "1", "1", "1"}));
  auto t = targets("CO", "100");
  auto h = history({"A", "Z"}, {"10", "5"});
  AllocationOptions o;
  o.method = Method::blend;
  o.factors = {{"accounts", d("1")}};
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  const auto& rj = r.rejects;
  ASSERT_EQ(rj.num_rows(), 6u);
  std::vector<std::string> got;
  for (std::size_t i = 0; i < rj.num_rows(); ++i) {
    got.push_back(std::string(rj.strings("source")[i]) + ":" +
                  std::to_string(rj.values<std::int64_t>("row")[i]) + ":" +
                  std::string(rj.strings("reason")[i]));
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "reps:2:accounts is negative (-2); factors must be 0 or more",
                     "reps:3:rep_id 'A' is listed twice (first at row 1); keep one row per rep",
                     "reps:4:parent_id 'NOPE' is not a node of targets (there is no org table); "
                     "fix the parent or add the node",
                     "reps:5:no history in the base window [2025-01-01, 2026-01-01); give history "
                     "rows or treat new reps as new hires (no_history = new_hire)",
                     "reps:6:rep_id is empty; give every rep an id",
                     "history:2:rep_id 'Z' is not a rep in the reps table; add it there or fix "
                     "the id",
                 }));
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "100"}, {"A", "100"}}));
}

TEST(QuotaAllocation, UnknownParentIsARejectAndNewHiresTakeTheSiblingMean) {
  Table reps;
  reps.add(strings("rep_id", {"A", "B", "X"}));
  reps.add(strings("parent_id", {"CO", "CO", "NOPE"}));
  auto t = targets("CO", "300");
  auto h = history({"A"}, {"100"});
  Table org;
  org.add(strings("node_id", {"CO"}));
  {
    auto p = Column::of("parent_id", std::vector<std::string>{""});
    p.set_validity({0});
    org.add(std::move(p));
  }
  AllocationOptions o;
  o.method = Method::history;
  o.no_history = NoHistoryPolicy::new_hire;
  const auto r = allocate_quotas({&t, &org, &reps, &h}, o);
  ASSERT_EQ(r.rejects.num_rows(), 1u);
  EXPECT_EQ(r.rejects.strings("reason")[0],
            "parent_id 'NOPE' is not a node of the org; fix the parent or add the node to org");
  // B is new: it counts as the mean of its siblings with history (100), so 150 each.
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "300"}, {"A", "150"}, {"B", "150"}}));
}

TEST(QuotaAllocation, ErrorsForUnusableInputs) {
  auto reps = flat_reps({"A"});
  reps.add(decimals("accounts", {"1"}));
  auto h = history({"A"}, {"1"});
  auto t = targets("CO", "100");
  AllocationOptions o;
  o.method = Method::potential;
  o.factors = {{"accounts", d("0.6")}};
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)allocate_quotas({&t, nullptr, &reps, &h}, o); }, "quota.options",
      "[quota.options] factors: the factor weights sum to 0.6; they must sum to exactly 1 (e.g. "
      "0.6 and 0.4)"));
  o.factors = {{"accounts", d("1")}};
  o.increment = d("1000");
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)allocate_quotas({&t, nullptr, &reps, &h}, o); }, "quota.target",
      "[quota.target] targets row 1: the target of 'CO' (100) is not a multiple of the increment "
      "1000; round it or choose a finer increment"));
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [] { (void)parse_method("fair"); }, "quota.method",
      "[quota.method] method: unknown method 'fair'; use one of history, potential, blend, "
      "growth_percent, growth_absolute, regression, equal_probability, ratchet"));
  o.increment = d("1");
  o.factors = {{"visits", d("1")}};
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)allocate_quotas({&t, nullptr, &reps, &h}, o); }, "quota.column",
      "[quota.column] reps.visits: the reps table has no column 'visits'; add it (type decimal)"));
}

// User testing: --max-increase 30 silently meant +3000%, and a negative cushion was taken. A
// percent typed as a fraction is refused with both ways to write it; so is under-assignment.
TEST(QuotaAllocation, PercentsTypedAsFractionsAndNegativeCushionsAreRefused) {
  auto reps = flat_reps({"A", "B"});
  auto h = history({"A", "B"}, {"100", "100"});
  auto t = targets("CO", "1000");
  const auto refused = [&](const AllocationOptions& o, const std::string& what) {
    return test::throws_error<InvalidInputError>(
        [&] { (void)allocate_quotas({&t, nullptr, &reps, &h}, o); }, "quota.options", what);
  };
  AllocationOptions o;
  o.method = Method::history;
  o.max_increase = d("30");
  EXPECT_TRUE(refused(o, "[quota.options] max_increase: max_increase 30 means up to +3000%; for "
                         "30% write 0.3 or 30%"));
  o.max_increase = d("10");  // the most common slip: 10 for 10%
  EXPECT_TRUE(refused(o, "[quota.options] max_increase: max_increase 10 means up to +1000%; for "
                         "10% write 0.1 or 10%"));
  o.max_increase = d("9.99");  // +999%: large, but a cap someone may mean
  EXPECT_NO_THROW((void)allocate_quotas({&t, nullptr, &reps, &h}, o));
  o.max_increase.reset();
  o.max_decrease = d("30");
  EXPECT_TRUE(refused(o, "[quota.options] max_decrease: max_decrease 30 means down to -3000%, "
                         "below zero; it must be between 0 and 1: for 30% write 0.3 or 30%"));
  o.max_decrease = d("1");  // down to zero: allowed
  EXPECT_NO_THROW((void)allocate_quotas({&t, nullptr, &reps, &h}, o));
  o.max_decrease.reset();
  o.cushions = {d("0.1"), d("-0.2")};
  EXPECT_TRUE(refused(o, "[quota.options] cushions[1]: the cushion -0.2 is negative: the children "
                         "would share less than the target, so it is missed even if all of them "
                         "attain; give 0 or more (0.1 = 10% over-assignment, 0 for none at this "
                         "level)"));
  o.cushions = {d("10")};
  EXPECT_TRUE(refused(o, "[quota.options] cushions[0]: the cushion 10 means +1000% "
                         "over-assignment; for 10% write 0.1 or 10%"));
  o.cushions = {d("1")};
  EXPECT_TRUE(refused(o, "[quota.options] cushions[0]: the cushion 1 means +100% "
                         "over-assignment; for 1% write 0.01 or 1%"));
  o.cushions = {d("0.99"), d("0")};
  EXPECT_NO_THROW((void)allocate_quotas({&t, nullptr, &reps, &h}, o));
}

// The same values in the reps table are bulk data: the rep goes to rejects with the reason (the
// file's columns are decimals, so the hint is the fraction only).
TEST(QuotaAllocation, RepLimitsThatArePercentsTypedAsFractionsAreRejected) {
  auto reps = flat_reps({"A", "B", "C"});
  reps.add(decimals("max_increase", {"30", "", "0.3"}));
  reps.add(decimals("max_decrease", {"", "1.5", "0.1"}));
  auto h = history({"A", "B", "C"}, {"100", "100", "100"});
  auto t = targets("CO", "300");
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  ASSERT_EQ(r.rejects.num_rows(), 4u);  // A's and B's reps rows, then their history rows
  EXPECT_EQ(r.rejects.strings("source")[1], "reps");
  EXPECT_EQ(r.rejects.strings("id")[0], "A");
  EXPECT_EQ(r.rejects.strings("reason")[0],
            "max_increase 30 means up to +3000%; for 30% write 0.3");
  EXPECT_EQ(r.rejects.strings("id")[1], "B");
  EXPECT_EQ(r.rejects.strings("reason")[1],
            "max_decrease 1.5 means down to -150%, below zero; it must be between 0 and 1: for "
            "1.5% write 0.015");
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "300"}, {"C", "300"}}));
}

// The base window takes period text as spm comp does (spm quota allocate --base, Python base=).
TEST(QuotaAllocation, BaseWindowTakesPeriodText) {
  EXPECT_EQ(parse_base_window("2025").to_string(), "[2025-01-01, 2026-01-01)");
  EXPECT_EQ(parse_base_window("2025-Q4").to_string(), "[2025-10-01, 2026-01-01)");
  EXPECT_EQ(parse_base_window("2025-q4").to_string(), "[2025-10-01, 2026-01-01)");
  EXPECT_EQ(parse_base_window("2025-01..2025-06").to_string(), "[2025-01-01, 2025-07-01)");
  EXPECT_EQ(parse_base_window("2025-02-01..2026-02-01").to_string(), "[2025-02-01, 2026-02-01)");
  const std::string forms =
      "; write a year 2025, a quarter 2025-Q4, a half 2025-H2, a month 2025-03, months "
      "2025-01..2025-06 (inclusive) or dates 2025-01-01..2026-01-01 (half-open)";
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [] { (void)parse_base_window("last year"); }, "quota.options",
      "[quota.options] base: 'last year' is not a period" + forms));
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [] { (void)parse_base_window("2025-01..2025-13"); }, "quota.options",
      "[quota.options] base: '2025-01..2025-13' is not a period ('2025-13' is not)" + forms));
}

Table org_table(std::vector<std::string> ids, std::vector<std::string> parents) {
  Table org;
  std::vector<std::uint8_t> valid;
  for (const auto& p : parents) valid.push_back(p.empty() ? 0 : 1);
  org.add(strings("node_id", std::move(ids)));
  auto p = Column::of("parent_id", std::move(parents));
  p.set_validity(std::move(valid));
  org.add(std::move(p));
  return org;
}

TEST(QuotaAllocation, NegativeMaxDecreaseIsRejected) {
  // -0.5 would raise the floor above the reference (100 x 1.5); like 1.5 it is rejected.
  auto reps = flat_reps({"A", "B"});
  reps.add(decimals("last_quota", {"100", "100"}));
  reps.add(decimals("max_decrease", {"-0.5", ""}));
  auto t = targets("CO", "100");
  AllocationOptions o;
  o.method = Method::ratchet;
  o.no_history = NoHistoryPolicy::new_hire;
  const auto r = allocate_quotas({&t, nullptr, &reps, nullptr}, o);
  ASSERT_EQ(r.rejects.num_rows(), 1u);
  EXPECT_EQ(r.rejects.strings("reason")[0], "max_decrease is -0.5; it must be between 0 and 1");
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "100"}, {"B", "100"}}));
}

TEST(QuotaAllocation, ARootWithoutUsableRepsIsInfeasible) {
  // CO's only reps are rejected: its target 1000 reaches nobody, so the status says so.
  auto org = org_table({"CO", "EU"}, {"", ""});
  Table reps;
  reps.add(strings("rep_id", {"A", "C"}));
  reps.add(strings("parent_id", {"CO", "EU"}));
  reps.add(decimals("last_quota", {"", "100"}));
  Table t;
  t.add(strings("node_id", {"CO", "EU"}));
  t.add(decimals("target", {"1000", "500"}));
  AllocationOptions o;
  o.method = Method::ratchet;
  o.no_history = NoHistoryPolicy::new_hire;
  const auto r = allocate_quotas({&t, &org, &reps, nullptr}, o);
  EXPECT_EQ(r.status, AllocationStatus::infeasible);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].node_id, "CO");
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"EU", "500"}, {"C", "500"}}));
  EXPECT_EQ(r.violations[0].message,
            "no usable reps under this node, so its target 1000 reaches no rep: fix their rows "
            "(see the rejects) or add reps");
}

TEST(QuotaAllocation, ALockedNodeWithoutUsableRepsIsInfeasible) {
  // EU's target 300 locks it, but its only rep is rejected: 300 reaches nobody.
  auto org = org_table({"CO", "EU", "US"}, {"", "CO", "CO"});
  Table reps;
  reps.add(strings("rep_id", {"A", "B"}));
  reps.add(strings("parent_id", {"EU", "US"}));
  reps.add(decimals("last_quota", {"-5", "100"}));
  Table t;
  t.add(strings("node_id", {"CO", "EU"}));
  t.add(decimals("target", {"1000", "300"}));
  auto h = history({"A", "B"}, {"1", "1"});
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, &org, &reps, &h}, o);
  EXPECT_EQ(r.status, AllocationStatus::infeasible);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].node_id, "EU");
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"EU", "300"}, {"US", "700"}, {"B", "700"}}));
}

TEST(QuotaAllocation, ATargetOnARejectedRepSaysWhy) {
  auto reps = flat_reps({"A", "B"});
  reps.add(decimals("last_quota", {"-5", "100"}));
  Table t;
  t.add(strings("node_id", {"CO", "A"}));
  t.add(decimals("target", {"1000", "300"}));
  auto h = history({"A", "B"}, {"100", "100"});
  AllocationOptions o;
  o.method = Method::history;
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)allocate_quotas({&t, nullptr, &reps, &h}, o); }, "quota.target",
      "[quota.target] targets row 2: rep 'A' was rejected (reps row 1: last_quota is negative "
      "(-5); it must be 0 or more); fix its row in reps, or remove this target"));
}

TEST(QuotaAllocation, ExplainShowsTheIncrementsPlaces) {
  // Target 1 over three equal reps to 0.001: A gets the remainder, 0.334.
  auto reps = flat_reps({"A", "B", "C"});
  auto t = targets("CO", "1");
  auto h = history({"A", "B", "C"}, {"1", "1", "1"});
  AllocationOptions o;
  o.method = Method::history;
  o.increment = d("0.001");
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  const auto text = explain(r, "A");
  EXPECT_NE(text.find("rounding       +0.001            = 0.334"), std::string::npos) << text;
  EXPECT_NE(text.find("method         0.333             = 0.333"), std::string::npos) << text;
}

TEST(QuotaAllocation, ExplainingARejectedRepSaysWhy) {
  // B has history in no base window with the reject policy: rejected, and explain says so.
  auto reps = flat_reps({"A", "B"});
  auto t = targets("CO", "100");
  auto h = history({"A"}, {"1"});
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  ASSERT_EQ(r.rejects.num_rows(), 1U);
  try {
    (void)explain(r, "B");
    FAIL() << "B has no quota";
  } catch (const InvalidInputError& e) {
    EXPECT_EQ(e.id(), "quota.node");
    EXPECT_NE(std::string(e.what()).find("'B' has no quota: it was rejected (reps row 2: "),
              std::string::npos) << e.what();
  }
  EXPECT_TRUE(test::throws_error<InvalidInputError>([&] { (void)explain(r, "Z"); }, "quota.node",
                                                    "[quota.node] Z: no node 'Z' in the result; check the id"));
}

TEST(QuotaAllocation, ARepsParentEmptyOrARepIsSaidSo) {
  Table reps;
  reps.add(strings("rep_id", {"A", "B", "C"}));
  reps.add(strings("parent_id", {"CO", "", "A"}));
  auto t = targets("CO", "100");
  auto h = history({"A", "B", "C"}, {"1", "1", "1"});
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  ASSERT_EQ(r.rejects.num_rows(), 4U);  // B and C, then their history rows
  EXPECT_EQ(r.rejects.strings("reason")[0], "parent_id is empty: a rep needs its manager or team (a "
                                            "node of the org, or of targets without an org)");
  EXPECT_EQ(r.rejects.strings("reason")[1],
            "parent_id 'A' is a rep; a rep's parent is a node of the org or targets");
}

TEST(QuotaAllocation, HierarchyErrors) {
  auto reps = flat_reps({"A"});
  auto h = history({"A"}, {"1"});
  auto t = targets("CO", "100");
  AllocationOptions o;
  o.method = Method::history;
  auto cycle = org_table({"CO", "M1", "M2"}, {"", "M2", "M1"});
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)allocate_quotas({&t, &cycle, &reps, &h}, o); }, "quota.hierarchy",
      "[quota.hierarchy] org.parent_id: the org has a cycle: M1 -> M2 -> M1; every chain of "
      "parents must end at a root"));
  auto orphan = org_table({"CO", "M1"}, {"", "MX"});
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)allocate_quotas({&t, &orphan, &reps, &h}, o); }, "quota.hierarchy",
      "[quota.hierarchy] org.parent_id: node 'M1' (row 2) names parent 'MX', which is not an org "
      "node; add it, or leave parent_id empty for a root"));
  auto two_roots = org_table({"CO", "EU"}, {"", ""});
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)allocate_quotas({&t, &two_roots, &reps, &h}, o); }, "quota.target",
      "[quota.target] targets: root 'EU' has no target; add a row (node_id EU, target) to "
      "targets"));
}

// ---- properties on random hierarchies --------------------------------------------------------

// A uniform integer in [lo, hi].
std::uint64_t int_between(Random& rng, std::uint64_t lo, std::uint64_t hi) {
  return lo + rng.below(hi - lo + 1);
}

struct RandomCase {
  Table org, reps, hist, targets;
};

RandomCase random_case(std::uint64_t seed, bool shuffle) {
  Random rng(seed);
  RandomCase c;
  std::vector<std::string> org_ids{"CO"}, org_parents{""};
  std::vector<std::string> managers;
  for (int r = 0; r < 3; ++r) {
    const std::string region = "R" + std::to_string(r);
    org_ids.push_back(region);
    org_parents.push_back("CO");
    for (int m = 0; m < 3; ++m) {
      const std::string mgr = region + "M" + std::to_string(m);
      org_ids.push_back(mgr);
      org_parents.push_back(region);
      managers.push_back(mgr);
    }
  }
  std::vector<std::string> rep_ids, rep_parents, acc, last, hist_ids, hist_sales;
  for (int i = 0; i < 60; ++i) {
    const std::string id = "P" + std::to_string(100 + i);
    rep_ids.push_back(id);
    rep_parents.push_back(managers[int_between(rng, 0, managers.size() - 1)]);
    acc.push_back(std::to_string(int_between(rng, 1, 80)));
    last.push_back(std::to_string(int_between(rng, 50, 500) * 1000));
    hist_ids.push_back(id);
    hist_sales.push_back(std::to_string(int_between(rng, 10, 600) * 1000) + ".25");
  }
  if (shuffle) {
    for (std::size_t i = rep_ids.size() - 1; i > 0; --i) {
      const auto j = int_between(rng, 0, i);
      std::swap(rep_ids[i], rep_ids[j]);
      std::swap(rep_parents[i], rep_parents[j]);
      std::swap(acc[i], acc[j]);
      std::swap(last[i], last[j]);
    }
  }
  c.org = org_table(org_ids, org_parents);
  c.reps.add(strings("rep_id", rep_ids));
  c.reps.add(strings("parent_id", rep_parents));
  c.reps.add(decimals("accounts", acc));
  c.reps.add(decimals("last_quota", last));
  c.hist = history(hist_ids, hist_sales);
  c.targets = targets("CO", "20000000");
  return c;
}

void expect_children_sum_to_parent(const AllocationResult& r, const AllocationOptions& o) {
  std::map<std::string, Decimal> child_sum;
  std::map<std::string, const NodeQuota*> by_id;
  for (const auto& n : r.nodes) {
    by_id[n.node_id] = &n;
    if (!n.parent_id.empty()) child_sum[n.parent_id] += n.quota;
  }
  for (const auto& [parent, sum] : child_sum) {
    const auto* p = by_id[parent];
    Decimal amount = p->quota;
    const auto dpt = static_cast<std::size_t>(p->depth);
    if (dpt < o.cushions.size()) {
      amount = Decimal::mul(Decimal::div(Decimal::mul(p->quota, Decimal(1) + o.cushions[dpt]),
                                         o.increment, 0),
                            o.increment);
    }
    EXPECT_EQ(sum, amount) << "children of " << parent;
  }
  for (const auto& n : r.nodes) {
    EXPECT_EQ(Decimal::div(n.quota, o.increment, 0, Rounding::down) * o.increment, n.quota)
        << n.node_id << " is not a multiple of the increment";
    // Every step adds its amount to the running total, and the last one before a cushion is
    // the quota.
    const auto t = r.trace(n);
    ASSERT_FALSE(t.empty()) << n.node_id;
    Decimal running = t[0].running;
    EXPECT_EQ(t[0].amount, t[0].running) << n.node_id;
    for (std::size_t i = 1; i < t.size(); ++i) {
      if (t[i].kind == StepKind::cushion) {
        EXPECT_EQ(running, n.quota) << n.node_id;
        EXPECT_EQ(t[i].running, n.quota + t[i].amount) << n.node_id;
        continue;
      }
      running += t[i].amount;
      EXPECT_EQ(t[i].running, running) << n.node_id << " step " << i + 1;
    }
    if (t.back().kind != StepKind::cushion) {
      EXPECT_EQ(running, n.quota) << n.node_id;
    }
  }
}

TEST(QuotaAllocationProperties, EveryMethodConservesTotalsAndIgnoresRowOrder) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    auto a = random_case(seed, false);
    auto b = random_case(seed, true);
    for (auto m : {Method::history, Method::potential, Method::blend, Method::growth_percent,
                   Method::growth_absolute, Method::regression, Method::equal_probability,
                   Method::ratchet}) {
      AllocationOptions o;
      o.method = m;
      o.factors = {{"accounts", d("1")}};
      o.increment = d("1000");
      o.cushions = {d("0.05"), d("0.1")};
      o.max_increase = d("0.6");
      o.max_decrease = d("0.4");
      o.min_quota = d("20000");
      const auto ra = allocate_quotas({&a.targets, &a.org, &a.reps, &a.hist}, o);
      SCOPED_TRACE(std::string(to_string(m)) + " seed " + std::to_string(seed));
      expect_children_sum_to_parent(ra, o);
      if (ra.status == AllocationStatus::ok) {
        for (const auto& n : ra.nodes) {
          if (!n.is_rep || !n.reference) continue;
          EXPECT_GE(n.quota, Decimal::mul(*n.reference, d("0.6")) - o.increment) << n.node_id;
          EXPECT_LE(n.quota, Decimal::mul(*n.reference, d("1.6"))) << n.node_id;
          EXPECT_GE(n.quota, d("20000")) << n.node_id;
        }
      }
      const auto rb = allocate_quotas({&b.targets, &b.org, &b.reps, &b.hist}, o);
      EXPECT_EQ(quotas(ra), quotas(rb));
    }
  }
}

TEST(QuotaAllocationProperties, EqualProbabilityZIsEqualBeforeRounding) {
  auto c = random_case(11, false);
  std::vector<std::string> mean, vol;
  Random rng(3);
  for (std::size_t i = 0; i < c.reps.num_rows(); ++i) {
    mean.push_back(std::to_string(int_between(rng, 100, 900) * 1000));
    vol.push_back(std::to_string(int_between(rng, 10, 90) * 1000));
  }
  c.reps.add(decimals("expected_sales", mean));
  c.reps.add(decimals("volatility", vol));
  AllocationOptions o;
  o.method = Method::equal_probability;
  o.increment = d("0.01");
  Table reps;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < c.reps.num_rows(); ++i) ids.emplace_back(c.reps.strings("rep_id")[i]);
  reps.add(strings("rep_id", ids));
  reps.add(strings("parent_id", std::vector<std::string>(ids.size(), "CO")));
  reps.add(decimals("expected_sales", mean));
  reps.add(decimals("volatility", vol));
  auto t = targets("CO", "40000000");
  const auto r = allocate_quotas({&t, nullptr, &reps, nullptr}, o);
  std::map<std::string, std::pair<double, double>> mv;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    mv[ids[i]] = {Decimal::parse(mean[i]).to_double(), Decimal::parse(vol[i]).to_double()};
  }
  double z0 = 0;
  bool first = true;
  for (const auto& n : r.nodes) {
    if (!n.is_rep) continue;
    const double z = (n.quota.to_double() - mv[n.node_id].first) / mv[n.node_id].second;
    if (first) z0 = z;
    first = false;
    EXPECT_NEAR(z, z0, 1e-6) << n.node_id;  // cents of rounding over volatilities >= 10000
  }
}

// note(node, i) past the node's trace steps: an error naming the count, not a read past them.
TEST(QuotaAllocation, NoteOfAStepThatDoesNotExist) {
  auto reps = flat_reps({"A", "B"});
  auto t = targets("CO", "1000");
  auto h = history({"A", "B"}, {"1", "3"});
  AllocationOptions o;
  o.method = Method::history;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  const auto& a = *r.find("A");
  EXPECT_EQ(r.note(a, 0), "history: sales 1 of 4 = 25% of 1000");
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)r.note(a, a.step_count); }, "quota.node",
      "[quota.node] A: note(node, 1): the node has 1 trace steps (0 to 0)"));
}

}  // namespace
}  // namespace spm::quota
