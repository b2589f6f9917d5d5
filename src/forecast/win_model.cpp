// The win model: closed deals -> standardised design matrix -> penalised logistic regression,
// then an optional calibrator fitted on out-of-fold scores.
#include <spm/forecast/win_model.hpp>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <spm/core/error.hpp>
#include <spm/core/random.hpp>

#include "calibration.hpp"
#include "columns.hpp"
#include "design.hpp"
#include "logistic.hpp"

namespace spm::forecast {

namespace {

constexpr std::string_view missing_level = "(missing)";

[[noreturn]] void bad_option(const std::string& path, const std::string& message) {
  throw InvalidInputError("forecast.options", path, message);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void check_options(const WinModelOptions& o) {
  if (!(o.l2 >= 0) || !std::isfinite(o.l2)) bad_option("l2", "l2 must be a finite number >= 0 (1 is the default)");
  if (o.calibration != Calibration::none && o.calibration_folds < 2) {
    bad_option("calibration_folds", "calibration needs at least 2 folds (5 is the default)");
  }
  if (o.max_iterations < 1) bad_option("max_iterations", "max_iterations must be at least 1");
  std::vector<std::string> seen;
  const auto check = [&](const std::vector<std::string>& cols, const char* kind) {
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const auto path = std::string(kind) + "[" + std::to_string(i) + "]";
      if (std::find(o.known_at_close.begin(), o.known_at_close.end(), cols[i]) != o.known_at_close.end()) {
        throw InvalidInputError("forecast.leakage", path,
                                "'" + cols[i] + "' is known only once a deal has closed; a model "
                                "using it would see the answer. Leave it out of the features");
      }
      if (cols[i] == o.outcome) bad_option(path, "'" + cols[i] + "' is the outcome; it cannot be a feature");
      if (std::find(seen.begin(), seen.end(), cols[i]) != seen.end()) {
        bad_option(path, "'" + cols[i] + "' is listed twice as a feature");
      }
      seen.push_back(cols[i]);
    }
  };
  check(o.numeric, "numeric");
  check(o.categorical, "categorical");
}

// The feature columns of one table, read once.
struct Features {
  detail::NumericFeatures numeric;
  std::vector<io::StringsView> categorical;

  Features(const io::Table& t, const WinModelOptions& o) : numeric(t, o.numeric) {
    for (const auto& name : o.categorical) {
      categorical.push_back(detail::string_column(detail::require_column(t, "deals", name), "deals"));
    }
  }

  // Whether row r has every numeric feature; rejects it (first bad column) when not.
  bool usable(std::size_t r, detail::Rejects& rejects) const { return numeric.usable(r, rejects); }

