//! `cartlift evaluate ORDERS`: how often would the widget have suggested what shoppers
//! went on to buy?
//!
//! Splits the order history into training and test orders (seeded, or by date when the
//! export has dates), mines the training orders with the same miner and thresholds as
//! `cartlift mine`, hides one item of every test basket and asks the engine's cart
//! placement, as the widget would, for suggestions. The same run scores simple
//! baselines, so the figures mean something. The protocol lives in the engine
//! (`cartlift_engine::quality`); this module reads, prints and times.

use crate::bought_together::thousands;
use crate::flags::{OrderInput, OrderSettings};
use crate::mine::{
    MinCount, RidgeArg, default_max_len, min_count_json, min_count_text, parse_min_count,
    parse_ridge, resolve_min_count, resolve_ridge, ridge_json, ridge_text,
};
use anyhow::{Context, Result, bail};
use cartlift_engine::config::RawConfig;
use cartlift_engine::mining::{FpGrowth, Item, MiningError, Ridge, RuleGen};
use cartlift_engine::orders::{Column, Format, OrderReader, Read as OrdersRead};
use cartlift_engine::quality::{
    self, Baseline, Case, CoCounts, DateSplitError, Scorecard, Split, Tuning, WidgetRanker,
};
use cartlift_engine::recommend::Ranking;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Flags of `cartlift evaluate`.
#[derive(clap::Args)]
pub struct Args {
    /// The order history: a file, or `-` for stdin.
    orders: PathBuf,
    /// A store config: its hand-written rules and catalog join the mined rules (its own
    /// mined rules are dropped: they were mined from the test orders too).
    #[arg(long, value_name = "CONFIG")]
    config: Option<PathBuf>,
    /// The headline cutoff: HR@1, HR@k, HR@10 and MRR@10 are reported.
    #[arg(long, default_value_t = 4, value_name = "K")]
    k: usize,
    /// Seed of the split and of the hidden items.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Share of orders held out for testing.
    #[arg(long, default_value_t = quality::TEST_SHARE, value_name = "SHARE")]
    test_share: f64,
    /// How to split: by `date` when the export has dates (the latest orders are the
    /// test), else at `random`; `auto` takes dates when there are.
    #[arg(long, value_enum, default_value_t = SplitArg::Auto)]
    split: SplitArg,
    /// Order-line CSV: the column with the order date (Shopify and WooCommerce exports
    /// are known).
    #[arg(long, value_name = "COLUMN")]
    date_col: Option<String>,
    // `--format`, `--delimiter`, `--order-col`, `--item-col`, `--strict`, as for
    // `cartlift mine`.
    #[command(flatten)]
    input: OrderInput,
    /// Minimum support of the mined itemsets (share of training orders), on top of
    /// `--min-count`.
    #[arg(long, value_name = "S")]
    min_support: Option<f64>,
    /// Mined itemsets must be in at least N training orders. Far below `cartlift mine`'s
    /// default: the ranking shrinks thin evidence towards the base rate, and rare pairs
    /// cover the long tail of carts that strong rules do not.
    ///
    /// `auto` (the default): 2, or 1 where it ranks better on held-out training orders,
    /// tried for stores with at most 16 item pairs per order (a long tail bought two or
    /// three at a time, where a pair seen once is most of the evidence there is).
    #[arg(long, default_value = "auto", value_name = "N", value_parser = parse_min_count)]
    min_count: MinCount,
    /// Minimum confidence of a mined rule.
    #[arg(long, default_value_t = 0.0, value_name = "C")]
    min_confidence: f64,
    /// Minimum lift of a mined rule (0: no filter).
    #[arg(long, default_value_t = 0.0, value_name = "L")]
    min_lift: f64,
    /// Longest itemset (antecedent plus consequent). Default 2, as for `cartlift mine`
    /// (the ranking weights are fitted for pairs); 3 with `--ridge off`, where 3-item rules
    /// help (synthetic shop HR@4 0.497 with pairs only, 0.516 with them).
    #[arg(long, value_name = "N")]
    max_len: Option<usize>,
    /// Keep the N best rules of each antecedent: by weight, or with `--ridge off` by
    /// confidence, then lift.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Evaluate on validation orders carved from the training orders (the same share,
    /// seeded), mining only the rest: for tuning, so the test orders are never looked at.
    #[arg(long)]
    validation: bool,
    /// Rank with these settings instead of the widget's (`smoothing=S,power=P,longer=W`;
    /// see `cartlift_engine::recommend::Ranking`), for tuning.
    #[arg(long, value_name = "SETTINGS")]
    ranking: Option<Ranking>,
    /// How to fit the pair rules' ranking weights, as for `cartlift mine`: `auto` chooses
    /// the penalty on a held-out 20% of the training orders (the test orders are never
    /// looked at); `penalty=P,neighbours=N`; `off`.
    #[arg(long, value_name = "SETTINGS", value_parser = parse_ridge, default_value = "auto")]
    ridge: RidgeArg,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SplitArg {
    Auto,
    Random,
    Date,
}

/// Malformed rows shown one by one; the rest are only counted.
const SHOWN_PROBLEMS: usize = 20;

impl Args {
    /// `--max-len`, or its default for `--ridge`.
    fn max_len(&self) -> usize {
        self.max_len.or(default_max_len(self.ridge)).unwrap_or(3)
    }
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let input = settings(args)?;
    let name = if args.orders == Path::new("-") {
        "<stdin>".to_string()
    } else {
        args.orders.display().to_string()
    };
    let mut bytes = Vec::new();
    if args.orders == Path::new("-") {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("reading <stdin>")?;
    } else {
        bytes = std::fs::read(&args.orders).with_context(|| format!("reading {name}"))?;
    }
    let store = match &args.config {
        Some(path) => match load_store(path)? {
            Ok(raw) => Some(raw),
            Err(code) => return Ok(code),
        },
        None => None,
    };

