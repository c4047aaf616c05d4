//! SQLite (and `--exact-column-order`) table rebuilds: when one is needed and the steps.

use super::*;

/// Columns an old table's keys, indexes, checks and foreign keys use.
pub(super) fn constrained_columns(p: &Project, t: &Table) -> BTreeSet<ColumnId> {
    let mut s = keyed_columns(p, t);
    for ck in &t.checks {
        for c in &t.columns {
            if crate::sql::dialect::util::contains_word(
                &ck.expr.to_lowercase(),
                &c.name.to_lowercase(),
            ) {
                s.insert(c.id);
            }
        }
    }
    s
}

pub(crate) fn sqlite_needs_rebuild(
    old: &Project,
    new: &Project,
    td: &TableDiff,
    added_fks: &BTreeSet<ForeignKeyId>,
    dropped_fks: &BTreeSet<ForeignKeyId>,
) -> bool {
    let o = old.table(td.old_id).expect("diffed table exists");
    let n = new.table(td.new_id).expect("diffed table exists");
    if td.column_order_changed
        || td.primary_key_changed
        || !td.uniques_added.is_empty()
        || !td.uniques_dropped.is_empty()
        || !td.checks_added.is_empty()
        || !td.checks_dropped.is_empty()
        || td.columns_changed.iter().any(|c| {
            c.changes
                .iter()
                .any(|k| !matches!(k, ColumnChangeKind::Comment { .. }))
        })
    {
        return true;
    }
    if new
        .foreign_keys_from(n.id)
        .iter()
        .any(|f| added_fks.contains(&f.id))
        || old
            .foreign_keys_from(o.id)
            .iter()
            .any(|f| dropped_fks.contains(&f.id))
    {
        return true;
    }
    let used = constrained_columns(old, o);
    if td.columns_dropped.iter().any(|c| used.contains(&c.id)) {
        return true;
    }
    let keyed_new = keyed_columns(new, n);
    td.columns_added.iter().any(|c| {
        let col = n.column(c.id).expect("added column exists");
        keyed_new.contains(&col.id)
            || (!col.nullable && col.default.is_none())
            || col.identity.is_some()
            || col.generated.as_ref().is_some_and(|g| g.stored)
            || col.default.as_deref().is_some_and(|x| {
                let x = x.trim().to_uppercase();
                x.starts_with("CURRENT_") || x.contains('(')
            })
    })
}

