"""The statistics on whole frames: the same kernels as the scalar functions, on every row.

A frame may be a polars DataFrame or LazyFrame (polars 1.x or 2.x), a pandas DataFrame (read
through pyarrow), a pyarrow Table, a dict of columns, or any object with the Arrow PyCapsule
interface (``__arrow_c_stream__``). The result is a polars DataFrame: the input columns, then the
result columns (a result column replaces an input column of the same name, so a call can be
repeated on its own output).

The needed columns cross into the compiled extension through the Arrow C stream interface, so
no polars version is baked into crimeperf.
"""

from __future__ import annotations

from typing import Any, Optional, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._options import Errors, Polarity, RateMethod, Rounding
from crimeperf.exceptions import ColumnTypeError, UnsupportedFrameError

__all__ = ["rates", "proportions", "changes", "targets"]


def _to_polars(frame: Any) -> pl.DataFrame:
    """The frame as a polars DataFrame (without copying where the source allows)."""
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    if isinstance(frame, dict):
        return pl.DataFrame(frame)
    package = type(frame).__module__.split(".")[0]
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


def _stream(df: pl.DataFrame, names: list[str]) -> Any:
    """The columns ``names`` of ``df`` that exist, for the extension (Arrow PyCapsule interface).

    Only needed columns cross: the extension names any that are missing.
    """
    present = [name for name in dict.fromkeys(names) if name in df.columns]
    selected = df.select(present)
    for name, dtype in selected.schema.items():
        if dtype == pl.Object:
            # polars cannot export Python objects through the Arrow interface (1.x aborts).
            error = ColumnTypeError(f'column "{name}" has type Object, but numbers are needed')
            error.columns = [name]
            raise error
    if hasattr(selected, "__arrow_c_stream__"):
        return selected
    return selected.to_arrow()  # polars without the PyCapsule interface export; needs pyarrow


def _attach(df: pl.DataFrame, result: _crimeperf.ArrowStream) -> pl.DataFrame:
    """``df`` with the result columns appended (replacing columns of the same name)."""
    columns = pl.DataFrame(result)
    return df.with_columns(columns.get_columns())


def rates(
    frame: Any,
    *,
    count: str,
    population: str,
    per: float = 1000,
    confidence: float = 0.95,
    method: RateMethod = "auto",
    errors: Errors = "raise",
) -> pl.DataFrame:
    """Rates per ``per`` people with confidence intervals, for every row of a frame.

    The frame version of :func:`crimeperf.rate`.

    Parameters
    ----------
    frame : polars/pandas DataFrame, pyarrow Table, dict, or any ``__arrow_c_stream__`` object
        One row per area (and category, period...).
    count : str
        The column of counts (integers, or whole floats).
    population : str
        The column of populations.
    per : float, default 1000
        The rate is per this many of the population.
    confidence : float, default 0.95
        The confidence level of the intervals.
    method : {"auto", "exact", "byar"}, default "auto"
        As in :func:`crimeperf.rate`.
    errors : {"raise", "null"}, default "raise"
        ``"raise"``: a bad row (negative count, zero or null population...) raises an error
        naming the first bad row's position and values. ``"null"``: bad rows get nulls, and an
        ``error`` column says why (null on good rows).

    Returns
    -------
    polars.DataFrame
        The input columns, then ``rate``, ``rate_lower``, ``rate_upper`` and ``rate_method``
        (``"exact"`` or ``"byar"``).

    Raises
    ------
    ColumnNotFoundError
        ``count`` or ``population`` is not a column.
    ColumnTypeError
        A column is not numeric.
    CrimeperfError
        The first bad row (with ``errors="raise"``), or a bad option.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> csps = pl.DataFrame({
    ...     "csp": ["Rochford", "Castle Point", "Tiny"],
    ...     "crimes": [4208, 5364, 3],
    ...     "population": [87_200, 90_400, 1_200],
    ... })
    >>> out = cp.rates(csps, count="crimes", population="population")
    >>> out.columns
    ['csp', 'crimes', 'population', 'rate', 'rate_lower', 'rate_upper', 'rate_method']
    >>> out["rate"].round(1).to_list(), out["rate_method"].to_list()
    ([48.3, 59.3, 2.5], ['byar', 'byar', 'exact'])

    A bad row is named, or nulled on request:

    >>> bad = pl.DataFrame({"crimes": [10, -1], "population": [1000, 1000]})
    >>> cp.rates(bad, count="crimes", population="population")
    Traceback (most recent call last):
    ...
    crimeperf.exceptions.NegativeCountError: row 1 (crimes=-1, population=1000): count must not be negative, got -1
    >>> cp.rates(bad, count="crimes", population="population", errors="null")["error"].to_list()
    [None, 'count must not be negative, got -1']
    """
    df = _to_polars(frame)
    result = _crimeperf.rates_frame(
        _stream(df, [count, population]),
        count=count,
        population=population,
        per=per,
        confidence=confidence,
        method=method,
        errors=errors,
        frame_columns=df.columns,
    )
    return _attach(df, result)