    // Read and split.
    let t = Instant::now();
    let Some(all) = read(&name, &bytes, &input.format, input.delimiter, input.strict)? else {
        return Ok(ExitCode::from(1));
    };
    let (split, how) = match split(args, &name, &bytes, &all, &input)? {
        Some(s) => s,
        None => return Ok(ExitCode::from(1)),
    };
    let split = if args.validation {
        Split::random(
            &split.train,
            args.test_share,
            args.seed ^ quality::VALIDATION_STREAM,
        )
    } else {
        split
    };
    let read_time = t.elapsed();

    // Mine the training orders.
    let t = Instant::now();
    // `--min-count auto` with `--ridge auto`: the count is chosen with the ranking.
    let (count, choice) =
        resolve_min_count(args.min_count, args.ridge, &split.train, args.max_len())?;
    let (chosen, count_tried) = match choice {
        Some(c) => (Some(c.tuning), c.tried),
        None => (None, Vec::new()),
    };
    let min_count = match args.min_support {
        Some(share) => FpGrowth::new(share)?
            .min_count_for(split.train.len())
            .max(count),
        None => count,
    };
    let miner = FpGrowth::with_min_count(min_count).max_len(args.max_len());
    let itemsets = match miner.mine(&split.train) {
        Ok(itemsets) => itemsets,
        Err(e @ MiningError::TooManyItemsets { .. }) => {
            eprintln!("cartlift: error: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    let (ridge, tuning) = match chosen {
        // Tuned with this very miner above (the support can only raise the count).
        Some(t) if min_count == count => (Some(t.ridge), Some(t)),
        _ => resolve_ridge(args.ridge, &split.train, &miner)?,
    };
    let mut rule_gen = RuleGen::new()
        .weights(ridge)
        .min_confidence(args.min_confidence)
        .min_lift(args.min_lift);
    if let Some(n) = args.top {
        rule_gen = rule_gen.top_per_antecedent(n);
    }
    let rules = rule_gen.generate(&itemsets, &split.train);
    let mine_time = t.elapsed();

    // Rank.
    let t = Instant::now();
    let cases = split.cases(args.seed);
    let mut cards: Vec<(&str, &str, Scorecard)> = Vec::new();
    let depth = Scorecard::new(args.k).depth();
    // The baselines' counts on a second thread while the widget's config is built.
    let (built, counts) = std::thread::scope(|s| {
        let counts = s.spawn(|| CoCounts::new(&split.train));
        let built = WidgetRanker::new(store.as_ref(), &split.train, &rules, depth);
        (built, counts.join().expect("counting does not panic"))
    });
    let (mut widget, assembly) = match built {
        Ok(w) => w,
        Err(e) => {
            for p in &e.problems {
                eprintln!("cartlift: error: evaluation config: {p}");
            }
            return Ok(ExitCode::from(1));
        }
    };
    // The ranking `cartlift mine` would write into the config (`store.ranking`), or the
    // one asked for.
    if let Some(ranking) = args.ranking.or(tuning.as_ref().map(Tuning::ranking)) {
        widget.set_ranking(ranking);
    }
    let ranking = widget.config().ranking();
    // Each method on every case; the cases in two halves on two threads (the engine and
    // the counts are read-only, each thread has its own scratch).
    let score = |widget: &mut WidgetRanker, part: &[Case]| -> Vec<Scorecard> {
        let mut ranked = Vec::with_capacity(depth);
        let mut baselines: [Vec<Item>; 4] = Default::default();
        let mut out = vec![Scorecard::new(args.k); 1 + Baseline::ALL.len()];
        for case in part {
            widget.rank(&case.cart, depth, &mut ranked);
            out[0].add(&ranked, case.hidden);
            Baseline::rank_all(&counts, &case.cart, depth, &mut baselines);
            for (ranked, card) in baselines.iter().zip(&mut out[1..]) {
                card.add(ranked, case.hidden);
            }
        }
        out
    };
    let (first, second) = cases.split_at(cases.len() / 2);
    let mut other = widget.clone();
    let (mut totals, rest) = std::thread::scope(|s| {
        let rest = s.spawn(|| score(&mut other, second));
        let totals = score(&mut widget, first);
        (
            totals,
            rest.join().expect("a ranking thread does not panic"),
        )
    });
    for (total, part) in totals.iter_mut().zip(&rest) {
        total.merge(part);
    }
    let mut totals = totals.into_iter();
    cards.push((
        "cartlift",
        "cartlift",
        totals.next().expect("the widget's card"),
    ));
    for (baseline, card) in Baseline::ALL.iter().zip(totals) {
        cards.push((baseline.key(), baseline.name(), card));
    }
    let rank_time = t.elapsed();

    let report = Report {
        input: name,
        orders: all.transactions.len(),
        how,
        train: split.train.len(),
        test: split.test.len(),
        cases: cases.len(),
        itemsets: itemsets.len(),
        min_count,
        count_tried,
        ranking,
        rules: assembly.mined_rules,
        ridge: (ridge, tuning),
        assembly,
        cards,
        times: [read_time, mine_time, rank_time, started.elapsed()],
    };
    if args.json {
        println!("{}", report.json(args));
    } else {
        print!("{}", report.table(args));
        let [read, mine, rank, total] = report.times;
        eprintln!(
            "time: read and split {:.1} ms, mine {:.1} ms, rank {:.1} ms, total {:.1} ms",
            ms(read),
            ms(mine),
            ms(rank),
            ms(total)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn settings(args: &Args) -> Result<OrderSettings> {
    let orders = args.input.settings()?;
    if let Some(share) = args.min_support
        && !(share > 0.0 && share <= 1.0)
    {
        bail!("--min-support {share}: use a share of orders in (0, 1]");
    }
    if !(0.0..=1.0).contains(&args.min_confidence) {
        bail!(
            "--min-confidence {}: use a value in [0, 1]",
            args.min_confidence
        );
    }
    if args.min_lift.is_nan() || args.min_lift < 0.0 {
        bail!("--min-lift {}: use a value of 0 or more", args.min_lift);
    }
    if args.max_len() < 2 {
        bail!("--max-len {}: rules need at least 2 items", args.max_len());
    }
    if args.k == 0 {
        bail!("--k is at least 1");
    }
    if !(args.test_share > 0.0 && args.test_share < 1.0) {
        bail!("--test-share {}: use a share in (0, 1)", args.test_share);
    }
    Ok(orders)
}

/// Reads orders; `None`: invalid input, already reported.
fn read(
    name: &str,
    bytes: &[u8],
    format: &Format,
    delimiter: u8,
    strict: bool,
) -> Result<Option<OrdersRead>> {
    let mut reader = OrderReader::with_delimiter(format.clone(), delimiter).strict(strict);
    let finished = reader.push(bytes).and_then(|()| reader.finish());
    let read = match finished {
        Ok(read) => read,
        Err(e) => {
            eprintln!("cartlift: error: {name}:{}: {}", e.line, e.kind);
            return Ok(None);
        }
    };
    for (i, p) in read.problems.iter().enumerate() {
        if i == SHOWN_PROBLEMS {
            eprintln!(
                "cartlift: warning: {name}: {} more malformed row(s) skipped",
                read.problems.len() - i
            );
            break;
        }
        eprintln!(
            "cartlift: warning: {name}:{}: {} (row skipped)",
            p.line, p.kind
        );
    }
    Ok(Some(read))
}

/// How the orders were split, for the report.
enum How {
    Random,
    Date { column: String, cutoff: String },
}

/// The split: by date where the export has dates (and `--split` allows), else random.
/// `None`: the input cannot be split as asked (reported).
fn split(
    args: &Args,
    name: &str,
    bytes: &[u8],
    all: &OrdersRead,
    input: &OrderSettings,
) -> Result<Option<(Split, How)>> {
    let random = || {
        Some((
            Split::random(&all.transactions, args.test_share, args.seed),
            How::Random,
        ))
    };
    if args.split == SplitArg::Random {
        return Ok(random());
    }
    // (order columns, date columns) to try, by format.
    let named = |names: &[&str]| names.iter().map(|n| Column::parse(n)).collect::<Vec<_>>();
    let (orders, dates): (Vec<Column>, Vec<Column>) = match (&all.format, &args.date_col) {
        (_, Some(date)) => {
            let orders = match &all.format {
                Format::OrderLines { order, .. } => vec![order.clone()],
                Format::Shopify => named(&["Name"]),
                Format::WooCommerce => named(&[
                    "Order ID",
                    "Order Number",
                    "order_id",
                    "order_number",
                    "Order #",
                ]),
                _ => bail!(
                    "--date-col needs an order-line input (Shopify, WooCommerce or --order-col)"
                ),
            };
            (orders, vec![Column::parse(date)])
        }
        (Format::Shopify, None) => (named(&["Name"]), named(&["Created at", "Paid at"])),
        (Format::WooCommerce, None) => (
            named(&[
                "Order ID",
                "Order Number",
                "order_id",
                "order_number",
                "Order #",
            ]),
            named(&["Order Date", "Date", "order_date", "Date Created"]),
        ),
        _ => {
            if args.split == SplitArg::Date {
                bail!("{name} has no dates: use --date-col, or --split random");
            }
            return Ok(random());
        }
    };
    let mut last_error = None;
    for order in &orders {
        for date in &dates {
            match quality::split_rows_by_date(bytes, input.delimiter, order, date, args.test_share)
            {
                Ok(cut) => {
                    let Some(train) =
                        read(name, &cut.train, &all.format, input.delimiter, input.strict)?
                    else {
                        return Ok(None);
                    };
                    let Some(test) =
                        read(name, &cut.test, &all.format, input.delimiter, input.strict)?
                    else {
                        return Ok(None);
                    };
                    let split = Split::from_parts(train.transactions, &test.transactions);
                    return Ok(Some((
                        split,
                        How::Date {
                            column: date.to_string(),
                            cutoff: cut.cutoff,
                        },
                    )));
                }
                Err(DateSplitError::MissingColumn(_)) => continue,
                Err(e) => last_error = Some(e),
            }
        }
    }
    match (args.split, last_error) {
        (SplitArg::Date, Some(e)) => {
            eprintln!("cartlift: error: {name}: cannot split by date: {e}");
            Ok(None)
        }
        (SplitArg::Date, None) => {
            eprintln!("cartlift: error: {name}: no date column found; use --date-col");
            Ok(None)
        }
        (_, Some(e)) => {
            eprintln!("cartlift: warning: {name}: not split by date ({e}); split at random");
            Ok(random())
        }
        (_, None) => Ok(random()),
    }
}

/// The store config, checked like `mine --into` checks it. `Err(code)`: invalid.
fn load_store(path: &Path) -> Result<std::result::Result<RawConfig, ExitCode>> {
    let valid = crate::config_file::load_valid(path, "fix them before evaluating with it")?;
    Ok(valid.map(|valid| valid.raw))
}

struct Report<'a> {
    input: String,
    orders: u64,
    how: How,
    train: u64,
    test: usize,
    cases: usize,
    itemsets: usize,
    min_count: u32,
    /// `--min-count auto`'s measurement: HR@4 of the chosen ranking per count tried.
    count_tried: Vec<(u32, Option<f64>)>,
    /// The ranking the widget was measured with.
    ranking: Ranking,
    rules: usize,
    ridge: (Option<Ridge>, Option<Tuning>),
    assembly: quality::Assembly,
    cards: Vec<(&'a str, &'a str, Scorecard)>,
    times: [Duration; 4],
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Report<'_> {
    fn split_text(&self, args: &Args) -> String {
        let pct = (args.test_share * 100.0).round();
        match &self.how {
            How::Random => format!("random {}/{pct} split, seed {}", 100.0 - pct, args.seed),
            How::Date { column, cutoff } => {
                format!("split by date ({column}): test orders from {cutoff} on")
            }
        }
    }

    fn table(&self, args: &Args) -> String {
        let k = args.k;
        let mut s = format!(
            "{}: {} orders, {}\n  train {} orders; test {} orders, {} baskets with 2+ items, one item hidden in each (seed {})\n  {} rules mined from the training orders (itemsets in {}+ orders, min confidence {}, min lift {}, max length {})\n",
            self.input,
            thousands(self.orders),
            self.split_text(args),
            thousands(self.train),
            thousands(self.test as u64),
            thousands(self.cases as u64),
            args.seed,
            thousands(self.rules as u64),
            self.min_count,
            args.min_confidence,
            args.min_lift,
            args.max_len(),
        );
        s += &min_count_text(self.min_count, &self.count_tried);
        s += &ridge_text(self.ridge.0, self.ridge.1.as_ref());
        if args.validation {
            s += "  validation run: the \"test\" orders above are held out of the training orders; the real test orders are not used\n";
        }
        if let Some(r) = args.ranking {
            s += &format!(
                "  ranking: smoothing {}, power {}, damping {}, spread {}, longer {}, weights {} (the widget's: {:?})\n",
                r.smoothing,
                r.power,
                r.damping,
                r.spread,
                r.longer,
                u8::from(r.weighted),
                Ranking::DEFAULT
            );
        }
        let a = &self.assembly;
        if args.config.is_some() {
            s += &format!(
                "  with {} hand-written rule(s) from {}; its {} mined rule(s) dropped; {} item(s) added to its catalog, {} matched by title\n",
                a.hand_rules,
                args.config
                    .as_deref()
                    .map(Path::display)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                a.dropped_mined,
                a.added_products,
                a.by_title
            );
        }
        let mut cuts = vec![1, k, 10];
        cuts.dedup();
        cuts.sort_unstable();
        cuts.dedup();
        s += &format!("\n{:<26}", "method");
        for c in &cuts {
            s += &format!(" {:>7}", format!("HR@{c}"));
        }
        s += &format!(" {:>7} {:>9}\n", "MRR@10", format!("{k}+ shown"));
        for (_, name, card) in &self.cards {
            s += &format!("{name:<26}");
            for &c in &cuts {
                s += &format!(" {:>7.3}", card.hit_rate(c));
            }
            s += &format!(" {:>7.3} {:>8.1}%\n", card.mrr(), card.coverage() * 100.0);
        }
        s
    }

    fn json(&self, args: &Args) -> String {
        let methods: serde_json::Map<String, serde_json::Value> = self
            .cards
            .iter()
            .map(|(key, name, card)| {
                let mut m = serde_json::json!({
                    "name": name,
                    "hr@1": card.hit_rate(1),
                    "hr@10": card.hit_rate(10),
                    "mrr@10": card.mrr(),
                    "coverage": card.coverage(),
                });
                m[format!("hr@{}", args.k)] = card.hit_rate(args.k).into();
                (key.to_string(), m)
            })
            .collect();
        let split = match &self.how {
            How::Random => {
                serde_json::json!({"by": "random", "seed": args.seed, "test_share": args.test_share})
            }
            How::Date { column, cutoff } => {
                serde_json::json!({"by": "date", "column": column, "cutoff": cutoff, "test_share": args.test_share})
            }
        };
        let [read, mine, rank, total] = self.times;
        let a = &self.assembly;
        let widget_ranking = self.ranking;
        serde_json::json!({
            "input": self.input,
            "orders": self.orders,
            "split": split,
            "train_orders": self.train,
            "test_orders": self.test,
            "cases": self.cases,
            "seed": args.seed,
            "k": args.k,
            "validation": args.validation,
            "ranking": {
                "smoothing": widget_ranking.smoothing,
                "power": widget_ranking.power,
                "damping": widget_ranking.damping,
                "spread": widget_ranking.spread,
                "longer": widget_ranking.longer,
                "weights": widget_ranking.weighted,
                "peak": widget_ranking.peak,
                "prior": widget_ranking.prior,
            },
            "ranking_weights": ridge_json(self.ridge.0, self.ridge.1.as_ref()),
            "mining": {
                "min_support": args.min_support, "min_count": self.min_count, "min_confidence": args.min_confidence,
                "min_lift": args.min_lift, "max_len": args.max_len(), "top": args.top,
                "itemsets": self.itemsets, "rules": self.rules,
                "min_count_tried": min_count_json(&self.count_tried),
            },
            "config": args.config.as_ref().map(|p| serde_json::json!({
                "path": p.display().to_string(), "hand_rules": a.hand_rules,
                "dropped_mined": a.dropped_mined, "added_products": a.added_products,
                "by_title": a.by_title,
            })),
            "methods": methods,
            "ms": {"read": ms(read), "mine": ms(mine), "rank": ms(rank), "total": ms(total)},
        })
        .to_string()
    }
}
