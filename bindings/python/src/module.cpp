// The extension module spm._spm: one bind_<module>() per libspm module, each in its own source.
#include <nanobind/nanobind.h>

#include <spm/version.hpp>

#include "casters.hpp"

namespace nb = nanobind;

namespace spm::python {
void bind_core(nb::module_& m);
void bind_io(nb::module_& m);
void bind_demo(nb::module_& m);
void bind_comp(nb::module_& m);
void bind_quota(nb::module_& m);
void bind_forecast(nb::module_& m);
void bind_territory(nb::module_& m);
// New modules: declare bind_<module>(nb::module_&) here, call it below, and add
// src/<module>.cpp to bindings/python/CMakeLists.txt.
}  // namespace spm::python

NB_MODULE(_spm, m) {
  m.doc() = "libspm: exact money, periods and Sales Performance Management calculations";
  m.attr("__version__") = spm::version_string;

  spm::python::init_common(m);  // decimal/datetime/fractions imports and error translation
  spm::python::bind_core(m);
  spm::python::bind_io(m);
  spm::python::bind_demo(m);
  spm::python::bind_comp(m);
  spm::python::bind_quota(m);
  spm::python::bind_forecast(m);
  spm::python::bind_territory(m);
}
