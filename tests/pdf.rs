//! The PDF diagram (`crowfoot render P -o diagram.pdf`), read back with poppler's tools:
//! `pdftotext` must find every table name of the exported selection (so text is real text),
//! `pdftoppm` must draw every page with ink on it, tiled PDFs must have the grid's pages plus
//! the overview, and hostile names (quotes, `<script>`, emoji, backslashes, CJK) must come
//! back as they are.
//!
//! Without `pdftotext`/`pdftoppm` (Debian `poppler-utils`, installed by `./test.sh`) the tests
//! print a message and pass, unless `CROWFOOT_REQUIRE_DBS=1` (CI), where they fail.

#[path = "support/run.rs"]
mod run;
use run::{crowfoot, text};

use crowfoot::export::{Paper, PdfOptions, SvgOptions, render_pdf};
use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::{LogicalType as T, Project};
use crowfoot::project_file;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn required() -> bool {
    std::env::var("CROWFOOT_REQUIRE_DBS").is_ok_and(|v| v == "1")
}

/// Whether poppler's tools are here; when not, say so (and fail under CI).
fn poppler() -> bool {
    let ok = ["pdftotext", "pdftoppm"].iter().all(|tool| {
        Command::new(tool)
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
    });
    if !ok {
        assert!(
            !required(),
            "pdftotext/pdftoppm missing (apt-get install poppler-utils) and CROWFOOT_REQUIRE_DBS=1"
        );
        eprintln!("skipped: pdftotext/pdftoppm missing (apt-get install poppler-utils)");
    }
    ok
}

/// The PDF's text as `pdftotext` extracts it.
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext: {}", text(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

/// Text without any whitespace: extraction may break a name over lines or join words.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Each page drawn by `pdftoppm` at a low resolution: its count of pixels that are not
/// white, per page in order.
fn page_ink(pdf: &Path) -> Vec<usize> {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("pdftoppm")
        .args(["-r", "12"])
        .arg(pdf)
        .arg(dir.path().join("p"))
        .output()
        .expect("pdftoppm runs");
    assert!(out.status.success(), "pdftoppm: {}", text(&out.stderr));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    // p-01.ppm, p-02.ppm, …: zero-padded, so the names sort as the pages.
    files.sort();
    files
        .iter()
        .map(|f| ink(&std::fs::read(f).unwrap()))
        .collect()
}

/// Non-white pixels of a binary PPM (`P6 w h 255`).
fn ink(ppm: &[u8]) -> usize {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = &ppm[at + 1..];
    assert_eq!(pixels.len(), w * h * 3);
    pixels
        .chunks_exact(3)
        .filter(|p| p.iter().any(|&c| c < 235))
        .count()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn examples() -> Vec<(String, Project)> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("projects"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v.push(root().join("tests/fixtures/hostile.ron"));
    v.into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, project_file::load(&p).unwrap())
        })
        .collect()
}

/// The hostile sample with more names that are data: markup, emoji, backslashes, quotes.
fn hostile_plus() -> Project {
    let mut b = ProjectBuilder::from_project(crowfoot::samples::hostile::build());
    for name in [
        "<script>alert(\"x\")</script>",
        "🦀 crab & co",
        r"back\slash\\n",
        "'single' \"double\" `back`",
        "amp &amp; lt &lt;",
    ] {
        b.table(name, |t| {
            t.col("id", T::Integer).pk();
            t.col("naïve ✓ <b>", T::Text);
        });
    }
    b.build()
}

fn assert_every_table_found(p: &Project, found: &str, what: &str) {
    let found = squeeze(found);
    for t in p.tables() {
        assert!(
            found.contains(&squeeze(&t.qualified_name())),
            "{what}: table `{}` not found in the PDF text",
            t.qualified_name()
        );
    }
}

#[test]
fn one_page_pdf_of_every_example_has_every_table_name_and_ink() {
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, p) in examples() {
        let pdf = render_pdf(&p, &SvgOptions::default(), &PdfOptions::default()).unwrap();
        assert_eq!(pdf.pages, 1);
        assert!(pdf.data.starts_with(b"%PDF-"));
        let path = write(dir.path(), &format!("{name}.pdf"), &pdf.data);
        assert_every_table_found(&p, &pdf_text(&path), &name);
        let ink = page_ink(&path);
        assert_eq!(ink.len(), 1, "{name}");
        assert!(
            ink[0] > 50,
            "{name}: page is blank ({} dark pixels)",
            ink[0]
        );
    }
}

