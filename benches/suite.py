"""`make bench`: every benchmark, side by side, into `benches/RESULTS.md` and the README's table.

Runs, in the release build's environment (`make bench-env`):

* `benches/python/bench_data_layer.py`: reading and counting 10 and 70 million police.uk rows
  against polars (the records-building query and the best streaming counts-only query) and
  pandas, each run a fresh process, medians of several runs and the peak memory of each;
* `benches/python/bench_frames.py`: the kernels on 1 million rows against scipy and statsmodels;
* `benches/python/bench_peers.py`: every CSP ranked in its group for every offence group against
  pandas, numpy and scipy;
* `benches/python/bench_evidence.py`: Rochford's evidence pack, first and again in one process.

It writes `benches/RESULTS.md` (the machine, versions, date, every table, and each goal of issue
#15 met or missed, plainly) and replaces the README's table between its
`<!-- bench-results -->` markers. Not part of `make test`; no test asserts a timing.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCHES = ROOT / "benches" / "python"
RESULTS = ROOT / "benches" / "RESULTS.md"
README = ROOT / "README.md"
START, END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"
GIB = 1024**3


def machine() -> dict[str, str]:
    """CPU model, cores, memory and system, from /proc where there is one."""
    model, memory = platform.processor() or platform.machine(), ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        pass
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": model,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rustc": rustc,
        "date": datetime.date.today().isoformat(),
    }


def run(script: str, env: dict[str, str] | None = None) -> str:
    """The script's output, echoed as it runs; a failure stops the suite."""
    print(f"== {script}", flush=True)
    proc = subprocess.run([sys.executable, str(BENCHES / script)], capture_output=True, text=True,
                          env=os.environ | (env or {}))
    print(proc.stdout[-4000:], flush=True)
    if proc.returncode != 0:
        sys.exit(f"{script} failed:\n{proc.stderr[-4000:]}")
    return proc.stdout


