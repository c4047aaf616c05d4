//! Every edit to a project is a [`Command`]. [`Command::apply`] performs it and returns the
//! command that undoes it; [`History`] keeps the undo/redo stacks of such inverses.

use super::ids::*;
use super::project::{ModelError, Project, Settings};
use super::sequence::Sequence;
use super::table::*;
use super::types::LogicalType;
use std::collections::BTreeMap;

mod cascade;
mod history;
mod validate;
pub use cascade::*;
pub use history::*;
pub(crate) use validate::*;

/// One undoable edit. Applying a command returns its inverse.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    AddTable(Box<Table>),
    /// Remove a table no foreign key touches (see [`remove_table`] for the cascading form).
    RemoveTable(TableId),
    /// Replace a table's content (same id). Foreign keys touching it must still resolve.
    ReplaceTable(Box<Table>),
    RenameTable {
        table: TableId,
        schema: Option<String>,
        name: String,
    },
    SetTableComment {
        table: TableId,
        comment: Option<String>,
    },
    AddColumn {
        table: TableId,
        index: usize,
        column: Box<Column>,
    },
    /// Remove a column nothing refers to (see [`remove_column`] for the cascading form).
    RemoveColumn {
        table: TableId,
        column: ColumnId,
    },
    /// Replace a column (matched by id) with new content: rename, retype, nullability...
    UpdateColumn {
        table: TableId,
        column: Box<Column>,
    },
    MoveColumn {
        table: TableId,
        column: ColumnId,
        to: usize,
    },
    SetPrimaryKey {
        table: TableId,
        primary_key: Option<PrimaryKey>,
    },
    /// Add a unique constraint at list position `at` (end when `None`).
    AddUnique {
        table: TableId,
        unique: UniqueConstraint,
        at: Option<usize>,
    },
    RemoveUnique {
        table: TableId,
        id: ConstraintId,
    },
    AddCheck {
        table: TableId,
        check: CheckConstraint,
        at: Option<usize>,
    },
    RemoveCheck {
        table: TableId,
        id: ConstraintId,
    },
    AddIndex {
        table: TableId,
        index: Box<Index>,
        at: Option<usize>,
    },
    RemoveIndex {
        table: TableId,
        id: IndexId,
    },
    UpdateIndex {
        table: TableId,
        index: Box<Index>,
    },
    AddForeignKey(Box<ForeignKey>),
    RemoveForeignKey(ForeignKeyId),
    UpdateForeignKey(Box<ForeignKey>),
    /// Add or replace an enum type.
    PutEnum(EnumType),
    RemoveEnum(EnumId),
    /// Add or replace a sequence (see [`update_sequence`] to rename one with the defaults
    /// that read it).
    PutSequence(Box<Sequence>),
    /// Remove a sequence no column default reads except its owner's (see
    /// [`remove_sequence`] for the form that drops those defaults too).
    RemoveSequence(SequenceId),
    PutView(View),
    RemoveView(ViewId),
    PutNote(Note),
    RemoveNote(NoteId),
    PutArea(Area),
    RemoveArea(AreaId),
    /// Add or replace a verbatim extra SQL statement.
    PutExtraSql(ExtraSql),
    RemoveExtraSql(ExtraSqlId),
    /// Move tables on the canvas (a whole drag is one command).
    MoveTables(Vec<(TableId, Position)>),
    /// Replace a table's declared dependencies.
    SetDependencies {
        table: TableId,
        dependencies: Vec<Dependency>,
    },
    /// Replace a table's review comments.
    SetReview {
        table: TableId,
        review: Vec<ReviewComment>,
    },
    /// Replace a table's size estimates.
    SetTableStats {
        table: TableId,
        stats: Option<TableStats>,
    },
    /// Replace a table's partitioning: its own `PARTITION BY` clause and the table it is a
    /// partition of (which must exist).
    SetPartitioning {
        table: TableId,
        partition_by: Option<String>,
        partition_of: Option<PartitionOf>,
    },
    /// Mark a table as holding data subjects (people) or not (privacy report, issue 18).
    SetDataSubject {
        table: TableId,
        on: bool,
    },
    /// Set a table's role on a distributed database (`None` = not planned).
    SetDistribution {
        table: TableId,
        distribution: Option<Distribution>,
    },
    SetSettings(Box<Settings>),
    SetProjectName(String),
    /// Several commands applied as one; undone as one.
    Batch(Vec<Command>),
    /// A command with its own label in the undo history ("Decompose orders (BCNF)").
    Named {
        label: String,
        command: Box<Command>,
    },
}

