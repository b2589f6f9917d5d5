// Same inputs, same bytes out: permuting the transaction rows and changing the thread count give
// byte-identical statements and lines.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <memory>
#include <map>

#include "../../src/comp/run_version.hpp"
#include "comp_test_support.hpp"
#include "random_book.hpp"

namespace spm::comp::test {
namespace {

// Every kind of component, with a year-to-date true-up and payout rounding.
constexpr std::string_view rich_plan = R"("true_up": "year_to_date", "allow_negative": true,
    "rounding": {"mode": "half_up", "point": "payout"}, "quota_measure": "bookings")";
constexpr std::string_view rich_body = R"("measures": [
      {"id": "bookings", "filter": {"type": "booking"}}, {"id": "all"},
      {"id": "seats", "sum": "units"}, {"id": "deals", "count": true}],
    "components": [
      {"id": "commission", "measure": "bookings", "mode": "retroactive",
       "tiers": [{"from": "0", "to": "50", "rate": "4"}, {"from": "50", "to": "100", "rate": "8"},
                 {"from": "100", "rate": "12.5"}],
       "limits": {"cap_per_year": "300000", "attainment_cap_percent": "180"},
       "gates": [{"measure": "bookings", "min_attainment_percent": "10", "window": "period"}]},
      {"id": "volume", "measure": "all", "basis": "amount", "processing": "grouped",
       "tiers": [{"from": "0", "to": "200000", "rate": "0.5"}, {"from": "200000", "rate": "1"}],
       "multipliers": [{"id": "mbo", "score": "mbo",
         "table": [{"from": "0", "to": "2", "factor": "0.8"},
                   {"from": "2", "to": "4", "factor": "1"}, {"from": "4", "factor": "1.15"}]}]},
      {"id": "seats", "measure": "seats", "basis": "amount", "mode": "interpolated",
       "rate_unit": "per_unit", "tiers": [{"from": "0", "to": "50", "rate": "10", "rate_to": "20"},
                                          {"from": "50", "rate": "20"}]},
      {"id": "deals", "measure": "deals", "basis": "amount", "processing": "per_transaction",
       "rate_unit": "per_deal", "mode": "flat", "tiers": [{"from": "0", "rate": "25"}],
       "limits": {"cap_per_transaction": "20"}},
      {"id": "spif", "type": "spif", "amount": "333.33", "filter": {"product": "ENT"}},
      {"id": "steps", "type": "step_bonus", "measure": "bookings",
       "steps": [{"attainment_percent": "100", "to": "150", "amount": "1000"},
                 {"attainment_percent": "150", "amount": "2500"}]}])";

// The same table with its rows in another order.
io::Table permuted(const io::Table& t, const std::vector<std::size_t>& order) {
  io::Table out;
  for (const auto& c : t.columns()) {
    io::Column col(c.name(), c.type());
    std::visit(
        [&](const auto& values) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(values)>, io::DictionaryStrings>) {
          for (const auto r : order) {
            if (c.is_null(r)) col.push_null();
            else col.push(values[r]);
          }
          }
        },
        c.data());
    out.add(std::move(col));
  }
  return out;
}

