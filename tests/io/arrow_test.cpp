#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/io/arrow.hpp>
#include <spm/io/csv.hpp>

namespace spm::io {
namespace {

Table sample() {
  const std::vector<ColumnSpec> schema{{"id", ColumnType::string},
                                       {"amount", ColumnType::decimal, true},
                                       {"day", ColumnType::date, true},
                                       {"n", ColumnType::integer},
                                       {"ok", ColumnType::boolean},
                                       {"p", ColumnType::float64}};
  return parse_csv("id,amount,day,n,ok,p\n"
                   "Zoë,0.1,2024-02-29,-5,true,0.25\n"
                   "B,,1969-12-31,7,false,1\n"
                   "C,-170141183460469231731687303.715884105727,,0,true,-2\n",
                   schema)
      .table;
}

TEST(Arrow, ExportSchemaAndBuffersFollowTheSpec) {
  const Table t = sample();
  ArrowSchema s{};
  ArrowArray a{};
  export_table(t, &s, &a);
  EXPECT_STREQ(s.format, "+s");
  ASSERT_EQ(s.n_children, 6);
  const char* formats[] = {"u", "d:38,12", "tdD", "l", "b", "g"};
  for (int i = 0; i < 6; ++i) EXPECT_STREQ(s.children[i]->format, formats[i]);
  EXPECT_STREQ(s.children[1]->name, "amount");
  EXPECT_EQ(a.length, 3);
  EXPECT_EQ(a.children[1]->null_count, 1);
  // amount[0] == 0.1 as a little-endian int128 at scale 12.
  detail::int128 raw = 0;
  std::memcpy(&raw, static_cast<const char*>(a.children[1]->buffers[1]), 16);
  EXPECT_EQ(raw, Decimal::unit / 10);
  // validity bitmap of amount: rows 0 and 2 valid.
  EXPECT_EQ(static_cast<const std::uint8_t*>(a.children[1]->buffers[0])[0], 0b101);
  a.release(&a);
  s.release(&s);
  EXPECT_EQ(a.release, nullptr);
  EXPECT_EQ(s.release, nullptr);
}

TEST(Arrow, StreamRoundTripIsExact) {
  const Table t = sample();
  ArrowArrayStream stream{};
  export_table_stream(t, &stream);
  const Table back = import_table_stream(&stream);
  EXPECT_EQ(stream.release, nullptr);
  ASSERT_EQ(back.num_rows(), t.num_rows());
  ASSERT_EQ(back.num_columns(), t.num_columns());
  for (std::size_t c = 0; c < t.num_columns(); ++c) {
    EXPECT_EQ(back.columns()[c].type(), t.columns()[c].type());
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      EXPECT_EQ(back.columns()[c].text(r), t.columns()[c].text(r)) << "column " << c << " row " << r;
    }
  }
}

// Decimals leave at scale 12 whatever their values or display places: a type that followed the
// values would differ between runs (polars rounds when it concatenates such frames). The
// stream's schema says what its batch holds.
TEST(Arrow, DecimalsLeaveAtAFixedScale) {
  const auto d = [](const char* text) { return Decimal::parse(text); };
  Column c = Column::of("amount", std::vector<Decimal>{d("1.5"), d("2"), d("-7.25")});
  c.set_min_places(2);
  Table t;
  t.add(std::move(c));
  ArrowArrayStream st{};
  export_table_stream(t, &st);
  ArrowSchema s{};
  ASSERT_EQ(st.get_schema(&st, &s), 0);
  EXPECT_STREQ(s.children[0]->format, "d:38,12");
  s.release(&s);
  ArrowArray a{};
  ASSERT_EQ(st.get_next(&st, &a), 0);
  detail::int128 raw = 0;
  std::memcpy(&raw, static_cast<const char*>(a.children[0]->buffers[1]) + 32, 16);
  EXPECT_EQ(raw, -Decimal::unit * 725 / 100);
  a.release(&a);
  st.release(&st);
}

TEST(Arrow, UnsupportedTypeNamesTheColumn) {
  // A hand-built stream whose only column is a list type ("+l").
  struct State {
    bool done = false;
  };
  static ArrowSchema child{};
  static ArrowSchema* children[] = {&child};
  ArrowArrayStream st{};
  st.get_schema = [](ArrowArrayStream*, ArrowSchema* out) {
    child = ArrowSchema{"+l", "tags", nullptr, 2, 0, nullptr, nullptr, [](ArrowSchema* s) { s->release = nullptr; }, nullptr};
    *out = ArrowSchema{"+s", "", nullptr, 0, 1, children, nullptr,
                       [](ArrowSchema* s) { s->release = nullptr; }, nullptr};
    return 0;
  };
  st.get_next = [](ArrowArrayStream*, ArrowArray* out) {
    out->release = nullptr;
    return 0;
  };
  st.get_last_error = [](ArrowArrayStream*) -> const char* { return nullptr; };
  st.release = [](ArrowArrayStream* s) { s->release = nullptr; };
  try {
    (void)import_table_stream(&st);
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_STREQ(e.what(),
                 "[arrow.type] tags: Arrow type '+l' is not supported; cast the column to string, "
                 "decimal128, int64, date32, bool or float64 first");
  }
  EXPECT_EQ(st.release, nullptr);
}

// A stream of the given tables (same schema) as record batches, each exported by export_table.
struct Batches {
  std::vector<Table> tables;
  std::size_t next = 0;
};

ArrowArrayStream stream_of(Batches& b) {
  ArrowArrayStream st{};
  st.private_data = &b;
  st.get_schema = [](ArrowArrayStream* self, ArrowSchema* out) {
    auto* d = static_cast<Batches*>(self->private_data);
    ArrowArray a{};
    export_table(d->tables.front(), out, &a);
    a.release(&a);
    return 0;
  };
  st.get_next = [](ArrowArrayStream* self, ArrowArray* out) {
    auto* d = static_cast<Batches*>(self->private_data);
    if (d->next == d->tables.size()) {
      out->release = nullptr;
      return 0;
    }
    ArrowSchema s{};
    export_table(d->tables[d->next++], &s, out);
    s.release(&s);
    return 0;
  };
  st.get_last_error = [](ArrowArrayStream*) -> const char* { return nullptr; };
  st.release = [](ArrowArrayStream* s) { s->release = nullptr; };
  return st;
}

// Rows [b, e) of a text column "x": value(r), or null where null(r).
template <class Value, class Null>
Table text_rows(std::size_t b, std::size_t e, Value value, Null null) {
  Column c("x", ColumnType::string);
  for (std::size_t r = b; r < e; ++r) {
    if (null(r)) c.push_null();
    else c.push(value(r));
  }
  Table t;
  t.add(std::move(c));
  return t;
}

// Text with few distinct values arrives dictionary-encoded (4 bytes a row); mostly distinct text
// (ids) turns plain once 65,536 rows show it, in the middle of a batch; nulls stay where they are.
TEST(Arrow, TextIsDictionaryEncodedWhileItsValuesAreFew) {
  auto few = [](std::size_t r) { return "P" + std::to_string(r % 37); };
  auto ids = [](std::size_t r) { return "T" + std::to_string(r); };
  auto some_null = [](std::size_t r) { return r % 1001 == 5; };
  struct Case {
    std::function<std::string(std::size_t)> value;
    std::size_t rows, batch;
    bool dictionary;
  };
  for (const Case& c : {Case{few, 90'000, 30'000, true}, Case{ids, 90'000, 30'000, false},
                        Case{ids, 1'000, 400, false}, Case{few, 1'000, 400, true}}) {
    Batches b;
    for (std::size_t r = 0; r < c.rows; r += c.batch) {
      b.tables.push_back(text_rows(r, std::min(r + c.batch, c.rows), c.value, some_null));
    }
    ArrowArrayStream st = stream_of(b);
    const Table t = import_table_stream(&st);
    const Column& x = t.column("x");
    ASSERT_EQ(x.size(), c.rows);
    EXPECT_EQ(x.is_dictionary(), c.dictionary) << c.rows;
    EXPECT_EQ(x.null_count(), (c.rows + 995) / 1001);
    for (std::size_t r = 0; r < c.rows; ++r) {
      ASSERT_EQ(x.is_null(r), some_null(r)) << r;
      if (!some_null(r)) {
        ASSERT_EQ(x.strings()[r], c.value(r)) << r;
      }
    }
  }
}

}  // namespace
}  // namespace spm::io
