// Quota allocation inputs that are wrong without being errors: history naming no rep, rows that
// could not be read, misspelt or loosely written columns, a rep id that is also a root, an empty
// reps table, numbers beyond the decimal range, and negative bases (net clawbacks). Each is
// either said in a note or a reject, or gives a reason naming its row. Found by a user test.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/quota/allocation.hpp>
#include <support/throws_error.hpp>

namespace spm::quota {
namespace {

using io::Column;
using io::Table;

Column strings(const char* name, std::vector<std::string> v) { return Column::of(name, std::move(v)); }

Column decimals(const char* name, const std::vector<std::string>& v) {
  std::vector<Decimal> vals;
  for (const auto& x : v) vals.push_back(Decimal::parse(x));
  return Column::of(name, std::move(vals));
}

Table reps_under(const std::vector<std::string>& ids, const std::vector<std::string>& parents) {
  Table t;
  t.add(strings("rep_id", ids));
  t.add(strings("parent_id", parents));
  return t;
}

Table flat_reps(const std::vector<std::string>& ids) {
  return reps_under(ids, std::vector<std::string>(ids.size(), "CO"));
}

Table targets(const std::vector<std::string>& nodes, const std::vector<std::string>& amounts) {
  Table t;
  t.add(strings("node_id", nodes));
  t.add(decimals("target", amounts));
  return t;
}

Table history(const std::vector<std::string>& reps, const std::vector<std::string>& sales) {
  Table t;
  t.add(strings("rep_id", reps));
  t.add(Column::of("period_start", std::vector<Date>(reps.size(), Date(2025, 1, 1))));
  t.add(decimals("sales", sales));
  return t;
}

using Quotas = std::map<std::string, std::string>;

Quotas quotas(const AllocationResult& r) {
  Quotas m;
  for (const auto& n : r.nodes) m[n.node_id] = n.quota.to_string();
  return m;
}

std::vector<std::string> rejects(const AllocationResult& r) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.rejects.num_rows(); ++i) {
    out.push_back(std::string(r.rejects.strings("source")[i]) + ":" +
                  std::to_string(r.rejects.values<std::int64_t>("row")[i]) + ":" +
                  std::string(r.rejects.strings("reason")[i]));
  }
  return out;
}

AllocationOptions by(Method m) {
  AllocationOptions o;
  o.method = m;
  return o;
}

// History ids in another case, with a trailing blank or other leading zeros matched no rep: the
// reps silently became new hires (equal split), status ok, no note.
TEST(QuotaAllocationInputs, HistoryNamingNoRepIsNotedWithTheNearMatch) {
  auto reps = flat_reps({"r001", "r002", "A "});
  auto t = targets({"CO"}, {"1000"});
  auto h = history({"R001", "r2", "A"}, {"900", "50", "50"});
  auto o = by(Method::history);
  o.no_history = NoHistoryPolicy::new_hire;
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, o);
  EXPECT_EQ(r.status, AllocationStatus::ok);
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"A ", "334"}, {"r001", "333"}, {"r002", "333"}}));
  EXPECT_EQ(r.notes, (std::vector<std::string>{
                         "3 history rows name a rep_id that is not in the reps table; their sales "
                         "are not used (see the rejects). 3 of them differ from a rep's id only by "
                         "case, blanks or leading zeros ('R001' for 'r001'), so 3 reps lost "
                         "history rows and 3 have none left (they are new hires if the method "
                         "needs history); fix the ids"}));
  EXPECT_EQ(rejects(r), (std::vector<std::string>{
                            "history:1:rep_id 'R001' is not a rep in the reps table; did you mean "
                            "'r001' (the ids differ only by case, blanks or leading zeros)?",
                            "history:2:rep_id 'r2' is not a rep in the reps table; did you mean "
                            "'r002' (the ids differ only by case, blanks or leading zeros)?",
                            "history:3:rep_id 'A' is not a rep in the reps table; did you mean 'A ' "
                            "(the ids differ only by case, blanks or leading zeros)?"}));
  // An id like no rep's is counted without a hint.
  auto far = history({"r001", "r002", "A ", "ZZ"}, {"1", "1", "1", "1"});
  const auto r2 = allocate_quotas({&t, nullptr, &reps, &far}, o);
  EXPECT_EQ(r2.notes, (std::vector<std::string>{
                          "1 history rows name a rep_id that is not in the reps table; their sales "
                          "are not used (see the rejects)"}));
}

// Rows a reader could not read: counted per table, and a rep whose only history row it was is
// told so (it was "no history in the base window").
TEST(QuotaAllocationInputs, UnreadRowsAreNotedAndNamedAsTheReason) {
  auto reps = flat_reps({"A", "B"});
  auto t = targets({"CO"}, {"1000"});
  auto h = history({"A"}, {"100"});  // B's history row 3 could not be read
  AllocationInputs in{&t, nullptr, &reps, &h};
  in.unread = {{"B", "history", 3}, {"C", "reps", 4}};
  const auto r = allocate_quotas(in, by(Method::history));
  EXPECT_EQ(rejects(r), (std::vector<std::string>{
                            "reps:2:no history could be used: its history row 3 could not be read "
                            "(see the rejects); fix that row"}));
  EXPECT_EQ(r.notes, (std::vector<std::string>{
                         "1 rep rows were rejected; the targets went to the reps left under their "
                         "nodes (fix the rows in the rejects to give them quotas)",
                         "1 rows of reps could not be read (text that is not a decimal or date); "
                         "their reps have no quota (fix the rows in the rejects)",
                         "1 rows of history could not be read (text that is not a decimal or "
                         "date); their sales are not counted, which lowers those reps' shares "
                         "(fix the rows in the rejects)"}));
}

