// Bookings forecasts per group (rep, team, region) and for everyone: the distribution of each
// group's total, its quantiles and the probability of reaching a target (a quota).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/core/execution.hpp>
#include <spm/forecast/bookings.hpp>
#include <spm/io/table.hpp>

namespace spm::forecast {

/// exact: on an amount lattice; monte_carlo: simulated with the shared period factor;
/// saddlepoint: for very large groups (a group of fewer than 200 deals still gets exact).
enum class DistributionMethod { exact, monte_carlo, saddlepoint };
[[nodiscard]] std::string_view to_string(DistributionMethod m) noexcept;
/// "exact", "monte_carlo" or "saddlepoint"; InvalidInputError "forecast.options" otherwise.
[[nodiscard]] DistributionMethod parse_distribution_method(std::string_view text);

struct RollupOptions {
  std::string probability = "probability";  ///< P(won in the window), float64 in [0, 1]
  std::string amount = "amount";            ///< the deal's amount at close, decimal >= 0
  std::string group;                        ///< e.g. "owner_id"; empty: only the total
  std::string id;                           ///< optional deal id column: duplicates are rejected
  DistributionMethod method = DistributionMethod::exact;
  /// Its lattice also serves the exact method; a period_sd other than 0 with another method
  /// than monte_carlo throws "forecast.options" (only the simulation has the period factor).
  MonteCarloOptions monte_carlo;
  std::vector<double> quantiles{0.1, 0.5, 0.9};
  /// Deals not created yet, per group name ("(all)" for the total; see estimate_arrivals).
  /// monte_carlo.arrivals is ignored here: each group takes its own.
  std::map<std::string, Arrivals> arrivals;
};

struct ArrivalOptions {
  std::string created = "created_date";
  std::string closed = "close_date";
  std::string outcome = "outcome";
  std::string amount = "amount";  ///< decimal
  std::string group;              ///< e.g. owner_id; empty: the total only
  Date as_of;
  int window_days = 90;
  int windows = 4;  ///< past windows averaged: [as_of - k window, as_of - (k - 1) window)
};

/// Deals not created yet that will be won within the window, from history: in each of the last
/// `windows` windows before `as_of`, the deals created in the window and won before it ended;
/// the rate is their mean count per window, the pool their amounts. One entry per group and
/// "(all)". Saddlepoint groups ignore arrivals (they are for the open pipeline). A history deal
/// closed before it was created, with a negative amount or an unknown outcome is left out and,
/// when `rejects` is given, listed there (row, column, value, reason).
[[nodiscard]] std::map<std::string, Arrivals> estimate_arrivals(const io::Table& deals, const ArrivalOptions& options,
                                                                io::Table* rejects = nullptr);

/// The label of the all-deals row in the summary (and in a targets table).
inline constexpr const char* all_groups = "(all)";
/// The group of deals whose group value is missing or empty: they still count in "(all)".
inline constexpr const char* missing_group = "(missing)";

struct Rollup {
  /// One row per group (sorted; "(missing)" for deals without one), then "(all)": group, deals,
  /// expected, sd, p<q> per quantile (p10, p50, p90), target, p_reach_target (empty without a
  /// target; to 6 significant digits of it or of 1 - it), method, step and lattice_sd (empty for
  /// saddlepoint rows; see BookingsDistribution).
  io::Table summary;
  BookingsDistribution total;  ///< of all deals (saddlepoint: mean, sd and method only, no pmf)
  io::Table rejects;           ///< row, column, value, reason
  /// Cautions about the results, e.g. a saddlepoint group with one deal dominating the total.
  std::vector<std::string> notes;
};

/// `targets` (optional): a table with the group column (or "group") and "target" (decimal);
/// "(all)" targets the total; a target row without a target is a reject ("targets: no target
/// for ..."). Rows with a missing or bad probability or amount go to rejects. The groups'
/// `expected` add up to "(all)"'s to the cent: its cents are allocated over the groups by largest
/// remainder of their exact expectations (unless per-group arrivals make those differ).
[[nodiscard]] Rollup forecast_bookings(const io::Table& deals, const io::Table* targets,
                                       const RollupOptions& options,
                                       const ExecutionContext& context = {});

}  // namespace spm::forecast
