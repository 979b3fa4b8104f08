#!/usr/bin/env python3
"""Build the bundled ONS CSP tables ``crates/crimeperf-polars/data/ons/ons_csp_tables_ye_dec2024.csv``.

Reads Tables C2-C5 of the ONS workbook "Police force area data tables, year ending December
2024" (``policeforceareatablesyedecember2024.xlsx``) with crimeperf's own reader
(``cp.read_ons_csp_tables``) and writes its tidy frame, unchanged, for EVERY Community Safety
Partnership, police force area and "Unassigned <force>" row of England and Wales: counts by
offence group for both years, ONS's % change and rates, populations (mid-2022) and households
(mid-2021), suppression markers kept beside their null values. ``cp.ons_csp_tables()`` reads the
file back into the same columns and types, and ``cp.add_population`` takes its denominators.

Needs crimeperf installed (``make python-build`` puts it in ``.venv``); run from anywhere:

    .venv/bin/python scripts/build_ons_csp_tables.py [--raw ../shared/data/raw] [--out FILE]

It checks known values (Rochford E22000088: 4,445 -> 4,208, population 87,200; every CSP of the
bundled lookup is present; every force has a population) and exits non-zero if a check fails or
the workbook is missing. The output is deterministic.

Contains public sector information licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Optional, Sequence

import polars as pl

import crimeperf as cp

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO_ROOT.parent / "shared" / "data" / "raw"
DEFAULT_OUT = (
    REPO_ROOT / "crates" / "crimeperf-polars" / "data" / "ons" / "ons_csp_tables_ye_dec2024.csv"
)
WORKBOOK = Path("ons_pfa_csp_tables_ye_dec2024") / "policeforceareatablesyedecember2024.xlsx"
TOTAL = "Total recorded crime (excluding fraud)"


def checks(frame: pl.DataFrame) -> list[str]:
    """What must hold of the frame before it is written; the failures, as sentences."""
    failures = []
    total = frame.filter(pl.col("offence_group") == TOTAL)
    rochford = total.filter(pl.col("area_code") == "E22000088").sort("year_ending")
    if rochford["count"].to_list() != [4445, 4208]:
        failures.append(f"Rochford total counts {rochford['count'].to_list()} != [4445, 4208]")
    if rochford["population"].to_list()[-1:] != [87_200]:
        failures.append(f"Rochford population {rochford['population'].to_list()} (87,200 expected)")
    lookup = cp.geography_table("csp_lookup")
    missing = set(lookup["csp_code"]) - set(frame.filter(pl.col("level") == "csp")["area_code"])
    if missing:
        failures.append(f"CSPs of the bundled lookup missing from the tables: {sorted(missing)}")
    latest = frame["year_ending"].max()
    areas = frame.filter(
        pl.col("level").is_in(["csp", "force"]), pl.col("year_ending") == latest
    )
    for what in ("population", "households"):
        absent = areas.filter(pl.col(what).is_null())["area_name"].unique().sort().to_list()
        if absent:
            failures.append(f"CSPs or forces without {what}: {absent}")
    return failures


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW,
                        help="the raw data folder (default: ../shared/data/raw beside the repository)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the CSV to write")
    args = parser.parse_args(argv)

    workbook = args.raw / WORKBOOK
    if not workbook.is_file():
        print(f"error: the ONS workbook is not at {workbook}; pass --raw DIR", file=sys.stderr)
        return 2
    tables = cp.read_ons_csp_tables(workbook)
    frame = tables.frame
    failures = checks(frame)
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    if failures:
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # Dates as ISO dates, floats with every digit the workbook stores (polars writes the
    # shortest representation that reads back to the same double).
    frame.write_csv(args.out, line_terminator="\n")
    findings = tables.log.group_by("kind").agg(pl.col("count").sum()).sort("kind")
    digest = hashlib.sha256(workbook.read_bytes()).hexdigest()
    print(f"read {workbook} (sha256 {digest})")
    print("what the reader found:", dict(findings.iter_rows()))
    levels = dict(frame.group_by("level").agg(pl.col("area_name").n_unique()).sort("level").iter_rows())
    print(f"wrote {args.out}: {frame.height} rows, areas by level {levels}, "
          f"{args.out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
