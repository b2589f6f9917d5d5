// spm.Table, CSV and Arrow: tables cross into Python through the Arrow PyCapsule interface.
#include "casters.hpp"

#include <array>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <sstream>

#include <spm/core/error.hpp>
#include <spm/io/arrow.hpp>
#include <spm/io/csv.hpp>

namespace spm::python {
namespace {

void release_stream_capsule(void* p) noexcept {
  auto* stream = static_cast<ArrowArrayStream*>(p);
  if (stream->release != nullptr) stream->release(stream);
  delete stream;
}

nb::capsule to_stream_capsule(io::Table table) {
  auto* stream = new ArrowArrayStream{};
  io::export_table_stream(std::move(table), stream);
  return nb::capsule(stream, "arrow_array_stream", &release_stream_capsule);
}

io::Table from_stream_capsule(nb::handle capsule) {
  auto* stream =
      static_cast<ArrowArrayStream*>(PyCapsule_GetPointer(capsule.ptr(), "arrow_array_stream"));
  if (stream == nullptr) throw nb::python_error();
  nb::gil_scoped_release release;
  return io::import_table_stream(stream);  // releases the stream; the capsule then only frees it
}

std::vector<io::ColumnSpec> specs_of(const std::vector<std::string>& columns) {
  std::vector<io::ColumnSpec> specs;
  for (const auto& c : columns) specs.push_back(io::parse_column_spec(c));
  return specs;
}

std::vector<std::string> spec_strings(const io::Table& t) {
  std::vector<std::string> out;
  for (const auto& c : t.columns()) out.push_back(c.name() + ":" + std::string(io::to_string(c.type())) + "?");
  return out;
}

io::CsvReadOptions csv_options(const std::string& delimiter, bool header, bool lenient,
                               bool decimal_comma, const std::string& encoding,
                               const std::string& date_format) {
  if (delimiter.size() != 1) {
    throw InvalidInputError("csv.options", "delimiter", "the delimiter must be one character");
  }
  const auto enc = io::parse_text_encoding(encoding);
  if (!enc) {
    throw InvalidInputError("csv.options", "encoding",
                            "the encoding must be utf-8, windows-1252 or latin-1, not '" + encoding + "'");
  }
  const auto dates = io::parse_date_format(date_format);
  if (!dates) {
    throw InvalidInputError("csv.options", "date_format",
                            "the date format must be iso, mdy or dmy, not '" + date_format + "'");
  }
  io::CsvReadOptions opt;
  opt.encoding = *enc;
  opt.date_format = *dates;
  opt.delimiter = delimiter[0];
  opt.header = header;
  opt.lenient_decimals = lenient;
  opt.decimal_comma = decimal_comma;
  return opt;
}

nb::module_ python_io() { return nb::module_::import_("spm._io"); }

nb::tuple csv_result(io::CsvReadResult&& r) {
  io::Table rejects = io::rejects_table(r.rejects);
  return nb::make_tuple(std::move(r.table), std::move(rejects), r.records, r.rejected_rows);
}

}  // namespace

void bind_io(nb::module_& m) {
  nb::class_<io::Table>(m, "Table",
                        "A typed table from libspm. Convert with to_arrow(), to_pandas(), "
                        "to_polars(), or hand it to any Arrow consumer (__arrow_c_stream__).")
      .def(nb::init<>())
      .def_prop_ro("num_rows", &io::Table::num_rows)
      .def_prop_ro("num_columns", &io::Table::num_columns)
      .def_prop_ro("column_names",
                   [](const io::Table& t) {
                     std::vector<std::string> names;
                     for (const auto& c : t.columns()) names.push_back(c.name());
                     return names;
                   })
      .def_prop_ro("schema", &spec_strings, "Columns as 'name:type?' strings.")
      .def("__len__", &io::Table::num_rows)
      .def("__repr__",
           [](const io::Table& t) {
             std::string s = "<spm.Table " + std::to_string(t.num_rows()) + " rows: ";
             const auto specs = spec_strings(t);
             for (std::size_t i = 0; i < specs.size(); ++i) {
               if (i == 12) {
                 s += ", ... (" + std::to_string(specs.size()) + " columns)";
                 break;
               }
               s += (i == 0 ? "" : ", ") + specs[i];
             }
             return s + ">";
           })
      .def(
          "__arrow_c_stream__",
          [](const io::Table& t, nb::handle requested_schema) {
            (void)requested_schema;  // we export our own types; consumers cast if they must
            return to_stream_capsule(t);
          },
          nb::arg("requested_schema") = nb::none(),
          "Arrow PyCapsule stream: decimals as decimal128(38, 12), dates as date32.")
      .def_static(
          "_from_stream_capsule", [](nb::handle capsule) { return from_stream_capsule(capsule); },
          nb::arg("capsule"))
      // Conversions live in spm/_io.py (pure Python, imports pyarrow/polars lazily); bound here
      // so that _spm.pyi declares them as methods.
      .def(
          "to_arrow", [](nb::handle self) { return python_io().attr("to_arrow")(self); },
          "The table as a pyarrow.Table (decimals as decimal128(38, 12), dates as date32).")
      .def(
          "to_pandas", [](nb::handle self) { return python_io().attr("to_pandas")(self); },
          "The table as a pandas DataFrame; decimals arrive as exact decimal.Decimal, each with its own places.")
      .def(
          "to_polars", [](nb::handle self) { return python_io().attr("to_polars")(self); },
          "The table as a polars DataFrame.")
      .def_static(
          "from_arrow", [](nb::handle data) { return python_io().attr("from_arrow")(data); },
          nb::arg("data"),
          "A table from any Arrow stream producer (pyarrow Table, polars or pandas DataFrame).")
      .def("to_csv_text",
           [](const io::Table& t) {
             std::ostringstream out;
             io::write_csv(t, out);
             return out.str();
           })
      // Also each column's display places: they set the places of its text and of to_pandas().
      .def("__getstate__",
           [](const io::Table& t) {
             std::ostringstream out;
             io::write_csv(t, out);
             std::vector<int> places;
             for (const auto& c : t.columns()) places.push_back(c.min_places());
             return nb::make_tuple(spec_strings(t), out.str(), places);
           })
      .def("__setstate__", [](io::Table& t, const nb::tuple& state) {
        const auto specs = specs_of(nb::cast<std::vector<std::string>>(state[0]));
        const auto text = nb::cast<std::string>(state[1]);
        auto r = io::parse_csv(text, specs);
        if (state.size() > 2) {
          const auto places = nb::cast<std::vector<int>>(state[2]);
          for (std::size_t i = 0; i < places.size() && i < r.table.num_columns(); ++i) {
            r.table.columns()[i].set_min_places(places[i]);
          }
        }
        new (&t) io::Table(std::move(r.table));
      });

  // One reader for both doors: `source` is a path (from_file) or the CSV text itself.
  auto read = [](bool from_file) {
    return [from_file](const std::string& source, const std::vector<std::string>& columns,
                       const std::string& delimiter, bool header, bool lenient,
                       bool decimal_comma, const std::string& encoding,
                       const std::string& date_format) {
      const auto opt = csv_options(delimiter, header, lenient, decimal_comma, encoding, date_format);
      const auto specs = specs_of(columns);
      io::CsvReadResult r;
      {
        nb::gil_scoped_release release;
        r = from_file ? io::read_csv(source, specs, opt) : io::parse_csv(source, specs, opt);
      }
      return csv_result(std::move(r));
    };
  };
  // The CSV reader's header rule, for Python inputs to match columns as CLI files do.
  m.def(
      "_find_header",
      [](const std::vector<std::string>& header, std::string_view name) {
        return io::find_header(header, name);
      },
      nb::arg("header"), nb::arg("name"));
  m.def("_read_csv", read(true), nb::arg("path"), nb::arg("columns"), nb::arg("delimiter"),
        nb::arg("header"), nb::arg("lenient"), nb::arg("decimal_comma"), nb::arg("encoding"),
        nb::arg("date_format"));
  m.def("_parse_csv", read(false), nb::arg("text"), nb::arg("columns"), nb::arg("delimiter"),
        nb::arg("header"), nb::arg("lenient"), nb::arg("decimal_comma"), nb::arg("encoding"),
        nb::arg("date_format"));
  // A decimal column as decimal.Decimal objects (None at nulls), each with its own exponent:
  // the shortest exact text with at least the column's display places ("10400.00" for money,
  // "116133.333333333333" beside "704000" in a column of quotas). Faster than pyarrow's
  // decimal128 conversion, whose objects all carry 12 places.
  m.def(
      "_decimal_objects",
      [](const io::Table& t, const std::string& name) {
        const io::Column& c = t.column(name);
        const auto& v = c.values<Decimal>();
        const nb::object decimal = nb::module_::import_("decimal").attr("Decimal");
        nb::list out;
        std::array<char, Decimal::max_chars> buf{};
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (c.is_null(i)) {
            out.append(nb::none());
          } else {
            const std::size_t n = v[i].format_to(buf.data(), c.min_places());
            out.append(decimal(nb::str(buf.data(), n)));
          }
        }
        return out;
      },
      nb::arg("table"), nb::arg("name"));
  // Text columns that should be decimals or dates (a DataFrame read without types): the table
  // with them converted, and the rows that did not convert as (row, column, text, reason).
  m.def(
      "_convert_strings",
      [](const io::Table& t, const std::vector<std::string>& decimals,
         const std::vector<std::string>& dates) {
        io::Table out = t;
        std::vector<io::Reject> rejects;
        {
          nb::gil_scoped_release release;
          auto convert = [&](const std::vector<std::string>& names, io::ColumnType type) {
            for (const auto& name : names) {
              const auto i = out.find(name);
              if (!i || out.columns()[*i].type() != io::ColumnType::string) continue;
              out.columns()[*i] = io::convert_strings(out.columns()[*i], type, rejects);
            }
          };
          convert(decimals, io::ColumnType::decimal);
          convert(dates, io::ColumnType::date);
        }
        nb::list bad;
        for (const auto& r : rejects) bad.append(nb::make_tuple(r.line, r.column, r.value, r.reason));
        return nb::make_tuple(std::move(out), bad);
      },
      nb::arg("table"), nb::arg("decimals"), nb::arg("dates"));
  m.def(
      "_write_csv",
      [](const io::Table& t, const std::string& path) {
        nb::gil_scoped_release release;
        io::write_csv(t, std::filesystem::path(path));
      },
      nb::arg("table"), nb::arg("path"));
}

}  // namespace spm::python
