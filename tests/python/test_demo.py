"""The generated demo company from Python."""
import datetime

import pytest

import spm


def test_demo_company_is_deterministic_and_consistent():
    a = spm.demo_company("small", seed=7)
    b = spm.demo_company("small", seed=7)
    assert a["as_of"] == datetime.date(2026, 1, 1)
    assert a["opportunities"].to_csv_text() == b["opportunities"].to_csv_text()
    assert a["opportunities"].to_csv_text() != spm.demo_company("small", 8)["opportunities"].to_csv_text()
    opp = a["opportunities"].to_pandas()
    won = opp[opp["outcome"] == "won"]
    tx = a["transactions"].to_pandas()
    assert len(tx) == len(won)
    assert sum(tx["amount"]) == sum(won["amount"])  # exact decimals
    assert set(opp["owner_id"]) <= set(a["payees"].to_pandas()["payee_id"])
    assert (a["payees"].to_pandas()["role"] == "rep").sum() == 12


def test_demo_company_bad_size():
    with pytest.raises(spm.InvalidInputError) as e:
        spm.demo_company("tiny")
    assert e.value.id == "demo.size"
