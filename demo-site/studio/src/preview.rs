//! The live preview: the engine call the widget makes (`Config::recommend` for a
//! placement, product, basket and the shopper's segments), traced, turned into plain data the view draws: the
//! sections the widget would show, each suggestion's score and the rules and sentences
//! behind it, and everything that was left out, with the reason.

use cartlift_engine::copy::CopyKey;
use cartlift_engine::recommend::Suggestion;
use cartlift_engine::{BasketLine, Config, Context, Money, Placement, PlainFormat, ProductIdx};

/// What the preview is asked about.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// Where.
    pub placement: Placement,
    /// The product page's product.
    pub product: Option<String>,
    /// Product ids in the basket, one of each.
    pub basket: Vec<String>,
    /// The shopper's customer segments (as the page's `data-segments` says them).
    pub segments: Vec<String>,
}

/// One rule behind a suggestion.
#[derive(Clone, Debug, PartialEq)]
pub struct Why {
    /// The rule's id.
    pub rule: String,
    /// Its kind (`bought_together`, …).
    pub kind: &'static str,
    /// The sentence the widget shows.
    pub sentence: String,
}

/// One suggested product.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Product id.
    pub id: String,
    /// Product title.
    pub title: String,
    /// What adding it costs.
    pub price: String,
    /// Rank within priority.
    pub score: f64,
    /// Highest priority behind it.
    pub priority: i32,
    /// The rules behind it, strongest first.
    pub why: Vec<Why>,
}

/// A titled list of suggestions.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// The heading the widget shows.
    pub title: String,
    /// A note under it (bundle price, free-shipping gap).
    pub note: Option<String>,
    /// The suggestions, in order.
    pub items: Vec<Item>,
}

/// Something left out.
#[derive(Clone, Debug, PartialEq)]
pub struct LeftOut {
    /// The product concerned; `None` when the whole rule did not fire.
    pub product: Option<String>,
    /// The rule.
    pub rule: String,
    /// Why.
    pub why: &'static str,
}

/// The whole preview.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// Sections in the order the widget draws them; empty ones are left out.
    pub sections: Vec<Section>,
    /// Products left out, with the rule and the reason.
    pub left_out: Vec<LeftOut>,
    /// Rules that did not fire at all, with the reason.
    pub not_fired: Vec<LeftOut>,
}

impl Preview {
    /// Ids of every product shown, in order.
    pub fn shown(&self) -> Vec<&str> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| i.id.as_str()))
            .collect()
    }
}

/// The segments the config's rules are for, each once, in the order the rules name them:
/// what the preview offers to pick.
pub fn segments(config: &Config) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for rule in config.rules() {
        for name in rule.conditions().segments() {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
    }
    names
}

