//! `cartlift mine ORDERS`: order history in, "bought together" rules out.
//!
//! Reads the file (or stdin, `-`) in one pass through the engine's incremental order
//! reader, mines frequent itemsets with FP-growth, derives rules, and writes them as the
//! config's `bought_together` rules (alone, or merged into a config with `--into`), or as
//! CSV / JSON lines for analysts. Progress shows on a terminal only; the summary always
//! goes to stderr.

mod output;

use crate::bought_together::{self, into, thousands};
use crate::flags::{Destination, OrderInput, OrderSettings, Output, Target};
use anyhow::{Context, Result, bail};
use cartlift_engine::config::raw::RawRanking;
use cartlift_engine::mining::{FpGrowth, MiningError, Ridge, RuleGen, Transactions};
use cartlift_engine::orders::{Format, Read as OrdersRead};
use cartlift_engine::quality::{
    CountChoice, MAX_PAIRS_PER_ORDER_FOR_SINGLES, MIN_CASES, Tuning, pairs_per_order,
    tune_min_count, tune_ridge,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Flags of `cartlift mine`.
#[derive(clap::Args)]
pub struct Args {
    /// The order history: a file, or `-` for stdin.
    orders: PathBuf,
    // `-o`, `--into`, `--backup`, shared with `import`.
    #[command(flatten)]
    out: Output,
    /// What to write: `config` rules (JSON), `csv` or `jsonl` with every measure.
    /// Default: by the output's extension (.csv, .jsonl), else config.
    #[arg(long, value_enum)]
    emit: Option<Emit>,
    // `--format`, `--delimiter`, `--order-col`, `--item-col`, `--strict`, shared with
    // `evaluate`.
    #[command(flatten)]
    input: OrderInput,
    /// The rows of each order are adjacent: do not keep the order-id index that merges
    /// orders whose rows are spread over the file (saves memory on huge exports).
    #[arg(long)]
    contiguous: bool,
    /// Minimum support: itemsets in at least ceil(S × orders) orders.
    #[arg(long, default_value_t = 0.01, value_name = "S")]
    min_support: f64,
    /// Or a count: itemsets in at least N orders, whatever the share (replaces
    /// `--min-support`). Long-tailed shops need it, and `--top` then keeps the config
    /// small. `auto`: 2, or 1 where that ranks better on held-out orders (tried for stores
    /// with at most 16 item pairs per order), as `cartlift evaluate` measures by default.
    #[arg(long, value_name = "N", conflicts_with = "min_support", value_parser = parse_min_count)]
    min_count: Option<MinCount>,
    /// Minimum confidence of a rule.
    #[arg(long, default_value_t = 0.1, value_name = "C")]
    min_confidence: f64,
    /// Minimum lift of a rule (1: bought together more often than chance; 0: no filter).
    #[arg(long, default_value_t = 1.0, value_name = "L")]
    min_lift: f64,
    /// Longest itemset (antecedent plus consequent). Default 2 with ranking weights (they
    /// are fitted for pairs: longer rules would add nothing to the widget's ranking), no
    /// limit with `--ridge off`.
    #[arg(long, value_name = "N")]
    max_len: Option<usize>,
    /// Longest consequent; the widget suggests one product per rule, so 1 by default.
    #[arg(long, default_value_t = 1, value_name = "N")]
    max_consequent: usize,
    /// Keep the N best rules of each antecedent: by weight, or with `--ridge off` by
    /// confidence, then lift.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// How to fit the pair rules' ranking weights: `auto` chooses the ridge penalty on a
    /// held-out 20% of the orders; `penalty=P,neighbours=N` fixes it (see
    /// `cartlift_engine::mining::Ridge`); `off` writes none (rules are then ranked by
    /// confidence, support and lift).
    #[arg(long, value_name = "SETTINGS", value_parser = parse_ridge, default_value = "auto")]
    ridge: RidgeArg,
    /// Print the summary as one JSON object (for scripts and benchmarks).
    #[arg(long)]
    summary_json: bool,
}

/// The minimum count `--min-count auto` starts from: pairs seen in two orders (see
/// docs/quality.md).
pub const MIN_COUNT: u32 = 2;

/// `--min-count`: a number, or `auto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MinCount {
    /// Choose between [`MIN_COUNT`] and 1 on held-out training orders.
    Auto,
    /// This many orders.
    Fixed(u32),
}

