//! The DDL generator shared by all dialects. Output is deterministic: tables in foreign-key
//! order (ties and cycles broken by id), everything else in id order.

use super::dialect::{DialectRules, TypeUse, rules, util};
use super::expr::{self, Place};
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
    let folded = if r.sequences() {
        None
    } else {
        super::sequences::fold(p, dialect, &mut early)
    };
    let p = folded.as_ref().unwrap_or(p);
    let no_on_update = if r.on_update() {
        None
    } else {
        without_on_update(p, dialect, &mut early)
    };
    let p = no_on_update.as_ref().unwrap_or(p);
    // Sequences of the exported tables: used by one of their defaults or owned by one.
    let seqs: Vec<&Sequence> = p
        .sequences()
        .filter(|s| {
            only.is_none()
                || s.owned_by.is_some_and(|o| included(o.table))
                || p.columns_using_sequence(s.id)
                    .iter()
                    .any(|(t, _)| included(t.id))
        })
        .collect();
    let flat = if r.partitions() {
        None
    } else {
        flatten_partitions(p, dialect, &mut early)
    };
    let p = flat.as_ref().unwrap_or(p);
    let renamed = unique_index_names(p, dialect, &mut early);
    let p = renamed.as_ref().unwrap_or(p);
    let constraints = unique_constraint_names(p, dialect, &mut early);
    let p = constraints.as_ref().unwrap_or(p);
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
                    "query written as it is, in {} SQL (queries are not translated): check it runs on {}",
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
pub(crate) fn keyed_columns(p: &Project, t: &Table) -> BTreeSet<ColumnId> {
    let mut s: BTreeSet<ColumnId> = t.referenced_column_ids().collect();
    for fk in p.foreign_keys_from(t.id) {
        s.extend(fk.from_columns.iter().copied());
    }
    for fk in p.foreign_keys_to(t.id) {
        s.extend(fk.to_columns.iter().copied());
    }
    s
}

/// The referenced column when `c` is a foreign key column whose integer type is narrower or
/// wider than the referenced integer column's.
fn fk_target_integer<'p>(p: &'p Project, t: &Table, c: &Column) -> Option<&'p Column> {
    let int = |ty: &LogicalType| {
        matches!(
            ty,
            LogicalType::TinyInt
                | LogicalType::SmallInt
                | LogicalType::Integer
                | LogicalType::BigInt
        )
    };
    if !int(&c.ty) {
        return None;
    }
    p.foreign_keys_from(t.id).into_iter().find_map(|fk| {
        let i = fk.from_columns.iter().position(|x| *x == c.id)?;
        let to = p.table(fk.to_table)?;
        let target = to.column(*fk.to_columns.get(i)?)?;
        (int(&target.ty) && target.ty != c.ty && target.id != c.id).then_some(target)
    })
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
    if r.fk_types_must_match()
        && let Some(target) = fk_target_integer(cx.project, t, c)
    {
        cx.warn(
            &object,
            format!(
                "{} needs a foreign key column to have the referenced column's type; \
                 widened to the type of `{}`",
                r.dialect().display_name(),
                target.name
            ),
        );
        let widened = Column {
            ty: target.ty.clone(),
            ..c.clone()
        };
        return r.column_type(
            t,
            &widened,
            TypeUse {
                keyed,
                object: &object,
            },
            cx,
        );
    }
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

