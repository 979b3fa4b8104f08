#!/usr/bin/env python3
"""Build the geography-and-population extract in ``crates/crimeperf-polars/data/geography/``.

Reads the raw lookups and ONS workbooks under ``../shared/data/raw/`` and writes:

- ``lsoa_lookup.csv``: every LSOA code on 2011 and/or 2021 boundaries (England and Wales) with its
  ward, local authority (April 2021 boundaries), Community Safety Partnership and police force;
- ``wards.csv``: names, dates and local authorities of the wards used in ``lsoa_lookup.csv``;
- ``csp_lookup.csv``: which April-2021 local authorities each CSP is made of (or is part of), with
  the CSP's police force;
- ``la_population.csv``: ONS mid-year population estimates by local authority, mid-2001 to mid-2021,
  with the basis of each year (the series breaks at mid-2021, which is rebased on Census 2021);
- ``la_households.csv``: household counts by local authority (Census 2011, summed from LSOAs), CSP,
  police force area, region and country (ONS, mid-2021).

See ``crates/crimeperf-polars/data/geography/README.md`` for the columns, sources and known gaps.

Standard library only, Python 3.9+. The xlsx workbooks are read with the reader in
``build_demo_extract.py``. Usage (from the repository root)::

    python3 scripts/build_geography_extract.py [--raw ../shared/data/raw] [--out crates/crimeperf-polars/data/geography]

Defaults are resolved relative to the repository root, so the script can be run from any directory.
The output is deterministic (sorted by code, UTF-8, LF line endings).

Contains public sector information licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

# the stdlib-only xlsx reader shared with the demo extract
from build_demo_extract import (  # noqa: E402
    ExtractError,
    Workbook,
    clean_label,
    is_blank,
    read_table,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO_ROOT.parent / "shared" / "data" / "raw"
DEFAULT_OUT = REPO_ROOT / "crates" / "crimeperf-polars" / "data" / "geography"

# Raw inputs, relative to --raw.
LSOA21_WARD = "geo_lookups/lsoa21_to_ward.csv"
WARDS = "geo_lookups/ward_all_codes.csv"
LA_CODES = "geo_lookups/la_all_codes.csv"
MSOA_LA = "geo_lookups/msoa_la.csv"
POLICE_FORCE_LSOA = "crime_sim_toolkit_pypi/PoliceforceLSOA.csv"
CENSUS_2011 = "crime_sim_toolkit_pypi/census_2011_population_hh.csv"
CSP_WORKBOOK = "ons_pfa_csp_tables_ye_dec2024/policeforceareatablesyedecember2024.xlsx"
MYE_2020 = "ons_mid_year_population_estimates/ukpopestimatesmid2020on2021geography.xlsx"
MYE_2021 = "ons_mid_year_population_estimates/ukpopestimatesmid2021on2021geographyfinal.xlsx"
INPUT_FILES = [LSOA21_WARD, WARDS, LA_CODES, MSOA_LA, POLICE_FORCE_LSOA, CENSUS_2011, CSP_WORKBOOK,
               MYE_2020, MYE_2021]

# police.uk street files: the Essex 2025 files are checked against the lookup; the 2024-25 and 2025
# files (2021 boundaries) also give the 2021 LSOA names; the 2018-19 Essex files (2011 boundaries)
# are only reported on.
ESSEX_2025_GLOB = "police_uk_street_2025_essex_suffolk_norfolk/*/2025-*-essex-street.csv"
ESSEX_2018_GLOB = "police_uk_street_2018_19_essex/*/*-essex-street.csv"
NAME_GLOBS_2021 = [
    "police_uk_street_2025_essex_suffolk_norfolk/*/2025-*-street.csv",
    "police_uk_street_2024_25_city_of_london/*/*-street.csv",
]
INPUT_GLOBS = [ESSEX_2025_GLOB, ESSEX_2018_GLOB] + NAME_GLOBS_2021

# Known values checked on every run (from the PROVENANCE files).
ROCHFORD_LA = "E07000075"
ROCHFORD_CSP = "E22000088"
ROCHFORD_LSOA21_COUNT = 53
ROCHFORD_POPULATION = {2020: 87627, 2021: 86186}

# Christchurch (2011 district E07000048) became part of Bournemouth, Christchurch and Poole in 2019,
# but the ONS CSP tables still split BCP into the Bournemouth and Poole CSPs (named after the old
# districts) and keep Christchurch in the Dorset CSP, whose population (Table C4) is Dorset UA plus
# about 50,000. This is checked against the populations on every run (see check_christchurch).
CHRISTCHURCH = "E07000048"
DORSET_CSP = "E22000367"

LA_GEOGRAPHIES = {
    "Non-metropolitan District", "Unitary Authority", "Metropolitan District", "London Borough",
    "Council Area", "Local Government District",
}
COUNTRY_BY_PREFIX = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}

BASIS_2011_SERIES = "mid-2020 series (2011 Census based)"
BASIS_2021 = "mid-2021 (Census 2021 based)"
BASIS_2021_SCOTLAND = "mid-2021 (rolled forward from mid-2020; Scotland's census was in 2022)"

LSOA_COLUMNS = ["lsoa_code", "boundary_year", "ward_code", "local_authority_code",
                "local_authority_name", "csp_code", "csp_name", "force_code"]
WARD_COLUMNS = ["ward_code", "ward_name", "ward_year", "ward_la_code", "ward_la_name"]
CSP_COLUMNS = ["csp_code", "csp_name", "force_code", "force_name", "local_authority_code",
               "local_authority_name", "csp_covers", "lsoa21_count"]
POPULATION_COLUMNS = ["local_authority_code", "local_authority_name", "country", "year",
                      "population", "basis"]
HOUSEHOLD_COLUMNS = ["area_code", "area_name", "level", "year", "households", "source"]

SRC_C4 = "ONS police force area tables YE Dec 2024, Table C4 (mid-2021, rounded to 100)"
SRC_P3 = "ONS police force area tables YE Dec 2024, Table P3 (mid-2021, rounded to 100)"
SRC_CENSUS = ("Census 2011 households by 2011 LSOA (crime-sim-toolkit 1.5.0), "
              "summed to April-2021 LA")

PART_RE = re.compile(r"\s*\(part [^)]*\)\s*$", re.IGNORECASE)


class Log:
    """Collects findings printed at the end of the run."""

    def __init__(self) -> None:
        self.lines: List[str] = []

    def note(self, text: str) -> None:
        self.lines.append(text)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def read_csv(path: Path, required: Sequence[str]) -> List[Dict[str, str]]:
    """Rows of a CSV with a header, as dicts; fails if a required column is missing."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise ExtractError(f"{path}: missing column(s) {missing}; header is {header}")
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def parse_int(text: Optional[str], where: str) -> int:
    """An integer cell: '1,563', '87627' or '87627.0' (but never a fraction)."""
    if is_blank(text):
        raise ExtractError(f"blank number at {where}")
    assert text is not None
    s = text.strip().replace(",", "")
    try:
        value = float(s)
    except ValueError:
        raise ExtractError(f"not a number: {text!r} at {where}") from None
    if value != int(value):
        raise ExtractError(f"not a whole number: {text!r} at {where}")
    return int(value)


