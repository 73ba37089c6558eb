//! What evaluation is asked (the [`Context`]: placement, page, basket, time) and what it
//! answers ([`Recommendations`], each [`Suggestion`] with its [`Reason`]s).

use crate::config::{ProductIdx, RuleIdx};
use crate::live::Live;
use crate::money::Money;
use crate::placement::Placement;

/// One line of the shopper's basket.
#[derive(Clone, Debug, PartialEq)]
pub struct BasketLine {
    /// Product id as in the catalog; unknown ids count towards the basket value when they
    /// carry a price, but trigger nothing.
    pub product: String,
    /// Variant id, if the store has variants.
    pub variant: Option<String>,
    /// How many.
    pub quantity: u32,
    /// Unit price as the cart reports it, if known; otherwise the catalog price is used.
    pub price: Option<Money>,
}

/// Everything evaluation needs to know about the moment.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// Where the widget is.
    pub placement: Placement,
    /// The product page's product, if any.
    pub product: Option<&'a str>,
    /// The basket (on the confirmation page: the order just placed).
    pub basket: &'a [BasketLine],
    /// The shopper's customer segments, as the page says them (none when it does not
    /// know). A rule with `conditions.segments` fires when any of its segments is one of
    /// these; names match exactly (see [`crate::shopper::segment_names`]).
    pub segments: &'a [&'a str],
    /// Now, in Unix seconds (the engine has no clock).
    pub now: i64,
    /// Products the shopper dismissed or that rest after a frequency cap: never suggested.
    pub exclude: &'a [&'a str],
    /// Also record what was filtered out and why ([`Recommendations::filtered`]).
    pub trace: bool,
    /// What the store says now of the products it read (price, stock, variant): used
    /// in place of the config's figures (see [`crate::live`]).
    pub live: &'a Live,
}

impl<'a> Context<'a> {
    /// A context for `placement` at `now`, with an empty basket.
    pub fn new(placement: Placement, now: i64) -> Context<'a> {
        Context {
            placement,
            product: None,
            basket: &[],
            segments: &[],
            now,
            exclude: &[],
            trace: false,
            live: &crate::live::NONE,
        }
    }

    /// With the page's product.
    pub fn product(self, id: &'a str) -> Self {
        Context {
            product: Some(id),
            ..self
        }
    }

    /// With a basket.
    pub fn basket(self, lines: &'a [BasketLine]) -> Self {
        Context {
            basket: lines,
            ..self
        }
    }

    /// With the shopper's segments.
    pub fn segments(self, names: &'a [&'a str]) -> Self {
        Context {
            segments: names,
            ..self
        }
    }

    /// With dismissed products.
    pub fn exclude(self, ids: &'a [&'a str]) -> Self {
        Context {
            exclude: ids,
            ..self
        }
    }

    /// With the store's live facts of the products it read.
    pub fn live(self, live: &'a Live) -> Self {
        Context { live, ..self }
    }

    /// Recording what was filtered and why.
    pub fn traced(self) -> Self {
        Context {
            trace: true,
            ..self
        }
    }
}

/// Why a product is suggested.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    /// The rule that fired.
    pub rule: RuleIdx,
    /// The present products that made it fire (page product or basket lines); empty when
    /// the rule has no product trigger.
    pub because: Vec<ProductIdx>,
    /// What kind of reason, with its measures.
    pub detail: ReasonDetail,
}

/// The kind-specific part of a [`Reason`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ReasonDetail {
    /// An association rule, with its measures when known.
    BoughtTogether {
        /// P(suggested | present).
        confidence: Option<f64>,
        /// Confidence over the suggested item's base rate.
        lift: Option<f64>,
    },
    /// A hand-made cross-sell.
    CrossSell,
    /// An add-on.
    AddOn,
    /// An upgrade.
    Upgrade,
    /// Closes (or narrows) the free-shipping gap.
    Threshold {
        /// The gap when suggested.
        gap: Money,
    },
}

/// One suggested product.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The product to show.
    pub product: ProductIdx,
    /// The highest priority among the rules behind it (ranks first).
    pub priority: i32,
    /// Strength within a priority: the sum over the rules behind it of their strength
    /// (a bought-together rule's from its measures, see [`Ranking`]; hand-made
    /// cross-sells and add-ons count as near-certain, in their listed order).
    pub score: f64,
    /// Every rule that suggested it, strongest first.
    pub reasons: Vec<Reason>,
}

/// "Frequently bought together" on a product page: the page's product plus the top
/// cross-sells ([`Recommendations::cross_sells`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bundle {
    /// The page's product.
    pub anchor: ProductIdx,
    /// The page's product is already in the basket (the widget leaves it unchecked).
    pub anchor_in_basket: bool,
    /// Prices of the whole bundle.
    pub price: BundlePrice,
}

/// What a set of products costs together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BundlePrice {
    /// Sum of the prices.
    pub total: Money,
    /// After the store's bundle discount, when it applies (the whole bundle is chosen).
    pub discounted: Option<Money>,
}

