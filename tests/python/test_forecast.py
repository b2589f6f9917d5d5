"""spm.forecast: win model from DataFrames (fit, predict, calibration, leakage guard, pickling),
scores, survival with censoring, bookings distributions per group with targets, bad input."""
import datetime
import decimal
import math
import pickle

import numpy as np
import pytest

import spm
import spm.forecast as fc

D = decimal.Decimal


def deals_frame(n=600, strength=1.5, seed=0):
    import pandas as pd

    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    region = rng.choice(["north", "south", "east"], size=n)
    p = 1 / (1 + np.exp(-(strength * x - 0.3)))
    won = rng.random(n) < p
    return pd.DataFrame({"x": x, "region": region, "stage": np.where(won, "Won", "Lost")})


def test_fit_predict_and_score_beat_the_base_rate():
    train, test = deals_frame(seed=1), deals_frame(seed=2)
    model = fc.fit_win_model(train, outcome="stage", numeric=["x"], categorical=["region"])
    assert model.rows_used == 600 and model.converged
    s = model.predict(test)
    assert list(s.rows) == list(range(600))
    y = (test["stage"] == "Won").to_numpy()
    m = fc.score(s.probability, y)
    assert m["auc"] > 0.75
    assert m["log_loss"] < m["base_log_loss"] - 0.05
    assert m["reliability"].num_rows == 10
    coef = spm._io.to_pandas(model.coefficients)
    assert list(coef["feature"])[:2] == ["(intercept)", "x"]
    assert coef["coefficient"][1] == pytest.approx(1.5, abs=0.35)


def test_dates_as_timestamps_at_midnight():
    import datetime

    import pandas as pd

    assert fc._date(pd.Timestamp("2026-01-01")) == datetime.date(2026, 1, 1)
    assert fc._date(datetime.datetime(2026, 1, 1)) == datetime.date(2026, 1, 1)
    assert fc._date("2026-01-01") == datetime.date(2026, 1, 1)
    with pytest.raises(ValueError, match="a time of day or a time zone"):
        fc._date(pd.Timestamp("2026-01-01 09:30"))
    with pytest.raises(ValueError, match="a time of day or a time zone"):
        fc._date(pd.Timestamp("2026-01-01", tz="UTC"))


def test_text_features_missing_columns_and_an_empty_slice():
    train = deals_frame(seed=1)
    model = fc.fit_win_model(train, outcome="stage", numeric=["x"], categorical=["region"])
    # Numbers as text (pd.read_csv(dtype=str)) parse as the CSV reader parses them.
    text = train.assign(x=[repr(float(v)) for v in train["x"]])
    again = fc.fit_win_model(text, outcome="stage", numeric=["x"], categorical=["region"])
    assert again.to_json() == model.to_json()
    bad = text.copy()
    bad.loc[4, "x"] = "n/a"
    bad.loc[9, "x"] = "1,5"
    # Text that is not a number is a reject of its row, with the reason the CLI's reader gives
    # (it failed the whole call before: found by a user test).
    m = fc.fit_win_model(bad, outcome="stage", numeric=["x"], categorical=["region"])
    rej = spm._io.to_pandas(m.rejects)
    assert rej["row"].tolist() == [5, 10] and rej["value"].tolist() == ["n/a", "1,5"]
    assert rej["reason"][0].startswith("the feature is not a number")
    assert m.rows_used == len(bad) - 2
    # A missing column is named beside every column the frame has, not only those selected.
    with pytest.raises(spm.InvalidInputError, match=r"has no column 'Outcome' \(it has: x, region, stage\)"):
        fc.fit_win_model(train, outcome="Outcome", numeric=["x"])
    # An empty pandas slice (object columns of nothing) predicts nothing, without a type error.
    empty = model.predict(train.astype({"x": object}).iloc[:0])
    assert len(empty.probability) == 0


def test_polars_input_and_isotonic_calibration_and_pickle():
    pl = pytest.importorskip("polars")
    train = pl.from_pandas(deals_frame(seed=3))
    model = fc.fit_win_model(train, outcome="stage", numeric=["x"], calibration="isotonic")
    assert model.calibration == "isotonic"
    again = pickle.loads(pickle.dumps(model))
    assert np.array_equal(again.predict(train).probability, model.predict(train).probability)
    assert fc.WinModel.from_json(model.to_json()).rows_used == 600


