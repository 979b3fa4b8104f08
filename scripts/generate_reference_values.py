#!/usr/bin/env python3
"""Generate reference values for the crimeperf statistics tests.

Writes crates/crimeperf/tests/reference/scipy_statsmodels.json (relative to the
repository root). It holds expected values from scipy/statsmodels, and values
transcribed from the PHEindicatormethods published test data.

Every entry has a "call" string. It holds the Python expression(s), with the
argument values written in, that produced the entry's expected numbers. The
script builds each call string first and then runs it with exec(), so the
string and the numbers cannot drift apart.

Conventions:
  * Tail probabilities such as (1-c)/2 are the correctly rounded doubles of the
    exact decimal values (0.025, 0.975, 0.001, ...). They are not the result of
    floating-point arithmetic on c, which would give 0.025000000000000022.
    statsmodels alpha arguments are also written as clean decimals (0.05, 0.002, 0.1).
  * Each section is also checked against an independent 50-digit mpmath
    computation. The largest relative difference per section is printed.
  * Where scipy itself is not accurate, the precise value is the primary field
    and the scipy value is kept next to it. This applies to exact_ratio_ci
    (binomtest proportion_ci uses brentq, xtol=2e-12) and to the poisson_cdf pmf
    (scipy loses ~k*log(mu)*eps). binomtest cases where scipy differs from mpmath
    by more than SCIPY_TRUST are skipped. These are only p-values below 1e-270.

Usage:  /path/to/python scripts/generate_reference_values.py [--phe DIR]
Needs:  the pinned versions in scripts/requirements-reference.txt (scipy, statsmodels, numpy,
        pandas, openpyxl, mpmath). The PHEindicatormethods spreadsheets are read from
        ../shared/data/reference/pheindicatormethods beside the repository unless --phe says.
"""

import argparse
import json
import math
import platform
import sys
import warnings
from fractions import Fraction
from pathlib import Path

import mpmath as mp
import numpy as np
import pandas as pd
import scipy
import scipy.optimize
import scipy.special
import scipy.stats
import statsmodels
import statsmodels.stats.proportion
import statsmodels.stats.rates

REPO = Path(__file__).resolve().parents[1]
OUT_PATH = REPO / "crates" / "crimeperf" / "tests" / "reference" / "scipy_statsmodels.json"
# Beside the repository, as the other scripts expect ../shared; --phe overrides it.
PHE_DIR = REPO.parent / "shared" / "data" / "reference" / "pheindicatormethods"
PHE_SOURCE = "PHEindicatormethods tests/testthat/"

mp.mp.dps = 50

# Names visible to the call strings.
CALL_NAMESPACE = {"scipy": scipy, "statsmodels": statsmodels, "math": math, "np": np,
                  "mpmath": mp}

# A scipy value that differs from the 50-digit mpmath value by more than this
# (relative) is not trusted. Only a few extreme-tail p-values (< 1e-270) fail it.
SCIPY_TRUST = 1e-11

# Largest relative difference from the mpmath cross-check, per section.
CROSSCHECK = {}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def lit(x):
    """Python literal for a number, as it appears inside a call string."""
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(x)
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return repr(float(x))


def run(code, *names):
    """exec() a call string and return the float values of the named variables."""
    ns = dict(CALL_NAMESPACE)
    exec(code, ns)
    return tuple(float(ns[name]) for name in names)


def evaluate(expr):
    """eval() a call expression and return its float value."""
    return float(eval(expr, dict(CALL_NAMESPACE)))


def lower_tail(c):
    """(1-c)/2 as the correctly rounded double of the exact decimal value."""
    return float((1 - Fraction(str(c))) / 2)


def upper_tail(c):
    """1-(1-c)/2, correctly rounded."""
    return float(1 - (1 - Fraction(str(c))) / 2)


def alpha_of(c):
    """1-c, correctly rounded (e.g. 0.05, not 0.050000000000000044)."""
    return float(1 - Fraction(str(c)))


def mp_lower_tail(c):
    return (1 - mp.mpf(Fraction(str(c)).numerator) / Fraction(str(c)).denominator) / 2


def mp_z(c):
    """Exact normal quantile at 1-(1-c)/2, in mpmath."""
    q = 1 - mp_lower_tail(c)
    return mp.sqrt(2) * mp.erfinv(2 * q - 1)


TINY = 1e-300  # below this (underflow/subnormal range) compare absolutely


def rel_diff(got, ref):
    """|got-ref|/|ref| (the absolute difference when |ref| < 1e-300)."""
    ref = mp.mpf(ref)
    diff = abs(mp.mpf(got) - ref)
    return float(diff / abs(ref)) if abs(ref) >= TINY else float(diff)


def note_diff(section, got, ref):
    """Record the difference from the mpmath value, keeping the worst per section."""
    rel = rel_diff(got, ref)
    if rel >= CROSSCHECK.get(section, (0.0,))[0]:
        CROSSCHECK[section] = (rel, got, mp.nstr(mp.mpf(ref), 20))
    return rel


