// Shared by the JSON and YAML plan readers: both turn their text into one nlohmann::json tree,
// so every plan problem is found by the same code and reported with the same path and words.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <spm/comp/plan.hpp>

namespace spm::comp::detail {

/// Reads and validates a plan document; `issues` holds the problems already found in the text
/// (keys written twice). Throws "plan.invalid" listing every problem, as parse_plan documents.
Plan read_plan(const nlohmann::json& document, std::vector<PlanIssue> issues,
               std::vector<PlanIssue>* out_issues);

/// Throws InvalidInputError "plan.invalid" whose message lists `issues`, one per line.
[[noreturn]] void throw_plan_issues(const std::vector<PlanIssue>& issues,
                                    const std::string& plan_id);

}  // namespace spm::comp::detail