def country_of(code: str) -> str:
    return COUNTRY_BY_PREFIX.get(code[:1], "")


def name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


# --------------------------------------------------------------------------------------------
# Mid-year population estimates
# --------------------------------------------------------------------------------------------

YEAR_HEADER_RE = re.compile(r"^\s*Mid-(\d{4})\s*$")


def read_mye4(path: Path) -> Tuple[Dict[str, str], Dict[str, Dict[int, int]], Dict[str, int]]:
    """Table MYE4 (all ages, one column per year): LA names, LA populations by year, and the
    'All ages' column of MYE2 - Persons for the release year (used as a cross-check)."""
    wb = Workbook(path)
    rows = wb.sheet_rows("MYE4")
    header_idx = next((i for i, r in enumerate(rows)
                       if r[:3] == ["Code", "Name", "Geography"]), None)
    if header_idx is None:
        raise ExtractError(f"{path.name} MYE4: no header row 'Code, Name, Geography'")
    header = rows[header_idx]
    years: Dict[int, int] = {}
    for i, h in enumerate(header):
        m = YEAR_HEADER_RE.match(h or "")
        if m:
            years[i] = int(m.group(1))
    if not years:
        raise ExtractError(f"{path.name} MYE4: no 'Mid-YYYY' columns in {header}")
    names: Dict[str, str] = {}
    pops: Dict[str, Dict[int, int]] = {}
    for n, row in enumerate(rows[header_idx + 1:], start=header_idx + 2):
        code = clean_label(row[0])
        if not code or clean_label(row[2]) not in LA_GEOGRAPHIES:
            continue
        if code in names:
            raise ExtractError(f"{path.name} MYE4: LA {code} appears twice")
        names[code] = clean_label(row[1])
        pops[code] = {year: parse_int(row[i], f"{path.name} MYE4 row {n} {code} mid-{year}")
                      for i, year in years.items()}

    rows2 = wb.sheet_rows("MYE2 - Persons")
    want = ["Code", "Name", "Geography", "All ages"]
    h2 = next((i for i, r in enumerate(rows2) if r[:4] == want), None)
    if h2 is None:
        raise ExtractError(f"{path.name} MYE2 - Persons: no header row {want}")
    all_ages = {clean_label(r[0]): parse_int(r[3], f"{path.name} MYE2 {r[0]}")
                for r in rows2[h2 + 1:] if clean_label(r[0]) in names}
    return names, pops, all_ages


def sheet_text(path: Path, sheet: str) -> str:
    wb = Workbook(path)
    return " ".join(clean_label(v) for row in wb.sheet_rows(sheet) for v in row if v)


def build_population(raw: Path, log: Log) -> Tuple[List[Dict[str, str]], Dict[str, str],
                                                     Dict[str, Dict[int, int]]]:
    names20, pops20, ages20 = read_mye4(raw / MYE_2020)
    names21, pops21, ages21 = read_mye4(raw / MYE_2021)
    if set(names20) != set(names21):
        raise ExtractError(
            "the two MYE files list different LAs: only mid-2020 "
            f"{sorted(set(names20) - set(names21))}, only mid-2021 "
            f"{sorted(set(names21) - set(names20))}")
    years20 = sorted({y for p in pops20.values() for y in p})
    if years20 != list(range(2001, 2021)):
        raise ExtractError(f"mid-2020 MYE4 should have mid-2001..mid-2020, has {years20}")
    # Cross-checks: MYE4's release-year column equals MYE2's all-ages total; the mid-2021 file
    # repeats mid-2011 and mid-2001 unchanged from the earlier series.
    for code in names20:
        if pops20[code][2020] != ages20.get(code):
            raise ExtractError(f"mid-2020 MYE4 and MYE2 disagree for {code}")
        if pops21[code][2021] != ages21.get(code):
            raise ExtractError(f"mid-2021 MYE4 and MYE2 disagree for {code}")
        for y in (2001, 2011):
            if y in pops21[code] and pops21[code][y] != pops20[code][y]:
                raise ExtractError(f"mid-{y} differs between the two MYE files for {code}")
    renamed = sorted(c for c in names20 if names20[c] != names21[c])
    if renamed:
        log.note(f"MYE: LA names differ between releases for {renamed}; "
                 "the mid-2021 names are used")
    # The basis of the mid-2021 estimates differs by country: the notes of the mid-2021 release
    # say England, Wales and Northern Ireland are estimated from Census Day 2021 and Scotland is
    # rolled forward from mid-2020.
    notes = sheet_text(raw / MYE_2021, "Notes").casefold()
    for phrase in ("census-day to mid-year 2021 population change for england, wales and northern "
                   "ireland", "mid-year 2020 to mid-year 2021 population change for scotland"):
        if phrase not in notes:
            raise ExtractError(f"{MYE_2021} Notes no longer say '{phrase}'; check the basis labels")
    for code, want in ROCHFORD_POPULATION.items():
        got = (pops20 if code == 2020 else pops21)[ROCHFORD_LA][code]
        if got != want:
            raise ExtractError(f"Rochford mid-{code} population is {got}, expected {want}")

    rows: List[Dict[str, str]] = []
    for code in sorted(names21):
        country = country_of(code)
        series = [(y, pops20[code][y], BASIS_2011_SERIES) for y in years20]
        series.append((2021, pops21[code][2021],
                       BASIS_2021_SCOTLAND if country == "Scotland" else BASIS_2021))
        for year, pop, basis in series:
            rows.append({"local_authority_code": code, "local_authority_name": names21[code],
                         "country": country, "year": str(year), "population": str(pop),
                         "basis": basis})
    pops = {c: {**pops20[c], 2021: pops21[c][2021]} for c in names21}
    return rows, names21, pops


