#include <spm/comp/files.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string_view>

#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>
#include <spm/io/json.hpp>

namespace spm::comp {
namespace {

using io::ColumnSpec;
using io::ColumnType;

// The reader's rejects in the engine's reject layout, with the id (`id_column`) and payee of
// each bad line as far as they can be read.
struct ReaderRejects {
  std::vector<std::string> src, id, payee, reason;
  std::vector<std::int64_t> row;
  /// Returns the id and payee fields it read, per bad line.
  std::map<std::int64_t, std::vector<std::string>> add(const std::string& path,
                                                       const io::CsvReadResult& r,
                                                       const std::string& id_column,
                                                       const io::CsvReadOptions& format,
                                                       const std::string& payee_column = "payee_id") {
    std::set<std::int64_t> lines;
    for (const auto& x : r.rejects) lines.insert(x.line);
    auto raw = io::csv_fields_at(path, lines, {id_column, payee_column}, format);
    for (const auto& x : r.rejects) {
      src.push_back(path);
      row.push_back(x.line);
      const auto it = raw.find(x.line);
      id.push_back(it != raw.end() ? it->second[0] : std::string());
      payee.push_back(it != raw.end() ? it->second[1] : std::string());
      reason.push_back((x.column.empty() ? "" : x.column + ": ") + x.reason);
    }
    return raw;
  }
};

// Appends the rows the reader rejected that name something (their first field), each with what
// `fill(column, fields)` could read of it (it pushes the value and says so; other columns get a
// null), and marks them with a boolean "_rejected" column.
template <class Fill>
void append_rejected(const std::map<std::int64_t, std::vector<std::string>>& raw,
                     const std::string& line_column, io::Table& table, Fill fill) {
  std::vector<std::uint8_t> flags(table.num_rows(), 0);
  for (const auto& [line, f] : raw) {
    if (f[0].empty()) continue;  // it names nothing to hold back (as an unknown id would)
    for (auto& c : table.columns()) {
      if (c.name() == line_column) c.push(line);
      else if (!fill(c, f)) c.push_null();
    }
    flags.push_back(1);
  }
  const std::size_t rows = flags.size();
  table.set_num_rows(rows);
  table.add(io::Column::of("_rejected", std::move(flags)));
}

// A credits or credit_rules row the reader rejected (an unreadable percent, a wrong number of
// fields) still belongs to its transaction or key: it goes on marked "_rejected" with its id and
// payee, and the run rejects the transactions it concerns (without a second reject for the row)
// rather than paying the other shares or, with no row left, the transaction's own payee in
// full. `id`: the column naming them; `raw`: its id and payee per bad line (ReaderRejects::add).
void keep_rejected_rows(const std::map<std::int64_t, std::vector<std::string>>& raw,
                        const std::string& id, const std::string& line_column, io::Table& table) {
  append_rejected(raw, line_column, table, [&](io::Column& c, const std::vector<std::string>& f) {
    if (c.name() != id && c.name() != "payee_id") return false;
    c.push(c.name() == id ? f[0] : f[1]);
    return true;
  });
}

// An fx_rates row the reader rejected still names a currency and, maybe, a date: kept, marked
// "_rejected", so that no rate of that currency is used from that date (or at all, with no
// readable date) instead of the one before.
void keep_rejected_rates(const std::string& path, const io::CsvReadResult& r,
                         const io::CsvReadOptions& opt, io::Table& table) {
  std::set<std::int64_t> lines;
  for (const auto& x : r.rejects) lines.insert(x.line);
  const auto raw = io::csv_fields_at(path, lines, {"currency", "date"}, opt);
  const std::string& line_column = opt.line_column;
  append_rejected(raw, line_column, table, [&](io::Column& c, const std::vector<std::string>& f) {
    Date d;
    if (c.name() == "currency") c.push(f[0]);
    else if (c.name() == "date" && io::read_date(f[1], opt.date_format, d)) c.push(d);
    else return false;
    return true;
  });
}

}  // namespace

CompInputs LoadedInputs::view() const {
  CompInputs in;
  in.transactions = &transactions;
  in.quotas = &quotas;
  auto opt = [&](const char* name, const io::Table& t) { return given.count(name) ? &t : nullptr; };
  in.credits = opt("credits", credits);
  in.credit_rules = opt("credit_rules", credit_rules);
  in.assignments = opt("assignments", assignments);
  in.scores = opt("scores", scores);
  in.hierarchy = opt("hierarchy", hierarchy);
  in.relationships = opt("relationships", relationships);
  in.fx_rates = opt("fx_rates", fx_rates);
  return in;
}

LifecycleInputs LoadedInputs::lifecycle() const {
  LifecycleInputs in;
  auto opt = [&](const char* name, const io::Table& t) { return given.count(name) ? &t : nullptr; };
  in.adjustments = opt("adjustments", adjustments);
  in.draws = opt("draws", draws);
  in.cancellations = opt("cancellations", cancellations);
  in.events = opt("events", events);
  in.terminations = opt("terminations", terminations);
  in.paid = opt("paid", paid);
  in.payees = opt("payees", payees);
  in.opening = opt("opening", opening);
  return in;
}

LoadedInputs load_inputs(const InputFiles& files, const Plan& plan,
                         const io::CsvReadOptions& format) {
  LoadedInputs out;
  ReaderRejects rejected;
  io::CsvReadOptions with_lines = io::with_format({}, format);
  with_lines.line_column = "_line";  // so that the run's rejects name file lines
  io::CsvReadOptions with_attributes = with_lines;
  with_attributes.extra_columns_as_text = true;
  auto load = [&](const std::string& path, std::vector<ColumnSpec> schema,
                  const io::CsvReadOptions& opt, const std::string& id,
                  const std::string& payee = "payee_id") {
    auto r = io::read_csv(path, schema, opt);
    rejected.add(path, r, id, opt, payee);
    return std::move(r.table);
  };
  std::vector<ColumnSpec> tx_schema{{"transaction_id", ColumnType::string},
                                    {"payee_id", ColumnType::string, true},
                                    {"date", ColumnType::date},
                                    {"amount", ColumnType::decimal},
                                    {"currency", ColumnType::string, false, false}};
  if (!plan.credit_by.empty()) tx_schema.push_back({plan.credit_by, ColumnType::string, true});
  // Other columns the plan sums (margin, units) are decimals; the rest load as text for filters.
  for (const auto& m : plan.measures) {
    const bool known = std::any_of(tx_schema.begin(), tx_schema.end(),
                                   [&](const ColumnSpec& c) { return c.name == m.sum_column; });
    if (!m.count && !known) tx_schema.push_back({m.sum_column, ColumnType::decimal, true});
  }
  out.transactions = load(files.transactions, tx_schema, with_attributes, "transaction_id");
  // `spm quota phase` writes the period quotas by rep_id: read as payee_id when that is absent.
  const auto q_header = io::csv_header(files.quotas, with_lines);
  auto has = [&](const char* name) { return io::find_header(q_header, name).has_value(); };
  const bool by_rep = !has("payee_id") && has("rep_id");
  if (!has("payee_id") && !has("rep_id") && has("node_id") && has("is_rep")) {
    throw InvalidInputError("comp.quotas", files.quotas,
                            "this is spm quota allocate's quotas.csv (a yearly quota per node); a "
                            "run needs quotas per payee and pay period: run `spm quota phase "
                            "--quotas " + files.quotas + " --year YYYY` and give its "
                            "period_quotas.csv");
  }
  std::vector<ColumnSpec> q_schema{{by_rep ? "rep_id" : "payee_id", ColumnType::string},
                                   {"period_start", ColumnType::date},
                                   // nullable: the run rejects an empty quota as missing
                                   {"quota", ColumnType::decimal, true},
                                   {"measure", ColumnType::string, true, false},
                                   {"days_prorated", ColumnType::boolean, true, false}};
  // Read only for a plan that uses it: elsewhere such a column is someone's information.
  if (uses_target_incentive(plan)) {
    q_schema.push_back({"target_incentive", ColumnType::decimal, true, false});
  }
  out.quotas = load(files.quotas, q_schema, with_lines, "measure", by_rep ? "rep_id" : "payee_id");
  if (by_rep) out.quotas.columns()[*out.quotas.find("rep_id")].rename("payee_id");
  using T = ColumnType;
  // Optional files: name, path, destination, columns (name, type, nullable).
  struct Optional {
    const char* name;
    const std::string& path;
    io::Table& table;
    std::vector<ColumnSpec> schema;
  };
  const Optional optional[] = {
      {"credits", files.credits, out.credits, {{"transaction_id", T::string}, {"payee_id", T::string}, {"percent", T::decimal}}},
      {"credit_rules", files.credit_rules, out.credit_rules, {{"key", T::string}, {"payee_id", T::string}, {"from", T::date}, {"to", T::date, true, false}, {"percent", T::decimal, true, false}}},
      {"assignments", files.assignments, out.assignments, {{"payee_id", T::string}, {"from", T::date}, {"to", T::date, true}}},
      {"scores", files.scores, out.scores, {{"payee_id", T::string}, {"period_start", T::date}, {"score", T::string}, {"value", T::decimal}}},
      {"hierarchy", files.hierarchy, out.hierarchy, {{"payee_id", T::string}, {"manager_id", T::string}, {"from", T::date}, {"to", T::date, true, false}}},
      {"relationships", files.relationships, out.relationships, {{"relationship", T::string}, {"key", T::string}, {"payee_id", T::string}, {"from", T::date}, {"to", T::date, true, false}}},
      {"fx_rates", files.fx_rates, out.fx_rates, {{"currency", T::string}, {"date", T::date}, {"rate", T::decimal}}},
      {"adjustments", files.adjustments, out.adjustments, {{"payee_id", T::string}, {"period", T::string}, {"amount", T::decimal}, {"reason", T::string, true}, {"author", T::string, true}, {"date", T::date, true, false}}},
      {"draws", files.draws, out.draws, {{"payee_id", T::string}, {"from", T::date}, {"to", T::date, true, false}, {"amount", T::decimal}, {"type", T::string}}},
      {"cancellations", files.cancellations, out.cancellations, {{"transaction_id", T::string}, {"date", T::date}, {"amount", T::decimal, true, false}}},
      {"events", files.events, out.events, {{"transaction_id", T::string}, {"event", T::string}, {"date", T::date}, {"amount", T::decimal, true, false}, {"due", T::date, true, false}}},
      {"terminations", files.terminations, out.terminations, {{"payee_id", T::string}, {"date", T::date}}},
      {"paid", files.paid, out.paid, {{"payee_id", T::string}, {"period", T::string}, {"amount", T::decimal}}},
      {"payees", files.payees, out.payees, {{"payee_id", T::string}, {"currency", T::string}}},
      {"opening", files.opening, out.opening, {{"payee_id", T::string}, {"draw_balance", T::decimal, true}, {"owed", T::decimal, true}}},
  };
  for (const auto& o : optional) {
    if (o.path.empty()) continue;
    out.given.insert(o.name);
    auto r = io::read_csv(o.path, o.schema, with_lines);
    // The row's id: its first column (a transaction for credits, a key for rules, a payee
    // for assignments, ...).
    const std::string& id = o.schema.front().name;
    const auto raw = rejected.add(o.path, r, id, with_lines);
    o.table = std::move(r.table);
    const std::string_view name = o.name;
    if (name == "credits" || name == "credit_rules") {
      keep_rejected_rows(raw, id, with_lines.line_column, o.table);
    } else if (name == "fx_rates") {
      keep_rejected_rates(o.path, r, with_lines, o.table);
    }
  }
  const std::size_t n = rejected.src.size();
  out.rejects.add(io::Column::of("source", std::move(rejected.src)));
  out.rejects.add(io::Column::of("row", std::move(rejected.row)));
  out.rejects.add(io::Column::of("id", std::move(rejected.id)));
  out.rejects.add(io::Column::of("payee_id", std::move(rejected.payee)));
  out.rejects.add(io::Column::of("period", std::vector<std::string>(n)));
  out.rejects.add(io::Column::of("reason", std::move(rejected.reason)));
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

void write_outputs(const LifecycleResult& result, const io::Table& input_rejects,
                   const std::filesystem::path& dir) {
  CompResult c;
  c.statements = result.commission.statements;
  c.lines = result.commission.lines;
  c.rejects = result.rejects;
  write_outputs(c, input_rejects, dir);
  io::write_csv(result.pay, dir / "pay.csv");
  io::write_json(result.pay, dir / "pay.json");
  io::write_csv(result.pay_lines, dir / "pay_lines.csv");
  io::write_csv(result.held, dir / "held.csv");
  std::ofstream(dir / "fingerprint.txt") << fingerprint(result.fingerprint, input_rejects) << "\n";
}

}  // namespace spm::comp
