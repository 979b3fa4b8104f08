//! `make demo`, part three: Rochford ranked within its most similar group for total recorded
//! crime, residential burglary per 1,000 households and violence with injury, from the ONS CSP
//! tables bundled with crimeperf-polars (every CSP in England and Wales, year ending December
//! 2024), and where it sits on a funnel plot of all CSPs.
//!
//! The groups are crimeperf's illustrative demonstration groups (the 15 nearest CSPs on density,
//! household size and age structure), not the Home Office's most similar groups.
//!
//! Run with `cargo run -p crimeperf-polars --example most_similar_group [-- csp_name]`.

use std::error::Error;

use crimeperf::{FunnelOptions, PeerOptions};
use crimeperf_polars::{
    bundled_table, demonstration_groups, funnel_frame, peer_compare, FunnelColumns, MissingPeers,
    PeerColumns, Wording,
};
use polars::prelude::*;

/// The offence groups of the paragraph, with the population their rate is per and its words.
const MEASURES: [(&str, &str, &str, &str); 3] = [
    (
        "Total recorded crime (excluding fraud)",
        "population",
        "crimes",
        "residents",
    ),
    (
        "Residential burglary",
        "households",
        "burglaries",
        "households",
    ),
    (
        "Violence with injury",
        "population",
        "offences",
        "residents",
    ),
];

/// One CSP's row of the bundled ONS tables.
struct Row {
    area_code: String,
    area_name: String,
    offence_group: String,
    count: Option<f64>,
    population: Option<f64>,
    households: Option<f64>,
}

fn main() -> Result<(), Box<dyn Error>> {
    let focus = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Rochford".to_owned());
    let mut reader = csv::Reader::from_reader(bundled_table("ons_csp_tables")?.as_bytes());
    let headers = reader.headers()?.clone();
    let at = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("the bundled ONS tables have no column {name:?}"))
    };
    let (code_at, name_at, level_at, offence_at, year_at) = (
        at("area_code")?,
        at("area_name")?,
        at("level")?,
        at("offence_group")?,
        at("year_ending")?,
    );
    let (count_at, population_at, households_at) =
        (at("count")?, at("population")?, at("households")?);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        let field = |i: usize| record.get(i).unwrap_or_default();
        // Suppressed and blank cells are missing values (null), never zero.
        let number = |i: usize| field(i).parse::<f64>().ok();
        if field(level_at) == "csp" && field(year_at) == "2024-12-31" {
            rows.push(Row {
                area_code: field(code_at).to_owned(),
                area_name: field(name_at).to_owned(),
                offence_group: field(offence_at).to_owned(),
                count: number(count_at),
                population: number(population_at),
                households: number(households_at),
            });
        }
    }
    let Some(code) = rows
        .iter()
        .find(|r| r.area_name == focus)
        .map(|r| r.area_code.clone())
    else {
        return Err(format!("no CSP named {focus:?} in the bundled ONS tables").into());
    };
    let groups = demonstration_groups()?;
    let own = groups.filter(&groups.column("area")?.str()?.equal(code.as_str()))?;
    let peers: Vec<&str> = own.column("peer_name")?.str()?.iter().flatten().collect();

    println!("{focus} among its 15 most similar CSPs (year ending December 2024; ONS, OGL v3.0).");
    println!(
        "The group is crimeperf's illustrative demonstration group (nearest on density, household \
         size and age structure), not the Home Office's most similar group: {}.",
        peers.join(", ")
    );
    for (offence, per_whom, unit, population_words) in MEASURES {
        let chosen: Vec<&Row> = rows.iter().filter(|r| r.offence_group == offence).collect();
        let denominator = |r: &Row| match per_whom {
            "households" => r.households,
            _ => r.population,
        };
        let frame = df!(
            "area_code" => chosen.iter().map(|r| r.area_code.as_str()).collect::<Vec<_>>(),
            "area_name" => chosen.iter().map(|r| r.area_name.as_str()).collect::<Vec<_>>(),
            "count" => chosen.iter().map(|r| r.count).collect::<Vec<_>>(),
            per_whom => chosen.iter().map(|r| denominator(r)).collect::<Vec<_>>(),
        )?;
        let columns = PeerColumns {
            area: "area_code",
            count: "count",
            population: per_whom,
            name: Some("area_name"),
            by: &[],
        };
        let wording = Wording {
            unit,
            population: population_words,
        };
        // A CSP whose count ONS suppressed is ranked among the members there are, and says so.
        let result = peer_compare(
            &frame,
            &own.select(["area", "peer"])?,
            &columns,
            &PeerOptions::default(),
            wording,
            MissingPeers::Drop,
        )?;
        let description = result.table.column("description")?.str()?.get(0);
        let verdict_998 = result.table.column("verdict_998")?.str()?.get(0);
        println!(
            "\n{offence}: {}.",
            description.unwrap_or("no count for this CSP")
        );
        if let Some(verdict) = verdict_998 {
            println!(
                "  At 99.8% (the stricter test): {}.",
                verdict.replace('_', " ")
            );
        }

        // Every CSP of England and Wales on one funnel plot, with Spiegelhalter's adjustment:
        // national rates vary far more than chance, and the plain limits would flag most areas.
        let complete = frame.drop_nulls::<String>(None)?;
        let funnel_columns = FunnelColumns {
            area: "area_name",
            numerator: "count",
            denominator: per_whom,
        };
        let options = FunnelOptions {
            overdispersion: true,
            ..FunnelOptions::default()
        };
        let (table, plot) = funnel_frame(&complete, &funnel_columns, &options)?;
        let mask = table.column("area")?.str()?.equal(focus.as_str());
        let flag = table
            .filter(&mask)?
            .column("flag_998")?
            .str()?
            .get(0)
            .map(str::to_owned);
        println!(
            "  On a funnel plot of all {} CSPs (benchmark {:.1} per 1,000 {population_words}; \
             limits {}): {} the 99.8% limits.",
            complete.height(),
            plot.limits.benchmark,
            match plot.adjustment.label() {
                "additive" => "widened for overdispersion",
                "no_evidence" => "no overdispersion found",
                _ => "plain",
            },
            match flag.as_deref() {
                Some("low") => "below",
                Some("high") => "above",
                _ => "within",
            }
        );
    }
    Ok(())
}
