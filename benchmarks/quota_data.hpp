// Seeded quota-allocation instances (issue 5), built outside the timed loops: a five-level sales
// org (company -> regions -> areas -> managers -> reps) with reps, history and one target.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/random.hpp>
#include <spm/io/table.hpp>

namespace spm::bench {

/// The allocation inputs as tables, plus a few facts about them.
struct QuotaInstance {
  io::Table targets;  ///< node_id, target: one row, the company
  io::Table org;      ///< node_id, parent_id (null for the company)
  io::Table reps;     ///< rep_id, parent_id, accounts, potential, last_quota
  io::Table history;  ///< rep_id, period_start, sales: four quarters of 2025 per rep
  std::size_t managers = 0;
  Decimal last_quota_total;
};

/// `reps` reps under CO -> 10 regions -> 10 areas each -> managers -> reps. Teams have 5-15 reps
/// (uniform), so there are about reps / 10 managers, spread over the 100 areas (every area gets
/// one before any gets a second, the rest at random: uneven spans). Per rep a latent capacity c
/// (lognormal around 700k; 3% are ramping reps at 45k-80k so min_quota binds) drives, each with
/// its own noise: last_quota (multiples of 1000), quarterly 2025 sales (cents, seasonal),
/// potential (cents, heavy-tailed) and accounts (whole numbers). The company target is last
/// year's quota total grown 7% and divided by the three 5% cushions, so reps get ~1.07x their
/// last quota in total and the +25% / -10% / 50k constraints bind for a fair share of them.
inline QuotaInstance quota_instance(std::size_t reps, std::uint64_t seed = 2025) {
  using io::Column;
  Random rng(seed);
  QuotaInstance q;
  char buf[32];

  // Org: company, regions, areas.
  std::vector<std::string> node_id{"CO"}, node_parent{""};
  std::vector<std::string> areas;
  for (int r = 1; r <= 10; ++r) {
    std::snprintf(buf, sizeof buf, "RG%02d", r);
    const std::string region = buf;
    node_id.push_back(region);
    node_parent.push_back("CO");
    for (int a = 1; a <= 10; ++a) {
      std::snprintf(buf, sizeof buf, "AR%02d%02d", r, a);
      areas.emplace_back(buf);
      node_id.emplace_back(buf);
      node_parent.push_back(region);
    }
  }

  // Teams of 5-15 until the rep count is reached (a short last team joins the one before).
  std::vector<std::size_t> team;
  for (std::size_t left = reps; left > 0;) {
    std::size_t size = std::min<std::size_t>(5 + rng.below(11), left);
    if (left - size < 5 && left - size > 0) size = left;
    team.push_back(size);
    left -= size;
  }
  q.managers = team.size();

  std::vector<std::string> rep_id, rep_parent;
  std::vector<Decimal> accounts, potential, last_quota;
  std::vector<std::string> h_rep;
  std::vector<Date> h_start;
  std::vector<Decimal> h_sales;
  rep_id.reserve(reps);
  h_rep.reserve(4 * reps);
  const Date year(2025, 1, 1);
  const double season[4] = {0.9, 1.0, 0.95, 1.15};
  std::size_t rep_no = 0;
  for (std::size_t m = 0; m < team.size(); ++m) {
    std::snprintf(buf, sizeof buf, "MG%05zu", m + 1);
    const std::string manager = buf;
    node_id.push_back(manager);
    node_parent.push_back(m < areas.size() ? areas[m] : areas[rng.below(areas.size())]);
    for (std::size_t k = 0; k < team[m]; ++k) {
      std::snprintf(buf, sizeof buf, "REP%06zu", ++rep_no);
      const bool ramping = rng.bernoulli(0.03);
      const double c =
          ramping ? rng.uniform(45000, 80000) : rng.lognormal(std::log(700000.0), 0.45);
      const double lq =
          std::max(ramping ? 45.0 : 10.0, std::round(c * rng.lognormal(0, 0.12) / 1000));
      last_quota.emplace_back(static_cast<std::int64_t>(lq) * 1000);
      q.last_quota_total += last_quota.back();
      potential.push_back(Decimal::from_units(
          std::llround(c * 4.0 * rng.lognormal(0, 0.35) * 100.0), 2));
      accounts.emplace_back(
          std::max<std::int64_t>(1, std::llround(c / 25000 * rng.lognormal(0, 0.3))));
      for (int p = 0; p < 4; ++p) {
        h_rep.emplace_back(buf);
        h_start.push_back(year.add_months(3 * p));
        h_sales.push_back(Decimal::from_units(
            std::llround(c / 4 * season[p] * rng.lognormal(0, 0.2) * 100.0), 2));
      }
      rep_id.emplace_back(buf);
      rep_parent.push_back(manager);
    }
  }

  std::vector<std::uint8_t> valid(node_id.size(), 1);
  valid[0] = 0;  // the company is the root
  auto parent = Column::of("parent_id", std::move(node_parent));
  parent.set_validity(std::move(valid));
  q.org.add(Column::of("node_id", std::move(node_id)));
  q.org.add(std::move(parent));

  q.reps.add(Column::of("rep_id", std::move(rep_id)));
  q.reps.add(Column::of("parent_id", std::move(rep_parent)));
  q.reps.add(Column::of("accounts", std::move(accounts)));
  q.reps.add(Column::of("potential", std::move(potential)));
  q.reps.add(Column::of("last_quota", std::move(last_quota)));

  q.history.add(Column::of("rep_id", std::move(h_rep)));
  q.history.add(Column::of("period_start", std::move(h_start)));
  q.history.add(Column::of("sales", std::move(h_sales)));

  // Reps get ~1.07 x last year's total after the cushions at the company, regions and areas.
  const double grown = q.last_quota_total.to_double() * 1.07 / (1.05 * 1.05 * 1.05);
  q.targets.add(Column::of("node_id", std::vector<std::string>{"CO"}));
  const auto target = static_cast<std::int64_t>(std::llround(grown / 1000)) * 1000;
  q.targets.add(Column::of("target", std::vector<Decimal>{Decimal(target)}));
  return q;
}

}  // namespace spm::bench
