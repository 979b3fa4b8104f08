#!/usr/bin/env python3
"""Build the bundled demo extract ``data/ons_csp_essex_ye_dec2024.csv``.

Reads the ONS workbook "Police force area data tables, year ending December 2024"
(``policeforceareatablesyedecember2024.xlsx``), Tables C2-C5, and writes one tidy row per
(area, offence group) for the Essex police force area: every Essex Community Safety Partnership,
the Essex force total and the "Unassigned Essex" row.

Standard library only (the xlsx is read with ``zipfile`` and ``xml.etree``), Python 3.9+.

Usage (from the repository root)::

    python3 scripts/build_demo_extract.py [--raw ../shared/data/raw] [--out data/]

Defaults are resolved relative to the repository root (the parent of ``scripts/``), so the
script can be run from any directory.

Contains public sector information licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

import argparse
import csv
import decimal
import hashlib
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path, PurePosixPath
from typing import Dict, List, Optional, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO_ROOT.parent / "shared" / "data" / "raw"
DEFAULT_OUT = REPO_ROOT / "data"

WORKBOOK_DIR = "ons_pfa_csp_tables_ye_dec2024"
WORKBOOK_NAME = "policeforceareatablesyedecember2024.xlsx"
OUTPUT_NAME = "ons_csp_essex_ye_dec2024.csv"

FORCE_NAME = "Essex"
FORCE_CODE = "E23000028"

COLUMNS = [
    "area_code",
    "area_name",
    "level",
    "force_name",
    "offence_group",
    "count_2023",
    "count_2024",
    "ons_percent_change",
    "population",
    "households",
    "ons_rate_per_1000_population",
    "ons_rate_per_1000_households",
    "ons_percent_change_marker",
    "ons_rate_per_1000_population_marker",
    "ons_rate_per_1000_households_marker",
    "count_2023_marker",
    "count_2024_marker",
]

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
M = "{%s}" % NS_MAIN

MARKER_RE = re.compile(r"^\[[a-z]+[0-9]*\]$", re.IGNORECASE)
NOTE_RE = re.compile(r"\s*\[note\s*\d+\]", re.IGNORECASE)
CELL_REF_RE = re.compile(r"^([A-Z]+)([0-9]+)$")


class ExtractError(Exception):
    """A problem with the workbook that stops the extract from being built."""


# --------------------------------------------------------------------------------------------
# Minimal xlsx reader
# --------------------------------------------------------------------------------------------


def column_index(letters: str) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - ord("A") + 1)
    return n - 1


def _text_of(elem: ET.Element) -> str:
    """Concatenate the <t> runs of a shared string or inline string (skipping phonetic runs)."""
    parts = []
    for child in elem:
        if child.tag == M + "t":
            parts.append(child.text or "")
        elif child.tag == M + "r":
            for t in child.iter(M + "t"):
                parts.append(t.text or "")
        # <rPh> (phonetic) and <phoneticPr> are ignored
    return "".join(parts)


class Workbook:
    """Read cell values from an xlsx file: strings as str, numbers as the raw XML text."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(str(path))
        self.shared_strings = self._read_shared_strings()
        self.sheet_paths = self._read_sheet_paths()

    def _read_shared_strings(self) -> List[str]:
        try:
            data = self.zip.read("xl/sharedStrings.xml")
        except KeyError:
            return []
        root = ET.fromstring(data)
        return [_text_of(si) for si in root.findall(M + "si")]

    def _read_sheet_paths(self) -> Dict[str, str]:
        wb = ET.fromstring(self.zip.read("xl/workbook.xml"))
        rels = ET.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"))
        targets = {}
        for rel in rels.findall("{%s}Relationship" % NS_PKG_REL):
            target = rel.get("Target", "")
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = str(PurePosixPath("xl") / target)
            # normalise "xl/../customXml" style paths
            parts: List[str] = []
            for p in path.split("/"):
                if p == "..":
                    if parts:
                        parts.pop()
                elif p and p != ".":
                    parts.append(p)
            targets[rel.get("Id")] = "/".join(parts)
        out = {}
        sheets = wb.find(M + "sheets")
        if sheets is None:
            raise ExtractError("workbook.xml has no <sheets> element")
        for sheet in sheets.findall(M + "sheet"):
            rid = sheet.get("{%s}id" % NS_REL)
            out[sheet.get("name", "")] = targets[rid]
        return out

    def sheet_rows(self, name: str) -> List[List[Optional[str]]]:
        """All rows of a sheet as lists of cell values (None for empty cells).

        Sheet names are matched after stripping whitespace (ONS has names like 'Table P4 ').
        Shared and inline strings are returned as str; numbers as the exact text stored in the
        XML (so no precision is lost); booleans as 'TRUE'/'FALSE'; errors as their text.
        """
        matches = [k for k in self.sheet_paths if k.strip() == name.strip()]
        if len(matches) != 1:
            raise ExtractError(
                f"expected exactly one sheet named {name!r} in {self.path.name}, "
                f"found {len(matches)}; sheets are {sorted(self.sheet_paths)}"
            )
        root = ET.fromstring(self.zip.read(self.sheet_paths[matches[0]]))
        data = root.find(M + "sheetData")
        rows: Dict[int, Dict[int, Optional[str]]] = {}
        if data is None:
            return []
        next_row = 1
        for row in data.findall(M + "row"):
            r_attr = row.get("r")
            row_num = int(r_attr) if r_attr else next_row
            next_row = row_num + 1
            cells: Dict[int, Optional[str]] = {}
            next_col = 0
            for c in row.findall(M + "c"):
                ref = c.get("r")
                if ref:
                    m = CELL_REF_RE.match(ref)
                    if not m:
                        raise ExtractError(f"bad cell reference {ref!r} in sheet {name!r}")
                    col = column_index(m.group(1))
                else:
                    col = next_col
                next_col = col + 1
                cells[col] = self._cell_value(c)
            rows[row_num] = cells
        if not rows:
            return []
        n_rows = max(rows)
        n_cols = max((max(c) + 1 for c in rows.values() if c), default=0)
        table = []
        for r in range(1, n_rows + 1):
            cells = rows.get(r, {})
            table.append([cells.get(c) for c in range(n_cols)])
        return table

    def _cell_value(self, c: ET.Element) -> Optional[str]:
        t = c.get("t", "n")
        if t == "inlineStr":
            is_elem = c.find(M + "is")
            return _text_of(is_elem) if is_elem is not None else None
        v = c.find(M + "v")
        if v is None or v.text is None:
            return None
        if t == "s":
            return self.shared_strings[int(v.text)]
        if t == "b":
            return "TRUE" if v.text.strip() == "1" else "FALSE"
        # "n" (number), "str" (formula string), "e" (error), "d" (ISO date): raw text
        return v.text


