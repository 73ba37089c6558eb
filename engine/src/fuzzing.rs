//! What one fuzz input does, shared by the cargo-fuzz targets (`engine/fuzz/`) and the
//! replay test of the regression corpus (`engine/tests/engine/fuzz_regressions.rs`), so a
//! crash found once is replayed through exactly the same code on stable.
//!
//! Only built with the `fuzzing` feature; not part of the engine's API. Each function takes
//! arbitrary bytes and must return normally: a panic, an abort, or an assertion failed here
//! is a finding.

use crate::copy::CopyKey;
use crate::mining::{FpGrowth, RuleGen};
use crate::orders::{Column, Format, OrderReader, Read};
use crate::{BasketLine, Config, Context, Money, Placement, PlainFormat};

/// Longest input worth running: libFuzzer is told the same (`-max_len`), and the replay
/// test refuses regression files above it.
pub const MAX_LEN: usize = 64 * 1024;

/// Mining stops beyond this many itemsets (a 12-item basket mined at a count of 1 has
/// 4,095): enough to reach every path of FP-growth and rule generation, small enough to
/// keep thousands of executions a second.
const MAX_ITEMSETS: usize = 2_000;

/// Times the engine is asked at: the epoch, a date in the test stores' rule windows, before
/// the epoch, and the last second of year 9999.
const NOWS: [i64; 4] = [0, 1_796_083_200, -86_400, 253_402_300_799];

/// A config, as the widget and the CLI read it: bytes as text (lossily, as a browser's
/// `Response.text()` does), read and validated keeping what is valid, at once and in the
/// smallest steps (which must agree); what the reader reads without a reading problem,
/// serde's derive reads alike (the schema is the serde types, and nothing else); whatever
/// builds is asked for recommendations in every placement, with a basket made of the first
/// few catalog products, and every reason and heading is put into words.
pub fn config(data: &[u8]) {
    use crate::config::read::text;
    if data.len() > MAX_LEN {
        return;
    }
    let text = String::from_utf8_lossy(data);
    // `Config::from_json` is this plus "no error among the problems".
    let read = Config::read(&text);
    // The widget loads in steps: the smallest steps give the same outcome.
    if let Ok((document, duplicates)) = text::parse(&text) {
        let mut loading = crate::config::Loading::with_duplicates(&document, duplicates);
        let stepped = loop {
            if let Some(read) = loading.step(1) {
                break read;
            }
        };
        let said = |problems: &[crate::Problem]| {
            let mut said: Vec<String> = problems
                .iter()
                .map(|p| format!("{:?} {} {}", p.severity, p.path, p.message))
                .collect();
            said.sort();
            said
        };
        assert!(
            said(&stepped.problems) == said(&read.problems),
            "loading in steps found other problems"
        );
        let shape = |c: &Option<Config>| c.as_ref().map(|c| (c.products().len(), c.rules().len()));
        assert!(
            shape(&stepped.config) == shape(&read.config),
            "loading in steps built another config"
        );
    }
    // What reads whole, serde's derive (deny_unknown_fields and all) reads too, to the
    // same values.
    if read.is_whole() {
        match serde_json::from_str::<crate::RawConfig>(&text) {
            Ok(serde) => assert!(read.raw == serde, "the reader and serde read differently"),
            Err(e) => panic!("the reader accepts what serde refuses: {e}"),
        }
    }
    for problem in &read.problems {
        let _ = problem.to_string();
    }
    // The bytes as a compiled config: refused or read, never a panic, and the same in the
    // smallest steps as at once.
    let once = Config::from_compiled(data).map(|c| c.to_compiled().ok());
    assert!(
        decode_in_steps(data).map(|c| c.to_compiled().ok()) == once,
        "decoding in steps read the bytes otherwise"
    );
    if let Some(config) = read.config {
        // What builds compiles, and reads back, in steps, to the same bytes.
        if let Ok(bytes) = config.to_compiled() {
            let back = decode_in_steps(&bytes).map(|c| c.to_compiled().ok());
            assert!(
                back == Ok(Some(bytes)),
                "a compiled config did not read back"
            );
        }
        evaluate(&config, data);
    }
}

