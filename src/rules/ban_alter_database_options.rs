//! `ALTER DATABASE` options and settings.

use super::sql_text;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-alter-database-options",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER DATABASE changes the database's options or the settings its sessions start with",
    why: "ALTER DATABASE … SET changes the defaults every new session in the database starts with \
          (search_path, timezone, statement_timeout…), for every client at once, including the ones that \
          never heard of the migration; options such as CONNECTION LIMIT, ALLOW_CONNECTIONS and IS_TEMPLATE \
          decide whether clients can connect at all. RENAME, OWNER TO (ban-revoke), SET TABLESPACE and \
          REFRESH COLLATION VERSION are other matters and are not reported.",
    setup: "",
    bad: "ALTER DATABASE shop SET timezone = 'UTC';",
    good: "ALTER ROLE CURRENT_USER SET timezone = 'UTC';",
    fix: "Configure the database where it is provisioned, or set the parameter per role or per session in \
          the clients that need it.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if !sql_text::starts_with_words(cx.text, &["ALTER", "DATABASE"]) {
        return;
    }
    let toks = cx.tokens();
    if !sql_text::starts_with(toks, &["ALTER", "DATABASE"]) {
        return;
    }
    let Some(database) = toks.get(2).and_then(|t| t.ident()) else { return };
    let k = 3;
    let Some(action) = toks.get(k) else { return };
    let other = action.is("RENAME")
        || action.is("OWNER")
        || action.is("REFRESH")
        || (action.is("SET") && toks.get(k + 1).is_some_and(|t| t.is("TABLESPACE")));
    if other {
        return;
    }
    let end = sql_text::end(toks);
    let at = sql_text::span(cx, toks, k, end.saturating_sub(1).max(k));
    let written = cx.text_of(at).split_whitespace().collect::<Vec<_>>().join(" ");
    let message = if action.is("SET") || action.is("RESET") {
        format!(
            "ALTER DATABASE {database} {written} changes the settings every new session in the database starts with"
        )
    } else {
        format!("ALTER DATABASE {database} {written} changes who can connect to the database and how")
    };
    out.push(Finding::new(message).help("Configure the database outside the schema migrations.").at(at));
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(findings(&RULE, "ALTER DATABASE shop CONNECTION LIMIT 10;").len(), 1);
        assert_eq!(findings(&RULE, "ALTER DATABASE shop WITH ALLOW_CONNECTIONS false;").len(), 1);
        assert_eq!(findings(&RULE, "ALTER DATABASE shop RESET ALL;").len(), 1);
        assert!(findings(&RULE, "ALTER DATABASE shop RENAME TO store;").is_empty());
        assert!(findings(&RULE, "ALTER DATABASE shop OWNER TO app;").is_empty());
        assert!(findings(&RULE, "ALTER DATABASE shop SET TABLESPACE fast;").is_empty());
    }
}
