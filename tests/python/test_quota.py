"""spm.quota: allocation (methods, constraints, infeasibility, rejects, explain), phasing,
capacity, pipeline and fairness from DataFrames; exact decimals only; pickling; the GIL."""
import datetime
import decimal
import math
import pickle
import threading
import time

import pyarrow as pa
import pytest

import spm
import spm.quota as quota

D = decimal.Decimal
day = datetime.date


def frame(data):
    import pandas as pd

    return pd.DataFrame(data)


def rows(table, *columns):
    t = table.to_arrow().select(list(columns))
    return [tuple(r.values()) for r in t.to_pylist()]


def rep_quotas(result):
    """{node_id: quota} of an allocation, quotas as exact Decimals."""
    return {n: q for n, q in rows(result.quotas, "node_id", "quota")}


def targets(node="CO", target="1000"):
    return frame({"node_id": [node], "target": [D(target)]})


def flat_reps(ids, **columns):
    data = {"rep_id": list(ids), "parent_id": ["CO"] * len(ids)}
    data.update(columns)
    return data


def history(ids, sales):
    return {"rep_id": list(ids), "period_start": [day(2025, 1, 1)] * len(ids),
            "sales": [D(s) for s in sales]}


# --------------------------------------------------------------------------------------------
# Allocation: one hand-checked example per input kind


def test_history_method_from_pandas():
    # 1000 by sales 100 : 300 : 600 -> 100, 300, 600.
    r = quota.allocate(targets("CO", "1000"), frame(flat_reps("ABC")),
                       history=frame(history("ABC", ["100", "300", "600"])), method="history")
    assert r.status == "ok" and r.ok and r.violations == []
    assert rep_quotas(r) == {"CO": 1000, "A": 100, "B": 300, "C": 600}
    assert r.quotas.column_names == ["node_id", "parent_id", "depth", "is_rep", "quota",
                                     "reference", "change_percent", "method"]
    assert rows(r.quotas, "node_id", "is_rep", "method")[1] == ("A", True, "history")
    assert r.method == "history"
    assert r.base == spm.Period(day(2025, 1, 1), day(2026, 1, 1))  # the latest year
    assert r.rejects.num_rows == 0
    df = r.to_pandas()["quotas"]
    assert isinstance(df["quota"][1], D)


def test_blend_from_polars_with_integer_columns():
    # history shares .2 .3 .5, potential (accounts 10/30/60) .1 .3 .6, w = 0.6:
    # .6x.2+.4x.1 = .16, .6x.3+.4x.3 = .30, .6x.5+.4x.6 = .54 of 10000 -> 1600, 3000, 5400.
    import polars as pl

    reps = pl.DataFrame(flat_reps("ABC", accounts=[10, 30, 60]))       # int64: exact
    hist = pl.DataFrame({"rep_id": list("ABC"), "period_start": [day(2025, 1, 1)] * 3,
                         "sales": [200, 300, 500]})
    t = pl.DataFrame({"node_id": ["CO"], "target": [10000]})
    r = quota.allocate(t, reps, history=hist, method="blend", history_weight="0.6",
                       factors={"accounts": 1})
    assert rep_quotas(r) == {"CO": 10000, "A": 1600, "B": 3000, "C": 5400}
    # The same with the lazy frame, Decimal options and factors as pairs.
    again = quota.allocate(t.lazy(), reps.lazy(), history=hist, history_weight=D("0.6"),
                           factors=[("accounts", D(1))])
    assert rep_quotas(again) == rep_quotas(r)


def test_equal_probability_from_pyarrow_and_spm_tables():
    # mean 100 and 200, volatility 10 and 30, target 380: z = (380 - 300) / 40 = 2,
    # so 100 + 2 x 10 = 120 and 200 + 2 x 30 = 260.
    reps = pa.table({"rep_id": ["A", "B"], "parent_id": ["CO", "CO"],
                     "expected_sales": pa.array([D(100), D(200)], pa.decimal128(10, 2)),
                     "volatility": pa.array([D(10), D(30)], pa.decimal128(10, 2))})
    t = pa.table({"node_id": ["CO"], "target": pa.array([D(380)], pa.decimal128(10, 0))})
    r = quota.allocate(t, reps, method="equal_probability")
    assert rep_quotas(r) == {"CO": 380, "A": 120, "B": 260}
    again = quota.allocate(spm.from_arrow(t), spm.from_arrow(reps), method="equal_probability")
    assert rep_quotas(again) == rep_quotas(r)


def test_constraints_cap_and_redistribute_with_a_trace():
    # 2000 by sales 100 : 100 : 800 -> 200, 200, 1600; at most +50% over last quota (100, 300,
    # 1000) caps A at 150 and C at 1500; B takes the rest: 2000 - 1650 = 350.
    reps = frame(flat_reps("ABC", last_quota=[D(100), D(300), D(1000)]))
    r = quota.allocate(targets("CO", "2000"), reps,
                       history=frame(history("ABC", ["100", "100", "800"])),
                       method="history", max_increase="0.5", max_decrease=D("0.1"))
    assert r.status == "ok"
    assert rep_quotas(r) == {"CO": 2000, "A": 150, "B": 350, "C": 1500}
    trace = rows(r.trace, "node_id", "step", "kind", "amount", "note")
    assert ("A", 2, "constraint", D(-50), "capped: at most +50% over 100") in trace
    assert [(k, a) for n, _, k, a, _ in trace if n == "B"] == [("method", 200),
                                                              ("redistribution", 150)]
    assert rows(r.quotas, "node_id", "reference", "change_percent")[1] == ("A", 100, 50)


