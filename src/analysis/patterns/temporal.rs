//! `temporal --table T`: each row of T holds one version of an entity for a period of valid
//! time, `[valid_from, valid_to)` (`valid_to` null: still valid). The primary key becomes
//! `(key…, valid_from)`, a check keeps every period non-empty (`valid_from < valid_to`), and
//! two versions of one key may not overlap:
//!
//! * PostgreSQL: an exclusion constraint `T_no_overlap` (`key WITH =`, the period's
//!   `tstzrange` `WITH &&`), which needs the extension `btree_gist`; it holds under concurrent
//!   writers;
//! * SQLite, MySQL/MariaDB: `BEFORE INSERT` and `BEFORE UPDATE` triggers `T_no_overlap_bi`,
//!   `_bu` that refuse an overlapping row (SQLite writes one transaction at a time; on MariaDB
//!   two concurrent transactions can still both insert);
//! * SQL Server: an `AFTER INSERT, UPDATE` trigger `T_no_overlap` that throws (same limit).
//!
//! Refused when T has no primary key, or when a foreign key references that key (it would no
//! longer be unique: SQL:2011 period foreign keys are not portable).

use super::*;
use crate::sql::dialect::rules;

/// The period's columns.
pub(crate) const FROM: &str = "valid_from";
pub(crate) const TO: &str = "valid_to";
/// The message the triggers raise.
const OVERLAP: &str = "overlapping validity period";

/// The check constraint keeping periods non-empty.
fn check_name(table: &str) -> String {
    derived(&format!("ck_{table}"), "_valid_period")
}

/// The exclusion constraint (PostgreSQL) or trigger (SQL Server) forbidding overlaps; the
/// triggers of the other dialects add `_bi` and `_bu`.
fn guard_name(table: &str) -> String {
    derived(table, "_no_overlap")
}

/// The statement that creates the extension the exclusion constraint needs.
const BTREE_GIST: &str = "CREATE EXTENSION IF NOT EXISTS btree_gist";

/// In the comment of the columns the pattern adds.
const ADDED: &str = "(crowfoot pattern temporal)";
/// Appended to the comment of an existing `valid_from` the pattern put in the primary key.
const KEYED: &str = " (in the primary key by crowfoot pattern temporal)";

