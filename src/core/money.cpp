#include <spm/core/money.hpp>

#include <spm/core/error.hpp>

namespace spm {

void require_same_currency(const Currency& a, const Currency& b, std::string_view what) {
  if (a != b) {
    throw InvalidInputError("money.currency_mismatch", "",
                            "cannot " + std::string(what) + " " + std::string(a.code()) +
                                " and " + std::string(b.code()) +
                                " amounts; convert one of them with an FX rate first");
  }
}

Money Money::parse(std::string_view text, std::string_view path) {
  const auto space = text.find(' ');
  if (space == std::string_view::npos || text.find(' ', space + 1) != std::string_view::npos) {
    throw InvalidInputError("money.parse", std::string(path),
                            "'" + std::string(text) +
                                "' is not an amount with a currency; write e.g. '1234.56 USD'");
  }
  auto first = text.substr(0, space);
  auto second = text.substr(space + 1);
  const bool code_first = first.size() == 3 && !first.empty() && first[0] >= 'A' && first[0] <= 'Z';
  if (code_first) std::swap(first, second);
  return {Decimal::parse(first, path), Currency(second)};
}

std::string Money::to_string() const {
  return amount_.to_string(currency_.minor_units()) + " " + std::string(currency_.code());
}

Money& Money::operator+=(const Money& o) {
  require_same_currency(currency_, o.currency_, "add");
  amount_ += o.amount_;
  return *this;
}

Money& Money::operator-=(const Money& o) {
  require_same_currency(currency_, o.currency_, "subtract");
  amount_ -= o.amount_;
  return *this;
}

std::strong_ordering operator<=>(const Money& a, const Money& b) {
  require_same_currency(a.currency_, b.currency_, "compare");
  return a.amount_ <=> b.amount_;
}

}  // namespace spm