# --------------------------------------------------------------------------------------------
# Cleaning helpers
# --------------------------------------------------------------------------------------------


def clean_label(text: Optional[str]) -> str:
    """Collapse newlines/multiple spaces, drop '[note N]' suffixes, strip."""
    if text is None:
        return ""
    text = NOTE_RE.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def is_blank(value: Optional[str]) -> bool:
    return value is None or value.strip() == ""


def parse_value(value: Optional[str], where: str) -> Tuple[str, str]:
    """Return (number_text, marker) for one numeric cell.

    Numbers keep every digit the XML stores; scientific notation ('5.5E-3') is rewritten in
    positional notation ('0.0055') without any rounding. Markers such as '[x]', '[U1]' are
    lowercased. Blank cells give ('', '').
    """
    if is_blank(value):
        return "", ""
    assert value is not None
    s = value.strip()
    if MARKER_RE.match(s):
        return "", s.lower()
    try:
        d = decimal.Decimal(s)
    except decimal.InvalidOperation:
        raise ExtractError(f"unexpected non-numeric value {value!r} at {where}") from None
    if not d.is_finite():
        raise ExtractError(f"non-finite value {value!r} at {where}")
    if "e" in s.lower():
        s = format(d, "f")
    return s, ""


# --------------------------------------------------------------------------------------------
# Table parsing
# --------------------------------------------------------------------------------------------

ID_HEADERS = {
    "pfa_code": "Police Force Area code",
    "pfa_name": "Police Force Area name",
    "csp_code": "Community Safety Partnership code",
    "csp_name": "Community Safety Partnership name",
    "la_code": "Local Authority code",
    "la_name": "Local Authority name",
}


class Table:
    def __init__(self, sheet: str, header: List[str], rows: List[List[Optional[str]]],
                 header_row: int) -> None:
        self.sheet = sheet
        self.header = header
        self.rows = rows
        self.header_row = header_row  # 1-based spreadsheet row number of the header
        self.col = {}
        for key, label in ID_HEADERS.items():
            if label not in header:
                raise ExtractError(f"{sheet}: header {label!r} not found in {header}")
            self.col[key] = header.index(label)


def read_table(wb: Workbook, sheet: str) -> Table:
    raw = wb.sheet_rows(sheet)
    header_idx = None
    for i, row in enumerate(raw):
        if row and clean_label(row[0]) == ID_HEADERS["pfa_code"]:
            header_idx = i
            break
    if header_idx is None:
        raise ExtractError(f"{sheet}: no header row starting with 'Police Force Area code'")
    header = [clean_label(h) for h in raw[header_idx]]
    while header and header[-1] == "":
        header.pop()
    body = [r for r in raw[header_idx + 1:] if any(not is_blank(v) for v in r)]
    return Table(sheet, header, body, header_idx + 1)