pub(super) fn apply(d: &mut Draft, t: &Table, opts: &Options) -> Result<(), String> {
    use LogicalType as T;
    if let Some(f) = t.column_by_name(FROM)
        && let Some(c) = &f.comment
        && (c.contains(ADDED) || c.ends_with(KEYED))
    {
        return Err(format!("`{}` is temporal already", t.name));
    }
    // The period: new columns, or the table's own when it has both.
    let existing = (t.column_by_name(FROM), t.column_by_name(TO));
    let reuse = match existing {
        (None, None) => None,
        (Some(f), Some(to)) => {
            if !matches!(f.ty, T::Date | T::Timestamp | T::TimestampTz) || f.ty != to.ty {
                return Err(format!(
                    "`{}` has {FROM} and {TO}, but not both of one date or timestamp type",
                    t.name
                ));
            }
            Some((f, to))
        }
        _ => {
            return Err(format!(
                "`{}` has one of {FROM} and {TO}: add the other or rename it first",
                t.name
            ));
        }
    };
    // The key whose periods may not overlap: --key, or the primary key (which then gets
    // valid_from, as every key has several rows).
    let pk: Vec<ColumnId> = t
        .primary_key
        .as_ref()
        .map(|k| k.columns.clone())
        .unwrap_or_default();
    let key: Vec<ColumnId> = if opts.key.is_empty() {
        if pk.is_empty() {
            return Err(format!(
                "`{}` has no primary key: name the key whose periods may not overlap (--key)",
                t.name
            ));
        }
        pk.clone()
    } else {
        opts.key
            .iter()
            .map(|k| {
                t.column_by_name(k)
                    .map(|c| c.id)
                    .ok_or_else(|| format!("`{}` has no column `{k}` (--key)", t.name))
            })
            .collect::<Result<_, _>>()?
    };
    if key
        .iter()
        .any(|k| t.column(*k).is_some_and(|c| c.name == FROM || c.name == TO))
    {
        return Err(format!(
            "the key cannot hold {FROM} or {TO}: it is what the periods belong to"
        ));
    }
    let extend_pk = key == pk;
    let key_names: Vec<String> = key.iter().map(|c| t.column_name(*c)).collect();
    if extend_pk {
        let mut sorted = pk.clone();
        sorted.sort();
        if let Some(fk) = d.p.foreign_keys_to(t.id).into_iter().find(|fk| {
            let mut cols = fk.target_columns(t).to_vec();
            cols.sort();
            cols == sorted
        }) {
            let from = d.p.table(fk.from_table).map_or("?", |f| f.name.as_str());
            return Err(format!(
                "`{from}` references `{}` by its primary key, which would no longer be unique \
                 once a key has several periods: point that foreign key elsewhere first, or \
                 name another key (--key)",
                t.name
            ));
        }
        if let Some((f, _)) = reuse
            && f.nullable
        {
            return Err(format!(
                "`{}`.{FROM} is nullable: it joins the primary key, make it NOT NULL first",
                t.name
            ));
        }
    }
    let ty = reuse.map_or(T::TimestampTz, |(f, _)| f.ty.clone());
    let from_id = match reuse {
        Some((f, _)) => {
            d.changes.push(format!(
                "= columns {}.{FROM}, {TO} ({}) are the period",
                t.name,
                ty.describe()
            ));
            if extend_pk {
                d.cmds.push(Command::UpdateColumn {
                    table: t.id,
                    column: Box::new(Column {
                        comment: Some(format!("{}{KEYED}", f.comment.as_deref().unwrap_or(""))),
                        ..f.clone()
                    }),
                });
            }
            f.id
        }
        None => {
            let from = Column {
                default: Some(NOW.into()),
                comment: Some(format!("Start of the row's validity, inclusive {ADDED}.")),
                ..d.column(FROM, T::TimestampTz, false)
            };
            let to = Column {
                comment: Some(format!(
                    "End of the row's validity, exclusive; null while it is still valid {ADDED}."
                )),
                ..d.column(TO, T::TimestampTz, true)
            };
            d.changes.push(format!(
                "+ columns {}.{FROM} (not null, default now), {TO} (null = still valid)",
                t.name
            ));
            history_note(d, t, &[FROM, TO]);
            let id = from.id;
            d.cmds.push(Command::AddColumn {
                table: t.id,
                index: t.columns.len(),
                column: Box::new(from),
            });
            d.cmds.push(Command::AddColumn {
                table: t.id,
                index: t.columns.len() + 1,
                column: Box::new(to),
            });
            id
        }
    };
    if extend_pk {
        let mut new_key = t.primary_key.clone().expect("checked above");
        new_key.columns.push(from_id);
        d.changes.push(format!(
            "~ primary key of {} becomes ({}, {FROM})",
            t.name,
            key_names.join(", ")
        ));
        d.cmds.push(Command::SetPrimaryKey {
            table: t.id,
            primary_key: Some(new_key),
        });
    }
    // A check on both columns already there is taken for the period's (`valid_to IS NULL OR
    // valid_to > valid_from`).
    let mentions = |e: &str| e.contains(FROM) && e.contains(TO);
    if let Some(c) = t.checks.iter().find(|c| mentions(&c.expr)) {
        d.notes.push(format!(
            "the check {} ({}) keeps the periods non-empty; none added",
            c.name.as_deref().unwrap_or("(unnamed)"),
            c.expr
        ));
    } else if t
        .checks
        .iter()
        .any(|c| c.name.as_deref() == Some(&check_name(&t.name)))
    {
        return Err(format!(
            "`{}` already has a check named {}",
            t.name,
            check_name(&t.name)
        ));
    } else {
        d.changes
            .push(format!("+ check {} ({FROM} < {TO})", check_name(&t.name)));
        d.cmds.push(Command::AddCheck {
            table: t.id,
            check: CheckConstraint {
                id: ConstraintId(d.id()),
                name: Some(check_name(&t.name)),
                expr: format!("{FROM} < {TO}"),
            },
            at: None,
        });
    }
    let taken = |name: &str| d.p.extra_sql().any(|x| x.name.as_deref() == Some(name));
    if taken(&guard_name(&t.name)) {
        return Err(format!(
            "the project already has extra SQL named {}",
            guard_name(&t.name)
        ));
    }
    let has_gist =
        d.p.extra_sql()
            .any(|x| x.dialect == Dialect::Postgres && x.sql.contains("btree_gist"));
    let range = match ty {
        T::Date => "daterange",
        T::Timestamp => "tsrange",
        _ => "tstzrange",
    };
    for dialect in &opts.dialects {
        if *dialect == Dialect::Postgres && !has_gist {
            d.changes
                .push("+ extension btree_gist (PostgreSQL)".to_string());
            d.cmds.push(Command::PutExtraSql(ExtraSql {
                id: ExtraSqlId(d.id()),
                dialect: Dialect::Postgres,
                kind: "extension".into(),
                name: Some("btree_gist".into()),
                placement: Placement::BeforeTables,
                search_path: None,
                sql: BTREE_GIST.into(),
            }));
        }
        for (name, kind, sql) in guards(t, &key_names, range, *dialect) {
            d.changes
                .push(format!("+ {kind} {name} ({})", dialect.display_name()));
            d.cmds.push(Command::PutExtraSql(ExtraSql {
                id: ExtraSqlId(d.id()),
                dialect: *dialect,
                kind: kind.into(),
                name: Some(name),
                placement: Placement::AfterTables,
                search_path: None,
                sql,
            }));
        }
    }
    if extend_pk
        && key
            .iter()
            .any(|c| t.column(*c).is_some_and(|c| c.identity.is_some()))
    {
        d.notes.push(format!(
            "{}'s key is generated: a new period of an existing row must give the key's value \
             (PostgreSQL refuses that for GENERATED ALWAYS without OVERRIDING SYSTEM VALUE)",
            t.name
        ));
    }
    for u in &t.uniques {
        if !u.columns.contains(&from_id) {
            let cols: Vec<String> = u.columns.iter().map(|c| t.column_name(*c)).collect();
            d.notes.push(format!(
                "unique ({}) on {} holds over every period: two periods of one key cannot \
                 share its value",
                cols.join(", "),
                t.name
            ));
        }
    }
    d.notes.push(
        "on MySQL/MariaDB and SQL Server the overlap check is a trigger: two concurrent \
         transactions can still insert overlapping periods; PostgreSQL's exclusion constraint \
         and SQLite (one writer at a time) hold"
            .into(),
    );
    let missing: Vec<&str> = Dialect::ALL
        .iter()
        .filter(|x| !opts.dialects.contains(x))
        .map(|x| x.display_name())
        .collect();
    if !missing.is_empty() {
        d.notes.push(format!(
            "no overlap check for {}: only the period check holds there",
            missing.join(", ")
        ));
    }
    Ok(())
}

