// Reading and writing the territory commands' files: units, adjacency and id,territory files in
// (bad rows to rejects, in the Loader layout), territory names, and the result tables and
// summary out. Shared by `spm territory` and the demo's territory stage.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <spm/io/table.hpp>
#include <spm/territory/instance.hpp>
#include <spm/territory/metrics.hpp>
#include <spm/territory/solver.hpp>

#include "loader.hpp"

namespace spm::cli::territory_io {

/// The units read from units.csv, with where each came from.
struct UnitsFile {
  std::string path;
  territory::Units units;
  std::vector<std::int64_t> line;                             ///< per unit: its line in the file
  std::map<std::string, std::uint32_t, std::less<>> index;    ///< id -> unit
  std::map<std::string, std::int64_t, std::less<>> rejected;  ///< id -> line of a rejected row
  std::vector<std::string> notes;  ///< columns left out of the default measures, with why
  /// The unit named `id`, or a reason why there is none (empty when found).
  [[nodiscard]] std::pair<std::uint32_t, std::string> find(std::string_view id) const;
};

/// units.csv: id, x, y (or lon, lat / longitude, latitude when `geographic`) and the measure
/// columns (`measures`, or by default every other column whose fields are mostly numbers; the
/// other columns are named in `notes`).
/// Rows without coordinates, with non-finite or negative activity, or repeating an id are
/// rejected; the rest are kept in file order. InvalidInputError "territory.units" when no unit
/// or no measure is left.
UnitsFile read_units(const std::string& path, const std::vector<std::string>& measures,
                     bool geographic, Loader& rejects);

/// edges.csv: from, to (unit ids). Edges naming an unknown or rejected unit, or a unit twice,
/// are rejected; repeats (either way round) count once. Sorted, unique.
std::vector<territory::Edge> read_edges(const std::string& path, const UnitsFile& units,
                                        Loader& rejects);

/// An id,territory file (current or locked alignment, or an assignment): per unit its territory
/// name, empty when the file gives none. Unknown or rejected units and repeated ids are rejected.
std::vector<std::string> read_territories(const std::string& path, const UnitsFile& units,
                                          Loader& rejects);

/// Keeps the units with `keep[i]` != 0 (before the adjacency is read), and the same entries of
/// each per-unit list; the others count as rejected.
void keep_units(UnitsFile& units, const std::vector<std::uint8_t>& keep,
                std::vector<std::vector<std::string>>& per_unit);

/// Territory names <-> indices 0..p-1. Without names in the files the territories are 0..p-1;
/// names the files use come first in sorted order (numeric when they are all whole numbers),
/// then new ones (the smallest unused numbers, or new1, new2...) up to p.
class Names {
 public:
  /// `p` 0: as many as the files name. InvalidInputError "territory.p" when the files name more
  /// than `p` territories.
  Names(std::span<const std::vector<std::string>> per_unit, std::size_t p);
  [[nodiscard]] std::size_t size() const noexcept { return names_.size(); }
  [[nodiscard]] const std::string& operator[](std::size_t t) const { return names_[t]; }
  [[nodiscard]] const std::vector<std::string>& all() const noexcept { return names_; }
  /// Per unit: the territory index of its name, or -1 for none.
  [[nodiscard]] std::vector<std::int32_t> indices(const std::vector<std::string>& per_unit) const;
  /// A library message about "territory <index>" written with the territory's name.
  [[nodiscard]] std::string relabel(const std::string& message, std::size_t t) const;
  /// Every "territory <index>" in a library message written with the territory's name.
  [[nodiscard]] std::string relabel_all(const std::string& message) const;

 private:
  std::vector<std::string> names_;
  std::map<std::string, std::int32_t, std::less<>> index_;
};

/// territory, share rows: the target share per territory name (bad or repeated rows rejected).
struct Shares {
  std::vector<std::string> names;  ///< in file order
  std::vector<double> share;
};
Shares read_shares(const std::string& path, Loader& rejects);
/// The share of every territory, in `names` order; InvalidInputError "territory.shares" naming a
/// territory the file gives no share.
std::vector<double> shares_by_index(const Shares& s, const Names& names, const std::string& path);

/// id, territory per unit.
io::Table assignment_table(const territory::Units& units, std::span<const std::int32_t> assignment,
                           const Names& names);
/// Metrics::territories_table with the territory names in the first column.
io::Table territories_table(const territory::Metrics& m, const territory::Units& units,
                            std::span<const std::int32_t> assignment, const Names& names);
/// territory, measure, excess, message per violation.
io::Table violations_table(const std::vector<territory::Violation>& violations, const Names& names);

/// What the summary says besides the metrics.
struct Outcome {
  std::string status;  ///< feasible, infeasible or stopped
  std::string detail;  ///< after the status, in brackets when not empty
  std::size_t violations = 0;
  std::vector<double> tolerance;  ///< per measure
  bool has_current = false;
  std::vector<std::string> notes;  ///< in summary.json, one a line
};

/// One row: status, units, territories, p_median, p_center, diameter, non_contiguous, empty,
/// moved_units, territories_affected, then per measure target, max_deviation, outside, moved
/// (its activity in the moved units), then notes (one a line). Reals to 12 significant digits (see territory::round_for_output).
io::Table summary_table(const territory::Metrics& m, const territory::Units& units,
                        const Outcome& o);
/// The summary for people: status, per measure target, max deviation and territories outside
/// the band, dispersion, contiguity, moves (units, then activity per measure).
void print_summary(std::ostream& out, const territory::Metrics& m, const territory::Units& units,
                   const Outcome& o);
/// The largest deviation over the measures ("4.9%"), for titles.
std::string max_deviation_text(const territory::Metrics& m);
/// 0.049 -> "4.9%" (non-finite: "inf").
std::string percent(double v);

}  // namespace spm::cli::territory_io
