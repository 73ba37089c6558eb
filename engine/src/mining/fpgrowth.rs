//! FP-growth (Han, Pei and Yin, 2000): every itemset bought together by at least a minimum
//! number of orders.
//!
//! How it stays fast without threads or unsafe code:
//! - items are recoded to dense ranks by descending frequency, so every tree and scratch
//!   array is indexed by small integers and frequent items share prefixes near the root;
//! - each FP-tree is a set of parallel `Vec<u32>` (an arena): no per-node allocation, and
//!   the trees of every recursion depth are kept and reused, so after warm-up mining
//!   allocates only when a deeper or larger tree than ever before is needed;
//! - conditional trees keep the global item order, so a prefix path needs no re-sorting;
//!   a conditional base with one frequent item needs no tree at all, and one that forms a
//!   single path is enumerated directly;
//! - results go into a trie whose children are stored contiguously and sorted, which is
//!   both the compact output and the index that rule generation looks supports up in.

use super::transactions::{Item, Transactions};

const NONE: u32 = u32::MAX;

/// What can go wrong when mining.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MiningError {
    /// The minimum support is a share of all orders: more than 0, at most 1.
    #[error("minimum support {0} is not in (0, 1]")]
    MinSupport(f64),
    /// Counts are 32-bit: more orders than that cannot be mined in one go.
    #[error("{0} orders are more than the 4,294,967,295 one run can count")]
    TooManyTransactions(u64),
    /// The thresholds let through more itemsets than the limit set with
    /// [`FpGrowth::max_itemsets`]; a higher minimum support or a shorter maximum length
    /// keeps the result finite.
    #[error(
        "more than {limit} frequent itemsets at a minimum count of {min_count}: raise the minimum support or lower the maximum length"
    )]
    TooManyItemsets {
        /// The limit that was reached.
        limit: usize,
        /// The absolute minimum count in force.
        min_count: u32,
    },
}

/// The absolute minimum count for a relative minimum support: `ceil(min_support × n)`,
/// at least 1. Products like `0.01 × 1000` that are whole numbers up to floating-point
/// noise count as whole, so the threshold is the one a person computes by hand.
///
/// ```
/// use cartlift_engine::mining::min_count;
/// assert_eq!(min_count(0.001, 9835), 10);
/// assert_eq!(min_count(0.01, 1000), 10); // 0.01 × 1000 is 10.000000000000002 in f64
/// assert_eq!(min_count(0.5, 3), 2);
/// ```
pub fn min_count(min_support: f64, transactions: u64) -> u32 {
    let exact = min_support * transactions as f64;
    let nearest = exact.round();
    let count = if (exact - nearest).abs() <= 1e-9 * nearest.max(1.0) {
        nearest
    } else {
        exact.ceil()
    };
    count.clamp(1.0, u32::MAX as f64) as u32
}

/// The FP-growth miner and its thresholds.
///
/// ```
/// use cartlift_engine::mining::{FpGrowth, Transactions};
///
/// let mut orders = Transactions::new();
/// orders.push(["tea", "lemon"]);
/// orders.push(["tea", "lemon", "honey"]);
/// orders.push(["tea"]);
/// let itemsets = FpGrowth::new(0.6)?.mine(&orders)?; // in at least ceil(0.6 × 3) = 2 orders
/// let lemon_tea = [orders.item("lemon").unwrap(), orders.item("tea").unwrap()];
/// assert_eq!(itemsets.count_of(&lemon_tea), Some(2));
/// assert_eq!(itemsets.len(), 3); // {tea}, {lemon}, {tea, lemon}
/// # Ok::<(), cartlift_engine::mining::MiningError>(())
/// ```
#[derive(Clone, Debug)]
pub struct FpGrowth {
    threshold: Threshold,
    max_len: usize,
    max_itemsets: usize,
}

#[derive(Clone, Copy, Debug)]
enum Threshold {
    Share(f64),
    Count(u32),
}

impl FpGrowth {
    /// Itemsets in at least `ceil(min_support × orders)` orders (see
    /// [`min_count`]); `min_support` is in (0, 1].
    pub fn new(min_support: f64) -> Result<FpGrowth, MiningError> {
        if !(min_support > 0.0 && min_support <= 1.0) {
            return Err(MiningError::MinSupport(min_support));
        }
        Ok(FpGrowth {
            threshold: Threshold::Share(min_support),
            max_len: usize::MAX,
            max_itemsets: 50_000_000,
        })
    }

