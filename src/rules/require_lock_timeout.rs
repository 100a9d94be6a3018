//! A statement that queues for a lock that blocks traffic, in a file that set no `lock_timeout`. The
//! timeout bookkeeping is shared with require-statement-timeout and require-timeout-settings.

use super::table_ops::{Tok, tokens};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::analysis::Runner;
use crate::catalog::model::Catalog;
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;
use crate::locks::{self, LockInfo, LockMode, RelationKind};
use crate::span::Span;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "require-lock-timeout",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "A statement that locks an existing table, with no SET lock_timeout earlier in the file",
    why: "DDL on a table in use first waits for its lock, behind every transaction that touches the table. While it \
          waits, every later query on the table queues behind it — a migration stuck behind one long report \
          stops the application. `SET lock_timeout = '1s'` at the top of the migration makes it give up instead \
          (retry it later). The rule reports the first statement of a file that takes a lock blocking reads or \
          writes (SHARE and stronger: most ALTER TABLE forms, CREATE INDEX, DROP INDEX, CREATE TRIGGER, foreign \
          keys, ALTER DOMAIN … ADD CHECK, views replaced or altered, ALTER SEQUENCE, rules, VACUUM FULL, CLUSTER, \
          REINDEX, LOCK…, also inside a DO block) on a relation that existed before the file, as \
          `check --explain-locks` lists them; relations the file creates are not in use. It follows the file: `SET lock_timeout = 0` or `DEFAULT` and `RESET` undo it, \
          and `SET LOCAL` outside a transaction does nothing. `-- squawk-ignore require-timeout-settings` \
          silences it too, as in squawk.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, status text);",
    bad: "ALTER TABLE orders ADD COLUMN shipped_at timestamptz;",
    good: "SET lock_timeout = '1s';\n\
           SET statement_timeout = '5s';\n\
           ALTER TABLE orders ADD COLUMN shipped_at timestamptz;\n",
    fix: "Start the migration with `SET lock_timeout = '1s';` (a few seconds at most), and retry the migration when \
          it times out.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(lock) = first_unguarded(cx, Setting::LockTimeout) else { return };
    if alias_ignored(cx) {
        return;
    }
    out.push(
        Finding::new(format!(
            "{} waits for {} {} lock on {} with no lock_timeout set in this file: while it waits behind a long \
             transaction, {} queue behind it",
            statement_kind(cx),
            article(lock.mode),
            lock.mode.name(),
            lock.relation,
            lock.traffic
        ))
        .help("Set lock_timeout before it, e.g. SET lock_timeout = '1s', and retry the migration when it times out.")
        .fix("Set a lock timeout", start_of(cx), "SET lock_timeout = '1s';\n"),
    );
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Setting {
    LockTimeout,
    StatementTimeout,
}

impl Setting {
    fn name(self) -> &'static str {
        match self {
            Setting::LockTimeout => "lock_timeout",
            Setting::StatementTimeout => "statement_timeout",
        }
    }
}

/// A lock a statement takes that makes other sessions' reads or writes wait.
#[derive(Clone, Debug)]
pub(super) struct Blocking {
    pub mode: LockMode,
    /// The relation locked, as messages name it: `orders`, `index orders_status_idx`.
    pub relation: String,
    /// What queues behind it: `reads and writes on orders`.
    pub traffic: String,
}

