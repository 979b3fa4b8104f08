"""Trends over time: the year to date against last year, rolling sums and rates, SPC charts and
the year-end projection, per group of a frame of monthly counts.

The defaults fit the output of ``cp.count_crimes(..., period="month")`` (``period_start`` and
``crimes``); any frame with a month column (a date) and a value column, named by arguments, works.
Every statistic is the core's (``crates/crimeperf``): this module only passes frames and options.
"""

from __future__ import annotations

from typing import Any, Literal, Optional, Sequence, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._data import _columns_arg, _frame, _stream_of
from crimeperf._exchange import like
from crimeperf._exchange import to_polars as _to_polars

__all__ = ["year_to_date", "rolling", "spc", "project_year_end"]

Missing = Literal["error", "zero"]
Chart = Literal["xmr", "c", "u", "u_prime"]
Improvement = Literal["increase", "decrease"]
Rules = Literal["mdc", "anhoj", "western_electric"]
Precedence = Literal["improvement", "concern"]


def _by(by: Union[str, Sequence[str], None]) -> list[str]:
    return [] if by is None else _columns_arg(by)


def _monthly(counts: Any, by: Union[str, Sequence[str], None], caller: str) -> Any:
    """The monthly counts by ``by`` of a :class:`PoliceUkData` (counted from its compact form,
    with its coverage); any other frame as it is."""
    from crimeperf._data import PoliceUkData, _count_read

    if isinstance(counts, PoliceUkData):
        # Warnings said at the trend function's caller: 4 frames up from _count_read's.
        return _count_read(counts, by=_by(by), period="month", caller=caller, stacklevel=4)
    return counts


def year_to_date(
    counts: Any,
    *,
    through: str,
    year_start: int = 4,
    by: Union[str, Sequence[str], None] = None,
    value: str = "crimes",
    month: str = "period_start",
    missing: Missing = "error",
) -> Any:
    """The year to date against the same months a year earlier, per group, with the exact test.

    Parameters
    ----------
    counts : polars/pandas DataFrame, pyarrow Table, any ``__arrow_c_stream__`` object, or PoliceUkData
        Monthly counts: a month column (a date) and a count column, plus the ``by`` columns; or
        the :class:`PoliceUkData` of a read, counted by month by the ``by`` columns (from its
        compact form, with its coverage).
    through : str
        The last month of the year to date, e.g. ``"2025-12"``.
    year_start : int, default 4
        The first month of the reporting year (4: financial years, April to March).
    by : str or list of str, optional
        The grouping columns; one series per combination.
    value, month : str
        The count and month columns.
    missing : {"error", "zero"}
        A month missing from a group's series is an error naming the group and the month unless
        ``"zero"``; an explicit zero is always fine.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, ``period``, ``previous_period``, ``current``, ``previous``,
        ``change``, ``percent_change``, ``ratio``, ``lower``, ``upper``, ``p_value``,
        ``significance`` and ``description``.

    Raises
    ------
    InvalidInputError
        A month needed is missing (the message names the group and month), or a count is not a
        whole number.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import crimeperf as cp
    >>> months = [date(2024 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(15)]
    >>> counts = pl.DataFrame({
    ...     "period_start": months,
    ...     "crimes": [40, 44, 38, 41, 43, 39, 42, 40, 37, 41, 45, 40, 21, 24, 22],
    ... })
    >>> print(cp.year_to_date(counts, through="2025-06")["description"][0])
    45.1% reduction (55 crimes): 67 in April to June 2025 against 122 in April to June 2024
    """
    counts = _monthly(counts, by, "year_to_date")
    df = _to_polars(counts)
    columns = _by(by)
    result = _crimeperf.year_to_date_frame(
        _stream_of(df, columns + [month, value]),
        by=columns,
        month=month,
        value=value,
        through=through,
        year_start=year_start,
        missing=missing,
        frame_columns=df.columns,
    )
    return like(_frame(result), counts)


