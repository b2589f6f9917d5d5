// Pipeline analytics around the forecast: amounts at close, slipping close dates, forecast
// categories, scenario overrides, snapshot differences and each rep's capacity by deal size.
// Every function reads deal tables by column name; bad rows go to rejects.
#pragma once

#include <string>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>
#include <spm/io/table.hpp>

namespace spm::forecast {

/// What deals close for, against what they were worth while open, by segment.
struct AmountRatioOptions {
  std::string amount = "amount";              ///< decimal: the amount while open
  std::string close_amount = "close_amount";  ///< decimal: the amount booked when won
  std::string outcome = "outcome";
  std::string segment;                        ///< e.g. "segment"; empty: one ratio for all
};
struct AmountRatios {
  /// segment, won_deals, amount, close_amount, ratio (close / open, 6 places): one row per
  /// segment, then "(all)".
  io::Table ratios;
  io::Table rejects;
};
[[nodiscard]] AmountRatios amount_ratios(const io::Table& deals, const AmountRatioOptions& options);
/// The expected amount at close of each deal: amount x its segment's ratio ("(all)" for a segment
/// with no won deal), to the cent. Adds column `expected_amount` to a copy of `deals`.
[[nodiscard]] io::Table expected_close_amounts(const io::Table& deals, const AmountRatios& ratios,
                                               const AmountRatioOptions& options);

/// How far close dates slip past the expected close date.
struct SlippageOptions {
  std::string expected_close = "expected_close_date";
  std::string closed = "close_date";
  std::string created = "created_date";
  Date as_of;  ///< deals closed before it are measured; open ones past their date are overdue
};
struct Slippage {
  std::size_t closed = 0;            ///< closed deals with an expected date
  double share_late = 0;             ///< closed after the expected date
  double p10 = 0, p50 = 0, p90 = 0;  ///< days late (negative: early)
  std::size_t open = 0, overdue = 0; ///< open on as_of, and of them past their expected date
  io::Table rejects;
};
[[nodiscard]] Slippage slippage(const io::Table& deals, const SlippageOptions& options);

/// Forecast categories (Closed, Commit, Best Case, Pipeline, Omitted) rolled up per group.
struct CategoryOptions {
  std::string category = "forecast_category";
  std::string amount = "amount";
  std::string group;  ///< e.g. owner_id; empty: the total only
};
/// group, closed, commit, best_case, pipeline, omitted (amounts), call (closed + commit), upside
/// (call + best case): one row per group, then "(all)". A category other than the five (any
/// case, "best case" / "best_case" / "bestcase") is a reject; rejects ride along as `rejects`.
struct CategoryRollup {
  io::Table table;
  io::Table rejects;
};
[[nodiscard]] CategoryRollup category_rollup(const io::Table& deals, const CategoryOptions& options);

/// Scenario overrides: force a deal won or lost, set its probability, or move its close date.
struct OverrideOptions {
  std::string id = "deal_id";
  std::string probability = "probability";  ///< float64 column to override
  std::string close_date;                   ///< optional date column to move
};
/// `overrides`: id, and any of action (won / lost), probability (float64), close_date (date).
/// Returns a copy of `deals` with the changes and a column `override` saying what changed; an
/// override naming an unknown deal, or with a probability outside [0, 1], is a reject. A deal
/// repeating an earlier deal's id is left out of the copy and listed in `deal_rejects`.
struct Overridden {
  io::Table deals;
  io::Table rejects;       ///< rows of the overrides
  io::Table deal_rejects;  ///< rows of the deals

  std::size_t applied = 0;
};
[[nodiscard]] Overridden apply_overrides(const io::Table& deals, const io::Table& overrides,
                                         const OverrideOptions& options);

/// What changed between two snapshots of the pipeline.
struct SnapshotOptions {
  std::string id = "deal_id";
  std::string amount = "amount";
  std::string close_date = "expected_close_date";
  std::string outcome = "outcome";  ///< won / lost / empty while open
};
/// One row per deal that changed: id, change (new, won, lost, removed, pushed, pulled,
/// amount_changed), amount_before, amount_after, date_before, date_after; and counts per change.
struct SnapshotDiff {
  io::Table changes;
  io::Table summary;  ///< change, deals, amount (after, or before for removed)
  io::Table rejects;
};
[[nodiscard]] SnapshotDiff snapshot_diff(const io::Table& before, const io::Table& after,
                                         const SnapshotOptions& options);

/// Each rep's capacity by deal size: win rates and cycle times per size band, shrunk toward the
/// team (empirical Bayes), and the deals and value the rep can be expected to close per period.
struct CapacityBySizeOptions {
  std::string owner = "owner_id";
  std::string amount = "amount";
  std::string created = "created_date";
  std::string closed = "close_date";
  std::string outcome = "outcome";
  /// Upper bounds of the size bands, positive and strictly ascending ("forecast.options"
  /// otherwise); deals above the last are one more band.
  std::vector<Decimal> bands;
  Date as_of;
  int period_days = 90;  ///< the period the expected closes are per
  int history_days = 365;  ///< how far back deals are counted (created within it)
};
/// owner, band, closed, won, win_rate (raw), win_rate_shrunk, cycle_days (median of won),
/// created_per_period, expected_won_per_period, average_won_amount, expected_value_per_period;
/// and the prior per band: band, team_win_rate, prior_strength (alpha + beta of the beta prior).
struct CapacityBySize {
  io::Table reps;
  io::Table prior;
  io::Table rejects;
};
[[nodiscard]] CapacityBySize capacity_by_size(const io::Table& deals, const CapacityBySizeOptions& options);

}  // namespace spm::forecast
