"""crimeperf: crime performance statistics for Community Safety Partnerships.

Year-on-year change with an exact test, rates per 1,000 residents with exact or Byar intervals,
solved rates with Wilson intervals, targets from baselines and RAG status, on single numbers or
on every row of a polars, pandas or pyarrow frame, each result able to say itself in the words a
committee report uses.

Examples
--------
>>> import crimeperf as cp
>>> print(cp.change(206, 168).describe())
22.6% increase (38 crimes)
>>> cp.target(325, -10)
293.0
"""

from crimeperf._crimeperf import (
    ArrowStream,
    Change,
    Proportion,
    ProportionChange,
    Rag,
    Rate,
    __version__,
)
from crimeperf._frames import changes, proportions, rates, targets
from crimeperf._scalars import change, proportion, proportion_change, rag, rate, target
from crimeperf.exceptions import (
    ColumnNotFoundError,
    ColumnTypeError,
    CountOverflowError,
    CountTooLargeError,
    CrimeperfError,
    InvalidConfidenceError,
    InvalidDenominatorError,
    InvalidInputError,
    MissingValueError,
    NegativeCountError,
    NumeratorAboveDenominatorError,
    UnknownOptionError,
    UnsupportedFrameError,
)

__all__ = [
    "__version__",
    # statistics on numbers
    "rate",
    "proportion",
    "proportion_change",
    "change",
    "target",
    "rag",
    # statistics on frames
    "rates",
    "proportions",
    "changes",
    "targets",
    # results
    "Rate",
    "Proportion",
    "ProportionChange",
    "Change",
    "Rag",
    "ArrowStream",
    # errors
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
    "ColumnNotFoundError",
    "ColumnTypeError",
    "UnsupportedFrameError",
]
