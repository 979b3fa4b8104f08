"""Residents' survey measures: a share with its interval ("55.7% feel safe"), from a count or
from a printed percentage and its sample size, with a design effect for weighted surveys; and
the change between two waves."""

from __future__ import annotations

from typing import Optional

from crimeperf import _crimeperf
from crimeperf._crimeperf import SurveyChange, SurveyProportion
from crimeperf.exceptions import InvalidInputError

__all__ = ["survey_proportion", "survey_change"]


def _one_of(percent: Optional[float], count: Optional[int], base: Optional[int], wave: str) -> None:
    """A share needs exactly one of a percent and a count, and its sample size: say what is
    missing, in words."""
    if percent is None and count is None:
        raise InvalidInputError(
            f"{wave}: give the share as a percent (e.g. 55.7) or as a count of respondents"
        )
    if percent is not None and count is not None:
        raise InvalidInputError(f"{wave}: give a percent or a count of respondents, not both")
    if base is None:
        given = f"percent {percent}" if percent is not None else f"count {count}"
        raise InvalidInputError(
            f"{wave}: the {given} has no sample size; pass base= (the number of respondents "
            "who answered), without which there is no interval"
        )


def survey_proportion(
    percent: Optional[float] = None,
    *,
    count: Optional[int] = None,
    base: Optional[int] = None,
    confidence: float = 0.95,
    design_effect: float = 1.0,
) -> SurveyProportion:
    """A survey share ("55.7% feel safe") with its Wilson interval.

    From a printed ``percent`` and the sample size ``base``, or from a ``count`` of respondents
    and ``base``. A weighted survey's ``design_effect`` (the variance inflation from weighting
    and clustering, stated in the survey's technical report) shrinks the sample to the
    effective size ``base / design_effect``, on which the interval is computed.

    Parameters
    ----------
    percent : float, optional
        The share as printed, 0 to 100.
    count : int, optional
        The number of respondents giving the answer (instead of ``percent``).
    base : int
        The number of respondents who answered the question.
    confidence : float, default 0.95
        The confidence level of the interval.
    design_effect : float, default 1.0
        At least 1; 1 for a simple random sample.

    Returns
    -------
    SurveyProportion
        ``value``, ``lower``, ``upper`` (fractions), ``percent``, ``base``,
        ``effective_base``, ``design_effect``.

    Raises
    ------
    InvalidInputError
        Neither or both of ``percent`` and ``count``, no ``base`` (the message says what is
        missing), a percent outside 0 to 100, a design effect below 1, or a count above the base.
    InvalidDenominatorError
        A base of zero.

    Examples
    --------
    >>> import crimeperf as cp
    >>> print(cp.survey_proportion(55.7, base=1000))
    55.7% (52.6% to 58.8%)
    >>> print(cp.survey_proportion(55.7, base=1000, design_effect=1.5))
    55.7% (51.9% to 59.4%)
    >>> cp.survey_proportion(55.7)
    Traceback (most recent call last):
    ...
    crimeperf.exceptions.InvalidInputError: survey_proportion: the percent 55.7 has no sample size; pass base= (the number of respondents who answered), without which there is no interval
    """
    _one_of(percent, count, base, "survey_proportion")
    return _crimeperf.survey_proportion(percent, count, base=base, design_effect=design_effect,
                                        confidence=confidence)


def survey_change(
    percent: Optional[float] = None,
    previous_percent: Optional[float] = None,
    *,
    count: Optional[int] = None,
    previous_count: Optional[int] = None,
    base: Optional[int] = None,
    previous_base: Optional[int] = None,
    confidence: float = 0.95,
    design_effect: float = 1.0,
    previous_design_effect: Optional[float] = None,
) -> SurveyChange:
    """The change in a survey share between two waves, in percentage points, with Newcombe's
    hybrid score interval (from each wave's Wilson interval on its effective sample size) and
    whether it is statistically significant.

    Parameters
    ----------
    percent, previous_percent : float, optional
        The two waves' shares as printed (0 to 100).
    count, previous_count : int, optional
        Or their counts of respondents.
    base, previous_base : int
        The two waves' sample sizes.
    confidence : float, default 0.95
        The confidence level.
    design_effect, previous_design_effect : float
        Each wave's design effect (the earlier wave's defaults to this wave's).

    Returns
    -------
    SurveyChange
        ``value``, ``lower``, ``upper`` (percentage points), ``significance``, ``current``,
        ``previous`` and ``describe()``.

    Raises
    ------
    InvalidInputError
        A wave without a share or a sample size (named), or a bad percent or design effect.

    Examples
    --------
    >>> import crimeperf as cp
    >>> change = cp.survey_change(55.7, 61.0, base=1000, previous_base=950)
    >>> change.describe(), change.significance
    ('5.3 percentage points lower (55.7% against 61.0%)', 'reduction')
    >>> round(change.lower, 2), round(change.upper, 2)
    (-9.65, -0.92)
    """
    _one_of(percent, count, base, "survey_change (this wave)")
    _one_of(previous_percent, previous_count, previous_base, "survey_change (the earlier wave)")
    return _crimeperf.survey_change(
        percent, previous_percent, count, previous_count, base=base, previous_base=previous_base,
        design_effect=design_effect,
        previous_design_effect=design_effect if previous_design_effect is None
        else previous_design_effect,
        confidence=confidence,
    )
