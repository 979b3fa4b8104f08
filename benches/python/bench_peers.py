"""Every CSP ranked within its most similar group, for every offence group in one call:
crimeperf's `peer_compare` against what an analyst would otherwise write, side by side.

Run by `make bench-peers` (a release build of the extension in its own environment); not part
of `make test`, and no test asserts a timing. The goal of issue #10: on the ONS CSP tables, year
ending December 2024 (314 CSPs x 23 offence groups = 7,222 rows), every CSP ranked within its
demonstration group (itself and its 15 peers) for every offence group in under one second.

* crimeperf: `cp.peer_compare(latest, ..., groups=cp.demonstration_groups(),
  by="offence_group", missing="drop")`, with the bootstrap rank interval (1,000 replicates) and
  again with `rank_interval=False`. Its time also covers what the other side does not build: the
  `rank_text`, `joint` and `peers_missing` columns and the committee sentence of every row.
* pandas + numpy + scipy, as an analyst would write it: `merge` the groups (each focal area and
  its peers) with the counts, `groupby(["offence_group", "area"])` for the rank
  (`rank(method="min")`), the group mean and the pooled rate; the rate's interval (exact below 10
  crimes, Byar above, as crimeperf's default) and the verdicts from `scipy.stats.chi2.ppf` on
  whole columns; the bootstrap with numpy, vectorised per offence group: every area's count drawn
  once per replicate with `rng.poisson` into a (replicates x areas) array, the groups read from it
  by fancy indexing into a (replicates x areas x 16) array, and the focal area's rank counted in
  every replicate at once. Also timed without the bootstrap.

The two sides are compared row by row: the rate, rank, group mean, pooled rate and expected count
must agree to 1e-9 (relative), the verdicts should agree (a difference could only come from an
expected count within rounding of a confidence limit), and the rate's limits are compared.
The bootstrap intervals use different random streams (crimeperf's seeded PCG-64, numpy's
default_rng), so only how often they agree is reported: exactly, within one rank at each end, and
overlapping. The numpy interval takes the same order statistics of the 1,000 ranks as crimeperf
(the 26th and the 975th smallest, 25 left out on each side) and is widened to include the
observed rank, as crimeperf's is.

Timings are the best of `BENCH_REPEAT` runs on this machine, with both sides in the same
process, one after the other; the inputs are in memory (polars for crimeperf, pandas for the
other side: conversions are not timed).
"""

from __future__ import annotations

import os

# numpy's OpenBLAS keeps worker threads spinning after its calls; on a 2-core machine they take
# cycles from whichever side is timed next. Neither side needs BLAS, so one thread for both.
# Must be set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import platform
import time
import warnings
from typing import Any, Callable

import numpy as np
import pandas as pd
import polars as pl
import scipy
from scipy.stats import chi2, norm

import crimeperf as cp

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
REPLICATES = 1000
CONFIDENCE = 0.95
PER = 1000.0
SEED = 20240401
KEYS = ["offence_group", "area"]


def best(run: Callable[[], Any], repeat: int = REPEAT) -> float:
    """The fastest of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def machine() -> str:
    """CPU model, cores and memory, from /proc where there is one."""
    model = platform.processor() or platform.machine()
    memory = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    memory = f", {int(line.split()[1]) / 1024**2:.1f} GiB memory"
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores{memory}"


# --- crimeperf -------------------------------------------------------------------------------


def crimeperf_peers(latest: pl.DataFrame, groups: pl.DataFrame, rank_interval: bool) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cp.ExcludedRowsWarning)
        return cp.peer_compare(
            latest,
            area="area_code",
            count="count",
            population="population",
            groups=groups,
            by="offence_group",
            name="area_name",
            missing="drop",
            rank_interval=rank_interval,
            replicates=REPLICATES,
        )


# --- pandas + numpy + scipy ------------------------------------------------------------------


def verdict(count: np.ndarray, expected: np.ndarray, confidence: float) -> np.ndarray:
    """crimeperf's rule (`Verdict::of_count`): the expected count against the exact (Garwood)
    limits of the observed count: significantly higher below the lower limit chi2(a/2; 2O)/2,
    significantly lower above the upper limit chi2(1 - a/2; 2O + 2)/2."""
    tail = (1 - confidence) / 2
    with np.errstate(invalid="ignore"):
        lower = np.where(count > 0, chi2.ppf(tail, 2 * count) / 2, 0.0)
    upper = chi2.ppf(1 - tail, 2 * count + 2) / 2
    return np.select(
        [expected < lower, expected > upper],
        ["significantly_higher", "significantly_lower"],
        "similar",
    )


def rate_interval(count: np.ndarray, population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) limits below 10 crimes, Byar's above: crimeperf's `auto` method."""
    tail = (1 - CONFIDENCE) / 2
    z = norm.ppf(1 - tail)
    x = count.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        exact_lower = np.where(x > 0, chi2.ppf(tail, 2 * x) / 2, 0.0)
        exact_upper = chi2.ppf(1 - tail, 2 * x + 2) / 2
        byar_lower = np.where(
            x > 0, np.maximum(x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3, 0.0), 0.0
        )
    x1 = x + 1
    byar_upper = x1 * (1 - 1 / (9 * x1) + z / (3 * np.sqrt(x1))) ** 3
    small = x < 10
    scale = PER / population
    return (
        np.where(small, exact_lower, byar_lower) * scale,
        np.where(small, exact_upper, byar_upper) * scale,
    )


