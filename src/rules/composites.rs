//! What the column rules share for `ALTER TYPE … ATTRIBUTE` on a composite type: clients read a composite
//! column's attributes as they read a table's columns (`(home).city`), so dropping, renaming or retyping an
//! attribute breaks them the same way. Only types that existed when the file started count: a type created
//! earlier in the file stores no values yet.

use super::StatementCx;
use super::domains;
use crate::catalog::QualName;
use crate::catalog::model::UserTypeKind;
use crate::catalog::names::qualified_type_name;
use crate::catalog::types::TypeRef;
use crate::sql::objects::{AttributeAction, ObjectStmt};
use crate::sql::parse::Parsed;

/// An `ALTER TYPE … ATTRIBUTE` statement on a composite type that existed before the file.
pub(super) struct Altered<'a> {
    pub name: QualName,
    pub actions: &'a [AttributeAction],
    /// The attributes when the file started.
    pub start: &'a [(String, TypeRef)],
}

impl Altered<'_> {
    /// The type's name as `format_type` prints it: `address`, `billing.line`.
    pub fn label(&self) -> String {
        qualified_type_name(&self.name.schema, &self.name.name)
    }

    /// Whether the attribute existed when the file started.
    pub fn had(&self, attribute: &str) -> bool {
        self.start.iter().any(|(a, _)| a == attribute)
    }

    /// The table columns of this type (or an array of it), as `table.column`, in parentheses; or nothing.
    pub fn columns(&self, cx: &StatementCx<'_>) -> String {
        domains::in_parens(&domains::columns(cx.before, &self.name, |_| true))
    }
}

/// The statement, when it is an `ALTER TYPE … ATTRIBUTE` that PostgreSQL accepts on a composite type in use.
pub(super) fn altered<'a>(cx: &StatementCx<'a>) -> Option<Altered<'a>> {
    if !cx.applied {
        return None;
    }
    altered_as_written(cx)
}

/// The same, whether or not the simulator applied it (it does not simulate what CASCADE does to typed
/// tables).
pub(super) fn altered_as_written<'a>(cx: &StatementCx<'a>) -> Option<Altered<'a>> {
    let Parsed::Object { stmt, .. } = cx.parsed else { return None };
    let ObjectStmt::AlterTypeAttributes { name, actions } = &**stmt else { return None };
    let q = domains::resolve(cx.before, name)?;
    let ut = cx.before.types.get(&q)?;
    let UserTypeKind::Composite { attributes } = &domains::at_start(cx, ut)?.kind else { return None };
    Some(Altered { name: q, actions, start: attributes })
}
