"""The same results from polars, pandas and pyarrow input, through the Arrow PyCapsule interface.

This file runs in the main environment (newest polars) and again against the oldest supported
polars 1.x (`make test` builds one wheel and installs it in both environments).
"""

from __future__ import annotations

from typing import Any, Callable

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import crimeperf as cp
from crimeperf import _crimeperf

#: The options the compiled functions take explicitly (the Python API passes its defaults).
RATE_OPTIONS: dict[str, Any] = {
    "per": 1000.0, "confidence": 0.95, "method": "auto", "errors": "raise",
}

DATA = {
    "area": ["Basildon", "Rochford", "Tiny", "Empty"],
    "crimes": [17_512, 4208, 3, 0],
    "last_year": [18_003, 4445, 7, 0],
    "population": [191_000.0, 87_200.0, 1_200.0, 900.0],
    "solved": [3101, 1098, 1, 0],
    "baseline": [18_000, 4400, 6, 1],
}

CALLS: dict[str, Callable[[Any], pl.DataFrame]] = {
    "rates": lambda f: cp.rates(f, count="crimes", population="population"),
    "rates exact": lambda f: cp.rates(f, count="crimes", population="population", method="exact"),
    "changes": lambda f: cp.changes(f, current="crimes", previous="last_year"),
    "proportions": lambda f: cp.proportions(
        f, numerator="solved", denominator="crimes", errors="null"
    ),
    "targets": lambda f: cp.targets(
        f, baseline="baseline", change_percent=-5, actual="crimes"
    ),
}


