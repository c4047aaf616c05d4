//! Index lint: rules with stable ids (after ruff), each a small unit with a rationale, its own
//! positive and negative tests (`tests/index_lint.rs`) and, where one exists, a fix that is an
//! undoable model command. The IX rules (name, default severity, rationale, dialects, fixtures)
//! are catalogued in `analysis::rules` (`rules/index.rs`); [`lint`] is the family's runner and
//! takes each rule's severity and dialects from there.
//!
//! Precision comes first: a rule fires only when its claim holds for every engine the target
//! dialect stands for. Indexes are compared on their full definition: key parts (column or
//! normalized expression, direction, prefix length, operator class), uniqueness, partial
//! predicate, INCLUDE columns and method. Only B-tree indexes (no method, or `btree`) are
//! compared for redundancy; a unique or partial index is never called redundant of a plain one.

use super::rules::{self, Rule};
use crate::model::*;
use serde::Serialize;
use std::collections::BTreeSet;

/// How much a finding matters: the one [`rules::Severity`] (serialized `warning`, `info`).
pub type Level = rules::Severity;

/// The catalogue entry of an index-lint rule.
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules::get(id).filter(|r| r.family == rules::Family::Index)
}

/// Secondary indexes (indexes plus unique constraints) above which IX005 fires on a
/// write-heavy table.
pub const MAX_INDEXES_WRITE_HEAVY: usize = 5;
/// IX007: the table has at least this many rows (estimate)...
pub const LOW_SELECTIVITY_MIN_ROWS: u64 = 10_000;
/// ...and the leading column at most this many distinct values per row.
pub const LOW_SELECTIVITY_RATIO: f64 = 0.001;

/// What a fix does; [`Fix::command`] builds the undoable command.
#[derive(Clone, Debug, PartialEq)]
pub enum Fix {
    DropIndex {
        table: TableId,
        index: IndexId,
    },
    AddIndex {
        table: TableId,
        columns: Vec<ColumnId>,
    },
    IndexToUnique {
        table: TableId,
        index: IndexId,
    },
    /// Put the key parts in this order (positions in the current key).
    Reorder {
        table: TableId,
        index: IndexId,
        order: Vec<usize>,
    },
}

impl Fix {
    pub fn label(&self, p: &Project) -> String {
        let t = |id: &TableId| p.table(*id);
        match self {
            Fix::DropIndex { table, index } => format!(
                "Drop index {}",
                t(table)
                    .and_then(|t| t.indexes.iter().find(|i| i.id == *index))
                    .map(|i| i.name.as_str())
                    .unwrap_or("?")
            ),
            Fix::AddIndex { table, columns } => {
                let names: Vec<String> = t(table)
                    .map(|t| columns.iter().map(|c| t.column_name(*c)).collect())
                    .unwrap_or_default();
                format!("Add index on ({})", names.join(", "))
            }
            Fix::IndexToUnique { .. } => "Declare as UNIQUE constraint".into(),
            Fix::Reorder {
                table,
                index,
                order,
            } => {
                let names: Vec<String> = t(table)
                    .and_then(|t| {
                        let ix = t.indexes.iter().find(|i| i.id == *index)?;
                        Some(
                            order
                                .iter()
                                .filter_map(|&k| ix.parts.get(k))
                                .map(|p| match &p.target {
                                    IndexTarget::Column(c) => t.column_name(*c),
                                    IndexTarget::Expr(e) => format!("({e})"),
                                })
                                .collect(),
                        )
                    })
                    .unwrap_or_default();
                format!("Reorder as ({})", names.join(", "))
            }
        }
    }

