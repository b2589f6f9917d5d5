// spm territory: balance units (accounts, zip codes...) into territories, evaluate an assignment,
// generate a benchmark instance, on CSV files.
#include <cerrno>
#include <cmath>
#include <cstring>
#include <chrono>
#include <fstream>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>
#include <spm/io/json.hpp>
#include <spm/territory/instance.hpp>
#include <spm/territory/metrics.hpp>
#include <spm/territory/solver.hpp>

#include "command.hpp"
#include "loader.hpp"
#include "options.hpp"
#include "territory_io.hpp"
#include "territory_svg.hpp"

namespace spm::cli {
namespace po = boost::program_options;
namespace tio = territory_io;
namespace {

std::filesystem::path out_file(const std::string& dir, const char* name) {
  return cli::out_file(dir, name, "territory");
}

// Options balance and evaluate share.
struct Inputs {
  std::string units, adjacency, current, shares, measures, tolerance = "0.05", svg, out_dir;
  long long p = 0;  // signed: "-p -1" must be refused, not wrapped around
  bool geographic = false, no_contiguity = false;
};

// A count option read as a signed number, refused below `least`.
std::size_t count(long long v, long long least, const std::string& option, const std::string& what) {
  if (v < least) {
    throw UsageError{option + " " + std::to_string(v) + ": give " + what + ", at least " +
                     std::to_string(least)};
  }
  return static_cast<std::size_t>(v);
}

// A real option that must be finite and >= 0.
double non_negative(double v, const std::string& option) {
  if (!(v >= 0) || !std::isfinite(v)) throw UsageError{option + " takes a finite number >= 0"};
  return v;
}

void add_inputs(po::options_description& desc, Inputs& in) {
  desc.add_options()("help,h", "show this help")(
      "units", po::value(&in.units),
      "CSV: id, x, y (or lon, lat with --geographic) and measure columns")(
      "adjacency", po::value(&in.adjacency),
      "CSV: from, to (unit ids), one row per adjacent pair; default: the Gabriel graph of the "
      "coordinates")("current", po::value(&in.current),
                     "CSV: id, territory: the current alignment (moves are counted against it)")(
      "shares", po::value(&in.shares),
      "CSV: territory, share: each territory's target share of every measure (summing to 1; "
      "default: equal shares)")("territories,p", po::value(&in.p),
      "number of territories (evaluate: default, as many as the assignment names)")(
      "tolerance", po::value(&in.tolerance)->default_value(in.tolerance),
      "band around each territory's target share: one value, or one per measure (comma-separated)")(
      "measures", po::value(&in.measures),
      "measure columns, comma-separated (default: every other column holding numbers)")(
      "geographic", po::bool_switch(&in.geographic),
      "coordinates are lon, lat in degrees: distances in km")(
      "no-contiguity", po::bool_switch(&in.no_contiguity), "territories need not be in one piece")(
      "svg", po::value(&in.svg), "also draw the map into this SVG file")(
      "out", po::value(&in.out_dir), "output folder");
}

std::vector<double> tolerances(const std::string& text, std::size_t measures) {
  std::vector<double> out;
  for (const auto& item : split_list(text)) {
    std::size_t used = 0;
    double v = -1;
    try {
      v = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || !(v >= 0) || !std::isfinite(v))
      throw UsageError{"--tolerance takes numbers >= 0 (0.05 = 5%), not '" + item + "'"};
    out.push_back(v);
  }
  if (text.empty() || text.front() == ',' || text.back() == ',' ||
      text.find(",,") != std::string::npos) {
    throw UsageError{"--tolerance '" + text + "' has an empty value; give numbers separated by commas"};
  }
  if (out.size() != 1 && out.size() != measures) {
    throw UsageError{"--tolerance takes one value, or one per measure (" +
                     std::to_string(measures) + "), not " + std::to_string(out.size())};
  }
  if (out.size() == 1) out.assign(measures, out[0]);
  return out;
}

// The adjacency: read, or the Gabriel graph of the coordinates (said in the returned note).
std::string add_adjacency(const Inputs& in, tio::UnitsFile& f, Loader& rejects) {
  if (!in.adjacency.empty()) {
    f.units.edges = tio::read_edges(in.adjacency, f, rejects);
    // No edges would mean the Gabriel graph (the library's default), not what the file says.
    if (f.units.edges.empty() && f.units.size() > 1) {
      throw InvalidInputError("territory.adjacency", in.adjacency,
                              "the file gives no usable edge; fix it, or "
                              "leave --adjacency out to use the Gabriel graph of the coordinates");
    }
    return "adjacency: " + std::to_string(f.units.edges.size()) + " edges from " + in.adjacency;
  }
  f.units.edges = territory::gabriel_graph(f.units);
  return "adjacency: the Gabriel graph of the coordinates (" +
         std::to_string(f.units.edges.size()) + " edges), as no --adjacency was given";
}

void print_header(std::ostream& out, const char* verb, const tio::UnitsFile& f, std::size_t p,
                  const std::string& adjacency) {
  out << verb << " " << f.units.size() << " units into " << p << " territories on ";
  for (std::size_t a = 0; a < f.units.measures.size(); ++a)
    out << (a ? ", " : "") << f.units.measures[a];
  out << "\n";
  for (const auto& note : f.notes) out << "note: " << note << "\n";
  out << adjacency << "\n";
}

void write_map(const Inputs& in, const territory::Units& units,
               std::span<const std::int32_t> assignment, const territory::Metrics& m,
               const tio::Names& names, const std::string& title) {
  if (in.svg.empty()) return;
  std::ofstream file(in.svg, std::ios::binary);
  if (!file) {
    throw IoError("territory.svg", in.svg,
                  "cannot write the map: " + std::string(std::strerror(errno)) +
                      " (its folder must exist; the other output files were written)");
  }
  file << territory_map_svg(units, assignment, m.centre, names.all(), title);
}

void finish(std::ostream& out, const Inputs& in, const Loader& rejects, const char* files) {
  io::write_csv(rejects.rejects(), out_file(in.out_dir, "rejects.csv"));
  out << "rejected: " << rejects.size() << " input rows\nwrote " << in.out_dir << "/" << files
      << ", summary.json, rejects.csv" << (in.svg.empty() ? "" : "; map: " + in.svg) << "\n";
}

tio::Shares read_shares(const Inputs& in, Loader& rejects) {
  return in.shares.empty() ? tio::Shares{} : tio::read_shares(in.shares, rejects);
}

// The territory names of the files, and those the shares file names.
std::vector<std::vector<std::string>> with_share_names(std::vector<std::vector<std::string>> named,
                                                       const tio::Shares& shares) {
  named.push_back(shares.names);
  return named;
}

// A bad-input error after some rows were rejected may come from them (a dropped unit can cut
// the adjacency in two or leave fewer units than territories): the rejects are written and named.
[[noreturn]] void rethrow_noting_rejects(const InvalidInputError& e, const Inputs& in,
                                         const Loader& rejects) {
  if (rejects.size() == 0) throw e;
  try {
    io::write_csv(rejects.rejects(), out_file(in.out_dir, "rejects.csv"));
  } catch (const Error&) {
    throw e;  // the first problem matters more than an unwritable folder
  }
  throw InvalidInputError(e.id(), e.path(),
                          e.detail() + " (" + std::to_string(rejects.size()) +
                              " input rows were rejected before this: see " + in.out_dir +
                              "/rejects.csv)");
}

// Up to five names, then "...".
std::string some(const std::set<std::string>& names) {
  std::string out;
  std::size_t k = 0;
  for (const auto& n : names) {
    if (k++ == 5) return out + ", ...";
    out += (out.empty() ? "" : ", ") + n;
  }
  return out;
}

// Without -p, P is the territories the assignment names. Territories are matched by name, so a
// --current or --shares naming others (renamed, or dropped by the assignment) would add empty
// territories, lower every target and count all their units as moved: refused, with the fix.
void check_inferred_p(const std::vector<std::vector<std::string>>& named, const tio::Shares& shares,
                      const Inputs& in) {
  std::set<std::string> assigned(named.front().begin(), named.front().end()), others;
  assigned.erase("");
  std::string where;
  const auto add = [&](const std::vector<std::string>& names, const std::string& option) {
    bool any = false;
    for (const auto& v : names) {
      if (v.empty() || assigned.count(v) != 0) continue;
      others.insert(v);
      any = true;
    }
    if (any) where += (where.empty() ? "" : " and ") + option;
  };
  if (!in.current.empty()) add(named.back(), "--current");
  add(shares.names, "--shares");
  if (others.empty()) return;
  throw InvalidInputError(
      "territory.p", "p",
      "-p not given, so P is the " + std::to_string(assigned.size()) +
          " territories the assignment names (" + some(assigned) + "), but " + where + (where.find(" and ") == std::string::npos ? " also names " : " also name ") +
          std::to_string(others.size()) + " others (" + some(others) +
          "); territories are matched by name, so those would be empty and every unit of theirs "
          "moved. Use the assignment's names, or give -p " +
          std::to_string(assigned.size() + others.size()) + " to evaluate them all");
}

// The library names territories by index ("the units locked to territory 1"): its errors are
// shown with the names of the files.
territory::Solution solve_named(const territory::Problem& problem, const ExecutionContext& context,
                                const tio::Names& names) {
  try {
    return territory::solve(problem, context);
  } catch (const InvalidInputError& e) {
    throw InvalidInputError(e.id(), e.path(), names.relabel_all(e.detail()));
  }
}

int balance(const std::vector<std::string>& args, std::ostream& out) {
  Inputs in;
  std::string locked;
  double disruption_weight = 0, time_limit = 0;  // the weight counts only when given
  long long max_moved = 0;
  std::uint64_t seed = 1;
  int restarts = territory::Problem{}.restarts;
  po::options_description desc(
      "spm territory balance --units U.csv -p P [--adjacency E.csv] [--current C.csv] [--locked "
      "L.csv] "
      "[options] --out DIR\n\n"
      "Assigns every unit to one of P territories so that each measure is within its band of the "
      "territory's target, territories are compact and contiguous, locked units stay put and few "
      "units move (docs/territory.md). Writes assignment.csv, territories.csv, violations.csv, "
      "summary.json, rejects.csv.\n\noptions");
  add_inputs(desc, in);
  desc.add_options()("locked", po::value(&locked),
                     "CSV: id, territory: units that must stay in that territory")(
      "max-moved", po::value(&max_moved), "at most this many units move away from --current")(
      "disruption-weight", po::value(&disruption_weight),
      "cost per unit moved away from --current, in distance units (km with --geographic): a "
      "unit moves for compactness only when that shortens distances by more; 0: moves cost "
      "nothing (re-optimise freely from --current); default: units move only where the balance "
      "needs it")(
      "restarts", po::value(&restarts)->default_value(restarts),
      "constructions tried, the best kept, 0 .. 100000 (0: automatic, more for small problems)")("seed", po::value(&seed)->default_value(seed),
                                            "random seed: same seed, same territories")(
      "time-limit", po::value(&time_limit),
      "stop after this many seconds with the best found (status stopped)");
  CsvFormat format;
  format.add_to(desc, /*amounts=*/false);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  if (in.units.empty() || in.out_dir.empty() || !vm.count("territories"))
    throw UsageError{"give --units, -p (at least 1) and --out"};
  const std::size_t p = count(in.p, 1, "-p", "the number of territories");
  if (vm.count("disruption-weight")) non_negative(disruption_weight, "--disruption-weight");
  if (restarts < 0 || restarts > territory::max_restarts)
    throw UsageError{"--restarts " + std::to_string(restarts) + ": give 0 (automatic) up to " +
                     std::to_string(territory::max_restarts)};
  if (vm.count("time-limit")) non_negative(time_limit, "--time-limit");
  if (vm.count("max-moved")) count(max_moved, 0, "--max-moved", "a number of units");
  if (vm.count("max-moved") && in.current.empty())
    throw UsageError{"--max-moved counts moves against --current; give it"};
  clear_outputs(in.out_dir, {"assignment.csv", "territories.csv", "violations.csv", "summary.json",
                             "rejects.csv"});

  Loader rejects(format.options());
  try {
    auto f = tio::read_units(in.units, split_list(in.measures), in.geographic, rejects);
    const auto tau = tolerances(in.tolerance, f.units.measures.size());
    const auto adjacency = add_adjacency(in, f, rejects);
    std::vector<std::vector<std::string>> named;
    if (!in.current.empty()) named.push_back(tio::read_territories(in.current, f, rejects));
    if (!locked.empty()) named.push_back(tio::read_territories(locked, f, rejects));
    const auto shares = read_shares(in, rejects);
    const tio::Names names(with_share_names(named, shares), p);

    territory::Problem problem;
    problem.units = &f.units;
    problem.territories = p;
    problem.tolerance = tau;
    if (!in.shares.empty()) problem.share = tio::shares_by_index(shares, names, in.shares);
    if (!in.current.empty()) problem.current = names.indices(named.front());
    if (!locked.empty()) problem.locked = names.indices(named.back());
    problem.contiguity = !in.no_contiguity;
    if (vm.count("disruption-weight")) problem.disruption_weight = disruption_weight;
    if (vm.count("max-moved")) problem.max_moved = static_cast<std::size_t>(max_moved);
    problem.restarts = restarts;
    ExecutionContext context;
    context.seed(seed);
    if (time_limit > 0)
      context.time_limit(std::chrono::milliseconds(static_cast<std::int64_t>(time_limit * 1000)));
    const auto s = solve_named(problem, context, names);

    io::write_csv(tio::assignment_table(f.units, s.assignment, names),
                  out_file(in.out_dir, "assignment.csv"));
    io::write_csv(tio::territories_table(s.metrics, f.units, s.assignment, names),
                  out_file(in.out_dir, "territories.csv"));
    io::write_csv(tio::violations_table(s.violations, names), out_file(in.out_dir, "violations.csv"));
    tio::Outcome o{territory::to_string(s.status), "", s.violations.size(), tau, !in.current.empty(), f.notes};
    if (!s.violations.empty())
      o.detail = std::to_string(s.violations.size()) + " violations, see violations.csv";
    io::write_json(tio::summary_table(s.metrics, f.units, o), out_file(in.out_dir, "summary.json"));
    write_map(in, f.units, s.assignment, s.metrics, names,
              "spm territory balance: " + std::to_string(p) + " territories, " + o.status +
                  ", max deviation " + tio::max_deviation_text(s.metrics));
    print_header(out, "balanced", f, p, adjacency);
    tio::print_summary(out, s.metrics, f.units, o);
    finish(out, in, rejects, "assignment.csv, territories.csv, violations.csv");
  } catch (const InvalidInputError& e) {
    rethrow_noting_rejects(e, in, rejects);
  }
  return 0;
}

int evaluate(const std::vector<std::string>& args, std::ostream& out) {
  Inputs in;
  std::string assignment;
  po::options_description desc(
      "spm territory evaluate --units U.csv --assignment A.csv [-p P] [--adjacency E.csv] "
      "[--current C.csv] "
      "[options] --out DIR\n\n"
      "The metrics of an assignment, however it was made: balance per measure, p-median, p-center, "
      "diameter, contiguity, moves against --current (docs/territory.md). Units without a "
      "territory "
      "in A.csv are rejected. Writes territories.csv, summary.json, rejects.csv.\n\noptions");
  add_inputs(desc, in);
  desc.add_options()("assignment", po::value(&assignment), "CSV: id, territory");
  CsvFormat format;
  format.add_to(desc, /*amounts=*/false);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  if (in.units.empty() || assignment.empty() || in.out_dir.empty())
    throw UsageError{"give --units, --assignment and --out"};
  // Left out: as many territories as the assignment names.
  const std::size_t p = vm.count("territories") ? count(in.p, 1, "-p", "the number of territories") : 0;
  clear_outputs(in.out_dir, {"territories.csv", "summary.json", "rejects.csv"});

  Loader rejects(format.options());
  try {
    auto f = tio::read_units(in.units, split_list(in.measures), in.geographic, rejects);
    const auto tau = tolerances(in.tolerance, f.units.measures.size());
    std::vector<std::vector<std::string>> named{tio::read_territories(assignment, f, rejects)};
    if (!in.current.empty()) named.push_back(tio::read_territories(in.current, f, rejects));
    // Units the assignment leaves out cannot be measured: rejected, like any incomplete row.
    std::vector<std::uint8_t> keep(f.units.size(), 1);
    for (std::size_t i = 0; i < keep.size(); ++i) {
      if (!named.front()[i].empty()) continue;
      keep[i] = 0;
      rejects.add(in.units, f.line[i], f.units.id[i], "no territory for the unit in " + assignment);
    }
    tio::keep_units(f, keep, named);
    const auto adjacency = add_adjacency(in, f, rejects);
    const auto shares = read_shares(in, rejects);
    if (p == 0) check_inferred_p(named, shares, in);
    const tio::Names names(with_share_names(named, shares), p);
    const auto a = names.indices(named.front());
    const auto current =
        in.current.empty() ? std::vector<std::int32_t>{} : names.indices(named.back());
    const auto share =
        in.shares.empty() ? std::vector<double>{} : tio::shares_by_index(shares, names, in.shares);
    const auto m = territory::evaluate(f.units, a, names.size(), tau, share, current);

    io::write_csv(tio::territories_table(m, f.units, a, names),
                  out_file(in.out_dir, "territories.csv"));
    std::size_t outside = 0;
    for (const auto& b : m.balance) outside += b.outside;
    const std::size_t pieces = in.no_contiguity ? 0 : m.non_contiguous;
    tio::Outcome o{outside + pieces + m.empty == 0 ? "feasible" : "infeasible",
                   std::to_string(outside) + " territory-measures outside their bands, " +
                       std::to_string(pieces) + " territories in pieces",
                   outside + pieces, tau, !in.current.empty(), f.notes};
    io::write_json(tio::summary_table(m, f.units, o), out_file(in.out_dir, "summary.json"));
    write_map(in, f.units, a, m, names,
              "spm territory evaluate: " + std::to_string(names.size()) + " territories, " +
                  o.status + ", max deviation " + tio::max_deviation_text(m));
    print_header(out, "evaluated", f, names.size(), adjacency);
    tio::print_summary(out, m, f.units, o);
    finish(out, in, rejects, "territories.csv");
  } catch (const InvalidInputError& e) {
    rethrow_noting_rejects(e, in, rejects);
  }
  return 0;
}

int generate(const std::vector<std::string>& args, std::ostream& out) {
  territory::InstanceOptions o;
  long long unit_count = 0, territories = 0;  // signed: negative values are refused, not wrapped
  std::string kind = "uniform", out_dir;
  po::options_description desc(
      "spm territory generate --units N [-p P] [--seed S] [--kind uniform|clustered] --out DIR\n\n"
      "A seeded benchmark instance to try balance on: units.csv (id, x, y, customers, demand, "
      "workload) and edges.csv (from, to: the Gabriel graph). uniform: after Rios-Mercado and "
      "Fernandez (2009); clustered: Gaussian clusters, lognormal activity.\n\noptions");
  desc.add_options()("help,h", "show this help")("units", po::value(&unit_count),
                                                 "number of units (at least 3)")(
      "territories,p", po::value(&territories)->default_value(0),
      "territories (0: about units / 15)")("seed", po::value(&o.seed)->default_value(1),
                                           "random seed: same seed, same instance")(
      "kind", po::value(&kind)->default_value(kind), "uniform or clustered")(
      "out", po::value(&out_dir), "output folder");
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  if (!vm.count("units") || out_dir.empty()) throw UsageError{"give --units N and --out"};
  o.units = count(unit_count, 3, "--units", "the number of units");
  o.territories = count(territories, 0, "-p", "the number of territories (0: about units / 15)");
  if (kind != "uniform" && kind != "clustered")
    throw UsageError{"--kind is uniform or clustered, not '" + kind + "'"};
  o.kind =
      kind == "uniform" ? territory::InstanceKind::uniform : territory::InstanceKind::clustered;
  const auto inst = territory::generate_instance(o);
  const auto& u = inst.units;
  io::Table units;
  units.add(io::Column::of("id", u.id)).add(io::Column::of("x", u.x)).add(io::Column::of("y", u.y));
  for (std::size_t a = 0; a < u.measures.size(); ++a)
    units.add(io::Column::of(u.measures[a], u.activity[a]));
  std::vector<std::string> from, to;
  for (const auto& [a, b] : u.edges) {
    from.push_back(u.id[a]);
    to.push_back(u.id[b]);
  }
  io::Table edges;
  edges.add(io::Column::of("from", std::move(from))).add(io::Column::of("to", std::move(to)));
  io::write_csv(units, out_file(out_dir, "units.csv"));
  io::write_csv(edges, out_file(out_dir, "edges.csv"));
  out << "generated " << u.size() << " units (" << kind << ", seed " << o.seed << ") and "
      << u.edges.size() << " edges (Gabriel graph); " << inst.territories << " territories\nwrote "
      << out_dir << "/units.csv, edges.csv\ntry: spm territory balance --units " << out_dir
      << "/units.csv --adjacency " << out_dir << "/edges.csv -p " << inst.territories
      << " --tolerance " << inst.tolerance.front() << " --svg " << out_dir << "/map.svg --out "
      << out_dir << "/balance\n";
  return 0;
}

int run_territory(const std::vector<std::string>& args, std::ostream& out) {
  const std::string usage =
      "usage: spm territory balance|evaluate|generate [options]\n"
      "       spm territory <action> --help\n\n"
      "  balance   assign units to territories: balanced, compact, contiguous, few moves\n"
      "  evaluate  the metrics of an assignment made by hand or elsewhere\n"
      "  generate  a seeded benchmark instance (units.csv, edges.csv) to try balance on\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    out << usage;
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  const auto& action = args[0];
  if (action == "balance") return balance(rest, out);
  if (action == "evaluate") return evaluate(rest, out);
  if (action == "generate") return generate(rest, out);
  throw UsageError{"unknown action '" + action + "'; use balance, evaluate or generate"};
}

}  // namespace

Command territory_command() {
  return {"territory",
          "territories: balance units into territories, evaluate an assignment, generate",
          run_territory};
}

}  // namespace spm::cli
