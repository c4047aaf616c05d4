//! Model-aware three-way merge of project files (`crowfoot merge BASE OURS THEIRS -o OUT`, a
//! git merge driver). Objects are matched by stable id, not by line: independent edits to
//! different objects, or to different fields of one object, merge cleanly; a field both sides
//! changed differently (or an object one side deleted and the other changed) is a conflict,
//! reported by object and field, and resolved to OURS in the output, which is always a valid
//! project file, never RON with conflict markers.
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
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<Value>| match v {
            Some(v) => v.to_string(),
            None => "(deleted)".into(),
        };
        write!(
            f,
            "{}: base {}, ours {}, theirs {} (kept ours)",
            self.path,
            show(&self.base),
            show(&self.ours),
            show(&self.theirs)
        )
    }
}

pub struct Merged {
    pub project: Project,
    pub conflicts: Vec<Conflict>,
}

/// Keys whose number is an object id; keys whose array of numbers are ids.
const ID_KEYS: &[&str] = &["id", "from_table", "to_table", "parent", "column"];
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
            out.push(Conflict {
                path: path.to_string(),
                base: base.cloned(),
                ours: ours.cloned(),
                theirs: theirs.cloned(),
            });
            ours.cloned()
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
    match from_value(m, "merged") {
        Ok(project) => Merged { project, conflicts },
        Err(e) => {
            conflicts.push(Conflict {
                path: "project".into(),
                base: None,
                ours: None,
                theirs: Some(Value::String(format!("the merged model is invalid: {e}"))),
            });
            Merged {
                project: ours.clone(),
                conflicts,
            }
        }
    }
}
