"""spm.comp: plans, commission runs from DataFrames, explain, errors, pickling, the GIL."""
import concurrent.futures
import copy
import datetime
import decimal
import pickle
import threading
import time

import pyarrow as pa
import pytest

import spm
import spm.comp as comp

D = decimal.Decimal
day = datetime.date

# A quarterly plan: marginal tiers 8% to 100% of quota, 12% to 150%, 15% above; year-to-date
# true-up. Written as a dict with every decimal as str, int or Decimal.
PLAN = {
    "id": "ae-2026",
    "name": "Account Executives 2026",
    "version": 3,
    "currency": "USD",
    "effective": {"from": day(2026, 1, 1), "to": "2027-01-01"},
    "pay_period": "quarter",
    "true_up": "year_to_date",
    "quota_measure": "bookings",
    "measures": [{"id": "bookings", "sum": "amount"}],
    "components": [{
        "id": "commission",
        "type": "rate_table",
        "measure": "bookings",
        "basis": "attainment_percent",
        "mode": "marginal",
        "processing": "running_total",
        "rate_unit": "percent",
        "tiers": [
            {"from": 0, "to": 100, "rate": D("8")},
            {"from": "100", "to": "150", "rate": "12"},
            {"from": "150", "rate": "15"},
        ],
    }],
}

TX = {
    "transaction_id": ["T1", "T2", "T3"],
    "payee_id": ["R1", "R1", "R1"],
    "date": [day(2026, 1, 15), day(2026, 2, 20), day(2026, 4, 10)],
    "amount": [D("60000"), D("60000"), D("100000")],
}
QUOTAS = {
    "payee_id": ["R1", "R1"],
    "period_start": [day(2026, 1, 1), day(2026, 4, 1)],
    "quota": [D("100000"), D("100000")],
}


@pytest.fixture(scope="module")
def plan():
    return comp.Plan.from_dict(PLAN)


def frame(data):
    import pandas as pd

    return pd.DataFrame(data)


def rows(table, *columns):
    t = table.to_arrow().select(list(columns))
    return [tuple(r.values()) for r in t.to_pylist()]


def check_hand_example(result):
    # Q1: running total 60000 then 120000 against quota 100000:
    #   T1 60000 x 8% = 4800; T2 40000 x 8% = 3200 and 20000 x 12% = 2400 -> 10400.
    # Q2, year to date: quota 200000, bookings 220000 (110%) earn 200000 x 8% + 20000 x 12%
    #   = 18400; paid before 10400 -> payout 8000. T3 earns 80000 x 8% + 20000 x 12% = 8800 on
    #   the year-to-date tiers, and Q1 re-rated at the YTD quota (120000 x 8% = 9600) takes back
    #   800 through a true_up line.
    st = result.statements.to_pandas()
    total = st[st["component"] == "TOTAL"]
    assert total["period"].tolist() == ["2026-Q1", "2026-Q2"]
    assert total["payout"].tolist() == [D("10400"), D("8000")]
    assert total["earnings"].tolist() == [D("10400"), D("18400")]
    assert total["paid_before"].tolist() == [D("0"), D("10400")]
    # pandas: each Decimal with its own places (money as cents), not libspm's 12.
    assert [str(v) for v in total["payout"]] == ["10400.00", "8000.00"]
    assert [str(v) for v in st["quota"].dropna()] == ["100000", "200000"]
    com = st[st["component"] == "commission"]
    assert com["quota"].tolist() == [D("100000"), D("200000")]
    assert com["measure_value"].tolist() == [D("120000"), D("220000")]
    assert com["attainment_percent"].tolist() == [D("120"), D("110")]
    assert rows(result.lines, "period", "kind", "transaction_id", "base", "rate", "amount") == [
        ("2026-Q1", "tier", "T1", D("60000"), D("8"), D("4800")),
        ("2026-Q1", "tier", "T2", D("40000"), D("8"), D("3200")),
        ("2026-Q1", "tier", "T2", D("20000"), D("12"), D("2400")),
        ("2026-Q2", "tier", "T3", D("80000"), D("8"), D("6400")),
        ("2026-Q2", "tier", "T3", D("20000"), D("12"), D("2400")),
        ("2026-Q2", "true_up", None, D("18400"), None, D("-800")),
    ]
    assert result.rejects.num_rows == 0
    assert result.transactions_after_range == 0
    assert result.credits == 3


