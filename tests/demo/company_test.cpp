#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include <spm/core/error.hpp>
#include <spm/demo/company.hpp>
#include <spm/io/csv.hpp>

namespace spm::demo {
namespace {

std::string csv(const io::Table& t) {
  std::ostringstream out;
  io::write_csv(t, out);
  return out.str();
}

TEST(DemoCompany, SameSeedSameBytesOtherSeedOtherData) {
  CompanyOptions opt;
  opt.reps = 12;
  const auto a = generate_company(opt);
  const auto b = generate_company(opt);
  EXPECT_EQ(csv(a.opportunities), csv(b.opportunities));
  EXPECT_EQ(csv(a.accounts), csv(b.accounts));
  opt.seed = 43;
  EXPECT_NE(csv(generate_company(opt).opportunities), csv(a.opportunities));
}

TEST(DemoCompany, EntitiesAreConsistent) {
  CompanyOptions opt;
  opt.reps = 30;
  const auto co = generate_company(opt);
  std::set<std::string> people(co.payees.values<std::string>("payee_id").begin(),
                               co.payees.values<std::string>("payee_id").end());
  std::set<std::string> accounts(co.accounts.values<std::string>("account_id").begin(),
                                 co.accounts.values<std::string>("account_id").end());
  EXPECT_EQ(people.size(), co.payees.num_rows());
  EXPECT_EQ(accounts.size(), co.accounts.num_rows());
  EXPECT_EQ(co.accounts.num_rows(), 30u * opt.accounts_per_rep);
  const auto& roles = co.payees.values<std::string>("role");
  EXPECT_EQ(std::count(roles.begin(), roles.end(), "rep"), 30);
  // Every deal references a known account and owner; closed deals close before as_of, open ones
  // have no close date; every won deal has exactly one booking of the same amount.
  const auto& o = co.opportunities;
  const auto& outcome = o.values<std::string>("outcome");
  std::size_t won = 0;
  for (std::size_t i = 0; i < o.num_rows(); ++i) {
    EXPECT_TRUE(accounts.count(o.values<std::string>("account_id")[i]));
    EXPECT_TRUE(people.count(o.values<std::string>("owner_id")[i]));
    EXPECT_LT(o.values<Date>("created_date")[i], co.as_of);
    if (outcome[i] == "open") {
      EXPECT_TRUE(o.column("close_date").is_null(i));
    } else {
      EXPECT_LT(o.values<Date>("close_date")[i], co.as_of);
      EXPECT_GE(o.values<Date>("close_date")[i], o.values<Date>("created_date")[i]);
      won += outcome[i] == "won";
    }
    EXPECT_GT(o.values<Decimal>("amount")[i], Decimal(0));
    EXPECT_TRUE(o.values<Decimal>("amount")[i].has_places(2));
  }
  EXPECT_EQ(co.transactions.num_rows(), won);
  EXPECT_GT(won, 100u);
}

TEST(DemoCompany, Sizes) {
  EXPECT_EQ(reps_for_size("small"), 12u);
  EXPECT_EQ(reps_for_size("large"), 400u);
  EXPECT_EQ(reps_for_size("250"), 250u);
  try {
    (void)reps_for_size("tiny");
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_STREQ(e.what(),
                 "[demo.size] --size: 'tiny' is not a size; use small, medium, large or a number "
                 "of reps from 2 to 999999");
  }
}

}  // namespace
}  // namespace spm::demo
