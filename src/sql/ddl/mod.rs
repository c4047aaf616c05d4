//! The DDL generator shared by all dialects. Output is deterministic: tables in foreign-key
//! order (ties and cycles broken by id), everything else in id order.

use super::dialect::{DialectRules, NameScope, TypeUse, rules, util};
use super::expr::{self, Place};
use crate::model::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

mod exprs;
mod names;
mod order;
mod prepare;
mod table;
mod views;
pub(crate) use exprs::*;
pub use names::*;
pub use order::*;
pub(crate) use prepare::*;
pub use table::*;
pub use views::refresh_sql;
pub(crate) use views::{ViewStmt, create as create_view, drop as drop_view};

/// Something the target dialect cannot express exactly. Never silent: every warning is
/// returned to the caller and also written at the top of the DDL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportWarning {
    /// The object concerned, e.g. `orders.ix_orders_pending`.
    pub object: String,
    pub message: String,
}

impl std::fmt::Display for ExportWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.object, self.message)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DdlOutput {
    pub sql: String,
    pub warnings: Vec<ExportWarning>,
}

/// Generation context handed to the dialect rules.
pub struct Cx<'a> {
    pub project: &'a Project,
    warnings: Vec<ExportWarning>,
}

impl<'a> Cx<'a> {
    /// A context whose warnings are thrown away (for questions asked twice).
    pub(crate) fn scratch(project: &'a Project) -> Self {
        Cx {
            project,
            warnings: Vec::new(),
        }
    }

    /// A fresh context (for statement-by-statement rendering, e.g. migrations).
    pub(crate) fn new(project: &'a Project) -> Self {
        Cx::scratch(project)
    }

    /// The warnings collected so far.
    pub(crate) fn into_warnings(self) -> Vec<ExportWarning> {
        self.warnings
    }

    pub fn warn(&mut self, object: &str, message: impl Into<String>) {
        self.warnings.push(ExportWarning {
            object: object.to_string(),
            message: message.into(),
        });
    }
}

enum Part {
    Stmt(String),
    /// A statement the dialect cannot run, kept as `--` comment lines.
    Skipped(String),
    /// SQL Server batch separator.
    Batch,
    /// Text written as it is (it carries its own terminator).
    Raw(String),
}

/// Render the project as DDL for `dialect`.
pub fn export(p: &Project, dialect: Dialect) -> DdlOutput {
    export_with(p, dialect, None)
}

/// Render only some tables (with their indexes, comments, the enums they use and their
/// foreign keys), e.g. for the studio's live DDL preview of the selection.
pub fn export_tables(p: &Project, dialect: Dialect, tables: &BTreeSet<TableId>) -> DdlOutput {
    export_with(p, dialect, Some(tables))
}

