//! Start-up: reads the URL (share link, embed mode) and the saved draft, then renders the app.
//!
//! URL forms: `#w1=…` opens a shared workspace without touching the draft; `?embed` (or an
//! `embed` part in the fragment: `#embed&w1=…`) shows the compact read-only schema view;
//! `table=NAME` (in the query or the fragment) picks the table shown first; `?debug` logs timings.

use std::rc::Rc;

use super::browser::{self, parts};
use super::embed::{Embed, EmbedProps};
use super::example;
use super::notices::Notice;
use super::root::{App, AppProps};
use super::state::{Shared, Source};
use super::storage::{self, Loaded};
use super::workspace::Workspace;

/// What the app starts with.
#[derive(Debug, PartialEq)]
pub struct Boot {
    pub workspace: Workspace,
    pub source: Source,
    pub notices: Vec<Notice>,
    /// The table to show first.
    pub table: Option<String>,
}

fn example_workspace() -> Workspace {
    Workspace { files: example::files(), selected: Some(example::FILES[0].0.to_string()) }
}

/// The user's draft, or the example when there is none (with a notice when it could not be read).
pub fn draft(notices: &mut Vec<Notice>) -> Workspace {
    match storage::load() {
        Loaded::Draft(ws) => ws,
        Loaded::Nothing => example_workspace(),
        Loaded::Unreadable(message) => {
            notices.push(Notice::error("draft", message));
            example_workspace()
        }
        Loaded::Unavailable(why) => {
            notices.push(Notice::error(
                "storage",
                format!("Local storage is not available ({why}): your work will not be saved in this browser."),
            ));
            example_workspace()
        }
    }
}

pub fn example() -> Workspace {
    example_workspace()
}

pub fn share_part(hash: &str) -> Option<&str> {
    parts(hash).find(|p| {
        let digits = p.strip_prefix('w').map(|r| r.split('=').next().unwrap_or(""));
        p.contains('=') && digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The message for a share link that cannot be opened.
pub fn share_error(why: &str, embed: bool) -> Notice {
    let what = if embed { "The embedded schema" } else { "This share link" };
    let kept = if embed { "" } else { " Your saved draft was not changed." };
    Notice::error("share", format!("{what} could not be opened: {why}.{kept}"))
}

fn decode_component(s: &str) -> String {
    js_sys::decode_uri_component(s).map(String::from).unwrap_or_else(|_| s.to_string())
}

pub fn start() {
    browser::mark("sp:main");
    super::panic::install();
    let u = browser::url();
    let is_embed = parts(&u.search).chain(parts(&u.hash)).any(|p| p == "embed" || p.starts_with("embed="));
    let table = parts(&u.search).chain(parts(&u.hash)).find_map(|p| p.strip_prefix("table=")).map(decode_component);
    let mut notices = Vec::new();
    let mut source = Source::Draft;
    let workspace = match share_part(&u.hash).map(Workspace::from_fragment) {
        Some(Ok(ws)) => {
            source = Source::Shared;
            ws
        }
        Some(Err(why)) => {
            notices.push(share_error(&why, is_embed));
            if is_embed { example_workspace() } else { draft(&mut notices) }
        }
        None => draft(&mut notices),
    };
    let boot = Boot { workspace, source, notices, table };
    if is_embed {
        yew::Renderer::<Embed>::with_props(EmbedProps { boot: Shared(Rc::new(boot)) }).render();
    } else {
        yew::Renderer::<App>::with_props(AppProps { boot: Shared(Rc::new(boot)) }).render();
    }
}
