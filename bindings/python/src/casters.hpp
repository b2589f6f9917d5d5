// Conversions between libspm value types and Python, shared by every binding source
// (core.cpp, io.cpp, ...). Include this header before any other nanobind STL header in a binding
// source: it specialises the casters of std::vector<spm::Decimal> and std::vector<spm::Date>.
//
//   spm::Decimal   <-> decimal.Decimal   exact, through the decimal text; int is accepted too
//   spm::Date      <-> datetime.date     through the proleptic ordinal
//   spm::Fraction  <-> fractions.Fraction (int accepted)
//
// Binary floats are never converted: a float where a decimal is expected raises TypeError.
//
// How refusals are reported. nanobind's casters return false for "not my type", and
// nanobind then raises a generic "incompatible function arguments" TypeError. For values that
// are clearly meant as the argument but cannot be converted exactly (a float, a str, NaN, a
// decimal with 13 places, a datetime with a time of day) that message would hide the reason, so
// these casters *accept* the value in the implicit-conversion pass, remember why it cannot be
// converted, and raise the precise error (TypeError, or spm.InvalidInputError with the id
// "decimal.parse") when the bound function reads the argument. Inside containers and nb::cast,
// can_cast() reports the failure instead, so no exception ever crosses nanobind's noexcept code.
// (Should a future nanobind also consult can_cast() for plain arguments, the precise message
// degrades to nanobind's generic TypeError; nothing else changes.)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nanobind/nanobind.h>

#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/fraction.hpp>

namespace spm::python {

namespace nb = nanobind;

/// A decimal handed to Python with at least `places` decimals, padded with zeros and never
/// rounded: round_decimal(x, 2) gives Decimal('12.50') as decimal's quantize would.
struct Padded {
  Decimal value;
  int places = 0;
};

/// Why a Python value that a caster accepted cannot be converted exactly.
class ConversionError {
 public:
  enum class Kind : std::uint8_t { none, type, value };

  [[nodiscard]] bool ok() const noexcept { return kind_ == Kind::none; }
  /// Records the failure; `id` is the libspm error id of a value error ("decimal.parse").
  void set(Kind kind, std::string id, std::string message) noexcept;
  /// Marks the failure as belonging to element `index` of a sequence.
  void set_index(std::size_t index) noexcept;
  /// Throws nb::type_error (kind type) or spm::InvalidInputError (kind value).
  [[noreturn]] void raise(std::string_view path = {}) const;

 private:
  Kind kind_ = Kind::none;
  std::string id_;
  std::string path_;
  std::string message_;
};

/// Imports decimal, datetime, fractions and spm._errors and registers the translation of
/// spm::Error to the spm exception classes. Called once by NB_MODULE before anything is bound.
void init_common(nb::module_& m);

/// Python -> Decimal. Returns false when `src` is not a value this conversion claims (overload
/// resolution moves on); true with `err` set when it claims `src` but cannot convert it exactly.
/// `convert` is nanobind's implicit-conversion flag: only then are floats and str claimed.
bool decimal_from_python(PyObject* src, bool convert, Decimal& out, ConversionError& err) noexcept;
/// Decimal -> new reference to a decimal.Decimal in its shortest exact form, or null with a
/// Python error set.
PyObject* decimal_to_python(const Decimal& d) noexcept;
/// As above with at least `places` decimals (trailing zeros added, never rounded).
PyObject* decimal_to_python(const Decimal& d, int places) noexcept;

bool date_from_python(PyObject* src, bool convert, Date& out, ConversionError& err) noexcept;
/// Date -> new reference to a datetime.date; null with ValueError set outside years 1..9999.
PyObject* date_to_python(Date d) noexcept;

bool fraction_from_python(PyObject* src, bool convert, Fraction& out,
                          ConversionError& err) noexcept;
PyObject* fraction_to_python(const Fraction& f) noexcept;

/// Throwing conversions for code that holds a handle; `path` names the value in the error
/// ("weights[3]"). Raise TypeError for a wrong type, spm.InvalidInputError for an inexact value.
Decimal to_decimal(nb::handle h, std::string_view path = {});
Date to_date(nb::handle h, std::string_view path = {});

}  // namespace spm::python

namespace nanobind::detail {

// Signature names: nanobind 3 can give arguments and results different names (int is accepted
// where a decimal is expected, a decimal always comes back).
#if NB_VERSION_MAJOR >= 3
#define SPM_NB_IO_NAME(in, out) io_name(in, out)
#define SPM_NB_SEQ_GET NB_CALL(seq_get)
#else
#define SPM_NB_IO_NAME(in, out) const_name(out)
#define SPM_NB_SEQ_GET seq_get
#endif

/// Common part of the libspm value casters (see the comment at the top of the file).
template <class T>
struct spm_value_caster {
  using Value = T;
  template <typename T_>
  using Cast = movable_cast_t<T_>;
  template <typename T_>
  [[nodiscard]] bool can_cast() const noexcept {
    return err.ok();
  }
  explicit operator Value*() {
    check();
    return &value;
  }
  explicit operator Value&() {
    check();
    return value;
  }
  explicit operator Value&&() {
    check();
    return std::move(value);
  }
  void check() const {
    if (!err.ok()) err.raise();
  }

