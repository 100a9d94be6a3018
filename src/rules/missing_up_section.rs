//! A goose or dbmate file with a down marker but no up marker (reported by the planner,
//! `migrations::plan`).

use super::{Check, Family, Rule};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "missing-up-section",
    severity: Severity::Error,
    default_on: true,
    family: Family::Convention,
    summary: "A goose or dbmate migration has a down section but no up section",
    why: "goose and dbmate run only the SQL after `-- +goose Up` or `-- migrate:up`. A file with a down marker \
          and no up marker has nothing to apply: goose refuses it and stops the whole run, dbmate fails on it. \
          The simulation applies nothing for it, so every later migration that relies on it fails too.",
    setup: "",
    bad: "-- file: 001_create_users.sql\n\
          -- +goose Up\n\
          CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
          -- +goose Down\n\
          DROP TABLE IF EXISTS users;\n\
          -- file: 002_add_email.sql\n\
          ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n\
          -- +goose Down\n\
          ALTER TABLE users DROP COLUMN IF EXISTS email;\n",
    good: "-- file: 001_create_users.sql\n\
           -- +goose Up\n\
           CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
           -- +goose Down\n\
           DROP TABLE IF EXISTS users;\n\
           -- file: 002_add_email.sql\n\
           -- +goose Up\n\
           ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n\
           -- +goose Down\n\
           ALTER TABLE users DROP COLUMN IF EXISTS email;\n",
    fix: "Add the up marker (`-- +goose Up` or `-- migrate:up`) above the SQL that applies the migration.",
    check: Check::Builtin,
};
