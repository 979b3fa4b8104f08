//! Undoing what a spreadsheet program does to a police.uk file it opens and saves again: a
//! byte-order mark, Windows-1252 text, semicolons as separators with commas as decimal marks
//! (locales whose decimal mark is a comma), carriage returns alone as line breaks, and the Month
//! column rewritten as a date (`01/03/2025`, `Mar-25`). Each is undone only where the file says
//! unambiguously what it was, and the log says what was assumed.

use crimeperf::Month;

/// The byte-order mark Excel writes at the start of a "CSV UTF-8" file.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` without a leading byte-order mark, and whether it had one.
pub(crate) fn without_byte_order_mark(bytes: &[u8]) -> (&[u8], bool) {
    match bytes.strip_prefix(BYTE_ORDER_MARK) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    }
}

/// Whether text that is not UTF-8 is better read as Windows-1252 (what Excel on Windows saves a
/// "CSV (Comma delimited)" file in) than line by line as UTF-8: true when no character in it is
/// a valid UTF-8 sequence of more than one byte. A UTF-8 file with a few damaged bytes has other
/// accented characters or symbols, and is read line by line instead.
pub(crate) fn looks_like_windows_1252(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().all(|chunk| chunk.valid().is_ascii())
}

/// The characters of Windows-1252 bytes 0x80 to 0x9F; the rest are Latin-1, the same code point
/// as the byte. The five bytes Windows-1252 leaves undefined map to the C1 controls of the same
/// value, as the WHATWG encoding standard does.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Windows-1252 text as a string, and how many lines held a byte that is not ASCII.
pub(crate) fn from_windows_1252(bytes: &[u8]) -> (String, u64) {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut lines = 0;
    let mut counted_this_line = false;
    for &byte in bytes {
        match byte {
            b'\n' => {
                counted_this_line = false;
                text.push('\n');
            }
            0..=0x7F => text.push(char::from(byte)),
            _ => {
                if !counted_this_line {
                    lines += 1;
                    counted_this_line = true;
                }
                text.push(match byte {
                    0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(byte - 0x80)],
                    _ => char::from(byte),
                });
            }
        }
    }
    (text, lines)
}

/// The field separator of a file from its header line (the first of its first lines that names a
/// Month column, as titles may stand above it): a semicolon when the header has semicolons and
/// no commas (a spreadsheet's export in a comma-decimal locale), else a comma.
pub(crate) fn delimiter(text: &str) -> u8 {
    let mut lines = text.split('\n').take(10);
    let first = text.split('\n').next().unwrap_or("");
    let header = lines
        .find(|line| line.to_ascii_lowercase().contains("month"))
        .unwrap_or(first);
    if !header.contains(',') && header.contains(';') {
        b';'
    } else {
        b','
    }
}

/// Whether `raw` is a month as police.uk writes it: `YYYY-MM`.
pub(crate) fn is_police_uk_month(raw: &str) -> bool {
    let b = raw.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
}

