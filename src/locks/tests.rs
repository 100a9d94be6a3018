//! Lock analysis, statement family by statement family, with the version differences. The answers for
//! PostgreSQL 15 are also checked against a real server by `tests/locks_live.rs`.

use super::*;
use crate::analysis::{Options, SourceFile, analyze as analyze_folder};

const SETUP: &str = "
CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(100), name text);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint REFERENCES customers (id),
    code varchar(20),
    note text,
    amount numeric(10,2),
    qty int,
    CONSTRAINT qty_present CHECK (qty IS NOT NULL)
);
CREATE INDEX orders_code ON orders (code);
ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE DOMAIN label AS text;
CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_old (id int, at date);
CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
CREATE SEQUENCE invoice_no;
";

fn catalog() -> Catalog {
    let analysis = analyze_folder(vec![SourceFile::new("001_setup.sql", SETUP)], &Options::default());
    let errors: Vec<_> = analysis.diagnostics.iter().filter(|d| d.severity == crate::Severity::Error).collect();
    assert!(errors.is_empty(), "setup: {errors:?}");
    analysis.catalog
}

fn explain_on(stmt: &str, pg: u32) -> StatementLocks {
    let parsed = parse::parse(stmt, 0, stmt.len()).unwrap_or_else(|e| panic!("{stmt}: {e:?}"));
    explain(&parsed, stmt, &catalog(), pg)
}

fn run(stmt: &str) -> StatementLocks {
    explain_on(stmt, 15)
}

fn on<'a>(l: &'a StatementLocks, table: &str) -> &'a LockInfo {
    l.locks.iter().find(|i| i.relation.name == table).unwrap_or_else(|| panic!("no lock on {table}: {:#?}", l.locks))
}

fn mode_work(stmt: &str, table: &str) -> (LockMode, Work) {
    let l = run(stmt);
    let i = on(&l, table);
    (i.mode, i.work)
}

use LockMode::*;

#[test]
fn conflict_table_is_symmetric_and_matches_the_documentation() {
    for a in LockMode::ALL {
        for b in LockMode::ALL {
            assert_eq!(a.conflicts_with(b), b.conflicts_with(a), "{a} / {b}");
        }
    }
    // Self-conflicting modes are SHARE UPDATE EXCLUSIVE and the stronger ones, except SHARE.
    let selfish: Vec<LockMode> = LockMode::ALL.into_iter().filter(|m| m.conflicts_with(*m)).collect();
    assert_eq!(selfish, vec![ShareUpdateExclusive, ShareRowExclusive, Exclusive, AccessExclusive]);
    assert!(AccessExclusive.blocks_reads() && AccessExclusive.blocks_writes());
    assert!(!Exclusive.blocks_reads() && Exclusive.blocks_writes());
    assert!(!Share.blocks_reads() && Share.blocks_writes());
    assert!(!ShareUpdateExclusive.blocks_reads() && !ShareUpdateExclusive.blocks_writes());
    assert!(!RowExclusive.blocks_writes());
    assert_eq!(LockMode::parse("AccessExclusiveLock"), Some(AccessExclusive));
    assert_eq!(LockMode::parse("share row exclusive"), Some(ShareRowExclusive));
    assert_eq!(serde_json::to_string(&ShareUpdateExclusive).unwrap(), "\"SHARE UPDATE EXCLUSIVE\"");
}

#[test]
fn add_column() {
    let plain = run("ALTER TABLE orders ADD COLUMN tag text");
    let o = on(&plain, "orders");
    assert_eq!((o.mode, o.work), (AccessExclusive, Work::CatalogOnly));
    assert!(o.blocks_reads && o.blocks_writes);
    assert_eq!(mode_work("ALTER TABLE orders ADD COLUMN n int NOT NULL DEFAULT 0", "orders").1, Work::CatalogOnly);
    assert_eq!(mode_work("ALTER TABLE orders ADD COLUMN at timestamptz DEFAULT now()", "orders").1, Work::CatalogOnly);
    for volatile in [
        "ALTER TABLE orders ADD COLUMN r float8 DEFAULT random()",
        "ALTER TABLE orders ADD COLUMN u uuid DEFAULT gen_random_uuid()",
        "ALTER TABLE orders ADD COLUMN at timestamptz DEFAULT clock_timestamp()",
        "ALTER TABLE orders ADD COLUMN s serial",
        "ALTER TABLE orders ADD COLUMN i int GENERATED ALWAYS AS IDENTITY",
        "ALTER TABLE orders ADD COLUMN g int GENERATED ALWAYS AS (qty * 2) STORED",
        "ALTER TABLE orders ADD COLUMN p positive",
    ] {
        assert_eq!(mode_work(volatile, "orders"), (AccessExclusive, Work::Rewrite), "{volatile}");
    }
    // A domain without constraints is as cheap as its base type.
    assert_eq!(mode_work("ALTER TABLE orders ADD COLUMN l label", "orders").1, Work::CatalogOnly);
    assert_eq!(mode_work("ALTER TABLE orders ADD COLUMN c int CHECK (c > 0)", "orders").1, Work::Scan);
    assert_eq!(mode_work("ALTER TABLE orders ADD COLUMN c int UNIQUE", "orders").1, Work::Scan);
}