// Rejects without their row numbers (which follow the row order), sorted.
std::vector<std::string> rejects_without_rows(const CompResult& r) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.rejects.num_rows(); ++i) {
    out.push_back(r.rejects.column("source").text(i) + " " + r.rejects.column("id").text(i) +
                  " " + r.rejects.column("payee_id").text(i) + " " +
                  r.rejects.column("period").text(i) + " " + r.rejects.column("reason").text(i));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A book's tables, run with the rich plan over 2026 on given transactions and threads.
struct BookRun {
  explicit BookRun(const Book& book)
      : quotas(table(book.quotas)), credits(table(book.credits)), scores(table(book.scores)),
        assignments(table(book.assignments)) {}
  // `release`: when the run gives computed credits' memory back (run() uses the defaults).
  CompResult operator()(const io::Table& transactions, unsigned threads,
                        detail::ReleaseCredits release = {}) const {
    CompInputs in;
    in.transactions = &transactions;
    in.quotas = &quotas;
    in.credits = &credits;
    in.scores = &scores;
    in.assignments = &assignments;
    return detail::run_version(p, in, range, ExecutionContext().threads(threads), {}, release);
  }
  Plan p = plan(rich_body, rich_plan);
  Period range = parse_run_range("2026", p);
  io::Table quotas, credits, scores, assignments;
};

TEST(Determinism, RowOrderAndThreadCountDoNotChangeTheBytes) {
  BookOptions opt;
  opt.payees = 200;  // enough payees for the engine to use 4 threads (64 or more per thread)
  opt.transactions = 1500;
  opt.returns = true;
  opt.assignments = true;
  const Book book = random_book(20260101, opt);
  const io::Table tx = table(book.transactions);
  const BookRun run_with(book);
  const CompResult base = run_with(tx, 1);
  ASSERT_GT(base.lines.num_rows(), 1000u);
  ASSERT_TRUE(lines_sum_to_payouts(base));
  const std::string statements = csv(base.statements);
  const std::string lines_csv = csv(base.lines);
  Random rng(7);
  for (const unsigned threads : {1u, 2u, 4u}) {
    std::vector<std::size_t> order(tx.num_rows());
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    const io::Table shuffled = permuted(tx, order);
    for (const io::Table* t : {&tx, &shuffled}) {
      SCOPED_TRACE(std::to_string(threads) + " threads, " +
                   (t == &tx ? "rows as generated" : "rows shuffled"));
      const CompResult r = run_with(*t, threads);
      EXPECT_TRUE(csv(r.statements) == statements);
      EXPECT_TRUE(csv(r.lines) == lines_csv);
      EXPECT_EQ(rejects_without_rows(r), rejects_without_rows(base));
      EXPECT_EQ(r.credits, base.credits);
    }
  }
}

// More payees than the blocks credits are scattered to (at most 256 / arrays carried: each block
// groups several payees) and rows enough for two preparation threads: the same bytes whatever the
// row order and thread count, and every direct line is its transaction's payee's.
TEST(Determinism, ManyPayeesAndRowsGiveTheSameBytes) {
  BookOptions opt;
  opt.payees = 700;
  opt.transactions = 70'000;
  opt.returns = true;
  const Book book = random_book(20261203, opt);
  const io::Table tx = table(book.transactions);
  const BookRun run_with(book);
  const CompResult base = run_with(tx, 1);
  ASSERT_TRUE(lines_sum_to_payouts(base));
  std::map<std::string, std::string> payee_of;
  const auto tx_ids = tx.strings("transaction_id"), tx_payees = tx.strings("payee_id");
  for (std::size_t r = 0; r < tx.num_rows(); ++r) payee_of[std::string(tx_ids[r])] = tx_payees[r];
  const auto ids = base.lines.strings("transaction_id"), payees = base.lines.strings("payee_id"),
             how = base.lines.strings("credit");
  std::size_t direct = 0;
  for (std::size_t i = 0; i < base.lines.num_rows(); ++i) {
    if (base.lines.column("transaction_id").is_null(i) || how[i] != "direct") continue;
    ++direct;
    ASSERT_EQ(payees[i], payee_of.at(std::string(ids[i]))) << "line " << i;
  }
  ASSERT_GT(direct, 50'000u);
  std::vector<std::size_t> order(tx.num_rows());
  std::iota(order.begin(), order.end(), std::size_t{0});
  Random rng(11);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  const io::Table shuffled = permuted(tx, order);
  const std::string statements = csv(base.statements), lines = csv(base.lines);
  for (const auto& [t, threads] : {std::pair{&shuffled, 1u}, {&tx, 2u}, {&shuffled, 2u}}) {
    SCOPED_TRACE(std::to_string(threads) + (t == &tx ? " threads, rows as generated" : " threads, rows shuffled"));
    const CompResult r = run_with(*t, threads);
    EXPECT_TRUE(csv(r.statements) == statements);
    EXPECT_TRUE(csv(r.lines) == lines);
  }
}

// Rows enough for two preparation threads, every credit direct (no splits, no assignments),
// some rows rejected (a missing payee, a repeated id): one or two threads give the same bytes,
// the rejects in row order included.
TEST(Determinism, DirectCreditsAndRejectsGiveTheSameBytesOnThreads) {
  BookOptions opt;
  opt.payees = 300;
  opt.transactions = 70'000;
  opt.splits = false;
  const Book book = random_book(20261204, opt);
  std::string text;
  std::size_t row = 0, start = 0;
  for (std::size_t end; (end = book.transactions.find('\n', start)) != std::string::npos; start = end + 1, ++row) {
    std::string line = book.transactions.substr(start, end - start);
    const std::size_t comma = line.find(',');
    if (row > 0 && row % 1009 == 0) line = line.substr(0, comma) + "," + line.substr(line.find(',', comma + 1));
    if (row > 0 && row % 1013 == 0) line = "T7919" + line.substr(comma);  // the id of row 2
    text += line + "\n";
  }
  const io::Table tx = table(text), quotas = table(book.quotas), scores = table(book.scores);
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &quotas;
  in.scores = &scores;
  const Plan p = plan(rich_body, rich_plan);
  const Period range = parse_run_range("2026", p);
  const CompResult one = run(p, in, range, ExecutionContext().threads(1));
  const CompResult two = run(p, in, range, ExecutionContext().threads(2));
  ASSERT_GT(one.rejects.num_rows(), 100u);
  ASSERT_TRUE(lines_sum_to_payouts(one));
  EXPECT_TRUE(csv(one.rejects) == csv(two.rejects));
  EXPECT_TRUE(csv(one.statements) == csv(two.statements));
  EXPECT_TRUE(csv(one.lines) == csv(two.lines));
}

// The run gives back the memory of the credits it has computed (whole pages of them, which then
// read as zeros): released after every payee in 4 KiB pages, or never, the bytes out are the
// same, so no payee reads credits of payees computed before it.
TEST(Determinism, ReleasingComputedCreditsDoesNotChangeTheBytes) {
  BookOptions opt;
  opt.payees = 300;
  opt.transactions = 20'000;
  const Book book = random_book(20261205, opt);
  const io::Table tx = table(book.transactions);
  const BookRun run_with(book);
  for (const unsigned threads : {1u, 2u}) {
    SCOPED_TRACE(std::to_string(threads) + " threads");
    const CompResult kept = run_with(tx, threads, {SIZE_MAX, 4096});
    const CompResult released = run_with(tx, threads, {1, 4096});
    ASSERT_GT(kept.credits, 15'000u);
    ASSERT_TRUE(lines_sum_to_payouts(kept));
    EXPECT_TRUE(csv(kept.statements) == csv(released.statements));
    EXPECT_TRUE(csv(kept.lines) == csv(released.lines));
  }
}

// A run of one quarter shows the same lines for it as a run of the whole year (most transactions
// have lines in the year's run, few in the quarter's: the lines' ids are built both ways).
TEST(Determinism, AQuartersRunShowsTheYearsLinesForThatQuarter) {
  BookOptions opt;
  opt.transactions = 1200;
  const Book book = random_book(20260301, opt);
  const Plan p = plan(R"("measures": [{"id": "bookings", "filter": {"type": "booking"}}],
      "components": [{"id": "commission", "measure": "bookings", "mode": "marginal",
        "tiers": [{"from": "0", "to": "100", "rate": "8"}, {"from": "100", "rate": "12"}]}])",
                      R"("true_up": "year_to_date")");
  const io::Table tx = table(book.transactions);
  const io::Table quotas = table(book.quotas);
  const io::Table credits = table(book.credits);
  const io::Table scores = table(book.scores);
  auto run_over = [&](std::string_view range) {
    CompInputs in;
    in.transactions = &tx;
    in.quotas = &quotas;
    in.credits = &credits;
    in.scores = &scores;
    return run(p, in, parse_run_range(range, p));
  };
  const CompResult year = run_over("2026");
  const CompResult q1 = run_over("2026-Q1");
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < year.lines.num_rows(); ++i) {
    if (year.lines.strings("period")[i] == "2026-Q1") rows.push_back(i);
  }
  ASSERT_GT(rows.size(), 100u);
  ASSERT_LT(2 * q1.lines.num_rows(), tx.num_rows());
  ASSERT_GT(2 * year.lines.num_rows(), tx.num_rows());
  EXPECT_EQ(csv(io::take(year.lines, rows)), csv(q1.lines));
  // Ids are codes into the ids of the transactions with lines only, in row order.
  for (const CompResult* r : {&year, &q1}) {
    const auto& ids = r->lines.column("transaction_id");
    ASSERT_TRUE(ids.is_dictionary());
    std::set<std::string> distinct;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (!ids.is_null(i)) distinct.emplace(ids.strings()[i]);
    }
    EXPECT_EQ(std::get<io::DictionaryStrings>(ids.data()).dictionary->size(), distinct.size());
  }
}

