#include <gtest/gtest.h>

#include <memory>
#include <utility>

#include <spm/core/error.hpp>
#include <spm/io/table.hpp>

namespace spm::io {
namespace {

TEST(Table, ColumnsMustMatchInLengthAndName) {
  Table t;
  t.add(Column::of("a", std::vector<std::int64_t>{1, 2}));
  try {
    t.add(Column::of("b", std::vector<std::int64_t>{1}));
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_STREQ(e.what(), "[table.column_length] b: column has 1 rows but the table has 2");
  }
  try {
    t.add(Column::of("a", std::vector<std::int64_t>{1, 2}));
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_STREQ(e.what(), "[table.duplicate_column] a: the table already has a column with this name");
  }
  try {
    (void)t.column("z");
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_STREQ(e.what(), "[table.no_column] z: no such column; the table has: a");
  }
  try {
    (void)t.values<Decimal>("a");
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_STREQ(e.what(), "[table.column_type] a: column holds integer values, not decimal");
  }
}

TEST(Table, NullsAndTruncate) {
  Column c("x", ColumnType::decimal);
  c.push(Decimal(1));
  c.push_null();
  c.push(Decimal(3));
  EXPECT_EQ(c.null_count(), 1u);
  EXPECT_EQ(c.text(1), "");
  EXPECT_EQ(c.text(2), "3");
  c.truncate(1);
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(c.null_count(), 0u);
}

TEST(Table, RejectsTable) {
  const std::vector<Reject> r{{3, "amount", "x", "bad"}};
  const auto t = rejects_table(r);
  EXPECT_EQ(t.num_rows(), 1u);
  EXPECT_EQ(t.values<std::int64_t>("line")[0], 3);
  EXPECT_EQ(t.values<std::string>("reason")[0], "bad");
  EXPECT_EQ(parse_column_type("date"), ColumnType::date);
}

TEST(Table, TakeKeepsTypesNullsAndDictionaries) {
  Table t;
  Column amount("amount", ColumnType::decimal);
  amount.push(Decimal(5));
  amount.push_null();
  amount.push(Decimal(7));
  t.add(std::move(amount));
  auto dict = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"x", "y"});
  t.add(Column::dictionary("kind", dict, {1, 0, 1}));
  const std::vector<std::size_t> rows{2, 1, 2};
  const auto out = take(t, rows);
  ASSERT_EQ(out.num_rows(), 3U);
  EXPECT_EQ(out.values<Decimal>("amount")[0], Decimal(7));
  EXPECT_TRUE(out.column("amount").is_null(1));
  EXPECT_FALSE(out.column("amount").is_null(2));
  EXPECT_TRUE(out.column("kind").is_dictionary());
  EXPECT_EQ(out.strings("kind")[1], "x");
  EXPECT_EQ(out.strings("kind")[2], "y");
  const std::vector<std::size_t> bad{3};
  EXPECT_THROW((void)take(t, bad), std::out_of_range);
}

TEST(Table, DictionaryCodesMustBeInTheDictionaryExceptAtNulls) {
  auto dict = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"x", "y"});
  try {
    (void)Column::dictionary("kind", dict, {1, 0, 5, 7});
    FAIL() << "expected table.dictionary";
  } catch (const InvalidInputError& e) {
    EXPECT_EQ(e.id(), "table.dictionary");
    EXPECT_NE(std::string(e.what()).find("row 3 has code 5 but the dictionary holds 2 values"), std::string::npos)
        << e.what();
  }
  // A null row's code is not read; a present row's is.
  const Column c = Column::dictionary("kind", dict, {1, 9, 0}, {1, 0, 1});
  EXPECT_EQ(c.null_count(), 1U);
  EXPECT_EQ(c.strings()[2], "x");
  EXPECT_THROW((void)Column::dictionary("kind", dict, {1, 9, 2}, {1, 0, 1}), InvalidInputError);
  // Every row null: an empty dictionary will do.
  const auto none = std::make_shared<const std::vector<std::string>>();
  EXPECT_EQ(Column::dictionary("kind", none, {0, 0}, {0, 0}).null_count(), 2U);
  EXPECT_THROW((void)Column::dictionary("kind", none, {0}), InvalidInputError);
}