def proportions(
    frame: Any,
    *,
    numerator: str,
    denominator: str,
    previous_numerator: Optional[str] = None,
    previous_denominator: Optional[str] = None,
    confidence: float = 0.95,
    errors: Errors = "raise",
) -> pl.DataFrame:
    """Proportions (e.g. solved rates) with Wilson intervals, for every row of a frame.

    The frame version of :func:`crimeperf.proportion`, and with the previous columns of
    :func:`crimeperf.proportion_change`.

    Parameters
    ----------
    frame : polars/pandas DataFrame, pyarrow Table, dict, or any ``__arrow_c_stream__`` object
        One row per area (and category, period...).
    numerator : str
        The column of numerators (e.g. solved crimes).
    denominator : str
        The column of denominators (e.g. crimes).
    previous_numerator, previous_denominator : str, optional
        Columns of the previous period; give both to get the change in percentage points.
    confidence : float, default 0.95
        The confidence level of the intervals.
    errors : {"raise", "null"}, default "raise"
        As in :func:`crimeperf.rates`.

    Returns
    -------
    polars.DataFrame
        The input columns, then ``proportion``, ``proportion_lower`` and ``proportion_upper``
        (fractions); with the previous columns also ``proportion_change``,
        ``proportion_change_lower``, ``proportion_change_upper`` (percentage points) and
        ``proportion_change_significance``.

    Raises
    ------
    ColumnNotFoundError, ColumnTypeError, CrimeperfError
        As in :func:`crimeperf.rates`.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> solved = pl.DataFrame({
    ...     "csp": ["Rochford"], "solved": [1098], "crimes": [4208],
    ...     "solved_last_year": [1080], "crimes_last_year": [4445],
    ... })
    >>> out = cp.proportions(
    ...     solved, numerator="solved", denominator="crimes",
    ...     previous_numerator="solved_last_year", previous_denominator="crimes_last_year",
    ... )
    >>> out["proportion"].round(3).to_list(), out["proportion_change"].round(1).to_list()
    ([0.261], [1.8])
    >>> out["proportion_change_significance"].to_list()
    ['no_significant_change']
    """
    df = _to_polars(frame)
    names = [numerator, denominator]
    names += [n for n in (previous_numerator, previous_denominator) if n is not None]
    result = _crimeperf.proportions_frame(
        _stream(df, names),
        numerator=numerator,
        denominator=denominator,
        previous_numerator=previous_numerator,
        previous_denominator=previous_denominator,
        confidence=confidence,
        errors=errors,
        frame_columns=df.columns,
    )
    return _attach(df, result)


