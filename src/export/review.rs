//! The review page (issue 19): one self-contained HTML file that anyone opens offline in a
//! browser. It holds the diagram as the SVG export draws it ([`super::render_svg`]), the
//! model as a JSON island (tables with columns, keys, indexes, foreign keys both ways, review
//! comments and their DDL in the project's dialect; saved views; the Problems list) and, with
//! a compared version, the change overlay and the migration's safety report. The page's
//! template, style and script are `assets/review/`, embedded with `include_str!`.
//!
//! Nothing from the schema can run: the SVG's text is XML-escaped, the JSON has `<`, `>`, `&`
//! and the two JavaScript line separators escaped (so `</script>` inside a name stays inside
//! the string), the script writes data with `textContent` only, and a Content Security Policy
//! `default-src 'none'` lets only the page's own script run (by its SHA-256 hash): no network
//! request, no injected script, even if an escape were missed.

use super::{SvgOptions, render_svg};
use crate::analysis::lint;
use crate::model::*;
use base64::Engine as _;
use serde_json::{Value, json};
use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet};

const TEMPLATE: &str = include_str!("../../assets/review/review.html");
const CSS: &str = include_str!("../../assets/review/review.css");
const JS: &str = include_str!("../../assets/review/review.js");

/// Another version to compare with: its name (shown) and its schema.
pub struct Compare<'a> {
    pub name: String,
    pub old: &'a Project,
}

/// What the page holds besides the project.
#[derive(Default)]
pub struct ReviewOptions<'a> {
    /// The dialect of the per-table DDL and the migration report (the project's target when
    /// `None`).
    pub dialect: Option<Dialect>,
    /// The change overlay and the migration safety report from this version.
    pub compare: Option<Compare<'a>>,
}

/// The page and what it holds.
pub struct Review {
    pub html: String,
    pub tables: usize,
    pub edges: usize,
    pub problems: usize,
}

/// JSON safe inside `<script>`: `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX` escapes (the
/// JSON stays the same value; the HTML parser never sees `</script>` or `<!--`).
pub fn script_safe_json(v: &Value) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The studio's sans font (Ubuntu Light, from egui's default fonts) as an inline `@font-face`,
/// so the page looks like the canvas on machines without it.
fn font_face() -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(epaint_default_fonts::UBUNTU_LIGHT);
    format!(
        "@font-face {{ font-family: CrowfootSans; src: url(data:font/ttf;base64,{b64}) format(\"truetype\"); }}\nsvg text {{ font-family: CrowfootSans, Ubuntu, \"DejaVu Sans\", Arial, sans-serif; }}"
    )
}

/// The review page of `p`.
pub fn review_page(p: &Project, opts: &ReviewOptions) -> Review {
    let dialect = opts.dialect.unwrap_or(p.settings().target_dialect);
    let svg = render_svg(p, &SvgOptions::default());
    let data = data(p, dialect, &svg.text, opts);
    let problems = data["problems"].as_array().map_or(0, Vec::len);
    let js = JS;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(js));
    let title = html_text(p.name());
    // Placeholders are replaced in one pass, so nothing a value contains is read as one.
    let mut html = String::with_capacity(svg.text.len() * 2 + (1 << 16));
    let mut rest = TEMPLATE;
    while let Some(at) = rest.find("{{") {
        html.push_str(&rest[..at]);
        let Some(end) = rest[at..].find("}}") else {
            break;
        };
        let key = &rest[at + 2..at + end];
        match key {
            "TITLE" => html.push_str(&title),
            "VERSION" => html.push_str(env!("CARGO_PKG_VERSION")),
            "SCRIPT_HASH" => html.push_str(&format!("sha256-{hash}")),
            "FONT_FACE" => html.push_str(&font_face()),
            "CSS" => {
                html.push_str(CSS);
                html.push_str(COMPACT_CSS);
            }
            "SVG" => html.push_str(&compact_svg(&svg.text)),
            "DATA" => html.push_str(&script_safe_json(&data)),
            "JS" => html.push_str(js),
            other => html.push_str(&format!("{{{{{other}}}}}")),
        }
        rest = &rest[at + end + 2..];
    }
    html.push_str(rest);
    Review {
        html,
        tables: svg.tables,
        edges: svg.edges,
        problems,
    }
}

