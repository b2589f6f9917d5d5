#include <fstream>
#include <ostream>

#include <nlohmann/json.hpp>
#include <spm/core/error.hpp>
#include <spm/io/json.hpp>

namespace spm::io {

void write_json(const Table& table, std::ostream& out) {
  out << "[";
  for (std::size_t r = 0; r < table.num_rows(); ++r) {
    out << (r ? ",\n " : "\n ") << "{";
    bool first = true;
    for (const auto& c : table.columns()) {
      out << (first ? "" : ", ") << nlohmann::json(c.name()).dump() << ": ";
      first = false;
      if (c.is_null(r)) {
        out << "null";
      } else if (c.type() == ColumnType::integer || c.type() == ColumnType::float64 ||
                 c.type() == ColumnType::boolean) {
        out << c.text(r);
      } else {
        out << nlohmann::json(c.text(r)).dump();
      }
    }
    out << "}";
  }
  out << "\n]\n";
}

void write_json(const Table& table, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    throw IoError("json.write", path.string(),
                  "cannot create the file; check that the folder exists and is writable");
  }
  write_json(table, out);
  if (!out.flush()) throw IoError("json.write", path.string(), "writing the file failed");
}

}  // namespace spm::io
