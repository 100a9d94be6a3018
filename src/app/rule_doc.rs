//! A rule's documentation in the page: the same text `schema-playground explain RULE` prints, with the
//! examples highlighted. Opened from a problem's rule id.

use yew::prelude::*;

use schema_playground::rules::{self, Check};

use super::highlight;
use super::modal::Modal;

#[derive(Properties, PartialEq)]
pub struct RuleDocProps {
    pub rule: AttrValue,
    pub on_close: Callback<()>,
}

/// SQL with the editor's highlighting (the `-- file:` lines of multi-file examples included).
pub fn sql_block(sql: &str, testid: &'static str) -> Html {
    let sql = sql.trim_end();
    let tokens = highlight::tokens(sql);
    let pieces = highlight::pieces(sql, &tokens, &[]);
    html! {
        <pre class="sql" data-testid={testid}>
            { for pieces.iter().map(|p| {
                let text = sql.get(p.start..p.end).unwrap_or("").to_string();
                match p.kind {
                    Some(k) => html! { <span class={k.class()}>{ text }</span> },
                    None => html! { { text } },
                }
            }) }
        </pre>
    }
}

#[component]
pub fn RuleDoc(props: &RuleDocProps) -> Html {
    let close = props.on_close.reform(|_: MouseEvent| ());
    let Some(rule) = rules::lookup(&props.rule) else {
        return html! {
            <Modal title={props.rule.clone()} testid="rule-doc" on_cancel={props.on_close.clone()}>
                <p>{ "The engine reports this itself (a PostgreSQL error or a parsing problem); it is not a configurable rule." }</p>
                <div class="actions"><button onclick={close} data-testid="rule-doc-close">{ "Close" }</button></div>
            </Modal>
        };
    };
    let on = if rule.default_on { "on by default" } else { "opt-in" };
    let how = match rule.check {
        Check::Statement(_) => "checks each statement",
        Check::Folder(_) => "checks the whole folder",
        Check::Builtin => "reported by the simulator",
    };
    html! {
        <Modal title={rule.id} testid="rule-doc" on_cancel={props.on_close.clone()}>
            <div class="rule-doc">
                <p class="rule-meta">
                    <span class={classes!("sev", rule.severity.as_str())}>{ rule.severity.as_str() }</span>
                    { format!(" · {on} · {} · {how}", rule.family.as_str()) }
                </p>
                <p class="rule-summary" data-testid="rule-summary"><strong>{ rule.summary }</strong></p>
                <h3>{ "Why it matters" }</h3>
                <p>{ rule.why }</p>
                if !rule.setup.trim().is_empty() {
                    <h3>{ "Given" }</h3>
                    { sql_block(rule.setup, "rule-setup") }
                }
                <h3>{ "Bad" }</h3>
                { sql_block(rule.bad, "rule-bad") }
                <h3>{ "Good" }</h3>
                { sql_block(rule.good, "rule-good") }
                <h3>{ "How to fix" }</h3>
                <p>{ rule.fix }</p>
                <p class="quiet">{ format!("Silence it on one statement with `-- schema-playground:ignore {}` on the line before.", rule.id) }</p>
            </div>
            <div class="actions"><button onclick={close} data-testid="rule-doc-close">{ "Close" }</button></div>
        </Modal>
    }
}
