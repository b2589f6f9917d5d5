// Exact decimal kernels: the per-line cost of commission arithmetic.
#include <benchmark/benchmark.h>

#include <vector>

#include <spm/core/allocate.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/random.hpp>

namespace {

std::vector<spm::Decimal> amounts(std::size_t n) {
  spm::Random rng(7);
  std::vector<spm::Decimal> v;
  for (std::size_t i = 0; i < n; ++i) {
    v.push_back(spm::Decimal::from_units(static_cast<std::int64_t>(rng.below(100'000'000)), 2));
  }
  return v;
}

void BM_DecimalSum(benchmark::State& state) {
  const auto v = amounts(100'000);
  for (auto _ : state) {
    spm::Decimal s;
    for (const auto& x : v) s += x;
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * v.size()));
}
BENCHMARK(BM_DecimalSum);

void BM_DecimalMulRound(benchmark::State& state) {
  const auto v = amounts(100'000);
  const auto rate = spm::Decimal::parse("0.0725");
  for (auto _ : state) {
    spm::Decimal s;
    for (const auto& x : v) s += spm::Decimal::mul(x, rate, 2);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * v.size()));
}
BENCHMARK(BM_DecimalMulRound);

void BM_DecimalProductFraction(benchmark::State& state) {
  const auto v = amounts(100'000);
  const auto rate = spm::Decimal::parse("0.0725");
  const spm::Fraction f(17, 31);
  for (auto _ : state) {
    spm::Decimal s;
    for (const auto& x : v) s += spm::Decimal::product(x, rate, f, 2);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * v.size()));
}
BENCHMARK(BM_DecimalProductFraction);

void BM_Allocate(benchmark::State& state) {
  const auto w = amounts(static_cast<std::size_t>(state.range(0)));
  const auto total = spm::Decimal::parse("1234567.89");
  for (auto _ : state) benchmark::DoNotOptimize(spm::allocate(total, w, 2));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * state.range(0)));
}
BENCHMARK(BM_Allocate)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
