"""spm.forecast on the real public datasets in ../shared/data (or $SPM_DATA_DIR), when present:
the win model without the columns known only at close, the leakage guard, and time to close
with open deals censored. Skipped with a message when the data is absent."""
import os
import pathlib

import numpy as np
import pytest

import spm
import spm.forecast as fc

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path(os.environ.get("SPM_DATA_DIR", ROOT.parent / "shared" / "data"))
WIN_LOSS = DATA / "sales_win_loss" / "WA_Fn-UseC_-Sales-Win-Loss.csv"
CRM = DATA / "crm_sales_opportunities" / "sales_pipeline.csv"
AT_CLOSE = ["Elapsed Days In Sales Stage", "Sales Stage Change Count", "Total Days Identified Through Closing",
            "Total Days Identified Through Qualified", "Ratio Days Identified To Total Days",
            "Ratio Days Validated To Total Days", "Ratio Days Qualified To Total Days"]


@pytest.mark.skipif(not WIN_LOSS.exists(), reason=f"no win/loss data at {WIN_LOSS} (set SPM_DATA_DIR)")
def test_win_loss_model_beats_the_base_rate_without_leakage():
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(WIN_LOSS)
    numeric = ["Opportunity Amount USD", "Client Size By Revenue", "Client Size By Employee Count",
               "Revenue From Client Past Two Years", "Deal Size Category"]
    categorical = ["Supplies Subgroup", "Supplies Group", "Region", "Route To Market", "Competitor Type"]
    train, test = df.iloc[::2], df.iloc[1::2]
    m = fc.fit_win_model(train, outcome="Opportunity Result", numeric=numeric, categorical=categorical,
                         known_at_close=AT_CLOSE)
    s = m.predict(test)
    y = (test["Opportunity Result"].to_numpy() == "Won")[np.asarray(s.rows)]
    score = fc.score(s.probability, y)
    assert score["auc"] > 0.72
    assert score["log_loss"] < score["base_log_loss"] - 0.05
    with pytest.raises(spm.InvalidInputError, match="known only once a deal has closed"):
        fc.fit_win_model(train, outcome="Opportunity Result", numeric=numeric + AT_CLOSE[:1],
                         known_at_close=AT_CLOSE)


@pytest.mark.skipif(not CRM.exists(), reason=f"no CRM data at {CRM} (set SPM_DATA_DIR)")
def test_crm_time_to_close_censors_open_deals():
    pd = pytest.importorskip("pandas")
    crm = pd.read_csv(CRM, parse_dates=["engage_date", "close_date"])
    d = fc.deal_durations(crm, "2017-07-01", created="engage_date", outcome="deal_stage")
    open_now = int((np.asarray(d.cause) == 0).sum())
    # Deals closed after the as-of date count as open on it: censored, not dropped, not won.
    assert open_now > 1000
    km = spm._io.to_pandas(fc.kaplan_meier(d.days, np.asarray(d.cause) > 0))
    assert km["survival"].is_monotonic_decreasing and 0 < km["survival"].iloc[-1] < 1
