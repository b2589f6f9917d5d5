// Exact fixed-point decimal numbers: the representation of every amount, rate and percentage.
#pragma once

#include <compare>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

#include <spm/core/fraction.hpp>
#include <spm/core/rounding.hpp>
#include <spm/detail/int128.hpp>

namespace spm {

/// Why a text is not a decimal (see Decimal::try_parse).
enum class DecimalParseStatus {
  ok,
  empty,               ///< no text at all
  invalid_character,   ///< a character that is not a digit, sign or '.'
  exponent,            ///< "1e3": exponent notation
  thousands_separator, ///< "1,000.00": grouping characters (strict parse only)
  whitespace,          ///< leading or trailing blanks (strict parse only)
  too_many_decimals,   ///< more than Decimal::scale non-zero decimal places
  out_of_range,        ///< magnitude beyond Decimal::max()
};

/// How a text was read, for describing why it is not a decimal (Decimal::describe).
struct DecimalReading {
  bool lenient = false;  ///< try_parse's lenient
  char point = '.';      ///< ',' when a reader took ',' for the decimal point
  bool csv = false;      ///< read by the CSV reader, which can be asked for lenient decimals or a decimal comma
};

namespace detail {
/// Fast path of Decimal::try_parse for the common strict form [-]ddd[.ddd] (at most 18 integer
/// and 12 fraction digits), with 64-bit accumulation; inline so bulk parsers keep the result in
/// registers. Returns false when the full parser must decide.
inline bool parse_decimal_simple(std::string_view text, int128& raw) noexcept {
  const char* p = text.data();
  const char* end = p + text.size();
  const bool neg = p != end && *p == '-';
  if (neg) ++p;
  const char* int_begin = p;
  std::uint64_t whole = 0;
  while (p != end && static_cast<unsigned char>(*p - '0') < 10) {
    whole = whole * 10 + static_cast<unsigned>(*p++ - '0');
  }
  const auto int_digits = p - int_begin;
  if (int_digits == 0 || int_digits > 18) return false;
  std::uint64_t frac = 0;
  int frac_digits = 0;
  if (p != end && *p == '.') {
    ++p;
    const char* frac_begin = p;
    while (p != end && static_cast<unsigned char>(*p - '0') < 10) {
      frac = frac * 10 + static_cast<unsigned>(*p++ - '0');
    }
    frac_digits = static_cast<int>(p - frac_begin);
    if (frac_digits == 0 || frac_digits > 12) return false;
  }
  if (p != end) return false;
  constexpr std::uint64_t pow10[13] = {1,          10,          100,           1000,
                                       10000,      100000,      1000000,       10000000,
                                       100000000,  1000000000,  10000000000,   100000000000,
                                       1000000000000};
  const int128 r = static_cast<int128>(whole) * pow10[12] +
                   static_cast<int128>(frac * pow10[12 - frac_digits]);
  raw = neg ? -r : r;
  return true;
}
}  // namespace detail

/// An exact decimal number with 12 fixed decimal places, stored as a signed 128-bit integer
/// count of 10^-12 units.
///
/// Range: |x| <= 170141183460469231731687303.715884105727 (about 1.7 x 10^26), far beyond
/// +-10^15 currency units; precision 10^-12, enough for rates and percentages with 10 decimals
/// and FX rates with 12. Every operation either gives the exact result, rounds by a rounding mode
/// the caller can see, or throws ArithmeticError: nothing wraps and nothing goes through double.
///
/// Addition and subtraction are exact. `a * b` and `a / b` round to 12 places half-even; use
/// mul(), div() or product() to choose the places and the mode, and product() to multiply an
/// amount, a rate and a proration fraction exactly before a single rounding.
class Decimal {
 public:
  /// Number of decimal places kept.
  static constexpr int scale = 12;
  /// 10^scale: the raw value of 1.
  static constexpr detail::int128 unit = detail::pow10_128(scale);

  /// Zero.
  constexpr Decimal() = default;
  /// An integer, exactly (every 64-bit integer fits).
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  constexpr Decimal(I whole) : raw_(static_cast<detail::int128>(whole) * unit) {}  // NOLINT
  /// Binary floating point is never converted silently; see from_double().
  Decimal(double) = delete;
  Decimal(float) = delete;

  /// The decimal whose raw count of 10^-12 units is `raw`.
  static constexpr Decimal from_raw(detail::int128 raw) noexcept {
    Decimal d;
    d.raw_ = raw;
    return d;
  }
  /// `units` x 10^-places, e.g. from_units(12345, 2) == 123.45. Throws when places > 12.
  static Decimal from_units(std::int64_t units, int places);
  /// The nearest decimal to a double at `places` decimals (for results of statistics only).
  static Decimal from_double(double value, int places, Rounding mode = Rounding::half_even);

  /// Largest and smallest representable values.
  static constexpr Decimal max() noexcept { return from_raw(detail::int128_max); }
  static constexpr Decimal min() noexcept { return from_raw(detail::int128_min + 1); }

