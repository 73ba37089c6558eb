//! View models: what a placement shows, computed from the engine's answer without the DOM,
//! so they are tested on the host. Components only turn these into elements; every string
//! here is rendered as text.

use cartlift_engine::copy::{CopyKey, Locale};
use cartlift_engine::live::Live;
use cartlift_engine::recommend::{ReasonDetail, Suggestion, UpgradeOffer};
use cartlift_engine::{Config, Context, Format, Money, Placement, ProductIdx};

/// One suggested (or bundled) product.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// Position in the catalog (for bundle prices).
    pub idx: ProductIdx,
    /// Catalog id.
    pub id: String,
    /// The variant an add adds, if the product has variants.
    pub variant: Option<String>,
    /// Product title.
    pub title: String,
    /// Checked product URL, if any.
    pub url: Option<String>,
    /// Checked image URL, if any.
    pub image: Option<String>,
    /// Price of what an add adds.
    pub price: Money,
    /// Struck-through "was" price.
    pub compare_at_price: Option<Money>,
    /// The strongest reason, as a sentence in the store's copy (empty for the bundle's
    /// own product).
    pub reason: String,
    /// Ids of every rule behind the suggestion.
    pub rules: Vec<String>,
}

/// A product an event may name, as a placement shows it: what analytics tools list for it
/// ([`PlacementModel::event_items`]; sent by `crate::events`).
#[derive(Clone, Debug, PartialEq)]
pub struct EventItem {
    /// Catalog id.
    pub id: String,
    /// Title.
    pub name: String,
    /// Price of what an add adds (the store's live price where read).
    pub price: Money,
    /// Heading of the section it is shown in.
    pub list: String,
}

/// "Frequently bought together": the page's product plus its complements.
#[derive(Clone, Debug, PartialEq)]
pub struct BundleModel {
    /// Heading.
    pub title: String,
    /// The page's product.
    pub anchor: Card,
    /// It is already in the basket: shown, unchecked, and not added again.
    pub anchor_in_basket: bool,
    /// The complements, best first.
    pub items: Vec<Card>,
}

/// The better version of a product on the page or in the basket.
#[derive(Clone, Debug, PartialEq)]
pub struct UpgradeModel {
    /// What it would replace.
    pub from: Card,
    /// The better version.
    pub to: Card,
    /// `to` minus `from`.
    pub difference: i64,
    /// `from` is in the basket, so switching replaces the basket line.
    pub from_in_basket: bool,
    /// Attribute rows: (name, this, upgrade); a missing value is `None`.
    pub rows: Vec<(String, Option<String>, Option<String>)>,
}

/// Progress to free shipping, with the items that best close the gap.
#[derive(Clone, Debug, PartialEq)]
pub struct FreeShippingModel {
    /// The store's threshold.
    pub threshold: Money,
    /// What is missing (zero once reached).
    pub gap: Money,
    /// 0 to 1.
    pub progress: f64,
    /// Gap closers.
    pub items: Vec<Card>,
}

/// Everything one placement shows, in display order.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacementModel {
    /// Where.
    pub placement: Placement,
    /// Product pages: the bundle (its items are the cross-sells).
    pub bundle: Option<BundleModel>,
    /// Elsewhere: heading of the suggestion list.
    pub title: String,
    /// Elsewhere: cross-sells, then add-ons, best first.
    pub cards: Vec<Card>,
    /// Product pages: heading of the add-on row.
    pub add_ons_title: String,
    /// Product pages: add-ons for the page's product.
    pub add_ons: Vec<Card>,
    /// Upgrade offers.
    pub upgrades: Vec<UpgradeModel>,
    /// Cart and checkout: free-shipping progress.
    pub free_shipping: Option<FreeShippingModel>,
}

impl PlacementModel {
    /// Every card shown, in display order. One list that `shown` and `rules` read: two
    /// chains of five iterators each cost the smallest build 0.2 KB brotli more.
    fn shown_cards(&self) -> Vec<&Card> {
        let mut cards: Vec<&Card> = Vec::new();
        if let Some(b) = &self.bundle {
            cards.extend(&b.items);
        }
        cards.extend(&self.cards);
        cards.extend(&self.add_ons);
        cards.extend(self.upgrades.iter().map(|u| &u.to));
        if let Some(f) = &self.free_shipping {
            cards.extend(&f.items);
        }
        cards
    }

