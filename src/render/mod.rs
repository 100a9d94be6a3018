//! Everything the engine prints: psql's `\d`, the analysis as JSON, and the schema as facts for `verify`.

pub mod facts;
pub mod json;
pub mod psql;
