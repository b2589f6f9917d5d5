// Quota allocation end to end (allocate_quotas on tables already built: reading the columns,
// the hierarchy, method shares, constraints, largest-remainder rounding, traces with notes) on a
// seeded five-level org: company -> 10 regions -> 100 areas -> managers -> reps (teams of 5-15).
// Options: blend 0.6 history / 0.4 potential (accounts 0.5, potential 0.5), increment 1000,
// cushions 5% at the company, regions and areas, change limits +25% / -10%, minimum 50,000.
// Target (issue 5): 100k reps with constraints in < 100 ms on one core.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdio>
#include <map>
#include <string>

#include <spm/quota/allocation.hpp>

#include "quota_data.hpp"

namespace {

using spm::Decimal;
using spm::quota::Method;
using spm::quota::StepKind;

const spm::bench::QuotaInstance& instance(std::size_t reps) {
  static std::map<std::size_t, spm::bench::QuotaInstance> cache;
  auto it = cache.find(reps);
  if (it == cache.end()) it = cache.emplace(reps, spm::bench::quota_instance(reps)).first;
  return it->second;
}

spm::quota::AllocationOptions options(Method method) {
  spm::quota::AllocationOptions o;
  o.method = method;
  o.history_weight = Decimal::from_units(6, 1);
  o.factors = {{"accounts", Decimal::from_units(5, 1)}, {"potential", Decimal::from_units(5, 1)}};
  o.increment = Decimal(1000);
  o.cushions = {Decimal::from_units(5, 2), Decimal::from_units(5, 2), Decimal::from_units(5, 2)};
  o.max_increase = Decimal::from_units(25, 2);
  o.max_decrease = Decimal::from_units(10, 2);
  o.min_quota = Decimal(50000);
  return o;
}

// What one allocation did, from a run outside the timed loop: how many reps a constraint moved
// (the point of the benchmark is that they bind), and the size of the result.
struct Facts {
  std::size_t reps = 0, nodes = 0, steps = 0, constraint_steps = 0, constrained_reps = 0;
  std::size_t floored = 0, capped = 0, at_minimum = 0, rejects = 0, violations = 0;
};

Facts facts(const spm::quota::AllocationResult& r) {
  Facts f;
  f.nodes = r.nodes.size();
  f.rejects = r.rejects.num_rows();
  f.violations = r.violations.size();
  for (const auto& n : r.nodes) {
    const auto trace = r.trace(n);
    f.steps += trace.size();
    bool hit = false;
    for (std::size_t i = 0; i < trace.size(); ++i) {
      const auto& s = trace[i];
      if (s.kind != StepKind::constraint) continue;
      ++f.constraint_steps;
      if (n.is_rep) {
        hit = true;
        (s.amount.sign() > 0 ? f.floored : f.capped) += 1;
        if (r.note(n, i).find("minimum quota") != std::string::npos) ++f.at_minimum;
      }
    }
    if (n.is_rep) {
      ++f.reps;
      f.constrained_reps += hit ? 1 : 0;
    }
  }
  return f;
}

void run(benchmark::State& state, Method method) {
  const auto reps = static_cast<std::size_t>(state.range(0));
  const auto& d = instance(reps);
  spm::quota::AllocationInputs in;
  in.targets = &d.targets;
  in.org = &d.org;
  in.reps = &d.reps;
  in.history = &d.history;
  const auto opt = options(method);

  const Facts f = facts(spm::quota::allocate_quotas(in, opt));  // untimed: checks and warm-up
  static std::map<std::pair<int, std::size_t>, bool> printed;
  if (!printed[{static_cast<int>(method), reps}]) {
    printed[{static_cast<int>(method), reps}] = true;
    std::fprintf(stderr,
                 "# %s/%zu: %zu managers, %zu nodes, %zu reps allocated, %zu rejects, %zu "
                 "violations; trace steps %zu, constraint steps %zu (%.1f%%); reps constrained "
                 "%zu (%.1f%%: %zu raised to a floor, %zu of them to min_quota, %zu capped)\n",
                 std::string(spm::quota::to_string(method)).c_str(), reps, d.managers, f.nodes,
                 f.reps, f.rejects, f.violations, f.steps, f.constraint_steps,
                 100.0 * static_cast<double>(f.constraint_steps) / static_cast<double>(f.steps),
                 f.constrained_reps,
                 100.0 * static_cast<double>(f.constrained_reps) / static_cast<double>(f.reps),
                 f.floored, f.at_minimum, f.capped);
  }

  for (auto _ : state) {
    auto r = spm::quota::allocate_quotas(in, opt);
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(reps));
  state.counters["constrained_pct"] =
      100.0 * static_cast<double>(f.constrained_reps) / static_cast<double>(f.reps);
  state.counters["trace_steps"] = static_cast<double>(f.steps);
  state.counters["peak_rss_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void BM_AllocateBlend(benchmark::State& s) { run(s, Method::blend); }
void BM_AllocateHistory(benchmark::State& s) { run(s, Method::history); }
void BM_AllocatePotential(benchmark::State& s) { run(s, Method::potential); }
void BM_AllocateGrowthPercent(benchmark::State& s) { run(s, Method::growth_percent); }
void BM_AllocateGrowthAbsolute(benchmark::State& s) { run(s, Method::growth_absolute); }
void BM_AllocateRegression(benchmark::State& s) { run(s, Method::regression); }
void BM_AllocateEqualProbability(benchmark::State& s) { run(s, Method::equal_probability); }
void BM_AllocateRatchet(benchmark::State& s) { run(s, Method::ratchet); }

BENCHMARK(BM_AllocateBlend)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateHistory)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocatePotential)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateGrowthPercent)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateGrowthAbsolute)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateRegression)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateEqualProbability)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllocateRatchet)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
