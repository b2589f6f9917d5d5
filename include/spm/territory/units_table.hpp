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

/// Reads the units of `table`. InvalidInputError "territory.column" for a missing column or one
/// of the wrong type, and for no measure at all.
[[nodiscard]] UnitsTable units_from_table(const io::Table& table, const UnitColumns& columns);

}  // namespace spm::territory
