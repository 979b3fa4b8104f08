# Hand-kept stubs of the compiled module, checked against it by `python -m mypy.stubtest
# crimeperf._crimeperf` in `make test`. The public API (with docstrings) is in crimeperf/.

from typing import Any, Literal, Optional, Union, final

__version__: str
__all__ = [
    "ArrowStream",
    "Change",
    "Proportion",
    "ProportionChange",
    "Rag",
    "Rate",
    "ReadProgress",
    "__version__",
    "change",
    "bundled_table_text",
    "changes_frame",
    "count_crimes_frame",
    "outcome_table",
    "proportion",
    "proportion_change",
    "proportions_frame",
    "rag",
    "rate",
    "rates_frame",
    "read_ons_tables",
    "read_police_uk_files",
    "solved_rates_frame",
    "target",
    "targets_frame",
    "year_to_date_frame",
    "rolling_frame",
    "spc_frame",
    "project_year_end_frame",
    "outcome_maturity_frame",
    "solved_within_frame",
]

_Significance = Literal["increase", "reduction", "no significant change"]

@final
class ArrowStream:
    """Result columns, handed over through the Arrow PyCapsule interface."""

    @property
    def columns(self) -> list[str]: ...
    @property
    def batches(self) -> int: ...
    def single_batch(self) -> ArrowStream: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    def __len__(self) -> int: ...

@final
class ReadProgress:
    """How far a read has got, readable from Python while the read runs on another thread."""

    def __init__(self) -> None: ...
    @property
    def files_total(self) -> int: ...
    @property
    def files_done(self) -> int: ...
    @property
    def rows(self) -> int: ...