// Inputs whose string columns are dictionary-encoded (from io::take of a dictionary column, or
// built by a caller) give the same bytes as plain text.
TEST(Determinism, DictionaryEncodedInputsGiveTheSameBytes) {
  BookOptions opt;
  opt.transactions = 800;
  opt.returns = true;
  opt.assignments = true;
  const Book book = random_book(20260401, opt);
  const Plan p = plan(rich_body, rich_plan);
  const Period range = parse_run_range("2026", p);
  std::vector<io::Table> plain{table(book.transactions), table(book.quotas), table(book.credits),
                               table(book.scores), table(book.assignments)};
  std::vector<io::Table> encoded;
  for (const auto& t : plain) encoded.push_back(dictionary_encoded(t));
  ASSERT_TRUE(encoded[0].column("payee_id").is_dictionary());
  auto run_on = [&](const std::vector<io::Table>& t) {
    CompInputs in;
    in.transactions = &t[0];
    in.quotas = &t[1];
    in.credits = &t[2];
    in.scores = &t[3];
    in.assignments = &t[4];
    return run(p, in, range);
  };
  const CompResult a = run_on(plain);
  const CompResult b = run_on(encoded);
  ASSERT_GT(a.lines.num_rows(), 500u);
  EXPECT_TRUE(csv(a.statements) == csv(b.statements));
  EXPECT_TRUE(csv(a.lines) == csv(b.lines));
  EXPECT_TRUE(csv(a.rejects) == csv(b.rejects));
}

