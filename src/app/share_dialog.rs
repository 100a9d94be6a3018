//! The share dialog: a link that carries the whole workspace in its fragment (never sent to a
//! server), and an iframe snippet for the read-only embed view.

use yew::prelude::*;

use super::browser;
use super::modal::Modal;

/// Links longer than this may be cut by chat apps and some servers.
const LONG_LINK: usize = 8000;

#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    pub url: AttrValue,
    pub embed: AttrValue,
    pub on_close: Callback<()>,
}

#[component]
pub fn ShareDialog(props: &ShareDialogProps) -> Html {
    let status = use_state_eq(String::new);
    let copy = |text: AttrValue, what: &'static str| {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let status = status.clone();
            let text = text.to_string();
            wasm_bindgen_futures::spawn_local(async move {
                match browser::copy_text(text).await {
                    Ok(()) => status.set(format!("{what} copied.")),
                    Err(e) => status.set(format!("Could not copy ({e}): select the text and copy it by hand.")),
                }
            });
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(el) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
            el.select();
        } else if let Some(el) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            el.select();
        }
    });
    let len = props.url.len();
    html! {
        <Modal title="Share" testid="share-dialog" on_cancel={props.on_close.clone()}>
            <p>{ "This link holds all files of the workspace, compressed into the part after #, which browsers never send to a server." }</p>
            <label class="field">
                <span>{ format!("Link ({len} characters)") }</span>
                <input type="text" readonly=true value={props.url.clone()} data-testid="share-url" onfocus={select_all.clone()} />
            </label>
            if len > LONG_LINK {
                <p class="field-error">{ "This link is long: some chat apps and servers cut links of more than about 8000 characters." }</p>
            }
            <div class="buttons">
                <button onclick={copy(props.url.clone(), "Link")} data-testid="copy-link">{ "Copy link" }</button>
                <a href={props.url.clone()} target="_blank" rel="noopener" data-testid="open-link">{ "Open in a new tab" }</a>
            </div>
            <label class="field">
                <span>{ "Embed a read-only schema view in a page" }</span>
                <textarea readonly=true rows="3" value={props.embed.clone()} data-testid="embed-snippet" onfocus={select_all} />
            </label>
            <div class="buttons">
                <button onclick={copy(props.embed.clone(), "Snippet")} data-testid="copy-embed">{ "Copy snippet" }</button>
                <button class="primary" onclick={props.on_close.reform(|_| ())} data-testid="share-close">{ "Close" }</button>
            </div>
            <p class="quiet" role="status" data-testid="share-status">{ (*status).clone() }</p>
        </Modal>
    }
}
