//! Expressions as PostgreSQL stores and prints them back. sqlparser gives us the expression as written;
//! PostgreSQL resolves types, coerces literals, picks operators, rewrites `IN`, `BETWEEN` and `LIKE`, and
//! its deparser (`ruleutils.c`, pretty mode, as psql's `\d` calls it) prints the result. This module
//! does the same in two steps: [`analyze`] builds a small typed tree ([`Node`]) from the sqlparser
//! expression, and [`Printer`] prints it with ruleutils' rules for constants, casts and parentheses.

use sqlparser::ast::{
    BinaryOperator, CastKind, DateTimeField, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, InTarget,
    UnaryOperator, Value,
};

use crate::catalog::model::{Catalog, QualName, UserTypeKind};
use crate::catalog::names::{self, quote_ident};
use crate::catalog::types::{self, TypeRef};

/// What an expression may refer to.
pub struct Scope<'a> {
    pub catalog: &'a Catalog,
    /// The table's columns and their types.
    pub columns: &'a [(String, TypeRef)],
    /// Trigger `WHEN` conditions refer to `NEW.col` and `OLD.col`.
    pub trigger_rows: bool,
}

/// An analysed expression, ready to print.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Const {
        value: ConstValue,
        ty: TypeRef,
    },
    /// A string literal whose type is not decided yet.
    Unknown(String),
    Var {
        name: String,
        qualifier: Option<&'static str>,
        ty: TypeRef,
    },
    Func {
        name: String,
        args: Vec<Node>,
        ty: TypeRef,
    },
    /// `CURRENT_TIMESTAMP` and friends, printed as written in upper case.
    SqlValue {
        text: String,
        ty: TypeRef,
    },
    /// SQL-syntax functions printed in their own syntax (`EXTRACT(epoch FROM x)`), with the columns
    /// their arguments use.
    Syntax {
        text: String,
        ty: TypeRef,
        simple: bool,
        columns: Vec<String>,
    },
    Op {
        op: String,
        left: Option<Box<Node>>,
        right: Box<Node>,
        ty: TypeRef,
    },
    Bool {
        op: BoolOp,
        args: Vec<Node>,
    },
    Cast {
        arg: Box<Node>,
        ty: TypeRef,
        implicit: bool,
        kind: CastNode,
    },
    ScalarArray {
        left: Box<Node>,
        op: String,
        any: bool,
        right: Box<Node>,
    },
    Array {
        elems: Vec<Node>,
        ty: TypeRef,
    },
    NullTest {
        arg: Box<Node>,
        not: bool,
    },
    BoolTest {
        arg: Box<Node>,
        test: &'static str,
    },
    Distinct {
        left: Box<Node>,
        right: Box<Node>,
        not: bool,
    },
    Case {
        arg: Option<Box<Node>>,
        whens: Vec<(Node, Node)>,
        default: Option<Box<Node>>,
        ty: TypeRef,
    },
    /// `COALESCE`, `GREATEST`, `LEAST`, `NULLIF`.
    Variadic {
        name: &'static str,
        args: Vec<Node>,
        ty: TypeRef,
    },
    Collate {
        arg: Box<Node>,
        collation: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
    Not,
}

/// How PostgreSQL implements a cast, which decides parentheses when it is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CastNode {
    /// A cast function (`FuncExpr`).
    Func,
    /// A binary-compatible relabelling (`RelabelType`), e.g. `varchar` to `text`.
    Relabel,
    /// Through the types' text forms (`CoerceViaIO`).
    Io,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    Null,
    Bool(bool),
    /// The type's output form (`5`, `-5`, `1.50`, `02:00:00`, `a0ee…`).
    Text(String),
}

impl Node {
    pub fn ty(&self) -> TypeRef {
        match self {
            Node::Const { ty, .. }
            | Node::Var { ty, .. }
            | Node::Func { ty, .. }
            | Node::SqlValue { ty, .. }
            | Node::Syntax { ty, .. }
            | Node::Op { ty, .. }
            | Node::Cast { ty, .. }
            | Node::Array { ty, .. }
            | Node::Case { ty, .. }
            | Node::Variadic { ty, .. } => ty.clone(),
            Node::Unknown(_) => TypeRef::builtin("unknown"),
            Node::Bool { .. }
            | Node::ScalarArray { .. }
            | Node::NullTest { .. }
            | Node::BoolTest { .. }
            | Node::Distinct { .. } => TypeRef::builtin("bool"),
            Node::Collate { arg, .. } => arg.ty(),
        }
    }

    fn is_unknown(&self) -> bool {
        matches!(self, Node::Unknown(_))
            || matches!(self, Node::Const { value: ConstValue::Null, ty } if ty.is("unknown"))
    }

    /// Columns the expression refers to, in order of first use.
    pub fn columns(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |n| {
            let names: &[String] = match n {
                Node::Var { name, .. } => std::slice::from_ref(name),
                Node::Syntax { columns, .. } => columns,
                _ => &[],
            };
            for name in names {
                if !out.contains(name) {
                    out.push(name.clone());
                }
            }
        });
        out
    }

    /// The qualifier of every column reference (`new`, `old`, or none), in order; columns inside a part
    /// printed during analysis count as unqualified.
    pub fn qualifiers(&self) -> Vec<Option<&'static str>> {
        let mut out = Vec::new();
        self.walk(&mut |n| match n {
            Node::Var { qualifier, .. } => out.push(*qualifier),
            Node::Syntax { columns, .. } => out.extend(columns.iter().map(|_| None)),
            _ => {}
        });
        out
    }

    fn walk(&self, f: &mut dyn FnMut(&Node)) {
        f(self);
        match self {
            Node::Func { args, .. } | Node::Bool { args, .. } | Node::Variadic { args, .. } => {
                args.iter().for_each(|a| a.walk(f))
            }
            Node::Array { elems, .. } => elems.iter().for_each(|a| a.walk(f)),
            Node::Op { left, right, .. } => {
                if let Some(l) = left {
                    l.walk(f);
                }
                right.walk(f);
            }
            Node::Cast { arg, .. }
            | Node::NullTest { arg, .. }
            | Node::BoolTest { arg, .. }
            | Node::Collate { arg, .. } => arg.walk(f),
            Node::ScalarArray { left, right, .. } | Node::Distinct { left, right, .. } => {
                left.walk(f);
                right.walk(f);
            }
            Node::Case { arg, whens, default, .. } => {
                if let Some(a) = arg {
                    a.walk(f);
                }
                for (w, t) in whens {
                    w.walk(f);
                    t.walk(f);
                }
                if let Some(d) = default {
                    d.walk(f);
                }
            }
            Node::Const { .. } | Node::Unknown(_) | Node::Var { .. } | Node::SqlValue { .. } | Node::Syntax { .. } => {}
        }
    }
}

type Res<T> = Result<T, String>;

/// A default: analysed, coerced to the column's type (assignment), printed as `\d` shows it.
pub fn default_expr(expr: &Expr, target: &TypeRef, scope: &Scope) -> Res<Option<String>> {
    let node = analyze(expr, scope)?;
    if !node.columns().is_empty() {
        return Err("cannot use column reference in DEFAULT expression".into());
    }
    let node = coerce(node, target, Coercion::Assignment, scope)?;
    if let Node::Const { value: ConstValue::Null, ty } = &node {
        // A length coercion (varchar(n), numeric(p,s), …) wraps the NULL, so PostgreSQL stores it.
        if !has_length_coercion(target) {
            return Ok(None);
        }
        return Ok(Some(format!("NULL::{}", ty.display())));
    }
    Ok(Some(print(&node)))
}

/// A generated column's expression: coerced like a default, printed as `\d` shows it.
pub fn generated_expr(expr: &Expr, target: &TypeRef, scope: &Scope) -> Res<String> {
    let node = analyze(expr, scope)?;
    let node = coerce(node, target, Coercion::Assignment, scope)?;
    Ok(print(&node))
}

/// The column a domain CHECK's `VALUE` becomes (`CoerceToDomainValue`): a name no identifier folds to, so
/// that it prints as `VALUE` wherever it appears and a table column called `value` never does.
const DOMAIN_VALUE: &str = "\u{1}value";

