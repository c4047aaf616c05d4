//! Model-aware three-way merge of project files (`crowfoot merge BASE OURS THEIRS -o OUT`, a
//! git merge driver). Objects are matched by stable id, not by line: independent edits to
//! different objects, or to different fields of one object, merge cleanly; a field both sides
//! changed differently (or an object one side deleted and the other changed) is a conflict,
//! reported by object and field, and resolved to OURS in the output, which is always a valid
//! project file, never RON with conflict markers.
//!
//! Nothing either side changed is lost without a word: a combination that cannot stand (THEIRS
//! adds a foreign key to a table OURS deleted) is repaired with the smallest loss (only that
//! key goes) and the loss is a listed conflict; keys one side removed only because it deleted
//! a table the merge kept come back; and a final check compares every change of either side
//! with the result, listing whatever is not in it.
//!
//! Ids both branches allocated after BASE would collide (each side counts on from BASE's
//! `next_id`), so THEIRS' new ids are first renumbered above OURS' before matching.

use crate::model::Project;
use crate::project_file::{from_value, to_value};
use serde_json::{Map, Value};

/// A field both sides changed differently.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// Where: `tables[id=12].columns[id=15].type`.
    pub path: String,
    pub base: Option<Value>,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
    /// How it was resolved (`kept ours`, `dropped: ...`).
    pub resolution: String,
}

impl Conflict {
    fn new(
        path: String,
        base: Option<&Value>,
        ours: Option<&Value>,
        theirs: Option<&Value>,
    ) -> Self {
        Conflict {
            path,
            base: base.cloned(),
            ours: ours.cloned(),
            theirs: theirs.cloned(),
            resolution: "kept ours".into(),
        }
    }

    fn resolved(mut self, how: impl Into<String>) -> Self {
        self.resolution = how.into();
        self
    }
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<Value>| match v {
            Some(v) => v.to_string(),
            None => "(deleted)".into(),
        };
        write!(
            f,
            "{}: base {}, ours {}, theirs {} ({})",
            self.path,
            show(&self.base),
            show(&self.ours),
            show(&self.theirs),
            self.resolution
        )
    }
}

pub struct Merged {
    pub project: Project,
    pub conflicts: Vec<Conflict>,
}

/// Keys whose number is an object id; keys whose array of numbers are ids.
const ID_KEYS: &[&str] = &["id", "from_table", "to_table", "parent", "column", "table"];
const ID_LIST_KEYS: &[&str] = &[
    "columns",
    "from_columns",
    "to_columns",
    "include",
    "lhs",
    "rhs",
    "highlight",
    "depends_on",
];
/// Enum variants holding an id: `{"Column": 5}`, `{"Enum": 3}`.
const ID_VARIANTS: &[&str] = &["Column", "Enum"];

/// Renumber ids `>= from` by adding `shift`, wherever the file format holds ids.
fn renumber(v: &mut Value, from: u64, shift: u64) {
    let bump = |n: &mut Value| {
        if let Some(x) = n.as_u64()
            && x >= from
        {
            *n = Value::from(x + shift);
        }
    };
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if (ID_KEYS.contains(&k.as_str()) || ID_VARIANTS.contains(&k.as_str()))
                    && x.is_u64()
                {
                    bump(x);
                } else if ID_LIST_KEYS.contains(&k.as_str())
                    && let Value::Array(a) = x
                    && a.iter().all(Value::is_u64)
                {
                    a.iter_mut().for_each(bump);
                } else if k != "next_id" {
                    renumber(x, from, shift);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| renumber(x, from, shift)),
        _ => {}
    }
}

/// The id of an array element, when it is an object with a numeric `id`.
fn elem_id(v: &Value) -> Option<u64> {
    v.as_object()?.get("id")?.as_u64()
}

/// An array of objects with ids (or an empty one, or none): merged element by element.
fn is_id_array(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Array(a)) => a.iter().all(|x| elem_id(x).is_some()),
        None => true,
        _ => false,
    }
}

