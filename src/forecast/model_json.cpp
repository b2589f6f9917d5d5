// Saving and loading a fitted win model as JSON (full double precision: 17 significant digits).
#include <nlohmann/json.hpp>

#include <spm/core/error.hpp>
#include <spm/forecast/win_model.hpp>

namespace spm::forecast {

using json = nlohmann::json;

std::string WinModel::to_json() const {
  json j;
  j["format"] = "spm.win_model/1";
  j["outcome"] = options_.outcome;
  j["numeric"] = options_.numeric;
  j["categorical"] = options_.categorical;
  j["known_at_close"] = options_.known_at_close;
  j["l2"] = options_.l2;
  j["base_rate"] = base_rate_;
  j["rows_used"] = rows_used_;
  json coef = json::array();
  for (const auto& c : coef_) coef.push_back({{"feature", c.feature}, {"value", c.value}, {"mean", c.mean}, {"scale", c.scale}});
  j["coefficients"] = coef;
  j["calibration"] = {{"kind", std::string(forecast::to_string(calibrator_.kind))},
                      {"a", calibrator_.a}, {"b", calibrator_.b}, {"x", calibrator_.x}, {"y", calibrator_.y}};
  return j.dump(2);
}

WinModel WinModel::from_json(std::string_view text) {
  try {
    const auto j = json::parse(text);
    if (j.value("format", "") != "spm.win_model/1") {
      throw InvalidInputError("forecast.model", "format",
                              "not a saved win model (expected \"format\": \"spm.win_model/1\")");
    }
    WinModelOptions o;
    o.outcome = j.at("outcome").get<std::string>();
    o.numeric = j.at("numeric").get<std::vector<std::string>>();
    o.categorical = j.at("categorical").get<std::vector<std::string>>();
    o.known_at_close = j.value("known_at_close", std::vector<std::string>{});
    o.l2 = j.at("l2").get<double>();
    std::vector<Coefficient> coef;
    for (const auto& c : j.at("coefficients")) {
      coef.push_back({c.at("feature").get<std::string>(), c.at("value").get<double>(),
                      c.at("mean").get<double>(), c.at("scale").get<double>()});
    }
    Calibrator cal;
    const auto& k = j.at("calibration");
    cal.kind = parse_calibration(k.at("kind").get<std::string>());
    o.calibration = cal.kind;
    cal.a = k.at("a").get<double>();
    cal.b = k.at("b").get<double>();
    cal.x = k.at("x").get<std::vector<double>>();
    cal.y = k.at("y").get<std::vector<double>>();
    return from_parts(std::move(o), std::move(coef), std::move(cal), j.at("base_rate").get<double>(),
                      j.at("rows_used").get<std::size_t>());
  } catch (const json::exception& e) {
    throw InvalidInputError("forecast.model", "", std::string("cannot read the model: ") + e.what());
  }
}

}  // namespace spm::forecast