def pandas_peers(counts: pd.DataFrame, groups: pd.DataFrame, bootstrap: bool) -> pd.DataFrame:
    """One row per (offence group, focal area): rate and interval, rank, group mean, pooled rate,
    expected count, verdicts and (with `bootstrap`) the rank interval."""
    c = counts[["offence_group", "area_code", "count", "population"]].rename(
        columns={"area_code": "member"}
    )
    c["rate"] = c["count"] / c["population"] * PER
    # Each focal area is a member of its own group.
    focal_areas = groups["area"].unique()
    members = pd.concat(
        [
            pd.DataFrame({"area": focal_areas, "member": focal_areas}),
            groups[["area", "peer"]].rename(columns={"peer": "member"}),
        ],
        ignore_index=True,
    )
    long = members.merge(c, on="member")  # inner: members with no row are dropped
    grouped = long.groupby(KEYS, sort=False)
    long["rank"] = grouped["rate"].rank(method="min")
    summary = grouped.agg(
        group_size=("member", "size"),
        group_mean=("rate", "mean"),
        group_count=("count", "sum"),
        group_population=("population", "sum"),
    )
    summary["group_pooled"] = summary["group_count"] / summary["group_population"] * PER
    own = long[long["area"] == long["member"]].set_index(KEYS)
    out = own[["count", "population", "rate", "rank"]].join(
        summary[["group_size", "group_mean", "group_pooled"]]
    )
    out["rank"] = out["rank"].astype(int)
    count = out["count"].to_numpy()
    population = out["population"].to_numpy().astype(float)
    out["lower"], out["upper"] = rate_interval(count, population)
    out["expected"] = out["group_mean"].to_numpy() / PER * population
    out["verdict_95"] = verdict(count, out["expected"].to_numpy(), 0.95)
    out["verdict_998"] = verdict(count, out["expected"].to_numpy(), 0.998)
    out = out.reset_index()
    if bootstrap:
        out = out.merge(bootstrap_intervals(c, members), on=KEYS, how="left")
        out["rank_lower"] = np.minimum(out["rank_lower"], out["rank"])
        out["rank_upper"] = np.maximum(out["rank_upper"], out["rank"])
    return out


