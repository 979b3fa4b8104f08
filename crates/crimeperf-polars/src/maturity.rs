//! Outcome lag: which crime months of a street-file snapshot still have too many open outcomes
//! for their solved rates to be compared with older months.

use std::collections::BTreeMap;

use crimeperf::{Month, Outcome};
use polars::prelude::*;

use crate::error::{DataError, Result};
use crate::grouping::{column, key_column, Records};
use crate::police_uk::{days_to_month, month_to_days};

/// The rule that calls a crime month mature.
///
/// The *settled share* of a group is the median share of crimes still awaiting an outcome
/// (under investigation or awaiting court) over its months at least `settled_after` months older
/// than the latest month of the records. Walking back from the latest month, every month whose
/// share is more than `tolerance` above the settled share is immature, up to the first month
/// that is not: it and all older months are mature. A group with no month old enough to settle
/// has only immature months younger than `settled_after`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MaturityRule {
    /// How many months back a month must be to count as settled (default 12).
    pub settled_after: u32,
    /// How far above the settled share (a fraction) a month's open share may be and still be
    /// mature (default 0.05: five percentage points).
    pub tolerance: f64,
}

impl Default for MaturityRule {
    fn default() -> Self {
        MaturityRule {
            settled_after: 12,
            tolerance: 0.05,
        }
    }
}

/// One output row: group codes, month, crimes, awaiting, open share, settled share, mature.
type MonthRow = (Vec<u32>, Month, u64, u64, f64, Option<f64>, bool);

/// Per crime month (and `by` group) of police.uk street records: the crimes, those still
/// awaiting an outcome, their share, the group's settled share, and whether the month is mature
/// under `rule` (see [`MaturityRule`]).
///
/// The result has the `by` columns, `month` (a date), `crimes`, `awaiting_outcome`,
/// `open_share`, `settled_share` (null when no month is old enough) and `mature`. ASB incidents
/// are left out.
///
/// # Errors
///
/// [`DataError::MissingColumn`] (the records need `month`, `last_outcome` and `is_asb`),
/// [`DataError::ColumnType`] for a `by` column that cannot be grouped by, and
/// [`DataError::Core`] for a `tolerance` that is negative or not finite.
///
/// # Examples
///
/// ```
/// use crimeperf_polars::{outcome_maturity, MaturityRule};
/// use polars::prelude::*;
///
/// let records = df!("last_outcome" => ["Under investigation"], "is_asb" => [false])?;
/// let err = outcome_maturity(&records, &[], MaturityRule::default()).unwrap_err();
/// assert_eq!(err.to_string(), "no column \"month\"; the frame has: last_outcome, is_asb");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn outcome_maturity<'a>(
    records: impl Into<Records<'a>>,
    by: &[&str],
    rule: MaturityRule,
) -> Result<DataFrame> {
    let records: Records<'a> = records.into();
    if !(rule.tolerance.is_finite() && rule.tolerance >= 0.0) {
        return Err(crimeperf::Error::InvalidValue {
            what: "tolerance",
            reason: "must be a finite fraction of at least 0",
            value: rule.tolerance,
        }
        .into());
    }
    let days = records.days("month")?;
    let (outcome_codes, outcome_labels) = records.text_key("last_outcome")?;
    let asb = records.flags("is_asb")?;
    let keys = by
        .iter()
        .map(|name| records.key_column(name))
        .collect::<Result<Vec<_>>>()?;
    let pending_of: Vec<bool> = outcome_labels
        .iter()
        .map(|label| {
            label
                .as_deref()
                .and_then(|l| l.parse::<Outcome>().ok())
                .is_some_and(Outcome::is_pending)
        })
        .collect();
    // (group codes) -> month -> (crimes, awaiting)
    let mut tallies: BTreeMap<Vec<u32>, BTreeMap<Month, (u64, u64)>> = BTreeMap::new();
    let mut latest: Option<Month> = None;
    for (row, ((is_asb, label), day)) in asb.zip(&outcome_codes).zip(days).enumerate() {
        if is_asb != Some(false) {
            continue;
        }
        let Some(month) = day.and_then(days_to_month) else {
            continue;
        };
        latest = latest.max(Some(month));
        let pending = pending_of[*label as usize];
        let codes: Vec<u32> = keys.iter().map(|k| k.codes[row]).collect();
        let tally = tallies.entry(codes).or_default().entry(month).or_default();
        tally.0 += 1;
        tally.1 += u64::from(pending);
    }
    let mut group_rows: Vec<MonthRow> = Vec::new();
    for (codes, by_month) in tallies {
        let Some(latest) = latest else { break };
        let shares: Vec<(Month, u64, u64, f64)> = by_month
            .iter()
            .map(|(&m, &(c, a))| (m, c, a, a as f64 / c as f64))
            .collect();
        let age = |m: Month| latest.months_until(m).unsigned_abs();
        let mut settled: Vec<f64> = shares
            .iter()
            .filter(|s| age(s.0) >= u64::from(rule.settled_after))
            .map(|s| s.3)
            .collect();
        settled.sort_by(f64::total_cmp);
        let reference = match settled.len() {
            0 => None,
            n if n % 2 == 1 => Some(settled[n / 2]),
            n => Some((settled[n / 2 - 1] + settled[n / 2]) / 2.0),
        };
        let mut mature = vec![true; shares.len()];
        match reference {
            None => {
                for (flag, s) in mature.iter_mut().zip(&shares) {
                    *flag = age(s.0) >= u64::from(rule.settled_after);
                }
            }
            Some(reference) => {
                for (flag, s) in mature.iter_mut().zip(&shares).rev() {
                    if s.3 > reference + rule.tolerance {
                        *flag = false;
                    } else {
                        break;
                    }
                }
            }
        }
        for ((m, c, a, share), flag) in shares.into_iter().zip(mature) {
            group_rows.push((codes.clone(), m, c, a, share, reference, flag));
        }
    }
    let n = group_rows.len();
    let mut columns = Vec::with_capacity(keys.len() + 6);
    for (position, key) in keys.iter().enumerate() {
        let indices: Vec<u32> = group_rows.iter().map(|r| r.0[position]).collect();
        columns.push(key.values.column(&key.name, &indices)?);
    }
    columns.push(
        Int32Chunked::from_iter_values(
            "month".into(),
            group_rows.iter().map(|r| month_to_days(r.1)),
        )
        .into_date()
        .into_column(),
    );
    columns.push(Column::new(
        "crimes".into(),
        group_rows.iter().map(|r| r.2).collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "awaiting_outcome".into(),
        group_rows.iter().map(|r| r.3).collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "open_share".into(),
        group_rows.iter().map(|r| r.4).collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "settled_share".into(),
        group_rows.iter().map(|r| r.5).collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "mature".into(),
        group_rows.iter().map(|r| r.6).collect::<Vec<_>>(),
    ));
    Ok(DataFrame::new(n, columns)?)
}

