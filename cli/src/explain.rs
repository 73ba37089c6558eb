//! `cartlift explain CONFIG --placement P [--product ID] [--basket A,B] [--segment S,T]`:
//! what the widget would show there, with scores, the rules and sentences behind each suggestion, and
//! everything that was considered and left out, with the reason.

use crate::config_file::{self, Loaded};
use anyhow::{Result, bail};
use cartlift_engine::copy::CopyKey;
use cartlift_engine::recommend::{FilterReason, Recommendations, Suggestion};
use cartlift_engine::{Config, Context, Format, Placement, PlainFormat};
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `cartlift explain`.
#[derive(clap::Args)]
pub struct Args {
    /// The config file (JSON).
    config: PathBuf,
    /// product, cart, checkout or confirmation.
    #[arg(long)]
    placement: String,
    /// The product page's product id.
    #[arg(long)]
    product: Option<String>,
    /// Basket product ids, comma-separated; `ID*3` for a quantity.
    #[arg(long, value_delimiter = ',')]
    basket: Vec<String>,
    /// The shopper's customer segments, comma-separated or repeated (or space-separated,
    /// as in the page's `data-segments`); a rule for segments fires when any is one of them.
    #[arg(long, value_delimiter = ',')]
    segment: Vec<String>,
    /// Evaluate at this date or RFC 3339 time instead of now.
    #[arg(long)]
    now: Option<String>,
    /// The page's language (picks the texts).
    #[arg(long)]
    locale: Option<String>,
    /// Products the shopper dismissed, comma-separated.
    #[arg(long, value_delimiter = ',')]
    exclude: Vec<String>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let config = match config_file::load(&args.config)? {
        Loaded::Valid(valid) => valid.config,
        Loaded::Invalid(problems) => {
            config_file::print(&args.config, &problems);
            println!("{}: invalid: fix these errors first", args.config.display());
            return Ok(ExitCode::from(1));
        }
    };
    let Some(placement) = Placement::parse(&args.placement) else {
        bail!(
            "--placement {}: use product, cart, checkout or confirmation",
            args.placement
        );
    };
    if placement == Placement::Product && args.product.is_none() {
        bail!("--placement product needs --product ID");
    }
    for id in args.product.iter().chain(&args.exclude) {
        if config.product_idx(id).is_none() {
            bail!("product `{id}` is not in the catalog");
        }
    }
    let basket = crate::basket::parse(&config, &args.basket)?;
    let now = crate::basket::now(args.now.as_deref())?;
    let exclude: Vec<&str> = args.exclude.iter().map(String::as_str).collect();
    // Each value read as the widget reads `data-segments`.
    let segments: Vec<&str> = args
        .segment
        .iter()
        .flat_map(|s| cartlift_engine::shopper::segment_names(s))
        .collect();
    let mut ctx = Context::new(placement, now)
        .basket(&basket)
        .exclude(&exclude)
        .segments(&segments)
        .traced();
    if let Some(p) = &args.product {
        ctx = ctx.product(p);
    }
    let recs = config.recommend(&ctx);
    print!("{}", report(&config, &ctx, &recs, args.locale.as_deref()));
    Ok(ExitCode::SUCCESS)
}

