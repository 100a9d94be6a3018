//! What the rules that also judge `ALTER DOMAIN` share: the domain a statement names, whether it existed
//! when the file started (a domain keeps its origin through renames and moves, as PostgreSQL keeps its
//! OID), and the columns of its type.

use super::StatementCx;
use super::removals::{column_label, list};
use crate::catalog::model::{Column, DomainCheck, UserType, UserTypeKind};
use crate::catalog::names::qualified_type_name;
use crate::catalog::{Catalog, QualName};

/// What a domain is, at one moment.
#[derive(Clone, Copy)]
pub(super) struct Def<'a> {
    pub not_null: bool,
    pub default: Option<&'a str>,
    pub checks: &'a [DomainCheck],
}

impl Def<'_> {
    pub fn check(&self, name: &str) -> Option<&DomainCheck> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// A domain that existed before the file.
pub(super) struct Domain<'a> {
    /// Its name before the statement.
    pub name: QualName,
    /// Before the statement.
    pub now: Def<'a>,
    /// When the file started.
    pub start: Def<'a>,
}

impl Domain<'_> {
    /// The name as `format_type` prints it: `price`, `billing.price`.
    pub fn label(&self) -> String {
        qualified_type_name(&self.name.schema, &self.name.name)
    }
}

fn def(ut: &UserType) -> Option<Def<'_>> {
    match &ut.kind {
        UserTypeKind::Domain { not_null, default, checks, .. } => {
            Some(Def { not_null: *not_null, default: default.as_deref(), checks })
        }
        _ => None,
    }
}

/// The qualified name `parts` gives a type in `catalog` (an unqualified one along the search path).
pub(super) fn resolve(catalog: &Catalog, parts: &[String]) -> Option<QualName> {
    match parts {
        [n] => Some(catalog.resolve_unqualified(n)),
        [s, n] => Some(QualName::new(s.clone(), n.clone())),
        _ => None,
    }
}

/// The domain `parts` names before the statement, when it existed before this file: a domain created
/// earlier in the file has no users yet and is `None`.
pub(super) fn existing<'a>(cx: &StatementCx<'a>, parts: &[String]) -> Option<Domain<'a>> {
    let name = resolve(cx.before, parts)?;
    let ut = cx.before.types.get(&name)?;
    let now = def(ut)?;
    let start = def(at_start(cx, ut)?)?;
    Some(Domain { name, now, start })
}

/// The same domain when the file started, found by its origin: it may have been renamed or moved since.
pub(super) fn at_start<'a>(cx: &StatementCx<'a>, ut: &UserType) -> Option<&'a UserType> {
    let start = &cx.file.start;
    let same = |t: &&UserType| t.origin.created == ut.origin.created;
    start.types.get(&ut.name).filter(same).or_else(|| start.types.values().find(same))
}

/// The columns whose type is the domain `q` (or an array of it) and that `keep` picks, as `table.column`.
pub(super) fn columns(catalog: &Catalog, q: &QualName, keep: impl Fn(&Column) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for table in catalog.tables.values() {
        for column in &table.columns {
            let of_domain = column.ty.schema.as_deref() == Some(q.schema.as_str()) && column.ty.name == q.name;
            if of_domain && keep(column) {
                out.push(column_label(&table.name, &column.name));
            }
        }
    }
    out
}

/// ` (orders.total, invoices.amount)`, or nothing when there are no columns.
pub(super) fn in_parens(columns: &[String]) -> String {
    if columns.is_empty() { String::new() } else { format!(" ({})", list(columns, 5)) }
}

#[cfg(test)]
mod tests {
    use super::in_parens;

    #[test]
    fn column_lists() {
        assert_eq!(in_parens(&[]), "");
        assert_eq!(in_parens(&["a.b".to_string(), "c.d".to_string()]), " (a.b and c.d)");
    }
}
