//! A modal dialog frame: a backdrop, a labelled `role="dialog"` box, Escape to cancel.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    pub title: AttrValue,
    pub testid: AttrValue,
    pub on_cancel: Callback<()>,
    pub children: Html,
}

#[component]
pub fn Modal(props: &ModalProps) -> Html {
    let on_key = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_cancel.emit(());
            }
        })
    };
    let on_backdrop = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: MouseEvent| {
            // Only a click on the backdrop itself, not one that bubbled up from the dialog.
            if e.target() == e.current_target() {
                on_cancel.emit(());
            }
        })
    };
    html! {
        <div class="backdrop" onclick={on_backdrop} onkeydown={on_key}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" data-testid={props.testid.clone()}>
                <h2 id="dialog-title">{ props.title.clone() }</h2>
                { props.children.clone() }
            </div>
        </div>
    }
}
