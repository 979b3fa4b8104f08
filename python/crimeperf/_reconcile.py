"""Check a published table against its own numbers before quoting it: do the parts add up to the
printed total, does each printed percent change follow from its counts at the printed precision,
is each printed target the stated percentage of its baseline under the stated rounding."""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._exchange import like, to_polars
from crimeperf._options import Rounding
from crimeperf.exceptions import ColumnNotFoundError, ColumnTypeError, InvalidInputError

__all__ = ["reconcile"]

_COLUMNS = {"label": pl.String, "column": pl.String, "check": pl.String, "printed": pl.Float64,
            "recomputed": pl.Float64, "difference": pl.Float64, "note": pl.String}


def _decimals(printed: Any) -> int:
    """The places a value was printed with: from its text when the column is text, else from its
    shortest decimal form (22.6 → 1, 5.0 → 0)."""
    text = printed if isinstance(printed, str) else repr(float(printed))
    text = text.strip().rstrip("%").replace(",", "")
    if "e" in text.lower() or "." not in text:
        return 0
    places = text.split(".", 1)[1]
    return 0 if isinstance(printed, float) and set(places) == {"0"} else len(places)


def _number(value: Any, what: str, label: Any) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, str):
        cleaned = value.strip().rstrip("%").replace(",", "")
        try:
            return float(cleaned)
        except ValueError as err:
            raise ColumnTypeError(f"{what} of {label!r}: {value!r} is not a number") from err
    return float(value)


def _require(frame: pl.DataFrame, names: Sequence[str]) -> None:
    missing = [n for n in names if n not in frame.columns]
    if missing:
        error = ColumnNotFoundError(
            f"reconcile: no column {', '.join(repr(m) for m in missing)}; the table has "
            + ", ".join(repr(c) for c in frame.columns)
        )
        raise error


