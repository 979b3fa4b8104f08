//! Most similar groups on frames: similar areas from a table of characteristics, a user's own
//! group lists read and checked against the geography, every focal area ranked within its group
//! (for every offence group at once), and funnel plots.
//!
//! The statistics are the core's ([`crimeperf::similar_areas`], [`crimeperf::rank_groups`],
//! [`crimeperf::funnel`]); this module cuts frames into their inputs and puts the results back
//! into frames. Groups travel as long frames of `area` and `peer` (one row per pair, the focal
//! area's code or name in `area`), the shape [`similar_areas_frame`] and [`similar_groups`] give.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;

use crimeperf::{
    funnel, rank_groups, similar_areas, Confidence, Funnel, FunnelOptions, PeerGroup, PeerOptions,
    PeerRank,
};
use polars::prelude::*;

use crate::error::{DataError, Result};
use crate::geography::{bundled_table, read_lookup};
use crate::grouping::{column, float_values, key_column, key_text, KeyColumn};

/// What to do with a group member that is not in the frame of counts (or whose count or
/// population is null there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingPeers {
    /// Refuse: an error names the member, the focal area and the offence group.
    #[default]
    Raise,
    /// Rank the area among the members there are; `group_size` is smaller and `peers_missing`
    /// names those left out. A focal area missing from the frame gets no row, and
    /// [`PeerComparison::excluded`] says so.
    Drop,
}

impl FromStr for MissingPeers {
    type Err = crimeperf::Error;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "raise" => Ok(MissingPeers::Raise),
            "drop" => Ok(MissingPeers::Drop),
            _ => Err(crimeperf::Error::UnknownOption {
                what: "missing",
                label: s.to_owned(),
                expected: "raise, drop",
            }),
        }
    }
}

/// Where a peer comparison's inputs are in the frame of counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerColumns<'a> {
    /// The area of each row (codes or names: the same as in the groups).
    pub area: &'a str,
    /// The count of each row (crimes).
    pub count: &'a str,
    /// The population of each row (residents, households).
    pub population: &'a str,
    /// A text column naming each area in the description ("Rochford" for `E22000088`), or
    /// `None` to name areas as the area column does. Given, it is also an output column,
    /// `area_name`, after `area`.
    pub name: Option<&'a str>,
    /// Columns whose combinations are compared separately (e.g. `offence_group`).
    pub by: &'a [&'a str],
}

/// The words of the description sentence: "48.3 **crimes** per 1,000 **residents**".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording<'a> {
    /// What is counted.
    pub unit: &'a str,
    /// Who the population is.
    pub population: &'a str,
}

impl Default for Wording<'_> {
    fn default() -> Self {
        Wording {
            unit: "crimes",
            population: "residents",
        }
    }
}

/// Every focal area's standing in its group, and the focal areas left out.
#[derive(Debug, Clone)]
pub struct PeerComparison {
    /// One row per `by` combination and focal area: the `by` columns, `area`, `count`,
    /// `population`, `rate`, `lower`, `upper`, `rank`, `joint`, `group_size`, `rank_text`,
    /// `group_mean`, `group_pooled`, `average_used`, `expected`, `verdict_95`, `verdict_998`,
    /// `rank_lower`, `rank_upper` (null without a rank interval), `peers_missing` (a list of
    /// the members left out with [`MissingPeers::Drop`]) and `description`.
    pub table: DataFrame,
    /// The focal areas with no row (only with [`MissingPeers::Drop`]): `group` (the `by`
    /// values, as text), `area` and `reason`.
    pub excluded: DataFrame,
}

/// A frame's areas, with each row's position, read from a string column.
fn area_names(frame: &DataFrame, name: &str) -> Result<Vec<String>> {
    let values = column(frame, name)?;
    let strings = values.str().map_err(|_| DataError::ColumnType {
        name: name.to_owned(),
        dtype: values.dtype().to_string(),
        expected: "areas must be text (GSS codes or names)",
    })?;
    strings
        .iter()
        .enumerate()
        .map(|(row, area)| {
            area.map(str::to_owned).ok_or_else(|| {
                crimeperf::Error::InvalidPoint {
                    series: format!("column {name:?}"),
                    point: format!("row {row}"),
                    reason: "the area is missing (null)",
                    value: f64::NAN,
                }
                .into()
            })
        })
        .collect()
}

/// Groups from a long frame of `area` and `peer`: each focal area (in order of first appearance)
/// with its peers in the order given.
fn read_groups(groups: &DataFrame) -> Result<Vec<(String, Vec<String>)>> {
    let areas = area_names(groups, "area")?;
    let peers = area_names(groups, "peer")?;
    let mut order: Vec<(String, Vec<String>)> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    for (area, peer) in areas.into_iter().zip(peers) {
        let at = *position.entry(area.clone()).or_insert_with(|| {
            order.push((area.clone(), Vec::new()));
            order.len() - 1
        });
        if peer != area {
            order[at].1.push(peer);
        }
    }
    Ok(order)
}

