"""Disclosure control: small counts suppressed before a table leaves the building, with secondary
suppression so that no suppressed count can be worked back out from the row and column totals.

The method is the core's (``crates/crimeperf/src/disclosure.rs``, whose documentation explains
it); this module reads the counts from the caller's frame and puts the result back.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._data import _columns_arg
from crimeperf._exchange import like, to_polars
from crimeperf.exceptions import (
    ColumnNotFoundError,
    ColumnTypeError,
    InvalidInputError,
    MissingValueError,
)

__all__ = ["suppress"]


def suppress(
    frame: Any,
    *,
    columns: Union[str, Sequence[str]],
    threshold: int = 5,
    secondary: bool = True,
    rounding: Optional[int] = None,
    keep_zeros: bool = False,
    label: Optional[str] = None,
) -> Any:
    """Suppress the counts below ``threshold`` in a published table and, with ``secondary``, enough
    other counts that none can be recomputed from the row and column totals.

    The table is the frame's rows × the ``columns``; its totals are each row's total across the
    columns and each column's total down the rows. A suppressed cell becomes null and its
    ``<column>_suppressed`` column says why: ``"primary"`` (below the threshold) or
    ``"secondary"`` (it would have given a suppressed count away). Secondary suppression picks the
    smallest counts that protect the others, and checks that no suppressed cell is left
    recoverable by subtraction, not only that every line has two.

    Parameters
    ----------
    frame : polars/pandas DataFrame, pyarrow Table, or any ``__arrow_c_stream__`` object
        One row per row of the table.
    columns : str or list of str
        The count columns (whole numbers, no nulls).
    threshold : int, default 5
        Counts below this are suppressed (counts of 0 to 4 by default).
    secondary : bool, default True
        Protect suppressed counts from recovery through the totals.
    rounding : int, optional
        Round every published count to a multiple of this base (half up), e.g. 5.
    keep_zeros : bool, default False
        Publish zeros ("none" is not "a few"; some policies allow it).
    label : str, optional
        A column naming the rows, for errors (the row number otherwise).

    Returns
    -------
    frame
        The caller's kind of frame: the same rows and columns, the counts suppressed (null) or
        rounded, and a ``<column>_suppressed`` column after each count column.

    Raises
    ------
    MissingValueError
        A count is null (naming the row and column).
    NegativeCountError, InvalidInputError
        A negative count (naming the row and column), a count that is not whole, or a threshold
        or rounding base below 1.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> table = pl.DataFrame({"area": ["Rochford", "Maldon"], "burglary": [40, 25],
    ...                       "robbery": [3, 9], "theft": [120, 80]})
    >>> safe = cp.suppress(table, columns=["burglary", "robbery", "theft"], label="area")
    >>> safe.select("area", "burglary", "robbery", "robbery_suppressed").rows()
    [('Rochford', None, None, 'primary'), ('Maldon', None, None, 'secondary')]
    """
    df = to_polars(frame)
    names = _columns_arg(columns)
    missing = [name for name in names if name not in df.columns]
    if missing:
        error = ColumnNotFoundError(f"no column {missing[0]!r}; the frame has {df.columns}")
        error.columns = missing
        raise error
    if label is not None and label not in df.columns:
        error = ColumnNotFoundError(f"no label column {label!r}; the frame has {df.columns}")
        error.columns = [label]
        raise error
    rows = (
        [str(v) for v in df[label].to_list()] if label is not None
        else [f"row {i}" for i in range(df.height)]
    )
    for name in names:
        dtype = df.schema[name]
        if not dtype.is_numeric():
            error = ColumnTypeError(f"column {name!r} holds {dtype}, not counts")
            error.columns = [name]
            raise error
        nulls = df[name].is_null()
        if nulls.any():
            row = rows[int(nulls.arg_true()[0])]
            raise MissingValueError(f"{row}, {name}: the count is missing (null)")
        if dtype.is_float():
            values = df[name]
            bad = values.is_nan() | (values != values.round(0))
            if bad.any():
                at = int(bad.arg_true()[0])
                raise InvalidInputError(f"{rows[at]}, {name}: {values[at]} is not a whole count")
    counts = df.select(pl.col(names).cast(pl.Int64)).rows()
    values, reasons = _crimeperf.suppress_table(
        [list(row) for row in counts],
        rows=rows,
        columns=names,
        threshold=threshold,
        secondary=secondary,
        keep_zeros=keep_zeros,
        rounding=rounding,
    )
    replaced = []
    for j, name in enumerate(names):
        replaced.append(pl.Series(name, [line[j] for line in values], dtype=pl.Int64))
        replaced.append(pl.Series(f"{name}_suppressed", [line[j] for line in reasons],
                                  dtype=pl.String))
    out = df.with_columns(replaced[0::2])
    order: list[str] = []
    for column in df.columns:
        order.append(column)
        if column in names:
            order.append(f"{column}_suppressed")
    out = out.with_columns(replaced[1::2]).select(order)
    return like(out, frame)

