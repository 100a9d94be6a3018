//! The problems panel: every diagnostic as `file:line:col severity rule message`; a click opens
//! the file at that place. A diagnostic with a mechanical fix shows it as a diff of the lines it
//! changes, with a button that makes it.

use yew::prelude::*;

use super::browser;
use super::fix::{FixView, Side};
use super::root::Derived;
use super::state::Shared;
use super::view::{Problem, Row};

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub derived: Shared<Derived>,
    /// A row of `Derived::problems` ([`super::view::ProblemList::get`]).
    pub on_open: Callback<usize>,
    /// Opens a rule's documentation.
    pub on_rule: Callback<&'static str>,
    /// Applies the fix of `Derived::problems[i]`.
    pub on_fix: Callback<usize>,
}

/// Rows shown before "Show all": a long history can have thousands of warnings, and the list stays
/// quick to update while typing. Errors come first.
const FIRST_ROWS: usize = 200;

/// Rows on the app's first frame: the panel shows fewer than ten below the editor, and its rows, with
/// their fixes' diffs, were more than half of the first screen's elements (654 of 1,183 for the
/// example). The others follow once that frame is painted, so the schema is on screen sooner:
/// [`ROWS_PER_FRAME`] more after each frame, so that no long task holds the page right after it.
const FIRST_FRAME_ROWS: usize = 12;
const ROWS_PER_FRAME: usize = 24;

#[component]
pub fn Problems(props: &ProblemsProps) -> Html {
    let show_notes = use_state_eq(|| false);
    let show_all = use_state_eq(|| false);
    // How many rows the panel may list yet (it grows to FIRST_ROWS after the first frame).
    let allowed = use_state_eq(|| FIRST_FRAME_ROWS);
    {
        let set = allowed.setter();
        use_effect_with(*allowed, move |&n| {
            if n < FIRST_ROWS {
                browser::after_next_paint(move || set.set((n + ROWS_PER_FRAME).min(FIRST_ROWS)));
            }
        });
    }
    let problems = &props.derived.problems;
    let (errors, warnings, notes) = problems.counts();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let toggle = {
        let show_notes = show_notes.clone();
        Callback::from(move |_| show_notes.set(!*show_notes))
    };
    // Errors first, each severity in the order of the files; only the rows shown are visited.
    let (shown, total) = problems.shown_rows(*show_notes, if *show_all { usize::MAX } else { *allowed });
    let hidden = total - shown.len();
    let on_show_all = {
        let show_all = show_all.clone();
        Callback::from(move |_| show_all.set(true))
    };
    html! {
        <section class="problems" aria-label="Problems" data-testid="problems">
            <div class="pane-head">
                <h2>{ "Problems" }</h2>
                <span class="counts" data-testid="problem-counts">
                    { format!("{}, {}, {}", plural(errors, "error"), plural(warnings, "warning"), plural(notes, "note")) }
                </span>
                if props.derived.checking {
                    <span class="checking" role="status" data-testid="checking-rules">{ "checking the rules…" }</span>
                }
                <label class="check">
                    <input type="checkbox" checked={*show_notes} onchange={toggle} data-testid="show-notes" />
                    { "notes" }
                </label>
            </div>
            if shown.is_empty() {
                <p class="quiet">{
                    if props.derived.checking { "The rules run once the schema is shown." }
                    else if problems.is_empty() { "No problems." }
                    else { "No errors or warnings." }
                }</p>
            } else {
                <ul class="problem-list">
                    { for shown.into_iter().map(|(index, row)| html! {
                        <ProblemRow key={index} {index} {row} on_open={props.on_open.clone()}
                            on_rule={props.on_rule.clone()} on_fix={props.on_fix.clone()} />
                    }) }
                </ul>
                if hidden > 0 && *allowed == FIRST_ROWS {
                    <button class="show-all" data-testid="problems-show-all" onclick={on_show_all}>
                        { format!("Show {hidden} more") }
                    </button>
                }
            }
        </section>
    }
}

/// Compared by pointer (the row) and by number: an analysis that leaves a file's problems as they were
/// (typing in a long history's newest file) renders none of that file's rows again. The callbacks are
/// the same on every render of the app.
#[derive(Properties, PartialEq)]
struct ProblemRowProps {
    index: usize,
    row: Row,
    on_open: Callback<usize>,
    on_rule: Callback<&'static str>,
    on_fix: Callback<usize>,
}

#[component]
fn ProblemRow(props: &ProblemRowProps) -> Html {
    let i = props.index;
    let p = props.row.problem();
    html! {
        <li class="problem-row">
            <button class={classes!("problem", p.severity.as_str())} data-testid="problem"
                data-file={p.file.clone()} data-line={p.line.to_string()}
                title={p.help.as_deref().map(AttrValue::from)} onclick={props.on_open.reform(move |_| i)}>
                <span class="loc">{ p.location() }</span>
                <span class={classes!("sev", p.severity.as_str())}>{ p.severity.as_str() }</span>
                <span class="msg">{ p.message.as_str() }</span>
            </button>
            <button class="rule" data-testid="rule-link" data-rule={p.rule}
                title={format!("What {} checks, and how to fix it", p.rule)}
                onclick={{ let rule = p.rule; props.on_rule.reform(move |_| rule) }}>{ p.rule }</button>
            if let Some(fix) = &p.fix {
                { fix_view(fix, p, props.on_fix.reform(move |_| i)) }
            }
        </li>
    }
}
/// The fix's title, its diff (removed lines, then added ones, the changed part marked) and the button
/// that applies it.
fn fix_view(fix: &FixView, p: &Problem, on_apply: Callback<MouseEvent>) -> Html {
    html! {
        <div class="fix" data-testid="fix">
            <div class="fix-head">
                <span class="fix-title" data-testid="fix-title">{ &fix.title }</span>
                <button class="apply-fix" data-testid="apply-fix" onclick={on_apply}
                    aria-label={format!("Apply fix: {} ({})", fix.title, p.location())}
                    title={format!("{} in {}", fix.title, p.file)}>{ "Apply fix" }</button>
            </div>
            <pre class="fix-diff" data-testid="fix-diff">
                { for fix.diff.iter().map(|l| {
                    let (head, changed, tail) = l.parts();
                    let body = html! {
                        <>
                            <span class="fix-ln" aria-hidden="true">{ l.line }</span>
                            <span class="fix-mark" aria-hidden="true">{ l.side.marker() }</span>
                            { head }
                            if !changed.is_empty() {
                                <span class="fix-changed">{ changed }</span>
                            }
                            { tail }
                        </>
                    };
                    let class = classes!("fix-line", l.side.class());
                    match l.side {
                        Side::Removed => html! { <del {class} data-side={l.side.class()}>{ body }</del> },
                        Side::Added => html! { <ins {class} data-side={l.side.class()}>{ body }</ins> },
                    }
                }) }
            </pre>
        </div>
    }
}
