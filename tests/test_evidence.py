"""The evidence pack: what it writes opens in the tools a strategic-assessment author uses, holds
what it should and nothing it should not, and every number in Rochford's pack is recomputed here
from the bundled ONS tables with scipy (rates, changes, the exact test) and by hand (suppression,
ranks)."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import polars as pl
import pytest
from scipy.stats import binomtest, chi2, norm

import crimeperf as cp
from crimeperf._cli import main
from shared_data import RAW, needs

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")

CODE = "E22000088"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> cp.EvidencePack:
    folder = tmp_path_factory.mktemp("packs") / "rochford"
    return cp.evidence_pack("Rochford", out=folder)


def ons_rows() -> tuple[pl.DataFrame, pl.DataFrame]:
    ons = cp.ons_csp_tables().filter(pl.col("area_code") == CODE)
    latest = ons.filter(pl.col("year_ending") == pl.date(2024, 12, 31))
    previous = ons.filter(pl.col("year_ending") == pl.date(2023, 12, 31))
    return latest, previous


def byar(count: int, level: float = 0.95) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson interval (crimeperf's "auto" from 10 up)."""
    z = norm.ppf(1 - (1 - level) / 2)
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return lower, upper


def test_the_pack_holds_every_file(pack: cp.EvidencePack) -> None:
    names = sorted(str(p.relative_to(pack.folder)) for p in pack.files)
    assert {"report.html", "evidence.docx", "evidence.xlsx", "sentences.txt"} <= set(names)
    charts = [n for n in names if n.startswith("charts/")]
    assert len(charts) == 6 and all(n.endswith(".png") for n in charts)
    assert not [p for p in pack.folder.parent.iterdir() if p.name.startswith(".crimeperf-pack")]


def test_every_published_number_is_recomputed_from_the_ons_tables(pack: cp.EvidencePack) -> None:
    latest, previous = ons_rows()
    current = dict(zip(latest["offence_group"], latest["count"]))
    before = dict(zip(previous["offence_group"], previous["count"]))
    population = latest["population"][0]
    for row in pack.headline.iter_rows(named=True):
        category = row["category"]
        c, p = current[category], before[category]
        if row["current"] is None:
            assert c < 5 or p < 5 or row["current_suppressed"] == "secondary", category
            assert row["rate"] is None and row["percent_change"] is None
            continue
        assert (row["previous"], row["current"]) == (p, c)
        assert row["change"] == c - p
        if p:
            assert math.isclose(row["percent_change"], 100 * (c - p) / p, rel_tol=1e-12)
        # The exact conditional test: current ~ Binomial(current + previous, 1/2).
        want = binomtest(c, c + p, 0.5).pvalue
        assert math.isclose(row["p_value"], want, rel_tol=1e-9, abs_tol=1e-12), category
        verdict = ("no_significant_change" if want >= 0.05
                   else "increase" if c > p else "reduction")
        assert row["significance"] == verdict, category
        assert math.isclose(row["rate"], c / population * 1000, rel_tol=1e-12)
        lower, upper = (
            byar(c) if c >= 10
            else (chi2.ppf(0.025, 2 * c) / 2 if c else 0.0, chi2.ppf(0.975, 2 * c + 2) / 2)
        )
        assert math.isclose(row["rate_lower"], lower / population * 1000, rel_tol=1e-9)
        assert math.isclose(row["rate_upper"], upper / population * 1000, rel_tol=1e-9)
    sentences = dict(s.split(": ", 1) for s in pack.sentences)
    assert sentences["Total recorded crime (excluding fraud)"].startswith(
        "5.3% reduction (237 crimes), a statistically significant reduction")
    assert sentences["Residential burglary"] == (
        "11.0% increase (15 crimes), not a statistically significant change.")


