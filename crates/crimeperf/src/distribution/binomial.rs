//! The binomial distribution: mass, tails, the exact two-sided test and the Clopper–Pearson
//! interval.
//!
//! Functions take the success probability twice, as `p` and `q = 1 − p`, so that callers who know
//! `q` more accurately than `1 − p` (a log odds near ±30, an exposure share near 1) do not lose it.

use super::cornish_fisher::{self, log_gamma_cumulant_pair, LogGammaCumulants};
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
    /// From `p` in `[0, 1]`, unchecked: for the crate's own callers, which know `p` is a
    /// probability.
    pub(crate) fn new(p: f64) -> Self {
        Probability { p, q: 1.0 - p }
    }

    /// From `p`, which must be a probability.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`](crate::Error::InvalidValue) unless `0 ≤ p ≤ 1` (NaN included).
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::distribution::binomial::Probability;
    ///
    /// let half = Probability::try_new(0.5)?;
    /// assert_eq!((half.p, half.q), (0.5, 0.5));
    /// assert!(Probability::try_new(1.5).is_err());
    /// assert!(Probability::try_new(f64::NAN).is_err());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn try_new(p: f64) -> crate::Result<Self> {
        if (0.0..=1.0).contains(&p) {
            Ok(Probability::new(p))
        } else {
            Err(crate::Error::InvalidValue {
                what: "probability",
                reason: "must be between 0 and 1",
                value: p,
            })
        }
    }

    /// From a share `a / (a + b)` of two positive weights, with `q = b / (a + b)` exactly.
    pub fn share(a: f64, b: f64) -> Self {
        Probability {
            p: a / (a + b),
            q: b / (a + b),
        }
    }

    /// From log odds `θ = ln(p / q)`.
    ///
    /// # Formula
    ///
    /// With `e = exp(−|θ|)`, the larger of `p` and `q` is `1/(1 + e)` and the smaller `e/(1 + e)`:
    /// one exponential instead of one for each, and one that cannot overflow. Both keep their
    /// relative precision however far `θ` is from 0.
    pub fn from_log_odds(theta: f64) -> Self {
        let e = (-theta.abs()).exp();
        let larger = 1.0 / (1.0 + e);
        let smaller = e * larger;
        if theta >= 0.0 {
            Probability {
                p: larger,
                q: smaller,
            }
        } else {
            Probability {
                p: smaller,
                q: larger,
            }
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
/// assert!((pmf(206, 374, Probability::try_new(0.5)?) - 0.005992629026119257).abs() < 1e-16);
/// # Ok::<(), crimeperf::Error>(())
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
/// assert!((cdf(168, 374, Probability::try_new(0.5)?) - 0.027786992596689094).abs() < 1e-15);
/// # Ok::<(), crimeperf::Error>(())
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
/// assert!((sf_from(206, 374, Probability::try_new(0.5)?) - 0.027786992596689094).abs() < 1e-15);
/// # Ok::<(), crimeperf::Error>(())
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
///
/// The ratio of the term for `j − 1` to that for `j` is `j/(n − j + 1) · q/p`.
fn sum_downwards(k: u64, n: u64, prob: Probability) -> f64 {
    sum_of_ratio_terms(k as f64, (n - k + 1) as f64, prob.q / prob.p)
}

/// `Σ_{j ≥ k} P(X = j) / P(X = k)` from `k` up; the terms shrink when `k > np − q`.
///
/// The ratio of the term for `j + 1` to that for `j` is `(n − j)/(j + 1) · p/q`.
fn sum_upwards(k: u64, n: u64, prob: Probability) -> f64 {
    sum_of_ratio_terms((n - k) as f64, (k + 1) as f64, prob.p / prob.q)
}

/// How many terms [`sum_of_ratio_terms`] works out over one division: two halves of four.
const BLOCK: f64 = 8.0;

/// `1 + t₁ + t₂ + …` with `t_i = t_{i−1} · (a − i + 1) f / (d + i − 1)`, `t₀ = 1`: both binomial
/// tail sums, with `a` the first numerator (which counts down to 0, where the terms stop), `d` the
/// first denominator and `f` the odds. The ratios must be below 1 and falling (the terms shrink),
/// so that the sum may stop once a term is below `1e-17` of it.
///
/// # Formula
///
/// The terms are taken eight at a time over a common denominator, so that a block costs one
/// division instead of eight, and the two halves of a block are worked out side by side (see
/// [`Lanes`]). On the year-on-year benchmark pairs this cut the instructions spent in the tail
/// sums from about 500 to about 175 million per 100,000 changes (callgrind). For four
/// consecutive ratios `a_i/d_i`, `i = 1 … 4`, relative to the term before them,
///
/// `S = a₁(d₂d₃d₄ + a₂(d₃d₄ + a₃(d₄ + a₄)))` is the sum of the four terms times `D = d₁d₂d₃d₄`,
/// and `A = a₁a₂a₃a₄` the last of them times `D`.
///
/// With `(S, A, D)` and `(S', A', D')` for the two halves of a block and `t` the term before it,
/// the block adds `t/(DD') · (S D' + A S')` to the sum and leaves `t/(DD') · A A'` as the last
/// term.
///
/// Every quantity is positive (a zero numerator ends the sum inside its block, and the negative
/// ones after it are multiplied by it), so the block sum carries a few rounding errors of 1e-16
/// relative, as the term-by-term sum did. The products cannot overflow: `a_i < d_i ≤ n + 8` since
/// the ratios are below 1, and `n ≤ 2·10⁹`, so `DD' < 10⁷⁵`. They may underflow only once the terms
/// are far below the sum, where 0 is as good. Whole numbers are counted in `f64` (exact below
/// 2⁵³) so that no integer conversion is paid per term.
fn sum_of_ratio_terms(first_numerator: f64, first_denominator: f64, odds: f64) -> f64 {
    let odds = Lanes::splat(odds);
    let (one, two, three, block) = (
        Lanes::splat(1.0),
        Lanes::splat(2.0),
        Lanes::splat(3.0),
        Lanes::splat(BLOCK),
    );
    let mut a = Lanes::new(first_numerator, first_numerator - 4.0);
    let mut d = Lanes::new(first_denominator, first_denominator + 4.0);
    let (mut term, mut sum) = (1.0, 1.0);
    while a.get()[0] > 0.0 {
        // The two halves side by side: `(S, A, D)` of each.
        let (a1, a2) = (a * odds, (a - one) * odds);
        let (a3, a4) = ((a - two) * odds, (a - three) * odds);
        let (d2, d3, d4) = (d + one, d + two, d + three);
        let d34 = d3 * d4;
        let d234 = d2 * d34;
        let [s1, s2] = (a1 * (d234 + a2 * (d34 + a3 * (d4 + a4)))).get();
        let [last1, last2] = ((a1 * a2) * (a3 * a4)).get();
        let [d1, d2] = (d * d234).get();
        let scale = term / (d1 * d2);
        sum += scale * (s1 * d2 + last1 * s2);
        term = scale * (last1 * last2);
        if term <= sum * 1e-17 {
            break;
        }
        a = a - block;
        d = d + block;
    }
    sum
}

/// Two `f64` worked on together: the halves of a block of [`sum_of_ratio_terms`], written as
/// such so that the compiler can keep them in the two lanes of one vector register.
#[derive(Clone, Copy)]
struct Lanes([f64; 2]);

impl Lanes {
    fn new(first: f64, second: f64) -> Self {
        Lanes([first, second])
    }

    fn splat(x: f64) -> Self {
        Lanes([x, x])
    }

    fn get(self) -> [f64; 2] {
        self.0
    }
}

impl std::ops::Add for Lanes {
    type Output = Lanes;
    fn add(self, other: Lanes) -> Lanes {
        Lanes([self.0[0] + other.0[0], self.0[1] + other.0[1]])
    }
}

impl std::ops::Sub for Lanes {
    type Output = Lanes;
    fn sub(self, other: Lanes) -> Lanes {
        Lanes([self.0[0] - other.0[0], self.0[1] - other.0[1]])
    }
}

impl std::ops::Mul for Lanes {
    type Output = Lanes;
    fn mul(self, other: Lanes) -> Lanes {
        Lanes([self.0[0] * other.0[0], self.0[1] * other.0[1]])
    }
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
/// let p = two_sided_test(206, 374, Probability::try_new(0.5)?);
/// assert!((p - 0.05557398519337819).abs() < 1e-15);
/// # Ok::<(), crimeperf::Error>(())
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
    // With p = 1/2 and the far side starting at the mirror image of `low`, the two sides are the
    // same terms in the same order (`ratio_up(n − j − 1)` is `1/ratio_up(j)`, to the bit, with
    // odds 1), so one side is summed and doubled.
    let symmetric = prob.p == prob.q && low + high == n;
    let p_value = if ((high - low) as f64) < 4.0 * sd {
        // p = 1 − P(low < X < high): few terms, and p is large enough that the absolute
        // accuracy of the complement (about 1e-15) is what matters.
        let odds = prob.p / prob.q;
        let (mut term, mut middle) = (mass_low, 0.0);
        if symmetric {
            // The outcomes strictly between are symmetric about n/2: the lower half twice, and
            // the centre once when there is one (n even).
            let inside = high - low - 1;
            for j in low..low + inside / 2 {
                term *= ratio_up(j, n, odds);
                middle += term;
            }
            middle *= 2.0;
            if inside % 2 == 1 {
                middle += term * ratio_up(low + inside / 2, n, odds);
            }
        } else {
            for j in low..high - 1 {
                term *= ratio_up(j, n, odds);
                middle += term;
            }
        }
        1.0 - middle
    } else {
        let lower_tail = if low >= n {
            1.0
        } else {
            mass_low * sum_downwards(low, n, prob)
        };
        if symmetric {
            2.0 * lower_tail
        } else {
            let mass_high = if k < m { mass_m } else { mass_k };
            let upper_tail = mass_high * sum_upwards(high, n, prob);
            lower_tail + upper_tail
        }
    };
    (p_value.clamp(0.0, 1.0), mass_k)
}

/// Lancaster's two-sided mid-p value of `k` successes in `n` trials against probability `p`:
/// twice the smaller one-sided mid-p, capped at 1.
///
/// # Formula
///
/// `min(1, 2·min(P(X < k) + ½P(X = k), P(X > k) + ½P(X = k)))` — H. O. Lancaster (1961),
/// "Significance tests in discrete distributions", JASA 56, 223–234; A. Agresti (2013),
/// *Categorical Data Analysis*, 3rd ed., §1.4.5. Each one-sided mid-p is the tail that holds
/// `k` less half its mass, `P(X ≤ k) − ½P(X = k)`, summed outwards from `k` so that small
/// values keep their relative precision. Not statsmodels' `"cond-midp"`, which is the minlike
/// p-value of [`two_sided_test`] less half the point probability.
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::binomial::{mid_p_test, Probability};
///
/// // 2 * scipy.stats.binom.sf(206, 374, 0.5) + scipy.stats.binom.pmf(206, 374, 0.5)
/// //   = 2 * 0.02179436357057 + 0.005992629026119257 = 0.04958135616725893
/// let p = mid_p_test(206, 374, Probability::try_new(0.5)?);
/// assert!((p - 0.04958135616725893).abs() < 1e-15);
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn mid_p_test(k: u64, n: u64, prob: Probability) -> f64 {
    let fixed = FixedMass::new(k, n);
    mid_p_with_mass(&fixed, prob, fixed.at(prob))
}

/// [`mid_p_test`] of `fixed.k` in `fixed.n`, given `P(X = k)` (which the minlike test has
/// already found).
pub(crate) fn mid_p_with_mass(fixed: &FixedMass, prob: Probability, mass_k: f64) -> f64 {
    let (k, n) = (fixed.k, fixed.n);
    let half = 0.5 * mass_k;
    // P(X ≤ k) − ½P(X = k) and P(X ≥ k) − ½P(X = k); each tail is at least the mass at k, so
    // taking half of it away loses no digits.
    let below = if k >= n {
        1.0
    } else {
        cdf_from_mass(k, n, prob, mass_k)
    } - half;
    let above = if k == 0 {
        1.0
    } else {
        sf_from_mass(k, n, prob, mass_k)
    } - half;
    (2.0 * below.min(above)).clamp(0.0, 1.0)
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
    clopper_pearson_with(&FixedMass::new(k, n), tail, -super::normal::quantile(tail))
}

/// [`clopper_pearson_log_odds`] for `fixed.k` successes in `fixed.n` trials, given the upper
/// normal quantile `z = −Φ⁻¹(tail)` (which a caller that has a [`Confidence`](crate::Confidence)
/// already holds, so it is not worked out twice).
pub(crate) fn clopper_pearson_with(fixed: &FixedMass, tail: f64, z: f64) -> (f64, f64) {
    let (k, n) = (fixed.k, fixed.n);
    let target = tail.ln();
    let (kf, nf) = (k as f64, n as f64);
    // The limits are quantiles of logit Beta(k, n − k + 1) and logit Beta(k + 1, n − k): the
    // cumulants at k and k + 1 come from one evaluation of the series, as do those at n − k and
    // n − k + 1. (At k = 0 or k = n one of each pair is at 0 and never used.)
    let [at_k, above_k] = log_gamma_cumulant_pair(kf);
    let [at_rest, above_rest] = log_gamma_cumulant_pair(nf - kf);
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
        let start = logit_beta_quantile(kf, nf - kf + 1.0, at_k, above_rest, -z)
            .unwrap_or_else(|| wilson_log_odds(k, n, -z));
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
        let start = logit_beta_quantile(kf + 1.0, nf - kf, above_k, at_rest, z)
            .unwrap_or_else(|| wilson_log_odds(k, n, z));
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
/// The cumulants of `ln G_a` and `ln G_b` are passed in, as
/// [`cornish_fisher::log_gamma_cumulants`] gives them at `a` and `b`, because a caller solving for
/// both limits has them for `k`, `k + 1`, `n − k` and `n − k + 1` from two evaluations of the
/// series rather than four. `None` where the expansion diverges (see
/// [`cornish_fisher::trusted`]).
fn logit_beta_quantile(
    a: f64,
    b: f64,
    (ya, pa): LogGammaCumulants,
    (yb, pb): LogGammaCumulants,
    z: f64,
) -> Option<f64> {
    if !cornish_fisher::trusted(a.min(b), z) {
        return None;
    }
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
    use super::super::cornish_fisher::log_gamma_cumulants;
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
                    let (at_a, at_b) = (log_gamma_cumulants(a), log_gamma_cumulants(b));
                    let sd = (at_a.1[1] + at_b.1[1]).sqrt();
                    let start = logit_beta_quantile(a, b, at_a, at_b, z).unwrap_or(f64::NAN);
                    let error = (start - limit).abs() / sd;
                    assert!(error < 2e-4, "k={k} n={n} tail={tail}: {error:e} sd");
                }
            }
        }
    }

    #[test]
    fn blocked_tail_sums_match_the_term_by_term_sums() {
        // The plain recurrence the blocked sum replaced, one division per term.
        let reference = |a: u64, d: u64, odds: f64| {
            let (mut term, mut sum) = (1.0, 1.0);
            for i in 0..a {
                term *= (a - i) as f64 / (d + i) as f64 * odds;
                sum += term;
                if term <= sum * 1e-17 {
                    break;
                }
            }
            sum
        };
        // Short sums that end at a zero numerator inside either half of a block, long ones that
        // stop on the size of the terms, and odds from 0 to nearly 1.
        for (a, d) in [
            (0, 1),
            (1, 5),
            (3, 2),
            (4, 9),
            (5, 3),
            (7, 1),
            (8, 8),
            (9, 40),
        ]
        .into_iter()
        .chain([
            (500, 501),
            (1_000, 40_000),
            (400_000, 400_001),
            (30, 999_971),
        ]) {
            for odds in [0.0, 1e-300, 0.01, 0.5, 0.9, 1.0] {
                if (a as f64) * odds >= d as f64 {
                    continue; // the terms would not shrink
                }
                let (blocked, plain) = (
                    sum_of_ratio_terms(a as f64, d as f64, odds),
                    reference(a, d, odds),
                );
                assert!(
                    (blocked - plain).abs() <= 1e-14 * plain,
                    "a={a} d={d} odds={odds}: {blocked} {plain}"
                );
            }
        }
    }

    #[test]
    fn the_symmetric_test_is_twice_the_nearer_tail() {
        // With p = 1/2 and k well below n/2 the p-value is 2 P(X ≤ k); the test sums one side
        // (or halves the middle) and `cdf` sums the tail on its own.
        let half = Probability::new(0.5);
        for n in [2u64, 5, 10, 51, 374, 1_000, 77_777, 1_000_000] {
            let sd = (n as f64).sqrt() / 2.0;
            for offset in [
                1.0,
                0.5 * sd,
                sd,
                2.0 * sd,
                3.9 * sd,
                4.1 * sd,
                8.0 * sd,
                30.0 * sd,
            ] {
                let k = (n as f64 / 2.0 - offset).floor();
                if k < 0.0 {
                    continue;
                }
                let k = k as u64;
                let expected = (2.0 * cdf(k, n, half)).min(1.0);
                let p = two_sided_test(k, n, half);
                assert!(
                    (p - expected).abs() <= 1e-14 * expected + 1e-15,
                    "k={k} n={n}: {p} {expected}"
                );
                // The mirror image starts from the mass at n − k, which may differ in the last bit.
                let mirrored = two_sided_test(n - k, n, half);
                assert!(
                    (mirrored - p).abs() <= 1e-15 * p,
                    "k={k} n={n}: {mirrored} {p}"
                );
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
