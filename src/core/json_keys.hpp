// JSON allows a key twice in one object and keeps the last; in a document a person writes (a
// plan, a capacity model) that hides a mistake. A parser callback that finds every repeated key,
// with its path (enclosing keys and array positions). Private to the library.
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
      if (event == E::object_start || event == E::array_start) {
        if (!levels_.empty() && levels_.back().array) ++levels_.back().index;  // an element begins
        levels_.push_back({event == E::array_start, {}, {}, -1});
      } else if (event == E::key) {
        const auto k = parsed.get<std::string>();
        if (!levels_.empty()) {
          Level& l = levels_.back();
          l.key = k;
          if (!l.keys.insert(k).second) found.push_back(path());
        }
      } else if (event == E::value) {
        if (!levels_.empty() && levels_.back().array) ++levels_.back().index;  // a scalar element
      } else if (event == E::object_end || event == E::array_end) {
        if (!levels_.empty()) levels_.pop_back();
      }
      return true;
    };
  }
  /// Paths of the repeated keys (with array positions: "measures[0].id"), in document order.
  std::vector<std::string> found;

 private:
  struct Level {
    bool array = false;
    std::set<std::string> keys;  // an object's keys so far
    std::string key;             // an object's current key
    long index = -1;             // an array's current element
  };
  [[nodiscard]] std::string path() const {
    std::string at;
    for (const auto& l : levels_) {
      if (l.array) at += "[" + std::to_string(l.index) + "]";
      else at = join_path(at, l.key);
    }
    return at;
  }
  std::vector<Level> levels_;
};

/// The parser's message, with the usual cause named when it is one people make: a comma before
/// a closing bracket (JSON allows none), single quotes or a bare word.
inline std::string json_parse_message(const nlohmann::json::parse_error& e) {
  const std::string what = e.what();
  if (what.find("unexpected ']'") != std::string::npos || what.find("unexpected '}'") != std::string::npos) {
    return what + "; is there a comma before that bracket? JSON allows no trailing comma";
  }
  if (what.find("invalid literal") != std::string::npos) {
    return what + "; JSON strings and keys take double quotes, and true, false and null are lower case";
  }
  return what;
}

}  // namespace spm::detail