    /// Every product id shown, in display order (impressions and events).
    pub fn shown(&self) -> Vec<&str> {
        self.shown_cards()
            .into_iter()
            .map(|c| c.id.as_str())
            .collect()
    }

    /// Ids of every rule behind what is shown, deduplicated, in display order.
    pub fn rules(&self) -> Vec<&str> {
        let mut rules: Vec<&str> = Vec::new();
        for card in self.shown_cards() {
            for rule in &card.rules {
                if !rules.contains(&rule.as_str()) {
                    rules.push(rule);
                }
            }
        }
        rules
    }

    /// Every card shown, in display order (as [`Self::shown`]), then the bundle's own
    /// product, each with the heading of its section: what events name and price. The
    /// upgrade and free-shipping sections' headings are the store's texts, passed in.
    pub fn event_items(
        &self,
        upgrade_heading: &str,
        free_shipping_heading: &str,
    ) -> Vec<EventItem> {
        let mut sections: Vec<(&str, Vec<&Card>)> = Vec::new();
        if let Some(b) = &self.bundle {
            sections.push((&b.title, b.items.iter().collect()));
        }
        sections.push((&self.title, self.cards.iter().collect()));
        sections.push((&self.add_ons_title, self.add_ons.iter().collect()));
        sections.push((
            upgrade_heading,
            self.upgrades.iter().map(|u| &u.to).collect(),
        ));
        if let Some(f) = &self.free_shipping {
            sections.push((free_shipping_heading, f.items.iter().collect()));
        }
        if let Some(b) = &self.bundle {
            sections.push((&b.title, vec![&b.anchor]));
        }
        let mut items = Vec::new();
        for (heading, cards) in sections {
            for card in cards {
                items.push(EventItem {
                    id: card.id.clone(),
                    name: card.title.clone(),
                    price: card.price,
                    list: heading.to_owned(),
                });
            }
        }
        items
    }

    /// Nothing to show at all.
    pub fn is_empty(&self) -> bool {
        self.shown().is_empty() && self.free_shipping.is_none()
    }
}

/// Asks the engine and shapes its answer for display.
pub fn placement_model(
    config: &Config,
    ctx: &Context<'_>,
    locale: &Locale<'_>,
    fmt: &dyn Format,
) -> PlacementModel {
    let recs = config.recommend(ctx);
    let card = |s: &Suggestion| suggestion_card(config, ctx.live, s, locale, fmt);
    let cards_of = |list: &[Suggestion]| list.iter().map(card).collect::<Vec<_>>();
    let mut model = PlacementModel {
        placement: ctx.placement,
        bundle: None,
        title: String::new(),
        cards: Vec::new(),
        add_ons_title: locale.texts.get(CopyKey::AddOnsTitle).to_owned(),
        add_ons: Vec::new(),
        upgrades: recs
            .upgrades
            .iter()
            .map(|u| upgrade_model(config, u, ctx, locale, fmt))
            .collect(),
        free_shipping: recs.free_shipping.as_ref().map(|f| FreeShippingModel {
            threshold: f.threshold,
            gap: f.gap,
            progress: f.progress(),
            items: cards_of(&f.items),
        }),
    };
    match (recs.bundle, ctx.placement) {
        (Some(bundle), Placement::Product) if !recs.cross_sells.is_empty() => {
            model.bundle = Some(BundleModel {
                title: config.section_title(CopyKey::ProductTitle, &recs.cross_sells, locale),
                anchor: product_card(config, ctx.live, bundle.anchor),
                anchor_in_basket: bundle.anchor_in_basket,
                items: cards_of(&recs.cross_sells),
            });
            model.add_ons = cards_of(&recs.add_ons);
        }
        _ => {
            let key = match ctx.placement {
                Placement::Product => CopyKey::ProductTitle,
                Placement::Cart => CopyKey::CartTitle,
                Placement::Checkout => CopyKey::CheckoutTitle,
                Placement::Confirmation => CopyKey::ConfirmationTitle,
            };
            let head = if recs.cross_sells.is_empty() {
                &recs.add_ons
            } else {
                &recs.cross_sells
            };
            model.title = config.section_title(key, head, locale);
            model.cards = cards_of(&recs.cross_sells);
            model.cards.extend(cards_of(&recs.add_ons));
        }
    }
    model
}

