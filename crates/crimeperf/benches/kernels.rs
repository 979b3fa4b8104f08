//! Benchmarks of the crimeperf kernels.
//!
//! Inputs imitate a national frame of area-by-month counts: mostly counts in the tens to
//! thousands, with a tail of small counts where the exact methods take over.

use crimeperf::distribution::binomial::{self, Probability};
use crimeperf::{
    rank_groups, Change, Confidence, PeerGroup, PeerOptions, RateEstimator, RateMethod,
};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

const ROWS: usize = 100_000;

/// A deterministic spread of counts: 20% below 10, the rest log-uniform up to about 20,000.
fn counts() -> Vec<i64> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..ROWS)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            if u < 0.2 {
                (u * 50.0) as i64
            } else {
                (10.0 * (2000.0f64).powf((u - 0.2) / 0.8)) as i64
            }
        })
        .collect()
}

/// Pairs `(current, previous)` as a year-on-year comparison sees them: `previous ~ Poisson(m)`
/// and `current ~ Poisson(m u)`, with the mean `m` log-uniform on 0.5 to 5,000 and the change
/// `u` log-uniform on 0.8 to 1.25 (totals from 0 to about 11,000, median about 100).
fn year_on_year_pairs() -> Vec<(i64, i64)> {
    let mut state: u64 = 42;
    // SplitMix64, so that the benchmark sees the same pairs on every machine.
    let mut uniform = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    // Knuth's product method below a mean of 30; the rounded normal approximation above it,
    // which is all a benchmark input needs.
    fn poisson(mean: f64, uniform: &mut impl FnMut() -> f64) -> i64 {
        if mean < 30.0 {
            let limit = (-mean).exp();
            let (mut k, mut product) = (0, uniform());
            while product > limit {
                k += 1;
                product *= uniform();
            }
            k
        } else {
            let (u1, u2) = (uniform().max(1e-300), uniform());
            let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
            (mean + mean.sqrt() * z).round().max(0.0) as i64
        }
    }
    (0..ROWS)
        .map(|_| {
            let mean = 0.5 * 10_000f64.powf(uniform());
            let change = 0.8 * (1.25f64 / 0.8).powf(uniform());
            let previous = poisson(mean, &mut uniform);
            let current = poisson(mean * change, &mut uniform);
            (current, previous)
        })
        .collect()
}

fn rates(c: &mut Criterion) {
    let counts = counts();
    let populations: Vec<f64> = counts.iter().map(|k| 1_000.0 + 20.0 * *k as f64).collect();
    let mut group = c.benchmark_group("rate");
    group.throughput(Throughput::Elements(ROWS as u64));
    for method in [RateMethod::Auto, RateMethod::Byar, RateMethod::Exact] {
        let estimator =
            RateEstimator::new(1000.0, Confidence::default(), method).expect("valid options");
        group.bench_function(method.label(), |b| {
            b.iter(|| {
                let mut checksum = 0.0;
                for (count, population) in counts.iter().zip(&populations) {
                    let rate = estimator.rate(*count, *population).expect("valid rows");
                    checksum += rate.lower + rate.upper;
                }
                checksum
            })
        });
    }
    group.finish();
}

fn changes(c: &mut Criterion) {
    let current = counts();
    let previous: Vec<i64> = current.iter().rev().copied().collect();
    let mut group = c.benchmark_group("change");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("exact_test_p_value", |b| {
        let half = Probability::try_new(0.5).expect("a probability");
        b.iter_batched(
            || (),
            |()| {
                let mut checksum = 0.0;
                for (y1, y0) in current.iter().zip(&previous) {
                    let n = (*y1 + *y0) as u64;
                    if n > 0 {
                        checksum += binomial::two_sided_test(*y1 as u64, n, half);
                    }
                }
                checksum
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("full_change_with_intervals", |b| {
        b.iter(|| {
            let mut checksum = 0.0;
            for (y1, y0) in current.iter().zip(&previous) {
                let change = Change::new(*y1, *y0).expect("valid rows");
                checksum += change.p_value + change.lower;
            }
            checksum
        })
    });
    let pairs = year_on_year_pairs();
    group.bench_function("year_on_year_change", |b| {
        b.iter(|| {
            let mut checksum = 0.0;
            for (current, previous) in &pairs {
                let change = Change::new(*current, *previous).expect("valid rows");
                checksum += change.p_value + change.lower + change.upper.min(1e6);
            }
            checksum
        })
    });
    group.finish();
}

/// Every CSP ranked within its most similar group for every offence group: about 300 areas,
/// groups of 15 (the area and 14 others), 10 offence groups, each rank with its 1,000-replicate
/// bootstrap interval, so 3,000 rankings in all.
fn peer_ranks(c: &mut Criterion) {
    const AREAS: usize = 300;
    const GROUP: usize = 15;
    const OFFENCES: usize = 10;
    let mut state: u64 = 7;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let names: Vec<String> = (0..AREAS).map(|i| format!("E0700{i:04}")).collect();
    let populations: Vec<f64> = (0..AREAS)
        .map(|_| (50_000.0 + 250_000.0 * uniform()).round())
        .collect();
    // Offence groups from about 0.5 to 40 crimes per 1,000, each area's rate within a factor
    // of two of the offence's national rate.
    let counts: Vec<Vec<i64>> = (0..OFFENCES)
        .map(|offence| {
            let national = 0.5 * 80f64.powf(offence as f64 / (OFFENCES - 1) as f64) / 1000.0;
            populations
                .iter()
                .map(|p| (p * national * (0.5 + 1.5 * uniform())).round() as i64)
                .collect()
        })
        .collect();
    // Each area's group: itself and 14 others spread through the list (a stand-in for nearest
    // neighbours).
    let groups: Vec<PeerGroup> = (0..AREAS)
        .map(|a| PeerGroup {
            area: a,
            peers: (1..GROUP).map(|j| (a + j * 17) % AREAS).collect(),
        })
        .collect();
    let options = PeerOptions::default();
    let mut group = c.benchmark_group("peers");
    group.throughput(Throughput::Elements((AREAS * OFFENCES) as u64));
    group.bench_function("rank_every_area_every_offence_with_bootstrap", |b| {
        b.iter(|| {
            let mut checksum = 0u64;
            for offence in &counts {
                let ranks = rank_groups(&names, offence, &populations, &groups, &options)
                    .expect("valid groups");
                for rank in ranks {
                    checksum +=
                        u64::from(rank.rank) + rank.rank_interval.map_or(0, |r| u64::from(r.upper));
                }
            }
            checksum
        })
    });
    group.finish();
}

criterion_group! {
    name = kernels;
    config = Criterion::default().sample_size(10);
    targets = rates, changes, peer_ranks
}
criterion_main!(kernels);
