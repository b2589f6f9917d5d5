"""spm.comp lifecycle, roll-ups, currencies and what-if from Python: DataFrames in, tables out."""
import datetime
import decimal
import pickle

import pandas as pd
import pytest

import spm
import spm.comp as comp

D = decimal.Decimal
day = datetime.date


def flat_plan(**extra):
    plan = {
        "id": "flat", "effective": {"from": "2026-01-01", "to": "2027-01-01"},
        "measures": [{"id": "bookings"}],
        "components": [{"id": "c", "measure": "bookings", "basis": "amount", "mode": "flat",
                        "tiers": [{"from": 0, "rate": "10"}]}],
    }
    plan.update(extra)
    return comp.Plan.from_dict(plan)


TX = pd.DataFrame({
    "transaction_id": ["T1", "T2", "T3"],
    "payee_id": ["A", "A", "A"],
    "date": [day(2026, 1, 10), day(2026, 2, 1), day(2026, 7, 5)],
    "amount": [D("10000"), D("5000"), D("20000")],
})
NO_QUOTAS = pd.DataFrame({"payee_id": pd.Series([], dtype=str),
                          "period_start": pd.Series([], dtype="datetime64[ns]"),
                          "quota": pd.Series([], dtype=object)})


def row(table, **where):
    df = table.to_pandas()
    for k, v in where.items():
        df = df[df[k] == v]
    assert len(df) == 1, df
    return df.iloc[0]


def test_settle_clawback_carries_the_negative_forward():
    plan = flat_plan(clawback={"policy": "original_rate", "window_days": 120})
    cancellations = pd.DataFrame({"transaction_id": ["T1"], "date": [day(2026, 4, 15)],
                                  "amount": [None]})
    r = comp.settle(plan, TX, NO_QUOTAS, "2026-01..2026-09", cancellations=cancellations)
    # Q1 pays 1500; Q2 takes back T1's 1000, nothing earned: 1000 carried; Q3 2000 - 1000.
    assert row(r.pay, period="2026-Q1")["net_pay"] == D("1500")
    assert row(r.pay, period="2026-Q2")["carried_forward"] == D("1000")
    assert row(r.pay, period="2026-Q3")["net_pay"] == D("1000")
    lines = r.pay_lines.to_pandas()
    assert list(lines[lines.period == "2026-Q2"].kind) == ["clawback", "carried_forward"]
    assert len(r.fingerprint) == 64
    assert pickle.loads(pickle.dumps(r)).fingerprint == r.fingerprint
    assert r.cancellations_after_range == 0
    # The same cancellation settled over Q1 only: after the range, counted, not clawed back.
    q1 = comp.settle(plan, TX, NO_QUOTAS, "2026-Q1", cancellations=cancellations)
    assert q1.cancellations_after_range == 1


def test_columns_without_a_value_are_nulls_of_their_role():
    # pd.read_csv types a column left blank (full cancellations) float64, and an empty frame's
    # columns are float64 too: neither holds a number, so they are nulls, not floats refused.
    import io

    plan = flat_plan(clawback={"policy": "original_rate", "window_days": 120})
    cancellations = pd.read_csv(io.StringIO("transaction_id,date,amount\nT1,2026-04-15,\n"))
    assert cancellations["amount"].dtype == "float64"
    empty_quotas = pd.DataFrame({"payee_id": [], "period_start": [], "quota": []})
    r = comp.settle(plan, TX, empty_quotas, "2026-01..2026-09", cancellations=cancellations)
    assert row(r.pay, period="2026-Q2")["clawbacks"] == D("-1000")
    # Settled again over Q3 only: the Q2 cancellation was taken back then; passed over, counted.
    q3 = comp.settle(plan, TX, NO_QUOTAS, "2026-Q3", cancellations=cancellations)
    assert q3.cancellations_before_range == 1 and q3.rejects.num_rows == 0


def test_pandas_periods_are_refused_with_the_conversion():
    adjustments = pd.DataFrame({"payee_id": ["A"], "period": [pd.Period("2026Q1")],
                                "amount": [D("100")], "reason": ["late SPIF"], "author": ["jdoe"]})
    with pytest.raises(spm.InvalidInputError, match=r"adjustments.period: holds pandas Period.*%Y-Q%q"):
        comp.settle(flat_plan(), TX, NO_QUOTAS, "2026-Q1", adjustments=adjustments)


