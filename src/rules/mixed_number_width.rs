//! Migration numbers of different widths in one folder (reported by the planner, `migrations::plan`).

use super::{Check, Family, Rule};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "mixed-number-width",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Convention,
    summary: "Migration numbers of different widths: tools that sort names put them out of order",
    why: "Runners order by the number, but `ls`, editors, code review and some tools sort file names as text: \
          `10_x.sql` sorts before `9_x.sql`, and `0010_x.sql` before `002_x.sql`. A folder that pads numbers to \
          three digits (the SOP's `001_…`) should pad all of them. A small number among timestamps runs before \
          all of them, and a timestamp among small numbers runs after all of them — both are usually a file \
          created by another tool's default.",
    setup: "",
    bad: "-- file: 001_create_users.sql\n\
          CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
          -- file: 002_add_email.sql\n\
          ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n\
          -- file: 3_add_phone.sql\n\
          ALTER TABLE users ADD COLUMN IF NOT EXISTS phone text;\n",
    good: "-- file: 001_create_users.sql\n\
           CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY);\n\
           -- file: 002_add_email.sql\n\
           ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n\
           -- file: 003_add_phone.sql\n\
           ALTER TABLE users ADD COLUMN IF NOT EXISTS phone text;\n",
    fix: "Rename the file with the folder's width (the message proposes the name); `schema-playground new` names \
          new migrations that way.",
    check: Check::Builtin,
};
