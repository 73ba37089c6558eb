//! Reasons for people: "Bought together with Dome Camera by 58% of shoppers".
//!
//! Sentences come from the store's copy for the page's locale (or a rule's own copy). How
//! money and percentages look is the caller's: the widget formats through `Intl` (native
//! digits for Persian), the CLI with [`PlainFormat`].

use super::model::{Reason, ReasonDetail, Suggestion};
use crate::config::Config;
use crate::copy::{CopyKey, Locale, fill};
use crate::money::{Currency, Money};

/// Formats numbers for sentences.
pub trait Format {
    /// An amount in the store currency.
    fn money(&self, amount: Money) -> String;
    /// A share from 0 to 1, as a percentage.
    fn percent(&self, share: f64) -> String;
    /// A count ("Add all 3"); locales with their own digits override it.
    fn count(&self, n: usize) -> String {
        n.to_string()
    }
}

/// Locale-free formatting for tools: `USD 12.50`, `38%`.
#[derive(Clone, Copy, Debug)]
pub struct PlainFormat(pub Currency);

impl Format for PlainFormat {
    fn money(&self, amount: Money) -> String {
        self.0.plain(amount)
    }

    fn percent(&self, share: f64) -> String {
        format!("{}%", (share * 100.0).round() as i64)
    }
}

impl Config {
    /// The sentence for one reason.
    ///
    /// ```
    /// use cartlift_engine::{Config, Context, Placement, PlainFormat};
    /// let config = Config::from_json(r#"{
    ///   "version": 1, "store": {"currency": "USD"},
    ///   "catalog": [{"id": "cam", "title": "Camera", "price": 89}, {"id": "cable", "title": "Cable", "price": 9}],
    ///   "rules": [{"kind": "bought_together", "id": "r1", "antecedent": ["cam"], "consequent": ["cable"], "confidence": 0.38}]
    /// }"#).unwrap();
    /// let recs = config.recommend(&Context::new(Placement::Product, 0).product("cam"));
    /// let locale = config.locale(None);
    /// let fmt = PlainFormat(config.store().currency);
    /// assert_eq!(
    ///     config.reason_text(&recs.cross_sells[0].reasons[0], &locale, &fmt),
    ///     "Bought together with Camera by 38% of shoppers"
    /// );
    /// ```
    pub fn reason_text(&self, reason: &Reason, locale: &Locale<'_>, fmt: &dyn Format) -> String {
        let product = reason
            .because
            .first()
            .map(|&p| self.product(p).title.as_str())
            .unwrap_or("");
        // A product name in the other direction (an English title in a Persian sentence)
        // is isolated, so the bidi algorithm cannot reorder the sentence around it.
        let isolated;
        let product = if locale.rtl && !product.is_empty() {
            isolated = format!("\u{2068}{product}\u{2069}");
            isolated.as_str()
        } else {
            product
        };
        let (key, percent, amount) = match reason.detail {
            ReasonDetail::BoughtTogether {
                confidence: Some(c),
                ..
            } => (CopyKey::ReasonBoughtTogether, fmt.percent(c), String::new()),
            ReasonDetail::BoughtTogether {
                confidence: None, ..
            } => (CopyKey::ReasonGoesWith, String::new(), String::new()),
            ReasonDetail::CrossSell if product.is_empty() => {
                (CopyKey::ReasonRecommended, String::new(), String::new())
            }
            ReasonDetail::CrossSell => (CopyKey::ReasonCrossSell, String::new(), String::new()),
            ReasonDetail::AddOn => (CopyKey::ReasonAddOn, String::new(), String::new()),
            ReasonDetail::Upgrade => (CopyKey::ReasonUpgrade, String::new(), String::new()),
            ReasonDetail::Threshold { gap } => {
                (CopyKey::ReasonThreshold, String::new(), fmt.money(gap))
            }
        };
        let args = [
            ("product", product),
            ("percent", percent.as_str()),
            ("amount", amount.as_str()),
        ];
        match self
            .rule_copy(reason.rule, locale.tag)
            .and_then(|c| c.reason.as_deref())
        {
            Some(template) => fill(template, &args),
            None => locale.texts.fill(key, &args),
        }
    }

    /// A section heading: the top suggestion's rule title when it has one in this
    /// locale ("Complete your kit"), else the store's text for `default`.
    pub fn section_title(
        &self,
        default: CopyKey,
        suggestions: &[Suggestion],
        locale: &Locale<'_>,
    ) -> String {
        suggestions
            .first()
            .and_then(|s| s.reasons.first())
            .and_then(|r| self.rule_copy(r.rule, locale.tag))
            .and_then(|c| c.title.clone())
            .unwrap_or_else(|| locale.texts.get(default).to_owned())
    }
}