  static std::string_view level(const io::StringsView& s, const io::Column& c, std::size_t r) {
    return c.is_null(r) || s[r].empty() ? missing_level : s[r];
  }
};

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
// A categorical feature's levels and their design columns.
using LevelMap = std::unordered_map<std::string, std::int32_t, TextHash, std::equal_to<>>;

// Per categorical feature: its levels' columns in the design (from the coefficients).
std::vector<LevelMap> level_columns(const WinModelOptions& o, const std::vector<Coefficient>& coef) {
  std::vector<LevelMap> out(o.categorical.size());
  for (std::size_t k = 1 + o.numeric.size(); k < coef.size(); ++k) {
    for (std::size_t j = 0; j < o.categorical.size(); ++j) {
      const auto& prefix = o.categorical[j];
      const auto& f = coef[k].feature;
      if (f.size() > prefix.size() && f.compare(0, prefix.size(), prefix) == 0 && f[prefix.size()] == '=') {
        out[j].emplace(f.substr(prefix.size() + 1), static_cast<std::int32_t>(k));
        break;
      }
    }
  }
  return out;
}

// The design rows for `rows` of `t`: intercept, standardised numerics, each categorical's level
// column (unless `levels_too` is false: the fit fills them itself). Dictionary-encoded columns
// look each distinct text up once.
detail::Design design(const io::Table& t, const WinModelOptions& o, const Features& f,
                      const std::vector<Coefficient>& coef, const std::vector<std::size_t>& rows,
                      bool levels_too = true) {
  detail::Design d;
  d.rows = rows.size();
  d.dense = 1 + f.numeric.size();
  d.cats = f.categorical.size();
  d.cols = coef.size();
  d.x.resize(d.rows * d.dense);
  d.level.assign(d.rows * d.cats, -1);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    double* xi = d.x.data() + i * d.dense;
    xi[0] = 1;
    for (std::size_t j = 0; j < f.numeric.size(); ++j) {
      xi[1 + j] = (f.numeric[j].values[rows[i]] - coef[1 + j].mean) / coef[1 + j].scale;
    }
  }
  if (!levels_too) return d;
  const auto levels = level_columns(o, coef);
  for (std::size_t j = 0; j < f.categorical.size(); ++j) {
    const auto& column = *detail::find_column(t, o.categorical[j]);
    const auto& map = levels[j];
    const auto lookup = [&](std::string_view text) {
      const auto it = map.find(text);
      return it == map.end() ? -1 : it->second;
    };
    const std::int32_t missing = lookup(missing_level);
    if (column.is_dictionary()) {
      const auto& dict = std::get<io::DictionaryStrings>(column.data());
      std::vector<std::int32_t> by_code(dict.dictionary->size());
      for (std::size_t k = 0; k < by_code.size(); ++k) {
        by_code[k] = (*dict.dictionary)[k].empty() ? missing : lookup((*dict.dictionary)[k]);
      }
      for (std::size_t i = 0; i < rows.size(); ++i) {
        d.level[i * d.cats + j] = column.is_null(rows[i]) ? missing : by_code[dict.codes[rows[i]]];
      }
      continue;
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      d.level[i * d.cats + j] = lookup(Features::level(f.categorical[j], column, rows[i]));
    }
  }
  return d;
}

// Categorical feature j over `rows`: its sorted distinct levels, and each row's rank among them
// (one hash lookup per row).
std::vector<std::string> rank_levels(const io::Table& t, const WinModelOptions& o, const Features& f,
                                     std::size_t j, const std::vector<std::size_t>& rows,
                                     std::vector<std::int32_t>& rank) {
  const auto& column = *detail::find_column(t, o.categorical[j]);
  std::unordered_map<std::string_view, std::int32_t, TextHash, std::equal_to<>> seen;
  std::vector<std::string_view> names;
  rank.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto [it, added] = seen.try_emplace(Features::level(f.categorical[j], column, rows[i]),
                                              static_cast<std::int32_t>(names.size()));
    if (added) names.push_back(it->first);
    rank[i] = it->second;
  }
  std::vector<std::int32_t> order(names.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<std::int32_t>(k);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return names[a] < names[b]; });
  std::vector<std::int32_t> final_rank(names.size());
  std::vector<std::string> sorted;
  for (std::size_t k = 0; k < order.size(); ++k) {
    final_rank[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
    sorted.emplace_back(names[static_cast<std::size_t>(order[k])]);
  }
  for (auto& r : rank) r = final_rank[static_cast<std::size_t>(r)];
  return sorted;
}

}  // namespace

std::string_view to_string(Calibration c) noexcept {
  switch (c) {
    case Calibration::none: return "none";
    case Calibration::platt: return "platt";
    case Calibration::isotonic: return "isotonic";
  }
  return "none";
}

Calibration parse_calibration(std::string_view text) {
  for (const auto c : {Calibration::none, Calibration::platt, Calibration::isotonic}) {
    if (text == to_string(c)) return c;
  }
  bad_option("calibration", "unknown calibration '" + std::string(text) + "'; use none, platt or isotonic");
}

int parse_outcome(std::string_view s) noexcept {
  for (const auto* w : {"won", "win", "1", "true", "yes", "closed won"}) {
    if (iequals(s, w)) return 1;
  }
  for (const auto* w : {"lost", "loss", "0", "false", "no", "closed lost"}) {
    if (iequals(s, w)) return 0;
  }
  return -1;
}

