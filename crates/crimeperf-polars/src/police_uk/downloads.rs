//! The same force and month downloaded twice: analysts download police.uk archives again and
//! again, and a later download of a month carries more advanced outcomes. One copy is read: the
//! later download when the folder or archive names say which, otherwise the copy with the more
//! advanced outcomes, otherwise the first read. The log says which and why.

use std::collections::{BTreeMap, BTreeSet};

use super::compact::CompactFile;
use super::files::SourceFile;
use super::log::{Finding, Log};
use super::parse::ParsedFile;
use super::{outcome_stage, FileKind};
use crate::dates::days_to_month;
use crate::error::Result;

/// The force-months a file holds, e.g. `{("Essex Police", "2025-01")}`.
type ForceMonths = BTreeSet<(String, String)>;

fn force_months(file: &CompactFile) -> ForceMonths {
    let mut set = ForceMonths::new();
    let mut last: Option<(u32, u32)> = None;
    for (force, month) in file.falls_within.iter().zip(file.month.iter()) {
        if last == Some((force, month)) {
            continue;
        }
        last = Some((force, month));
        if let Some(month) = days_to_month(file.labels.months[month as usize]) {
            let force = file.labels.forces[force as usize].to_string();
            set.insert((force, month.to_string()));
        }
    }
    set
}

/// Final and pending outcomes in a file (street files' `last_outcome`; none in outcome files).
fn outcome_progress(file: &CompactFile) -> (u64, u64) {
    if file.kind != FileKind::Street {
        return (0, 0);
    }
    let stages: Vec<u8> = file
        .labels
        .outcomes
        .iter()
        .map(|o| outcome_stage(o.as_ref().map(|o| &*o.text)))
        .collect();
    let (mut finals, mut pending) = (0u64, 0u64);
    for code in file.outcome.iter() {
        let stage = stages[code as usize];
        finals += u64::from(stage == 2);
        pending += u64::from(stage == 1);
    }
    (finals, pending)
}

/// The latest `YYYY-MM` in the folders or archive holding the file (not its own name), other
/// than the months the file itself holds: the month of the download, when its name says.
fn download_month(display: &str, own: &ForceMonths) -> Option<String> {
    let holder = &display[..display.rfind(['/', '\\']).unwrap_or(0)];
    let bytes = holder.as_bytes();
    let mut best: Option<String> = None;
    for start in 0..bytes.len().saturating_sub(6) {
        let token = &bytes[start..start + 7];
        let digit = |i: usize| token[i].is_ascii_digit();
        let bounded = (start == 0 || !bytes[start - 1].is_ascii_digit())
            && !bytes.get(start + 7).is_some_and(u8::is_ascii_digit);
        if bounded && (0..4).all(digit) && token[4] == b'-' && digit(5) && digit(6) {
            let text = String::from_utf8_lossy(token).into_owned();
            let month_ok = text.parse::<crimeperf::Month>().is_ok();
            if month_ok && !own.iter().any(|(_, m)| *m == text) && best.as_ref() < Some(&text) {
                best = Some(text);
            }
        }
    }
    best
}

/// One parsed file per force-month set: the copies of a month downloaded more than once are
/// dropped, each with a `duplicate_file` log row naming the copy kept and why.
pub(crate) fn one_copy_per_month(
    files: &[&SourceFile],
    parsed: Vec<ParsedFile>,
    summaries: &[FileSummary],
    log: &mut Log,
) -> Result<Vec<ParsedFile>> {
    let dropped = dropped_copies(files, summaries, log);
    Ok(parsed
        .into_iter()
        .zip(dropped)
        .filter(|(_, d)| !d)
        .map(|(p, _)| p)
        .collect())
}

/// What choosing between copies of a month needs to know of a file (so that a batched read
/// can choose without keeping the files).
pub(crate) struct FileSummary {
    months: ForceMonths,
    progress: (u64, u64),
    rows: usize,
}

impl FileSummary {
    /// The summary of a parsed file (its labels the file's own or the read's).
    pub fn of(file: &CompactFile) -> Self {
        FileSummary {
            months: force_months(file),
            progress: outcome_progress(file),
            rows: file.rows(),
        }
    }
}

/// Which files are copies of a force-month read from another file, each logged with the copy
/// kept and why (`files` and `summaries` in reading order).
pub(crate) fn dropped_copies(
    files: &[&SourceFile],
    summaries: &[FileSummary],
    log: &mut Log,
) -> Vec<bool> {
    let sets: Vec<&ForceMonths> = summaries.iter().map(|s| &s.months).collect();
    let mut copies: BTreeMap<&ForceMonths, Vec<usize>> = BTreeMap::new();
    for (index, set) in sets.iter().enumerate() {
        if !set.is_empty() {
            copies.entry(*set).or_default().push(index);
        }
    }
    let mut dropped = vec![false; summaries.len()];
    for (set, indices) in copies.iter().filter(|(_, i)| i.len() > 1) {
        let months: Vec<Option<String>> = indices
            .iter()
            .map(|&i| download_month(&files[i].display, set))
            .collect();
        let progress: Vec<(u64, u64)> = indices.iter().map(|&i| summaries[i].progress).collect();
        let distinct_months: BTreeSet<&Option<String>> = months.iter().collect();
        // Earlier positions win ties: the first read.
        let (kept, why) = if months.iter().all(Option::is_some) && distinct_months.len() > 1 {
            let best = (0..indices.len())
                .rev()
                .max_by_key(|&k| &months[k])
                .unwrap_or(0);
            let month = months[best].as_deref().unwrap_or("");
            (
                best,
                format!("the later download ({month}, from the folder or archive name)"),
            )
        } else {
            let best = (0..indices.len())
                .rev()
                .max_by_key(|&k| progress[k])
                .unwrap_or(0);
            let (finals, pending) = progress[best];
            if progress.iter().all(|&p| p == progress[best]) {
                (best, "the same outcomes; the first read".to_owned())
            } else {
                (
                    best,
                    format!("the more advanced outcomes ({finals} final and {pending} pending)"),
                )
            }
        };
        let kept_display = &files[indices[kept]].display;
        let what = set
            .iter()
            .map(|(force, month)| format!("{force} {month}"))
            .collect::<Vec<_>>()
            .join(", ");
        for (k, &index) in indices.iter().enumerate() {
            if k == kept {
                continue;
            }
            dropped[index] = true;
            let (finals, pending) = progress[k];
            log.add(
                &files[index].display,
                None,
                Finding::DuplicateFile,
                &format!(
                    "{what} read from {kept_display} instead: {why}; this copy's {} rows have \
                     {finals} final and {pending} pending outcomes",
                    summaries[index].rows
                ),
                1,
            );
        }
    }
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_months_come_from_folders_and_archives_not_the_file() {
        let own: ForceMonths = [("Essex Police".to_owned(), "2025-01".to_owned())].into();
        assert_eq!(
            download_month("dl/2025-06.zip!2025-01/2025-01-essex-street.csv", &own),
            Some("2025-06".to_owned())
        );
        assert_eq!(
            download_month("downloads/2025-01/2025-01-essex-street.csv", &own),
            None
        );
        assert_eq!(download_month("x/12025-066/a.csv", &own), None);
    }
}
