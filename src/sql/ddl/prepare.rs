//! A project brought to what a dialect can hold before it is written (partitions flattened,
//! `ON UPDATE` left out); each change a warning. Sequences: `sql::sequences::fold`.

use super::*;

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
