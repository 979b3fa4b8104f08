"""The indicator catalogue: the bundled definitions load and extend from TOML, bad definitions
are errors naming the indicator, and the bundled catalogue computed for Rochford agrees with the
ONS tables' printed counts and rates (within what the bundled populations' rounding to 100
and the recovered unrounded denominators give) and with scipy's exact test; the police.uk path counts what the files hold."""

from __future__ import annotations

import warnings
from pathlib import Path

import polars as pl
import pytest
from scipy.stats import binomtest

import crimeperf as cp

ROOT = Path(__file__).resolve().parent.parent


def test_the_bundled_catalogue_and_extending_it(tmp_path: Path) -> None:
    bundled = cp.indicator_catalogue()
    assert bundled.ids == ["total_recorded_crime", "serious_acquisitive_crime",
                           "residential_burglary", "violence_with_injury",
                           "criminal_damage_and_arson", "vehicle_offences", "shoplifting",
                           "asb_incidents"]
    mine = tmp_path / "plan.toml"
    mine.write_text(
        '[[indicator]]\nid = "shoplifting"\ntitle = "Shoplifting per 1,000 residents"\n'
        'offence_groups = ["Shoplifting"]\ndenominator = "residents"\n'
        'target = { change_percent = -10, rounding = "floor" }\n\n'
        '[[indicator]]\nid = "robbery"\ntitle = "Robbery"\noffence_groups = ["Robbery"]\n'
        'denominator = "none"\nper = 1\n'
    )
    extended = cp.indicator_catalogue(mine)
    assert extended.ids == bundled.ids + ["robbery"]
    row = extended.table.filter(pl.col("id") == "shoplifting").row(0, named=True)
    assert (row["denominator"], row["target_change_percent"], row["target_rounding"]) == (
        "residents", -10.0, "floor")
    assert cp.indicator_catalogue(mine, replace=True).ids == ["shoplifting", "robbery"]


@pytest.mark.parametrize("text,message", [
    ('[[indicator]]\nid = "x"\ntitle = "x"\ncrime_types = ["Arson"]\ndenominator = "none"',
     'indicator "x": unknown crime category "Arson"'),
    ('[[indicator]]\nid = "x"\ntitle = "x"\ndenominator = "none"',
     'indicator "x": indicator needs offence_groups or crime_types'),
    ('[[indicator]]\nid = "x"\ntitle = "x"\noffence_groups = ["Robbery"]\ndenominator = "none"\ncolour = "red"',
     "unknown field `colour`"),
    ('[[indicator]]\nid = "x"\ntitle = "x"\noffence_groups = ["Robbery"]\ndenominator = "none"\n'
     '[[indicator]]\nid = "x"\ntitle = "y"\noffence_groups = ["Robbery"]\ndenominator = "none"',
     'the id "x" is used by two indicators'),
])
def test_bad_definitions_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(cp.InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        cp.indicator_catalogue(path)


def test_rochford_agrees_with_the_ons_tables() -> None:
    ons = cp.ons_csp_tables()
    out = cp.indicators(ons, areas=["Rochford"])
    rochford = ons.filter(pl.col("area_name") == "Rochford")
    latest = rochford.filter(pl.col("year_ending") == pl.date(2024, 12, 31))
    earlier = rochford.filter(pl.col("year_ending") == pl.date(2023, 12, 31))
    now = dict(zip(latest["offence_group"], latest["count"]))
    then = dict(zip(earlier["offence_group"], earlier["count"]))
    printed = {**dict(zip(latest["offence_group"], latest["ons_rate_per_1000_population"])),
               "Residential burglary": latest.filter(
                   pl.col("offence_group") == "Residential burglary")["ons_rate_per_1000_households"][0]}
    population = latest["population"][0]
    for row in out.iter_rows(named=True):
        spec = cp.indicator_catalogue().table.filter(pl.col("id") == row["indicator"]).row(0, named=True)
        groups = spec["offence_groups"]
        assert row["count"] == sum(now[g] for g in groups)
        assert row["previous_count"] == sum(then[g] for g in groups)
        # scipy.stats.binomtest(current, current + previous, 0.5).pvalue
        assert row["p_value"] == pytest.approx(
            binomtest(row["count"], row["count"] + row["previous_count"], 0.5).pvalue, rel=1e-9)
        if len(groups) == 1 and spec["denominator"] != "none":
            # ONS divides by unrounded estimates, which crimeperf recovers from the printed
            # rates (the tables print them rounded to 100): the rates are ONS's own.
            assert row["value"] == pytest.approx(printed[groups[0]], rel=1e-12), row["indicator"]
            assert row["denominator_source"].startswith("ONS's unrounded estimate")
            assert abs(row["denominator_value"] - (population if spec["denominator"] == "residents"
                                                   else latest["households"][0])) <= 50
    assert set(out["indicator"]) == set(cp.indicator_catalogue().ids) - {"asb_incidents"}


def test_a_target_rule_gives_rag(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[[indicator]]\nid = "burglary"\ntitle = "Residential burglary"\n'
                    'offence_groups = ["Residential burglary"]\ndenominator = "households"\n'
                    'target = { change_percent = -10 }\n')
    out = cp.indicators(cp.ons_csp_tables(), cp.indicator_catalogue(plan, replace=True),
                        areas=["E22000088", "Basildon"])
    rows = {r["area_name"]: r for r in out.iter_rows(named=True)}
    rochford = rows["Rochford"]
    assert rochford["target"] == float(cp.target(136, -10)) == 122.0
    assert rochford["rag"] == "red"  # 151 against a target of 122, up on 136
    assert set(rows) == {"Rochford", "Basildon"}


def test_police_uk_records_by_csp_and_by_custom_area() -> None:
    data = cp.read_police_uk(ROOT / "data" / "police_uk", progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cp.ExcludedRowsWarning)
        out = cp.indicators(data, areas=["Rochford"], period="quarter")
    rows = {r["indicator"]: r for r in out.iter_rows(named=True)}
    records = data.records.filter(pl.col("csp_name") == "Rochford", ~pl.col("outside_force"))
    q2 = records.filter(pl.col("month") >= pl.date(2025, 4, 1))
    assert rows["criminal_damage_and_arson"]["count"] == q2.filter(
        pl.col("crime_type") == "Criminal damage and arson").height
    assert rows["asb_incidents"]["count"] == q2.filter(pl.col("is_asb")).height
    assert rows["total_recorded_crime"]["count"] == q2.filter(~pl.col("is_asb")).height
    assert rows["asb_incidents"]["period"] == "2025 Q2"
    assert rows["asb_incidents"]["denominator_value"] == 87200
    joint = cp.define_areas({"Rochford district": ["E07000075"]}, level="local_authority")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cp.ExcludedRowsWarning)
        custom = cp.indicators(data, areas=joint, period="quarter")
    assert custom.filter(pl.col("indicator") == "asb_incidents")["count"][0] == rows["asb_incidents"]["count"]


def test_indicator_errors() -> None:
    ons = cp.ons_csp_tables()
    with pytest.raises(cp.UnknownAreaError, match="'Atlantis'"):
        cp.indicators(ons, areas=["Atlantis"])
    with pytest.raises(cp.InvalidInputError, match="is not in the data's years"):
        import datetime as dt
        cp.indicators(ons, periods=[dt.date(2020, 12, 31), dt.date(2024, 12, 31)])
    with pytest.raises(cp.InvalidInputError, match="a change needs two"):
        cp.indicators(ons.filter(pl.col("year_ending") == pl.date(2024, 12, 31)))
