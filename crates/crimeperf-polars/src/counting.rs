//! Counting crimes by area, type and period: zeros only where data was read, anti-social
//! behaviour apart from crimes, partial periods marked, and every row left out accounted for.

use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;

use crimeperf::{CalendarYear, Month, Period};
use polars::prelude::*;

use crate::error::{DataError, Result};
use crate::grouping::{column, gather, KeyColumn, Records};
use crate::police_uk::{days_to_month, month_to_days};

/// The length of the periods crimes are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodUnit {
    /// Calendar months ("2025-01").
    #[default]
    Month,
    /// Calendar quarters, Q1 = January to March ("2025 Q1").
    Quarter,
    /// Financial quarters, Q1 = April to June ("2025/26 Q1"), as UK police and partnership
    /// performance reports use them.
    FinancialQuarter,
    /// Financial years, April to March ("2024/25").
    FinancialYear,
    /// Calendar years ("2025").
    CalendarYear,
}

impl PeriodUnit {
    /// The period containing `month`.
    fn period_of(self, month: Month) -> crimeperf::Result<Period> {
        Ok(match self {
            PeriodUnit::Month => Period::Month(month),
            PeriodUnit::Quarter => Period::Quarter(month.quarter()),
            PeriodUnit::FinancialQuarter => Period::FinancialQuarter(month.financial_quarter()),
            PeriodUnit::FinancialYear => Period::FinancialYear(month.financial_year()),
            PeriodUnit::CalendarYear => Period::CalendarYear(CalendarYear::new(month.year())?),
        })
    }

    /// The first month of the period containing `month`.
    fn start_of(self, month: Month) -> crimeperf::Result<Month> {
        self.period_of(month).map(|period| period.months().first())
    }

    /// The option's spelling: `"month"`, `"quarter"`, `"financial_quarter"`,
    /// `"financial_year"` or `"calendar_year"`.
    pub fn label(self) -> &'static str {
        match self {
            PeriodUnit::Month => "month",
            PeriodUnit::Quarter => "quarter",
            PeriodUnit::FinancialQuarter => "financial_quarter",
            PeriodUnit::FinancialYear => "financial_year",
            PeriodUnit::CalendarYear => "calendar_year",
        }
    }

    /// The number of months in each period.
    fn length(self) -> i64 {
        match self {
            PeriodUnit::Month => 1,
            PeriodUnit::Quarter | PeriodUnit::FinancialQuarter => 3,
            PeriodUnit::FinancialYear | PeriodUnit::CalendarYear => 12,
        }
    }
}

impl FromStr for PeriodUnit {
    type Err = crimeperf::Error;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim() {
            "month" => Ok(PeriodUnit::Month),
            "quarter" => Ok(PeriodUnit::Quarter),
            "financial_quarter" => Ok(PeriodUnit::FinancialQuarter),
            "financial_year" => Ok(PeriodUnit::FinancialYear),
            "calendar_year" => Ok(PeriodUnit::CalendarYear),
            _ => Err(crimeperf::Error::UnknownOption {
                what: "period",
                label: s.to_owned(),
                expected: "month, quarter, financial_quarter, financial_year, calendar_year",
            }),
        }
    }
}

/// Whether crimes recorded in an LSOA outside the force they fall within are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutsideForce {
    /// Leave them out (the default): counting a force's records by CSP would otherwise give rows
    /// for CSPs of other forces (Essex's records hold Redbridge and Broxbourne crimes). The
    /// number left out is in [`CrimeCounts::excluded`].
    #[default]
    Exclude,
    /// Count them, in the areas their LSOAs are in.
    Include,
}

impl OutsideForce {
    /// The option's spelling: `"exclude"` or `"include"`.
    pub fn label(self) -> &'static str {
        match self {
            OutsideForce::Exclude => "exclude",
            OutsideForce::Include => "include",
        }
    }
}

impl FromStr for OutsideForce {
    type Err = crimeperf::Error;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "exclude" => Ok(OutsideForce::Exclude),
            "include" => Ok(OutsideForce::Include),
            _ => Err(crimeperf::Error::UnknownOption {
                what: "outside_force",
                label: s.to_owned(),
                expected: "exclude, include",
            }),
        }
    }
}

