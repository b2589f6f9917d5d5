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
