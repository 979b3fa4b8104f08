//! Parsing one police.uk CSV into columns, placing each row with the geography lookup and
//! recording everything odd in the log.

use crimeperf::{CrimeType, Month, Outcome};
use polars::prelude::*;

use super::files::SourceFile;
use super::log::{Finding, Log};
use super::FileKind;
use crate::error::{DataError, Result};
use crate::geography::{force_key, Geography};

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
    fn from_header(header: &csv::ByteRecord, kind: FileKind, file: &str) -> Result<Layout> {
        let names: Vec<String> = header
            .iter()
            .map(|f| {
                String::from_utf8_lossy(f)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_ascii_lowercase()
            })
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

/// The builders of every output column.
struct Columns {
    crime_id: StringChunkedBuilder,
    month: Vec<Option<i32>>,
    reported_by: StringChunkedBuilder,
    falls_within: StringChunkedBuilder,
    longitude: Vec<Option<f64>>,
    latitude: Vec<Option<f64>>,
    location: StringChunkedBuilder,
    lsoa_code: StringChunkedBuilder,
    lsoa_name: StringChunkedBuilder,
    local_authority_code: StringChunkedBuilder,
    local_authority_name: StringChunkedBuilder,
    csp_code: StringChunkedBuilder,
    csp_name: StringChunkedBuilder,
    crime_type: StringChunkedBuilder,
    crime_type_known: Vec<bool>,
    outcome: StringChunkedBuilder,
    outcome_group: StringChunkedBuilder,
    outcome_known: Vec<Option<bool>>,
    is_asb: Vec<bool>,
    outside_force: Vec<bool>,
    line: Vec<u32>,
}

impl Columns {
    fn new(capacity: usize) -> Self {
        let s = |name: &str| StringChunkedBuilder::new(name.into(), capacity);
        Columns {
            crime_id: s("crime_id"),
            month: Vec::with_capacity(capacity),
            reported_by: s("reported_by"),
            falls_within: s("falls_within"),
            longitude: Vec::with_capacity(capacity),
            latitude: Vec::with_capacity(capacity),
            location: s("location"),
            lsoa_code: s("lsoa_code"),
            lsoa_name: s("lsoa_name"),
            local_authority_code: s("local_authority_code"),
            local_authority_name: s("local_authority_name"),
            csp_code: s("csp_code"),
            csp_name: s("csp_name"),
            crime_type: s("crime_type"),
            crime_type_known: Vec::with_capacity(capacity),
            outcome: s("outcome"),
            outcome_group: s("outcome_group"),
            outcome_known: Vec::with_capacity(capacity),
            is_asb: Vec::with_capacity(capacity),
            outside_force: Vec::with_capacity(capacity),
            line: Vec::with_capacity(capacity),
        }
    }

    fn into_frame(self, kind: FileKind, file: &str) -> PolarsResult<DataFrame> {
        let height = self.line.len();
        let month = Int32Chunked::from_iter_options("month".into(), self.month.into_iter())
            .into_date()
            .into_column();
        let mut columns = vec![
            self.crime_id.finish().into_column(),
            month,
            self.reported_by.finish().into_column(),
            self.falls_within.finish().into_column(),
            Column::new("longitude".into(), self.longitude),
            Column::new("latitude".into(), self.latitude),
            self.location.finish().into_column(),
            self.lsoa_code.finish().into_column(),
            self.lsoa_name.finish().into_column(),
            self.local_authority_code.finish().into_column(),
            self.local_authority_name.finish().into_column(),
            self.csp_code.finish().into_column(),
            self.csp_name.finish().into_column(),
        ];
        match kind {
            FileKind::Street => {
                columns.push(self.crime_type.finish().into_column());
                columns.push(Column::new(
                    "crime_type_known".into(),
                    self.crime_type_known,
                ));
                let mut outcome = self.outcome.finish();
                outcome.rename("last_outcome".into());
                columns.push(outcome.into_column());
                columns.push(self.outcome_group.finish().into_column());
                columns.push(Column::new("outcome_known".into(), self.outcome_known));
                columns.push(Column::new("is_asb".into(), self.is_asb));
            }
            FileKind::Outcomes => {
                columns.push(self.outcome.finish().into_column());
                columns.push(self.outcome_group.finish().into_column());
                columns.push(Column::new("outcome_known".into(), self.outcome_known));
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

/// Days from 1970-01-01 to the first day of a month (the proleptic Gregorian calendar).
pub(crate) fn month_to_days(month: Month) -> i32 {
    // Howard Hinnant's days_from_civil, for day 1.
    let (mut y, m) = (i64::from(month.year()), i64::from(month.month()));
    if m <= 2 {
        y -= 1;
    }
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

/// The first day of the month containing `days` since 1970-01-01.
pub(crate) fn days_to_month(days: i32) -> Option<Month> {
    // Howard Hinnant's civil_from_days.
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Month::new(i32::try_from(y).ok()?, m as u32).ok()
}

/// Line numbers of positions in a file, counted forwards as the reader moves on.
///
/// The `csv` crate's own line numbers are one short in files with CRLF line endings (it counts
/// the `\n` of a record's `\r\n` only once the next record has started), so lines are counted
/// here from byte offsets, the same way for both endings.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// The offset counted up to, and the 1-based line it is on.
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the record that starts at byte `start` (or just after the line break found
    /// there): offsets must not go backwards.
    fn line_of(&mut self, start: u64) -> u64 {
        let mut start = usize::try_from(start)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.offset {
            let breaks = self.bytes[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line += breaks as u64;
            self.offset = start;
        }
        self.line
    }
}

/// A parsed file: its rows as a frame and its findings.
pub(crate) struct ParsedFile {
    pub frame: DataFrame,
    pub log: Log,
}

/// Parses one file, reading it into `buffer` (reused from file to file).
pub(crate) fn parse(
    file: &SourceFile,
    buffer: &mut Vec<u8>,
    kind: FileKind,
    geography: &Geography,
) -> Result<ParsedFile> {
    let mut log = Log::default();
    let display = file.display.as_str();
    file.load_into(buffer)?;
    let bytes: &[u8] = buffer;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut header = csv::ByteRecord::new();
    match reader.read_byte_record(&mut header) {
        Ok(true) => {}
        Ok(false) => {
            let empty = Columns::new(0).into_frame(kind, display)?;
            return Ok(ParsedFile { frame: empty, log });
        }
        Err(e) => {
            return Err(DataError::UnknownHeader {
                file: display.to_owned(),
                header: e.to_string(),
                kind: kind.suffix(),
            })
        }
    }
    let layout = Layout::from_header(&header, kind, display)?;
    // Roughly 230 bytes a row.
    let mut columns = Columns::new(bytes.len() / 200 + 16);
    // Labels repeat endlessly: each distinct one is parsed once, and looked up once per row.
    let mut crime_types: PlHashMap<Box<str>, (String, bool, bool)> = PlHashMap::default();
    let mut outcomes: PlHashMap<Box<str>, (String, Option<&'static str>)> = PlHashMap::default();
    let mut forces: PlHashMap<Box<str>, String> = PlHashMap::default();
    let mut months: PlHashMap<Box<str>, Option<i32>> = PlHashMap::default();
    let mut lines = LineCounter::new(bytes);
    // One record, reused: reading into it validates UTF-8 once and allocates nothing per row.
    let mut record = csv::StringRecord::new();

    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| lines.line_of(p.byte()));
                let detail = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "bytes that are not UTF-8".to_owned(),
                    _ => e.to_string(),
                };
                log.add(display, line, Finding::MalformedLine, &detail, 1);
                continue;
            }
        }
        let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
        if record.len() != layout.fields {
            // A blank line at the end of a file is not a finding.
            if record.len() == 1 && record.get(0).is_some_and(str::is_empty) {
                continue;
            }
            let detail = format!("expected {} fields, found {}", layout.fields, record.len());
            log.add(display, Some(line), Finding::MalformedLine, &detail, 1);
            continue;
        }
        let text = |index: usize| -> &str { record.get(index).unwrap_or("").trim() };
        let optional = |index: Option<usize>| index.map_or("", text);

        let month_text = record.get(layout.month).unwrap_or("");
        let month = match months.get(month_text) {
            Some(&month) => month,
            None => {
                let month = text(layout.month).parse::<Month>().ok().map(month_to_days);
                months.insert(month_text.into(), month);
                month
            }
        };
        let Some(month) = month else {
            let detail = format!("Month {:?}", text(layout.month));
            log.add(display, Some(line), Finding::BadMonth, &detail, 1);
            continue;
        };

        // Crime type (street files).
        let mut is_asb = false;
        if let Some(index) = layout.crime_type {
            let raw = record.get(index).unwrap_or("");
            let (label, known, asb) = match crime_types.get(raw) {
                Some(parsed) => parsed,
                None => {
                    let parsed = match text(index).parse::<CrimeType>() {
                        Ok(t) => (t.label().to_owned(), true, t.is_incident()),
                        Err(_) => (text(index).to_owned(), false, false),
                    };
                    crime_types.entry(raw.into()).or_insert(parsed)
                }
            };
            if !known {
                log.add(display, Some(line), Finding::UnknownCrimeType, label, 1);
            }
            is_asb = *asb;
            columns.crime_type.append_value(label);
            columns.crime_type_known.push(*known);
            columns.is_asb.push(*asb);
        }

        // Outcome.
        if let Some(index) = layout.outcome {
            let raw = record.get(index).unwrap_or("");
            if raw.trim().is_empty() {
                columns.outcome.append_null();
                columns.outcome_group.append_null();
                columns.outcome_known.push(None);
            } else {
                let (label, group) = match outcomes.get(raw) {
                    Some(parsed) => parsed,
                    None => {
                        let parsed = match text(index).parse::<Outcome>() {
                            Ok(o) => (o.label().to_owned(), Some(o.group().label())),
                            Err(_) => (text(index).to_owned(), None),
                        };
                        outcomes.entry(raw.into()).or_insert(parsed)
                    }
                };
                let group = *group;
                if group.is_none() {
                    log.add(display, Some(line), Finding::UnknownOutcome, label, 1);
                }
                columns.outcome.append_value(label);
                columns.outcome_group.append_option(group);
                columns.outcome_known.push(Some(group.is_some()));
            }
        }

        let crime_id = text(layout.crime_id);
        if crime_id.is_empty() {
            columns.crime_id.append_null();
            if !is_asb && kind == FileKind::Street {
                log.add(display, Some(line), Finding::BlankCrimeId, "", 1);
            }
        } else {
            columns.crime_id.append_value(crime_id);
        }
        columns.month.push(Some(month));
        columns
            .reported_by
            .append_value(optional(layout.reported_by));
        let falls_within = text(layout.falls_within);
        columns.falls_within.append_value(falls_within);

        let coordinate = |index: Option<usize>, log: &mut Log, what: &str| -> Option<f64> {
            let value = optional(index);
            if value.is_empty() {
                return None;
            }
            match value.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    log.add(
                        display,
                        Some(line),
                        Finding::BadCoordinates,
                        &format!("{what} {value:?}"),
                        1,
                    );
                    None
                }
            }
        };
        columns
            .longitude
            .push(coordinate(layout.longitude, &mut log, "longitude"));
        columns
            .latitude
            .push(coordinate(layout.latitude, &mut log, "latitude"));
        let location = optional(layout.location);
        columns.location.append_value(location);

        // Where the row is.
        let lsoa = optional(layout.lsoa_code);
        let mut outside = false;
        if lsoa.is_empty() {
            columns.lsoa_code.append_null();
            columns.lsoa_name.append_null();
            let finding = if location.eq_ignore_ascii_case("no location") {
                Finding::NoLocation
            } else {
                Finding::BlankLsoa
            };
            log.add(display, Some(line), finding, "", 1);
            append_place(&mut columns, None);
        } else {
            columns.lsoa_code.append_value(lsoa);
            columns.lsoa_name.append_value(optional(layout.lsoa_name));
            match geography.get(lsoa) {
                Some(place) => {
                    let home = match forces.get(falls_within) {
                        Some(key) => key.as_str(),
                        None => forces
                            .entry(falls_within.into())
                            .or_insert_with(|| force_key(falls_within))
                            .as_str(),
                    };
                    if !place.force_name.is_empty() && *place.force_key != *home {
                        outside = true;
                        let detail = format!(
                            "{lsoa} is in {} ({})",
                            place.local_authority_name, place.force_name
                        );
                        log.add(display, Some(line), Finding::LsoaOutsideForce, &detail, 1);
                    }
                    append_place(&mut columns, Some(place));
                }
                None => {
                    log.add(display, Some(line), Finding::UnknownLsoa, lsoa, 1);
                    append_place(&mut columns, None);
                }
            }
        }
        columns.outside_force.push(outside);
        columns.line.push(u32::try_from(line).unwrap_or(u32::MAX));
    }
    let frame = columns.into_frame(kind, display)?;
    Ok(ParsedFile { frame, log })
}

fn append_place(columns: &mut Columns, place: Option<&crate::geography::LsoaPlace>) {
    fn value(text: Option<&str>) -> Option<&str> {
        text.filter(|t| !t.is_empty())
    }
    columns
        .local_authority_code
        .append_option(value(place.map(|p| &*p.local_authority_code)));
    columns
        .local_authority_name
        .append_option(value(place.map(|p| &*p.local_authority_name)));
    columns
        .csp_code
        .append_option(value(place.map(|p| &*p.csp_code)));
    columns
        .csp_name
        .append_option(value(place.map(|p| &*p.csp_name)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_days_round_trip() {
        for (label, days) in [("1970-01", 0), ("2025-01", 20_089), ("2000-03", 11_017)] {
            let month: Month = label.parse().expect("valid");
            assert_eq!(month_to_days(month), days, "{label}");
            assert_eq!(days_to_month(days), Some(month));
        }
        assert_eq!(
            days_to_month(20_100).map(|m| m.to_string()),
            Some("2025-01".to_owned())
        );
    }
}
