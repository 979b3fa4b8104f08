//! Fuzz target `splitter`: the checks of `crimeperf_polars::fuzzing::splitter` on libFuzzer's inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crimeperf_polars::fuzzing::splitter(data));