/// Ranks every focal area of `groups` within its group on the rate `count / population × per`,
/// once per combination of the `by` columns (every offence group at once).
///
/// `groups` is a long frame with string columns `area` and `peer` (one row per pair, as
/// [`similar_areas_frame`] and [`similar_groups`] give); a focal area is a member of its own
/// group whether or not it is listed as its own peer. The frame of counts has one row per area
/// (and `by` combination); its areas are matched to the groups' by their text, so use codes in
/// both or names in both. The bootstrap of the rank intervals is seeded, so the same call gives
/// the same intervals; within one `by` combination an area's simulated counts are the same in
/// every group it belongs to ([`crimeperf::rank_groups`]).
///
/// # Errors
///
/// * [`DataError::MissingColumn`] / [`DataError::ColumnType`] for a column that is absent, an
///   area column that is not text, or a count or population that is not a number;
/// * [`DataError::MissingPeer`] for a group member (or focal area) with no row, or a null count
///   or population, in a `by` combination, unless [`MissingPeers::Drop`];
/// * [`DataError::DuplicateRow`] for an area with two rows in one `by` combination;
/// * the core's errors, each naming the area ([`crimeperf::Error::InArea`]): a negative or
///   fractional count, a population that is not above zero.
///
/// # Examples
///
/// ```
/// use crimeperf::PeerOptions;
/// use crimeperf_polars::{peer_compare, MissingPeers, PeerColumns, Wording};
/// use polars::prelude::*;
///
/// let counts = df!(
///     "area" => ["Rochford", "Castle Point", "Basildon", "Brentwood", "Maldon"],
///     "crimes" => [4208i64, 5100, 9800, 4400, 3900],
///     "population" => [87_200.0, 90_100.0, 187_600.0, 77_000.0, 65_700.0],
/// )?;
/// let groups = df!(
///     "area" => ["Rochford"; 4],
///     "peer" => ["Castle Point", "Basildon", "Brentwood", "Maldon"],
/// )?;
/// let columns = PeerColumns {
///     area: "area", count: "crimes", population: "population", name: None, by: &[],
/// };
/// let result = peer_compare(&counts, &groups, &columns, &PeerOptions::default(),
///     Wording::default(), MissingPeers::Raise)?;
/// let description = result.table.column("description")?.str()?.get(0).unwrap().to_owned();
/// assert_eq!(
///     description,
///     "Rochford: 48.3 crimes per 1,000 residents, 1st out of 5 in its group (firmly 1st); \
///      significantly lower than the group average of 54.7"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn peer_compare(
    frame: &DataFrame,
    groups: &DataFrame,
    columns: &PeerColumns<'_>,
    options: &PeerOptions,
    wording: Wording<'_>,
    missing: MissingPeers,
) -> Result<PeerComparison> {
    let groups = read_groups(groups)?;
    let areas = area_names(frame, columns.area)?;
    let counts: Vec<Option<f64>> = float_values(frame, columns.count)?.iter().collect();
    let populations: Vec<Option<f64>> = float_values(frame, columns.population)?.iter().collect();
    // Each area's name, from its first row with one.
    let mut name_of: HashMap<&str, String> = HashMap::new();
    if let Some(name) = columns.name {
        for (area, text) in areas.iter().zip(text_cells(frame, name)?) {
            if let Some(text) = text {
                name_of.entry(area.as_str()).or_insert(text);
            }
        }
    }
    let keys = columns
        .by
        .iter()
        .map(|name| key_column(frame, name))
        .collect::<Result<Vec<KeyColumn>>>()?;
    let mut rows_of: BTreeMap<Vec<u32>, Vec<usize>> = BTreeMap::new();
    for row in 0..frame.height() {
        rows_of
            .entry(keys.iter().map(|k| k.codes[row]).collect())
            .or_default()
            .push(row);
    }
    if keys.is_empty() && rows_of.is_empty() {
        rows_of.insert(Vec::new(), Vec::new());
    }

    let mut out = Output::default();
    let mut excluded_group = Vec::new();
    let mut excluded_area = Vec::new();
    let mut excluded_reason = Vec::new();
    for (codes, rows) in &rows_of {
        let label = if keys.is_empty() {
            "the frame".to_owned()
        } else {
            keys.iter()
                .zip(codes)
                .map(|(k, &c)| key_text(k, c))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // The areas of this combination with a count and a population, in row order.
        let mut names: Vec<&str> = Vec::new();
        let mut table_counts: Vec<i64> = Vec::new();
        let mut table_populations: Vec<f64> = Vec::new();
        let mut position: HashMap<&str, usize> = HashMap::new();
        let mut null_reason: HashMap<&str, &'static str> = HashMap::new();
        for &row in rows {
            let area = areas[row].as_str();
            if position.contains_key(area) || null_reason.contains_key(area) {
                return Err(DataError::DuplicateRow {
                    area: area.to_owned(),
                    group: label,
                });
            }
            let (Some(count), Some(population)) = (counts[row], populations[row]) else {
                let reason = if counts[row].is_none() {
                    "its count is missing (null)"
                } else {
                    "its population is missing (null)"
                };
                null_reason.insert(area, reason);
                continue;
            };
            let count = whole(area, count)?;
            position.insert(area, names.len());
            names.push(area);
            table_counts.push(count);
            table_populations.push(population);
        }
        let absent = |area: &str| -> &'static str {
            null_reason
                .get(area)
                .copied()
                .unwrap_or("it has no row in the frame")
        };

        let mut peer_groups = Vec::with_capacity(groups.len());
        let mut dropped: Vec<Vec<String>> = Vec::with_capacity(groups.len());
        for (focal, peers) in &groups {
            let Some(&at) = position.get(focal.as_str()) else {
                let reason = absent(focal);
                if missing == MissingPeers::Raise {
                    return Err(DataError::MissingPeer {
                        peer: focal.clone(),
                        area: focal.clone(),
                        group: label,
                        reason,
                    });
                }
                excluded_group.push(label.clone());
                excluded_area.push(focal.clone());
                excluded_reason.push(reason.to_owned());
                continue;
            };
            let mut members = Vec::with_capacity(peers.len());
            let mut left_out = Vec::new();
            for peer in peers {
                match position.get(peer.as_str()) {
                    Some(&p) => members.push(p),
                    None if missing == MissingPeers::Drop => left_out.push(peer.clone()),
                    None => {
                        return Err(DataError::MissingPeer {
                            peer: peer.clone(),
                            area: focal.clone(),
                            group: label,
                            reason: absent(peer),
                        })
                    }
                }
            }
            peer_groups.push(PeerGroup {
                area: at,
                peers: members,
            });
            dropped.push(left_out);
        }
        let ranks = rank_groups(
            &names,
            &table_counts,
            &table_populations,
            &peer_groups,
            options,
        )?;
        for (rank, left_out) in ranks.into_iter().zip(dropped) {
            let name = columns
                .name
                .map(|_| name_of.get(rank.area.as_str()).cloned());
            out.push(codes, rank, name, left_out, wording);
        }
    }
    let table = out.finish(&keys)?;
    let n = excluded_area.len();
    let excluded = DataFrame::new(
        n,
        vec![
            Column::new("group".into(), excluded_group),
            Column::new("area".into(), excluded_area),
            Column::new("reason".into(), excluded_reason),
        ],
    )?;
    Ok(PeerComparison { table, excluded })
}