/// The table rebuild (SQLite's 12-step procedure; PostgreSQL for a new column order):
/// create the new shape under a temporary name, copy every row, drop the old table, rename,
/// re-index (PostgreSQL: re-add the foreign keys from and to it, reset identity sequences).
#[allow(clippy::too_many_arguments)]
pub(super) fn rebuild_table(
    out: &mut Out,
    r: &dyn DialectRules,
    old: &Project,
    new: &Project,
    d: &SchemaDiff,
    td: &TableDiff,
    added_fks: &BTreeSet<ForeignKeyId>,
    fills: &Fills,
    cx: &mut Cx,
) {
    let pg = r.schema_scoped_constraint_names();
    let o = old.table(td.old_id).expect("diffed table exists");
    let n = new.table(td.new_id).expect("diffed table exists");
    let tmp = format!("_crowfoot_new_{}", n.name);
    let tmp_q = r.qualified(n.schema.as_deref(), &tmp);
    let mut shape = n.clone();
    let mut key_renames: Vec<(String, String)> = Vec::new();
    let fks = if pg {
        // Key names live in the schema's namespace, next to the old table's: create them
        // under temporary names and rename them once the old table is gone (unnamed keys
        // get the names PostgreSQL gives NEW's).
        if let Some(pk) = shape.primary_key.as_mut() {
            let fin = pk
                .name
                .clone()
                .unwrap_or_else(|| pg_object_name(&n.name, None, "pkey"));
            let t = format!("_crowfoot_{}_pk", n.id);
            key_renames.push((t.clone(), fin));
            pk.name = Some(t);
        }
        for (i, u) in shape.uniques.iter_mut().enumerate() {
            let cols: Vec<String> = u.columns.iter().map(|c| n.column_name(*c)).collect();
            let fin = u
                .name
                .clone()
                .unwrap_or_else(|| pg_object_name(&n.name, Some(&cols.join("_")), "key"));
            let t = format!("_crowfoot_{}_uq{i}", n.id);
            key_renames.push((t.clone(), fin));
            u.name = Some(t);
        }
        Vec::new()
    } else {
        new.foreign_keys_from(n.id)
    };
    let create = create_table(r, &shape, &fks, cx);
    let head = format!("CREATE TABLE {} (", qn(r, n));
    let create = create.replacen(&head, &format!("CREATE TABLE {tmp_q} ("), 1);
    out.push(create);
    // A renamed table already carries its new name here.
    let src = if td.rename.is_some() {
        qn(r, n)
    } else {
        qn(r, o)
    };
    let mut into = Vec::new();
    let mut from = Vec::new();
    for c in &n.columns {
        if c.generated.is_some() {
            continue;
        }
        if let Some((oc, _)) = d.column_map.iter().find(|(_, nc)| **nc == c.id)
            && let Some(ocol) = o.column(*oc)
            && ocol.generated.is_none()
        {
            into.push(r.ident(&c.name));
            from.push(r.ident(&ocol.name));
        } else if let Some(f) = fill_for(fills, n, c) {
            // A new column: the rows copied get the one-off fill.
            into.push(r.ident(&c.name));
            from.push(f.to_string());
        }
    }
    if !into.is_empty() {
        let overriding = if pg
            && n.columns
                .iter()
                .any(|c| c.identity == Some(Identity::Always))
        {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        out.push(format!(
            "INSERT INTO {tmp_q} ({}){overriding} SELECT {} FROM {}",
            into.join(", "),
            from.join(", "),
            src
        ));
    }
    // PostgreSQL: CASCADE drops the foreign keys into it (re-added below).
    out.push(format!(
        "DROP TABLE {src}{}",
        if pg { " CASCADE" } else { "" }
    ));
    out.push(format!(
        "ALTER TABLE {tmp_q} RENAME TO {}",
        r.ident(&n.name)
    ));
    if pg {
        for (from, to) in &key_renames {
            out.push(format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
                qn(r, n),
                r.ident(from),
                r.ident(to)
            ));
        }
        for c in n.columns.iter().filter(|c| c.identity.is_some()) {
            let cn = r.ident(&c.name);
            out.push(format!(
                "SELECT setval(pg_get_serial_sequence({}, {}), coalesce(max({cn}), 0) + 1, false) FROM {}",
                r.string_literal(&qn(r, n)),
                r.string_literal(&c.name),
                qn(r, n)
            ));
        }
        let mut seen = BTreeSet::new();
        for fk in new
            .foreign_keys_from(n.id)
            .into_iter()
            .chain(new.foreign_keys_to(n.id))
        {
            if added_fks.contains(&fk.id) || !seen.insert(fk.id) {
                continue;
            }
            let from = new.table(fk.from_table).expect("fk source exists");
            out.push(format!(
                "ALTER TABLE {} ADD {}",
                qn(r, from),
                fk_clause(r, fk, cx)
            ));
        }
    }
    for ix in &n.indexes {
        let ix = match translate_index(r, n, ix, cx) {
            Ok(ix) => ix,
            Err(_) => continue,
        };
        if let Ok(s) = r.create_index(n, &ix, cx) {
            out.push(s);
        }
    }
}

pub(super) fn rebuild_issue(out: &mut Out, n: &Table, r: &dyn DialectRules) {
    let why = r.rebuild_reason();
    out.issue(
        "MG006",
        &n.name,
        format!("{why}: the table is rebuilt (new table, rows copied with INSERT ... SELECT, old table dropped, new one renamed, indexes recreated), locking it for the copy"),
    );
}