/// Options for [`count_crimes`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CountOptions<'a> {
    /// The periods to count in.
    pub period: PeriodUnit,
    /// The coverage table of the read (`falls_within`, `month`, as
    /// [`PoliceUkData::coverage`](crate::PoliceUkData::coverage) has it): the force-months that
    /// were read. Records alone show only the months in which something was recorded; with the
    /// coverage a read month in which a group had nothing still gets its zero. Only months from
    /// the first to the last month of the records are taken from it, so records filtered to some
    /// months are not given zeros for the months filtered out.
    pub coverage: Option<&'a DataFrame>,
    /// Whether rows outside their force's area are counted.
    pub outside_force: OutsideForce,
    /// Count by a column with nearly one value per row (such as `crime_id`) rather than refuse.
    pub allow_many_groups: bool,
}

/// The result of [`count_crimes`]: the counts, and the rows left out of them.
#[derive(Debug, Clone)]
pub struct CrimeCounts {
    /// The counts (see [`count_crimes`] for the columns).
    pub counts: DataFrame,
    /// The rows of the records left out of the counts: `reason` (`"outside_force"`,
    /// `"no_month"`), `rows` and `detail`. Empty when every row was counted.
    pub excluded: DataFrame,
}

/// The most rows a count may produce (with zeros filled in).
const GROUP_LIMIT: u128 = 200_000_000;

/// A `by` column with more distinct values than this, and more than one for every two rows, is a
/// row identifier rather than a grouping (unless [`CountOptions::allow_many_groups`]).
const MANY_VALUES: usize = 1_000;

/// The `by` columns whose values are crossed with the other columns' combinations: a CSP with no
/// burglaries in a covered month still gets a burglary row with 0.
const CROSSED: [&str; 1] = ["crime_type"];

/// The `by` columns that tell crimes from ASB incidents: a group of these is one or the other.
const SEPARATING: [&str; 2] = ["crime_type", "is_asb"];

/// How much of a period was read: the months read, and the first and last of them (ordinals).
type PeriodCover = (u32, Option<i64>, Option<i64>);

/// A row with no month, in the rows' month ordinals.
const NO_MONTH: i32 = i32::MIN;

/// Months as ordinals (`year * 12 + month - 1`), so that ranges of them index vectors.
fn ordinal(month: Month) -> i64 {
    i64::from(month.year()) * 12 + i64::from(month.month()) - 1
}

fn from_ordinal(ordinal: i64) -> Result<Month> {
    Ok(Month::new(
        ordinal.div_euclid(12) as i32,
        (ordinal.rem_euclid(12) + 1) as u32,
    )?)
}

/// The dates of a date column, or an error that says it must be one.
fn dates<'a>(frame: &'a DataFrame, name: &str) -> Result<&'a Int32Chunked> {
    let values = column(frame, name)?;
    values
        .date()
        .map(|d| d.physical())
        .map_err(|_| DataError::ColumnType {
            name: name.to_owned(),
            dtype: values.dtype().to_string(),
            expected: "the month column must be a date",
        })
}

/// Month ordinals of day numbers, each distinct day converted once.
#[derive(Default)]
struct MonthCache {
    seen: HashMap<i32, i64>,
    /// One file is one month: the row before usually has this row's day.
    last: Option<(i32, i64)>,
}

impl MonthCache {
    fn get(&mut self, day: i32) -> Option<i64> {
        if let Some((previous, o)) = self.last {
            if previous == day {
                return Some(o);
            }
        }
        let o = match self.seen.get(&day) {
            Some(&o) => o,
            None => {
                let o = ordinal(days_to_month(day)?);
                self.seen.insert(day, o);
                o
            }
        };
        self.last = Some((day, o));
        Some(o)
    }
}

