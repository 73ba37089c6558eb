//! View models: what a placement shows, computed from the engine's answer without the DOM,
//! so it is tested on the host. Components only turn these into elements.

use cartlift_engine::copy::{CopyKey, Locale};
use cartlift_engine::{Config, Context, Format, Money, Placement};

/// Everything one suggestion card shows. All strings are rendered as text.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
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
    /// The strongest reason, as a sentence in the store's copy.
    pub reason: String,
    /// Ids of every rule behind the suggestion.
    pub rules: Vec<String>,
}

/// A placement's content.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacementModel {
    /// Heading.
    pub title: String,
    /// Cards, best first.
    pub cards: Vec<Card>,
}

/// Asks the engine and shapes its answer for display.
pub fn placement_model(
    config: &Config,
    ctx: &Context<'_>,
    locale: &Locale<'_>,
    fmt: &dyn Format,
) -> PlacementModel {
    let recs = config.recommend(ctx);
    let title_key = match ctx.placement {
        Placement::Product => CopyKey::ProductTitle,
        Placement::Cart => CopyKey::CartTitle,
        Placement::Checkout => CopyKey::CheckoutTitle,
        Placement::Confirmation => CopyKey::ConfirmationTitle,
    };
    let cards = recs
        .cross_sells
        .iter()
        .chain(&recs.add_ons)
        .map(|s| {
            let p = config.product(s.product);
            Card {
                id: p.id.clone(),
                variant: p.default_variant().map(|v| v.id.clone()),
                title: p.title.clone(),
                url: p.url.clone(),
                image: p.image.clone(),
                price: p.price_to_add(),
                compare_at_price: p.compare_at_price,
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
            }
        })
        .collect();
    PlacementModel {
        title: config.section_title(title_key, &recs.cross_sells, locale),
        cards,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartlift_engine::{BasketLine, PlainFormat};

    const CONFIG: &str = r#"{
      "version": 1, "store": {"currency": "USD"},
      "catalog": [
        {"id": "cam", "title": "Camera", "price": 89, "url": "/p/cam"},
        {"id": "cable", "title": "Cable", "price": 9.5, "compare_at_price": 12, "image": "/i/cable.svg"},
        {"id": "psu", "title": "PSU", "price": 15}
      ],
      "rules": [
        {"kind": "bought_together", "id": "r1", "antecedent": ["cam"], "consequent": ["cable", "psu"], "confidence": 0.38}
      ]
    }"#;

    #[test]
    fn cards_carry_reasons_and_rules_and_skip_the_basket() {
        let config = Config::from_json(CONFIG).unwrap();
        let basket = [BasketLine {
            product: "psu".into(),
            variant: None,
            quantity: 1,
            price: None,
        }];
        let fmt = PlainFormat(config.store().currency);
        let model = placement_model(
            &config,
            &Context::new(Placement::Product, 0)
                .product("cam")
                .basket(&basket),
            &config.locale(None),
            &fmt,
        );
        assert_eq!(model.title, "Frequently bought together");
        assert_eq!(
            model.cards,
            [Card {
                id: "cable".into(),
                variant: None,
                title: "Cable".into(),
                url: None,
                image: Some("/i/cable.svg".into()),
                price: Money(950),
                compare_at_price: Some(Money(1200)),
                reason: "Bought together with Camera by 38% of shoppers".into(),
                rules: vec!["r1".into()],
            }]
        );
    }
}
