//! The SQL editor: a transparent `<textarea>` over a highlighted `<pre>` with the same text and
//! metrics, line numbers with diagnostic marks, underlines in place, and a status line that
//! shows the diagnostics of the cursor's line.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use schema_playground::Severity;

use super::highlight::{self, Mark};
use super::root::Derived;
use super::state::Shared;
use super::view;

/// The editor's line height in CSS pixels (`--line` in app.css).
const LINE_PX: i32 = 20;

/// A request to put the cursor somewhere (from the problems panel).
#[derive(Clone, Debug, PartialEq)]
pub struct Goto {
    pub file: String,
    /// UTF-16 offsets, as the textarea counts.
    pub start: u32,
    pub end: u32,
    pub line: u32,
    /// Makes a repeated click on the same problem a new request.
    pub seq: u32,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub name: String,
    pub text: std::sync::Arc<str>,
    pub derived: Shared<Derived>,
    pub goto: Option<Goto>,
    pub on_edit: Callback<String>,
    pub on_rename: Callback<MouseEvent>,
    pub on_delete: Callback<MouseEvent>,
}

fn rank(s: Severity) -> u8 {
    match s {
        Severity::Info => 1,
        Severity::Warning => 2,
        Severity::Error => 3,
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Info => "diag-info",
        Severity::Warning => "diag-warning",
        Severity::Error => "diag-error",
    }
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let scroller = use_node_ref();
    // Line, column, and byte offset of the cursor.
    let cursor = use_state_eq(|| (1u32, 1u32, 0usize));
    let hover = use_state_eq(String::new);
    let text = &*props.text;

    // Diagnostics of this file, moved onto the current text when it changed since the analysis.
    let derived = &props.derived;
    let analyzed = derived.analysis.files.iter().find(|f| f.name == props.name).map(|f| f.text.as_ref());
    let mine: Vec<(usize, &view::Problem)> =
        if analyzed.is_some() { derived.problems.of_file(&props.name).collect() } else { Vec::new() };
    let marks: Vec<Mark> = mine
        .iter()
        .map(|(i, p)| {
            let old = analyzed.unwrap_or_default();
            let start = view::remap_offset(old, text, p.start);
            let end = view::remap_offset(old, text, p.end).max(start);
            Mark { start, end, rank: rank(p.severity), id: *i }
        })
        .collect();
    let tokens = use_memo(props.text.clone(), |t| highlight::tokens(t));
    let pieces = highlight::pieces(text, &tokens, &marks);

    // Per line: the worst severity and the messages.
    let line_count = text.split('\n').count();
    let mut gutter: Vec<(Option<Severity>, Vec<String>)> = vec![(None, Vec::new()); line_count];
    for (m, (_, p)) in marks.iter().zip(&mine) {
        let line = view::line_of(text, m.start) as usize - 1;
        if let Some(slot) = gutter.get_mut(line) {
            slot.0 = slot.0.max(Some(p.severity));
            slot.1.push(p.summary());
        }
    }

    {
        let scroller = scroller.clone();
        use_effect_with(props.name.clone(), move |_| {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                el.set_scroll_top(0);
                el.set_scroll_left(0);
            }
        });
    }
    {
        let textarea = textarea.clone();
        let scroller = scroller.clone();
        let cursor = cursor.clone();
        use_effect_with(props.goto.clone(), move |goto| {
            let Some(g) = goto else { return };
            let Some(ta) = textarea.cast::<HtmlTextAreaElement>() else { return };
            let _ = ta.focus();
            let _ = ta.set_selection_range(g.start, g.start);
            if let Some(el) = scroller.cast::<HtmlElement>() {
                el.set_scroll_top(((g.line as i32 - 1) * LINE_PX - el.client_height() / 3).max(0));
                el.set_scroll_left(0);
            }
            cursor.set((g.line, 1, view::byte_offset(&ta.value(), g.start)));
        });
    }

    let update_cursor = {
        let cursor = cursor.clone();
        let textarea = textarea.clone();
        move || {
            let Some(ta) = textarea.cast::<HtmlTextAreaElement>() else { return };
            let value = ta.value();
            let pos = ta.selection_start().ok().flatten().unwrap_or(0);
            let byte = view::byte_offset(&value, pos);
            let line = view::line_of(&value, byte);
            let line_start = value[..byte].rfind('\n').map_or(0, |i| i + 1);
            cursor.set((line, value[line_start..byte].chars().count() as u32 + 1, byte));
        }
    };
    let on_input = {
        let on_edit = props.on_edit.clone();
        let update_cursor = update_cursor.clone();
        Callback::from(move |e: InputEvent| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            on_edit.emit(ta.value());
            update_cursor();
        })
    };
    let on_keyup = {
        let update_cursor = update_cursor.clone();
        Callback::from(move |_: KeyboardEvent| update_cursor())
    };
    let on_click = {
        let update_cursor = update_cursor.clone();
        Callback::from(move |_: MouseEvent| update_cursor())
    };
    let on_focus = Callback::from(move |_: FocusEvent| update_cursor());
    // The textarea covers the underlines: find the one under the pointer for the tooltip.
    let on_mousemove = {
        let hover = hover.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
            let hit = doc
                .elements_from_point(e.client_x() as f32, e.client_y() as f32)
                .iter()
                .filter_map(|el| el.dyn_into::<web_sys::Element>().ok())
                .find_map(|el| el.get_attribute("data-msg"));
            hover.set(hit.unwrap_or_default());
        })
    };

    let (cur_line, cur_col, cur_byte) = *cursor;
    // The locks of the statement under the cursor, while the text is the one analysed.
    let locks = (analyzed == Some(text))
        .then(|| view::locks_at(&derived.analysis, &derived.options, &props.name, cur_byte))
        .flatten();
    let line_messages = gutter.get(cur_line as usize - 1).map(|g| g.1.join(" · ")).unwrap_or_default();
    let status_class = gutter.get(cur_line as usize - 1).and_then(|g| g.0).map(severity_class);

    html! {
        <div class="editor">
            <div class="pane-head">
                <h2 class="file-name" data-testid="editor-file-name" title={props.name.clone()}>{ &props.name }</h2>
                <div class="actions">
                    <button onclick={props.on_rename.clone()} data-testid="rename-file">{ "Rename" }</button>
                    <button onclick={props.on_delete.clone()} data-testid="delete-file">{ "Delete" }</button>
                </div>
            </div>
            <div class="editor-scroll" ref={scroller}>
                <div class="gutter" aria-hidden="true">
                    { for gutter.iter().enumerate().map(|(i, (sev, msgs))| {
                        let title = (!msgs.is_empty()).then(|| msgs.join("\n"));
                        html! {
                            <div class={classes!("ln", sev.map(severity_class))} {title}>{ i + 1 }</div>
                        }
                    }) }
                </div>
                <div class="code">
                    <pre class="hl" aria-hidden="true" data-testid="highlight">
                        { for pieces.iter().map(|p| {
                            let s = &text[p.start..p.end];
                            match (p.kind, p.mark) {
                                (None, None) => html! { { s } },
                                (kind, mark) => {
                                    let problem = mark.and_then(|m| derived.problems.get(m));
                                    html! {
                                        <span class={classes!(kind.map(|k| k.class()), problem.map(|p| severity_class(p.severity)), problem.map(|_| "diag"))}
                                            data-msg={problem.map(|p| p.summary())}>{ s }</span>
                                    }
                                }
                            }
                        }) }
                        { " " }
                    </pre>
                    <textarea ref={textarea} class="input" data-testid="editor" value={props.text.to_string()}
                        aria-label={format!("SQL of {}", props.name)} spellcheck="false" autocomplete="off"
                        autocapitalize="off" wrap="off" title={(!hover.is_empty()).then(|| (*hover).clone())}
                        oninput={on_input} onkeyup={on_keyup} onclick={on_click} onfocus={on_focus}
                        onmousemove={on_mousemove} />
                </div>
            </div>
            <div class={classes!("editor-status", status_class)} data-testid="cursor-status" aria-live="polite">
                <span class="pos">{ format!("Ln {cur_line}, Col {cur_col}") }</span>
                <span class="msg">{ line_messages }</span>
                if let Some(locks) = locks {
                    <span class="locks" data-testid="cursor-locks" title={locks.clone()}>{ locks }</span>
                }
            </div>
        </div>
    }
}
