//! Copy and paste of tables between projects. The clipboard carries a small RON document
//! (tables, the foreign keys among them, the enums they use); pasting gives every object a
//! fresh id in the target project and renames tables whose names are taken, as one command.

use super::command::Command;
use super::ids::*;
use super::project::Project;
use super::table::*;
use super::types::LogicalType;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const MARKER: &str = "crowfoot-clipboard";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Clip {
    kind: String,
    version: u32,
    enums: Vec<EnumType>,
    tables: Vec<Table>,
    foreign_keys: Vec<ForeignKey>,
}

/// Serialize the given tables (and the foreign keys and enums among them) for the clipboard.
pub fn copy(p: &Project, tables: &BTreeSet<TableId>) -> String {
    let ts: Vec<Table> = p
        .tables()
        .filter(|t| tables.contains(&t.id))
        .cloned()
        .collect();
    let fks: Vec<ForeignKey> = p
        .foreign_keys()
        .filter(|fk| tables.contains(&fk.from_table) && tables.contains(&fk.to_table))
        .cloned()
        .collect();
    let mut used = BTreeSet::new();
    for t in &ts {
        for c in &t.columns {
            collect_enums(&c.ty, &mut used);
        }
    }
    let enums = p
        .enums()
        .filter(|e| used.contains(&e.id))
        .cloned()
        .collect();
    let clip = Clip {
        kind: MARKER.into(),
        version: 1,
        enums,
        tables: ts,
        foreign_keys: fks,
    };
    ron::ser::to_string(&clip).expect("clipboard values serialize")
}

fn collect_enums(ty: &LogicalType, out: &mut BTreeSet<EnumId>) {
    match ty {
        LogicalType::Enum(e) => {
            out.insert(*e);
        }
        LogicalType::Array(inner) => collect_enums(inner, out),
        _ => {}
    }
}

/// True when `text` looks like Crowfoot clipboard content.
pub fn is_clip(text: &str) -> bool {
    text.contains(MARKER)
}

/// Build the command that pastes `text` into `p`, shifted by `offset` on the canvas.
/// Returns the command and the ids of the new tables.
pub fn paste(p: &Project, text: &str, offset: Position) -> Result<(Command, Vec<TableId>), String> {
    let clip: Clip = ron::from_str(text).map_err(|e| format!("clipboard: {e}"))?;
    if clip.kind != MARKER {
        return Err("clipboard does not hold Crowfoot tables".into());
    }
    let mut cmds = Vec::new();
    // Enums: reuse one with the same name, else add a copy.
    let mut enum_map: BTreeMap<EnumId, EnumId> = BTreeMap::new();
    for e in clip.enums {
        if let Some(existing) = p.enums().find(|x| x.name == e.name && x.schema == e.schema) {
            enum_map.insert(e.id, existing.id);
        } else {
            let id = EnumId(p.alloc_id());
            enum_map.insert(e.id, id);
            cmds.push(Command::PutEnum(EnumType { id, ..e }));
        }
    }
    let mut names: BTreeSet<(Option<String>, String)> = p
        .tables()
        .map(|t| (t.schema.clone(), t.name.clone()))
        .collect();
    let mut table_map = BTreeMap::new();
    let mut col_map = BTreeMap::new();
    let mut new_ids = Vec::new();
    // Partitions are attached once every pasted table exists; a partition pasted without its
    // parent becomes an ordinary table.
    let mut partitions = Vec::new();
    for mut t in clip.tables {
        let new_id = TableId(p.alloc_id());
        table_map.insert(t.id, new_id);
        new_ids.push(new_id);
        t.id = new_id;
        let base = t.name.clone();
        let mut n = 1;
        while names.contains(&(t.schema.clone(), t.name.clone())) {
            t.name = if n == 1 {
                format!("{base}_copy")
            } else {
                format!("{base}_copy{n}")
            };
            n += 1;
        }
        names.insert((t.schema.clone(), t.name.clone()));
        for c in &mut t.columns {
            let nc = ColumnId(p.alloc_id());
            col_map.insert(c.id, nc);
            c.id = nc;
            remap_type(&mut c.ty, &enum_map);
        }
        let m = |c: &mut ColumnId| {
            if let Some(n) = col_map.get(c) {
                *c = *n;
            }
        };
        if let Some(pk) = &mut t.primary_key {
            pk.columns.iter_mut().for_each(m);
        }
        for u in &mut t.uniques {
            u.id = ConstraintId(p.alloc_id());
            u.columns.iter_mut().for_each(m);
        }
        for ck in &mut t.checks {
            ck.id = ConstraintId(p.alloc_id());
        }
        for ix in &mut t.indexes {
            ix.id = IndexId(p.alloc_id());
            for part in &mut ix.parts {
                if let IndexTarget::Column(c) = &mut part.target {
                    m(c);
                }
            }
            ix.include.iter_mut().for_each(m);
        }
        for d in &mut t.dependencies {
            d.lhs.iter_mut().chain(d.rhs.iter_mut()).for_each(m);
        }
        if let Some(st) = &mut t.stats {
            st.columns.iter_mut().for_each(|c| m(&mut c.column));
        }
        // Review comments belong to the reviewed original, not to a copy.
        t.review.clear();
        if let Some(of) = t.partition_of.take() {
            partitions.push((new_id, t.partition_by.clone(), of));
        }
        t.position = Position {
            x: t.position.x + offset.x,
            y: t.position.y + offset.y,
        };
        cmds.push(Command::AddTable(Box::new(t)));
    }
    for (table, partition_by, mut of) in partitions {
        if let Some(parent) = table_map.get(&of.parent) {
            of.parent = *parent;
            cmds.push(Command::SetPartitioning {
                table,
                partition_by,
                partition_of: Some(of),
            });
        }
    }
    for mut fk in clip.foreign_keys {
        let (Some(a), Some(b)) = (table_map.get(&fk.from_table), table_map.get(&fk.to_table))
        else {
            continue;
        };
        fk.id = ForeignKeyId(p.alloc_id());
        fk.from_table = *a;
        fk.to_table = *b;
        for c in fk.from_columns.iter_mut().chain(fk.to_columns.iter_mut()) {
            if let Some(n) = col_map.get(c) {
                *c = *n;
            }
        }
        cmds.push(Command::AddForeignKey(Box::new(fk)));
    }
    Ok((Command::Batch(cmds), new_ids))
}