#[test]
fn add_column_with_a_default_rewrote_before_11() {
    let stmt = "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new'";
    let new = explain_on(stmt, 11);
    assert_eq!(on(&new, "orders").work, Work::CatalogOnly);
    assert_eq!(on(&new, "orders").changed_in, Some(11));
    let old = explain_on(stmt, 10);
    assert_eq!(on(&old, "orders").work, Work::Rewrite);
    // DEFAULT NULL is no default at all.
    assert_eq!(
        on(&explain_on("ALTER TABLE orders ADD COLUMN x int DEFAULT NULL", 10), "orders").work,
        Work::CatalogOnly
    );
}

#[test]
fn add_column_references_locks_the_referenced_table() {
    let l = run("ALTER TABLE orders ADD COLUMN buyer bigint REFERENCES customers (id)");
    assert_eq!(on(&l, "orders").mode, AccessExclusive);
    assert_eq!(on(&l, "orders").work, Work::CatalogOnly, "all NULL: PostgreSQL skips the validation");
    assert_eq!(on(&l, "customers").mode, ShareRowExclusive);
    let l = run("ALTER TABLE orders ADD COLUMN buyer bigint DEFAULT 1 REFERENCES customers (id)");
    assert_eq!(on(&l, "orders").work, Work::Scan);
}

#[test]
fn set_not_null_skips_the_scan_since_12_when_a_check_proves_it() {
    let stmt = "ALTER TABLE orders ALTER COLUMN qty SET NOT NULL";
    let v12 = explain_on(stmt, 12);
    assert_eq!((on(&v12, "orders").mode, on(&v12, "orders").work), (AccessExclusive, Work::CatalogOnly));
    assert_eq!(on(&v12, "orders").changed_in, Some(12));
    assert_eq!(on(&explain_on(stmt, 11), "orders").work, Work::Scan);
    // No proving constraint: a scan on every version.
    assert_eq!(mode_work("ALTER TABLE orders ALTER COLUMN note SET NOT NULL", "orders"), (AccessExclusive, Work::Scan));
    // Already NOT NULL: nothing to check.
    assert_eq!(mode_work("ALTER TABLE orders ALTER COLUMN id SET NOT NULL", "orders").1, Work::CatalogOnly);
}

#[test]
fn check_proof_reads_printed_constraints() {
    assert_eq!(split_and("(a IS NOT NULL) AND (b > 0)"), vec!["(a IS NOT NULL)", "(b > 0)"]);
    assert_eq!(split_and("a = 'x AND y'"), vec!["a = 'x AND y'"]);
    assert_eq!(strip_parens("((a IS NOT NULL))"), "a IS NOT NULL");
    assert_eq!(strip_parens("(a) AND (b)"), "(a) AND (b)");
}