/// Parses `--min-count` (`auto` or a whole number of 1 or more) for `mine` and `evaluate`.
pub fn parse_min_count(text: &str) -> Result<MinCount, String> {
    if text == "auto" {
        return Ok(MinCount::Auto);
    }
    match text.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(MinCount::Fixed(n)),
        _ => Err(format!("{text:?}: `auto` or a whole number of 1 or more")),
    }
}

/// The minimum count `arg` asks for on `orders`: a fixed one as given; `auto` with `--ridge
/// auto` tries [`MIN_COUNT`] and, for stores of at most
/// [`MAX_PAIRS_PER_ORDER_FOR_SINGLES`] pairs per order, 1, and returns the choice with
/// its tuning (then already done for that count); otherwise [`MIN_COUNT`].
pub fn resolve_min_count(
    arg: MinCount,
    ridge: RidgeArg,
    orders: &Transactions,
    max_len: usize,
) -> Result<(u32, Option<CountChoice>), MiningError> {
    if let MinCount::Fixed(n) = arg {
        return Ok((n, None));
    }
    if ridge != RidgeArg::Auto || pairs_per_order(orders) > MAX_PAIRS_PER_ORDER_FOR_SINGLES {
        return Ok((MIN_COUNT, None));
    }
    let choice = tune_min_count(orders, &[MIN_COUNT, 1], max_len, Ridge::DEFAULT)?;
    Ok((choice.count, Some(choice)))
}

/// The summary line about `--min-count auto`'s choice (empty when nothing was chosen).
pub fn min_count_text(count: u32, tried: &[(u32, Option<f64>)]) -> String {
    if tried.is_empty() {
        return String::new();
    }
    let tried: Vec<String> = tried
        .iter()
        .map(|(c, hr)| match hr {
            Some(hr) => format!("{c}: {hr:.3}"),
            None => format!("{c}: too few baskets"),
        })
        .collect();
    format!(
        "  min count {count} chosen on held-out baskets (HR@4 of each count's ranking: {})\n",
        tried.join(", ")
    )
}

/// The same as JSON.
pub fn min_count_json(tried: &[(u32, Option<f64>)]) -> serde_json::Value {
    tried
        .iter()
        .map(|&(c, hr)| serde_json::json!({"min_count": c, "hr@4": hr}))
        .collect()
}

/// `--ridge`: how the pair rules' ranking weights are fitted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RidgeArg {
    /// Choose the penalty on held-out orders ([`tune_ridge`]): the default.
    Auto,
    /// No weights.
    Off,
    /// These settings.
    Fixed(Ridge),
}

/// Parses `--ridge` for `mine` and `evaluate`.
pub fn parse_ridge(text: &str) -> Result<RidgeArg, String> {
    match text.trim() {
        "auto" => Ok(RidgeArg::Auto),
        "off" => Ok(RidgeArg::Off),
        settings => settings.parse().map(RidgeArg::Fixed),
    }
}

/// The longest itemset mined when `--max-len` is not given: pairs when rules are weighted
/// (the weights are fitted for pairs, so longer rules would add nothing to the widget's
/// ranking), else no limit of its own.
pub fn default_max_len(ridge: RidgeArg) -> Option<usize> {
    (ridge != RidgeArg::Off).then_some(2)
}

