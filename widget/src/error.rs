//! The widget's one error type. JS exceptions become [`WidgetError::Js`] in one place.

use wasm_bindgen::JsValue;

/// Everything that can go wrong in the widget; each becomes one console warning.
#[derive(Debug, thiserror::Error)]
pub enum WidgetError {
    /// The config could not be fetched.
    #[error("could not load the config from {url}: {reason}")]
    ConfigFetch {
        /// Where it was fetched from.
        url: String,
        /// HTTP status or network error.
        reason: String,
    },
    /// The config was fetched but nothing in it is usable.
    #[cfg(feature = "json")]
    #[error("the config from {source_name} cannot be used: {}{}", summary(errors), note(*large))]
    ConfigInvalid {
        /// URL or `#cartlift-config`.
        source_name: String,
        /// The errors found.
        errors: Vec<cartlift_engine::Problem>,
        /// Its length, when it is a large JSON config: the same message advises.
        large: Option<u32>,
    },
    /// The config has errors; the parts with errors are left out, the rest works.
    #[cfg(feature = "json")]
    #[error(
        "the config from {source_name} has errors; the parts with errors are left out: {}{}",
        summary(errors),
        note(*large)
    )]
    ConfigPartlyInvalid {
        /// URL or `#cartlift-config`.
        source_name: String,
        /// The errors found.
        errors: Vec<cartlift_engine::Problem>,
        /// Its length, when it is a large JSON config: the same message advises.
        large: Option<u32>,
    },
    /// A JSON config large enough to hold the page's main thread for long in all: it
    /// works, and this says how to make it small (once: with the errors when it has some).
    #[cfg(feature = "json")]
    #[error("the config from {source_name} works{}", note(Some(*length)))]
    LargeJson {
        /// URL or `#cartlift-config`.
        source_name: String,
        /// Its length (UTF-16 code units: bytes, for ASCII).
        length: u32,
    },
    /// A compiled config (`cartlift compile`) that does not hold together or is stale.
    #[cfg(not(feature = "json"))]
    #[error("the compiled config from {url} cannot be used: {reason}")]
    ConfigCompiled {
        /// Where it was fetched from.
        url: String,
        /// What is wrong with it.
        reason: cartlift_engine::CompiledError,
    },
    /// A compiled config reached the JSON build (its URL does not end in `.bin`).
    #[cfg(feature = "json")]
    #[error(
        "{source_name} is a compiled config: the loader reads one only from a data-config URL ending in .bin (rename it, or serve the JSON)"
    )]
    CompiledAsJson {
        /// URL or `#cartlift-config`.
        source_name: String,
    },
    /// Neither `data-config` nor an inline config is present.
    #[error(
        "no config: add data-config=\"/cartlift/config.json\" to the script tag or an inline <script type=\"application/json\" id=\"cartlift-config\">"
    )]
    NoConfig,
    /// The page handed over a basket that is not a list of lines.
    #[error("setBasket: {0}")]
    Basket(String),
    /// The cart did not accept an add.
    #[error("add to cart failed: {0}")]
    AddToCart(String),
    /// A browser API failed.
    #[error("{0}")]
    Js(String),
}

/// The advice for a large JSON config, for a message that may also carry its errors.
#[cfg(feature = "json")]
fn note(large: Option<u32>) -> String {
    large.map_or_else(String::new, |length| {
        format!(
            "; it is {:.1} MB of JSON, which the page reads in slices: `cartlift compile` makes it a fraction of the size and quick to read (or `cartlift shard`, so each page fetches only what it needs)",
            f64::from(length) / 1e6
        )
    })
}

/// The first few problems, and where to see all of them.
#[cfg(feature = "json")]
fn summary(errors: &[cartlift_engine::Problem]) -> String {
    const SHOWN: usize = 3;
    let mut out: Vec<String> = errors.iter().take(SHOWN).map(ToString::to_string).collect();
    if errors.len() > SHOWN {
        out.push(format!(
            "and {} more (run `cartlift validate` to see all)",
            errors.len() - SHOWN
        ));
    }
    out.join("; ")
}

impl WidgetError {
    /// Converts a thrown JS value into a readable error: `Error` objects give their message.
    pub(crate) fn from_js(value: JsValue) -> WidgetError {
        WidgetError::Js(js_message(&value))
    }
}

/// The readable text of a thrown JS value: an `Error`'s message, a string itself, anything
/// else as JSON (`42`, `{"code":5}`). Not `JsValue`'s `Debug`: its glue is 0.3 KB brotli.
pub(crate) fn js_message(value: &JsValue) -> String {
    if let Some(err) = value.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    value
        .as_string()
        .or_else(|| js_sys::JSON::stringify(value).ok()?.as_string())
        .unwrap_or_else(|| "a value that is not an Error".to_owned())
}

use wasm_bindgen::JsCast;
