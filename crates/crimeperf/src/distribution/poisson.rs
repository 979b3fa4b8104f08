//! The Poisson distribution: mass, tails and the exact (Garwood) interval for a count.

use super::cornish_fisher::{self, log_gamma_cumulants};
use super::root::{self, Evaluation};
use super::stirling::{bd0, stirlerr, LN_SQRT_2PI};

/// `P(X = k)` for `X ~ Poisson(mean)`, `mean ≥ 0`.
///
/// # Formula
///
/// Loader's form `exp(−stirlerr(k) − bd0(k, mean)) / √(2πk)`; `e^{−mean}` at `k = 0`.
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::poisson;
///
/// // scipy.stats.poisson.pmf(3, 2.5) = 0.21376301724973648
/// assert!((poisson::pmf(3, 2.5) - 0.21376301724973648).abs() < 1e-15);
/// ```
pub fn pmf(k: u64, mean: f64) -> f64 {
    if mean == 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    if k == 0 {
        return (-mean).exp();
    }
    let x = k as f64;
    (-stirlerr(k) - bd0(x, mean) - LN_SQRT_2PI - 0.5 * x.ln()).exp()
}

/// `P(X ≤ k)` for `X ~ Poisson(mean)`.
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::poisson;
///
/// // scipy.stats.poisson.cdf(152, 170) = 0.08798922527030445
/// assert!((poisson::cdf(152, 170.0) - 0.08798922527030445).abs() < 1e-14);
/// ```
pub fn cdf(k: u64, mean: f64) -> f64 {
    cdf_and_mass(k, mean).0
}

/// `P(X ≥ k)` for `X ~ Poisson(mean)` (note: *at least* `k`, the tail that contains `k`).
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::poisson;
///
/// assert_eq!(poisson::sf_from(0, 3.0), 1.0);
/// assert!((poisson::sf_from(4, 3.0) + poisson::cdf(3, 3.0) - 1.0).abs() < 1e-15);
/// ```
pub fn sf_from(k: u64, mean: f64) -> f64 {
    sf_from_and_mass(k, mean).0
}

/// `(P(X ≤ k), P(X = k))`: the tail and the mass at its edge, which the exact limits need for
/// their derivatives.
fn cdf_and_mass(k: u64, mean: f64) -> (f64, f64) {
    if (k as f64) < mean {
        let head = pmf(k, mean);
        (head * sum_downwards(k, mean), head)
    } else {
        // The upper tail starts at k + 1, whose mass is P(X = k) · mean / (k + 1).
        let head = pmf(k, mean);
        let next = head * mean / (k as f64 + 1.0);
        ((1.0 - next * sum_upwards(k + 1, mean)).max(0.0), head)
    }
}

/// `(P(X ≥ k), P(X = k))` for `k ≥ 1`.
fn sf_from_and_mass(k: u64, mean: f64) -> (f64, f64) {
    if k == 0 {
        return (1.0, pmf(0, mean));
    }
    let head = pmf(k, mean);
    if (k as f64) + 1.0 > mean {
        (head * sum_upwards(k, mean), head)
    } else {
        // The lower tail ends at k − 1, whose mass is P(X = k) · k / mean.
        let previous = head * k as f64 / mean;
        ((1.0 - previous * sum_downwards(k - 1, mean)).max(0.0), head)
    }
}

/// `Σ_{j ≤ k} P(X = j) / P(X = k)`, summed from `k` down; every term shrinks when `k < mean`.
fn sum_downwards(k: u64, mean: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut j = k;
    while j > 0 {
        term *= j as f64 / mean;
        sum += term;
        if term <= sum * 1e-17 {
            break;
        }
        j -= 1;
    }
    sum
}

/// `Σ_{j ≥ k} P(X = j) / P(X = k)`, summed from `k` up; every term shrinks when `mean < k + 1`.
fn sum_upwards(k: u64, mean: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut j = k as f64;
    loop {
        j += 1.0;
        term *= mean / j;
        sum += term;
        if term <= sum * 1e-17 {
            return sum;
        }
    }
}

/// The exact (Garwood, 1936) limits for the mean of a Poisson count `k` at two-sided confidence
/// with `tail = (1 − confidence)/2` in each tail.
///
/// # Formula
///
/// `lower = χ²_{tail}(2k)/2` (0 when `k = 0`) and `upper = χ²_{1−tail}(2k + 2)/2`, found here as
/// the means at which `P(X ≥ k) = tail` and `P(X ≤ k) = tail` — the same numbers, solved in
/// `ln(mean)` so that they keep their relative accuracy from `k = 0` to `k = 10^6`.
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::poisson::garwood;
///
/// // scipy.stats.chi2.ppf(0.025, 130)/2 = 50.16562772923427;
/// // scipy.stats.chi2.ppf(0.975, 132)/2 = 82.84783581587158
/// let (lower, upper) = garwood(65, 0.025);
/// assert!((lower - 50.165_627_729_234_27).abs() < 1e-9);
/// assert!((upper - 82.847_835_815_871_58).abs() < 1e-9);
/// ```
pub fn garwood(k: u64, tail: f64) -> (f64, f64) {
    let z = -super::normal::quantile(tail);
    (garwood_lower(k, tail, z), garwood_upper(k, tail, z))
}

