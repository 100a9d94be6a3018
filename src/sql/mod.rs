//! Migration files as SQL: split into statements, then parsed one statement at a time.

pub mod alter_table;
pub mod objects;
pub mod parse;
pub mod split;
pub mod tokens;