#[test]
fn alter_column_type() {
    let cases = [
        ("ALTER TABLE orders ALTER COLUMN code TYPE varchar(40)", Work::CatalogOnly),
        ("ALTER TABLE orders ALTER COLUMN code TYPE varchar", Work::CatalogOnly),
        ("ALTER TABLE orders ALTER COLUMN code TYPE text", Work::CatalogOnly),
        ("ALTER TABLE orders ALTER COLUMN note TYPE varchar", Work::CatalogOnly),
        ("ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12,2)", Work::CatalogOnly),
        ("ALTER TABLE orders ALTER COLUMN amount TYPE numeric", Work::CatalogOnly),
        ("ALTER TABLE orders ALTER COLUMN code TYPE varchar(10)", Work::Rewrite),
        ("ALTER TABLE orders ALTER COLUMN note TYPE varchar(10)", Work::Rewrite),
        ("ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12,3)", Work::Rewrite),
        ("ALTER TABLE orders ALTER COLUMN qty TYPE bigint", Work::Rewrite),
        ("ALTER TABLE orders ALTER COLUMN code TYPE char(20)", Work::Rewrite),
        ("ALTER TABLE orders ALTER COLUMN qty TYPE positive", Work::Rewrite),
        ("ALTER TABLE orders ALTER COLUMN code TYPE text USING code", Work::CatalogOnly),
        ("ALTER TABLE orders ALTER COLUMN code TYPE text USING lower(code)", Work::Rewrite),
        ("ALTER TABLE orders ALTER COLUMN note TYPE label", Work::CatalogOnly),
    ];
    for (stmt, work) in cases {
        assert_eq!(mode_work(stmt, "orders"), (AccessExclusive, work), "{stmt}");
    }
    // A foreign-key column: the key is rebuilt, which locks the referenced table too.
    let l = run("ALTER TABLE orders ALTER COLUMN customer_id TYPE numeric");
    assert_eq!(on(&l, "customers").mode, AccessExclusive);
    // The referenced column: the referencing table is locked.
    let l = run("ALTER TABLE customers ALTER COLUMN id TYPE numeric");
    assert_eq!(on(&l, "orders").mode, AccessExclusive);
}

/// Measured on PostgreSQL 15: a type change that keeps the rows still re-creates what depends on the column.
/// Its valid CHECKs are checked on every row (one pass for all), its indexes with an expression or a
/// predicate are built again from the table; plain indexes, NOT VALID CHECKs, CHECKs on other columns and
/// foreign keys are kept.
#[test]
fn type_change_without_rewrite_still_scans_for_checks_and_expression_indexes() {
    let setup = "
CREATE TABLE metrics (id int PRIMARY KEY, code varchar(10), other int, tag varchar(10), ip cidr);
ALTER TABLE metrics ADD CONSTRAINT code_ck CHECK (length(code) > 0);
ALTER TABLE metrics ADD CONSTRAINT other_ck CHECK (other > 0);
ALTER TABLE metrics ADD CONSTRAINT tag_ck CHECK (tag <> '') NOT VALID;
CREATE INDEX metrics_lower ON metrics (lower(code));
CREATE INDEX metrics_partial ON metrics (id) WHERE code <> 'x';
CREATE INDEX metrics_code ON metrics (code);
CREATE INDEX metrics_tag ON metrics (other, tag) INCLUDE (ip);
CREATE INDEX metrics_ip ON metrics (ip) WHERE other > 0;
";
    let analysis = analyze_folder(vec![SourceFile::new("001_setup.sql", setup)], &Options::default());
    assert!(analysis.diagnostics.iter().all(|d| d.severity != crate::Severity::Error), "{:?}", analysis.diagnostics);
    let metrics = |stmt: &str| {
        let parsed = parse::parse(stmt, 0, stmt.len()).unwrap();
        let l = explain(&parsed, stmt, &analysis.catalog, 15);
        let i = on(&l, "metrics").clone();
        assert_eq!(i.mode, AccessExclusive, "{stmt}");
        (i.work, i.reason)
    };
    for stmt in [
        "ALTER TABLE metrics ALTER COLUMN code TYPE text",
        "ALTER TABLE metrics ALTER COLUMN code TYPE varchar(20)",
        "ALTER TABLE metrics ALTER COLUMN code TYPE varchar",
        "ALTER TABLE metrics ALTER COLUMN code TYPE varchar(10)",
        "ALTER TABLE metrics ALTER COLUMN code TYPE text USING code",
    ] {
        let (work, why) = metrics(stmt);
        assert_eq!(work, Work::Scan, "{stmt}: {why}");
        assert!(why.contains("every row is read to check CHECK constraint code_ck again"), "{stmt}: {why}");
        assert!(why.contains("indexes metrics_lower, metrics_partial (an expression or predicate on code)"), "{why}");
        assert!(!why.contains("catalog"), "{why}");
    }
    // A predicate on another column still makes an index on the column a rebuilt one.
    let (work, why) = metrics("ALTER TABLE metrics ALTER COLUMN ip TYPE inet");
    assert_eq!(work, Work::Scan, "{why}");
    assert!(why.contains("index metrics_ip (an expression or predicate on ip) is built again"), "{why}");
    assert!(!why.contains("CHECK"), "{why}");
    // A NOT VALID CHECK stays unchecked; a plain index (key or INCLUDE) is kept.
    let (work, why) = metrics("ALTER TABLE metrics ALTER COLUMN tag TYPE text");
    assert_eq!(work, Work::CatalogOnly, "{why}");
    assert!(why.contains("no rewrite"), "{why}");
    // The same type: nothing converts, but the CHECK is still checked again.
    let (work, why) = metrics("ALTER TABLE metrics ALTER COLUMN other TYPE int");
    assert_eq!(work, Work::Scan, "{why}");
    assert!(
        why.contains("the type does not change, but every row is read to check CHECK constraint other_ck"),
        "{why}"
    );
    // A rewrite stays a rewrite.
    assert_eq!(metrics("ALTER TABLE metrics ALTER COLUMN code TYPE varchar(5)").0, Work::Rewrite);
    assert_eq!(metrics("ALTER TABLE metrics ALTER COLUMN other TYPE bigint").0, Work::Rewrite);
}

