#include <spm/core/decimal.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <spm/core/error.hpp>

#include "wide_int.hpp"

namespace spm {
namespace {

using detail::int128;
using detail::int256;
using detail::to_wide;
using detail::uint128;

[[noreturn]] void throw_overflow(const char* op) {
  throw ArithmeticError("decimal.overflow", "",
                        std::string("the result of ") + op +
                            " is beyond the decimal range (about 1.7e26); check the inputs' "
                            "magnitude or units");
}

int128 to_narrow(const int256& w, const char* op) {
  int128 r = 0;
  if (!detail::try_narrow(w, r)) throw_overflow(op);
  return r;
}

void check_places(int places) {
  if (places < 0 || places > Decimal::scale) {
    throw InvalidInputError("decimal.places", "",
                            "decimal places must be between 0 and 12, got " +
                                std::to_string(places));
  }
}

// Raw value of a * b * num / den at `places` decimals, exactly then rounded.
int128 scaled_product(int128 a, int128 b, std::int64_t num, std::int64_t den, int places,
                      Rounding mode, const char* op) {
  // raw(a)*raw(b) has 2*scale decimals; bring to `places`: divide by 10^(2*scale - places).
  const int shift = 2 * Decimal::scale - places;
  // 128-bit fast path when every intermediate fits; otherwise exact 256-bit arithmetic.
  int128 p = 0;
  int128 n = 0;
  int128 d = 0;
  if (!__builtin_mul_overflow(a, b, &p) && !__builtin_mul_overflow(p, static_cast<int128>(num), &n) &&
      !__builtin_mul_overflow(detail::pow10_128(shift), static_cast<int128>(den), &d)) {
    int128 r = 0;
    if (!__builtin_mul_overflow(detail::div_round(n, d, mode),
                                detail::pow10_128(Decimal::scale - places), &r)) {
      return r;
    }
  }
  // |a * b * num| needs up to 317 bits; when it passes 256 the result, about
  // a * b * num / (den * 10^24), is far beyond the range anyway, so report it as our overflow
  // instead of letting Boost's std::overflow_error escape.
  try {
    const int256 wn = to_wide(a) * to_wide(b) * int256(num);
    const int256 wd = int256(den) * to_wide(detail::pow10_128(shift));
    const int256 q = detail::div_round(wn, wd, mode);
    return to_narrow(q * to_wide(detail::pow10_128(Decimal::scale - places)), op);
  } catch (const std::overflow_error&) {
    throw_overflow(op);
  }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

Decimal Decimal::from_units(std::int64_t units, int places) {
  check_places(places);
  return from_raw(static_cast<int128>(units) * detail::pow10_128(scale - places));
}

Decimal Decimal::from_double(double value, int places, Rounding mode) {
  check_places(places);
  if (!std::isfinite(value) || std::fabs(value) > 1e26) {
    throw ArithmeticError("decimal.from_double", "",
                          "cannot represent a non-finite or huge double as a decimal");
  }
  // Shortest round-trip text of the double (std::to_chars), then an exact parse: 0.1 becomes
  // 0.1, not 0.1000000000000000055.
  std::array<char, 64> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  const std::string text(buf.data(), res.ptr);
  // Expand the exponent form by hand into an exact rational mantissa * 10^exp.
  bool neg = false;
  std::size_t i = 0;
  if (text[i] == '-') {
    neg = true;
    ++i;
  }
  int256 mant = 0;
  int exp10 = 0;
  bool frac = false;
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] == '.') {
      frac = true;
      continue;
    }
    mant = mant * 10 + (text[i] - '0');
    if (frac) --exp10;
  }
  if (i < text.size()) exp10 += std::atoi(text.c_str() + i + 1);
  // value = mant * 10^exp10; want raw at `places` then scaled to 12.
  int256 num = mant;
  int256 den = 1;
  int e = exp10 + places;
  // mant < 10^17, so for e <= -18 the value is below 0.1 units of the last place: every mode
  // rounds it like 10^-18, and 10^-e (up to 10^336 for denormals) would overflow 256 bits.
  if (e < -18 && mant != 0) {
    num = 1;
    e = -18;
  }
  if (e >= 0) {
    for (int k = 0; k < e; ++k) num *= 10;
  } else {
    for (int k = 0; k < -e; ++k) den *= 10;
  }
  if (neg) num = -num;
  int256 q = detail::div_round(num, den, mode);
  return from_raw(to_narrow(q * to_wide(detail::pow10_128(scale - places)), "from_double"));
}

