//! Disclosure control: properties of `suppress` checked with linear algebra written here (a cell
//! is recoverable from the totals exactly when its unit vector lies in the row space of the
//! totals' equations over the suppressed cells), independent of the graph method the crate uses.

#![allow(clippy::panic, clippy::unwrap_used)]

use crimeperf::{suppress, Suppression, SuppressionOptions};
use proptest::prelude::*;

/// The rank of a matrix, by Gaussian elimination with partial pivoting (entries are 0 and ±1,
/// so a tolerance of 1e-9 separates zero from not).
fn rank(mut m: Vec<Vec<f64>>) -> usize {
    let columns = m.first().map_or(0, Vec::len);
    let mut rank = 0;
    for c in 0..columns {
        let Some(pivot) = (rank..m.len()).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs()))
        else {
            break;
        };
        if m[pivot][c].abs() < 1e-9 {
            continue;
        }
        m.swap(rank, pivot);
        let pivot_row = m[rank].clone();
        for (r, line) in m.iter_mut().enumerate() {
            if r != rank {
                let factor = line[c] / pivot_row[c];
                for (value, p) in line.iter_mut().zip(&pivot_row).skip(c) {
                    *value -= factor * p;
                }
            }
        }
        rank += 1;
    }
    rank
}

/// The suppressed cells whose values the published totals (each row's when there are two or
/// more columns, each column's when there are two or more rows) and published cells determine.
fn recoverable(reasons: &[Vec<Option<Suppression>>]) -> Vec<(usize, usize)> {
    let n_rows = reasons.len();
    let n_columns = reasons[0].len();
    let hidden: Vec<(usize, usize)> = (0..n_rows)
        .flat_map(|r| (0..n_columns).map(move |c| (r, c)))
        .filter(|&(r, c)| reasons[r][c].is_some())
        .collect();
    let mut equations: Vec<Vec<f64>> = Vec::new();
    if n_columns >= 2 {
        for r in 0..n_rows {
            equations.push(
                hidden
                    .iter()
                    .map(|&(hr, _)| f64::from(u8::from(hr == r)))
                    .collect(),
            );
        }
    }
    if n_rows >= 2 {
        for c in 0..n_columns {
            equations.push(
                hidden
                    .iter()
                    .map(|&(_, hc)| f64::from(u8::from(hc == c)))
                    .collect(),
            );
        }
    }
    if equations.is_empty() || hidden.is_empty() {
        return Vec::new();
    }
    let base = rank(equations.clone());
    hidden
        .iter()
        .enumerate()
        .filter(|&(i, _)| {
            let mut with = equations.clone();
            with.push(
                (0..hidden.len())
                    .map(|k| f64::from(u8::from(k == i)))
                    .collect(),
            );
            rank(with) == base
        })
        .map(|(_, &cell)| cell)
        .collect()
}

fn tables() -> impl Strategy<Value = Vec<Vec<i64>>> {
    (1usize..7, 1usize..7).prop_flat_map(|(rows, columns)| {
        // Mostly large counts with some small ones, as a real table of crimes.
        let cell = prop_oneof![3 => 0i64..5, 5 => 5i64..400];
        proptest::collection::vec(proptest::collection::vec(cell, columns), rows)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_suppressed_count_can_be_recomputed_from_the_totals(counts in tables()) {
        let rows: Vec<String> = (0..counts.len()).map(|r| format!("r{r}")).collect();
        let columns: Vec<String> = (0..counts[0].len()).map(|c| format!("c{c}")).collect();
        let table = suppress(&rows, &columns, &counts, &SuppressionOptions::default()).unwrap();
        let exposed = recoverable(&table.reasons);
        // A table of one cell has no totals to protect it with: its total is the cell itself.
        if counts.len() > 1 || counts[0].len() > 1 {
            prop_assert!(exposed.is_empty(), "{counts:?}: {exposed:?} recoverable from {:?}", table.values);
        }
        for (r, line) in counts.iter().enumerate() {
            for (c, &count) in line.iter().enumerate() {
                match table.reasons[r][c] {
                    Some(Suppression::Primary) => prop_assert!(count < 5),
                    Some(Suppression::Secondary) => prop_assert!(count >= 0),
                    None => {
                        prop_assert!(count >= 5);
                        prop_assert_eq!(table.values[r][c], Some(count as u64));
                    }
                }
                if count < 5 {
                    prop_assert_eq!(table.reasons[r][c], Some(Suppression::Primary));
                }
            }
        }
    }

    #[test]
    fn without_secondary_only_small_counts_go(counts in tables()) {
        let rows: Vec<String> = (0..counts.len()).map(|r| format!("r{r}")).collect();
        let columns: Vec<String> = (0..counts[0].len()).map(|c| format!("c{c}")).collect();
        let options = SuppressionOptions { secondary: false, ..SuppressionOptions::default() };
        let table = suppress(&rows, &columns, &counts, &options).unwrap();
        for (r, line) in counts.iter().enumerate() {
            for (c, &count) in line.iter().enumerate() {
                prop_assert_eq!(table.values[r][c].is_none(), count < 5);
            }
        }
    }
}