def reconcile(
    frame: Any,
    *,
    label: str,
    total: Optional[str] = None,
    sum_columns: Sequence[str] = (),
    change: Optional[tuple[str, str, str]] = None,
    target: Optional[tuple[str, Union[str, float], str, Rounding]] = None,
) -> Any:
    """Check a published table against its own numbers, and list every discrepancy.

    Three checks, each asked for by its argument:

    * ``total`` and ``sum_columns``: in each of ``sum_columns``, do the other rows add up to the
      row labelled ``total``?
    * ``change=(previous, current, percent)``: does each printed percent change follow from its
      own two counts, once the recomputed change is rounded to the places it was printed with
      (half away from zero, as ONS prints)?
    * ``target=(baseline, percent, printed_target, rounding)``: is each printed target the stated
      percentage change of its baseline (``percent`` a column or one number for every row)
      under the stated rounding (``"half_up"``, ``"floor"``, ``"ceil"`` or ``"none"``, as
      :func:`target`)? A "50% cut" of 25 is 12.5: half up it is 13, and a printed 12 has
      truncated the half.

    Parameters
    ----------
    frame : polars/pandas DataFrame, pyarrow Table, or any ``__arrow_c_stream__`` object
        The table as transcribed, one row per line of it; numbers may be numbers or text
        ("1,234", "22.6%").
    label : str
        The column naming each row (it names the rows in the result).
    total : str, optional
        The label of the total row.
    sum_columns : list of str
        The columns whose parts must add up to the total row.
    change : (str, str, str), optional
        The previous count, current count and printed percent change columns.
    target : (str, str or float, str, str), optional
        The baseline column, the percentage change (column or number), the printed target
        column and the rounding the plan states.

    Returns
    -------
    frame
        The caller's kind of frame, one row per discrepancy: ``label``, ``column``, ``check``
        (``"sum"``, ``"percent_change"`` or ``"target"``), ``printed``, ``recomputed``,
        ``difference`` (printed minus recomputed) and ``note`` (why a check could not be made,
        e.g. a blank cell; such rows are listed, never skipped). No rows when everything agrees.

    Raises
    ------
    ColumnNotFoundError
        A column named is not in the table.
    ColumnTypeError
        A cell that should be a number is not.
    InvalidInputError
        No row is labelled ``total``, or ``sum_columns`` without ``total``.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> table = pl.DataFrame({
    ...     "category": ["Burglary", "Robbery", "Total"],
    ...     "2023": [168, 40, 208], "2024": [206, 31, 238], "change": ["22.6%", "-25.0%", "14.4%"],
    ... })
    >>> found = cp.reconcile(table, label="category", total="Total", sum_columns=["2023", "2024"],
    ...                      change=("2023", "2024", "change"))
    >>> found.select("label", "column", "check", "printed", "recomputed").rows()
    [('Total', '2024', 'sum', 238.0, 237.0), ('Robbery', 'change', 'percent_change', -25.0, -22.5)]
    """
    df = to_polars(frame)
    _require(df, [label])
    found: list[dict[str, Any]] = []

    if sum_columns and total is None:
        raise InvalidInputError("reconcile: sum_columns needs total=, the label of the total row")
    if total is not None:
        _require(df, list(sum_columns))
        labels = [str(v) for v in df[label].to_list()]
        if total not in labels:
            raise InvalidInputError(
                f"reconcile: no row labelled {total!r} in column {label!r}; the labels are "
                + ", ".join(repr(x) for x in labels[:12])
            )
        at = labels.index(total)
        for column in sum_columns:
            values = df[column].to_list()
            printed = _number(values[at], column, total)
            parts = [_number(v, column, labels[i]) for i, v in enumerate(values) if i != at]
            blanks = [labels[i] for i, v in enumerate(values) if i != at and v is None]
            if printed is None or blanks:
                found.append({"label": total, "column": column, "check": "sum",
                              "printed": printed, "recomputed": None, "difference": None,
                              "note": "blank cells: " + ", ".join(blanks or [total])})
                continue
            recomputed = math.fsum(p for p in parts if p is not None)
            if not math.isclose(printed, recomputed, rel_tol=1e-12, abs_tol=1e-9):
                found.append({"label": total, "column": column, "check": "sum",
                              "printed": printed, "recomputed": recomputed,
                              "difference": printed - recomputed, "note": None})

    if change is not None:
        previous, current, percent = change
        _require(df, [previous, current, percent])
        for row in df.select(label, previous, current, percent).iter_rows():
            name, before, after, printed_text = row
            before_n, after_n = _number(before, previous, name), _number(after, current, name)
            printed = _number(printed_text, percent, name)
            if printed is None or before_n is None or after_n is None:
                if printed is not None or (before_n, after_n) != (None, None):
                    found.append({"label": str(name), "column": percent, "check": "percent_change",
                                  "printed": printed, "recomputed": None, "difference": None,
                                  "note": "a blank count or percent"})
                continue
            if before_n == 0:
                found.append({"label": str(name), "column": percent, "check": "percent_change",
                              "printed": printed, "recomputed": None, "difference": None,
                              "note": "no percent change from a previous count of 0"})
                continue
            recomputed = (after_n - before_n) * 100.0 / before_n
            places = _decimals(printed_text)
            shown = float(_crimeperf.format_fixed(recomputed, places))
            if _crimeperf.format_fixed(printed, places) != _crimeperf.format_fixed(shown, places):
                found.append({"label": str(name), "column": percent, "check": "percent_change",
                              "printed": printed, "recomputed": shown,
                              "difference": printed - shown, "note": None})

    if target is not None:
        from crimeperf._scalars import target as target_of

        baseline, change_percent, printed_target, rounding = target
        _require(df, [baseline, printed_target]
                 + ([change_percent] if isinstance(change_percent, str) else []))
        for row in df.iter_rows(named=True):
            name = row[label]
            base = _number(row[baseline], baseline, name)
            pct = (_number(row[change_percent], change_percent, name)
                   if isinstance(change_percent, str) else float(change_percent))
            printed = _number(row[printed_target], printed_target, name)
            if base is None or pct is None or printed is None:
                if (base, pct, printed) != (None, None, None):
                    found.append({"label": str(name), "column": printed_target, "check": "target",
                                  "printed": printed, "recomputed": None, "difference": None,
                                  "note": "a blank baseline, percentage or target"})
                continue
            recomputed = float(target_of(base, pct, rounding=rounding))
            if not math.isclose(printed, recomputed, rel_tol=1e-12, abs_tol=1e-9):
                found.append({"label": str(name), "column": printed_target, "check": "target",
                              "printed": printed, "recomputed": recomputed,
                              "difference": printed - recomputed, "note": None})

    return like(pl.DataFrame(found, schema=_COLUMNS), frame)
