//! The order history as the miner needs it: item names interned to dense ids, and every
//! distinct basket stored once with the number of orders that had exactly that basket.
//!
//! Why deduplicate: order files are read in one pass (stdin cannot be rewound) and mining
//! needs all baskets, so they must be kept; but real histories repeat baskets a lot
//! (a third of groceries.csv's baskets are repeats, and single-item orders collapse to
//! one entry per product), and a file that lists the same orders ten times costs the
//! memory of one copy.

use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// A product (or any item) in [`Transactions`]: a dense id, given in order of first
/// appearance. Its name is [`Transactions::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Item(pub(super) u32);

impl Item {
    /// The first item: a filler for fixed-size arrays of items.
    pub(crate) const FIRST: Item = Item(0);

    /// The dense index, `0..Transactions::item_count()`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One distinct basket: its items (sorted by id, no repeats) and how many orders had
/// exactly these items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transaction<'a> {
    items: &'a [Item],
    count: u64,
}

impl<'a> Transaction<'a> {
    /// The items, sorted by id, without repeats.
    pub fn items(&self) -> &'a [Item] {
        self.items
    }

    /// How many orders had exactly these items.
    pub fn count(&self) -> u64 {
        self.count
    }
}

/// A collection of baskets, built one order at a time.
#[derive(Clone, Debug, Default)]
pub struct Transactions {
    // Item names live in one string; `name_ends[i]` closes item i's name.
    names: String,
    name_ends: Vec<u32>,
    name_index: HashTable<u32>,
    item_counts: Vec<u64>,
    // Distinct baskets: items of basket b are `items[ends[b-1]..ends[b]]`.
    items: Vec<Item>,
    ends: Vec<usize>,
    weights: Vec<u64>,
    basket_index: HashTable<u32>,
    total: u64,
    scratch: Vec<Item>,
}

fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

fn hash_items(items: &[Item]) -> u64 {
    let mut h = FxHasher::default();
    items.hash(&mut h);
    h.finish()
}

impl Transactions {
    /// No orders yet.
    pub fn new() -> Transactions {
        Transactions::default()
    }

