// SHA-256 (FIPS 180-4), for run fingerprints: a stable digest of inputs, not a security boundary.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace spm::detail {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  /// The digest as 64 lowercase hex digits; the object must not be updated afterwards.
  [[nodiscard]] std::string hex();

 private:
  void block(const unsigned char* p);
  std::array<std::uint32_t, 8> h_;
  std::array<unsigned char, 64> buf_{};
  std::size_t used_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace spm::detail
