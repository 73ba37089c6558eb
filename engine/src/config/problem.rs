//! What is wrong with a config: [`Problem`]s, each with a [`ProblemKind`] for tools and
//! tests, a sentence for people, its JSON path and, when read from text, its line:column.
//!
//! Reading (`super::read`) and checking (`super::build`) both report here; nothing
//! decides anything by a message's wording: a decision reads the kind.

use super::path::JsonPath;
use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The config works, but probably not as intended.
    Warning,
    /// That part of the config cannot be used.
    Error,
}

/// What kind of problem it is. The message says it for people; this says it for code.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The text is not one JSON document: a syntax error, a number out of range, nesting
    /// too deep, or not UTF-8 text. Nothing of it can be used.
    NotJson,
    /// A value of the wrong JSON type, or one its field cannot hold (`"price": "18.00"`,
    /// `"priority": 3000000000`).
    WrongType,
    /// A member the config does not have (usually a typo), with the closest known name.
    UnknownField {
        /// The member as written.
        field: String,
        /// The known member it most likely means.
        suggestion: Option<String>,
    },
    /// A required member is missing.
    MissingField {
        /// The member's name.
        field: String,
    },
    /// A member written twice in one object.
    DuplicateField {
        /// The member's name.
        field: String,
    },
    /// A rule's `kind` is none of the rule kinds.
    UnknownRuleKind {
        /// The kind as written.
        kind: String,
        /// The rule kind it most likely means.
        suggestion: Option<String>,
    },
    /// `version` (of a config or a shard) is not the one this engine reads.
    UnsupportedVersion {
        /// The version written.
        version: u32,
    },
    /// A product, variant or rule id that is empty.
    EmptyId,
    /// A product, variant or rule id used twice.
    DuplicateId {
        /// The id.
        id: String,
    },
    /// A rule names a product the catalog does not have.
    UnknownProduct {
        /// The id as written.
        product: String,
    },
    /// A rule names a category or tag no product has.
    UnknownName {
        /// The category or tag as written.
        name: String,
    },
    /// A text key in `store.copy` the widget does not have.
    UnknownCopyKey {
        /// The key as written.
        key: String,
        /// The text key it most likely means.
        suggestion: Option<String>,
    },
    /// A value its field does not accept: a currency code, a price, a URL, a date, a
    /// percentage, a title, a measure out of range.
    InvalidValue,
    /// A rule that can never show anything (it never fires, suggests nothing, or only
    /// products that cannot be suggested).
    NeverShows,
    /// Upgrades that lead back to where they started.
    UpgradeCycle,
    /// An upgrade that compares attributes its products lack, or is not pricier.
    DoubtfulUpgrade,
    /// The shard layout of a sharded config's core does not hold together.
    BadShards,
    /// A bundle price the widget would promise that nothing grants, or a way of granting
    /// one with no bundle price to grant.
    UngrantedDiscount,
}

impl ProblemKind {
    /// Whether reading found it (the document does not fit the schema), rather than
    /// checking what was read: after such a problem, what was read is not the whole
    /// document.
    pub fn is_reading(&self) -> bool {
        matches!(
            self,
            ProblemKind::NotJson
                | ProblemKind::WrongType
                | ProblemKind::UnknownField { .. }
                | ProblemKind::MissingField { .. }
                | ProblemKind::DuplicateField { .. }
                | ProblemKind::UnknownRuleKind { .. }
        )
    }
}

/// One problem in a config, located by its JSON path (`rules[3].consequent[0]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// Where the offending value is; the root for the whole document.
    pub path: JsonPath,
    /// What is wrong, for people, naming the id at fault.
    pub message: String,
    /// 1-based line and column in the source text, when read from text.
    pub location: Option<(usize, usize)>,
}

impl Problem {
    /// An error.
    pub fn error(kind: ProblemKind, path: JsonPath, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            kind,
            path,
            message: message.into(),
            location: None,
        }
    }

    /// A warning.
    pub fn warning(kind: ProblemKind, path: JsonPath, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(kind, path, message)
        }
    }

    /// The same problem at `location`.
    pub fn at(mut self, location: (usize, usize)) -> Problem {
        self.location = Some(location);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.location {
            write!(f, "{line}:{column}: ")?;
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}")?;
        if !self.path.segments().is_empty() {
            write!(f, " in {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A config that cannot be used as a whole, with every problem found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// All problems: errors first, each group in document order.
    pub problems: Vec<Problem>,
}

impl ConfigError {
    pub(crate) fn new(mut problems: Vec<Problem>) -> ConfigError {
        sort_for_people(&mut problems);
        ConfigError { problems }
    }

    /// How many problems are errors.
    pub fn error_count(&self) -> usize {
        error_count(&self.problems)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid cartlift config ({} error(s))",
            self.error_count()
        )?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// How many of `problems` are errors.
pub fn error_count(problems: &[Problem]) -> usize {
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count()
}

/// Errors first, then warnings; each group in document order (unlocated ones last, in
/// the order found).
pub(crate) fn sort_for_people(problems: &mut [Problem]) {
    crate::sort::sort_by_key(problems, |p| {
        (
            std::cmp::Reverse(p.severity),
            p.location.is_none(),
            p.location,
        )
    });
}

/// The candidate closest to `word` by edit distance, if it is close (a likely typo).
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let length = word.chars().count();
    candidates
        .iter()
        .filter_map(|c| {
            let most = 2.max(c.len() / 4);
            // The distance is at least the difference in length: no need to compute it
            // for 100,000 unknown members against names of another length.
            (length.abs_diff(c.chars().count()) <= most)
                .then(|| (edit_distance(word, c), *c))
                .filter(|(d, _)| *d <= most)
        })
        .min()
        .map(|(_, c)| c)
}

/// `"; did you mean `x`?"` for a suggestion, else nothing.
pub(crate) fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_names() {
        let known = ["price", "title", "compare_at_price"];
        assert_eq!(closest("prise", &known), Some("price"));
        assert_eq!(closest("compare_price", &known), Some("compare_at_price"));
        assert_eq!(closest("colour", &known), None);
        assert_eq!(did_you_mean(Some("price")), "; did you mean `price`?");
        assert_eq!(did_you_mean(None), "");
    }

    #[test]
    fn errors_sort_before_warnings_and_by_position() {
        let p = |severity, line: Option<usize>| Problem {
            severity,
            kind: ProblemKind::InvalidValue,
            path: JsonPath::root(),
            message: String::new(),
            location: line.map(|l| (l, 1)),
        };
        let mut problems = vec![
            p(Severity::Warning, Some(1)),
            p(Severity::Error, None),
            p(Severity::Error, Some(9)),
            p(Severity::Error, Some(2)),
        ];
        sort_for_people(&mut problems);
        let order: Vec<_> = problems.iter().map(|p| (p.severity, p.location)).collect();
        assert_eq!(
            order,
            [
                (Severity::Error, Some((2, 1))),
                (Severity::Error, Some((9, 1))),
                (Severity::Error, None),
                (Severity::Warning, Some((1, 1))),
            ]
        );
    }
}