DecimalParseStatus Decimal::try_parse(std::string_view text, Decimal& out, bool lenient) noexcept {
  int128 raw = 0;
  if (detail::parse_decimal_simple(text, raw)) {
    out = from_raw(raw);
    return DecimalParseStatus::ok;
  }
  std::size_t b = 0;
  std::size_t e = text.size();
  if (lenient) {
    while (b < e && is_blank(text[b])) ++b;
    while (e > b && is_blank(text[e - 1])) --e;
  }
  if (b == e) return DecimalParseStatus::empty;
  bool neg = false;
  if (lenient && text[b] == '(' && text[e - 1] == ')' && e - b >= 3) {
    neg = true;
    ++b;
    --e;
  }
  if (text[b] == '-' || text[b] == '+') {
    if (neg) return DecimalParseStatus::invalid_character;
    neg = text[b] == '-';
    ++b;
  }
  uint128 mag = 0;
  int digits = 0;
  int decimals = 0;
  bool seen_dot = false;
  int group = -1;  // digits since the last ',' (lenient), -1 before any
  constexpr uint128 limit = static_cast<uint128>(detail::int128_max) / 10;
  for (std::size_t i = b; i < e; ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      ++digits;
      if (group >= 0 && !seen_dot) ++group;
      if (seen_dot) {
        if (decimals == scale) {
          if (c != '0') return DecimalParseStatus::too_many_decimals;
          continue;  // trailing zeros beyond 12 places change nothing
        }
        ++decimals;
      }
      if (mag > limit) return DecimalParseStatus::out_of_range;
      mag = mag * 10 + static_cast<unsigned>(c - '0');
    } else if (c == '.' && !seen_dot) {
      if (group >= 0 && group != 3) return DecimalParseStatus::thousands_separator;
      seen_dot = true;
    } else if (c == ',') {
      // A leading zero before a separator ("0,500", European for 0.5) is never a grouping.
      if (!lenient || seen_dot || digits == 0 || (group >= 0 && group != 3) ||
          (group < 0 && (digits > 3 || mag == 0))) {
        return DecimalParseStatus::thousands_separator;
      }
      group = 0;
    } else if (c == 'e' || c == 'E') {
      return digits > 0 ? DecimalParseStatus::exponent : DecimalParseStatus::invalid_character;
    } else if (is_blank(c)) {
      return DecimalParseStatus::whitespace;
    } else {
      return DecimalParseStatus::invalid_character;
    }
  }
  // The text was not empty (checked above), so a lone sign or '.' is a bad character.
  if (digits == 0) return DecimalParseStatus::invalid_character;
  if (group >= 0 && !seen_dot && group != 3) return DecimalParseStatus::thousands_separator;
  for (int k = decimals; k < scale; ++k) {
    if (mag > limit) return DecimalParseStatus::out_of_range;
    mag *= 10;
  }
  if (mag > static_cast<uint128>(detail::int128_max)) return DecimalParseStatus::out_of_range;
  const auto v = static_cast<int128>(mag);
  out = from_raw(neg ? -v : v);
  return DecimalParseStatus::ok;
}

DecimalParseStatus Decimal::try_parse_as(std::string_view text, Decimal& out,
                                         const DecimalReading& how) {
  if (how.point != ',') return try_parse(text, out, how.lenient);
  std::string swapped(text);
  for (char& c : swapped) c = c == '.' ? ',' : c == ',' ? '.' : c;
  return try_parse(swapped, out, how.lenient);
}

