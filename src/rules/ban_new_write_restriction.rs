//! New constraints, NOT NULL and unique indexes on tables in use: writes that used to work start failing.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, ColumnOption, Statement, TableConstraint};

use super::domains;
use super::removals;
use super::sql_text::Action;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{fold, quote_ident, relation_name};
use crate::catalog::{ConstraintKind, QualName, Table};
use crate::diagnostic::Severity;
use crate::span::Span;
use crate::sql::alter_table::ManualAction;
use crate::sql::objects::DomainAction;

pub const RULE: Rule = Rule {
    id: "ban-new-write-restriction",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "a new constraint, NOT NULL or unique index makes writes that used to succeed fail",
    why: "Clients deployed before the migration keep writing what they always wrote. A new CHECK, foreign \
          key, UNIQUE, PRIMARY KEY or EXCLUDE constraint, SET NOT NULL, a unique index, or making a \
          constraint NOT DEFERRABLE / INITIALLY IMMEDIATE, turns some of those writes into errors from the \
          moment it commits — NOT VALID only skips checking the rows already there, and CONCURRENTLY only \
          avoids the lock. ALTER DOMAIN … ADD CHECK and SET NOT NULL do the same to every column of the \
          domain. The rule is more precise than a keyword match: tables and domains created earlier in the \
          migration, SET NOT NULL on a column or domain that already is, UNIQUE … USING INDEX (the unique \
          index already enforces it) and a unique index that duplicates an existing one are not reported. A new \
          column is judged by the value old clients' INSERTs give it, since they omit it: its default, or NULL \
          when it has none. NOT NULL without a default or with a NULL one is reported, and so is a CHECK that \
          value fails (a CHECK passes when true or NULL; one the rule cannot evaluate, such as a function \
          call, is reported).",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, quantity integer);",
    bad: "ALTER TABLE orders ADD CONSTRAINT orders_quantity_positive CHECK (quantity > 0) NOT VALID;",
    good: "CREATE TABLE order_notes (id bigint PRIMARY KEY, body text NOT NULL CHECK (body <> ''));\n\
           ALTER TABLE orders ADD COLUMN priority integer NOT NULL DEFAULT 1 CHECK (priority > 0);",
    fix: "Deploy clients that never write the rejected values first, then add the restriction; check the \
          logs of the old clients for writes it would reject.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some((domain, action)) = cx.alter_domain() {
        domain_restriction(cx, domain, action, out);
        return;
    }
    if let Some(Statement::CreateIndex(index)) = cx.statement() {
        unique_index(cx, index, out);
        return;
    }
    let Some(at) = cx.alter_table() else { return };
    let Some(table) = cx.existing_table(&at.name) else { return };
    let name = relation_name(&table.name);
    for (action, range) in &at.actions {
        let span = at.span(cx, *range);
        let written = collapse(cx.text_of(span));
        let message = match action {
            Action::Op(AlterTableOperation::AddConstraint { constraint, not_valid }) => {
                let not_valid = if *not_valid { " (NOT VALID skips only the rows already there)" } else { "" };
                match constraint {
                    TableConstraint::Check(_) => Some(format!(
                        "{written}: inserts and updates of {name} that break the check fail from now on{not_valid}"
                    )),
                    TableConstraint::ForeignKey(fk) => Some(format!(
                        "{written}: writes to {name} that point at missing rows of {} fail from now on, and so do deletes there that leave rows of {name} behind{not_valid}",
                        relation_name(&cx.resolve(&fk.foreign_table))
                    )),
                    TableConstraint::Unique(_) | TableConstraint::PrimaryKey(_) => {
                        Some(format!("{written}: inserts and updates of {name} that duplicate a key fail from now on"))
                    }
                    TableConstraint::Exclude(_) => Some(format!(
                        "{written}: inserts and updates of {name} that conflict with a row fail from now on"
                    )),
                    // The unique index already enforces the key; a primary key adds NOT NULL.
                    TableConstraint::PrimaryKeyUsingIndex(c) => {
                        let index = QualName::new(table.name.schema.clone(), fold(&c.index_name));
                        let nullable = cx
                            .before
                            .indexes
                            .get(&index)
                            .map(|i| {
                                i.columns
                                    .iter()
                                    .filter(|col| table.column(col).is_some_and(|c| !c.not_null))
                                    .cloned()
                                    .collect::<Vec<_>>()
                            })
                            .unwrap_or_default();
                        (!nullable.is_empty()).then(|| {
                            format!(
                                "{written}: the key columns become NOT NULL ({}), so writes of NULL to them fail from now on",
                                nullable.join(", ")
                            )
                        })
                    }
                    _ => None,
                }
            }
            Action::Op(AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::SetNotNull }) => {
                let column = fold(column_name);
                table.column(&column).is_some_and(|c| !c.not_null).then(|| {
                    format!("SET NOT NULL on {name}.{}: writes of NULL to it fail from now on", quote_ident(&column))
                })
            }
            Action::Op(AlterTableOperation::AddColumn { column_def, .. }) => {
                if table.column(&fold(&column_def.name)).is_some() {
                    continue;
                }
                new_column(column_def, &name)
            }
            Action::Manual(ManualAction::AlterConstraint { name: constraint, deferrable, initially_deferred }) => {
                let Some(old) = table.constraint(constraint) else { continue };
                let stricter = (*deferrable == Some(false) && old.deferrable)
                    || (*initially_deferred == Some(false) && old.initially_deferred);
                stricter.then(|| {
                    format!(
                        "{written}: {} is checked at each statement from now on, so transactions that relied on checking it at commit fail",
                        quote_ident(constraint)
                    )
                })
            }
            _ => None,
        };
        if let Some(message) = message {
            out.push(Finding::new(message).help("Deploy clients that never make the rejected writes first.").at(span));
        }
    }
}

