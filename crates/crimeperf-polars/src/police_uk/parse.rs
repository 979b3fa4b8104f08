//! Parsing one police.uk CSV into columns, placing each row with the geography lookup and
//! recording everything odd in the log.

use super::compact::{
    code_of, CompactFile, CrimeTypeLabel, Interner, Labels as Tables, OutcomeLabel, RowCodes,
};
use super::files::SourceFile;
use super::limits::LineEndings;
use super::log::{Finding, Log};
use super::split::{Record, Splitter};
use super::spreadsheet;
use super::views::Labels;
use super::FileKind;
use crate::cancel::{self, Cancel};
use crate::dates::month_to_days;
use crate::error::{DataError, Result};
use crate::geography::{force_key, Geography, LsoaPlace};
use polars::prelude::PlHashMap;
use std::sync::{Arc, Mutex};

use crimeperf::{CrimeType, Month, Outcome};

/// The columns of a police.uk file, by their header names (lower case).
struct Layout {
    crime_id: usize,
    month: usize,
    reported_by: Option<usize>,
    falls_within: usize,
    longitude: Option<usize>,
    latitude: Option<usize>,
    location: Option<usize>,
    lsoa_code: Option<usize>,
    lsoa_name: Option<usize>,
    /// "Crime type" in street files.
    crime_type: Option<usize>,
    /// "Last outcome category" in street files, "Outcome type" in outcome files.
    outcome: Option<usize>,
    fields: usize,
}

impl Layout {
    fn from_header(header: &Record<'_>, kind: FileKind, file: &str) -> Result<Layout> {
        let names: Vec<String> = (0..header.len())
            .map(|i| header.get(i))
            .map(|f| f.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
            .collect();
        let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
        let unknown = || DataError::UnknownHeader {
            file: file.to_owned(),
            header: names.join(","),
            kind: kind.suffix(),
        };
        let (crime_type, outcome) = match kind {
            FileKind::Street => (
                Some(find(&["crime type"]).ok_or_else(unknown)?),
                find(&["last outcome category"]),
            ),
            FileKind::Outcomes => (None, Some(find(&["outcome type"]).ok_or_else(unknown)?)),
        };
        Ok(Layout {
            crime_id: find(&["crime id", "persistent id"]).ok_or_else(unknown)?,
            month: find(&["month"]).ok_or_else(unknown)?,
            reported_by: find(&["reported by"]),
            falls_within: find(&["falls within"]).ok_or_else(unknown)?,
            longitude: find(&["longitude"]),
            latitude: find(&["latitude"]),
            location: find(&["location"]),
            lsoa_code: find(&["lsoa code"]),
            lsoa_name: find(&["lsoa name"]),
            crime_type,
            outcome,
            fields: names.len(),
        })
    }
}

/// How many records may stand above the header (titles and notes a spreadsheet added) before a
/// file is taken not to be a police.uk file at all.
pub(crate) const MAX_LINES_ABOVE_HEADER: u64 = 10;

/// A parsed file: its rows in compact form and its findings.
pub(crate) struct ParsedFile {
    pub records: CompactFile,
    pub log: Log,
}

/// What a crime type label is: its code in the file, whether it is in the taxonomy, and
/// whether it is anti-social behaviour.
#[derive(Clone, Copy)]
struct CrimeTypeSeen {
    code: u32,
    known: bool,
    asb: bool,
}

/// An LSOA code as first seen by a worker: its area's code in the read's table (the code with
/// the name written beside it), its place, and that name (another name written beside the code
/// is an area of its own).
#[derive(Clone)]
struct SeenLsoa<'g> {
    area: u32,
    place: Option<&'g LsoaPlace>,
    name_as_written: String,
}

/// The LSOA of the row before (code and name as written, under which force) and what was made
/// of it: rows come in runs of one LSOA (a file is ordered by place, about 11 rows a run), so
/// most rows need no lookup. Its texts are copies, kept in their room from row to row.
#[derive(Default)]
struct LastPlace<'g> {
    code: String,
    name: String,
    force: usize,
    area: u32,
    place: Option<&'g LsoaPlace>,
    outside: bool,
}

