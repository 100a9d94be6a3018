//! The schema pane: the timeline, the table list with a search box, and the chosen table as `\d`
//! (an HTML table) or as psql's exact text.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use schema_playground::catalog::model::{Catalog, QualName, Table};
use schema_playground::catalog::names::relation_name;
use schema_playground::render::psql::describe_table;
use schema_playground::span::LineIndex;

use super::changes_view::ChangesView;
use super::root::Derived;
use super::state::Shared;
use super::table_view::TableView;
use super::timeline::Timeline;
use super::view;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Html,
    Psql,
    Changes,
}

#[derive(Properties, PartialEq)]
pub struct SchemaPaneProps {
    pub derived: Shared<Derived>,
    /// Index of the migration whose schema is shown; `None` for the latest.
    pub as_of: Option<usize>,
    pub on_as_of: Callback<Option<usize>>,
    /// The picked table, as psql prints its name. When the shown schema has no such table, the pane
    /// shows its first table and keeps the pick, which returns with a schema that has it.
    pub table: String,
    pub on_table: Callback<String>,
    pub on_link: Callback<QualName>,
}

/// The catalog the pane shows.
pub fn catalog_at(derived: &Derived, as_of: Option<usize>) -> &Catalog {
    match as_of.and_then(|i| derived.analysis.migrations.get(i)) {
        Some(m) => &m.catalog,
        None => &derived.analysis.catalog,
    }
}

/// `file:line` of the statement where a real run stops.
pub fn stopped_at(derived: &Derived) -> Option<String> {
    let span = derived.analysis.stopped_at?;
    let file = derived.analysis.files.get(span.file as usize)?;
    let at = LineIndex::new(&file.text).line_col(&file.text, span.start as usize);
    Some(format!("{}:{}", file.name, at.line))
}

#[component]
pub fn SchemaPane(props: &SchemaPaneProps) -> Html {
    let tab = use_state_eq(|| Tab::Html);
    let detail_ref = use_node_ref();
    let search = use_state_eq(String::new);
    let derived = &props.derived;
    let catalog = catalog_at(derived, props.as_of);
    // The migration names and the table names, kept while an analysis leaves them as they were (typing in
    // a long history: 1,000 names and 732 tables), so the timeline and the list compare one pointer.
    let lists = use_mut_ref(Lists::default);
    // The `\d` shown, kept while the catalog is equal to the one it was made from: comparing two catalogs
    // that share most of their maps visits only what differs, where `describe` looks at every table.
    let described = use_mut_ref(|| None::<(Catalog, QualName, Rc<view::TableDescription>)>);
    let (names, all_tables) = lists.borrow_mut().update(derived, catalog);
    let chosen = all_tables.find(catalog, &props.table).or_else(|| catalog.tables.values().next().map(|t| &**t));
    let shown = chosen.map(|t| relation_name(&t.name));
    {
        // A newly shown table starts at its top.
        let detail_ref = detail_ref.clone();
        use_effect_with(shown.clone(), move |_| {
            if let Some(el) = detail_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(0);
            }
        });
    }
    let on_search = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| search.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let needle = search.trim().to_lowercase();
    let tables = if needle.is_empty() {
        all_tables.names.clone()
    } else {
        Rc::new(all_tables.names.iter().filter(|n| n.to_lowercase().contains(&needle)).cloned().collect())
    };
    // Looking back in time at a table that the latest schema has: say that it does not exist at that
    // point, rather than swap tables silently.
    let missing = match props.as_of {
        Some(i)
            if shown.as_deref() != Some(props.table.as_str())
                && view::find_table(&derived.analysis.catalog, &props.table).is_some() =>
        {
            names.get(i).map(|at| format!("Table \"{}\" does not exist after {at}.", props.table))
        }
        _ => None,
    };
    let tab_button = |t: Tab, label: &str, testid: &str| {
        let tab = tab.clone();
        html! {
            <button role="tab" aria-selected={(*tab == t).to_string()} class={classes!("tab", (*tab == t).then_some("active"))}
                data-testid={testid.to_string()} onclick={Callback::from(move |_| tab.set(t))}>{ label }</button>
        }
    };
    // The migration whose changes the Changes tab tells: the one picked on the timeline, else the last.
    let changes_of = props.as_of.or(derived.analysis.migrations.len().checked_sub(1));
    let detail = match chosen {
        _ if *tab == Tab::Changes => match changes_of {
            Some(i) => html! {
                <ChangesView name={names.get(i).cloned().unwrap_or_default()}
                    changes={Rc::new(derived.analysis.changes_in(i))} on_table={props.on_table.clone()} />
            },
            None => html! { <p class="quiet" data-testid="no-changes">{ "No migrations yet." }</p> },
        },
        None => html! { <p class="quiet" data-testid="no-table">{ "No tables yet." }</p> },
        Some(t) => {
            let note = match &missing {
                Some(text) => html! { <p class="quiet" data-testid="table-missing">{ text }</p> },
                None => html! {},
            };
            let body = match *tab {
                Tab::Html => {
                    let mut kept = described.borrow_mut();
                    let desc = match &*kept {
                        Some((c, name, desc)) if *name == t.name && c == catalog => desc.clone(),
                        _ => {
                            let desc = Rc::new(view::describe(catalog, t));
                            *kept = Some((catalog.clone(), t.name.clone(), desc.clone()));
                            desc
                        }
                    };
                    html! { <TableView {desc} on_link={props.on_link.clone()} /> }
                }
                Tab::Psql => html! { <pre class="psql" data-testid="psql-text">{ describe_table(catalog, t) }</pre> },
                Tab::Changes => html! {},
            };
            html! { <>{ note }{ body }</> }
        }
    };
    html! {
        <div class="schema">
            <div class="pane-head">
                <h2>{ "Schema" }</h2>
                <div class="tabs" role="tablist" aria-label="Table view">
                    { tab_button(Tab::Html, "\\d", "tab-describe") }
                    { tab_button(Tab::Psql, "psql", "tab-psql") }
                    { tab_button(Tab::Changes, "Changes", "tab-changes") }
                </div>
            </div>
            <Timeline {names} value={props.as_of} on_change={props.on_as_of.clone()} stopped_at={stopped_at(derived)} />
            <div class="schema-body">
                <div class="table-list">
                    <input type="search" class="filter" placeholder="Search tables" aria-label="Search tables"
                        data-testid="table-search" value={(*search).clone()} oninput={on_search} />
                    <TableList names={tables} shown={shown.clone()}
                        on_table={props.on_table.clone()} />
                </div>
                <div class="table-detail" ref={detail_ref}>{ detail }</div>
            </div>
        </div>
    }
}