/// The attributes every card row repeats, moved to the page's style sheet (about half the
/// SVG's size at 2,000 tables): the same drawing, fewer bytes. Each pair is an exact string
/// the SVG export writes (`src/export/svg.rs`) and what replaces it.
const COMPACT: &[(&str, &str)] = &[
    (
        " font-family=\"Hack, 'DejaVu Sans Mono', monospace\" font-size=\"10\"",
        "",
    ),
    (
        " font-size=\"13\" fill=\"#505050\" fill-opacity=\"0.92\" dominant-baseline=\"central\"",
        "",
    ),
    (
        " font-size=\"13\" fill=\"#505050\" dominant-baseline=\"central\"",
        " style=\"fill-opacity:1\"",
    ),
    (
        " font-size=\"12\" fill=\"#969696\" text-anchor=\"end\" dominant-baseline=\"central\"",
        "",
    ),
    (
        " font-size=\"13\" fill=\"#ffffff\" dominant-baseline=\"central\"",
        "",
    ),
    (
        " r=\"2.2\" fill=\"none\" stroke=\"#969696\" stroke-opacity=\"0.6\"/>",
        " class=\"n\"/>",
    ),
    (" dominant-baseline=\"central\"", ""),
    (" stroke=\"#5a5a5a\" stroke-width=\"1.5\" fill=\"none\"", ""),
];

