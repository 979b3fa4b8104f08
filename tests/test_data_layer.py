"""The data layer: police.uk files, counting, solved rates and the ONS CSP tables.

Counts are checked against plain-Python ``csv`` code written here, independent of crimeperf. The
bundled sample (``data/police_uk``) is always there; the full real files under ``../shared`` are
used when present, and those tests skip when not (and fail when ``CRIMEPERF_REQUIRE_SHARED`` is
set, as in CI: see ``tests/shared_data.py``).
"""

from __future__ import annotations

import csv
import re
import shutil
import traceback
import warnings
import zipfile
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterator

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crimeperf as cp
from shared_data import RAW, needs, require

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "police_uk"
LOOKUP = ROOT / "crates" / "crimeperf-polars" / "data" / "geography" / "lsoa_lookup.csv"
ESSEX_2025 = RAW / "police_uk_street_2025_essex_suffolk_norfolk"
CITY_OUTCOMES = RAW / "police_uk_outcomes_2024_25_city_of_london"
CITY_2017 = RAW / "police_uk_street_2017_20_city_of_london"
ESSEX_2018 = RAW / "police_uk_street_2018_19_essex"
WORKBOOK = RAW / "ons_pfa_csp_tables_ye_dec2024" / "policeforceareatablesyedecember2024.xlsx"
ESSEX_FORCE = "E23000028"
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


# --- independent counting with the csv module --------------------------------------------------


def lsoa_places() -> dict[str, dict[str, str]]:
    with LOOKUP.open(newline="", encoding="utf-8") as f:
        return {row["lsoa_code"]: row for row in csv.DictReader(f)}


def plain_rows(files: list[Path]) -> Iterator[dict[str, str]]:
    for path in files:
        with path.open(newline="", encoding="utf-8-sig") as f:
            yield from csv.DictReader(f)


def plain_counts(files: list[Path], force_code: str) -> Counter:
    places = lsoa_places()
    counts: Counter = Counter()
    ids: Counter = Counter()
    for row in plain_rows(files):
        counts["rows"] += 1
        if row["Crime type"] == "Anti-social behaviour":
            counts["asb"] += 1
        if row["Location"] == "No Location" and not row["LSOA code"]:
            counts["no_location"] += 1
        code = row["LSOA code"]
        if code and code in places and places[code]["force_code"] != force_code:
            counts["outside_force"] += 1
        if row["Crime ID"]:
            ids[row["Crime ID"]] += 1
    counts["extra_copies"] = sum(n - 1 for n in ids.values() if n > 1)
    return counts


def csv_files(folder: Path, force: str = "") -> list[Path]:
    return sorted(p for p in folder.rglob("*-street.csv") if force in p.name)


# --- the bundled sample ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> cp.PoliceUkData:
    return cp.read_police_uk(SAMPLE)


def test_sample_agrees_with_plain_csv_counts(sample: cp.PoliceUkData) -> None:
    plain = plain_counts(csv_files(SAMPLE), ESSEX_FORCE)
    assert plain["extra_copies"] == 1  # one Crime ID twice in 2025-02, the copies differ
    assert sample.records.height == plain["rows"] - plain["extra_copies"]
    # Every row, before the duplicate policy chooses between the two copies.
    records = cp.read_police_uk(SAMPLE, duplicates="keep_all").records
    assert records.height == plain["rows"]
    assert int(records["is_asb"].sum()) == plain["asb"]
    assert records.filter(pl.col("lsoa_code").is_null()).height == plain["no_location"]
    assert int(records["outside_force"].sum()) == plain["outside_force"]
    findings = sample.findings()
    assert findings["no_location"] == plain["no_location"]
    assert findings["lsoa_outside_force"] == plain["outside_force"]
    assert findings["duplicate_crime_id_conflicting"] == 2


def test_records_are_typed_and_placed(sample: cp.PoliceUkData) -> None:
    records = sample.records
    schema = records.schema
    assert schema["month"] == pl.Date
    assert schema["longitude"] == pl.Float64
    assert schema["is_asb"] == pl.Boolean
    assert records["month"].min() == date(2025, 1, 1)
    assert records["month"].max() == date(2025, 6, 1)
    rochford = records.filter(pl.col("lsoa_name").str.starts_with("Rochford "))
    assert rochford.height > 2000
    assert rochford["local_authority_code"].unique().to_list() == ["E07000075"]
    assert rochford["csp_code"].unique().to_list() == ["E22000088"]
    assert set(records["crime_type"].unique()) <= set(
        cp.outcomes()["outcome"].to_list()
    ) | {
        "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson",
        "Drugs", "Other crime", "Other theft", "Possession of weapons", "Public order",
        "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime",
        "Violence and sexual offences",
    }
    assert records["crime_type_known"].all()


def test_duplicate_policy_is_selectable(sample: cp.PoliceUkData) -> None:
    kept_all = cp.read_police_uk(SAMPLE, duplicates="keep_all")
    assert kept_all.records.height == sample.records.height + 1
    first = cp.read_police_uk(SAMPLE, duplicates="keep_first")
    assert first.records.height == sample.records.height
    duplicated = kept_all.records.filter(
        pl.col("crime_id").is_not_null() & pl.col("crime_id").is_duplicated()
    )
    crime_id = duplicated["crime_id"][0]
    chosen = sample.records.filter(pl.col("crime_id") == crime_id).row(0, named=True)
    # The default keeps the copy with a location (and here the final outcome).
    assert chosen["lsoa_code"] is not None


def test_coverage_counts_records_by_force_and_month(sample: cp.PoliceUkData) -> None:
    coverage = sample.coverage
    assert coverage["falls_within"].unique().to_list() == ["Essex Police"]
    assert coverage.height == 6
    assert int(coverage["rows"].sum()) == sample.records.height
    assert int(coverage["asb_incidents"].sum()) == int(sample.records["is_asb"].sum())