def test_min_quota_cushions_increment_and_base_window():
    # Cushion 10% at the top: the reps share 1100; in hundreds, by 1 : 1 : 2 -> 275 each for A
    # and B and 550 for C become 300, 300, 500 (largest remainder: 2.75, 2.75, 5.5 hundreds ->
    # floors 2, 2, 5 and the two hundreds left go to .75, .75). Only 2025 history counts.
    hist = history("ABC", ["1", "1", "2"])
    hist["rep_id"] += ["A"]
    hist["period_start"] += [day(2024, 6, 1)]
    hist["sales"] += [D("1000")]
    r = quota.allocate(targets("CO", "1000"), frame(flat_reps("ABC")), history=frame(hist),
                       method="history", cushions=["0.1"], increment=100, base=2025)
    assert rep_quotas(r) == {"CO": 1000, "A": 300, "B": 300, "C": 500}
    same = quota.allocate(targets("CO", "1000"), frame(flat_reps("ABC")), history=frame(hist),
                          method="history", cushions=[D("0.1")], increment="100",
                          base=(day(2025, 1, 1), "2026-01-01"))
    assert rep_quotas(same) == rep_quotas(r)
    kinds = [k for n, k in rows(r.trace, "node_id", "kind") if n == "CO"]
    assert kinds == ["target", "cushion"]


def test_base_takes_period_text_as_spm_comp_does():
    # A sells 1 in 2025-Q1 and 3 in 2025-Q4, B 3 and 1: the year splits 1000 evenly, Q4 3 : 1,
    # the first half 1 : 3.
    hist = frame({"rep_id": ["A", "B", "A", "B"],
                  "period_start": [day(2025, 1, 1)] * 2 + [day(2025, 10, 1)] * 2,
                  "sales": [D("1"), D("3"), D("3"), D("1")]})
    reps = frame(flat_reps("AB"))

    def run(base):
        r = quota.allocate(targets("CO", "1000"), reps, history=hist, method="history", base=base)
        q = rep_quotas(r)
        return (q["A"], q["B"]), r.base

    year = spm.Period(day(2025, 1, 1), day(2026, 1, 1))
    half = spm.Period(day(2025, 1, 1), day(2025, 7, 1))
    assert run("2025") == run(2025) == ((500, 500), year)
    assert run("2025-Q4") == ((750, 250), spm.Period(day(2025, 10, 1), day(2026, 1, 1)))
    assert run("2025-01..2025-06") == run("2025-H1") == ((250, 750), half)
    assert run("2025-01-01..2025-07-01") == ((250, 750), half)
    with pytest.raises(spm.InvalidInputError) as e:
        run("2025-01..2025-13")
    assert (e.value.id, e.value.path) == ("quota.options", "base")
    assert str(e.value) == (
        "[quota.options] base: '2025-01..2025-13' is not a period ('2025-13' is not); write a "
        "year 2025, a quarter 2025-Q4, a half 2025-H2, a month 2025-03, months 2025-01..2025-06 "
        "(inclusive) or dates 2025-01-01..2026-01-01 (half-open)")
    with pytest.raises(TypeError, match=r"period text \('2025-Q4', '2025-03'"):
        run(2025.0)


def test_infeasible_floors_are_reported_and_totals_still_hold():
    # Three floors of 800 need 2400 of 2000: shared by the floors instead, 667, 667, 666.
    r = quota.allocate(targets("CO", "2000"), frame(flat_reps("ABC")),
                       history=frame(history("ABC", ["1", "1", "8"])), method="history",
                       min_quota=800)
    assert r.status == "infeasible" and not r.ok
    assert r.violations == [quota.Violation(
        "CO", "the children's floors and locks need 2400 but 2000 is to share (short 400); "
              "shared in proportion to the floors instead: loosen the constraints or change the "
              "target")]
    assert r.violations[0].node_id == "CO"
    assert rep_quotas(r) == {"CO": 2000, "A": 667, "B": 667, "C": 666}


def test_rejects_table_names_the_row_and_the_reason():
    # Row 2 (B) has negative accounts, row 3 repeats A, N (row 4) has no history, and the
    # history of Z names no rep: all rejected with the reason (reps first, then history, each
    # by row); A alone carries the target.
    reps = frame({"rep_id": ["A", "B", "A", "N"], "parent_id": ["CO"] * 4,
                  "accounts": [D(1), D(-2), D(1), D(1)]})
    with pytest.warns(UserWarning) as caught:
        r = quota.allocate(targets("CO", "100"), reps, history=frame(history("AZ", ["10", "5"])),
                           method="blend", factors={"accounts": "1"})
    assert [str(w.message) for w in caught] == r.notes
    assert r.notes == ["1 history rows name a rep_id that is not in the reps table; their sales "
                       "are not used (see the rejects)",
                       "3 rep rows were rejected; the targets went to the reps left under their "
                       "nodes (fix the rows in the rejects to give them quotas)"]
    assert r.rejects.column_names == ["source", "row", "id", "reason"]
    got = rows(r.rejects, "source", "row", "reason")
    assert got == [
        ("reps", 2, "accounts is negative (-2); factors must be 0 or more"),
        ("reps", 3, "rep_id 'A' is listed twice (first at row 1); keep one row per rep"),
        ("reps", 4, "no history in the base window [2025-01-01, 2026-01-01); give history rows "
                    "or treat new reps as new hires (no_history = new_hire)"),
        ("history", 2, "rep_id 'Z' is not a rep in the reps table; add it there or fix the id"),
    ]
    assert rep_quotas(r) == {"CO": 100, "A": 100}
    assert r.to_pandas()["rejects"]["source"].tolist() == ["reps", "reps", "reps", "history"]
    # New hires instead take the mean of their siblings with history.
    hired = quota.allocate(targets("CO", "100"), reps.iloc[[0, 3]],
                           history=frame(history("A", ["10"])), method="history",
                           no_history="new_hire")
    assert rep_quotas(hired) == {"CO": 100, "A": 50, "N": 50}


