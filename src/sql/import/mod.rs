//! SQL import: a DDL script (or a dump) → a [`Project`], with a report of everything that was
//! skipped or only partly understood.
//!
//! The script is split into statements by [`split`] (quotes, comments, dollar quotes,
//! `DELIMITER`, `GO` respected) and each statement is parsed on its own with sqlparser, so one
//! bad statement never loses the rest. Dump noise (SET, GRANT, INSERT, ...) is counted;
//! schema objects the model does not hold (functions, triggers, sequences, ...) are reported
//! as skipped. Nothing panics: parser errors become report notes with line and column.

mod live_run;
mod sequences;
pub mod source;
pub mod split;
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
use sqlparser::dialect::{MsSqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use std::collections::HashMap;
use std::fmt;

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

/// Guess the dialect of a script from tell-tale tokens.
///
/// Each dialect scores its tell-tales; the highest score wins. Two kinds of tell-tales are
/// borrowed by SQLite, which takes other dialects' spellings: `[brackets]` without any sign
/// only SQL Server has (GO, dbo, IDENTITY, CLUSTERED, datetime2, ...), and MySQL-only type
/// words (AUTO_INCREMENT, UNSIGNED) without any sign only a MySQL script has (backticks,
/// ENGINE, DELIMITER, `datetime(6)`, CHARSET, inline KEY/INDEX). A script with no tell-tale
/// at all (portable DDL) is read as SQLite.
pub fn detect_dialect(text: &str) -> Dialect {
    /// `'...'` literals emptied (brackets in regular expressions are not identifiers).
    fn without_strings(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut in_str = false;
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if in_str {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '\'' if chars.peek() == Some(&'\'') => {
                        chars.next();
                    }
                    '\'' => {
                        in_str = false;
                        out.push(c);
                    }
                    _ => {}
                }
            } else {
                in_str = c == '\'';
                out.push(c);
            }
        }
        out
    }
    let sample = split::strip_comments(&text[..floor_boundary(text, 400_000)]);
    let lower = sample.to_ascii_lowercase();
    let count = |pat: &str| lower.matches(pat).count();
    let lines_where = |f: &dyn Fn(&str) -> bool| lower.lines().filter(|l| f(l)).count();
    let go_lines = lines_where(&|l| l.trim() == "go");
    let delimiters = lines_where(&|l| l.trim_start().starts_with("delimiter "));
    // `datetime(6)` (a MySQL type), not SQLite's `datetime('now')`.
    let datetime_n = lower
        .match_indices("datetime(")
        .filter(|(i, _)| lower[i + 9..].starts_with(|c: char| c.is_ascii_digit()))
        .count();
    let inline_keys = lines_where(&|l| {
        let l = l.trim_start();
        let l = ["unique ", "fulltext ", "spatial "]
            .iter()
            .find_map(|p| l.strip_prefix(p))
            .unwrap_or(l);
        l.starts_with("key ") || l.starts_with("index ")
    });
    let mut my = count("`") / 2
        + 3 * count("engine=")
        + 3 * count("engine =")
        + 2 * count("auto_increment")
        + count("unsigned")
        + 3 * delimiters
        + 3 * datetime_n;
    let strong_my = count("`")
        + count("engine=")
        + count("engine =")
        + delimiters
        + datetime_n
        + count("charset")
        + inline_keys;
    let brackets = without_strings(&lower).matches('[').count();
    let mut ms = count("[dbo]") * 2
        + count("dbo.") * 2
        + 3 * go_lines
        + 2 * count("identity(")
        + 2 * count("identity (")
        + 2 * count("datetime2")
        + count("nvarchar");
    let mut lite = 4 * count("autoincrement")
        + 4 * count("without rowid")
        + 2 * count("pragma ")
        + 3 * count("integer primary key")
        + 5 * count("create virtual table");
    // Trigger bodies written inline (no DELIMITER, no dollar quotes, no trigger function).
    if delimiters == 0
        && count("$$") == 0
        && count("execute procedure") + count("execute function") == 0
    {
        lite += 3 * count("create trigger");
    }
    let strong_ms = go_lines
        + count("[dbo]")
        + count("dbo.")
        + count("identity(")
        + count("identity (")
        + count("clustered")
        + count("datetime2")
        + count("uniqueidentifier")
        + count("nvarchar(max)")
        + count("getdate()");
    if strong_ms == 0 {
        lite += brackets / 2;
    } else {
        ms += brackets;
    }
    if strong_my == 0 {
        lite += my;
        my = 0;
    }
    let pg = count("::")
        + 2 * count("serial")
        + 4 * count("as enum")
        + 2 * count("comment on ")
        + 2 * count("owner to")
        + 2 * count("$$")
        + 2 * count("timestamp with")
        + 2 * count("bytea")
        + 2 * count("jsonb")
        + 2 * count("pg_catalog")
        + 2 * count("no minvalue")
        + 2 * count("no maxvalue")
        + 2 * count("owned by")
        // psql meta-commands (`\c db`, `\set`)
        + 3 * lines_where(&|l| l.trim_start().starts_with('\\'));
    let best = [
        (pg, Dialect::Postgres),
        (my, Dialect::MySql),
        (lite, Dialect::Sqlite),
        (ms, Dialect::SqlServer),
    ]
    .into_iter()
    .max_by_key(|(n, d)| (*n, matches!(d, Dialect::Postgres)))
    .expect("four candidates");
    match best {
        (0, _) if count("create table") > 0 => Dialect::Sqlite,
        (0, _) => Dialect::Postgres,
        (_, d) => d,
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Import a SQL script. `dialect` overrides auto-detection.
pub fn import_sql(text: &str, dialect: Option<Dialect>) -> ImportResult {
    // A byte order mark is not part of the first statement (editors on Windows write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let dialect = dialect.unwrap_or_else(|| detect_dialect(text));
    let mut im = Importer::new(dialect);
    let opts = split::SplitOptions {
        brackets: matches!(dialect, Dialect::SqlServer | Dialect::Sqlite),
        mysql: dialect == Dialect::MySql,
        dollar: dialect == Dialect::Postgres,
    };
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

fn head_of(text: &str) -> String {
    let words = split::head_words(text, 4);
    let mut h = words.join(" ");
    if h.len() > 60 {
        h.truncate(floor_boundary(&h, 60));
    }
    h
}

fn action(a: &Option<ReferentialAction>) -> FkAction {
    match a {
        Some(ReferentialAction::Cascade) => FkAction::Cascade,
        Some(ReferentialAction::Restrict) => FkAction::Restrict,
        Some(ReferentialAction::SetNull) => FkAction::SetNull,
        Some(ReferentialAction::SetDefault) => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

fn deferrable(c: &Option<ast::ConstraintCharacteristics>) -> Deferrable {
    match c {
        Some(c) if c.deferrable == Some(true) => match c.initially {
            Some(ast::DeferrableInitial::Deferred) => Deferrable::InitiallyDeferred,
            _ => Deferrable::InitiallyImmediate,
        },
        _ => Deferrable::NotDeferrable,
    }
}

/// Statements that are dump noise, by their leading words.
fn noise(head: &[String]) -> Option<&'static str> {
    let w = |i: usize| head.get(i).map(String::as_str).unwrap_or("");
    Some(match w(0) {
        "SET" | "RESET" => "session setting",
        "GRANT" | "REVOKE" | "DENY" => "privileges",
        "LOCK" | "UNLOCK" => "table locks",
        "INSERT" | "REPLACE" | "COPY" | "UPDATE" | "DELETE" | "MERGE" | "TRUNCATE" => "data",
        "BEGIN" | "COMMIT" | "START" | "ROLLBACK" | "END" | "SAVEPOINT" => "transaction control",
        "USE" | "CONNECT" => "database switch",
        "DROP" => "drop statement",
        "SELECT" | "VALUES" | "WITH" => "query",
        "ANALYZE" | "VACUUM" | "FLUSH" | "OPTIMIZE" | "CHECKPOINT" | "REINDEX" | "CLUSTER" => {
            "maintenance"
        }
        "PRAGMA" => "SQLite pragma",
        "PRINT" | "EXEC" | "EXECUTE" | "DECLARE" | "IF" | "RAISERROR" | "WHILE" => {
            "procedural batch statement"
        }
        "SOURCE" | "CALL" | "DO" | "PREPARE" | "DEALLOCATE" => "script command",
        "CREATE" if matches!(w(1), "DATABASE") => "database creation",
        "ALTER" if matches!(w(1), "DATABASE") => "database setting",
        "ALTER" if head.iter().any(|x| x == "OWNER") => "ownership",
        "CREATE" if matches!(w(1), "ROLE" | "USER" | "LOGIN") => "role",
        "ALTER" if matches!(w(1), "ROLE" | "USER" | "LOGIN" | "DEFAULT") => "role",
        s if s.starts_with(':') || s.starts_with('\\') => "client command",
        _ => return None,
    })
}

/// Why an unmodelled statement is not kept verbatim (`None`: kept as extra SQL).
fn not_kept(kind: &str) -> Option<&'static str> {
    match kind {
        "partition" => Some("partition functions and schemes are not modelled"),
        "index" => Some("index settings are not modelled"),
        "tablespace" => Some("tablespaces are not modelled (they name server paths)"),
        "default" => Some("default privileges are not modelled"),
        _ => None,
    }
}

/// Schema objects the model does not hold (their kind, lower case): kept as extra SQL or
/// reported as skipped, without parsing.
fn unmodelled(head: &[String]) -> Option<String> {
    let w = |i: usize| head.get(i).map(String::as_str).unwrap_or("");
    let (verb, mut rest) = (w(0), 1);
    if !matches!(verb, "CREATE" | "ALTER") {
        return None;
    }
    while matches!(
        w(rest),
        "OR" | "REPLACE"
            | "TEMP"
            | "TEMPORARY"
            | "UNIQUE"
            | "DEFINER"
            | "ALGORITHM"
            | "CONSTRAINT"
            | "TRUSTED"
            | "PROCEDURAL"
            | "AGGREGATE"
    ) || w(rest).starts_with("DEFINER=")
        || w(rest).starts_with("ALGORITHM=")
    {
        if w(rest) == "AGGREGATE" {
            return Some("aggregate".into());
        }
        rest += 1;
    }
    let kind = w(rest);
    let what = match kind {
        "FUNCTION" | "PROCEDURE" | "PROC" | "TRIGGER" | "SEQUENCE" | "POLICY" | "EXTENSION"
        | "COLLATION" | "OPERATOR" | "RULE" | "EVENT" | "TEXT" | "CAST" | "CONVERSION"
        | "LANGUAGE" | "PUBLICATION" | "SUBSCRIPTION" | "SERVER" | "STATISTICS" | "ASSEMBLY"
        | "SYNONYM" | "XML" | "FULLTEXT" | "PARTITION" | "TABLESPACE" | "ACCESS" | "FOREIGN"
        | "MESSAGE" | "QUEUE" | "SERVICE" | "CONTRACT" | "DEFAULT" => kind.to_ascii_lowercase(),
        "INDEX" if verb == "ALTER" => "index".into(),
        "VIEW" | "MATERIALIZED" if verb == "ALTER" => "view".into(),
        "TYPE" if verb == "ALTER" => "type".into(),
        "DOMAIN" if verb == "ALTER" => "domain".into(),
        "SCHEMA" if verb == "ALTER" => "schema".into(),
        _ => return None,
    };
    Some(match what.as_str() {
        "text" => "text search".to_string(),
        "foreign" => "foreign data wrapper".to_string(),
        "proc" => "procedure".to_string(),
        _ => what,
    })
}

/// The name of the object a statement defines: the word after its kind keyword
/// (`CREATE OR REPLACE FUNCTION public.f(...)` → `public.f`), for messages.
fn object_name_after(sql: &str, kind: &str) -> Option<String> {
    let cleaned = split::strip_comments(sql);
    let last_kind_word = kind.split_whitespace().last()?.to_ascii_uppercase();
    let words: Vec<&str> = cleaned
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .take(16)
        .collect();
    let at = words.iter().position(|w| {
        let u = w.to_ascii_uppercase();
        u == last_kind_word || (last_kind_word == "PROCEDURE" && u == "PROC")
    })?;
    words[at + 1..]
        .iter()
        .find(|w| {
            !matches!(
                w.to_ascii_uppercase().as_str(),
                "IF" | "NOT"
                    | "EXISTS"
                    | "SEARCH"
                    | "CONFIGURATION"
                    | "DICTIONARY"
                    | "PARSER"
                    | "TEMPLATE"
                    | "DATA"
                    | "WRAPPER"
            )
        })
        .map(|w| w.trim_end_matches([';', ',']).to_string())
}

impl Importer {
    fn new(dialect: Dialect) -> Self {
        Importer {
            dialect,
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

    /// A PostgreSQL `nextval('seq')` default in canonical form, kept as the column's default
    /// (other dialects' `nextval` defaults become identity columns).
    fn sequence_default(&self, default: &str) -> Option<String> {
        (self.dialect == Dialect::Postgres)
            .then(|| sequences::canonical_default(default))
            .flatten()
    }

    /// A `nextval('seq')` default became an identity column: remember the sequence.
    fn sequence_fed(&mut self, default: &str) {
        if let Some(name) = nextval_sequence(default) {
            self.identity_sequences.insert(name);
        }
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
        if i.quote_style.is_none() && self.dialect == Dialect::Postgres {
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
        let schema = match self.dialect {
            Dialect::Postgres => schema.filter(|s| s != "public"),
            Dialect::SqlServer => schema.filter(|s| !s.eq_ignore_ascii_case("dbo")),
            Dialect::MySql | Dialect::Sqlite => None,
        };
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

    fn statement(&mut self, chunk: &split::Chunk) {
        self.at = at_of(chunk.line, chunk.col, &chunk.text);
        if chunk.meta {
            if !chunk.text.to_ascii_lowercase().starts_with("delimiter") {
                self.note(Severity::Info, NoteKind::Noise, "client command");
            }
            return;
        }
        let text = if self.dialect == Dialect::MySql {
            split::strip_comments(&chunk.text)
        } else {
            chunk.text.clone()
        };
        let head = split::head_words(&text, 6);
        if head.is_empty() {
            return; // only comments
        }
        if head[0] == "SET" && head.get(1).is_some_and(|w| w == "SEARCH_PATH") {
            self.search_path(&text);
        }
        if self.dialect == Dialect::Postgres
            && head[0] == "ALTER"
            && head.get(1).is_some_and(|w| w == "TABLE")
            && self.add_identity(&text)
        {
            return;
        }
        if head[0] == "ALTER" && head.iter().any(|w| w == "ATTACH") {
            if head.get(1).is_some_and(|w| w == "INDEX") {
                // pg_dump's ALTER INDEX parent_idx ATTACH PARTITION child_idx: the index of a
                // partition belongs to the parent's index; both are imported on their tables.
                self.note(
                    Severity::Info,
                    NoteKind::Noise,
                    "index attached to a partition",
                );
            } else {
                self.attach_partition(&text);
            }
            return;
        }
        if head.len() >= 4 && head[0] == "CREATE" && head[1] == "SCHEMA" && head[3] == "CREATE" {
            self.schema_with_elements(&text, chunk);
            return;
        }
        if head.len() >= 3 && head[0] == "CREATE" && head[1] == "DOMAIN" {
            self.domain(&text);
            return;
        }
        if self.dialect == Dialect::MySql && head[0] == "SET" && self.dynamic_sql(&text, chunk) {
            return;
        }
        let text = if self.dialect == Dialect::SqlServer {
            match self.tsql_statement(text, chunk) {
                Some(t) => t,
                None => return,
            }
        } else {
            text
        };
        let mut text = self.preprocess(&head, text);
        if head[0] == "DO" && self.dialect == Dialect::Postgres {
            self.do_block(&text, chunk);
            return;
        }
        if let Some(why) = noise(&head) {
            self.note(Severity::Info, NoteKind::Noise, why);
            return;
        }
        if self.dialect == Dialect::MySql
            && head.len() >= 3
            && head[0] == "CREATE"
            && matches!(head[1].as_str(), "FULLTEXT" | "SPATIAL")
            && head[2] == "INDEX"
        {
            // `CREATE FULLTEXT INDEX i ON t (cols)` → `ALTER TABLE t ADD FULLTEXT INDEX i (cols)`.
            let words: Vec<&str> = text.splitn(6, char::is_whitespace).collect();
            let upper = text.to_ascii_uppercase();
            if let (Some(on), Some(name)) = (upper.find(" ON "), words.get(3)) {
                let rest = text[on + 4..].trim_start();
                if let Some(paren) = rest.find('(') {
                    let rewritten = format!(
                        "ALTER TABLE {} ADD {} INDEX {name} {}",
                        rest[..paren].trim(),
                        head[1],
                        &rest[paren..]
                    );
                    self.statement(&split::Chunk {
                        text: rewritten,
                        ..chunk.clone()
                    });
                    return;
                }
            }
        }
        if self.dialect == Dialect::Postgres && self.sequence_statement(&head, &text) {
            return;
        }
        if let Some(kind) = unmodelled(&head) {
            match not_kept(&kind) {
                Some(why) => self.note(Severity::Warning, NoteKind::Skipped, why),
                None => self.keep(&kind, &chunk.text),
            }
            return;
        }
        let parsed = match self.dialect {
            Dialect::Postgres => Parser::parse_sql(&PostgreSqlDialect {}, &text),
            Dialect::MySql => Parser::parse_sql(&MySqlDialect {}, &text),
            Dialect::Sqlite => Parser::parse_sql(&SQLiteDialect {}, &text),
            Dialect::SqlServer => Parser::parse_sql(&MsSqlDialect {}, &text),
        };
        // PostgreSQL 18's virtual generated columns: sqlparser's PostgreSQL dialect only takes
        // STORED. Read them as STORED (same length, so error positions hold) and mark the
        // columns virtual in the parsed statement.
        let (parsed, virtual_cols) = match parsed {
            Err(e)
                if self.dialect == Dialect::Postgres
                    && e.to_string().contains("found: VIRTUAL") =>
            {
                let (fixed, cols) = pg_virtual_generated(&text);
                let r = Parser::parse_sql(&PostgreSqlDialect {}, &fixed);
                // Report a remaining error on the rewritten text (same positions).
                text = fixed;
                (r, cols)
            }
            other => (other, Vec::new()),
        };
        match parsed {
            Ok(stmts) => {
                for mut s in stmts {
                    if !virtual_cols.is_empty()
                        && let Statement::CreateTable(ct) = &mut s
                    {
                        for col in &mut ct.columns {
                            if virtual_cols
                                .iter()
                                .any(|n| n.eq_ignore_ascii_case(&col.name.value))
                            {
                                for o in &mut col.options {
                                    if let ColumnOption::Generated {
                                        generation_expr_mode,
                                        ..
                                    } = &mut o.option
                                    {
                                        *generation_expr_mode =
                                            Some(GeneratedExpressionMode::Virtual);
                                    }
                                }
                            }
                        }
                    }
                    self.apply(s, &text);
                }
            }
            Err(_) if self.dialect == Dialect::SqlServer && !chunk.meta => {
                // T-SQL batches need no `;` between statements: retry line-started pieces.
                let pieces = tsql_pieces(&text);
                if pieces.len() > 1 {
                    let lines = split::LineIndex::new(&text);
                    for (a, b) in pieces
                        .iter()
                        .zip(pieces.iter().skip(1).chain([&text.len()]))
                    {
                        let (line, col) = lines.locate(&text, *a);
                        self.statement(&split::Chunk {
                            text: text[*a..*b].to_string(),
                            offset: chunk.offset + a,
                            line: chunk.line + line - 1,
                            col: if line == 1 { chunk.col + col - 1 } else { col },
                            meta: false,
                        });
                    }
                } else {
                    self.parse_error(&text, chunk);
                }
            }
            Err(_) => self.parse_error(&text, chunk),
        }
    }

    fn parse_error(&mut self, text: &str, chunk: &split::Chunk) {
        let parsed = match self.dialect {
            Dialect::Postgres => Parser::parse_sql(&PostgreSqlDialect {}, text),
            Dialect::MySql => Parser::parse_sql(&MySqlDialect {}, text),
            Dialect::Sqlite => Parser::parse_sql(&SQLiteDialect {}, text),
            Dialect::SqlServer => Parser::parse_sql(&MsSqlDialect {}, text),
        };
        match parsed {
            Ok(_) => {}
            Err(e) => {
                let msg = self.relocate(&e.to_string(), chunk);
                self.note(
                    Severity::Error,
                    NoteKind::Skipped,
                    format!("parse error: {msg}"),
                );
            }
        }
    }

    /// `SET search_path = app, public`: unqualified names now live in `app`.
    fn search_path(&mut self, text: &str) {
        let lower = text.to_ascii_lowercase();
        let Some(p) = lower.find("search_path") else {
            return;
        };
        let rest = text[p + 11..].trim_start();
        let rest = rest
            .strip_prefix('=')
            .or_else(|| {
                rest.get(..3)
                    .filter(|w| w.eq_ignore_ascii_case("to "))
                    .map(|_| &rest[3..])
            })
            .unwrap_or(rest)
            .trim_start();
        let first = rest
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .trim_end_matches(';');
        let first = if first.starts_with('"') {
            first.trim_matches('"').to_string()
        } else {
            first.to_lowercase()
        };
        self.default_schema =
            (!first.is_empty() && first != "public" && !first.starts_with('\'')).then_some(first);
    }

    /// `ALTER TABLE [ONLY] parent ATTACH PARTITION child FOR VALUES ...`: the child becomes a
    /// partition of the parent, with the bound as written.
    fn attach_partition(&mut self, text: &str) {
        let upper = text.to_ascii_uppercase();
        let Some(pos) = upper.find("ATTACH PARTITION") else {
            return;
        };
        let name_of = |s: &str| -> ObjectName {
            ObjectName::from(
                s.split('.')
                    .map(
                        |p| match p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
                            Some(q) => Ident::with_quote('"', q),
                            None => Ident::new(p),
                        },
                    )
                    .collect::<Vec<Ident>>(),
            )
        };
        let rest = text[pos + 16..].trim_start();
        let child_text = rest.split_whitespace().next().unwrap_or("");
        let bound = rest[child_text.len()..]
            .trim()
            .trim_end_matches(';')
            .trim()
            .to_string();
        let parent_text = text[..pos]
            .split_whitespace()
            .skip(2)
            .find(|w| !matches!(w.to_ascii_uppercase().as_str(), "ONLY" | "IF" | "EXISTS"))
            .unwrap_or("");
        let (schema, child) = self.qualified(&name_of(child_text));
        let (pschema, parent) = self.qualified(&name_of(parent_text));
        let (Some(ti), Some(pi)) = (
            self.find_table(&schema, &child),
            self.find_table(&pschema, &parent),
        ) else {
            self.partial(format!(
                "partition `{child}` of `{parent}` not attached: unknown table"
            ));
            return;
        };
        if ti == pi || bound.is_empty() {
            self.partial(format!("partition `{child}` not attached: no bound"));
            return;
        }
        let parent_id = self.tables[pi].id;
        self.tables[ti].partition_of = Some(PartitionOf {
            parent: parent_id,
            bound,
        });
    }

    /// `CREATE SCHEMA s CREATE TABLE ... CREATE VIEW ...` (schema elements).
    fn schema_with_elements(&mut self, text: &str, chunk: &split::Chunk) {
        let b = text.as_bytes();
        let mut starts = Vec::new();
        let mut depth = 0i32;
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'(' => depth += 1,
                b')' => depth -= 1,
                b'\'' | b'"' => {
                    let q = b[i];
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                }
                b'-' if b.get(i + 1) == Some(&b'-') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                _ if depth == 0
                    && b.len() >= i + 6
                    && b[i..i + 6].eq_ignore_ascii_case(b"create")
                    && (i == 0 || !b[i - 1].is_ascii_alphanumeric() && b[i - 1] != b'_') =>
                {
                    starts.push(i);
                }
                _ => {}
            }
            i += 1;
        }
        starts.push(b.len());
        let schema_stmt = &text[starts[0]..starts.get(1).copied().unwrap_or(b.len())];
        let schema = split::head_words(schema_stmt, 3)
            .get(2)
            .cloned()
            .unwrap_or_default();
        let raw = schema_stmt.split_whitespace().nth(2).unwrap_or("");
        let schema = if raw.starts_with('"') {
            raw.trim_matches('"').to_string()
        } else if self.dialect == Dialect::Postgres {
            schema.to_lowercase()
        } else {
            raw.to_string()
        };
        let saved = self.default_schema.replace(schema);
        for w in starts[1..].windows(2) {
            let (line, col) = split::LineIndex::new(text).locate(text, w[0]);
            let sub = split::Chunk {
                text: text[w[0]..w[1]].to_string(),
                offset: chunk.offset + w[0],
                line: chunk.line + line - 1,
                col: if line == 1 { chunk.col + col - 1 } else { col },
                meta: false,
            };
            self.statement(&sub);
        }
        self.default_schema = saved;
    }

    /// `CREATE DOMAIN name [AS] type [NULL | NOT NULL | DEFAULT ... | CHECK ...]`: the domain
    /// becomes its base type wherever it is used (sqlparser takes only part of this syntax).
    fn domain(&mut self, text: &str) {
        let words: Vec<&str> = text.split_whitespace().collect();
        let Some(raw) = words.get(2) else {
            return;
        };
        let name = if raw.starts_with('"') {
            raw.trim_matches('"').to_string()
        } else if self.dialect == Dialect::Postgres {
            raw.to_lowercase()
        } else {
            raw.to_string()
        };
        let name = name.rsplit('.').next().unwrap_or(&name).to_string();
        let mut ty = Vec::new();
        for w in words.iter().skip(3) {
            let u = w.to_ascii_uppercase();
            if ty.is_empty() && u == "AS" {
                continue;
            }
            let u = u.trim_end_matches(';');
            if ["NOT", "NULL", "DEFAULT", "CHECK", "CONSTRAINT", "COLLATE"].contains(&u)
                || u.starts_with("CHECK(")
            {
                break;
            }
            ty.push(w.trim_end_matches(';'));
        }
        let m = types::map_type(&ty.join(" "), self.dialect);
        self.domains.insert(name.clone(), m.ty);
        self.note(
            Severity::Warning,
            NoteKind::Partial,
            format!("domain `{name}` imported as its base type; its constraints are dropped"),
        );
    }

    /// MySQL install scripts build DDL in a variable (`SET @s = IF(..., 'ALTER TABLE ...',
    /// ...)`, then PREPARE/EXECUTE): import the DDL literal.
    fn dynamic_sql(&mut self, text: &str, chunk: &split::Chunk) -> bool {
        let upper = text.to_ascii_uppercase();
        let Some(p) = ["'ALTER TABLE", "'CREATE "]
            .iter()
            .filter_map(|pat| upper.find(pat))
            .min()
        else {
            return false;
        };
        let b = text.as_bytes();
        let mut i = p + 1;
        let mut lit = String::new();
        let mut last = i;
        while i < b.len() {
            if b[i] == b'\\' {
                i += 2;
                continue;
            }
            if b[i] == b'\'' {
                if b.get(i + 1) == Some(&b'\'') {
                    lit.push_str(&text[last..=i]);
                    i += 2;
                    last = i;
                    continue;
                }
                break;
            }
            i += 1;
        }
        lit.push_str(&text[last..i.min(b.len())]);
        self.note(
            Severity::Info,
            NoteKind::Partial,
            "DDL built in a variable: the literal is imported",
        );
        self.statement(&split::Chunk {
            text: lit,
            offset: chunk.offset + p + 1,
            line: chunk.line,
            col: chunk.col,
            meta: false,
        });
        true
    }

    /// A PostgreSQL `DO` block: its embedded `CREATE INDEX` / `ALTER TABLE` statements (the
    /// "create if missing" idiom) are imported; the rest is procedural.
    /// pg_dump's `ALTER TABLE [ONLY] t ALTER COLUMN c ADD GENERATED {ALWAYS | BY DEFAULT} AS
    /// IDENTITY (SEQUENCE NAME ... )`, which sqlparser does not take: the column becomes an
    /// identity column (the sequence options are its defaults). False when it is not that.
    fn add_identity(&mut self, text: &str) -> bool {
        let upper = text.to_ascii_uppercase();
        let (Some(alter_col), Some(gen_at)) =
            (upper.find(" ALTER COLUMN "), upper.find(" ADD GENERATED "))
        else {
            return false;
        };
        if gen_at < alter_col || !upper[gen_at..].contains("AS IDENTITY") {
            return false;
        }
        let mut name_text = text["ALTER TABLE".len()..alter_col].trim();
        if name_text.len() >= 5 && name_text[..5].eq_ignore_ascii_case("ONLY ") {
            name_text = name_text[5..].trim();
        }
        let col_text = text[alter_col + " ALTER COLUMN ".len()..gen_at].trim();
        let parse_name = |s: &str| {
            Parser::new(&PostgreSqlDialect {})
                .try_with_sql(s)
                .and_then(|mut p| p.parse_object_name(false))
                .ok()
        };
        let (Some(table), Some(col)) = (parse_name(name_text), parse_name(col_text)) else {
            return false;
        };
        let (schema, name) = self.qualified(&table);
        let col = self.name_parts(&col).pop().unwrap_or_default();
        let Some(ti) = self.find_table(&schema, &name) else {
            self.partial(format!("identity on unknown table `{name}`"));
            return true;
        };
        let Some(ci) = Self::column_by_name(&self.tables[ti], &col) else {
            self.partial(format!("identity on unknown column `{name}`.`{col}`"));
            return true;
        };
        let always = upper[gen_at..].contains("GENERATED ALWAYS");
        self.tables[ti].columns[ci].identity = Some(if always {
            Identity::Always
        } else {
            Identity::ByDefault
        });
        true
    }

    fn do_block(&mut self, text: &str, chunk: &split::Chunk) {
        let upper = text.to_ascii_uppercase();
        let lines = split::LineIndex::new(text);
        let mut found = 0;
        for pat in ["CREATE INDEX", "CREATE UNIQUE INDEX", "ALTER TABLE"] {
            let mut from = 0;
            while let Some(p) = upper[from..].find(pat).map(|p| p + from) {
                let end = text[p..].find(';').map_or(text.len(), |e| p + e);
                from = end;
                let (line, col) = lines.locate(text, p);
                found += 1;
                self.statement(&split::Chunk {
                    text: text[p..end].to_string(),
                    offset: chunk.offset + p,
                    line: chunk.line + line - 1,
                    col: if line == 1 { chunk.col + col - 1 } else { col },
                    meta: false,
                });
            }
        }
        self.at = at_of(chunk.line, chunk.col, &chunk.text);
        if found == 0 && (upper.contains("CREATE ") || upper.contains("COMMENT ON")) {
            // Defines schema (a function, a type, ...) the model does not hold: keep it.
            self.keep("do block", &chunk.text);
        } else if found == 0 {
            self.note(Severity::Info, NoteKind::Noise, "procedural block");
        } else {
            self.note(
                Severity::Info,
                NoteKind::Partial,
                format!(
                    "DO block: {found} embedded DDL statement(s) imported, the procedure itself is not"
                ),
            );
        }
    }

    /// Textual fixes for what sqlparser does not take.
    fn preprocess(&mut self, head: &[String], text: String) -> String {
        let mut text = text;
        if self.dialect == Dialect::MySql
            && head.first().is_some_and(|w| w == "CREATE" || w == "ALTER")
        {
            // `varchar(40) BINARY`: the binary collation attribute.
            let re_fixed = replace_word_after_paren(&text, "BINARY");
            if re_fixed != text {
                self.partial("BINARY collation attribute dropped");
                text = re_fixed;
            }
        }
        if self.dialect == Dialect::Postgres
            && head.len() >= 3
            && head[0] == "CREATE"
            && head[1] == "MATERIALIZED"
            && head[2] == "VIEW"
        {
            // pg_dump writes `... WITH NO DATA;` (filled later by REFRESH); sqlparser does not
            // take the clause. The view's definition is what the model keeps.
            let trimmed = text.trim_end().trim_end_matches(';').trim_end();
            let upper = trimmed.to_ascii_uppercase();
            for tail in ["WITH NO DATA", "WITH DATA"] {
                if upper.ends_with(tail) {
                    let cut = trimmed.len() - tail.len();
                    self.partial(format!("materialized view `{tail}` left out"));
                    text = trimmed[..cut].trim_end().to_string();
                    break;
                }
            }
        }
        if self.dialect == Dialect::Sqlite && head.first().is_some_and(|w| w == "CREATE") {
            for (from, to) in [(" SUB_TYPE TEXT", ""), ("AUTO_INCREMENT", "AUTOINCREMENT")] {
                if text.contains(from) {
                    self.partial(format!("`{}` read as `{}`", from.trim(), to));
                    text = text.replace(from, to);
                }
            }
        }
        text
    }

    /// sqlparser reports positions inside the statement; make them file positions.
    fn relocate(&self, msg: &str, chunk: &split::Chunk) -> String {
        let Some(p) = msg.find(" at Line: ") else {
            return msg.to_string();
        };
        let rest = &msg[p + 10..];
        let mut it = rest.split(", Column: ");
        let line: Option<usize> = it.next().and_then(|l| l.trim().parse().ok());
        let col: Option<usize> = it.next().and_then(|c| {
            c.trim()
                .trim_end_matches(|x: char| !x.is_ascii_digit())
                .parse()
                .ok()
        });
        match (line, col) {
            (Some(l), Some(c)) => {
                let abs_line = chunk.line + l - 1;
                let abs_col = if l == 1 { chunk.col + c - 1 } else { c };
                format!("{} at {abs_line}:{abs_col}", &msg[..p])
            }
            _ => msg.to_string(),
        }
    }

    fn apply(&mut self, s: Statement, text: &str) {
        match s {
            Statement::CreateTable(ct) => self.create_table(ct),
            Statement::CreateIndex(ci) => self.create_index(ci),
            Statement::AlterTable(at) => self.alter_table(at),
            Statement::CreateType {
                name,
                representation,
            } => match representation {
                Some(UserDefinedTypeRepresentation::Enum { labels }) => {
                    let (schema, name) = self.qualified(&name);
                    let id = self.id();
                    self.push_enum(EnumType {
                        id: crate::model::EnumId(id),
                        schema,
                        name,
                        values: labels.iter().map(|l| l.value.clone()).collect(),
                        comment: None,
                    });
                }
                _ => self.keep("type", text),
            },
            Statement::CreateDomain(d) => {
                let (_, name) = self.qualified(&d.name);
                let m = types::map_type(&d.data_type.to_string(), self.dialect);
                self.domains.insert(name.clone(), m.ty);
                self.note(
                    Severity::Warning,
                    NoteKind::Partial,
                    format!(
                        "domain `{name}` imported as its base type; its constraints are dropped"
                    ),
                );
            }
            Statement::CreateSchema { .. } => {}
            Statement::CreateView(v) => {
                let (schema, name) = self.qualified(&v.name);
                let comment = v.comment.clone();
                self.push_view(PendingView {
                    schema,
                    name,
                    sql: v.query.to_string(),
                    materialized: v.materialized,
                    comment,
                });
            }
            Statement::Comment {
                object_type,
                object_name,
                comment,
                ..
            } => self.comment(object_type, &object_name, comment),
            Statement::CreateVirtualTable { .. } => self.keep("virtual table", text),
            other => {
                let _ = text;
                let kind = format!("{other}");
                let kind: String = kind
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                self.note(
                    Severity::Warning,
                    NoteKind::Skipped,
                    format!("`{kind}` statements are not modelled"),
                );
            }
        }
    }

    fn comment(&mut self, object: CommentObject, name: &ObjectName, comment: Option<String>) {
        let mut parts = self.name_parts(name);
        match object {
            CommentObject::Table | CommentObject::Column => {
                let column = (object == CommentObject::Column)
                    .then(|| parts.pop())
                    .flatten();
                let tname = parts.pop().unwrap_or_default();
                let schema = match self.dialect {
                    Dialect::Postgres => parts.pop().filter(|s| s != "public"),
                    _ => None,
                };
                let Some(ti) = self.find_table(&schema, &tname) else {
                    self.note(
                        Severity::Warning,
                        NoteKind::Skipped,
                        format!("comment on unknown table `{tname}`"),
                    );
                    return;
                };
                match column {
                    None => self.tables[ti].comment = comment,
                    Some(c) => match Self::column_by_name(&self.tables[ti], &c) {
                        Some(ci) => self.tables[ti].columns[ci].comment = comment,
                        None => self.note(
                            Severity::Warning,
                            NoteKind::Skipped,
                            format!("comment on unknown column `{tname}.{c}`"),
                        ),
                    },
                }
            }
            CommentObject::Type => {
                let n = parts.pop().unwrap_or_default();
                if let Some(i) = self.find_enum(&n) {
                    self.enums[i].comment = comment;
                }
            }
            CommentObject::View | CommentObject::MaterializedView => {
                let n = parts.pop().unwrap_or_default();
                if let Some(&i) = self.view_by_name.get(&n) {
                    self.views[i].comment = comment;
                }
            }
            other => self.note(
                Severity::Info,
                NoteKind::Skipped,
                format!("comments on {other:?} objects are not modelled"),
            ),
        }
    }

    // -- columns ---------------------------------------------------------------------------

    fn column_type(
        &mut self,
        table: &str,
        column: &str,
        dt: &DataType,
    ) -> (LogicalType, Option<String>, bool) {
        if let DataType::Enum(members, _) = dt {
            let values = members
                .iter()
                .map(|m| match m {
                    ast::EnumMember::Name(s) => s.clone(),
                    ast::EnumMember::NamedValue(s, _) => s.clone(),
                })
                .collect();
            let id = self.id();
            let base = format!("{table}_{column}");
            let mut name = base.clone();
            let mut n = 2;
            while self.find_enum(&name).is_some() {
                name = format!("{base}_{n}");
                n += 1;
            }
            self.push_enum(EnumType {
                id: crate::model::EnumId(id),
                schema: None,
                name,
                values,
                comment: None,
            });
            return (LogicalType::Enum(crate::model::EnumId(id)), None, false);
        }
        if let DataType::Custom(name, args) = dt
            && args.is_empty()
        {
            let (_, n) = self.qualified(name);
            if let Some(i) = self.find_enum(&n) {
                return (LogicalType::Enum(self.enums[i].id), None, false);
            }
            if let Some(t) = self.domains.get(&n) {
                return (t.clone(), None, false);
            }
        }
        let m = types::map_type(&dt.to_string(), self.dialect);
        (m.ty, m.override_text, m.serial)
    }

    fn expr_text(&self, e: &Expr) -> String {
        e.to_string()
    }

    /// A column definition; constraints found inline are added to `table` / pending FKs.
    fn column(&mut self, ti: usize, def: &ast::ColumnDef) -> Column {
        let tname = self.tables[ti].name.clone();
        let name = self.ident(&def.name);
        let (ty, over, serial) = self.column_type(&tname, &name, &def.data_type);
        let mut c = Column::new(crate::model::ColumnId(self.id()), name.clone(), ty);
        if let Some(o) = over {
            c.type_overrides.insert(self.dialect, o);
        }
        if serial {
            c.identity = Some(Identity::ByDefault);
            c.nullable = false;
        }
        // AUTO_INCREMENT / AUTOINCREMENT come as dialect-specific tokens.
        for o in &def.options {
            self.column_option(ti, &mut c, o.name.as_ref(), &o.option);
        }
        c
    }

    fn column_option(
        &mut self,
        ti: usize,
        c: &mut Column,
        cname: Option<&Ident>,
        o: &ColumnOption,
    ) {
        let cons_name = cname.map(|i| self.ident(i));
        match o {
            ColumnOption::Null => c.nullable = true,
            ColumnOption::NotNull => c.nullable = false,
            ColumnOption::Default(e) => {
                let d = default_text(e);
                if let Some(canonical) = self.sequence_default(&d) {
                    // Settled once the sequences are known (see `finish_sequences`).
                    c.default = Some(canonical);
                } else if is_nextval(&d) {
                    self.sequence_fed(&d);
                    c.identity = Some(Identity::ByDefault);
                } else if !d.eq_ignore_ascii_case("null") {
                    c.default = Some(d);
                }
            }
            ColumnOption::PrimaryKey(_) => {
                c.nullable = false;
                self.tables[ti].primary_key = Some(PrimaryKey {
                    name: cons_name,
                    columns: vec![c.id],
                });
            }
            ColumnOption::Unique(_) => {
                let id = self.id();
                self.tables[ti].uniques.push(UniqueConstraint {
                    id: crate::model::ConstraintId(id),
                    name: cons_name,
                    columns: vec![c.id],
                });
            }
            ColumnOption::ForeignKey(fk) => {
                let (ref_schema, ref_table) = self.qualified(&fk.foreign_table);
                self.fks.push(PendingFk {
                    table: ti,
                    name: cons_name.or_else(|| fk.name.as_ref().map(|i| self.ident(i))),
                    columns: vec![c.name.clone()],
                    ref_schema,
                    ref_table,
                    ref_columns: fk.referred_columns.iter().map(|i| self.ident(i)).collect(),
                    on_delete: action(&fk.on_delete),
                    on_update: action(&fk.on_update),
                    deferrable: deferrable(&fk.characteristics),
                    at: self.at.clone(),
                });
            }
            ColumnOption::Check(ch) => {
                let id = self.id();
                let name = cons_name.or_else(|| ch.name.as_ref().map(|i| self.ident(i)));
                let expr = self.expr_text(&ch.expr);
                self.tables[ti].checks.push(CheckConstraint {
                    id: crate::model::ConstraintId(id),
                    name,
                    expr,
                });
            }
            ColumnOption::DialectSpecific(tokens) => {
                let t = tokens
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" ");
                let up = t.to_ascii_uppercase();
                if up == "AUTO_INCREMENT" || up == "AUTOINCREMENT" {
                    c.identity = Some(Identity::ByDefault);
                } else {
                    self.partial(format!("column `{}`: `{t}` dropped", c.name));
                }
            }
            ColumnOption::Identity(_) => {
                c.identity = Some(Identity::ByDefault);
            }
            ColumnOption::Comment(s) => c.comment = Some(s.clone()),
            ColumnOption::Generated {
                generated_as,
                generation_expr,
                generation_expr_mode,
                ..
            } => match generation_expr {
                Some(e) => {
                    c.generated = Some(Generated {
                        expr: self.expr_text(e),
                        // Without STORED/VIRTUAL: PostgreSQL (before 18) stores, the
                        // others compute on read.
                        stored: match generation_expr_mode {
                            Some(GeneratedExpressionMode::Virtual) => false,
                            Some(GeneratedExpressionMode::Stored) => true,
                            None => self.dialect == Dialect::Postgres,
                        },
                    })
                }
                None => {
                    c.identity = Some(match generated_as {
                        GeneratedAs::Always => Identity::Always,
                        _ => Identity::ByDefault,
                    })
                }
            },
            ColumnOption::CharacterSet(_) | ColumnOption::Collation(_) => {
                self.partial(format!("column `{}`: `{o}` dropped", c.name));
            }
            ColumnOption::OnUpdate(e) => c.on_update = Some(on_update_text(e)),
            ColumnOption::Invisible if self.dialect == Dialect::MySql => {
                // Perhaps the column of an expression index (see `hidden_index_columns`).
                self.invisible
                    .push((self.tables[ti].id, c.id, self.at.clone()));
            }
            ColumnOption::Srid(_) | ColumnOption::Invisible => {
                self.partial(format!("column `{}`: `{o}` dropped", c.name));
            }
            other => self.partial(format!("column `{}`: `{other}` dropped", c.name)),
        }
    }

    // -- tables ----------------------------------------------------------------------------

    fn create_table(&mut self, ct: ast::CreateTable) {
        let (schema, name) = self.qualified(&ct.name);
        if let Some(existing) = self.find_table(&schema, &name)
            && self.tables[existing].name == name
        {
            if !ct.if_not_exists {
                self.note(
                    Severity::Warning,
                    NoteKind::Skipped,
                    format!("table `{name}` is defined twice; the first definition is kept"),
                );
            }
            return;
        }
        if ct.query.is_some() || ct.like.is_some() || ct.clone.is_some() {
            self.note(
                Severity::Warning,
                NoteKind::Skipped,
                "CREATE TABLE ... AS / LIKE is not modelled",
            );
            return;
        }
        let parent = match &ct.partition_of {
            Some(of) => {
                let (ps, pn) = self.qualified(of);
                match self.find_table(&ps, &pn) {
                    Some(pi) => Some(pi),
                    None => {
                        self.note(
                            Severity::Warning,
                            NoteKind::Skipped,
                            format!("table `{name}`: partition of unknown table `{pn}`"),
                        );
                        return;
                    }
                }
            }
            None => None,
        };
        let id = self.id();
        let mut t = Table::new(crate::model::TableId(id), name.clone());
        t.schema = schema.clone();
        let ti = self.push_table(t);
        if let Some(pi) = parent {
            self.partition_of_parent(ti, pi, &ct);
        }
        for def in &ct.columns {
            let c = self.column(ti, def);
            if Self::column_by_name(&self.tables[ti], &c.name)
                .is_some_and(|i| self.tables[ti].columns[i].name == c.name)
            {
                self.partial(format!("column `{}` defined twice; second dropped", c.name));
                continue;
            }
            self.tables[ti].columns.push(c);
        }
        for tc in ct.constraints {
            self.table_constraint(ti, tc, false);
        }
        if let Some(c) = &ct.comment {
            self.tables[ti].comment = Some(comment_text(c));
        }
        let opts = match &ct.table_options {
            CreateTableOptions::Plain(o)
            | CreateTableOptions::With(o)
            | CreateTableOptions::Options(o) => o.clone(),
            _ => Vec::new(),
        };
        let mut dropped = Vec::new();
        for o in opts {
            match o {
                SqlOption::Comment(c) => self.tables[ti].comment = Some(comment_text(&c)),
                other => dropped.push(other.to_string()),
            }
        }
        if let Some(parents) = &ct.inherits {
            // PostgreSQL copies the parents' columns in front of the child's own.
            let mut inherited: Vec<Column> = Vec::new();
            for parent in parents {
                let (ps, pn) = self.qualified(parent);
                if let Some(pi) = self.find_table(&ps, &pn) {
                    for c in self.tables[pi].columns.clone() {
                        if Self::column_by_name(&self.tables[ti], &c.name).is_none()
                            && !inherited.iter().any(|x| x.name == c.name)
                        {
                            inherited.push(c);
                        }
                    }
                }
            }
            for c in &mut inherited {
                c.id = crate::model::ColumnId(self.id());
                c.identity = None;
            }
            let own = std::mem::take(&mut self.tables[ti].columns);
            self.tables[ti].columns = inherited.into_iter().chain(own).collect();
            self.partial(format!(
                "table `{name}`: INHERITS not modelled (inherited columns copied)"
            ));
        }

        if let Some(by) = &ct.partition_by {
            if self.dialect == Dialect::Postgres {
                self.tables[ti].partition_by = Some(by.to_string());
            } else {
                self.partial(format!("table `{name}`: PARTITION BY dropped"));
            }
        }
        if !ct.sqlite_table_options.options.is_empty() {
            dropped.push(format!("{:?}", ct.sqlite_table_options.options));
        }
        if !dropped.is_empty() {
            self.note(
                Severity::Info,
                NoteKind::Partial,
                format!(
                    "table `{name}`: options not modelled: {}",
                    dropped.join(", ")
                ),
            );
        }
        self.check_identity_pk(ti);
    }

    /// `CREATE TABLE child PARTITION OF parent [(constraints)] FOR VALUES ...`: the child has
    /// the parent's columns and CHECK constraints (PostgreSQL gives them to it), named as
    /// PostgreSQL names them so that the export can attach it again.
    fn partition_of_parent(&mut self, ti: usize, pi: usize, ct: &ast::CreateTable) {
        let parent = self.tables[pi].clone();
        for c in &parent.columns {
            let mut c = c.clone();
            c.id = crate::model::ColumnId(self.id());
            self.tables[ti].columns.push(c);
        }
        for ck in &parent.checks {
            let name = ck
                .name
                .clone()
                .unwrap_or_else(|| postgres_check_name(&parent, &ck.expr));
            let id = crate::model::ConstraintId(self.id());
            self.tables[ti].checks.push(CheckConstraint {
                id,
                name: Some(name),
                expr: ck.expr.clone(),
            });
        }
        let bound = match &ct.for_values {
            Some(v) => v.to_string(),
            None => "DEFAULT".to_string(),
        };
        self.tables[ti].partition_of = Some(PartitionOf {
            parent: parent.id,
            bound,
        });
    }

    /// An invisible virtual generated column that only indexes use is how MariaDB (and
    /// Crowfoot's MySQL export) indexes an expression: its key parts become the expression and
    /// the column goes. Other invisible columns are kept, visible (a partial note).
    fn hidden_index_columns(&mut self, tables: &mut [Table]) {
        let invisible = std::mem::take(&mut self.invisible);
        if invisible.is_empty() {
            return;
        }
        let position: HashMap<crate::model::TableId, usize> =
            tables.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        // Foreign keys by declaring table and by (ASCII-lower-cased) referenced table.
        let mut fks_from: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut fks_to: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, fk) in self.fks.iter().enumerate() {
            fks_from.entry(fk.table).or_default().push(i);
            fks_to
                .entry(fk.ref_table.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
        for (tid, cid, at) in invisible {
            let Some(&ti) = position.get(&tid) else {
                continue;
            };
            let t = &mut tables[ti];
            let Some(c) = t.column(cid).cloned() else {
                continue;
            };
            // A dump writes the unique index over the column as a UNIQUE KEY: an index again.
            if c.generated.as_ref().is_some_and(|g| !g.stored) {
                let (keys, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut t.uniques)
                    .into_iter()
                    .partition(|u| u.columns.contains(&cid));
                t.uniques = rest;
                for u in keys {
                    let name = u.name.clone().unwrap_or_else(|| c.name.clone());
                    t.indexes.push(Index {
                        id: crate::model::IndexId(u.id.0),
                        name,
                        unique: true,
                        parts: u.columns.iter().map(|x| IndexPart::column(*x)).collect(),
                        where_clause: None,
                        include: Vec::new(),
                        method: None,
                    });
                }
            }
            let in_index = t.indexes.iter().any(|ix| {
                ix.parts
                    .iter()
                    .any(|p| p.target == IndexTarget::Column(cid))
            });
            let elsewhere = t.is_pk_column(cid)
                || t.uniques.iter().any(|u| u.columns.contains(&cid))
                || t.indexes.iter().any(|ix| ix.include.contains(&cid))
                || {
                    let named = |v: &[String]| v.iter().any(|n| n.eq_ignore_ascii_case(&c.name));
                    let from = fks_from.get(&ti).into_iter().flatten();
                    let to = fks_to
                        .get(&t.name.to_ascii_lowercase())
                        .into_iter()
                        .flatten();
                    from.map(|&i| &self.fks[i]).any(|fk| named(&fk.columns))
                        || to.map(|&i| &self.fks[i]).any(|fk| named(&fk.ref_columns))
                };
            match &c.generated {
                Some(g) if !g.stored && in_index && !elsewhere => {
                    for ix in &mut t.indexes {
                        for p in &mut ix.parts {
                            if p.target == IndexTarget::Column(cid) {
                                p.target = IndexTarget::Expr(g.expr.clone());
                            }
                        }
                    }
                    t.columns.retain(|x| x.id != cid);
                }
                _ => {
                    self.at = at;
                    self.partial(format!("column `{}`: `INVISIBLE` dropped", c.name));
                }
            }
        }
    }

    /// SQLite `INTEGER PRIMARY KEY AUTOINCREMENT` and MySQL keys must line up with identity.
    fn check_identity_pk(&mut self, _ti: usize) {}

    fn resolve_cols(
        &mut self,
        ti: usize,
        names: &[String],
        what: &str,
    ) -> Option<Vec<crate::model::ColumnId>> {
        let mut out = Vec::new();
        for n in names {
            match Self::column_by_name(&self.tables[ti], n) {
                Some(i) => out.push(self.tables[ti].columns[i].id),
                None => {
                    let tn = self.tables[ti].name.clone();
                    self.note(
                        Severity::Warning,
                        NoteKind::Partial,
                        format!("{what} on `{tn}` dropped: no column `{n}`"),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// An index declared inside CREATE TABLE (MySQL KEY / UNIQUE KEY / FULLTEXT / SPATIAL).
    fn push_inline_index(
        &mut self,
        ti: usize,
        columns: &[IndexColumn],
        what: &str,
        name: Option<String>,
        unique: bool,
        method: Option<IndexMethod>,
    ) {
        let Some(parts) = self.index_parts(ti, columns, what) else {
            return;
        };
        let name = self.index_name(ti, name, &parts);
        let id = self.id();
        self.tables[ti].indexes.push(Index {
            id: crate::model::IndexId(id),
            name,
            unique,
            parts,
            where_clause: None,
            include: Vec::new(),
            method,
        });
    }

    fn index_parts(
        &mut self,
        ti: usize,
        cols: &[IndexColumn],
        what: &str,
    ) -> Option<Vec<IndexPart>> {
        let mut parts = Vec::new();
        for ic in cols {
            let order = match ic.column.options.sort {
                Some(ast::OrderBySort::Desc) => Some(SortOrder::Desc),
                Some(ast::OrderBySort::Asc) => Some(SortOrder::Asc),
                _ => None,
            };
            let mut opclass = ic.operator_class.as_ref().map(|oc| oc.to_string());
            let mut prefix = None;
            let target = match &ic.column.expr {
                Expr::Identifier(i) => {
                    let n = self.ident(i);
                    let id = self.resolve_cols(ti, &[n], what)?;
                    IndexTarget::Column(id[0])
                }
                e if self.prefix_column(ti, e).is_some() => {
                    let (id, n) = self.prefix_column(ti, e).expect("checked");
                    prefix = Some(n);
                    IndexTarget::Column(id)
                }
                e => {
                    // `((a + b))`: the parentheses the index syntax needs are not part of it.
                    let s = unnested(e).to_string();
                    if self.dialect != Dialect::Postgres && opclass.is_some() {
                        opclass = None;
                    }
                    IndexTarget::Expr(s)
                }
            };
            parts.push(IndexPart {
                target,
                order,
                prefix,
                opclass,
            });
        }
        (!parts.is_empty()).then_some(parts)
    }

    /// MySQL `KEY (col(191))`: a prefix of a column (`col` is a column of the table, the
    /// argument a number).
    fn prefix_column(&self, ti: usize, e: &Expr) -> Option<(crate::model::ColumnId, u32)> {
        if self.dialect != Dialect::MySql {
            return None;
        }
        let s = e.to_string();
        let (name, rest) = s.split_once('(')?;
        let n: u32 = rest.strip_suffix(')')?.trim().parse().ok()?;
        let name = name.trim().trim_matches('`');
        let t = &self.tables[ti];
        let c = &t.columns[Self::column_by_name(t, name)?];
        Some((c.id, n))
    }

    fn index_name(&self, ti: usize, name: Option<String>, parts: &[IndexPart]) -> String {
        let t = &self.tables[ti];
        let base = name.unwrap_or_else(|| {
            let first = parts
                .first()
                .map(|p| match &p.target {
                    IndexTarget::Column(c) => t.column_name(*c),
                    IndexTarget::Expr(_) => "expr".into(),
                })
                .unwrap_or_default();
            if self.dialect == Dialect::MySql {
                first
            } else {
                format!("{}_{first}_idx", t.name)
            }
        });
        let taken = |n: &str| t.indexes.iter().any(|i| i.name == n);
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|i| format!("{base}_{i}"))
            .find(|n| !taken(n))
            .expect("some suffix is free")
    }

    fn table_constraint(&mut self, ti: usize, tc: TableConstraint, _alter: bool) {
        match tc {
            TableConstraint::PrimaryKey(pk) => {
                // MySQL `PRIMARY KEY (a, b(187))`: the model's key holds whole columns.
                let mut names = Vec::new();
                let mut prefixed = Vec::new();
                for c in &pk.columns {
                    names.push(match &c.column.expr {
                        Expr::Identifier(i) => self.ident(i),
                        e => match self.prefix_column(ti, e) {
                            Some((id, n)) => {
                                let name = self.tables[ti].column_name(id);
                                prefixed.push(format!("`{name}({n})`"));
                                name
                            }
                            None => e.to_string(),
                        },
                    });
                }
                if !prefixed.is_empty() {
                    let tn = self.tables[ti].name.clone();
                    self.partial(format!(
                        "primary key on `{tn}`: prefix {} kept as the whole column (a stricter key)",
                        prefixed.join(", ")
                    ));
                }
                if let Some(cols) = self.resolve_cols(ti, &names, "primary key") {
                    for c in &cols {
                        if let Some(col) = self.tables[ti].column_mut(*c) {
                            col.nullable = false;
                        }
                    }
                    let name = pk.name.as_ref().map(|i| self.ident(i));
                    self.tables[ti].primary_key = Some(PrimaryKey {
                        name,
                        columns: cols,
                    });
                }
            }
            TableConstraint::Unique(u) => {
                let name = u
                    .name
                    .as_ref()
                    .or(u.index_name.as_ref())
                    .map(|i| self.ident(i));
                let plain = u.columns.iter().all(|c| {
                    matches!(c.column.expr, Expr::Identifier(_)) && c.column.options.sort.is_none()
                });
                if plain {
                    let names: Vec<String> = u
                        .columns
                        .iter()
                        .map(|c| match &c.column.expr {
                            Expr::Identifier(i) => self.ident(i),
                            _ => unreachable!("checked plain"),
                        })
                        .collect();
                    if let Some(cols) = self.resolve_cols(ti, &names, "unique constraint") {
                        let distinct: std::collections::BTreeSet<_> = cols.iter().collect();
                        if distinct.len() == cols.len() {
                            let id = self.id();
                            self.tables[ti].uniques.push(UniqueConstraint {
                                id: crate::model::ConstraintId(id),
                                name,
                                columns: cols,
                            });
                        }
                    }
                } else {
                    let m = u.index_type.as_ref().and_then(method);
                    self.push_inline_index(ti, &u.columns, "unique key", name, true, m);
                }
            }
            TableConstraint::ForeignKey(fk) => {
                let (ref_schema, ref_table) = self.qualified(&fk.foreign_table);
                self.fks.push(PendingFk {
                    table: ti,
                    name: fk.name.as_ref().map(|i| self.ident(i)),
                    columns: fk.columns.iter().map(|i| self.ident(i)).collect(),
                    ref_schema,
                    ref_table,
                    ref_columns: fk.referred_columns.iter().map(|i| self.ident(i)).collect(),
                    on_delete: action(&fk.on_delete),
                    on_update: action(&fk.on_update),
                    deferrable: deferrable(&fk.characteristics),
                    at: self.at.clone(),
                });
            }
            TableConstraint::Check(ch) => {
                let id = self.id();
                let name = ch.name.as_ref().map(|i| self.ident(i));
                let expr = self.expr_text(&ch.expr);
                self.tables[ti].checks.push(CheckConstraint {
                    id: crate::model::ConstraintId(id),
                    name,
                    expr,
                });
            }
            TableConstraint::Index(ix) => {
                let name = ix.name.as_ref().map(|i| self.ident(i));
                let m = ix.index_type.as_ref().and_then(method);
                self.push_inline_index(ti, &ix.columns, "index", name, false, m);
            }
            TableConstraint::FulltextOrSpatial(f) => {
                let name = f.opt_index_name.as_ref().map(|i| self.ident(i));
                let m = Some(if f.fulltext {
                    IndexMethod::FullText
                } else {
                    IndexMethod::Spatial
                });
                self.push_inline_index(ti, &f.columns, "index", name, false, m);
            }
            other => self.partial(format!("constraint `{other}` not modelled")),
        }
    }

    fn create_index(&mut self, ci: ast::CreateIndex) {
        let (schema, tname) = self.qualified(&ci.table_name);
        let Some(ti) = self.find_table(&schema, &tname) else {
            self.note(
                Severity::Warning,
                NoteKind::Skipped,
                format!("index on unknown table `{tname}`"),
            );
            return;
        };
        let Some(parts) = self.index_parts(ti, &ci.columns, "index") else {
            return;
        };
        let name = ci.name.as_ref().and_then(|n| self.name_parts(n).pop());
        let name = self.index_name(ti, name, &parts);
        let include_names: Vec<String> = ci.include.iter().map(|i| self.ident(i)).collect();
        let include = self
            .resolve_cols(ti, &include_names, "index INCLUDE")
            .unwrap_or_default();
        let id = self.id();
        self.tables[ti].indexes.push(Index {
            id: crate::model::IndexId(id),
            name,
            unique: ci.unique,
            parts,
            where_clause: ci.predicate.as_ref().map(|e| e.to_string()),
            include,
            method: ci.using.as_ref().and_then(method),
        });
    }

    fn alter_table(&mut self, at: ast::AlterTable) {
        let (schema, tname) = self.qualified(&at.name);
        let Some(ti) = self.find_table(&schema, &tname) else {
            self.note(
                Severity::Warning,
                NoteKind::Skipped,
                format!("ALTER of unknown table `{tname}`"),
            );
            return;
        };
        for op in at.operations {
            match op {
                AlterTableOperation::AddConstraint { constraint, .. } => {
                    self.table_constraint(ti, constraint, true)
                }
                AlterTableOperation::AddColumn { column_def, .. } => {
                    let c = self.column(ti, &column_def);
                    if Self::column_by_name(&self.tables[ti], &c.name).is_none() {
                        self.tables[ti].columns.push(c);
                    }
                }
                AlterTableOperation::AlterColumn { column_name, op } => {
                    let n = self.ident(&column_name);
                    let Some(ci) = Self::column_by_name(&self.tables[ti], &n) else {
                        self.partial(format!("ALTER COLUMN of unknown column `{n}`"));
                        continue;
                    };
                    match op {
                        AlterColumnOperation::SetNotNull => {
                            self.tables[ti].columns[ci].nullable = false
                        }
                        AlterColumnOperation::DropNotNull => {
                            self.tables[ti].columns[ci].nullable = true
                        }
                        AlterColumnOperation::SetDefault { value } => {
                            let d = value.to_string();
                            if let Some(canonical) = self.sequence_default(&d) {
                                let col = &mut self.tables[ti].columns[ci];
                                col.default = Some(canonical);
                                col.identity = None;
                                continue;
                            }
                            if is_nextval(&d) {
                                self.sequence_fed(&d);
                            }
                            let col = &mut self.tables[ti].columns[ci];
                            if is_nextval(&d) {
                                col.identity = Some(Identity::ByDefault);
                            } else {
                                col.default = Some(d);
                            }
                        }
                        AlterColumnOperation::DropDefault => {
                            self.tables[ti].columns[ci].default = None
                        }
                        AlterColumnOperation::AddGenerated { generated_as, .. } => {
                            self.tables[ti].columns[ci].identity = Some(match generated_as {
                                Some(GeneratedAs::Always) => Identity::Always,
                                _ => Identity::ByDefault,
                            })
                        }
                        other => self.partial(format!("ALTER COLUMN `{n}` {other} not modelled")),
                    }
                }
                AlterTableOperation::ModifyColumn {
                    col_name,
                    data_type,
                    options,
                    ..
                } => {
                    let n = self.ident(&col_name);
                    let Some(ci) = Self::column_by_name(&self.tables[ti], &n) else {
                        self.partial(format!("MODIFY of unknown column `{n}`"));
                        continue;
                    };
                    let def = ast::ColumnDef {
                        name: col_name.clone(),
                        data_type,
                        options: options
                            .into_iter()
                            .map(|option| ast::ColumnOptionDef { name: None, option })
                            .collect(),
                    };
                    let mut c = self.column(ti, &def);
                    c.id = self.tables[ti].columns[ci].id;
                    self.tables[ti].columns[ci] = c;
                }
                other => self.partial(format!("ALTER TABLE operation `{other}` not modelled")),
            }
        }
    }

    // -- building the project --------------------------------------------------------------

    fn finish(mut self) -> (Project, Vec<ImportNote>) {
        let mut p = Project::new("Imported");
        let mut settings = p.settings().clone();
        settings.target_dialect = self.dialect;
        settings.expression_dialect = Some(self.dialect);
        let _ = Command::SetSettings(Box::new(settings)).apply(&mut p);
        for e in std::mem::take(&mut self.enums) {
            let name = e.name.clone();
            if let Err(err) = Command::PutEnum(e).apply(&mut p) {
                self.at = at_named(format!("enum {name}"));
                self.partial(format!("enum dropped: {err}"));
            }
        }
        let cols = 8;
        let tables = std::mem::take(&mut self.tables);
        let mut ids = Vec::new();
        let mut tables = tables;
        self.hidden_index_columns(&mut tables);
        let mut partitions = Vec::new();
        for (i, mut t) in tables.into_iter().enumerate() {
            self.safe_text(&mut t);
            // Attached once every table is in (a parent may come after its partition).
            if let Some(of) = t.partition_of.take() {
                partitions.push((t.id, t.name.clone(), of));
            }
            t.position = Position {
                x: (i % cols) as f32 * 320.0,
                y: (i / cols) as f32 * 420.0,
            };
            let name = t.name.clone();
            let tid = t.id;
            match Command::AddTable(Box::new(t)).apply(&mut p) {
                Ok(_) => ids.push(Some(tid)),
                Err(err) => {
                    ids.push(None);
                    self.at = at_named(format!("table {name}"));
                    self.partial(format!("table dropped: {err}"));
                }
            }
        }
        for (table, name, of) in partitions {
            let Some(t) = p.table(table) else { continue };
            let cmd = Command::SetPartitioning {
                table,
                partition_by: t.partition_by.clone(),
                partition_of: Some(of),
            };
            if let Err(err) = cmd.apply(&mut p) {
                self.at = at_named(format!("table {name}"));
                self.partial(format!("partition not attached: {err}"));
            }
        }
        let names = TableNames::of(&p);
        for fk in std::mem::take(&mut self.fks) {
            self.at = fk.at.clone();
            let Some(from) = ids[fk.table].and_then(|id| p.table(id)) else {
                continue;
            };
            let from_name = from.name.clone();
            let Some(to) = names.resolve(&fk.ref_schema, &fk.ref_table) else {
                self.partial(format!(
                    "foreign key from `{from_name}` dropped: no table `{}`",
                    fk.ref_table
                ));
                continue;
            };
            let to_t = p.table(to).expect("resolved");
            let ref_cols: Vec<String> = if fk.ref_columns.is_empty() {
                match &to_t.primary_key {
                    Some(pk) => pk.columns.iter().map(|c| to_t.column_name(*c)).collect(),
                    None => Vec::new(),
                }
            } else {
                fk.ref_columns.clone()
            };
            let find = |t: &Table, names: &[String]| -> Option<Vec<crate::model::ColumnId>> {
                names
                    .iter()
                    .map(|n| Self::column_by_name(t, n).map(|i| t.columns[i].id))
                    .collect()
            };
            let (Some(fc), Some(tc)) = (find(from, &fk.columns), find(to_t, &ref_cols)) else {
                self.partial(format!(
                    "foreign key `{from_name}`({}) → `{}`({}) dropped: unknown column",
                    fk.columns.join(", "),
                    fk.ref_table,
                    ref_cols.join(", ")
                ));
                continue;
            };
            if fc.len() != tc.len() {
                self.partial(format!(
                    "foreign key from `{from_name}` dropped: column counts differ"
                ));
                continue;
            }
            let id = ForeignKeyId(self.id());
            let key = ForeignKey {
                id,
                name: fk.name,
                from_table: from.id,
                from_columns: fc,
                to_table: to,
                to_columns: tc,
                on_delete: fk.on_delete,
                on_update: fk.on_update,
                deferrable: fk.deferrable,
            };
            if let Err(e) = Command::AddForeignKey(Box::new(key)).apply(&mut p) {
                self.partial(format!("foreign key from `{from_name}` dropped: {e}"));
            }
        }
        self.finish_sequences(&mut p);
        let words = (!self.views.is_empty()).then(|| TableWords::of(&p));
        for v in std::mem::take(&mut self.views) {
            let depends_on = words
                .as_ref()
                .map(|w| w.named_in(&v.sql))
                .unwrap_or_default();
            let id = crate::model::ViewId(self.id());
            let name = v.name.clone();
            let view = View {
                id,
                schema: v.schema,
                name: v.name,
                sql: v.sql,
                materialized: v.materialized,
                depends_on,
                comment: v.comment,
            };
            if let Err(e) = Command::PutView(view).apply(&mut p) {
                self.at = at_named(format!("view {name}"));
                self.partial(format!("view dropped: {e}"));
            }
        }
        for x in std::mem::take(&mut self.extras) {
            self.at = x.at;
            if x.kind == "sequence"
                && x.name
                    .as_deref()
                    .is_some_and(|n| self.identity_sequences.contains(&unqualified_lower(n)))
            {
                self.note(
                    Severity::Info,
                    NoteKind::Noise,
                    "sequence feeds an identity column (imported as identity)",
                );
                continue;
            }
            let id = crate::model::ExtraSqlId(self.id());
            let what = match &x.name {
                Some(n) => format!("{} `{n}`", x.kind),
                None => x.kind.clone(),
            };
            let extra = ExtraSql {
                id,
                dialect: self.dialect,
                kind: x.kind,
                name: x.name,
                placement: x.placement,
                search_path: x.search_path,
                sql: x.sql,
            };
            match Command::PutExtraSql(extra).apply(&mut p) {
                Ok(_) => self.note(
                    Severity::Info,
                    NoteKind::Kept,
                    format!(
                        "{what} kept verbatim as extra SQL (exported to the same dialect only)"
                    ),
                ),
                Err(e) => self.partial(format!("{what} dropped: {e}")),
            }
        }
        (p, self.report)
    }
}

/// The imported project's tables by name, to resolve foreign keys in O(1) each.
struct TableNames {
    /// `(schema, name)` → the first such table in id order.
    exact: HashMap<(Option<String>, String), crate::model::TableId>,
    /// ASCII-lower-cased name → (schema, table) in id order.
    ci: HashMap<String, Vec<(Option<String>, crate::model::TableId)>>,
}

impl TableNames {
    fn of(p: &Project) -> Self {
        let mut exact = HashMap::new();
        let mut ci: HashMap<String, Vec<_>> = HashMap::new();
        for t in p.tables() {
            exact
                .entry((t.schema.clone(), t.name.clone()))
                .or_insert(t.id);
            ci.entry(t.name.to_ascii_lowercase())
                .or_default()
                .push((t.schema.clone(), t.id));
        }
        TableNames { exact, ci }
    }

    /// The table of that exact name in that schema, else the only one whose name differs in
    /// ASCII case only (in that schema, or in any when `schema` is `None`).
    fn resolve(&self, schema: &Option<String>, name: &str) -> Option<crate::model::TableId> {
        let key = (schema.clone(), name.to_string());
        if let Some(&id) = self.exact.get(&key) {
            return Some(id);
        }
        let mut hits = self
            .ci
            .get(&name.to_ascii_lowercase())
            .into_iter()
            .flatten()
            .filter(|(s, _)| schema.is_none() || s == schema);
        match (hits.next(), hits.next()) {
            (Some(&(_, id)), None) => Some(id),
            _ => None,
        }
    }
}

/// The imported project's tables by lower-cased name, to find the tables a view names: a
/// table is named when its name occurs in the view's SQL as a whole word (case-insensitive),
/// as `dialect::util::contains_word` decides, in time linear in the SQL.
struct TableWords {
    /// Names made of word characters only (letters, digits, `_`): a word of the SQL.
    words: HashMap<String, Vec<crate::model::TableId>>,
    /// Other names (with spaces, dashes, ...): searched for in the SQL one by one.
    odd: Vec<(String, crate::model::TableId)>,
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl TableWords {
    fn of(p: &Project) -> Self {
        let mut words: HashMap<String, Vec<_>> = HashMap::new();
        let mut odd = Vec::new();
        for t in p.tables() {
            let lower = t.name.to_lowercase();
            if lower.is_empty() {
                continue;
            }
            if lower.chars().all(word_char) {
                words.entry(lower).or_default().push(t.id);
            } else {
                odd.push((lower, t.id));
            }
        }
        TableWords { words, odd }
    }

    /// Tables named in `sql`, in id order.
    fn named_in(&self, sql: &str) -> Vec<crate::model::TableId> {
        let lower = sql.to_lowercase();
        let mut ids: Vec<crate::model::TableId> = lower
            .split(|c: char| !word_char(c))
            .filter(|w| !w.is_empty())
            .collect::<std::collections::HashSet<&str>>()
            .into_iter()
            .filter_map(|w| self.words.get(w))
            .flatten()
            .copied()
            .collect();
        ids.extend(
            self.odd
                .iter()
                .filter(|(n, _)| crate::sql::dialect::util::contains_word(&lower, n))
                .map(|(_, id)| *id),
        );
        ids.sort();
        ids.dedup();
        ids
    }
}

fn comment_text(c: &ast::CommentDef) -> String {
    match c {
        ast::CommentDef::WithEq(s) | ast::CommentDef::WithoutEq(s) => s.clone(),
    }
}

/// A default as the model keeps it: without the parentheses MySQL needs around expression
/// defaults (`DEFAULT ('')`), and the current time spelled `CURRENT_TIMESTAMP` whichever
/// synonym the script used (`now()`, `current_timestamp()`).
fn default_text(e: &Expr) -> String {
    let s = unnested(e).to_string();
    // PostgreSQL's special input `'now'` (`('now'::text)::date`): evaluated at insert time.
    let squashed: String = s
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '(' | ')'))
        .collect();
    if squashed.starts_with("'now'::") {
        return if squashed.ends_with("::date") {
            "CURRENT_DATE".into()
        } else {
            "CURRENT_TIMESTAMP".into()
        };
    }
    if crate::sql::dialect::util::is_now(&s) && !s.eq_ignore_ascii_case("localtimestamp") {
        "CURRENT_TIMESTAMP".into()
    } else {
        s
    }
}

/// The expression inside any number of enclosing parentheses.
fn unnested(mut e: &Expr) -> &Expr {
    while let Expr::Nested(inner) = e {
        e = inner;
    }
    e
}

/// The index method; `None` for B-tree, every dialect's default (`USING btree` in pg_dump
/// output means no more than leaving it out).
fn method(t: &IndexType) -> Option<IndexMethod> {
    Some(match t {
        IndexType::BTree => return None,
        IndexType::Hash => IndexMethod::Hash,
        IndexType::GIN => IndexMethod::Gin,
        IndexType::GiST => IndexMethod::Gist,
        IndexType::SPGiST => IndexMethod::SpGist,
        IndexType::BRIN => IndexMethod::Brin,
        other => IndexMethod::Other(other.to_string().to_lowercase()),
    })
}

/// `) WORD` → `)`, case-insensitively, for a standalone word after a closing parenthesis.
fn replace_word_after_paren(text: &str, word: &str) -> String {
    let upper = text.to_ascii_uppercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(p) = upper[from..].find(word).map(|p| p + from) {
        from = p + word.len();
        let before = upper[..p].trim_end();
        let after = upper[p + word.len()..].chars().next();
        let standalone = !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '(');
        if before.ends_with(')')
            && standalone
            && p > 0
            && upper.as_bytes()[p - 1].is_ascii_whitespace()
        {
            out.push_str(&text[last..p]);
            last = p + word.len();
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Offsets of lines that start a new T-SQL statement (outside parentheses and quotes).
fn tsql_pieces(text: &str) -> Vec<usize> {
    const STARTS: [&str; 12] = [
        "CREATE", "ALTER", "INSERT", "SET", "GRANT", "EXEC", "PRINT", "IF", "DROP", "USE",
        "DECLARE", "UPDATE",
    ];
    let b = text.as_bytes();
    let mut out = vec![0];
    let mut depth = 0i32;
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        if line_start && depth == 0 && i > 0 {
            let rest = &text[i..];
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect::<String>()
                .to_ascii_uppercase();
            if STARTS.contains(&word.as_str()) {
                out.push(i);
            }
        }
        line_start = c == b'\n';
        match c {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b'\'' | b'"' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                while i < b.len() && b[i] != close {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The name PostgreSQL gives an unnamed CHECK constraint of `t`: `t_col_check` when the
/// expression names one column, else `t_check` (cut to 63 bytes).
fn postgres_check_name(t: &Table, expr: &str) -> String {
    let lower = expr.to_lowercase();
    let cols: Vec<&str> = t
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .filter(|c| crate::sql::dialect::util::contains_word(&lower, &c.to_lowercase()))
        .collect();
    let name = match cols.as_slice() {
        [c] => format!("{}_{c}_check", t.name),
        _ => format!("{}_check", t.name),
    };
    crate::sql::ddl::truncate_bytes(&name, 63).to_string()
}

/// The sequence of a `nextval('schema.seq'::regclass)` default: unqualified, lower case.
fn nextval_sequence(default: &str) -> Option<String> {
    let d = default.replace('"', "");
    let start = d.find('\'')? + 1;
    let end = start + d[start..].find('\'')?;
    Some(unqualified_lower(&d[start..end]))
}

/// The last part of a possibly qualified, possibly quoted name, in lower case
/// (`public."Seq"` → `seq`): how sequence names are matched.
fn unqualified_lower(n: &str) -> String {
    n.rsplit('.')
        .next()
        .unwrap_or(n)
        .trim_matches(['"', '`', '[', ']'])
        .to_lowercase()
}

/// An `ON UPDATE` expression: `current_timestamp()` / `now()` / `CURRENT_TIMESTAMP(6)` as
/// `CURRENT_TIMESTAMP[(n)]` (what MySQL shows); anything else as written.
fn on_update_text(e: &Expr) -> String {
    let s = e.to_string();
    let squashed: String = s
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let precision = squashed
        .split_once('(')
        .map(|(_, rest)| rest.trim_end_matches(')').to_string())
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let head = squashed.split('(').next().unwrap_or("");
    if matches!(
        head,
        "current_timestamp" | "now" | "localtimestamp" | "localtime"
    ) {
        match precision {
            Some(p) => format!("CURRENT_TIMESTAMP({p})"),
            None => "CURRENT_TIMESTAMP".into(),
        }
    } else {
        s
    }
}

/// `nextval('seq'::regclass)` (also quoted `"nextval"(...)`): a sequence-fed column.
fn is_nextval(default: &str) -> bool {
    default
        .replace('"', "")
        .to_ascii_lowercase()
        .starts_with("nextval(")
}

/// `GENERATED ALWAYS AS (expr) VIRTUAL` (PostgreSQL 18) rewritten as `... STORED ` (same
/// length), with the names of the columns concerned.
fn pg_virtual_generated(text: &str) -> (String, Vec<String>) {
    let upper = text.to_ascii_uppercase();
    let bytes = text.as_bytes();
    let mut out = text.to_string();
    let mut cols = Vec::new();
    let mut from = 0;
    while let Some(k) = upper[from..].find("GENERATED ALWAYS AS") {
        let at = from + k;
        from = at + 1;
        // The parenthesised expression.
        let Some(open) = upper[at..].find('(').map(|i| at + i) else {
            break;
        };
        let mut depth = 0i32;
        let mut close = None;
        let mut in_str = false;
        for (i, &b) in bytes.iter().enumerate().skip(open) {
            match b {
                b'\'' => in_str = !in_str,
                b'(' if !in_str => depth += 1,
                b')' if !in_str => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else { break };
        let rest = &upper[close + 1..];
        let ws = rest.len() - rest.trim_start().len();
        let kw = close + 1 + ws;
        if !upper[kw..].starts_with("VIRTUAL")
            || upper[kw + 7..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        out.replace_range(kw..kw + 7, "STORED ");
        // The column: the first word after the previous top-level `,` or `(`.
        let mut depth = 0i32;
        let mut start = 0;
        for i in (0..at).rev() {
            match bytes[i] {
                b')' => depth += 1,
                b'(' if depth == 0 => {
                    start = i + 1;
                    break;
                }
                b'(' => depth -= 1,
                b',' if depth == 0 => {
                    start = i + 1;
                    break;
                }
                _ => {}
            }
        }
        let def = text[start..at].trim_start();
        let name: String = if let Some(q) = def.strip_prefix('"') {
            q.split('"').next().unwrap_or("").to_string()
        } else {
            def.split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_string()
        };
        if !name.is_empty() {
            cols.push(name);
        }
    }
    (out, cols)
}
