//! Disclosure control for published count tables: small counts suppressed, and enough other
//! cells suppressed with them that none can be worked back out from the row and column totals.
//!
//! A table of crimes by category and area, published with its totals, can give away a small
//! count twice: directly, and by subtraction (a row total minus the other cells of the row). The
//! first is primary suppression (counts below a threshold); the second is closed by secondary
//! suppression.
//!
//! # Method
//!
//! The published totals are each row's total (when the table has two or more columns) and each
//! column's total (when it has two or more rows). Suppressed cells, seen as edges between their
//! row and their column, can be recomputed exactly from those totals when, and only when, an
//! edge lies on no cycle of that graph (a bridge): the totals fix the sum around every row and
//! column, so a value can only move if the cells it is linked with can move to compensate around
//! a cycle. With totals in one direction only, a cell is recoverable when it is the only one
//! suppressed in its line. Secondary suppression therefore repeats, until nothing changes:
//!
//! 1. every line (row or column) with exactly one suppressed cell has its smallest published
//!    cell suppressed too (ties: the first);
//! 2. with totals in both directions, every suppressed cell that is still a bridge gets a cycle:
//!    the smallest published cell joining a row of one side of it to a column of the other is
//!    suppressed.
//!
//! This is the usual "at least two per line" rule of thumb, made sufficient: the rule alone can
//! leave a cell recoverable (two suppressed rectangles joined by one cell). It does not try to
//! suppress the fewest cells possible (an integer programme), and it protects values, not
//! ranges: a suppressed cell's bounds from the totals can still be narrow.

use serde::{Deserialize, Serialize};

use crate::option::option_enum;
use crate::{input, Error, Result};

option_enum! {
    /// Why a cell was suppressed.
    Suppression, "suppression", "primary, secondary" {
        /// The count is below the threshold.
        Primary => "primary",
        /// The count could otherwise be recomputed from the totals and the other cells.
        Secondary => "secondary",
    }
}

/// The options of [`suppress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressionOptions {
    /// Counts below this are suppressed (5 by default: counts of 0 to 4).
    pub threshold: u64,
    /// Suppress other cells so that no suppressed cell can be recomputed from the totals.
    pub secondary: bool,
    /// Publish zeros (a zero is below any threshold, but says "none" rather than "a few").
    pub keep_zeros: bool,
    /// Round every published count to a multiple of this base (half up), or `None`.
    pub rounding: Option<u64>,
}

impl Default for SuppressionOptions {
    fn default() -> Self {
        SuppressionOptions {
            threshold: 5,
            secondary: true,
            keep_zeros: false,
            rounding: None,
        }
    }
}

/// A count table ready to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressedTable {
    /// The published counts, row by row (`None` where suppressed; rounded when asked).
    pub values: Vec<Vec<Option<u64>>>,
    /// Why each suppressed cell was suppressed (`None` where published).
    pub reasons: Vec<Vec<Option<Suppression>>>,
}

impl SuppressedTable {
    /// How many cells were suppressed for each reason: (primary, secondary).
    pub fn counts(&self) -> (usize, usize) {
        let mut primary = 0;
        let mut secondary = 0;
        for reason in self.reasons.iter().flatten().flatten() {
            match reason {
                Suppression::Primary => primary += 1,
                Suppression::Secondary => secondary += 1,
            }
        }
        (primary, secondary)
    }
}

