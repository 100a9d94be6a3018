//! Everything the engine prints: psql's `\d`, and the analysis as JSON.

pub mod json;
pub mod psql;
