"""The scalar functions against scipy/statsmodels.

Each fixed expected value quotes the call that produced it (scipy 1.17.1, statsmodels 0.15.0);
the parametrised tests also call the references live on a grid of inputs.
"""

from __future__ import annotations

import math

import pytest
from scipy.stats import binomtest, chi2
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats import rates as sm_rates

import crimeperf as cp

REL = 1e-9  # exact methods: agreement to floating-point noise
SCORE_REL = 1e-6  # statsmodels solves the score interval numerically


# --- rates -------------------------------------------------------------------------------------


def test_rate_exact_fixed_values() -> None:
    r = cp.rate(3, 1200, method="exact")
    # scipy.stats.chi2.ppf(0.025, 6) / 2 / 1200 * 1000 = 0.5155601024130011
    assert r.lower == pytest.approx(0.5155601024130011, rel=REL)
    # scipy.stats.chi2.ppf(0.975, 8) / 2 / 1200 * 1000 = 7.306060891451936
    assert r.upper == pytest.approx(7.306060891451936, rel=REL)
    assert r.value == 2.5
    assert r.method == "exact"

    zero = cp.rate(0, 1500, method="exact")
    assert zero.lower == 0.0
    # scipy.stats.chi2.ppf(0.975, 2) / 2 / 1500 * 1000 = 2.45925296940929
    assert zero.upper == pytest.approx(2.45925296940929, rel=REL)

    big = cp.rate(4208, 87_200, method="exact")
    # scipy.stats.chi2.ppf(0.025, 8416) / 2 / 87200 * 1000 = 46.809732681903725
    assert big.lower == pytest.approx(46.809732681903725, rel=REL)
    # scipy.stats.chi2.ppf(0.975, 8418) / 2 / 87200 * 1000 = 49.73739323554937
    assert big.upper == pytest.approx(49.73739323554937, rel=REL)


@pytest.mark.parametrize("count", [0, 1, 2, 5, 9, 10, 11, 50, 117, 999, 4208, 123_456])
@pytest.mark.parametrize("confidence", [0.95, 0.998, 0.8])
def test_rate_exact_matches_chi2(count: int, confidence: float) -> None:
    population = 87_056.0
    r = cp.rate(count, population, method="exact", confidence=confidence)
    tail = (1 - confidence) / 2
    lower = chi2.ppf(tail, 2 * count) / 2 if count > 0 else 0.0  # scipy.stats.chi2.ppf
    upper = chi2.ppf(1 - tail, 2 * count + 2) / 2
    assert r.lower == pytest.approx(lower / population * 1000, rel=1e-8)
    assert r.upper == pytest.approx(upper / population * 1000, rel=1e-8)


def test_rate_auto_is_exact_below_ten_and_byar_from_ten() -> None:
    assert cp.rate(9, 1000).method == "exact"
    assert cp.rate(9, 1000).to_dict() == cp.rate(9, 1000, method="exact").to_dict()
    assert cp.rate(10, 1000).method == "byar"
    assert cp.rate(10, 1000) == cp.rate(10, 1000, method="byar")


@pytest.mark.parametrize("count", [10, 50, 500, 5000])
def test_byar_is_close_to_exact(count: int) -> None:
    byar = cp.rate(count, 10_000, method="byar")
    # scipy.stats.chi2.ppf on the same count: Byar is an approximation good to ~1% from 10.
    assert byar.lower == pytest.approx(chi2.ppf(0.025, 2 * count) / 2 / 10, rel=1e-2)
    assert byar.upper == pytest.approx(chi2.ppf(0.975, 2 * count + 2) / 2 / 10, rel=1e-2)


def test_rate_per_scales() -> None:
    per_thousand = cp.rate(117, 87_056)
    per_hundred_thousand = cp.rate(117, 87_056, per=100_000)
    assert per_hundred_thousand.value == pytest.approx(per_thousand.value * 100, rel=1e-12)
    assert per_hundred_thousand.upper == pytest.approx(per_thousand.upper * 100, rel=1e-12)
    assert per_thousand.per == 1000 and per_hundred_thousand.per == 100_000
    # "1.344 crimes per 1,000 residents"
    assert f"{per_thousand.value:.3f}" == "1.344"


# --- proportions -------------------------------------------------------------------------------


def test_proportion_wilson_fixed_values() -> None:
    p = cp.proportion(1098, 4208)
    # statsmodels proportion_confint(1098, 4208, alpha=0.05, method="wilson")
    #   = (0.2478855462891874, 0.27441366186682065)
    assert p.lower == pytest.approx(0.2478855462891874, rel=REL)
    assert p.upper == pytest.approx(0.27441366186682065, rel=REL)
    assert p.percent == pytest.approx(100 * 1098 / 4208, rel=1e-12)

    none_solved = cp.proportion(0, 20)
    # statsmodels proportion_confint(0, 20, alpha=0.05, method="wilson") = (0.0, 0.1611251580528194)
    assert none_solved.lower == 0.0
    assert none_solved.upper == pytest.approx(0.1611251580528194, rel=REL)


