"""The frame functions on the bundled ONS extract (data/), with ONS's printed figures as oracle."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import crimeperf as cp

EXTRACT = Path(__file__).resolve().parent.parent / "data" / "ons_csp_essex_ye_dec2024.csv"


@pytest.fixture(scope="module")
def essex() -> pl.DataFrame:
    return pl.read_csv(EXTRACT)


def test_percent_changes_match_ons(essex: pl.DataFrame) -> None:
    out = cp.changes(essex, current="count_2024", previous="count_2023")
    printed = out.filter(pl.col("ons_percent_change").is_not_null())
    assert printed.height > 100
    # ONS's own % change, as printed in its table (to floating-point noise).
    assert (printed["percent"] - printed["ons_percent_change"]).abs().max() < 1e-9
    rochford = out.filter(
        (pl.col("area_name") == "Rochford")
        & (pl.col("offence_group") == "Total recorded crime (excluding fraud)")
    ).row(0, named=True)
    assert rochford["description"] == "5.3% reduction (237 crimes)"
    assert rochford["significance"] == "reduction"


def test_rates_match_ons_within_population_rounding(essex: pl.DataFrame) -> None:
    out = cp.rates(essex, count="count_2024", population="population", errors="null")
    printed = out.filter(pl.col("ons_rate_per_1000_population").is_not_null())
    # ONS divides by unrounded populations; the extract's are rounded to the nearest 100.
    assert ((printed["rate"] / printed["ons_rate_per_1000_population"]) - 1).abs().max() < 2e-3
    assert (printed["rate_lower"] <= printed["rate"]).all()


def test_unassigned_rows_have_no_population(essex: pl.DataFrame) -> None:
    with pytest.raises(cp.MissingValueError) as info:
        cp.rates(essex, count="count_2024", population="population")
    assert info.value.values is not None and info.value.values["population"] is None
    assert essex.row(info.value.row, named=True)["area_name"] == "Unassigned Essex"
    out = cp.rates(essex, count="count_2024", population="population", errors="null")
    unassigned = out.filter(pl.col("area_name") == "Unassigned Essex")
    assert unassigned["rate"].is_null().all()
    assert unassigned["error"].str.contains("population").all()
