//! The compact records of a read against the frame built from them, on every real police.uk
//! folder: counting from the codes gives what counting the frame gives, and a part built alone
//! is the filter of the whole.

#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::Scratch;
use crimeperf::{Confidence, Month, SolvedDefinition};
use crimeperf_polars::{
    count_crimes, count_police_uk, outcome_maturity, read_police_uk_compact, solved_rates,
    CompactPoliceUkData, CountOptions, DataError, FileKind, Geography, MaturityRule, PeriodUnit,
    ReadOptions, RecordFilter,
};
use polars::prelude::*;

const REAL_FOLDERS: [&str; 5] = [
    "police_uk_street_2025_essex_suffolk_norfolk",
    "police_uk_street_2018_19_essex",
    "police_uk_street_2017_20_city_of_london",
    "police_uk_street_2024_25_city_of_london",
    "police_uk_outcomes_2024_25_city_of_london",
];

fn read(folder: &str) -> Option<(CompactPoliceUkData, FileKind)> {
    let root = common::shared_data(&format!("data/raw/{folder}"))?;
    let kind = if folder.contains("outcomes") {
        FileKind::Outcomes
    } else {
        FileKind::Street
    };
    let options = ReadOptions {
        kind,
        ..ReadOptions::default()
    };
    let data = read_police_uk_compact(&root, &Geography::bundled().unwrap(), &options).unwrap();
    Some((data, kind))
}

fn assert_same(a: &DataFrame, b: &DataFrame, what: &str) {
    assert_eq!(a.shape(), b.shape(), "{what}");
    assert!(a.equals_missing(b), "{what}:\n{a}\n{b}");
}

#[test]
fn counts_from_the_codes_equal_counts_from_the_built_records() {
    for folder in REAL_FOLDERS {
        let Some((data, kind)) = read(folder) else {
            return;
        };
        let records = &data.records;
        let frame = records.frame().unwrap();
        assert_eq!(frame.height(), records.height(), "{folder}");
        let names: Vec<&str> = frame
            .get_column_names()
            .iter()
            .map(|n| n.as_str())
            .collect();
        assert_eq!(names, records.column_names(), "{folder}");
        // The compact form is what makes a decade of national data fit: at most 150 bytes a row.
        let per_row = records.heap_bytes() as f64 / records.height() as f64;
        assert!(per_row < 150.0, "{folder}: {per_row:.0} bytes a row");
        let built_per_row = frame.estimated_size() as f64 / frame.height() as f64;
        assert!(
            per_row * 3.0 < built_per_row,
            "{folder}: {per_row:.0} against {built_per_row:.0}"
        );

        if kind == FileKind::Outcomes {
            // No `is_asb`: both refuse to count, with the same message.
            let options = CountOptions::default();
            let a = count_crimes(records, &["csp_name"], &options).unwrap_err();
            let b = count_crimes(&frame, &["csp_name"], &options).unwrap_err();
            assert_eq!(a.to_string(), b.to_string());
            continue;
        }
        let groupings: Vec<Vec<&str>> = vec![
            vec![],
            vec!["csp_name", "crime_type"],
            vec!["falls_within", "lsoa_code", "lsoa_name"],
            vec!["local_authority_code", "local_authority_name", "is_asb"],
            vec!["csp_code", "outcome_group", "outcome_known"],
            vec!["reported_by", "crime_type_known", "last_outcome"],
            vec!["month", "outside_force"],
            vec!["file"],
            vec!["location"],
        ];
        for by in &groupings {
            for period in [PeriodUnit::Month, PeriodUnit::FinancialYear] {
                for coverage in [None, Some(&data.coverage)] {
                    let options = CountOptions {
                        period,
                        coverage,
                        allow_many_groups: true,
                        ..CountOptions::default()
                    };
                    let a = count_crimes(records, by, &options).unwrap();
                    let b = count_crimes(&frame, by, &options).unwrap();
                    let what = format!("{folder} by {by:?} {period:?}");
                    assert_same(&a.counts, &b.counts, &what);
                    assert_same(&a.excluded, &b.excluded, &what);
                }
            }
            let confidence = Confidence::new(0.95).unwrap();
            let definition = SolvedDefinition::default();
            assert_same(
                &solved_rates(records, by, &definition, confidence).unwrap(),
                &solved_rates(&frame, by, &definition, confidence).unwrap(),
                &format!("{folder} solved rates by {by:?}"),
            );
            if by.contains(&"month") {
                // Maturity is by month already.
                continue;
            }
            assert_same(
                &outcome_maturity(records, by, MaturityRule::default()).unwrap(),
                &outcome_maturity(&frame, by, MaturityRule::default()).unwrap(),
                &format!("{folder} maturity by {by:?}"),
            );
        }
        // A column that is not there, and one that cannot be grouped by: the same errors.
        for by in [["no_such_column"], ["longitude"]] {
            let options = CountOptions::default();
            assert_eq!(
                count_crimes(records, &by, &options)
                    .unwrap_err()
                    .to_string(),
                count_crimes(&frame, &by, &options).unwrap_err().to_string()
            );
        }
    }
}

