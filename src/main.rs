//! The web app's entry point: trunk builds this binary for wasm32 (`index.html`). On the host it is
//! an empty program, so `cargo test` and clippy work without web crates; its tests cover the app's
//! pure parts (highlighting, the workspace format, the view types).
#![forbid(unsafe_code)]

#[cfg(any(target_arch = "wasm32", test))]
mod app;

#[cfg(target_arch = "wasm32")]
fn main() {
    app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
