//! Exports: the SVG/PNG diagram, DBML, Mermaid and the Markdown data dictionary.
//!
//! SVG is parsed back with an XML parser; PNG decoded. DBML and Mermaid go through the official
//! parsers (`@dbml/core`, `mermaid`) in Node: `tests/js/parse.mjs`, whose packages are pinned
//! in `tests/js/package-lock.json` and installed here with `npm ci` when missing. Without
//! `node`/`npm` those tests skip with a message, unless `CROWFOOT_REQUIRE_DBS=1` (CI), where
//! they fail.

#[path = "support/run.rs"]
mod run;
use run::crowfoot;

use crowfoot::export::{self, SvgOptions, render_svg};
use crowfoot::model::Project;
use crowfoot::project_file;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example project and the hostile fixture.
fn projects() -> Vec<(String, Project)> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("projects"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v.push(root().join("tests/fixtures/hostile.ron"));
    assert!(v.len() >= 5);
    v.into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, project_file::load(&p).unwrap())
        })
        .collect()
}

fn hostile() -> Project {
    project_file::load(&root().join("tests/fixtures/hostile.ron")).unwrap()
}

/// Text of an element and its descendants (title included).
fn all_text(n: roxmltree::Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .map(|d| d.text().unwrap_or(""))
        .collect()
}

fn has_class(n: &roxmltree::Node, class: &str) -> bool {
    n.is_element() && n.attribute("class") == Some(class)
}

