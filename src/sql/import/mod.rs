//! SQL import: a DDL script (or a dump) → a [`Project`], with a report of everything that was
//! skipped or only partly understood.
//!
//! The script is split into statements by [`split`] (quotes, comments, dollar quotes,
//! `DELIMITER`, `GO` respected) and each statement is parsed on its own with sqlparser, so one
//! bad statement never loses the rest. Dump noise (SET, GRANT, INSERT, ...) is counted;
//! schema objects the model does not hold (functions, triggers, ...) are kept verbatim as
//! extra SQL or reported as skipped. Nothing panics: parser errors become report notes with
//! line and column. Files by phase: `detect` (which dialect), `classify` (what a statement
//! is), `statement` (preprocessing and dispatch), `table` (tables, columns, constraints,
//! indexes, ALTER TABLE), `sequences`, `tsql`, `resolve` (the project built at the end).

mod classify;
mod detect;
pub(crate) mod live_run;
mod resolve;
mod sequences;
pub mod source;
pub mod split;
mod statement;
mod table;
mod tsql;
pub mod types;

use crate::model::{
    CheckConstraint, Column, Command, Deferrable, Dialect, EnumType, ExtraSql, FkAction,
    ForeignKey, ForeignKeyId, Generated, Identity, Index, IndexMethod, IndexPart, IndexTarget,
    LogicalType, PartitionOf, Placement, Position, PrimaryKey, Project, SortOrder, Table,
    UniqueConstraint, View,
};
use sqlparser::ast::{
    self, AlterColumnOperation, AlterTableOperation, ColumnOption, CommentObject,
    CreateTableOptions, DataType, Expr, GeneratedAs, GeneratedExpressionMode, Ident, IndexColumn,
    IndexType, ObjectName, ObjectNamePart, ReferentialAction, SqlOption, Statement,
    TableConstraint, UserDefinedTypeRepresentation,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::HashMap;
use std::fmt;

use classify::*;
pub use detect::detect_dialect;
use detect::*;
pub(crate) use resolve::replace_word_after_paren;
use resolve::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// Not imported at all (schema the model does not hold, or a parse error).
    Skipped,
    /// Imported, but something in it was dropped.
    Partial,
    /// Dump noise (SET, GRANT, INSERT, ...): ignored on purpose.
    Noise,
    /// Schema the model does not hold (function, trigger, ...), kept verbatim as extra SQL
    /// and re-emitted on export to the same dialect.
    Kept,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportNote {
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    pub kind: NoteKind,
    /// The first words of the statement.
    pub statement_head: String,
    pub reason: String,
    /// For skipped and partly imported statements: every word and quoted name in the
    /// statement, lower-cased (the objects it names or may define), so that a diff can refuse
    /// to treat what the import lost as dropped. Empty for other notes.
    pub names: Vec<String>,
}

impl fmt::Display for ImportNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            NoteKind::Skipped => "skipped",
            NoteKind::Partial => "partial",
            NoteKind::Noise => "noise",
            NoteKind::Kept => "kept",
        };
        write!(
            f,
            "{}:{}: {kind}: {}: {}",
            self.line, self.col, self.statement_head, self.reason
        )
    }
}

#[derive(Clone, Debug)]
pub struct ImportResult {
    pub project: Project,
    pub dialect: Dialect,
    pub report: Vec<ImportNote>,
}

impl ImportResult {
    pub fn count(&self, kind: NoteKind) -> usize {
        self.report.iter().filter(|n| n.kind == kind).count()
    }
}

/// Import a SQL script. `dialect` overrides auto-detection.
pub fn import_sql(text: &str, dialect: Option<Dialect>) -> ImportResult {
    // A byte order mark is not part of the first statement (editors on Windows write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let dialect = dialect.unwrap_or_else(|| detect_dialect(text));
    let mut im = Importer::new(dialect);
    let opts = im.rules.split_options();
    let (chunks, open) = split::split_checked(text, opts);
    for chunk in chunks {
        im.statement(&chunk);
    }
    if let Some(u) = open {
        // Everything after the opener was read as part of one string or comment: say where
        // it starts (the diff guard sets aside every name in the swallowed text).
        im.at = at_of(u.line, u.col, &text[u.offset..]);
        im.at.2 = format!("unterminated {}", u.what);
        im.note(
            Severity::Error,
            NoteKind::Skipped,
            format!(
                "{} opened at line {} is never closed: the rest of the file (from line {} on) \
                 was read as part of it, so the statements there were not imported",
                u.what, u.line, u.line
            ),
        );
    }
    let (project, report) = im.finish();
    ImportResult {
        project,
        dialect,
        report,
    }
}

// ---------------------------------------------------------------------------------------------