# --------------------------------------------------------------------------------------------
# Local authority codes: any vintage -> April 2021 (the geography of the population estimates)
# --------------------------------------------------------------------------------------------


class LaCodes:
    def __init__(self, raw: Path, lad21_names: Dict[str, str]) -> None:
        rows = read_csv(raw / LA_CODES, ["LADCD", "LADNM", "LADCD_ACTIVE", "LADNM_ACTIVE"])
        self.active = {r["LADCD"]: r["LADCD_ACTIVE"] for r in rows}
        self.names = {r["LADCD"]: r["LADNM"] for r in rows}
        self.lad21 = lad21_names
        missing = sorted(set(lad21_names) - set(self.active))
        if missing:
            raise ExtractError(f"{LA_CODES} lacks April-2021 LA codes {missing}")
        # 2011 codes whose April-2021 LA is not their latest LA (2019 mergers later merged again in
        # 2023, i.e. Taunton Deane and West Somerset) are learnt from the LSOAs; see learn().
        self.learnt: Dict[str, str] = {}

    def to_lad21(self, code: str) -> Optional[str]:
        """April-2021 LA containing LA `code` (of any vintage), or None if that is ambiguous."""
        if code in self.lad21:
            return code
        if code in self.learnt:
            return self.learnt[code]
        active = self.active.get(code)
        if active in self.lad21:
            return active
        return None

    def predecessors(self, code: str) -> List[str]:
        return sorted(c for c, a in self.active.items() if a == code and c != code)

    def learn(self, evidence: Dict[str, Counter], log: Log) -> None:
        """For old codes with no direct April-2021 equivalent, use the April-2021 LAs that the
        same LSOAs (unchanged 2011/2021 codes) get through their wards; accept only a unanimous
        answer that has the same latest LA."""
        for code, counts in sorted(evidence.items()):
            if self.to_lad21(code) is not None:
                continue
            cands = [c for c in counts if self.active.get(c) == self.active.get(code)]
            if len(cands) == 1 and len(counts) == 1:
                self.learnt[code] = cands[0]
                log.note(f"LA {code} {self.names.get(code, '')} -> April-2021 LA {cands[0]} "
                         f"{self.lad21[cands[0]]} (all {counts[cands[0]]} of its LSOAs whose ward has "
                         "an April-2021 LA agree)")


# --------------------------------------------------------------------------------------------
# ONS CSP tables: CSP -> LA, CSP -> force, households
# --------------------------------------------------------------------------------------------


class Csp:
    def __init__(self, code: str, name: str, force_code: str, force_name: str, la_code: str,
                 la_name: str) -> None:
        self.code, self.name = code, name
        self.force_code, self.force_name = force_code, force_name
        self.la_code, self.la_name = la_code, la_name
        self.las: List[str] = []  # LA codes as given by C2 or, for combined CSPs, C1


def read_c1(wb: Workbook) -> Dict[Tuple[str, str], List[Tuple[str, str]]]:
    """Table C1: (force name, CSP name) -> [(LA code, LA name)], carrying merged cells down."""
    rows = wb.sheet_rows("Table C1")
    header = ["Police Force Area name", "Community Safety Partnership name",
              "Local Authority code", "Local Authority name"]
    idx = next((i for i, r in enumerate(rows) if [clean_label(v) for v in r[:4]] == header), None)
    if idx is None:
        raise ExtractError(f"Table C1: no header row {header}")
    out: Dict[Tuple[str, str], List[Tuple[str, str]]] = {}
    force = csp = ""
    for n, r in enumerate(rows[idx + 1:], start=idx + 2):
        f, c, la, la_name = (clean_label(v) for v in r[:4])
        if not (f or c or la):
            continue
        force = f or force
        csp = c or csp
        if not la or not force or not csp:
            raise ExtractError(f"Table C1 row {n}: incomplete row {r[:4]}")
        out.setdefault((name_key(force), name_key(csp)), []).append((la, la_name))
    return out