#[test]
fn foreign_keys_lock_both_tables_with_share_row_exclusive() {
    let l = run("ALTER TABLE orders ADD CONSTRAINT orders_buyer FOREIGN KEY (qty) REFERENCES customers (id)");
    assert_eq!((on(&l, "orders").mode, on(&l, "orders").work), (ShareRowExclusive, Work::Scan));
    assert_eq!(on(&l, "customers").mode, ShareRowExclusive);
    assert!(!on(&l, "orders").blocks_reads && on(&l, "orders").blocks_writes);
    let l = run("ALTER TABLE orders ADD CONSTRAINT orders_buyer FOREIGN KEY (qty) REFERENCES customers (id) NOT VALID");
    assert_eq!(on(&l, "orders").work, Work::CatalogOnly);
    assert_eq!(on(&l, "customers").mode, ShareRowExclusive);
    // A new table referencing an existing one locks the existing one.
    let l = run("CREATE TABLE refunds (id int, order_id bigint REFERENCES orders (id))");
    assert_eq!(on(&l, "orders").mode, ShareRowExclusive);
    assert_eq!(l.locks.len(), 1, "{:#?}", l.locks);
}

#[test]
fn constraints() {
    assert_eq!(
        mode_work("ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0)", "orders"),
        (AccessExclusive, Work::Scan)
    );
    assert_eq!(
        mode_work("ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID", "orders"),
        (AccessExclusive, Work::CatalogOnly)
    );
    assert_eq!(
        mode_work("ALTER TABLE orders VALIDATE CONSTRAINT qty_positive", "orders"),
        (ShareUpdateExclusive, Work::Scan)
    );
    assert_eq!(mode_work("ALTER TABLE orders ADD UNIQUE (code)", "orders"), (AccessExclusive, Work::Scan));
    assert_eq!(
        mode_work("ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE USING INDEX orders_code", "orders"),
        (AccessExclusive, Work::CatalogOnly)
    );
    let l = run("ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey");
    assert_eq!(on(&l, "orders").mode, AccessExclusive);
    assert_eq!(on(&l, "customers").mode, AccessExclusive);
}

#[test]
fn alter_table_takes_the_strongest_level_of_its_actions() {
    let l = run("ALTER TABLE orders ALTER COLUMN qty SET STATISTICS 500, ALTER COLUMN qty SET DEFAULT 1");
    assert_eq!(on(&l, "orders").mode, AccessExclusive);
    let l = run("ALTER TABLE orders ALTER COLUMN qty SET STATISTICS 500");
    assert_eq!(on(&l, "orders").mode, ShareUpdateExclusive);
    assert_eq!(mode_work("ALTER TABLE orders SET (fillfactor = 70)", "orders").0, ShareUpdateExclusive);
    assert_eq!(mode_work("ALTER TABLE orders SET (autovacuum_enabled = false)", "orders").0, ShareUpdateExclusive);
    assert_eq!(mode_work("ALTER TABLE orders SET (user_catalog_table = true)", "orders").0, AccessExclusive);
    assert_eq!(mode_work("ALTER TABLE orders DISABLE TRIGGER ALL", "orders").0, ShareRowExclusive);
    assert_eq!(mode_work("ALTER TABLE orders SET UNLOGGED", "orders"), (AccessExclusive, Work::Rewrite));
    assert_eq!(mode_work("ALTER TABLE orders SET LOGGED", "orders"), (AccessExclusive, Work::CatalogOnly));
    assert_eq!(mode_work("ALTER TABLE orders RENAME TO purchases", "orders").0, AccessExclusive);
    assert_eq!(mode_work("ALTER TABLE orders CLUSTER ON orders_code", "orders").0, ShareUpdateExclusive);
}