    /// Itemsets in at least `count` orders (at least 1).
    pub fn with_min_count(count: u32) -> FpGrowth {
        FpGrowth {
            threshold: Threshold::Count(count.max(1)),
            max_len: usize::MAX,
            max_itemsets: 50_000_000,
        }
    }

    /// Itemsets of at most `len` items (at least 1).
    pub fn max_len(mut self, len: usize) -> FpGrowth {
        self.max_len = len.max(1);
        self
    }

    /// Stop with [`MiningError::TooManyItemsets`] beyond this many itemsets (default 50
    /// million, about 1 GB), rather than run out of memory on a threshold set too low.
    pub fn max_itemsets(mut self, limit: usize) -> FpGrowth {
        self.max_itemsets = limit;
        self
    }

    /// The absolute minimum count these thresholds mean for `orders` orders.
    pub fn min_count_for(&self, orders: u64) -> u32 {
        match self.threshold {
            Threshold::Share(s) => min_count(s, orders),
            Threshold::Count(c) => c,
        }
    }

    /// Every frequent itemset of `transactions`.
    pub fn mine(&self, transactions: &Transactions) -> Result<Itemsets, MiningError> {
        let total = transactions.len();
        if total > u64::from(u32::MAX) {
            return Err(MiningError::TooManyTransactions(total));
        }
        let min = self.min_count_for(total);

        // Frequent items by descending count; ties by id so the result is deterministic.
        let mut ranked: Vec<Item> = transactions
            .items()
            .filter(|&i| transactions.count(i) >= u64::from(min))
            .collect();
        ranked.sort_unstable_by(|&a, &b| {
            transactions
                .count(b)
                .cmp(&transactions.count(a))
                .then(a.cmp(&b))
        });
        let mut item_rank = vec![NONE; transactions.item_count()];
        for (rank, item) in ranked.iter().enumerate() {
            item_rank[item.index()] = rank as u32;
        }
        let f = ranked.len();

        let mut out = Itemsets {
            rank: vec![NONE],
            count: vec![total as u32],
            parent: vec![NONE],
            first_child: vec![1],
            child_count: vec![0],
            rank_item: ranked,
            item_rank,
            total,
            min_count: min,
        };
        if f == 0 {
            return Ok(out);
        }
        for rank in 0..f {
            let item = out.rank_item[rank];
            out.push(rank as u32, transactions.count(item) as u32, 0);
        }
        out.child_count[0] = f as u32;
        if out.len() > self.max_itemsets {
            return Err(self.too_many(min));
        }
        if self.max_len < 2 || f < 2 {
            return Ok(out);
        }

        // The FP-tree of the whole history. Baskets are inserted in lexicographic order of
        // their ranks, so the child a basket continues is almost always the one created
        // last (the first in the sibling list): building is linear in practice.
        let mut recoded: Vec<u32> = Vec::new();
        let mut baskets: Vec<(u32, u32, u32)> = Vec::new(); // start, end, count
        for t in transactions.iter() {
            let start = recoded.len();
            recoded.extend(
                t.items()
                    .iter()
                    .map(|i| out.item_rank[i.index()])
                    .filter(|&r| r != NONE),
            );
            if recoded.len() == start {
                continue;
            }
            recoded[start..].sort_unstable();
            baskets.push((start as u32, recoded.len() as u32, t.count() as u32));
        }
        baskets.sort_unstable_by(|a, b| {
            recoded[a.0 as usize..a.1 as usize].cmp(&recoded[b.0 as usize..b.1 as usize])
        });
        let mut trees = vec![Tree::default()];
        let top = &mut trees[0];
        top.reset((0..f as u32).collect());
        for &(start, end, count) in &baskets {
            top.insert(&recoded[start as usize..end as usize], count);
        }
        drop((recoded, baskets));

        let mut miner = Miner {
            min,
            max_len: self.max_len,
            limit: self.max_itemsets,
            scratch: Scratch {
                counts: vec![0; f],
                remap: vec![NONE; f],
                touched: Vec::new(),
                frequent: Vec::new(),
                paths: Vec::new(),
                path_ends: Vec::new(),
                single: Vec::new(),
            },
            out: &mut out,
        };
        if !miner.grow(&mut trees, 0, 0, 1) {
            return Err(self.too_many(min));
        }
        Ok(out)
    }

    fn too_many(&self, min_count: u32) -> MiningError {
        MiningError::TooManyItemsets {
            limit: self.max_itemsets,
            min_count,
        }
    }
}

