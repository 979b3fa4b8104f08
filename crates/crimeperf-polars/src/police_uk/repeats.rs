//! Finding repeated Crime IDs across the frames of every file, in parallel.
//!
//! A national download has tens of millions of rows and a handful of repeated IDs, so the work is
//! one hash-table lookup per row. It is split two ways: each file's IDs are hashed on the worker
//! threads, and the table itself is sharded by the hash, each thread keeping the IDs of its own
//! shard (a repeated ID always lands in the same shard as its first copy). The tables hold the
//! 64-bit hashes, not the IDs, so they stay small; equal hashes are confirmed by comparing the
//! IDs, and the rare different IDs that share a hash are kept in an exact table beside it.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use polars::prelude::{PlHashMap, PlRandomState, StringChunked};

use crate::parallel::in_parallel;

/// A row: (frame, row in the frame).
pub(crate) type Row = (usize, usize);

/// Keys that are hashes already: used as they are.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed with this hasher; fold anything else in all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// Hash values of the non-null IDs, with 0 standing for a null (real hashes have their low bit
/// set, so none is 0).
fn hashes(ids: &StringChunked, state: &PlRandomState) -> Vec<u64> {
    ids.iter()
        .map(|id| id.map_or(0, |id| state.hash_one(id) | 1))
        .collect()
}

/// Every copy of a repeated ID after its first, as `(first, copy)`, copies in reading order
/// (frame by frame, row by row).
pub(crate) fn repeated_ids(ids: &[&StringChunked], threads: usize) -> Vec<(Row, Row)> {
    let threads = threads.max(1);
    let state = PlRandomState::default();
    let hashed: Vec<Vec<u64>> =
        in_parallel(ids.len(), threads, || (), |_, f| hashes(ids[f], &state));
    let rows: usize = hashed.iter().map(Vec::len).sum();
    let shards = threads as u64;
    let mut pairs: Vec<(Row, Row)> = in_parallel(
        threads,
        threads,
        || (),
        |_, shard| {
            let mut first: HashMap<u64, Row, BuildHasherDefault<Identity>> =
                HashMap::with_capacity_and_hasher(rows / threads + 16, Default::default());
            // IDs whose hash another ID had first.
            let mut colliding: PlHashMap<&str, Row> = PlHashMap::default();
            let mut found = Vec::new();
            for (f, frame) in hashed.iter().enumerate() {
                for (row, &hash) in frame.iter().enumerate() {
                    // Shard on middle bits: the table indexes by the low ones.
                    if hash == 0 || (hash >> 32) % shards != shard as u64 {
                        continue;
                    }
                    let here = (f, row);
                    match first.get(&hash) {
                        None => {
                            first.insert(hash, here);
                        }
                        Some(&earlier) => {
                            let id = ids[f].get(row).unwrap_or("");
                            if ids[earlier.0].get(earlier.1) == Some(id) {
                                found.push((earlier, here));
                            } else {
                                match colliding.get(id) {
                                    Some(&earlier) => found.push((earlier, here)),
                                    None => {
                                        colliding.insert(id, here);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            found
        },
    )
    .into_iter()
    .flatten()
    .collect();
    pairs.sort_by_key(|&(_, copy)| copy);
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    #[test]
    fn finds_every_repeat_across_frames_in_reading_order() {
        let a = StringChunked::from_iter_options(
            "id".into(),
            [Some("x"), None, Some("y"), Some("x")].into_iter(),
        );
        let b = StringChunked::from_iter_options(
            "id".into(),
            [None, Some("y"), Some("z"), Some("x")].into_iter(),
        );
        for threads in [1, 2, 3] {
            let pairs = repeated_ids(&[&a, &b], threads);
            assert_eq!(
                pairs,
                [((0, 0), (0, 3)), ((0, 2), (1, 1)), ((0, 0), (1, 3))],
                "{threads} threads"
            );
        }
    }
}
