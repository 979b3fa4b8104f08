//! The one worker pool of the crate: items handed out one at a time to a few scoped threads,
//! each with its own scratch state, results returned in item order.
//!
//! Used for parsing files (each worker reuses one read buffer) and for the shards of the repeated
//! Crime ID search. polars' own thread pool is not used: its tasks may not hold a worker for the
//! seconds a large file takes, and this keeps the thread count the caller's to choose.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work(&mut state, i)` for every `i` below `count` on up to `threads` threads, each
/// thread starting from `init()`; returns the results in order of `i`. A panic in a worker is
/// passed on to the caller.
pub(crate) fn in_parallel<S, T: Send>(
    count: usize,
    threads: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize) -> T + Sync,
) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(count).max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut state = init();
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            break mine;
                        }
                        mine.push((i, work(&mut state, i)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, value)| value).collect()
}

#[cfg(test)]
mod tests {
    use super::in_parallel;

    #[test]
    fn results_come_back_in_order_with_per_worker_state() {
        for threads in [1, 2, 5] {
            let out = in_parallel(
                100,
                threads,
                || 0usize,
                |calls, i| {
                    *calls += 1;
                    i * 2
                },
            );
            assert_eq!(out, (0..100).map(|i| i * 2).collect::<Vec<_>>());
        }
        assert!(in_parallel(0, 4, || (), |_, i| i).is_empty());
    }
}
