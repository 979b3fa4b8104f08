"""The exceptions crimeperf raises.

Every exception is a :class:`CrimeperfError`. Those about bad values (a negative count, a zero
population, an unknown option) are also :class:`ValueError`, a missing column is also a
:class:`KeyError`, and an argument or column of the wrong type (``None`` or text where a count
is needed) is also a :class:`TypeError`, so code that catches the built-in classes keeps
working.

Errors about one row of a frame carry the row's position (from 0) in ``row`` and its input
values in ``values``; errors about columns carry their names in ``columns``.

Examples
--------
>>> import crimeperf as cp
>>> try:
...     cp.rate(-1, 5000)
... except ValueError as err:
...     print(type(err).__name__, "-", err)
NegativeCountError - count must not be negative, got -1
>>> try:
...     cp.rate(10, None)
... except TypeError as err:
...     print(type(err).__name__, "-", err)
ArgumentTypeError - population must be a number, got NoneType
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = [
    "CrimeperfError",
    "InvalidInputError",
    "NegativeCountError",
    "CountTooLargeError",
    "CountOverflowError",
    "InvalidDenominatorError",
    "NumeratorAboveDenominatorError",
    "InvalidConfidenceError",
    "UnknownOptionError",
    "MissingValueError",
    "UnknownAreaError",
    "ColumnNotFoundError",
    "ColumnTypeError",
    "ColumnExistsError",
    "ArgumentTypeError",
    "UnsupportedFrameError",
    "TooManyGroupsError",
    "UnequalCoverageError",
    "ExcludedRowsWarning",
    "DataFileError",
    "DataFileNotFoundError",
    "DataFormatError",
]


class CrimeperfError(Exception):
    """Base class of every error raised by crimeperf.

    Attributes
    ----------
    row : int or None
        For an error about one row of a frame, its position (from 0); otherwise None.
    values : dict or None
        For an error about one row of a frame, that row's input values by column.
    columns : list of str or None
        For an error about columns, their names.
    """

    row: Optional[int] = None
    values: Optional[dict[str, Any]] = None
    columns: Optional[list[str]] = None


class InvalidInputError(CrimeperfError, ValueError):
    """A value is outside what the statistic accepts (also a :class:`ValueError`)."""


class NegativeCountError(InvalidInputError):
    """A count (crimes, incidents, solved crimes) is negative."""


class CountTooLargeError(InvalidInputError):
    """A count is larger than the largest accepted (one billion: more than any real area records)."""


class CountOverflowError(InvalidInputError):
    """Two counts are too large to be added together in 64 bits."""


class InvalidDenominatorError(InvalidInputError):
    """A population, exposure or denominator is zero, negative, NaN or infinite."""


class NumeratorAboveDenominatorError(InvalidInputError):
    """A numerator is larger than its denominator (e.g. more solved crimes than crimes)."""


class InvalidConfidenceError(InvalidInputError):
    """A confidence level is not strictly between 0 and 1 (give 0.95, not 95)."""


class UnknownOptionError(InvalidInputError):
    """An option label (method, rounding, polarity, errors) is not one of those accepted."""


class MissingValueError(InvalidInputError):
    """A value a statistic needs is null in the frame."""


class UnknownAreaError(InvalidInputError):
    """An area is not where it must be: it has no bundled population or households
    (:func:`crimeperf.add_population`; ``row`` and ``values`` describe the first row at fault,
    ``areas`` lists every area without), or a member of a most similar group has no row, or a
    null count or population, in the frame :func:`crimeperf.peer_compare` ranks (the message
    names the member, its group and the ``by`` value).
    """

    areas: Optional[list[Optional[str]]] = None


class ColumnNotFoundError(CrimeperfError, KeyError):
    """A column named in a frame call is not in the frame (also a :class:`KeyError`)."""

    def __str__(self) -> str:
        # KeyError would print the repr of the message; print the message itself.
        return str(self.args[0]) if self.args else ""


class ColumnTypeError(CrimeperfError, TypeError):
    """A column has a type the statistic cannot use, e.g. text where counts are needed."""


class ColumnExistsError(CrimeperfError, ValueError):
    """A result column would replace an input column of the same name (also a
    :class:`ValueError`); pass ``overwrite=True`` to replace it. ``columns`` names them."""


class ArgumentTypeError(CrimeperfError, TypeError):
    """An argument has the wrong type: ``None`` or text where a number is needed, a number where
    an option label is needed (also a :class:`TypeError`)."""


class UnsupportedFrameError(CrimeperfError, TypeError):
    """The object is not a DataFrame or table crimeperf can read."""


class TooManyGroupsError(InvalidInputError):
    """Counting by these columns would give more combinations (zeros included) than the limit,
    or a column has nearly one value per row (``allow_many_groups=True`` counts by it anyway)."""


class UnequalCoverageError(InvalidInputError):
    """Two periods compared were not read for the same number of months (e.g. a whole year
    against the three months of a year read so far)."""


class ExcludedRowsWarning(UserWarning):
    """Rows of the records were left out of a count; the message says how many and why."""


class DataFileError(CrimeperfError, OSError):
    """A data file, folder or zip archive cannot be read (also an :class:`OSError`).

    ``filename`` is the path at fault.
    """

    def __str__(self) -> str:
        # OSError would print "[Errno None] None: <filename>"; print the message itself.
        return str(self.args[0]) if self.args else ""


class DataFileNotFoundError(DataFileError, FileNotFoundError):
    """A path does not exist, or a folder holds no files of the kind asked for (also a
    :class:`FileNotFoundError`)."""


class DataFormatError(CrimeperfError, ValueError):
    """A file is not what it should be: a CSV whose header is not a data.police.uk header, a
    workbook without the ONS tables, a lookup with a malformed row (also a :class:`ValueError`).

    ``filename`` is the file at fault; the message names the line or sheet.
    """
