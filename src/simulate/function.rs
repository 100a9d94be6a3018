//! CREATE [OR REPLACE] FUNCTION / PROCEDURE and DROP FUNCTION.

use sqlparser::ast::{ArgMode, CreateFunction, CreateFunctionBody, DropFunction, Expr, FunctionReturnType, Value};

use super::{Ctx, SimError, SimResult};
use crate::catalog::model::*;
use crate::catalog::names;
use crate::catalog::types;

const LANGUAGES: &[&str] = &["plpgsql", "sql", "c", "internal"];

pub(crate) fn signature(name: &QualName, arg_types: &[String]) -> String {
    let shown = if name.schema == "public" { names::quote_ident(&name.name) } else { names::relation_name(name) };
    format!("{shown}({})", arg_types.join(", "))
}

fn arg_types(
    catalog: &Catalog,
    args: &Option<Vec<sqlparser::ast::OperateFunctionArg>>,
) -> Result<Vec<String>, SimError> {
    let mut out = Vec::new();
    for a in args.iter().flatten() {
        if matches!(a.mode, Some(ArgMode::Out)) {
            continue;
        }
        let (ty, _) = types::resolve(&a.data_type, catalog)?;
        out.push(ty.display_without_mods());
    }
    Ok(out)
}

pub(crate) fn create_function(catalog: &mut Catalog, cf: &CreateFunction, ctx: &mut Ctx) -> SimResult {
    let q = catalog.creation_name(&cf.name);
    super::ensure_schema(catalog, &q)?;
    let arg_types = arg_types(catalog, &cf.args)?;
    let returns = match &cf.return_type {
        Some(FunctionReturnType::DataType(dt)) => match dt {
            sqlparser::ast::DataType::Trigger => "trigger".to_string(),
            sqlparser::ast::DataType::Table(_) => "record".to_string(),
            other => match types::resolve(other, catalog) {
                Ok((t, _)) => t.name.to_string(),
                Err(e) => {
                    // A table's row type is a type too.
                    let tq = catalog.resolve(&sqlparser::ast::ObjectName::from(vec![sqlparser::ast::Ident::new(
                        other.to_string().to_ascii_lowercase(),
                    )]));
                    if catalog.tables.contains_key(&tq) { tq.name.to_string() } else { return Err(SimError::new(e)) }
                }
            },
        },
        Some(FunctionReturnType::SetOf(_)) => "setof".to_string(),
        None => {
            if ctx.extras.procedure {
                "void".to_string()
            } else {
                "record".to_string()
            }
        }
    };
    let language = cf.language.as_ref().map(names::fold).unwrap_or_else(|| "sql".into());
    if !LANGUAGES.contains(&language.as_str()) {
        return Err(SimError::new(format!("language \"{language}\" does not exist"))
            .help("Create the language's extension first (CREATE EXTENSION …)."));
    }
    let body = match &cf.function_body {
        Some(CreateFunctionBody::AsBeforeOptions { body, .. } | CreateFunctionBody::AsAfterOptions(body)) => match body
        {
            Expr::Value(v) => match &v.value {
                Value::DollarQuotedString(d) => d.value.clone(),
                Value::SingleQuotedString(s) => s.clone(),
                other => other.to_string(),
            },
            other => other.to_string(),
        },
        // A SQL-standard body (RETURN …, BEGIN ATOMIC … END) is parsed, not kept as text.
        Some(_) => "BEGIN ATOMIC … END".to_string(),
        None => String::new(),
    };
    let args_text =
        cf.args.as_ref().map(|a| a.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")).unwrap_or_default();
    let f = Function {
        name: q.clone(),
        arg_types: arg_types.clone(),
        args: args_text,
        returns: returns.clone(),
        language,
        body,
        procedure: ctx.extras.procedure,
        comment: None,
        origin: Origin::at(ctx.span),
    };
    let list = std::sync::Arc::make_mut(catalog.functions.entry(q.clone()).or_default());
    if let Some(existing) = list.iter_mut().find(|e| e.arg_types == arg_types) {
        if !cf.or_replace {
            let what = if f.procedure { "procedure" } else { "function" };
            return Err(SimError::new(format!("{what} \"{}\" already exists with same argument types", q.name))
                .help("Use CREATE OR REPLACE FUNCTION to change an existing function."));
        }
        if existing.returns != returns && !f.procedure {
            return Err(SimError::new("cannot change return type of existing function")
                .help(format!("Use DROP FUNCTION {} first.", signature(&q, &arg_types))));
        }
        let created = existing.origin.created;
        *existing = f;
        existing.origin.created = created;
    } else {
        list.push(f);
    }
    Ok(())
}

pub(crate) fn drop_function(catalog: &mut Catalog, df: &DropFunction) -> SimResult {
    let cascade = matches!(df.drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
    let mut work = catalog.clone();
    for desc in &df.func_desc {
        let q = catalog.resolve(&desc.name);
        let wanted = match &desc.args {
            Some(args) => Some(arg_types(&work, &Some(args.clone()))?),
            None => None,
        };
        let candidates: Vec<Vec<String>> = work
            .functions
            .get(&q)
            .map(|l| {
                l.iter()
                    .filter(|f| wanted.as_ref().is_none_or(|w| &f.arg_types == w))
                    .map(|f| f.arg_types.clone())
                    .collect()
            })
            .unwrap_or_default();
        let shown = signature(&q, wanted.as_deref().unwrap_or(&[]));
        let target = match candidates.as_slice() {
            [] => {
                if df.if_exists {
                    continue;
                }
                return Err(SimError::new(format!("function {shown} does not exist")));
            }
            [one] => one.clone(),
            _ => {
                return Err(SimError::new(format!("function name \"{}\" is not unique", q.name))
                    .help("Specify the argument list to select the function unambiguously."));
            }
        };
        // Triggers that call it, on tables and on views.
        let on_tables = work.tables.values().map(|t| (&t.name, &t.triggers, "table"));
        let on_views = work.views.values().map(|v| (&v.name, &v.triggers, "view"));
        let users: Vec<(QualName, String, &str)> = on_tables
            .chain(on_views)
            .flat_map(|(name, triggers, kind)| {
                triggers.iter().filter(|tr| tr.function == q).map(move |tr| (name.clone(), tr.name.clone(), kind))
            })
            .collect();
        if !users.is_empty() && target.is_empty() {
            if !cascade {
                let detail: Vec<String> = users
                    .iter()
                    .map(|(t, tr, kind)| {
                        format!("trigger {tr} on {kind} {} depends on function {}", t.name, signature(&q, &target))
                    })
                    .collect();
                return Err(SimError::new(format!(
                    "cannot drop function {} because other objects depend on it",
                    signature(&q, &target)
                ))
                .help(format!("{}. Use DROP … CASCADE to drop the dependent objects too.", detail.join("; "))));
            }
            for (t, tr, _) in users {
                if let Some(v) = work.views.get_mut(&t) {
                    v.triggers.retain(|x| x.name != tr);
                } else if let Some(t) = work.table_mut(&t) {
                    t.triggers.retain(|x| x.name != tr);
                }
            }
        }
        if let Some(list) = work.functions.get_mut(&q) {
            let list = std::sync::Arc::make_mut(list);
            list.retain(|f| f.arg_types != target);
            if list.is_empty() {
                work.functions.remove(&q);
            }
        }
    }
    *catalog = work;
    Ok(())
}