def check_finite(entry, allow_null=()):
    for key, value in entry.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"non-finite {key} in {entry}")
        if value is None and key not in allow_null:
            raise ValueError(f"null {key} in {entry}")
    return entry


# --------------------------------------------------------------------------
# mpmath references (independent of scipy; used only for the cross-check)
# --------------------------------------------------------------------------

def mp_binom_pmf(i, n, p):
    if i < 0 or i > n:
        return mp.mpf(0)
    p = mp.mpf(p)
    return mp.exp(mp.loggamma(n + 1) - mp.loggamma(i + 1) - mp.loggamma(n - i + 1)
                  + i * mp.log(p) + (n - i) * mp.log1p(-p))


def _mp_sum_down(k, n, p):
    """sum_{i=0..k} pmf(i) for k <= n*p (terms decrease going down)."""
    p = mp.mpf(p)
    ratio_qp = (1 - p) / p
    term = mp_binom_pmf(k, n, p)
    total = term
    eps = mp.mpf(10) ** (-mp.mp.dps - 5)
    i = k
    while i > 0:
        term *= mp.mpf(i) / (n - i + 1) * ratio_qp
        i -= 1
        total += term
        if term < total * eps:
            break
    return total


def _mp_sum_up(j, n, p):
    """sum_{i=j..n} pmf(i) for j >= n*p (terms decrease going up)."""
    p = mp.mpf(p)
    ratio_pq = p / (1 - p)
    term = mp_binom_pmf(j, n, p)
    total = term
    eps = mp.mpf(10) ** (-mp.mp.dps - 5)
    i = j
    while i < n:
        term *= mp.mpf(n - i) / (i + 1) * ratio_pq
        i += 1
        total += term
        if term < total * eps:
            break
    return total


def mp_binom_cdf(k, n, p):
    """P(X <= k)."""
    if k < 0:
        return mp.mpf(0)
    if k >= n:
        return mp.mpf(1)
    if k <= n * mp.mpf(p):
        return _mp_sum_down(k, n, p)
    return 1 - _mp_sum_up(k + 1, n, p)


def mp_binom_sf(k, n, p):
    """P(X > k)."""
    if k < 0:
        return mp.mpf(1)
    if k >= n:
        return mp.mpf(0)
    if k + 1 >= n * mp.mpf(p):
        return _mp_sum_up(k + 1, n, p)
    return 1 - _mp_sum_down(k, n, p)


def mp_binomtest_pvalue(k, n, p):
    """Two-sided binomial test p-value with scipy's definition.

    The p-value sums pmf(i) over all i with pmf(i) <= pmf(k)*(1+1e-7).
    """
    if k == p * n:
        return mp.mpf(1)
    d = mp_binom_pmf(k, n, p) * mp.mpf(1 + 1e-7)
    mode_lo, mode_hi = math.floor(p * n), math.ceil(p * n)
    if k < p * n:
        # smallest i in [mode_hi, n] with pmf(i) <= d (pmf decreasing there)
        lo, hi = mode_hi, n + 1
        while lo < hi:
            mid = (lo + hi) // 2
            if mp_binom_pmf(mid, n, p) <= d:
                hi = mid
            else:
                lo = mid + 1
        pval = mp_binom_cdf(k, n, p) + mp_binom_sf(lo - 1, n, p)
    else:
        # largest i in [0, mode_lo] with pmf(i) <= d (pmf increasing there)
        lo, hi = -1, mode_lo
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if mp_binom_pmf(mid, n, p) <= d:
                lo = mid
            else:
                hi = mid - 1
        pval = mp_binom_cdf(lo, n, p) + mp_binom_sf(k - 1, n, p)
    return min(mp.mpf(1), pval)


def mp_newton_root(f, fprime, x0, steps=2):
    """Refine a double-precision root x0 with a few mpmath Newton steps."""
    x = mp.mpf(x0)
    for _ in range(steps):
        x = x - f(x) / fprime(x)
    return x


def mp_gamma_quantile(shape, prob, upper=False):
    """x with P(shape, x) = prob (or Q(shape, x) = prob when upper)."""
    shape = mp.mpf(shape)
    if upper:
        start = scipy.stats.gamma.isf(float(prob), float(shape))
        f = lambda x: mp.gammainc(shape, x, mp.inf, regularized=True) - prob
        fp = lambda x: -mp.exp((shape - 1) * mp.log(x) - x - mp.loggamma(shape))
    else:
        start = scipy.stats.gamma.ppf(float(prob), float(shape))
        f = lambda x: mp.gammainc(shape, 0, x, regularized=True) - prob
        fp = lambda x: mp.exp((shape - 1) * mp.log(x) - x - mp.loggamma(shape))
    return mp_newton_root(f, fp, start)


