//! Live validation of the editor's text: the engine's one reading of it (`Config::read`),
//! every problem with its JSON path and line:column, and where that line starts in the
//! textarea.

use cartlift_engine::config::read::text::locate_paths;
use cartlift_engine::{Config, JsonPath, Problem, RawConfig, Severity};

/// One problem as the editor lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemView {
    /// An error (the config is refused) rather than a warning.
    pub error: bool,
    /// `rules[3].consequent[0]`, or empty for the whole document.
    pub path: String,
    /// 1-based line and column, when known.
    pub location: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl From<&Problem> for ProblemView {
    fn from(p: &Problem) -> ProblemView {
        ProblemView {
            error: p.severity == Severity::Error,
            path: p.path.to_string(),
            location: p.location,
            message: p.message.clone(),
        }
    }
}

/// The text, checked.
#[derive(Debug)]
pub struct Checked {
    /// What the engine could build (products and rules with errors left out), as the
    /// widget would run it; `None` when nothing usable remains.
    pub config: Option<Config>,
    /// Every problem, in document order.
    pub problems: Vec<ProblemView>,
    /// The document as read, when it reads whole (nothing left out or dropped): what the
    /// rule list shows and what adding or removing rules edits and writes back.
    pub document: Option<RawConfig>,
    /// The line each of the document's rules starts on.
    pub rule_lines: Vec<usize>,
}

impl Checked {
    /// How many problems are errors.
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.error).count()
    }
}

/// Checks `text` as the widget would read it.
pub fn check(text: &str) -> Checked {
    let read = Config::read(text);
    let mut problems: Vec<ProblemView> = read.problems.iter().map(ProblemView::from).collect();
    problems.sort_by_key(|p| p.location.unwrap_or((usize::MAX, 0)));
    let document = read.is_whole().then_some(read.raw);
    let rules: Vec<JsonPath> = document
        .iter()
        .flat_map(|d| (0..d.rules.len()).map(|i| JsonPath::root().key("rules").index(i)))
        .collect();
    let rule_lines = locate_paths(text, &rules.iter().collect::<Vec<_>>())
        .into_iter()
        .map(|at| at.map_or(1, |(line, _)| line))
        .collect();
    Checked {
        config: read.config,
        problems,
        document,
        rule_lines,
    }
}

/// The textarea offsets (UTF-16 code units, as the DOM counts) of the start and end of
/// 1-based `line`; past the end, the end of the text.
pub fn line_span(text: &str, line: usize) -> (u32, u32) {
    let mut start = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i + 1 == line {
            return (start, start + len);
        }
        start += len + 1;
    }
    let end = text.encode_utf16().count() as u32;
    (end, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_has_its_path_and_line() {
        let text = r#"{
  "version": 1,
  "store": {"currency": "USD"},
  "catalog": [{"id": "a", "title": "A", "price": 1}],
  "rules": [
    {"kind": "bought_together", "id": "r1", "antecedent": ["a"], "consequent": ["nope"]},
    {"kind": "bought_together", "id": "r2", "antecedent": ["zzz"], "consequent": ["a"]}
  ]
}"#;
        let checked = check(text);
        assert_eq!(checked.errors(), 2, "{:?}", checked.problems);
        assert_eq!(checked.problems[0].path, "rules[0].consequent[0]");
        assert_eq!(checked.problems[0].location.map(|l| l.0), Some(6));
        assert_eq!(checked.problems[1].path, "rules[1].antecedent[0]");
        assert!(checked.problems[1].message.contains("zzz"));
        assert!(checked.config.is_some(), "the catalog still works");
    }

    #[test]
    fn unreadable_json_is_one_problem_with_a_line() {
        let checked = check("{\n  \"version\": 1,\n  oops\n}");
        assert!(checked.config.is_none());
        assert!(checked.document.is_none());
        assert_eq!(checked.problems.len(), 1);
        assert_eq!(checked.problems[0].location.map(|l| l.0), Some(3));
    }

    #[test]
    fn only_a_document_read_whole_is_there_to_edit() {
        let base = r#"{"version": 1, "store": {"currency": "USD"},
  "catalog": [{"id": "a", "title": "A", "price": 1}],
  "rules": [
    {"kind": "cross_sell", "id": "r1", "suggest": {"products": ["a"]}}
  ]}"#;
        let checked = check(base);
        assert_eq!(checked.document.map(|d| d.rules.len()), Some(1));
        assert_eq!(checked.rule_lines, [4]);
        // A typo would be dropped on the way back: nothing to edit until it is fixed.
        let typo = check(&base.replace("\"price\": 1", "\"price\": 1, \"colour\": \"red\""));
        assert!(typo.config.is_some());
        assert!(typo.document.is_none());
        assert!(typo.rule_lines.is_empty());
    }

    #[test]
    fn line_spans_count_utf16() {
        let text = "ab\n€𝄞x\nlast";
        assert_eq!(line_span(text, 1), (0, 2));
        assert_eq!(line_span(text, 2), (3, 7));
        assert_eq!(line_span(text, 3), (8, 12));
        assert_eq!(line_span(text, 9), (12, 12));
    }
}