def test_open_deals_are_rejects_and_leakage_is_refused():
    import pandas as pd

    df = deals_frame(seed=4)
    df.loc[0, "stage"] = "Negotiation"
    model = fc.fit_win_model(df, outcome="stage", numeric=["x"])
    assert model.rows_used == 599
    rej = spm._io.to_pandas(model.rejects)
    assert rej["value"].tolist() == ["Negotiation"] and rej["row"].tolist() == [1]
    with pytest.raises(spm.InvalidInputError, match="known only once a deal has closed") as e:
        fc.fit_win_model(df, outcome="stage", numeric=["x"], known_at_close=["x"])
    assert e.value.id == "forecast.leakage"
    with pytest.raises(spm.InvalidInputError, match="at least 10 won and 10 lost") as e:
        fc.fit_win_model(pd.DataFrame({"x": [1.0, 2.0], "stage": ["won", "lost"]}), outcome="stage",
                         numeric=["x"])
    assert e.value.id == "forecast.history"
    with pytest.raises(ValueError, match="calibration must be one of"):
        fc.fit_win_model(df, outcome="stage", calibration="beta")


def test_survival_censors_open_deals_as_of_a_date():
    import pandas as pd

    day = datetime.date
    deals = pd.DataFrame({
        "created_date": [day(2025, 1, 1), day(2025, 1, 1), day(2025, 1, 11), day(2025, 2, 1), day(2025, 6, 1)],
        "close_date": [day(2025, 1, 11), day(2025, 1, 21), None, day(2025, 4, 1), None],
        "outcome": ["won", "lost", None, "won", None],
    })
    d = fc.deal_durations(deals, "2025-03-01")
    # The deal closing 2025-04-01 was still open on 2025-03-01: censored at 28 days.
    assert list(d.rows) == [0, 1, 2, 3]
    assert list(d.days) == [10, 20, 49, 28]
    assert list(d.cause) == [1, 2, 0, 0]
    km = spm._io.to_pandas(fc.kaplan_meier(d.days, d.cause > 0))
    assert km["survival"].tolist() == pytest.approx([0.75, 0.5, 0.5, 0.5])
    aj = spm._io.to_pandas(fc.aalen_johansen(d.days, d.cause))
    assert aj["incidence_won"].iloc[-1] == pytest.approx(0.25)
    assert aj["incidence_lost"].iloc[-1] == pytest.approx(0.25)
    bad = deals.assign(close_date=[day(2024, 12, 1)] + list(deals["close_date"][1:]))
    r = fc.deal_durations(bad, "2025-03-01")
    assert spm._io.to_pandas(r.rejects)["reason"][0].startswith("the close date is before the creation date")


def test_bookings_per_group_with_targets_exact_and_monte_carlo():
    import pandas as pd

    deals = pd.DataFrame({"owner": ["a", "a", "b"], "p": [0.5, 0.5, 0.9],
                          "amount": [D("100"), D("300"), D("200")]})
    targets = pd.DataFrame({"owner": ["a", "(all)"], "target": [D("300"), D("400")]})
    b = fc.bookings(deals, probability="p", group="owner", targets=targets)
    s = spm._io.to_pandas(b.summary).set_index("group")
    # a: totals 0, 100, 300, 400 each 1/4 -> P50 = 100, P(>= 300) = 1/2.
    assert s.loc["a", "p50"] == D("100")
    assert s.loc["a", "p_reach_target"] == pytest.approx(0.5)
    assert math.isnan(s.loc["b", "p_reach_target"]) or s.loc["b", "p_reach_target"] is None
    assert s.loc["(all)", "deals"] == 3
    assert b.pmf.sum() == pytest.approx(1.0)
    assert b.step == D(100)
    mc = fc.bookings(deals, probability="p", group="owner", method="monte_carlo", scenarios=20000)
    m = spm._io.to_pandas(mc.summary).set_index("group")
    assert float(m.loc["(all)", "expected"]) == pytest.approx(380, abs=10)
    with pytest.raises(spm.InvalidInputError, match="must be decimal") as e:
        fc.bookings(deals.assign(amount=[1.5, 2.5, 3.5]), probability="p")
    assert e.value.id == "forecast.column"
    rej = fc.bookings(deals.assign(p=[0.5, 1.5, 0.2]), probability="p").rejects
    assert spm._io.to_pandas(rej)["reason"].tolist() == ["the probability must be between 0 and 1"]
    # A period factor only the simulation has is refused, not silently ignored.
    with pytest.raises(spm.InvalidInputError) as e:
        fc.bookings(deals, probability="p", period_sd=0.3)
    assert (e.value.id, e.value.path) == ("forecast.options", "period_sd")


def test_saddlepoint_agrees_with_exact_on_a_large_pipeline():
    import pandas as pd

    rng = np.random.default_rng(5)
    n = 2000
    deals = pd.DataFrame({"p": rng.uniform(0.05, 0.6, n),
                          "amount": [D(int(v) * 100) for v in rng.integers(1, 300, n)]})
    exact = spm._io.to_pandas(fc.bookings(deals, probability="p").summary).iloc[-1]
    sp = fc.bookings(deals, probability="p", method="saddlepoint")
    s = spm._io.to_pandas(sp.summary).iloc[-1]
    assert s["method"] == "saddlepoint" and len(sp.pmf) == 0
    for q in ("p10", "p50", "p90"):
        assert float(s[q]) == pytest.approx(float(exact[q]), abs=0.02 * exact["sd"] + 100)


