"""The statistics on single numbers: one set of counts in, one named result out.

Counts may be given as ints or as whole floats (``10.0``, as in frames); ``10.5`` is an
:class:`~crimeperf.InvalidInputError` naming the argument, and ``None`` or text where a number is
needed an :class:`~crimeperf.ArgumentTypeError` (also a :class:`TypeError`).
"""

from __future__ import annotations

from crimeperf import _crimeperf
from typing import Optional, Union

from crimeperf._crimeperf import (
    Change,
    Proportion,
    ProportionChange,
    Rag,
    Rate,
    StandardisedRatio,
    Target,
)
from crimeperf._options import Polarity, RateMethod, Rounding

__all__ = [
    "rate", "proportion", "proportion_change", "change", "target", "rag", "rag_proportion",
    "standardised_ratio",
]


def rate(
    count: int,
    population: float,
    *,
    per: float = 1000,
    confidence: float = 0.95,
    method: RateMethod = "auto",
) -> Rate:
    """The rate of ``count`` events per ``per`` people, with its confidence interval.

    Parameters
    ----------
    count : int
        The number of crimes (or incidents); zero or more.
    population : float
        The population (or households, or any exposure) the count relates to; above zero.
    per : float, default 1000
        The rate is per this many of the population.
    confidence : float, default 0.95
        The confidence level of the interval, strictly between 0 and 1 (0.998 for funnel
        plots).
    method : {"auto", "exact", "byar"}, default "auto"
        ``"exact"``: exact Poisson (Garwood) limits from the chi-square distribution;
        ``"byar"``: Byar's approximation; ``"auto"``: exact below 10 events and Byar from 10
        (the PHEindicatormethods convention).

    Returns
    -------
    Rate
        With ``value``, ``lower``, ``upper``, ``method`` (the method used: ``"exact"`` or
        ``"byar"``), ``count``, ``population``, ``per`` and ``confidence``.

    Raises
    ------
    NegativeCountError
        The count is negative.
    InvalidDenominatorError
        The population is zero, negative, NaN or infinite.
    InvalidConfidenceError, UnknownOptionError, InvalidInputError
        A bad ``confidence``, ``method`` or ``per``.
    ArgumentTypeError
        An argument of the wrong type: ``None`` or text where a number is needed.

    Examples
    --------
    "Rochford: 4,208 crimes, 48.3 per 1,000 residents", with the interval:

    >>> import crimeperf as cp
    >>> r = cp.rate(4208, 87_200)
    >>> print(f"{r.value:.1f} ({r.lower:.1f} to {r.upper:.1f}) {r.method}")
    48.3 (46.8 to 49.7) byar

    A count of zero is normal in a small area; its lower limit is 0:

    >>> cp.rate(0, 1500, method="exact").lower
    0.0
    """
    return _crimeperf.rate(count, population, per=per, confidence=confidence, method=method)


def proportion(numerator: int, denominator: int, *, confidence: float = 0.95) -> Proportion:
    """A proportion such as a solved rate, with its Wilson score interval.

    Parameters
    ----------
    numerator : int
        E.g. the number of solved crimes; zero or more and at most ``denominator``.
    denominator : int
        E.g. the number of crimes; above zero.
    confidence : float, default 0.95
        The confidence level of the interval.

    Returns
    -------
    Proportion
        With ``value``, ``lower``, ``upper`` as fractions, ``percent``, ``numerator``,
        ``denominator`` and ``confidence``.

    Raises
    ------
    NegativeCountError, NumeratorAboveDenominatorError, InvalidDenominatorError
        A negative count, more solved crimes than crimes, or no crimes at all.
    ArgumentTypeError
        An argument of the wrong type: ``None`` or text where a number is needed.

    Examples
    --------
    "All Crime solved rate of 26.1%":

    >>> import crimeperf as cp
    >>> p = cp.proportion(1098, 4208)
    >>> print(f"{p.percent:.1f}% ({100 * p.lower:.1f}% to {100 * p.upper:.1f}%)")
    26.1% (24.8% to 27.4%)
    """
    return _crimeperf.proportion(numerator, denominator, confidence=confidence)


