//! Ridge weights for pair rules: how much each item predicts another once the other
//! items bought with it are accounted for.
//!
//! Summing confidences over a basket counts the same evidence twice when two basket items
//! are themselves bought together (milk and bread both "predict" butter, partly because
//! they predict each other). The weights fix that: for every consequent `b`, a ridge
//! regression of "the order holds `b`" on "the order holds `a`" for `b`'s most frequent
//! co-purchases `a₁ … a_k`, fitted on the mined orders, so a basket's score for `b` is
//! the regression's prediction `Σ w(a → b)` over the basket items. This is the item-item
//! model of Steck's EASE ("Embarrassingly Shallow Autoencoders", WWW 2019), restricted to
//! each item's neighbourhood so it scales with the rules instead of the catalog squared.
//!
//! Everything comes from the frequent itemsets: the normal equations need only item
//! counts and pair counts (`XᵀX`), and pairs below the minimum count are taken as never
//! bought together. Weights below 0 (items that crowd `b` out) are clamped to 0: a rule is
//! evidence for its consequent, never against it.

use super::fpgrowth::Itemsets;
use super::transactions::Item;
use crate::FxHashMap;

/// Settings of the fit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ridge {
    /// The ridge penalty as a share of the orders (it is added to every item count on the
    /// diagonal of `XᵀX`): larger shrinks every weight and evens them out.
    pub penalty: f64,
    /// Regress each item on at most this many of its co-purchases, the most frequent
    /// first; the cost per item is this cubed.
    pub neighbours: usize,
}

impl Default for Ridge {
    fn default() -> Ridge {
        Ridge::DEFAULT
    }
}

impl Ridge {
    /// What `cartlift mine --ridge auto` falls back to when the orders are too few to tune
    /// the penalty on (see [`crate::quality::tune_ridge`]); the penalty suits groceries.csv
    /// and shops of its shape (few products, many co-purchases each).
    pub const DEFAULT: Ridge = Ridge {
        penalty: 0.02,
        neighbours: 100,
    };

    /// The weight of every frequent pair, both directions.
    pub fn fit(&self, itemsets: &Itemsets) -> PairWeights {
        self.fit_each(itemsets, &[self.penalty])
            .pop()
            .expect("one fit per penalty")
    }

    /// [`Ridge::fit`] once for each of `penalties` (shares of the orders, as
    /// [`Ridge::penalty`]), with this neighbourhood size. A consequent's system is built
    /// once (its `n²` pair counts looked up once) and solved for every penalty, which
    /// only changes the diagonal: the seven penalties of the tuning on the suite's
    /// retail-sized store (16,470 products) fit in 1.7 s instead of 2.2 s.
    pub fn fit_each(&self, itemsets: &Itemsets, penalties: &[f64]) -> Vec<PairWeights> {
        let ranks = itemsets.frequent_items().len();
        // Co-purchases by rank, from the depth-2 nodes of the trie.
        let mut with: Vec<Vec<(u32, u32)>> = vec![Vec::new(); ranks];
        let mut pairs: FxHashMap<u64, u32> = FxHashMap::default();
        for node in itemsets.nodes() {
            let parent = itemsets.node_parent(node);
            if node == 0 || parent == 0 || itemsets.node_parent(parent) != 0 {
                continue;
            }
            let (x, y) = (itemsets.node_rank(parent), itemsets.node_rank(node));
            let count = itemsets.node_count(node);
            with[x as usize].push((y, count));
            with[y as usize].push((x, count));
            pairs.insert(key(x, y), count);
        }
        let orders = itemsets.transactions() as f64;
        let penalties: Vec<f64> = penalties.iter().map(|p| p * orders).collect();
        for co in &mut with {
            // Most frequent co-purchases first; ties by rank, so the fit is reproducible.
            co.sort_unstable_by(|p, q| q.1.cmp(&p.1).then(p.0.cmp(&q.0)));
        }
        // One system per consequent, independent of the others: the consequents in two
        // halves of about equal work (the cost of a system is its size cubed) on two
        // threads where the platform has them (not in wasm).
        let size = |co: &Vec<(u32, u32)>| co.len().min(self.neighbours.max(1));
        let work: Vec<f64> = with
            .iter()
            .map(|co| (size(co) as f64).powi(3) * penalties.len() as f64)
            .collect();
        let total: f64 = work.iter().sum();
        let mut split = 0;
        let mut acc = 0.0;
        while split < work.len() && acc < total / 2.0 {
            acc += work[split];
            split += 1;
        }
        type Fitted = Vec<((Item, Item), (f64, u32))>;
        let solve = |range: std::ops::Range<usize>| -> Vec<Fitted> {
            let mut out = vec![Vec::new(); penalties.len()];
            let mut system = System::default();
            let (mut gram, mut counts) = (Vec::new(), Vec::new());
            for b in range {
                let co = &with[b];
                let n = size(co);
                if n == 0 {
                    continue;
                }
                let near = &co[..n];
                system.reset(n);
                for (i, &(ai, count)) in near.iter().enumerate() {
                    system.set(i, i, f64::from(itemsets.rank_count(ai)));
                    system.rhs[i] = f64::from(count);
                    for (j, &(aj, _)) in near.iter().enumerate().skip(i + 1) {
                        let c = pairs.get(&key(ai, aj)).copied().unwrap_or(0);
                        system.set(i, j, f64::from(c));
                        system.set(j, i, f64::from(c));
                    }
                }
                gram.clone_from(&system.a);
                counts.clone_from(&system.rhs);
                let b_item = itemsets.item_of_rank(b as u32);
                for (k, &penalty) in penalties.iter().enumerate() {
                    if k > 0 {
                        // The solve may have overwritten both (Gaussian elimination).
                        system.a.clone_from(&gram);
                        system.rhs.clone_from(&counts);
                    }
                    for i in 0..n {
                        system.a[i * n + i] += penalty;
                    }
                    let solution = system.solve();
                    for (&(a, count), &w) in near.iter().zip(solution) {
                        let w = if w.is_finite() { w.max(0.0) } else { 0.0 };
                        out[k].push(((itemsets.item_of_rank(a), b_item), (w, count)));
                    }
                }
            }
            out
        };
        let parallel = !cfg!(target_arch = "wasm32")
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
            && total > 1e6;
        let [first, second] = if parallel {
            std::thread::scope(|s| {
                let second = s.spawn(|| solve(split..with.len()));
                let first = solve(0..split);
                [
                    first,
                    second.join().expect("the fitting thread does not panic"),
                ]
            })
        } else {
            [solve(0..with.len()), vec![Vec::new(); penalties.len()]]
        };
        first
            .into_iter()
            .zip(second)
            .map(|(a, b)| {
                let mut weights = FxHashMap::default();
                weights.reserve(a.len() + b.len());
                weights.extend(a.into_iter().chain(b));
                PairWeights { weights }
            })
            .collect()
    }
}