#[test]
fn partitions() {
    let stmt = "ALTER TABLE events ATTACH PARTITION events_old FOR VALUES FROM ('2000-01-01') TO ('2024-01-01')";
    let v12 = explain_on(stmt, 12);
    assert_eq!(on(&v12, "events").mode, ShareUpdateExclusive);
    assert_eq!((on(&v12, "events_old").mode, on(&v12, "events_old").work), (AccessExclusive, Work::Scan));
    assert_eq!(on(&explain_on(stmt, 11), "events").mode, AccessExclusive);

    let detach = run("ALTER TABLE events DETACH PARTITION events_2024");
    assert_eq!(on(&detach, "events").mode, AccessExclusive);
    assert_eq!(on(&detach, "events_2024").mode, AccessExclusive);
    assert!(detach.outside_transaction.is_none());
    let stmt = "ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY";
    let v14 = explain_on(stmt, 14);
    assert_eq!(on(&v14, "events").mode, ShareUpdateExclusive);
    assert_eq!(on(&v14, "events_2024").mode, ShareUpdateExclusive);
    assert!(v14.outside_transaction.is_some());
    assert!(v14.undetermined.is_none());
    assert!(explain_on(stmt, 13).undetermined.is_some(), "a syntax error before 14");

    // ALTER TABLE recurses to partitions; the parent holds no rows.
    let l = run("ALTER TABLE events ADD CONSTRAINT id_positive CHECK (id > 0)");
    assert_eq!(on(&l, "events").work, Work::CatalogOnly);
    assert_eq!((on(&l, "events_2024").mode, on(&l, "events_2024").work), (AccessExclusive, Work::Scan));
    // A new partition locks the parent.
    let l = run("CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')");
    assert_eq!(on(&l, "events").mode, AccessExclusive);
}

#[test]
fn indexes() {
    let l = run("CREATE INDEX orders_note ON orders (note)");
    assert_eq!((on(&l, "orders").mode, on(&l, "orders").work), (Share, Work::Scan));
    assert!(!on(&l, "orders").blocks_reads && on(&l, "orders").blocks_writes);
    assert!(l.outside_transaction.is_none());
    let l = run("CREATE INDEX CONCURRENTLY orders_note ON orders (note)");
    assert_eq!(on(&l, "orders").mode, ShareUpdateExclusive);
    assert!(!on(&l, "orders").blocks_writes);
    assert!(l.outside_transaction.is_some());
    let l = run("CREATE INDEX ON events (id)");
    assert_eq!(on(&l, "events_2024").mode, Share);

    let l = run("DROP INDEX orders_code");
    assert_eq!(on(&l, "orders").mode, AccessExclusive);
    assert_eq!(on(&l, "orders_code").mode, AccessExclusive);
    let l = run("DROP INDEX CONCURRENTLY orders_code");
    assert_eq!(on(&l, "orders").mode, ShareUpdateExclusive);
    assert!(l.outside_transaction.is_some());

    let l = run("ALTER INDEX orders_code RENAME TO orders_code_idx");
    assert_eq!(on(&l, "orders_code").mode, ShareUpdateExclusive);
    assert_eq!(on(&explain_on("ALTER INDEX orders_code RENAME TO x", 11), "orders_code").mode, AccessExclusive);
    assert_eq!(on(&run("ALTER INDEX orders_code SET (fillfactor = 70)"), "orders_code").mode, ShareUpdateExclusive);
}

#[test]
fn reindex() {
    let l = run("REINDEX TABLE orders");
    assert_eq!(on(&l, "orders").mode, Share);
    assert_eq!((on(&l, "orders_code").mode, on(&l, "orders_code").work), (AccessExclusive, Work::Rewrite));
    assert_eq!(on(&l, "orders_pkey").mode, AccessExclusive);
    assert!(on(&l, "orders_code").blocks_reads);
    let l = run("REINDEX INDEX orders_code");
    assert_eq!(on(&l, "orders").mode, Share);
    assert_eq!(l.locks.len(), 2);
    let l = explain_on("REINDEX INDEX CONCURRENTLY orders_code", 12);
    assert_eq!(on(&l, "orders").mode, ShareUpdateExclusive);
    assert!(l.outside_transaction.is_some());
    assert!(l.undetermined.is_none());
    assert!(explain_on("REINDEX TABLE CONCURRENTLY orders", 11).undetermined.is_some());
}

