#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <spm/core/error.hpp>
#include <spm/core/random.hpp>
#include <spm/io/csv.hpp>

namespace spm::io {
namespace {

const std::vector<ColumnSpec> deal_schema{{"deal_id", ColumnType::string},
                                          {"amount", ColumnType::decimal},
                                          {"close_date", ColumnType::date, true},
                                          {"units", ColumnType::integer},
                                          {"won", ColumnType::boolean},
                                          {"score", ColumnType::float64}};

TEST(CsvRead, LoadsTypedColumnsByHeaderName) {
  // Columns in another order than the schema, plus one the schema does not name.
  const auto r = parse_csv(
      "won,deal_id,extra,amount,units,close_date,score\n"
      "true,D1,x,1234.56,3,2024-02-29,0.5\n"
      "0,D2,y,-0.000000000001,0,,1e-3\n",
      deal_schema);
  ASSERT_TRUE(r.rejects.empty()) << r.rejects[0].reason;
  ASSERT_EQ(r.table.num_rows(), 2u);
  EXPECT_EQ(r.table.values<std::string>("deal_id"), (std::vector<std::string>{"D1", "D2"}));
  EXPECT_EQ(r.table.values<Decimal>("amount")[0], Decimal::parse("1234.56"));
  EXPECT_EQ(r.table.values<Decimal>("amount")[1].raw(), -1);
  EXPECT_EQ(r.table.values<Date>("close_date")[0], Date(2024, 2, 29));
  EXPECT_TRUE(r.table.column("close_date").is_null(1));
  EXPECT_EQ(r.table.values<std::int64_t>("units")[0], 3);
  EXPECT_EQ(r.table.values<std::uint8_t>("won"), (std::vector<std::uint8_t>{1, 0}));
  EXPECT_DOUBLE_EQ(r.table.values<double>("score")[1], 0.001);
  EXPECT_FALSE(r.table.find("extra"));
}

TEST(CsvRead, BadRowsGoToRejectsAndGoodRowsStillLoad) {
  const auto r = parse_csv(
      "deal_id,amount,close_date,units,won,score\n"
      "D1,10,2024-01-31,1,true,1\n"
      "D2,1e3,2024-01-31,1,true,1\n"
      "D3,10,2024-02-30,1,true,1\n"
      "D4,10,,x,maybe,1\n"
      "D5,10,2024-01-31,1,true\n"
      "D6,,2024-01-31,1,true,1\n"
      "D7,1.5,2024-03-01,2,false,2\n",
      deal_schema);
  EXPECT_EQ(r.records, 7u);
  EXPECT_EQ(r.rejected_rows, 5u);
  ASSERT_EQ(r.table.num_rows(), 2u);
  EXPECT_EQ(r.table.values<std::string>("deal_id"), (std::vector<std::string>{"D1", "D7"}));
  ASSERT_EQ(r.rejects.size(), 6u);  // D4 has two bad fields
  // Every reject names its line (header = line 1), column, value and reason, word for word.
  const std::vector<Reject> expected{
      {3, "amount", "1e3",
       "'1e3' is not a decimal: exponent notation is not accepted; write the digits out"},
      {4, "close_date", "2024-02-30", "'2024-02-30' is not a valid date: that month has 29 days"},
      {5, "units", "x", "not a whole number; use digits with an optional leading '-'"},
      {5, "won", "maybe", "not a boolean; use true/false or 1/0"},
      {6, "", "",
       "the row has 5 fields but the header has 6; check for an unquoted delimiter or a missing "
       "field"},
      {7, "amount", "", "a value is required here; fill it in or drop the row"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("reject " + std::to_string(i));
    EXPECT_EQ(r.rejects[i].line, expected[i].line);
    EXPECT_EQ(r.rejects[i].column, expected[i].column);
    EXPECT_EQ(r.rejects[i].value, expected[i].value);
    EXPECT_EQ(r.rejects[i].reason, expected[i].reason);
  }
}

TEST(CsvRead, QuotedFieldsEscapesAndLineBreaks) {
  const std::vector<ColumnSpec> schema{{"name", ColumnType::string}, {"note", ColumnType::string}};
  const auto r = parse_csv(
      "name,note\r\n"
      "\"Smith, Jane\",\"said \"\"hi\"\"\"\r\n"
      "\"multi\nline\",plain\r\n"
      "after,\"\"\r\n"
      "bad,\"unterminated\n",
      schema);
  ASSERT_EQ(r.table.num_rows(), 3u) << (r.rejects.empty() ? "" : r.rejects[0].reason);
  const auto& name = r.table.values<std::string>("name");
  const auto& note = r.table.values<std::string>("note");
  EXPECT_EQ(name[0], "Smith, Jane");
  EXPECT_EQ(note[0], "said \"hi\"");
  EXPECT_EQ(name[1], "multi\nline");
  EXPECT_EQ(note[2], "");  // a quoted empty string is a value, not a null
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 6);  // lines: header 1, Smith 2, multi-line 3-4, after 5, bad 6
  EXPECT_EQ(r.rejects[0].column, "note");
}

TEST(CsvRead, UnterminatedQuoteRejectsItsLineAndTheRestIsRead) {
  // A quote that never closes would make the rest of the file one field: only its line is
  // rejected, and the rows after it load.
  const std::vector<ColumnSpec> schema{{"a", ColumnType::string}, {"b", ColumnType::string}};
  const auto r = parse_csv("a,b\nx,y\n\"bad,open\r\nz,w\nv,u\n", schema);
  ASSERT_EQ(r.table.num_rows(), 3u);
  EXPECT_EQ(r.table.values<std::string>("a")[1], "z");
  EXPECT_EQ(r.records, 4u);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 3);
  EXPECT_EQ(r.rejects[0].value, "bad,open");
  EXPECT_EQ(r.rejects[0].reason,
            "a quote opens here and never closes (the rest of the file would be this one field): "
            "this line is rejected and the next lines are read as rows; close the quote, and "
            "double any quote inside it (\"\")");
  // A quote closed but followed by text is malformed, not unclosed.
  const auto m = parse_csv("a,b\n\"x\"y,z\nv,u\n", schema);
  ASSERT_EQ(m.rejects.size(), 1u);
  EXPECT_EQ(m.rejects[0].reason,
            "unterminated or malformed quoted field; close the quote and double any quote inside "
            "it (\"\")");
  EXPECT_EQ(m.table.num_rows(), 1u);
}

TEST(CsvRead, Utf8TextKeptAndInvalidBytesRejected) {
  const std::vector<ColumnSpec> schema{{"name", ColumnType::string}};
  const auto r = parse_csv("\xEF\xBB\xBFname\nZoë Ørsted\nbad\xC3\x28\n", schema);
  ASSERT_EQ(r.table.num_rows(), 1u);
  EXPECT_EQ(r.table.values<std::string>("name")[0], "Zoë Ørsted");
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].reason,
            "the text is not valid UTF-8; re-save the file as UTF-8, or read it as Windows-1252 "
            "(Excel's CSV on Western Windows; spm: --encoding windows-1252)");
}

