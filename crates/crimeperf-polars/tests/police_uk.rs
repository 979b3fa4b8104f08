//! Reading police.uk files: a small hand-made folder with every pitfall the real files have, and
//! the real Essex, Suffolk and Norfolk files when `../shared/data/raw` is beside the repository.

// A test reports failure by panicking.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

use crimeperf::{Confidence, SolvedDefinition};
use crimeperf_polars::{
    count_crimes, read_police_uk, solved_rates, CountOptions, DataError, DuplicatePolicy, FileKind,
    Geography, OutsideForce, PeriodUnit, ReadOptions,
};
use polars::prelude::*;

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

fn geography() -> Geography {
    Geography::bundled().expect("the bundled lookup is in data/geography")
}

use common::{strings, Scratch};

/// Two Rochford LSOAs (2021 codes) and one in Redbridge (Metropolitan Police area).
fn january() -> String {
    [
        HEADER,
        "a1,2025-01,Essex Police,Essex Police,0.70,51.58,On or near High Street,E01021914,Rochford 001A,Burglary,Unable to prosecute suspect,",
        "a2,2025-01,Essex Police,Essex Police,0.70,51.58,On or near High Street,E01021914,Rochford 001A,Burglary,Offender given a caution,",
        ",2025-01,Essex Police,Essex Police,0.70,51.58,On or near Mill Lane,E01021914,Rochford 001A,Anti-social behaviour,,",
        "a3,2025-01,Essex Police,Essex Police,,,No Location,,,Vehicle crime,Investigation complete; no suspect identified,",
        "a4,2025-01,Essex Police,Essex Police,0.06,51.57,On or near Cranbrook Road,E01003638,Redbridge 017A,Shoplifting,Awaiting court outcome,",
        "a5,2025-01,Essex Police,Essex Police,0.70,51.58,On or near High Street,E01021914,Rochford 001A,Teleportation,Under investigation,",
        "a6,2025-01,Essex Police,Essex Police,0.70,51.58,too,few,fields",
        "a7,2025-13,Essex Police,Essex Police,0.70,51.58,On or near High Street,E01021914,Rochford 001A,Robbery,Local resolution,",
        // An identical copy of a1, and a differing copy of a2 without a location.
        "a1,2025-01,Essex Police,Essex Police,0.70,51.58,On or near High Street,E01021914,Rochford 001A,Burglary,Unable to prosecute suspect,",
        "a2,2025-01,Essex Police,Essex Police,,,No Location,,,Burglary,Status update unavailable,",
        "a8,2025-01,Essex Police,Essex Police,0.70,51.58,On or near High Street,E01999999,Nowhere 001A,Drugs,Local resolution,",
    ]
    .join("\r\n") // CRLF, as some real files are
}

fn march() -> String {
    [
        HEADER,
        "b1,2025-03,Essex Police,Essex Police,0.70,51.58,On or near High Street,E01021914,Rochford 001A,Public order,Court result unavailable,",
    ]
    .join("\n")
}

fn read(source: &Path, duplicates: DuplicatePolicy) -> crimeperf_polars::PoliceUkData {
    let options = ReadOptions {
        duplicates,
        ..ReadOptions::default()
    };
    read_police_uk(source, &geography(), &options).unwrap()
}

fn log_count(data: &crimeperf_polars::PoliceUkData, kind: &str) -> u64 {
    let log = &data.log;
    let kinds = log.column("kind").unwrap().str().unwrap();
    let counts = log.column("count").unwrap().u64().unwrap();
    kinds
        .iter()
        .zip(counts.iter())
        .filter(|(k, _)| *k == Some(kind))
        .map(|(_, c)| c.unwrap_or(0))
        .sum()
}

