//! The platform adapters' requests: same-origin JSON with a timeout and retried reads, and
//! errors that say what the platform said.
// Most of this serves the platform adapters; a build without them uses only `TIMEOUT_MS`.
#![cfg_attr(
    not(any(feature = "shopify", feature = "woocommerce")),
    allow(dead_code)
)]

use crate::js_value::{Js, Value};
use gloo_net::http::Headers;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// A cart call that does not answer within this is reported as failed (the adapter then
/// re-reads the cart, so a late success is not lost).
pub(crate) const TIMEOUT_MS: u32 = 12_000;

/// A response: status, the body as the browser parsed it (`null` if it was not JSON), and
/// the headers the adapters care about.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: JsValue,
    #[cfg_attr(not(feature = "woocommerce"), allow(dead_code))]
    pub(crate) headers: Headers,
}

impl Reply {
    pub(crate) fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A string field of the body: what a platform's error answer says went wrong
    /// (Shopify: `description`, `message`; WooCommerce: `code`, `message`).
    pub(crate) fn field(&self, key: &str) -> Option<String> {
        Js(self.body.clone()).get(key)?.string()
    }

    /// The platform's own error text (`description`, `message`), else the status.
    pub(crate) fn error_text(&self) -> String {
        self.field("description")
            .or_else(|| self.field("message"))
            .filter(|s| !s.is_empty())
            .map(|m| format!("{m} (HTTP {})", self.status))
            .unwrap_or_else(|| format!("HTTP {}", self.status))
    }
}

/// Sends a request with an optional JSON body and extra headers.
pub(crate) async fn send(
    method: &str,
    url: &str,
    body: Option<&JsValue>,
    headers: &[(&str, &str)],
) -> Result<Reply, String> {
    send_within(method, url, body, headers, TIMEOUT_MS).await
}

/// A `GET` that gives up after `timeout_ms` (the live product reads: see
/// [`super::LIVE_TIMEOUT_MS`]), not retried.
pub(crate) async fn get_within(url: &str, timeout_ms: u32) -> Result<Reply, String> {
    send_within("GET", url, None, &[], timeout_ms).await
}

async fn send_within(
    method: &str,
    url: &str,
    body: Option<&JsValue>,
    headers: &[(&str, &str)],
    timeout_ms: u32,
) -> Result<Reply, String> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let h = web_sys::Headers::new().map_err(|e| crate::error::js_message(&e))?;
    let set = |k: &str, v: &str| h.set(k, v).map_err(|e| crate::error::js_message(&e));
    set("Accept", "application/json")?;
    for (k, v) in headers {
        set(k, v)?;
    }
    if let Some(body) = body {
        set("Content-Type", "application/json")?;
        let text = js_sys::JSON::stringify(body).map_err(|e| crate::error::js_message(&e))?;
        init.set_body(&text);
    }
    init.set_headers(&h);
    let response = crate::net::fetch(url, init, timeout_ms).await?;
    let status = response.status();
    let headers = response.headers();
    let raw: web_sys::Response = response.into();
    let body = match raw.json() {
        Ok(p) => JsFuture::from(p).await.unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    };
    Ok(Reply {
        status,
        body,
        headers,
    })
}

/// Waits before each retry of a cart read: a blip (a dropped connection, a 502 while
/// the platform deploys, a 429) gets two more chances, then the failure is reported.
const READ_RETRY_MS: [u32; 2] = [500, 2_000];

/// A `GET` of the cart, retried with backoff after a network error, a timeout or a
/// transient status (5xx, 408, 429). Only reads are retried: an add that failed might
/// have been taken, so it is never resent blindly (the adapter re-reads the cart instead).
pub(crate) async fn read(url: &str) -> Result<Reply, String> {
    let mut retries = READ_RETRY_MS.iter();
    loop {
        let outcome = send("GET", url, None, &[]).await;
        let transient = match &outcome {
            Ok(reply) => reply.status >= 500 || reply.status == 408 || reply.status == 429,
            Err(_) => true,
        };
        match retries.next() {
            Some(&ms) if transient => crate::net::sleep(ms).await,
            _ => return outcome,
        }
    }
}