@pytest.mark.parametrize(("x", "n"), [(0, 1), (1, 1), (3, 7), (65, 100), (1098, 4208), (20, 20)])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_proportion_matches_statsmodels(x: int, n: int, confidence: float) -> None:
    p = cp.proportion(x, n, confidence=confidence)
    lower, upper = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    assert p.lower == pytest.approx(lower, rel=1e-9, abs=1e-12)
    assert p.upper == pytest.approx(upper, rel=1e-9, abs=1e-12)


def test_proportion_change_fixed_values() -> None:
    c = cp.proportion_change(1098, 4208, 1080, 4445)
    # statsmodels confint_proportions_2indep(1098, 4208, 1080, 4445, method="newcomb",
    #   compare="diff") = (-0.00033329407068632966, 0.03626750814609987), in points x100
    assert c.lower == pytest.approx(-0.033329407068632966, rel=1e-8)
    assert c.upper == pytest.approx(3.626750814609987, rel=1e-9)
    assert c.value == pytest.approx(100 * (1098 / 4208 - 1080 / 4445), rel=1e-12)
    assert c.significance == "no_significant_change"

    newcombe = cp.proportion_change(56, 70, 48, 80)
    # statsmodels confint_proportions_2indep(56, 70, 48, 80, method="newcomb")
    #   = (0.05243147240236498, 0.33387265403690614)
    assert newcombe.lower == pytest.approx(5.243147240236498, rel=1e-9)
    assert newcombe.upper == pytest.approx(33.387265403690614, rel=1e-9)
    assert newcombe.significance == "increase"
    assert newcombe.current == cp.proportion(56, 70)
    assert newcombe.previous == cp.proportion(48, 80)


@pytest.mark.parametrize(
    ("x1", "n1", "x0", "n0"), [(5, 10, 1, 10), (0, 10, 10, 10), (300, 1000, 250, 900)]
)
def test_proportion_change_matches_statsmodels(x1: int, n1: int, x0: int, n0: int) -> None:
    c = cp.proportion_change(x1, n1, x0, n0)
    lower, upper = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff")
    assert c.lower == pytest.approx(100 * lower, rel=1e-9, abs=1e-10)
    assert c.upper == pytest.approx(100 * upper, rel=1e-9, abs=1e-10)


# --- change between counts ---------------------------------------------------------------------


def test_change_fixed_values() -> None:
    c = cp.change(206, 168)
    assert (c.current, c.previous, c.absolute) == (206, 168, 38)
    assert c.percent == pytest.approx(100 * 38 / 168, rel=1e-12)
    assert c.ratio == pytest.approx(206 / 168, rel=1e-12)
    # scipy.stats.binomtest(206, 374, 0.5).pvalue = 0.05557398519337819
    assert c.p_value == pytest.approx(0.05557398519337819, rel=REL)
    # statsmodels proportion_confint(206, 374, method="beta") = (lo, hi), ratio = p / (1 - p):
    #   (0.9952943963075808, 1.5123927632481642)
    assert c.lower == pytest.approx(0.9952943963075808, rel=1e-9)
    assert c.upper == pytest.approx(1.5123927632481642, rel=1e-9)
    # statsmodels confint_poisson_2indep(206, 1, 168, 1, method="score", compare="ratio")
    #   = (1.0005140429526955, 1.5027705889369871)
    assert c.score_lower == pytest.approx(1.0005140429526955, rel=SCORE_REL)
    assert c.score_upper == pytest.approx(1.5027705889369871, rel=SCORE_REL)
    assert c.significance == "no_significant_change"
    assert c.small_base is False
    assert c.describe() == "22.6% increase (38 crimes)"

    rochford = cp.change(4208, 4445)
    # scipy.stats.binomtest(4208, 8653, 0.5).pvalue = 0.01117492642013119
    assert rochford.p_value == pytest.approx(0.01117492642013119, rel=REL)
    assert rochford.significance == "reduction"
    assert rochford.describe() == "5.3% reduction (237 crimes)"


def test_change_with_exposures() -> None:
    c = cp.change(206, 168, exposure=1.0, previous_exposure=1.2)
    # statsmodels test_poisson_2indep(206, 1.0, 168, 1.2, method="exact-cond").pvalue
    #   = 0.0002184820333992158 (= scipy.stats.binomtest(206, 374, 1/2.2).pvalue)
    assert c.p_value == pytest.approx(0.0002184820333992158, rel=1e-8)
    assert c.ratio == pytest.approx((206 / 1.0) / (168 / 1.2), rel=1e-12)
    assert c.significance == "increase"