def read_csps(wb: Workbook, log: Log) -> Tuple[Dict[str, Csp], Dict[str, str]]:
    """CSPs of Table C2 with their LAs, and force code -> force name."""
    c2 = read_table(wb, "Table C2")
    c1 = read_c1(wb)
    col = c2.col
    forces: Dict[str, str] = {}
    csps: Dict[str, Csp] = {}
    for n, row in enumerate(c2.rows, start=c2.header_row + 1):
        fc, fn = clean_label(row[col["pfa_code"]]), clean_label(row[col["pfa_name"]])
        cc, cn = clean_label(row[col["csp_code"]]), clean_label(row[col["csp_name"]])
        lc, ln = clean_label(row[col["la_code"]]), clean_label(row[col["la_name"]])
        if not cc and not cn:
            if fc in forces:
                raise ExtractError(f"Table C2 row {n}: force {fc} has two total rows")
            forces[fc] = fn
            continue
        if not cc:
            if not cn.lower().startswith("unassigned"):
                log.note(f"Table C2: '{cn}' ({fn}) has no CSP code; not an area of the lookup")
            continue
        if cc in csps:
            raise ExtractError(f"Table C2 row {n}: CSP {cc} appears twice")
        csps[cc] = Csp(cc, cn, fc, fn, lc, ln)
    used_c1: Set[Tuple[str, str]] = set()
    for csp in csps.values():
        # a force made of one CSP (City of London) has no total row of its own
        if forces.setdefault(csp.force_code, csp.force_name) != csp.force_name:
            raise ExtractError(f"Table C2: CSP {csp.code} has force {csp.force_code} "
                               f"{csp.force_name!r}, but its total row says "
                               f"{forces[csp.force_code]!r}")
        key = (name_key(csp.force_name), name_key(csp.name))
        if re.match(r"^[EW]0[6-9]\d{6}$", csp.la_code):
            csp.las = [csp.la_code]
            if key in c1:  # C1 also lists CSPs that are part of one LA: must agree with C2
                used_c1.add(key)
                if [la for la, _ in c1[key]] != csp.las:
                    raise ExtractError(f"Tables C1 and C2 disagree on the LA of CSP {csp.code}")
        elif csp.la_code.lower().startswith("combined local authorit"):
            if key not in c1:
                raise ExtractError(f"Table C2: CSP {csp.code} {csp.name} is made of combined LAs "
                                   "but Table C1 does not list it")
            used_c1.add(key)
            csp.las = [la for la, _ in c1[key]]
        else:
            raise ExtractError(f"Table C2: CSP {csp.code} has LA code {csp.la_code!r}")
    unused = sorted(set(c1) - used_c1)
    if unused:
        raise ExtractError(f"Table C1 lists CSPs not found in Table C2: {unused}")
    return csps, forces


class CspResolver:
    """Finds the CSP of an LA code of any vintage.

    The CSP tables give each CSP one LA code (or a list in Table C1). Several CSPs share one LA
    where a new unitary authority kept the old districts' CSPs (Buckinghamshire, North and West
    Northamptonshire, Bournemouth Christchurch and Poole, East Suffolk); those are resolved with the
    old district codes, matched to CSP names. Old codes map through their successor; new codes
    through their predecessors when these all share one CSP.
    """

    def __init__(self, csps: Dict[str, Csp], la: LaCodes, log: Log) -> None:
        self.la = la
        by_la: Dict[str, Set[str]] = defaultdict(set)
        for csp in csps.values():
            for code in csp.las:
                by_la[code].add(csp.code)
        self.direct: Dict[str, str] = {}
        for code, cs in by_la.items():
            if len(cs) == 1:
                self.direct[code] = next(iter(cs))
        for code, cs in sorted(by_la.items()):
            if len(cs) == 1:
                continue
            # one LA, several CSPs: match its former districts by name
            for pred in la.predecessors(code):
                pname = name_key(la.names[pred])
                hits = [c for c in sorted(cs)
                        if pname == name_key(csps[c].name)
                        or pname in [name_key(p) for p in csps[c].name.split(" and ")]]
                if len(hits) == 1:
                    self.direct[pred] = hits[0]
                elif pred == CHRISTCHURCH:
                    self.direct[pred] = DORSET_CSP
                    log.note(f"CSP: former district {pred} Christchurch (now in {code}) -> "
                             f"{DORSET_CSP} {csps[DORSET_CSP].name} (no CSP of its own; checked "
                             "against populations)")
                else:
                    log.note(f"CSP: former district {pred} {la.names[pred]} of {code} matches "
                             f"no CSP of {sorted(cs)}: its LSOAs get no CSP")
            matched = {self.direct.get(p) for p in la.predecessors(code)}
            lost = sorted(cs - matched)
            if lost:
                log.note(f"CSP: CSPs {lost} of LA {code} match no former district")

    def resolve(self, code: Optional[str], _seen: Optional[Set[str]] = None) -> Optional[str]:
        if not code:
            return None
        seen = _seen or set()
        if code in seen:
            return None
        seen.add(code)
        if code in self.direct:
            return self.direct[code]
        # old code -> its April-2021 LA or latest LA
        for succ in (self.la.to_lad21(code), self.la.active.get(code)):
            if succ and succ != code and succ not in seen:
                found = self.resolve(succ, seen)
                if found:
                    return found
        # new code -> its former districts, if they all share one CSP
        preds = self.la.predecessors(code)
        if preds:
            found_set = {self.resolve(p, set(seen)) for p in preds}
            if len(found_set) == 1 and None not in found_set:
                return found_set.pop()
        return None


def check_christchurch(wb: Workbook, pops: Dict[str, Dict[int, int]], log: Log) -> None:
    """Christchurch belongs to the Dorset CSP: BCP's population minus the Bournemouth and Poole
    CSPs' must be about the Dorset CSP's population minus Dorset UA's (both about 50,000)."""
    c4 = read_table(wb, "Table C4")
    pop_col = next(i for i, h in enumerate(c4.header) if h.lower().startswith("population figures"))
    p = {clean_label(r[c4.col["csp_code"]]): parse_int(r[pop_col], "Table C4 population")
         for r in c4.rows if clean_label(r[c4.col["csp_code"]]) in
         ("E22000063", "E22000067", DORSET_CSP)}
    left_in_bcp = pops["E06000058"][2021] - p["E22000063"] - p["E22000067"]
    extra_in_dorset = p[DORSET_CSP] - pops["E06000059"][2021]
    if not (30000 < left_in_bcp < 70000 and 30000 < extra_in_dorset < 70000
            and abs(left_in_bcp - extra_in_dorset) < 10000):
        raise ExtractError(
            f"Christchurch check failed: BCP minus Bournemouth and Poole CSPs = {left_in_bcp}, "
            f"Dorset CSP minus Dorset UA = {extra_in_dorset}")
    log.note(f"Christchurch check: BCP (mid-2021) minus Bournemouth and Poole CSPs (mid-2022) = "
             f"{left_in_bcp}; Dorset CSP minus Dorset UA = {extra_in_dorset}")