/// `max-items="N"` on an element: a whole number from 1, else `None` (`runtime::mount`
/// warns of it once; placements ignore it). By hand, without `str::trim` (Unicode
/// whitespace: 0.2 KB of brotli in the smallest build) or `str::parse`.
pub fn max_items(attribute: &str) -> Option<usize> {
    let mut n = 0usize;
    for b in attribute.bytes() {
        if !b.is_ascii_digit() || n > 9999 {
            return None;
        }
        n = n * 10 + usize::from(b - b'0');
    }
    (n > 0).then_some(n)
}

/// An element's own settings over the config's: `max-items` keeps at most that many cards
/// in each row (so it only lowers `store.max_items`), and a `heading` that is not empty is
/// its suggestion row's heading (the bundle's on a product page) instead of the config's
/// copy. Both are for a merchant placing the element, as the Shopify app block does.
pub fn apply_element_settings(
    model: &mut PlacementModel,
    max_items: Option<usize>,
    heading: Option<&str>,
) {
    if let Some(n) = max_items {
        if let Some(b) = &mut model.bundle {
            b.items.truncate(n);
        }
        model.cards.truncate(n);
        model.add_ons.truncate(n);
        model.upgrades.truncate(n);
        if let Some(f) = &mut model.free_shipping {
            f.items.truncate(n);
        }
    }
    if let Some(heading) = heading.filter(|h| !h.is_empty()) {
        if let Some(b) = &mut model.bundle {
            heading.clone_into(&mut b.title);
        }
        heading.clone_into(&mut model.title);
    }
}

/// A catalog product as a card, without a reason, at the store's live price where it said
/// one.
fn product_card(config: &Config, live: &Live, idx: ProductIdx) -> Card {
    let p = config.product(idx);
    let offer = config.offer(live, idx);
    Card {
        idx,
        id: p.id.clone(),
        variant: offer.variant.map(str::to_owned),
        title: p.title.clone(),
        url: p.url.clone(),
        image: p.image.clone(),
        price: offer.price,
        compare_at_price: offer.compare_at_price,
        reason: String::new(),
        rules: Vec::new(),
    }
}

fn suggestion_card(
    config: &Config,
    live: &Live,
    s: &Suggestion,
    locale: &Locale<'_>,
    fmt: &dyn Format,
) -> Card {
    Card {
        reason: s
            .reasons
            .first()
            .map(|r| config.reason_text(r, locale, fmt))
            .unwrap_or_default(),
        rules: s
            .reasons
            .iter()
            .map(|r| config.rule(r.rule).id.clone())
            .collect(),
        ..product_card(config, live, s.product)
    }
}

fn upgrade_model(
    config: &Config,
    offer: &UpgradeOffer,
    ctx: &Context<'_>,
    locale: &Locale<'_>,
    fmt: &dyn Format,
) -> UpgradeModel {
    let from = product_card(config, ctx.live, offer.from);
    let from_in_basket = ctx.basket.iter().any(|l| l.product == from.id);
    let mut to = product_card(config, ctx.live, offer.to);
    to.reason = offer
        .reasons
        .iter()
        .find(|r| matches!(r.detail, ReasonDetail::Upgrade))
        .or(offer.reasons.first())
        .map(|r| config.reason_text(r, locale, fmt))
        .unwrap_or_default();
    to.rules = offer
        .reasons
        .iter()
        .map(|r| config.rule(r.rule).id.clone())
        .collect();
    UpgradeModel {
        from,
        to,
        difference: offer.price_difference,
        from_in_basket,
        rows: offer
            .comparison
            .iter()
            .map(|c| (c.name.clone(), c.from.clone(), c.to.clone()))
            .collect(),
    }
}