/// An upgrade offer: the better version of a product on the page or in the basket.
#[derive(Clone, Debug, PartialEq)]
pub struct UpgradeOffer {
    /// What it replaces.
    pub from: ProductIdx,
    /// The better version.
    pub to: ProductIdx,
    /// `to` minus `from` (negative if the store offers a cheaper "upgrade").
    pub price_difference: i64,
    /// The rule's attributes side by side.
    pub comparison: Vec<AttributeComparison>,
    /// Highest priority among the rules behind it.
    pub priority: i32,
    /// The rules behind it.
    pub reasons: Vec<Reason>,
}

/// One row of an upgrade comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributeComparison {
    /// Attribute name.
    pub name: String,
    /// Value on the current product.
    pub from: Option<String>,
    /// Value on the upgrade.
    pub to: Option<String>,
}

/// Progress towards free shipping (cart and checkout, when the store has a threshold).
#[derive(Clone, Debug, PartialEq)]
pub struct FreeShipping {
    /// The store's threshold.
    pub threshold: Money,
    /// The basket's value.
    pub basket_value: Money,
    /// What is missing (zero once reached).
    pub gap: Money,
    /// Items that best close the gap: the cheapest that close it, then the closest below.
    pub items: Vec<Suggestion>,
}

impl FreeShipping {
    /// Share of the threshold reached, 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.threshold.minor() <= 0 {
            return 1.0;
        }
        (self.basket_value.minor() as f64 / self.threshold.minor() as f64).clamp(0.0, 1.0)
    }
}

/// The answer for one placement. Sections are in precedence order: a product appears in
/// the first section that wants it and in no later one.
#[derive(Clone, Debug, PartialEq)]
pub struct Recommendations {
    /// Where.
    pub placement: Placement,
    /// Bought-together and cross-sell suggestions, ranked.
    pub cross_sells: Vec<Suggestion>,
    /// On product pages: the bundle of the page's product and the cross-sells.
    pub bundle: Option<Bundle>,
    /// Add-ons for the page's product or the basket.
    pub add_ons: Vec<Suggestion>,
    /// Upgrade offers for the page's product or basket lines.
    pub upgrades: Vec<UpgradeOffer>,
    /// Free-shipping progress and gap fillers.
    pub free_shipping: Option<FreeShipping>,
    /// With [`Context::trace`]: what was left out and why.
    pub filtered: Vec<Filtered>,
}

impl Recommendations {
    /// Every suggested product, in section order.
    pub fn products(&self) -> impl Iterator<Item = ProductIdx> + '_ {
        self.cross_sells
            .iter()
            .map(|s| s.product)
            .chain(self.add_ons.iter().map(|s| s.product))
            .chain(self.upgrades.iter().map(|u| u.to))
            .chain(
                self.free_shipping
                    .iter()
                    .flat_map(|f| f.items.iter().map(|s| s.product)),
            )
    }

    /// Nothing to show.
    pub fn is_empty(&self) -> bool {
        self.products().next().is_none() && self.free_shipping.is_none()
    }
}

/// Something evaluation left out, for `cartlift explain`.
#[derive(Clone, Debug, PartialEq)]
pub struct Filtered {
    /// The rule concerned.
    pub rule: RuleIdx,
    /// The product concerned (none when a whole rule did not fire).
    pub product: Option<ProductIdx>,
    /// Why.
    pub why: FilterReason,
}

/// Why something was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterReason {
    /// It is the page's product.
    CurrentProduct,
    /// It is already in the basket.
    InBasket,
    /// It is out of stock.
    OutOfStock,
    /// The shopper dismissed it (or it rests after a frequency cap).
    Excluded,
    /// An earlier section already shows it.
    ShownElsewhere,
    /// The rule's own limit was reached.
    RuleLimit,
    /// The placement's limit was reached.
    PlacementLimit,
    /// The rule does not apply in this placement.
    Placement,
    /// Not all of its antecedent is present.
    Antecedent,
    /// Its `viewing` condition does not match the page's product.
    Viewing,
    /// Its basket conditions do not hold.
    Basket,
    /// The basket value is outside its range.
    BasketValue,
    /// The shopper is in none of its segments.
    Segment,
    /// Now is outside its dates.
    Dates,
}

impl FilterReason {
    /// A short explanation for people.
    pub fn describe(self) -> &'static str {
        match self {
            FilterReason::CurrentProduct => "it is the page's product",
            FilterReason::InBasket => "it is already in the basket",
            FilterReason::OutOfStock => "it is out of stock",
            FilterReason::Excluded => "the shopper dismissed it",
            FilterReason::ShownElsewhere => "an earlier section already shows it",
            FilterReason::RuleLimit => "the rule's limit was reached",
            FilterReason::PlacementLimit => "the placement's limit was reached",
            FilterReason::Placement => "the rule does not show in this placement",
            FilterReason::Antecedent => "not all of its antecedent is present",
            FilterReason::Viewing => "the page's product does not match `viewing`",
            FilterReason::Basket => "its basket conditions do not hold",
            FilterReason::BasketValue => "the basket value is outside its range",
            FilterReason::Segment => "the shopper is in none of its segments",
            FilterReason::Dates => "now is outside its dates",
        }
    }
}
