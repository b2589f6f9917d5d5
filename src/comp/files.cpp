#include <spm/comp/files.hpp>

#include <algorithm>

#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>
#include <spm/io/json.hpp>

namespace spm::comp {
namespace {

using io::ColumnSpec;
using io::ColumnType;

// Appends a CSV read's rejects in the engine's reject layout.
void add_rejects(const std::string& source, const io::CsvReadResult& r,
                 std::vector<std::string>& src, std::vector<std::int64_t>& row,
                 std::vector<std::string>& reason) {
  for (const auto& x : r.rejects) {
    src.push_back(source);
    row.push_back(x.line);
    reason.push_back((x.column.empty() ? "" : x.column + ": ") + x.reason);
  }
}

}  // namespace

CompInputs LoadedInputs::view() const {
  CompInputs in;
  in.transactions = &transactions;
  in.quotas = &quotas;
  if (has_credits) in.credits = &credits;
  if (has_credit_rules) in.credit_rules = &credit_rules;
  if (has_assignments) in.assignments = &assignments;
  if (has_scores) in.scores = &scores;
  return in;
}

LoadedInputs load_inputs(const InputFiles& files, const Plan& plan) {
  LoadedInputs out;
  std::vector<std::string> src, reason;
  std::vector<std::int64_t> row;
  io::CsvReadOptions with_attributes;
  with_attributes.extra_columns_as_text = true;
  with_attributes.line_column = "_line";
  io::CsvReadOptions with_lines;
  with_lines.line_column = "_line";  // so that the run's rejects name file lines
  auto load = [&](const std::string& path, std::vector<ColumnSpec> schema,
                  const io::CsvReadOptions& opt) {
    auto r = io::read_csv(path, schema, opt);
    add_rejects(path, r, src, row, reason);
    return std::move(r.table);
  };
  std::vector<ColumnSpec> tx_schema{{"transaction_id", ColumnType::string},
                                    {"payee_id", ColumnType::string, true},
                                    {"date", ColumnType::date},
                                    {"amount", ColumnType::decimal},
                                    {"currency", ColumnType::string, true, false}};
  if (!plan.credit_by.empty()) tx_schema.push_back({plan.credit_by, ColumnType::string, true});
  // Other columns the plan sums (margin, units) are decimals; the rest load as text for filters.
  for (const auto& m : plan.measures) {
    const bool known = std::any_of(tx_schema.begin(), tx_schema.end(),
                                   [&](const ColumnSpec& c) { return c.name == m.sum_column; });
    if (!m.count && !known) tx_schema.push_back({m.sum_column, ColumnType::decimal, true});
  }
  out.transactions = load(files.transactions, tx_schema, with_attributes);
  out.quotas = load(files.quotas, {{"payee_id", ColumnType::string},
                                   {"period_start", ColumnType::date},
                                   {"quota", ColumnType::decimal},
                                   {"measure", ColumnType::string, true, false}}, with_lines);
  if (!files.credits.empty()) {
    out.has_credits = true;
    out.credits = load(files.credits, {{"transaction_id", ColumnType::string},
                                       {"payee_id", ColumnType::string},
                                       {"percent", ColumnType::decimal}}, with_lines);
  }
  if (!files.credit_rules.empty()) {
    out.has_credit_rules = true;
    out.credit_rules = load(files.credit_rules, {{"key", ColumnType::string},
                                                 {"payee_id", ColumnType::string},
                                                 {"from", ColumnType::date},
                                                 {"to", ColumnType::date, true, false},
                                                 {"percent", ColumnType::decimal, true, false}}, with_lines);
  }
  if (!files.assignments.empty()) {
    out.has_assignments = true;
    out.assignments = load(files.assignments, {{"payee_id", ColumnType::string},
                                               {"from", ColumnType::date},
                                               {"to", ColumnType::date, true}}, with_lines);
  }
  if (!files.scores.empty()) {
    out.has_scores = true;
    out.scores = load(files.scores, {{"payee_id", ColumnType::string},
                                     {"period_start", ColumnType::date},
                                     {"score", ColumnType::string},
                                     {"value", ColumnType::decimal}}, with_lines);
  }
  const std::size_t n = src.size();
  out.rejects.add(io::Column::of("source", std::move(src)));
  out.rejects.add(io::Column::of("row", std::move(row)));
  out.rejects.add(io::Column::of("id", std::vector<std::string>(n)));
  out.rejects.add(io::Column::of("payee_id", std::vector<std::string>(n)));
  out.rejects.add(io::Column::of("period", std::vector<std::string>(n)));
  out.rejects.add(io::Column::of("reason", std::move(reason)));
  return out;
}

void write_outputs(const CompResult& result, const io::Table& input_rejects,
                   const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError("comp.out", dir.string(), "cannot create the output folder: " + ec.message());
  io::write_csv(result.statements, dir / "statements.csv");
  io::write_json(result.statements, dir / "statements.json");
  io::write_csv(result.lines, dir / "lines.csv");
  // Reader rejects first, then the run's: one file with every row that was not computed.
  io::Table all;
  for (std::size_t c = 0; c < result.rejects.num_columns(); ++c) {
    const auto& a = input_rejects.columns()[c];
    const auto& b = result.rejects.columns()[c];
    io::Column col = a;
    if (b.type() == io::ColumnType::string) {
      auto& v = col.values<std::string>();
      v.insert(v.end(), b.values<std::string>().begin(), b.values<std::string>().end());
    } else {
      auto& v = col.values<std::int64_t>();
      v.insert(v.end(), b.values<std::int64_t>().begin(), b.values<std::int64_t>().end());
    }
    all.add(std::move(col));
  }
  io::write_csv(all, dir / "rejects.csv");
}

}  // namespace spm::comp
