//! `cartlift email CONFIG --basket 'A,B*2' [-o block.html]` and `cartlift email CONFIG
//! --orders ORDERS.csv --out-dir blocks/`: the suggestions of the confirmation (or cart)
//! placement, rendered ahead of time for a post-purchase or abandoned-cart email, since
//! email clients run no script. The engine is asked exactly as the widget asks it, so the
//! email and the page agree; `block.rs` writes the block down.

mod block;

use crate::config_file;
use crate::links::{Links, parse_utm};
use crate::locale_format::LocaleFormat;
use crate::write::{self, Folder, csv_field};
use anyhow::{Context as _, Result, bail};
use block::Block;
use cartlift_engine::config::shard::safe_name;
use cartlift_engine::report::orders::{Catalog, OrdersReader};
use cartlift_engine::{BasketLine, Config, Context, Placement};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Gmail clips a message's HTML above 102 KB; a block this large is reported.
const CLIP_WARNING: usize = 50_000;

/// Flags of `cartlift email`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").args(["basket", "orders"]).required(true)))]
pub struct Args {
    /// The config file (JSON).
    config: PathBuf,
    /// The order (or cart) to suggest for: product ids, comma-separated; `ID*3` for a
    /// quantity.
    #[arg(long, value_delimiter = ',')]
    basket: Vec<String>,
    /// Many orders at once: a Shopify orders export, a WooCommerce order export, or a plain
    /// CSV (order_id, sku, quantity); one block per order, in --out-dir.
    #[arg(long, value_name = "ORDERS.csv", requires = "out_dir")]
    orders: Option<PathBuf>,
    /// The folder of --orders' blocks (replaced if it holds an earlier `cartlift email`
    /// output).
    #[arg(long, value_name = "DIR", requires = "orders")]
    out_dir: Option<PathBuf>,
    /// The placement the email stands for: confirmation (after a purchase) or cart (an
    /// abandoned cart).
    #[arg(long, default_value = "confirmation", value_parser = ["confirmation", "cart"])]
    placement: String,
    /// The language of the texts and prices (default: the store's).
    #[arg(long)]
    locale: Option<String>,
    /// Where relative catalog URLs live, e.g. https://shop.example.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// A UTM parameter for every link, KEY=VALUE (`campaign=spring`); repeat. Defaults:
    /// utm_source=cartlift, utm_medium=email, utm_campaign=post_purchase (cart:
    /// abandoned_cart); utm_content is the product id.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_utm)]
    utm: Vec<(String, String)>,
    /// At most this many products (the placement's `max_items` applies anyway).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    max: Option<u32>,
    /// The HTML block's file; the plain text goes next to it as .txt (and with --json
    /// the data as .json). Default: the HTML (or, with --json, the data) on stdout.
    #[arg(short, long, value_name = "FILE", conflicts_with = "orders")]
    output: Option<PathBuf>,
    /// Also write the suggestions as JSON, for platforms that template their own emails.
    #[arg(long)]
    json: bool,
    /// Evaluate at this date or RFC 3339 time instead of now.
    #[arg(long)]
    now: Option<String>,
    /// Field delimiter of --orders (one byte: `,`, `;`, `\t`).
    #[arg(long, default_value = ",", value_parser = crate::flags::parse_delimiter)]
    delimiter: u8,
    /// Make malformed order rows fatal (exit 1) instead of skipping them.
    #[arg(long)]
    strict: bool,
}

/// What every block is made with.
struct Maker<'a> {
    config: &'a Config,
    placement: Placement,
    locale: Option<&'a str>,
    format: LocaleFormat,
    links: Links,
    max: Option<usize>,
    now: i64,
}

impl Maker<'_> {
    fn block(&self, basket: &[BasketLine]) -> Result<Block> {
        let ctx = Context::new(self.placement, self.now).basket(basket);
        let recs = self.config.recommend(&ctx);
        let locale = self.config.locale(self.locale);
        block::build(
            self.config,
            &recs,
            &locale,
            &self.format,
            &self.links,
            self.max,
        )
    }
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let valid = match config_file::load_valid(&args.config, "fix them before building emails")? {
        Ok(valid) => valid,
        Err(code) => return Ok(code),
    };
    let config = &valid.config;
    let Some(placement) = Placement::parse(&args.placement) else {
        bail!("--placement {}: use confirmation or cart", args.placement);
    };
    let campaign = match placement {
        Placement::Cart => "abandoned_cart",
        _ => "post_purchase",
    };
    let mut utm: Vec<(String, String)> = [
        ("utm_source", "cartlift"),
        ("utm_medium", "email"),
        ("utm_campaign", campaign),
    ]
    .iter()
    .filter(|(k, _)| !args.utm.iter().any(|(given, _)| given == k))
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    utm.extend(args.utm.iter().cloned());
    let locale_tag = config.locale(args.locale.as_deref()).tag.to_owned();
    let maker = Maker {
        config,
        placement,
        locale: args.locale.as_deref(),
        format: LocaleFormat::new(&locale_tag, config.store().currency),
        links: Links::new(args.base_url.as_deref(), utm)?,
        max: args.max.map(|n| n as usize),
        now: crate::basket::now(args.now.as_deref())?,
    };
    match (&args.orders, &args.out_dir) {
        (Some(orders), Some(out)) => many(args, &maker, &valid.raw, orders, out),
        _ => one(args, &maker),
    }
}

