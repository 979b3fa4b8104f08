//! Where an area stands among its most similar areas: its rank in the group, the group average
//! it is compared with, whether the difference is more than chance, and how certain the rank is.
//!
//! "Rochford placed 2nd out of 15 Local Authorities in its Most Similar Group for Domestic
//! Burglary with 1.344 crimes per 1,000 residents, against a group average of 2.270" is the
//! sentence strategic assessments copy from iQuanta. [`rank_in_group`] produces it, and adds what
//! the spreadsheet never had: a verdict from exact Poisson limits and a bootstrap rank interval.

use std::collections::HashSet;

use crate::option::option_enum;

use rand::SeedableRng;
use rand_pcg::Pcg64;
use serde::{Deserialize, Serialize};

use crate::distribution::poisson;
use crate::distribution::sampler::PoissonTable;
use crate::{input, text, Confidence, Error, Polarity, RateEstimator, RateMethod, Result};

option_enum! {
    /// Which group average an area is compared with.
    #[derive(Default)]
    GroupAverage, "group average", "mean, pooled" {
        /// The unweighted mean of the members' rates: every area counts once, whatever its size.
        /// This is the "group average" of the HMIC comparator and iQuanta.
        #[default]
        Mean => "mean",
        /// The pooled rate: the group's crimes over the group's population, so large areas weigh
        /// more. It is the rate of the group taken as one area.
        Pooled => "pooled",
    }
}

impl GroupAverage {
    /// How the average is named in a sentence: "group average" or "pooled group rate".
    fn phrase(self) -> &'static str {
        match self {
            GroupAverage::Mean => "group average",
            GroupAverage::Pooled => "pooled group rate",
        }
    }
}

option_enum! {
    /// How an area's count compares with the count the group average would give it.
    Verdict, "verdict", "significantly_lower, similar, significantly_higher" {
        /// The group average is above the upper confidence limit of the area's rate.
        SignificantlyLower => "significantly_lower",
        /// The group average is inside the area's confidence interval.
        Similar => "similar",
        /// The group average is below the lower confidence limit of the area's rate.
        SignificantlyHigher => "significantly_higher",
    }
}

impl Verdict {
    /// The verdict of `count` events against `expected` events at a confidence level.
    ///
    /// # Formula
    ///
    /// The Fingertips rule with exact (Garwood) limits: significantly higher when `expected` is
    /// below the lower limit `χ²(α/2; 2O)/2` of the observed count `O`, significantly lower when
    /// it is above the upper limit `χ²(1 − α/2; 2O + 2)/2`. Because `P(X ≥ O | E) = P(χ²_{2O} ≤
    /// 2E)`, this is the same as `O` falling outside the exact Poisson control limits around `E`
    /// (the funnel-plot view).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when `expected` is negative or not finite; the count is checked as
    /// every count is ([`Error::NegativeCount`], [`Error::CountTooLarge`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, Verdict};
    ///
    /// // scipy.stats.chi2.ppf(0.025, 2 * 40) / 2 = 28.58; chi2.ppf(0.975, 82) / 2 = 54.47
    /// assert_eq!(Verdict::of_count(40, 28.0, Confidence::NINETY_FIVE)?, Verdict::SignificantlyHigher);
    /// assert_eq!(Verdict::of_count(40, 29.0, Confidence::NINETY_FIVE)?, Verdict::Similar);
    /// assert_eq!(Verdict::of_count(40, 55.0, Confidence::NINETY_FIVE)?, Verdict::SignificantlyLower);
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn of_count(count: i64, expected: f64, confidence: Confidence) -> Result<Self> {
        let count = input::count("count", count)?;
        let expected = input::non_negative("expected count", expected)?;
        Ok(verdict(count, expected, confidence))
    }
}

fn verdict(count: u64, expected: f64, confidence: Confidence) -> Verdict {
    let (lower, upper) = poisson::garwood(count, confidence.tail());
    if expected < lower {
        Verdict::SignificantlyHigher
    } else if expected > upper {
        Verdict::SignificantlyLower
    } else {
        Verdict::Similar
    }
}

