// libspm umbrella header: everything public.
#pragma once

#include <spm/version.hpp>

#include <spm/core/allocate.hpp>
#include <spm/core/currency.hpp>
#include <spm/core/date.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/error.hpp>
#include <spm/core/execution.hpp>
#include <spm/core/fraction.hpp>
#include <spm/core/id.hpp>
#include <spm/core/money.hpp>
#include <spm/core/period.hpp>
#include <spm/core/random.hpp>
#include <spm/core/rounding.hpp>

#include <spm/io/arrow.hpp>
#include <spm/io/csv.hpp>
#include <spm/io/json.hpp>
#include <spm/io/table.hpp>

#include <spm/comp/engine.hpp>
#include <spm/comp/files.hpp>
#include <spm/comp/lifecycle.hpp>
#include <spm/comp/plan.hpp>
#include <spm/comp/whatif.hpp>

#include <spm/forecast/backtest.hpp>
#include <spm/forecast/bookings.hpp>
#include <spm/forecast/hazard.hpp>
#include <spm/forecast/metrics.hpp>
#include <spm/forecast/pipeline.hpp>
#include <spm/forecast/rollup.hpp>
#include <spm/forecast/survival.hpp>
#include <spm/forecast/win_model.hpp>
#include <spm/quota/allocation.hpp>
#include <spm/quota/capacity.hpp>
#include <spm/quota/fairness.hpp>
#include <spm/quota/phasing.hpp>
#include <spm/territory/instance.hpp>
#include <spm/territory/metrics.hpp>
#include <spm/territory/solver.hpp>
#include <spm/territory/units_table.hpp>

#include <spm/demo/company.hpp>
#include <spm/demo/quota_inputs.hpp>