/// One block, for `--basket`.
fn one(args: &Args, maker: &Maker<'_>) -> Result<ExitCode> {
    let basket = crate::basket::parse(maker.config, &args.basket)?;
    if basket.is_empty() {
        bail!("--basket: name at least one product");
    }
    let block = maker.block(&basket)?;
    let html = block.html();
    if html.len() > CLIP_WARNING {
        eprintln!(
            "cartlift: warning: the block is {} bytes; Gmail clips messages over 102 KB: lower --max",
            html.len()
        );
    }
    let json = serde_json::to_string_pretty(&block.json())? + "\n";
    match &args.output {
        Some(path) if path != Path::new("-") => {
            let write = |path: &Path, text: &str| {
                write::atomically(path, text.as_bytes())
                    .with_context(|| format!("writing {}", path.display()))
            };
            write(path, &html)?;
            write(&path.with_extension("txt"), &block.text())?;
            if args.json {
                write(&path.with_extension("json"), &json)?;
            }
            eprintln!(
                "{}: {} products, {} bytes of HTML",
                path.display(),
                block.items().count(),
                html.len()
            );
        }
        _ if args.json => print!("{json}"),
        _ => print!("{html}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The index of an `--out-dir`: one row per block.
const INDEX: &str = "index.csv";

/// One block per order, for `--orders`.
fn many(
    args: &Args,
    maker: &Maker<'_>,
    raw: &cartlift_engine::RawConfig,
    orders: &Path,
    out: &Path,
) -> Result<ExitCode> {
    let started = Instant::now();
    let bytes = std::fs::read(orders).with_context(|| format!("reading {}", orders.display()))?;
    let mut reader = OrdersReader::with_delimiter(args.delimiter).strict(args.strict);
    let read = reader.push(&bytes).and_then(|()| {
        let mut early = reader.take_problems();
        reader.finish().map(|mut r| {
            early.append(&mut r.problems);
            r.problems = early;
            r
        })
    });
    let read = match read {
        Ok(read) => read,
        Err(p) => {
            eprintln!(
                "cartlift: error: {}:{}: {}",
                orders.display(),
                p.line,
                p.message
            );
            return Ok(ExitCode::from(1));
        }
    };
    for p in read.problems.iter().take(20) {
        eprintln!("{}:{p}", orders.display());
    }
    if read.problems.len() > 20 {
        eprintln!("… and {} more problems", read.problems.len() - 20);
    }
    let catalog = Catalog::new(&raw.catalog);
    let folder = Folder::stage(
        out,
        is_email_output,
        "`cartlift email` output (blocks and index.csv only)",
    )?;
    let mut index = String::from("order_id,file,products\n");
    let (mut written, mut unknown, mut nothing, mut html_bytes) = (0u64, 0u64, 0u64, 0usize);
    for order in &read.orders {
        let mut basket: Vec<BasketLine> = Vec::with_capacity(order.lines.len());
        for line in &order.lines {
            let Some(id) = catalog.product_of(line) else {
                continue;
            };
            let quantity = u32::try_from(line.quantity).unwrap_or(u32::MAX);
            match basket.iter_mut().find(|l| l.product == id) {
                Some(l) => l.quantity = l.quantity.saturating_add(quantity),
                None => basket.push(crate::basket::line(id, quantity)),
            }
        }
        if basket.is_empty() {
            unknown += 1;
            continue;
        }
        let block = maker.block(&basket)?;
        if block.sections.is_empty() {
            nothing += 1;
            continue;
        }
        let name = safe_name(&order.id);
        let html = block.html();
        html_bytes += html.len();
        let write = |file: String, bytes: &[u8]| {
            folder
                .write(&file, bytes)
                .with_context(|| format!("writing {file} in {}", folder.staging().display()))
        };
        write(format!("{name}.html"), html.as_bytes())?;
        write(format!("{name}.txt"), block.text().as_bytes())?;
        if args.json {
            write(
                format!("{name}.json"),
                serde_json::to_vec(&block.json())?.as_slice(),
            )?;
        }
        let products: Vec<&str> = block.items().map(|i| i.id.as_str()).collect();
        index.push_str(&csv_field(&order.id));
        index.push(',');
        index.push_str(&name);
        index.push(',');
        index.push_str(&csv_field(&products.join(" ")));
        index.push('\n');
        written += 1;
    }
    folder.write(INDEX, index.as_bytes())?;
    folder.finish()?;
    let seconds = started.elapsed().as_secs_f64();
    let orders_read = read.orders.len() as u64;
    println!(
        "{}: {written} blocks for {orders_read} orders ({} with no catalog product, {} with nothing to suggest); {} bytes of HTML per block on average; {:.1} s, {:.0} orders/s",
        out.display(),
        unknown,
        nothing,
        html_bytes / written.max(1) as usize,
        seconds,
        orders_read as f64 / seconds.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

/// An earlier `--out-dir` of this command: `index.csv` and blocks only.
fn is_email_output(out: &Path) -> bool {
    out.join(INDEX).is_file()
        && std::fs::read_dir(out).is_ok_and(|entries| {
            entries.flatten().all(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name == INDEX
                    || [".html", ".txt", ".json"]
                        .iter()
                        .any(|ext| name.ends_with(ext))
            })
        })
}
