//! The widget's texts: built-in English defaults, overridable per key from the config.
//!
//! Templates use `{name}` placeholders. Keys are a closed set ([`CopyKey`]) so a config with
//! a misspelt key is reported instead of silently showing the default.

/// Every text the widget can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CopyKey {
    /// Heading of the product-page placement.
    ProductTitle,
    /// Heading of the cart placement.
    CartTitle,
    /// Heading of the confirmation placement.
    ConfirmationTitle,
    /// The add button.
    AddToCart,
    /// The add button while the cart adapter works.
    Adding,
    /// The add button after the cart confirmed the add.
    Added,
    /// The add button after a failed add; clicking retries.
    AddFailed,
    /// Reason with a known confidence: `{product}`, `{percent}`.
    ReasonBoughtTogether,
    /// Reason without measures: `{product}`.
    ReasonGoesWith,
}

impl CopyKey {
    /// All keys, for validation and tooling.
    pub const ALL: [CopyKey; 9] = [
        CopyKey::ProductTitle,
        CopyKey::CartTitle,
        CopyKey::ConfirmationTitle,
        CopyKey::AddToCart,
        CopyKey::Adding,
        CopyKey::Added,
        CopyKey::AddFailed,
        CopyKey::ReasonBoughtTogether,
        CopyKey::ReasonGoesWith,
    ];

    /// The key as written in the config's `store.copy`.
    pub fn name(self) -> &'static str {
        match self {
            CopyKey::ProductTitle => "product_title",
            CopyKey::CartTitle => "cart_title",
            CopyKey::ConfirmationTitle => "confirmation_title",
            CopyKey::AddToCart => "add_to_cart",
            CopyKey::Adding => "adding",
            CopyKey::Added => "added",
            CopyKey::AddFailed => "add_failed",
            CopyKey::ReasonBoughtTogether => "reason_bought_together",
            CopyKey::ReasonGoesWith => "reason_goes_with",
        }
    }

    /// The built-in English text.
    pub fn default_text(self) -> &'static str {
        match self {
            CopyKey::ProductTitle => "Frequently bought together",
            CopyKey::CartTitle => "You might also need",
            CopyKey::ConfirmationTitle => "Complete your setup",
            CopyKey::AddToCart => "Add to cart",
            CopyKey::Adding => "Adding…",
            CopyKey::Added => "Added",
            CopyKey::AddFailed => "Couldn't add. Retry",
            CopyKey::ReasonBoughtTogether => {
                "Bought together with {product} by {percent} of shoppers"
            }
            CopyKey::ReasonGoesWith => "Goes with {product}",
        }
    }

    /// Looks a key up by its config name.
    pub fn from_name(name: &str) -> Option<CopyKey> {
        CopyKey::ALL.into_iter().find(|k| k.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The resolved texts of one config.
#[derive(Clone, Debug, PartialEq)]
pub struct CopyTexts {
    texts: [Box<str>; CopyKey::ALL.len()],
}

impl Default for CopyTexts {
    fn default() -> Self {
        Self {
            texts: CopyKey::ALL.map(|k| k.default_text().into()),
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

    /// Fills `{name}` placeholders of `key`'s template from `args`; unknown placeholders stay.
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
        let mut out = self.get(key).to_owned();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}
