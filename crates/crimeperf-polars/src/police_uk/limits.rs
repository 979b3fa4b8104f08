//! The limits of what the reader accepts, so that a broken or hostile file is refused in bounded
//! memory and time rather than read whole: a line of more than a megabyte, a zip entry that
//! expands far beyond its compressed size.

use std::io::Read;

use crate::cancel::{self, Cancel};
use crate::error::{DataError, Result};

/// The longest line read, in bytes. A data.police.uk row is 150 to 300 bytes; a line a thousand
/// times longer is a broken file (or one whose line breaks were lost), and it is refused once this
/// many bytes of it have been read.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// How many times its compressed size a zip entry may expand to. police.uk CSV files deflate 4
/// to 6 times; a zip bomb expands thousands of times.
pub const MAX_EXPANSION: u64 = 100;

/// Entries smaller than this are never refused for their expansion: a small file of repeated
/// lines compresses very well and is harmless.
const EXPANSION_FLOOR: u64 = 1 << 20;

/// Bytes read at a time: the line limit and the cancel flag are checked between chunks.
const CHUNK: u64 = 1 << 20;

/// The most room reserved up front from a size a file or zip entry states: a sparse file or a
/// lying zip header must not make the reader ask for terabytes before reading a byte.
pub(crate) const MAX_RESERVE: u64 = 64 << 20;

/// How a file's lines end, as found while reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineEndings {
    /// Line feeds (with or without carriage returns before them).
    LineFeed,
    /// Carriage returns alone (a "CSV (Macintosh)" export): turned into line feeds as read.
    CarriageReturn,
}

/// Refuses a zip entry that declares a size far beyond its compressed size.
pub(crate) fn check_expansion(
    archive: &std::path::Path,
    entry: &str,
    size: u64,
    compressed: u64,
) -> Result<()> {
    // The compressed size is a claim of the entry's header too: it cannot exceed the archive.
    let archive_bytes = std::fs::metadata(archive).map_or(u64::MAX, |m| m.len());
    if compressed > archive_bytes {
        return Err(DataError::ZipBomb {
            path: archive.to_owned(),
            entry: entry.to_owned(),
            reason: format!(
                "its header claims {compressed} compressed bytes in an archive of {archive_bytes}"
            ),
        });
    }
    if size > EXPANSION_FLOOR && size > compressed.saturating_mul(MAX_EXPANSION) {
        return Err(DataError::ZipBomb {
            path: archive.to_owned(),
            entry: entry.to_owned(),
            reason: format!(
                "it expands from {compressed} to {size} bytes, more than {MAX_EXPANSION} times \
                 (police.uk files expand about 5 times)"
            ),
        });
    }
    Ok(())
}

/// Reads `reader` to its end onto `buffer`, a chunk at a time: refuses a line longer than
/// [`MAX_LINE_BYTES`] once it passes the limit, stops when `cancel` is set, and turns the line
/// breaks of a file whose lines end in carriage returns alone into line feeds. `io` says which
/// file an I/O error is about.
pub(crate) fn read_bounded(
    mut reader: impl Read,
    buffer: &mut Vec<u8>,
    file: &str,
    cancel: Option<&Cancel>,
    io: impl Fn(std::io::Error) -> DataError,
) -> Result<LineEndings> {
    let mut endings = None;
    // Where the line being read starts.
    let mut line_start = buffer.len();
    loop {
        cancel::check(cancel)?;
        let before = buffer.len();
        let read = (&mut reader).take(CHUNK).read_to_end(buffer).map_err(&io)?;
        let chunk = &mut buffer[before..];
        let endings = *endings.get_or_insert_with(|| {
            if memchr::memchr(b'\n', chunk).is_none() && memchr::memchr(b'\r', chunk).is_some() {
                LineEndings::CarriageReturn
            } else {
                LineEndings::LineFeed
            }
        });
        if endings == LineEndings::CarriageReturn {
            for byte in chunk.iter_mut().filter(|b| **b == b'\r') {
                *byte = b'\n';
            }
        }
        // Every line ended in this chunk is measured (one may have started in an earlier
        // chunk), then the one still open.
        let too_long = |start: usize, end: usize| end - start > MAX_LINE_BYTES;
        let mut long = None;
        for at in memchr::memchr_iter(b'\n', &buffer[before..]) {
            if too_long(line_start, before + at) {
                long = Some(line_start);
                break;
            }
            line_start = before + at + 1;
        }
        if long.is_none() && too_long(line_start, buffer.len()) {
            long = Some(line_start);
        }
        if let Some(start) = long {
            let line = memchr::memchr_iter(b'\n', &buffer[..start]).count() as u64 + 1;
            return Err(DataError::LineTooLong {
                file: file.to_owned(),
                line,
                limit: MAX_LINE_BYTES,
            });
        }
        if read == 0 {
            return Ok(endings);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn read(bytes: &[u8]) -> Result<(Vec<u8>, LineEndings)> {
        let mut buffer = Vec::new();
        let endings = read_bounded(bytes, &mut buffer, "f.csv", None, |source| DataError::Io {
            path: "f.csv".into(),
            source,
        })?;
        Ok((buffer, endings))
    }

    #[test]
    fn an_endless_line_is_refused_at_the_limit_with_its_number() {
        let mut text = b"a,b\n1,2\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
        match read(&text) {
            Err(DataError::LineTooLong { line, limit, .. }) => {
                assert_eq!((line, limit), (3, MAX_LINE_BYTES));
            }
            other => panic!("{other:?}"),
        }
        // Long files of short lines are read whole.
        let many = b"1,2\r\n".repeat(1_000_000);
        let (buffer, endings) = read(&many).unwrap();
        assert_eq!((buffer, endings), (many, LineEndings::LineFeed));
    }

    #[test]
    fn a_long_line_that_ends_in_a_later_chunk_is_refused() {
        // Starts 100 bytes before the first chunk ends and ends inside the second.
        let mut text = vec![b'a'; (1 << 20) - 101];
        text.push(b'\n');
        text.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 50));
        text.extend(b"\nshort\n");
        match read(&text) {
            Err(DataError::LineTooLong { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn carriage_returns_alone_become_line_feeds() {
        let (buffer, endings) = read(b"a,b\r1,2\r").unwrap();
        assert_eq!(buffer, b"a,b\n1,2\n");
        assert_eq!(endings, LineEndings::CarriageReturn);
    }

    #[test]
    fn a_cancelled_read_stops() {
        let cancel = Cancel::default();
        cancel.cancel();
        let mut buffer = Vec::new();
        let result = read_bounded(&b"a\n"[..], &mut buffer, "f", Some(&cancel), |source| {
            DataError::Io {
                path: "f".into(),
                source,
            }
        });
        assert!(matches!(result, Err(DataError::Cancelled)));
    }

    #[test]
    fn entries_that_expand_too_far_are_refused() {
        let path = std::path::Path::new("a.zip");
        assert!(check_expansion(path, "x.csv", 5_000_000, 1_000_000).is_ok());
        assert!(check_expansion(path, "x.csv", 1000, 1).is_ok());
        assert!(matches!(
            check_expansion(path, "x.csv", 1 << 30, 1 << 20),
            Err(DataError::ZipBomb { .. })
        ));
    }
}
