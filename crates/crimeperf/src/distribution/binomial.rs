//! The binomial distribution: mass, tails, the exact two-sided test and the Clopper–Pearson
//! interval.
//!
//! Functions take the success probability twice, as `p` and `q = 1 − p`, so that callers who know
//! `q` more accurately than `1 − p` (a log odds near ±30, an exposure share near 1) do not lose it.

use super::cornish_fisher::{self, log_gamma_cumulants};
use super::root::{self, Evaluation};
use super::stirling::{bd0, stirlerr, LN_SQRT_2PI};

/// A success probability held as both `p` and `q = 1 − p`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probability {
    /// The probability of success.
    pub p: f64,
    /// The probability of failure, `1 − p`.
    pub q: f64,
}

impl Probability {
    /// From `p` in `[0, 1]`.
    pub fn new(p: f64) -> Self {
        Probability { p, q: 1.0 - p }
    }

    /// From a share `a / (a + b)` of two positive weights, with `q = b / (a + b)` exactly.
    pub fn share(a: f64, b: f64) -> Self {
        Probability {
            p: a / (a + b),
            q: b / (a + b),
        }
    }

    /// From log odds `θ = ln(p / q)`.
    pub fn from_log_odds(theta: f64) -> Self {
        Probability {
            p: 1.0 / (1.0 + (-theta).exp()),
            q: 1.0 / (1.0 + theta.exp()),
        }
    }
}

/// `P(X = k)` for `X ~ Binomial(n, p)`.
///
/// # Formula
///
/// Loader (2000): `exp(stirlerr(n) − stirlerr(k) − stirlerr(n−k) − bd0(k, np) − bd0(n−k, nq))`
/// `· √(n / (2π k (n−k)))`, with the end points `q^n` and `p^n` done separately.
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::binomial::{pmf, Probability};
///
/// // scipy.stats.binom.pmf(206, 374, 0.5) = 0.005992629026119257
/// assert!((pmf(206, 374, Probability::new(0.5)) - 0.005992629026119257).abs() < 1e-16);
/// ```
pub fn pmf(k: u64, n: u64, prob: Probability) -> f64 {
    let Probability { p, q } = prob;
    if k > n {
        return 0.0;
    }
    if p == 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    if q == 0.0 {
        return if k == n { 1.0 } else { 0.0 };
    }
    let nf = n as f64;
    if k == 0 {
        if n == 0 {
            return 1.0;
        }
        let log = if p < 0.1 {
            -bd0(nf, nf * q) - nf * p
        } else {
            nf * q.ln()
        };
        return log.exp();
    }
    if k == n {
        let log = if q < 0.1 {
            -bd0(nf, nf * p) - nf * q
        } else {
            nf * p.ln()
        };
        return log.exp();
    }
    interior_pmf(k, n, prob, MassTerms::new(k, n))
}

/// The terms of `ln P(X = k)` that do not depend on `p`, for `0 < k < n`.
///
/// They are kept apart rather than summed so that [`interior_pmf`] adds them in the order it
/// always has: the masses, and the p-values summed from them, are the same to the last bit.
#[derive(Debug, Clone, Copy)]
struct MassTerms {
    /// `stirlerr(n) − stirlerr(k) − stirlerr(n − k)`.
    stirling: f64,
    /// `½ ln(k (n − k) / n)`.
    half_log: f64,
}

impl MassTerms {
    fn new(k: u64, n: u64) -> Self {
        let (kf, nf, rest) = (k as f64, n as f64, (n - k) as f64);
        MassTerms {
            stirling: stirlerr(n) - stirlerr(k) - stirlerr(n - k),
            half_log: 0.5 * (kf * (rest / nf)).ln(),
        }
    }
}

/// `P(X = k)` for `0 < k < n` and `0 < p < 1`, given `MassTerms::new(k, n)`.
fn interior_pmf(k: u64, n: u64, prob: Probability, terms: MassTerms) -> f64 {
    let nf = n as f64;
    let log = terms.stirling
        - bd0(k as f64, nf * prob.p)
        - bd0((n - k) as f64, nf * prob.q)
        - LN_SQRT_2PI
        - terms.half_log;
    log.exp()
}

