// CSV in and out: header-driven, typed, exact, with row-level rejects.
#pragma once

#include <filesystem>
#include <optional>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <spm/io/table.hpp>

namespace spm::io {

/// One expected column: matched to the file by header name (exact, case-sensitive).
struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::string;
  /// An empty field is a null (otherwise an empty field rejects the row).
  bool nullable = false;
  /// The header must contain the column (otherwise an absent column is all nulls).
  bool required = true;
};

/// Parses "name:type", with a trailing "?" for nullable ("close_date:date?"); a bare "name" is a
/// string. Throws InvalidInputError "csv.column_spec" naming the text.
[[nodiscard]] ColumnSpec parse_column_spec(std::string_view text);

/// How to read a CSV file.
/// How a file's bytes are text. UTF-16 with a byte order mark (Excel's "Unicode text") is read
/// whatever this says.
enum class TextEncoding {
  utf8,
  windows1252,  ///< Excel's "CSV" on Western Windows: bytes 0x80-0x9F are curly quotes, euro...
  latin1,       ///< ISO-8859-1
};
/// "utf-8", "windows-1252" (or "cp1252"), "latin-1" (or "iso-8859-1"); nullopt otherwise.
[[nodiscard]] std::optional<TextEncoding> parse_text_encoding(std::string_view name);

/// The order of a date's parts besides ISO YYYY-MM-DD, which is always read.
enum class DateFormat {
  iso,  ///< YYYY-MM-DD, also YYYY-M-D, YYYYMMDD and a midnight time (2026-03-15T00:00:00)
  mdy,  ///< and month/day/year: 03/15/2026, 3/15/2026, 03-15-2026 (US exports)
  dmy,  ///< and day/month/year: 15/03/2026, 15.03.2026 (most of Europe)
};
/// "iso", "mdy", "dmy" (any case); nullopt otherwise.
[[nodiscard]] std::optional<DateFormat> parse_date_format(std::string_view name);
/// A date field as the reader reads it with `format`; false (with the reason in `why` when
/// given) when it is not one.
[[nodiscard]] bool read_date(std::string_view text, DateFormat format, Date& out,
                             std::string* why = nullptr);

struct CsvReadOptions {
  char delimiter = ',';
  char quote = '"';
  /// The first record is a header; without one, fields map to the schema by position.
  bool header = true;
  /// Decimal fields may have blanks around them, thousands separators and accounting negatives
  /// "(1.00)".
  bool lenient_decimals = false;
  /// Decimal fields use ',' as the decimal point, as exports in many European locales do:
  /// "1234,50"; with lenient_decimals '.' then groups thousands ("1.234,50").
  bool decimal_comma = false;
  /// The file's text encoding; other than UTF-8, the text is converted to UTF-8 first.
  TextEncoding encoding = TextEncoding::utf8;
  /// How date fields are written besides ISO.
  DateFormat date_format = DateFormat::iso;
  /// Columns in the file that the schema does not name are ignored (else "csv.extra_column").
  bool ignore_extra_columns = true;
  /// Columns the schema does not name are loaded as nullable text (overrides the option above):
  /// for inputs whose attribute columns are chosen by a plan.
  bool extra_columns_as_text = false;
  /// When not empty, adds an integer column of this name holding each row's source line, so that
  /// later stages can point back into the file.
  std::string line_column;
};

/// The result of reading: the good rows, and every bad row with its reason.
struct CsvReadResult {
  Table table;
  std::vector<Reject> rejects;
  /// Data records seen (loaded + rejected; blank lines are not records).
  std::size_t records = 0;
  /// Rows that went to rejects (a row may have several Reject entries, one per bad field).
  std::size_t rejected_rows = 0;
};

/// Reads a CSV file into a typed table. Bad rows go to `rejects` and the rest still load; only a
/// file that cannot be used at all throws: IoError "csv.open" (cannot read), InvalidInputError
/// "csv.empty" (no header), "csv.missing_column" (a required column is absent),
/// "csv.duplicate_column", "csv.extra_column" (when not ignored), "csv.options".
///
/// An empty schema reads every header column as a nullable string.
[[nodiscard]] CsvReadResult read_csv(const std::filesystem::path& path,
                                     std::span<const ColumnSpec> schema,
                                     const CsvReadOptions& options = {});
