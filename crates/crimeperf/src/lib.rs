//! # crimeperf
//!
//! The statistics of crime performance reporting for Community Safety Partnerships and police
//! analysts: year-on-year change with an exact test, rates per 1,000 residents with exact or Byar
//! intervals, solved rates with Wilson intervals, targets from baselines and RAG status — each a
//! named result that can say itself in the words a committee report uses.
//!
//! This crate has no I/O and no DataFrame dependency; `crimeperf-polars` and the Python package
//! build on it.
//!
//! ## A guide in committee sentences
//!
//! "22.6% increase (38 crimes) in Burglary Dwelling: 206 offences against 168 for the same period
//! last year" — and is that more than chance?
//!
//! ```
//! use crimeperf::{Change, Significance};
//!
//! let burglary = Change::new(206, 168)?;
//! assert_eq!(burglary.describe("crimes"), "22.6% increase (38 crimes)");
//! // The exact conditional test (scipy.stats.binomtest(206, 374).pvalue = 0.0556):
//! assert_eq!(format!("{:.4}", burglary.p_value), "0.0556");
//! assert_eq!(burglary.significance, Significance::NoSignificantChange);
//! assert_eq!(format!("{:.3} to {:.3}", burglary.lower, burglary.upper), "0.995 to 1.512");
//! // The sentence with its verdict, never a bare "increase" for a change that could be chance:
//! assert_eq!(
//!     burglary.describe_with_verdict("crimes"),
//!     "22.6% increase (38 crimes), not a statistically significant change \
//!      (exact conditional test, two-sided minlike p = 0.056)"
//! );
//! # Ok::<(), crimeperf::Error>(())
//! ```
//!
//! "All Crime solved rate of 26.1% means Rochford is 1.8 points better than the same period last
//! year":
//!
//! ```
//! use crimeperf::{Confidence, ProportionChange};
//!
//! let solved = ProportionChange::newcombe(1098, 4208, 1080, 4445, Confidence::default())?;
//! assert_eq!(format!("{:.1}%", solved.current.percent()), "26.1%");
//! assert_eq!(solved.describe(), "1.8 percentage points higher (26.1% against 24.3%)");
//! # Ok::<(), crimeperf::Error>(())
//! ```
//!
//! "10% reduction in Theft From Motor Vehicles by March 2011: baseline 325, target 293" (round
//! half up: 292.5 is printed as 293), and "Reduce domestic burglary by 5%: 170 -> 152, 10.6%,
//! Green":
//!
//! ```
//! use crimeperf::{target_value, Polarity, Rag, RagRule, RagStatus, Rounding};
//!
//! assert_eq!(target_value(325.0, -10.0, Rounding::HalfUp)?, 293.0);
//! let target = target_value(170.0, -5.0, Rounding::HalfUp)?;
//! let rag = Rag::assess(170.0, 152.0, target, Polarity::LowerIsBetter, RagRule::TargetMet)?;
//! assert_eq!(rag.status, RagStatus::Green);
//! assert_eq!(rag.to_string(), "Green: 152 meets the target of 162 (10.6% reduction on the baseline of 170)");
//! # Ok::<(), crimeperf::Error>(())
//! ```
//!
//! "Rochford: 4,208 crimes, 48.3 per 1,000 residents" — with the interval the spreadsheet never
//! had:
//!
//! ```
//! let rochford = crimeperf::rate(4208, 87_200.0)?;
//! assert_eq!(format!("{:.1} ({:.1} to {:.1})", rochford.value, rochford.lower, rochford.upper), "48.3 (46.8 to 49.7)");
//! # Ok::<(), crimeperf::Error>(())
//! ```
//!
//! "Rochford placed 1st out of 5 in its most similar group, against a group average of 54.7" —
//! and is the gap real, and how sure is the rank? The same group on a funnel plot:
//!
//! ```
//! use crimeperf::{funnel, rank_in_group, Flag, FunnelOptions, PeerOptions, Verdict};
//!
//! let areas = ["Rochford", "Castle Point", "Basildon", "Brentwood", "Maldon"];
//! let counts = [4208, 5100, 9800, 4400, 3900];
//! let populations = [87_200.0, 90_100.0, 187_600.0, 77_000.0, 65_700.0];
//! let rochford = rank_in_group("Rochford", &areas, &counts, &populations, &PeerOptions::default())?;
//! assert_eq!(rochford.rank_text, "1st out of 5");
//! assert_eq!(rochford.verdict_998, Verdict::SignificantlyLower);
//!
//! let crimes: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
//! let plot = funnel(&areas, &crimes, &populations, &FunnelOptions::default())?;
//! assert_eq!(plot.points[0].limits[1].flag, Flag::Low); // below the 99.8% limit
//! # Ok::<(), crimeperf::Error>(())
//! ```
//!
//! Periods and categories parse the labels analysts write:
//!
//! ```
//! use crimeperf::{CrimeType, FinancialYear, Month};
//!
//! let december: Month = "2013-12".parse()?;
//! assert_eq!(december.year_to_date().to_string(), "April to December 2013");
//! assert_eq!("FY2009/10".parse::<FinancialYear>()?.to_string(), "2009/10");
//! assert!("anti-social behaviour".parse::<CrimeType>()?.is_incident());
//! # Ok::<(), crimeperf::Error>(())
//! ```
//!
//! Trends: the year to date against the same months last year, and an SPC chart that says
//! whether a month is a signal or noise:
//!
//! ```
//! use crimeperf::spc::{spc, SpcOptions, SpcSeries, Variation};
//! use crimeperf::{year_to_date, ChangeOptions, Month, MonthlyCounts};
//!
//! let first: Month = "2024-04".parse()?;
//! let months: Vec<Month> = (0..15).map(|i| first.plus(i).unwrap()).collect();
//! let counts = [40, 44, 38, 41, 43, 39, 42, 40, 37, 41, 45, 40, 21, 24, 22];
//! let series = MonthlyCounts::new("burglary", &months, &counts)?;
//! let ytd = year_to_date(&series, "2025-06".parse()?, 4, &ChangeOptions::default())?;
//! assert_eq!(ytd.describe("crimes"), "45.1% reduction (55 crimes): 67 in April to June 2025 against 122 in April to June 2024");
//!
//! let values: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
//! let chart = spc(SpcSeries::new(&values).with_months(&months), &SpcOptions::default())?;
//! let june = chart.points.last().unwrap();
//! assert!(june.special_cause);
//! assert_eq!(june.variation, Variation::Improvement);
//! # Ok::<(), crimeperf::Error>(())
//! ```
//!