/// `penalty=P,neighbours=N` (either may be left out: it keeps its [`Ridge::DEFAULT`]
/// value).
///
/// ```
/// use cartlift_engine::mining::Ridge;
/// let r: Ridge = "penalty=0.05".parse().unwrap();
/// assert_eq!((r.penalty, r.neighbours), (0.05, Ridge::DEFAULT.neighbours));
/// assert!("neighbours=0".parse::<Ridge>().is_err());
/// ```
impl std::str::FromStr for Ridge {
    type Err = String;

    fn from_str(text: &str) -> Result<Ridge, String> {
        let mut r = Ridge::DEFAULT;
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?}: write name=value"))?;
            let value = value.trim();
            match name.trim() {
                "penalty" => {
                    r.penalty = value
                        .parse()
                        .ok()
                        .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                        .ok_or_else(|| format!("{part:?}: a number of 0 or more"))?;
                }
                "neighbours" | "neighbors" => {
                    r.neighbours = value
                        .parse()
                        .ok()
                        .filter(|&n: &usize| n > 0)
                        .ok_or_else(|| format!("{part:?}: a whole number of 1 or more"))?;
                }
                other => return Err(format!("unknown setting {other:?} (penalty, neighbours)")),
            }
        }
        Ok(r)
    }
}

fn key(x: u32, y: u32) -> u64 {
    let (lo, hi) = if x < y { (x, y) } else { (y, x) };
    (u64::from(lo) << 32) | u64::from(hi)
}

/// Ridge weights by `(antecedent, consequent)`: [`Ridge::fit`].
#[derive(Clone, Debug, Default)]
pub struct PairWeights {
    /// The weight and the pair's order count.
    weights: FxHashMap<(Item, Item), (f64, u32)>,
}

impl PairWeights {
    /// The weight of `antecedent → consequent`; `None` if the pair was not fitted (not
    /// frequent, or beyond the consequent's nearest neighbours).
    pub fn get(&self, antecedent: Item, consequent: Item) -> Option<f64> {
        self.weights.get(&(antecedent, consequent)).map(|&(w, _)| w)
    }

