//! Peer groups, similar areas and overdispersion against values computed independently with
//! scipy (each call quoted beside its value), and the properties of issue #10 (proptest).

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use crimeperf::{
    funnel, rank_groups, rank_in_group, similar_areas, Adjustment, Bootstrap, Confidence,
    FunnelOptions, GroupAverage, PeerGroup, PeerOptions, Polarity, RankInterval,
};
use proptest::prelude::*;

// ----------------------------------------------------------------------------------------------
// Similar areas

/// Six areas, three variables (density, household size, median age).
const AREAS: [&str; 6] = ["A1", "A2", "A3", "A4", "A5", "A6"];
const DENSITY: [f64; 6] = [1200.0, 1150.0, 480.0, 3900.0, 2100.0, 760.0];
const HOUSEHOLD: [f64; 6] = [2.45, 2.40, 2.38, 2.31, 2.52, 2.36];
const AGE: [f64; 6] = [41.0, 44.5, 47.2, 38.9, 40.1, 45.8];

/// X = the three columns above; V = X.var(axis=0, ddof=1);
/// scipy.spatial.distance.cdist(X, X, "seuclidean", V=V)
const DISTANCES: [[f64; 6]; 6] = [
    [
        0.0,
        1.2417693112214967,
        2.1486464470373297,
        2.9431308088565227,
        1.2230801189801432,
        1.9107949359669274,
    ],
    [
        1.2417693112214967,
        0.0,
        1.0001153750228085,
        3.0113538974487644,
        2.224449712028366,
        0.7363689788441236,
    ],
    [
        2.1486464470373297,
        1.0001153750228085,
        0.0,
        3.7947961472221396,
        3.120353311123406,
        0.5443539404035601,
    ],
    [
        2.9431308088565227,
        3.0113538974487644,
        3.7947961472221396,
        0.0,
        3.2208412202976677,
        3.304115767554027,
    ],
    [
        1.2230801189801432,
        2.224449712028366,
        3.120353311123406,
        3.2208412202976677,
        0.0,
        2.9578614534398455,
    ],
    [
        1.9107949359669274,
        0.7363689788441236,
        0.5443539404035601,
        3.304115767554027,
        2.9578614534398455,
        0.0,
    ],
];

/// The same with weights w = [2, 1, 0.5]: cdist(X, X, "seuclidean", V=V / w)
const WEIGHTED: [[f64; 6]; 6] = [
    [
        0.0,
        1.0027136726529942,
        1.804901039716309,
        3.6199759974235675,
        1.405505555733081,
        1.6619565447445919,
    ],
    [
        1.0027136726529942,
        0.0,
        0.9825723891187604,
        3.53550977281833,
        2.161391693098505,
        0.7514800302874789,
    ],
    [
        1.804901039716309,
        0.9825723891187604,
        0.0,
        4.337306491075589,
        3.0316689885618904,
        0.5099753437417553,
    ],
    [
        3.6199759974235675,
        3.53550977281833,
        4.337306491075589,
        0.0,
        3.5172398639342024,
        3.885317070976538,
    ],
    [
        1.405505555733081,
        2.161391693098505,
        3.0316689885618904,
        3.5172398639342024,
        0.0,
        2.9092142296279997,
    ],
    [
        1.6619565447445919,
        0.7514800302874789,
        0.5099753437417553,
        3.885317070976538,
        2.9092142296279997,
        0.0,
    ],
];

