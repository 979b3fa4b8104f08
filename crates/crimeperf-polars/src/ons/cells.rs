//! Cells and labels of the workbook: values and suppression markers, `[note N]` references,
//! header labels and the "year ending <month> <year>" of a table's title.

use calamine::Data;

use crate::dates::{days_from_civil, last_day_of_month};

/// A value cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Empty,
    Number(f64),
    /// A suppression marker, lowercased.
    Marker(String),
    /// Text that is neither a number nor a marker.
    Text(String),
}

/// `[x]`, `[u]`, `[u1]`, `[X]`: a bracketed run of letters followed by optional digits.
fn is_marker(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('[').and_then(|s| s.strip_suffix(']')) else {
        return false;
    };
    let letters = inner.trim_end_matches(|c: char| c.is_ascii_digit());
    !letters.is_empty() && letters.chars().all(|c| c.is_ascii_alphabetic())
}

/// The text of a cell, for identifier columns and headers (`None` when empty).
pub(super) fn cell_text(cell: Option<&Data>) -> Option<String> {
    match cell? {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(f.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(d) => Some(d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(e.to_string()),
    }
}

pub(super) fn cell_value(cell: Option<&Data>) -> Value {
    match cell {
        None | Some(Data::Empty) => Value::Empty,
        Some(Data::Float(f)) => Value::Number(*f),
        Some(Data::Int(i)) => Value::Number(*i as f64),
        Some(Data::String(s)) => {
            let t = s.trim();
            if t.is_empty() {
                Value::Empty
            } else if is_marker(t) {
                Value::Marker(t.to_owned())
            } else {
                Value::Text(s.clone())
            }
        }
        Some(other) => Value::Text(cell_text(Some(other)).unwrap_or_default()),
    }
}

/// Removes every `[note N]` (any case, any spacing).
pub(super) fn strip_notes(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut found = false;
    while let Some(start) = rest.find('[') {
        let after = &rest[start + 1..];
        let close = after.find(']');
        let is_note = close.is_some_and(|end| {
            let inner = after[..end].trim();
            inner.len() > 4
                && inner[..4].eq_ignore_ascii_case("note")
                && inner[4..].trim().chars().all(|c| c.is_ascii_digit())
                && !inner[4..].trim().is_empty()
        });
        match (is_note, close) {
            (true, Some(end)) => {
                out.push_str(&rest[..start]);
                rest = &after[end + 1..];
                found = true;
            }
            _ => {
                out.push_str(&rest[..=start]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, found)
}

/// A header label compared loosely: notes removed, white space collapsed, lower case.
pub(super) fn normalise_header(s: &str) -> String {
    let (s, _) = strip_notes(s);
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A header as it should read in the log: notes removed, white space collapsed.
pub(super) fn tidy_header(s: &str) -> String {
    let (s, _) = strip_notes(s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The last day (days since 1970) of the period in "year ending <Month> <YYYY>".
pub(super) fn parse_year_ending(title: &str) -> Option<i32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = title.to_lowercase();
    let at = lower.find("year ending")?;
    let mut words = lower[at + "year ending".len()..].split_whitespace();
    let month_word = words.next()?;
    let month = MONTHS
        .iter()
        .position(|m| month_word.starts_with(m))
        .map(|i| i as u32 + 1)?;
    let year_word: String = words
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let year: i32 = year_word.parse().ok()?;
    if year_word.len() != 4 {
        return None;
    }
    Some(days_from_civil(year, month, last_day_of_month(year, month)))
}

/// Splits "residential burglary (per 1,000 household)" into the group and whether the rate is
/// per household.
pub(super) fn split_rate_suffix(label: &str) -> (&str, bool) {
    if let Some(open) = label.rfind("(per 1,000") {
        let suffix = &label[open..];
        let group = label[..open].trim_end();
        return (group, suffix.contains("household"));
    }
    (label, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        for m in ["[x]", "[X]", "[u]", "[u1]", "[U1]", "[c]"] {
            assert!(is_marker(m), "{m}");
        }
        for m in ["x", "[]", "[1]", "[note 1]", "[x", "[u1a]"] {
            assert!(!is_marker(m), "{m}");
        }
    }

    #[test]
    fn notes() {
        assert_eq!(
            strip_notes("Leicestershire [note 4]"),
            ("Leicestershire ".to_owned(), true)
        );
        assert_eq!(
            strip_notes("City of London[note 9]"),
            ("City of London".to_owned(), true)
        );
        assert_eq!(
            strip_notes("Table C2 [note 1][Note 2] x"),
            ("Table C2  x".to_owned(), true)
        );
        assert_eq!(strip_notes("[x]"), ("[x]".to_owned(), false));
        assert_eq!(strip_notes("a [b"), ("a [b".to_owned(), false));
    }

    #[test]
    fn headers() {
        assert_eq!(
            normalise_header("Police Force\n Area code"),
            "police force area code"
        );
        assert_eq!(
            split_rate_suffix("residential burglary (per 1,000 household)"),
            ("residential burglary", true)
        );
        assert_eq!(
            split_rate_suffix("residential burglary (per 1,000 population)"),
            ("residential burglary", false)
        );
        assert_eq!(split_rate_suffix("homicide"), ("homicide", false));
    }

    #[test]
    fn year_ending_titles() {
        assert_eq!(
            parse_year_ending("Table C2: … England and Wales, year ending December 2024 [note 1]"),
            Some(20_088)
        );
        assert_eq!(
            parse_year_ending("year ending Mar 2024"),
            Some(days_from_civil(2024, 3, 31))
        );
        assert_eq!(
            parse_year_ending("year ending February 2024"),
            Some(days_from_civil(2024, 2, 29))
        );
        assert_eq!(parse_year_ending("year ending soon"), None);
        assert_eq!(parse_year_ending("year ending December 24"), None);
    }
}