fn remap_type(ty: &mut LogicalType, map: &BTreeMap<EnumId, EnumId>) {
    match ty {
        LogicalType::Enum(e) => {
            if let Some(n) = map.get(e) {
                *e = *n;
            }
        }
        LogicalType::Array(inner) => remap_type(inner, map),
        _ => {}
    }
}

/// Command creating a junction table for a many-to-many relationship between `a` and `b`
/// (single-column primary keys): `a_b(a_id, b_id)` with a composite primary key and two
/// cascading foreign keys, placed between the two cards.
pub fn many_to_many(p: &Project, a: TableId, b: TableId) -> Result<(Command, TableId), String> {
    let ta = p.table(a).ok_or("first table does not exist")?.clone();
    let tb = p.table(b).ok_or("second table does not exist")?.clone();
    let key = |t: &Table| -> Result<Column, String> {
        match t.primary_key.as_ref().map(|k| k.columns.as_slice()) {
            Some([c]) => Ok(t.column(*c).cloned().ok_or("primary key column missing")?),
            _ => Err(format!("{} needs a single-column primary key", t.name)),
        }
    };
    let (ka, kb) = (key(&ta)?, key(&tb)?);
    let existing: BTreeSet<String> = p.tables().map(|t| t.name.clone()).collect();
    let mut name = format!("{}_{}", ta.name, tb.name);
    let mut n = 2;
    while existing.contains(&name) {
        name = format!("{}_{}_{n}", ta.name, tb.name);
        n += 1;
    }
    let id = TableId(p.alloc_id());
    let mut t = Table::new(id, name);
    t.schema = ta.schema.clone();
    let col = |p: &Project, owner: &Table, k: &Column| {
        let mut c = Column::new(
            ColumnId(p.alloc_id()),
            format!("{}_{}", singular(&owner.name), k.name),
            k.ty.clone(),
        );
        c.nullable = false;
        c.type_overrides = k.type_overrides.clone();
        c
    };
    let (ca, cb) = (col(p, &ta, &ka), col(p, &tb, &kb));
    t.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec![ca.id, cb.id],
    });
    t.indexes.push(Index {
        id: IndexId(p.alloc_id()),
        name: format!("ix_{}_{}", t.name, cb.name),
        unique: false,
        parts: vec![IndexPart::column(cb.id)],
        where_clause: None,
        include: Vec::new(),
        method: None,
    });
    t.columns = vec![ca.clone(), cb.clone()];
    t.position = Position {
        x: (ta.position.x + tb.position.x) / 2.0,
        y: (ta.position.y + tb.position.y) / 2.0 + 120.0,
    };
    let fk = |p: &Project, from: &Column, to: &Table, key: &Column| ForeignKey {
        id: ForeignKeyId(p.alloc_id()),
        name: None,
        from_table: id,
        from_columns: vec![from.id],
        to_table: to.id,
        to_columns: vec![key.id],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
        deferrable: Deferrable::NotDeferrable,
    };
    let fa = fk(p, &ca, &ta, &ka);
    let fb = fk(p, &cb, &tb, &kb);
    Ok((
        Command::Batch(vec![
            Command::AddTable(Box::new(t)),
            Command::AddForeignKey(Box::new(fa)),
            Command::AddForeignKey(Box::new(fb)),
        ]),
        id,
    ))
}