/// A domain's CHECK expression (`domainAddConstraint`): `VALUE` (any spelling that folds to `value`) is the
/// value, of the domain's base type; printed as `pg_get_constraintdef(oid, true)` prints it, without the
/// `CHECK (…)` wrapper.
pub fn domain_check(expr: &Expr, base: &TypeRef, catalog: &Catalog) -> Res<String> {
    let mut expr = expr.clone();
    let _ = sqlparser::ast::visit_expressions_mut(&mut expr, |e| {
        if let Expr::Identifier(ident) = e
            && names::fold(ident) == "value"
        {
            *ident = sqlparser::ast::Ident::with_quote('"', DOMAIN_VALUE);
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    let columns = [(DOMAIN_VALUE.to_string(), base.clone())];
    let scope = Scope { catalog, columns: &columns, trigger_rows: false };
    let node = analyze(&expr, &scope)?;
    let node = coerce_to_bool(node, &scope, "CHECK")?;
    Ok(print(&node))
}

/// A boolean condition (CHECK, partial-index WHERE, trigger WHEN): printed text and columns used.
pub fn condition(expr: &Expr, scope: &Scope, what: &str) -> Res<(String, Vec<String>)> {
    let node = analyze(expr, scope)?;
    let node = coerce_to_bool(node, scope, what)?;
    Ok((print(&node), node.columns()))
}

/// An index key expression: printed as `pg_get_indexdef` prints it (parenthesised unless it is a
/// function call), with the columns it uses.
pub fn index_expr(expr: &Expr, scope: &Scope) -> Res<(String, Vec<String>, TypeRef)> {
    let node = analyze(expr, scope)?;
    let node = resolve_unknown(node, scope)?;
    let text = print(&node);
    let text = match &node {
        Node::Var { .. } | Node::Func { .. } | Node::SqlValue { .. } | Node::Variadic { .. } => text,
        Node::Cast { kind: CastNode::Func, .. } if !text.contains("::") => text,
        _ => format!("({text})"),
    };
    Ok((text, node.columns(), node.ty()))
}

fn coerce_to_bool(node: Node, scope: &Scope, what: &str) -> Res<Node> {
    let ty = node.ty();
    if ty.is("bool") {
        return Ok(node);
    }
    if node.is_unknown() || base_type(&ty, scope.catalog).is("bool") {
        return coerce(node, &TypeRef::builtin("bool"), Coercion::Implicit, scope);
    }
    Err(format!("argument of {what} must be type boolean, not type {}", ty.display()))
}

fn resolve_unknown(node: Node, scope: &Scope) -> Res<Node> {
    if node.is_unknown() { coerce(node, &TypeRef::builtin("text"), Coercion::Implicit, scope) } else { Ok(node) }
}

// ---------------------------------------------------------------------------------------------
// Analysis: sqlparser expression → typed node.

/// Parses an expression as PostgreSQL printed it back. ALTER COLUMN … TYPE rebuilds dependent
/// constraints and indexes this way: from their printed definitions, against the new column types.
pub fn parse_printed(text: &str) -> Res<Expr> {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    sqlparser::parser::Parser::new(&dialect)
        .with_recursion_limit(96)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
        .map_err(|e| e.to_string())
}

pub fn analyze(expr: &Expr, scope: &Scope) -> Res<Node> {
    match expr {
        Expr::Nested(inner) => analyze(inner, scope),
        Expr::Identifier(ident) => {
            let name = names::fold(ident);
            if let Some(node) = sql_value_function(&name, ident.quote_style.is_none()) {
                return Ok(node);
            }
            column(scope, None, &name)
        }
        Expr::CompoundIdentifier(parts) => {
            let folded: Vec<String> = parts.iter().map(names::fold).collect();
            match folded.as_slice() {
                [q, col] if scope.trigger_rows && (q == "new" || q == "old") => {
                    column(scope, Some(if q == "new" { "new" } else { "old" }), col)
                }
                [.., col] => column(scope, None, col),
                [] => Err("empty name".into()),
            }
        }
        Expr::QualifiedWildcard(name, _) if scope.trigger_rows => {
            let q = names::parts(name).join(".");
            let qualifier = match q.as_str() {
                "new" => "new",
                "old" => "old",
                _ => return Err(format!("missing FROM-clause entry for table \"{q}\"")),
            };
            Ok(Node::Var { name: "*".into(), qualifier: Some(qualifier), ty: TypeRef::builtin("record") })
        }
        Expr::Value(v) => literal(&v.value),
        Expr::TypedString(ts) => {
            let (ty, _) = types::resolve(&ts.data_type, scope.catalog)?;
            let text = string_value(&ts.value.value).ok_or("syntax error at or near typed literal")?;
            coerce(Node::Unknown(text), &ty, Coercion::Explicit, scope)
        }
        Expr::Interval(iv) => {
            let inner = analyze(&iv.value, scope)?;
            let Node::Unknown(text) = inner else {
                return Err("syntax error: INTERVAL needs a string literal".into());
            };
            let text = match &iv.leading_field {
                Some(f) if !text.contains(|c: char| c.is_alphabetic()) => format!("{text} {}", field_name(f)),
                _ => text,
            };
            coerce(Node::Unknown(text), &TypeRef::builtin("interval"), Coercion::Explicit, scope)
        }
        Expr::Cast { kind, expr, data_type, .. } => {
            if !matches!(kind, CastKind::Cast | CastKind::DoubleColon) {
                return Err(format!("syntax error at or near \"{}\"", kind_word(kind)));
            }
            let (ty, serial) = types::resolve(data_type, scope.catalog)?;
            if serial.is_some() {
                return Err(format!("type \"{}\" does not exist", data_type.to_string().to_lowercase()));
            }
            // A cast of ARRAY[…] casts each element (transformTypeCast hands the type to the array).
            if ty.array
                && let Expr::Array(arr) = strip_nested(expr)
            {
                let elem = ty.element();
                let elems = arr
                    .elem
                    .iter()
                    .map(|e| analyze(e, scope).and_then(|n| coerce(n, &elem, Coercion::Explicit, scope)))
                    .collect::<Res<Vec<_>>>()?;
                return Ok(Node::Array { elems, ty: ty.without_mods() });
            }
            let node = analyze(expr, scope)?;
            coerce(node, &ty, Coercion::Explicit, scope)
        }
        Expr::UnaryOp { op, expr } => {
            match op {
                UnaryOperator::Minus => {
                    // The grammar folds a minus sign into a numeric literal.
                    if let Expr::Value(v) = strip_nested(expr)
                        && let Value::Number(n, _) = &v.value
                    {
                        return literal(&Value::Number(format!("-{n}"), false));
                    }
                    let arg = analyze(expr, scope)?;
                    prefix_op("-", arg, scope)
                }
                UnaryOperator::Plus => {
                    let arg = analyze(expr, scope)?;
                    prefix_op("+", arg, scope)
                }
                UnaryOperator::Not => {
                    let arg = coerce_to_bool(analyze(expr, scope)?, scope, "NOT")?;
                    Ok(Node::Bool { op: BoolOp::Not, args: vec![arg] })
                }
                other => Err(format!("operator is not supported here: {other}")),
            }
        }
        Expr::BinaryOp { left, op, right } => {
            let l = analyze(left, scope)?;
            let r = analyze(right, scope)?;
            match op {
                BinaryOperator::And | BinaryOperator::Or => {
                    let bop = if matches!(op, BinaryOperator::And) { BoolOp::And } else { BoolOp::Or };
                    let word = if bop == BoolOp::And { "AND" } else { "OR" };
                    let l = coerce_to_bool(l, scope, word)?;
                    let r = coerce_to_bool(r, scope, word)?;
                    // The parser flattens `a AND b AND c`.
                    let mut args = Vec::new();
                    for n in [l, r] {
                        match n {
                            Node::Bool { op, args: inner } if op == bop => args.extend(inner),
                            n => args.push(n),
                        }
                    }
                    Ok(Node::Bool { op: bop, args })
                }
                _ => binary_op(&binary_symbol(op)?, l, r, scope),
            }
        }
        Expr::IsNull(e) | Expr::IsNotNull(e) => {
            let arg = resolve_unknown(analyze(e, scope)?, scope)?;
            Ok(Node::NullTest { arg: Box::new(arg), not: matches!(expr, Expr::IsNotNull(_)) })
        }
        Expr::IsTrue(e)
        | Expr::IsNotTrue(e)
        | Expr::IsFalse(e)
        | Expr::IsNotFalse(e)
        | Expr::IsUnknown(e)
        | Expr::IsNotUnknown(e) => {
            let test = match expr {
                Expr::IsTrue(_) => "IS TRUE",
                Expr::IsNotTrue(_) => "IS NOT TRUE",
                Expr::IsFalse(_) => "IS FALSE",
                Expr::IsNotFalse(_) => "IS NOT FALSE",
                Expr::IsUnknown(_) => "IS UNKNOWN",
                _ => "IS NOT UNKNOWN",
            };
            let arg = coerce_to_bool(analyze(e, scope)?, scope, test)?;
            Ok(Node::BoolTest { arg: Box::new(arg), test })
        }
        Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => {
            let (l, r) = unify_pair(analyze(a, scope)?, analyze(b, scope)?, "=", scope)?;
            {
                let distinct = Node::Distinct { left: Box::new(l), right: Box::new(r), not: false };
                if matches!(expr, Expr::IsNotDistinctFrom(..)) {
                    Ok(Node::Bool { op: BoolOp::Not, args: vec![distinct] })
                } else {
                    Ok(distinct)
                }
            }
        }
        Expr::Between { expr: e, negated, low, high } => {
            let x = analyze(e, scope)?;
            let lo = analyze(low, scope)?;
            let hi = analyze(high, scope)?;
            let (op1, op2, bop) = if *negated { ("<", ">", BoolOp::Or) } else { (">=", "<=", BoolOp::And) };
            let a = binary_op(op1, x.clone(), lo, scope)?;
            let b = binary_op(op2, x, hi, scope)?;
            Ok(Node::Bool { op: bop, args: vec![a, b] })
        }
        Expr::In { expr: e, target: InTarget::List(list), negated, .. } => in_list(e, list, *negated, scope),
        Expr::Like { negated, expr: e, pattern, escape_char, any: false } => {
            like(e, pattern, escape_char.as_deref().map(|v| v as &Expr), if *negated { "!~~" } else { "~~" }, scope)
        }
        Expr::ILike { negated, expr: e, pattern, escape_char, any: false } => {
            like(e, pattern, escape_char.as_deref().map(|v| v as &Expr), if *negated { "!~~*" } else { "~~*" }, scope)
        }
        Expr::SimilarTo { negated, expr: e, pattern, escape_char: None } => {
            let l = analyze(e, scope)?;
            let p = coerce(analyze(pattern, scope)?, &TypeRef::builtin("text"), Coercion::Implicit, scope)?;
            let text = TypeRef::builtin("text");
            let pattern = Node::Func { name: "similar_to_escape".into(), args: vec![p], ty: text.clone() };
            binary_op(if *negated { "!~" } else { "~" }, l, pattern, scope)
        }
        Expr::AnyOp { left, compare_op, right, .. } | Expr::AllOp { left, compare_op, right } => {
            let any = matches!(expr, Expr::AnyOp { .. });
            let op = binary_symbol(compare_op)?;
            let l = analyze(left, scope)?;
            let r = analyze(right, scope)?;
            scalar_array(l, &op, any, r, scope)
        }
        Expr::Function(f) => function(f, scope),
        Expr::Array(arr) => {
            let elems = arr.elem.iter().map(|e| analyze(e, scope)).collect::<Res<Vec<_>>>()?;
            array(elems, scope)
        }
        Expr::Case { operand, conditions, else_result, .. } => {
            let arg = operand.as_deref().map(|o| analyze(o, scope)).transpose()?;
            let mut results = Vec::new();
            let mut conds = Vec::new();
            for cw in conditions {
                let c = analyze(&cw.condition, scope)?;
                let c = match &arg {
                    Some(a) => {
                        let (_, c) = unify_pair(a.clone(), c, "=", scope)?;
                        c
                    }
                    None => coerce_to_bool(c, scope, "CASE/WHEN")?,
                };
                conds.push(c);
                results.push(analyze(&cw.result, scope)?);
            }
            let default = else_result.as_deref().map(|e| analyze(e, scope)).transpose()?;
            let mut all: Vec<Node> = results;
            let has_default = default.is_some();
            all.extend(default);
            let mut all = smash_domains(all, scope)?;
            let ty = common_type(&all, "CASE")?;
            let default = if has_default { all.pop() } else { None };
            let results = all;
            let results =
                results.into_iter().map(|r| coerce(r, &ty, Coercion::Implicit, scope)).collect::<Res<Vec<_>>>()?;
            let default = default.map(|d| coerce(d, &ty, Coercion::Implicit, scope)).transpose()?;
            Ok(Node::Case {
                arg: arg.map(Box::new),
                whens: conds.into_iter().zip(results).collect(),
                default: default.map(Box::new),
                ty,
            })
        }
        Expr::Extract { field, expr: e, .. } => {
            let arg = resolve_unknown(analyze(e, scope)?, scope)?;
            let text = format!("EXTRACT({} FROM {})", field_name(field), print_child(&arg, &Parent::Func));
            Ok(Node::Syntax { text, ty: TypeRef::builtin("numeric"), simple: true, columns: arg.columns() })
        }
        Expr::Substring { expr: e, substring_from, substring_for, .. } => {
            let text = TypeRef::builtin("text");
            let int = TypeRef::builtin("int4");
            let arg = coerce(analyze(e, scope)?, &text, Coercion::Implicit, scope)?;
            let mut shown = format!("SUBSTRING({}", print_child(&arg, &Parent::Func));
            if let Some(f) = substring_from {
                let f = coerce(analyze(f, scope)?, &int, Coercion::Implicit, scope)?;
                shown.push_str(&format!(" FROM {}", print_child(&f, &Parent::Func)));
            }
            if let Some(f) = substring_for {
                let f = coerce(analyze(f, scope)?, &int, Coercion::Implicit, scope)?;
                shown.push_str(&format!(" FOR {}", print_child(&f, &Parent::Func)));
            }
            shown.push(')');
            Ok(Node::Syntax { text: shown, ty: text, simple: true, columns: arg.columns() })
        }
        Expr::Trim { trim_where, trim_what, expr: e, trim_characters: None } => {
            let text = TypeRef::builtin("text");
            let arg = coerce(analyze(e, scope)?, &text, Coercion::Implicit, scope)?;
            let side = match trim_where {
                Some(sqlparser::ast::TrimWhereField::Leading) => "LEADING",
                Some(sqlparser::ast::TrimWhereField::Trailing) => "TRAILING",
                _ => "BOTH",
            };
            let what = match trim_what {
                Some(w) => {
                    let w = coerce(analyze(w, scope)?, &text, Coercion::Implicit, scope)?;
                    format!("{} ", print_child(&w, &Parent::Func))
                }
                None => String::new(),
            };
            let shown = format!("TRIM({side} {what}FROM {})", print_child(&arg, &Parent::Func));
            Ok(Node::Syntax { text: shown, ty: text, simple: true, columns: arg.columns() })
        }
        Expr::CompoundFieldAccess { root, access_chain } => {
            let base = analyze(root, scope)?;
            let mut ty = base.ty();
            let mut shown = print_child(&base, &Parent::Func);
            for access in access_chain {
                let sqlparser::ast::AccessExpr::Subscript(sqlparser::ast::Subscript::Index { index }) = access else {
                    return Err(format!("expression is not supported by the simulator: {expr}"));
                };
                if !ty.array {
                    return Err(format!(
                        "cannot subscript type {} because it does not support subscripting",
                        ty.display()
                    ));
                }
                let i = coerce(analyze(index, scope)?, &TypeRef::builtin("int4"), Coercion::Implicit, scope)?;
                shown.push_str(&format!("[{}]", print(&i)));
                ty = ty.element();
            }
            Ok(Node::Syntax { text: shown, ty, simple: true, columns: base.columns() })
        }
        Expr::Position { expr: needle, r#in } => {
            // PostgreSQL 15 prints it in its SQL syntax, each argument in parentheses.
            let text = TypeRef::builtin("text");
            let needle = coerce(analyze(needle, scope)?, &text, Coercion::Implicit, scope)?;
            let hay = coerce(analyze(r#in, scope)?, &text, Coercion::Implicit, scope)?;
            let shown = format!("POSITION(({}) IN ({}))", print(&needle), print(&hay));
            let mut columns = needle.columns();
            columns.extend(hay.columns());
            Ok(Node::Syntax { text: shown, ty: TypeRef::builtin("int4"), simple: true, columns })
        }
        Expr::AtTimeZone { timestamp, time_zone } => {
            let ts = resolve_unknown(analyze(timestamp, scope)?, scope)?;
            let zone = coerce(analyze(time_zone, scope)?, &TypeRef::builtin("text"), Coercion::Implicit, scope)?;
            let ty = if ts.ty().is("timestamptz") {
                TypeRef::builtin("timestamp")
            } else if ts.ty().is("timestamp") {
                TypeRef::builtin("timestamptz")
            } else {
                ts.ty()
            };
            let text =
                format!("({} AT TIME ZONE {})", print_child(&ts, &Parent::Cast), print_child(&zone, &Parent::Cast));
            let mut columns = ts.columns();
            columns.extend(zone.columns());
            Ok(Node::Syntax { text, ty, simple: true, columns })
        }
        Expr::Collate { expr: e, collation } => {
            let arg = resolve_unknown(analyze(e, scope)?, scope)?;
            Ok(Node::Collate { arg: Box::new(arg), collation: names::object_name(collation) })
        }
        Expr::Subquery(_) | Expr::Exists { .. } | Expr::In { target: InTarget::Subquery(_), .. } => {
            Err("cannot use subquery in check constraint".into())
        }
        other => Err(format!("expression is not supported by the simulator: {other}")),
    }
}

fn strip_nested(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip_nested(inner),
        other => other,
    }
}

fn kind_word(kind: &CastKind) -> &'static str {
    match kind {
        CastKind::TryCast => "TRY_CAST",
        CastKind::SafeCast => "SAFE_CAST",
        _ => "CAST",
    }
}

fn field_name(f: &DateTimeField) -> String {
    match f {
        DateTimeField::Custom(ident) => ident.value.to_lowercase(),
        other => other.to_string().to_lowercase(),
    }
}

fn column(scope: &Scope, qualifier: Option<&'static str>, name: &str) -> Res<Node> {
    match scope.columns.iter().find(|(n, _)| n == name) {
        Some((n, ty)) => Ok(Node::Var { name: n.clone(), qualifier, ty: ty.without_mods() }),
        None => Err(format!("column \"{name}\" does not exist")),
    }
}

fn sql_value_function(name: &str, unquoted: bool) -> Option<Node> {
    if !unquoted {
        return None;
    }
    let (text, ty) = match name {
        "current_date" => ("CURRENT_DATE", "date"),
        "current_time" => ("CURRENT_TIME", "timetz"),
        "current_timestamp" => ("CURRENT_TIMESTAMP", "timestamptz"),
        "localtime" => ("LOCALTIME", "time"),
        "localtimestamp" => ("LOCALTIMESTAMP", "timestamp"),
        "current_role" => ("CURRENT_ROLE", "name"),
        "current_user" => ("CURRENT_USER", "name"),
        "user" => ("USER", "name"),
        "session_user" => ("SESSION_USER", "name"),
        "current_catalog" => ("CURRENT_CATALOG", "name"),
        "current_schema" => ("CURRENT_SCHEMA", "name"),
        _ => return None,
    };
    Some(Node::SqlValue { text: text.into(), ty: TypeRef::builtin(ty) })
}

fn string_value(v: &Value) -> Option<String> {
    match v {
        Value::SingleQuotedString(s)
        | Value::EscapedStringLiteral(s)
        | Value::UnicodeStringLiteral(s)
        | Value::NationalStringLiteral(s) => Some(s.clone()),
        Value::DollarQuotedString(d) => Some(d.value.clone()),
        _ => None,
    }
}

fn literal(v: &Value) -> Res<Node> {
    if let Some(s) = string_value(v) {
        return Ok(Node::Unknown(s));
    }
    match v {
        Value::Number(n, _) => Ok(number(n)),
        Value::Boolean(b) => Ok(Node::Const { value: ConstValue::Bool(*b), ty: TypeRef::builtin("bool") }),
        Value::Null => Ok(Node::Const { value: ConstValue::Null, ty: TypeRef::builtin("unknown") }),
        Value::SingleQuotedByteStringLiteral(s) => {
            Ok(Node::Const { value: ConstValue::Text(s.clone()), ty: TypeRef::builtin("bit") })
        }
        Value::HexStringLiteral(s) => {
            Ok(Node::Const { value: ConstValue::Text(s.clone()), ty: TypeRef::builtin("bit") })
        }
        Value::Placeholder(p) => Err(format!("there is no parameter {p}")),
        other => Err(format!("literal is not supported by the simulator: {other}")),
    }
}

/// A numeric literal: `int4` when it fits, then `int8`, else `numeric` (as the grammar decides).
fn number(text: &str) -> Node {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    if clean.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && let Ok(v) = clean.parse::<i64>()
    {
        let ty = if i32::try_from(v).is_ok() { "int4" } else { "int8" };
        return Node::Const { value: ConstValue::Text(v.to_string()), ty: TypeRef::builtin(ty) };
    }
    Node::Const { value: ConstValue::Text(normalize_numeric(&clean)), ty: TypeRef::builtin("numeric") }
}

fn normalize_numeric(text: &str) -> String {
    let t = text.trim().trim_start_matches('+');
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    // Exponents are applied by numeric_in; keep the digits otherwise as written.
    let out = if let Some((mant, exp)) = t.split_once(['e', 'E']) {
        expand_exponent(mant, exp.parse::<i32>().unwrap_or(0))
    } else {
        let t = t.trim_start_matches('0');
        let t = if t.is_empty() || t.starts_with('.') { format!("0{t}") } else { t.to_string() };
        if t.ends_with('.') { t.trim_end_matches('.').to_string() } else { t }
    };
    if neg && out.bytes().any(|b| (b'1'..=b'9').contains(&b)) { format!("-{out}") } else { out }
}

fn expand_exponent(mant: &str, exp: i32) -> String {
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits: String = format!("{int}{frac}");
    let point = int.len() as i32 + exp;
    let scale = (frac.len() as i32 - exp).max(0) as usize;
    let mut out = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
    };
    // numeric keeps max(0, fraction digits - exponent) digits after the point.
    if let Some((i, f)) = out.clone().split_once('.') {
        let mut f = f.to_string();
        f.truncate(scale.max(f.len().min(scale)));
        while f.len() < scale {
            f.push('0');
        }
        out = if f.is_empty() { i.to_string() } else { format!("{i}.{f}") };
    }
    let trimmed = out.trim_start_matches('0');
    if trimmed.is_empty() || trimmed.starts_with('.') { format!("0{trimmed}") } else { trimmed.to_string() }
}

// ---------------------------------------------------------------------------------------------
// Types, coercion and operators.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coercion {
    Implicit,
    Assignment,
    Explicit,
}

fn numeric_rank(t: &TypeRef) -> Option<u8> {
    if t.array || t.schema.is_some() {
        return None;
    }
    Some(match t.name.as_str() {
        "int2" => 1,
        "int4" => 2,
        "int8" => 3,
        "numeric" => 4,
        "float4" => 5,
        "float8" => 6,
        _ => return None,
    })
}

fn is_stringish(t: &TypeRef) -> bool {
    !t.array && t.schema.is_none() && matches!(t.name.as_str(), "text" | "varchar" | "bpchar" | "name")
}

/// Base type of a domain (of a domain over a domain, the innermost one), or the type itself.
fn base_type(t: &TypeRef, catalog: &Catalog) -> TypeRef {
    let mut t = t.clone();
    // Domains cannot form cycles; the bound only guards against a malformed catalog.
    for _ in 0..32 {
        let Some(schema) = &t.schema else { break };
        let Some(ut) = catalog.types.get(&QualName::new(schema.clone(), t.name.clone())) else { break };
        let UserTypeKind::Domain { base, .. } = &ut.kind else { break };
        t = TypeRef { array: t.array, ..base.clone() };
    }
    t
}

/// A value of a domain type, as an operator or function argument, is first relabelled to the
/// domain's base type (`coerce_type`'s domain-to-base `RelabelType`, which ruleutils prints as
/// `a::integer` there). Other values are returned as they are.
fn domain_to_base(node: Node, scope: &Scope) -> Res<Node> {
    let ty = node.ty();
    if ty.array || node.is_unknown() {
        return Ok(node);
    }
    let base = base_type(&ty, scope.catalog);
    if same_type(&base, &ty) {
        return Ok(node);
    }
    coerce(node, &base.without_mods(), Coercion::Implicit, scope)
}

/// `select_common_type` keeps a domain only when every input has that same type; otherwise domains
/// count as their base types.
fn smash_domains(nodes: Vec<Node>, scope: &Scope) -> Res<Vec<Node>> {
    let first = nodes.first().map(Node::ty);
    let all_same = nodes.iter().all(|n| !n.is_unknown() && first.as_ref().is_some_and(|f| same_type(f, &n.ty())));
    if all_same {
        return Ok(nodes);
    }
    nodes.into_iter().map(|n| domain_to_base(n, scope)).collect()
}

/// The domain value inside [`domain_to_base`]'s relabelling, so that a further coercion starts from the
/// domain itself (`c::text`, not `c::character varying::text`).
fn strip_domain_relabel(node: Node, scope: &Scope) -> Node {
    match node {
        Node::Cast { arg, ty, implicit: true, kind: CastNode::Relabel } => {
            let at = arg.ty();
            if !at.array && at.is_user() && same_type(&base_type(&at, scope.catalog), &ty) && !same_type(&at, &ty) {
                *arg
            } else {
                Node::Cast { arg, ty, implicit: true, kind: CastNode::Relabel }
            }
        }
        other => other,
    }
}

fn same_type(a: &TypeRef, b: &TypeRef) -> bool {
    a.name == b.name && a.schema == b.schema && a.array == b.array
}

/// Coerces `node` to `target` as PostgreSQL's `coerce_type` would.
fn coerce(node: Node, target: &TypeRef, how: Coercion, scope: &Scope) -> Res<Node> {
    let node = strip_domain_relabel(node, scope);
    let src = node.ty();
    match node {
        Node::Unknown(text) => {
            let base = base_type(target, scope.catalog);
            if !same_type(&base, target) {
                // A domain: the literal becomes a constant of the base type, then CoerceToDomain.
                let inner = coerce(Node::Unknown(text), &base, how, scope)?;
                return Ok(Node::Cast {
                    arg: Box::new(inner),
                    ty: target.without_mods(),
                    implicit: how != Coercion::Explicit,
                    kind: CastNode::Relabel,
                });
            }
            let value = input_value(&text, target, scope)?;
            let ty = if how == Coercion::Explicit { target.clone() } else { target.without_mods() };
            return Ok(Node::Const { value, ty });
        }
        Node::Const { value: ConstValue::Null, ref ty } if ty.is("unknown") => {
            return Ok(Node::Const { value: ConstValue::Null, ty: target.without_mods() });
        }
        _ => {}
    }
    if same_type(&src, target) {
        // Same type: only a length coercion when the modifiers differ and the cast is explicit.
        if how == Coercion::Explicit && !target.mods.is_empty() && src.mods != target.mods {
            return Ok(Node::Cast { arg: Box::new(node), ty: target.clone(), implicit: false, kind: CastNode::Func });
        }
        if src.mods != target.mods {
            return Ok(length_coercion(node, target, how));
        }
        return Ok(node);
    }
    let implicit = how != Coercion::Explicit;
    let src_base = base_type(&src, scope.catalog);
    let tgt_base = base_type(target, scope.catalog);
    let kind = cast_kind(&src_base, &tgt_base, how).ok_or_else(|| {
        if how == Coercion::Explicit {
            format!("cannot cast type {} to {}", src.display(), target.display())
        } else {
            format!("column is of type {} but expression is of type {}", target.display(), src.display())
        }
    })?;
    let ty = if implicit { target.without_mods() } else { target.clone() };
    let cast = Node::Cast { arg: Box::new(node), ty, implicit, kind };
    Ok(length_coercion(cast, target, how))
}

/// Types whose modifier is enforced by a separate length-coercion function call.
fn has_length_coercion(t: &TypeRef) -> bool {
    !t.mods.is_empty()
        && !t.array
        && t.schema.is_none()
        && matches!(
            t.name.as_str(),
            "varchar"
                | "bpchar"
                | "numeric"
                | "bit"
                | "varbit"
                | "time"
                | "timetz"
                | "timestamp"
                | "timestamptz"
                | "interval"
        )
}

/// Assigning to `varchar(10)` or `numeric(10,2)` adds a hidden call of the type's length coercion.
fn length_coercion(node: Node, target: &TypeRef, how: Coercion) -> Node {
    if how != Coercion::Assignment || !has_length_coercion(target) {
        return node;
    }
    Node::Cast { arg: Box::new(node), ty: target.without_mods(), implicit: true, kind: CastNode::Func }
}

/// Which cast exists from `src` to `tgt` in the given context, if any.
fn cast_kind(src: &TypeRef, tgt: &TypeRef, how: Coercion) -> Option<CastNode> {
    if same_type(src, tgt) {
        return Some(CastNode::Relabel);
    }
    if let (Some(a), Some(b)) = (numeric_rank(src), numeric_rank(tgt)) {
        // Widening is implicit; narrowing needs an assignment or explicit cast.
        return (a < b || how != Coercion::Implicit).then_some(CastNode::Func);
    }
    if is_stringish(src) && is_stringish(tgt) {
        let kind = match (src.name.as_str(), tgt.name.as_str()) {
            ("bpchar", _) => CastNode::Func,
            (_, "name") | ("name", _) => CastNode::Func,
            _ => CastNode::Relabel,
        };
        return Some(kind);
    }
    if src.array && tgt.array {
        return cast_kind(&src.element(), &tgt.element(), how);
    }
    if tgt.is("text") || tgt.is("varchar") || tgt.is("bpchar") {
        // Every type has an I/O conversion to text, assignment-only unless explicit.
        return (how != Coercion::Implicit || src.category() == 'U' && src.is_user()).then_some(CastNode::Io);
    }
    let (s, t) = (src.name.as_str(), tgt.name.as_str());
    let implicit_ok = matches!(
        (s, t),
        ("date", "timestamp" | "timestamptz")
            | ("timestamp", "timestamptz")
            | ("time", "timetz" | "interval")
            | ("json", "jsonb")
            | ("int4" | "int8" | "int2", "oid" | "regclass")
            | ("text" | "varchar", "regclass")
            | ("cidr", "inet")
    );
    if implicit_ok {
        let kind = if matches!((s, t), ("int4", "oid" | "regclass")) { CastNode::Relabel } else { CastNode::Func };
        return Some(kind);
    }
    if how == Coercion::Implicit {
        return None;
    }
    let assignment_ok = matches!(
        (s, t),
        ("int4" | "int8" | "numeric", "money")
            | ("timestamptz" | "timestamp", "date" | "time")
            | ("timestamptz", "timestamp" | "timetz")
            | ("jsonb", "json")
    );
    if assignment_ok {
        return Some(CastNode::Func);
    }
    if how == Coercion::Explicit {
        // Explicit casts between most types go through I/O or a cast function.
        if is_stringish(src) || src.category() == 'N' && tgt.category() == 'N' {
            return Some(CastNode::Io);
        }
        if matches!((s, t), ("jsonb", "int4" | "int8" | "numeric" | "bool" | "float8" | "text")) {
            return Some(CastNode::Func);
        }
        if s == "bool" && t == "int4" || s == "int4" && t == "bool" {
            return Some(CastNode::Func);
        }
        return Some(CastNode::Io);
    }
    None
}

/// The common type of the branches of a CASE, COALESCE or IN list (`select_common_type`).
fn common_type(nodes: &[Node], what: &str) -> Res<TypeRef> {
    let typed: Vec<TypeRef> = nodes.iter().filter(|n| !n.is_unknown()).map(Node::ty).collect();
    let Some(first) = typed.first() else {
        return Ok(TypeRef::builtin("text"));
    };
    let mut best = first.without_mods();
    for t in &typed[1..] {
        if same_type(&best, t) {
            continue;
        }
        match (numeric_rank(&best), numeric_rank(t)) {
            (Some(a), Some(b)) => {
                if b > a {
                    best = t.without_mods();
                }
            }
            _ if is_stringish(&best) && is_stringish(t) => {
                if t.is("text") {
                    best = t.without_mods();
                }
            }
            _ => {
                return Err(format!("{what} types {} and {} cannot be matched", best.display(), t.display()));
            }
        }
    }
    Ok(best)
}

fn binary_symbol(op: &BinaryOperator) -> Res<String> {
    Ok(match op {
        BinaryOperator::PGCustomBinaryOperator(parts) => parts.join("."),
        BinaryOperator::Custom(s) => s.clone(),
        BinaryOperator::Spaceship
        | BinaryOperator::Xor
        | BinaryOperator::DuckIntegerDivide
        | BinaryOperator::MyIntegerDivide
        | BinaryOperator::Regexp
        | BinaryOperator::Match
        | BinaryOperator::Glob => {
            return Err(format!("operator does not exist: {op}"));
        }
        BinaryOperator::BitwiseXor => "#".into(),
        BinaryOperator::PGBitwiseXor => "#".into(),
        other => other.to_string(),
    })
}

fn is_comparison(op: &str) -> bool {
    matches!(op, "=" | "<>" | "<" | ">" | "<=" | ">=")
}

fn bool_ty() -> TypeRef {
    TypeRef::builtin("bool")
}

fn prefix_op(op: &str, arg: Node, scope: &Scope) -> Res<Node> {
    let arg =
        if arg.is_unknown() { coerce(arg, &TypeRef::builtin("numeric"), Coercion::Implicit, scope)? } else { arg };
    let ty = arg.ty();
    if numeric_rank(&ty).is_none() && !ty.is("interval") {
        return Err(format!("operator does not exist: {op} {}", ty.display()));
    }
    Ok(Node::Op { op: op.into(), left: None, right: Box::new(arg), ty })
}

/// Picks the operator's argument types as PostgreSQL's operator resolution would for the common
/// cases, coerces both sides, and returns them.
fn unify_pair(l: Node, r: Node, op: &str, scope: &Scope) -> Res<(Node, Node)> {
    let text = TypeRef::builtin("text");
    match (l.is_unknown(), r.is_unknown()) {
        (true, true) => {
            return Ok((coerce(l, &text, Coercion::Implicit, scope)?, coerce(r, &text, Coercion::Implicit, scope)?));
        }
        (true, false) => {
            let (r2, l2) = unify_pair(r, l, op, scope)?;
            return Ok((l2, r2));
        }
        _ => {}
    }
    let l = domain_to_base(l, scope)?;
    let r = domain_to_base(r, scope)?;
    let lt = base_type(&l.ty(), scope.catalog);
    if r.is_unknown() {
        // The literal takes the other side's type; varchar and name compare as text.
        let target = if lt.is("varchar") || lt.is("name") { text.clone() } else { lt.without_mods() };
        let l = if same_type(&lt, &target) { l } else { coerce(l, &target, Coercion::Implicit, scope)? };
        let r = coerce(r, &target, Coercion::Implicit, scope)?;
        return Ok((l, r));
    }
    let rt = base_type(&r.ty(), scope.catalog);
    if same_type(&lt, &rt) {
        if lt.is("varchar") || lt.is("name") {
            return Ok((coerce(l, &text, Coercion::Implicit, scope)?, coerce(r, &text, Coercion::Implicit, scope)?));
        }
        return Ok((l, r));
    }
    if let (Some(a), Some(b)) = (numeric_rank(&lt), numeric_rank(&rt)) {
        // int2/int4/int8 have cross-type operators; floats have float4/float8 ones. Otherwise the
        // narrower side is cast: to numeric, or to double precision when a float is involved.
        let cross_int = a <= 3 && b <= 3 && (is_comparison(op) || matches!(op, "+" | "-" | "*" | "/"));
        let cross_float = a >= 5 && b >= 5;
        if cross_int || cross_float {
            return Ok((l, r));
        }
        let target = if a >= 5 || b >= 5 {
            TypeRef::builtin("float8")
        } else if a == 4 || b == 4 {
            TypeRef::builtin("numeric")
        } else {
            if a > b { lt.clone() } else { rt.clone() }
        };
        // float4 meets float8 through the float48 operators, without a cast.
        let keeps = |rank: Option<u8>| rank == numeric_rank(&target) || (rank == Some(5) && target.is("float8"));
        let l = if keeps(numeric_rank(&lt)) { l } else { coerce(l, &target, Coercion::Implicit, scope)? };
        let r = if keeps(numeric_rank(&rt)) { r } else { coerce(r, &target, Coercion::Implicit, scope)? };
        return Ok((l, r));
    }
    if is_stringish(&lt) && is_stringish(&rt) {
        // name and text compare through their cross-type operators (texteqname, …): name keeps its type.
        let side =
            |n: Node, t: &TypeRef| if t.is("name") { Ok(n) } else { coerce(n, &text, Coercion::Implicit, scope) };
        if lt.is("name") != rt.is("name") && is_comparison(op) {
            return Ok((side(l, &lt)?, side(r, &rt)?));
        }
        return Ok((coerce(l, &text, Coercion::Implicit, scope)?, coerce(r, &text, Coercion::Implicit, scope)?));
    }
    // Date/time types have cross-type operators among themselves.
    if lt.category() == 'D' && rt.category() == 'D' {
        return Ok((l, r));
    }
    Err(format!("operator does not exist: {} {op} {}", lt.display(), rt.display()))
}

fn binary_op(op: &str, l: Node, r: Node, scope: &Scope) -> Res<Node> {
    let text = TypeRef::builtin("text");
    let l = domain_to_base(l, scope)?;
    let r = domain_to_base(r, scope)?;
    match op {
        "~~" | "!~~" | "~~*" | "!~~*" | "~" | "!~" | "~*" | "!~*" => {
            let l = if l.ty().is("bpchar") { l } else { coerce(l, &text, Coercion::Implicit, scope)? };
            let r = coerce(r, &text, Coercion::Implicit, scope)?;
            return Ok(Node::Op { op: op.into(), left: Some(Box::new(l)), right: Box::new(r), ty: bool_ty() });
        }
        "||" => {
            let (lt, rt) = (l.ty(), r.ty());
            if lt.array || rt.array {
                let ty = if lt.array { lt } else { rt };
                let l = if l.is_unknown() { coerce(l, &ty, Coercion::Implicit, scope)? } else { l };
                let r = if r.is_unknown() { coerce(r, &ty, Coercion::Implicit, scope)? } else { r };
                return Ok(Node::Op { op: op.into(), left: Some(Box::new(l)), right: Box::new(r), ty });
            }
            if lt.is("jsonb") || rt.is("jsonb") {
                let j = TypeRef::builtin("jsonb");
                let l = coerce(l, &j, Coercion::Implicit, scope)?;
                let r = coerce(r, &j, Coercion::Implicit, scope)?;
                return Ok(Node::Op { op: op.into(), left: Some(Box::new(l)), right: Box::new(r), ty: j });
            }
            // text || anynonarray: the non-text side is cast to text through I/O.
            let conv = |n: Node| -> Res<Node> {
                let t = n.ty();
                if n.is_unknown() || is_stringish(&t) { coerce(n, &text, Coercion::Implicit, scope) } else { Ok(n) }
            };
            return Ok(Node::Op { op: op.into(), left: Some(Box::new(conv(l)?)), right: Box::new(conv(r)?), ty: text });
        }
        "->" | "->>" | "#>" | "#>>" | "?" | "?|" | "?&" | "@>" | "<@" | "#-" | "@?" | "@@" | "&&" => {
            return json_or_container_op(op, l, r, scope);
        }
        _ => {}
    }
    // Date/time arithmetic.
    if matches!(op, "+" | "-") {
        let (lt, rt) = (l.ty(), r.ty());
        let interval = TypeRef::builtin("interval");
        if lt.category() == 'D' && (rt.is("interval") || r.is_unknown()) {
            let r = coerce(r, &interval, Coercion::Implicit, scope)?;
            let ty = if lt.is("date") { TypeRef::builtin("timestamp") } else { lt.without_mods() };
            return Ok(Node::Op { op: op.into(), left: Some(Box::new(l)), right: Box::new(r), ty });
        }
        if op == "-" && lt.category() == 'D' && rt.category() == 'D' {
            let ty = if lt.is("date") && rt.is("date") { TypeRef::builtin("int4") } else { interval };
            return Ok(Node::Op { op: op.into(), left: Some(Box::new(l)), right: Box::new(r), ty });
        }
        if lt.is("date") && numeric_rank(&rt).is_some_and(|r| r <= 2) {
            return Ok(Node::Op { op: op.into(), left: Some(Box::new(l)), right: Box::new(r), ty: lt });
        }
    }
    let (l, r) = unify_pair(l, r, op, scope)?;
    let ty = if is_comparison(op) {
        bool_ty()
    } else {
        let (lt, rt) = (l.ty(), r.ty());
        match (numeric_rank(&lt), numeric_rank(&rt)) {
            (Some(a), Some(b)) if matches!(op, "+" | "-" | "*" | "/" | "%" | "^") => {
                if op == "^" {
                    if a == 4 || b == 4 { TypeRef::builtin("numeric") } else { TypeRef::builtin("float8") }
                } else if a >= b {
                    lt
                } else {
                    rt
                }
            }
            _ if matches!(op, "+" | "-" | "*" | "/" | "%" | "&" | "|" | "#" | "<<" | ">>") => lt,
            _ => bool_ty(),
        }
    };
    Ok(Node::Op { op: op.into(), left: Some(Box::new(l)), right: Box::new(r), ty })
}

fn json_or_container_op(op: &str, l: Node, r: Node, scope: &Scope) -> Res<Node> {
    let text = TypeRef::builtin("text");
    let lt = l.ty();
    let (r, ty) = match op {
        "->" | "->>" => {
            let r = if r.is_unknown() { coerce(r, &text, Coercion::Implicit, scope)? } else { r };
            let ty = if op == "->>" { text.clone() } else { lt.without_mods() };
            (r, ty)
        }
        "#>" | "#>>" | "#-" => {
            let r = coerce(r, &text.clone().array_of(), Coercion::Implicit, scope)?;
            let ty = if op == "#>>" { text.clone() } else { lt.without_mods() };
            (r, ty)
        }
        "?" => (coerce(r, &text, Coercion::Implicit, scope)?, bool_ty()),
        "?|" | "?&" => (coerce(r, &text.clone().array_of(), Coercion::Implicit, scope)?, bool_ty()),
        _ => {
            let r = if r.is_unknown() { coerce(r, &lt.without_mods(), Coercion::Implicit, scope)? } else { r };
            (r, bool_ty())
        }
    };
    Ok(Node::Op { op: op.into(), left: Some(Box::new(l)), right: Box::new(r), ty })
}

fn like(e: &Expr, pattern: &Expr, escape: Option<&Expr>, op: &str, scope: &Scope) -> Res<Node> {
    let l = analyze(e, scope)?;
    let mut r = analyze(pattern, scope)?;
    if let Some(esc) = escape {
        let text = TypeRef::builtin("text");
        let p = coerce(r, &text, Coercion::Implicit, scope)?;
        let esc = coerce(analyze(esc, scope)?, &text, Coercion::Implicit, scope)?;
        r = Node::Func { name: "like_escape".into(), args: vec![p, esc], ty: text };
    }
    binary_op(op, l, r, scope)
}

fn in_list(e: &Expr, list: &[Expr], negated: bool, scope: &Scope) -> Res<Node> {
    let x = analyze(e, scope)?;
    let items = list.iter().map(|i| analyze(i, scope)).collect::<Res<Vec<_>>>()?;
    let op = if negated { "<>" } else { "=" };
    if items.len() == 1 {
        let item = items.into_iter().next().ok_or("empty IN list")?;
        return binary_op(op, x, item, scope);
    }
    // transformAExprIn: the common type of the left side and every item, then `= ANY (ARRAY[…])`.
    let x = domain_to_base(x, scope)?;
    let items = items.into_iter().map(|i| domain_to_base(i, scope)).collect::<Res<Vec<_>>>()?;
    let mut all = vec![x.clone()];
    all.extend(items.iter().cloned());
    let common = common_type(&all, "IN")?;
    let x = if x.is_unknown() { coerce(x, &common, Coercion::Implicit, scope)? } else { x };
    let elems = items.into_iter().map(|i| coerce(i, &common, Coercion::Implicit, scope)).collect::<Res<Vec<_>>>()?;
    let arr = Node::Array { elems, ty: common.clone().array_of() };
    scalar_array(x, op, !negated, arr, scope)
}

fn scalar_array(l: Node, op: &str, any: bool, r: Node, scope: &Scope) -> Res<Node> {
    let l = domain_to_base(resolve_unknown(l, scope)?, scope)?;
    let lt = base_type(&l.ty(), scope.catalog);
    let r = if r.is_unknown() { coerce(r, &lt.without_mods().array_of(), Coercion::Implicit, scope)? } else { r };
    let rt = r.ty();
    if !rt.array {
        return Err(format!("op ANY/ALL (array) requires array on right side, not {}", rt.display()));
    }
    // Resolve the element operator as for a plain binary operator; varchar compares as text.
    let (l, r) = if lt.is("varchar") || lt.is("name") {
        let text = TypeRef::builtin("text");
        let l = coerce(l, &text, Coercion::Implicit, scope)?;
        let r = if rt.element().is("text") { r } else { coerce(r, &text.array_of(), Coercion::Implicit, scope)? };
        (l, r)
    } else if let (Some(a), Some(b)) = (numeric_rank(&lt), numeric_rank(&rt.element())) {
        if a == b || (a <= 3 && b <= 3) || (a >= 5 && b >= 5) {
            (l, r)
        } else {
            let target = if a > b { lt.without_mods() } else { rt.element() };
            let l = if a == numeric_rank(&target).unwrap_or(0) {
                l
            } else {
                coerce(l, &target, Coercion::Implicit, scope)?
            };
            let r = if b == numeric_rank(&target).unwrap_or(0) {
                r
            } else {
                coerce(r, &target.clone().array_of(), Coercion::Implicit, scope)?
            };
            (l, r)
        }
    } else {
        (l, r)
    };
    Ok(Node::ScalarArray { left: Box::new(l), op: op.into(), any, right: Box::new(r) })
}

fn array(elems: Vec<Node>, scope: &Scope) -> Res<Node> {
    if elems.is_empty() {
        return Err("cannot determine type of empty array".into());
    }
    let elems = smash_domains(elems, scope)?;
    let common = common_type(&elems, "ARRAY")?;
    let elems = elems.into_iter().map(|e| coerce(e, &common, Coercion::Implicit, scope)).collect::<Res<Vec<_>>>()?;
    Ok(Node::Array { elems, ty: common.array_of() })
}

/// Built-in functions: name → (argument type per position, or `None` to keep the argument's type;
/// return type, or `None` for "the first argument's type").
/// Whether the analysis knows the function's signatures (a built-in it models, or a function the
/// migrations created), so that its "does not exist" is PostgreSQL's verdict rather than a gap.
pub fn known_function(name: &str, catalog: &Catalog) -> bool {
    builtin_function(name).is_some() || catalog.has_function_named(name)
}

fn builtin_function(name: &str) -> Option<(&'static [Option<&'static str>], Option<&'static str>)> {
    const T: Option<&str> = Some("text");
    const ANY: Option<&str> = None;
    // VARIADIC "any": literals stay of unknown type.
    const VAR: Option<&str> = Some("any");
    let it: (&'static [Option<&'static str>], Option<&'static str>) = match name {
        "now" | "transaction_timestamp" | "statement_timestamp" | "clock_timestamp" => (&[], Some("timestamptz")),
        "timeofday" => (&[], Some("text")),
        "gen_random_uuid" | "uuid_generate_v4" | "uuid_generate_v1" | "uuidv4" | "uuidv7" => (&[], Some("uuid")),
        "random" => (&[], Some("float8")),
        "lower" | "upper" | "btrim" | "ltrim" | "rtrim" | "initcap" | "md5" | "reverse" | "quote_ident"
        | "quote_literal" => (&[T, T], Some("text")),
        "length" | "char_length" | "character_length" | "octet_length" | "bit_length" | "ascii" => (&[T], Some("int4")),
        "left" | "right" => (&[T, Some("int4")], Some("text")),
        "substr" => (&[T, Some("int4"), Some("int4")], Some("text")),
        "replace" | "translate" => (&[T, T, T], Some("text")),
        "regexp_replace" => (&[T, T, T, T], Some("text")),
        "split_part" => (&[T, T, Some("int4")], Some("text")),
        "concat" | "concat_ws" | "format" => (&[VAR, VAR, VAR, VAR, VAR, VAR], Some("text")),
        "starts_with" => (&[T, T], Some("bool")),
        "to_tsvector" => (&[T, T], Some("tsvector")),
        "int4range" => (&[Some("int4"), Some("int4"), T], Some("int4range")),
        "int8range" => (&[Some("int8"), Some("int8"), T], Some("int8range")),
        "numrange" => (&[Some("numeric"), Some("numeric"), T], Some("numrange")),
        "daterange" => (&[Some("date"), Some("date"), T], Some("daterange")),
        "tsrange" => (&[Some("timestamp"), Some("timestamp"), T], Some("tsrange")),
        "tstzrange" => (&[Some("timestamptz"), Some("timestamptz"), T], Some("tstzrange")),
        "current_database" | "current_schema" => (&[], Some("name")),
        "version" => (&[], Some("text")),
        "pg_backend_pid" => (&[], Some("int4")),
        "like_escape" => (&[T, T], Some("text")),
        "to_tsquery" | "plainto_tsquery" | "websearch_to_tsquery" => (&[T, T], Some("tsquery")),
        "num_nonnulls" | "num_nulls" => (&[VAR, VAR, VAR, VAR, VAR, VAR], Some("int4")),
        "array_length" | "array_upper" | "array_lower" => (&[ANY, Some("int4")], Some("int4")),
        "cardinality" | "array_ndims" => (&[ANY], Some("int4")),
        "jsonb_typeof" | "json_typeof" => (&[ANY], Some("text")),
        "jsonb_array_length" => (&[Some("jsonb")], Some("int4")),
        "json_array_length" => (&[Some("json")], Some("int4")),
        "jsonb_build_object" | "jsonb_build_array" => (&[VAR, VAR, VAR, VAR, VAR, VAR], Some("jsonb")),
        "json_build_object" | "json_build_array" => (&[VAR, VAR, VAR, VAR, VAR, VAR], Some("json")),
        "to_jsonb" => (&[ANY], Some("jsonb")),
        "to_json" => (&[ANY], Some("json")),
        "date_trunc" => (&[T, ANY, T], None),
        "date_part" => (&[T, ANY], Some("float8")),
        "timezone" => (&[T, ANY], None),
        "abs" | "ceil" | "ceiling" | "floor" | "round" | "trunc" | "sign" => (&[ANY, Some("int4")], None),
        "mod" => (&[ANY, ANY], None),
        "sqrt" | "exp" | "ln" | "log" | "power" | "pow" => (&[Some("float8"), Some("float8")], Some("float8")),
        "to_char" => (&[ANY, T], Some("text")),
        "to_date" => (&[T, T], Some("date")),
        "to_timestamp" => (&[T, T], Some("timestamptz")),
        "age" => (&[ANY, ANY], Some("interval")),
        "make_interval" => (&[], Some("interval")),
        "nextval" | "currval" => (&[Some("regclass")], Some("int8")),
        "pg_current_xact_id" | "txid_current" => (&[], Some("int8")),
        "inet_client_addr" => (&[], Some("inet")),
        "array_position" => (&[ANY, ANY], Some("int4")),
        "isfinite" => (&[ANY], Some("bool")),
        "similar_to_escape" => (&[T], Some("text")),
        "string_to_array" => (&[T, T, T], Some("text[]")),
        _ => return None,
    };
    Some(it)
}

