"""The priority matrix: scores recomputed by hand from the rules in its documentation,
contributions that add up to the score, weights that do what they say, and clear errors."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crimeperf as cp

TABLE = pl.DataFrame({
    "category": ["Burglary", "Shoplifting", "Violence with injury", "Robbery"],
    "rate": [4.2, 9.8, 5.3, 0.4],
    "significance": ["reduction", "increase", "no_significant_change", "increase"],
    "spc": ["improvement", "concern", None, "common_cause"],
    "verdict": ["significantly_lower", "significantly_higher", "similar", "similar"],
})


def test_scores_follow_the_documented_rules() -> None:
    matrix = cp.priority_matrix(TABLE, spc="spc", peers="verdict",
                                harm={"Violence with injury": 10, "Robbery": 8, "Burglary": 4},
                                concern={"Burglary": 1, "Violence with injury": 2,
                                         "Shoplifting": 3},
                                weights={"harm": 2.0})
    rows = {r["category"]: r for r in matrix.iter_rows(named=True)}
    # Robbery: volume 0.4/9.8; direction mean(1, 0.5); peers 0.5; harm 8/10; concern 0 (unranked).
    volume = 0.4 / 9.8
    want = (volume + 0.75 + 0.5 + 2 * 0.8 + 0.0) / 6
    assert math.isclose(rows["Robbery"]["score"], round(want, 4), abs_tol=1e-4)
    # Violence: the SPC signal is missing, so direction is the change alone (0.5).
    assert rows["Violence with injury"]["direction_score"] == 0.5
    # Burglary ranks first on concern: 1 - (1 - 1)/(3 - 1).
    assert rows["Burglary"]["concern_score"] == 1.0
    for row in matrix.iter_rows(named=True):
        parts = sum(row[c] for c in matrix.columns if c.endswith("_contribution") and row[c])
        assert math.isclose(parts, row["score"], abs_tol=5e-4)
    assert matrix["priority"].to_list() == list(range(1, 5))
    assert matrix["score"].is_sorted(descending=True)
    assert "harm weight 8 (80% of the highest)" in rows["Robbery"]["reasons"]


def test_a_factor_weighted_zero_does_not_count() -> None:
    only_volume = cp.priority_matrix(TABLE, weights={"direction": 0})
    assert only_volume["category"].to_list() == [
        "Shoplifting", "Violence with injury", "Burglary", "Robbery"
    ]
    assert (only_volume["direction_contribution"] == 0).all()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 500, allow_nan=False), min_size=1, max_size=12),
       st.floats(0.1, 10), st.floats(0.1, 10))
def test_scores_lie_between_0_and_1_and_add_up(rates: list[float], w_volume: float,
                                               w_direction: float) -> None:
    table = pl.DataFrame({
        "category": [f"C{i}" for i in range(len(rates))],
        "rate": rates,
        "significance": (["increase", "reduction", "no_significant_change"] * 4)[:len(rates)],
    })
    matrix = cp.priority_matrix(table, weights={"volume": w_volume, "direction": w_direction})
    assert ((matrix["score"] >= 0) & (matrix["score"] <= 1)).all()
    total = matrix["volume_contribution"] + matrix["direction_contribution"]
    assert ((total - matrix["score"]).abs() < 5e-4).all()


def test_bad_input_names_what_is_wrong() -> None:
    with pytest.raises(cp.InvalidInputError, match="Robbery"):
        cp.priority_matrix(TABLE.with_columns(
            pl.when(pl.col("category") == "Robbery").then(pl.lit("up"))
            .otherwise(pl.col("significance")).alias("significance")))
    with pytest.raises(cp.InvalidInputError, match="unknown factors"):
        cp.priority_matrix(TABLE, weights={"fear": 1})
    with pytest.raises(cp.InvalidInputError, match="not in the table"):
        cp.priority_matrix(TABLE, harm={"Arson": 3})
    with pytest.raises(cp.ColumnNotFoundError):
        cp.priority_matrix(TABLE, spc="signal")
