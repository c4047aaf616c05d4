//! A Markdown data dictionary: a table of contents, then per table its comment, a columns
//! table (name, type, null, default, keys, comment, tags such as `pii`), primary key, unique
//! constraints, indexes, foreign keys out and in, checks; enums and views; and the Mermaid ER
//! diagram. Deterministic: id order.

use super::mermaid;
use crate::diagram::geometry;
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Text for a Markdown table cell: pipes escaped, line breaks as `<br>`, HTML neutralized.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '`' => out.push_str("\\`"),
            '*' | '_' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Inline code that holds any text (a longer backtick fence than the text uses).
fn code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let longest = s.split(|c| c != '`').map(|r| r.len()).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}").replace('|', "\\|")
}

/// Plain text for headings and paragraphs (Markdown and HTML specials escaped).
fn text(s: &str) -> String {
    cell(s).replace("<br>", "  \n").replace('#', "\\#")
}

/// GitHub-style anchor of a heading `s` (`unique` makes repeated anchors distinct).
fn anchor(s: &str, used: &mut BTreeMap<String, usize>) -> String {
    let base: String = s
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect();
    let n = used.entry(base.clone()).or_insert(0);
    let a = if *n == 0 { base } else { format!("{base}-{n}") };
    *n += 1;
    a
}

fn col_names(t: &Table, cols: &[ColumnId]) -> String {
    cols.iter()
        .map(|c| code(&t.column_name(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The data dictionary of the project.
pub fn data_dictionary(p: &Project) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {} — data dictionary\n", text(p.name()));
    let _ = writeln!(
        s,
        "{} tables, {} columns, {} foreign keys, {} enums, {} views. Target dialect: {}.\n",
        p.table_count(),
        p.column_count(),
        p.foreign_key_count(),
        p.enums().count(),
        p.views().count(),
        p.settings().target_dialect.display_name()
    );
    let pii: Vec<String> = p
        .tables()
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| c.tags.iter().any(|g| g.eq_ignore_ascii_case("pii")))
                .map(move |c| code(&format!("{}.{}", t.qualified_name(), c.name)))
        })
        .collect();
    if !pii.is_empty() {
        let _ = writeln!(
            s,
            "Columns tagged `pii` ({}): {}.\n",
            pii.len(),
            pii.join(", ")
        );
    }

    let mut used = BTreeMap::new();
    let _ = anchor(&format!("{} — data dictionary", p.name()), &mut used);
    let anchors: Vec<(TableId, String)> = p
        .tables()
        .map(|t| {
            (
                t.id,
                anchor(&format!("Table {}", t.qualified_name()), &mut used),
            )
        })
        .collect();
    let anchor_of: BTreeMap<TableId, &str> =
        anchors.iter().map(|(id, a)| (*id, a.as_str())).collect();
    let link = |t: &Table| format!("[{}](#{})", cell(&t.qualified_name()), anchor_of[&t.id]);

    s.push_str("## Contents\n\n");
    for t in p.tables() {
        let first_line = t
            .comment
            .as_deref()
            .and_then(|c| c.lines().next())
            .map(|c| format!(" — {}", cell(c)))
            .unwrap_or_default();
        let _ = writeln!(s, "- {}{first_line}", link(t));
    }
    if p.enums().next().is_some() {
        s.push_str("- [Enums](#enums)\n");
    }
    if p.views().next().is_some() {
        s.push_str("- [Views](#views)\n");
    }
    s.push_str("- [ER diagram](#er-diagram)\n\n");

    for t in p.tables() {
        table(&mut s, p, t, &link);
    }

    if p.enums().next().is_some() {
        s.push_str("## Enums\n\n| Enum | Values | Comment |\n|---|---|---|\n");
        for e in p.enums() {
            let name = match &e.schema {
                Some(sc) => format!("{sc}.{}", e.name),
                None => e.name.clone(),
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                code(&name),
                e.values
                    .iter()
                    .map(|v| code(v))
                    .collect::<Vec<_>>()
                    .join(", "),
                cell(e.comment.as_deref().unwrap_or(""))
            );
        }
        s.push('\n');
    }
    if p.views().next().is_some() {
        s.push_str("## Views\n\n");
        for v in p.views() {
            let name = match &v.schema {
                Some(sc) => format!("{sc}.{}", v.name),
                None => v.name.clone(),
            };
            let _ = writeln!(
                s,
                "### {}{}\n",
                text(&name),
                if v.materialized {
                    " (materialized)"
                } else {
                    ""
                }
            );
            if let Some(c) = &v.comment {
                let _ = writeln!(s, "{}\n", text(c));
            }
            let fence = "`".repeat(
                3.max(
                    v.sql
                        .split(|c| c != '`')
                        .map(|r| r.len() + 1)
                        .max()
                        .unwrap_or(0),
                ),
            );
            let _ = writeln!(s, "{fence}sql\n{}\n{fence}\n", v.sql.trim_end());
        }
    }

    s.push_str("## ER diagram\n\n```mermaid\n");
    s.push_str(&mermaid::export(p).text);
    s.push_str("```\n");
    s
}