    /// The weights by antecedent item index: `(consequent, weight, pair count)`, sorted
    /// by consequent (so summing them is reproducible).
    pub fn by_antecedent(&self) -> Vec<Vec<(Item, f64, u32)>> {
        let mut out: Vec<Vec<(Item, f64, u32)>> = Vec::new();
        for (&(a, b), &(w, count)) in &self.weights {
            if out.len() <= a.index() {
                out.resize_with(a.index() + 1, Vec::new);
            }
            out[a.index()].push((b, w, count));
        }
        for list in &mut out {
            list.sort_unstable_by_key(|&(b, _, _)| b);
        }
        out
    }

    /// How many pairs have a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// No pair has a weight.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

/// A dense `n × n` linear system, reused across consequents.
#[derive(Default)]
struct System {
    n: usize,
    a: Vec<f64>,
    rhs: Vec<f64>,
    /// The factors `L` (unit lower triangle) and `D` of `LDLᵀ`, and a work row.
    l: Vec<f64>,
    d: Vec<f64>,
    v: Vec<f64>,
}

impl System {
    fn reset(&mut self, n: usize) {
        self.n = n;
        self.a.clear();
        self.a.resize(n * n, 0.0);
        self.rhs.clear();
        self.rhs.resize(n, 0.0);
    }

    fn set(&mut self, i: usize, j: usize, v: f64) {
        self.a[i * self.n + j] = v;
    }

    /// Solves in place; the solution in `rhs`. `XᵀX + λI` is symmetric positive definite,
    /// so its `LDLᵀ` factorization (Cholesky without square roots, `n³/3` multiply-adds, half
    /// of Gaussian elimination's) does it; but
    /// pruning rare pairs can break definiteness, and then Gaussian elimination with
    /// partial pivoting takes over (a singular pivot leaves that unknown at 0).
    fn solve(&mut self) -> &[f64] {
        if self.cholesky() {
            return &self.rhs;
        }
        self.gauss()
    }

    /// `A = LDLᵀ` (unit lower `L` beside `A`, no square roots: a one-item system gives
    /// exactly `b / a`), then the triangular solves; `false` (the right-hand side
    /// untouched) when `A` is not positive definite.
    fn cholesky(&mut self) -> bool {
        let n = self.n;
        let a = &self.a;
        let l = &mut self.l;
        l.clear();
        l.resize(n * n, 0.0);
        let d = &mut self.d;
        d.clear();
        d.resize(n, 0.0);
        let v = &mut self.v;
        v.clear();
        v.resize(n, 0.0);
        for j in 0..n {
            let row_j = j * n;
            for k in 0..j {
                v[k] = l[row_j + k] * d[k];
            }
            let mut dj = a[row_j + j];
            for k in 0..j {
                dj -= l[row_j + k] * v[k];
            }
            if dj.is_nan() || dj <= 1e-12 {
                return false;
            }
            d[j] = dj;
            l[row_j + j] = 1.0;
            for i in j + 1..n {
                let row_i = i * n;
                let mut s = a[row_i + j];
                for k in 0..j {
                    s -= l[row_i + k] * v[k];
                }
                l[row_i + j] = s / dj;
            }
        }
        let b = &mut self.rhs;
        for i in 0..n {
            let mut s = b[i];
            for k in 0..i {
                s -= l[i * n + k] * b[k];
            }
            b[i] = s;
        }
        for i in 0..n {
            b[i] /= d[i];
        }
        for i in (0..n).rev() {
            let mut s = b[i];
            for k in i + 1..n {
                s -= l[k * n + i] * b[k];
            }
            b[i] = s;
        }
        true
    }