fn merge_value(
    path: &str,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    out: &mut Vec<Conflict>,
) -> Option<Value> {
    if ours == theirs {
        return ours.cloned();
    }
    if ours == base {
        return theirs.cloned();
    }
    if theirs == base {
        return ours.cloned();
    }
    // Both changed, differently.
    match (base, ours, theirs) {
        (b, Some(Value::Object(o)), Some(Value::Object(t))) if b.is_none_or(Value::is_object) => {
            let empty = Map::new();
            let b = b.and_then(Value::as_object).unwrap_or(&empty);
            let mut keys: Vec<&String> = o.keys().collect();
            keys.extend(t.keys().filter(|k| !o.contains_key(*k)));
            let mut m = Map::new();
            for k in keys {
                if let Some(v) =
                    merge_value(&format!("{path}.{k}"), b.get(k), o.get(k), t.get(k), out)
                {
                    m.insert(k.clone(), v);
                }
            }
            Some(Value::Object(m))
        }
        (b, Some(Value::Array(o)), Some(Value::Array(t)))
            if is_id_array(b) && is_id_array(ours) && is_id_array(theirs) =>
        {
            let empty = Vec::new();
            let b = b.and_then(Value::as_array).unwrap_or(&empty);
            let find = |a: &[Value], id: u64| a.iter().find(|x| elem_id(x) == Some(id)).cloned();
            // Ours' order, then what only theirs has, in theirs' order.
            let mut ids: Vec<u64> = o.iter().filter_map(elem_id).collect();
            for id in t.iter().filter_map(elem_id) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            // Base objects both sides removed stay removed (not in either list).
            let mut merged = Vec::new();
            for id in ids {
                let (bv, ov, tv) = (find(b, id), find(o, id), find(t, id));
                let p = format!("{path}[id={id}]");
                if let Some(v) = merge_value(&p, bv.as_ref(), ov.as_ref(), tv.as_ref(), out) {
                    merged.push(v);
                }
            }
            Some(Value::Array(merged))
        }
        _ => {
            out.push(Conflict::new(path.to_string(), base, ours, theirs));
            ours.cloned()
        }
    }
}

// -- repairs -------------------------------------------------------------------------------------

/// The objects with ids of `v[key]`, by id.
fn by_id<'a>(v: &'a Value, key: &str) -> std::collections::BTreeMap<u64, &'a Value> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| Some((elem_id(x)?, x))).collect())
        .unwrap_or_default()
}

fn ids(v: Option<&Value>) -> Vec<u64> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default()
}

/// Column ids per table of a project value.
fn columns_of(v: &Value) -> std::collections::BTreeMap<u64, BTreeSet<u64>> {
    by_id(v, "tables")
        .into_iter()
        .map(|(id, t)| (id, by_id(t, "columns").into_keys().collect()))
        .collect()
}

use std::collections::BTreeSet;

/// Does a foreign key value stand in a project whose tables have these columns?
fn fk_stands(fk: &Value, cols: &std::collections::BTreeMap<u64, BTreeSet<u64>>) -> bool {
    let side = |t: &str, c: &str| {
        fk.get(t)
            .and_then(Value::as_u64)
            .and_then(|t| cols.get(&t))
            .is_some_and(|have| ids(fk.get(c)).iter().all(|c| have.contains(c)))
    };
    side("from_table", "from_columns") && side("to_table", "to_columns")
}

