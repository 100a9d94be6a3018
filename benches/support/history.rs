//! A deterministic generator of realistic PostgreSQL migration histories, for the benchmarks.
//!
//! `generate(n)` returns `n` files `(name, text)` named `0001_create_billing_invoices.sql`, … in the
//! style of the team's SOP (docs: adding-database-migrations-sop.md): idempotent DDL
//! (`CREATE TABLE IF NOT EXISTS`, `CREATE INDEX IF NOT EXISTS`, `ADD COLUMN IF NOT EXISTS`,
//! `DROP TRIGGER IF EXISTS` + `CREATE TRIGGER`, `CREATE OR REPLACE FUNCTION`), `DO $$` blocks guarding
//! `ADD CONSTRAINT` with `IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '…')`, backfills
//! with `UPDATE`, occasional renames, comments. About 4 KB per file on average. Same `n` and seed,
//! same bytes: the randomness is a fixed-seed xorshift, and no hash map is ever iterated.
//!
//! Every history applies cleanly in PostgreSQL 15 (`scripts/bench.sh` applies the 1,000-file one
//! with `psql -v ON_ERROR_STOP=1`) and should give no error in `schema-playground check`.
//!
//! Included with `#[path]` by `benches/engine.rs` and `examples/gen_history.rs`; it depends on
//! nothing but `std`.
#![allow(dead_code)]

use std::collections::HashSet;
use std::fmt::Write;

/// The seed of every history the benchmarks use.
pub const DEFAULT_SEED: u64 = 0x005E_ED0F_5C4E_3A11;

/// `n` migration files `(name, text)`, in order, with the default seed.
pub fn generate(n: usize) -> Vec<(String, String)> {
    generate_with_seed(n, DEFAULT_SEED)
}

/// `n` migration files `(name, text)`, in order.
pub fn generate_with_seed(n: usize, seed: u64) -> Vec<(String, String)> {
    let mut g = Gen::new(seed);
    let width = n.to_string().len().max(4);
    (1..=n).map(|i| g.file(i, width)).collect()
}

// ---------------------------------------------------------------------------------------------
// Randomness

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// xorshift64*.
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n.max(1) as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const DOMAINS: &[&str] = &[
    "billing",
    "crm",
    "inventory",
    "hr",
    "support",
    "analytics",
    "shipping",
    "catalog",
    "auth",
    "content",
    "marketing",
    "finance",
    "ops",
    "social",
    "learning",
    "sales",
    "events",
    "media",
    "legal",
    "partner",
];

/// (singular, plural)
const ENTITIES: &[(&str, &str)] = &[
    ("invoice", "invoices"),
    ("customer", "customers"),
    ("account", "accounts"),
    ("order", "orders"),
    ("product", "products"),
    ("payment", "payments"),
    ("ticket", "tickets"),
    ("contact", "contacts"),
    ("campaign", "campaigns"),
    ("shipment", "shipments"),
    ("warehouse", "warehouses"),
    ("employee", "employees"),
    ("team", "teams"),
    ("project", "projects"),
    ("document", "documents"),
    ("asset", "assets"),
    ("session", "sessions"),
    ("device", "devices"),
    ("webhook", "webhooks"),
    ("subscription", "subscriptions"),
    ("plan", "plans"),
    ("coupon", "coupons"),
    ("review", "reviews"),
    ("comment", "comments"),
    ("attachment", "attachments"),
    ("category", "categories"),
    ("supplier", "suppliers"),
    ("vendor", "vendors"),
    ("contract", "contracts"),
    ("lead", "leads"),
    ("opportunity", "opportunities"),
    ("report", "reports"),
    ("dashboard", "dashboards"),
    ("metric", "metrics"),
    ("course", "courses"),
    ("lesson", "lessons"),
    ("enrollment", "enrollments"),
    ("article", "articles"),
    ("page", "pages"),
    ("channel", "channels"),
    ("message", "messages"),
    ("notification", "notifications"),
    ("role", "roles"),
    ("permission", "permissions"),
    ("region", "regions"),
    ("store", "stores"),
    ("batch", "batches"),
    ("job", "jobs"),
];

const QUALIFIERS: &[&str] =
    &["history", "archive", "links", "settings", "snapshots", "events", "stats", "queue", "drafts", "versions"];

/// A column template: name, type, the rest of the definition, and the allowed values of a status column.
struct Tpl {
    name: &'static str,
    ty: Ty,
    rest: &'static str,
    values: &'static [&'static str],
}

const fn t(name: &'static str, ty: Ty, rest: &'static str) -> Tpl {
    Tpl { name, ty, rest, values: &[] }
}

const COLUMNS: &[Tpl] = &[
    t("name", Ty::Varchar(100), "NOT NULL"),
    t("title", Ty::Text, "NOT NULL CHECK (char_length(title) <= 200)"),
    t("description", Ty::Text, ""),
    t("notes", Ty::Text, ""),
    t("summary", Ty::Text, "NOT NULL DEFAULT ''"),
    t("slug", Ty::Varchar(120), "NOT NULL"),
    t("email", Ty::Text, ""),
    t("code", Ty::Varchar(32), "NOT NULL"),
    t("label", Ty::Text, ""),
    t("reference", Ty::Varchar(64), ""),
    t("external_id", Ty::Text, ""),
    t("source", Ty::Text, "NOT NULL DEFAULT 'web'"),
    t("locale", Ty::Varchar(10), "NOT NULL DEFAULT 'en'"),
    t("currency", Ty::Varchar(3), "NOT NULL DEFAULT 'USD' CHECK (char_length(currency) = 3)"),
    t("country_code", Ty::Varchar(2), ""),
    Tpl {
        name: "status",
        ty: Ty::Text,
        rest: "NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'archived'))",
        values: &["pending", "active", "archived"],
    },
    Tpl {
        name: "stage",
        ty: Ty::Text,
        rest: "NOT NULL DEFAULT 'draft' CHECK (stage IN ('draft', 'review', 'published'))",
        values: &["draft", "review", "published"],
    },
    t("amount", Ty::Numeric(12, 2), "NOT NULL DEFAULT 0 CHECK (amount >= 0)"),
    t("price", Ty::Numeric(10, 2), "CHECK (price > 0)"),
    t("discount_rate", Ty::Numeric(5, 4), "NOT NULL DEFAULT 0 CHECK (discount_rate BETWEEN 0 AND 1)"),
    t("quantity", Ty::Int, "NOT NULL DEFAULT 0 CHECK (quantity >= 0)"),
    t("position", Ty::Int, "NOT NULL DEFAULT 0"),
    t("attempts", Ty::Int, "NOT NULL DEFAULT 0"),
    t("priority", Ty::SmallInt, "NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 5)"),
    t("size_bytes", Ty::BigInt, "CHECK (size_bytes >= 0)"),
    t("version", Ty::Int, "NOT NULL DEFAULT 1"),
    t("score", Ty::Float, ""),
    t("latitude", Ty::Float, "CHECK (latitude BETWEEN -90 AND 90)"),
    t("longitude", Ty::Float, "CHECK (longitude BETWEEN -180 AND 180)"),
    t("is_active", Ty::Bool, "NOT NULL DEFAULT true"),
    t("is_public", Ty::Bool, "NOT NULL DEFAULT false"),
    t("archived", Ty::Bool, "NOT NULL DEFAULT false"),
    t("published_at", Ty::Tstz, ""),
    t("expires_at", Ty::Tstz, ""),
    t("deleted_at", Ty::Tstz, ""),
    t("last_seen_at", Ty::Tstz, ""),
    t("starts_on", Ty::Date, "NOT NULL DEFAULT CURRENT_DATE"),
    t("due_date", Ty::Date, ""),
    t("metadata", Ty::Jsonb, "NOT NULL DEFAULT '{}'::jsonb"),
    t("settings", Ty::Jsonb, "NOT NULL DEFAULT '{}'"),
    t("payload", Ty::Jsonb, ""),
    t("tags", Ty::TextArr, "NOT NULL DEFAULT '{}'"),
    t("ip_address", Ty::Inet, ""),
    t("retention", Ty::Interval, "NOT NULL DEFAULT '30 days'"),
    t("token", Ty::Uuid, "NOT NULL DEFAULT gen_random_uuid()"),
];