def test_plan_properties(plan):
    assert (plan.id, plan.name, plan.version, plan.currency) == (
        "ae-2026", "Account Executives 2026", 3, "USD")
    assert plan.pay_period == spm.PeriodKind.quarter
    assert plan.quota_period == spm.PeriodKind.quarter  # not set: the pay period
    assert plan.true_up == "year_to_date"
    assert plan.effective == spm.Period(day(2026, 1, 1), day(2027, 1, 1))
    assert plan.quota_measure == "bookings"
    assert plan.measures == ["bookings"]
    assert plan.components == ["commission"]
    assert plan.validate() == []
    assert "ae-2026" in repr(plan)
    # from_dict keeps decimals as text: the JSON it was made from parses to the same plan.
    assert '"rate": "8"' in plan.json
    assert comp.Plan.from_json(plan.json).json == plan.json


def test_hand_checked_example_from_pandas_decimals(plan):
    result = comp.run(plan, frame(TX), frame(QUOTAS), "2026-01..2026-06")
    check_hand_example(result)
    assert result.run_range == spm.Period(day(2026, 1, 1), day(2026, 7, 1))
    text = comp.explain(result, "R1", "2026-Q2")
    assert "quota 200000, attainment 110%" in text
    assert "20000 x 12% = 2400" in text
    assert "true_up = -800" in text
    assert "TOTAL payout 8000.00" in text
    assert result.explain("R1", "2026-Q1") == comp.explain(result, "R1", "2026-Q1")


@pytest.mark.parametrize("bad, why", [
    ("1e999", "row 2 holds 1E+999, beyond libspm's decimals (below 1.7e26); check its units"),
    ("1e30", "row 2 holds a decimal beyond libspm's range (below 1.7e26 at 12 decimal places)"),
])
def test_an_amount_pyarrow_or_libspm_cannot_hold_names_its_row(plan, bad, why):
    import decimal

    tx = frame(TX)
    tx["amount"] = [decimal.Decimal(bad) if i == 1 else v for i, v in enumerate(tx["amount"])]
    with pytest.raises(spm.InvalidInputError) as e:
        comp.run(plan, tx, frame(QUOTAS), "2026-01..2026-06")
    assert why in str(e.value)


@pytest.mark.parametrize("bad", ["Infinity", "-Infinity"])
def test_a_non_finite_amount_is_a_reject_like_text_that_does_not_parse(plan, bad):
    # The conversion shared with spm.forecast and spm.quota: in a bulk input a non-finite
    # Decimal rejects its row, naming the column; elsewhere it raises naming column and row.
    import decimal

    tx = frame(TX)
    tx["amount"] = [decimal.Decimal(bad) if i == 1 else v for i, v in enumerate(tx["amount"])]
    r = comp.run(plan, tx, frame(QUOTAS), "2026-01..2026-06")
    assert rows(r.rejects, "source", "row", "id", "payee_id", "reason") == [
        ("transactions", 2, "T2", "R1",
         f"amount: Decimal('{bad}') is not a finite number; libspm decimals are finite")]
    credits = frame({"transaction_id": ["T1"], "payee_id": ["R1"], "percent": [decimal.Decimal(bad)]})
    with pytest.raises(spm.InvalidInputError,
                       match=rf"credits\.percent: row 1 holds {bad}, not a finite decimal; fix or drop the row"):
        comp.run(plan, frame(TX), frame(QUOTAS), "2026-01..2026-06", credits=credits)


def test_hand_checked_example_from_polars_pyarrow_and_spm_tables(plan):
    import polars as pl

    check_hand_example(comp.run(plan, pl.DataFrame(TX), pl.DataFrame(QUOTAS), "2026-01..2026-06"))
    check_hand_example(comp.run(plan, pa.table(TX), pa.table(QUOTAS), "2026-01..2026-06"))
    tx = spm.parse_csv("transaction_id,payee_id,date,amount\n"
                       "T1,R1,2026-01-15,60000\nT2,R1,2026-02-20,60000.00\n"
                       "T3,R1,2026-04-10,100000\n",
                       ["transaction_id", "payee_id", "date:date", "amount:decimal"]).table
    quotas = spm.from_arrow(pa.table(QUOTAS))
    check_hand_example(comp.run(plan, tx, quotas, "2026-01..2026-06", threads=1))


def test_lossless_conversions_integer_money_and_midnight_timestamps(plan):
    import pandas as pd

    tx = frame(TX)
    tx["amount"] = [60000, 60000, 100000]                    # int64: exact
    tx["date"] = pd.to_datetime(tx["date"])                   # datetime64 at midnight
    quotas = frame(QUOTAS)
    quotas["quota"] = [100000, 100000]
    quotas["period_start"] = pd.to_datetime(quotas["period_start"])
    check_hand_example(comp.run(plan, tx, quotas, "2026-01..2026-06"))