/// The most bootstrap replicates accepted: every area's draws are held at once (8 bytes per area
/// and replicate), and the quantiles of a rank settle long before this.
pub const MAX_REPLICATES: u32 = 100_000;

/// The seeded parametric bootstrap behind a rank interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bootstrap {
    /// How many simulated groups (1,000 by default; at most [`MAX_REPLICATES`]).
    pub replicates: u32,
    /// The seed: the same seed gives the same interval on every platform.
    pub seed: u64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap {
            replicates: 1000,
            seed: 0,
        }
    }
}

/// The options of a peer comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeerOptions {
    /// Rates are per this many of the population (1,000 by default).
    pub per: f64,
    /// Which direction is better: rank 1 is the lowest rate when lower is better.
    pub polarity: Polarity,
    /// The group average the area is compared with in the description.
    pub average: GroupAverage,
    /// The confidence level of the rate's interval and of the rank interval (95% by default).
    pub confidence: Confidence,
    /// The bootstrap of the rank interval, or `None` for no interval.
    pub rank_interval: Option<Bootstrap>,
}

impl Default for PeerOptions {
    fn default() -> Self {
        PeerOptions {
            per: 1000.0,
            polarity: Polarity::LowerIsBetter,
            average: GroupAverage::Mean,
            confidence: Confidence::NINETY_FIVE,
            rank_interval: Some(Bootstrap::default()),
        }
    }
}

/// The range of ranks an area takes in most simulated groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankInterval {
    /// The best rank in the interval (1 = best).
    pub lower: u32,
    /// The worst rank in the interval.
    pub upper: u32,
}

/// One area's standing in its group: rank, group averages, verdicts and rank interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerRank {
    /// The area ranked.
    pub area: String,
    /// Its count.
    pub count: u64,
    /// Its population.
    pub population: f64,
    /// The multiplier of every rate below (per 1,000 by default).
    pub per: f64,
    /// Its rate.
    pub rate: f64,
    /// Lower confidence limit of its rate (exact below 10 events, Byar above).
    pub lower: f64,
    /// Upper confidence limit of its rate.
    pub upper: f64,
    /// Competition rank in the group ("1224"): 1 = best by the polarity.
    pub rank: u32,
    /// True when another member has exactly the same rate ("joint 3rd").
    pub joint: bool,
    /// The number of areas in the group, the area itself included.
    pub group_size: u32,
    /// "2nd out of 15" or "joint 3rd out of 8".
    pub rank_text: String,
    /// The unweighted mean of the members' rates.
    pub group_mean: f64,
    /// The group's count over its population.
    pub group_pooled: f64,
    /// Which of the two the verdicts and the description use.
    pub average_used: GroupAverage,
    /// The count the area would have at the group average used.
    pub expected: f64,
    /// Verdict against the group average at 95%.
    pub verdict_95: Verdict,
    /// Verdict against the group average at 99.8%.
    pub verdict_998: Verdict,
    /// Which direction is better.
    pub polarity: Polarity,
    /// The confidence level of `lower`, `upper` and the rank interval.
    pub confidence: Confidence,
    /// The bootstrap rank interval, when asked for.
    pub rank_interval: Option<RankInterval>,
}

impl PeerRank {
    /// The group average the verdicts use ([`PeerRank::average_used`]).
    pub fn group_average(&self) -> f64 {
        match self.average_used {
            GroupAverage::Mean => self.group_mean,
            GroupAverage::Pooled => self.group_pooled,
        }
    }

    /// The committee sentence: "Rochford: 48.3 crimes per 1,000 residents, 2nd out of 15 in its
    /// group (between 1st and 3rd); significantly lower than the group average of 61.2".
    ///
    /// `unit` names the events ("crimes", "burglaries") and `population` the people counted
    /// ("residents", "households"). Rates are printed to one decimal place, half away from zero.
    ///
    /// # Examples
    ///
    /// See [`rank_in_group`].
    pub fn describe(&self, unit: &str, population: &str) -> String {
        let mut out = format!(
            "{}: {} {} per {} {}, {} in its group",
            self.area,
            text::format_fixed(self.rate, 1),
            unit,
            text::thousands(self.per),
            population,
            self.rank_text
        );
        if let Some(interval) = self.rank_interval {
            if interval.lower == interval.upper {
                out.push_str(&format!(" (firmly {})", ordinal(interval.lower)));
            } else {
                out.push_str(&format!(
                    " (between {} and {})",
                    ordinal(interval.lower),
                    ordinal(interval.upper)
                ));
            }
        }
        let relation = match self.verdict_95 {
            Verdict::SignificantlyLower => "significantly lower than",
            Verdict::Similar => "similar to",
            Verdict::SignificantlyHigher => "significantly higher than",
        };
        out.push_str(&format!(
            "; {relation} the {} of {}",
            self.average_used.phrase(),
            text::format_fixed(self.group_average(), 1)
        ));
        out
    }
}