fn export_with(p: &Project, dialect: Dialect, only: Option<&BTreeSet<TableId>>) -> DdlOutput {
    let included = |t: TableId| only.is_none_or(|s| s.contains(&t));
    let used_enums: BTreeSet<EnumId> = p
        .tables()
        .filter(|t| included(t.id))
        .flat_map(|t| t.columns.iter())
        .filter_map(|c| enum_of(&c.ty))
        .collect();
    let r = rules(dialect);
    let mut early = Vec::new();
    let prepared = prepared(p, dialect, &mut early);
    let p = prepared.as_ref();
    // Sequences of the exported tables: used by one of their defaults or owned by one.
    let users = only.map(|_| p.sequence_users()).unwrap_or_default();
    let seqs: Vec<&Sequence> = p
        .sequences()
        .filter(|s| {
            only.is_none()
                || s.owned_by.is_some_and(|o| included(o.table))
                || users
                    .get(&s.id)
                    .is_some_and(|u| u.iter().any(|(t, _)| included(t.id)))
        })
        .collect();
    let mut cx = Cx {
        project: p,
        warnings: early,
    };
    let mut parts = Vec::new();
    check_identifier_lengths(p, dialect, &mut cx);

    for s in r.preamble() {
        parts.push(Part::Stmt(s));
    }

    let schemas: BTreeSet<&str> = p
        .tables()
        .filter(|t| included(t.id))
        .filter_map(|t| t.schema.as_deref())
        .chain(
            p.enums()
                .filter(|e| only.is_none() || used_enums.contains(&e.id))
                .filter_map(|e| e.schema.as_deref()),
        )
        .chain(
            p.views()
                .filter(|_| only.is_none())
                .filter_map(|v| v.schema.as_deref()),
        )
        .chain(seqs.iter().filter_map(|s| s.schema.as_deref()))
        .collect();
    for s in schemas {
        if let Some(stmt) = r.create_schema(s, &mut cx) {
            parts.push(Part::Stmt(stmt));
            if let Some(_sep) = r.batch_separator() {
                parts.push(Part::Batch);
            }
        }
    }

    for e in p
        .enums()
        .filter(|e| only.is_none() || used_enums.contains(&e.id))
    {
        if let Some(stmt) = r.create_enum(e, &mut cx) {
            parts.push(Part::Stmt(stmt));
            if let Some(c) = r.enum_comment_statement(e) {
                parts.push(Part::Stmt(c));
            }
        }
    }

    for s in &seqs {
        parts.push(Part::Stmt(super::sequences::create(r, s)));
        if let Some(c) = super::sequences::comment(r, s) {
            parts.push(Part::Stmt(c));
        }
    }

    // Extra SQL (verbatim statements of this dialect): the ones that stood before the tables
    // go here; the others after the tables, or after the views when they name a view.
    let extras: Vec<&ExtraSql> = if only.is_none() {
        extra_sql_for(p, dialect, &mut cx)
    } else {
        Vec::new()
    };
    let view_names: Vec<String> = p.views().map(|v| v.name.to_lowercase()).collect();
    let names_a_view = |x: &ExtraSql| {
        let lower = x.sql.to_lowercase();
        view_names.iter().any(|v| util::contains_word(&lower, v))
    };
    let (before, rest): (Vec<&ExtraSql>, Vec<&ExtraSql>) = extras
        .iter()
        .partition(|x| x.placement == Placement::BeforeTables);
    let (after_views, after_tables): (Vec<&ExtraSql>, Vec<&ExtraSql>) =
        rest.into_iter().partition(|x| names_a_view(x));
    let routines = extras
        .iter()
        .any(|x| matches!(x.kind.as_str(), "function" | "procedure" | "aggregate"));
    if routines && let Some(s) = r.routine_preamble() {
        parts.push(Part::Raw(s));
    }
    let mut path = None;
    push_extras(&mut parts, r, &before, &mut path);

    let order = table_order(p);
    let rank: BTreeMap<TableId, usize> = order.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let mut deferred: Vec<&ForeignKey> = Vec::new();
    for (i, tid) in order.iter().enumerate() {
        if !included(*tid) {
            continue;
        }
        let t = p.table(*tid).expect("ordered ids exist");
        let mut inline = Vec::new();
        for fk in p.foreign_keys_from(*tid) {
            if r.allows_forward_references() || fk.to_table == *tid || rank[&fk.to_table] < i {
                inline.push(fk);
            } else {
                deferred.push(fk);
            }
        }
        parts.push(Part::Stmt(create_table(r, t, &inline, &mut cx)));
        for c in r.comment_statements(t) {
            parts.push(Part::Stmt(c));
        }
    }

    if r.partitions() {
        for t in p.tables().filter(|t| included(t.id)) {
            let Some(of) = &t.partition_of else { continue };
            let Some(parent) = p.table(of.parent).filter(|pt| included(pt.id)) else {
                continue;
            };
            if parent.partition_by.is_none() {
                cx.warn(
                    &t.name,
                    format!(
                        "partition of `{}`, which has no PARTITION BY; written as an ordinary table",
                        parent.name
                    ),
                );
                continue;
            }
            parts.push(Part::Stmt(format!(
                "ALTER TABLE {} ATTACH PARTITION {} {}",
                r.qualified(parent.schema.as_deref(), &parent.name),
                r.qualified(t.schema.as_deref(), &t.name),
                of.bound
            )));
        }
    }

    for s in &seqs {
        if s.owned_by.is_some_and(|o| included(o.table))
            && let Some(stmt) = super::sequences::owned_by(r, p, s)
        {
            parts.push(Part::Stmt(stmt));
        }
    }

    push_extras(&mut parts, r, &after_tables, &mut path);

    for t in p.tables().filter(|t| included(t.id)) {
        for ix in &t.indexes {
            index_part_warnings(r, t, ix, &mut cx);
            if r.inline_index(t, ix, &mut Cx::scratch(p)).is_some() {
                continue; // written inside CREATE TABLE
            }
            let ix = match translate_index(r, t, ix, &mut cx) {
                Ok(ix) => ix,
                Err(s) => {
                    parts.push(Part::Skipped(s));
                    continue;
                }
            };
            match r.create_index(t, &ix, &mut cx) {
                Ok(s) => parts.push(Part::Stmt(s)),
                Err(s) => parts.push(Part::Skipped(s)),
            }
        }
    }

    deferred.sort_by_key(|fk| fk.id);
    for fk in deferred {
        let t = p.table(fk.from_table).expect("fk source exists");
        parts.push(Part::Stmt(format!(
            "ALTER TABLE {} ADD {}",
            r.qualified(t.schema.as_deref(), &t.name),
            fk_clause(r, fk, &mut cx)
        )));
    }

    let views = if only.is_none() {
        view_order(p, &mut cx)
    } else {
        Vec::new()
    };
    let written_in = p.settings().expression_dialect.unwrap_or(Dialect::Postgres);
    for v in views {
        if written_in != dialect {
            cx.warn(
                &v.name,
                format!(
                    "query written in {} SQL with its identifiers quoted for {} (the rest is not translated): check it runs there",
                    written_in.display_name(),
                    dialect.display_name()
                ),
            );
        }
        if let Err(e) = writable(&v.sql, dialect) {
            cx.warn(&v.name, format!("view left out: its query {e}"));
            parts.push(Part::Skipped(format!("view {} left out: {e}", v.name)));
            continue;
        }
        if r.batch_separator().is_some() {
            parts.push(Part::Batch);
        }
        for stmt in views::create(p, v, r, &mut cx) {
            match stmt {
                ViewStmt::Stmt(s) => parts.push(Part::Stmt(s)),
                ViewStmt::Routine(s) => parts.push(Part::Raw(r.extra_statement(&s))),
            }
            if r.batch_separator().is_some() {
                parts.push(Part::Batch);
            }
        }
    }
    push_extras(&mut parts, r, &after_views, &mut path);

    let mut out = String::new();
    out.push_str(&format!(
        "-- Generated by Crowfoot {} for {} from project {:?}\n",
        env!("CARGO_PKG_VERSION"),
        dialect.display_name(),
        p.name()
    ));
    out.push_str(&format!(
        "-- {} tables, {} foreign keys, {} enums, {} views{}\n",
        p.table_count(),
        p.foreign_key_count(),
        p.enums().count(),
        p.views().count(),
        match seqs.len() {
            0 => String::new(),
            n => format!(", {n} sequences"),
        }
    ));
    if !cx.warnings.is_empty() {
        out.push_str(&format!(
            "-- {} warning(s): what {} cannot express exactly\n",
            cx.warnings.len(),
            dialect.display_name()
        ));
        for w in &cx.warnings {
            push_comment(&mut out, &format!("  {w}"));
        }
    }
    let sep = r.batch_separator().unwrap_or("");
    let mut last_batch = true;
    for part in parts {
        match part {
            Part::Stmt(s) => {
                out.push('\n');
                out.push_str(&s);
                out.push_str(";\n");
                last_batch = false;
            }
            Part::Skipped(s) => {
                out.push('\n');
                for line in s.lines() {
                    out.push_str("-- ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
            Part::Raw(s) => {
                out.push('\n');
                out.push_str(&s);
                out.push('\n');
                last_batch = false;
            }
            Part::Batch => {
                if !last_batch {
                    out.push_str(sep);
                    out.push('\n');
                    last_batch = true;
                }
            }
        }
    }
    DdlOutput {
        sql: out,
        warnings: cx.warnings,
    }
}

/// Every table's own DDL in `dialect`: its CREATE TABLE with all its keys and foreign keys
/// inline (whatever the order a whole script needs), its comments and its indexes, each
/// statement ended by `;`. One pass over the project (the review page shows it per table;
/// [`export_tables`] per table would prepare the project once per table).
pub fn export_each_table(p: &Project, dialect: Dialect) -> BTreeMap<TableId, String> {
    let r = rules(dialect);
    let mut early = Vec::new();
    let prepared = prepared(p, dialect, &mut early);
    let p = prepared.as_ref();
    let mut cx = Cx {
        project: p,
        warnings: early,
    };
    let mut out = BTreeMap::new();
    for t in p.tables() {
        let inline = p.foreign_keys_from(t.id);
        let mut s = create_table(r, t, &inline, &mut cx);
        s.push_str(";\n");
        for c in r.comment_statements(t) {
            s.push_str(&c);
            s.push_str(";\n");
        }
        for ix in &t.indexes {
            if r.inline_index(t, ix, &mut Cx::scratch(p)).is_some() {
                continue;
            }
            let made =
                translate_index(r, t, ix, &mut cx).and_then(|ix| r.create_index(t, &ix, &mut cx));
            match made {
                Ok(stmt) => {
                    s.push_str(&stmt);
                    s.push_str(";\n");
                }
                Err(why) => {
                    for line in why.lines() {
                        s.push_str("-- ");
                        s.push_str(line);
                        s.push('\n');
                    }
                }
            }
        }
        out.insert(t.id, s);
    }
    out
}

/// `p` as `dialect` writes it: sequences folded into identities where it has none, `ON
/// UPDATE` defaults dropped where it has none, partitions as ordinary tables where it has no
/// declarative partitioning, and index and constraint names made unique where they must be.
/// Each change is a warning in `early`; borrowed when nothing changes.
fn prepared<'p>(
    p: &'p Project,
    dialect: Dialect,
    early: &mut Vec<ExportWarning>,
) -> std::borrow::Cow<'p, Project> {
    use std::borrow::Cow;
    let r = rules(dialect);
    let mut cur = Cow::Borrowed(p);
    if !r.sequences()
        && let Some(np) = super::sequences::fold(&cur, dialect, early)
    {
        cur = Cow::Owned(np);
    }
    if !r.on_update()
        && let Some(np) = without_on_update(&cur, dialect, early)
    {
        cur = Cow::Owned(np);
    }
    if !r.partitions()
        && let Some(np) = flatten_partitions(&cur, dialect, early)
    {
        cur = Cow::Owned(np);
    }
    if let Some(np) = unique_index_names(&cur, dialect, early) {
        cur = Cow::Owned(np);
    }
    if let Some(np) = unique_constraint_names(&cur, dialect, early) {
        cur = Cow::Owned(np);
    }
    cur
}

/// The project's extra SQL written for `dialect`. The statements for other dialects are left
/// out with one warning per dialect naming them, except those the project also has for
/// `dialect` under the same name (its own version, e.g. a pattern's trigger per dialect), and
/// indexes named as one of the model's (a dialect's stand-in for an index it cannot write).
fn extra_sql_for<'p>(p: &'p Project, dialect: Dialect, cx: &mut Cx) -> Vec<&'p ExtraSql> {
    let mut keep = Vec::new();
    let own: BTreeSet<&str> = p
        .extra_sql()
        .filter(|x| x.dialect == dialect)
        .filter_map(|x| x.name.as_deref())
        .collect();
    let indexes: BTreeSet<&str> = p
        .tables()
        .flat_map(|t| t.indexes.iter().map(|i| i.name.as_str()))
        .collect();
    let mut left: BTreeMap<Dialect, Vec<String>> = BTreeMap::new();
    for x in p.extra_sql() {
        if x.dialect == dialect {
            keep.push(x);
        } else if !x
            .name
            .as_deref()
            .is_some_and(|n| own.contains(n) || (x.kind == "index" && indexes.contains(n)))
        {
            left.entry(x.dialect).or_default().push(match &x.name {
                Some(n) => format!("{} {n}", x.kind),
                None => x.kind.clone(),
            });
        }
    }
    for (from, what) in left {
        cx.warn(
            "extra SQL",
            format!(
                "extra SQL written for {} left out of {} (rewrite by hand what it needs): {}",
                from.display_name(),
                dialect.display_name(),
                what.join(", ")
            ),
        );
    }
    keep
}

fn push_extras<'a>(
    parts: &mut Vec<Part>,
    r: &dyn DialectRules,
    extras: &[&'a ExtraSql],
    path: &mut Option<&'a str>,
) {
    for x in extras {
        if x.search_path.as_deref() != *path
            && let Some(s) = r.set_search_path(x.search_path.as_deref())
        {
            parts.push(Part::Raw(s));
            *path = x.search_path.as_deref();
        }
        if r.batch_separator().is_some() {
            parts.push(Part::Batch);
        }
        parts.push(Part::Raw(r.extra_statement(&x.sql)));
        if r.batch_separator().is_some() {
            parts.push(Part::Batch);
        }
    }
    // The path stays set: index expressions, defaults and views that follow call the same
    // unqualified functions the original resolved through it.
}

fn enum_of(ty: &LogicalType) -> Option<EnumId> {
    match ty {
        LogicalType::Enum(e) => Some(*e),
        LogicalType::Array(inner) => enum_of(inner),
        _ => None,
    }
}

/// Append `text` as `--` comment lines (multi-line safe).
pub(crate) fn push_comment(out: &mut String, text: &str) {
    for line in text.lines() {
        out.push_str("--");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line.trim_end());
        }
        out.push('\n');
    }
}
