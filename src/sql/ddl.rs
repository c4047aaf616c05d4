//! The DDL generator shared by all dialects. Output is deterministic: tables in foreign-key
//! order (ties and cycles broken by id), everything else in id order.

use super::dialect::{DialectRules, TypeUse, rules};
use crate::model::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    let mut cx = Cx {
        project: p,
        warnings: Vec::new(),
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
        view_names.iter().any(|v| contains_word(&lower, v))
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

    push_extras(&mut parts, r, &after_tables, &mut path);

    for t in p.tables().filter(|t| included(t.id)) {
        for ix in &t.indexes {
            if r.inline_index(t, ix, &mut Cx::scratch(p)).is_some() {
                continue; // written inside CREATE TABLE
            }
            match r.create_index(t, ix, &mut cx) {
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

    for v in p.views().filter(|_| only.is_none()) {
        if r.batch_separator().is_some() {
            parts.push(Part::Batch);
        }
        parts.push(Part::Stmt(r.create_view(v, &mut cx)));
        if r.batch_separator().is_some() {
            parts.push(Part::Batch);
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
        "-- {} tables, {} foreign keys, {} enums, {} views\n",
        p.table_count(),
        p.foreign_key_count(),
        p.enums().count(),
        p.views().count()
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

/// The project's extra SQL written for `dialect`; every statement for another dialect is a
/// warning (it is left out).
fn extra_sql_for<'p>(p: &'p Project, dialect: Dialect, cx: &mut Cx) -> Vec<&'p ExtraSql> {
    let mut keep = Vec::new();
    for x in p.extra_sql() {
        if x.dialect == dialect {
            keep.push(x);
        } else {
            let what = match &x.name {
                Some(n) => format!("{} {n}", x.kind),
                None => x.kind.clone(),
            };
            cx.warn(
                &what,
                format!(
                    "extra SQL written for {}; not exported to {} (rewrite it by hand)",
                    x.dialect.display_name(),
                    dialect.display_name()
                ),
            );
        }
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

/// `word` occurs in `hay` delimited by non-identifier characters.
fn contains_word(hay: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    hay.match_indices(word).any(|(i, _)| {
        !hay[..i].chars().next_back().is_some_and(is_ident)
            && !hay[i + word.len()..].chars().next().is_some_and(is_ident)
    })
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

/// Tables in an order where each table comes after the tables it references, when possible.
/// Ties (and the table that breaks a cycle) go to the smallest id. O((V + E) log V).
pub fn table_order(p: &Project) -> Vec<TableId> {
    let mut deps: BTreeMap<TableId, BTreeSet<TableId>> = BTreeMap::new();
    let mut dependents: BTreeMap<TableId, Vec<TableId>> = BTreeMap::new();
    for t in p.tables() {
        deps.insert(t.id, BTreeSet::new());
    }
    for fk in p.foreign_keys() {
        if fk.from_table != fk.to_table
            && deps
                .get_mut(&fk.from_table)
                .is_some_and(|d| d.insert(fk.to_table))
        {
            dependents
                .entry(fk.to_table)
                .or_default()
                .push(fk.from_table);
        }
    }
    let mut indeg: BTreeMap<TableId, usize> = deps.iter().map(|(k, v)| (*k, v.len())).collect();
    let mut ready: BTreeSet<TableId> = indeg
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| *k)
        .collect();
    let mut remaining: BTreeSet<TableId> = deps.keys().copied().collect();
    let mut order = Vec::with_capacity(remaining.len());
    while let Some(&first) = remaining.first() {
        let t = ready.pop_first().unwrap_or(first);
        remaining.remove(&t);
        order.push(t);
        for d in dependents.get(&t).map(Vec::as_slice).unwrap_or(&[]) {
            if remaining.contains(d) {
                let n = indeg.get_mut(d).expect("every table has a degree");
                *n -= 1;
                if *n == 0 {
                    ready.insert(*d);
                }
            }
        }
    }
    order
}

/// Columns of `t` that take part in a key, index or foreign key.
fn keyed_columns(p: &Project, t: &Table) -> BTreeSet<ColumnId> {
    let mut s: BTreeSet<ColumnId> = t.referenced_column_ids().collect();
    for fk in p.foreign_keys_from(t.id) {
        s.extend(fk.from_columns.iter().copied());
    }
    for fk in p.foreign_keys_to(t.id) {
        s.extend(fk.to_columns.iter().copied());
    }
    s
}

/// The SQL type of a column in a dialect, honouring per-dialect overrides.
pub fn column_type(
    r: &dyn DialectRules,
    t: &Table,
    c: &Column,
    keyed: bool,
    cx: &mut Cx,
) -> String {
    if let Some(o) = c.type_overrides.get(&r.dialect()) {
        return o.clone();
    }
    let object = format!("{}.{}", t.name, c.name);
    r.column_type(
        t,
        c,
        TypeUse {
            keyed,
            object: &object,
        },
        cx,
    )
}

fn column_list(r: &dyn DialectRules, t: &Table, cols: &[ColumnId]) -> String {
    cols.iter()
        .map(|c| r.ident(&t.column_name(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn create_table(r: &dyn DialectRules, t: &Table, fks: &[&ForeignKey], cx: &mut Cx) -> String {
    let p = cx.project;
    let keyed = keyed_columns(p, t);
    let tname = t.name.clone();
    // (definition, trailing comment)
    let mut lines: Vec<(String, Option<String>)> = Vec::new();
    let mut pk_inline = false;
    for c in &t.columns {
        let obj = format!("{tname}.{}", c.name);
        let ty = column_type(r, t, c, keyed.contains(&c.id), cx);
        let mut def = format!("{} ", r.ident(&c.name));
        if let Some(g) = &c.generated {
            def.push_str(&r.generated_column(&obj, &ty, g, cx));
            if c.default.is_some() {
                cx.warn(
                    &obj,
                    "a generated column cannot have a default; default dropped",
                );
            }
            if c.identity.is_some() {
                cx.warn(
                    &obj,
                    "a generated column cannot be an identity; identity dropped",
                );
            }
        } else {
            def.push_str(&ty);
            let identity = c.identity.and_then(|_| r.identity_clause(t, c, cx));
            if identity.is_some() && r.identity_is_primary_key(t, c) {
                pk_inline = true;
            }
            if !c.nullable {
                def.push_str(" NOT NULL");
            }
            if let Some(id) = identity {
                def.push(' ');
                def.push_str(&id);
            }
            if let Some(d) = &c.default {
                if c.identity.is_some() {
                    cx.warn(
                        &obj,
                        "an identity column cannot have a default; default dropped",
                    );
                } else {
                    def.push_str(" DEFAULT ");
                    def.push_str(&r.default_expr(d, c, cx));
                }
            }
        }
        if c.generated.is_some() && !c.nullable {
            def.push_str(" NOT NULL");
        }
        let mut trailing = None;
        if let Some(cm) = &c.comment {
            if let Some(clause) = r.inline_column_comment(cm) {
                def.push(' ');
                def.push_str(&clause);
            } else if r.comments_as_sql_comments() {
                trailing = Some(cm.clone());
            }
        }
        lines.push((def, trailing));
    }
    if let Some(pk) = &t.primary_key
        && !pk_inline
    {
        let name = constraint_prefix(r, pk.name.as_deref());
        lines.push((
            format!("{name}PRIMARY KEY ({})", column_list(r, t, &pk.columns)),
            None,
        ));
    }
    for u in &t.uniques {
        let name = constraint_prefix(r, u.name.as_deref());
        lines.push((
            format!("{name}UNIQUE ({})", column_list(r, t, &u.columns)),
            None,
        ));
    }
    for ck in &t.checks {
        let name = constraint_prefix(r, ck.name.as_deref());
        lines.push((format!("{name}CHECK ({})", ck.expr.trim()), None));
    }
    if r.enum_as_check() {
        for c in &t.columns {
            if c.type_overrides.contains_key(&r.dialect()) {
                continue;
            }
            if let LogicalType::Enum(e) = &c.ty
                && let Some(e) = p.enum_type(*e)
            {
                let values = e
                    .values
                    .iter()
                    .map(|v| r.string_literal(v))
                    .collect::<Vec<_>>()
                    .join(", ");
                lines.push((format!("CHECK ({} IN ({values}))", r.ident(&c.name)), None));
            }
        }
    }
    for ix in &t.indexes {
        if let Some(clause) = r.inline_index(t, ix, cx) {
            lines.push((clause, None));
        }
    }
    for fk in fks {
        lines.push((fk_clause(r, fk, cx), None));
    }

    let mut s = String::new();
    if r.comments_as_sql_comments()
        && let Some(c) = &t.comment
    {
        push_comment(&mut s, c);
    }
    s.push_str(&format!(
        "CREATE TABLE {} (\n",
        r.qualified(t.schema.as_deref(), &t.name)
    ));
    let n = lines.len();
    for (i, (def, trailing)) in lines.into_iter().enumerate() {
        s.push_str("  ");
        s.push_str(&def);
        if i + 1 < n {
            s.push(',');
        }
        if let Some(c) = trailing {
            // Comment lines inside the statement survive in sqlite_schema.
            let mut first = true;
            for line in c.lines() {
                if first {
                    s.push_str(" -- ");
                    first = false;
                } else {
                    s.push_str("\n  -- ");
                }
                s.push_str(line.trim_end());
            }
        }
        s.push('\n');
    }
    s.push(')');
    s.push_str(&r.table_options(t));
    s
}

/// `CONSTRAINT name ` for a named constraint, nothing for an unnamed one.
fn constraint_prefix(r: &dyn DialectRules, name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", r.ident(n)))
        .unwrap_or_default()
}

/// `[CONSTRAINT name] FOREIGN KEY (...) REFERENCES t (...) [ON DELETE ..] [ON UPDATE ..] [DEFERRABLE ..]`
fn fk_clause(r: &dyn DialectRules, fk: &ForeignKey, cx: &mut Cx) -> String {
    let p = cx.project;
    let from = p.table(fk.from_table).expect("fk source exists");
    let to = p.table(fk.to_table).expect("fk target exists");
    let obj = match &fk.name {
        Some(n) => format!("{}.{n}", from.name),
        None => format!("{} -> {}", from.name, to.name),
    };
    let to_cols = fk.target_columns(to);
    let mut s = constraint_prefix(r, fk.name.as_deref());
    s.push_str(&format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        column_list(r, from, &fk.from_columns),
        r.qualified(to.schema.as_deref(), &to.name),
        column_list(r, to, to_cols)
    ));
    if let Some(a) = r.fk_action(fk.on_delete, &obj, cx) {
        s.push_str(&format!(" ON DELETE {a}"));
    }
    if let Some(a) = r.fk_action(fk.on_update, &obj, cx) {
        s.push_str(&format!(" ON UPDATE {a}"));
    }
    if let Some(d) = r.deferrable_clause(fk.deferrable, &obj, cx) {
        s.push(' ');
        s.push_str(&d);
    }
    s
}

/// The key part list of an index, `(a, b DESC, (lower(x)))`, with expression parts as
/// written by `expr` (dialects differ in how they wrap expressions).
pub(crate) fn index_parts(
    r: &dyn DialectRules,
    t: &Table,
    ix: &Index,
    expr: impl Fn(&str) -> String,
) -> Vec<String> {
    ix.parts
        .iter()
        .map(|part| {
            let mut s = match &part.target {
                IndexTarget::Column(c) => r.ident(&t.column_name(*c)),
                IndexTarget::Expr(e) => expr(e),
            };
            match part.order {
                Some(SortOrder::Desc) => s.push_str(" DESC"),
                Some(SortOrder::Asc) => s.push_str(" ASC"),
                None => {}
            }
            s
        })
        .collect()
}

pub(crate) fn has_expr_parts(ix: &Index) -> bool {
    ix.parts
        .iter()
        .any(|p| matches!(p.target, IndexTarget::Expr(_)))
}

fn check_identifier_lengths(p: &Project, d: Dialect, cx: &mut Cx) {
    let Some(max) = d.max_identifier_len() else {
        return;
    };
    let mut names: Vec<(String, &str)> = Vec::new();
    for e in p.enums() {
        names.push((e.name.clone(), &e.name));
    }
    for t in p.tables() {
        names.push((t.name.clone(), &t.name));
        for c in &t.columns {
            names.push((format!("{}.{}", t.name, c.name), &c.name));
        }
        for ix in &t.indexes {
            names.push((format!("{}.{}", t.name, ix.name), &ix.name));
        }
        for u in t.uniques.iter().filter_map(|u| u.name.as_ref()) {
            names.push((format!("{}.{u}", t.name), u));
        }
        for c in t.checks.iter().filter_map(|u| u.name.as_ref()) {
            names.push((format!("{}.{c}", t.name), c));
        }
        if let Some(n) = t.primary_key.as_ref().and_then(|pk| pk.name.as_ref()) {
            names.push((format!("{}.{n}", t.name), n));
        }
    }
    for fk in p.foreign_keys() {
        if let Some(n) = &fk.name {
            names.push((n.clone(), n));
        }
    }
    for v in p.views() {
        names.push((v.name.clone(), &v.name));
    }
    for (obj, name) in names {
        let len = d.identifier_len(name);
        if len > max {
            let msg = match d {
                Dialect::Postgres => format!(
                    "identifier is {len} bytes; PostgreSQL truncates names to {max} bytes (`{}`)",
                    truncate_bytes(name, max)
                ),
                _ => format!(
                    "identifier is {len} characters; {} rejects names longer than {max}",
                    d.display_name()
                ),
            };
            cx.warn(&obj, msg);
        }
    }
}

/// Truncate to at most `max` bytes on a character boundary (what PostgreSQL does).
pub fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
