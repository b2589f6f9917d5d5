// YAML plans: the same plan as JSON, the same problems at the same paths, scalars mapped without
// binary floating point, and syntax errors with their position.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "comp_test_support.hpp"

namespace spm::comp::test {
namespace {

#ifdef SPM_HAS_YAML

/// The issues parse_plan_yaml reports for a document, as "path: message".
std::vector<std::string> yaml_issues(std::string_view yaml) {
  std::vector<PlanIssue> issues;
  try {
    (void)parse_plan_yaml(yaml, &issues);
  } catch (const InvalidInputError&) {
  }
  std::vector<std::string> out;
  for (const auto& i : issues) out.push_back(i.path + ": " + i.message);
  return out;
}

// The docs/ example in both forms: same fields, and the same statements and lines over a table
// that reaches every tier, the SPIF and the filter.
TEST(PlanYaml, DemoPlanEqualsTheJsonOne) {
  const std::string dir = std::string(SPM_SOURCE_DIR) + "/docs/examples/";
  const Plan y = load_plan(dir + "demo-plan.yaml");
  const Plan j = load_plan(dir + "demo-plan.json");
  EXPECT_EQ(y.id, j.id);
  EXPECT_EQ(y.name, j.name);
  EXPECT_EQ(y.effective_from, j.effective_from);
  EXPECT_EQ(y.effective_to, j.effective_to);
  EXPECT_EQ(y.true_up, j.true_up);
  EXPECT_EQ(y.rounding_places, j.rounding_places);
  ASSERT_EQ(y.components.size(), j.components.size());
  ASSERT_EQ(y.components[0].tiers.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(y.components[0].tiers[i].from, j.components[0].tiers[i].from);
    EXPECT_EQ(y.components[0].tiers[i].to, j.components[0].tiers[i].to);
    EXPECT_EQ(y.components[0].tiers[i].rate, j.components[0].tiers[i].rate);
  }
  EXPECT_EQ(y.components[0].limits.cap_per_year, dec("120000"));
  EXPECT_EQ(y.components[1].amount, dec("1000"));
  EXPECT_EQ(y.measures[0].filter.conditions[0].values, std::vector<std::string>{"booking"});

  constexpr std::string_view tx = R"(transaction_id,payee_id,date,amount,type,product_id
T1,R1,2025-01-10,60000.00,booking,P-STD
T2,R1,2025-02-10,70000.00,booking,P-ENTS
T3,R1,2025-03-10,50000.00,renewal,P-ENTS
T4,R2,2025-03-20,90000.00,booking,P-STD
)";
  constexpr std::string_view quotas = R"(payee_id,period_start,quota
R1,2025-01-01,100000
R2,2025-01-01,50000
)";
  const auto ry = run_text(y, tx, quotas, "2025-Q1");
  const auto rj = run_text(j, tx, quotas, "2025-Q1");
  EXPECT_GT(ry.lines.num_rows(), 0u);
  EXPECT_EQ(dump(ry), dump(rj));
}

// A decimal written plainly (0.07) must reach the plan as exactly 0.07, never through a double.
TEST(PlanYaml, DecimalsStayExact) {
  const Plan p = parse_plan_yaml(R"(
id: t
effective: {from: 2026-01-01, to: 2027-01-01}
measures: [{id: bookings}]
components:
  - id: c
    measure: bookings
    tiers:
      - {from: 0, to: 100.5, rate: 0.07}
      - {from: 100.5, rate: "0.10"}
)");
  EXPECT_EQ(p.components[0].tiers[0].rate, dec("0.07"));
  EXPECT_EQ(p.components[0].tiers[0].to, dec("100.5"));
  EXPECT_EQ(p.components[0].tiers[1].from, dec("100.5"));
  // 0.1 as a double has these digits; too many places is a problem, not a silent rounding.
  EXPECT_EQ(yaml_issues(R"(
id: t
effective: {from: 2026-01-01, to: 2027-01-01}
measures: [{id: bookings}]
components:
  - {id: c, measure: bookings, tiers: [{from: 0, rate: 0.1000000000000000055511151231257827}]}
)"),
            std::vector<std::string>{
                "components[0].tiers[0].rate: '0.1000000000000000055511151231257827' has more "
                "than 12 decimal places; libspm keeps at most 12, round it first"});
}

