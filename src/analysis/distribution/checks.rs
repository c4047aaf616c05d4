//! The DS rules' functions, one per rule (catalogued in `rules/distribution.rs`): each reads
//! the project and the plan and reports what the engine's documentation says it refuses or
//! serves badly. A finding names the table (or `table.constraint`) and says how to fix it.

use super::{Engine, Plan};
use crate::analysis::check::{Problem, push};
use crate::model::*;

fn names(t: &Table, cols: &[ColumnId]) -> String {
    cols.iter()
        .map(|c| t.column_name(*c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The distributed tables of the plan with their distribution column.
fn distributed<'p>(p: &'p Project, plan: &'p Plan) -> impl Iterator<Item = (&'p Table, ColumnId)> {
    p.tables().filter_map(|t| plan.column(t.id).map(|c| (t, c)))
}

/// What a foreign key is called in a finding: `table.name` or `table (cols) -> other`.
fn fk_object(p: &Project, fk: &ForeignKey) -> String {
    let from = p.table(fk.from_table);
    match (&fk.name, from) {
        (Some(n), Some(t)) => format!("{}.{n}", t.qualified_name()),
        (None, Some(t)) => {
            let to = p
                .table(fk.to_table)
                .map(|x| x.qualified_name())
                .unwrap_or_default();
            format!(
                "{} ({}) -> {to}",
                t.qualified_name(),
                names(t, &fk.from_columns)
            )
        }
        _ => String::new(),
    }
}

/// DS001: a primary key, unique constraint or unique index of a distributed table without
/// the distribution column.
pub fn unique_without_distribution_column(
    p: &Project,
    engine: Engine,
    plan: &Plan,
    out: &mut Vec<Problem>,
) {
    let why = match engine {
        Engine::Vitess => {
            "Vitess enforces it within each shard only, so duplicates can exist across shards \
             (or it needs a unique lookup vindex)"
        }
        _ => {
            "Citus enforces uniqueness only within a shard and refuses it \
             (create_distributed_table fails)"
        }
    };
    for (t, dc) in distributed(p, plan) {
        let dist = t.column_name(dc);
        let mut keys: Vec<(String, String, &[ColumnId])> = Vec::new();
        if let Some(pk) = &t.primary_key {
            keys.push(("primary key".into(), t.qualified_name(), &pk.columns));
        }
        for u in &t.uniques {
            let object = match &u.name {
                Some(n) => format!("{}.{n}", t.qualified_name()),
                None => t.qualified_name(),
            };
            keys.push(("unique constraint".into(), object, &u.columns));
        }
        for ix in t.indexes.iter().filter(|i| i.unique) {
            let cols: Vec<ColumnId> = ix.parts.iter().filter_map(|x| x.target.column()).collect();
            if !cols.contains(&dc) {
                push(
                    out,
                    "DS001",
                    format!("{}.{}", t.qualified_name(), ix.name),
                    format!(
                        "unique index {} does not include the distribution column {dist}: {why}; \
                         add {dist} to it",
                        ix.name
                    ),
                );
            }
        }
        for (what, object, cols) in keys {
            if !cols.contains(&dc) {
                push(
                    out,
                    "DS001",
                    object,
                    format!(
                        "{what} ({}) does not include the distribution column {dist}: {why}; \
                         make it ({dist}, {})",
                        names(t, cols),
                        names(t, cols)
                    ),
                );
            }
        }
    }
}

/// The foreign keys between two distributed tables, each with its tables and their
/// distribution columns: `(fk, from, from's column, to, to's column)` (DS002, DS005).
fn distributed_keys<'p>(
    p: &'p Project,
    plan: &'p Plan,
) -> impl Iterator<Item = (&'p ForeignKey, &'p Table, ColumnId, &'p Table, ColumnId)> + 'p {
    p.foreign_keys().filter_map(move |fk| {
        let a = plan.column(fk.from_table)?;
        let b = plan.column(fk.to_table)?;
        Some((fk, p.table(fk.from_table)?, a, p.table(fk.to_table)?, b))
    })
}

/// DS002: a foreign key between distributed tables that does not pair their distribution
/// columns.
pub fn foreign_key_without_distribution_column(
    p: &Project,
    _: Engine,
    plan: &Plan,
    out: &mut Vec<Problem>,
) {
    for (fk, from, a, to, b) in distributed_keys(p, plan) {
        let paired = fk
            .from_columns
            .iter()
            .zip(fk.target_columns(to))
            .any(|(f, t)| *f == a && *t == b);
        if !paired {
            push(
                out,
                "DS002",
                fk_object(p, fk),
                format!(
                    "foreign key ({}) -> {} ({}) does not pair the distribution columns {}.{} \
                     and {}.{}: Citus supports foreign keys between distributed tables only \
                     when they include the distribution column (rows of one key on one node); \
                     make it ({}, {}) -> ({}, {})",
                    names(from, &fk.from_columns),
                    to.qualified_name(),
                    names(to, fk.target_columns(to)),
                    from.name,
                    from.column_name(a),
                    to.name,
                    to.column_name(b),
                    from.column_name(a),
                    names(from, &fk.from_columns),
                    to.column_name(b),
                    names(to, fk.target_columns(to)),
                ),
            );
        }
    }
}

/// DS003: a foreign key from a reference table to a distributed table.
pub fn reference_table_references_distributed(
    p: &Project,
    _: Engine,
    plan: &Plan,
    out: &mut Vec<Problem>,
) {
    for fk in p.foreign_keys() {
        if !plan.is_reference(fk.from_table) || plan.column(fk.to_table).is_none() {
            continue;
        }
        let to = p
            .table(fk.to_table)
            .map(|t| t.qualified_name())
            .unwrap_or_default();
        push(
            out,
            "DS003",
            fk_object(p, fk),
            format!(
                "the reference table references the distributed table {to}: Citus does not \
                 support foreign keys from reference tables to distributed tables (every node's \
                 copy would point at rows on other nodes); drop the key, or distribute the \
                 table by the distribution key"
            ),
        );
    }
}

/// DS004: a foreign key from a distributed table to a local table.
pub fn foreign_key_to_local_table(p: &Project, _: Engine, plan: &Plan, out: &mut Vec<Problem>) {
    for fk in p.foreign_keys() {
        if plan.column(fk.from_table).is_none()
            || plan.role(fk.to_table) != Some(Distribution::Local)
        {
            continue;
        }
        let to = p
            .table(fk.to_table)
            .map(|t| t.qualified_name())
            .unwrap_or_default();
        push(
            out,
            "DS004",
            fk_object(p, fk),
            format!(
                "the distributed table references the local table {to}: Citus does not support \
                 foreign keys from distributed tables to local tables; make {to} a reference \
                 table (if small) or distribute it"
            ),
        );
    }
}

/// Types the engines co-locate as one: varchar and decimal lengths do not matter.
pub(super) fn colocation_type(t: &LogicalType) -> String {
    match t {
        LogicalType::Varchar(_) => "varchar".into(),
        LogicalType::Decimal(..) => "decimal".into(),
        other => other.describe(),
    }
}

/// DS005: distributed tables joined by a foreign key whose distribution columns differ in
/// type (not co-locatable).
pub fn distribution_column_types_differ(
    p: &Project,
    engine: Engine,
    plan: &Plan,
    out: &mut Vec<Problem>,
) {
    for (fk, from, a, to, b) in distributed_keys(p, plan) {
        let (Some(ca), Some(cb)) = (from.column(a), to.column(b)) else {
            continue;
        };
        let (ta, tb) = (colocation_type(&ca.ty), colocation_type(&cb.ty));
        if ta != tb {
            let why = match engine {
                Engine::Vitess => {
                    "Vitess places rows by the vindex of their column type, so the two tables' \
                     rows of one key land on different shards"
                }
                _ => {
                    "Citus co-locates only tables distributed by columns of the same type \
                     (colocate_with fails), so joins and the foreign key cross nodes"
                }
            };
            push(
                out,
                "DS005",
                fk_object(p, fk),
                format!(
                    "distribution columns {}.{} ({ta}) and {}.{} ({tb}) differ in type: {why}; \
                     give both the same type",
                    from.name, ca.name, to.name, cb.name
                ),
            );
        }
    }
}

/// DS006: a nullable distribution column.
pub fn nullable_distribution_column(
    p: &Project,
    engine: Engine,
    plan: &Plan,
    out: &mut Vec<Problem>,
) {
    for (t, dc) in distributed(p, plan) {
        let Some(c) = t.column(dc).filter(|c| c.nullable && !t.is_pk_column(dc)) else {
            continue;
        };
        let why = match engine {
            Engine::Vitess => "Vitess cannot map a NULL to a keyspace id, so the insert fails",
            _ => "Citus refuses rows with NULL in the distribution column",
        };
        push(
            out,
            "DS006",
            format!("{}.{}", t.qualified_name(), c.name),
            format!(
                "the distribution column {} is nullable: {why}; make it NOT NULL",
                c.name
            ),
        );
    }
}

/// DS007: AUTO_INCREMENT (identity) in a sharded Vitess keyspace.
pub fn auto_increment_in_sharded_keyspace(
    p: &Project,
    _: Engine,
    plan: &Plan,
    out: &mut Vec<Problem>,
) {
    for (t, _) in distributed(p, plan) {
        for c in t.columns.iter().filter(|c| c.identity.is_some()) {
            push(
                out,
                "DS007",
                format!("{}.{}", t.qualified_name(), c.name),
                format!(
                    "AUTO_INCREMENT on {} in a sharded keyspace: each shard counts on its own, so \
                     values repeat across shards; declare a Vitess sequence for it in the \
                     VSchema (auto_increment) backed by an unsharded sequence table",
                    c.name
                ),
            );
        }
    }
}

/// DS008: a view over a distributed (sharded) table in Vitess.
pub fn view_in_sharded_keyspace(p: &Project, _: Engine, plan: &Plan, out: &mut Vec<Problem>) {
    for v in p.views() {
        let sharded: Vec<String> = v
            .depends_on
            .iter()
            .filter(|t| plan.column(**t).is_some())
            .filter_map(|t| p.table(*t).map(|t| t.qualified_name()))
            .collect();
        if sharded.is_empty() {
            continue;
        }
        let name = match &v.schema {
            Some(s) => format!("{s}.{}", v.name),
            None => v.name.clone(),
        };
        push(
            out,
            "DS008",
            name,
            format!(
                "the view reads the sharded table(s) {}: Vitess lists views in sharded keyspaces \
                 among its unsupported (experimental, off by default) features; query the \
                 tables, or keep the view in an unsharded keyspace",
                sharded.join(", ")
            ),
        );
    }
}

/// Why a column's values grow monotonically, if they do.
fn monotonic(p: &Project, c: &Column) -> Option<&'static str> {
    if c.identity.is_some() {
        return Some("an identity (serial) value");
    }
    if p.sequence_of_column(c).is_some() {
        return Some("a sequence value");
    }
    if let LogicalType::Native(n) = &c.ty
        && matches!(
            n.to_ascii_lowercase().as_str(),
            "serial" | "bigserial" | "smallserial" | "serial4" | "serial8" | "serial2"
        )
    {
        return Some("a serial value");
    }
    if matches!(
        c.ty,
        LogicalType::Timestamp | LogicalType::TimestampTz | LogicalType::Date
    ) {
        return Some("a timestamp");
    }
    let default = c.default.as_deref().unwrap_or("").to_ascii_lowercase();
    if default.contains("nextval") {
        return Some("a sequence value");
    }
    if default.contains("uuidv7") || default.contains("uuid_v7") || default.contains("uuid7") {
        return Some("a UUIDv7 (time-ordered)");
    }
    if default.contains("unique_rowid") {
        return Some("unique_rowid() (time-ordered)");
    }
    if default.contains("now()") || default.contains("current_timestamp") {
        return Some("the current time");
    }
    None
}

/// DS009: a primary key led by a monotonically increasing value.
pub fn monotonic_primary_key(p: &Project, _: Engine, _: &Plan, out: &mut Vec<Problem>) {
    for t in p.tables() {
        let Some(first) = t.primary_key.as_ref().and_then(|k| k.columns.first()) else {
            continue;
        };
        let Some(c) = t.column(*first) else { continue };
        if let Some(what) = monotonic(p, c) {
            push(
                out,
                "DS009",
                t.qualified_name(),
                format!(
                    "the primary key is led by {} ({what}): consecutive inserts go to the last \
                     range, one node takes every write (hot spot); lead it with a well spread \
                     column (a tenant id, gen_random_uuid()) or hash-shard it (CockroachDB \
                     USING HASH, YugabyteDB HASH)",
                    c.name
                ),
            );
        }
    }
}

/// DS010: a secondary index led by a timestamp.
pub fn timestamp_leading_index(p: &Project, _: Engine, _: &Plan, out: &mut Vec<Problem>) {
    let is_time = |t: &Table, c: &ColumnId| {
        t.column(*c)
            .is_some_and(|c| matches!(c.ty, LogicalType::Timestamp | LogicalType::TimestampTz))
    };
    for t in p.tables() {
        let mut led: Vec<(String, ColumnId)> = Vec::new();
        for ix in &t.indexes {
            if let Some(IndexTarget::Column(c)) = ix.parts.first().map(|x| &x.target) {
                led.push((format!("index {}", ix.name), *c));
            }
        }
        for u in &t.uniques {
            if let Some(c) = u.columns.first() {
                let name = u.name.as_deref().unwrap_or("(unnamed)");
                led.push((format!("unique constraint {name}"), *c));
            }
        }
        for (what, c) in led.into_iter().filter(|(_, c)| is_time(t, c)) {
            push(
                out,
                "DS010",
                t.qualified_name(),
                format!(
                    "{what} is led by the timestamp {}: new entries all go to the last range of \
                     the index, one node takes every write (hot spot); put a well spread column \
                     first or hash-shard the index (CockroachDB USING HASH)",
                    t.column_name(c)
                ),
            );
        }
    }
}

/// DS011: a table without a primary key.
pub fn table_without_primary_key(p: &Project, _: Engine, _: &Plan, out: &mut Vec<Problem>) {
    for t in p
        .tables()
        .filter(|t| t.primary_key.is_none() && t.partition_of.is_none())
    {
        push(
            out,
            "DS011",
            t.qualified_name(),
            "no primary key: YugabyteDB and CockroachDB add a hidden row id as the key (rows \
             are then sharded by an invisible, often monotonic value), and YugabyteDB cannot \
             add a primary key later without rebuilding the table; declare one"
                .into(),
        );
    }
}