    /// The undoable command (allocates ids in `p` for new objects).
    pub fn command(&self, p: &Project) -> Result<Command, String> {
        match self {
            Fix::Reorder {
                table,
                index,
                order,
            } => {
                let t = p.table(*table).ok_or("no such table")?;
                let mut ix = t
                    .indexes
                    .iter()
                    .find(|i| i.id == *index)
                    .ok_or("no such index")?
                    .clone();
                if order.len() != ix.parts.len() {
                    return Err("the index changed".into());
                }
                ix.parts = order.iter().map(|&k| ix.parts[k].clone()).collect();
                Ok(Command::UpdateIndex {
                    table: *table,
                    index: Box::new(ix),
                })
            }
            Fix::DropIndex { table, index } => Ok(Command::RemoveIndex {
                table: *table,
                id: *index,
            }),
            Fix::AddIndex { table, columns } => {
                let t = p.table(*table).ok_or("no such table")?;
                let parts: Vec<IndexPart> = columns.iter().map(|c| IndexPart::column(*c)).collect();
                let name = super::index_design::index_name(p, t, &parts, false);
                let id = IndexId(p.alloc_id());
                Ok(Command::AddIndex {
                    table: *table,
                    index: Box::new(Index {
                        id,
                        name,
                        unique: false,
                        parts: columns.iter().map(|c| IndexPart::column(*c)).collect(),
                        where_clause: None,
                        include: Vec::new(),
                        method: None,
                    }),
                    at: None,
                })
            }
            Fix::IndexToUnique { table, index } => {
                let t = p.table(*table).ok_or("no such table")?;
                let ix = t
                    .indexes
                    .iter()
                    .find(|i| i.id == *index)
                    .ok_or("no such index")?;
                let columns: Option<Vec<ColumnId>> =
                    ix.parts.iter().map(|part| part.target.column()).collect();
                let columns = columns.ok_or("the index has expressions")?;
                let name = Some(ix.name.clone());
                let id = ConstraintId(p.alloc_id());
                Ok(Command::Named {
                    label: "Declare unique index as constraint".into(),
                    command: Box::new(Command::Batch(vec![
                        Command::RemoveIndex {
                            table: *table,
                            id: *index,
                        },
                        Command::AddUnique {
                            table: *table,
                            unique: UniqueConstraint { id, name, columns },
                            at: None,
                        },
                    ])),
                })
            }
        }
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub level: rules::Severity,
    /// Qualified table name.
    pub table: String,
    /// The index concerned (its name), when there is one.
    pub index: Option<String>,
    pub message: String,
    #[serde(skip)]
    pub table_id: TableId,
    #[serde(skip)]
    pub fix: Option<Fix>,
}

/// A key part normalized for comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Col {
        id: ColumnId,
        desc: bool,
        prefix: Option<u32>,
        opclass: Option<String>,
    },
    Expr {
        text: String,
        desc: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    PrimaryKey,
    Unique,
    Index(IndexId),
}

/// Any index-like structure of a table: primary key, unique constraint or index.
#[derive(Clone, Debug)]
struct Shape {
    origin: Origin,
    name: String,
    unique: bool,
    parts: Vec<Part>,
    predicate: Option<String>,
    include: BTreeSet<ColumnId>,
    /// No method or `btree`.
    btree: bool,
    method: Option<String>,
}