impl<'g> LastPlace<'g> {
    fn remember(
        &mut self,
        code: &str,
        name: &str,
        force: usize,
        area: u32,
        place: Option<&'g LsoaPlace>,
        outside: bool,
    ) {
        self.code.clear();
        self.code.push_str(code);
        self.name.clear();
        self.name.push_str(name);
        (self.force, self.area, self.place, self.outside) = (force, area, place, outside);
    }
}

/// What a worker keeps from file to file: its read buffer; its tables of the small labels with
/// their room (emptied for each file, as their codes index that file's tables); and the codes in
/// the read's tables of the locations and LSOAs it has met (kept, as those codes are the read's).
#[derive(Default)]
pub(crate) struct Scratch<'g> {
    buffer: Vec<u8>,
    /// Month labels mean the same in every file, so these are kept: the month, and how a
    /// spreadsheet wrote it when not as police.uk does.
    months: Labels<Option<(i32, Option<&'static str>)>>,
    crime_types: Labels<CrimeTypeSeen>,
    /// The code of an outcome label (0 for a blank) and whether it is in the taxonomy.
    outcomes: Labels<(u32, bool)>,
    reporting_forces: Labels<u32>,
    /// "Falls within": its code, and the index of its force key in `force_keys`.
    forces: Labels<(u32, usize)>,
    force_keys: Vec<String>,
    /// Locations as written, each with its code in the read's table: kept from file to file,
    /// because a street is written in every month's file, and a file has thousands of them
    /// (coding them per file, then again into the read's table, cost a quarter of a read).
    read_locations: PlHashMap<String, u32>,
    /// LSOA codes, kept from file to file as the locations are.
    read_lsoas: PlHashMap<String, SeenLsoa<'g>>,
    /// Areas whose LSOA name differs from the one first written beside the code, by
    /// `code\nname`, with their codes in the read's table.
    renamed_lsoas: PlHashMap<String, u32>,
}

impl Scratch<'_> {
    fn start_file(&mut self) {
        self.crime_types.clear();
        self.outcomes.clear();
        self.reporting_forces.clear();
        self.forces.clear();
        self.force_keys.clear();
    }
}

/// The file's text with every line that is not UTF-8 blanked (so that line numbers stay right),
/// each logged.
fn without_bad_lines(bytes: &[u8], display: &str, log: &mut Log) -> String {
    let mut text = String::with_capacity(bytes.len());
    for (index, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        match std::str::from_utf8(line) {
            Ok(line) => text.push_str(line),
            Err(_) => {
                let line_number = index as u64 + 1;
                let detail = "bytes that are not UTF-8";
                log.add(
                    display,
                    Some(line_number),
                    Finding::MalformedLine,
                    detail,
                    1,
                );
                if line.ends_with(b"\n") {
                    text.push('\n');
                }
            }
        }
    }
    text
}

/// A coordinate: a plain decimal such as `-0.703617` (every police.uk coordinate) is converted
/// exactly here, anything else by the standard library.
///
/// With at most 15 significant digits the digits form an integer below 2^53 and the power of ten
/// is at most 10^22, both exact as `f64`, so one IEEE division gives the correctly rounded value:
/// the same `f64` as `str::parse` (Clinger's fast path).
fn parse_coordinate(text: &str) -> Option<f64> {
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let mut mantissa: u64 = 0;
    let mut count = 0usize;
    let mut point: Option<usize> = None;
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' if count < 15 => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                count += 1;
            }
            b'.' if point.is_none() => point = Some(i),
            _ => return text.parse().ok(),
        }
    }
    let decimals = point.map_or(0, |p| digits.len() - p - 1);
    if count == 0 || decimals >= POWERS.len() {
        return text.parse().ok();
    }
    let value = mantissa as f64 / POWERS[decimals];
    Some(if negative { -value } else { value })
}

