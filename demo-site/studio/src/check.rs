//! Live validation of the editor's text: the engine's lenient build, every problem with
//! its JSON path and line:column, and where that line starts in the textarea.

use cartlift_engine::{Config, Problem, Severity};

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
}

impl Checked {
    /// How many problems are errors.
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.error).count()
    }
}

/// Checks `text` as the widget would read it.
pub fn check(text: &str) -> Checked {
    let (config, problems) = Config::from_json_lenient(text);
    let mut problems: Vec<ProblemView> = problems.iter().map(ProblemView::from).collect();
    problems.sort_by_key(|p| p.location.unwrap_or((usize::MAX, 0)));
    Checked { config, problems }
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
        assert_eq!(checked.problems.len(), 1);
        assert_eq!(checked.problems[0].location.map(|l| l.0), Some(3));
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
