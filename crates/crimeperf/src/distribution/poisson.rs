//! The Poisson distribution: mass, tails and the exact (Garwood) interval for a count.

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
    if (k as f64) < mean {
        sum_downwards(k, mean)
    } else {
        (1.0 - sum_upwards(k + 1, mean)).max(0.0)
    }
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
    if k == 0 {
        return 1.0;
    }
    if (k as f64) + 1.0 > mean {
        sum_upwards(k, mean)
    } else {
        (1.0 - sum_downwards(k - 1, mean)).max(0.0)
    }
}

/// `Σ_{j ≤ k} P(X = j)`, summed from `k` down; every term shrinks when `k < mean`.
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
    pmf(k, mean) * sum
}

/// `Σ_{j ≥ k} P(X = j)`, summed from `k` up; every term shrinks when `mean < k + 1`.
fn sum_upwards(k: u64, mean: f64) -> f64 {
    let head = pmf(k, mean);
    if head == 0.0 {
        return 0.0;
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut j = k as f64;
    loop {
        j += 1.0;
        term *= mean / j;
        sum += term;
        if term <= sum * 1e-17 {
            break;
        }
    }
    head * sum
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
    (garwood_lower(k, tail), garwood_upper(k, tail))
}

fn garwood_lower(k: u64, tail: f64) -> f64 {
    if k == 0 {
        return 0.0;
    }
    let target = tail.ln();
    // P(X ≥ k) rises with the mean; d/dm P(X ≥ k) = P(X = k − 1).
    let equation = |log_mean: f64| {
        let mean = log_mean.exp();
        let tail_probability = sf_from(k, mean);
        Evaluation {
            value: tail_probability.ln() - target,
            slope: mean * pmf(k - 1, mean) / tail_probability,
        }
    };
    root::solve(equation, start(k as f64, tail, -1.0), true).exp()
}

fn garwood_upper(k: u64, tail: f64) -> f64 {
    let target = tail.ln();
    // P(X ≤ k) falls as the mean rises; d/dm P(X ≤ k) = −P(X = k).
    let equation = |log_mean: f64| {
        let mean = log_mean.exp();
        let tail_probability = cdf(k, mean);
        Evaluation {
            value: tail_probability.ln() - target,
            slope: -mean * pmf(k, mean) / tail_probability,
        }
    };
    root::solve(equation, start(k as f64 + 1.0, tail, 1.0), false).exp()
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
