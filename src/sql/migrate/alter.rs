//! Kept tables altered in place: columns, keys, indexes, partitions.

use super::*;

pub(super) fn create_index(
    out: &mut Out,
    r: &dyn DialectRules,
    t: &Table,
    ix: &Index,
    existed: bool,
    opts: MigrationOptions,
    cx: &mut Cx,
) {
    crate::sql::ddl::index_part_warnings(r, t, ix, cx);
    let ix = match translate_index(r, t, ix, cx) {
        Ok(ix) => ix,
        Err(_) => return,
    };
    let Ok(mut s) = r.create_index(t, &ix, cx) else {
        return;
    };
    if r.concurrent_index_builds() && existed {
        if opts.concurrent_indexes {
            for head in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] {
                if let Some(rest) = s.strip_prefix(head) {
                    s = format!("{head}CONCURRENTLY {rest}");
                    break;
                }
            }
        } else {
            out.issue(
                "MG005",
                format!("{}.{}", t.name, ix.name),
                "index built on an existing table without CONCURRENTLY blocks writes for the whole build (--concurrently; it cannot run inside a transaction)",
            );
        }
    }
    out.push(s);
}

/// The diff of the partitioned table `n` is a partition of, when `n` was already a partition of
/// it in OLD (PostgreSQL then applies column changes made on the parent to its partitions).
pub(super) fn partition_parent_diff<'d>(
    d: &'d SchemaDiff,
    o: &Table,
    n: &Table,
) -> Option<&'d TableDiff> {
    let parent = n.partition_of.as_ref()?.parent;
    let was = o.partition_of.as_ref()?.parent;
    (d.table_map.get(&was) == Some(&parent))
        .then(|| d.table(parent))
        .flatten()
}

/// `td` without the column changes its partitioned `parent` makes too: PostgreSQL adds, drops,
/// renames and retypes a partition's columns with its parent's (`ALTER TABLE partition ADD
/// COLUMN` is refused: "cannot add column to a partition"), and sets their defaults and NOT
/// NULL along.
pub(super) fn without_inherited(td: &TableDiff, parent: &TableDiff) -> TableDiff {
    let named = |v: &[crate::sql::diff::ObjectRef<ColumnId>], name: &str| {
        v.iter().any(|c| c.name.eq_ignore_ascii_case(name))
    };
    let mut out = td.clone();
    out.columns_added
        .retain(|c| !named(&parent.columns_added, &c.name));
    out.columns_dropped
        .retain(|c| !named(&parent.columns_dropped, &c.name));
    out.column_renames.retain(|r| {
        !parent
            .column_renames
            .iter()
            .any(|p| p.from == r.from && p.to == r.to)
    });
    for c in &mut out.columns_changed {
        if let Some(pc) = parent.columns_changed.iter().find(|p| p.column == c.column) {
            c.changes.retain(|k| !pc.changes.contains(k));
        }
    }
    out.columns_changed.retain(|c| !c.changes.is_empty());
    // New columns come at the parent's place in the partition: not an order change of its own.
    if out.columns_added.is_empty() {
        out.column_order_changed = false;
    }
    out
}