def mp_clopper_pearson(k, n, c):
    """Exact (Clopper-Pearson) limits for k/n in mpmath; (pl, pu), None = limit 0/1."""
    a = mp_lower_tail(c)
    pl = pu = None
    if k > 0:
        # P(X >= k | pl) = a
        start = scipy.special.betaincinv(k, n - k + 1, float(a))
        pl = mp_newton_root(lambda x: mp_binom_sf(k - 1, n, x) - a,
                            lambda x: n * mp_binom_pmf(k - 1, n - 1, x), start)
    if k < n:
        # P(X <= k | pu) = a
        start = scipy.special.betainccinv(k + 1, n - k, float(a))
        pu = mp_newton_root(lambda x: mp_binom_cdf(k, n, x) - a,
                            lambda x: -n * mp_binom_pmf(k, n - 1, x), start)
    return pl, pu


def mp_wilson(x, n, c):
    z = mp_z(c)
    x, n = mp.mpf(x), mp.mpf(n)
    centre = (x + z * z / 2) / (n + z * z)
    half = z * mp.sqrt(x * (n - x) / n + z * z / 4) / (n + z * z)
    return max(centre - half, mp.mpf(0)), min(centre + half, mp.mpf(1))


# --------------------------------------------------------------------------
# 1. Garwood exact Poisson CI
# --------------------------------------------------------------------------

GARWOOD_COUNTS = list(range(31)) + [37, 50, 65, 99, 100, 150, 999, 1000, 4208, 4445,
                                    12345, 100000, 500000, 999999, 1000000]
GARWOOD_CONFIDENCES = [0.8, 0.9, 0.95, 0.99, 0.998]


def garwood_cases():
    out = []
    for c in GARWOOD_CONFIDENCES:
        lo_p, hi_p = lower_tail(c), upper_tail(c)
        for x in GARWOOD_COUNTS:
            if x == 0:
                lower_code = "lower = 0.0"
            else:
                lower_code = f"lower = scipy.stats.chi2.ppf({lit(lo_p)}, {2 * x})/2"
            code = f"{lower_code}; upper = scipy.stats.chi2.ppf({lit(hi_p)}, {2 * x + 2})/2"
            lower, upper = run(code, "lower", "upper")
            out.append(check_finite({"count": x, "confidence": c, "lower": lower,
                                     "upper": upper, "call": code}))
            a = mp_lower_tail(c)
            if x > 0:
                note_diff("garwood", lower, mp_gamma_quantile(x, a))
            note_diff("garwood", upper, mp_gamma_quantile(x + 1, a, upper=True))
    return out


# --------------------------------------------------------------------------
# 2. Byar approximation
# --------------------------------------------------------------------------

BYAR_COUNTS = list(range(10, 31)) + [65, 100, 1045, 4208, 100000, 1000000]
BYAR_CONFIDENCES = [0.95, 0.998, 0.9]


def byar_cases():
    out = []
    for c in BYAR_CONFIDENCES:
        for x in BYAR_COUNTS:
            y = x + 1
            code = (f"z = scipy.stats.norm.ppf({lit(upper_tail(c))}); "
                    f"lower = {x}*(1 - 1/(9*{x}) - z/(3*math.sqrt({x})))**3; "
                    f"upper = {y}*(1 - 1/(9*{y}) + z/(3*math.sqrt({y})))**3")
            lower, upper = run(code, "lower", "upper")
            out.append(check_finite({"count": x, "confidence": c, "lower": lower,
                                     "upper": upper, "call": code}))
            z = mp_z(c)
            note_diff("byar", lower, x * (1 - mp.mpf(1) / (9 * x) - z / (3 * mp.sqrt(x))) ** 3)
            note_diff("byar", upper, y * (1 - mp.mpf(1) / (9 * y) + z / (3 * mp.sqrt(y))) ** 3)
    return out


# --------------------------------------------------------------------------
# 3. Two-sided exact binomial test
# --------------------------------------------------------------------------

BINOMTEST_SMALL_P = [0.5, 0.3, 0.75]
BINOMTEST_LARGE_N = [100, 374, 1000, 8653, 20000, 200000, 2000000]
BINOMTEST_LARGE_P = [0.5, 0.47, 0.52, 0.1]


def binomtest_large_ks(n, p):
    mean, sd = n * p, math.sqrt(n * p * (1 - p))
    ks = {0, 1, n - 1, n}
    for j in (-6, -3, -1, 1, 3, 6):
        ks.add(int(round(mean + j * sd)))
    return sorted(k for k in ks if 0 <= k <= n)


def binomtest_cases():
    cases = []
    for p in BINOMTEST_SMALL_P:
        for n in range(1, 61):
            cases.extend((k, n, p) for k in range(n + 1))
    for p in BINOMTEST_LARGE_P:
        for n in BINOMTEST_LARGE_N:
            cases.extend((k, n, p) for k in binomtest_large_ks(n, p))
    cases.append((206, 374, 0.5))  # 206 crimes this year vs 168 last year
    seen, out = set(), []
    for k, n, p in cases:
        if (k, n, p) in seen:
            continue
        seen.add((k, n, p))
        call = f"scipy.stats.binomtest({k}, {n}, {lit(p)}, alternative='two-sided').pvalue"
        pv = evaluate(call)
        exact = mp_binomtest_pvalue(k, n, p)
        if rel_diff(pv, exact) > SCIPY_TRUST:
            SKIPPED.append(("binomtest", (k, n, p),
                            f"scipy {pv!r} vs mpmath {mp.nstr(exact, 17)} "
                            f"(scipy binom tail underflow/precision loss below 1e-270)"))
            continue
        out.append(check_finite({"k": k, "n": n, "p": p, "p_value": pv, "call": call}))
        note_diff("binomtest", pv, exact)
    return out


