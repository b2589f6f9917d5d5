#include <spm/forecast/rollup.hpp>

#include <cmath>
#include <map>
#include <optional>
#include <sstream>

#include <spm/core/allocate.hpp>
#include <spm/core/error.hpp>
#include <spm/forecast/win_model.hpp>

#include "columns.hpp"

namespace spm::forecast {

namespace {

std::string quantile_name(double q) {
  const double pct = q * 100;
  const auto whole = static_cast<long long>(std::llround(pct));
  if (std::abs(pct - static_cast<double>(whole)) < 1e-9) return "p" + std::to_string(whole);
  auto text = std::to_string(pct);
  while (!text.empty() && text.back() == '0') text.pop_back();
  return "p" + text;
}

// A probability to 6 significant digits of itself or of its complement, whichever is smaller:
// the binary and FFT noise past them (0.02562999999999939) is not worth printing, and a chance
// near 1 keeps its distance from 1 (0.99999987, not 1).
double round_probability(double p) {
  const double small = std::min(p, 1 - p);
  if (!(small > 0)) return p;
  const double scale = std::pow(10.0, 5 - std::floor(std::log10(small)));
  return std::round(p * scale) / scale;
}

// A saddlepoint group one deal dominates: what the results cannot be trusted for, and what to use.
std::string dominated_note(const std::string& group, const SaddlepointBookings& sp) {
  std::ostringstream ratio;
  ratio.precision(3);
  ratio << sp.dominant_ratio();
  const std::string how = std::isinf(sp.dominant_ratio())
                              ? "the only uncertain one"
                              : ratio.str() + " times the standard deviation of the other deals' total";
  return "group '" + group + "': one deal of " + Decimal::from_double(sp.dominant_amount(), 2).to_string() +
         " is " + how +
         ": the total has separate modes (that deal won or not), which the saddlepoint cannot represent (its "
         "probabilities can be off by 0.05 or more); use the exact or monte_carlo method";
}

std::map<std::string, Decimal, std::less<>> read_targets(const io::Table& t, const std::string& group,
                                                         detail::Rejects& rejects) {
  const auto* g = detail::find_column(t, group.empty() ? "group" : group);
  if (g == nullptr) g = &detail::require_column(t, "targets", "group");
  const auto names = detail::string_column(*g, "targets");
  const auto& target = detail::money_column(t, "targets", "target");
  std::map<std::string, Decimal, std::less<>> out;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    if (target.is_null(r)) {  // neither used nor silently dropped
      rejects.add(detail::row_number(t, r), "target", "",
                  "targets: no target for '" + std::string(names[r]) + "'; fill it or leave the row out");
      continue;
    }
    const Decimal v = detail::money_at(target, r);
    if (!out.emplace(std::string(names[r]), v).second) {
      throw InvalidInputError("forecast.target", "targets row " + std::to_string(detail::row_number(t, r)),
                              "'" + std::string(names[r]) + "' has two targets; keep one");
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(DistributionMethod m) noexcept {
  switch (m) {
    case DistributionMethod::exact: return "exact";
    case DistributionMethod::monte_carlo: return "monte_carlo";
    case DistributionMethod::saddlepoint: return "saddlepoint";
  }
  return "exact";
}

DistributionMethod parse_distribution_method(std::string_view text) {
  if (text == "exact") return DistributionMethod::exact;
  if (text == "monte_carlo" || text == "monte-carlo") return DistributionMethod::monte_carlo;
  if (text == "saddlepoint") return DistributionMethod::saddlepoint;
  throw InvalidInputError("forecast.options", "method",
                          "unknown method '" + std::string(text) + "'; use exact, monte_carlo or saddlepoint");
}

Rollup forecast_bookings(const io::Table& deals, const io::Table* targets, const RollupOptions& options,
                         const ExecutionContext& context) {
  // Only the simulation has a period factor: under another method it would be silently ignored.
  if (options.monte_carlo.period_sd != 0 && options.method != DistributionMethod::monte_carlo) {
    std::ostringstream sd;
    sd << options.monte_carlo.period_sd;
    throw InvalidInputError("forecast.options", "period_sd",
                            "period_sd " + sd.str() + " is used by the monte_carlo method only; the " +
                                std::string(to_string(options.method)) +
                                " method treats deals as independent: choose monte_carlo, or leave "
                                "period_sd at 0");
  }
  for (std::size_t k = 0; k < options.quantiles.size(); ++k) {
    const double q = options.quantiles[k];
    if (!(q >= 0 && q <= 1)) throw InvalidInputError("forecast.options", "quantiles", "quantiles must be in [0, 1]");
    // Each names a summary column: two with one name would collide there.
    for (std::size_t j = 0; j < k; ++j) {
      if (quantile_name(options.quantiles[j]) == quantile_name(q)) {
        throw InvalidInputError("forecast.options", "quantiles[" + std::to_string(k) + "]",
                                "the quantile " + quantile_name(q) + " is asked for twice; give each once");
      }
    }
  }
  const auto prob = detail::numeric_column(detail::require_column(deals, "deals", options.probability), "deals");
  const auto& amount_col = detail::money_column(deals, "deals", options.amount);
  std::optional<io::StringsView> group;
  const io::Column* group_col = nullptr;
  if (!options.group.empty()) {
    group_col = &detail::require_column(deals, "deals", options.group);
    group = detail::string_column(*group_col, "deals");
  }
  detail::Rejects rejects;
  std::vector<double> p;
  std::vector<Decimal> amount;
  std::map<std::string, std::vector<std::size_t>, std::less<>> members;  // group -> positions in p
  const auto& prob_col = detail::require_column(deals, "deals", options.probability);
  // Each row checked first; duplicate ids are judged among the rows that pass.
  const auto keep = detail::valid_rows(deals, options.id, rejects, [&](std::size_t r) {
    const auto row = detail::row_number(deals, r);
    if (prob.valid[r] == 0 || prob.values[r] < 0 || prob.values[r] > 1) {
      // Text that does not parse gets the reader's reason, as in the CLI (found by a user test).
      const auto unread = prob.unreadable.find(r);
      rejects.add(row, options.probability, prob_col.text(r),
                  unread != prob.unreadable.end()               ? unread->second
                  : prob_col.is_null(r) || prob_col.text(r).empty() ? std::string("no probability; fill it (0 to 1)")
                                                                  : std::string("the probability must be between 0 and 1"));
      return false;
    }
    if (amount_col.is_null(r)) {
      rejects.add(row, options.amount, "", "no amount; fill it");
      return false;
    }
    const Decimal a = detail::money_at(amount_col, r);
    if (a.sign() < 0) {
      rejects.add(row, options.amount, a.to_string(), "the amount is negative");
      return false;
    }
    return true;
  });
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (keep[r] == 0) continue;
    if (group) {
      // Deals without a group still count in the total: they form their own group.
      const bool none = group_col->is_null(r) || (*group)[r].empty();
      members[none ? std::string(missing_group) : std::string((*group)[r])].push_back(p.size());
    }
    p.push_back(prob.values[r]);
    amount.push_back(detail::money_at(amount_col, r));
  }
  // Every group's deals are among all deals: one check of the total covers them.
  spm::detail::int128 total_amount = 0;
  for (const auto& a : amount) {
    if (a.raw() > max_total_amount.raw() - total_amount) {
      throw InvalidInputError("forecast.amount", options.amount,
                              "the amounts in column '" + options.amount + "' add up to more than " +
                                  max_total_amount.to_string() +
                                  ", the largest total a forecast takes; state them in thousands or millions");
    }
    total_amount += a.raw();
  }
  const auto goals = targets != nullptr ? read_targets(*targets, options.group, rejects)
                                        : std::map<std::string, Decimal, std::less<>>{};
  // A target for a group with no open deal keeps its row: nothing in the pipeline, not nothing said.
  // Without groups, a group's target would have no row at all.
  for (const auto& [name, goal] : goals) {
    if (name == all_groups) continue;
    if (!group) {
      throw InvalidInputError("forecast.target", "targets",
                              "'" + name + "' targets a group, but no group column was given; give one or target only '" +
                                  all_groups + "'");
    }
    members[name];
  }
  const Arrivals none;
  const auto arrivals_of = [&](const std::string& name) -> const Arrivals& {
    const auto it = options.arrivals.find(name);
    return it != options.arrivals.end() ? it->second : none;
  };
  // Saddlepoint serves large groups only; a group of a few deals gets the exact distribution, and
  // so does one with new-deal arrivals (the saddlepoint covers the open pipeline only).
  constexpr std::size_t saddlepoint_min_deals = 200;
  const auto uses_saddlepoint = [&](std::size_t n, const std::string& name) {
    return options.method == DistributionMethod::saddlepoint && n >= saddlepoint_min_deals &&
           !(arrivals_of(name).rate > 0);
  };
  const auto distribution = [&](const std::vector<double>& gp, const std::vector<Decimal>& ga, const std::string& name) {
    const Arrivals& arrivals = arrivals_of(name);
    if (options.method == DistributionMethod::monte_carlo) {
      auto mc = options.monte_carlo;
      mc.arrivals = arrivals;
      return simulate_bookings(gp, ga, mc, context);
    }
    return exact_bookings(gp, ga, options.monte_carlo.lattice, arrivals);
  };
  std::vector<std::string> names, method;
  std::vector<std::int64_t> count;
  std::vector<Decimal> expected, step;
  std::vector<double> sd, reach, lattice_sd;
  std::vector<std::uint8_t> reach_valid, target_valid, step_valid;
  std::vector<std::string> notes;
  std::vector<Decimal> target;
  std::vector<std::vector<Decimal>> qs(options.quantiles.size());
  // One summary row: from a distribution on a lattice, or from the saddlepoint approximation.
  std::vector<Decimal> unrounded;  // each row's expected total before its rounding to the cent
  const auto add_row = [&](const std::string& name, const std::vector<double>& gp, const std::vector<Decimal>& ga,
                           BookingsDistribution* total) {
    names.push_back(name);
    unrounded.push_back(detail::expected_bookings_unrounded(gp, ga, arrivals_of(name)));
    count.push_back(static_cast<std::int64_t>(gp.size()));
    const auto it = goals.find(name);
    target.push_back(it != goals.end() ? it->second : Decimal());
    target_valid.push_back(it != goals.end() ? 1 : 0);
    reach_valid.push_back(it != goals.end() ? 1 : 0);
    if (uses_saddlepoint(gp.size(), name)) {
      const SaddlepointBookings sp(gp, ga);
      expected.push_back(expected_bookings(gp, ga));  // exact, not the approximation's double
      sd.push_back(sp.sd());
      const auto q = sp.quantiles(options.quantiles);
      for (std::size_t k = 0; k < qs.size(); ++k) qs[k].push_back(q[k]);
      reach.push_back(it != goals.end() ? round_probability(sp.probability_at_least(it->second)) : 0.0);
      method.emplace_back("saddlepoint");
      step.emplace_back();
      step_valid.push_back(0);
      lattice_sd.push_back(0);
      if (sp.dominant_ratio() > SaddlepointBookings::dominant_limit) notes.push_back(dominated_note(name, sp));
      if (total != nullptr) {
        total->deals = gp.size();
        total->mean = expected.back();
        total->sd = sp.sd();
        total->method = "saddlepoint";
      }
      return;
    }
    auto d = distribution(gp, ga, name);
    expected.push_back(d.mean);
    sd.push_back(d.sd);
    for (std::size_t k = 0; k < qs.size(); ++k) qs[k].push_back(d.quantile(options.quantiles[k]));
    reach.push_back(it != goals.end() ? round_probability(d.probability_at_least(it->second)) : 0.0);
    method.push_back(d.method);
    step.push_back(d.step);
    step_valid.push_back(1);
    lattice_sd.push_back(d.lattice_sd);
    if (total != nullptr) *total = std::move(d);
  };
  for (const auto& [name, idx] : members) {
    std::vector<double> gp;
    std::vector<Decimal> ga;
    for (const auto i : idx) {
      gp.push_back(p[i]);
      ga.push_back(amount[i]);
    }
    add_row(name, gp, ga, nullptr);
  }
  Rollup out;
  add_row(all_groups, p, amount, &out.total);
  // The groups' expected totals add up to "(all)" to the cent, as reported: the total's cents
  // are allocated over the groups by largest remainder (each group rounded alone, four deals of
  // 0.005 each would report 0.00 each beside a total of 0.02). Only when the groups' exact
  // expectations add up to the total's: arrivals estimated per group need not.
  if (!members.empty()) {
    const std::span<const Decimal> groups(unrounded.data(), unrounded.size() - 1);
    Decimal sum;
    for (const auto& v : groups) sum += v;
    if (sum == unrounded.back() && sum.sign() > 0) {
      const auto parts = spm::allocate(expected.back(), groups, 2);
      std::copy(parts.begin(), parts.end(), expected.begin());
    }
  }
  io::Table t;
  t.add(io::Column::of("group", std::move(names)));
  t.add(io::Column::of("deals", std::move(count)));
  t.add(io::Column::of("expected", std::move(expected)));
  t.add(io::Column::of("sd", std::move(sd)));
  for (std::size_t k = 0; k < qs.size(); ++k) t.add(io::Column::of(quantile_name(options.quantiles[k]), std::move(qs[k])));
  auto tc = io::Column::of("target", std::move(target));
  tc.set_validity(std::move(target_valid));
  t.add(std::move(tc));
  auto rc = io::Column::of("p_reach_target", std::move(reach));
  rc.set_validity(std::move(reach_valid));
  t.add(std::move(rc));
  t.add(io::Column::of("method", std::move(method)));
  auto sc = io::Column::of("step", std::move(step));
  sc.set_validity(step_valid);
  t.add(std::move(sc));
  auto lc = io::Column::of("lattice_sd", std::move(lattice_sd));
  lc.set_validity(std::move(step_valid));
  t.add(std::move(lc));
  out.summary = std::move(t);
  out.notes = std::move(notes);
  out.rejects = rejects.table();
  return out;
}

std::map<std::string, Arrivals> estimate_arrivals(const io::Table& deals, const ArrivalOptions& o, io::Table* rejected) {
  if (o.window_days < 1 || o.windows < 1) {
    throw InvalidInputError("forecast.options", "windows", "use at least one window of at least one day");
  }
  const auto& created = detail::date_column(deals, "history", o.created);
  const auto& closed = detail::date_column(deals, "history", o.closed);
  const auto& amount = detail::money_column(deals, "history", o.amount);
  const auto& outcome = detail::require_column(deals, "history", o.outcome);
  const auto y = detail::read_outcomes(outcome, "history");
  std::optional<io::StringsView> group;
  if (!o.group.empty()) group = detail::string_column(detail::require_column(deals, "history", o.group), "history");
  std::map<std::string, Arrivals> out;
  out[all_groups];
  const Date first = o.as_of - o.window_days * o.windows;
  detail::Rejects rejects;
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (created.is_null(r) || amount.is_null(r) || outcome.is_null(r)) continue;
    const Date c = created.values<Date>()[r];
    if (c < first || !(c < o.as_of)) continue;
    const auto row = detail::row_number(deals, r);
    if (detail::outcome_without_close(outcome, closed, r)) {  // won when? not an arrival we can place
      detail::reject_outcome_without_close(rejects, row, outcome, r, o.closed);
      continue;
    }
    if (closed.is_null(r)) continue;  // still open
    if (closed.values<Date>()[r] < c) {
      rejects.add(row, o.closed, closed.text(r), "the close date is before the creation date " + created.text(r));
      continue;
    }
    if (detail::money_at(amount, r).sign() < 0) {
      rejects.add(row, o.amount, amount.text(r), "the amount is negative; a deal's amount is 0 or more");
      continue;
    }
    if (y[r] == -2) {
      rejects.add(row, o.outcome, outcome.text(r), detail::unknown_outcome_reason(outcome.text(r)));
      continue;
    }
    // The window the deal was created in, and whether it was won before that window ended.
    const auto k = (c - first) / o.window_days;
    const Date end = first + static_cast<std::int32_t>((k + 1) * o.window_days);
    if (!(closed.values<Date>()[r] < end) || y[r] != 1) continue;
    const auto a = detail::money_at(amount, r);
    out[all_groups].amounts.push_back(a);
    if (group) out[std::string((*group)[r])].amounts.push_back(a);
  }
  for (auto& [name, a] : out) a.rate = static_cast<double>(a.amounts.size()) / o.windows;
  if (rejected != nullptr) *rejected = rejects.table();
  return out;
}

}  // namespace spm::forecast
