// Seeded benchmark inputs, built outside the timed loops.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <spm/core/random.hpp>
#include <spm/io/csv.hpp>

namespace spm::bench {

/// The 10-column numeric/date CSV used for the read benchmark (same layout as
/// benchmarks/peers/csv_read.py writes): id, opened, closed, quantity, amount, unit_price,
/// discount, rate, cost, margin.
inline std::string numeric_csv(std::size_t rows, std::uint64_t seed = 42) {
  Random rng(seed);
  std::string out = "id,opened,closed,quantity,amount,unit_price,discount,rate,cost,margin\n";
  out.reserve(rows * 100);
  char line[256];
  for (std::size_t i = 0; i < rows; ++i) {
    const Date opened = Date(2020, 1, 1) + static_cast<std::int32_t>(rng.below(1500));
    const Date closed = opened + static_cast<std::int32_t>(rng.below(200));
    const auto qty = rng.below(500) + 1;
    const auto cents = rng.below(100000000);
    const auto price = rng.below(10000000);
    const auto disc = rng.below(3000);
    const auto rate = rng.below(1000000);
    const auto cost = rng.below(50000000);
    const auto margin = rng.below(20000000);
    const int n = std::snprintf(
        line, sizeof line,
        "%zu,%s,%s,%llu,%llu.%02llu,%llu.%04llu,0.%04llu,0.%06llu,%llu.%02llu,-%llu.%02llu\n", i,
        opened.to_string().c_str(), closed.to_string().c_str(),
        static_cast<unsigned long long>(qty), static_cast<unsigned long long>(cents / 100),
        static_cast<unsigned long long>(cents % 100), static_cast<unsigned long long>(price / 10000),
        static_cast<unsigned long long>(price % 10000), static_cast<unsigned long long>(disc),
        static_cast<unsigned long long>(rate), static_cast<unsigned long long>(cost / 100),
        static_cast<unsigned long long>(cost % 100), static_cast<unsigned long long>(margin / 100),
        static_cast<unsigned long long>(margin % 100));
    out.append(line, static_cast<std::size_t>(n));
  }
  return out;
}

inline std::vector<io::ColumnSpec> numeric_schema() {
  using io::ColumnType;
  return {{"id", ColumnType::integer},         {"opened", ColumnType::date},
          {"closed", ColumnType::date},        {"quantity", ColumnType::integer},
          {"amount", ColumnType::decimal},     {"unit_price", ColumnType::decimal},
          {"discount", ColumnType::decimal},   {"rate", ColumnType::decimal},
          {"cost", ColumnType::decimal},       {"margin", ColumnType::decimal}};
}

}  // namespace spm::bench