# --------------------------------------------------------------------------
# 4. statsmodels test_poisson_2indep (ratio of two Poisson rates)
# --------------------------------------------------------------------------

RATE_COUNT_PAIRS = [(206, 168), (168, 206), (4208, 4445), (38, 0), (0, 5), (5, 0), (0, 0),
                    (12, 1195), (1, 1), (100, 100), (3, 9)]
RATE_EXPOSURES = [(1, 1), (87200, 86000), (12, 11), (1.5, 1)]
SKIPPED = []  # (section, case, reason)


def poisson_2indep_cases():
    out = []
    for e1, e2 in RATE_EXPOSURES:
        for c1, c2 in RATE_COUNT_PAIRS:
            args = f"{c1}, {lit(e1)}, {c2}, {lit(e2)}"
            f = "statsmodels.stats.rates.test_poisson_2indep"
            code = (f"p_value_exact = {f}({args}, method='exact-cond').pvalue; "
                    f"p_value_midp = {f}({args}, method='cond-midp').pvalue; "
                    f"r = {f}({args}, method='score'); "
                    f"score_statistic = r.statistic; p_value_score = r.pvalue")
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    vals = run(code, "p_value_exact", "p_value_midp",
                               "score_statistic", "p_value_score")
            except ValueError as exc:
                SKIPPED.append(("poisson_2indep", (c1, e1, c2, e2), f"ValueError: {exc}"))
                continue
            if not all(math.isfinite(v) for v in vals):
                SKIPPED.append(("poisson_2indep", (c1, e1, c2, e2), f"non-finite {vals}"))
                continue
            pe, pm, stat, ps = vals
            out.append(check_finite({"count1": c1, "exposure1": e1, "count2": c2,
                                     "exposure2": e2, "p_value_exact": pe, "p_value_midp": pm,
                                     "score_statistic": stat, "p_value_score": ps,
                                     "call": code}))
            # mpmath: same definitions as statsmodels (conditional binomial test)
            r_d = 1 / (e2 / e1)
            bp = r_d / (1 + r_d)
            n = c1 + c2
            mp_exact = mp_binomtest_pvalue(c1, n, bp)
            note_diff("poisson_2indep", pe, mp_exact)
            note_diff("poisson_2indep", pm, mp_exact - mp_binom_pmf(c1, n, bp) / 2)
            rd = mp.mpf(e1) / mp.mpf(e2)
            mp_stat = (c1 - c2 * rd) / mp.sqrt(n * rd)
            note_diff("poisson_2indep", stat, mp_stat)
            note_diff("poisson_2indep", ps, mp.erfc(abs(mp_stat) / mp.sqrt(2)))
    return out


# --------------------------------------------------------------------------
# 5. Exact conditional (Clopper-Pearson) CI for the rate ratio
# --------------------------------------------------------------------------

RATIO_CONFIDENCES = [0.95, 0.998, 0.9]


