//! `ALTER SYSTEM`: server configuration changed from a migration.

use super::sql_text::{self, folder_statements};
use super::{Check, Family, Finding, FolderCx, Rule};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-alter-system-options",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER SYSTEM changes the configuration of the whole server from a migration",
    why: "ALTER SYSTEM writes postgresql.auto.conf: the setting applies to every database and every client \
          of the server once it is reloaded (or restarted), outlives the application that asked for it, and \
          is invisible in the usual configuration management. It also cannot run inside a transaction \
          block, so a migration runner that wraps each file in a transaction fails on it. The statement is \
          read from its text, whether or not the simulator parses it.",
    setup: "",
    bad: "ALTER SYSTEM SET work_mem = '64MB';",
    good: "ALTER ROLE CURRENT_USER SET work_mem = '64MB';",
    fix: "Set server parameters where the server is configured (configuration management, the provider's \
          parameter group), or scope them to a database or role.",
    check: Check::Folder(check),
};

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    for stmt in folder_statements(cx, |text| sql_text::starts_with_words(text, &["ALTER", "SYSTEM"])) {
        let toks = sql_text::tokens(stmt.text);
        if !sql_text::starts_with(&toks, &["ALTER", "SYSTEM"]) {
            continue;
        }
        let (Some(first), Some(last)) = (toks.get(2), toks.get(sql_text::end(&toks).saturating_sub(1))) else {
            continue;
        };
        let what = stmt.text.get(first.start..last.end).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
        let mut message = format!("ALTER SYSTEM {what} changes the configuration of every database on the server");
        if stmt.in_transaction {
            message.push_str(
                "; it cannot run inside a transaction block, so this migration fails as the runner wraps it in one",
            );
        }
        out.push(
            Finding::new(message)
                .help("Configure the server outside the migrations, or scope the setting with ALTER DATABASE or ALTER ROLE.")
                .at(stmt.sub_span(0, last.end)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn set_and_reset_in_and_out_of_transactions() {
        let found = findings(&RULE, "ALTER SYSTEM RESET ALL;");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("transaction block"), "{}", found[0].message);
        let found = findings(&RULE, "-- no-transaction\nALTER SYSTEM SET work_mem = '1MB';");
        assert_eq!(found.len(), 1);
        assert!(!found[0].message.contains("transaction block"), "{}", found[0].message);
        assert!(findings(&RULE, "ALTER DATABASE app SET work_mem = '1MB';").is_empty());
    }
}