@pytest.mark.parametrize(
    ("current", "previous"),
    [(206, 168), (4208, 4445), (5, 0), (0, 5), (0, 0), (152, 170), (1, 1), (30, 10), (1000, 1100)],
)
def test_change_p_value_matches_statsmodels(current: int, previous: int) -> None:
    c = cp.change(current, previous)
    if current + previous == 0:
        assert c.p_value == 1.0
        return
    reference = sm_rates.test_poisson_2indep(current, 1, previous, 1, method="exact-cond").pvalue
    assert c.p_value == pytest.approx(reference, rel=1e-9)
    assert c.p_value == pytest.approx(binomtest(current, current + previous, 0.5).pvalue, rel=1e-9)
    if previous > 0 and current > 0:
        lower, upper = sm_rates.confint_poisson_2indep(
            current, 1, previous, 1, method="score", compare="ratio"
        )
        assert c.score_lower == pytest.approx(lower, rel=SCORE_REL)
        assert c.score_upper == pytest.approx(upper, rel=SCORE_REL)


def test_change_from_zero_and_small_base() -> None:
    c = cp.change(5, 0)
    assert c.percent is None and c.ratio is None
    assert math.isinf(c.upper)
    assert c.small_base is True
    # scipy.stats.binomtest(5, 5, 0.5).pvalue = 0.0625
    assert c.p_value == pytest.approx(0.0625, rel=REL)
    assert c.describe() == "increase of 5 crimes from none"
    assert cp.change(60, 49).small_base is True
    assert cp.change(60, 50).small_base is False
    assert cp.change(60, 50, min_base=100).small_base is True


def test_change_units_and_confidence() -> None:
    assert cp.change(1188, 1200, unit="incidents").describe() == "1.0% reduction (12 incidents)"
    assert cp.change(9, 10).describe("burglaries") == "10.0% reduction (1 burglary)"
    wide = cp.change(206, 168, confidence=0.998)
    narrow = cp.change(206, 168)
    assert wide.lower < narrow.lower and wide.upper > narrow.upper


# --- targets and RAG ---------------------------------------------------------------------------


def test_target_roundings() -> None:
    assert float(cp.target(325, -10)) == 293.0  # 292.5 rounds half up, as printed in the plans
    assert float(cp.target(325, -10, rounding="floor")) == 292.0
    assert float(cp.target(325, -10, rounding="ceil")) == 293.0
    assert float(cp.target(325, -10, rounding="none")) == 292.5
    assert float(cp.target(170, -5)) == 162.0
    assert float(cp.target(100, 5)) == 105.0


def test_target_is_a_named_result() -> None:
    theft = cp.target(325, -10)
    assert isinstance(theft, cp.Target)
    assert (theft.value, theft.unrounded, theft.rounding) == (293.0, 292.5, "half_up")
    assert (theft.baseline, theft.change_percent, theft.polarity) == (325.0, -10.0, "lower_is_better")
    assert theft.expected is None and theft.probability is None
    assert str(theft) == "293 (10% reduction on a baseline of 325)"
    assert math.isclose(float(theft) * 2, 586.0)
    # A Target is accepted wherever a target number is.
    assert cp.rag(325, 301, theft) == cp.rag(325, 301, 293)


def test_target_probability_of_meeting_it_by_chance() -> None:
    # scipy.stats.poisson.cdf(162, 170) = 0.2854776972544553
    burglary = cp.target(170, -5, expected=170)
    assert burglary.expected == 170.0
    assert burglary.probability is not None
    assert math.isclose(burglary.probability, 0.2854776972544553, rel_tol=1e-12)
    # More solved crimes: at least 105, P(X >= 105) with mean 100.
    # scipy.stats.poisson.sf(104, 100) = 0.32159277532038455
    solved = cp.target(100, 5, polarity="higher_is_better", expected=100)
    assert solved.probability is not None
    assert math.isclose(solved.probability, 0.32159277532038455, rel_tol=1e-10)
    with pytest.raises(cp.InvalidInputError, match="expected count"):
        cp.target(170, -5, expected=-1)


def test_rag_statuses() -> None:
    green = cp.rag(170, 152, 162)
    assert green.status == "green"
    assert green.reason == "152 meets the target of 162 (10.6% reduction on the baseline of 170)"
    assert green.change is None
    amber = cp.rag(170, 165, 162)
    assert amber.status == "amber"
    red = cp.rag(170, 180, 162)
    assert red.status == "red"
    solved = cp.rag(20.0, 26.1, 25.0, polarity="higher_is_better")
    assert solved.status == "green"
    assert solved.polarity == "higher_is_better"


def test_rag_with_significance_uses_the_exact_test() -> None:
    strict = cp.rag(170, 152, 162, require_significance=True)
    assert strict.status == "amber"
    assert strict.change is not None
    # scipy.stats.binomtest(152, 322, 0.5).pvalue = 0.34346208642418335
    assert strict.change.p_value == pytest.approx(0.34346208642418335, rel=REL)
    assert cp.rag(1000, 800, 900, require_significance=True).status == "green"