def test_a_filter_that_matches_nothing_is_noted(plan):
    d = copy.deepcopy(PLAN)
    d["measures"][0]["filter"] = {"type": "Booking"}
    tx = frame(TX)
    tx["type"] = ["booking", "booking", "renewal"]
    r = comp.run(d, tx, frame(QUOTAS), "2026-Q1")
    assert r.notes == ("measure 'bookings': its filter type in ['Booking'] matches no transaction "
                       "(the column holds 'booking', 'renewal'); did you mean 'booking'?; it earns "
                       "nothing",)
    assert comp.settle(d, tx, frame(QUOTAS), "2026-Q1").notes == r.notes
    assert comp.run(plan, frame(TX), frame(QUOTAS), "2026-Q1").notes == ()


def test_plan_as_dict_json_text_or_path(plan, tmp_path):
    import json

    (tmp_path / "plan.json").write_text(plan.json)
    for given in (PLAN, plan.json, str(tmp_path / "plan.json"), tmp_path / "plan.json"):
        check_hand_example(comp.run(given, frame(TX), frame(QUOTAS), "2026-01..2026-06"))
    yaml = "id: ae-2026\nname: x\n"
    with pytest.raises(spm.InvalidInputError) as e:  # YAML text is read as YAML, not as a path
        comp.run(yaml, frame(TX), frame(QUOTAS), "2026-Q1")
    assert e.value.id != "plan.open"
    check_hand_example(comp.run("\ufeff" + plan.json, frame(TX), frame(QUOTAS), "2026-01..2026-06"))
    with pytest.raises(TypeError, match="a dict, JSON or YAML text or a file path"):
        comp.run(3, frame(TX), frame(QUOTAS), "2026-Q1")
    with pytest.raises(spm.InvalidInputError, match="plan.json"):
        comp.run("{not json", frame(TX), frame(QUOTAS), "2026-Q1")
    bad = json.loads(plan.json) | {"currency": "EURO"}
    with pytest.raises(spm.InvalidInputError):
        comp.run(bad, frame(TX), frame(QUOTAS), "2026-Q1")
    w = comp.what_if(PLAN, {"up": json.loads(plan.json)}, frame(TX), frame(QUOTAS), "2026-Q1")
    assert w.summary.num_rows > 0


def test_headers_are_matched_as_the_cli_matches_them(plan, tmp_path):
    import pandas as pd
    import polars as pl

    # A CRM export's headers ("Transaction ID", " Amount") work from a DataFrame as from the CLI.
    (tmp_path / "tx.csv").write_text("Transaction ID,Payee ID,DATE, Amount\n"
                                     "T1,R1,2026-01-15,60000.00\nT2,R1,2026-02-20,60000\n"
                                     "T3,R1,2026-04-10,100000.00\n")
    (tmp_path / "q.csv").write_text("Payee-ID,Period Start,Quota\nR1,2026-01-01,100000\n"
                                    "R1,2026-04-01,100000\n")
    tx = pd.read_csv(tmp_path / "tx.csv", dtype=str)
    quotas = pd.read_csv(tmp_path / "q.csv", dtype=str)
    check_hand_example(comp.run(plan, tx, quotas, "2026-01..2026-06"))
    check_hand_example(comp.run(plan, pl.from_pandas(tx), pa.Table.from_pandas(quotas),
                                "2026-01..2026-06"))
    check_hand_example(comp.run(plan, pl.from_pandas(tx).lazy(), quotas, "2026-01..2026-06"))
    # A row whose amount does not parse is a reject naming its id and payee, found loosely too.
    bad = tx.copy()
    bad.loc[1, " Amount"] = "oops"
    r = comp.run(plan, bad, quotas, "2026-01..2026-06")
    assert [row[:2] for row in rows(r.rejects, "id", "payee_id", "reason")] == [("T2", "R1")]


