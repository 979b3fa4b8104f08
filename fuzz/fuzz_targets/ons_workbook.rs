//! Fuzz target `ons_workbook`: the checks of `crimeperf_polars::fuzzing::ons_workbook` on libFuzzer's inputs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| crimeperf_polars::fuzzing::ons_workbook(data));
