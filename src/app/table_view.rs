//! psql's `\d TABLE` as an HTML table: the columns grid (Column, Type, Collation, Nullable,
//! Default), then the footer sections (indexes, checks, foreign keys, referenced by, triggers),
//! with links between tables. The content is exactly psql's (see `view::describe`).

use std::rc::Rc;

use yew::prelude::*;

use schema_playground::catalog::model::QualName;

use super::view::{HEADERS, TableDescription};

#[derive(Properties, PartialEq)]
pub struct TableViewProps {
    pub desc: Rc<TableDescription>,
    pub on_link: Callback<QualName>,
}

#[component]
pub fn TableView(props: &TableViewProps) -> Html {
    let desc = &props.desc;
    html! {
        <div class="describe" data-testid="describe">
            <table class="columns" data-testid="describe-columns">
                // Element Timing reports when the title is painted: the first load's "schema visible".
                <caption data-testid="describe-title" elementtiming="describe-title">{ &desc.title }</caption>
                <thead>
                    <tr>{ for HEADERS.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr>
                </thead>
                <tbody>
                    { for desc.rows.iter().map(|row| html! {
                        <tr key={row[0].clone()}>
                            <th scope="row">{ &row[0] }</th>
                            { for row[1..].iter().map(|cell| html! { <td>{ cell }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            { for desc.sections.iter().map(|s| html! {
                <section class="footer-section" data-testid="describe-section" data-heading={s.heading.clone()}>
                    if !s.heading.is_empty() {
                        <h3>{ &s.heading }</h3>
                    }
                    if !s.lines.is_empty() {
                        <ul>
                            { for s.lines.iter().map(|parts| html! {
                                <li>
                                    { for parts.iter().enumerate().map(|(i, part)| {
                                        // psql indents footer lines by four spaces; CSS indents them here.
                                        let text = if i == 0 { part.text.trim_start_matches("    ") } else { part.text.as_str() };
                                        match &part.link {
                                            Some(target) => {
                                                let target = target.clone();
                                                html! {
                                                    <button class="link" data-testid="table-link"
                                                        title={format!("Show {text}")}
                                                        onclick={props.on_link.reform(move |_| target.clone())}>
                                                        { text.to_string() }
                                                    </button>
                                                }
                                            }
                                            None => html! { { text.to_string() } },
                                        }
                                    }) }
                                </li>
                            }) }
                        </ul>
                    }
                </section>
            }) }
        </div>
    }
}