/// `(name, kind, sql)` of what refuses overlapping periods of one key on `dialect`.
fn guards(
    t: &Table,
    key: &[String],
    range: &str,
    dialect: Dialect,
) -> Vec<(String, &'static str, String)> {
    let r = rules(dialect);
    let tq = r.qualified(t.schema.as_deref(), &t.name);
    let guard = guard_name(&t.name);
    let (f, to) = (r.ident(FROM), r.ident(TO));
    let same_key = |a: &str, b: &str| -> String {
        key.iter()
            .map(|k| format!("{a}.{k} = {b}.{k}", k = r.ident(k)))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    // Rows `o` of T overlapping the period of `n` (half-open periods, null = open end).
    let overlaps = |n: &str| {
        format!("(o.{to} IS NULL OR {n}.{f} < o.{to}) AND ({n}.{to} IS NULL OR o.{f} < {n}.{to})")
    };
    // Leave out the row being updated (its old key and start).
    let not_itself = format!("NOT ({} AND o.{f} = OLD.{f})", same_key("o", "OLD"));
    match dialect {
        Dialect::Postgres => {
            let parts: Vec<String> = key
                .iter()
                .map(|k| format!("{} WITH =", r.ident(k)))
                .collect();
            let sql = format!(
                "ALTER TABLE {tq} ADD CONSTRAINT {} EXCLUDE USING gist ({}, {range}({f}, {to}) WITH &&)",
                r.ident(&guard),
                parts.join(", ")
            );
            vec![(guard, "constraint", sql)]
        }
        Dialect::Sqlite | Dialect::MySql => {
            let trigger = |suffix: &str, event: &str, extra: Option<&str>| {
                let name = derived(&t.name, &format!("_no_overlap_{suffix}"));
                let cond = format!(
                    "EXISTS (SELECT 1 FROM {tq} AS o WHERE {} AND {}{})",
                    same_key("o", "NEW"),
                    overlaps("NEW"),
                    extra.map(|e| format!(" AND {e}")).unwrap_or_default()
                );
                let sql = if dialect == Dialect::Sqlite {
                    format!(
                        "CREATE TRIGGER {} BEFORE {event} ON {tq} FOR EACH ROW\n\
                         WHEN {cond}\n\
                         BEGIN SELECT RAISE(ABORT, '{OVERLAP}'); END",
                        r.ident(&name)
                    )
                } else {
                    format!(
                        "CREATE TRIGGER {} BEFORE {event} ON {tq} FOR EACH ROW\n\
                         IF {cond} THEN\n\
                         \x20 SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{OVERLAP}';\n\
                         END IF",
                        r.qualified(t.schema.as_deref(), &name)
                    )
                };
                (name, "trigger", sql)
            };
            vec![
                trigger("bi", "INSERT", None),
                trigger("bu", "UPDATE", Some(&not_itself)),
            ]
        }
        Dialect::SqlServer => {
            let sql = format!(
                "CREATE TRIGGER {} ON {tq} AFTER INSERT, UPDATE AS\n\
                 BEGIN\n\
                 \x20 SET NOCOUNT ON;\n\
                 \x20 IF EXISTS (SELECT 1 FROM inserted AS n JOIN {tq} AS o ON {} AND o.{f} <> n.{f}\n\
                 \x20   WHERE {})\n\
                 \x20   THROW 50000, '{OVERLAP}', 1;\n\
                 END",
                r.qualified(t.schema.as_deref(), &guard),
                same_key("o", "n"),
                overlaps("n")
            );
            vec![(guard, "trigger", sql)]
        }
    }
}

pub(super) fn remove(d: &mut Draft, t: &Table) {
    let guard = guard_name(&t.name);
    let names = [
        guard.clone(),
        derived(&t.name, "_no_overlap_bi"),
        derived(&t.name, "_no_overlap_bu"),
    ];
    let mut guards_left = 0;
    for x in d.p.extra_sql() {
        let ours = x.name.as_ref().is_some_and(|n| names.contains(n))
            && matches!(x.kind.as_str(), "constraint" | "trigger");
        if ours {
            d.remove_extra(x);
        } else if x.dialect == Dialect::Postgres
            && x.kind == "constraint"
            && x.sql.contains("EXCLUDE USING gist")
        {
            guards_left += 1;
        }
    }
    // The extension goes with the last exclusion constraint that needs it.
    if guards_left == 0
        && let Some(x) = d.p.extra_sql().find(|x| {
            x.dialect == Dialect::Postgres && x.kind == "extension" && x.sql == BTREE_GIST
        })
    {
        d.changes.push("- extension btree_gist (PostgreSQL)".into());
        d.cmds.push(Command::RemoveExtraSql(x.id));
    }
    if let Some(c) = t
        .checks
        .iter()
        .find(|c| c.name.as_deref() == Some(&check_name(&t.name)))
    {
        d.changes.push(format!("- check {}", check_name(&t.name)));
        d.cmds.push(Command::RemoveCheck {
            table: t.id,
            id: c.id,
        });
    }
    // The primary key loses valid_from when the pattern put it there: a column it added, or
    // one whose comment it marked.
    let Some(from) = t.column_by_name(FROM) else {
        return;
    };
    let comment = from.comment.as_deref().unwrap_or("");
    let added = comment.contains(ADDED);
    if (added || comment.ends_with(KEYED))
        && let Some(key) = &t.primary_key
        && key.columns.last() == Some(&from.id)
        && key.columns.len() > 1
    {
        let mut old = key.clone();
        old.columns.pop();
        d.changes
            .push(format!("~ primary key of {} loses {FROM}", t.name));
        d.cmds.push(Command::SetPrimaryKey {
            table: t.id,
            primary_key: Some(old),
        });
    }
    if !added {
        if let Some(was) = comment.strip_suffix(KEYED) {
            d.cmds.push(Command::UpdateColumn {
                table: t.id,
                column: Box::new(Column {
                    comment: (!was.is_empty()).then(|| was.to_string()),
                    ..from.clone()
                }),
            });
        }
        return;
    }
    for name in [TO, FROM] {
        if let Some(c) = t
            .column_by_name(name)
            .filter(|c| c.comment.as_deref().is_some_and(|x| x.contains(ADDED)))
        {
            d.changes.push(format!("- column {}.{name}", t.name));
            d.cmds.push(Command::RemoveColumn {
                table: t.id,
                column: c.id,
            });
        }
    }
}
