//! Model validation behind `crowfoot check`: problems that make a project wrong or
//! unexportable, each with a stable code, a severity and the object it concerns. The CF rules
//! (name, default severity, rationale, fixtures) are catalogued in `analysis::rules`
//! (`rules/validation.rs`); [`check`] is the family's runner.

use crate::model::*;
use crate::sql::dialect::NameScope;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The one severity of every rule family.
pub use super::rules::Severity;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Stable identifier, e.g. `CF003`.
    pub code: &'static str,
    pub severity: Severity,
    /// The object concerned, e.g. `orders.customer_id`.
    pub object: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        write!(f, "{sev}[{}] {}: {}", self.code, self.object, self.message)
    }
}

impl Problem {
    /// A problem of rule `code`, with the catalogue's default severity.
    pub fn of_rule(
        code: &'static str,
        object: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            code,
            severity: super::rules::severity(code),
            object: object.into(),
            message: message.into(),
        }
    }
}

/// Push a problem of rule `code` with the catalogue's default severity (the rule units'
/// common step: lint, security, distribution).
pub(crate) fn push(out: &mut Vec<Problem>, code: &'static str, object: String, message: String) {
    out.push(Problem::of_rule(code, object, message));
}

struct Sink(Vec<Problem>);

impl Sink {
    /// A problem of rule `code`, with the catalogue's default severity.
    fn push(&mut self, code: &'static str, object: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem::of_rule(code, object, message));
    }
}

/// Validate `p` for `dialect` (identifier lengths depend on it).
pub fn check(p: &Project, dialect: Dialect) -> Vec<Problem> {
    let mut s = Sink(Vec::new());

    // Table names per schema.
    let mut seen: BTreeMap<(Option<&str>, &str), usize> = BTreeMap::new();
    for t in p.tables() {
        *seen
            .entry((t.schema.as_deref(), t.name.as_str()))
            .or_default() += 1;
    }
    for ((schema, name), n) in seen {
        if n > 1 {
            let q = schema
                .map(|s| format!("{s}.{name}"))
                .unwrap_or(name.to_string());
            s.push("CF002", q, format!("{n} tables share this name"));
        }
    }
    // Index names: per schema in PostgreSQL/SQLite/SQL Server-ish tools; per table in MySQL.
    let mut index_names: BTreeMap<(Option<&str>, &str), Vec<&str>> = BTreeMap::new();
    for t in p.tables() {
        let tq = t.qualified_name();
        if t.name.trim().is_empty() {
            s.push(
                "CF008",
                format!("table #{}", t.id),
                "table has an empty name",
            );
        }
        let mut cols = BTreeSet::new();
        for c in &t.columns {
            if c.name.trim().is_empty() {
                s.push(
                    "CF008",
                    format!("{tq}.#{}", c.id),
                    "column has an empty name",
                );
            }
            if !cols.insert(c.name.as_str()) {
                s.push(
                    "CF002",
                    format!("{tq}.{}", c.name),
                    "column name used twice in the table",
                );
            }
            check_type(p, &c.ty, &format!("{tq}.{}", c.name), &mut s);
        }
        let dangling = |cols: &[ColumnId], what: &str, s: &mut Sink| {
            for c in cols {
                if t.column(*c).is_none() {
                    s.push(
                        "CF001",
                        tq.clone(),
                        format!("{what} refers to missing column #{c}"),
                    );
                }
            }
        };
        match &t.primary_key {
            Some(pk) => dangling(&pk.columns, "primary key", &mut s),
            None => s.push("CF005", tq.clone(), "table has no primary key"),
        }
        for u in &t.uniques {
            dangling(&u.columns, "unique constraint", &mut s);
        }
        for ix in &t.indexes {
            let cols: Vec<ColumnId> = ix
                .parts
                .iter()
                .filter_map(|p| p.target.column())
                .chain(ix.include.iter().copied())
                .collect();
            dangling(&cols, &format!("index {}", ix.name), &mut s);
            let scope = match crate::sql::dialect::rules(dialect).index_namespace() {
                NameScope::Table => Some(t.name.as_str()),
                NameScope::Schema => t.schema.as_deref(),
                NameScope::Database => None,
            };
            index_names
                .entry((scope, ix.name.as_str()))
                .or_default()
                .push(&t.name);
        }
        check_lengths(t, dialect, &mut s);
    }
    for ((_, name), tables) in index_names {
        if tables.len() > 1 {
            s.push(
                "CF002",
                name.to_string(),
                format!(
                    "index name used {} times ({})",
                    tables.len(),
                    tables.join(", ")
                ),
            );
        }
    }

    for fk in p.foreign_keys() {
        check_fk(p, fk, &mut s);
    }

    for v in p.views() {
        for t in &v.depends_on {
            if p.table(*t).is_none() {
                s.push(
                    "CF001",
                    v.name.clone(),
                    format!("view depends on missing table #{t}"),
                );
            }
        }
    }
    s.0
}

