//! DBML (dbml.dbdiagram.io): `Project`, `Enum`, `Table` (columns with settings, `Note`,
//! `indexes`, `checks`), `Ref` lines, `TableGroup`s for areas and sticky `Note`s. Checked with
//! the official parser (`@dbml/core`) by `tests/exports.rs`.
//!
//! DBML has no partial indexes, sort orders, included columns, operator classes, generated
//! columns, deferrable keys, views or verbatim SQL: each one left out is a warning.
//! Deterministic: everything in id order.

use super::TextOutput;
use crate::diagram::geometry;
use crate::model::*;
use crate::sql::ExportWarning;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// A quoted DBML identifier.
fn id(s: &str) -> String {
    crate::sql::dialect::util::backslash_quoted(s)
}

/// A single-quoted DBML string.
fn string(s: &str) -> String {
    crate::sql::dialect::util::quoted_with_backslashes(s, '\'')
}

fn table_ref(t: &Table) -> String {
    match &t.schema {
        Some(s) => format!("{}.{}", id(s), id(&t.name)),
        None => id(&t.name),
    }
}

fn enum_ref(e: &EnumType) -> String {
    match &e.schema {
        Some(s) => format!("{}.{}", id(s), id(&e.name)),
        None => id(&e.name),
    }
}

/// The column type: the enum's name, or the logical type's text (quoted when it is not a
/// plain `name` or `name(args)`).
fn col_type(c: &Column, p: &Project) -> String {
    if let LogicalType::Enum(e) = &c.ty
        && let Some(e) = p.enum_type(*e)
    {
        return enum_ref(e);
    }
    let t = c.ty.describe();
    let plain = t
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_(),".contains(c))
        && !t.contains(",)")
        && t.matches('(').count() == t.matches(')').count()
        && t.matches('(').count() <= 1;
    if plain { t } else { id(&t) }
}

/// A SQL default as a DBML default value: string, number, boolean, null or `expression`.
fn default_value(sql: &str) -> Option<String> {
    let s = sql.trim();
    if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') {
        let inner = &s[1..s.len() - 1];
        // A single literal: every inner quote is doubled.
        if inner.replace("''", "").find('\'').is_none() {
            return Some(string(&inner.replace("''", "'")));
        }
    }
    let num = s.strip_prefix('-').unwrap_or(s);
    if !num.is_empty()
        && num.chars().all(|c| c.is_ascii_digit() || c == '.')
        && num.chars().filter(|&c| c == '.').count() <= 1
        && num.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !num.ends_with('.')
    {
        return Some(s.to_string());
    }
    match s.to_ascii_lowercase().as_str() {
        "true" | "false" | "null" => return Some(s.to_ascii_lowercase()),
        _ => {}
    }
    expression(s)
}

/// `` `expr` ``, or `None` when the expression holds a backtick (DBML cannot escape it).
fn expression(s: &str) -> Option<String> {
    (!s.contains('`')).then(|| format!("`{}`", s.replace(['\n', '\r'], " ")))
}

fn action(a: FkAction) -> &'static str {
    match a {
        FkAction::NoAction => "no action",
        FkAction::Restrict => "restrict",
        FkAction::Cascade => "cascade",
        FkAction::SetNull => "set null",
        FkAction::SetDefault => "set default",
    }
}

fn col_list(t: &Table, cols: &[ColumnId]) -> String {
    let names: Vec<String> = cols.iter().map(|c| id(&t.column_name(*c))).collect();
    if names.len() == 1 {
        names[0].clone()
    } else {
        format!("({})", names.join(", "))
    }
}

struct Out {
    s: String,
    warnings: Vec<ExportWarning>,
}

impl Out {
    fn warn(&mut self, object: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(ExportWarning {
            object: object.into(),
            message: message.into(),
        });
    }
}

