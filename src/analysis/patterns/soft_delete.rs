//! `soft-delete --table T`: rows are marked deleted (`deleted_at`) instead of removed. Each
//! unique constraint of T becomes a unique index partial on `deleted_at IS NULL` (a deleted
//! row frees its value for a new row); each full unique index of T gets that predicate too;
//! the view `T_live` shows the rows not deleted.
//!
//! MySQL and MariaDB have no partial indexes. There, the live rows' uniqueness is kept by a
//! virtual generated column `deleted_at_live` (1 on a live row, null on a deleted one; invisible,
//! so `SELECT *` and inserts without a column list do not see it) and, for each partial unique
//! index, a unique index of that name over its columns plus `deleted_at_live`: deleted rows all
//! have null there, and a unique index never compares nulls. Both are MySQL extra SQL; the
//! export writes them instead of the partial index.

use super::*;

/// The soft-delete column.
pub(crate) const COLUMN: &str = "deleted_at";
/// The predicate of the live rows (index predicates and the view).
pub(crate) const LIVE: &str = "deleted_at IS NULL";

/// The view of the live rows of `table`.
pub(crate) fn view_name(table: &str) -> String {
    derived(table, "_live")
}

/// MySQL's generated column standing in for the predicate, and its extra SQL's name.
const FLAG: &str = "deleted_at_live";
fn flag_name(table: &str) -> String {
    derived(table, &format!("_{FLAG}"))
}

pub(super) fn apply(d: &mut Draft, t: &Table, opts: &Options) -> Result<(), String> {
    if t.column_by_name(COLUMN).is_some() {
        return Err(format!("`{}` already has a column {COLUMN}", t.name));
    }
    let view = view_name(&t.name);
    d.free(t.schema.as_deref(), &view)?;
    let col = Column {
        comment: Some("Set when the row is deleted (crowfoot pattern soft-delete).".into()),
        ..d.column(COLUMN, LogicalType::TimestampTz, true)
    };
    d.changes.push(format!(
        "+ column {}.{COLUMN} (timestamp, null = live)",
        t.name
    ));
    d.cmds.push(Command::AddColumn {
        table: t.id,
        index: t.columns.len(),
        column: Box::new(col),
    });
    let names = |cols: &[ColumnId]| -> Vec<String> {
        cols.iter().map(|c| t.column_name(*c)).collect::<Vec<_>>()
    };
    // A key a foreign key references must stay over every row (engines refuse a partial one
    // as a foreign key's target).
    let referenced = |cols: &[ColumnId]| {
        d.p.foreign_keys_to(t.id).iter().any(|fk| {
            let mut a = fk.target_columns(t).to_vec();
            let mut b = cols.to_vec();
            a.sort();
            b.sort();
            a == b
        })
    };
    // (index name, its column names): the unique indexes partial on the live rows.
    let mut partial: Vec<(String, Vec<String>)> = Vec::new();
    for u in &t.uniques {
        let cols = names(&u.columns);
        if referenced(&u.columns) {
            d.notes.push(format!(
                "unique ({}) on {} stays over every row: a foreign key references it",
                cols.join(", "),
                t.name
            ));
            continue;
        }
        let name = u
            .name
            .clone()
            .unwrap_or_else(|| derived(&t.name, &format!("_{}_key", cols.join("_"))));
        if t.indexes.iter().any(|i| i.name == name) {
            return Err(format!(
                "`{}` already has an index {name}, the name its unique constraint would take",
                t.name
            ));
        }
        d.changes.push(format!(
            "~ unique ({}) on {} becomes unique index {name} WHERE {LIVE}",
            cols.join(", "),
            t.name
        ));
        partial.push((name.clone(), cols.clone()));
        d.cmds.push(Command::RemoveUnique {
            table: t.id,
            id: u.id,
        });
        d.cmds.push(Command::AddIndex {
            table: t.id,
            index: Box::new(Index {
                id: IndexId(d.id()),
                name,
                unique: true,
                parts: u.columns.iter().map(|c| IndexPart::column(*c)).collect(),
                where_clause: Some(LIVE.into()),
                include: Vec::new(),
                method: None,
            }),
            at: None,
        });
    }
    for ix in t
        .indexes
        .iter()
        .filter(|i| i.unique && i.where_clause.is_none())
    {
        let cols: Vec<ColumnId> = ix.parts.iter().filter_map(|p| p.target.column()).collect();
        if cols.len() == ix.parts.len() && referenced(&cols) {
            d.notes.push(format!(
                "unique index {} on {} stays over every row: a foreign key references it",
                ix.name, t.name
            ));
            continue;
        }
        d.changes.push(format!(
            "~ unique index {} on {} gets WHERE {LIVE}",
            ix.name, t.name
        ));
        if cols.len() == ix.parts.len() {
            partial.push((ix.name.clone(), names(&cols)));
        }
        d.cmds.push(Command::UpdateIndex {
            table: t.id,
            index: Box::new(Index {
                where_clause: Some(LIVE.into()),
                ..ix.clone()
            }),
        });
    }
    let written_in =
        d.p.settings()
            .expression_dialect
            .unwrap_or(Dialect::Postgres);
    let from = crate::sql::dialect::rules(written_in).qualified(t.schema.as_deref(), &t.name);
    d.changes
        .push(format!("+ view {view} (SELECT * FROM {from} WHERE {LIVE})"));
    d.cmds.push(Command::PutView(View {
        id: ViewId(d.id()),
        schema: t.schema.clone(),
        name: view,
        sql: format!("SELECT * FROM {from} WHERE {LIVE}"),
        materialized: false,
        depends_on: vec![t.id],
        comment: Some(format!(
            "The rows of {} not soft-deleted (crowfoot pattern soft-delete).",
            t.name
        )),
    }));
    history_note(d, t, &[COLUMN]);
    if opts.dialects.contains(&Dialect::MySql) && !partial.is_empty() {
        mysql_live_uniques(d, t, &partial);
    }
    Ok(())
}