def read_households(wb: Workbook, csps: Dict[str, Csp], forces: Dict[str, str],
                    log: Log) -> List[Dict[str, str]]:
    out: List[Dict[str, str]] = []
    c4 = read_table(wb, "Table C4")
    hh_col = next((i for i, h in enumerate(c4.header) if h.lower().startswith("household figures")),
                  None)
    if hh_col is None or "mid-2021" not in c4.header[hh_col]:
        raise ExtractError(f"Table C4: no 'Household figures (mid-2021)' column in {c4.header}")
    c4_forces: Dict[str, int] = {}
    for n, r in enumerate(c4.rows, start=c4.header_row + 1):
        cc = clean_label(r[c4.col["csp_code"]])
        cn = clean_label(r[c4.col["csp_name"]])
        if cc:
            out.append({"area_code": cc, "area_name": csps[cc].name, "level": "csp",
                        "year": "2021", "households": str(parse_int(r[hh_col], f"C4 row {n}")),
                        "source": SRC_C4})
        elif not cn:
            c4_forces[clean_label(r[c4.col["pfa_code"]])] = parse_int(r[hh_col], f"C4 row {n}")
    if not set(c4_forces) <= set(forces) or {r["area_code"] for r in out} != set(csps):
        raise ExtractError("Table C4 areas differ from Table C2")

    rows = wb.sheet_rows("Table P3")
    idx = next((i for i, r in enumerate(rows) if clean_label(r[0]) == "Area Code"), None)
    if idx is None:
        raise ExtractError("Table P3: no header row starting 'Area Code'")
    header = [clean_label(h) for h in rows[idx]]
    hh = next((i for i, h in enumerate(header) if h.lower().startswith("household figures")), None)
    if hh is None or "mid-2021" not in header[hh]:
        raise ExtractError(f"Table P3: no 'Household figures (mid-2021)' column in {header}")
    levels = {"K04": "country", "E92": "country", "W92": "country", "E12": "region",
              "E23": "police_force_area", "W15": "police_force_area"}
    for n, r in enumerate(rows[idx + 1:], start=idx + 2):
        code = clean_label(r[0])
        if not code:
            continue
        if code[:3] not in levels:
            raise ExtractError(f"Table P3 row {n}: unexpected area code {code!r}")
        value = parse_int(r[hh], f"Table P3 row {n}")
        level = levels[code[:3]]
        if level == "police_force_area" and c4_forces.get(code, value) != value:
            raise ExtractError(f"Tables P3 and C4 disagree on the households of force {code}")
        out.append({"area_code": code, "area_name": clean_label(r[1]), "level": level,
                    "year": "2021", "households": str(value), "source": SRC_P3})
    got = {r["area_code"] for r in out if r["level"] == "police_force_area"}
    if got != set(forces):
        raise ExtractError(f"Table P3 forces differ from Table C2: {sorted(got ^ set(forces))}")
    return out


# --------------------------------------------------------------------------------------------
# LSOA lookup
# --------------------------------------------------------------------------------------------

CENSUS_HEADER = ["Region code", "Region name", "Local authority code", "Local authority name",
                 "MSOA Code", "MSOA Name", "LSOA Code", "LSOA Name", "", "Persons", "Persons",
                 "Persons", "Hectares", "Persons per hectare", "Households",
                 "Persons per household"]


class Lsoa11:
    def __init__(self, name: str, la: str, msoa: str, households: int) -> None:
        self.name, self.la, self.msoa, self.households = name, la, msoa, households


def read_census_2011(raw: Path) -> Dict[str, Lsoa11]:
    path = raw / CENSUS_2011
    out: Dict[str, Lsoa11] = {}
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        if header != CENSUS_HEADER:
            raise ExtractError(f"{path}: unexpected header {header}")
        for n, r in enumerate(reader, start=2):
            if not any(v.strip() for v in r):
                continue
            code = r[6].strip()
            if code in out:
                raise ExtractError(f"{path} line {n}: LSOA {code} appears twice")
            out[code] = Lsoa11(r[7].strip(), r[2].strip(), r[4].strip(),
                               parse_int(r[14], f"{path.name} line {n} Households"))
    return out


def read_police_uk_names(raw: Path, patterns: Iterable[str], log: Log) -> Dict[str, str]:
    names: Dict[str, Set[str]] = defaultdict(set)
    for pattern in patterns:
        for path in sorted(raw.glob(pattern)):
            with path.open(newline="", encoding="utf-8-sig") as f:
                for row in csv.DictReader(f):
                    code = (row.get("LSOA code") or "").strip()
                    if code:
                        names[code].add((row.get("LSOA name") or "").strip())
    out = {}
    for code, ns in names.items():
        if len(ns) == 1:
            out[code] = ns.pop()
        else:
            log.note(f"police.uk: LSOA {code} has several names {sorted(ns)}; left blank")
    return out


def police_uk_codes(raw: Path, pattern: str) -> Tuple[Set[str], int]:
    codes: Set[str] = set()
    files = sorted(raw.glob(pattern))
    for path in files:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            if "LSOA code" not in (reader.fieldnames or []):
                raise ExtractError(f"{path}: no 'LSOA code' column")
            for row in reader:
                code = (row["LSOA code"] or "").strip()
                if code:
                    codes.add(code)
    return codes, len(files)