/// The expected groups from a distance matrix: numpy.argsort of each row (own area removed),
/// ties by code, first k; similarity scaled over the off-diagonal minimum and maximum.
fn check_against(matrix: &[[f64; 6]; 6], weights: Option<&[f64]>) {
    let k = 3;
    let columns = [&DENSITY[..], &HOUSEHOLD[..], &AGE[..]];
    let groups = similar_areas(
        &AREAS,
        &["density", "household", "age"],
        &columns,
        k,
        weights,
    )
    .unwrap();
    assert_eq!(groups.len(), AREAS.len() * k);
    let off: Vec<f64> = (0..6)
        .flat_map(|a| (0..6).filter(move |&b| b != a).map(move |b| matrix[a][b]))
        .collect();
    let lo = off.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = off.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for (a, area) in AREAS.iter().enumerate() {
        let mut order: Vec<usize> = (0..6).filter(|&b| b != a).collect();
        order.sort_by(|&x, &y| {
            matrix[a][x]
                .total_cmp(&matrix[a][y])
                .then(AREAS[x].cmp(AREAS[y]))
        });
        let mine: Vec<_> = groups.iter().filter(|n| n.area == *area).collect();
        for (rank, (&b, neighbour)) in order.iter().zip(&mine).enumerate() {
            assert_eq!(neighbour.peer, AREAS[b], "{area} rank {}", rank + 1);
            assert_eq!(neighbour.peer_rank as usize, rank + 1);
            assert!((neighbour.distance - matrix[a][b]).abs() < 1e-12 * matrix[a][b].max(1.0));
            let similarity = 1.0 - (matrix[a][b] - lo) / (hi - lo);
            assert!((neighbour.similarity - similarity).abs() < 1e-12);
        }
    }
    let closest = groups.iter().map(|n| n.similarity).fold(0.0, f64::max);
    assert!((closest - 1.0).abs() < 1e-15);
}

#[test]
fn similar_areas_match_scipy_cdist() {
    check_against(&DISTANCES, None);
    check_against(&WEIGHTED, Some(&[2.0, 1.0, 0.5]));
}

// ----------------------------------------------------------------------------------------------
// Overdispersion

/// Twelve areas whose rates vary far more than Poisson noise allows.
const COUNTS: [f64; 12] = [
    52.0, 81.0, 130.0, 47.0, 220.0, 95.0, 61.0, 150.0, 33.0, 180.0, 70.0, 105.0,
];
const POPULATIONS: [f64; 12] = [
    1000.0, 1200.0, 2500.0, 900.0, 3000.0, 2100.0, 800.0, 2600.0, 1100.0, 2400.0, 1500.0, 1700.0,
];

#[test]
fn overdispersion_matches_the_published_formulas() {
    let areas: Vec<String> = (1..=12).map(|i| format!("area {i}")).collect();
    let options = FunnelOptions {
        overdispersion: true,
        ..FunnelOptions::default()
    };
    let plot = funnel(&areas, &COUNTS, &POPULATIONS, &options).unwrap();
    let test = plot.overdispersion.unwrap();
    // In plain numpy: theta = c.sum() / n.sum(); s = sqrt(theta / n); z = (c / n - theta) / s;
    // k = int(0.1 * 12); zs = sort(z); zw = clip(z, zs[k], zs[11 - k]); phi = mean(zw ** 2);
    // chi = 12 * phi; p = scipy.stats.chi2.sf(chi, 11); w = 1 / s ** 2;
    // tau2 = max(0, (chi - 11) / (w.sum() - (w ** 2).sum() / w.sum()))
    assert!((plot.limits.benchmark - 58.84615384615385).abs() < 1e-12);
    assert!((test.phi - 3.9742958920342626).abs() < 1e-12);
    assert!((test.chi_square - 47.69155070441115).abs() < 1e-11);
    assert_eq!(test.degrees_of_freedom, 11);
    assert!((test.p_value / 1.6202740587627264e-06 - 1.0).abs() < 1e-9);
    assert!((test.tau2 / 0.00011509009805289131 - 1.0).abs() < 1e-12);
    assert_eq!(plot.adjustment, Adjustment::Additive);
    // The exact limits at area 1's population (E = theta * 1000): the O with
    // gammaincc(O + 1, E) = 0.025 and gammainc(O, E) = 0.025 (scipy.optimize.brentq), per 1,000:
    // 43.806558473087804 and 74.83521996433338; widened by sqrt(1 + tau2 / s²):
    // 32.98950934897012 and 86.33516456782002.
    let first = &plot.points[0].limits[0];
    assert!(
        (first.lower / 32.98950934897012 - 1.0).abs() < 1e-9,
        "{first:?}"
    );
    assert!(
        (first.upper / 86.33516456782002 - 1.0).abs() < 1e-9,
        "{first:?}"
    );
    let plain = plot.limits;
    let plain = crimeperf::ControlLimits { tau2: 0.0, ..plain };
    let (lower, upper) = plain.at(1000.0, Confidence::NINETY_FIVE).unwrap();
    assert!((lower / 43.806558473087804 - 1.0).abs() < 1e-9);
    assert!((upper / 74.83521996433338 - 1.0).abs() < 1e-9);
}

