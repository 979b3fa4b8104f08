"""The statistics on whole frames: the same kernels as the scalar functions, on every row.

A frame may be a polars DataFrame or LazyFrame (polars 1.x or 2.x; a LazyFrame is collected), a
pandas DataFrame (read through pyarrow), a pyarrow Table, a dict of columns, or any object with
the Arrow PyCapsule interface (``__arrow_c_stream__``). The result is the caller's kind of frame
with the input columns, then the result columns: pandas in, pandas out (its index kept); pyarrow
in, pyarrow out; polars, a dict or another Arrow object in, polars out. An input column with a
result column's name is a :class:`~crimeperf.ColumnExistsError` unless ``overwrite=True`` (to
repeat a call on its own output).

The needed columns cross into the compiled extension through the Arrow C stream interface, so
no polars version is baked into crimeperf.
"""

from __future__ import annotations

from typing import Any, Optional, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._exchange import kind_of, like, stream, to_polars
from crimeperf._options import Errors, Polarity, RateMethod, Rounding
from crimeperf.exceptions import ColumnExistsError

__all__ = ["rates", "proportions", "changes", "targets"]


def _attach(frame: Any, df: pl.DataFrame, result: _crimeperf.ArrowStream, overwrite: bool) -> Any:
    """The caller's ``frame`` with the result columns appended, in its own kind of frame.

    An input column with a result column's name is an error unless ``overwrite`` is true: a
    result never silently replaces the caller's data.
    """
    columns = pl.DataFrame(result)
    clashing = [name for name in columns.columns if name in df.columns]
    if clashing and not overwrite:
        quoted = ", ".join(f'"{name}"' for name in clashing)
        them = "it" if len(clashing) == 1 else "them"
        error = ColumnExistsError(
            f"the frame already has {'a column' if len(clashing) == 1 else 'columns'} {quoted}, "
            f"which the result would replace; rename {them}, "
            f"or pass overwrite=True to replace {them}"
        )
        error.columns = clashing
        raise error
    kind = kind_of(frame)
    if kind == "pandas":
        # The caller's own frame, index and column types kept; the result columns added.
        out = frame.copy(deep=False)
        for series in columns.get_columns():
            values = series.to_pandas()
            values.index = out.index
            out[series.name] = values
        return out
    if kind == "pyarrow" and type(frame).__name__ == "Table":
        table = frame
        for name, column in zip(columns.columns, columns.to_arrow().columns):
            if name in table.column_names:
                table = table.set_column(table.column_names.index(name), name, column)
            else:
                table = table.append_column(name, column)
        return table
    return like(df.with_columns(columns.get_columns()), frame)


def rates(
    frame: Any,
    *,
    count: str,
    population: str,
    per: float = 1000,
    confidence: float = 0.95,
    method: RateMethod = "auto",
    errors: Errors = "raise",
    overwrite: bool = False,
) -> Any:
    """Rates per ``per`` people with confidence intervals, for every row of a frame.

    The frame version of :func:`crimeperf.rate`.

    Parameters
    ----------
    frame : polars/pandas DataFrame, LazyFrame, pyarrow Table, dict, or ``__arrow_c_stream__``
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
    overwrite : bool, default False
        Replace input columns that have a result column's name (e.g. to repeat a call on its own
        output); without it, such a column is a :class:`~crimeperf.ColumnExistsError`.

    Returns
    -------
    DataFrame
        The caller's kind of frame (see the module) with the input columns, then ``rate``, ``rate_lower``, ``rate_upper`` and ``rate_method``
        (``"exact"`` or ``"byar"``).

    Raises
    ------
    ColumnNotFoundError
        ``count`` or ``population`` is not a column.
    ColumnTypeError
        A column is not numeric.
    ColumnExistsError
        The frame has a column named like a result column (without ``overwrite=True``).
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

    A pandas frame comes back as pandas, with its own index and columns:

    >>> import pandas as pd
    >>> table = pd.DataFrame({"crimes": [4208], "population": [87_200]}, index=["Rochford"])
    >>> out = cp.rates(table, count="crimes", population="population")
    >>> isinstance(out, pd.DataFrame), round(float(out.loc["Rochford", "rate"]), 1)
    (True, 48.3)

    A result column never silently replaces one of yours:

    >>> cp.rates(out, count="crimes", population="population")
    Traceback (most recent call last):
    ...
    crimeperf.exceptions.ColumnExistsError: the frame already has columns "rate", "rate_lower", "rate_upper", "rate_method", which the result would replace; rename them, or pass overwrite=True to replace them
    """
    df = to_polars(frame)
    result = _crimeperf.rates_frame(
        stream(df, [count, population]),
        count=count,
        population=population,
        per=per,
        confidence=confidence,
        method=method,
        errors=errors,
        frame_columns=df.columns,
    )
    return _attach(frame, df, result, overwrite)