/// The strongest lock `parsed` takes, on `before`, that blocks reads or writes of a relation that existed
/// when the file started (`start`): the lock analysis of `check --explain-locks` (`locks::analyze`).
pub(super) fn blocking_lock(
    parsed: &Parsed,
    text: &str,
    before: &Catalog,
    start: &Catalog,
    pg_version: u32,
    do_steps: Option<&[(sqlparser::ast::Statement, Catalog)]>,
) -> Option<Blocking> {
    let nowait = match parsed {
        Parsed::Statement(s, _) => matches!(&**s, sqlparser::ast::Statement::Lock(l) if l.nowait),
        Parsed::NoEffect { what } => what == "LOCK" && tokens(text).iter().any(|t| t.is("NOWAIT")),
        _ => false,
    };
    if nowait {
        // LOCK … NOWAIT fails at once rather than queue.
        return None;
    }
    let mut found = locks::explain_with(parsed, text, before, pg_version, do_steps).locks;
    locks::mark_new(&mut found, start);
    let blocking: Vec<&LockInfo> =
        found.iter().filter(|l| l.blocks_anyone() && (l.blocks_reads || l.blocks_writes)).collect();
    // The strongest mode; the first relation the statement names among equals.
    let best = blocking.iter().copied().rev().max_by_key(|l| l.mode)?;
    let name = relation_name(&best.relation);
    let relation = match best.kind {
        RelationKind::Table | RelationKind::PartitionedTable => name.clone(),
        kind => format!("{} {name}", kind.name()),
    };
    let mut traffic = match best.kind {
        RelationKind::Index => {
            let table = before.indexes.get(&best.relation).map_or(name, |i| relation_name(&i.table));
            format!("{} on {table}", best.mode.blocks())
        }
        RelationKind::Sequence => format!("nextval() on {name}, and the inserts that call it,"),
        _ => format!("{} on {name}", best.mode.blocks()),
    };
    if let Some(others) = blocking.len().checked_sub(1).filter(|n| *n > 0) {
        let s = if others == 1 { "" } else { "s" };
        traffic = format!("{traffic} (and on {others} other relation{s})");
    }
    Some(Blocking { mode: best.mode, relation, traffic })
}

/// What the timeout rules know of a file's earlier statements for one setting, read once each (the
/// statements only grow): how many were read, the setting's state after them, and whether one of them
/// took a blocking lock while the setting was off (it was reported, and every later statement is not).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TimeoutScan {
    read: usize,
    set: bool,
    set_locally: bool,
    explicit: bool,
    reported: bool,
}

/// When this statement is the first one of its file that takes a lock blocking traffic on a relation in use
/// while `setting` is not in force: that lock.
pub(super) fn first_unguarded(cx: &StatementCx<'_>, setting: Setting) -> Option<Blocking> {
    let pg = cx.settings.pg_version;
    let runner_transaction = cx.file.runner == Runner::Transaction;
    let mut scans = cx.file.timeout_scans.get();
    let scan = &mut scans[setting as usize];
    let unread = cx.file.earlier.get(scan.read..).unwrap_or_default();
    for e in unread {
        if scan.reported {
            break;
        }
        scan.read += 1;
        if e.span.file != cx.span.file {
            continue;
        }
        let text = cx.text_of(e.span);
        // SET, RESET, BEGIN, COMMIT … are the only statements that change the state: read only their words.
        let toks = if matches!(&*e.parsed, Parsed::NoEffect { .. }) { tokens(text) } else { Vec::new() };
        match change(&toks, setting) {
            // SET LOCAL outside a transaction block only warns.
            Some(Change::Set { on, local }) if !local || runner_transaction || scan.explicit => {
                scan.set = on;
                scan.set_locally = local;
            }
            Some(Change::Set { .. }) => {}
            Some(Change::Reset) => scan.set = false,
            None => {}
        }
        match toks.first() {
            Some(t) if t.is("BEGIN") || t.is("START") => scan.explicit = true,
            Some(t) if t.is("COMMIT") || t.is("END") || t.is("ABORT") => {
                scan.explicit = false;
                if scan.set_locally && !runner_transaction {
                    scan.set = false;
                }
            }
            Some(t) if t.is("ROLLBACK") && !toks.get(1).is_some_and(|n| n.is("TO")) => {
                scan.explicit = false;
                if scan.set_locally && !runner_transaction {
                    scan.set = false;
                }
            }
            _ => {}
        }
        let blocks = || {
            *e.blocks_at_start
                .get_or_init(|| blocking_lock(&e.parsed, text, &cx.file.start, &cx.file.start, pg, None).is_some())
        };
        // Reported there already.
        if !scan.set && blocks() {
            scan.reported = true;
        }
    }
    let (reported, set) = (scan.reported, scan.set);
    cx.file.timeout_scans.set(scans);
    if reported || set {
        return None;
    }
    // Only now this statement's own locks: most statements follow one reported already. Read once for the
    // three timeout rules.
    cx.memo
        .blocking
        .get_or_init(|| blocking_lock(cx.parsed, cx.text, cx.before, &cx.file.start, pg, cx.do_steps()))
        .clone()
}