/// A compiled config decoded one product or rule at a time.
fn decode_in_steps(bytes: &[u8]) -> Result<Config, crate::config::CompiledError> {
    let mut decoding = crate::config::Decoding::new(bytes);
    loop {
        if let Some(done) = decoding.step(1) {
            return done;
        }
    }
}

/// Recommendations for every placement, with choices (basket, quantities, prices, time)
/// drawn from the input's bytes so they vary with it.
fn evaluate(config: &Config, data: &[u8]) {
    let mut pick = Picker::new(data);
    let products = config.products();
    let quantities = [1, 2, 3, 1000, u32::MAX, 0];
    let mut basket: Vec<BasketLine> = Vec::new();
    for p in products.iter().take(pick.next() % 5) {
        basket.push(BasketLine {
            product: p.id.clone(),
            variant: match pick.next() % 3 {
                0 => None,
                1 => p.variants.first().map(|v| v.id.clone()),
                _ => Some("no-such-variant".into()),
            },
            quantity: quantities[pick.next() % quantities.len()],
            price: match pick.next() % 4 {
                0 => None,
                1 => Some(p.price),
                2 => Some(Money(i64::MAX / 3)),
                _ => Some(Money(-1)),
            },
        });
    }
    if pick.next() % 4 == 0 {
        basket.push(BasketLine {
            product: "not-in-the-catalog".into(),
            variant: None,
            quantity: 1,
            price: None,
        });
    }
    let page = match products.get(pick.next() % (products.len() + 1)) {
        Some(p) => p.id.as_str(),
        None => "not-in-the-catalog",
    };
    let now = NOWS[pick.next() % NOWS.len()];
    let excluded: Vec<&str> = products
        .iter()
        .rev()
        .take(1)
        .map(|p| p.id.as_str())
        .collect();
    // The first segment a rule names, and one no rule names.
    let segment = config
        .rules()
        .iter()
        .flat_map(|r| r.conditions().segments.iter())
        .next()
        .map_or("vip", String::as_str);
    let segments = [segment, "returning"];

    let fmt = PlainFormat(config.store().currency);
    let locales: Vec<&str> = config.store().translations.locales().collect();
    for placement in Placement::ALL {
        let mut ctx = Context::new(placement, now).basket(&basket).traced();
        if placement == Placement::Product {
            ctx = ctx.product(page);
        }
        if pick.next() % 2 == 0 {
            ctx = ctx.segments(&segments).exclude(&excluded);
        }
        let recs = config.recommend(&ctx);
        let _ = recs.is_empty();
        let _ = config.basket_value(&basket, &crate::live::NONE);
        for locale in locales.iter().map(|l| Some(*l)).chain([None, Some("xx")]) {
            let locale = config.locale(locale);
            for key in CopyKey::ALL {
                let _ = config.section_title(*key, &recs.cross_sells, &locale);
            }
            let reasons = recs
                .cross_sells
                .iter()
                .chain(&recs.add_ons)
                .chain(recs.free_shipping.iter().flat_map(|f| &f.items))
                .flat_map(|s| &s.reasons)
                .chain(recs.upgrades.iter().flat_map(|u| &u.reasons));
            for reason in reasons {
                let _ = config.reason_text(reason, &locale, &fmt);
            }
        }
        if let Some(shipping) = &recs.free_shipping {
            let progress = shipping.progress();
            assert!((0.0..=1.0).contains(&progress), "progress {progress}");
        }
        let shown: Vec<_> = recs.products().collect();
        let _ = config.bundle_price(&shown, true, &crate::live::NONE);
        let _ = config.bundle_price(&shown, false, &crate::live::NONE);
        for f in &recs.filtered {
            let _ = config.rule(f.rule);
            let _ = f.why.describe();
        }
    }
}