fn table(s: &mut String, p: &Project, t: &Table, link: &dyn Fn(&Table) -> String) {
    let _ = writeln!(s, "## Table {}\n", text(&t.qualified_name()));
    if let Some(c) = &t.comment {
        let _ = writeln!(s, "{}\n", text(c));
    }
    let fks_out = p.foreign_keys_from(t.id);
    let fk_cols = p.fk_columns_from(t.id);
    let markers = geometry::row_markers(t, &fk_cols);
    let unique_cols: BTreeSet<ColumnId> = t
        .uniques
        .iter()
        .flat_map(|u| u.columns.iter().copied())
        .collect();
    s.push_str("| Column | Type | Null | Default | Keys | Comment | Tags |\n");
    s.push_str("|---|---|---|---|---|---|---|\n");
    for (i, c) in t.columns.iter().enumerate() {
        let mut keys = Vec::new();
        if t.is_pk_column(c.id) {
            keys.push("PK");
        }
        if fk_cols.contains(&c.id) {
            keys.push("FK");
        }
        if unique_cols.contains(&c.id) || markers[i] == Some(geometry::RowMarker::Uq) {
            keys.push("UQ");
        }
        if markers[i] == Some(geometry::RowMarker::Ix) {
            keys.push("IX");
        }
        let mut default = c.default.as_deref().map(code).unwrap_or_default();
        if let Some(id) = c.identity {
            default = match id {
                Identity::Always => "identity (always)".into(),
                Identity::ByDefault => "identity".into(),
            };
        }
        if let Some(g) = &c.generated {
            default = format!(
                "generated: {}{}",
                code(&g.expr),
                if g.stored { " (stored)" } else { "" }
            );
        }
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            code(&c.name),
            code(&geometry::type_label(c, p)),
            if c.nullable { "yes" } else { "no" },
            default,
            keys.join(", "),
            cell(c.comment.as_deref().unwrap_or("")),
            c.tags
                .iter()
                .map(|g| code(g))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    s.push('\n');
    let mut facts = Vec::new();
    if let Some(k) = &t.primary_key {
        facts.push(format!(
            "**Primary key**{}: {}",
            k.name
                .as_ref()
                .map(|n| format!(" {}", code(n)))
                .unwrap_or_default(),
            col_names(t, &k.columns)
        ));
    }
    for u in &t.uniques {
        facts.push(format!(
            "**Unique**{}: {}",
            u.name
                .as_ref()
                .map(|n| format!(" {}", code(n)))
                .unwrap_or_default(),
            col_names(t, &u.columns)
        ));
    }
    for ix in &t.indexes {
        let parts: Vec<String> = ix
            .parts
            .iter()
            .map(|part| {
                let mut x = match &part.target {
                    IndexTarget::Column(c) => code(&t.column_name(*c)),
                    IndexTarget::Expr(e) => code(&format!("({e})")),
                };
                if part.order == Some(SortOrder::Desc) {
                    x.push_str(" desc");
                }
                x
            })
            .collect();
        let mut line = format!(
            "**{}** {}: {}",
            if ix.unique { "Unique index" } else { "Index" },
            code(&ix.name),
            parts.join(", ")
        );
        if let Some(m) = &ix.method {
            let _ = write!(line, " using {}", m.sql_name());
        }
        if !ix.include.is_empty() {
            let _ = write!(line, " include {}", col_names(t, &ix.include));
        }
        if let Some(w) = &ix.where_clause {
            let _ = write!(line, " where {}", code(w));
        }
        facts.push(line);
    }
    for fk in &fks_out {
        let Some(parent) = p.table(fk.to_table) else {
            continue;
        };
        facts.push(format!(
            "**References** {}{}: {} → {}{}",
            link(parent),
            fk.name
                .as_ref()
                .map(|n| format!(" via {}", code(n)))
                .unwrap_or_default(),
            col_names(t, &fk.from_columns),
            col_names(parent, fk.target_columns(parent)),
            actions(fk)
        ));
    }
    for fk in p.foreign_keys_to(t.id) {
        let Some(child) = p.table(fk.from_table) else {
            continue;
        };
        facts.push(format!(
            "**Referenced by** {} ({}){}{}",
            link(child),
            col_names(child, &fk.from_columns),
            fk.name
                .as_ref()
                .map(|n| format!(" via {}", code(n)))
                .unwrap_or_default(),
            actions(fk)
        ));
    }
    for ck in &t.checks {
        facts.push(format!(
            "**Check**{}: {}",
            ck.name
                .as_ref()
                .map(|n| format!(" {}", code(n)))
                .unwrap_or_default(),
            code(&ck.expr)
        ));
    }
    for f in facts {
        let _ = writeln!(s, "- {f}");
    }
    s.push('\n');
}

fn actions(fk: &ForeignKey) -> String {
    let mut a = String::new();
    if fk.on_delete != FkAction::NoAction {
        let _ = write!(a, ", on delete {}", fk.on_delete.sql().to_lowercase());
    }
    if fk.on_update != FkAction::NoAction {
        let _ = write!(a, ", on update {}", fk.on_update.sql().to_lowercase());
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_holds_backticks_and_pipes() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a|b"), "`a\\|b`");
    }

    #[test]
    fn anchors_are_unique() {
        let mut u = BTreeMap::new();
        assert_eq!(anchor("Table order line", &mut u), "table-order-line");
        assert_eq!(anchor("Table order line", &mut u), "table-order-line-1");
    }
}
