//! A dialog that asks to confirm something that cannot be undone, with an optional second choice.

use web_sys::HtmlElement;
use yew::prelude::*;

use super::modal::Modal;

#[derive(Properties, PartialEq)]
pub struct ConfirmDialogProps {
    pub title: AttrValue,
    pub message: AttrValue,
    pub ok_label: AttrValue,
    pub testid: AttrValue,
    pub on_ok: Callback<()>,
    #[prop_or_default]
    pub alt_label: Option<AttrValue>,
    #[prop_or_default]
    pub on_alt: Option<Callback<()>>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn ConfirmDialog(props: &ConfirmDialogProps) -> Html {
    let cancel = use_node_ref();
    {
        // Focus starts on Cancel: Enter alone never destroys anything.
        let cancel = cancel.clone();
        use_effect_with((), move |_| {
            if let Some(el) = cancel.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    html! {
        <Modal title={props.title.clone()} testid={props.testid.clone()} on_cancel={props.on_cancel.clone()}>
            <p>{ props.message.clone() }</p>
            <div class="buttons">
                <button ref={cancel} onclick={props.on_cancel.reform(|_| ())} data-testid="confirm-cancel">{ "Cancel" }</button>
                if let (Some(label), Some(on_alt)) = (&props.alt_label, &props.on_alt) {
                    <button onclick={on_alt.reform(|_| ())} data-testid="confirm-alt">{ label.clone() }</button>
                }
                <button class="primary" onclick={props.on_ok.reform(|_| ())} data-testid="confirm-ok">{ props.ok_label.clone() }</button>
            </div>
        </Modal>
    }
}
