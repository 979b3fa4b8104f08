"""Frame functions agree with the scalar functions, row by row, and keep the input columns.

Only polars is needed here, so this file also runs against the oldest supported polars 1.x.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import polars as pl
import pytest

import crimeperf as cp


def same(a: Optional[float], b: Optional[float]) -> bool:
    """Equal floats, treating None == None and inf == inf."""
    if a is None or b is None:
        return a is None and b is None
    return a == b or (math.isinf(a) and math.isinf(b) and (a > 0) == (b > 0))


CSPS = pl.DataFrame(
    {
        "csp": ["Basildon", "Braintree", "Rochford", "Maldon", "Tiny", "Empty"],
        "crimes": [17_512, 11_287, 4208, 3001, 3, 0],
        "last_year": [18_003, 11_001, 4445, 2950, 7, 0],
        "population": [191_000.0, 157_000.0, 87_200.0, 66_000.0, 1_200.0, 900.0],
        "solved": [3101, 2205, 1098, 700, 1, 0],
        "solved_last_year": [2900, 2300, 1080, 650, 0, 0],
    }
)


def test_rates_match_scalar_rates() -> None:
    out = cp.rates(CSPS, count="crimes", population="population", method="exact", per=100_000)
    assert out.columns == CSPS.columns + ["rate", "rate_lower", "rate_upper", "rate_method"]
    assert out.select(CSPS.columns).equals(CSPS)
    for row in out.iter_rows(named=True):
        r = cp.rate(row["crimes"], row["population"], per=100_000, method="exact")
        assert (row["rate"], row["rate_lower"], row["rate_upper"], row["rate_method"]) == (
            r.value, r.lower, r.upper, r.method,
        )
    assert out.schema["rate"] == pl.Float64
    assert out.schema["rate_method"] == pl.String


def test_rates_auto_method_per_row() -> None:
    out = cp.rates(CSPS, count="crimes", population="population")
    assert out["rate_method"].to_list() == ["byar", "byar", "byar", "byar", "exact", "exact"]


def test_changes_match_scalar_changes() -> None:
    out = cp.changes(CSPS, current="crimes", previous="last_year", unit="offences")
    assert out.columns == CSPS.columns + [
        "absolute", "percent", "ratio", "ratio_lower", "ratio_upper", "p_value",
        "significance", "small_base", "description",
    ]
    for row in out.iter_rows(named=True):
        c = cp.change(row["crimes"], row["last_year"], unit="offences")
        assert row["absolute"] == c.absolute
        assert same(row["percent"], c.percent)
        assert same(row["ratio"], c.ratio)
        assert same(row["ratio_lower"], c.lower)
        assert same(row["ratio_upper"], c.upper)
        assert row["p_value"] == c.p_value
        assert row["significance"] == c.significance
        assert row["small_base"] == c.small_base
        assert row["description"] == c.describe()
    assert out.schema["absolute"] == pl.Int64
    assert out.schema["small_base"] == pl.Boolean


def test_changes_with_exposure_columns_and_constants() -> None:
    df = CSPS.with_columns(months=pl.lit(9.0), months_before=pl.lit(12.0))
    by_column = cp.changes(
        df, current="crimes", previous="last_year", exposure="months",
        previous_exposure="months_before",
    )
    by_value = cp.changes(
        df, current="crimes", previous="last_year", exposure=9, previous_exposure=12.0
    )
    assert by_column.equals(by_value)
    expected = cp.change(4208, 4445, exposure=9, previous_exposure=12)
    rochford = by_value.filter(pl.col("csp") == "Rochford").row(0, named=True)
    assert rochford["p_value"] == expected.p_value
    assert rochford["ratio"] == expected.ratio


def test_proportions_match_scalar_proportions() -> None:
    df = CSPS.filter(pl.col("crimes") > 0)
    out = cp.proportions(df, numerator="solved", denominator="crimes", confidence=0.998)
    assert out.columns == df.columns + ["proportion", "proportion_lower", "proportion_upper"]
    for row in out.iter_rows(named=True):
        p = cp.proportion(row["solved"], row["crimes"], confidence=0.998)
        assert (row["proportion"], row["proportion_lower"], row["proportion_upper"]) == (
            p.value, p.lower, p.upper,
        )


def test_proportion_changes_match_scalar() -> None:
    df = CSPS.filter(pl.col("crimes") > 0)
    out = cp.proportions(
        df, numerator="solved", denominator="crimes",
        previous_numerator="solved_last_year", previous_denominator="last_year",
    )
    assert out.columns[-4:] == [
        "proportion_change", "proportion_change_lower", "proportion_change_upper",
        "proportion_change_significance",
    ]
    for row in out.iter_rows(named=True):
        c = cp.proportion_change(
            row["solved"], row["crimes"], row["solved_last_year"], row["last_year"]
        )
        assert row["proportion"] == c.current.value
        assert (row["proportion_change"], row["proportion_change_lower"]) == (c.value, c.lower)
        assert row["proportion_change_upper"] == c.upper
        assert row["proportion_change_significance"] == c.significance


def test_targets_match_scalar_targets() -> None:
    plan = pl.DataFrame(
        {
            "category": ["vehicle", "burglary", "violence"],
            "baseline": [325, 170, 1000],
            "change": [-10.0, -5.0, 2.5],
            "actual": [301, 152, 1030],
        }
    )
    out = cp.targets(plan, baseline="baseline", change_percent="change")
    assert out.columns == plan.columns + ["target"]
    assert out["target"].to_list() == [cp.target(325, -10).value, cp.target(170, -5).value, 1025.0]
    floor = cp.targets(plan, baseline="baseline", change_percent=-10, rounding="floor")
    assert floor["target"].to_list() == [292.0, 153.0, 900.0]
    rag = cp.targets(plan, baseline="baseline", change_percent="change", actual="actual")
    for row in rag.iter_rows(named=True):
        r = cp.rag(row["baseline"], row["actual"], row["target"])
        assert (row["rag"], row["rag_reason"]) == (r.status, r.reason)
    strict = cp.targets(
        plan, baseline="baseline", change_percent="change", actual="actual",
        require_significance=True, polarity="lower_is_better",
    )
    assert strict["rag"].to_list() == [
        cp.rag(325, 301, 293, require_significance=True).status,
        cp.rag(170, 152, 162, require_significance=True).status,
        cp.rag(1000, 1030, 1025, require_significance=True).status,
    ]


def test_a_result_column_never_silently_replaces_an_input_column() -> None:
    once = cp.rates(CSPS, count="crimes", population="population")
    with pytest.raises(cp.ColumnExistsError) as info:
        cp.rates(once, count="crimes", population="population")
    assert info.value.columns == ["rate", "rate_lower", "rate_upper", "rate_method"]
    assert '"rate", "rate_lower"' in str(info.value) and "overwrite=True" in str(info.value)
    # One clashing column is enough, and it is named.
    mine = CSPS.with_columns(significance=pl.lit("my own notes"))
    with pytest.raises(cp.ColumnExistsError, match='a column "significance"'):
        cp.changes(mine, current="crimes", previous="crimes")
    with pytest.raises(cp.ColumnExistsError, match='"error"'):
        cp.rates(CSPS.with_columns(error=pl.lit(1)), count="crimes", population="population",
                 errors="null")
    # On request, the call can be repeated on its own output.
    twice = cp.rates(once, count="crimes", population="population", overwrite=True)
    assert twice.equals(once)


def test_empty_frame() -> None:
    empty = CSPS.head(0)
    out = cp.rates(empty, count="crimes", population="population")
    assert out.height == 0
    assert out.columns == CSPS.columns + ["rate", "rate_lower", "rate_upper", "rate_method"]
    out = cp.changes(empty, current="crimes", previous="last_year", errors="null")
    assert out.height == 0 and out.columns[-1] == "error"
    assert out.schema["error"] == pl.String


def test_many_rows_across_blocks_and_chunks() -> None:
    # More rows than one parallel block, in several polars chunks.
    n = 100_003
    parts = [
        pl.DataFrame({"c": [(i * 7919) % 5000 for i in range(start, min(start + 30_000, n))]})
        for start in range(0, n, 30_000)
    ]
    df = pl.concat(parts, rechunk=False).with_columns(
        p=(pl.col("c") * 3 + 11).cast(pl.Int64), pop=pl.lit(50_000.0)
    )
    assert df.n_chunks() > 1
    out = cp.changes(df, current="c", previous="p")
    assert out.height == n
    for i in [0, 1, 29_999, 30_000, 32_767, 32_768, 65_536, n - 1]:
        row = out.row(i, named=True)
        assert row["p_value"] == cp.change(row["c"], row["p"]).p_value
    rates = cp.rates(df, count="c", population="pop", method="exact")
    for i in [0, 32_768, n - 1]:
        row = rates.row(i, named=True)
        assert row["rate_upper"] == cp.rate(row["c"], 50_000, method="exact").upper


def test_first_bad_row_is_reported_across_blocks() -> None:
    n = 70_000
    counts = [1] * n
    counts[40_000] = -3
    counts[69_999] = -1
    df = pl.DataFrame({"c": counts, "pop": [100.0] * n})
    with pytest.raises(cp.NegativeCountError) as info:
        cp.rates(df, count="c", population="pop")
    assert info.value.row == 40_000
    assert info.value.values == {"c": -3, "pop": 100.0}
    assert str(info.value).startswith("row 40000 (c=-3, pop=100.0): ")


def test_errors_null_gives_nulls_and_reasons() -> None:
    df = pl.DataFrame(
        {
            "c": [10, -1, None, 5, 7],
            "pop": [1000.0, 1000.0, 1000.0, 0.0, float("nan")],
        }
    )
    out = cp.rates(df, count="c", population="pop", errors="null")
    assert out["rate"].is_null().to_list() == [False, True, True, True, True]
    assert out["rate_method"].is_null().to_list() == [False, True, True, True, True]
    reasons: list[Any] = out["error"].to_list()
    assert reasons[0] is None
    assert reasons[1] == "count must not be negative, got -1"
    assert reasons[2] == 'the value in column "c" is missing (null)'
    assert reasons[3] == "population must be a finite number above zero, got 0"
    assert reasons[4] == "population must be a finite number above zero, got NaN"
    good = cp.rates(df.head(1), count="c", population="pop")
    assert out.row(0, named=True)["rate"] == good.row(0, named=True)["rate"]


def test_whole_float_counts_are_accepted() -> None:
    df = pl.DataFrame({"c": [206.0, 168.0], "p": [168, 206]})
    out = cp.changes(df, current="c", previous="p")
    assert out["description"].to_list() == [
        "22.6% increase (38 crimes)", "18.4% reduction (38 crimes)",
    ]


@pytest.mark.parametrize(
    "dtype", [pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64]
)
def test_every_integer_type(dtype: Any) -> None:
    df = pl.DataFrame({"c": [3, 100], "p": [1, 90]}, schema={"c": dtype, "p": dtype})
    out = cp.changes(df, current="c", previous="p")
    assert out["p_value"].to_list() == [cp.change(3, 1).p_value, cp.change(100, 90).p_value]
    rates = cp.rates(df, count="c", population="p")
    assert rates["rate"].to_list() == [cp.rate(3, 1).value, cp.rate(100, 90).value]


def test_lazy_frames_and_dicts() -> None:
    lazy = CSPS.lazy()
    assert cp.rates(lazy, count="crimes", population="population").equals(
        cp.rates(CSPS, count="crimes", population="population")
    )
    d = {"c": [206], "p": [168]}
    assert cp.changes(d, current="c", previous="p")["description"].to_list() == [
        "22.6% increase (38 crimes)"
    ]


def test_changes_on_a_large_frame_agree_with_the_scalar_function() -> None:
    """Frames of 65,536 rows or more find their distinct pairs on several threads at once."""
    import random

    rng = random.Random(20241231)
    rows = 150_000
    df = pl.DataFrame({
        "current": [rng.randint(-3, 400) for _ in range(rows)],
        "previous": [rng.randint(0, 400) for _ in range(rows)],
    })
    out = cp.changes(df, current="current", previous="previous", errors="null")
    assert out.height == rows
    negative = df["current"] < 0
    assert out["error"].is_not_null().to_list() == negative.to_list()
    with pytest.raises(cp.NegativeCountError) as first:
        cp.changes(df, current="current", previous="previous")
    assert first.value.row == negative.arg_true()[0]
    for row in out.sample(3000, seed=7).filter(pl.col("current") >= 0).iter_rows(named=True):
        expected = cp.change(row["current"], row["previous"])
        assert (row["p_value"], row["ratio_lower"], row["description"]) == (
            expected.p_value, expected.lower, expected.describe()
        )