@final
class Rate:
    @property
    def value(self) -> float: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def method(self) -> Literal["exact", "byar"]: ...
    @property
    def count(self) -> int: ...
    @property
    def population(self) -> float: ...
    @property
    def per(self) -> float: ...
    @property
    def confidence(self) -> float: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Proportion:
    @property
    def value(self) -> float: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def percent(self) -> float: ...
    @property
    def numerator(self) -> int: ...
    @property
    def denominator(self) -> int: ...
    @property
    def confidence(self) -> float: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class ProportionChange:
    @property
    def value(self) -> float: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def significance(self) -> _Significance: ...
    @property
    def current(self) -> Proportion: ...
    @property
    def previous(self) -> Proportion: ...
    @property
    def confidence(self) -> float: ...
    def describe(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Change:
    @property
    def current(self) -> int: ...
    @property
    def previous(self) -> int: ...
    @property
    def absolute(self) -> int: ...
    @property
    def percent(self) -> Optional[float]: ...
    @property
    def ratio(self) -> Optional[float]: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def score_lower(self) -> float: ...
    @property
    def score_upper(self) -> float: ...
    @property
    def p_value(self) -> float: ...
    @property
    def mid_p_value(self) -> float: ...
    @property
    def significance(self) -> _Significance: ...
    @property
    def small_base(self) -> bool: ...
    @property
    def exposure(self) -> float: ...
    @property
    def previous_exposure(self) -> float: ...
    @property
    def confidence(self) -> float: ...
    @property
    def unit(self) -> str: ...
    def describe(self, unit: Optional[str] = None) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Rag:
    @property
    def status(self) -> Literal["green", "amber", "red"]: ...
    @property
    def reason(self) -> str: ...
    @property
    def baseline(self) -> float: ...
    @property
    def actual(self) -> float: ...
    @property
    def target(self) -> float: ...
    @property
    def polarity(self) -> Literal["lower-is-better", "higher-is-better"]: ...
    @property
    def change(self) -> Optional[Change]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

def rate(
    count: int,
    population: float,
    *,
    per: float = 1000.0,
    confidence: float = 0.95,
    method: str = "auto",
) -> Rate: ...
def proportion(numerator: int, denominator: int, *, confidence: float = 0.95) -> Proportion: ...
def proportion_change(
    numerator: int,
    denominator: int,
    previous_numerator: int,
    previous_denominator: int,
    *,
    confidence: float = 0.95,
) -> ProportionChange: ...
def change(
    current: int,
    previous: int,
    *,
    exposure: float = 1.0,
    previous_exposure: float = 1.0,
    confidence: float = 0.95,
    min_base: int = 50,
    unit: str = "crimes",
) -> Change: ...
def target(baseline: float, change_percent: float, *, rounding: str = "half-up") -> float: ...
def rag(
    baseline: float,
    actual: float,
    target: float,
    *,
    polarity: str = "lower-is-better",
    require_significance: bool = False,
    confidence: float = 0.95,
) -> Rag: ...
def rates_frame(
    stream: object,
    *,
    count: str,
    population: str,
    per: float = 1000.0,
    confidence: float = 0.95,
    method: str = "auto",
    errors: str = "raise",
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def proportions_frame(
    stream: object,
    *,
    numerator: str,
    denominator: str,
    previous_numerator: Optional[str] = None,
    previous_denominator: Optional[str] = None,
    confidence: float = 0.95,
    errors: str = "raise",
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def changes_frame(
    stream: object,
    *,
    current: str,
    previous: str,
    exposure: Union[str, float, None] = None,
    previous_exposure: Union[str, float, None] = None,
    confidence: float = 0.95,
    min_base: int = 50,
    unit: str = "crimes",
    errors: str = "raise",
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def targets_frame(
    stream: object,
    *,
    baseline: str,
    change_percent: Union[str, float],
    rounding: str = "half-up",
    actual: Optional[str] = None,
    polarity: str = "lower-is-better",
    require_significance: bool = False,
    confidence: float = 0.95,
    errors: str = "raise",
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def read_police_uk_files(
    source: str,
    *,
    kind: str = "street",
    duplicates: str = "prefer-located-latest-outcome",
    geography: Optional[str] = None,
    threads: int = 0,
    progress: Optional[ReadProgress] = None,
) -> tuple[ArrowStream, ArrowStream, ArrowStream]: ...
def read_ons_tables(path: str) -> tuple[ArrowStream, ArrowStream]: ...
def count_crimes_frame(
    stream: object,
    *,
    by: list[str],
    period: str = "month",
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def solved_rates_frame(
    stream: object,
    *,
    by: list[str],
    solved: Optional[list[str]] = None,
    confidence: float = 0.95,
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def year_to_date_frame(
    stream: object,
    *,
    by: list[str],
    month: str,
    value: str,
    through: str,
    year_start: int = 4,
    missing: Literal["error", "zero"] = "error",
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def rolling_frame(
    stream: object,
    *,
    by: list[str],
    month: str,
    value: str,
    months: int = 12,
    population_column: Optional[str] = None,
    population_value: Optional[float] = None,
    missing: Literal["error", "zero"] = "error",
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def spc_frame(
    stream: object,
    *,
    by: list[str],
    month: Optional[str],
    value: str,
    denominator: Optional[str] = None,
    chart: Literal["xmr", "c", "u", "u_prime"] = "xmr",
    improvement: Literal["increase", "decrease"] = "decrease",
    rules: Literal["mdc", "anhoj", "western_electric"] = "mdc",
    shift_length: Optional[int] = None,
    trend_length: Optional[int] = None,
    precedence: Literal["improvement", "concern"] = "concern",
    screen: bool = False,
    baseline: Optional[int] = None,
    rebase_months: list[tuple[str, str]] = ...,
    rebase_points: list[tuple[int, str]] = ...,
    target: Optional[float] = None,
    allow_short: bool = False,
    per: Optional[float] = None,
    missing: Literal["error", "zero"] = "error",
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def project_year_end_frame(
    stream: object,
    *,
    by: list[str],
    month: str,
    value: str,
    through: str,
    year_start: int = 4,
    history_years: int = 3,
    target: Optional[float] = None,
    improvement: Literal["increase", "decrease"] = "decrease",
    missing: Literal["error", "zero"] = "error",
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def outcome_maturity_frame(
    stream: object,
    *,
    by: list[str],
    settled_after: int = 12,
    tolerance: float = 0.05,
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def solved_within_frame(
    street: object,
    outcomes: object,
    *,
    by: list[str],
    months: int = 3,
    solved: Optional[list[str]] = None,
    confidence: float = 0.95,
    street_columns: Optional[list[str]] = None,
    outcome_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def outcome_table() -> ArrowStream: ...
def bundled_table_text(name: str) -> str: ...
