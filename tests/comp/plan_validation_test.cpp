// Plan documents: every problem parse_plan and validate report, word for word, and the combined
// message that lists them all.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include <spm/demo/company.hpp>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

// A valid component to vary: marginal attainment tiers on bookings.
constexpr std::string_view good_tiers =
    R"([{"from": "0", "to": "100", "rate": "8"}, {"from": "100", "rate": "12"}])";

// A plan whose only component has these fields (after its id "c").
std::string with_component(std::string_view fields,
                           std::string_view measures = R"([{"id": "bookings"}])") {
  return plan_text(R"("measures": )" + std::string(measures) + R"(, "components": [{"id": "c", )" +
                   std::string(fields) + "}]");
}

// A plan whose only component is a valid SPIF, with these measures and header fields.
constexpr std::string_view spif_1 = R"({"id": "s", "type": "spif", "amount": "1"})";
std::string with_spif(std::string_view measures = R"([{"id": "bookings"}])",
                      std::string_view head = "") {
  return plan_text(R"("measures": )" + std::string(measures) + R"(, "components": [)" +
                       std::string(spif_1) + "]",
                   head);
}

TEST(PlanValidation, ValidPlansParse) {
  const auto p = parse_plan(R"({"id": "ae-2026", "name": "AE plan", "version": 3,
      "currency": "EUR", "effective": {"from": "2026-01-01", "to": "2027-01-01"},
      "fiscal_year_start_month": 4, "pay_period": "month", "true_up": "quarter_to_date",
      "quota_measure": "bookings", "allow_negative": true,
      "rounding": {"mode": "half_up", "places": 3, "point": "payout"},
      "measures": [{"id": "bookings", "filter": {"type": "booking"}},
                   {"id": "deals", "count": true}],
      "components": [{"id": "c", "measure": "bookings", "basis": "attainment_percent",
        "mode": "marginal", "processing": "running_total", "rate_unit": "percent",
        "boundary": "lower",
        "tiers": [{"from": "0", "to": "100", "rate": "8"}, {"from": "100", "rate": "12"}],
        "limits": {"cap_per_transaction": "1000", "cap_per_period": "5000", "cap_per_year": "20000",
                   "floor_per_period": "100", "attainment_cap_percent": "200"},
        "gates": [{"measure": "deals", "min_attainment_percent": "50", "window": "period",
                   "effect": "no_accelerator"}],
        "multipliers": [{"id": "m", "score": "mbo", "table": [{"from": "0", "factor": "1"}]}],
        "combine": "add"}]})");
  EXPECT_EQ(p.id, "ae-2026");
  EXPECT_EQ(p.name, "AE plan");
  EXPECT_EQ(p.version, 3);
  EXPECT_EQ(p.currency.code(), "EUR");
  EXPECT_EQ(p.calendar.first_month(), 4u);
  EXPECT_EQ(p.pay_period, PeriodKind::month);
  EXPECT_EQ(p.true_up, TrueUp::quarter_to_date);
  EXPECT_TRUE(p.allow_negative);
  EXPECT_EQ(p.rounding, Rounding::half_up);
  EXPECT_EQ(p.rounding_places, 3);
  EXPECT_EQ(p.rounding_point, RoundingPoint::payout);
  ASSERT_EQ(p.measures.size(), 2u);
  EXPECT_TRUE(p.measures[1].count);
  EXPECT_EQ(p.measures[1].sum_column, "");
  ASSERT_EQ(p.components.size(), 1u);
  const auto& c = p.components[0];
  EXPECT_TRUE(c.boundary_to_lower);
  EXPECT_EQ(c.limits.attainment_cap_percent, dec("200"));
  EXPECT_EQ(c.gates[0].effect, GateEffect::no_accelerator);
  EXPECT_FALSE(c.gates[0].year_to_date);
  EXPECT_EQ(c.combine, Combine::add);
  EXPECT_TRUE(validate(p).empty());
  // Defaults: USD, name = id, quarterly, no true-up, half even to the currency's places at each
  // earning line, upper boundary, running total, marginal, percent, attainment basis.
  const auto d = plan(R"("measures": [{"id": "bookings"}],
      "components": [{"id": "c", "measure": "bookings", "tiers": [{"from": "0", "rate": "8"}]}])");
  EXPECT_EQ(d.name, "t");
  EXPECT_EQ(d.currency.code(), "USD");
  EXPECT_EQ(d.pay_period, PeriodKind::quarter);
  EXPECT_EQ(d.true_up, TrueUp::none);
  EXPECT_EQ(d.rounding, Rounding::half_even);
  EXPECT_EQ(d.rounding_places, 2);
  EXPECT_EQ(d.rounding_point, RoundingPoint::earning_line);
  EXPECT_EQ(d.measures[0].sum_column, "amount");
  EXPECT_EQ(d.components[0].processing, Processing::running_total);
  EXPECT_EQ(d.components[0].mode, TierMode::marginal);
  EXPECT_EQ(d.components[0].basis, TierBasis::attainment_percent);
  EXPECT_EQ(d.components[0].rate_unit, RateUnit::percent);
  EXPECT_FALSE(d.components[0].boundary_to_lower);
  EXPECT_TRUE(d.components[0].gates.empty());
}