/// Parses one file, reading it into the worker's buffer.
pub(crate) fn parse<'g>(
    file: &SourceFile,
    scratch: &mut Scratch<'g>,
    kind: FileKind,
    geography: &'g Geography,
    interner: &Mutex<Interner>,
    cancel: Option<&Cancel>,
) -> Result<ParsedFile> {
    let mut log = Log::default();
    let display = file.display.as_str();
    scratch.start_file();
    let Scratch {
        buffer,
        months,
        crime_types,
        outcomes,
        reporting_forces,
        forces,
        force_keys,
        read_locations,
        read_lsoas,
        renamed_lsoas,
    } = scratch;
    let endings = file.load_into(buffer, cancel)?;
    // What a spreadsheet program did to the file and was undone, logged once the rows are
    // counted.
    let mut undone: Vec<&'static str> = Vec::new();
    if endings == LineEndings::CarriageReturn {
        undone.push(
            "lines end in carriage returns alone (a \"CSV (Macintosh)\" export); read as line \
             breaks",
        );
    }
    let (bytes, had_mark) = spreadsheet::without_byte_order_mark(buffer);
    if had_mark {
        undone.push("a byte-order mark at the start (as Excel's \"CSV UTF-8\" writes); removed");
    }
    // Checked once for the whole file; only a file with bad bytes is checked line by line.
    let repaired;
    let text = match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) if spreadsheet::looks_like_windows_1252(bytes) => {
            let (decoded, lines) = spreadsheet::from_windows_1252(bytes);
            let detail = "text in Windows-1252, not UTF-8 (as Excel saves \"CSV (Comma \
                          delimited)\"); decoded as Windows-1252";
            log.add(display, None, Finding::SpreadsheetExport, detail, lines);
            repaired = decoded;
            repaired.as_str()
        }
        Err(_) => {
            repaired = without_bad_lines(bytes, display, &mut log);
            repaired.as_str()
        }
    };
    let delimiter = spreadsheet::delimiter(text);
    if delimiter == b';' {
        undone.push(
            "fields separated by semicolons (a spreadsheet's export where the decimal mark is a \
             comma); read so, with decimal commas in coordinates",
        );
    }
    let mut records = Splitter::with_delimiter(text, delimiter);
    // The header is the first record, or one of the first few below a title a spreadsheet
    // added ("Essex Police street crime, January 2025"); the lines above it are logged.
    let mut first_error = None;
    let mut above = 0;
    let layout = loop {
        let Some(record) = records.next_record() else {
            if let Some(err) = first_error {
                return Err(err);
            }
            let empty = CompactFile::new(display, kind, 0);
            return Ok(ParsedFile {
                records: empty,
                log,
            });
        };
        let line = record.line;
        match Layout::from_header(&record, kind, display) {
            Ok(layout) => {
                if above > 0 {
                    let detail = format!("{above} lines above the header (line {line})");
                    log.add(display, Some(1), Finding::LinesAboveHeader, &detail, above);
                }
                break layout;
            }
            Err(err) => {
                above += 1;
                // The error about the first line is the one to report.
                let first = first_error.take().unwrap_or(err);
                if above >= MAX_LINES_ABOVE_HEADER {
                    return Err(first);
                }
                first_error = Some(first);
            }
        }
    };
    // Rows are 150 to 250 bytes; room for more costs nothing until it is written to (untouched
    // pages are never mapped), while growing a column would copy it.
    let mut file_rows = CompactFile::new(display, kind, bytes.len() / 100 + 16);
    // Each distinct label is parsed and coded once per file, and looked up once per row.
    let mut month_codes: Vec<(i32, u32)> = Vec::new();
    let mut labels = Tables::default();
    let mut rows: u64 = 0;
    let mut last_place = LastPlace::default();
    // Rows whose Month a spreadsheet rewrote, by how: count, first line and first value.
    let mut rewritten_months: Vec<(&'static str, u64, u64, String)> = Vec::new();

    while let Some(record) = records.next_record() {
        let line = record.line;
        rows += 1;
        if rows.is_multiple_of(8192) {
            cancel::check(cancel)?;
        }
        if record.len() != layout.fields {
            let detail = format!("expected {} fields, found {}", layout.fields, record.len());
            log.add(display, Some(line), Finding::MalformedLine, &detail, 1);
            continue;
        }
        let field = |index: usize| record.get(index);
        let optional = |index: Option<usize>| index.map_or("", field);

        let month = *months.get(field(layout.month), |raw| {
            let raw = raw.trim();
            match raw.parse::<Month>() {
                Ok(month) => Some((
                    month_to_days(month),
                    (!spreadsheet::is_police_uk_month(raw))
                        .then_some("a date or a month name rather than YYYY-MM"),
                )),
                Err(_) => spreadsheet::spreadsheet_month(raw)
                    .map(|(month, form)| (month_to_days(month), Some(form))),
            }
        });
        let Some((month, written)) = month else {
            let raw = field(layout.month).trim();
            if spreadsheet::is_date_serial_number(raw) {
                return Err(DataError::SpreadsheetExport {
                    file: display.to_owned(),
                    reason: format!(
                        "line {line}: Month is {raw:?}, a spreadsheet's serial number for a date, \
                         not a month"
                    ),
                });
            }
            let detail = format!("Month {raw:?}");
            log.add(display, Some(line), Finding::BadMonth, &detail, 1);
            continue;
        };
        if let Some(form) = written {
            match rewritten_months.iter_mut().find(|r| r.0 == form) {
                Some(seen) => seen.1 += 1,
                None => {
                    rewritten_months.push((form, 1, line, field(layout.month).trim().to_owned()))
                }
            }
        }

        // Crime type (street files).
        let mut is_asb = false;
        let mut crime_type = None;
        if let Some(index) = layout.crime_type {
            let raw = field(index);
            let seen = *crime_types.lookup(raw, |raw| {
                let written = raw.trim();
                let (label, known, asb) = match written.parse::<CrimeType>() {
                    Ok(t) => (t.label().into(), true, t.is_incident()),
                    Err(_) => (written.into(), false, false),
                };
                let code = code_of(
                    &mut labels.crime_types,
                    CrimeTypeLabel {
                        text: label,
                        known,
                        asb,
                    },
                );
                CrimeTypeSeen { code, known, asb }
            });
            if !seen.known {
                log.add(
                    display,
                    Some(line),
                    Finding::UnknownCrimeType,
                    raw.trim(),
                    1,
                );
            }
            is_asb = seen.asb;
            crime_type = Some(seen.code);
        }

        // Outcome (a blank when the file has no outcome column).
        let mut outcome = 0;
        if let Some(index) = layout.outcome {
            let raw = field(index);
            let (code, known) = *outcomes.lookup(raw, |raw| {
                let written = raw.trim();
                if written.is_empty() {
                    return (0, true);
                }
                let label = match written.parse::<Outcome>() {
                    Ok(o) => OutcomeLabel {
                        text: o.label().into(),
                        group: Some(o.group().label()),
                    },
                    Err(_) => OutcomeLabel {
                        text: written.into(),
                        group: None,
                    },
                };
                let known = label.group.is_some();
                (code_of(&mut labels.outcomes, Some(label)), known)
            });
            if !known {
                log.add(display, Some(line), Finding::UnknownOutcome, raw.trim(), 1);
            }
            outcome = code;
        }

        let crime_id = field(layout.crime_id).trim();
        if crime_id.is_empty() && !is_asb && kind == FileKind::Street {
            log.add(display, Some(line), Finding::BlankCrimeId, "", 1);
        }
        file_rows.ids.push(crime_id);
        let month = match month_codes.iter().find(|(days, _)| *days == month) {
            Some(&(_, code)) => code,
            None => {
                let code = code_of(&mut labels.months, month);
                month_codes.push((month, code));
                code
            }
        };
        let reported_by = *reporting_forces.get(optional(layout.reported_by), |raw| {
            code_of(&mut labels.reporting_forces, raw.trim().into())
        });
        let (falls_within, force) = *forces.get(field(layout.falls_within), |raw| {
            let name = raw.trim();
            force_keys.push(force_key(name));
            (
                code_of(&mut labels.forces, name.into()),
                force_keys.len() - 1,
            )
        });

        let mut coordinate = |index: Option<usize>, what: &str| -> Option<f64> {
            let value = optional(index).trim();
            if value.is_empty() {
                return None;
            }
            let parsed = parse_coordinate(value).or_else(|| {
                // A decimal comma, in a file whose fields are separated by semicolons.
                (delimiter == b';')
                    .then(|| spreadsheet::decimal_point(value))
                    .flatten()
                    .and_then(|v| parse_coordinate(&v))
            });
            match parsed {
                Some(v) if v.is_finite() => Some(v),
                _ => {
                    let detail = format!("{what} {value:?}");
                    log.add(display, Some(line), Finding::BadCoordinates, &detail, 1);
                    None
                }
            }
        };
        let longitude = coordinate(layout.longitude, "longitude");
        let latitude = coordinate(layout.latitude, "latitude");
        let location_raw = optional(layout.location);
        let location = if location_raw.is_empty() {
            0
        } else {
            *read_locations
                .entry_ref(location_raw)
                .or_insert_with_key(|raw| {
                    Interner::with(interner, |read| read.location(raw.trim()))
                })
        };

        // Where the row is.
        let lsoa = optional(layout.lsoa_code).trim();
        let mut outside = false;
        let area;
        if lsoa.is_empty() {
            area = 0;
            let finding = if location_raw.trim().eq_ignore_ascii_case("no location") {
                Finding::NoLocation
            } else {
                Finding::BlankLsoa
            };
            log.add(display, Some(line), finding, "", 1);
        } else {
            let name_as_written = optional(layout.lsoa_name);
            let place;
            if last_place.code == lsoa
                && last_place.name == name_as_written
                && last_place.force == force
            {
                (area, place, outside) = (last_place.area, last_place.place, last_place.outside);
            } else {
                let area_code = |code: &str, name: &str, place: Option<&LsoaPlace>| {
                    Interner::with(interner, |read| read.area(code, name.trim(), place))
                };
                let seen = read_lsoas.entry_ref(lsoa).or_insert_with_key(|code| {
                    let place = geography.get(code);
                    SeenLsoa {
                        area: area_code(code, name_as_written, place),
                        place,
                        name_as_written: name_as_written.to_owned(),
                    }
                });
                place = seen.place;
                area = if seen.name_as_written == name_as_written {
                    seen.area
                } else {
                    *renamed_lsoas
                        .entry_ref(&format!("{lsoa}\n{name_as_written}"))
                        .or_insert_with(|| area_code(lsoa, name_as_written, place))
                };
                outside = place.is_some_and(|place| {
                    let lsoa_force = &place.force_key;
                    !lsoa_force.is_empty() && **lsoa_force != *force_keys[force]
                });
                last_place.remember(lsoa, name_as_written, force, area, place, outside);
            }
            match place {
                Some(place) if outside => {
                    let detail = format!(
                        "{lsoa} is in {} ({})",
                        place.local_authority_name, place.force_name
                    );
                    log.add(display, Some(line), Finding::LsoaOutsideForce, &detail, 1);
                }
                Some(_) => {}
                None => log.add(display, Some(line), Finding::UnknownLsoa, lsoa, 1),
            }
        }
        file_rows.push(RowCodes {
            month,
            reported_by,
            falls_within,
            longitude,
            latitude,
            location,
            area,
            crime_type,
            outcome,
            outside_force: outside,
            line,
        });
    }
    for detail in undone {
        log.add(display, None, Finding::SpreadsheetExport, detail, rows);
    }
    for (form, count, line, example) in rewritten_months {
        let detail = format!("Month written as {example:?} ({form}); read as the month it names");
        log.add(
            display,
            Some(line),
            Finding::SpreadsheetExport,
            &detail,
            count,
        );
    }
    file_rows.shrink_to_fit();
    file_rows.labels = Arc::new(labels);
    Ok(ParsedFile {
        records: file_rows,
        log,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_the_standard_librarys_values() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200_000 {
            let r = next();
            let whole = (r % 400) as i64 - 200;
            let decimals = (r >> 12) % 12;
            let fraction = (r >> 20) % 10u64.pow(decimals as u32);
            let text = if decimals == 0 {
                format!("{whole}")
            } else {
                format!("{whole}.{fraction:0width$}", width = decimals as usize)
            };
            let expected: f64 = text.parse().expect("a decimal");
            assert_eq!(parse_coordinate(&text), Some(expected), "{text}");
        }
        for text in [
            "51.566208",
            "-0.703617",
            "+1.5",
            "0.1",
            "-0",
            ".5",
            "5.",
            "1e3",
            "nan",
        ] {
            assert_eq!(
                parse_coordinate(text).map(f64::to_bits),
                text.parse::<f64>().ok().map(f64::to_bits),
                "{text}"
            );
        }
        let long = "1234567890123456789012345.5";
        for text in [
            "",
            "-",
            ".",
            "1.2.3",
            "x",
            "1,5",
            "12345678901234567.5",
            long,
        ] {
            assert_eq!(
                parse_coordinate(text).map(f64::to_bits),
                text.parse::<f64>().ok().map(f64::to_bits),
                "{text}"
            );
        }
    }
}
