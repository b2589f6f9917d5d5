// Internals shared by the allocation sources: the hierarchy and each node's method inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <spm/quota/allocation.hpp>

namespace spm::quota::detail {

/// What the methods read for one node; internal nodes hold the sums of their reps.
struct Basis {
  Decimal sales;       ///< base-window sales (imputed for new hires)
  Decimal last_quota;  ///< last period's quota (0 when unknown)
  std::vector<Decimal> factors;  ///< one per AllocationOptions::factors
  Decimal expected;    ///< equal_probability: mean of sales over the base window
  double variance = 0;  ///< equal_probability: variance of that total (sums for internal nodes)
  Decimal fitted;      ///< regression: fitted sales (floored at zero)
  Decimal ratchet;     ///< ratchet: last quota moved by the up/down weights
  bool has_history = false;  ///< reps: sales came from history rows (not imputed)
  std::string note;    ///< how a rep's inputs were found (imputed history, fitted values)
};

struct Node {
  std::string id;
  int parent = -1;
  std::vector<int> children;  ///< sorted by id
  int depth = 0;
  bool is_rep = false;
  Basis basis;
  std::optional<Decimal> reference;  ///< for change constraints and change_percent
  Decimal lo;                        ///< bounds after rounding to the increment
  std::optional<Decimal> hi;         ///< none = no cap
  bool locked = false;
  Decimal quota_target;    ///< a target from the targets table (roots; locks lower nodes)
  std::string floor_note;  ///< why lo is what it is (reps), for the trace
  std::string cap_note;    ///< why hi is what it is
};

/// The method's share of `total` among `members` (indices into nodes): exact enough for
/// constraint checks (12 places), summing to `total` up to a few 10^-12. `notes` gets one
/// sentence per member saying how its share was found.
std::vector<Decimal> method_shares(const std::vector<Node>& nodes, const std::vector<int>& members,
                                   const Decimal& total, const AllocationOptions& options,
                                   std::vector<std::string>* notes);

/// Regression: fits base sales on the factors over the reps with history (ordinary least squares
/// with an intercept) and sets every rep's `fitted` (floored at zero). Returns the fit in words.
/// Throws InvalidInputError "quota.regression" when there are too few reps to fit.
std::string fit_regression(std::vector<Node>& nodes, const AllocationOptions& options);

/// "1,234,567.89"-free plain text with the fewest decimals: for notes.
std::string text(const Decimal& d);

}  // namespace spm::quota::detail
