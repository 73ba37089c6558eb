//! The page's DOM: each placement's shadow root and stylesheet, events dispatched from its
//! element, and the clock. No decisions, and nothing of the network.

use crate::WidgetError;
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};

/// The widget's stylesheet, inside every shadow root; themable only through the
/// `--cartlift-*` custom properties documented in the README. `src/style.css`, minified
/// by `build.rs`.
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));

/// Now, in Unix seconds.
pub(crate) fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Gives `host` an open shadow root holding the stylesheet and `mount` (a placement's
/// mount point: a fresh one, or one moved from an element that left the page). Reuses a
/// root the element already has.
///
/// The stylesheet is one constructed `CSSStyleSheet` shared by every placement (adopted,
/// so no inline `<style>` a strict Content-Security-Policy would block); browsers without
/// constructable sheets get a `<style>` element.
pub(crate) fn prepare_shadow_root(host: &HtmlElement, mount: &Element) -> Result<(), WidgetError> {
    let shadow = match host.shadow_root() {
        Some(root) => root,
        None => host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(WidgetError::from_js)?,
    };
    if adopt_sheet(&shadow) {
        shadow.replace_children_with_node_1(mount);
    } else {
        let document = host
            .owner_document()
            .ok_or_else(|| WidgetError::Js("element has no document".into()))?;
        let style = document
            .create_element("style")
            .map_err(WidgetError::from_js)?;
        style.set_text_content(Some(STYLE));
        shadow.replace_children_with_node_2(&style, mount);
    }
    Ok(())
}

/// A new mount point for a placement, in `host`'s document.
pub(crate) fn new_mount_point(host: &HtmlElement) -> Result<Element, WidgetError> {
    let document = host
        .owner_document()
        .ok_or_else(|| WidgetError::Js("element has no document".into()))?;
    let root = document
        .create_element("div")
        .map_err(WidgetError::from_js)?;
    root.set_class_name("cartlift");
    Ok(root)
}

thread_local! {
    static SHEET: Option<web_sys::CssStyleSheet> = web_sys::CssStyleSheet::new()
        .ok()
        .filter(|sheet| sheet.replace_sync(STYLE).is_ok());
}

/// Adopts the shared sheet into `shadow`; false if the browser cannot.
fn adopt_sheet(shadow: &web_sys::ShadowRoot) -> bool {
    SHEET.with(|sheet| {
        let Some(sheet) = sheet else {
            return false;
        };
        let sheets = js_sys::Array::of1(sheet);
        js_sys::Reflect::set(shadow, &JsValue::from_str("adoptedStyleSheets"), &sheets)
            .unwrap_or(false)
    })
}

/// Dispatches a bubbling, composed `CustomEvent` from `host`; returns false if a listener
/// cancelled it (only possible when `cancelable`).
pub(crate) fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue, cancelable: bool) -> bool {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(cancelable);
    init.set_detail(detail);
    match web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        Ok(event) => host.dispatch_event(&event).unwrap_or(true),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    /// `build.rs` drops only comments, whitespace and a rule's last `;`: with those gone
    /// from both, the shipped stylesheet and the source are the same text.
    #[test]
    fn the_shipped_stylesheet_is_the_source_minified() {
        let source = include_str!("style.css");
        let mut plain = String::new();
        let mut rest = source;
        while let Some(start) = rest.find("/*") {
            plain.push_str(&rest[..start]);
            let end = rest[start..].find("*/").unwrap() + start + 2;
            rest = &rest[end..];
        }
        plain.push_str(rest);
        let squeeze = |css: &str| {
            css.split_whitespace()
                .collect::<String>()
                .replace(";}", "}")
        };
        assert_eq!(squeeze(super::STYLE), squeeze(&plain));
        assert!(super::STYLE.len() < source.len() * 85 / 100);
        assert!(!super::STYLE.contains("/*") && !super::STYLE.contains('\n'));
        assert!(super::STYLE.contains(r#""Segoe UI""#));
    }
}
