"""Checking published tables against their own numbers: tables transcribed here with the faults
found in real documents (a total off by one, a percent change that does not follow from its
counts, a "50% cut" whose halves were truncated), and tables that agree giving no rows."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

import crimeperf as cp


def test_a_total_off_by_one() -> None:
    # A CSP plan's table: the printed total is one more than its rows.
    table = pl.DataFrame({
        "crime": ["Burglary", "Vehicle crime", "Robbery", "All acquisitive"],
        "2023/24": [312, 455, 61, 828],
        "2024/25": [298, 401, 58, 758],
    })
    found = cp.reconcile(table, label="crime", total="All acquisitive",
                         sum_columns=["2023/24", "2024/25"])
    assert found.rows() == [("All acquisitive", "2024/25", "sum", 758.0, 757.0, 1.0, None)]


def test_a_percent_change_that_does_not_follow_from_its_counts() -> None:
    # 168 to 206 is +22.6%; the printed +26.2% has its digits swapped. -1.75% prints as -1.8
    # (half away from zero, as ONS does), so a printed -1.8 is right and -1.7 is not.
    table = pl.DataFrame({
        "crime": ["Burglary", "Theft", "Criminal damage", "Shoplifting"],
        "previous": [168, 400, 400, 0], "current": [206, 393, 393, 12],
        "percent": ["26.2%", "-1.8%", "-1.7", "n/a"],
    })
    with pytest.raises(cp.ColumnTypeError, match="'n/a' is not a number"):
        cp.reconcile(table, label="crime", change=("previous", "current", "percent"))
    fixed = table.with_columns(pl.when(pl.col("crime") == "Shoplifting").then(None)
                               .otherwise(pl.col("percent")).alias("percent"))
    found = cp.reconcile(fixed, label="crime", change=("previous", "current", "percent"))
    rows = {(r["label"], r["check"]): r for r in found.iter_rows(named=True)}
    assert rows[("Burglary", "percent_change")]["recomputed"] == 22.6
    assert rows[("Criminal damage", "percent_change")]["recomputed"] == -1.8
    assert ("Theft", "percent_change") not in rows
    # A blank percent beside counts is listed with why, never skipped.
    assert rows[("Shoplifting", "percent_change")]["note"] == "a blank count or percent"


def test_a_fifty_percent_cut_that_truncates_halves() -> None:
    plan = pl.DataFrame({
        "priority": ["Arson", "Robbery", "Knife crime", "Hate crime"],
        "baseline": [25, 40, 17, 9],
        "target": [12, 20, 8, 5],  # half up: 12.5 -> 13, 8.5 -> 9, 4.5 -> 5
    })
    found = cp.reconcile(plan, label="priority", target=("baseline", -50, "target", "half_up"))
    assert found.select("label", "printed", "recomputed").rows() == [
        ("Arson", 12.0, 13.0), ("Knife crime", 8.0, 9.0)]
    # Under the plan's own stated rounding (down), the same table agrees.
    assert cp.reconcile(plan.filter(pl.col("priority") != "Hate crime"), label="priority",
                        target=("baseline", -50, "target", "floor")).height == 0


def test_an_agreeing_table_gives_no_rows_in_the_callers_kind() -> None:
    table = pd.DataFrame({"area": ["A", "B", "Total"], "crimes": [10, 15, 25],
                          "before": [8, 15, 23], "percent": [25.0, 0.0, 8.7]})
    found = cp.reconcile(table, label="area", total="Total", sum_columns=["crimes", "before"],
                         change=("before", "crimes", "percent"))
    assert isinstance(found, pd.DataFrame) and len(found) == 0
    assert list(found.columns) == ["label", "column", "check", "printed", "recomputed",
                                   "difference", "note"]


def test_reconcile_errors() -> None:
    table = pl.DataFrame({"area": ["A", "Total"], "crimes": [10, 10]})
    with pytest.raises(cp.InvalidInputError, match="no row labelled 'All'"):
        cp.reconcile(table, label="area", total="All", sum_columns=["crimes"])
    with pytest.raises(cp.ColumnNotFoundError, match="'offences'"):
        cp.reconcile(table, label="area", total="Total", sum_columns=["offences"])
    with pytest.raises(cp.InvalidInputError, match="needs total="):
        cp.reconcile(table, label="area", sum_columns=["crimes"])
