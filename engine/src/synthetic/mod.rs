//! Seeded synthetic data for tests and benchmarks: stores, catalogs, rules and order
//! histories far larger than any fixture. Deterministic: the same seed gives the same data
//! on every machine and in wasm.

pub mod baskets;
pub mod holdout;
pub mod shop;
pub mod store;
pub mod suite;

/// SplitMix64: tiny, fast, good enough statistics for test data; not for cryptography.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), without modulo bias worth caring about for test data.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Item numbers `0..items` drawn with Zipf-like popularity (item `k` weighs
/// `1 / (k + 1)^exponent`): the long tail of real order histories.
#[derive(Clone, Debug)]
pub struct Zipf {
    /// Cumulative weights.
    cdf: Vec<f64>,
}

impl Zipf {
    /// A sampler over `items` items (at least one).
    pub fn new(items: usize, exponent: f64) -> Zipf {
        let mut cdf = Vec::with_capacity(items);
        let mut sum = 0.0;
        for k in 0..items {
            sum += 1.0 / ((k + 1) as f64).powf(exponent);
            cdf.push(sum);
        }
        Zipf { cdf }
    }

    /// One item number.
    pub fn sample(&self, rng: &mut Rng) -> u32 {
        let total = self.cdf[self.cdf.len() - 1];
        let x = rng.unit() * total;
        self.cdf
            .partition_point(|&c| c <= x)
            .min(self.cdf.len() - 1) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn same_seed_same_stream_and_in_range() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            assert!(a.below(10) < 10);
            let u = a.unit();
            assert!((0.0..1.0).contains(&u));
            b.below(10);
            b.unit();
        }
    }
}