/// `P(X = k)` for a fixed `k` and `n` as `p` varies, as [`pmf`] computes it, with the Stirling
/// terms (which depend on `k` and `n` only) worked out once: a change needs the mass at `k` for
/// its test and for each step of its two Clopper–Pearson solves, each at a different `p`.
pub(crate) struct FixedMass {
    k: u64,
    n: u64,
    /// The terms that depend on `k` and `n` only, when `0 < k < n`.
    terms: Option<MassTerms>,
}

impl FixedMass {
    /// The mass at `k` of `n` trials, `k ≤ n`.
    pub(crate) fn new(k: u64, n: u64) -> Self {
        let terms = (0 < k && k < n).then(|| MassTerms::new(k, n));
        FixedMass { k, n, terms }
    }

    /// `P(X = k)` at `prob`.
    fn at(&self, prob: Probability) -> f64 {
        match self.terms {
            Some(terms) if prob.p > 0.0 && prob.q > 0.0 => {
                interior_pmf(self.k, self.n, prob, terms)
            }
            _ => pmf(self.k, self.n, prob),
        }
    }
}

/// `P(X ≤ k)` for `X ~ Binomial(n, p)`.
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::binomial::{cdf, Probability};
///
/// // scipy.stats.binom.cdf(168, 374, 0.5) = 0.027786992596689094
/// assert!((cdf(168, 374, Probability::new(0.5)) - 0.027786992596689094).abs() < 1e-15);
/// ```
pub fn cdf(k: u64, n: u64, prob: Probability) -> f64 {
    if k >= n {
        return 1.0;
    }
    cdf_from_mass(k, n, prob, pmf(k, n, prob))
}

/// `P(X ≥ k)` for `X ~ Binomial(n, p)` (the tail that contains `k`).
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::binomial::{sf_from, Probability};
///
/// // scipy.stats.binom.sf(205, 374, 0.5) = 0.027786992596689094
/// assert!((sf_from(206, 374, Probability::new(0.5)) - 0.027786992596689094).abs() < 1e-15);
/// ```
pub fn sf_from(k: u64, n: u64, prob: Probability) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    sf_from_mass(k, n, prob, pmf(k, n, prob))
}

/// `P(X = j + 1) / P(X = j)`.
fn ratio_up(j: u64, n: u64, odds: f64) -> f64 {
    (n - j) as f64 / (j + 1) as f64 * odds
}

/// `P(X ≤ k)` for `k < n`, given `head = P(X = k)`.
fn cdf_from_mass(k: u64, n: u64, prob: Probability, head: f64) -> f64 {
    if (k as f64) < n as f64 * prob.p + prob.p {
        head * sum_downwards(k, n, prob)
    } else {
        let next = head * ratio_up(k, n, prob.p / prob.q);
        (1.0 - next * sum_upwards(k + 1, n, prob)).max(0.0)
    }
}

/// `P(X ≥ k)` for `1 ≤ k ≤ n`, given `head = P(X = k)`.
fn sf_from_mass(k: u64, n: u64, prob: Probability, head: f64) -> f64 {
    if (k as f64) > n as f64 * prob.p - prob.q {
        head * sum_upwards(k, n, prob)
    } else {
        let previous = head / ratio_up(k - 1, n, prob.p / prob.q);
        (1.0 - previous * sum_downwards(k - 1, n, prob)).max(0.0)
    }
}

/// `Σ_{j ≤ k} P(X = j) / P(X = k)` from `k` down; the terms shrink when `k < (n + 1) p`.
fn sum_downwards(k: u64, n: u64, prob: Probability) -> f64 {
    let odds_against = prob.q / prob.p;
    let (mut term, mut sum) = (1.0, 1.0);
    let mut j = k;
    while j > 0 {
        term *= j as f64 / (n - j + 1) as f64 * odds_against;
        sum += term;
        if term <= sum * 1e-17 {
            break;
        }
        j -= 1;
    }
    sum
}

