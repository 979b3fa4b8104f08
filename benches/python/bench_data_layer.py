"""Reading and counting police.uk files: crimeperf against polars and pandas, side by side.

Run by `make bench-data` (a release build of the extension in its own environment); not part of
`make test`, and no test asserts a timing.

The data are the real data.police.uk street files for Essex, Suffolk and Norfolk, 2025 (273,776
rows in 36 files, from ../shared), repeated as earlier years until there are about 10 million
rows: copy i is moved back i years (its `Month` values and file names) and its Crime IDs are made
distinct by their first two hex digits, so no copy collapses into another. They are written once
to `target/bench-data/` and reused.

The job, for each tool, is what an analyst does with a download: read every file, drop repeated
Crime IDs, place each row in its Community Safety Partnership through the LSOA lookup
(`crates/crimeperf-polars/data/geography/lsoa_lookup.csv`), and count crimes by CSP, crime type and month with zeros for
the combinations with no crimes, anti-social behaviour counted apart:

* crimeperf: `cp.read_police_uk(folder)` then `cp.count_crimes(records, by=["csp_name",
  "crime_type"])`. It also parses and checks every crime type and outcome, flags rows outside
  their force, resolves differing duplicates by the documented policy and writes the log;
* polars (idiomatic Python: `pl.scan_csv` over the files, `is_first_distinct` on the Crime ID, a
  join with the lookup, `group_by`, a cross join of the keys for the zeros);
* pandas (`pd.read_csv` per file and `pd.concat`, `duplicated`, `merge`, `groupby`, `reindex` on
  the product of the keys).

Every run is a fresh Python process (tools one after the other, after the files have been read
once to warm the page cache); the time is the best of `BENCH_REPEAT` runs and the peak memory
the largest maximum resident set (`getrusage`) of a run's process. The counts of every tool are
compared with crimeperf's.
"""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT.parent / "shared" / "data" / "raw" / "police_uk_street_2025_essex_suffolk_norfolk"
LOOKUP = ROOT / "crates" / "crimeperf-polars" / "data" / "geography" / "lsoa_lookup.csv"
ROWS = int(os.environ.get("BENCH_ROWS", "10000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "2"))
DATA = Path(os.environ.get("BENCH_DATA", ROOT / "target" / "bench-data" / f"police_uk_{ROWS}"))
TOOLS = ["crimeperf", "polars", "pandas"]
ID_PREFIX = re.compile(rb"^[0-9a-f]{2}", re.MULTILINE)


# --- the data ----------------------------------------------------------------------------------


def build_data() -> int:
    """Writes the repeated files (once) and returns the number of rows."""
    marker = DATA / "ROWS"
    if marker.exists():
        return int(marker.read_text())
    sources = sorted(RAW.rglob("*-street.csv"))
    if not sources:
        sys.exit(f"the police.uk files are not in {RAW} (they live in ../shared)")
    per_copy = sum(path.read_bytes().count(b"\n") - 1 for path in sources)
    copies = -(-ROWS // per_copy)
    total = 0
    for copy in range(copies):
        prefix = b"%02x" % copy
        for path in sources:
            text = path.read_bytes()
            month = path.name[:7]  # 2025-MM
            year = 2025 - copy
            new_month = f"{year}-{month[5:]}"
            text = text.replace(f",{month},".encode(), f",{new_month},".encode())
            header, _, body = text.partition(b"\n")
            body = ID_PREFIX.sub(prefix, body)
            target = DATA / new_month / path.name.replace(month, new_month)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(header + b"\n" + body)
            total += body.count(b"\n")
    marker.write_text(str(total))
    return total


def files() -> list[Path]:
    return sorted(DATA.rglob("*-street.csv"))


# --- the three jobs ----------------------------------------------------------------------------


def job_crimeperf() -> tuple[Any, int]:
    import crimeperf as cp

    data = cp.read_police_uk(DATA, progress=False)
    # The polars and pandas jobs count every row, outside-force ones included: so does this.
    counts = cp.count_crimes(data.records, by=["csp_name", "crime_type"], period="month",
                             outside_force="include")
    return counts, data.records.height


def job_polars() -> tuple[Any, int]:
    import polars as pl

    lookup = pl.read_csv(LOOKUP, columns=["lsoa_code", "csp_name"], infer_schema_length=0)
    schema = {
        "Crime ID": pl.String, "Month": pl.String, "Reported by": pl.String,
        "Falls within": pl.String, "Longitude": pl.Float64, "Latitude": pl.Float64,
        "Location": pl.String, "LSOA code": pl.String, "LSOA name": pl.String,
        "Crime type": pl.String, "Last outcome category": pl.String, "Context": pl.String,
    }
    records = (
        pl.scan_csv([str(p) for p in files()], schema=schema)
        .filter(pl.col("Crime ID").is_null() | pl.col("Crime ID").is_first_distinct())
        .with_columns(
            month=pl.col("Month").str.to_date("%Y-%m"),
            is_asb=pl.col("Crime type") == "Anti-social behaviour",
        )
        .join(lookup.lazy(), left_on="LSOA code", right_on="lsoa_code", how="left")
        .collect()
    )
    counted = records.group_by("csp_name", "Crime type", "month").agg(
        crimes=(~pl.col("is_asb")).sum(), asb_incidents=pl.col("is_asb").sum()
    )
    months = pl.date_range(records["month"].min(), records["month"].max(), "1mo", eager=True)
    grid = (
        records.select(pl.col("csp_name").unique())
        .join(records.select(pl.col("Crime type").unique()), how="cross")
        .join(months.alias("month").to_frame(), how="cross")
    )
    counts = (
        grid.join(counted, on=["csp_name", "Crime type", "month"], how="left", nulls_equal=True)
        .with_columns(pl.col("crimes", "asb_incidents").fill_null(0))
        .sort("csp_name", "Crime type", "month", nulls_last=True)
        .rename({"Crime type": "crime_type"})
    )
    return counts, records.height


def job_pandas() -> tuple[Any, int]:
    import pandas as pd

    lookup = pd.read_csv(LOOKUP, usecols=["lsoa_code", "csp_name"], dtype=str)
    df = pd.concat([pd.read_csv(p) for p in files()], ignore_index=True)
    df = df[df["Crime ID"].isna() | ~df.duplicated("Crime ID")]
    df = df.merge(lookup, left_on="LSOA code", right_on="lsoa_code", how="left")
    df["month"] = pd.to_datetime(df["Month"], format="%Y-%m")
    asb = df["Crime type"] == "Anti-social behaviour"
    df = df.assign(crimes=(~asb).astype("int64"), asb_incidents=asb.astype("int64"))
    keys = ["csp_name", "Crime type", "month"]
    counted = df.groupby(keys, dropna=False)[["crimes", "asb_incidents"]].sum()
    months = pd.date_range(df["month"].min(), df["month"].max(), freq="MS")
    grid = pd.MultiIndex.from_product(
        [df["csp_name"].unique(), df["Crime type"].unique(), months], names=keys
    )
    counts = counted.reindex(grid, fill_value=0).reset_index()
    return counts, len(df)


JOBS: dict[str, Callable[[], tuple[Any, int]]] = {
    "crimeperf": job_crimeperf, "polars": job_polars, "pandas": job_pandas,
}


def totals(tool: str, counts: Any) -> dict[str, Any]:
    """Grand totals and the Rochford burglary counts, to compare the tools' answers."""
    if tool == "pandas":
        rows = counts[(counts["csp_name"] == "Rochford") & (counts["Crime type"] == "Burglary")]
        rochford = [int(v) for v in rows.sort_values("month")["crimes"]]
        return {"cells": len(counts), "crimes": int(counts["crimes"].sum()),
                "asb": int(counts["asb_incidents"].sum()), "rochford_burglary": rochford}
    import polars as pl

    rows = counts.filter((pl.col("csp_name") == "Rochford") & (pl.col("crime_type") == "Burglary"))
    return {"cells": counts.height, "crimes": int(counts["crimes"].sum()),
            "asb": int(counts["asb_incidents"].sum()),
            "rochford_burglary": rows["crimes"].to_list()}


def run_one(tool: str) -> None:
    """In the child process: run the job once, print its timing and answers as JSON."""
    start = time.perf_counter()
    counts, records = JOBS[tool]()
    seconds = time.perf_counter() - start
    summary = totals(tool, counts)
    versions = {}
    for name in ("crimeperf", "polars", "pandas"):
        try:
            versions[name] = __import__(name).__version__
        except ImportError:
            pass
    print(json.dumps({"tool": tool, "seconds": seconds, "records": records,
                      "versions": versions, **summary}))


def main() -> None:
    rows = build_data()
    for path in files():  # warm the page cache for every tool alike
        path.read_bytes()
    size = sum(p.stat().st_size for p in files())
    results: dict[str, dict[str, Any]] = {}
    for tool in TOOLS:
        for _ in range(REPEAT):
            proc = subprocess.Popen([sys.executable, __file__, "--run", tool],
                                    stdout=subprocess.PIPE)
            assert proc.stdout is not None
            out = proc.stdout.read()
            _, status, usage = os.wait4(proc.pid, 0)
            if status != 0:
                sys.exit(f"{tool} failed with status {status}")
            run = json.loads(out.decode().strip().splitlines()[-1])
            run["peak_gib"] = usage.ru_maxrss / 1024**2  # KiB on Linux
            print(f"{tool}: {run['seconds']:.2f} s, {run['peak_gib']:.2f} GiB peak", flush=True)
            best = results.setdefault(tool, run)
            best["seconds"] = min(best["seconds"], run["seconds"])
            best["peak_gib"] = max(best["peak_gib"], run["peak_gib"])

    ours = results["crimeperf"]
    versions = ours["versions"] | results["polars"]["versions"] | results["pandas"]["versions"]
    print()
    print(", ".join(f"{k} {v}" for k, v in versions.items())
          + f"; Python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} cores")
    print(f"{rows:,} rows in {len(files())} files ({size / 1e9:.2f} GB); best of {REPEAT} runs")
    print()
    print("| tool | read, clean and count (s) | rows/s | peak memory (GiB) | crimeperf is faster by |"
          " records | crimes counted | same answer |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for tool, r in results.items():
        same = (r["crimes"] == ours["crimes"] and r["asb"] == ours["asb"]
                and r["rochford_burglary"] == ours["rochford_burglary"])
        ratio = r["seconds"] / ours["seconds"]
        print(f"| {tool} | {r['seconds']:.2f} | {rows / r['seconds'] / 1e6:.2f} M | "
              f"{r['peak_gib']:.2f} | {ratio:.2f}x | {r['records']:,} | {r['crimes']:,} | "
              f"{'yes' if same else 'NO'} |")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--run":
        run_one(sys.argv[2])
    else:
        main()