def bootstrap_intervals(c: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Per offence group: every area's count drawn Poisson(observed) once per replicate, each
    focal area's rank among its members recomputed in every replicate, and the 2.5% / 97.5%
    order statistics of those ranks."""
    rng = np.random.default_rng(SEED)
    tail = (1 - CONFIDENCE) / 2
    low = int(np.floor(tail * REPLICATES))  # 0-based positions in the sorted ranks
    high = int(np.ceil((1 - tail) * REPLICATES)) - 1
    frames = []
    for offence, table in c.groupby("offence_group", sort=False):
        areas = table["member"].to_numpy()
        position = pd.Series(np.arange(len(areas)), index=areas)
        group = members[
            members["member"].isin(position.index) & members["area"].isin(position.index)
        ]
        # Focal area first, then its peers; groups are ragged when members are missing, so
        # pad with the focal area itself (a draw equal to its own is never "better").
        sizes = group.groupby("area", sort=False).size()
        width = int(sizes.max())
        focal = group["area"].to_numpy()
        slot = group.groupby("area", sort=False).cumcount().to_numpy()
        focal_index = pd.Index(sizes.index)
        row = focal_index.get_indexer(focal)
        index = np.repeat(position.loc[sizes.index].to_numpy()[:, None], width, axis=1)
        index[row, slot] = position.loc[group["member"]].to_numpy()
        draws = rng.poisson(table["count"].to_numpy(), size=(REPLICATES, len(areas)))
        rates = draws / table["population"].to_numpy()
        simulated = rates[:, index]  # replicates x focal areas x members
        ranks = (simulated < simulated[:, :, :1]).sum(axis=2) + 1
        ranks.sort(axis=0)
        frames.append(
            pd.DataFrame(
                {
                    "offence_group": offence,
                    "area": sizes.index,
                    "rank_lower": ranks[low],
                    "rank_upper": ranks[high],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


# --- agreement -------------------------------------------------------------------------------


def relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def main() -> None:
    ons = cp.ons_csp_tables()
    latest = ons.filter(
        (pl.col("level") == "csp") & (pl.col("year_ending") == pl.col("year_ending").max())
    )
    groups = cp.demonstration_groups()
    counts_pd = latest.select("offence_group", "area_code", "count", "population").to_pandas()
    groups_pd = groups.select("area", "peer").to_pandas()
    year = latest["year_ending"].max()

    print(f"crimeperf {cp.__version__}, polars {pl.__version__}, numpy {np.__version__}, "
          f"pandas {pd.__version__}, scipy {scipy.__version__}")
    print(f"Python {platform.python_version()} on {platform.machine()}: {machine()}")
    print(f"ONS CSP tables, year ending {year:%B %Y}: {latest['area_code'].n_unique()} CSPs x "
          f"{latest['offence_group'].n_unique()} offence groups = {latest.height:,} rows; "
          f"demonstration groups of {groups.group_by('area').len()['len'].max() + 1}; "
          f"{REPLICATES:,} bootstrap replicates; best of {REPEAT} runs")
    print()

    # --- agreement (one run of each) -----------------------------------------------------------
    ours = crimeperf_peers(latest, groups, True).to_pandas()
    theirs = pandas_peers(counts_pd, groups_pd, True)
    both = ours.merge(theirs, on=KEYS, suffixes=("", "_pd"), validate="one_to_one")
    assert len(both) == len(ours) == len(theirs), (len(both), len(ours), len(theirs))

    checks = []
    for column in ["rate", "group_mean", "group_pooled", "expected", "lower", "upper"]:
        checks.append((column, relative(both[column].to_numpy(), both[f"{column}_pd"].to_numpy())))
    rank_same = int((both["rank"].astype(int) == both["rank_pd"]).sum())
    size_same = int((both["group_size"].astype(int) == both["group_size_pd"]).sum())
    verdicts = {}
    for column in ["verdict_95", "verdict_998"]:
        differ = both[both[column] != both[f"{column}_pd"]]
        verdicts[column] = differ
    lo = both["rank_lower"].astype(int).to_numpy()
    hi = both["rank_upper"].astype(int).to_numpy()
    lo_pd = both["rank_lower_pd"].to_numpy()
    hi_pd = both["rank_upper_pd"].to_numpy()
    exact = (lo == lo_pd) & (hi == hi_pd)
    within1 = (np.abs(lo - lo_pd) <= 1) & (np.abs(hi - hi_pd) <= 1)
    overlap = (lo <= hi_pd) & (lo_pd <= hi)

    # --- timings -------------------------------------------------------------------------------
    t_cp = best(lambda: crimeperf_peers(latest, groups, True))
    t_cp_plain = best(lambda: crimeperf_peers(latest, groups, False))
    t_pd = best(lambda: pandas_peers(counts_pd, groups_pd, True))
    t_pd_plain = best(lambda: pandas_peers(counts_pd, groups_pd, False))

    n = len(both)
    print("| job | crimeperf | pandas + numpy + scipy | crimeperf (s) | pandas (s) | ratio |")
    print("|---|---|---|---:|---:|---:|")
    print(f"| rank, averages, verdicts and bootstrap rank interval ({REPLICATES:,} replicates), "
          f"{n:,} rows | `cp.peer_compare(..., by=\"offence_group\")` | merge, groupby, "
          f"chi2.ppf, rng.poisson per offence group | {t_cp:.3f} | {t_pd:.3f} | "
          f"**{t_pd / t_cp:,.1f}x** |")
    print(f"| the same without the rank interval, {n:,} rows | "
          f"`cp.peer_compare(..., rank_interval=False)` | merge, groupby, chi2.ppf | "
          f"{t_cp_plain:.3f} | {t_pd_plain:.3f} | **{t_pd_plain / t_cp_plain:,.1f}x** |")
    print()
    goal = "met" if t_cp < 1.0 else "NOT met"
    print(f"Issue #10 goal (every CSP, every offence group, one call, under 1 s): {goal} "
          f"({t_cp:.3f} s with the rank interval)")
    print()
    print("Agreement, row by row:")
    print(f"  rank: {rank_same:,} of {n:,} rows the same; group_size: {size_same:,} of {n:,}")
    print("  max relative difference: "
          + ", ".join(f"{name} {diff:.1e}" for name, diff in checks))
    for column, differ in verdicts.items():
        print(f"  {column}: {n - len(differ):,} of {n:,} rows the same")
        for _, r in differ.head(5).iterrows():
            print(f"    {r['area_name']} / {r['offence_group']}: count {r['count']}, expected "
                  f"{r['expected']:.6f}: crimeperf {r[column]}, scipy {r[f'{column}_pd']}")
    print(f"  rank interval (different random streams), of {n:,} rows: identical "
          f"{exact.sum():,} ({exact.mean():.1%}), both ends within 1 rank {within1.sum():,} "
          f"({within1.mean():.2%}), overlapping {overlap.sum():,} ({overlap.mean():.2%})")
    far = both[~within1]
    for _, r in far.head(3).iterrows():
        print(f"    {r['area_name']} / {r['offence_group']}: rank {r['rank']}, crimeperf "
              f"{r['rank_lower']}-{r['rank_upper']}, numpy {r['rank_lower_pd']}-"
              f"{r['rank_upper_pd']}")


if __name__ == "__main__":
    main()