def test_zip_single_file_and_crlf_read_alike(sample: cp.PoliceUkData, tmp_path: Path) -> None:
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in csv_files(SAMPLE):
            z.write(path, path.relative_to(SAMPLE).as_posix())
    zipped = cp.read_police_uk(archive)
    columns = [c for c in sample.records.columns if c != "file"]
    assert zipped.records.select(columns).equals(sample.records.select(columns))

    one = csv_files(SAMPLE)[0]
    single = cp.read_police_uk(one)
    assert single.records.height == sum(1 for _ in plain_rows([one]))

    crlf = tmp_path / one.name
    crlf.write_bytes(one.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    from_crlf = cp.read_police_uk(crlf)
    assert from_crlf.records.select(columns).equals(single.records.select(columns))


def test_the_same_file_twice_is_read_once(tmp_path: Path) -> None:
    one = csv_files(SAMPLE)[0]
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(one, tmp_path / folder / one.name)
    data = cp.read_police_uk(tmp_path)
    assert data.records.height == sum(1 for _ in plain_rows([one]))
    assert data.findings()["duplicate_file"] == 1


def test_the_same_month_downloaded_twice_keeps_the_advanced_outcomes(tmp_path: Path) -> None:
    one = csv_files(SAMPLE)[0]
    text = one.read_text(encoding="utf-8-sig")
    moved_on = text.replace("Status update unavailable", "Offender given a caution")
    assert moved_on != text
    # The later download is in folder "a", read first; the older one in "b".
    for folder, body in (("a", moved_on), ("b", text)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / one.name).write_text(body, encoding="utf-8")
    data = cp.read_police_uk(tmp_path)
    assert "Status update unavailable" not in data.records["last_outcome"].to_list()
    row = data.log.filter(pl.col("kind") == "duplicate_file").row(0, named=True)
    assert row["file"].endswith(f"b/{one.name}") and "more advanced outcomes" in row["detail"]
    # The other order: still the advanced copy.
    (tmp_path / "a" / one.name).write_text(text, encoding="utf-8")
    (tmp_path / "b" / one.name).write_text(moved_on, encoding="utf-8")
    data = cp.read_police_uk(tmp_path)
    assert "Status update unavailable" not in data.records["last_outcome"].to_list()


def test_files_are_recognised_by_header_and_the_rest_accounted_for(tmp_path: Path) -> None:
    january, february = csv_files(SAMPLE)[:2]
    shutil.copy(january, tmp_path / january.name)
    shutil.copy(february, tmp_path / "essex_feb.csv")
    (tmp_path / "notes.txt").write_text("downloaded on Monday")
    data = cp.read_police_uk(tmp_path)
    assert data.coverage["month"].to_list() == [date(2025, 1, 1), date(2025, 2, 1)]
    skipped = data.log.filter(pl.col("kind") == "skipped_file")
    assert skipped["file"].to_list() == [str(tmp_path / "notes.txt")]
    assert skipped["detail"].to_list() == ["not a CSV file or a zip archive"]
    nothing = tmp_path / "empty"
    nothing.mkdir()
    (nothing / "notes.txt").write_text("x")
    with pytest.raises(cp.DataFileNotFoundError, match="Crime type.*notes.txt"):
        cp.read_police_uk(nothing)


def test_sources_as_lists_and_patterns() -> None:
    months = sorted(p for p in SAMPLE.iterdir() if p.is_dir())
    listed = cp.read_police_uk([months[0], months[2]])
    assert listed.coverage["month"].to_list() == [date(2025, 1, 1), date(2025, 3, 1)]
    pattern = cp.read_police_uk(str(SAMPLE / "2025-0[13]"))
    assert pattern.records.equals(listed.records)
    with pytest.raises(cp.DataFileNotFoundError, match="no files or folders match"):
        cp.read_police_uk(str(SAMPLE / "2031-*"))


def write_street_file(folder: Path, month: str, lines: list[str]) -> Path:
    path = folder / month / f"{month}-essex-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_odd_rows_are_logged_with_file_and_line(tmp_path: Path) -> None:
    good = (
        "id{n},{month},Essex Police,Essex Police,0.70,51.58,On or near X,E01021914,"
        "Rochford 011A,{type},{outcome},"
    )
    lines = [
        good.format(n=1, month="2025-01", type="Burglary", outcome="Local resolution"),
        "id2,2025-01,Essex Police,Essex Police,too,few,fields",
        good.format(n=3, month="2025-01", type="Cyber stalking", outcome="Local resolution"),
        good.format(n=4, month="2025-01", type="Burglary", outcome="Sent to the moon"),
        good.format(n=5, month="2025-01", type="Burglary", outcome="Under investigation"),
    ]
    write_street_file(tmp_path, "2025-01", lines)
    write_street_file(tmp_path, "2025-03", [good.format(n=6, month="2025-03", type="Robbery", outcome="")])
    data = cp.read_police_uk(tmp_path)
    log = data.log
    malformed = log.filter(pl.col("kind") == "malformed_line").row(0, named=True)
    assert malformed["line"] == 3 and malformed["file"].endswith("2025-01-essex-street.csv")
    assert malformed["action"] == "row dropped"
    unknown_type = log.filter(pl.col("kind") == "unknown_crime_type").row(0, named=True)
    assert unknown_type["line"] == 4 and "Cyber stalking" in unknown_type["detail"]
    assert log.filter(pl.col("kind") == "unknown_outcome").row(0, named=True)["line"] == 5
    assert log.filter(pl.col("kind") == "missing_month")["detail"].to_list() == [
        "Essex Police: 2025-02"
    ]
    # Unknown labels are kept and flagged, never dropped.
    assert data.records.height == 5
    flagged = data.records.filter(~pl.col("crime_type_known"))
    assert flagged["crime_type"].to_list() == ["Cyber stalking"]


def test_read_errors_are_typed(tmp_path: Path) -> None:
    with pytest.raises(cp.DataFileNotFoundError) as missing:
        cp.read_police_uk(tmp_path / "nowhere")
    assert isinstance(missing.value, FileNotFoundError)
    assert isinstance(missing.value, cp.CrimeperfError)
    assert "nowhere" in str(missing.value)
    with pytest.raises(FileNotFoundError, match="no data.police.uk street files"):
        cp.read_police_uk(tmp_path)
    bad = tmp_path / "2025-01" / "2025-01-essex-street.csv"
    bad.parent.mkdir()
    bad.write_text("name,age\nbob,3\n")
    with pytest.raises(cp.DataFormatError, match="line 1: unrecognised header") as header:
        cp.read_police_uk(bad)
    assert isinstance(header.value, ValueError)
    with pytest.raises(cp.UnknownOptionError, match="kind"):
        cp.read_police_uk(SAMPLE, kind="burglaries")
    with pytest.raises(cp.UnknownOptionError, match="duplicates"):
        cp.read_police_uk(SAMPLE, duplicates="newest")
    not_a_zip = tmp_path / "broken.zip"
    not_a_zip.write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(cp.DataFileError):
        cp.read_police_uk(not_a_zip)


def test_progress_is_shown_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    builtins.__import__ = no_tqdm  # type: ignore[assignment]
    try:
        data = cp.read_police_uk(SAMPLE, progress=True)
    finally:
        builtins.__import__ = real_import
    err = capsys.readouterr().err
    assert f"6/6 files, {data.records.height + 1:,} rows" in err  # before de-duplication
    cp.read_police_uk(SAMPLE, progress=False)
    assert capsys.readouterr().err == ""
    # Errors from the worker thread reach the caller.
    with pytest.raises(cp.DataFileNotFoundError):
        cp.read_police_uk(SAMPLE / "nowhere", progress=True)


def test_repr_and_html(sample: cp.PoliceUkData) -> None:
    text = repr(sample)
    assert text.startswith("PoliceUkData(") and "Essex Police" in text and "2025-01 to 2025-06" in text
    page = sample._repr_html_()
    assert "<table" in page and "log" in page and "coverage" in page
    assert set(sample.to_dict()) == {"records", "log", "coverage"}


def test_html_shows_the_findings_by_kind_before_the_detailed_log(
    sample: cp.PoliceUkData,
) -> None:
    page = sample._repr_html_()
    titles = re.findall(r"<h4>([^<(]*)", page)
    assert [title.strip() for title in titles] == [
        "findings by kind", "log", "coverage", "records",
    ]
    findings = page[page.index("findings by kind"):page.index("<h4>log")]
    # Every kind of finding, with its total and what was done, before any detail.
    for kind, rows in sample.findings().items():
        assert f"&quot;{kind}&quot;" in findings, kind
    assert "rows" in findings and "action" in findings
    assert ">105<" in findings  # no_location: 105 rows (see read_police_uk's example)
    # File paths relative to the folder read, never the absolute paths of this machine.
    detail = page[page.index("<h4>log"):]
    assert str(SAMPLE) not in detail
    assert "&quot;2025-01/2025-01-essex-street.csv&quot;" in detail
    assert "row kept without local authority" in findings  # what was done, in full


def test_a_read_error_from_the_worker_thread_has_no_worker_frames(tmp_path: Path) -> None:
    with pytest.raises(cp.DataFileNotFoundError) as info:
        cp.read_police_uk(tmp_path / "nowhere", progress=True)
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert "work" not in frames and "<lambda>" not in frames, frames
    # What is left is the caller's call and the one-line message.
    assert len(traceback.format_exception_only(type(info.value), info.value)) == 1


# --- counting ----------------------------------------------------------------------------------


def counted(records: pl.DataFrame) -> pl.DataFrame:
    """The records count_crimes counts by default: those inside their force's area."""
    return records.filter(~pl.col("outside_force"))


def test_count_crimes_fills_zeros_and_keeps_asb_apart(sample: cp.PoliceUkData) -> None:
    records = sample.records
    with pytest.warns(cp.ExcludedRowsWarning, match="71 rows outside force"):
        counts = cp.count_crimes(records, by=["csp_name", "crime_type"], period="month")
    assert counts.columns == ["csp_name", "crime_type", "period", "period_start",
                              "months_covered", "first_month", "last_month", "crimes",
                              "asb_incidents"]
    inside = counted(records)
    groups = inside.select("csp_name", "crime_type").unique().height
    csps, types = inside["csp_name"].n_unique(), records["crime_type"].n_unique()
    assert groups < csps * types  # so zeros must have been filled in
    assert counts.height == csps * types * 6
    assert int(counts["crimes"].sum()) == int((~inside["is_asb"]).sum())
    assert int(counts["asb_incidents"].sum()) == int(inside["is_asb"].sum())
    # The ASB rows carry incidents and no crimes column; crime rows no ASB column.
    asb = counts.filter(pl.col("crime_type") == "Anti-social behaviour")
    assert asb["crimes"].null_count() == asb.height
    assert asb["asb_incidents"].null_count() == 0
    assert counts.filter(pl.col("crime_type") == "Burglary")["asb_incidents"].null_count() > 0
    # Independent: Rochford burglaries by month with the csv module.
    places = lsoa_places()
    plain: Counter = Counter()
    for row in plain_rows(csv_files(SAMPLE)):
        place = places.get(row["LSOA code"])
        if place and place["csp_code"] == "E22000088" and row["Crime type"] == "Burglary":
            plain[row["Month"]] += 1
    ours = counts.filter((pl.col("csp_name") == "Rochford") & (pl.col("crime_type") == "Burglary"))
    assert dict(zip(ours["period"], ours["crimes"])) == {f"2025-{m:02d}": plain[f"2025-{m:02d}"]
                                                          for m in range(1, 7)}


def test_count_crimes_outside_force_rows_are_left_out_and_said(sample: cp.PoliceUkData) -> None:
    records = sample.records
    outside = records.filter(pl.col("outside_force"))["csp_name"].drop_nulls().unique().to_list()
    assert outside  # the sample has Essex crimes in other forces' CSPs
    with pytest.warns(cp.ExcludedRowsWarning) as caught:
        counts = cp.count_crimes(records, by="csp_name")
    assert f"{records['outside_force'].sum()} rows outside force" in str(caught[0].message)
    assert not set(outside) & set(counts["csp_name"].drop_nulls())
    included = cp.count_crimes(records, by="csp_name", outside_force="include")
    assert set(outside) <= set(included["csp_name"].drop_nulls())
    assert int(included["crimes"].sum()) == int((~records["is_asb"]).sum())
    with pytest.raises(cp.UnknownOptionError, match="outside_force"):
        cp.count_crimes(records, by="csp_name", outside_force="drop")


def test_count_crimes_zeros_only_where_data_was_read(sample: cp.PoliceUkData) -> None:
    # Two reads stacked with a gap, as Essex 2018-19 and 2025 are: no zeros for the gap.
    records = counted(sample.records)
    early = records.filter(pl.col("month") == date(2025, 1, 1))
    late = records.filter(pl.col("month") == date(2025, 6, 1))
    counts = cp.count_crimes(pl.concat([early, late]), by="csp_name", period="month")
    gap = counts.filter(pl.col("period").is_in(["2025-02", "2025-03", "2025-04", "2025-05"]))
    assert gap.height and gap["crimes"].null_count() == gap.height
    assert gap["months_covered"].to_list() == [0] * gap.height
    read = counts.filter(pl.col("period") == "2025-06")
    assert read["crimes"].null_count() == 0 and read["months_covered"].to_list() == [1] * read.height
    # With the coverage, a month read in which a CSP had no burglary gets its 0.
    burglary = records.filter(pl.col("crime_type") == "Burglary")
    covered = cp.count_crimes(burglary, by="csp_name", coverage=sample)
    assert covered["crimes"].null_count() == 0
    assert int(covered["crimes"].sum()) == burglary.height
    # Without it, a month with no burglary in the whole force would be unknown, not 0.
    january = burglary.filter(pl.col("month") != date(2025, 2, 1))
    gapped = cp.count_crimes(january, by="csp_name")
    assert gapped.filter(pl.col("period") == "2025-02")["crimes"].null_count() > 0
    filled = cp.count_crimes(january, by="csp_name", coverage=sample.coverage)
    assert filled.filter(pl.col("period") == "2025-02")["crimes"].to_list() == [0] * (
        filled["csp_name"].n_unique()
    )


def test_count_crimes_partial_financial_years_say_so(sample: cp.PoliceUkData) -> None:
    counts = cp.count_crimes(counted(sample.records), by="falls_within", period="financial_year")
    assert counts.select("period", "months_covered", "first_month", "last_month").rows() == [
        ("2024/25", 3, date(2025, 1, 1), date(2025, 3, 1)),
        ("2025/26", 3, date(2025, 4, 1), date(2025, 6, 1)),
    ]


def test_count_crimes_does_not_cross_columns_that_go_together(sample: cp.PoliceUkData) -> None:
    records = counted(sample.records)
    counts = cp.count_crimes(records, by=["csp_code", "csp_name"], period="quarter")
    pairs = records.select("csp_code", "csp_name").unique()
    assert counts.height == pairs.height * 2
    assert counts.select("csp_code", "csp_name").unique().height == pairs.height


def test_count_crimes_refuses_row_identifiers(sample: cp.PoliceUkData) -> None:
    records = counted(sample.records).filter(pl.col("crime_id").is_not_null())
    with pytest.raises(cp.TooManyGroupsError, match="allow_many_groups"):
        cp.count_crimes(records, by="crime_id")
    counts = cp.count_crimes(records, by="crime_id", allow_many_groups=True, period="quarter")
    assert int(counts["crimes"].sum()) == records.height


@pytest.mark.parametrize(
    ("period", "labels"),
    [
        ("quarter", ["2025 Q1", "2025 Q2"]),
        ("financial_year", ["2024/25", "2025/26"]),
        ("calendar_year", ["2025"]),
        ("month", [f"2025-{m:02d}" for m in range(1, 7)]),
    ],
)
def test_count_crimes_periods(sample: cp.PoliceUkData, period: str, labels: list[str]) -> None:
    records = counted(sample.records)
    counts = cp.count_crimes(records, by="falls_within", period=period)
    assert counts["period"].to_list() == labels
    assert int(counts["crimes"].sum()) == int((~records["is_asb"]).sum())


def test_count_crimes_from_pandas_and_pyarrow(sample: cp.PoliceUkData) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    records = sample.records.select("month", "is_asb", "csp_name")
    expected = cp.count_crimes(records, by="csp_name")
    # The same counts, in the caller's kind of frame.
    assert cp.count_crimes(records.to_pandas(), by="csp_name").equals(expected.to_pandas())
    assert cp.count_crimes(records.to_arrow(), by="csp_name").equals(expected.to_arrow())
    categorical = records.with_columns(pl.col("csp_name").cast(pl.Categorical))
    assert cp.count_crimes(categorical, by="csp_name").equals(expected)


def test_count_crimes_keeps_or_joins_chunks(sample: cp.PoliceUkData) -> None:
    # Records in chunks (as read, one per file; polars 1.3 reads them as one): passed as they are.
    all_columns = pl.concat(
        [sample.records.slice(0, 1000), sample.records.slice(1000)], rechunk=False
    ).drop("outside_force")
    records = all_columns.select("month", "is_asb", "csp_name", "crime_type")
    assert records.n_chunks() > 1
    expected = cp.count_crimes(records.rechunk(), by=["csp_name", "crime_type"])
    assert cp.count_crimes(records, by=["csp_name", "crime_type"]).equals(expected)
    # Columns chunked differently are read each with its own chunks.
    mixed = all_columns.with_columns(pl.Series("is_asb", all_columns["is_asb"].to_list()))
    assert mixed["is_asb"].n_chunks() == 1 and mixed["month"].n_chunks() > 1
    assert cp.count_crimes(mixed, by=["csp_name", "crime_type"]).equals(expected)
    rates = cp.solved_rates(mixed, by="csp_name")
    assert rates.equals(cp.solved_rates(all_columns.rechunk(), by="csp_name"))
    assert cp.count_crimes(records.clear(), by="csp_name").height == 0


def test_count_crimes_by_month_itself(sample: cp.PoliceUkData) -> None:
    records = counted(sample.records)
    counts = cp.count_crimes(records, by="month", period="quarter")
    assert int(counts["crimes"].sum()) == int((~records["is_asb"]).sum())
    # Each month falls in one quarter: the other cells are zeros.
    assert counts.filter(pl.col("crimes") > 0).height == 6


def test_count_crimes_errors(sample: cp.PoliceUkData) -> None:
    with pytest.raises(cp.ColumnNotFoundError, match='"ward"') as missing:
        cp.count_crimes(sample.records, by=["csp_name", "ward"])
    assert missing.value.columns == ["ward"] and "lsoa_code" in str(missing.value)
    with pytest.raises(cp.ColumnTypeError, match="longitude"):
        cp.count_crimes(sample.records, by="longitude")
    with pytest.raises(cp.UnknownOptionError, match="period"):
        cp.count_crimes(sample.records, by="csp_name", period="fortnight")
    with pytest.raises(cp.ColumnNotFoundError, match="is_asb"):
        cp.count_crimes(sample.records.drop("is_asb"), by="csp_name")


FORCES = ["Essex Police", "Kent Police"]
AREAS = ["Basildon", "Rochford", None]
TYPES = ["Anti-social behaviour", "Burglary", "Drugs"]

record_rows = st.lists(
    st.tuples(
        st.sampled_from(FORCES),
        st.integers(min_value=0, max_value=14),  # months from 2024-10
        st.sampled_from(AREAS),
        st.sampled_from(TYPES),
        st.booleans(),  # outside the force's area
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(rows=record_rows, period=st.sampled_from(["month", "quarter", "financial_year"]))
def test_count_crimes_properties(rows: list[tuple], period: str) -> None:
    months = [date(2024 + (9 + m) // 12, (9 + m) % 12 + 1, 1) for _, m, _, _, _ in rows]
    records = pl.DataFrame({
        "falls_within": [r[0] for r in rows],
        "month": months,
        "csp_name": [r[2] for r in rows],
        "crime_type": [r[3] for r in rows],
        "is_asb": [r[3] == "Anti-social behaviour" for r in rows],
        "outside_force": [r[4] for r in rows],
    }, schema_overrides={"csp_name": pl.String})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        counts = cp.count_crimes(records, by=["csp_name", "crime_type"], period=period)
    inside = records.filter(~pl.col("outside_force"))
    outside = records.height - inside.height
    # Rows left out are said, with their number.
    said = [str(w.message) for w in caught if issubclass(w.category, cp.ExcludedRowsWarning)]
    assert (said != []) == (outside > 0)
    if outside:
        assert f"{outside:,} rows outside force" in said[0]
    # Totals are the sums of their parts: every counted row is in exactly one cell.
    assert int(counts["crimes"].sum() or 0) == int((~inside["is_asb"]).sum())
    assert int(counts["asb_incidents"].sum() or 0) == int(inside["is_asb"].sum())
    # Groups are the areas that occur, each with every crime type, each with every period.
    areas = inside["csp_name"].unique().to_list()
    periods = counts["period"].unique().to_list()
    assert counts.height == len(areas) * records["crime_type"].n_unique() * len(periods)
    # A period none of whose months were read has no counts; one that was read has them.
    unread = counts.filter(pl.col("months_covered") == 0)
    assert unread["crimes"].null_count() == unread["asb_incidents"].null_count() == unread.height
    read = counts.filter(pl.col("months_covered") > 0)
    asb_rows = read["crime_type"] == "Anti-social behaviour"
    assert read.filter(asb_rows)["crimes"].null_count() == int(asb_rows.sum())
    assert read.filter(asb_rows)["asb_incidents"].null_count() == 0
    assert read.filter(~asb_rows)["crimes"].null_count() == 0
    # Months read are those with any record of the groups' forces; the first and last bound them.
    assert (counts["months_covered"] <= {"month": 1, "quarter": 3, "financial_year": 12}[period]).all()
    bounded = read.filter((pl.col("first_month") > pl.col("last_month"))
                          | (pl.col("first_month") < pl.col("period_start")))
    assert bounded.height == 0


def test_compare_periods_pivots_and_tests(sample: cp.PoliceUkData) -> None:
    counts = cp.count_crimes(counted(sample.records), by=["csp_name", "crime_type"],
                             period="quarter")
    out = cp.compare_periods(counts, current="2025 Q2", previous="2025 Q1")
    pairs = counts.select("csp_name", "crime_type").unique()
    assert out.height == pairs.height
    # The same as the hand-written pivot before cp.changes.
    by_hand = (
        counts.filter(pl.col("crime_type") == "Burglary")
        .pivot(on="period", index="csp_name", values="crimes")
        .sort("csp_name", nulls_last=True)
    )
    expected = cp.changes(by_hand, current="2025 Q2", previous="2025 Q1")
    ours = out.filter(pl.col("crime_type") == "Burglary").sort("csp_name", nulls_last=True)
    assert ours["description"].to_list() == expected["description"].to_list()
    assert ours["p_value"].to_list() == expected["p_value"].to_list()
    # ASB is compared as incidents, never as "no change" in crimes.
    asb = out.filter(pl.col("crime_type") == "Anti-social behaviour")
    assert set(asb["unit"]) == {"incidents"}
    assert all("incident" in d or d == "no change" for d in asb["description"])
    rochford = counts.filter((pl.col("csp_name") == "Rochford")
                             & (pl.col("crime_type") == "Anti-social behaviour"))
    row = asb.filter(pl.col("csp_name") == "Rochford").row(0, named=True)
    assert (row["previous"], row["current"]) == tuple(rochford["asb_incidents"].to_list())


def test_compare_periods_gives_back_the_callers_kind_of_frame(sample: cp.PoliceUkData) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    counts = cp.count_crimes(counted(sample.records), by="csp_name", period="quarter")
    expected = cp.compare_periods(counts, current="2025 Q2", previous="2025 Q1")
    from_pandas = cp.compare_periods(counts.to_pandas(), current="2025 Q2", previous="2025 Q1")
    assert type(from_pandas).__module__.startswith("pandas")
    assert from_pandas["description"].tolist() == expected["description"].to_list()
    from_arrow = cp.compare_periods(counts.to_arrow(), current="2025 Q2", previous="2025 Q1")
    assert type(from_arrow).__module__.startswith("pyarrow")
    assert from_arrow.column("p_value").to_pylist() == expected["p_value"].to_list()


def test_compare_periods_refuses_unequal_coverage(sample: cp.PoliceUkData) -> None:
    records = counted(sample.records).filter(pl.col("month") != date(2025, 6, 1))
    counts = cp.count_crimes(records, by="csp_name", period="quarter")
    with pytest.raises(cp.UnequalCoverageError, match="2 months read in 2025 Q2 .*, 3 in 2025 Q1"):
        cp.compare_periods(counts, current="2025 Q2", previous="2025 Q1")
    flagged = cp.compare_periods(counts, current="2025 Q2", previous="2025 Q1", coverage="flag")
    assert flagged["coverage_differs"].all()
    assert flagged["current_months"].to_list() == [2] * flagged.height
    with pytest.raises(cp.InvalidInputError, match="2024 Q4"):
        cp.compare_periods(counts, current="2025 Q2", previous="2024 Q4")
    with pytest.raises(cp.UnknownOptionError, match="coverage"):
        cp.compare_periods(counts, current="2025 Q2", previous="2025 Q1", coverage="ignore")


# --- solved rates ------------------------------------------------------------------------------


def test_solved_rates_agree_with_plain_counts_and_statsmodels(sample: cp.PoliceUkData) -> None:
    proportion_confint = pytest.importorskip("statsmodels.stats.proportion").proportion_confint
    table = cp.outcomes()
    solved_labels = set(table.filter(pl.col("solved_by_default"))["outcome"].to_list())
    pending_labels = set(table.filter(pl.col("pending"))["outcome"].to_list())
    rates = cp.solved_rates(sample.records, by="csp_name")
    rochford = rates.filter(pl.col("csp_name") == "Rochford").row(0, named=True)
    crimes = sample.records.filter((pl.col("csp_name") == "Rochford") & ~pl.col("is_asb"))
    outcomes = crimes["last_outcome"].to_list()
    solved = sum(o in solved_labels for o in outcomes)
    assert rochford["crimes"] == len(outcomes)
    assert rochford["solved"] == solved
    assert rochford["awaiting_outcome"] == sum(o in pending_labels for o in outcomes)
    # statsmodels.stats.proportion.proportion_confint(solved, crimes, alpha=0.05, method="wilson")
    lower, upper = proportion_confint(solved, len(outcomes), alpha=0.05, method="wilson")
    assert rochford["solved_rate"] == pytest.approx(solved / len(outcomes), rel=1e-12)
    assert rochford["lower"] == pytest.approx(lower, rel=1e-10)
    assert rochford["upper"] == pytest.approx(upper, rel=1e-10)


def test_solved_definition_can_be_changed(sample: cp.PoliceUkData) -> None:
    default = cp.solved_rates(sample.records, by="falls_within")
    cautions = cp.solved_rates(sample.records, by="falls_within",
                               solved=["Offender given a caution"])
    groups = cp.solved_rates(sample.records, by="falls_within",
                             solved=["out-of-court disposal"])
    assert 0 < cautions["solved"][0] <= groups["solved"][0] < default["solved"][0]
    with pytest.raises(cp.InvalidInputError, match="Solved by magic"):
        cp.solved_rates(sample.records, by="falls_within", solved=["Solved by magic"])
    with pytest.raises(cp.InvalidConfidenceError):
        cp.solved_rates(sample.records, by="falls_within", confidence=95)


def test_outcome_taxonomy() -> None:
    table = cp.outcomes()
    assert table.height == 28
    assert table["outcome"].n_unique() == 28
    assert set(table["outcome_group"]) <= {
        "charged or summonsed", "out-of-court disposal", "no suspect identified",
        "evidential difficulties", "not in the public interest", "transferred",
        "awaiting court or under investigation", "court result", "unknown",
    }


# --- the real files in ../shared ---------------------------------------------------------------


@pytest.fixture(scope="module")
def essex_2025() -> cp.PoliceUkData:
    return cp.read_police_uk(require(ESSEX_2025))


def test_real_essex_agrees_with_plain_csv_counts(essex_2025: cp.PoliceUkData) -> None:
    plain = plain_counts(csv_files(ESSEX_2025, "essex"), ESSEX_FORCE)
    assert plain["rows"] == 158_217  # PROVENANCE.md
    deduplicated = essex_2025.records.filter(pl.col("falls_within") == "Essex Police")
    assert deduplicated.height == plain["rows"] - plain["extra_copies"]
    essex = cp.read_police_uk(
        csv_files(ESSEX_2025, "essex")[0].parent.parent, duplicates="keep_all"
    ).records.filter(pl.col("falls_within") == "Essex Police")
    assert essex.height == plain["rows"]
    assert int(essex["is_asb"].sum()) == plain["asb"] == 14_541
    assert essex.filter(pl.col("lsoa_code").is_null()).height == plain["no_location"] == 2_140
    assert int(essex["outside_force"].sum()) == plain["outside_force"] == 155


def test_real_rochford_lsoas_map_to_rochford(essex_2025: cp.PoliceUkData) -> None:
    rochford = essex_2025.records.filter(pl.col("lsoa_name").str.starts_with("Rochford "))
    assert rochford["lsoa_code"].n_unique() == 53
    assert rochford["local_authority_code"].unique().to_list() == ["E07000075"]


def test_real_counts_add_up(essex_2025: cp.PoliceUkData) -> None:
    counts = cp.count_crimes(essex_2025.records, by=["falls_within", "csp_name"],
                             period="quarter")
    by_force = counts.group_by("falls_within").agg(pl.col("crimes").sum()).sort("falls_within")
    direct = (counted(essex_2025.records).filter(~pl.col("is_asb")).group_by("falls_within")
              .len().sort("falls_within"))
    assert by_force["crimes"].to_list() == direct["len"].to_list()


@needs(ESSEX_2018)
def test_real_2011_boundary_lsoas_are_placed() -> None:
    data = cp.read_police_uk(ESSEX_2018)
    located = data.records.filter(pl.col("lsoa_code").is_not_null())
    assert located["csp_code"].null_count() == 0
    assert "unknown_lsoa" not in data.findings()


@needs(ESSEX_2018)
@needs(ESSEX_2025)
def test_real_reads_stacked_with_a_gap_have_no_made_up_zeros() -> None:
    early = cp.read_police_uk(ESSEX_2018)
    late = cp.read_police_uk(csv_files(ESSEX_2025, "essex"))
    records = pl.concat([early.records, late.records], how="vertical_relaxed")
    coverage = pl.concat([early.coverage, late.coverage])
    counts = cp.count_crimes(records.filter(pl.col("falls_within") == "Essex Police"),
                             by="csp_name", period="quarter", coverage=coverage)
    gap = counts.filter((pl.col("period_start") >= date(2019, 4, 1))
                        & (pl.col("period_start") < date(2025, 1, 1)))
    assert gap.height and gap["crimes"].null_count() == gap.height
    assert set(gap["months_covered"]) == {0}
    # 2019 Q1 was read for January and February only: it says so.
    q1 = counts.filter(pl.col("period") == "2019 Q1")
    assert set(q1["months_covered"]) == {2}
    assert set(q1["last_month"]) == {date(2019, 2, 1)}
    with pytest.raises(cp.UnequalCoverageError):
        cp.compare_periods(counts, current="2025 Q1", previous="2019 Q1")


@needs(CITY_OUTCOMES)
def test_real_outcome_files() -> None:
    data = cp.read_police_uk(CITY_OUTCOMES, kind="outcomes")
    files = sorted(CITY_OUTCOMES.rglob("*-outcomes.csv"))
    rows = 0
    for path in files:
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows += sum(1 for _ in csv.DictReader(f))
    assert data.records.height + data.findings().get("malformed_line", 0) == rows
    assert data.records["outcome_known"].all()
    months = data.log.filter(pl.col("kind") == "missing_month")["detail"].to_list()
    assert "City of London Police: 2024-12" in months


@needs(CITY_2017)
def test_real_36_month_series_has_every_month() -> None:
    data = cp.read_police_uk(CITY_2017)
    assert data.coverage.height == 36
    assert "missing_month" not in data.findings()


# --- the ONS CSP tables ------------------------------------------------------------------------


def printed_one_decimal(value: float) -> Decimal:
    """As Excel prints a percent to one decimal: 15 significant digits, then half away from 0."""
    return Decimal(f"{value:.15g}").quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def ons() -> cp.OnsCspTables:
    return cp.read_ons_csp_tables(require(WORKBOOK))


def wide_csps(ons: cp.OnsCspTables) -> pl.DataFrame:
    """One row per CSP and offence group, with both years' counts beside each other."""
    frame = ons.frame.filter(pl.col("level") == "csp").with_columns(
        year=pl.col("year_ending").dt.year()
    )
    keys = ["area_code", "area_name", "offence_group"]  # never null on CSP rows
    earlier = frame.filter(pl.col("year") == 2023).select(*keys, count_2023="count")
    later = frame.filter(pl.col("year") == 2024).drop("year_ending", "year")
    return later.rename({"count": "count_2024"}).join(earlier, on=keys, how="left")


def test_ons_rochford(ons: cp.OnsCspTables) -> None:
    rochford = ons.frame.filter(
        (pl.col("area_name") == "Rochford")
        & (pl.col("offence_group") == "Total recorded crime (excluding fraud)")
    ).sort("year_ending")
    assert rochford["count"].to_list() == [4445, 4208]
    assert rochford["level"].unique().to_list() == ["csp"]
    assert rochford["area_code"].unique().to_list() == ["E22000088"]


def test_ons_markers_and_unassigned_rows(ons: cp.OnsCspTables) -> None:
    frame = ons.frame
    markers = set(frame["ons_percent_change_marker"].drop_nulls())
    assert {"[u]", "[x]"} <= markers
    marked = frame.filter(pl.col("ons_percent_change_marker").is_not_null())
    assert marked["ons_percent_change"].null_count() == marked.height
    unassigned = frame.filter(pl.col("level") == "unassigned")
    assert unassigned.height > 0
    assert unassigned["area_name"].str.starts_with("Unassigned").all() or unassigned[
        "area_name"].str.to_lowercase().str.starts_with("unassigned").all()
    assert "[u1]" in set(frame["ons_rate_per_1000_population_marker"].drop_nulls())


def test_ons_percent_changes_reproduced_to_printed_precision(ons: cp.OnsCspTables) -> None:
    table = wide_csps(ons).filter(pl.col("ons_percent_change").is_not_null())
    assert table.height > 6000
    out = cp.changes(table, current="count_2024", previous="count_2023")
    mismatches = [
        row for row in out.select("area_name", "offence_group", "percent", "ons_percent_change")
        .iter_rows(named=True)
        if printed_one_decimal(row["percent"]) != printed_one_decimal(row["ons_percent_change"])
    ]
    assert mismatches == []


def test_ons_rates_reproduced_within_population_rounding(ons: cp.OnsCspTables) -> None:
    table = ons.frame.filter(
        pl.col("ons_rate_per_1000_population").is_not_null() & pl.col("population").is_not_null()
    )
    assert table.height > 6000
    out = cp.rates(table, count="count", population="population")
    # The printed populations are rounded to 100, so ONS's unrounded one is within +-50.
    tolerance = out["rate"] * 50 / (out["population"] - 50)
    assert ((out["rate"] - out["ons_rate_per_1000_population"]).abs() <= tolerance + 1e-9).all()


def test_ons_errors(tmp_path: Path) -> None:
    with pytest.raises(cp.DataFileNotFoundError):
        cp.read_ons_csp_tables(tmp_path / "missing.xlsx")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a workbook")
    with pytest.raises(cp.DataFormatError, match="fake.xlsx"):
        cp.read_ons_csp_tables(fake)


def test_ons_repr(ons: cp.OnsCspTables) -> None:
    assert repr(ons).startswith("OnsCspTables(") and "2024-12-31" in repr(ons)
    assert "<table" in ons._repr_html_()


# --- the bundled geography and population tables ---------------------------------------------


def test_geography_tables_are_the_bundled_files() -> None:
    for name in ("lsoa_lookup", "csp_lookup", "wards", "la_population", "la_households"):
        table = cp.geography_table(name)
        with (LOOKUP.parent / f"{name}.csv").open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert table.height == len(rows), name
        assert table.columns == list(rows[0]), name
    population = cp.geography_table("la_population")
    assert population.schema["population"] == pl.Int64
    bases = population.filter(pl.col("year") == 2021)["basis"].unique().to_list()
    assert any("Census 2021" in b for b in bases)
    # Codes keep their text (no leading zeros or letters lost to type inference).
    assert cp.geography_table("lsoa_lookup")["lsoa_code"].str.starts_with("E01").any()
    with pytest.raises(cp.UnknownOptionError, match="bundled table"):
        cp.geography_table("postcodes")


def test_counting_from_the_read_itself_builds_no_records() -> None:
    """count_crimes, solved_rates and outcome_maturity given the PoliceUkData count from its
    compact form (the records frame is never built) and give what counting the frame gives."""
    data = cp.read_police_uk(SAMPLE)
    assert repr(data).startswith("PoliceUkData(") and data._records is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cp.ExcludedRowsWarning)
        from_codes = cp.count_crimes(data, by=["csp_name", "crime_type"], period="quarter")
        rates = cp.solved_rates(data, by="csp_name")
        maturity = cp.outcome_maturity(data, by="local_authority_name")
        assert data._records is None, "counting built the records"
        from_frame = cp.count_crimes(
            data.records, by=["csp_name", "crime_type"], period="quarter", coverage=data
        )
    assert from_codes.equals(from_frame)
    assert rates.equals(cp.solved_rates(data.records, by="csp_name"))
    assert maturity.equals(cp.outcome_maturity(data.records, by="local_authority_name"))
    assert data.compact is not None and len(data.compact) == data.records.height
    assert data.memory_bytes > data.compact.heap_bytes


def test_records_for_builds_the_filter_of_the_whole() -> None:
    data = cp.read_police_uk(SAMPLE)
    rochford = data.records_for(csp="rochford", months=("2025-02", "2025-04"))
    assert data._records is None, "records_for built every record"
    whole = data.records
    expected = whole.filter(
        (pl.col("csp_name") == "Rochford")
        & pl.col("month").is_between(date(2025, 2, 1), date(2025, 4, 1))
    )
    assert rochford.height > 0 and rochford.equals(expected)
    by_force = data.records_for(force="essex", months="2025-03")
    assert by_force.equals(whole.filter(pl.col("month") == date(2025, 3, 1)))
    with pytest.raises(cp.exceptions.UnknownAreaError, match="did you mean 'Rochford'"):
        data.records_for(csp="Rochferd")
    with pytest.raises(cp.exceptions.UnknownAreaError, match="no force"):
        data.records_for(force="Kent Police")
    with pytest.raises(cp.exceptions.CrimeperfError):
        data.records_for(months=("2025-13", None))


def test_counting_in_batches_gives_the_one_shot_counts() -> None:
    data = cp.read_police_uk(SAMPLE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cp.ExcludedRowsWarning)
        expected = cp.count_crimes(data, by=["csp_name", "crime_type"], period="quarter")
        counted = cp.count_police_uk(SAMPLE, by=["csp_name", "crime_type"], period="quarter",
                                     batch_files=2)
    assert counted.counts.equals(expected)
    assert counted.log.equals(data.log) and counted.coverage.equals(data.coverage)
    assert 0 < counted.aggregated_rows < len(data.compact)
    assert repr(counted).startswith("PoliceUkCounts(")
    with pytest.warns(cp.ExcludedRowsWarning, match="71 rows outside force"):
        cp.count_police_uk(SAMPLE, by="csp_name", batch_files=1)
    with pytest.raises(cp.exceptions.InvalidInputError, match="batch_files"):
        cp.count_police_uk(SAMPLE, by="csp_name", batch_files=0)
    with pytest.raises(cp.exceptions.ColumnTypeError, match="crime_id"):
        cp.count_police_uk(SAMPLE, by="crime_id")


def test_trends_take_the_read_itself() -> None:
    data = cp.read_police_uk(SAMPLE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cp.ExcludedRowsWarning)
        counts = cp.count_crimes(data, by="csp_name", period="month")
        assert cp.rolling(data, months=3, by="csp_name").equals(
            cp.rolling(counts, months=3, by="csp_name"))
        whole = cp.count_crimes(data, by=[], period="month")
        assert cp.spc(data, allow_short=True).equals(cp.spc(whole, allow_short=True))
    assert data._records is None