// Columns are found as the CSV reader finds headers, whatever door the table came through;
// one that looks misspelt is noted rather than silently ignored.
TEST(QuotaAllocationInputs, LooseColumnNamesAreReadAndMisspeltOnesNoted) {
  auto t = targets({"CO"}, {"1000"});
  auto h = history({"A", "B"}, {"100", "900"});
  auto loose = flat_reps({"A", "B"});
  loose.add(decimals("Last Quota", {"100", "100"}));
  loose.add(decimals("Max Increase", {"0.1", "0.1"}));
  auto o = by(Method::history);
  const auto r = allocate_quotas({&t, nullptr, &loose, &h}, o);
  // B's share 900 is capped at 100 x 1.1 = 110: the cap column was read.
  EXPECT_EQ(r.status, AllocationStatus::infeasible);
  EXPECT_TRUE(r.notes.empty());

  auto typo = flat_reps({"A", "B"});
  typo.add(decimals("last_quota", {"100", "100"}));
  typo.add(decimals("max_increse", {"0.1", "0.1"}));
  typo.add(strings("region", {"E", "W"}));
  const auto r2 = allocate_quotas({&t, nullptr, &typo, &h}, o);
  EXPECT_EQ(quotas(r2), (Quotas{{"CO", "1000"}, {"A", "100"}, {"B", "900"}}));
  EXPECT_EQ(r2.notes, (std::vector<std::string>{
                          "reps column 'max_increse' is not read; did you mean 'max_increase'? "
                          "(rename it to be used)"}));
}

// Without an org, a reps row whose id is a targets node that reps hang from swallowed that
// root's target.
TEST(QuotaAllocationInputs, RepIdThatIsARootOfTargetsIsRejected) {
  auto reps = reps_under({"a", "b", "c", "TEAM2"}, {"TEAM1", "TEAM1", "TEAM2", "TEAM1"});
  auto t = targets({"TEAM1", "TEAM2"}, {"1000", "2000"});
  auto h = history({"a", "b", "c", "TEAM2"}, {"1", "3", "5", "9"});
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, by(Method::history));
  EXPECT_EQ(r.status, AllocationStatus::ok);
  EXPECT_EQ(quotas(r), (Quotas{{"TEAM1", "1000"}, {"a", "250"}, {"b", "750"},
                               {"TEAM2", "2000"}, {"c", "2000"}}));
  ASSERT_FALSE(rejects(r).empty());
  EXPECT_EQ(rejects(r).front(), "reps:4:rep_id 'TEAM2' is also a node of targets that other reps "
                                "name as their parent; rep and node ids must differ");
  // A rep named in targets to lock it, and nobody's parent, is still a rep.
  auto lock_reps = flat_reps({"A", "B"});
  auto lock_t = targets({"CO", "A"}, {"1000", "300"});
  auto lock_h = history({"A", "B"}, {"1", "1"});
  EXPECT_EQ(quotas(allocate_quotas({&lock_t, nullptr, &lock_reps, &lock_h}, by(Method::history))),
            (Quotas{{"CO", "1000"}, {"A", "300"}, {"B", "700"}}));
}

TEST(QuotaAllocationInputs, EmptyRepsTableIsNamed) {
  auto reps = flat_reps({});
  auto t = targets({"CO"}, {"1000"});
  EXPECT_TRUE(test::throws_error<InvalidInputError>(
      [&] { (void)allocate_quotas({&t, nullptr, &reps, nullptr}, by(Method::growth_percent)); },
      "quota.reps", "[quota.reps] reps: the reps table has no rows; give a row (rep_id, parent_id) per rep"));
}

TEST(QuotaAllocationInputs, OverflowNamesWhereItHappened) {
  auto reps = flat_reps({"A", "B"});
  auto t = targets({"CO"}, {"1000"});
  Table h;
  h.add(strings("rep_id", {"A", "A"}));
  h.add(Column::of("period_start", std::vector<Date>(2, Date(2025, 1, 1))));
  h.add(decimals("sales", {"100000000000000000000000000", "100000000000000000000000000"}));
  EXPECT_TRUE(test::throws_error<ArithmeticError>(
      [&] { (void)allocate_quotas({&t, nullptr, &reps, &h}, by(Method::history)); },
      "decimal.overflow",
      "[decimal.overflow] history row 2: adding sales 100000000000000000000000000 to the sales "
      "of rep 'A' goes beyond the decimal range (about 1.7e26); check the magnitude or units of "
      "the history's sales column"));
  auto h2 = history({"A", "B"}, {"100000000000000000000000000", "100000000000000000000000000"});
  EXPECT_TRUE(test::throws_error<ArithmeticError>(
      [&] { (void)allocate_quotas({&t, nullptr, &reps, &h2}, by(Method::history)); },
      "decimal.overflow",
      "[decimal.overflow] reps: summing the reps' history sales, last quotas or factors up the "
      "hierarchy goes beyond the decimal range (about 1.7e26); check the magnitude or units of "
      "those columns"));
  // A large target over small sales fits; its change percent (x 100 before dividing) used to
  // overflow with no word of where.
  auto big = targets({"CO"}, {"100000000000000000000000000"});
  auto small = history({"A", "B"}, {"10000000000000000000", "30000000000000000000"});
  const auto r = allocate_quotas({&big, nullptr, &reps, &small}, by(Method::history));
  EXPECT_EQ(r.quotas_table().values<Decimal>("change_percent")[1].to_string(), "249999900");
}