/// A count read as a float, as a whole number (a fraction is an error naming the area).
fn whole(area: &str, value: f64) -> Result<i64> {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 9.0e15 {
        return Ok(value as i64);
    }
    Err(crimeperf::Error::InArea {
        area: area.to_owned(),
        source: Box::new(crimeperf::Error::InvalidValue {
            what: "count",
            reason: "must be a whole number",
            value,
        }),
    }
    .into())
}

/// The output columns of [`peer_compare`], filled row by row.
#[derive(Default)]
struct Output {
    key_rows: Vec<Vec<u32>>,
    area: Vec<String>,
    /// `None` without a name column; `Some(None)` for an area without a name.
    area_name: Option<Vec<Option<String>>>,
    count: Vec<u64>,
    population: Vec<f64>,
    rate: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    rank: Vec<u32>,
    joint: Vec<bool>,
    group_size: Vec<u32>,
    rank_text: Vec<String>,
    group_mean: Vec<f64>,
    group_pooled: Vec<f64>,
    average_used: Vec<&'static str>,
    expected: Vec<f64>,
    verdict_95: Vec<&'static str>,
    verdict_998: Vec<&'static str>,
    rank_lower: Vec<Option<u32>>,
    rank_upper: Vec<Option<u32>>,
    peers_missing: Vec<Vec<String>>,
    description: Vec<String>,
}

impl Output {
    fn push(
        &mut self,
        codes: &[u32],
        rank: PeerRank,
        name: Option<Option<String>>,
        left_out: Vec<String>,
        wording: Wording<'_>,
    ) {
        self.key_rows.push(codes.to_vec());
        let description = match name.as_ref().and_then(Option::as_ref) {
            Some(name) => PeerRank {
                area: name.clone(),
                ..rank.clone()
            }
            .describe(wording.unit, wording.population),
            None => rank.describe(wording.unit, wording.population),
        };
        self.description.push(description);
        if let Some(name) = name {
            self.area_name.get_or_insert_with(Vec::new).push(name);
        }
        self.count.push(rank.count);
        self.population.push(rank.population);
        self.rate.push(rank.rate);
        self.lower.push(rank.lower);
        self.upper.push(rank.upper);
        self.rank.push(rank.rank);
        self.joint.push(rank.joint);
        self.group_size.push(rank.group_size);
        self.group_mean.push(rank.group_mean);
        self.group_pooled.push(rank.group_pooled);
        self.average_used.push(rank.average_used.label());
        self.expected.push(rank.expected);
        self.verdict_95.push(rank.verdict_95.label());
        self.verdict_998.push(rank.verdict_998.label());
        self.rank_lower.push(rank.rank_interval.map(|r| r.lower));
        self.rank_upper.push(rank.rank_interval.map(|r| r.upper));
        self.peers_missing.push(left_out);
        self.rank_text.push(rank.rank_text);
        self.area.push(rank.area);
    }

    fn finish(self, keys: &[KeyColumn]) -> Result<DataFrame> {
        let n = self.area.len();
        let mut columns = Vec::with_capacity(keys.len() + 21);
        for (i, key) in keys.iter().enumerate() {
            let indices: Vec<u32> = self.key_rows.iter().map(|codes| codes[i]).collect();
            columns.push(key.values.column(&key.name, &indices)?);
        }
        let missing: Vec<Series> = self
            .peers_missing
            .iter()
            .map(|names| Series::new("".into(), names))
            .collect();
        let mut peers_missing = ListChunked::from_iter(missing.into_iter().map(Some));
        peers_missing.rename("peers_missing".into());
        let peers_missing = peers_missing
            .cast(&DataType::List(Box::new(DataType::String)))?
            .into_column();
        columns.push(Column::new("area".into(), self.area));
        if let Some(names) = self.area_name {
            columns.push(Column::new("area_name".into(), names));
        }
        columns.extend([
            Column::new("count".into(), self.count),
            Column::new("population".into(), self.population),
            Column::new("rate".into(), self.rate),
            Column::new("lower".into(), self.lower),
            Column::new("upper".into(), self.upper),
            Column::new("rank".into(), self.rank),
            Column::new("joint".into(), self.joint),
            Column::new("group_size".into(), self.group_size),
            Column::new("rank_text".into(), self.rank_text),
            Column::new("group_mean".into(), self.group_mean),
            Column::new("group_pooled".into(), self.group_pooled),
            Column::new("average_used".into(), self.average_used),
            Column::new("expected".into(), self.expected),
            Column::new("verdict_95".into(), self.verdict_95),
            Column::new("verdict_998".into(), self.verdict_998),
            Column::new("rank_lower".into(), self.rank_lower),
            Column::new("rank_upper".into(), self.rank_upper),
            peers_missing,
            Column::new("description".into(), self.description),
        ]);
        Ok(DataFrame::new(n, columns)?)
    }
}

