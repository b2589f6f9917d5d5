"""The generated demo company, as spm.Table objects."""
from __future__ import annotations

from typing import Any, Union

from . import _spm


def demo_company(size: Union[str, int] = "medium", seed: int = 42) -> dict[str, Any]:
    """Generate the `spm demo` company: regions, payees, accounts, products, opportunities,
    transactions, quotas (quarterly, per rep) and assignments (reps on the demo plan; see
    spm.comp.DEMO_PLAN). size: "small" (12 reps), "medium" (40), "large" (400) or a number of reps.
    Same size and seed, same data on every platform. Also has key "as_of" (datetime.date)."""
    tables, as_of = _spm._demo_company(str(size), int(seed))
    out = dict(tables)
    out["as_of"] = as_of
    return out