def test_text_money_and_dates_parse_exactly_as_from_csv(plan, tmp_path):
    import pandas as pd
    import polars as pl

    # pandas.read_csv with dtype=str keeps the amounts exact; libspm parses them as its CSV
    # reader does, in C++ (also from polars and for spm.Tables of text).
    (tmp_path / "tx.csv").write_text("transaction_id,payee_id,date,amount\n"
                                     "T1,R1,2026-01-15,60000.00\nT2,R1,2026-02-20,60000\n"
                                     "T3,R1,2026-04-10,100000.00\n")
    (tmp_path / "q.csv").write_text("payee_id,period_start,quota\nR1,2026-01-01,100000\n"
                                    "R1,2026-04-01,100000\n")
    tx = pd.read_csv(tmp_path / "tx.csv", dtype=str)
    quotas = pd.read_csv(tmp_path / "q.csv", dtype=str)
    check_hand_example(comp.run(plan, tx, quotas, "2026-01..2026-06"))
    check_hand_example(comp.run(plan, pl.from_pandas(tx), spm.read_csv(tmp_path / "q.csv").table,
                                "2026-01..2026-06"))
    # Text that does not parse rejects its row (as the CLI's reader does); the rest is computed.
    bad = tx.copy()
    bad.loc[1, "amount"] = "60,000"
    bad.loc[2, "amount"] = "1e5"
    bad.loc[0, "date"] = "15/01/2026"
    r = comp.run(plan, bad, quotas, "2026-01..2026-06")
    assert rows(r.rejects, "source", "row", "id", "payee_id", "reason") == [
        ("transactions", 2, "T2", "R1",
         "amount: '60,000' is not a decimal: thousands separators are not accepted; remove them"),
        ("transactions", 3, "T3", "R1",
         "amount: '1e5' is not a decimal: exponent notation is not accepted; write the digits out"),
        ("transactions", 1, "T1", "R1",
         "date: '15/01/2026' is not an ISO date (YYYY-MM-DD); if the file writes month/day/year "
         "or day/month/year, parse the column first, e.g. pd.to_datetime(df['date'], "
         "format='%d/%m/%Y').dt.date"),
    ]
    assert r.statements.num_rows == 4 and r.lines.num_rows == 0
    # A smaller input (credits) still raises, naming the column and rows.
    credits = pd.DataFrame({"transaction_id": ["T1"], "payee_id": ["R1"], "percent": ["1e2"]})
    with pytest.raises(spm.InvalidInputError, match=r"credits\.percent: row 1: '1e2'"):
        comp.run(plan, tx, quotas, "2026-01..2026-06", credits=credits)


@pytest.mark.parametrize("missing", ["None", "pd.NA", "Decimal NaN", "empty text"])
def test_a_missing_quota_is_rejected_as_missing_not_as_zero(plan, missing, tmp_path):
    import pandas as pd

    quotas = frame(QUOTAS)
    if missing == "None":
        quotas["quota"] = [D("100000"), None]
    elif missing == "pd.NA":
        quotas["quota"] = pd.array([100000, pd.NA], dtype="Int64")
    elif missing == "Decimal NaN":
        quotas["quota"] = [D("100000"), D("NaN")]
    else:
        (tmp_path / "q.csv").write_text("payee_id,period_start,quota\nR1,2026-01-01,100000\n"
                                        "R1,2026-04-01,\n")
        quotas = pd.read_csv(tmp_path / "q.csv", dtype=str)
    result = comp.run(plan, frame(TX), quotas, "2026-01..2026-06")
    assert rows(result.rejects, "source", "row", "reason")[0] == (
        "quotas", 2, "the quota is missing; give the payee's quota for this period (above 0)")
    quotas = frame(QUOTAS)
    quotas["quota"] = [D("100000"), D("0")]
    result = comp.run(plan, frame(TX), quotas, "2026-01..2026-06")
    assert rows(result.rejects, "reason")[0] == ("the quota 0 must be above 0",)


def test_float_money_is_refused_with_the_column_named(plan):
    tx = frame(TX)
    tx["amount"] = [60000.0, 60000.0, 100000.0]
    with pytest.raises(spm.InvalidInputError) as e:
        comp.run(plan, tx, frame(QUOTAS), "2026-Q1")
    assert e.value.id == "comp.column"
    assert e.value.path == "transactions.amount"
    assert "must be decimal" in str(e.value)
    # The documented fixes: exact text to decimal objects or to an Arrow decimal dtype.
    import pandas as pd

    text = pd.Series(["60000.00", "60000", "100000.00"])
    tx["amount"] = text.map(D)
    check_hand_example(comp.run(plan, tx, frame(QUOTAS), "2026-01..2026-06"))
    tx["amount"] = text.astype(pd.ArrowDtype(pa.decimal128(18, 2)))
    check_hand_example(comp.run(plan, tx, frame(QUOTAS), "2026-01..2026-06"))


