//! `make demo`: a committee-style summary for Rochford Community Safety Partnership from the ONS
//! tables bundled in `data/` (Essex CSPs, years ending December 2023 and 2024).
//!
//! Run with `cargo run -p crimeperf --example committee_summary [-- path/to/extract.csv [area]]`.

use std::error::Error;
use std::path::PathBuf;

use crimeperf::{
    format_fixed, rank_in_group, Change, ChangeOptions, Confidence, OffenceGroup, PeerOptions,
    RateEstimator, RateMethod, Significance,
};

/// One row of `data/ons_csp_essex_ye_dec2024.csv`.
#[derive(Debug, serde::Deserialize)]
struct Row {
    area_code: String,
    area_name: String,
    level: String,
    offence_group: String,
    count_2023: i64,
    count_2024: i64,
    ons_percent_change: Option<f64>,
    population: Option<f64>,
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/ons_csp_essex_ye_dec2024.csv")
    });
    let focus = args.next().unwrap_or_else(|| "Rochford".to_owned());

    let mut rows = Vec::new();
    for (line, record) in csv::Reader::from_path(&path)?
        .deserialize::<Row>()
        .enumerate()
    {
        // Line numbers count the header as line 1.
        rows.push(record.map_err(|e| format!("{}: line {}: {e}", path.display(), line + 2))?);
    }
    let area_rows: Vec<&Row> = rows.iter().filter(|r| r.area_name == focus).collect();
    let Some(first) = area_rows.first() else {
        return Err(format!("no area named {focus:?} in {}", path.display()).into());
    };
    let population = first
        .population
        .ok_or_else(|| format!("{focus} has no population in the extract"))?;

    let confidence = Confidence::default();
    let rates = RateEstimator::new(1000.0, confidence, RateMethod::Auto)?;
    let options = ChangeOptions {
        confidence,
        ..ChangeOptions::default()
    };

    println!("{focus} Community Safety Partnership ({})", first.area_code);
    println!("Police recorded crime, years ending December 2023 and 2024 (source: ONS, OGL v3.0)");
    println!("Population {population:.0} (mid-2022); intervals and tests at {confidence}.\n");
    println!(
        "{:<50} {:>6} {:>6} {:>8} {:>7}  {:<36} {:>20}",
        "Offence group",
        "2023",
        "2024",
        "change",
        "ONS",
        "verdict (exact test)",
        "per 1,000 (95% CI)"
    );
    let mut notes = Vec::new();
    for row in &area_rows {
        let group: OffenceGroup = row.offence_group.parse()?;
        let indent = match group.parent().and_then(OffenceGroup::parent) {
            None => "",
            Some(grandparent) if grandparent.parent().is_none() => "  ",
            Some(_) => "    ",
        };
        let change = Change::with_options(row.count_2024, row.count_2023, &options)?;
        let rate = rates.rate(row.count_2024, population)?;
        let percent = change
            .percent
            .map_or_else(|| "n/a".to_owned(), signed_percent);
        let ons = row
            .ons_percent_change
            .map_or_else(|| "[u]".to_owned(), signed_percent);
        let verdict = match change.significance {
            Significance::NoSignificantChange => {
                format!("no significant change ({})", p_value(change.p_value))
            }
            other => format!("{other} ({})", p_value(change.p_value)),
        };
        let flag = if change.small_base { "*" } else { " " };
        println!(
            "{:<50} {:>6} {:>6} {:>8}{flag}{:>7}  {:<36} {:>6} ({:>5}-{:>5})",
            format!("{indent}{}", group.label()),
            row.count_2023,
            row.count_2024,
            percent,
            ons,
            verdict,
            format_fixed(rate.value, 2),
            format_fixed(rate.lower, 2),
            format_fixed(rate.upper, 2)
        );
        if group == OffenceGroup::TotalRecordedCrime {
            notes.push(format!(
                "All crime: {} ({} in 2023, {} in 2024); {}.",
                change.describe("crimes"),
                change.previous,
                change.current,
                change.significance
            ));
        }
    }
    println!(
        "\n* either count below {}: treat the percent change with caution (ONS suppresses it).",
        crimeperf::DEFAULT_MIN_BASE
    );
    for note in notes {
        println!("{note}");
    }

    // Where the area stands among its force's CSPs for all crime: the core's peer ranking, with
    // the verdict against the group average and a bootstrap rank interval. The Essex CSPs are an
    // illustration of a group, not the area's most similar group.
    let csps: Vec<(&str, i64, f64)> = rows
        .iter()
        .filter(|r| r.level == "csp" && r.offence_group == OffenceGroup::TotalRecordedCrime.label())
        .filter_map(|r| Some((r.area_name.as_str(), r.count_2024, r.population?)))
        .collect();
    let names: Vec<&str> = csps.iter().map(|c| c.0).collect();
    let counts: Vec<i64> = csps.iter().map(|c| c.1).collect();
    let populations: Vec<f64> = csps.iter().map(|c| c.2).collect();
    if names.contains(&focus.as_str()) {
        let standing = rank_in_group(
            &focus,
            &names,
            &counts,
            &populations,
            &PeerOptions::default(),
        )?;
        println!(
            "All crime among the {} Essex CSPs (lowest rate first; an illustrative group): {}.",
            names.len(),
            standing.describe("crimes", "residents")
        );
    }
    Ok(())
}

/// "p=0.42", "p<0.001".
fn p_value(p: f64) -> String {
    if p < 0.0005 {
        "p<0.001".to_owned()
    } else {
        format!("p={}", format_fixed(p, 3))
    }
}

/// "+3.2%", "-5.3%", rounded as every crimeperf figure is.
fn signed_percent(p: f64) -> String {
    let text = format_fixed(p, 1);
    if text.starts_with('-') || text == "0.0" {
        format!("{text}%")
    } else {
        format!("+{text}%")
    }
}