def build(raw: Path, log: Log) -> Dict[str, List[Dict[str, str]]]:
    pop_rows, lad21_names, pops = build_population(raw, log)
    la = LaCodes(raw, lad21_names)

    # --- wards and 2021 LSOAs
    ward_rows: Dict[str, List[Dict[str, str]]] = defaultdict(list)
    for r in read_csv(raw / WARDS, ["WDCD", "WDNM", "LADCD", "SOURCEFILE"]):
        ward_rows[r["WDCD"]].append(r)
    for code, rs in sorted(ward_rows.items()):
        if len(rs) > 1:
            log.note(f"wards: {code} has {len(rs)} rows ("
                     + "; ".join(f"{r['WDNM']} in {r['LADCD']}" for r in rs) + ")")
    lsoa21 = {r["lsoa_code"]: r["ward_code"]
              for r in read_csv(raw / LSOA21_WARD, ["lsoa_code", "ward_code"])}

    # --- 2011 LSOAs (Census 2011 for England and Wales; PoliceforceLSOA for England, cross-checked)
    lsoa11 = read_census_2011(raw)
    pf_rows = read_csv(raw / POLICE_FORCE_LSOA,
                       ["Local authority code", "MSOA Code", "LSOA Code", "LSOA Name",
                        "Police_force"])
    pf_force: Dict[str, str] = {}
    for r in pf_rows:
        c = lsoa11.get(r["LSOA Code"])
        if c is None:
            raise ExtractError(f"{POLICE_FORCE_LSOA}: LSOA {r['LSOA Code']} is not in the Census")
        if (c.la, c.msoa, c.name) != (r["Local authority code"], r["MSOA Code"], r["LSOA Name"]):
            raise ExtractError(f"{POLICE_FORCE_LSOA} and the Census disagree on {r['LSOA Code']}")
        pf_force[r["LSOA Code"]] = r["Police_force"]
    log.note(f"PoliceforceLSOA: {len(pf_rows)} English 2011 LSOAs; police force blank for "
             f"{sum(1 for v in pf_force.values() if not v)} (used only as a cross-check)")
    msoa_rows = read_csv(raw / MSOA_LA, ["MSOA11CD", "LADCD_ACTIVE"])
    msoa_active = {r["MSOA11CD"]: r["LADCD_ACTIVE"] for r in msoa_rows if r["MSOA11CD"]}

    def ward_las(ward: str) -> List[str]:
        return sorted({r["LADCD"] for r in ward_rows.get(ward, [])})

    # Learn April-2021 LAs for 2011 LAs that have none in la_all_codes (see LaCodes.learn)
    evidence: Dict[str, Counter] = defaultdict(Counter)
    for code, ward in lsoa21.items():
        if code in lsoa11:
            for w in ward_las(ward):
                if w in lad21_names:
                    evidence[lsoa11[code].la][w] += 1
    la.learn(evidence, log)
    bad = sorted({c.la for c in lsoa11.values() if la.to_lad21(c.la) is None})
    if bad:
        raise ExtractError(f"2011 LAs with no April-2021 LA: {bad}")

    # --- CSPs
    wb = Workbook(raw / CSP_WORKBOOK)
    csps, forces = read_csps(wb, log)
    check_christchurch(wb, pops, log)
    resolver = CspResolver(csps, la, log)
    bad = sorted({c for csp in csps.values() for c in csp.las if c not in la.active})
    if bad:
        raise ExtractError(f"CSP tables use LA codes unknown to {LA_CODES}: {bad}")

    # 2021 LSOA names (only those seen in police.uk files): ONS names a 2021 LSOA after its LA, so
    # the name is evidence for the LA of a 2021-only LSOA, stronger than a best-fit ward.
    names21 = read_police_uk_names(raw, NAME_GLOBS_2021, log)
    la_by_name: Dict[str, Set[str]] = defaultdict(set)
    for c, n in lad21_names.items():
        la_by_name[name_key(n)].add(c)
        la_by_name[name_key(re.sub(r",\s*(City|County) of$", "", n))].add(c)

    def la_from_name(code: str) -> Optional[str]:
        if code not in names21:
            return None
        cands = la_by_name.get(name_key(names21[code].rsplit(" ", 1)[0]), set())
        return next(iter(cands)) if len(cands) == 1 else None

    # --- one row per LSOA code
    rows: List[Dict[str, str]] = []
    used_wards: Dict[str, List[Dict[str, str]]] = {}
    stats: Counter = Counter()
    for key in ("ward in another LA than the 2011 LSOA: ward dropped",
                "2021-only LSOA whose police.uk name names another LA than its ward: ward dropped",
                "MSOA lookup (msoa_la.csv) disagrees with the Census 2011 LA",
                "PoliceforceLSOA force differs from the CSP tables' force",
                "2021 name does not start with the LA name"):
        stats[key] = 0
    for code in sorted(set(lsoa11) | set(lsoa21)):
        in11, in21 = code in lsoa11, code in lsoa21
        c11 = lsoa11.get(code)
        ward = lsoa21.get(code, "")
        wlas = ward_las(ward) if ward else []
        if ward and not wlas:
            stats["ward code unknown to ward_all_codes"] += 1
            log.note(f"LSOA {code}: ward {ward} is not in {WARDS}")
            ward = ""
        # local authority (April 2021) and the finest LA code known (for the CSP)
        named = la_from_name(code)
        if c11 is not None:
            # unchanged 2011 code: the Census 2011 LA (an official LSOA -> LA assignment)
            lad21 = la.to_lad21(c11.la)
            finest: Optional[str] = c11.la
            if wlas and not any(_same_la(la, w, lad21) for w in wlas):
                stats["ward in another LA than the 2011 LSOA: ward dropped"] += 1
                log.note(f"LSOA {code}: 2011 LA {c11.la} but ward {ward} is in {wlas}; "
                         "ward left blank")
                ward, wlas = "", []
            if msoa_active.get(c11.msoa) and msoa_active[c11.msoa] != la.active.get(lad21 or ""):
                stats["MSOA lookup (msoa_la.csv) disagrees with the Census 2011 LA"] += 1
        else:
            cands = {la.to_lad21(w) for w in wlas}
            lad21 = cands.pop() if len(cands) == 1 else None
            finest = wlas[0] if len(wlas) == 1 else lad21
            if named and wlas and not any(_same_la(la, w, named) for w in wlas):
                stats["2021-only LSOA whose police.uk name names another LA than its ward: "
                      "ward dropped"] += 1
                log.note(f"LSOA {code}: police.uk name {names21[code]!r} but ward {ward} is in "
                         f"{wlas}; LA {named} from the name, ward left blank")
                ward, wlas, lad21, finest = "", [], named, named
            elif named and lad21 is None:
                lad21 = finest = named
                stats["2021-only LSOA with LA from its police.uk name only"] += 1
        if ward and not in21:
            raise AssertionError("ward for a 2011-only LSOA")
        if in21 and code in names21 and lad21 and named != lad21:
            stats["2021 name does not start with the LA name"] += 1
            log.note(f"LSOA {code}: 2021 name {names21[code]!r} but LA {lad21} "
                     f"{lad21_names[lad21]}")
        csp_code = resolver.resolve(finest) or resolver.resolve(lad21) or ""
        csp = csps.get(csp_code)
        force_code = csp.force_code if csp else ""
        if not csp and lad21:
            fs = {csps[c].force_code for c in csps if lad21 in _lad21_of_csp(csps[c], la)}
            if len(fs) == 1:
                force_code = fs.pop()
                stats["force from the LA (CSP unknown)"] += 1
        if code in pf_force and pf_force[code] and force_code:
            if name_key(pf_force[code]) != name_key(forces[force_code]):
                stats["PoliceforceLSOA force differs from the CSP tables' force"] += 1
                log.note(f"LSOA {code}: PoliceforceLSOA says {pf_force[code]}, CSP tables say "
                         f"{forces[force_code]}")
        if ward:
            used_wards[ward] = ward_rows[ward]
        rows.append({
            "lsoa_code": code,
            "boundary_year": "2011;2021" if (in11 and in21) else ("2011" if in11 else "2021"),
            "ward_code": ward,
            "local_authority_code": lad21 or "",
            "local_authority_name": lad21_names[lad21] if lad21 else "",
            "csp_code": csp_code,
            "csp_name": csp.name if csp else "",
            "force_code": force_code,
        })
    for k, v in sorted(stats.items()):
        log.note(f"lookup: {k}: {v}")

    lsoa_names: Dict[str, List[str]] = defaultdict(list)
    for code, c in lsoa11.items():
        lsoa_names[code].append(c.name)
    for code, n in names21.items():
        lsoa_names[code].append(n)
    check_lookup(raw, rows, lsoa_names, log)
    csp_rows = build_csp_lookup(rows, csps, forces, lad21_names, log)

    hh_rows = read_households(wb, csps, forces, log)
    by_la: Counter = Counter()
    lookup = {r["lsoa_code"]: r for r in rows}
    for code, c in lsoa11.items():
        by_la[lookup[code]["local_authority_code"]] += c.households
    for code in sorted(by_la):
        hh_rows.append({"area_code": code, "area_name": lad21_names[code],
                        "level": "local_authority", "year": "2011",
                        "households": str(by_la[code]), "source": SRC_CENSUS})
    hh_rows.sort(key=lambda r: (r["area_code"], r["level"], r["year"]))

    missing_pop = sorted({r["local_authority_code"] for r in rows if r["local_authority_code"]}
                         - set(lad21_names))
    if missing_pop:
        raise ExtractError(f"lookup LAs without population: {missing_pop}")
    ward_out = []
    for code in sorted(used_wards):
        wr = used_wards[code]
        wnames = sorted({PART_RE.sub("", r["WDNM"]) for r in wr})
        ward_out.append({
            "ward_code": code,
            "ward_name": wnames[0] if len(wnames) == 1 else " / ".join(wnames),
            "ward_year": ";".join(sorted({r["SOURCEFILE"] for r in wr})),
            "ward_la_code": ";".join(sorted({r["LADCD"] for r in wr})),
            "ward_la_name": ";".join(r["LADNM"] for r in sorted(wr, key=lambda r: r["LADCD"])),
        })
    return {"lsoa_lookup.csv": rows, "wards.csv": ward_out, "csp_lookup.csv": csp_rows,
            "la_population.csv": pop_rows, "la_households.csv": hh_rows}


