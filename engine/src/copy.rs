//! The widget's texts: built-in English defaults, overridable per locale from the config.
//!
//! Templates use `{name}` placeholders. Keys are a closed set ([`CopyKey`]) so a config with
//! a misspelt key is reported instead of silently showing the default. A page asks for a
//! locale (its `<html lang>`); [`Translations::resolve`] picks the closest one the config
//! has, falling back to the store's default locale, then to English.

use crate::map::StrMap;

macro_rules! copy_keys {
    ($($variant:ident $name:literal $text:literal,)*) => {
        /// Every text the widget can show.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum CopyKey {
            $(#[doc = $text] $variant,)*
        }

        impl CopyKey {
            /// All keys, in declaration order.
            pub const ALL: &'static [CopyKey] = &[$(CopyKey::$variant,)*];

            /// The key as written in the config's `store.copy.<locale>`.
            pub fn name(self) -> &'static str {
                match self { $(CopyKey::$variant => $name,)* }
            }

            /// The built-in English text.
            pub fn default_text(self) -> &'static str {
                match self { $(CopyKey::$variant => $text,)* }
            }
        }
    };
}

copy_keys! {
    ProductTitle "product_title" "Frequently bought together",
    BundleThisItem "bundle_this_item" "This item",
    BundleTotal "bundle_total" "Total price: {amount}",
    BundlePrice "bundle_price" "Bundle price: {amount} (save {savings})",
    AddAll "add_all" "Add all {count} to cart",
    AddSelected "add_selected" "Add {count} to cart",
    UpgradeTitle "upgrade_title" "Upgrade your pick",
    UpgradeDifference "upgrade_difference" "+{amount}",
    UpgradeSwitch "upgrade_switch" "Switch to this",
    UpgradeAttribute "upgrade_attribute" "Feature",
    AddOnsTitle "add_ons_title" "Add extras",
    CartTitle "cart_title" "You might also need",
    CheckoutTitle "checkout_title" "Before you check out",
    ConfirmationTitle "confirmation_title" "Complete your setup",
    FreeShippingGap "free_shipping_gap" "{amount} away from free shipping",
    FreeShippingReached "free_shipping_reached" "You've unlocked free shipping",
    FreeShippingItems "free_shipping_items" "Add one of these to ship free",
    AddToCart "add_to_cart" "Add to cart",
    Adding "adding" "Adding…",
    Added "added" "Added",
    AddFailed "add_failed" "Couldn't add. Retry",
    AddedAnnouncement "added_announcement" "{product} added to cart",
    NotInterested "not_interested" "Not interested",
    NotInterestedLabel "not_interested_label" "Hide {product}",
    ScrollPrevious "scroll_previous" "Previous suggestions",
    ScrollNext "scroll_next" "More suggestions",
    ReasonBoughtTogether "reason_bought_together" "Bought together with {product} by {percent} of shoppers",
    ReasonGoesWith "reason_goes_with" "Goes with {product}",
    ReasonCrossSell "reason_cross_sell" "Recommended with {product}",
    ReasonRecommended "reason_recommended" "Recommended for you",
    ReasonAddOn "reason_add_on" "Goes with your {product}",
    ReasonUpgrade "reason_upgrade" "A better version of {product}",
    ReasonThreshold "reason_threshold" "Closes the {amount} gap to free shipping",
}

impl CopyKey {
    /// The heading of a placement's suggestion list.
    pub fn placement_title(placement: crate::placement::Placement) -> CopyKey {
        use crate::placement::Placement;
        match placement {
            Placement::Product => CopyKey::ProductTitle,
            Placement::Cart => CopyKey::CartTitle,
            Placement::Checkout => CopyKey::CheckoutTitle,
            Placement::Confirmation => CopyKey::ConfirmationTitle,
        }
    }

