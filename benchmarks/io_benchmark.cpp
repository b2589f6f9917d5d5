// CSV read/write throughput on a 10-column numeric/date file (target: >= 200 MB/s per core).
#include <benchmark/benchmark.h>

#include <sstream>

#include "bench_data.hpp"

namespace {

void BM_ReadCsvNumeric(benchmark::State& state) {
  const std::string text = spm::bench::numeric_csv(static_cast<std::size_t>(state.range(0)));
  const auto schema = spm::bench::numeric_schema();
  for (auto _ : state) {
    auto result = spm::io::parse_csv(text, schema);
    benchmark::DoNotOptimize(result.table.num_rows());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["rows"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_ReadCsvNumeric)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_WriteCsvNumeric(benchmark::State& state) {
  const std::string text = spm::bench::numeric_csv(static_cast<std::size_t>(state.range(0)));
  const auto table = spm::io::parse_csv(text, spm::bench::numeric_schema()).table;
  for (auto _ : state) {
    std::ostringstream out;
    spm::io::write_csv(table, out);
    benchmark::DoNotOptimize(out.tellp());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_WriteCsvNumeric)->Arg(200'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
