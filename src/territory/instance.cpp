// Units, the Gabriel graph and the benchmark instance generator.
#include <spm/territory/instance.hpp>

#include <algorithm>
#include <numeric>
#include <cmath>
#include <string>

#include <boost/polygon/voronoi.hpp>

#include <spm/core/error.hpp>
#include <spm/core/random.hpp>

namespace spm::territory {

double Units::great_circle(std::size_t i, std::size_t j) const noexcept {
  constexpr double radians = 3.14159265358979323846 / 180, earth_km = 6371.0088;
  const double dlat = (y[j] - y[i]) * radians, dlon = (x[j] - x[i]) * radians;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(y[i] * radians) * std::cos(y[j] * radians) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * earth_km * std::asin(std::min(1.0, std::sqrt(a)));
}

std::vector<Edge> gabriel_graph(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  if (n < 2) return {};
  // Boost.Polygon builds the Voronoi diagram of integer points: scale to a 2^26 grid.
  const auto [xlo, xhi] = std::minmax_element(x.begin(), x.end());
  const auto [ylo, yhi] = std::minmax_element(y.begin(), y.end());
  const double extent = std::max({*xhi - *xlo, *yhi - *ylo, 1e-12});
  const double scale = static_cast<double>(1 << 26) / extent;
  // Points on the same grid spot are one site: the first of them stands for the others, which
  // are joined to it.
  std::vector<std::int64_t> gx(n), gy(n);
  for (std::size_t i = 0; i < n; ++i) {
    gx[i] = std::llround((x[i] - *xlo) * scale);
    gy[i] = std::llround((y[i] - *ylo) * scale);
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return gx[a] < gx[b] || (gx[a] == gx[b] && (gy[a] < gy[b] || (gy[a] == gy[b] && a < b)));
  });
  std::vector<boost::polygon::point_data<std::int32_t>> points;
  std::vector<std::uint32_t> site;  // site -> its first unit
  std::vector<Edge> out;
  for (std::size_t k = 0; k < n; ++k) {
    const auto i = order[k];
    if (k > 0 && gx[i] == gx[order[k - 1]] && gy[i] == gy[order[k - 1]]) {
      out.emplace_back(site.back(), i);
      continue;
    }
    site.push_back(i);
    points.emplace_back(static_cast<std::int32_t>(gx[i]), static_cast<std::int32_t>(gy[i]));
  }
  boost::polygon::voronoi_diagram<double> vd;
  boost::polygon::construct_voronoi(points.begin(), points.end(), &vd);
  // Delaunay edges: the pairs of cells that share a Voronoi edge.
  std::vector<std::vector<std::uint32_t>> neighbours(n);
  std::vector<Edge> delaunay;
  for (const auto& e : vd.edges()) {
    if (!e.is_primary()) continue;
    const auto a = site[e.cell()->source_index()];
    const auto b = site[e.twin()->cell()->source_index()];
    if (e.cell()->source_index() < e.twin()->cell()->source_index()) {
      delaunay.emplace_back(std::min(a, b), std::max(a, b));
      neighbours[a].push_back(b);
      neighbours[b].push_back(a);
    }
  }
  // Gabriel: no point strictly inside the circle on ij. A point inside it would be a Delaunay
  // neighbour of i or of j, so only those are checked.
  for (const auto& [a, b] : delaunay) {
    const double mx = (x[a] + x[b]) / 2, my = (y[a] + y[b]) / 2;
    const double r2 = ((x[a] - x[b]) * (x[a] - x[b]) + (y[a] - y[b]) * (y[a] - y[b])) / 4;
    bool empty = true;
    for (const auto end : {a, b}) {
      for (const auto k : neighbours[end]) {
        if (k == a || k == b) continue;
        const double d2 = (x[k] - mx) * (x[k] - mx) + (y[k] - my) * (y[k] - my);
        if (d2 < r2 * (1 - 1e-12)) {
          empty = false;
          break;
        }
      }
      if (!empty) break;
    }
    if (empty) out.emplace_back(a, b);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::pair<std::vector<double>, std::vector<double>> planar(const Units& units) {
  std::vector<double> x = units.x, y = units.y;
  if (units.geographic && !y.empty()) {
    const double lat0 = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
    const double k = std::cos(lat0 * 3.14159265358979323846 / 180);
    for (auto& v : x) v *= k;
  }
  return {std::move(x), std::move(y)};
}

std::vector<Edge> gabriel_graph(const Units& units) {
  const auto [x, y] = planar(units);
  return gabriel_graph(x, y);
}

Instance generate_instance(const InstanceOptions& o) {
  if (o.units < 3) throw InvalidInputError("territory.options", "units", "an instance needs at least 3 units");
  const std::size_t p = o.territories == 0 ? std::max<std::size_t>(1, (o.units + 7) / 15) : o.territories;
  if (p > o.units) {
    throw InvalidInputError("territory.options", "territories",
                            std::to_string(p) + " territories for " + std::to_string(o.units) + " units; use at most one per unit");
  }
  if (!(o.tolerance >= 0)) throw InvalidInputError("territory.options", "tolerance", "tau must be >= 0");
  Random rng(o.seed);
  Instance inst;
  inst.territories = p;
  auto& u = inst.units;
  u.measures = {"customers", "demand", "workload"};
  u.activity.assign(3, std::vector<double>(o.units));
  u.x.resize(o.units);
  u.y.resize(o.units);
  std::vector<std::pair<double, double>> centres;
  if (o.kind == InstanceKind::clustered) {
    for (std::size_t c = 0; c < std::max<std::size_t>(3, o.units / 200); ++c) {
      centres.emplace_back(rng.uniform(50, 450), rng.uniform(50, 450));
    }
  }
  for (std::size_t i = 0; i < o.units; ++i) {
    u.id.push_back("U" + std::string(i + 1 < 100000 ? 6 - std::to_string(i + 1).size() : 0, '0') + std::to_string(i + 1));
    if (o.kind == InstanceKind::uniform) {
      u.x[i] = rng.uniform(0, 500);
      u.y[i] = rng.uniform(0, 500);
      u.activity[0][i] = rng.uniform(4, 20);
      u.activity[1][i] = rng.uniform(15, 400);
      u.activity[2][i] = rng.uniform(15, 100);
    } else {
      const auto& [cx, cy] = centres[rng.below(centres.size())];
      u.x[i] = std::clamp(rng.normal(cx, 30), 0.0, 500.0);
      u.y[i] = std::clamp(rng.normal(cy, 30), 0.0, 500.0);
      u.activity[0][i] = rng.lognormal(std::log(10.0), 0.6);
      u.activity[1][i] = rng.lognormal(std::log(120.0), 1.0);
      u.activity[2][i] = rng.lognormal(std::log(50.0), 0.5);
    }
  }
  u.edges = gabriel_graph(u.x, u.y);
  inst.tolerance.assign(3, o.tolerance);
  return inst;
}

}  // namespace spm::territory