/// A new column breaks old clients' INSERTs, which omit it, when the value it then gets (its default, or NULL)
/// is rejected: NOT NULL without a default or with a NULL one, or a CHECK that the value does not pass. A
/// CHECK passes when it is true or NULL; one the rule cannot evaluate is reported.
fn new_column(column_def: &sqlparser::ast::ColumnDef, table: &str) -> Option<String> {
    let column = fold(&column_def.name);
    let options = || column_def.options.iter().map(|o| &o.option);
    let not_null = options().any(|o| matches!(o, ColumnOption::NotNull | ColumnOption::PrimaryKey(_)));
    let default = options().find_map(|o| match o {
        ColumnOption::Default(e) => Some(e),
        _ => None,
    });
    let computed = options().any(|o| matches!(o, ColumnOption::Generated { .. } | ColumnOption::Identity(_)));
    // What an omitted column holds: `None` when the rule cannot tell (a generated or identity value, a
    // default it cannot evaluate).
    let omitted = match default {
        _ if computed => None,
        Some(e) => eval(e, None),
        None => Some(Value::Null),
    };
    let quoted = quote_ident(&column);
    if not_null && !computed {
        match (default, &omitted) {
            (None, _) => {
                return Some(format!(
                    "new column {quoted} of {table} is NOT NULL without a default: INSERTs from clients that do not know the column fail"
                ));
            }
            (Some(_), Some(Value::Null)) => {
                return Some(format!(
                    "new column {quoted} of {table} is NOT NULL with a NULL default: INSERTs from clients that do not know the column fail"
                ));
            }
            _ => {}
        }
    }
    // Every row old clients insert gets the same default: a second one breaks a UNIQUE key, and a
    // foreign key fails unless the referenced row exists. Identity and generated values differ per row.
    let filled = default.is_some() && !computed && omitted != Some(Value::Null);
    if filled && options().any(|o| matches!(o, ColumnOption::Unique(_) | ColumnOption::PrimaryKey(_))) {
        return Some(format!(
            "new column {quoted} of {table} is UNIQUE with a default: every row from clients that do not know the \
             column gets the same value, so their second INSERT fails"
        ));
    }
    if filled && options().any(|o| matches!(o, ColumnOption::ForeignKey(_))) {
        return Some(format!(
            "new column {quoted} of {table} references another table and has a default: INSERTs from clients that \
             do not know the column fail unless the referenced row exists"
        ));
    }
    let check = options().find_map(|o| match o {
        ColumnOption::Check(c) if !passes(&c.expr, &column, omitted.as_ref()) => Some(c),
        _ => None,
    })?;
    let value = match (&omitted, default) {
        (Some(Value::Null), None) => "NULL, as it has no default".to_string(),
        (_, Some(d)) => format!("its default {d}"),
        (_, None) => "its generated value".to_string(),
    };
    Some(format!(
        "new column {quoted} of {table} has CHECK ({}): INSERTs from clients that do not know the column give it {value}, \
         which the check may reject",
        check.expr
    ))
}

/// A constant as the rule evaluates it; anything else is unknown (`None`).
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
}

/// Whether `check` surely passes (is true or NULL) when `column` holds `value`.
fn passes(check: &sqlparser::ast::Expr, column: &str, value: Option<&Value>) -> bool {
    let Some(value) = value else { return false };
    matches!(eval(check, Some((column, value))), Some(Value::Null | Value::Bool(true)))
}