/// Make the merged value `m` stand: bring back keys a side removed only with a table the merge
/// kept, then drop (and list) only what references an object that is gone.
fn repair(m: &mut Value, b: &Value, o: &Value, t: &Value, out: &mut Vec<Conflict>) {
    let cols = columns_of(m);
    let (bf, of, tf) = (
        by_id(b, "foreign_keys"),
        by_id(o, "foreign_keys"),
        by_id(t, "foreign_keys"),
    );
    let tables_of = |v: &Value| columns_of(v).into_keys().collect::<BTreeSet<u64>>();
    let (o_tables, t_tables) = (tables_of(o), tables_of(t));
    // 1. A key one side has and the other removed together with one of its tables, when the
    //    merge kept that table (the deletion lost a conflict): the key comes back.
    let present: BTreeSet<u64> = by_id(m, "foreign_keys").into_keys().collect();
    let mut back = Vec::new();
    for (side, other, other_tables, name) in [
        (&of, &tf, &t_tables, "theirs"),
        (&tf, &of, &o_tables, "ours"),
    ] {
        for (id, fk) in side.iter() {
            if present.contains(id) || other.contains_key(id) || back.iter().any(|(i, _)| i == id) {
                continue;
            }
            let table_gone = ["from_table", "to_table"].iter().any(|k| {
                fk.get(*k)
                    .and_then(Value::as_u64)
                    .is_some_and(|x| !other_tables.contains(&x))
            });
            if table_gone && fk_stands(fk, &cols) {
                back.push((*id, (*fk).clone()));
                out.push(
                    Conflict::new(
                        format!("project.foreign_keys[id={id}]"),
                        bf.get(id).copied(),
                        of.get(id).copied(),
                        tf.get(id).copied(),
                    )
                    .resolved(format!(
                        "kept: {name} removed it with a table the merge kept"
                    )),
                );
            }
        }
    }
    if let Some(Value::Array(a)) = m.get_mut("foreign_keys") {
        a.extend(back.into_iter().map(|(_, v)| v));
    }
    // 2. Keys whose table or columns are gone.
    if let Some(Value::Array(a)) = m.get_mut("foreign_keys") {
        a.retain(|fk| {
            if fk_stands(fk, &cols) {
                return true;
            }
            let id = elem_id(fk).unwrap_or(0);
            out.push(
                Conflict::new(
                    format!("project.foreign_keys[id={id}]"),
                    bf.get(&id).copied(),
                    of.get(&id).copied(),
                    tf.get(&id).copied(),
                )
                .resolved("dropped: it references a table or column the other side deleted"),
            );
            false
        });
    }
    // 3. Inside tables: keys, uniques, indexes and dependencies over columns that are gone.
    let table_ids: BTreeSet<u64> = cols.keys().copied().collect();
    if let Some(Value::Array(tables)) = m.get_mut("tables") {
        for table in tables.iter_mut() {
            let tid = elem_id(table).unwrap_or(0);
            let have = cols.get(&tid).cloned().unwrap_or_default();
            let lost = |what: &[Seg], out: &mut Vec<Conflict>| {
                let mut p = vec![Seg::Key("tables".into()), Seg::Id(tid)];
                p.extend_from_slice(what);
                out.push(
                    Conflict::new(show_path(&p), at(b, &p), at(o, &p), at(t, &p))
                        .resolved("dropped: it uses a column the other side deleted"),
                );
            };
            let Some(obj) = table.as_object_mut() else {
                continue;
            };
            if obj.get("primary_key").is_some_and(|pk| {
                !pk.is_null() && !ids(pk.get("columns")).iter().all(|c| have.contains(c))
            }) {
                obj.remove("primary_key");
                lost(&[Seg::Key("primary_key".into())], out);
            }
            let uses_gone = |x: &Value, keys: &[&str]| {
                keys.iter()
                    .any(|k| ids(x.get(*k)).iter().any(|c| !have.contains(c)))
            };
            for (key, fields) in [("uniques", &["columns"][..]), ("indexes", &["include"][..])] {
                if let Some(Value::Array(a)) = obj.get_mut(key) {
                    let mut gone = Vec::new();
                    a.retain(|x| {
                        let parts_gone =
                            x.get("parts").and_then(Value::as_array).is_some_and(|ps| {
                                ps.iter().any(|p| {
                                    p.get("target")
                                        .and_then(|t| t.get("Column"))
                                        .and_then(Value::as_u64)
                                        .is_some_and(|c| !have.contains(&c))
                                })
                            });
                        let keep = !parts_gone && !uses_gone(x, fields);
                        if !keep {
                            gone.push(elem_id(x).unwrap_or(0));
                        }
                        keep
                    });
                    for id in gone {
                        lost(&[Seg::Key(key.into()), Seg::Id(id)], out);
                    }
                }
            }
            if let Some(Value::Array(a)) = obj.get_mut("dependencies") {
                let before = a.len();
                a.retain(|x| !uses_gone(x, &["lhs", "rhs"]));
                if a.len() != before {
                    lost(&[Seg::Key("dependencies".into())], out);
                }
            }
            if obj
                .get("partition_of")
                .and_then(|x| x.get("parent"))
                .and_then(Value::as_u64)
                .is_some_and(|p| !table_ids.contains(&p))
            {
                obj.remove("partition_of");
                lost(&[Seg::Key("partition_of".into())], out);
            }
            if let Some(Value::Array(a)) = obj.get_mut("review") {
                for r in a.iter_mut() {
                    if r.get("column")
                        .and_then(Value::as_u64)
                        .is_some_and(|c| !have.contains(&c))
                        && let Some(r) = r.as_object_mut()
                    {
                        // The comment stays, on the table.
                        r.remove("column");
                    }
                }
            }
        }
    }
    // 4. Views reading a table that is gone, saved views highlighting one.
    if let Some(Value::Array(views)) = m.get_mut("views") {
        for v in views.iter_mut() {
            if let Some(Value::Array(d)) = v.get_mut("depends_on") {
                d.retain(|x| x.as_u64().is_some_and(|x| table_ids.contains(&x)));
            }
        }
    }
    // 5. Sequences owned by a column that is gone: the sequence stays, without owner.
    if let Some(Value::Array(seqs)) = m.get_mut("sequences") {
        for s in seqs.iter_mut() {
            let id = elem_id(s).unwrap_or(0);
            let owner_gone = s.get("owned_by").is_some_and(|w| {
                let table = w.get("table").and_then(Value::as_u64).unwrap_or(0);
                let column = w.get("column").and_then(Value::as_u64).unwrap_or(0);
                !cols.get(&table).is_some_and(|c| c.contains(&column))
            });
            if owner_gone && let Some(obj) = s.as_object_mut() {
                obj.remove("owned_by");
                let p = [
                    Seg::Key("sequences".into()),
                    Seg::Id(id),
                    Seg::Key("owned_by".into()),
                ];
                out.push(
                    Conflict::new(show_path(&p), at(b, &p), at(o, &p), at(t, &p))
                        .resolved("dropped: its column was deleted by the other side"),
                );
            }
        }
    }
    prune_highlights(m, &table_ids);
}