def proportion_change(
    numerator: int,
    denominator: int,
    previous_numerator: int,
    previous_denominator: int,
    *,
    confidence: float = 0.95,
) -> ProportionChange:
    """The change between two proportions in percentage points, with Newcombe's interval.

    Parameters
    ----------
    numerator, denominator : int
        The current proportion, e.g. solved crimes and crimes this year.
    previous_numerator, previous_denominator : int
        The previous proportion.
    confidence : float, default 0.95
        The confidence level of the interval.

    Returns
    -------
    ProportionChange
        With ``value``, ``lower``, ``upper`` in percentage points, ``significance``
        (``"increase"``, ``"reduction"`` or ``"no_significant_change"``), ``current`` and
        ``previous`` (each a :class:`Proportion`) and ``describe()``.

    Raises
    ------
    NegativeCountError, NumeratorAboveDenominatorError, InvalidDenominatorError
        As :func:`proportion`, for either proportion.
    ArgumentTypeError
        An argument of the wrong type: ``None`` or text where a number is needed.

    Examples
    --------
    "All Crime solved rate of 26.1% means Rochford is 1.8 points better than last year":

    >>> import crimeperf as cp
    >>> solved = cp.proportion_change(1098, 4208, 1080, 4445)
    >>> solved.describe()
    '1.8 percentage points higher (26.1% against 24.3%)'
    >>> print(f"{solved.lower:.2f} to {solved.upper:.2f} points: {solved.significance}")
    -0.03 to 3.63 points: no_significant_change
    """
    return _crimeperf.proportion_change(
        numerator,
        denominator,
        previous_numerator,
        previous_denominator,
        confidence=confidence,
    )


def change(
    current: int,
    previous: int,
    *,
    exposure: float = 1.0,
    previous_exposure: float = 1.0,
    confidence: float = 0.95,
    min_base: int = 50,
    unit: str = "crimes",
) -> Change:
    """The change from ``previous`` to ``current`` with the exact conditional test.

    Given the total of the two counts, the current count is binomial with probability
    ``exposure / (exposure + previous_exposure)`` when the underlying rates are equal; the
    two-sided p-value is the minimum-likelihood ("minlike") p-value of ``scipy.stats.binomtest``
    (as statsmodels' ``test_poisson_2indep(method="exact-cond")``) and the interval on the rate
    ratio is the central Clopper-Pearson interval of that binomial. The ``significance`` verdict
    comes from the p-value. With equal exposures the verdict and the interval always agree;
    with unequal exposures they can disagree near the boundary, so quote the verdict with its
    p-value (``describe(verdict=True)``).

    Two mid-p values are given: ``mid_p_value`` is Lancaster's (1961) mid-p, twice the smaller
    one-sided mid-p ``P(X < k) + P(X = k)/2`` (Agresti, *Categorical Data Analysis*, 3rd ed.,
    1.4.5), the textbook value; ``minlike_mid_p_value`` is statsmodels' ``"cond-midp"``, the
    minlike p-value less half the point probability.

    Parameters
    ----------
    current : int
        The count this period.
    previous : int
        The count in the comparison period (e.g. the same period last year).
    exposure, previous_exposure : float, default 1.0
        The exposures (populations, or period lengths) of the two periods.
    confidence : float, default 0.95
        The confidence level of the interval and of the significance verdict.
    min_base : int, default 50
        ``small_base`` is True when either count is below this (ONS publishes no percent change
        when either year has fewer than 50 offences).
    unit : str, default "crimes"
        The plural word for what is counted, used by ``describe()``.

    Returns
    -------
    Change
        With ``current``, ``previous``, ``absolute``, ``percent`` (None when ``previous`` is
        0), ``ratio`` (None when ``previous`` is 0), ``lower`` and ``upper`` (exact interval on
        the ratio), ``p_value``, ``significance`` (``"increase"``, ``"reduction"`` or
        ``"no_significant_change"``), ``small_base`` and ``describe(unit=None, *,
        verdict=False)``; also ``mid_p_value`` (Lancaster), ``minlike_mid_p_value``
        (statsmodels' ``"cond-midp"``) and the score interval ``score_lower``, ``score_upper``.

    Raises
    ------
    NegativeCountError
        A count is negative.
    InvalidDenominatorError
        An exposure is zero, negative, NaN or infinite.
    CountOverflowError, InvalidConfidenceError, InvalidInputError
        Counts too large to add, a bad confidence or a negative ``min_base``.
    ArgumentTypeError
        An argument of the wrong type: ``None`` or text where a number is needed.

    Examples
    --------
    "22.6% increase (38 crimes) in Burglary Dwelling: 206 offences against 168":

    >>> import crimeperf as cp
    >>> burglary = cp.change(206, 168)
    >>> burglary.describe()
    '22.6% increase (38 crimes)'
    >>> print(f"p = {burglary.p_value:.4f}: {burglary.significance}")
    p = 0.0556: no_significant_change
    >>> burglary.describe(verdict=True)
    '22.6% increase (38 crimes), not a statistically significant change (exact conditional test, two-sided minlike p = 0.056)'
    >>> print(f"mid-p {burglary.mid_p_value:.4f} (statsmodels cond-midp {burglary.minlike_mid_p_value:.4f})")
    mid-p 0.0496 (statsmodels cond-midp 0.0526)
    >>> print(f"rate ratio {burglary.ratio:.3f} ({burglary.lower:.3f} to {burglary.upper:.3f})")
    rate ratio 1.226 (0.995 to 1.512)
    """
    return _crimeperf.change(
        current,
        previous,
        exposure=exposure,
        previous_exposure=previous_exposure,
        confidence=confidence,
        min_base=min_base,
        unit=unit,
    )


