//! Association mining against a brute-force miner, and on real data (groceries.csv).

mod brute;
mod groceries;
mod properties;
