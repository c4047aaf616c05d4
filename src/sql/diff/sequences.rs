//! Sequences of OLD and NEW: by id, by name, or by their (matched) owner column.

use super::*;

pub(super) type SequenceDiff = (
    Vec<ObjectRef<SequenceId>>,
    Vec<ObjectRef<SequenceId>>,
    Vec<SequenceChange>,
);

/// Sequences by id, or by name; an unmatched pair owned by the same (matched) column is one
/// renamed sequence (a table rename renames its serial's sequence too).
pub(super) fn diff_sequences(
    old: &Project,
    new: &Project,
    mode: MatchMode,
    table_map: &BTreeMap<TableId, TableId>,
    column_map: &BTreeMap<ColumnId, ColumnId>,
) -> SequenceDiff {
    let mut pairs: Vec<(&Sequence, &Sequence)> = Vec::new();
    let mut matched_new = BTreeSet::new();
    let mut unmatched_old = Vec::new();
    for o in old.sequences() {
        let hit = match mode {
            MatchMode::Ids => new.sequence(o.id),
            MatchMode::Names => new.sequences().find(|n| {
                !matched_new.contains(&n.id)
                    && key(n.schema.as_deref(), &n.name) == key(o.schema.as_deref(), &o.name)
            }),
        };
        match hit {
            Some(n) => {
                matched_new.insert(n.id);
                pairs.push((o, n));
            }
            None => unmatched_old.push(o),
        }
    }
    let owner_in_new = |o: &Sequence| {
        o.owned_by.and_then(|w| {
            Some(SequenceOwner {
                table: *table_map.get(&w.table)?,
                column: *column_map.get(&w.column)?,
            })
        })
    };
    let mut dropped = Vec::new();
    for o in unmatched_old {
        let by_owner = owner_in_new(o).and_then(|w| {
            new.sequences()
                .find(|n| !matched_new.contains(&n.id) && n.owned_by == Some(w))
        });
        match by_owner {
            Some(n) => {
                matched_new.insert(n.id);
                pairs.push((o, n));
            }
            None => dropped.push(ObjectRef {
                id: o.id,
                name: o.qualified_name(),
            }),
        }
    }
    let changed = pairs
        .into_iter()
        .filter(|(o, n)| {
            !crate::sql::sequences::same_definition(o, n) || owner_in_new(o) != n.owned_by
        })
        .map(|(o, n)| SequenceChange {
            name: n.qualified_name(),
            old_id: o.id,
            new_id: n.id,
        })
        .collect();
    let added = new
        .sequences()
        .filter(|n| !matched_new.contains(&n.id))
        .map(|n| ObjectRef {
            id: n.id,
            name: n.qualified_name(),
        })
        .collect();
    (added, dropped, changed)
}