/// As read_csv, from text in memory; `source` names it in messages.
[[nodiscard]] CsvReadResult parse_csv(std::string_view text, std::span<const ColumnSpec> schema,
                                      const CsvReadOptions& options = {},
                                      std::string_view source = "<text>");

/// A string column as a column of `type`, by the reader's rules (strict decimals unless
/// `lenient_decimals`, ISO dates, ...): for text that arrived typed as strings (a DataFrame read
/// without types). A null or empty text is a null; text that does not convert is a null too and
/// is listed in `rejects` (line = the 1-based row, the column, the text, the reason). Throws
/// InvalidInputError "table.column_type" when `text` is not a string column.
[[nodiscard]] Column convert_strings(const Column& text, ColumnType type,
                                     std::vector<Reject>& rejects, bool lenient_decimals = false);

/// Whether a column holds numbers: a numeric type, or text whose non-empty values are mostly
/// (more than half) numbers as the reader parses a float64. How the territory CLI and Python
/// pick measure columns when none are named.
[[nodiscard]] bool mostly_numbers(const Column& c);

/// A text column's non-empty values, how many of them are numbers (as the reader parses a
/// float64) and the row of the first that is not (SIZE_MAX: none); all zero for other types.
struct NumberCount {
  std::size_t filled = 0, numbers = 0, first_other = SIZE_MAX;
};
[[nodiscard]] NumberCount count_numbers(const Column& c);

/// Chosen lines of a CSV file read leniently, whatever their number of fields (quotes honoured,
/// the header on line 1): per line asked for, the fields named `names` in that order ("" where
/// the header or the line lacks one). For naming the rows the reader rejected; `format` gives
/// the delimiter and quote the file was read with.
[[nodiscard]] std::map<std::int64_t, std::vector<std::string>> csv_fields_at(
    const std::filesystem::path& path, const std::set<std::int64_t>& lines,
    const std::vector<std::string>& names, const CsvReadOptions& format = {});

/// The column names in the header of a CSV file (a byte order mark skipped), read with the
/// delimiter, quote and encoding of `format`; empty for an empty file. IoError "csv.open" when
/// unreadable.
[[nodiscard]] std::vector<std::string> csv_header(const std::filesystem::path& path,
                                                  const CsvReadOptions& format = {});

/// Where the reader finds column `name` in `header`: the header spelling it exactly, else the one
/// spelling it with other case, edge blanks, or blanks or hyphens for underscores ("Payee ID");
/// nullopt when none does, or several loosely.
[[nodiscard]] std::optional<std::size_t> find_header(std::span<const std::string> header,
                                                     std::string_view name);

/// The text of a file as UTF-8: UTF-16 with a byte order mark, or `encoding`, converted (a UTF-8
/// byte order mark is kept). IoError "csv.open" when unreadable.
[[nodiscard]] std::string read_text(const std::filesystem::path& path,
                                    TextEncoding encoding = TextEncoding::utf8);

/// `options` with the file format of `format`: its delimiter, quote and how decimals are written. For
/// readers that set their own column options and take the format from their caller.
[[nodiscard]] CsvReadOptions with_format(CsvReadOptions options, const CsvReadOptions& format);

/// How to write a CSV file.
struct CsvWriteOptions {
  char delimiter = ',';
  char quote = '"';
  bool header = true;
};

/// Writes a table as CSV: decimals in exact shortest form, dates ISO, nulls as empty fields,
/// fields quoted only when they contain the delimiter, a quote, a line break or edge blanks.
void write_csv(const Table& table, std::ostream& out, const CsvWriteOptions& options = {});
/// Writes to a file; throws IoError "csv.write" when it cannot.
void write_csv(const Table& table, const std::filesystem::path& path,
               const CsvWriteOptions& options = {});

}  // namespace spm::io