/// Which bundle members a shopper has ticked: the anchor first, then each item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleChoice {
    /// Ticked flags, `[anchor, items…]`.
    pub checked: Vec<bool>,
}

impl BundleChoice {
    /// Everything ticked, except the anchor when it is already in the basket.
    pub fn all(bundle: &BundleModel) -> Self {
        let mut checked = vec![true; bundle.items.len() + 1];
        checked[0] = !bundle.anchor_in_basket;
        BundleChoice { checked }
    }

    /// The ticked cards, anchor first.
    pub fn chosen<'a>(&self, bundle: &'a BundleModel) -> Vec<&'a Card> {
        std::iter::once(&bundle.anchor)
            .chain(&bundle.items)
            .zip(&self.checked)
            .filter(|(_, on)| **on)
            .map(|(c, _)| c)
            .collect()
    }

    /// Every member is ticked (the anchor counts as ticked when it is in the basket), so
    /// the store's bundle discount applies.
    pub fn is_whole(&self, bundle: &BundleModel) -> bool {
        self.checked
            .iter()
            .enumerate()
            .all(|(i, on)| *on || (i == 0 && bundle.anchor_in_basket))
    }
}

/// The bundle summary: "Total price: $X", "Bundle price: $Y (save $Z)", and the add label.
#[derive(Clone, Debug, PartialEq)]
pub struct BundleSummary {
    /// How many items an add would add.
    pub count: usize,
    /// "Total price: …".
    pub total: String,
    /// "Bundle price: … (save …)" when the store's bundle discount applies.
    pub discounted: Option<String>,
    /// "Add all 3 to cart" or "Add 2 to cart".
    pub button: String,
}

/// Prices the ticked members through the engine, and words the summary.
pub fn bundle_summary(
    config: &Config,
    live: &Live,
    bundle: &BundleModel,
    choice: &BundleChoice,
    locale: &Locale<'_>,
    fmt: &dyn Format,
) -> BundleSummary {
    let chosen = choice.chosen(bundle);
    let mut priced: Vec<ProductIdx> = chosen.iter().map(|c| c.idx).collect();
    let whole = choice.is_whole(bundle);
    if bundle.anchor_in_basket && whole {
        // The discount is on the whole bundle, anchor included, even if it is already
        // in the basket; the button adds only what is missing.
        priced.insert(0, bundle.anchor.idx);
    }
    let price = config.bundle_price(&priced, whole, live);
    let count = chosen.len();
    let count_text = fmt.count(count);
    let key = if whole {
        CopyKey::AddAll
    } else {
        CopyKey::AddSelected
    };
    BundleSummary {
        count,
        total: locale
            .texts
            .fill(CopyKey::BundleTotal, &[("amount", &fmt.money(price.total))]),
        discounted: price.discounted.map(|d| {
            locale.texts.fill(
                CopyKey::BundlePrice,
                &[
                    ("amount", &fmt.money(d)),
                    ("savings", &fmt.money(price.total - d)),
                ],
            )
        }),
        button: locale.texts.fill(key, &[("count", &count_text)]),
    }
}