/// The project as DBML.
pub fn export(p: &Project) -> TextOutput {
    let mut o = Out {
        s: String::new(),
        warnings: Vec::new(),
    };
    let _ = writeln!(o.s, "Project {} {{", id(p.name()));
    let _ = writeln!(
        o.s,
        "  database_type: {}",
        string(p.settings().target_dialect.display_name())
    );
    o.s.push_str("}\n");

    for e in p.enums() {
        o.s.push('\n');
        // DBML enums take no note: the comment becomes `//` lines above.
        if let Some(c) = &e.comment {
            for line in c.lines() {
                let _ = writeln!(o.s, "// {}", line.replace('\r', ""));
            }
        }
        let _ = writeln!(o.s, "Enum {} {{", enum_ref(e));
        let mut seen = BTreeSet::new();
        for v in &e.values {
            if seen.insert(v) {
                let _ = writeln!(o.s, "  {}", id(v));
            }
        }
        o.s.push_str("}\n");
    }

    // Header colours and groups from areas (a card belongs to the first area holding its
    // centre, as on the canvas).
    let areas: Vec<&Area> = p.areas().collect();
    let mut groups: BTreeMap<AreaId, Vec<&Table>> = BTreeMap::new();
    for t in p.tables() {
        let area = area_of(t, p, &areas);
        if let Some(a) = area {
            groups.entry(a.id).or_default().push(t);
        }
        table(&mut o, p, t, area);
    }

    for fk in p.foreign_keys() {
        let (Some(child), Some(parent)) = (p.table(fk.from_table), p.table(fk.to_table)) else {
            continue;
        };
        let obj = format!(
            "{}.{}",
            child.qualified_name(),
            fk.name.clone().unwrap_or_else(|| format!("fk#{}", fk.id))
        );
        let target = fk.target_columns(parent);
        if target.len() != fk.from_columns.len() {
            o.warn(
                &obj,
                "the referenced table has no matching key; Ref left out",
            );
            continue;
        }
        if fk.from_table == fk.to_table && target == fk.from_columns.as_slice() {
            o.warn(
                &obj,
                "references its own columns; DBML refuses it, Ref left out",
            );
            continue;
        }
        if fk.deferrable != Deferrable::NotDeferrable {
            o.warn(&obj, "DBML has no deferrable foreign keys (left out)");
        }
        let shape = geometry::fk_shape(fk, child);
        let mut settings = Vec::new();
        if fk.on_delete != FkAction::NoAction {
            settings.push(format!("delete: {}", action(fk.on_delete)));
        }
        if fk.on_update != FkAction::NoAction {
            settings.push(format!("update: {}", action(fk.on_update)));
        }
        let _ = writeln!(
            o.s,
            "{}Ref{}: {}.{} {} {}.{}{}",
            if o.s.ends_with("}\n") { "\n" } else { "" },
            fk.name
                .as_ref()
                .map(|n| format!(" {}", id(n)))
                .unwrap_or_default(),
            table_ref(child),
            col_list(child, &fk.from_columns),
            if shape.child_unique { "-" } else { ">" },
            table_ref(parent),
            col_list(parent, target),
            if settings.is_empty() {
                String::new()
            } else {
                format!(" [{}]", settings.join(", "))
            }
        );
    }

    let mut group_names = BTreeSet::new();
    for a in &areas {
        let Some(tables) = groups.get(&a.id) else {
            continue;
        };
        let mut name = a.name.clone();
        let mut k = 2;
        while !group_names.insert(name.clone()) {
            name = format!("{} {k}", a.name);
            k += 1;
        }
        let _ = writeln!(
            o.s,
            "\nTableGroup {} [color: #{:02x}{:02x}{:02x}] {{",
            id(&name),
            a.color[0],
            a.color[1],
            a.color[2]
        );
        for t in tables {
            let _ = writeln!(o.s, "  {}", table_ref(t));
        }
        o.s.push_str("}\n");
    }

    for n in p.notes() {
        let _ = writeln!(
            o.s,
            "\nNote {} {{\n  {}\n}}",
            id(&format!("note_{}", n.id)),
            string(&n.text)
        );
    }

    for v in p.views() {
        o.warn(
            v.name.clone(),
            "DBML has no views; the view is left out (see the SQL export)",
        );
    }
    for x in p.extra_sql() {
        o.warn(
            x.name.clone().unwrap_or_else(|| x.kind.clone()),
            format!("DBML has no {}; the statement is left out", x.kind),
        );
    }
    TextOutput {
        text: o.s,
        warnings: o.warnings,
    }
}

