//! Each distinct input of a frame computed once.
//!
//! Crime counts repeat: a frame of areas, categories and months holds far fewer distinct counts
//! (and pairs of counts) than rows. The costly kernels (exact limits of a count, the exact test
//! and intervals of a change) are therefore run once per distinct input, in parallel, and looked
//! up for every row. The results are the core's own, value for value.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};

use foldhash::fast::FixedState;

use crimeperf::{Change, ChangeOptions, Confidence, CountInterval, RateEstimator, MAX_COUNT};
use polars::prelude::{CompatLevel, IdxCa, IdxSize, NamedFrom, Series};
use polars_arrow::array::MutableBinaryViewArray;
use polars_arrow::datatypes::Field;
use rayon::prelude::*;

use crate::arrow::Finished;
use crate::columns::{text_column, Column, Source};
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

/// A row not (yet) placed in a shard: its inputs could not be read.
const UNREAD: u64 = u64::MAX;
/// A row's mark is its shard in the high bits and its key's index in the shard in the low 40.
const SHARD_SHIFT: u32 = 40;
const LOCAL_MASK: u64 = (1 << SHARD_SHIFT) - 1;

/// A change and its committee sentence.
pub type ChangeResult = Result<(Change, String), crimeperf::Error>;

/// The change of every distinct row of a frame.
#[derive(Default)]
pub struct ChangeMemo {
    /// For each row, the index of its result, or `usize::MAX` for a row whose inputs could not be
    /// read (its problem is found again when the row is computed).
    rows: Vec<usize>,
    /// The result of each distinct input.
    results: Vec<ChangeResult>,
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
        // The distinct keys are found on every thread at once: each keeps the keys whose hash
        // falls in its shard (a key always lands in the same shard) and marks its rows with
        // (shard, index in the shard); the shards' keys are then laid end to end.
        let shards = if rows < 1 << 16 {
            1
        } else {
            rayon::current_num_threads().clamp(1, 64)
        };
        let hasher = FixedState::default();
        let slots: Vec<AtomicU64> = (0..rows).map(|_| AtomicU64::new(UNREAD)).collect();
        let found: Vec<Vec<ChangeKey>> = (0..shards)
            .into_par_iter()
            .map(|shard| Self::shard(inputs, &slots, &hasher, shard, shards))
            .collect();
        let mut offsets = Vec::with_capacity(found.len());
        let mut keys: Vec<ChangeKey> = Vec::new();
        for shard_keys in found {
            offsets.push(keys.len());
            keys.extend(shard_keys);
        }
        let row_index = slots
            .into_iter()
            .map(|slot| match slot.into_inner() {
                UNREAD => usize::MAX,
                mark => offsets[(mark >> SHARD_SHIFT) as usize] + (mark & LOCAL_MASK) as usize,
            })
            .collect();
        let results = keys.par_iter().map(|&key| inputs.compute(key)).collect();
        ChangeMemo {
            rows: row_index,
            results,
        }
    }

    /// The distinct keys of shard `shard` (of `shards`), marking each of its rows in `slots`
    /// with the shard and the index of the row's key. Rows whose inputs cannot be read belong
    /// to no shard and stay [`UNREAD`].
    fn shard(
        inputs: &ChangeInputs<'_>,
        slots: &[AtomicU64],
        hasher: &FixedState,
        shard: usize,
        shards: usize,
    ) -> Vec<ChangeKey> {
        let mut index: HashMap<ChangeKey, u64, FixedState> = HashMap::default();
        let mut keys = Vec::new();
        // Every shard reads every row's key (a few loads) rather than keeping all keys: an array
        // of a million 32-byte keys costs more to write and read back than reading them twice.
        for (row, slot) in slots.iter().enumerate() {
            let Ok(key) = inputs.key(row) else { continue };
            if shards > 1 && (hasher.hash_one(key) >> 32) as usize % shards != shard {
                continue;
            }
            let local = *index.entry(key).or_insert_with(|| {
                keys.push(key);
                keys.len() as u64 - 1
            });
            slot.store(((shard as u64) << SHARD_SHIFT) | local, Ordering::Relaxed);
        }
        keys
    }

    /// What is wrong with row `row`, whose result is not a change.
    fn problem(&self, inputs: &ChangeInputs<'_>, row: usize) -> RowProblem {
        match self.results.get(self.rows[row]) {
            Some(Err(err)) => RowProblem::Core(err.clone()),
            // The row's inputs could not be read: read them again for the reason.
            _ => match inputs.key(row) {
                Err(problem) => problem,
                Ok(key) => match inputs.compute(key) {
                    Err(err) => RowProblem::Core(err),
                    // Unreachable: a readable row has an index.
                    Ok(_) => RowProblem::Missing {
                        column: inputs.current.name.clone(),
                    },
                },
            },
        }
    }

    /// The result columns for `rows` rows, gathered from the distinct results: one column of
    /// each field over the distinct results, then polars' gather kernel for each (a tight loop
    /// per column rather than nine pushes per row).
    ///
    /// With `null_rows`, a bad row gets nulls and its reason in an `error` column; otherwise the
    /// first bad row is returned as the error.
    pub fn columns(
        &self,
        inputs: &ChangeInputs<'_>,
        rows: usize,
        null_rows: bool,
    ) -> Result<Vec<Finished>, (usize, RowProblem)> {
        let changes: Vec<Option<&(Change, String)>> =
            self.results.iter().map(|r| r.as_ref().ok()).collect();
        // The result of each row, or None for a bad row.
        let mut first_bad = None;
        let indices: IdxCa = (0..rows)
            .map(|row| {
                let index = self.rows[row];
                match changes.get(index) {
                    Some(Some(_)) => Some(index as IdxSize),
                    _ => {
                        first_bad.get_or_insert(row);
                        None
                    }
                }
            })
            .collect();
        if let (Some(row), false) = (first_bad, null_rows) {
            return Err((row, self.problem(inputs, row)));
        }
        let field = |f: fn(&Change) -> Option<f64>| -> Vec<Option<f64>> {
            changes.iter().map(|c| c.and_then(|(c, _)| f(c))).collect()
        };
        let distinct: Vec<Series> = vec![
            Series::new(
                "absolute".into(),
                changes
                    .iter()
                    .map(|c| c.map(|(c, _)| c.absolute))
                    .collect::<Vec<_>>(),
            ),
            Series::new("percent".into(), field(|c| c.percent)),
            Series::new("ratio".into(), field(|c| c.ratio)),
            Series::new("ratio_lower".into(), field(|c| Some(c.lower))),
            Series::new("ratio_upper".into(), field(|c| Some(c.upper))),
            Series::new("p_value".into(), field(|c| Some(c.p_value))),
            Series::new(
                "significance".into(),
                changes
                    .iter()
                    .map(|c| c.map(|(c, _)| c.significance.label()))
                    .collect::<Vec<_>>(),
            ),
            Series::new(
                "small_base".into(),
                changes
                    .iter()
                    .map(|c| c.map(|(c, _)| c.small_base))
                    .collect::<Vec<_>>(),
            ),
            Series::new(
                "description".into(),
                changes
                    .iter()
                    .map(|c| c.map(|(_, sentence)| sentence.as_str()))
                    .collect::<Vec<_>>(),
            ),
        ];
        let mut columns = Vec::with_capacity(distinct.len() + 1);
        for series in &distinct {
            // Every index is below the number of distinct results, so the gather cannot fail.
            let gathered = series
                .take(&indices)
                .map_err(|err| {
                    (
                        0,
                        RowProblem::Missing {
                            column: format!("(gathering {}: {err})", series.name()),
                        },
                    )
                })?
                .rechunk();
            let field = Field::new(
                series.name().clone(),
                gathered.dtype().to_arrow(CompatLevel::newest()),
                true,
            );
            columns.push((field, gathered.to_arrow(0, CompatLevel::newest())));
        }
        if null_rows {
            let mut reasons = MutableBinaryViewArray::<str>::with_capacity(rows);
            for (row, index) in indices.iter().enumerate() {
                match index {
                    Some(_) => reasons.push_null(),
                    None => reasons.push_value(self.problem(inputs, row).to_string()),
                }
            }
            columns.push(text_column("error", reasons));
        }
        Ok(columns)
    }
}