#[test]
fn every_pitfall_is_kept_or_logged() {
    let scratch = Scratch::new("pitfalls");
    scratch.write("2025-01/2025-01-essex-street.csv", &january());
    scratch.write("2025-03/2025-03-essex-street.csv", &march());
    // The same force-month file again, in another folder.
    scratch.write("again/2025-03-essex-street.csv", &march());
    let data = read(&scratch.0, DuplicatePolicy::default());
    let records = &data.records;

    // 11 data lines in January: 1 malformed and 1 bad month dropped, a1's identical copy
    // collapsed, a2's two copies resolved to one; plus 1 row in March.
    assert_eq!(records.height(), 11 - 2 - 1 - 1 + 1, "{records}");
    assert_eq!(log_count(&data, "malformed_line"), 1);
    assert_eq!(log_count(&data, "bad_month"), 1);
    assert_eq!(log_count(&data, "duplicate_crime_id_identical"), 1);
    assert_eq!(log_count(&data, "duplicate_crime_id_conflicting"), 2);
    assert_eq!(log_count(&data, "duplicate_file"), 1);
    assert_eq!(log_count(&data, "unknown_crime_type"), 1);
    assert_eq!(log_count(&data, "no_location"), 2);
    assert_eq!(log_count(&data, "unknown_lsoa"), 1);
    assert_eq!(log_count(&data, "lsoa_outside_force"), 1);
    assert_eq!(log_count(&data, "missing_month"), 1);

    // The kept a2 is the located copy with the caution.
    let ids = strings(records, "crime_id");
    let outcomes = strings(records, "last_outcome");
    let a2 = ids
        .iter()
        .position(|id| id.as_deref() == Some("a2"))
        .unwrap();
    assert_eq!(outcomes[a2].as_deref(), Some("Offender given a caution"));
    // Rows are placed: Rochford LSOAs in Rochford local authority and CSP.
    let la = strings(records, "local_authority_code");
    let csp = strings(records, "csp_code");
    assert_eq!(la[a2].as_deref(), Some("E07000075"));
    assert_eq!(csp[a2].as_deref(), Some("E22000088"));
    // The unknown crime type is kept as written and flagged.
    let types = strings(records, "crime_type");
    let known = records.column("crime_type_known").unwrap().bool().unwrap();
    let odd = types
        .iter()
        .position(|t| t.as_deref() == Some("Teleportation"))
        .unwrap();
    assert_eq!(known.get(odd), Some(false));
    // ASB is marked and has no Crime ID.
    let asb = records.column("is_asb").unwrap().bool().unwrap();
    assert_eq!(asb.sum(), Some(1));

    // Coverage shows January and March, not February.
    assert_eq!(data.coverage.height(), 2);
}

