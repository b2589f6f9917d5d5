// Commission runs on files: the CSV layouts of the inputs and the outputs (used by `spm comp`).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <set>

#include <spm/comp/engine.hpp>
#include <spm/comp/lifecycle.hpp>
#include <spm/io/csv.hpp>

namespace spm::comp {

/// Input file paths; the optional ones may be empty.
struct InputFiles {
  std::string transactions;
  std::string quotas;
  std::string credits;
  std::string credit_rules;
  std::string assignments;
  std::string scores;
  std::string hierarchy;
  std::string relationships;
  std::string fx_rates;
  // Lifecycle (spm comp settle).
  std::string adjustments;
  std::string draws;
  std::string cancellations;
  std::string events;
  std::string terminations;
  std::string paid;
  std::string payees;
  std::string opening;
};

/// The loaded tables (owning) and the rows the CSV reader rejected, as engine-style rejects.
struct LoadedInputs {
  io::Table transactions, quotas, credits, credit_rules, assignments, scores, hierarchy,
      relationships, fx_rates;
  io::Table adjustments, draws, cancellations, events, terminations, paid, payees, opening;
  /// The files given, by input name ("credits", "draws", ...).
  std::set<std::string> given;
  io::Table rejects;  ///< source, row, id, payee_id, period, reason (same columns as the run's)
  [[nodiscard]] CompInputs view() const;
  [[nodiscard]] LifecycleInputs lifecycle() const;
};

/// Reads the CSV inputs with their documented columns (docs/comp.md); the columns the plan sums
/// are read as decimals and other attribute columns of the transactions as text for filters.
/// Bad rows go to `rejects`. `format` gives the files' delimiter, quote and whether decimals are
/// read leniently (thousands separators, accounting negatives); its other options are not used.
[[nodiscard]] LoadedInputs load_inputs(const InputFiles& files, const Plan& plan,
                                       const io::CsvReadOptions& format = {});

/// Writes statements.csv, statements.json, lines.csv and rejects.csv (the run's rejects after
/// the reader's) into `dir`, creating it.
void write_outputs(const CompResult& result, const io::Table& input_rejects,
                   const std::filesystem::path& dir);
/// A settle's fingerprint with the rows the file reader rejected (load_inputs's rejects) folded
/// in, so that files differing only in unreadable rows differ in fingerprint too; unchanged
/// when there are none. What fingerprint.txt holds.
[[nodiscard]] std::string fingerprint(const std::string& settled, const io::Table& reader_rejects);
/// write_outputs for the commission, then pay.csv, pay_lines.csv, held.csv and fingerprint.txt;
/// rejects.csv has the reader's, the run's and the lifecycle's rejects.
void write_outputs(const LifecycleResult& result, const io::Table& input_rejects,
                   const std::filesystem::path& dir);

}  // namespace spm::comp
