//! The draft's autosave. A change that is not typing is saved at once; typing is saved once it pauses
//! ([`TYPING_DELAY_MS`]), and whatever is still unsaved is saved when the page is hidden or left
//! (`visibilitychange`, `pagehide`), so no change is lost. Saving a long history is not cheap: its
//! JSON is several MB, and `localStorage.setItem` copies it on the main thread. Each file's JSON is kept
//! between saves (`JsonCache`), so only the files that changed are serialized again.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use schema_playground::SourceFile;

use super::browser;
use super::storage;
use super::workspace::JsonCache;

/// How long typing must pause before the draft is saved.
pub const TYPING_DELAY_MS: u32 = 1000;

/// The latest the workspace the app opened with is saved after the first frame.
const OPENED_IDLE_TIMEOUT_MS: u32 = 500;

/// What a save reports: `Ok` once saved, or why it could not be.
pub type Report = Rc<dyn Fn(Result<(), String>)>;

/// The files, and the file open.
type Files = (Rc<Vec<Rc<SourceFile>>>, Option<String>);

struct Inner {
    /// What is not saved yet.
    pending: Option<Files>,
    timer: Option<Timeout>,
    cache: JsonCache,
    report: Report,
}

/// One per app; clones share it.
#[derive(Clone)]
pub struct Autosave(Rc<RefCell<Inner>>);

thread_local! {
    /// The app's saver, for the panic hook.
    static LIVE: RefCell<std::rc::Weak<RefCell<Inner>>> = const { RefCell::new(std::rc::Weak::new()) };
}

/// From the panic hook: saves what typing left pending. Only when the saver is not in use (the panic
/// may have struck inside it), and without reporting to the app (its state may be what panicked).
/// Whether everything typed is saved: `false` when something pending could not be.
pub fn save_after_panic() -> bool {
    let Some(live) = LIVE.try_with(|l| l.try_borrow().ok().and_then(|w| w.upgrade())).ok().flatten() else {
        return true;
    };
    let Ok(mut inner) = live.try_borrow_mut() else { return false };
    let Some((files, selected)) = inner.pending.take() else { return true };
    let json = inner.cache.write(&files, selected.as_deref());
    storage::save_json(&json).is_ok()
}

impl Autosave {
    /// Starts listening for the page being hidden or left, to save what is pending then.
    pub fn new(report: Report) -> Autosave {
        let saver =
            Autosave(Rc::new(RefCell::new(Inner { pending: None, timer: None, cache: JsonCache::default(), report })));
        let flush = {
            let saver = saver.clone();
            Closure::<dyn Fn()>::new(move || saver.flush())
        };
        let window = browser::window();
        let _ = window.add_event_listener_with_callback("pagehide", flush.as_ref().unchecked_ref());
        if let Some(document) = window.document() {
            // Hidden: a tab switched away from or a browser closed on a phone may never see `pagehide`.
            let _ = document.add_event_listener_with_callback("visibilitychange", flush.as_ref().unchecked_ref());
        }
        // The app lives as long as the page.
        flush.forget();
        LIVE.with(|live| *live.borrow_mut() = Rc::downgrade(&saver.0));
        saver
    }

    /// Records a change to save: at once, or after typing pauses when `typing`.
    pub fn change(&self, files: Rc<Vec<Rc<SourceFile>>>, selected: Option<String>, typing: bool) {
        let mut inner = self.0.borrow_mut();
        inner.pending = Some((files, selected));
        if typing {
            let saver = self.clone();
            // Replacing the timer cancels the one before: the delay runs from the last keystroke.
            inner.timer = Some(Timeout::new(TYPING_DELAY_MS, move || saver.flush()));
        } else {
            drop(inner);
            self.flush();
        }
    }

    /// Records the workspace the app opened with, saved once the first frame is painted and the page
    /// is idle (serializing it is not needed to show the page). A change before that replaces it and is
    /// saved at once, as any change; leaving the page saves it, as anything pending.
    pub fn opened(&self, files: Rc<Vec<Rc<SourceFile>>>, selected: Option<String>) {
        self.0.borrow_mut().pending = Some((files, selected));
        let saver = self.clone();
        browser::after_next_paint(move || browser::when_idle(OPENED_IDLE_TIMEOUT_MS, move || saver.flush()));
    }

    /// Saves what is pending, if anything.
    pub fn flush(&self) {
        let mut inner = self.0.borrow_mut();
        inner.timer = None;
        let Some((files, selected)) = inner.pending.take() else { return };
        let json = inner.cache.write(&files, selected.as_deref());
        let report = inner.report.clone();
        drop(inner);
        report(storage::save_json(&json));
    }
}
