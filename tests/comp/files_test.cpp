// Runs on files (what `spm comp run` does): the documented CSV layouts in, the four outputs out,
// the reader's rejects before the run's.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <spm/comp/files.hpp>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

namespace fs = std::filesystem;

class Files : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("spm_comp_files_" + std::string(test->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, std::string_view text) const {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  static std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  fs::path dir_;
};

TEST_F(Files, InputsWithoutCurrencyAndWithAttributes) {
  const auto p = plan(R"("measures": [{"id": "bookings", "filter": {"type": "booking"}},
                                      {"id": "seats", "sum": "units"}],
      "components": [
        {"id": "c", "measure": "bookings", "basis": "amount",
         "tiers": [{"from": "0", "rate": "10"}]},
        {"id": "s", "measure": "seats", "basis": "amount", "rate_unit": "per_unit",
         "tiers": [{"from": "0", "rate": "5"}]}])");
  InputFiles files;
  // No currency column: every amount is in the plan currency. "type" is an attribute (text),
  // "units" a column the plan sums (decimal; empty is allowed). Line 4 has a bad amount.
  files.transactions = write("tx.csv", R"(transaction_id,payee_id,date,amount,units,type
T1,A,2026-01-10,1000,3,booking
T2,A,2026-01-11,500,,renewal
T3,A,2026-01-12,12x,1,booking
)");
  files.quotas = write("q.csv", "payee_id,period_start,quota\n");
  const LoadedInputs in = load_inputs(files, p);
  EXPECT_FALSE(in.given.count("credits"));
  ASSERT_EQ(in.rejects.num_rows(), 1u);
  EXPECT_EQ(in.rejects.column("source").text(0), files.transactions);
  EXPECT_EQ(in.rejects.values<std::int64_t>("row")[0], 4);
  EXPECT_EQ(in.rejects.strings("reason")[0].rfind("amount: ", 0), 0u)
      << in.rejects.strings("reason")[0];
  EXPECT_EQ(in.transactions.column("units").type(), io::ColumnType::decimal);
  EXPECT_EQ(in.transactions.column("type").type(), io::ColumnType::string);

  const auto r = run(p, in.view(), parse_run_range("2026-Q1", p));
  EXPECT_EQ(r.rejects.num_rows(), 0u) << dump(r);
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c"), dec("100"));  // T1 1000 x 10% (T2 is a renewal)
  EXPECT_EQ(statement(r, "A", "2026-Q1", "s"), dec("15"));   // 3 seats x 5 (T2's empty units: 0)

  write_outputs(r, in.rejects, dir_ / "out");
  for (const char* f : {"statements.csv", "statements.json", "lines.csv", "rejects.csv"}) {
    EXPECT_TRUE(fs::exists(dir_ / "out" / f)) << f;
  }
  EXPECT_EQ(read(dir_ / "out" / "statements.csv"), csv(r.statements));
  EXPECT_EQ(read(dir_ / "out" / "lines.csv"), csv(r.lines));
  // The reader's reject names the row's transaction and payee as far as they can be read.
  const std::string rejects = read(dir_ / "out" / "rejects.csv");
  EXPECT_EQ(rejects, "source,row,id,payee_id,period,reason\n" + files.transactions +
                         ",4,T3,A,,\"amount: '12x' is not a decimal: 'x' is not allowed; use digits, at most one '.' and "
                         "an optional leading '-'\"\n");
}

