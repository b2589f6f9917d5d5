// The demo commission plan, kept identical to docs/examples/demo-plan.json (a test checks).
#include <spm/demo/company.hpp>

namespace spm::demo {

const char* demo_plan_json() noexcept {
  return R"json({
  "id": "demo-ae",
  "name": "Account Executive plan (spm demo)",
  "version": 1,
  "currency": "USD",
  "effective": {"from": "2024-01-01", "to": "2027-01-01"},
  "fiscal_year_start_month": 1,
  "pay_period": "quarter",
  "true_up": "year_to_date",
  "quota_measure": "bookings",
  "rounding": {"mode": "half_even", "places": 2, "point": "earning_line"},
  "measures": [
    {"id": "bookings", "sum": "amount", "filter": {"type": "booking"}}
  ],
  "components": [
    {
      "id": "commission",
      "type": "rate_table",
      "measure": "bookings",
      "basis": "attainment_percent",
      "mode": "marginal",
      "processing": "running_total",
      "rate_unit": "percent",
      "tiers": [
        {"from": "0", "to": "100", "rate": "8"},
        {"from": "100", "to": "150", "rate": "12"},
        {"from": "150", "rate": "15"}
      ],
      "limits": {"cap_per_year": "120000"}
    },
    {
      "id": "enterprise_spif",
      "type": "spif",
      "filter": {"product_id": "P-ENTS"},
      "amount": "1000"
    }
  ]
}
)json";
}

}  // namespace spm::demo
