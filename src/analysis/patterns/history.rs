//! `history --table T`: `T_history` holds a copy of T's columns per change, with
//! `operation` (`I`, `U`, `D`), `changed_at` and `changed_by`; triggers written per dialect
//! (extra SQL, exported to that dialect only) fill it on every insert, update and delete:
//!
//! * PostgreSQL: a PL/pgSQL function `T_history_fn` and the row trigger `T_history_trg`;
//! * MySQL/MariaDB and SQLite: three row triggers `T_history_ai`, `_au`, `_ad`;
//! * SQL Server: one statement trigger `T_history_trg` reading `inserted` and `deleted`.
//!
//! Applied again once T has new columns, it copies them into `T_history` and writes the
//! triggers again (lint DL014 points at a history missing columns).
//!
//! Updates record the new values, deletes the old ones. `T_history` has no foreign key to T
//! (its rows outlive the rows they record) and copies T's columns as nullable, without
//! defaults, identity or keys.

use super::*;
use crate::sql::dialect::rules;

/// The history table of `table`.
pub(crate) fn table_name(table: &str) -> String {
    derived(table, "_history")
}

/// The columns the history table adds to the copied ones.
const OWN: [&str; 4] = ["history_id", "operation", "changed_at", "changed_by"];

/// The names of the extra SQL statements (functions and triggers) of `table`'s history.
fn extra_names(table: &str) -> Vec<String> {
    ["fn", "trg", "ai", "au", "ad"]
        .iter()
        .map(|s| derived(table, &format!("_history_{s}")))
        .collect()
}

/// In the history table's comment.
const MARK: &str = "(crowfoot pattern history)";

/// T's history table when the pattern made it.
pub(crate) fn history_of<'p>(p: &'p Project, t: &Table) -> Option<&'p Table> {
    p.table_by_name(t.schema.as_deref(), &table_name(&t.name))
        .filter(|h| h.comment.as_deref().is_some_and(|c| c.contains(MARK)))
}

/// The columns of `t` its history table `h` has no copy of (added to T after the pattern).
pub(crate) fn missing_columns<'t>(t: &'t Table, h: &Table) -> Vec<&'t Column> {
    t.columns
        .iter()
        .filter(|c| h.column_by_name(&c.name).is_none())
        .collect()
}

/// T has a history already: copy the columns added to T since, and write the triggers again
/// (they name every column). Nothing is dropped: a column T lost keeps its history.
fn update(d: &mut Draft, t: &Table, h: &Table, opts: &Options) -> Result<(), String> {
    let at = h
        .column_by_name("operation")
        .and_then(|c| h.column_index(c.id))
        .unwrap_or(h.columns.len());
    let missing = missing_columns(t, h);
    for (i, c) in missing.iter().enumerate() {
        d.changes.push(format!(
            "+ column {}.{} (a copy of {}'s)",
            h.name, c.name, t.name
        ));
        d.cmds.push(Command::AddColumn {
            table: h.id,
            index: at + i,
            column: Box::new(Column {
                type_overrides: c.type_overrides.clone(),
                comment: c.comment.clone(),
                tags: c.tags.clone(),
                ..d.column(&c.name, c.ty.clone(), true)
            }),
        });
    }
    let gone: Vec<&str> = h
        .columns
        .iter()
        .filter(|c| !OWN.contains(&c.name.as_str()) && t.column_by_name(&c.name).is_none())
        .map(|c| c.name.as_str())
        .collect();
    if !gone.is_empty() {
        d.notes.push(format!(
            "{} keeps {} ({} no longer has {}): their history stays",
            h.name,
            gone.join(", "),
            t.name,
            if gone.len() == 1 { "it" } else { "them" }
        ));
    }
    let mut rewritten = 0;
    for dialect in &opts.dialects {
        for (name, kind, sql) in triggers(t, *dialect) {
            let old = d.p.extra_sql().find(|x| {
                x.dialect == *dialect && x.kind == kind && x.name.as_deref() == Some(name.as_str())
            });
            if old.is_some_and(|x| x.sql == sql) {
                continue;
            }
            rewritten += 1;
            d.changes.push(format!(
                "{} {kind} {name} ({})",
                if old.is_some() { "~" } else { "+" },
                dialect.display_name()
            ));
            d.cmds.push(Command::PutExtraSql(ExtraSql {
                id: old.map_or_else(|| ExtraSqlId(d.id()), |x| x.id),
                dialect: *dialect,
                kind: kind.into(),
                name: Some(name),
                placement: Placement::AfterTables,
                search_path: old.and_then(|x| x.search_path.clone()),
                sql,
            }));
        }
    }
    if missing.is_empty() && rewritten == 0 {
        return Err(format!(
            "the history of `{}` is up to date ({} copies every column)",
            t.name, h.name
        ));
    }
    Ok(())
}

