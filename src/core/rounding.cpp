#include <spm/core/rounding.hpp>

#include <array>
#include <utility>

namespace spm {
namespace {
constexpr std::array<std::pair<Rounding, std::string_view>, 9> names{{
    {Rounding::half_even, "half_even"},
    {Rounding::half_up, "half_up"},
    {Rounding::half_down, "half_down"},
    {Rounding::half_away_from_zero, "half_away_from_zero"},
    {Rounding::half_toward_zero, "half_toward_zero"},
    {Rounding::down, "down"},
    {Rounding::up, "up"},
    {Rounding::floor, "floor"},
    {Rounding::ceiling, "ceiling"},
}};
}  // namespace

std::string_view to_string(Rounding mode) noexcept {
  for (const auto& [m, n] : names) {
    if (m == mode) return n;
  }
  return "half_even";
}

std::optional<Rounding> parse_rounding(std::string_view name) noexcept {
  for (const auto& [m, n] : names) {
    if (n == name) return m;
  }
  return std::nullopt;
}

}  // namespace spm