impl Command {
    /// Short text for menus and the undo history.
    pub fn label(&self) -> String {
        match self {
            Command::AddTable(t) => format!("Add table {}", t.name),
            Command::RemoveTable(_) => "Remove table".into(),
            Command::ReplaceTable(t) => format!("Edit table {}", t.name),
            Command::RenameTable { name, .. } => format!("Rename table to {name}"),
            Command::SetTableComment { .. } => "Edit table comment".into(),
            Command::SetDependencies { .. } => "Edit dependencies".into(),
            Command::SetReview { .. } => "Edit review comments".into(),
            Command::SetTableStats { .. } => "Edit table estimates".into(),
            Command::SetPartitioning { .. } => "Edit partitioning".into(),
            Command::SetDataSubject { on: true, .. } => "Mark as data subject".into(),
            Command::SetDataSubject { on: false, .. } => "Unmark data subject".into(),
            Command::SetDistribution { .. } => "Set distribution".into(),
            Command::AddColumn { column, .. } => format!("Add column {}", column.name),
            Command::RemoveColumn { .. } => "Remove column".into(),
            Command::UpdateColumn { column, .. } => format!("Edit column {}", column.name),
            Command::MoveColumn { .. } => "Reorder column".into(),
            Command::SetPrimaryKey { .. } => "Set primary key".into(),
            Command::AddUnique { .. } => "Add unique constraint".into(),
            Command::RemoveUnique { .. } => "Remove unique constraint".into(),
            Command::AddCheck { .. } => "Add check constraint".into(),
            Command::RemoveCheck { .. } => "Remove check constraint".into(),
            Command::AddIndex { index, .. } => format!("Add index {}", index.name),
            Command::RemoveIndex { .. } => "Remove index".into(),
            Command::UpdateIndex { index, .. } => format!("Edit index {}", index.name),
            Command::AddForeignKey(_) => "Add foreign key".into(),
            Command::RemoveForeignKey(_) => "Remove foreign key".into(),
            Command::UpdateForeignKey(_) => "Edit foreign key".into(),
            Command::PutEnum(e) => format!("Edit enum {}", e.name),
            Command::RemoveEnum(_) => "Remove enum".into(),
            Command::PutSequence(s) => format!("Edit sequence {}", s.name),
            Command::RemoveSequence(_) => "Remove sequence".into(),
            Command::PutView(v) => format!("Edit view {}", v.name),
            Command::RemoveView(_) => "Remove view".into(),
            Command::PutNote(_) => "Edit note".into(),
            Command::RemoveNote(_) => "Remove note".into(),
            Command::PutArea(a) => format!("Edit area {}", a.name),
            Command::RemoveArea(_) => "Remove area".into(),
            Command::PutExtraSql(x) => format!("Edit extra SQL ({})", x.kind),
            Command::RemoveExtraSql(_) => "Remove extra SQL".into(),
            Command::MoveTables(v) if v.len() == 1 => "Move table".into(),
            Command::MoveTables(v) => format!("Move {} tables", v.len()),
            Command::SetSettings(_) => "Change project settings".into(),
            Command::SetProjectName(_) => "Rename project".into(),
            Command::Named { label, .. } => label.clone(),
            Command::Batch(v) => match v.first() {
                Some(c) if v.len() == 1 => c.label(),
                _ => format!("{} edits", v.len()),
            },
        }
    }

