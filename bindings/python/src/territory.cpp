// spm.territory: units, instances, metrics and the balancing solver. The Pythonic layer is
// spm/territory.py. Units are built once in C++ (from an spm.Table or from NumPy columns), ids are
// matched in C++ (edges, current and locked alignments), arrays cross as NumPy, and the solver
// and the evaluation release the GIL.
#include "casters.hpp"

#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>
#include <spm/io/table.hpp>
#include <spm/territory/instance.hpp>
#include <spm/territory/metrics.hpp>
#include <spm/territory/solver.hpp>
#include <spm/territory/units_table.hpp>

namespace spm::python {

using namespace nb::literals;

namespace {

namespace tr = spm::territory;

using Doubles = nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using Matrix = nb::ndarray<const double, nb::ndim<2>, nb::c_contig, nb::device::cpu>;
using Ints = nb::ndarray<const std::int32_t, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using Pairs = nb::ndarray<const std::int64_t, nb::ndim<2>, nb::c_contig, nb::device::cpu>;

[[noreturn]] void bad(const std::string& id, const std::string& path, const std::string& message) {
  throw InvalidInputError(id, path, message);
}

// A NumPy array that owns a moved-in vector (1-D), or a (rows, cols) view of it.
template <class T>
nb::ndarray<nb::numpy, T> to_numpy(std::vector<T> v, std::size_t cols = 0) {
  auto* heap = new std::vector<T>(std::move(v));
  nb::capsule owner(heap, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  if (cols == 0) return nb::ndarray<nb::numpy, T>(heap->data(), {heap->size()}, owner);
  return nb::ndarray<nb::numpy, T>(heap->data(), {heap->size() / cols, cols}, owner);
}

nb::ndarray<nb::numpy, std::uint32_t> edges_to_numpy(const std::vector<tr::Edge>& edges) {
  std::vector<std::uint32_t> flat;
  flat.reserve(2 * edges.size());
  for (const auto& [a, b] : edges) {
    flat.push_back(a);
    flat.push_back(b);
  }
  return to_numpy(std::move(flat), 2);
}

// The values of a numeric column (float64, integer or decimal) as doubles; a null names its unit.
// A text column (a DataFrame read with dtype=str) is parsed as the CLI reads its files (the CSV
// reader's float64 rule), and a field that is not a number names its unit rather than being dropped.
std::vector<double> numbers(const io::Table& t, const std::string& name, const std::string& role,
                            const std::vector<std::string>& ids, bool measure = false) {
  const auto unit = [&](std::size_t i) {
    return "unit " + (ids.empty() ? std::to_string(i) : "'" + ids[i] + "'") + " (row " +
           std::to_string(io::row_number(t, i)) + ")";
  };
  const io::Column* c = &t.column(name);
  std::optional<io::Column> parsed;
  if (c->type() == io::ColumnType::string) {
    std::vector<io::Reject> rejects;
    parsed = io::convert_strings(*c, io::ColumnType::float64, rejects);
    if (!rejects.empty()) {
      const auto& r = rejects.front();
      std::string more;
      for (std::size_t k = 1; k < rejects.size() && k < 6; ++k) {
        const auto row = static_cast<std::size_t>(rejects[k].line - 1);
        more += (k == 1 ? "" : ", ") + std::to_string(io::row_number(t, row));
      }
      if (rejects.size() > 6) more += ", ...";
      if (rejects.size() > 1) more = "; " + std::to_string(rejects.size() - 1) + " more rows like it (" + more + ")";
      bad("territory.column", role + "." + name,
          unit(static_cast<std::size_t>(r.line - 1)) + " holds '" + r.value + "': " + r.reason + more +
              "; fix or drop the rows" + (measure ? ", or name the measures with measures=" : ""));
    }
    c = &*parsed;
  }
  const std::size_t n = t.num_rows();
  std::vector<double> out(n);
  switch (c->type()) {
    case io::ColumnType::float64: {
      const auto& v = c->values<double>();
      std::copy(v.begin(), v.end(), out.begin());
      break;
    }
    case io::ColumnType::integer: {
      const auto& v = c->values<std::int64_t>();
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<double>(v[i]);
      break;
    }
    case io::ColumnType::decimal: {
      const auto& v = c->values<Decimal>();
      for (std::size_t i = 0; i < n; ++i) out[i] = v[i].to_double();
      break;
    }
    default:
      bad("territory.column", role + "." + name,
          "the column holds " + std::string(io::to_string(c->type())) + " values; it must be numeric");
  }
  if (c->has_nulls()) {
    for (std::size_t i = 0; i < n; ++i) {
      if (c->is_null(i)) bad("territory.column", role + "." + name, unit(i) + " has no value");
    }
  }
  return out;
}

// The text of an id column (string or integer), with nulls refused.
std::vector<std::string> texts(const io::Table& t, const std::string& name, const std::string& role) {
  const auto& c = t.column(name);
  const std::size_t n = t.num_rows();
  std::vector<std::string> out(n);
  if (c.type() == io::ColumnType::string) {
    const auto s = c.strings();
    for (std::size_t i = 0; i < n; ++i) out[i] = std::string(s[i]);
  } else if (c.type() == io::ColumnType::integer) {
    const auto& v = c.values<std::int64_t>();
    for (std::size_t i = 0; i < n; ++i) out[i] = std::to_string(v[i]);
  } else {
    bad("territory.column", role + "." + name,
        "the column holds " + std::string(io::to_string(c.type())) + " values; ids must be text or integers");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (c.is_null(i)) bad("territory.column", role + "." + name, "row " + std::to_string(io::row_number(t, i)) + " has no id");
  }
  return out;
}

// Unit ids to indices. Units without ids are named by their 0-based row ("0", "1", ...).
class IdIndex {
 public:
  explicit IdIndex(const tr::Units& u) : units_(u) {
    map_.reserve(u.id.size());
    for (std::size_t i = 0; i < u.id.size(); ++i) map_.emplace(u.id[i], static_cast<std::uint32_t>(i));
  }
  [[nodiscard]] std::optional<std::uint32_t> find(const std::string& id) const {
    if (units_.id.empty()) {
      char* end = nullptr;
      const auto v = std::strtoll(id.c_str(), &end, 10);
      if (id.empty() || *end != '\0' || v < 0 || static_cast<std::size_t>(v) >= units_.size()) return std::nullopt;
      return static_cast<std::uint32_t>(v);
    }
    const auto it = map_.find(id);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }

 private:
  const tr::Units& units_;
  std::unordered_map<std::string, std::uint32_t> map_;
};

std::vector<std::uint32_t> lookup(const tr::Units& u, const std::vector<std::string>& ids, const std::string& what,
                                  const io::Table* t) {
  const IdIndex index(u);
  std::vector<std::uint32_t> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto k = index.find(ids[i]);
    if (!k) {
      bad("territory.problem", what,
          "unit '" + ids[i] + "'" + (t != nullptr ? " (row " + std::to_string(io::row_number(*t, i)) + ")" : "") +
              " is not among the units" + (u.id.empty() ? " (units without ids are named by their 0-based row)" : ""));
    }
    out[i] = *k;
  }
  return out;
}

void check_ids(const tr::Units& u) {
  std::unordered_map<std::string_view, std::size_t> seen;
  seen.reserve(u.id.size());
  for (std::size_t i = 0; i < u.id.size(); ++i) {
    // An empty id could not be matched by an alignment; the CLI rejects such rows too.
    if (u.id[i].empty()) bad("territory.units", "units.id", "row " + std::to_string(i + 1) + " has an empty id; give every unit an id");
    const auto [it, fresh] = seen.emplace(u.id[i], i);
    if (!fresh) {
      bad("territory.units", "units.id",
          "unit '" + u.id[i] + "' appears twice (rows " + std::to_string(it->second + 1) + " and " +
              std::to_string(i + 1) + "); ids must be unique");
    }
  }
}

tr::Units units_from_table(const io::Table& t, const std::string& id, const std::string& x, const std::string& y,
                           std::vector<std::string> measures, bool geographic) {
  tr::Units u;
  u.geographic = geographic;
  if (!id.empty()) u.id = texts(t, id, "units");
  check_ids(u);
  u.x = numbers(t, x, "units", u.id);
  u.y = numbers(t, y, "units", u.id);
  // "id" is never a measure, as in the CLI, even when id=None leaves the units unnamed.
  if (measures.empty()) measures = tr::default_measures(t, {id, "id", x, y}).measures;
  for (const auto& name : measures) u.activity.push_back(numbers(t, name, "units", u.id, true));
  u.measures = std::move(measures);
  return u;
}

// Adjacency from index pairs: checked, each pair ordered, sorted, repeats dropped.
std::vector<tr::Edge> normalised_edges(const tr::Units& u, const std::int64_t* data, std::size_t rows) {
  const auto n = static_cast<std::int64_t>(u.size());
  const auto name = [&](std::int64_t i) {
    return u.id.empty() ? std::to_string(i) : "'" + u.id[static_cast<std::size_t>(i)] + "'";
  };
  std::vector<tr::Edge> edges;
  edges.reserve(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::int64_t a = data[2 * r], b = data[2 * r + 1];
    if (a < 0 || a >= n || b < 0 || b >= n) {
      bad("territory.problem", "edges",
          "edge " + std::to_string(r) + " (" + std::to_string(a) + ", " + std::to_string(b) + ") names a unit outside [0, " +
              std::to_string(n) + ")");
    }
    if (a == b) bad("territory.problem", "edges", "edge " + std::to_string(r) + " joins unit " + name(a) + " to itself");
    edges.emplace_back(static_cast<std::uint32_t>(std::min(a, b)), static_cast<std::uint32_t>(std::max(a, b)));
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

nb::dict metrics_dict(const tr::Metrics& mt) {
  nb::dict d;
  std::vector<double> target, max_dev;
  std::vector<std::int64_t> outside;
  for (const auto& b : mt.balance) {
    target.push_back(b.target);
    max_dev.push_back(b.max_deviation);
    outside.push_back(static_cast<std::int64_t>(b.outside));
  }
  d["target"] = std::move(target);
  d["max_deviation"] = std::move(max_dev);
  d["outside"] = std::move(outside);
  d["share"] = mt.share;
  d["p_median"] = mt.p_median;
  d["p_center"] = mt.p_center;
  d["diameter"] = mt.diameter;
  std::vector<std::int64_t> centre(mt.centre.size());
  for (std::size_t t = 0; t < centre.size(); ++t) centre[t] = mt.centre[t] == tr::Metrics::no_centre ? -1 : mt.centre[t];
  d["centre"] = to_numpy(std::move(centre));
  d["components"] = to_numpy(std::vector<std::uint32_t>(mt.components));
  d["non_contiguous"] = mt.non_contiguous;
  d["empty"] = mt.empty;
  d["moved_units"] = mt.moved_units;
  d["moved_activity"] = mt.moved_activity;
  d["territories_affected"] = mt.territories_affected;
  return d;
}

std::span<const std::int32_t> view(const std::optional<Ints>& a) {
  if (!a) return {};
  return {a->data(), a->shape(0)};
}

}  // namespace

void bind_territory(nb::module_& m) {
  nb::class_<tr::Units>(m, "_TerritoryUnits")
      .def_static(
          "from_table",
          [](const io::Table& t, const std::string& id, const std::string& x, const std::string& y,
             const std::vector<std::string>& measures, bool geographic) {
            nb::gil_scoped_release release;
            return units_from_table(t, id, x, y, measures, geographic);
          },
          "table"_a, "id"_a, "x"_a, "y"_a, "measures"_a, "geographic"_a)
      .def_static(
          "from_arrays",
          [](std::vector<std::string> ids, const Doubles& x, const Doubles& y, const Matrix& activity,
             std::vector<std::string> measures, bool geographic) {
            const std::size_t n = x.shape(0);
            if (y.shape(0) != n) bad("territory.units", "units.y", "x and y have different lengths");
            if (!ids.empty() && ids.size() != n) bad("territory.units", "units.id", "one id per unit is needed");
            if (activity.shape(1) != n && !(activity.shape(0) == 0)) {
              bad("territory.units", "units.activity", "activity must have one column per unit (shape (measures, units))");
            }
            if (measures.size() != activity.shape(0)) {
              bad("territory.units", "units.measures", "one name per measure is needed");
            }
            tr::Units u;
            u.geographic = geographic;
            u.id = std::move(ids);
            check_ids(u);
            u.x.assign(x.data(), x.data() + n);
            u.y.assign(y.data(), y.data() + n);
            for (std::size_t a = 0; a < activity.shape(0); ++a) {
              u.activity.emplace_back(activity.data() + a * n, activity.data() + (a + 1) * n);
            }
            u.measures = std::move(measures);
            return u;
          },
          "ids"_a, "x"_a, "y"_a, "activity"_a, "measures"_a, "geographic"_a)
      .def_prop_ro("size", &tr::Units::size)
      .def_prop_ro("ids", [](const tr::Units& u) { return u.id; })
      .def_prop_ro("measures", [](const tr::Units& u) { return u.measures; })
      .def_prop_ro("geographic", [](const tr::Units& u) { return u.geographic; })
      .def_prop_ro("x", [](const tr::Units& u) { return to_numpy(std::vector<double>(u.x)); }, nb::rv_policy::move)
      .def_prop_ro("y", [](const tr::Units& u) { return to_numpy(std::vector<double>(u.y)); }, nb::rv_policy::move)
      .def_prop_ro("activity",
                   [](const tr::Units& u) {
                     // (units, measures), row-major: one row per unit.
                     const std::size_t n = u.size(), m = u.activity.size();
                     std::vector<double> flat(n * m);
                     for (std::size_t a = 0; a < m; ++a) {
                       for (std::size_t i = 0; i < n; ++i) flat[i * m + a] = u.activity[a][i];
                     }
                     if (m == 0) return to_numpy(std::move(flat));
                     return to_numpy(std::move(flat), m);
                   },
                   nb::rv_policy::move, "Activity as (units, measures).")
      .def_prop_ro("edges", [](const tr::Units& u) { return edges_to_numpy(u.edges); }, nb::rv_policy::move)
      .def(
          "set_edges",
          [](tr::Units& u, const Pairs& pairs) {
            if (pairs.shape(1) != 2) bad("territory.problem", "edges", "edges must be pairs (shape (E, 2))");
            u.edges = normalised_edges(u, pairs.data(), pairs.shape(0));
          },
          "pairs"_a, "Index pairs (E, 2): checked, ordered, sorted and made unique.")
      .def(
          "set_gabriel_edges",
          [](tr::Units& u) {
            nb::gil_scoped_release release;
            u.edges = tr::gabriel_graph(u);
          },
          "The Gabriel graph of the units' planar coordinates (co-located units joined) as the adjacency.")
      .def(
          "lookup",
          [](const tr::Units& u, const io::Table& t, const std::string& column, const std::string& what) {
            const auto ids = texts(t, column, what);
            return to_numpy(lookup(u, ids, what, &t));
          },
          "table"_a, "column"_a, "what"_a, "The unit index of every row's id (InvalidInputError for an unknown id).")
      .def(
          "lookup_ids",
          [](const tr::Units& u, const std::vector<std::string>& ids, const std::string& what) {
            return to_numpy(lookup(u, ids, what, nullptr));
          },
          "ids"_a, "what"_a);

  m.def(
      "_territory_default_measures",
      [](const io::Table& t, const std::vector<std::string>& skip) {
        const auto d = tr::default_measures(t, skip);
        std::vector<std::pair<std::string, std::string>> skipped;
        for (const auto& c : d.skipped) skipped.emplace_back(c.name, c.reason);
        return nb::make_tuple(d.measures, skipped);
      },
      "table"_a, "skip"_a, "The measures chosen by default, and (column, why) for each column left out.");

  m.def(
      "_territory_generate",
      [](std::size_t units, std::size_t territories, std::uint64_t seed, std::string_view kind, double tolerance) {
        tr::InstanceOptions o;
        o.units = units;
        o.territories = territories;
        o.seed = seed;
        if (kind == "uniform") {
          o.kind = tr::InstanceKind::uniform;
        } else if (kind == "clustered") {
          o.kind = tr::InstanceKind::clustered;
        } else {
          bad("territory.options", "kind", "'" + std::string(kind) + "' is not an instance kind (uniform, clustered)");
        }
        o.tolerance = tolerance;
        tr::Instance inst;
        {
          nb::gil_scoped_release release;
          inst = tr::generate_instance(o);
        }
        return nb::make_tuple(std::move(inst.units), inst.territories, std::move(inst.tolerance));
      },
      "units"_a, "territories"_a, "seed"_a, "kind"_a, "tolerance"_a);

  m.def(
      "_territory_gabriel",
      [](const Doubles& x, const Doubles& y) {
        if (x.shape(0) != y.shape(0)) bad("territory.units", "y", "x and y have different lengths");
        std::vector<tr::Edge> edges;
        {
          nb::gil_scoped_release release;
          edges = tr::gabriel_graph({x.data(), x.shape(0)}, {y.data(), y.shape(0)});
        }
        return edges_to_numpy(edges);
      },
      "x"_a, "y"_a);

  m.def(
      "_territory_evaluate",
      [](const tr::Units& u, const Ints& assignment, std::size_t territories, const std::vector<double>& tolerance,
         const std::vector<double>& share, const std::optional<Ints>& current,
         const std::vector<std::int32_t>& home) {
        const std::span<const std::int32_t> a{assignment.data(), assignment.shape(0)};
        tr::Metrics mt;
        io::Table table;
        {
          nb::gil_scoped_release release;
          mt = tr::evaluate(u, a, territories, tolerance, share, view(current), home);
          table = mt.territories_table(u, a);
        }
        return nb::make_tuple(metrics_dict(mt), std::move(table));
      },
      "units"_a, "assignment"_a, "territories"_a, "tolerance"_a, "share"_a, "current"_a.none(),
      "home"_a = std::vector<std::int32_t>{});

  m.def(
      "_territory_solve",
      [](const tr::Units& u, std::size_t territories, const std::vector<double>& tolerance,
         const std::vector<double>& share, const std::optional<Ints>& current, const std::optional<Ints>& locked,
         const std::vector<std::int32_t>& home, const std::optional<Pairs>& excluded,
         const std::vector<double>& capacity, std::size_t capacity_measure, bool contiguity,
         std::optional<double> disruption_weight, std::optional<std::size_t> max_moved, int restarts, std::uint64_t seed,
         std::optional<double> time_limit, unsigned threads) {
        tr::Problem pr;
        pr.units = &u;
        pr.territories = territories;
        pr.tolerance = tolerance;
        pr.share = share;
        const auto cur = view(current), lock = view(locked);
        pr.current.assign(cur.begin(), cur.end());
        pr.locked.assign(lock.begin(), lock.end());
        pr.home = home;
        if (excluded) {
          if (excluded->shape(1) != 2) bad("territory.problem", "excluded", "excluded must be (unit, territory) pairs");
          for (std::size_t r = 0; r < excluded->shape(0); ++r) {
            const std::int64_t unit = excluded->data()[2 * r], t = excluded->data()[2 * r + 1];
            if (unit < 0 || static_cast<std::size_t>(unit) >= u.size()) {
              bad("territory.problem", "excluded", "pair " + std::to_string(r) + " names unit " + std::to_string(unit) +
                                                       ", outside [0, " + std::to_string(u.size()) + ")");
            }
            if (t < 0 || static_cast<std::size_t>(t) >= territories) {
              bad("territory.problem", "excluded", "pair " + std::to_string(r) + " names territory " + std::to_string(t) +
                                                       ", outside [0, " + std::to_string(territories) + ")");
            }
            pr.excluded.emplace_back(static_cast<std::uint32_t>(unit), static_cast<std::uint32_t>(t));
          }
        }
        pr.capacity = capacity;
        pr.capacity_measure = capacity_measure;
        pr.contiguity = contiguity;
        pr.disruption_weight = disruption_weight;
        pr.max_moved = max_moved;
        pr.restarts = restarts;
        ExecutionContext context;
        context.seed(seed).threads(threads);
        if (time_limit) {
          if (!(*time_limit > 0)) bad("territory.options", "time_limit", "give a time limit in seconds > 0");
          context.time_limit(std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(*time_limit * 1000))));
        }
        tr::Solution s;
        io::Table table;
        {
          nb::gil_scoped_release release;
          s = tr::solve(pr, context);
          table = s.metrics.territories_table(u, s.assignment);
        }
        nb::list violations;
        for (const auto& v : s.violations) {
          nb::dict d;
          d["territory"] = v.territory;
          d["measure"] = v.measure;
          d["excess"] = v.excess;
          d["message"] = v.message;
          violations.append(d);
        }
        return nb::make_tuple(to_numpy(std::move(s.assignment)), std::string(tr::to_string(s.status)), violations,
                              metrics_dict(s.metrics), std::move(table), s.moves);
      },
      "units"_a, "territories"_a, "tolerance"_a, "share"_a, "current"_a.none(), "locked"_a.none(), "home"_a,
      "excluded"_a.none(), "capacity"_a, "capacity_measure"_a, "contiguity"_a, "disruption_weight"_a.none(),
      "max_moved"_a.none(), "restarts"_a, "seed"_a, "time_limit"_a.none(), "threads"_a);
}

}  // namespace spm::python