def test_explain_text_and_unknown_node():
    r = quota.allocate(targets("CO", "1000"), frame(flat_reps("ABC")),
                       history=frame(history("ABC", ["5", "5", "5"])), method="history")
    text = quota.explain(r, "A")
    assert text == r.explain("A")
    lines = text.splitlines()
    # The reference is the base-window sales (no last quota): 334 is 6580% above 5.
    assert lines[0] == "A (rep, level 1 < CO): quota 334, reference 5 (6580.00%)"
    assert lines[1].split() == ["1.", "method", "333.33", "=", "333.33"]
    assert lines[3].split() == ["2.", "rounding", "+0.67", "=", "334.00"]
    assert lines[-1] == "  quota 334"
    assert quota.explain(r, "CO").startswith("CO (node, level 0): quota 1000")
    with pytest.raises(spm.InvalidInputError) as e:
        r.explain("nobody")
    assert e.value.id == "quota.node"
    with pytest.raises(TypeError, match="AllocationResult"):
        quota.explain(r.quotas, "A")


def test_explain_shows_the_increments_places():
    # 1 over three equal reps to 0.001: A takes the remainder (0.334), shown to 3 places.
    r = quota.allocate(targets("CO", "1"), frame(flat_reps("ABC")),
                       history=frame(history("ABC", ["5", "5", "5"])), method="history",
                       increment="0.001")
    lines = r.explain("A").splitlines()
    assert lines[1].split() == ["1.", "method", "0.333", "=", "0.333"]
    assert lines[3].split() == ["2.", "rounding", "+0.001", "=", "0.334"]
    assert lines[-1] == "  quota 0.334"


def test_a_root_without_usable_reps_is_not_ok():
    # CO's only rep is rejected (negative max_decrease): its target reaches nobody.
    org = frame({"node_id": ["CO", "EU"], "parent_id": [None, None]})
    reps = frame({"rep_id": ["A", "C"], "parent_id": ["CO", "EU"],
                  "max_decrease": [D("-0.5"), None]})
    t = frame({"node_id": ["CO", "EU"], "target": [D("1000"), D("500")]})
    with pytest.warns(UserWarning, match="1 rep rows were rejected"):
        r = quota.allocate(t, reps, org=org, history=frame(history("AC", ["5", "5"])),
                           method="history")
    assert rows(r.rejects, "id", "reason")[0] == (
        "A", "max_decrease is -0.5; it must be between 0 and 1")
    assert r.status == "infeasible" and not r.ok
    assert [v.node_id for v in r.violations] == ["CO"]


# --------------------------------------------------------------------------------------------
# Exact values only


def test_float_options_are_refused_with_the_fix():
    args = (targets(), frame(flat_reps("AB", accounts=[1, 1])))
    with pytest.raises(TypeError, match=r'history_weight: float 0.6 is not exact.*"0.6"'):
        quota.allocate(*args, history_weight=0.6, factors={"accounts": 1})
    with pytest.raises(TypeError, match=r"factors\['accounts'\]: float 1.0 is not exact"):
        quota.allocate(*args, method="potential", factors={"accounts": 1.0})
    with pytest.raises(TypeError, match=r"cushions\[1\]: float 0.05 is not exact"):
        quota.allocate(*args, cushions=["0.1", 0.05])
    with pytest.raises(TypeError, match="increment: float"):
        quota.phase(frame({"rep_id": ["A"], "quota": [D(1)]}), year=2026, increment=0.01)
    with pytest.raises(TypeError, match="win_rate: float"):
        quota.pipeline_needed(frame({"rep_id": ["A"], "quota": [D(1)]}), 100, 0.3)
    with pytest.raises(TypeError, match="capacity.productivity: float"):
        quota.capacity({"start": "2026-01-01", "productivity": 1000.5})
    with pytest.raises(TypeError, match="bool"):
        quota.allocate(*args, min_quota=True)
    with pytest.raises(spm.InvalidInputError) as e:
        quota.allocate(*args, max_increase="3 %")
    assert (e.value.id, e.value.path) == ("decimal.parse", "max_increase")


def test_percent_text_and_percents_typed_as_fractions():
    # User testing: max_increase=30 meant +3000%. "50%" is 0.5; a bare 30 is refused with both
    # ways to write it, and so is a negative cushion (under-assignment).
    reps = frame(flat_reps("ABC", last_quota=[D(100), D(300), D(1000)]))
    args = (targets("CO", "2000"), reps)
    kw = dict(history=frame(history("ABC", ["100", "100", "800"])), method="history")
    as_fraction = quota.allocate(*args, **kw, max_increase="0.5", max_decrease=D("0.1"))
    as_percent = quota.allocate(*args, **kw, max_increase="50%", max_decrease="10%")
    assert rep_quotas(as_percent) == rep_quotas(as_fraction) == {
        "CO": 2000, "A": 150, "B": 350, "C": 1500}
    with pytest.raises(spm.InvalidInputError) as e:
        quota.allocate(*args, **kw, max_increase=30)
    assert (e.value.id, e.value.path) == ("quota.options", "max_increase")
    assert e.value.detail == "max_increase 30 means up to +3000%; for 30% write 0.3 or 30%"
    with pytest.raises(spm.InvalidInputError, match=r"max_decrease 30 means down to -3000%"):
        quota.allocate(*args, **kw, max_decrease="30")
    with pytest.raises(spm.InvalidInputError) as e:
        quota.allocate(*args, **kw, cushions=["10%", "-0.2"])
    assert (e.value.id, e.value.path) == ("quota.options", "cushions[1]")
    assert "the cushion -0.2 is negative" in e.value.detail
    with pytest.raises(spm.InvalidInputError) as e:
        quota.allocate(*args, **kw, cushions=["abc%"])
    assert (e.value.id, e.value.path) == ("decimal.parse", "cushions[0]")


