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

namespace {

// The advice is given only when the kernel has free 2 MiB blocks (order 9 and 10 in buddyinfo).
TEST(HugePages, FreeHugeBytesCountsBlocksOfOrderNineAndUp) {
  const char* text =
      "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n"
      "Node 0, zone    DMA32      2      2      3      2      3      2      1      4      4      2    752 \n"
      "Node 0, zone   Normal   6699  10245   6942   4170   2559   1292    437    172    105    188   1305 \n";
  const std::size_t mib2 = std::size_t{2} << 20, mib4 = std::size_t{4} << 20;
  EXPECT_EQ(spm::detail::free_huge_page_bytes(text),
            (1 + 2 + 188) * mib2 + (3 + 752 + 1305) * mib4);
  EXPECT_EQ(spm::detail::free_huge_page_bytes(""), 0U);
  EXPECT_EQ(spm::detail::free_huge_page_bytes("Node 0, zone Normal 5 5 5\n"), 0U);  // small only
  EXPECT_EQ(spm::detail::free_huge_page_bytes("no zones here\n"), 0U);
}

}  // namespace