def exact_ratio_ci_cases():
    """Clopper-Pearson limits for p = count1/n, mapped to the ratio p/(1-p)*e2/e1.

    scipy's proportion_ci(method='exact') finds the limits with brentq's
    default xtol=2e-12. So its values are accurate only to about 1e-12 in p,
    which is up to ~1e-10 relative here. "lower"/"upper" therefore come from
    scipy.special.betaincinv/betainccinv, which are accurate to a few ulps.
    1-p is computed directly, so p/(1-p) keeps full precision. The scipy
    binomtest values are kept as binomtest_lower/upper.
    """
    out = []
    for c in RATIO_CONFIDENCES:
        a = lower_tail(c)
        for e1, e2 in RATE_EXPOSURES:
            for c1, c2 in RATE_COUNT_PAIRS:
                n = c1 + c2
                if n == 0:
                    SKIPPED.append(("exact_ratio_ci", (c1, e1, c2, e2, c),
                                    "n = 0: binomtest needs n >= 1 (no information)"))
                    continue
                scale = f"*{lit(e2)}/{lit(e1)}"
                if c1 == 0:
                    lower_code = "lower = 0.0"
                else:
                    lower_code = (f"pl = scipy.special.betaincinv({c1}, {n - c1 + 1}, {lit(a)}); "
                                  f"ql = scipy.special.betainccinv({n - c1 + 1}, {c1}, {lit(a)}); "
                                  f"lower = pl/ql{scale}")
                if c2 == 0:
                    upper_code = "upper = None  # p_upper == 1: ratio upper limit is +infinity"
                else:
                    upper_code = (f"pu = scipy.special.betainccinv({c1 + 1}, {c2}, {lit(a)}); "
                                  f"qu = scipy.special.betaincinv({c2}, {c1 + 1}, {lit(a)}); "
                                  f"upper = pu/qu{scale}")
                code = f"{lower_code}; {upper_code}"
                ns = dict(CALL_NAMESPACE)
                exec(code, ns)
                lower = float(ns["lower"])
                upper = None if ns["upper"] is None else float(ns["upper"])

                bt_code = (f"p = scipy.stats.binomtest({c1}, {n}, 0.5)"
                           f".proportion_ci(confidence_level={lit(c)}, method='exact'); "
                           f"binomtest_lower = p.low/(1 - p.low){scale}; "
                           + ("binomtest_upper = None" if c2 == 0 else
                              f"binomtest_upper = p.high/(1 - p.high){scale}"))
                ns = dict(CALL_NAMESPACE)
                exec(bt_code, ns)
                bt_upper = ns["binomtest_upper"]
                entry = {"count1": c1, "exposure1": e1, "count2": c2, "exposure2": e2,
                         "confidence": c, "lower": lower, "upper": upper, "call": code,
                         "binomtest_lower": float(ns["binomtest_lower"]),
                         "binomtest_upper": None if bt_upper is None else float(bt_upper),
                         "binomtest_call": bt_code}
                out.append(check_finite(entry, allow_null=("upper", "binomtest_upper")))

                pl, pu = mp_clopper_pearson(c1, n, c)
                k = mp.mpf(e2) / mp.mpf(e1)
                if pl is not None:
                    note_diff("exact_ratio_ci", lower, pl / (1 - pl) * k)
                    note_diff("exact_ratio_ci (scipy binomtest)", entry["binomtest_lower"],
                              pl / (1 - pl) * k)
                if pu is not None:
                    note_diff("exact_ratio_ci", upper, pu / (1 - pu) * k)
                    note_diff("exact_ratio_ci (scipy binomtest)", entry["binomtest_upper"],
                              pu / (1 - pu) * k)
    return out


# --------------------------------------------------------------------------
# 6. Score CI for the rate ratio (inverting the statsmodels score test)
# --------------------------------------------------------------------------

def score_stat(c1, e1, c2, e2, r):
    return float(statsmodels.stats.rates.test_poisson_2indep(
        c1, e1, c2, e2, value=r, method="score").statistic)


def score_ratio_ci_cases():
    out = []
    for c in RATIO_CONFIDENCES:
        z = scipy.stats.norm.ppf(upper_tail(c))
        for e1, e2 in RATE_EXPOSURES:
            for c1, c2 in RATE_COUNT_PAIRS:
                if c1 == 0 or c2 == 0:
                    continue  # only defined here for both counts > 0
                r_hat = (c1 / e1) / (c2 / e2)
                lo = r_hat
                while score_stat(c1, e1, c2, e2, lo) <= z:
                    lo /= 2
                hi = r_hat
                while score_stat(c1, e1, c2, e2, hi) >= -z:
                    hi *= 2
                args = f"{c1}, {lit(e1)}, {c2}, {lit(e2)}"
                opts = "xtol=1e-300, rtol=4*np.finfo(float).eps"
                code = (f"z = scipy.stats.norm.ppf({lit(upper_tail(c))}); "
                        f"stat = lambda r: statsmodels.stats.rates.test_poisson_2indep("
                        f"{args}, value=r, method='score').statistic; "
                        f"lower = scipy.optimize.brentq(lambda r: stat(r) - z, "
                        f"{lit(lo)}, {lit(r_hat)}, {opts}); "
                        f"upper = scipy.optimize.brentq(lambda r: stat(r) + z, "
                        f"{lit(r_hat)}, {lit(hi)}, {opts})")
                lower, upper = run(code, "lower", "upper")
                sm_call = (f"statsmodels.stats.rates.confint_poisson_2indep({args}, "
                           f"method='score', compare='ratio', alpha={lit(alpha_of(c))})")
                sm_lower, sm_upper = (float(v) for v in eval(sm_call, dict(CALL_NAMESPACE)))
                for ours, theirs in ((lower, sm_lower), (upper, sm_upper)):
                    # statsmodels inverts with optimize.fmin(xtol=1e-8): absolute in r
                    if abs(ours - theirs) > 1e-6 * abs(ours) + 1e-8:
                        raise AssertionError(f"score CI disagrees with statsmodels: {code}")
                    note_diff("score_ratio_ci (statsmodels fmin vs brentq)", theirs, ours)
                out.append(check_finite({
                    "count1": c1, "exposure1": e1, "count2": c2, "exposure2": e2,
                    "confidence": c, "lower": lower, "upper": upper, "call": code,
                    "statsmodels_lower": sm_lower, "statsmodels_upper": sm_upper,
                    "statsmodels_call": sm_call}))
                # Closed form: with s = r*e1/e2, (c1 - c2*s)^2 = z^2*(c1+c2)*s
                zz = mp_z(c)
                b = 2 * mp.mpf(c1) * c2 + zz * zz * (c1 + c2)
                disc = mp.sqrt(b * b - 4 * mp.mpf(c1) ** 2 * mp.mpf(c2) ** 2)
                k = mp.mpf(e2) / mp.mpf(e1)
                note_diff("score_ratio_ci", lower, (b - disc) / (2 * mp.mpf(c2) ** 2) * k)
                note_diff("score_ratio_ci", upper, (b + disc) / (2 * mp.mpf(c2) ** 2) * k)
    return out