#[test]
fn drop_and_truncate() {
    let l = run("DROP TABLE orders");
    assert_eq!(on(&l, "orders").mode, AccessExclusive);
    assert_eq!(on(&l, "customers").mode, AccessExclusive, "its foreign key's triggers on customers go");
    let l = run("DROP TABLE customers CASCADE");
    assert_eq!(on(&l, "orders").mode, AccessExclusive);
    let l = run("DROP TABLE events_2024");
    assert_eq!(on(&l, "events").mode, AccessExclusive);
    let l = run("TRUNCATE orders");
    assert_eq!((on(&l, "orders").mode, on(&l, "orders").work), (AccessExclusive, Work::Rewrite));
    let l = run("DROP VIEW big_orders");
    assert_eq!(on(&l, "big_orders").mode, AccessExclusive);
    assert!(!l.locks.iter().any(|l| l.relation.name == "orders"));
}

#[test]
fn dml_and_explicit_locks() {
    let l = run("INSERT INTO orders (id, customer_id) VALUES (1, 1)");
    assert_eq!((on(&l, "orders").mode, on(&l, "orders").work), (RowExclusive, Work::Rows));
    assert_eq!(on(&l, "customers").mode, RowShare);
    assert!(!on(&l, "orders").blocks_reads && !on(&l, "orders").blocks_writes);
    let l = run("UPDATE orders SET note = c.name FROM customers c WHERE c.id = orders.customer_id");
    assert_eq!(on(&l, "orders").mode, RowExclusive);
    assert_eq!(on(&l, "customers").mode, AccessShare);
    assert_eq!(on(&run("DELETE FROM orders WHERE id = 1"), "orders").mode, RowExclusive);
    assert_eq!(on(&run("SELECT count(*) FROM orders"), "orders").mode, AccessShare);
    assert_eq!(on(&run("LOCK TABLE orders"), "orders").mode, AccessExclusive);
    assert_eq!(on(&run("LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE NOWAIT"), "orders").mode, ShareRowExclusive);
    assert_eq!(on(&run("LOCK orders, customers IN ROW EXCLUSIVE MODE"), "customers").mode, RowExclusive);
    assert_eq!(on(&run("COPY orders (id) FROM stdin"), "orders").mode, RowExclusive);
}

#[test]
fn maintenance() {
    let l = run("VACUUM orders");
    assert_eq!(on(&l, "orders").mode, ShareUpdateExclusive);
    assert!(l.outside_transaction.is_some());
    let l = run("VACUUM (FULL, ANALYZE) orders");
    assert_eq!((on(&l, "orders").mode, on(&l, "orders").work), (AccessExclusive, Work::Rewrite));
    assert_eq!(on(&run("VACUUM FULL VERBOSE orders"), "orders").mode, AccessExclusive);
    assert_eq!(on(&run("ANALYZE orders"), "orders").mode, ShareUpdateExclusive);
    assert_eq!(on(&run("CLUSTER orders USING orders_pkey"), "orders").work, Work::Rewrite);
    assert_eq!(on(&run("COMMENT ON TABLE orders IS 'x'"), "orders").mode, ShareUpdateExclusive);
    assert_eq!(on(&run("COMMENT ON COLUMN orders.note IS 'x'"), "orders").mode, ShareUpdateExclusive);
    assert_eq!(on(&run("COMMENT ON CONSTRAINT qty_present ON orders IS 'x'"), "orders").mode, AccessShare);
    assert_eq!(on(&run("CREATE STATISTICS s ON qty, amount FROM orders"), "orders").mode, ShareUpdateExclusive);
    let l = run("ALTER SEQUENCE invoice_no RESTART WITH 100");
    assert_eq!(on(&l, "invoice_no").mode, ShareRowExclusive);
    assert_eq!(on(&l, "invoice_no").changed_in, Some(10));
}

