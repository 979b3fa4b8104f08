//! Fuzz target `police_uk_file`: the checks of `crimeperf_polars::fuzzing::police_uk_file` on libFuzzer's inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crimeperf_polars::fuzzing::police_uk_file(data));
