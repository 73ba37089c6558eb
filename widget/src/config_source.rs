//! Where the config comes from: fetched (`data-config`, with retries and a timeout), inline
//! (`#cartlift-config`), compiled (`.bin`, the small builds), and a sharded config's
//! shards, fetched as placements need them. It hands configs over and knows nothing of
//! who takes them: a shard that arrives is reported through the function it is given.

use crate::WidgetError;
#[cfg(feature = "json")]
use crate::js_value::Js;
use crate::state::Settings;
#[cfg(feature = "json")]
use cartlift_engine::config::shard::ShardSet;
#[cfg(feature = "json")]
use cartlift_engine::config::{Loading, Read, read};
use cartlift_engine::{BasketLine, Config};
#[cfg(feature = "json")]
use cartlift_engine::{JsonPath, Problem, ProblemKind, Severity};
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
    // A large store's file takes a few hundred ms of wasm to decode and check.
    let mut decoding = cartlift_engine::config::Decoding::new(&bytes);
    let decoded = in_slices(|work| decoding.step(work)).await;
    decoded.map_err(|reason| WidgetError::ConfigCompiled {
        url: url.clone(),
        reason,
    })
}

/// Loads and builds the config: inline `#cartlift-config` wins, else `data-config`. The
/// browser parses it (`JSON.parse`); the engine reads the values, part by part, into its
/// serde types and checks them, in slices. The core of a sharded config keeps its shard
/// set here, for [`has_shards_for`].
#[cfg(feature = "json")]
pub(crate) async fn load_config(settings: &Settings) -> Result<Config, WidgetError> {
    let window = web_sys::window().ok_or_else(|| WidgetError::Js("no window".into()))?;
    let inline = window
        .document()
        .and_then(|d| d.get_element_by_id("cartlift-config"))
        .and_then(|e| e.text_content());
    let (source_name, text) = match (inline, &settings.config_url) {
        (Some(text), _) => ("#cartlift-config".to_owned(), js_sys::JsString::from(text)),
        (None, Some(url)) => match fetch_text(url, false).await? {
            Some(text) => (url.clone(), text),
            None => return Err(WidgetError::NoConfig),
        },
        (None, None) => return Err(WidgetError::NoConfig),
    };
    if text.starts_with("CARTLIFT", 0) {
        return Err(WidgetError::CompiledAsJson { source_name });
    }
    let large = Some(text.length()).filter(|&length| length > LARGE_JSON);
    let read = match crate::bindings::parse_json(&text) {
        Ok(document) => {
            let mut loading = Loading::new(Js(document));
            in_slices(|work| loading.step(work)).await
        }
        Err(e) => Read {
            problems: vec![Problem::error(
                ProblemKind::NotJson,
                JsonPath::root(),
                not_json(&text, &e),
            )],
            ..Read::default()
        },
    };
    let Read {
        raw,
        config,
        problems,
    } = read;
    // A sharded config's core: keep what was read, to merge shards into.
    let shards = match config.as_ref().and_then(Config::shards) {
        Some(_) => ShardSet::new(raw).map(|set| {
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
        Some(config) if errors.is_empty() => {
            if let Some(length) = large {
                let advice = WidgetError::LargeJson {
                    source_name,
                    length,
                };
                crate::report::warn(&advice.to_string());
            }
            config
        }
        // A live store keeps the valid part: one bad rule costs that rule, not every suggestion.
        Some(config) => {
            crate::report::warn(
                &WidgetError::ConfigPartlyInvalid {
                    source_name,
                    errors,
                    large,
                }
                .to_string(),
            );
            config
        }
        None => {
            return Err(WidgetError::ConfigInvalid {
                source_name,
                errors,
                large,
            });
        }
    };
    SHARDS.with(|s| s.borrow_mut().shards = shards);
    Ok(config)
}

/// A JSON config longer than this (in UTF-16 code units: bytes, for ASCII) still loads, in
/// slices, and the console advises compiling or sharding it once: `JSON.parse` is one task
/// (about 30 ms for 5 MB in Chromium), and reading and checking take the page's main
/// thread in slices for longer than a compiled config's decoding.
#[cfg(feature = "json")]
const LARGE_JSON: u32 = 5_000_000;

/// Longest the loader holds the main thread before giving it back to the page.
const SLICE_MS: f64 = 12.0;
/// Work per engine step: a few hundred catalog entries or rules (well under 1 ms).
const STEP_WORK: usize = 256;

/// Runs `step` (an engine's loading, given [`STEP_WORK`] units at a time) in slices of
/// [`SLICE_MS`], yielding to the page between them, until it has an outcome: a large
/// config takes a while, but never one long task, so the page keeps answering its shopper.
async fn in_slices<T>(mut step: impl FnMut(usize) -> Option<T>) -> T {
    loop {
        let started = js_sys::Date::now();
        while js_sys::Date::now() - started < SLICE_MS {
            if let Some(outcome) = step(STEP_WORK) {
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

/// A config or shard file's text, as the browser holds it, with retries; `Ok(None)` for a
/// 404 when `missing_ok` (a shard of a product the config does not know).
#[cfg(feature = "json")]
async fn fetch_text(url: &str, missing_ok: bool) -> Result<Option<js_sys::JsString>, WidgetError> {
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

/// Why `text` is not JSON, in the browser's words; a config that opens an object and never
/// closes it is named as cut short (a partial upload, a proxy's limit), which the
/// browser's own message ("Expected double-quoted property name…") does not say.
#[cfg(feature = "json")]
fn not_json(text: &js_sys::JsString, e: &wasm_bindgen::JsValue) -> String {
    let why = crate::error::js_message(e);
    let text = text.trim();
    if text.starts_with("{", 0) && !text.ends_with("}", text.length() as i32) {
        format!("the JSON is cut short, it ends before its last `}}`: {why}")
    } else {
        why
    }
}

/// The body as text (JSON), left in the browser for `JSON.parse`.
#[cfg(feature = "json")]
async fn read_text(
    response: web_sys::Response,
    kind: String,
) -> Result<js_sys::JsString, FetchFailure> {
    let body = response
        .text()
        .map_err(|e| (crate::error::js_message(&e), true, None))?;
    let body = JsFuture::from(body)
        .await
        .map_err(|e| (crate::error::js_message(&e), true, None))?;
    let Ok(text) = body.dyn_into::<js_sys::JsString>() else {
        return Err(("the body is not text".to_owned(), false, None));
    };
    // A login page or a CDN's error page served with 200 is not a config.
    if kind.starts_with("text/html") && text.trim_start().starts_with("<", 0) {
        return Err((
            format!("the server sent an HTML page ({kind}), not JSON"),
            false,
            None,
        ));
    }
    Ok(text)
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
            Ok(Some(text)) => crate::bindings::parse_json(text)
                .map_err(|e| crate::error::js_message(&e))
                .and_then(|document| read::shard(&Js(document)).map_err(|p| p.to_string()))
                .map(|shard| {
                    if id.is_empty() {
                        set.add_cart(Some(shard));
                    } else {
                        set.add(&id, Some(shard));
                    }
                }),
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
