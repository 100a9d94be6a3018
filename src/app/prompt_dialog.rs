//! A dialog that asks for one line of text (a migration's description, a file's new name), with a
//! live preview and validation.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::modal::Modal;

#[derive(Properties, PartialEq)]
pub struct PromptDialogProps {
    pub title: AttrValue,
    pub label: AttrValue,
    pub initial: AttrValue,
    pub placeholder: AttrValue,
    pub ok_label: AttrValue,
    pub testid: AttrValue,
    /// A line shown under the input for the current value (empty for none).
    pub preview: Callback<String, String>,
    /// Why the current value cannot be accepted, if it cannot.
    pub validate: Callback<String, Option<String>>,
    pub on_ok: Callback<String>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn PromptDialog(props: &PromptDialogProps) -> Html {
    let value = {
        let initial = props.initial.to_string();
        use_state_eq(move || initial)
    };
    let touched = use_state_eq(|| false);
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let _ = el.focus();
                el.select();
            }
        });
    }
    let on_input = {
        let value = value.clone();
        let touched = touched.clone();
        Callback::from(move |e: InputEvent| {
            value.set(e.target_unchecked_into::<HtmlInputElement>().value());
            touched.set(true);
        })
    };
    let problem = props.validate.emit((*value).clone());
    let on_submit = {
        let value = value.clone();
        let touched = touched.clone();
        let on_ok = props.on_ok.clone();
        let problem = problem.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            touched.set(true);
            if problem.is_none() {
                on_ok.emit(value.trim().to_string());
            }
        })
    };
    let preview = props.preview.emit((*value).clone());
    html! {
        <Modal title={props.title.clone()} testid={props.testid.clone()} on_cancel={props.on_cancel.clone()}>
            <form onsubmit={on_submit}>
                <label class="field">
                    <span>{ props.label.clone() }</span>
                    <input ref={input} type="text" value={(*value).clone()} placeholder={props.placeholder.clone()}
                        oninput={on_input} data-testid="prompt-input" aria-invalid={(problem.is_some() && *touched).to_string()} />
                </label>
                if !preview.is_empty() && problem.is_none() {
                    <p class="quiet" data-testid="prompt-preview">{ preview }</p>
                }
                if let (Some(p), true) = (&problem, *touched) {
                    <p class="field-error" role="alert" data-testid="prompt-error">{ p }</p>
                }
                <div class="buttons">
                    <button type="button" onclick={props.on_cancel.reform(|_| ())}>{ "Cancel" }</button>
                    <button type="submit" class="primary" data-testid="prompt-ok">{ props.ok_label.clone() }</button>
                </div>
            </form>
        </Modal>
    }
}
