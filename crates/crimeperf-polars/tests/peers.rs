//! The peers layer on frames: the bundled demonstration groups, peer comparison over `by`
//! combinations with members missing, users' groups and the funnel frame.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use crimeperf::{FunnelOptions, PeerOptions};
use crimeperf_polars::{
    csp_characteristics, demonstration_groups, funnel_frame, peer_compare, read_similar_groups,
    similar_groups, DataError, FunnelColumns, MissingPeers, PeerColumns, Wording,
};
use polars::prelude::*;

fn strings(frame: &DataFrame, name: &str) -> Vec<String> {
    frame
        .column(name)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn demonstration_groups_give_every_csp_fifteen_others() {
    let characteristics = csp_characteristics().unwrap();
    assert_eq!(characteristics.height(), 314);
    let groups = demonstration_groups().unwrap();
    assert_eq!(groups.height(), 314 * 15);
    let areas = strings(&groups, "area");
    let peers = strings(&groups, "peer");
    assert!(areas.iter().zip(&peers).all(|(a, p)| a != p));
    let mut per_area = std::collections::HashMap::new();
    for area in &areas {
        *per_area.entry(area.as_str()).or_insert(0) += 1;
    }
    assert_eq!(per_area.len(), 314);
    assert!(per_area.values().all(|&n| n == 15));
    assert_eq!(groups.column("peer_name").unwrap().null_count(), 0);
}

fn counts() -> DataFrame {
    df!(
        "offence" => ["burglary", "burglary", "burglary", "robbery", "robbery"],
        "area" => ["A", "B", "C", "A", "B"],
        "crimes" => [Some(10i64), Some(20), Some(30), Some(4), None],
        "population" => [1_000.0, 1_000.0, 1_000.0, 1_000.0, 1_000.0],
    )
    .unwrap()
}

fn groups() -> DataFrame {
    df!("area" => ["A", "A"], "peer" => ["B", "C"]).unwrap()
}

#[test]
fn a_missing_member_is_named_with_its_group_unless_dropped() {
    let columns = PeerColumns {
        area: "area",
        count: "crimes",
        population: "population",
        name: None,
        by: &["offence"],
    };
    let options = PeerOptions::default();
    let err = peer_compare(
        &counts(),
        &groups(),
        &columns,
        &options,
        Wording::default(),
        MissingPeers::Raise,
    )
    .unwrap_err();
    match &err {
        DataError::MissingPeer {
            peer, area, group, ..
        } => {
            assert_eq!((peer.as_str(), area.as_str()), ("B", "A"));
            assert_eq!(group, "offence=robbery");
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("null"), "{err}");

    let result = peer_compare(
        &counts(),
        &groups(),
        &columns,
        &options,
        Wording::default(),
        MissingPeers::Drop,
    )
    .unwrap();
    assert_eq!(strings(&result.table, "offence"), ["burglary", "robbery"]);
    assert_eq!(
        strings(&result.table, "rank_text"),
        ["1st out of 3", "1st out of 1"]
    );
    let missing = result
        .table
        .column("peers_missing")
        .unwrap()
        .list()
        .unwrap();
    let robbery = missing.get_as_series(1).unwrap();
    let robbery: Vec<&str> = robbery.str().unwrap().iter().flatten().collect();
    assert_eq!(robbery, ["B", "C"]);
    assert_eq!(result.excluded.height(), 0);
}

#[test]
fn a_missing_focal_area_is_excluded_with_the_reason() {
    let frame =
        df!("area" => ["B", "C"], "crimes" => [20i64, 30], "population" => [1e3, 1e3]).unwrap();
    let columns = PeerColumns {
        area: "area",
        count: "crimes",
        population: "population",
        name: None,
        by: &[],
    };
    let result = peer_compare(
        &frame,
        &groups(),
        &columns,
        &PeerOptions::default(),
        Wording::default(),
        MissingPeers::Drop,
    )
    .unwrap();
    assert_eq!(result.table.height(), 0);
    assert_eq!(strings(&result.excluded, "area"), ["A"]);
    assert_eq!(
        strings(&result.excluded, "reason"),
        ["it has no row in the frame"]
    );
}

#[test]
fn users_groups_place_names_and_report_the_rest() {
    let long = df!(
        "Area" => [Some("Rochford"), Some("Rochford"), Some("Rochford"), None],
        "Peer" => [Some("castle point"), Some("Essex"), None, Some("Maldon")],
    )
    .unwrap();
    let placed = similar_groups(&long).unwrap();
    assert_eq!(strings(&placed.groups, "peer_name"), ["Castle Point"]);
    let reasons = strings(&placed.unplaced, "reason");
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons.contains(&"\"Essex\" is a police force (E23000028), not a CSP".to_owned()),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("names no peer")));
    assert!(reasons.iter().any(|r| r.contains("names no focal area")));
    assert_eq!(placed.without_group, ["E22000082"]); // Castle Point
}

#[test]
fn users_groups_from_a_csv_file() {
    let path = std::env::temp_dir().join(format!("crimeperf_groups_{}.csv", std::process::id()));
    std::fs::write(
        &path,
        "\u{feff}area,peer1,peer2\nE22000088,Maldon,Southend-on-Sea\n",
    )
    .unwrap();
    let placed = read_similar_groups(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(strings(&placed.groups, "peer_name").len(), 2);
    let missing = read_similar_groups(std::env::temp_dir().join("no_such_groups.csv"));
    assert!(matches!(missing, Err(DataError::Io { .. })));
}

#[test]
fn funnel_frame_names_the_area_of_a_null() {
    let frame = df!(
        "area" => ["A", "B"],
        "crimes" => [Some(3.0), None],
        "population" => [100.0, 200.0],
    )
    .unwrap();
    let columns = FunnelColumns {
        area: "area",
        numerator: "crimes",
        denominator: "population",
    };
    let err = funnel_frame(&frame, &columns, &FunnelOptions::default()).unwrap_err();
    assert!(err.to_string().contains('B'), "{err}");
}
