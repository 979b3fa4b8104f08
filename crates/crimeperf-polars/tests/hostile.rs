//! Hostile and broken input: lines without end, zip bombs, paths that leave the folder given,
//! files saved by a spreadsheet program, and a read stopped by its caller. Each gives correct
//! records with a log entry, or a typed error naming the file, in bounded memory and time.

// A test reports failure by panicking.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::io::Write;
use std::sync::Arc;

use crimeperf_polars::{
    fuzzing, read_police_uk, Cancel, DataError, Geography, PoliceUkData, ReadOptions,
    MAX_LINE_BYTES,
};
use polars::prelude::*;

mod common;
use common::{strings, Scratch};

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

/// Three rows of a Rochford LSOA, as police.uk writes them.
const ROWS: [&str; 3] = [
    "a1,2025-01,Essex Police,Essex Police,0.703617,51.58,On or near High Street,E01021914,Rochford 001A,Burglary,Unable to prosecute suspect,",
    "a2,2025-01,Essex Police,Essex Police,0.703617,51.58,On or near Café Row,E01021914,Rochford 001A,Shoplifting,Offender given a caution,",
    ",2025-01,Essex Police,Essex Police,0.703617,51.58,On or near Mill Lane,E01021914,Rochford 001A,Anti-social behaviour,,",
];

fn police_uk_file() -> String {
    let mut lines = vec![HEADER];
    lines.extend(ROWS);
    lines.join("\n") + "\n"
}

fn read(source: &std::path::Path) -> crimeperf_polars::Result<PoliceUkData> {
    read_police_uk(
        source,
        &Geography::bundled().unwrap(),
        &ReadOptions::default(),
    )
}

/// The details of the log's `spreadsheet_export` rows.
fn undone(data: &PoliceUkData) -> Vec<String> {
    let kinds = strings(&data.log, "kind");
    let details = strings(&data.log, "detail");
    kinds
        .iter()
        .zip(details)
        .filter(|(k, _)| k.as_deref() == Some("spreadsheet_export"))
        .map(|(_, d)| d.unwrap_or_default())
        .collect()
}

/// The records as a spreadsheet-free read gives them: every column but `file` and `line`.
fn same_records(data: &PoliceUkData, reference: &PoliceUkData) {
    let keep = |frame: &DataFrame| frame.drop_many(["file", "line"]);
    assert!(
        keep(&data.records).equals_missing(&keep(&reference.records)),
        "{}\n{}",
        data.records,
        reference.records
    );
}