// Rejects of the reader come first, then the run's, in one rejects.csv; transaction rejects point
// at the source line of the file.
TEST_F(Files, RejectsFileHasReaderThenRunRejects) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "tiers": [{"from": "0", "rate": "10"}]}])");
  InputFiles files;
  files.transactions = write("tx.csv", R"(transaction_id,payee_id,date,amount,currency
T1,A,2026-01-10,1000,USD
T2,A,2026-13-01,5,USD
T3,A,2026-01-12,5,EUR
)");
  files.quotas = write("q.csv", "payee_id,period_start,quota\n");
  files.credits = write("credits.csv", "transaction_id,payee_id,percent\nT9,A,100\n");
  const LoadedInputs in = load_inputs(files, p);
  const auto r = run(p, in.view(), parse_run_range("2026-Q1", p));
  write_outputs(r, in.rejects, dir_ / "out");
  const std::string rejects = read(dir_ / "out" / "rejects.csv");
  std::istringstream rows(rejects);
  std::string header, reader, credit, run_reject;
  std::getline(rows, header);
  std::getline(rows, reader);
  std::getline(rows, credit);
  std::getline(rows, run_reject);
  EXPECT_EQ(header, "source,row,id,payee_id,period,reason");
  EXPECT_EQ(reader.rfind(files.transactions + ",3,T2,A,,date: ", 0), 0u) << reader;
  EXPECT_EQ(credit, "credits,2,T9,A,,no transaction has id 'T9'");
  // T3 is on line 4 of the file.
  EXPECT_EQ(run_reject,
            "transactions,4,T3,A,,currency 'EUR' differs from the plan currency USD; convert it "
            "first");
}


// A currency column may be left out (the plan currency), but an empty field in it is a reject:
// a file that names currencies must name each one.
TEST_F(Files, EmptyCurrencyFieldIsRejected) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "tiers": [{"from": "0", "rate": "10"}]}])");
  InputFiles files;
  files.transactions = write("tx.csv", "transaction_id,payee_id,date,amount,currency\n"
                                       "T1,A,2026-01-10,1000,USD\nT2,A,2026-01-11,500,\n");
  files.quotas = write("q.csv", "payee_id,period_start,quota\n");
  const LoadedInputs in = load_inputs(files, p);
  ASSERT_EQ(in.rejects.num_rows(), 1u);
  EXPECT_EQ(in.rejects.values<std::int64_t>("row")[0], 3);
  EXPECT_EQ(in.rejects.strings("reason")[0].rfind("currency: ", 0), 0u);
  const auto r = run(p, in.view(), parse_run_range("2026-Q1", p));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("100"));
}

// A split row the reader cannot read still holds its transaction back: paying the other share,
// or the transaction's payee in full when no row is readable, would pay someone else's money.
TEST_F(Files, UnreadableSplitRowRejectsItsTransaction) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "tiers": [{"from": "0", "rate": "10"}]}])");
  InputFiles files;
  files.quotas = write("q.csv", "payee_id,period_start,quota\n");
  // Line 7 has a field too many (an unquoted "1,00"): its id is still read.
  files.credits = write("credits.csv", R"(transaction_id,payee_id,percent
T2,A,50%
T2,B,50%
T3,A,50
T3,B,5O

T4,A,1,00
)");
  files.transactions = write("tx.csv", R"(transaction_id,payee_id,date,amount
T1,A,2026-01-10,1000
T2,B,2026-01-11,2000
T3,A,2026-01-12,3000
T4,B,2026-01-13,4000
)");
  const LoadedInputs in = load_inputs(files, p);
  EXPECT_EQ(in.rejects.num_rows(), 4u);  // the reader's: lines 2, 3, 5 and 7, each once
  const auto r = run(p, in.view(), parse_run_range("2026-Q1", p));
  EXPECT_EQ(rejects(r), (std::vector<std::string>{
                            "transactions 3 T2 B  | its split credit on credits row 2 was "
                            "rejected; fix that row (the other shares are not paid without it)",
                            "transactions 4 T3 A  | its split credit on credits row 5 was "
                            "rejected; fix that row (the other shares are not paid without it)",
                            "transactions 5 T4 B  | its split credit on credits row 7 was "
                            "rejected; fix that row (the other shares are not paid without it)",
                        }));
  // Only T1 is paid: 1000 x 10% to A; B gets nothing for T2.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("100"));
  EXPECT_EQ(r.credits, 1u);
}