const RENAME_PREFIXES: &[&str] = &["legacy_", "old_", "display_", "primary_", "internal_"];

// ---------------------------------------------------------------------------------------------
// The model of the schema built so far

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ty {
    Uuid,
    Text,
    Varchar(u16),
    Int,
    BigInt,
    SmallInt,
    Numeric(u8, u8),
    Bool,
    Tstz,
    Date,
    Jsonb,
    TextArr,
    Inet,
    Interval,
    Float,
}

impl Ty {
    fn sql(self) -> String {
        match self {
            Ty::Uuid => "UUID".into(),
            Ty::Text => "TEXT".into(),
            Ty::Varchar(n) => format!("VARCHAR({n})"),
            Ty::Int => "INTEGER".into(),
            Ty::BigInt => "BIGINT".into(),
            Ty::SmallInt => "SMALLINT".into(),
            Ty::Numeric(p, s) => format!("NUMERIC({p},{s})"),
            Ty::Bool => "BOOLEAN".into(),
            Ty::Tstz => "TIMESTAMPTZ".into(),
            Ty::Date => "DATE".into(),
            Ty::Jsonb => "JSONB".into(),
            Ty::TextArr => "TEXT[]".into(),
            Ty::Inet => "INET".into(),
            Ty::Interval => "INTERVAL".into(),
            Ty::Float => "DOUBLE PRECISION".into(),
        }
    }

    fn is_text(self) -> bool {
        matches!(self, Ty::Text | Ty::Varchar(_))
    }

    /// A literal of this type for backfills.
    fn sample(self, rng: &mut Rng) -> String {
        match self {
            Ty::Uuid => "gen_random_uuid()".into(),
            Ty::Text | Ty::Varchar(_) => format!("'{}'", rng.pick(&["unknown", "n/a", "legacy", "default", "x"])),
            Ty::Int | Ty::BigInt | Ty::SmallInt => rng.range(0, 5).to_string(),
            Ty::Numeric(..) => format!("{}.{:02}", rng.range(0, 9), rng.range(0, 99)),
            Ty::Bool => rng.pick(&["true", "false"]).to_string(),
            Ty::Tstz => rng.pick(&["now()", "'2024-01-01 00:00:00+00'", "created_at"]).to_string(),
            Ty::Date => rng.pick(&["CURRENT_DATE", "'2024-06-30'"]).to_string(),
            Ty::Jsonb => rng.pick(&["'{}'::jsonb", "jsonb_build_object('migrated', true)"]).to_string(),
            Ty::TextArr => "'{}'".into(),
            Ty::Inet => "'127.0.0.1'".into(),
            Ty::Interval => "interval '7 days'".into(),
            Ty::Float => "0".into(),
        }
    }
}

#[derive(Clone, Debug)]
struct Col {
    name: String,
    ty: Ty,
    not_null: bool,
    /// Referenced by something that would make dropping or renaming it a runtime trap (trigger
    /// conditions and bodies, foreign keys): left alone by renames and drops.
    pinned: bool,
    values: &'static [&'static str],
    /// The table a foreign key column references (by position in `Gen::tables`).
    refs: Option<usize>,
}

#[derive(Clone, Debug)]
struct Table {
    name: String,
    entity: &'static str,
    pk: Ty,
    cols: Vec<Col>,
    /// Names of the functions this table's triggers run (to replace one now and then).
    audited: bool,
    validated: bool,
    /// Index definitions already made on it (`(a, b) WHERE …`), so that none is made twice.
    index_specs: HashSet<String>,
}

impl Table {
    fn col(&self, name: &str) -> Option<&Col> {
        self.cols.iter().find(|c| c.name == name)
    }

    fn has(&self, name: &str) -> bool {
        self.col(name).is_some()
    }

    fn pick_col<'a>(&'a self, rng: &mut Rng, pred: impl Fn(&Col) -> bool) -> Option<&'a Col> {
        let cands: Vec<&Col> = self.cols.iter().filter(|c| pred(c)).collect();
        if cands.is_empty() { None } else { Some(cands[rng.below(cands.len())]) }
    }
}

/// A helper function (not a trigger function) that later files may replace with a new body.
#[derive(Clone, Debug)]
struct Helper {
    name: String,
    table: usize,
    revision: usize,
}

struct Gen {
    rng: Rng,
    tables: Vec<Table>,
    helpers: Vec<Helper>,
    /// Every relation, constraint, trigger and function name ever used (never reused).
    used: HashSet<String>,
    /// The table the current file is mostly about.
    focus: Option<usize>,
}

