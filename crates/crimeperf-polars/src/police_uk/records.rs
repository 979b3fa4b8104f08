//! The records of a read held compactly ([`CompactRecords`]): counted from their codes, and built
//! into the records frame whole or in part only when asked.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::hash::Hash;
use std::sync::Arc;

use crimeperf::Month;
use polars::prelude::*;

use super::compact::{Area, Codes, CompactFile, Labels, OutcomeLabel};
use super::{concat, FileKind};
use crate::dates::{days_to_month, month_to_days};
use crate::error::{DataError, Result};
use crate::geography::{force_key, LsoaPlace};
use crate::grouping::{sorted_codes, KeyColumn, KeyValues};
use crate::parallel::in_parallel;

/// The columns every police.uk record has first, in the order of the frame.
const COMMON_COLUMNS: [&str; 13] = [
    "crime_id",
    "month",
    "reported_by",
    "falls_within",
    "longitude",
    "latitude",
    "location",
    "lsoa_code",
    "lsoa_name",
    "local_authority_code",
    "local_authority_name",
    "csp_code",
    "csp_name",
];

/// The columns after those, by kind of file; `outside_force`, `file` and `line` end both.
const STREET_COLUMNS: [&str; 6] = [
    "crime_type",
    "crime_type_known",
    "last_outcome",
    "outcome_group",
    "outcome_known",
    "is_asb",
];
const OUTCOME_COLUMNS: [&str; 3] = ["outcome", "outcome_group", "outcome_known"];
const LAST_COLUMNS: [&str; 3] = ["outside_force", "file", "line"];

/// police.uk records held compactly, as [`read_police_uk_compact`](crate::read_police_uk_compact)
/// reads them: each file's labels (months, forces, locations, LSOAs and their places, crime types,
/// outcomes) coded once as small integers, coordinates as whole micro-degrees and Crime IDs as
/// their 32 bytes, about 60 bytes a row where the records frame takes some 350.
///
/// Count from them directly ([`count_crimes`](crate::count_crimes),
/// [`solved_rates`](crate::solved_rates) and [`outcome_maturity`](crate::outcome_maturity) take
/// them as they take the frame, with the same results), and build the frame, or the part of it
/// asked for, with [`CompactRecords::frame`] and [`CompactRecords::frame_where`].
///
/// # Examples
///
/// ```no_run
/// use crimeperf_polars::{read_police_uk_compact, Geography, ReadOptions, RecordFilter};
///
/// let data = read_police_uk_compact("downloads", &Geography::bundled()?, &ReadOptions::default())?;
/// println!("{} records in {} MB", data.records.height(), data.records.heap_bytes() >> 20);
/// let rochford = data.records.frame_where(&RecordFilter {
///     csps: vec!["Rochford".into()],
///     ..RecordFilter::default()
/// })?;
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CompactRecords {
    kind: FileKind,
    files: Vec<CompactFile>,
    /// The read's label tables, which every file's codes index.
    labels: Arc<Labels>,
    threads: usize,
}

/// Which records [`CompactRecords::frame_where`] builds. Each list left empty does not filter;
/// a record must match every list given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordFilter {
    /// Community Safety Partnerships, by name or code (`"Rochford"`, `"E22000088"`; any case).
    pub csps: Vec<String>,
    /// Forces, as `falls_within` names them or by their key (`"Essex Police"`, `"essex"`).
    pub forces: Vec<String>,
    /// The first and last months (inclusive).
    pub months: Option<(Month, Month)>,
}

/// The labels of one file for one column, and how its rows index them.
enum FileLabels<'a> {
    /// The read's labels (given once).
    Shared,
    Str(Vec<Option<Cow<'a, str>>>),
    Bool(Vec<Option<bool>>),
    Date(Vec<Option<i32>>),
}