pub(super) fn apply(d: &mut Draft, t: &Table, opts: &Options) -> Result<(), String> {
    use LogicalType as T;
    if let Some(h) = history_of(d.p, t) {
        return update(d, t, h, opts);
    }
    if let Some(c) = OWN.iter().find(|c| t.column_by_name(c).is_some()) {
        return Err(format!(
            "`{}` has a column {c}, a name its history table uses for itself",
            t.name
        ));
    }
    let name = table_name(&t.name);
    let mut h = Table::new(TableId(d.id()), name.clone());
    h.schema = t.schema.clone();
    h.comment = Some(format!(
        "Every change of {} {MARK}, written by triggers: new values for inserts and updates, \
         old values for deletes.",
        t.name
    ));
    let id = Column {
        identity: Some(Identity::ByDefault),
        ..d.column("history_id", T::BigInt, false)
    };
    h.primary_key = pk(&[&id]);
    h.columns.push(id);
    let mut copied = Vec::new();
    for c in &t.columns {
        let copy = Column {
            type_overrides: c.type_overrides.clone(),
            comment: c.comment.clone(),
            tags: c.tags.clone(),
            ..d.column(&c.name, c.ty.clone(), true)
        };
        copied.push((c.id, copy.id));
        h.columns.push(copy);
    }
    let op = Column {
        comment: Some("I (insert), U (update) or D (delete).".into()),
        ..d.column("operation", T::Char(1), false)
    };
    h.checks.push(CheckConstraint {
        id: ConstraintId(d.id()),
        name: None,
        expr: "operation IN ('I', 'U', 'D')".into(),
    });
    let at = Column {
        default: Some(NOW.into()),
        ..d.column("changed_at", T::TimestampTz, false)
    };
    if let Some(key) = &t.primary_key {
        let mut parts: Vec<IndexPart> = key
            .columns
            .iter()
            .filter_map(|k| copied.iter().find(|(c, _)| c == k))
            .map(|(_, copy)| IndexPart::column(*copy))
            .collect();
        parts.push(IndexPart::column(at.id));
        h.indexes.push(Index {
            id: IndexId(d.id()),
            name: format!("ix_{name}_key"),
            unique: false,
            parts,
            where_clause: None,
            include: Vec::new(),
            method: None,
        });
    }
    h.columns.push(op);
    h.columns.push(at);
    h.columns
        .push(d.column("changed_by", T::Varchar(Some(128)), true));
    d.add_table(h)?;
    for dialect in &opts.dialects {
        for x in triggers(t, *dialect) {
            d.changes
                .push(format!("+ {} {} ({})", x.1, x.0, dialect.display_name()));
            d.cmds.push(Command::PutExtraSql(ExtraSql {
                id: ExtraSqlId(d.id()),
                dialect: *dialect,
                kind: x.1.into(),
                name: Some(x.0),
                placement: Placement::AfterTables,
                search_path: None,
                sql: x.2,
            }));
        }
    }
    let all: Vec<Dialect> = Dialect::ALL
        .into_iter()
        .filter(|x| !opts.dialects.contains(x))
        .collect();
    if !all.is_empty() {
        d.notes.push(format!(
            "no triggers for {}: the history table stays empty there",
            all.iter()
                .map(|x| x.display_name())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(())
}

/// `(name, kind, sql)` of the statements that fill `t`'s history on `dialect`.
fn triggers(t: &Table, dialect: Dialect) -> Vec<(String, &'static str, String)> {
    let r = rules(dialect);
    let base = table_name(&t.name);
    let q = |name: &str| r.qualified(t.schema.as_deref(), name);
    let (tq, hq) = (q(&t.name), q(&base));
    let cols: Vec<String> = t.columns.iter().map(|c| r.ident(&c.name)).collect();
    let into = format!(
        "INSERT INTO {hq} ({}, operation, changed_at, changed_by)",
        cols.join(", ")
    );
    let from = |row: &str| -> String {
        cols.iter()
            .map(|c| format!("{row}.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let named = |s: &str| derived(&t.name, &format!("_history_{s}"));
    match dialect {
        Dialect::Postgres => {
            let f = named("fn");
            let fq = q(&f);
            let func = format!(
                "CREATE FUNCTION {fq}() RETURNS trigger LANGUAGE plpgsql AS $crowfoot$\n\
                 BEGIN\n\
                 \x20 IF TG_OP = 'DELETE' THEN\n\
                 \x20   {into}\n\
                 \x20     VALUES ({}, 'D', CURRENT_TIMESTAMP, current_user);\n\
                 \x20   RETURN OLD;\n\
                 \x20 END IF;\n\
                 \x20 {into}\n\
                 \x20   VALUES ({}, CASE TG_OP WHEN 'INSERT' THEN 'I' ELSE 'U' END, \
                 CURRENT_TIMESTAMP, current_user);\n\
                 \x20 RETURN NEW;\n\
                 END\n\
                 $crowfoot$",
                from("OLD"),
                from("NEW")
            );
            let trg = named("trg");
            let trigger = format!(
                "CREATE TRIGGER {} AFTER INSERT OR UPDATE OR DELETE ON {tq}\n\
                 \x20 FOR EACH ROW EXECUTE FUNCTION {fq}()",
                r.ident(&trg)
            );
            vec![(f, "function", func), (trg, "trigger", trigger)]
        }
        Dialect::MySql | Dialect::Sqlite => {
            let (user, begin, end) = if dialect == Dialect::MySql {
                ("CURRENT_USER()", "", "")
            } else {
                ("NULL", "BEGIN ", "; END")
            };
            let name = |s: &str| {
                if dialect == Dialect::MySql {
                    q(&named(s))
                } else {
                    r.ident(&named(s))
                }
            };
            [
                ("ai", "INSERT", "NEW", "I"),
                ("au", "UPDATE", "NEW", "U"),
                ("ad", "DELETE", "OLD", "D"),
            ]
            .into_iter()
            .map(|(s, event, row, op)| {
                let sql = format!(
                    "CREATE TRIGGER {} AFTER {event} ON {tq} FOR EACH ROW\n\
                         {begin}{into}\n\
                         \x20 VALUES ({}, '{op}', CURRENT_TIMESTAMP, {user}){end}",
                    name(s),
                    from(row)
                );
                (named(s), "trigger", sql)
            })
            .collect()
        }
        Dialect::SqlServer => {
            let trg = named("trg");
            let sql = format!(
                "CREATE TRIGGER {} ON {tq} AFTER INSERT, UPDATE, DELETE AS\n\
                 BEGIN\n\
                 \x20 SET NOCOUNT ON;\n\
                 \x20 {into}\n\
                 \x20   SELECT {}, CASE WHEN EXISTS (SELECT 1 FROM deleted) THEN 'U' ELSE 'I' END, \
                 SYSDATETIMEOFFSET(), SUSER_SNAME() FROM inserted AS i;\n\
                 \x20 {into}\n\
                 \x20   SELECT {}, 'D', SYSDATETIMEOFFSET(), SUSER_SNAME() FROM deleted AS d\n\
                 \x20   WHERE NOT EXISTS (SELECT 1 FROM inserted);\n\
                 END",
                q(&trg),
                from("i"),
                from("d")
            );
            vec![(trg, "trigger", sql)]
        }
    }
}

pub(super) fn remove(d: &mut Draft, t: &Table) {
    let names = extra_names(&t.name);
    for x in d.p.extra_sql() {
        if matches!(x.kind.as_str(), "function" | "trigger")
            && x.name.as_ref().is_some_and(|n| names.contains(n))
        {
            d.remove_extra(x);
        }
    }
    d.remove_table(t.schema.as_deref(), &table_name(&t.name));
}
