//! Cascading forms of removals and renames, built as one `Batch` (undone as one).

use super::*;

/// Remove a table together with every foreign key that touches it, as one command.
pub fn remove_table(p: &Project, table: TableId) -> Command {
    remove_tables(p, &[table])
}

/// Remove several tables and every foreign key touching any of them (each key once), as one
/// command.
pub fn remove_tables(p: &Project, tables: &[TableId]) -> Command {
    let fks: std::collections::BTreeSet<ForeignKeyId> = tables
        .iter()
        .flat_map(|t| {
            p.foreign_keys_from(*t)
                .into_iter()
                .chain(p.foreign_keys_to(*t))
        })
        .map(|fk| fk.id)
        .collect();
    let mut cmds: Vec<Command> = fks.into_iter().map(Command::RemoveForeignKey).collect();
    // Partitions of a removed table that stay become ordinary tables.
    for t in p.tables().filter(|t| !tables.contains(&t.id)) {
        if t.partition_of
            .as_ref()
            .is_some_and(|o| tables.contains(&o.parent))
        {
            cmds.push(Command::SetPartitioning {
                table: t.id,
                partition_by: t.partition_by.clone(),
                partition_of: None,
            });
        }
    }
    // Sequences owned by a removed table go with it (as DROP TABLE does).
    cmds.extend(
        tables
            .iter()
            .flat_map(|t| p.sequences_owned_by(*t))
            .map(|s| Command::RemoveSequence(s.id)),
    );
    cmds.extend(tables.iter().map(|t| Command::RemoveTable(*t)));
    Command::Batch(cmds)
}

/// Remove a column and everything that depends on it: foreign keys through it, and its
/// place in the primary key, unique constraints and indexes (emptied ones are removed).
pub fn remove_column(p: &Project, table: TableId, column: ColumnId) -> Result<Command, ModelError> {
    let t = p.table(table).ok_or(ModelError::NoTable(table))?;
    t.column(column)
        .ok_or(ModelError::NoColumn(table, column))?;
    let mut cmds: Vec<Command> = p
        .foreign_keys()
        .filter(|fk| {
            (fk.from_table == table && fk.from_columns.contains(&column))
                || (fk.to_table == table && fk.to_columns.contains(&column))
        })
        .map(|fk| Command::RemoveForeignKey(fk.id))
        .collect();
    let mut nt = t.clone();
    if let Some(pk) = &mut nt.primary_key {
        pk.columns.retain(|c| *c != column);
        if pk.columns.is_empty() {
            nt.primary_key = None;
        }
    }
    for u in &mut nt.uniques {
        u.columns.retain(|c| *c != column);
    }
    nt.uniques.retain(|u| !u.columns.is_empty());
    for i in &mut nt.indexes {
        i.parts
            .retain(|part| part.target != IndexTarget::Column(column));
        i.include.retain(|c| *c != column);
    }
    nt.indexes.retain(|i| !i.parts.is_empty());
    nt.dependencies
        .retain(|d| !d.lhs.contains(&column) && !d.rhs.contains(&column));
    nt.review.retain(|r| r.column != Some(column));
    if nt.distribution == Some(Distribution::Distributed(column)) {
        nt.distribution = None;
    }
    if let Some(s) = &mut nt.stats {
        s.columns.retain(|c| c.column != column);
    }
    if nt != *t {
        cmds.push(Command::ReplaceTable(Box::new(nt)));
    }
    cmds.extend(
        p.sequences_owned_by(table)
            .filter(|s| s.owned_by.is_some_and(|o| o.column == column))
            .map(|s| Command::RemoveSequence(s.id)),
    );
    cmds.push(Command::RemoveColumn { table, column });
    Ok(Command::Batch(cmds))
}

/// Replace sequence `s` (same id); when its name or schema changes, the defaults that read
/// it are rewritten to the new name (PostgreSQL follows a renamed sequence by its oid).
pub fn update_sequence(p: &Project, s: Sequence) -> Result<Command, ModelError> {
    let old = p
        .sequence(s.id)
        .ok_or(ModelError::Missing("sequence", s.id.0))?;
    let mut cmds = Vec::new();
    if old.name != s.name || old.schema != s.schema {
        let default = crate::model::sequence::nextval_default(s.schema.as_deref(), &s.name);
        for (t, c) in p.columns_using_sequence(s.id) {
            let mut nc = c.clone();
            nc.default = Some(default.clone());
            cmds.push(Command::UpdateColumn {
                table: t.id,
                column: Box::new(nc),
            });
        }
    }
    cmds.insert(0, Command::PutSequence(Box::new(s)));
    Ok(Command::Batch(cmds))
}

/// Remove sequence `id` and the defaults that read it (`DROP SEQUENCE ... CASCADE`).
pub fn remove_sequence(p: &Project, id: SequenceId) -> Result<Command, ModelError> {
    p.sequence(id)
        .ok_or(ModelError::Missing("sequence", id.0))?;
    let mut cmds: Vec<Command> = p
        .columns_using_sequence(id)
        .into_iter()
        .map(|(t, c)| {
            let mut nc = c.clone();
            nc.default = None;
            Command::UpdateColumn {
                table: t.id,
                column: Box::new(nc),
            }
        })
        .collect();
    cmds.push(Command::RemoveSequence(id));
    Ok(Command::Batch(cmds))
}
