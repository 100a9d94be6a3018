//! The migrations pane: files in run order with their number and a status mark, then rollbacks
//! and files the runner ignores; a filter box narrows the list.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::root::Derived;
use super::state::Shared;
use super::view::{ItemRole, MigrationItem};

#[derive(Properties, PartialEq)]
pub struct MigrationListProps {
    pub derived: Shared<Derived>,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

#[component]
pub fn MigrationList(props: &MigrationListProps) -> Html {
    let filter = use_state_eq(String::new);
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let needle = filter.trim().to_lowercase();
    let items: Vec<&MigrationItem> =
        props.derived.items.iter().filter(|i| needle.is_empty() || i.name.to_lowercase().contains(&needle)).collect();
    let scheme = props.derived.analysis.plan.scheme.map(|s| s.name()).unwrap_or("no scheme");
    let group = |role: ItemRole, heading: &str| {
        let rows: Vec<&&MigrationItem> = items.iter().filter(|i| i.role == role).collect();
        if rows.is_empty() {
            return html! {};
        }
        html! {
            <>
                if role != ItemRole::Forward {
                    <li class="group" role="presentation">{ heading }</li>
                }
                { for rows.into_iter().map(|item| {
                    let selected = props.selected.as_deref() == Some(item.name.as_str());
                    let name = item.name.clone();
                    let mut title = format!("{} — {}", item.name, item.status.label());
                    if item.errors + item.warnings > 0 {
                        title.push_str(&format!(" ({} errors, {} warnings)", item.errors, item.warnings));
                    }
                    if let Some(note) = &item.note {
                        title.push_str(&format!(": {note}"));
                    }
                    html! {
                        <li key={item.name.clone()}>
                            <button class={classes!("mig", selected.then_some("selected"))}
                                data-testid="migration-item" data-name={item.name.clone()} data-status={item.status.class()}
                                aria-current={selected.then_some("true")} {title}
                                onclick={props.on_select.reform(move |_| name.clone())}>
                                <span class="num">{ &item.number }</span>
                                <span class="name">{ &item.name }</span>
                                <span class={classes!("mark", item.status.class())} aria-label={item.status.label()}>
                                    { item.status.symbol() }
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </>
        }
    };
    html! {
        <nav class="migrations">
            <div class="pane-head">
                <h2>{ "Migrations" }</h2>
                <span class="quiet" data-testid="scheme">{ scheme }</span>
            </div>
            <input type="search" class="filter" placeholder="Filter files" aria-label="Filter migrations"
                data-testid="migration-filter" value={(*filter).clone()} oninput={on_filter} />
            <ul class="migration-list" data-testid="migration-list">
                { group(ItemRole::Forward, "Migrations") }
                { group(ItemRole::Rollback, "Rollbacks") }
                { group(ItemRole::Other, "Not run") }
            </ul>
            if items.is_empty() {
                <p class="quiet">{ if needle.is_empty() { "No files yet." } else { "No file matches." } }</p>
            }
        </nav>
    }
}
