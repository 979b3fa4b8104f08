# Hand-kept stubs of the compiled module, checked against it by `python -m mypy.stubtest
# crimeperf._crimeperf` in `make test`. The public API (with docstrings) is in crimeperf/.

from typing import Any, Literal, Optional, Union, final

__version__: str
__all__ = [
    "ArrowStream",
    "CompactRecords",
    "Change",
    "Proportion",
    "ProportionChange",
    "Rag",
    "ETest",
    "Wdd",
    "SurveyProportion",
    "SurveyChange",
    "StandardisedRatio",
    "Rate",
    "ReadProgress",
    "Target",
    "__version__",
    "change",
    "bundled_table_text",
    "offence_groups",
    "did_you_mean",
    "indicator_catalogue",
    "changes_frame",
    "count_crimes_frame",
    "count_police_uk_files",
    "outcome_table",
    "proportion",
    "proportion_change",
    "proportions_frame",
    "rag",
    "rag_proportion",
    "e_test",
    "wdd",
    "survey_proportion",
    "survey_change",
    "standardised_ratio",
    "format_fixed",
    "period_months",
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
    "peer_compare_frame",
    "suppress_table",
    "similar_areas_frame",
    "similar_groups_frame",
    "read_similar_groups_file",
    "funnel_frame",
    "funnel_limits",
    "csp_characteristics",
    "demonstration_groups",
    "demonstration_variables",
]

_Significance = Literal["increase", "reduction", "no_significant_change"]
# The same spellings as crimeperf/_options.py, which the public signatures use.
_Rounding = Literal["half_up", "floor", "ceil", "none"]
_Polarity = Literal["lower_is_better", "higher_is_better"]
_RateMethod = Literal["auto", "exact", "byar"]
_Errors = Literal["raise", "null"]

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
    def cancel(self) -> None: ...

