"""The values each option accepts, one snake_case spelling each, as ``Literal`` types so that
editors complete them and type checkers catch a typo. The compiled extension accepts exactly
these (case aside) and suggests the closest for anything else."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "Errors",
    "FunnelMethod",
    "FunnelStatistic",
    "GroupAverage",
    "MissingPeers",
    "Polarity",
    "PopulationKind",
    "RateMethod",
    "Rounding",
]

#: How a target is rounded: ``"half_up"`` (292.5 to 293, as published plans do), ``"floor"``,
#: ``"ceil"`` or ``"none"``.
Rounding = Literal["half_up", "floor", "ceil", "none"]

#: Which direction is good: fewer crimes, or more solved crimes.
Polarity = Literal["lower_is_better", "higher_is_better"]

#: How a rate's interval is computed: exact below 10 events and Byar from 10, or one of them.
RateMethod = Literal["auto", "exact", "byar"]

#: What a frame function does with a bad row: raise, or give nulls and the reason.
Errors = Literal["raise", "null"]

#: Which group average an area is compared with: the unweighted mean of the members' rates (the
#: HMIC comparator's and iQuanta's "group average") or the pooled rate (the group's crimes over its
#: population).
GroupAverage = Literal["mean", "pooled"]

#: What a peer comparison does with a group member missing from the frame: raise an error naming
#: it, or rank the area among the members there are (the group size and ``peers_missing`` say so).
MissingPeers = Literal["raise", "drop"]

#: Which denominator a rate is per: residents (population) or households (burglary).
PopulationKind = Literal["residents", "households"]

#: What a funnel plot shows: a rate per head, a proportion, or a ratio of observed to expected.
FunnelStatistic = Literal["rate", "proportion", "ratio"]

#: How funnel limits are computed: exact Poisson/binomial, or (proportions only) PHE's Wilson.
FunnelMethod = Literal["exact", "wilson"]

#: The statistic of the Poisson E-test: the score statistic (statsmodels' "etest") or the Wald
#: statistic (Krishnamoorthy and Thomson's own, statsmodels' "etest-wald").
EStatistic = Literal["score", "wald"]