def test_base_text_in_lower_case():
    r = quota.allocate(targets("CO", "1000"), frame(flat_reps("AB")),
                       history=frame(history("AB", ["1", "3"])), method="history",
                       base="2025-h1")
    assert r.base == spm.Period(day(2025, 1, 1), day(2025, 7, 1))
    assert rep_quotas(r) == {"CO": 1000, "A": 250, "B": 750}


def test_float_money_columns_are_refused_with_the_column_named():
    reps = frame(flat_reps("AB"))
    with pytest.raises(spm.InvalidInputError) as e:
        quota.allocate(frame({"node_id": ["CO"], "target": [1000.0]}), reps, method="history")
    assert (e.value.id, e.value.path) == ("quota.column", "targets.target")
    assert "holds float64 values; it must be decimal" in str(e.value)
    with pytest.raises(spm.InvalidInputError, match="history.sales"):
        quota.allocate(targets(), reps, method="history",
                       history=frame({"rep_id": ["A"], "period_start": [day(2025, 1, 1)],
                                      "sales": [10.5]}))


def test_timestamps_at_midnight_become_dates_others_are_refused():
    import pandas as pd

    hist = frame(history("AB", ["1", "3"]))
    hist["period_start"] = pd.to_datetime(hist["period_start"])
    r = quota.allocate(targets("CO", "100"), frame(flat_reps("AB")), history=hist,
                       method="history")
    assert rep_quotas(r) == {"CO": 100, "A": 25, "B": 75}
    hist["period_start"] += pd.Timedelta(hours=9)
    with pytest.raises(spm.InvalidInputError) as e:
        quota.allocate(targets("CO", "100"), frame(flat_reps("AB")), history=hist)
    assert (e.value.id, e.value.path) == ("quota.column", "history.period_start")


def test_bad_options_raise_spm_errors():
    args = (targets(), frame(flat_reps("AB")))
    with pytest.raises(spm.InvalidInputError) as e:
        quota.allocate(*args, method="fair")
    assert e.value.id == "quota.method" and "equal_probability" in str(e.value)
    with pytest.raises(spm.InvalidInputError, match="growth_base"):
        quota.allocate(*args, growth_base="quota")
    with pytest.raises(spm.InvalidInputError, match="no_history"):
        quota.allocate(*args, no_history="ignore")
    with pytest.raises(spm.InvalidInputError) as e:
        quota.allocate(frame({"node_id": ["CO"]}), args[1], method="history")
    assert (e.value.id, e.value.path) == ("quota.column", "targets.target")
    with pytest.raises(TypeError, match="targets: expected a pandas or polars DataFrame"):
        quota.allocate({"node_id": ["CO"]}, args[1])
    with pytest.raises(TypeError, match="base: expected a year"):
        quota.allocate(*args, base=2025.0)


# --------------------------------------------------------------------------------------------
# Phasing


def test_phase_mid_year_hire_and_ramp():
    # 2024 at 25% a quarter: 120000 is 30000 a quarter.
    # B starts 2024-05-10: Q2 has 91 days, B is employed 22 + 30 = 52 of them: 30000 x 52/91 =
    #   30000 x 4/7 = 17142.857... -> 17142.86; Q1 nothing; Q3 and Q4 whole.
    q = frame({"rep_id": ["A", "B"], "quota": [D("120000")] * 2})
    emp = frame({"rep_id": ["B"], "start": [day(2024, 5, 10)], "end": [None],
                 "hire_date": [None]})
    p = quota.phase(q, year=2024, employment=emp, seasonality=["0.25"] * 4)
    assert p.quotas.column_names == ["rep_id", "period", "period_start", "period_end",
                                     "seasonal", "factor", "prorated", "relief", "quota",
                                     "days_prorated"]
    got = {(r, per): (f, qq) for r, per, f, qq in rows(p.quotas, "rep_id", "period", "factor",
                                                       "quota")}
    assert got[("A", "2024-Q1")] == ("1", 30000)
    assert got[("B", "2024-Q1")] == ("0", 0)
    assert got[("B", "2024-Q2")] == ("4/7", D("17142.86"))
    assert got[("B", "2024-Q3")] == ("1", 30000)
    assert p.rejects.num_rows == 0
    assert rows(p.quotas, "period_start", "period_end")[0] == (day(2024, 1, 1), day(2024, 4, 1))
    # The same hire on a ramp of 0, 0.5 by tenure month: May carries nothing, June half:
    # Q2 = (22 x 0 + 30 x 0.5) / 91 = 15/91 -> 30000 x 15/91 = 4945.054... -> 4945.05.
    # C, hired on 2024-04-01: Q2 = (30 x 0 + 31 x 0.5 + 30 x 1) / 91 = 1/2 -> 15000.00.
    emp = frame({"rep_id": ["B", "C"], "start": [day(2024, 5, 10), day(2024, 4, 1)]})
    q = frame({"rep_id": ["A", "B", "C"], "quota": [D("120000")] * 3})
    ramped = quota.phase(q, year=2024, employment=emp, seasonality=["0.25"] * 4,
                         ramp=["0", "0.5"])
    got = {(r, per): (f, qq) for r, per, f, qq in rows(ramped.quotas, "rep_id", "period",
                                                       "factor", "quota")}
    assert got[("A", "2024-Q2")] == ("1", 30000)
    assert got[("B", "2024-Q2")] == ("15/91", D("4945.05"))
    assert got[("C", "2024-Q1")] == ("0", 0)
    assert got[("C", "2024-Q2")] == ("1/2", 15000)
    assert got[("C", "2024-Q3")] == ("1", 30000)


