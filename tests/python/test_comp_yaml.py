"""spm.comp.Plan from YAML: the same plan as its JSON, decimals exact, problems with paths."""
import datetime
import decimal
import json
import pathlib
import pickle

import pytest

import spm
import spm.comp as comp

D = decimal.Decimal
day = datetime.date
DEMO_YAML = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "examples"
             / "demo-plan.yaml").read_text()


def yaml_supported():
    try:
        comp.Plan.from_yaml("")
    except spm.InvalidInputError as e:
        return e.id != "plan.no_yaml"
    return True


requires_yaml = pytest.mark.skipif(not yaml_supported(), reason="libspm built without yaml-cpp")


@requires_yaml
def test_demo_plan_runs_as_its_json_does():
    import pandas as pd

    y = comp.Plan.from_yaml(DEMO_YAML)
    j = comp.Plan.from_json(comp.DEMO_PLAN)
    assert (y.id, y.measures, y.components, y.effective) == (j.id, j.measures, j.components,
                                                             j.effective)
    tx = pd.DataFrame({
        "transaction_id": ["T1", "T2", "T3"],
        "payee_id": ["R1", "R1", "R1"],
        "date": [day(2025, 1, 10), day(2025, 2, 10), day(2025, 3, 10)],
        "amount": [D("60000"), D("70000"), D("5000")],
        "type": ["booking", "booking", "renewal"],
        "product_id": ["P-STD", "P-ENTS", "P-ENTS"],
    })
    quotas = pd.DataFrame({"payee_id": ["R1"], "period_start": [day(2025, 1, 1)],
                           "quota": [D("100000")]})
    ry = comp.run(y, tx, quotas, "2025-Q1")
    rj = comp.run(j, tx, quotas, "2025-Q1")
    assert ry.statements.to_arrow().equals(rj.statements.to_arrow())
    assert ry.lines.to_arrow().equals(rj.lines.to_arrow())


@requires_yaml
def test_scalars_keep_decimals_exact():
    p = comp.Plan.from_yaml("""
id: t
version: 2
effective: {from: 2026-01-01, to: 2027-01-01}
measures: [{id: bookings}]
components:
  - {id: c, measure: bookings, tiers: [{from: 0, to: 100, rate: 0.07}, {from: 100, rate: "9"}]}
""")
    assert p.version == 2
    tiers = json.loads(p.json)["components"][0]["tiers"]
    assert tiers == [{"from": 0, "to": 100, "rate": "0.07"}, {"from": 100, "rate": "9"}]


@requires_yaml
def test_problems_have_paths_and_positions():
    with pytest.raises(spm.InvalidInputError) as e:
        comp.Plan.from_yaml("id: t\nmeasures: [{id: b, id: c}]\ncolour: red\n")
    assert e.value.id == "plan.invalid"
    assert "measures[0].id: appears twice in the same object; keep one" in str(e.value)
    assert "colour: unknown field" in str(e.value)
    with pytest.raises(spm.InvalidInputError) as e:
        comp.Plan.from_yaml("id: t\n  version: 2\n")
    assert e.value.id == "plan.yaml"
    assert "line 2, column 10" in str(e.value)


@requires_yaml
@pytest.mark.parametrize("name", ["plan.yaml", "plan.yml", "PLAN.YML"])
def test_from_file_reads_yaml_by_extension_and_pickles(tmp_path, name):
    path = tmp_path / name
    path.write_text(DEMO_YAML)
    p = comp.Plan.from_file(path)
    assert p.id == "demo-ae"
    back = pickle.loads(pickle.dumps(p))
    assert (back.id, back.json) == (p.id, p.json)


@pytest.mark.skipif(yaml_supported(), reason="libspm built with yaml-cpp")
def test_without_yaml_support_the_error_says_so():
    with pytest.raises(spm.InvalidInputError, match="built without YAML support") as e:
        comp.Plan.from_yaml(DEMO_YAML)
    assert e.value.id == "plan.no_yaml"