WinModel WinModel::fit(const io::Table& deals, const WinModelOptions& options, const ExecutionContext& context) {
  const unsigned threads = context.thread_count();
  check_options(options);
  WinModel m;
  m.options_ = options;
  const Features f(deals, options);
  const auto y_all = detail::read_outcomes(detail::require_column(deals, "deals", options.outcome), "deals");
  const auto& outcome_col = detail::require_column(deals, "deals", options.outcome);
  detail::Rejects rejects;
  std::vector<std::size_t> rows;
  rows.reserve(deals.num_rows());
  std::size_t won = 0;
  // Each row checked first; duplicate ids are judged among the rows that pass.
  const auto keep = detail::valid_rows(deals, options.id, rejects, [&](std::size_t r) {
    if (y_all[r] == -2) {
      rejects.add(detail::row_number(deals, r), options.outcome, outcome_col.text(r),
                  detail::unknown_outcome_reason(outcome_col.text(r)));
      return false;
    }
    if (y_all[r] < 0) {
      rejects.add(detail::row_number(deals, r), options.outcome, outcome_col.text(r),
                  "no outcome yet (not won or lost): an open deal is not fitted");
      return false;
    }
    return f.usable(r, rejects);
  });
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (keep[r] == 0) continue;
    rows.push_back(r);
    won += static_cast<std::size_t>(y_all[r]);
  }
  const std::size_t lost = rows.size() - won;
  if (won < options.min_per_class || lost < options.min_per_class) {
    throw InvalidInputError("forecast.history", options.outcome,
                            "fitting needs at least " + std::to_string(options.min_per_class) +
                                " won and " + std::to_string(options.min_per_class) +
                                " lost deals; the table has " + std::to_string(won) + " won and " +
                                std::to_string(lost) + " lost with usable features");
  }
  // Coefficient layout: intercept, numerics (with their standardisation), then levels (sorted).
  m.coef_.push_back({"(intercept)", 0, 0, 1});
  for (std::size_t j = 0; j < f.numeric.size(); ++j) {
    double mean = 0, sq = 0;
    for (const auto r : rows) mean += f.numeric[j].values[r];
    mean /= static_cast<double>(rows.size());
    for (const auto r : rows) sq += (f.numeric[j].values[r] - mean) * (f.numeric[j].values[r] - mean);
    const double sd = std::sqrt(sq / static_cast<double>(rows.size()));
    m.coef_.push_back({options.numeric[j], 0, mean, sd > 0 ? sd : 1});
  }
  std::vector<std::vector<std::int32_t>> ranks(f.categorical.size());
  std::vector<std::int32_t> first_column(f.categorical.size());
  for (std::size_t j = 0; j < f.categorical.size(); ++j) {
    first_column[j] = static_cast<std::int32_t>(m.coef_.size());
    for (const auto& level : rank_levels(deals, options, f, j, rows, ranks[j])) {
      m.coef_.push_back({options.categorical[j] + "=" + level, 0, 0, 1});
    }
  }
  detail::Design x = design(deals, options, f, m.coef_, rows, /*levels=*/false);
  for (std::size_t j = 0; j < ranks.size(); ++j) {
    for (std::size_t i = 0; i < rows.size(); ++i) x.level[i * x.cats + j] = first_column[j] + ranks[j][i];
  }
  detail::index_patterns(x);
  std::vector<double> y(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) y[i] = y_all[rows[i]];
  const auto fit = detail::fit_logistic(x, y, {}, options.l2, options.max_iterations, options.tolerance, threads);
  for (std::size_t k = 0; k < m.coef_.size(); ++k) m.coef_[k].value = fit.beta[static_cast<Eigen::Index>(k)];
  m.iterations_ = fit.iterations;
  m.converged_ = fit.converged;
  m.rows_used_ = rows.size();
  m.base_rate_ = static_cast<double>(won) / static_cast<double>(rows.size());
  m.fit_rejects_ = rejects.table();

  if (options.calibration != Calibration::none) {
    // Out-of-fold scores: each row scored by a model that did not see it (seeded folds).
    const auto k = static_cast<std::size_t>(options.calibration_folds);
    std::vector<std::size_t> fold(rows.size());
    for (std::size_t i = 0; i < fold.size(); ++i) fold[i] = i % k;
    Random rng(0);
    for (std::size_t i = fold.size(); i > 1; --i) std::swap(fold[i - 1], fold[rng.below(i)]);
    std::vector<double> scores(rows.size());
    for (std::size_t g = 0; g < k; ++g) {
      std::vector<std::uint32_t> in, out;
      for (std::size_t i = 0; i < fold.size(); ++i) (fold[i] == g ? out : in).push_back(static_cast<std::uint32_t>(i));
      const auto part = detail::fit_logistic(x, y, in, options.l2, options.max_iterations, options.tolerance, threads);
      for (const auto i : out) scores[i] = detail::linear_score(x, part.beta, i);
    }
    if (options.calibration == Calibration::platt) detail::fit_platt(scores, y, m.calibrator_);
    else detail::fit_isotonic(scores, y, m.calibrator_);
  }
  return m;
}

