// JSON allows a key twice in one object and keeps the last; in a document a person writes (a
// plan, a capacity model) that hides a mistake. A parser callback that finds every repeated key,
// with the path of the enclosing keys (array positions are not tracked). Private to the library.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <spm/core/error.hpp>

namespace spm::detail {

class DuplicateKeys {
 public:
  /// Pass to nlohmann::json::parse; keeps the object being parsed valid as long as it lives.
  [[nodiscard]] nlohmann::json::parser_callback_t callback() {
    return [this](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
      using E = nlohmann::json::parse_event_t;
      if (event == E::object_start) {
        keys_.emplace_back();
      } else if (event == E::key) {
        const auto k = parsed.get<std::string>();
        if (!keys_.empty() && !keys_.back().insert(k).second) {
          std::string at;
          for (std::size_t i = 0; i + 1 < keys_.size() && i < path_.size(); ++i) at = join_path(at, path_[i]);
          found.push_back(join_path(at, k));
        }
        if (path_.size() < keys_.size()) path_.resize(keys_.size());
        path_[keys_.size() - 1] = k;
      } else if (event == E::object_end) {
        if (!keys_.empty()) keys_.pop_back();
        path_.resize(keys_.size());
      }
      return true;
    };
  }
  /// Paths of the repeated keys, in document order.
  std::vector<std::string> found;

 private:
  std::vector<std::set<std::string>> keys_;
  std::vector<std::string> path_;
};

}  // namespace spm::detail
