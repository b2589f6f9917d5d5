// A downstream program using the installed package: exact money, allocation, dates, CSV.
#include <iostream>
#include <spm/spm.hpp>

int main() {
  using spm::Decimal;
  const spm::Money total(Decimal::parse("100.00"), spm::Currency("USD"));
  const std::vector<Decimal> weights{Decimal(1), Decimal(1), Decimal(1)};
  const auto parts = spm::allocate(total, weights);
  spm::Money sum(Decimal(0), total.currency());
  for (const auto& p : parts) sum += p;
  const auto table = spm::io::parse_csv("id,amount\nA,1.10\nB,x\n",
                                        std::vector<spm::io::ColumnSpec>{
                                            {"id", spm::io::ColumnType::string},
                                            {"amount", spm::io::ColumnType::decimal}});
  std::cout << "spm " << spm::version_string << ": " << parts[0].to_string() << " + "
            << parts[1].to_string() << " + " << parts[2].to_string() << " = " << sum.to_string()
            << "; csv loaded " << table.table.num_rows() << ", rejected " << table.rejects.size()
            << "\n";
  return (sum == total && parts[0].amount() == Decimal::parse("33.34") &&
          table.table.num_rows() == 1 && table.rejects.size() == 1)
             ? 0
             : 1;
}
