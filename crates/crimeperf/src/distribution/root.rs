//! The one root finder behind every exact interval: safeguarded Newton iteration.
//!
//! Exact limits solve `tail(θ) = target` for a tail probability that is monotone in `θ` (a log
//! rate or a log odds). Newton's method on `ln tail(θ) − ln target` converges in a handful of steps
//! from a good start; a bracket kept alongside falls back to bisection whenever a step would leave
//! it, so the iteration cannot diverge or loop on rounding noise.

/// One evaluation of the equation: `value = ln tail(θ) − ln target` and its derivative in `θ`.
pub(crate) struct Evaluation {
    pub value: f64,
    pub slope: f64,
}

/// Finds `θ` with `f(θ).value = 0`, where `value` increases with `θ` when `increasing` is true and
/// decreases otherwise. `start` should be close to the root; the bracket is grown from it.
pub(crate) fn solve(f: impl Fn(f64) -> Evaluation, start: f64, increasing: bool) -> f64 {
    // Orient the problem so that `g` always increases.
    let g = |x: f64| {
        let e = f(x);
        if increasing {
            e
        } else {
            Evaluation {
                value: -e.value,
                slope: -e.slope,
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
        };
        assert!((solve(f, -40.0, true) - 2.0).abs() < 1e-14);
        let g = |x: f64| Evaluation {
            value: 1.0 - x.exp(),
            slope: -x.exp(),
        };
        assert!(solve(g, 30.0, false).abs() < 1e-14);
    }
}