/// "+$60.00" (or "−$5.00" for a cheaper swap) in the store's copy.
pub fn upgrade_difference(difference: i64, locale: &Locale<'_>, fmt: &dyn Format) -> String {
    if difference >= 0 {
        locale.texts.fill(
            CopyKey::UpgradeDifference,
            &[("amount", &fmt.money(Money(difference)))],
        )
    } else {
        format!("−{}", fmt.money(Money(-difference)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartlift_engine::{BasketLine, PlainFormat};

    const CONFIG: &str = r#"{
      "version": 1, "store": {"currency": "USD", "bundle_discount_percent": 10, "bundle_discount_automatic": true, "free_shipping_threshold": 100},
      "catalog": [
        {"id": "cam", "title": "Camera", "price": 89, "url": "/p/cam", "attributes": {"Resolution": "4 MP"}},
        {"id": "cam4k", "title": "Camera 4K", "price": 129, "attributes": {"Resolution": "8 MP"}},
        {"id": "cable", "title": "Cable", "price": 9.5, "compare_at_price": 12, "image": "/i/cable.svg"},
        {"id": "psu", "title": "PSU", "price": 15},
        {"id": "sign", "title": "Sign", "price": 5}
      ],
      "rules": [
        {"kind": "bought_together", "id": "r1", "antecedent": ["cam"], "consequent": ["cable", "psu"], "confidence": 0.38},
        {"kind": "upgrade", "id": "u1", "from": ["cam"], "to": "cam4k", "compare": ["Resolution"]},
        {"kind": "add_on", "id": "a1", "trigger": {"products": ["cam"]}, "add_ons": ["sign"]}
      ]
    }"#;

    fn line(id: &str) -> BasketLine {
        BasketLine {
            product: id.into(),
            variant: None,
            quantity: 1,
            price: None,
        }
    }

    #[test]
    fn product_page_has_bundle_upgrade_and_add_ons_and_skips_the_basket() {
        let config = Config::from_json(CONFIG).unwrap();
        let basket = [line("psu")];
        let fmt = PlainFormat(config.store().currency);
        let locale = config.locale(None);
        let model = placement_model(
            &config,
            &Context::new(Placement::Product, 0)
                .product("cam")
                .basket(&basket),
            &locale,
            &fmt,
        );
        let bundle = model.bundle.as_ref().expect("a bundle");
        assert_eq!(bundle.title, "Frequently bought together");
        assert_eq!(bundle.anchor.id, "cam");
        let ids: Vec<&str> = bundle.items.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["cable"]);
        assert_eq!(
            bundle.items[0].reason,
            "Bought together with Camera by 38% of shoppers"
        );
        assert_eq!(bundle.items[0].compare_at_price, Some(Money(1200)));
        assert_eq!(model.add_ons[0].id, "sign");
        let up = &model.upgrades[0];
        assert_eq!((up.from.id.as_str(), up.to.id.as_str()), ("cam", "cam4k"));
        assert_eq!(up.difference, 4000);
        assert!(!up.from_in_basket);
        assert_eq!(
            up.rows,
            [(
                "Resolution".to_owned(),
                Some("4 MP".to_owned()),
                Some("8 MP".to_owned())
            )]
        );
        assert_eq!(upgrade_difference(4000, &locale, &fmt), "+USD 40.00");
        assert_eq!(model.shown(), ["cable", "sign", "cam4k"]);
        assert_eq!(model.rules(), ["r1", "a1", "u1"]);
        // What events name: the shown cards in the same order, each under its section's
        // heading, then the bundle's own product (added with the bundle).
        let items = model.event_items("Upgrade", "Free shipping");
        let listed: Vec<(&str, &str)> = items
            .iter()
            .map(|i| (i.id.as_str(), i.list.as_str()))
            .collect();
        assert_eq!(
            listed,
            [
                ("cable", "Frequently bought together"),
                ("sign", model.add_ons_title.as_str()),
                ("cam4k", "Upgrade"),
                ("cam", "Frequently bought together"),
            ]
        );
        assert_eq!(items[2].price, up.to.price);
        assert_eq!(items[3].name, bundle.anchor.title);
    }

    #[test]
    fn an_elements_max_items_and_heading_apply_over_the_configs() {
        let config = Config::from_json(CONFIG).unwrap();
        let fmt = PlainFormat(config.store().currency);
        let locale = config.locale(None);
        let ctx = Context::new(Placement::Product, 0).product("cam");
        let full = placement_model(&config, &ctx, &locale, &fmt);
        assert_eq!(full.shown(), ["cable", "psu", "sign", "cam4k"]);
        let mut one = full.clone();
        apply_element_settings(&mut one, Some(1), Some("Goes well with <b>this</b>"));
        // One per row: the bundle's first complement, the add-on, the upgrade.
        assert_eq!(one.shown(), ["cable", "sign", "cam4k"]);
        // The heading as given; components render it as text.
        assert_eq!(
            one.bundle.as_ref().unwrap().title,
            "Goes well with <b>this</b>"
        );
        // More than the config allows, and an empty heading, change nothing.
        let mut same = full.clone();
        apply_element_settings(&mut same, Some(12), Some(""));
        assert_eq!(same, full);
        // In the cart, the suggestion row's heading.
        let basket = [line("cam")];
        let cart = Context::new(Placement::Cart, 0).basket(&basket);
        let mut model = placement_model(&config, &cart, &locale, &fmt);
        assert!(model.cards.len() > 1);
        apply_element_settings(&mut model, Some(1), Some("For your kit"));
        assert_eq!(
            (model.title.as_str(), model.cards.len()),
            ("For your kit", 1)
        );
    }

    #[test]
    fn max_items_is_a_whole_number_from_one() {
        assert_eq!(max_items("2"), Some(2));
        assert_eq!(max_items("12"), Some(12));
        for bad in ["0", "-1", "2.5", "two", "", " 2", "99999999999999999999999"] {
            assert_eq!(max_items(bad), None, "{bad}");
        }
    }

    #[test]
    fn bundle_summary_prices_what_is_ticked() {
        let config = Config::from_json(CONFIG).unwrap();
        let fmt = PlainFormat(config.store().currency);
        let locale = config.locale(None);
        let model = placement_model(
            &config,
            &Context::new(Placement::Product, 0).product("cam"),
            &locale,
            &fmt,
        );
        let bundle = model.bundle.unwrap();
        let mut choice = BundleChoice::all(&bundle);
        let all = bundle_summary(
            &config,
            &cartlift_engine::live::NONE,
            &bundle,
            &choice,
            &locale,
            &fmt,
        );
        assert_eq!(all.count, 3);
        assert_eq!(all.total, "Total price: USD 113.50");
        assert_eq!(
            all.discounted.as_deref(),
            Some("Bundle price: USD 102.15 (save USD 11.35)")
        );
        assert_eq!(all.button, "Add all 3 to cart");
        choice.checked[1] = false;
        let some = bundle_summary(
            &config,
            &cartlift_engine::live::NONE,
            &bundle,
            &choice,
            &locale,
            &fmt,
        );
        assert_eq!(some.total, "Total price: USD 104.00");
        assert_eq!(some.discounted, None);
        assert_eq!(some.button, "Add 2 to cart");
    }

    #[test]
    fn anchor_in_the_basket_is_not_added_again_but_keeps_the_discount() {
        let config = Config::from_json(CONFIG).unwrap();
        let basket = [line("cam")];
        let fmt = PlainFormat(config.store().currency);
        let locale = config.locale(None);
        let model = placement_model(
            &config,
            &Context::new(Placement::Product, 0)
                .product("cam")
                .basket(&basket),
            &locale,
            &fmt,
        );
        let bundle = model.bundle.unwrap();
        assert!(bundle.anchor_in_basket);
        let choice = BundleChoice::all(&bundle);
        let ids: Vec<&str> = choice
            .chosen(&bundle)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["cable", "psu"]);
        let s = bundle_summary(
            &config,
            &cartlift_engine::live::NONE,
            &bundle,
            &choice,
            &locale,
            &fmt,
        );
        assert_eq!(s.button, "Add all 2 to cart");
        assert!(s.discounted.is_some());
        assert!(model.upgrades[0].from_in_basket);
    }

    #[test]
    fn cart_shows_cards_and_the_free_shipping_gap() {
        let config = Config::from_json(CONFIG).unwrap();
        let basket = [line("cam")];
        let fmt = PlainFormat(config.store().currency);
        let model = placement_model(
            &config,
            &Context::new(Placement::Cart, 0).basket(&basket),
            &config.locale(None),
            &fmt,
        );
        assert!(model.bundle.is_none());
        assert_eq!(model.title, "You might also need");
        let ids: Vec<&str> = model.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["cable", "psu", "sign"]);
        let fs = model.free_shipping.unwrap();
        assert_eq!(fs.gap, Money(1100));
        assert!((fs.progress - 0.89).abs() < 1e-9);
    }
}