  /// Strict parse: optional sign, digits, optional '.' and digits. "0.1" is exactly one tenth.
  /// "1e3", "1,000.00", " 1", "" and "abc" throw InvalidInputError with id "decimal.parse";
  /// `path` names the field in the message.
  static Decimal parse(std::string_view text, std::string_view path = {});
  /// Lenient parse: also trims blanks, accepts ',' thousands separators in groups of three and
  /// accounting negatives "(12.50)". Exponents and more than 12 decimals are still rejected.
  static Decimal parse_lenient(std::string_view text, std::string_view path = {});
  /// A fraction written as a decimal ("0.3") or as a percent ("30%", exactly 0.3): for options
  /// that people coming from other tools write either way. Text that is neither throws
  /// InvalidInputError "decimal.parse" naming `path`.
  static Decimal parse_fraction(std::string_view text, std::string_view path = {});
  /// Non-throwing parse for bulk data; `out` is set only when the status is ok.
  static DecimalParseStatus try_parse(std::string_view text, Decimal& out,
                                      bool lenient = false) noexcept;
  /// try_parse as `how` reads: with a decimal comma ("1234,50", leniently "1.234,50") the roles
  /// of '.' and ',' are swapped.
  static DecimalParseStatus try_parse_as(std::string_view text, Decimal& out,
                                         const DecimalReading& how);
  /// A sentence describing a parse failure of `text`, with how to fix it.
  static std::string describe(DecimalParseStatus status, std::string_view text, DecimalReading how = {});

  /// Raw count of 10^-12 units.
  [[nodiscard]] constexpr detail::int128 raw() const noexcept { return raw_; }

  /// Shortest exact text: "-12.5", "0.1", "3" (no exponent, no trailing zeros).
  [[nodiscard]] std::string to_string() const;
  /// Text with exactly `places` decimals, rounding with `mode` first ("12.50").
  [[nodiscard]] std::string to_string(int places, Rounding mode = Rounding::half_even) const;
  /// Longest text format_to writes.
  static constexpr std::size_t max_chars = 48;
  /// Writes the shortest exact text with at least `min_places` decimals (zeros added, never
  /// rounded) into `out` (max_chars bytes) and returns its length: the allocation-free form of
  /// to_string() for bulk output.
  std::size_t format_to(char* out, int min_places = 0) const noexcept;

  /// This value rounded to `places` decimals (0 <= places <= 12).
  [[nodiscard]] Decimal round(int places, Rounding mode = Rounding::half_even) const;
  /// True when the value has no more than `places` decimals.
  [[nodiscard]] bool has_places(int places) const noexcept;
  /// The nearest double (for statistics and display only).
  [[nodiscard]] double to_double() const noexcept;
  /// The value as a whole number; throws ArithmeticError if it has decimals or does not fit.
  [[nodiscard]] std::int64_t to_int64() const;

  [[nodiscard]] constexpr bool is_zero() const noexcept { return raw_ == 0; }
  [[nodiscard]] constexpr int sign() const noexcept { return (raw_ > 0) - (raw_ < 0); }
  [[nodiscard]] constexpr Decimal abs() const noexcept { return from_raw(raw_ < 0 ? -raw_ : raw_); }

  /// a * b rounded to `places` decimals with `mode`, computed exactly first.
  static Decimal mul(const Decimal& a, const Decimal& b, int places = scale,
                     Rounding mode = Rounding::half_even);
  /// a / b rounded to `places` decimals with `mode`; b == 0 throws ArithmeticError.
  static Decimal div(const Decimal& a, const Decimal& b, int places = scale,
                     Rounding mode = Rounding::half_even);
  /// a * b * f (e.g. amount x rate x proration) computed exactly, then rounded once.
  static Decimal product(const Decimal& a, const Decimal& b, const Fraction& f, int places,
                         Rounding mode = Rounding::half_even);
  /// a * b / c (e.g. a total's pro-rata share: total x part / whole) computed exactly, then
  /// rounded once; c == 0 throws ArithmeticError.
  static Decimal mul_div(const Decimal& a, const Decimal& b, const Decimal& c,
                         int places = scale, Rounding mode = Rounding::half_even);
  /// a * f computed exactly, then rounded once.
  static Decimal product(const Decimal& a, const Fraction& f, int places,
                         Rounding mode = Rounding::half_even);

  // Inline: sums of lines are the engine's inner loop.
  Decimal& operator+=(const Decimal& o) {
    detail::int128 r = 0;
    if (__builtin_add_overflow(raw_, o.raw_, &r) || r == min_raw()) overflow("addition");
    raw_ = r;
    return *this;
  }
  Decimal& operator-=(const Decimal& o) {
    detail::int128 r = 0;
    if (__builtin_sub_overflow(raw_, o.raw_, &r) || r == min_raw()) overflow("subtraction");
    raw_ = r;
    return *this;
  }
  friend Decimal operator+(Decimal a, const Decimal& b) { return a += b; }
  friend Decimal operator-(Decimal a, const Decimal& b) { return a -= b; }
  friend Decimal operator-(const Decimal& a);
  friend Decimal operator*(const Decimal& a, const Decimal& b) { return mul(a, b); }
  friend Decimal operator/(const Decimal& a, const Decimal& b) { return div(a, b); }
  friend constexpr bool operator==(const Decimal& a, const Decimal& b) = default;
  friend constexpr std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
    return a.raw_ <=> b.raw_;
  }

 private:
  static constexpr detail::int128 min_raw() noexcept {
    return detail::int128_min;
  }
  [[noreturn]] static void overflow(const char* op);
  detail::int128 raw_ = 0;
};

/// Parses a decimal literal at compile time of the call site: "12.50"_d.
namespace literals {
inline Decimal operator""_d(const char* text, std::size_t n) {
  return Decimal::parse(std::string_view(text, n));
}
}  // namespace literals

}  // namespace spm
