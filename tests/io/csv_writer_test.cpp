#include <gtest/gtest.h>

#include <sstream>

#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>

namespace spm::io {
namespace {

TEST(CsvWrite, QuotesOnlyWhenNeededAndWritesExactValues) {
  Table t;
  Column note("note", ColumnType::string);
  note.push(std::string("plain"));
  note.push(std::string("a,b"));
  note.push(std::string("say \"x\""));
  note.push_null();
  t.add(std::move(note));
  t.add(Column::of("amount", std::vector<Decimal>{Decimal::parse("0.1"), Decimal::parse("-12.50"),
                                                  Decimal::parse("1000000000000000.0001"),
                                                  Decimal(0)}));
  t.add(Column::of("day", std::vector<Date>{Date(2024, 2, 29), Date(1999, 12, 31),
                                            Date(2000, 1, 1), Date(1970, 1, 1)}));
  t.add(Column::of("ok", std::vector<std::uint8_t>{1, 0, 1, 0}));
  std::ostringstream out;
  write_csv(t, out);
  EXPECT_EQ(out.str(),
            "note,amount,day,ok\n"
            "plain,0.1,2024-02-29,true\n"
            "\"a,b\",-12.5,1999-12-31,false\n"
            "\"say \"\"x\"\"\",1000000000000000.0001,2000-01-01,true\n"
            ",0,1970-01-01,false\n");
}

// Doubles as the shortest text that reads back to the same value: 0.2, not 0.20000000000000001.
TEST(CsvWrite, DoublesRoundTripInTheShortestText) {
  Table t;
  t.add(Column::of("p", std::vector<double>{0.2, 0.1 + 0.2, 1.0 / 3, 1e-7, 100}));
  std::ostringstream out;
  write_csv(t, out);
  EXPECT_EQ(out.str(), "p\n0.2\n0.30000000000000004\n0.3333333333333333\n1e-07\n100\n");
}

TEST(CsvWrite, UnwritablePathIsAnIoError) {
  try {
    write_csv(Table{}, std::filesystem::path("/nonexistent/dir/out.csv"));
    FAIL();
  } catch (const IoError& e) {
    EXPECT_EQ(e.id(), "csv.write");
    EXPECT_STREQ(e.what(),
                 "[csv.write] /nonexistent/dir/out.csv: cannot create the file; check that the "
                 "folder exists and is writable");
  }
}

}  // namespace
}  // namespace spm::io
