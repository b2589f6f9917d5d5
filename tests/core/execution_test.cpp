#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <spm/core/error.hpp>
#include <spm/core/execution.hpp>

#include "test_support.hpp"

namespace spm {
namespace {

using namespace std::chrono_literals;
using test::throws_error;

TEST(ExecutionContext, Defaults) {
  const ExecutionContext ctx;
  EXPECT_GE(ctx.thread_count(), 1u);
  EXPECT_EQ(ctx.seed(), 0x5eedu);
  EXPECT_EQ(ctx.stop_reason(), StopReason::none);
  EXPECT_FALSE(ctx.should_stop());
  EXPECT_FALSE(ctx.token().cancelled());
  EXPECT_NO_THROW(ctx.throw_if_cancelled("anything"));
  ctx.report(0.5, "no callback set");  // a no-op, not a crash
}

TEST(ExecutionContext, BuilderSetsEachOption) {
  ExecutionContext ctx;
  ExecutionContext& same = ctx.threads(3).seed(42).time_limit(1h);
  EXPECT_EQ(&same, &ctx);
  EXPECT_EQ(ctx.thread_count(), 3u);
  EXPECT_EQ(ctx.seed(), 42u);
  EXPECT_EQ(ctx.stop_reason(), StopReason::none);
  ctx.threads(0);
  EXPECT_EQ(ctx.thread_count(), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(ExecutionContext, CancellationIsSharedByCopies) {
  CancellationToken token;
  const CancellationToken copy = token;
  ExecutionContext ctx;
  ctx.cancellation(token);
  const ExecutionContext ctx_copy = ctx;
  EXPECT_FALSE(ctx.should_stop());
  copy.cancel();
  EXPECT_TRUE(token.cancelled());
  EXPECT_EQ(ctx.stop_reason(), StopReason::cancelled);
  EXPECT_EQ(ctx_copy.stop_reason(), StopReason::cancelled);
  EXPECT_TRUE(throws_error<CancelledError>(
      [&] { ctx.throw_if_cancelled("territory balancing"); }, "execution.cancelled",
      "[execution.cancelled] territory balancing was cancelled by the caller"));
  // Independent tokens stay independent.
  EXPECT_FALSE(CancellationToken().cancelled());
}

TEST(ExecutionContext, CancelFromAnotherThread) {
  CancellationToken token;
  ExecutionContext ctx;
  ctx.cancellation(token);
  std::thread t([token] { token.cancel(); });
  t.join();
  EXPECT_TRUE(ctx.should_stop());
}

TEST(ExecutionContext, TimeLimit) {
  ExecutionContext ctx;
  ctx.time_limit(0ms);
  EXPECT_EQ(ctx.stop_reason(), StopReason::time_limit);
  EXPECT_NO_THROW(ctx.throw_if_cancelled("x"));  // a deadline is not a cancellation
  // Cancellation is reported first when both apply.
  CancellationToken token;
  token.cancel();
  ctx.cancellation(token);
  EXPECT_EQ(ctx.stop_reason(), StopReason::cancelled);
}

TEST(ExecutionContext, ProgressReachesTheCallback) {
  std::vector<std::pair<double, std::string>> seen;
  ExecutionContext ctx;
  ctx.progress([&](double f, std::string_view stage) { seen.emplace_back(f, std::string(stage)); });
  ctx.report(0.0, "load");
  ctx.report(0.5, "solve");
  ctx.report(1.0, "done");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].first, 0.5);
  EXPECT_EQ(seen[1].second, "solve");
  EXPECT_EQ(seen[2].second, "done");
}

}  // namespace
}  // namespace spm
