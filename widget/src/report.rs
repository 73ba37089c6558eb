//! The widget's only voice in the page: console warnings prefixed `cartlift:`.

/// Logs one warning. Never throws.
pub(crate) fn warn(message: &str) {
    web_sys::console::warn_1(&format!("cartlift: {message}").into());
}
