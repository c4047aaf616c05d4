//! The migration script itself: every step in dependency order (see the module docs).

use super::*;

pub(super) fn migration_with_fills(
    old: &Project,
    new: &Project,
    d: &SchemaDiff,
    dialect: Dialect,
    opts: MigrationOptions,
    fills: &Fills,
) -> Migration {
    let r = rules(dialect);
    let d = &with_rendered_type_changes(old, new, d, r);
    let mut cx = Cx::new(new);
    let mut out = Out {
        stmts: Vec::new(),
        safety: Vec::new(),
    };
    let fks_in_tables = r.fks_only_in_create_table();

    let old_of: BTreeMap<TableId, TableId> = d.table_map.iter().map(|(o, n)| (*n, *o)).collect();
    let dropped_tables: BTreeSet<TableId> = d.tables_dropped.iter().map(|t| t.id).collect();
    let added_tables: BTreeSet<TableId> = d.tables_added.iter().map(|t| t.id).collect();
    let added_fks: BTreeSet<ForeignKeyId> = d.foreign_keys_added.iter().map(|f| f.id).collect();
    let dropped_fks: BTreeSet<ForeignKeyId> = d.foreign_keys_dropped.iter().map(|f| f.id).collect();
    let retyped_fks = if r.retype_drops_fks() {
        mysql_retyped_fks(old, new, d, &dropped_fks, &added_fks)
    } else {
        Vec::new()
    };

    // SQLite: which kept tables ALTER TABLE cannot migrate (rebuilt instead).
    let mut rebuild: BTreeSet<TableId> = BTreeSet::new();
    for td in &d.tables_changed {
        if r.needs_rebuild(
            old,
            new,
            td,
            (&added_fks, &dropped_fks),
            opts.exact_column_order,
        ) {
            rebuild.insert(td.new_id);
        }
    }
    // Tables whose structure changes (views over them are dropped and created again).
    let touched_old: BTreeSet<TableId> = d
        .tables_changed
        .iter()
        .filter(|td| td.structure_changed() || td.rename.is_some() || !td.column_renames.is_empty())
        .map(|td| td.old_id)
        .chain(dropped_tables.iter().copied())
        .collect();

    // 1. Views that go, change, or read a changed table.
    let changed_views: BTreeSet<ViewId> = d.views_changed.iter().map(|v| v.id).collect();
    let dropped_views: BTreeSet<ViewId> = d.views_dropped.iter().map(|v| v.id).collect();
    let mut recreate_views: BTreeSet<String> = BTreeSet::new();
    for v in old.views() {
        let reads_touched = v.depends_on.iter().any(|t| touched_old.contains(t));
        let matched_changed = new
            .views()
            .any(|n| changed_views.contains(&n.id) && n.name.eq_ignore_ascii_case(&v.name));
        if dropped_views.contains(&v.id) || matched_changed || reads_touched {
            out.extend(crate::sql::ddl::drop_view(v, r));
            if !dropped_views.contains(&v.id) {
                recreate_views.insert(v.name.to_lowercase());
            }
        }
    }

    // Sequences whose owner changes are released first: dropping the old owner column or
    // table would drop them.
    let seq_pairs: Vec<(&Sequence, &Sequence)> = d
        .sequences_changed
        .iter()
        .filter_map(|c| Some((old.sequence(c.old_id)?, new.sequence(c.new_id)?)))
        .collect();
    if r.sequences() {
        for (o, n) in &seq_pairs {
            if o.owned_by.is_some() && seqs::owner_moves(d, o, n) {
                out.push(seqs::disown(r, o));
            }
        }
    }

    // 2. Foreign keys that go (SQLite: part of the table, rebuilt or dropped with it).
    if !fks_in_tables {
        // MySQL: kept keys over a column whose type changes go too, with the index InnoDB
        // made for them; both are added again in step 9.
        for (fk, _) in &retyped_fks {
            let t = old.table(fk.from_table).expect("fk source exists");
            let name = fk.name.clone().unwrap_or_else(|| {
                let g = r.unnamed_fk_name(old, t, fk);
                cx.warn(
                    &fk_desc(old, fk),
                    format!("unnamed foreign key dropped (its columns change type) by the name the engine gives it by default, `{g}`, and added again; check it"),
                );
                g
            });
            out.push(format!(
                "ALTER TABLE {} {}",
                qn(r, t),
                r.drop_constraint(ConstraintKind::ForeignKey, &r.ident(&name))
            ));
            if !leads_an_index(t, &fk.from_columns) {
                let ix = mysql_fk_index_name(t, fk);
                out.push(format!("DROP INDEX {} ON {}", r.ident(&ix), qn(r, t)));
            }
        }
        for f in &d.foreign_keys_dropped {
            let Some(fk) = old.foreign_key(f.id) else {
                continue;
            };
            let Some(t) = old.table(fk.from_table) else {
                continue;
            };
            let name = match &fk.name {
                Some(n) => n.clone(),
                None => {
                    let g = r.unnamed_fk_name(old, t, fk);
                    cx.warn(
                        &f.name,
                        format!("unnamed foreign key dropped by the name the engine gives it by default, `{g}`; check it"),
                    );
                    g
                }
            };
            out.push(format!(
                "ALTER TABLE {} {}",
                qn(r, t),
                r.drop_constraint(ConstraintKind::ForeignKey, &r.ident(&name))
            ));
            // InnoDB made an index for the key when none led with its columns, named after
            // the constraint (or its first column), and keeps it when the key goes.
            if r.implicit_fk_indexes()
                && !dropped_tables.contains(&t.id)
                && !leads_an_index(t, &fk.from_columns)
            {
                let ix = mysql_fk_index_name(t, fk);
                out.push(format!("DROP INDEX {} ON {}", r.ident(&ix), qn(r, t)));
            }
        }
    }

    // 3. Indexes and constraints that go, on kept tables altered in place.
    for td in &d.tables_changed {
        if rebuild.contains(&td.new_id) {
            continue;
        }
        let o = old.table(td.old_id).expect("diffed table exists");
        for ix in &td.indexes_dropped {
            out.push(r.drop_index(o, &qn(r, o), &ix.name));
        }
        for u in &td.uniques_dropped {
            let uq = o
                .uniques
                .iter()
                .find(|x| x.id == u.id)
                .expect("dropped unique exists");
            let name = uq
                .name
                .clone()
                .unwrap_or_else(|| guessed_name(r, o, &uq.columns, "key"));
            out.push(format!(
                "ALTER TABLE {} {}",
                qn(r, o),
                r.drop_constraint(ConstraintKind::Unique, &r.ident(&name))
            ));
        }
        for c in &td.checks_dropped {
            let ck = o
                .checks
                .iter()
                .find(|x| x.id == c.id)
                .expect("dropped check exists");
            let name = ck
                .name
                .clone()
                .unwrap_or_else(|| format!("{}_check", o.name));
            if ck.name.is_none() {
                cx.warn(
                    &format!("{}.{}", o.name, c.name),
                    format!("unnamed check dropped as `{name}`; check the name the engine gave it"),
                );
            }
            out.push(format!(
                "ALTER TABLE {} {}",
                qn(r, o),
                r.drop_constraint(ConstraintKind::Check, &r.ident(&name))
            ));
        }
        if td.primary_key_changed
            && let Some(pk) = &o.primary_key
        {
            let name = pk
                .name
                .clone()
                .unwrap_or_else(|| guessed_name(r, o, &pk.columns, "pkey"));
            out.push(format!(
                "ALTER TABLE {} {}",
                qn(r, o),
                r.drop_constraint(ConstraintKind::PrimaryKey, &r.ident(&name))
            ));
        }
    }

    // Partitions that leave their parent (or change bound) are detached first: dropping the
    // parent would drop them, and a new bound needs a new ATTACH.
    let attached = |o: &Table, n: &Table| match (o.partition_of.as_ref(), n.partition_of.as_ref()) {
        (Some(a), Some(b)) => d.table_map.get(&a.parent) == Some(&b.parent) && a.bound == b.bound,
        _ => false,
    };
    if r.partitions() {
        for (oid, nid) in &d.table_map {
            let (o, n) = (old.table(*oid), new.table(*nid));
            if let (Some(o), Some(n)) = (o, n)
                && let Some(of) = &o.partition_of
                && !attached(o, n)
                && let Some(parent) = old.table(of.parent)
            {
                out.push(format!(
                    "ALTER TABLE {} DETACH PARTITION {}",
                    qn(r, parent),
                    qn(r, o)
                ));
            }
        }
    }

    // 4. Tables that go (a partition whose parent goes too goes with it).
    for t in &d.tables_dropped {
        let o = old.table(t.id).expect("dropped table exists");
        out.issue(
            "MG001",
            &t.name,
            "table dropped: its rows are lost, and code still reading it breaks (drop it in a later release)",
        );
        let with_parent = r.partitions()
            && o.partition_of
                .as_ref()
                .is_some_and(|of| dropped_tables.contains(&of.parent));
        if !with_parent {
            out.push(format!("DROP TABLE {}", qn(r, o)));
        }
    }

    // New schemas.
    let old_schemas: BTreeSet<String> = old
        .tables()
        .filter_map(|t| t.schema.as_deref())
        .chain(old.enums().filter_map(|e| e.schema.as_deref()))
        .chain(old.views().filter_map(|v| v.schema.as_deref()))
        .map(str::to_lowercase)
        .collect();
    let new_schemas: BTreeSet<&str> = new
        .tables()
        .filter_map(|t| t.schema.as_deref())
        .chain(new.enums().filter_map(|e| e.schema.as_deref()))
        .chain(new.views().filter_map(|v| v.schema.as_deref()))
        .collect();
    for sname in new_schemas {
        if !old_schemas.contains(&sname.to_lowercase())
            && let Some(stmt) = r.create_schema(sname, &mut cx)
        {
            out.push(stmt);
        }
    }

    // Extra SQL of NEW (in this dialect) that OLD does not have: before the tables or at the end.
    let norm = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let old_extra: BTreeSet<String> = old
        .extra_sql()
        .filter(|x| x.dialect == dialect)
        .map(|x| norm(&x.sql))
        .collect();
    let new_extra: BTreeSet<String> = new
        .extra_sql()
        .filter(|x| x.dialect == dialect)
        .map(|x| norm(&x.sql))
        .collect();
    let added_extra: Vec<&ExtraSql> = new
        .extra_sql()
        .filter(|x| x.dialect == dialect && !old_extra.contains(&norm(&x.sql)))
        .collect();
    let gone_extra = old_extra.difference(&new_extra).count();
    for x in added_extra
        .iter()
        .filter(|x| x.placement == Placement::BeforeTables)
    {
        out.extra(r, x);
    }

    // 5. Enums (PostgreSQL types).
    for e in &d.enums_added {
        if let Some(e) = new.enum_type(e.id)
            && let Some(s) = r.create_enum(e, &mut cx)
        {
            out.push(s);
        }
    }
    for e in &d.enums_changed {
        if r.enum_types() {
            let ne = new.enum_type(e.new_id).expect("changed enum exists");
            if e.values_to.starts_with(&e.values_from) {
                for v in &e.values_to[e.values_from.len()..] {
                    out.push(format!(
                        "ALTER TYPE {} ADD VALUE {}",
                        r.qualified(ne.schema.as_deref(), &ne.name),
                        r.string_literal(v)
                    ));
                }
            } else {
                cx.warn(
                    &e.name,
                    "enum values removed or reordered: PostgreSQL cannot ALTER that; recreate the type by hand",
                );
            }
        }
    }

    // Sequences: new ones, and changes to kept ones (their owners come after the tables).
    if r.sequences() {
        for a in &d.sequences_added {
            let s = new.sequence(a.id).expect("added sequence exists");
            out.push(seqs::create(r, s));
            out.extend(seqs::comment(r, s));
        }
        for (o, n) in &seq_pairs {
            if o.name != n.name || o.schema != n.schema {
                out.issue(
                    "MG009",
                    o.qualified_name(),
                    format!(
                        "sequence renamed to {}: code calling nextval('{}') by name breaks",
                        n.qualified_name(),
                        o.name
                    ),
                );
            }
            for stmt in seqs::alter(r, o, n) {
                out.push(stmt);
            }
        }
    }

    // 6. Renames and new tables.
    let order = table_order(new);
    for td in &d.tables_changed {
        if let Some(rn) = &td.rename {
            let o = old.table(td.old_id).expect("diffed table exists");
            let n = new.table(td.new_id).expect("diffed table exists");
            out.issue(
                "MG008",
                &rn.from,
                format!(
                    "table renamed to {} (confidence {:.2}): code using the old name breaks; expand/contract: create the new table (or a view with the old name), dual-write, switch readers, then drop the old one",
                    rn.to, rn.confidence
                ),
            );
            for s in r.rename_table(o, n, (&qn(r, o), &qn(r, n))) {
                out.push(s);
            }
        }
    }
    for tid in &order {
        if !added_tables.contains(tid) {
            continue;
        }
        let t = new.table(*tid).expect("ordered table exists");
        let fks: Vec<&ForeignKey> = if fks_in_tables {
            new.foreign_keys_from(*tid)
        } else {
            Vec::new()
        };
        out.push(create_table(r, t, &fks, &mut cx));
        for c in r.comment_statements(t) {
            out.push(c);
        }
    }

    // 7. Kept tables: ALTER, or the SQLite rebuild.
    for tid in &order {
        let Some(td) = d.table(*tid) else {
            continue;
        };
        let o = old.table(td.old_id).expect("diffed table exists");
        let n = new.table(td.new_id).expect("diffed table exists");
        safety_for_table(
            &mut out,
            old,
            new,
            d,
            td,
            dialect,
            opts.exact_column_order,
            fills,
        );
        if rebuild.contains(tid) {
            rebuild_issue(&mut out, n, r);
            rebuild_table(&mut out, r, old, new, d, td, &added_fks, fills, &mut cx);
            // Dropping the old table dropped its triggers: create NEW's again (the added
            // ones come at the end with the other new extra SQL).
            let lname = n.name.to_lowercase();
            for x in new.extra_sql().filter(|x| {
                x.dialect == dialect
                    && x.kind == "trigger"
                    && old_extra.contains(&norm(&x.sql))
                    && crate::sql::dialect::util::contains_word(&x.sql.to_lowercase(), &lname)
            }) {
                out.extra(r, x);
            }
            continue;
        }
        let inherited;
        let td = match partition_parent_diff(d, o, n).filter(|_| r.partitions()) {
            Some(parent) => {
                inherited = without_inherited(td, parent);
                &inherited
            }
            None => td,
        };
        if td.column_order_changed && !opts.exact_column_order && r.alters_columns() {
            cx.warn(
                &n.name,
                "the model's column order differs from the table's: new columns are appended \
                 at the end (--exact-column-order rebuilds or reorders the table to match)",
            );
        }
        alter_table(
            &mut out,
            r,
            o,
            n,
            d,
            td,
            opts.exact_column_order,
            fills,
            &mut cx,
        );
    }

    // Partitions: new ones and kept tables that became one (or changed bound) are attached,
    // before the indexes (the parent's partitioned indexes then cover them, as in the export).
    if r.partitions() {
        for t in new.tables() {
            let Some(of) = &t.partition_of else { continue };
            let Some(parent) = new.table(of.parent).filter(|p| p.partition_by.is_some()) else {
                continue;
            };
            let kept = old_of
                .get(&t.id)
                .and_then(|o| old.table(*o))
                .is_some_and(|o| attached(o, t));
            if !kept {
                out.push(format!(
                    "ALTER TABLE {} ATTACH PARTITION {} {}",
                    qn(r, parent),
                    qn(r, t),
                    of.bound
                ));
            }
        }
    }

    // Sequence owners, now that every column exists.
    if r.sequences() {
        for a in &d.sequences_added {
            let s = new.sequence(a.id).expect("added sequence exists");
            out.extend(seqs::owned_by(r, new, s));
        }
        for (o, n) in &seq_pairs {
            if n.owned_by.is_some() && seqs::owner_moves(d, o, n) {
                out.extend(seqs::owned_by(r, new, n));
            }
        }
    }

    // 8. Indexes: on new tables, and added ones on kept tables altered in place.
    for tid in &order {
        let t = new.table(*tid).expect("ordered table exists");
        let existed = old_of.contains_key(tid);
        if rebuild.contains(tid) {
            continue;
        }
        let list: Vec<&Index> = if added_tables.contains(tid) {
            t.indexes.iter().collect()
        } else if let Some(td) = d.table(*tid) {
            t.indexes
                .iter()
                .filter(|ix| td.indexes_added.iter().any(|a| a.id == ix.id))
                .collect()
        } else {
            Vec::new()
        };
        for ix in list {
            if let Some(clause) = r.inline_index(t, ix, &mut Cx::new(new)) {
                if existed {
                    out.push(format!("ALTER TABLE {} ADD {clause}", qn(r, t)));
                }
                continue;
            }
            create_index(&mut out, r, t, ix, existed, opts, &mut cx);
        }
    }

    // 9. Foreign keys (SQLite: inline in CREATE TABLE).
    if !fks_in_tables {
        // MySQL: the kept keys dropped in step 2, with the names a fresh CREATE of NEW gives
        // them and their index, before new unnamed keys take the next numbers: an unnamed key
        // is named `_ibfk_N` as it was. InnoDB would name the index it makes after a named
        // constraint, so the index comes first, in the same statement, under the name InnoDB
        // gives it when the key is created unnamed (its first column).
        for (_, fk) in &retyped_fks {
            let t = new.table(fk.from_table).expect("fk source exists");
            let mut named = (*fk).clone();
            named.name = Some(
                fk.name
                    .clone()
                    .unwrap_or_else(|| r.unnamed_fk_name(new, t, fk)),
            );
            let index = if leads_an_index(t, &fk.from_columns) {
                String::new()
            } else {
                format!(
                    "INDEX {} ({}), ADD ",
                    r.ident(&mysql_fk_index_name(t, fk)),
                    column_list(r, t, &fk.from_columns)
                )
            };
            out.push(format!(
                "ALTER TABLE {} ADD {index}{}",
                qn(r, t),
                fk_clause(r, &named, &mut cx)
            ));
        }
        let mut validate = Vec::new();
        for f in &d.foreign_keys_added {
            let fk = new.foreign_key(f.id).expect("added fk exists");
            let t = new.table(fk.from_table).expect("fk source exists");
            let existed = old_of.contains_key(&fk.from_table);
            let mut s = format!("ALTER TABLE {} ADD {}", qn(r, t), fk_clause(r, fk, &mut cx));
            if r.fk_not_valid() && existed {
                if opts.fk_not_valid {
                    s.push_str(" NOT VALID");
                    let name = fk
                        .name
                        .clone()
                        .unwrap_or_else(|| guessed_name(r, t, &fk.from_columns, "fkey"));
                    validate.push(format!(
                        "ALTER TABLE {} VALIDATE CONSTRAINT {}",
                        qn(r, t),
                        r.ident(&name)
                    ));
                } else {
                    out.issue(
                        "MG007",
                        &f.name,
                        "foreign key added to an existing table validates every row under a lock that blocks writes; add it NOT VALID, then VALIDATE CONSTRAINT (--fk-not-valid)",
                    );
                }
            }
            out.push(s);
        }
        out.stmts.extend(validate);
    }

    // 10. Views.
    let added_views: BTreeSet<ViewId> = d.views_added.iter().map(|v| v.id).collect();
    for v in new.views() {
        if added_views.contains(&v.id)
            || changed_views.contains(&v.id)
            || recreate_views.contains(&v.name.to_lowercase())
        {
            if let Err(e) = crate::sql::ddl::writable(&v.sql, dialect) {
                cx.warn(&v.name, format!("view not created: its query {e}"));
                continue;
            }
            for stmt in crate::sql::ddl::create_view(new, v, r, &mut cx) {
                match stmt {
                    crate::sql::ddl::ViewStmt::Stmt(s) => out.push(s),
                    crate::sql::ddl::ViewStmt::Routine(s) => out.raw(r.extra_statement(&s)),
                }
            }
        }
    }

    // Sequences that go (after the defaults reading them). One owned by a dropped table or
    // column went with it.
    if r.sequences() {
        for x in &d.sequences_dropped {
            let Some(s) = old.sequence(x.id) else {
                continue;
            };
            out.issue(
                "MG009",
                s.qualified_name(),
                format!(
                    "sequence dropped: its position is lost, and code calling nextval('{}') by name breaks",
                    s.name
                ),
            );
            let gone_with_owner = s.owned_by.is_some_and(|w| {
                !d.table_map.contains_key(&w.table) || !d.column_map.contains_key(&w.column)
            });
            out.push(format!(
                "DROP SEQUENCE {}{}",
                if gone_with_owner { "IF EXISTS " } else { "" },
                r.qualified(s.schema.as_deref(), &s.name)
            ));
        }
    }

    // 11. Enums that go (after the columns using them).
    if r.enum_types() {
        for e in &d.enums_dropped {
            if let Some(e) = old.enum_type(e.id) {
                out.push(format!(
                    "DROP TYPE {}",
                    r.qualified(e.schema.as_deref(), &e.name)
                ));
            }
        }
    }
    for x in added_extra
        .iter()
        .filter(|x| x.placement == Placement::AfterTables)
    {
        out.extra(r, x);
    }
    if gone_extra > 0 {
        cx.warn(
            "extra SQL",
            format!(
                "{gone_extra} function/trigger/other statement(s) of OLD are not in NEW; not dropped (write the DROP by hand)"
            ),
        );
    }

    let warnings = cx.into_warnings();
    render(dialect, old, new, out, warnings, opts)
}
