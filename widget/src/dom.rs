//! Browser plumbing: fetching the config, the shadow root, DOM events. No decisions.

use crate::WidgetError;
use crate::runtime::Settings;
use cartlift_engine::Config;
#[cfg(feature = "json")]
use cartlift_engine::config::Loading;
#[cfg(feature = "json")]
use cartlift_engine::config::shard::ShardSet;
#[cfg(feature = "json")]
use cartlift_engine::{Problem, Severity};
#[cfg(feature = "json")]
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};

/// The widget's stylesheet, inside every shadow root; themable only through the
/// `--cartlift-*` custom properties documented in the README. `src/style.css`, minified
/// by `build.rs`.
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));

/// A loaded config, and for the core of a sharded one its shards so far and the URL the
/// shard paths are relative to.
pub(crate) type Loaded = (Config, Shards);

/// The shards of a sharded config's core so far, and the URL their paths are relative to.
#[cfg(feature = "json")]
pub(crate) type Shards = Option<(ShardSet, String)>;
/// The small build reads only whole compiled configs: never any shards (and no shard set
/// code in its wasm).
#[cfg(not(feature = "json"))]
pub(crate) type Shards = Option<std::convert::Infallible>;

/// The small build (without the `json` feature): reads a compiled config (`cartlift
/// compile`) from `data-config`; it was checked and indexed when it was compiled, so what
/// is left is decoding it and checking that it holds together. The loader picks this build
/// only for a `data-config` ending in `.bin` and no inline config.
#[cfg(not(feature = "json"))]
pub(crate) async fn load_config(settings: &Settings) -> Result<Loaded, WidgetError> {
    let url = settings.config_url.as_ref().ok_or(WidgetError::NoConfig)?;
    let bytes = fetch_body(url, false, read_bytes)
        .await?
        .ok_or(WidgetError::NoConfig)?;
    let config = Config::from_compiled(&bytes).map_err(|reason| WidgetError::ConfigCompiled {
        url: url.clone(),
        reason,
    })?;
    Ok((config, None))
}

/// Loads and builds the config: inline `#cartlift-config` wins, else `data-config`.
#[cfg(feature = "json")]
pub(crate) async fn load_config(settings: &Settings) -> Result<Loaded, WidgetError> {
    let window = web_sys::window().ok_or_else(|| WidgetError::Js("no window".into()))?;
    let inline = window
        .document()
        .and_then(|d| d.get_element_by_id("cartlift-config"))
        .and_then(|e| e.text_content());
    let (source_name, text) = match (inline, &settings.config_url) {
        (Some(text), _) => ("#cartlift-config".to_owned(), text),
        (None, Some(url)) => match fetch_text(url, false).await? {
            Some(text) => (url.clone(), text),
            None => return Err(WidgetError::NoConfig),
        },
        (None, None) => return Err(WidgetError::NoConfig),
    };
    if text.starts_with("CARTLIFT") {
        return Err(WidgetError::CompiledAsJson { source_name });
    }
    let (config, problems) = load_in_slices(&text).await;
    // A sharded config's core: keep it as parts to merge shards into.
    let shards = match config.as_ref().and_then(Config::shards) {
        Some(_) => ShardSet::from_core_json(&text).ok().flatten().map(|set| {
            let base = match (&settings.config_url, inline_base()) {
                (Some(url), _) if source_name == *url => url.clone(),
                (_, base) => base,
            };
            (set, base)
        }),
        None => None,
    };
    let errors: Vec<Problem> = problems
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    match config {
        // A live store keeps the valid part: one bad rule costs that rule, not every suggestion.
        Some(config) if errors.is_empty() => Ok((config, shards)),
        Some(config) => {
            crate::report::warn(
                &WidgetError::ConfigPartlyInvalid {
                    source_name,
                    errors,
                }
                .to_string(),
            );
            Ok((config, shards))
        }
        None => Err(WidgetError::ConfigInvalid {
            source_name,
            errors,
        }),
    }
}

/// Longest the loader holds the main thread before giving it back to the page.
#[cfg(feature = "json")]
const SLICE_MS: f64 = 12.0;
/// Work per engine step: a few hundred catalog entries or rules (well under 1 ms).
#[cfg(feature = "json")]
const STEP_WORK: usize = 256;

/// Reads, validates and indexes the config in slices of [`SLICE_MS`], yielding to the
/// page between them: a config of 200,000 rules takes a second or two, but never one
/// long task, so the page keeps answering its shopper.
#[cfg(feature = "json")]
async fn load_in_slices(text: &str) -> (Option<Config>, Vec<Problem>) {
    let mut loading = Loading::new(text);
    loop {
        let started = js_sys::Date::now();
        while js_sys::Date::now() - started < SLICE_MS {
            if let Some(outcome) = loading.step(STEP_WORK) {
                return outcome;
            }
        }
        sleep(0).await;
    }
}

/// Waits before each retry of the config fetch: a blip at the CDN or a deploy in
/// progress gets two more chances, a missing file (4xx) none.
const CONFIG_RETRY_MS: [i32; 2] = [1_000, 3_000];
/// One config fetch may take this long (a slow CDN at 10 s still works).
const CONFIG_TIMEOUT_MS: i32 = 15_000;

