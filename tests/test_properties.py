"""Hypothesis property tests of the frame functions (and of the scalar ones on any input).

Frames must agree with the scalar functions row by row, bad rows included (null results and the
scalar error's message), keep their input columns, and give intervals that contain their
estimates and widen with confidence.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Optional

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

import crimeperf as cp

counts = st.one_of(
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=0, max_value=100_000),
    st.integers(min_value=-5, max_value=-1),
    st.none(),
)
good_counts = st.integers(min_value=0, max_value=100_000)
populations = st.one_of(
    st.floats(min_value=1.0, max_value=1e7, allow_nan=False),
    st.sampled_from([0.0, -1.0, float("nan"), float("inf")]),
    st.none(),
)
confidences = st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998])


def scalar_or_error(call: Callable[[], Any]) -> tuple[Optional[Any], Optional[str]]:
    """The scalar result, or the message of the error it raises."""
    try:
        return call(), None
    except cp.CrimeperfError as err:
        return None, str(err)


def same(a: Optional[float], b: Optional[float]) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b or (math.isinf(a) and math.isinf(b))


@given(
    rows=st.lists(st.tuples(counts, populations), max_size=40),
    confidence=confidences,
    method=st.sampled_from(["auto", "exact", "byar"]),
)
def test_rates_frame_equals_scalar_rows(
    rows: list[tuple[Optional[int], Optional[float]]], confidence: float, method: str
) -> None:
    df = pl.DataFrame(
        {"id": list(range(len(rows))), "c": [r[0] for r in rows], "p": [r[1] for r in rows]},
        schema={"id": pl.Int64, "c": pl.Int64, "p": pl.Float64},
    )
    out = cp.rates(df, count="c", population="p", confidence=confidence, method=method,
                   errors="null")
    assert out.height == df.height
    assert out.select(df.columns).equals(df)
    for (count, population), row in zip(rows, out.iter_rows(named=True)):
        if count is None or population is None:
            assert row["rate"] is None and "missing (null)" in row["error"]
            continue
        rate, error = scalar_or_error(
            lambda: cp.rate(count, population, confidence=confidence, method=method)
        )
        if rate is None:
            assert row["rate"] is None and row["rate_method"] is None
            assert row["error"] == error
        else:
            assert row["error"] is None
            assert (row["rate"], row["rate_lower"], row["rate_upper"]) == (
                rate.value, rate.lower, rate.upper,
            )
            assert row["rate_method"] == rate.method
            assert row["rate_lower"] <= row["rate"] <= row["rate_upper"]


@given(
    rows=st.lists(st.tuples(counts, counts), max_size=40),
    confidence=confidences,
    min_base=st.integers(min_value=0, max_value=200),
)
def test_changes_frame_equals_scalar_rows(
    rows: list[tuple[Optional[int], Optional[int]]], confidence: float, min_base: int
) -> None:
    df = pl.DataFrame(
        {"c": [r[0] for r in rows], "p": [r[1] for r in rows]},
        schema={"c": pl.Int64, "p": pl.Int64},
    )
    out = cp.changes(df, current="c", previous="p", confidence=confidence, min_base=min_base,
                     errors="null")
    assert out.height == df.height
    for (current, previous), row in zip(rows, out.iter_rows(named=True)):
        if current is None or previous is None:
            assert row["p_value"] is None and "missing (null)" in row["error"]
            continue
        change, error = scalar_or_error(
            lambda: cp.change(current, previous, confidence=confidence, min_base=min_base)
        )
        if change is None:
            assert row["p_value"] is None and row["description"] is None
            assert row["error"] == error
            continue
        assert row["error"] is None
        assert row["absolute"] == change.absolute
        assert same(row["percent"], change.percent) and same(row["ratio"], change.ratio)
        assert same(row["ratio_lower"], change.lower)
        assert same(row["ratio_upper"], change.upper)
        assert row["p_value"] == change.p_value
        assert row["significance"] == change.significance
        assert row["small_base"] == change.small_base
        assert row["description"] == change.describe()
        assert 0.0 <= row["p_value"] <= 1.0
        if row["ratio"] is not None:
            assert row["ratio_lower"] <= row["ratio"] <= row["ratio_upper"]


@given(rows=st.lists(st.tuples(good_counts, good_counts), min_size=1, max_size=30))
def test_changes_are_antisymmetric(rows: list[tuple[int, int]]) -> None:
    df = pl.DataFrame({"a": [r[0] for r in rows], "b": [r[1] for r in rows]})
    forward = cp.changes(df, current="a", previous="b")
    backward = cp.changes(df, current="b", previous="a")
    assert forward["absolute"].to_list() == [-x for x in backward["absolute"].to_list()]
    for f, b in zip(forward.iter_rows(named=True), backward.iter_rows(named=True)):
        assert math.isclose(f["p_value"], b["p_value"], rel_tol=1e-9, abs_tol=1e-300)
        if f["ratio"] is not None and b["ratio"] is not None and f["ratio"] > 0:
            assert math.isclose(f["ratio"], 1 / b["ratio"], rel_tol=1e-12)
        flipped = {"increase": "reduction", "reduction": "increase"}
        assert flipped.get(f["significance"], f["significance"]) == b["significance"]


@given(
    rows=st.lists(st.tuples(counts, counts, counts, counts), max_size=30),
    confidence=confidences,
)
def test_proportions_frame_equals_scalar_rows(
    rows: list[tuple[Optional[int], ...]], confidence: float
) -> None:
    names = ["x", "n", "px", "pn"]
    df = pl.DataFrame(
        {name: [r[i] for r in rows] for i, name in enumerate(names)},
        schema={name: pl.Int64 for name in names},
    )
    single = cp.proportions(df, numerator="x", denominator="n", confidence=confidence,
                            errors="null")
    both = cp.proportions(df, numerator="x", denominator="n", previous_numerator="px",
                          previous_denominator="pn", confidence=confidence, errors="null")
    for values, s, b in zip(rows, single.iter_rows(named=True), both.iter_rows(named=True)):
        x, n, px, pn = values
        if x is not None and n is not None:
            p, error = scalar_or_error(lambda: cp.proportion(x, n, confidence=confidence))
            if p is None:
                assert s["proportion"] is None and s["error"] == error
            else:
                assert (s["proportion"], s["proportion_lower"], s["proportion_upper"]) == (
                    p.value, p.lower, p.upper,
                )
                # The Wilson limits are clamped to [0, 1]; at x = n the upper limit can come out
                # one ulp below 1 (reported to the core), hence the tolerance.
                assert 0.0 <= s["proportion_lower"] <= s["proportion"] + 1e-12
                assert s["proportion"] <= s["proportion_upper"] + 1e-12
                assert s["proportion_upper"] <= 1.0
        if None in values:
            assert b["proportion_change"] is None and "missing (null)" in b["error"]
            continue
        c, error = scalar_or_error(
            lambda: cp.proportion_change(x, n, px, pn, confidence=confidence)  # type: ignore[arg-type]
        )
        if c is None:
            assert b["proportion_change"] is None and b["error"] == error
        else:
            assert (b["proportion_change"], b["proportion_change_lower"]) == (c.value, c.lower)
            assert b["proportion_change_upper"] == c.upper
            assert b["proportion_change_significance"] == c.significance
            assert b["proportion_change_lower"] <= b["proportion_change"] + 1e-9
            assert b["proportion_change"] <= b["proportion_change_upper"] + 1e-9


@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.floats(min_value=-10, max_value=1e6), st.just(float("nan")), st.none()),
            st.floats(min_value=-120, max_value=100, allow_nan=False),
            st.one_of(st.integers(min_value=0, max_value=10_000).map(float), st.none()),
        ),
        max_size=30,
    ),
    rounding=st.sampled_from(["half_up", "floor", "ceil", "none"]),
    polarity=st.sampled_from(["lower_is_better", "higher_is_better"]),
    require_significance=st.booleans(),
)
def test_targets_frame_equals_scalar_rows(
    rows: list[tuple[Optional[float], float, Optional[float]]],
    rounding: str,
    polarity: str,
    require_significance: bool,
) -> None:
    df = pl.DataFrame(
        {"b": [r[0] for r in rows], "pct": [r[1] for r in rows], "a": [r[2] for r in rows]},
        schema={"b": pl.Float64, "pct": pl.Float64, "a": pl.Float64},
    )
    out = cp.targets(df, baseline="b", change_percent="pct", rounding=rounding, actual="a",
                     polarity=polarity, require_significance=require_significance,
                     errors="null")
    for (baseline, pct, actual), row in zip(rows, out.iter_rows(named=True)):
        if baseline is None:
            assert row["target"] is None and "missing (null)" in row["error"]
            continue
        target, error = scalar_or_error(lambda: cp.target(baseline, pct, rounding=rounding))
        if target is None:
            assert row["target"] is None and row["error"] == error
            continue
        if actual is None:
            assert row["target"] is None and "missing (null)" in row["error"]
            continue
        rag, error = scalar_or_error(
            lambda: cp.rag(baseline, actual, target, polarity=polarity,
                           require_significance=require_significance)
        )
        if rag is None:
            assert row["rag"] is None and row["error"] == error
        else:
            assert row["target"] == float(target)
            assert (row["rag"], row["rag_reason"]) == (rag.status, rag.reason)


@given(
    rows=st.lists(st.tuples(good_counts, st.floats(min_value=1, max_value=1e6)), min_size=1,
                  max_size=20),
    low=st.sampled_from([0.5, 0.8, 0.9]),
    high=st.sampled_from([0.95, 0.99, 0.998]),
)
def test_intervals_widen_with_confidence(
    rows: list[tuple[int, float]], low: float, high: float
) -> None:
    df = pl.DataFrame({"c": [r[0] for r in rows], "p": [r[1] for r in rows]})
    narrow = cp.rates(df, count="c", population="p", confidence=low, method="exact")
    wide = cp.rates(df, count="c", population="p", confidence=high, method="exact")
    assert (wide["rate_lower"] <= narrow["rate_lower"]).all()
    assert (wide["rate_upper"] >= narrow["rate_upper"]).all()
    changes_narrow = cp.changes(df.with_columns(q=pl.col("c") // 2 + 1), current="c",
                                previous="q", confidence=low)
    changes_wide = cp.changes(df.with_columns(q=pl.col("c") // 2 + 1), current="c",
                              previous="q", confidence=high)
    assert (changes_wide["ratio_lower"] <= changes_narrow["ratio_lower"]).all()
    assert (changes_wide["ratio_upper"] >= changes_narrow["ratio_upper"]).all()


numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)


@given(a=numbers, b=numbers, c=numbers)
def test_no_scalar_input_crashes(a: Any, b: Any, c: Any) -> None:
    # Any number gives a result or a typed error: never a panic or an interpreter crash.
    calls: list[Callable[[], Any]] = [
        lambda: cp.rate(a, b),
        lambda: cp.proportion(a, b),
        lambda: cp.proportion_change(a, b, a, b),
        lambda: cp.change(a, b, exposure=c),
        lambda: cp.target(a, b),
        lambda: cp.rag(a, b, c, require_significance=True),
    ]
    for call in calls:
        try:
            call()
        except cp.CrimeperfError:  # every error, wrong types and huge integers included
            pass
