//! `.sql` files in the migrations folder that the runner does not run (reported by the planner,
//! `migrations::plan`).

use super::{Check, Family, Rule};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "not-a-migration",
    severity: Severity::Info,
    default_on: true,
    family: Family::Convention,
    summary: "A .sql file in the migrations folder that the runner does not run",
    why: "A `.sql` file whose name has no migration number (`schema_dump.sql`, `VERIFY_NOTIFY.sql`), a number \
          without a description, or a Flyway repeatable `R__` file is not run as a migration, so the simulation \
          leaves it out too. That is often intended (verification scripts, dumps), and sometimes a migration \
          that silently never ran because of a typo in its name. Files that are not `.sql` are not reported. A \
          file named as the project's prelude is not reported either.",
    setup: "",
    bad: "-- file: 001_create_users.sql\n\
          CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
          -- file: add_email.sql\n\
          ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n",
    good: "-- file: 001_create_users.sql\n\
           CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
           -- file: 002_add_email.sql\n\
           ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n",
    fix: "Give a migration its number (the message proposes a name); move scripts that are not migrations out \
          of the folder, or set this rule to `off` in the project file when the folder keeps them on purpose.",
    check: Check::Builtin,
};