/// An order file through every reader: auto-detection, baskets, order lines by position
/// and by name, Shopify, WooCommerce; read in one piece and again in small chunks (the two
/// must agree), then, if it holds orders, mined with bounded parameters.
pub fn orders(data: &[u8]) {
    if data.len() > MAX_LEN {
        return;
    }
    let formats = [
        Format::Auto,
        Format::Baskets,
        Format::OrderLines {
            order: Column::Index(0),
            items: vec![Column::Index(2), Column::Index(1)],
        },
        Format::OrderLines {
            order: Column::parse("order"),
            items: vec![Column::parse("sku"), Column::parse("name")],
        },
        Format::Shopify,
        Format::WooCommerce,
    ];
    let chunk = 1 + data.first().map_or(0, |&b| usize::from(b % 7));
    for format in formats {
        // `;` (European exports) and ` ` (the frequent-itemset benchmark files, whose
        // lines end with a space) change how a file splits, not the code that reads it:
        // tried where the format is guessed from the content.
        let guessed = matches!(format, Format::Auto | Format::Baskets);
        for delimiter in [b',', b';', b' ']
            .into_iter()
            .take(if guessed { 3 } else { 1 })
        {
            let whole = read(format.clone(), delimiter, data, data.len().max(1), false);
            let chunked = read(format.clone(), delimiter, data, chunk, false);
            match (&whole, &chunked) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.transactions.len(), b.transactions.len(), "{format:?}");
                    assert_eq!(
                        a.transactions.item_count(),
                        b.transactions.item_count(),
                        "{format:?}"
                    );
                    assert_eq!(a.stats.rows, b.stats.rows, "{format:?}");
                    assert_eq!(a.format, b.format, "{format:?}");
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{format:?}"),
                _ => panic!("{format:?}: whole {whole:?}, chunked {chunked:?}"),
            }
            if delimiter == b',' {
                let _ = read(format.clone(), delimiter, data, chunk, true);
                if let Ok(read) = whole {
                    mine(&read);
                }
            }
        }
    }
}

/// Reads `data` in pieces of `chunk` bytes; problems are taken as they come, as the CLI
/// does.
fn read(
    format: Format,
    delimiter: u8,
    data: &[u8],
    chunk: usize,
    strict: bool,
) -> Result<Read, crate::orders::OrderError> {
    // The strict run also promises grouped rows (no order-id index).
    let contiguous = strict;
    let mut reader = OrderReader::with_delimiter(format, delimiter)
        .strict(strict)
        .contiguous(contiguous);
    for piece in data.chunks(chunk) {
        reader.push(piece)?;
        for problem in reader.take_problems() {
            let _ = problem.to_string();
        }
    }
    reader.finish()
}

/// FP-growth and rules, bounded so no input can run away: short itemsets, a cap on their
/// number, and a minimum count of 2 when there are enough orders.
fn mine(read: &Read) {
    let tx = &read.transactions;
    if tx.is_empty() {
        return;
    }
    let min = if tx.len() >= 4 { 2 } else { 1 };
    for miner in [
        FpGrowth::with_min_count(min)
            .max_len(3)
            .max_itemsets(MAX_ITEMSETS),
        FpGrowth::new(0.1)
            .expect("0.1 is a valid support")
            .max_len(5)
            .max_itemsets(MAX_ITEMSETS),
    ] {
        let Ok(itemsets) = miner.mine(tx) else {
            continue;
        };
        for set in itemsets.iter().take(100) {
            let items: Vec<_> = set.items().collect();
            assert_eq!(itemsets.count_of(&items), Some(set.count()));
            let _ = tx.names(&items);
        }
        let rules = RuleGen::new()
            .min_confidence(0.1)
            .min_lift(1.0)
            .max_consequent_len(2)
            .top_per_antecedent(5)
            .generate(&itemsets, tx);
        for rule in rules.iter() {
            for measure in [rule.support(), rule.confidence()] {
                assert!((0.0..=1.0).contains(&measure), "measure {measure}");
            }
            let _ = (rule.lift(), rule.leverage(), rule.conviction());
        }
    }
}

/// Deterministic choices from the input bytes (cycling; zeros for an empty input).
struct Picker<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Picker<'a> {
    fn new(data: &'a [u8]) -> Picker<'a> {
        Picker { data, at: 0 }
    }

    fn next(&mut self) -> usize {
        if self.data.is_empty() {
            return 0;
        }
        // Walk the input from its end: the front is mostly JSON punctuation.
        let b = self.data[self.data.len() - 1 - self.at % self.data.len()];
        self.at += 1;
        usize::from(b)
    }
}