pub(crate) fn column_list<R: DialectRules + ?Sized>(r: &R, t: &Table, cols: &[ColumnId]) -> String {
    cols.iter()
        .map(|c| r.ident(&t.column_name(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn create_table(
    r: &dyn DialectRules,
    t: &Table,
    fks: &[&ForeignKey],
    cx: &mut Cx,
) -> String {
    let p = cx.project;
    let keyed = keyed_columns(p, t);
    let tname = t.name.clone();
    // (definition, trailing comment)
    let mut lines: Vec<(String, Option<String>)> = Vec::new();
    let mut pk_inline = false;
    let xs = ExprScope::new(r, t, p);
    for c in &t.columns {
        let (def, trailing, inline) = column_definition(r, t, c, keyed.contains(&c.id), &xs, cx);
        pk_inline |= inline;
        lines.push((def, trailing));
    }
    if let Some(pk) = &t.primary_key
        && !pk_inline
    {
        let name = constraint_prefix(r, pk.name.as_deref());
        lines.push((
            format!(
                "{name}PRIMARY KEY ({})",
                r.key_column_list(t, &pk.columns, "primary key", cx)
            ),
            None,
        ));
    }
    for u in &t.uniques {
        let name = constraint_prefix(r, u.name.as_deref());
        lines.push((
            format!(
                "{name}UNIQUE ({})",
                r.key_column_list(t, &u.columns, u.name.as_deref().unwrap_or("unique"), cx)
            ),
            None,
        ));
    }
    for ck in &t.checks {
        let name = constraint_prefix(r, ck.name.as_deref());
        match xs.translate(&ck.expr, Place::Check) {
            Ok(e) => lines.push((format!("{name}CHECK ({})", e.trim()), None)),
            Err(why) => cx.warn(
                &format!("{tname}.{}", ck.name.as_deref().unwrap_or("check")),
                format!("CHECK ({}) not created: {why}", ck.expr.trim()),
            ),
        }
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

/// One column's definition as `CREATE TABLE` writes it (`name type [NOT NULL] [identity]
/// [DEFAULT ..] [COMMENT ..]`), its trailing SQL comment where the dialect keeps comments
/// that way, and whether the identity clause made it the primary key (SQLite).
pub(crate) fn column_definition(
    r: &dyn DialectRules,
    t: &Table,
    c: &Column,
    keyed: bool,
    xs: &ExprScope,
    cx: &mut Cx,
) -> (String, Option<String>, bool) {
    let obj = format!("{}.{}", t.name, c.name);
    let mut pk_inline = false;
    let ty = column_type(r, t, c, keyed, cx);
    let mut def = format!("{} ", r.ident(&c.name));
    let generated = c.generated.as_ref().and_then(|g| {
        match xs.translate(&g.expr, Place::Generated) {
            Ok(e) => Some(Generated {
                expr: e,
                stored: g.stored,
            }),
            Err(why) => {
                cx.warn(
                    &obj,
                    format!(
                        "generation expression `{}` not exported ({why}); created as a plain column",
                        g.expr.trim()
                    ),
                );
                None
            }
        }
    });
    if let Some(g) = &generated {
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
                match xs.translate_default(d, &c.ty) {
                    Ok((d, note)) => {
                        if let Some(note) = note {
                            cx.warn(
                                &obj,
                                format!(
                                    "default `{}`: {note}",
                                    c.default.as_deref().unwrap_or("").trim()
                                ),
                            );
                        }
                        def.push_str(" DEFAULT ");
                        def.push_str(&r.default_expr(&d, c, cx));
                    }
                    Err(why) => cx.warn(&obj, format!("default `{}` dropped: {why}", d.trim())),
                }
            }
        }
        if let Some(u) = c.on_update.as_deref().filter(|_| r.on_update()) {
            match xs.translate(u, Place::Default) {
                Ok(e) => {
                    def.push_str(" ON UPDATE ");
                    def.push_str(&e);
                }
                Err(why) => cx.warn(&obj, format!("ON UPDATE `{}` dropped: {why}", u.trim())),
            }
        }
    }
    if generated.is_some() && !c.nullable {
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
    (def, trailing, pk_inline)
}

/// `CONSTRAINT name ` for a named constraint, nothing for an unnamed one.
pub(crate) fn constraint_prefix(r: &dyn DialectRules, name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", r.ident(&fit_name(r.dialect(), n))))
        .unwrap_or_default()
}

/// A constraint or index name the dialect takes: names longer than MySQL's 64 or SQL Server's
/// 128 characters (which they reject) are cut and given a short hash of the whole name, so
/// that two long names sharing a beginning stay apart. The length warning names the object.
pub(crate) fn fit_name(d: Dialect, name: &str) -> std::borrow::Cow<'_, str> {
    match d.max_identifier_len() {
        Some(max) if d != Dialect::Postgres && d.identifier_len(name) > max => {
            // FNV-1a: stable across runs and platforms.
            let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
            let keep: String = name.chars().take(max - 9).collect();
            format!("{keep}_{:08x}", hash as u32).into()
        }
        _ => name.into(),
    }
}

/// `[CONSTRAINT name] FOREIGN KEY (...) REFERENCES t (...) [ON DELETE ..] [ON UPDATE ..] [DEFERRABLE ..]`
pub(crate) fn fk_clause(r: &dyn DialectRules, fk: &ForeignKey, cx: &mut Cx) -> String {
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
    // SET NULL on a NOT NULL column can only fail where the engine accepts it: the delete or
    // update is refused, which is what NO ACTION does.
    let not_null = fk
        .from_columns
        .iter()
        .filter_map(|c| from.column(*c))
        .find(|c| !c.nullable)
        .map(|c| c.name.clone());
    let action = |a: FkAction, when: &str, cx: &mut Cx| match (&not_null, a) {
        (Some(col), FkAction::SetNull) if r.set_null_needs_nullable() => {
            cx.warn(
                &obj,
                format!(
                    "{} rejects ON {when} SET NULL on the NOT NULL column `{col}`; written as NO ACTION (the {} fails either way)",
                    r.dialect().display_name(),
                    when.to_lowercase()
                ),
            );
            None
        }
        _ => r.fk_action(a, &obj, cx),
    };
    if let Some(a) = action(fk.on_delete, "DELETE", cx) {
        s.push_str(&format!(" ON DELETE {a}"));
    }
    if let Some(a) = action(fk.on_update, "UPDATE", cx) {
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
/// PostgreSQL (per schema) and SQLite (per database) keep index names in one namespace with
/// tables, where MySQL and SQL Server scope them to their table: a copy of the project with
/// clashing index and key-constraint names made unique (`table_name`), or `None` when no name
/// clashes. Each rename is a warning.
fn unique_index_names(
    p: &Project,
    dialect: Dialect,
    warnings: &mut Vec<ExportWarning>,
) -> Option<Project> {
    if !matches!(dialect, Dialect::Postgres | Dialect::Sqlite) {
        return None;
    }
    let max = if dialect == Dialect::Postgres {
        63
    } else {
        usize::MAX
    };
    let ns = |schema: Option<&str>| match dialect {
        Dialect::Postgres => schema.unwrap_or("public").to_lowercase(),
        _ => String::new(),
    };
    let key =
        |schema: Option<&str>, name: &str| (ns(schema), truncate_bytes(name, max).to_lowercase());
    let mut taken: std::collections::HashSet<(String, String)> = p
        .tables()
        .map(|t| key(t.schema.as_deref(), &t.name))
        .chain(p.views().map(|v| key(v.schema.as_deref(), &v.name)))
        .collect();
    let mut changed: Vec<Table> = Vec::new();
    for t in p.tables() {
        let mut copy: Option<Table> = None;
        let schema = t.schema.as_deref();
        let mut claim = |name: &str, object: &str| -> Option<String> {
            if taken.insert(key(schema, name)) {
                return None;
            }
            let base = format!("{}_{name}", t.name);
            let mut candidate = truncate_bytes(&base, max).to_string();
            let mut n = 2;
            while !taken.insert(key(schema, &candidate)) {
                let suffix = format!("_{n}");
                candidate = format!(
                    "{}{suffix}",
                    truncate_bytes(&base, max.saturating_sub(suffix.len()))
                );
                n += 1;
            }
            warnings.push(ExportWarning {
                object: format!("{}.{name}", t.name),
                message: format!(
                    "{} {object} name `{name}` is already used in this {}; written as `{candidate}`",
                    dialect.display_name(),
                    if dialect == Dialect::Postgres { "schema" } else { "database" }
                ),
            });
            Some(candidate)
        };
        if dialect == Dialect::Postgres {
            if let Some(name) = t.primary_key.as_ref().and_then(|k| k.name.clone())
                && let Some(new) = claim(&name, "primary key")
            {
                copy.get_or_insert_with(|| t.clone())
                    .primary_key
                    .as_mut()
                    .expect("has a primary key")
                    .name = Some(new);
            }
            for (i, u) in t.uniques.iter().enumerate() {
                if let Some(name) = &u.name
                    && let Some(new) = claim(name, "unique constraint")
                {
                    copy.get_or_insert_with(|| t.clone()).uniques[i].name = Some(new);
                }
            }
        }
        for (i, ix) in t.indexes.iter().enumerate() {
            if let Some(new) = claim(&ix.name, "index") {
                copy.get_or_insert_with(|| t.clone()).indexes[i].name = new;
            }
        }
        changed.extend(copy);
    }
    if changed.is_empty() {
        return None;
    }
    let mut out = p.clone();
    for t in changed {
        Command::ReplaceTable(Box::new(t))
            .apply(&mut out)
            .expect("renaming indexes keeps the table valid");
    }
    Some(out)
}

/// One MySQL constraint namespace (foreign keys, or CHECK constraints): names per database,
/// compared case-insensitively within 64 characters.
struct ConstraintNames {
    what: &'static str,
    /// Every name the project uses, and every name given out.
    taken: std::collections::HashSet<(String, String)>,
    /// The names met so far, in claiming order.
    seen: std::collections::HashSet<(String, String)>,
}

impl ConstraintNames {
    const MAX: usize = 64;

    fn fit(s: &str, room: usize) -> String {
        s.chars().take(room).collect()
    }

    fn key(schema: Option<&str>, name: &str) -> (String, String) {
        (
            schema.unwrap_or("").to_lowercase(),
            Self::fit(name, Self::MAX).to_lowercase(),
        )
    }

    fn new<'a>(
        what: &'static str,
        names: impl Iterator<Item = (Option<&'a str>, &'a str)>,
    ) -> Self {
        ConstraintNames {
            what,
            taken: names.map(|(s, n)| Self::key(s, n)).collect(),
            seen: Default::default(),
        }
    }

    /// `None` the first time `name` is met in `t`'s database; for a repeat, a free name
    /// (`name_2`, `name_3`, ...) and a warning.
    fn claim(
        &mut self,
        t: &Table,
        name: &str,
        warnings: &mut Vec<ExportWarning>,
    ) -> Option<String> {
        let schema = t.schema.as_deref();
        if self.seen.insert(Self::key(schema, name)) {
            return None;
        }
        let mut n = 2;
        let candidate = loop {
            let suffix = format!("_{n}");
            let c = format!(
                "{}{suffix}",
                Self::fit(name, Self::MAX - suffix.chars().count())
            );
            if self.taken.insert(Self::key(schema, &c)) {
                break c;
            }
            n += 1;
        };
        warnings.push(ExportWarning {
            object: format!("{}.{name}", t.name),
            message: format!(
                "MySQL/MariaDB {} names are unique per database and `{name}` is already \
                 used; written as `{candidate}` (migrations use the same name)",
                self.what
            ),
        });
        Some(candidate)
    }
}

/// MySQL/MariaDB: foreign key names, and CHECK constraint names, are unique per database
/// (InnoDB refuses a second `fk_user` anywhere in the schema: errno 121), while PostgreSQL and
/// SQLite scope them per table. A copy of the project where every repeated name but the first
/// (by table order, then position) becomes `name_2`, `name_3`, ... (within 64 characters), or
/// `None` when no name repeats; each rename is a warning. Deterministic, so migrations
/// ([`crate::sql::migrate::plan`]) name the constraints as the export did.
pub(crate) fn unique_constraint_names(
    p: &Project,
    dialect: Dialect,
    warnings: &mut Vec<ExportWarning>,
) -> Option<Project> {
    if dialect != Dialect::MySql {
        return None;
    }
    let order = table_order(p);
    // Foreign keys of each table in id order; the tables in export order.
    let mut fks: Vec<&ForeignKey> = Vec::new();
    for t in &order {
        let mut own: Vec<&ForeignKey> = p.foreign_keys_from(*t);
        own.sort_by_key(|f| f.id);
        fks.extend(own);
    }
    let named_fks = fks.iter().filter_map(|f| {
        let t = p.table(f.from_table)?;
        Some((t.schema.as_deref(), f.name.as_deref()?))
    });
    let mut fk_names = ConstraintNames::new("foreign key", named_fks);
    let mut fk_new: Vec<ForeignKey> = Vec::new();
    for f in fks {
        let (Some(name), Some(t)) = (f.name.as_deref(), p.table(f.from_table)) else {
            continue;
        };
        if let Some(new) = fk_names.claim(t, name, warnings) {
            let mut g = f.clone();
            g.name = Some(new);
            fk_new.push(g);
        }
    }
    let named_checks = p.tables().flat_map(|t| {
        t.checks
            .iter()
            .filter_map(move |c| Some((t.schema.as_deref(), c.name.as_deref()?)))
    });
    let mut ck_names = ConstraintNames::new("CHECK constraint", named_checks);
    let mut tables_new: Vec<Table> = Vec::new();
    for id in &order {
        let Some(t) = p.table(*id) else { continue };
        let mut copy: Option<Table> = None;
        for (i, c) in t.checks.iter().enumerate() {
            if let Some(name) = c.name.as_deref()
                && let Some(new) = ck_names.claim(t, name, warnings)
            {
                copy.get_or_insert_with(|| t.clone()).checks[i].name = Some(new);
            }
        }
        tables_new.extend(copy);
    }
    if fk_new.is_empty() && tables_new.is_empty() {
        return None;
    }
    let mut out = p.clone();
    for t in tables_new {
        Command::ReplaceTable(Box::new(t))
            .apply(&mut out)
            .expect("renaming checks keeps the table valid");
    }
    for f in fk_new {
        Command::UpdateForeignKey(Box::new(f))
            .apply(&mut out)
            .expect("renaming a foreign key keeps it valid");
    }
    Some(out)
}

/// For a dialect without table partitioning: a copy of the project where each partition is an
/// ordinary table that also has what it had through its parent (PostgreSQL applies the
/// parent's primary key, unique constraints, checks, indexes and foreign keys to every
/// partition), or `None` when nothing is partitioned. Each parent and each partition is a
/// warning.
/// `p` without `ON UPDATE` clauses, for a dialect that has none (each one a warning), or `None`
/// when no column has one.
pub(crate) fn without_on_update(
    p: &Project,
    dialect: Dialect,
    warnings: &mut Vec<ExportWarning>,
) -> Option<Project> {
    let cols: Vec<(TableId, Column)> = p
        .tables()
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| c.on_update.is_some())
                .map(move |c| (t.id, c.clone()))
        })
        .collect();
    if cols.is_empty() {
        return None;
    }
    let mut out = p.clone();
    for (table, mut c) in cols {
        let t = p.table(table).expect("listed table exists");
        warnings.push(ExportWarning {
            object: format!("{}.{}", t.name, c.name),
            message: format!(
                "ON UPDATE {} left out: {} has no such clause (a BEFORE UPDATE trigger does it)",
                c.on_update.as_deref().unwrap_or("").trim(),
                dialect.display_name()
            ),
        });
        c.on_update = None;
        Command::UpdateColumn {
            table,
            column: Box::new(c),
        }
        .apply(&mut out)
        .expect("a column without ON UPDATE is still valid");
    }
    Some(out)
}

pub(crate) fn flatten_partitions(
    p: &Project,
    dialect: Dialect,
    warnings: &mut Vec<ExportWarning>,
) -> Option<Project> {
    if !p
        .tables()
        .any(|t| t.partition_of.is_some() || t.partition_by.is_some())
    {
        return None;
    }
    let d = dialect.display_name();
    for t in p.tables() {
        if let Some(by) = &t.partition_by {
            warnings.push(ExportWarning {
                object: t.name.clone(),
                message: format!(
                    "{d} export leaves out PARTITION BY {by}: the table holds its own rows and \
                     its partitions are separate tables"
                ),
            });
        }
    }
    // Parents before their partitions, so that a sub-partition gets what its parent got.
    let depth = |t: &Table| {
        let mut n = 0;
        let mut cur = t.partition_of.as_ref().map(|o| o.parent);
        while let Some(id) = cur.filter(|_| n <= p.table_count()) {
            n += 1;
            cur = p
                .table(id)
                .and_then(|x| x.partition_of.as_ref())
                .map(|o| o.parent);
        }
        n
    };
    let mut children: Vec<(usize, TableId)> = p
        .tables()
        .filter(|t| t.partition_of.is_some())
        .map(|t| (depth(t), t.id))
        .collect();
    children.sort();
    let mut out = p.clone();
    for (_, cid) in children {
        let mut t = out.table(cid).expect("listed").clone();
        let of = t.partition_of.take().expect("a partition");
        let Some(parent) = out.table(of.parent).cloned() else {
            continue;
        };
        let map = |t: &Table, c: ColumnId| t.column_by_name(&parent.column_name(c)).map(|c| c.id);
        let map_all = |t: &Table, cs: &[ColumnId]| -> Option<Vec<ColumnId>> {
            cs.iter().map(|c| map(t, *c)).collect()
        };
        let mut added = Vec::new();
        if t.primary_key.is_none()
            && let Some(cols) = parent
                .primary_key
                .as_ref()
                .and_then(|k| map_all(&t, &k.columns))
        {
            t.primary_key = Some(PrimaryKey {
                name: None,
                columns: cols,
            });
            added.push("primary key".to_string());
        }
        for u in &parent.uniques {
            if let Some(cols) = map_all(&t, &u.columns)
                && !t.uniques.iter().any(|x| x.columns == cols)
            {
                let id = ConstraintId(out.alloc_id());
                t.uniques.push(UniqueConstraint {
                    id,
                    name: None,
                    columns: cols,
                });
                added.push("unique constraint".into());
            }
        }
        for ck in &parent.checks {
            if !t.checks.iter().any(|x| x.expr == ck.expr) {
                let id = ConstraintId(out.alloc_id());
                t.checks.push(CheckConstraint {
                    id,
                    name: None,
                    expr: ck.expr.clone(),
                });
                added.push("check".into());
            }
        }
        for ix in &parent.indexes {
            let mut copy = ix.clone();
            let mut ok = true;
            for part in &mut copy.parts {
                if let IndexTarget::Column(c) = &mut part.target {
                    match map(&t, *c) {
                        Some(n) => *c = n,
                        None => ok = false,
                    }
                }
            }
            match map_all(&t, &ix.include) {
                Some(inc) => copy.include = inc,
                None => ok = false,
            }
            let same = |x: &Index| {
                x.unique == copy.unique
                    && x.where_clause == copy.where_clause
                    && x.parts.len() == copy.parts.len()
                    && x.parts
                        .iter()
                        .zip(&copy.parts)
                        .all(|(a, b)| a.target == b.target)
            };
            if ok && !t.indexes.iter().any(same) {
                copy.id = IndexId(out.alloc_id());
                copy.name = format!("{}_{}", t.name, ix.name);
                t.indexes.push(copy);
                added.push(format!("index {}", ix.name));
            }
        }
        let fks: Vec<ForeignKey> = out
            .foreign_keys_from(parent.id)
            .into_iter()
            .cloned()
            .collect();
        let own: Vec<ForeignKey> = out.foreign_keys_from(cid).into_iter().cloned().collect();
        Command::ReplaceTable(Box::new(t.clone()))
            .apply(&mut out)
            .expect("a partition with its parent's keys stays valid");
        for fk in fks {
            let Some(cols) = map_all(&t, &fk.from_columns) else {
                continue;
            };
            // A key of the parent to itself points at the parent, as in PostgreSQL.
            if own.iter().any(|x| {
                x.from_columns == cols && x.to_table == fk.to_table && x.to_columns == fk.to_columns
            }) {
                continue;
            }
            let key = ForeignKey {
                id: ForeignKeyId(out.alloc_id()),
                name: fk.name.as_ref().map(|n| format!("{}_{n}", t.name)),
                from_table: cid,
                from_columns: cols,
                ..fk.clone()
            };
            if Command::AddForeignKey(Box::new(key))
                .apply(&mut out)
                .is_ok()
            {
                added.push(format!(
                    "foreign key {}",
                    fk.name.clone().unwrap_or_default()
                ));
            }
        }
        warnings.push(ExportWarning {
            object: t.name.clone(),
            message: format!(
                "{d} has no table partitions: this partition of `{}` ({}) is written as an \
                 ordinary table{}",
                parent.name,
                of.bound,
                if added.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", given what it has through its parent: {}",
                        added.join(", ")
                    )
                }
            ),
        });
    }
    Some(out)
}