namespace {
// Whether asking a CSV reader for lenient decimals would read `text`: only then is it advice.
bool lenient_reads(DecimalReading how, std::string_view text) {
  if (!how.csv || how.lenient) return false;
  how.lenient = true;
  Decimal d;
  return Decimal::try_parse_as(text, d, how) == DecimalParseStatus::ok;
}
}  // namespace

std::string Decimal::describe(DecimalParseStatus status, std::string_view text, DecimalReading how) {
  // Built with append: GCC 12 gives a false -Wrestrict on "'" + std::string(...) at -O3.
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted.append(1, '\'').append(text).append(1, '\'');
  const std::string point(1, how.point), group(1, how.point == ',' ? '.' : ',');
  switch (status) {
    case DecimalParseStatus::ok: return quoted + " is a valid decimal";
    case DecimalParseStatus::empty:
      return "an empty value is not a decimal; write 0 if zero is meant";
    case DecimalParseStatus::invalid_character: {
      // Name the character: "$1,234.50" fails on its currency symbol, not on its digits.
      std::string bad;
      const bool digits = text.find_first_of("0123456789") != std::string_view::npos;
      for (std::size_t i = 0; i < text.size() && digits; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == ',' || c == ' ' ||
            c == '(' || c == ')') {
          continue;
        }
        std::size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        bad.assign(text.substr(i, std::min(len, text.size() - i)));
        break;
      }
      const bool currency = bad == "$" || bad == "\u20ac" || bad == "\u00a3" || bad == "\u00a5";
      std::string why = quoted + " is not a decimal";
      if (!bad.empty()) {
        why.append(": '").append(bad).append("' is not allowed");
        if (currency) why += " (write amounts without currency symbols)";
        if (bad == "%") why += " (write the number without the '%' sign)";
      }
      why += "; use digits, at most one '" + point + "' and an optional leading '-'";
      // "(123.45)", an accounting negative: lenient reading takes it.
      if (lenient_reads(how, text)) why += ", or ask for lenient parsing (spm: --lenient)";
      return why;
    }
    case DecimalParseStatus::exponent:
      return quoted + " is not a decimal: exponent notation is not accepted; write the digits out";
    case DecimalParseStatus::thousands_separator: {
      if (how.point == ',') {
        return quoted + (how.lenient ? " is not a decimal: '.' may only group digits in threes "
                                       "before the ',' (1.234,50)"
                                     : " is not a decimal: the decimal point here is ','; '.' may "
                                       "only group thousands, and only when read leniently "
                                       "(1.234,50)");
      }
      std::string why =
          how.lenient ? quoted + " is not a decimal: ',' may only group digits in threes before "
                                 "the '.' (1,234.50)"
                      : quoted + " is not a decimal: thousands separators are not accepted; "
                                 "remove them" + (lenient_reads(how, text) ? " or ask for lenient parsing (spm: --lenient)" : "");
      // "1234,50" is a decimal comma far more often than a misplaced separator.
      const auto comma = text.rfind(',');
      if (how.csv && comma != std::string_view::npos &&
          text.find('.', comma) == std::string_view::npos) {
        why += "; if ',' is the decimal point there, ask for a decimal comma (spm: --decimal-comma)";
      }
      return why;
    }
    case DecimalParseStatus::whitespace:
      return how.lenient ? quoted + " is not a decimal: it has blanks inside; remove them"
                         : quoted + " is not a decimal: it has blanks; remove them" +
                               (lenient_reads(how, text) ? " or ask for lenient parsing (spm: --lenient)" : "");
    case DecimalParseStatus::too_many_decimals:
      return quoted + " has more than 12 decimal places; libspm keeps at most 12, round it first";
    case DecimalParseStatus::out_of_range:
      return quoted + " is out of range; the magnitude must be below 1.7e26";
  }
  return quoted + " is not a decimal";
}