enum Change {
    Set { on: bool, local: bool },
    Reset,
}

/// What a statement does to `setting`: `SET [SESSION | LOCAL] setting {TO | =} value` (0 and DEFAULT
/// turn it off), `RESET setting`, `RESET ALL`.
fn change(toks: &[Tok], setting: Setting) -> Option<Change> {
    let first = toks.first()?;
    let name = setting.name().to_ascii_uppercase();
    if first.is("RESET") {
        let target = toks.get(1)?;
        return (target.is(&name) || target.is("ALL")).then_some(Change::Reset);
    }
    if !first.is("SET") {
        return None;
    }
    let (local, k) = match toks.get(1) {
        Some(t) if t.is("LOCAL") => (true, 2),
        Some(t) if t.is("SESSION") => (false, 2),
        _ => (false, 1),
    };
    if !toks.get(k)?.is(&name) {
        return None;
    }
    let value = toks.get(k + 2)?;
    let on = match value {
        Tok::Word(w) => w != "DEFAULT",
        Tok::Num(n) | Tok::Str(n) => !is_zero(n),
        _ => true,
    };
    Some(Change::Set { on, local })
}

/// `0`, `'0'`, `'0s'`, `'0ms'`, `' 0 min'`: no timeout.
fn is_zero(value: &str) -> bool {
    let digits: String = value.trim().chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    !digits.is_empty() && digits.chars().all(|c| c == '0' || c == '.')
}

/// Whether squawk's alias `require-timeout-settings` is ignored on this statement or file.
pub(super) fn alias_ignored(cx: &StatementCx<'_>) -> bool {
    !super::suppress::Ignores::read(cx.file.text)
        .uses(cx.file.text, "require-timeout-settings", cx.span.start as usize)
        .is_empty()
}

/// An empty span where the statement starts, to insert a SET before it.
pub(super) fn start_of(cx: &StatementCx<'_>) -> Span {
    Span::new(cx.span.file, cx.span.start as usize, cx.span.start as usize)
}

pub(super) fn article(lock: LockMode) -> &'static str {
    if lock == LockMode::AccessExclusive || lock == LockMode::Exclusive { "an" } else { "a" }
}