def test_time_of_day_and_time_zones_are_refused(plan):
    import pandas as pd

    tx = frame(TX)
    tx["date"] = pd.to_datetime(["2026-01-15 09:30", "2026-02-20 00:00", "2026-04-10 00:00"])
    with pytest.raises(spm.InvalidInputError) as e:
        comp.run(plan, tx, frame(QUOTAS), "2026-Q1")
    assert (e.value.id, e.value.path) == ("comp.column", "transactions.date")
    tx["date"] = pd.to_datetime(["2026-01-15", "2026-02-20", "2026-04-10"]).tz_localize("UTC")
    with pytest.raises(spm.InvalidInputError, match="time zone"):
        comp.run(plan, tx, frame(QUOTAS), "2026-Q1")


def test_missing_column_and_bad_arguments(plan):
    tx = frame(TX).drop(columns=["date"])
    with pytest.raises(spm.InvalidInputError) as e:
        comp.run(plan, tx, frame(QUOTAS), "2026-Q1")
    assert (e.value.id, e.value.path) == ("comp.column", "transactions.date")
    with pytest.raises(spm.InvalidInputError) as e:
        comp.run(plan, frame(TX), frame(QUOTAS), "2026-Q5")
    assert e.value.id == "comp.period"
    with pytest.raises(TypeError, match="transactions"):
        comp.run(plan, [("T1", "R1")], frame(QUOTAS), "2026-Q1")
    with pytest.raises(TypeError, match="spm.comp.Plan, a dict"):
        comp.run([plan, 7], frame(TX), frame(QUOTAS), "2026-Q1")
    with pytest.raises(TypeError, match="period"):
        comp.run(plan, frame(TX), frame(QUOTAS), 2026)
    with pytest.raises(ValueError, match="threads"):
        comp.run(plan, frame(TX), frame(QUOTAS), "2026-Q1", threads=-1)


def test_run_range_as_period_and_later_transactions(plan):
    result = comp.run(plan, frame(TX), frame(QUOTAS), spm.Period(day(2026, 1, 1), day(2026, 4, 1)))
    assert result.transactions_after_range == 1
    assert result.transactions_before_range == 0
    st = result.statements.to_pandas()
    assert st[st["component"] == "TOTAL"]["payout"].tolist() == [D("10400")]


def test_the_period_labels_of_statements_are_accepted_as_run_ranges():
    # Monthly pay periods on a fiscal year starting in April: FY2026 runs 2025-04-01 to
    # 2026-03-31, so its months 10 to 12 are January to March 2026. User testing found the
    # statements' own label FY2026-M12 refused as a period.
    monthly = comp.Plan.from_dict({**PLAN, "pay_period": "month", "true_up": "none",
                                   "fiscal_year_start_month": 4,
                                   "effective": {"from": "2025-04-01", "to": "2026-04-01"}})
    quotas = {"payee_id": ["R1"] * 3, "period_start": [day(2026, m, 1) for m in (1, 2, 3)],
              "quota": [D("100000")] * 3}
    result = comp.run(monthly, frame(TX), frame(quotas), "FY2026-M10..FY2026-M12")
    st = result.statements.to_pandas()
    labels = st[st["component"] == "TOTAL"]["period"].tolist()
    assert labels == ["FY2026-M10", "FY2026-M11", "FY2026-M12"]
    for label in labels:
        one = comp.run(monthly, frame(TX), frame(quotas), label).statements.to_pandas()
        assert one["period"].unique().tolist() == [label]
    with pytest.raises(spm.InvalidInputError) as e:
        comp.run(monthly, frame(TX), frame(quotas), "FY2026-M13")
    assert (e.value.id, e.value.path) == ("comp.period", "FY2026-M13")


def test_split_credits_and_rejects(plan):
    credits = {"transaction_id": ["T1", "T1"], "payee_id": ["R1", "R2"],
               "percent": [D("50"), D("50")]}
    quotas = {k: v + v[:1] for k, v in QUOTAS.items()}
    quotas["payee_id"][-1] = "R2"
    tx = {k: v + v[:1] for k, v in TX.items()}      # T1 twice: both rejected
    result = comp.run(plan, frame(tx), frame(quotas), "2026-Q1", credits=frame(credits))
    rej = result.rejects.to_pandas()
    assert rej["id"].tolist() == ["T1", "T1"]
    assert all("more than once" in r for r in rej["reason"])
    result = comp.run(plan, frame(TX), frame(quotas), "2026-Q1", credits=frame(credits))
    st = result.statements.to_pandas()
    total = st[st["component"] == "TOTAL"].set_index("payee_id")["payout"]
    # R1: half of T1 (30000) and T2 (60000), 90000 of a 100000 quota, all at 8%; R2: 30000 at 8%
    assert total.to_dict() == {"R1": D("7200"), "R2": D("2400")}
    assert result.credits == 3