// Document problems: what the JSON says is unreadable. One row per message.
TEST(PlanValidation, DocumentProblems) {
  struct Row {
    std::string json;
    std::string issue;
  };
  const std::vector<Row> rows = {
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": 8.5}])"),
       R"(components[0].tiers[0].rate: write decimals as strings ("0.08", not 0.08) so they )"
       "stay exact"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": true}])"),
       R"(components[0].tiers[0].rate: must be a decimal written as a string, e.g. "0.08")"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": "8%"}])"),
       "components[0].tiers[0].rate: '8%' is not a decimal: '%' is not allowed (write the number without the '%' sign); use digits, at most one '.' and an "
       "optional leading '-'"},
      {with_component(R"("measure": "bookings", "rates": [], "tiers": )" +
                      std::string(good_tiers)),
       "components[0].rates: unknown field; known fields here: basis, boundary, combine, gates, "
       "id, limits, measure, mode, multipliers, processing, rate_unit, tiers, type"},
      {with_spif(R"([{"id": "bookings"}])", R"("true-up": "none")"),
       "true-up: unknown field; known fields here: allow_negative, clawback, components, credit, "
       "currency, currency_conversion, draws, effective, fiscal_year_start_month, id, measures, name, pay_period, "
       "proration, quota_measure, release, rollup, rounding, true_up, version"},
      {with_component(R"("measure": "bookings", "mode": "stepped", "tiers": )" +
                      std::string(good_tiers)),
       "components[0].mode: 'stepped' is not one of: marginal, retroactive, interpolated, flat"},
      {with_component(R"("measure": "bookings", "processing": 1, "tiers": )" +
                      std::string(good_tiers)),
       "components[0].processing: must be one of: per_transaction, running_total, grouped"},
      {with_component(R"("measure": 7, "tiers": )" + std::string(good_tiers)),
       "components[0].measure: must be a string"},
      {with_component(R"("measure": "bookings", "tiers": {})"),
       "components[0].tiers: must be a list [...]"},
      {with_component(R"("measure": "bookings")"), "components[0].tiers: is required: give a list [...]"},
      {with_component(R"("measure": "bookings", "tiers": [{"to": "5", "rate": "1"}])"),
       "components[0].tiers[0].from: is required: give a decimal as a string, e.g. \"100\""},
      {plan_text(R"("measures": [{"id": "bookings"}], "components": ["c"])"),
       "components[0]: expected an object {...}"},
      {R"({"id": "t", "measures": [{"id": "b"}], "components": [{"id": "s", "type": "spif",
           "amount": "1"}]})",
       "effective: is required: give {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"}"},
      {R"({"id": "t", "effective": {"from": "2026-13-01", "to": "2027-01-01"},
           "measures": [{"id": "b"}], "components": [{"id": "s", "type": "spif", "amount": "1"}]})",
       "effective.from: '2026-13-01' is not a date; write YYYY-MM-DD"},
      {with_spif(R"([{"id": "bookings"}])", R"("currency": "usd")"),
       "currency: 'usd' is not an ISO 4217 currency code such as USD"},
      {with_spif(R"([{"id": "bookings"}])",
                 R"("fiscal_year_start_month": 13)"),
       "fiscal_year_start_month: must be 1 (January) to 12 (December)"},
      {with_spif(R"([{"id": "bookings"}])", R"("version": "2")"),
       "version: must be a whole number"},
      {with_spif(R"([{"id": "bookings"}])",
                 R"("allow_negative": "yes")"),
       "allow_negative: must be true or false"},
      {with_spif(R"([{"id": "bookings"}])",
                 R"("rounding": {"mode": "bankers"})"),
       "rounding.mode: 'bankers' is not a rounding mode; use half_even, half_up, half_down, "
       "half_away_from_zero, half_toward_zero, down, up, floor or ceiling"},
      {with_spif(R"([{"id": "bookings", "filter": ["type"]}])"),
       R"(measures[0].filter: must be an object {"column": ["value", ...]})"},
      {with_spif(R"([{"id": "bookings", "filter": {"type": []}}])"),
       "measures[0].filter.type: must be a value or a non-empty list of values"},
      {with_spif(R"([{"id": "bookings", "filter": {"type": [1]}}])"),
       "measures[0].filter.type: values must be strings"},
      {with_spif(R"({})"), "measures: must be a list [...]"},
      // An unknown type is the one problem: not also the fields a rate table would need.
      {with_component(R"("type": "bonus", "measure": "bookings")"),
       "components[0].type: 'bonus' is not one of: rate_table, spif, step_bonus"},
      {with_spif(R"([{"id": "bookings", "count": true, "sum": "units"}])"),
       R"(measures[0].count: a measure counts deals or sums a column, not both: drop "sum" or )"
       R"("count")"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.json);
    const auto issues = plan_issues(row.json);
    ASSERT_FALSE(issues.empty());
    EXPECT_EQ(issues.front(), row.issue);
    EXPECT_EQ(issues.size(), 1u) << testing::PrintToString(issues);
  }
}