def area_key(table: Table, row: List[Optional[str]]) -> Tuple[str, str]:
    """Key used to match a row across tables: CSP code, or force code / unassigned name."""
    csp_code = clean_label(row[table.col["csp_code"]])
    csp_name = clean_label(row[table.col["csp_name"]])
    if csp_code:
        return ("csp", csp_code)
    if not csp_name:
        return ("force", clean_label(row[table.col["pfa_code"]]))
    if csp_name.lower().startswith("unassigned"):
        return ("unassigned", csp_name.lower())
    # a CSP without a code (for example 'Manchester Airport'): match by name
    return ("csp", csp_name.lower())


def force_rows(table: Table) -> Dict[Tuple[str, str], List[Optional[str]]]:
    out: Dict[Tuple[str, str], List[Optional[str]]] = {}
    for row in table.rows:
        pfa_name = clean_label(row[table.col["pfa_name"]])
        pfa_code = clean_label(row[table.col["pfa_code"]])
        if pfa_name != FORCE_NAME and pfa_code != FORCE_CODE:
            continue
        if pfa_name != FORCE_NAME or pfa_code != FORCE_CODE:
            raise ExtractError(
                f"{table.sheet}: inconsistent force code/name {pfa_code!r}/{pfa_name!r}")
        key = area_key(table, row)
        if key in out:
            raise ExtractError(f"{table.sheet}: duplicate row for {key}")
        out[key] = row
    if not out:
        raise ExtractError(f"{table.sheet}: no rows for police force area {FORCE_NAME}")
    return out


def offence_columns(table: Table) -> List[Tuple[str, int]]:
    """(offence group, column index) for the offence columns of C2, C3 and C5."""
    start = table.header.index("Total recorded crime (excluding fraud)")
    return [(h, i) for i, h in enumerate(table.header) if i >= start and h]


RATE_SUFFIX_RE = re.compile(r"\s*\(per 1,000 (population|households?)\)$", re.IGNORECASE)


def rate_columns(table: Table) -> Tuple[int, int, Dict[str, int], Dict[str, int]]:
    """Locate population, households and the two kinds of rate column in Table C4.

    C4 gives rates per 1,000 population for every offence group; for the offence groups whose
    header carries '(per 1,000 household)' it gives a rate per 1,000 households instead of or
    besides the population rate.
    """
    pop_col = hh_col = None
    for i, h in enumerate(table.header):
        if h.lower().startswith("population figures"):
            pop_col = i
        elif h.lower().startswith("household figures"):
            hh_col = i
    if pop_col is None or hh_col is None:
        raise ExtractError(f"{table.sheet}: population/household columns not found")
    start = table.header.index("Total recorded crime (excluding fraud)")
    per_pop: Dict[str, int] = {}
    per_hh: Dict[str, int] = {}
    for i, h in enumerate(table.header):
        if i < start or not h:
            continue
        m = RATE_SUFFIX_RE.search(h)
        group = RATE_SUFFIX_RE.sub("", h)
        target = per_hh if (m and m.group(1).lower().startswith("household")) else per_pop
        if group in target:
            raise ExtractError(f"{table.sheet}: two rate columns for {group!r}")
        target[group] = i
    return pop_col, hh_col, per_pop, per_hh


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------