WinScores WinModel::predict(const io::Table& deals) const {
  // A default-constructed model (a member not yet fitted) has no intercept.
  if (coef_.empty()) {
    throw InvalidInputError("forecast.model", "",
                            "the model is not fitted; make it with WinModel::fit (or from_parts)");
  }
  const Features f(deals, options_);
  detail::Rejects rejects;
  WinScores out;
  out.rows.reserve(deals.num_rows());
  for (std::size_t r = 0; r < deals.num_rows(); ++r) {
    if (f.usable(r, rejects)) out.rows.push_back(r);
  }
  const auto x = design(deals, options_, f, coef_, out.rows);
  Eigen::VectorXd beta(static_cast<Eigen::Index>(coef_.size()));
  for (std::size_t k = 0; k < coef_.size(); ++k) beta[static_cast<Eigen::Index>(k)] = coef_[k].value;
  out.probability.resize(out.rows.size());
  for (std::size_t i = 0; i < out.rows.size(); ++i) {
    out.probability[i] = detail::calibrate(calibrator_, detail::linear_score(x, beta, i));
  }
  out.rejects = rejects.table();
  return out;
}

io::Table WinModel::coefficients_table() const {
  std::vector<std::string> feature;
  std::vector<double> value, mean, scale;
  for (const auto& c : coef_) {
    feature.push_back(c.feature);
    value.push_back(c.value);
    mean.push_back(c.mean);
    scale.push_back(c.scale);
  }
  io::Table t;
  t.add(io::Column::of("feature", std::move(feature)));
  t.add(io::Column::of("coefficient", std::move(value)));
  t.add(io::Column::of("mean", std::move(mean)));
  t.add(io::Column::of("scale", std::move(scale)));
  return t;
}

WinModel WinModel::from_parts(WinModelOptions options, std::vector<Coefficient> coefficients,
                              Calibrator calibrator, double base_rate, std::size_t rows_used) {
  check_options(options);
  if (coefficients.size() < 1 + options.numeric.size() || coefficients[0].feature != "(intercept)") {
    throw InvalidInputError("forecast.model", "coefficients",
                            "a model needs the intercept first, then one coefficient per numeric "
                            "feature, then the categorical levels");
  }
  for (std::size_t j = 0; j < options.numeric.size(); ++j) {
    if (coefficients[1 + j].feature != options.numeric[j] || !(coefficients[1 + j].scale > 0)) {
      throw InvalidInputError("forecast.model", "coefficients[" + std::to_string(1 + j) + "]",
                              "expected numeric feature '" + options.numeric[j] + "' with a positive scale");
    }
  }
  if (calibrator.kind == Calibration::isotonic &&
      (calibrator.x.size() != calibrator.y.size() || !std::is_sorted(calibrator.x.begin(), calibrator.x.end()))) {
    throw InvalidInputError("forecast.model", "calibrator", "isotonic points must be sorted pairs");
  }
  WinModel m;
  m.options_ = std::move(options);
  m.coef_ = std::move(coefficients);
  m.calibrator_ = std::move(calibrator);
  m.base_rate_ = base_rate;
  m.rows_used_ = rows_used;
  m.converged_ = true;
  return m;
}

}  // namespace spm::forecast
