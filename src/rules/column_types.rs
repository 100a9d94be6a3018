//! What the column-type rules share: the columns a statement gives a type (CREATE TABLE, ADD COLUMN,
//! ALTER COLUMN … TYPE), each with its type as written (and where) and as PostgreSQL resolves it —
//! through `serial`, `int4`, `character varying`, arrays and domains.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, ColumnDef, ColumnOption, DataType, Statement};

use super::StatementCx;
use super::sql_text::{self, Action, Tok};
use crate::catalog::names::{self, relation_name};
use crate::catalog::types::{self, TypeRef};
use crate::catalog::{Catalog, QualName, UserTypeKind};
use crate::span::Span;

/// How the statement gives the column its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum How {
    CreateTable,
    AddColumn,
    AlterType,
}

/// A column and the type a statement gives it.
pub(super) struct TypedColumn {
    /// The table as PostgreSQL prints it (`orders`, `app.orders`).
    pub table: String,
    pub column: String,
    pub how: How,
    /// The type as written, and where (the whole type, `[]` and modifiers included).
    pub written: String,
    pub span: Option<Span>,
    /// Written as `serial`, `bigserial`, `smallserial` (or `serial4`…).
    pub serial: bool,
    /// `GENERATED … AS IDENTITY`.
    pub identity: bool,
    /// The built-in type underneath arrays and domains.
    pub base: TypeRef,
    /// The domains crossed to reach it, outermost first.
    pub domains: Vec<String>,
    /// An array of the base type (at any level).
    pub array: bool,
}

impl TypedColumn {
    /// `orders.id`.
    pub fn name(&self) -> String {
        format!("{}.{}", self.table, names::quote_ident(&self.column))
    }

    /// The span to report at: the type, or the whole statement.
    pub fn at(&self, cx: &StatementCx<'_>) -> Span {
        self.span.unwrap_or(cx.span)
    }

    /// "integer", or "domain money_cents (integer)" when a domain hides the type.
    pub fn describe(&self, base: &str) -> String {
        let array = if self.array { " array" } else { "" };
        match self.domains.first() {
            Some(d) => format!("{base}{array} (through domain {d})"),
            None => format!("{base}{array}"),
        }
    }

    /// Whether a mechanical replacement of the written type is safe: the type is written directly (no
    /// domain) and we know where.
    pub fn direct(&self) -> bool {
        self.domains.is_empty() && self.span.is_some()
    }
}

/// Strips arrays and domains down to a built-in type.
pub(super) fn base_type(ty: &TypeRef, catalog: &Catalog) -> (TypeRef, Vec<String>, bool) {
    let mut ty = ty.clone();
    let mut domains = Vec::new();
    let mut array = false;
    for _ in 0..16 {
        if ty.array {
            array = true;
            ty = ty.element();
            continue;
        }
        let Some(schema) = ty.schema.clone() else { break };
        let qual = QualName::new(schema, ty.name.clone());
        match catalog.types.get(&qual).map(|t| &t.kind) {
            Some(UserTypeKind::Domain { base, .. }) => {
                domains.push(names::qualified_type_name(&qual.schema, &qual.name));
                ty = base.clone();
            }
            _ => break,
        }
    }
    (ty, domains, array)
}

impl StatementCx<'_> {
    /// The columns the statement creates or retypes, read once per statement.
    pub(super) fn typed_columns(&self) -> &[TypedColumn] {
        self.memo.typed_columns.get_or_init(|| typed_columns(self))
    }
}

/// The columns that `cx` creates or retypes.
fn typed_columns(cx: &StatementCx<'_>) -> Vec<TypedColumn> {
    let mut out = Vec::new();
    if let Some(Statement::CreateTable(ct)) = cx.statement() {
        let table = relation_name(&cx.resolve(&ct.name));
        let toks = cx.tokens();
        let elements = create_table_elements(toks);
        let mut column_elements = elements.into_iter().filter(|(a, _)| !is_table_element_keyword(&toks[*a]));
        for col in &ct.columns {
            let range = column_elements.next();
            let span = range.and_then(|(a, b)| type_range(toks, a + 1, b)).map(|(a, b)| cx.sub_span(a, b));
            push(cx, &mut out, &table, col, How::CreateTable, span);
        }
        return out;
    }
    let Some(at) = cx.alter_table() else { return out };
    let table = relation_name(&cx.resolve(&at.name));
    for (action, range) in &at.actions {
        let Action::Op(op) = action else { continue };
        match op {
            AlterTableOperation::AddColumn { column_def, .. } => {
                // ADD [COLUMN] [IF NOT EXISTS] name type …
                let mut k = range.0 + 1;
                if at.toks.get(k).is_some_and(|t| t.is("COLUMN")) {
                    k += 1;
                }
                if at.toks.get(k).is_some_and(|t| t.is("IF")) {
                    k += 3;
                }
                let span = type_range(&at.toks, k + 1, range.1).map(|(a, b)| cx.sub_span(a, b));
                push(cx, &mut out, &table, column_def, How::AddColumn, span);
            }
            AlterTableOperation::AlterColumn {
                column_name,
                op: AlterColumnOperation::SetDataType { data_type, .. },
            } => {
                // ALTER [COLUMN] name [SET DATA] TYPE type [COLLATE …] [USING …]
                let mut k = range.0 + 1;
                if at.toks.get(k).is_some_and(|t| t.is("COLUMN")) {
                    k += 1;
                }
                let type_at = sql_text::find_words(&at.toks[..range.1], k + 1, &["TYPE"]);
                let span = type_at.and_then(|k| type_range(&at.toks, k + 1, range.1)).map(|(a, b)| cx.sub_span(a, b));
                let def = ColumnDef { name: column_name.clone(), data_type: data_type.clone(), options: Vec::new() };
                push(cx, &mut out, &table, &def, How::AlterType, span);
            }
            _ => {}
        }
    }
    // A column retyped twice in one statement ends with the last type: report that one only.
    let mut seen = std::collections::BTreeSet::new();
    let mut kept: Vec<TypedColumn> = out.into_iter().rev().filter(|c| seen.insert(c.column.clone())).collect();
    kept.reverse();
    kept
}