/// An FP-tree node. The fields a path walk reads (item, parent) sit together, so climbing
/// to the root touches one cache line per step.
#[derive(Clone, Copy, Debug)]
struct Node {
    item: u32,
    parent: u32,
    count: u32,
    first_child: u32,
    next_sibling: u32,
    /// The next node of the same item (the classic node-link).
    next_same: u32,
}

/// An FP-tree in one arena; node 0 is the root. Items are local ids, ascending along
/// every root-to-leaf path.
#[derive(Debug, Default)]
struct Tree {
    nodes: Vec<Node>,
    /// Per local item: its first node.
    head: Vec<u32>,
    /// Per local item: its global frequency rank.
    global: Vec<u32>,
    /// No node has two children yet.
    single_path: bool,
}

impl Tree {
    fn reset(&mut self, global: Vec<u32>) {
        self.nodes.clear();
        self.head.clear();
        self.head.resize(global.len(), NONE);
        self.global = global;
        self.single_path = true;
        self.nodes.push(Node {
            item: NONE,
            parent: NONE,
            count: 0,
            first_child: NONE,
            next_sibling: NONE,
            next_same: NONE,
        });
    }

    /// The child of `parent` for `item`, created if missing; its count grows by `count`.
    #[inline]
    fn step(&mut self, parent: u32, item: u32, count: u32) -> u32 {
        let first = self.nodes[parent as usize].first_child;
        let mut child = first;
        while child != NONE {
            let node = &mut self.nodes[child as usize];
            if node.item == item {
                node.count += count;
                return child;
            }
            child = node.next_sibling;
        }
        let n = self.nodes.len() as u32;
        if first != NONE {
            self.single_path = false;
        }
        let head = &mut self.head[item as usize];
        self.nodes.push(Node {
            item,
            parent,
            count,
            first_child: NONE,
            next_sibling: first,
            next_same: *head,
        });
        *head = n;
        self.nodes[parent as usize].first_child = n;
        n
    }

    /// Adds a path of ascending local items with a count.
    fn insert(&mut self, path: &[u32], count: u32) {
        let mut cur = 0u32;
        for &it in path {
            cur = self.step(cur, it, count);
        }
    }
}

/// Scratch arrays shared by all recursion depths: each is back to its clean state before
/// a deeper call starts, so one set suffices.
struct Scratch {
    /// Conditional counts by local item (all zero between uses).
    counts: Vec<u32>,
    /// Old local item → new local item (all NONE between uses).
    remap: Vec<u32>,
    touched: Vec<u32>,
    frequent: Vec<u32>,
    /// The prefix paths of the item being expanded, leaf side first, one after another;
    /// climbing the tree once serves both counting and building.
    paths: Vec<u32>,
    /// (end in `paths`, count) per prefix path.
    path_ends: Vec<(u32, u32)>,
    /// (global rank, count) along a single-path tree.
    single: Vec<(u32, u32)>,
}

struct Miner<'a> {
    min: u32,
    max_len: usize,
    limit: usize,
    scratch: Scratch,
    out: &'a mut Itemsets,
}