#[test]
fn other_statements() {
    assert_eq!(
        on(&run("CREATE TRIGGER t BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION f()"), "orders").mode,
        ShareRowExclusive
    );
    assert_eq!(on(&run("CREATE POLICY p ON orders USING (true)"), "orders").mode, AccessExclusive);
    assert_eq!(on(&run("ALTER TABLE orders ENABLE ROW LEVEL SECURITY"), "orders").mode, AccessExclusive);
    let l = run("CREATE VIEW v AS SELECT * FROM orders JOIN customers ON customers.id = orders.customer_id");
    assert_eq!(on(&l, "orders").mode, AccessShare);
    assert_eq!(on(&l, "customers").work, Work::CatalogOnly);
    let l = run("CREATE OR REPLACE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 1000");
    assert_eq!(on(&l, "big_orders").mode, AccessExclusive);
    assert_eq!(on(&run("CREATE TABLE copy (LIKE orders INCLUDING ALL)"), "orders").mode, AccessShare);
    assert_eq!(
        on(&run("CREATE TABLE child (extra int) INHERITS (events_old)"), "events_old").mode,
        ShareUpdateExclusive
    );
    // Statements that touch no existing relation.
    assert!(run("CREATE TABLE fresh (id int)").locks.is_empty());
    assert!(run("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'").locks.is_empty());
    assert!(run("GRANT SELECT ON orders TO PUBLIC").locks.is_empty());
    assert!(run("ALTER TABLE IF EXISTS missing ADD COLUMN a int").locks.is_empty());
    // What cannot be known.
    assert!(run("DO $$ BEGIN EXECUTE 'ALTER TABLE orders ADD COLUMN x int'; END $$").undetermined.is_some());
}

#[test]
fn index_locks_block_reads_of_the_table() {
    let l = run("REINDEX INDEX orders_code");
    assert!(on(&l, "orders_code").blocks().contains("planner"));
}

fn folder(files: &[(&str, &str)], runner: Runner) -> (Analysis, Options) {
    let options = Options { runner, ..Options::default() };
    let files = files.iter().map(|(n, t)| SourceFile::new(*n, *t)).collect();
    (analyze_folder(files, &options), options)
}

#[test]
fn a_transaction_holds_every_lock_to_the_end_of_the_file() {
    let second = "ALTER TABLE orders ADD COLUMN note text;\nCREATE TABLE tmp (id int);\nINSERT INTO tmp VALUES (1);\nCREATE INDEX orders_note ON orders (note);\nUPDATE orders SET note = 'x';\n";
    let (a, options) = folder(
        &[("001_init.sql", "CREATE TABLE orders (id int PRIMARY KEY);\n"), ("002_note.sql", second)],
        Runner::Transaction,
    );
    let f = a.file_locks(1, &options).expect("migration 1");
    assert_eq!(f.runner, Runner::Transaction);
    assert_eq!(f.statements.len(), 5);
    let orders: Vec<&Hold> = f.holds.iter().filter(|h| h.relation.name == "orders").collect();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].mode, AccessExclusive);
    assert_eq!(orders[0].since, f.statements[0].span);
    assert_eq!(orders[0].until, Until::EndOfFile { offset: second.trim_end().len() as u32 });
    let tmp = f.holds.iter().find(|h| h.relation.name == "tmp").expect("tmp");
    assert!(tmp.new_in_file);
    assert!(f.statements[2].locks.locks.iter().all(|l| l.new_in_file && !l.blocks_anyone()));
    // locks_of gives the same as the file's list.
    let idx = f.statements[3].index;
    assert_eq!(a.locks_of(idx, &options), f.statements[3].locks);
}

#[test]
fn statement_by_statement_releases_each_lock() {
    let (a, options) = folder(
        &[
            ("001_init.sql", "CREATE TABLE orders (id int PRIMARY KEY);\n"),
            ("002_note.sql", "ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_note ON orders (note);\n"),
        ],
        Runner::Psql,
    );
    let f = a.file_locks(1, &options).expect("migration 1");
    assert_eq!(f.holds.len(), 2);
    assert!(f.holds.iter().all(|h| h.until == Until::Statement));
}

#[test]
fn explicit_commit_ends_the_hold() {
    let text = "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\nCREATE INDEX CONCURRENTLY orders_note ON orders (note);\n";
    let (a, options) = folder(
        &[("001_init.sql", "CREATE TABLE orders (id int PRIMARY KEY);\n"), ("002_note.sql", text)],
        Runner::Psql,
    );
    let f = a.file_locks(1, &options).expect("migration 1");
    assert!(f.explicit_transaction);
    let commit = f.statements.iter().find(|s| a.files[1].text[s.span.range()].starts_with("COMMIT")).expect("COMMIT");
    assert_eq!(f.holds[0].until, Until::Commit { span: commit.span });
    assert_eq!(f.holds[0].mode, AccessExclusive);
    assert_eq!(f.holds[1].until, Until::Statement);
    assert_eq!(f.holds[1].mode, ShareUpdateExclusive);
}

