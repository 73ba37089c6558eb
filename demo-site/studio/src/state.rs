//! The studio's one state and every change to it ([`Action`]): the config text and what
//! validation made of it, the preview's selection, the mining run and the rule table.

use crate::check::{self, Checked};
use crate::merge;
use crate::mining::{Mined, SortKey};
use crate::preview::Selection;
use cartlift_engine::Placement;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::Reducible;

/// A mining run.
#[derive(Clone, Debug, PartialEq)]
pub enum Mining {
    /// Nothing mined yet.
    Idle,
    /// In the worker: file name, phase, progress 0 to 1.
    Running(String, String, f64),
    /// Done: the file's name and the result.
    Done(String, Rc<Mined>),
    /// Failed, with why.
    Failed(String),
}

/// Why the rules cannot be edited: the text must read whole first, or writing it back
/// would drop what did not read.
const UNREADABLE: &str = "the config must read as a whole first (fix the reading problems listed)";

/// Everything the studio shows.
#[derive(Clone, Debug)]
pub struct State {
    /// The editor's text: the source of truth.
    pub text: String,
    /// The text, validated (recomputed on every edit).
    pub checked: Rc<Checked>,
    /// Bumped when the text changes other than by typing, so the editor redraws it.
    pub revision: u32,
    /// The config is still loading (or failed to: the message).
    pub loading: Option<String>,
    /// What the preview shows.
    pub selection: Selection,
    /// The mining run.
    pub mining: Mining,
    /// The rule table's order.
    pub sort: (SortKey, bool),
    /// Rules (indexes into the mined rules) ticked for adding.
    pub picked: BTreeSet<usize>,
    /// The last action's outcome, for the status line.
    pub notice: Option<String>,
}

