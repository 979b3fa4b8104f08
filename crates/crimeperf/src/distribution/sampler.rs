//! Drawing Poisson counts for the seeded bootstraps, the same draws on every platform.
//!
//! Samplers built on `ln` and `exp` (rand_distr's among them) give whatever the platform's maths
//! library gives in the last bit, and which library rand_distr uses depends on the features other
//! crates of the build switch on; so a seed would not pin the draws everywhere. This sampler uses
//! only `+ − × ÷` and comparisons, which IEEE 754 fixes to the bit, so a seed gives the same draws
//! on every platform and in every build.
//!
//! # Formula
//!
//! Inversion of the Poisson distribution function. The weights `w(k) ∝ P(X = k)` are built from
//! the mode `m = ⌊λ⌋` outwards by the ratio of neighbouring masses, `w(k + 1) = w(k) λ/(k + 1)`
//! and `w(k − 1) = w(k) k/λ`, from `w(m) = 1`, and stop where a weight falls below 1e-22 of the
//! mode's (about ten standard deviations out: the mass left out is below 1e-20, far under the
//! 2⁻⁵³ resolution of the uniform that selects a count). A draw is the first `k` whose cumulative
//! weight exceeds `u × Σw`, `u` uniform on [0, 1) with 53 random bits. The masses are those of the
//! Poisson distribution to about 1e-13 relative (the rounding of the products), so the draws are
//! exact in distribution up to that rounding, not an approximation such as the normal.

use rand::Rng;

/// Weights below this fraction of the mode's are left out.
const CUT: f64 = 1e-22;

/// The cumulative weights of one Poisson distribution, ready for inversion.
#[derive(Debug, Clone)]
pub(crate) struct PoissonTable {
    /// The smallest count in the table.
    first: u64,
    /// Cumulative weights of `first, first + 1, …`.
    cumulative: Vec<f64>,
}

impl PoissonTable {
    /// The table for the mean `lambda` (finite, zero or more).
    pub(crate) fn new(lambda: f64) -> Self {
        if lambda <= 0.0 {
            return PoissonTable {
                first: 0,
                cumulative: vec![1.0],
            };
        }
        let mode = lambda.floor();
        // Below the mode: w(k − 1) = w(k) k / λ.
        let mut below = Vec::new();
        let mut w = 1.0;
        let mut k = mode;
        while k > 0.0 {
            w *= k / lambda;
            if w < CUT {
                break;
            }
            below.push(w);
            k -= 1.0;
        }
        let first = mode as u64 - below.len() as u64;
        let mut cumulative = Vec::with_capacity(2 * below.len() + 2);
        let mut total = 0.0;
        for &w in below.iter().rev() {
            total += w;
            cumulative.push(total);
        }
        // The mode and above: w(k + 1) = w(k) λ / (k + 1).
        let mut w = 1.0;
        let mut k = mode;
        while w >= CUT {
            total += w;
            cumulative.push(total);
            k += 1.0;
            w *= lambda / k;
        }
        PoissonTable { first, cumulative }
    }

    /// One draw.
    pub(crate) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        // 53 random bits, as rand's `StandardUniform` makes an f64, without depending on it.
        let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let total = self.cumulative[self.cumulative.len() - 1];
        let target = u * total;
        // The first index whose cumulative weight exceeds the target (u < 1, so one does).
        let index = self.cumulative.partition_point(|&c| c <= target);
        self.first + index.min(self.cumulative.len() - 1) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distribution::poisson;
    use rand::SeedableRng;
    use rand_pcg::Pcg64;

    #[test]
    fn cumulative_weights_are_the_distribution_function() {
        for lambda in [0.3, 1.0, 4.0, 12.0, 57.0, 1234.0, 250_000.0] {
            let table = PoissonTable::new(lambda);
            let total = table.cumulative[table.cumulative.len() - 1];
            // Inversion reads the cumulative weights: they must be the distribution function.
            let below = if table.first == 0 {
                0.0
            } else {
                poisson::cdf(table.first - 1, lambda)
            };
            for (i, &c) in table.cumulative.iter().enumerate() {
                let k = table.first + i as u64;
                let want = poisson::cdf(k, lambda);
                assert!(
                    (below + c / total - want).abs() < 1e-13,
                    "λ {lambda}, k {k}"
                );
            }
            // Everything left out is negligible.
            let kept = poisson::cdf(table.first + table.cumulative.len() as u64 - 1, lambda)
                - if table.first == 0 {
                    0.0
                } else {
                    poisson::cdf(table.first - 1, lambda)
                };
            assert!((1.0 - kept).abs() < 1e-14, "λ {lambda}: {kept}");
        }
    }

    #[test]
    fn a_seed_pins_the_draws() {
        // Printed once from this implementation; IEEE arithmetic makes them the same everywhere,
        // so a change here means seeded results published by users would change.
        let mut rng = Pcg64::seed_from_u64(42);
        let small = PoissonTable::new(7.0);
        let large = PoissonTable::new(300.0);
        let draws: Vec<u64> = (0..6)
            .flat_map(|_| [small.sample(&mut rng), large.sample(&mut rng)])
            .collect();
        assert_eq!(draws, PINNED);
    }

    const PINNED: [u64; 12] = [5, 288, 9, 301, 12, 294, 5, 301, 9, 294, 5, 326];

    #[test]
    fn draws_have_the_poisson_mean_and_variance() {
        let mut rng = Pcg64::seed_from_u64(1);
        for lambda in [0.5, 7.0, 300.0] {
            let table = PoissonTable::new(lambda);
            let n = 200_000;
            let draws: Vec<f64> = (0..n).map(|_| table.sample(&mut rng) as f64).collect();
            let mean = draws.iter().sum::<f64>() / n as f64;
            let variance = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            // Five standard errors of the mean, and of the variance (≈ λ √(2/n) for large λ,
            // √((λ + 2λ²)/n) in general).
            assert!(
                (mean - lambda).abs() < 5.0 * (lambda / n as f64).sqrt(),
                "{lambda}: {mean}"
            );
            let se = ((lambda + 2.0 * lambda * lambda) / n as f64).sqrt();
            assert!((variance - lambda).abs() < 5.0 * se, "{lambda}: {variance}");
        }
        let zero = PoissonTable::new(0.0);
        assert_eq!(zero.sample(&mut rng), 0);
    }
}