def _same_la(la: LaCodes, ward_la: str, lad21: Optional[str]) -> bool:
    w21 = la.to_lad21(ward_la)
    if w21 is not None:
        return w21 == lad21
    return la.active.get(ward_la) == la.active.get(lad21 or "")


def _lad21_of_csp(csp: Csp, la: LaCodes) -> Set[str]:
    out = set()
    for code in csp.las:
        c21 = la.to_lad21(code)
        if c21:
            out.add(c21)
        else:  # a newer LA (e.g. North Yorkshire 2023): its April-2021 districts
            out.update(p for p in la.predecessors(code) if p in la.lad21)
    return out


def build_csp_lookup(rows: List[Dict[str, str]], csps: Dict[str, Csp], forces: Dict[str, str],
                     lad21_names: Dict[str, str], log: Log) -> List[Dict[str, str]]:
    """One row per (CSP, April-2021 LA) pair seen among the LSOAs (all boundary years)."""
    pairs: Dict[Tuple[str, str], int] = Counter()
    csps_of_la: Dict[str, Set[str]] = defaultdict(set)
    for r in rows:
        if r["csp_code"] and r["local_authority_code"]:
            pairs[(r["csp_code"], r["local_authority_code"])] += "2021" in r["boundary_year"]
            csps_of_la[r["local_authority_code"]].add(r["csp_code"])
    out = []
    for (cc, lc), n21 in sorted(pairs.items()):
        csp = csps[cc]
        out.append({"csp_code": cc, "csp_name": csp.name, "force_code": csp.force_code,
                    "force_name": forces[csp.force_code], "local_authority_code": lc,
                    "local_authority_name": lad21_names[lc],
                    "csp_covers": "whole LA" if len(csps_of_la[lc]) == 1 else "part of LA",
                    "lsoa21_count": str(n21)})
    unseen = sorted(set(csps) - {cc for cc, _ in pairs})
    if unseen:
        raise ExtractError(f"CSPs of Table C2 with no LSOA: {unseen}")
    return out


