//! What one migration changed: objects added, removed, altered and renamed, with before and after, so
//! the history reads like a story.

use yew::prelude::*;

use schema_playground::diff::{Change, ChangeKind};

#[derive(Properties, PartialEq)]
pub struct ChangesViewProps {
    /// The migration's file name.
    pub name: AttrValue,
    pub changes: std::rc::Rc<Vec<Change>>,
    /// Opens a table (as psql prints its name).
    pub on_table: Callback<String>,
}

fn kind_label(kind: ChangeKind) -> (&'static str, &'static str) {
    match kind {
        ChangeKind::Added => ("+", "added"),
        ChangeKind::Removed => ("−", "removed"),
        ChangeKind::Altered => ("~", "altered"),
        ChangeKind::Renamed => ("→", "renamed"),
    }
}

#[component]
pub fn ChangesView(props: &ChangesViewProps) -> Html {
    let count = props.changes.len();
    let table_button = |label: &str| {
        let name = label.to_string();
        html! {
            <button class="link" data-testid="change-table" onclick={props.on_table.reform(move |_| name.clone())}>{ label }</button>
        }
    };
    html! {
        <div class="changes" data-testid="changes">
            <p class="changes-head">
                <strong>{ props.name.clone() }</strong>
                { format!(" — {count} change{}", if count == 1 { "" } else { "s" }) }
            </p>
            if props.changes.is_empty() {
                <p class="quiet" data-testid="no-changes">{ "No schema change (data only, or statements the schema does not record)." }</p>
            } else {
                <ul class="change-list">
                    { for props.changes.iter().enumerate().map(|(i, c)| {
                        let (sign, word) = kind_label(c.kind);
                        let owner = match &c.table {
                            Some(t) => html! { <>{ " on " }{ table_button(t) }</> },
                            None => html! {},
                        };
                        let name = if c.object == "table" && c.kind != ChangeKind::Removed {
                            table_button(&c.name)
                        } else {
                            html! { <code>{ &c.name }</code> }
                        };
                        let detail = match (&c.before, &c.after) {
                            (Some(b), _) if c.kind == ChangeKind::Renamed => html! {
                                <span class="quiet">{ format!(" (renamed from {b})") }</span>
                            },
                            (Some(b), Some(a)) => html! {
                                <div class="before-after">
                                    <pre class="before" data-testid="change-before">{ b }</pre>
                                    <pre class="after" data-testid="change-after">{ a }</pre>
                                </div>
                            },
                            (None, Some(a)) if c.object != "table" => html! { <pre class="after">{ a }</pre> },
                            (Some(b), None) if c.object != "table" => html! { <pre class="before">{ b }</pre> },
                            _ => html! {},
                        };
                        html! {
                            <li key={i} class={classes!("change", word)} data-testid="change" data-kind={word} data-object={c.object}>
                                <span class="sign" aria-label={word}>{ sign }</span>
                                { format!(" {} ", c.object) }{ name }{ owner }
                                { detail }
                            </li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}