/// What [`COMPACT`] took out, as style: only cards' text is centred on its line (an area's
/// label hangs from its top).
const COMPACT_CSS: &str = "
g.card text { dominant-baseline: central; }
text.marker { font-family: Hack, 'DejaVu Sans Mono', monospace; font-size: 10px; }
text.column { font-size: 13px; fill: #505050; fill-opacity: 0.92; }
text.type { font-size: 12px; fill: #969696; text-anchor: end; }
text.title { font-size: 13px; fill: #ffffff; }
circle.n { r: 2.2px; fill: none; stroke: #969696; stroke-opacity: 0.6; }
g.edge { stroke: #5a5a5a; stroke-width: 1.5px; fill: none; }
";

fn compact_svg(svg: &str) -> String {
    let mut s = svg.to_string();
    for (from, to) in COMPACT {
        s = s.replace(from, to);
    }
    // Rows' `data-column` (the JSON has the columns; attribute values hold no raw `"`).
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(at) = rest.find(" data-column=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " data-column=\"".len()..];
        rest = after.find('"').map_or("", |end| &after[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// The `viewBox` of the SVG export: where canvas coordinates start and the picture's size.
fn view_box(svg: &str) -> (f32, f32, f32, f32) {
    let vb = svg
        .split("viewBox=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("0 0 100 100");
    let n: Vec<f32> = vb
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    match n.as_slice() {
        [x, y, w, h] => (*x, *y, *w, *h),
        _ => (0.0, 0.0, 100.0, 100.0),
    }
}

fn data(p: &Project, dialect: Dialect, svg: &str, opts: &ReviewOptions) -> Value {
    let (x0, y0, w, h) = view_box(svg);
    let mut tables: Vec<&Table> = p.tables().collect();
    tables.sort_by_key(|t| t.id);
    let bounds: BTreeMap<TableId, [f32; 4]> = tables
        .iter()
        .map(|t| {
            let [cw, ch] = crate::diagram::geometry::card_size(t, p);
            (t.id, [t.position.x, t.position.y, cw, ch])
        })
        .collect();
    let name = |id: TableId| p.table(id).map(|t| t.qualified_name()).unwrap_or_default();
    let cols = |t: &Table, ids: &[ColumnId]| -> Vec<String> {
        ids.iter().map(|c| t.column_name(*c)).collect()
    };
    // The compared version: added and changed tables, every change line, the safety report.
    let mut change: BTreeMap<TableId, &'static str> = BTreeMap::new();
    let mut change_lines: BTreeMap<TableId, Vec<String>> = BTreeMap::new();
    let compare = opts.compare.as_ref().map(|c| {
        let plan = crate::sql::migrate::plan(c.old, p, dialect, Default::default());
        for t in &plan.diff.tables_added {
            change.insert(t.id, "added");
        }
        for t in &plan.diff.tables_changed {
            change.insert(t.new_id, "changed");
        }
        let lines = plan.diff.summary();
        for line in &lines {
            let object = line.split_whitespace().nth(2).unwrap_or("");
            if let Some(t) = tables
                .iter()
                .filter(|t| {
                    let n = t.qualified_name();
                    object == n || object.starts_with(&format!("{n}."))
                })
                .max_by_key(|t| t.qualified_name().len())
            {
                change_lines.entry(t.id).or_default().push(line.clone());
            }
        }
        json!({
            "other": c.name,
            "lines": lines,
            "removed": plan.diff.tables_dropped.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
            "safety": plan.up.safety.iter().map(|s| json!({
                "code": s.code, "object": s.object, "message": s.message
            })).collect::<Vec<_>>(),
        })
    });
    let ddl = crate::sql::ddl::export_each_table(p, dialect);
    let table_json: Vec<Value> = tables
        .iter()
        .map(|t| {
            let b = bounds[&t.id];
            let fk_cols: BTreeSet<ColumnId> = p
                .foreign_keys_from(t.id)
                .iter()
                .flat_map(|fk| fk.from_columns.iter().copied())
                .collect();
            let columns: Vec<Value> = t
                .columns
                .iter()
                .map(|c| {
                    // Only what a column has: at 2,000 tables every key counts.
                    let mut m = serde_json::Map::new();
                    m.insert("name".into(), json!(c.name));
                    m.insert("type".into(), json!(type_text(p, c, dialect)));
                    if !c.nullable {
                        m.insert("nn".into(), json!(1));
                    }
                    if let Some(d) = &c.default {
                        m.insert("default".into(), json!(d));
                    }
                    if let Some(x) = &c.comment {
                        m.insert("comment".into(), json!(x));
                    }
                    if !c.tags.is_empty() {
                        m.insert("tags".into(), json!(c.tags));
                    }
                    if t.is_pk_column(c.id) {
                        m.insert("pk".into(), json!(1));
                    }
                    if fk_cols.contains(&c.id) {
                        m.insert("fk".into(), json!(1));
                    }
                    Value::Object(m)
                })
                .collect();
            let mut out: Vec<&ForeignKey> = p.foreign_keys_from(t.id);
            out.sort_by_key(|fk| fk.id);
            let mut inc: Vec<&ForeignKey> = p.foreign_keys_to(t.id);
            inc.sort_by_key(|fk| fk.id);
            json!({
                "id": t.id.0,
                "name": t.qualified_name(),
                "comment": t.comment,
                "x": b[0], "y": b[1], "w": b[2], "h": b[3],
                "columns": columns,
                "pk": t.primary_key.as_ref().map(|k| cols(t, &k.columns)).unwrap_or_default(),
                "uniques": t.uniques.iter().map(|u| cols(t, &u.columns)).collect::<Vec<_>>(),
                "indexes": t.indexes.iter().map(|i| index_text(t, i)).collect::<Vec<_>>(),
                "out": out.iter().map(|fk| {
                    let to = p.table(fk.to_table);
                    json!({
                        "table": name(fk.to_table),
                        "columns": cols(t, &fk.from_columns),
                        "to_columns": to.map(|to| cols(to, fk.target_columns(to))).unwrap_or_default(),
                        "on_delete": format!("ON DELETE {}", fk.on_delete.sql()),
                    })
                }).collect::<Vec<_>>(),
                "in": inc.iter().map(|fk| {
                    let from = p.table(fk.from_table);
                    json!({
                        "table": name(fk.from_table),
                        "columns": from.map(|f| cols(f, &fk.from_columns)).unwrap_or_default(),
                    })
                }).collect::<Vec<_>>(),
                "review": t.review.iter().map(|r| json!({
                    "author": r.author,
                    "text": r.text,
                    "resolved": r.resolved,
                    "column": r.column.map(|c| t.column_name(c)),
                })).collect::<Vec<_>>(),
                "ddl": ddl.get(&t.id),
                "change": change.get(&t.id),
                "changes": change_lines.get(&t.id).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let mut fks: Vec<&ForeignKey> = p.foreign_keys().collect();
    fks.sort_by_key(|fk| fk.id);
    let edges: Vec<Value> = fks
        .iter()
        .filter_map(|fk| {
            let a = bounds.get(&fk.from_table)?;
            let b = bounds.get(&fk.to_table)?;
            // The edge's route stays near the two cards: their union, with room for elbows.
            let m = 40.0;
            Some(json!([
                fk.id.0,
                a[0].min(b[0]) - m,
                a[1].min(b[1]) - m,
                (a[0] + a[2]).max(b[0] + b[2]) + m,
                (a[1] + a[3]).max(b[1] + b[3]) + m,
            ]))
        })
        .collect();
    let views: Vec<Value> = p
        .settings()
        .saved_views
        .iter()
        .map(|v| {
            json!({
                "name": v.name,
                "x": v.center.x,
                "y": v.center.y,
                "zoom": v.zoom,
                "highlight": v.highlight.iter().map(|t| name(*t)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let problems: Vec<Value> = lint::problems(p, dialect)
        .iter()
        .map(|pr| {
            json!({
                "code": pr.code,
                "severity": pr.severity.as_str(),
                "object": pr.object,
                "message": pr.message,
            })
        })
        .collect();
    json!({
        "project": p.name(),
        "dialect": dialect.display_name(),
        "view": { "x0": x0, "y0": y0, "w": w, "h": h },
        "tables": table_json,
        "edges": edges,
        "views": views,
        "problems": problems,
        "compare": compare,
    })
}

/// A column's type as the dialect writes it when overridden, else the logical type with enum
/// names (not ids).
fn type_text(p: &Project, c: &Column, dialect: Dialect) -> String {
    fn logical(p: &Project, ty: &LogicalType) -> String {
        match ty {
            LogicalType::Enum(e) => p
                .enum_type(*e)
                .map(|e| e.name.clone())
                .unwrap_or_else(|| ty.describe()),
            LogicalType::Array(inner) => format!("{}[]", logical(p, inner)),
            other => other.describe(),
        }
    }
    c.type_overrides
        .get(&dialect)
        .cloned()
        .unwrap_or_else(|| logical(p, &c.ty))
}

/// `ix_name: UNIQUE (a, lower(b)) INCLUDE (c) WHERE …` for the detail panel.
fn index_text(t: &Table, i: &Index) -> String {
    let parts: Vec<String> = i
        .parts
        .iter()
        .map(|part| match &part.target {
            IndexTarget::Column(c) => t.column_name(*c),
            IndexTarget::Expr(e) => e.clone(),
        })
        .collect();
    let mut s = format!(
        "{}: {}({})",
        i.name,
        if i.unique { "UNIQUE " } else { "" },
        parts.join(", ")
    );
    if !i.include.is_empty() {
        s.push_str(&format!(
            " INCLUDE ({})",
            i.include
                .iter()
                .map(|c| t.column_name(*c))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(w) = &i.where_clause {
        s.push_str(&format!(" WHERE {w}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cannot_close_the_script() {
        let v = json!({"name": "</script><script>alert(1)</script>\u{2028}&"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