#[test]
fn quoted_fields_bad_bytes_and_renamed_lsoas() {
    let scratch = Scratch::new("quoted");
    let row = |id: &str, location: &str, name: &str| {
        format!("{id},2025-01,Essex Police,Essex Police,0.70,51.58,{location},E01021914,{name},Burglary,Unable to prosecute suspect,")
    };
    let mut text = [
        HEADER.to_owned(),
        row("q1", "\"On or near Smith's Road, East\"", "Rochford 001A"),
        row(
            "q2",
            "\"On or near \"\"The Lanes\"\"\"",
            "Rochford 001A (renamed)",
        ),
        row("q3", "On or near Caf\u{1}", "Rochford 001A"),
        row("q4", "\"On or near\nHigh Street\"", "Rochford 001A"),
        row(
            "q5",
            "On or near High Street \u{2013} North",
            "Rochford 001A",
        ),
    ]
    .join("\r\n")
    .into_bytes();
    // q3's line in Latin-1, as a hand-edited file might be: not UTF-8. The file is UTF-8
    // elsewhere (q5's dash), so the line is damage, not a file in another encoding.
    let at = text.iter().position(|&b| b == 1).unwrap();
    text[at] = 0xe9;
    let path = scratch.0.join("2025-01-essex-street.csv");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&text)
        .unwrap();
    let data = read(&scratch.0, DuplicatePolicy::default());
    let records = &data.records;
    assert_eq!(
        strings(records, "crime_id"),
        ["q1", "q2", "q4", "q5"].map(|s| Some(s.to_owned()))
    );
    assert_eq!(
        strings(records, "location"),
        [
            "On or near Smith's Road, East",
            "On or near \"The Lanes\"",
            "On or near\nHigh Street",
            "On or near High Street \u{2013} North"
        ]
        .map(|s| Some(s.to_owned()))
    );
    let names = strings(records, "lsoa_name");
    assert_eq!(names[1].as_deref(), Some("Rochford 001A (renamed)"));
    assert_eq!(names[2].as_deref(), Some("Rochford 001A"));
    let lines: Vec<Option<u32>> = records
        .column("line")
        .unwrap()
        .u32()
        .unwrap()
        .iter()
        .collect();
    // q4's location spans lines 5 and 6.
    assert_eq!(lines, [Some(2), Some(3), Some(5), Some(7)]);
    assert_eq!(log_count(&data, "malformed_line"), 1);
    let log_lines: Vec<Option<u64>> = data
        .log
        .column("line")
        .unwrap()
        .u64()
        .unwrap()
        .iter()
        .collect();
    let details = strings(&data.log, "detail");
    let bad = details
        .iter()
        .position(|d| d.as_deref() == Some("bytes that are not UTF-8"))
        .unwrap();
    assert_eq!(log_lines[bad], Some(4));
    let csp = strings(records, "csp_code");
    assert!(csp.iter().all(|c| c.as_deref() == Some("E22000088")));
}

/// The `line` column and the log's lines, for a file written with `ending`.
fn lines_with(ending: &str) -> (Vec<Option<u32>>, Vec<Option<u64>>) {
    let scratch = Scratch::new(if ending == "\n" {
        "lines-lf"
    } else {
        "lines-crlf"
    });
    let text = january().replace("\r\n", ending);
    scratch.write("2025-01/2025-01-essex-street.csv", &text);
    let data = read(&scratch.0, DuplicatePolicy::KeepAll);
    let lines = data.records.column("line").unwrap().u32().unwrap();
    let malformed = data
        .log
        .column("kind")
        .unwrap()
        .str()
        .unwrap()
        .equal("malformed_line");
    let log_lines = data.log.filter(&malformed).unwrap();
    let log_lines = log_lines.column("line").unwrap().u64().unwrap();
    (lines.iter().collect(), log_lines.iter().collect())
}

#[test]
fn line_numbers_are_the_same_with_crlf_and_lf() {
    let (lf, lf_log) = lines_with("\n");
    let (crlf, crlf_log) = lines_with("\r\n");
    assert_eq!(lf, crlf);
    assert_eq!(lf_log, crlf_log);
    // The header is line 1; a1 is line 2; the malformed a6 is line 8.
    assert_eq!(lf.first(), Some(&Some(2)));
    assert_eq!(lf_log, [Some(8)]);
}

#[test]
fn keep_all_keeps_differing_copies() {
    let scratch = Scratch::new("keep-all");
    scratch.write("2025-01-essex-street.csv", &january());
    let data = read(&scratch.0, DuplicatePolicy::KeepAll);
    let ids = strings(&data.records, "crime_id");
    assert_eq!(
        ids.iter().filter(|id| id.as_deref() == Some("a2")).count(),
        2
    );
    assert_eq!(
        ids.iter().filter(|id| id.as_deref() == Some("a1")).count(),
        1
    );
}

