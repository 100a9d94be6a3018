//! The header: the app's name and the workspace actions.

use yew::prelude::*;

use super::import_button::{ImportButton, Imported};

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub on_new: Callback<MouseEvent>,
    pub on_share: Callback<MouseEvent>,
    pub on_reset: Callback<MouseEvent>,
    pub on_imported: Callback<Imported>,
}

#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    html! {
        <header class="toolbar">
            <h1>{ "Schema Playground" }</h1>
            <p class="tagline">{ "PostgreSQL migrations → schema, without a database. Your SQL never leaves this page." }</p>
            <div class="actions">
                <button class="primary" onclick={props.on_new.clone()} data-testid="new-migration">{ "New migration" }</button>
                <ImportButton on_imported={props.on_imported.clone()} />
                <button onclick={props.on_share.clone()} data-testid="share">{ "Share" }</button>
                <button onclick={props.on_reset.clone()} data-testid="reset">{ "Reset to example" }</button>
            </div>
        </header>
    }
}
