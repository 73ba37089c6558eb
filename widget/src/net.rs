//! The network and the clock's waits, through gloo: a `fetch` that gives up after a
//! timeout, and sleeping. Shared by the config source and the cart adapters, and knowing
//! nothing of either.

use gloo_net::http::{Request, Response};
use gloo_timers::callback::Timeout;

/// Resolves after `ms` (0: as soon as the page has had its turn).
///
/// A promise resolved by gloo's `Timeout`, not `gloo_timers::future::TimeoutFuture`: that
/// one waits on a futures-channel oneshot, whose code the widget has no other use for
/// (measured: 0.33 KB brotli more in every compiled-config build).
pub(crate) async fn sleep(ms: u32) {
    let mut timer = None;
    let done = js_sys::Promise::new(&mut |resolve, _| {
        timer = Some(Timeout::new(ms, move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(timer);
}

/// Sends a request for `url` made with `init` (method, headers, body), aborted after
/// `timeout_ms`: the response, or an error naming the URL ("did not answer within N s",
/// or the browser's network error).
///
/// The request is made here and sent with gloo-net's `Request::send`, not built with its
/// `RequestBuilder`: that one re-reads the URL through `web_sys::Url` to merge query
/// parameters (leaving a `&` at the end of a URL that has a query, `config.json?v=3&`),
/// and costs 0.9 KB brotli more.
pub(crate) async fn fetch(
    url: &str,
    init: web_sys::RequestInit,
    timeout_ms: u32,
) -> Result<Response, String> {
    let abort = web_sys::AbortController::new().ok();
    if let Some(a) = &abort {
        init.set_signal(Some(&a.signal()));
    }
    // Cleared when dropped: an answer in time leaves no timer behind.
    let _timeout = abort
        .clone()
        .map(|a| Timeout::new(timeout_ms, move || a.abort()));
    let request = web_sys::Request::new_with_str_and_init(url, &init)
        .map_err(|e| format!("{url}: {}", crate::error::js_message(&e)))?;
    Request::from(request).send().await.map_err(|e| {
        if abort.as_ref().is_some_and(|a| a.signal().aborted()) {
            match timeout_ms % 1000 {
                0 => format!("{url} did not answer within {} s", timeout_ms / 1000),
                _ => format!("{url} did not answer within {timeout_ms} ms"),
            }
        } else {
            format!("{url}: {}", message(e))
        }
    })
}

/// The text of a gloo-net error: a JS error's message alone, as the browser's console
/// shows it after the error's name. Not its `Display`: that reaches serde_json's error
/// messages (gloo-net's `json` feature is on for yew), 1.1 KB brotli for a variant a
/// request without `json()` never makes.
fn message(error: gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(e) => e.message,
        gloo_net::Error::GlooError(e) => e,
        _ => "the request failed".to_owned(),
    }
}

/// Runs `futures` at once and gives their outputs in order, once all are done. By hand:
/// futures-util's `join_all` switches to its `FuturesOrdered` queue (atomics, wakers of
/// its own) for longer lists, and the Shopify build grew by 1.8 KB brotli more with it.
#[cfg(feature = "shopify")]
pub(crate) async fn join_all<T>(
    futures: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = T>>>>,
) -> Vec<T> {
    let mut pending: Vec<_> = futures.into_iter().map(Some).collect();
    let mut done: Vec<Option<T>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (slot, out) in pending.iter_mut().zip(done.iter_mut()) {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => {
                        *out = Some(value);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    done.into_iter().flatten().collect()
}
