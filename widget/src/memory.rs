//! The shopper's memory ([`ShopperMemory`]) in localStorage, under one key.
//!
//! Storage may be missing, blocked (privacy modes, sandboxed frames) or full: every access
//! is caught, and the widget then remembers for the current page only. Other tabs' changes
//! arrive through the `storage` event the loader forwards.

use cartlift_engine::shopper::ShopperMemory;

/// The localStorage key.
pub(crate) const KEY: &str = "cartlift:v1";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the stored memory, or starts a fresh one with a new anonymous id.
pub(crate) fn load(now: i64) -> ShopperMemory {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|text| crate::js_json::parse(&text).ok())
        .and_then(|value| ShopperMemory::from_value(&value, now))
        .unwrap_or_else(|| {
            let fresh = ShopperMemory::new(anonymous_id());
            save(&fresh);
            fresh
        })
}

/// Stores the memory; returns false when storage refused (blocked or full).
pub(crate) fn save(memory: &ShopperMemory) -> bool {
    storage().is_some_and(|s| s.set_item(KEY, &memory.to_json()).is_ok())
}

/// 64 random bits as hex: an id with no meaning beyond the holdout hash.
fn anonymous_id() -> String {
    let mut bytes = [0u8; 8];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