def test_small_counts_are_suppressed_and_cannot_be_recovered(pack: cp.EvidencePack) -> None:
    latest, previous = ons_rows()
    groups = {label: (parent, leaf) for label, parent, leaf in cp._crimeperf.offence_groups()}
    table = {r["category"]: r for r in pack.headline.iter_rows(named=True)}
    for frame, column in ((latest, "current"), (previous, "previous")):
        for category, count in zip(frame["offence_group"], frame["count"]):
            if count < 5:
                assert table[category][column] is None, (category, column)
                assert table[category][f"{column}_suppressed"] == "primary"
        # Within each family (a group and its parts), a published parent and published
        # siblings must never leave exactly one part unknown.
        for parent in {p for p, _ in groups.values() if p}:
            parts = [g for g, (p, _) in groups.items() if p == parent]
            hidden = [g for g in parts if table[g][column] is None]
            if table[parent][column] is not None:
                assert len(hidden) != 1, (parent, column, hidden)
    assert pack.suppressed["primary"] == 4  # homicide and death by driving, both years
    assert any("Disclosure control" in c for c in pack.caveats)


def test_the_peer_rows_agree_with_a_hand_ranking(pack: cp.EvidencePack) -> None:
    latest = cp.ons_csp_tables().filter(
        (pl.col("level") == "csp") & (pl.col("year_ending") == pl.date(2024, 12, 31))
    )
    groups = cp.demonstration_groups().filter(pl.col("area") == CODE)
    members = [CODE, *groups["peer"].to_list()]
    for row in pack.peers.iter_rows(named=True):
        per = "households" if row["per_1000"] == "households" else "population"
        rows = latest.filter((pl.col("offence_group") == row["category"])
                             & pl.col("area_code").is_in(members))
        rates = {a: c / n * 1000 for a, c, n in rows.select("area_code", "count", per).iter_rows()}
        rank = 1 + sum(r < rates[CODE] for r in rates.values())
        assert row["rank_text"].endswith(f"out of {len(members)}")
        assert int(re.match(r"(?:joint )?(\d+)", row["rank_text"]).group(1)) == rank
        assert math.isclose(row["group_mean"], sum(rates.values()) / len(rates), rel_tol=1e-12)


def test_the_html_is_self_contained(pack: cp.EvidencePack) -> None:
    text = (pack.folder / "report.html").read_text(encoding="utf-8")
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert not re.search(r"(src|href)\s*=\s*['\"](?!data:)", text)
    assert "url(" not in text
    assert text.count("data:image/png;base64,") == 6
    for needed in ("Headline: police recorded crime", "Total recorded crime (excluding fraud)",
                   "Caveats", "not the Home Office most similar groups", "Priority matrix",
                   "Open Government Licence"):
        assert needed in text, needed


