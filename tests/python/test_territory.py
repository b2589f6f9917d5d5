"""spm.territory: seeded instances, the Gabriel graph, balancing (status, violations, metrics
that agree with evaluate, locks), DataFrame / Arrow / dict inputs with ids, and bad input."""
import itertools
import pickle

import numpy as np
import pytest

import spm
import spm.territory as st


@pytest.fixture(scope="module")
def small():
    return st.generate_instance(units=200, territories=10, seed=3)


@pytest.fixture(scope="module")
def small_result(small):
    return st.balance(small, 10, seed=1)


def units_frame(inst):
    return inst.units_table().to_pandas()


def edges_frame(inst):
    return inst.edges_table().to_pandas()


# --------------------------------------------------------------------------------------------
# Instances and the Gabriel graph


def test_generated_instance_is_deterministic_and_well_formed():
    a = st.generate_instance(units=300, seed=7)
    b = st.generate_instance(units=300, seed=7)
    c = st.generate_instance(units=300, seed=8)
    for name in ("x", "y", "activity", "edges"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert list(a.id) == list(b.id)
    assert not np.array_equal(a.x, c.x)
    assert a.x.dtype == np.float64 and a.activity.dtype == np.float64
    assert a.activity.shape == (300, 3) and a.measures == ("customers", "demand", "workload")
    assert a.edges.dtype == np.uint32 and a.edges.shape[1] == 2
    assert a.territories == 20 and a.tolerance == (0.05, 0.05, 0.05)  # p = (300 + 7) // 15
    assert list(a.id[:2]) == ["U000001", "U000002"]
    # Rios-Mercado and Fernandez: points in [0, 500]^2, customers in [4, 20], demand in
    # [15, 400], workload in [15, 100].
    assert a.x.min() >= 0 and a.x.max() <= 500
    lo, hi = a.activity.min(axis=0), a.activity.max(axis=0)
    assert list(lo >= [4, 15, 15]) == [True] * 3 and list(hi <= [20, 400, 100]) == [True] * 3
    clustered = st.generate_instance(units=300, seed=7, kind="clustered", tolerance=0.1)
    assert clustered.tolerance == (0.1, 0.1, 0.1) and not np.array_equal(clustered.x, a.x)
    with pytest.raises(ValueError, match="kind must be one of"):
        st.generate_instance(kind="grid")


def brute_gabriel(x, y):
    n = len(x)
    out = []
    for i, j in itertools.combinations(range(n), 2):
        mx, my = (x[i] + x[j]) / 2, (y[i] + y[j]) / 2
        r2 = ((x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2) / 4
        d2 = (x - mx) ** 2 + (y - my) ** 2
        d2[[i, j]] = np.inf
        if (d2 >= r2).all():
            out.append((i, j))
    return out


def test_gabriel_graph_is_sorted_symmetric_and_matches_its_definition():
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 100, 80), rng.uniform(0, 100, 80)
    e = st.gabriel_graph(x, y)
    assert e.dtype == np.uint32 and e.ndim == 2 and e.shape[1] == 2
    pairs = [tuple(map(int, r)) for r in e]
    assert all(a < b for a, b in pairs)
    assert pairs == sorted(set(pairs))  # sorted, no repeats
    assert pairs == brute_gabriel(x, y)
    # The same graph whatever the order of the points (relabelled).
    perm = rng.permutation(80)
    e2 = st.gabriel_graph(x[perm], y[perm])
    back = sorted(tuple(sorted((int(perm[a]), int(perm[b])))) for a, b in e2)
    assert back == pairs
    inst = st.generate_instance(units=150, seed=2)
    assert np.array_equal(st.gabriel_graph(inst.x, inst.y), inst.edges)


# --------------------------------------------------------------------------------------------
# Balancing


def test_balance_covers_every_unit_and_reports_status_honestly(small, small_result):
    r = small_result
    assert r.assignment.dtype == np.int32 and r.assignment.shape == (200,)
    assert r.assignment.min() >= 0 and r.assignment.max() < 10
    assert r.status in ("feasible", "infeasible")
    m = r.metrics
    assert m.empty == 0 and len(m.centre) == 10
    assert set(m.balance) == {"customers", "demand", "workload"}
    table = r.table().to_pandas()
    assert list(table["territory"]) == list(range(10)) and table["units"].sum() == 200
    assert list(table.columns[:4]) == ["territory", "units", "centre", "components"]
    if r.status == "feasible":
        assert r.violations == [] and m.outside == 0 and m.non_contiguous == 0
        assert m.max_deviation <= 0.05 + 1e-12
    else:
        assert r.violations, "infeasible without a violation"
        for v in r.violations:
            assert set(v) == {"territory", "measure", "excess", "message"}
            assert v["excess"] > 0
            if v["measure"] == "contiguity":
                assert m.components[v["territory"]] > 1
            else:
                dev = table[v["measure"] + "_deviation"][v["territory"]]
                assert abs(dev) == pytest.approx(0.05 + v["excess"])
        assert len(r.violations) == m.outside + m.non_contiguous
    # Contiguity on: every territory in one piece unless reported.
    assert (m.components >= 1).all()


def test_metrics_agree_with_evaluate_on_the_same_assignment(small, small_result):
    r = small_result
    e = st.evaluate(small, r.assignment, 10, 0.05)
    assert e.p_median == pytest.approx(r.metrics.p_median, rel=1e-12)
    assert e.p_center == r.metrics.p_center and e.diameter == r.metrics.diameter
    assert np.array_equal(e.centre, r.metrics.centre)
    assert np.array_equal(e.components, r.metrics.components)
    assert e.balance == r.metrics.balance
    # Balance and p-median recomputed here from their definitions.
    act = small.activity
    for k, name in enumerate(small.measures):
        sums = np.bincount(r.assignment, weights=act[:, k], minlength=10)
        target = act[:, k].sum() / 10
        assert e.balance[name].target == pytest.approx(target)
        assert e.balance[name].max_deviation == pytest.approx(np.abs(sums / target - 1).max())
    pts = np.stack([small.x, small.y], axis=1)
    total = 0.0
    for t in range(10):
        members = pts[r.assignment == t]
        d = np.sqrt(((members[:, None, :] - members[None, :, :]) ** 2).sum(-1)).sum(axis=1)
        total += d.min()
        assert tuple(pts[e.centre[t]]) == tuple(members[d.argmin()])
    assert e.p_median == pytest.approx(total, rel=1e-9)


def test_balance_is_deterministic_for_a_seed(small, small_result):
    again = st.balance(small, 10, seed=1, threads=1)
    assert np.array_equal(again.assignment, small_result.assignment)


def test_locked_units_stay_put(small):
    # One unit of each territory pinned, far apart: the i-th unit of the sorted x coordinate
    # deciles, each locked to its own territory.
    order = np.argsort(small.x)
    pinned = order[np.linspace(0, 199, 10).astype(int)]
    locked = {small.id[u]: t for t, u in enumerate(pinned)}
    r = st.balance(small, 10, locked=locked)
    assert [int(r.assignment[u]) for u in pinned] == list(range(10))
    # The same lock as an array per unit and as a table.
    arr = np.full(200, -1, dtype=np.int64)
    arr[pinned] = np.arange(10)
    r2 = st.balance(small, 10, locked=arr)
    assert np.array_equal(r2.assignment, r.assignment)
    import pandas as pd

    r3 = st.balance(small, 10, locked=pd.DataFrame({"id": list(locked), "territory": list(locked.values())}))
    assert np.array_equal(r3.assignment, r.assignment)


def test_disruption_against_the_current_alignment(small, small_result):
    current = small_result.assignment.copy()
    moved = np.flatnonzero(current == 0)[:3]
    current[moved] = 1
    e = st.evaluate(small, small_result.assignment, 10, current=current)
    assert e.moved_units == 3 and e.territories_affected == 2
    assert e.moved_activity["demand"] == pytest.approx(small.activity[moved, 1].sum())
    r = st.balance(small, 10, current=small_result.assignment, max_moved=0)
    assert r.metrics.moved_units == 0


def test_excluded_pairs_homes_and_the_time_limit(small, small_result):
    import pandas as pd

    # Forbid every tenth unit its territory in the first answer: none may keep it.
    rows = list(range(0, 200, 20))
    banned = [(small.id[i], int(small_result.assignment[i])) for i in rows]
    r = st.balance(small, 10, excluded=banned)
    assert all(r.assignment[i] != t for i, (_, t) in zip(rows, banned))
    table = pd.DataFrame({"id": [u for u, _ in banned], "territory": [t for _, t in banned]})
    assert np.array_equal(st.balance(small, 10, excluded=table).assignment, r.assignment)
    # Homes by id or by index: the home unit is in its territory.
    homes = ["U000001", None, 5] + [None] * 7
    r = st.balance(small, 10, home=homes)
    assert r.assignment[0] == 0 and r.assignment[5] == 2
    # The homes are the centres, in balance's metrics and in evaluate's given the same homes.
    assert r.metrics.centre[0] == 0 and r.metrics.centre[2] == 5
    again = st.evaluate(small, r.assignment, 10, home=homes)
    assert again.p_median == pytest.approx(r.metrics.p_median)
    assert st.evaluate(small, r.assignment, 10).p_median <= r.metrics.p_median
    # A time limit far too short: the best assignment so far, status "stopped" unless it already
    # breaks nothing.
    big = st.generate_instance(units=2000, territories=40, seed=1)
    r = st.balance(big, 40, time_limit=0.01)
    assert r.status == ("stopped" if r.violations else "feasible")
    assert r.assignment.shape == (2000,) and r.assignment.min() >= 0


def test_shares_and_geographic_units(small):
    a = (np.arange(200) % 4).astype(np.int32)
    share = [0.4, 0.2, 0.2, 0.2]
    m = st.evaluate(small, a, 4, 0.05, share=share)
    assert m.share.tolist() == share
    table = m.table().to_pandas()
    total = small.activity[:, 1].sum()
    expected = [table["demand"][t] / (total * share[t]) - 1 for t in range(4)]
    assert table["demand_deviation"].tolist() == pytest.approx(expected)
    assert m.balance["demand"].max_deviation == pytest.approx(max(abs(v) for v in expected))
    # Longitude/latitude: great-circle km (one degree of latitude is 111.19 km).
    geo = {"x": np.array([0.0, 0.0]), "y": np.array([0.0, 1.0]), "a": np.ones(2)}
    g = st.evaluate(geo, np.zeros(2, dtype=np.int32), 1, geographic=True)
    assert g.p_median == pytest.approx(111.19, abs=0.01)


# --------------------------------------------------------------------------------------------
# Inputs: DataFrames, Arrow, dicts; ids


def test_pandas_input_with_id_edges_gives_the_same_answer(small, small_result):
    df, edges = units_frame(small), edges_frame(small)
    assert list(df.columns) == ["id", "x", "y", "customers", "demand", "workload"]
    r = st.balance(df, 10, edges=edges, seed=1)
    assert np.array_equal(r.assignment, small_result.assignment)
    assert list(r.ids[:2]) == ["U000001", "U000002"]
    # Edges reversed and shuffled: the same adjacency.
    shuffled = edges[["to", "from"]].sample(frac=1, random_state=0)
    assert np.array_equal(st.balance(df, 10, edges=shuffled, seed=1).assignment, r.assignment)
    # No edges: the Gabriel graph of the points (the instance's adjacency).
    assert np.array_equal(st.balance(df, 10, seed=1).assignment, r.assignment)
    a = r.assignment_table().to_pandas()
    assert list(a.columns) == ["id", "territory"] and a["territory"].tolist() == r.assignment.tolist()


def test_polars_and_arrow_and_dict_inputs():
    pl = pytest.importorskip("polars")
    inst = st.generate_instance(units=120, territories=6, seed=11)
    df = units_frame(inst)
    ref = st.balance(df, 6)
    r_pl = st.balance(pl.from_pandas(df), 6, edges=pl.from_pandas(edges_frame(inst)))
    assert np.array_equal(r_pl.assignment, ref.assignment)
    r_arrow = st.balance(inst.units_table().to_arrow(), 6, edges=inst.edges_table())
    assert np.array_equal(r_arrow.assignment, ref.assignment)
    cols = {"id": df["id"].to_numpy(), "x": df["x"].to_numpy(), "y": df["y"].to_numpy(),
            "customers": df["customers"].to_numpy(), "demand": df["demand"].to_numpy(),
            "workload": df["workload"].to_numpy()}
    assert np.array_equal(st.balance(cols, 6).assignment, ref.assignment)
    # Index pairs and id pairs as arrays.
    assert np.array_equal(st.balance(cols, 6, edges=inst.edges).assignment, ref.assignment)
    ids = np.asarray(inst.id)[inst.edges]
    assert np.array_equal(st.balance(cols, 6, edges=ids).assignment, ref.assignment)
    # evaluate with an assignment given as a table of id -> territory (polars).
    amap = pl.DataFrame({"id": list(inst.id), "territory": ref.assignment.astype(np.int64)})
    assert st.evaluate(pl.from_pandas(df), amap, 6).p_median == pytest.approx(ref.metrics.p_median)


def test_measures_subset_integer_ids_and_no_ids():
    import pandas as pd

    inst = st.generate_instance(units=90, territories=5, seed=4)
    df = units_frame(inst)
    r = st.balance(df, 5, measures=["demand"], tolerance=0.1)
    assert list(r.metrics.balance) == ["demand"]
    table = r.table().to_pandas()
    assert "demand_deviation" in table.columns and "customers" not in table.columns
    # Integer ids: edges name them; without an id column units are named by their row.
    df2 = df.assign(id=np.arange(1000, 1090))
    e = pd.DataFrame({"a": inst.edges[:, 0].astype(np.int64) + 1000, "b": inst.edges[:, 1].astype(np.int64) + 1000})
    r2 = st.balance(df2, 5, edges=e)
    r3 = st.balance(df.drop(columns="id"), 5, edges=inst.edges)
    assert np.array_equal(r2.assignment, r3.assignment)
    assert r3.ids is None and r3.table().to_pandas()["centre"].str.isdigit().all()


def test_co_located_units_are_adjacent_by_default():
    # Accounts at one address: repeated coordinates.
    inst = st.generate_instance(units=60, territories=4, seed=9)
    x = np.concatenate([inst.x, inst.x[:5]])
    y = np.concatenate([inst.y, inst.y[:5]])
    units = {"x": x, "y": y, "demand": np.concatenate([inst.activity[:, 1], inst.activity[:5, 1]])}
    r = st.balance(units, 4)
    assert r.metrics.non_contiguous == 0 and r.assignment.shape == (65,)
    # Five points, two at (1, 0): the second is joined to the first and to nothing else.
    x, y = np.array([0, 1, 1, 2, 0.5]), np.array([0, 0, 0, 1, 2.0])
    e = st.gabriel_graph(x, y).tolist()
    assert [1, 2] in e and [p for p in e if 2 in p] == [[1, 2]]
    r = st.balance({"x": x, "y": y, "a": np.ones(5)}, 1)
    assert r.status == "feasible" and r.metrics.components.tolist() == [1]


def test_results_pickle(small_result):
    back = pickle.loads(pickle.dumps(small_result))
    assert np.array_equal(back.assignment, small_result.assignment)
    assert back.status == small_result.status and back.metrics.balance == small_result.metrics.balance
    assert back.table().num_rows == 10
    inst = pickle.loads(pickle.dumps(st.generate_instance(units=50, seed=1)))
    assert inst.activity.shape == (50, 3)


# --------------------------------------------------------------------------------------------
# Bad input


def test_more_territories_than_units_is_refused(small):
    with pytest.raises(spm.InvalidInputError, match=r"p = 300 must be between 1 and the 200 units") as e:
        st.balance(small, 300)
    assert e.value.id == "territory.problem" and e.value.path == "territories"
    with pytest.raises(spm.InvalidInputError, match="300 territories for 200 units") as e:
        st.generate_instance(units=200, territories=300)
    assert e.value.id == "territory.options"


def test_negative_activity_names_the_unit(small):
    df = units_frame(small)
    df.loc[4, "demand"] = -1.0
    with pytest.raises(spm.InvalidInputError, match="activity must be a finite number >= 0") as e:
        st.balance(df, 10)
    assert e.value.id == "territory.problem" and e.value.path == "units.U000005.demand"


def test_no_measure_column_is_refused(small):
    df = units_frame(small)[["id", "x", "y"]]
    with pytest.raises(spm.InvalidInputError, match="no activity measure to balance") as e:
        st.balance(df, 10)
    assert e.value.id == "territory.problem" and e.value.path == "activity"


def test_edges_naming_unknown_units_are_refused(small):
    import pandas as pd

    df = units_frame(small)
    edges = pd.concat([edges_frame(small), pd.DataFrame({"from": ["U000001"], "to": ["ZZ9"]})])
    with pytest.raises(spm.InvalidInputError, match=r"unit 'ZZ9' \(row \d+\) is not among the units") as e:
        st.balance(df, 10, edges=edges)
    assert e.value.id == "territory.problem" and e.value.path == "edges"
    with pytest.raises(spm.InvalidInputError, match=r"edge 0 \(0, 200\) names a unit outside \[0, 200\)"):
        st.balance(df, 10, edges=np.array([[0, 200]]))
    with pytest.raises(spm.InvalidInputError, match="joins unit 'U000002' to itself"):
        st.balance(df, 10, edges=np.array([[1, 1]]))


def test_other_bad_input(small):
    df = units_frame(small)
    with pytest.raises(spm.InvalidInputError, match="unit 'U000002' appears twice") as e:
        st.balance(df.assign(id=df["id"].where(df.index != 2, "U000002")), 10)
    assert e.value.id == "territory.units"
    with pytest.raises(spm.InvalidInputError) as e:
        st.balance(df.drop(columns="y"), 10)
    assert e.value.id == "table.no_column"
    with pytest.raises(spm.InvalidInputError, match="ids must be text or integers") as e:
        st.balance(df.assign(id=df["x"]), 10)
    assert e.value.id == "territory.column"
    with pytest.raises(spm.InvalidInputError, match="has no value") as e:
        st.balance(df.assign(demand=df["demand"].where(df.index != 7)), 10)
    assert e.value.id == "territory.column" and e.value.path == "units.demand"
    with pytest.raises(spm.InvalidInputError, match="territory 12 is not in") as e:
        st.balance(df, 10, locked={"U000003": 12})
    assert e.value.path == "locked.U000003"
    with pytest.raises(spm.InvalidInputError, match="unit 'nope'") as e:
        st.balance(df, 10, current={"nope": 1})
    with pytest.raises(spm.InvalidInputError, match="territory 10 is not in") as e:
        st.evaluate(df, np.full(200, 10), 10)
    assert e.value.id == "territory.assignment" and e.value.path == "U000001"
    with pytest.raises(spm.InvalidInputError, match="must sum to 1") as e:
        st.balance(df, 10, share=[0.5] * 10)
    with pytest.raises(spm.InvalidInputError, match="share\\[1\\]: a target share must be a finite number >= 0"):
        st.balance(df, 10, share=[0.2, -0.1] + [0.1] * 8)
    with pytest.raises(spm.InvalidInputError, match="2 shares for 10 territories"):
        st.balance(df, 10, share=[0.5, 0.5])
    with pytest.raises(spm.InvalidInputError, match="separate pieces"):
        st.balance(df, 10, edges=small.edges[:5])
    with pytest.raises(spm.InvalidInputError, match="revenue: no such column; the table has: id, x, y, customers"):
        st.balance(df, 10, measures=["revenue"])
    with pytest.raises(spm.InvalidInputError, match="no such measure") as e:
        st.balance(small, 10, measures=["revenue"])
    assert e.value.id == "territory.column"


def test_evaluate_checks_units_current_and_shares_as_balance_does(small):
    # A hand-made assignment comes with the same inputs as a solve: they are checked the same way
    # (a NaN or huge coordinate once crashed the distances).
    df = units_frame(small)
    a = np.arange(200) % 10

    def units(**change):
        d = {"id": df["id"].to_numpy(dtype=str), "x": df["x"].to_numpy().copy(),
             "y": df["y"].to_numpy().copy(), "demand": df["demand"].to_numpy().copy()}
        for k, v in change.items():
            d[k][4] = v
        return d

    with pytest.raises(spm.InvalidInputError, match="has no coordinates") as e:
        st.evaluate(units(x=np.nan), a, 10)
    assert e.value.id == "territory.units"
    with pytest.raises(spm.InvalidInputError, match="beyond 1e12"):
        st.evaluate(units(y=1e300), a, 10)
    with pytest.raises(spm.InvalidInputError, match="activity must be a finite number >= 0"):
        st.evaluate(units(demand=-3.0), a, 10)
    with pytest.raises(spm.InvalidInputError, match="territory 15 is not in"):
        st.evaluate(df, a, 10, current=np.full(200, 15))
    with pytest.raises(spm.InvalidInputError, match="a target share must be a finite number"):
        st.evaluate(df, a, 10, share=[float("nan")] + [0.1] * 9)


def test_empty_edges_and_text_territories_are_refused(small):
    df = units_frame(small)
    with pytest.raises(ValueError, match="no edges given; pass edges=None"):
        st.balance(df, 10, edges=np.zeros((0, 2), dtype=np.int64))
    cur = df[["id"]].assign(territory=["T" + str(i % 10) for i in range(200)])
    with pytest.raises(TypeError, match="current.territory: territories must be integers"):
        st.balance(df, 10, current=cur)


# --------------------------------------------------------------------------------------------
# Inputs as a user's frames come: text columns, other id names, longitude/latitude, loose tau


def test_text_measures_are_parsed_as_the_cli_reads_them(small, small_result):
    # pd.read_csv(dtype=str) gives text columns; the CLI reads every field as text and takes as a
    # measure every column whose fields are mostly numbers. A text measure used to be skipped.
    df = units_frame(small)
    r = st.balance(df.astype({"demand": str}), 10, seed=1)
    assert list(r.metrics.balance) == ["customers", "demand", "workload"]
    assert r.measures == ("customers", "demand", "workload") == r.metrics.measures
    assert np.array_equal(r.assignment, small_result.assignment)
    assert np.array_equal(st.balance(df.astype(str), 10, seed=1).assignment, small_result.assignment)
    cols = {k: df[k].to_numpy() for k in df.columns} | {"demand": df["demand"].to_numpy().astype(str)}
    assert st.evaluate(cols, small_result.assignment, 10).measures == r.measures
    # A field that is not a number names its unit and row (no column dropped for a few bad values).
    bad = df.astype({"demand": str})
    bad.loc[[4, 9], "demand"] = "n/a"
    with pytest.raises(spm.InvalidInputError, match=r"unit 'U000005' \(row 5\) holds 'n/a': not a number; "
                       r"use digits.*; 1 more rows like it \(10\); fix or drop the rows, or name the measures") as e:
        st.balance(bad, 10)
    assert e.value.id == "territory.column" and e.value.path == "units.demand"
    # Labels are not measures; a numeric code is (as in the CLI), and the result says so.
    m = st.evaluate(df.assign(region="north", zip=np.arange(200) + 10000), small_result.assignment, 10)
    assert m.measures == ("customers", "demand", "workload", "zip")


def test_default_measures_are_noted_with_the_columns_left_out(small, small_result):
    # A revenue column with thousands separators is text: it used to be silently left unbalanced.
    # An integer zip code is taken as a measure: the notes say so too.
    df = units_frame(small).assign(revenue=["27,167.98"] * 200, zip=np.arange(200) + 10000)
    r = st.balance(df, 10, seed=1)
    assert r.measures == ("customers", "demand", "workload", "zip")
    assert r.notes[0] == ("measures chosen by default (every column of numbers besides the id and coordinates): "
                          "customers, demand, workload, zip; name them with measures= to choose")
    assert r.notes[1] == ("revenue is not balanced: not numeric: 200 of its 200 values are not numbers (row 1 "
                          "holds '27,167.98'), with thousands separators: write 27167.98; name it in measures= to balance it "
                          "and see which rows are not numbers")
    assert r.metrics.notes == r.notes
    assert st.evaluate(df, r.assignment, 10).notes == r.notes
    # Named measures: nothing chosen, nothing to note.
    assert st.balance(df, 10, measures=["demand"]).notes == ()
    # A dict of arrays: a column of booleans is left out with why.
    cols = {"x": small.x, "y": small.y, "demand": small.activity[:, 1], "key": np.ones(200, dtype=bool)}
    notes = st.evaluate(cols, small_result.assignment, 10).notes
    assert notes[1] == ("key is not balanced: holds bool values, not numbers; name it in measures= to balance it "
                        "and see which rows are not numbers")


def test_a_current_alignment_with_fewer_territories_than_p(small, small_result):
    # Adding a rep: the current alignment uses 10 territories, 11 are wanted (this crashed).
    r = st.balance(small, 11, current=small_result.assignment, seed=1)
    assert r.metrics.empty == 0 and r.metrics.non_contiguous == 0
    assert set(r.assignment.tolist()) == set(range(11))
    line = {"id": np.array(["A", "B", "C", "D"]), "x": np.arange(4.0), "y": np.zeros(4), "accounts": np.ones(4)}
    r = st.balance(line, 3, current={"A": 0, "B": 0, "C": 1, "D": 1})
    assert sorted(set(r.assignment.tolist())) == [0, 1, 2] and r.metrics.moved_units == 1
    # More territories than p: refused, with the p it needs.
    with pytest.raises(spm.InvalidInputError, match=r"current uses territories up to 9: give p = 10 or more") as e:
        st.balance(small, 9, current=small_result.assignment)
    assert e.value.id == "territory.problem"


def test_an_id_column_under_another_name_must_be_named(small, small_result):
    df = units_frame(small).rename(columns={"id": "account_id"})
    with pytest.raises(spm.InvalidInputError, match="no id column, but account_id looks like the unit ids: "
                       "pass id='account_id'") as e:
        st.balance(df, 10)
    assert e.value.id == "territory.column" and e.value.path == "units.id"
    r = st.balance(df, 10, id="account_id", seed=1)
    assert np.array_equal(r.assignment, small_result.assignment) and list(r.ids[:1]) == ["U000001"]
    assert r.table().to_pandas()["centre"].str.startswith("U").all()
    # id=None: units named by their row, the text ids neither used nor a measure.
    m = st.evaluate(df, small_result.assignment, 10, id=None)
    assert m.measures == ("customers", "demand", "workload")
    numbered = units_frame(small).assign(id=np.arange(200))
    assert st.evaluate(numbered, small_result.assignment, 10, id=None).measures == m.measures
    with pytest.raises(spm.InvalidInputError, match="unit_id: no such column") as e:
        st.evaluate(df, small_result.assignment, 10, id="unit_id")
    with pytest.raises(spm.InvalidInputError, match="no id column, but unitId looks like"):
        st.evaluate({"unitId": np.arange(200), "x": small.x, "y": small.y, "a": np.ones(200)},
                    small_result.assignment, 10)


def test_tolerance_as_text_decimal_or_per_measure(small, small_result):
    from decimal import Decimal

    assert np.array_equal(st.balance(small, 10, "0.05", seed=1).assignment, small_result.assignment)
    assert np.array_equal(st.balance(small, 10, Decimal("0.05"), seed=1).assignment, small_result.assignment)
    a = small_result.assignment
    ref = st.evaluate(small, a, 10, 0.05).balance
    assert st.evaluate(small, a, 10, ["0.05", Decimal("0.05"), 0.05]).balance == ref
    assert st.evaluate(small, a, 10, {"customers": "0.05", "demand": Decimal("0.05"), "workload": 0.05}).balance == ref
    with pytest.raises(ValueError, match=r"tolerance: '5%' is not a number; give a fraction such as 0.05"):
        st.balance(small, 10, "5%")
    with pytest.raises(ValueError, match=r"tolerance\['demand'\]: 'x' is not a number"):
        st.evaluate(small, a, 10, {"customers": 0.05, "demand": "x", "workload": 0.05})
    with pytest.raises(TypeError, match="tolerance: expected a number such as 0.05, got NoneType"):
        st.balance(small, 10, None)


def test_geographic_units_find_longitude_and_latitude():
    import pandas as pd

    # One degree of latitude is 111.19 km; the CLI finds lon/lat or longitude/latitude itself.
    accounts = pd.DataFrame({"id": ["A", "B"], "longitude": [0.0, 0.0], "latitude": [0.0, 1.0], "n": [1, 1]})
    r = st.balance(accounts, 1, geographic=True)
    assert r.measures == ("n",) and r.metrics.p_median == pytest.approx(111.19, abs=0.01)
    short = accounts.rename(columns={"longitude": "lon", "latitude": "lat"})
    assert st.evaluate(short, [0, 0], 1, geographic=True).p_median == pytest.approx(111.19, abs=0.01)
    with pytest.raises(spm.InvalidInputError, match="with geographic=True give columns lon and lat, longitude and "
                       "latitude, or x and y \\(the table has: id, long, lat, n\\)") as e:
        st.balance(short.rename(columns={"lon": "long"}), 1, geographic=True)
    assert e.value.id == "territory.column"


def test_a_violation_shows_its_deviation_outside_the_band():
    import pandas as pd

    u = pd.DataFrame({"id": ["a", "b"], "x": [0.0, 1.0], "y": [0.0, 0.0], "w": [102.52, 97.48]})
    r = spm.territory.balance(u, 2, 0.025)
    assert [v["message"] for v in r.violations] == [
        "territory 0: w is +2.52% from its target (band +-2.5%)",   # not "+2.5%"
        "territory 1: w is -2.52% from its target (band +-2.5%)"]


# --------------------------------------------------------------------------------------------
# Found by a user test: what the CLI refuses or says, Python said otherwise or took silently


def line_units(n=4):
    return {"id": np.array([f"U{i}" for i in range(n)]), "x": np.arange(float(n)), "y": np.zeros(n),
            "accounts": np.ones(n)}


def test_geographic_coordinates_out_of_range_are_refused():
    import pandas as pd

    # Latitude 95 and longitude 540 gave wrapped-around distances and no error (the CLI rejects
    # such rows). The library checks them, for balance and evaluate alike.
    g = pd.DataFrame({"id": ["A", "B", "C"], "lon": [2.35, 2.36, 2.37], "lat": [48.85, 48.86, 48.87], "n": [1, 1, 1]})
    assert st.evaluate(g, [0, 0, 0], 1, geographic=True).p_median > 0
    bad = g.assign(lat=[95.0, 48.86, 48.87])
    with pytest.raises(spm.InvalidInputError, match=r"latitude 95 is not within \[-90, 90\]") as e:
        st.balance(bad, 1, geographic=True)
    assert e.value.id == "territory.problem" and e.value.path == "units.A.y"
    with pytest.raises(spm.InvalidInputError, match=r"longitude 540 is not within \[-180, 180\]") as e:
        st.evaluate(g.assign(lon=[2.35, 540.0, 2.37]), [0, 0, 0], 1, geographic=True)
    assert e.value.id == "territory.units" and e.value.path == "units.B.x"
    with pytest.raises(spm.InvalidInputError, match=r"longitude 1000000 is not within"):
        st.balance(g.assign(lon=[2.35, 2.36, 1e6]), 1, geographic=True)
    # Planar coordinates have no such range.
    assert st.evaluate(g.assign(lon=[0.0, 540.0, 1e6]), [0, 0, 0], 1, x="lon", y="lat").p_median > 0


def test_a_unit_given_twice_in_an_alignment_is_refused():
    import pandas as pd

    u = line_units()
    # The last row used to win silently; a unit locked to two territories must not be taken.
    with pytest.raises(spm.InvalidInputError, match=r"the unit is given twice \(row 1 and row 2, territories 1 and "
                       r"3\); give one territory per unit") as e:
        st.balance(u, 4, locked=pd.DataFrame({"id": ["U1", "U1"], "territory": [1, 3]}))
    assert e.value.id == "territory.problem" and e.value.path == "locked.U1"
    with pytest.raises(spm.InvalidInputError, match=r"given twice \(row 2 and row 5, territories 1 and 0\)") as e:
        st.evaluate(u, pd.DataFrame({"id": ["U0", "U1", "U2", "U3", "U1"], "territory": [0, 1, 1, 0, 0]}), 2)
    assert e.value.id == "territory.assignment" and e.value.path == "assignment.U1"
    with pytest.raises(spm.InvalidInputError, match=r"given twice \(row 1 and row 2, territories 0 and 0\)") as e:
        st.balance(u, 2, current=pd.DataFrame({"id": ["U3", "U3"], "territory": [0, 0]}))
    assert e.value.path == "current.U3"
    # Integer ids: 1 and "1" in one dict are the same unit.
    ints = {"id": np.arange(4), "x": np.arange(4.0), "y": np.zeros(4), "a": np.ones(4)}
    with pytest.raises(spm.InvalidInputError, match=r"given twice \(key 1 and key '1', territories 0 and 1\)"):
        st.balance(ints, 2, locked={1: 0, "1": 1})


def test_a_unit_missing_from_an_assignment_is_named_as_missing():
    import pandas as pd

    u = line_units()
    with pytest.raises(spm.InvalidInputError, match=r"^\[territory.assignment\] U2: the unit is not in the "
                       r"assignment; give every unit a territory in \[0, 2\)$") as e:
        st.evaluate(u, {"U0": 0, "U1": 0, "U3": 1}, 2)
    assert e.value.id == "territory.assignment" and e.value.path == "U2"
    with pytest.raises(spm.InvalidInputError, match=r"U0: the unit is not in the assignment \(1 more units like it\)"):
        st.evaluate(u, pd.DataFrame({"id": ["U1", "U2"], "territory": [0, 1]}), 2)
    # NaN in an array, NaN in a table read by pandas (a float column), None in a dict.
    with pytest.raises(spm.InvalidInputError, match=r"U1: the unit has no territory in the assignment \(missing: "
                       r"NaN, None or null\)"):
        st.evaluate(u, np.array([0, np.nan, 1, 1]), 2)
    with pytest.raises(spm.InvalidInputError, match=r"U3: the unit has no territory in the assignment"):
        st.evaluate(u, pd.DataFrame({"id": ["U0", "U1", "U2", "U3"], "territory": [0, 0, 1, np.nan]}), 2)
    with pytest.raises(spm.InvalidInputError, match=r"U0: the unit has no territory in the assignment"):
        st.evaluate(u, {"U0": None, "U1": 0, "U2": 1, "U3": 1}, 2)
    # -1 in an integer array: the library's words.
    with pytest.raises(spm.InvalidInputError, match=r"U1: the unit has no territory \(-1\); every unit needs one"):
        st.evaluate(u, np.array([0, -1, 1, 1]), 2)
    # A float table with whole numbers is read as territories; None in a current dict is no territory.
    m = st.evaluate(u, pd.DataFrame({"id": ["U0", "U1", "U2", "U3"], "territory": [0.0, 0.0, 1.0, 1.0]}), 2,
                    current={"U0": 0, "U1": None, "U2": 0})
    assert m.moved_units == 1


def test_two_territories_with_one_home_or_a_home_excluded_are_refused():
    u = line_units(6)
    with pytest.raises(spm.InvalidInputError, match=r"home\[1\]: unit U0 is already the home of territory 0; it "
                       r"cannot also be the home of territory 1") as e:
        st.balance(u, 3, home=["U0", "U0", None])
    assert e.value.id == "territory.problem"
    with pytest.raises(spm.InvalidInputError, match=r"excluded.U0: the unit is the home of territory 0, which it is "
                       r"excluded from"):
        st.balance(u, 3, home=["U0", None, None], excluded=[("U0", 0)])


def test_disruption_weight_zero_moves_units_freely_and_none_keeps_them():
    # A balanced but stretched alignment (vertical strips): by default nothing needs to move; with
    # moves costing nothing (0) compaction redraws the strips, as with any small weight.
    inst = st.generate_instance(units=200, territories=4, seed=12)
    strips = (np.argsort(np.argsort(inst.x)) * 4 // 200).astype(np.int32)
    kept = st.balance(inst, 4, 0.15, current=strips, restarts=1)
    free = st.balance(inst, 4, 0.15, current=strips, restarts=1, disruption_weight=0)
    assert free.metrics.moved_units > kept.metrics.moved_units + 20
    assert free.metrics.p_median < 0.9 * kept.metrics.p_median
    with pytest.raises(TypeError, match="disruption_weight: expected a number >= 0 or None, got str"):
        st.balance(inst, 4, current=strips, disruption_weight="0")


def test_loose_arguments_get_clear_errors():
    import pandas as pd

    u = line_units(6)
    # Thirds to six decimals are accepted (scaled); 0.9 is refused with its sum in full.
    r = st.balance(u, 3, 0.05, share=[0.333333] * 3)
    assert r.metrics.share.sum() == pytest.approx(1, abs=1e-15)
    with pytest.raises(spm.InvalidInputError, match=r"they sum to 0.999; within 1e-6 of 1"):
        st.balance(u, 3, share=[0.333] * 3)
    with pytest.raises(ValueError, match=r"restarts: expected an integer in \[0, 100000\], got -1"):
        st.balance(u, 2, restarts=-1)
    with pytest.raises(ValueError, match=r"restarts: expected an integer in \[0, 100000\], got 1000000000000"):
        st.balance(u, 2, restarts=10**12)
    with pytest.raises(TypeError, match=r"locked.U1: territory 'North' is not a territory number; territories are "
                       r"numbered 0 .. p-1"):
        st.balance(u, 2, locked={"U1": "North"})
    with pytest.raises(TypeError, match=r"current.U2: territory 1.5 is not a whole number"):
        st.balance(u, 2, current=[0, 0, 1.5, 1, 1, 1])
    with pytest.raises(ValueError, match=r"locked.U0: territory 4294967296 is not a territory number"):
        st.balance(u, 2, locked=np.array([2**32, -1, -1, -1, -1, -1]))  # once wrapped round to 0
    with pytest.raises(ValueError, match=r"tolerance: no measure named 'acounts'; the measures are accounts"):
        st.balance(u, 2, {"acounts": 0.05})
    # An empty id (the CLI rejects the row) could not be named or matched.
    with pytest.raises(spm.InvalidInputError, match=r"row 3 has an empty id; give every unit an id") as e:
        st.balance(pd.DataFrame({"id": ["a", "b", "", "d"], "x": [0.0, 1, 2, 3], "y": [0.0] * 4, "n": [1] * 4}), 2)
    assert e.value.id == "territory.units"
    with pytest.raises(spm.InvalidInputError, match=r"row 1 has an empty id"):
        st.evaluate(dict(line_units(), id=np.array(["", "b", "c", "d"])), [0, 0, 1, 1], 2)
