// Territory balancing on the generated benchmark instances (three measures, tau = 0.05):
// design with contiguity, design without it at scale, and a rebalance after activities change.
#include <benchmark/benchmark.h>

#include <algorithm>

#include <spm/core/random.hpp>
#include <spm/territory/solver.hpp>

namespace {

using namespace spm::territory;

Instance make(std::size_t n, std::size_t p) {
  InstanceOptions o;
  o.units = n;
  o.territories = p;
  o.seed = 1;
  return generate_instance(o);
}

void report(benchmark::State& state, const Solution& s) {
  double worst = 0;
  for (const auto& b : s.metrics.balance) worst = std::max(worst, b.max_deviation);
  state.counters["feasible"] = s.status == SolveStatus::feasible ? 1 : 0;
  state.counters["max_dev"] = worst;
  state.counters["p_median"] = s.metrics.p_median;
}

// Args: units, territories, contiguity (1/0).
void BM_Balance(benchmark::State& state) {
  const auto inst = make(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  Problem pr;
  pr.units = &inst.units;
  pr.territories = inst.territories;
  pr.tolerance = inst.tolerance;
  pr.contiguity = state.range(2) != 0;
  Solution s;
  for (auto _ : state) {
    s = solve(pr, spm::ExecutionContext().seed(1).threads(1));
    benchmark::DoNotOptimize(s.assignment.data());
  }
  report(state, s);
}
BENCHMARK(BM_Balance)->Args({1000, 20, 1})->Args({10000, 100, 1})->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Balance)->Args({100000, 1000, 0})->Unit(benchmark::kMillisecond)->Iterations(1);

// A design, then every activity moved by a factor in [0.9, 1.1]: the rebalance from the design.
void BM_Rebalance(benchmark::State& state) {
  const auto inst = make(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  Problem pr;
  pr.units = &inst.units;
  pr.territories = inst.territories;
  pr.tolerance = inst.tolerance;
  const auto design = solve(pr, spm::ExecutionContext().seed(1).threads(1));
  auto changed = inst.units;
  spm::Random rng(7);
  for (auto& measure : changed.activity) {
    for (auto& v : measure) v *= rng.uniform(0.9, 1.1);
  }
  pr.units = &changed;
  pr.current = design.assignment;
  Solution s;
  for (auto _ : state) {
    s = solve(pr, spm::ExecutionContext().seed(1).threads(1));
    benchmark::DoNotOptimize(s.assignment.data());
  }
  report(state, s);
  state.counters["moved_share"] = static_cast<double>(s.metrics.moved_units) / static_cast<double>(changed.size());
}
BENCHMARK(BM_Rebalance)->Args({1000, 20})->Args({10000, 100})->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
BENCHMARK_MAIN();
