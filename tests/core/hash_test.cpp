// hash_bytes: the hash the id checks and the interning use. Equal bytes hash equal; distinct
// short ids (the bulk case) spread over every bit, including the top bits that pick partitions.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../../src/core/hash.hpp"
#include "../../src/core/interner.hpp"

namespace {

using spm::detail::hash_bytes;

TEST(Hash, EqualBytesHashEqualWhateverTheStorage) {
  const std::string a = "T000000042";
  const std::string b(a.data(), a.size());
  EXPECT_EQ(hash_bytes(a), hash_bytes(b));
  EXPECT_EQ(hash_bytes(std::string_view("xT000000042y").substr(1, 10)), hash_bytes(a));
}

TEST(Hash, EveryLengthAndEveryByteCounts) {
  // Lengths 0..40 cross every branch (0, 1-3, 4-7, 8-16, the 16-byte loop); a prefix, a zero
  // byte added, or one byte changed anywhere gives another hash.
  std::set<std::uint64_t> seen;
  std::string s;
  for (int len = 0; len <= 40; ++len) {
    EXPECT_TRUE(seen.insert(hash_bytes(s)).second) << "length " << len;
    for (std::size_t i = 0; i < s.size(); ++i) {
      std::string t = s;
      t[i] = static_cast<char>(t[i] + 1);
      EXPECT_TRUE(seen.insert(hash_bytes(t)).second) << "length " << len << " byte " << i;
    }
    s.push_back(static_cast<char>('a' + len % 26));
  }
  EXPECT_NE(hash_bytes(std::string_view("\0", 1)), hash_bytes(std::string_view("\0\0", 2)));
}

TEST(Hash, SequentialIdsSpreadOverTheTopBits) {
  // 65,536 ids T000000000.. : each of the 256 partitions that the top 8 bits pick gets between
  // half and twice its share, and the 32 low bits (the slot hash) do not collide more than a
  // random function would (expected ~0.5 collisions).
  std::vector<int> part(256, 0);
  std::set<std::uint32_t> low;
  char buf[16];
  for (int i = 0; i < 65536; ++i) {
    std::snprintf(buf, sizeof buf, "T%09d", i);
    const std::uint64_t h = hash_bytes(buf);
    ++part[h >> 56];
    low.insert(static_cast<std::uint32_t>(h));
  }
  for (const int count : part) {
    EXPECT_GT(count, 128);
    EXPECT_LT(count, 512);
  }
  EXPECT_GE(low.size(), 65536u - 4);
}

TEST(Hash, ByteComparisonsAgreeWithStringViewAtEveryLengthAndPosition) {
  // Lengths 0..40 cross every branch of same_bytes, less_bytes, common_prefix and Needle (bytes, 4-7,
  // 8-16 with an overlapping last word, the memcmp above 16, the word loop); one byte changed
  // (up or down, high bit too) anywhere, and a prefix of every length.
  using spm::detail::common_prefix;
  using spm::detail::less_bytes;
  using spm::detail::same_bytes;
  std::string s;
  std::size_t checked = 0;
  for (int len = 0; len <= 40; ++len) {
    std::vector<std::string> others{s, s + "a", s + std::string(1, '\0')};
    for (std::size_t i = 0; i < s.size(); ++i) {
      for (const int delta : {1, -1, 128}) {
        std::string t = s;
        t[i] = static_cast<char>(t[i] + delta);
        others.push_back(t);
      }
      others.push_back(s.substr(0, i));
    }
    for (const auto& t : others) {
      const std::string_view a(s), b(t);
      ASSERT_EQ(same_bytes(a, b), a == b) << len << " '" << t << "'";
      const spm::detail::Needle needle(a);
      ASSERT_EQ(needle.usable(), a.size() >= 4 && a.size() <= 16);
      if (needle.usable()) {
        ASSERT_EQ(needle(b), a == b) << len << " '" << t << "'";
      }
      ASSERT_EQ(less_bytes(a, b), a < b) << len << " '" << t << "'";
      ASSERT_EQ(less_bytes(b, a), b < a) << len << " '" << t << "'";
      std::size_t l = 0;
      while (l < a.size() && l < b.size() && a[l] == b[l]) ++l;
      ASSERT_EQ(common_prefix(a, b), l) << len << " '" << t << "'";
      ++checked;
    }
    s.push_back(static_cast<char>('a' + len % 26));
  }
  EXPECT_GT(checked, 3000u);
}

TEST(Hash, InternerNumbersIdsInOrderOfFirstSight) {
  spm::detail::Interner intern;
  const std::vector<std::string> ids{"P2", "P1", "P2", "", "P10", "P1"};
  std::vector<std::uint32_t> got;
  for (const auto& id : ids) got.push_back(intern(id));
  EXPECT_EQ(got, (std::vector<std::uint32_t>{0, 1, 0, 2, 3, 1}));
  EXPECT_EQ(intern.find("P10"), 3u);
  EXPECT_EQ(intern.find("P3"), spm::detail::Interner::none);
}

}  // namespace
