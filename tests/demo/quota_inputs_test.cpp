// The demo company as quota inputs: a consistent org, every active rep once, history that adds
// up to the base year's bookings, and an allocation that runs clean on them.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <spm/demo/quota_inputs.hpp>
#include <spm/quota/allocation.hpp>

namespace spm::demo {
namespace {

TEST(DemoQuotaInputs, OrgRepsHistoryAndTargetAreConsistent) {
  CompanyOptions opt;
  opt.reps = 30;
  const auto co = generate_company(opt);
  const auto in = quota_inputs(co, Decimal::parse("0.10"));
  EXPECT_EQ(in.plan_year, (Period{Date(2026, 1, 1), Date(2027, 1, 1)}));
  // One root (the director), every other org node under a known parent.
  std::set<std::string> nodes;
  std::size_t roots = 0;
  for (std::size_t r = 0; r < in.org.num_rows(); ++r) {
    nodes.emplace(in.org.strings("node_id")[r]);
    if (in.org.column("parent_id").is_null(r)) ++roots;
  }
  EXPECT_EQ(roots, 1u);
  for (std::size_t r = 0; r < in.org.num_rows(); ++r) {
    if (!in.org.column("parent_id").is_null(r)) {
      EXPECT_TRUE(nodes.count(std::string(in.org.strings("parent_id")[r])));
    }
  }
  // Reps: each once, under a manager of the org; none terminated before the plan year.
  std::set<std::string> reps;
  for (std::size_t r = 0; r < in.reps.num_rows(); ++r) {
    EXPECT_TRUE(reps.emplace(in.reps.strings("rep_id")[r]).second);
    EXPECT_TRUE(nodes.count(std::string(in.reps.strings("parent_id")[r])));
  }
  std::size_t active = 0;
  const auto& term = co.payees.column("termination_date");
  for (std::size_t r = 0; r < co.payees.num_rows(); ++r) {
    if (co.payees.strings("role")[r] == "rep" &&
        (term.is_null(r) || term.values<Date>()[r] > co.as_of)) {
      ++active;
    }
  }
  EXPECT_EQ(reps.size(), active);
  // The target is the base year's bookings + 10%, in thousands.
  EXPECT_EQ(in.targets.values<Decimal>("target")[0],
            Decimal::mul(Decimal::div(Decimal::mul(in.base_bookings, Decimal::parse("1.1")),
                                      Decimal(1000), 0),
                         Decimal(1000)));
  // The allocation runs clean and the reps carry the target exactly (no cushions).
  quota::AllocationOptions o;
  o.method = quota::Method::blend;
  o.factors = {{"potential", Decimal(1)}};
  o.increment = 1000;
  o.no_history = quota::NoHistoryPolicy::new_hire;
  const auto result = quota::allocate_quotas({&in.targets, &in.org, &in.reps, &in.history}, o);
  EXPECT_EQ(result.status, quota::AllocationStatus::ok);
  EXPECT_EQ(result.rejects.num_rows(), 0u);
  Decimal carried;
  for (const auto& n : result.nodes) {
    if (n.is_rep) carried += n.quota;
  }
  EXPECT_EQ(carried, in.targets.values<Decimal>("target")[0]);
}

}  // namespace
}  // namespace spm::demo
