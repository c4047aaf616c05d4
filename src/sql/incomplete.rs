//! Diffs of schemas that were not wholly imported.
//!
//! A statement the importer skipped (or only partly imported) is missing from the model, and a
//! diff would read its absence as a change: `CREATE TABLE` skipped on the new side becomes
//! `DROP TABLE` in up.sql. Before diffing, every table, view and enum that a skipped or partial
//! statement names, on either side, is set aside from both sides, so no migration drops or
//! alters what the import could not see. The names a statement holds are a superset of what it
//! defines ([`crate::sql::import::statement_names`]): setting aside too much only leaves a
//! change out of the script (and says so); setting aside too little could lose data.

use crate::model::{Command, Project, command::remove_tables};
use crate::sql::import::{ImportNote, NoteKind};
use std::collections::BTreeSet;

/// The notes that make an import incomplete: skipped and partly imported statements.
pub fn incomplete_notes(report: &[ImportNote]) -> impl Iterator<Item = &ImportNote> {
    report
        .iter()
        .filter(|n| matches!(n.kind, NoteKind::Skipped | NoteKind::Partial))
}

/// What kind of object a [`Key`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Table,
    View,
    Enum,
}

/// An object by kind, schema and lower-cased name: the same key in OLD and in NEW, whose ids
/// differ when both were imported.
type Key = (Kind, Option<String>, String);

fn key(kind: Kind, schema: &Option<String>, name: &str) -> Key {
    (kind, schema.clone(), name.to_lowercase())
}

/// The objects of `p` (tables, views, enums; by qualified name) that a name in `names`
/// (lower-cased) designates, by bare or qualified name.
fn named_in(p: &Project, names: &BTreeSet<String>) -> (Vec<String>, BTreeSet<Key>) {
    let hit = |schema: &Option<String>, name: &str| {
        let bare = name.to_lowercase();
        names.contains(&bare)
            || schema
                .as_ref()
                .is_some_and(|s| names.contains(&format!("{}.{bare}", s.to_lowercase())))
    };
    let mut shown = Vec::new();
    let mut keys = BTreeSet::new();
    for t in p.tables().filter(|t| hit(&t.schema, &t.name)) {
        shown.push(format!("table {}", t.qualified_name()));
        keys.insert(key(Kind::Table, &t.schema, &t.name));
    }
    for v in p.views().filter(|v| hit(&v.schema, &v.name)) {
        shown.push(format!("view {}", v.name));
        keys.insert(key(Kind::View, &v.schema, &v.name));
    }
    for e in p.enums().filter(|e| hit(&e.schema, &e.name)) {
        shown.push(format!("enum {}", e.name));
        keys.insert(key(Kind::Enum, &e.schema, &e.name));
    }
    (shown, keys)
}

/// Remove from `p` the objects whose keys are in `keys` (and views reading a removed table).
fn remove(p: &mut Project, keys: &BTreeSet<Key>) {
    let tables: Vec<_> = p
        .tables()
        .filter(|t| keys.contains(&key(Kind::Table, &t.schema, &t.name)))
        .map(|t| t.id)
        .collect();
    let views: Vec<_> = p
        .views()
        .filter(|v| {
            keys.contains(&key(Kind::View, &v.schema, &v.name))
                || v.depends_on.iter().any(|d| tables.contains(d))
        })
        .map(|v| v.id)
        .collect();
    for v in views {
        // Removing a view of the project cannot fail.
        let _ = Command::RemoveView(v).apply(p);
    }
    // Partitions of a set-aside table go with it (they cannot stand alone in a diff).
    let mut all = tables.clone();
    all.extend(
        p.tables()
            .filter(|t| {
                t.partition_of
                    .as_ref()
                    .is_some_and(|o| tables.contains(&o.parent))
            })
            .map(|t| t.id),
    );
    if remove_tables(p, &all).apply(p).is_err() {
        // One at a time: a table something else still needs stays (and is diffed).
        for t in all {
            let _ = crate::model::command::remove_table(p, t).apply(p);
        }
    }
    let enums: Vec<_> = p
        .enums()
        .filter(|e| keys.contains(&key(Kind::Enum, &e.schema, &e.name)))
        .map(|e| e.id)
        .collect();
    for e in enums {
        // An enum a remaining column still uses cannot be removed; it is then diffed.
        let _ = Command::RemoveEnum(e).apply(p);
    }
}

/// Set aside from both `old` and `new` every object named by a skipped or partial statement
/// of either import report. Returns what was set aside (`table s.t`, `view v`, ...), sorted.
pub fn set_aside(
    old: &mut Project,
    new: &mut Project,
    old_report: &[ImportNote],
    new_report: &[ImportNote],
) -> Vec<String> {
    let names: BTreeSet<String> = incomplete_notes(old_report)
        .chain(incomplete_notes(new_report))
        .flat_map(|n| n.names.iter().cloned())
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    let (mut shown, mut keys) = named_in(old, &names);
    let (shown_new, keys_new) = named_in(new, &names);
    shown.extend(shown_new);
    keys.extend(keys_new);
    remove(old, &keys);
    remove(new, &keys);
    shown.sort();
    shown.dedup();
    shown
}
