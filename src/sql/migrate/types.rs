//! Type changes: which narrow, which PostgreSQL does in place, how the dialect renders them.

use super::*;

/// Does changing `from` to `to` possibly lose values?
pub fn narrows(from: &LogicalType, to: &LogicalType) -> bool {
    use LogicalType as L;
    let int_rank = |t: &L| match t {
        L::TinyInt => Some(1),
        L::SmallInt => Some(2),
        L::Integer => Some(3),
        L::BigInt => Some(4),
        _ => None,
    };
    let text_len = |t: &L| match t {
        L::Text => Some(u32::MAX),
        L::Varchar(None) => Some(u32::MAX),
        L::Varchar(Some(n)) => Some(*n),
        L::Char(n) => Some(*n),
        _ => None,
    };
    if from == to {
        return false;
    }
    if let (Some(a), Some(b)) = (int_rank(from), int_rank(to)) {
        return b < a;
    }
    if let (Some(a), Some(b)) = (text_len(from), text_len(to)) {
        return b < a;
    }
    match (from, to) {
        (L::Real, L::Double) => false,
        (f, L::Decimal(None, _)) if int_rank(f).is_some() => false,
        (f, L::Double) if int_rank(f).is_some_and(|r| r <= 3) => false,
        (f, L::BigInt) if int_rank(f).is_some() => false,
        (L::Decimal(Some(p1), s1), L::Decimal(p2, s2)) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            match p2 {
                None => false,
                Some(p2) => *p2 < *p1 || s2 < s1 || (p2 - s2) < (p1 - s1),
            }
        }
        (L::Timestamp, L::TimestampTz) | (L::TimestampTz, L::Timestamp) => false,
        (L::Json, L::Text) | (L::Uuid, L::Text) => false,
        (_, L::Text) => false,
        _ => true,
    }
}

/// PostgreSQL changes the type without rewriting the table (binary-coercible widening).
pub(crate) fn pg_type_change_in_place(from: &LogicalType, to: &LogicalType) -> bool {
    use LogicalType as L;
    matches!(
        (from, to),
        (L::Varchar(_), L::Text)
            | (L::Varchar(Some(_)), L::Varchar(None))
            | (L::Text, L::Varchar(None))
    ) || matches!((from, to), (L::Varchar(Some(a)), L::Varchar(Some(b))) if b >= a)
}

/// `d` plus the columns whose logical type is the same but whose type in the dialect differs
/// (MySQL writes TEXT as varchar(255) once a key uses it; foreign key columns take the
/// referenced column's integer type): altered like a type change.
pub(super) fn with_rendered_type_changes(
    old: &Project,
    new: &Project,
    d: &SchemaDiff,
    r: &dyn DialectRules,
) -> SchemaDiff {
    let mut out = d.clone();
    if r.fks_only_in_create_table() {
        let mut touched = BTreeSet::new();
        for f in &d.foreign_keys_added {
            if let Some(fk) = new.foreign_key(f.id) {
                touched.insert(fk.from_table);
            }
        }
        for f in &d.foreign_keys_dropped {
            if let Some(fk) = old.foreign_key(f.id)
                && let Some(n) = d.table_map.get(&fk.from_table)
            {
                touched.insert(*n);
            }
        }
        for (oid, nid) in &d.table_map {
            if touched.contains(nid)
                && let Some(nt) = new.table(*nid)
            {
                ensure_table_diff(&mut out, *oid, *nid, nt);
            }
        }
    }
    let back: BTreeMap<ColumnId, ColumnId> = d.column_map.iter().map(|(a, b)| (*b, *a)).collect();
    for (oid, nid) in &d.table_map {
        let (Some(ot), Some(nt)) = (old.table(*oid), new.table(*nid)) else {
            continue;
        };
        let ko = keyed_columns(old, ot);
        let kn = keyed_columns(new, nt);
        for nc in &nt.columns {
            let Some(oc) = back.get(&nc.id).and_then(|o| ot.column(*o)) else {
                continue;
            };
            let from = column_type(r, ot, oc, ko.contains(&oc.id), &mut Cx::new(old));
            let to = column_type(r, nt, nc, kn.contains(&nc.id), &mut Cx::new(new));
            if from == to {
                continue;
            }
            let pos = ensure_table_diff(&mut out, *oid, *nid, nt);
            let td = &mut out.tables_changed[pos];
            let change = ColumnChangeKind::Type { from, to };
            match td.columns_changed.iter_mut().find(|c| c.new_id == nc.id) {
                Some(c) => {
                    if !c
                        .changes
                        .iter()
                        .any(|k| matches!(k, ColumnChangeKind::Type { .. }))
                    {
                        c.changes.push(change);
                    }
                }
                None => td.columns_changed.push(crate::sql::diff::ColumnChange {
                    column: nc.name.clone(),
                    old_id: oc.id,
                    new_id: nc.id,
                    changes: vec![change],
                }),
            }
        }
    }
    out
}

/// The index of the TableDiff for the pair, added (empty) when missing.
pub(super) fn ensure_table_diff(
    d: &mut SchemaDiff,
    oid: TableId,
    nid: TableId,
    nt: &Table,
) -> usize {
    if let Some(i) = d.tables_changed.iter().position(|t| t.new_id == nid) {
        return i;
    }
    d.tables_changed
        .push(TableDiff::unchanged(oid, nid, nt.qualified_name()));
    d.tables_changed.len() - 1
}