//!
//! ```
//! let err = crimeperf::rate(12, 0.0).unwrap_err();
//! assert_eq!(err.to_string(), "population must be a finite number above zero, got 0");
//! ```

mod area;
mod category;
mod change;
mod confidence;
mod disclosure;
mod displacement;
pub mod distribution;
mod e_test;
mod error;
mod funnel;
mod indicator;
mod input;
mod option;
mod outcome;
mod peers;
mod period;
mod projection;
mod proportion;
mod rag;
mod rate;
mod rolling;
mod series;
mod similar;
pub mod spc;
mod standardised;
mod suggest;
mod survey;
mod target;
mod text;
mod year_to_date;

pub use area::{Area, AreaCode, AreaLevel};
pub use category::{Composite, CrimeCounts, CrimeType, OffenceGroup};
pub use change::{Change, ChangeOptions, Significance, DEFAULT_MIN_BASE};
pub use confidence::Confidence;
pub use disclosure::{suppress, SuppressedTable, Suppression, SuppressionOptions};
pub use displacement::{PrePost, Wdd, WddWeights, Wdq, WdqReading};
pub use e_test::{EStatistic, ETest, E_TEST_TRUNCATION};
pub use error::{Error, Result};
pub use funnel::{
    funnel, Adjustment, ControlLimits, Flag, Funnel, FunnelMethod, FunnelOptions, FunnelPoint,
    FunnelStatistic, LimitPair, Overdispersion,
};
pub use indicator::{Catalogue, Denominator, Indicator, TargetRule};
pub use input::MAX_COUNT;
pub use outcome::{Outcome, OutcomeGroup, SolvedDefinition};
pub use peers::{
    ordinal, rank_groups, rank_in_group, Bootstrap, GroupAverage, PeerGroup, PeerOptions, PeerRank,
    RankInterval, Verdict, MAX_REPLICATES,
};
pub use period::{
    check_monthly_series, CalendarYear, FinancialQuarter, FinancialYear, Month, MonthRange, Period,
    Quarter,
};
pub use projection::{
    project_year_end, HistoricalShare, Projection, ProjectionOptions, MAX_HISTORY_YEARS,
};
pub use proportion::{Proportion, ProportionChange};
pub use rag::{Rag, RagRule, RagStatus};
pub use rate::{rate, CountInterval, Rate, RateEstimator, RateMethod, EXACT_BELOW};
pub use rolling::{rolling_rates, rolling_sums, RollingSum};
pub use series::MonthlyCounts;
pub use similar::{similar_areas, Neighbour};
pub use standardised::StandardisedRatio;
pub use suggest::{closest_names, did_you_mean};
pub use survey::{SurveyChange, SurveyProportion};
pub use target::{target_value, Polarity, Rounding, Target};
pub use text::format_fixed;
pub use year_to_date::{year_to_date, year_to_date_range, YearToDate};