/// Suppresses the small counts of a table (rows × columns) and, with
/// [`SuppressionOptions::secondary`], enough other cells that no suppressed count can be
/// recomputed from the row and column totals (see the module's `# Method`).
///
/// `rows` and `columns` name the table's rows and columns, for errors.
///
/// # Errors
///
/// [`Error::LengthMismatch`] when `counts` does not have one row of one count per column for
/// each row; [`Error::InArea`] naming the row and column of a negative count; [`Error::InvalidValue`]
/// for a threshold of 0 or a rounding base of 0.
///
/// # Examples
///
/// ```
/// use crimeperf::{suppress, Suppression, SuppressionOptions};
///
/// let rows = ["Rochford", "Maldon"];
/// let columns = ["Burglary", "Robbery", "Theft"];
/// let counts = vec![vec![40, 3, 120], vec![25, 9, 80]];
/// let table = suppress(&rows, &columns, &counts, &SuppressionOptions::default())?;
/// // Rochford's 3 robberies are suppressed; Maldon's 9 too, or the robbery total would give
/// // them away; then a second cell in each row, or the row totals would.
/// assert_eq!(table.values[0], [None, None, Some(120)]);
/// assert_eq!(table.values[1], [None, None, Some(80)]);
/// assert_eq!(table.reasons[0][1], Some(Suppression::Primary));
/// assert_eq!(table.reasons[1][1], Some(Suppression::Secondary));
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn suppress<S: AsRef<str>>(
    rows: &[S],
    columns: &[S],
    counts: &[Vec<i64>],
    options: &SuppressionOptions,
) -> Result<SuppressedTable> {
    input::same_length("counts", rows.len(), counts.len())?;
    if options.threshold == 0 {
        return Err(Error::InvalidValue {
            what: "threshold",
            reason: "must be at least 1",
            value: 0.0,
        });
    }
    if options.rounding == Some(0) {
        return Err(Error::InvalidValue {
            what: "rounding base",
            reason: "must be at least 1",
            value: 0.0,
        });
    }
    let mut table: Vec<Vec<u64>> = Vec::with_capacity(rows.len());
    for (row, line) in rows.iter().zip(counts) {
        input::same_length("a row of counts", columns.len(), line.len()).map_err(|_| {
            Error::LengthMismatch {
                what: "a row of counts",
                items: "columns",
                expected: columns.len(),
                got: line.len(),
            }
        })?;
        let checked = line
            .iter()
            .zip(columns)
            .map(|(&value, column)| {
                input::count("count", value).map_err(|source| Error::InArea {
                    area: format!("{}, {}", row.as_ref(), column.as_ref()),
                    source: Box::new(source),
                })
            })
            .collect::<Result<Vec<u64>>>()?;
        table.push(checked);
    }
    let mut reasons: Vec<Vec<Option<Suppression>>> = table
        .iter()
        .map(|line| {
            line.iter()
                .map(|&count| {
                    let small = count < options.threshold && !(options.keep_zeros && count == 0);
                    small.then_some(Suppression::Primary)
                })
                .collect()
        })
        .collect();
    if options.secondary {
        secondary(&table, &mut reasons);
    }
    let values = table
        .iter()
        .zip(&reasons)
        .map(|(line, why)| {
            line.iter()
                .zip(why)
                .map(|(&count, reason)| match reason {
                    Some(_) => None,
                    None => Some(match options.rounding {
                        Some(base) => round_half_up(count, base),
                        None => count,
                    }),
                })
                .collect()
        })
        .collect();
    Ok(SuppressedTable { values, reasons })
}

fn round_half_up(count: u64, base: u64) -> u64 {
    (count + base / 2) / base * base
}

/// Adds secondary suppressions until no suppressed cell is recoverable from the totals.
fn secondary(table: &[Vec<u64>], reasons: &mut [Vec<Option<Suppression>>]) {
    let n_rows = table.len();
    let n_columns = table.first().map_or(0, Vec::len);
    let row_totals = n_columns >= 2;
    let column_totals = n_rows >= 2;
    loop {
        let mut changed = false;
        if row_totals {
            for r in 0..n_rows {
                let cells: Vec<(usize, usize)> = (0..n_columns).map(|c| (r, c)).collect();
                changed |= protect_line(table, reasons, &cells);
            }
        }
        if column_totals {
            for c in 0..n_columns {
                let cells: Vec<(usize, usize)> = (0..n_rows).map(|r| (r, c)).collect();
                changed |= protect_line(table, reasons, &cells);
            }
        }
        if !changed && row_totals && column_totals {
            changed = close_a_bridge(table, reasons, n_rows, n_columns);
        }
        if !changed {
            return;
        }
    }
}

/// A line with exactly one suppressed cell gets its smallest published cell suppressed.
fn protect_line(
    table: &[Vec<u64>],
    reasons: &mut [Vec<Option<Suppression>>],
    cells: &[(usize, usize)],
) -> bool {
    let suppressed = cells
        .iter()
        .filter(|&&(r, c)| reasons[r][c].is_some())
        .count();
    if suppressed != 1 {
        return false;
    }
    let smallest = cells
        .iter()
        .filter(|&&(r, c)| reasons[r][c].is_none())
        .min_by_key(|&&(r, c)| table[r][c]);
    match smallest {
        Some(&(r, c)) => {
            reasons[r][c] = Some(Suppression::Secondary);
            true
        }
        None => false,
    }
}

