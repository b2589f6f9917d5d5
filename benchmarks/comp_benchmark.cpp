// The commission engine end to end (crediting to explained lines, no file parsing) on the demo
// plan: marginal tiers with accelerators, yearly cap, SPIF, quarterly with YTD true-up.
// Target (issue 3): >= 10M transactions/s on one core; near-linear in threads.
// BM_WhatIf (issue 4): 100 variants of the demo plan over 1M transactions, one core, < 2 s
// (collapsed credits; the exact mode is measured beside it).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <spm/comp/engine.hpp>
#include <spm/comp/whatif.hpp>
#include <spm/core/random.hpp>
#include <spm/io/arrow.hpp>
#include <spm/demo/company.hpp>

namespace {

struct Data {
  spm::io::Table transactions;
  spm::io::Table quotas;
  std::size_t input_bytes = 0;
};

// n transactions over 2026 for n/1000 payees (at most 10,000), ~5% Enterprise (SPIF).
Data make(std::size_t n) {
  using spm::io::Column;
  using spm::io::ColumnType;
  spm::Random rng(2026);
  const std::size_t payees = std::clamp<std::size_t>(n / 1000, 10, 10'000);
  std::vector<std::string> ids, payee, type, product;
  std::vector<spm::Date> date;
  std::vector<spm::Decimal> amount;
  ids.reserve(n);
  const spm::Date start(2026, 1, 1);
  char buf[32];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "T%09zu", i);
    ids.emplace_back(buf);
    std::snprintf(buf, sizeof buf, "P%05llu", static_cast<unsigned long long>(rng.below(payees)));
    payee.emplace_back(buf);
    date.push_back(start + static_cast<std::int32_t>(rng.below(365)));
    amount.push_back(spm::Decimal::from_units(
        static_cast<std::int64_t>(rng.lognormal(std::log(300000.0), 0.8)), 2));
    type.emplace_back("booking");
    product.emplace_back(rng.bernoulli(0.05) ? "P-ENTS" : "P-CORE");
  }
  Data d;
  d.input_bytes = n * (sizeof(spm::Date) + sizeof(spm::Decimal) + 4 * sizeof(std::string));
  d.transactions.add(Column::of("transaction_id", std::move(ids)));
  d.transactions.add(Column::of("payee_id", std::move(payee)));
  d.transactions.add(Column::of("date", std::move(date)));
  d.transactions.add(Column::of("amount", std::move(amount)));
  d.transactions.add(Column::of("type", std::move(type)));
  d.transactions.add(Column::of("product_id", std::move(product)));
  // Quarterly quotas so that attainment spreads around 100%.
  const double per_quarter = static_cast<double>(n) / static_cast<double>(payees) / 4.0 * 3700.0;
  std::vector<std::string> q_payee;
  std::vector<spm::Date> q_start;
  std::vector<spm::Decimal> q_value;
  for (std::size_t p = 0; p < payees; ++p) {
    std::snprintf(buf, sizeof buf, "P%05zu", p);
    const double q = per_quarter * rng.uniform(0.6, 1.6);
    for (int k = 0; k < 4; ++k) {
      q_payee.emplace_back(buf);
      q_start.push_back(start.add_months(3 * k));
      q_value.push_back(spm::Decimal(static_cast<std::int64_t>(q / 1000) * 1000 + 1000));
    }
  }
  d.quotas.add(Column::of("payee_id", std::move(q_payee)));
  d.quotas.add(Column::of("period_start", std::move(q_start)));
  d.quotas.add(Column::of("quota", std::move(q_value)));
  return d;
}

// The same tables as spm.from_arrow and Arrow callers hand them over: through the Arrow
// import, which keeps payee, type and product dictionary-encoded (the ids stay plain).
Data encoded(const Data& plain) {
  ArrowArrayStream stream{};
  spm::io::export_table_stream(plain.transactions, &stream);
  Data d;
  d.transactions = spm::io::import_table_stream(&stream);
  for (const char* name : {"payee_id", "type", "product_id"}) {
    if (!d.transactions.column(name).is_dictionary()) {
      throw std::logic_error(std::string("the Arrow import left ") + name + " plain");
    }
  }
  d.input_bytes = plain.transactions.num_rows() *
                  (sizeof(spm::Date) + sizeof(spm::Decimal) + sizeof(std::string) + 3 * 4);
  d.quotas = plain.quotas;
  return d;
}

// Generated once per size: the repetitions reuse it (make() is not timed, but regenerating 10M
// rows for every repetition cost seconds and churned the memory the timed run then used).
const Data& data(std::int64_t n, bool encode = false) {
  static std::map<std::pair<std::int64_t, bool>, Data> cache;
  auto it = cache.find({n, encode});
  if (it == cache.end()) {
    Data d = encode ? encoded(data(n)) : make(static_cast<std::size_t>(n));
    if (encode) cache.erase({n, false});  // 10M plain and encoded side by side would skew RSS
    it = cache.emplace(std::pair{n, encode}, std::move(d)).first;
  }
  return it->second;
}

// Peak RSS from here on (Linux: the high-water mark reset through /proc/self/clear_refs), so
// that making the data (for encoded input: plain, an Arrow copy and the import at once) does not
// count; elsewhere, and when the reset is refused, the process's peak.
void reset_peak_rss() {
  if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}