/// An English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 111th.
///
/// # Examples
///
/// ```
/// assert_eq!(crimeperf::ordinal(2), "2nd");
/// assert_eq!(crimeperf::ordinal(12), "12th");
/// assert_eq!(crimeperf::ordinal(23), "23rd");
/// ```
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "2nd out of 15", or "joint 3rd out of 8" when another member shares the rate.
fn rank_text(rank: u32, joint: bool, size: u32) -> String {
    let joint = if joint { "joint " } else { "" };
    format!("{joint}{} out of {size}", ordinal(rank))
}

/// Ranks `focal` among the members of its group (the group includes it) on the rate
/// `counts / populations × per`, with the group averages, the verdicts and a rank interval.
///
/// One group at a time; [`rank_groups`] ranks every area of a table within its own group at
/// once, drawing each area's bootstrap counts once for all the groups it is in.
///
/// # Formula
///
/// * Rank: competition ranking ("1224"), 1 + the number of members with a better rate.
/// * Group mean: `Σ rᵢ / n`; pooled rate: `Σ cᵢ / Σ pᵢ × per`. Both lie between the lowest and
///   the highest member rate.
/// * Verdicts ([`Verdict::of_count`]): the area's count against its expected count
///   `average / per × population`, with exact Poisson limits at 95% and 99.8% (Fingertips).
/// * Rank interval: each replicate draws every area's count from a Poisson distribution with
///   the observed count as its mean (exactly, by inversion with IEEE arithmetic only, from a
///   PCG-64 stream seeded with [`Bootstrap::seed`]: area by area in the order given, all
///   replicates of one area before the next, so a seed gives the same interval on every
///   platform) and ranks the area again; the interval runs from the `α/2` to the `1 − α/2` quantile of
///   those ranks, widened where needed to include the observed rank (which it always contains).
///
/// # Errors
///
/// * [`Error::LengthMismatch`] when `counts` or `populations` do not have one value per area;
/// * [`Error::InArea`] naming the member whose count is negative or too large, or whose
///   population is not a finite number above zero;
/// * [`Error::DuplicateArea`] for a member listed twice; [`Error::AreaNotInGroup`] when `focal`
///   is not a member;
/// * [`Error::InvalidValue`] for a `per` that is not above zero or a bootstrap of no replicates or
///   more than [`MAX_REPLICATES`].
///
/// # Examples
///
/// ```
/// use crimeperf::{rank_in_group, PeerOptions, Verdict};
///
/// let areas = ["Rochford", "Castle Point", "Basildon", "Brentwood", "Maldon"];
/// let counts = [4208, 5100, 9800, 4400, 3900];
/// let populations = [87_200.0, 90_100.0, 187_600.0, 77_000.0, 65_700.0];
/// let rochford = rank_in_group("Rochford", &areas, &counts, &populations, &PeerOptions::default())?;
/// assert_eq!(rochford.rank_text, "1st out of 5");
/// assert_eq!(rochford.verdict_95, Verdict::SignificantlyLower);
/// assert_eq!(
///     rochford.describe("crimes", "residents"),
///     "Rochford: 48.3 crimes per 1,000 residents, 1st out of 5 in its group (firmly 1st); \
///      significantly lower than the group average of 54.7"
/// );
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn rank_in_group<S: AsRef<str>>(
    focal: &str,
    areas: &[S],
    counts: &[i64],
    populations: &[f64],
    options: &PeerOptions,
) -> Result<PeerRank> {
    let table = Table::new(areas, counts, populations, "group")?;
    let Some(position) = areas.iter().position(|a| a.as_ref() == focal) else {
        return Err(Error::AreaNotInGroup {
            area: focal.to_owned(),
            members: areas
                .iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let members: Vec<usize> = (0..areas.len()).collect();
    let estimator = estimator(options)?;
    let simulation = table.simulate(options)?;
    table.rank(position, &members, simulation.as_ref(), options, &estimator)
}

/// One area's group in a table of areas: the area and its peers, as positions in the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerGroup {
    /// The position of the area ranked.
    pub area: usize,
    /// The positions of its peers; the area itself is a member whether or not it is listed.
    pub peers: Vec<usize>,
}

/// Ranks every group's area within its group, all on one table of counts and populations: what
/// "every CSP ranked within its most similar group" needs, for one offence group per call.
///
/// The result is one [`PeerRank`] per group, in the order of `groups`, each exactly as
/// [`rank_in_group`] describes, except that the bootstrap draws every area of the table once
/// per replicate (areas in table order) and every group reads its members' draws from there, so
/// an area's simulated counts are the same in every group it belongs to.
///
/// # Errors
///
/// As [`rank_in_group`] (the table is checked as one group: an area listed twice is an error),
/// and [`Error::InvalidValue`] for a position that is not in the table; [`Error::DuplicateArea`]
/// for a peer listed twice in one group.
///
/// # Examples
///
/// ```
/// use crimeperf::{rank_groups, PeerGroup, PeerOptions};
///
/// let areas = ["A", "B", "C", "D"];
/// let counts = [40, 60, 55, 90];
/// let populations = [1_000.0, 1_000.0, 1_000.0, 1_000.0];
/// let groups = [
///     PeerGroup { area: 0, peers: vec![1, 2] },
///     PeerGroup { area: 3, peers: vec![1, 2] },
/// ];
/// let ranks = rank_groups(&areas, &counts, &populations, &groups, &PeerOptions::default())?;
/// assert_eq!(ranks[0].rank_text, "1st out of 3");
/// assert_eq!(ranks[1].rank_text, "3rd out of 3");
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn rank_groups<S: AsRef<str>>(
    areas: &[S],
    counts: &[i64],
    populations: &[f64],
    groups: &[PeerGroup],
    options: &PeerOptions,
) -> Result<Vec<PeerRank>> {
    let table = Table::new(areas, counts, populations, "table of areas")?;
    let mut checked = Vec::with_capacity(groups.len());
    for group in groups {
        let mut members = Vec::with_capacity(group.peers.len() + 1);
        members.push(table.position(group.area)?);
        for &peer in &group.peers {
            let peer = table.position(peer)?;
            if peer == group.area {
                continue;
            }
            if members.contains(&peer) {
                return Err(Error::DuplicateArea {
                    area: table.names[peer].clone(),
                    what: "group",
                });
            }
            members.push(peer);
        }
        checked.push((group.area, members));
    }
    let estimator = estimator(options)?;
    let simulation = table.simulate(options)?;
    checked
        .iter()
        .map(|(area, members)| table.rank(*area, members, simulation.as_ref(), options, &estimator))
        .collect()
}

/// The rate estimator of the options (which checks `per`), built once for every group.
fn estimator(options: &PeerOptions) -> Result<RateEstimator> {
    RateEstimator::new(options.per, options.confidence, RateMethod::Auto)
}

/// Checked counts and populations of a table of areas.
struct Table {
    names: Vec<String>,
    counts: Vec<u64>,
    populations: Vec<f64>,
}

/// Every area's simulated rate per head in every replicate, replicate-major.
struct Simulation {
    areas: usize,
    rates: Vec<f64>,
}

impl Table {
    fn new<S: AsRef<str>>(
        areas: &[S],
        counts: &[i64],
        populations: &[f64],
        what: &'static str,
    ) -> Result<Self> {
        input::same_length("counts", areas.len(), counts.len())?;
        input::same_length("populations", areas.len(), populations.len())?;
        let mut seen = HashSet::with_capacity(areas.len());
        let mut table = Table {
            names: Vec::with_capacity(areas.len()),
            counts: Vec::with_capacity(areas.len()),
            populations: Vec::with_capacity(areas.len()),
        };
        for ((area, &count), &population) in areas.iter().zip(counts).zip(populations) {
            let area = area.as_ref();
            if !seen.insert(area) {
                return Err(Error::DuplicateArea {
                    area: area.to_owned(),
                    what,
                });
            }
            table
                .counts
                .push(input::in_area(area, input::count("count", count))?);
            table.populations.push(input::in_area(
                area,
                input::denominator("population", population),
            )?);
            table.names.push(area.to_owned());
        }
        Ok(table)
    }

    fn position(&self, index: usize) -> Result<usize> {
        if index < self.names.len() {
            Ok(index)
        } else {
            Err(Error::InvalidValue {
                what: "group member position",
                reason: "must be below the number of areas in the table",
                value: index as f64,
            })
        }
    }

    /// The bootstrap draws, when a rank interval is asked for.
    fn simulate(&self, options: &PeerOptions) -> Result<Option<Simulation>> {
        let Some(bootstrap) = options.rank_interval else {
            return Ok(None);
        };
        if bootstrap.replicates == 0 || bootstrap.replicates > MAX_REPLICATES {
            return Err(Error::InvalidValue {
                what: "bootstrap replicates",
                reason: "must be from 1 to 100,000",
                value: f64::from(bootstrap.replicates),
            });
        }
        let mut rng = Pcg64::seed_from_u64(bootstrap.seed);
        let areas = self.counts.len();
        let replicates = bootstrap.replicates as usize;
        let mut rates = vec![0.0; areas * replicates];
        // Area by area (in table order), every replicate's draw of that area.
        for (i, (&count, &population)) in self.counts.iter().zip(&self.populations).enumerate() {
            let table = PoissonTable::new(count as f64);
            for replicate in 0..replicates {
                rates[replicate * areas + i] = table.sample(&mut rng) as f64 / population;
            }
        }
        Ok(Some(Simulation { areas, rates }))
    }

    /// Ranks `focal` within `members` (positions in the table, `focal` among them).
    fn rank(
        &self,
        focal: usize,
        members: &[usize],
        simulation: Option<&Simulation>,
        options: &PeerOptions,
        estimator: &RateEstimator,
    ) -> Result<PeerRank> {
        let per = options.per;
        // Rates per head, compared as one division each so that scaling every count and
        // population by the same whole factor cannot change an order or a tie.
        let unit = |i: usize| self.counts[i] as f64 / self.populations[i];
        let own = unit(focal);
        let better = members
            .iter()
            .filter(|&&i| options.polarity.improved(unit(i), own))
            .count();
        let joint = members.iter().any(|&i| i != focal && unit(i) == own);
        let rank = better as u32 + 1;
        let size = members.len() as u32;

        let (lowest, highest) = members
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &i| {
                (lo.min(unit(i)), hi.max(unit(i)))
            });
        // Rounding can put a sum a unit in the last place outside the members' range.
        let mean = (members.iter().map(|&i| unit(i)).sum::<f64>() / members.len() as f64)
            .clamp(lowest, highest);
        let (total_count, total_population) = members.iter().fold((0.0, 0.0), |(c, p), &i| {
            (c + self.counts[i] as f64, p + self.populations[i])
        });
        let pooled = (total_count / total_population).clamp(lowest, highest);
        let average = match options.average {
            GroupAverage::Mean => mean,
            GroupAverage::Pooled => pooled,
        };
        let (count, population) = (self.counts[focal], self.populations[focal]);
        let expected = average * population;

        let rate = estimator.rate(count as i64, population)?;
        let rank_interval = simulation.map(|simulation| {
            let (lower, upper) = simulation.interval(focal, members, options);
            RankInterval {
                lower: lower.min(rank),
                upper: upper.max(rank),
            }
        });

        Ok(PeerRank {
            area: self.names[focal].clone(),
            count,
            population,
            per,
            rate: rate.value,
            lower: rate.lower,
            upper: rate.upper,
            rank,
            joint,
            group_size: size,
            rank_text: rank_text(rank, joint, size),
            group_mean: mean * per,
            group_pooled: pooled * per,
            average_used: options.average,
            expected,
            verdict_95: verdict(count, expected, Confidence::NINETY_FIVE),
            verdict_998: verdict(count, expected, Confidence::NINETY_NINE_POINT_EIGHT),
            polarity: options.polarity,
            confidence: options.confidence,
            rank_interval,
        })
    }
}

impl Simulation {
    /// The `α/2` and `1 − α/2` quantiles of the focal area's rank over the replicates.
    fn interval(&self, focal: usize, members: &[usize], options: &PeerOptions) -> (u32, u32) {
        // Ranks run from 1 to the group size, so a tally replaces a sort.
        let mut tally = vec![0usize; members.len() + 1];
        for replicate in self.rates.chunks_exact(self.areas) {
            let own = replicate[focal];
            let better = members
                .iter()
                .filter(|&&i| options.polarity.improved(replicate[i], own))
                .count();
            tally[better + 1] += 1;
        }
        let n = self.rates.len() / self.areas;
        let tail = options.confidence.tail();
        // The 0-based positions of the quantiles in the sorted ranks.
        let low = ((tail * n as f64).floor() as usize).min(n - 1);
        let high = (((1.0 - tail) * n as f64).ceil() as usize).clamp(1, n) - 1;
        let at = |position: usize| {
            let mut seen = 0;
            for (rank, &count) in tally.iter().enumerate() {
                seen += count;
                if seen > position {
                    return rank as u32;
                }
            }
            members.len() as u32
        };
        (at(low), at(high))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn ordinals() {
        let cases = [
            (1, "1st"),
            (2, "2nd"),
            (3, "3rd"),
            (4, "4th"),
            (11, "11th"),
            (12, "12th"),
            (13, "13th"),
            (21, "21st"),
            (22, "22nd"),
            (101, "101st"),
            (111, "111th"),
            (112, "112th"),
        ];
        for (n, text) in cases {
            assert_eq!(ordinal(n), text);
        }
        assert_eq!(rank_text(3, true, 8), "joint 3rd out of 8");
        assert_eq!(rank_text(2, false, 15), "2nd out of 15");
    }

    #[test]
    fn ties_share_the_best_rank() -> Result<()> {
        let areas = ["A", "B", "C", "D"];
        // Rates 10, 20, 20, 30 per 1,000.
        let counts = [10, 20, 40, 30];
        let populations = [1000.0, 1000.0, 2000.0, 1000.0];
        let options = PeerOptions {
            rank_interval: None,
            ..PeerOptions::default()
        };
        let b = rank_in_group("B", &areas, &counts, &populations, &options)?;
        let c = rank_in_group("C", &areas, &counts, &populations, &options)?;
        let d = rank_in_group("D", &areas, &counts, &populations, &options)?;
        assert_eq!(
            (b.rank, b.joint, b.rank_text.as_str()),
            (2, true, "joint 2nd out of 4")
        );
        assert_eq!(c.rank, 2);
        assert_eq!(d.rank_text, "4th out of 4");
        let higher = PeerOptions {
            polarity: Polarity::HigherIsBetter,
            ..options
        };
        let d = rank_in_group("D", &areas, &counts, &populations, &higher)?;
        assert_eq!(d.rank, 1);
        // Mean of 10, 20, 20, 30 = 20; pooled 100 / 5,000 = 20 per 1,000.
        assert!((b.group_mean - 20.0).abs() < 1e-12);
        assert!((b.group_pooled - 20.0).abs() < 1e-12);
        Ok(())
    }

    #[test]
    fn averages_differ_and_say_which() -> Result<()> {
        let areas = ["A", "B"];
        let counts = [10, 300];
        let populations = [1000.0, 10_000.0];
        let options = PeerOptions {
            average: GroupAverage::Pooled,
            rank_interval: None,
            ..PeerOptions::default()
        };
        let a = rank_in_group("A", &areas, &counts, &populations, &options)?;
        // Mean (10 + 30) / 2 = 20; pooled 310 / 11,000 × 1,000 = 28.18.
        assert!((a.group_mean - 20.0).abs() < 1e-12);
        assert!((a.group_pooled - 310.0 / 11.0).abs() < 1e-12);
        assert_eq!(a.average_used, GroupAverage::Pooled);
        assert!((a.expected - 310.0 / 11.0).abs() < 1e-9);
        // 10 crimes against 28.2 expected: exact 95% limits of 10 are 4.80 to 18.39
        // (scipy.stats.chi2.ppf([0.025, 0.975], [20, 22]) / 2), 99.8% 2.96 to 23.92.
        assert_eq!(a.verdict_95, Verdict::SignificantlyLower);
        assert_eq!(a.verdict_998, Verdict::SignificantlyLower);
        assert!(a
            .describe("crimes", "residents")
            .ends_with("significantly lower than the pooled group rate of 28.2"));
        Ok(())
    }

    #[test]
    fn errors_name_the_area() {
        let options = PeerOptions::default();
        let err = rank_in_group("A", &["A", "B"], &[1, -2], &[10.0, 10.0], &options).unwrap_err();
        assert_eq!(
            err.to_string(),
            "area B: count must not be negative, got -2"
        );
        let err = rank_in_group("A", &["A", "B"], &[1, 2], &[10.0, 0.0], &options).unwrap_err();
        assert_eq!(
            err.to_string(),
            "area B: population must be a finite number above zero, got 0"
        );
        let err = rank_in_group("C", &["A", "B"], &[1, 2], &[10.0, 1.0], &options).unwrap_err();
        assert_eq!(
            err.to_string(),
            "area C is not in its own group; the group is: A, B"
        );
        let err = rank_in_group("A", &["A", "A"], &[1, 2], &[10.0, 1.0], &options).unwrap_err();
        assert!(matches!(err, Error::DuplicateArea { .. }));
        let err = rank_in_group("A", &["A", "B"], &[1], &[10.0, 1.0], &options).unwrap_err();
        assert_eq!(err.to_string(), "counts has 1 values but there are 2 areas");
    }

    #[test]
    fn bootstrap_is_reproducible_and_widens_with_small_counts() -> Result<()> {
        let areas = ["A", "B", "C", "D", "E"];
        let populations = [1000.0; 5];
        let options = PeerOptions::default();
        let small = rank_in_group("C", &areas, &[3, 4, 5, 6, 7], &populations, &options)?;
        let again = rank_in_group("C", &areas, &[3, 4, 5, 6, 7], &populations, &options)?;
        assert_eq!(small.rank_interval, again.rank_interval);
        let interval = small.rank_interval.ok_or(Error::InvalidConfidence(0.0))?;
        assert!(interval.lower <= 2 && interval.upper >= 4, "{interval:?}");
        let large = rank_in_group(
            "C",
            &areas,
            &[3000, 4000, 5000, 6000, 7000],
            &populations,
            &options,
        )?;
        assert_eq!(
            large.rank_interval,
            Some(RankInterval { lower: 3, upper: 3 })
        );
        // All zero: every replicate ties, every area is joint 1st.
        let zero = rank_in_group("C", &areas, &[0; 5], &populations, &options)?;
        assert_eq!(zero.rank_text, "joint 1st out of 5");
        assert_eq!(
            zero.rank_interval,
            Some(RankInterval { lower: 1, upper: 1 })
        );
        assert_eq!(zero.verdict_95, Verdict::Similar);
        Ok(())
    }

    #[test]
    fn labels_round_trip() -> Result<()> {
        for average in [GroupAverage::Mean, GroupAverage::Pooled] {
            assert_eq!(average.label().parse::<GroupAverage>()?, average);
        }
        for verdict in [
            Verdict::SignificantlyLower,
            Verdict::Similar,
            Verdict::SignificantlyHigher,
        ] {
            assert_eq!(verdict.label().parse::<Verdict>()?, verdict);
            assert_eq!(
                serde_json::to_string(&verdict).ok(),
                Some(format!("\"{}\"", verdict.label()))
            );
        }
        // Read as every option of the crate: case and surrounding space aside, one spelling.
        assert_eq!(" Mean ".parse::<GroupAverage>()?, GroupAverage::Mean);
        assert!("average".parse::<GroupAverage>().is_err());
        Ok(())
    }
}