fn function(f: &sqlparser::ast::Function, scope: &Scope) -> Res<Node> {
    let parts = names::parts(&f.name);
    let name = parts.last().cloned().unwrap_or_default();
    let qualified_catalog = parts.len() > 1 && parts[0] == "pg_catalog";
    if parts.len() == 1
        && matches!(f.args, FunctionArguments::None)
        && let Some(node) = sql_value_function(&name, true)
    {
        return Ok(node);
    }
    let args: Vec<Node> = match &f.args {
        FunctionArguments::None => Vec::new(),
        FunctionArguments::Subquery(_) => return Err("cannot use subquery in this expression".into()),
        FunctionArguments::List(list) => list
            .args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => analyze(e, scope),
                _ => Err(format!("function argument form is not supported by the simulator: {a}")),
            })
            .collect::<Res<Vec<_>>>()?,
    };
    // CURRENT_TIMESTAMP(0), LOCALTIME(3): the SQL value functions with a precision.
    if parts.len() == 1
        && let [Node::Const { value: ConstValue::Text(p), ty }] = args.as_slice()
        && ty.is("int4")
        && let Some(Node::SqlValue { text, ty }) = sql_value_function(&name, true)
        && matches!(name.as_str(), "current_time" | "current_timestamp" | "localtime" | "localtimestamp")
    {
        return Ok(Node::SqlValue { text: format!("{text}({p})"), ty });
    }
    if f.filter.is_some() || f.over.is_some() || !f.within_group.is_empty() {
        return Err(format!("aggregate functions are not allowed here: {name}"));
    }
    match name.as_str() {
        "coalesce" | "greatest" | "least" | "nullif" if parts.len() == 1 => {
            let args = smash_domains(args, scope)?;
            let ty = common_type(&args, &name.to_uppercase())?;
            let args = args.into_iter().map(|a| coerce(a, &ty, Coercion::Implicit, scope)).collect::<Res<Vec<_>>>()?;
            let name: &'static str = match name.as_str() {
                "coalesce" => "COALESCE",
                "greatest" => "GREATEST",
                "least" => "LEAST",
                _ => "NULLIF",
            };
            return Ok(Node::Variadic { name, args, ty });
        }
        _ => {}
    }
    // User-defined functions take precedence when their argument count matches.
    let candidates = if parts.len() == 1 {
        scope.catalog.functions_named(&name)
    } else {
        vec![QualName::new(parts[0].as_str(), name.as_str())]
    };
    let user = candidates
        .iter()
        .filter_map(|q| scope.catalog.functions.get(q))
        .flat_map(|fs| fs.iter())
        .find(|f| f.arg_types.len() == args.len() && !f.procedure);
    if let Some(uf) = user {
        let ret = uf.returns.clone();
        let ty = TypeRef::builtin(&ret);
        let display = if qualified_catalog || uf.name.schema != "public" {
            format!("{}.{}", quote_ident(&uf.name.schema), quote_ident(&name))
        } else {
            quote_ident(&name)
        };
        let args = args.into_iter().map(|a| resolve_unknown(a, scope)).collect::<Res<Vec<_>>>()?;
        return Ok(Node::Func { name: display, args, ty });
    }
    let sig: Vec<String> = args.iter().map(|a| a.ty().display()).collect();
    let Some((arg_types, ret)) = builtin_function(&name) else {
        return Err(format!("function {name}({}) does not exist", sig.join(", ")));
    };
    // No implicit cast turns an array into a scalar: no candidate function matches.
    let array_for_scalar = args.iter().zip(arg_types.iter()).any(|(a, want)| {
        matches!(want, Some(t) if *t != "any" && !t.ends_with("[]")) && !a.is_unknown() && a.ty().array
    });
    if array_for_scalar {
        return Err(format!("function {name}({}) does not exist", sig.join(", ")));
    }
    let arg_count = args.len();
    let mut out = Vec::with_capacity(args.len());
    for (i, arg) in args.into_iter().enumerate() {
        let want = arg_types.get(i).copied().flatten();
        // to_tsvector('english', x): the configuration is a regconfig.
        let want = if i == 0 && arg_count == 2 && name.starts_with("to_ts") { Some("regconfig") } else { want };
        let arg = match want {
            Some("any") => arg,
            Some(t) => {
                let target = TypeRef::builtin(t);
                let at = base_type(&arg.ty(), scope.catalog);
                if t == "text" && !arg.is_unknown() && !is_stringish(&at) && name != "to_char" {
                    // Polymorphic in the first argument (date_trunc's source, timezone's value).
                    arg
                } else {
                    coerce(arg, &target, Coercion::Implicit, scope)?
                }
            }
            None => resolve_unknown(arg, scope)?,
        };
        out.push(arg);
    }
    let ty = match ret {
        Some(r) if r.ends_with("[]") => TypeRef::builtin(r.trim_end_matches("[]")).array_of(),
        Some(r) => TypeRef::builtin(r),
        None => out
            .iter()
            .map(Node::ty)
            .find(|t| !is_stringish(t) || out.len() == 1)
            .unwrap_or_else(|| TypeRef::builtin("text")),
    };
    let display = if qualified_catalog { format!("pg_catalog.{}", quote_ident(&name)) } else { quote_ident(&name) };
    Ok(Node::Func { name: display, args: out, ty })
}

