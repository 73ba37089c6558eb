//! Config parsing, validation and evaluation: see `cartlift_engine::fuzzing::config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cartlift_engine::fuzzing::config(data));
