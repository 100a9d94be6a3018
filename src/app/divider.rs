//! A draggable divider between two panes (pointer capture), also moved with the arrow keys.

use web_sys::Element;
use yew::prelude::*;

/// Pixels an arrow key moves the divider.
const STEP: i32 = 24;

#[derive(Properties, PartialEq)]
pub struct DividerProps {
    pub label: AttrValue,
    /// Called with how far the divider moved to the right, in CSS pixels.
    pub on_move: Callback<i32>,
}

#[component]
pub fn Divider(props: &DividerProps) -> Html {
    // The last pointer x while dragging.
    let drag = use_mut_ref(|| None::<i32>);
    let on_down = {
        let drag = drag.clone();
        Callback::from(move |e: PointerEvent| {
            let target: Element = e.target_unchecked_into();
            let _ = target.set_pointer_capture(e.pointer_id());
            *drag.borrow_mut() = Some(e.client_x());
            e.prevent_default();
        })
    };
    let on_move = {
        let drag = drag.clone();
        let emit = props.on_move.clone();
        Callback::from(move |e: PointerEvent| {
            let mut d = drag.borrow_mut();
            if let Some(x) = *d {
                let dx = e.client_x() - x;
                if dx != 0 {
                    *d = Some(e.client_x());
                    emit.emit(dx);
                }
            }
        })
    };
    let on_up = {
        let drag = drag.clone();
        Callback::from(move |e: PointerEvent| {
            let target: Element = e.target_unchecked_into();
            let _ = target.release_pointer_capture(e.pointer_id());
            *drag.borrow_mut() = None;
        })
    };
    let on_key = {
        let emit = props.on_move.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowLeft" => {
                e.prevent_default();
                emit.emit(-STEP);
            }
            "ArrowRight" => {
                e.prevent_default();
                emit.emit(STEP);
            }
            _ => {}
        })
    };
    html! {
        <div class="divider" role="separator" aria-orientation="vertical" aria-label={props.label.clone()} tabindex="0"
            title={props.label.clone()} onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up.clone()}
            onpointercancel={on_up} onkeydown={on_key} />
    }
}