TEST(CsvRead, OptionsDelimiterLenientNoHeaderAndBlankLines) {
  const std::vector<ColumnSpec> schema{{"id", ColumnType::string}, {"amount", ColumnType::decimal}};
  CsvReadOptions opt;
  opt.delimiter = ';';
  opt.header = false;
  opt.lenient_decimals = true;
  const auto r = parse_csv("A;1,000.50\n\nB; (12.25) \nC;1,00\n", schema, opt);
  ASSERT_EQ(r.table.num_rows(), 2u);
  EXPECT_EQ(r.table.values<Decimal>("amount")[0], Decimal::parse("1000.5"));
  EXPECT_EQ(r.table.values<Decimal>("amount")[1], Decimal::parse("-12.25"));
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].line, 4);
}

// European exports: ',' is the decimal point; '.' groups thousands only when read leniently.
TEST(CsvRead, DecimalComma) {
  const std::vector<ColumnSpec> schema{{"id", ColumnType::string}, {"amount", ColumnType::decimal}};
  CsvReadOptions opt;
  opt.delimiter = ';';
  opt.decimal_comma = true;
  const auto strict = parse_csv("id;amount\nA;1234,50\nB;-0,5\nC;7\nD;1.234,50\nE;12.5\n", schema, opt);
  ASSERT_EQ(strict.table.num_rows(), 3u);
  EXPECT_EQ(strict.table.values<Decimal>("amount")[0], Decimal::parse("1234.5"));
  EXPECT_EQ(strict.table.values<Decimal>("amount")[1], Decimal::parse("-0.5"));
  EXPECT_EQ(strict.table.values<Decimal>("amount")[2], Decimal(7));
  ASSERT_EQ(strict.rejects.size(), 2u);
  EXPECT_EQ(strict.rejects[0].reason,
            "'1.234,50' is not a decimal: the decimal point here is ','; '.' may only group "
            "thousands, and only when read leniently (1.234,50)");
  // "12.5" is not 12.5 where '.' groups thousands.
  EXPECT_EQ(strict.rejects[1].line, 6);
  // Blanks around a decimal-comma value: lenient parsing would read it, so it is offered.
  const auto blanks = parse_csv("id;amount\nA; 12,50\n", schema, opt);
  ASSERT_EQ(blanks.rejects.size(), 1u);
  EXPECT_EQ(blanks.rejects[0].reason,
            "' 12,50' is not a decimal: it has blanks; remove them or ask for lenient parsing (spm: --lenient)");
  // An accounting negative, "(12,50)": lenient parsing reads it, so it is offered too.
  const auto parens = parse_csv("id;amount\nA;(12,50)\n", schema, opt);
  ASSERT_EQ(parens.rejects.size(), 1u);
  EXPECT_EQ(parens.rejects[0].reason,
            "'(12,50)' is not a decimal; use digits, at most one ',' and an optional leading '-', "
            "or ask for lenient parsing (spm: --lenient)");
  opt.lenient_decimals = true;
  const auto lenient = parse_csv("id;amount\nA;1.234.567,89\nB;(12,50)\nC;1.23,4\n", schema, opt);
  ASSERT_EQ(lenient.table.num_rows(), 2u);
  EXPECT_EQ(lenient.table.values<Decimal>("amount")[0], Decimal::parse("1234567.89"));
  EXPECT_EQ(lenient.table.values<Decimal>("amount")[1], Decimal::parse("-12.5"));
  ASSERT_EQ(lenient.rejects.size(), 1u);
  EXPECT_EQ(lenient.rejects[0].reason,
            "'1.23,4' is not a decimal: '.' may only group digits in threes before the ',' (1.234,50)");
}