def test_window_forecast_and_backtest_on_the_demo_company():
    deals = spm.demo_company(20, seed=3)["opportunities"]
    w = fc.forecast_window(deals, "2025-07-01", numeric=["amount"], categorical=["source"])
    assert len(w.rows) == len(w.p) and len(w.rows) > 20
    assert np.all(w.p <= w.p_close + 1e-15)
    assert w.model.rows_used > 100
    b = fc.backtest(deals, ["2025-01-01", "2025-04-01", "2025-07-01"], numeric=["amount"],
                    categorical=["source"], scenarios=2000)
    cuts = spm._io.to_pandas(b.cuts)
    assert len(cuts) == 3 and set(cuts["in_80"]) <= {0.0, 1.0}
    assert 0 <= b.summary["mc_coverage_80"] <= 1 and b.summary["period_sd"] > 0
    with pytest.raises(spm.InvalidInputError, match="at least two cuts"):
        fc.backtest(deals, ["2025-01-01"], numeric=["amount"])


DUPLICATE = ("duplicate id: row {} has it already; that row stands for the deal (the first row of "
             "the id not rejected for another reason)")


def test_repeated_deal_ids_are_rejected():
    import pandas as pd

    deals = pd.DataFrame({"id": ["a", "b", "a"], "p": [0.5, 0.5, 0.5],
                          "amount": [D(100), D(200), D(300)]})
    b = fc.bookings(deals, probability="p", id="id")
    rej = spm._io.to_pandas(b.rejects)
    assert rej["reason"].tolist() == [DUPLICATE.format(1)]
    assert spm._io.to_pandas(b.summary)["deals"].iloc[-1] == 2


def test_hazard_model_from_a_dataframe():
    deals = spm.demo_company(20, seed=4)["opportunities"]
    m = fc.fit_hazard(deals, "2025-10-01", categorical=["source"])
    assert m.person_periods > 1000
    f = m.predict(deals, "2025-10-01", window_days=90, horizon=6)
    assert f.close_by_period.shape == (len(f.rows), 6)
    assert np.all(f.p_won + f.p_lost <= 1 + 1e-12)
    assert np.all(f.close_by_period.sum(axis=1) <= 1 + 1e-12)
    assert "won" in m.coefficients and m.coefficients["won"].num_rows > 5


def test_pipeline_analytics_from_dataframes():
    import pandas as pd

    co = spm.demo_company(20, seed=6)
    deals = co["opportunities"]
    s = fc.slippage(deals, "2026-01-01")
    assert s["closed"] > 100 and 0 <= s["share_late"] <= 1 and s["p10"] <= s["p50"] <= s["p90"]
    cap = fc.capacity_by_size(deals, "2026-01-01", [5000, 20000])
    with pytest.raises(spm.InvalidInputError) as e:
        fc.capacity_by_size(deals, "2026-01-01", [-5])
    assert (e.value.id, e.value.path) == ("forecast.options", "bands[0]")
    reps = spm._io.to_pandas(cap["reps"])
    assert set(reps["band"]) == {"0-5000", "5000-20000", "20000+"}
    assert reps["win_rate_shrunk"].between(0, 1).all()
    cats = pd.DataFrame({"owner": ["a", "a", "b"], "forecast_category": ["Commit", "best case", "Pipeline"],
                         "amount": [D(100), D(50), D(70)]})
    r = spm._io.to_pandas(fc.category_rollup(cats, group="owner")["table"]).set_index("owner")
    assert r.loc["a", "call"] == D(100) and r.loc["a", "upside"] == D(150) and r.loc["(all)", "pipeline"] == D(70)
    scored = pd.DataFrame({"deal_id": ["D1", "D2"], "probability": [0.2, 0.4]})
    o = fc.apply_overrides(scored, pd.DataFrame({"deal_id": ["D2"], "action": ["lost"]}))
    assert spm._io.to_pandas(o["deals"])["probability"].tolist() == [0.2, 0.0] and o["applied"] == 1
    day = datetime.date
    before = pd.DataFrame({"deal_id": ["D1"], "amount": [D(10)], "expected_close_date": [day(2026, 2, 1)],
                           "outcome": [None]})
    after = before.assign(expected_close_date=[day(2026, 3, 1)])
    d = spm._io.to_pandas(fc.snapshot_diff(before, after)["changes"])
    assert d["change"].tolist() == ["pushed"]


def test_bookings_with_new_deals_from_history():
    co = spm.demo_company(20, seed=7)
    deals = spm._io.to_pandas(co["opportunities"]).assign(p=0.4)
    open_deals = deals[deals["close_date"].isna()]
    base = fc.bookings(open_deals, probability="p", group="owner_id")
    more = fc.bookings(open_deals, probability="p", group="owner_id", history=deals, as_of=co["as_of"])
    b = spm._io.to_pandas(base.summary).iloc[-1]
    m = spm._io.to_pandas(more.summary).iloc[-1]
    assert float(m["expected"]) > float(b["expected"]) and m["sd"] > b["sd"]
    with pytest.raises(ValueError, match="history needs as_of"):
        fc.bookings(open_deals, probability="p", history=deals)


