//! Small wrappers over the browser APIs the app uses (clock, URL, history, clipboard).

use wasm_bindgen::{JsCast, JsValue};

pub fn window() -> web_sys::Window {
    web_sys::window().expect("the app runs in a window")
}

/// Milliseconds since navigation started (`performance.now()`).
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// A User Timing mark (`performance.mark`): the start-up phases are named `sp:…` and read by the
/// browser tests (docs/performance.md, "First load").
pub fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

/// `YYYYMMDDHHMMSS` in UTC, for timestamp-numbered migration folders.
pub fn utc_timestamp() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        d.get_utc_full_year(),
        d.get_utc_month() + 1,
        d.get_utc_date(),
        d.get_utc_hours(),
        d.get_utc_minutes(),
        d.get_utc_seconds()
    )
}

/// The page's URL, split into the parts the app reads.
pub struct Url {
    pub origin: String,
    pub pathname: String,
    pub search: String,
    pub hash: String,
}

pub fn url() -> Url {
    let l = window().location();
    Url {
        origin: l.origin().unwrap_or_default(),
        pathname: l.pathname().unwrap_or_default(),
        search: l.search().unwrap_or_default(),
        hash: l.hash().unwrap_or_default(),
    }
}

/// The `&`-separated parts of the query string or fragment (without `?` / `#`).
pub fn parts(s: &str) -> impl Iterator<Item = &str> {
    s.trim_start_matches(['?', '#']).split('&').filter(|p| !p.is_empty())
}

/// Removes the fragment from the address bar without reloading or adding a history entry.
pub fn clear_hash() {
    let u = url();
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{}{}", u.pathname, u.search)));
    }
}

/// A readable message from a thrown JavaScript value (`QuotaExceededError: …`).
pub fn js_error(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        let name = String::from(e.name());
        let message = String::from(e.message());
        return if message.is_empty() { name } else { format!("{name}: {message}") };
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

/// Copies `text`; the result says whether the browser allowed it.
pub async fn copy_text(text: String) -> Result<(), String> {
    let clipboard = window().navigator().clipboard();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await.map(|_| ()).map_err(|e| js_error(&e))
}

/// Whether the page asked for timing logs (`?debug`).
pub fn debug() -> bool {
    parts(&url().search).any(|p| p == "debug")
}

/// Runs `f` once the next frame has been painted: in a task queued from the frame's
/// `requestAnimationFrame` callback, which runs right before that frame's style, layout and paint.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    let queue = wasm_bindgen::closure::Closure::once_into_js(move || {
        gloo::timers::callback::Timeout::new(0, f).forget();
    });
    let _ = window().request_animation_frame(queue.unchecked_ref());
}

/// Runs `f` once the browser is idle (`requestIdleCallback`), and at the latest after `timeout_ms`:
/// work the page does not need to show itself, kept out of the way of its frames and of input.
pub fn when_idle(timeout_ms: u32, f: impl FnOnce() + 'static) {
    let callback = wasm_bindgen::closure::Closure::once_into_js(f);
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(timeout_ms);
    if window().request_idle_callback_with_options(callback.unchecked_ref(), &options).is_err() {
        // No idle callbacks (Safari before 18): a task of its own.
        let _ = window().set_timeout_with_callback(callback.unchecked_ref());
    }
}