def target(
    baseline: float,
    change_percent: float,
    *,
    rounding: Rounding = "half_up",
    polarity: Polarity = "lower_is_better",
    expected: Optional[float] = None,
) -> Target:
    """The target ``change_percent`` percent away from ``baseline``, rounded.

    Parameters
    ----------
    baseline : float
        The baseline count; zero or more.
    change_percent : float
        The change to apply, signed: ``-10`` for a 10% reduction, ``5`` for a 5% increase.
        Not below -100.
    rounding : {"half_up", "floor", "ceil", "none"}, default "half_up"
        How the target is rounded to a publishable number. ``"half_up"`` rounds 292.5 to 293,
        as the published plans do (not banker's rounding to 292).
    polarity : {"lower_is_better", "higher_is_better"}, default "lower_is_better"
        Which direction meets the target: at most it (fewer crimes) or at least it.
    expected : float, optional
        The count expected if nothing changes (often the baseline itself); gives
        ``probability``, the chance that a Poisson count with this mean meets the target.

    Returns
    -------
    Target
        With ``value`` (the published target; ``float(target)`` gives it too), ``unrounded``,
        ``rounding``, ``baseline``, ``change_percent``, ``polarity``, ``expected`` and
        ``probability`` (None without ``expected``).

    Raises
    ------
    InvalidInputError
        A negative or non-finite baseline, a non-finite percent or one below -100, or a
        negative or non-finite ``expected``.
    UnknownOptionError
        An unknown rounding or polarity.
    ArgumentTypeError
        An argument that is not a number (or, for the options, not a str).

    Examples
    --------
    "10% reduction in Theft From Motor Vehicles by March 2011: baseline 325, target 293":

    >>> import crimeperf as cp
    >>> theft = cp.target(325, -10)
    >>> theft
    Target(value=293.0, unrounded=292.5, rounding='half_up', baseline=325.0, change_percent=-10.0, polarity='lower_is_better', expected=None, probability=None)
    >>> float(theft), str(theft)
    (293.0, '293 (10% reduction on a baseline of 325)')
    >>> cp.target(325, -10, rounding="floor").value, cp.target(170, -5, rounding="none").value
    (292.0, 161.5)

    A 5% cut in 170 burglaries is met by chance alone about 29% of the time if nothing changes
    (``scipy.stats.poisson.cdf(162, 170)`` = 0.2855):

    >>> round(cp.target(170, -5, expected=170).probability, 4)
    0.2855
    """
    return _crimeperf.target(
        baseline, change_percent, rounding=rounding, polarity=polarity, expected=expected
    )


def rag(
    baseline: float,
    actual: float,
    target: Union[float, Target],
    *,
    polarity: Polarity = "lower_is_better",
    require_significance: bool = False,
    confidence: float = 0.95,
) -> Rag:
    """The red/amber/green status of ``actual`` against ``target``, from ``baseline``.

    Green when the target is met; amber when the indicator moved the right way from the baseline
    but missed the target; red when it did not improve. With ``require_significance=True`` a met
    target is green only if the change from the baseline is statistically significant (exact
    conditional test at ``confidence``), and amber otherwise. For a proportion such as a solved
    rate use :func:`rag_proportion`, whose test is the change in proportions (Newcombe).

    Parameters
    ----------
    baseline : float
        The baseline value.
    actual : float
        The value achieved.
    target : float or Target
        The target (see :func:`target`).
    polarity : {"lower_is_better", "higher_is_better"}, default "lower_is_better"
        Which direction is good: fewer crimes, or more solved crimes.
    require_significance : bool, default False
        Demand statistical evidence for green. Baseline and actual must then be whole counts.
    confidence : float, default 0.95
        The confidence level of that test.

    Returns
    -------
    Rag
        With ``status`` (``"green"``, ``"amber"`` or ``"red"``), ``reason``, ``baseline``,
        ``actual``, ``target``, ``polarity`` and ``change`` (the test, or None).

    Raises
    ------
    InvalidInputError
        A negative or non-finite value, or fractional counts with ``require_significance``.
    UnknownOptionError
        An unknown polarity.
    ArgumentTypeError
        An argument of the wrong type: ``None`` or text where a number is needed.

    Examples
    --------
    "Reduce domestic burglary by 5%: 170 -> 152, 10.6%, Green":

    >>> import crimeperf as cp
    >>> status = cp.rag(170, 152, cp.target(170, -5))
    >>> status.status
    'green'
    >>> status.reason
    '152 meets the target of 162 (10.6% reduction on the baseline of 170)'
    >>> cp.rag(170, 152, 162, require_significance=True).status
    'amber'
    """
    return _crimeperf.rag(
        baseline,
        actual,
        target,
        polarity=polarity,
        require_significance=require_significance,
        confidence=confidence,
    )