def test_demo_company_end_to_end_lines_sum_to_payouts():
    company = spm.demo_company("small", seed=7)
    plan = comp.Plan.from_json(comp.DEMO_PLAN)
    assert plan.id == "demo-ae" and plan.components == ["commission", "enterprise_spif"]
    result = comp.run(plan, company["transactions"], company["quotas"], "2025",
                      assignments=company["assignments"])
    frames = result.to_pandas()
    st, lines = frames["statements"], frames["lines"]
    total = st[st["component"] == "TOTAL"]
    assert len(total) > 0
    assert set(total["period"]) == {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"}
    sums = lines.groupby(["payee_id", "period"])["amount"].sum()
    for row in total.itertuples():
        assert sums.get((row.payee_id, row.period), D(0)) == row.payout
    # components add up to the total, and the run is the same with DataFrames and one thread
    parts = st[st["component"] != "TOTAL"].groupby(["payee_id", "period"])["payout"].sum()
    assert parts.to_dict() == total.set_index(["payee_id", "period"])["payout"].to_dict()
    again = comp.run(plan, company["transactions"].to_pandas(), company["quotas"].to_polars(),
                     "2025", assignments=company["assignments"].to_arrow(), threads=1)
    assert again.statements.to_csv_text() == result.statements.to_csv_text()
    assert again.lines.to_csv_text() == result.lines.to_csv_text()
    payee = total["payee_id"].iloc[0]
    assert comp.explain(result, payee, "2025-Q1").startswith(f"Statement for {payee}, 2025-Q1")


def test_explain_unknown_statement(plan):
    result = comp.run(plan, frame(TX), frame(QUOTAS), "2026-Q1")
    with pytest.raises(spm.InvalidInputError) as e:
        comp.explain(result, "R9", "2026-Q1")
    assert e.value.id == "comp.explain"
    # explain borrows the tables and gives them back intact, also after an error
    assert result.statements.num_rows == 2 and result.lines.num_rows == 3
    # A payee-period the run rejected (R2 has no quota): the reason, as the CLI gives it.
    tx = {k: v + [v[0]] for k, v in TX.items()}
    tx["transaction_id"][-1], tx["payee_id"][-1] = "T9", "R2"
    rejected = comp.run(plan, frame(tx), frame(QUOTAS), "2026-Q1")
    with pytest.raises(spm.InvalidInputError, match="the run rejected this payee and period: no quota"):
        comp.explain(rejected, "R2", "2026-Q1")
    assert rejected.rejects.num_rows == 1


def test_invalid_plan_lists_every_problem():
    bad = copy.deepcopy(PLAN)
    del bad["effective"]
    bad["currency"] = "usd"
    bad["components"][0]["tiers"][1]["from"] = "90"         # overlaps the first tier
    bad["components"][0]["measure"] = "revenue"             # not a measure
    text = comp._plan_json(bad)
    issues = comp.check_plan(bad)
    assert [i.path for i in issues] == [
        "currency", "effective", "components[0].measure", "components[0].tiers[1]"]
    assert "usd" in issues[0].message and "revenue" in issues[2].message
    with pytest.raises(spm.InvalidInputError) as e:
        comp.Plan.from_json(text)
    assert e.value.id == "plan.invalid"
    assert isinstance(e.value, ValueError)
    message = str(e.value)
    assert message.startswith("[plan.invalid] ae-2026: 4 problems in the plan")
    for issue in issues:
        assert f"\n  {issue.path}: {issue.message}" in message
    # with the document fixed, the model checks run and report all their problems
    bad["effective"] = PLAN["effective"]
    bad["currency"] = "USD"
    issues = comp.check_plan(bad)
    assert len(issues) >= 2
    with pytest.raises(spm.InvalidInputError) as e:
        comp.Plan.from_dict(bad)
    assert e.value.id == "plan.invalid"
    assert f"{len(issues)} problems in the plan" in str(e.value)
    for issue in issues:
        assert f"{issue.path}: {issue.message}" in str(e.value)
    assert any("revenue" in i.message for i in issues)
    # A float is one of the problems listed, not an exception that hides the others.
    bad["components"][0]["tiers"][0]["rate"] = 8.0
    issues = comp.check_plan(bad)
    assert issues[0] == ("components[0].tiers[0].rate", "float 8.0 is not exact; decimals must be "
                         "strings or decimal.Decimal (write \"8.0\" or Decimal(\"8.0\"), not 8.0)")
    assert any("revenue" in i.message for i in issues[1:])
    assert not any(i.path == "components[0].tiers[0].rate" for i in issues[1:])
    with pytest.raises(TypeError, match="float 8.0 is not exact"):
        comp.Plan.from_dict(bad)
    assert comp.check_plan(PLAN) == []


def test_malformed_json_and_missing_file(tmp_path):
    with pytest.raises(spm.InvalidInputError) as e:
        comp.Plan("{")
    assert e.value.id == "plan.json"
    with pytest.raises(spm.SpmIOError) as e:
        comp.Plan.from_file(tmp_path / "missing.json")
    assert e.value.id == "plan.open"
    path = tmp_path / "plan.json"
    path.write_text(comp.DEMO_PLAN)
    assert comp.Plan.from_file(path).json == comp.DEMO_PLAN
    assert comp.Plan.from_file(str(path)).id == "demo-ae"


def test_from_dict_refuses_floats_and_converts_decimals():
    bad = copy.deepcopy(PLAN)
    bad["components"][0]["tiers"][0]["rate"] = 0.08
    with pytest.raises(TypeError) as e:
        comp.Plan.from_dict(bad)
    assert "components[0].tiers[0].rate" in str(e.value)
    assert "decimals must be strings or decimal.Decimal" in str(e.value)
    assert [i.path for i in comp.check_plan(bad)] == ["components[0].tiers[0].rate"]
    with pytest.raises(TypeError, match="dict"):
        comp.Plan.from_dict([("id", "x")])
    good = copy.deepcopy(PLAN)
    good["components"][0]["tiers"][2]["rate"] = D("1.5E+1")  # exponent form becomes "15"
    assert '"rate": "15"' in comp.Plan.from_dict(good).json


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_plan_and_result_pickle(plan, protocol):
    back = pickle.loads(pickle.dumps(plan, protocol))
    assert type(back) is comp.Plan
    assert back.json == plan.json
    assert repr(back) == repr(plan)
    result = comp.run(back, frame(TX), frame(QUOTAS), "2026-01..2026-06")
    check_hand_example(result)
    again = pickle.loads(pickle.dumps(result, protocol))
    check_hand_example(again)
    assert comp.explain(again, "R1", "2026-Q2") == comp.explain(result, "R1", "2026-Q2")
    assert copy.deepcopy(plan).json == plan.json


def test_runs_in_threads_give_the_same_result():
    company = spm.demo_company("medium", seed=3)
    plan = comp.Plan.from_json(comp.DEMO_PLAN)
    args = (plan, company["transactions"], company["quotas"], "2024-01..2025-12")

    def one(_):
        r = comp.run(*args, assignments=company["assignments"], threads=1)
        return r.statements.to_csv_text(), r.lines.to_csv_text()

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, range(4)))
    assert all(r == results[0] for r in results)


