"""Every error path: the exception class, its built-in base, and what the message names."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

import polars as pl
import pytest

import crimeperf as cp
from crimeperf import _crimeperf

#: The options the compiled functions take explicitly (the Python API passes its defaults).
RATE_OPTIONS: dict[str, Any] = {
    "per": 1000.0, "confidence": 0.95, "method": "auto", "errors": "raise",
}

# --- the hierarchy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "builtin"),
    [
        ("InvalidInputError", ValueError),
        ("NegativeCountError", ValueError),
        ("CountTooLargeError", ValueError),
        ("CountOverflowError", ValueError),
        ("InvalidDenominatorError", ValueError),
        ("NumeratorAboveDenominatorError", ValueError),
        ("InvalidConfidenceError", ValueError),
        ("UnknownOptionError", ValueError),
        ("MissingValueError", ValueError),
        ("ColumnNotFoundError", KeyError),
        ("ColumnTypeError", TypeError),
        ("ColumnExistsError", ValueError),
        ("ArgumentTypeError", TypeError),
        ("UnsupportedFrameError", TypeError),
    ],
)
def test_hierarchy(name: str, builtin: type) -> None:
    cls = getattr(cp, name)
    assert issubclass(cls, cp.CrimeperfError)
    assert issubclass(cls, builtin)
    assert cls.__module__ == "crimeperf.exceptions"


# --- scalar functions --------------------------------------------------------------------------

SCALAR_ERRORS: list[tuple[Callable[[], Any], type, str]] = [
    (lambda: cp.rate(-1, 1000), cp.NegativeCountError, "count must not be negative, got -1"),
    (
        lambda: cp.rate(12, 0),
        cp.InvalidDenominatorError,
        "population must be a finite number above zero, got 0",
    ),
    (
        lambda: cp.rate(12, float("nan")),
        cp.InvalidDenominatorError,
        "population must be a finite number above zero, got NaN",
    ),
    (
        lambda: cp.rate(12, float("inf")),
        cp.InvalidDenominatorError,
        "population must be a finite number above zero, got inf",
    ),
    (
        lambda: cp.rate(12, 1000, confidence=95),
        cp.InvalidConfidenceError,
        "confidence must be strictly between 0 and 1",
    ),
    (lambda: cp.rate(12, 1000, method="wald"), cp.UnknownOptionError, 'unknown rate method "wald"'),
    (lambda: cp.rate(12, 1000, per=0), cp.InvalidInputError, "per must be a finite number"),
    (
        lambda: cp.rate(2_000_000_000, 1000),
        cp.CountTooLargeError,
        "larger than the largest count accepted",
    ),
    (lambda: cp.proportion(-1, 10), cp.NegativeCountError, "must not be negative"),
    (
        lambda: cp.proportion(11, 10),
        cp.NumeratorAboveDenominatorError,
        "the numerator 11 is larger than the denominator 10",
    ),
    (lambda: cp.proportion(0, 0), cp.InvalidDenominatorError, "above zero, got 0"),
    (
        lambda: cp.proportion(1, 10, confidence=1.0),
        cp.InvalidConfidenceError,
        "got 1",
    ),
    (
        lambda: cp.proportion_change(5, 10, 11, 10),
        cp.NumeratorAboveDenominatorError,
        "the numerator 11",
    ),
    (lambda: cp.change(-5, 10), cp.NegativeCountError, "current count must not be negative"),
    (lambda: cp.change(5, -10), cp.NegativeCountError, "previous count must not be negative"),
    (
        lambda: cp.change(5, 10, exposure=0),
        cp.InvalidDenominatorError,
        "exposure must be a finite number above zero, got 0",
    ),
    (
        lambda: cp.change(5, 10, previous_exposure=-1),
        cp.InvalidDenominatorError,
        "previous exposure must be a finite number above zero, got -1",
    ),
    (lambda: cp.change(5, 10, min_base=-1), cp.InvalidInputError, "min_base"),
    (lambda: cp.change(5, 10, confidence=0), cp.InvalidConfidenceError, "got 0"),
    (lambda: cp.target(-1, -10), cp.InvalidInputError, "baseline"),
    (lambda: cp.target(100, float("nan")), cp.InvalidInputError, "change_percent"),
    (lambda: cp.target(100, -101), cp.InvalidInputError, "must not be below -100"),
    (lambda: cp.target(100, -10, rounding="bankers"), cp.UnknownOptionError, "rounding"),
    (lambda: cp.rag(-1, 10, 10), cp.InvalidInputError, "baseline"),
    (lambda: cp.rag(10, 10, 10, polarity="sideways"), cp.UnknownOptionError, "polarity"),
    (
        lambda: cp.rag(10.5, 10, 10, require_significance=True),
        cp.InvalidInputError,
        "must be a whole number of crimes",
    ),
    (
        lambda: cp.rag(10, 10, 10, require_significance=True, confidence=2),
        cp.InvalidConfidenceError,
        "got 2",
    ),
]


@pytest.mark.parametrize(("call", "cls", "message"), SCALAR_ERRORS)
def test_scalar_errors(call: Callable[[], Any], cls: type, message: str) -> None:
    with pytest.raises(cls) as info:
        call()
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)
    assert info.value.row is None


WRONG_TYPES: list[tuple[Callable[[], Any], str]] = [
    (lambda: cp.rate(10, None), "population must be a number, got NoneType"),
    (lambda: cp.rate("10", 1000), "count must be a whole number, got str"),
    (lambda: cp.rate(True, 1000), "count must be a whole number, got bool"),
    (lambda: cp.change(None, 1), "current must be a whole number, got NoneType"),
    (lambda: cp.proportion(3, [4]), "denominator must be a whole number, got list"),
    (lambda: cp.rate(10, 1000, confidence="0.95"), "confidence must be a number, got str"),
    (lambda: cp.rate(10, 1000, method=3), "method must be a str, got int"),
    (lambda: cp.change(5, 3, unit=None), "unit must be a str, got NoneType"),
    (lambda: cp.target(325, "-10"), "change_percent must be a number, got str"),
    (lambda: cp.rag(1, 2, 3, require_significance=1), "require_significance must be True or False"),
]


@pytest.mark.parametrize(("call", "message"), WRONG_TYPES)
def test_wrong_python_types_are_crimeperf_type_errors(
    call: Callable[[], Any], message: str
) -> None:
    # One except clause catches every crimeperf error; TypeError still catches these.
    with pytest.raises(cp.ArgumentTypeError) as info:
        call()
    assert isinstance(info.value, cp.CrimeperfError) and isinstance(info.value, TypeError)
    assert str(info.value).startswith(message)


RECORDS = pl.DataFrame({
    "csp_name": ["Rochford"],
    "month": [date(2025, 1, 1)],
    "is_asb": [False],
    "falls_within": ["Essex Police"],
    "outside_force": [False],
    "last_outcome": ["Suspect charged"],
})

FRAME_WRONG_TYPES: list[tuple[Callable[[], Any], str]] = [
    (lambda: cp.rates(DF, count=5, population="pop"), "count must be a str, got int"),
    (lambda: cp.rates(DF, count="crimes", population="pop", confidence="high"),
     "confidence must be a number, got str"),
    (lambda: cp.changes(DF, current="crimes", previous="last", exposure=[1]),
     "exposure must be a column name or a number, got list"),
    (lambda: cp.changes(DF, current="crimes", previous="last", min_base=None),
     "min_base must be a whole number, got NoneType"),
    (lambda: cp.proportions(DF, numerator="last", denominator="crimes", previous_numerator=1,
                            previous_denominator="crimes"),
     "previous_numerator must be a str, got int"),
    (lambda: cp.targets(DF, baseline="crimes", change_percent=None),
     "change_percent must be a column name or a number, got NoneType"),
    (lambda: cp.targets(DF, baseline="crimes", change_percent=-5, errors=None),
     "errors must be a str, got NoneType"),
    # The data functions read their options the same way.
    (lambda: cp.count_crimes(RECORDS, by="csp_name", period=3), "period must be a str, got int"),
    (lambda: cp.count_crimes(RECORDS, by="csp_name", allow_many_groups="yes"),
     "allow_many_groups must be True or False, got str"),
    (lambda: cp.solved_rates(RECORDS, by="csp_name", confidence="high"),
     "confidence must be a number, got str"),
    (lambda: cp.read_police_uk(".", threads="two"), "threads must be a whole number, got str"),
]


@pytest.mark.parametrize(("call", "message"), FRAME_WRONG_TYPES)
def test_wrong_python_types_in_frame_calls_are_crimeperf_type_errors(
    call: Callable[[], Any], message: str
) -> None:
    with pytest.raises(cp.ArgumentTypeError) as info:
        call()
    assert isinstance(info.value, TypeError)
    assert str(info.value).startswith(message)


def test_whole_floats_are_counts_as_in_frames() -> None:
    assert cp.change(10.0, 3) == cp.change(10, 3)
    assert cp.rate(206.0, 1000) == cp.rate(206, 1000)
    assert cp.proportion(3.0, 4.0) == cp.proportion(3, 4)
    with pytest.raises(cp.InvalidInputError, match="count must be a whole number, got 10.5"):
        cp.rate(10.5, 1000)
    with pytest.raises(cp.InvalidInputError, match="previous must be a whole number, got NaN"):
        cp.change(1, float("nan"))
    with pytest.raises(cp.InvalidInputError, match="current is too large for a count"):
        cp.change(2**70, 1)


# --- frames: columns ---------------------------------------------------------------------------

DF = pl.DataFrame(
    {"area": ["a", "b"], "crimes": [5, 6], "last": [4, 8], "pop": [100.0, 200.0]}
)


def test_missing_column_is_named() -> None:
    with pytest.raises(cp.ColumnNotFoundError) as info:
        cp.rates(DF, count="crime", population="pop")
    assert str(info.value) == (
        'column "crime" not found in the frame; it has: "area", "crimes", "last", "pop" '
        "(did you mean 'crimes'?)"
    )
    assert info.value.columns == ["crime"]
    assert isinstance(info.value, KeyError)


def test_every_missing_column_is_named() -> None:
    with pytest.raises(cp.ColumnNotFoundError) as info:
        cp.changes(DF, current="now", previous="then", exposure="e")
    assert info.value.columns == ["now", "then", "e"]
    assert str(info.value).startswith('columns "now", "then", "e" not found')


@pytest.mark.parametrize(
    "call",
    [
        lambda: cp.proportions(DF, numerator="x", denominator="crimes"),
        lambda: cp.proportions(
            DF, numerator="crimes", denominator="last", previous_numerator="x",
            previous_denominator="last",
        ),
        lambda: cp.changes(DF, current="crimes", previous="last", previous_exposure="x"),
        lambda: cp.targets(DF, baseline="x", change_percent=-5),
        lambda: cp.targets(DF, baseline="crimes", change_percent="x"),
        lambda: cp.targets(DF, baseline="crimes", change_percent=-5, actual="x"),
    ],
)
def test_missing_columns_in_every_frame_function(call: Callable[[], Any]) -> None:
    with pytest.raises(cp.ColumnNotFoundError) as info:
        call()
    assert info.value.columns == ["x"]


def test_text_column_is_a_type_error() -> None:
    with pytest.raises(cp.ColumnTypeError) as info:
        cp.rates(DF, count="area", population="pop")
    assert str(info.value) == 'column "area" has type String, but numbers are needed'
    assert isinstance(info.value, TypeError)
    bools = DF.with_columns(flag=pl.lit(True))
    with pytest.raises(cp.ColumnTypeError, match="Boolean"):
        cp.changes(bools, current="flag", previous="last")


def test_object_columns_never_cross_the_boundary() -> None:
    df = DF.with_columns(obj=pl.Series([object(), object()], dtype=pl.Object))
    with pytest.raises(cp.ColumnTypeError, match='column "obj" has type Object') as info:
        cp.rates(df, count="obj", population="pop")
    assert info.value.columns == ["obj"]
    # An object column that is not used is not exported at all.
    assert cp.rates(df, count="crimes", population="pop").height == 2
    with pytest.raises(cp.ColumnNotFoundError, match='"obj"'):
        cp.rates(df, count="crime", population="pop")


# --- frames: rows ------------------------------------------------------------------------------


RATES = ("rates", {"count": "c", "population": "p"})
CHANGES = ("changes", {"current": "c", "previous": "p"})


@pytest.mark.parametrize(
    ("data", "call", "cls", "message"),
    [
        (
            {"c": [1, 2, -3], "p": [10.0, 10.0, 10.0]},
            RATES,
            cp.NegativeCountError,
            "row 2 (c=-3, p=10.0): count must not be negative, got -3",
        ),
        (
            {"c": [1, 2], "p": [10.0, 0.0]},
            RATES,
            cp.InvalidDenominatorError,
            "row 1 (c=2, p=0.0): population must be a finite number above zero, got 0",
        ),
        (
            {"c": [1, None], "p": [10, 10]},
            RATES,
            cp.MissingValueError,
            'row 1 (c=null, p=10): the value in column "c" is missing (null)',
        ),
        (
            {"c": [1.5], "p": [10]},
            CHANGES,
            cp.InvalidInputError,
            "row 0 (c=1.5, p=10): c must be a whole number, got 1.5",
        ),
        (
            {"c": [5], "d": [4]},
            ("proportions", {"numerator": "c", "denominator": "d"}),
            cp.NumeratorAboveDenominatorError,
            "row 0 (c=5, d=4): proportion: the numerator 5 is larger than the denominator 4",
        ),
        (
            {"b": [100.0, -1.0], "pct": [-5.0, -5.0]},
            ("targets", {"baseline": "b", "change_percent": "pct"}),
            cp.InvalidInputError,
            "row 1 (b=-1.0, pct=-5.0): baseline must be a finite number of zero or more",
        ),
        (
            {"c": [5], "p": [4], "e": [0.0]},
            ("changes", {"current": "c", "previous": "p", "exposure": "e"}),
            cp.InvalidDenominatorError,
            "row 0 (c=5, p=4, e=0.0): exposure must be a finite number above zero, got 0",
        ),
        (
            {"c": [2_000_000_000], "p": [4]},
            CHANGES,
            cp.CountTooLargeError,
            "row 0 (c=2000000000, p=4): current count 2000000000 is larger than the largest",
        ),
    ],
)
def test_first_bad_row_is_named_with_its_values(
    data: dict[str, Any], call: tuple[str, dict[str, Any]], cls: type, message: str
) -> None:
    df = pl.DataFrame(data)
    function = getattr(cp, call[0])
    with pytest.raises(cls) as info:
        function(df, **call[1])
    assert str(info.value).startswith(message)
    row = int(message.split()[1])
    assert info.value.row == row
    assert info.value.values == {k: v[row] for k, v in data.items()}
    # With errors="null" the same row gets nulls and the reason, without the row prefix.
    out = function(df, errors="null", **call[1])
    assert out["error"][row] == message.split(": ", 1)[1] or str(info.value).endswith(
        out["error"][row]
    )
    assert out.height == df.height


def test_unsigned_count_beyond_int64() -> None:
    df = pl.DataFrame({"c": [2**64 - 1], "p": [1]}, schema={"c": pl.UInt64, "p": pl.UInt64})
    with pytest.raises(cp.CountTooLargeError, match="c is too large for a count"):
        cp.changes(df, current="c", previous="p")


# --- frames: options and objects ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "cls", "message"),
    [
        (
            lambda: cp.rates(DF, count="crimes", population="pop", errors="ignore"),  # type: ignore[arg-type]
            cp.UnknownOptionError,
            'unknown errors option "ignore"; expected one of: raise, null',
        ),
        (
            lambda: cp.rates(DF, count="crimes", population="pop", method="x"),
            cp.UnknownOptionError,
            "rate method",
        ),
        (
            lambda: cp.rates(DF, count="crimes", population="pop", confidence=95),
            cp.InvalidConfidenceError,
            "confidence",
        ),
        (
            lambda: cp.changes(DF, current="crimes", previous="last", min_base=-1),
            cp.InvalidInputError,
            "min_base",
        ),
        (
            lambda: cp.targets(DF, baseline="crimes", change_percent=-5, rounding="x"),
            cp.UnknownOptionError,
            "rounding",
        ),
        (
            lambda: cp.targets(
                DF, baseline="crimes", change_percent=-5, actual="last", polarity="x"
            ),
            cp.UnknownOptionError,
            "polarity",
        ),
        (
            lambda: cp.proportions(
                DF, numerator="crimes", denominator="last", previous_numerator="crimes"
            ),
            cp.UnknownOptionError,
            "both previous_numerator and previous_denominator, or neither",
        ),
    ],
)
def test_bad_options(call: Callable[[], Any], cls: type, message: str) -> None:
    with pytest.raises(cls, match=None) as info:
        call()
    assert message in str(info.value)


@pytest.mark.parametrize("frame", [[1, 2, 3], "crimes.csv", 42, None, object()])
def test_unsupported_frames(frame: Any) -> None:
    with pytest.raises(cp.UnsupportedFrameError, match="expected a polars, pandas or pyarrow"):
        cp.rates(frame, count="c", population="p")


def test_extension_rejects_non_streams() -> None:
    with pytest.raises(cp.UnsupportedFrameError, match="Arrow PyCapsule interface"):
        _crimeperf.rates_frame(object(), count="c", population="p", **RATE_OPTIONS)

    class NotACapsule:
        def __arrow_c_stream__(self, requested_schema: object = None) -> object:
            return "not a capsule"

    with pytest.raises(cp.UnsupportedFrameError, match="did not return a capsule"):
        _crimeperf.rates_frame(
            NotACapsule(), count="c", population="p", **RATE_OPTIONS
        )

    series = pl.Series("c", [1, 2])
    if hasattr(series, "__arrow_c_stream__"):
        with pytest.raises(cp.UnsupportedFrameError, match="expected a table"):
            _crimeperf.rates_frame(series, count="c", population="p", **RATE_OPTIONS)


def test_a_consumed_capsule_is_not_read_twice() -> None:
    capsule = DF.__arrow_c_stream__(None) if hasattr(DF, "__arrow_c_stream__") else None
    if capsule is None:
        pytest.skip("this polars has no __arrow_c_stream__")
    _crimeperf.rates_frame(capsule, count="crimes", population="pop", **RATE_OPTIONS)
    with pytest.raises(cp.UnsupportedFrameError, match="already released"):
        _crimeperf.rates_frame(capsule, count="crimes", population="pop", **RATE_OPTIONS)