// ---------------------------------------------------------------------------------------------
// Literal input: a string literal read as a value of a type, in the form the type's output
// function gives back.

fn input_value(text: &str, ty: &TypeRef, scope: &Scope) -> Res<ConstValue> {
    let invalid = || format!("invalid input syntax for type {}: \"{text}\"", ty.display_without_mods());
    if ty.array {
        let t = text.trim();
        if !(t.starts_with('{') && t.ends_with('}')) {
            return Err(format!("malformed array literal: \"{text}\""));
        }
        return Ok(ConstValue::Text(text.to_string()));
    }
    let base = base_type(ty, scope.catalog);
    if let Some(schema) = &ty.schema
        && let Some(ut) = scope.catalog.types.get(&QualName::new(schema.clone(), ty.name.clone()))
    {
        match &ut.kind {
            UserTypeKind::Enum { labels } => {
                if !labels.iter().any(|l| l == text) {
                    return Err(format!("invalid input value for enum {}: \"{text}\"", ty.display()));
                }
                return Ok(ConstValue::Text(text.to_string()));
            }
            UserTypeKind::Domain { .. } => {
                return match input_value(text, &base, scope)? {
                    ConstValue::Text(t) => Ok(ConstValue::Text(t)),
                    ConstValue::Bool(b) => Ok(ConstValue::Text(if b { "t".into() } else { "f".into() })),
                    ConstValue::Null => Ok(ConstValue::Null),
                };
            }
            _ => return Ok(ConstValue::Text(text.to_string())),
        }
    }
    let t = text.trim();
    match base.name.as_str() {
        "int2" | "int4" | "int8" => {
            let v: i64 = t.trim_start_matches('+').parse().map_err(|_| invalid())?;
            let (lo, hi) = match base.name.as_str() {
                "int2" => (i16::MIN as i64, i16::MAX as i64),
                "int4" => (i32::MIN as i64, i32::MAX as i64),
                _ => (i64::MIN, i64::MAX),
            };
            if v < lo || v > hi {
                return Err(format!("value \"{text}\" is out of range for type {}", base.display()));
            }
            Ok(ConstValue::Text(v.to_string()))
        }
        "numeric" => {
            let ok = !t.is_empty()
                && t.trim_start_matches(['+', '-'])
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
            if t.eq_ignore_ascii_case("nan")
                || t.eq_ignore_ascii_case("infinity")
                || t.eq_ignore_ascii_case("-infinity")
            {
                return Ok(ConstValue::Text(capitalize_special(t)));
            }
            if !ok {
                return Err(invalid());
            }
            Ok(ConstValue::Text(normalize_numeric(t)))
        }
        "float4" | "float8" => {
            let v: f64 = t.parse().map_err(|_| invalid())?;
            Ok(ConstValue::Text(format_float(v, base.name == "float4")))
        }
        "bool" => match t.to_ascii_lowercase().as_str() {
            "t" | "tr" | "tru" | "true" | "y" | "ye" | "yes" | "on" | "1" => Ok(ConstValue::Bool(true)),
            "f" | "fa" | "fal" | "fals" | "false" | "n" | "no" | "of" | "off" | "0" => Ok(ConstValue::Bool(false)),
            _ => Err(invalid()),
        },
        "uuid" => {
            let hex: String = t.chars().filter(|c| *c != '-' && *c != '{' && *c != '}').collect();
            if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(invalid());
            }
            let h = hex.to_ascii_lowercase();
            Ok(ConstValue::Text(format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])))
        }
        "interval" => crate::catalog::literal::interval(t).map(ConstValue::Text).ok_or_else(invalid),
        "jsonb" => crate::catalog::literal::jsonb(t)
            .map(ConstValue::Text)
            .ok_or_else(|| format!("invalid input syntax for type json: \"{text}\"")),
        "json" => {
            if serde_json::from_str::<serde_json::Value>(t).is_err() {
                return Err(format!("invalid input syntax for type json: \"{text}\""));
            }
            Ok(ConstValue::Text(text.to_string()))
        }
        "time" => crate::catalog::literal::time(t).map(ConstValue::Text).ok_or_else(invalid),
        "date" | "timestamp" | "timestamptz" => match crate::catalog::literal::datetime(t, &base.name) {
            Some(v) if !date_out_of_range(t) => Ok(ConstValue::Text(v)),
            _ if date_out_of_range(t) => Err(format!("date/time field value out of range: \"{text}\"")),
            _ => Err(invalid()),
        },
        "regclass" => {
            let parts: Vec<String> = t
                .split('.')
                .map(|p| {
                    if p.starts_with('"') && p.ends_with('"') && p.len() >= 2 {
                        p[1..p.len() - 1].to_string()
                    } else {
                        p.to_ascii_lowercase()
                    }
                })
                .collect();
            let qual = match parts.as_slice() {
                [n] => QualName::public(n.clone()),
                [s, n] => QualName::new(s.clone(), n.clone()),
                _ => return Err(invalid()),
            };
            if !scope.catalog.relation_exists(&qual) {
                return Err(format!("relation \"{t}\" does not exist"));
            }
            Ok(ConstValue::Text(names::relation_name(&qual)))
        }
        // The length is enforced by a length-coercion call, not when the constant is read: PostgreSQL
        // accepts a default longer than the column and only fails when a row uses it.
        _ => Ok(ConstValue::Text(text.to_string())),
    }
}

