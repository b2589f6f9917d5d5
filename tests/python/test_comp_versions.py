"""Plan versions from Python: a list of the versions of one plan runs as one plan."""
from decimal import Decimal
from pathlib import Path

import pytest

import spm
import spm.comp

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "plan-versions"


def test_versions_split_a_pay_period_by_days():
    v1 = spm.comp.Plan.from_file(str(EXAMPLE / "plan.json"))
    v2 = spm.comp.Plan.from_file(str(EXAMPLE / "plan-v2.json"))
    tx = spm.read_csv(str(EXAMPLE / "transactions.csv"),
                      ["transaction_id", "payee_id", "date:date", "amount:decimal"]).table
    quotas = spm.read_csv(str(EXAMPLE / "quotas.csv"),
                          ["payee_id", "period_start:date", "quota:decimal"]).table
    r = spm.comp.run([v2, v1], tx, quotas, "2026-Q1")  # any order: versions sort by date
    st = r.statements.to_pandas()
    assert list(st["plan_version"].astype("Int64")) == [1, 2, pd_na()]
    assert list(st["payout"]) == [Decimal("550.00"), Decimal("50.00"), Decimal("600.00")]
    assert list(st["quota"][:2]) == [Decimal("4500"), Decimal("4500")]
    lines = r.lines.to_pandas()
    assert list(lines["line"]) == [1, 2, 3]
    assert sum(lines["amount"]) == Decimal("600.00")


def pd_na():
    import pandas as pd
    return pd.NA


def test_overlapping_versions_are_refused():
    v1 = spm.comp.Plan.from_file(str(EXAMPLE / "plan.json"))
    tx = spm.read_csv(str(EXAMPLE / "transactions.csv"),
                      ["transaction_id", "payee_id", "date:date", "amount:decimal"]).table
    quotas = spm.read_csv(str(EXAMPLE / "quotas.csv"),
                          ["payee_id", "period_start:date", "quota:decimal"]).table
    with pytest.raises(spm.InvalidInputError, match="two versions have this number"):
        spm.comp.run([v1, v1], tx, quotas, "2026-Q1")