def test_bookings_refuses_a_lattice_of_fewer_than_two_points():
    import pandas as pd

    deals = pd.DataFrame({"probability": [0.5, 0.5], "amount": [D("100"), D("300")]})
    for points in (0, 1):
        # Used to kill the interpreter (a division by zero).
        with pytest.raises(spm.InvalidInputError, match="at least 2 points") as e:
            fc.bookings(deals, max_points=points)
        assert e.value.id == "forecast.lattice"
    with pytest.raises(spm.InvalidInputError, match="the quantile p10 is asked for twice") as e:
        fc.bookings(deals, quantiles=[0.1, 0.5, 0.1])
    assert e.value.id == "forecast.options"


def test_bookings_expected_from_exact_amounts_and_huge_totals_named():
    import pandas as pd

    deals = pd.DataFrame({"owner": ["a", "a", "b"], "probability": [0.5, 0.5, 0.9],
                          "amount": [D("100"), D("300"), D("200")]})
    b = fc.bookings(deals, step=1000)
    s = spm._io.to_pandas(b.summary).iloc[-1]
    assert s["expected"] == D("380") and b.max_rounding == D("300")
    huge = pd.DataFrame({"probability": [0.5] * 100, "amount": [D("1E25")] * 100})
    for method in ("exact", "saddlepoint"):
        with pytest.raises(spm.InvalidInputError, match="add up to more than 10000000000000000000000000") as e:
            fc.bookings(huge, method=method)
        assert e.value.id == "forecast.amount" and "amount" in str(e.value)


def test_saddlepoint_groups_take_new_deals_like_exact_ones_and_targets_keep_their_rows():
    import pandas as pd

    co = spm.demo_company(40, seed=7)
    deals = spm._io.to_pandas(co["opportunities"]).assign(p=0.4)
    open_deals = deals[deals["close_date"].isna()]
    assert len(open_deals) >= 200
    exact = fc.bookings(open_deals, probability="p", history=deals, as_of=co["as_of"])
    sp = fc.bookings(open_deals, probability="p", history=deals, as_of=co["as_of"], method="saddlepoint")
    e = spm._io.to_pandas(exact.summary).iloc[-1]
    s = spm._io.to_pandas(sp.summary).iloc[-1]
    # The saddlepoint has no arrivals: such a group gets the exact distribution, with them.
    assert s["expected"] == e["expected"] and s["method"] == e["method"]
    targets = pd.DataFrame({"owner_id": ["nobody"], "target": [D("1000")]})
    t = spm._io.to_pandas(fc.bookings(open_deals, probability="p", group="owner_id", targets=targets).summary)
    row = t.set_index("group").loc["nobody"]
    assert row["deals"] == 0 and row["expected"] == D("0") and row["p_reach_target"] == 0.0
    # Without a group column such a target would have no row: an error, not silence.
    with pytest.raises(spm.InvalidInputError, match="'nobody' targets a group, but no group column was given") as e:
        fc.bookings(open_deals, probability="p", targets=targets.rename(columns={"owner_id": "group"}))
    assert e.value.id == "forecast.target"


def test_repeated_ids_in_durations_hazard_and_overrides_are_rejected():
    import pandas as pd

    deals = spm._io.to_pandas(spm.demo_company(20, seed=4)["opportunities"])
    twice = pd.concat([deals, deals.head(5)], ignore_index=True)
    d = fc.deal_durations(twice, "2025-10-01", id="deal_id")
    once = fc.deal_durations(deals, "2025-10-01", id="deal_id")
    assert list(d.rows) == list(once.rows)
    def duplicates(rejects):
        return [r for r in spm._io.to_pandas(rejects)["reason"].tolist() if r.startswith("duplicate id")]

    assert duplicates(d.rejects) == [DUPLICATE.format(i) for i in range(1, 6)]
    model = fc.fit_hazard(twice, "2025-10-01", id="deal_id")
    assert duplicates(model.rejects) == [DUPLICATE.format(i) for i in range(1, 6)]  # the fit's own, too
    assert fc.fit_hazard(deals, "2025-10-01").rejects.num_rows == 0
    f = model.predict(twice, "2025-10-01")
    assert list(f.rows) == list(fc.fit_hazard(deals, "2025-10-01").predict(deals, "2025-10-01").rows)
    assert spm._io.to_pandas(f.rejects)["row"].tolist()[:5] == list(range(len(deals) + 1, len(deals) + 6))
    scored = pd.DataFrame({"deal_id": ["D1", "D2", "D1"], "probability": [0.2, 0.4, 0.6]})
    o = fc.apply_overrides(scored, pd.DataFrame({"deal_id": ["D1"], "probability": [0.9]}))
    assert spm._io.to_pandas(o["deals"])["probability"].tolist() == [0.9, 0.4]
    assert spm._io.to_pandas(o["deal_rejects"])["reason"].tolist() == [DUPLICATE.format(1)]


