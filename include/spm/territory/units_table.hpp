// Units from a table (accounts or geographic units as rows): bad rows to rejects with reasons,
// the rest as Units for solve() and evaluate(). What `spm territory` does with units.csv.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <spm/io/table.hpp>
#include <spm/territory/instance.hpp>

namespace spm::territory {

/// Which columns hold what. Numeric columns may be float64, integer or decimal.
struct UnitColumns {
  std::string id = "id";  ///< string
  std::string x = "x";    ///< longitude when `geographic`
  std::string y = "y";    ///< latitude when `geographic`
  std::vector<std::string> measures;  ///< activity columns, at least one
  bool geographic = false;
};

/// The units a table holds, and the rows it could not use.
struct UnitsTable {
  Units units;                    ///< no edges (give them after, by index into `units.id`)
  std::vector<std::size_t> rows;  ///< per unit: its row in the table (0-based)
  /// row (io::row_number: the file line when the table has "_line"), id, reason: a row without
  /// coordinates, with coordinates out of range, with a missing, negative or non-finite
  /// activity, or repeating an id.
  io::Table rejects;
};

/// A column left out when the measures are chosen by default, and why.
struct SkippedColumn {
  std::string name;
  std::string reason;  ///< e.g. "not numeric: 20 of its 20 values are not numbers (row 2 holds '27,167.98')"
};

/// The measures chosen by default, and the columns left out.
struct DefaultMeasures {
  std::vector<std::string> measures;   ///< in table order
  std::vector<SkippedColumn> skipped;  ///< every other column but `skip` and "_line"
};

/// The measure columns when none are named: every column but those in `skip` (the id and the
/// coordinates) and "_line" that holds numbers (a numeric type, or text whose non-empty fields
/// are mostly numbers: io::mostly_numbers). The others are listed with why, so that a caller can
/// say which columns were not balanced (a revenue column written "27,167.98" is text).
[[nodiscard]] DefaultMeasures default_measures(const io::Table& table, const std::vector<std::string>& skip);

/// Reads the units of `table`. InvalidInputError "territory.column" for a missing column or one
/// of the wrong type, and for no measure at all.
[[nodiscard]] UnitsTable units_from_table(const io::Table& table, const UnitColumns& columns);

}  // namespace spm::territory