/// The weights' settings `--ridge` asks for when mining `orders` with `miner` (`None`: no
/// weights), and the measurement behind them when chosen automatically.
pub fn resolve_ridge(
    arg: RidgeArg,
    orders: &Transactions,
    miner: &FpGrowth,
) -> Result<(Option<Ridge>, Option<Tuning>), MiningError> {
    Ok(match arg {
        RidgeArg::Off => (None, None),
        RidgeArg::Fixed(r) => (Some(r), None),
        RidgeArg::Auto => {
            let tuning = tune_ridge(orders, miner, Ridge::DEFAULT)?;
            (Some(tuning.ridge), Some(tuning))
        }
    })
}

/// The summary line about the weights.
pub fn ridge_text(ridge: Option<Ridge>, tuning: Option<&Tuning>) -> String {
    let Some(r) = ridge else {
        return "  ranking weights: off (rules are ranked by confidence, support and lift)\n"
            .into();
    };
    let how = match tuning {
        Some(t) if !t.hit_rates.is_empty() => {
            let hr = t
                .hit_rates
                .iter()
                .find(|&&(p, _)| p == r.penalty)
                .map_or(0.0, |&(_, hr)| hr);
            format!(
                "chosen on {} held-out baskets (HR@4 {hr:.3}; tried {})",
                thousands(t.cases as u64),
                t.hit_rates
                    .iter()
                    .map(|(p, hr)| format!("{p}: {hr:.3}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Some(t) => format!(
            "the default: only {} held-out baskets of 2+ items, fewer than {MIN_CASES} to choose on",
            t.cases
        ),
        None => "as given".into(),
    };
    let mut s = format!(
        "  ranking weights: ridge penalty {} x orders, {} neighbours, {how}\n",
        r.penalty, r.neighbours
    );
    if let Some(t) = tuning
        && let Some(hr) = t.hit_rate()
    {
        let summed = t.families.first().map_or(0.0, |f| f.2);
        s += &format!(
            "  ranking: {} (store.ranking peak {}, prior {}; HR@4 {hr:.3} on those baskets, summed weights alone {summed:.3})\n",
            family_text(t.peak, t.prior),
            t.peak,
            t.prior
        );
    }
    s
}

/// What a ranking family means, in words.
fn family_text(peak: f64, prior: f64) -> String {
    let mix = if peak == 0.0 {
        "summed weights".to_owned()
    } else if peak == 1.0 {
        "the most confident rule".to_owned()
    } else {
        format!(
            "{:.0}% summed weights, {:.0}% the most confident rule",
            (1.0 - peak) * 100.0,
            peak * 100.0
        )
    };
    if prior > 0.0 {
        format!("{mix}, popularity added ({prior}x)")
    } else {
        mix
    }
}

/// The same as JSON.
pub fn ridge_json(ridge: Option<Ridge>, tuning: Option<&Tuning>) -> serde_json::Value {
    match ridge {
        None => serde_json::Value::Null,
        Some(r) => serde_json::json!({
            "penalty": r.penalty,
            "neighbours": r.neighbours,
            "tuned_on_cases": tuning.map(|t| t.cases),
            "tried": tuning.map(|t| t.hit_rates.iter().map(|&(p, hr)| serde_json::json!({"penalty": p, "hr@4": hr})).collect::<Vec<_>>()),
            "ranking": tuning.map(|t| serde_json::json!({
                "peak": t.peak,
                "prior": t.prior,
                "tried": t.families.iter().map(|&(peak, prior, hr)| serde_json::json!({"peak": peak, "prior": prior, "hr@4": hr})).collect::<Vec<_>>(),
            })),
        }),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Emit {
    Config,
    Csv,
    Jsonl,
}

/// Malformed rows shown one by one; the rest are only counted.
const SHOWN_PROBLEMS: u64 = 50;

pub fn run(args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let settings = Settings::new(args)?;
    if settings.dest.backup {
        crate::write::keep_backups();
    }
    let progress = Progress::new();

    // Read.
    let t = Instant::now();
    let read = match read_orders(args, &settings, &progress)? {
        Ok(read) => read,
        Err(code) => return Ok(code),
    };
    let read_time = t.elapsed();
    let tx = &read.transactions;

    // Mine.
    progress.phase("finding frequent itemsets");
    let t = Instant::now();
    let max_len = args.max_len.or(default_max_len(args.ridge));
    // `--min-count auto` with `--ridge auto`: the count is chosen with the ranking.
    let mut chosen = None;
    let mut miner = match args.min_count {
        Some(arg) => {
            if arg == MinCount::Auto {
                progress.phase("choosing the minimum count and the ranking");
            }
            let (count, choice) = resolve_min_count(arg, args.ridge, tx, max_len.unwrap_or(2))?;
            chosen = choice.map(|c| (c.tuning, c.tried));
            FpGrowth::with_min_count(count)
        }
        None => FpGrowth::new(args.min_support)?,
    };
    if let Some(n) = max_len {
        miner = miner.max_len(n);
    }
    let itemsets = match miner.mine(tx) {
        Ok(itemsets) => itemsets,
        Err(e @ MiningError::TooManyItemsets { .. }) => {
            progress.done();
            eprintln!("cartlift: error: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    let mine_time = t.elapsed();

    // Rules.
    progress.phase("choosing ranking weights");
    let t = Instant::now();
    let (ridge, tuning) = match &chosen {
        Some((t, _)) => (Some(t.ridge), Some(t.clone())),
        None => resolve_ridge(args.ridge, tx, &miner)?,
    };
    // The ranking family chosen with the weights, for the config's `store.ranking`.
    let ranking = tuning.as_ref().map(|t| RawRanking {
        peak: t.peak,
        prior: t.prior,
    });
    progress.phase("deriving rules");
    let mut rule_gen = RuleGen::new()
        .weights(ridge)
        .min_confidence(args.min_confidence)
        .min_lift(args.min_lift)
        .max_consequent_len(args.max_consequent);
    if let Some(n) = args.top {
        rule_gen = rule_gen.top_per_antecedent(n);
    }
    let rules = rule_gen.generate(&itemsets, tx);
    let rules_time = t.elapsed();

    // Write.
    progress.phase("writing");
    let t = Instant::now();
    let written = match &settings.dest.to {
        Target::Into { config, output } => {
            let target = output.as_deref().unwrap_or(config);
            match into::merge(config, target, rules.iter(), tx, ranking)? {
                Ok(report) => Written::Into(report),
                Err(code) => {
                    progress.done();
                    return Ok(code);
                }
            }
        }
        Target::Rules(path) => {
            let path = path.as_deref();
            match settings.emit {
                Emit::Config => {
                    let chosen = ranking.filter(|r| *r != RawRanking::default());
                    bought_together::file::write(path, rules.iter(), tx, chosen)?
                }
                Emit::Csv => output::write_csv(path, &rules, tx)?,
                Emit::Jsonl => output::write_jsonl(path, &rules, tx)?,
            }
            Written::Standalone
        }
    };
    let write_time = t.elapsed();
    progress.done();

    let summary = Summary {
        input: display_input(&args.orders),
        ridge: (ridge, tuning),
        read: &read,
        itemsets: itemsets.len(),
        longest: itemsets.max_len(),
        min_count: itemsets.min_count(),
        count_tried: chosen.map(|(_, tried)| tried).unwrap_or_default(),
        rules: rules.len(),
        written,
        output: settings.dest.shown(),
        times: [
            read_time,
            mine_time,
            rules_time,
            write_time,
            started.elapsed(),
        ],
    };
    if args.summary_json {
        eprintln!("{}", summary.json());
    } else {
        eprint!("{}", summary.text(args, &settings.dest));
    }
    Ok(ExitCode::SUCCESS)
}

/// Flags turned into what the command works with; usage errors surface here.
struct Settings {
    orders: OrderSettings,
    dest: Destination,
    emit: Emit,
}

impl Settings {
    fn new(args: &Args) -> Result<Settings> {
        let orders = args.input.settings()?;
        let dest = args.out.destination()?;
        if !(args.min_support > 0.0 && args.min_support <= 1.0) {
            bail!(
                "--min-support {}: use a share of orders in (0, 1], e.g. 0.01",
                args.min_support
            );
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
        if args.max_consequent == 0 || args.max_len == Some(0) {
            bail!("--max-consequent and --max-len are at least 1");
        }
        let by_extension = |p: &Path| match p.extension().and_then(|e| e.to_str()) {
            Some("csv") => Emit::Csv,
            Some("jsonl" | "ndjson") => Emit::Jsonl,
            _ => Emit::Config,
        };
        let emit = args
            .emit
            .unwrap_or_else(|| dest.output().map(by_extension).unwrap_or(Emit::Config));
        if dest.config().is_some() && emit != Emit::Config {
            bail!("--into writes a config; --emit csv/jsonl go without it");
        }
        Ok(Settings { orders, dest, emit })
    }
}

fn display_input(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

/// Reads the whole input through the engine's reader. `Ok(Err(code))`: invalid input,
/// already reported.
fn read_orders(
    args: &Args,
    settings: &Settings,
    progress: &Progress,
) -> Result<std::result::Result<OrdersRead, ExitCode>> {
    let name = display_input(&args.orders);
    let (mut input, size): (Box<dyn Read>, Option<u64>) = if args.orders == Path::new("-") {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let file = std::fs::File::open(&args.orders).with_context(|| format!("reading {name}"))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(file), size)
    };
    progress.reading(size);
    let mut reader = settings.orders.reader().contiguous(args.contiguous);
    let mut shown = 0u64;
    let mut show = |problems: Vec<cartlift_engine::orders::OrderError>| {
        for p in problems {
            shown += 1;
            if shown <= SHOWN_PROBLEMS {
                progress.println(format!(
                    "cartlift: warning: {name}:{}: {} (row skipped)",
                    p.line, p.kind
                ));
            } else if shown == SHOWN_PROBLEMS + 1 {
                progress.println(format!(
                    "cartlift: warning: {name}: more malformed rows; they are counted in the summary"
                ));
            }
        }
    };
    let mut buf = vec![0u8; 1 << 18];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(anyhow::Error::new(e).context(format!("reading {name}"))),
        };
        if let Err(e) = reader.push(&buf[..n]) {
            progress.done();
            eprintln!("cartlift: error: {name}:{}: {}", e.line, e.kind);
            return Ok(Err(ExitCode::from(1)));
        }
        show(reader.take_problems());
        progress.read(reader.stats().bytes, reader.transactions().len());
    }
    match reader.finish() {
        Ok(mut read) => {
            show(std::mem::take(&mut read.problems));
            Ok(Ok(read))
        }
        Err(e) => {
            progress.done();
            eprintln!("cartlift: error: {name}:{}: {}", e.line, e.kind);
            Ok(Err(ExitCode::from(1)))
        }
    }
}

enum Written {
    Standalone,
    Into(into::Report),
}

struct Summary<'a> {
    input: String,
    read: &'a OrdersRead,
    ridge: (Option<Ridge>, Option<Tuning>),
    itemsets: usize,
    longest: usize,
    min_count: u32,
    /// `--min-count auto`'s measurement.
    count_tried: Vec<(u32, Option<f64>)>,
    rules: usize,
    written: Written,
    output: Option<String>,
    times: [Duration; 5],
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Summary<'_> {
    fn text(&self, args: &Args, dest: &Destination) -> String {
        let tx = &self.read.transactions;
        let stats = &self.read.stats;
        let format = match &self.read.format {
            Format::Baskets => "baskets",
            Format::Shopify => "Shopify export",
            Format::WooCommerce => "WooCommerce export",
            Format::OrderLines { .. } => "order lines",
            Format::Auto => "auto",
        };
        let mut s = format!(
            "{}: {} orders ({} distinct baskets) with {} items, {format}; {} malformed row(s) skipped",
            self.input,
            thousands(tx.len()),
            thousands(tx.distinct_len() as u64),
            thousands(tx.item_count() as u64),
            thousands(stats.skipped_rows),
        );
        if stats.merged_orders > 0 {
            s += &format!(
                "; {} order(s) with rows spread over the file merged",
                thousands(stats.merged_orders)
            );
        }
        let threshold = match args.min_count {
            Some(_) => String::new(),
            None => format!(" = min support {}", args.min_support),
        };
        s += &format!(
            "\n  {} frequent itemsets (in at least {} orders{threshold}), longest {} items\n",
            thousands(self.itemsets as u64),
            thousands(u64::from(self.min_count)),
            self.longest
        );
        s += &format!(
            "  {} rules (min confidence {}, min lift {}{})",
            thousands(self.rules as u64),
            args.min_confidence,
            args.min_lift,
            args.top
                .map(|n| format!(", top {n} per antecedent"))
                .unwrap_or_default()
        );
        s += "\n";
        s += &min_count_text(self.min_count, &self.count_tried);
        s += ridge_text(self.ridge.0, self.ridge.1.as_ref()).trim_end();
        match &self.written {
            Written::Standalone => {}
            Written::Into(r) => {
                let config = dest.config().unwrap_or(Path::new(""));
                s += &format!("\n  {}", r.text(config));
            }
        }
        if let Some(out) = &self.output {
            s += &format!(" -> {out}");
        }
        let [read, mine, rules, write, total] = self.times;
        s += &format!(
            "\n  time: read {:.1} ms, mine {:.1} ms, rules {:.1} ms, write {:.1} ms, total {:.1} ms\n",
            ms(read),
            ms(mine),
            ms(rules),
            ms(write),
            ms(total)
        );
        s
    }

    fn json(&self) -> String {
        let tx = &self.read.transactions;
        let [read, mine, rules, write, total] = self.times;
        let mut v = serde_json::json!({
            "input": self.input,
            "transactions": tx.len(),
            "distinct_baskets": tx.distinct_len(),
            "items": tx.item_count(),
            "skipped_rows": self.read.stats.skipped_rows,
            "merged_orders": self.read.stats.merged_orders,
            "min_count": self.min_count,
            "itemsets": self.itemsets,
            "longest": self.longest,
            "rules": self.rules,
            "ranking_weights": ridge_json(self.ridge.0, self.ridge.1.as_ref()),
            "min_count_tried": min_count_json(&self.count_tried),
            "output": self.output,
            "ms": {"read": ms(read), "mine": ms(mine), "rules": ms(rules), "write": ms(write), "total": ms(total)},
        });
        if let Written::Into(r) = &self.written {
            v["into"] = r.json();
        }
        v.to_string()
    }
}

/// A progress bar on stderr, shown only on a terminal and only once a run has taken long
/// enough to need one (short runs print nothing but the summary).
struct Progress {
    bar: Option<ProgressBar>,
}

const SHOW_AFTER: Duration = Duration::from_millis(300);

impl Progress {
    fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            bar.enable_steady_tick(Duration::from_millis(120));
            // Mining has no callbacks; a timer reveals the bar if the run is still going.
            let reveal = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(SHOW_AFTER);
                if !reveal.is_finished() {
                    reveal.set_draw_target(ProgressDrawTarget::stderr());
                }
            });
            bar
        });
        Progress { bar }
    }

    fn reading(&self, size: Option<u64>) {
        if let Some(bar) = &self.bar {
            match size {
                Some(size) => {
                    bar.set_length(size);
                    bar.set_style(
                        ProgressStyle::with_template(
                            "{spinner} reading {bytes}/{total_bytes} [{bar:30}] {msg} ({eta})",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                    );
                }
                None => bar.set_style(
                    ProgressStyle::with_template("{spinner} reading {bytes} {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                ),
            }
        }
    }

    fn read(&self, bytes: u64, orders: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            bar.set_message(format!("{} orders", thousands(orders)));
        }
    }

    fn phase(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(what.to_string());
        }
    }

    fn println(&self, line: String) {
        match &self.bar {
            Some(bar) if !bar.is_hidden() => bar.println(line),
            _ => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
