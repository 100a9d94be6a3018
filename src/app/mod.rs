//! The browser app: Yew function components, one per file, over the engine's public API
//! (`schema_playground::analyze`, the catalog, `render::psql`). The pure parts (`example`,
//! `fix`, `highlight`, `view`, `workspace`) also compile on the host, where their tests run.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

pub mod example;
pub mod fix;
pub mod highlight;
pub mod view;
pub mod workspace;

// Browser-only: state, storage and the components.
#[cfg(target_arch = "wasm32")]
mod autosave;
#[cfg(target_arch = "wasm32")]
mod boot;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod changes_view;
#[cfg(target_arch = "wasm32")]
mod confirm_dialog;
#[cfg(target_arch = "wasm32")]
mod divider;
#[cfg(target_arch = "wasm32")]
mod editor;
#[cfg(target_arch = "wasm32")]
mod embed;
#[cfg(target_arch = "wasm32")]
mod import_button;
#[cfg(target_arch = "wasm32")]
mod migration_list;
#[cfg(target_arch = "wasm32")]
mod modal;
#[cfg(target_arch = "wasm32")]
mod notices;
#[cfg(target_arch = "wasm32")]
mod panic;
#[cfg(target_arch = "wasm32")]
mod problems;
#[cfg(target_arch = "wasm32")]
mod prompt_dialog;
#[cfg(target_arch = "wasm32")]
mod root;
#[cfg(target_arch = "wasm32")]
mod rule_doc;
#[cfg(target_arch = "wasm32")]
mod schema_pane;
#[cfg(target_arch = "wasm32")]
mod share_dialog;
#[cfg(target_arch = "wasm32")]
mod state;
#[cfg(target_arch = "wasm32")]
mod storage;
#[cfg(target_arch = "wasm32")]
mod table_view;
#[cfg(target_arch = "wasm32")]
mod timeline;
#[cfg(target_arch = "wasm32")]
mod toolbar;

#[cfg(target_arch = "wasm32")]
pub use boot::start;
