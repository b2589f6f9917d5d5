// Forecast kernels on seeded pipelines (targets from the forecasting issue):
// - exact bookings distribution, 10,000 deals on a lattice of ~1M points: < 1 s on one core;
// - Monte Carlo, 100,000 scenarios x 10,000 deals with a shared period factor: < 2 s on one
//   core, near-linear in threads;
// - win model fit, 78,000 closed deals x 30 features (numeric and one-hot).
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include <spm/core/random.hpp>
#include <spm/forecast/bookings.hpp>
#include <spm/forecast/win_model.hpp>
#include <spm/io/csv.hpp>

#include <cstdlib>
#include <filesystem>

namespace {

using spm::Decimal;

struct Pipeline {
  std::vector<double> p;
  std::vector<Decimal> amount;
};

// Deals worth 1,000-200,000 in whole hundreds, lognormal; probabilities from a beta-like shape.
Pipeline pipeline(std::size_t n) {
  spm::Random rng(42);
  Pipeline d;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = rng.uniform();
    d.p.push_back(0.05 + 0.9 * u * u);
    const auto hundreds = static_cast<std::int64_t>(std::clamp(rng.lognormal(5.5, 0.9), 10.0, 2000.0));
    d.amount.push_back(Decimal(hundreds * 100));
  }
  return d;
}

void BM_ExactBookings(benchmark::State& state) {
  const auto d = pipeline(static_cast<std::size_t>(state.range(0)));
  spm::forecast::LatticeOptions lattice;
  lattice.step = Decimal(static_cast<std::int64_t>(state.range(1)));
  lattice.max_points = std::size_t{1} << 22;
  std::size_t points = 0;
  for (auto _ : state) {
    auto r = spm::forecast::exact_bookings(d.p, d.amount, lattice);
    points = r.pmf.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["lattice_points"] = static_cast<double>(points);
}
// Step 100 keeps every amount exact; 10,000 deals of mean ~33,000 make ~3.3M points, so step 300
// gives ~1.2M points (two amounts in three split between neighbouring points).
BENCHMARK(BM_ExactBookings)->Args({10'000, 300})->Args({1'000, 100})->Unit(benchmark::kMillisecond);

void BM_MonteCarlo(benchmark::State& state) {
  const auto d = pipeline(10'000);
  spm::forecast::MonteCarloOptions o;
  o.scenarios = static_cast<std::size_t>(state.range(0));
  o.period_sd = 0.3;
  o.lattice.step = Decimal(static_cast<std::int64_t>(state.range(2)));
  o.lattice.max_points = std::size_t{1} << 23;
  const auto context = spm::ExecutionContext().threads(static_cast<unsigned>(state.range(1))).seed(1);
  for (auto _ : state) {
    auto r = spm::forecast::simulate_bookings(d.p, d.amount, o, context);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0) * 10'000);
}
// Step 100 keeps every amount on the lattice; step 300 puts two in three between points (split).
BENCHMARK(BM_MonteCarlo)
    ->Args({100'000, 1, 100})
    ->Args({100'000, 2, 100})
    ->Args({100'000, 1, 300})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Saddlepoint(benchmark::State& state) {
  const auto d = pipeline(static_cast<std::size_t>(state.range(0)));
  std::vector<double> q;
  for (int k = 1; k <= 100; ++k) q.push_back((k - 0.5) / 100);
  for (auto _ : state) {
    const spm::forecast::SaddlepointBookings sp(d.p, d.amount);
    auto r = sp.quantiles(q);
    benchmark::DoNotOptimize(r);
  }
}
// Target: 100 quantiles of 100,000 deals in < 50 ms on one core.
BENCHMARK(BM_Saddlepoint)->Arg(100'000)->Unit(benchmark::kMillisecond);

spm::io::Table closed_deals(std::size_t n) {
  spm::Random rng(9);
  std::vector<std::vector<double>> numeric(10, std::vector<double>(n));
  std::vector<std::vector<std::string>> cat(4, std::vector<std::string>(n));
  std::vector<std::string> outcome(n);
  for (std::size_t i = 0; i < n; ++i) {
    double t = -1.2;
    for (std::size_t j = 0; j < numeric.size(); ++j) {
      numeric[j][i] = rng.normal();
      t += (j < 4 ? 0.4 : 0.0) * numeric[j][i];
    }
    for (std::size_t j = 0; j < cat.size(); ++j) {
      const auto level = rng.below(5);
      cat[j][i] = "L" + std::to_string(level);
      t += j == 0 ? 0.2 * static_cast<double>(level) : 0.0;
    }
    outcome[i] = rng.uniform() < 1 / (1 + std::exp(-t)) ? "won" : "lost";
  }
  spm::io::Table table;
  for (std::size_t j = 0; j < numeric.size(); ++j) table.add(spm::io::Column::of("x" + std::to_string(j), numeric[j]));
  for (std::size_t j = 0; j < cat.size(); ++j) table.add(spm::io::Column::of("c" + std::to_string(j), cat[j]));
  table.add(spm::io::Column::of("outcome", outcome));
  return table;
}

void BM_WinModelFit(benchmark::State& state) {
  const auto table = closed_deals(static_cast<std::size_t>(state.range(0)));
  spm::forecast::WinModelOptions o;
  for (int j = 0; j < 10; ++j) o.numeric.push_back("x" + std::to_string(j));
  for (int j = 0; j < 4; ++j) o.categorical.push_back("c" + std::to_string(j));
  const auto context = spm::ExecutionContext().threads(static_cast<unsigned>(state.range(1)));
  for (auto _ : state) {
    auto m = spm::forecast::WinModel::fit(table, o, context);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_WinModelFit)->Args({78'000, 1})->Args({78'000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

// The real win/loss table (../shared/data, or $SPM_DATA_DIR) with the features known before close:
// 78,025 deals, 5 numeric and 5 categorical features (the peer script's setup).
void BM_WinModelFitWinLoss(benchmark::State& state) {
  const char* dir = std::getenv("SPM_DATA_DIR");
  const std::filesystem::path path =
      std::filesystem::path(dir != nullptr ? dir : "../shared/data") / "sales_win_loss" / "WA_Fn-UseC_-Sales-Win-Loss.csv";
  if (!std::filesystem::exists(path)) {
    state.SkipWithError(("no data at " + path.string()).c_str());
    return;
  }
  spm::forecast::WinModelOptions o;
  o.outcome = "Opportunity Result";
  o.numeric = {"Opportunity Amount USD", "Client Size By Revenue", "Client Size By Employee Count",
               "Revenue From Client Past Two Years", "Deal Size Category"};
  o.categorical = {"Supplies Subgroup", "Supplies Group", "Region", "Route To Market", "Competitor Type"};
  std::vector<spm::io::ColumnSpec> schema{{o.outcome, spm::io::ColumnType::string, false, true}};
  for (const auto& c : o.numeric) schema.push_back({c, spm::io::ColumnType::float64, false, true});
  for (const auto& c : o.categorical) schema.push_back({c, spm::io::ColumnType::string, false, true});
  const auto table = spm::io::read_csv(path, schema).table;
  const auto context = spm::ExecutionContext().threads(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    auto m = spm::forecast::WinModel::fit(table, o, context);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * table.num_rows()));
}
BENCHMARK(BM_WinModelFitWinLoss)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