def test_phase_employment_without_a_date_column_it_reads_raises():
    # "start_date" is not a column phasing reads: ignoring it would give E0003 (starting in July)
    # the whole year's quota with no reject.
    q = frame({"rep_id": ["E0001", "E0003"], "quota": [D("1000")] * 2})
    emp = frame({"rep_id": ["E0003"], "start_date": ["2026-07-01"]})
    with pytest.raises(spm.InvalidInputError) as e:
        quota.phase(q, year=2026, kind="quarter", employment=emp)
    assert (e.value.id, e.value.path) == ("quota.column", "employment")
    assert str(e.value) == (
        "[quota.column] employment: the employment table has columns 'rep_id', 'start_date' but "
        "none of the date columns it is read by: 'start' (first day employed), 'end' (first day "
        "no longer employed), 'hire_date' (tenure start for the ramp); rename yours to these, or "
        "leave the employment table out")
    # Next to a column it reads, other columns are ignored, as in every quota input.
    emp = frame({"rep_id": ["E0003"], "start": ["2026-07-01"], "note": ["from HR"]})
    p = quota.phase(q, year=2026, kind="quarter", employment=emp)
    got = {per: qq for rep, per, qq in rows(p.quotas, "rep_id", "period", "quota")
           if rep == "E0003"}
    assert got["2026-Q1"] == got["2026-Q2"] == 0 and got["2026-Q3"] > 0
    assert p.rejects.num_rows == 0


def test_phase_from_an_allocation_months_fiscal_year_and_rejects():
    r = quota.allocate(targets("CO", "1200"), frame(flat_reps("AB")),
                       history=frame(history("AB", ["1", "3"])), method="history")
    # FY2025 from February: 2024-02-01 .. 2025-02-01, twelve months; A 300 and B 900 in
    # increments of 1 by the months' days (29 of 366 for February 2024).
    p = quota.phase(r, year=2025, kind=spm.PeriodKind.month, fiscal_start_month=2,
                    increment=1, leaves=frame({"rep_id": ["Z"], "from": [day(2024, 3, 1)],
                                                "to": [day(2024, 4, 1)]}))
    labels = [per for rep, per in rows(p.quotas, "rep_id", "period") if rep == "A"]
    assert labels[0] == "FY2025-M01" and len(labels) == 12
    totals = {}
    for rep, qq in rows(p.quotas, "rep_id", "quota"):
        totals[rep] = totals.get(rep, 0) + qq
    assert totals == {"A": 300, "B": 900}
    assert rows(p.rejects, "source", "row", "id") == [("leaves", 1, "Z")]
    with pytest.raises(spm.InvalidInputError) as e:
        quota.phase(r, year=2025, seasonality=["0.5", "0.5"])
    assert e.value.id == "quota.seasonality"


def test_phase_business_days_with_holidays():
    # Q3 2024 business days with July 4 off: 22 + 22 + 21 = 65; a start on Monday 2024-07-15
    # keeps 13 + 22 + 21 = 56: 30000 x 56/65 = 25846.1538... -> 25846.15.
    q = frame({"rep_id": ["A"], "quota": [D("120000")]})
    emp = frame({"rep_id": ["A"], "start": [day(2024, 7, 15)]})
    p = quota.phase(q, year=(day(2024, 1, 1), day(2025, 1, 1)), employment=emp,
                    seasonality=["0.25"] * 4, business_days=True, holidays=[day(2024, 7, 4)])
    assert rows(p.quotas, "period", "factor", "quota")[2] == ("2024-Q3", "56/65",
                                                              D("25846.15"))


def test_phase_takes_midnight_timestamps_as_dates():
    # pandas Timestamps (as read from a date column) for the year and the holidays: dates when
    # at midnight without a zone, refused with a time of day.
    import pandas as pd

    q = frame({"rep_id": ["A"], "quota": [D("120000")]})
    emp = frame({"rep_id": ["A"], "start": [day(2024, 7, 15)]})
    p = quota.phase(q, year=(pd.Timestamp("2024-01-01"), pd.Timestamp("2025-01-01")), employment=emp,
                    seasonality=["0.25"] * 4, business_days=True, holidays=[pd.Timestamp("2024-07-04")])
    assert rows(p.quotas, "period", "factor", "quota")[2] == ("2024-Q3", "56/65", D("25846.15"))
    with pytest.raises(TypeError, match="time of day"):
        quota.phase(q, year=(pd.Timestamp("2024-01-01 09:00"), day(2025, 1, 1)))


# --------------------------------------------------------------------------------------------
# Capacity and pipeline

WORKED_MODEL = {
    "start": day(2026, 1, 1), "months": 6, "report": "quarter", "fiscal_year_start_month": 1,
    "cohorts": [{"tenure_months": 12, "reps": 10}, {"tenure_months": 1, "reps": "2"}],
    "ramp": ["0.25", D("0.5"), "0.75"], "productivity": "10000", "monthly_attrition": "0.1",
    "hires": [1, 0, 0, "2"], "over_assignment": "0.1", "target": D("660000"),
    "win_rate": "0.25", "average_deal_size": 20000, "coverage": "3",
}