/// A constant of type `ty`, given as its input text, as `get_const_expr` prints it with no cast
/// (`showtype = -1`), which is how `pg_get_expr` prints a partition bound: an `integer` bare unless
/// negative, a `numeric` (at the column's scale) bare when it has a point or an exponent, a `boolean`
/// bare, everything else quoted.
///
/// A quoted literal the type cannot read is PostgreSQL's input error; a number written into an integer key
/// is cast, rounding as `numeric` → `integer` does.
pub fn bound_constant(text: &str, ty: &TypeRef, catalog: &Catalog, quoted: bool) -> Res<String> {
    let scope = Scope { catalog, columns: &[], trigger_rows: false };
    let builtin = if ty.schema.is_none() && !ty.array { ty.name.as_str() } else { "" };
    let rounded;
    let text = match builtin {
        "int2" | "int4" | "int8" if !quoted && text.contains(['.', 'e', 'E']) => match text.parse::<f64>() {
            Ok(v) => {
                rounded = format!("{}", v.round());
                rounded.as_str()
            }
            Err(_) => text,
        },
        _ => text,
    };
    let value = match input_value(text, ty, &scope) {
        Ok(ConstValue::Text(t)) => t,
        Ok(ConstValue::Bool(b)) => return Ok(if b { "true" } else { "false" }.into()),
        Ok(ConstValue::Null) => return Ok("NULL".into()),
        Err(e) if quoted => return Err(e),
        Err(_) => text.to_string(),
    };
    let value = match (builtin, ty.mods.as_slice()) {
        ("numeric", [_, scale, ..]) => numeric_at_scale(&value, *scale),
        ("numeric", [_]) => numeric_at_scale(&value, 0),
        _ => value,
    };
    let bare = match builtin {
        "int4" => !value.starts_with('-'),
        "numeric" => value.starts_with(|c: char| c.is_ascii_digit()) && value.contains(['.', 'e', 'E']),
        _ => false,
    };
    if bare {
        Ok(value)
    } else {
        let mut out = String::new();
        quote_literal_into(&mut out, &value);
        Ok(out)
    }
}