def rag_proportion(
    numerator: int,
    denominator: int,
    baseline_numerator: int,
    baseline_denominator: int,
    target: float,
    *,
    polarity: Polarity = "higher_is_better",
    require_significance: bool = False,
    confidence: float = 0.95,
) -> Rag:
    """The red/amber/green status of a proportion, such as a solved rate, against a target.

    ``numerator / denominator`` now against ``baseline_numerator / baseline_denominator``, with
    the same rules as :func:`rag`. With ``require_significance=True`` a met target is green only
    if the change in proportions is statistically significant the good way: Newcombe's interval
    for the difference (as :func:`proportion_change`) lies wholly on that side of zero. The
    numerators and denominators are used, not the two rates as if they were counts.

    Parameters
    ----------
    numerator, denominator : int
        The proportion now, e.g. solved crimes and crimes.
    baseline_numerator, baseline_denominator : int
        The baseline proportion.
    target : float
        The target, as a percentage (``25`` for 25%).
    polarity : {"lower_is_better", "higher_is_better"}, default "higher_is_better"
        Which direction is good (a solved rate: higher).
    require_significance : bool, default False
        Demand statistical evidence (Newcombe) for green.
    confidence : float, default 0.95
        The confidence level of that interval.

    Returns
    -------
    Rag
        ``baseline``, ``actual`` and ``target`` are percentages; ``proportion_change`` holds
        the change in proportions with its Newcombe interval.

    Raises
    ------
    NegativeCountError, NumeratorAboveDenominatorError, InvalidDenominatorError
        As :func:`proportion`, for either proportion.
    InvalidInputError, UnknownOptionError
        A negative or non-finite target, or an unknown polarity.

    Examples
    --------
    95 of 100 crimes solved against 85 of 100, target 90%: the rise of 10 points is significant
    as a change in proportions (it would not be as 95 crimes against 85).

    >>> import crimeperf as cp
    >>> status = cp.rag_proportion(95, 100, 85, 100, 90, require_significance=True)
    >>> status.status
    'green'
    >>> status.reason
    '95.0% meets the target of 90.0% (rise of 10.0 percentage points on the baseline of 85.0%)'
    >>> cp.rag(85, 95, 90, polarity="higher_is_better", require_significance=True).status
    'amber'
    """
    return _crimeperf.rag_proportion(
        numerator,
        denominator,
        baseline_numerator,
        baseline_denominator,
        target,
        polarity=polarity,
        require_significance=require_significance,
        confidence=confidence,
    )


def standardised_ratio(
    observed: int,
    expected: float,
    *,
    per: float = 100,
    confidence: float = 0.95,
) -> StandardisedRatio:
    """An indirectly standardised ratio: ``observed / expected × per`` with its interval, e.g.
    actual against predicted re-offending, or crimes against a model's expectation.

    The limits are those of the observed count as a Poisson mean (exact below 10 events, Byar's
    from 10, as :func:`rate` with ``method="auto"``) over the expected count, which is taken as
    known: PHEindicatormethods' ``calculate_ISRatio`` with ``refvalue=per``.

    Parameters
    ----------
    observed : int
        The observed count.
    expected : float
        The expected count (above zero).
    per : float, default 100
        The multiplier: with 100, 100 means "as expected".
    confidence : float, default 0.95
        The confidence level.

    Returns
    -------
    StandardisedRatio
        ``value``, ``lower``, ``upper``, ``method``, ``observed``, ``expected``, ``per`` and
        ``describe()``.

    Raises
    ------
    NegativeCountError
        A negative observed count.
    InvalidDenominatorError
        An expected count that is zero, negative or not finite.

    Examples
    --------
    >>> import crimeperf as cp
    >>> ratio = cp.standardised_ratio(91, 835.8835612311743)  # PHEindicatormethods' test data
    >>> round(ratio.value, 4), round(ratio.lower, 4), round(ratio.upper, 4), ratio.method
    (10.8867, 8.765, 13.3666, 'byar')
    >>> ratio.describe()
    '10.9 (8.8 to 13.4): significantly below the expected 100'
    """
    return _crimeperf.standardised_ratio(observed, expected, per=per, confidence=confidence)