/// Which rows of the whole a filter should keep.
type Keep<'a> = Box<dyn Fn(usize) -> bool + 'a>;

/// The rows of `frame` that `keep` keeps.
fn filter(frame: &DataFrame, keep: impl Fn(usize) -> bool) -> DataFrame {
    let mask: BooleanChunked = (0..frame.height()).map(&keep).collect();
    frame.filter(&mask).unwrap()
}

#[test]
fn a_part_built_alone_equals_the_filter_of_the_whole() {
    let Some((data, _)) = read("police_uk_street_2025_essex_suffolk_norfolk") else {
        return;
    };
    let frame = data.records.frame().unwrap();
    let csp = frame.column("csp_name").unwrap().str().unwrap().clone();
    let code = frame.column("csp_code").unwrap().str().unwrap().clone();
    let force = frame.column("falls_within").unwrap().str().unwrap().clone();
    let month = frame
        .column("month")
        .unwrap()
        .date()
        .unwrap()
        .physical()
        .clone();
    let days = |m: &str| {
        let m: Month = m.parse().unwrap();
        i32::try_from((chrono_days(m.year(), m.month())) - chrono_days(1970, 1)).unwrap()
    };
    let (march, may) = (days("2025-03"), days("2025-05"));
    let cases: Vec<(RecordFilter, Keep<'_>)> = vec![
        (
            RecordFilter {
                csps: vec!["Rochford".into()],
                ..RecordFilter::default()
            },
            Box::new(|r| csp.get(r) == Some("Rochford")),
        ),
        (
            // By code, in another case, with a second CSP.
            RecordFilter {
                csps: vec!["e22000088".into(), "Ipswich".into()],
                ..RecordFilter::default()
            },
            Box::new(|r| code.get(r) == Some("E22000088") || csp.get(r) == Some("Ipswich")),
        ),
        (
            RecordFilter {
                forces: vec!["suffolk".into()],
                months: Some(("2025-03".parse().unwrap(), "2025-05".parse().unwrap())),
                ..RecordFilter::default()
            },
            Box::new(|r| {
                force.get(r) == Some("Suffolk Constabulary")
                    && (march..=may).contains(&month.get(r).unwrap())
            }),
        ),
    ];
    for (request, keep) in cases {
        let part = data.records.frame_where(&request).unwrap();
        assert!(part.height() > 0, "{request:?}");
        assert_same(&part, &filter(&frame, keep), &format!("{request:?}"));
    }
    let err = data
        .records
        .frame_where(&RecordFilter {
            csps: vec!["Rochferd".into()],
            ..RecordFilter::default()
        })
        .unwrap_err();
    assert!(
        matches!(err, DataError::NotInRecords { what: "csp", .. }),
        "{err}"
    );
    assert!(err.to_string().contains("did you mean 'Rochford'"), "{err}");
    let head = data.records.head(7).unwrap();
    assert_same(&head, &frame.head(Some(7)), "head");
}

/// Days from 0000-03-01 to the first of a month (the usual civil-calendar count), so that two
/// of them subtract to days between months.
fn chrono_days(year: i32, month: u32) -> i64 {
    let (y, m) = if month <= 2 {
        (i64::from(year) - 1, i64::from(month) + 9)
    } else {
        (i64::from(year), i64::from(month) - 3)
    };
    let era_day = 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400);
    era_day + (153 * m + 2) / 5
}