/// Each area's `k` nearest other areas on the z-scored `variables` of a frame of area
/// characteristics (one row per area), as a long frame: `area`, `peer`, `peer_rank` (1 =
/// closest), `distance` and `similarity` (1 for the closest pair in the whole table, 0 for the
/// farthest). See [`crimeperf::similar_areas`] for the formula and the tie-breaking.
///
/// # Errors
///
/// [`DataError::MissingColumn`] / [`DataError::ColumnType`] for an absent column, an area
/// column that is not text or a variable that is not numeric; the core's errors for a missing
/// (null or NaN) value or a constant variable (each naming the variable, and the area), a
/// duplicated area, too few areas for `k`, or bad weights.
///
/// # Examples
///
/// ```
/// use crimeperf_polars::similar_areas_frame;
/// use polars::prelude::*;
///
/// let features = df!(
///     "csp_code" => ["E22000088", "E22000083", "E22000084", "E22000087"],
///     "density" => [1_200.0, 1_150.0, 480.0, 3_900.0],
///     "household_size" => [2.45, 2.40, 2.38, 2.31],
/// )?;
/// let groups = similar_areas_frame(&features, "csp_code", &["density", "household_size"], 2, None)?;
/// assert_eq!(groups.shape(), (8, 5));
/// assert_eq!(groups.column("peer")?.str()?.get(0), Some("E22000083"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn similar_areas_frame(
    frame: &DataFrame,
    area: &str,
    variables: &[&str],
    k: usize,
    weights: Option<&[f64]>,
) -> Result<DataFrame> {
    let areas = area_names(frame, area)?;
    let columns = variables
        .iter()
        .map(|name| {
            // A null is the core's missing value (NaN), which it reports with the area.
            Ok(float_values(frame, name)?
                .iter()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect::<Vec<f64>>())
        })
        .collect::<Result<Vec<_>>>()?;
    let neighbours = similar_areas(&areas, variables, &columns, k, weights)?;
    let n = neighbours.len();
    let mut area_out = Vec::with_capacity(n);
    let mut peer = Vec::with_capacity(n);
    let mut peer_rank = Vec::with_capacity(n);
    let mut distance = Vec::with_capacity(n);
    let mut similarity = Vec::with_capacity(n);
    for neighbour in neighbours {
        area_out.push(neighbour.area);
        peer.push(neighbour.peer);
        peer_rank.push(neighbour.peer_rank);
        distance.push(neighbour.distance);
        similarity.push(neighbour.similarity);
    }
    Ok(DataFrame::new(
        n,
        vec![
            Column::new("area".into(), area_out),
            Column::new("peer".into(), peer),
            Column::new("peer_rank".into(), peer_rank),
            Column::new("distance".into(), distance),
            Column::new("similarity".into(), similarity),
        ],
    )?)
}

/// The variables of the demonstration groups, as columns of the bundled `csp_characteristics`
/// table: the natural log of population density (density is heavily skewed: a London borough is
/// 300 times as dense as rural Northumberland, and on the raw scale every rural CSP would look
/// alike), household size, and the shares aged 0–15, 16–24 and 65 and over (25–64 is left out:
/// the four shares sum to 1, so it adds nothing the others do not say).
pub const DEMONSTRATION_VARIABLES: [&str; 5] = [
    "log_density",
    "household_size",
    "share_aged_0_15",
    "share_aged_16_24",
    "share_aged_65_plus",
];

/// The bundled characteristics of every Community Safety Partnership in England and Wales (314
/// rows; `data/peers/README.md` in this crate gives the columns and sources), with
/// `log_density`, the natural log of `density_per_sq_km`, added.
///
/// # Errors
///
/// Only if the bundled table were corrupted.
///
/// # Examples
///
/// ```
/// let characteristics = crimeperf_polars::csp_characteristics()?;
/// assert_eq!(characteristics.height(), 314);
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
pub fn csp_characteristics() -> Result<DataFrame> {
    const TEXT: [&str; 4] = ["csp_code", "csp_name", "force_name", "basis"];
    const NUMBERS: [&str; 9] = [
        "population",
        "households",
        "household_size",
        "area_sq_km",
        "density_per_sq_km",
        "share_aged_0_15",
        "share_aged_16_24",
        "share_aged_25_64",
        "share_aged_65_plus",
    ];
    let path = Path::new("csp_characteristics.csv");
    let mut text: Vec<Vec<String>> = vec![Vec::new(); TEXT.len()];
    let mut numbers: Vec<Vec<f64>> = vec![Vec::new(); NUMBERS.len()];
    let required: Vec<&str> = TEXT.iter().chain(&NUMBERS).copied().collect();
    read_lookup(
        path,
        bundled_table("csp_characteristics")?.as_bytes(),
        &required,
        |line, field| {
            for (values, name) in text.iter_mut().zip(TEXT) {
                values.push(field(name));
            }
            for (values, name) in numbers.iter_mut().zip(NUMBERS) {
                let cell = field(name);
                values.push(cell.parse().map_err(|_| DataError::Lookup {
                    path: path.to_owned(),
                    line,
                    reason: format!("{name} {cell:?} is not a number"),
                })?);
            }
            Ok(())
        },
    )?;
    let n = text[0].len();
    let log_density: Vec<f64> = numbers[4].iter().map(|d| d.ln()).collect();
    let mut columns: Vec<Column> = Vec::with_capacity(TEXT.len() + NUMBERS.len() + 1);
    columns.extend(
        TEXT.iter()
            .zip(text)
            .map(|(name, values)| Column::new((*name).into(), values)),
    );
    columns.extend(
        NUMBERS
            .iter()
            .zip(numbers)
            .map(|(name, values)| Column::new((*name).into(), values)),
    );
    columns.push(Column::new("log_density".into(), log_density));
    Ok(DataFrame::new(n, columns)?)
}