#[test]
fn svg_of_every_project_has_its_tables_columns_and_edges() {
    for (name, p) in projects() {
        let svg = render_svg(&p, &SvgOptions::default());
        let doc = roxmltree::Document::parse(&svg.text)
            .unwrap_or_else(|e| panic!("{name}: SVG does not parse: {e}"));
        let root_el = doc.root_element();
        assert_eq!(root_el.tag_name().name(), "svg");
        assert_eq!(
            root_el.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        let cards: Vec<_> = doc.descendants().filter(|n| has_class(n, "card")).collect();
        assert_eq!(cards.len(), p.table_count(), "{name}: one card per table");
        let edges = doc.descendants().filter(|n| has_class(n, "edge")).count();
        assert_eq!(edges, p.foreign_key_count(), "{name}: one edge per FK");
        assert_eq!((svg.tables, svg.edges), (cards.len(), edges));
        for t in p.tables() {
            let card = cards
                .iter()
                .find(|c| c.attribute("data-id") == Some(&t.id.to_string()))
                .unwrap_or_else(|| panic!("{name}: no card for {}", t.name));
            assert_eq!(card.attribute("data-table"), Some(&*t.qualified_name()));
            let title = card
                .descendants()
                .find(|n| has_class(n, "title"))
                .expect("title");
            assert!(
                all_text(title).contains(&t.qualified_name()),
                "{name}: table name `{}` not in the card's text",
                t.qualified_name()
            );
            let rows: Vec<_> = card.descendants().filter(|n| has_class(n, "row")).collect();
            assert_eq!(rows.len(), t.columns.len(), "{name}: {}", t.name);
            for (row, c) in rows.iter().zip(&t.columns) {
                assert_eq!(row.attribute("data-column"), Some(&*c.name));
                let col = row
                    .descendants()
                    .find(|n| has_class(n, "column"))
                    .expect("column text");
                assert!(
                    all_text(col).contains(&c.name),
                    "{name}: column `{}.{}` not in the text",
                    t.name,
                    c.name
                );
            }
        }
        // Areas and notes are drawn too.
        let areas = doc.descendants().filter(|n| has_class(n, "area")).count();
        assert_eq!(areas, p.areas().count(), "{name}");
        let notes = doc.descendants().filter(|n| has_class(n, "note")).count();
        assert_eq!(notes, p.notes().count(), "{name}");
    }
}

#[test]
fn svg_is_deterministic() {
    for (name, p) in projects() {
        let a = render_svg(&p, &SvgOptions::default()).text;
        let b = render_svg(&p.clone(), &SvgOptions::default()).text;
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn hostile_names_are_escaped_in_svg() {
    let p = hostile();
    let svg = render_svg(&p, &SvgOptions::default()).text;
    // Parses (so every `<`, `&` and quote is escaped), and the raw names come back as text.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    for t in p.tables() {
        assert!(texts.contains(&t.name), "{}", t.name);
    }
    assert!(texts.contains(r#"say "hi""#));
    assert!(!svg.contains("<script"));
}

#[test]
fn svg_subset_draws_only_the_chosen_tables() {
    let p = project_file::load(&root().join("projects/shop.ron")).unwrap();
    let ids: BTreeSet<_> = p
        .tables()
        .filter(|t| ["orders", "order_items", "payments"].contains(&t.name.as_str()))
        .map(|t| t.id)
        .collect();
    assert_eq!(ids.len(), 3);
    let svg = render_svg(
        &p,
        &SvgOptions {
            tables: Some(ids.clone()),
            ..Default::default()
        },
    );
    let doc = roxmltree::Document::parse(&svg.text).unwrap();
    assert_eq!(
        doc.descendants().filter(|n| has_class(n, "card")).count(),
        3
    );
    let fks = p
        .foreign_keys()
        .filter(|fk| ids.contains(&fk.from_table) && ids.contains(&fk.to_table))
        .count();
    assert_eq!(svg.edges, fks);
    assert!(!svg.text.contains(r#"data-table="customers""#));
}

#[test]
fn svg_window_draws_only_what_lies_in_it() {
    let p = project_file::load(&root().join("projects/shop.ron")).unwrap();
    let whole = render_svg(&p, &SvgOptions::default());
    let v = whole.view;
    let left = export::svg::Bounds::new(v.x0, v.y0, v.width() / 3.0, v.height());
    let part = render_svg(
        &p,
        &SvgOptions {
            window: Some(left),
            ..Default::default()
        },
    );
    assert_eq!(part.view, whole.view);
    assert_eq!((part.width, part.height), (left.width(), left.height()));
    assert!(part.tables > 0 && part.tables < whole.tables);
    let doc = roxmltree::Document::parse(&part.text).unwrap();
    let cards: Vec<_> = doc
        .descendants()
        .filter(|n| has_class(n, "card"))
        .map(|n| n.attribute("data-table").unwrap().to_string())
        .collect();
    assert_eq!(cards.len(), part.tables);
    for name in &cards {
        let t = p.tables().find(|t| &t.qualified_name() == name).unwrap();
        assert!(t.position.x <= left.x1, "{name} lies outside the window");
    }
}

#[test]
fn png_decodes_with_the_svg_size_and_is_not_blank() {
    let p = project_file::load(&root().join("projects/shop.ron")).unwrap();
    let svg = render_svg(&p, &SvgOptions::default());
    let png = export::png::rasterize(&svg.text, 1.0).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(&png.data));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (png.width, png.height));
    assert_eq!(info.width, svg.width as u32);
    assert_eq!(info.height, svg.height as u32);
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let px = &buf[..info.buffer_size()];
    let colors: BTreeSet<[u8; 4]> = px
        .chunks_exact(4)
        .map(|c| [c[0], c[1], c[2], c[3]])
        .collect();
    assert!(colors.len() > 50, "only {} colours", colors.len());
    // Dark text pixels exist (fonts were found) and white card bodies too.
    let dark = px
        .chunks_exact(4)
        .filter(|c| c[0] < 110 && c[1] < 110 && c[2] < 110 && c[3] == 255)
        .count();
    assert!(dark > 5_000, "{dark} dark pixels: is the text drawn?");
    assert!(px.chunks_exact(4).any(|c| c == [255, 255, 255, 255]));
    // Scale 2 doubles the size.
    let png2 = export::png::rasterize(&svg.text, 2.0).unwrap();
    assert_eq!(png2.width, (svg.width * 2.0).ceil() as u32);
}

#[test]
fn five_thousand_tables_render_in_linear_time() {
    let p = crowfoot::samples::generated::build(5000, 8, 7);
    let t = std::time::Instant::now();
    let svg = render_svg(&p, &SvgOptions::default());
    let elapsed = t.elapsed();
    assert_eq!(svg.tables, 5000);
    assert_eq!(svg.edges, p.foreign_key_count());
    assert!(
        elapsed.as_secs_f32() < 30.0,
        "5,000 tables took {elapsed:?}"
    );
}

#[test]
fn huge_pictures_are_scaled_down_not_refused() {
    use export::png::{MAX_PIXELS, MAX_SIDE, fit_scale};
    assert_eq!(fit_scale(2000.0, 1500.0, 2.0), 2.0);
    let s = fit_scale(100_000.0, 50_000.0, 1.0);
    assert!(s < 1.0);
    assert!(100_000.0 * s <= MAX_SIDE + 1.0);
    assert!(100_000.0 * s * 50_000.0 * s <= MAX_PIXELS * 1.01);
    assert!(fit_scale(80_000.0, 200.0, 1.0) * 80_000.0 <= MAX_SIDE + 1.0);
}

// ----- DBML and Mermaid through the official parsers -----

fn required() -> bool {
    std::env::var("CROWFOOT_REQUIRE_DBS").is_ok_and(|v| v == "1")
}

/// `tests/js` with its packages installed, or `None` (after a message) when Node is missing
/// and not required.
fn js_dir() -> Option<&'static Path> {
    static READY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let r = READY.get_or_init(|| {
        let dir = root().join("tests/js");
        let node = Command::new("node").arg("--version").output();
        if !node.is_ok_and(|o| o.status.success()) {
            return Err(
                "`node` is not installed (Node.js 18+ is needed to run the DBML and \
                        Mermaid parsers; install nodejs and npm)"
                    .into(),
            );
        }
        if !dir.join("node_modules/@dbml/core").exists()
            || !dir.join("node_modules/mermaid").exists()
            || !dir.join("node_modules/jsdom").exists()
        {
            eprintln!("exports: installing the parsers (npm ci in tests/js)...");
            let out = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&dir)
                .output()
                .map_err(|e| format!("cannot run npm: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "npm ci in tests/js failed:\n{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        Ok(dir)
    });
    match r {
        Ok(d) => Some(d.as_path()),
        Err(e) if required() => panic!("{e} (CROWFOOT_REQUIRE_DBS=1)"),
        Err(e) => {
            eprintln!("skipping: {e}");
            None
        }
    }
}

/// Run `parse.mjs KIND` on `text`; the parser's JSON summary.
fn parse(dir: &Path, kind: &str, name: &str, text: &str) -> serde_json::Value {
    let tmp = tempfile::Builder::new()
        .suffix(if kind == "dbml" { ".dbml" } else { ".mmd" })
        .tempfile()
        .unwrap();
    std::fs::write(tmp.path(), text).unwrap();
    let out = Command::new("node")
        .arg(dir.join("parse.mjs"))
        .arg(kind)
        .arg(tmp.path())
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: {kind} does not parse:\n{}\n--- text ---\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn dbml_of_every_project_parses_with_dbml_core() {
    let Some(dir) = js_dir() else { return };
    for (name, p) in projects() {
        let out = export::dbml::export(&p);
        let v = parse(dir, "dbml", &name, &out.text);
        assert_eq!(v["tables"], p.table_count(), "{name}: {v}");
        assert_eq!(v["refs"], p.foreign_key_count(), "{name}: {v}");
        assert_eq!(v["enums"], p.enums().count(), "{name}: {v}");
        assert_eq!(v["columns"], p.column_count(), "{name}: {v}");
        let indexes: usize = p
            .tables()
            .map(|t| {
                t.indexes.len()
                    + t.uniques
                        .iter()
                        .filter(|u| u.columns.len() > 1 || u.name.is_some())
                        .count()
                    + t.primary_key
                        .as_ref()
                        .filter(|k| k.columns.len() > 1 || k.name.is_some())
                        .map_or(0, |_| 1)
            })
            .sum();
        assert_eq!(v["indexes"], indexes, "{name}: {v}");
        // Deterministic.
        assert_eq!(out, export::dbml::export(&p), "{name}");
    }
}

/// The hostile fixture plus an enum with a hostile comment used by a column, a view and a
/// deferrable foreign key: things DBML must comment out or warn about.
fn hostile_plus() -> Project {
    let text = std::fs::read_to_string(root().join("tests/fixtures/hostile.ron")).unwrap();
    let text = text.replacen(
        "enums: [],",
        r#"enums: [(id: 900, name: "st atus", values: ["a b", "it's", "x\"y"], comment: "two\nlines // it's")],"#,
        1,
    );
    let text = text.replacen(
        r#"name: "qty",
      type: Integer,"#,
        r#"name: "qty",
      type: Enum(900),"#,
        1,
    );
    let p = project_file::from_ron_str(&text, "hostile+").unwrap();
    assert_eq!(p.enums().count(), 1);
    p
}

#[test]
fn dbml_of_enums_with_comments_parses() {
    let p = hostile_plus();
    assert!(p.tables().any(|t| {
        t.columns
            .iter()
            .any(|c| matches!(c.ty, crowfoot::model::LogicalType::Enum(_)))
    }));
    let Some(dir) = js_dir() else { return };
    let out = export::dbml::export(&p);
    let v = parse(dir, "dbml", "hostile+", &out.text);
    assert_eq!(v["enums"], 1, "{v}");
    assert_eq!(v["tables"], p.table_count(), "{v}");
    let v = parse(
        dir,
        "mermaid",
        "hostile+",
        &export::mermaid::export(&p).text,
    );
    assert_eq!(v["entities"], p.table_count(), "{v}");
}

#[test]
fn mermaid_of_every_project_parses_with_mermaid() {
    let Some(dir) = js_dir() else { return };
    for (name, p) in projects() {
        let out = export::mermaid::export(&p);
        let v = parse(dir, "mermaid", &name, &out.text);
        assert_eq!(v["type"], "er", "{name}");
        assert_eq!(v["entities"], p.table_count(), "{name}: {v}");
        assert_eq!(v["relationships"], p.foreign_key_count(), "{name}: {v}");
        assert_eq!(v["attributes"], p.column_count(), "{name}: {v}");
        assert_eq!(out, export::mermaid::export(&p), "{name}");
    }
}

#[test]
fn data_dictionary_mermaid_block_parses_too() {
    let p = hostile();
    let md = export::markdown::data_dictionary(&p);
    let block = md
        .split("```mermaid\n")
        .nth(1)
        .and_then(|s| s.split("\n```").next())
        .expect("a mermaid block");
    assert_eq!(block, export::mermaid::export(&p).text.trim_end());
    if let Some(dir) = js_dir() {
        let v = parse(dir, "mermaid", "hostile.md", block);
        assert_eq!(v["entities"], p.table_count());
    }
}

// ----- data dictionary and CLI -----

#[test]
fn data_dictionary_has_every_table_column_and_key() {
    let p = project_file::load(&root().join("projects/shop.ron")).unwrap();
    let md = export::markdown::data_dictionary(&p);
    assert!(md.starts_with("# Shop — data dictionary"));
    assert!(md.contains("## Contents"));
    for t in p.tables() {
        assert!(
            md.contains(&format!("## Table {}", t.name.replace('_', "\\_"))),
            "{}",
            t.name
        );
        assert!(md.contains(&format!("(#table-{})", t.name)), "{}", t.name);
        for c in &t.columns {
            assert!(md.contains(&format!("| `{}` |", c.name)), "{}", c.name);
        }
    }
    assert!(md.contains("**Primary key**"));
    assert!(md.contains("**References**"));
    assert!(md.contains("**Referenced by**"));
    assert_eq!(md, export::markdown::data_dictionary(&p));
}

#[test]
fn data_dictionary_escapes_hostile_text() {
    let p = hostile();
    let md = export::markdown::data_dictionary(&p);
    // Table cells never break: every row of a columns table has the 8 pipes of 7 cells.
    for line in md.lines().filter(|l| l.starts_with("| `")) {
        let unescaped = line.replace("\\|", "");
        assert_eq!(unescaped.matches('|').count(), 8, "{line}");
    }
    assert!(!md.contains("<script"));
}

#[test]
fn cli_render_doc_and_export_formats() {
    let dir = tempfile::tempdir().unwrap();
    let shop = root().join("projects/shop.ron");
    let shop = shop.to_str().unwrap();
    let out = crowfoot(&["render", shop, "-o", "d.svg"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(dir.path().join("d.svg")).unwrap();
    roxmltree::Document::parse(&svg).unwrap();

    let out = crowfoot(
        &["render", shop, "-o", "d.png", "--tables", "orders,payments"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(dir.path().join("d.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));

    let out = crowfoot(&["render", shop, "-o", "d.jpg"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = crowfoot(
        &["render", shop, "-o", "x.svg", "--tables", "nope"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no table `nope`"));

    let out = crowfoot(&["doc", shop, "-o", "schema.md"], dir.path());
    assert!(out.status.success());
    let md = std::fs::read_to_string(dir.path().join("schema.md")).unwrap();
    assert!(md.contains("```mermaid\nerDiagram"));

    for (to, needle) in [
        ("dbml", "Table \"orders\""),
        ("mermaid", "erDiagram"),
        ("postgres", "CREATE TABLE"),
    ] {
        let out = crowfoot(&["export", shop, "--to", to], dir.path());
        assert!(out.status.success(), "{to}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(needle),
            "{to}"
        );
    }
    let out = crowfoot(&["export", shop, "--to", "svg"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}
