//! The data-quality log of the readers: one row per finding, with the file, the line, what was
//! odd, how many rows it touched and what was done about it.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

/// A kind of finding: its label in the log's `kind` column and the action taken.
pub(crate) trait FindingKind: Copy + Ord {
    /// The label in the log's `kind` column.
    fn label(self) -> &'static str;
    /// What was done about it, for the log's `action` column.
    fn action(self) -> &'static str;
}

/// The first line a finding was seen at, and how many rows it touched.
type Tally = (Option<u64>, u64);

/// One row of the log frame: file, kind, detail and tally.
type LogRow<K> = (String, K, Box<str>, Tally);

/// Findings keyed by file, kind and detail: the first line and the number of rows.
///
/// Nested maps so that recording a finding already seen allocates nothing (a big file can have
/// thousands of "No Location" rows).
#[derive(Debug)]
pub(crate) struct Log<K> {
    entries: BTreeMap<String, BTreeMap<K, HashMap<Box<str>, Tally>>>,
}

impl<K> Default for Log<K> {
    fn default() -> Self {
        Log {
            entries: BTreeMap::new(),
        }
    }
}

impl<K: FindingKind> Log<K> {
    /// Records `count` rows with `finding` in `file`, first seen at `line`.
    pub fn add(&mut self, file: &str, line: Option<u64>, finding: K, detail: &str, count: u64) {
        let by_kind = match self.entries.get_mut(file) {
            Some(by_kind) => by_kind,
            None => self.entries.entry(file.to_owned()).or_default(),
        };
        let details = by_kind.entry(finding).or_default();
        let entry = match details.get_mut(detail) {
            Some(entry) => entry,
            None => details.entry(detail.into()).or_insert((line, 0)),
        };
        entry.1 += count;
        if entry.0.is_none() || (line.is_some() && line < entry.0) {
            entry.0 = line.or(entry.0);
        }
    }

    /// Merges another log into this one.
    pub fn extend(&mut self, other: Log<K>) {
        for (file, by_kind) in other.entries {
            for (finding, details) in by_kind {
                for (detail, (line, count)) in details {
                    self.add(&file, line, finding, &detail, count);
                }
            }
        }
    }

    /// The log as a frame: `file, line, kind, detail, count, action`.
    pub fn into_frame(self) -> PolarsResult<DataFrame> {
        let mut rows: Vec<LogRow<K>> = Vec::new();
        for (file, by_kind) in self.entries {
            for (finding, details) in by_kind {
                let mut details: Vec<_> = details.into_iter().collect();
                details.sort_by(|a, b| (a.1 .0, &a.0).cmp(&(b.1 .0, &b.0)));
                for (detail, (line, count)) in details {
                    rows.push((file.clone(), finding, detail, (line, count)));
                }
            }
        }
        let n = rows.len();
        let mut file = Vec::with_capacity(n);
        let mut line = Vec::with_capacity(n);
        let mut kind = Vec::with_capacity(n);
        let mut detail = Vec::with_capacity(n);
        let mut count = Vec::with_capacity(n);
        let mut action = Vec::with_capacity(n);
        for (f, finding, d, (l, c)) in rows {
            file.push(f);
            line.push(l);
            kind.push(finding.label());
            detail.push(d.into_string());
            count.push(c);
            action.push(finding.action());
        }
        DataFrame::new(
            n,
            vec![
                Column::new("file".into(), file),
                Column::new("line".into(), line),
                Column::new("kind".into(), kind),
                Column::new("detail".into(), detail),
                Column::new("count".into(), count),
                Column::new("action".into(), action),
            ],
        )
    }
}