TEST(PlanValidation, NotJson) {
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)parse_plan(R"({"id": "t",)"); }, "plan.json",
      "[plan.json] the plan is not valid JSON: [json.exception.parse_error.101] parse error at "
      "line 1, column 12: syntax error while parsing object key - unexpected end of input; "
      "expected string literal"));
  // The usual causes are named: a trailing comma, single quotes.
  for (const auto& [text, cause] : std::vector<std::pair<std::string, std::string>>{
           {R"({"id": "t", "measures": [{"id": "b"},]})", "; is there a comma before that bracket? JSON allows no trailing comma"},
           {R"({'id': 't'})", "; JSON strings and keys take double quotes, and true, false and null are lower case"}}) {
    try {
      (void)parse_plan(text);
      ADD_FAILURE() << text;
    } catch (const InvalidInputError& e) {
      EXPECT_TRUE(std::string_view(e.what()).ends_with(cause)) << e.what();
    }
  }
}

// Model problems: the document reads, the plan it describes does not make sense.
TEST(PlanValidation, ModelProblems) {
  struct Row {
    std::string json;
    std::string issue;
  };
  const std::string spif = R"("type": "spif", "amount": "100")";
  const std::vector<Row> rows = {
      // Tiers.
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "to": "100", "rate": "8"},
                         {"from": "90", "rate": "12"}])"),
       "components[0].tiers[1]: lower bound 90 overlaps previous tier [0, 100); start it at 100"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "to": "100", "rate": "8"},
                         {"from": "110", "rate": "12"}])"),
       "components[0].tiers[1]: lower bound 110 leaves a gap after previous tier [0, 100); start "
       "it at 100"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "to": "0", "rate": "8"}])"),
       "components[0].tiers[0]: upper bound 0 must be above lower bound 0"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": "8"},
                         {"from": "100", "rate": "12"}])"),
       "components[0].tiers[0]: only the last tier may be open-ended; give it a 'to' bound"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": "-1"}])"),
       "components[0].tiers[0].rate: rate -1 is negative; rates are zero or more"},
      {with_component(R"("measure": "bookings", "mode": "interpolated",
                         "tiers": [{"from": "0", "to": "10", "rate": "1", "rate_to": "-1"},
                                   {"from": "10", "rate": "0"}])"),
       "components[0].tiers[0].rate_to: rate_to -1 is negative; rates are zero or more"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "10", "rate": "8"}])"),
       "components[0].tiers[0]: the first tier must start at 0"},
      {with_component(R"("measure": "bookings", "tiers": [])"),
       "components[0].tiers: needs at least one tier"},
      {with_component(R"("measure": "bookings", "mode": "flat", "tiers": )" +
                      std::string(good_tiers)),
       "components[0].tiers: a flat rate table has exactly one tier"},
      {with_component(
           R"("measure": "bookings", "tiers": [{"from": "0", "rate": "8", "rate_to": "9"}])"),
       "components[0].tiers[0].rate_to: only interpolated tables take 'rate_to'"},
      {with_component(R"("measure": "bookings", "mode": "interpolated",
                         "tiers": [{"from": "0", "rate": "8", "rate_to": "9"}])"),
       "components[0].tiers: an open-ended tier cannot interpolate; drop its rate_to"},
      // Measures and units.
      {with_component(R"("measure": "booking", "tiers": )" + std::string(good_tiers)),
       "components[0].measure: unknown measure 'booking'; defined measures: bookings"},
      {with_component(R"("measure": "bookings", "basis": "amount", "rate_unit": "per_deal",
                         "tiers": [{"from": "0", "rate": "100"}])"),
       R"(components[0].rate_unit: per_deal rates need a count measure ("count": true))"},
      {with_component(R"("measure": "deals", "tiers": [{"from": "0", "rate": "8"}])",
                      R"([{"id": "deals", "count": true}])"),
       "components[0].rate_unit: a percent rate needs an amount measure, not a count"},
      {with_component(R"("measure": "bookings", "processing": "per_transaction", "tiers": )" +
                      std::string(good_tiers)),
       "components[0].processing: per_transaction processing starts every transaction from "
       R"(zero, so its tiers must be keyed by amount ("basis": "amount"))"},
      {plan_text(R"("quota_measure": "revenue", "measures": [{"id": "bookings"}],
          "components": [{"id": "c", "measure": "bookings",
                          "tiers": [{"from": "0", "rate": "8"}]}])"),
       "quota_measure: unknown measure 'revenue'; defined measures: bookings"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": "8"}])",
                      R"([{"id": "bookings"}, {"id": "bookings", "sum": "margin"}])"),
       "measures[1].id: measure 'bookings' is defined twice"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": "8"}])",
                      R"([{"id": "bookings", "sum": ""}])"),
       R"(measures[0]: give 'sum' (a decimal column such as "amount") or "count": true)"},
      // SPIFs and steps.
      {with_component(R"("type": "spif", "amount": "0")"), "components[0].amount: must be above 0"},
      {with_component(R"("type": "step_bonus", "measure": "bookings", "steps": [])"),
       "components[0].steps: needs at least one step"},
      {with_component(R"("type": "step_bonus", "measure": "bookings",
                         "steps": [{"attainment_percent": "120", "amount": "500"},
                                   {"attainment_percent": "100", "amount": "900"}])"),
       "components[0].steps[1]: attainment_percent 100 must be above the previous step's 120"},
      // Gates, multipliers and limits.
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": "8"}],
                         "gates": [{"measure": "margin", "min_attainment_percent": "50"}])"),
       "components[0].gates[0].measure: unknown measure 'margin'; defined measures: bookings"},
      {with_component(spif + R"(, "gates": [{"measure": "bookings", "min_attainment_percent": "50",
                                              "effect": "no_accelerator"}])"),
       "components[0].gates[0].effect: no_accelerator applies to rate tables only; use no_pay"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": "8"}],
                         "multipliers": [{"id": "m", "table": [{"from": "0", "factor": "1"}]}])"),
       "components[0].multipliers[0]: give exactly one of 'measure' (attainment) or 'score' (an "
       "input)"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": "8"}],
                         "multipliers": [{"id": "m", "measure": "margin",
                                          "table": [{"from": "0", "factor": "1"}]}])"),
       "components[0].multipliers[0].measure: unknown measure 'margin'; defined measures: "
       "bookings"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": "8"}],
                         "multipliers": [{"id": "m", "score": "mbo",
                                          "table": [{"from": "0", "to": "3", "factor": "1"},
                                                    {"from": "2", "factor": "2"}]}])"),
       "components[0].multipliers[0].table[1]: lower bound 2 overlaps previous row [0, 3); start it at 3"},
      {with_component(R"("measure": "bookings", "tiers": [{"from": "0", "rate": "8"}],
                         "limits": {"cap_per_period": "-1"})"),
       "components[0].limits.cap_per_period: must be zero or more"},
      {with_component(R"("measure": "bookings", "processing": "grouped",
                         "tiers": [{"from": "0", "rate": "8"}],
                         "limits": {"cap_per_transaction": "100"})"),
       "components[0].limits.cap_per_transaction: applies to rate tables processed "
       "per_transaction or as a running_total"},
      {with_component(spif + R"(, "limits": {"attainment_cap_percent": "150"})"),
       "components[0].limits.attainment_cap_percent: applies to rate tables only"},
      // Plan level.
      {plan_text(R"("measures": [{"id": "bookings"}], "components": [])"),
       "components: define at least one component"},
      {with_spif("[]"), "measures: define at least one measure"},
      {plan_text(R"("measures": [{"id": "bookings"}], "components": [
          {"id": "s", "type": "spif", "amount": "1"},
          {"id": "s", "type": "spif", "amount": "2"}])"),
       "components[1].id: component 's' is defined twice"},
      {R"({"id": "", "effective": {"from": "2026-01-01", "to": "2027-01-01"},
           "measures": [{"id": "b"}], "components": [{"id": "s", "type": "spif", "amount": "1"}]})",
       R"(id: is required (a short name such as "ae-2026"))"},
      {R"({"id": "t", "effective": {"from": "2026-01-01", "to": "2026-01-01"},
           "measures": [{"id": "b"}], "components": [{"id": "s", "type": "spif", "amount": "1"}]})",
       "effective: 'to' (2026-01-01) must be after 'from' (2026-01-01)"},
      {with_spif(R"([{"id": "b"}])", R"("true_up": "quarter_to_date")"),
       "true_up: quarter_to_date needs monthly pay periods"},
      {with_spif(R"([{"id": "b"}])", R"("rounding": {"places": 13})"),
       "rounding.places: must be 0 to 12"},
      {with_spif(R"([{"id": "b"}])", R"("rounding": {"places": 4294967298})"),
       "rounding.places: must be 0 to 12"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.json);
    EXPECT_EQ(plan_issues(row.json), std::vector<std::string>{row.issue});
  }
}

