"""Hostile and broken input from Python: Ctrl-C stops a long read and leaves the interpreter
usable; the limits and the files a spreadsheet saved give the typed errors and log entries the
Rust tests check, through the binding."""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

import crimeperf as cp

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "police_uk"
JANUARY = SAMPLE / "2025-01" / "2025-01-essex-street.csv"

# A child that builds a large folder, reads it, and reports how the read ended and whether the
# interpreter is still usable afterwards.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import crimeperf as cp

    sample, folder = Path(sys.argv[1]), Path(sys.argv[2])
    lines = (sample / "2025-01" / "2025-01-essex-street.csv").read_text().splitlines(True)
    header, rows = lines[0], lines[1:]
    for i in range(24):
        month = f"{2019 + i // 12}-{i % 12 + 1:02d}"
        path = folder / month / f"{month}-essex-street.csv"
        path.parent.mkdir(parents=True)
        path.write_text(header + "".join(r.replace("2025-01", month, 1) for r in rows) * 100)
    print("ready", flush=True)
    try:
        cp.read_police_uk(folder, progress=False)
        print("finished", flush=True)
    except KeyboardInterrupt:
        print("interrupted", time.monotonic(), flush=True)
    print("usable", cp.read_police_uk(sample, progress=False).records.height, flush=True)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_stops_a_long_read_and_leaves_python_usable(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(SAMPLE), str(tmp_path / "big")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(1.0)  # well into the read of 24 files of 110,000 rows
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    # A hang guard, not a timing: the whole read takes far longer than this in a debug build.
    out, err = child.communicate(timeout=600)
    lines = out.split("\n")
    assert lines[0].startswith("interrupted"), (out, err)
    stopped = float(lines[0].split()[1])
    print(f"Ctrl-C to KeyboardInterrupt: {stopped - sent:.3f} s")
    assert lines[1] == f"usable {cp.read_police_uk(SAMPLE, progress=False).records.height}"
    assert child.returncode == 0, err


def write_zip(path: Path, name: str, data: bytes, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        archive.writestr(name, data)
    return path


def test_limits_are_typed_errors_naming_the_file(tmp_path: Path) -> None:
    text = JANUARY.read_bytes()
    endless = tmp_path / "endless" / "2025-01-essex-street.csv"
    endless.parent.mkdir()
    endless.write_bytes(text + b"x" * (3 << 20))
    with pytest.raises(cp.DataFormatError, match=r"line \d+ is longer than 1048576 bytes") as err:
        cp.read_police_uk(endless.parent)
    assert err.value.filename.endswith("2025-01-essex-street.csv")

    bomb = write_zip(tmp_path / "bomb.zip", "2025-01-essex-street.csv", text + b"0" * (64 << 20))
    with pytest.raises(cp.DataFileError, match="more than 100 times"):
        cp.read_police_uk(bomb)

    escape = write_zip(tmp_path / "escape.zip", "../2025-01-essex-street.csv", text)
    with pytest.raises(cp.DataFileError, match=r"escape\.zip!\.\./2025-01-essex-street\.csv"):
        cp.read_police_uk(escape)


def test_a_file_saved_by_excel_is_read_and_the_log_says_what_was_assumed(tmp_path: Path) -> None:
    plain = cp.read_police_uk(SAMPLE / "2025-01")
    # Excel in a comma-decimal locale: a byte-order mark, semicolons, decimal commas, months as
    # day/month/year dates and CRLF.
    with JANUARY.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    for row in rows[1:]:
        row[1] = "01/01/2025" if row[1] == "2025-01" else row[1]
        row[4:6] = [value.replace(".", ",") for value in row[4:6]]
    path = tmp_path / "saved" / "2025-01-essex-street.csv"
    path.parent.mkdir()
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
    data = cp.read_police_uk(path.parent)
    same = lambda df: df.drop("file", "line")  # noqa: E731
    assert same(data.records).equals(same(plain.records))
    undone = data.log.filter(kind="spreadsheet_export")["detail"].to_list()
    assert any("byte-order mark" in d for d in undone), undone
    assert any("semicolons" in d for d in undone), undone
    assert any('Month written as "01/01/2025"' in d for d in undone), undone

    serial = tmp_path / "serial" / "2025-01-essex-street.csv"
    serial.parent.mkdir()
    serial.write_text(JANUARY.read_text().replace(",2025-01,", ",45658,"))
    with pytest.raises(cp.DataFormatError, match="serial number.*CSV UTF-8") as err:
        cp.read_police_uk(serial.parent)
    assert err.value.filename.endswith("2025-01-essex-street.csv")


def test_the_frame_import_fuzz_target_finds_nothing_on_random_tables() -> None:
    """``fuzz/python/frames.py`` (atheris under ``make fuzz``) on seeded random inputs: every
    call gives a result or a CrimeperfError, never a panic or another exception."""
    sys.path.insert(0, str(ROOT / "fuzz" / "python"))
    try:
        import frames
    finally:
        sys.path.pop(0)
    for saved in sorted((ROOT / "fuzz" / "regressions" / "frames").glob("[!.]*")):
        frames.check(saved.read_bytes())  # crashes found by `make fuzz`, kept
    rng = random.Random(20261204)
    for _ in range(1500):
        frames.check(bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 240))))
