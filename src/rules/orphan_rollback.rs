//! A rollback file whose forward migration does not exist (reported by the planner,
//! `migrations::plan`).

use super::{Check, Family, Rule};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "orphan-rollback",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Convention,
    summary: "A rollback file whose forward migration does not exist",
    why: "A rollback (`NNN_name_rollback.sql`, `.down.sql`, Flyway's `U` file) pairs with the forward migration of \
          the same number. One without a partner is never used: its migration was renumbered or deleted, or the \
          rollback's own number is wrong — and then the migration it was written for has no rollback when it is \
          needed (`missing-rollback`).",
    setup: "",
    bad: "-- file: 001_create_users.sql\n\
          CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
          -- file: 002_create_users_rollback.sql\n\
          DROP TABLE IF EXISTS users CASCADE;\n",
    good: "-- file: 001_create_users.sql\n\
           CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
           -- file: 001_create_users_rollback.sql\n\
           DROP TABLE IF EXISTS users CASCADE;\n",
    fix: "Rename the rollback to the number of the migration it undoes, or delete it.",
    check: Check::Builtin,
};