/// Illustrative most similar groups of Community Safety Partnerships: each CSP's 15 nearest
/// CSPs on [`DEMONSTRATION_VARIABLES`] of the bundled [`csp_characteristics`], as
/// [`similar_areas_frame`] gives them (`area` and `peer` are CSP codes), with `area_name` and
/// `peer_name` added.
///
/// **These are not the Home Office's most similar groups** (those are published to police
/// only, and use deprivation and crime-related variables the public data lacks): they are for
/// examples and for seeing how a group is built. Use your own groups for real reporting.
///
/// # Errors
///
/// Only if the bundled table were corrupted.
///
/// # Examples
///
/// ```
/// let groups = crimeperf_polars::demonstration_groups()?;
/// assert_eq!(groups.height(), 314 * 15);
/// let names = groups.column("area_name")?.str()?;
/// assert_eq!(names.iter().filter(|n| *n == Some("Rochford")).count(), 15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn demonstration_groups() -> Result<DataFrame> {
    let characteristics = csp_characteristics()?;
    let groups = similar_areas_frame(
        &characteristics,
        "csp_code",
        &DEMONSTRATION_VARIABLES,
        15,
        None,
    )?;
    let codes = area_names(&characteristics, "csp_code")?;
    let names = area_names(&characteristics, "csp_name")?;
    let name_of: HashMap<&str, &str> = codes
        .iter()
        .map(String::as_str)
        .zip(names.iter().map(String::as_str))
        .collect();
    let named = |column_name: &str| -> Result<Column> {
        let values = area_names(&groups, column_name)?;
        Ok(Column::new(
            format!("{column_name}_name").into(),
            values
                .iter()
                .map(|code| name_of.get(code.as_str()).copied())
                .collect::<Vec<_>>(),
        ))
    };
    let area_name = named("area")?;
    let peer_name = named("peer")?;
    let mut groups = groups;
    groups.insert_column(1, area_name)?;
    groups.insert_column(3, peer_name)?;
    Ok(groups)
}

/// A user's most similar groups, read and placed on the bundled geography.
#[derive(Debug, Clone)]
pub struct SimilarGroups {
    /// One row per placed pair: `area`, `area_name`, `peer`, `peer_name` (codes and names from
    /// the bundled geography), `peer_rank` (the order given, from 1) and `level` (`csp`,
    /// `local_authority` or `force`).
    pub groups: DataFrame,
    /// The entries that could not be placed: `row` (of the input, from 0), `column`, `value`
    /// and `reason`; their pairs are not in [`SimilarGroups::groups`].
    pub unplaced: DataFrame,
    /// Areas of the groups' level (as codes) named only as peers, with no group of their own.
    pub without_group: Vec<String>,
}

/// A place of the bundled geography: its code, name and level.
#[derive(Clone)]
struct Place {
    code: String,
    name: String,
    level: &'static str,
}

/// Codes and names of every CSP, local authority and force of the bundled geography, looked up
/// by code, by name and by a key that ignores case, punctuation and "police"-style words.
struct Places {
    by_key: HashMap<String, Vec<Place>>,
}