def build_rows(wb: Workbook) -> List[Dict[str, str]]:
    c2, c3, c4, c5 = (read_table(wb, s) for s in ("Table C2", "Table C3", "Table C4", "Table C5"))

    groups = [g for g, _ in offence_columns(c2)]
    for t in (c3, c5):
        other = [g for g, _ in offence_columns(t)]
        if other != groups:
            raise ExtractError(f"{t.sheet} offence columns differ from Table C2: {other} vs {groups}")
    pop_col, hh_col, per_pop, per_hh = rate_columns(c4)
    unknown = (set(per_pop) | set(per_hh)) - set(groups)
    if unknown:
        raise ExtractError(f"Table C4 has rate columns for unknown offence groups {sorted(unknown)}")

    c2_cols, c3_cols, c5_cols = (dict(offence_columns(t)) for t in (c2, c3, c5))
    r2, r3, r4, r5 = (force_rows(t) for t in (c2, c3, c4, c5))
    keys = list(r2)
    for t, r in ((c3, r3), (c4, r4), (c5, r5)):
        if set(r) != set(keys):
            raise ExtractError(
                f"{t.sheet} {FORCE_NAME} rows differ from Table C2: "
                f"missing {sorted(set(keys) - set(r))}, extra {sorted(set(r) - set(keys))}")

    # Order: force total, CSPs in workbook order, then unassigned.
    order = {"force": 0, "csp": 1, "unassigned": 2}
    keys.sort(key=lambda k: order[k[0]])

    out: List[Dict[str, str]] = []
    for key in keys:
        level = key[0]
        row2, row3, row4, row5 = r2[key], r3[key], r4[key], r5[key]
        if level == "force":
            area_code = clean_label(row2[c2.col["pfa_code"]])
            area_name = clean_label(row2[c2.col["pfa_name"]])
        else:
            area_code = clean_label(row2[c2.col["csp_code"]]) if level == "csp" else ""
            area_name = clean_label(row2[c2.col["csp_name"]])
        where = f"{FORCE_NAME}/{area_name}"
        population, _ = parse_value(row4[pop_col], f"Table C4 {where} population")
        households, _ = parse_value(row4[hh_col], f"Table C4 {where} households")
        for g in groups:
            count_2024, m2024 = parse_value(row2[c2_cols[g]], f"Table C2 {where} {g}")
            count_2023, m2023 = parse_value(row5[c5_cols[g]], f"Table C5 {where} {g}")
            pct, mpct = parse_value(row3[c3_cols[g]], f"Table C3 {where} {g}")
            rate_pop = m_pop = rate_hh = m_hh = ""
            if g in per_pop:
                rate_pop, m_pop = parse_value(row4[per_pop[g]], f"Table C4 {where} {g}")
            if g in per_hh:
                rate_hh, m_hh = parse_value(row4[per_hh[g]], f"Table C4 {where} {g} (households)")
            out.append({
                "area_code": area_code,
                "area_name": area_name,
                "level": level,
                "force_name": FORCE_NAME,
                "offence_group": g,
                "count_2023": count_2023,
                "count_2024": count_2024,
                "ons_percent_change": pct,
                "population": population,
                "households": households,
                "ons_rate_per_1000_population": rate_pop,
                "ons_rate_per_1000_households": rate_hh,
                "ons_percent_change_marker": mpct,
                "ons_rate_per_1000_population_marker": m_pop,
                "ons_rate_per_1000_households_marker": m_hh,
                "count_2023_marker": m2023,
                "count_2024_marker": m2024,
            })
    return out


def check_rochford(rows: Sequence[Dict[str, str]]) -> List[str]:
    """Known values from the published workbook; returns a list of failures."""
    failures = []
    hits = [r for r in rows if r["area_code"] == "E22000088"
            and r["offence_group"] == "Total recorded crime (excluding fraud)"]
    if len(hits) != 1:
        return [f"expected one Rochford (E22000088) total row, found {len(hits)}"]
    r = hits[0]

    def num(field: str) -> Optional[float]:
        try:
            return float(r[field])
        except ValueError:
            return None

    checks = [
        ("area_name", r["area_name"] == "Rochford", r["area_name"]),
        ("count_2023 == 4445", num("count_2023") == 4445, r["count_2023"]),
        ("count_2024 == 4208", num("count_2024") == 4208, r["count_2024"]),
        ("ons_percent_change ~ -5.33",
         num("ons_percent_change") is not None and abs(num("ons_percent_change") + 5.33) < 0.005,
         r["ons_percent_change"]),
        ("population == 87200", num("population") == 87200, r["population"]),
        ("ons_rate_per_1000_population ~ 48.25",
         num("ons_rate_per_1000_population") is not None
         and abs(num("ons_rate_per_1000_population") - 48.25) < 0.005,
         r["ons_rate_per_1000_population"]),
    ]
    for label, ok, got in checks:
        if not ok:
            failures.append(f"Rochford check failed: {label} (got {got!r})")
    return failures


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW,
                        help="directory holding the raw data (default: ../shared/data/raw "
                             "relative to the repository root)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output directory (default: data/ in the repository root)")
    args = parser.parse_args(argv)

    workbook = args.raw / WORKBOOK_DIR / WORKBOOK_NAME
    if not workbook.is_file():
        print(
            f"error: ONS workbook not found: {workbook}\n"
            f"Expected {WORKBOOK_NAME} under <raw>/{WORKBOOK_DIR}/; pass --raw DIR to point "
            f"at the raw data directory.",
            file=sys.stderr,
        )
        return 2

    try:
        wb = Workbook(workbook)
        rows = build_rows(wb)
    except (ExtractError, zipfile.BadZipFile, ET.ParseError, KeyError) as exc:
        print(f"error: could not build extract from {workbook}: {exc}", file=sys.stderr)
        return 1

    failures = check_rochford(rows)
    if failures:
        for f in failures:
            print(f"error: {f}", file=sys.stderr)
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    out_path = args.out / OUTPUT_NAME
    with out_path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    areas = len({(r["level"], r["area_name"]) for r in rows})
    print(f"read {workbook} (sha256 {sha256(workbook)})")
    print(f"wrote {out_path}: {len(rows)} rows, {areas} areas, "
          f"{out_path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