TEST(Column, CopiesShareValuesUntilOneChanges) {
  Column a = Column::of("id", std::vector<std::string>{"x", "y"});
  const Column b = a;  // shares
  EXPECT_EQ(&std::as_const(a).values<std::string>(), &b.values<std::string>());
  a.values<std::string>()[0] = "changed";  // a gets its own copy first
  EXPECT_EQ(b.values<std::string>()[0], "x");
  EXPECT_EQ(a.values<std::string>()[0], "changed");
  a.push(std::string("z"));
  EXPECT_EQ(a.size(), 3U);
  EXPECT_EQ(b.size(), 2U);

  // Shared strings stay as they were, whatever happens to the column afterwards.
  auto c = std::make_unique<Column>(Column::of("id", std::vector<std::string>{"p", "q"}));
  const auto shared = c->shared_strings();
  EXPECT_EQ(shared.get(), &std::as_const(*c).values<std::string>());
  c->push(std::string("r"));
  c->values<std::string>()[1] = "Q";
  EXPECT_EQ(*shared, (std::vector<std::string>{"p", "q"}));
  c.reset();
  EXPECT_EQ((*shared)[1], "q");
  EXPECT_THROW((void)Column::of("n", std::vector<std::int64_t>{1}).shared_strings(), InvalidInputError);

  // A moved-from column is empty, of its type, without nulls, and takes values again.
  Column d = Column::of("n", std::vector<std::int64_t>{1, 2});
  d.push_null();
  Column e = std::move(d);
  EXPECT_EQ(e.size(), 3U);
  EXPECT_EQ(e.null_count(), 1U);
  // NOLINTBEGIN(bugprone-use-after-move): the moved-from state is specified
  EXPECT_EQ(d.size(), 0U);
  EXPECT_EQ(d.type(), ColumnType::integer);
  EXPECT_FALSE(d.has_nulls());
  d.push(std::int64_t{7});
  EXPECT_EQ(d.size(), 1U);
  EXPECT_FALSE(d.is_null(0));
  Column f("f", ColumnType::decimal);
  f = std::move(e);
  EXPECT_EQ(f.type(), ColumnType::integer);
  EXPECT_EQ(e.type(), ColumnType::integer);
  EXPECT_EQ(e.null_count(), 0U);
  // NOLINTEND(bugprone-use-after-move)

  // Truncating a shared column copies only what it keeps; the other copy is untouched.
  const Column g = f;
  f.truncate(1);
  EXPECT_EQ(f.size(), 1U);
  EXPECT_EQ(f.values<std::int64_t>()[0], 1);
  EXPECT_EQ(g.size(), 3U);
  EXPECT_EQ(g.null_count(), 1U);
}

TEST(Table, ConcatStacksRowsAndChecksColumns) {
  Table a;
  a.add(Column::of("id", std::vector<std::string>{"x"}));
  a.add(Column::of("n", std::vector<std::int64_t>{1}));
  Table b;
  b.add(Column::dictionary("id", std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"y"}), {0}));
  Column n("n", ColumnType::integer);
  n.push_null();
  b.add(std::move(n));
  const auto c = concat(a, b);
  ASSERT_EQ(c.num_rows(), 2U);
  EXPECT_EQ(c.strings("id")[1], "y");
  EXPECT_TRUE(c.column("n").is_null(1));
  EXPECT_EQ(concat(Table{}, a).num_rows(), 1U);
  Table d;
  d.add(Column::of("id", std::vector<std::string>{"z"}));
  d.add(Column::of("n", std::vector<double>{1.0}));
  EXPECT_THROW((void)concat(a, d), spm::InvalidInputError);
}

}  // namespace
}  // namespace spm::io