fn garwood_lower(k: u64, tail: f64, z: f64) -> f64 {
    if k == 0 {
        return 0.0;
    }
    let target = tail.ln();
    let kf = k as f64;
    // With φ = ln(mean): T = P(X ≥ k) rises with φ; T' = mean · P(X = k − 1) = k · P(X = k),
    // T'' = T' · (k − mean) and T''' = T' · ((k − mean)² − mean).
    let equation = |log_mean: f64| {
        let mean = log_mean.exp();
        let (t, mass) = sf_from_and_mass(k, mean);
        let derivative = kf * mass;
        let a = kf - mean;
        let derivatives = [derivative, derivative * a, derivative * (a * a - mean)];
        Evaluation::of_log_tail(t, target, derivatives)
    };
    // The lower limit is the `tail` quantile of Gamma(k). Where its expansion is not to be
    // trusted, Byar's (Wilson–Hilferty) approximation, within a fraction of a percent from k ≈ 5.
    let start = log_gamma_quantile(kf, -z).unwrap_or_else(|| {
        let byar = kf * (1.0 - 1.0 / (9.0 * kf) - z / (3.0 * kf.sqrt())).powi(3);
        if byar > 0.0 {
            byar.ln()
        } else {
            start(kf, tail, -1.0)
        }
    });
    root::solve(equation, start, true).exp()
}

fn garwood_upper(k: u64, tail: f64, z: f64) -> f64 {
    let target = tail.ln();
    let k1 = k as f64 + 1.0;
    // T = P(X ≤ k) falls as φ rises: T' = −mean · P(X = k), T'' = T' · (k + 1 − mean) and
    // T''' = T' · ((k + 1 − mean)² − mean).
    let equation = |log_mean: f64| {
        let mean = log_mean.exp();
        let (t, mass) = cdf_and_mass(k, mean);
        let derivative = -mean * mass;
        let a = k1 - mean;
        let derivatives = [derivative, derivative * a, derivative * (a * a - mean)];
        Evaluation::of_log_tail(t, target, derivatives)
    };
    // The upper limit is the `1 − tail` quantile of Gamma(k + 1).
    let start = log_gamma_quantile(k1, z).unwrap_or_else(|| {
        let byar = k1 * (1.0 - 1.0 / (9.0 * k1) + z / (3.0 * k1.sqrt())).powi(3);
        byar.ln()
    });
    root::solve(equation, start, false).exp()
}

/// The Cornish–Fisher approximation to the quantile of `ln G`, `G ~ Gamma(a)`, at the normal
/// deviate `z`, whose cumulants are `ψ(a), ψ'(a), …`: the start of the Garwood solves on the log
/// mean scale. `None` where the expansion diverges (see [`cornish_fisher::trusted`]).
fn log_gamma_quantile(a: f64, z: f64) -> Option<f64> {
    if !cornish_fisher::trusted(a, z) {
        return None;
    }
    let (y, [psi, rest @ ..]) = log_gamma_cumulants(a);
    Some(cornish_fisher::quantile(y.ln() + psi, rest, z))
}

/// A starting log mean from the square-root (Anscombe-type) normal approximation.
fn start(count: f64, tail: f64, direction: f64) -> f64 {
    let z = -super::normal::quantile(tail);
    let root = (count.sqrt() + direction * z / 2.0).max(0.5);
    (root * root).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_add_to_one() {
        for mean in [0.3, 4.0, 170.0, 1e6] {
            for k in [0u64, 1, 3, 150, 170, 999_000, 1_000_000] {
                let total = cdf(k, mean) + sf_from(k + 1, mean);
                assert!(
                    (total - 1.0).abs() < 1e-13,
                    "k={k} mean={mean} total={total}"
                );
            }
        }
    }

    #[test]
    fn garwood_limits_solve_their_equations() {
        for k in [1u64, 5, 65, 4208] {
            let (lower, upper) = garwood(k, 0.025);
            assert!((sf_from(k, lower) - 0.025).abs() < 1e-13);
            assert!((cdf(k, upper) - 0.025).abs() < 1e-13);
        }
    }
}