// The same when the credits file is read with a loose header, in Windows-1252 or in UTF-16: the
// rejected row's id is found as the reader found its columns.
TEST_F(Files, UnreadableSplitRowIsFoundWhateverTheFilesFormat) {
  const auto p = plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "c",
      "measure": "bookings", "basis": "amount", "tiers": [{"from": "0", "rate": "10"}]}])");
  InputFiles files;
  files.quotas = write("q.csv", "payee_id,period_start,quota\n");
  const std::string cp1252 = "Transaction ID,Payee ID,Percent\nT\xf6" "1,B,100%\n";
  std::string utf16 = "\xFF\xFE";
  for (const char c : std::string("Transaction ID,Payee ID,Percent\nT\xf6" "1,B,100%\n")) {
    utf16 += c;  // Latin-1 text is its code points: one UTF-16 LE unit each
    utf16 += '\0';
  }
  for (const auto& [name, text, encoding] :
       std::vector<std::tuple<std::string, std::string, io::TextEncoding>>{
           {"cp1252.csv", cp1252, io::TextEncoding::windows1252},
           {"utf16.csv", utf16, io::TextEncoding::utf8}}) {
    files.credits = write(name, text);
    // The format is every file's: the transactions are in Windows-1252 too, or in UTF-8.
    files.transactions = write("tx.csv", encoding == io::TextEncoding::utf8
                                             ? "transaction_id,payee_id,date,amount\n"
                                               "T\xc3\xb6" "1,A,2026-01-10,1000\n"
                                             : "transaction_id,payee_id,date,amount\n"
                                               "T\xf6" "1,A,2026-01-10,1000\n");
    io::CsvReadOptions format;
    format.encoding = encoding;
    const LoadedInputs in = load_inputs(files, p, format);
    const auto r = run(p, in.view(), parse_run_range("2026-Q1", p));
    EXPECT_EQ(rejects(r), std::vector<std::string>{
                              "transactions 2 T\xc3\xb6" "1 A  | its split credit on credits row 2 "
                              "was rejected; fix that row (the other shares are not paid without "
                              "it)"}) << name;
    EXPECT_EQ(r.credits, 0u) << name;
  }
}

// The same for a credit rule: a key with an unreadable rule is not credited to the transaction's
// own payee_id (the fallback when no rule maps a key).
TEST_F(Files, UnreadableCreditRuleRejectsItsKeysTransactions) {
  const auto p = plan(R"("credit": {"by": "account_id"}, "measures": [{"id": "bookings"}],
      "components": [{"id": "c", "measure": "bookings", "basis": "amount",
      "tiers": [{"from": "0", "rate": "10"}]}])");
  InputFiles files;
  files.transactions = write("tx.csv", R"(transaction_id,payee_id,date,amount,account_id
T1,rep9,2026-01-10,1000,ACME
T2,rep9,2026-01-11,500,OTHER
)");
  files.quotas = write("q.csv", "payee_id,period_start,quota\n");
  // Line 4: readable dates, a 0% share: rejected by the run, and only for its own dates (2025),
  // so OTHER's 2026 transaction is still bob's.
  files.credit_rules = write("rules.csv", R"(key,payee_id,from,to,percent
ACME,alice,2026-01-01,,1OO
OTHER,bob,2026-01-01,,
OTHER,carol,2025-01-01,2025-06-01,0
)");
  const LoadedInputs in = load_inputs(files, p);
  EXPECT_EQ(in.rejects.num_rows(), 1u);  // the reader's: line 2
  const auto r = run(p, in.view(), parse_run_range("2026-Q1", p));
  EXPECT_EQ(rejects(r), (std::vector<std::string>{
                            "credit_rules 4 OTHER carol  | a credit rule needs a payee_id, 'to' "
                            "after 'from' and a percent above 0",
                            "transactions 2 T1 rep9  | a credit rule for its account_id "
                            "(credit_rules row 2) was rejected; fix that row (its shares are not "
                            "known without it)",
                        }));
  EXPECT_FALSE(statement_row(r, "rep9", "2026-Q1", "TOTAL"));
  EXPECT_EQ(statement(r, "bob", "2026-Q1", "TOTAL"), dec("50"));
}

TEST_F(Files, UnwritableOutputFolder) {
  write("file", "x");
  try {
    write_outputs(CompResult{}, io::Table{}, dir_ / "file" / "out");
    ADD_FAILURE() << "no error";
  } catch (const IoError& e) {
    EXPECT_EQ(e.id(), "comp.out");
    EXPECT_EQ(e.detail().rfind("cannot create the output folder: ", 0), 0u) << e.detail();
  }
}

}  // namespace
}  // namespace spm::comp::test