#[test]
fn reads_zip_archives() {
    let scratch = Scratch::new("zip");
    let path = scratch.0.join("download.zip");
    let mut zip = ::zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Stored);
    zip.start_file("2025-01/2025-01-essex-street.csv", stored)
        .unwrap();
    zip.write_all(january().as_bytes()).unwrap();
    zip.start_file("2025-01/2025-01-essex-outcomes.csv", stored)
        .unwrap();
    zip.write_all(b"not, this kind").unwrap();
    zip.finish().unwrap();
    let data = read(&path, DuplicatePolicy::default());
    assert_eq!(data.records.height(), 7);
    // The outcome file in the archive is not read, and the log says so and why.
    let files = strings(&data.log, "file");
    let details = strings(&data.log, "detail");
    let skipped = (0..data.log.height())
        .find(|&r| strings(&data.log, "kind")[r].as_deref() == Some("skipped_file"))
        .unwrap();
    assert!(files[skipped]
        .as_deref()
        .unwrap()
        .ends_with("download.zip!2025-01/2025-01-essex-outcomes.csv"));
    assert!(details[skipped]
        .as_deref()
        .unwrap()
        .starts_with("a data.police.uk outcomes file"));
    let files = strings(&data.records, "file");
    assert!(files[0]
        .as_deref()
        .unwrap()
        .ends_with("download.zip!2025-01/2025-01-essex-street.csv"));
}

fn count(records: &DataFrame, by: &[&str], options: &CountOptions<'_>) -> DataFrame {
    count_crimes(records, by, options).unwrap().counts
}

fn counts_u64(frame: &DataFrame, name: &str) -> Vec<Option<u64>> {
    frame.column(name).unwrap().u64().unwrap().iter().collect()
}

fn row_of(frame: &DataFrame, column: &str, value: &str, period: &str) -> usize {
    let values = strings(frame, column);
    let periods = strings(frame, "period");
    (0..frame.height())
        .find(|&r| values[r].as_deref() == Some(value) && periods[r].as_deref() == Some(period))
        .unwrap_or_else(|| panic!("no row {column}={value} {period} in {frame}"))
}

#[test]
fn counts_fill_zeros_only_where_data_was_read() {
    let scratch = Scratch::new("counts");
    scratch.write("2025-01-essex-street.csv", &january());
    scratch.write("2025-03-essex-street.csv", &march());
    let data = read(&scratch.0, DuplicatePolicy::default());
    let counts = count(&data.records, &["csp_name"], &CountOptions::default());
    // February was not read: its rows say so with nulls and 0 months, never 0 crimes.
    let february = row_of(&counts, "csp_name", "Rochford", "2025-02");
    let march = row_of(&counts, "csp_name", "Rochford", "2025-03");
    assert_eq!(counts_u64(&counts, "crimes")[february], None, "{counts}");
    assert_eq!(counts_u64(&counts, "crimes")[march], Some(1));
    let covered: Vec<Option<u32>> = counts
        .column("months_covered")
        .unwrap()
        .u32()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(covered[february], Some(0));
    assert_eq!(covered[march], Some(1));
    // Every counted row is a record, less the one outside the force (left out, and said).
    let result = count_crimes(&data.records, &["csp_name"], &CountOptions::default()).unwrap();
    let total = |name: &str| {
        counts_u64(&result.counts, name)
            .iter()
            .flatten()
            .sum::<u64>()
    };
    assert_eq!(
        total("crimes") + total("asb_incidents"),
        data.records.height() as u64 - 1
    );
    assert_eq!(
        strings(&result.excluded, "reason"),
        [Some("outside_force".to_owned())]
    );
    assert_eq!(counts_u64(&result.excluded, "rows"), [Some(1)]);
    assert!(!strings(&counts, "csp_name").contains(&Some("Redbridge".to_owned())));
    let included = count(
        &data.records,
        &["csp_name"],
        &CountOptions {
            outside_force: OutsideForce::Include,
            ..CountOptions::default()
        },
    );
    assert!(strings(&included, "csp_name").contains(&Some("Redbridge".to_owned())));

    // A financial year of which two months were read says so.
    let fy = count(
        &data.records,
        &[],
        &CountOptions {
            period: PeriodUnit::FinancialYear,
            ..CountOptions::default()
        },
    );
    assert_eq!(strings(&fy, "period"), vec![Some("2024/25".to_owned())]);
    assert_eq!(
        fy.column("months_covered").unwrap().u32().unwrap().get(0),
        Some(2)
    );
    let err = count_crimes(&data.records, &["borough"], &CountOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no column \"borough\""), "{err}");
}

