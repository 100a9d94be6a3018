//! Rules: checks that look at each statement with the schema before and after it, and at the whole
//! migration folder. One file per rule; this module holds the registry ([`ALL`]), what a rule receives
//! ([`StatementCx`], [`FolderCx`]), the configuration ([`RuleConfig`]) and suppression comments.
//!
//! Adding a rule: create `src/rules/<id with underscores>.rs` with a `pub const RULE: Rule`, list it in
//! [`ALL`], and give it a bad and a good example: `examples_are_true` runs them.

pub mod checker;
mod column_types;
mod composites;
mod config;
pub mod context;
mod do_statements;
mod domains;
mod removals;
mod schema_facts;
mod sql_text;
mod suppress;
mod table_ops;

mod adding_field_with_default;
mod adding_foreign_key_constraint;
mod adding_not_nullable_field;
mod adding_required_field;
mod adding_serial_primary_key_field;
mod ban_add_column;
mod ban_add_composite_attribute;
mod ban_add_enum_value;
mod ban_alter_database_options;
mod ban_alter_domain_with_add_constraint;
mod ban_alter_extension;
mod ban_alter_function_options;
mod ban_alter_generated_expression;
mod ban_alter_identity;
mod ban_alter_policy_condition;
mod ban_alter_policy_roles;
mod ban_alter_role_options;
mod ban_alter_row_level_security;
mod ban_alter_sequence_values;
mod ban_alter_system_options;
mod ban_alter_view_options;
mod ban_char_field;
mod ban_concurrent_index_creation_in_transaction;
mod ban_create_domain_with_constraint;
mod ban_create_policy;
mod ban_detach_inheritance;
mod ban_disable_trigger;
mod ban_drop_column;
mod ban_drop_constraint;
mod ban_drop_database;
mod ban_drop_default;
mod ban_drop_domain;
mod ban_drop_extension;
mod ban_drop_function;
mod ban_drop_generated_expression;
mod ban_drop_index;
mod ban_drop_not_null;
mod ban_drop_policy;
mod ban_drop_schema;
mod ban_drop_sequence;
mod ban_drop_table;
mod ban_drop_trigger;
mod ban_drop_type;
mod ban_drop_view;
mod ban_duplicate_column_assignments;
mod ban_new_write_restriction;
mod ban_replace_view_function;
mod ban_replica_identity;
mod ban_revoke;
mod ban_set_default;
mod ban_set_schema;
mod ban_truncate_cascade;
mod ban_uncommitted_transaction;
mod changing_column_type;
mod constraint_missing_not_valid;
mod delete_without_where;
mod disallowed_unique_constraint;
mod duplicate_index;
mod duplicate_migration_number;
mod foreign_key_type_mismatch;
mod foreign_key_without_index;
mod identifier_too_long;
mod lost_by_cascade;
mod migration_name_convention;
mod migration_number_gap;
mod missing_rollback;
mod missing_up_section;
mod mixed_number_width;
mod not_a_migration;
mod not_idempotent;
mod on_conflict_without_unique;
mod orphan_rollback;
mod prefer_bigint_over_int;
mod prefer_bigint_over_smallint;
mod prefer_identity;
mod prefer_repack;
mod prefer_robust_stmts;
mod prefer_text_field;
mod prefer_timestamp_tz;
mod redundant_index;
mod renaming_column;
mod renaming_object;
mod renaming_table;
mod require_concurrent_index_creation;
mod require_concurrent_index_deletion;
mod require_concurrent_partition_detach;
mod require_concurrent_reindex;
mod require_enum_value_ordering;
mod require_lock_timeout;
mod require_statement_timeout;
mod require_table_schema;
mod require_timeout_settings;
mod rollback_mismatch;
mod set_not_null_without_backfill;
mod transaction_nesting;
mod trigger_function_invalid;
mod unused_function;
mod unused_ignore;
mod update_without_where;
mod updated_at_without_trigger;

pub use config::{DEFAULT_PG_VERSION, Level, RuleConfig, SquawkConfig, is_rule_id, is_selector};
pub use context::{FileCx, FolderCx, Scope, Settings, StatementCx};
pub use suppress::Ignores;

use crate::catalog::QualName;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::span::Span;
use crate::text::Text;

