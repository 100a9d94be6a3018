//! Embed mode (`?embed`): a compact read-only schema view for documentation iframes: the table
//! list and the chosen table's `\d`.

use std::rc::Rc;

use yew::prelude::*;

use schema_playground::catalog::model::QualName;
use schema_playground::catalog::names::relation_name;

use super::boot::Boot;
use super::example;
use super::root::derive;
use super::state::Shared;
use super::table_view::TableView;
use super::view;

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    pub boot: Shared<Boot>,
}

#[component]
pub fn Embed(props: &EmbedProps) -> Html {
    let derived = {
        let files = props.boot.workspace.files.clone();
        use_memo((), move |_| derive(&files, &mut schema_playground::Memory::default()))
    };
    // The picked table (the link's `table=`, else the example's first); without it, the first table.
    let table = {
        let first = props.boot.table.clone();
        use_state_eq(move || first.unwrap_or_else(|| example::FIRST_TABLE.to_string()))
    };
    let catalog = &derived.analysis.catalog;
    let chosen = view::shown_table(catalog, &table);
    let shown = chosen.map(|t| relation_name(&t.name));
    let on_link = {
        let table = table.clone();
        Callback::from(move |q: QualName| table.set(relation_name(&q)))
    };
    let u = super::browser::url();
    let full = format!("{}{}{}", u.origin, u.pathname, u.hash);
    let errors = derived.problems.counts().0;
    html! {
        <div class="embed" data-testid="embed">
            { for props.boot.notices.iter().map(|n| html! { <div class="notice notice-error" role="alert" data-testid="notice">{ &n.text }</div> }) }
            <header class="embed-head">
                <span class="quiet">{ format!("{} tables", catalog.tables.len()) }
                    if errors > 0 { { format!(" · {errors} errors in the migrations") } }</span>
                <a href={full} target="_blank" rel="noopener" data-testid="embed-open">{ "Open in Schema Playground ↗" }</a>
            </header>
            <div class="embed-body">
                <ul class="embed-tables" data-testid="table-list">
                    { for view::tables(catalog).into_iter().map(|(_, name)| {
                        let selected = shown.as_deref() == Some(name.as_str());
                        let n = name.clone();
                        let table = table.clone();
                        html! {
                            <li key={name.clone()}>
                                <button class={classes!("tbl", selected.then_some("selected"))} data-testid="table-item"
                                    aria-current={selected.then_some("true")} onclick={Callback::from(move |_| table.set(n.clone()))}>
                                    { name }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                <div class="table-detail">
                    { match chosen {
                        Some(t) => html! { <TableView desc={Rc::new(view::describe(catalog, t))} {on_link} /> },
                        None => html! { <p class="quiet">{ "No tables." }</p> },
                    } }
                </div>
            </div>
        </div>
    }
}