/// A column's values row by row (see [`CompactRecords::row_values`]).
pub(crate) enum RowValuesOf<'a> {
    Date(Box<dyn Iterator<Item = Option<i32>> + 'a>),
    Bool(Box<dyn Iterator<Item = Option<bool>> + 'a>),
    /// A text column, which has no such values.
    Other,
}

/// How a file's rows index its labels for one column.
enum RowIndex<'a> {
    Codes(&'a Codes),
    /// Every row has label 0.
    Constant,
    /// Row `i` has label `i`.
    Own,
}

impl CompactRecords {
    pub(crate) fn new(
        kind: FileKind,
        files: Vec<CompactFile>,
        labels: Arc<Labels>,
        threads: usize,
    ) -> Self {
        CompactRecords {
            kind,
            files,
            labels,
            threads: threads.max(1),
        }
    }

    /// Street or outcome records.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The number of records.
    pub fn height(&self) -> usize {
        self.files.iter().map(CompactFile::rows).sum()
    }

    /// The bytes the records take in memory.
    pub fn heap_bytes(&self) -> usize {
        self.files.iter().map(CompactFile::bytes).sum::<usize>() + self.labels.bytes()
    }

    /// The columns of the records frame, in order.
    pub fn column_names(&self) -> Vec<&'static str> {
        let by_kind: &[&str] = match self.kind {
            FileKind::Street => &STREET_COLUMNS,
            FileKind::Outcomes => &OUTCOME_COLUMNS,
        };
        [&COMMON_COLUMNS[..], by_kind, &LAST_COLUMNS].concat()
    }

    /// The records frame (one chunk per file), as [`read_police_uk`](crate::read_police_uk)
    /// gives it.
    ///
    /// # Errors
    ///
    /// [`DataError::Polars`] if polars cannot build a column.
    pub fn frame(&self) -> Result<DataFrame> {
        self.build(|_, _| None)
    }

    /// The first `n` records as a frame (a preview that builds no more than it shows).
    ///
    /// # Errors
    ///
    /// [`DataError::Polars`] if polars cannot build a column.
    pub fn head(&self, n: usize) -> Result<DataFrame> {
        let mut left = n;
        let take: Vec<usize> = self
            .files
            .iter()
            .map(|file| {
                let rows = file.rows().min(left);
                left -= rows;
                rows
            })
            .collect();
        self.build(|f, file| Some((0..file.rows()).map(|row| row < take[f]).collect()))
    }

    /// The files the records were read from, in reading order (as the `file` column names them).
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|f| f.display.as_str())
    }

    /// The records that `filter` keeps, as a frame: only those are built, so one CSP's records
    /// of a national read take the memory of one CSP's.
    ///
    /// # Errors
    ///
    /// [`DataError::NotInRecords`] for a CSP or force that no record has (naming the closest
    /// there is), [`DataError::Polars`] if polars cannot build a column.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use crimeperf::Month;
    /// use crimeperf_polars::{read_police_uk_compact, Geography, ReadOptions, RecordFilter};
    ///
    /// let data = read_police_uk_compact("downloads", &Geography::bundled()?, &ReadOptions::default())?;
    /// let filter = RecordFilter {
    ///     forces: vec!["essex".into()],
    ///     months: Some(("2025-01".parse::<Month>()?, "2025-03".parse::<Month>()?)),
    ///     ..RecordFilter::default()
    /// };
    /// let essex = data.records.frame_where(&filter)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn frame_where(&self, filter: &RecordFilter) -> Result<DataFrame> {
        let csps: Vec<String> = filter
            .csps
            .iter()
            .map(|c| c.trim().to_lowercase())
            .collect();
        let forces: Vec<String> = filter.forces.iter().map(|f| force_key(f)).collect();
        // Which of the read's areas and forces are asked for (once: every file shares them).
        let l = &self.labels;
        let csp_keys = |p: &crate::geography::LsoaPlace| {
            [p.csp_name.to_lowercase(), p.csp_code.to_lowercase()]
        };
        let area_kept: Vec<bool> = l
            .areas
            .iter()
            .map(|a| {
                a.place
                    .as_ref()
                    .is_some_and(|p| csp_keys(p).iter().any(|k| csps.contains(k)))
            })
            .collect();
        let force_kept: Vec<bool> = l
            .forces
            .iter()
            .map(|f| forces.contains(&force_key(f)))
            .collect();
        // Every name asked for must be in the records: a misspelt CSP is an error, not an empty
        // frame.
        let csps_present: BTreeSet<String> = l
            .areas
            .iter()
            .filter_map(|a| a.place.as_ref())
            .flat_map(csp_keys)
            .collect();
        let forces_present: BTreeSet<String> = l.forces.iter().map(|f| force_key(f)).collect();
        for (asked, keys, present, what) in [
            (&filter.csps, &csps, &csps_present, "csp"),
            (&filter.forces, &forces, &forces_present, "force"),
        ] {
            if let Some((value, _)) = asked.iter().zip(keys).find(|(_, k)| !present.contains(*k)) {
                return Err(DataError::NotInRecords {
                    what,
                    value: value.clone(),
                    known: match what {
                        "csp" => self.csp_names(),
                        _ => self.force_names(),
                    },
                });
            }
        }
        let months = filter
            .months
            .map(|(first, last)| (month_to_days(first), month_to_days(last)));
        self.build(|_, file| {
            Some(
                (0..file.rows())
                    .map(|row| {
                        (csps.is_empty() || area_kept[file.area.get(row) as usize])
                            && (forces.is_empty()
                                || force_kept[file.falls_within.get(row) as usize])
                            && months.is_none_or(|(first, last)| {
                                (first..=last).contains(&file.month_days(row))
                            })
                    })
                    .collect(),
            )
        })
    }

    fn csp_names(&self) -> Vec<String> {
        let names: BTreeSet<String> = self
            .labels
            .areas
            .iter()
            .filter_map(|a| a.place.as_ref())
            .map(|p| p.csp_name.to_string())
            .collect();
        names.into_iter().collect()
    }

    fn force_names(&self) -> Vec<String> {
        let names: BTreeSet<String> = self.labels.forces.iter().map(|f| f.to_string()).collect();
        names.into_iter().collect()
    }

    /// The frame of the rows each file's `keep` keeps (all of them where it gives `None`).
    fn build(
        &self,
        keep: impl Fn(usize, &CompactFile) -> Option<Vec<bool>> + Sync,
    ) -> Result<DataFrame> {
        let frames = in_parallel(
            self.files.len(),
            self.threads,
            || (),
            |_, f| {
                let file = &self.files[f];
                let mask = keep(f, file);
                file.frame(mask.as_deref())
            },
        );
        let mut frames = frames.into_iter().collect::<PolarsResult<Vec<_>>>()?;
        if frames.is_empty() {
            frames.push(CompactFile::new("", self.kind, 0).frame(None)?);
        }
        // Files with no row kept add nothing (but the frame keeps its columns).
        let first = frames.remove(0);
        let rest = frames.into_iter().filter(|f| f.height() > 0);
        concat(std::iter::once(first).chain(rest).collect())
    }

    /// The labels of `name` in `file`: the read's (the same in every file) but for `file` and
    /// `crime_id`, which are each file's own.
    fn labels_of<'a>(&self, file: &'a CompactFile, name: &str) -> Result<FileLabels<'a>> {
        let l = &file.labels;
        let text = |s: &'a str| Some(Cow::Borrowed(s));
        let texts = |t: &'a [Box<str>]| FileLabels::Str(t.iter().map(|s| text(s)).collect());
        let areas = |get: &dyn Fn(&'a Area) -> Option<&'a str>| {
            FileLabels::Str(l.areas.iter().map(|a| get(a).map(Cow::Borrowed)).collect())
        };
        let place = |get: fn(&'a LsoaPlace) -> &'a str| {
            areas(&|a| a.place.as_ref().map(get).filter(|s| !s.is_empty()))
        };
        let outcomes = |get: fn(&'a OutcomeLabel) -> Option<&'a str>| {
            FileLabels::Str(
                l.outcomes
                    .iter()
                    .map(|o| o.as_ref().and_then(get).map(Cow::Borrowed))
                    .collect(),
            )
        };
        let street = self.kind == FileKind::Street;
        let outcome_name = if street { "last_outcome" } else { "outcome" };
        Ok(match name {
            "month" => FileLabels::Date(l.months.iter().map(|&d| Some(d)).collect()),
            "reported_by" => texts(&l.reporting_forces),
            "falls_within" => texts(&l.forces),
            "location" => texts(&l.locations),
            "lsoa_code" => areas(&|a| a.code.as_deref()),
            "lsoa_name" => areas(&|a| a.name.as_deref()),
            "local_authority_code" => place(|p| &p.local_authority_code),
            "local_authority_name" => place(|p| &p.local_authority_name),
            "csp_code" => place(|p| &p.csp_code),
            "csp_name" => place(|p| &p.csp_name),
            "crime_type" if street => {
                FileLabels::Str(l.crime_types.iter().map(|t| text(&t.text)).collect())
            }
            "crime_type_known" if street => {
                FileLabels::Bool(l.crime_types.iter().map(|t| Some(t.known)).collect())
            }
            "is_asb" if street => {
                FileLabels::Bool(l.crime_types.iter().map(|t| Some(t.asb)).collect())
            }
            n if n == outcome_name => outcomes(|o| Some(&o.text)),
            "outcome_group" => outcomes(|o| o.group),
            "outcome_known" => FileLabels::Bool(
                l.outcomes
                    .iter()
                    .map(|o| o.as_ref().map(|o| o.group.is_some()))
                    .collect(),
            ),
            "outside_force" => FileLabels::Bool(vec![Some(false), Some(true)]),
            "file" => FileLabels::Str(vec![text(&file.display)]),
            "crime_id" => {
                let mut id = String::new();
                let ids = (0..file.rows())
                    .map(|row| file.ids.write(row, &mut id).then(|| Cow::Owned(id.clone())))
                    .collect();
                FileLabels::Str(ids)
            }
            "longitude" | "latitude" | "line" => {
                return Err(DataError::ColumnType {
                    name: name.to_owned(),
                    dtype: if name == "line" { "u32" } else { "f64" }.to_owned(),
                    expected: "only string, boolean and date columns can be grouped by",
                })
            }
            _ => {
                return Err(DataError::MissingColumn {
                    name: name.to_owned(),
                    available: self.column_names().iter().map(|&n| n.to_owned()).collect(),
                })
            }
        })
    }

    /// How `file`'s rows index the labels of `name` (a column [`Self::labels_of`] knows).
    fn row_index<'a>(&self, file: &'a CompactFile, name: &str) -> RowIndex<'a> {
        RowIndex::Codes(match name {
            "file" => return RowIndex::Constant,
            "crime_id" => return RowIndex::Own,
            "month" => &file.month,
            "reported_by" => &file.reported_by,
            "falls_within" => &file.falls_within,
            "location" => &file.location,
            "crime_type" | "crime_type_known" | "is_asb" => &file.crime_type,
            "last_outcome" | "outcome" | "outcome_group" | "outcome_known" => &file.outcome,
            "outside_force" => &file.outside_force,
            // The LSOA and its place.
            _ => &file.area,
        })
    }

    /// The values of a date (`month`) or boolean column row by row, read straight from the
    /// codes: no key column is built, for the counting that needs only each row's value.
    pub(crate) fn row_values(&self, name: &str) -> Result<RowValuesOf<'_>> {
        let empty = CompactFile::new("", self.kind, 0);
        let labels = self.labels_of(self.files.first().unwrap_or(&empty), name)?;
        Ok(match labels {
            FileLabels::Date(values) => RowValuesOf::Date(Box::new(self.rows_of(name, values))),
            FileLabels::Bool(values) => RowValuesOf::Bool(Box::new(self.rows_of(name, values))),
            _ => RowValuesOf::Other,
        })
    }

    /// Each row's value of `name`, from the read's `values` (a column with shared labels).
    fn rows_of<T: Copy + 'static>(
        &self,
        name: &str,
        values: Vec<Option<T>>,
    ) -> impl Iterator<Item = Option<T>> + '_ {
        let indexes: Vec<(usize, RowIndex<'_>)> = self
            .files
            .iter()
            .map(|file| (file.rows(), self.row_index(file, name)))
            .collect();
        indexes.into_iter().flat_map(move |(rows, index)| {
            let codes: Box<dyn Iterator<Item = u32> + Send + '_> = match index {
                RowIndex::Codes(codes) => codes.iter(),
                RowIndex::Constant => Box::new(std::iter::repeat_n(0, rows)),
                RowIndex::Own => Box::new(0..rows as u32),
            };
            let values = values.clone();
            codes.map(move |code| values[code as usize])
        })
    }

    /// `name` as a key column: codes of its sorted distinct values (only those some row has).
    pub(crate) fn key_column(&self, name: &str) -> Result<KeyColumn> {
        let empty = CompactFile::new("", self.kind, 0);
        // The read's labels, made once for every file (and the check that `name` is a column).
        let shared = self.labels_of(self.files.first().unwrap_or(&empty), name)?;
        let own = matches!(name, "file" | "crime_id");
        let parts = self
            .files
            .iter()
            .map(|file| {
                let labels = if own {
                    self.labels_of(file, name)?
                } else {
                    FileLabels::Shared
                };
                Ok((labels, self.row_index(file, name)))
            })
            .collect::<Result<Vec<_>>>()?;
        let rows = self.height();
        let (codes, values) = match shared {
            FileLabels::Bool(values) => {
                let (codes, values) = code_rows(&self.files, &values, parts, rows, |_| None);
                (codes, KeyValues::Bool(values))
            }
            FileLabels::Date(values) => {
                let (codes, values) = code_rows(&self.files, &values, parts, rows, |_| None);
                (codes, KeyValues::Date(values))
            }
            FileLabels::Str(values) => {
                let owned = |v: Vec<Option<Cow<'_, str>>>| -> Vec<Option<String>> {
                    v.into_iter().map(|v| v.map(Cow::into_owned)).collect()
                };
                let (codes, values) = code_rows(
                    &self.files,
                    &owned(values),
                    parts,
                    rows,
                    |labels| match labels {
                        FileLabels::Str(v) => Some(owned(v)),
                        _ => None,
                    },
                );
                (codes, KeyValues::Str(values))
            }
            FileLabels::Shared => unreachable!("labels_of never gives Shared"),
        };
        Ok(KeyColumn {
            name: name.to_owned(),
            codes,
            values,
        })
    }

    /// The first and last month of the records, if any.
    pub fn month_range(&self) -> Option<(Month, Month)> {
        let days = self
            .files
            .iter()
            .flat_map(|f| f.month.iter().map(move |c| f.labels.months[c as usize]));
        let (lo, hi) = days.fold((i32::MAX, i32::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
        Some((days_to_month(lo)?, days_to_month(hi)?))
    }
}

/// Codes every row of `files` by the values of its labels (first seen, then sorted; a label no
/// row has is never coded). `parts` gives each file's labels (`Shared`: the read's, `shared`)
/// and how its rows index them; `own` turns a file's own labels into values.
fn code_rows<'a, T: Ord + Hash + Clone>(
    files: &[CompactFile],
    shared: &[Option<T>],
    parts: Vec<(FileLabels<'a>, RowIndex<'a>)>,
    rows: usize,
    own: impl Fn(FileLabels<'a>) -> Option<Vec<Option<T>>>,
) -> (Vec<u32>, Vec<Option<T>>) {
    let mut first_seen: PlHashMap<Option<T>, u32> = PlHashMap::default();
    let mut codes: Vec<u32> = Vec::with_capacity(rows);
    // The read's labels are coded once for every file.
    let mut shared_remap: Vec<Option<u32>> = vec![None; shared.len()];
    for (file, (labels, index)) in files.iter().zip(parts) {
        let mut own_values = None;
        let mut own_remap = Vec::new();
        let values: &[Option<T>] = match labels {
            FileLabels::Shared => shared,
            labels => {
                own_values = own(labels);
                own_remap = vec![None; own_values.as_ref().map_or(0, Vec::len)];
                own_values.as_deref().unwrap_or(&[])
            }
        };
        let remap = if own_values.is_some() {
            &mut own_remap
        } else {
            &mut shared_remap
        };
        let mut code_of = |label: usize| -> u32 {
            *remap[label].get_or_insert_with(|| {
                let next = first_seen.len() as u32;
                *first_seen.entry(values[label].clone()).or_insert(next)
            })
        };
        match index {
            RowIndex::Codes(row_codes) => {
                codes.extend(row_codes.iter().map(|label| code_of(label as usize)));
            }
            RowIndex::Constant => {
                if file.rows() > 0 {
                    let code = code_of(0);
                    codes.extend(std::iter::repeat_n(code, file.rows()));
                }
            }
            RowIndex::Own => codes.extend((0..file.rows()).map(&mut code_of)),
        }
    }
    sorted_codes(codes, first_seen)
}