/// A rule's metadata, documentation and check. The documentation's examples are executed as tests:
/// `bad` must trigger the rule, `good` must not.
pub struct Rule {
    /// Kebab-case; squawk's own id where the rule is one of squawk's.
    pub id: &'static str,
    pub severity: Severity,
    /// Whether the rule runs without being asked for (squawk's opt-in rules are off by default).
    pub default_on: bool,
    pub family: Family,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// Migrations applied before the examples (`001_setup.sql`), or empty.
    pub setup: &'static str,
    /// An example that triggers the rule (`002_example.sql`). Lines `-- file: NAME` split an example
    /// into several files.
    pub bad: &'static str,
    /// The same change done right.
    pub good: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
    pub check: Check,
}

/// Where a rule comes from, for listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// One of squawk's rules, under squawk's id.
    Squawk,
    /// The team's migration conventions: naming, idempotency, rollbacks.
    Convention,
    /// Checks only a tool that knows the schema can make.
    Schema,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Squawk => "squawk",
            Family::Convention => "convention",
            Family::Schema => "schema",
        }
    }
}

pub enum Check {
    /// Runs after every statement of a migration, with the catalog before and after it.
    Statement(fn(&StatementCx<'_>, &mut Vec<Finding>)),
    /// Runs once on the whole analysis (files, plan, every migration's schema).
    Folder(fn(&FolderCx<'_>, &mut Vec<Finding>)),
    /// Reported by the planner or the simulator under this id; the registry documents and configures it.
    Builtin,
}

/// What a rule reports; the framework adds the rule id and the configured severity.
#[derive(Clone, Debug, Default)]
pub struct Finding {
    /// Defaults to the statement's span.
    pub span: Option<Span>,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// The table the finding judges (OID and name at the end of the history), for the folder rules that
    /// judge table by table ([`BY_TABLE`]): an analysis after an edit keeps the findings on the tables the
    /// edit did not reach.
    pub table: Option<(u32, QualName)>,
    /// Relation names whose presence at the end of the history the finding's text depends on (a name
    /// it proposes must be free): the table is judged again when one of them appears or disappears.
    pub free_names: Vec<QualName>,
}

impl Finding {
    pub fn new(message: impl Into<String>) -> Finding {
        Finding { message: message.into(), ..Finding::default() }
    }

    pub fn at(mut self, span: Span) -> Finding {
        self.span = Some(span);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn fix(mut self, title: impl Into<Text>, span: Span, replacement: impl Into<Text>) -> Finding {
        self.fix = Some(Fix { title: title.into(), span, replacement: replacement.into() });
        self
    }

    /// The table the finding judges (see [`Finding::table`]).
    pub fn on_table(mut self, table: &crate::catalog::Table) -> Finding {
        self.table = Some((table.oid, table.name.clone()));
        self
    }
}

/// Every rule, in id order.
pub static ALL: &[&Rule] = &[
    &adding_field_with_default::RULE,
    &adding_foreign_key_constraint::RULE,
    &adding_not_nullable_field::RULE,
    &adding_required_field::RULE,
    &adding_serial_primary_key_field::RULE,
    &ban_add_column::RULE,
    &ban_add_composite_attribute::RULE,
    &ban_add_enum_value::RULE,
    &ban_alter_database_options::RULE,
    &ban_alter_domain_with_add_constraint::RULE,
    &ban_alter_extension::RULE,
    &ban_alter_function_options::RULE,
    &ban_alter_generated_expression::RULE,
    &ban_alter_identity::RULE,
    &ban_alter_policy_condition::RULE,
    &ban_alter_policy_roles::RULE,
    &ban_alter_role_options::RULE,
    &ban_alter_row_level_security::RULE,
    &ban_alter_sequence_values::RULE,
    &ban_alter_system_options::RULE,
    &ban_alter_view_options::RULE,
    &ban_char_field::RULE,
    &ban_concurrent_index_creation_in_transaction::RULE,
    &ban_create_domain_with_constraint::RULE,
    &ban_create_policy::RULE,
    &ban_detach_inheritance::RULE,
    &ban_disable_trigger::RULE,
    &ban_drop_column::RULE,
    &ban_drop_constraint::RULE,
    &ban_drop_database::RULE,
    &ban_drop_default::RULE,
    &ban_drop_domain::RULE,
    &ban_drop_extension::RULE,
    &ban_drop_function::RULE,
    &ban_drop_generated_expression::RULE,
    &ban_drop_index::RULE,
    &ban_drop_not_null::RULE,
    &ban_drop_policy::RULE,
    &ban_drop_schema::RULE,
    &ban_drop_sequence::RULE,
    &ban_drop_table::RULE,
    &ban_drop_trigger::RULE,
    &ban_drop_type::RULE,
    &ban_drop_view::RULE,
    &ban_duplicate_column_assignments::RULE,
    &ban_new_write_restriction::RULE,
    &ban_replace_view_function::RULE,
    &ban_replica_identity::RULE,
    &ban_revoke::RULE,
    &ban_set_default::RULE,
    &ban_set_schema::RULE,
    &ban_truncate_cascade::RULE,
    &ban_uncommitted_transaction::RULE,
    &changing_column_type::RULE,
    &constraint_missing_not_valid::RULE,
    &delete_without_where::RULE,
    &disallowed_unique_constraint::RULE,
    &duplicate_index::RULE,
    &duplicate_migration_number::RULE,
    &foreign_key_type_mismatch::RULE,
    &foreign_key_without_index::RULE,
    &identifier_too_long::RULE,
    &lost_by_cascade::RULE,
    &migration_name_convention::RULE,
    &migration_number_gap::RULE,
    &missing_rollback::RULE,
    &missing_up_section::RULE,
    &mixed_number_width::RULE,
    &not_a_migration::RULE,
    &not_idempotent::RULE,
    &on_conflict_without_unique::RULE,
    &orphan_rollback::RULE,
    &prefer_bigint_over_int::RULE,
    &prefer_bigint_over_smallint::RULE,
    &prefer_identity::RULE,
    &prefer_repack::RULE,
    &prefer_robust_stmts::RULE,
    &prefer_text_field::RULE,
    &prefer_timestamp_tz::RULE,
    &redundant_index::RULE,
    &renaming_column::RULE,
    &renaming_object::RULE,
    &renaming_table::RULE,
    &require_concurrent_index_creation::RULE,
    &require_concurrent_index_deletion::RULE,
    &require_concurrent_partition_detach::RULE,
    &require_concurrent_reindex::RULE,
    &require_enum_value_ordering::RULE,
    &require_lock_timeout::RULE,
    &require_statement_timeout::RULE,
    &require_table_schema::RULE,
    &require_timeout_settings::RULE,
    &rollback_mismatch::RULE,
    &set_not_null_without_backfill::RULE,
    &transaction_nesting::RULE,
    &trigger_function_invalid::RULE,
    &unused_function::RULE,
    &unused_ignore::RULE,
    &update_without_where::RULE,
    &updated_at_without_trigger::RULE,
];

/// The folder rules that judge the schema at the end of the history table by table. Each finding names
/// the table it judges ([`Finding::on_table`]) and depends only on that table's history (its
/// indexes included), on the tables its foreign keys reference and its partitioned parent, on the text
/// of the migrations that changed them, and on the names in [`Finding::free_names`]; with a
/// [`Scope`] the rule judges only the tables in it. The second field says whether the rule also reads
/// functions (then any changed function makes it judge every table).
static BY_TABLE: &[(&Rule, bool)] = &[
    (&duplicate_index::RULE, false),
    (&foreign_key_type_mismatch::RULE, false),
    (&foreign_key_without_index::RULE, false),
    (&redundant_index::RULE, false),
    (&updated_at_without_trigger::RULE, true),
];

/// What the table-by-table folder rules ([`BY_TABLE`]) found in one analysis, kept for the next
/// (`analysis::Memory`): after an edit only the tables it reached are judged again.
#[derive(Clone, Debug, Default)]
pub struct FolderMemo {
    /// For each rule of [`BY_TABLE`], in its order: its findings as reported, or `None` when it did not run.
    rules: Vec<Option<Vec<Kept>>>,
}

#[derive(Clone, Debug)]
struct Kept {
    table: Option<(u32, QualName)>,
    free_names: Vec<QualName>,
    diagnostic: Diagnostic,
}

impl FolderMemo {
    /// The tables whose findings depend on one of `names` (relation names that appeared or disappeared).
    pub fn tables_naming(&self, names: &std::collections::BTreeSet<QualName>) -> Vec<u32> {
        let kept = self.rules.iter().flatten().flatten();
        kept.filter(|k| k.free_names.iter().any(|n| names.contains(n)))
            .filter_map(|k| k.table.as_ref().map(|t| t.0))
            .collect()
    }
}

/// The id of the rule that runs each migration twice; the `Checker` simulates the second run at the end
/// of each migration, from its parsed statements.
pub const NOT_IDEMPOTENT: &str = not_idempotent::RULE.id;

/// The rule with this id.
pub fn lookup(id: &str) -> Option<&'static Rule> {
    // `ALL` is in id order (`rules::tests` checks it).
    ALL.binary_search_by(|r| r.id.cmp(id)).ok().map(|i| ALL[i])
}

/// The rules that run, with their severities, resolved once per analysis.
#[derive(Clone, Debug)]
pub struct Enabled {
    levels: Vec<(&'static str, Option<Severity>)>,
    pub settings: Settings,
    deployed: Option<String>,
    /// The files whose statements went through the rules (forward migrations not yet deployed): only
    /// their suppression comments are judged by `unused-ignore`.
    checked: std::cell::RefCell<std::collections::BTreeSet<u32>>,
}

impl Enabled {
    pub fn new(config: &RuleConfig, runner: crate::analysis::Runner) -> Enabled {
        let levels = ALL.iter().map(|r| (r.id, config.severity(r))).collect();
        Enabled {
            levels,
            settings: config.settings(runner),
            deployed: config.deployed.clone(),
            checked: Default::default(),
        }
    }

    /// The severity a rule reports at, or `None` when it is off.
    pub fn severity(&self, id: &str) -> Option<Severity> {
        // `levels` is in `ALL`'s order, which is the ids' order.
        self.levels.binary_search_by(|(r, _)| r.cmp(&id)).ok().and_then(|i| self.levels[i].1)
    }

    /// Runs the statement rules on one statement.
    pub fn check_statement(&self, cx: &StatementCx<'_>, out: &mut Vec<Diagnostic>) {
        self.checked.borrow_mut().insert(cx.span.file);
        let mut findings = Vec::new();
        // `levels` is in `ALL`'s order.
        for (rule, (_, severity)) in ALL.iter().zip(&self.levels) {
            let (Check::Statement(check), Some(severity)) = (&rule.check, *severity) else { continue };
            check(cx, &mut findings);
            out.extend(findings.drain(..).map(|f| to_diagnostic(rule.id, severity, cx.span, f)));
        }
        if let crate::sql::parse::Parsed::Do { body, offset, .. } = cx.parsed
            && let Some(steps) = cx.do_steps()
        {
            self.check_do_block(cx, steps, body, *offset, out);
        }
    }

    /// Runs the rules of [`do_statements::INSIDE_DO`] on the statements a `DO` block runs.
    fn check_do_block(
        &self,
        cx: &StatementCx<'_>,
        steps: &[(sqlparser::ast::Statement, crate::catalog::Catalog)],
        body: &str,
        offset: usize,
        out: &mut Vec<Diagnostic>,
    ) {
        let inner = do_statements::inner_statements(cx.file.text, cx.span, body, offset, steps);
        let mut findings = Vec::new();
        for (i, step) in inner.iter().enumerate() {
            let parsed = crate::sql::parse::Parsed::Statement(Box::new(step.stmt.clone()), Default::default());
            let after = inner.get(i + 1).map_or(cx.after, |next| next.before);
            let inner_cx = StatementCx {
                parsed: &parsed,
                span: step.span,
                text: cx.file.text.get(step.span.range()).unwrap_or(""),
                before: step.before,
                after,
                applied: cx.applied,
                file: cx.file,
                settings: cx.settings,
                history: cx.history,
                files: cx.files,
                memo: Default::default(),
            };
            for (rule, (_, severity)) in ALL.iter().zip(&self.levels) {
                let (Check::Statement(check), Some(severity)) = (&rule.check, *severity) else { continue };
                if !do_statements::INSIDE_DO.contains(&rule.id) {
                    continue;
                }
                check(&inner_cx, &mut findings);
                out.extend(findings.drain(..).map(|f| to_diagnostic(rule.id, severity, step.span, f)));
            }
        }
    }

    /// Counts `file` among the files whose statements went through the rules, when an earlier analysis
    /// ran them (`analysis::Memory`).
    pub fn note_checked(&self, file: u32) {
        self.checked.borrow_mut().insert(file);
    }

    pub fn was_checked(&self, file: u32) -> bool {
        self.checked.borrow().contains(&file)
    }

    /// Runs the folder rules. With `earlier` (the findings of the analysis before an edit and what the
    /// edit reached), the rules of [`BY_TABLE`] judge only the tables in the scope and keep their earlier
    /// findings on the others. Returns what they found, for the next analysis.
    pub fn check_folder(
        &self,
        cx: &FolderCx<'_>,
        earlier: Option<(&Scope, FolderMemo)>,
        out: &mut Vec<Diagnostic>,
    ) -> FolderMemo {
        let mut findings = Vec::new();
        let (scope, mut earlier) = match earlier {
            Some((scope, memo)) => (Some(scope), memo.rules),
            None => (None, Vec::new()),
        };
        let mut memo = FolderMemo { rules: vec![None; BY_TABLE.len()] };
        for rule in ALL {
            let Check::Folder(check) = rule.check else { continue };
            let Some(severity) = self.severity(rule.id) else { continue };
            let at = Span::default();
            let Some(slot) = BY_TABLE.iter().position(|(r, _)| r.id == rule.id) else {
                check(cx, &mut findings);
                out.extend(findings.drain(..).map(|f| to_diagnostic(rule.id, severity, at, f)));
                continue;
            };
            let reads_functions = BY_TABLE[slot].1;
            let old = earlier.get_mut(slot).and_then(Option::take);
            let scope = scope.filter(|s| !(reads_functions && s.functions));
            let (scope, mut kept) = match (scope, old) {
                (Some(scope), Some(old)) => {
                    let again = |k: &Kept| k.table.as_ref().is_none_or(|(oid, _)| scope.tables.contains(oid));
                    (Some(scope), old.into_iter().filter(|k| !again(k)).collect())
                }
                _ => (None, Vec::new()),
            };
            check(&FolderCx { scope, ..*cx }, &mut findings);
            kept.extend(findings.drain(..).map(|mut f| Kept {
                table: f.table.take(),
                free_names: std::mem::take(&mut f.free_names),
                diagnostic: to_diagnostic(rule.id, severity, at, f),
            }));
            // By table name, whatever the rule's own order: kept and new findings merge the same way.
            kept.sort_by(|a, b| a.table.as_ref().map(|t| &t.1).cmp(&b.table.as_ref().map(|t| &t.1)));
            out.extend(kept.iter().map(|k| k.diagnostic.clone()));
            memo.rules[slot] = Some(kept);
        }
        memo
    }

    /// Whether migrations with this version are already deployed (rules leave them alone: they cannot
    /// change any more).
    pub fn is_deployed(&self, version: &crate::migrations::Version) -> bool {
        let Some(deployed) = &self.deployed else { return false };
        crate::migrations::Version::parse(deployed).is_some_and(|d| version.cmp_number(&d).is_le())
    }

    /// Applies configured severities, `off`, and suppression comments to the engine's own diagnostics
    /// (planner, simulator) and the rules' findings. Diagnostics that are not a rule's pass through.
    /// Then reports the suppression comments that silenced nothing (`unused-ignore`).
    pub fn finish(&self, files: &[crate::SourceFile], diagnostics: &mut Vec<Diagnostic>) {
        let ignores: Vec<suppress::Ignores> = files.iter().map(|f| suppress::Ignores::read(&f.text)).collect();
        self.finish_with(files, &ignores, diagnostics);
    }

    /// [`Enabled::finish`], with each file's suppression comments already read (`ignores[i]` of `files[i]`):
    /// an analysis after an edit reads only those of the files that changed.
    pub fn finish_with(&self, files: &[crate::SourceFile], ignores: &[Ignores], diagnostics: &mut Vec<Diagnostic>) {
        // used[file][comment][id]: whether that id (index 0 for a comment without ids) silenced something.
        let mut used: Vec<Vec<Vec<bool>>> =
            ignores.iter().map(|i| i.comments.iter().map(|c| vec![false; c.ids.len().max(1)]).collect()).collect();
        diagnostics.retain_mut(|d| {
            let Some(rule) = lookup(d.rule) else { return true };
            if matches!(rule.check, Check::Builtin) {
                match self.severity(rule.id) {
                    Some(s) => d.severity = s,
                    None => return false,
                }
            }
            let file = d.span.file as usize;
            let (Some(ignores), Some(source)) = (ignores.get(file), files.get(file)) else { return true };
            let uses = ignores.uses(&source.text, d.rule, d.span.start as usize);
            for (c, i) in &uses {
                if let Some(flag) = used[file].get_mut(*c).and_then(|ids| ids.get_mut(i.unwrap_or(0))) {
                    *flag = true;
                }
            }
            uses.is_empty()
        });
        let Some(severity) = self.severity(unused_ignore::RULE.id) else { return };
        let enabled = |id: &str| self.severity(id).is_some();
        for &file in self.checked.borrow().iter() {
            let (Some(source), Some(ignores)) = (files.get(file as usize), ignores.get(file as usize)) else {
                continue;
            };
            let used = &used[file as usize];
            diagnostics.extend(unused_ignore::report(file, &source.text, ignores, used, &enabled, severity));
        }
    }
}

fn to_diagnostic(rule: &'static str, severity: Severity, span: Span, f: Finding) -> Diagnostic {
    Diagnostic {
        severity,
        rule,
        message: f.message.into(),
        span: f.span.unwrap_or(span),
        help: f.help.map(Into::into),
        fix: f.fix,
    }
}

#[cfg(test)]
mod tests;