/// Solved rates at equal elapsed time: the share of the crimes in `street` (police.uk street
/// records) solved within `months` months of the crime month, from the outcomes in `outcomes`
/// (police.uk outcomes records, which carry the month each outcome was recorded), by the `by`
/// columns of `street`.
///
/// A crime is solved within `months` when `outcomes` has, for its crime ID, an outcome in
/// `definition` recorded in a month no later than the crime month plus `months`. A group is
/// `complete` when every one of its crime months plus `months` is no later than the latest
/// outcome month of `outcomes`: only complete groups can be compared. Crimes without a crime ID
/// and ASB incidents are left out.
///
/// The result has the `by` columns, `crimes`, `solved_within`, `solved_rate`, `lower`, `upper`
/// (Wilson, fractions) and `complete`.
///
/// # Errors
///
/// [`DataError::MissingColumn`] for a missing column (`street` needs `crime_id`, `month` and
/// `is_asb`; `outcomes` needs `crime_id`, `month` and `outcome`), [`DataError::ColumnType`] for a
/// `by` column that cannot be grouped by or a month column that is not a date.
///
/// # Examples
///
/// ```
/// use crimeperf::{Confidence, SolvedDefinition};
/// use crimeperf_polars::solved_within;
/// use polars::prelude::*;
///
/// let street = df!("crime_id" => ["a"], "is_asb" => [false])?;
/// let outcomes = df!("crime_id" => ["a"], "outcome" => ["Local resolution"])?;
/// let err = solved_within(&street, &outcomes, 3, &[], &SolvedDefinition::default(), Confidence::default()).unwrap_err();
/// assert_eq!(err.to_string(), "no column \"month\"; the frame has: crime_id, is_asb");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn solved_within(
    street: &DataFrame,
    outcomes: &DataFrame,
    months: u32,
    by: &[&str],
    definition: &crimeperf::SolvedDefinition,
    confidence: crimeperf::Confidence,
) -> Result<DataFrame> {
    let month_days = |frame: &DataFrame| -> Result<Vec<Option<i32>>> {
        let months = column(frame, "month")?;
        let days = months.date().map_err(|_| DataError::ColumnType {
            name: "month".to_owned(),
            dtype: months.dtype().to_string(),
            expected: "the month column must be a date",
        })?;
        Ok(days.physical().iter().collect())
    };
    let street_days = month_days(street)?;
    let street_ids = column(street, "crime_id")?.str()?;
    let asb = column(street, "is_asb")?.bool()?;
    let outcome_days = month_days(outcomes)?;
    let outcome_ids = column(outcomes, "crime_id")?.str()?;
    let labels = column(outcomes, "outcome")?.str()?;
    let keys = by
        .iter()
        .map(|name| key_column(street, name))
        .collect::<Result<Vec<_>>>()?;

    // The earliest month a solved outcome was recorded, per crime ID; and the latest month the
    // outcomes cover.
    let mut solved_at: PlHashMap<&str, Month> = PlHashMap::default();
    let mut covered: Option<Month> = None;
    let mut solved_of: BTreeMap<&str, bool> = BTreeMap::new();
    for (row, (id, label)) in outcome_ids.iter().zip(labels.iter()).enumerate() {
        let Some(month) = outcome_days[row].and_then(days_to_month) else {
            continue;
        };
        covered = covered.max(Some(month));
        let (Some(id), Some(label)) = (id, label) else {
            continue;
        };
        let solved = *solved_of.entry(label).or_insert_with(|| {
            label
                .parse::<Outcome>()
                .is_ok_and(|o| definition.is_solved(o))
        });
        if solved {
            let entry = solved_at.entry(id).or_insert(month);
            *entry = (*entry).min(month);
        }
    }
    // (group codes) -> (crimes, solved within, complete)
    let mut tallies: BTreeMap<Vec<u32>, (u64, u64, bool)> = BTreeMap::new();
    for (row, (id, is_asb)) in street_ids.iter().zip(asb.iter()).enumerate() {
        let (Some(id), Some(false)) = (id, is_asb) else {
            continue;
        };
        let Some(month) = street_days[row].and_then(days_to_month) else {
            continue;
        };
        let deadline = month.plus(i64::from(months))?;
        let solved = solved_at.get(id).is_some_and(|&m| m <= deadline);
        let complete = covered.is_some_and(|c| deadline <= c);
        let codes: Vec<u32> = keys.iter().map(|k| k.codes[row]).collect();
        let tally = tallies.entry(codes).or_insert((0, 0, true));
        tally.0 += 1;
        tally.1 += u64::from(solved);
        tally.2 &= complete;
    }
    let n = tallies.len();
    let mut columns = Vec::with_capacity(keys.len() + 6);
    for (position, key) in keys.iter().enumerate() {
        let indices: Vec<u32> = tallies.keys().map(|k| k[position]).collect();
        columns.push(key.values.column(&key.name, &indices)?);
    }
    let mut rate = Vec::with_capacity(n);
    let mut lower = Vec::with_capacity(n);
    let mut upper = Vec::with_capacity(n);
    for &(c, s, _) in tallies.values() {
        let p = crimeperf::Proportion::wilson(s as i64, c as i64, confidence).ok();
        rate.push(p.map(|p| p.value));
        lower.push(p.map(|p| p.lower));
        upper.push(p.map(|p| p.upper));
    }
    columns.push(Column::new(
        "crimes".into(),
        tallies.values().map(|t| t.0).collect::<Vec<_>>(),
    ));
    columns.push(Column::new(
        "solved_within".into(),
        tallies.values().map(|t| t.1).collect::<Vec<_>>(),
    ));
    columns.push(Column::new("solved_rate".into(), rate));
    columns.push(Column::new("lower".into(), lower));
    columns.push(Column::new("upper".into(), upper));
    columns.push(Column::new(
        "complete".into(),
        tallies.values().map(|t| t.2).collect::<Vec<_>>(),
    ));
    Ok(DataFrame::new(n, columns)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// 15 months from 2024-01, 10 crimes each; `open[i]` of month i still under investigation.
    fn records(open: &[usize; 15]) -> DataFrame {
        let first: Month = "2024-01".parse().unwrap();
        let mut days = Vec::new();
        let mut outcomes = Vec::new();
        for (i, &o) in open.iter().enumerate() {
            for k in 0..10 {
                days.push(month_to_days(first.plus(i as i64).unwrap()));
                outcomes.push(if k < o {
                    "Under investigation"
                } else {
                    "Local resolution"
                });
            }
        }
        let n = days.len();
        DataFrame::new(
            n,
            vec![
                Int32Chunked::from_vec("month".into(), days)
                    .into_date()
                    .into_column(),
                Column::new("last_outcome".into(), outcomes),
                Column::new("is_asb".into(), vec![false; n]),
            ],
        )
        .unwrap()
    }

    #[test]
    fn trailing_months_above_the_settled_share_are_immature() {
        // Settled months (12+ back from 2025-03): 2024-01..2024-03, shares 0.1, 0, 0.1 (median 0.1).
        // 2025-03 (0.5) and 2025-02 (0.3) exceed 0.1 + 0.05; 2025-01 (0.1) does not, and a high
        // month before it (2024-12, 0.4) stays mature: only the trailing run is immature.
        let open = [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 3, 5];
        let out = outcome_maturity(&records(&open), &[], MaturityRule::default()).unwrap();
        let mature: Vec<bool> = out
            .column("mature")
            .unwrap()
            .bool()
            .unwrap()
            .iter()
            .map(|m| m == Some(true))
            .collect();
        let mut expected = vec![true; 15];
        expected[13] = false;
        expected[14] = false;
        assert_eq!(mature, expected);
        let settled = out.column("settled_share").unwrap().f64().unwrap().get(0);
        assert_eq!(settled, Some(0.1));
    }

    #[test]
    fn without_settled_months_the_young_months_are_immature() {
        let open = [0; 15];
        let rule = MaturityRule {
            settled_after: 24,
            tolerance: 0.05,
        };
        let out = outcome_maturity(&records(&open), &[], rule).unwrap();
        assert!(out
            .column("mature")
            .unwrap()
            .bool()
            .unwrap()
            .iter()
            .all(|m| m == Some(false)));
        let bad = MaturityRule {
            settled_after: 12,
            tolerance: f64::NAN,
        };
        assert!(outcome_maturity(&records(&open), &[], bad).is_err());
    }
}
