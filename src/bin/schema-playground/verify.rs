//! `schema-playground verify DIR --database-url URL`: every difference between what the migrations build and
//! what a live database holds (drift from hand-made changes).
//!
//! The migrations' side is the engine's catalog as [`facts`] sees it; the database's side is the same
//! [`SchemaFacts`], read from `pg_catalog` inside a read-only transaction with PostgreSQL's own printing
//! functions, under the settings the engine prints for (`search_path` = `public`, UTC, ISO dates). Objects that
//! belong to an extension, and those PostgreSQL makes for itself (array and row types, FK triggers), are left
//! out. Exit status: 0 identical, 1 differences (or migrations with errors), 2 usage or connection problems.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use postgres::config::Host;
use postgres::{Client, Config, NoTls, Row, Transaction};

use schema_playground::Severity;
use schema_playground::render::facts::{self, *};
use schema_playground::span::LineIndex;

use super::Common;

/// How long to wait for the server to answer a connection, and for a catalog lock.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The schemas PostgreSQL creates for itself, as a condition on `n.nspname`.
const USER_SCHEMA: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

pub(crate) fn run(common: &Common, url: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let url = match url {
        Some(u) => u.to_string(),
        None => std::env::var("DATABASE_URL").map_err(|_| {
            anyhow!(
                "no database to verify against: pass --database-url postgres://USER:PASSWORD@HOST:PORT/DATABASE \
                 (or set DATABASE_URL)"
            )
        })?,
    };
    let mut config: Config = url.parse().map_err(|e| {
        anyhow!(
            "invalid --database-url ({e}): write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE \
             or as key=value pairs (host=… port=… user=… dbname=…)"
        )
    })?;
    if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
        config.host("localhost");
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(TIMEOUT);
    }
    config.application_name("schema-playground verify");

    // The migrations first: a wrong folder or flag is reported before any connection.
    let analysis = super::load(common)?;
    let expected = facts::facts(&analysis.catalog);

    let target = describe_target(&config);
    let mut client = config.connect(NoTls).map_err(|e| connection_error(&e, &target))?;
    let actual = read_database(&mut client).with_context(|| format!("cannot read the catalog of {target}"))?;

    let file_name = |s: schema_playground::span::Span| analysis.files.get(s.file as usize).map(|f| f.name.clone());
    let differences = facts::compare(&expected, &actual, &file_name);

    // Errors that change what the migrations build (not lint findings): the schema compared is the one
    // where the runner stops.
    let errors: Vec<&schema_playground::Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && schema_playground::rules::lookup(d.rule).is_none())
        .collect();
    if let Some(first) = errors.first() {
        let file = &analysis.files[first.span.file as usize];
        let at = LineIndex::new(&file.text).line_col(&file.text, first.span.start as usize);
        eprintln!(
            "schema-playground: the migrations have {} error{} (first: {}:{}:{}: {}); comparing the schema where \
             they stop. `schema-playground check {}` shows every error.",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            file.name,
            at.line,
            at.column,
            first.message.lines().next().unwrap_or(""),
            common.dir.display()
        );
    }

    let mut out = std::io::stdout().lock();
    if json {
        let report = serde_json::json!({
            "identical": differences.is_empty(),
            "migration_errors": errors.len(),
            "differences": differences,
        });
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        for d in &differences {
            writeln!(out, "{}", d.line())?;
        }
        let n = differences.len();
        if n == 0 {
            writeln!(out, "{target} matches the migrations in {}", common.dir.display())?;
        } else {
            writeln!(
                out,
                "{n} difference{} between the migrations in {} and {target}",
                if n == 1 { "" } else { "s" },
                common.dir.display()
            )?;
        }
    }
    Ok(if differences.is_empty() && errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `database app on db.example.com:5432`, without the password.
fn describe_target(config: &Config) -> String {
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => format!("{h}:{port}"),
        Some(Host::Unix(dir)) => format!("socket {}/.s.PGSQL.{port}", dir.display()),
        None => match config.get_hostaddrs().first() {
            Some(addr) => format!("{addr}:{port}"),
            None => format!("localhost:{port}"),
        },
    };
    match config.get_dbname().or(config.get_user()) {
        Some(db) => format!("database {db} at {host}"),
        None => format!("the database at {host}"),
    }
}

