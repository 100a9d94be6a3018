//! The schema model and how PostgreSQL names, types and prints what it holds.

pub mod derived;
pub mod expr;
pub mod function_names;
pub mod literal;
pub mod model;
pub mod names;
pub mod references;
pub mod table_oids;
pub mod trigger_users;
pub mod types;

pub use model::*;
