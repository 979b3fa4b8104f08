//! Cornish–Fisher starting points for the exact limits.
//!
//! The Clopper–Pearson limits are quantiles of `ln(B/(1 − B))` for a beta variable `B`, and the
//! Garwood limits quantiles of `ln G` for a gamma variable `G`. Both are sums of independent
//! `± ln G_a`, whose cumulants are polygamma values, `κ₁ = ψ(a)` and `κ_r = ψ⁽ʳ⁻¹⁾(a)`, so the
//! cumulants are exact and the distributions, on these scales, are close to normal: their
//! standardised cumulants shrink like powers of `1/a`. The Cornish–Fisher expansion of the
//! quantile in those cumulants then lands within about 1e-4 standard deviations once the
//! parameters reach about ten (a few times that when they are very unequal) and within 1e-7 at a
//! hundred, which lets a single Halley step of `root::solve` finish the job.

/// Whether the expansion may be used when the smallest gamma parameter is `smallest` and the
/// normal deviate `z`.
///
/// It diverges when a parameter is below 3 (standardised cumulants of order one) and `|z|` is
/// above 3.8 (tails below about 1e-4); elsewhere it is the better start, even at a parameter of 1.
pub(crate) fn trusted(smallest: f64, z: f64) -> bool {
    smallest >= 3.0 || z.abs() <= 3.8
}

/// The quantile at normal deviate `z` of a distribution with mean `mean` and higher cumulants
/// `[κ₂, …, κ₆]`, by the Cornish–Fisher expansion to fourth order (Abramowitz and Stegun
/// 26.2.49; the terms in `γ₁ … γ₄`, `γ_r = κ_{r+2}/κ₂^{(r+2)/2}`).
pub(crate) fn quantile(mean: f64, cumulants: [f64; 5], z: f64) -> f64 {
    let [k2, k3, k4, k5, k6] = cumulants;
    let sd = k2.sqrt();
    let g1 = k3 / (k2 * sd);
    let g2 = k4 / (k2 * k2);
    let g3 = k5 / (k2 * k2 * sd);
    let g4 = k6 / (k2 * k2 * k2);
    // Hermite polynomials He₁ … He₅ at z.
    let z2 = z * z;
    let (he1, he2, he3) = (z, z2 - 1.0, z * (z2 - 3.0));
    let he4 = z2 * (z2 - 6.0) + 3.0;
    let he5 = z * (z2 * (z2 - 10.0) + 15.0);
    let w = z
        + g1 * he2 / 6.0
        + (g2 * he3 / 24.0 - g1 * g1 * (2.0 * he3 + he1) / 36.0)
        + (g3 * he4 / 120.0 - g1 * g2 * (he4 + he2) / 24.0
            + g1 * g1 * g1 * (12.0 * he4 + 19.0 * he2) / 324.0)
        + (g4 * he5 / 720.0
            - g2 * g2 * (3.0 * he5 + 6.0 * he3 + 2.0 * he1) / 384.0
            - g1 * g3 * (2.0 * he5 + 3.0 * he3) / 180.0
            + g1 * g1 * g2 * (14.0 * he5 + 37.0 * he3 + 8.0 * he1) / 288.0
            - g1 * g1 * g1 * g1 * (252.0 * he5 + 832.0 * he3 + 227.0 * he1) / 7776.0);
    mean + sd * w
}

/// `(y, [ψ(x) − ln y, ψ'(x), …, ψ⁽⁵⁾(x)])`, as [`log_gamma_cumulants`] returns them.
pub(crate) type LogGammaCumulants = (f64, [f64; 6]);

