// reserve_huge: storage for large arrays, advised as huge pages on Linux. The advice must never
// change what the vector holds or how it grows.
#include <gtest/gtest.h>

#include <algorithm>
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

namespace {

// release_pages gives back only whole 2 MiB pages inside the range: what is outside them keeps its
// bytes (a neighbour's data may share a straddling page), what is inside reads as zeros (Linux).
TEST(HugePages, ReleaseDropsOnlyWholeHugePagesInsideTheRange) {
  constexpr std::size_t mib2 = std::size_t{2} << 20;
  std::vector<char> v(5 * mib2, 'x');
  const auto at = reinterpret_cast<std::uintptr_t>(v.data());
  const std::size_t first = ((at + mib2 - 1) & ~(mib2 - 1)) - at;  // offset of the first boundary
  // From 1 byte after the first boundary, 3 pages long: the 2nd and 3rd pages are whole inside.
  spm::detail::release_pages(v.data() + first + 1, 3 * mib2);
  std::size_t zeros = 0;
  for (std::size_t i = 0; i < v.size(); ++i) zeros += v[i] == 0;
#if defined(__linux__)
  EXPECT_EQ(zeros, 2 * mib2);
  EXPECT_EQ(v[first + mib2 - 1], 'x');
  EXPECT_EQ(v[first + mib2], 0);
  EXPECT_EQ(v[first + 3 * mib2 - 1], 0);
  EXPECT_EQ(v[first + 3 * mib2], 'x');
#else
  EXPECT_EQ(zeros, 0U);
#endif
  // Less than a whole page: nothing.
  std::vector<char> small(mib2, 'y');
  spm::detail::release_pages(small.data(), small.size() - 1);
  EXPECT_EQ(std::count(small.begin(), small.end(), 'y'), static_cast<std::ptrdiff_t>(small.size()));
}

}  // namespace