/// `apply_typmod`: a normalized numeric rounded (half away from zero) or padded to `scale` digits.
fn numeric_at_scale(value: &str, scale: i64) -> String {
    let Ok(scale) = usize::try_from(scale) else { return value.to_string() };
    let (neg, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return value.to_string();
    }
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut all: Vec<u8> = int.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(scale)).collect();
    if frac.len() > scale && frac.as_bytes()[scale] >= b'5' {
        let mut i = all.len();
        loop {
            if i == 0 {
                all.insert(0, b'1');
                break;
            }
            i -= 1;
            if all[i] == b'9' {
                all[i] = b'0';
            } else {
                all[i] += 1;
                break;
            }
        }
    }
    let split = all.len() - scale;
    let int = String::from_utf8_lossy(&all[..split]).trim_start_matches('0').to_string();
    let int = if int.is_empty() { "0".to_string() } else { int };
    let frac = String::from_utf8_lossy(&all[split..]).to_string();
    let out = if scale == 0 { int } else { format!("{int}.{frac}") };
    if neg && out.bytes().any(|b| (b'1'..=b'9').contains(&b)) { format!("-{out}") } else { out }
}

/// An ISO date (`2024-13-01`, `2023-02-29`) whose month or day does not exist: `date_in`'s range error,
/// not a syntax error.
fn date_out_of_range(text: &str) -> bool {
    let date = text.split([' ', 'T']).next().unwrap_or("");
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else { return false };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return true,
    };
    d == 0 || d > days
}

