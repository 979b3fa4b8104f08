//! Each distinct input of a frame computed once.
//!
//! Crime counts repeat: a frame of areas, categories and months holds far fewer distinct counts
//! (and pairs of counts) than rows. The costly kernels (exact limits of a count, the exact test
//! and intervals of a change) are therefore run once per distinct input, in parallel, and looked
//! up for every row. The results are the core's own, value for value.

use std::collections::HashMap;
use std::sync::Arc;

use foldhash::fast::FixedState;

use crimeperf::{Change, ChangeOptions, Confidence, CountInterval, RateEstimator, MAX_COUNT};
use rayon::prelude::*;

use crate::columns::{Column, Source};
use crate::error::RowProblem;

/// The confidence limits of every distinct count of a column.
pub struct CountIntervals {
    /// Indexed by count, when the counts are small enough for a table.
    dense: Vec<Option<CountInterval>>,
    /// By count, otherwise.
    sparse: HashMap<u64, CountInterval, FixedState>,
}

impl CountIntervals {
    /// The limits of the valid counts of `column`, from `estimator`.
    pub fn new(column: &Column, estimator: &RateEstimator) -> Self {
        let rows = column.cells.len();
        let mut counts: Vec<u64> = (0..rows)
            .filter_map(|row| column.count(row).ok())
            .filter_map(|count| u64::try_from(count).ok())
            .filter(|&count| count <= MAX_COUNT)
            .collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        // A table when it is no larger than a few times the column.
        if max <= (2 * rows + 1024) as u64 {
            let mut present = vec![false; max as usize + 1];
            for &count in &counts {
                present[count as usize] = true;
            }
            let distinct: Vec<u64> = (0..=max).filter(|&c| present[c as usize]).collect();
            let limits: Vec<CountInterval> = distinct
                .par_iter()
                .map(|&count| estimator.count_interval(count))
                .collect();
            let mut dense = vec![None; max as usize + 1];
            for (count, interval) in distinct.into_iter().zip(limits) {
                dense[count as usize] = Some(interval);
            }
            CountIntervals {
                dense,
                sparse: HashMap::default(),
            }
        } else {
            counts.sort_unstable();
            counts.dedup();
            let limits: Vec<CountInterval> = counts
                .par_iter()
                .map(|&count| estimator.count_interval(count))
                .collect();
            CountIntervals {
                dense: Vec::new(),
                sparse: counts.into_iter().zip(limits).collect(),
            }
        }
    }

    /// The limits of `count`, if it was in the column.
    #[inline]
    pub fn get(&self, count: u64) -> Option<CountInterval> {
        match self.dense.get(count as usize) {
            Some(interval) => *interval,
            None => self.sparse.get(&count).copied(),
        }
    }
}

/// The inputs of one change: counts and the bits of the exposures.
type ChangeKey = (i64, i64, u64, u64);

/// A change and its committee sentence.
pub type ChangeResult = Result<(Change, String), crimeperf::Error>;

/// The change of every distinct row of a frame.
#[derive(Default)]
pub struct ChangeMemo {
    /// For each row, the index of its result, or `usize::MAX` for a row whose inputs could not be
    /// read (its problem is found again when the row is computed).
    rows: Vec<usize>,
    /// The result of each distinct input (shared with the sinks that write the columns).
    results: Arc<Vec<ChangeResult>>,
}

/// The columns and options of a change frame.
pub struct ChangeInputs<'a> {
    /// Current counts.
    pub current: &'a Column,
    /// Previous counts.
    pub previous: &'a Column,
    /// Current exposures.
    pub exposure: &'a Source,
    /// Previous exposures.
    pub previous_exposure: &'a Source,
    /// Confidence level.
    pub confidence: Confidence,
    /// Small-base threshold.
    pub min_base: u64,
    /// The word for what is counted.
    pub unit: &'a str,
}

impl ChangeInputs<'_> {
    /// The inputs of row `row`, or what is wrong with them.
    #[inline]
    pub fn key(&self, row: usize) -> Result<ChangeKey, RowProblem> {
        Ok((
            self.current.count(row)?,
            self.previous.count(row)?,
            self.exposure.real(row)?.to_bits(),
            self.previous_exposure.real(row)?.to_bits(),
        ))
    }

    fn compute(&self, key: ChangeKey) -> ChangeResult {
        let options = ChangeOptions {
            exposure: f64::from_bits(key.2),
            previous_exposure: f64::from_bits(key.3),
            confidence: self.confidence,
            min_base: self.min_base,
        };
        let change = Change::with_options(key.0, key.1, &options)?;
        let sentence = change.describe(self.unit);
        Ok((change, sentence))
    }
}

impl ChangeMemo {
    /// Computes the change of every distinct row of `inputs` over `rows` rows.
    pub fn new(inputs: &ChangeInputs<'_>, rows: usize) -> Self {
        let mut index: HashMap<ChangeKey, usize, FixedState> = HashMap::default();
        let mut keys: Vec<ChangeKey> = Vec::new();
        let row_index = (0..rows)
            .map(|row| match inputs.key(row) {
                Ok(key) => *index.entry(key).or_insert_with(|| {
                    keys.push(key);
                    keys.len() - 1
                }),
                Err(_) => usize::MAX,
            })
            .collect();
        let results = keys.par_iter().map(|&key| inputs.compute(key)).collect();
        ChangeMemo {
            rows: row_index,
            results: Arc::new(results),
        }
    }

    /// The results, by the index [`ChangeMemo::get`] returns.
    pub fn results(&self) -> Arc<Vec<ChangeResult>> {
        Arc::clone(&self.results)
    }

    /// The index of the result of row `row` (whose result is a change), or what is wrong with
    /// the row.
    #[inline]
    pub fn get(&self, inputs: &ChangeInputs<'_>, row: usize) -> Result<usize, RowProblem> {
        let index = self.rows[row];
        match self.results.get(index) {
            Some(Ok(_)) => Ok(index),
            Some(Err(err)) => Err(RowProblem::Core(err.clone())),
            // The row's inputs could not be read: read them again for the reason.
            None => match inputs.key(row) {
                Err(problem) => Err(problem),
                Ok(key) => match inputs.compute(key) {
                    Err(err) => Err(RowProblem::Core(err)),
                    // Unreachable: a readable row has an index.
                    Ok(_) => Err(RowProblem::Missing {
                        column: inputs.current.name.clone(),
                    }),
                },
            },
        }
    }
}
