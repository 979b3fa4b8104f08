//! Similar areas: each area's nearest other areas on standardised characteristics, the way most
//! similar groups are built (forces use 7 peers, Community Safety Partnerships 15).
//!
//! The Home Office groups are published to police only; [`similar_areas`] lets analysts build
//! and inspect their own from any table of area characteristics (density, household size, age
//! structure, deprivation).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::{input, Error, Result};

/// One of an area's nearest areas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    /// The area whose group this is.
    pub area: String,
    /// A member of its group.
    pub peer: String,
    /// 1 for the closest peer, 2 for the next, and so on.
    pub peer_rank: u32,
    /// The (weighted) Euclidean distance between the two areas' z-scores.
    pub distance: f64,
    /// `1 − (distance − closest) / (farthest − closest)` over every pair of distinct areas in the
    /// table: 1 for the closest pair, 0 for the farthest (1 when all distances are equal).
    pub similarity: f64,
}

/// Each area's `k` nearest other areas by Euclidean distance on z-scored variables.
///
/// `columns` holds one slice per variable, each with one value per area in the order of
/// `areas`; `weights`, when given, one non-negative weight per variable.
///
/// # Formula
///
/// Each variable is z-scored with its sample standard deviation (ddof = 1),
/// `z = (x − mean)/sd`; the distance between areas `a` and `b` is
/// `√(Σⱼ wⱼ (z_aj − z_bj)²)` (every `wⱼ = 1` without weights), the standardised Euclidean
/// distance of scipy's `cdist(X, X, "seuclidean", V=var(X, ddof=1) / w)`. Peers are ordered by
/// distance, ties by area code (as `str` order), so groups are deterministic; they need not be
/// symmetric (b may be among a's nearest without a being among b's).
///
/// # Errors
///
/// * [`Error::LengthMismatch`] when a column or the weights do not match the areas or
///   variables; [`Error::DuplicateArea`] for an area listed twice;
/// * [`Error::MissingValue`] naming the variable and the area of a NaN or infinite value;
/// * [`Error::ConstantVariable`] naming a variable with one value for every area;
/// * [`Error::TooFewAreas`] unless there are more areas than `k`; [`Error::InvalidValue`] for
///   `k = 0`, no variables, or a negative, non-finite or all-zero weight.
///
/// # Examples
///
/// ```
/// use crimeperf::similar_areas;
///
/// let areas = ["E07000066", "E07000067", "E07000075", "E07000074"];
/// let density = [1_200.0, 1_150.0, 480.0, 3_900.0];
/// let household_size = [2.45, 2.40, 2.38, 2.31];
/// let groups = similar_areas(&areas, &["density", "household_size"], &[&density[..], &household_size[..]], 2, None)?;
/// assert_eq!(groups.len(), 8);
/// assert_eq!((groups[0].area.as_str(), groups[0].peer.as_str(), groups[0].peer_rank), ("E07000066", "E07000067", 1));
/// assert!(groups.iter().all(|n| n.area != n.peer));
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn similar_areas<S, V, C>(
    areas: &[S],
    variables: &[V],
    columns: &[C],
    k: usize,
    weights: Option<&[f64]>,
) -> Result<Vec<Neighbour>>
where
    S: AsRef<str>,
    V: AsRef<str>,
    C: AsRef<[f64]>,
{
    let n = areas.len();
    if columns.len() != variables.len() {
        return Err(Error::LengthMismatch {
            what: "columns",
            items: "variables",
            expected: variables.len(),
            got: columns.len(),
        });
    }
    if variables.is_empty() {
        return Err(Error::InvalidValue {
            what: "variables",
            reason: "must name at least one variable",
            value: 0.0,
        });
    }
    if k == 0 {
        return Err(Error::InvalidValue {
            what: "k",
            reason: "must be at least 1",
            value: 0.0,
        });
    }
    if k >= n {
        return Err(Error::TooFewAreas {
            what: "finding each area's k nearest other areas",
            needed: k + 1,
            got: n,
        });
    }
    let mut seen = HashSet::with_capacity(n);
    for area in areas {
        if !seen.insert(area.as_ref()) {
            return Err(Error::DuplicateArea {
                area: area.as_ref().to_owned(),
                what: "table of area characteristics",
            });
        }
    }
    let weights = match weights {
        Some(weights) => {
            if weights.len() != variables.len() {
                return Err(Error::LengthMismatch {
                    what: "weights",
                    items: "variables",
                    expected: variables.len(),
                    got: weights.len(),
                });
            }
            for &w in weights {
                input::non_negative("weight", w)?;
            }
            if weights.iter().all(|&w| w == 0.0) {
                return Err(Error::InvalidValue {
                    what: "weights",
                    reason: "must not all be zero",
                    value: 0.0,
                });
            }
            weights.to_vec()
        }
        None => vec![1.0; variables.len()],
    };

    // Standardised values, area-major, each already multiplied by √w.
    let width = variables.len();
    let mut scaled = vec![0.0; n * width];
    for (j, (variable, column)) in variables.iter().zip(columns).enumerate() {
        let column = column.as_ref();
        let variable = variable.as_ref();
        input::same_length("a column", n, column.len())?;
        for (area, &value) in areas.iter().zip(column) {
            if !value.is_finite() {
                return Err(Error::MissingValue {
                    variable: variable.to_owned(),
                    area: area.as_ref().to_owned(),
                    value,
                });
            }
        }
        let mean = column.iter().sum::<f64>() / n as f64;
        let variance =
            column.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n as f64 - 1.0);
        if variance <= 0.0 || column.iter().all(|&x| x == column[0]) {
            return Err(Error::ConstantVariable {
                variable: variable.to_owned(),
                value: column[0],
            });
        }
        let factor = weights[j].sqrt() / variance.sqrt();
        for (i, &value) in column.iter().enumerate() {
            scaled[i * width + j] = (value - mean) * factor;
        }
    }

    let mut distances = vec![0.0; n * n];
    for a in 0..n {
        for b in (a + 1)..n {
            let row_a = &scaled[a * width..(a + 1) * width];
            let row_b = &scaled[b * width..(b + 1) * width];
            let d = row_a
                .iter()
                .zip(row_b)
                .map(|(x, y)| (x - y) * (x - y))
                .sum::<f64>()
                .sqrt();
            distances[a * n + b] = d;
            distances[b * n + a] = d;
        }
    }
    let (closest, farthest) = (0..n)
        .flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b)))
        .map(|(a, b)| distances[a * n + b])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), d| {
            (lo.min(d), hi.max(d))
        });
    let span = farthest - closest;
    let similarity = |d: f64| {
        if span > 0.0 {
            1.0 - (d - closest) / span
        } else {
            1.0
        }
    };

    let mut out = Vec::with_capacity(n * k);
    let mut others: Vec<usize> = Vec::with_capacity(n - 1);
    for a in 0..n {
        others.clear();
        others.extend((0..n).filter(|&b| b != a));
        let row = &distances[a * n..(a + 1) * n];
        others.sort_by(|&x, &y| {
            row[x]
                .total_cmp(&row[y])
                .then_with(|| areas[x].as_ref().cmp(areas[y].as_ref()))
        });
        for (rank, &b) in others.iter().take(k).enumerate() {
            out.push(Neighbour {
                area: areas[a].as_ref().to_owned(),
                peer: areas[b].as_ref().to_owned(),
                peer_rank: rank as u32 + 1,
                distance: row[b],
                similarity: similarity(row[b]),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn errors_name_variable_and_area() {
        let areas = ["A", "B", "C"];
        let err = similar_areas(
            &areas,
            &["density", "age"],
            &[&[1.0, 2.0, 3.0][..], &[1.0, f64::NAN, 3.0][..]],
            1,
            None,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "variable \"age\" has no finite value for area B (got NaN)"
        );
        let err = similar_areas(
            &areas,
            &["density", "age"],
            &[&[1.0, 2.0, 3.0][..], &[4.0, 4.0, 4.0][..]],
            1,
            None,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "variable \"age\" has the same value, 4, for every area, so it cannot be z-scored"
        );
        let err =
            similar_areas(&areas, &["density"], &[&[1.0, 2.0, 3.0][..]], 3, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "finding each area's k nearest other areas needs at least 4 areas, got 3"
        );
        let err = similar_areas(
            &["A", "A", "C"],
            &["density"],
            &[&[1.0, 2.0, 3.0][..]],
            1,
            None,
        )
        .unwrap_err();
        assert!(matches!(err, Error::DuplicateArea { .. }));
        let err = similar_areas(
            &areas,
            &["density"],
            &[&[1.0, 2.0, 3.0][..]],
            1,
            Some(&[-1.0]),
        )
        .unwrap_err();
        assert!(matches!(err, Error::InvalidValue { what: "weight", .. }));
    }

    #[test]
    fn ties_broken_by_code() -> Result<()> {
        // B is equally far from A and C: its nearest is A, the smaller code.
        let groups = similar_areas(&["C", "B", "A"], &["x"], &[&[3.0, 2.0, 1.0][..]], 1, None)?;
        let b = groups
            .iter()
            .find(|n| n.area == "B")
            .map(|n| n.peer.as_str());
        assert_eq!(b, Some("A"));
        Ok(())
    }
}
