"""spm.allocate and spm.allocate_percent: parts always sum exactly to the whole."""

import random
from decimal import Decimal

import pytest

import spm
from spm import Money


def D(text):
    return Decimal(text)


def test_three_ways():
    parts = spm.allocate(D("100"), [1, 1, 1], 2)
    assert parts == [D("33.34"), D("33.33"), D("33.33")]
    assert [str(p) for p in parts] == ["33.34", "33.33", "33.33"]
    assert sum(parts) == 100


def test_weights_may_be_decimals_tuples_or_numpy_integers():
    assert spm.allocate(D("10"), (D("0.5"), D("0.25"), D("0.25")), 2) == [D(5), D("2.5"), D("2.5")]
    np = pytest.importorskip("numpy")
    assert spm.allocate(D("10"), np.array([2, 1, 1], dtype=np.int64), 0) == [D(5), D(3), D(2)]


def test_float_weights_are_rejected_naming_the_element():
    with pytest.raises(TypeError, match=r"element \[1\]: float 0.5 is not accepted"):
        spm.allocate(D("10"), [1, 0.5], 2)
    np = pytest.importorskip("numpy")
    with pytest.raises(TypeError, match="float"):
        spm.allocate(D("10"), np.array([0.5, 0.5]), 2)


def test_inexact_weight_is_an_invalid_input_with_its_position():
    with pytest.raises(spm.InvalidInputError) as e:
        spm.allocate(D("10"), [1, D("0.1234567890123")], 2)
    assert e.value.id == "decimal.parse"
    assert e.value.path == "[1]"


def test_tie_keys():
    # One unit, three equal remainders: by default the first part gets it.
    assert spm.allocate(D(1), [1, 1, 1], 0) == [1, 0, 0]
    # Smaller tie key first.
    assert spm.allocate(D(1), [1, 1, 1], 0, tie_keys=[2, 1, 0]) == [0, 0, 1]
    assert spm.allocate(D(2), [1, 1, 1], 0, [5, 3, 9]) == [1, 1, 0]


def test_negative_total_is_the_mirror_image():
    assert spm.allocate(D("-100"), [1, 1, 1], 2) == [-p for p in spm.allocate(D("100"), [1, 1, 1], 2)]


def test_money_allocation_uses_minor_units():
    parts = spm.allocate(Money(D("100"), "USD"), [1, 1, 1])
    assert parts == [Money(D("33.34"), "USD"), Money(D("33.33"), "USD"), Money(D("33.33"), "USD")]
    yen = spm.allocate(Money(100, "JPY"), [1, 2])
    assert yen == [Money(33, "JPY"), Money(67, "JPY")]
    assert sum((p.amount for p in yen), Decimal(0)) == 100


@pytest.mark.parametrize(
    "call, error_id, path",
    [
        (lambda: spm.allocate(D(10), [1, -1], 2), "allocate.negative_weight", "weights[1]"),
        (lambda: spm.allocate(D(10), [0, 0], 2), "allocate.zero_weights", "weights"),
        (lambda: spm.allocate(D("10.001"), [1, 1], 2), "allocate.places", "total"),
        (lambda: spm.allocate(D(10), [1, 1], 13), "allocate.places", "places"),
        (lambda: spm.allocate(D(10), [1, 1], 2, [0]), "allocate.tie_keys", "tie_keys"),
        (lambda: spm.allocate_percent(D(10), [50, 40], 2), "allocate.percent_sum", "percents"),
    ],
)
def test_errors(call, error_id, path):
    with pytest.raises(spm.InvalidInputError) as e:
        call()
    assert e.value.id == error_id
    assert e.value.path == path
    assert str(e.value).startswith(f"[{error_id}]")


def test_allocate_percent():
    # 100001 cents x (33.3%, 33.3%, 33.4%) = 33300.333, 33300.333, 33400.334 cents: the floors
    # leave one cent, which goes to the largest remainder (.334).
    parts = spm.allocate_percent(D("1000.01"), [D("33.3"), D("33.3"), D("33.4")], 2)
    assert parts == [D("333.00"), D("333.00"), D("334.01")]
    assert [str(p) for p in parts] == ["333.00", "333.00", "334.01"]


def random_weights(rng, n):
    kind = rng.choice(["int", "decimal", "sparse"])
    if kind == "int":
        w = [rng.randint(0, 1000) for _ in range(n)]
    elif kind == "decimal":
        w = [Decimal(rng.randint(0, 10**9)).scaleb(-rng.randint(0, 9)) for _ in range(n)]
    else:
        w = [rng.choice([0, 0, 0, 1, 7]) for _ in range(n)]
    if not any(w):
        w[rng.randrange(n)] = 1
    return w


def test_conservation_on_random_inputs():
    rng = random.Random(4217)
    failures = []
    trials = 3000
    for _ in range(trials):
        places = rng.randint(0, 6)
        total = Decimal(rng.randint(-(10**15), 10**15)).scaleb(-places)
        weights = random_weights(rng, rng.randint(1, 40))
        parts = spm.allocate(total, weights, places)
        unit = Decimal(1).scaleb(-places)
        wsum = sum(Decimal(w) for w in weights)
        problems = []
        if sum(parts) != total:
            problems.append(f"sum {sum(parts)}")
        if len(parts) != len(weights):
            problems.append("length")
        for p, w in zip(parts, weights):
            if p.as_tuple().exponent < -places:
                problems.append(f"part {p} has more than {places} places")
            share = total * Decimal(w) / wsum  # close enough at 28 digits for this bound
            if abs(p - share) >= unit:
                problems.append(f"part {p} is not within one unit of its share {share}")
            if w == 0 and p != 0:
                problems.append("zero weight got a part")
        if problems:
            failures.append(f"allocate({total}, {weights}, {places}) -> {parts}: {problems[:3]}")
    assert not failures, "\n".join([f"{len(failures)} of {trials} failed"] + failures[:10])


def test_permuting_weights_permutes_parts_with_tie_keys():
    rng = random.Random(99)
    for _ in range(200):
        n = rng.randint(1, 12)
        weights = random_weights(rng, n)
        keys = list(range(n))
        total = Decimal(rng.randint(0, 10**6)).scaleb(-2)
        base = spm.allocate(total, weights, 2, keys)
        order = list(range(n))
        rng.shuffle(order)
        shuffled = spm.allocate(total, [weights[i] for i in order], 2, [keys[i] for i in order])
        assert shuffled == [base[i] for i in order]