/// A connection failure as a sentence that says what happened and what to do.
fn connection_error(e: &postgres::Error, target: &str) -> anyhow::Error {
    use postgres::error::SqlState;
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        let advice = if *code == SqlState::INVALID_PASSWORD || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            "check the user and password in --database-url (verify does not use TLS: a server that only accepts \
             TLS connections refuses it)"
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            "check the database name in --database-url"
        } else if *code == SqlState::TOO_MANY_CONNECTIONS {
            "try again when a connection is free"
        } else {
            "check --database-url"
        };
        return anyhow!("cannot connect to {target}: the server says: {}; {advice}", db.message());
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            let what = match io.kind() {
                ErrorKind::ConnectionRefused => "connection refused: is PostgreSQL running there and listening on \
                     that address and port? Check the host and port in --database-url"
                    .to_string(),
                ErrorKind::TimedOut => {
                    format!("no answer within {} s: check the host, the port and any firewall", TIMEOUT.as_secs())
                }
                ErrorKind::NotFound => "no such socket: is PostgreSQL running, with its socket there?".to_string(),
                _ => format!("{io}: check the host and port in --database-url"),
            };
            return anyhow!("cannot connect to {target}: {what}");
        }
        source = s.source();
    }
    let text = e.to_string();
    let detail = std::error::Error::source(e).map(|s| format!(" ({s})")).unwrap_or_default();
    if text.contains("TLS") {
        return anyhow!(
            "cannot connect to {target}: {text}{detail}; verify connects without TLS: use sslmode=disable or \
             prefer, through a trusted network or an SSH tunnel"
        );
    }
    if text.contains("timeout") {
        return anyhow!(
            "cannot connect to {target}: no answer within {} s: check the host, the port and any firewall",
            TIMEOUT.as_secs()
        );
    }
    anyhow!("cannot connect to {target}: {text}{detail}")
}

/// A text column that may be NULL.
fn opt(row: &Row, i: usize) -> Option<String> {
    row.get::<_, Option<String>>(i)
}

fn text(row: &Row, i: usize) -> String {
    row.get::<_, String>(i)
}

/// Reads the database's schema as facts, in one read-only transaction.
fn read_database(client: &mut Client) -> anyhow::Result<SchemaFacts> {
    let version: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .context("cannot read the server version")?
        .get(0);
    if version < 120000 {
        bail!("the server runs PostgreSQL {}; verify needs PostgreSQL 12 or later", version / 10000);
    }
    let mut tx = client.build_transaction().read_only(true).start().context("cannot start a read-only transaction")?;
    // What the engine prints for: psql's defaults in the capture environment (docs/fidelity.md).
    tx.batch_execute(&format!(
        "SET LOCAL search_path = public; SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, MDY'; \
         SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'; \
         SET LOCAL lock_timeout = '{0}s'; SET LOCAL statement_timeout = '{1}s'",
        TIMEOUT.as_secs(),
        TIMEOUT.as_secs() * 6
    ))?;
    let facts = read_facts(&mut tx, version)?;
    tx.rollback()?;
    Ok(facts)
}

/// Not a member of an extension, nor made by PostgreSQL for another object (deptype `i`).
fn own(catalog: &str, oid: &str, internal_too: bool) -> String {
    let kinds = if internal_too { "'e', 'i'" } else { "'e'" };
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '{catalog}'::regclass AND dep.objid = {oid} \
         AND dep.deptype IN ({kinds}))"
    )
}