// ---- negative bases (net clawbacks) ----------------------------------------------------------

// One rule at every level: a rep's negative base counts as 0, and a node's base is the sum of
// its reps' counted bases. Before, E (a -1000, b +1000) summed to 0, so b got nothing.
TEST(QuotaAllocationInputs, NegativeBaseCountsAsZeroAtEveryLevel) {
  Table org;
  org.add(strings("node_id", {"CO", "E", "W"}));
  auto parents = Column::of("parent_id", std::vector<std::string>{"", "CO", "CO"});
  parents.set_validity({0, 1, 1});
  org.add(std::move(parents));
  auto reps = reps_under({"a", "b", "c"}, {"E", "E", "W"});
  auto t = targets({"CO"}, {"1000"});
  auto h = history({"a", "b", "c"}, {"-1000", "1000", "1000"});
  const auto r = allocate_quotas({&t, &org, &reps, &h}, by(Method::history));
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"E", "500"}, {"a", "0"}, {"b", "500"},
                               {"W", "500"}, {"c", "500"}}));
  EXPECT_EQ(r.notes, (std::vector<std::string>{
                         "1 reps have a negative base (net sales below zero in the base window, "
                         "e.g. 'a'); a negative base counts as 0 in the method's shares, for the "
                         "rep and for the nodes above it"}));
  const auto* a = r.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(r.note(*a, 0), "history: sales -1000 (negative: counts as 0) of 1000 = 0% of 500");
  // No percent change over a negative reference.
  const auto table = r.quotas_table();
  EXPECT_TRUE(table.column("change_percent").is_null(2));  // a
  EXPECT_EQ(table.values<Decimal>("reference")[2].to_string(), "-1000");
}

// A change limit on a negative base cannot hold; the reason says so instead of "loosen
// max_increase".
TEST(QuotaAllocationInputs, ChangeLimitOnANegativeBaseNamesTheBase) {
  auto reps = flat_reps({"A", "B"});
  reps.add(decimals("max_increase", {"0.1", "0.1"}));
  auto t = targets({"CO"}, {"1000"});
  auto h = history({"A", "B"}, {"-500", "1000"});
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, by(Method::history));
  ASSERT_FALSE(rejects(r).empty());
  EXPECT_EQ(rejects(r).front(),
            "reps:1:the reference -500 is negative (net base sales: clawbacks exceed sales), so a "
            "change limit on it allows no quota of 0 or more; give this rep a reference or "
            "last_quota, or no max_increase (its history rows are not used)");
}

// equal_probability without volatility: the means weigh as 0 when negative in the total too,
// so the method steps sum to the target (B's step was 1666.67 of a target 1000, then -757.67
// of rounding).
TEST(QuotaAllocationInputs, EqualProbabilityStepsAddUpWithANegativeMean) {
  auto reps = flat_reps({"A", "B", "C"});
  auto t = targets({"CO"}, {"1000"});
  auto h = history({"A", "B", "C"}, {"-500", "1000", "100"});
  const auto r = allocate_quotas({&t, nullptr, &reps, &h}, by(Method::equal_probability));
  EXPECT_EQ(quotas(r), (Quotas{{"CO", "1000"}, {"A", "0"}, {"B", "909"}, {"C", "91"}}));
  Decimal methods;
  for (const auto& n : r.nodes) {
    if (!n.is_rep) continue;
    const auto steps = r.trace(n);
    ASSERT_FALSE(steps.empty());
    EXPECT_EQ(steps[0].kind, StepKind::method);
    methods += steps[0].amount;
    Decimal sum;
    for (const auto& s : steps) sum += s.amount;
    EXPECT_EQ(sum, n.quota) << n.node_id;
    for (const auto& s : steps) {
      if (s.kind == StepKind::rounding) {
        EXPECT_LT(s.amount.abs(), Decimal(1)) << n.node_id;
      }
    }
  }
  EXPECT_LT((methods - Decimal(1000)).abs(), Decimal::parse("0.000001"));
  const auto* a = r.find("A");
  EXPECT_EQ(r.note(*a, 0), "equal probability without volatility: by expected sales -500 "
                           "(negative: counts as 0) of 1100 = 0% of 1000");
}

}  // namespace
}  // namespace spm::quota
