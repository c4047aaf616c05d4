//! Migration DDL from a [`SchemaDiff`]: `up` (OLD -> NEW) and `down` (NEW -> OLD) scripts for
//! PostgreSQL, MySQL/MariaDB and SQLite, in dependency order, rendered through the same
//! dialect rules as exports, plus a zero-downtime safety report (codes MG001..MG009).
//!
//! Order: views that go or depend on a changed table are dropped; foreign keys that go are
//! dropped; indexes and constraints that go are dropped; dropped tables go; enums and
//! sequences are created; tables are renamed and created; kept tables are altered (SQLite: rebuilt with the 12-step
//! procedure where ALTER TABLE cannot, copying every row first); indexes, foreign keys and
//! views are created; sequence owners are set, sequences and enums that go are dropped. See
//! `docs/migrations.md`.

use super::sequences as seqs;
use crate::model::*;
use crate::sql::ddl::{
    Cx, ExportWarning, ExprScope, column_definition, column_list, column_type, constraint_prefix,
    create_table, fk_clause, keyed_columns, table_order, translate_index,
};
use crate::sql::dialect::{DialectRules, rules};
use crate::sql::dialect_migrate::ConstraintKind;
use crate::sql::diff::{ColumnChangeKind, MatchMode, SchemaDiff, TableDiff, diff_by, fk_desc};
use crate::sql::expr::Place;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

mod alter;
pub(crate) mod names;
pub(crate) mod rebuild;
mod safety;
mod script;
pub(crate) mod types;
use alter::*;
use names::*;
use rebuild::*;
use safety::*;
use script::*;
pub use types::narrows;
use types::*;

/// Choices for the generated DDL.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MigrationOptions {
    /// PostgreSQL: build indexes on existing tables with `CREATE INDEX CONCURRENTLY` (the
    /// script is then not wrapped in a transaction, which CONCURRENTLY cannot run in).
    pub concurrent_indexes: bool,
    /// PostgreSQL: add foreign keys to existing tables `NOT VALID`, then `VALIDATE CONSTRAINT`
    /// (a weaker lock than a validating ADD).
    pub fk_not_valid: bool,
    /// How objects are matched (`None`: by id when the projects share ids, else by name).
    pub match_mode: Option<MatchMode>,
    /// Reproduce the model's column order exactly: PostgreSQL rebuilds a table whose new
    /// columns are not at the end, MySQL places them with `AFTER`/`FIRST` (MG006 either way).
    /// Off by default: new columns are appended and the difference in order is a warning.
    pub exact_column_order: bool,
}

/// One finding of the zero-downtime safety report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SafetyIssue {
    /// Stable code, `MG001`..: each is a rule of the one catalogue, with its name, default
    /// severity, rationale and fixtures (`analysis::rules`, `rules/migration.rs`).
    pub code: &'static str,
    pub object: String,
    pub message: String,
}

impl std::fmt::Display for SafetyIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.code, self.object, self.message)
    }
}

/// A migration script.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Migration {
    pub dialect: Dialect,
    pub sql: String,
    /// Statements in `sql` (comments not counted).
    pub statements: usize,
    pub warnings: Vec<ExportWarning>,
    pub safety: Vec<SafetyIssue>,
}

/// The diff and both scripts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MigrationPlan {
    pub diff: SchemaDiff,
    pub up: Migration,
    pub down: Migration,
    /// The columns `up` adds to existing tables without a value for their rows (MG004): the
    /// ones `--fill` (or the studio's migration dialog) asks a one-off value for, fills given
    /// or not.
    #[serde(skip)]
    pub fill_candidates: Vec<FillCandidate>,
}

/// One-off fill values for NOT NULL columns added without a default, by (table, column) as
/// NEW names them (`schema.table` or `table`): SQL in the target dialect, used for the rows
/// the table already has only (the column keeps the model's default, or none).
pub type Fills = BTreeMap<(String, String), String>;

/// The fill for column `c` of NEW's table `t`, if one was given.
fn fill_for<'f>(fills: &'f Fills, t: &Table, c: &Column) -> Option<&'f str> {
    fills
        .get(&(t.qualified_name(), c.name.clone()))
        .or_else(|| fills.get(&(t.name.clone(), c.name.clone())))
        .map(String::as_str)
}

/// Diff `old` and `new` and render `up` and `down` (the reverse diff) for `dialect`.
pub fn plan(
    old: &Project,
    new: &Project,
    dialect: Dialect,
    opts: MigrationOptions,
) -> MigrationPlan {
    plan_with_fills(old, new, dialect, opts, &Fills::new())
}

/// [`plan`] with one-off fill values for added NOT NULL columns (`up` only).
pub fn plan_with_fills(
    old: &Project,
    new: &Project,
    dialect: Dialect,
    opts: MigrationOptions,
    fills: &Fills,
) -> MigrationPlan {
    let mut notes = Vec::new();
    let old = as_exported(old, dialect, &mut Vec::new());
    let new = as_exported(new, dialect, &mut notes);
    let (old, new) = (old.as_ref(), new.as_ref());
    let d = diff_by(old, new, opts.match_mode);
    let mut up = migration_with_fills(old, new, &d, dialect, opts, fills);
    up.warnings.extend(notes);
    let back = diff_by(new, old, opts.match_mode);
    let down = migration(new, old, &back, dialect, opts);
    let fill_candidates = fill_candidates(new, &d);
    MigrationPlan {
        diff: d,
        up,
        down,
        fill_candidates,
    }
}