#[test]
fn exact_binomial_limits_match_scipy() {
    // n = 250, θ = 0.3: the real x with scipy.special.betainc(n - x, x + 1, 1 - θ) = tail
    // (lower) and betainc(x, n - x + 1, θ) = tail (upper), by scipy.optimize.brentq, over n.
    let limits = crimeperf::ControlLimits::new(
        crimeperf::FunnelStatistic::Proportion,
        crimeperf::FunnelMethod::Exact,
        0.3,
        1.0,
    )
    .unwrap();
    let (lower, upper) = limits.at(250.0, Confidence::NINETY_FIVE).unwrap();
    assert!((lower / 0.24202280802113557 - 1.0).abs() < 1e-9, "{lower}");
    assert!((upper / 0.3594972228830047 - 1.0).abs() < 1e-9, "{upper}");
    let (lower, upper) = limits
        .at(250.0, Confidence::NINETY_NINE_POINT_EIGHT)
        .unwrap();
    assert!((lower / 0.21103126391045077 - 1.0).abs() < 1e-9, "{lower}");
    assert!((upper / 0.39355590556132863 - 1.0).abs() < 1e-9, "{upper}");
}

#[test]
fn no_adjustment_without_evidence() {
    // Counts close to their expected values: phi well below 1.
    let areas = ["A", "B", "C", "D", "E"];
    let counts = [50.0, 101.0, 149.0, 201.0, 250.0];
    let populations = [1000.0, 2000.0, 3000.0, 4000.0, 5000.0];
    let options = FunnelOptions {
        overdispersion: true,
        ..FunnelOptions::default()
    };
    let plot = funnel(&areas, &counts, &populations, &options).unwrap();
    assert_eq!(plot.adjustment, Adjustment::NoEvidence);
    assert_eq!(plot.limits.tau2, 0.0);
    assert!(plot.overdispersion.unwrap().phi < 1.0);
}

// ----------------------------------------------------------------------------------------------
// Peer ranks

#[test]
fn rank_interval_is_reproducible_for_a_seed() {
    // Pinned so that a change of generator, sampler or draw order is noticed: these must be the
    // same on every platform (PCG-64 and the core's Poisson inversion in IEEE arithmetic).
    let areas = ["A", "B", "C", "D", "E", "F", "G", "H"];
    let counts = [12, 15, 9, 20, 14, 11, 30, 8];
    let populations = [10_000.0; 8];
    let options = PeerOptions {
        rank_interval: Some(Bootstrap {
            replicates: 2000,
            seed: 42,
        }),
        ..PeerOptions::default()
    };
    let a = rank_in_group("A", &areas, &counts, &populations, &options).unwrap();
    let again = rank_in_group("A", &areas, &counts, &populations, &options).unwrap();
    assert_eq!(a, again);
    assert_eq!(a.rank, 4);
    assert_eq!(a.rank_interval, Some(RankInterval { lower: 1, upper: 7 }));
    let g = rank_in_group("G", &areas, &counts, &populations, &options).unwrap();
    assert_eq!(
        (g.rank, g.rank_interval),
        (8, Some(RankInterval { lower: 7, upper: 8 }))
    );
    let d = rank_in_group("D", &areas, &counts, &populations, &options).unwrap();
    assert_eq!(
        (d.rank, d.rank_interval),
        (7, Some(RankInterval { lower: 4, upper: 8 }))
    );
}

#[test]
fn rank_groups_checks_positions() {
    let areas = ["A", "B", "C"];
    let options = PeerOptions::default();
    let out_of_range = [PeerGroup {
        area: 0,
        peers: vec![3],
    }];
    let err = rank_groups(&areas, &[1, 2, 3], &[10.0; 3], &out_of_range, &options).unwrap_err();
    assert_eq!(
        err.to_string(),
        "group member position must be below the number of areas in the table, got 3"
    );
    let twice = [PeerGroup {
        area: 0,
        peers: vec![1, 1],
    }];
    let err = rank_groups(&areas, &[1, 2, 3], &[10.0; 3], &twice, &options).unwrap_err();
    assert_eq!(
        err.to_string(),
        "area B appears more than once in the group"
    );
    // The area listed among its own peers is counted once.
    let itself = [PeerGroup {
        area: 0,
        peers: vec![0, 2],
    }];
    let ranks = rank_groups(&areas, &[1, 2, 3], &[10.0; 3], &itself, &options).unwrap();
    assert_eq!(ranks[0].group_size, 2);
}