namespace {
Decimal parse_or_throw(std::string_view text, std::string_view path, bool lenient) {
  Decimal d;
  const auto st = Decimal::try_parse(text, d, lenient);
  if (st != DecimalParseStatus::ok) {
    throw InvalidInputError("decimal.parse", std::string(path), Decimal::describe(st, text, {lenient}));
  }
  return d;
}
}  // namespace

Decimal Decimal::parse(std::string_view text, std::string_view path) {
  return parse_or_throw(text, path, false);
}

Decimal Decimal::parse_lenient(std::string_view text, std::string_view path) {
  return parse_or_throw(text, path, true);
}

Decimal Decimal::parse_fraction(std::string_view text, std::string_view path) {
  if (text.empty() || text.back() != '%') return parse_or_throw(text, path, false);
  const std::string quoted = "'" + std::string(text) + "'";
  Decimal d;
  if (try_parse(text.substr(0, text.size() - 1), d, false) != DecimalParseStatus::ok) {
    throw InvalidInputError("decimal.parse", std::string(path),
                            quoted + " is not a percent; write a number before the % (30%) or a "
                                     "fraction (0.3)");
  }
  // Dividing by 100 moves two digits past the 12 kept: refuse what would be rounded.
  if (!d.has_places(scale - 2)) {
    throw InvalidInputError("decimal.parse", std::string(path),
                            quoted + " has more than 10 decimal places; a percent keeps at most "
                                     "10, round it first");
  }
  return d / Decimal(100);
}

