// spm.demo_company: the generated company as a dict of spm.Table.
#include "casters.hpp"

#include <nanobind/stl/string.h>

#include <spm/demo/company.hpp>

namespace spm::python {

void bind_demo(nb::module_& m) {
  m.def(
      "_demo_company",
      [](const std::string& size, std::uint64_t seed) {
        demo::CompanyOptions opt;
        opt.reps = demo::reps_for_size(size);
        opt.seed = seed;
        demo::Company co;
        {
          nb::gil_scoped_release release;
          co = demo::generate_company(opt);
        }
        nb::dict out;
        out["regions"] = nb::cast(std::move(co.regions));
        out["payees"] = nb::cast(std::move(co.payees));
        out["accounts"] = nb::cast(std::move(co.accounts));
        out["products"] = nb::cast(std::move(co.products));
        out["opportunities"] = nb::cast(std::move(co.opportunities));
        out["transactions"] = nb::cast(std::move(co.transactions));
        out["quotas"] = nb::cast(std::move(co.quotas));
        out["assignments"] = nb::cast(std::move(co.assignments));
        return nb::make_tuple(out, co.as_of);
      },
      nb::arg("size"), nb::arg("seed"));
}

}  // namespace spm::python
