//! The module graph of the workspace's crates, from their sources: which module names
//! which (`crate::a::b`, `super::x`, `self::y`, a child's own name), so a test can hold
//! the line the design draws: no module imports one that imports it back, directly or
//! round a loop. A parent that re-exports its children counts as naming them, so a child
//! that reaches its siblings through the parent (`super::Item`) closes a loop; children
//! name siblings directly (`super::sibling::Item`).
//!
//! A small lexer, not a parser: comments, strings and `#[cfg(test)]` modules are dropped,
//! then every `a::b::c` path (and `a::{b, c::d}` group) is resolved to the deepest module
//! it names, following re-exports (`pub use model::Config` in `config` sends
//! `crate::config::Config` on to `config::model`): a facade that only re-exports closes no
//! loop. Paths into other crates and names of items are ignored.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module path inside one crate (`["config", "read"]`; empty for the crate root).
pub type Module = Vec<String>;

/// Module → the modules it names, for the crate whose `src/` is `src`.
pub fn graph(src: &Path) -> std::io::Result<BTreeMap<Module, BTreeSet<Module>>> {
    let mut files = BTreeMap::new();
    collect(src, src, &mut files)?;
    let modules: BTreeSet<Module> = files.keys().cloned().collect();
    let sources: BTreeMap<&Module, String> = files
        .iter()
        .map(|(module, text)| (module, without_tests(&strip(text))))
        .collect();
    // Item names each module re-exports, and the module each comes from.
    let mut reexports = Reexports::new();
    for (module, text) in &sources {
        for path in reexported(text) {
            if let Some((target, [item])) = resolve(module, &path, &modules, &Reexports::new()) {
                reexports.insert(((*module).clone(), item.clone()), target);
            }
        }
    }
    let mut graph = BTreeMap::new();
    for (module, text) in &sources {
        let mut names = BTreeSet::new();
        for path in paths(text) {
            if let Some((target, _)) = resolve(module, &path, &modules, &reexports)
                && target != **module
            {
                names.insert(target);
            }
        }
        graph.insert((*module).clone(), names);
    }
    Ok(graph)
}

/// (module, item name) → the module the item is re-exported from.
type Reexports = BTreeMap<(Module, String), Module>;

/// Every group of two or more modules that reach each other (Tarjan's strongly connected
/// components), each sorted; empty when the graph has no loop.
pub fn loops(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct Tarjan<'g> {
        graph: &'g BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'g Module, (usize, usize)>,
        stack: Vec<&'g Module>,
        next: usize,
        found: Vec<Vec<Module>>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g Module) {
            self.index.insert(v, (self.next, self.next));
            self.next += 1;
            self.stack.push(v);
            for w in self.graph.get(v).into_iter().flatten() {
                match self.index.get(w).copied() {
                    None => {
                        self.visit(w);
                        let low = self.index[w].1.min(self.index[v].1);
                        self.index.entry(v).and_modify(|e| e.1 = low);
                    }
                    Some((w_index, _)) if self.stack.contains(&w) => {
                        let low = w_index.min(self.index[v].1);
                        self.index.entry(v).and_modify(|e| e.1 = low);
                    }
                    Some(_) => {}
                }
            }
            let (v_index, v_low) = self.index[v];
            if v_index == v_low {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    group.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut t = Tarjan {
        graph,
        index: BTreeMap::new(),
        stack: Vec::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    t.found
}

/// `a::b` for people; the crate root is `crate`.
pub fn name(module: &Module) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<Module, String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap_or(&path).with_extension("");
            let mut module: Module = relative
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            files.insert(module, std::fs::read_to_string(&path)?);
        }
    }
    Ok(())
}

/// The source without comments and the contents of string and character literals.
fn strip(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !is_ident(b[i - 1])) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    out.push('r');
                    i += 1;
                    continue;
                }
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                i += 2 + hashes;
                while i < b.len() && !b[i..].starts_with(&close) {
                    i += 1;
                }
                i += close.len();
                out.push_str("\"\"");
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            // A character literal ('a', '\n', '\''), not a lifetime ('a).
            b'\'' if b.get(i + 2) == Some(&b'\'') || b.get(i + 1) == Some(&b'\\') => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("' '");
            }
            c => {
                out.push(c as char);
                i += 1;
            }
        }
    }
    out
}

/// The source without `#[cfg(test)] mod name { … }` blocks: tests may reach anywhere.
fn without_tests(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = rest[at + "#[cfg(test)]".len()..].trim_start();
        let Some(body) = after
            .strip_prefix("mod ")
            .and_then(|m| m.find('{').map(|open| &m[open..]))
        else {
            out.push_str("#[cfg(test)]");
            rest = &rest[at + "#[cfg(test)]".len()..];
            continue;
        };
        let mut depth = 0;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The paths of `pub use` (and `pub(crate) use`, …) statements: what a module re-exports.
fn reexported(text: &str) -> Vec<Vec<String>> {
    let tokens = tokens(text);
    let mut out = Vec::new();
    for i in 0..tokens.len() {
        if tokens[i] != "pub" {
            continue;
        }
        let mut j = i + 1;
        if tokens.get(j).is_some_and(|t| t == "(") {
            while tokens.get(j).is_some_and(|t| t != ")") {
                j += 1;
            }
            j += 1;
        }
        if tokens.get(j).is_some_and(|t| t == "use") {
            out.extend(path_at(&tokens, j + 1, Vec::new()).0);
        }
    }
    out
}

/// Every path of two or more segments, with `a::{b, c::{d, e}}` groups expanded.
fn paths(text: &str) -> Vec<Vec<String>> {
    let tokens = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let starts = is_word(&tokens[i])
            && tokens.get(i + 1).is_some_and(|t| t == "::")
            && (i == 0 || tokens[i - 1] != "::");
        if starts {
            let (found, next) = path_at(&tokens, i, Vec::new());
            out.extend(found);
            i = next;
        } else {
            i += 1;
        }
    }
    out
}

