//! The checks behind the fuzz targets in `fuzz/` and their smoke test in `make test`: each takes
//! arbitrary bytes, runs one reader on them, and panics only when the reader breaks a promise: a
//! panic inside it, a record count or field that differs from the `csv` crate's on the same text,
//! or a row neither kept nor logged. Not part of the API (hidden from the documentation).

use std::io::Cursor;
use std::path::Path;

use crimeperf::{FinancialYear, Month, Quarter};
use polars::prelude::*;

use crate::geography::Geography;
use crate::police_uk::{self, spreadsheet_month, Splitter};
use crate::{DuplicatePolicy, FileKind, ReadOptions};

/// The records of `bytes` as the `csv` crate splits them with `delimiter` (a quoted field may span
/// lines; only a line feed ends a record), leaving out blank lines (empty, or a carriage return
/// alone): an independent count of a police.uk file's records, header included.
pub fn csv_records(bytes: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(bytes);
    let mut records = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let start = reader.position().byte() as usize;
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) | Err(_) => break,
        }
        let end = reader.position().byte() as usize;
        let raw = bytes.get(start..end).unwrap_or_default();
        if raw == b"\r\n" || raw == b"\r" {
            continue;
        }
        let mut fields: Vec<Vec<u8>> = record.iter().map(<[u8]>::to_vec).collect();
        // A carriage return before the line feed is part of the line break, not the field.
        if let Some(last) = fields.last_mut() {
            if last.last() == Some(&b'\r') {
                last.pop();
            }
        }
        records.push(fields);
    }
    records
}

/// The splitter against the `csv` crate: the same records with the same fields, for comma- and
/// semicolon-separated text.
///
/// # Panics
///
/// When they differ.
pub fn splitter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for delimiter in [b',', b';'] {
        let expected = csv_records(data, delimiter);
        let mut splitter = Splitter::with_delimiter(text, delimiter);
        let mut found: Vec<Vec<Vec<u8>>> = Vec::new();
        while let Some(record) = splitter.next_record() {
            found.push(
                (0..record.len())
                    .map(|i| record.get(i).as_bytes().to_vec())
                    .collect(),
            );
        }
        assert_eq!(
            found,
            expected,
            "{text:?} split at {:?}",
            char::from(delimiter)
        );
    }
}

/// The rows a read dropped, as its log says: malformed lines, unparseable months, collapsed
/// identical copies, and lines above the header.
pub fn rows_dropped(log: &DataFrame) -> u64 {
    let (Ok(kinds), Ok(counts)) = (log.column("kind"), log.column("count")) else {
        return 0;
    };
    let (Ok(kinds), Ok(counts)) = (kinds.str(), counts.u64()) else {
        return 0;
    };
    kinds
        .iter()
        .zip(counts.iter())
        .filter(|(kind, _)| {
            matches!(
                kind,
                Some(
                    "malformed_line"
                        | "bad_month"
                        | "duplicate_crime_id_identical"
                        | "lines_above_header"
                )
            )
        })
        .map(|(_, count)| count.unwrap_or(0))
        .sum()
}

/// A police.uk file read whole (its first byte chooses street or outcomes): a result or a typed
/// error, never a panic; and for comma-separated UTF-8 text, every data row kept or logged.
///
/// # Panics
///
/// When a row is lost (or the reader panics).
pub fn police_uk_file(data: &[u8]) {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let (kind, name) = if choice % 2 == 0 {
        (FileKind::Street, "2025-01-essex-street.csv")
    } else {
        (FileKind::Outcomes, "2025-01-essex-outcomes.csv")
    };
    let options = ReadOptions {
        kind,
        // Every differing copy kept, so that each dropped row is logged where it was.
        duplicates: DuplicatePolicy::KeepAll,
        threads: 1,
        ..ReadOptions::default()
    };
    // Built once: the lookup takes far longer to read than a fuzz input.
    static GEOGRAPHY: std::sync::OnceLock<Option<Geography>> = std::sync::OnceLock::new();
    let Some(geography) = GEOGRAPHY.get_or_init(|| Geography::bundled().ok()) else {
        return;
    };
    let Ok(data) = police_uk::read_in_memory(&[(name, bytes)], geography, &options) else {
        return;
    };
    // The independent count applies to the text as police.uk writes it: UTF-8, no byte-order
    // mark, commas, line feeds.
    let plain = std::str::from_utf8(bytes).is_ok_and(|text| {
        !text.starts_with('\u{feff}')
            && police_uk::delimiter_of(text) == b','
            && (text.contains('\n') || !text.contains('\r'))
    });
    if plain {
        let rows = csv_records(bytes, b',').len().saturating_sub(1) as u64;
        let kept = data.records.height() as u64;
        assert_eq!(rows, kept + rows_dropped(&data.log), "{}", data.log);
    }
}

/// The ONS workbook reader on arbitrary bytes: a result or a typed error, never a panic.
pub fn ons_workbook(data: &[u8]) {
    let _ = crate::ons::read_workbook(Cursor::new(data), Path::new("fuzz.xlsx"));
}

/// Month, quarter and financial-year parsing: a value or an error, never a panic, and a month
/// read back from its own label is the same month.
///
/// # Panics
///
/// When a label does not read back as its value.
pub fn periods(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(month) = text.parse::<Month>() {
        assert_eq!(month.to_string().parse::<Month>().ok(), Some(month));
    }
    if let Some((month, _)) = spreadsheet_month(&text) {
        assert_eq!(month.to_string().parse::<Month>().ok(), Some(month));
    }
    if let Ok(quarter) = text.parse::<Quarter>() {
        assert_eq!(quarter.to_string().parse::<Quarter>().ok(), Some(quarter));
    }
    if let Ok(year) = text.parse::<FinancialYear>() {
        assert_eq!(year.to_string().parse::<FinancialYear>().ok(), Some(year));
    }
    let _ = text.parse::<crimeperf::Period>();
}
