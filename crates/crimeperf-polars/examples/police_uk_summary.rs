//! `make demo`, part two: from the data.police.uk files bundled in `data/police_uk` (real Essex
//! street files, January to June 2025) to Rochford's crimes by quarter, the change between the
//! quarters and its solved rate, with the data-quality log that says what was odd in the files.
//!
//! Run with `cargo run -p crimeperf-polars --example police_uk_summary [-- folder [csp]]`.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::PathBuf;

use crimeperf::{format_fixed, Change, Confidence, SolvedDefinition};
use crimeperf_polars::{
    count_crimes, read_police_uk, solved_rates, CountOptions, Geography, PeriodUnit,
};
use polars::prelude::*;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let folder = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/police_uk"));
    let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
    let focus = args.next().unwrap_or_else(|| "Rochford".to_owned());

    let geography = Geography::bundled()?;
    let data = read_police_uk(&folder, &geography, &Default::default())?;
    let records = &data.records;
    println!(
        "Read {} records from {} (data.police.uk, OGL v3.0).",
        records.height(),
        folder.display()
    );
    println!("What was odd in the files, and what was done about it:");
    let kinds = data.log.column("kind")?.str()?;
    let actions = data.log.column("action")?.str()?;
    let counts = data.log.column("count")?.u64()?;
    let mut findings: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for ((kind, action), count) in kinds.iter().zip(actions.iter()).zip(counts.iter()) {
        *findings
            .entry((kind.unwrap_or(""), action.unwrap_or("")))
            .or_default() += count.unwrap_or(0);
    }
    for ((kind, action), count) in findings {
        println!("  {count:>5}  {kind:<32} {action}");
    }

    let options = CountOptions {
        period: PeriodUnit::Quarter,
        coverage: Some(&data.coverage),
        ..CountOptions::default()
    };
    let counts = count_crimes(records, &["csp_name"], &options)?.counts;
    let names = counts.column("csp_name")?.str()?;
    let periods = counts.column("period")?.str()?;
    let crimes = counts.column("crimes")?.u64()?;
    let incidents = counts.column("asb_incidents")?.u64()?;
    let mut quarters = Vec::new();
    for row in 0..counts.height() {
        if names.get(row) == Some(focus.as_str()) {
            quarters.push((
                periods.get(row).unwrap_or("").to_owned(),
                crimes.get(row).unwrap_or(0),
                incidents.get(row).unwrap_or(0),
            ));
        }
    }
    if quarters.is_empty() {
        return Err(format!("no records in a CSP named {focus:?}").into());
    }
    println!("\n{focus} CSP: crimes (anti-social behaviour apart) by quarter");
    for (period, crimes, incidents) in &quarters {
        println!("  {period}  {crimes:>5} crimes  {incidents:>4} ASB incidents");
    }
    if let [.., (before, previous, _), (after, current, _)] = quarters.as_slice() {
        let change = Change::new(i64::try_from(*current)?, i64::try_from(*previous)?)?;
        println!(
            "  {after} against {before}: {}; {} (exact test p = {}).",
            change.describe("crimes"),
            change.significance,
            format_fixed(change.p_value, 3)
        );
    }

    let solved = solved_rates(
        records,
        &["csp_name"],
        &SolvedDefinition::default(),
        Confidence::default(),
    )?;
    let names = solved.column("csp_name")?.str()?;
    if let Some(row) = (0..solved.height()).find(|&r| names.get(r) == Some(focus.as_str())) {
        let value = |name: &str| -> Result<f64, PolarsError> {
            Ok(solved.column(name)?.f64()?.get(row).unwrap_or(f64::NAN))
        };
        let count = |name: &str| -> Result<u64, PolarsError> {
            Ok(solved.column(name)?.u64()?.get(row).unwrap_or(0))
        };
        println!(
            "  Solved rate {}% ({}% to {}%, 95% Wilson): {} of {} crimes charged, summonsed \
             or disposed of out of court; {} still awaiting an outcome.",
            format_fixed(100.0 * value("solved_rate")?, 1),
            format_fixed(100.0 * value("lower")?, 1),
            format_fixed(100.0 * value("upper")?, 1),
            count("solved")?,
            count("crimes")?,
            count("awaiting_outcome")?
        );
    }
    Ok(())
}