// Payee ids read from their dictionary (each distinct id interned once): a null, an empty id, a
// payee whose only transaction is rejected and an unused dictionary value give no payee of their
// own; rejects name the payee as plain text does.
TEST(Determinism, DictionaryPayeeIdsWithRejectedRows) {
  const Plan p = plan(R"("measures": [{"id": "all"}],
      "components": [{"id": "c", "measure": "all", "mode": "flat", "basis": "amount",
                      "tiers": [{"from": "0", "rate": "10"}]}])");
  const io::Table plain = table(R"(transaction_id,payee_id,date,amount,type
T1,B,2026-01-05,100,booking
T2,,2026-01-06,200,booking
T3,C,2026-01-07,-50,booking
T4,A,2026-01-08,300,booking
T1,A,2026-01-09,400,booking
T5,B,2026-02-01,250,booking
)");
  const io::Table q = table("payee_id,period_start,quota\n");
  const io::Table encoded = dictionary_encoded(plain);
  ASSERT_TRUE(encoded.column("payee_id").is_dictionary());
  const CompResult b = run_plain_and_encoded(p, plain, encoded, q, "2026-Q1");
  EXPECT_FALSE(statement_row(b, "C", "2026-Q1", "TOTAL").has_value());
  EXPECT_EQ(statement(b, "A", "2026-Q1", "TOTAL"), dec("30"));
  EXPECT_EQ(statement(b, "B", "2026-Q1", "TOTAL"), dec("25"));  // T5: both T1 rows rejected
  EXPECT_EQ(rejects(b).size(), 4u);  // the empty id, the negative amount, both T1 rows
}

// An empty payee id held as a dictionary value (not as a null) is missing too: the row is
// rejected as the plain column's empty text would be.
TEST(Determinism, DictionaryPayeeIdThatIsEmptyText) {
  const Plan p = plan(R"("measures": [{"id": "all"}],
      "components": [{"id": "c", "measure": "all", "mode": "flat", "basis": "amount",
                      "tiers": [{"from": "0", "rate": "10"}]}])");
  const io::Table plain = table(R"(transaction_id,payee_id,date,amount
T1,A,2026-01-05,100
T2,A,2026-01-06,200
)");
  io::Table encoded;
  for (const auto& c : plain.columns()) {
    if (c.name() != "payee_id") {
      encoded.add(c);
      continue;
    }
    encoded.add(io::Column::dictionary(
        "payee_id", std::make_shared<std::vector<std::string>>(std::vector<std::string>{"A", ""}),
        {0, 1}));
  }
  const Period range = parse_run_range("2026-Q1", p);
  const io::Table q = table("payee_id,period_start,quota\n");
  CompInputs in;
  in.quotas = &q;
  in.transactions = &encoded;
  const CompResult r = run(p, in, range);
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("10"));
  EXPECT_FALSE(statement_row(r, "", "2026-Q1", "TOTAL").has_value());
  ASSERT_EQ(rejects(r).size(), 1u);
  EXPECT_NE(rejects(r)[0].find("the payee_id is missing"), std::string::npos) << rejects(r)[0];
}

}  // namespace
}  // namespace spm::comp::test