// parse_plan throws one error listing every problem, one per line.
TEST(PlanValidation, CombinedMessageListsEveryProblem) {
  const std::string json = with_component(R"("measure": "bookings",
      "tiers": [{"from": "0", "to": "100", "rate": "8"}, {"from": "90", "to": "150", "rate": "12"},
                {"from": "160", "rate": "15"}], "limits": {"floor_per_period": "-5"})");
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)parse_plan(json); }, "plan.invalid",
      "[plan.invalid] t: 3 problems in the plan; nothing was computed:\n"
      "  components[0].tiers[1]: lower bound 90 overlaps previous tier [0, 100); start it at 100\n"
      "  components[0].tiers[2]: lower bound 160 leaves a gap after previous tier [90, 150); "
      "start it at 150\n"
      "  components[0].limits.floor_per_period: must be zero or more"));
  // One problem: singular.
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)parse_plan(with_component(R"("measure": "bookings", "tiers": [])")); },
      "plan.invalid",
      "[plan.invalid] t: 1 problem in the plan; nothing was computed:\n"
      "  components[0].tiers: needs at least one tier"));
  // Document and model problems are listed together, a model problem only where the document
  // read cleanly (no follow-on messages from a field already reported).
  EXPECT_EQ(plan_issues(with_component(R"("measure": "bookings", "colour": "red",
      "tiers": [{"from": "0", "to": "100", "rate": "8"}, {"from": "110", "rate": 0.12}])")),
            (std::vector<std::string>{
                R"(components[0].tiers[1].rate: write decimals as strings ("0.08", not 0.08) )"
                "so they stay exact",
                "components[0].colour: unknown field; known fields here: basis, boundary, "
                "combine, gates, id, limits, measure, mode, multipliers, processing, rate_unit, "
                "tiers, type"}));
  EXPECT_EQ(plan_issues(with_component(R"("measure": "bookings", "colour": "red",
      "tiers": [{"from": "0", "to": "100", "rate": "8"}, {"from": "110", "rate": "12"}])")),
            (std::vector<std::string>{
                "components[0].colour: unknown field; known fields here: basis, boundary, "
                "combine, gates, id, limits, measure, mode, multipliers, processing, rate_unit, "
                "tiers, type",
                "components[0].tiers[1]: lower bound 110 leaves a gap after previous tier "
                "[0, 100); start it at 100"}));
  // Several document problems are all listed too.
  EXPECT_EQ(plan_issues(with_spif(R"([{"id": 1, "colour": "red"}])")),
            (std::vector<std::string>{
                "measures[0].id: must be a string",
                "measures[0].colour: unknown field; known fields here: count, filter, id, sum, weights"}));
}

// validate() checks plans built in code; run() refuses an invalid plan with its first problem.
TEST(PlanValidation, PlansBuiltInCode) {
  Plan p = plan(R"("measures": [{"id": "bookings"}],
      "components": [{"id": "c", "measure": "bookings", "tiers": [{"from": "0", "rate": "8"}]}])");
  EXPECT_TRUE(validate(p).empty());
  p.components[0].tiers.clear();
  p.components[0].mode = TierMode::flat;
  const auto issues = validate(p);
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].path, "components[0].tiers");
  EXPECT_EQ(issues[0].message, "needs at least one tier");
  EXPECT_EQ(issues[1].message, "a flat rate table has exactly one tier");
  const io::Table tx = table("transaction_id,payee_id,date,amount\n");
  const io::Table q = table("payee_id,period_start,quota\n");
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &q;
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [&] { (void)run(p, in, parse_run_range("2026-Q1", p)); }, "plan.invalid",
      "[plan.invalid] t: components[0].tiers: needs at least one tier (validate the plan first; "
      "nothing was computed)"));
}

