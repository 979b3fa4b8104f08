//! The one root finder behind every exact interval: safeguarded Newton iteration.
//!
//! Exact limits solve `tail(θ) = target` for a tail probability that is monotone in `θ` (a log
//! rate or a log odds). From a close start (Byar's approximation, or a Cornish–Fisher expansion),
//! Halley's method on `g(θ) = ln tail(θ) − ln target` triples the correct digits each step, so one
//! to three evaluations of the tail suffice. Should it ever fail to settle, safeguarded Newton
//! iteration takes over: a bracket kept alongside falls back to bisection whenever a step would
//! leave it, so the iteration cannot diverge or loop on rounding noise.

/// One evaluation of the equation: `value = ln tail(θ) − ln target` and its first three
/// derivatives in `θ` (the third serves only to bound the error left after a Halley step).
pub(crate) struct Evaluation {
    pub value: f64,
    pub slope: f64,
    pub curvature: f64,
    pub third: f64,
}

impl Evaluation {
    /// The evaluation of `ln T − ln target` from the tail `T` and its derivatives
    /// `[T', T'', T''']`.
    pub fn of_log_tail(tail: f64, target_ln: f64, derivatives: [f64; 3]) -> Self {
        // The derivatives of ln T from those of T, each divided by T.
        let [first, second, third] = derivatives.map(|d| d / tail);
        Evaluation {
            value: tail.ln() - target_ln,
            slope: first,
            curvature: second - first * first,
            third: third - 3.0 * second * first + 2.0 * first * first * first,
        }
    }
}

/// A Halley step is taken as the root once the error it leaves, estimated as [`solve`] says, is
/// below this many units of `max(|θ|, 1)`: a few units in the last place of `θ`, below what the
/// rounding error of the tail itself allows.
const HALLEY_SETTLED: f64 = 1e-15;

/// Finds the root as [`solve_bracketed`] does, but first tries a few Halley steps from `start`.
///
/// # Stopping rule
///
/// From a point at distance `e` from the root, a Halley step leaves an error `K e³ + O(e⁴)`, with
/// `K = g''²/(4g'²) − g'''/(6g')` at the root. Near the root the step `s` is `−e (1 + O(K e²))`,
/// so the error left after it is about `|K| |s|³`. The iteration stops once twice the bound
/// `(g''/2g')² + |g'''/6g'|` on `|K|`, taken at the point the step was made from, times `|s|³` is
/// below [`HALLEY_SETTLED`]; the factor two covers the `O(e⁴)` term and the derivatives having
/// been taken off the root. In standard-deviation units `K` is of order 0.05 for a log tail, so a
/// start within about 1e-5 standard deviations (as the Cornish–Fisher start of the
/// Clopper–Pearson limits is once both counts pass a few tens) passes after its first step, and
/// one evaluation of the tail suffices; a rougher start costs one or two more.
pub(crate) fn solve(f: impl Fn(f64) -> Evaluation, start: f64, increasing: bool) -> f64 {
    let mut x = start;
    for _ in 0..8 {
        let e = f(x);
        if e.value == 0.0 {
            return x;
        }
        let step = -2.0 * e.value * e.slope / (2.0 * e.slope * e.slope - e.value * e.curvature);
        if !step.is_finite() {
            break;
        }
        x += step;
        let constant = (e.curvature / (2.0 * e.slope)).powi(2) + (e.third / (6.0 * e.slope)).abs();
        // A NaN bound fails the comparison and keeps iterating.
        if 2.0 * constant * step.abs().powi(3) <= HALLEY_SETTLED * x.abs().max(1.0) {
            return x;
        }
    }
    solve_bracketed(f, start, increasing)
}

/// Finds `θ` with `f(θ).value = 0`, where `value` increases with `θ` when `increasing` is true and
/// decreases otherwise. `start` should be close to the root; the bracket is grown from it.
fn solve_bracketed(f: impl Fn(f64) -> Evaluation, start: f64, increasing: bool) -> f64 {
    // Orient the problem so that `g` always increases.
    let g = |x: f64| {
        let e = f(x);
        if increasing {
            e
        } else {
            Evaluation {
                value: -e.value,
                slope: -e.slope,
                curvature: -e.curvature,
                third: -e.third,
            }
        }
    };
    let (mut low, mut high) = bracket(&g, start);
    let mut x = start.clamp(low, high);
    for _ in 0..200 {
        let e = g(x);
        if e.value == 0.0 {
            return x;
        }
        if e.value.is_nan() {
            // Treat an undefined tail like one on the far side of the root of the nearer end.
            x = midpoint(low, high);
            continue;
        }
        if e.value < 0.0 {
            low = x;
        } else {
            high = x;
        }
        let newton = x - e.value / e.slope;
        let next = if newton.is_finite() && newton > low && newton < high {
            newton
        } else {
            midpoint(low, high)
        };
        let tolerance = 4.0 * f64::EPSILON * x.abs().max(1.0);
        if (next - x).abs() <= tolerance || high - low <= tolerance {
            return next;
        }
        x = next;
    }
    x
}

fn midpoint(low: f64, high: f64) -> f64 {
    low + (high - low) / 2.0
}

/// Expands from `start` in steps that double until `g` changes sign: `g(low) ≤ 0 ≤ g(high)`.
fn bracket(g: &impl Fn(f64) -> Evaluation, start: f64) -> (f64, f64) {
    let at_start = g(start).value;
    let mut step = 0.25;
    let mut edge = start;
    if at_start < 0.0 {
        for _ in 0..64 {
            let next = edge + step;
            if g(next).value >= 0.0 {
                return (edge, next);
            }
            edge = next;
            step *= 2.0;
        }
        (edge, edge + step)
    } else {
        for _ in 0..64 {
            let next = edge - step;
            if g(next).value <= 0.0 {
                return (next, edge);
            }
            edge = next;
            step *= 2.0;
        }
        (edge - step, edge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_root_of_a_monotone_function_from_far_away() {
        let f = |x: f64| Evaluation {
            value: x.powi(3) - 8.0,
            slope: 3.0 * x * x,
            curvature: 6.0 * x,
            third: 6.0,
        };
        assert!((solve_bracketed(f, -40.0, true) - 2.0).abs() < 1e-14);
        assert!((solve(f, -40.0, true) - 2.0).abs() < 1e-14);
        let g = |x: f64| Evaluation {
            value: 1.0 - x.exp(),
            slope: -x.exp(),
            curvature: -x.exp(),
            third: -x.exp(),
        };
        assert!(solve_bracketed(g, 30.0, false).abs() < 1e-14);
        assert!(solve(g, 30.0, false).abs() < 1e-14);
    }
}