    /// The tables this edit changes, when it changes nothing else: their own content
    /// (columns, keys, indexes, comments, estimates...) or their position. `None` when it may
    /// change more: tables added or removed, foreign keys, enums and sequences (which other
    /// tables' columns show), views, notes, areas, settings. The inverse of a command touches
    /// the same tables, so caches can update in place after undo and redo too.
    pub fn touched_tables(&self) -> Option<std::collections::BTreeSet<TableId>> {
        use Command as C;
        let one = |t: &TableId| Some(std::iter::once(*t).collect());
        match self {
            C::ReplaceTable(t) => one(&t.id),
            C::RenameTable { table, .. }
            | C::SetTableComment { table, .. }
            | C::AddColumn { table, .. }
            | C::RemoveColumn { table, .. }
            | C::UpdateColumn { table, .. }
            | C::MoveColumn { table, .. }
            | C::SetPrimaryKey { table, .. }
            | C::AddUnique { table, .. }
            | C::RemoveUnique { table, .. }
            | C::AddCheck { table, .. }
            | C::RemoveCheck { table, .. }
            | C::AddIndex { table, .. }
            | C::RemoveIndex { table, .. }
            | C::UpdateIndex { table, .. }
            | C::SetDependencies { table, .. }
            | C::SetReview { table, .. }
            | C::SetTableStats { table, .. }
            | C::SetPartitioning { table, .. }
            | C::SetDataSubject { table, .. }
            | C::SetDistribution { table, .. } => one(table),
            C::MoveTables(moves) => Some(moves.iter().map(|(t, _)| *t).collect()),
            C::Batch(cmds) => {
                cmds.iter()
                    .try_fold(std::collections::BTreeSet::new(), |mut all, c| {
                        all.extend(c.touched_tables()?);
                        Some(all)
                    })
            }
            C::Named { command, .. } => command.touched_tables(),
            C::AddTable(_)
            | C::RemoveTable(_)
            | C::AddForeignKey(_)
            | C::RemoveForeignKey(_)
            | C::UpdateForeignKey(_)
            | C::PutEnum(_)
            | C::RemoveEnum(_)
            | C::PutSequence(_)
            | C::RemoveSequence(_)
            | C::PutView(_)
            | C::RemoveView(_)
            | C::PutNote(_)
            | C::RemoveNote(_)
            | C::PutArea(_)
            | C::RemoveArea(_)
            | C::PutExtraSql(_)
            | C::RemoveExtraSql(_)
            | C::SetSettings(_)
            | C::SetProjectName(_) => None,
        }
    }

