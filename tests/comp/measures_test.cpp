// Measures: sums of the amount (or another decimal column) or counts, over the transactions whose
// attribute columns pass the measure's filter.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

constexpr std::string_view deals = R"(transaction_id,payee_id,date,amount,margin,type,region
T1,A,2026-01-10,50000,10000,booking,EMEA
T2,A,2026-01-20,20000,5000,renewal,EMEA
T3,A,2026-02-10,30000,6000,booking,AMER
T4,A,2026-02-20,40000,8000,upsell,
)";
constexpr std::string_view no_quotas = "payee_id,period_start,quota\n";

// A 1% flat rate per measure, one component each, so the statements show every measure's value.
Plan one_percent_of(std::string_view measures, std::vector<std::string> ids, bool count = false) {
  std::string components;
  for (const auto& id : ids) {
    components += std::string(components.empty() ? "" : ", ") + R"({"id": ")" + id +
                  R"(", "measure": ")" + id + R"(", "basis": "amount", "mode": "flat", )" +
                  (count ? R"("rate_unit": "per_deal", )" : "") +
                  R"("tiers": [{"from": "0", "rate": "1"}]})";
  }
  return plan(R"("measures": )" + std::string(measures) + R"(, "components": [)" + components +
              "]");
}

// Credit weights: new logos count 1.2 times (their shares of a split too), renewals half; the
// first matching weight wins; a weight whose filter matches nothing is noted.
TEST(Measures, WeightsScaleCreditedValues) {
  const auto p = plan(R"("measures": [{"id": "bookings", "weights": [
        {"filter": {"type": "booking", "region": "EMEA"}, "factor": "1.2"},
        {"filter": {"type": "booking"}, "factor": "1.1"},
        {"filter": {"type": "renewal"}, "factor": "0.5"},
        {"filter": {"type": "renewl"}, "factor": "3"}]}],
      "components": [{"id": "c", "measure": "bookings", "basis": "amount", "mode": "flat",
        "tiers": [{"from": "0", "rate": "10"}]}])");
  Extra extra;
  extra.credits = "transaction_id,payee_id,percent\nT1,A,50\nT1,B,50\n";
  const auto r = run_text(p, deals, no_quotas, "2026-Q1", extra);
  // A: T1 EMEA booking 50000 x 50% x 1.2 = 30000, T2 renewal 20000 x 0.5 = 10000, T3 AMER
  // booking 30000 x 1.1 = 33000, T4 upsell 40000 x 1 = 40000: 113000.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "measure_value"), dec("113000"));
  EXPECT_EQ(statement(r, "B", "2026-Q1", "c", "measure_value"), dec("30000"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("11300"));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0],
            "measure 'bookings' weight 4: its filter type in ['renewl'] matches no transaction (the "
            "column holds 'booking', 'renewal', 'upsell'); did you mean 'renewal'?; it weights nothing");
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] {
        (void)plan(R"("measures": [{"id": "b", "weights": [{"factor": "-1"}]}], "components": [])");
      },
      "plan.invalid",
      "[plan.invalid] t: 3 problems in the plan; nothing was computed:\n"
      "  measures[0].weights[0].filter: a weight needs a filter: the transactions it applies to\n"
      "  measures[0].weights[0].factor: must be 0 or more (1.2 counts 120%)\n"
      "  components: define at least one component"));
  // A plan built in code gets the same checks from validate().
  Plan coded = p;
  coded.measures[0].weights[0].factor = Decimal(-1);
  const auto issues = validate(coded);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].path, "measures[0].weights[0].factor");
}

// One value of a list filter that no transaction holds drops those deals while the others still
// match: noted, with the nearest value the column holds (a misspelling, not only a case slip).
TEST(Measures, AListValueThatMatchesNothingIsNoted) {
  const auto p = one_percent_of(R"([
      {"id": "new_business", "filter": {"type": ["booking", "upsel"]}},
      {"id": "all_types", "filter": {"type": ["booking", "renewal", "upsell"]}},
      {"id": "misspelt", "filter": {"type": "renewl"}}])",
                                {"new_business", "all_types", "misspelt"});
  const auto r = run_text(p, deals, no_quotas, "2026-Q1");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "new_business", "measure_value"), dec("80000"));
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_EQ(r.notes[0],
            "measure 'new_business': the value 'upsel' of its filter type matches no transaction; "
            "did you mean 'upsell'?; the filter's other values still match");
  EXPECT_EQ(r.notes[1],
            "measure 'misspelt': its filter type in ['renewl'] matches no transaction (the column "
            "holds 'booking', 'renewal', 'upsell'); did you mean 'renewal'?; it earns nothing");
}

