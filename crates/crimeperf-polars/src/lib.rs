//! # crimeperf-polars
//!
//! The DataFrame layer of crimeperf: read data.police.uk street and outcome files (folders,
//! single files or the zip archives themselves) into clean, typed polars frames with a log of
//! everything odd in them; place every row in its local authority and Community Safety
//! Partnership; count crimes by area, type and period with zeros where there were none; and
//! compute solved rates with the core's exact intervals; and read the ONS Community Safety
//! Partnership tables into a tidy frame.
//!
//! Rows with problems are never dropped silently: the [`PoliceUkData::log`] frame says what was
//! found, where, how often, and what was done.

mod cancel;
mod counting;
mod dates;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod geography;
mod grouping;
mod log;
mod maturity;
mod ons;
mod parallel;
mod peers;
mod police_uk;
mod solved;
mod trends;

pub use cancel::Cancel;
pub use counting::{count_crimes, CountOptions, CrimeCounts, OutsideForce, PeriodUnit};
pub use error::{DataError, Result};
pub use geography::{bundled_table, force_key, Geography, LsoaPlace, BUNDLED_TABLES};
pub use grouping::Records;
pub use maturity::{outcome_maturity, solved_within, MaturityRule};
pub use ons::{read_ons_csp_tables, OnsCspTables};
pub use peers::{
    csp_characteristics, demonstration_groups, funnel_frame, level_suffix, peer_compare,
    read_similar_groups, similar_areas_frame, similar_groups, FunnelColumns, MissingPeers,
    PeerColumns, PeerComparison, SimilarGroups, Wording, DEMONSTRATION_VARIABLES,
};
pub use police_uk::{
    count_police_uk, read_police_uk, read_police_uk_compact, BatchedCounts, CompactPoliceUkData,
    CompactRecords, DuplicatePolicy, FileKind, Finding, PoliceUkData, ReadOptions, ReadProgress,
    RecordFilter, MAX_EXPANSION, MAX_LINE_BYTES,
};
pub use solved::solved_rates;
pub use trends::{
    project_year_end_frame, rolling_frame, spc_frame, year_to_date_frame, MissingMonths,
    Population, RebaseAt, SeriesColumns, SpcFrameOptions,
};
