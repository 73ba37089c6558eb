//! The demo store's server, bound to 127.0.0.1 only: the assembled site's files, and the
//! one thing a real shop's backend does that the demo needs, taking orders. Used by
//! `cargo xtask demo` and by the end-to-end tests (on an ephemeral port).
//!
//! Checkout posts each order to `POST /api/orders`; it is appended to the store's order
//! history, served at `/data/orders.csv` (the committed history plus the orders placed
//! since the server started), which the rule studio mines. Placed orders live in memory:
//! every run starts from the committed history, and a test's orders stay in its server.

use crate::http::{self, Request, Response};
use serde_json::Value;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// A running server; stops when dropped.
pub type Server = http::Server;

/// Where the order history is served.
pub const ORDERS_URL: &str = "/data/orders.csv";
/// Where checkout posts an order.
pub const PLACE_ORDER_URL: &str = "/api/orders";
/// Most lines one order may have.
const MAX_LINES: usize = 100;
/// Most of one product in one order.
const MAX_QUANTITY: u64 = 999;

/// Serves the demo store under `root` on 127.0.0.1:`port` (0 picks a free port).
pub fn start(root: &Path, port: u16) -> io::Result<Server> {
    let store = Storefront::new(root);
    http::Server::start(
        port,
        Arc::new(move |request: &Request| store.handle(request)),
    )
}

/// The demo store's server side: its files and its order history.
#[derive(Debug)]
pub struct Storefront {
    root: PathBuf,
    /// CSV rows of the orders placed since start (`order_id,created_at,sku,quantity`).
    placed: Mutex<String>,
}

impl Storefront {
    /// The store whose assembled site is `root`.
    pub fn new(root: &Path) -> Storefront {
        Storefront {
            root: root.to_path_buf(),
            placed: Mutex::new(String::new()),
        }
    }

    /// Answers one request: an order, the order history, or a file.
    pub fn handle(&self, request: &Request) -> Response {
        match (request.method.as_str(), request.path.as_str()) {
            ("POST", PLACE_ORDER_URL) => self.place(request),
            ("GET" | "HEAD", ORDERS_URL) => self.history(),
            _ => serve_file(&self.root, request),
        }
    }

    /// The committed history followed by the orders placed since start.
    fn history(&self) -> Response {
        let path = self.root.join(ORDERS_URL.trim_start_matches('/'));
        let Ok(mut csv) = std::fs::read_to_string(&path) else {
            return Response::text(404, "404 not found");
        };
        if !csv.is_empty() && !csv.ends_with('\n') {
            csv.push('\n');
        }
        csv.push_str(&self.placed.lock().unwrap_or_else(PoisonError::into_inner));
        Response::new(200, "text/csv; charset=utf-8", csv).with_header("Cache-Control", "no-cache")
    }

    /// Appends a checked order: `{"id": "W…", "lines": [{"id": SKU, "quantity": N}]}`.
    fn place(&self, request: &Request) -> Response {
        let known = std::fs::read(self.root.join("data/products.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
        let order = serde_json::from_slice::<Value>(&request.body)
            .map_err(|e| format!("the order is not JSON: {e}"))
            .and_then(|order| order_rows(&order, known.as_ref(), now_utc()));
        match order {
            Ok((id, rows)) => {
                let lines = rows.lines().count();
                self.placed
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push_str(&rows);
                Response::json(201, &serde_json::json!({"order": id, "lines": lines}))
            }
            Err(message) => Response::json(400, &serde_json::json!({"error": message})),
        }
    }
}

/// The history rows of one order, checked against the catalog (`products.json`: an object
/// keyed by product id).
fn order_rows(
    order: &Value,
    known: Option<&Value>,
    at: String,
) -> Result<(String, String), String> {
    let id = order["id"].as_str().unwrap_or_default();
    if id.is_empty() || id.len() > 32 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err("`id` must be 1 to 32 letters, digits or dashes".into());
    }
    let lines = order["lines"]
        .as_array()
        .ok_or("`lines` must be an array")?;
    if lines.is_empty() || lines.len() > MAX_LINES {
        return Err(format!("an order has 1 to {MAX_LINES} lines"));
    }
    let mut rows = String::new();
    for (i, line) in lines.iter().enumerate() {
        let sku = line["id"].as_str().unwrap_or_default();
        if known.and_then(|k| k.get(sku)).is_none() {
            return Err(format!(
                "lines[{i}].id: `{sku}` is not a product of this store"
            ));
        }
        let quantity = line["quantity"].as_u64().unwrap_or(0);
        if !(1..=MAX_QUANTITY).contains(&quantity) {
            return Err(format!("lines[{i}].quantity must be 1 to {MAX_QUANTITY}"));
        }
        rows.push_str(&format!("{id},{at},{sku},{quantity}\n"));
    }
    Ok((id.to_owned(), rows))
}

/// Now as `YYYY-MM-DDTHH:MM:SSZ`, the history's timestamp format.
fn now_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = cartlift_engine::time::civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Answers a GET for a file under `root` (404 for anything else).
pub fn serve_file(root: &Path, request: &Request) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        return Response::text(405, "method not allowed");
    }
    match resolve(root, &request.path).map(|path| (std::fs::read(&path), path)) {
        Some((Ok(bytes), path)) => {
            Response::new(200, content_type(&path), bytes).with_header("Cache-Control", "no-cache")
        }
        _ => Response::text(404, "404 not found"),
    }
}

/// Maps a request URL to a file under `root`, refusing anything that climbs out of it.
fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let mut file = root.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_become_history_rows_and_bad_ones_say_why() {
        let known = serde_json::json!({"cam": {}, "cable": {}});
        let order = serde_json::json!({"id": "W1", "lines": [{"id": "cam", "quantity": 2}, {"id": "cable", "quantity": 1}]});
        let (id, rows) = order_rows(&order, Some(&known), "2026-12-02T10:00:00Z".into()).unwrap();
        assert_eq!(id, "W1");
        assert_eq!(
            rows,
            "W1,2026-12-02T10:00:00Z,cam,2\nW1,2026-12-02T10:00:00Z,cable,1\n"
        );
        let bad = |order: Value| order_rows(&order, Some(&known), String::new()).unwrap_err();
        assert_eq!(
            bad(serde_json::json!({"id": "W1", "lines": [{"id": "nope", "quantity": 1}]})),
            "lines[0].id: `nope` is not a product of this store"
        );
        assert_eq!(
            bad(serde_json::json!({"id": "W1", "lines": [{"id": "cam", "quantity": 0}]})),
            "lines[0].quantity must be 1 to 999"
        );
        assert_eq!(
            bad(serde_json::json!({"id": "W1,x", "lines": []})),
            "`id` must be 1 to 32 letters, digits or dashes"
        );
        assert_eq!(
            bad(serde_json::json!({"id": "W1", "lines": []})),
            "an order has 1 to 100 lines"
        );
    }

    #[test]
    fn the_clock_is_formatted_like_the_history() {
        let now = now_utc();
        assert_eq!(now.len(), 20, "{now}");
        assert!(
            now.starts_with("20") && now.ends_with('Z') && &now[10..11] == "T",
            "{now}"
        );
    }

    #[test]
    fn never_serves_outside_the_root() {
        let root = std::env::temp_dir();
        assert_eq!(resolve(&root, "/../etc/passwd"), None);
        assert_eq!(resolve(&root, "/%2e%2e/etc/passwd"), None);
        assert_eq!(percent_decode("/a%20b"), Some("/a b".into()));
    }
}