struct PendingFk {
    table: usize,
    name: Option<String>,
    columns: Vec<String>,
    ref_schema: Option<String>,
    ref_table: String,
    ref_columns: Vec<String>,
    on_delete: FkAction,
    on_update: FkAction,
    deferrable: Deferrable,
    at: At,
}

struct PendingView {
    schema: Option<String>,
    name: String,
    sql: String,
    materialized: bool,
    comment: Option<String>,
}

struct Importer {
    dialect: Dialect,
    /// What the dialect reads differently (`sql::dialect_import`, `sql::dialect_expr`).
    rules: &'static dyn crate::sql::dialect::DialectRules,
    next_id: u64,
    tables: Vec<Table>,
    /// Name indexes over `tables` (which only grows, and whose names and schemas never change
    /// once pushed), so that every lookup is O(1) and an import linear in the tables
    /// (issue 13): `(schema, name)` exactly as stored;
    by_name: HashMap<(Option<String>, String), usize>,
    /// the first table with each `(schema, ASCII-lower-cased name)`;
    by_name_ci: HashMap<(Option<String>, String), usize>,
    /// by name alone, in any schema: the first such table and how many there are.
    by_bare_name: HashMap<String, (usize, usize)>,
    enums: Vec<EnumType>,
    /// The first enum with each name.
    enum_by_name: HashMap<String, usize>,
    domains: HashMap<String, LogicalType>,
    fks: Vec<PendingFk>,
    views: Vec<PendingView>,
    /// The first view with each name, and every view name ASCII-lower-cased.
    view_by_name: HashMap<String, usize>,
    view_names_ci: std::collections::HashSet<String>,
    report: Vec<ImportNote>,
    /// Where the current statement starts, and its head.
    at: At,
    /// Schema for unqualified names (`SET search_path`, `CREATE SCHEMA ... CREATE TABLE`).
    default_schema: Option<String>,
    /// SQL Server alias types and rules declared so far.
    tsql: tsql::State,
    /// Statements kept verbatim as extra SQL, in file order.
    extras: Vec<PendingExtra>,
    /// Sequences (lower-case, unqualified) that fed a `nextval` default now imported as an
    /// identity column: their CREATE/ALTER SEQUENCE is not kept.
    identity_sequences: std::collections::HashSet<String>,
    /// PostgreSQL sequences read so far, in file order.
    sequences: Vec<sequences::PendingSequence>,
    /// MySQL INVISIBLE columns (table, column, where declared).
    invisible: Vec<(crate::model::TableId, crate::model::ColumnId, At)>,
}

/// See [`Importer::read_default`].
enum ReadDefault {
    Sequence(String),
    Identity,
    Value(String),
}

struct PendingExtra {
    kind: String,
    name: Option<String>,
    placement: Placement,
    sql: String,
    search_path: Option<String>,
    at: At,
}

/// Where a statement starts (line, column), its head, and its whole text (for the names of
/// skipped statements).
type At = (usize, usize, String, std::sync::Arc<str>);

/// The [`At`] of a statement.
fn at_of(line: usize, col: usize, text: &str) -> At {
    (line, col, head_of(text), std::sync::Arc::from(text))
}

/// An [`At`] for a note about an object rather than a statement (`table t`).
fn at_named(head: String) -> At {
    let text = std::sync::Arc::from(head.as_str());
    (0, 0, head, text)
}

/// The words and quoted names of a statement, lower-cased and deduplicated: the objects it
/// names or may define (a superset, by design).
pub fn statement_names(text: &str) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    let flush = |w: &mut String, out: &mut std::collections::BTreeSet<String>| {
        if !w.is_empty() {
            out.insert(std::mem::take(w).to_lowercase());
        }
    };
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        let close = match c {
            '"' => '"',
            '`' => '`',
            '[' => ']',
            '\'' => '\'',
            _ => continue,
        };
        let mut quoted = String::new();
        while let Some(q) = chars.next() {
            if q == close {
                if chars.peek() == Some(&close) && close != ']' {
                    chars.next();
                    quoted.push(q);
                    continue;
                }
                break;
            }
            quoted.push(q);
        }
        // The quoted name as a whole, and its words (a qualified or partial name).
        for w in quoted.split(|q: char| !(q.is_alphanumeric() || q == '_' || q == '$')) {
            if !w.is_empty() {
                out.insert(w.to_lowercase());
            }
        }
        flush(&mut quoted, &mut out);
    }
    flush(&mut word, &mut out);
    out.into_iter().collect()
}