// Values that differ from the filter's only by case or edge blanks ("won", "Won " for "Won"):
// the usual slip in hand-typed CRM fields, which would silently leave those deals out.
TEST(Measures, ValuesDifferingOnlyByCaseOrBlanksAreNoted) {
  const auto p = one_percent_of(R"([{"id": "won", "filter": {"stage": "Won"}}])", {"won"});
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,stage
T1,A,2026-01-05,1000,Won
T2,A,2026-01-06,2000,Won 
T3,A,2026-01-07,4000,won
T4,A,2026-01-08,8000,won
T5,A,2026-01-09,16000,Lost
)",
                          no_quotas, "2026-Q1");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "won", "measure_value"), dec("1000"));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0],
            "measure 'won': its filter stage leaves out 3 transactions whose value differs from "
            "the filter's only by case or blanks: 'Won ' (1 row), 'won' (2 rows); fix the data, or "
            "add the value to the filter");
}

// A filter's column found as the CSV reader finds headers: "Stage" for stage (case, blanks,
// hyphens aside), as in C++ tables and DataFrames with the file's own headers.
TEST(Measures, FilterColumnsAreFoundAsHeadersAre) {
  const auto p = one_percent_of(R"([{"id": "won", "filter": {"deal_stage": "Won"}}])", {"won"});
  const auto r = run_text(p, R"(transaction_id,payee_id,date,amount,Deal Stage
T1,A,2026-01-05,1000,Won
T2,A,2026-01-06,2000,Lost
)",
                          no_quotas, "2026-Q1");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "won", "measure_value"), dec("1000"));
}

// A filter no transaction passes earns nothing: legal, but usually a typo in the plan, so the
// result says so with the values the column holds.
TEST(Measures, AFilterThatMatchesNothingIsNoted) {
  const auto p = one_percent_of(R"([
      {"id": "bookings", "filter": {"type": "Booking"}},
      {"id": "emea_upsell", "filter": {"type": "upsell", "region": "EMEA"}},
      {"id": "all"}])",
                                {"bookings", "emea_upsell", "all"});
  const auto r = run_text(p, deals, no_quotas, "2026-Q1");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "bookings", "measure_value"), dec("0"));
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_EQ(r.notes[0],
            "measure 'bookings': its filter type in ['Booking'] matches no transaction (the column "
            "holds 'booking', 'renewal', 'upsell'); did you mean 'booking'?; it earns nothing");
  EXPECT_EQ(r.notes[1],
            "measure 'emea_upsell': no transaction meets all the conditions of its filter; it "
            "earns nothing");
  EXPECT_TRUE(run_text(one_percent_of(R"([{"id": "bookings", "filter": {"type": "booking"}}])",
                                      {"bookings"}),
                       deals, no_quotas, "2026-Q1")
                  .notes.empty());
}

TEST(Measures, FiltersOnAttributeColumns) {
  const auto p = one_percent_of(R"([
      {"id": "all"},
      {"id": "bookings", "filter": {"type": "booking"}},
      {"id": "new_business", "filter": {"type": ["booking", "upsell"]}},
      {"id": "emea_bookings", "filter": {"type": "booking", "region": "EMEA"}},
      {"id": "no_region", "filter": {"region": ""}},
      {"id": "margin", "sum": "margin", "filter": {"type": "booking"}}])",
                                {"all", "bookings", "new_business", "emea_bookings", "no_region",
                                 "margin"});
  const auto r = run_text(p, deals, no_quotas, "2026-Q1");
  struct Row {
    const char* measure;
    const char* value;
  };
  for (const auto& [measure, value] : std::vector<Row>{
           {"all", "140000"},           // 50000 + 20000 + 30000 + 40000
           {"bookings", "80000"},       // T1 + T3
           {"new_business", "120000"},  // T1 + T3 + T4 (booking or upsell)
           {"emea_bookings", "50000"},  // T1 only: type and region must both match
           {"no_region", "40000"},      // T4: an empty attribute matches ""
           {"margin", "16000"},         // margin column of T1 + T3: 10000 + 6000
       }) {
    EXPECT_EQ(statement(r, "A", "2026-Q1", measure, "measure_value"), dec(value)) << measure;
  }
  EXPECT_EQ(statement(r, "A", "2026-Q1", "margin", "payout"), dec("160"));  // 16000 x 1%
}