// What a decimal that does not parse is told: the options that would read it, none that would not.
TEST(CsvRead, DecimalReasonsNameTheOptionThatReadsThem) {
  const std::vector<ColumnSpec> schema{{"amount", ColumnType::decimal}};
  const auto strict = parse_csv("amount\n\"1234,50\"\n\"1,234.50\"\n", schema);
  ASSERT_EQ(strict.rejects.size(), 2u);
  // Lenient parsing would not read 1234,50 either: only the decimal comma is offered.
  EXPECT_EQ(strict.rejects[0].reason,
            "'1234,50' is not a decimal: thousands separators are not accepted; remove them; if ',' "
            "is the decimal point there, ask for a decimal comma (spm: --decimal-comma)");
  EXPECT_EQ(strict.rejects[1].reason,
            "'1,234.50' is not a decimal: thousands separators are not accepted; remove them or ask "
            "for lenient parsing (spm: --lenient)");
  CsvReadOptions opt;
  opt.lenient_decimals = true;
  const auto lenient = parse_csv("amount\n\"1234,50\"\n1 234.50\n", schema, opt);
  ASSERT_EQ(lenient.rejects.size(), 2u);
  EXPECT_EQ(lenient.rejects[0].reason,
            "'1234,50' is not a decimal: ',' may only group digits in threes before the '.' "
            "(1,234.50); if ',' is the decimal point there, ask for a decimal comma (spm: --decimal-comma)");
  EXPECT_EQ(lenient.rejects[1].reason, "'1 234.50' is not a decimal: it has blanks inside; remove them");
}

// The ids of rejected lines are read with the file's own delimiter and quote.
TEST(CsvRead, FieldsAtUseTheFileFormat) {
  const auto path = std::filesystem::temp_directory_path() / "spm_fields_at_semicolon.csv";
  {
    std::ofstream f(path);
    f << "id;amount\nA;1\n\"B;x\";2\n";
  }
  CsvReadOptions format;
  format.delimiter = ';';
  const auto got = csv_fields_at(path, {2, 3}, {"amount", "id"}, format);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got.at(2), (std::vector<std::string>{"1", "A"}));
  EXPECT_EQ(got.at(3), (std::vector<std::string>{"2", "B;x"}));
  std::filesystem::remove(path);
}

