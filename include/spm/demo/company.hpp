// A generated company for `spm demo`, examples and tests: deterministic for a seed.
#pragma once

#include <cstdint>
#include <string_view>

#include <spm/core/currency.hpp>
#include <spm/core/date.hpp>
#include <spm/io/table.hpp>

namespace spm::demo {

/// What to generate. The default is the `spm demo` company.
struct CompanyOptions {
  /// Quota-carrying reps; regions, managers, accounts and deals scale with it.
  std::size_t reps = 40;
  std::uint64_t seed = 42;
  /// History runs for `history_years` whole years before `as_of`; deals still open on `as_of`
  /// are the open pipeline.
  Date as_of = Date(2026, 1, 1);
  int history_years = 2;
  /// Accounts per rep (average).
  std::size_t accounts_per_rep = 40;
  Currency currency = Currency("USD");
};

/// Named sizes: "small" (12 reps), "medium" (40), "large" (400), or a rep count as digits.
/// Throws InvalidInputError "demo.size" otherwise.
[[nodiscard]] std::size_t reps_for_size(std::string_view size);

/// The generated company, one table per entity (columns documented in docs/demo.md).
struct Company {
  io::Table regions;        ///< region_id, name, latitude, longitude
  io::Table payees;         ///< payee_id, name, role, region_id, manager_id, hire_date, termination_date
  io::Table accounts;       ///< account_id, name, region_id, segment, industry, latitude, longitude, employees, potential, owner_id
  io::Table products;       ///< product_id, name, family, list_price, currency
  io::Table opportunities;  ///< deal_id, account_id, owner_id, product_id, source, created_date, expected_close_date, stage, amount, currency, close_date, outcome
  io::Table transactions;   ///< transaction_id, deal_id, payee_id, account_id, product_id, type, date, amount, currency
  io::Table quotas;         ///< payee_id, period_start, quota: quarterly bookings quotas for reps
  io::Table assignments;    ///< payee_id, from, to: reps on the demo plan from hire to termination
  Date as_of;
};

/// Generates the company. Same options, same bytes, on every platform.
[[nodiscard]] Company generate_company(const CompanyOptions& options);

/// The demo's commission plan as JSON (also docs/examples/demo-plan.json): quarterly, marginal
/// tiers 8% / 12% above 100% / 15% above 150% of quota, a yearly cap, an Enterprise SPIF and a
/// year-to-date true-up.
[[nodiscard]] const char* demo_plan_json() noexcept;

}  // namespace spm::demo
