// Errors: one hierarchy under spm::Error, each with a stable id and a context path.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace spm {

/// Base of every exception libspm throws for bad input or impossible operations.
///
/// `id()` is stable across releases (e.g. "decimal.parse"), `path()` names the offending field
/// (e.g. "plan.components[2].tiers[1].rate", or "" when there is none), and `what()` is the full
/// message a non-programmer can act on: "[decimal.parse] amount: '1e3' is not a decimal: ...".
class Error : public std::runtime_error {
 public:
  /// Builds an error; `message` should say what is wrong and how to fix it.
  Error(std::string id, std::string path, const std::string& message);

  /// Stable identifier of the kind of error, "<area>.<what>".
  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  /// Where the problem is (field path, column, row), or empty.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// The message without the id and path prefix.
  [[nodiscard]] const std::string& detail() const noexcept { return detail_; }

 private:
  std::string id_;
  std::string path_;
  std::string detail_;
};

/// The caller passed something invalid (malformed text, out-of-range value, mixed currencies).
class InvalidInputError : public Error {
 public:
  using Error::Error;
};

/// An exact computation would leave the representable range or divide by zero.
class ArithmeticError : public Error {
 public:
  using Error::Error;
};

/// A file or stream could not be opened, read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

/// Work was stopped by the caller through an ExecutionContext.
class CancelledError : public Error {
 public:
  using Error::Error;
};

/// Prefixes a path with a parent: join_path("plan", "tiers[1]") == "plan.tiers[1]".
[[nodiscard]] std::string join_path(std::string_view parent, std::string_view child);

}  // namespace spm