/// Expressions and predicates compared without case, quotes, redundant spaces or outer
/// parentheses.
fn norm_expr(s: &str) -> String {
    let mut t: String = s
        .chars()
        .filter(|c| *c != '"' && *c != '`' && *c != '[' && *c != ']')
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    loop {
        let trimmed = t.trim();
        if trimmed.starts_with('(')
            && trimmed.ends_with(')')
            && balanced(&trimmed[1..trimmed.len() - 1])
        {
            t = trimmed[1..trimmed.len() - 1].to_string();
        } else {
            return trimmed.to_string();
        }
    }
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

fn shapes(t: &Table) -> Vec<Shape> {
    let plain = |cols: &[ColumnId]| {
        cols.iter()
            .map(|c| Part::Col {
                id: *c,
                desc: false,
                prefix: None,
                opclass: None,
            })
            .collect::<Vec<_>>()
    };
    let mut out = Vec::new();
    if let Some(pk) = &t.primary_key
        && !pk.columns.is_empty()
    {
        out.push(Shape {
            origin: Origin::PrimaryKey,
            name: "primary key".into(),
            unique: true,
            parts: plain(&pk.columns),
            predicate: None,
            include: BTreeSet::new(),
            btree: true,
            method: None,
        });
    }
    for u in &t.uniques {
        out.push(Shape {
            origin: Origin::Unique,
            name: u
                .name
                .clone()
                .map(|n| format!("unique constraint {n}"))
                .unwrap_or_else(|| "a unique constraint".into()),
            unique: true,
            parts: plain(&u.columns),
            predicate: None,
            include: BTreeSet::new(),
            btree: true,
            method: None,
        });
    }
    for ix in &t.indexes {
        let parts = ix
            .parts
            .iter()
            .map(|p| {
                let desc = p.order == Some(SortOrder::Desc);
                match &p.target {
                    IndexTarget::Column(c) => Part::Col {
                        id: *c,
                        desc,
                        prefix: p.prefix,
                        opclass: p.opclass.as_ref().map(|o| o.to_lowercase()),
                    },
                    IndexTarget::Expr(e) => Part::Expr {
                        text: norm_expr(e),
                        desc,
                    },
                }
            })
            .collect();
        let method = ix.method.as_ref().map(|m| m.sql_name().to_lowercase());
        out.push(Shape {
            origin: Origin::Index(ix.id),
            name: ix.name.clone(),
            unique: ix.unique,
            parts,
            predicate: ix.where_clause.as_deref().map(norm_expr),
            include: ix.include.iter().copied().collect(),
            btree: method.as_deref().is_none_or(|m| m == "btree"),
            method,
        });
    }
    out
}

impl Shape {
    /// A non-partial B-tree whose leading parts are exactly the columns `cols` (in any order):
    /// it serves lookups by them, such as a foreign key's.
    fn supports(&self, cols: &BTreeSet<ColumnId>) -> bool {
        self.btree
            && self.predicate.is_none()
            && self.parts.len() >= cols.len()
            && self.parts[..cols.len()]
                .iter()
                .map(|p| match p {
                    Part::Col {
                        id, prefix: None, ..
                    } => Some(*id),
                    _ => None,
                })
                .collect::<Option<BTreeSet<ColumnId>>>()
                .is_some_and(|lead| lead == *cols)
    }
}

/// Same key parts, allowing a single-column index either direction (a B-tree is read both
/// ways) and multi-column keys with every direction flipped.
fn same_parts(a: &[Part], b: &[Part]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a == b || flipped(a) == b || (a.len() == 1 && undirected(&a[0]) == undirected(&b[0]))
}

fn flipped(a: &[Part]) -> Vec<Part> {
    a.iter()
        .map(|p| match p.clone() {
            Part::Col {
                id,
                desc,
                prefix,
                opclass,
            } => Part::Col {
                id,
                desc: !desc,
                prefix,
                opclass,
            },
            Part::Expr { text, desc } => Part::Expr { text, desc: !desc },
        })
        .collect()
}

fn undirected(p: &Part) -> Part {
    match p.clone() {
        Part::Col {
            id,
            prefix,
            opclass,
            ..
        } => Part::Col {
            id,
            desc: false,
            prefix,
            opclass,
        },
        Part::Expr { text, .. } => Part::Expr { text, desc: false },
    }
}

/// `a` is a strict left prefix of `b` (directions as in [`same_parts`]).
fn is_prefix(a: &[Part], b: &[Part]) -> bool {
    a.len() < b.len() && same_parts(a, &b[..a.len()])
}

/// Columns a shape's key or INCLUDE list holds.
fn covered_columns(s: &Shape) -> BTreeSet<ColumnId> {
    s.parts
        .iter()
        .filter_map(|p| match p {
            Part::Col {
                id, prefix: None, ..
            } => Some(*id),
            _ => None,
        })
        .chain(s.include.iter().copied())
        .collect()
}

fn finding(r: &str, t: &Table, index: Option<&str>, message: String, fix: Option<Fix>) -> Finding {
    let rule = rule(r).expect("known rule");
    Finding {
        rule: rule.id,
        level: rule.severity,
        table: t.qualified_name(),
        index: index.map(str::to_string),
        message,
        table_id: t.id,
        fix,
    }
}

/// Rule `id` applies to `dialect` (the catalogue's dialects).
fn applies(id: &str, dialect: Dialect) -> bool {
    rule(id).is_some_and(|r| r.applies_to(dialect))
}

/// Lint every table of `p` for `dialect` (rules that do not apply to it are off).
pub fn lint(p: &Project, dialect: Dialect) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in p.tables() {
        lint_table(p, t, dialect, &mut out);
    }
    out
}