#[test]
fn tiled_pdf_has_the_grid_and_an_overview_every_page_drawn() {
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = project_file::load(&root().join("projects/shop.ron")).unwrap();
    for (paper, landscape) in [(Paper::A4, false), (Paper::A3, true), (Paper::Letter, true)] {
        let opts = PdfOptions {
            paper: Some(paper),
            landscape,
        };
        let pdf = render_pdf(&p, &SvgOptions::default(), &opts).unwrap();
        let grid = pdf.rows * pdf.columns;
        assert!(grid > 1, "{paper:?}: the shop should not fit one page");
        assert_eq!(pdf.pages, grid + 1, "{paper:?}: grid + overview");
        let path = write(dir.path(), &format!("{paper:?}.pdf"), &pdf.data);
        let ink = page_ink(&path);
        assert_eq!(ink.len(), pdf.pages, "{paper:?}");
        for (i, dots) in ink.iter().enumerate() {
            assert!(*dots > 20, "{paper:?}: page {} is blank", i + 1);
        }
        let found = pdf_text(&path);
        assert_every_table_found(&p, &found, &format!("{paper:?}"));
        // The overview names the grid; each page says where it is.
        let last = format!(
            "{}{}",
            crowfoot::export::pdf::row_name(pdf.rows - 1),
            pdf.columns
        );
        assert!(found.contains("overview of"), "{paper:?}");
        assert!(
            found.contains(&format!(
                "A1 — rows A..{}, columns 1..{}",
                crowfoot::export::pdf::row_name(pdf.rows - 1),
                pdf.columns
            )),
            "{paper:?}: {found}"
        );
        assert!(found.contains(&format!("{last} — rows")), "{paper:?}");
    }
}

#[test]
fn a_diagram_that_fits_one_sheet_is_one_page_without_overview() {
    if !poppler() {
        return;
    }
    let mut b = ProjectBuilder::new("small");
    b.table("only", |t| {
        t.col("id", T::Integer).pk();
    });
    let p = b.build();
    let opts = PdfOptions {
        paper: Some(Paper::A4),
        landscape: false,
    };
    let pdf = render_pdf(&p, &SvgOptions::default(), &opts).unwrap();
    assert_eq!((pdf.pages, pdf.rows, pdf.columns), (1, 1, 1));
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "small.pdf", &pdf.data);
    assert!(pdf_text(&path).contains("only"));
    assert_eq!(page_ink(&path).len(), 1);
}

#[test]
fn hostile_names_survive_in_the_text() {
    if !poppler() {
        return;
    }
    let p = hostile_plus();
    let dir = tempfile::tempdir().unwrap();
    for opts in [
        PdfOptions::default(),
        PdfOptions {
            paper: Some(Paper::A4),
            landscape: true,
        },
    ] {
        let pdf = render_pdf(&p, &SvgOptions::default(), &opts).unwrap();
        let path = write(dir.path(), "hostile.pdf", &pdf.data);
        let found = pdf_text(&path);
        assert_every_table_found(&p, &found, &format!("{opts:?}"));
        // Not just squeezed: the names come back with their own spaces and characters.
        for name in [
            "🦀 crab & co",
            r"back\slash\\n",
            "<script>alert(\"x\")</script>",
            "表",
        ] {
            assert!(found.contains(name), "{opts:?}: `{name}` in {found}");
        }
        assert!(
            found.contains(crowfoot::samples::hostile::LONG_TABLE),
            "the 63-character name, cut on its card, is in the text in full"
        );
        assert!(page_ink(&path).iter().all(|&n| n > 20));
    }
}