/// Identity: every action makes a new state, and each new state is drawn.
impl PartialEq for State {
    fn eq(&self, other: &State) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Default for State {
    fn default() -> Self {
        State {
            text: String::new(),
            checked: Rc::new(check::check("")),
            revision: 0,
            loading: Some("Loading the demo config…".into()),
            selection: Selection {
                placement: Placement::Product,
                product: None,
                basket: Vec::new(),
                segments: Vec::new(),
            },
            mining: Mining::Idle,
            sort: (SortKey::Lift, false),
            picked: BTreeSet::new(),
            notice: None,
        }
    }
}

/// Every change.
#[derive(Debug)]
pub enum Action {
    /// The config arrived.
    Loaded(String),
    /// It could not be loaded.
    LoadFailed(String),
    /// The user typed.
    Edit(String),
    /// Placement picked.
    Placement(Placement),
    /// Product picked (empty: none).
    Product(String),
    /// A basket product ticked or unticked.
    ToggleBasket(String),
    /// A segment ticked or unticked.
    ToggleSegment(String),
    /// A file went to the worker.
    MineStarted(String),
    /// The worker's progress.
    MineProgress(String, f64),
    /// The worker's result.
    MineDone(Mined),
    /// The worker failed.
    MineFailed(String),
    /// A column header clicked: sort by it (again: flip the direction).
    Sort(SortKey),
    /// A rule ticked or unticked.
    Pick(usize),
    /// Tick these (the table's top rows).
    PickMany(Vec<usize>),
    /// Add the ticked rules to the config.
    AddPicked,
    /// Remove `rules[i]`.
    RemoveRule(usize),
}

impl State {
    fn set_text(&mut self, text: String) {
        self.checked = Rc::new(check::check(&text));
        self.text = text;
        if let Some(config) = &self.checked.config {
            let sel = &mut self.selection;
            if sel
                .product
                .as_deref()
                .is_none_or(|p| config.product_idx(p).is_none())
            {
                sel.product = config.products().first().map(|p| p.id.clone());
            }
            // Only segments the rules still name can be unticked.
            let named = crate::preview::segments(config);
            sel.segments.retain(|s| named.contains(&s.as_str()));
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            Action::Loaded(text) => {
                s.loading = None;
                s.set_text(text);
                s.revision += 1;
            }
            Action::LoadFailed(why) => s.loading = Some(why),
            Action::Edit(text) => s.set_text(text),
            Action::Placement(p) => s.selection.placement = p,
            Action::Product(p) => s.selection.product = (!p.is_empty()).then_some(p),
            Action::ToggleBasket(id) => {
                if let Some(i) = s.selection.basket.iter().position(|b| *b == id) {
                    s.selection.basket.remove(i);
                } else {
                    s.selection.basket.push(id);
                }
            }
            Action::ToggleSegment(name) => {
                if let Some(i) = s.selection.segments.iter().position(|n| *n == name) {
                    s.selection.segments.remove(i);
                } else {
                    s.selection.segments.push(name);
                }
            }
            Action::MineStarted(name) => {
                s.mining = Mining::Running(name, "starting".into(), 0.0);
                s.picked.clear();
            }
            Action::MineProgress(phase, share) => {
                if let Mining::Running(name, ..) = &s.mining {
                    s.mining = Mining::Running(name.clone(), phase, share);
                }
            }
            Action::MineDone(mined) => {
                let name = match &s.mining {
                    Mining::Running(name, ..) => name.clone(),
                    _ => String::new(),
                };
                s.notice = Some(format!(
                    "Mined {} orders: {} rules.",
                    mined.orders,
                    mined.rules.len()
                ));
                s.mining = Mining::Done(name, Rc::new(mined));
            }
            Action::MineFailed(why) => s.mining = Mining::Failed(why),
            Action::Sort(key) => {
                s.sort = if s.sort.0 == key {
                    (key, !s.sort.1)
                } else {
                    (key, false)
                };
            }
            Action::Pick(i) => {
                if !s.picked.remove(&i) {
                    s.picked.insert(i);
                }
            }
            Action::PickMany(list) => s.picked.extend(list),
            Action::AddPicked => {
                let Mining::Done(_, mined) = &s.mining else {
                    return Rc::new(s);
                };
                let rules: Vec<_> = s
                    .picked
                    .iter()
                    .filter_map(|&i| mined.rules.get(i))
                    .collect();
                match s
                    .checked
                    .document
                    .as_ref()
                    .map(|d| merge::add_rules(d, &rules))
                {
                    Some((text, added)) => {
                        let mut notice = format!("Added {} rule(s)", added.rules.len());
                        if added.duplicates > 0 {
                            notice.push_str(&format!(
                                "; {} were already in the config",
                                added.duplicates
                            ));
                        }
                        if !added.placeholders.is_empty() {
                            notice.push_str(&format!(
                                "; {} item(s) were not in the catalog and got placeholder entries (price 0, tag \"{}\"): {}. Give them a price, URL and image, or use your own product ids in the file",
                                added.placeholders.len(),
                                merge::PLACEHOLDER_TAG,
                                added.placeholders.join(", ")
                            ));
                        }
                        notice.push('.');
                        s.notice = Some(notice);
                        s.picked.clear();
                        s.set_text(text);
                        s.revision += 1;
                    }
                    None => s.notice = Some(format!("Could not add the rules: {UNREADABLE}.")),
                }
            }
            Action::RemoveRule(i) => match s
                .checked
                .document
                .as_ref()
                .ok_or(UNREADABLE.to_owned())
                .and_then(|d| merge::remove_rule(d, i))
            {
                Ok(text) => {
                    s.notice = Some(format!("Removed rules[{i}]."));
                    s.set_text(text);
                    s.revision += 1;
                }
                Err(why) => s.notice = Some(format!("Could not remove the rule: {why}.")),
            },
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mining::MinedRule;

    const CONFIG: &str = r#"{"version": 1, "store": {"currency": "USD"},
      "catalog": [{"id": "cam", "title": "Cam", "price": 9}], "rules": []}"#;

    #[test]
    fn adding_picked_rules_changes_the_text_and_the_catalog() {
        let s = Rc::new(State::default()).reduce(Action::Loaded(CONFIG.into()));
        assert_eq!(s.selection.product.as_deref(), Some("cam"));
        let s = s.reduce(Action::MineStarted("groceries.csv".into()));
        let s = s.reduce(Action::MineDone(Mined {
            orders: 10,
            rules: vec![MinedRule {
                antecedent: vec!["cam".into()],
                consequent: vec!["whole milk".into()],
                support: 0.1,
                confidence: 0.5,
                lift: 2.0,
                count: 1,
                weight: None,
            }],
            ..Mined::default()
        }));
        let s = s.reduce(Action::Pick(0)).reduce(Action::AddPicked);
        assert!(s.text.contains("mined:cam->whole-milk"), "{}", s.text);
        assert_eq!(s.checked.errors(), 0);
        assert!(s.notice.as_deref().unwrap().contains("whole-milk"));
        assert!(s.picked.is_empty());
        let s = s.reduce(Action::RemoveRule(0));
        assert!(!s.text.contains("mined:cam->whole-milk"));
    }
}
