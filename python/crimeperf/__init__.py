"""crimeperf: crime performance statistics for Community Safety Partnerships.

Read data.police.uk downloads and the ONS CSP tables into clean frames with a log of what was
odd in them; count crimes by area, type and period; and compute year-on-year change with an
exact test, rates per 1,000 residents with exact or Byar intervals, solved rates with Wilson
intervals, targets from baselines and RAG status, on single numbers or on every row of a polars,
pandas or pyarrow frame, each result able to say itself in the words a committee report uses.

Examples
--------
>>> import crimeperf as cp
>>> print(cp.change(206, 168).describe())
22.6% increase (38 crimes)
>>> float(cp.target(325, -10))
293.0
"""

from crimeperf._crimeperf import (
    ArrowStream,
    Change,
    ETest,
    Proportion,
    ProportionChange,
    Rag,
    Rate,
    StandardisedRatio,
    SurveyChange,
    SurveyProportion,
    Target,
    Wdd,
    __version__,
)
from crimeperf._areas import CustomAreas, define_areas
from crimeperf._data import (
    OnsCspTables,
    PoliceUkCounts,
    PoliceUkData,
    compare_periods,
    count_crimes,
    count_police_uk,
    geography_table,
    outcomes,
    read_ons_csp_tables,
    read_police_uk,
    solved_rates,
)
from crimeperf._disclosure import suppress
from crimeperf._evidence import EvidencePack, evidence_pack
from crimeperf._frames import changes, proportions, rates, standardised_ratios, targets
from crimeperf._indicators import Catalogue, indicator_catalogue, indicators
from crimeperf._intervention import Intervention, e_test, evaluate_intervention, wdd
from crimeperf._outcome_lag import outcome_maturity, solved_within
from crimeperf._peers import (
    Funnel,
    SimilarGroups,
    csp_characteristics,
    demonstration_groups,
    funnel,
    peer_compare,
    read_similar_groups,
    similar_areas,
)
from crimeperf._population import add_population, ons_csp_tables
from crimeperf._priority import priority_matrix
from crimeperf._reconcile import reconcile
from crimeperf._survey import survey_change, survey_proportion
from crimeperf._scalars import (
    change,
    proportion,
    proportion_change,
    rag,
    rag_proportion,
    rate,
    standardised_ratio,
    target,
)
from crimeperf._trends import project_year_end, rolling, spc, year_to_date
from crimeperf.exceptions import (
    ArgumentTypeError,
    ColumnExistsError,
    ColumnNotFoundError,
    ColumnTypeError,
    CountOverflowError,
    CountTooLargeError,
    CrimeperfError,
    DataFileError,
    DataFileNotFoundError,
    DataFormatError,
    InvalidConfidenceError,
    InvalidDenominatorError,
    InvalidInputError,
    MissingValueError,
    NegativeCountError,
    NumeratorAboveDenominatorError,
    TooManyGroupsError,
    UnknownAreaError,
    ExcludedRowsWarning,
    UnequalCoverageError,
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
    "rag_proportion",
    "standardised_ratio",
    "survey_proportion",
    "survey_change",
    # statistics on frames
    "rates",
    "proportions",
    "changes",
    "targets",
    "standardised_ratios",
    "reconcile",
    "indicator_catalogue",
    "indicators",
    "Catalogue",
    # trends over time
    "year_to_date",
    "rolling",
    "spc",
    "project_year_end",
    "outcome_maturity",
    "solved_within",
    # most similar groups: peers, rankings, funnel plots
    "similar_areas",
    "read_similar_groups",
    "peer_compare",
    "funnel",
    "demonstration_groups",
    "csp_characteristics",
    "SimilarGroups",
    "Funnel",
    # did it work? evaluating an operation
    "e_test",
    "wdd",
    "evaluate_intervention",
    "Intervention",
    # publishing: disclosure control
    "suppress",
    "priority_matrix",
    "evidence_pack",
    "EvidencePack",
    # data: police.uk files, ONS tables, counting, solved rates
    "read_police_uk",
    "count_police_uk",
    "read_ons_csp_tables",
    "count_crimes",
    "compare_periods",
    "solved_rates",
    "outcomes",
    "geography_table",
    "define_areas",
    "CustomAreas",
    # denominators: populations and households for rates; the bundled ONS CSP tables
    "add_population",
    "ons_csp_tables",
    "PoliceUkData",
    "PoliceUkCounts",
    "OnsCspTables",
    # results
    "Rate",
    "Proportion",
    "ProportionChange",
    "Change",
    "Target",
    "Rag",
    "ETest",
    "Wdd",
    "SurveyProportion",
    "SurveyChange",
    "StandardisedRatio",
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