/// `orders` → `order`, `categories` → `category`, `addresses` → `address` (for column names).
pub fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else if name.ends_with("sses") || name.ends_with("xes") {
        name[..name.len() - 2].to_string()
    } else if let Some(stem) = name.strip_suffix('s')
        && !name.ends_with("ss")
    {
        stem.to_string()
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::builder::ProjectBuilder;

    fn two() -> (Project, TableId, TableId) {
        let mut b = ProjectBuilder::new("x");
        let st = b.enum_type("state", &["a", "b"]);
        let a = b.table("students", |t| {
            t.col("id", LogicalType::BigInt).pk();
            t.col("state", LogicalType::Enum(st));
        });
        let c = b.table("courses", |t| {
            t.col("id", LogicalType::Integer).pk();
            t.col("student_id", LogicalType::BigInt);
        });
        b.fk(c, &["student_id"], a, &["id"]);
        (b.build(), a, c)
    }

    #[test]
    fn paste_into_another_project_gives_fresh_ids_and_keeps_fks() {
        let (src, a, c) = two();
        let text = copy(&src, &[a, c].into_iter().collect());
        let mut dst = ProjectBuilder::new("y");
        dst.table("students", |t| {
            t.col("id", LogicalType::BigInt).pk();
        });
        let mut dst = dst.build();
        let (cmd, ids) = paste(&dst, &text, Position { x: 10.0, y: 10.0 }).unwrap();
        let inv = cmd.apply(&mut dst).unwrap();
        assert_eq!(dst.table_count(), 3);
        assert_eq!(ids.len(), 2);
        let names: BTreeSet<String> = dst.tables().map(|t| t.name.clone()).collect();
        assert!(names.contains("students_copy"), "{names:?}");
        assert_eq!(dst.foreign_key_count(), 1);
        assert_eq!(dst.enums().count(), 1);
        assert!(
            crate::analysis::check::check(&dst, crate::model::Dialect::Postgres)
                .iter()
                .all(|p| p.code != "CF001")
        );
        // Pasting twice works too (ids stay unique), and undo removes the paste.
        let (cmd2, _) = paste(&dst, &text, Position::default()).unwrap();
        cmd2.apply(&mut dst).unwrap();
        assert_eq!(dst.table_count(), 5);
        let _ = inv;
    }

    #[test]
    fn rejects_foreign_text() {
        let (p, _, _) = two();
        assert!(paste(&p, "SELECT 1", Position::default()).is_err());
        assert!(!is_clip("hello"));
    }

    #[test]
    fn junction_table_for_many_to_many() {
        let (mut p, a, c) = two();
        let (cmd, j) = many_to_many(&p, a, c).unwrap();
        cmd.apply(&mut p).unwrap();
        let t = p.table(j).unwrap();
        assert_eq!(t.name, "students_courses");
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["student_id", "course_id"]);
        assert_eq!(t.primary_key.as_ref().unwrap().columns.len(), 2);
        assert_eq!(p.foreign_keys_from(j).len(), 2);
        assert_eq!(t.columns[1].ty, LogicalType::Integer);
    }
}
