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

use polars::prelude::{PlHashMap, PlRandomState};

use super::compact::{IdKey, Ids};

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
fn hashes(ids: &Ids, state: &PlRandomState) -> Vec<u64> {
    (0..ids.len())
        .map(|row| ids.key(row).map_or(0, |id| state.hash_one(id) | 1))
        .collect()
}

/// A row packed in one word for the partitions: frame in the high half, row in the low.
fn pack((frame, row): Row) -> u64 {
    ((frame as u64) << 32) | row as u64
}

fn unpack(packed: u64) -> Row {
    ((packed >> 32) as usize, (packed & 0xffff_ffff) as usize)
}

/// Rows per partition aimed at: a partition's table (16 bytes an entry) then stays in the
/// core's cache, where one big table would miss it on nearly every row.
const PARTITION_ROWS: usize = 16_384;

/// Every copy of a repeated ID after its first, as `(first, copy)`, copies in reading order
/// (frame by frame, row by row).
///
/// The hashes are scattered into partitions by their top bits (in reading order within each),
/// and each partition is searched with a table of its own; the threads take alternate
/// partitions.
pub(crate) fn repeated_ids(ids: &[&Ids], threads: usize) -> Vec<(Row, Row)> {
    let threads = threads.max(1);
    let state = PlRandomState::default();
    let hashed: Vec<Vec<u64>> =
        in_parallel(ids.len(), threads, || (), |_, f| hashes(ids[f], &state));
    let rows: usize = hashed.iter().map(Vec::len).sum();
    let bits = (rows / PARTITION_ROWS).max(1).ilog2().min(16);
    let partitions = 1usize << bits;
    let shards = threads.min(partitions);
    let partition_of = |hash: u64| {
        if bits == 0 {
            0
        } else {
            (hash >> (64 - bits)) as usize
        }
    };
    let mut pairs: Vec<(Row, Row)> = in_parallel(
        shards,
        shards,
        || (),
        |_, shard| {
            // This shard's partitions are those with `partition % shards == shard`.
            let mine = partitions.div_ceil(shards);
            let room = rows / partitions + rows / partitions / 4 + 16;
            let mut buckets: Vec<Vec<(u64, u64)>> =
                (0..mine).map(|_| Vec::with_capacity(room)).collect();
            for (f, frame) in hashed.iter().enumerate() {
                for (row, &hash) in frame.iter().enumerate() {
                    let partition = partition_of(hash);
                    if hash == 0 || partition % shards != shard {
                        continue;
                    }
                    buckets[partition / shards].push((hash, pack((f, row))));
                }
            }
            let mut found = Vec::new();
            let mut first: HashMap<u64, u64, BuildHasherDefault<Identity>> =
                HashMap::with_capacity_and_hasher(room, Default::default());
            for bucket in &buckets {
                first.clear();
                // IDs whose hash another ID had first.
                let mut colliding: PlHashMap<IdKey<'_>, Row> = PlHashMap::default();
                for &(hash, packed) in bucket {
                    let earlier = match first.get(&hash) {
                        None => {
                            first.insert(hash, packed);
                            continue;
                        }
                        Some(&earlier) => unpack(earlier),
                    };
                    let here = unpack(packed);
                    let Some(id) = ids[here.0].key(here.1) else {
                        continue;
                    };
                    if ids[earlier.0].key(earlier.1) == Some(id) {
                        found.push((earlier, here));
                    } else {
                        match colliding.get(&id) {
                            Some(&earlier) => found.push((earlier, here)),
                            None => {
                                colliding.insert(id, here);
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

    fn ids<'a>(values: impl IntoIterator<Item = Option<&'a str>>) -> Ids {
        let mut ids = Ids::with_capacity(0);
        for id in values {
            ids.push(id.unwrap_or(""));
        }
        ids
    }

    #[test]
    fn finds_every_repeat_across_frames_in_reading_order() {
        let a = ids([Some("x"), None, Some("y"), Some("x")]);
        let b = ids([None, Some("y"), Some("z"), Some("x")]);
        for threads in [1, 2, 3] {
            let pairs = repeated_ids(&[&a, &b], threads);
            assert_eq!(
                pairs,
                [((0, 0), (0, 3)), ((0, 2), (1, 1)), ((0, 0), (1, 3))],
                "{threads} threads"
            );
        }
    }

    #[test]
    fn many_partitions_find_the_same_repeats_as_one_table() {
        // 200,000 IDs in 4 frames, every 7th a repeat of an earlier one: 12 partitions' worth.
        let texts: Vec<Vec<Option<String>>> = (0..4)
            .map(|f| {
                (0..50_000)
                    .map(|row| {
                        let n = f * 50_000 + row;
                        let id = if n % 7 == 6 { n / 3 } else { n };
                        (n % 101 != 0).then(|| format!("{id:064x}"))
                    })
                    .collect()
            })
            .collect();
        let frames: Vec<Ids> = texts
            .iter()
            .map(|f| ids(f.iter().map(Option::as_deref)))
            .collect();
        let mut first: HashMap<String, Row> = HashMap::new();
        let mut expected = Vec::new();
        for (f, frame) in texts.iter().enumerate() {
            for (row, id) in frame.iter().enumerate() {
                let Some(id) = id else { continue };
                match first.get(id) {
                    Some(&earlier) => expected.push((earlier, (f, row))),
                    None => {
                        first.insert(id.to_owned(), (f, row));
                    }
                }
            }
        }
        assert!(expected.len() > 5_000, "{} repeats", expected.len());
        let refs: Vec<&Ids> = frames.iter().collect();
        for threads in [1, 2, 3] {
            assert_eq!(repeated_ids(&refs, threads), expected, "{threads} threads");
        }
    }
}