    /// Apply to `p`. On success returns the inverse command; on error `p` is unchanged.
    pub fn apply(self, p: &mut Project) -> Result<Command, ModelError> {
        use Command as C;
        Ok(match self {
            C::AddTable(t) => {
                validate_table(p, &t)?;
                check_partition(p, &t)?;
                p.ensure_ids_free(&table_ids(&t), None)?;
                let id = t.id;
                p.insert_table(*t)?;
                C::RemoveTable(id)
            }
            C::RemoveTable(id) => {
                if let Some(s) = p.sequences_owned_by(id).next() {
                    return Err(ModelError::Invalid(format!(
                        "sequence `{}` belongs to this table (OWNED BY)",
                        s.name
                    )));
                }
                if let Some(v) = p.views.values().find(|v| v.depends_on.contains(&id)) {
                    return Err(ModelError::Invalid(format!(
                        "view `{}` depends on this table",
                        v.name
                    )));
                }
                if let Some(c) = p
                    .tables()
                    .find(|t| t.partition_of.as_ref().is_some_and(|o| o.parent == id))
                {
                    return Err(ModelError::Invalid(format!(
                        "table `{}` is a partition of this table",
                        c.name
                    )));
                }
                C::AddTable(Box::new(p.take_table(id)?))
            }
            C::ReplaceTable(t) => {
                validate_table(p, &t)?;
                check_partition(p, &t)?;
                if let Some(s) = p
                    .sequences_owned_by(t.id)
                    .find(|s| s.owned_by.is_some_and(|o| t.column(o.column).is_none()))
                {
                    return Err(ModelError::Invalid(format!(
                        "sequence `{}` belongs to a column this edit removes (OWNED BY)",
                        s.name
                    )));
                }
                let own: Vec<u64> = table_ids(&t)
                    .into_iter()
                    .filter(|id| *id != t.id.0)
                    .collect();
                p.ensure_ids_free(&own, Some(t.id))?;
                C::ReplaceTable(Box::new(p.replace_table(*t)?))
            }
            C::RenameTable {
                table,
                schema,
                name,
            } => {
                let t = p.table_mut(table)?;
                let old_schema = std::mem::replace(&mut t.schema, schema);
                let old_name = std::mem::replace(&mut t.name, name);
                C::RenameTable {
                    table,
                    schema: old_schema,
                    name: old_name,
                }
            }
            C::SetTableComment { table, comment } => {
                let t = p.table_mut(table)?;
                let old = std::mem::replace(&mut t.comment, comment);
                C::SetTableComment {
                    table,
                    comment: old,
                }
            }
            C::SetDependencies {
                table,
                dependencies,
            } => {
                check_dependencies(
                    p.table(table).ok_or(ModelError::NoTable(table))?,
                    &dependencies,
                )?;
                let t = p.table_mut(table)?;
                let old = std::mem::replace(&mut t.dependencies, dependencies);
                C::SetDependencies {
                    table,
                    dependencies: old,
                }
            }
            C::SetPartitioning {
                table,
                partition_by,
                partition_of,
            } => {
                check_partition_text(partition_by.as_ref(), partition_of.as_ref())?;
                let mut probe = p.table(table).ok_or(ModelError::NoTable(table))?.clone();
                probe.partition_of = partition_of;
                check_partition(p, &probe)?;
                let t = p.table_mut(table)?;
                let old_by = std::mem::replace(&mut t.partition_by, partition_by);
                let old_of = std::mem::replace(&mut t.partition_of, probe.partition_of);
                C::SetPartitioning {
                    table,
                    partition_by: old_by,
                    partition_of: old_of,
                }
            }
            C::SetDataSubject { table, on } => {
                let t = p.table_mut(table)?;
                let old = std::mem::replace(&mut t.data_subject, on);
                C::SetDataSubject { table, on: old }
            }
            C::SetDistribution {
                table,
                distribution,
            } => {
                let t = p.table(table).ok_or(ModelError::NoTable(table))?;
                if let Some(Distribution::Distributed(c)) = distribution {
                    table_has_column(t, c)?;
                }
                let t = p.table_mut(table)?;
                let old = std::mem::replace(&mut t.distribution, distribution);
                C::SetDistribution {
                    table,
                    distribution: old,
                }
            }
            C::SetReview { table, review } => {
                let t = p.table(table).ok_or(ModelError::NoTable(table))?;
                check_review(t, &review)?;
                let t = p.table_mut(table)?;
                let old = std::mem::replace(&mut t.review, review);
                C::SetReview { table, review: old }
            }
            C::SetTableStats { table, stats } => {
                check_stats(
                    p.table(table).ok_or(ModelError::NoTable(table))?,
                    stats.as_ref(),
                )?;
                let t = p.table_mut(table)?;
                let old = std::mem::replace(&mut t.stats, stats);
                C::SetTableStats { table, stats: old }
            }
            C::AddColumn {
                table,
                index,
                column,
            } => {
                let cid = column.id;
                p.ensure_ids_free(&[cid.0], None)?;
                check_type(p, &column.ty)?;
                check_column_text(&column)?;
                let t = p.table_mut(table)?;
                let at = index.min(t.columns.len());
                t.columns.insert(at, *column);
                p.note_id_used(cid.0);
                C::RemoveColumn { table, column: cid }
            }
            C::RemoveColumn { table, column } => {
                if let Some(s) = p
                    .sequences_owned_by(table)
                    .find(|s| s.owned_by.is_some_and(|o| o.column == column))
                {
                    return Err(ModelError::Invalid(format!(
                        "sequence `{}` belongs to this column (OWNED BY)",
                        s.name
                    )));
                }
                p.forget_ids();
                let referenced_by_fk = p.foreign_keys().any(|fk| {
                    (fk.from_table == table && fk.from_columns.contains(&column))
                        || (fk.to_table == table && fk.to_columns.contains(&column))
                });
                let t = p.table_mut(table)?;
                let at = t
                    .column_index(column)
                    .ok_or(ModelError::NoColumn(table, column))?;
                if referenced_by_fk || t.referenced_column_ids().any(|c| c == column) {
                    return Err(ModelError::Invalid(format!(
                        "column `{}` is used by a key, index or foreign key",
                        t.columns[at].name
                    )));
                }
                let col = t.columns.remove(at);
                C::AddColumn {
                    table,
                    index: at,
                    column: Box::new(col),
                }
            }
            C::UpdateColumn { table, column } => {
                check_type(p, &column.ty)?;
                check_column_text(&column)?;
                let t = p.table_mut(table)?;
                let slot = t
                    .column_mut(column.id)
                    .ok_or(ModelError::NoColumn(table, column.id))?;
                let old = std::mem::replace(slot, *column);
                C::UpdateColumn {
                    table,
                    column: Box::new(old),
                }
            }
            C::MoveColumn { table, column, to } => {
                let t = p.table_mut(table)?;
                let from = t
                    .column_index(column)
                    .ok_or(ModelError::NoColumn(table, column))?;
                let col = t.columns.remove(from);
                let to = to.min(t.columns.len());
                t.columns.insert(to, col);
                C::MoveColumn {
                    table,
                    column,
                    to: from,
                }
            }
            C::SetPrimaryKey { table, primary_key } => {
                let t = p.table_mut(table)?;
                if let Some(pk) = &primary_key {
                    check_key_columns(t, &pk.columns, "primary key")?;
                }
                let old = std::mem::replace(&mut t.primary_key, primary_key);
                C::SetPrimaryKey {
                    table,
                    primary_key: old,
                }
            }
            C::AddUnique { table, unique, at } => {
                p.ensure_ids_free(&[unique.id.0], None)?;
                let t = p.table_mut(table)?;
                check_key_columns(t, &unique.columns, "unique constraint")?;
                let id = unique.id;
                insert_at(&mut t.uniques, at, unique);
                p.note_id_used(id.0);
                C::RemoveUnique { table, id }
            }
            C::RemoveUnique { table, id } => {
                p.forget_ids();
                let (at, unique) = take_at(&mut p.table_mut(table)?.uniques, |x| x.id == id)
                    .ok_or(ModelError::NoConstraint(table, id))?;
                C::AddUnique {
                    table,
                    unique,
                    at: Some(at),
                }
            }
            C::AddCheck { table, check, at } => {
                check_check_text(&check)?;
                p.ensure_ids_free(&[check.id.0], None)?;
                let t = p.table_mut(table)?;
                let id = check.id;
                insert_at(&mut t.checks, at, check);
                p.note_id_used(id.0);
                C::RemoveCheck { table, id }
            }
            C::RemoveCheck { table, id } => {
                p.forget_ids();
                let (at, check) = take_at(&mut p.table_mut(table)?.checks, |x| x.id == id)
                    .ok_or(ModelError::NoConstraint(table, id))?;
                C::AddCheck {
                    table,
                    check,
                    at: Some(at),
                }
            }
            C::AddIndex { table, index, at } => {
                p.ensure_ids_free(&[index.id.0], None)?;
                let t = p.table_mut(table)?;
                check_index(t, &index)?;
                let id = index.id;
                insert_at(&mut t.indexes, at, *index);
                p.note_id_used(id.0);
                C::RemoveIndex { table, id }
            }
            C::RemoveIndex { table, id } => {
                p.forget_ids();
                let (at, index) = take_at(&mut p.table_mut(table)?.indexes, |x| x.id == id)
                    .ok_or(ModelError::NoIndex(table, id))?;
                let index = Box::new(index);
                C::AddIndex {
                    table,
                    index,
                    at: Some(at),
                }
            }
            C::UpdateIndex { table, index } => {
                let t = p.table_mut(table)?;
                check_index(t, &index)?;
                let slot = t
                    .indexes
                    .iter_mut()
                    .find(|i| i.id == index.id)
                    .ok_or(ModelError::NoIndex(table, index.id))?;
                let old = std::mem::replace(slot, *index);
                C::UpdateIndex {
                    table,
                    index: Box::new(old),
                }
            }
            C::AddForeignKey(fk) => {
                p.ensure_ids_free(&[fk.id.0], None)?;
                let id = fk.id;
                p.insert_fk(*fk)?;
                C::RemoveForeignKey(id)
            }
            C::RemoveForeignKey(id) => C::AddForeignKey(Box::new(p.take_fk(id)?)),
            C::UpdateForeignKey(fk) => {
                let old = p.take_fk(fk.id)?;
                if let Err(e) = p.insert_fk((*fk).clone()) {
                    p.insert_fk(old)
                        .expect("re-inserting the removed key succeeds");
                    return Err(e);
                }
                C::UpdateForeignKey(Box::new(old))
            }
            C::PutEnum(e) => {
                let id = e.id;
                if !p.enums.contains_key(&id) {
                    p.ensure_ids_free(&[id.0], None)?;
                }
                p.note_id_used(id.0);
                match p.enums.insert(id, e) {
                    Some(old) => C::PutEnum(old),
                    None => C::RemoveEnum(id),
                }
            }
            C::RemoveEnum(id) => {
                p.forget_ids();
                let used = p
                    .tables()
                    .any(|t| t.columns.iter().any(|c| type_uses_enum(&c.ty, id)));
                if used {
                    return Err(ModelError::Invalid("enum is still used by a column".into()));
                }
                C::PutEnum(
                    p.enums
                        .remove(&id)
                        .ok_or(ModelError::Missing("enum", id.0))?,
                )
            }
            C::PutSequence(s) => {
                check_sequence(p, &s)?;
                let id = s.id;
                match put(p, id, id.0, *s, |p| &mut p.sequences)? {
                    Some(old) => C::PutSequence(Box::new(old)),
                    None => C::RemoveSequence(id),
                }
            }
            C::RemoveSequence(id) => {
                let s = p
                    .sequence(id)
                    .ok_or(ModelError::Missing("sequence", id.0))?;
                if let Some((t, c)) = p.columns_using_sequence(id).into_iter().find(|(t, c)| {
                    s.owned_by
                        .is_none_or(|o| o.table != t.id || o.column != c.id)
                }) {
                    return Err(ModelError::Invalid(format!(
                        "sequence `{}` is still read by the default of {}.{}",
                        s.name, t.name, c.name
                    )));
                }
                p.forget_ids();
                C::PutSequence(Box::new(p.sequences.remove(&id).expect("checked above")))
            }
            C::PutView(v) => {
                check_view_text(&v)?;
                for t in &v.depends_on {
                    p.table(*t).ok_or(ModelError::NoTable(*t))?;
                }
                let id = v.id;
                match put(p, id, id.0, v, |p| &mut p.views)? {
                    Some(old) => C::PutView(old),
                    None => C::RemoveView(id),
                }
            }
            C::RemoveView(id) => C::PutView(take(p, id, id.0, "view", |p| &mut p.views)?),
            C::PutNote(n) => {
                let id = n.id;
                match put(p, id, id.0, n, |p| &mut p.notes)? {
                    Some(old) => C::PutNote(old),
                    None => C::RemoveNote(id),
                }
            }
            C::RemoveNote(id) => C::PutNote(take(p, id, id.0, "note", |p| &mut p.notes)?),
            C::PutArea(a) => {
                let id = a.id;
                match put(p, id, id.0, a, |p| &mut p.areas)? {
                    Some(old) => C::PutArea(old),
                    None => C::RemoveArea(id),
                }
            }
            C::RemoveArea(id) => C::PutArea(take(p, id, id.0, "area", |p| &mut p.areas)?),
            C::PutExtraSql(x) => {
                let id = x.id;
                match put(p, id, id.0, x, |p| &mut p.extra_sql)? {
                    Some(old) => C::PutExtraSql(old),
                    None => C::RemoveExtraSql(id),
                }
            }
            C::RemoveExtraSql(id) => {
                C::PutExtraSql(take(p, id, id.0, "extra SQL", |p| &mut p.extra_sql)?)
            }
            C::MoveTables(moves) => {
                for (id, _) in &moves {
                    p.table(*id).ok_or(ModelError::NoTable(*id))?;
                }
                let mut old = Vec::with_capacity(moves.len());
                for (id, pos) in moves {
                    let t = p.table_mut(id)?;
                    old.push((id, std::mem::replace(&mut t.position, pos)));
                }
                old.reverse();
                C::MoveTables(old)
            }
            C::SetSettings(s) => C::SetSettings(Box::new(std::mem::replace(&mut p.settings, *s))),
            C::SetProjectName(n) => C::SetProjectName(std::mem::replace(&mut p.name, n)),
            C::Batch(cmds) => {
                let mut inverses = Vec::with_capacity(cmds.len());
                for c in cmds {
                    match c.apply(p) {
                        Ok(inv) => inverses.push(inv),
                        Err(e) => {
                            for inv in inverses.into_iter().rev() {
                                inv.apply(p)
                                    .expect("undoing a just-applied command succeeds");
                            }
                            return Err(e);
                        }
                    }
                }
                inverses.reverse();
                C::Batch(inverses)
            }
            C::Named { label, command } => C::Named {
                label,
                command: Box::new(command.apply(p)?),
            },
        })
    }
}