/// CF003, CF004, CF007: one foreign key against its tables.
fn check_fk(p: &Project, fk: &crate::model::ForeignKey, s: &mut Sink) {
    let (Some(from), Some(to)) = (p.table(fk.from_table), p.table(fk.to_table)) else {
        return; // the graph guarantees both ends exist
    };
    let obj = fk
        .name
        .clone()
        .unwrap_or_else(|| format!("{} -> {}", from.qualified_name(), to.qualified_name()));
    let to_cols = fk.target_columns(to);
    if fk.from_columns.len() != to_cols.len() {
        s.push(
            "CF003",
            obj.clone(),
            format!(
                "{} referencing column(s) but {} referenced",
                fk.from_columns.len(),
                to_cols.len()
            ),
        );
    } else {
        for (a, b) in fk.from_columns.iter().zip(to_cols) {
            if let (Some(ca), Some(cb)) = (from.column(*a), to.column(*b))
                && (ca.ty != cb.ty || ca.type_overrides != cb.type_overrides)
            {
                s.push(
                    "CF004",
                    format!("{}.{}", from.qualified_name(), ca.name),
                    format!(
                        "type {} differs from referenced {}.{} ({})",
                        ca.ty.describe(),
                        to.qualified_name(),
                        cb.name,
                        cb.ty.describe()
                    ),
                );
            }
        }
    }
    let target: BTreeSet<ColumnId> = to_cols.iter().copied().collect();
    let is_key = to
        .primary_key
        .as_ref()
        .is_some_and(|k| k.columns.iter().copied().collect::<BTreeSet<_>>() == target)
        || to
            .uniques
            .iter()
            .any(|u| u.columns.iter().copied().collect::<BTreeSet<_>>() == target)
        || to.indexes.iter().any(|i| {
            i.unique
                && i.where_clause.is_none()
                && i.parts.len() == target.len()
                && i.parts
                    .iter()
                    .all(|p| matches!(p.target, IndexTarget::Column(c) if target.contains(&c)))
        });
    if !is_key && !target.is_empty() {
        s.push(
            "CF007",
            obj,
            format!(
                "referenced columns of {} are not its primary key or a unique constraint",
                to.qualified_name()
            ),
        );
    }
}

/// The foreign keys with an error-level problem of their own (CF003, CF004, CF007): the
/// statements that add them would fail.
pub fn failing_foreign_keys(p: &Project) -> Vec<crate::model::ForeignKeyId> {
    p.foreign_keys()
        .filter(|fk| {
            let mut s = Sink(Vec::new());
            check_fk(p, fk, &mut s);
            s.0.iter().any(|x| x.severity == Severity::Error)
        })
        .map(|fk| fk.id)
        .collect()
}

fn check_type(p: &Project, ty: &LogicalType, obj: &str, s: &mut Sink) {
    match ty {
        LogicalType::Enum(id) if p.enum_type(*id).is_none() => {
            s.push("CF001", obj, format!("type refers to missing enum #{id}"))
        }
        LogicalType::Array(inner) => check_type(p, inner, obj, s),
        _ => {}
    }
}

fn check_lengths(t: &Table, d: Dialect, s: &mut Sink) {
    let Some(max) = d.max_identifier_len() else {
        return;
    };
    let tq = t.qualified_name();
    let mut names: Vec<(String, &str)> = vec![(tq.clone(), &t.name)];
    names.extend(
        t.columns
            .iter()
            .map(|c| (format!("{tq}.{}", c.name), c.name.as_str())),
    );
    names.extend(
        t.indexes
            .iter()
            .map(|i| (format!("{tq}.{}", i.name), i.name.as_str())),
    );
    names.extend(
        t.uniques
            .iter()
            .filter_map(|u| u.name.as_deref())
            .map(|n| (format!("{tq}.{n}"), n)),
    );
    names.extend(
        t.checks
            .iter()
            .filter_map(|u| u.name.as_deref())
            .map(|n| (format!("{tq}.{n}"), n)),
    );
    for (obj, name) in names {
        let len = d.identifier_len(name);
        if len > max {
            s.push(
                "CF006",
                obj,
                format!("name is {len} long; {} allows {max}", d.display_name()),
            );
        }
    }
}
