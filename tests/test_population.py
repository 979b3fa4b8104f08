"""Denominators: ``cp.add_population`` and the bundled ONS CSP tables (``cp.ons_csp_tables``).

Expected values come from the bundled CSV files read here with the ``csv`` module (independent of
the joins under test), from the Essex extract built by its own standard-library script, and from
ONS's printed figures in the workbook (when ``../shared`` is here; required in CI).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import polars as pl
import pytest

import crimeperf as cp
from shared_data import RAW, needs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "crates" / "crimeperf-polars" / "data"
ESSEX_EXTRACT = ROOT / "data" / "ons_csp_essex_ye_dec2024.csv"
WORKBOOK = RAW / "ons_pfa_csp_tables_ye_dec2024" / "policeforceareatablesyedecember2024.xlsx"
TOTAL = "Total recorded crime (excluding fraud)"
ROCHFORD_CSP, ROCHFORD_LA, ESSEX = "E22000088", "E07000075", "E23000028"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def la_population() -> dict[tuple[str, int], int]:
    return {(r["local_authority_code"], int(r["year"])): int(r["population"])
            for r in rows(DATA / "geography" / "la_population.csv")}


def members(code_column: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for r in rows(DATA / "geography" / "csp_lookup.csv"):
        found[r[code_column]].add(r["local_authority_code"])
    return found


def one(area: str, start: date, **options: str) -> dict:
    counts = pl.DataFrame({area: [options.pop("code")], "period_start": [start]})
    return cp.add_population(counts, area=area, **options).row(0, named=True)


# --- the bundled ONS CSP tables ----------------------------------------------------------------


def test_bundled_tables_cover_every_csp_and_force() -> None:
    ons = cp.ons_csp_tables()
    lookup = rows(DATA / "geography" / "csp_lookup.csv")
    csps = set(ons.filter(pl.col("level") == "csp")["area_code"])
    assert {r["csp_code"] for r in lookup} <= csps
    forces = set(ons.filter(pl.col("level") == "force")["area_code"])
    assert {r["force_code"] for r in lookup} - {"E23000034"} <= forces  # City: no total row
    assert ons["year_ending"].unique().sort().to_list() == [date(2023, 12, 31), date(2024, 12, 31)]
    assert ons.filter(pl.col("level") == "unassigned").height > 0
    # Markers are kept beside their nulls.
    marked = ons.filter(pl.col("ons_percent_change_marker") == "[u]")
    assert marked.height > 0 and marked["ons_percent_change"].is_null().all()


def test_bundled_tables_agree_with_the_essex_extract() -> None:
    # The Essex extract is made by a separate standard-library reader of the same workbook.
    ons = cp.ons_csp_tables().with_columns(year=pl.col("year_ending").dt.year())
    later = ons.filter(pl.col("year") == 2024)
    earlier = ons.filter(pl.col("year") == 2023)
    for row in rows(ESSEX_EXTRACT):
        if row["level"] == "unassigned":
            match = (pl.col("area_name") == row["area_name"])
        else:
            match = (pl.col("area_code") == row["area_code"])
        group = pl.col("offence_group") == row["offence_group"]
        now = later.filter(match, group).row(0, named=True)
        before = earlier.filter(match, group).row(0, named=True)
        assert before["count"] == int(row["count_2023"]), row
        assert now["count"] == int(row["count_2024"]), row
        for column in ("ons_percent_change", "ons_rate_per_1000_population",
                       "ons_rate_per_1000_households"):
            if row[column]:
                assert now[column] == pytest.approx(float(row[column]), rel=1e-12), (row, column)
            else:
                assert now[column] is None, (row, column)
            if f"{column}_marker" in row:
                assert now[f"{column}_marker"] == (row[f"{column}_marker"] or None), row
        for column in ("population", "households"):
            assert now[column] == (int(row[column]) if row[column] else None), row


@needs(WORKBOOK)
def test_bundled_tables_are_the_readers_frame_of_the_workbook() -> None:
    frame = cp.read_ons_csp_tables(WORKBOOK).frame
    bundled = cp.ons_csp_tables()
    assert bundled.schema == frame.schema
    assert bundled.equals(frame)


# --- add_population ----------------------------------------------------------------------------


def test_csp_gets_the_ons_mid_2022_population_for_recent_periods() -> None:
    out = one("csp_code", date(2024, 4, 1), code=ROCHFORD_CSP)
    # Table C4 of the ONS CSP tables prints Rochford's population as 87,200.
    assert (out["population"], out["population_year"]) == (87_200, 2022)
    assert "mid-2022" in out["population_basis"] and "ONS CSP tables" in out["population_basis"]
    later = one("csp_code", date(2025, 1, 1), code=ROCHFORD_CSP)
    assert later["population_year"] == 2022


def test_csp_of_several_local_authorities_sums_them_for_earlier_years() -> None:
    population = la_population()
    csp_las = members("csp_code")
    several = sorted(code for code, las in csp_las.items() if len(las) > 1)
    lookup = rows(DATA / "geography" / "csp_lookup.csv")
    whole = [c for c in several
             if all(r["csp_covers"] == "whole LA" for r in lookup if r["csp_code"] == c)]
    assert len(whole) >= 5
    for code in whole[:5]:
        out = one("csp_code", date(2019, 4, 1), code=code)
        assert out["population"] == sum(population[(la, 2019)] for la in csp_las[code])
        assert out["population_year"] == 2019
        assert out["population_basis"].startswith("sum of its local authorities")


def test_single_authority_csp_before_2022_is_its_authority() -> None:
    out = one("csp_code", date(2020, 4, 1), code=ROCHFORD_CSP)
    assert out["population"] == la_population()[(ROCHFORD_LA, 2020)] == 87_627
    assert "2011 Census based" in out["population_basis"]


def test_force_population() -> None:
    # The ONS tables print Essex's mid-2022 population as 1,877,300 (Table C4).
    recent = one("force_code", date(2024, 1, 1), code=ESSEX)
    assert (recent["population"], recent["population_year"]) == (1_877_300, 2022)
    population = la_population()
    las = members("force_code")[ESSEX]
    assert len(las) == 14
    earlier = one("force_code", date(2021, 4, 1), code=ESSEX)
    assert earlier["population"] == sum(population[(la, 2021)] for la in las)
    assert "Census 2021 based" in earlier["population_basis"]


def test_local_authority_population() -> None:
    population = la_population()
    out = one("local_authority_code", date(2015, 4, 1), code=ROCHFORD_LA)
    assert (out["population"], out["population_year"]) == (population[(ROCHFORD_LA, 2015)], 2015)
    # Rochford is one whole CSP, so the CSP tables give the authority's mid-2022 population.
    recent = one("local_authority_code", date(2024, 4, 1), code=ROCHFORD_LA)
    assert (recent["population"], recent["population_year"]) == (87_200, 2022)
    # Buckinghamshire is shared by four CSPs: its series stops at mid-2021.
    shared = one("local_authority_code", date(2024, 4, 1), code="E06000060")
    assert (shared["population"], shared["population_year"]) == (
        population[("E06000060", 2021)], 2021)


def test_households() -> None:
    households = {(r["area_code"], int(r["year"])): int(r["households"])
                  for r in rows(DATA / "geography" / "la_households.csv")}
    out = one("csp_code", date(2024, 4, 1), code=ROCHFORD_CSP, kind="households")
    assert (out["households"], out["households_year"]) == (households[(ROCHFORD_CSP, 2021)], 2021)
    assert "households" in out["households_basis"]
    assert "population" not in out
    la = one("local_authority_code", date(2012, 4, 1), code=ROCHFORD_LA, kind="households")
    assert (la["households"], la["households_year"]) == (households[(ROCHFORD_LA, 2011)], 2011)
    # Halfway between Census 2011 and mid-2021: the later estimate.
    tie = one("csp_code", date(2016, 4, 1), code=ROCHFORD_CSP, kind="households")
    assert tie["households_year"] == 2021


def test_csp_that_is_part_of_an_authority_has_only_the_ons_estimate() -> None:
    lookup = rows(DATA / "geography" / "csp_lookup.csv")
    part = next(r["csp_code"] for r in lookup if r["csp_covers"] == "part of LA")
    out = one("csp_code", date(2012, 4, 1), code=part)
    assert out["population_year"] == 2022  # the nearest available, and the basis says so
    assert "mid-2022" in out["population_basis"]


def test_rates_from_the_ons_frame_reproduce_ons_rates() -> None:
    ons = cp.ons_csp_tables().filter(
        pl.col("level").is_in(["csp", "force"]), pl.col("year_ending") == date(2024, 12, 31)
    ).drop("population")
    with_population = cp.add_population(ons, area="area_code", year_ending="year_ending")
    assert (with_population["population_year"] == 2022).all()
    rates = cp.rates(with_population, count="count", population="population", errors="null")
    printed = rates.filter(pl.col("ons_rate_per_1000_population").is_not_null(),
                           pl.col("count") > 0)
    assert printed.height > 7000
    # ONS divides by unrounded populations; the bundled ones are rounded to 100, so a rate can be
    # off by up to 50 / population relative (2% for the Isles of Scilly, 0.06% for Rochford).
    relative = (printed["rate"] / printed["ons_rate_per_1000_population"] - 1).abs()
    bound = 50.5 / printed["population"] + 1e-9
    assert (relative <= bound).all()
    assert relative.median() < 2e-4


def test_household_rates_reproduce_ons_residential_burglary_rates() -> None:
    ons = cp.ons_csp_tables().filter(
        pl.col("level") == "csp", pl.col("offence_group") == "Residential burglary",
        pl.col("year_ending") == date(2024, 12, 31),
    ).drop("households")
    out = cp.add_population(ons, area="area_code", kind="households", year_ending="year_ending")
    rates = cp.rates(out, count="count", population="households")
    printed = rates.filter(pl.col("ons_rate_per_1000_households").is_not_null(),
                           pl.col("count") >= 10)
    assert printed.height > 250
    relative = (printed["rate"] / printed["ons_rate_per_1000_households"] - 1).abs()
    assert (relative <= 50.5 / printed["households"] + 1e-9).all()


def test_names_match_without_case() -> None:
    out = one("csp_name", date(2024, 4, 1), code="rochford")
    assert out["population"] == 87_200
    force = one("force_name", date(2024, 4, 1), code="Essex")
    assert force["population"] == 1_877_300


def test_counts_from_police_uk_records() -> None:
    data = cp.read_police_uk(ROOT / "data" / "police_uk")
    located = data.records.filter(pl.col("csp_code").is_not_null())
    counts = cp.count_crimes(located, by="csp_code", period="financial_year")
    out = cp.add_population(counts)
    rochford = out.filter(pl.col("csp_code") == ROCHFORD_CSP)
    assert rochford["population"].to_list() == [87_200, 87_200]
    assert rochford["period"].to_list() == ["2024/25", "2025/26"]
    # Counting by CSP keeps the "No Location" rows as a null area, which has no population.
    with pytest.raises(cp.UnknownAreaError, match="null"):
        cp.add_population(cp.count_crimes(data.records, by="csp_code", period="quarter"))


def test_unknown_area_is_an_error_naming_it() -> None:
    counts = pl.DataFrame({
        "csp_code": [ROCHFORD_CSP, "E22999999", "E22999999"],
        "period_start": [date(2024, 4, 1)] * 3,
    })
    with pytest.raises(cp.UnknownAreaError) as info:
        cp.add_population(counts)
    assert "E22999999" in str(info.value) and "row 1" in str(info.value)
    assert info.value.row == 1 and info.value.areas == ["E22999999"]
    assert isinstance(info.value, ValueError)
    # A force code looked up among CSPs is not found either.
    with pytest.raises(cp.UnknownAreaError, match="among the csps"):
        cp.add_population(counts.with_columns(csp_code=pl.lit(ESSEX)))
    # The Unassigned rows of the ONS tables have no area code and no population.
    unassigned = cp.ons_csp_tables().filter(pl.col("level") == "unassigned")
    with pytest.raises(cp.UnknownAreaError):
        cp.add_population(unassigned, area="area_code", year_ending="year_ending")


def test_bad_arguments() -> None:
    counts = pl.DataFrame({"csp_code": [ROCHFORD_CSP], "period_start": [date(2024, 4, 1)]})
    with pytest.raises(cp.UnknownOptionError, match="people"):
        cp.add_population(counts, kind="people")  # type: ignore[arg-type]
    with pytest.raises(cp.ColumnNotFoundError) as missing:
        cp.add_population(counts, area="la_code")
    assert missing.value.columns == ["la_code"]
    with pytest.raises(cp.ColumnTypeError, match="dates"):
        cp.add_population(counts.with_columns(period_start=pl.lit("2024-04-01")))
    with pytest.raises(cp.MissingValueError, match="row 0"):
        cp.add_population(counts.with_columns(period_start=pl.lit(None, pl.Date)))


def test_result_is_the_callers_kind_of_frame() -> None:
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    counts = pl.DataFrame({"csp_code": [ROCHFORD_CSP], "period_start": [date(2024, 4, 1)]})
    as_pandas = cp.add_population(counts.to_pandas())
    assert isinstance(as_pandas, pd.DataFrame)
    assert as_pandas["population"].tolist() == [87_200]
    as_arrow = cp.add_population(counts.to_arrow())
    assert type(as_arrow).__name__ == "Table"
    assert as_arrow.column("population").to_pylist() == [87_200]
    # A LazyFrame is collected, as the frame functions document.
    assert isinstance(cp.add_population(counts.lazy()), pl.DataFrame)
