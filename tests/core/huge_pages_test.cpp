// reserve_huge: storage for large arrays, advised as huge pages on Linux. The advice must never
// change what the vector holds or how it grows.
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "../../src/core/huge_pages.hpp"

namespace {

TEST(HugePages, ReserveKeepsTheElementsAndGrowsOnlyWhenAsked) {
  std::vector<std::int64_t> v{1, 2, 3};
  spm::detail::reserve_huge(v, std::size_t{1} << 20);  // 8 MiB: advised
  ASSERT_GE(v.capacity(), std::size_t{1} << 20);
  EXPECT_EQ(v, (std::vector<std::int64_t>{1, 2, 3}));
  const auto* data = v.data();
  spm::detail::reserve_huge(v, 10);  // already room: no reallocation
  EXPECT_EQ(v.data(), data);
  v.resize(std::size_t{1} << 20);
  std::iota(v.begin(), v.end(), std::int64_t{0});
  EXPECT_EQ(v.back(), (std::int64_t{1} << 20) - 1);
  EXPECT_EQ(v.data(), data);
}

TEST(HugePages, AdviceOnSmallRangesIsHarmless) {
  std::vector<char> small(100, 'x');
  spm::detail::advise_huge_pages(small.data(), small.size());
  spm::detail::reserve_huge(small, 200);  // below the threshold: an ordinary reserve
  EXPECT_GE(small.capacity(), 200U);
  EXPECT_EQ(small, std::vector<char>(100, 'x'));
}

}  // namespace