# --------------------------------------------------------------------------
# 7. Wilson score CI for a proportion
# --------------------------------------------------------------------------

WILSON_CASES = [(0, 1), (1, 1), (0, 10), (10, 10), (65, 100), (1045, 5000), (1098, 4208),
                (1102, 4445), (3, 7), (50, 1000000)]
PROPORTION_CONFIDENCES = [0.95, 0.998, 0.9]


def wilson_cases():
    out = []
    for c in PROPORTION_CONFIDENCES:
        for x, n in WILSON_CASES:
            call = (f"statsmodels.stats.proportion.proportion_confint({x}, {n}, "
                    f"alpha={lit(alpha_of(c))}, method='wilson')")
            lower, upper = (float(v) for v in eval(call, dict(CALL_NAMESPACE)))
            out.append(check_finite({"x": x, "n": n, "confidence": c, "lower": lower,
                                     "upper": upper, "call": call}))
            ml, mu = mp_wilson(x, n, c)
            note_diff("wilson", lower, ml)
            note_diff("wilson", upper, mu)
    return out


# --------------------------------------------------------------------------
# 8. Newcombe hybrid score CI for a difference of proportions
# --------------------------------------------------------------------------

NEWCOMBE_CASES = [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29),
                  (0, 10, 0, 20), (10, 10, 0, 20), (1098, 4208, 1102, 4445),
                  (261, 1000, 243, 1000)]