impl Importer {
    fn new(dialect: Dialect) -> Self {
        Importer {
            dialect,
            rules: crate::sql::dialect::rules(dialect),
            next_id: 1,
            tables: Vec::new(),
            by_name: HashMap::new(),
            by_name_ci: HashMap::new(),
            by_bare_name: HashMap::new(),
            enums: Vec::new(),
            enum_by_name: HashMap::new(),
            domains: HashMap::new(),
            fks: Vec::new(),
            views: Vec::new(),
            view_by_name: HashMap::new(),
            view_names_ci: Default::default(),
            report: Vec::new(),
            at: at_of(1, 1, ""),
            default_schema: None,
            tsql: Default::default(),
            extras: Vec::new(),
            identity_sequences: Default::default(),
            sequences: Vec::new(),
            invisible: Vec::new(),
        }
    }

    /// Keep a schema statement the model does not hold, verbatim, as extra SQL.
    fn keep(&mut self, kind: &str, text: &str) {
        let sql = text.trim().trim_end_matches(';').trim_end().to_string();
        let name = object_name_after(&sql, kind);
        let placement = match kind {
            "trigger" | "policy" | "rule" | "statistics" | "publication" | "subscription" => {
                Placement::AfterTables
            }
            "extension"
            | "collation"
            | "text search"
            | "language"
            | "server"
            | "foreign data wrapper" => Placement::BeforeTables,
            // Functions, procedures, types, sequences, ...: where they stood in the file.
            _ if self.tables.is_empty() => Placement::BeforeTables,
            _ => Placement::AfterTables,
        };
        self.extras.push(PendingExtra {
            kind: kind.to_string(),
            name,
            placement,
            sql,
            search_path: self.default_schema.clone(),
            at: self.at.clone(),
        });
    }

    /// What a default's text makes of its column: a PostgreSQL `nextval('seq')` stays the
    /// default, in canonical form (settled once the sequences are known, see
    /// `finish_sequences`); another dialect's `nextval` makes an identity column (its sequence
    /// remembered, so its CREATE SEQUENCE is not kept); anything else is a plain default.
    fn read_default(&mut self, d: String) -> ReadDefault {
        if self.rules.sequences()
            && let Some(canonical) = crate::model::sequence::canonical_nextval(&d)
        {
            return ReadDefault::Sequence(canonical);
        }
        if is_nextval(&d) {
            if let Some(name) = nextval_sequence(&d) {
                self.identity_sequences.insert(name);
            }
            return ReadDefault::Identity;
        }
        ReadDefault::Value(d)
    }

    fn id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn note(&mut self, severity: Severity, kind: NoteKind, reason: impl Into<String>) {
        self.report.push(ImportNote {
            line: self.at.0,
            col: self.at.1,
            severity,
            kind,
            statement_head: self.at.2.clone(),
            reason: reason.into(),
            names: match kind {
                NoteKind::Skipped | NoteKind::Partial => statement_names(&self.at.3),
                NoteKind::Noise | NoteKind::Kept => Vec::new(),
            },
        });
    }

    fn partial(&mut self, reason: impl Into<String>) {
        self.note(Severity::Warning, NoteKind::Partial, reason);
    }

    /// Drop (with a note) the SQL text of a table the model would refuse because it could
    /// break out of the statement it is pasted into (see [`crate::model::sql_text`]): only that
    /// piece goes, never the table.
    fn safe_text(&mut self, t: &mut Table) {
        use crate::model::sql_text::{check_expression, check_native_type, check_type};
        let mut lost = Vec::new();
        for c in &mut t.columns {
            if let Err(e) = check_type(&c.ty) {
                lost.push(format!("column `{}`: imported as text ({e})", c.name));
                c.ty = crate::model::LogicalType::Text;
            }
            c.type_overrides.retain(|_, o| match check_native_type(o) {
                Ok(()) => true,
                Err(e) => {
                    lost.push(format!("column `{}`: {e}", c.name));
                    false
                }
            });
            if let Some(Err(e)) = c.default.as_deref().map(check_expression) {
                lost.push(format!("column `{}`: default dropped ({e})", c.name));
                c.default = None;
            }
            if let Some(Err(e)) = c.on_update.as_deref().map(check_expression) {
                lost.push(format!("column `{}`: ON UPDATE dropped ({e})", c.name));
                c.on_update = None;
            }
            if let Some(Err(e)) = c.generated.as_ref().map(|g| check_expression(&g.expr)) {
                lost.push(format!("column `{}`: generation dropped ({e})", c.name));
                c.generated = None;
            }
        }
        t.checks.retain(|c| match check_expression(&c.expr) {
            Ok(()) => true,
            Err(e) => {
                lost.push(format!("check dropped ({e})"));
                false
            }
        });
        t.indexes.retain(|ix| {
            let bad = ix
                .parts
                .iter()
                .filter_map(|p| match &p.target {
                    IndexTarget::Expr(x) => Some(x.as_str()),
                    IndexTarget::Column(_) => None,
                })
                .chain(ix.where_clause.as_deref())
                .find_map(|x| check_expression(x).err());
            match bad {
                Some(e) => {
                    lost.push(format!("index `{}` dropped ({e})", ix.name));
                    false
                }
                None => true,
            }
        });
        if let Some(Err(e)) = t.partition_by.as_deref().map(check_expression) {
            lost.push(format!("partitioning dropped ({e})"));
            t.partition_by = None;
        }
        if let Some(Err(e)) = t.partition_of.as_ref().map(|o| check_expression(&o.bound)) {
            lost.push(format!(
                "partition bound dropped, imported as a plain table ({e})"
            ));
            t.partition_of = None;
        }
        for ix in &mut t.indexes {
            if let Some(crate::model::IndexMethod::Other(m)) = &ix.method
                && let Err(e) = check_native_type(m)
            {
                lost.push(format!("index `{}`: method dropped ({e})", ix.name));
                ix.method = None;
            }
        }
        if !lost.is_empty() {
            self.at = at_named(format!("table {}", t.name));
            for l in lost {
                self.partial(format!("table {}: {l}", t.name));
            }
        }
    }