def test_capacity_from_a_dict_and_from_json():
    c = quota.capacity(WORKED_MODEL)
    assert c.periods.column_names[:4] == ["period", "period_start", "period_end", "months"]
    labels = [p for (p,) in rows(c.periods, "period")]
    assert labels == ["2026-Q1", "2026-Q2", "TOTAL"]
    total = rows(c.periods, "capacity", "target", "quota_assigned")[-1]
    assert total == (D("606751.70"), D("660000"), D("726000"))
    assert c.reps_needed == D("0.887471666667")
    # One January hire brings 3.28309 ramped rep-months x 10000 = 32830.9; the gap of 53248.30
    # needs 1.62 -> 2 hires.
    assert c.hire_contribution == D("32830.9")
    assert c.hires_needed == 2
    assert c.hires_close_gap is True
    import json

    text = json.dumps({**WORKED_MODEL, "start": "2026-01-01", "ramp": ["0.25", "0.5", "0.75"],
                       "target": "660000"})
    again = quota.capacity(text)
    assert again.periods.to_csv_text() == c.periods.to_csv_text()
    with pytest.raises(spm.InvalidInputError) as e:
        quota.capacity({"start": "2026-01-01", "productivity": "1", "colour": "red"})
    assert e.value.id == "quota.capacity"


def test_capacity_simple_model():
    # 5 reps x 1000 a month x 3 months = 15000; February and March in Q1, April in Q2.
    c = quota.capacity({"start": "2026-02-01", "months": 3,
                        "cohorts": [{"tenure_months": 0, "reps": 5}], "productivity": 1000})
    assert rows(c.periods, "period", "months", "capacity") == [
        ("2026-Q1", 2, D("10000")), ("2026-Q2", 1, D("5000")), ("TOTAL", 3, D("15000"))]
    assert (c.reps_needed, c.hires_needed, c.hire_contribution) == (0, 0, 3000)


def test_pipeline_needed_rounds_up():
    # Defaults: deal 30000, win rate 0.3. A: 100000 / 30000 = 3.33 -> 4 deals; 4 / 0.3 = 13.33
    # -> 14 opportunities. B: own win rate 0.25: 95000 / 30000 -> 4 deals, 4 / 0.25 = 16.
    q = pa.table({"rep_id": ["A", "B"], "quota": [100000, 95000],
                  "win_rate": pa.array([None, D("0.25")], pa.decimal128(5, 2))})
    r = quota.pipeline_needed(q, 30000, "0.3")
    assert isinstance(r, quota.PipelineResult) and r.rejects.num_rows == 0
    t = r.reps
    assert isinstance(t, spm.Table)
    assert rows(t, "rep_id", "average_deal_size", "win_rate", "deals_needed",
                "opportunities_needed") == [("A", 30000, D("0.3"), 4, 14),
                                            ("B", 30000, D("0.25"), 4, 16)]
    with pytest.raises(spm.InvalidInputError) as e:
        quota.pipeline_needed(q, 0, "0.3")
    assert (e.value.id, e.value.path) == ("quota.capacity", "average_deal_size")


# --------------------------------------------------------------------------------------------
# Fairness


def test_fairness_numbers():
    # Quotas 100 each; sales 50, 100, 150, 200: attainment .5, 1, 1.5, 2.
    # P10: h = 3 x .1 = .3 -> .5 + .3 x .5 = .65; P25 .875; P50 1.25; P75 1.625; P90 1.85;
    # mean 1.25; 3 of 4 at or above 100%. Accounts 1..4 rise with attainment: correlation 1.
    # E has a quota but no actuals: rejected.
    q = frame({"rep_id": list("ABCDE"), "quota": [D(100)] * 5})
    a = frame({"rep_id": list("ABCD"), "sales": [D(50), D(100), D(150), D(200)]})
    sizes = frame({"rep_id": list("ABCD"), "accounts": [1, 2, 3, 4],
                   "spend": [4.0, 3.0, 2.0, 1.0]})
    forecast = frame({"rep_id": ["A", "B"], "expected_sales": [D(100), D(50)],
                      "volatility": [D(0), D(0)]})
    f = quota.fairness(q, a, sizes=sizes, forecast=forecast)
    assert f.reps == 4
    for got, want in [(f.p10, .65), (f.p25, .875), (f.p50, 1.25), (f.p75, 1.625), (f.p90, 1.85),
                      (f.mean, 1.25), (f.share_attaining, .75)]:
        assert got == pytest.approx(want)
    assert [c.column for c in f.correlations] == ["accounts", "spend"]
    assert f.correlations[0].pearson == pytest.approx(1)
    assert f.correlations[0].spearman == pytest.approx(1)
    assert f.correlations[1] == quota.SizeCorrelation("spend", pytest.approx(-1),
                                                      pytest.approx(-1))
    assert rows(f.reps_table, "rep_id", "attainment_percent", "probability_of_attaining") == [
        ("A", D("50.00"), 1.0), ("B", D("100.00"), 0.0), ("C", D("150.00"), None),
        ("D", D("200.00"), None)]
    assert rows(f.rejects, "source", "id") == [("quotas", "E")]