def test_the_word_document_and_workbook_open(pack: cp.EvidencePack) -> None:
    document = docx.Document(str(pack.folder / "evidence.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Residential burglary: 11.0% increase (15 crimes)" in text
    assert len(document.tables) >= 3 and len(document.inline_shapes) == 6
    book = openpyxl.load_workbook(pack.folder / "evidence.xlsx")
    assert book.sheetnames == ["Headline", "Sentences", "Peers", "Priority", "Caveats"]
    sheet = book["Headline"]
    header = [c.value for c in sheet[1]]
    total = [c.value for c in sheet[2]]
    assert total[header.index("current")] == 4208  # a number, not text
    assert isinstance(total[header.index("rate")], float)


def test_an_unknown_area_suggests_the_closest_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(cp.UnknownAreaError, match="did you mean 'Rochford'"):
        cp.evidence_pack("Rochfrod", out=tmp_path / "pack")
    assert not (tmp_path / "pack").exists()


def test_a_folder_that_is_not_empty_is_refused_unless_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(cp.DataFileError, match="not empty"):
        cp.evidence_pack("Rochford", out=folder)
    assert (folder / "notes.txt").read_text() == "mine"
    status = main(["evidence", "--area", "e22000088", "--out", str(folder), "--overwrite"])
    assert status == 0
    assert not (folder / "notes.txt").exists() and (folder / "report.html").exists()


def test_a_folder_under_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text("not a folder")
    with pytest.raises(cp.DataFileError, match="it is a file, not a folder"):
        cp.evidence_pack("Rochford", out=tmp_path / "report.txt" / "deeper" / "pack")


def test_missing_parent_folders_are_made(tmp_path: Path) -> None:
    pack = cp.evidence_pack("Rochford", out=tmp_path / "a" / "b" / "pack")
    assert (tmp_path / "a" / "b" / "pack" / "report.html").is_file() and pack.files


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere: permissions prove nothing")
def test_an_unwritable_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(cp.DataFileError, match="not writable"):
            cp.evidence_pack("Rochford", out=locked / "pack")
    finally:
        locked.chmod(0o700)


def test_the_command_reports_errors_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evidence", "--area", "Nowhere", "--out", str(tmp_path / "p")]) == 1
    assert "no CSP called 'Nowhere'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit:
        main(["evidence", "--help"])
    assert exit.value.code == 0
    assert "--police-uk" in capsys.readouterr().out


def test_targets_give_rag_status(tmp_path: Path) -> None:
    targets = pl.DataFrame({"category": ["Residential burglary", "Shoplifting"],
                            "baseline": [136, 272], "change_percent": [-10.0, -10.0]})
    pack = cp.evidence_pack("Rochford", out=tmp_path / "pack", targets=targets)
    rows = {r["category"]: r for r in pack.headline.iter_rows(named=True)}
    assert rows["Residential burglary"]["target"] == 122  # 136 x 0.9 = 122.4
    assert rows["Residential burglary"]["rag"] == "red"
    assert rows["Shoplifting"]["rag"] == "green"  # 227 against a target of 245
    assert rows["Robbery"]["rag"] is None


# ---------------------------------------------------------------------------------------------
# The monthly evidence from data.police.uk street files


def street_crimes(folder: Path) -> pl.DataFrame:
    """Every crime row of the street files, read with polars (anti-social behaviour left out)."""
    rows = pl.concat([
        pl.read_csv(path, infer_schema=False)
        .select("Crime ID", "Month", "Longitude", "LSOA name", "Crime type")
        for path in sorted(folder.glob("*/*-street.csv"))
    ])
    return rows.filter(pl.col("Crime type") != "Anti-social behaviour")


def street_counts(folder: Path, lsoa_prefix: str) -> pl.DataFrame:
    """Crimes a month in one CSP, straight from the CSV files: the rows whose LSOA name starts
    with the CSP's name, a Crime ID repeated across files counted once (the copy with a location,
    then the later month; crimeperf also weighs the outcomes, so a month may differ by the
    repeats it holds: see ``repeats_by_month``)."""
    crimes = street_crimes(folder)
    crimes = crimes.sort([pl.col("Longitude").is_not_null(), "Month"]).unique("Crime ID", keep="last")
    return (
        crimes.filter(pl.col("LSOA name").str.starts_with(lsoa_prefix + " "))
        .group_by("Month").len("crimes").sort("Month")
    )


def repeats_by_month(folder: Path) -> dict[str, int]:
    """How many rows of a repeated Crime ID each month holds: the most a month's count can
    move with the choice of copy."""
    crimes = street_crimes(folder)
    return dict(crimes.filter(pl.col("Crime ID").is_duplicated()).group_by("Month").len().iter_rows())


def test_six_months_of_police_uk_give_the_solved_rate_and_say_what_they_cannot(tmp_path: Path) -> None:
    folder = Path(__file__).resolve().parent.parent / "data" / "police_uk"
    pack = cp.evidence_pack("Rochford", out=tmp_path / "pack", police_uk=folder)
    expected = street_counts(folder, "Rochford")
    sheet = pl.read_excel(pack.folder / "evidence.xlsx", sheet_name="Monthly", engine="openpyxl")
    assert sheet["crimes"].to_list() == expected["crimes"].to_list()
    total = expected["crimes"].sum()
    solved = [s for s in pack.sentences if s.startswith("Solved rate")]
    assert len(solved) == 1 and f"of {total:,} crimes recorded January 2025 to June 2025" in solved[0]
    # Solved: charged or summonsed (a court outcome, or awaiting one) or disposed of out of
    # court, counted from the files' last outcomes; the interval is Wilson's.
    charged_or_out_of_court = {
        "Awaiting court outcome", "Court result unavailable", "Local resolution",
        "Offender given a caution", "Offender given penalty notice",
        "Offender given a drugs possession warning", "Offender sent to prison",
        "Offender fined", "Offender given community sentence", "Defendant found not guilty",
        "Offender given conditional discharge", "Offender otherwise dealt with",
    }
    rows = pl.concat([pl.read_csv(p, infer_schema=False) for p in sorted(folder.glob("*/*-street.csv"))])
    rochford = rows.filter(pl.col("Crime type") != "Anti-social behaviour",
                           pl.col("LSOA name").str.starts_with("Rochford "))
    solved_count = rochford.filter(pl.col("Last outcome category").is_in(charged_or_out_of_court)).height
    from statsmodels.stats.proportion import proportion_confint
    # statsmodels.stats.proportion.proportion_confint(solved, total, method="wilson")
    low, high = proportion_confint(solved_count, total, method="wilson")
    assert solved[0].startswith(f"Solved rate (police.uk outcomes in the street files): {solved_count:,} of")
    assert f"({100 * solved_count / total:.1f}%, 95% interval {100 * low:.1f}% to {100 * high:.1f}%)" in solved[0]
    caveats = " ".join(pack.caveats)
    assert "Only 6 months of police.uk data for Rochford: an SPC chart needs at least 12" in caveats
    assert "needs April 2024 onwards" in caveats
    assert "outcome lag" in caveats and "rows in an LSOA outside the force" in caveats
    assert not [p for p in pack.files if p.name.startswith(("spc_", "year_to_date_"))]


CITY = RAW / "police_uk_street_2024_25_city_of_london"


@needs(CITY)
def test_two_years_of_police_uk_give_spc_year_to_date_and_projection(tmp_path: Path) -> None:
    pack = cp.evidence_pack("City of London", out=tmp_path / "pack", police_uk=CITY)
    book = pack.folder / "evidence.xlsx"
    sheet = pl.read_excel(book, sheet_name="Monthly", engine="openpyxl")
    independent = dict(street_counts(CITY, "City of London").iter_rows())
    repeats = repeats_by_month(CITY)
    months = [f"{d:%Y-%m}" for d in sheet["period_start"].to_list()]
    assert months == sorted(independent)
    for month, crimes in zip(months, sheet["crimes"].to_list()):
        assert abs(crimes - independent[month]) <= repeats.get(month, 0), month
    # The statistics below are recomputed from the published monthly counts.
    counts = dict(zip(months, sheet["crimes"].to_list()))

    # The year to date (April to December 2025 against 2024) and its exact test, with scipy.
    current = sum(counts[f"2025-{m:02d}"] for m in range(4, 13))
    previous = sum(counts[f"2024-{m:02d}"] for m in range(4, 13))
    ytd = pl.read_excel(book, sheet_name="Year to date", engine="openpyxl").row(0, named=True)
    assert (ytd["current"], ytd["previous"]) == (current, previous)
    # binomtest(current, current + previous, 0.5): the conditional test of two equal exposures
    p_value = binomtest(current, current + previous, 0.5).pvalue
    assert ytd["p_value"] == pytest.approx(p_value, rel=1e-9)
    sentence = next(s for s in pack.sentences if "year to date" in s)
    assert f"{current:,} in April to December 2025 against {previous:,}" in sentence
    assert ("a statistically significant" in sentence) == (p_value < 0.05)

    # The projection: this year to date over last year's share of its year by December.
    last_year = [f"{2024 + (m < 4)}-{m:02d}" for m in [*range(4, 13), 1, 2, 3]]
    share = sum(counts[m] for m in last_year[:9]) / sum(counts[m] for m in last_year)
    projection = pl.read_excel(book, sheet_name="Projection", engine="openpyxl").row(0, named=True)
    assert projection["expected"] == pytest.approx(current / share, rel=1e-9)
    assert f"about {current / share:,.0f} by the year end" in " ".join(pack.sentences)
    assert any("rests on 1 complete past year" in c for c in pack.caveats)

    names = {p.name for p in pack.files}
    assert {"spc_all_crime.png", "year_to_date_all_crime.png"} <= names
    report = (pack.folder / "report.html").read_text(encoding="utf-8")
    assert "Monthly trend (data.police.uk)" in report
    assert report.count("data:image/png;base64,") == 8  # 3 peer charts, 3 funnels, SPC, year to date
    assert any(s.startswith("All crime each month (police.uk), January 2024 to December 2025: ")
               for s in pack.sentences)
