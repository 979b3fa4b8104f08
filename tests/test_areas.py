"""Custom areas: a joint partnership counts as the sum of its districts on real police.uk files,
neighbourhoods made of wards place every row of their LSOAs exactly once, populations are the
sums of the parts', and bad definitions are errors naming the code."""

from __future__ import annotations

import warnings
from pathlib import Path

import polars as pl
import pytest

import crimeperf as cp
from shared_data import RAW, needs

ROOT = Path(__file__).resolve().parent.parent
ESSEX = RAW / "police_uk_street_2025_essex_suffolk_norfolk"
JOINT = {"Castle Point and Rochford": ["E07000069", "E07000075"]}


@needs(ESSEX)
def test_a_joint_partnership_is_the_sum_of_its_districts() -> None:
    data = cp.read_police_uk(ESSEX, progress=False)
    joint = cp.define_areas(JOINT, level="local_authority")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cp.ExcludedRowsWarning)
        together = cp.count_crimes(data, by="crime_type", period="quarter", areas=joint)
        apart = cp.count_crimes(
            data.records.filter(pl.col("local_authority_code").is_in(JOINT["Castle Point and Rochford"])),
            by=["local_authority_code", "crime_type"], period="quarter",
        )
    summed = apart.group_by("crime_type", "period").agg(pl.col("crimes").sum(), pl.col("asb_incidents").sum())
    joined = together.join(summed, on=["crime_type", "period"], suffix="_parts")
    assert joined.height == together.height > 0
    assert (joined["crimes"].fill_null(0) == joined["crimes_parts"].fill_null(0)).all()
    assert (joined["asb_incidents"].fill_null(0) == joined["asb_incidents_parts"].fill_null(0)).all()
    populations = cp.add_population(together, areas=joint)
    parts = cp.add_population(
        pl.DataFrame({"local_authority_code": JOINT["Castle Point and Rochford"],
                      "period_start": [together["period_start"][0]] * 2}),
        area="local_authority_code",
    )
    assert populations["population"][0] == parts["population"].sum()


