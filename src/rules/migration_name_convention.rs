//! Migration file names the folder's runner would not pick up, or that break the naming convention
//! (reported by the planner, `migrations::plan`).

use super::{Check, Family, Rule};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "migration-name-convention",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Convention,
    summary: "A migration file name that breaks the folder's naming convention",
    why: "The SOP names migrations `{number}_{descriptive_name}.sql` in lower case, and every runner picks up \
          files by a pattern. The planner detects the folder's scheme (`NNN_name.sql`, golang-migrate, Flyway, \
          timestamps, goose, dbmate, …) and reports file names that do not fit it: upper-case letters or spaces \
          (they clash on case-insensitive file systems and break unquoted shell commands), an upper-case \
          `.SQL` extension (not run), a file named in another scheme's style or with another tool's markers \
          (not run), a goose or dbmate file without its up marker (not run), and a `-- +goose Down` section in \
          a folder whose runner runs whole files (the rollback SQL runs right after the forward SQL).",
    setup: "",
    bad: "-- file: 001_create_users.sql\n\
          CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
          -- file: 002_Add Email.sql\n\
          ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n",
    good: "-- file: 001_create_users.sql\n\
           CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
           -- file: 002_add_email.sql\n\
           ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n",
    fix: "Rename the file as the message proposes (lower case, `_` between words, `.sql`), or fix its markers; \
          move files that are not migrations out of the folder.",
    check: Check::Builtin,
};