def test_fairness_reads_text_sizes():
    # Sizes read as text (pd.read_csv(dtype=str), spm.read_csv) are parsed as the CLI parses
    # them, not left out of the correlations; a field that is not a number leaves its rep out of
    # that column only, with a note.
    q = frame({"rep_id": list("ABCD"), "quota": [D(100)] * 4})
    a = frame({"rep_id": list("ABCD"), "sales": [D(50), D(100), D(150), D(200)]})
    sizes = frame({"rep_id": list("ABCD"), "accounts": ["1", "2", "3", "n/a"]})
    with pytest.warns(UserWarning, match="1 values are not numbers"):
        f = quota.fairness(q, a, sizes=sizes)
    assert [c.column for c in f.correlations] == ["accounts"]
    assert f.correlations[0].pearson == pytest.approx(1)
    assert f.rejects.num_rows == 0


def test_fairness_size_columns_one_by_one():
    # A user test: one text column (region) rejected every row, every correlation NaN, and one
    # empty cell dropped its rep from every column. Now: region left out with a note; potential
    # over the reps that have it.
    q = frame({"rep_id": ["R1", "R2", "R3", "R4", "R5"], "quota": [D(q) for q in (100, 300, 100, 300, 50)]})
    a = frame({"rep_id": ["R1", "R2", "R3", "R4", "R5"], "sales": [D(s) for s in (120, 200, 100, 240, 100)]})
    sizes = frame({"rep_id": ["R1", "R2", "R3", "R4", "R5"], "accounts": ["10", "30", "20", "30", "5"],
                   "region": ["EU", "US", "EU", "US", "APAC"], "potential": ["5", "", "7", "1", "2"]})
    with pytest.warns(UserWarning, match="sizes column 'region' is not numeric"):
        f = quota.fairness(q, a, sizes=sizes)
    assert [c.column for c in f.correlations] == ["accounts", "potential"]
    assert f.correlations[0].pearson == pytest.approx(-0.905015, abs=1e-6)
    assert f.correlations[1].pearson == pytest.approx(-0.218622, abs=1e-6)
    assert f.rejects.num_rows == 0
    assert f.notes == ["sizes column 'region' is not numeric (row 1 holds 'EU'); it is left out "
                       "of the correlations"]


def test_pipeline_bad_rows_are_rejects_as_in_the_cli():
    # A user test: 'abc' raised, a negative quota raised, a repeated rep was counted twice.
    q = frame({"rep_id": ["A", "A", "B", "C", "D"], "quota": ["100", "200", "-5", "abc", "300"]})
    r = quota.pipeline_needed(q, 100, "0.5")
    assert rows(r.reps, "rep_id", "deals_needed", "opportunities_needed") == [
        ("A", 1, 2), ("D", 3, 6)]
    assert rows(r.rejects, "source", "row", "id") == [
        ("quotas", 4, "C"), ("quotas", 2, "A"), ("quotas", 3, "B")]
    reasons = [x for (x,) in rows(r.rejects, "reason")]
    assert reasons[1] == "rep_id 'A' is listed twice (first at row 1); keep one row per rep"
    assert reasons[2] == "quota is negative (-5); it must be 0 or more"


def test_fairness_without_reps_is_nan():
    f = quota.fairness(frame({"rep_id": ["A"], "quota": [D(100)]}),
                       frame({"rep_id": ["B"], "sales": [D(100)]}))
    assert f.reps == 0 and math.isnan(f.p50) and math.isnan(f.share_attaining)
    assert f.rejects.num_rows == 2


def test_history_ids_near_a_rep_id_are_noted():
    # A user test: history R001 for rep r001 matched no rep, and the reps silently became new
    # hires (an equal split), status ok, no note.
    reps = frame(flat_reps(["r001", "r002", "r003"]))
    h = frame(history(["R001", "R002", "R003"], ["900", "50", "50"]))
    with pytest.warns(UserWarning, match="3 history rows name a rep_id that is not in the reps"):
        r = quota.allocate(targets("CO", "1000"), reps, history=h, method="history",
                           no_history="new_hire")
    assert "differ from a rep's id only by case, blanks or leading zeros ('R001' for 'r001')" \
        in r.notes[0]
    reasons = [x for (x,) in rows(r.rejects, "reason")]
    assert reasons[0] == ("rep_id 'R001' is not a rep in the reps table; did you mean 'r001' "
                          "(the ids differ only by case, blanks or leading zeros)?")


def test_a_rep_whose_only_history_row_is_unreadable_is_told_so():
    reps = frame(flat_reps("AB"))
    h = frame({"rep_id": ["A", "B"], "period_start": ["2025-01-01"] * 2, "sales": ["100", "1,000"]})
    with pytest.warns(UserWarning):
        r = quota.allocate(targets("CO", "1000"), reps, history=h, method="history")
    got = {(s, i): why for s, i, why in rows(r.rejects, "source", "id", "reason")}
    assert got[("reps", "B")] == ("no history could be used: its history row 2 could not be read "
                                  "(see the rejects); fix that row")


def test_loose_headers_are_read_as_the_cli_reads_them_and_misspelt_ones_noted():
    # A user test: "Last Quota, Max Increase" were matched by the CLI but ignored from pandas;
    # "max_increse" was ignored by both without a word.
    h = frame(history("AB", ["100", "900"]))
    loose = frame({"rep_id": ["A", "B"], "parent_id": ["CO", "CO"], "Last Quota": ["100", "100"],
                   "Max Increase": [D("0.1"), D("0.1")]})
    r = quota.allocate(targets("CO", "1000"), loose, history=h, method="history")
    assert r.status == "infeasible"  # B's 900 is capped at 110: the columns were read
    typo = frame({"rep_id": ["A", "B"], "parent_id": ["CO", "CO"], "last_quota": [D(100), D(100)],
                  "max_increse": [D("0.1"), D("0.1")]})
    with pytest.warns(UserWarning, match="reps column 'max_increse' is not read; did you mean "
                                         "'max_increase'"):
        r = quota.allocate(targets("CO", "1000"), typo, history=h, method="history")
    assert r.status == "ok"