/// Takes cumulants at `x + 1` to those at `x`: `ψ` falls by `1/x` per unit step down, `ψ'` rises
/// by `1/x²`, `ψ''` falls by `2/x³`, …
fn step_down(cumulants: &mut [f64; 6], x: f64) {
    let r = 1.0 / x;
    let r2 = r * r;
    cumulants[0] -= r;
    cumulants[1] += r2;
    cumulants[2] -= 2.0 * r2 * r;
    cumulants[3] += 6.0 * r2 * r2;
    cumulants[4] -= 24.0 * r2 * r2 * r;
    cumulants[5] += 120.0 * r2 * r2 * r2;
}

/// [`log_gamma_cumulants`] at `x` and at `x + 1`, for `x ≥ 0`, from one evaluation of the series:
/// those at `x` are those at `x + 1` taken one step down (both with the same `y`). At `x = 0` the
/// first is infinite and must not be used.
pub(crate) fn log_gamma_cumulant_pair(x: f64) -> [LogGammaCumulants; 2] {
    let (y, above) = log_gamma_cumulants(x + 1.0);
    let mut at = above;
    step_down(&mut at, x);
    [(y, at), (y, above)]
}

/// The cumulants of `ln G`, `G ~ Gamma(x)`, for `x ≥ 1`: `(y, [ψ(x) − ln y, ψ'(x), ψ''(x), …,
/// ψ⁽⁵⁾(x)])`, where `y ≥ 7` is `x` or `x` moved up by whole steps (the first cumulant is given
/// less `ln y` so that a caller needs only one logarithm for a difference of two).
///
/// The asymptotic series in `1/y`, brought down to `x` by the recurrences
/// `ψ⁽ʲ⁾(x) = ψ⁽ʲ⁾(x + 1) − (−1)ʲ j! / x^(j+1)`. At `y ≥ 7` the first omitted term of `ψ`,
/// `1/(132 y¹⁰)`, is below 1e-10: far inside what a starting point needs.
pub(crate) fn log_gamma_cumulants(x: f64) -> LogGammaCumulants {
    let mut cumulants = [0.0; 6];
    let mut y = x;
    while y < 7.0 {
        step_down(&mut cumulants, y);
        y += 1.0;
    }
    let r = 1.0 / y;
    let r2 = r * r;
    let series = [
        -r / 2.0 - r2 * (1.0 / 12.0 - r2 * (1.0 / 120.0 - r2 * (1.0 / 252.0 - r2 / 240.0))),
        r * (1.0 + r / 2.0 + r2 * (1.0 / 6.0 - r2 * (1.0 / 30.0 - r2 / 42.0))),
        -r2 * (1.0 + r + r2 * (0.5 - r2 * (1.0 / 6.0 - r2 / 6.0))),
        r2 * r * (2.0 + 3.0 * r + r2 * (2.0 - r2)),
        -r2 * r2 * (6.0 + 12.0 * r + r2 * (10.0 - 7.0 * r2)),
        r2 * r2 * r * (24.0 + 60.0 * r + 60.0 * r2),
    ];
    for (cumulant, term) in cumulants.iter_mut().zip(series) {
        *cumulant += term;
    }
    (y, cumulants)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_gamma_cumulants_match_the_polygamma_function_at_one() {
        // ψ(1) = −γ, ψ'(1) = π²/6, ψ''(1) = −2ζ(3), ψ'''(1) = π⁴/15, ψ⁽⁴⁾(1) = −24ζ(5) and
        // ψ⁽⁵⁾(1) = 8π⁶/63: the case furthest from the asymptotic series.
        let expected = [
            -0.577_215_664_901_532_9,
            1.644_934_066_848_226_4,
            -2.404_113_806_319_188_5,
            6.493_939_402_266_829,
            -24.886_266_123_440_88,
            122.081_167_438_133_88,
        ];
        let (y, mut actual) = log_gamma_cumulants(1.0);
        actual[0] += y.ln();
        // The mean of the start needs the most digits; the higher cumulants only shape it.
        assert!((actual[0] - expected[0]).abs() < 1e-10);
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() <= 1e-7 * e.abs(), "{a} against {e}");
        }
    }
}
