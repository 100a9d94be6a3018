//! Two forward migrations with the same number (reported by the planner, `migrations::plan`).

use super::{Check, Family, Rule};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "duplicate-migration-number",
    severity: Severity::Error,
    default_on: true,
    family: Family::Convention,
    summary: "Two migrations share a number, so their order is undefined",
    why: "The runner orders migrations by number. Two files with the same number (`002_add_email.sql` and \
          `002_add_phone.sql`, or `1` and `001`, which are the same number) run in an order no tool promises: \
          one database may run them one way and another the other way, and some runners refuse the folder or \
          skip the second file because its version is already recorded. It usually happens when two branches \
          each took the next number. The simulation runs them in name order and reports the second one.",
    setup: "",
    bad: "-- file: 001_create_users.sql\n\
          CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
          -- file: 002_add_email.sql\n\
          ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n\
          -- file: 002_add_phone.sql\n\
          ALTER TABLE users ADD COLUMN IF NOT EXISTS phone text;\n",
    good: "-- file: 001_create_users.sql\n\
           CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
           -- file: 002_add_email.sql\n\
           ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n\
           -- file: 003_add_phone.sql\n\
           ALTER TABLE users ADD COLUMN IF NOT EXISTS phone text;\n",
    fix: "Give the newer file the next free number (the message proposes a name), unless a database has already \
          run it under this number: then renumber the other one, or keep both and record why.",
    check: Check::Builtin,
};