/// `Σ_{j ≥ k} P(X = j) / P(X = k)` from `k` up; the terms shrink when `k > np − q`.
fn sum_upwards(k: u64, n: u64, prob: Probability) -> f64 {
    let odds = prob.p / prob.q;
    let (mut term, mut sum) = (1.0, 1.0);
    let mut j = k;
    while j < n {
        term *= ratio_up(j, n, odds);
        sum += term;
        if term <= sum * 1e-17 {
            break;
        }
        j += 1;
    }
    sum
}

/// The exact two-sided binomial test of `k` successes in `n` trials against probability `p`:
/// the total probability of outcomes no more likely than `k`.
///
/// # Formula
///
/// The "minimum likelihood" p-value of `scipy.stats.binomtest(k, n, p).pvalue`, including its
/// relative tolerance of `1 + 1e-7` when deciding which outcomes are as unlikely as `k`:
/// `P(X ≤ k) + P(X ≥ m)` for `k` below the mean, where `m` is the first outcome above the mean
/// with `P(X = m) ≤ P(X = k)·(1 + 1e-7)`, and the mirror image above the mean. Capped at 1.
///
/// Near the mean it is computed as one minus the outcomes strictly between `k` and `m` (a short
/// sum); further out as the two tails, which keeps small p-values to full relative precision.
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::binomial::{two_sided_test, Probability};
///
/// // scipy.stats.binomtest(206, 374, 0.5).pvalue = 0.05557398519337819
/// let p = two_sided_test(206, 374, Probability::new(0.5));
/// assert!((p - 0.05557398519337819).abs() < 1e-15);
/// ```
pub fn two_sided_test(k: u64, n: u64, prob: Probability) -> f64 {
    two_sided_test_and_mass(&FixedMass::new(k, n), prob).0
}

/// [`two_sided_test`] of `fixed.k` in `fixed.n`, and `P(X = k)`, which the test needs anyway and
/// the mid-p value needs too.
pub(crate) fn two_sided_test_and_mass(fixed: &FixedMass, prob: Probability) -> (f64, f64) {
    let (k, n) = (fixed.k, fixed.n);
    let nf = n as f64;
    let mean = prob.p * nf;
    let kf = k as f64;
    let mass_k = fixed.at(prob);
    if kf == mean {
        return (1.0, mass_k);
    }
    if mass_k == 0.0 {
        // The mass underflows only some 37 standard deviations or more from the mean, where every
        // outcome as unlikely as k has mass 0 too: the sums below would come to exactly 0, but
        // only after the search for the far side had walked and bisected through them.
        return (0.0, 0.0);
    }
    let threshold = mass_k * (1.0 + 1e-7);
    // The outcomes on the far side of the mean that are no more likely than k: from `mirror` on.
    // The search starts at the mirror image of k about the mean; with p = 1/2 (equal exposures,
    // the usual case) the distribution is symmetric and the mass there is k's own.
    let guess = (2.0 * mean - kf).round().clamp(0.0, nf) as u64;
    let mass_guess = if prob.p == prob.q {
        mass_k
    } else {
        pmf(guess, n, prob)
    };
    let mirror = if kf < mean {
        first_at_most(
            mean.ceil() as u64,
            n,
            (guess, mass_guess),
            n,
            prob,
            threshold,
        )
    } else {
        last_at_most(mean.floor() as u64, (guess, mass_guess), n, prob, threshold)
    };
    let (Some((m, mass_m)), true) = (mirror, n > 0) else {
        // Nothing on the far side is as unlikely as k: the p-value is k's own tail, summed from
        // the mass already in hand (k < n when below the mean, k ≥ 1 when above it).
        let tail = if kf < mean {
            cdf_from_mass(k, n, prob, mass_k)
        } else {
            sf_from_mass(k, n, prob, mass_k)
        };
        return (tail.min(1.0), mass_k);
    };
    let (low, high, mass_low) = if k < m {
        (k, m, mass_k)
    } else {
        (m, k, mass_m)
    };
    let sd = (nf * prob.p * prob.q).sqrt();
    let p_value = if ((high - low) as f64) < 4.0 * sd {
        // p = 1 − P(low < X < high): few terms, and p is large enough that the absolute
        // accuracy of the complement (about 1e-15) is what matters.
        let odds = prob.p / prob.q;
        let (mut term, mut middle) = (mass_low, 0.0);
        for j in low..high - 1 {
            term *= ratio_up(j, n, odds);
            middle += term;
        }
        1.0 - middle
    } else {
        let lower_tail = if low >= n {
            1.0
        } else {
            mass_low * sum_downwards(low, n, prob)
        };
        let mass_high = if k < m { mass_m } else { mass_k };
        let upper_tail = mass_high * sum_upwards(high, n, prob);
        lower_tail + upper_tail
    };
    (p_value.clamp(0.0, 1.0), mass_k)
}