    /// Looks a key up by its config name.
    pub fn from_name(name: &str) -> Option<CopyKey> {
        CopyKey::ALL.iter().copied().find(|k| k.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The resolved texts for one locale.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyTexts {
    pub(crate) texts: Vec<Box<str>>,
}

impl Default for CopyTexts {
    fn default() -> Self {
        Self {
            texts: CopyKey::ALL
                .iter()
                .map(|k| k.default_text().into())
                .collect(),
        }
    }
}

impl CopyTexts {
    /// The text for `key`.
    pub fn get(&self, key: CopyKey) -> &str {
        &self.texts[key.index()]
    }

    pub(crate) fn set(&mut self, key: CopyKey, text: &str) {
        self.texts[key.index()] = text.into();
    }

    /// Fills `{name}` placeholders of `key`'s template from `args`.
    ///
    /// ```
    /// use cartlift_engine::copy::{CopyKey, CopyTexts};
    /// let copy = CopyTexts::default();
    /// assert_eq!(
    ///     copy.fill(CopyKey::ReasonGoesWith, &[("product", "a 4 MP camera")]),
    ///     "Goes with a 4 MP camera"
    /// );
    /// ```
    pub fn fill(&self, key: CopyKey, args: &[(&str, &str)]) -> String {
        fill(self.get(key), args)
    }
}

/// Fills `{name}` placeholders; unknown placeholders stay as written. (Braces are found
/// as bytes: see `url::check_url`.)
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.bytes().position(|b| b == b'{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = after.bytes().position(|b| b == b'}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = args.iter().find(|(n, _)| *n == name)?;
            Some((value, &after[close + 1..]))
        });
        match filled {
            Some((value, tail)) => {
                out.push_str(value);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a locale's script runs right to left (Arabic, Persian, Hebrew, Urdu, …).
///
/// ```
/// use cartlift_engine::copy::is_rtl;
/// assert!(is_rtl("fa-IR") && is_rtl("ar") && !is_rtl("en-US"));
/// ```
pub fn is_rtl(locale: &str) -> bool {
    matches!(
        language(locale).as_str(),
        "ar" | "fa" | "he" | "iw" | "ur" | "ps" | "ckb" | "dv" | "yi" | "sd" | "ug"
    )
}

/// The lower-case language subtag: `"fa"` for `"fa-IR"`.
fn language(locale: &str) -> String {
    locale
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The texts of every locale a config has, resolved against the built-in defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Translations {
    pub(crate) default_locale: String,
    /// `(locale as written, texts)`; the default locale first.
    pub(crate) locales: Vec<(String, CopyTexts)>,
}

/// What a page gets for the locale it asked for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Locale<'a> {
    /// The locale to format prices in and to pick rule texts by (`"fa-IR"`).
    pub tag: &'a str,
    /// The texts.
    pub texts: &'a CopyTexts,
    /// Lay out right to left.
    pub rtl: bool,
}

impl Translations {
    /// Resolves the store's per-locale overrides. Unknown keys are returned, with their
    /// locale, for the validator to report.
    pub(crate) fn build(
        default_locale: &str,
        overrides: &StrMap<StrMap<String>>,
        mut unknown: impl FnMut(&str, &str),
    ) -> Translations {
        let overlay = |base: &CopyTexts,
                       texts: &StrMap<String>,
                       locale: &str,
                       unknown: &mut dyn FnMut(&str, &str)| {
            let mut resolved = base.clone();
            for (key, text) in texts {
                match CopyKey::from_name(key) {
                    Some(k) => resolved.set(k, text),
                    None => unknown(locale, key),
                }
            }
            resolved
        };
        let default_entry = best_match(overrides.keys(), default_locale);
        let base = match default_entry {
            Some(tag) => overlay(&CopyTexts::default(), &overrides[tag], tag, &mut unknown),
            None => CopyTexts::default(),
        };
        let mut locales = vec![(default_locale.to_owned(), base.clone())];
        for (tag, texts) in overrides {
            if Some(tag.as_str()) != default_entry {
                let resolved = overlay(&base, texts, tag, &mut unknown);
                locales.push((tag.clone(), resolved));
            }
        }
        Translations {
            default_locale: default_locale.to_owned(),
            locales,
        }
    }

    /// What [`Translations::resolve`] and [`CopyTexts::get`] rely on: a default locale,
    /// and every text of every locale (checked when a compiled config is read).
    pub(crate) fn is_complete(&self) -> bool {
        !self.locales.is_empty()
            && self
                .locales
                .iter()
                .all(|(_, t)| t.texts.len() == CopyKey::ALL.len())
    }

    /// The store's default locale.
    pub fn default_locale(&self) -> &str {
        &self.default_locale
    }

    /// Locales the config has texts for, the default first.
    pub fn locales(&self) -> impl Iterator<Item = &str> {
        self.locales.iter().map(|(tag, _)| tag.as_str())
    }

    /// The closest locale to `requested` (exact, then same language), else the default.
    pub fn resolve(&self, requested: Option<&str>) -> Locale<'_> {
        let chosen = requested
            .and_then(|r| best_match(self.locales.iter().map(|(t, _)| t.as_str()), r))
            .and_then(|tag| self.locales.iter().find(|(t, _)| t == tag))
            .unwrap_or(&self.locales[0]);
        Locale {
            tag: &chosen.0,
            texts: &chosen.1,
            rtl: is_rtl(&chosen.0),
        }
    }
}

impl Default for Translations {
    fn default() -> Self {
        Translations::build("en-US", &StrMap::new(), |_, _| {})
    }
}

/// The candidate equal to `requested` (case-insensitive), else the first with its language.
pub(crate) fn best_match<'a>(
    candidates: impl Iterator<Item = &'a str> + Clone,
    requested: &str,
) -> Option<&'a str> {
    candidates
        .clone()
        .find(|c| c.eq_ignore_ascii_case(requested))
        .or_else(|| {
            candidates
                .into_iter()
                .find(|c| language(c) == language(requested))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_and_unknown_ones_stay() {
        assert_eq!(
            fill("{a} and {b} {c", &[("a", "x"), ("b", "{a}")]),
            "x and {a} {c"
        );
        assert_eq!(fill("no braces", &[]), "no braces");
        assert_eq!(fill("{missing}", &[]), "{missing}");
    }

    #[test]
    fn resolves_exact_then_language_then_default() {
        let mut overrides = StrMap::new();
        overrides.insert(
            "en".to_owned(),
            StrMap::from([("product_title".to_owned(), "Pairs well".to_owned())]),
        );
        overrides.insert(
            "fa-IR".to_owned(),
            StrMap::from([
                (
                    "product_title".to_owned(),
                    "معمولاً با هم خریده می‌شوند".to_owned(),
                ),
                ("bogus".to_owned(), "x".to_owned()),
            ]),
        );
        let mut unknown = Vec::new();
        let t = Translations::build("en-US", &overrides, |l, k| unknown.push(format!("{l}:{k}")));
        assert_eq!(unknown, ["fa-IR:bogus"]);
        let fa = t.resolve(Some("fa"));
        assert_eq!((fa.tag, fa.rtl), ("fa-IR", true));
        assert_eq!(
            fa.texts.get(CopyKey::ProductTitle),
            "معمولاً با هم خریده می‌شوند"
        );
        // Untranslated keys fall back to the store's default texts, overrides included.
        assert_eq!(fa.texts.get(CopyKey::AddToCart), "Add to cart");
        let de = t.resolve(Some("de-DE"));
        assert_eq!((de.tag, de.rtl), ("en-US", false));
        assert_eq!(de.texts.get(CopyKey::ProductTitle), "Pairs well");
        assert_eq!(t.resolve(None).tag, "en-US");
    }
}
