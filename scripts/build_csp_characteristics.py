#!/usr/bin/env python3
"""Build ``crates/crimeperf-polars/data/peers/csp_characteristics.csv``: area characteristics of every Community Safety
Partnership (CSP) in England and Wales, from which crimeperf builds its *demonstration* most
similar groups.

The Home Office's most similar groups (iQuanta) are published to police only. These
characteristics are public (ONS, Open Government Licence v3.0), so a user can see and change how a
demonstration group was made; the groups are **illustrative, not the Home Office groups**.

One row per CSP (the CSPs of Table C4 of the ONS "Police force area data tables, year ending
December 2024"), with:

* ``population`` and ``households``: ONS Table C4 (mid-2022 population, mid-2021 households), the
  denominators ONS used for the CSP's rates;
* ``household_size``: population / households;
* ``area_sq_km`` and ``density_per_sq_km`` (mid-2021 population per sq km): ONS mid-2021
  estimates, Table MYE5, summed over the CSP's local authorities (LAs, April-2021 boundaries);
* ``share_aged_0_15``, ``share_aged_16_24``, ``share_aged_25_64``, ``share_aged_65_plus``: shares
  of the mid-2021 population, Table MYE2 - Persons, summed over the CSP's LAs;
* ``basis``: ``"whole LAs"`` when the CSP is made of whole LAs, or ``"parent LA"`` when it is part
  of an LA formed in a later reorganisation (its area and age structure are those of the LA it is
  part of: the raw data has nothing finer; 15 CSPs in Dorset, Northamptonshire and
  Buckinghamshire).

The CSP to LA lookup is the bundled ``data/geography/csp_lookup.csv``.

Standard library only (the xlsx reader of ``build_demo_extract.py``), Python 3.9+. Usage, from the
repository root::

    python3 scripts/build_csp_characteristics.py [--raw ../shared/data/raw] [--out crates/crimeperf-polars/data/peers]

The output is deterministic (two runs give identical bytes). Contains public sector information
licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Dict, List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_demo_extract import (  # noqa: E402
    ExtractError,
    Workbook,
    clean_label,
    parse_value,
    rate_columns,
    read_table,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO_ROOT.parent / "shared" / "data" / "raw"
DEFAULT_OUT = REPO_ROOT / "crates" / "crimeperf-polars" / "data" / "peers"
CSP_LOOKUP = REPO_ROOT / "data" / "geography" / "csp_lookup.csv"

ONS_TABLES = Path("ons_pfa_csp_tables_ye_dec2024") / "policeforceareatablesyedecember2024.xlsx"
MYE_2021 = Path("ons_mid_year_population_estimates") / "ukpopestimatesmid2021on2021geographyfinal.xlsx"
OUTPUT_NAME = "csp_characteristics.csv"

COLUMNS = [
    "csp_code",
    "csp_name",
    "force_name",
    "population",
    "households",
    "household_size",
    "area_sq_km",
    "density_per_sq_km",
    "share_aged_0_15",
    "share_aged_16_24",
    "share_aged_25_64",
    "share_aged_65_plus",
    "basis",
]

# Age bands as (first, last) single years of age; 90 is "90+".
AGE_BANDS = {
    "share_aged_0_15": (0, 15),
    "share_aged_16_24": (16, 24),
    "share_aged_25_64": (25, 64),
    "share_aged_65_plus": (65, 90),
}


def header_index(rows: List[List[Optional[str]]], first: Sequence[str], where: str) -> int:
    for i, row in enumerate(rows):
        if [clean_label(v) for v in row[: len(first)]] == list(first):
            return i
    raise ExtractError(f"{where}: no header row starting {list(first)}")


def read_la_ages(wb: Workbook) -> Dict[str, Dict[str, int]]:
    """Mid-2021 population of each LA in the age bands, and in all ages (MYE2 - Persons)."""
    rows = wb.sheet_rows("MYE2 - Persons")
    h = header_index(rows, ["Code", "Name", "Geography", "All ages"], "MYE2 - Persons")
    header = [clean_label(v) for v in rows[h]]
    age_col: Dict[int, int] = {}
    for i, label in enumerate(header[4:], start=4):
        age = label.rstrip("+")
        if age.isdigit():
            age_col[int(age)] = i
    if sorted(age_col) != list(range(91)):
        raise ExtractError(f"MYE2 - Persons: expected ages 0 to 90+, got {sorted(age_col)}")
    out: Dict[str, Dict[str, int]] = {}
    for n, row in enumerate(rows[h + 1 :], start=h + 2):
        code = clean_label(row[0])
        if not code:
            continue
        values = {"all_ages": int(Decimal(row[3] or "0"))}
        for band, (lo, hi) in AGE_BANDS.items():
            values[band] = sum(int(Decimal(row[age_col[a]] or "0")) for a in range(lo, hi + 1))
        if sum(values[b] for b in AGE_BANDS) != values["all_ages"]:
            raise ExtractError(f"MYE2 - Persons row {n} ({code}): age bands do not sum to all ages")
        out[code] = values
    return out


def read_la_areas(wb: Workbook) -> Dict[str, Dict[str, Decimal]]:
    """Area (sq km) and mid-2021 population of each LA (MYE 5)."""
    rows = wb.sheet_rows("MYE 5")
    h = header_index(rows, ["Code", "Name", "Geography", "Area (sq km)"], "MYE 5")
    out: Dict[str, Dict[str, Decimal]] = {}
    for row in rows[h + 1 :]:
        code = clean_label(row[0])
        if code and row[3] is not None:
            out[code] = {"area": Decimal(row[3]), "population": Decimal(row[4])}
    return out


def read_csp_denominators(wb: Workbook) -> Dict[str, Dict[str, str]]:
    """Population and households of every CSP with a code (Table C4)."""
    c4 = read_table(wb, "Table C4")
    pop_col, hh_col, _, _ = rate_columns(c4)
    out: Dict[str, Dict[str, str]] = {}
    for row in c4.rows:
        code = clean_label(row[c4.col["csp_code"]])
        if not code:
            continue  # force totals and "Unassigned" rows
        name = clean_label(row[c4.col["csp_name"]])
        population, marker_p = parse_value(row[pop_col], f"Table C4 {name} population")
        households, marker_h = parse_value(row[hh_col], f"Table C4 {name} households")
        if marker_p or marker_h or not population or not households:
            raise ExtractError(f"Table C4: {name} ({code}) has no population or households")
        out[code] = {
            "csp_name": name,
            "force_name": clean_label(row[c4.col["pfa_name"]]),
            "population": population,
            "households": households,
        }
    return out


def fmt(value: Decimal, places: int) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places)))


def build(raw: Path) -> List[Dict[str, str]]:
    ons = Workbook(raw / ONS_TABLES)
    mye = Workbook(raw / MYE_2021)
    csps = read_csp_denominators(ons)
    ages = read_la_ages(mye)
    areas = read_la_areas(mye)

    las_of: Dict[str, List[str]] = defaultdict(list)
    covers: Dict[str, set] = defaultdict(set)
    with open(CSP_LOOKUP, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            las_of[row["csp_code"]].append(row["local_authority_code"])
            covers[row["csp_code"]].add(row["csp_covers"])

    missing = sorted(set(csps) - set(las_of))
    if missing:
        raise ExtractError(f"CSPs of Table C4 not in {CSP_LOOKUP.name}: {missing}")
    out = []
    for code in sorted(csps):
        csp = csps[code]
        las = sorted(set(las_of[code]))
        for la in las:
            if la not in ages or la not in areas:
                raise ExtractError(f"{csp['csp_name']} ({code}): LA {la} not in the mid-2021 estimates")
        area = sum((areas[la]["area"] for la in las), Decimal(0))
        people_2021 = sum(ages[la]["all_ages"] for la in las)
        population, households = Decimal(csp["population"]), Decimal(csp["households"])
        row = {
            "csp_code": code,
            "csp_name": csp["csp_name"],
            "force_name": csp["force_name"],
            "population": csp["population"],
            "households": csp["households"],
            "household_size": fmt(population / households, 4),
            "area_sq_km": fmt(area, 2),
            "density_per_sq_km": fmt(Decimal(people_2021) / area, 2),
            "basis": "parent LA" if "part of LA" in covers[code] else "whole LAs",
        }
        for band in AGE_BANDS:
            share = Decimal(sum(ages[la][band] for la in las)) / Decimal(people_2021)
            row[band] = fmt(share, 5)
        out.append(row)
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for needed in (args.raw / ONS_TABLES, args.raw / MYE_2021, CSP_LOOKUP):
        if not needed.exists():
            print(f"missing input: {needed}", file=sys.stderr)
            return 2
    try:
        rows = build(args.raw)
    except ExtractError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    rochford = next(r for r in rows if r["csp_name"] == "Rochford")
    if rochford["population"] != "87200":
        print(f"error: Rochford's population is {rochford['population']}, expected 87200", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / OUTPUT_NAME
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    parents = sum(r["basis"] == "parent LA" for r in rows)
    print(f"wrote {path} ({len(rows)} CSPs, {parents} described by their parent LA)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