#[test]
fn coverage_gives_zeros_to_months_read_without_records() {
    // January and March of one CSP; February read (the coverage says so) but empty for it.
    // Days since 1970-01-01 of the first of January, February and March 2025.
    let day = |m: usize| [20_089, 20_120, 20_148][m - 1];
    let dates = |days: Vec<i32>| Int32Chunked::from_vec("month".into(), days).into_date();
    let records = df!(
        "falls_within" => ["Essex Police", "Essex Police"],
        "csp_name" => ["Rochford", "Rochford"],
        "is_asb" => [false, false],
    )
    .unwrap()
    .hstack(&[dates(vec![day(1), day(3)]).into_column()])
    .unwrap();
    let coverage = df!("falls_within" => ["Essex Police"; 3])
        .unwrap()
        .hstack(&[dates(vec![day(1), day(2), day(3)]).into_column()])
        .unwrap();
    let without = count(&records, &["csp_name"], &CountOptions::default());
    assert_eq!(counts_u64(&without, "crimes"), [Some(1), None, Some(1)]);
    let with = count(
        &records,
        &["csp_name"],
        &CountOptions {
            coverage: Some(&coverage),
            ..CountOptions::default()
        },
    );
    assert_eq!(counts_u64(&with, "crimes"), [Some(1), Some(0), Some(1)]);
}

#[test]
fn asb_rows_never_say_zero_crimes() {
    let scratch = Scratch::new("asb");
    scratch.write("2025-01-essex-street.csv", &january());
    let data = read(&scratch.0, DuplicatePolicy::default());
    let counts = count(
        &data.records,
        &["csp_name", "crime_type"],
        &CountOptions::default(),
    );
    let asb = row_of(&counts, "crime_type", "Anti-social behaviour", "2025-01");
    assert_eq!(counts_u64(&counts, "crimes")[asb], None, "{counts}");
    assert_eq!(counts_u64(&counts, "asb_incidents")[asb], Some(1));
    let burglary = row_of(&counts, "crime_type", "Burglary", "2025-01");
    assert_eq!(counts_u64(&counts, "crimes")[burglary], Some(2));
    assert_eq!(counts_u64(&counts, "asb_incidents")[burglary], None);
}

#[test]
fn columns_that_go_together_are_not_crossed() {
    let scratch = Scratch::new("together");
    scratch.write("2025-01-essex-street.csv", &january());
    let data = read(&scratch.0, DuplicatePolicy::default());
    let counts = count(
        &data.records,
        &["csp_code", "csp_name"],
        &CountOptions::default(),
    );
    // Rochford and the null CSP (no location, unknown LSOA): two pairs, not 2 x 2.
    assert_eq!(counts.height(), 2, "{counts}");
    let pairs: Vec<(Option<String>, Option<String>)> = strings(&counts, "csp_code")
        .into_iter()
        .zip(strings(&counts, "csp_name"))
        .collect();
    assert_eq!(
        pairs,
        [
            (Some("E22000088".to_owned()), Some("Rochford".to_owned())),
            (None, None)
        ]
    );
    // Crime types are crossed with the combinations that occur: every type for each CSP.
    let by_type = count(
        &data.records,
        &["csp_code", "csp_name", "crime_type"],
        &CountOptions::default(),
    );
    let types = strings(&by_type, "crime_type")
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(by_type.height(), 2 * types.len());
}

