//! Splitting a police.uk file into records and fields.
//!
//! Nearly every police.uk line is plain comma-separated text with no quotes, so a line is found
//! with one SIMD search for its end (or a quote) and split at its commas, the fields borrowed
//! from the file's text (checked to be UTF-8 as a whole beforehand). A line with a quote, which may hold commas or line breaks inside a
//! field, is handed to `csv_core`, the state machine behind the `csv` crate, for that one record.
//! Line numbers are counted from the line breaks passed, so they are right for LF and CRLF files
//! alike.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder, Terminator};

/// The records of one file, one at a time.
pub(crate) struct Splitter<'a> {
    text: &'a str,
    /// The field separator: a comma, or a semicolon in a file saved by a spreadsheet program in a
    /// locale whose decimal mark is a comma.
    delimiter: u8,
    /// Where the next record starts.
    position: usize,
    /// The line `position` is on (1-based).
    line: u64,
    /// Field bounds of the current record: into `bytes`, or into `unquoted` for a quoted one.
    bounds: Vec<(usize, usize)>,
    /// The parser for quoted records and its output: the record's fields, unquoted, end to end.
    parser: Reader,
    unquoted: Vec<u8>,
    unquoted_text: String,
    ends: Vec<usize>,
}

/// One record: its line and its fields.
pub(crate) struct Record<'s> {
    /// The line the record starts on (1-based).
    pub line: u64,
    fields: &'s [(usize, usize)],
    source: &'s str,
}

impl<'s> Record<'s> {
    /// The number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Field `index`, or empty past the last one.
    #[inline]
    pub fn get(&self, index: usize) -> &'s str {
        match self.fields.get(index) {
            // Bounds are at commas (or the parser's field ends), so always on char boundaries.
            Some(&(start, end)) => self.source.get(start..end).unwrap_or(""),
            None => "",
        }
    }
}

impl<'a> Splitter<'a> {
    /// A splitter of comma-separated text.
    #[cfg(test)]
    pub fn new(text: &'a str) -> Self {
        Splitter::with_delimiter(text, b',')
    }

    /// A splitter of text whose fields are separated by `delimiter` (an ASCII byte).
    pub fn with_delimiter(text: &'a str, delimiter: u8) -> Self {
        Splitter {
            text,
            delimiter,
            position: 0,
            line: 1,
            bounds: Vec::with_capacity(16),
            // Records end at line feeds only, as on the fast path: a carriage return alone inside
            // a line does not end it (one before the line feed is dropped below).
            parser: ReaderBuilder::new()
                .delimiter(delimiter)
                .terminator(Terminator::Any(b'\n'))
                .build(),
            unquoted: Vec::new(),
            unquoted_text: String::new(),
            ends: Vec::new(),
        }
    }

