//! Mermaid `erDiagram`: one entity per table (attributes typed, with `PK`/`FK`/`UK` markers
//! and comments) and one relationship per foreign key, with crow's-foot cardinalities from
//! nullability and uniqueness (`||` exactly one / `|o` zero or one parent; `o{` zero or more
//! / `o|` zero or one child) and `--` (identifying) or `..` (non-identifying) lines.
//!
//! Mermaid identifiers are restricted: entity names become `[A-Za-z0-9_]` identifiers with
//! the real name as the entity's alias (`order_line["order line"]`); attribute names and
//! types are sanitized the same way, the real name then leading the comment. Double quotes,
//! which no Mermaid string can hold, become single quotes. Deterministic: id order.

use super::TextOutput;
use crate::diagram::geometry;
use crate::model::*;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

/// Words Mermaid's ER grammar reads as keywords.
const RESERVED: &[&str] = &[
    "erdiagram",
    "direction",
    "style",
    "classdef",
    "class",
    "title",
    "acctitle",
    "accdescr",
    "pk",
    "fk",
    "uk",
    "tb",
    "bt",
    "lr",
    "rl",
    "one",
    "only",
    "zero",
    "many",
    "to",
    "optionally",
    "or",
    "more",
    "u",
    "md_parent",
];

/// `s` as a Mermaid identifier: letters, digits and `_`, starting with a letter.
pub fn ident(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'x');
    }
    if RESERVED.contains(&out.to_ascii_lowercase().as_str()) {
        out.push('_');
    }
    out
}

/// Text for a Mermaid double-quoted string: no double quotes, no line breaks.
fn quoted(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| match c {
            '"' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    format!("\"{t}\"")
}

/// A type as Mermaid takes it: starts with a letter; letters, digits, `_`, `-`, `(`, `)`,
/// `[`, `]`.
fn type_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_-()[]".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 't');
    }
    out
}

/// The entity identifiers: `ident(qualified name)`, made unique with `_2`, `_3`... in id order.
fn entity_ids(p: &Project) -> HashMap<TableId, String> {
    let mut used = BTreeSet::new();
    let mut ids = HashMap::with_capacity(p.table_count());
    for t in p.tables() {
        let base = ident(&t.qualified_name());
        let mut name = base.clone();
        let mut k = 2;
        while !used.insert(name.to_ascii_lowercase()) {
            name = format!("{base}_{k}");
            k += 1;
        }
        ids.insert(t.id, name);
    }
    ids
}

/// The project as a Mermaid `erDiagram` (with no fence).
pub fn export(p: &Project) -> TextOutput {
    export_tables(p, None)
}

/// Only some tables (and the foreign keys between them).
pub fn export_tables(p: &Project, only: Option<&BTreeSet<TableId>>) -> TextOutput {
    let included = |t: TableId| only.is_none_or(|s| s.contains(&t));
    let ids = entity_ids(p);
    let mut s = String::from("erDiagram\n");
    for t in p.tables().filter(|t| included(t.id)) {
        let e = &ids[&t.id];
        let qn = t.qualified_name();
        let alias = if *e != qn {
            format!("[{}]", quoted(&qn))
        } else {
            String::new()
        };
        if t.columns.is_empty() {
            let _ = writeln!(s, "    {e}{alias} {{\n    }}");
            continue;
        }
        let _ = writeln!(s, "    {e}{alias} {{");
        let fk_cols = p.fk_columns_from(t.id);
        let unique_cols: BTreeSet<ColumnId> = t
            .uniques
            .iter()
            .flat_map(|u| u.columns.iter().copied())
            .collect();
        let mut seen = BTreeSet::new();
        for c in &t.columns {
            let mut name = ident(&c.name);
            let base = name.clone();
            let mut k = 2;
            while !seen.insert(name.to_ascii_lowercase()) {
                name = format!("{base}_{k}");
                k += 1;
            }
            let mut keys = Vec::new();
            if t.is_pk_column(c.id) {
                keys.push("PK");
            }
            if fk_cols.contains(&c.id) {
                keys.push("FK");
            }
            if unique_cols.contains(&c.id) {
                keys.push("UK");
            }
            let mut comment = Vec::new();
            if name != c.name {
                comment.push(c.name.clone());
            }
            if let Some(cm) = &c.comment {
                comment.push(cm.clone());
            }
            if !c.tags.is_empty() {
                comment.push(format!(
                    "[{}]",
                    c.tags.iter().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            let ty = geometry::type_label(c, p);
            let _ = writeln!(
                s,
                "        {} {name}{}{}",
                type_name(&ty),
                if keys.is_empty() {
                    String::new()
                } else {
                    format!(" {}", keys.join(", "))
                },
                if comment.is_empty() {
                    String::new()
                } else {
                    format!(" {}", quoted(&comment.join(": ")))
                }
            );
        }
        s.push_str("    }\n");
    }
    for fk in p.foreign_keys() {
        if !included(fk.from_table) || !included(fk.to_table) {
            continue;
        }
        let (Some(child), Some(_parent)) = (p.table(fk.from_table), p.table(fk.to_table)) else {
            continue;
        };
        let shape = geometry::fk_shape(fk, child);
        let parent_card = if shape.optional { "|o" } else { "||" };
        let child_card = if shape.child_unique { "o|" } else { "o{" };
        let line = if shape.identifying { "--" } else { ".." };
        let label = fk.name.clone().unwrap_or_else(|| {
            fk.from_columns
                .iter()
                .map(|c| child.column_name(*c))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let _ = writeln!(
            s,
            "    {} {parent_card}{line}{child_card} {} : {}",
            ids[&fk.to_table],
            ids[&fk.from_table],
            quoted(&label)
        );
    }
    TextOutput {
        text: s,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(ident("order line"), "order_line");
        assert_eq!(ident("1st"), "x1st");
        assert_eq!(ident("PK"), "PK_");
        assert_eq!(type_name("decimal(10,2)"), "decimal(10_2)");
        assert_eq!(quoted("say \"hi\"\n"), "\"say 'hi' \"");
    }
}