def changes(
    frame: Any,
    *,
    current: str,
    previous: str,
    exposure: Union[str, float, None] = None,
    previous_exposure: Union[str, float, None] = None,
    confidence: float = 0.95,
    min_base: int = 50,
    unit: str = "crimes",
    errors: Errors = "raise",
) -> pl.DataFrame:
    """The change between two counts with the exact conditional test, for every row of a frame.

    The frame version of :func:`crimeperf.change`.

    Parameters
    ----------
    frame : polars/pandas DataFrame, pyarrow Table, dict, or any ``__arrow_c_stream__`` object
        One row per area (and category...).
    current : str
        The column of current counts.
    previous : str
        The column of previous counts.
    exposure, previous_exposure : str or float, optional
        Columns (or one value for every row) of the exposures of the two periods; 1 when
        omitted.
    confidence : float, default 0.95
        The confidence level of the intervals and the verdicts.
    min_base : int, default 50
        ``small_base`` is True where either count is below this (ONS publishes no percent
        change when either year has fewer than 50 offences).
    unit : str, default "crimes"
        The plural word for what is counted, used in ``description``.
    errors : {"raise", "null"}, default "raise"
        As in :func:`crimeperf.rates`.

    Returns
    -------
    polars.DataFrame
        The input columns, then ``absolute``, ``percent`` and ``ratio`` (null where the previous
        count is 0), ``ratio_lower``, ``ratio_upper`` (exact interval on the rate ratio),
        ``p_value``, ``significance`` (``"increase"``, ``"reduction"`` or
        ``"no_significant_change"``), ``small_base`` and ``description`` (the committee
        sentence).

    Raises
    ------
    ColumnNotFoundError, ColumnTypeError, CrimeperfError
        As in :func:`crimeperf.rates`.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> burglary = pl.DataFrame({"csp": ["A", "B"], "y2013": [206, 4208], "y2012": [168, 4445]})
    >>> out = cp.changes(burglary, current="y2013", previous="y2012")
    >>> out["description"].to_list()
    ['22.6% increase (38 crimes)', '5.3% reduction (237 crimes)']
    >>> out["significance"].to_list(), out["p_value"].round(4).to_list()
    (['no_significant_change', 'reduction'], [0.0556, 0.0112])
    """
    df = _to_polars(frame)
    names = [current, previous]
    names += [n for n in (exposure, previous_exposure) if isinstance(n, str)]
    result = _crimeperf.changes_frame(
        _stream(df, names),
        current=current,
        previous=previous,
        exposure=exposure,
        previous_exposure=previous_exposure,
        confidence=confidence,
        min_base=min_base,
        unit=unit,
        errors=errors,
        frame_columns=df.columns,
    )
    return _attach(df, result)


def targets(
    frame: Any,
    *,
    baseline: str,
    change_percent: Union[str, float],
    rounding: Rounding = "half_up",
    actual: Optional[str] = None,
    polarity: Polarity = "lower_is_better",
    require_significance: bool = False,
    confidence: float = 0.95,
    errors: Errors = "raise",
) -> pl.DataFrame:
    """Targets from baselines, and optionally RAG status against them, for every row of a frame.

    The frame version of :func:`crimeperf.target` (and of :func:`crimeperf.rag` when ``actual``
    is given).

    Parameters
    ----------
    frame : polars/pandas DataFrame, pyarrow Table, dict, or any ``__arrow_c_stream__`` object
        One row per area and category.
    baseline : str
        The column of baselines.
    change_percent : str or float
        The column of signed percent changes (``-10`` for a 10% reduction), or one value for
        every row.
    rounding : {"half_up", "floor", "ceil", "none"}, default "half_up"
        As in :func:`crimeperf.target`.
    actual : str, optional
        A column of achieved values; adds ``rag`` and ``rag_reason``.
    polarity : {"lower_is_better", "higher_is_better"}, default "lower_is_better"
        Which direction is good.
    require_significance : bool, default False
        As in :func:`crimeperf.rag`.
    confidence : float, default 0.95
        The confidence level of that test.
    errors : {"raise", "null"}, default "raise"
        As in :func:`crimeperf.rates`.

    Returns
    -------
    polars.DataFrame
        The input columns, then ``target``, and with ``actual`` also ``rag`` (``"green"``,
        ``"amber"`` or ``"red"``) and ``rag_reason``.

    Raises
    ------
    ColumnNotFoundError, ColumnTypeError, CrimeperfError
        As in :func:`crimeperf.rates`.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> plan = pl.DataFrame({
    ...     "category": ["Theft from vehicles", "Domestic burglary"],
    ...     "baseline": [325, 170], "reduction": [-10, -5], "actual": [301, 152],
    ... })
    >>> out = cp.targets(plan, baseline="baseline", change_percent="reduction", actual="actual")
    >>> out["target"].to_list(), out["rag"].to_list()
    ([293.0, 162.0], ['amber', 'green'])
    """
    df = _to_polars(frame)
    names = [baseline]
    if isinstance(change_percent, str):
        names.append(change_percent)
    if actual is not None:
        names.append(actual)
    result = _crimeperf.targets_frame(
        _stream(df, names),
        baseline=baseline,
        change_percent=change_percent,
        rounding=rounding,
        actual=actual,
        polarity=polarity,
        require_significance=require_significance,
        confidence=confidence,
        errors=errors,
        frame_columns=df.columns,
    )
    return _attach(df, result)
