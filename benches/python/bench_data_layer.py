"""Reading and counting police.uk files: crimeperf against polars and pandas, side by side.

Run by `make bench` (through `benches/suite.py`) or on its own by `make bench-data`: a release
build of the extension in its own environment; not part of `make test`, and no test asserts a
timing.

The data are the real data.police.uk street files for Essex, Suffolk and Norfolk, 2025 (273,776
rows in 36 files, from ../shared), repeated as earlier years: copy i is moved back i years (its
`Month` values and file names) and its Crime IDs are made distinct by their first two hex digits
(and the third for copies past 255), so no copy collapses into another. They are written once,
outside the repository (`~/.cache/crimeperf-bench/police_uk`, or `BENCH_DATA`), and reused; a
size of N rows reads the newest copies that make N.

The job is what an analyst does with a download: read every file, drop repeated Crime IDs, place
each row in its Community Safety Partnership through the LSOA lookup
(`crates/crimeperf-polars/data/geography/lsoa_lookup.csv`) and count crimes by CSP, crime type
and month with zeros for the combinations with no crimes, anti-social behaviour counted apart.
The tools:

* `crimeperf_counts`: `cp.read_police_uk(folders)` then `cp.count_crimes(data, by=["csp_name",
  "crime_type"])`, counting from the compact form: no records frame is built. It also parses
  and checks every crime type and outcome, flags rows outside their force, resolves differing
  duplicates by the documented policy and writes the log;
* `crimeperf_csp`: the same, and the records frame of one CSP (Rochford) built with
  `data.records_for(csp="Rochford")`;
* `crimeperf_records`: the records frame built whole (`data.records`) and counted;
* `polars_streaming`: the best counts-only query polars in Python makes: a lazy `pl.scan_csv`
  reading only the four columns it needs, `unique` on the Crime IDs (the rows without one kept
  apart), a join with the lookup and `group_by`, collected by the streaming engine; the zeros
  added on the small result;
* `polars`: idiomatic eager-result polars that builds the records (`scan_csv`,
  `is_first_distinct`, join, `collect`, `group_by`, a cross join of the keys for the zeros);
* `pandas`: `pd.read_csv` per file and `pd.concat`, `duplicated`, `merge`, `groupby`,
  `reindex` on the product of the keys.

Every run is a fresh Python process (after the files have been read once to warm the page cache);
the time is the median of `BENCH_REPEAT` runs and the peak memory the largest maximum resident set
(`getrusage`) of a run's process. Every tool's counts are compared with crimeperf's (grand totals
and Rochford's burglaries month by month).

`BENCH_SIZES` (default `10000000,70000000`) sets the sizes; at sizes above 10 million only the
tools in `BENCH_LARGE_TOOLS` run (the others need the records of every row in memory: their peak
at 10 million, scaled, is reported instead). `BENCH_JSON` names a file for the results.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT.parent / "shared" / "data" / "raw" / "police_uk_street_2025_essex_suffolk_norfolk"
LOOKUP = ROOT / "crates" / "crimeperf-polars" / "data" / "geography" / "lsoa_lookup.csv"
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000000,70000000").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
DATA = Path(
    os.environ.get("BENCH_DATA", Path.home() / ".cache" / "crimeperf-bench" / "police_uk")
)
TOOLS = ["crimeperf_counts", "crimeperf_csp", "crimeperf_records", "polars_streaming", "polars",
         "pandas"]
LARGE_TOOLS = os.environ.get(
    "BENCH_LARGE_TOOLS", "crimeperf_counts,crimeperf_csp,polars_streaming"
).split(",")
ID_PREFIX = re.compile(rb"^[0-9a-f]{3}", re.MULTILINE)
CSP = "Rochford"


# --- the data ----------------------------------------------------------------------------------


def sources() -> list[Path]:
    found = sorted(RAW.rglob("*-street.csv"))
    if not found:
        sys.exit(f"the police.uk files are not in {RAW} (they live in ../shared)")
    return found


def rows_per_copy() -> int:
    return sum(path.read_bytes().count(b"\n") - 1 for path in sources())


def build_data(rows: int) -> int:
    """Writes the copies needed for `rows` rows (those not written before); returns how many."""
    per_copy = rows_per_copy()
    copies = -(-rows // per_copy)
    for copy in range(copies):
        year = 2025 - copy
        marker = DATA / f"{year}.done"
        if marker.exists():
            continue
        prefix = b"%03x" % copy
        for path in sources():
            text = path.read_bytes()
            month = path.name[:7]  # 2025-MM
            new_month = f"{year}-{month[5:]}"
            text = text.replace(f",{month},".encode(), f",{new_month},".encode())
            header, _, body = text.partition(b"\n")
            body = ID_PREFIX.sub(prefix, body)
            target = DATA / new_month / path.name.replace(month, new_month)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(header + b"\n" + body)
        marker.write_text(str(per_copy))
    return copies


def folders(rows: int) -> list[Path]:
    """The month folders of the newest copies that make `rows` rows."""
    copies = -(-rows // rows_per_copy())
    years = {str(2025 - copy) for copy in range(copies)}
    return sorted(p for p in DATA.iterdir() if p.is_dir() and p.name[:4] in years)


def files(rows: int) -> list[Path]:
    return sorted(f for folder in folders(rows) for f in folder.glob("*-street.csv"))


# --- the jobs ----------------------------------------------------------------------------------


def job_crimeperf_counts(rows: int) -> tuple[Any, int, dict[str, Any]]:
    import crimeperf as cp

    data = cp.read_police_uk(folders(rows), progress=False)
    # The polars and pandas jobs count every row, outside-force ones included: so does this.
    counts = cp.count_crimes(data, by=["csp_name", "crime_type"], period="month",
                             outside_force="include")
    assert data._records is None, "counting built the records"
    return counts, len(data.compact), {"compact_bytes_per_row": data.memory_bytes / len(data.compact)}


def job_crimeperf_csp(rows: int) -> tuple[Any, int, dict[str, Any]]:
    import crimeperf as cp

    data = cp.read_police_uk(folders(rows), progress=False)
    counts = cp.count_crimes(data, by=["csp_name", "crime_type"], period="month",
                             outside_force="include")
    part = data.records_for(csp=CSP)
    return counts, len(data.compact), {"csp_records": part.height}


def job_crimeperf_records(rows: int) -> tuple[Any, int, dict[str, Any]]:
    import crimeperf as cp

    data = cp.read_police_uk(folders(rows), progress=False)
    counts = cp.count_crimes(data.records, by=["csp_name", "crime_type"], period="month",
                             coverage=data, outside_force="include")
    return counts, data.records.height, {}


SCHEMA_NAMES = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
                "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
                "Context"]


def polars_zeros(counted: Any, months: Any) -> Any:
    """The counts with a 0 for every CSP, crime type and month that had none."""
    import polars as pl

    grid = (
        counted.select(pl.col("csp_name").unique())
        .join(counted.select(pl.col("crime_type").unique()), how="cross")
        .join(months.alias("month").to_frame(), how="cross")
    )
    return (
        grid.join(counted, on=["csp_name", "crime_type", "month"], how="left", nulls_equal=True)
        .with_columns(pl.col("crimes", "asb_incidents").fill_null(0))
        .sort("csp_name", "crime_type", "month", nulls_last=True)
    )


def job_polars_streaming(rows: int) -> tuple[Any, int, dict[str, Any]]:
    import polars as pl

    schema = {name: pl.String for name in SCHEMA_NAMES}
    lookup = pl.scan_csv(LOOKUP, infer_schema=False).select("lsoa_code", "csp_name")
    scan = pl.scan_csv([str(p) for p in files(rows)], schema=schema).select(
        "Crime ID", "Month", "LSOA code", "Crime type"
    )
    # A Crime ID once (any copy: the copies here are identical); ASB rows have none and all stay.
    rows_kept = pl.concat([
        scan.filter(pl.col("Crime ID").is_not_null()).unique(subset="Crime ID", keep="any"),
        scan.filter(pl.col("Crime ID").is_null()),
    ])
    asb = pl.col("Crime type") == "Anti-social behaviour"
    counted = (
        rows_kept.join(lookup, left_on="LSOA code", right_on="lsoa_code", how="left")
        .group_by("csp_name", "Crime type", "Month")
        .agg(crimes=(~asb).sum(), asb_incidents=asb.sum(), rows=pl.len())
        .collect(engine="streaming")
        .rename({"Crime type": "crime_type"})
        .with_columns(month=pl.col("Month").str.to_date("%Y-%m"))
        .drop("Month")
    )
    records = int(counted["rows"].sum())
    months = pl.date_range(counted["month"].min(), counted["month"].max(), "1mo", eager=True)
    return polars_zeros(counted.drop("rows"), months), records, {}


def job_polars(rows: int) -> tuple[Any, int, dict[str, Any]]:
    import polars as pl

    lookup = pl.read_csv(LOOKUP, columns=["lsoa_code", "csp_name"], infer_schema_length=0)
    schema = {name: pl.String for name in SCHEMA_NAMES} | {
        "Longitude": pl.Float64, "Latitude": pl.Float64
    }
    records = (
        pl.scan_csv([str(p) for p in files(rows)], schema=schema)
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
    ).rename({"Crime type": "crime_type"})
    months = pl.date_range(records["month"].min(), records["month"].max(), "1mo", eager=True)
    return polars_zeros(counted, months), records.height, {}


def job_pandas(rows: int) -> tuple[Any, int, dict[str, Any]]:
    import pandas as pd

    lookup = pd.read_csv(LOOKUP, usecols=["lsoa_code", "csp_name"], dtype=str)
    df = pd.concat([pd.read_csv(p) for p in files(rows)], ignore_index=True)
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
    return counts, len(df), {}


JOBS: dict[str, Callable[[int], tuple[Any, int, dict[str, Any]]]] = {
    "crimeperf_counts": job_crimeperf_counts,
    "crimeperf_csp": job_crimeperf_csp,
    "crimeperf_records": job_crimeperf_records,
    "polars_streaming": job_polars_streaming,
    "polars": job_polars,
    "pandas": job_pandas,
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


def run_one(tool: str, rows: int) -> None:
    """In the child process: run the job once, print its timing and answers as JSON."""
    start = time.perf_counter()
    counts, records, extra = JOBS[tool](rows)
    seconds = time.perf_counter() - start
    summary = totals(tool, counts)
    versions = {}
    for name in ("crimeperf", "polars", "pandas"):
        if name in sys.modules:
            versions[name] = sys.modules[name].__version__
    print(json.dumps({"tool": tool, "seconds": seconds, "records": records,
                      "versions": versions, **summary, **extra}))


def measure(tool: str, rows: int) -> dict[str, Any]:
    """`REPEAT` runs of `tool` in fresh processes: the median time and the largest peak."""
    runs = []
    for _ in range(REPEAT):
        proc = subprocess.Popen([sys.executable, __file__, "--run", tool, str(rows)],
                                stdout=subprocess.PIPE)
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        if status != 0:
            code = os.waitstatus_to_exitcode(status)
            if code == -9:
                why = "killed by SIGKILL, the kernel's out-of-memory killer"
            elif code < 0:
                why = f"killed by signal {-code}"
            else:
                why = f"exit status {code}"
            print(f"  {tool} at {rows:,}: {why}", flush=True)
            return {"tool": tool, "failed": why}
        run = json.loads(out.decode().strip().splitlines()[-1])
        run["peak_gib"] = usage.ru_maxrss / 1024**2  # KiB on Linux
        print(f"  {tool} at {rows:,}: {run['seconds']:.2f} s, {run['peak_gib']:.2f} GiB peak",
              flush=True)
        runs.append(run)
    result = dict(runs[-1])
    result["runs"] = [r["seconds"] for r in runs]
    result["seconds"] = statistics.median(result["runs"])
    result["peak_gib"] = max(r["peak_gib"] for r in runs)
    return result


def main() -> None:
    results: dict[str, Any] = {"sizes": {}, "repeat": REPEAT}
    for size in SIZES:
        build_data(size)
        paths = files(size)
        for path in paths:  # warm the page cache for every tool alike
            path.read_bytes()
        gigabytes = sum(p.stat().st_size for p in paths) / 1e9
        tools = TOOLS if size <= 10_000_000 else [t for t in TOOLS if t in LARGE_TOOLS]
        print(f"{size:,} rows: {len(paths)} files, {gigabytes:.2f} GB", flush=True)
        measured = {tool: measure(tool, size) for tool in tools}
        ours = measured["crimeperf_counts"]
        for r in measured.values():
            r["same_answer"] = all(r.get(k) == ours.get(k)
                                   for k in ("crimes", "asb", "rochford_burglary"))
        results["sizes"][str(size)] = {"files": len(paths), "gigabytes": gigabytes,
                                       "tools": measured}
    versions: dict[str, str] = {}
    for size in results["sizes"].values():
        for r in size["tools"].values():
            versions |= r.get("versions", {})
    results["versions"] = versions | {"python": platform.python_version()}
    print(json.dumps(results, indent=1))
    if os.environ.get("BENCH_JSON"):
        Path(os.environ["BENCH_JSON"]).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--run":
        run_one(sys.argv[2], int(sys.argv[3]))
    else:
        main()