def test_scores_rows_are_positions_and_rejects_count_from_one():
    df = deals_frame(n=40, seed=5)
    model = fc.fit_win_model(df, outcome="stage", numeric=["x"])
    test = df.copy()
    test.loc[3, "x"] = float("nan")
    s = model.predict(test)
    assert 3 not in list(s.rows) and list(s.rows)[:3] == [0, 1, 2]  # 0-based positions
    assert spm._io.to_pandas(s.rejects)["row"].tolist() == [4]  # position + 1


def test_score_of_nothing_and_negative_counts_are_clear_errors():
    import pandas as pd

    with pytest.raises(spm.InvalidInputError, match="no probabilities to score") as e:
        fc.score([], [])
    assert e.value.id == "forecast.score"
    df = deals_frame(n=40, seed=6)
    with pytest.raises(spm.InvalidInputError, match="min_per_class must be a whole number >= 0, got -1") as e:
        fc.fit_win_model(df, outcome="stage", numeric=["x"], min_per_class=-1)
    assert e.value.id == "forecast.options" and e.value.path == "min_per_class"
    pipe = pd.DataFrame({"probability": [0.5], "amount": [D(100)]})
    with pytest.raises(spm.InvalidInputError, match="scenarios must be a whole number >= 0, got -1"):
        fc.bookings(pipe, method="monte_carlo", scenarios=-1)
    with pytest.raises(spm.InvalidInputError, match="threads must be a whole number >= 0, got 1.5"):
        fc.bookings(pipe, threads=1.5)


def reported_pipeline(n=20000):
    """User report: n deals of 55 and one of 60,001, each won with 1/2. Truth (step 1, exact):
    P10 ~546,800, P90 ~613,200, P(>= 600,000) 0.4975; the lattice of step 20 rounded every 55 to 60
    (exact P10 596,400, P90 663,600, P(reach) 0.751)."""
    import pandas as pd

    return pd.DataFrame({"probability": [0.5] * (n + 1), "amount": [D(55)] * n + [D(60001)]})


@pytest.mark.parametrize("method", ["exact", "monte_carlo"])
def test_amounts_between_lattice_points_keep_their_mean(method):
    import pandas as pd

    targets = pd.DataFrame({"group": ["(all)"], "target": [D(600000)]})
    b = fc.bookings(reported_pipeline(), method=method, targets=targets, scenarios=40000)
    s = spm._io.to_pandas(b.summary).iloc[-1]
    assert b.step == D(20) and b.max_rounding == D(5)
    assert b.lattice_sd == pytest.approx(20 * math.sqrt(20000 * 0.5 * 0.75 * 0.25 + 0.5 * 0.05 * 0.95))
    assert s["lattice_sd"] == pytest.approx(b.lattice_sd)
    assert abs(float(s["p10"]) - 546800) < 1000 and abs(float(s["p90"]) - 613200) < 1000
    assert s["p_reach_target"] == pytest.approx(0.4975, abs=0.01)
    assert float((np.arange(len(b.pmf)) * b.pmf).sum()) * 20 == pytest.approx(580000.5, rel=1e-3)


def test_a_saddlepoint_group_dominated_by_one_deal_gets_a_note():
    import pandas as pd

    targets = pd.DataFrame({"group": ["(all)"], "target": [D(600000)]})
    b = fc.bookings(reported_pipeline(), method="saddlepoint", targets=targets)
    assert len(b.notes) == 1
    assert b.notes[0].startswith("group '(all)': one deal of 60001 is 15.4 times the standard deviation")
    assert "use the exact or monte_carlo method" in b.notes[0]
    even = reported_pipeline().assign(amount=D(55))
    assert fc.bookings(even, method="saddlepoint").notes == ()


def test_a_won_deal_without_a_close_date_is_rejected_not_open():
    import pandas as pd

    deals = pd.DataFrame({"deal_id": ["D1", "D2", "D3"],
                          "created_date": [datetime.date(2025, 1, 1), datetime.date(2025, 2, 1),
                                           datetime.date(2025, 3, 1)],
                          "close_date": [datetime.date(2025, 2, 1), None, datetime.date(2025, 4, 1)],
                          "outcome": ["Won", "Won", "Lost"]})
    d = fc.deal_durations(deals, "2025-09-01", id="deal_id")
    assert list(d.cause) == [1, 2] and list(d.rows) == [0, 2]
    r = spm._io.to_pandas(d.rejects)
    assert list(r["row"]) == [2] and list(r["column"]) == ["close_date"]
    assert r["reason"][0] == "outcome Won but the close date is missing; give the close date or clear the outcome"


