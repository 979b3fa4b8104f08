"""crimeperf's frame functions against what analysts would otherwise run, measured side by side.

Run by `make bench-python` (a release build of the extension in its own environment); not part
of `make test`, and no test asserts a timing.

* Rates with exact (Garwood) intervals on 1,000,000 rows: `cp.rates(..., method="exact")` against
  the same limits from `scipy.stats.chi2.ppf` on numpy arrays (vectorised: scipy at its best).
* The exact test of change on 1,000,000 rows: `cp.changes(...)` (which also computes the exact
  and score intervals, the verdict and the committee sentence) against statsmodels'
  `test_poisson_2indep(method="exact-cond")` called row by row, as analysts do in a loop or
  `DataFrame.apply`. Row-by-row statsmodels over 1,000,000 rows would take many minutes, so it is
  timed on a sample of rows drawn from the same data and compared per row; the sample size is
  printed.

Timings are the best of several runs (statsmodels: one run over the sample) on this machine,
with both sides in the same process, one after the other.
"""

from __future__ import annotations

import os

# numpy's OpenBLAS keeps worker threads spinning after its calls; on a 2-core machine they take
# cycles from whichever side is timed next. Neither side here needs BLAS threads (statsmodels'
# row-by-row test is scalar code), so one thread for both keeps the comparison fair. Must be set
# before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import platform
import time
from typing import Any, Callable

import numpy as np
import polars as pl
import scipy
import statsmodels
from scipy.stats import chi2
from statsmodels.stats.rates import test_poisson_2indep

import crimeperf as cp

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
SAMPLE = int(os.environ.get("BENCH_STATSMODELS_SAMPLE", "2000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
SEED = 20240401


def best(run: Callable[[], Any], repeat: int = REPEAT) -> float:
    """The fastest of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def data(rows: int) -> pl.DataFrame:
    """Counts like those of areas from LSOAs to forces: means log-uniform from 0.5 to 5,000."""
    rng = np.random.default_rng(SEED)
    mean = np.exp(rng.uniform(np.log(0.5), np.log(5000), rows))
    previous = rng.poisson(mean)
    current = rng.poisson(mean * rng.uniform(0.8, 1.25, rows))
    population = np.round(mean * rng.uniform(15, 40, rows) + 500)
    return pl.DataFrame(
        {"current": current, "previous": previous, "population": population.astype(float)}
    )


def scipy_exact_rates(count: np.ndarray, population: np.ndarray, per: float = 1000.0) -> Any:
    lower = np.where(count > 0, chi2.ppf(0.025, 2 * count) / 2, 0.0)
    upper = chi2.ppf(0.975, 2 * count + 2) / 2
    scale = per / population
    return count * scale, lower * scale, upper * scale


def main() -> None:
    df = data(ROWS)
    count = df["current"].to_numpy()
    population = df["population"].to_numpy()
    print(f"crimeperf {cp.__version__}, polars {pl.__version__}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}")
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"{ROWS:,} rows; counts 0 to {int(count.max()):,} (median {int(np.median(count))})")
    print()

    # --- exact rates ---------------------------------------------------------------------------
    ours = cp.rates(df, count="current", population="population", method="exact")
    _, lower, upper = scipy_exact_rates(count, population)
    worst = max(
        float(np.max(np.abs(ours["rate_lower"].to_numpy() - lower) / np.maximum(lower, 1e-300))),
        float(np.max(np.abs(ours["rate_upper"].to_numpy() - upper) / upper)),
    )
    t_cp_rates = best(
        lambda: cp.rates(df, count="current", population="population", method="exact")
    )
    t_scipy_rates = best(lambda: scipy_exact_rates(count, population))

    # --- exact test of change ------------------------------------------------------------------
    t_cp_changes = best(lambda: cp.changes(df, current="current", previous="previous"))
    changes = cp.changes(df, current="current", previous="previous")
    # statsmodels raises ValueError for 0 crimes against 0 (scipy's binomtest needs n >= 1), so
    # the sample is drawn from the rows with a count; crimeperf's timing includes every row.
    rng = np.random.default_rng(SEED + 1)
    countable = np.flatnonzero(df["current"].to_numpy() + df["previous"].to_numpy() > 0)
    sample = rng.choice(countable, size=min(SAMPLE, len(countable)), replace=False)
    cur = df["current"].to_numpy()[sample]
    prev = df["previous"].to_numpy()[sample]
    start = time.perf_counter()
    p_values = [
        test_poisson_2indep(int(c), 1.0, int(p), 1.0, method="exact-cond").pvalue
        for c, p in zip(cur, prev)
    ]
    t_sm_sample = time.perf_counter() - start
    ours_p = changes["p_value"].to_numpy()[sample]
    worst_p = float(np.max(np.abs(ours_p - np.asarray(p_values)) / np.maximum(p_values, 1e-300)))
    sm_per_row = t_sm_sample / len(sample)
    cp_per_row = t_cp_changes / ROWS

    rows = [
        ("exact rate intervals", f"cp.rates(method=\"exact\"), {ROWS:,} rows",
         f"scipy.stats.chi2.ppf on numpy arrays, {ROWS:,} rows",
         t_cp_rates, t_scipy_rates, t_scipy_rates / t_cp_rates, worst),
        ("exact test of change", f"cp.changes, {ROWS:,} rows",
         f"statsmodels test_poisson_2indep(method=\"exact-cond\") row by row, "
         f"{len(sample):,}-row sample x {ROWS / len(sample):,.0f}",
         t_cp_changes, sm_per_row * ROWS, sm_per_row / cp_per_row, worst_p),
    ]
    print("| statistic | crimeperf | reference | crimeperf (s) | reference (s) | "
          "ratio | max rel. diff |")
    print("|---|---|---|---:|---:|---:|---:|")
    for name, a, b, ta, tb, ratio, diff in rows:
        print(f"| {name} | {a} | {b} | {ta:.3f} | {tb:.3f} | {ratio:,.0f}x | {diff:.1e} |")
    print()
    print(f"statsmodels: {t_sm_sample:.2f} s for {len(sample):,} rows = "
          f"{1e6 * sm_per_row:.1f} us/row; crimeperf: {1e9 * cp_per_row:.0f} ns/row "
          f"(p-value, exact and score intervals, verdict, sentence)")


if __name__ == "__main__":
    main()
