//! Solved rates: the share of crimes with a positive outcome, with Wilson intervals and a count
//! of the crimes still awaiting a final outcome.

use std::collections::BTreeMap;

use crimeperf::{Confidence, Outcome, Proportion, SolvedDefinition};
use polars::prelude::*;

use crate::error::Result;
use crate::grouping::Records;

/// Solved rates of the crimes in `records` (police.uk street records, ASB excluded) by the `by`
/// columns.
///
/// The result has the `by` columns and: `crimes`; `solved` (last outcome in `definition`);
/// `awaiting_outcome` (still under investigation or awaiting court — recent months lag, so their
/// solved rates will rise); `outcome_unknown` (blank, unrecognised, or "Status update
/// unavailable"); `solved_rate`, `lower`, `upper` (Wilson, as fractions; null when a group has no
/// crimes).
///
/// # Errors
///
/// [`DataError::MissingColumn`](crate::DataError::MissingColumn) for a missing column (the
/// records need `last_outcome` and `is_asb`) and
/// [`DataError::ColumnType`](crate::DataError::ColumnType) for a `by` column that cannot be
/// grouped by.
///
/// # Examples
///
/// ```no_run
/// use crimeperf::{Confidence, SolvedDefinition};
/// use crimeperf_polars::{read_police_uk, solved_rates, Geography, ReadOptions};
///
/// let data = read_police_uk("downloads", &Geography::bundled()?, &ReadOptions::default())?;
/// let rates = solved_rates(&data.records, &["csp_name"], &SolvedDefinition::default(), Confidence::default())?;
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
pub fn solved_rates<'a>(
    records: impl Into<Records<'a>>,
    by: &[&str],
    definition: &SolvedDefinition,
    confidence: Confidence,
) -> Result<DataFrame> {
    let records: Records<'a> = records.into();
    let (outcome_codes, outcome_labels) = records.text_key("last_outcome")?;
    let asb = records.flags("is_asb")?;
    let keys = by
        .iter()
        .map(|name| records.key_column(name))
        .collect::<Result<Vec<_>>>()?;
    // Outcome labels repeat endlessly: each distinct label is classified once.
    let classified: Vec<(bool, bool, bool)> = outcome_labels
        .iter()
        .map(
            |label| match label.as_deref().and_then(|l| l.parse::<Outcome>().ok()) {
                Some(Outcome::StatusUpdateUnavailable) | None => (false, false, true),
                Some(o) => (definition.is_solved(o), o.is_pending(), false),
            },
        )
        .collect();
    // (crimes, solved, awaiting, unknown) by group
    let mut tallies: BTreeMap<Vec<u32>, [u64; 4]> = BTreeMap::new();
    let mut key: Vec<u32> = vec![0; keys.len()];
    for (row, (is_asb, label)) in asb.zip(&outcome_codes).enumerate() {
        if is_asb != Some(false) {
            continue;
        }
        let (solved, awaiting, unknown) = classified[*label as usize];
        for (slot, k) in key.iter_mut().zip(&keys) {
            *slot = k.codes[row];
        }
        let tally = match tallies.get_mut(key.as_slice()) {
            Some(tally) => tally,
            None => tallies.entry(key.clone()).or_default(),
        };
        tally[0] += 1;
        tally[1] += u64::from(solved);
        tally[2] += u64::from(awaiting);
        tally[3] += u64::from(unknown);
    }
    let n = tallies.len();
    let mut columns = Vec::with_capacity(keys.len() + 7);
    for (position, key) in keys.iter().enumerate() {
        let indices: Vec<u32> = tallies.keys().map(|k| k[position]).collect();
        columns.push(key.values.column(&key.name, &indices)?);
    }
    let field = |i: usize| tallies.values().map(|t| t[i]).collect::<Vec<u64>>();
    let (crimes, solved) = (field(0), field(1));
    let mut rate = Vec::with_capacity(n);
    let mut lower = Vec::with_capacity(n);
    let mut upper = Vec::with_capacity(n);
    for (&c, &s) in crimes.iter().zip(&solved) {
        let p = Proportion::wilson(s as i64, c as i64, confidence).ok();
        rate.push(p.map(|p| p.value));
        lower.push(p.map(|p| p.lower));
        upper.push(p.map(|p| p.upper));
    }
    columns.push(Column::new("crimes".into(), crimes));
    columns.push(Column::new("solved".into(), solved));
    columns.push(Column::new("awaiting_outcome".into(), field(2)));
    columns.push(Column::new("outcome_unknown".into(), field(3)));
    columns.push(Column::new("solved_rate".into(), rate));
    columns.push(Column::new("lower".into(), lower));
    columns.push(Column::new("upper".into(), upper));
    Ok(DataFrame::new(n, columns)?)
}