// Plain whole numbers are integers and true/false booleans; quoted scalars stay text. The
// Reader's problems and paths are the JSON ones.
TEST(PlanYaml, ScalarsMapAsJsonWould) {
  const std::string head = "effective: {from: 2026-01-01, to: 2027-01-01}\n"
                           "measures: [{id: bookings}]\n"
                           "components: [{id: s, type: spif, amount: 1}]\n";
  const Plan p = parse_plan_yaml("id: t\nversion: 7\nallow_negative: true\n" + head);
  EXPECT_EQ(p.version, 7);
  EXPECT_TRUE(p.allow_negative);
  EXPECT_EQ(yaml_issues("id: t\nversion: \"7\"\n" + head),
            plan_issues(R"({"id": "t", "version": "7", "effective": {"from": "2026-01-01",
                "to": "2027-01-01"}, "measures": [{"id": "bookings"}],
                "components": [{"id": "s", "type": "spif", "amount": "1"}]})"));
  EXPECT_EQ(yaml_issues("id: t\nversion: \"7\"\n" + head),
            std::vector<std::string>{"version: must be a whole number"});
  EXPECT_EQ(yaml_issues("id: 2026\nallow_negative: 'true'\nversion: 1.5\n" + head),
            (std::vector<std::string>{"id: must be a string", "version: must be a whole number",
                                      "allow_negative: must be true or false"}));
}

TEST(PlanYaml, UnknownFieldsAreReportedWithTheirPath) {
  EXPECT_EQ(yaml_issues(R"(
id: t
effective: {from: 2026-01-01, to: 2027-01-01}
measures: [{id: bookings}]
components:
  - id: c
    measure: bookings
    tiers:
      - {from: 0, rate: 8, colour: red}
)"),
            std::vector<std::string>{"components[0].tiers[0].colour: unknown field; known fields "
                                     "here: from, rate, rate_to, to"});
}

// yaml-cpp keeps both entries of a key written twice; the plan reports it, as JSON plans do
// (here with array positions in the path too).
TEST(PlanYaml, DuplicateKeysAreReported) {
  EXPECT_EQ(yaml_issues(R"(
id: t
effective: {from: 2026-01-01, to: 2027-01-01}
effective: {from: 2026-02-01, to: 2027-01-01}
measures: [{id: b, id: c}]
components: [{id: s, type: spif, amount: 1}]
)"),
            (std::vector<std::string>{
                "effective: appears twice in the same object; keep one",
                "measures[0].id: appears twice in the same object; keep one"}));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)plan_yaml_to_json("id: a\nid: b\n"); }, "plan.invalid",
      "[plan.invalid] 1 problem in the plan; nothing was computed:\n"
      "  id: appears twice in the same object; keep one"));
}

TEST(PlanYaml, SyntaxErrorsGiveLineAndColumn) {
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)parse_plan_yaml("id: t\n  version: 2\n"); }, "plan.yaml",
      "[plan.yaml] the plan is not valid YAML: line 2, column 10: illegal map value"));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)parse_plan_yaml("id: a\n---\nid: b\n"); }, "plan.yaml",
      "[plan.yaml] the text holds 2 YAML documents (separated by ---); a plan is one document"));
  // Where the parser finds the list unclosed: at the end of the text.
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)parse_plan_yaml("id: t\nmeasures: [{id: b}\n"); }, "plan.yaml",
      "[plan.yaml] the plan is not valid YAML: line 3, column 1: end of sequence flow not found"));
  // An alias inside its own anchor would never end.
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] { (void)parse_plan_yaml("id: &a [*a]\n"); }, "plan.yaml",
      "[plan.yaml] the YAML document nests or repeats (through aliases) too much to be a plan"));
  EXPECT_EQ(yaml_issues("- 1\n"), plan_issues("[1]"));
  EXPECT_EQ(yaml_issues(""), plan_issues("null"));
}

// The JSON form of a YAML plan (what Python keeps and pickles) reads back to the same plan.
TEST(PlanYaml, ToJson) {
  std::ifstream in(std::string(SPM_SOURCE_DIR) + "/docs/examples/demo-plan.yaml");
  const std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const Plan back = parse_plan(plan_yaml_to_json(yaml));
  EXPECT_EQ(back.components[0].tiers[2].rate, dec("15"));
  EXPECT_EQ(back.effective_to, parse_plan_yaml(yaml).effective_to);
  EXPECT_EQ(plan_yaml_to_json("id: t\nrate: 0.08\nn: +12\nq: \"12\"\nok: true\nnone: ~\n"
                              "big: 99999999999999999999\nyes: yes\ns: !!str 5\ne: 1e3\n"),
            R"({
  "big": "99999999999999999999",
  "e": "1e3",
  "id": "t",
  "n": 12,
  "none": null,
  "ok": true,
  "q": "12",
  "rate": "0.08",
  "s": "5",
  "yes": "yes"
})");
}

#else

TEST(PlanYaml, BuiltWithoutYaml) {
  const std::string what =
      "[plan.no_yaml] libspm was built without YAML support (yaml-cpp); convert the plan to JSON";
  EXPECT_TRUE(throws_error<InvalidInputError>([] { (void)parse_plan_yaml("id: t\n"); },
                                              "plan.no_yaml", what));
  EXPECT_TRUE(throws_error<InvalidInputError>(
      [] {
        (void)load_plan(std::string(SPM_SOURCE_DIR) + "/docs/examples/demo-plan.yaml");
      },
      "plan.no_yaml", what));
}

#endif

}  // namespace
}  // namespace spm::comp::test