#[test]
fn a_column_of_row_identifiers_is_refused_unless_allowed() {
    let ids: Vec<String> = (0..3000).map(|i| format!("id{i}")).collect();
    let records = df!(
        "crime_id" => ids,
        "is_asb" => vec![false; 3000],
    )
    .unwrap()
    .hstack(&[Int32Chunked::from_vec("month".into(), vec![20_089; 3000])
        .into_date()
        .into_column()])
    .unwrap();
    let err = count_crimes(&records, &["crime_id"], &CountOptions::default()).unwrap_err();
    assert!(matches!(err, DataError::TooManyGroups { .. }), "{err}");
    assert!(err.to_string().contains("allow_many_groups"), "{err}");
    let options = CountOptions {
        allow_many_groups: true,
        ..CountOptions::default()
    };
    assert_eq!(count(&records, &["crime_id"], &options).height(), 3000);
}

/// `january()` with a1's and a5's outcomes moved on, as a later download has them.
fn january_later() -> String {
    january()
        .replace(
            "Teleportation,Under investigation",
            "Teleportation,Offender fined",
        )
        .replace(
            "Shoplifting,Awaiting court outcome",
            "Shoplifting,Offender fined",
        )
}

#[test]
fn the_same_month_downloaded_twice_is_read_from_the_better_copy() {
    // Folder names with no dates: the copy with the more advanced outcomes, though read second.
    let scratch = Scratch::new("twice");
    scratch.write("a/2025-01-essex-street.csv", &january());
    scratch.write("b/2025-01-essex-street.csv", &january_later());
    let data = read(&scratch.0, DuplicatePolicy::default());
    let outcomes = strings(&data.records, "last_outcome");
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| o.as_deref() == Some("Offender fined"))
            .count(),
        2,
        "{}",
        data.records
    );
    let files = strings(&data.log, "file");
    let kinds = strings(&data.log, "kind");
    let details = strings(&data.log, "detail");
    let row = (0..data.log.height())
        .find(|&r| kinds[r].as_deref() == Some("duplicate_file"))
        .unwrap();
    assert!(
        files[row].as_deref().unwrap().contains("/a/"),
        "{}",
        data.log
    );
    assert!(
        details[row]
            .as_deref()
            .unwrap()
            .contains("more advanced outcomes"),
        "{}",
        data.log
    );

    // Archive names that say the month of the download: the later one, whatever its outcomes.
    let dated = Scratch::new("twice-dated");
    dated.write(
        "police-2025-09/2025-01/2025-01-essex-street.csv",
        &january(),
    );
    dated.write(
        "police-2025-06/2025-01/2025-01-essex-street.csv",
        &january_later(),
    );
    let data = read(&dated.0, DuplicatePolicy::default());
    let outcomes = strings(&data.records, "last_outcome");
    assert!(!outcomes.contains(&Some("Offender fined".to_owned())));
    let details = strings(&data.log, "detail");
    assert!(
        details
            .iter()
            .flatten()
            .any(|d| d.contains("later download (2025-09")),
        "{}",
        data.log
    );
}