TEST(CsvRead, OptionalColumnAbsentFromFileIsAllNull) {
  const std::vector<ColumnSpec> schema{{"id", ColumnType::string},
                                       {"region", ColumnType::string, true, false}};
  const auto r = parse_csv("id\nA\nB\n", schema);
  ASSERT_EQ(r.table.num_rows(), 2u);
  EXPECT_EQ(r.table.column("region").null_count(), 2u);
}

// Spreadsheet headers: a named column is found whatever its case, edge blanks and word
// separators, unless a header spells it exactly; an optional one too (it would be all null).
TEST(CsvRead, HeadersMatchLooselyWhenNoneIsExact) {
  const std::vector<ColumnSpec> schema{{"payee_id", ColumnType::string},
                                       {"last_quota", ColumnType::decimal, true, false},
                                       {"amount", ColumnType::decimal}};
  CsvReadOptions extra;
  extra.extra_columns_as_text = true;
  const auto r = parse_csv("Payee ID,Last-Quota , AMOUNT,Amount_x\nA,10,5,t\n", schema, extra);
  ASSERT_TRUE(r.rejects.empty());
  EXPECT_EQ(r.table.values<std::string>("payee_id")[0], "A");
  EXPECT_EQ(r.table.values<Decimal>("last_quota")[0], Decimal(10));
  EXPECT_EQ(r.table.values<Decimal>("amount")[0], Decimal(5));
  EXPECT_EQ(r.table.values<std::string>("Amount_x")[0], "t");  // an extra column as it is named
  EXPECT_EQ(r.table.num_columns(), 4u);
  // An exact name wins; the other spelling stays an extra column.
  const auto exact = parse_csv("AMOUNT,amount,payee_id\n1,2,A\n", schema, extra);
  EXPECT_EQ(exact.table.values<Decimal>("amount")[0], Decimal(2));
  EXPECT_EQ(exact.table.values<std::string>("AMOUNT")[0], "1");
  // Two loose spellings of one column are ambiguous.
  EXPECT_THROW((void)parse_csv("payee_id,Amount,AMOUNT\nA,1,2\n", schema), InvalidInputError);
}

// A spreadsheet's blank rows (only delimiters) are passed over like blank lines, and line
// numbers still count them.
TEST(CsvRead, RowsOfOnlyDelimitersAreBlank) {
  CsvReadOptions lines;
  lines.line_column = "_line";
  const std::vector<ColumnSpec> schema{{"deal_id", ColumnType::string},
                                       {"amount", ColumnType::decimal, true}};
  const auto r = parse_csv("deal_id,amount\n,\nD1,1\n , \nD2,\n,,\n", schema, lines);
  EXPECT_EQ(r.table.values<std::string>("deal_id"), (std::vector<std::string>{"D1", "D2"}));
  EXPECT_EQ(r.table.values<std::int64_t>("_line"), (std::vector<std::int64_t>{3, 5}));
  EXPECT_TRUE(r.rejects.empty());
}

// Windows-1252 and Latin-1 files on request, UTF-16 by its byte order mark.
TEST(CsvRead, OtherEncodingsAreReadAsUtf8) {
  const std::vector<ColumnSpec> schema{{"name", ColumnType::string}, {"amount", ColumnType::decimal}};
  const std::string cp1252 = "name,amount\nM\xfcller \x80,1\n";
  const auto strict = parse_csv(cp1252, schema);
  ASSERT_EQ(strict.rejects.size(), 1u);
  EXPECT_NE(strict.rejects[0].reason.find("--encoding windows-1252"), std::string::npos);
  CsvReadOptions o;
  o.encoding = TextEncoding::windows1252;
  EXPECT_EQ(parse_csv(cp1252, schema, o).table.values<std::string>("name")[0], "M\u00fcller \u20ac");
  o.encoding = TextEncoding::latin1;
  EXPECT_EQ(parse_csv(cp1252, schema, o).table.values<std::string>("name")[0], "M\u00fcller \u0080");
  // "name,amount\nÜ😀,2\n" in UTF-16 LE and BE, with their byte order marks.
  const std::u16string u = u"name,amount\n\u00dc\U0001F600,2\n";
  for (const bool little : {true, false}) {
    std::string bytes = little ? "\xFF\xFE" : "\xFE\xFF";
    for (const char16_t c : u) {
      const char lo = static_cast<char>(c & 0xFF), hi = static_cast<char>(c >> 8);
      bytes += little ? lo : hi;
      bytes += little ? hi : lo;
    }
    const auto r = parse_csv(bytes, schema);
    ASSERT_TRUE(r.rejects.empty()) << r.rejects[0].reason;
    EXPECT_EQ(r.table.values<std::string>("name")[0], "\u00dc\U0001F600");
    EXPECT_EQ(r.table.values<Decimal>("amount")[0], Decimal(2));
  }
  EXPECT_EQ(parse_text_encoding("CP1252"), TextEncoding::windows1252);
  EXPECT_FALSE(parse_text_encoding("utf-16"));
}

