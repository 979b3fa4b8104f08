//! The one root finder behind every exact interval: safeguarded Newton iteration.
//!
//! Exact limits solve `tail(θ) = target` for a tail probability that is monotone in `θ` (a log
//! rate or a log odds). From a close start (Byar's or Wilson's approximation), Halley's method on
//! `g(θ) = ln tail(θ) − ln target` triples the correct digits each step, so two or three
//! evaluations of the tail suffice. Should it ever fail to settle, safeguarded Newton iteration
//! takes over: a bracket kept alongside falls back to bisection whenever a step would leave it, so
//! the iteration cannot diverge or loop on rounding noise.

/// One evaluation of the equation: `value = ln tail(θ) − ln target` and its first two derivatives
/// in `θ`.
pub(crate) struct Evaluation {
    pub value: f64,
    pub slope: f64,
    pub curvature: f64,
}

impl Evaluation {
    /// The evaluation of `ln T − ln target` from the tail `T` and its derivatives `T'`, `T''`.
    pub fn of_log_tail(tail: f64, target_ln: f64, derivative: f64, second_derivative: f64) -> Self {
        let slope = derivative / tail;
        Evaluation {
            value: tail.ln() - target_ln,
            slope,
            curvature: second_derivative / tail - slope * slope,
        }
    }
}

/// Halley steps stop once a step is below this (relative) size: the error left after it is of the
/// order of its cube, far below the 1e-10 the reference tests demand.
const HALLEY_SETTLED: f64 = 1e-5;

/// Finds the root as [`solve_bracketed`] does, but first tries a few Halley steps from `start`.
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
        if step.abs() <= HALLEY_SETTLED * x.abs().max(1.0) {
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
        };
        assert!((solve_bracketed(f, -40.0, true) - 2.0).abs() < 1e-14);
        assert!((solve(f, -40.0, true) - 2.0).abs() < 1e-14);
        let g = |x: f64| Evaluation {
            value: 1.0 - x.exp(),
            slope: -x.exp(),
            curvature: -x.exp(),
        };
        assert!(solve_bracketed(g, 30.0, false).abs() < 1e-14);
        assert!(solve(g, 30.0, false).abs() < 1e-14);
    }
}