impl Miner<'_> {
    /// Mines `trees[d]`, the conditional tree of the itemset `prefix`, whose children
    /// (one per local item of the tree, in local order, each of `child_len` items) are
    /// already in the output. False when the itemset limit is reached.
    fn grow(&mut self, trees: &mut Vec<Tree>, d: usize, prefix: u32, child_len: usize) -> bool {
        if trees.len() == d + 1 {
            trees.push(Tree::default());
        }
        if child_len >= self.max_len {
            return true;
        }
        let n_items = trees[d].global.len();
        let first = self.out.first_child[prefix as usize];
        for i in (0..n_items as u32).rev() {
            // `x` is prefix ∪ {i}; find what extends it.
            let x = first + i;
            let (lo, hi) = trees.split_at_mut(d + 1);
            let tree = &lo[d];
            let s = &mut self.scratch;
            s.paths.clear();
            s.path_ends.clear();
            let mut node = tree.head[i as usize];
            while node != NONE {
                let n = &tree.nodes[node as usize];
                let c = n.count;
                let mut a = n.parent;
                while a != 0 {
                    let an = &tree.nodes[a as usize];
                    let it = an.item;
                    s.paths.push(it);
                    let slot = &mut s.counts[it as usize];
                    if *slot == 0 {
                        s.touched.push(it);
                    }
                    *slot += c;
                    a = an.parent;
                }
                s.path_ends.push((s.paths.len() as u32, c));
                node = n.next_same;
            }
            s.frequent.clear();
            for &it in &s.touched {
                if s.counts[it as usize] >= self.min {
                    s.frequent.push(it);
                }
            }
            if s.frequent.is_empty() {
                for &it in &s.touched {
                    s.counts[it as usize] = 0;
                }
                s.touched.clear();
                continue;
            }
            s.frequent.sort_unstable();
            self.out.first_child[x as usize] = self.out.rank.len() as u32;
            self.out.child_count[x as usize] = s.frequent.len() as u32;
            for &it in &s.frequent {
                self.out
                    .push(tree.global[it as usize], s.counts[it as usize], x);
            }
            for &it in &s.touched {
                s.counts[it as usize] = 0;
            }
            s.touched.clear();
            if self.out.len() > self.limit {
                return false;
            }
            if s.frequent.len() < 2 || child_len + 1 >= self.max_len {
                continue;
            }

            // The conditional tree of x, over its frequent items only.
            let child = &mut hi[0];
            for (k, &it) in s.frequent.iter().enumerate() {
                s.remap[it as usize] = k as u32;
            }
            let mut global = std::mem::take(&mut child.global);
            global.clear();
            global.extend(s.frequent.iter().map(|&it| tree.global[it as usize]));
            child.reset(global);
            let mut start = 0;
            for &(end, count) in &s.path_ends {
                // Stored leaf side first: walk it backwards to insert root side first.
                let mut cur = 0u32;
                for &it in s.paths[start..end as usize].iter().rev() {
                    let k = s.remap[it as usize];
                    if k != NONE {
                        cur = child.step(cur, k, count);
                    }
                }
                start = end as usize;
            }
            for &it in &s.frequent {
                s.remap[it as usize] = NONE;
            }

            let ok = if child.single_path {
                s.single.clear();
                let mut n = child.nodes[0].first_child;
                while n != NONE {
                    let node = &child.nodes[n as usize];
                    s.single
                        .push((child.global[node.item as usize], node.count));
                    n = node.first_child;
                }
                let path = std::mem::take(&mut s.single);
                let ok = self.single_path(&path, x, child_len + 1);
                self.scratch.single = path;
                ok
            } else {
                self.grow(trees, d + 1, x, child_len + 1)
            };
            if !ok {
                return false;
            }
        }
        true
    }

    /// The conditional tree of `x` is one path (top first); the children of `x`, one per
    /// path node, are in the output. Every subset of the path is frequent, with the count
    /// of its deepest node.
    fn single_path(&mut self, path: &[(u32, u32)], x: u32, child_len: usize) -> bool {
        if child_len >= self.max_len {
            return true;
        }
        let first = self.out.first_child[x as usize];
        let mut ranks: Vec<u32> = Vec::with_capacity(path.len());
        for (k, &(rank, count)) in path.iter().enumerate() {
            if k > 0 && !self.fixed(&ranks, count, first + k as u32, child_len + 1) {
                return false;
            }
            ranks.push(rank);
        }
        true
    }

    /// `y` extends with any of `ranks` (ascending), all with the same count.
    fn fixed(&mut self, ranks: &[u32], count: u32, y: u32, child_len: usize) -> bool {
        let first = self.out.rank.len() as u32;
        self.out.first_child[y as usize] = first;
        self.out.child_count[y as usize] = ranks.len() as u32;
        for &r in ranks {
            self.out.push(r, count, y);
        }
        if self.out.len() > self.limit {
            return false;
        }
        if child_len >= self.max_len {
            return true;
        }
        (1..ranks.len()).all(|j| self.fixed(&ranks[..j], count, first + j as u32, child_len + 1))
    }
}

/// Every frequent itemset with its count: the result of [`FpGrowth::mine`].
///
/// Stored as a trie (each itemset is its parent plus one item), 20 bytes per itemset,
/// which is also the index [`Itemsets::count_of`] and rule generation look up.
#[derive(Clone, Debug)]
pub struct Itemsets {
    // Node 0 is the empty itemset. Children of a node are contiguous and sorted by rank,
    // and ranks decrease from the root down (the rarest item first).
    rank: Vec<u32>,
    count: Vec<u32>,
    parent: Vec<u32>,
    first_child: Vec<u32>,
    child_count: Vec<u32>,
    rank_item: Vec<Item>,
    item_rank: Vec<u32>,
    total: u64,
    min_count: u32,
}