def test_settle_draws_and_adjustments():
    draws = pd.DataFrame({"payee_id": ["A"], "from": [day(2026, 1, 1)], "to": [None],
                          "amount": [D("3000")], "type": ["recoverable"]})
    adjustments = pd.DataFrame({"payee_id": ["A"], "period": ["2026-Q3"], "amount": [D("-50.5")],
                                "reason": ["duplicate SPIF"], "author": ["jdoe"],
                                "date": [day(2026, 9, 1)]})
    r = comp.settle(flat_plan(), TX, NO_QUOTAS, "2026-01..2026-09", draws=draws,
                    adjustments=adjustments)
    # Q1 earns 1500: draw 1500, balance 1500. Q2 earns 0: draw 3000, balance 4500.
    # Q3 earns 2000 - 50.50 = 1949.50 < 3000: draw 1050.50, balance 5550.50.
    assert row(r.pay, period="2026-Q1")["draw"] == D("1500")
    assert row(r.pay, period="2026-Q3")["draw_balance"] == D("5550.50")
    assert row(r.pay, period="2026-Q3")["net_pay"] == D("3000")


def test_settle_rejects_bad_rows_and_keeps_the_rest():
    cancellations = pd.DataFrame({"transaction_id": ["T9"], "date": [day(2026, 4, 1)],
                                  "amount": [None]})
    r = comp.settle(flat_plan(), TX, NO_QUOTAS, "2026-01..2026-06", cancellations=cancellations)
    rej = r.rejects.to_pandas()
    assert list(rej.reason) == ["unknown transaction; nothing was paid for it"]
    assert row(r.pay, period="2026-Q1")["net_pay"] == D("1500")


def test_rollup_and_currency_in_run():
    plan = flat_plan(rollup={"rules": [{"id": "managers", "hierarchy": True}]})
    tx = TX.assign(currency=["EUR", "USD", "USD"])
    hierarchy = pd.DataFrame({"payee_id": ["A"], "manager_id": ["M"],
                              "from": [day(2026, 1, 1)], "to": [None]})
    fx = pd.DataFrame({"currency": ["EUR"], "date": [day(2026, 1, 1)], "rate": [D("1.1")]})
    r = comp.run(plan, tx, NO_QUOTAS, "2026-Q1", hierarchy=hierarchy, fx_rates=fx)
    st = r.statements.to_pandas()
    total = st[(st.component == "TOTAL")].set_index("payee_id").payout
    # T1 is 10000 EUR = 11000 USD; T2 5000 USD: 10% of 16000 = 1600, to A and to M.
    assert total["A"] == D("1600") and total["M"] == D("1600")
    lines = r.lines.to_pandas()
    assert set(lines[lines.payee_id == "M"].credit) == {"managers: A > M 100%"}
    assert lines[lines.transaction_id == "T1"].fx_rate.iloc[0] == D("1.1")


def test_what_if_returns_a_frame():
    quotas = pd.DataFrame({"payee_id": ["A"], "period_start": [day(2026, 1, 1)],
                           "quota": [D("10000")]})
    tiers = lambda accel: comp.Plan.from_dict({
        "id": "t", "effective": {"from": "2026-01-01", "to": "2027-01-01"},
        "measures": [{"id": "b"}],
        "components": [{"id": "c", "measure": "b", "tiers": [
            {"from": 0, "to": 100, "rate": "5"}, {"from": 100, "rate": accel}]}]})
    r = comp.what_if(tiers("10"), {"accel": tiers("20"), "quota": tiers("10")}, TX, quotas,
                     "2026-Q1", quota_factors={"quota": "1.5"})
    df = r.frame()
    assert list(df.variant) == ["baseline", "accel", "quota"]
    # 15000 of 10000: 10000 x 5% + 5000 x 10% = 1000; accel: 500 + 1000 = 1500;
    # quota 15000: 15000 x 5% = 750.
    assert list(df.payout) == [D("1000"), D("1500"), D("750")]
    assert list(df.delta) == [D("0"), D("500"), D("-250")]
    with pytest.raises(ValueError, match="not given"):
        comp.what_if(tiers("10"), {"a": tiers("20")}, TX, quotas, "2026-Q1",
                     quota_factors={"b": "1.1"})
    with pytest.raises(spm.InvalidInputError,
                       match=r"quota_factor is 0; it must be above 0 \(1.1 = quotas 10% higher\)$"):
        comp.what_if(tiers("10"), {"a": tiers("20")}, TX, quotas, "2026-Q1",
                     quota_factors={"a": "0"})
    with pytest.raises(spm.InvalidInputError):
        other = comp.Plan.from_dict({"id": "t", "effective": {"from": "2026-01-01", "to": "2027-01-01"},
                                     "measures": [{"id": "b", "filter": {"type": "x"}}],
                                     "components": [{"id": "c", "type": "spif", "amount": "1"}]})
        comp.what_if(tiers("10"), {"other": other}, TX, quotas, "2026-Q1")