#[allow(clippy::too_many_arguments)]
pub(super) fn alter_table(
    out: &mut Out,
    r: &dyn DialectRules,
    o: &Table,
    n: &Table,
    d: &SchemaDiff,
    td: &TableDiff,
    exact_order: bool,
    fills: &Fills,
    cx: &mut Cx,
) {
    let tn = qn(r, n);
    let p = cx.project;
    let keyed = keyed_columns(p, n);
    let xs = ExprScope::new(r, n, p);
    for rn in &td.column_renames {
        out.push(format!(
            "ALTER TABLE {tn} RENAME COLUMN {} TO {}",
            r.ident(&rn.from),
            r.ident(&rn.to)
        ));
    }
    if r.renames_engine_names() && (td.rename.is_some() || !td.column_renames.is_empty()) {
        pg_rename_engine_names(out, r, o, n, d, td);
    }
    for c in &td.columns_dropped {
        out.push(format!("ALTER TABLE {tn} DROP COLUMN {}", r.ident(&c.name)));
    }
    for c in &td.columns_added {
        let col = n.column(c.id).expect("added column exists");
        // A one-off fill (SQL of the target dialect): the column is added with it as its
        // default, so existing rows get it, then the default goes (the model has none).
        let fill = fill_for(fills, n, col).filter(|_| col.default.is_none() && !col.nullable);
        let (mut def, _, _) = column_definition(r, n, col, keyed.contains(&col.id), &xs, cx);
        if let Some(f) = fill {
            def.push_str(&format!(" DEFAULT {f}"));
        }
        let mut s = format!("ALTER TABLE {tn} ADD COLUMN {def}");
        if r.column_positions() && exact_order {
            let i = n.column_index(col.id).expect("column exists");
            if i == 0 {
                s.push_str(" FIRST");
            } else {
                s.push_str(&format!(" AFTER {}", r.ident(&n.columns[i - 1].name)));
            }
        }
        out.push(s);
        if fill.is_some() && r.alters_columns() {
            out.push(format!(
                "ALTER TABLE {tn} ALTER COLUMN {} DROP DEFAULT",
                r.ident(&col.name)
            ));
        }
    }
    if !r.alters_columns() {
        // Only comment changes remain here (the rest forces a rebuild).
        return;
    }
    for ch in &td.columns_changed {
        let nc = n.column(ch.new_id).expect("changed column exists");
        let cn = r.ident(&nc.name);
        if r.modify_column_whole() {
            let (def, _, _) = column_definition(r, n, nc, keyed.contains(&nc.id), &xs, cx);
            out.push(format!("ALTER TABLE {tn} MODIFY COLUMN {def}"));
            continue;
        }
        let type_and_default = ch
            .changes
            .iter()
            .any(|k| matches!(k, ColumnChangeKind::Type { .. }))
            && ch
                .changes
                .iter()
                .any(|k| matches!(k, ColumnChangeKind::Default { .. }));
        for k in &ch.changes {
            match k {
                ColumnChangeKind::Type { .. } => {
                    let ty = column_type(r, n, nc, keyed.contains(&nc.id), cx);
                    // PostgreSQL casts the old default to the new type: it keeps the old
                    // type's cast (`''::character varying` on a text column) or refuses when
                    // no cast exists. Drop it first and set the new model's default after.
                    // The new default (changed or not) is set here; the Default arm skips.
                    let had_default = o.column(ch.old_id).is_some_and(|oc| oc.default.is_some());
                    if had_default {
                        out.push(format!("ALTER TABLE {tn} ALTER COLUMN {cn} DROP DEFAULT"));
                    }
                    out.push(format!(
                        "ALTER TABLE {tn} ALTER COLUMN {cn} TYPE {ty} USING {cn}::{ty}"
                    ));
                    if (had_default || type_and_default)
                        && nc.identity.is_none()
                        && nc.generated.is_none()
                        && let Some(e) = &nc.default
                    {
                        match xs.translate_default(e, &nc.ty) {
                            Ok((d, _)) => out.push(format!(
                                "ALTER TABLE {tn} ALTER COLUMN {cn} SET DEFAULT {}",
                                r.default_expr(&d, nc, cx)
                            )),
                            Err(why) => cx.warn(
                                &format!("{}.{}", n.name, nc.name),
                                format!("default `{}` not set again: {why}", e.trim()),
                            ),
                        }
                    }
                }
                ColumnChangeKind::Nullable { to, .. } => out.push(format!(
                    "ALTER TABLE {tn} ALTER COLUMN {cn} {} NOT NULL",
                    if *to { "DROP" } else { "SET" }
                )),
                ColumnChangeKind::Default { .. } if type_and_default => {}
                ColumnChangeKind::Default { to, .. } => match to {
                    Some(e) if nc.identity.is_none() && nc.generated.is_none() => {
                        match xs.translate_default(e, &nc.ty) {
                            Ok((d, note)) => {
                                if let Some(note) = note {
                                    cx.warn(
                                        &format!("{}.{}", n.name, nc.name),
                                        format!("default `{}`: {note}", e.trim()),
                                    );
                                }
                                out.push(format!(
                                    "ALTER TABLE {tn} ALTER COLUMN {cn} SET DEFAULT {}",
                                    r.default_expr(&d, nc, cx)
                                ))
                            }
                            Err(why) => cx.warn(
                                &format!("{}.{}", n.name, nc.name),
                                format!("default `{}` not set: {why}", e.trim()),
                            ),
                        }
                    }
                    _ => out.push(format!("ALTER TABLE {tn} ALTER COLUMN {cn} DROP DEFAULT")),
                },
                ColumnChangeKind::Identity { from, to } => {
                    if from.is_some() {
                        out.push(format!(
                            "ALTER TABLE {tn} ALTER COLUMN {cn} DROP IDENTITY IF EXISTS"
                        ));
                    }
                    if let Some(i) = to {
                        let kind = match i {
                            Identity::Always => "ALWAYS",
                            Identity::ByDefault => "BY DEFAULT",
                        };
                        out.push(format!(
                            "ALTER TABLE {tn} ALTER COLUMN {cn} ADD GENERATED {kind} AS IDENTITY"
                        ));
                    }
                }
                ColumnChangeKind::Generated { .. } => {
                    cx.warn(
                        &format!("{}.{}", n.name, nc.name),
                        "generation expression changed: the column is dropped and added again",
                    );
                    let (def, _, _) = column_definition(r, n, nc, keyed.contains(&nc.id), &xs, cx);
                    out.push(format!("ALTER TABLE {tn} DROP COLUMN {cn}"));
                    out.push(format!("ALTER TABLE {tn} ADD COLUMN {def}"));
                }
                // Only MySQL has ON UPDATE (its MODIFY COLUMN above restates it); the projects
                // were compared without it elsewhere (`as_exported`).
                ColumnChangeKind::OnUpdate { .. } => {}
                ColumnChangeKind::Comment { to, .. } => out.push(format!(
                    "COMMENT ON COLUMN {tn}.{cn} IS {}",
                    to.as_deref()
                        .map(|c| r.string_literal(c))
                        .unwrap_or_else(|| "NULL".into())
                )),
            }
        }
    }
    if td.comment_changed
        && let Some(s) = r.table_comment(&tn, n.comment.as_deref())
    {
        out.push(s);
    }
    if td.primary_key_changed
        && let Some(pk) = &n.primary_key
    {
        out.push(format!(
            "ALTER TABLE {tn} ADD {}PRIMARY KEY ({})",
            constraint_prefix(r, pk.name.as_deref()),
            r.key_column_list(n, &pk.columns, "primary key", cx)
        ));
    }
    for u in &td.uniques_added {
        let uq = n
            .uniques
            .iter()
            .find(|x| x.id == u.id)
            .expect("added unique exists");
        out.push(format!(
            "ALTER TABLE {tn} ADD {}UNIQUE ({})",
            constraint_prefix(r, uq.name.as_deref()),
            r.key_column_list(n, &uq.columns, uq.name.as_deref().unwrap_or("unique"), cx)
        ));
    }
    for c in &td.checks_added {
        let ck = n
            .checks
            .iter()
            .find(|x| x.id == c.id)
            .expect("added check exists");
        match xs.translate(&ck.expr, Place::Check) {
            Ok(e) => out.push(format!(
                "ALTER TABLE {tn} ADD {}CHECK ({})",
                constraint_prefix(r, ck.name.as_deref()),
                e.trim()
            )),
            Err(why) => cx.warn(
                &format!("{}.{}", n.name, c.name),
                format!("CHECK not created: {why}"),
            ),
        }
    }
    let _ = (o, d);
}