def test_as_of_is_read_alike_by_every_forecast_function():
    import pandas as pd

    deals = pd.DataFrame({"created_date": [datetime.date(2025, 1, 1)], "close_date": [datetime.date(2025, 2, 1)],
                          "outcome": ["won"]})
    for as_of in ("2025-09-01", datetime.date(2025, 9, 1), pd.Timestamp("2025-09-01"),
                  np.datetime64("2025-09-01"), datetime.datetime(2025, 9, 1)):
        assert list(fc.deal_durations(deals, as_of).days) == [31], as_of
    with pytest.raises(spm.InvalidInputError, match=r"as_of: expected a date \('YYYY-MM-DD'") as e:
        fc.deal_durations(deals, 20250901)
    assert e.value.id == "forecast.options" and e.value.path == "as_of"
    with pytest.raises(spm.InvalidInputError, match="month must be 01 to 12"):
        fc.deal_durations(deals, "2025-13-01")
    with pytest.raises(spm.InvalidInputError, match=r"cuts\[1\]: .* has a time of day"):
        fc.backtest(deals, ["2025-04-01", pd.Timestamp("2025-05-01 10:00")])


def test_deals_without_a_group_form_the_missing_group():
    import pandas as pd

    deals = pd.DataFrame({"owner": ["ana", None, ""], "probability": [0.5, 0.5, 0.5],
                          "amount": [D(100), D(200), D(300)]})
    b = fc.bookings(deals, group="owner")
    s = spm._io.to_pandas(b.summary).set_index("group")
    assert list(s.index) == ["(missing)", "ana", "(all)"]
    assert s.loc["(missing)", "deals"] == 2 and s.loc["(missing)", "expected"] == D(250)
    assert s.loc["(all)", "deals"] == 3 and len(spm._io.to_pandas(b.rejects)) == 0


def test_p_reach_target_has_six_significant_digits():
    import pandas as pd

    rng = np.random.default_rng(3)
    deals = pd.DataFrame({"probability": rng.uniform(0.05, 0.6, 400),
                          "amount": [D(int(a)) for a in rng.integers(100, 5000, 400)]})
    targets = pd.DataFrame({"group": ["(all)"], "target": [D(365000)]})  # expected 318,151, sd 24,742
    for method in ("exact", "monte_carlo", "saddlepoint"):
        v = spm._io.to_pandas(fc.bookings(deals, method=method, targets=targets).summary)["p_reach_target"].iloc[-1]
        assert 0 < v < 1 and float(f"{v:.6g}") == v, (method, repr(v))


def test_bookings_amount_text_that_does_not_parse_is_a_reject():
    import pandas as pd

    deals = pd.DataFrame({"probability": [0.5, 0.4, 0.3, None],
                          "amount": ["100", "1,000", "x", "5"]})
    b = fc.bookings(deals)
    r = b.rejects.to_pandas()
    assert r["row"].tolist() == [2, 3, 4]
    assert r["column"].tolist() == ["amount", "amount", "probability"]
    assert r["reason"][0].startswith("'1,000' is not a decimal: thousands separators")
    assert b.summary.to_pandas()["deals"].tolist() == [1]

def test_a_win_model_that_does_not_converge_warns():
    # Perfectly separable deals without regularisation: the CLI says "not converged"; so does Python.
    import pandas as pd

    deals = pd.DataFrame({"stage": ["won"] * 20 + ["lost"] * 20, "x": list(range(20, 40)) + list(range(0, 20))})
    with pytest.warns(UserWarning, match="did not converge"):
        m = fc.fit_win_model(deals, outcome="stage", numeric=["x"], l2=0, min_per_class=5)
    assert not m.converged


def test_a_repeated_id_after_an_invalid_row_keeps_the_deal():
    # The first row of "a" has no amount: it is rejected for that, and its second row stands for
    # the deal (duplicates are judged among the rows that pass); before, both rows were lost.
    import pandas as pd

    deals = pd.DataFrame({"id": ["a", "b", "a"], "p": [0.5, 0.5, 0.5],
                          "amount": [None, D(200), D(300)]})
    b = fc.bookings(deals, probability="p", id="id")
    rej = spm._io.to_pandas(b.rejects)
    assert rej[["row", "reason"]].values.tolist() == [[1, "no amount; fill it"]]
    s = spm._io.to_pandas(b.summary).iloc[-1]
    assert s["deals"] == 2 and s["expected"] == D("250.00")
    # Unparseable text in the first row: that row is left out on reading; the second counts.
    deals = pd.DataFrame({"id": ["a", "b", "a"], "p": [0.5, 0.5, 0.5], "amount": ["1e3", "200", "300"]})
    b = fc.bookings(deals, probability="p", id="id")
    assert spm._io.to_pandas(b.summary).iloc[-1]["deals"] == 2
    assert spm._io.to_pandas(b.rejects)["row"].tolist() == [1]


