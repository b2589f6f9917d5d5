// The few SVG pieces the charts and maps share (demo forecast chart, territory maps).
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace spm::cli {

/// Text for SVG content and attributes: & < > " escaped.
inline std::string svg_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// The opening of a chart: the <svg> element, a white background and the title on top (14 px,
/// at 10, 18). Close it with "</svg>\n".
inline void svg_begin(std::ostream& svg, double width, double height, std::string_view title) {
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" "
         "fill=\"white\"/>\n"
      << "<text x=\"10\" y=\"18\" font-size=\"14\">" << svg_escape(title) << "</text>\n";
}

}  // namespace spm::cli