fn push(cx: &StatementCx<'_>, out: &mut Vec<TypedColumn>, table: &str, col: &ColumnDef, how: How, span: Option<Span>) {
    let Ok((ty, serial)) = types::resolve(&col.data_type, cx.before) else { return };
    let (base, domains, array) = base_type(&ty, cx.before);
    let identity = col.options.iter().any(|o| {
        matches!(&o.option, ColumnOption::Generated { generation_expr: None, .. } | ColumnOption::Identity(_))
    });
    let written = match span {
        Some(s) => cx.text_of(s).to_string(),
        None => written_type(&col.data_type),
    };
    out.push(TypedColumn {
        table: table.to_string(),
        column: names::fold(&col.name),
        how,
        written,
        span,
        serial: serial.is_some(),
        identity,
        base,
        domains,
        array,
    });
}

fn written_type(dt: &DataType) -> String {
    dt.to_string().to_lowercase()
}

/// The elements of a CREATE TABLE's column list, as token ranges.
fn create_table_elements(toks: &[Tok]) -> Vec<(usize, usize)> {
    let Some(open) = toks.iter().position(|t| t.is_sym("(")) else { return Vec::new() };
    // The matching close parenthesis.
    let mut depth = 0i32;
    let mut close = toks.len();
    for (i, t) in toks.iter().enumerate().skip(open) {
        if t.is_sym("(") {
            depth += 1;
        } else if t.is_sym(")") {
            depth -= 1;
            if depth == 0 {
                close = i;
                break;
            }
        }
    }
    sql_text::split_commas(toks, open + 1, close)
}

fn is_table_element_keyword(t: &Tok) -> bool {
    ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"].iter().any(|k| t.is(k))
}

/// The byte range of a column type that starts at `toks[from]` and ends before the first column
/// option (or `to`).
fn type_range(toks: &[Tok], from: usize, to: usize) -> Option<(usize, usize)> {
    const STOP: [&str; 14] = [
        "CONSTRAINT",
        "NOT",
        "NULL",
        "DEFAULT",
        "PRIMARY",
        "UNIQUE",
        "CHECK",
        "REFERENCES",
        "GENERATED",
        "COLLATE",
        "COMPRESSION",
        "STORAGE",
        "USING",
        "OPTIONS",
    ];
    let mut depth = 0i32;
    let mut last = None;
    for (i, t) in toks.iter().enumerate().take(to).skip(from) {
        if depth == 0 && (STOP.iter().any(|k| t.is(k)) || t.is_sym(",") || t.is_sym(")") || t.is_sym(";")) {
            break;
        }
        if t.is_sym("(") || t.is_sym("[") {
            depth += 1;
        } else if t.is_sym(")") || t.is_sym("]") {
            depth -= 1;
        }
        last = Some(i);
    }
    let last = last?;
    Some((toks.get(from)?.start, toks[last].end))
}

/// The replacement for a written integer type: the same column as `bigint` (keeping `serial` as
/// `bigserial` and arrays as arrays).
pub(super) fn bigint_spelling(col: &TypedColumn) -> String {
    let base = if col.serial { "bigserial" } else { "bigint" };
    let dims = col.written.matches('[').count().max(usize::from(col.array));
    format!("{base}{}", "[]".repeat(dims))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_ranges_stop_at_column_options() {
        let text = "id character varying(20)[] NOT NULL DEFAULT 'x'";
        let toks = sql_text::tokens(text);
        let (a, b) = type_range(&toks, 1, toks.len()).unwrap();
        assert_eq!(&text[a..b], "character varying(20)[]");
        let text = "at timestamp(3) with time zone, b int";
        let toks = sql_text::tokens(text);
        let (a, b) = type_range(&toks, 1, toks.len()).unwrap();
        assert_eq!(&text[a..b], "timestamp(3) with time zone");
    }
}