/// The smallest `j` in `from..=to` with `P(X = j) ≤ threshold`, and its mass, where the mass
/// falls with `j`. Walks from `guess` (whose mass is known), with binary search as the fallback
/// for strongly skewed cases.
fn first_at_most(
    from: u64,
    to: u64,
    (guess, mass_guess): (u64, f64),
    n: u64,
    prob: Probability,
    threshold: f64,
) -> Option<(u64, f64)> {
    if from > to {
        return None;
    }
    let odds = prob.p / prob.q;
    let (mut j, mut mass) = if (from..=to).contains(&guess) {
        (guess, mass_guess)
    } else {
        let start = guess.clamp(from, to);
        (start, pmf(start, n, prob))
    };
    for _ in 0..64 {
        if mass <= threshold {
            // Step down while the previous outcome is still no more likely than k.
            if j == from {
                return Some((j, mass));
            }
            let previous = mass / ratio_up(j - 1, n, odds);
            if previous > threshold {
                return Some((j, mass));
            }
            j -= 1;
            mass = previous;
        } else {
            if j == to {
                return None;
            }
            mass *= ratio_up(j, n, odds);
            j += 1;
        }
    }
    // The guess was far off: binary search over the monotone range.
    if pmf(to, n, prob) > threshold {
        return None;
    }
    let (mut low, mut high) = (from, to);
    while low < high {
        let mid = low + (high - low) / 2;
        if pmf(mid, n, prob) <= threshold {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    Some((low, pmf(low, n, prob)))
}

/// The largest `j` in `0..=to` with `P(X = j) ≤ threshold`, and its mass, where the mass rises
/// with `j`.
fn last_at_most(
    to: u64,
    (guess, mass_guess): (u64, f64),
    n: u64,
    prob: Probability,
    threshold: f64,
) -> Option<(u64, f64)> {
    let odds = prob.p / prob.q;
    let (mut j, mut mass) = if guess <= to {
        (guess, mass_guess)
    } else {
        (to, pmf(to, n, prob))
    };
    for _ in 0..64 {
        if mass <= threshold {
            if j == to {
                return Some((j, mass));
            }
            let next = mass * ratio_up(j, n, odds);
            if next > threshold {
                return Some((j, mass));
            }
            j += 1;
            mass = next;
        } else {
            if j == 0 {
                return None;
            }
            mass /= ratio_up(j - 1, n, odds);
            j -= 1;
        }
    }
    if pmf(0, n, prob) > threshold {
        return None;
    }
    let (mut low, mut high) = (0, to);
    while low < high {
        let mid = low + (high - low).div_ceil(2);
        if pmf(mid, n, prob) <= threshold {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    Some((low, pmf(low, n, prob)))
}

/// The Clopper–Pearson exact limits for the success probability after `k` successes in `n`
/// trials, returned as log odds `ln(p/q)` so that limits near 0 or 1 keep their precision
/// (`-inf` when `k = 0`, `+inf` when `k = n`).
///
/// # Formula
///
/// The lower limit solves `P(X ≥ k) = tail`, the upper `P(X ≤ k) = tail` — the beta quantiles
/// `B_{tail}(k, n−k+1)` and `B_{1−tail}(k+1, n−k)` of `scipy.stats.binomtest(...).proportion_ci(
/// method="exact")`.
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::binomial::clopper_pearson_log_odds;
///
/// let (lower, upper) = clopper_pearson_log_odds(206, 374, 0.025);
/// let to_p = |theta: f64| 1.0 / (1.0 + (-theta).exp());
/// // scipy.stats.binomtest(206, 374).proportion_ci(0.95, "exact")
/// //   = (0.4988208247110061, 0.6019730614463759)
/// assert!((to_p(lower) - 0.4988208247110061).abs() < 1e-13);
/// assert!((to_p(upper) - 0.6019730614463759).abs() < 1e-13);
/// ```
pub fn clopper_pearson_log_odds(k: u64, n: u64, tail: f64) -> (f64, f64) {
    clopper_pearson_with(&FixedMass::new(k, n), tail)
}

/// [`clopper_pearson_log_odds`] for `fixed.k` successes in `fixed.n` trials.
pub(crate) fn clopper_pearson_with(fixed: &FixedMass, tail: f64) -> (f64, f64) {
    let (k, n) = (fixed.k, fixed.n);
    let target = tail.ln();
    let z = -super::normal::quantile(tail);
    let (kf, nf) = (k as f64, n as f64);
    let lower = if k == 0 {
        f64::NEG_INFINITY
    } else {
        // With θ = ln(p/q): T = P(X ≥ k) rises with θ; T' = k q P(X = k), T'' = T' a and
        // T''' = T' (a² − (n + 1) p q), where a = k q − (n − k + 1) p is the slope of ln T'.
        let equation = |theta: f64| {
            let prob = Probability::from_log_odds(theta);
            let mass = fixed.at(prob);
            let t = sf_from_mass(k, n, prob, mass);
            let derivative = kf * prob.q * mass;
            let a = kf * prob.q - (nf - kf + 1.0) * prob.p;
            let a_slope = -(nf + 1.0) * prob.p * prob.q;
            let derivatives = [derivative, derivative * a, derivative * (a * a + a_slope)];
            Evaluation::of_log_tail(t, target, derivatives)
        };
        let start =
            logit_beta_quantile(kf, nf - kf + 1.0, -z).unwrap_or_else(|| wilson_log_odds(k, n, -z));
        root::solve(equation, start, true)
    };
    let upper = if k == n {
        f64::INFINITY
    } else {
        // T = P(X ≤ k) falls as θ rises: T' = −(n − k) p P(X = k), T'' = T' a and
        // T''' = T' (a² − (n + 1) p q), where a = (k + 1) q − (n − k) p.
        let equation = |theta: f64| {
            let prob = Probability::from_log_odds(theta);
            let mass = fixed.at(prob);
            let t = cdf_from_mass(k, n, prob, mass);
            let derivative = -(nf - kf) * prob.p * mass;
            let a = (kf + 1.0) * prob.q - (nf - kf) * prob.p;
            let a_slope = -(nf + 1.0) * prob.p * prob.q;
            let derivatives = [derivative, derivative * a, derivative * (a * a + a_slope)];
            Evaluation::of_log_tail(t, target, derivatives)
        };
        let start =
            logit_beta_quantile(kf + 1.0, nf - kf, z).unwrap_or_else(|| wilson_log_odds(k, n, z));
        root::solve(equation, start, false)
    };
    (lower, upper)
}

/// The Cornish–Fisher approximation to the quantile of `ln(B/(1 − B))`, `B ~ Beta(a, b)`, at the
/// normal deviate `z`: the start of the Clopper–Pearson solve, whose limits are such quantiles.
///
/// `ln(B/(1 − B))` is `ln G_a − ln G_b` for independent gamma variables, so its cumulants are
/// exact: `κ₁ = ψ(a) − ψ(b)` and `κ_r = ψ⁽ʳ⁻¹⁾(a) + (−1)ʳ ψ⁽ʳ⁻¹⁾(b)`. The expansion is within
/// about 1e-4 standard deviations of the quantile when `a` and `b` are about 10, and 1e-7 when they
/// are about 100 (Wilson's interval, the start this replaced, is off by a tenth to a half) — close
/// enough, from totals of a few tens, for a single Halley step to finish the job.
///
/// `None` where the expansion diverges (see [`cornish_fisher::trusted`]).
fn logit_beta_quantile(a: f64, b: f64, z: f64) -> Option<f64> {
    if !cornish_fisher::trusted(a.min(b), z) {
        return None;
    }
    let ((ya, pa), (yb, pb)) = (log_gamma_cumulants(a), log_gamma_cumulants(b));
    // ψ(a) − ψ(b) = ln(y_a/y_b) + (ψ(a) − ln y_a) − (ψ(b) − ln y_b): one logarithm, no
    // cancellation.
    let mean = (ya / yb).ln() + pa[0] - pb[0];
    let higher = [
        pa[1] + pb[1],
        pa[2] - pb[2],
        pa[3] + pb[3],
        pa[4] - pb[4],
        pa[5] + pb[5],
    ];
    Some(cornish_fisher::quantile(mean, higher, z))
}

/// The Wilson limit on the log-odds scale: the starting point for the exact limit where the
/// Cornish–Fisher expansion of [`logit_beta_quantile`] diverges.
fn wilson_log_odds(k: u64, n: u64, signed_z: f64) -> f64 {
    let (x, nf) = (k as f64 + 0.5, n as f64 + 1.0); // continuity-corrected, never 0 or 1
    let z2 = signed_z * signed_z;
    let centre = (x + z2 / 2.0) / (nf + z2);
    let half = signed_z * (x * (nf - x) / nf + z2 / 4.0).sqrt() / (nf + z2);
    let p = (centre + half).clamp(1e-300, 1.0 - 1e-16);
    (p / (1.0 - p)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_add_to_one() {
        for p in [0.5, 0.01, 0.99, 0.3] {
            let prob = Probability::new(p);
            for n in [1u64, 10, 374, 100_000] {
                for k in [0, 1, n / 3, n / 2, n - 1, n] {
                    let total = cdf(k, n, prob) + sf_from(k + 1, n, prob);
                    assert!((total - 1.0).abs() < 1e-13, "k={k} n={n} p={p}");
                }
            }
        }
    }

    #[test]
    fn cornish_fisher_start_is_within_a_ten_thousandth_of_a_standard_deviation() {
        for (k, n) in [
            (10, 20),
            (50, 100),
            (30, 2_000),
            (1_000, 1_500),
            (20_000, 20_100),
        ] {
            for tail in [0.025, 0.0005] {
                let z = super::super::normal::quantile(tail);
                let (lower, upper) = clopper_pearson_log_odds(k, n, tail);
                let (kf, nf) = (k as f64, n as f64);
                for (a, b, z, limit) in [
                    (kf, nf - kf + 1.0, z, lower),
                    (kf + 1.0, nf - kf, -z, upper),
                ] {
                    let sd = (log_gamma_cumulants(a).1[1] + log_gamma_cumulants(b).1[1]).sqrt();
                    let start = logit_beta_quantile(a, b, z).unwrap_or(f64::NAN);
                    let error = (start - limit).abs() / sd;
                    assert!(error < 2e-4, "k={k} n={n} tail={tail}: {error:e} sd");
                }
            }
        }
    }

    #[test]
    fn mass_sums_to_one() {
        let prob = Probability::new(0.37);
        let total: f64 = (0..=200).map(|k| pmf(k, 200, prob)).sum();
        assert!((total - 1.0).abs() < 1e-14);
    }
}
