// Tables as JSON: an array of row objects (decimals as exact strings, dates ISO, nulls null).
#pragma once

#include <filesystem>
#include <iosfwd>

#include <spm/io/table.hpp>

namespace spm::io {

/// Writes `[{"col": value, ...}, ...]`. Decimals are JSON strings ("12.50" stays exact),
/// integers and booleans JSON numbers and booleans, dates "YYYY-MM-DD", nulls null.
void write_json(const Table& table, std::ostream& out);
/// Writes to a file; throws IoError "json.write" when it cannot.
void write_json(const Table& table, const std::filesystem::path& path);

}  // namespace spm::io