def rolling(
    counts: Any,
    *,
    months: int = 12,
    population: Union[str, float, None] = None,
    by: Union[str, Sequence[str], None] = None,
    value: str = "crimes",
    month: str = "period_start",
    missing: Missing = "error",
) -> Any:
    """Rolling sums over ``months`` months, and rates per 1,000 when populations are given.

    Parameters
    ----------
    counts : frame or PoliceUkData
        Monthly counts, as for :func:`year_to_date` (a :class:`PoliceUkData` is counted by
        month by the ``by`` columns).
    months : int, default 12
        The window.
    population : str or number, optional
        A column holding each group's population at each month, or one population for all.
    by, value, month, missing
        As for :func:`year_to_date`.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, ``month`` (the window's last month), ``window``, ``rolling_sum``,
        and with populations ``population``, ``rate``, ``lower`` and ``upper`` (per 1,000).

    Raises
    ------
    InvalidInputError
        A missing month (naming the group and month), ``months`` of 0 or longer than a series,
        or a population that is missing or not above zero (naming the month).

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import crimeperf as cp
    >>> counts = pl.DataFrame({"period_start": [date(2024, m, 1) for m in (1, 2, 3, 4)],
    ...                        "crimes": [10, 20, 30, 40]})
    >>> cp.rolling(counts, months=3)["rolling_sum"].to_list()
    [60, 90]
    """
    counts = _monthly(counts, by, "rolling")
    df = _to_polars(counts)
    columns = _by(by)
    population_column = population if isinstance(population, str) else None
    population_value = None if population is None or isinstance(population, str) else float(population)
    needed = columns + [month, value] + ([population_column] if population_column else [])
    result = _crimeperf.rolling_frame(
        _stream_of(df, needed),
        by=columns,
        month=month,
        value=value,
        months=months,
        population_column=population_column,
        population_value=population_value,
        missing=missing,
        frame_columns=df.columns,
    )
    return like(_frame(result), counts)


def spc(
    series: Any,
    *,
    value: str = "crimes",
    month: str = "period_start",
    chart: Chart = "xmr",
    rules: Rules = "mdc",
    improvement: Improvement = "decrease",
    target: Optional[float] = None,
    baseline: Optional[int] = None,
    rebase_at: Optional[dict[Any, str]] = None,
    by: Union[str, Sequence[str], None] = None,
    allow_short: bool = False,
    screen: bool = False,
    denominator: Optional[str] = None,
    per: Optional[float] = None,
    shift_length: Optional[int] = None,
    trend_length: Optional[int] = None,
    precedence: Precedence = "concern",
    missing: Missing = "error",
) -> pl.DataFrame:
    """An SPC chart per group: limits, sigma bands and the special causes with the rule that fired.

    Parameters
    ----------
    series : frame, PoliceUkData, or a sequence of numbers
        Monthly values (the defaults fit :func:`count_crimes` output), the :class:`PoliceUkData`
        of a read (counted by month by the ``by`` columns), or plain numbers in order.
    value, month : str
        The value and month columns of a frame (ignored for a plain sequence).
    chart : {"xmr", "c", "u", "u_prime"}
        XmR (mean ± 2.66 × average moving range), c (counts), u (rates; needs ``denominator``)
        or Laney's u′.
    rules : {"mdc", "anhoj", "western_electric"}
        NHS Making Data Count (the default), Anhøj's runs analysis (as qicharts2), or Western
        Electric.
    improvement : {"increase", "decrease"}
        Which direction is better (for crime, ``"decrease"``).
    target : float, optional
        A target for the assurance verdict (``consistently_meets``, ``consistently_fails``,
        ``hit_and_miss``).
    baseline : int, optional
        The number of points at the start of each segment that fix its limits.
    rebase_at : dict, optional
        ``{month (a "2020-04" string) or point (an int from 0): reason}``; never automatic.
    by : str or list of str, optional
        The grouping columns; one chart per group.
    allow_short : bool
        Chart fewer than 12 points anyway.
    screen : bool
        Leave out moving ranges above 3.267 × their average and recompute it.
    denominator : str, optional
        The denominator column (``u`` and ``u_prime``).
    per : float, optional
        Plot ``u`` rates per this many (1000 for per 1,000).
    shift_length, trend_length : int, optional
        Override the profile's run lengths (7 and 7 for ``mdc``).
    precedence : {"improvement", "concern"}
        Which side wins when rules fire both ways on a point.
    missing : {"error", "zero"}
        As for :func:`year_to_date`.

    Returns
    -------
    polars.DataFrame
        One row per point: the ``by`` and month columns (a frame), ``point`` (from 1),
        ``value``, ``segment``, ``in_baseline``, ``centre``, ``lower_limit``, ``upper_limit``,
        ``lower_one_sigma``, ``upper_one_sigma``, ``lower_two_sigma``, ``upper_two_sigma``,
        ``special_cause``, ``rule``, ``rules``, ``variation`` (``improvement``, ``concern``,
        ``common_cause``), ``rebase_reason``, ``assurance`` and ``description``.
        :func:`crimeperf.plot.spc` draws it.

    Raises
    ------
    InvalidInputError
        Fewer than 12 points without ``allow_short``, a missing month or a null (named), a
        rebase at a month not in the series.

    Examples
    --------
    >>> import crimeperf as cp
    >>> chart = cp.spc([10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 30])
    >>> chart.filter("special_cause").select("point", "rule", "variation").rows()
    [(12, 'beyond_limits', 'concern')]
    """
    if isinstance(series, (list, tuple, range)) or (
        hasattr(series, "__len__") and type(series).__name__ in ("ndarray", "Series")
    ):
        df = pl.DataFrame({"value": pl.Series([float(v) for v in series], dtype=pl.Float64)})
        value, month_column, columns = "value", None, []
        plain = True
    else:
        plain = False
        series = _monthly(series, by, "spc")
        df = _to_polars(series)
        month_column = month
        columns = _by(by)
    rebase_months: list[tuple[str, str]] = []
    rebase_points: list[tuple[int, str]] = []
    for at, reason in (rebase_at or {}).items():
        if isinstance(at, int):
            rebase_points.append((at, reason))
        else:
            rebase_months.append((str(at), reason))
    needed = columns + [value] + ([month_column] if month_column else [])
    if denominator is not None:
        needed.append(denominator)
    result = _crimeperf.spc_frame(
        _stream_of(df, needed),
        by=columns,
        month=month_column,
        value=value,
        denominator=denominator,
        chart=chart,
        improvement=improvement,
        rules=rules,
        shift_length=shift_length,
        trend_length=trend_length,
        precedence=precedence,
        screen=screen,
        baseline=baseline,
        rebase_months=rebase_months,
        rebase_points=rebase_points,
        target=target,
        allow_short=allow_short,
        per=per,
        missing=missing,
        frame_columns=df.columns,
    )
    if plain:
        return _frame(result)  # a plain sequence of numbers gives a polars table
    return like(_frame(result), series)