// Dates as exports write them: ISO variants always, month/day/year or day/month/year when asked.
TEST(CsvRead, DateFormats) {
  const std::vector<ColumnSpec> schema{{"d", ColumnType::date}};
  auto read = [&](const std::string& text, DateFormat f) {
    CsvReadOptions o;
    o.date_format = f;
    return parse_csv("d\n" + text + "\n", schema, o);
  };
  for (const char* iso : {"2026-03-05", "2026-3-5", "20260305", "2026-03-05T00:00:00",
                          "2026-03-05 00:00:00.000", "2026-03-05T00:00:00Z", "2026/03/05"}) {
    for (const auto f : {DateFormat::iso, DateFormat::mdy, DateFormat::dmy}) {
      const auto r = read(iso, f);
      ASSERT_TRUE(r.rejects.empty()) << iso << ": " << r.rejects[0].reason;
      EXPECT_EQ(r.table.values<Date>("d")[0], Date(2026, 3, 5)) << iso;
    }
  }
  EXPECT_EQ(read("03/05/2026", DateFormat::mdy).table.values<Date>("d")[0], Date(2026, 3, 5));
  EXPECT_EQ(read("3/5/2026", DateFormat::mdy).table.values<Date>("d")[0], Date(2026, 3, 5));
  EXPECT_EQ(read("05.03.2026", DateFormat::dmy).table.values<Date>("d")[0], Date(2026, 3, 5));
  EXPECT_EQ(read("05/03/2026 00:00", DateFormat::dmy).table.values<Date>("d")[0], Date(2026, 3, 5));
  struct Bad {
    const char* text;
    DateFormat format;
    const char* reason;
  };
  for (const auto& [text, f, reason] : std::vector<Bad>{
           {"03/15/2026", DateFormat::iso,
            "'03/15/2026' is not an ISO date (YYYY-MM-DD); if the file writes month/day/year or "
            "day/month/year, read it so (spm: --date-format mdy or dmy)"},
           {"03/15/2026", DateFormat::dmy,
            "'03/15/2026' is not a calendar date (read as year 2026, month 15, day 3)"},
           {"2026-03-05T13:45:00", DateFormat::iso,
            "'2026-03-05T13:45:00' has a time of day; give the day only (YYYY-MM-DD)"},
           {"3/5/26", DateFormat::mdy,
            "'3/5/26' is not a date with a four-digit year; write the year in full (YYYY-MM-DD)"},
           {"2026-02-30", DateFormat::iso,
            "'2026-02-30' is not a valid date: that month has 28 days"},
           {"2026-03/05", DateFormat::iso,
            "'2026-03/05' is not an ISO date; write YYYY-MM-DD (e.g. 2024-03-31)"},
           {"2026-0003-05", DateFormat::iso,
            "'2026-0003-05' is not an ISO date; write YYYY-MM-DD (e.g. 2024-03-31)"},
           {"2026-03-05 ", DateFormat::iso,
            "'2026-03-05 ' is not a date: it has blanks around it; remove them"},
       }) {
    const auto r = read(text, f);
    ASSERT_EQ(r.rejects.size(), 1u) << text;
    EXPECT_EQ(r.rejects[0].reason, reason);
  }
  EXPECT_EQ(parse_date_format("MDY"), DateFormat::mdy);
  EXPECT_FALSE(parse_date_format("ymd"));
}

TEST(CsvRead, EmptySchemaReadsEveryColumnAsText) {
  const auto r = parse_csv("a,b\n1,\n", {});
  ASSERT_EQ(r.table.num_columns(), 2u);
  EXPECT_EQ(r.table.values<std::string>("a")[0], "1");
  EXPECT_TRUE(r.table.column("b").is_null(0));
}