#[test]
fn every_file_is_read_or_accounted_for() {
    let scratch = Scratch::new("renamed");
    scratch.write("2025-01/2025-01-essex-street.csv", &january());
    // A street file saved under another name, a note and a CSV of something else.
    scratch.write("mine/essex_march.csv", &march());
    scratch.write("mine/notes.txt", "downloaded in June");
    scratch.write("mine/populations.csv", "area,population\nRochford,86186\n");
    let data = read(&scratch.0, DuplicatePolicy::default());
    assert_eq!(data.coverage.height(), 2, "{}", data.coverage);
    assert_eq!(log_count(&data, "skipped_file"), 2, "{}", data.log);
    let details = strings(&data.log, "detail");
    assert!(details
        .iter()
        .flatten()
        .any(|d| d.contains("not a data.police.uk street header")));

    // Nothing of the kind: the error says what was expected and what was found.
    let empty = Scratch::new("nothing");
    empty.write("notes.txt", "nothing here");
    let err = read_police_uk(&empty.0, &geography(), &ReadOptions::default()).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("Crime type"), "{message}");
    assert!(message.contains("notes.txt (not a CSV file"), "{message}");

    // A list of sources.
    let both = read_police_uk(
        [scratch.0.join("2025-01"), scratch.0.join("mine")],
        &geography(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(both.coverage.height(), 2);
}

#[test]
fn solved_rates_use_the_definition() {
    let scratch = Scratch::new("solved");
    scratch.write("2025-01-essex-street.csv", &january());
    let data = read(&scratch.0, DuplicatePolicy::default());
    let rates = solved_rates(
        &data.records,
        &[],
        &SolvedDefinition::default(),
        Confidence::default(),
    )
    .unwrap();
    let get = |name: &str| rates.column(name).unwrap().u64().unwrap().get(0).unwrap();
    // Crimes: a1, a2, a3, a4, a5, a8 (ASB excluded).
    assert_eq!(get("crimes"), 6);
    // a2 caution, a4 awaiting court (charged), a8 local resolution.
    assert_eq!(get("solved"), 3);
    // a4 awaiting court, a5 under investigation.
    assert_eq!(get("awaiting_outcome"), 2);
}

#[test]
fn errors_name_the_source() {
    let missing =
        read_police_uk("/no/such/folder", &geography(), &ReadOptions::default()).unwrap_err();
    assert!(missing.to_string().contains("/no/such/folder"), "{missing}");
    let scratch = Scratch::new("errors");
    let empty = read_police_uk(&scratch.0, &geography(), &ReadOptions::default()).unwrap_err();
    assert!(
        empty
            .to_string()
            .starts_with("no data.police.uk street files"),
        "{empty}"
    );
    let odd = scratch.write("2025-01-essex-street.csv", "a,b,c\n1,2,3\n");
    let header = read_police_uk(&odd, &geography(), &ReadOptions::default()).unwrap_err();
    assert!(
        header.to_string().contains("line 1: unrecognised header"),
        "{header}"
    );
}

mod common;

/// The real files, when the shared data is beside the repository (required in CI).
fn raw(path: &str) -> Option<PathBuf> {
    common::shared_data(&format!("data/raw/{path}"))
}

#[test]
fn real_essex_suffolk_norfolk_files() {
    let Some(dir) = raw("police_uk_street_2025_essex_suffolk_norfolk") else {
        return;
    };
    let data = read(&dir, DuplicatePolicy::default());
    // PROVENANCE.md: 158,217 + 48,193 + 67,367 rows; one Essex Crime ID on two differing rows.
    assert_eq!(data.records.height(), 158_217 + 48_193 + 67_367 - 1);
    assert_eq!(log_count(&data, "malformed_line"), 0);
    assert_eq!(log_count(&data, "duplicate_crime_id_conflicting"), 2);
    assert_eq!(log_count(&data, "unknown_lsoa"), 0, "{}", data.log);
    assert_eq!(data.coverage.height(), 36);
    assert_eq!(log_count(&data, "missing_month"), 0);
    // PROVENANCE.md is the one file not read.
    assert_eq!(log_count(&data, "skipped_file"), 1, "{}", data.log);
}

#[test]
fn real_outcome_files() {
    let Some(dir) = raw("police_uk_outcomes_2024_25_city_of_london") else {
        return;
    };
    let options = ReadOptions {
        kind: FileKind::Outcomes,
        ..ReadOptions::default()
    };
    let data = read_police_uk(&dir, &geography(), &options).unwrap();
    assert!(data.records.height() > 7_789);
    assert_eq!(log_count(&data, "unknown_outcome"), 0, "{}", data.log);
    // 2024-12, 2025-02 and 2025-03 are absent from the folder.
    assert_eq!(log_count(&data, "missing_month"), 3);
}
