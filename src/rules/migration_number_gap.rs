//! A gap in sequential migration numbers (reported by the planner, `migrations::plan`).

use super::{Check, Family, Rule};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "migration-number-gap",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Convention,
    summary: "Sequential migration numbers skip one or more numbers",
    why: "In a folder numbered `001`, `002`, `003` (the SOP's Step 1: the next migration takes the next number), \
          a missing number usually means a file was lost in a merge, deleted after a database ran it, or \
          renamed by mistake. Runners do not care, but whoever reads the folder — or restores a database from \
          it — does. Timestamps and dates are not checked: their gaps are normal.",
    setup: "",
    bad: "-- file: 001_create_users.sql\n\
          CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
          -- file: 003_add_email.sql\n\
          ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n",
    good: "-- file: 001_create_users.sql\n\
           CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
           -- file: 002_add_email.sql\n\
           ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n",
    fix: "Add the missing migration back, or renumber the later file if no database has run it yet. When the gap \
          is intended, silence the rule in the project file (`migration-number-gap = \"off\"`).",
    check: Check::Builtin,
};
