// YAML plan documents: turned into the JSON tree that plan_json.cpp reads, so both forms are
// validated by one piece of code and report the same problems at the same paths.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <spm/comp/plan.hpp>
#include <spm/core/error.hpp>

#include "plan_document.hpp"

#ifdef SPM_HAS_YAML
#include <yaml-cpp/yaml.h>
#endif

namespace spm::comp {
namespace {

using json = nlohmann::json;

#ifdef SPM_HAS_YAML

// The YAML 1.2 core schema without its floats: "0.08" read as a double would no longer be 0.08,
// so every scalar that is not a whole number or a boolean stays text (the Reader reads decimals
// from text exactly). Null scalars reach us as null nodes already.
json plain_scalar(const std::string& s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  const std::string_view text(s);
  const std::size_t sign = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
  const std::string_view body = text.substr(sign);
  const auto is_digit = [](unsigned char c) { return std::isdigit(c) != 0; };
  if (!body.empty() && std::all_of(body.begin(), body.end(), is_digit)) {
    std::int64_t v = 0;
    const char* first = text.data() + (text[0] == '+' ? 1 : 0);  // from_chars refuses '+'
    if (std::from_chars(first, text.data() + text.size(), v).ec == std::errc()) return v;
  }
  return s;  // too large for an integer too: the Reader then reports the decimal's limits
}

// Plans are small and shallow; the limits stop a cyclic alias (&a [*a]) or an alias bomb from
// recursing or allocating without end.
constexpr int max_depth = 64;
constexpr std::size_t max_values = 1'000'000;

class Converter {
 public:
  explicit Converter(std::vector<PlanIssue>& issues) : issues_(issues) {}

  json convert(const YAML::Node& node, const std::string& path, int depth) {
    if (depth > max_depth || ++values_ > max_values) {
      throw InvalidInputError("plan.yaml", "",
                              "the YAML document nests or repeats (through aliases) too much to "
                              "be a plan");
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        // "?" is yaml-cpp's tag for a plain scalar; quoted, block and tagged ones stay text.
        return node.Tag() == "?" ? plain_scalar(node.Scalar()) : json(node.Scalar());
      case YAML::NodeType::Sequence: {
        json out = json::array();
        std::size_t i = 0;
        for (const auto& item : node) {
          out.push_back(convert(item, path + "[" + std::to_string(i++) + "]", depth + 1));
        }
        return out;
      }
      case YAML::NodeType::Map: {
        json out = json::object();
        for (const auto& entry : node) {
          const YAML::Node& key = entry.first;
          if (!key.IsScalar()) {
            issues_.push_back({path, "keys must be names, not lists, mappings or null"});
            continue;
          }
          const std::string at = join_path(path, key.Scalar());
          // yaml-cpp keeps both entries; JSON would keep the last, so report it as JSON does.
          if (out.contains(key.Scalar())) {
            issues_.push_back({at, "appears twice in the same object; keep one"});
          }
          out[key.Scalar()] = convert(entry.second, at, depth + 1);
        }
        return out;
      }
      default:
        return nullptr;
    }
  }

 private:
  std::vector<PlanIssue>& issues_;
  std::size_t values_ = 0;
};

json yaml_tree(std::string_view yaml, std::vector<PlanIssue>& issues) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(yaml));
  } catch (const YAML::Exception& e) {
    std::string where;
    if (!e.mark.is_null()) {
      where = "line " + std::to_string(e.mark.line + 1) + ", column " +
              std::to_string(e.mark.column + 1) + ": ";
    }
    throw InvalidInputError("plan.yaml", "", "the plan is not valid YAML: " + where + e.msg);
  }
  if (documents.size() > 1) {
    throw InvalidInputError("plan.yaml", "",
                            "the text holds " + std::to_string(documents.size()) +
                                " YAML documents (separated by ---); a plan is one document");
  }
  if (documents.empty()) return nullptr;  // reported as "expected an object", as JSON null is
  return Converter(issues).convert(documents.front(), "", 0);
}

#else

json yaml_tree(std::string_view, std::vector<PlanIssue>&) {
  throw InvalidInputError("plan.no_yaml", "",
                          "libspm was built without YAML support (yaml-cpp); convert the plan "
                          "to JSON");
}

#endif

}  // namespace

Plan parse_plan_yaml(std::string_view yaml, std::vector<PlanIssue>* out_issues) {
  std::vector<PlanIssue> issues;
  const json document = yaml_tree(yaml, issues);
  return detail::read_plan(document, std::move(issues), out_issues);
}

std::string plan_yaml_to_json(std::string_view yaml) {
  std::vector<PlanIssue> issues;
  const json document = yaml_tree(yaml, issues);
  if (!issues.empty()) detail::throw_plan_issues(issues, "");
  try {
    return document.dump(2);
  } catch (const json::type_error& e) {  // text that is not UTF-8, which JSON cannot carry
    throw InvalidInputError("plan.yaml", "", std::string("the plan is not valid UTF-8: ") +
                                                 e.what());
  }
}

}  // namespace spm::comp