@final
class CompactRecords:
    """The records of a read, held compactly in Rust; frames are built from them on demand."""

    def __len__(self) -> int: ...
    @property
    def heap_bytes(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def columns(self) -> list[str]: ...
    def files(self) -> list[str]: ...
    def month_range(self) -> Optional[tuple[str, str]]: ...
    def frame(self) -> ArrowStream: ...
    def head(self, n: int) -> ArrowStream: ...
    def frame_where(
        self,
        *,
        csps: list[str],
        forces: list[str],
        first_month: Optional[str] = None,
        last_month: Optional[str] = None,
    ) -> ArrowStream: ...

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
    def minlike_mid_p_value(self) -> float: ...
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
    def describe(self, unit: Optional[str] = None, *, verdict: bool = False) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Target:
    @property
    def value(self) -> float: ...
    @property
    def unrounded(self) -> float: ...
    @property
    def rounding(self) -> _Rounding: ...
    @property
    def baseline(self) -> Optional[float]: ...
    @property
    def change_percent(self) -> Optional[float]: ...
    @property
    def polarity(self) -> _Polarity: ...
    @property
    def expected(self) -> Optional[float]: ...
    @property
    def probability(self) -> Optional[float]: ...
    def __float__(self) -> float: ...
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
    def polarity(self) -> _Polarity: ...
    @property
    def change(self) -> Optional[Change]: ...
    @property
    def proportion_change(self) -> Optional[ProportionChange]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class ETest:
    @property
    def current(self) -> int: ...
    @property
    def previous(self) -> int: ...
    @property
    def exposure(self) -> float: ...
    @property
    def previous_exposure(self) -> float: ...
    @property
    def statistic_kind(self) -> Literal["score", "wald"]: ...
    @property
    def statistic(self) -> Optional[float]: ...
    @property
    def p_value(self) -> Optional[float]: ...
    @property
    def truncation_error(self) -> float: ...
    @property
    def defined(self) -> bool: ...
    @property
    def undefined(self) -> Optional[str]: ...
    @property
    def confidence(self) -> float: ...
    def describe(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Wdd:
    @property
    def estimate(self) -> float: ...
    @property
    def se(self) -> float: ...
    @property
    def z(self) -> Optional[float]: ...
    @property
    def p_value(self) -> Optional[float]: ...
    @property
    def lower(self) -> Optional[float]: ...
    @property
    def upper(self) -> Optional[float]: ...
    @property
    def local(self) -> float: ...
    @property
    def local_se(self) -> float: ...
    @property
    def displacement(self) -> float: ...
    @property
    def displacement_se(self) -> float: ...
    @property
    def wdq(self) -> Optional[float]: ...
    @property
    def wdq_reading(self) -> Optional[Literal["diffusion_greater_than_effect", "diffusion", "neither", "displacement", "displacement_greater_than_effect"]]: ...
    @property
    def wdq_undefined(self) -> Optional[str]: ...
    @property
    def undefined(self) -> Optional[str]: ...
    @property
    def confidence(self) -> float: ...
    @property
    def unit(self) -> str: ...
    def describe(self, unit: Optional[str] = None) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class SurveyProportion:
    @property
    def value(self) -> float: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def percent(self) -> float: ...
    @property
    def base(self) -> int: ...
    @property
    def effective_base(self) -> float: ...
    @property
    def design_effect(self) -> float: ...
    @property
    def confidence(self) -> float: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class SurveyChange:
    @property
    def value(self) -> float: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def significance(self) -> _Significance: ...
    @property
    def current(self) -> SurveyProportion: ...
    @property
    def previous(self) -> SurveyProportion: ...
    @property
    def confidence(self) -> float: ...
    def describe(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class StandardisedRatio:
    @property
    def value(self) -> float: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def method(self) -> Literal["exact", "byar"]: ...
    @property
    def observed(self) -> int: ...
    @property
    def expected(self) -> float: ...
    @property
    def per(self) -> float: ...
    @property
    def confidence(self) -> float: ...
    def describe(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

# The scalar functions take every argument (the defaults are the Python API's, which passes them
# all) and read each one themselves: a count may be an int or a whole float, and a wrong type is
# an ArgumentTypeError naming the argument rather than pyo3's plain TypeError.
_Count = Union[int, float]
def rate(
    count: _Count,
    population: float,
    *,
    per: float,
    confidence: float,
    method: _RateMethod,
) -> Rate: ...
def proportion(numerator: _Count, denominator: _Count, *, confidence: float) -> Proportion: ...
def proportion_change(
    numerator: _Count,
    denominator: _Count,
    previous_numerator: _Count,
    previous_denominator: _Count,
    *,
    confidence: float,
) -> ProportionChange: ...
def change(
    current: _Count,
    previous: _Count,
    *,
    exposure: float,
    previous_exposure: float,
    confidence: float,
    min_base: _Count,
    unit: str,
) -> Change: ...
def target(
    baseline: float,
    change_percent: float,
    *,
    rounding: _Rounding,
    polarity: _Polarity,
    expected: Optional[float],
) -> Target: ...
def rag(
    baseline: float,
    actual: float,
    target: Union[float, Target],
    *,
    polarity: _Polarity,
    require_significance: bool,
    confidence: float,
) -> Rag: ...
def rag_proportion(
    numerator: _Count,
    denominator: _Count,
    baseline_numerator: _Count,
    baseline_denominator: _Count,
    target: float,
    *,
    polarity: _Polarity,
    require_significance: bool,
    confidence: float,
) -> Rag: ...
# The frame functions too take every option (the Python API passes them all) and read each one
# themselves, so that a wrong type is an ArgumentTypeError naming it.
def e_test(
    current: _Count,
    previous: _Count,
    *,
    exposure: float,
    previous_exposure: float,
    statistic: Literal["score", "wald"],
    confidence: float,
) -> ETest: ...
def wdd(
    treated: tuple[_Count, _Count],
    control: tuple[_Count, _Count],
    displacement: Optional[tuple[_Count, _Count]],
    control_displacement: Optional[tuple[_Count, _Count]],
    *,
    time_weights: tuple[float, float],
    area_weights: tuple[float, float, float, float],
    confidence: float,
    unit: str,
) -> Wdd: ...
def survey_proportion(
    percent: Optional[float],
    count: Optional[_Count],
    *,
    base: _Count,
    design_effect: float,
    confidence: float,
) -> SurveyProportion: ...
def survey_change(
    percent: Optional[float],
    previous_percent: Optional[float],
    count: Optional[_Count],
    previous_count: Optional[_Count],
    *,
    base: _Count,
    previous_base: _Count,
    design_effect: float,
    previous_design_effect: float,
    confidence: float,
) -> SurveyChange: ...
def standardised_ratio(
    observed: _Count,
    expected: float,
    *,
    per: float,
    confidence: float,
) -> StandardisedRatio: ...
def format_fixed(value: float, decimals: int) -> str: ...
def period_months(
    label: str,
) -> tuple[
    Literal["month", "quarter", "financial_quarter", "financial_year", "calendar_year", "range"],
    str,
    str,
    str,
]: ...
def indicator_catalogue(
    toml_text: Optional[str], *, replace: bool
) -> list[
    tuple[str, str, list[str], list[str], str, float, str, Optional[float], Optional[str], str]
]: ...
def rates_frame(
    stream: object,
    *,
    count: str,
    population: str,
    per: float,
    confidence: float,
    method: _RateMethod,
    errors: _Errors,
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def proportions_frame(
    stream: object,
    *,
    numerator: str,
    denominator: str,
    previous_numerator: Optional[str],
    previous_denominator: Optional[str],
    confidence: float,
    errors: _Errors,
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def changes_frame(
    stream: object,
    *,
    current: str,
    previous: str,
    exposure: Union[str, float, None],
    previous_exposure: Union[str, float, None],
    confidence: float,
    min_base: int,
    unit: str,
    errors: _Errors,
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def targets_frame(
    stream: object,
    *,
    baseline: str,
    change_percent: Union[str, float],
    rounding: _Rounding,
    actual: Optional[str],
    polarity: _Polarity,
    require_significance: bool,
    confidence: float,
    errors: _Errors,
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def read_police_uk_files(
    sources: list[str],
    *,
    kind: Literal["street", "outcomes"],
    duplicates: Literal["prefer_located_latest_outcome", "keep_first", "keep_all"],
    geography: Optional[str] = None,
    threads: int,
    progress: Optional[ReadProgress] = None,
) -> tuple[CompactRecords, ArrowStream, ArrowStream]: ...
def count_police_uk_files(
    sources: list[str],
    *,
    by: list[str],
    period: str,
    outside_force: str,
    allow_many_groups: bool,
    kind: Literal["street", "outcomes"],
    duplicates: Literal["prefer_located_latest_outcome", "keep_first", "keep_all"],
    geography: Optional[str] = None,
    threads: int,
    batch_files: int,
    progress: Optional[ReadProgress] = None,
) -> tuple[ArrowStream, ArrowStream, ArrowStream, ArrowStream, int]: ...
def read_ons_tables(path: str) -> tuple[ArrowStream, ArrowStream]: ...
def count_crimes_frame(
    stream: object,
    *,
    by: list[str],
    period: Literal["month", "quarter", "financial_quarter", "financial_year", "calendar_year"],
    coverage: Optional[object] = None,
    outside_force: Literal["exclude", "include"],
    allow_many_groups: bool,
    frame_columns: Optional[list[str]] = None,
) -> tuple[ArrowStream, ArrowStream]: ...
def solved_rates_frame(
    stream: object,
    *,
    by: list[str],
    solved: Optional[list[str]] = None,
    confidence: float,
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def year_to_date_frame(
    stream: object,
    *,
    by: list[str],
    month: str,
    value: str,
    through: str,
    year_start: int,
    missing: Literal["error", "zero"],
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def rolling_frame(
    stream: object,
    *,
    by: list[str],
    month: str,
    value: str,
    months: int,
    population_column: Optional[str] = None,
    population_value: Optional[float],
    missing: Literal["error", "zero"],
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def spc_frame(
    stream: object,
    *,
    by: list[str],
    month: Optional[str],
    value: str,
    denominator: Optional[str] = None,
    chart: Literal["xmr", "c", "u", "u_prime"],
    improvement: Literal["increase", "decrease"],
    rules: Literal["mdc", "anhoj", "western_electric"],
    shift_length: Optional[int],
    trend_length: Optional[int],
    precedence: Literal["improvement", "concern"],
    screen: bool,
    baseline: Optional[int],
    rebase_months: list[tuple[str, str]] = ...,
    rebase_points: list[tuple[int, str]] = ...,
    target: Optional[float],
    allow_short: bool,
    per: Optional[float],
    missing: Literal["error", "zero"],
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def project_year_end_frame(
    stream: object,
    *,
    by: list[str],
    month: str,
    value: str,
    through: str,
    year_start: int,
    history_years: int,
    target: Optional[float],
    improvement: Literal["increase", "decrease"],
    missing: Literal["error", "zero"],
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
def offence_groups() -> list[tuple[str, Optional[str], bool]]: ...
def did_you_mean(name: str, candidates: list[str]) -> Optional[str]: ...
def peer_compare_frame(
    stream: object,
    groups: object,
    *,
    area: str,
    count: str,
    population: str,
    name: Optional[str] = None,
    by: list[str],
    per: float,
    polarity: Literal["lower_is_better", "higher_is_better"],
    average: Literal["mean", "pooled"],
    confidence: float,
    rank_interval: bool,
    replicates: int,
    seed: int,
    missing: Literal["raise", "drop"],
    unit: str,
    population_unit: str,
    frame_columns: Optional[list[str]] = None,
    groups_columns: Optional[list[str]] = None,
) -> tuple[ArrowStream, ArrowStream]: ...
def similar_areas_frame(
    stream: object,
    *,
    area: str,
    variables: list[str],
    k: int,
    weights: Optional[list[float]] = None,
    frame_columns: Optional[list[str]] = None,
) -> ArrowStream: ...
def similar_groups_frame(
    stream: object,
    *,
    columns: list[str],
    frame_columns: Optional[list[str]] = None,
) -> tuple[ArrowStream, ArrowStream, list[str]]: ...
def read_similar_groups_file(path: str) -> tuple[ArrowStream, ArrowStream, list[str]]: ...
def funnel_frame(
    stream: object,
    *,
    area: str,
    numerator: str,
    denominator: str,
    statistic: Literal["rate", "proportion", "ratio"],
    method: Literal["exact", "wilson"],
    per: float,
    levels: list[float],
    benchmark: Optional[float] = None,
    overdispersion: bool,
    frame_columns: Optional[list[str]] = None,
) -> tuple[ArrowStream, dict[str, Any]]: ...
def funnel_limits(
    *,
    statistic: Literal["rate", "proportion", "ratio"],
    method: Literal["exact", "wilson"],
    benchmark: float,
    per: float,
    tau2: float,
    levels: list[float],
    denominators: list[float],
) -> list[list[tuple[float, float]]]: ...
def csp_characteristics() -> ArrowStream: ...
def demonstration_groups() -> ArrowStream: ...
def demonstration_variables() -> list[str]: ...
def suppress_table(
    counts: list[list[int]],
    *,
    rows: list[str],
    columns: list[str],
    threshold: int,
    secondary: bool,
    keep_zeros: bool,
    rounding: Optional[int] = None,
) -> tuple[list[list[Optional[int]]], list[list[Optional[Literal["primary", "secondary"]]]]]: ...