def test_neighbourhoods_from_wards_place_every_row_once() -> None:
    data = cp.read_police_uk(ROOT / "data" / "police_uk", progress=False)
    lookup = cp.geography_table("lsoa_lookup").filter(pl.col("csp_name") == "Rochford")
    wards = sorted(lookup["ward_code"].drop_nulls().unique())
    areas = cp.define_areas({"North": wards[: len(wards) // 2], "South": wards[len(wards) // 2:]},
                            level="ward")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        counts = cp.count_crimes(data, by=[], period="month", areas=areas)
    lsoas = lookup.filter(pl.col("ward_code").is_in(wards))["lsoa_code"].unique()
    records = data.records.filter(pl.col("lsoa_code").is_in(lsoas), ~pl.col("is_asb"),
                                  ~pl.col("outside_force"))
    assert counts["crimes"].sum() == records.height
    assert set(counts["area"]) == {"North", "South"}
    assert any("outside the custom areas" in str(w.message) for w in caught)
    with pytest.raises(cp.UnknownAreaError, match="no bundled residents for wards"):
        cp.add_population(counts, areas=areas)


def test_areas_from_a_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "areas.csv"
    path.write_text("area,code\nCastle Point and Rochford,E07000069\nCastle Point and Rochford,E07000075\n")
    assert cp.define_areas(path, level="local_authority").parts.rows() == [
        ("Castle Point and Rochford", "E07000069"), ("Castle Point and Rochford", "E07000075")]
    path.write_text("area,code\nJoint,E07000069\n,E07000075\n")
    with pytest.raises(cp.InvalidInputError, match="line 3 has a blank"):
        cp.define_areas(path, level="local_authority")


def test_bad_definitions_name_the_code() -> None:
    with pytest.raises(cp.UnknownAreaError, match="'E07999999' is not a local authority code"):
        cp.define_areas({"Joint": ["E07000069", "E07999999"]}, level="local_authority")
    with pytest.raises(cp.UnknownAreaError, match="'E07000069' is not a ward code"):
        cp.define_areas({"Joint": ["E07000069"]}, level="ward")
    with pytest.raises(cp.InvalidInputError, match="E07000069 is in both 'A' and 'B'"):
        cp.define_areas({"A": ["E07000069"], "B": ["E07000069", "E07000075"]},
                        level="local_authority")
    with pytest.raises(cp.InvalidInputError, match="has no local authority codes"):
        cp.define_areas({"Empty": []}, level="local_authority")
    with pytest.raises(cp.UnknownOptionError, match="unknown level"):
        cp.define_areas(JOINT, level="county")  # type: ignore[arg-type]


@needs(ESSEX)
def test_custom_areas_rank_among_each_other() -> None:
    """Custom areas are areas like any other for rates, changes and peers: four south Essex
    areas, one of them a joint partnership, ranked in one group, checked by hand."""
    data = cp.read_police_uk(ESSEX, progress=False)
    areas = cp.define_areas({
        "Castle Point and Rochford": ["E07000069", "E07000075"], "Basildon": ["E07000066"],
        "Southend-on-Sea": ["E06000033"], "Brentwood": ["E07000068"],
    }, level="local_authority")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cp.ExcludedRowsWarning)
        counts = cp.count_crimes(data, by=[], period="calendar_year", areas=areas)
    counts = cp.add_population(counts, areas=areas)
    names = areas.names
    groups = pl.DataFrame([(a, p) for a in names for p in names if a != p],
                          schema=["area", "peer"], orient="row")
    ranked = cp.peer_compare(counts, area="area", count="crimes", population="population",
                             groups=groups, rank_interval=False)
    rates = {r["area"]: r["crimes"] / r["population"] for r in counts.iter_rows(named=True)}
    by_rate = sorted(rates, key=rates.get)
    assert {r["area"]: r["rank"] for r in ranked.iter_rows(named=True)} == {
        a: by_rate.index(a) + 1 for a in names}


def test_a_joint_partnership_ranked_among_csps_from_the_ons_tables() -> None:
    ons = cp.ons_csp_tables()
    latest = ons.filter(pl.col("level") == "csp", pl.col("year_ending") == pl.date(2024, 12, 31),
                        pl.col("offence_group") == "Total recorded crime (excluding fraud)")
    code = dict(zip(latest["area_name"], latest["area_code"]))
    joint = cp.define_areas({"Castle Point and Rochford": [code["Castle Point"], code["Rochford"]]},
                            level="csp")
    others = ["Basildon", "Brentwood", "Southend-on-Sea", "Maldon"]
    groups = {"Castle Point and Rochford": [code[o] for o in others]}
    result = cp.peer_compare(latest, area="area_code", count="count", population="population",
                             groups=groups, name="area_name", areas=joint, rank_interval=False)
    row = result.row(0, named=True)
    pick = latest.filter(pl.col("area_name").is_in(["Castle Point", "Rochford"]))
    joint_rate = pick["count"].sum() / pick["population"].sum() * 1000
    assert row["area"] == "Castle Point and Rochford" and row["rate"] == pytest.approx(joint_rate)
    member_rates = [joint_rate] + [
        latest.filter(pl.col("area_name") == o)["count"][0]
        / latest.filter(pl.col("area_name") == o)["population"][0] * 1000 for o in others]
    assert row["rank"] == sorted(member_rates).index(joint_rate) + 1
    assert row["description"].startswith("Castle Point and Rochford: ")
    missing = cp.define_areas({"Joint": [code["Rochford"], "E22000001"]}, level="csp")
    with pytest.raises(cp.UnknownAreaError, match="E22000001"):
        cp.peer_compare(latest.filter(pl.col("area_code") != "E22000001"), area="area_code",
                        count="count", population="population", groups=groups, areas=missing)