def test_expected_bookings_are_exact_money():
    # Three deals won for sure around 1e14 with cents: the expected total is exact to the cent
    # (summed in binary double it was 200000000000000.44), and Bookings.mean is that Decimal.
    import pandas as pd

    deals = pd.DataFrame({"p": [1.0, 1.0, 1.0],
                          "amount": [D("100000000000000.37"), D("100000000000000.01"), D("0.05")]})
    for method in ("exact", "monte_carlo"):
        b = fc.bookings(deals, probability="p", method=method, scenarios=100)
        assert spm._io.to_pandas(b.summary)["expected"].iloc[-1] == D("200000000000000.43")
        assert b.mean == D("200000000000000.43") and isinstance(b.mean, decimal.Decimal)


@pytest.mark.parametrize("bad", ["Infinity", "-Infinity"])
def test_a_non_finite_decimal_amount_is_a_reject_like_unreadable_text(bad):
    # Bulk data: the row goes to rejects naming the column and value; the call does not fail.
    import pandas as pd

    deals = pd.DataFrame({"id": ["a", "b", "c"], "p": [0.5, 0.5, 0.5],
                          "amount": [D(100), D(bad), D(300)]})
    b = fc.bookings(deals, probability="p", id="id")
    rej = spm._io.to_pandas(b.rejects)
    assert rej[["row", "column", "value", "reason"]].values.tolist() == [
        [2, "amount", bad, f"Decimal('{bad}') is not a finite number; libspm decimals are finite"]]
    assert spm._io.to_pandas(b.summary).iloc[-1]["expected"] == D("200.00")
    # A Decimal NaN is a missing amount (pandas' missing value): a reject saying so.
    deals["amount"] = [D(100), D("NaN"), D(300)]
    rej = spm._io.to_pandas(fc.bookings(deals, probability="p").rejects)
    assert rej[["row", "reason"]].values.tolist() == [[2, "no amount; fill it"]]
    # Where a column's bad values raise (no rejects for that input), the error names column and row.
    targets = pd.DataFrame({"group": ["(all)"], "target": [D(bad)]})
    with pytest.raises(spm.InvalidInputError, match=r"targets\.target: row 1 holds -?Infinity, not a finite decimal") as e:
        fc.bookings(deals, probability="p", targets=targets)
    assert isinstance(e.value, ValueError) and e.value.id == "forecast.column"
    # And as a decimal argument, the argument is named.
    with pytest.raises(spm.InvalidInputError, match=r"\[decimal\.parse\] step: Decimal\('-?Infinity'\) is not a finite"):
        fc.bookings(deals, probability="p", step=D(bad))


def test_window_forecast_and_backtest_take_an_id_and_warn_past_the_data():
    # Found by a user test: the documented id= was missing from both; an as-of date past the data
    # was not flagged.
    import pandas as pd

    deals = spm._io.to_pandas(spm.demo_company(20, seed=4)["opportunities"])
    twice = pd.concat([deals, deals.head(3)], ignore_index=True)
    w = fc.forecast_window(twice, "2025-07-01", numeric=["amount"], id="deal_id")
    once = fc.forecast_window(deals, "2025-07-01", numeric=["amount"])
    assert list(w.rows) == list(once.rows) and np.array_equal(w.p, once.p)
    assert [r for r in spm._io.to_pandas(w.rejects)["reason"] if r.startswith("duplicate id")] == [
        DUPLICATE.format(i) for i in range(1, 4)]
    b = fc.backtest(twice, ["2025-01-01", "2025-04-01"], numeric=["amount"], scenarios=500, id="deal_id")
    assert [r for r in spm._io.to_pandas(b.rejects)["reason"] if r.startswith("duplicate id")] == [
        DUPLICATE.format(i) for i in range(1, 4)]
    assert w.notes == ()
    with pytest.warns(UserWarning, match="after the last date in the data"):
        late = fc.forecast_window(deals, "2030-01-01", numeric=["amount"])
    assert len(late.notes) == 1


def test_old_open_deals_that_never_close_get_a_low_chance_of_closing():
    # Found by a user test: 100 deals closed within 10..50 days, 50 deals open for 243 days; the
    # old deals got p_close 0.96 in 90 days though none had closed at that age.
    import pandas as pd

    rows = []
    for i in range(100):
        c = pd.Timestamp("2025-01-01") + pd.Timedelta(days=i)
        rows.append(dict(created_date=c.date().isoformat(),
                         close_date=(c + pd.Timedelta(days=10 + i % 41)).date().isoformat(),
                         outcome="won" if i % 2 else "lost"))
    rows += [dict(created_date="2024-10-01", close_date="", outcome="")] * 50
    with pytest.warns(UserWarning, match="after the last date in the data"):  # the user's as-of date
        w = fc.forecast_window(pd.DataFrame(rows), "2025-06-01", window_days=90)
    assert len(w.rows) == 50
    assert np.all(w.p_close < 0.2)