#[test]
fn cli_writes_pdf_with_paper_and_only_the_chosen_tables() {
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let shop = root().join("projects/shop.ron");
    let shop = shop.to_str().unwrap();
    let out = crowfoot(
        &[
            "render",
            shop,
            "-o",
            "part.pdf",
            "--tables",
            "orders,payments",
            "--paper",
            "letter",
            "--landscape",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("2 tables"),
        "{}",
        text(&out.stderr)
    );
    let found = pdf_text(&dir.path().join("part.pdf"));
    let lines: Vec<&str> = found.lines().map(str::trim).collect();
    for name in ["orders", "payments"] {
        assert!(lines.contains(&name), "{name} in {found}");
    }
    // Other tables' cards are not drawn (their names would be lines of their own).
    for name in ["customers", "products", "categories", "carts"] {
        assert!(!lines.contains(&name), "{name} drawn in {found}");
    }

    let out = crowfoot(&["render", shop, "-o", "whole.pdf"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("1 page(s)"));
    // --paper belongs to PDF output.
    let out = crowfoot(
        &["render", shop, "-o", "d.png", "--paper", "a4"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--paper is for PDF"));
}

#[test]
fn same_project_same_bytes() {
    let p = project_file::load(&root().join("projects/shop.ron")).unwrap();
    for opts in [
        PdfOptions::default(),
        PdfOptions {
            paper: Some(Paper::A3),
            landscape: false,
        },
    ] {
        let a = render_pdf(&p, &SvgOptions::default(), &opts).unwrap();
        let b = render_pdf(&p.clone(), &SvgOptions::default(), &opts).unwrap();
        assert!(a.data == b.data, "{opts:?}: two renderings differ");
    }
}

#[test]
fn tiles_draw_their_own_part_so_the_file_grows_with_content_not_pages() {
    let p = crowfoot::samples::generated::build(300, 8, 7);
    let one = render_pdf(&p, &SvgOptions::default(), &PdfOptions::default()).unwrap();
    let tiled = render_pdf(
        &p,
        &SvgOptions::default(),
        &PdfOptions {
            paper: Some(Paper::A4),
            landscape: true,
        },
    )
    .unwrap();
    assert!(tiled.pages > 20, "{} pages", tiled.pages);
    // The overview is the whole diagram once, the tiles about once more (plus overlaps and
    // the cards cut at page edges, drawn on both pages).
    assert!(
        tiled.data.len() < one.data.len() * 4,
        "tiled {} bytes, one page {} bytes",
        tiled.data.len(),
        one.data.len()
    );
}

/// `--view NAME` draws a saved view's tables: its highlighted ones and their neighbours; an
/// unknown view is exit 2 naming the views there are.
#[test]
fn a_saved_view_selects_the_tables() {
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut p = crowfoot::samples::shop::build();
    let refunds = p.table_by_name(None, "refunds").unwrap().id;
    let mut s = p.settings().clone();
    s.saved_views.push(crowfoot::model::SavedView {
        name: "Refunds 🧾".into(),
        center: Default::default(),
        zoom: 1.0,
        highlight: vec![refunds],
    });
    crowfoot::model::Command::SetSettings(Box::new(s))
        .apply(&mut p)
        .unwrap();
    let file = dir.path().join("shop.ron");
    project_file::save(&p, &file).unwrap();
    let f = file.to_str().unwrap();
    let out = crowfoot(
        &["render", f, "-o", "view.pdf", "--view", "Refunds 🧾"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let found = pdf_text(&dir.path().join("view.pdf"));
    let lines: Vec<&str> = found.lines().map(str::trim).collect();
    // refunds and what it references (payments) or is referenced by.
    let mut want: Vec<String> = vec!["refunds".into()];
    for fk in p.foreign_keys() {
        if fk.from_table == refunds {
            want.push(p.table(fk.to_table).unwrap().name.clone());
        }
        if fk.to_table == refunds {
            want.push(p.table(fk.from_table).unwrap().name.clone());
        }
    }
    for name in &want {
        assert!(lines.contains(&name.as_str()), "{name} in {found}");
    }
    assert!(!lines.contains(&"customers"), "customers drawn: {found}");
    let bad = crowfoot(&["render", f, "-o", "v.svg", "--view", "nope"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("Refunds 🧾"),
        "{}",
        text(&bad.stderr)
    );
}