/// The paths starting at `tokens[i]` under `prefix`, and where they end.
fn path_at(tokens: &[String], mut i: usize, mut prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                let mut out = Vec::new();
                i += 1;
                loop {
                    match tokens.get(i).map(String::as_str) {
                        Some("}") | None => return (out, i + 1),
                        Some(",") => i += 1,
                        Some(t) if is_word(t) => {
                            let (found, next) = path_at(tokens, i, prefix.clone());
                            out.extend(found);
                            i = next;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
            Some(t) if is_word(t) => {
                prefix.push(t.to_owned());
                i += 1;
                if tokens.get(i).map(String::as_str) == Some("::") {
                    i += 1;
                    continue;
                }
                return (vec![prefix], i);
            }
            _ => return (vec![prefix], i),
        }
    }
}

fn is_word(token: &str) -> bool {
    token
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
}

fn tokens(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_ident(b[i]) {
            let start = i;
            while i < b.len() && is_ident(b[i]) {
                i += 1;
            }
            out.push(text[start..i].to_owned());
        } else if b[i..].starts_with(b"::") {
            out.push("::".into());
            i += 2;
        } else if b[i].is_ascii_whitespace() {
            i += 1;
        } else {
            out.push((b[i] as char).to_string());
            i += 1;
        }
    }
    out
}

/// The deepest module `path`, written in `module`, names (through re-exports), and the
/// segments after it; `None` outside the crate.
fn resolve<'p>(
    module: &Module,
    path: &'p [String],
    modules: &BTreeSet<Module>,
    reexports: &Reexports,
) -> Option<(Module, &'p [String])> {
    let (mut base, rest): (Module, &[String]) = match path.first()?.as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (module.clone(), &path[1..]),
        "super" => {
            let mut base = module.clone();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
            (base, rest)
        }
        child => {
            let mut base = module.clone();
            base.push(child.to_owned());
            if !modules.contains(&base) {
                return None;
            }
            (base, &path[1..])
        }
    };
    let mut rest = rest;
    while let Some((segment, after)) = rest.split_first() {
        base.push(segment.clone());
        if !modules.contains(&base) {
            base.pop();
            break;
        }
        rest = after;
    }
    // An item re-exported by a facade comes from the module that defines it.
    for _ in 0..8 {
        match rest
            .first()
            .and_then(|item| reexports.get(&(base.clone(), item.clone())))
        {
            Some(source) if *source != base => base = source.clone(),
            _ => break,
        }
    }
    Some((base, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_src(name: &str) -> std::path::PathBuf {
        crate::root().join(name).join("src")
    }

    /// Each loop as its modules and what each names inside the loop.
    fn loops_in(name_: &str) -> Vec<String> {
        let graph = graph(&crate_src(name_)).expect("the crate's sources");
        assert!(graph.len() > 5, "{name_} has modules");
        loops(&graph)
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|m| {
                        let inside: Vec<String> = graph[m]
                            .iter()
                            .filter(|t| group.contains(t))
                            .map(name)
                            .collect();
                        format!("{} → {}", name(m), inside.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .collect()
    }

    /// The design's line: data flows one way, so no module of the engine or the widget
    /// (nor of the CLI, the studio and the demo site) imports one that imports it back.
    #[test]
    fn no_module_imports_one_that_imports_it_back() {
        for krate in ["engine", "widget", "cli", "demo-site", "demo-site/studio"] {
            assert_eq!(loops_in(krate), Vec::<String>::new(), "loops in {krate}");
        }
    }

    /// The check finds what it is for: a child that reaches a sibling through its parent,
    /// which re-exports both, and a plain two-module loop; and it ignores what is not an
    /// import (strings, comments, tests, other crates).
    #[test]
    fn finds_loops_and_only_loops() {
        let dir = std::env::temp_dir().join(format!("cartlift-imports-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("config")).unwrap();
        let write = |file: &str, text: &str| std::fs::write(dir.join(file), text).unwrap();
        write(
            "lib.rs",
            "pub mod config;\npub mod a;\npub mod b;\nuse std::fmt;\n",
        );
        write(
            "config/mod.rs",
            "mod model;\nmod build;\npub use model::Config;\npub use build::build;\npub struct Checked;\n",
        );
        write("config/model.rs", "pub struct Config;\n");
        write(
            "config/build.rs",
            "use super::Config; // through the facade: no loop\nuse super::Checked;\npub fn build() {}\n",
        );
        write(
            "a.rs",
            "// crate::b::x in a comment\nconst S: &str = \"crate::b\";\npub fn f() { crate::b::g() }\n",
        );
        write(
            "b.rs",
            "pub fn g() {}\n#[cfg(test)]\nmod tests { use crate::a::f; }\n",
        );
        let first = graph(&dir).unwrap();
        let found: Vec<Vec<String>> = loops(&first)
            .iter()
            .map(|g| g.iter().map(name).collect())
            .collect();
        assert_eq!(found, [vec!["config", "config::build"]]);
        assert_eq!(
            first[&vec!["a".to_owned()]],
            BTreeSet::from([vec!["b".to_owned()]])
        );
        assert!(first[&vec!["b".to_owned()]].is_empty());

        write("b.rs", "pub fn g() { crate::a::f() }\n");
        write("config/build.rs", "use super::Config;\n");
        let found: Vec<Vec<String>> = loops(&graph(&dir).unwrap())
            .iter()
            .map(|g| g.iter().map(name).collect())
            .collect();
        assert_eq!(found, [vec!["a", "b"]]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