#[test]
fn an_endless_line_is_refused_at_the_limit() {
    let scratch = Scratch::new("endless");
    let mut text = format!("{HEADER}\n{}\n", ROWS[0]);
    text.push_str(&"x".repeat(MAX_LINE_BYTES * 3));
    let path = scratch.write("2025-01-essex-street.csv", &text);
    match read(&path) {
        Err(DataError::LineTooLong { file, line, limit }) => {
            assert!(file.ends_with("2025-01-essex-street.csv"));
            assert_eq!((line, limit), (3, MAX_LINE_BYTES));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_that_claims_a_terabyte_is_not_reserved_up_front() {
    let scratch = Scratch::new("sparse");
    let path = scratch.0.join("2025-01-essex-street.csv");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: a terabyte of zeros that takes no disk, and no line break in it.
    file.set_len(1 << 40).unwrap();
    assert!(matches!(
        read(&path),
        Err(DataError::LineTooLong { line: 1, .. })
    ));
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_expanded() {
    let scratch = Scratch::new("bomb");
    let path = scratch.0.join("download.zip");
    let mut zip = ::zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Deflated)
        .large_file(false);
    zip.start_file("2025-01/2025-01-essex-street.csv", deflated)
        .unwrap();
    zip.write_all(format!("{HEADER}\n").as_bytes()).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    match read(&path) {
        Err(err @ DataError::ZipBomb { .. }) => {
            let message = err.to_string();
            assert!(message.contains("2025-01-essex-street.csv"), "{message}");
            assert!(message.contains("more than 100 times"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn zip_entries_that_leave_the_archive_are_refused() {
    let scratch = Scratch::new("escape");
    let options = ::zip::write::SimpleFileOptions::default();
    let dotdot = scratch.0.join("dotdot.zip");
    let mut zip = ::zip::ZipWriter::new(std::fs::File::create(&dotdot).unwrap());
    zip.start_file("../2025-01-essex-street.csv", options)
        .unwrap();
    zip.write_all(police_uk_file().as_bytes()).unwrap();
    zip.finish().unwrap();
    match read(&dotdot) {
        Err(DataError::PathOutside { path, reason }) => {
            assert!(
                path.ends_with("dotdot.zip!../2025-01-essex-street.csv"),
                "{path}"
            );
            assert!(reason.contains(".."), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let link = scratch.0.join("link.zip");
    let mut zip = ::zip::ZipWriter::new(std::fs::File::create(&link).unwrap());
    zip.add_symlink("2025-01-essex-street.csv", "/etc/passwd", options)
        .unwrap();
    zip.finish().unwrap();
    match read(&link) {
        Err(DataError::PathOutside { reason, .. }) => assert!(reason.contains("link")),
        other => panic!("{other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn folder_links_stay_inside_the_folder_and_cannot_loop() {
    let scratch = Scratch::new("links");
    scratch.write("inside/2025-01/2025-01-essex-street.csv", &police_uk_file());
    let outside = scratch.write("outside/2025-02-essex-street.csv", &police_uk_file());
    let root = scratch.0.join("inside");
    // A link back to the folder itself: searched once, the second visit logged.
    std::os::unix::fs::symlink(&root, root.join("again")).unwrap();
    let data = read(&root).unwrap();
    assert_eq!(data.records.height(), 3);
    assert!(strings(&data.log, "detail")
        .iter()
        .flatten()
        .any(|d| d.contains("already searched")));
    // A link to a file outside the folder given: refused, naming both.
    std::os::unix::fs::symlink(&outside, root.join("2025-02-essex-street.csv")).unwrap();
    match read(&root) {
        Err(DataError::PathOutside { path, reason }) => {
            assert!(path.ends_with("2025-02-essex-street.csv"), "{path}");
            assert!(reason.contains("outside the folder"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_cancelled_read_stops_with_cancelled() {
    let scratch = Scratch::new("cancel");
    scratch.write("2025-01-essex-street.csv", &police_uk_file());
    let cancel = Arc::new(Cancel::default());
    cancel.cancel();
    let options = ReadOptions {
        cancel: Some(cancel),
        ..ReadOptions::default()
    };
    let result = read_police_uk(&scratch.0, &Geography::bundled().unwrap(), &options);
    assert!(matches!(result, Err(DataError::Cancelled)), "{result:?}");
}

#[test]
fn files_saved_by_a_spreadsheet_are_read_with_what_was_assumed() {
    let scratch = Scratch::new("excel");
    let reference =
        read(&scratch.write("plain/2025-01-essex-street.csv", &police_uk_file())).unwrap();
    assert!(undone(&reference).is_empty(), "{}", reference.log);

    // Excel's "CSV UTF-8": a byte-order mark and CRLF.
    let text = format!("\u{feff}{}", police_uk_file().replace('\n', "\r\n"));
    let data = read(&scratch.write("bom/2025-01-essex-street.csv", &text)).unwrap();
    same_records(&data, &reference);
    assert!(undone(&data)[0].contains("byte-order mark"), "{}", data.log);

    // Excel's "CSV (Comma delimited)" on Windows: Windows-1252 text.
    let path = scratch.0.join("cp1252/2025-01-essex-street.csv");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        police_uk_file()
            .chars()
            .map(|c| c as u32 as u8)
            .collect::<Vec<u8>>(),
    )
    .unwrap();
    let data = read(&path).unwrap();
    same_records(&data, &reference);
    assert!(undone(&data)[0].contains("Windows-1252"), "{}", data.log);

    // A "CSV (Macintosh)" export: carriage returns alone.
    let data = read(&scratch.write(
        "mac/2025-01-essex-street.csv",
        &police_uk_file().replace('\n', "\r"),
    ))
    .unwrap();
    same_records(&data, &reference);
    assert!(
        undone(&data)[0].contains("carriage returns"),
        "{}",
        data.log
    );

    // A comma-decimal locale: semicolons between fields, commas in numbers, a quoted location.
    let semicolons = police_uk_file()
        .lines()
        .map(|line| {
            line.replace(',', ";")
                .replace("0.703617", "0,703617")
                .replace("51.58", "51,58")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let data = read(&scratch.write("semicolons/2025-01-essex-street.csv", &semicolons)).unwrap();
    same_records(&data, &reference);
    assert!(undone(&data)[0].contains("semicolons"), "{}", data.log);

    // Months made dates: 01/01/2025 in the UK, 1/1/2025 in the US, Jan-25 on screen.
    for (folder, month) in [
        ("uk", "01/01/2025"),
        ("us", "1/1/2025"),
        ("shown", "Jan-25"),
    ] {
        let text = police_uk_file().replace(",2025-01,", &format!(",{month},"));
        let data =
            read(&scratch.write(&format!("{folder}/2025-01-essex-street.csv"), &text)).unwrap();
        same_records(&data, &reference);
        let details = undone(&data);
        assert!(
            details[0].contains(&format!("Month written as {month:?}")),
            "{details:?}"
        );
        let counts = data.log.column("count").unwrap().u64().unwrap();
        assert_eq!(counts.get(0), Some(3), "{}", data.log);
    }

    // A title and a blank-ish line a spreadsheet added above the header, in a file not named
    // like a police.uk file (found by its header below them).
    let text = format!(
        "Essex Police street crime;;\nJanuary 2025,,\n{}",
        police_uk_file()
    );
    scratch.write("titled/essex_january.csv", &text);
    let data = read(&scratch.0.join("titled")).unwrap();
    same_records(&data, &reference);
    let kinds = strings(&data.log, "kind");
    let at = kinds
        .iter()
        .position(|k| k.as_deref() == Some("lines_above_header"))
        .unwrap();
    assert_eq!(
        data.log.column("count").unwrap().u64().unwrap().get(at),
        Some(2)
    );

    // Months as date serial numbers cannot be read back with confidence: refused, saying how to
    // export the file properly.
    let text = police_uk_file().replace(",2025-01,", ",45658,");
    match read(&scratch.write("serial/2025-01-essex-street.csv", &text)) {
        Err(err @ DataError::SpreadsheetExport { .. }) => {
            let message = err.to_string();
            assert!(
                message.contains("serial/2025-01-essex-street.csv: line 2"),
                "{message}"
            );
            assert!(message.contains("CSV UTF-8"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

/// The five police.uk folders of the shared data.
const REAL_FOLDERS: [&str; 5] = [
    "police_uk_street_2025_essex_suffolk_norfolk",
    "police_uk_street_2018_19_essex",
    "police_uk_street_2024_25_city_of_london",
    "police_uk_street_2017_20_city_of_london",
    "police_uk_outcomes_2024_25_city_of_london",
];

/// A change to a file of the kind damage, hand-editing or a spreadsheet makes.
#[derive(Debug, Clone)]
enum Mutation {
    /// Delete data line `at` (modulo the lines there are).
    DeleteLine(usize),
    /// Write data line `at` twice.
    DuplicateLine(usize),
    /// Cut data line `at` short, keeping `keep` of its bytes (modulo its length).
    TruncateLine(usize, usize),
    /// XOR the byte at `at` (modulo the file's length, past the header) with `with`.
    FlipByte(usize, u8),
    /// Swap columns `a` and `b` on every line (the header too).
    SwapColumns(usize, usize),
    /// Add a column at the end of every line (the header too).
    ExtraColumn,
    /// Put a byte-order mark at the start.
    ByteOrderMark,
    /// End every `every`th line with CRLF, the rest with LF.
    MixedLineEndings(usize),
}

fn mutation() -> impl proptest::strategy::Strategy<Value = Mutation> {
    use proptest::prelude::*;
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, k)| Mutation::TruncateLine(a, k)),
        (any::<usize>(), 1..=255u8).prop_map(|(a, w)| Mutation::FlipByte(a, w)),
        (0..14usize, 0..14usize).prop_map(|(a, b)| Mutation::SwapColumns(a, b)),
        Just(Mutation::ExtraColumn),
        Just(Mutation::ByteOrderMark),
        (1..5usize).prop_map(Mutation::MixedLineEndings),
    ]
}

/// `text` (a police.uk file) changed by `mutation`.
fn mutate(text: &[u8], mutation: &Mutation) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = text
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
        .collect();
    if lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    let data = lines.len().saturating_sub(1).max(1);
    let join = |lines: &[Vec<u8>]| {
        let mut bytes = lines.join(&b'\n');
        bytes.push(b'\n');
        bytes
    };
    match *mutation {
        Mutation::DeleteLine(at) if lines.len() > 1 => {
            lines.remove(1 + at % data);
        }
        Mutation::DuplicateLine(at) if lines.len() > 1 => {
            let line = lines[1 + at % data].clone();
            lines.insert(1 + at % data, line);
        }
        Mutation::TruncateLine(at, keep) if lines.len() > 1 => {
            let line = &mut lines[1 + at % data];
            let keep = keep % (line.len() + 1);
            line.truncate(keep);
        }
        Mutation::FlipByte(at, with) => {
            let mut bytes = join(&lines);
            let start = lines[0].len() + 1;
            if bytes.len() > start {
                let at = start + at % (bytes.len() - start);
                bytes[at] ^= with;
            }
            return bytes;
        }
        Mutation::SwapColumns(a, b) => {
            for line in &mut lines {
                let mut fields: Vec<&[u8]> = line.split(|&b| b == b',').collect();
                if a < fields.len() && b < fields.len() {
                    fields.swap(a, b);
                }
                *line = fields.join(&b',');
            }
        }
        Mutation::ExtraColumn => {
            lines[0].extend_from_slice(b",Added by hand");
            for line in &mut lines[1..] {
                line.extend_from_slice(b",x");
            }
        }
        Mutation::ByteOrderMark => {
            let mut bytes = b"\xEF\xBB\xBF".to_vec();
            bytes.extend(join(&lines));
            return bytes;
        }
        Mutation::MixedLineEndings(every) => {
            let mut bytes = Vec::new();
            for (i, line) in lines.iter().enumerate() {
                bytes.extend_from_slice(line);
                bytes.extend_from_slice(if i % every == 0 { b"\r\n" } else { b"\n" });
            }
            return bytes;
        }
        _ => {}
    }
    join(&lines)
}

/// Rows in = records out + rows dropped as logged, for every read of a mutated real file; or a
/// typed error naming the file (a mutation can break the header).
#[test]
fn every_row_of_a_mutated_real_file_is_read_or_logged() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let geography = Geography::bundled().unwrap();
    for folder in REAL_FOLDERS {
        let Some(root) = common::shared_data(&format!("data/raw/{folder}")) else {
            return;
        };
        let mut files: Vec<std::path::PathBuf> = walk(&root);
        files.sort();
        let kind = if folder.contains("outcomes") {
            crimeperf_polars::FileKind::Outcomes
        } else {
            crimeperf_polars::FileKind::Street
        };
        let scratch = Scratch::new(&format!("conserve-{folder}"));
        let mut runner = TestRunner::new(Config {
            cases: 12,
            failure_persistence: None,
            ..Config::default()
        });
        let strategy = (0..files.len(), proptest::collection::vec(mutation(), 1..4));
        runner
            .run(&strategy, |(index, mutations)| {
                let original = std::fs::read(&files[index]).unwrap();
                let mut bytes = original;
                for m in &mutations {
                    bytes = mutate(&bytes, m);
                }
                let name = files[index]
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let path = scratch.0.join(&name);
                std::fs::write(&path, &bytes).unwrap();
                let options = ReadOptions {
                    kind,
                    // Every differing copy is kept, so that each row dropped is logged in the
                    // file it came from (the default policy logs a conflict once, at its first
                    // copy).
                    duplicates: crimeperf_polars::DuplicatePolicy::KeepAll,
                    ..ReadOptions::default()
                };
                match read_police_uk(&path, &geography, &options) {
                    Ok(data) => {
                        let expected =
                            fuzzing::csv_records(&bytes, b',').len().saturating_sub(1) as u64;
                        let found = data.records.height() as u64 + fuzzing::rows_dropped(&data.log);
                        prop_assert_eq!(
                            expected,
                            found,
                            "{} {:?}: {} records, log\n{}",
                            name,
                            mutations,
                            data.records.height(),
                            data.log
                        );
                    }
                    Err(DataError::UnknownHeader { file, .. }) => {
                        prop_assert!(file.ends_with(&name));
                    }
                    Err(other) => prop_assert!(false, "{name} {mutations:?}: {other}"),
                }
                // Under the default policy a conflict is logged once, at its first copy, with
                // the number of copies; all but the one kept are dropped.
                let options = ReadOptions {
                    kind,
                    ..ReadOptions::default()
                };
                if let Ok(data) = read_police_uk(&path, &geography, &options) {
                    let kinds = strings(&data.log, "kind");
                    let details = strings(&data.log, "detail");
                    let counts = data.log.column("count").unwrap().u64().unwrap();
                    let conflicts: u64 = (0..data.log.height())
                        .filter(|&r| kinds[r].as_deref() == Some("duplicate_crime_id_conflicting"))
                        .filter(|&r| !details[r].as_deref().unwrap_or("").ends_with("all kept"))
                        .map(|r| counts.get(r).unwrap_or(0) - 1)
                        .sum();
                    prop_assert_eq!(
                        fuzzing::csv_records(&bytes, b',').len().saturating_sub(1) as u64,
                        data.records.height() as u64 + fuzzing::rows_dropped(&data.log) + conflicts
                    );
                }
                Ok(())
            })
            .unwrap();
    }
}

/// The CSV files under `root`.
fn walk(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "csv") {
            out.push(path);
        }
    }
    out
}