/// Insert `v` under `id` (`raw`: its number) in one of the project's maps, replacing what was
/// there; a new id must be free. Returns the object replaced.
fn put<K: Ord + Copy, V>(
    p: &mut Project,
    id: K,
    raw: u64,
    v: V,
    map: impl Fn(&mut Project) -> &mut BTreeMap<K, V>,
) -> Result<Option<V>, ModelError> {
    if !map(p).contains_key(&id) {
        p.ensure_ids_free(&[raw], None)?;
    }
    p.note_id_used(raw);
    Ok(map(p).insert(id, v))
}

/// Remove the object `id` (`raw`: its number, `what`: its kind, for the error) from one of
/// the project's maps.
fn take<K: Ord, V>(
    p: &mut Project,
    id: K,
    raw: u64,
    what: &'static str,
    map: impl FnOnce(&mut Project) -> &mut BTreeMap<K, V>,
) -> Result<V, ModelError> {
    p.forget_and(map)
        .remove(&id)
        .ok_or(ModelError::Missing(what, raw))
}

/// `x` inserted at `at` in `v` (at the end for `None` or a position past it).
fn insert_at<T>(v: &mut Vec<T>, at: Option<usize>, x: T) {
    let at = at.unwrap_or(usize::MAX).min(v.len());
    v.insert(at, x);
}

/// The first element of `v` that `is`, removed, with its position.
fn take_at<T>(v: &mut Vec<T>, is: impl Fn(&T) -> bool) -> Option<(usize, T)> {
    let at = v.iter().position(is)?;
    Some((at, v.remove(at)))
}