/// The whole explanation as text.
fn report(
    config: &Config,
    ctx: &Context<'_>,
    recs: &Recommendations,
    locale: Option<&str>,
) -> String {
    let locale = config.locale(locale);
    let fmt = PlainFormat(config.store().currency);
    let name = |p: cartlift_engine::ProductIdx| {
        let product = config.product(p);
        format!("{} ({})", product.id, product.title)
    };
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "placement {}", ctx.placement.name());
    if let Some(p) = ctx.product {
        let _ = writeln!(
            w,
            "product   {}",
            config.product_idx(p).map(name).unwrap_or_default()
        );
    }
    let basket: Vec<String> = ctx
        .basket
        .iter()
        .map(|l| format!("{}×{}", l.quantity, l.product))
        .collect();
    let _ = writeln!(
        w,
        "basket    {} (value {})",
        if basket.is_empty() {
            "empty".to_owned()
        } else {
            basket.join(", ")
        },
        fmt.money(config.basket_value(ctx.basket, ctx.live))
    );
    if !ctx.segments.is_empty() {
        let _ = writeln!(w, "segments  {}", ctx.segments.join(", "));
    }
    let title = CopyKey::placement_title(ctx.placement);
    let suggestions = |w: &mut String, heading: String, list: &[Suggestion]| {
        let _ = writeln!(w, "\n{heading}");
        if list.is_empty() {
            let _ = writeln!(w, "  (none)");
        }
        for (i, s) in list.iter().enumerate() {
            let p = config.product(s.product);
            let _ = writeln!(
                w,
                "  {}. {}  {}  priority {}  score {:.3}",
                i + 1,
                name(s.product),
                fmt.money(p.price_to_add()),
                s.priority,
                s.score
            );
            for r in &s.reasons {
                let rule = config.rule(r.rule);
                let _ = writeln!(
                    w,
                    "       {} `{}`: {}",
                    rule.kind.name(),
                    rule.id,
                    config.reason_text(r, &locale, &fmt)
                );
            }
        }
    };
    suggestions(
        w,
        config.section_title(title, &recs.cross_sells, &locale),
        &recs.cross_sells,
    );
    if let Some(b) = &recs.bundle {
        let _ = write!(
            w,
            "  bundle with {}: {}",
            name(b.anchor),
            fmt.money(b.price.total)
        );
        if let Some(d) = b.price.discounted {
            let _ = write!(w, ", {} with the bundle discount", fmt.money(d));
        }
        let _ = writeln!(
            w,
            "{}",
            if b.anchor_in_basket {
                " (the product is already in the basket)"
            } else {
                ""
            }
        );
    }
    suggestions(
        w,
        locale.texts.get(CopyKey::AddOnsTitle).to_owned(),
        &recs.add_ons,
    );
    let _ = writeln!(w, "\n{}", locale.texts.get(CopyKey::UpgradeTitle));
    if recs.upgrades.is_empty() {
        let _ = writeln!(w, "  (none)");
    }
    for u in &recs.upgrades {
        let sign = if u.price_difference >= 0 { "+" } else { "-" };
        let diff = fmt.money(cartlift_engine::Money(u.price_difference.abs()));
        let _ = writeln!(
            w,
            "  {} → {}  {sign}{diff}  priority {}",
            name(u.from),
            name(u.to),
            u.priority
        );
        for row in &u.comparison {
            let _ = writeln!(
                w,
                "       {}: {} → {}",
                row.name,
                row.from.as_deref().unwrap_or("—"),
                row.to.as_deref().unwrap_or("—")
            );
        }
        for r in &u.reasons {
            let _ = writeln!(
                w,
                "       upgrade `{}`: {}",
                config.rule(r.rule).id,
                config.reason_text(r, &locale, &fmt)
            );
        }
    }
    if let Some(f) = &recs.free_shipping {
        let heading = if f.gap.minor() > 0 {
            locale
                .texts
                .fill(CopyKey::FreeShippingGap, &[("amount", &fmt.money(f.gap))])
        } else {
            locale.texts.get(CopyKey::FreeShippingReached).to_owned()
        };
        suggestions(
            w,
            format!(
                "{heading} ({:.0}% of {})",
                f.progress() * 100.0,
                fmt.money(f.threshold)
            ),
            &f.items,
        );
    }
    let _ = writeln!(w, "\nleft out");
    if recs.filtered.is_empty() {
        let _ = writeln!(w, "  (nothing)");
    }
    for f in &recs.filtered {
        let rule = config.rule(f.rule);
        match f.product {
            Some(p) => {
                let _ = writeln!(
                    w,
                    "  {} from {} `{}`: {}",
                    name(p),
                    rule.kind.name(),
                    rule.id,
                    f.why.describe()
                );
            }
            None => {
                let _ = write!(
                    w,
                    "  {} `{}` did not fire: {}",
                    rule.kind.name(),
                    rule.id,
                    f.why.describe()
                );
                let _ = match f.why {
                    FilterReason::Segment => {
                        writeln!(w, " ({})", rule.conditions().segments().join(", "))
                    }
                    _ => writeln!(w),
                };
            }
        }
    }
    out
}