#[test]
fn a_no_transaction_file_runs_statement_by_statement() {
    let text = "-- no-transaction\nCREATE INDEX CONCURRENTLY orders_id2 ON orders (id);\n";
    let (a, options) = folder(
        &[("001_init.sql", "CREATE TABLE orders (id int PRIMARY KEY);\n"), ("002_idx.sql", text)],
        Runner::Transaction,
    );
    let f = a.file_locks(1, &options).expect("migration 1");
    assert_eq!(f.runner, Runner::Psql);
    assert_eq!(f.holds[0].until, Until::Statement);
}

#[test]
fn a_table_renamed_in_the_file_is_still_existing() {
    let text = "ALTER TABLE orders RENAME TO purchases;\nALTER TABLE purchases ADD COLUMN x int;\n";
    let (a, options) = folder(
        &[("001_init.sql", "CREATE TABLE orders (id int PRIMARY KEY);\n"), ("002_rename.sql", text)],
        Runner::Transaction,
    );
    let f = a.file_locks(1, &options).expect("migration 1");
    let second = &f.statements[1].locks.locks[0];
    assert_eq!(second.relation.name, "purchases");
    assert!(!second.new_in_file);
}

#[test]
fn version_is_taken_from_the_options() {
    let (a, mut options) = folder(
        &[
            ("001_init.sql", "CREATE TABLE orders (id int PRIMARY KEY);\n"),
            ("002_add.sql", "ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';\n"),
        ],
        Runner::Transaction,
    );
    options.rules.pg_version = Some(10);
    let f = a.file_locks(1, &options).expect("migration 1");
    assert_eq!(f.statements[0].locks.locks[0].work, Work::Rewrite);
    options.rules.pg_version = None;
    let f = a.file_locks(1, &options).expect("migration 1");
    assert_eq!(f.pg_version, crate::rules::DEFAULT_PG_VERSION);
    assert_eq!(f.statements[0].locks.locks[0].work, Work::CatalogOnly);
}

#[test]
fn holds_follow_begin_and_commit_without_a_runner_transaction() {
    let span = |n: u32| Span::new(0, n as usize, n as usize + 1);
    let lock = |mode| LockInfo {
        relation: QualName::public("t"),
        kind: RelationKind::Table,
        mode,
        blocks_reads: mode.blocks_reads(),
        blocks_writes: mode.blocks_writes(),
        work: Work::CatalogOnly,
        reason: String::new(),
        changed_in: None,
        version_note: None,
        new_in_file: false,
        oid: None,
    };
    let share = [lock(Share)];
    let excl = [lock(AccessExclusive)];
    let none: [LockInfo; 0] = [];
    let stmts: Vec<(Span, &str, &[LockInfo])> = vec![
        (span(0), "BEGIN", &none),
        (span(1), "CREATE INDEX i ON t (a)", &share),
        (span(2), "ALTER TABLE t ADD COLUMN b int", &excl),
        (span(3), "ROLLBACK TO SAVEPOINT s", &none),
        (span(4), "COMMIT", &none),
        (span(5), "ALTER TABLE t ADD COLUMN c int", &excl),
    ];
    let h = holds(&stmts, Runner::Psql, 99);
    assert_eq!(h.len(), 2);
    assert_eq!((h[0].mode, h[0].first, h[0].since), (AccessExclusive, span(1), span(2)));
    assert_eq!(h[0].until, Until::Commit { span: span(4) });
    assert_eq!(h[1].until, Until::Statement);
    let h = holds(&stmts[1..3], Runner::Transaction, 99);
    assert_eq!(h[0].until, Until::EndOfFile { offset: 99 });
}

#[test]
fn no_input_panics() {
    let catalog = catalog();
    for text in [
        "LOCK",
        "LOCK TABLE",
        "LOCK TABLE orders IN",
        "VACUUM (",
        "REINDEX",
        "REINDEX (VERBOSE",
        "CLUSTER",
        "COPY",
        "COMMENT ON CONSTRAINT x ON",
        "REFRESH MATERIALIZED VIEW",
        "ALTER INDEX",
        "ANALYZE (",
        "SELECT",
    ] {
        let parsed = Parsed::NoEffect { what: text.split_whitespace().next().unwrap_or("").to_string() };
        let _ = explain(&parsed, text, &catalog, 15);
        if let Ok(parsed) = parse::parse(text, 0, text.len()) {
            let _ = explain(&parsed, text, &catalog, 15);
        }
    }
}
