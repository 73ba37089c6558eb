//! Every `#[wasm_bindgen]` export: the page's entry (`runStudio`) and the worker's
//! (`mineOrders`). The same module serves both: `index.html` calls the first, `worker.js`
//! the second, so the studio is one wasm file.

use crate::mining::{self, MineSettings};
use wasm_bindgen::prelude::*;

/// Mounts the studio in `#studio`.
#[wasm_bindgen(js_name = runStudio)]
pub fn run_studio() -> Result<(), JsError> {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("studio"))
        .ok_or_else(|| JsError::new("no #studio element"))?;
    yew::Renderer::<crate::components::App>::with_root(root).render();
    Ok(())
}

/// Mines an order file (in the worker). `settings` is [`MineSettings`] as JSON;
/// `progress(phase, done, total)` is called as it goes. Returns [`mining::Mined`] as JSON.
#[wasm_bindgen(js_name = mineOrders)]
pub fn mine_orders(
    bytes: &[u8],
    settings: &str,
    progress: &js_sys::Function,
) -> Result<String, JsError> {
    let settings: MineSettings =
        serde_json::from_str(settings).map_err(|e| JsError::new(&e.to_string()))?;
    let mined = mining::mine(bytes, &settings, |phase, done, total| {
        let _ = progress.call3(
            &JsValue::NULL,
            &phase.name().into(),
            &(done as f64).into(),
            &(total as f64).into(),
        );
    })
    .map_err(|e| JsError::new(&e))?;
    serde_json::to_string(&mined).map_err(|e| JsError::new(&e.to_string()))
}