impl Places {
    fn bundled() -> Result<Self> {
        let text = bundled_table("csp_lookup")?;
        let mut by_key: HashMap<String, Vec<Place>> = HashMap::new();
        let mut seen: HashSet<(String, &'static str)> = HashSet::new();
        read_lookup(
            Path::new("csp_lookup.csv"),
            text.as_bytes(),
            &[
                "csp_code",
                "csp_name",
                "force_code",
                "force_name",
                "local_authority_code",
                "local_authority_name",
            ],
            |_, field| {
                for (code, name, level) in [
                    ("csp_code", "csp_name", "csp"),
                    (
                        "local_authority_code",
                        "local_authority_name",
                        "local_authority",
                    ),
                    ("force_code", "force_name", "force"),
                ] {
                    let place = Place {
                        code: field(code),
                        name: field(name),
                        level,
                    };
                    if place.code.is_empty() || !seen.insert((place.code.clone(), level)) {
                        continue;
                    }
                    for key in [place_key(&place.code), place_key(&place.name)] {
                        let entry = by_key.entry(key).or_default();
                        if !entry
                            .iter()
                            .any(|p| p.code == place.code && p.level == level)
                        {
                            entry.push(place.clone());
                        }
                    }
                }
                Ok(())
            },
        )?;
        Ok(Places { by_key })
    }

    /// The places a text could mean (several when a CSP and a local authority share a name).
    fn find(&self, text: &str) -> &[Place] {
        self.by_key.get(&place_key(text)).map_or(&[], Vec::as_slice)
    }
}

/// A key under which "Bristol, City of", "bristol city of" and "Bristol City Of" agree, as do a
/// code in any case.
fn place_key(text: &str) -> String {
    text.to_lowercase()
        .replace('&', " and ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads a user's own most similar groups and places every area on the bundled geography.
///
/// The frame is either **long**, with columns `area` and `peer` (one row per pair), or **wide**,
/// with `area` and `peer_1`, `peer_2`, … (one row per group; blank cells are fine). Headers are
/// matched ignoring case and punctuation ("Area", "Peer 1" and "peer1" all do). Areas may be
/// GSS codes or names of CSPs, local authorities or police forces (matched ignoring case and
/// punctuation); where a name is both a CSP and a local authority, the level of the focal areas
/// decides. Entries that match nothing are reported in [`SimilarGroups::unplaced`], not dropped
/// silently, and focal areas of the groups' level named only as peers are listed in
/// [`SimilarGroups::without_group`].
///
/// # Errors
///
/// [`DataError::MissingColumn`] when the frame has no `area` column, or neither `peer` nor
/// `peer_1`…; [`DataError::ColumnType`] for a column that is not text. A row with a focal area
/// and no peer (or the reverse) is not an error: it is reported in
/// [`SimilarGroups::unplaced`].
///
/// # Examples
///
/// ```
/// use crimeperf_polars::similar_groups;
/// use polars::prelude::*;
///
/// let wide = df!(
///     "area" => ["Rochford"],
///     "peer_1" => ["Castle Point"],
///     "peer_2" => ["E22000079"],   // Basildon, by code
///     "peer_3" => ["Nowhere"],
/// )?;
/// let groups = similar_groups(&wide)?;
/// assert_eq!(groups.groups.height(), 2);
/// assert_eq!(groups.groups.column("area")?.str()?.get(0), Some("E22000088"));
/// assert_eq!(groups.unplaced.column("value")?.str()?.get(0), Some("Nowhere"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn similar_groups(frame: &DataFrame) -> Result<SimilarGroups> {
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let missing_column = |name: &str| DataError::MissingColumn {
        name: name.to_owned(),
        available: names.clone(),
    };
    let area_column = names
        .iter()
        .find(|n| header_key(n) == "area")
        .ok_or_else(|| missing_column("area"))?;
    let areas = text_cells(frame, area_column)?;
    // (row, column, focal text, peer text, peer order)
    let mut pairs: Vec<(usize, String, String, String, u32)> = Vec::new();
    // Rows with a focal area but no peer, or a peer but no focal area: reported, not dropped.
    let mut blanks: Vec<(usize, String, String)> = Vec::new();
    if let Some(peer_column) = names.iter().find(|n| header_key(n) == "peer") {
        let peers = text_cells(frame, peer_column)?;
        let mut order: HashMap<String, u32> = HashMap::new();
        for (row, (area, peer)) in areas.iter().zip(peers).enumerate() {
            match (area, peer) {
                (Some(area), Some(peer)) => {
                    let n = order.entry(area.clone()).or_insert(0);
                    *n += 1;
                    pairs.push((row, peer_column.clone(), area.clone(), peer, *n));
                }
                (Some(area), None) => blanks.push((
                    row,
                    peer_column.clone(),
                    format!("the row of {area:?} names no peer"),
                )),
                (None, Some(peer)) => blanks.push((
                    row,
                    area_column.clone(),
                    format!("the row of peer {peer:?} names no focal area"),
                )),
                (None, None) => {}
            }
        }
    } else {
        let mut wide: Vec<(u32, String)> = names
            .iter()
            .filter_map(|name| peer_number(&header_key(name)).map(|n| (n, name.clone())))
            .collect();
        if wide.is_empty() {
            return Err(missing_column(
                "peer (long groups) or peer_1, peer_2, … (wide groups)",
            ));
        }
        wide.sort();
        let cells = wide
            .iter()
            .map(|(_, name)| text_cells(frame, name))
            .collect::<Result<Vec<_>>>()?;
        for (row, area) in areas.iter().enumerate() {
            let Some(area) = area else {
                if let Some((column, peer)) = wide
                    .iter()
                    .zip(&cells)
                    .find_map(|((_, name), values)| values[row].as_ref().map(|p| (name, p)))
                {
                    blanks.push((
                        row,
                        column.clone(),
                        format!("the row of peer {peer:?} names no focal area"),
                    ));
                }
                continue;
            };
            let mut n = 0;
            for ((_, name), values) in wide.iter().zip(&cells) {
                if let Some(peer) = &values[row] {
                    n += 1;
                    pairs.push((row, name.clone(), area.clone(), peer.clone(), n));
                }
            }
        }
    }

    let places = Places::bundled()?;
    // The level of the groups: the level most focal areas match at.
    let mut level_votes: BTreeMap<&'static str, usize> = BTreeMap::new();
    for area in areas.iter().flatten() {
        for place in places.find(area) {
            *level_votes.entry(place.level).or_default() += 1;
        }
    }
    let level = level_votes
        .iter()
        .max_by_key(|(level, votes)| (**votes, *level == &"csp"))
        .map_or("csp", |(level, _)| *level);
    let place = |text: &str| -> std::result::Result<Place, String> {
        let found = places.find(text);
        if let Some(p) = found.iter().find(|p| p.level == level) {
            return Ok(p.clone());
        }
        match found.first() {
            Some(p) => Err(format!(
                "{text:?} is a {} ({}), not a {}",
                level_words(p.level),
                p.code,
                level_words(level)
            )),
            None => Err(format!(
                "no {} of England and Wales has the code or name {text:?}",
                level_words(level)
            )),
        }
    };

    let mut out_area = Vec::new();
    let mut out_area_name = Vec::new();
    let mut out_peer = Vec::new();
    let mut out_peer_name = Vec::new();
    let mut out_rank = Vec::new();
    let mut bad_row = Vec::new();
    let mut bad_column = Vec::new();
    let mut bad_value = Vec::new();
    let mut bad_reason = Vec::new();
    for (row, column_name, reason) in blanks {
        bad_row.push(row as u32);
        bad_column.push(column_name);
        bad_value.push(String::new());
        bad_reason.push(reason);
    }
    let mut reported: HashSet<usize> = HashSet::new();
    let mut focal_codes: HashSet<String> = HashSet::new();
    let mut peer_codes: Vec<String> = Vec::new();
    for (row, column_name, area, peer, rank) in pairs {
        let focal = match place(&area) {
            Ok(p) => p,
            Err(reason) => {
                if reported.insert(row) {
                    bad_row.push(row as u32);
                    bad_column.push(area_column.clone());
                    bad_value.push(area);
                    bad_reason.push(reason);
                }
                continue;
            }
        };
        focal_codes.insert(focal.code.clone());
        match place(&peer) {
            Ok(p) => {
                peer_codes.push(p.code.clone());
                out_area.push(focal.code);
                out_area_name.push(focal.name);
                out_peer.push(p.code);
                out_peer_name.push(p.name);
                out_rank.push(rank);
            }
            Err(reason) => {
                bad_row.push(row as u32);
                bad_column.push(column_name);
                bad_value.push(peer);
                bad_reason.push(reason);
            }
        }
    }
    let mut without_group: Vec<String> = peer_codes
        .into_iter()
        .filter(|code| !focal_codes.contains(code))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    without_group.dedup();
    let n = out_area.len();
    let levels = vec![level; n];
    let groups = DataFrame::new(
        n,
        vec![
            Column::new("area".into(), out_area),
            Column::new("area_name".into(), out_area_name),
            Column::new("peer".into(), out_peer),
            Column::new("peer_name".into(), out_peer_name),
            Column::new("peer_rank".into(), out_rank),
            Column::new("level".into(), levels),
        ],
    )?;
    let unplaced = DataFrame::new(
        bad_row.len(),
        vec![
            Column::new("row".into(), bad_row),
            Column::new("column".into(), bad_column),
            Column::new("value".into(), bad_value),
            Column::new("reason".into(), bad_reason),
        ],
    )?;
    Ok(SimilarGroups {
        groups,
        unplaced,
        without_group,
    })
}

/// A level of the geography in words: "CSP", "local authority", "police force".
fn level_words(level: &str) -> &'static str {
    match level {
        "csp" => "CSP",
        "local_authority" => "local authority",
        _ => "police force",
    }
}

/// A column header as a key: lowercase, with every run of other characters than letters and
/// digits as one `_` ("Peer 1" and "peer-1" are `peer_1`).
fn header_key(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// The position of a wide group's peer column from its key: `peer_3` and `peer3` are 3.
fn peer_number(key: &str) -> Option<u32> {
    let rest = key.strip_prefix("peer")?;
    rest.strip_prefix('_').unwrap_or(rest).parse().ok()
}

/// Reads a user's most similar groups from a CSV file or the first sheet of an Excel workbook
/// (`.xlsx`, `.xlsm`, `.xls`, `.ods`) and places them as [`similar_groups`] does. The header is
/// the first row with an `area` cell (title rows above it are skipped); every cell is read as
/// text (a code, a name, or a number as written), and the `row` of an unplaced entry counts the
/// rows after the header, from 0.
///
/// # Errors
///
/// [`DataError::Io`] when the file cannot be opened; [`DataError::Workbook`] for a workbook
/// that cannot be read or has no rows, or a CSV row that cannot be read (naming its line); and
/// the errors of [`similar_groups`].
///
/// # Examples
///
/// ```
/// let path = std::env::temp_dir().join("crimeperf_doc_groups.csv");
/// std::fs::write(&path, "Area,Peer 1,Peer 2\nRochford,Castle Point,Maldon\n")?;
/// let groups = crimeperf_polars::read_similar_groups(&path)?;
/// assert_eq!(groups.groups.height(), 2);
/// assert_eq!(groups.unplaced.height(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_similar_groups(path: impl AsRef<Path>) -> Result<SimilarGroups> {
    let path = path.as_ref();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    let rows = if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        sheet_rows(path)?
    } else {
        csv_rows(path)?
    };
    // The header: the first row with an "area" cell (title rows above it are skipped), or
    // else the first row with any text (then `similar_groups` names the missing column).
    let header_at = rows
        .iter()
        .position(|row| row.iter().any(|cell| header_key(cell) == "area"))
        .or_else(|| {
            rows.iter()
                .position(|row| row.iter().any(|cell| !cell.trim().is_empty()))
        })
        .ok_or_else(|| DataError::Workbook {
            path: path.to_owned(),
            reason: "the file has no header row".to_owned(),
        })?;
    let mut rows = rows.into_iter().skip(header_at);
    let header = rows.next().unwrap_or_default();
    let body: Vec<Vec<String>> = rows.collect();
    let mut columns = Vec::with_capacity(header.len());
    let mut seen = HashSet::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let name = if name.is_empty() {
            format!("column_{}", i + 1)
        } else {
            name.to_owned()
        };
        if !seen.insert(name.clone()) {
            continue; // a repeated header: the first column of that name is the one read
        }
        let values: Vec<Option<String>> = body
            .iter()
            .map(|row| {
                row.get(i)
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty())
            })
            .collect();
        columns.push(Column::new(name.into(), values));
    }
    let frame = DataFrame::new(body.len(), columns)?;
    similar_groups(&frame)
}