std::size_t Decimal::format_to(char* out, int min_places) const noexcept {
  const bool neg = raw_ < 0;
  const uint128 mag = neg ? static_cast<uint128>(-(raw_ + 1)) + 1 : static_cast<uint128>(raw_);
  // Whole part and the 12 fraction digits separately, in 64-bit arithmetic where possible
  // (128-bit division is a library call per digit).
  uint128 whole = mag / static_cast<uint128>(unit);
  auto frac = static_cast<std::uint64_t>(mag % static_cast<uint128>(unit));
  char* p = out;
  if (neg) *p++ = '-';
  std::array<char, 40> digits{};
  std::size_t n = 0;
  if (whole <= UINT64_MAX) {
    auto w = static_cast<std::uint64_t>(whole);
    do {
      digits[n++] = static_cast<char>('0' + w % 10);
      w /= 10;
    } while (w != 0);
  } else {
    do {
      digits[n++] = static_cast<char>('0' + static_cast<int>(whole % 10));
      whole /= 10;
    } while (whole != 0);
  }
  while (n > 0) *p++ = digits[--n];
  std::array<char, scale> f{};
  for (int i = scale - 1; i >= 0; --i) {
    f[static_cast<std::size_t>(i)] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  int keep = scale;
  const int floor_places = std::clamp(min_places, 0, scale);
  while (keep > floor_places && f[static_cast<std::size_t>(keep - 1)] == '0') --keep;
  if (keep > 0) {
    *p++ = '.';
    for (int i = 0; i < keep; ++i) *p++ = f[static_cast<std::size_t>(i)];
  }
  return static_cast<std::size_t>(p - out);
}

std::string Decimal::to_string() const {
  std::array<char, max_chars> buf{};
  return std::string(buf.data(), format_to(buf.data()));
}

std::string Decimal::to_string(int places, Rounding mode) const {
  const Decimal r = round(places, mode);
  std::array<char, max_chars> buf{};
  return std::string(buf.data(), r.format_to(buf.data(), places));
}

Decimal Decimal::round(int places, Rounding mode) const {
  check_places(places);
  const int128 step = detail::pow10_128(scale - places);
  const int128 q = detail::div_round(raw_, step, mode);
  int128 r = 0;
  if (__builtin_mul_overflow(q, step, &r)) throw_overflow("rounding");
  return from_raw(r);
}

bool Decimal::has_places(int places) const noexcept {
  if (places >= scale) return true;
  return raw_ % detail::pow10_128(scale - places) == 0;
}

double Decimal::to_double() const noexcept {
  // Split to keep 53 bits of the integer part and the fraction each.
  const int128 whole = raw_ / unit;
  const int128 frac = raw_ % unit;
  return static_cast<double>(whole) + static_cast<double>(frac) / 1e12;
}

std::int64_t Decimal::to_int64() const {
  if (raw_ % unit != 0) {
    throw ArithmeticError("decimal.not_integer", "", to_string() + " is not a whole number");
  }
  const int128 w = raw_ / unit;
  if (w > INT64_MAX || w < INT64_MIN) {
    // Not throw_overflow(): the value is inside the decimal range, just not inside 64 bits.
    throw ArithmeticError("decimal.overflow", "",
                          to_string() + " does not fit in a 64-bit integer (at most about "
                                        "9.2e18 in magnitude)");
  }
  return static_cast<std::int64_t>(w);
}

Decimal Decimal::mul(const Decimal& a, const Decimal& b, int places, Rounding mode) {
  check_places(places);
  return from_raw(scaled_product(a.raw_, b.raw_, 1, 1, places, mode, "multiplication"));
}

Decimal Decimal::product(const Decimal& a, const Decimal& b, const Fraction& f, int places,
                         Rounding mode) {
  check_places(places);
  return from_raw(scaled_product(a.raw_, b.raw_, f.num(), f.den(), places, mode, "a product"));
}

Decimal Decimal::product(const Decimal& a, const Fraction& f, int places, Rounding mode) {
  return product(a, Decimal(1), f, places, mode);
}

Decimal Decimal::mul_div(const Decimal& a, const Decimal& b, const Decimal& c, int places,
                         Rounding mode) {
  check_places(places);
  if (c.raw_ == 0) {
    throw ArithmeticError("decimal.division_by_zero", "",
                          "division by zero in a pro-rata share; check that the whole (a total "
                          "or a sum of weights) is not zero");
  }
  // raw(a) * raw(b) / raw(c) is the result's raw count; at `places`, divide by 10^(12 - places)
  // more and scale back.
  const int128 step = detail::pow10_128(scale - places);
  int128 p = 0;
  int128 d = 0;
  if (!__builtin_mul_overflow(a.raw_, b.raw_, &p) && !__builtin_mul_overflow(c.raw_, step, &d)) {
    int128 r = 0;
    if (!__builtin_mul_overflow(detail::div_round(p, d, mode), step, &r)) return from_raw(r);
    throw_overflow("a pro-rata share");
  }
  const int256 q = detail::div_round(int256(to_wide(a.raw_) * to_wide(b.raw_)),
                                     int256(to_wide(c.raw_) * to_wide(step)), mode);
  return from_raw(to_narrow(q * to_wide(step), "a pro-rata share"));
}

Decimal Decimal::div(const Decimal& a, const Decimal& b, int places, Rounding mode) {
  check_places(places);
  if (b.raw_ == 0) {
    throw ArithmeticError("decimal.division_by_zero", "",
                          "division by zero; check that the divisor (a quota, a total or a "
                          "weight) is not zero");
  }
  // result raw at `places` = a.raw * 10^places / b.raw, then scaled back to 12 places.
  const int128 up = detail::pow10_128(places);
  int128 n = 0;
  if (!__builtin_mul_overflow(a.raw_, up, &n)) {
    const int128 q = detail::div_round(n, b.raw_, mode);
    int128 r = 0;
    if (!__builtin_mul_overflow(q, detail::pow10_128(scale - places), &r)) return from_raw(r);
    throw_overflow("division");
  }
  const int256 q = detail::div_round(int256(to_wide(a.raw_) * to_wide(up)), to_wide(b.raw_), mode);
  return from_raw(to_narrow(q * to_wide(detail::pow10_128(scale - places)), "division"));
}

// The range is kept symmetric (int128_min is excluded) so that negation never overflows.
void Decimal::overflow(const char* op) { throw_overflow(op); }

Decimal operator-(const Decimal& a) { return Decimal::from_raw(-a.raw_); }

}  // namespace spm
