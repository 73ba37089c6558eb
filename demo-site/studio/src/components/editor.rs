//! The config editor: the JSON in a textarea, validated on every edit, every problem
//! listed with its path and line (click: select that line), and the rules as a list with
//! a remove button each.

use crate::browser;
use crate::check::line_span;
use crate::state::{Action, State};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Props: the studio state.
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The studio state.
    pub state: UseReducerHandle<State>,
}

/// The editor panel.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let state = &props.state;
    let textarea = use_node_ref();
    let oninput = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            dispatch.dispatch(Action::Edit(area.value()));
        })
    };
    // Text replaced by a button (rules added or removed): put it in the textarea.
    {
        let textarea = textarea.clone();
        let text = state.text.clone();
        use_effect_with(state.revision, move |_| {
            if let Some(area) = textarea.cast::<HtmlTextAreaElement>()
                && area.value() != text
            {
                area.set_value(&text);
            }
        });
    }
    let goto = |line: usize| {
        let textarea = textarea.clone();
        let text = state.text.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                let (start, end) = line_span(&text, line);
                browser::select_in(&area, start, end, line);
            }
        })
    };
    let checked = &state.checked;
    let errors = checked.errors();
    let warnings = checked.problems.len() - errors;
    let summary = if checked.problems.is_empty() {
        "Valid: no problems.".to_owned()
    } else {
        format!("{errors} error(s), {warnings} warning(s)")
    };
    let problems = checked.problems.iter().map(|p| {
        let line = p.location.map(|l| l.0);
        let at = match p.location {
            Some((l, c)) => format!("{l}:{c}"),
            None => "—".to_owned(),
        };
        let path = if p.path.is_empty() {
            "(document)".to_owned()
        } else {
            p.path.clone()
        };
        html! {
            <li class={classes!("problem", if p.error { "error" } else { "warning" })}
                onclick={line.map(&goto)} title="Select this line in the editor">
                <span class="at">{at}</span>
                <code class="path">{path}</code>
                <span class="message">{&p.message}</span>
            </li>
        }
    });
    let checked = &state.checked;
    let rules = checked
        .document
        .as_ref()
        .map(|raw| {
            raw.rules
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let line = checked.rule_lines.get(i).copied().unwrap_or(1);
                    let remove = {
                        let dispatch = state.dispatcher();
                        Callback::from(move |_| dispatch.dispatch(Action::RemoveRule(i)))
                    };
                    html! {
                        <li key={r.id().to_owned()}>
                            <span class="kind">{r.kind().name()}</span>
                            <button class="link" onclick={goto(line)} title="Edit: select it in the editor">{r.id()}</button>
                            <button class="remove" onclick={remove} aria-label={format!("Remove rule {}", r.id())}>{"×"}</button>
                        </li>
                    }
                })
                .collect::<Html>()
        })
        .unwrap_or_else(|| {
            html! { <li class="muted">{"The rules are listed once the config reads as a whole (fix the reading problems above)."}</li> }
        });
    html! {
        <section class="panel editor">
            <h2>{"Config"}</h2>
            <textarea id="config" ref={textarea.clone()} spellcheck="false" aria-label="Config JSON"
                value={state.text.clone()} {oninput} />
            <h3 id="problems-summary" class={classes!(if errors > 0 { "bad" } else { "good" })}>{summary}</h3>
            <ul id="problems" class="problems">{ for problems }</ul>
            <details class="rules">
                <summary>{"Rules"}</summary>
                <ul id="rule-list">{rules}</ul>
            </details>
        </section>
    }
}
