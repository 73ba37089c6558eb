//! A small static file server for the assembled demo site, bound to 127.0.0.1 only.
//! Used by `cargo xtask demo` and by the end-to-end tests (on an ephemeral port).

use crate::http::{self, Request, Response};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// A running static server; stops when dropped.
pub type Server = http::Server;

/// Serves the files under `root` on 127.0.0.1:`port` (0 picks a free port).
pub fn start(root: &Path, port: u16) -> io::Result<Server> {
    let root = root.to_path_buf();
    http::Server::start(
        port,
        Arc::new(move |request: &Request| serve_file(&root, request)),
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
    fn never_serves_outside_the_root() {
        let root = std::env::temp_dir();
        assert_eq!(resolve(&root, "/../etc/passwd"), None);
        assert_eq!(resolve(&root, "/%2e%2e/etc/passwd"), None);
        assert_eq!(percent_decode("/a%20b"), Some("/a b".into()));
    }
}
