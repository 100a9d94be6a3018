//! The migrations pane: files in run order with their number and a status mark, then rollbacks
//! and files the runner ignores; a filter box narrows the list.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use std::rc::Rc;

use super::view::{ItemRole, MigrationItem};

/// Compared by value: an analysis that leaves every row as it was (typing in a comment, in the body of
/// a long history's newest file) re-renders none of the list.
#[derive(Properties, PartialEq)]
pub struct MigrationListProps {
    pub items: Rc<Vec<MigrationItem>>,
    /// The naming scheme's name.
    pub scheme: &'static str,
    pub selected: Option<String>,
    /// Stable across renders (the rows compare it).
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
        props.items.iter().filter(|i| needle.is_empty() || i.name.to_lowercase().contains(&needle)).collect();
    let scheme = props.scheme;
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
                    html! {
                        <MigrationRow key={item.name.clone()} item={(*item).clone()} {selected}
                            on_select={props.on_select.clone()} />
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

#[derive(Properties, PartialEq)]
struct MigrationRowProps {
    item: MigrationItem,
    selected: bool,
    on_select: Callback<String>,
}

/// One row; re-rendered only when its item or selection changes.
#[component]
fn MigrationRow(props: &MigrationRowProps) -> Html {
    let item = &props.item;
    let selected = props.selected;
    let name = item.name.clone();
    let mut title = format!("{} — {}", item.name, item.status.label());
    if item.errors + item.warnings > 0 {
        title.push_str(&format!(" ({} errors, {} warnings)", item.errors, item.warnings));
    }
    if let Some(note) = &item.note {
        title.push_str(&format!(": {note}"));
    }
    html! {
        <li>
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
}