// Megabytes of 10^6 bytes, like input_MB (VmHWM counts KiB).
double peak_rss_mb() {
  if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    long kb = -1;
    while (std::fgets(line, sizeof line, f) != nullptr) {
      if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
    }
    std::fclose(f);
    if (kb >= 0) return static_cast<double>(kb) * 1024.0 / 1e6;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0 / 1e6;
}

struct CpuSeconds {
  double user = 0, sys = 0;
};
CpuSeconds cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return {s(usage.ru_utime), s(usage.ru_stime)};
}

// range(2) = 1: payee, type and product dictionary-encoded.
void BM_CompDemoPlan(benchmark::State& state) {
  const Data& d = data(state.range(0), state.range(2) != 0);
  reset_peak_rss();
  const auto plan = spm::comp::parse_plan(spm::demo::demo_plan_json());
  spm::comp::CompInputs in;
  in.transactions = &d.transactions;
  in.quotas = &d.quotas;
  spm::ExecutionContext ctx;
  ctx.threads(static_cast<unsigned>(state.range(1)));
  const spm::Period year{spm::Date(2026, 1, 1), spm::Date(2027, 1, 1)};
  std::size_t lines = 0;
  const CpuSeconds before = cpu_seconds();
  for (auto _ : state) {
    auto r = spm::comp::run(plan, in, year, ctx);
    lines = r.lines.num_rows();
    benchmark::DoNotOptimize(r.statements.num_rows());
  }
  const CpuSeconds after = cpu_seconds();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.counters["lines"] = static_cast<double>(lines);
  // CPU seconds per run in the kernel (page faults: zeroing fresh memory) and in user code,
  // summed over threads.
  const auto runs = static_cast<double>(state.iterations());
  state.counters["sys_s"] = (after.sys - before.sys) / runs;
  state.counters["user_s"] = (after.user - before.user) / runs;
  state.counters["peak_rss_MB"] = peak_rss_mb();
  state.counters["input_MB"] = static_cast<double>(d.input_bytes) / 1e6;
}
BENCHMARK(BM_CompDemoPlan)
    ->Args({1'000'000, 1, 0})
    ->Args({1'000'000, 2, 0})
    ->Args({1'000'000, 1, 1})
    ->Args({1'000'000, 2, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_CompDemoPlan)
    ->Args({10'000'000, 1, 0})
    ->Args({10'000'000, 2, 0})
    ->Args({10'000'000, 1, 1})
    ->Args({10'000'000, 2, 1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Variants: every rate scaled by 0.80 .. 1.19 (40 of them), quotas scaled by 0.90 .. 1.19 (30),
// and both (30): what a comp team sweeps before choosing a plan.
void BM_WhatIf(benchmark::State& state) {
  const Data& d = data(state.range(0));
  const auto base = spm::comp::parse_plan(spm::demo::demo_plan_json());
  std::vector<spm::comp::Variant> variants;
  for (int k = 0; k < state.range(1); ++k) {
    spm::comp::Variant v{"v" + std::to_string(k), base, spm::Decimal(1)};
    const spm::Decimal rate_factor = spm::Decimal::from_units(80 + k % 40, 2);
    if (k % 10 < 7) {
      for (auto& c : v.plan.components) {
        for (auto& t : c.tiers) t.rate = spm::Decimal::mul(t.rate, rate_factor);
      }
    }
    if (k % 10 >= 4) v.quota_factor = spm::Decimal::from_units(90 + k % 30, 2);
    variants.push_back(std::move(v));
  }
  spm::comp::CompInputs in;
  in.transactions = &d.transactions;
  in.quotas = &d.quotas;
  spm::ExecutionContext ctx;
  ctx.threads(1);
  const spm::Period year{spm::Date(2026, 1, 1), spm::Date(2027, 1, 1)};
  for (auto _ : state) {
    auto r = spm::comp::what_if(base, variants, in, year, ctx, state.range(2) != 0);
    benchmark::DoNotOptimize(r.summary.num_rows());
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["variants"] = static_cast<double>(state.range(1));
  state.counters["peak_rss_MB"] = static_cast<double>(usage.ru_maxrss) * 1024.0 / 1e6;
}
// Third argument: 1 = exact (every credit kept, each variant equal to a full run to the cent).
BENCHMARK(BM_WhatIf)
    ->Args({1'000'000, 100, 0})
    ->Args({1'000'000, 100, 1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

// What first-touch memory costs on this machine: a page fault per 4 KiB page of a fresh 1 GiB
// block (the floor under any run that writes a large lines table). Argument: GiB held (touched)
// before the measured block, since a VM may back memory beyond what it recently used slowly.
void BM_FirstTouch(benchmark::State& state) {
  constexpr std::size_t gib = std::size_t{1} << 30;
  std::vector<std::unique_ptr<char[]>> held;
  for (std::int64_t k = 0; k < state.range(0); ++k) {
    held.emplace_back(new char[gib]);
    for (std::size_t i = 0; i < gib; i += 4096) held.back()[i] = 1;
  }
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    std::unique_ptr<char[]> block(new char[gib]);
    for (std::size_t i = 0; i < gib; i += 4096) block[i] = 1;
    benchmark::DoNotOptimize(block.get());
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  state.counters["us_per_page"] =
      seconds * 1e6 / (static_cast<double>(state.iterations()) * static_cast<double>(gib / 4096));
}
BENCHMARK(BM_FirstTouch)->Arg(0)->Arg(3)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
