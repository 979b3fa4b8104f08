"""Outcome lag: a street-file snapshot carries only each crime's latest outcome, so recent months
look unsolved. This module says which crime months are too recent to compare."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._data import _columns_arg, _frame, _stream_of
from crimeperf._exchange import like
from crimeperf._exchange import to_polars as _to_polars

__all__ = ["outcome_maturity", "solved_within"]


def outcome_maturity(
    records: Any,
    *,
    by: Union[str, Sequence[str], None] = None,
    settled_after: int = 12,
    tolerance: float = 0.05,
) -> Any:
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
    records : PoliceUkData or frame
        Street records from :func:`read_police_uk` (``month``, ``last_outcome``, ``is_asb``):
        the ``PoliceUkData`` itself (counted from its compact form, the records frame never
        built) or a frame.
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
    from crimeperf._data import PoliceUkData

    columns = [] if by is None else _columns_arg(by)
    if isinstance(records, PoliceUkData) and records.compact is not None:
        source: Any = records.compact
        frame_columns = None
        records = pl.DataFrame()
    else:
        df = _to_polars(records.records if isinstance(records, PoliceUkData) else records)
        source = _stream_of(df, columns + ["month", "last_outcome", "is_asb"])
        frame_columns = df.columns
    result = _crimeperf.outcome_maturity_frame(
        source,
        by=columns,
        settled_after=settled_after,
        tolerance=tolerance,
        frame_columns=frame_columns,
    )
    return like(_frame(result), records)


def solved_within(
    street: Any,
    outcomes: Any,
    *,
    months: int = 3,
    by: Union[str, Sequence[str]] = "month",
    solved: Optional[Sequence[str]] = None,
    confidence: float = 0.95,
) -> Any:
    """Solved rates at equal elapsed time: the crimes solved within ``months`` of the crime month.

    A street file carries only each crime's latest outcome; the outcomes files carry the month
    each outcome was recorded. A crime counts as solved within ``months`` when the outcomes have,
    for its crime ID, an outcome in the solved definition recorded no later than the crime month
    plus ``months``: every period is then judged after the same time. A group is ``complete``
    when the outcomes files reach every one of its crime months plus ``months``; compare only
    complete groups.

    Parameters
    ----------
    street : frame
        Street records from ``read_police_uk(..., kind="street")`` (``crime_id``, ``month``,
        ``is_asb`` and the ``by`` columns).
    outcomes : frame
        Outcomes records from ``read_police_uk(..., kind="outcomes")`` (``crime_id``,
        ``month``: the month the outcome was recorded, ``outcome``).
    months : int, default 3
        The elapsed time allowed.
    by : str or list of str, default "month"
        Grouping columns of the street records.
    solved : list of str, optional
        Your own definition of solved, as in :func:`solved_rates`.
    confidence : float, default 0.95
        The confidence level of the Wilson intervals.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, ``crimes``, ``solved_within``, ``solved_rate``, ``lower``,
        ``upper`` and ``complete``.

    Raises
    ------
    ColumnNotFoundError
        A needed column is missing.
    InvalidInputError
        A label in ``solved`` is neither an outcome category nor a group.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import crimeperf as cp
    >>> street = pl.DataFrame({"crime_id": ["a", "b"], "month": [date(2024, 1, 1)] * 2,
    ...                        "is_asb": [False, False]})
    >>> outcomes = pl.DataFrame({"crime_id": ["a", "b"],
    ...                          "month": [date(2024, 2, 1), date(2024, 9, 1)],
    ...                          "outcome": ["Local resolution", "Offender given a caution"]})
    >>> cp.solved_within(street, outcomes, months=3).select("crimes", "solved_within", "complete").row(0)
    (2, 1, True)
    """
    street_df = _to_polars(street)
    outcomes_df = _to_polars(outcomes)
    columns = _columns_arg(by)
    result = _crimeperf.solved_within_frame(
        _stream_of(street_df, columns + ["crime_id", "month", "is_asb"]),
        _stream_of(outcomes_df, ["crime_id", "month", "outcome"]),
        by=columns,
        months=months,
        solved=None if solved is None else list(solved),
        confidence=confidence,
        street_columns=street_df.columns,
        outcome_columns=outcomes_df.columns,
    )
    return like(_frame(result), street)


def _mature_records(df: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """The records of mature crime months (whole records, by month), and the months left out."""
    maturity = outcome_maturity(df)
    immature = maturity.filter(~pl.col("mature"))["month"].to_list()
    left_out = [d.strftime("%Y-%m") for d in immature]
    # A plain list: polars 1.x and 2.x read it the same way.
    return df.filter(~pl.col("month").is_in(immature)), left_out
