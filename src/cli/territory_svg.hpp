// Territory maps as SVG: units coloured by territory, the adjacency inside each territory, the
// centres, a title.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <vector>

#include <spm/territory/instance.hpp>

namespace spm::cli {

/// Where a map goes in the picture, in pixels.
struct MapBox {
  double x = 0, y = 0, width = 800, height = 800;
};

/// Draws one map into `box` (aspect kept, north up): units as small circles coloured by
/// territory (20 distinct colours, cycling), the adjacency edges inside a territory as faint
/// lines of its colour, each territory's centre (`centre[t]`, a unit; UINT32_MAX for none) as a
/// ringed dot with its name (`names[t]`) when there are at most 40 territories. Geographic
/// units are drawn in the equirectangular projection of territory_io::planar.
void draw_territories(std::ostream& svg, const territory::Units& units,
                      std::span<const std::int32_t> assignment,
                      std::span<const std::uint32_t> centre, const std::vector<std::string>& names,
                      const MapBox& box);

/// A whole SVG document: `title` on top and the map below it, 800 pixels on its longer side.
[[nodiscard]] std::string territory_map_svg(const territory::Units& units,
                                            std::span<const std::int32_t> assignment,
                                            std::span<const std::uint32_t> centre,
                                            const std::vector<std::string>& names,
                                            const std::string& title);

}  // namespace spm::cli