/// `ALTER TABLE`, `CREATE INDEX`, `VACUUM`, … for messages.
pub(super) fn statement_kind(cx: &StatementCx<'_>) -> String {
    match cx.parsed {
        Parsed::Statement(..) => crate::simulate::statement_kind_of_text(cx.text),
        Parsed::AlterTableParts { .. } => "ALTER TABLE".into(),
        Parsed::NoEffect { what } => {
            let toks = tokens(cx.text);
            if what == "VACUUM" && toks.iter().any(|t| t.is("FULL")) { "VACUUM FULL".into() } else { what.clone() }
        }
        Parsed::Do { .. } => "DO block".into(),
        _ => "the statement".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    fn count(sql: &str) -> usize {
        findings(&RULE, sql).len()
    }

    #[test]
    fn once_per_file_at_the_first_statement() {
        let sql = "ALTER TABLE orders ADD COLUMN a text;\nALTER TABLE orders ADD COLUMN b text;";
        assert_eq!(count(sql), 1);
    }

    #[test]
    fn new_tables_and_harmless_locks_are_fine() {
        assert_eq!(count("CREATE TABLE t (id bigint);\nALTER TABLE t ADD COLUMN a text;"), 0);
        assert_eq!(count("-- no-transaction\nCREATE INDEX CONCURRENTLY i ON orders (status);"), 0);
        assert_eq!(count("COMMENT ON TABLE orders IS 'orders';\nSELECT 1;"), 0);
    }

    #[test]
    fn zero_reset_and_local_outside_a_transaction_do_not_count() {
        assert_eq!(count("SET lock_timeout = 0;\nALTER TABLE orders ADD COLUMN a text;"), 1);
        assert_eq!(count("SET lock_timeout = '1s';\nRESET lock_timeout;\nALTER TABLE orders ADD COLUMN a text;"), 1);
        assert_eq!(
            count("-- no-transaction\nSET LOCAL lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN a text;"),
            1
        );
        assert_eq!(count("SET LOCAL lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN a text;"), 0);
        assert_eq!(count("SET SESSION lock_timeout TO '2s';\nDROP TABLE orders;"), 0);
    }

    #[test]
    fn a_foreign_key_from_a_new_table_locks_the_referenced_one() {
        let sql = "CREATE TABLE refunds (id bigint, order_id bigint REFERENCES orders (id));";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("SHARE ROW EXCLUSIVE lock on orders"), "{}", found[0].message);
    }

    #[test]
    fn squawk_s_alias_silences_it() {
        let sql = "-- squawk-ignore require-timeout-settings\nALTER TABLE orders ADD COLUMN a text;";
        assert_eq!(count(sql), 0);
    }

    /// The messages `require-lock-timeout` gives on `sql`, after a setup with a table of each kind.
    fn messages(sql: &str) -> Vec<String> {
        let setup = "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n\
                     CREATE DOMAIN positive AS integer;\n\
                     CREATE TABLE payments (id bigint, amount positive);\n\
                     CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\n\
                     CREATE TABLE events_other PARTITION OF events DEFAULT;\n\
                     CREATE TABLE events_2026 (id bigint, at date);\n\
                     CREATE VIEW open_orders AS SELECT id FROM orders WHERE status = 'open';\n\
                     CREATE SEQUENCE invoice_numbers;\n\
                     CREATE INDEX orders_status ON orders (status);\n";
        let files = crate::rules::tests::example_files(setup, sql);
        let options =
            crate::analysis::Options { rules: crate::rules::config::RuleConfig::only(RULE.id), ..Default::default() };
        let analysis = crate::analysis::analyze(files, &options);
        analysis
            .diagnostics
            .into_iter()
            .filter(|d| d.rule == RULE.id && d.span.file != 0)
            .map(|d| String::from(d.message))
            .collect()
    }

    #[test]
    fn every_relation_kind_the_lock_analysis_knows() {
        let cases = [
            ("ALTER DOMAIN positive ADD CHECK (VALUE > 0);", "SHARE lock on payments"),
            (
                "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
                "ACCESS EXCLUSIVE lock on events_2026",
            ),
            ("CREATE OR REPLACE VIEW open_orders AS SELECT id FROM orders WHERE status = 'open';", "view open_orders"),
            ("ALTER VIEW open_orders RENAME TO orders_open;", "view open_orders"),
            ("ALTER SEQUENCE invoice_numbers RESTART WITH 1000;", "nextval() on invoice_numbers"),
            ("DROP SEQUENCE invoice_numbers;", "sequence invoice_numbers"),
            ("ALTER INDEX orders_status SET TABLESPACE pg_default;", "index orders_status"),
            ("CREATE RULE no_delete AS ON DELETE TO orders DO INSTEAD NOTHING;", "lock on orders"),
            ("DROP VIEW open_orders CASCADE;", "view open_orders"),
            (
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'orders' \
                 AND column_name = 'note') THEN ALTER TABLE orders ADD COLUMN note text; END IF; END $$;",
                "DO block waits for an ACCESS EXCLUSIVE lock on orders",
            ),
        ];
        for (sql, expected) in cases {
            let found = messages(sql);
            assert!(
                found.len() == 1 && found[0].contains(expected),
                "{sql}\nexpected one finding with {expected:?}: {found:?}"
            );
        }
    }

    #[test]
    fn locks_that_let_reads_and_writes_go_on_are_fine() {
        for sql in [
            "ALTER TABLE orders SET (fillfactor = 70);",
            "ALTER TABLE orders VALIDATE CONSTRAINT orders_pkey;",
            "ALTER INDEX orders_status SET (fillfactor = 80);",
            "CREATE INDEX CONCURRENTLY orders_id_status ON orders (id, status);",
            "LOCK TABLE orders IN ACCESS EXCLUSIVE MODE NOWAIT;",
            // The DO block's condition is false: its ALTER TABLE does not run.
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'orders' \
             AND column_name = 'note') THEN ALTER TABLE orders DROP COLUMN note; END IF; END $$;",
        ] {
            assert_eq!(messages(&format!("-- no-transaction\n{sql}")), Vec::<String>::new(), "{sql}");
        }
    }

    #[test]
    fn values() {
        assert!(is_zero("0") && is_zero("0s") && is_zero("0.0") && !is_zero("10ms") && !is_zero("abc"));
    }
}