/// Lint one table.
pub fn lint_table(p: &Project, t: &Table, dialect: Dialect, out: &mut Vec<Finding>) {
    let shapes = shapes(t);
    let explicit: Vec<(usize, IndexId)> = shapes
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s.origin {
            Origin::Index(id) => Some((i, id)),
            _ => None,
        })
        .collect();
    let mut reported: BTreeSet<IndexId> = BTreeSet::new();
    // IX001 / IX003: an index whose definition another structure already has.
    for &(i, id) in &explicit {
        let a = &shapes[i];
        let twin = shapes.iter().enumerate().find(|(j, b)| {
            *j != i
                && same_parts(&a.parts, &b.parts)
                && a.predicate == b.predicate
                && a.method == b.method
                && a.include.is_subset(&b.include)
                // `a` enforces nothing `b` does not: a unique `a` needs a unique `b`.
                && (b.unique || !a.unique)
                // Of two identical indexes, report the later one only.
                && (a.unique != b.unique || a.include != b.include || !matches!(b.origin, Origin::Index(_)) || *j < i)
        });
        if let Some((_, b)) = twin {
            reported.insert(id);
            let fix = Some(Fix::DropIndex {
                table: t.id,
                index: id,
            });
            if b.origin == Origin::PrimaryKey {
                out.push(finding(
                    "IX003",
                    t,
                    Some(&a.name),
                    format!(
                        "index {} has the primary key's columns: the primary key's own index already serves it",
                        a.name
                    ),
                    fix,
                ));
            } else {
                out.push(finding(
                    "IX001",
                    t,
                    Some(&a.name),
                    format!("index {} duplicates {}", a.name, b.name),
                    fix,
                ));
            }
        }
    }
    // IX002: a non-unique B-tree index that is the left prefix of a longer B-tree structure.
    for &(i, id) in &explicit {
        let a = &shapes[i];
        if reported.contains(&id) || a.unique || !a.btree {
            continue;
        }
        let longer = shapes.iter().enumerate().find(|(j, b)| {
            *j != i
                && b.btree
                && b.predicate == a.predicate
                && is_prefix(&a.parts, &b.parts)
                && a.include.is_subset(&covered_columns(b))
        });
        if let Some((_, b)) = longer {
            reported.insert(id);
            out.push(finding(
                "IX002",
                t,
                Some(&a.name),
                format!(
                    "index {} is the leading part of {}, which serves the same searches",
                    a.name, b.name
                ),
                Some(Fix::DropIndex {
                    table: t.id,
                    index: id,
                }),
            ));
        }
    }
    // IX004: foreign keys whose columns lead no index (MySQL/MariaDB add one themselves).
    if applies("IX004", dialect) {
        for fk in p.foreign_keys_from(t.id) {
            let cols: BTreeSet<ColumnId> = fk.from_columns.iter().copied().collect();
            if cols.is_empty() {
                continue;
            }
            let supported = shapes.iter().any(|s| s.supports(&cols));
            if !supported {
                let names: Vec<String> =
                    fk.from_columns.iter().map(|c| t.column_name(*c)).collect();
                let target = p
                    .table(fk.to_table)
                    .map(|x| x.qualified_name())
                    .unwrap_or_default();
                out.push(finding(
                    "IX004",
                    t,
                    None,
                    format!(
                        "foreign key ({}) to {target} has no index led by its columns: deletes in {target} scan {}",
                        names.join(", "),
                        t.name
                    ),
                    Some(Fix::AddIndex {
                        table: t.id,
                        columns: fk.from_columns.clone(),
                    }),
                ));
            }
        }
    }
    // IX005: too many indexes on a write-heavy table.
    if t.stats.as_ref().is_some_and(|s| s.write_heavy) {
        let n = t.indexes.len() + t.uniques.len();
        if n > MAX_INDEXES_WRITE_HEAVY {
            out.push(finding(
                "IX005",
                t,
                None,
                format!(
                    "{n} secondary indexes on a write-heavy table (more than {MAX_INDEXES_WRITE_HEAVY}): each is maintained on every insert"
                ),
                least_useful(p, t).map(|index| Fix::DropIndex { table: t.id, index }),
            ));
        }
    }
    // IX006: plain unique indexes as constraints (where the two differ).
    if applies("IX006", dialect) {
        for &(i, id) in &explicit {
            let a = &shapes[i];
            let plain = a.unique
                && a.btree
                && a.predicate.is_none()
                && a.include.is_empty()
                && a.parts.iter().all(|p| {
                    matches!(
                        p,
                        Part::Col {
                            desc: false,
                            prefix: None,
                            opclass: None,
                            ..
                        }
                    )
                });
            if plain && !reported.contains(&id) {
                out.push(finding(
                    "IX006",
                    t,
                    Some(&a.name),
                    format!(
                        "unique index {} on plain columns: declare it as a UNIQUE constraint",
                        a.name
                    ),
                    Some(Fix::IndexToUnique {
                        table: t.id,
                        index: id,
                    }),
                ));
            }
        }
    }
    // IX007: low-selectivity leading column, from the table's estimates.
    if let Some(st) = &t.stats
        && let Some(rows) = st.rows
        && rows >= LOW_SELECTIVITY_MIN_ROWS
    {
        for &(i, id) in &explicit {
            let a = &shapes[i];
            if a.unique || a.predicate.is_some() || reported.contains(&id) {
                continue;
            }
            let Some(Part::Col { id: lead, .. }) = a.parts.first() else {
                continue;
            };
            let Some(distinct) = st.column(*lead).and_then(|c| c.distinct) else {
                continue;
            };
            if (distinct as f64) <= rows as f64 * LOW_SELECTIVITY_RATIO {
                out.push(finding(
                    "IX007",
                    t,
                    Some(&a.name),
                    format!(
                        "index {} is led by {} with about {distinct} distinct values in {rows} rows: lead with a more selective column, or make it partial",
                        a.name,
                        t.column_name(*lead)
                    ),
                    Some(match selective_order(t, id) {
                        Some(order) => Fix::Reorder {
                            table: t.id,
                            index: id,
                            order,
                        },
                        // Nothing to reorder: such an index rarely beats a scan.
                        None => Fix::DropIndex {
                            table: t.id,
                            index: id,
                        },
                    }),
                ));
            }
        }
    }
}

