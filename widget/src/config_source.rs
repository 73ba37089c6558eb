//! Where the config comes from: fetched (`data-config`, with retries and a timeout), inline
//! (`#cartlift-config`), compiled (`.bin`, the small builds), and a sharded config's
//! shards, fetched as placements need them. It hands configs over and knows nothing of
//! who takes them: a shard that arrives is reported through the function it is given.

use crate::WidgetError;
use crate::state::Settings;
#[cfg(feature = "json")]
use cartlift_engine::config::Loading;
#[cfg(feature = "json")]
use cartlift_engine::config::shard::ShardSet;
use cartlift_engine::{BasketLine, Config};
#[cfg(feature = "json")]
use cartlift_engine::{Problem, Severity};
#[cfg(feature = "json")]
use std::cell::RefCell;
#[cfg(feature = "json")]
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The small build (without the `json` feature): reads a compiled config (`cartlift
/// compile`) from `data-config`; it was checked and indexed when it was compiled, so what
/// is left is decoding it and checking that it holds together. The loader picks this build
/// only for a `data-config` ending in `.bin` and no inline config.
#[cfg(not(feature = "json"))]
pub(crate) async fn load_config(settings: &Settings) -> Result<Config, WidgetError> {
    let url = settings.config_url.as_ref().ok_or(WidgetError::NoConfig)?;
    let bytes = fetch_body(url, false, read_bytes)
        .await?
        .ok_or(WidgetError::NoConfig)?;
    Config::from_compiled(&bytes).map_err(|reason| WidgetError::ConfigCompiled {
        url: url.clone(),
        reason,
    })
}

/// Loads and builds the config: inline `#cartlift-config` wins, else `data-config`. The
/// core of a sharded config keeps its shard set here, for [`has_shards_for`].
#[cfg(feature = "json")]
pub(crate) async fn load_config(settings: &Settings) -> Result<Config, WidgetError> {
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
    let config = match config {
        // A live store keeps the valid part: one bad rule costs that rule, not every suggestion.
        Some(config) if errors.is_empty() => config,
        Some(config) => {
            crate::report::warn(
                &WidgetError::ConfigPartlyInvalid {
                    source_name,
                    errors,
                }
                .to_string(),
            );
            config
        }
        None => {
            return Err(WidgetError::ConfigInvalid {
                source_name,
                errors,
            });
        }
    };
    SHARDS.with(|s| s.borrow_mut().shards = shards);
    Ok(config)
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
        crate::net::sleep(0).await;
    }
}

/// Waits before each retry of the config fetch: a blip at the CDN or a deploy in
/// progress gets two more chances, a missing file (4xx) none.
const CONFIG_RETRY_MS: [u32; 2] = [1_000, 3_000];
/// One config fetch may take this long (a slow CDN at 10 s still works).
const CONFIG_TIMEOUT_MS: u32 = 15_000;

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
fn resolve(path: &str, base: &str) -> String {
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
async fn fetch_text(url: &str, missing_ok: bool) -> Result<Option<String>, WidgetError> {
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
                    crate::net::sleep(ms).await;
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
    let response = crate::net::fetch(url, web_sys::RequestInit::new(), CONFIG_TIMEOUT_MS)
        .await
        .map_err(|e| (e, true, None))?;
    let status = response.status();
    if !response.ok() {
        let transient = status >= 500 || status == 408 || status == 429;
        return Err((format!("HTTP {status}"), transient, Some(status)));
    }
    let kind = response.headers().get("content-type").unwrap_or_default();
    read(response.into(), kind).await
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
            crate::net::sleep(0).await;
        }
    }
    out
}

/// A sharded config's shards so far, the URL their paths are relative to, and the shards
/// being fetched (`""`: the cart shard).
#[cfg(feature = "json")]
#[derive(Default)]
struct ShardState {
    shards: Option<(ShardSet, String)>,
    fetching: Vec<String>,
}

#[cfg(feature = "json")]
thread_local! {
    static SHARDS: RefCell<ShardState> = RefCell::default();
}

/// What a rebuilt config is handed to: the config with the new shard merged in, or `None`
/// when nothing changed but the placements waiting for it can now go on without it.
pub(crate) type OnShard = fn(Option<Config>);

/// Whether the config has what a placement needs: with a sharded config, the shards of
/// the page's product and of the basket's lines (and, for the cart and checkout, the
/// cart shard). What is missing is fetched (once), and `on_shard` gets the rebuilt config
/// when it arrives; meanwhile the placement holds its space.
#[cfg(feature = "json")]
pub(crate) fn has_shards_for(
    product: Option<&str>,
    basket: &[BasketLine],
    cart: bool,
    on_shard: OnShard,
) -> bool {
    let wanted: Vec<(String, String)> = SHARDS.with(|s| {
        let s = s.borrow();
        let Some((set, base)) = &s.shards else {
            return Vec::new();
        };
        let mut wanted: Vec<(String, String)> = product
            .into_iter()
            .chain(basket.iter().map(|l| l.product.as_str()))
            .filter(|id| !id.is_empty() && !set.has(id))
            .map(|id| (id.to_owned(), resolve(&set.url_of(id), base)))
            .collect();
        if cart && let Some(url) = set.cart_url() {
            wanted.push((String::new(), resolve(&url, base)));
        }
        wanted
    });
    if wanted.is_empty() {
        return true;
    }
    for (id, url) in wanted {
        let new = SHARDS.with(|s| {
            let fetching = &mut s.borrow_mut().fetching;
            let new = !fetching.contains(&id);
            if new {
                fetching.push(id.clone());
            }
            new
        });
        if new {
            wasm_bindgen_futures::spawn_local(fetch_shard(id, url, on_shard));
        }
    }
    false
}

/// The small build reads only whole compiled configs: nothing is ever missing.
#[cfg(not(feature = "json"))]
pub(crate) fn has_shards_for(
    _product: Option<&str>,
    _basket: &[BasketLine],
    _cart: bool,
    _on_shard: OnShard,
) -> bool {
    true
}

/// Fetches one shard, merges it and rebuilds the config. A product without a shard (404:
/// not in the config) simply has no suggestions; any other failure is said once.
#[cfg(feature = "json")]
async fn fetch_shard(id: String, url: String, on_shard: OnShard) {
    let text = fetch_text(&url, true).await;
    let built = SHARDS.with(|s| {
        let mut s = s.borrow_mut();
        s.fetching.retain(|f| *f != id);
        let (set, _) = s.shards.as_mut()?;
        let added = match &text {
            Ok(Some(text)) if id.is_empty() => set.add_cart_json(text).map_err(|p| p.to_string()),
            Ok(Some(text)) => set.add_json(&id, text).map_err(|p| p.to_string()),
            Ok(None) => Ok(()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = added {
            crate::report::warn(&format!("shard {url}: {e}"));
        }
        // Missing or broken: do not ask again this page view.
        if id.is_empty() {
            set.add_cart(None);
        } else {
            set.add(&id, None);
        }
        Some(set.build())
    });
    // The whole config was checked by `cartlift shard`; a shard that does not fit is left
    // out by the lenient build, and what was there stays.
    if let Some((config, _)) = built {
        on_shard(config);
    }
}