def test_run_releases_the_gil():
    company = spm.demo_company(3000, seed=1)
    plan = comp.Plan.from_json(comp.DEMO_PLAN)
    tx, quotas, assignments = company["transactions"], company["quotas"], company["assignments"]
    window = {}

    def work():
        window["begin"] = time.perf_counter()
        comp.run(plan, tx, quotas, "2024..2025", assignments=assignments, threads=1)
        window["end"] = time.perf_counter()

    ticks = []
    worker = threading.Thread(target=work)
    worker.start()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    begin, end = window["begin"], window["end"]
    inside = [begin] + [t for t in ticks if begin < t < end] + [end]
    longest_pause = max(b - a for a, b in zip(inside, inside[1:]))
    # Holding the GIL would freeze this thread for the whole run.
    assert longest_pause < 0.5 * (end - begin), (longest_pause, end - begin)


def test_credit_rules_from_dataframes():
    import datetime as dt
    import decimal

    import pandas as pd

    D = decimal.Decimal
    plan = spm.comp.Plan.from_dict({
        "id": "owners", "effective": {"from": "2026-01-01", "to": "2027-01-01"},
        "credit": {"by": "account_id"},
        "measures": [{"id": "bookings"}],
        "components": [{"id": "c", "measure": "bookings", "basis": "amount", "mode": "flat",
                        "tiers": [{"from": "0", "rate": "10"}]}]})
    tx = pd.DataFrame({"transaction_id": ["T1", "T2"], "payee_id": [None, None],
                       "date": [dt.date(2026, 1, 10), dt.date(2026, 2, 10)],
                       "amount": [D("1000"), D("1000")], "account_id": ["ACME", "ACME"]})
    rules = pd.DataFrame({"key": ["ACME", "ACME"], "payee_id": ["alice", "bob"],
                          "from": [dt.date(2026, 1, 1), dt.date(2026, 2, 1)],
                          "to": [dt.date(2026, 2, 1), None]})
    quotas = pd.DataFrame({"payee_id": pd.Series([], dtype=object),
                           "period_start": pd.Series([], dtype=object),
                           "quota": pd.Series([], dtype=object)})
    r = spm.comp.run(plan, tx, spm.parse_csv("payee_id,period_start,quota\n",
                                             ["payee_id", "period_start:date", "quota:decimal"]).table,
                     "2026-Q1", credit_rules=rules)
    lines = r.lines.to_pandas()
    assert lines[["payee_id", "transaction_id", "credit"]].values.tolist() == [
        ["alice", "T1", "rule account_id 100%"], ["bob", "T2", "rule account_id 100%"]]
    assert lines["amount"].tolist() == [D("100"), D("100")]