def newcombe_cases():
    out = []
    for c in [0.95, 0.998]:
        for x1, n1, x2, n2 in NEWCOMBE_CASES:
            call = (f"statsmodels.stats.proportion.confint_proportions_2indep({x1}, {n1}, "
                    f"{x2}, {n2}, method='newcomb', compare='diff', alpha={lit(alpha_of(c))})")
            lower, upper = (float(v) for v in eval(call, dict(CALL_NAMESPACE)))
            out.append(check_finite({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "confidence": c,
                                     "lower": lower, "upper": upper, "call": call}))
            p1, p2 = mp.mpf(x1) / n1, mp.mpf(x2) / n2
            l1, u1 = mp_wilson(x1, n1, c)
            l2, u2 = mp_wilson(x2, n2, c)
            note_diff("newcombe", lower, p1 - p2 - mp.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
            note_diff("newcombe", upper, p1 - p2 + mp.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
            if (x1, n1, x2, n2, c) == (56, 70, 48, 80, 0.95):
                # Newcombe (1998), Statistics in Medicine 17:873-890, example (a), method 10
                assert (round(lower, 4), round(upper, 4)) == (0.0524, 0.3339), (lower, upper)
    return out


# --------------------------------------------------------------------------
# 9. Poisson distribution
# --------------------------------------------------------------------------

POISSON_MUS = [0.5, 3, 9.5, 152, 170, 1000, 4445, 100000]


def poisson_cdf_cases():
    out = []
    for mu in POISSON_MUS:
        sd = math.sqrt(mu)
        ks = sorted({0} | {int(round(mu + j * sd)) for j in range(-3, 4)} - {-1, -2, -3})
        for k in (k for k in ks if k >= 0):
            m = lit(mu)
            code = (f"cdf = scipy.stats.poisson.cdf({k}, {m}); "
                    f"sf = scipy.stats.poisson.sf({k}, {m}); "
                    f"mpmath.mp.dps = 50; pmf = float(mpmath.exp({k}*mpmath.log({m}) - {m} "
                    f"- mpmath.loggamma({k + 1}))); "
                    f"scipy_pmf = scipy.stats.poisson.pmf({k}, {m})")
            cdf, sf, pmf, scipy_pmf = run(code, "cdf", "sf", "pmf", "scipy_pmf")
            out.append(check_finite({"k": k, "mu": mu, "cdf": cdf, "sf": sf, "pmf": pmf,
                                     "scipy_pmf": scipy_pmf, "call": code}))
            mmu = mp.mpf(mu)
            note_diff("poisson_cdf", cdf, mp.gammainc(k + 1, mmu, mp.inf, regularized=True))
            note_diff("poisson_cdf", sf, mp.gammainc(k + 1, 0, mmu, regularized=True))
            # scipy's pmf is exp(k*log(mu) - lgamma(k+1) - mu); the cancellation costs
            # about k*log(mu)*eps relative (2e-10 at mu = 100000)
            exact_pmf = mp.exp(k * mp.log(mmu) - mmu - mp.loggamma(k + 1))
            note_diff("poisson_cdf (pmf: mpmath)", pmf, exact_pmf)
            note_diff("poisson_cdf (scipy_pmf)", scipy_pmf, exact_pmf)
    return out


# --------------------------------------------------------------------------
# 10. Binomial distribution
# --------------------------------------------------------------------------

BINOM_NS = [1, 10, 60, 374, 1000, 20000, 2000000]
BINOM_PS = [0.5, 0.01, 0.99, 0.3]


def binom_dist_cases():
    out = []
    for p in BINOM_PS:
        for n in BINOM_NS:
            mean, sd = n * p, math.sqrt(n * p * (1 - p))
            ks = {0, 1, n - 1, n} | {int(round(mean + j * sd)) for j in (-6, -3, -1, 0, 1, 3, 6)}
            for k in sorted(k for k in ks if 0 <= k <= n):
                code = (f"pmf = scipy.stats.binom.pmf({k}, {n}, {lit(p)}); "
                        f"cdf = scipy.stats.binom.cdf({k}, {n}, {lit(p)}); "
                        f"sf = scipy.stats.binom.sf({k}, {n}, {lit(p)})")
                pmf, cdf, sf = run(code, "pmf", "cdf", "sf")
                out.append(check_finite({"k": k, "n": n, "p": p, "pmf": pmf, "cdf": cdf,
                                         "sf": sf, "call": code}))
                note_diff("binom_dist", pmf, mp_binom_pmf(k, n, p))
                note_diff("binom_dist", cdf, mp_binom_cdf(k, n, p))
                note_diff("binom_dist", sf, mp_binom_sf(k, n, p))
    return out


# --------------------------------------------------------------------------
# 11./12. PHEindicatormethods published test data
# --------------------------------------------------------------------------

def parse_confidence(text):
    """'95%' -> 0.95, '99.8%' -> 0.998."""
    return float(Fraction(text.rstrip("%")) / 100)


def phe_byar_wilson_cases():
    """testdata_Byars_Wilson.xlsx: rows 1:6 Byars (count CI), rows 7:12 Wilson (x/n).

    Row 13 (Byars 99.8% for x=1) is not used by any PHE test, and its lower limit
    is NA, so it is skipped.
    """
    df = pd.read_excel(PHE_DIR / "testdata_Byars_Wilson.xlsx", sheet_name="testdata_B_W")
    out = []
    for row_no in range(1, 13):
        row = df.iloc[row_no - 1]
        method = {"Byars": "byar", "Wilson": "wilson"}[row["method"]]
        assert (method == "byar") == (row_no <= 6)
        c = parse_confidence(row["confidence"])
        out.append(check_finite({
            "method": method, "x": float(row["x"]),
            "n": None if method == "byar" else float(row["n"]),
            "confidence": c, "lower": float(row["lowercl"]), "upper": float(row["uppercl"]),
            "source": f"{PHE_SOURCE}testdata_Byars_Wilson.xlsx row {row_no}"}, allow_null=("n",)))
        z = mp_z(c)
        x = mp.mpf(float(row["x"]))
        if method == "byar":
            note_diff("phe_byar_wilson (vs mpmath formula)", out[-1]["lower"],
                      x * (1 - 1 / (9 * x) - z / (3 * mp.sqrt(x))) ** 3)
            note_diff("phe_byar_wilson (vs mpmath formula)", out[-1]["upper"],
                      (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * mp.sqrt(x + 1))) ** 3)
        else:
            # PHE formula (2x + z^2 -/+ z*sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2)); x may be non-integer
            n = mp.mpf(float(row["n"]))
            root = z * mp.sqrt(z * z + 4 * x * (1 - x / n))
            note_diff("phe_byar_wilson (vs mpmath formula)", out[-1]["lower"],
                      (2 * x + z * z - root) / (2 * (n + z * z)))
            note_diff("phe_byar_wilson (vs mpmath formula)", out[-1]["upper"],
                      (2 * x + z * z + root) / (2 * (n + z * z)))
    required = [("byar", 65.0, 0.95, 50.16318771045, 82.84913854593),
                ("wilson", 65.0, 0.95, 0.5525444330, 0.7363575176)]
    for method, x, c, lower, upper in required:
        assert any(e["method"] == method and e["x"] == x and e["confidence"] == c
                   and abs(e["lower"] - lower) < 1e-10 and abs(e["upper"] - upper) < 1e-10
                   for e in out), (method, x)
    return out


def mp_phe_rate_ci(x, c):
    """PHE 'auto' CI for a count: exact (Garwood) below 10, Byar from 10."""
    a = mp_lower_tail(c)
    if x < 10:
        lower = mp.mpf(0) if x == 0 else mp_gamma_quantile(x, a)
        return lower, mp_gamma_quantile(x + 1, a, upper=True)
    z = mp_z(c)
    x = mp.mpf(x)
    return (x * (1 - 1 / (9 * x) - z / (3 * mp.sqrt(x))) ** 3,
            (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * mp.sqrt(x + 1))) ** 3)