fn prune_highlights(v: &mut Value, tables: &BTreeSet<u64>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if k == "highlight"
                    && let Value::Array(a) = x
                {
                    a.retain(|x| x.as_u64().is_some_and(|x| tables.contains(&x)));
                } else {
                    prune_highlights(x, tables);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| prune_highlights(x, tables)),
        _ => {}
    }
}

// -- the final check -----------------------------------------------------------------------------

/// One step of a path: an object key or the element of an id array.
#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Id(u64),
}

fn at<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    match path.split_first() {
        None => Some(v),
        Some((Seg::Key(k), rest)) => at(v.get(k)?, rest),
        Some((Seg::Id(id), rest)) => at(
            v.as_array()?.iter().find(|x| elem_id(x) == Some(*id))?,
            rest,
        ),
    }
}

fn show_path(path: &[Seg]) -> String {
    let mut s = "project".to_string();
    for p in path {
        match p {
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Seg::Id(id) => s.push_str(&format!("[id={id}]")),
        }
    }
    s
}

/// The changes from `base` to `side`, as (path, new value) leaves.
fn changes(
    path: &mut Vec<Seg>,
    base: Option<&Value>,
    side: Option<&Value>,
    out: &mut Vec<(Vec<Seg>, Option<Value>)>,
) {
    if base == side {
        return;
    }
    match (base, side) {
        (Some(Value::Object(b)), Some(Value::Object(s))) => {
            let mut keys: Vec<&String> = b.keys().collect();
            keys.extend(s.keys().filter(|k| !b.contains_key(*k)));
            for k in keys {
                if k == "next_id" || k == "format_version" {
                    continue;
                }
                path.push(Seg::Key(k.clone()));
                changes(path, b.get(k), s.get(k), out);
                path.pop();
            }
        }
        (Some(Value::Array(b)), Some(Value::Array(s)))
            if is_id_array(base) && is_id_array(side) =>
        {
            let mut ids: Vec<u64> = b.iter().filter_map(elem_id).collect();
            ids.extend(
                s.iter()
                    .filter_map(elem_id)
                    .filter(|i| !b.iter().any(|x| elem_id(x) == Some(*i))),
            );
            for id in ids {
                let find = |a: &[Value]| a.iter().find(|x| elem_id(x) == Some(id)).cloned();
                path.push(Seg::Id(id));
                changes(path, find(b).as_ref(), find(s).as_ref(), out);
                path.pop();
            }
        }
        _ => out.push((path.clone(), side.cloned())),
    }
}