def markdown_table(text: str) -> list[list[str]]:
    """The rows of the first markdown table in `text` (header first, the rule left out)."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows
            if not set(row) <= set("|-: ")]


def ratio(text: str) -> float:
    return float(text.rstrip("x").replace(",", ""))


def data_layer_section(results: dict[str, Any]) -> tuple[str, list[tuple[str, str, bool]]]:
    """The data layer's tables and the goals they meet or miss."""
    lines: list[str] = []
    goals: list[tuple[str, str, bool]] = []
    labels = {
        "crimeperf_counts": "crimeperf, counts from the compact form",
        "crimeperf_csp": "crimeperf, counts and one CSP's records built",
        "crimeperf_records": "crimeperf, every record built, then counted",
        "polars_streaming": "polars, lazy counts-only query, streaming engine",
        "polars": "polars, records built, then counted",
        "pandas": "pandas, records built, then counted",
    }
    for size, block in results["sizes"].items():
        rows = int(size)
        tools = block["tools"]
        ours = tools["crimeperf_counts"]
        lines += [
            f"### {rows:,} rows ({block['files']:,} files, {block['gigabytes']:.2f} GB of CSV; "
            f"median of {results['repeat']} runs, each a fresh process)",
            "",
            "| tool | read, clean and count (s) | rows/s | peak memory (GiB) | "
            "vs crimeperf counts | records | same counts |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for tool, r in tools.items():
            if "failed" in r:
                lines.append(f"| {labels[tool]} | failed ({r['failed']}) | | | | | |")
                continue
            lines.append(
                f"| {labels[tool]} | {r['seconds']:.2f} | {rows / r['seconds'] / 1e6:.2f} M | "
                f"{r['peak_gib']:.2f} | {r['seconds'] / ours['seconds']:.2f}x | "
                f"{r['records']:,} | {'yes' if r.get('same_answer') else 'NO'} |"
            )
        if "compact_bytes_per_row" in ours:
            lines.append("")
            lines.append(f"The compact records take {ours['compact_bytes_per_row']:.0f} bytes a "
                         "row (labels included).")
        left_out = [labels[t] for t in labels if t not in tools]
        if left_out and rows > 10_000_000:
            small = results["sizes"].get("10000000", {}).get("tools", {})
            scaled = [
                f"{labels[t]} ({small[t]['peak_gib'] * rows / 10_000_000:.0f} GiB, scaled from "
                f"its {small[t]['peak_gib']:.1f} GiB at 10 million)"
                for t in left_out if t in small and "peak_gib" in small[t]
            ]
            if scaled:
                lines.append("")
                lines.append("Not run at this size, as they hold every record in memory: "
                             + "; ".join(scaled) + ".")
        lines.append("")
        if rows == 10_000_000:
            pandas = tools.get("pandas", {})
            streaming = tools.get("polars_streaming", {})
            if "seconds" in pandas:
                x = pandas["seconds"] / ours["seconds"]
                goals.append(("Read and count 10 million rows, counts only: at least 10x pandas",
                              f"{x:.1f}x", x >= 10))
            if "seconds" in streaming:
                x = streaming["seconds"] / ours["seconds"]
                goals.append(("... and no slower than polars' best counts-only query (streaming)",
                              f"{x:.2f}x ({ours['seconds']:.2f} s against "
                              f"{streaming['seconds']:.2f} s)", x >= 1.0))
        if rows >= 70_000_000:
            for tool, what in (("crimeperf_counts", "read and counted"),
                               ("crimeperf_csp", "read and counted, one CSP's records built")):
                r = tools.get(tool, {})
                if "peak_gib" in r:
                    goals.append((f"{rows // 1_000_000} million rows {what}, within 8 GiB",
                                  f"{r['peak_gib']:.2f} GiB peak, {r['seconds']:.1f} s",
                                  r["peak_gib"] <= 8.0))
    return "\n".join(lines), goals


def profile(rows: int = 10_000_000) -> str:
    """Where crimeperf's counts-only job spends its time: a `perf` profile by symbol, and the
    process's CPU split (user, kernel, page faults), for the results of a missed goal."""
    script = str(BENCHES / "bench_data_layer.py")
    job = [sys.executable, script, "--run", "crimeperf_counts", str(rows)]
    lines = [f"`{' '.join(Path(a).name for a in job[1:])}`, once:", ""]
    proc = subprocess.Popen(job, stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    lines.append(f"- CPU: {usage.ru_utime:.2f} s user, {usage.ru_stime:.2f} s kernel, "
                 f"{usage.ru_minflt:,} page faults, {usage.ru_maxrss / 1024**2:.2f} GiB peak")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "perf.data"
        recorded = subprocess.run(["perf", "record", "-F", "499", "-o", str(data), *job],
                                  capture_output=True, text=True)
        if recorded.returncode != 0:
            lines.append("- perf is not available here: no profile by symbol.")
            return "\n".join(lines)
        report = subprocess.run(
            ["perf", "report", "-i", str(data), "--no-children", "--sort", "dso,symbol",
             "--stdio", "--percent-limit", "1.5"],
            capture_output=True, text=True,
        ).stdout
    top = [line.rstrip() for line in report.splitlines()
           if line.strip() and not line.startswith("#")][:25]
    lines += ["", "Samples by shared object and symbol (perf, 499 Hz, above 1.5%):", "", "```",
              *top, "```"]
    return "\n".join(lines)


def main() -> None:
    info = machine()
    with tempfile.TemporaryDirectory() as tmp:
        data_json = Path(tmp) / "data.json"
        data_out = run("bench_data_layer.py", {"BENCH_JSON": str(data_json)})
        data = json.loads(data_json.read_text())
    frames_out = run("bench_frames.py")
    peers_out = run("bench_peers.py")
    evidence_out = run("bench_evidence.py")

    data_text, goals = data_layer_section(data)
    kernels = markdown_table(frames_out)
    for row in kernels[1:]:
        name, measured = row[0], ratio(row[5])
        earlier = {"exact rate intervals": 19.0, "exact test of change": 1000.0}.get(name)
        if earlier is not None:
            goals.append((f"Kernel ratio does not regress: {name} (README: {earlier:,.0f}x)",
                          f"{measured:,.0f}x", measured >= earlier))
    versions = data.get("versions", {})
    versions_line = ", ".join(f"{k} {v}" for k, v in versions.items())
    head = [line for line in frames_out.splitlines()[:2] if line]

    out = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`benches/suite.py`) on {info['date']}. Release build; "
        "every ratio measured side by side in one run on this machine. Ratios that lean on "
        "memory bandwidth move between machines: compare them only with the machine stated.",
        "",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} memory; "
        f"{info['system']}",
        f"- Versions: {versions_line}; {info['rustc']}",
        "- Kernels: " + "; ".join(head),
        "",
        "## Goals (issue #15)",
        "",
        "| goal | measured | met |",
        "|---|---|---|",
        *[f"| {goal} | {value} | {'yes' if ok else '**no**'} |" for goal, value, ok in goals],
        "",
        "## Reading and counting police.uk files",
        "",
        "The real 2025 street files of Essex, Suffolk and Norfolk repeated under earlier years "
        "(`benches/python/bench_data_layer.py` says how); counts by CSP, crime type and month "
        "with zeros, every tool's answer compared with crimeperf's.",
        "",
        data_text,
        "## Kernels: 1 million rows against scipy and statsmodels",
        "",
        frames_out.strip(),
        "",
        "## Peers: every CSP ranked in its group, every offence group",
        "",
        peers_out.strip(),
        "",
        "## The evidence pack",
        "",
        evidence_out.strip(),
        "",
    ]
    missed = [g for g in goals if not g[2]]
    if missed:
        out += [
            "## Goals missed",
            "",
            *[f"- {goal}: {value}." for goal, value, _ in missed],
            "",
            "Where crimeperf's counts-only job spends its time on this machine:",
            "",
            profile(),
            "",
        ]
    RESULTS.write_text("\n".join(out))
    print(f"wrote {RESULTS}")

    readme = README.read_text()
    if START in readme and END in readme:
        summary = [
            START,
            f"Measured by `make bench` on {info['date']} ({info['cpu']}, {info['cores']} cores, "
            f"{info['memory']}); the whole results, with versions, are in "
            "[benches/RESULTS.md](benches/RESULTS.md).",
            "",
            "| goal | measured | met |",
            "|---|---|---|",
            *[f"| {goal} | {value} | {'yes' if ok else 'no'} |" for goal, value, ok in goals],
            END,
        ]
        before, rest = readme.split(START, 1)
        _, after = rest.split(END, 1)
        README.write_text(before + "\n".join(summary) + after)
        print(f"updated {README}")


if __name__ == "__main__":
    main()