/// Evaluates a constant expression, with `column` bound to a value; `None` when it is not one the rule
/// knows (functions, casts of non-NULL values, other columns, …).
fn eval(e: &sqlparser::ast::Expr, column: Option<(&str, &Value)>) -> Option<Value> {
    use sqlparser::ast::{BinaryOperator as B, Expr, UnaryOperator, Value as V};
    let truth = |v: Value| match v {
        Value::Null => Some(None),
        Value::Bool(b) => Some(Some(b)),
        _ => None,
    };
    let of = |b: Option<bool>| b.map_or(Value::Null, Value::Bool);
    match e {
        Expr::Nested(inner) => eval(inner, column),
        Expr::Identifier(ident) => column.filter(|(c, _)| fold(ident) == *c).map(|(_, v)| v.clone()),
        Expr::CompoundIdentifier(parts) => {
            let last = parts.last()?;
            column.filter(|(c, _)| fold(last) == *c).map(|(_, v)| v.clone())
        }
        Expr::Value(v) => match &v.value {
            V::Null => Some(Value::Null),
            V::Boolean(b) => Some(Value::Bool(*b)),
            V::Number(n, _) => n.parse().ok().map(Value::Number),
            V::SingleQuotedString(s) => Some(Value::Text(s.clone())),
            _ => None,
        },
        Expr::Cast { expr, .. } => match eval(expr, column)? {
            Value::Null => Some(Value::Null),
            _ => None,
        },
        Expr::IsNull(inner) => Some(Value::Bool(eval(inner, column)? == Value::Null)),
        Expr::IsNotNull(inner) => Some(Value::Bool(eval(inner, column)? != Value::Null)),
        Expr::UnaryOp { op: UnaryOperator::Not, expr } => Some(of(truth(eval(expr, column)?)?.map(|b| !b))),
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => match eval(expr, column)? {
            Value::Number(n) => Some(Value::Number(-n)),
            Value::Null => Some(Value::Null),
            _ => None,
        },
        Expr::Between { expr, negated, low, high } => {
            let low = Expr::BinaryOp { left: expr.clone(), op: B::GtEq, right: low.clone() };
            let high = Expr::BinaryOp { left: expr.clone(), op: B::LtEq, right: high.clone() };
            let both = Expr::BinaryOp { left: Box::new(low), op: B::And, right: Box::new(high) };
            let v = eval(&both, column)?;
            if *negated { Some(of(truth(v)?.map(|b| !b))) } else { Some(v) }
        }
        Expr::BinaryOp { left, op, right } => {
            let (l, r) = (eval(left, column)?, eval(right, column)?);
            match op {
                B::And | B::Or => {
                    let (l, r) = (truth(l)?, truth(r)?);
                    let and = matches!(op, B::And);
                    Some(of(match (l, r) {
                        (Some(a), Some(b)) => Some(if and { a && b } else { a || b }),
                        (Some(x), None) | (None, Some(x)) if x != and => Some(x),
                        _ => None,
                    }))
                }
                B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq => {
                    let ordering = match (&l, &r) {
                        (Value::Null, _) | (_, Value::Null) => return Some(Value::Null),
                        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b)?,
                        (Value::Text(a), Value::Text(b))
                            if a.is_ascii() && b.is_ascii() && matches!(op, B::Eq | B::NotEq) =>
                        {
                            a.cmp(b)
                        }
                        (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
                        _ => return None,
                    };
                    use std::cmp::Ordering::*;
                    Some(Value::Bool(match op {
                        B::Eq => ordering == Equal,
                        B::NotEq => ordering != Equal,
                        B::Lt => ordering == Less,
                        B::LtEq => ordering != Greater,
                        B::Gt => ordering == Greater,
                        _ => ordering != Less,
                    }))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// `ALTER DOMAIN d ADD CHECK …` and `ALTER DOMAIN d SET NOT NULL`: writes to the columns of the domain,
/// and casts to it, are checked from now on.
fn domain_restriction(cx: &StatementCx<'_>, parts: &[String], action: &DomainAction, out: &mut Vec<Finding>) {
    let Some(domain) = domains::existing(cx, parts) else { return };
    let written = collapse(cx.text);
    let (message, keyword) = match action {
        DomainAction::AddCheck { not_valid, .. } => {
            let columns = domains::columns(cx.before, &domain.name, |_| true);
            let not_valid = if *not_valid { " (NOT VALID skips only the values already there)" } else { "" };
            let message = format!(
                "{written}: inserts and updates of the columns of the domain{} that break the check fail from now \
                 on, and so do casts to it{not_valid}",
                domains::in_parens(&columns)
            );
            (message, "ADD")
        }
        DomainAction::SetNotNull if !domain.now.not_null => {
            let columns = domains::columns(cx.before, &domain.name, |c| !c.not_null && !c.ty.array);
            let message = format!(
                "SET NOT NULL on domain {}: writes of NULL to the columns of the domain{} fail from now on",
                domain.label(),
                domains::in_parens(&columns)
            );
            (message, "SET")
        }
        _ => return,
    };
    let at = removals::find_seq(cx, &[keyword], 0)
        .map_or(cx.span, |k| Span::new(cx.span.file, k.start as usize, cx.span.end as usize));
    out.push(Finding::new(message).help("Deploy clients that never make the rejected writes first.").at(at));
}

fn unique_index(cx: &StatementCx<'_>, index: &sqlparser::ast::CreateIndex, out: &mut Vec<Finding>) {
    if !index.unique {
        return;
    }
    let Some(table) = cx.existing_table(&index.table_name) else { return };
    if cx.applied && duplicates_a_unique_index(cx, table, index) {
        return;
    }
    out.push(
        Finding::new(format!(
            "unique index on {}: inserts and updates that duplicate its key fail from now on (CONCURRENTLY avoids the lock, not the errors)",
            relation_name(&table.name)
        ))
        .help("Deploy clients that never write duplicates first.")
        .at(cx.find("UNIQUE")),
    );
}

/// Whether the new index enforces exactly what a unique index of the table already did.
fn duplicates_a_unique_index(cx: &StatementCx<'_>, table: &Table, index: &sqlparser::ast::CreateIndex) -> bool {
    let Some(name) = &index.name else { return false };
    let Some(last) = name.0.last().and_then(|p| p.as_ident()) else { return false };
    let qual = QualName::new(table.name.schema.clone(), fold(last));
    let Some(new) = cx.after.indexes.get(&qual) else { return false };
    cx.before
        .indexes_of(&table.name)
        .any(|old| old.unique && old.keys == new.keys && old.predicate == new.predicate && old.method == new.method)
        || table.constraints.iter().any(|c| {
            matches!(&c.kind, ConstraintKind::Unique { .. } | ConstraintKind::PrimaryKey { .. })
                && new.predicate.is_none()
                && new.keys.iter().map(|k| k.expr.trim_matches('"')).eq(c.kind.columns().iter().map(String::as_str))
        })
}

/// The statement text on one line, shortened.
fn collapse(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 90 { format!("{}…", one.chars().take(89).collect::<String>()) } else { one }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn count(sql: &str) -> usize {
        findings(&RULE, sql).len()
    }

    #[test]
    fn constraints_not_null_and_unique_indexes() {
        assert_eq!(count("ALTER TABLE orders ALTER COLUMN quantity SET NOT NULL;"), 1);
        assert_eq!(count("ALTER TABLE orders ADD CONSTRAINT q UNIQUE (quantity);"), 1);
        assert_eq!(count("CREATE UNIQUE INDEX orders_q ON orders (quantity);"), 1);
        assert_eq!(count("CREATE INDEX orders_q ON orders (quantity);"), 0);
    }

    #[test]
    fn what_changes_nothing_is_not_reported() {
        assert_eq!(count("ALTER TABLE orders ALTER COLUMN id SET NOT NULL;"), 0);
        assert_eq!(count("CREATE UNIQUE INDEX orders_id_again ON orders (id);"), 0);
        assert_eq!(count("CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);"), 0);
        let rule = Rule {
            setup: "CREATE TABLE orders (id bigint PRIMARY KEY, quantity integer);\nCREATE UNIQUE INDEX orders_q_idx ON orders (quantity);",
            ..RULE
        };
        assert!(
            findings(&rule, "ALTER TABLE orders ADD CONSTRAINT orders_q UNIQUE USING INDEX orders_q_idx;").is_empty()
        );
    }

    #[test]
    fn domains() {
        let rule = Rule {
            setup: "CREATE DOMAIN quantity AS integer;\n\
                    CREATE TABLE orders (id bigint PRIMARY KEY, quantity quantity);",
            ..RULE
        };
        let found = findings(&rule, "ALTER DOMAIN quantity ADD CHECK (VALUE > 0) NOT VALID;");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("(orders.quantity)"), "{}", found[0].message);
        assert!(found[0].message.contains("NOT VALID skips only"), "{}", found[0].message);
        assert_eq!(findings(&rule, "ALTER DOMAIN quantity SET NOT NULL;").len(), 1);
        let twice = "ALTER DOMAIN quantity SET NOT NULL;\nALTER DOMAIN quantity SET NOT NULL;";
        assert_eq!(findings(&rule, twice).len(), 1);
        let new =
            "CREATE DOMAIN code AS text;\nALTER DOMAIN code ADD CHECK (VALUE <> '');\nALTER DOMAIN code SET NOT NULL;";
        assert!(findings(&rule, new).is_empty());
    }

    #[test]
    fn new_columns() {
        assert_eq!(count("ALTER TABLE orders ADD COLUMN code text NOT NULL;"), 1);
        assert_eq!(count("ALTER TABLE orders ADD COLUMN code text NOT NULL DEFAULT 'x';"), 0);
        assert_eq!(count("ALTER TABLE orders ADD COLUMN code text UNIQUE CHECK (code <> '');"), 0);
    }

    #[test]
    fn new_columns_checked_with_the_value_old_clients_give_them() {
        // An omitted column gets its default, NULL when there is none; a CHECK passes when true or NULL.
        for sql in [
            "ALTER TABLE orders ADD COLUMN a int CHECK (a IS NOT NULL);",
            "ALTER TABLE orders ADD COLUMN b int DEFAULT 0 CHECK (b > 0);",
            "ALTER TABLE orders ADD COLUMN c int NOT NULL DEFAULT NULL;",
            "ALTER TABLE orders ADD COLUMN d int CHECK (coalesce(d, 0) > 0);",
            "ALTER TABLE orders ADD COLUMN e text DEFAULT 'x' CHECK (e IN ('a', 'b'));",
            "ALTER TABLE orders ADD COLUMN f int DEFAULT -1 CHECK (f >= 0 AND f < 10);",
            "ALTER TABLE orders ADD COLUMN g int NOT NULL DEFAULT NULL::integer;",
        ] {
            assert_eq!(count(sql), 1, "{sql}");
        }
        for sql in [
            "ALTER TABLE orders ADD COLUMN a int;",
            "ALTER TABLE orders ADD COLUMN b int NOT NULL DEFAULT 0;",
            "ALTER TABLE orders ADD COLUMN c int CHECK (c > 0);",
            "ALTER TABLE orders ADD COLUMN d int DEFAULT 1 CHECK (d > 0);",
            "ALTER TABLE orders ADD COLUMN e text DEFAULT 'open' CHECK (e = 'open' OR e = 'closed');",
            "ALTER TABLE orders ADD COLUMN f int DEFAULT 5 CHECK (f BETWEEN 1 AND 10 OR f IS NULL);",
            "ALTER TABLE orders ADD COLUMN g boolean NOT NULL DEFAULT false CHECK (NOT g OR g);",
        ] {
            assert_eq!(count(sql), 0, "{sql}");
        }
        for sql in [
            "ALTER TABLE orders ADD COLUMN h int NOT NULL DEFAULT 0 UNIQUE;",
            "ALTER TABLE orders ADD COLUMN i bigint DEFAULT 1 REFERENCES orders (id);",
        ] {
            assert_eq!(count(sql), 1, "{sql}");
        }
        for sql in [
            "ALTER TABLE orders ADD COLUMN h int UNIQUE;",
            "ALTER TABLE orders ADD COLUMN h int DEFAULT NULL UNIQUE;",
            "ALTER TABLE orders ADD COLUMN i bigint REFERENCES orders (id);",
            "ALTER TABLE orders ADD COLUMN j bigint GENERATED ALWAYS AS IDENTITY UNIQUE;",
        ] {
            assert_eq!(count(sql), 0, "{sql}");
        }
        let found = findings(&RULE, "ALTER TABLE orders ADD COLUMN b int DEFAULT 0 CHECK (b > 0);");
        assert!(found[0].message.contains("its default 0"), "{}", found[0].message);
        let found = findings(&RULE, "ALTER TABLE orders ADD COLUMN c int NOT NULL DEFAULT NULL;");
        assert!(found[0].message.contains("NOT NULL with a NULL default"), "{}", found[0].message);
    }

    #[test]
    fn constraint_timing() {
        let rule = Rule {
            setup: "CREATE TABLE a (id bigint PRIMARY KEY);\nCREATE TABLE b (a_id bigint CONSTRAINT b_a_fk REFERENCES a DEFERRABLE INITIALLY DEFERRED);",
            ..RULE
        };
        assert_eq!(findings(&rule, "ALTER TABLE b ALTER CONSTRAINT b_a_fk NOT DEFERRABLE;").len(), 1);
        assert!(findings(&rule, "ALTER TABLE b ALTER CONSTRAINT b_a_fk DEFERRABLE INITIALLY DEFERRED;").is_empty());
    }
}