/// Every row of a CSV file, as text.
fn csv_rows(path: &Path) -> Result<Vec<Vec<String>>> {
    let file = std::fs::File::open(path).map_err(|source| DataError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::BufReader::new(file));
    reader
        .records()
        .enumerate()
        .map(|(line, record)| {
            let record = record.map_err(|e| DataError::Workbook {
                path: path.to_owned(),
                reason: format!("line {}: {e}", line + 1),
            })?;
            Ok(record
                .iter()
                .map(|c| c.trim_start_matches('\u{feff}').to_owned())
                .collect())
        })
        .collect()
}

/// Every row of a workbook's first sheet, as text.
fn sheet_rows(path: &Path) -> Result<Vec<Vec<String>>> {
    use calamine::{open_workbook_auto, Data, Reader};
    let workbook_error = |reason: String| DataError::Workbook {
        path: path.to_owned(),
        reason,
    };
    let mut workbook = open_workbook_auto(path).map_err(|e| match e {
        calamine::Error::Io(source) => DataError::Io {
            path: path.to_owned(),
            source,
        },
        other => workbook_error(format!("not a workbook that calamine can read ({other})")),
    })?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| workbook_error("the workbook has no sheets".to_owned()))?
        .map_err(|e| workbook_error(format!("the first sheet cannot be read ({e})")))?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

