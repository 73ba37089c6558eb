//! Browser plumbing: fetching the config, the shadow root, DOM events. No decisions.

use crate::WidgetError;
use crate::runtime::Settings;
use cartlift_engine::{Config, Problem, Severity};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};

/// The widget's stylesheet, inside every shadow root; themable only through the
/// `--cartlift-*` custom properties documented in the README.
const STYLE: &str = include_str!("style.css");

/// Loads and builds the config: inline `#cartlift-config` wins, else `data-config`.
pub(crate) async fn load_config(settings: &Settings) -> Result<Config, WidgetError> {
    let window = web_sys::window().ok_or_else(|| WidgetError::Js("no window".into()))?;
    let inline = window
        .document()
        .and_then(|d| d.get_element_by_id("cartlift-config"))
        .and_then(|e| e.text_content());
    let (source_name, text) = match (inline, &settings.config_url) {
        (Some(text), _) => ("#cartlift-config".to_owned(), text),
        (None, Some(url)) => (url.clone(), fetch_text(&window, url).await?),
        (None, None) => return Err(WidgetError::NoConfig),
    };
    let (config, problems) = Config::from_json_lenient(&text);
    let errors: Vec<Problem> = problems
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    match config {
        // A live store keeps the valid part: one bad rule costs that rule, not every suggestion.
        Some(config) if errors.is_empty() => Ok(config),
        Some(config) => {
            crate::report::warn(
                &WidgetError::ConfigPartlyInvalid {
                    source_name,
                    errors,
                }
                .to_string(),
            );
            Ok(config)
        }
        None => Err(WidgetError::ConfigInvalid {
            source_name,
            errors,
        }),
    }
}

async fn fetch_text(window: &web_sys::Window, url: &str) -> Result<String, WidgetError> {
    let fail = |reason: String| WidgetError::ConfigFetch {
        url: url.to_owned(),
        reason,
    };
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| fail(crate::error::js_message(&e)))?
        .unchecked_into();
    if !response.ok() {
        return Err(fail(format!("HTTP {}", response.status())));
    }
    let body = response
        .text()
        .map_err(|e| fail(crate::error::js_message(&e)))?;
    JsFuture::from(body)
        .await
        .map_err(|e| fail(crate::error::js_message(&e)))?
        .as_string()
        .ok_or_else(|| fail("the body is not text".into()))
}

/// Gives `host` an open shadow root holding the stylesheet and an empty mount point, and
/// returns the mount point. Reuses a root the element already has.
///
/// The stylesheet is one constructed `CSSStyleSheet` shared by every placement (adopted,
/// so no inline `<style>` a strict Content-Security-Policy would block); browsers without
/// constructable sheets get a `<style>` element.
pub(crate) fn prepare_shadow_root(host: &HtmlElement) -> Result<Element, WidgetError> {
    let shadow = match host.shadow_root() {
        Some(root) => root,
        None => host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(WidgetError::from_js)?,
    };
    let document = host
        .owner_document()
        .ok_or_else(|| WidgetError::Js("element has no document".into()))?;
    let root = document
        .create_element("div")
        .map_err(WidgetError::from_js)?;
    root.set_class_name("cartlift");
    if adopt_sheet(&shadow) {
        shadow.replace_children_with_node_1(&root);
    } else {
        let style = document
            .create_element("style")
            .map_err(WidgetError::from_js)?;
        style.set_text_content(Some(STYLE));
        shadow.replace_children_with_node_2(&style, &root);
    }
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

/// Builds a plain JS object from key/value pairs.
pub(crate) fn js_object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        // Setting a fresh own property on a plain object cannot fail.
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
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