fn capitalize_special(t: &str) -> String {
    match t.to_ascii_lowercase().as_str() {
        "nan" => "NaN".into(),
        "infinity" => "Infinity".into(),
        _ => "-Infinity".into(),
    }
}

/// `float8out`: the shortest text that reads back as the same value.
pub fn format_float(v: f64, single: bool) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    let s = if single { format!("{}", v as f32) } else { format!("{v}") };
    let digits = s.trim_start_matches('-').replace('.', "").trim_start_matches('0').len();
    let exp = if v == 0.0 { 0 } else { v.abs().log10().floor() as i32 };
    let max = if single { 9 } else { 17 };
    if exp < -4 || exp >= max.min(15).max(digits as i32) {
        let e = if single { format!("{:e}", v as f32) } else { format!("{v:e}") };
        if let Some((m, x)) = e.split_once('e') {
            let x: i32 = x.parse().unwrap_or(0);
            return format!("{m}e{}{:02}", if x < 0 { '-' } else { '+' }, x.abs());
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Printing: ruleutils' get_rule_expr in pretty mode.

/// What the node being printed sits in: decides parentheses (`isSimpleNode`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Parent<'a> {
    Op { op: &'a str, left_child: bool },
    Bool(BoolOp),
    Func,
    Cast,
    Other,
}

/// Printed without PRETTYFLAG_PAREN, as `pg_get_expr(expr, rel)` prints policy expressions.
pub fn print_plain(node: &Node) -> String {
    let mut p = Printer { out: String::new(), indent: 0, pretty: false, prefix: None };
    p.expr(node, false);
    p.out
}

/// A condition printed without pretty parentheses (policies' USING and WITH CHECK).
pub fn condition_plain(expr: &Expr, scope: &Scope, what: &str) -> Res<String> {
    let node = analyze(expr, scope)?;
    let node = coerce_to_bool(node, scope, what)?;
    Ok(print_plain(&node))
}

/// An expression coerced to `target` as an assignment (a column's new value), as `UPDATE … SET` and
/// `ALTER COLUMN … TYPE … USING` do.
pub fn assignment(expr: &Expr, target: &TypeRef, scope: &Scope) -> Res<Node> {
    let node = analyze(expr, scope)?;
    coerce(node, target, Coercion::Assignment, scope)
}

/// A boolean condition, analysed (for printing with [`print_qualified`]).
pub fn condition_node(expr: &Expr, scope: &Scope, what: &str) -> Res<Node> {
    let node = analyze(expr, scope)?;
    coerce_to_bool(node, scope, what)
}

/// Printed as ruleutils prints an expression where several relations are in scope (a rule's actions):
/// the table's columns qualified with `prefix` (`t.col`), `new.`/`old.` as they are. `None` when a
/// part of the expression was printed during analysis (`EXTRACT`, `SUBSTRING`, …) with columns that
/// could not be qualified afterwards.
pub fn print_qualified(node: &Node, prefix: &str) -> Option<String> {
    let mut unqualifiable = false;
    node.walk(&mut |n| {
        if let Node::Syntax { columns, .. } = n
            && !columns.is_empty()
        {
            unqualifiable = true;
        }
    });
    if unqualifiable {
        return None;
    }
    let mut p = Printer { out: String::new(), indent: 0, pretty: true, prefix: Some(prefix.to_string()) };
    p.expr(node, false);
    Some(p.out)
}

pub fn print(node: &Node) -> String {
    let mut p = Printer { out: String::new(), indent: 0, pretty: true, prefix: None };
    p.expr(node, false);
    p.out
}

fn print_child(node: &Node, parent: &Parent) -> String {
    let mut p = Printer { out: String::new(), indent: 0, pretty: true, prefix: None };
    p.paren(node, true, *parent);
    p.out
}

struct Printer {
    out: String,
    indent: i32,
    /// ruleutils' PRETTYFLAG_PAREN: parentheses only where needed. Without it (`pg_get_expr(…, false)`,
    /// as policies are shown) every operator, boolean and test is parenthesised.
    pretty: bool,
    /// The relation name that qualifies unqualified columns ([`print_qualified`]).
    prefix: Option<String>,
}

fn simple_op_priority(op: &str) -> Option<bool> {
    match op {
        "+" | "-" => Some(false),
        "*" | "/" | "%" => Some(true),
        _ => None,
    }
}

fn is_simple(node: &Node, parent: Parent) -> bool {
    match node {
        Node::Var { .. } | Node::Const { .. } | Node::Unknown(_) => true,
        Node::Func { .. } | Node::SqlValue { .. } | Node::Array { .. } | Node::Variadic { .. } => true,
        Node::Syntax { simple, .. } => *simple,
        Node::Cast { arg, implicit, kind, .. } => match kind {
            // A cast function is function-like; relabelling and I/O casts are as simple as their argument.
            CastNode::Func => true,
            _ => {
                let _ = implicit;
                is_simple(arg, Parent::Cast)
            }
        },
        Node::Collate { .. } => false,
        Node::Op { op, left, .. } => {
            if let Parent::Op { op: parent_op, left_child } = parent {
                let Some(hi) = simple_op_priority(op).filter(|_| left.is_some()) else { return false };
                let Some(parent_hi) = simple_op_priority(parent_op) else { return false };
                if hi && !parent_hi {
                    return true;
                }
                if !hi && parent_hi {
                    return false;
                }
                return left_child;
            }
            separated_parent(parent)
        }
        Node::NullTest { .. } | Node::BoolTest { .. } | Node::Distinct { .. } => separated_parent(parent),
        Node::Bool { op, .. } => match parent {
            Parent::Bool(parent_op) => match op {
                BoolOp::Not | BoolOp::And => matches!(parent_op, BoolOp::And | BoolOp::Or),
                BoolOp::Or => parent_op == BoolOp::Or,
            },
            _ => separated_parent(parent),
        },
        // CASE … END acts as its own parentheses.
        Node::Case { .. } => true,
        Node::ScalarArray { .. } => false,
    }
}

fn separated_parent(parent: Parent) -> bool {
    matches!(parent, Parent::Func | Parent::Bool(_))
}

impl Printer {
    fn paren(&mut self, node: &Node, show_implicit: bool, parent: Parent) {
        if !self.pretty {
            self.expr(node, show_implicit);
            return;
        }
        if is_simple(node, parent) {
            self.expr(node, show_implicit);
        } else {
            self.out.push('(');
            self.expr(node, show_implicit);
            self.out.push(')');
        }
    }

    fn keyword(&mut self, word: &str, before: i32, after: i32) {
        self.indent += before;
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        self.out.push('\n');
        self.out.push_str(&" ".repeat(self.indent.max(0) as usize));
        self.out.push_str(word);
        self.indent = (self.indent + after).max(0);
    }

    fn expr(&mut self, node: &Node, show_implicit: bool) {
        // Without pretty parentheses, operators, booleans and tests carry their own.
        let own_parens = !self.pretty
            && matches!(
                node,
                Node::Op { .. }
                    | Node::Bool { .. }
                    | Node::NullTest { .. }
                    | Node::BoolTest { .. }
                    | Node::Distinct { .. }
                    | Node::ScalarArray { .. }
            );
        if own_parens {
            self.out.push('(');
            self.expr_inner(node, show_implicit);
            self.out.push(')');
            return;
        }
        self.expr_inner(node, show_implicit);
    }

    fn expr_inner(&mut self, node: &Node, show_implicit: bool) {
        match node {
            Node::Const { value, ty } => self.constant(value, ty),
            Node::Unknown(s) => {
                quote_literal_into(&mut self.out, s);
            }
            Node::Var { name, qualifier, .. } => {
                if let Some(q) = qualifier {
                    self.out.push_str(q);
                    self.out.push('.');
                } else if let Some(p) = &self.prefix
                    && name != "*"
                {
                    self.out.push_str(p);
                    self.out.push('.');
                }
                if name == "*" {
                    self.out.push('*');
                } else if name == DOMAIN_VALUE {
                    self.out.push_str("VALUE");
                } else {
                    self.out.push_str(&quote_ident(name));
                }
            }
            Node::Func { name, args, .. } => self.list(name, args, ")"),
            Node::SqlValue { text, .. } | Node::Syntax { text, .. } => self.out.push_str(text),
            Node::Op { op, left, right, .. } => match left {
                Some(l) => {
                    self.paren(l, true, Parent::Op { op, left_child: true });
                    self.out.push(' ');
                    self.out.push_str(op);
                    self.out.push(' ');
                    self.paren(right, true, Parent::Op { op, left_child: false });
                }
                None => {
                    self.out.push_str(op);
                    self.out.push(' ');
                    self.paren(right, true, Parent::Op { op, left_child: false });
                }
            },
            Node::Bool { op, args } => match op {
                BoolOp::Not => {
                    self.out.push_str("NOT ");
                    self.paren(&args[0], false, Parent::Bool(BoolOp::Not));
                }
                _ => {
                    let word = if *op == BoolOp::And { " AND " } else { " OR " };
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            self.out.push_str(word);
                        }
                        self.paren(a, false, Parent::Bool(*op));
                    }
                }
            },
            Node::Cast { arg, ty, implicit, .. } => {
                if *implicit && !show_implicit {
                    // Hidden, but still the parent of its argument: an operator under it gets parentheses.
                    self.paren(arg, false, Parent::Cast);
                    return;
                }
                // A constant of the target type already prints its own label.
                if let Node::Const { ty: cty, value } = &**arg
                    && same_type(cty, ty)
                    && ty.mods.is_empty()
                {
                    let _ = value;
                    self.expr(arg, true);
                    return;
                }
                if self.pretty {
                    self.paren(arg, false, Parent::Cast);
                } else {
                    self.out.push('(');
                    self.expr(arg, false);
                    self.out.push(')');
                }
                self.out.push_str("::");
                self.out.push_str(&ty.display());
            }
            Node::ScalarArray { left, op, any, right } => {
                self.paren(left, true, Parent::Other);
                self.out.push(' ');
                self.out.push_str(op);
                self.out.push_str(if *any { " ANY (" } else { " ALL (" });
                self.paren(right, true, Parent::Other);
                self.out.push(')');
            }
            Node::Array { elems, ty } => {
                self.list("ARRAY", elems, "]");
                if elems.is_empty() {
                    self.out.push_str("::");
                    self.out.push_str(&ty.display());
                }
            }
            Node::NullTest { arg, not } => {
                self.paren(arg, true, Parent::Other);
                self.out.push_str(if *not { " IS NOT NULL" } else { " IS NULL" });
            }
            Node::BoolTest { arg, test } => {
                self.paren(arg, false, Parent::Other);
                self.out.push(' ');
                self.out.push_str(test);
            }
            Node::Distinct { left, right, not } => {
                self.paren(left, true, Parent::Other);
                self.out.push_str(if *not { " IS NOT DISTINCT FROM " } else { " IS DISTINCT FROM " });
                self.paren(right, true, Parent::Other);
            }
            Node::Case { arg, whens, default, .. } => {
                self.keyword("CASE", 0, 4);
                if let Some(a) = arg {
                    self.out.push(' ');
                    self.expr(a, true);
                }
                for (cond, result) in whens {
                    self.keyword("WHEN ", 0, 0);
                    match (arg, cond) {
                        (Some(_), Node::Op { right, .. }) => self.expr(right, false),
                        _ => self.expr(cond, false),
                    }
                    self.out.push_str(" THEN ");
                    self.expr(result, true);
                }
                if let Some(d) = default {
                    self.keyword("ELSE ", 0, 0);
                    self.expr(d, true);
                }
                self.keyword("END", -4, 0);
            }
            Node::Variadic { name, args, .. } => self.list(name, args, ")"),
            Node::Collate { arg, collation } => {
                self.paren(arg, show_implicit, Parent::Other);
                self.out.push_str(" COLLATE ");
                self.out.push_str(&quote_ident(collation));
            }
        }
    }

    /// `name(a, b)` or `ARRAY[a, b]`: arguments and elements show their implicit casts.
    fn list(&mut self, name: &str, items: &[Node], close: &str) {
        self.out.push_str(name);
        self.out.push_str(if close == "]" { "[" } else { "(" });
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.expr(item, true);
        }
        self.out.push_str(close);
    }

    /// `get_const_expr`.
    fn constant(&mut self, value: &ConstValue, ty: &TypeRef) {
        let label = || format!("::{}", ty.display());
        match value {
            ConstValue::Null => {
                self.out.push_str("NULL");
                if !ty.is("unknown") {
                    self.out.push_str(&label());
                }
            }
            ConstValue::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            ConstValue::Text(text) => {
                if ty.is("int4") {
                    if text.starts_with('-') {
                        quote_literal_into(&mut self.out, text);
                        self.out.push_str(&label());
                    } else {
                        self.out.push_str(text);
                    }
                } else if ty.is("numeric") && ty.mods.is_empty() {
                    if text.starts_with(|c: char| c.is_ascii_digit()) && text.contains(['.', 'e', 'E']) {
                        self.out.push_str(text);
                    } else {
                        quote_literal_into(&mut self.out, text);
                        self.out.push_str(&label());
                    }
                } else if ty.is("bool") {
                    self.out.push_str(if text == "t" || text == "true" { "true" } else { "false" });
                } else {
                    quote_literal_into(&mut self.out, text);
                    if !ty.is("unknown") {
                        self.out.push_str(&label());
                    }
                }
            }
        }
    }
}

/// `simple_quote_literal` with standard_conforming_strings on.
pub fn quote_literal_into(out: &mut String, s: &str) {
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}