/// Warn about index part details the dialect leaves out (prefix lengths, operator classes).
pub(crate) fn index_part_warnings(r: &dyn DialectRules, t: &Table, ix: &Index, cx: &mut Cx) {
    let obj = format!("{}.{}", t.name, ix.name);
    for part in &ix.parts {
        let col = match &part.target {
            IndexTarget::Column(c) => t.column_name(*c),
            IndexTarget::Expr(e) => e.clone(),
        };
        if let Some(n) = part.prefix.filter(|_| !r.index_prefixes()) {
            cx.warn(
                &obj,
                format!(
                    "{} has no index prefix lengths; the whole of `{col}` is indexed instead of its first {n}{}",
                    r.dialect().display_name(),
                    if ix.unique {
                        " (a stricter uniqueness)"
                    } else {
                        ""
                    }
                ),
            );
        }
        if let Some(oc) = part.opclass.as_deref().filter(|_| !r.operator_classes()) {
            cx.warn(
                &obj,
                format!(
                    "{} has no operator classes; `{oc}` on `{col}` left out",
                    r.dialect().display_name()
                ),
            );
        }
    }
}

/// Key parts as the dialect writes them (a primary key or unique constraint is a list of
/// plain column parts).
pub(crate) fn index_parts(
    r: &dyn DialectRules,
    t: &Table,
    parts: &[IndexPart],
    expr: impl Fn(&str) -> String,
) -> Vec<String> {
    parts
        .iter()
        .map(|part| {
            let mut s = match &part.target {
                IndexTarget::Column(c) => r.ident(&t.column_name(*c)),
                IndexTarget::Expr(e) => expr(e),
            };
            if let Some(n) = part.prefix.filter(|_| r.index_prefixes()) {
                s.push_str(&format!("({n})"));
            }
            if let Some(oc) = part.opclass.as_deref().filter(|_| r.operator_classes()) {
                s.push(' ');
                s.push_str(oc);
            }
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
    let max = d.max_identifier_len();
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
    let r = rules(d);
    for (obj, name) in &names {
        if let Some(why) = r.unstorable_identifier(name) {
            cx.warn(obj, why);
        }
    }
    let Some(max) = max else {
        return;
    };
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

/// Views in an order that can create them: a view that names another view comes after it
/// (names found as words in the query). Views that name each other in a cycle cannot be
/// created in any order: they come last, in id order, with a warning.
pub fn view_order<'p>(p: &'p Project, cx: &mut Cx) -> Vec<&'p View> {
    let views: Vec<&View> = p.views().collect();
    let lower: Vec<String> = views.iter().map(|v| v.sql.to_lowercase()).collect();
    let names: Vec<String> = views.iter().map(|v| v.name.to_lowercase()).collect();
    // needs[i]: the views view i names (itself excluded: a recursive view).
    let needs: Vec<Vec<usize>> = (0..views.len())
        .map(|i| {
            (0..views.len())
                .filter(|&j| j != i && util::contains_word(&lower[i], &names[j]))
                .collect()
        })
        .collect();
    let mut done = vec![false; views.len()];
    let mut out = Vec::with_capacity(views.len());
    loop {
        let ready: Vec<usize> = (0..views.len())
            .filter(|&i| !done[i] && needs[i].iter().all(|&j| done[j]))
            .collect();
        if ready.is_empty() {
            break;
        }
        for i in ready {
            done[i] = true;
            out.push(views[i]);
        }
    }
    let stuck: Vec<usize> = (0..views.len()).filter(|&i| !done[i]).collect();
    if !stuck.is_empty() {
        let list: Vec<&str> = stuck.iter().map(|&i| views[i].name.as_str()).collect();
        cx.warn(
            &list.join(", "),
            "these views name each other in a cycle: no order can create them (the script \
             will fail on the first); break the cycle",
        );
        out.extend(stuck.into_iter().map(|i| views[i]));
    }
    out
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

/// Refuse expression or query text that would not stay one expression in a `d` script (see
/// [`crate::model::sql_text::check_expression_for`]: MySQL's `#` comments).
pub(crate) fn writable(text: &str, d: Dialect) -> Result<(), String> {
    crate::model::sql_text::check_expression_for(text, d)
        .map_err(|e| format!("cannot be written for {} as it is: {e}", d.display_name()))
}

/// A table's expressions (defaults, checks, generated columns, index expressions and
/// predicates), translated from the dialect the project's expressions are written in
/// (hand-written ones count as PostgreSQL) to the target.
pub(crate) struct ExprScope<'a> {
    r: &'a dyn DialectRules,
    from: Dialect,
    columns: Vec<&'a str>,
}

impl<'a> ExprScope<'a> {
    pub(crate) fn new(r: &'a dyn DialectRules, t: &'a Table, p: &Project) -> Self {
        ExprScope {
            r,
            from: p.settings().expression_dialect.unwrap_or(Dialect::Postgres),
            columns: t.columns.iter().map(|c| c.name.as_str()).collect(),
        }
    }

    fn scope(&self, place: Place) -> expr::Scope<'_> {
        expr::Scope {
            place,
            columns: &self.columns,
        }
    }

    pub(crate) fn translate(&self, e: &str, place: Place) -> Result<String, String> {
        let out = expr::translate_in(e, self.from, self.r.dialect(), self.r, &self.scope(place))?;
        writable(&out, self.r.dialect())?;
        Ok(out)
    }

    /// A default in the target dialect, and a note when it was kept or translated with a
    /// change the user should know about.
    pub(crate) fn translate_default(
        &self,
        e: &str,
        ty: &LogicalType,
    ) -> Result<(String, Option<String>), String> {
        let out = expr::translate_default_noted(
            e,
            ty,
            self.from,
            self.r.dialect(),
            self.r,
            &self.scope(Place::Default),
        )?;
        writable(&out.0, self.r.dialect())?;
        Ok(out)
    }
}

