//! The browser app: Yew function components, one per file, over the engine's public API
//! (`schema_playground::analyze`, the catalog, `render::psql`). The pure parts (`example`,
//! `highlight`, `view`, `workspace`) also compile on the host, where their tests run.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

pub mod example;
pub mod highlight;
pub mod view;
pub mod workspace;