// Whole-file problems throw one clear error; messages checked word for word.
TEST(CsvRead, FileLevelErrors) {
  struct Case {
    std::string text;
    CsvReadOptions options;
    std::string id;
    std::string what;
  };
  CsvReadOptions strict;
  strict.ignore_extra_columns = false;
  CsvReadOptions same;
  same.delimiter = '"';
  const std::vector<Case> cases{
      {"", CsvReadOptions(), "csv.empty",
       "[csv.empty] t.csv: the file is empty; expected a header line naming the columns"},
      {"deal_id,units\n", CsvReadOptions(), "csv.missing_column",
       "[csv.missing_column] t.csv: required column 'amount' is not in the header; the header "
       "has: deal_id, units"},
      {"deal_id;amount;units\n", CsvReadOptions(), "csv.missing_column",
       "[csv.missing_column] t.csv: required column 'deal_id' is not in the header; the header "
       "has: deal_id;amount;units (the file seems to separate columns by ';': read it with that "
       "delimiter, e.g. spm's --delimiter ';')"},
      {"deal_id,amount,amount\n", CsvReadOptions(), "csv.duplicate_column",
       "[csv.duplicate_column] t.csv: the header names column 'amount' twice; rename one of them"},
      {"deal_id,amount,close_date,units,won,score,x\n", strict, "csv.extra_column",
       "[csv.extra_column] t.csv: column 'x' is not expected; remove it or allow extra columns"},
      {"a\n", same, "csv.options",
       "[csv.options] t.csv: the delimiter must differ from the quote and from line breaks"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    try {
      (void)parse_csv(c.text, deal_schema, c.options, "t.csv");
      ADD_FAILURE() << "expected " << c.id;
    } catch (const InvalidInputError& e) {
      EXPECT_EQ(e.id(), c.id);
      EXPECT_STREQ(e.what(), c.what.c_str());
    }
  }
}

TEST(CsvRead, MissingFileIsAnIoError) {
  try {
    (void)read_csv("/nonexistent/deals.csv", deal_schema);
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_EQ(e.id(), "csv.open");
    EXPECT_STREQ(e.what(),
                 "[csv.open] /nonexistent/deals.csv: cannot open the file: No such file or "
                 "directory; check the path and permissions");
  }
}

TEST(CsvRead, ColumnSpecText) {
  const auto s = parse_column_spec("close_date:date?");
  EXPECT_EQ(s.name, "close_date");
  EXPECT_EQ(s.type, ColumnType::date);
  EXPECT_TRUE(s.nullable);
  EXPECT_EQ(parse_column_spec("id").type, ColumnType::string);
  try {
    (void)parse_column_spec("x:money");
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_STREQ(e.what(),
                 "[csv.column_spec] x:money: 'money' is not a column type; use string, decimal, "
                 "integer, date, boolean or float64");
  }
}

// Property: a random table written and read back is identical, and row order is kept.
TEST(CsvRoundTrip, RandomTablesSurviveWriteThenRead) {
  Random rng(11);
  const std::vector<ColumnSpec> schema{{"s", ColumnType::string, true},
                                       {"d", ColumnType::decimal, true},
                                       {"i", ColumnType::integer},
                                       {"t", ColumnType::date}};
  const std::string alphabet = "ab ,\"\n\r;x\xC3\xA9";
  for (int round = 0; round < 50; ++round) {
    Column s("s", ColumnType::string), d("d", ColumnType::decimal), i("i", ColumnType::integer),
        t("t", ColumnType::date);
    const auto rows = rng.below(40);
    for (std::uint64_t r = 0; r < rows; ++r) {
      std::string text;
      const auto len = rng.below(6);
      for (std::uint64_t k = 0; k < len; ++k) {
        const auto c = rng.below(alphabet.size() - 1);
        text += alphabet[c] == '\xC3' ? std::string("\xC3\xA9") : std::string(1, alphabet[c]);
      }
      if (text.empty() || rng.bernoulli(0.1)) s.push_null(); else s.push(text);
      if (rng.bernoulli(0.1)) d.push_null();
      else d.push(Decimal::from_raw(static_cast<detail::int128>(rng.next() >> 1) * (rng.bernoulli(0.5) ? 1 : -1)));
      i.push(static_cast<std::int64_t>(rng.next()));
      t.push(Date::from_days(static_cast<std::int32_t>(rng.below(40000))));
    }
    Table table;
    table.add(std::move(s)).add(std::move(d)).add(std::move(i)).add(std::move(t));
    std::ostringstream out;
    write_csv(table, out);
    const auto back = parse_csv(out.str(), schema);
    ASSERT_TRUE(back.rejects.empty()) << back.rejects[0].reason << "\n" << out.str();
    ASSERT_EQ(back.table.num_rows(), table.num_rows());
    for (std::size_t c = 0; c < table.num_columns(); ++c) {
      for (std::size_t r = 0; r < table.num_rows(); ++r) {
        ASSERT_EQ(back.table.columns()[c].text(r), table.columns()[c].text(r))
            << "column " << c << " row " << r << "\n" << out.str();
      }
    }
  }
}

// Text typed as strings (a DataFrame read without types) converts by the reader's rules; what
// does not convert is a null listed with its row and reason.
TEST(ConvertStrings, ByTheReadersRulesWithRejects) {
  Column text("amount", ColumnType::string);
  for (const char* s : {"1.50", "-7", "", "1,000.00", "0.0000000000001", "12"}) text.push(std::string(s));
  text.push_null();
  std::vector<Reject> rejects;
  const Column d = convert_strings(text, ColumnType::decimal, rejects);
  ASSERT_EQ(d.size(), 7u);
  EXPECT_EQ(d.type(), ColumnType::decimal);
  EXPECT_EQ(d.values<Decimal>()[0], Decimal::parse("1.5"));
  EXPECT_EQ(d.values<Decimal>()[1], Decimal(-7));
  EXPECT_EQ(d.values<Decimal>()[5], Decimal(12));
  for (std::size_t i : {2u, 3u, 4u, 6u}) EXPECT_TRUE(d.is_null(i)) << i;
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].line, 4);
  EXPECT_EQ(rejects[0].column, "amount");
  EXPECT_EQ(rejects[0].value, "1,000.00");
  EXPECT_NE(rejects[0].reason.find("thousands"), std::string::npos) << rejects[0].reason;
  EXPECT_EQ(rejects[1].line, 5);
  EXPECT_NE(rejects[1].reason.find("12"), std::string::npos) << rejects[1].reason;
  // Lenient decimals take the grouping the strict rule refuses.
  rejects.clear();
  EXPECT_EQ(convert_strings(text, ColumnType::decimal, rejects, true).values<Decimal>()[3],
            Decimal(1000));
  EXPECT_EQ(rejects.size(), 1u);

  Column days("close_date", ColumnType::string);
  for (const char* s : {"2026-02-28", "2026-02-30", "28/02/2026"}) days.push(std::string(s));
  rejects.clear();
  const Column dd = convert_strings(days, ColumnType::date, rejects);
  EXPECT_EQ(dd.values<Date>()[0], Date(2026, 2, 28));
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].line, 2);
  EXPECT_EQ(rejects[1].value, "28/02/2026");
  EXPECT_THROW((void)convert_strings(dd, ColumnType::decimal, rejects), InvalidInputError);
}