/// A month written by a spreadsheet program, and how it was written (for the log):
/// `01/03/2025` or `1/3/2025` (day/month/year, as saved in the UK), `3/1/2025` (month/day/year,
/// as saved in the US), `Mar-25`, `Mar-2025` or `March-2025`. police.uk months are the first of
/// the month once a spreadsheet has made them dates, so the part that is 1 is the day; a date
/// whose parts are both other than 1 is not a police.uk month and gives `None`.
pub(crate) fn spreadsheet_month(raw: &str) -> Option<(Month, &'static str)> {
    let raw = raw.trim();
    let parts: Vec<&str> = raw.split('/').collect();
    if let [first, second, year] = parts[..] {
        let number = |s: &str| -> Option<u32> {
            (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let (first, second) = (number(first)?, number(second)?);
        let year = full_year(year)?;
        let (month, form) = match (first, second) {
            (1, month) => (
                month,
                "day/month/year, as a spreadsheet saves a date in the UK",
            ),
            (month, 1) => (
                month,
                "month/day/year, as a spreadsheet saves a date in the US",
            ),
            _ => return None,
        };
        return Month::new(year, month).ok().map(|m| (m, form));
    }
    let (name, year) = raw.split_once(['-', ' '])?;
    if !name.bytes().all(|b| b.is_ascii_alphabetic()) || name.len() < 3 {
        return None;
    }
    let month = format!("{name} {}", full_year(year)?)
        .parse::<Month>()
        .ok()?;
    Some((
        month,
        "a month name and year, as a spreadsheet shows a date",
    ))
}

/// Whether `raw` is a spreadsheet's serial number for a date in the years police.uk covers
/// (`45717` is 1 March 2025): a Month column formatted as a number, which cannot be read back
/// with confidence.
pub(crate) fn is_date_serial_number(raw: &str) -> bool {
    raw.len() == 5
        && raw.bytes().all(|b| b.is_ascii_digit())
        && raw
            .parse::<u32>()
            .is_ok_and(|n| (40_000..60_000).contains(&n))
}

/// A year of four digits, or of two (20xx: police.uk starts in 2010).
fn full_year(text: &str) -> Option<i32> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match text.len() {
        4 => text.parse().ok(),
        2 => text.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
}

/// A coordinate with a comma as its decimal mark, with a point instead (`0,72191` → `0.72191`).
pub(crate) fn decimal_point(value: &str) -> Option<String> {
    (value.matches(',').count() == 1 && !value.contains('.')).then(|| value.replace(',', "."))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn windows_1252_text_is_decoded_and_utf8_with_damage_is_not_taken_for_it() {
        let (text, lines) = from_windows_1252(b"Caf\xe9,\x80 5\nplain\n\x93quoted\x94\n");
        assert_eq!(text, "Café,€ 5\nplain\n\u{201C}quoted\u{201D}\n");
        assert_eq!(lines, 2);
        assert!(looks_like_windows_1252(b"Caf\xe9\n"));
        // Valid UTF-8 accents beside a damaged byte: UTF-8 with damage.
        assert!(!looks_like_windows_1252(
            "Café \u{2019}"
                .as_bytes()
                .iter()
                .chain(b"\xff")
                .copied()
                .collect::<Vec<_>>()
                .as_slice()
        ));
    }

    #[test]
    fn months_as_spreadsheets_write_them() {
        let march = Month::new(2025, 3).unwrap();
        for raw in [
            "01/03/2025",
            "1/3/2025",
            "3/1/2025",
            "Mar-25",
            "Mar-2025",
            "March 2025",
        ] {
            assert_eq!(spreadsheet_month(raw).map(|m| m.0), Some(march), "{raw}");
        }
        assert_eq!(
            spreadsheet_month("01/01/2025").map(|m| m.0),
            Some(Month::new(2025, 1).unwrap())
        );
        for raw in [
            "15/03/2025",
            "2025-03",
            "Mar",
            "x-25",
            "01/13/2025",
            "45717",
            "01/03/25x",
        ] {
            assert_eq!(spreadsheet_month(raw), None, "{raw}");
        }
        assert!(is_date_serial_number("45717"));
        assert!(!is_date_serial_number("2025-03"));
        assert!(is_police_uk_month("2025-03"));
        assert!(!is_police_uk_month("2025-3"));
        assert!(!is_police_uk_month("2025-03-01"));
    }

    #[test]
    fn separators_and_decimal_marks() {
        assert_eq!(delimiter("Crime ID;Month;Falls within\n1;2;3"), b';');
        assert_eq!(delimiter("Crime ID,Month,Falls within;x\n"), b',');
        assert_eq!(decimal_point("0,72191").as_deref(), Some("0.72191"));
        assert_eq!(decimal_point("0.72191"), None);
        assert_eq!(decimal_point("1,2,3"), None);
    }
}
