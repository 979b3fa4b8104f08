//! Loader's building blocks for accurate probability mass functions.
//!
//! C. Loader (2000), "Fast and Accurate Computation of Binomial Probabilities": writing a Poisson
//! or binomial mass as `exp(-stirlerr(k) - bd0(k, λ)) / sqrt(2πk)` avoids subtracting numbers of
//! size `k ln k` from each other, which is where the naive formula loses its digits.

/// `ln(2π) / 2`.
pub(crate) const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// The error of Stirling's approximation to `ln n!`:
/// `stirlerr(n) = ln n! − (n + ½) ln n + n − ln √(2π)`, for whole `n ≥ 1`.
///
/// # Formula
///
/// Below 16 the definition is evaluated with `ln n!` from an exact table of factorials; above it,
/// the asymptotic series `1/(12n) − 1/(360n³) + 1/(1260n⁵) − …` with as many terms as needed.
pub(crate) fn stirlerr(n: u64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if n == 0 {
        return f64::INFINITY;
    }
    let x = n as f64;
    if n <= 15 {
        return ln_factorial_small(n) - (x + 0.5) * x.ln() + x - LN_SQRT_2PI;
    }
    let xx = x * x;
    if n > 500 {
        (S0 - S1 / xx) / x
    } else if n > 80 {
        (S0 - (S1 - S2 / xx) / xx) / x
    } else if n > 35 {
        (S0 - (S1 - (S2 - S3 / xx) / xx) / xx) / x
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / xx) / xx) / xx) / xx) / x
    }
}

/// `ln n!` for `n ≤ 15` from the exact factorial (every value below 2^53 is exact in `f64`).
fn ln_factorial_small(n: u64) -> f64 {
    (1..=n).map(|i| i as f64).product::<f64>().ln()
}

/// The deviance term `bd0(x, m) = x ln(x/m) + m − x`, computed without cancellation when `x` is
/// close to `m`.
///
/// # Formula
///
/// For `|x − m| < 0.1 (x + m)` the series in `v = (x − m)/(x + m)`:
/// `bd0 = (x − m) v + 2x Σ_{j≥1} v^{2j+1} / (2j + 1)`; otherwise the definition.
pub(crate) fn bd0(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        let mut v = (x - m) / (x + m);
        let mut sum = (x - m) * v;
        let mut term = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            term *= v;
            let next = sum + term / f64::from(2 * j + 1);
            if next == sum {
                return next;
            }
            sum = next;
        }
        sum
    } else {
        x * (x / m).ln() + m - x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stirlerr_is_continuous_across_the_table_boundary() {
        // The series and the exact formula must agree where they meet.
        let exact_16 = ln_factorial_small(15) + 16f64.ln() - 16.5 * 16f64.ln() + 16.0 - LN_SQRT_2PI;
        assert!((stirlerr(16) - exact_16).abs() < 1e-13);
    }

    #[test]
    fn reference_values() {
        // ln(10!) - 10.5 ln 10 + 10 - ln(sqrt(2π)), from scipy.special.gammaln(11):
        // 0.008330563433360805
        assert!((stirlerr(10) - 0.008330563433360805).abs() < 1e-15);
        let direct = 150.0_f64 * (150.0_f64 / 170.0).ln() + 170.0 - 150.0;
        assert!((bd0(150.0, 170.0) - direct).abs() < 1e-12);
        assert_eq!(bd0(7.0, 7.0), 0.0);
    }

    #[test]
    fn bd0_is_zero_at_equality_and_positive_elsewhere() {
        for (x, m) in [(1.0, 2.0), (1e6, 1e6 + 1.0), (5.0, 0.5), (0.5, 5.0)] {
            assert!(bd0(x, m) > 0.0);
        }
        assert_eq!(bd0(3.0, 3.0), 0.0);
    }
}
