//! The standalone rules file: `{"rules": [...]}`, one `bought_together` rule per line,
//! ready to paste into a config's `rules`, after the store's ranking (`{"store":
//! {"ranking": ...}}`) when `cartlift mine` chose one. Files are replaced atomically.

use super::json::{self, Num};
use super::{MinedRule, RuleIds};
use crate::write;
use anyhow::{Context, Result};
use cartlift_engine::config::raw::RawRanking;
use cartlift_engine::mining::Transactions;
use std::io::{self, Write};
use std::path::Path;

/// Writes `rules` as config rules to `path` (`None` or `-`: stdout), with the store's
/// ranking (`store.ranking`) when one was chosen.
pub fn write<R: MinedRule>(
    path: Option<&Path>,
    rules: impl IntoIterator<Item = R>,
    names: &Transactions,
    ranking: Option<RawRanking>,
) -> Result<()> {
    to_path_or_stdout(path, |out| config_rules(out, rules, names, ranking))
}

/// Runs `fill` on a buffered writer to `path` (atomically replaced) or stdout (`None`, `-`).
pub fn to_path_or_stdout(
    path: Option<&Path>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match path {
        Some(p) if p != Path::new("-") => write::atomically_with(p, |out| fill(out))
            .with_context(|| format!("writing {}", p.display())),
        _ => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            fill(&mut out)
                .and_then(|()| out.flush())
                .context("writing to stdout")
        }
    }
}

fn config_rules<R: MinedRule>(
    out: &mut dyn Write,
    rules: impl IntoIterator<Item = R>,
    names: &Transactions,
    ranking: Option<RawRanking>,
) -> io::Result<()> {
    let mut ids = RuleIds::new(names, []);
    let mut num = Num::new();
    out.write_all(b"{\n")?;
    if let Some(r) = ranking {
        out.write_all(b"  \"store\": {\"ranking\": {\"peak\": ")?;
        num.put(out, r.peak)?;
        out.write_all(b", \"prior\": ")?;
        num.put(out, r.prior)?;
        out.write_all(b"}},\n")?;
    }
    out.write_all(b"  \"rules\": [")?;
    for (k, rule) in rules.into_iter().enumerate() {
        out.write_all(if k == 0 { b"\n    " } else { b",\n    " })?;
        out.write_all(b"{\"kind\": \"bought_together\", \"id\": ")?;
        ids.write_json(out, &rule, names)?;
        out.write_all(b", \"antecedent\": ")?;
        json::names(out, rule.antecedent(), names)?;
        out.write_all(b", \"consequent\": ")?;
        json::names(out, rule.consequent(), names)?;
        if let Some(support) = rule.support() {
            out.write_all(b", \"support\": ")?;
            num.put(out, support)?;
        }
        out.write_all(b", \"confidence\": ")?;
        num.put(out, rule.confidence())?;
        out.write_all(b", \"lift\": ")?;
        num.put(out, rule.lift())?;
        if let Some(weight) = rule.weight() {
            out.write_all(b", \"weight\": ")?;
            num.put(out, weight)?;
        }
        out.write_all(b", \"source\": \"mined\"}")?;
    }
    out.write_all(b"\n  ]\n}\n")
}
