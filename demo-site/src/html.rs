//! Writing the demo's generated pages: text escaping (the engine's) and formatting.

use std::fmt::Write;

/// The engine's HTML escape, under the name the demo's page code uses.
pub use cartlift_engine::html::escape as esc;

/// Appends formatted text; writing to a String cannot fail.
pub fn push(out: &mut String, args: std::fmt::Arguments<'_>) {
    let _ = out.write_fmt(args);
}