/// A text column's cells, trimmed, with blanks as `None`.
fn text_cells(frame: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    let values = column(frame, name)?;
    let strings = values.str().map_err(|_| DataError::ColumnType {
        name: name.to_owned(),
        dtype: values.dtype().to_string(),
        expected: "areas must be text (GSS codes or names)",
    })?;
    Ok(strings
        .iter()
        .map(|v| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        })
        .collect())
}

/// Where a funnel plot's inputs are in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunnelColumns<'a> {
    /// The area of each row.
    pub area: &'a str,
    /// The numerator (count) of each row.
    pub numerator: &'a str,
    /// The denominator (population) of each row.
    pub denominator: &'a str,
}

/// The column-name suffix of a level: 95% → `95`, 99.8% → `998`, 99.9% → `999`.
pub fn level_suffix(confidence: Confidence) -> String {
    let percent = format!("{:.6}", confidence.level() * 100.0);
    let trimmed = percent.trim_end_matches('0').trim_end_matches('.');
    trimmed.replace('.', "")
}

/// A funnel plot of every row of a frame: the core's [`crimeperf::funnel`] and its points as a
/// frame with `area`, `numerator`, `denominator`, `value`, `expected`, `z` and, per level,
/// `lower_95`, `upper_95`, `flag_95` (`low`, `within`, `high`), `lower_998`, ….
///
/// # Errors
///
/// [`DataError::MissingColumn`] / [`DataError::ColumnType`] for a missing or non-numeric column
/// or an area column that is not text; [`crimeperf::Error::InArea`] naming the area of a null,
/// negative or non-finite numerator or denominator; and the core's errors for the options.
///
/// # Examples
///
/// ```
/// use crimeperf::FunnelOptions;
/// use crimeperf_polars::{funnel_frame, FunnelColumns};
/// use polars::prelude::*;
///
/// let frame = df!(
///     "area" => ["A", "B", "C", "D"],
///     "crimes" => [30.0, 95.0, 210.0, 70.0],
///     "population" => [2_000.0, 5_000.0, 10_000.0, 4_000.0],
/// )?;
/// let columns = FunnelColumns { area: "area", numerator: "crimes", denominator: "population" };
/// let (table, plot) = funnel_frame(&frame, &columns, &FunnelOptions::default())?;
/// assert_eq!(table.column("flag_95")?.str()?.get(0), Some("within"));
/// assert!((plot.limits.benchmark - 405.0 / 21.0).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn funnel_frame(
    frame: &DataFrame,
    columns: &FunnelColumns<'_>,
    options: &FunnelOptions,
) -> Result<(DataFrame, Funnel)> {
    let areas = area_names(frame, columns.area)?;
    let present = |name: &str| -> Result<Vec<f64>> {
        float_values(frame, name)?
            .iter()
            .zip(&areas)
            .map(|(value, area)| {
                value.ok_or_else(|| {
                    crimeperf::Error::InArea {
                        area: area.clone(),
                        source: Box::new(crimeperf::Error::InvalidValue {
                            what: if name == columns.numerator {
                                "numerator"
                            } else {
                                "denominator"
                            },
                            reason: "is missing (null)",
                            value: f64::NAN,
                        }),
                    }
                    .into()
                })
            })
            .collect()
    };
    let numerators = present(columns.numerator)?;
    let denominators = present(columns.denominator)?;
    let plot = funnel(&areas, &numerators, &denominators, options)?;
    let n = plot.points.len();
    let mut out = vec![
        Column::new("area".into(), areas),
        Column::new("numerator".into(), numerators),
        Column::new("denominator".into(), denominators),
        Column::new(
            "value".into(),
            plot.points.iter().map(|p| p.value).collect::<Vec<_>>(),
        ),
        Column::new(
            "expected".into(),
            plot.points.iter().map(|p| p.expected).collect::<Vec<_>>(),
        ),
        Column::new(
            "z".into(),
            plot.points.iter().map(|p| p.z).collect::<Vec<_>>(),
        ),
    ];
    for (i, level) in options.levels.iter().enumerate() {
        let suffix = level_suffix(*level);
        out.push(Column::new(
            format!("lower_{suffix}").into(),
            plot.points
                .iter()
                .map(|p| p.limits[i].lower)
                .collect::<Vec<_>>(),
        ));
        out.push(Column::new(
            format!("upper_{suffix}").into(),
            plot.points
                .iter()
                .map(|p| p.limits[i].upper)
                .collect::<Vec<_>>(),
        ));
        out.push(Column::new(
            format!("flag_{suffix}").into(),
            plot.points
                .iter()
                .map(|p| p.limits[i].flag.label())
                .collect::<Vec<_>>(),
        ));
    }
    Ok((DataFrame::new(n, out)?, plot))
}
