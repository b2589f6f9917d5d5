// spm demo, territory stage: next year's territories. In each region the accounts are balanced
// among the region's active reps (account count and potential), contiguous on the Gabriel graph
// of the account locations, each rep's territory growing from their largest account (its home).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

#include <spm/io/csv.hpp>
#include <spm/territory/metrics.hpp>
#include <spm/territory/solver.hpp>

#include "demo_stages.hpp"
#include "options.hpp"
#include "svg.hpp"
#include "territory_io.hpp"
#include "territory_svg.hpp"

namespace spm::cli {
namespace {

constexpr double tau = 0.05;

struct Region {
  std::string id, name;
  std::vector<std::string> reps;    // active reps, sorted: territory t is reps[t]'s
  territory::Units units;           // the region's accounts
  std::vector<std::int32_t> owner;  // per account: today's owner among `reps`, or -1 (left)
  territory::Solution solution;
  territory::Metrics against_owners;  // the solution's metrics with moves counted against `owner`
};

// The regions with their active reps and accounts, in region order.
std::vector<Region> regions(const demo::Company& co) {
  std::vector<Region> out;
  std::map<std::string, std::size_t, std::less<>> index;
  const auto at = [&](std::string_view region) { return index.find(region)->second; };
  for (std::size_t r = 0; r < co.regions.num_rows(); ++r) {
    index.emplace(co.regions.strings("region_id")[r], out.size());
    auto& g = out.emplace_back();
    g.id = co.regions.strings("region_id")[r];
    g.name = co.regions.strings("name")[r];
  }
  const auto& p = co.payees;
  for (std::size_t r = 0; r < p.num_rows(); ++r) {
    if (p.strings("role")[r] != "rep" || !p.column("termination_date").is_null(r)) continue;
    out[at(p.strings("region_id")[r])].reps.emplace_back(p.strings("payee_id")[r]);
  }
  for (auto& g : out) {
    std::sort(g.reps.begin(), g.reps.end());
    g.units.geographic = true;
    g.units.measures = {"accounts", "potential"};
    g.units.activity.assign(2, {});
  }
  const auto& a = co.accounts;
  for (std::size_t r = 0; r < a.num_rows(); ++r) {
    auto& g = out[at(a.strings("region_id")[r])];
    g.units.id.emplace_back(a.strings("account_id")[r]);
    g.units.x.push_back(a.values<Decimal>("longitude")[r].to_double());
    g.units.y.push_back(a.values<Decimal>("latitude")[r].to_double());
    g.units.activity[0].push_back(1);
    g.units.activity[1].push_back(a.values<Decimal>("potential")[r].to_double());
    const auto owner = std::lower_bound(g.reps.begin(), g.reps.end(), a.strings("owner_id")[r]);
    g.owner.push_back(owner != g.reps.end() && *owner == a.strings("owner_id")[r]
                          ? static_cast<std::int32_t>(owner - g.reps.begin())
                          : -1);
  }
  std::erase_if(out, [](const Region& g) { return g.reps.empty() || g.units.size() == 0; });
  return out;
}

// Each rep's home: their largest account today by potential (-1 for a rep with none).
std::vector<std::int32_t> homes(const Region& g) {
  std::vector<std::int32_t> home(g.reps.size(), -1);
  for (std::size_t i = 0; i < g.units.size(); ++i) {
    const auto t = g.owner[i];
    if (t < 0) continue;
    auto& h = home[static_cast<std::size_t>(t)];
    if (h < 0 || g.units.activity[1][i] > g.units.activity[1][static_cast<std::size_t>(h)])
      h = static_cast<std::int32_t>(i);
  }
  return home;
}

territory_io::Names rep_names(const Region& g) {
  // The reps are the only names, already sorted: territory t is named reps[t].
  return territory_io::Names(std::span(&g.reps, 1), g.reps.size());
}

// Every region's map in one picture: two panels a row, each with its region's line.
std::string map_svg(const std::vector<Region>& rs, const std::string& title) {
  constexpr double panel = 420, caption = 22, gap = 12;
  const std::size_t columns = std::min<std::size_t>(2, rs.size()),
                    rows = (rs.size() + columns - 1) / columns;
  std::ostringstream svg;
  svg.precision(6);
  svg_begin(svg, static_cast<double>(columns) * (panel + gap) + gap,
            30 + static_cast<double>(rows) * (panel + caption + gap), title);
  for (std::size_t k = 0; k < rs.size(); ++k) {
    const auto& g = rs[k];
    const double x = gap + static_cast<double>(k % columns) * (panel + gap);
    const double y = 30 + static_cast<double>(k / columns) * (panel + caption + gap);
    svg << "<text x=\"" << x << "\" y=\"" << y + 14 << "\">" << svg_escape(g.id + " " + g.name)
        << ": " << g.reps.size() << " reps, " << territory::to_string(g.solution.status)
        << ", max deviation " << territory_io::max_deviation_text(g.solution.metrics)
        << "</text>\n";
    draw_territories(svg, g.units, g.solution.assignment, g.solution.metrics.centre,
                     rep_names(g).all(), {x, y + caption, panel, panel});
  }
  svg << "</svg>\n";
  return svg.str();
}

// One line of the balance table: rep and region left, the numbers right.
std::string row_text(const std::string& rep, const std::string& region, const std::string& accounts,
                     const std::string& accounts_dev, const std::string& potential,
                     const std::string& potential_dev) {
  std::ostringstream line;
  line << "  " << std::left << std::setw(6) << rep << "  " << std::setw(6) << region << std::right
       << "  " << std::setw(8) << accounts << "  " << std::setw(7) << accounts_dev << "  "
       << std::setw(12) << potential << "  " << std::setw(7) << potential_dev << "\n";
  return line.str();
}

std::string signed_percent(double v) { return (v >= 0 ? "+" : "") + territory_io::percent(v); }

}  // namespace

void run_territory_stage(const demo::Company& co, const std::string& out_dir, std::ostream& out) {
  const auto dir = std::filesystem::path(out_dir) / "territory";
  std::filesystem::create_directories(dir);
  auto rs = regions(co);
  io::Table territories, assignment;
  std::size_t feasible = 0, accounts = 0, moved = 0;
  double worst = 0, p_median = 0;
  for (auto& g : rs) {
    g.units.edges = territory::gabriel_graph(g.units);
    territory::Problem problem;
    problem.units = &g.units;
    problem.territories = g.reps.size();
    problem.tolerance = {tau};
    problem.home = homes(g);
    problem.restarts = 1;  // one construction keeps the demo quick (balance tries 4)
    g.solution = territory::solve(problem, ExecutionContext().seed(1));
    g.against_owners = territory::evaluate(g.units, g.solution.assignment, g.reps.size(),
                                           problem.tolerance, {}, g.owner);
    const auto names = rep_names(g);
    // Per territory: the region, the rep, then the metrics' columns.
    auto t =
        territory_io::territories_table(g.solution.metrics, g.units, g.solution.assignment, names);
    io::Table with_region;
    with_region.add(io::Column::of("region_id", std::vector<std::string>(t.num_rows(), g.id)));
    with_region.add(io::Column::of("payee_id", t.column("territory").values<std::string>()));
    for (const auto& c : t.columns()) {
      if (c.name() != "territory") with_region.add(c);
    }
    territories = io::concat(territories, with_region);
    auto a = territory_io::assignment_table(g.units, g.solution.assignment, names);
    io::Table rows;
    rows.add(io::Column::of("account_id", a.column("id").values<std::string>()));
    rows.add(io::Column::of("region_id", std::vector<std::string>(a.num_rows(), g.id)));
    rows.add(io::Column::of("payee_id", a.column("territory").values<std::string>()));
    std::vector<std::string> before;
    for (const auto o : g.owner)
      before.push_back(o < 0 ? std::string() : g.reps[static_cast<std::size_t>(o)]);
    rows.add(io::Column::of("owner_id", std::move(before)));
    assignment = io::concat(assignment, rows);
    feasible += g.solution.status == territory::SolveStatus::feasible ? 1 : 0;
    accounts += g.units.size();
    moved += g.against_owners.moved_units;
    p_median += g.solution.metrics.p_median;
    for (const auto& b : g.solution.metrics.balance) worst = std::max(worst, b.max_deviation);
  }
  io::write_csv(territories, dir / "territories.csv");
  io::write_csv(assignment, dir / "assignment.csv");
  // The commission engine's credit rules (key, payee_id, from): a plan crediting by account_id
  // credits next year's bookings to the account's new rep.
  io::Table rules;
  rules.add(io::Column::of("key", assignment.column("account_id").values<std::string>()));
  rules.add(io::Column::of("payee_id", assignment.column("payee_id").values<std::string>()));
  rules.add(io::Column::of("from", std::vector<Date>(assignment.num_rows(), co.as_of)));
  io::write_csv(rules, dir / "credit_rules.csv");
  const auto year = std::to_string(co.as_of.year());
  std::ofstream(dir / "map.svg") << map_svg(
      rs, "Territories for " + year + ", one per rep (libspm demo)");

  out << "\nterritories for " << year
      << " (each region's accounts among its active reps: account count and potential within +-"
      << territory_io::percent(tau)
      << " of the region's average, contiguous on the Gabriel graph of the account locations; "
         "each rep's territory grows from their largest account)\n"
      << row_text("rep", "region", "accounts", "dev", "potential", "dev");
  constexpr std::size_t shown = 16;
  const auto& t = territories;
  for (std::size_t r = 0; r < std::min(shown, t.num_rows()); ++r) {
    out << row_text(std::string(t.strings("payee_id")[r]), std::string(t.strings("region_id")[r]),
                    std::to_string(t.values<std::int64_t>("units")[r]),
                    signed_percent(t.values<double>("accounts_deviation")[r]),
                    grouped(Decimal::from_double(t.values<double>("potential")[r], 0), 0),
                    signed_percent(t.values<double>("potential_deviation")[r]));
  }
  const std::size_t reps = territories.num_rows();
  if (reps > shown) out << "  ... " << reps - shown << " more in territory/territories.csv\n";
  out << "  status: feasible in " << feasible << " of " << rs.size() << " regions; max deviation "
      << territory_io::percent(worst) << "; p-median "
      << grouped(Decimal::from_double(p_median, 0), 0)
      << " km (accounts to their territory's centre)\n"
      << "  accounts changing rep: " << moved << " of " << accounts
      << " (today's owners are spread at random across each region)\n"
      << "  wrote territory/assignment.csv, territories.csv, credit_rules.csv (the commission "
         "engine's credit rules for a plan crediting by account_id), map.svg\n";
}

}  // namespace spm::cli