fn read_facts(tx: &mut Transaction<'_>, version: i32) -> anyhow::Result<SchemaFacts> {
    let mut f = SchemaFacts::default();

    for row in tx.query(
        &format!(
            "SELECT n.nspname::text, obj_description(n.oid, 'pg_namespace') FROM pg_namespace n \
             WHERE {USER_SCHEMA} AND {}",
            own("pg_namespace", "n.oid", false)
        ),
        &[],
    )? {
        let name = text(&row, 0);
        // PostgreSQL's own comment on `public` is not the migrations'.
        let comment = opt(&row, 1).filter(|c| !(name == "public" && c == "standard public schema"));
        f.schemas.insert(quote(&name), SchemaFact { comment, origin: None });
    }

    for row in tx.query(
        "SELECT e.extname::text, n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace \
         WHERE e.extname <> 'plpgsql'",
        &[],
    )? {
        f.extensions.insert(quote(&text(&row, 0)), ExtensionFact { schema: text(&row, 1), origin: None });
    }

    // Tables, and the relations whose items are read below (tables and views), by OID.
    let relations = format!(
        "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p', 'v', 'm') AND {USER_SCHEMA} AND {}",
        own("pg_class", "c.oid", false)
    );
    let mut tables: BTreeMap<u32, String> = BTreeMap::new();
    for row in tx.query(
        &format!(
            "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text, c.relpersistence::text, \
                    c.relrowsecurity, c.relforcerowsecurity, \
                    CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, \
                    CASE WHEN c.relispartition THEN (SELECT i.inhparent::regclass::text FROM pg_inherits i \
                         WHERE i.inhrelid = c.oid) || ' ' || pg_get_expr(c.relpartbound, c.oid) END, \
                    ARRAY(SELECT i.inhparent::regclass::text FROM pg_inherits i \
                          WHERE i.inhrelid = c.oid AND NOT c.relispartition ORDER BY i.inhseqno), \
                    obj_description(c.oid, 'pg_class') \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.oid IN ({relations}) AND c.relkind IN ('r', 'p')"
        ),
        &[],
    )? {
        let key = qualified(&text(&row, 1), &text(&row, 2));
        let kind = match (text(&row, 3).as_str(), text(&row, 4).as_str()) {
            ("p", "u") => "unlogged partitioned table",
            ("p", _) => "partitioned table",
            (_, "u") => "unlogged table",
            _ => "table",
        };
        let table = TableFacts {
            kind: kind.into(),
            row_security: row.get(5),
            force_row_security: row.get(6),
            partition_key: opt(&row, 7),
            partition_of: opt(&row, 8),
            inherits: row.get(9),
            comment: opt(&row, 10),
            ..TableFacts::default()
        };
        tables.insert(row.get(0), key.clone());
        f.tables.insert(key, table);
    }

    for row in tx.query(
        &format!(
            "SELECT a.attrelid, a.attname::text, format_type(a.atttypid, a.atttypmod), \
                    (SELECT co.collname::text FROM pg_collation co, pg_type t \
                     WHERE co.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation), \
                    a.attnotnull, a.attidentity::text, a.attgenerated::text, pg_get_expr(d.adbin, d.adrelid, true), \
                    col_description(a.attrelid, a.attnum) \
             FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE a.attrelid IN ({relations}) AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attrelid, a.attnum"
        ),
        &[],
    )? {
        let Some(t) = table_of(&mut f, &tables, row.get(0)) else { continue };
        let expr = opt(&row, 7);
        let generated = text(&row, 6) == "s";
        t.columns.push(ColumnFacts {
            name: text(&row, 1),
            ty: text(&row, 2),
            collation: opt(&row, 3),
            not_null: row.get(4),
            identity: match text(&row, 5).as_str() {
                "a" => Some("always".into()),
                "d" => Some("by default".into()),
                _ => None,
            },
            default: if generated { None } else { expr.clone() },
            generated: if generated { expr } else { None },
            comment: opt(&row, 8),
            origin: None,
        });
    }

    // NOT NULL constraints (PostgreSQL 18) are the columns' `not_null`; constraint triggers are triggers.
    for row in tx.query(
        &format!(
            "SELECT k.conrelid, k.conname::text, pg_get_constraintdef(k.oid, true), \
                    obj_description(k.oid, 'pg_constraint') \
             FROM pg_constraint k WHERE k.conrelid IN ({relations}) AND k.contype IN ('c', 'f', 'p', 'u', 'x')"
        ),
        &[],
    )? {
        let Some(t) = table_of(&mut f, &tables, row.get(0)) else { continue };
        t.constraints
            .insert(text(&row, 1), ConstraintFacts { definition: text(&row, 2), comment: opt(&row, 3), origin: None });
    }

    let mut views: BTreeMap<u32, String> = BTreeMap::new();
    for row in tx.query(
        &format!(
            "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text, obj_description(c.oid, 'pg_class') \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.oid IN ({relations}) AND c.relkind IN ('v', 'm')"
        ),
        &[],
    )? {
        let key = qualified(&text(&row, 1), &text(&row, 2));
        let kind = if text(&row, 3) == "m" { "materialized view" } else { "view" };
        views.insert(row.get(0), key.clone());
        f.views.insert(key, ViewFacts { kind: kind.into(), comment: opt(&row, 4), ..ViewFacts::default() });
    }

    for row in tx.query(
        &format!(
            "SELECT i.indrelid, ic.relname::text, pg_get_indexdef(i.indexrelid, 0, true), \
                    (SELECT k.conname::text FROM pg_constraint k WHERE k.conindid = i.indexrelid \
                     AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')), \
                    i.indisclustered, i.indisreplident, i.indisvalid, obj_description(i.indexrelid, 'pg_class') \
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid IN ({relations})"
        ),
        &[],
    )? {
        let index = IndexFacts {
            definition: text(&row, 2),
            constraint: opt(&row, 3),
            clustered: row.get(4),
            replica_identity: row.get(5),
            valid: row.get(6),
            comment: opt(&row, 7),
            origin: None,
        };
        let oid: u32 = row.get(0);
        if let Some(t) = table_of(&mut f, &tables, oid) {
            t.indexes.insert(text(&row, 1), index);
        } else if let Some(v) = views.get(&oid).and_then(|k| f.views.get_mut(k)) {
            // A materialized view's.
            v.indexes.insert(text(&row, 1), index);
        }
    }

    for row in tx.query(
        &format!(
            "SELECT p.polrelid, p.polname::text, NOT p.polpermissive, p.polcmd::text, \
                    ARRAY(SELECT r.rolname::text FROM pg_roles r WHERE r.oid = ANY (p.polroles) ORDER BY 1), \
                    pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid) \
             FROM pg_policy p WHERE p.polrelid IN ({relations})"
        ),
        &[],
    )? {
        let Some(t) = table_of(&mut f, &tables, row.get(0)) else { continue };
        let command = match text(&row, 3).as_str() {
            "r" => "SELECT",
            "a" => "INSERT",
            "w" => "UPDATE",
            "d" => "DELETE",
            _ => "ALL",
        };
        let roles: Vec<String> = row.get(4);
        let definition =
            policy_definition(row.get(2), command, &roles, opt(&row, 5).as_deref(), opt(&row, 6).as_deref());
        t.policies.insert(text(&row, 1), PolicyFacts { definition, origin: None });
    }

    for row in tx.query(
        &format!(
            "SELECT t.tgrelid, t.tgname::text, pg_get_triggerdef(t.oid, true), t.tgenabled::text \
             FROM pg_trigger t WHERE t.tgrelid IN ({relations}) AND NOT t.tgisinternal"
        ),
        &[],
    )? {
        let oid: u32 = row.get(0);
        let enabled = text(&row, 3).chars().next().unwrap_or('O');
        let trigger =
            TriggerFacts { definition: text(&row, 2), enabled: trigger_enabled(enabled).to_string(), origin: None };
        if let Some(t) = table_of(&mut f, &tables, oid) {
            t.triggers.insert(text(&row, 1), trigger);
        } else if let Some(v) = views.get(&oid).and_then(|k| f.views.get_mut(k)) {
            v.triggers.insert(text(&row, 1), trigger);
        }
    }

    for row in tx.query(
        &format!(
            "SELECT n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL), \
                    tn.nspname::text, t.relname::text, a.attname::text \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid \
             LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid \
                  AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') \
             LEFT JOIN pg_class t ON t.oid = d.refobjid \
             LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace \
             LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid \
             WHERE c.relkind = 'S' AND {USER_SCHEMA} AND {}",
            own("pg_class", "c.oid", false)
        ),
        &[],
    )? {
        let owned_by = match (opt(&row, 3), opt(&row, 4), opt(&row, 5)) {
            (Some(s), Some(t), Some(c)) => Some(format!("{}.{}", qualified(&s, &t), quote(&c))),
            _ => None,
        };
        f.sequences.insert(
            qualified(&text(&row, 0), &text(&row, 1)),
            SequenceFacts { ty: text(&row, 2), owned_by, origin: None },
        );
    }

    // Types: enums, domains, stand-alone composite types, and others (range, base, shell) by name. Array,
    // multirange and row types depend on another object with deptype `i`.
    for row in tx.query(
        &format!(
            "SELECT n.nspname::text, t.typname::text, t.typtype::text, \
                    ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), \
                    CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END, \
                    t.typnotnull, pg_get_expr(t.typdefaultbin, 0, true), \
                    ARRAY(SELECT a.attname::text FROM pg_attribute a \
                          WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), \
                    ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
                          WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), \
                    obj_description(t.oid, 'pg_type'), \
                    ARRAY(SELECT k.conname::text FROM pg_constraint k \
                          WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname), \
                    ARRAY(SELECT pg_get_constraintdef(k.oid, true) FROM pg_constraint k \
                          WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname) \
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
             WHERE {USER_SCHEMA} AND {} \
               AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')",
            own("pg_type", "t.oid", true)
        ),
        &[],
    )? {
        let kind = match text(&row, 2).as_str() {
            "e" => "enum",
            "d" => "domain",
            "c" => "composite",
            _ => "other",
        };
        let names: Vec<String> = row.get(7);
        let types: Vec<String> = row.get(8);
        let check_names: Vec<String> = row.get(10);
        let check_defs: Vec<String> = row.get(11);
        f.types.insert(
            qualified(&text(&row, 0), &text(&row, 1)),
            TypeFacts {
                kind: kind.into(),
                labels: row.get(3),
                base: opt(&row, 4),
                not_null: row.get(5),
                default: opt(&row, 6),
                constraints: check_names.into_iter().zip(check_defs).collect(),
                attributes: names.iter().zip(&types).map(|(n, t)| format!("{} {t}", quote(n))).collect(),
                comment: opt(&row, 9),
                origin: None,
            },
        );
    }

    // Functions and procedures (not aggregates), without those of extensions and range constructors.
    let standard_body = if version >= 140000 { "p.prosqlbody IS NOT NULL" } else { "false" };
    for row in tx.query(
        &format!(
            "SELECT n.nspname::text, p.proname::text, oidvectortypes(p.proargtypes), p.prokind::text, l.lanname::text, \
                    CASE WHEN NOT ({standard_body}) AND l.lanname NOT IN ('c', 'internal') THEN p.prosrc END, \
                    obj_description(p.oid, 'pg_proc') \
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang \
             WHERE p.prokind IN ('f', 'p') AND {USER_SCHEMA} AND {}",
            own("pg_proc", "p.oid", true)
        ),
        &[],
    )? {
        f.functions.insert(
            function_key(&text(&row, 0), &text(&row, 1), &text(&row, 2)),
            FunctionFacts {
                kind: if text(&row, 3) == "p" { "procedure" } else { "function" }.into(),
                language: text(&row, 4),
                body: opt(&row, 5),
                comment: opt(&row, 6),
                origin: None,
            },
        );
    }
    Ok(f)
}

/// The table of an OID, among those read.
fn table_of<'a>(f: &'a mut SchemaFacts, tables: &BTreeMap<u32, String>, oid: u32) -> Option<&'a mut TableFacts> {
    f.tables.get_mut(tables.get(&oid)?)
}

fn quote(name: &str) -> String {
    schema_playground::catalog::names::quote_ident(name)
}
