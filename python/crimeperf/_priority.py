"""The priority matrix of a strategic assessment: every crime category scored on volume, direction,
position against similar areas, harm and residents' concern, with the weights in the open and each
factor's contribution shown, so that the author can defend the ranking.

Each factor is put on a 0-to-1 scale by a rule simple enough to say in a committee:

* **volume**: the category's rate per 1,000 over the highest rate among the categories;
* **direction**: a significant increase scores 1, no significant change 0.5, a significant
  reduction 0 (the exact test of ``cp.changes``); with an SPC signal as well (``"concern"`` 1,
  ``"common_cause"`` or none 0.5, ``"improvement"`` 0) the two are averaged;
* **peers**: significantly higher than the group average 1, similar 0.5, significantly lower 0
  (``verdict_95`` of ``cp.peer_compare``);
* **harm**: a weight per category supplied by the user (a crime severity score), over the
  highest; not scored unless given;
* **concern**: residents' ranking of the category (1 = most concern) from a survey, scored
  ``1 - (rank - 1) / (n - 1)``; not scored unless given.

The score is the weighted mean of the factors that are scored, ``Σ wᵢ sᵢ / Σ wᵢ``; each factor's
contribution is ``wᵢ sᵢ / Σ wᵢ``, so the contributions add up to the score.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

import polars as pl

from crimeperf._exchange import like, to_polars
from crimeperf.exceptions import ArgumentTypeError, ColumnNotFoundError, InvalidInputError

__all__ = ["priority_matrix", "DEFAULT_WEIGHTS"]

#: The weights of the factors when none are given: every factor counts the same.
DEFAULT_WEIGHTS: dict[str, float] = {
    "volume": 1.0, "direction": 1.0, "peers": 1.0, "harm": 1.0, "concern": 1.0,
}

_DIRECTION = {"increase": 1.0, "no_significant_change": 0.5, "reduction": 0.0}
_SPC = {"concern": 1.0, "common_cause": 0.5, "improvement": 0.0}
_PEERS = {"significantly_higher": 1.0, "similar": 0.5, "significantly_lower": 0.0}


def _need(df: pl.DataFrame, name: Optional[str], what: str) -> None:
    if name is not None and name not in df.columns:
        error = ColumnNotFoundError(f"no {what} column {name!r}; the frame has {df.columns}")
        error.columns = [name]
        raise error


def _scored(df: pl.DataFrame, column: Optional[str], table: dict[str, float], what: str,
            category: str) -> Optional[list[Optional[float]]]:
    if column is None:
        return None
    out: list[Optional[float]] = []
    for name, value in zip(df[category].to_list(), df[column].to_list()):
        if value is None:
            out.append(None)
        elif value in table:
            out.append(table[value])
        else:
            raise InvalidInputError(
                f"{name}: {what} {value!r} is not one of {sorted(table)}"
            )
    return out


def priority_matrix(
    table: Any,
    *,
    category: str = "category",
    rate: str = "rate",
    significance: Optional[str] = "significance",
    spc: Optional[str] = None,
    peers: Optional[str] = None,
    harm: Optional[Mapping[str, float]] = None,
    concern: Optional[Mapping[str, int]] = None,
    weights: Optional[Mapping[str, float]] = None,
) -> Any:
    """Score and rank every crime category for a strategic assessment, each factor's contribution
    shown (the rules are in the module's documentation).

    Parameters
    ----------
    table : frame
        One row per category: its name, its rate per 1,000 and optionally the significance of its
        change (``cp.changes``), an SPC signal and a peer verdict.
    category, rate : str
        The columns of the category's name and its rate per 1,000.
    significance : str or None, default "significance"
        The column of ``"increase"``, ``"no_significant_change"`` or ``"reduction"``; None to
        leave the change out.
    spc : str, optional
        A column of ``"concern"``, ``"common_cause"`` or ``"improvement"`` (the latest point's
        ``variation`` of ``cp.spc``).
    peers : str, optional
        A column of ``verdict_95`` values from ``cp.peer_compare``.
    harm : dict, optional
        A weight per category (a crime severity score); categories left out score 0.
    concern : dict, optional
        Residents' ranking per category, 1 = most concern; categories left out score 0.
    weights : dict, optional
        The weight of each factor (``volume``, ``direction``, ``peers``, ``harm``, ``concern``);
        1 each by default. A factor weighted 0 is shown but does not count.

    Returns
    -------
    frame
        The caller's kind of frame, highest priority first: ``priority`` (1 = highest),
        ``category``, ``rate``, per factor ``<factor>_score`` and ``<factor>_contribution``,
        ``score`` (the sum of the contributions), and ``reasons`` (the factors in words).

    Raises
    ------
    ColumnNotFoundError
        A column named is not in the frame.
    InvalidInputError
        A null or negative rate, a significance, SPC or peer value that is not one of the
        spellings above (naming the category), an unknown factor in ``weights``, a negative
        weight, or a survey rank below 1.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> table = pl.DataFrame({
    ...     "category": ["Burglary", "Shoplifting", "Violence with injury"],
    ...     "rate": [4.2, 9.8, 5.3],
    ...     "significance": ["reduction", "increase", "no_significant_change"],
    ... })
    >>> matrix = cp.priority_matrix(table, harm={"Violence with injury": 10, "Burglary": 4,
    ...                                          "Shoplifting": 1})
    >>> matrix.select("priority", "category", "score").rows()
    [(1, 'Shoplifting', 0.7), (2, 'Violence with injury', 0.6803), (3, 'Burglary', 0.2762)]
    >>> print(matrix["reasons"][1])
    volume 5.3 per 1,000 (54% of the highest); no significant change; harm weight 10 (100% of the highest)
    """
    df = to_polars(table)
    for name, what in ((category, "category"), (rate, "rate"), (significance, "significance"),
                       (spc, "SPC"), (peers, "peers")):
        _need(df, name, what)
    chosen = dict(DEFAULT_WEIGHTS)
    if weights is not None:
        unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
        if unknown:
            raise InvalidInputError(
                f"unknown factors in weights: {unknown}; the factors are {list(DEFAULT_WEIGHTS)}"
            )
        chosen.update({k: float(v) for k, v in weights.items()})
    negative = {k: v for k, v in chosen.items() if not v >= 0}
    if negative:
        raise InvalidInputError(f"weights must not be negative: {negative}")
    names = [str(n) for n in df[category].to_list()]
    rates = df[rate].to_list()
    for name, value in zip(names, rates):
        if value is None or not value >= 0:
            raise InvalidInputError(f"{name}: the rate {value!r} is missing or negative")
    highest = max(rates) if rates else 0.0
    factors: dict[str, list[Optional[float]]] = {
        "volume": [v / highest if highest > 0 else 0.0 for v in rates],
    }
    direction = _scored(df, significance, _DIRECTION, "significance", category)
    signal = _scored(df, spc, _SPC, "SPC signal", category)
    if direction is not None or signal is not None:
        parts = [p for p in (direction, signal) if p is not None]
        combined: list[Optional[float]] = []
        for values in zip(*parts):
            present = [v for v in values if v is not None]
            combined.append(sum(present) / len(present) if present else None)
        factors["direction"] = combined
    peer = _scored(df, peers, _PEERS, "peer verdict", category)
    if peer is not None:
        factors["peers"] = peer
    if harm is not None:
        unknown = sorted(set(harm) - set(names))
        if unknown:
            raise InvalidInputError(f"harm weights for categories not in the table: {unknown}")
        top = max(harm.values(), default=0)
        factors["harm"] = [harm.get(n, 0) / top if top > 0 else 0.0 for n in names]
    if concern is not None:
        unknown = sorted(set(concern) - set(names))
        if unknown:
            raise InvalidInputError(f"concern ranks for categories not in the table: {unknown}")
        if any(r < 1 for r in concern.values()):
            raise InvalidInputError("survey ranks start at 1 (the greatest concern)")
        worst = max(concern.values(), default=1)
        factors["concern"] = [
            (1 - (concern[n] - 1) / (worst - 1) if worst > 1 else 1.0) if n in concern else 0.0
            for n in names
        ]
    rows = []
    for i, name in enumerate(names):
        used = {f: s[i] for f, s in factors.items() if s[i] is not None}
        total_weight = sum(chosen[f] for f in used)
        row: dict[str, Any] = {"category": name, "rate": rates[i]}
        score = 0.0
        for factor in factors:
            value = factors[factor][i]
            contribution = (
                chosen[factor] * value / total_weight
                if value is not None and total_weight > 0 else None
            )
            row[f"{factor}_score"] = None if value is None else round(value, 4)
            row[f"{factor}_contribution"] = None if contribution is None else round(contribution, 4)
            score += contribution or 0.0
        row["score"] = round(score, 4)
        row["reasons"] = _reasons(name, rates[i], highest, i, factors, df, significance, spc,
                                  peers, harm)
        rows.append(row)
    out = pl.DataFrame(rows).sort("score", descending=True, maintain_order=True)
    out = out.with_columns(
        pl.col("score").rank("min", descending=True).cast(pl.Int64).alias("priority")
    )
    out = out.select("priority", *[c for c in out.columns if c != "priority"])
    return like(out, table)


def _reasons(name: str, rate: float, highest: float, i: int,
             factors: dict[str, list[Optional[float]]], df: pl.DataFrame,
             significance: Optional[str], spc: Optional[str], peers: Optional[str],
             harm: Optional[Mapping[str, float]]) -> str:
    share = f"{rate / highest:.0%}" if highest > 0 else "0%"
    words = [f"volume {rate:,.1f} per 1,000 ({share} of the highest)"]
    if significance is not None and df[significance][i] is not None:
        words.append({"increase": "significant increase", "reduction": "significant reduction",
                      "no_significant_change": "no significant change"}[df[significance][i]])
    if spc is not None and df[spc][i] is not None:
        words.append({"concern": "SPC signal of concern", "improvement": "SPC signal of improvement",
                      "common_cause": "no SPC signal"}[df[spc][i]])
    if peers is not None and df[peers][i] is not None:
        words.append(df[peers][i].replace("_", " ") + " than similar areas"
                     if df[peers][i] != "similar" else "similar to similar areas")
    if harm is not None:
        top = max(harm.values(), default=0)
        weight = harm.get(name, 0)
        words.append(f"harm weight {weight:g} ({weight / top:.0%} of the highest)" if top > 0
                     else "no harm weight")
    if "concern" in factors:
        words.append(f"residents' concern score {factors['concern'][i]:.2f}")
    return "; ".join(words)
