//! Fuzz target `periods`: the checks of `crimeperf_polars::fuzzing::periods` on libFuzzer's inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crimeperf_polars::fuzzing::periods(data));
