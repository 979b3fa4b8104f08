//! Benchmarks of the crimeperf kernels.
//!
//! Inputs imitate a national frame of area-by-month counts: mostly counts in the tens to
//! thousands, with a tail of small counts where the exact methods take over.

use crimeperf::distribution::binomial::{self, Probability};
use crimeperf::{Change, Confidence, RateEstimator, RateMethod};
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
        let half = Probability::new(0.5);
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
    group.finish();
}

criterion_group! {
    name = kernels;
    config = Criterion::default().sample_size(10);
    targets = rates, changes
}
criterion_main!(kernels);