/// The lists the pane keeps between analyses.
#[derive(Default)]
struct Lists {
    migrations: Rc<Vec<String>>,
    tables: Tables,
}

/// A catalog's tables in name order, with their names as psql prints them.
#[derive(Clone, Default)]
struct Tables {
    keys: Rc<Vec<QualName>>,
    names: Rc<Vec<String>>,
}

impl Tables {
    /// The table `printed` names in `catalog` (whose tables these are).
    fn find<'a>(&self, catalog: &'a Catalog, printed: &str) -> Option<&'a Table> {
        let at = self.names.iter().position(|n| n == printed)?;
        catalog.tables.get(&self.keys[at]).map(|t| &**t)
    }
}

impl Lists {
    /// The migration names and the tables of `catalog`: the ones kept when they are the same.
    fn update(&mut self, derived: &Derived, catalog: &Catalog) -> (Rc<Vec<String>>, Tables) {
        let migrations = &derived.analysis.migrations;
        if !migrations.iter().map(|m| &m.name).eq(self.migrations.iter()) {
            self.migrations = Rc::new(migrations.iter().map(|m| m.name.clone()).collect());
        }
        if !catalog.tables.keys().eq(self.tables.keys.iter()) {
            let (keys, names) = view::tables(catalog).into_iter().unzip();
            self.tables = Tables { keys: Rc::new(keys), names: Rc::new(names) };
        }
        (self.migrations.clone(), self.tables.clone())
    }
}

/// Compared by pointer, then by value: an analysis that leaves the tables as they were re-renders none
/// of the list.
#[derive(Properties, PartialEq)]
struct TableListProps {
    /// The tables shown, as psql prints their names.
    names: Rc<Vec<String>>,
    shown: Option<String>,
    on_table: Callback<String>,
}

#[component]
fn TableList(props: &TableListProps) -> Html {
    html! {
        <ul data-testid="table-list">
            { for props.names.iter().map(|name| {
                let selected = props.shown.as_deref() == Some(name.as_str());
                let n = name.clone();
                html! {
                    <li key={name.clone()}>
                        <button class={classes!("tbl", selected.then_some("selected"))} data-testid="table-item"
                            data-name={name.clone()} aria-current={selected.then_some("true")}
                            onclick={props.on_table.reform(move |_| n.clone())}>{ name }</button>
                    </li>
                }
            }) }
        </ul>
    }
}
