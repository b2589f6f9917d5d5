// Territory maps as SVG (see territory_svg.hpp). Written by hand: a few thousand SVG elements need
// no drawing library.
#include "territory_svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <ostream>
#include <sstream>

#include "svg.hpp"
#include "territory_io.hpp"

namespace spm::cli {
namespace {

// Distinct colours (Tableau 20, the strong ones first), cycled by territory index.
constexpr std::array<const char*, 20> palette{
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896",
    "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5"};

constexpr double title_band = 30, margin = 16;

// The extent of the planar coordinates: width and height, never zero.
struct Extent {
  double xlo = 0, ylo = 0, xhi = 1, yhi = 1;
  [[nodiscard]] double width() const { return std::max(xhi - xlo, 1e-9); }
  [[nodiscard]] double height() const { return std::max(yhi - ylo, 1e-9); }
};

Extent extent(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.empty()) return {};
  return {*std::min_element(x.begin(), x.end()), *std::min_element(y.begin(), y.end()),
          *std::max_element(x.begin(), x.end()), *std::max_element(y.begin(), y.end())};
}

}  // namespace

void draw_territories(std::ostream& svg, const territory::Units& units,
                      std::span<const std::int32_t> assignment,
                      std::span<const std::uint32_t> centre, const std::vector<std::string>& names,
                      const MapBox& box) {
  const auto [px, py] = territory::planar(units);
  const std::size_t n = px.size();
  const auto e = extent(px, py);
  const double scale = std::min(box.width / e.width(), box.height / e.height());
  const double left = box.x + (box.width - e.width() * scale) / 2,
               top = box.y + (box.height - e.height() * scale) / 2;
  const auto sx = [&](std::size_t i) { return left + (px[i] - e.xlo) * scale; };
  const auto sy = [&](std::size_t i) { return top + (e.yhi - py[i]) * scale; };  // north up
  const double r = std::clamp(
      std::sqrt(box.width * box.height / static_cast<double>(std::max<std::size_t>(n, 1))) / 8, 1.2,
      3.5);
  const auto colour = [&](std::size_t i) {
    return palette[static_cast<std::size_t>(assignment[i]) % palette.size()];
  };
  svg << "<g stroke-width=\"0.8\" stroke-opacity=\"0.45\">\n";
  for (const auto& [a, b] : units.edges) {
    if (assignment[a] != assignment[b]) continue;
    svg << "<line x1=\"" << sx(a) << "\" y1=\"" << sy(a) << "\" x2=\"" << sx(b) << "\" y2=\""
        << sy(b) << "\" stroke=\"" << colour(a) << "\"/>\n";
  }
  svg << "</g>\n<g>\n";
  for (std::size_t i = 0; i < n; ++i) {
    svg << "<circle cx=\"" << sx(i) << "\" cy=\"" << sy(i) << "\" r=\"" << r << "\" fill=\""
        << colour(i) << "\"/>\n";
  }
  svg << "</g>\n<g stroke=\"black\" stroke-width=\"1.5\">\n";
  for (std::size_t t = 0; t < centre.size(); ++t) {
    const auto c = centre[t];
    if (c >= n) continue;
    svg << "<circle cx=\"" << sx(c) << "\" cy=\"" << sy(c) << "\" r=\"" << r + 3 << "\" fill=\""
        << colour(c) << "\"><title>territory " << svg_escape(names[t]) << "</title></circle>\n";
    if (centre.size() <= 40) {
      svg << "<text x=\"" << sx(c) + r + 5 << "\" y=\"" << sy(c) - r - 3
          << "\" stroke=\"white\" stroke-width=\"3\" "
          << "paint-order=\"stroke\" fill=\"black\">" << svg_escape(names[t]) << "</text>\n";
    }
  }
  svg << "</g>\n";
}

std::string territory_map_svg(const territory::Units& units,
                              std::span<const std::int32_t> assignment,
                              std::span<const std::uint32_t> centre,
                              const std::vector<std::string>& names, const std::string& title) {
  const auto [px, py] = territory::planar(units);
  const auto e = extent(px, py);
  const double scale = 760 / std::max(e.width(), e.height());
  const MapBox box{margin, title_band + margin, e.width() * scale, e.height() * scale};
  std::ostringstream svg;
  svg.precision(6);
  svg_begin(svg, std::ceil(box.width + 2 * margin), std::ceil(box.y + box.height + margin), title);
  draw_territories(svg, units, assignment, centre, names, box);
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace spm::cli