/// `ix` with its expressions and predicate in the target dialect. `Err` is the text kept as a
/// comment when the index cannot be written there (with a warning); a non-unique partial
/// index whose predicate cannot be translated is created without it (with a warning).
pub(crate) fn translate_index<'i>(
    r: &dyn DialectRules,
    t: &Table,
    ix: &'i Index,
    cx: &mut Cx,
) -> Result<std::borrow::Cow<'i, Index>, String> {
    let xs = ExprScope::new(r, t, cx.project);
    if xs.from == r.dialect() {
        return Ok(std::borrow::Cow::Borrowed(ix));
    }
    let obj = format!("{}.{}", t.name, ix.name);
    let skipped = |what: &str, e: &str, why: &str| {
        format!(
            "index {} on {}: {what} `{}` not translated to {}: {why}",
            ix.name,
            t.name,
            e.trim(),
            r.dialect().display_name()
        )
    };
    let mut out = ix.clone();
    for part in &mut out.parts {
        if let IndexTarget::Expr(e) = &mut part.target {
            match xs.translate(e, Place::Index) {
                Ok(s) => *e = s,
                Err(why) => {
                    cx.warn(
                        &obj,
                        format!("index not created: expression `{}`: {why}", e.trim()),
                    );
                    return Err(skipped("expression", e, &why));
                }
            }
        }
    }
    if let Some(w) = &ix.where_clause {
        match xs.translate(w, Place::Index) {
            Ok(s) => out.where_clause = Some(s),
            Err(why) if ix.unique => {
                cx.warn(
                    &obj,
                    format!(
                        "unique index not created: its WHERE `{}` cannot be written ({why}), and without it valid rows would be rejected",
                        w.trim()
                    ),
                );
                return Err(skipped("WHERE", w, &why));
            }
            Err(why) => {
                cx.warn(
                    &obj,
                    format!("index created without its WHERE `{}`: {why}", w.trim()),
                );
                out.where_clause = None;
            }
        }
    }
    Ok(std::borrow::Cow::Owned(out))
}
