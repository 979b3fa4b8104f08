#!/usr/bin/env python3
"""Build the bundled police.uk street sample ``data/police_uk/``.

A small, real extract of the data.police.uk street files for Essex, January to June 2025, chosen
to keep what analysts meet in the full files:

* every row in a Rochford LSOA (the demo's CSP), crimes and anti-social behaviour alike;
* every row in an LSOA outside the Essex police force area (cross-border rows);
* one in ten "No Location" rows (blank LSOA), in file order;
* every row of a Crime ID that appears more than once in its file.

Rows are copied byte for byte (line endings included) under the original header, into
``data/police_uk/2025-MM/2025-MM-essex-street.csv``: the layout of a police.uk download.

Standard library only, Python 3.9+. Usage (from the repository root)::

    python3 scripts/build_police_uk_sample.py [--raw ../shared/data/raw] [--out data/police_uk]

Contains public sector information licensed under the Open Government Licence v3.0.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO_ROOT.parent / "shared" / "data" / "raw"
DEFAULT_OUT = REPO_ROOT / "data" / "police_uk"
SOURCE = "police_uk_street_2025_essex_suffolk_norfolk"
MONTHS = [f"2025-{m:02d}" for m in range(1, 7)]
ESSEX_FORCE_CODE = "E23000028"
ROCHFORD_LA = "E07000075"
NO_LOCATION_EVERY = 10


def lsoa_forces(lookup: Path) -> dict[str, tuple[str, str]]:
    """LSOA code -> (force code, local authority code) from the bundled lookup."""
    with lookup.open(newline="", encoding="utf-8") as f:
        return {
            row["lsoa_code"]: (row["force_code"], row["local_authority_code"])
            for row in csv.DictReader(f)
        }


def sample_file(path: Path, places: dict[str, tuple[str, str]]) -> tuple[bytes, Counter]:
    raw = path.read_bytes()
    lines = raw.splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    fields = [next(csv.reader(io.StringIO(line.decode("utf-8")))) for line in body]
    columns = next(csv.reader(io.StringIO(header.decode("utf-8"))))
    crime_id, lsoa = columns.index("Crime ID"), columns.index("LSOA code")
    ids = Counter(row[crime_id] for row in fields if row[crime_id])
    kept = [header]
    why: Counter = Counter()
    no_location_seen = 0
    for line, row in zip(body, fields):
        code = row[lsoa]
        force, la = places.get(code, ("", ""))
        reason = None
        if row[crime_id] and ids[row[crime_id]] > 1:
            reason = "duplicate crime id"
        elif la == ROCHFORD_LA:
            reason = "rochford"
        elif code and force != ESSEX_FORCE_CODE:
            reason = "outside force"
        elif not code:
            no_location_seen += 1
            if no_location_seen % NO_LOCATION_EVERY == 1:
                reason = "no location"
        if reason:
            kept.append(line)
            why[reason] += 1
    return b"".join(kept), why


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    source = args.raw / SOURCE
    missing = [m for m in MONTHS if not (source / m / f"{m}-essex-street.csv").exists()]
    if missing:
        print(f"missing input files under {source}: {missing}", file=sys.stderr)
        return 2
    places = lsoa_forces(
        REPO_ROOT / "crates" / "crimeperf-polars" / "data" / "geography" / "lsoa_lookup.csv"
    )
    total: Counter = Counter()
    for month in MONTHS:
        data, why = sample_file(source / month / f"{month}-essex-street.csv", places)
        target = args.out / month / f"{month}-essex-street.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        total += why
        print(f"{target}: {sum(why.values())} rows {dict(sorted(why.items()))}")
    print(f"total: {sum(total.values())} rows {dict(sorted(total.items()))}")
    if total["rochford"] < 1000 or total["outside force"] == 0 or total["duplicate crime id"] < 2:
        print("check failed: expected Rochford rows, cross-border rows and a duplicate", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