    /// The next record, skipping blank lines; `None` at the end of the file.
    pub fn next_record(&mut self) -> Option<Record<'_>> {
        let bytes = self.text.as_bytes();
        loop {
            let start = self.position;
            if start >= bytes.len() {
                return None;
            }
            let rest = &bytes[start..];
            match memchr::memchr2(b'\n', b'"', rest) {
                Some(at) if rest[at] == b'"' => return Some(self.quoted_record()),
                found => {
                    let end = found.map_or(bytes.len(), |at| start + at);
                    let line = self.line;
                    self.position = end + 1;
                    if found.is_some() {
                        self.line += 1;
                    }
                    let text_end = if end > start && bytes[end - 1] == b'\r' {
                        end - 1
                    } else {
                        end
                    };
                    if text_end == start {
                        continue; // a blank line
                    }
                    self.bounds.clear();
                    let mut field_start = start;
                    for comma in memchr::memchr_iter(self.delimiter, &bytes[start..text_end]) {
                        self.bounds.push((field_start, start + comma));
                        field_start = start + comma + 1;
                    }
                    self.bounds.push((field_start, text_end));
                    return Some(Record {
                        line,
                        fields: &self.bounds,
                        source: self.text,
                    });
                }
            }
        }
    }

    /// The record starting at `position`, which has a quote before its first line break.
    fn quoted_record(&mut self) -> Record<'_> {
        let start = self.position;
        let line = self.line;
        self.parser.reset();
        self.unquoted.resize(self.unquoted.len().max(256), 0);
        self.ends.resize(self.ends.len().max(32), 0);
        let (mut read, mut written, mut fields) = (0, 0, 0);
        loop {
            let input = &self.text.as_bytes()[start + read..];
            let (result, nin, nout, nend) = self.parser.read_record(
                input,
                &mut self.unquoted[written..],
                &mut self.ends[fields..],
            );
            read += nin;
            written += nout;
            fields += nend;
            match result {
                ReadRecordResult::OutputFull => {
                    let grown = self.unquoted.len() * 2;
                    self.unquoted.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                // The file ended inside the record: an empty input tells the parser so.
                ReadRecordResult::InputEmpty if input.is_empty() => break,
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::Record | ReadRecordResult::End => break,
            }
        }
        let consumed = &self.text.as_bytes()[start..start + read];
        self.line += memchr::memchr_iter(b'\n', consumed).count() as u64;
        self.position = start + read.max(1);
        // The parser only drops quote characters from UTF-8 text, so its output is UTF-8 too.
        self.unquoted_text.clear();
        self.unquoted_text
            .push_str(&String::from_utf8_lossy(&self.unquoted[..written]));
        self.bounds.clear();
        let mut field_start = 0;
        for &end in &self.ends[..fields] {
            self.bounds.push((field_start, end));
            field_start = end;
        }
        if let Some(last) = self.bounds.last_mut() {
            if last.1 > last.0 && self.unquoted_text.as_bytes()[last.1 - 1] == b'\r' {
                last.1 -= 1;
            }
        }
        Record {
            line,
            fields: &self.bounds,
            source: &self.unquoted_text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(u64, Vec<String>)> {
        let mut splitter = Splitter::new(text);
        let mut out = Vec::new();
        while let Some(record) = splitter.next_record() {
            let fields = (0..record.len())
                .map(|i| record.get(i).to_owned())
                .collect();
            out.push((record.line, fields));
        }
        out
    }

    fn owned(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|f| (*f).to_owned()).collect()
    }

    #[test]
    fn plain_lines_with_either_ending_and_blank_lines() {
        for newline in ["\n", "\r\n"] {
            let text = ["a,b,c", "", "d,,f", "g,h,i"].join(newline);
            assert_eq!(
                all(&text),
                vec![
                    (1, owned(&["a", "b", "c"])),
                    (3, owned(&["d", "", "f"])),
                    (4, owned(&["g", "h", "i"])),
                ],
                "{newline:?}"
            );
        }
    }

    #[test]
    fn quoted_fields_may_hold_commas_quotes_and_line_breaks() {
        let text = "a,\"b, c\",d\r\n\"e\nf\",\"say \"\"hi\"\"\",g\r\nh,i,j\r\n";
        assert_eq!(
            all(text),
            vec![
                (1, owned(&["a", "b, c", "d"])),
                (2, owned(&["e\nf", "say \"hi\"", "g"])),
                (4, owned(&["h", "i", "j"])),
            ]
        );
        // A carriage return inside a line does not end a quoted record.
        assert_eq!(
            all("\"a\rb\",c\r\nd,e"),
            vec![(1, owned(&["a\rb", "c"])), (2, owned(&["d", "e"]))]
        );
        // An unterminated quote runs to the end of the file, and the file still ends.
        assert_eq!(all("a,\"b\nc"), vec![(1, owned(&["a", "b\nc"]))]);
    }

    proptest::proptest! {
        /// Unquoted text splits as lines at line feeds (a carriage return ending one dropped,
        /// blank lines skipped) and fields at commas, wherever they fall in the eight-byte
        /// words the splitter reads.
        #[test]
        fn unquoted_text_splits_at_every_line_feed_and_comma(
            text in "[ab,\\n\\r]{0,80}",
        ) {
            let mut expected = Vec::new();
            let lines: Vec<&str> = text.split('\n').collect();
            for (index, line) in lines.iter().enumerate() {
                let line = line.strip_suffix('\r').unwrap_or(line);
                if !line.is_empty() {
                    expected.push((index as u64 + 1, owned(&line.split(',').collect::<Vec<_>>())));
                }
            }
            proptest::prop_assert_eq!(all(&text), expected);
        }
    }

    #[test]
    fn semicolons_separate_fields_when_asked() {
        let mut splitter = Splitter::with_delimiter("a;0,5;\"x;y\"\n", b';');
        let record = splitter.next_record().expect("a record");
        assert_eq!(
            (record.get(0), record.get(1), record.get(2)),
            ("a", "0,5", "x;y")
        );
    }
}