/// List every change of OURS or THEIRS that is not in the result and that no conflict covers.
fn check_nothing_lost(b: &Value, o: &Value, t: &Value, result: &Value, out: &mut Vec<Conflict>) {
    for (side, name) in [(o, "ours"), (t, "theirs")] {
        let mut found = Vec::new();
        changes(&mut Vec::new(), Some(b), Some(side), &mut found);
        for (path, value) in found {
            if at(result, &path) == value.as_ref() {
                continue;
            }
            let shown = show_path(&path);
            let covered = out.iter().filter(|c| c.path != "project").any(|c| {
                shown == c.path
                    || shown.starts_with(&format!("{}.", c.path))
                    || shown.starts_with(&format!("{}[", c.path))
                    || c.path.starts_with(&format!("{shown}."))
                    || c.path.starts_with(&format!("{shown}["))
            });
            if covered {
                continue;
            }
            out.push(
                Conflict::new(shown, at(b, &path), at(o, &path), at(t, &path))
                    .resolved(format!("{name}' change is not in the result")),
            );
        }
    }
}

/// Merge THEIRS into OURS relative to BASE. A merged model that does not validate (say, a key
/// on a column the other side removed) is a conflict too; then OURS is returned unchanged.
pub fn merge(base: &Project, ours: &Project, theirs: &Project) -> Merged {
    let mut b = to_value(base);
    let o = to_value(ours);
    let mut t = to_value(theirs);
    // The id counter is not content: the result's is set below.
    b["next_id"] = o["next_id"].clone();
    t["next_id"] = o["next_id"].clone();
    let from = base.next_id();
    let shift = ours.next_id().saturating_sub(from);
    if shift > 0 {
        renumber(&mut t, from, shift);
    }
    let mut conflicts = Vec::new();
    let mut m = merge_value("project", Some(&b), Some(&o), Some(&t), &mut conflicts)
        .expect("both sides have a project");
    let next = ours
        .next_id()
        .max(theirs.next_id() + shift)
        .max(base.next_id());
    m["next_id"] = Value::from(next);
    m["format_version"] = o["format_version"].clone();
    repair(&mut m, &b, &o, &t, &mut conflicts);
    let (project, result) = match from_value(m.clone(), "merged") {
        Ok(project) => (project, m),
        Err(e) => {
            // Not repairable here: OURS, with every change of THEIRS listed below.
            conflicts.push(
                Conflict::new("project".into(), None, None, None)
                    .resolved(format!("the merged model is invalid ({e}); kept ours")),
            );
            (ours.clone(), o.clone())
        }
    };
    check_nothing_lost(&b, &o, &t, &result, &mut conflicts);
    Merged { project, conflicts }
}