class StreamOnly:
    """Any producer of the Arrow PyCapsule interface (here wrapping pyarrow, e.g. duckdb)."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        return self.table.__arrow_c_stream__(requested_schema)


def frames() -> dict[str, Any]:
    table = pa.table(DATA)
    return {
        "polars": pl.DataFrame(DATA),
        "polars lazy": pl.DataFrame(DATA).lazy(),
        "pandas": pd.DataFrame(DATA),
        "pyarrow table": table,
        "pyarrow chunked": pa.concat_tables([table.slice(0, 1), table.slice(1, 3)]),
        "pyarrow reader": pa.RecordBatchReader.from_batches(table.schema, table.to_batches()),
        "pyarrow batch": table.to_batches()[0],
        "capsule producer": StreamOnly(table),
        "dict": dict(DATA),
    }


#: The kind of frame each source gets back: the caller's own kind (polars for the rest).
KINDS = {
    "polars": pl.DataFrame,
    "polars lazy": pl.DataFrame,
    "pandas": pd.DataFrame,
    "pyarrow table": pa.Table,
    "pyarrow chunked": pa.Table,
    "pyarrow reader": pa.Table,
    "pyarrow batch": pa.RecordBatch,
    "capsule producer": pl.DataFrame,
    "dict": pl.DataFrame,
}


def as_polars(frame: Any) -> pl.DataFrame:
    if isinstance(frame, pd.DataFrame):
        return pl.from_pandas(frame)
    if isinstance(frame, (pa.Table, pa.RecordBatch)):
        return pl.DataFrame(pl.from_arrow(frame))
    return frame


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("source", sorted(frames()))
def test_same_results_from_every_source_in_its_own_kind(call: str, source: str) -> None:
    expected = CALLS[call](pl.DataFrame(DATA))
    got = CALLS[call](frames()[source])
    assert type(got) is KINDS[source]
    got = as_polars(got)
    assert got.columns == expected.columns
    results = expected.columns[len(DATA):]
    # pandas holds an integer column with nulls as floats; the values are the same.
    assert got.select(results).cast(dict(expected.select(results).schema)).equals(
        expected.select(results)
    )
    assert got["area"].to_list() == DATA["area"]


def test_pandas_in_pandas_out_keeps_the_callers_frame() -> None:
    df = pd.DataFrame(DATA, index=pd.Index([10, 20, 30, 40], name="row"))
    df["area"] = df["area"].astype("category")
    out = cp.rates(df, count="crimes", population="population")
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(df.index)  # the index is kept, and is not a column
    assert out["area"].dtype == "category"  # the input columns are the caller's own
    assert list(out.columns) == [*DATA, "rate", "rate_lower", "rate_upper", "rate_method"]
    assert out.loc[20, "rate"] == cp.rate(4208, 87_200).value
    assert "rate" not in df.columns  # the caller's frame is not changed


def test_pyarrow_in_pyarrow_out_keeps_the_callers_table() -> None:
    table = pa.table(DATA).cast(
        pa.schema([pa.field("area", pa.string()), *list(pa.table(DATA).schema)[1:]])
    )
    out = cp.changes(table, current="crimes", previous="last_year")
    assert isinstance(out, pa.Table)
    assert out.schema.field("area").type == pa.string()  # not polars' own string type
    assert out.column("p_value").to_pylist() == [
        cp.change(c, p).p_value for c, p in zip(DATA["crimes"], DATA["last_year"])
    ]


def test_pandas_nullable_and_float_columns() -> None:
    df = pd.DataFrame(
        {
            "crimes": pd.array([206, None, 3], dtype="Int64"),
            "last_year": [168.0, 10.0, float("nan")],  # NaN in a float column becomes null
        }
    )
    out = cp.changes(df, current="crimes", previous="last_year", errors="null")
    assert isinstance(out, pd.DataFrame)
    out = pl.from_pandas(out)  # pandas shows a missing text as NaN; compare as nulls
    assert out["description"].to_list() == ["22.6% increase (38 crimes)", None, None]
    assert out["error"].to_list() == [
        None,
        'the value in column "crimes" is missing (null)',
        'the value in column "last_year" is missing (null)',
    ]


def test_pandas_index_is_not_a_column() -> None:
    df = pd.DataFrame(DATA).set_index("area")
    out = cp.rates(df, count="crimes", population="population")
    assert "area" not in out.columns
    assert out.index.equals(df.index)


def test_pyarrow_types() -> None:
    table = pa.table(
        {
            "c": pa.array([206, 4208], type=pa.int32()),
            "p": pa.array([168, 4445], type=pa.uint16()),
            "pop": pa.array([1000.0, 87_200.0], type=pa.float32()),
        }
    )
    out = cp.changes(table, current="c", previous="p")
    assert out.column("p_value").to_pylist() == [
        cp.change(206, 168).p_value, cp.change(4208, 4445).p_value,
    ]
    rates = cp.rates(table, count="c", population="pop")
    assert rates.column("rate").to_pylist() == [
        cp.rate(206, 1000).value, cp.rate(4208, 87_200).value,
    ]


def test_extension_reads_pyarrow_streams_directly() -> None:
    # The extension itself consumes any producer of the C stream interface: here pyarrow's,
    # including a sliced table (record batches with offsets) and several batches.
    table = pa.table(DATA)
    sliced = table.slice(1, 2)
    result = _crimeperf.rates_frame(
        sliced, count="crimes", population="population", **RATE_OPTIONS
    )
    assert len(result) == 2
    assert result.columns == ["rate", "rate_lower", "rate_upper", "rate_method"]
    back = pa.table(result)  # pyarrow consumes our stream too
    assert back.column("rate").to_pylist() == [
        cp.rate(4208, 87_200).value, cp.rate(3, 1200).value,
    ]
    capsule = table.__arrow_c_stream__()
    direct = pl.DataFrame(_crimeperf.changes_frame(
        capsule, current="crimes", previous="last_year", exposure=None, previous_exposure=None,
        confidence=0.95, min_base=50, unit="crimes", errors="raise",
    ))
    assert direct.height == 4


def test_result_stream_can_be_read_twice() -> None:
    result = _crimeperf.rates_frame(
        pa.table(DATA), count="crimes", population="population", **RATE_OPTIONS
    )
    assert pl.DataFrame(result).equals(pl.DataFrame(result))
    assert "ArrowStream(columns=" in repr(result)


def test_pandas_and_polars_results_for_a_larger_frame() -> None:
    n = 5000
    data = {"c": [i % 97 for i in range(n)], "p": [(i * 31) % 89 for i in range(n)]}
    from_pandas = cp.changes(pd.DataFrame(data), current="c", previous="p")
    from_polars = cp.changes(pl.DataFrame(data), current="c", previous="p")
    assert pl.from_pandas(from_pandas).equals(from_polars)


GROUPS = {"Rochford": ["Basildon", "Tiny", "Empty"], "Tiny": ["Rochford", "Empty"]}


@pytest.mark.parametrize("source", sorted(frames()))
def test_peers_and_funnels_from_every_source_in_its_own_kind(source: str) -> None:
    compare = lambda f: cp.peer_compare(  # noqa: E731
        f, area="area", count="crimes", population="population", groups=GROUPS
    )
    expected = compare(pl.DataFrame(DATA))
    got = compare(frames()[source])
    assert type(got) is KINDS[source]
    got = as_polars(got)
    assert got["description"].to_list() == expected["description"].to_list()
    assert got["rank_text"].to_list() == ["3rd out of 4", "2nd out of 3"]  # 0 and 2.5 per 1,000 lower

    funnel = lambda f: cp.funnel(  # noqa: E731
        f, area="area", count="crimes", population="population", overdispersion=True
    )
    plot = funnel(frames()[source])
    assert type(plot.table) is KINDS[source]
    assert as_polars(plot.table)["z"].to_list() == funnel(pl.DataFrame(DATA)).table["z"].to_list()

    neighbours = cp.similar_areas(frames()[source], area="area", k=2,
                                  variables=["crimes", "population"])
    assert type(neighbours) is KINDS[source]
    assert as_polars(neighbours)["peer"].to_list() == cp.similar_areas(
        pl.DataFrame(DATA), area="area", k=2, variables=["crimes", "population"]
    )["peer"].to_list()


def test_read_similar_groups_from_pandas_and_pyarrow() -> None:
    wide = {"area": ["Rochford"], "peer_1": ["Castle Point"], "peer_2": ["Maldon"]}
    for frame in (pd.DataFrame(wide), pa.table(wide), pl.DataFrame(wide)):
        groups = cp.read_similar_groups(frame)
        assert groups.groups["peer_name"].to_list() == ["Castle Point", "Maldon"]
