//! Parsing one police.uk CSV into columns, placing each row with the geography lookup and
//! recording everything odd in the log.

use crimeperf::{CrimeType, Month, Outcome};
use polars::prelude::*;

use polars_arrow::array::View;
use polars_buffer::Buffer;

use super::files::SourceFile;
use super::limits::LineEndings;
use super::log::{Finding, Log};
use super::places::{Place, Places};
use super::split::{Record, Splitter};
use super::spreadsheet;
use super::views::{Labels, ViewColumn};
use super::FileKind;
use crate::cancel::{self, Cancel};
use crate::dates::month_to_days;
use crate::error::{DataError, Result};
use crate::geography::force_key;

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

/// The builders of every output column.
struct Columns {
    crime_id: ViewColumn,
    month: Vec<i32>,
    reported_by: ViewColumn,
    falls_within: ViewColumn,
    longitude: PrimitiveChunkedBuilder<Float64Type>,
    latitude: PrimitiveChunkedBuilder<Float64Type>,
    location: ViewColumn,
    lsoa_code: ViewColumn,
    lsoa_name: ViewColumn,
    local_authority_code: ViewColumn,
    local_authority_name: ViewColumn,
    csp_code: ViewColumn,
    csp_name: ViewColumn,
    crime_type: ViewColumn,
    crime_type_known: Vec<bool>,
    outcome: ViewColumn,
    outcome_group: ViewColumn,
    outcome_known: BooleanChunkedBuilder,
    is_asb: Vec<bool>,
    outside_force: Vec<bool>,
    line: Vec<u32>,
}

impl Columns {
    fn new(capacity: usize) -> Self {
        let s = || ViewColumn::with_capacity(capacity);
        let f = |name: &str| PrimitiveChunkedBuilder::new(name.into(), capacity);
        Columns {
            // police.uk Crime IDs are 64 hex digits.
            crime_id: ViewColumn::with_capacity_and_text(capacity, capacity * 64),
            month: Vec::with_capacity(capacity),
            reported_by: s(),
            falls_within: s(),
            longitude: f("longitude"),
            latitude: f("latitude"),
            location: s(),
            lsoa_code: s(),
            lsoa_name: s(),
            local_authority_code: s(),
            local_authority_name: s(),
            csp_code: s(),
            csp_name: s(),
            crime_type: s(),
            crime_type_known: Vec::with_capacity(capacity),
            outcome: s(),
            outcome_group: s(),
            outcome_known: BooleanChunkedBuilder::new("outcome_known".into(), capacity),
            is_asb: Vec::with_capacity(capacity),
            outside_force: Vec::with_capacity(capacity),
            line: Vec::with_capacity(capacity),
        }
    }

    /// Appends the place columns of a row: `place`'s names, or nulls.
    #[inline]
    fn push_place(&mut self, place: Option<&Place<'_>>) {
        self.local_authority_code
            .push_option(place.and_then(|p| p.local_authority_code));
        self.local_authority_name
            .push_option(place.and_then(|p| p.local_authority_name));
        self.csp_code.push_option(place.and_then(|p| p.csp_code));
        self.csp_name.push_option(place.and_then(|p| p.csp_name));
    }

    /// The frame, the place columns' views pointing into `places`.
    fn into_frame(
        self,
        kind: FileKind,
        file: &str,
        places: &Buffer<u8>,
    ) -> PolarsResult<DataFrame> {
        let height = self.line.len();
        let month = Int32Chunked::from_vec("month".into(), self.month)
            .into_date()
            .into_column();
        let mut columns = vec![
            self.crime_id.finish("crime_id")?.into_column(),
            month,
            self.reported_by.finish("reported_by")?.into_column(),
            self.falls_within.finish("falls_within")?.into_column(),
            self.longitude.finish().into_column(),
            self.latitude.finish().into_column(),
            self.location.finish("location")?.into_column(),
            self.lsoa_code.finish("lsoa_code")?.into_column(),
            self.lsoa_name.finish("lsoa_name")?.into_column(),
            self.local_authority_code
                .finish_shared("local_authority_code", places)?
                .into_column(),
            self.local_authority_name
                .finish_shared("local_authority_name", places)?
                .into_column(),
            self.csp_code
                .finish_shared("csp_code", places)?
                .into_column(),
            self.csp_name
                .finish_shared("csp_name", places)?
                .into_column(),
        ];
        match kind {
            FileKind::Street => {
                columns.push(self.crime_type.finish("crime_type")?.into_column());
                columns.push(Column::new(
                    "crime_type_known".into(),
                    self.crime_type_known,
                ));
                columns.push(self.outcome.finish("last_outcome")?.into_column());
                columns.push(self.outcome_group.finish("outcome_group")?.into_column());
                columns.push(self.outcome_known.finish().into_column());
                columns.push(Column::new("is_asb".into(), self.is_asb));
            }
            FileKind::Outcomes => {
                columns.push(self.outcome.finish("outcome")?.into_column());
                columns.push(self.outcome_group.finish("outcome_group")?.into_column());
                columns.push(self.outcome_known.finish().into_column());
            }
        }
        columns.push(Column::new("outside_force".into(), self.outside_force));
        // Materialised (one shared copy of the name, a view per row) so that every column of a
        // file's frame is one chunk of the same length, and the frames stack chunk by chunk.
        columns.push(StringChunked::full("file".into(), file, height).into_column());
        columns.push(Column::new("line".into(), self.line));
        DataFrame::new(height, columns)
    }
}