impl Itemsets {
    fn push(&mut self, rank: u32, count: u32, parent: u32) {
        self.rank.push(rank);
        self.count.push(count);
        self.parent.push(parent);
        self.first_child.push(NONE);
        self.child_count.push(0);
    }

    /// How many frequent itemsets (the empty set not counted).
    pub fn len(&self) -> usize {
        self.rank.len() - 1
    }

    /// No item is frequent.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many orders were mined.
    pub fn transactions(&self) -> u64 {
        self.total
    }

    /// The absolute minimum count that was applied.
    pub fn min_count(&self) -> u32 {
        self.min_count
    }

    /// The frequent items, most frequent first.
    pub fn frequent_items(&self) -> &[Item] {
        &self.rank_item
    }

    /// The length of the longest itemset (0 if there is none).
    pub fn max_len(&self) -> usize {
        (1..self.rank.len() as u32)
            .map(|n| self.depth(n))
            .max()
            .unwrap_or(0)
    }

    /// Every frequent itemset; shorter ones before their extensions.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Itemset<'_>> + '_ {
        (1..self.rank.len() as u32).map(|node| Itemset { set: self, node })
    }

    /// How many orders hold all of `items` (in any order), if that is frequent.
    pub fn count_of(&self, items: &[Item]) -> Option<u32> {
        let mut ranks = Vec::with_capacity(items.len());
        for item in items {
            let r = *self.item_rank.get(item.index())?;
            if r == NONE {
                return None;
            }
            ranks.push(r);
        }
        ranks.sort_unstable_by(|a, b| b.cmp(a));
        ranks.dedup();
        self.find_from(0, &ranks)
            .map(|node| self.count[node as usize])
    }

    fn depth(&self, mut node: u32) -> usize {
        let mut depth = 0;
        while node != 0 {
            depth += 1;
            node = self.parent[node as usize];
        }
        depth
    }

    /// The node for `from` extended by `ranks` (descending), if frequent.
    pub(super) fn find_from(&self, from: u32, ranks: &[u32]) -> Option<u32> {
        let mut node = from;
        for &r in ranks {
            node = self.child(node, r)?;
        }
        Some(node)
    }

    /// The child of `node` with this rank.
    fn child(&self, node: u32, rank: u32) -> Option<u32> {
        let n = node as usize;
        let first = self.first_child[n];
        if first == NONE {
            return None;
        }
        let children = &self.rank[first as usize..(first + self.child_count[n]) as usize];
        children.binary_search(&rank).ok().map(|k| first + k as u32)
    }

    pub(super) fn node_count(&self, node: u32) -> u32 {
        self.count[node as usize]
    }

    pub(super) fn node_rank(&self, node: u32) -> u32 {
        self.rank[node as usize]
    }

    pub(super) fn node_parent(&self, node: u32) -> u32 {
        self.parent[node as usize]
    }

    pub(super) fn nodes(&self) -> std::ops::Range<u32> {
        1..self.rank.len() as u32
    }

    pub(super) fn item_of_rank(&self, rank: u32) -> Item {
        self.rank_item[rank as usize]
    }

    /// The count of the single item of this rank.
    pub(super) fn rank_count(&self, rank: u32) -> u32 {
        // The root's children are all frequent items, in rank order, from node 1.
        self.count[1 + rank as usize]
    }
}

/// One frequent itemset.
#[derive(Clone, Copy, Debug)]
pub struct Itemset<'a> {
    set: &'a Itemsets,
    node: u32,
}

impl<'a> Itemset<'a> {
    /// Its items, most frequent first.
    pub fn items(&self) -> impl Iterator<Item = Item> + 'a {
        let set = self.set;
        let mut node = self.node;
        std::iter::from_fn(move || {
            if node == 0 {
                return None;
            }
            let item = set.rank_item[set.rank[node as usize] as usize];
            node = set.parent[node as usize];
            Some(item)
        })
    }

    /// How many items.
    pub fn len(&self) -> usize {
        self.set.depth(self.node)
    }

    /// Never empty; here for the `len` convention.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// How many orders hold all its items.
    pub fn count(&self) -> u32 {
        self.set.count[self.node as usize]
    }

    /// The share of orders that hold all its items.
    pub fn support(&self) -> f64 {
        f64::from(self.count()) / self.set.total as f64
    }
}
