// Scores of probabilities, checked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/forecast/metrics.hpp>

#include "support/throws_error.hpp"

namespace {

using spm::forecast::score;

TEST(Metrics, AucCountsPairsAndHalvesTies) {
  // scikit-learn's roc_auc_score example: 3 of the 4 (positive, negative) pairs are ordered.
  EXPECT_DOUBLE_EQ(spm::forecast::auc(std::vector{0.1, 0.4, 0.35, 0.8}, std::vector{0.0, 0.0, 1.0, 1.0}), 0.75);
  // One tie between a positive and a negative counts one half: (1 + 0.5) / 2.
  EXPECT_DOUBLE_EQ(spm::forecast::auc(std::vector{0.2, 0.5, 0.5}, std::vector{0.0, 0.0, 1.0}), 0.75);
  // No negatives: no pairs, reported as 0.5.
  EXPECT_DOUBLE_EQ(spm::forecast::auc(std::vector{0.2, 0.5}, std::vector{1.0, 1.0}), 0.5);
}

TEST(Metrics, LogLossBrierAndCalibrationByHand) {
  const std::vector p{0.2, 0.8, 0.6, 0.9};
  const std::vector y{0.0, 1.0, 0.0, 1.0};
  const auto m = score(p, y, 10);
  // log-loss = -(ln 0.8 + ln 0.8 + ln 0.4 + ln 0.9) / 4
  EXPECT_NEAR(m.log_loss, -(std::log(0.8) * 2 + std::log(0.4) + std::log(0.9)) / 4, 1e-15);
  // Brier = (0.04 + 0.04 + 0.36 + 0.01) / 4 = 0.1125
  EXPECT_NEAR(m.brier, 0.1125, 1e-15);
  EXPECT_DOUBLE_EQ(m.base_rate, 0.5);
  EXPECT_NEAR(m.base_log_loss, std::log(2.0), 1e-15);
  EXPECT_NEAR(m.base_brier, 0.25, 1e-15);
  // Bins: 0.2 -> [0.2,0.3) observed 0; 0.6 -> [0.6,0.7) observed 0; 0.8; 0.9 observed 1.
  // ECE = (0.2 + 0.6 + 0.2 + 0.1) / 4 = 0.275
  EXPECT_NEAR(m.ece, 0.275, 1e-15);
  EXPECT_EQ(m.reliability[6].count, 1U);
  EXPECT_DOUBLE_EQ(m.reliability[6].mean_predicted, 0.6);
  EXPECT_EQ(spm::forecast::reliability_table(m).num_rows(), 10U);
}

TEST(Metrics, RejectsProbabilitiesOutsideTheUnitInterval) {
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [] { (void)score(std::vector{0.5, 1.2}, std::vector{0.0, 1.0}); }, "forecast.probability",
      "[forecast.probability] [1]: probability 1.200000 is outside [0, 1]"));
  EXPECT_TRUE(spm::test::throws_error<spm::InvalidInputError>(
      [] { (void)score(std::vector{0.5}, std::vector{2.0}); }, "forecast.outcome",
      "[forecast.outcome] [0]: outcome 2.000000 is not 0 or 1"));
}

}  // namespace