def standardised_ratios(
    frame: Any,
    *,
    observed: str,
    expected: str,
    per: float = 100,
    confidence: float = 0.95,
    errors: Errors = "raise",
    overwrite: bool = False,
) -> Any:
    """Indirectly standardised ratios (observed over expected, times ``per``) with their
    intervals, for every row of a frame: the frame version of
    :func:`crimeperf.standardised_ratio`, on the same kernel as :func:`rates` (the expected
    count is the denominator, so a bad one is reported as a bad population).

    Parameters
    ----------
    frame : polars/pandas DataFrame, LazyFrame, pyarrow Table, dict, or ``__arrow_c_stream__``
        One row per area (or offender cohort, period...).
    observed, expected : str
        The columns of observed and expected counts.
    per : float, default 100
        The multiplier (100 means as expected).
    confidence : float, default 0.95
        The confidence level.
    errors : {"raise", "null"}, default "raise"
        As in :func:`rates`.
    overwrite : bool, default False
        Replace input columns named like a result column.

    Returns
    -------
    DataFrame
        The caller's kind of frame with ``ratio``, ``ratio_lower``, ``ratio_upper`` and
        ``ratio_method`` (``"exact"`` below 10 observed, else ``"byar"``).

    Raises
    ------
    ColumnNotFoundError, ColumnTypeError, ColumnExistsError, CrimeperfError
        As in :func:`rates`.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> cohorts = pl.DataFrame({"area": ["big", "small", "tiny"], "observed": [895, 91, 9],
    ...                         "expected": [835.8835612311743] * 3})
    >>> cp.standardised_ratios(cohorts, observed="observed", expected="expected")["ratio"].round(2).to_list()
    [107.07, 10.89, 1.08]
    """
    df = to_polars(frame)
    result = pl.DataFrame(_crimeperf.rates_frame(
        stream(df, [observed, expected]),
        count=observed,
        population=expected,
        per=per,
        confidence=confidence,
        method="auto",
        errors=errors,
        frame_columns=df.columns,
    )).rename({"rate": "ratio", "rate_lower": "ratio_lower", "rate_upper": "ratio_upper",
               "rate_method": "ratio_method"})
    return _attach(frame, df, result, overwrite)


def proportions(
    frame: Any,
    *,
    numerator: str,
    denominator: str,
    previous_numerator: Optional[str] = None,
    previous_denominator: Optional[str] = None,
    confidence: float = 0.95,
    errors: Errors = "raise",
    overwrite: bool = False,
) -> Any:
    """Proportions (e.g. solved rates) with Wilson intervals, for every row of a frame.

    The frame version of :func:`crimeperf.proportion`, and with the previous columns of
    :func:`crimeperf.proportion_change`.

    Parameters
    ----------
    frame : polars/pandas DataFrame, LazyFrame, pyarrow Table, dict, or ``__arrow_c_stream__``
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
    overwrite : bool, default False
        As in :func:`crimeperf.rates`.

    Returns
    -------
    DataFrame
        The caller's kind of frame (see the module) with the input columns, then ``proportion``, ``proportion_lower`` and ``proportion_upper``
        (fractions); with the previous columns also ``proportion_change``,
        ``proportion_change_lower``, ``proportion_change_upper`` (percentage points) and
        ``proportion_change_significance``.

    Raises
    ------
    ColumnNotFoundError, ColumnTypeError, ColumnExistsError, CrimeperfError
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
    df = to_polars(frame)
    names = [numerator, denominator]
    names += [n for n in (previous_numerator, previous_denominator) if n is not None]
    result = _crimeperf.proportions_frame(
        stream(df, names),
        numerator=numerator,
        denominator=denominator,
        previous_numerator=previous_numerator,
        previous_denominator=previous_denominator,
        confidence=confidence,
        errors=errors,
        frame_columns=df.columns,
    )
    return _attach(frame, df, result, overwrite)


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
    overwrite: bool = False,
) -> Any:
    """The change between two counts with the exact conditional test, for every row of a frame.

    The frame version of :func:`crimeperf.change`.

    Parameters
    ----------
    frame : polars/pandas DataFrame, LazyFrame, pyarrow Table, dict, or ``__arrow_c_stream__``
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
    overwrite : bool, default False
        As in :func:`crimeperf.rates`.

    Returns
    -------
    DataFrame
        The caller's kind of frame (see the module) with the input columns, then ``absolute``, ``percent`` and ``ratio`` (null where the previous
        count is 0), ``ratio_lower``, ``ratio_upper`` (exact interval on the rate ratio),
        ``p_value``, ``significance`` (``"increase"``, ``"reduction"`` or
        ``"no_significant_change"``), ``small_base`` and ``description`` (the committee
        sentence).

    Raises
    ------
    ColumnNotFoundError, ColumnTypeError, ColumnExistsError, CrimeperfError
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
    df = to_polars(frame)
    names = [current, previous]
    names += [n for n in (exposure, previous_exposure) if isinstance(n, str)]
    result = _crimeperf.changes_frame(
        stream(df, names),
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
    return _attach(frame, df, result, overwrite)


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
    overwrite: bool = False,
) -> Any:
    """Targets from baselines, and optionally RAG status against them, for every row of a frame.

    The frame version of :func:`crimeperf.target` (and of :func:`crimeperf.rag` when ``actual``
    is given).

    Parameters
    ----------
    frame : polars/pandas DataFrame, LazyFrame, pyarrow Table, dict, or ``__arrow_c_stream__``
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
    overwrite : bool, default False
        As in :func:`crimeperf.rates`.

    Returns
    -------
    DataFrame
        The caller's kind of frame (see the module) with the input columns, then ``target``, and with ``actual`` also ``rag`` (``"green"``,
        ``"amber"`` or ``"red"``) and ``rag_reason``.

    Raises
    ------
    ColumnNotFoundError, ColumnTypeError, ColumnExistsError, CrimeperfError
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
    df = to_polars(frame)
    names = [baseline]
    if isinstance(change_percent, str):
        names.append(change_percent)
    if actual is not None:
        names.append(actual)
    result = _crimeperf.targets_frame(
        stream(df, names),
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
    return _attach(frame, df, result, overwrite)
