//! The draft in localStorage: one versioned JSON document (see `workspace.rs`). Every failure is a
//! message for the user, never a panic, and an unreadable draft is kept aside, never overwritten.

use super::browser::{js_error, window};
use super::workspace::Workspace;

const KEY: &str = "schema-playground/workspace";
const BACKUP_KEY: &str = "schema-playground/workspace.unreadable";

fn storage() -> Result<web_sys::Storage, String> {
    match window().local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(e) => Err(js_error(&e)),
    }
}

/// What was found at start-up.
pub enum Loaded {
    Draft(Workspace),
    Nothing,
    /// The saved text could not be read; it was copied to the backup key.
    Unreadable(String),
    Unavailable(String),
}

pub fn load() -> Loaded {
    let s = match storage() {
        Ok(s) => s,
        Err(e) => return Loaded::Unavailable(e),
    };
    let raw = match s.get_item(KEY) {
        Ok(Some(raw)) => raw,
        Ok(None) => return Loaded::Nothing,
        Err(e) => return Loaded::Unavailable(js_error(&e)),
    };
    match Workspace::from_json(&raw) {
        Ok(ws) => Loaded::Draft(ws),
        Err(why) => {
            let kept = match s.set_item(BACKUP_KEY, &raw) {
                Ok(()) => format!("it was kept in localStorage under \"{BACKUP_KEY}\""),
                Err(e) => format!("it could not be kept aside either ({})", js_error(&e)),
            };
            Loaded::Unreadable(format!(
                "Your saved draft could not be read: {why}. The example was opened instead; {kept}."
            ))
        }
    }
}

/// Saves a workspace's JSON ([`Workspace::to_json`], or the same text from a `JsonCache`).
pub fn save_json(json: &str) -> Result<(), String> {
    let s = storage()?;
    s.set_item(KEY, json).map_err(|e| js_error(&e))
}