def phe_rate_cases():
    """testdata_Rate.xlsx. Sheet testdata_Rate, rows 1:16 and 20, at 95% (cols E:F) and
    99.8% (cols G:H). Sheet testdata_Rate_g (grouped sums), rows 1:8 and 12, at 95%.
    Rows with NA inputs (testdata_Rate 17:19, testdata_Rate_g 9:11) are skipped.
    """
    path = PHE_DIR / "testdata_Rate.xlsx"
    sheets = {
        "testdata_Rate": (list(range(1, 17)) + [20],
                          [(0.95, "lower95_0cl", "upper95_0cl"),
                           (0.998, "lower99_8cl", "upper99_8cl")]),
        "testdata_Rate_g": (list(range(1, 9)) + [12], [(0.95, "lowercl", "uppercl")]),
    }
    out = []
    for sheet, (rows, cis) in sheets.items():
        df = pd.read_excel(path, sheet_name=sheet)
        for row_no in rows:
            row = df.iloc[row_no - 1]
            count, denom = float(row["Numerator"]), float(row["Denominator"])
            method = {"Exact": "exact", "Byars": "byar"}[row["method"]]
            assert (method == "exact") == (count < 10)
            for c, lcol, ucol in cis:
                if sheet == "testdata_Rate_g":
                    assert parse_confidence(row["confidence"]) == c
                entry = check_finite({
                    "count": count, "denominator": denom, "multiplier": float(row["multiplier"]),
                    "confidence": c, "value": float(row["value"]), "lower": float(row[lcol]),
                    "upper": float(row[ucol]), "method": method,
                    "source": f"{PHE_SOURCE}testdata_Rate.xlsx sheet {sheet} row {row_no} "
                              f"(columns value, {lcol}, {ucol})"})
                out.append(entry)
                scale = mp.mpf(entry["multiplier"]) / mp.mpf(denom)
                ml, mu = mp_phe_rate_ci(int(count), c)
                note_diff("phe_rate (vs mpmath formula)", entry["lower"], ml * scale)
                note_diff("phe_rate (vs mpmath formula)", entry["upper"], mu * scale)
                note_diff("phe_rate (vs mpmath formula)", entry["value"], count * scale)
    return out


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------

def dump(doc):
    """Top level indented, one array entry per line."""
    lines = ["{"]
    keys = list(doc)
    for i, key in enumerate(keys):
        sep = "," if i < len(keys) - 1 else ""
        value = doc[key]
        if isinstance(value, list):
            lines.append(f"  {json.dumps(key)}: [")
            for j, entry in enumerate(value):
                esep = "," if j < len(value) - 1 else ""
                lines.append("    " + json.dumps(entry, allow_nan=False) + esep)
            lines.append("  ]" + sep)
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}{sep}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    global PHE_DIR
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phe", type=Path, default=PHE_DIR,
                        help="folder of the PHEindicatormethods test spreadsheets "
                             "(default: ../shared/data/reference/pheindicatormethods)")
    PHE_DIR = parser.parse_args().phe
    if not PHE_DIR.is_dir():
        sys.exit(f"{PHE_DIR} is not a folder: pass --phe with the PHEindicatormethods test data")
    sections = {
        "garwood": garwood_cases,
        "byar": byar_cases,
        "binomtest": binomtest_cases,
        "poisson_2indep": poisson_2indep_cases,
        "exact_ratio_ci": exact_ratio_ci_cases,
        "score_ratio_ci": score_ratio_ci_cases,
        "wilson": wilson_cases,
        "newcombe": newcombe_cases,
        "poisson_cdf": poisson_cdf_cases,
        "binom_dist": binom_dist_cases,
        "phe_byar_wilson": phe_byar_wilson_cases,
        "phe_rate": phe_rate_cases,
    }
    doc = {
        "generated_by": "scripts/generate_reference_values.py",
        "versions": {
            "python": platform.python_version(),
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "mpmath": mp.__version__,
        },
    }
    for name, build in sections.items():
        doc[name] = build()
        print(f"{name:16s} {len(doc[name]):5d} entries", file=sys.stderr)

    OUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    text = dump(doc)
    json.loads(text)  # round-trip sanity check
    OUT_PATH.write_text(text)
    size = OUT_PATH.stat().st_size
    print(f"wrote {OUT_PATH} ({size} bytes)", file=sys.stderr)
    assert size < 3_000_000, "reference JSON must stay below 3 MB"

    print("\nskipped:", file=sys.stderr)
    for section, case, reason in SKIPPED:
        print(f"  {section} {case}: {reason}", file=sys.stderr)
    print("\nmax relative difference vs 50-digit mpmath (absolute where the reference is 0):",
          file=sys.stderr)
    for section, (diff, got, ref) in CROSSCHECK.items():
        print(f"  {section:45s} {diff:.3g}   (worst: {got!r} vs {ref})", file=sys.stderr)


if __name__ == "__main__":
    main()
