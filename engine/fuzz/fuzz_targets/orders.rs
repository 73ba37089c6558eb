//! The order-file readers and bounded mining: see `cartlift_engine::fuzzing::orders`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cartlift_engine::fuzzing::orders(data));