    /// Gaussian elimination with partial pivoting, in place.
    fn gauss(&mut self) -> &[f64] {
        let n = self.n;
        let a = &mut self.a;
        let b = &mut self.rhs;
        for col in 0..n {
            let pivot = (col..n)
                .max_by(|&x, &y| a[x * n + col].abs().total_cmp(&a[y * n + col].abs()))
                .unwrap_or(col);
            if pivot != col {
                for k in 0..n {
                    a.swap(col * n + k, pivot * n + k);
                }
                b.swap(col, pivot);
            }
            let p = a[col * n + col];
            if p.abs() < 1e-12 {
                continue;
            }
            for row in col + 1..n {
                let f = a[row * n + col] / p;
                if f == 0.0 {
                    continue;
                }
                for k in col..n {
                    a[row * n + k] -= f * a[col * n + k];
                }
                b[row] -= f * b[col];
            }
        }
        for col in (0..n).rev() {
            let p = a[col * n + col];
            let mut s = b[col];
            for k in col + 1..n {
                s -= a[col * n + k] * b[k];
            }
            b[col] = if p.abs() < 1e-12 { 0.0 } else { s / p };
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mining::{FpGrowth, Transactions};

    fn fit(t: &Transactions, ridge: Ridge) -> PairWeights {
        ridge.fit(&FpGrowth::with_min_count(1).max_len(2).mine(t).unwrap())
    }

    #[test]
    fn one_neighbour_is_its_regression_coefficient() {
        // a in 4 orders, b in 3, together in 2: w(a → b) = 2 / (4 + λ), λ = 0.5 × 8.
        let mut t = Transactions::new();
        for basket in [
            &["a", "b"][..],
            &["a", "b"],
            &["a"],
            &["a"],
            &["b"],
            &["c"],
            &["c"],
            &["c"],
        ] {
            t.push(basket.iter().copied());
        }
        let w = fit(
            &t,
            Ridge {
                penalty: 0.5,
                neighbours: 10,
            },
        );
        let id = |n| t.item(n).unwrap();
        assert_eq!(w.get(id("a"), id("b")), Some(2.0 / 8.0));
        assert_eq!(w.get(id("b"), id("a")), Some(2.0 / 7.0));
        assert_eq!(w.get(id("a"), id("c")), None);
        assert_eq!(w.len(), 2);
    }

    #[test]
    fn shared_evidence_is_not_counted_twice() {
        // Milk is only ever bought with bread, and butter only with both, in half of
        // those orders. Confidences add up to 0.75 for a milk-and-bread basket (milk says
        // 0.5, bread 0.25) and say 0.25 for bread alone; the regression sees that bread's
        // evidence is milk's, so the basket scores the true 0.5 and bread alone about 0.
        let mut t = Transactions::new();
        for _ in 0..10 {
            t.push(["milk", "bread", "butter"]);
            t.push(["milk", "bread"]);
            t.push(["bread", "jam"]);
            t.push(["bread"]);
        }
        let ridge = Ridge {
            penalty: 0.001,
            neighbours: 5,
        };
        let w = fit(&t, ridge);
        let id = |n| t.item(n).unwrap();
        let milk = w.get(id("milk"), id("butter")).unwrap();
        let bread = w.get(id("bread"), id("butter")).unwrap();
        assert!((milk + bread - 0.5).abs() < 0.01, "{milk} + {bread}");
        assert!(bread < 0.01, "{bread}");
        // Jam's only co-purchase is bread: its weight is its (shrunk) confidence.
        let jam = w.get(id("bread"), id("jam")).unwrap();
        assert!((jam - 10.0 / 40.04).abs() < 1e-12, "{jam}");
        assert_eq!(w.get(id("milk"), id("jam")), None);
    }

    #[test]
    fn the_neighbourhood_is_capped_and_reproducible() {
        let mut t = Transactions::new();
        for k in 0..30 {
            let name = format!("x{k}");
            for _ in 0..=k {
                t.push(["hub", name.as_str()]);
            }
        }
        let ridge = Ridge {
            penalty: 0.01,
            neighbours: 5,
        };
        let w = fit(&t, ridge);
        let hub = t.item("hub").unwrap();
        let fitted: Vec<usize> = (0..30)
            .filter(|k| w.get(t.item(&format!("x{k}")).unwrap(), hub).is_some())
            .collect();
        assert_eq!(fitted, [25, 26, 27, 28, 29], "the five most frequent");
        let again = fit(&t, ridge);
        for k in 25..30 {
            let x = t.item(&format!("x{k}")).unwrap();
            assert_eq!(w.get(x, hub), again.get(x, hub));
            assert!(w.get(x, hub).unwrap() > 0.0);
        }
    }

    #[test]
    fn fitting_several_penalties_at_once_equals_fitting_each() {
        // A synthetic shop big enough for the two-thread split and for Gaussian
        // elimination's restore between penalties to matter.
        let spec = crate::synthetic::shop::ShopSpec {
            baskets: 4_000,
            items: 400,
            ..crate::synthetic::shop::ShopSpec::EVALUATION
        };
        let t = spec.transactions(3);
        let itemsets = FpGrowth::with_min_count(2).max_len(2).mine(&t).unwrap();
        let penalties = [0.0, 0.001, 0.05];
        let together = Ridge::DEFAULT.fit_each(&itemsets, &penalties);
        assert_eq!(together.len(), penalties.len());
        for (&penalty, fitted) in penalties.iter().zip(&together) {
            let alone = Ridge {
                penalty,
                ..Ridge::DEFAULT
            }
            .fit(&itemsets);
            assert!(!alone.is_empty());
            assert_eq!(
                fitted.by_antecedent(),
                alone.by_antecedent(),
                "penalty {penalty}"
            );
        }
        assert_ne!(together[0].by_antecedent(), together[2].by_antecedent());
    }
}