/// Runs the engine for `selection` at `now` (Unix seconds). Ids that are not in the
/// catalog are ignored (the editor shows the config's own problems).
pub fn preview(config: &Config, selection: &Selection, now: i64) -> Preview {
    let basket: Vec<BasketLine> = selection
        .basket
        .iter()
        .filter(|id| config.product_idx(id).is_some())
        .map(|id| BasketLine {
            product: id.clone(),
            variant: None,
            quantity: 1,
            price: None,
        })
        .collect();
    let segments: Vec<&str> = selection.segments.iter().map(String::as_str).collect();
    let mut ctx = Context::new(selection.placement, now)
        .basket(&basket)
        .segments(&segments)
        .traced();
    if let Some(p) = selection
        .product
        .as_deref()
        .filter(|p| config.product_idx(p).is_some())
    {
        ctx = ctx.product(p);
    }
    let recs = config.recommend(&ctx);
    let locale = config.locale(None);
    let fmt = PlainFormat(config.store().currency);
    let money = |m: Money| cartlift_engine::Format::money(&fmt, m);
    let item = |s: &Suggestion| {
        let p = config.product(s.product);
        Item {
            id: p.id.clone(),
            title: p.title.clone(),
            price: money(p.price_to_add()),
            score: s.score,
            priority: s.priority,
            why: s
                .reasons
                .iter()
                .map(|r| {
                    let rule = config.rule(r.rule);
                    Why {
                        rule: rule.id.clone(),
                        kind: rule.kind.name(),
                        sentence: config.reason_text(r, &locale, &fmt),
                    }
                })
                .collect(),
        }
    };
    let id = |p: ProductIdx| config.product(p).id.clone();
    let mut sections = Vec::new();

    let title_key = match selection.placement {
        Placement::Product => CopyKey::ProductTitle,
        Placement::Cart => CopyKey::CartTitle,
        Placement::Checkout => CopyKey::CheckoutTitle,
        Placement::Confirmation => CopyKey::ConfirmationTitle,
    };
    // As the widget's `placement_model`: a product page with cross-sells shows them as a
    // bundle and the add-ons apart; elsewhere cross-sells and add-ons share one row.
    match (&recs.bundle, selection.placement) {
        (Some(bundle), Placement::Product) if !recs.cross_sells.is_empty() => {
            let mut note = format!(
                "bundle with {}: {}",
                id(bundle.anchor),
                money(bundle.price.total)
            );
            if let Some(d) = bundle.price.discounted {
                note.push_str(&format!(", {} with the bundle discount", money(d)));
            }
            sections.push(Section {
                title: config.section_title(title_key, &recs.cross_sells, &locale),
                note: Some(note),
                items: recs.cross_sells.iter().map(item).collect(),
            });
            sections.push(Section {
                title: locale.texts.get(CopyKey::AddOnsTitle).to_owned(),
                note: None,
                items: recs.add_ons.iter().map(item).collect(),
            });
        }
        _ => {
            let head = if recs.cross_sells.is_empty() {
                &recs.add_ons
            } else {
                &recs.cross_sells
            };
            sections.push(Section {
                title: config.section_title(title_key, head, &locale),
                note: None,
                items: recs
                    .cross_sells
                    .iter()
                    .chain(&recs.add_ons)
                    .map(item)
                    .collect(),
            });
        }
    }
    sections.push(Section {
        title: locale.texts.get(CopyKey::UpgradeTitle).to_owned(),
        note: None,
        items: recs
            .upgrades
            .iter()
            .map(|u| {
                let to = config.product(u.to);
                let sign = if u.price_difference >= 0 { "+" } else { "-" };
                Item {
                    id: to.id.clone(),
                    title: format!("{} instead of {}", to.title, config.product(u.from).title),
                    price: format!("{sign}{}", money(Money(u.price_difference.abs()))),
                    score: 0.0,
                    priority: u.priority,
                    why: u
                        .reasons
                        .iter()
                        .map(|r| Why {
                            rule: config.rule(r.rule).id.clone(),
                            kind: "upgrade",
                            sentence: config.reason_text(r, &locale, &fmt),
                        })
                        .collect(),
                }
            })
            .collect(),
    });
    if let Some(f) = &recs.free_shipping {
        let title = if f.gap.minor() > 0 {
            locale
                .texts
                .fill(CopyKey::FreeShippingGap, &[("amount", &money(f.gap))])
        } else {
            locale.texts.get(CopyKey::FreeShippingReached).to_owned()
        };
        sections.push(Section {
            title,
            note: Some(format!(
                "{:.0}% of {}",
                f.progress() * 100.0,
                money(f.threshold)
            )),
            items: f.items.iter().map(item).collect(),
        });
    }
    sections.retain(|s| !s.items.is_empty() || s.note.is_some());

    let (mut left_out, mut not_fired) = (Vec::new(), Vec::new());
    for f in &recs.filtered {
        let entry = LeftOut {
            product: f.product.map(id),
            rule: config.rule(f.rule).id.clone(),
            why: f.why.describe(),
        };
        if entry.product.is_some() {
            left_out.push(entry);
        } else {
            not_fired.push(entry);
        }
    }
    Preview {
        sections,
        left_out,
        not_fired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"{
      "version": 1,
      "store": {"currency": "USD", "free_shipping_threshold": 100},
      "catalog": [
        {"id": "cam", "title": "Dome camera", "price": 79},
        {"id": "cable", "title": "Cable", "price": 9},
        {"id": "nvr", "title": "Recorder", "price": 199}
      ],
      "rules": [
        {"kind": "bought_together", "id": "cam-cable", "antecedent": ["cam"], "consequent": ["cable"], "confidence": 0.4},
        {"kind": "bought_together", "id": "cam-nvr", "antecedent": ["cam"], "consequent": ["nvr"], "confidence": 0.2},
        {"kind": "bought_together", "id": "nvr-cam", "antecedent": ["nvr"], "consequent": ["cam"], "confidence": 0.5}
      ]
    }"#;

    #[test]
    fn shows_what_the_widget_shows_and_why() {
        let config = Config::from_json(CONFIG).unwrap();
        let sel = Selection {
            placement: Placement::Product,
            product: Some("cam".into()),
            basket: vec!["cable".into()],
            segments: Vec::new(),
        };
        let p = preview(&config, &sel, 0);
        assert_eq!(p.shown(), ["nvr"]);
        let nvr = &p.sections[0].items[0];
        assert_eq!(nvr.why[0].rule, "cam-nvr");
        assert_eq!(nvr.why[0].kind, "bought_together");
        assert!(
            nvr.why[0].sentence.contains("20%"),
            "{}",
            nvr.why[0].sentence
        );
        assert!(
            p.left_out
                .iter()
                .any(|l| l.product.as_deref() == Some("cable")
                    && l.rule == "cam-cable"
                    && l.why == "it is already in the basket"),
            "{:?}",
            p.left_out
        );
    }

    #[test]
    fn picked_segments_fire_the_rules_for_them() {
        let text = CONFIG.replace(
            r#"{"kind": "bought_together", "id": "nvr-cam""#,
            r#"{"kind": "cross_sell", "id": "vip-nvr", "priority": 5, "conditions": {"segments": ["vip", "trade"]}, "suggest": {"products": ["nvr"]}},
        {"kind": "cross_sell", "id": "pro-cable", "conditions": {"segments": ["trade"]}, "suggest": {"products": ["cable"]}},
        {"kind": "bought_together", "id": "nvr-cam""#,
        );
        let config = Config::from_json(&text).unwrap();
        assert_eq!(segments(&config), ["vip", "trade"]);
        let mut sel = Selection {
            placement: Placement::Cart,
            product: None,
            basket: vec!["cam".into()],
            segments: Vec::new(),
        };
        let p = preview(&config, &sel, 0);
        assert!(
            p.not_fired
                .iter()
                .any(|l| l.rule == "vip-nvr" && l.why == "the shopper is in none of its segments"),
            "{:?}",
            p.not_fired
        );
        let plain = p.sections[0].items[0].priority;
        sel.segments = vec!["returning".into(), "vip".into()];
        let p = preview(&config, &sel, 0);
        let first = &p.sections[0].items[0];
        assert_eq!((first.id.as_str(), first.priority), ("nvr", 5));
        assert!(plain < 5);
        assert!(p.not_fired.iter().all(|l| l.rule != "vip-nvr"));
    }

    #[test]
    fn the_cart_shows_the_free_shipping_gap() {
        let config = Config::from_json(CONFIG).unwrap();
        let sel = Selection {
            placement: Placement::Cart,
            product: None,
            basket: vec!["cam".into(), "gone".into()],
            segments: Vec::new(),
        };
        let p = preview(&config, &sel, 0);
        assert!(p.shown().contains(&"cable"));
        let fs = p.sections.last().unwrap();
        assert_eq!(fs.note.as_deref(), Some("79% of USD 100.00"));
    }
}
