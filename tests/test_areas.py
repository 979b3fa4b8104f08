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