    /// The id of the item named `name`, adding it if it is new.
    pub fn intern(&mut self, name: &str) -> Item {
        let hash = hash_str(name);
        let (names, ends) = (&self.names, &self.name_ends);
        let name_of = |i: u32| {
            let i = i as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] as usize };
            &names[start..ends[i] as usize]
        };
        if let Some(&i) = self.name_index.find(hash, |&i| name_of(i) == name) {
            return Item(i);
        }
        let id = self.name_ends.len() as u32;
        self.names.push_str(name);
        self.name_ends.push(self.names.len() as u32);
        self.item_counts.push(0);
        let (names, ends) = (&self.names, &self.name_ends);
        self.name_index.insert_unique(hash, id, |&i| {
            let i = i as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] as usize };
            hash_str(&names[start..ends[i] as usize])
        });
        Item(id)
    }

    /// The id of `name`, if some order had it.
    pub fn item(&self, name: &str) -> Option<Item> {
        let hash = hash_str(name);
        self.name_index
            .find(hash, |&i| self.name(Item(i)) == name)
            .map(|&i| Item(i))
    }

    /// Adds one order with these item names (repeats count once: a basket either has an
    /// item or not). An order without items is not counted.
    pub fn push<'n>(&mut self, names: impl IntoIterator<Item = &'n str>) {
        let mut items = std::mem::take(&mut self.scratch);
        items.clear();
        items.extend(names.into_iter().map(|n| self.intern(n)));
        self.push_items(&mut items, 1);
        self.scratch = items;
    }

    /// Adds `count` orders with these items (in any order, repeats allowed; the slice is
    /// sorted and deduplicated in place). Empty baskets and `count == 0` add nothing.
    ///
    /// # Panics
    /// If an item was not made by [`Transactions::intern`] on this collection.
    pub fn push_items(&mut self, items: &mut Vec<Item>, count: u64) {
        self.push_slot(items, count);
    }

    /// [`Transactions::push_items`], returning where the basket is stored (see
    /// [`Transactions::slot_items`]), if it was not empty.
    pub(crate) fn push_slot(&mut self, items: &mut Vec<Item>, count: u64) -> Option<u32> {
        items.sort_unstable();
        items.dedup();
        if items.is_empty() || count == 0 {
            return None;
        }
        assert!(
            items[items.len() - 1].index() < self.name_ends.len(),
            "item not interned here"
        );
        self.total += count;
        for item in items.iter() {
            self.item_counts[item.index()] += count;
        }
        let hash = hash_items(items);
        let (stored, ends) = (&self.items, &self.ends);
        let basket = |b: u32| {
            let b = b as usize;
            let start = if b == 0 { 0 } else { ends[b - 1] };
            &stored[start..ends[b]]
        };
        if let Some(&b) = self.basket_index.find(hash, |&b| basket(b) == &items[..]) {
            self.weights[b as usize] += count;
            return Some(b);
        }
        let b = self.ends.len() as u32;
        self.items.extend_from_slice(items);
        self.ends.push(self.items.len());
        self.weights.push(count);
        let (stored, ends) = (&self.items, &self.ends);
        self.basket_index.insert_unique(hash, b, |&b| {
            let b = b as usize;
            let start = if b == 0 { 0 } else { ends[b - 1] };
            hash_items(&stored[start..ends[b]])
        });
        Some(b)
    }

    /// The items of the basket stored in `slot` (slots never move).
    pub(crate) fn slot_items(&self, slot: u32) -> &[Item] {
        let b = slot as usize;
        let start = if b == 0 { 0 } else { self.ends[b - 1] };
        &self.items[start..self.ends[b]]
    }

    /// Takes back `count` orders with exactly these items (sorted, deduplicated), e.g. an
    /// order whose lines turned out to continue further down the file. Returns false, and
    /// changes nothing, if there are not that many.
    pub fn remove_items(&mut self, items: &[Item], count: u64) -> bool {
        let hash = hash_items(items);
        let (stored, ends) = (&self.items, &self.ends);
        let found = self.basket_index.find(hash, |&b| {
            let b = b as usize;
            let start = if b == 0 { 0 } else { ends[b - 1] };
            &stored[start..ends[b]] == items
        });
        let Some(&b) = found else { return false };
        let weight = &mut self.weights[b as usize];
        if *weight < count {
            return false;
        }
        // The emptied slot stays (weight 0) so ids of other baskets remain stable; it is
        // reused if the same basket comes back, and skipped by the miner.
        *weight -= count;
        self.total -= count;
        for item in items {
            self.item_counts[item.index()] -= count;
        }
        true
    }

    /// How many orders (with at least one item) were added.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// No orders at all.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// How many different baskets there are (what memory is spent on).
    pub fn distinct_len(&self) -> usize {
        self.weights.iter().filter(|&&w| w > 0).count()
    }

    /// How many different items there are.
    pub fn item_count(&self) -> usize {
        self.name_ends.len()
    }

    /// The name of an item.
    pub fn name(&self, item: Item) -> &str {
        let i = item.index();
        let start = if i == 0 {
            0
        } else {
            self.name_ends[i - 1] as usize
        };
        &self.names[start..self.name_ends[i] as usize]
    }

    /// The names of some items, in the same order.
    pub fn names(&self, items: &[Item]) -> Vec<&str> {
        items.iter().map(|&i| self.name(i)).collect()
    }

    /// How many orders had the item.
    pub fn count(&self, item: Item) -> u64 {
        self.item_counts[item.index()]
    }

    /// Every item, by id.
    pub fn items(&self) -> impl ExactSizeIterator<Item = Item> + '_ {
        (0..self.name_ends.len() as u32).map(Item)
    }

    /// Every distinct basket with its count, in order of first appearance.
    pub fn iter(&self) -> impl Iterator<Item = Transaction<'_>> + '_ {
        self.ends
            .iter()
            .zip(&self.weights)
            .enumerate()
            .filter(|(_, (_, w))| **w > 0)
            .map(|(b, (&end, &count))| {
                let start = if b == 0 { 0 } else { self.ends[b - 1] };
                Transaction {
                    items: &self.items[start..end],
                    count,
                }
            })
    }

    /// The order of items by name: `ranks[item.index()]` is the item's position when all
    /// names are sorted. Outputs sort by it so they do not depend on the order of lines.
    pub fn name_ranks(&self) -> Vec<u32> {
        let mut by_name: Vec<Item> = self.items().collect();
        by_name.sort_unstable_by(|&a, &b| self.name(a).cmp(self.name(b)));
        let mut ranks = vec![0; by_name.len()];
        for (rank, item) in by_name.into_iter().enumerate() {
            ranks[item.index()] = rank as u32;
        }
        ranks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_baskets_are_stored_once_and_counted() {
        let mut t = Transactions::new();
        t.push(["milk", "bread"]);
        t.push(["bread", "milk", "milk"]);
        t.push(["eggs"]);
        t.push([]);
        assert_eq!(t.len(), 3);
        assert_eq!(t.distinct_len(), 2);
        assert_eq!(t.item_count(), 3);
        let milk = t.item("milk").unwrap();
        assert_eq!(t.count(milk), 2);
        assert_eq!(t.name(milk), "milk");
        let baskets: Vec<(Vec<&str>, u64)> =
            t.iter().map(|b| (t.names(b.items()), b.count())).collect();
        assert_eq!(baskets, vec![(vec!["milk", "bread"], 2), (vec!["eggs"], 1)]);
        assert_eq!(t.name_ranks(), vec![2, 0, 1]);
    }

    #[test]
    fn removing_takes_an_order_back() {
        let mut t = Transactions::new();
        t.push(["a", "b"]);
        let mut items = vec![t.item("b").unwrap(), t.item("a").unwrap()];
        items.sort();
        assert!(t.remove_items(&items, 1));
        assert!(!t.remove_items(&items, 1));
        assert_eq!((t.len(), t.distinct_len(), t.iter().count()), (0, 0, 0));
        t.push(["b", "a"]);
        assert_eq!(t.iter().next().unwrap().count(), 1);
    }
}
