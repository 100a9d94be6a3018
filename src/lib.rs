//! Schema Playground's engine: simulates numbered PostgreSQL migration files into an in-memory
//! catalog, describes tables exactly as psql's `\d` does, and reports what PostgreSQL would reject.
//! Pure Rust, no I/O: the web app and the CLI are thin faces over [`analyze`].
#![forbid(unsafe_code)]

pub mod analysis;
pub mod catalog;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod locks;
pub mod migrations;
pub mod render;
pub mod rules;
pub mod simulate;
pub mod span;
pub mod sql;
#[cfg(test)]
mod test_support;
pub mod text;

pub use analysis::{Analysis, Memory, Options, Runner, Simulated, SourceFile, analyze, analyze_with, simulate_with};
pub use diagnostic::{Diagnostic, Severity};