/// `p` as the export writes it for `dialect`, which is what a migration compares: partitions
/// flattened into ordinary tables and sequences folded into auto-increment where the dialect
/// has neither, constraint names made unique where they must be (MySQL). What changed is
/// added to `notes`.
fn as_exported<'p>(
    p: &'p Project,
    dialect: Dialect,
    notes: &mut Vec<ExportWarning>,
) -> std::borrow::Cow<'p, Project> {
    use std::borrow::Cow;
    let r = rules(dialect);
    let mut cur = Cow::Borrowed(p);
    if !r.partitions()
        && let Some(x) = crate::sql::ddl::flatten_partitions(&cur, dialect, notes)
    {
        cur = Cow::Owned(x);
    }
    if !r.sequences()
        && let Some(x) = crate::sql::sequences::fold(&cur, dialect, notes)
    {
        cur = Cow::Owned(x);
    }
    if !r.on_update()
        && let Some(x) = crate::sql::ddl::without_on_update(&cur, dialect, notes)
    {
        cur = Cow::Owned(x);
    }
    if let Some(x) = crate::sql::ddl::unique_constraint_names(&cur, dialect, notes) {
        cur = Cow::Owned(x);
    }
    cur
}

/// A column NEW adds to a table that may have rows, which those rows cannot get a value for:
/// NOT NULL without a default, identity or generation.
fn needs_fill(c: &Column) -> bool {
    !c.nullable && c.default.is_none() && c.identity.is_none() && c.generated.is_none()
}

/// A column a migration adds to an existing table without a value for its rows (MG004).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FillCandidate {
    /// NEW's qualified table name (the `--fill TABLE.COLUMN` key).
    pub table: String,
    pub column: String,
    /// The column's type, for the prompt.
    pub ty: String,
}

/// The columns `d` adds to existing tables of `new` (both as exported) without a value for
/// their rows (see [`MigrationPlan::fill_candidates`]).
fn fill_candidates(new: &Project, d: &SchemaDiff) -> Vec<FillCandidate> {
    let mut out = Vec::new();
    for td in &d.tables_changed {
        let Some(t) = new.table(td.new_id) else {
            continue;
        };
        for c in &td.columns_added {
            if let Some(col) = t.column(c.id).filter(|c| needs_fill(c)) {
                out.push(FillCandidate {
                    table: t.qualified_name(),
                    column: col.name.clone(),
                    ty: col.ty.describe(),
                });
            }
        }
    }
    out
}

struct Out {
    stmts: Vec<String>,
    safety: Vec<SafetyIssue>,
}

/// Marks a statement written as it is (it carries its own terminator).
const RAW: char = '\u{1}';

impl Out {
    fn extend(&mut self, stmts: impl IntoIterator<Item = String>) {
        for s in stmts {
            self.push(s);
        }
    }
    fn push(&mut self, s: impl Into<String>) {
        self.stmts.push(s.into());
    }
    fn raw(&mut self, s: impl Into<String>) {
        self.stmts.push(format!("{RAW}{}", s.into()));
    }
    /// An extra SQL statement, under its search path when it has one.
    fn extra(&mut self, r: &dyn DialectRules, x: &ExtraSql) {
        let path = x
            .search_path
            .as_deref()
            .and_then(|p| r.set_search_path(Some(p)));
        if let Some(p) = &path {
            self.raw(p.clone());
        }
        self.raw(r.extra_statement(&x.sql));
        if path.is_some()
            && let Some(reset) = r.set_search_path(None)
        {
            self.raw(reset);
        }
    }
    fn issue(&mut self, code: &'static str, object: impl Into<String>, message: impl Into<String>) {
        self.safety.push(SafetyIssue {
            code,
            object: object.into(),
            message: message.into(),
        });
    }
}

/// Render the migration from `old` to `new` described by `d` (from `diff(old, new)`).
pub fn migration(
    old: &Project,
    new: &Project,
    d: &SchemaDiff,
    dialect: Dialect,
    opts: MigrationOptions,
) -> Migration {
    migration_with_fills(old, new, d, dialect, opts, &Fills::new())
}

fn render(
    dialect: Dialect,
    old: &Project,
    new: &Project,
    out: Out,
    warnings: Vec<ExportWarning>,
    opts: MigrationOptions,
) -> Migration {
    let mut sql = String::new();
    sql.push_str(&format!(
        "-- Migration generated by Crowfoot {} for {}: {:?} -> {:?}\n",
        env!("CARGO_PKG_VERSION"),
        dialect.display_name(),
        old.name(),
        new.name()
    ));
    if out.stmts.is_empty() {
        sql.push_str("-- No changes.\n");
    }
    for w in &warnings {
        crate::sql::ddl::push_comment(&mut sql, &format!("warning: {w}"));
    }
    for s in &out.safety {
        crate::sql::ddl::push_comment(&mut sql, &format!("safety: {s}"));
    }
    let n = out.stmts.len();
    let frame = if n > 0 {
        rules(dialect).script_frame(opts.concurrent_indexes)
    } else {
        Default::default()
    };
    let transaction = frame.transaction;
    if let Some(note) = frame.note {
        sql.push_str(&format!("-- {note}\n"));
    }
    for s in &frame.before {
        sql.push_str(&format!("\n{s};\n"));
    }
    if transaction {
        sql.push_str("\nBEGIN;\n");
    }
    for s in out.stmts {
        sql.push('\n');
        match s.strip_prefix(RAW) {
            Some(raw) => {
                sql.push_str(raw);
                sql.push('\n');
            }
            None => {
                sql.push_str(&s);
                sql.push_str(";\n");
            }
        }
    }
    for s in &frame.check {
        sql.push_str(&format!("\n{s};\n"));
    }
    if transaction {
        sql.push_str("\nCOMMIT;\n");
    }
    for s in &frame.after {
        sql.push_str(&format!("\n{s};\n"));
    }
    Migration {
        dialect,
        sql,
        statements: n,
        warnings,
        safety: out.safety,
    }
}