/// A parsed file: its rows as a frame and its findings.
pub(crate) struct ParsedFile {
    pub frame: DataFrame,
    pub log: Log,
}

/// What a crime type label is: its view in the `crime_type` column, whether it is in the
/// taxonomy, and whether it is anti-social behaviour.
#[derive(Clone, Copy)]
struct CrimeTypeLabel {
    view: View,
    known: bool,
    asb: bool,
}

/// What an outcome label is: its view in the outcome column and its group's view in the
/// `outcome_group` column (`None` when the label is not in the taxonomy).
#[derive(Clone, Copy)]
struct OutcomeLabel {
    view: View,
    group: Option<View>,
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

/// An LSOA code as first seen in a file: its view, its place, and the LSOA name written beside
/// it (a code always has the same name within a file; another name is looked up on its own).
#[derive(Clone)]
struct SeenLsoa<'g> {
    code: View,
    place: Option<Place<'g>>,
    name_as_written: String,
    name: View,
}

/// What a worker keeps from file to file: its read buffer, and its label tables with their room
/// (emptied for each file, as their views point into that file's columns).
#[derive(Default)]
pub(crate) struct Scratch<'g> {
    buffer: Vec<u8>,
    /// Month labels mean the same in every file, so these are kept: the month, and how a
    /// spreadsheet wrote it when not as police.uk does.
    months: Labels<Option<(i32, Option<&'static str>)>>,
    crime_types: Labels<CrimeTypeLabel>,
    outcomes: Labels<Option<OutcomeLabel>>,
    reporting_forces: Labels<View>,
    /// "Falls within", with the index of its force key in `force_keys`.
    forces: Labels<(View, usize)>,
    force_keys: Vec<String>,
    locations: Labels<View>,
    lsoas: Labels<SeenLsoa<'g>>,
    lsoa_names: Labels<View>,
}