/// Distinct values of a column by the table's estimates.
fn distinct_of(t: &Table, c: ColumnId) -> Option<u64> {
    t.stats.as_ref()?.column(c)?.distinct
}

/// For IX007: the key parts of a composite index ordered most selective first (known
/// estimates first, stable), when that changes the order; `None` for a single-column index
/// or when the order is already best.
fn selective_order(t: &Table, index: IndexId) -> Option<Vec<usize>> {
    let ix = t.indexes.iter().find(|i| i.id == index)?;
    if ix.parts.len() < 2 {
        return None;
    }
    let key = |k: usize| match &ix.parts[k].target {
        IndexTarget::Column(c) => distinct_of(t, *c).map(std::cmp::Reverse),
        IndexTarget::Expr(_) => None,
    };
    let mut order: Vec<usize> = (0..ix.parts.len()).collect();
    // Known distinct counts first, larger first; unknown ones keep their place after them.
    order.sort_by_key(|&k| (key(k).is_none(), key(k)));
    (order != (0..ix.parts.len()).collect::<Vec<_>>()).then_some(order)
}

/// For IX005: the index that costs writes for the least: non-unique, not supporting a foreign
/// key, with the least selective leading column by the estimates (the last such one when
/// none is known).
fn least_useful(p: &Project, t: &Table) -> Option<IndexId> {
    let fk_leads: Vec<BTreeSet<ColumnId>> = p
        .foreign_keys_from(t.id)
        .iter()
        .map(|fk| fk.from_columns.iter().copied().collect())
        .collect();
    let shapes = shapes(t);
    // The same test as IX004's: a non-partial B-tree led by the key's columns.
    let supports_fk = |ix: &Index| {
        shapes
            .iter()
            .find(|s| s.origin == Origin::Index(ix.id))
            .is_some_and(|s| fk_leads.iter().any(|cols| s.supports(cols)))
    };
    t.indexes
        .iter()
        .enumerate()
        .filter(|(_, ix)| !ix.unique && !supports_fk(ix))
        .min_by_key(|(i, ix)| {
            let d = match ix.parts.first().map(|p| &p.target) {
                Some(IndexTarget::Column(c)) => distinct_of(t, *c),
                _ => None,
            };
            (d.unwrap_or(u64::MAX), std::cmp::Reverse(*i))
        })
        .map(|(_, ix)| ix.id)
}