def test_integer_and_boolean_outcomes_are_read_everywhere():
    # Found by a user test: 0/1 and boolean outcomes worked in fit_win_model only.
    import pandas as pd

    deals = spm._io.to_pandas(spm.demo_company(20, seed=4)["opportunities"])
    text = deals["outcome"]
    ints = deals.assign(outcome=text.map({"won": 1, "lost": 0}).astype("Int64"))
    bools = deals.assign(outcome=text.map({"won": True, "lost": False}).astype("boolean"))
    want = fc.deal_durations(deals, "2025-07-01")
    want_w = fc.forecast_window(deals, "2025-07-01", numeric=["amount"])
    for d in (ints, bools):
        got = fc.deal_durations(d, "2025-07-01")
        assert np.array_equal(got.cause, want.cause) and np.array_equal(got.days, want.days)
        w = fc.forecast_window(d, "2025-07-01", numeric=["amount"])
        assert np.array_equal(w.p, want_w.p)
        assert fc.fit_hazard(d, "2025-07-01").person_periods == fc.fit_hazard(deals, "2025-07-01").person_periods
        b = fc.backtest(d, ["2025-01-01", "2025-04-01"], numeric=["amount"], scenarios=200)
        assert spm._io.to_pandas(b.cuts)["won_in_window"].tolist() == spm._io.to_pandas(
            fc.backtest(deals, ["2025-01-01", "2025-04-01"], numeric=["amount"], scenarios=200).cuts
        )["won_in_window"].tolist()


def test_a_numeric_feature_that_is_empty_or_not_a_number_is_a_reject_and_keeps_no_id():
    # Found by a user test: the hazard fit dropped such a row without a reject, and with id= the
    # row still held the id, so the deal's valid row was rejected; text that is not a number
    # failed the whole call.
    import pandas as pd

    rng = np.random.default_rng(0)
    n = 200
    d = pd.DataFrame({"deal_id": [f"D{i}" for i in range(n)], "x": [f"{v:.3f}" for v in rng.normal(size=n)],
                      "outcome": rng.choice(["won", "lost"], n), "created_date": "2025-01-01",
                      "close_date": pd.Series(pd.date_range("2025-01-05", periods=n, freq="D")).dt.strftime("%Y-%m-%d")})
    full = fc.fit_hazard(d, "2026-01-01", numeric=["x"], id="deal_id")
    for bad, reason in [("", "the feature is empty; fill it or leave the column out"),
                        ("abc", "the feature is not a number")]:
        dup = d.iloc[[5]].copy()
        dup["x"] = bad
        dd = pd.concat([dup, d]).reset_index(drop=True)
        h = fc.fit_hazard(dd, "2026-01-01", numeric=["x"], id="deal_id")
        rej = spm._io.to_pandas(h.rejects)
        assert rej["row"].tolist() == [1] and rej["column"].tolist() == ["x"]
        assert rej["reason"][0].startswith(reason)
        assert h.person_periods == full.person_periods
        assert np.allclose(spm._io.to_pandas(h.coefficients["won"])["coefficient"],
                           spm._io.to_pandas(full.coefficients["won"])["coefficient"])


def test_unreadable_text_is_a_reject_as_in_the_cli():
    # Found by a user test: a probability text that does not parse, or a bad date, failed the
    # Python call where the CLI rejects the row.
    import pandas as pd

    b = fc.bookings(pd.DataFrame({"probability": ["0.3", "x", "50%"], "amount": ["10", "10", "10"]}))
    rej = spm._io.to_pandas(b.rejects)
    assert rej["row"].tolist() == [2, 3]
    assert rej["reason"].tolist() == ["not a number; use digits, '.', and an optional exponent"] * 2
    assert spm._io.to_pandas(b.summary)["deals"].iloc[-1] == 1
    deals = pd.DataFrame({"deal_id": ["A", "G", "H"], "created_date": ["2025-01-10", "2025-13-01", "2025-02-01"],
                          "close_date": ["2025-02-05", "2025-03-01", ""], "outcome": ["Won", "Won", ""]})
    d = fc.deal_durations(deals, "2025-06-01", id="deal_id")
    assert list(d.rows) == [0, 2]  # positions in the input, the bad row left out
    rej = spm._io.to_pandas(d.rejects)
    assert rej["row"].tolist() == [2] and rej["value"].tolist() == ["2025-13-01"]


def test_category_rollup_puts_empty_groups_under_missing():
    # Found by a user test: an empty text group (read with keep_default_na=False) was its own
    # group "" instead of "(missing)", unlike bookings.
    import pandas as pd

    deals = pd.DataFrame({"forecast_category": ["Commit", "Commit", "Pipeline"], "amount": ["10", "20", "30"],
                          "owner_id": ["ana", "", None]})
    t = spm._io.to_pandas(fc.category_rollup(deals, group="owner_id")["table"])
    assert t["owner_id"].tolist() == ["(missing)", "ana", "(all)"]