impl Scratch<'_> {
    fn start_file(&mut self) {
        self.crime_types.clear();
        self.outcomes.clear();
        self.reporting_forces.clear();
        self.forces.clear();
        self.force_keys.clear();
        self.locations.clear();
        self.lsoas.clear();
        self.lsoa_names.clear();
    }
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
    places: &'g Places<'g>,
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
        locations,
        lsoas,
        lsoa_names,
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
            let empty = Columns::new(0).into_frame(kind, display, &places.text)?;
            return Ok(ParsedFile { frame: empty, log });
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
    let mut columns = Columns::new(bytes.len() / 100 + 16);
    // Each distinct label is parsed and stored once per file, and looked up once per row.
    let no_location = columns.location.store("");
    let mut rows: u64 = 0;
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
        if let Some(index) = layout.crime_type {
            let raw = field(index);
            let label = *crime_types.lookup(raw, |raw| {
                let written = raw.trim();
                match written.parse::<CrimeType>() {
                    Ok(t) => CrimeTypeLabel {
                        view: columns.crime_type.store(t.label()),
                        known: true,
                        asb: t.is_incident(),
                    },
                    Err(_) => CrimeTypeLabel {
                        view: columns.crime_type.store(written),
                        known: false,
                        asb: false,
                    },
                }
            });
            if !label.known {
                log.add(
                    display,
                    Some(line),
                    Finding::UnknownCrimeType,
                    raw.trim(),
                    1,
                );
            }
            is_asb = label.asb;
            columns.crime_type.push_view(label.view);
            columns.crime_type_known.push(label.known);
            columns.is_asb.push(label.asb);
        }

        // Outcome.
        if let Some(index) = layout.outcome {
            let raw = field(index);
            let label = *outcomes.lookup(raw, |raw| {
                let written = raw.trim();
                if written.is_empty() {
                    return None;
                }
                Some(match written.parse::<Outcome>() {
                    Ok(o) => OutcomeLabel {
                        view: columns.outcome.store(o.label()),
                        group: Some(columns.outcome_group.store(o.group().label())),
                    },
                    Err(_) => OutcomeLabel {
                        view: columns.outcome.store(written),
                        group: None,
                    },
                })
            });
            match label {
                None => {
                    columns.outcome.push_null();
                    columns.outcome_group.push_null();
                    columns.outcome_known.append_null();
                }
                Some(label) => {
                    if label.group.is_none() {
                        log.add(display, Some(line), Finding::UnknownOutcome, raw.trim(), 1);
                    }
                    columns.outcome.push_view(label.view);
                    columns.outcome_group.push_option(label.group);
                    columns.outcome_known.append_value(label.group.is_some());
                }
            }
        }

        let crime_id = field(layout.crime_id).trim();
        if crime_id.is_empty() {
            columns.crime_id.push_null();
            if !is_asb && kind == FileKind::Street {
                log.add(display, Some(line), Finding::BlankCrimeId, "", 1);
            }
        } else {
            columns.crime_id.push_text(crime_id);
        }
        columns.month.push(month);
        let reported_by = *reporting_forces.get(optional(layout.reported_by), |raw| {
            columns.reported_by.store(raw.trim())
        });
        columns.reported_by.push_view(reported_by);
        let (falls_within, force) = *forces.get(field(layout.falls_within), |raw| {
            let name = raw.trim();
            force_keys.push(force_key(name));
            (columns.falls_within.store(name), force_keys.len() - 1)
        });
        columns.falls_within.push_view(falls_within);

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
        columns.longitude.append_option(longitude);
        columns.latitude.append_option(latitude);
        let location_raw = optional(layout.location);
        let location = if location_raw.is_empty() {
            no_location
        } else {
            *locations.lookup(location_raw, |raw| columns.location.store(raw.trim()))
        };
        columns.location.push_view(location);

        // Where the row is.
        let lsoa = optional(layout.lsoa_code).trim();
        let mut outside = false;
        if lsoa.is_empty() {
            columns.lsoa_code.push_null();
            columns.lsoa_name.push_null();
            let finding = if location_raw.trim().eq_ignore_ascii_case("no location") {
                Finding::NoLocation
            } else {
                Finding::BlankLsoa
            };
            log.add(display, Some(line), finding, "", 1);
            columns.push_place(None);
        } else {
            let name_as_written = optional(layout.lsoa_name);
            let seen = lsoas.lookup(lsoa, |code| SeenLsoa {
                code: columns.lsoa_code.store(code),
                place: places.get(code).copied(),
                name_as_written: name_as_written.to_owned(),
                name: columns.lsoa_name.store(name_as_written.trim()),
            });
            columns.lsoa_code.push_view(seen.code);
            let name = if seen.name_as_written == name_as_written {
                seen.name
            } else {
                *lsoa_names.lookup(name_as_written, |raw| columns.lsoa_name.store(raw.trim()))
            };
            columns.lsoa_name.push_view(name);
            match &seen.place {
                Some(place) => {
                    let home = &force_keys[force];
                    let lsoa_force = &place.place.force_key;
                    if !lsoa_force.is_empty() && **lsoa_force != **home {
                        outside = true;
                        let detail = format!(
                            "{lsoa} is in {} ({})",
                            place.place.local_authority_name, place.place.force_name
                        );
                        log.add(display, Some(line), Finding::LsoaOutsideForce, &detail, 1);
                    }
                    columns.push_place(Some(place));
                }
                None => {
                    log.add(display, Some(line), Finding::UnknownLsoa, lsoa, 1);
                    columns.push_place(None);
                }
            }
        }
        columns.outside_force.push(outside);
        columns.line.push(u32::try_from(line).unwrap_or(u32::MAX));
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
    let frame = columns.into_frame(kind, display, &places.text)?;
    Ok(ParsedFile { frame, log })
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