  Value value{};
  spm::python::ConversionError err;
};

template <>
struct type_caster<spm::Decimal> : spm_value_caster<spm::Decimal> {
  static constexpr auto Name = SPM_NB_IO_NAME("decimal.Decimal | int", "decimal.Decimal");
  bool from_python(handle src, uint32_t flags, cleanup_list*) noexcept {
    return spm::python::decimal_from_python(src.ptr(), (flags & cast_flags::convert) != 0, value,
                                            err);
  }
  static handle from_cpp(const spm::Decimal& d, rv_policy, cleanup_list*) noexcept {
    return spm::python::decimal_to_python(d);
  }
  static handle from_cpp(const spm::Decimal* d, rv_policy p, cleanup_list* c) noexcept {
    if (!d) return none().release();
    return from_cpp(*d, p, c);
  }
};

template <>
struct type_caster<spm::python::Padded> : spm_value_caster<spm::python::Padded> {
  static constexpr auto Name = const_name("decimal.Decimal");
  bool from_python(handle, uint32_t, cleanup_list*) noexcept { return false; }
  static handle from_cpp(const spm::python::Padded& d, rv_policy, cleanup_list*) noexcept {
    return spm::python::decimal_to_python(d.value, d.places);
  }
};

template <>
struct type_caster<spm::Date> : spm_value_caster<spm::Date> {
  static constexpr auto Name = const_name("datetime.date");
  bool from_python(handle src, uint32_t flags, cleanup_list*) noexcept {
    return spm::python::date_from_python(src.ptr(), (flags & cast_flags::convert) != 0, value,
                                         err);
  }
  static handle from_cpp(const spm::Date& d, rv_policy, cleanup_list*) noexcept {
    return spm::python::date_to_python(d);
  }
  static handle from_cpp(const spm::Date* d, rv_policy p, cleanup_list* c) noexcept {
    if (!d) return none().release();
    return from_cpp(*d, p, c);
  }
};

template <>
struct type_caster<spm::Fraction> : spm_value_caster<spm::Fraction> {
  static constexpr auto Name = SPM_NB_IO_NAME("fractions.Fraction | int", "fractions.Fraction");
  bool from_python(handle src, uint32_t flags, cleanup_list*) noexcept {
    return spm::python::fraction_from_python(src.ptr(), (flags & cast_flags::convert) != 0,
                                             value, err);
  }
  static handle from_cpp(const spm::Fraction& f, rv_policy, cleanup_list*) noexcept {
    return spm::python::fraction_to_python(f);
  }
  static handle from_cpp(const spm::Fraction* f, rv_policy p, cleanup_list* c) noexcept {
    if (!f) return none().release();
    return from_cpp(*f, p, c);
  }
};

/// Sequences of libspm values (weights, percentages, holidays): any sequence, e.g. a list, a tuple
/// or a NumPy integer array, converted element by element with the rules above. An element that
/// cannot be converted is reported with its position ("element [2]: float 0.5 is not ...").
template <class T, auto FromPython, auto ToPython>
struct spm_vector_caster : spm_value_caster<std::vector<T>> {
  using spm_value_caster<std::vector<T>>::value;
  using spm_value_caster<std::vector<T>>::err;

  bool from_python(handle src, uint32_t flags, cleanup_list*) noexcept {
    std::size_t size = 0;
    PyObject* temp = nullptr;
    PyObject** items = SPM_NB_SEQ_GET(src.ptr(), &size, &temp);
    if (items == nullptr) return false;
    value.clear();
    bool claimed = true;
    try {
      value.reserve(size);
      for (std::size_t i = 0; i < size; ++i) {
        T element{};
        if (!FromPython(items[i], (flags & cast_flags::convert) != 0, element, err)) {
          claimed = false;
          break;
        }
        if (!err.ok()) {
          err.set_index(i);
          break;
        }
        value.push_back(element);
      }
    } catch (...) {
      claimed = false;
    }
    Py_XDECREF(temp);
    return claimed;
  }

  template <class V>
  static handle from_cpp(V&& src, rv_policy, cleanup_list*) noexcept {
    PyObject* list = PyList_New(static_cast<Py_ssize_t>(src.size()));
    if (list == nullptr) return {};
    Py_ssize_t i = 0;
    for (const T& element : src) {
      PyObject* item = ToPython(element);
      if (item == nullptr) {
        Py_DECREF(list);
        return {};
      }
      PyList_SetItem(list, i++, item);
    }
    return list;
  }
};

template <>
struct type_caster<std::vector<spm::Decimal>>
    : spm_vector_caster<spm::Decimal, &spm::python::decimal_from_python,
                        static_cast<PyObject* (*)(const spm::Decimal&) noexcept>(
                            &spm::python::decimal_to_python)> {
  static constexpr auto Name = SPM_NB_IO_NAME("collections.abc.Sequence[decimal.Decimal | int]",
                                              "list[decimal.Decimal]");
};

template <>
struct type_caster<std::vector<spm::Date>>
    : spm_vector_caster<spm::Date, &spm::python::date_from_python,
                        &spm::python::date_to_python> {
  static constexpr auto Name =
      SPM_NB_IO_NAME("collections.abc.Sequence[datetime.date]", "list[datetime.date]");
};

}  // namespace nanobind::detail
