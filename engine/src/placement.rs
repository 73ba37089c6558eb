//! Where on the store the widget is shown: the `placement` attribute of a
//! `<cartlift-suggestions>` element, and the `placements` a rule's conditions allow.

/// Where on the store the widget is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Placement {
    /// A product page, with a current product.
    Product,
    /// The cart page or drawer.
    Cart,
    /// The checkout page.
    Checkout,
    /// The order confirmation ("thank you") page.
    Confirmation,
}

impl Placement {
    /// All placements.
    pub const ALL: [Placement; 4] = [
        Placement::Product,
        Placement::Cart,
        Placement::Checkout,
        Placement::Confirmation,
    ];

    /// Parses the `placement` attribute value.
    pub fn parse(name: &str) -> Option<Placement> {
        Placement::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The attribute value for this placement.
    pub fn name(self) -> &'static str {
        match self {
            Placement::Product => "product",
            Placement::Cart => "cart",
            Placement::Checkout => "checkout",
            Placement::Confirmation => "confirmation",
        }
    }

    pub(crate) fn bit(self) -> u8 {
        1 << self as u8
    }

    /// Cart-like placements show the free-shipping bar and react to the whole basket.
    pub fn is_cart(self) -> bool {
        matches!(self, Placement::Cart | Placement::Checkout)
    }
}