fn group() -> impl Strategy<Value = (Vec<i64>, Vec<f64>)> {
    (2usize..12).prop_flat_map(|n| {
        (
            prop::collection::vec(0i64..500, n),
            prop::collection::vec(100u32..100_000, n)
                .prop_map(|p| p.into_iter().map(f64::from).collect()),
        )
    })
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("E0700{i:04}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn group_averages_lie_between_the_extreme_rates((counts, populations) in group(), pooled in any::<bool>()) {
        let areas = names(counts.len());
        let options = PeerOptions {
            average: if pooled { GroupAverage::Pooled } else { GroupAverage::Mean },
            rank_interval: None,
            ..PeerOptions::default()
        };
        let rank = rank_in_group(&areas[0], &areas, &counts, &populations, &options).unwrap();
        let rates: Vec<f64> = counts.iter().zip(&populations).map(|(&c, &p)| c as f64 / p * 1000.0).collect();
        let lo = rates.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let slack = 1e-12 * hi.max(1.0);
        for average in [rank.group_mean, rank.group_pooled] {
            prop_assert!(average >= lo - slack && average <= hi + slack, "{average} outside {lo}..{hi}");
        }
    }

    #[test]
    fn scaling_keeps_the_ranks((counts, populations) in group(), factor in 2i64..50, higher in any::<bool>()) {
        let areas = names(counts.len());
        let options = PeerOptions {
            polarity: if higher { Polarity::HigherIsBetter } else { Polarity::LowerIsBetter },
            rank_interval: None,
            ..PeerOptions::default()
        };
        let scaled_counts: Vec<i64> = counts.iter().map(|c| c * factor).collect();
        let scaled_populations: Vec<f64> = populations.iter().map(|p| p * factor as f64).collect();
        for area in &areas {
            let before = rank_in_group(area, &areas, &counts, &populations, &options).unwrap();
            let after = rank_in_group(area, &areas, &scaled_counts, &scaled_populations, &options).unwrap();
            prop_assert_eq!(before.rank, after.rank);
            prop_assert_eq!(before.joint, after.joint);
        }
    }

    #[test]
    fn the_point_rank_lies_in_its_interval((counts, populations) in group(), seed in any::<u64>()) {
        let areas = names(counts.len());
        let options = PeerOptions {
            rank_interval: Some(Bootstrap { replicates: 200, seed }),
            ..PeerOptions::default()
        };
        for area in &areas {
            let rank = rank_in_group(area, &areas, &counts, &populations, &options).unwrap();
            let interval = rank.rank_interval.unwrap();
            prop_assert!(interval.lower <= rank.rank && rank.rank <= interval.upper);
            prop_assert!(interval.upper <= rank.group_size);
        }
    }

    #[test]
    fn ranking_all_groups_at_once_agrees_with_one_at_a_time(
        (counts, populations) in group(),
        picks in prop::collection::vec(prop::collection::vec(any::<prop::sample::Index>(), 1..6), 1..6),
    ) {
        let areas = names(counts.len());
        let options = PeerOptions { rank_interval: Some(Bootstrap { replicates: 50, seed: 3 }), ..PeerOptions::default() };
        let groups: Vec<PeerGroup> = picks
            .iter()
            .map(|pick| {
                let mut members: Vec<usize> = pick.iter().map(|i| i.index(counts.len())).collect();
                members.sort_unstable();
                members.dedup();
                PeerGroup { area: members[0], peers: members[1..].to_vec() }
            })
            .collect();
        let all = rank_groups(&areas, &counts, &populations, &groups, &options).unwrap();
        prop_assert_eq!(all.len(), groups.len());
        for (group, rank) in groups.iter().zip(&all) {
            let mut members = vec![group.area];
            members.extend(&group.peers);
            let names: Vec<&str> = members.iter().map(|&i| areas[i].as_str()).collect();
            let c: Vec<i64> = members.iter().map(|&i| counts[i]).collect();
            let p: Vec<f64> = members.iter().map(|&i| populations[i]).collect();
            let one = rank_in_group(&areas[group.area], &names, &c, &p, &options).unwrap();
            prop_assert_eq!(rank.rank, one.rank);
            prop_assert_eq!(&rank.rank_text, &one.rank_text);
            prop_assert_eq!(rank.group_mean, one.group_mean);
            prop_assert_eq!(rank.verdict_95, one.verdict_95);
            let interval = rank.rank_interval.unwrap();
            prop_assert!(interval.lower <= rank.rank && rank.rank <= interval.upper);
        }
    }

    #[test]
    fn an_area_is_never_its_own_neighbour(
        values in prop::collection::vec((-1e3f64..1e3, -1e3f64..1e3), 4..20),
        k in 1usize..4,
    ) {
        let areas = names(values.len());
        let x: Vec<f64> = values.iter().map(|v| v.0).collect();
        let y: Vec<f64> = values.iter().map(|v| v.1).collect();
        prop_assume!(x.iter().any(|&v| v != x[0]) && y.iter().any(|&v| v != y[0]));
        let groups = similar_areas(&areas, &["x", "y"], &[&x[..], &y[..]], k, None).unwrap();
        prop_assert_eq!(groups.len(), areas.len() * k);
        for neighbour in &groups {
            prop_assert_ne!(&neighbour.area, &neighbour.peer);
            prop_assert!((0.0..=1.0).contains(&neighbour.similarity));
        }
    }

    #[test]
    fn limits_contain_the_benchmark_and_widen_with_confidence(
        benchmark in 0.001f64..0.999,
        denominator in 1.0f64..1e6,
        statistic in 0usize..3,
        wilson in any::<bool>(),
    ) {
        use crimeperf::{ControlLimits, FunnelMethod, FunnelStatistic};
        let statistic = [FunnelStatistic::Rate, FunnelStatistic::Proportion, FunnelStatistic::Ratio][statistic];
        let method = if wilson && statistic == FunnelStatistic::Proportion { FunnelMethod::Wilson } else { FunnelMethod::Exact };
        let limits = ControlLimits::new(statistic, method, benchmark * 100.0, 100.0).unwrap();
        let (l95, u95) = limits.at(denominator, Confidence::NINETY_FIVE).unwrap();
        let (l998, u998) = limits.at(denominator, Confidence::NINETY_NINE_POINT_EIGHT).unwrap();
        let slack = 1e-9 * benchmark * 100.0;
        prop_assert!(l998 <= l95 + slack && u95 <= u998 + slack, "{l998} {l95} {u95} {u998}");
        prop_assert!(l95 <= benchmark * 100.0 + slack && benchmark * 100.0 <= u95 + slack, "{l95} {u95}");
    }

    #[test]
    fn overdispersion_never_narrows_the_limits(
        rows in prop::collection::vec((0u32..400, 200u32..20_000), 3..25),
        proportion in any::<bool>(),
    ) {
        let areas = names(rows.len());
        let numerators: Vec<f64> = rows.iter().map(|r| f64::from(r.0.min(r.1))).collect();
        let denominators: Vec<f64> = rows.iter().map(|r| f64::from(r.1)).collect();
        prop_assume!(numerators.iter().any(|&c| c > 0.0));
        let statistic = if proportion { crimeperf::FunnelStatistic::Proportion } else { crimeperf::FunnelStatistic::Rate };
        let plain = FunnelOptions { statistic, ..FunnelOptions::default() };
        let adjusted = FunnelOptions { overdispersion: true, ..plain.clone() };
        let before = funnel(&areas, &numerators, &denominators, &plain).unwrap();
        let after = funnel(&areas, &numerators, &denominators, &adjusted).unwrap();
        for (b, a) in before.points.iter().zip(&after.points) {
            for (lb, la) in b.limits.iter().zip(&a.limits) {
                prop_assert!(la.lower <= lb.lower && la.upper >= lb.upper, "{lb:?} -> {la:?}");
                prop_assert!(lb.lower <= lb.upper);
            }
        }
    }
}