// Attribute columns may come dictionary-encoded (codes into distinct values, nulls included):
// filters match them exactly as they match plain text.
TEST(Measures, FiltersOnDictionaryEncodedColumns) {
  const auto p = one_percent_of(R"([
      {"id": "new_business", "filter": {"type": ["booking", "upsell"]}},
      {"id": "emea_bookings", "filter": {"type": "booking", "region": "EMEA"}},
      {"id": "no_region", "filter": {"region": ""}}])",
                                {"new_business", "emea_bookings", "no_region"});
  const io::Table plain = table(deals);
  io::Table encoded;
  for (const auto& col : plain.columns()) {
    if (col.name() != "type" && col.name() != "region") {
      encoded.add(col);
      continue;
    }
    // Codes into a dictionary with an unused value; a null stays null.
    auto dict = std::make_shared<std::vector<std::string>>(
        std::vector<std::string>{"unused", "booking", "renewal", "upsell", "EMEA", "AMER"});
    std::vector<std::uint32_t> codes;
    std::vector<std::uint8_t> valid;
    for (std::size_t r = 0; r < col.size(); ++r) {
      const auto text = col.strings()[r];
      valid.push_back(col.is_null(r) ? 0 : 1);
      codes.push_back(col.is_null(r) ? 0
                                     : static_cast<std::uint32_t>(
                                           std::find(dict->begin(), dict->end(), text) - dict->begin()));
    }
    encoded.add(io::Column::dictionary(col.name(), dict, codes, valid));
  }
  const io::Table q = table(no_quotas);
  const CompResult b = run_plain_and_encoded(p, plain, encoded, q, "2026-Q1");
  EXPECT_EQ(statement(b, "A", "2026-Q1", "new_business", "measure_value"), dec("120000"));
  EXPECT_EQ(statement(b, "A", "2026-Q1", "emea_bookings", "measure_value"), dec("50000"));
  EXPECT_EQ(statement(b, "A", "2026-Q1", "no_region", "measure_value"), dec("40000"));
}

TEST(Measures, CountMeasureCountsFilteredCredits) {
  const auto p = one_percent_of(
      R"([{"id": "deals", "count": true, "filter": {"type": "booking"}}])", {"deals"}, true);
  const auto r = run_text(p, deals, no_quotas, "2026-Q1");
  // T1 and T3 are bookings: 2 deals x 1 = 2.
  EXPECT_EQ(statement(r, "A", "2026-Q1", "deals", "measure_value"), dec("2"));
  EXPECT_EQ(statement(r, "A", "2026-Q1", "TOTAL"), dec("2"));
}

// Attainment uses the quota of the measure: rows without a measure column value are for the
// plan's quota_measure (or the first component's measure).
TEST(Measures, QuotasPerMeasure) {
  const auto p = plan(R"("quota_measure": "bookings",
      "measures": [{"id": "bookings", "filter": {"type": "booking"}},
                   {"id": "margin", "sum": "margin"}],
      "components": [
        {"id": "c", "measure": "bookings", "mode": "flat", "tiers": [{"from": "0", "rate": "1"}]},
        {"id": "m", "measure": "margin", "mode": "flat", "tiers": [{"from": "0", "rate": "1"}]}])");
  const auto r = run_text(p, deals, R"(payee_id,period_start,quota,measure
A,2026-01-01,100000,
A,2026-01-01,58000,margin
)",
                          "2026-Q1");
  EXPECT_EQ(statement(r, "A", "2026-Q1", "c", "attainment_percent"), dec("80"));  // 80000/100000
  EXPECT_EQ(statement(r, "A", "2026-Q1", "m", "attainment_percent"), dec("50"));  // 29000/58000
}

}  // namespace
}  // namespace spm::comp::test