/// Counts crimes and anti-social behaviour incidents in `records` (from
/// [`read_police_uk`](crate::read_police_uk)) by the `by` columns and by period.
///
/// What is counted, and where a zero is written:
///
/// * **Groups**: the combinations of `by` values that occur in the records (so `csp_code` and
///   `csp_name` go together, not every code with every name), each crossed with every value of
///   `crime_type` when it is a `by` column. Rows with a null in a `by` column form their own
///   group rather than vanishing.
/// * **Zeros only where data was read**: a group's months are those its forces (`falls_within`)
///   were read for — months with records, and the months of [`CountOptions::coverage`]. A period
///   row says how much of it was read: `months_covered`, `first_month` and `last_month`; a
///   period none of whose months were read for the group has nulls, never zeros. Without a
///   `falls_within` column every month with a record counts as read for every group.
/// * **Crimes and ASB apart**: `crimes` and `asb_incidents` are separate columns, so ASB never
///   enters a crime total. When `crime_type` (or `is_asb`) is a `by` column, an ASB group's
///   `crimes` is null and a crime type's `asb_incidents` is null: an ASB row never says 0 crimes.
/// * **Rows left out**: rows outside their force's area (an `outside_force` column that is
///   true; unless [`OutsideForce::Include`]) and rows with no month, counted in
///   [`CrimeCounts::excluded`].
///
/// The counts have the `by` columns, `period` (its label), `period_start` (a date),
/// `months_covered`, `first_month`, `last_month`, `crimes` and `asb_incidents`, ordered by the
/// `by` values then by period.
///
/// # Errors
///
/// [`DataError::MissingColumn`] naming a column that is not there (including `month` and
/// `is_asb`, which police.uk street records have), [`DataError::ColumnType`] for a `by` column that
/// is not text, boolean or a date, and [`DataError::TooManyGroups`] when the combinations exceed
/// 200 million or a `by` column has nearly one value per row (unless
/// [`CountOptions::allow_many_groups`]).
///
/// # Examples
///
/// ```no_run
/// use crimeperf_polars::{count_crimes, read_police_uk, CountOptions, Geography, PeriodUnit, ReadOptions};
///
/// let data = read_police_uk("downloads", &Geography::bundled()?, &ReadOptions::default())?;
/// let options = CountOptions {
///     period: PeriodUnit::FinancialYear,
///     coverage: Some(&data.coverage),
///     ..CountOptions::default()
/// };
/// let by_csp = count_crimes(&data.records, &["csp_name", "crime_type"], &options)?;
/// println!("{}\nleft out:\n{}", by_csp.counts, by_csp.excluded);
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
pub fn count_crimes<'a>(
    records: impl Into<Records<'a>>,
    by: &[&str],
    options: &CountOptions<'_>,
) -> Result<CrimeCounts> {
    count_weighted(records.into(), by, options, None)
}

