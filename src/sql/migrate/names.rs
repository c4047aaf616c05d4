//! Names the engines give unnamed constraints and indexes, and renaming them with a table.

use super::*;

pub(super) fn qn(r: &dyn DialectRules, t: &Table) -> String {
    r.qualified(t.schema.as_deref(), &t.name)
}

/// The name an engine gives an unnamed constraint, for dropping it.
pub(super) fn guessed_name(
    r: &dyn DialectRules,
    t: &Table,
    cols: &[ColumnId],
    kind: &str,
) -> String {
    let cols: Vec<String> = cols.iter().map(|c| t.column_name(*c)).collect();
    r.guessed_name(&t.name, &cols, kind)
}

/// PostgreSQL's `makeObjectName`: `name1_name2_label`, the longer of name1 and name2 cut
/// one byte at a time until the whole fits in 63 bytes.
pub(crate) fn pg_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let avail = 63usize.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let a = crate::sql::ddl::truncate_bytes(name1, n1);
    match name2 {
        Some(b) => format!("{a}_{}_{label}", crate::sql::ddl::truncate_bytes(b, n2)),
        None => format!("{a}_{label}"),
    }
}

/// The name InnoDB gives an unnamed foreign key of a table created by Crowfoot's export:
/// `table_ibfk_N`, the unnamed keys numbered in the order they were created (inline in
/// CREATE TABLE, then the ones added by ALTER TABLE, by id).
pub(crate) fn mysql_fk_name(p: &Project, fk: &ForeignKey) -> String {
    let rank: BTreeMap<TableId, usize> = table_order(p)
        .into_iter()
        .enumerate()
        .map(|(i, t)| (t, i))
        .collect();
    let t = fk.from_table;
    let here = rank.get(&t).copied().unwrap_or(0);
    let all = p.foreign_keys_from(t);
    let inline =
        |f: &&ForeignKey| f.to_table == t || rank.get(&f.to_table).is_some_and(|r| *r < here);
    let mut deferred: Vec<&ForeignKey> = all.iter().filter(|f| !inline(f)).copied().collect();
    deferred.sort_by_key(|f| f.id);
    let n = all
        .iter()
        .filter(|f| inline(f))
        .copied()
        .chain(deferred)
        .filter(|f| f.name.is_none())
        .position(|f| f.id == fk.id)
        .map_or(1, |i| i + 1);
    let name = p.table(t).map(|t| t.name.as_str()).unwrap_or("");
    format!("{name}_ibfk_{n}")
}

/// MySQL/MariaDB: the kept foreign keys (OLD's key, NEW's key) over a column, on either side,
/// whose type changes. InnoDB refuses to change the type of a column a foreign key uses
/// (error 1833, "Cannot change column ...: used in a foreign key constraint"), so these keys
/// are dropped before the tables are altered and added again after.
pub(super) fn mysql_retyped_fks<'a>(
    old: &'a Project,
    new: &'a Project,
    d: &SchemaDiff,
    dropped: &BTreeSet<ForeignKeyId>,
    added: &BTreeSet<ForeignKeyId>,
) -> Vec<(&'a ForeignKey, &'a ForeignKey)> {
    let retyped: BTreeSet<ColumnId> = d
        .tables_changed
        .iter()
        .flat_map(|td| &td.columns_changed)
        .filter(|c| {
            c.changes
                .iter()
                .any(|k| matches!(k, ColumnChangeKind::Type { .. }))
        })
        .map(|c| c.old_id)
        .collect();
    let mut out = Vec::new();
    for a in old.foreign_keys().filter(|a| !dropped.contains(&a.id)) {
        let Some(to) = old.table(a.to_table) else {
            continue;
        };
        if !a
            .from_columns
            .iter()
            .chain(a.target_columns(to))
            .any(|c| retyped.contains(c))
        {
            continue;
        }
        let from_columns: Option<Vec<ColumnId>> = a
            .from_columns
            .iter()
            .map(|c| d.column_map.get(c).copied())
            .collect();
        let kept = new.foreign_keys().find(|b| {
            !added.contains(&b.id)
                && d.table_map.get(&a.from_table) == Some(&b.from_table)
                && d.table_map.get(&a.to_table) == Some(&b.to_table)
                && from_columns.as_ref() == Some(&b.from_columns)
        });
        if let Some(b) = kept {
            out.push((a, b));
        }
    }
    out
}

/// The name of the index InnoDB makes for foreign key `fk` of `t` when no index leads with its
/// columns: the constraint's, or for an unnamed key its first column's.
pub(super) fn mysql_fk_index_name(t: &Table, fk: &ForeignKey) -> String {
    fk.name
        .clone()
        .unwrap_or_else(|| t.column_name(fk.from_columns[0]))
}

/// Does a key or index of `t` start with `cols`?
pub(super) fn leads_an_index(t: &Table, cols: &[ColumnId]) -> bool {
    let leads = |v: &[ColumnId]| v.len() >= cols.len() && v[..cols.len()] == *cols;
    t.primary_key.as_ref().is_some_and(|k| leads(&k.columns))
        || t.uniques.iter().any(|u| leads(&u.columns))
        || t.indexes.iter().any(|ix| {
            let v: Vec<ColumnId> = ix.parts.iter().map_while(|p| p.target.column()).collect();
            leads(&v)
        })
}

/// PostgreSQL names unnamed keys after their table and columns when they are created, and
/// keeps the names through renames: rename them as NEW's would be named.
pub(super) fn pg_rename_engine_names(
    out: &mut Out,
    r: &dyn DialectRules,
    o: &Table,
    n: &Table,
    d: &SchemaDiff,
    td: &TableDiff,
) {
    let tn = qn(r, n);
    let map = |v: &[ColumnId]| -> Vec<ColumnId> {
        v.iter()
            .filter_map(|c| d.column_map.get(c).copied())
            .collect()
    };
    let mut renames = Vec::new();
    if !td.primary_key_changed
        && let (Some(op), Some(np)) = (&o.primary_key, &n.primary_key)
        && op.name.is_none()
        && np.name.is_none()
    {
        renames.push((
            guessed_name(r, o, &op.columns, "pkey"),
            guessed_name(r, n, &np.columns, "pkey"),
        ));
    }
    for nu in n.uniques.iter().filter(|u| u.name.is_none()) {
        if td.uniques_added.iter().any(|a| a.id == nu.id) {
            continue;
        }
        if let Some(ou) = o
            .uniques
            .iter()
            .find(|u| u.name.is_none() && map(&u.columns) == nu.columns)
        {
            renames.push((
                guessed_name(r, o, &ou.columns, "key"),
                guessed_name(r, n, &nu.columns, "key"),
            ));
        }
    }
    for (from, to) in renames {
        if from != to {
            out.push(format!(
                "ALTER TABLE {tn} RENAME CONSTRAINT {} TO {}",
                r.ident(&from),
                r.ident(&to)
            ));
        }
    }
}
