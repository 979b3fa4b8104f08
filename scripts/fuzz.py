"""Seeds and crashes of the fuzz targets in ``fuzz/`` (run by ``make fuzz``).

``python scripts/fuzz.py seed fuzz/corpus`` writes each target's seed inputs from the real files:
the first lines of every police.uk file in ``data/police_uk`` and ``../shared/data/raw`` (street
and outcome files, the way the target reads them), the ONS workbook, and the period labels
analysts write. ``python scripts/fuzz.py keep fuzz/artifacts fuzz/regressions`` copies every
crash libFuzzer saved into the regression inputs that ``make test`` runs
(``crates/crimeperf-polars/tests/fuzz_smoke.rs``), and says which are new.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT.parent / "shared" / "data" / "raw"
WORKBOOK = RAW / "ons_pfa_csp_tables_ye_dec2024" / "policeforceareatablesyedecember2024.xlsx"
LABELS = [
    "2025-01", "2025-1", "2025/01", "2025-01-01", "Jan 2025", "January 2025", "01/03/2025",
    "3/1/2025", "Mar-25", "2024 Q1", "Q1 2024", "FY2024/25", "2024/25", "2024-25 Q3", "45658",
]


def first_lines(path: Path, lines: int) -> bytes:
    with path.open("rb") as f:
        return b"".join(line for _, line in zip(range(lines), f))


def write(folder: Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def seed(corpus: Path) -> None:
    files = sorted((ROOT / "data" / "police_uk").rglob("*.csv"))
    if RAW.exists():
        files += sorted(RAW.glob("police_uk_*/*/*.csv"))[::4]
    else:
        print(f"{RAW} is not here: seeds from the bundled files only", file=sys.stderr)
    for path in files:
        head = first_lines(path, 60)
        # The target's first byte chooses the kind: even for street, odd for outcomes.
        write(corpus / "police_uk_file", (b"\x01" if "outcomes" in path.name else b"\x00") + head)
        write(corpus / "splitter", first_lines(path, 12))
    if WORKBOOK.exists():
        write(corpus / "ons_workbook", WORKBOOK.read_bytes())
    for label in LABELS:
        write(corpus / "periods", label.encode())
    print(f"seeded {corpus} from {len(files)} police.uk files")


def keep(artifacts: Path, regressions: Path) -> None:
    new = 0
    for crash in sorted(artifacts.glob("*/*")):
        if not crash.name.startswith(("crash-", "oom-", "timeout-", "leak-")):
            continue
        target = regressions / crash.parent.name / crash.name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(crash, target)
            new += 1
            print(f"new regression input: {target.relative_to(ROOT)}")
    print(f"{new} new crash inputs kept" if new else "no crashes found")


if __name__ == "__main__":
    command, *paths = sys.argv[1:]
    {"seed": seed, "keep": keep}[command](*map(Path, paths))