# --------------------------------------------------------------------------------------------
# Pickling and the GIL


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_results_pickle(protocol):
    r = quota.allocate(targets("CO", "1000"), frame(flat_reps("ABC")),
                       history=frame(history("ABC", ["5", "5", "5"])), method="history",
                       min_quota=400)
    back = pickle.loads(pickle.dumps(r, protocol))
    assert type(back) is quota.AllocationResult
    assert (back.status, back.violations, back.method, back.base) == (r.status, r.violations, r.method, r.base)
    assert rep_quotas(back) == rep_quotas(r)
    assert back.trace.to_arrow().equals(r.trace.to_arrow())
    assert back.explain("A") == r.explain("A")
    p = quota.phase(r, year=2026)
    assert pickle.loads(pickle.dumps(p, protocol)).quotas.to_arrow().equals(p.quotas.to_arrow())
    c = pickle.loads(pickle.dumps(quota.capacity(WORKED_MODEL), protocol))
    assert c.hires_needed == 2 and rows(c.periods, "capacity")[-1] == (D("606751.70"),)
    f = quota.fairness(r, frame({"rep_id": list("ABC"), "sales": [D(300), D(400), D(500)]}))
    back_f = pickle.loads(pickle.dumps(f, protocol))
    assert back_f.p50 == f.p50 and back_f.reps_table.to_arrow().equals(f.reps_table.to_arrow())


def test_allocate_releases_the_gil():
    n = 60000
    ids = [f"R{i:06d}" for i in range(n)]
    reps = spm.from_arrow(pa.table({"rep_id": ids, "parent_id": ["CO"] * n,
                                    "accounts": pa.array([D(i % 97 + 1) for i in range(n)])}))
    hist = spm.from_arrow(pa.table({"rep_id": ids, "period_start": [day(2025, 1, 1)] * n,
                                    "sales": pa.array([D(i % 1000 + 1) for i in range(n)])}))
    t = spm.from_arrow(pa.table({"node_id": ["CO"], "target": pa.array([D(10) ** 9])}))
    # A thread ticks while the main thread allocates: holding the GIL would stop it for the
    # whole allocation.
    stop = threading.Event()
    ticks = []
    ticker = threading.Thread(target=lambda: [ticks.append(time.perf_counter())
                                              for _ in iter(stop.is_set, True)])
    ticker.start()
    try:
        begin = time.perf_counter()
        quota.allocate(t, reps, history=hist, factors={"accounts": 1})
        end = time.perf_counter()
    finally:
        stop.set()
        ticker.join()
    inside = [begin, *(x for x in ticks if begin < x < end), end]
    assert max(b - a for a, b in zip(inside, inside[1:])) < 0.5 * (end - begin), end - begin


def test_package_exports_quota():
    assert spm.quota is quota
    assert "quota" in spm.__all__
    assert set(quota.METHODS) >= {"history", "blend", "equal_probability"}


def test_a_base_window_holding_few_history_rows_and_empty_targets_are_said():
    # One row of 2026 moves the automatic base to 2026, where B has no history: both said.
    reps = frame({"rep_id": ["A", "B"], "parent_id": ["CO"] * 2})
    h = frame({"rep_id": ["A", "B", "A"], "period_start": [day(2025, 1, 1), day(2025, 1, 1),
                                                          day(2026, 6, 1)],
               "sales": [D("100"), D("200"), D("5")]})
    with pytest.warns(UserWarning) as caught:
        r = quota.allocate(targets("CO", "100"), reps, history=h, method="history")
    assert r.notes[0] == ("the base window [2026-01-01, 2027-01-01) (the calendar year of the "
                          "latest history date) holds history of 1 of the 2 reps with history; "
                          "give the base window to use another year")
    # Three full years of everyone's history: no note.
    years = frame({"rep_id": ["A", "B"] * 3,
                   "period_start": [day(y, 1, 1) for y in (2023, 2024, 2025) for _ in "AB"],
                   "sales": [D("100")] * 6})
    assert quota.allocate(targets("CO", "100"), reps, history=years, method="history").notes == []
    assert [str(w.message) for w in caught] == r.notes
    # With the base given, no note.
    assert quota.allocate(targets("CO", "100"), reps, history=h, method="history",
                          base="2025").notes == []
    with pytest.raises(spm.InvalidInputError, match="the targets table has no rows"):
        quota.allocate(frame({"node_id": [], "target": []}), reps, history=h, method="history")


def test_reps_and_history_text_that_does_not_parse_is_rejected_not_raised():
    reps = frame({"rep_id": ["A", "B", "C"], "parent_id": ["CO"] * 3,
                  "last_quota": ["100", "2O0", "300"]})
    h = frame({"rep_id": ["A", "B", "C"], "period_start": ["2025-01-01"] * 3,
               "sales": ["100", "200", "3,00"]})
    with pytest.warns(UserWarning) as caught:
        r = quota.allocate(targets("CO", "1000"), reps, history=h, method="history")
    notes = [str(w.message) for w in caught]
    assert "1 rows of reps could not be read (text that is not a decimal or date); their reps " \
           "have no quota (fix the rows in the rejects)" in notes
    assert any(n.startswith("1 rows of history could not be read") for n in notes)
    assert rows(r.quotas, "node_id", "quota") == [("CO", D("1000")), ("A", D("1000"))]
    got = rows(r.rejects, "source", "row", "id")
    assert got[:2] == [("reps", 2, "B"), ("history", 3, "C")]
