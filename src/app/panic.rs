//! A panic hook: the message goes to the console and to a banner with a reload button, built with
//! plain DOM calls (Yew may be what panicked). The draft is saved on every change (typing once it
//! pauses); the hook saves what typing left pending, so a reload loses nothing typed before the panic.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("Schema Playground crashed: {message}").into());
        let saved = super::autosave::save_after_panic();
        let _ = show_banner(&message, saved);
    }));
}

fn show_banner(message: &str, saved: bool) -> Option<()> {
    let document = web_sys::window()?.document()?;
    if document.get_element_by_id("panic-banner").is_some() {
        return Some(());
    }
    let banner = document.create_element("div").ok()?;
    banner.set_id("panic-banner");
    banner.set_attribute("role", "alert").ok()?;
    banner.set_attribute("data-testid", "panic-banner").ok()?;
    let text = document.create_element("p").ok()?;
    // Text, never HTML: the message may quote user input.
    let kept = if saved { "the last change" } else { "the last pause in typing" };
    text.set_text_content(Some(&format!(
        "Something went wrong and the app stopped: {message}. Your work up to {kept} is saved in this browser."
    )));
    let button = document.create_element("button").ok()?;
    button.set_text_content(Some("Reload"));
    let reload = Closure::<dyn FnMut()>::new(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref()).ok()?;
    reload.forget();
    banner.append_child(&text).ok()?;
    banner.append_child(&button).ok()?;
    document.body()?.prepend_with_node_1(&banner).ok()?;
    Some(())
}
