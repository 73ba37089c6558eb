//! The browser, in one place: fetching text, reading a picked file, the mining worker,
//! downloads, focusing a line of the editor. Errors come back as strings for the page.

use crate::mining::{MineSettings, Mined};
use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

fn window() -> Result<web_sys::Window, String> {
    web_sys::window().ok_or_else(|| "no window".to_owned())
}

/// GETs `url` as text.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let response: web_sys::Response = JsFuture::from(window()?.fetch_with_str(url))
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(js_error)?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}

/// GETs `url` as bytes.
pub async fn fetch_bytes(url: &str) -> Result<ArrayBuffer, String> {
    let response: web_sys::Response = JsFuture::from(window()?.fetch_with_str(url))
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(js_error)?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    JsFuture::from(response.array_buffer().map_err(js_error)?)
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(js_error)
}

/// The bytes of a picked or dropped file.
pub async fn file_bytes(file: &web_sys::File) -> Result<ArrayBuffer, String> {
    JsFuture::from(file.array_buffer())
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(js_error)
}

/// A mining run in a Web Worker (`worker.js` next to the page, which loads this same
/// wasm); dropping it stops the worker.
pub struct MiningWorker {
    worker: web_sys::Worker,
    _onmessage: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl std::fmt::Debug for MiningWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MiningWorker")
    }
}

/// What the worker reports.
pub enum WorkerEvent {
    /// Phase and share done.
    Progress(String, f64),
    /// The result.
    Done(Mined),
    /// What went wrong.
    Failed(String),
}

impl MiningWorker {
    /// Starts a worker on `bytes` (transferred, not copied).
    pub fn start(
        bytes: ArrayBuffer,
        settings: &MineSettings,
        on_event: impl Fn(WorkerEvent) + 'static,
    ) -> Result<MiningWorker, String> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options("worker.js", &options).map_err(js_error)?;
        let onmessage =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                on_event(worker_event(&e.data()))
            });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        let settings = serde_json::to_string(settings).map_err(|e| e.to_string())?;
        let message = Array::of2(&bytes, &settings.into());
        worker
            .post_message_with_transfer(&message, &Array::of1(&bytes))
            .map_err(js_error)?;
        Ok(MiningWorker {
            worker,
            _onmessage: onmessage,
        })
    }
}

impl Drop for MiningWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// `["progress", phase, done, total]`, `["done", json]` or `["error", message]`.
fn worker_event(data: &JsValue) -> WorkerEvent {
    let data = Array::from(data);
    let text = |i: u32| data.get(i).as_string().unwrap_or_default();
    match text(0).as_str() {
        "progress" => {
            let done = data.get(2).as_f64().unwrap_or(0.0);
            let total = data.get(3).as_f64().unwrap_or(1.0).max(1.0);
            WorkerEvent::Progress(text(1), done / total)
        }
        "done" => match serde_json::from_str(&text(1)) {
            Ok(mined) => WorkerEvent::Done(mined),
            Err(e) => WorkerEvent::Failed(e.to_string()),
        },
        _ => WorkerEvent::Failed(text(1)),
    }
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let parts = Array::of1(&Uint8Array::from(text.as_bytes()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(js_error)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)?;
    let document = window()?.document().ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| "not an anchor".to_owned())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Released a minute later: the download has long started by then.
    let release = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(release.unchecked_ref(), 60_000);
    Ok(())
}

/// Selects `start..end` of a textarea and scrolls it into view.
pub fn select_in(textarea: &web_sys::HtmlTextAreaElement, start: u32, end: u32, line: usize) {
    let _ = textarea.focus();
    let _ = textarea.set_selection_range(start, end);
    // Roughly a line's height: enough to bring the line near the top.
    let line_height = 18.0;
    textarea.set_scroll_top(((line.saturating_sub(3)) as f64 * line_height) as i32);
}