    // -- names ---------------------------------------------------------------------------

    /// An identifier as the engine stores it.
    fn ident(&self, i: &Ident) -> String {
        if i.quote_style.is_none() && self.rules.folds_unquoted_identifiers() {
            i.value.to_lowercase()
        } else {
            i.value.clone()
        }
    }

    fn name_parts(&self, n: &ObjectName) -> Vec<String> {
        n.0.iter()
            .map(|p| match p {
                ObjectNamePart::Identifier(i) => self.ident(i),
                other => other.to_string(),
            })
            .collect()
    }

    /// (schema, name): default schemas (`public`, `dbo`, a MySQL database, SQLite `main`)
    /// become `None`.
    fn qualified(&self, n: &ObjectName) -> (Option<String>, String) {
        let mut parts = self.name_parts(n);
        let name = parts.pop().unwrap_or_default();
        let schema = parts.pop().or_else(|| self.default_schema.clone());
        let schema = self.rules.imported_schema(schema);
        (schema, name)
    }

    /// The table `schema.name` names: the one with that exact name, else the first whose name
    /// differs only in ASCII case, else (unqualified) the only table of that name in any
    /// schema. O(1): looked up in the name indexes.
    fn find_table(&self, schema: &Option<String>, name: &str) -> Option<usize> {
        let key = (schema.clone(), name.to_string());
        if let Some(&i) = self.by_name.get(&key) {
            return Some(i);
        }
        let (schema, name) = key;
        let ci = (schema, name.to_ascii_lowercase());
        if let Some(&i) = self.by_name_ci.get(&ci) {
            return Some(i);
        }
        // An unqualified reference may name a table created in another schema (search_path).
        if ci.0.is_none() {
            return match self.by_bare_name.get(&name) {
                Some(&(i, 1)) => Some(i),
                _ => None,
            };
        }
        None
    }

    /// Add a table, indexed by name.
    fn push_table(&mut self, t: Table) -> usize {
        let ti = self.tables.len();
        let lower = t.name.to_ascii_lowercase();
        self.by_name_ci
            .entry((t.schema.clone(), lower))
            .or_insert(ti);
        self.by_bare_name
            .entry(t.name.clone())
            .and_modify(|(_, n)| *n += 1)
            .or_insert((ti, 1));
        self.by_name.insert((t.schema.clone(), t.name.clone()), ti);
        self.tables.push(t);
        ti
    }

    /// Add an enum, indexed by name.
    fn push_enum(&mut self, e: EnumType) {
        self.enum_by_name
            .entry(e.name.clone())
            .or_insert(self.enums.len());
        self.enums.push(e);
    }

    fn find_enum(&self, name: &str) -> Option<usize> {
        self.enum_by_name.get(name).copied()
    }

    /// Add a view, indexed by name.
    fn push_view(&mut self, v: PendingView) {
        self.view_by_name
            .entry(v.name.clone())
            .or_insert(self.views.len());
        self.view_names_ci.insert(v.name.to_ascii_lowercase());
        self.views.push(v);
    }

    /// Is there a view whose name is `name` up to ASCII case?
    fn has_view_ci(&self, name: &str) -> bool {
        self.view_names_ci.contains(&name.to_ascii_lowercase())
    }

    fn column_by_name(t: &Table, name: &str) -> Option<usize> {
        t.columns.iter().position(|c| c.name == name).or_else(|| {
            t.columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(name))
        })
    }

    // -- statements ------------------------------------------------------------------------
}