TEST(MostlyNumbers, NumericTypesAndTextThatIsMostlyNumbers) {
  auto text = [](std::vector<std::string> v) { return Column::of("c", std::move(v)); };
  EXPECT_TRUE(mostly_numbers(Column::of("c", std::vector<double>{})));
  EXPECT_TRUE(mostly_numbers(Column::of("c", std::vector<Decimal>{Decimal(1)})));
  EXPECT_TRUE(mostly_numbers(text({"1.5", "2", "", "x"})));   // 2 of 3 filled
  EXPECT_FALSE(mostly_numbers(text({"1.5", "x", "", "y"})));  // 1 of 3
  EXPECT_FALSE(mostly_numbers(text({"", ""})));
  EXPECT_FALSE(mostly_numbers(Column::of("c", std::vector<Date>{Date(2026, 1, 1)})));
}


TEST(CsvRead, UnnamedColumnsOfASpreadsheetExportAreIgnored) {
  const std::vector<ColumnSpec> schema{{"a", ColumnType::string}, {"b", ColumnType::decimal}};
  const auto r = parse_csv("a,b,,\nx,1,,\ny,2,,\n", schema);
  EXPECT_TRUE(r.rejects.empty());
  EXPECT_EQ(r.table.num_rows(), 2u);
  const auto all = parse_csv("a,b,,\nx,1,,\n", {});
  EXPECT_EQ(all.table.num_columns(), 2u);  // the unnamed ones are not columns named ""
  EXPECT_THROW((void)parse_csv("a,a\nx,y\n", schema), InvalidInputError);
}

}  // namespace
}  // namespace spm::io