/// [`count_crimes`], each row standing for `weights[row]` records (rows already aggregated, as
/// the batched read makes them); `None` counts each row once.
pub(crate) fn count_weighted(
    records: Records<'_>,
    by: &[&str],
    options: &CountOptions<'_>,
    weights: Option<&[u64]>,
) -> Result<CrimeCounts> {
    let weight = |row: usize| weights.map_or(1, |w| w[row]);
    let period = options.period;
    let months = records.days("month")?;
    let asb = records.flags("is_asb")?;
    let outside = match options.outside_force {
        OutsideForce::Exclude if records.has("outside_force") => {
            Some(records.flags("outside_force")?)
        }
        _ => None,
    };
    let forces = if records.has("falls_within") {
        Some(records.key_column("falls_within")?)
    } else {
        None
    };
    let keys = by
        .iter()
        .map(|name| records.key_column(name))
        .collect::<Result<Vec<_>>>()?;
    let rows = records.height();
    let records_counted = weights.map_or(rows, |w| w.iter().sum::<u64>() as usize);
    if !options.allow_many_groups {
        for key in &keys {
            let distinct = key.values.len();
            if distinct > MANY_VALUES && distinct * 2 > records_counted {
                return Err(DataError::TooManyGroups {
                    by: key.name.clone(),
                    reason: format!(
                        "{distinct} distinct values in {records_counted} rows is nearly one group per row; \
                         allow_many_groups counts by it anyway"
                    ),
                });
            }
        }
    }

    // Each row's month, and which rows are left out.
    let mut cache = MonthCache::default();
    // Month ordinals fit in an i32 (the core's months have four-digit years); a national
    // download has tens of millions of rows, so four bytes a row rather than sixteen.
    let mut row_month: Vec<i32> = Vec::with_capacity(rows);
    let (mut no_month, mut outside_rows) = (0u64, 0u64);
    let mut included = vec![true; rows];
    let mut outside_flags = outside;
    for (row, day) in months.enumerate() {
        let month = day.and_then(|d| cache.get(d));
        let is_outside = outside_flags.as_mut().and_then(Iterator::next).flatten() == Some(true);
        if month.is_none() {
            no_month += weight(row);
            included[row] = false;
        } else if is_outside {
            outside_rows += weight(row);
            included[row] = false;
        }
        row_month.push(month.map_or(NO_MONTH, |m| m as i32));
    }
    let excluded = excluded_frame(no_month, outside_rows)?;
    let (Some(first), Some(last)) = (
        row_month
            .iter()
            .filter(|&&m| m != NO_MONTH)
            .min()
            .map(|&m| i64::from(m)),
        row_month
            .iter()
            .filter(|&&m| m != NO_MONTH)
            .max()
            .map(|&m| i64::from(m)),
    ) else {
        return Ok(CrimeCounts {
            counts: empty_counts(&keys)?,
            excluded,
        });
    };
    let span = (last - first + 1) as usize;

    // The months read for each force (one force when there is no falls_within column).
    let force_count = forces.as_ref().map_or(1, |f| f.values.len());
    let force_of = |row: usize| forces.as_ref().map_or(0, |f| f.codes[row] as usize);
    let mut read = vec![vec![false; span]; force_count];
    for (row, &month) in row_month.iter().enumerate() {
        if month != NO_MONTH {
            read[force_of(row)][(i64::from(month) - first) as usize] = true;
        }
    }
    if let Some(coverage) = options.coverage {
        mark_coverage(coverage, forces.as_ref(), first, last, &mut read)?;
    }

    // The combinations of the joint (not crossed) columns that occur, with their forces.
    let (crossed, joint): (Vec<&KeyColumn>, Vec<&KeyColumn>) = keys
        .iter()
        .partition(|k| CROSSED.contains(&k.name.as_str()));
    let mut combo_of_code: PlHashMap<u128, u32> = PlHashMap::default();
    let mut combo_codes: Vec<Vec<u32>> = Vec::new();
    let mut combo_forces: Vec<BTreeSet<usize>> = Vec::new();
    let mut row_combo: Vec<u32> = vec![u32::MAX; rows];
    let mut last_seen: Option<(u128, u32)> = None;
    let mut last_force: Option<(u32, usize)> = None;
    for row in 0..rows {
        if !included[row] {
            continue;
        }
        let mut code: u128 = 0;
        for key in &joint {
            code = code
                .checked_mul(key.values.len() as u128)
                .and_then(|c| c.checked_add(u128::from(key.codes[row])))
                .ok_or_else(|| DataError::TooManyGroups {
                    by: by.join(", "),
                    reason: "the combinations of values cannot be numbered".to_owned(),
                })?;
        }
        let combo = match last_seen {
            Some((previous, combo)) if previous == code => combo,
            _ => {
                let next = combo_codes.len() as u32;
                let combo = *combo_of_code.entry(code).or_insert(next);
                if combo == next {
                    combo_codes.push(joint.iter().map(|k| k.codes[row]).collect());
                    combo_forces.push(BTreeSet::new());
                }
                last_seen = Some((code, combo));
                combo
            }
        };
        row_combo[row] = combo;
        let force = force_of(row);
        if last_force != Some((combo, force)) {
            combo_forces[combo as usize].insert(force);
            last_force = Some((combo, force));
        }
    }

    // The months read for each combination: the union of its forces' months (one pattern per
    // distinct set of forces).
    let mut patterns: Vec<Vec<bool>> = Vec::new();
    let mut pattern_of_forces: HashMap<Vec<usize>, usize> = HashMap::new();
    let combo_pattern: Vec<usize> = combo_forces
        .iter()
        .map(|set| {
            let set: Vec<usize> = set.iter().copied().collect();
            *pattern_of_forces.entry(set.clone()).or_insert_with(|| {
                let mut months = vec![false; span];
                for force in &set {
                    for (slot, &r) in months.iter_mut().zip(&read[*force]) {
                        *slot |= r;
                    }
                }
                patterns.push(months);
                patterns.len() - 1
            })
        })
        .collect();

    // The periods, from the one holding the first month read to the one holding the last.
    let covered_months = patterns.iter().flat_map(|p| {
        p.iter()
            .enumerate()
            .filter(|(_, &r)| r)
            .map(|(i, _)| first + i as i64)
    });
    let (lo, hi) = covered_months.fold((i64::MAX, i64::MIN), |(lo, hi), m| (lo.min(m), hi.max(m)));
    if lo > hi {
        return Ok(CrimeCounts {
            counts: empty_counts(&keys)?,
            excluded,
        });
    }
    let step = period.length();
    let first_start = ordinal(period.start_of(from_ordinal(lo)?)?);
    let last_start = ordinal(period.start_of(from_ordinal(hi)?)?);
    let period_count = ((last_start - first_start) / step + 1) as usize;
    let slot_of = |m: i64| ((m - first_start).div_euclid(step)) as usize;

    // Per pattern and period: months read, and the first and last of them.
    let mut period_cover: Vec<Vec<PeriodCover>> =
        vec![vec![(0, None, None); period_count]; patterns.len()];
    for (pattern, months) in patterns.iter().enumerate() {
        for (i, _) in months.iter().enumerate().filter(|(_, &r)| r) {
            let m = first + i as i64;
            let cell = &mut period_cover[pattern][slot_of(m)];
            cell.0 += 1;
            cell.1 = Some(cell.1.map_or(m, |f: i64| f.min(m)));
            cell.2 = Some(cell.2.map_or(m, |l: i64| l.max(m)));
        }
    }

    // Tally into a dense table: combination x crossed values x period.
    let crossed_sizes: Vec<usize> = crossed.iter().map(|k| k.values.len()).collect();
    let crossed_count: usize = crossed_sizes.iter().product();
    let cells = combo_codes.len() as u128 * crossed_count as u128 * period_count as u128;
    if cells > GROUP_LIMIT {
        return Err(DataError::TooManyGroups {
            by: by.join(", "),
            reason: format!(
                "{cells} group-period rows (zeros filled in), more than the limit of {GROUP_LIMIT}; \
                 group by fewer or coarser columns"
            ),
        });
    }
    let cells = cells as usize;
    let mut crimes = vec![0u64; cells];
    let mut incidents = vec![0u64; cells];
    // Which values of the separating columns hold ASB incidents and which crimes.
    let separating: Vec<(usize, &KeyColumn)> = keys
        .iter()
        .enumerate()
        .filter(|(_, k)| SEPARATING.contains(&k.name.as_str()))
        .collect();
    let mut kinds: Vec<Vec<(bool, bool)>> = separating
        .iter()
        .map(|(_, k)| vec![(false, false); k.values.len()])
        .collect();
    for (row, is_asb) in asb.enumerate() {
        let is_asb = is_asb == Some(true);
        // Whether a crime type is ASB is a property of the type: rows left out tell it too (a
        // crossed ASB row whose only incidents were outside the force still has no crimes).
        for (kind, (_, key)) in kinds.iter_mut().zip(&separating) {
            let seen = &mut kind[key.codes[row] as usize];
            if is_asb {
                seen.0 = true;
            } else {
                seen.1 = true;
            }
        }
        if !included[row] {
            continue;
        }
        let mut crossed_code = 0usize;
        for key in &crossed {
            crossed_code = crossed_code * key.values.len() + key.codes[row] as usize;
        }
        let cell = (row_combo[row] as usize * crossed_count + crossed_code) * period_count
            + slot_of(i64::from(row_month[row]));
        if is_asb {
            incidents[cell] += weight(row);
        } else {
            crimes[cell] += weight(row);
        }
    }

    // The groups, in the order of their `by` values.
    let mut groups: Vec<(Vec<u32>, usize, usize)> =
        Vec::with_capacity(combo_codes.len() * crossed_count);
    for (combo, codes) in combo_codes.iter().enumerate() {
        for crossed_code in 0..crossed_count {
            let mut crossed_values = vec![0u32; crossed.len()];
            let mut rest = crossed_code;
            for (position, size) in crossed_sizes.iter().enumerate().rev() {
                crossed_values[position] = (rest % size) as u32;
                rest /= size;
            }
            let (mut j, mut c) = (codes.iter(), crossed_values.iter());
            let full: Vec<u32> = keys
                .iter()
                .map(|k| {
                    let next = if CROSSED.contains(&k.name.as_str()) {
                        c.next()
                    } else {
                        j.next()
                    };
                    next.copied().unwrap_or(0)
                })
                .collect();
            groups.push((full, combo, crossed_code));
        }
    }
    groups.sort();

    // Unravel into columns.
    let n = groups.len() * period_count;
    let mut columns = Vec::with_capacity(keys.len() + 8);
    for (position, key) in keys.iter().enumerate() {
        let indices: Vec<u32> = groups
            .iter()
            .flat_map(|(full, _, _)| std::iter::repeat_n(full[position], period_count))
            .collect();
        columns.push(key.values.column(&key.name, &indices)?);
    }
    let starts: Vec<Month> = (0..period_count)
        .map(|p| from_ordinal(first_start + p as i64 * step))
        .collect::<Result<_>>()?;
    let labels = Series::new(
        "period".into(),
        starts
            .iter()
            .map(|&p| period.period_of(p).map(|p| p.to_string()))
            .collect::<crimeperf::Result<Vec<_>>>()?,
    );
    let period_of_row: Vec<u32> = (0..n).map(|row| (row % period_count) as u32).collect();
    columns.push(gather(&labels, &period_of_row)?);
    columns.push(date_column(
        "period_start",
        period_of_row
            .iter()
            .map(|&p| Some(month_to_days(starts[p as usize]))),
    ));
    let mut covered = Vec::with_capacity(n);
    let (mut first_month, mut last_month) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut crime_counts, mut incident_counts) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let to_days = |m: Option<i64>| -> Result<Option<i32>> {
        m.map(|m| from_ordinal(m).map(month_to_days)).transpose()
    };
    // Each pattern's periods as they are written out (a few thousand), not once per group.
    let cover_days = period_cover
        .iter()
        .map(|periods| {
            periods
                .iter()
                .map(|&(months_read, first, last)| {
                    Ok((months_read, to_days(first)?, to_days(last)?))
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<Vec<_>>>()?;
    for (full, combo, crossed_code) in &groups {
        // An ASB group has no crimes column, a crime group no ASB column.
        let (mut is_asb_group, mut is_crime_group) = (false, false);
        for (kind, (position, _)) in kinds.iter().zip(&separating) {
            let (has_asb, has_crime) = kind[full[*position] as usize];
            is_asb_group |= has_asb && !has_crime;
            is_crime_group |= has_crime && !has_asb;
        }
        let pattern = combo_pattern[*combo];
        for (p, &(months_read, first_read, last_read)) in cover_days[pattern].iter().enumerate() {
            let cell = (combo * crossed_count + crossed_code) * period_count + p;
            let read = months_read > 0;
            covered.push(months_read);
            first_month.push(first_read);
            last_month.push(last_read);
            crime_counts.push((read && !is_asb_group).then_some(crimes[cell]));
            incident_counts.push((read && !is_crime_group).then_some(incidents[cell]));
        }
    }
    columns.push(Column::new("months_covered".into(), covered));
    columns.push(date_column("first_month", first_month.into_iter()));
    columns.push(date_column("last_month", last_month.into_iter()));
    columns.push(Column::new("crimes".into(), crime_counts));
    columns.push(Column::new("asb_incidents".into(), incident_counts));
    Ok(CrimeCounts {
        counts: DataFrame::new(n, columns)?,
        excluded,
    })
}

fn date_column(name: &str, days: impl Iterator<Item = Option<i32>>) -> Column {
    Int32Chunked::from_iter_options(name.into(), days)
        .into_date()
        .into_column()
}

/// Marks the force-months of a coverage table (within `first..=last`) as read.
fn mark_coverage(
    coverage: &DataFrame,
    forces: Option<&KeyColumn>,
    first: i64,
    last: i64,
    read: &mut [Vec<bool>],
) -> Result<()> {
    let months = dates(coverage, "month")?;
    let names = match forces {
        Some(_) => Some(column(coverage, "falls_within")?.str()?),
        None => None,
    };
    let code_of: HashMap<&str, usize> = match forces.map(|f| &f.values) {
        Some(crate::grouping::KeyValues::Str(values)) => values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.as_deref().map(|v| (v, i)))
            .collect(),
        _ => HashMap::new(),
    };
    let mut cache = MonthCache::default();
    for (row, day) in months.iter().enumerate() {
        let Some(m) = day.and_then(|d| cache.get(d)) else {
            continue;
        };
        if m < first || m > last {
            continue;
        }
        let force = match names {
            // A force with no records has no groups to give zeros to.
            Some(names) => match names.get(row).and_then(|n| code_of.get(n)) {
                Some(&code) => code,
                None => continue,
            },
            None => 0,
        };
        read[force][(m - first) as usize] = true;
    }
    Ok(())
}

fn excluded_frame(no_month: u64, outside: u64) -> Result<DataFrame> {
    let mut reason = Vec::new();
    let mut rows = Vec::new();
    let mut detail = Vec::new();
    if outside > 0 {
        reason.push("outside_force");
        rows.push(outside);
        detail.push(
            "in an LSOA outside the area of the force they fall within; outside_force=\"include\" counts them",
        );
    }
    if no_month > 0 {
        reason.push("no_month");
        rows.push(no_month);
        detail.push("no month, so no period to count them in");
    }
    let n = reason.len();
    Ok(DataFrame::new(
        n,
        vec![
            Column::new("reason".into(), reason),
            Column::new("rows".into(), rows),
            Column::new("detail".into(), detail),
        ],
    )?)
}

fn empty_counts(keys: &[KeyColumn]) -> Result<DataFrame> {
    let mut columns = keys
        .iter()
        .map(|key| key.values.column(&key.name, &[]))
        .collect::<Result<Vec<Column>>>()?;
    columns.push(Column::new("period".into(), Vec::<String>::new()));
    columns.push(date_column("period_start", std::iter::empty()));
    columns.push(Column::new("months_covered".into(), Vec::<u32>::new()));
    columns.push(date_column("first_month", std::iter::empty()));
    columns.push(date_column("last_month", std::iter::empty()));
    columns.push(Column::new("crimes".into(), Vec::<Option<u64>>::new()));
    columns.push(Column::new(
        "asb_incidents".into(),
        Vec::<Option<u64>>::new(),
    ));
    Ok(DataFrame::new(0, columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_spellings_are_snake_case_and_round_trip() {
        for unit in [
            PeriodUnit::Month,
            PeriodUnit::Quarter,
            PeriodUnit::FinancialQuarter,
            PeriodUnit::FinancialYear,
            PeriodUnit::CalendarYear,
        ] {
            assert_eq!(unit.label().parse::<PeriodUnit>().ok(), Some(unit));
        }
        for choice in [OutsideForce::Exclude, OutsideForce::Include] {
            assert_eq!(choice.label().parse::<OutsideForce>().ok(), Some(choice));
        }
        assert!("financial-year".parse::<PeriodUnit>().is_err());
        assert!("fy".parse::<PeriodUnit>().is_err());
    }
}