def check_lookup(raw: Path, rows: List[Dict[str, str]], lsoa_names: Dict[str, List[str]],
                 log: Log) -> None:
    lookup = {r["lsoa_code"]: r for r in rows}
    # Every Rochford LSOA (by LA or by a 2011 or 2021 name) -> E07000075 and CSP E22000088
    rochford = [r for r in rows
                if r["local_authority_code"] == ROCHFORD_LA
                or any(n.startswith("Rochford ") for n in lsoa_names.get(r["lsoa_code"], []))]
    wrong = [r["lsoa_code"] for r in rochford
             if (r["local_authority_code"], r["csp_code"]) != (ROCHFORD_LA, ROCHFORD_CSP)]
    if wrong:
        raise ExtractError(f"Rochford LSOAs not mapped to {ROCHFORD_LA}/{ROCHFORD_CSP}: {wrong}")
    n21 = sum(1 for r in rochford if "2021" in r["boundary_year"])
    if n21 != ROCHFORD_LSOA21_COUNT:
        raise ExtractError(f"Rochford has {n21} 2021 LSOAs, expected {ROCHFORD_LSOA21_COUNT}")
    log.note(f"check: {len(rochford)} Rochford LSOAs ({n21} on 2021 boundaries) -> "
             f"{ROCHFORD_LA} / {ROCHFORD_CSP}")

    # Every LSOA code of the Essex 2025 street files is in the lookup, on 2021 boundaries
    codes, nfiles = police_uk_codes(raw, ESSEX_2025_GLOB)
    if nfiles == 0:
        raise ExtractError(f"no files match {ESSEX_2025_GLOB} under {raw}")
    missing = sorted(c for c in codes if "2021" not in lookup.get(c, {}).get("boundary_year", ""))
    if missing:
        raise ExtractError(f"Essex 2025 LSOA codes not in the 2021 lookup: {missing[:20]}")
    no_csp = sorted(c for c in codes if not lookup[c]["csp_code"])
    log.note(f"check: all {len(codes)} LSOA codes of {nfiles} Essex 2025 street files are in the "
             f"lookup on 2021 boundaries ({len(no_csp)} without CSP)")

    # Report on the 2018-19 Essex files (2011 boundaries)
    codes, nfiles = police_uk_codes(raw, ESSEX_2018_GLOB)
    if nfiles == 0:
        raise ExtractError(f"no files match {ESSEX_2018_GLOB} under {raw}")
    on11 = sum(1 for c in codes if "2011" in lookup.get(c, {}).get("boundary_year", ""))
    anywhere = sum(1 for c in codes if c in lookup)
    with_csp = sum(1 for c in codes if c in lookup and lookup[c]["csp_code"])
    log.note(f"report: Essex 2018-19 street files ({nfiles}): {len(codes)} LSOA codes, {on11} "
             f"found on 2011 boundaries, {anywhere} in the lookup at all, {with_csp} with a CSP")


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[Dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def summarise(outputs: Dict[str, List[Dict[str, str]]], out: Path) -> List[str]:
    lines = []
    for name, rows in outputs.items():
        lines.append(f"wrote {out / name}: {len(rows)} rows, {(out / name).stat().st_size} bytes")
    rows = outputs["lsoa_lookup.csv"]
    by_year = Counter(r["boundary_year"] for r in rows)
    lines.append("lsoa_lookup by boundary_year: "
                 + ", ".join(f"{k}: {v}" for k, v in sorted(by_year.items())))
    for year in ("2011", "2021"):
        sel = [r for r in rows if year in r["boundary_year"]]
        lines.append(
            f"  on {year} boundaries: {len(sel)} LSOAs; without ward "
            f"{sum(1 for r in sel if not r['ward_code'])}, without LA "
            f"{sum(1 for r in sel if not r['local_authority_code'])}, without CSP "
            f"{sum(1 for r in sel if not r['csp_code'])}, without force "
            f"{sum(1 for r in sel if not r['force_code'])}")
    return lines


COLUMNS = {"lsoa_lookup.csv": LSOA_COLUMNS, "wards.csv": WARD_COLUMNS,
           "csp_lookup.csv": CSP_COLUMNS, "la_population.csv": POPULATION_COLUMNS,
           "la_households.csv": HOUSEHOLD_COLUMNS}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW,
                        help="directory holding the raw data (default: ../shared/data/raw "
                             "relative to the repository root)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output directory (default: crates/crimeperf-polars/data/geography)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    args = parser.parse_args(argv)

    missing = [str(args.raw / p) for p in INPUT_FILES if not (args.raw / p).is_file()]
    missing += [f"{args.raw}/{g} (no matching file)" for g in INPUT_GLOBS
                if not any(args.raw.glob(g))]
    if missing:
        print("error: missing raw input(s):\n  " + "\n  ".join(missing)
              + "\nPass --raw DIR to point at the raw data directory.", file=sys.stderr)
        return 2

    log = Log()
    try:
        outputs = build(args.raw, log)
    except (ExtractError, zipfile.BadZipFile, ET.ParseError, KeyError, csv.Error) as exc:
        for line in log.lines:
            print(line, file=sys.stderr)
        print(f"error: could not build the geography extract: {exc}", file=sys.stderr)
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in outputs.items():
        write_csv(args.out / name, COLUMNS[name], rows)
    if not args.quiet:
        for line in log.lines:
            print(line)
    for line in summarise(outputs, args.out):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
