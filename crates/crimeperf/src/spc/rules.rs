//! The special-cause rules, applied within one segment (rules never reach across a rebase).

use serde::{Deserialize, Serialize};

use crate::distribution::binomial::{self, Probability};

use super::{Rule, RuleProfile};

/// The limits of one point: centre and the one-, two- and three-sigma bands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bands {
    pub centre: f64,
    pub lower: [f64; 3],
    pub upper: [f64; 3],
}

impl Bands {
    /// +1 when `value` is strictly beyond the `k`-sigma band above, −1 below, 0 within.
    fn beyond(&self, value: f64, k: usize) -> i8 {
        if value > self.upper[k - 1] {
            1
        } else if value < self.lower[k - 1] {
            -1
        } else {
            0
        }
    }

    /// The side of the centre: +1 above, −1 below, 0 on it.
    fn side(&self, value: f64) -> i8 {
        if value > self.centre {
            1
        } else if value < self.centre {
            -1
        } else {
            0
        }
    }
}

/// Anhøj & Olesen's runs analysis of one segment.
///
/// # Formula
///
/// Points on the centre line are set aside; of the `n` others, the longest run on one side is
/// unusually long when it exceeds `round(log2 n) + 3`, and the number of crossings of the centre
/// (runs − 1) unusually small when it is below the 5th percentile of Binomial(n − 1, ½), the
/// smallest `c` with `P(X ≤ c) ≥ 0.05` (R's `qbinom(0.05, n - 1, 0.5)`, as qicharts2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunsAnalysis {
    /// Points not on the centre line.
    pub useful_points: usize,
    /// The longest run of points on one side of the centre.
    pub longest_run: usize,
    /// The longest run expected by chance, `round(log2 n) + 3`.
    pub longest_run_max: usize,
    /// Crossings of the centre line.
    pub crossings: usize,
    /// The fewest crossings expected by chance.
    pub crossings_min: usize,
    /// True when the longest run is too long or the crossings too few.
    pub signal: bool,
}

/// The rule lengths in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lengths {
    pub shift: Option<usize>,
    pub trend: Option<usize>,
}

/// The rules that fire on each point of a segment, each with its direction (+1 upwards, −1
/// downwards), and the runs analysis when the profile is Anhøj's.
pub(crate) fn evaluate(
    profile: RuleProfile,
    lengths: Lengths,
    values: &[f64],
    bands: &[Bands],
) -> (Vec<Vec<(Rule, i8)>>, Option<RunsAnalysis>) {
    let n = values.len();
    let mut fired: Vec<Vec<(Rule, i8)>> = vec![Vec::new(); n];
    let side: Vec<i8> = values.iter().zip(bands).map(|(&v, b)| b.side(v)).collect();
    let beyond = |k: usize| -> Vec<i8> {
        values
            .iter()
            .zip(bands)
            .map(|(&v, b)| b.beyond(v, k))
            .collect()
    };

    let three = beyond(3);
    for (i, &d) in three.iter().enumerate() {
        if d != 0 {
            fired[i].push((Rule::BeyondLimits, d));
        }
    }
    let mut runs = None;
    match profile {
        RuleProfile::Mdc | RuleProfile::WesternElectric => {
            k_of_m(&beyond(2), 2, 3, Rule::TwoOfThree, &mut fired);
            if profile == RuleProfile::WesternElectric {
                k_of_m(&beyond(1), 4, 5, Rule::FourOfFive, &mut fired);
            }
            if let Some(length) = lengths.shift {
                shifts(&side, length, &mut fired);
            }
            if let Some(length) = lengths.trend {
                trends(values, length, &mut fired);
            }
        }
        RuleProfile::Anhoj => {
            runs = anhoj(&side, &mut fired);
        }
    }
    for rules in &mut fired {
        rules.sort_by_key(|&(rule, d)| (rule as u8, d));
        rules.dedup();
    }
    (fired, runs)
}

/// `k` of any `m` consecutive points beyond a band on the same side: those points fire.
fn k_of_m(beyond: &[i8], k: usize, m: usize, rule: Rule, fired: &mut [Vec<(Rule, i8)>]) {
    if beyond.len() < m {
        return;
    }
    for start in 0..=beyond.len() - m {
        for d in [1i8, -1] {
            let window = start..start + m;
            if beyond[window.clone()].iter().filter(|&&b| b == d).count() >= k {
                for i in window.filter(|&i| beyond[i] == d) {
                    fired[i].push((rule, d));
                }
            }
        }
    }
}

/// Runs of at least `length` points on one side of the centre; a point on the centre ends a run.
fn shifts(side: &[i8], length: usize, fired: &mut [Vec<(Rule, i8)>]) {
    let mut start = 0;
    while start < side.len() {
        let mut end = start;
        while end + 1 < side.len() && side[end + 1] == side[start] {
            end += 1;
        }
        if side[start] != 0 && end + 1 - start >= length {
            for rules in &mut fired[start..=end] {
                rules.push((Rule::Shift, side[start]));
            }
        }
        start = end + 1;
    }
}

/// Runs of at least `length` points each strictly above (or below) the one before; a tie ends a
/// trend.
fn trends(values: &[f64], length: usize, fired: &mut [Vec<(Rule, i8)>]) {
    for d in [1i8, -1] {
        let step = |i: usize| {
            let diff = values[i] - values[i - 1];
            (d == 1 && diff > 0.0) || (d == -1 && diff < 0.0)
        };
        let mut start = 0;
        while start < values.len() {
            let mut end = start;
            while end + 1 < values.len() && step(end + 1) {
                end += 1;
            }
            if end + 1 - start >= length {
                for rules in &mut fired[start..=end] {
                    rules.push((Rule::Trend, d));
                }
            }
            start = end + 1;
        }
    }
}

/// Anhøj's runs analysis; points of runs longer than the limit fire [`Rule::LongRun`].
fn anhoj(side: &[i8], fired: &mut [Vec<(Rule, i8)>]) -> Option<RunsAnalysis> {
    let useful: Vec<usize> = (0..side.len()).filter(|&i| side[i] != 0).collect();
    let n = useful.len();
    if n == 0 {
        return None;
    }
    // Runs over the useful points, as (first, last) positions within `useful`.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for j in 0..n {
        match runs.last_mut() {
            Some(run) if side[useful[run.1]] == side[useful[j]] => run.1 = j,
            _ => runs.push((j, j)),
        }
    }
    let longest_run = runs.iter().map(|r| r.1 + 1 - r.0).max().unwrap_or(0);
    let longest_run_max = ((n as f64).log2().round() as usize) + 3;
    let crossings = runs.len() - 1;
    let trials = (n - 1) as u64;
    let half = Probability::new(0.5);
    let crossings_min = (0..=trials)
        .find(|&c| binomial::cdf(c, trials, half) >= 0.05)
        .unwrap_or(trials) as usize;
    for &(first, last) in &runs {
        if last + 1 - first > longest_run_max {
            for &i in &useful[first..=last] {
                fired[i].push((Rule::LongRun, side[i]));
            }
        }
    }
    Some(RunsAnalysis {
        useful_points: n,
        longest_run,
        longest_run_max,
        crossings,
        crossings_min,
        signal: longest_run > longest_run_max || crossings < crossings_min,
    })
}