/// The bundled sample (`data/police_uk`, six months of Essex) written `copies` times under
/// earlier years, Crime IDs made distinct per copy; then a month downloaded twice (a later
/// download, whose outcomes have moved on), a crime repeated exactly in a far-off file, and one
/// repeated with a different outcome: the cases that need every file before a row is counted.
fn generated_folder(scratch: &Scratch, copies: usize) -> std::path::PathBuf {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/police_uk");
    let mut first_crime: Option<String> = None;
    let mut last_file: Option<(String, String)> = None;
    for copy in 0..copies {
        let year = 2025 - copy;
        for month in 1..=6 {
            let name = format!("2025-{month:02}");
            let text = std::fs::read_to_string(
                sample.join(&name).join(format!("{name}-essex-street.csv")),
            )
            .unwrap();
            let new = format!("{year}-{month:02}");
            let mut lines: Vec<String> = Vec::new();
            for (i, line) in text.lines().enumerate() {
                let mut line = line.replace(&format!(",{name},"), &format!(",{new},"));
                if i > 0 && line.len() > 64 && line.as_bytes()[64] == b',' {
                    line.replace_range(0..2, &format!("{copy:02x}"));
                    if first_crime.is_none() {
                        first_crime = Some(line.clone());
                    }
                }
                lines.push(line);
            }
            let relative = format!("{new}/{new}-essex-street.csv");
            let body = lines.join("\n") + "\n";
            scratch.write(&relative, &body);
            last_file = Some((relative, body));
        }
    }
    // The first crime, repeated exactly in the last file and again with another outcome; the
    // last file then downloaded again later, with one outcome moved on.
    let crime = first_crime.unwrap();
    let other_outcome = crime.replace(
        "Investigation complete; no suspect identified",
        "Under investigation",
    );
    assert_ne!(crime, other_outcome);
    let (relative, body) = last_file.unwrap();
    let body = format!("{body}{crime}\n{other_outcome}\n");
    scratch.write(&relative, &body);
    let later = body.replacen("Under investigation", "Court result unavailable", 1);
    scratch.write(&format!("2026-01/{relative}"), &later);
    scratch.0.clone()
}

#[test]
fn counting_in_batches_gives_the_counts_of_the_one_shot_read() {
    let scratch = Scratch::new("batched-counts");
    let folder = generated_folder(&scratch, 5);
    let geography = Geography::bundled().unwrap();
    let read = ReadOptions::default();
    let whole = read_police_uk_compact(&folder, &geography, &read).unwrap();
    assert!(
        whole.records.height() > 10_000,
        "{} records",
        whole.records.height()
    );
    let log_kinds: Vec<Option<String>> = common::strings(&whole.log, "kind");
    for kind in [
        "duplicate_file",
        "duplicate_crime_id_identical",
        "duplicate_crime_id_conflicting",
    ] {
        assert!(
            log_kinds.iter().any(|k| k.as_deref() == Some(kind)),
            "no {kind} in the log"
        );
    }
    let groupings: [&[&str]; 4] = [
        &["csp_name", "crime_type"],
        &["falls_within", "lsoa_code", "outcome_group"],
        &["reported_by", "location", "is_asb"],
        &["file", "outside_force"],
    ];
    for by in groupings {
        for (batch_files, period) in [
            (1, PeriodUnit::Month),
            (4, PeriodUnit::FinancialYear),
            (100, PeriodUnit::Quarter),
        ] {
            let options = CountOptions {
                period,
                allow_many_groups: true,
                ..CountOptions::default()
            };
            let batched =
                count_police_uk(&folder, &geography, &read, by, &options, batch_files).unwrap();
            let one_shot = count_crimes(
                &whole.records,
                by,
                &CountOptions {
                    coverage: Some(&whole.coverage),
                    ..options
                },
            )
            .unwrap();
            let what = format!("by {by:?}, {batch_files} files a batch");
            assert_same(&batched.counts.counts, &one_shot.counts, &what);
            assert_same(&batched.counts.excluded, &one_shot.excluded, &what);
            assert_same(&batched.log, &whole.log, &what);
            assert_same(&batched.coverage, &whole.coverage, &what);
            assert!(batched.aggregated_rows < whole.records.height(), "{what}");
        }
    }
    let err = count_police_uk(
        &folder,
        &geography,
        &read,
        &["crime_id"],
        &CountOptions::default(),
        4,
    )
    .unwrap_err();
    assert!(matches!(err, DataError::ColumnType { .. }), "{err}");
}

#[test]
fn counting_a_real_folder_in_batches_gives_the_one_shot_counts() {
    let Some(root) = common::shared_data("data/raw/police_uk_street_2025_essex_suffolk_norfolk")
    else {
        return;
    };
    let geography = Geography::bundled().unwrap();
    let read = ReadOptions::default();
    let whole = read_police_uk_compact(&root, &geography, &read).unwrap();
    let by = ["csp_name", "crime_type"];
    let options = CountOptions::default();
    let batched = count_police_uk(&root, &geography, &read, &by, &options, 5).unwrap();
    let one_shot = count_crimes(
        &whole.records,
        &by,
        &CountOptions {
            coverage: Some(&whole.coverage),
            ..options
        },
    )
    .unwrap();
    assert_same(
        &batched.counts.counts,
        &one_shot.counts,
        "2025, three forces",
    );
    assert_same(&batched.log, &whole.log, "2025, three forces");
    assert_same(&batched.coverage, &whole.coverage, "2025, three forces");
}