/// Finds one suppressed cell on no cycle (recoverable from the totals) and suppresses the
/// smallest published cell that puts it on one. Returns whether a cell was suppressed.
fn close_a_bridge(
    table: &[Vec<u64>],
    reasons: &mut [Vec<Option<Suppression>>],
    n_rows: usize,
    n_columns: usize,
) -> bool {
    let edges: Vec<(usize, usize)> = (0..n_rows)
        .flat_map(|r| (0..n_columns).map(move |c| (r, c)))
        .filter(|&(r, c)| reasons[r][c].is_some())
        .collect();
    for (i, &(r, c)) in edges.iter().enumerate() {
        // The two sides once the edge (r, c) is taken away.
        let (r_rows, r_columns) = search(&edges, i, Some(r), None, n_rows, n_columns);
        if r_columns[c] {
            continue; // c is still reachable from r: the edge is on a cycle
        }
        let (c_rows, c_columns) = search(&edges, i, None, Some(c), n_rows, n_columns);
        // A published cell joining one side's row to the other side's column closes a cycle.
        let best = (0..n_rows)
            .flat_map(|row| (0..n_columns).map(move |column| (row, column)))
            .filter(|&(row, column)| {
                reasons[row][column].is_none()
                    && ((c_rows[row] && r_columns[column]) || (r_rows[row] && c_columns[column]))
            })
            .min_by_key(|&(row, column)| table[row][column]);
        if let Some((row, column)) = best {
            reasons[row][column] = Some(Suppression::Secondary);
            return true;
        }
    }
    false
}

/// The rows and columns reachable from `row` (or `column`) over the suppressed cells, leaving
/// out edge `skip`.
fn search(
    edges: &[(usize, usize)],
    skip: usize,
    row: Option<usize>,
    column: Option<usize>,
    n_rows: usize,
    n_columns: usize,
) -> (Vec<bool>, Vec<bool>) {
    let mut rows = vec![false; n_rows];
    let mut columns = vec![false; n_columns];
    if let Some(r) = row {
        rows[r] = true;
    }
    if let Some(c) = column {
        columns[c] = true;
    }
    // Few suppressed cells in a published table: sweeping the edges until nothing changes is
    // simpler than an adjacency list and fast enough.
    loop {
        let mut grew = false;
        for (i, &(r, c)) in edges.iter().enumerate() {
            if i == skip {
                continue;
            }
            if rows[r] != columns[c] {
                rows[r] = true;
                columns[c] = true;
                grew = true;
            }
        }
        if !grew {
            return (rows, columns);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn run(counts: Vec<Vec<i64>>) -> SuppressedTable {
        let rows: Vec<String> = (0..counts.len()).map(|r| format!("r{r}")).collect();
        let columns: Vec<String> = (0..counts[0].len()).map(|c| format!("c{c}")).collect();
        suppress(&rows, &columns, &counts, &SuppressionOptions::default()).unwrap()
    }

    #[test]
    fn two_rectangles_joined_by_one_cell_are_closed() {
        // Rows 0-1 × columns 0-1 and rows 2-3 × columns 2-3 suppressed (every line has two),
        // plus (0, 2): that cell is a bridge, recoverable from the totals of rows 0 and 1 and
        // columns 0 and 1, unless another cell joins the two blocks.
        let big = 100;
        let mut counts = vec![vec![big; 4]; 4];
        for (r, c) in [
            (0, 0),
            (0, 1),
            (1, 0),
            (1, 1),
            (2, 2),
            (2, 3),
            (3, 2),
            (3, 3),
            (0, 2),
        ] {
            counts[r][c] = 1;
        }
        counts[1][3] = 50; // the cheapest way to close the cycle
        let table = run(counts);
        assert_eq!(table.reasons[1][3], Some(Suppression::Secondary));
    }

    #[test]
    fn one_column_needs_two_suppressed() {
        let table = run(vec![vec![3], vec![40], vec![12]]);
        assert_eq!(table.values, [vec![None], vec![Some(40)], vec![None]]);
    }

    #[test]
    fn nothing_small_nothing_suppressed_and_rounding() {
        let rows = ["a", "b"];
        let columns = ["x", "y"];
        let options = SuppressionOptions {
            rounding: Some(5),
            ..SuppressionOptions::default()
        };
        let table = suppress(&rows, &columns, &[vec![12, 13], vec![7, 100]], &options).unwrap();
        assert_eq!(
            table.values,
            [vec![Some(10), Some(15)], vec![Some(5), Some(100)]]
        );
        assert_eq!(table.counts(), (0, 0));
    }

    #[test]
    fn a_negative_count_names_its_cell() {
        let err = suppress(
            &["Rochford"],
            &["Robbery"],
            &[vec![-1]],
            &SuppressionOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("Rochford, Robbery"), "{err}");
    }
}