def project_year_end(
    counts: Any,
    *,
    through: str,
    year_start: int = 4,
    history_years: int = 3,
    target: Optional[float] = None,
    improvement: Improvement = "decrease",
    by: Union[str, Sequence[str], None] = None,
    value: str = "crimes",
    month: str = "period_start",
    missing: Missing = "error",
) -> Any:
    """The expected year-end count from the year to date and the seasonal shape of past years.

    The share of each of the previous ``history_years`` years' crime that fell by the month of
    ``through`` is averaged; the year end is the year to date divided by it, with an interval
    (Poisson for the months to come plus the spread of the share), and with a target the
    probability of meeting it.

    Parameters
    ----------
    counts : frame or PoliceUkData
        Monthly counts, as for :func:`year_to_date` (a :class:`PoliceUkData` is counted by
        month by the ``by`` columns).
    through : str
        The last month of the year to date, e.g. ``"2025-09"``.
    year_start : int, default 4
        The first month of the reporting year.
    history_years : int, default 3
        How many complete past years give the seasonal shape (1 to 100).
    target : float, optional
        The year-end target; the result then gives the probability of meeting it.
    improvement : {"increase", "decrease"}
        Which direction meets the target (``"decrease"``: at most the target).
    by, value, month, missing
        As for :func:`year_to_date`.

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, ``year``, ``to_date``, ``share``, ``share_sd``, ``expected``,
        ``remaining``, ``lower``, ``upper`` and with a target ``target`` and
        ``probability_of_meeting``.

    Raises
    ------
    InvalidInputError
        A month of the year to date or of the history missing (named), or a history year
        without crime.

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import crimeperf as cp
    >>> months = [date(2022 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(42)]
    >>> counts = pl.DataFrame({"period_start": months, "crimes": [120] * 36 + [100] * 6})
    >>> p = cp.project_year_end(counts, through="2025-09", target=1300)
    >>> p.select("to_date", "share", "expected").row(0)
    (600, 0.5, 1200.0)
    """
    counts = _monthly(counts, by, "project_year_end")
    df = _to_polars(counts)
    columns = _by(by)
    result = _crimeperf.project_year_end_frame(
        _stream_of(df, columns + [month, value]),
        by=columns,
        month=month,
        value=value,
        through=through,
        year_start=year_start,
        history_years=history_years,
        target=target,
        improvement=improvement,
        missing=missing,
        frame_columns=df.columns,
    )
    return like(_frame(result), counts)