// ---------------------------------------------------------------------------------------------
// The generator

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen { rng: Rng::new(seed), tables: Vec::new(), helpers: Vec::new(), used: HashSet::new(), focus: None }
    }

    /// A fresh name of at most 63 bytes built from `base` (a numeric suffix when taken).
    fn fresh(&mut self, base: &str) -> String {
        let mut base: String = base.chars().take(58).collect();
        while base.ends_with('_') {
            base.pop();
        }
        if self.used.insert(base.clone()) {
            return base;
        }
        for k in 2.. {
            let name = format!("{base}_{k}");
            if self.used.insert(name.clone()) {
                return name;
            }
        }
        unreachable!()
    }

    fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    /// The file's main table half of the time, else a recent table most of the time, else any table.
    fn pick_table(&mut self) -> usize {
        let n = self.tables.len();
        if let Some(f) = self.focus
            && self.rng.chance(50)
        {
            return f;
        }
        if n > 20 && self.rng.chance(60) { n - 1 - self.rng.below(20) } else { self.rng.below(n) }
    }

    fn file(&mut self, i: usize, width: usize) -> (String, String) {
        let mut body = String::new();
        let slug;
        let summary;
        if i == 1 {
            slug = "initial_schema".to_string();
            summary = "Initial schema: shared trigger functions, the audit log and the first tables".to_string();
            self.initial(&mut body);
        } else {
            // The main change of the file names it; smaller changes follow until it is about 4 KB.
            let target = self.rng.range(1800, 6000);
            self.focus = None;
            let (s, d) = self.main_op(&mut body);
            slug = s;
            summary = d;
            let mut guard = 0;
            while body.len() < target && guard < 12 {
                self.minor_op(&mut body);
                guard += 1;
            }
        }
        let mut text = String::new();
        let _ = writeln!(text, "-- Migration: {summary}");
        let _ = writeln!(text, "-- Generated benchmark history (benches/support/history.rs), file {i}.");
        text.push('\n');
        text.push_str(&body);
        let slug: String = slug.chars().take(60).collect();
        (format!("{i:0width$}_{slug}.sql"), text)
    }

    fn initial(&mut self, out: &mut String) {
        self.reserve("update_updated_at_column");
        self.reserve("audit_log");
        self.reserve("audit_log_pkey");
        self.reserve("audit_log_id_seq");
        out.push_str(
            "-- Trigger function used by every table with an updated_at column
CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Row changes recorded by the audit triggers
CREATE TABLE IF NOT EXISTS audit_log (
    id BIGSERIAL PRIMARY KEY,
    table_name TEXT NOT NULL,
    row_id TEXT,
    action TEXT NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
    old_data JSONB,
    new_data JSONB,
    changed_by TEXT DEFAULT current_user,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_audit_log_table_row ON audit_log (table_name, row_id);
CREATE INDEX IF NOT EXISTS idx_audit_log_changed_at ON audit_log (changed_at DESC);

",
        );
        self.reserve("idx_audit_log_table_row");
        self.reserve("idx_audit_log_changed_at");
        for _ in 0..3 {
            self.create_table(out, false);
        }
    }

    /// The file's main change: returns the slug and the summary line.
    fn main_op(&mut self, out: &mut String) -> (String, String) {
        let roll = self.rng.below(100);
        if roll < 45 || self.tables.len() < 4 {
            let t = self.create_table(out, true);
            self.focus = Some(t);
            let name = self.tables[t].name.clone();
            (format!("create_{name}"), format!("Add the {name} table"))
        } else if roll < 65 {
            let t = self.pick_table();
            self.add_columns(out, t);
            self.focus = Some(t);
            let name = self.tables[t].name.clone();
            (format!("add_columns_to_{name}"), format!("Add columns to {name}"))
        } else if roll < 75 {
            let n = self.tables.len();
            let Some(t) = (0..n).rev().take(60).find(|&t| !self.tables[t].audited) else {
                let t = self.create_table(out, true);
                self.focus = Some(t);
                let name = self.tables[t].name.clone();
                return (format!("create_{name}"), format!("Add the {name} table"));
            };
            self.audit_trigger(out, t);
            self.focus = Some(t);
            let name = self.tables[t].name.clone();
            (format!("audit_{name}"), format!("Record changes to {name} in audit_log"))
        } else if roll < 83 {
            let t = self.pick_table();
            self.guarded_constraint(out, t);
            self.focus = Some(t);
            let name = self.tables[t].name.clone();
            (format!("constrain_{name}"), format!("Tighten the constraints of {name}"))
        } else if roll < 90 {
            let t = self.pick_table();
            self.backfill(out, t);
            self.focus = Some(t);
            let name = self.tables[t].name.clone();
            (format!("backfill_{name}"), format!("Backfill {name}"))
        } else if roll < 96 {
            let t = self.pick_table();
            self.focus = Some(t);
            if self.rng.chance(30) {
                let old = self.tables[t].name.clone();
                self.rename_table(out, t);
                let new = self.tables[t].name.clone();
                (format!("rename_{old}"), format!("Rename {old} to {new}"))
            } else {
                self.rename_column(out, t);
                let name = self.tables[t].name.clone();
                (format!("rename_columns_of_{name}"), format!("Rename a column of {name}"))
            }
        } else {
            let t = self.pick_table();
            self.helper_function(out, t);
            self.focus = Some(t);
            let name = self.tables[t].name.clone();
            (format!("reporting_functions_for_{name}"), format!("Reporting functions for {name}"))
        }
    }

    fn minor_op(&mut self, out: &mut String) {
        let t = self.pick_table();
        match self.rng.below(100) {
            0..=19 => self.add_columns(out, t),
            20..=31 => {
                let k = self.rng.range(1, 2);
                self.indexes(out, t, k)
            }
            32..=44 => self.guarded_constraint(out, t),
            45..=54 => self.backfill(out, t),
            55..=62 => self.validation_trigger(out, t),
            63..=68 => self.audit_trigger(out, t),
            69..=74 => self.counter(out),
            75..=81 => self.helper_function(out, t),
            82..=86 => self.replace_helper(out),
            87..=91 => self.comment(out, t),
            92..=94 => self.rename_column(out, t),
            95..=96 => self.drop_column(out, t),
            _ => {
                self.create_table(out, true);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // CREATE TABLE

    fn table_name(&mut self) -> (String, &'static str) {
        let domain = *self.rng.pick(DOMAINS);
        let (single, plural) = *self.rng.pick(ENTITIES);
        let base = format!("{domain}_{plural}");
        if !self.used.contains(&base) {
            self.reserve(&base);
            return (base, single);
        }
        let q = *self.rng.pick(QUALIFIERS);
        (self.fresh(&format!("{domain}_{single}_{q}")), single)
    }

    /// Reserves the implicit names PostgreSQL gives a new table's objects.
    fn reserve_implicit(&mut self, table: &str, cols: &[&str]) {
        self.reserve(&format!("{table}_pkey"));
        self.reserve(&format!("{table}_id_seq"));
        for c in cols {
            self.reserve(&format!("{table}_{c}_key"));
            self.reserve(&format!("{table}_{c}_check"));
            self.reserve(&format!("{table}_{c}_fkey"));
        }
    }

    /// Creates a table, its indexes and its updated_at trigger; returns its index.
    fn create_table(&mut self, out: &mut String, with_extras: bool) -> usize {
        let (name, entity) = self.table_name();
        let pk = match self.rng.below(100) {
            0..=69 => Ty::Uuid,
            _ => Ty::BigInt,
        };
        let mut cols: Vec<Col> = Vec::new();
        let mut lines: Vec<String> = Vec::new();
        match (pk, self.rng.chance(50)) {
            (Ty::Uuid, _) => lines.push("id UUID PRIMARY KEY DEFAULT gen_random_uuid()".into()),
            (_, true) => lines.push("id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY".into()),
            (_, false) => lines.push("id BIGSERIAL PRIMARY KEY".into()),
        }
        cols.push(Col { name: "id".into(), ty: pk, not_null: true, pinned: true, values: &[], refs: None });

        // Foreign keys to earlier tables.
        let nfk = if self.tables.is_empty() { 0 } else { self.rng.range(0, 2).min(self.tables.len()) };
        for _ in 0..nfk {
            let p = self.pick_table();
            let parent = self.tables[p].clone();
            let mut col = format!("{}_id", parent.entity);
            if cols.iter().any(|c| c.name == col) {
                col = format!("{}_{}_id", parent.name.split('_').next().unwrap_or("ref"), parent.entity);
            }
            if cols.iter().any(|c| c.name == col) {
                continue;
            }
            let not_null = self.rng.chance(60);
            let action = if not_null {
                *self.rng.pick(&[" ON DELETE CASCADE", " ON DELETE RESTRICT", ""])
            } else {
                *self.rng.pick(&[" ON DELETE SET NULL", " ON DELETE CASCADE", ""])
            };
            lines.push(format!(
                "{col} {}{} REFERENCES {}(id){action}",
                parent.pk.sql(),
                if not_null { " NOT NULL" } else { "" },
                parent.name
            ));
            cols.push(Col { name: col, ty: parent.pk, not_null, pinned: true, values: &[], refs: Some(p) });
        }

        // Ordinary columns: 5–12 in all with id, the keys and the timestamps.
        let timestamps = self.rng.chance(85);
        let base = cols.len();
        let fixed = base + if timestamps { 2 } else { 0 };
        let want = self.rng.range(5, 12).saturating_sub(fixed).max(1);
        let mut tries = 0;
        while cols.len() < base + want && tries < 50 {
            tries += 1;
            let tpl = self.rng.pick(COLUMNS);
            if cols.iter().any(|c| c.name == tpl.name) {
                continue;
            }
            let mut def = format!("{} {}", tpl.name, tpl.ty.sql());
            if !tpl.rest.is_empty() {
                def.push(' ');
                def.push_str(tpl.rest);
            }
            // Now and then a UNIQUE column.
            if matches!(tpl.name, "slug" | "code" | "email" | "external_id" | "reference") && self.rng.chance(40) {
                def.push_str(" UNIQUE");
            }
            lines.push(def);
            cols.push(Col {
                name: tpl.name.into(),
                ty: tpl.ty,
                not_null: tpl.rest.contains("NOT NULL"),
                pinned: false,
                values: tpl.values,
                refs: None,
            });
        }
        if timestamps {
            lines.push("created_at TIMESTAMPTZ NOT NULL DEFAULT now()".into());
            lines.push("updated_at TIMESTAMPTZ NOT NULL DEFAULT now()".into());
            cols.push(Col {
                name: "created_at".into(),
                ty: Ty::Tstz,
                not_null: true,
                pinned: true,
                values: &[],
                refs: None,
            });
            cols.push(Col {
                name: "updated_at".into(),
                ty: Ty::Tstz,
                not_null: true,
                pinned: true,
                values: &[],
                refs: None,
            });
        }
        // A table-level constraint now and then.
        if self.rng.chance(25) {
            let text: Vec<&Col> = cols.iter().filter(|c| c.ty.is_text() && c.not_null).collect();
            if let Some(fk) = cols.iter().find(|c| c.name.ends_with("_id") && c.name != "id")
                && let Some(tc) = text.first()
            {
                let cname = self.fresh(&format!("uq_{name}_{}_{}", fk.name, tc.name));
                lines.push(format!("CONSTRAINT {cname} UNIQUE ({}, {})", fk.name, tc.name));
            }
        }
        if self.rng.chance(20)
            && let (Some(a), Some(b)) =
                (cols.iter().find(|c| c.name == "starts_on"), cols.iter().find(|c| c.name == "due_date"))
        {
            let cname = self.fresh(&format!("chk_{name}_dates"));
            lines.push(format!("CONSTRAINT {cname} CHECK ({} IS NULL OR {} >= {})", b.name, b.name, a.name));
        }

        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        self.reserve_implicit(&name, &names);

        let _ = writeln!(out, "-- {}", capitalize(&format!("{} {}", name.replace('_', " "), "table")));
        let _ = writeln!(out, "CREATE TABLE IF NOT EXISTS {name} (");
        for (k, l) in lines.iter().enumerate() {
            let _ = writeln!(out, "    {l}{}", if k + 1 < lines.len() { "," } else { "" });
        }
        out.push_str(");\n\n");

        self.tables.push(Table {
            name: name.clone(),
            entity,
            pk,
            cols,
            audited: false,
            validated: false,
            index_specs: HashSet::new(),
        });
        let t = self.tables.len() - 1;

        // Indexes on the foreign keys, then a few others.
        let fks: Vec<String> = self.tables[t]
            .cols
            .iter()
            .filter(|c| c.name.ends_with("_id") && c.name != "id")
            .map(|c| c.name.clone())
            .collect();
        if !fks.is_empty() {
            out.push_str("-- Create indexes\n");
            for fk in fks {
                self.tables[t].index_specs.insert(format!("({fk})"));
                let idx = self.fresh(&format!("idx_{name}_{fk}"));
                let _ = writeln!(out, "CREATE INDEX IF NOT EXISTS {idx} ON {name} ({fk});");
            }
            out.push('\n');
        }
        if with_extras {
            let k = self.rng.range(1, 2);
            self.indexes(out, t, k);
        }
        if timestamps {
            let trg = self.fresh(&format!("update_{name}_updated_at"));
            let _ = writeln!(out, "DROP TRIGGER IF EXISTS {trg} ON {name};");
            let _ = writeln!(
                out,
                "CREATE TRIGGER {trg} BEFORE UPDATE ON {name}\n    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();\n"
            );
        }
        if with_extras && self.rng.chance(30) {
            self.comment(out, t);
        }
        t
    }

    // -----------------------------------------------------------------------------------------
    // Indexes

    fn indexes(&mut self, out: &mut String, t: usize, k: usize) {
        let mut text = String::new();
        for _ in 0..k {
            self.index(&mut text, t);
        }
        if !text.is_empty() {
            out.push_str("-- Indexes for the queries the application runs\n");
            out.push_str(&text);
            out.push('\n');
        }
    }

    fn index(&mut self, out: &mut String, t: usize) {
        let table = self.tables[t].clone();
        let name = &table.name;
        let rng = &mut self.rng;
        let (suffix, unique, spec) = match rng.below(8) {
            // composite
            0 | 1 => {
                let a = table.pick_col(rng, |c| c.name.ends_with("_id") || !c.values.is_empty() || c.ty == Ty::Bool);
                let b = table.pick_col(rng, |c| matches!(c.ty, Ty::Tstz | Ty::Date | Ty::Int | Ty::SmallInt));
                match (a, b) {
                    (Some(a), Some(b)) if a.name != b.name => {
                        let desc = if rng.chance(40) { " DESC" } else { "" };
                        (format!("{}_{}", a.name, b.name), false, format!("({}, {}{desc})", a.name, b.name))
                    }
                    _ => return,
                }
            }
            // partial
            2 | 3 => {
                let Some(a) = table.pick_col(rng, |c| c.name != "id" && !matches!(c.ty, Ty::Jsonb | Ty::TextArr))
                else {
                    return;
                };
                let cond = if let Some(d) = table.col("deleted_at").filter(|d| d.name != a.name) {
                    format!("{} IS NULL", d.name)
                } else if let Some(s) = table.pick_col(rng, |c| !c.values.is_empty() && c.name != a.name) {
                    format!("{} = '{}'", s.name, s.values[1])
                } else if let Some(b) = table.pick_col(rng, |c| c.ty == Ty::Bool && c.name != a.name) {
                    format!("{} = true", b.name)
                } else if !a.not_null {
                    format!("{} IS NOT NULL", a.name)
                } else {
                    return;
                };
                (format!("{}_partial", a.name), false, format!("({}) WHERE {cond}", a.name))
            }
            // expression
            4 | 5 => {
                if let Some(a) = table.pick_col(rng, |c| c.ty.is_text() && c.values.is_empty()) {
                    let unique = rng.chance(30) && a.not_null;
                    (format!("{}_lower", a.name), unique, format!("(lower({}))", a.name))
                } else if let Some(j) = table.pick_col(rng, |c| c.ty == Ty::Jsonb) {
                    let key = *rng.pick(&["source", "kind", "owner", "region"]);
                    (format!("{}_{key}", j.name), false, format!("(({}->>'{key}'))", j.name))
                } else {
                    return;
                }
            }
            // GIN
            6 => {
                let Some(a) = table.pick_col(rng, |c| matches!(c.ty, Ty::Jsonb | Ty::TextArr)) else { return };
                let ops = if a.ty == Ty::Jsonb && rng.chance(40) { " jsonb_path_ops" } else { "" };
                (format!("{}_gin", a.name), false, format!("USING GIN ({}{ops})", a.name))
            }
            // simple
            _ => {
                let Some(a) = table.pick_col(rng, |c| c.name != "id" && !matches!(c.ty, Ty::Jsonb | Ty::TextArr))
                else {
                    return;
                };
                (a.name.clone(), false, format!("({})", a.name))
            }
        };
        if !self.tables[t].index_specs.insert(spec.clone()) {
            return;
        }
        let idx = self.fresh(&format!("idx_{name}_{suffix}"));
        let _ =
            writeln!(out, "CREATE {}INDEX IF NOT EXISTS {idx} ON {name} {spec};", if unique { "UNIQUE " } else { "" });
    }

    // -----------------------------------------------------------------------------------------
    // ALTER TABLE … ADD COLUMN IF NOT EXISTS

    fn add_columns(&mut self, out: &mut String, t: usize) {
        let k = self.rng.range(1, 3);
        let name = self.tables[t].name.clone();
        let mut defs = Vec::new();
        let mut to_backfill = Vec::new();
        for _ in 0..k {
            let tpl = self.rng.pick(COLUMNS);
            if self.tables[t].has(tpl.name) || defs.iter().any(|(n, _): &(String, String)| n == tpl.name) {
                continue;
            }
            // NOT NULL without a default: add it nullable, backfill, then SET NOT NULL (the SOP's way).
            let mut rest = tpl.rest.to_string();
            let mut not_null = rest.contains("NOT NULL");
            if not_null && !rest.contains("DEFAULT") {
                rest = rest.replace("NOT NULL", "").trim().to_string();
                to_backfill.push((tpl.name.to_string(), tpl.ty));
                not_null = true;
            }
            let def = if rest.is_empty() { tpl.ty.sql() } else { format!("{} {rest}", tpl.ty.sql()) };
            defs.push((tpl.name.to_string(), def));
            self.tables[t].cols.push(Col {
                name: tpl.name.into(),
                ty: tpl.ty,
                not_null,
                pinned: false,
                values: tpl.values,
                refs: None,
            });
            self.reserve(&format!("{name}_{}_check", tpl.name));
        }
        if defs.is_empty() {
            return;
        }
        out.push_str("-- New columns\n");
        if defs.len() > 1 && self.rng.chance(50) {
            let _ = writeln!(out, "ALTER TABLE {name}");
            for (k, (c, d)) in defs.iter().enumerate() {
                let _ =
                    writeln!(out, "    ADD COLUMN IF NOT EXISTS {c} {d}{}", if k + 1 < defs.len() { "," } else { ";" });
            }
        } else {
            for (c, d) in &defs {
                let _ = writeln!(out, "ALTER TABLE {name} ADD COLUMN IF NOT EXISTS {c} {d};");
            }
        }
        out.push('\n');
        for (c, ty) in to_backfill {
            let v = match ty {
                Ty::Varchar(_) | Ty::Text => format!("'{}_' || id::text", &c),
                _ => ty.sample(&mut self.rng),
            };
            let v = if ty == Ty::Varchar(2) || ty == Ty::Varchar(3) { "'XX'".to_string() } else { v };
            let _ = writeln!(out, "-- Backfill, then require it\nUPDATE {name} SET {c} = {v} WHERE {c} IS NULL;");
            let _ = writeln!(out, "ALTER TABLE {name} ALTER COLUMN {c} SET NOT NULL;\n");
        }
        if self.rng.chance(40) {
            self.index(out, t);
            out.push('\n');
        }
    }

    fn drop_column(&mut self, out: &mut String, t: usize) {
        let rng = &mut self.rng;
        let Some(c) = self.tables[t].pick_col(rng, |c| !c.pinned && c.name != "id").map(|c| c.name.clone()) else {
            return;
        };
        let name = self.tables[t].name.clone();
        self.tables[t].cols.retain(|x| x.name != c);
        let _ = writeln!(out, "-- {c} is no longer used\nALTER TABLE {name} DROP COLUMN IF EXISTS {c};\n");
    }

    // -----------------------------------------------------------------------------------------
    // Constraints guarded by DO blocks

    fn guarded_constraint(&mut self, out: &mut String, t: usize) {
        let name = self.tables[t].name.clone();
        let choice = self.rng.below(3);
        let (cname, def, comment) = if choice == 0 && t > 0 {
            // A new reference to an earlier table: the column, the guarded FK, its index.
            let p = self.rng.below(t);
            let parent = self.tables[p].clone();
            let mut col = format!("{}_id", parent.entity);
            if self.tables[t].has(&col) {
                col = format!("{}_{}", parent.name, "id");
            }
            if self.tables[t].has(&col) || col.len() > 50 {
                return;
            }
            let _ = writeln!(
                out,
                "-- Link {name} to {}\nALTER TABLE {name} ADD COLUMN IF NOT EXISTS {col} {};\n",
                parent.name,
                parent.pk.sql()
            );
            self.tables[t].cols.push(Col {
                name: col.clone(),
                ty: parent.pk,
                not_null: false,
                pinned: true,
                values: &[],
                refs: Some(p),
            });
            let cname = self.fresh(&format!("fk_{name}_{col}"));
            let action = *self.rng.pick(&["ON DELETE SET NULL", "ON DELETE CASCADE", "ON DELETE NO ACTION"]);
            let def = format!("FOREIGN KEY ({col}) REFERENCES {}(id) {action}", parent.name);
            self.tables[t].index_specs.insert(format!("({col})"));
            let idx = self.fresh(&format!("idx_{name}_{col}"));
            let after = format!("CREATE INDEX IF NOT EXISTS {idx} ON {name} ({col});\n");
            self.emit_guard(out, &name, &cname, &def, "ADD CONSTRAINT has no IF NOT EXISTS, so guard it");
            out.push_str(&after);
            out.push('\n');
            return;
        } else if choice == 1 {
            let table = &self.tables[t];
            let rng = &mut self.rng;
            // A key (a reference or a plain text column) with a text, date or integer column.
            let Some(a) =
                table.pick_col(rng, |c| c.not_null && (c.refs.is_some() || (c.ty.is_text() && c.values.is_empty())))
            else {
                return;
            };
            let Some(b) = table.pick_col(rng, |c| {
                c.not_null
                    && c.name != a.name
                    && c.values.is_empty()
                    && (c.ty.is_text() || matches!(c.ty, Ty::Date | Ty::Int))
                    && !c.name.ends_with("_at")
            }) else {
                return;
            };
            let cols = format!("{}, {}", a.name, b.name);
            let base = format!("{name}_{}_{}_key", a.name, b.name);
            (self.fresh(&base), format!("UNIQUE ({cols})"), "One row per pair; ADD CONSTRAINT has no IF NOT EXISTS")
        } else {
            let table = &self.tables[t];
            let rng = &mut self.rng;
            let Some(c) = table.pick_col(rng, |c| {
                matches!(c.ty, Ty::Int | Ty::SmallInt | Ty::BigInt | Ty::Numeric(..) | Ty::Text | Ty::Varchar(_))
                    && c.name != "id"
                    && !c.name.ends_with("_id")
            }) else {
                return;
            };
            let check = if c.ty.is_text() {
                if c.values.is_empty() {
                    format!("CHECK ({} <> '')", c.name)
                } else {
                    let vs: Vec<String> = c.values.iter().map(|v| format!("'{v}'")).collect();
                    format!("CHECK ({} IN ({}))", c.name, vs.join(", "))
                }
            } else {
                format!("CHECK ({} >= 0)", c.name)
            };
            let base = format!("chk_{name}_{}", c.name);
            (self.fresh(&base), check, "Guarded: re-running the migration must not fail")
        };
        self.emit_guard(out, &name, &cname, &def, comment);
        out.push('\n');
    }

    fn emit_guard(&mut self, out: &mut String, table: &str, cname: &str, def: &str, comment: &str) {
        let _ = writeln!(out, "-- {comment}");
        if self.rng.chance(80) {
            let _ = write!(
                out,
                "DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint WHERE conname = '{cname}'
    ) THEN
        ALTER TABLE {table}
            ADD CONSTRAINT {cname} {def};
    END IF;
END
$$;
"
            );
        } else {
            let _ = write!(
                out,
                "DO $$
BEGIN
    ALTER TABLE {table} ADD CONSTRAINT {cname} {def};
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;
"
            );
        }
    }

    // -----------------------------------------------------------------------------------------
    // Data backfills

    fn backfill(&mut self, out: &mut String, t: usize) {
        let table = self.tables[t].clone();
        let name = &table.name;
        out.push_str("-- Backfill existing rows\n");
        let mut wrote = false;
        if let Some(s) = table.cols.iter().find(|c| !c.values.is_empty()) {
            let cond = if table.has("deleted_at") {
                "deleted_at IS NOT NULL".to_string()
            } else if let Some(b) = table.cols.iter().find(|c| c.ty == Ty::Bool) {
                format!("NOT {}", b.name)
            } else {
                format!("{} IS NULL", s.name)
            };
            let _ = writeln!(
                out,
                "UPDATE {name} SET {s} = CASE\n    WHEN {cond} THEN '{}'\n    WHEN {s} = '{}' THEN '{}'\n    ELSE {s}\nEND;",
                s.values[2],
                s.values[0],
                s.values[1],
                s = s.name
            );
            wrote = true;
        }
        let nullable: Vec<&Col> = table.cols.iter().filter(|c| !c.not_null && !c.pinned).collect();
        if !nullable.is_empty() {
            let c = nullable[self.rng.below(nullable.len())];
            let v = c.ty.sample(&mut self.rng);
            let v = if matches!(c.ty, Ty::Varchar(n) if n < 8) { "'XX'".to_string() } else { v };
            let v = if v == "created_at" && !table.has("created_at") { "now()".to_string() } else { v };
            let _ = writeln!(out, "UPDATE {name} SET {} = {v} WHERE {} IS NULL;", c.name, c.name);
            wrote = true;
        }
        if let Some(j) = table.cols.iter().find(|c| c.ty == Ty::Jsonb && c.not_null) {
            let _ = writeln!(
                out,
                "UPDATE {name} SET {j} = {j} || jsonb_build_object('schema_version', {})\nWHERE NOT ({j} ? 'schema_version');",
                self.rng.range(2, 9),
                j = j.name
            );
            wrote = true;
        }
        // Copy a value down from the parent row.
        let fk = table.cols.iter().find(|c| c.refs.is_some()).cloned();
        if let Some(fk) = fk
            && let Some(p) = fk.refs
        {
            let parent = &self.tables[p];
            if let Some(pc) = parent.cols.iter().find(|c| {
                c.name != "id" && table.col(&c.name).is_some_and(|tc| tc.ty == c.ty && !tc.pinned) && c.name != fk.name
            }) {
                let _ = writeln!(
                    out,
                    "UPDATE {name} AS child SET {c} = parent.{c}\nFROM {p} AS parent\nWHERE parent.id = child.{fk} AND child.{c} IS DISTINCT FROM parent.{c};",
                    c = pc.name,
                    p = parent.name,
                    fk = fk.name
                );
                wrote = true;
            }
        }
        if !wrote {
            let _ = writeln!(out, "ANALYZE {name};");
        }
        out.push('\n');
    }

    // -----------------------------------------------------------------------------------------
    // Functions and triggers

    fn audit_trigger(&mut self, out: &mut String, t: usize) {
        let name = self.tables[t].name.clone();
        if self.tables[t].audited {
            return self.validation_trigger(out, t);
        }
        self.tables[t].audited = true;
        let f = self.fresh(&format!("audit_{name}_changes"));
        let trg = self.fresh(&format!("trg_audit_{name}"));
        let _ = write!(
            out,
            "-- Record every change to {name}
CREATE OR REPLACE FUNCTION {f}()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO audit_log (table_name, row_id, action, old_data)
        VALUES (TG_TABLE_NAME, OLD.id::text, TG_OP, to_jsonb(OLD));
        RETURN OLD;
    END IF;
    INSERT INTO audit_log (table_name, row_id, action, old_data, new_data)
    VALUES (
        TG_TABLE_NAME,
        NEW.id::text,
        TG_OP,
        CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END,
        to_jsonb(NEW)
    );
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {trg} ON {name};
CREATE TRIGGER {trg}
    AFTER INSERT OR UPDATE OR DELETE ON {name}
    FOR EACH ROW EXECUTE FUNCTION {f}();

"
        );
    }

    fn validation_trigger(&mut self, out: &mut String, t: usize) {
        let table = self.tables[t].clone();
        let name = &table.name;
        let mut checks = String::new();
        for c in &table.cols {
            if c.pinned || checks.len() > 700 {
                continue;
            }
            match c.ty {
                Ty::Text | Ty::Varchar(_) if c.values.is_empty() => {
                    let _ = write!(
                        checks,
                        "    IF NEW.{c} IS NOT NULL THEN\n        NEW.{c} := btrim(NEW.{c});\n    END IF;\n",
                        c = c.name
                    );
                }
                Ty::Int | Ty::BigInt | Ty::SmallInt | Ty::Numeric(..) => {
                    let _ = write!(
                        checks,
                        "    IF NEW.{c} < 0 THEN\n        RAISE EXCEPTION '{name}.{c} must not be negative (got %)', NEW.{c}\n            USING ERRCODE = 'check_violation';\n    END IF;\n",
                        c = c.name
                    );
                }
                Ty::Tstz if c.name == "expires_at" => {
                    let _ = write!(
                        checks,
                        "    IF NEW.expires_at IS NOT NULL AND NEW.expires_at < now() - interval '1 year' THEN\n        RAISE WARNING 'stale expiry on % %', TG_TABLE_NAME, NEW.id;\n    END IF;\n"
                    );
                }
                _ => {}
            }
        }
        if checks.is_empty() {
            return;
        }
        for c in &mut self.tables[t].cols {
            if checks.contains(&format!("NEW.{} ", c.name)) {
                c.pinned = true;
            }
        }
        self.tables[t].validated = true;
        let f = format!("validate_{name}");
        let trg = format!("trg_validate_{name}");
        self.reserve(&f);
        self.reserve(&trg);
        let _ = write!(
            out,
            "-- Normalise and validate {name} rows before they are written
CREATE OR REPLACE FUNCTION {f}()
RETURNS TRIGGER AS $fn$
BEGIN
{checks}    RETURN NEW;
END;
$fn$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {trg} ON {name};
CREATE TRIGGER {trg}
    BEFORE INSERT OR UPDATE ON {name}
    FOR EACH ROW EXECUTE FUNCTION {f}();

"
        );
        // A status change hook with a WHEN condition.
        if let Some(s) = table.cols.iter().find(|c| !c.values.is_empty()).map(|c| c.name.clone())
            && self.rng.chance(50)
        {
            let f2 = self.fresh(&format!("{name}_{s}_changed"));
            let trg2 = self.fresh(&format!("trg_{name}_{s}_changed"));
            if let Some(c) = self.tables[t].cols.iter_mut().find(|c| c.name == s) {
                c.pinned = true;
            }
            let _ = write!(
                out,
                "-- Log {s} transitions
CREATE OR REPLACE FUNCTION {f2}()
RETURNS TRIGGER AS $$
BEGIN
    INSERT INTO audit_log (table_name, row_id, action, old_data, new_data)
    VALUES (TG_TABLE_NAME, NEW.id::text, 'UPDATE',
            jsonb_build_object('{s}', OLD.{s}),
            jsonb_build_object('{s}', NEW.{s}));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {trg2} ON {name};
CREATE TRIGGER {trg2}
    AFTER UPDATE ON {name}
    FOR EACH ROW
    WHEN (OLD.{s} IS DISTINCT FROM NEW.{s})
    EXECUTE FUNCTION {f2}();

"
            );
        }
    }

    /// A child-count column on a parent maintained by a trigger on the child.
    fn counter(&mut self, out: &mut String) {
        let Some(c) = (0..self.tables.len())
            .rev()
            .take(40)
            .find(|&c| self.tables[c].cols.iter().any(|col| col.refs.is_some() && col.not_null))
        else {
            return;
        };
        let child = self.tables[c].clone();
        let Some(fk) = child.cols.iter().find(|col| col.refs.is_some() && col.not_null) else {
            return;
        };
        let Some(p) = fk.refs else { return };
        let parent = self.tables[p].name.clone();
        let count_col = format!("{}_count", child.entity);
        if self.tables[p].has(&count_col) {
            return;
        }
        self.tables[p].cols.push(Col {
            name: count_col.clone(),
            ty: Ty::Int,
            not_null: true,
            pinned: true,
            values: &[],
            refs: None,
        });
        if let Some(col) = self.tables[c].cols.iter_mut().find(|col| col.name == fk.name) {
            col.pinned = true;
        }
        let f = self.fresh(&format!("maintain_{parent}_{count_col}"));
        let trg = self.fresh(&format!("trg_{}_count", child.name));
        let _ = write!(
            out,
            "-- Keep {parent}.{count_col} current
ALTER TABLE {parent} ADD COLUMN IF NOT EXISTS {count_col} INTEGER NOT NULL DEFAULT 0;

UPDATE {parent} AS p SET {count_col} = (
    SELECT count(*) FROM {child} AS c WHERE c.{fk} = p.id
);

CREATE OR REPLACE FUNCTION {f}()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE {parent} SET {count_col} = {count_col} + 1 WHERE id = NEW.{fk};
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE {parent} SET {count_col} = {count_col} - 1 WHERE id = OLD.{fk};
    ELSIF NEW.{fk} IS DISTINCT FROM OLD.{fk} THEN
        UPDATE {parent} SET {count_col} = {count_col} - 1 WHERE id = OLD.{fk};
        UPDATE {parent} SET {count_col} = {count_col} + 1 WHERE id = NEW.{fk};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {trg} ON {child};
CREATE TRIGGER {trg}
    AFTER INSERT OR UPDATE OR DELETE ON {child}
    FOR EACH ROW EXECUTE FUNCTION {f}();

",
            child = child.name,
            fk = fk.name
        );
    }

    fn helper_function(&mut self, out: &mut String, t: usize) {
        let name = self.tables[t].name.clone();
        let f = self.fresh(&format!("{name}_recent_count"));
        self.helpers.push(Helper { name: f.clone(), table: t, revision: 0 });
        let h = self.helpers.len() - 1;
        self.emit_helper(out, h);
    }

    fn replace_helper(&mut self, out: &mut String) {
        if self.helpers.is_empty() {
            return;
        }
        let h = self.rng.below(self.helpers.len());
        self.helpers[h].revision += 1;
        self.emit_helper(out, h);
    }

    fn emit_helper(&mut self, out: &mut String, h: usize) {
        let helper = self.helpers[h].clone();
        let table = &self.tables[helper.table];
        let tname = &table.name;
        let f = &helper.name;
        let since = if table.has("created_at") { "created_at >= p_since" } else { "p_since IS NOT NULL" };
        let extra = match table.cols.iter().find(|c| !c.values.is_empty()) {
            Some(s) if helper.revision > 0 => format!("\n      AND {} <> '{}'", s.name, s.values[2]),
            _ => String::new(),
        };
        let _ = write!(
            out,
            "-- {} for dashboards
CREATE OR REPLACE FUNCTION {f}(p_since TIMESTAMPTZ DEFAULT now() - interval '30 days')
RETURNS BIGINT AS $$
DECLARE
    v_count BIGINT;
BEGIN
    SELECT count(*) INTO v_count
    FROM {tname}
    WHERE {since}{extra};
    IF v_count IS NULL THEN
        v_count := 0;
    END IF;
    RETURN v_count;
END;
$$ LANGUAGE plpgsql STABLE;

",
            if helper.revision == 0 { "Row counts" } else { "Row counts, revised" }
        );
    }

    fn comment(&mut self, out: &mut String, t: usize) {
        let table = self.tables[t].clone();
        let _ = writeln!(
            out,
            "COMMENT ON TABLE {} IS '{} records; see the team''s data dictionary.';",
            table.name,
            capitalize(table.entity)
        );
        if let Some(c) = table.pick_col(&mut self.rng, |c| c.name != "id") {
            let _ = writeln!(
                out,
                "COMMENT ON COLUMN {}.{} IS 'Set by the application, never by hand.';",
                table.name, c.name
            );
        }
        out.push('\n');
    }

    // -----------------------------------------------------------------------------------------
    // Renames

    fn rename_column(&mut self, out: &mut String, t: usize) {
        let rng = &mut self.rng;
        let Some(old) = self.tables[t]
            .pick_col(rng, |c| !c.pinned && c.name != "id" && c.values.is_empty())
            .map(|c| c.name.clone())
        else {
            return;
        };
        let prefix = *self.rng.pick(RENAME_PREFIXES);
        let new = format!("{prefix}{old}");
        if self.tables[t].has(&new) || old.starts_with(prefix) || new.len() > 40 {
            return;
        }
        let name = self.tables[t].name.clone();
        if let Some(c) = self.tables[t].cols.iter_mut().find(|c| c.name == old) {
            c.name = new.clone();
        }
        let _ = writeln!(out, "-- {old} becomes {new}\nALTER TABLE {name} RENAME COLUMN {old} TO {new};\n");
    }

    fn rename_table(&mut self, out: &mut String, t: usize) {
        let old = self.tables[t].name.clone();
        let q = *self.rng.pick(QUALIFIERS);
        let new = self.fresh(&format!("{old}_{q}"));
        if new.len() > 45 {
            return;
        }
        self.tables[t].name = new.clone();
        let cols: Vec<String> = self.tables[t].cols.iter().map(|c| c.name.clone()).collect();
        let refs: Vec<&str> = cols.iter().map(|c| c.as_str()).collect();
        self.reserve_implicit(&new, &refs);
        let _ = writeln!(
            out,
            "-- {old} is renamed; its indexes and constraints keep their names\nALTER TABLE IF EXISTS {old} RENAME TO {new};\n"
        );
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