TEST(PlanValidation, LoadPlan) {
  EXPECT_TRUE(throws_error<IoError>([] { (void)load_plan("/nonexistent/plan.json"); },
                                    "plan.open",
                                    "[plan.open] /nonexistent/plan.json: cannot open the plan "
                                    "file; check the path"));
  // The example plan shipped in docs/ parses.
  const std::string path = std::string(SPM_SOURCE_DIR) + "/docs/examples/demo-plan.json";
  const auto p = load_plan(path);
  EXPECT_EQ(p.id, "demo-ae");
  EXPECT_EQ(p.components.size(), 2u);
  // ... and is the very plan `spm demo` embeds.
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, std::string(demo::demo_plan_json()));
}

// JSON keeps the last of two equal keys; a plan must not hide the first silently.
TEST(PlanValidation, DuplicateKeysAreReported) {
  std::vector<PlanIssue> issues;
  EXPECT_THROW((void)parse_plan(R"({"id": "t", "effective": {"from": "2026-01-01", "to": "2027-01-01"},
      "effective": {"from": "2026-02-01", "to": "2027-01-01"}, "measures": [{"id": "b", "id": "c"}],
      "components": [{"id": "s", "type": "spif", "amount": "1"}, {"id": "r", "measure": "b",
      "tiers": [{"from": "0", "to": "10", "rate": "1"}, {"from": "10", "rate": "2", "rate": "3"}]}],
      "tags": ["a", "b", {"k": 1, "k": 2}]})", &issues),
               InvalidInputError);
  ASSERT_GE(issues.size(), 4u);
  EXPECT_EQ(issues[0].path, "effective");
  EXPECT_EQ(issues[0].message, "appears twice in the same object; keep one");
  // Paths with array positions, as validation's own paths are written.
  EXPECT_EQ(issues[1].path, "measures[0].id");
  EXPECT_EQ(issues[2].path, "components[1].tiers[1].rate");
  EXPECT_EQ(issues[3].path, "tags[2].k");
}

