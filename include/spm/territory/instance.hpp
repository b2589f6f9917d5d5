// Territory design problems: units with coordinates, activity measures and adjacency, and a
// seeded generator of the benchmark instances from the commercial territory design literature.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace spm::territory {

/// Coordinates beyond this in absolute value would overflow distances: refused as bad input.
inline constexpr double max_coordinate = 1e12;

/// An undirected adjacency edge between two units (indices, first < second).
using Edge = std::pair<std::uint32_t, std::uint32_t>;

/// The units to assign: planar coordinates (or longitude/latitude in degrees when `geographic`),
/// activity measures and adjacency.
struct Units {
  std::vector<std::string> id;
  std::vector<double> x, y;
  std::vector<std::string> measures;          ///< names, e.g. accounts, potential, workload
  std::vector<std::vector<double>> activity;  ///< [measure][unit], >= 0
  std::vector<Edge> edges;                    ///< sorted, unique
  bool geographic = false;                    ///< x = longitude, y = latitude: great-circle km
  [[nodiscard]] std::size_t size() const noexcept { return x.size(); }
  /// Distance between units i and j: Euclidean, or great-circle (haversine, km).
  [[nodiscard]] double distance(std::size_t i, std::size_t j) const noexcept {
    if (geographic) return great_circle(i, j);
    const double dx = x[i] - x[j], dy = y[i] - y[j];
    return std::sqrt(dx * dx + dy * dy);
  }
  [[nodiscard]] double great_circle(std::size_t i, std::size_t j) const noexcept;
};

/// The Gabriel graph of the points: i and j are adjacent when no other point lies in the circle
/// with diameter ij. Built from the Delaunay triangulation (Boost.Polygon's Voronoi diagram), of
/// which it is a subgraph: O(n log n). Units at the same spot are joined to the first of them.
[[nodiscard]] std::vector<Edge> gabriel_graph(std::span<const double> x, std::span<const double> y);

/// Planar coordinates of the units: x, y as given, or for geographic units the longitude scaled
/// by the cosine of the mean latitude (equirectangular), for drawing and for the Gabriel graph.
[[nodiscard]] std::pair<std::vector<double>, std::vector<double>> planar(const Units& units);

/// The Gabriel graph of the units' planar coordinates: the adjacency used when none is given.
[[nodiscard]] std::vector<Edge> gabriel_graph(const Units& units);

enum class InstanceKind {
  /// After Rios-Mercado and Fernandez (2009): points uniform in [0, 500]^2, three activities drawn
  /// uniformly (customers in [4, 20], demand in [15, 400], workload in [15, 100]).
  uniform,
  /// Closer to real account bases: points in Gaussian clusters, activities lognormal.
  clustered,
};

struct InstanceOptions {
  std::size_t units = 1000;
  std::size_t territories = 0;  ///< 0: about units / 15
  std::uint64_t seed = 0;
  InstanceKind kind = InstanceKind::uniform;
  double tolerance = 0.05;  ///< tau for every measure
};

struct Instance {
  Units units;
  std::size_t territories = 0;
  std::vector<double> tolerance;  ///< per measure
};

/// A seeded instance: the same options give the same instance on every platform. Adjacency is
/// the Gabriel graph of the points. Throws InvalidInputError "territory.options" for fewer than
/// 3 units or a territory count outside [1, units].
[[nodiscard]] Instance generate_instance(const InstanceOptions& options);

}  // namespace spm::territory
