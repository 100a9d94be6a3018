//! Time travel: a slider that picks "the schema as of migration N".

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// File names of the forward migrations, in run order (kept between analyses: compared by pointer
    /// first).
    pub names: std::rc::Rc<Vec<String>>,
    /// Index into `names`; `None` follows the latest state.
    pub value: Option<usize>,
    pub on_change: Callback<Option<usize>>,
    /// Where a real run stops, when it does (`file:line`).
    pub stopped_at: Option<String>,
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let n = props.names.len();
    if n == 0 {
        return html! {};
    }
    let value = props.value.filter(|&v| v < n);
    let on_input = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let v: usize = e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(n);
            on_change.emit(Some(v.clamp(1, n) - 1));
        })
    };
    let latest = props.on_change.reform(|_| None);
    let label = match value {
        Some(v) => format!("after {} ({} of {n})", props.names[v], v + 1),
        None => match &props.stopped_at {
            Some(at) => format!("where the run stops: error at {at}"),
            None => format!("after all {n} migrations (latest)"),
        },
    };
    html! {
        <div class="timeline" data-testid="timeline">
            <label for="timeline-range">{ "Schema as of" }</label>
            <input id="timeline-range" type="range" min="1" max={n.to_string()} step="1"
                value={value.map_or(n, |v| v + 1).to_string()} aria-valuetext={label.clone()}
                data-testid="timeline-range" oninput={on_input} />
            <span class="timeline-label" data-testid="timeline-label">{ label }</span>
            <button onclick={latest} disabled={value.is_none()} data-testid="timeline-latest">{ "Latest" }</button>
        </div>
    }
}