fn area_of<'a>(t: &Table, p: &Project, areas: &[&'a Area]) -> Option<&'a Area> {
    let [w, h] = geometry::card_size(t, p);
    let (cx, cy) = (t.position.x + w * 0.5, t.position.y + h * 0.5);
    areas.iter().copied().find(|a| {
        cx >= a.position.x
            && cx <= a.position.x + a.size[0]
            && cy >= a.position.y
            && cy <= a.position.y + a.size[1]
    })
}

fn table(o: &mut Out, p: &Project, t: &Table, area: Option<&Area>) {
    let qn = t.qualified_name();
    let header = area
        .map(|a| {
            format!(
                " [headercolor: #{:02x}{:02x}{:02x}]",
                a.color[0], a.color[1], a.color[2]
            )
        })
        .unwrap_or_default();
    let _ = writeln!(o.s, "\nTable {}{header} {{", table_ref(t));
    let pk_cols = t.primary_key.as_ref().map(|k| k.columns.as_slice());
    // A one-column unnamed key goes on the column; others go to the indexes block.
    let pk_inline = t
        .primary_key
        .as_ref()
        .is_some_and(|k| k.columns.len() == 1 && k.name.is_none());
    let unique_inline: BTreeSet<ColumnId> = t
        .uniques
        .iter()
        .filter(|u| u.columns.len() == 1 && u.name.is_none())
        .map(|u| u.columns[0])
        .collect();
    for c in &t.columns {
        let mut settings = Vec::new();
        if pk_inline && pk_cols.is_some_and(|k| k.contains(&c.id)) {
            settings.push("pk".to_string());
        }
        if c.identity.is_some() {
            settings.push("increment".into());
        }
        if !c.nullable {
            settings.push("not null".into());
        }
        if unique_inline.contains(&c.id) {
            settings.push("unique".into());
        }
        if let Some(d) = &c.default {
            match default_value(d) {
                Some(v) => settings.push(format!("default: {v}")),
                None => o.warn(
                    format!("{qn}.{}", c.name),
                    "the default holds a backtick, which DBML cannot quote (left out)",
                ),
            }
        }
        let mut note = c.comment.clone();
        if let Some(g) = &c.generated {
            o.warn(
                format!("{qn}.{}", c.name),
                "DBML has no generated columns; the expression is kept in the note",
            );
            let gen_text = format!(
                "generated: {}{}",
                g.expr,
                if g.stored { " (stored)" } else { "" }
            );
            note = Some(match note {
                Some(n) => format!("{n}\n{gen_text}"),
                None => gen_text,
            });
        }
        if !c.tags.is_empty() {
            let tags: Vec<&str> = c.tags.iter().map(|s| s.as_str()).collect();
            let tag_text = format!("tags: {}", tags.join(", "));
            note = Some(match note {
                Some(n) => format!("{n}\n{tag_text}"),
                None => tag_text,
            });
        }
        if let Some(n) = &note {
            settings.push(format!("note: {}", string(n)));
        }
        let _ = writeln!(
            o.s,
            "  {} {}{}",
            id(&c.name),
            col_type(c, p),
            if settings.is_empty() {
                String::new()
            } else {
                format!(" [{}]", settings.join(", "))
            }
        );
    }

    let mut ix_lines = Vec::new();
    if let Some(k) = &t.primary_key
        && !pk_inline
    {
        let name = k
            .name
            .as_ref()
            .map(|n| format!(", name: {}", string(n)))
            .unwrap_or_default();
        ix_lines.push(format!("({}) [pk{name}]", cols(t, &k.columns)));
    }
    for u in &t.uniques {
        if u.columns.len() == 1 && u.name.is_none() {
            continue;
        }
        let name = u
            .name
            .as_ref()
            .map(|n| format!(", name: {}", string(n)))
            .unwrap_or_default();
        ix_lines.push(format!("({}) [unique{name}]", cols(t, &u.columns)));
    }
    for ix in &t.indexes {
        let obj = format!("{qn}.{}", ix.name);
        let mut parts = Vec::new();
        for part in &ix.parts {
            match &part.target {
                IndexTarget::Column(c) => parts.push(id(&t.column_name(*c))),
                IndexTarget::Expr(e) => match expression(e) {
                    Some(x) => parts.push(x),
                    None => o.warn(&obj, "an expression holds a backtick (part left out)"),
                },
            }
            if part.order == Some(SortOrder::Desc) {
                o.warn(&obj, "DBML has no index sort order (DESC left out)");
            }
            if part.prefix.is_some() {
                o.warn(&obj, "DBML has no index prefix lengths (left out)");
            }
            if part.opclass.is_some() {
                o.warn(&obj, "DBML has no operator classes (left out)");
            }
        }
        if parts.is_empty() {
            o.warn(&obj, "nothing DBML can express is left; index left out");
            continue;
        }
        if let Some(w) = &ix.where_clause {
            o.warn(
                &obj,
                format!("DBML has no partial indexes (WHERE {w} left out; kept in the note)"),
            );
        }
        if !ix.include.is_empty() {
            o.warn(&obj, "DBML has no included columns (INCLUDE left out)");
        }
        let mut settings = Vec::new();
        if ix.unique {
            settings.push("unique".to_string());
        }
        settings.push(format!("name: {}", string(&ix.name)));
        match &ix.method {
            None => {}
            Some(IndexMethod::BTree) => settings.push("type: btree".into()),
            Some(IndexMethod::Hash) => settings.push("type: hash".into()),
            Some(m) => o.warn(
                &obj,
                format!(
                    "DBML index types are btree and hash ({} left out)",
                    m.sql_name()
                ),
            ),
        }
        if let Some(w) = &ix.where_clause {
            settings.push(format!("note: {}", string(&format!("WHERE {w}"))));
        }
        ix_lines.push(format!("({}) [{}]", parts.join(", "), settings.join(", ")));
    }
    if !ix_lines.is_empty() {
        o.s.push_str("\n  indexes {\n");
        for l in ix_lines {
            let _ = writeln!(o.s, "    {l}");
        }
        o.s.push_str("  }\n");
    }
    let mut checks = Vec::new();
    for ck in &t.checks {
        match expression(&ck.expr) {
            Some(x) => checks.push(match &ck.name {
                Some(n) => format!("{x} [name: {}]", string(n)),
                None => x,
            }),
            None => o.warn(
                format!("{qn}.{}", ck.name.as_deref().unwrap_or("check")),
                "the check holds a backtick, which DBML cannot quote (left out)",
            ),
        }
    }
    if !checks.is_empty() {
        o.s.push_str("\n  checks {\n");
        for l in checks {
            let _ = writeln!(o.s, "    {l}");
        }
        o.s.push_str("  }\n");
    }
    if let Some(c) = &t.comment {
        let _ = writeln!(o.s, "\n  Note: {}", string(c));
    }
    o.s.push_str("}\n");
}

fn cols(t: &Table, cols: &[ColumnId]) -> String {
    cols.iter()
        .map(|c| id(&t.column_name(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        assert_eq!(default_value("'it''s'").as_deref(), Some(r"'it\'s'"));
        assert_eq!(default_value("0").as_deref(), Some("0"));
        assert_eq!(default_value("-1.5").as_deref(), Some("-1.5"));
        assert_eq!(default_value("TRUE").as_deref(), Some("true"));
        assert_eq!(default_value("now()").as_deref(), Some("`now()`"));
        assert_eq!(default_value("'a' || 'b'").as_deref(), Some("`'a' || 'b'`"));
        assert_eq!(default_value("`x`"), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(id(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(string("a\nb's"), r"'a\nb\'s'");
    }
}
