#include <spm/core/currency.hpp>

#include <algorithm>

#include <spm/core/error.hpp>

namespace spm {
namespace {

// Active ISO 4217 codes. Minor units are 2 except for the lists below.
constexpr std::string_view iso_codes =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD "
    "BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD "
    "EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD "
    "IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL "
    "MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN "
    "PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN "
    "SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES "
    "VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG";
constexpr std::string_view zero_minor =
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
constexpr std::string_view three_minor = "BHD IQD JOD KWD LYD OMR TND";
constexpr std::string_view four_minor = "CLF UYW";

bool listed(std::string_view list, std::string_view code) {
  if (code.size() != 3) return false;
  for (std::size_t i = 0; i + 3 <= list.size(); i += 4) {
    if (list.substr(i, 3) == code) return true;
  }
  return false;
}

bool valid_code(std::string_view code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

bool is_iso_currency(std::string_view code) noexcept { return listed(iso_codes, code); }

Currency::Currency(std::string_view code) {
  if (!is_iso_currency(code)) {
    throw InvalidInputError("currency.unknown", "",
                            "'" + std::string(code) +
                                "' is not an active ISO 4217 currency code; use three capital "
                                "letters such as USD or EUR, or Currency::custom for others");
  }
  std::copy(code.begin(), code.end(), code_.begin());
  minor_units_ = listed(zero_minor, code) ? 0 : listed(three_minor, code) ? 3
               : listed(four_minor, code) ? 4 : 2;
}

Currency Currency::custom(std::string_view code, int minor_units) {
  if (!valid_code(code) || minor_units < 0 || minor_units > 12) {
    throw InvalidInputError("currency.custom", "",
                            "a custom currency needs a three-capital-letter code and 0 to 12 "
                            "minor units, got '" + std::string(code) + "' with " +
                                std::to_string(minor_units));
  }
  Currency c;
  std::copy(code.begin(), code.end(), c.code_.begin());
  c.minor_units_ = minor_units;
  return c;
}

}  // namespace spm
