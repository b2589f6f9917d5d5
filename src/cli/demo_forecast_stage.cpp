// spm demo, forecast stage: which open deals close next quarter, and the distribution of each
// rep's and the company's bookings beside their quotas.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include <spm/core/period.hpp>
#include <spm/forecast/backtest.hpp>
#include <spm/forecast/metrics.hpp>
#include <spm/forecast/rollup.hpp>
#include <spm/forecast/survival.hpp>
#include <spm/forecast/win_model.hpp>
#include <spm/io/csv.hpp>

#include "demo_stages.hpp"
#include "svg.hpp"

namespace spm::cli {
namespace {

constexpr double quarter_days = 90;

// The opportunities with each account's segment beside them (a feature known at creation).
io::Table with_segment(const demo::Company& co) {
  std::map<std::string, std::string, std::less<>> segment;
  for (std::size_t r = 0; r < co.accounts.num_rows(); ++r) {
    segment.emplace(co.accounts.strings("account_id")[r], co.accounts.strings("segment")[r]);
  }
  io::Table t = co.opportunities;
  std::vector<std::string> seg;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const auto it = segment.find(t.strings("account_id")[r]);
    seg.push_back(it != segment.end() ? it->second : "");
  }
  t.add(io::Column::of("segment", std::move(seg)));
  return t;
}

forecast::WinModelOptions model_options() {
  forecast::WinModelOptions o;
  o.outcome = "outcome";
  o.numeric = {"amount"};
  o.categorical = {"source", "segment", "product_id", "owner_id"};
  o.known_at_close = {"close_date", "stage"};
  o.calibration = forecast::Calibration::platt;
  return o;
}

std::string pct(double v) { return Decimal::from_double(v * 100, 0).to_string(0) + "%"; }

// A chart a person can read: the company total's distribution (bars, P10/P50/P90 lines), then
// each rep's P10-P90 range with the P50 dot and the quota tick.
std::string chart_svg(const forecast::Rollup& r, const std::string& title) {
  const auto& s = r.summary;
  const std::size_t reps = s.num_rows() - 1;
  const double width = 760, top_h = 220, row_h = 18, left = 90;
  const double height = top_h + 60 + row_h * static_cast<double>(reps) + 30;
  std::ostringstream svg;
  svg_begin(svg, width, height, title);
  // Top: the total's distribution in 60 bins over its central 99.9%.
  const auto& pmf = r.total.pmf;
  const double step = r.total.step.to_double();
  const double lo = r.total.quantile(0.0005).to_double();
  const double hi = std::max(lo + step, r.total.quantile(0.9995).to_double());
  constexpr std::size_t bins = 60;
  std::vector<double> bin(bins, 0.0);
  for (std::size_t k = 0; k < pmf.size(); ++k) {
    const double a = r.total.origin.to_double() + static_cast<double>(k) * step;
    if (a < lo || a > hi) continue;
    bin[std::min(bins - 1, static_cast<std::size_t>((a - lo) / (hi - lo) * bins))] += pmf[k];
  }
  const double peak = std::max(1e-12, *std::max_element(bin.begin(), bin.end()));
  const double plot_w = width - left - 20;
  const auto x_of = [&](double amount) { return left + plot_w * (amount - lo) / (hi - lo); };
  for (std::size_t b = 0; b < bins; ++b) {
    const double h = (top_h - 50) * bin[b] / peak;
    svg << "<rect x=\"" << left + plot_w * static_cast<double>(b) / bins << "\" y=\"" << top_h - h
        << "\" width=\"" << plot_w / bins - 1 << "\" height=\"" << h << "\" fill=\"#8fb3d9\"/>\n";
  }
  const std::size_t all = reps;
  int row = 0;
  for (const char* q : {"p10", "p50", "p90"}) {
    const double x = x_of(s.values<Decimal>(q)[all].to_double());
    svg << "<line x1=\"" << x << "\" y1=\"30\" x2=\"" << x << "\" y2=\"" << top_h << "\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>"
        << "<text x=\"" << x + 3 << "\" y=\"" << 40 + 13 * row++ << "\" fill=\"#c0392b\">" << q << " "
        << grouped(s.values<Decimal>(q)[all], 0) << "</text>\n";
  }
  if (!s.column("target").is_null(all)) {
    const double t = s.values<Decimal>("target")[all].to_double();
    if (t >= lo && t <= hi) {
      svg << "<line x1=\"" << x_of(t) << "\" y1=\"30\" x2=\"" << x_of(t) << "\" y2=\"" << top_h
          << "\" stroke=\"#2c3e50\" stroke-width=\"2\"/><text x=\"" << x_of(t) - 3 << "\" y=\"40\" text-anchor=\"end\">quota "
          << grouped(s.values<Decimal>("target")[all], 0) << "</text>\n";
    } else {
      svg << "<text x=\"" << width - 20 << "\" y=\"" << top_h - 10 << "\" text-anchor=\"end\">quota "
          << grouped(s.values<Decimal>("target")[all], 0) << (t > hi ? " (beyond the right edge)" : " (below the left edge)")
          << "</text>\n";
    }
  }
  svg << "<text x=\"" << left << "\" y=\"" << top_h + 16 << "\">" << grouped(Decimal::from_double(lo, 0), 0)
      << "</text><text x=\"" << width - 20 << "\" y=\"" << top_h + 16 << "\" text-anchor=\"end\">"
      << grouped(Decimal::from_double(hi, 0), 0) << "</text>\n<text x=\"" << left << "\" y=\"" << top_h + 40
      << "\">each rep: P10-P90 bar, P50 dot, quarter quota tick (one scale for all reps, 0 to "
      << "the largest P90 or quota)</text>\n";
  // Bottom: reps on their own scale (the largest of their P90 and quota).
  double scale = 1;
  for (std::size_t i = 0; i < reps; ++i) {
    scale = std::max(scale, s.values<Decimal>("p90")[i].to_double());
    if (!s.column("target").is_null(i)) scale = std::max(scale, s.values<Decimal>("target")[i].to_double());
  }
  for (std::size_t i = 0; i < reps; ++i) {
    const double y = top_h + 55 + row_h * static_cast<double>(i);
    const auto x = [&](double v) { return left + plot_w * v / scale; };
    svg << "<text x=\"" << left - 6 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">" << s.strings("group")[i] << "</text>"
        << "<line x1=\"" << x(s.values<Decimal>("p10")[i].to_double()) << "\" y1=\"" << y << "\" x2=\""
        << x(s.values<Decimal>("p90")[i].to_double()) << "\" y2=\"" << y << "\" stroke=\"#8fb3d9\" stroke-width=\"8\"/>"
        << "<circle cx=\"" << x(s.values<Decimal>("p50")[i].to_double()) << "\" cy=\"" << y << "\" r=\"4\" fill=\"#1f4e79\"/>";
    if (!s.column("target").is_null(i)) {
      const double q = x(s.values<Decimal>("target")[i].to_double());
      svg << "<line x1=\"" << q << "\" y1=\"" << y - 7 << "\" x2=\"" << q << "\" y2=\"" << y + 7 << "\" stroke=\"#c0392b\" stroke-width=\"2\"/>";
    }
    svg << "\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace

void run_forecast_stage(const demo::Company& co, const io::Table& next_year_quotas, const std::string& out_dir,
                        std::ostream& out) {
  const auto dir = std::filesystem::path(out_dir) / "forecast";
  std::filesystem::create_directories(dir);
  const auto deals = with_segment(co);
  const Date as_of = co.as_of;

  // Honest evaluation first: the same forecast made at the start of each of the last four
  // quarters of history, scored against what happened in the quarter after.
  forecast::WindowForecastOptions wo;
  wo.model = model_options();
  wo.as_of = as_of;
  wo.window_days = static_cast<int>(quarter_days);
  forecast::BacktestOptions bo;
  bo.forecast = wo;
  bo.scenarios = 10000;
  for (int back = 4; back >= 1; --back) {
    bo.cuts.push_back(FiscalCalendar().period_containing(as_of - 91 * back, PeriodKind::quarter).begin);
  }
  const auto bt = forecast::backtest(deals, bo);
  io::write_csv(bt.table(), dir / "backtest.csv");

  // The open pipeline: P(won in the next quarter) = P(closes in 90 days | age) x P(won | closes).
  const auto w = forecast::forecast_window(deals, wo);
  std::ofstream(dir / "win_model.json") << w.model.to_json() << "\n";
  io::write_csv(w.model.coefficients_table(), dir / "coefficients.csv");
  io::write_csv(w.closing.table(), dir / "closed_by.csv");
  io::Table predictions;
  std::vector<std::string> ids, owners;
  std::vector<Decimal> amounts;
  for (const auto r : w.rows) {
    ids.emplace_back(deals.strings("deal_id")[r]);
    owners.emplace_back(deals.strings("owner_id")[r]);
    amounts.push_back(deals.values<Decimal>("amount")[r]);
  }
  predictions.add(io::Column::of("deal_id", std::move(ids)));
  predictions.add(io::Column::of("owner_id", std::move(owners)));
  predictions.add(io::Column::of("amount", std::move(amounts)));
  predictions.add(io::Column::of("p_win", w.p_win));
  predictions.add(io::Column::of("p_close_in_quarter", w.p_close));
  predictions.add(io::Column::of("p_won_in_quarter", w.p));
  io::write_csv(predictions, dir / "predictions.csv");

  // Targets: each rep's quota for the first quarter of the new year, and the company's sum.
  const auto quarter = FiscalCalendar().period_containing(as_of, PeriodKind::quarter);
  std::vector<std::string> who;
  std::vector<Decimal> target;
  Decimal company;
  for (std::size_t r = 0; r < next_year_quotas.num_rows(); ++r) {
    if (next_year_quotas.values<Date>("period_start")[r] != quarter.begin) continue;
    who.emplace_back(next_year_quotas.strings("payee_id")[r]);
    target.push_back(next_year_quotas.values<Decimal>("quota")[r]);
    company += target.back();
  }
  who.emplace_back(forecast::all_groups);
  target.push_back(company);
  io::Table targets;
  targets.add(io::Column::of("owner_id", std::move(who)));
  targets.add(io::Column::of("target", std::move(target)));

  forecast::RollupOptions ro;
  ro.probability = "p_won_in_quarter";
  ro.amount = "amount";
  ro.group = "owner_id";
  ro.monte_carlo.lattice.step = Decimal(100);  // amounts to the nearest 100: ~1,000s of points
  // Deals in one quarter move together: Monte Carlo with the period factor the backtest fitted.
  ro.method = forecast::DistributionMethod::monte_carlo;
  ro.monte_carlo.period_sd = bt.period_sd;
  ro.monte_carlo.scenarios = 50000;
  // Deals not created yet: as many as were created and won within a quarter, per rep, over the
  // last four quarters, with their amounts.
  forecast::ArrivalOptions ao;
  ao.group = "owner_id";
  ao.as_of = as_of;
  ao.window_days = static_cast<int>(quarter_days);
  ro.arrivals = forecast::estimate_arrivals(deals, ao);
  const auto rollup = forecast::forecast_bookings(predictions, &targets, ro, ExecutionContext().seed(1));
  io::write_csv(rollup.summary, dir / "bookings_by_rep.csv");
  io::write_csv(rollup.total.table(), dir / "company_distribution.csv");
  const std::string label = std::to_string(quarter.begin.year()) + "-Q" + std::to_string((quarter.begin.month() - 1) / 3 + 1);
  std::ofstream(dir / "bookings.svg") << chart_svg(rollup, "Bookings from the open pipeline, " + label +
                                                              " (libspm demo)");

  std::vector<Decimal> open_amount;
  for (const auto r : w.rows) open_amount.push_back(deals.values<Decimal>("amount")[r]);
  const Decimal open_expected = forecast::expected_bookings(w.p, open_amount);  // exact, not a double sum
  const auto& s = rollup.summary;
  const std::size_t all = s.num_rows() - 1;
  out << "\nforecast for " << label << " (open pipeline of " << w.rows.size() << " deals as of "
      << as_of.to_string() << ")\n"
      << "  backtest (the same forecast made at the start of each of the last 4 quarters): deal AUC "
      << Decimal::from_double(bt.mean_auc, 3).to_string(3) << ", log-loss "
      << Decimal::from_double(bt.mean_log_loss, 3).to_string(3) << " vs base rate "
      << Decimal::from_double(bt.mean_base_log_loss, 3).to_string(3) << "; quarter totals off by "
      << pct(bt.mean_ape) << " on average; actual inside P10-P90 in " << pct(bt.mc_coverage_80)
      << " of quarters (with the period factor)\n"
      << "  company: expected " << grouped(s.values<Decimal>("expected")[all], 0) << ", P10 "
      << grouped(s.values<Decimal>("p10")[all], 0) << ", P50 " << grouped(s.values<Decimal>("p50")[all], 0)
      << ", P90 " << grouped(s.values<Decimal>("p90")[all], 0) << " (Monte Carlo, period factor sd "
      << Decimal::from_double(bt.period_sd, 2).to_string(2) << ") vs quota "
      << grouped(s.values<Decimal>("target")[all], 0) << ": P(reach) "
      << pct(s.values<double>("p_reach_target")[all]) << "\n"
      << "  (open pipeline " << grouped(open_expected, 0)
      << " expected, plus new deals: " << Decimal::from_double(ro.arrivals.at(forecast::all_groups).rate, 1).to_string(1)
      << " a quarter created and won within it, from the last four quarters)\n"
      << "  reps most likely to reach their quarter quota:";
  std::vector<std::pair<double, std::size_t>> by_chance;
  for (std::size_t i = 0; i < all; ++i) {
    if (!s.column("p_reach_target").is_null(i)) by_chance.emplace_back(-s.values<double>("p_reach_target")[i], i);
  }
  std::sort(by_chance.begin(), by_chance.end());
  for (std::size_t k = 0; k < std::min<std::size_t>(3, by_chance.size()); ++k) {
    const auto i = by_chance[k].second;
    out << " " << s.strings("group")[i] << " " << pct(-by_chance[k].first);
  }
  out << "\n  wrote forecast/predictions.csv, bookings_by_rep.csv, company_distribution.csv, "
         "closed_by.csv, win_model.json, bookings.svg (open it in a browser)\n";
}

}  // namespace spm::cli
