// Conversions between libspm value types and Python, and the translation of libspm errors.
#include "casters.hpp"

#include <climits>
#include <cstddef>
#include <exception>
#include <string>

#include <spm/core/error.hpp>

namespace spm::python {
namespace {

// Python objects looked up once at import (strong references kept for the process lifetime:
// extension modules are never unloaded). Importing inside a caster could release the GIL in the
// middle of a function-local static initialisation and deadlock, hence explicit initialisation.
PyObject* g_decimal_type = nullptr;    // decimal.Decimal
PyObject* g_date_type = nullptr;       // datetime.date
PyObject* g_datetime_type = nullptr;   // datetime.datetime
PyObject* g_date_fromordinal = nullptr;  // datetime.date.fromordinal
PyObject* g_fraction_type = nullptr;   // fractions.Fraction

// spm._errors classes.
PyObject* g_spm_error = nullptr;
PyObject* g_invalid_input_error = nullptr;
PyObject* g_arithmetic_error = nullptr;
PyObject* g_io_error = nullptr;
PyObject* g_cancelled_error = nullptr;

// datetime.date(1970, 1, 1).toordinal(): spm::Date counts days from there.
constexpr long epoch_ordinal = 719163;
constexpr long min_ordinal = 1;        // 0001-01-01
constexpr long max_ordinal = 3652059;  // 9999-12-31

// A new (never released) reference to `obj`.
PyObject* keep(nb::handle obj) { return obj.inc_ref().ptr(); }

PyObject* import_attr(const char* module, const char* name) {
  return keep(nb::module_::import_(module).attr(name));
}

// isinstance() that never leaves a Python error behind.
bool is_instance(PyObject* obj, PyObject* type) noexcept {
  if (reinterpret_cast<PyObject*>(Py_TYPE(obj)) == type) return true;
  const int r = PyObject_IsInstance(obj, type);
  if (r < 0) {
    PyErr_Clear();
    return false;
  }
  return r == 1;
}

// The text of str(obj), or "" (with the Python error cleared) when it cannot be had.
std::string str_of(PyObject* obj) {
  PyObject* s = PyObject_Str(obj);
  if (s == nullptr) {
    PyErr_Clear();
    return {};
  }
  Py_ssize_t n = 0;
  const char* data = PyUnicode_AsUTF8AndSize(s, &n);
  std::string out;
  if (data != nullptr) {
    out.assign(data, static_cast<std::size_t>(n));
  } else {
    PyErr_Clear();
  }
  Py_DECREF(s);
  return out;
}

std::string repr_of(PyObject* obj) {
  PyObject* s = PyObject_Repr(obj);
  if (s == nullptr) {
    PyErr_Clear();
    return "?";
  }
  Py_ssize_t n = 0;
  const char* data = PyUnicode_AsUTF8AndSize(s, &n);
  std::string out = data != nullptr ? std::string(data, static_cast<std::size_t>(n)) : "?";
  if (data == nullptr) PyErr_Clear();
  Py_DECREF(s);
  return out;
}

// Qualified name of obj's type: "float", "numpy.float32".
std::string type_name_of(PyObject* obj) {
  try {
    return nb::type_name(nb::handle(reinterpret_cast<PyObject*>(Py_TYPE(obj)))).c_str();
  } catch (...) {
    PyErr_Clear();
    return "object";
  }
}

// Builds the fixed-point text of a decimal printed by Python's str(Decimal), which may use
// exponent notation ("1E+3", "1.5E-7"). Returns the libspm parse status when the value cannot be
// a spm::Decimal; otherwise `text` is a plain decimal that Decimal::try_parse reads exactly.
DecimalParseStatus fixed_point_text(std::string_view s, std::string& text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  std::string digits;
  long exponent = 0;
  bool seen_point = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (seen_point) --exponent;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (digits.empty()) return DecimalParseStatus::invalid_character;
  if (i < s.size()) {
    if (s[i] != 'E' && s[i] != 'e') return DecimalParseStatus::invalid_character;
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) exp_negative = s[i++] == '-';
    if (i == s.size()) return DecimalParseStatus::invalid_character;
    long e = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return DecimalParseStatus::invalid_character;
      if (e < 1000000000L) e = e * 10 + (s[i] - '0');  // saturate: far beyond any valid value
    }
    exponent += exp_negative ? -e : e;
  }
  // value = digits x 10^exponent; drop leading zeros and move trailing zeros into the exponent.
  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {
    text = "0";
    return DecimalParseStatus::ok;
  }
  digits.erase(0, first);
  while (digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  const auto n = static_cast<long>(digits.size());
  if (n + exponent > 40) return DecimalParseStatus::out_of_range;
  if (exponent < -Decimal::scale) return DecimalParseStatus::too_many_decimals;
  text.clear();
  if (negative) text.push_back('-');
  if (exponent >= 0) {
    text += digits;
    text.append(static_cast<std::size_t>(exponent), '0');
  } else {
    const long int_digits = n + exponent;  // digits before the point
    if (int_digits > 0) {
      text.append(digits, 0, static_cast<std::size_t>(int_digits));
      text.push_back('.');
      text.append(digits, static_cast<std::size_t>(int_digits), std::string::npos);
    } else {
      text += "0.";
      text.append(static_cast<std::size_t>(-int_digits), '0');
      text += digits;
    }
  }
  return DecimalParseStatus::ok;
}

// A Python int (or the result of __index__) as a Decimal.
void decimal_from_int(PyObject* src, Decimal& out, ConversionError& err) {
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(src, &overflow);
  if (overflow == 0 && !(v == -1 && PyErr_Occurred())) {
    out = Decimal(static_cast<std::int64_t>(v));
    return;
  }
  PyErr_Clear();
  const std::string text = str_of(src);
  const DecimalParseStatus st = Decimal::try_parse(text, out);
  if (st != DecimalParseStatus::ok) {
    err.set(ConversionError::Kind::value, "decimal.parse", Decimal::describe(st, text));
  }
}

void decimal_from_decimal(PyObject* src, Decimal& out, ConversionError& err) {
  const std::string s = str_of(src);
  std::string text;
  const DecimalParseStatus st = fixed_point_text(s, text);
  if (st == DecimalParseStatus::invalid_character) {
    // NaN, sNaN, Infinity
    err.set(ConversionError::Kind::value, "decimal.parse",
            "Decimal('" + s + "') is not a finite number; libspm decimals are finite");
    return;
  }
  const DecimalParseStatus st2 =
      st == DecimalParseStatus::ok ? Decimal::try_parse(text, out) : st;
  if (st2 != DecimalParseStatus::ok) {
    err.set(ConversionError::Kind::value, "decimal.parse", Decimal::describe(st2, s));
  }
}

PyObject* new_str(const std::string& s) noexcept {
  return PyUnicode_FromStringAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
}

PyObject* decimal_from_text(const std::string& text) noexcept {
  PyObject* s = new_str(text);
  if (s == nullptr) return nullptr;
  PyObject* out = PyObject_CallFunctionObjArgs(g_decimal_type, s, nullptr);
  Py_DECREF(s);
  return out;
}

// Raises the spm exception class `cls` for a libspm error, with its id, path and detail.
void raise_spm_error(PyObject* cls, const spm::Error& e) noexcept {
  try {
    // Messages quote user input, which may not be valid UTF-8: decode with replacement.
    const auto decode = [](std::string_view s) {
      nb::object text = nb::steal(
          PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace"));
      if (!text.is_valid()) throw nb::python_error();
      return text;
    };
    // One positional argument only: OSError's constructor reads several as errno, strerror...
    nb::object exc = nb::handle(cls)(decode(e.what()));
    nb::setattr(exc, "id", decode(e.id()));
    nb::setattr(exc, "path", decode(e.path()));
    nb::setattr(exc, "detail", decode(e.detail()));
    PyErr_SetObject(cls, exc.ptr());
  } catch (nb::python_error& pe) {
    pe.restore();
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
}

void translate(const std::exception_ptr& p, void*) {
  try {
    std::rethrow_exception(p);
  } catch (const spm::CancelledError& e) {
    raise_spm_error(g_cancelled_error, e);
  } catch (const spm::IoError& e) {
    raise_spm_error(g_io_error, e);
  } catch (const spm::ArithmeticError& e) {
    raise_spm_error(g_arithmetic_error, e);
  } catch (const spm::InvalidInputError& e) {
    raise_spm_error(g_invalid_input_error, e);
  } catch (const spm::Error& e) {
    raise_spm_error(g_spm_error, e);
  }
  // Anything else propagates to nanobind's default translators.
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ConversionError

void ConversionError::set(Kind kind, std::string id, std::string message) noexcept {
  kind_ = kind;
  id_ = std::move(id);
  message_ = std::move(message);
}

void ConversionError::set_index(std::size_t index) noexcept {
  try {
    path_ = "[" + std::to_string(index) + "]";
  } catch (...) {
  }
}

void ConversionError::raise(std::string_view path) const {
  std::string where(path);
  where += path_;
  if (kind_ == Kind::type) {
    std::string msg;
    if (!path.empty()) {
      msg = where + ": ";
    } else if (!path_.empty()) {
      msg = "element " + path_ + ": ";
    }
    msg += message_;
    throw nb::type_error(msg.c_str());
  }
  throw spm::InvalidInputError(id_, where, message_);
}

// ---------------------------------------------------------------------------------------------
// Initialisation

void init_common(nb::module_& /*m*/) {
  g_decimal_type = import_attr("decimal", "Decimal");
  g_date_type = import_attr("datetime", "date");
  g_datetime_type = import_attr("datetime", "datetime");
  g_date_fromordinal = keep(nb::handle(g_date_type).attr("fromordinal"));
  g_fraction_type = import_attr("fractions", "Fraction");

  nb::module_ errors = nb::module_::import_("spm._errors");
  g_spm_error = keep(errors.attr("SpmError"));
  g_invalid_input_error = keep(errors.attr("InvalidInputError"));
  g_arithmetic_error = keep(errors.attr("SpmArithmeticError"));
  g_io_error = keep(errors.attr("SpmIOError"));
  g_cancelled_error = keep(errors.attr("CancelledError"));
  nb::register_exception_translator(&translate);
}

// ---------------------------------------------------------------------------------------------
// Decimal

bool decimal_from_python(PyObject* src, bool convert, Decimal& out,
                         ConversionError& err) noexcept {
  try {
    if (is_instance(src, g_decimal_type)) {
      decimal_from_decimal(src, out, err);
      return true;
    }
    if (PyBool_Check(src)) {
      if (!convert) return false;
      err.set(ConversionError::Kind::type, "",
              "expected decimal.Decimal or int, got bool " + repr_of(src));
      return true;
    }
    if (PyLong_Check(src)) {
      decimal_from_int(src, out, err);
      return true;
    }
    if (!convert) return false;
    if (PyIndex_Check(src)) {  // NumPy integers and other exact integer types
      PyObject* i = PyNumber_Index(src);
      if (i == nullptr) {
        PyErr_Clear();
        return false;
      }
      decimal_from_int(i, out, err);
      Py_DECREF(i);
      return true;
    }
    if (PyFloat_Check(src)) {
      const std::string r = repr_of(src);
      err.set(ConversionError::Kind::type, "",
              "float " + r +
                  " is not accepted as an exact decimal: binary floating point cannot hold "
                  "most decimal fractions exactly, so libspm never converts it silently; pass "
                  "decimal.Decimal('" + r + "') (from text) or an int");
      return true;
    }
    if (PyUnicode_Check(src)) {
      const std::string s = str_of(src);
      err.set(ConversionError::Kind::type, "",
              "str " + repr_of(src) + " is not a decimal; pass decimal.Decimal('" + s +
                  "') or parse it with spm.parse_decimal()");
      return true;
    }
    if (PyNumber_Check(src)) {  // numpy.float32, fractions.Fraction, complex...
      err.set(ConversionError::Kind::type, "",
              "expected decimal.Decimal or int, got " + type_name_of(src) + " " + repr_of(src) +
                  "; libspm converts only exact decimals");
      return true;
    }
    return false;
  } catch (...) {
    PyErr_Clear();
    return false;
  }
}

PyObject* decimal_to_python(const Decimal& d) noexcept {
  try {
    return decimal_from_text(d.to_string());
  } catch (...) {
    PyErr_SetString(PyExc_MemoryError, "spm: out of memory converting a decimal");
    return nullptr;
  }
}

PyObject* decimal_to_python(const Decimal& d, int places) noexcept {
  try {
    std::string s = d.to_string();
    const std::size_t point = s.find('.');
    const int have = point == std::string::npos ? 0 : static_cast<int>(s.size() - point - 1);
    if (places > have) {
      if (point == std::string::npos) s.push_back('.');
      s.append(static_cast<std::size_t>(places - have), '0');
    }
    return decimal_from_text(s);
  } catch (...) {
    PyErr_SetString(PyExc_MemoryError, "spm: out of memory converting a decimal");
    return nullptr;
  }
}

Decimal to_decimal(nb::handle h, std::string_view path) {
  Decimal out;
  ConversionError err;
  if (!decimal_from_python(h.ptr(), true, out, err)) {
    err.set(ConversionError::Kind::type, "",
            "expected decimal.Decimal or int, got " + type_name_of(h.ptr()));
  }
  if (!err.ok()) err.raise(path);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Date

bool date_from_python(PyObject* src, bool convert, Date& out, ConversionError& err) noexcept {
  try {
    if (!is_instance(src, g_date_type)) {
      if (convert && PyUnicode_Check(src)) {
        err.set(ConversionError::Kind::type, "",
                "str " + repr_of(src) +
                    " is not a date; pass datetime.date.fromisoformat(...) or use "
                    "spm.parse_date()");
        return true;
      }
      return false;
    }
    if (is_instance(src, g_datetime_type)) {
      if (!convert) return false;
      err.set(ConversionError::Kind::type, "",
              "expected datetime.date, got " + repr_of(src) +
                  "; pass its .date() (libspm dates have no time of day)");
      return true;
    }
    PyObject* ordinal = PyObject_CallMethod(src, "toordinal", nullptr);
    if (ordinal == nullptr) {
      PyErr_Clear();
      return false;
    }
    const long v = PyLong_AsLong(ordinal);
    Py_DECREF(ordinal);
    if (v == -1 && PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
    out = Date::from_days(static_cast<std::int32_t>(v - epoch_ordinal));
    return true;
  } catch (...) {
    PyErr_Clear();
    return false;
  }
}

PyObject* date_to_python(Date d) noexcept {
  const long ordinal = static_cast<long>(d.days_since_epoch()) + epoch_ordinal;
  if (ordinal < min_ordinal || ordinal > max_ordinal) {
    try {
      const std::string s = d.to_string();
      PyErr_Format(PyExc_ValueError,
                   "spm: date %s is outside the range of datetime.date (years 1 to 9999)",
                   s.c_str());
    } catch (...) {
      PyErr_SetString(PyExc_ValueError, "spm: date outside the range of datetime.date");
    }
    return nullptr;
  }
  return PyObject_CallFunction(g_date_fromordinal, "l", ordinal);
}

Date to_date(nb::handle h, std::string_view path) {
  Date out;
  ConversionError err;
  if (!date_from_python(h.ptr(), true, out, err)) {
    err.set(ConversionError::Kind::type, "",
            "expected datetime.date, got " + type_name_of(h.ptr()));
  }
  if (!err.ok()) err.raise(path);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fraction

bool fraction_from_python(PyObject* src, bool convert, Fraction& out,
                          ConversionError& err) noexcept {
  try {
    const auto as_int64 = [&](PyObject* i, std::int64_t& v) {
      int overflow = 0;
      const long long x = PyLong_AsLongLongAndOverflow(i, &overflow);
      if (overflow != 0 || (x == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return false;
      }
      v = static_cast<std::int64_t>(x);
      return true;
    };
    if (PyBool_Check(src)) return false;
    if (PyLong_Check(src)) {
      std::int64_t v = 0;
      if (!as_int64(src, v)) {
        err.set(ConversionError::Kind::value, "fraction.range",
                repr_of(src) + " does not fit in a 64-bit fraction");
      } else {
        out = Fraction(v);
      }
      return true;
    }
    if (is_instance(src, g_fraction_type)) {
      nb::object num = nb::steal(PyObject_GetAttrString(src, "numerator"));
      nb::object den = nb::steal(PyObject_GetAttrString(src, "denominator"));
      if (!num.is_valid() || !den.is_valid()) {
        PyErr_Clear();
        return false;
      }
      std::int64_t n = 0;
      std::int64_t d = 1;
      if (!as_int64(num.ptr(), n) || !as_int64(den.ptr(), d)) {
        err.set(ConversionError::Kind::value, "fraction.range",
                repr_of(src) + " does not fit in a 64-bit numerator and denominator");
      } else {
        out = Fraction(n, d);
      }
      return true;
    }
    if (convert && (PyFloat_Check(src) || is_instance(src, g_decimal_type))) {
      err.set(ConversionError::Kind::type, "",
              "expected fractions.Fraction or int, got " + type_name_of(src) + " " +
                  repr_of(src) + "; pass fractions.Fraction(...) built from exact values");
      return true;
    }
    return false;
  } catch (...) {
    PyErr_Clear();
    return false;
  }
}

PyObject* fraction_to_python(const Fraction& f) noexcept {
  return PyObject_CallFunction(g_fraction_type, "LL", static_cast<long long>(f.num()),
                               static_cast<long long>(f.den()));
}

}  // namespace spm::python