def test_rates_in_percent_of_target_incentive_from_a_quotas_column():
    # 100% of target per 100% of quota, 2:1 above: rate 100 x 20000 / 200000 = 10%, then 20%.
    p = comp.Plan.from_dict({
        "id": "ti", "effective": {"from": "2026-01-01", "to": "2027-01-01"},
        "measures": [{"id": "bookings"}],
        "components": [{"id": "c", "measure": "bookings", "rate_unit": "target_incentive",
                        "tiers": [{"from": 0, "to": 100, "rate": 100}, {"from": 100, "rate": 200}]}],
    })
    tx = {"transaction_id": ["A1", "A2"], "payee_id": ["A", "A"],
          "date": [day(2026, 1, 15), day(2026, 3, 1)], "amount": [D("150000"), D("100000")]}
    for target in ([D("20000")], [20000], ["20000"]):  # decimals, whole numbers or text
        q = {"payee_id": ["A"], "period_start": [day(2026, 1, 1)], "quota": [D("200000")],
             "target_incentive": target}
        r = comp.run(p, frame(tx), frame(q), "2026-Q1")
        assert rows(r.lines, "transaction_id", "base", "rate", "amount") == [
            ("A1", D("150000"), D("10"), D("15000")),
            ("A2", D("50000"), D("10"), D("5000")),
            ("A2", D("50000"), D("20"), D("10000")),
        ]
        assert r.rejects.num_rows == 0
    # A float target incentive is refused like a float quota.
    q["target_incentive"] = [20000.0]
    with pytest.raises(Exception, match="target_incentive"):
        comp.run(p, frame(tx), frame(q), "2026-Q1")


def test_extra_columns_of_types_libspm_does_not_read_become_text_or_are_left_out(plan):
    import pandas as pd

    tx = frame(TX)
    tx["created_at"] = pd.Timestamp("2025-12-01 13:45")
    tx["synced_at"] = pd.Timestamp("2025-12-01 13:45", tz="UTC")
    tx["age"] = pd.Timedelta(days=3)
    tx["tags"] = [["a"], ["b"], []]
    with pytest.warns(UserWarning, match="'tags'"):
        result = comp.run(plan, tx, frame(QUOTAS), "2026-01..2026-06")
    check_hand_example(result)
    # A timestamp column is text a filter can name.
    p = dict(PLAN, measures=[{"id": "bookings", "sum": "amount",
                              "filter": {"created_at": "2025-12-01 13:45:00"}}])
    with pytest.warns(UserWarning):
        again = comp.run(comp.Plan.from_dict(p), tx, frame(QUOTAS), "2026-01..2026-06")
    check_hand_example(again)


def test_integer_ids_are_text(plan):
    tx = frame(TX)
    tx["transaction_id"] = [1, 2, 3]
    tx["payee_id"] = [7, 7, 7]
    q = frame(QUOTAS)
    q["payee_id"] = [7, 7]
    result = comp.run(plan, tx, q, "2026-01..2026-06")
    assert set(result.statements.to_pandas()["payee_id"]) == {"7"}
    assert rows(result.lines, "transaction_id")[0] == ("1",)


def test_what_if_sends_unparsed_rows_to_the_rejects_too(plan):
    bad = frame(TX)
    bad["date"] = bad["date"].astype(str)
    bad.loc[1, "date"] = "2026-02-30"
    w = comp.what_if(plan, {"same": plan}, bad, frame(QUOTAS), "2026-01..2026-06")
    assert rows(w.rejects, "source", "row", "id")[0] == ("transactions", 2, "T2")