TEST(PlanValidation, Names) {
  EXPECT_EQ(to_string(TierMode::interpolated), "interpolated");
  EXPECT_EQ(to_string(Processing::per_transaction), "per_transaction");
  EXPECT_EQ(to_string(TrueUp::year_to_date), "year_to_date");
}

TEST(PlanValidation, LifecycleSections) {
  const auto body = std::string(R"("measures": [{"id": "b"}], "components": [{"id": "c", "type": "spif", "amount": "1"}])");
  EXPECT_EQ(plan_issues(plan_text(body, R"("clawback": {"policy": "reverse", "window_days": -3,
      "limit_per_period": "-1"}, "draws": {"recovery_percent": "120", "forgive": ["never"]},
      "release": [{"on": "booking", "percent": "50"}, {"on": "booking", "percent": "30"}],
      "proration": "weekdays")")),
            (std::vector<std::string>{
                "clawback.policy: 'reverse' is not one of: original_rate, recalculate",
                "draws.forgive[0]: must be \"year_end\" or \"termination\"",
                "proration: 'weekdays' is not one of: calendar_days, business_days",
                "clawback.window_days: must be zero or more",
                "clawback.limit_per_period: must be zero or more",
                "draws.recovery_percent: must be 0 to 100",
                "release[1].on: 'booking' is listed twice; give each event once",
                "release: percents add up to 80; they must add up to exactly 100"}));
  EXPECT_EQ(plan_issues(plan_text(body, R"("clawback": {"policy": "recalculate"},
      "release": [{"on": "booking", "percent": "50"}, {"on": "payment", "percent": "50"}])")),
            std::vector<std::string>{"clawback.policy: recalculate needs commission released on "
                                     "booking; use original_rate with a release schedule"});
  EXPECT_EQ(plan_issues(plan_text(body, R"("rounding": {"point": "payout"},
      "release": [{"on": "booking", "percent": "50"}, {"on": "payment", "percent": "50"}])")),
            std::vector<std::string>{"release: a release schedule splits each transaction's lines, "
                                     "which must then be in cents: set rounding.point to earning_line"});
  const auto ok = parse_plan(plan_text(body, R"("clawback": {"window_days": 90},
      "draws": {"forgive": ["year_end", "termination"]}, "proration": "business_days")"));
  EXPECT_EQ(ok.clawback.window_days, 90);
  EXPECT_TRUE(ok.draws.forgive_at_year_end && ok.draws.forgive_on_termination);
  EXPECT_EQ(ok.proration, Proration::business_days);
  EXPECT_EQ(prorated_days({Date(2026, 4, 1), Date(2026, 7, 1)}, Proration::business_days), 65);
}

// A percent rate above 100 is valid but pays more than the amount: noted by plan_notes and in a
// run's notes (a 1.5x accelerator typed as 150), not refused.
TEST(PlanValidation, APercentRateAbove100IsNoted) {
  const Plan p = plan(R"("measures": [{"id": "b"}], "components": [{"id": "c", "measure": "b",
      "tiers": [{"from": "0", "to": "100", "rate": "10"}, {"from": "100", "rate": "150"}]}])");
  const std::vector<std::string> expected{
      "component 'c' tier 2 pays 150% of each amount, more than the amount itself; if an "
      "accelerator was meant (1.5x of a 10% rate), give the rate itself (15)"};
  EXPECT_EQ(plan_notes(p), expected);
  const auto r = run_text(p, "transaction_id,payee_id,date,amount\nT1,A,2026-01-10,5\n",
                          "payee_id,period_start,quota\nA,2026-01-01,100\n", "2026-Q1");
  EXPECT_EQ(r.notes, expected);
  EXPECT_TRUE(plan_notes(plan(R"("measures": [{"id": "b"}], "components": [{"id": "c",
      "measure": "b", "tiers": [{"from": "0", "rate": "100"}]}])")).empty());
}

// Rates that are all fractions (0.05, 0.08) in a percent table are usually a spreadsheet's 5%, 8%
// and would pay 100 times less: noted.
TEST(PlanValidation, PercentRatesAllBelowOneAreNoted) {
  const Plan p = plan(R"("measures": [{"id": "b"}], "components": [{"id": "c", "measure": "b",
      "tiers": [{"from": "0", "to": "100", "rate": "0.05"}, {"from": "100", "rate": "0.08"}]}])");
  EXPECT_EQ(plan_notes(p), std::vector<std::string>{
                               "component 'c' rates are all below 1 (0.05, 0.08); they are "
                               "percentages, so 0.05 pays 0.05% of each amount; if fractions "
                               "were meant (0.05 for 5%), write the percentages (5)"});
  EXPECT_TRUE(plan_notes(plan(R"("measures": [{"id": "b"}], "components": [{"id": "c",
      "measure": "b", "tiers": [{"from": "0", "to": "100", "rate": "0.5"}, {"from": "100", "rate": "2"}]}])"))
                  .empty());
}

// Whole numbers beyond 64 bits are not read wrapped (18446744073709551615 as -1).
TEST(PlanValidation, HugeWholeNumbersAreNotWrapped) {
  EXPECT_EQ(plan_issues(plan_text(R"("measures": [{"id": "b"}], "components": [{"id": "c",
      "measure": "b", "tiers": [{"from": "0", "rate": "10"}]}])", R"("version": 18446744073709551615)")),
            std::vector<std::string>{"version: the whole number 18446744073709551615 is too large"});
  EXPECT_EQ(plan_issues(plan_text(R"("measures": [{"id": "b"}], "components": [{"id": "c",
      "measure": "b", "tiers": [{"from": "0", "rate": "10"}]}])", R"("version": 4294967297)")),
            std::vector<std::string>{"version: must be a whole number from 1 to 2147483647, not 4294967297"});
  const Plan p = parse_plan(plan_text(R"("measures": [{"id": "b"}], "components": [{"id": "c",
      "measure": "b", "tiers": [{"from": "0", "rate": 18446744073709551615}]}])"));
  EXPECT_EQ(p.components[0].tiers[0].rate, Decimal::parse("18446744073709551615"));
}

}  // namespace
}  // namespace spm::comp::test
