"""The conventions of issue #9 from Python: the two mid-p values, the verdict sentence, one
rounding for every printed figure, ONS's small-base rule, one snake_case spelling for option
values and "did you mean" for a mistyped one."""

from __future__ import annotations

import inspect
from typing import get_args

import pytest
from scipy.stats import binom
from statsmodels.stats import rates as sm_rates

import crimeperf as cp
from crimeperf import _options


@pytest.mark.parametrize(
    ("current", "previous", "exposure"),
    [(206, 168, 1.0), (10, 2, 1.0), (3, 12, 1.0), (30, 12, 1.5), (0, 7, 1.0), (4208, 4445, 1.0),
     (12, 40, 2.0)],
)
def test_mid_p_values_match_their_definitions(current: int, previous: int, exposure: float) -> None:
    c = cp.change(current, previous, exposure=exposure)
    n, p = current + previous, exposure / (exposure + 1.0)
    # Lancaster's mid-p: twice the smaller of P(X < k) + P(X = k)/2 and P(X > k) + P(X = k)/2.
    mass = binom.pmf(current, n, p)
    lower = binom.cdf(current - 1, n, p) + mass / 2
    upper = binom.sf(current, n, p) + mass / 2
    assert c.mid_p_value == pytest.approx(min(1.0, 2 * min(lower, upper)), rel=1e-9)
    midp = sm_rates.test_poisson_2indep(current, exposure, previous, 1, method="cond-midp").pvalue
    assert c.minlike_mid_p_value == pytest.approx(midp, rel=1e-9)


def test_the_textbook_mid_p_for_206_against_168() -> None:
    c = cp.change(206, 168)
    # 2 * (binom.sf(206, 374, 0.5) + binom.pmf(206, 374, 0.5) / 2) = 0.04958135616725943;
    # test_poisson_2indep(206, 1, 168, 1, method="cond-midp").pvalue = 0.05257767068031856
    assert c.mid_p_value == pytest.approx(0.04958135616725943, rel=1e-12)
    assert c.minlike_mid_p_value == pytest.approx(0.05257767068031856, rel=1e-12)
    assert c.to_dict()["minlike_mid_p_value"] == c.minlike_mid_p_value


def test_describe_with_the_verdict() -> None:
    burglary = cp.change(206, 168)
    assert burglary.describe() == "22.6% increase (38 crimes)"
    assert burglary.describe(verdict=True) == (
        "22.6% increase (38 crimes), not a statistically significant change "
        "(exact conditional test, two-sided minlike p = 0.056)"
    )
    assert cp.change(4208, 4445).describe("offences", verdict=True) == (
        "5.3% reduction (237 offences), a statistically significant reduction "
        "(exact conditional test, two-sided minlike p = 0.011)"
    )


def test_small_base_when_either_year_is_below_50() -> None:
    assert cp.change(49, 60).small_base is True
    assert cp.change(60, 49).small_base is True
    assert cp.change(50, 50).small_base is False
    frame = cp.changes({"now": [49, 60], "then": [60, 60]}, current="now", previous="then")
    assert frame["small_base"].to_list() == [True, False]


def test_exact_ties_print_alike_everywhere() -> None:
    # 1/16 = 6.25% exactly: Rust's {:.1} would give 6.2; every printed figure gives 6.3.
    one_in_16 = cp.proportion(1, 16)
    assert str(one_in_16).startswith("6.3% (")
    change = cp.proportion_change(1, 16, 1, 8)
    assert change.describe() == "6.3 percentage points lower (6.3% against 12.5%)"
    assert str(change) == change.describe()
    # 2.125 per 1,000 to two places.
    assert str(cp.rate(17, 8000, method="byar")).startswith("2.13 per 1,000 (")
    # repr keeps six significant digits, and a tie at the seventh rounds up too:
    # 1/1024 = 0.0009765625 and 0.09765625%.
    text = repr(cp.proportion(1, 1024))
    assert "value=0.000976563" in text and "percent=0.0976563" in text


def test_option_literals_are_the_accepted_spellings() -> None:
    assert get_args(_options.Rounding) == ("half_up", "floor", "ceil", "none")
    assert get_args(_options.Polarity) == ("lower_is_better", "higher_is_better")
    assert get_args(_options.RateMethod) == ("auto", "exact", "byar")
    assert get_args(_options.Errors) == ("raise", "null")
    for rounding in get_args(_options.Rounding):
        cp.target(325, -10, rounding=rounding)
    for polarity in get_args(_options.Polarity):
        assert cp.rag(170, 152, 162, polarity=polarity).polarity == polarity
    for method in get_args(_options.RateMethod):
        cp.rate(12, 1000, method=method)
    for errors in get_args(_options.Errors):
        cp.rates({"c": [1], "p": [10.0]}, count="c", population="p", errors=errors)
    # The signatures name the Literal types, so that editors complete the values.
    assert inspect.signature(cp.target).parameters["rounding"].annotation == "Rounding"
    assert inspect.signature(cp.rag).parameters["polarity"].annotation == "Polarity"
    assert inspect.signature(cp.rate).parameters["method"].annotation == "RateMethod"
    assert inspect.signature(cp.targets).parameters["polarity"].annotation == "Polarity"
    # Labels that come back agree with them.
    assert cp.change(206, 168).significance == "no_significant_change"
    assert cp.proportion_change(1098, 4208, 1080, 4445).significance == "no_significant_change"


@pytest.mark.parametrize(
    ("call", "hint"),
    [
        (lambda: cp.target(325, -10, rounding="half-up"), "did you mean 'half_up'?"),
        (lambda: cp.rag(170, 152, 162, polarity="lower-is-better"), "did you mean 'lower_is_better'?"),
        (lambda: cp.rate(12, 1000, method="byars"), "did you mean 'byar'?"),
        (
            lambda: cp.rates({"c": [1], "p": [10.0]}, count="c", population="p", errors="nul"),
            "did you mean 'null'?",
        ),
    ],
)
def test_a_mistyped_option_gets_did_you_mean(call, hint: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(cp.UnknownOptionError) as info:
        call()
    assert str(info.value).endswith(f"({hint})")


def test_a_mistyped_column_gets_did_you_mean() -> None:
    with pytest.raises(cp.ColumnNotFoundError) as info:
        cp.rates({"crimes": [1], "population": [10.0]}, count="crimes", population="populaton")
    assert str(info.value).endswith("(did you mean 'population'?)")


def test_rag_of_a_solved_rate_uses_newcombe() -> None:
    strict = cp.rag_proportion(95, 100, 85, 100, 90, require_significance=True)
    assert strict.status == "green"
    change = cp.proportion_change(95, 100, 85, 100)
    assert strict.proportion_change == change and change.lower > 0
    assert (strict.actual, strict.baseline, strict.target) == (95.0, 85.0, 90.0)
    assert strict.to_dict()["proportion_change"] == change.to_dict()
    # As two Poisson counts the same rise is not significant:
    # scipy.stats.binomtest(95, 180).pvalue = 0.5024453906833373
    assert cp.rag(85, 95, 90, polarity="higher_is_better", require_significance=True).status == (
        "amber"
    )
    # Rochford's solved rate: Newcombe's interval -0.03 to 3.63 points includes zero.
    rochford = cp.rag_proportion(1098, 4208, 1080, 4445, 25, require_significance=True)
    assert rochford.status == "amber"
    assert rochford.reason.endswith(
        "is not statistically significant (95% Newcombe interval -0.03 to +3.63 percentage points)"
    )
    assert cp.rag(170, 152, 162).proportion_change is None
