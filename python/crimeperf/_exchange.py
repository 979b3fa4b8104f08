"""Frames in and out: the caller's frame read as polars, its needed columns streamed into the
compiled extension, and results given back in the caller's kind of frame.

Used by the frame statistics (``_frames``) and the data layer (``_data``) alike, so that every
function takes the same inputs and gives back the same kinds:

* a pandas DataFrame in, a pandas DataFrame out;
* a pyarrow Table, RecordBatch or RecordBatchReader in, a pyarrow Table (a RecordBatch for a
  RecordBatch) out;
* a polars DataFrame or LazyFrame (collected), a dict of columns or any other object with the
  Arrow PyCapsule interface (``__arrow_c_stream__``) in, a polars DataFrame out.
"""

from __future__ import annotations

from typing import Any, Literal

import polars as pl

from crimeperf.exceptions import ColumnTypeError, UnsupportedFrameError

Kind = Literal["polars", "pandas", "pyarrow"]


def _package(frame: Any) -> str:
    return type(frame).__module__.split(".")[0]


def kind_of(frame: Any) -> Kind:
    """The kind of frame to give back for ``frame``: ``"pandas"``, ``"pyarrow"`` or
    ``"polars"`` (for polars frames, dicts and other Arrow PyCapsule objects)."""
    package = _package(frame)
    if package == "pandas":
        return "pandas"
    if package == "pyarrow":
        return "pyarrow"
    return "polars"


def to_polars(frame: Any) -> pl.DataFrame:
    """The frame as a polars DataFrame (without copying where the source allows)."""
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    if isinstance(frame, dict):
        return pl.DataFrame(frame)
    package = _package(frame)
    converted: Any = None
    if package == "pandas":
        try:
            converted = pl.from_pandas(frame)
        except ImportError as err:
            raise UnsupportedFrameError(
                "reading a pandas DataFrame needs pyarrow: pip install pyarrow"
            ) from err
    elif package == "pyarrow":
        # Tables, record batches and readers (older polars cannot build a DataFrame from a
        # RecordBatchReader through its constructor).
        converted = pl.from_arrow(frame)
    elif hasattr(frame, "__arrow_c_stream__"):
        converted = pl.DataFrame(frame)
    if not isinstance(converted, pl.DataFrame):
        raise UnsupportedFrameError(
            "expected a polars, pandas or pyarrow DataFrame/table, a dict of columns, or an "
            f"object with the Arrow PyCapsule interface (__arrow_c_stream__); got "
            f"{type(frame).__module__}.{type(frame).__qualname__}"
        )
    return converted


def like(result: pl.DataFrame, frame: Any) -> Any:
    """``result`` as the same kind of frame as the caller's ``frame`` (see the module)."""
    kind = kind_of(frame)
    if kind == "pandas":
        return result.to_pandas()
    if kind == "pyarrow":
        table = result.to_arrow()
        if type(frame).__name__ == "RecordBatch":
            batches = table.combine_chunks().to_batches()
            return batches[0] if batches else type(frame).from_pylist([], schema=table.schema)
        return table
    return result


def _as_exchanged(name: str, dtype: Any) -> pl.Expr:
    """Column ``name`` in a type the extension reads: categoricals as text, datetimes (pandas
    turns dates into them) as dates."""
    column = pl.col(name)
    if dtype == pl.Categorical or isinstance(dtype, pl.Enum):
        return column.cast(pl.String)
    if isinstance(dtype, pl.Datetime):
        return column.dt.date()
    return column


#: Whether polars' Series streams can be trusted: polars 1.3 streams a Date Series as Int32 under
#: a Date32 schema, which the stream reader rejects. Checked on 1.3 and 2.x; 1.x falls back to the
#: frame's stream.
_SERIES_STREAMS = int(pl.__version__.split(".")[0]) >= 2


def stream(df: pl.DataFrame, names: list[str]) -> Any:
    """The columns ``names`` of ``df`` that exist, for the extension.

    Only needed columns cross; the extension names any that are missing. They cross as
    ``(name, Series)`` pairs, each Series through its own Arrow stream: a DataFrame's stream
    joins its chunks into one first, a copy of every column (a record frame from
    ``read_police_uk`` has a chunk per file), while a Series' stream passes them as they are.
    """
    present = [name for name in dict.fromkeys(names) if name in df.columns]
    for name in present:
        if df.schema[name] == pl.Object:
            # polars cannot export Python objects through the Arrow interface (1.x aborts).
            error = ColumnTypeError(
                f'column "{name}" has type Object, which cannot cross into crimeperf'
            )
            error.columns = [name]
            raise error
    selected = df.select(_as_exchanged(name, df.schema[name]) for name in present)
    if _SERIES_STREAMS:
        return [(name, selected[name]) for name in present]
    if hasattr(selected, "__arrow_c_stream__"):
        return selected
    return selected.to_arrow()  # polars without the PyCapsule interface export; needs pyarrow
