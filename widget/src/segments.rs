//! The shopper's customer segments, as the page says them:
//!
//! - `data-segments="vip returning"` on the script tag: the page's segments;
//! - `cartlift.setSegments(['vip', 'returning'])`: the page's segments from then on (every
//!   placement re-ranks);
//! - a `segments="…"` attribute on a `<cartlift-suggestions>` element: that placement's
//!   segments, *instead of* the page's, whenever the attribute is present (`segments=""`
//!   says "no segment" there). A store's template knows the shopper where it writes the
//!   element, and one placement can then differ from the rest of the page.
//!
//! All three are text here: the loader checks `setSegments`' array (strings, none blank;
//! anything else is one console warning and the segments stay) and hands the names over
//! joined by spaces, so `['vip returning']` is two names, as in `data-segments`. The text
//! is split by the engine's [`cartlift_engine::shopper::segment_names`], as `cartlift
//! explain --segment` splits its values, and the names go to the engine's
//! [`cartlift_engine::Context::segments`] unchanged: a rule for segments fires in the
//! widget exactly when `explain` says so.
//!
//! Size (`cargo xtask build`, brotli, the smallest build): the first version checked the
//! array here (through `js_value::Value`, a message per mistake) and kept the names as a
//! list, +1,226 B; as text, with the check in the loader, +118 B of loader and +18 B of
//! glue, and savings elsewhere paid for it (CHANGELOG, issue 19).

use cartlift_engine::shopper::segment_names;

/// The segments a placement ranks for: its own `segments` attribute's names whenever it has
/// one (even empty), else the page's (`data-segments`, or the last `setSegments`).
pub(crate) fn for_placement<'a>(attribute: Option<&'a str>, page: &'a str) -> Vec<&'a str> {
    segment_names(attribute.unwrap_or(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placements_own_attribute_replaces_the_pages_segments() {
        let page = " vip\treturning\n";
        assert_eq!(for_placement(None, page), ["vip", "returning"]);
        assert_eq!(for_placement(Some(" wholesale "), page), ["wholesale"]);
        // Present but empty: this placement's shopper is in no segment.
        assert!(for_placement(Some(""), page).is_empty());
        assert!(for_placement(None, " ").is_empty());
        // Names are the page's own: no case folding (as the engine matches them).
        assert_eq!(for_placement(Some("VIP vip"), page), ["VIP", "vip"]);
    }
}