/// The page's base URL, for an inline config's relative shard folder.
#[cfg(feature = "json")]
fn inline_base() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default()
}

/// `path` resolved against `base` (a config's URL), as the browser would.
#[cfg(feature = "json")]
pub(crate) fn resolve(path: &str, base: &str) -> String {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    web_sys::Url::new_with_base(base, &document)
        .and_then(|b| web_sys::Url::new_with_base(path, &b.href()))
        .map(|u| u.href())
        .unwrap_or_else(|_| path.to_owned())
}

/// A config or shard file's text, with retries; `Ok(None)` for a 404 when `missing_ok`
/// (a shard of a product the config does not know).
#[cfg(feature = "json")]
pub(crate) async fn fetch_text(url: &str, missing_ok: bool) -> Result<Option<String>, WidgetError> {
    fetch_body(url, missing_ok, read_text).await
}

/// A config file's body as `read` takes it from the response, with retries.
async fn fetch_body<T, F: std::future::Future<Output = Result<T, FetchFailure>>>(
    url: &str,
    missing_ok: bool,
    read: impl Fn(web_sys::Response, String) -> F,
) -> Result<Option<T>, WidgetError> {
    let fail = |reason: String| WidgetError::ConfigFetch {
        url: url.to_owned(),
        reason,
    };
    let mut attempt = 0;
    loop {
        match fetch_once(url, &read).await {
            Ok(text) => return Ok(Some(text)),
            Err((_, _, Some(404))) if missing_ok => return Ok(None),
            Err((reason, retry, _)) => match CONFIG_RETRY_MS.get(attempt) {
                Some(&ms) if retry => {
                    attempt += 1;
                    sleep(ms).await;
                }
                _ if attempt > 0 => {
                    return Err(fail(format!("{reason} (after {} tries)", attempt + 1)));
                }
                _ => return Err(fail(reason)),
            },
        }
    }
}

/// Why one try failed, whether trying again could help, and the HTTP status if any.
type FetchFailure = (String, bool, Option<u16>);

/// One try: the body, or why not.
async fn fetch_once<T, F: std::future::Future<Output = Result<T, FetchFailure>>>(
    url: &str,
    read: impl Fn(web_sys::Response, String) -> F,
) -> Result<T, FetchFailure> {
    let init = web_sys::RequestInit::new();
    let response = crate::adapter::http::fetch(url, &init, CONFIG_TIMEOUT_MS)
        .await
        .map_err(|e| (e, true, None))?;
    let status = response.status();
    if !response.ok() {
        let transient = status >= 500 || status == 408 || status == 429;
        return Err((format!("HTTP {status}"), transient, Some(status)));
    }
    let kind = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    read(response, kind).await
}

/// The body as bytes (a compiled config).
#[cfg(not(feature = "json"))]
async fn read_bytes(response: web_sys::Response, kind: String) -> Result<Vec<u8>, FetchFailure> {
    let body = response
        .array_buffer()
        .map_err(|e| (crate::error::js_message(&e), true, None))?;
    let body = JsFuture::from(body)
        .await
        .map_err(|e| (crate::error::js_message(&e), true, None))?;
    let bytes = js_sys::Uint8Array::new(&body).to_vec();
    if kind.starts_with("text/html") && bytes.first() == Some(&b'<') {
        return Err((
            format!("the server sent an HTML page ({kind}), not a compiled config"),
            false,
            None,
        ));
    }
    Ok(bytes)
}

/// The body as text (JSON).
#[cfg(feature = "json")]
async fn read_text(response: web_sys::Response, kind: String) -> Result<String, FetchFailure> {
    let body = response
        .text()
        .map_err(|e| (crate::error::js_message(&e), true, None))?;
    let body = JsFuture::from(body)
        .await
        .map_err(|e| (crate::error::js_message(&e), true, None))?;
    let text = match body.dyn_ref::<js_sys::JsString>() {
        Some(s) => to_rust(s).await,
        None => return Err(("the body is not text".to_owned(), false, None)),
    };
    // A login page or a CDN's error page served with 200 is not a config.
    if kind.starts_with("text/html") && text.trim_start().starts_with('<') {
        return Err((
            format!("the server sent an HTML page ({kind}), not JSON"),
            false,
            None,
        ));
    }
    Ok(text)
}

/// Copies a JS string into Rust a slice at a time, yielding between slices: a 42 MB
/// config in one copy is a 180 ms task.
#[cfg(feature = "json")]
async fn to_rust(s: &js_sys::JsString) -> String {
    const SLICE: u32 = 1 << 20;
    let len = s.length();
    let mut out = String::with_capacity(len as usize);
    let mut at = 0;
    while at < len {
        let mut end = at.saturating_add(SLICE).min(len);
        // Never between the two halves of a surrogate pair.
        if end < len && (0xD800..0xDC00).contains(&(s.char_code_at(end - 1) as u32)) {
            end -= 1;
        }
        out.push_str(&String::from(s.slice(at, end)));
        at = end;
        if at < len {
            sleep(0).await;
        }
    }
    out
}

/// Resolves after `ms` (0: as soon as the page has had its turn).
pub(crate) async fn sleep(ms: i32) {
    let done = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(done).await;
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
