"""Outcome lag: a street-file snapshot carries only each crime's latest outcome, so recent months
look unsolved. This module says which crime months are too recent to compare."""

from __future__ import annotations

from typing import Any, Sequence, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._data import _columns_arg, _frame, _stream_of
from crimeperf._frames import _to_polars

__all__ = ["outcome_maturity"]


def outcome_maturity(
    records: Any,
    *,
    by: Union[str, Sequence[str], None] = None,
    settled_after: int = 12,
    tolerance: float = 0.05,
) -> pl.DataFrame:
    """Per crime month, the share of crimes still awaiting an outcome, and whether it is mature.

    The maturity rule: the *settled share* of a group is the median share of crimes still under
    investigation or awaiting court over its crime months at least ``settled_after`` months
    older than the latest month in the records. Walking back from the latest month, each month
    whose open share is more than ``tolerance`` (a fraction: 0.05 is five percentage points)
    above the settled share is immature, up to the first month that is not; that month and all
    older ones are mature. With no month old enough, the months younger than ``settled_after``
    are all immature.

    Parameters
    ----------
    records : frame
        Street records from :func:`read_police_uk` (``month``, ``last_outcome``, ``is_asb``).
    by : str or list of str, optional
        Grouping columns (e.g. ``"csp_name"``); one settled share per group.
    settled_after : int, default 12
        How many months back a crime month counts as settled.
    tolerance : float, default 0.05
        How far above the settled share a month may be and still be mature.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, ``month``, ``crimes``, ``awaiting_outcome``, ``open_share``,
        ``settled_share`` and ``mature``. ASB incidents are left out.

    Raises
    ------
    ColumnNotFoundError
        A needed column is missing.
    InvalidInputError
        ``tolerance`` is negative or not finite.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import crimeperf as cp
    >>> months = [date(2024 + (i // 12), i % 12 + 1, 1) for i in range(14)]
    >>> records = pl.DataFrame({
    ...     "month": months,
    ...     "last_outcome": ["Local resolution"] * 13 + ["Under investigation"],
    ...     "is_asb": [False] * 14,
    ... })
    >>> cp.outcome_maturity(records)["mature"].to_list()[-2:]
    [True, False]
    """
    df = _to_polars(records)
    columns = [] if by is None else _columns_arg(by)
    result = _crimeperf.outcome_maturity_frame(
        _stream_of(df, columns + ["month", "last_outcome", "is_asb"]),
        by=columns,
        settled_after=settled_after,
        tolerance=tolerance,
        frame_columns=df.columns,
    )
    return _frame(result)


def _mature_records(df: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """The records of mature crime months (whole records, by month), and the months left out."""
    maturity = outcome_maturity(df)
    immature = maturity.filter(~pl.col("mature"))["month"]
    left_out = [d.strftime("%Y-%m") for d in immature.to_list()]
    return df.filter(~pl.col("month").is_in(immature.implode())), left_out