/// MySQL/MariaDB: the generated column and the unique indexes over it (see the module docs).
fn mysql_live_uniques(d: &mut Draft, t: &Table, partial: &[(String, Vec<String>)]) {
    let r = crate::sql::dialect::rules(Dialect::MySql);
    let tq = r.qualified(t.schema.as_deref(), &t.name);
    let put = |d: &mut Draft, kind: &str, name: String, sql: String| {
        d.changes.push(format!("+ {kind} {name} (MySQL/MariaDB)"));
        d.cmds.push(Command::PutExtraSql(ExtraSql {
            id: ExtraSqlId(d.id()),
            dialect: Dialect::MySql,
            kind: kind.into(),
            name: Some(name),
            placement: Placement::AfterTables,
            search_path: None,
            sql,
        }));
    };
    put(
        d,
        "column",
        flag_name(&t.name),
        format!(
            "ALTER TABLE {tq} ADD COLUMN {} tinyint AS (CASE WHEN {} IS NULL THEN 1 END) \
             VIRTUAL INVISIBLE",
            r.ident(FLAG),
            r.ident(COLUMN)
        ),
    );
    for (name, cols) in partial {
        let cols: Vec<String> = cols.iter().map(|c| r.ident(c)).collect();
        put(
            d,
            "index",
            name.clone(),
            format!(
                "CREATE UNIQUE INDEX {} ON {tq} ({}, {})",
                r.ident(name),
                cols.join(", "),
                r.ident(FLAG)
            ),
        );
    }
    d.notes.push(format!(
        "MySQL/MariaDB have no partial indexes: the live rows' uniques there are unique indexes \
         over the columns and an invisible generated column {FLAG} (1 when live, null when \
         deleted; MySQL 8.0.23+ or MariaDB 10.3+)"
    ));
}

pub(super) fn remove(d: &mut Draft, t: &Table) {
    let partial: Vec<&str> = t
        .indexes
        .iter()
        .filter(|i| i.unique && i.where_clause.as_deref() == Some(LIVE))
        .map(|i| i.name.as_str())
        .collect();
    let flag = flag_name(&t.name);
    for x in d.p.extra_sql() {
        let ours = x.dialect == Dialect::MySql
            && match (x.kind.as_str(), x.name.as_deref()) {
                ("column", Some(n)) => n == flag,
                ("index", Some(n)) => partial.contains(&n),
                _ => false,
            };
        if ours {
            d.remove_extra(x);
        }
    }
    let view = view_name(&t.name);
    if let Some(v) = d.p.views().find(|v| v.schema == t.schema && v.name == view) {
        d.changes.push(format!("- view {view}"));
        d.cmds.push(Command::RemoveView(v.id));
    }
    for ix in t
        .indexes
        .iter()
        .filter(|i| i.unique && i.where_clause.as_deref() == Some(LIVE))
    {
        let cols: Option<Vec<ColumnId>> = ix
            .parts
            .iter()
            .map(|p| match (&p.target, p.order, p.prefix, &p.opclass) {
                (IndexTarget::Column(c), None, None, None) => Some(*c),
                _ => None,
            })
            .collect();
        match cols {
            Some(columns) if ix.include.is_empty() && ix.method.is_none() => {
                let names: Vec<String> = columns.iter().map(|c| t.column_name(*c)).collect();
                let default = derived(&t.name, &format!("_{}_key", names.join("_")));
                d.changes.push(format!(
                    "~ unique index {} on {} becomes unique ({}) again",
                    ix.name,
                    t.name,
                    names.join(", ")
                ));
                d.cmds.push(Command::RemoveIndex {
                    table: t.id,
                    id: ix.id,
                });
                d.cmds.push(Command::AddUnique {
                    table: t.id,
                    unique: UniqueConstraint {
                        id: ConstraintId(d.id()),
                        name: (ix.name != default).then(|| ix.name.clone()),
                        columns,
                    },
                    at: None,
                });
            }
            _ => {
                d.changes.push(format!(
                    "~ unique index {} on {} loses WHERE {LIVE}",
                    ix.name, t.name
                ));
                d.cmds.push(Command::UpdateIndex {
                    table: t.id,
                    index: Box::new(Index {
                        where_clause: None,
                        ..ix.clone()
                    }),
                });
            }
        }
    }
    if let Some(c) = t.column_by_name(COLUMN) {
        d.changes.push(format!("- column {}.{COLUMN}", t.name));
        d.cmds.push(Command::RemoveColumn {
            table: t.id,
            column: c.id,
        });
    }
}
