//! Each distinct input of a frame computed once.
//!
//! Crime counts repeat: a frame of areas, categories and months holds far fewer distinct counts
//! (and pairs of counts) than rows. The costly kernels (exact limits of a count, the exact test
//! and intervals of a change) are therefore run once per distinct input, in parallel, and looked
//! up for every row. The results are the core's own, value for value.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use crimeperf::{Change, ChangeOptions, Confidence, CountInterval, RateEstimator, MAX_COUNT};
use polars_arrow::array::{
    MutableArray, MutableBinaryViewArray, MutableBooleanArray, MutablePrimitiveArray, Utf8ViewArray,
};
use rayon::prelude::*;

use crate::columns::{
    bool_column, float_column, int_column, text_column, Column, Finished, Source,
};
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
            results,
        }
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

    /// The result columns for `rows` rows, gathered from the distinct results (laid out by
    /// column first, so that each row reads a few small arrays rather than a large struct).
    ///
    /// With `null_rows`, a bad row gets nulls and its reason in an `error` column; otherwise the
    /// first bad row is returned as the error.
    pub fn columns(
        &self,
        inputs: &ChangeInputs<'_>,
        rows: usize,
        null_rows: bool,
    ) -> Result<Vec<Finished>, (usize, RowProblem)> {
        let distinct = self.results.len();
        let mut ok = Vec::with_capacity(distinct);
        let mut absolute = Vec::with_capacity(distinct);
        let mut percent = Vec::with_capacity(distinct);
        let mut ratio = Vec::with_capacity(distinct);
        let mut lower = Vec::with_capacity(distinct);
        let mut upper = Vec::with_capacity(distinct);
        let mut p_value = Vec::with_capacity(distinct);
        let mut significance = Vec::with_capacity(distinct);
        let mut small_base = Vec::with_capacity(distinct);
        let mut sentences = MutableBinaryViewArray::<str>::with_capacity(distinct);
        for result in self.results.iter() {
            let (change, sentence) = match result {
                Ok((change, sentence)) => (Some(change), sentence.as_str()),
                Err(_) => (None, ""),
            };
            ok.push(change.is_some());
            absolute.push(change.map_or(0, |c| c.absolute));
            percent.push(change.and_then(|c| c.percent));
            ratio.push(change.and_then(|c| c.ratio));
            lower.push(change.map_or(0.0, |c| c.lower));
            upper.push(change.map_or(0.0, |c| c.upper));
            p_value.push(change.map_or(0.0, |c| c.p_value));
            significance.push(change.map_or("", |c| c.significance.label()));
            small_base.push(change.is_some_and(|c| c.small_base));
            sentences.push_value(sentence);
        }
        let sentences: Utf8ViewArray = sentences.into();
        let (views, buffers) = (sentences.views(), sentences.data_buffers());

        let mut out_absolute = MutablePrimitiveArray::<i64>::with_capacity(rows);
        let mut out_percent = MutablePrimitiveArray::<f64>::with_capacity(rows);
        let mut out_ratio = MutablePrimitiveArray::<f64>::with_capacity(rows);
        let mut out_lower = MutablePrimitiveArray::<f64>::with_capacity(rows);
        let mut out_upper = MutablePrimitiveArray::<f64>::with_capacity(rows);
        let mut out_p_value = MutablePrimitiveArray::<f64>::with_capacity(rows);
        let mut out_significance = MutableBinaryViewArray::<str>::with_capacity(rows);
        let mut out_small_base = MutableBooleanArray::with_capacity(rows);
        let mut out_sentence = MutableBinaryViewArray::<str>::with_capacity(rows);
        let mut reasons = null_rows.then(|| MutableBinaryViewArray::<str>::with_capacity(rows));
        for row in 0..rows {
            let index = self.rows[row];
            if ok.get(index).copied().unwrap_or(false) {
                out_absolute.push_value(absolute[index]);
                out_percent.push(percent[index]);
                out_ratio.push(ratio[index]);
                out_lower.push_value(lower[index]);
                out_upper.push_value(upper[index]);
                out_p_value.push_value(p_value[index]);
                out_significance.push_value(significance[index]);
                out_small_base.push_value(small_base[index]);
                out_sentence.push_view(views[index], buffers);
                if let Some(reasons) = reasons.as_mut() {
                    reasons.push_null();
                }
                continue;
            }
            let problem = self.problem(inputs, row);
            let Some(reasons) = reasons.as_mut() else {
                return Err((row, problem));
            };
            out_absolute.push_null();
            out_percent.push_null();
            out_ratio.push_null();
            out_lower.push_null();
            out_upper.push_null();
            out_p_value.push_null();
            out_significance.push_null();
            out_small_base.push_null();
            out_sentence.push_null();
            reasons.push_value(problem.to_string());
        }
        let mut columns = vec![
            int_column("absolute", out_absolute),
            float_column("percent", out_percent),
            float_column("ratio", out_ratio),
            float_column("ratio_lower", out_lower),
            float_column("ratio_upper", out_upper),
            float_column("p_value", out_p_value),
            text_column("significance", out_significance),
            bool_column("small_base", out_small_base),
            text_column("description", out_sentence),
        ];
        if let Some(reasons) = reasons {
            columns.push(text_column("error", reasons));
        }
        Ok(columns)
    }
}
