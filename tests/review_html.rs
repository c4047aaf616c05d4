//! The review page (issue 19 §1) in real headless Chromium: self-contained and strict (a
//! Content Security Policy `default-src 'none'` under which the page still works: no network,
//! no script but its own), one element per table, search highlights, a click opens the table's
//! columns, the URL fragment opens a table, hostile names stay text, the change overlay, and a
//! screenshot that is not blank.

mod support {
    pub mod chromium;
    pub mod run;
}

use crowfoot::export::review::{Compare, ReviewOptions, review_page};
use crowfoot::model::*;
use support::chromium::{chromium, dump_dom, firefox, firefox_screenshot, root_attr, screenshot};
use support::run::{crowfoot_in_repo, text};

fn write_page(
    p: &Project,
    opts: &ReviewOptions,
    dir: &std::path::Path,
    name: &str,
) -> std::path::PathBuf {
    let page = review_page(p, opts);
    let path = dir.join(name);
    std::fs::write(&path, page.html).unwrap();
    path
}

#[test]
fn the_page_is_self_contained_and_strict() {
    let p = crowfoot::samples::shop::build();
    let html = review_page(&p, &ReviewOptions::default()).html;
    assert!(html.contains("content=\"default-src 'none';"), "a CSP");
    // No reference to anything outside the file (the SVG namespace is a name, not a request).
    let outside = html
        .replace("xmlns=\"http://www.w3.org/2000/svg\"", "")
        .to_lowercase();
    for bad in [
        "http://", "https://", " src=\"", "<link", "@import", "url(http",
    ] {
        assert!(!outside.contains(bad), "{bad} in the page");
    }
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the data island and the script"
    );
    // Deterministic: the same project gives the same bytes.
    assert_eq!(html, review_page(&p, &ReviewOptions::default()).html);
}

#[test]
fn one_card_per_table_search_click_and_fragment() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let p = crowfoot::samples::shop::build();
    let file = write_page(
        &p,
        &ReviewOptions::default(),
        dir.path(),
        "shop review ✓.html",
    );
    let dom = dump_dom(&browser, &file, "", None);
    // The script ran under the page's own CSP (default-src 'none').
    assert_eq!(
        root_attr(&dom, "data-ready").as_deref(),
        Some("1"),
        "{}",
        &dom[..400.min(dom.len())]
    );
    let n = p.tables().count();
    assert_eq!(
        dom.matches("<g class=\"card").count(),
        n,
        "one card per table"
    );
    assert_eq!(
        dom.matches("<li data-table=").count(),
        n,
        "one list entry per table"
    );
    // Searching for a column name highlights its table (and only tables that have it).
    let dom = dump_dom(&browser, &file, "search=postal_code", None);
    let hits: Vec<&str> = dom
        .split("<g class=\"card hit\" data-table=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(hits.contains(&"addresses"), "{hits:?}");
    let having = p
        .tables()
        .filter(|t| t.columns.iter().any(|c| c.name.contains("postal_code")))
        .count();
    assert_eq!(hits.len(), having, "{hits:?}");
    // Clicking a card opens its columns.
    let dom = dump_dom(&browser, &file, "click=orders", None);
    assert_eq!(root_attr(&dom, "data-selected").as_deref(), Some("orders"));
    let orders = p.table_by_name(None, "orders").unwrap();
    for c in &orders.columns {
        assert!(
            dom.contains(&format!("<tr data-column=\"{}\">", c.name)),
            "{}",
            c.name
        );
    }
    assert!(dom.contains("CREATE TABLE orders"), "its DDL");
    // The fragment opens a table directly.
    let dom = dump_dom(&browser, &file, "table=customers", None);
    assert_eq!(
        root_attr(&dom, "data-selected").as_deref(),
        Some("customers")
    );
    assert!(dom.contains("<h2>customers</h2>"));
}

/// A name, comment and review text that would run script if any of them were read as HTML.
fn hostile() -> Project {
    let mut p = crowfoot::samples::hostile::build();
    let mark = |v: &str| format!("document.documentElement.setAttribute('data-pwned','{v}')");
    let mut t = Table::new(
        TableId(p.alloc_id()),
        format!("<script>{}</script>", mark("name")),
    );
    t.comment = Some(format!("</script><script>{}</script><!--", mark("comment")));
    let mut c = Column::new(
        ColumnId(p.alloc_id()),
        format!("<img src=x onerror=\"{}\">", mark("column")),
        LogicalType::Text,
    );
    c.comment = Some(format!("<svg onload=\"{}\"></svg>", mark("svg")));
    t.columns.push(c);
    t.review.push(ReviewComment {
        column: None,
        author: "<b onmouseover=alert(1)>x</b>".into(),
        text: format!("<iframe srcdoc=\"<script>{}</script>\">", mark("review")),
        resolved: false,
    });
    Command::AddTable(Box::new(t)).apply(&mut p).unwrap();
    p
}

#[test]
fn hostile_names_stay_text() {
    let p = hostile();
    let html = review_page(&p, &ReviewOptions::default()).html;
    assert_eq!(
        html.matches("<script").count(),
        2,
        "no script tag from the schema"
    );
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.html");
    std::fs::write(&file, &html).unwrap();
    let name = p
        .tables()
        .find(|t| t.name.starts_with("<script>"))
        .unwrap()
        .name
        .clone();
    for frag in [
        "".to_string(),
        format!("click={name}"),
        "search=onerror".into(),
    ] {
        let dom = dump_dom(&browser, &file, &frag, Some(2000));
        assert_eq!(
            root_attr(&dom, "data-ready").as_deref(),
            Some("1"),
            "{frag}"
        );
        assert_eq!(
            root_attr(&dom, "data-pwned"),
            None,
            "{frag}: injected script ran"
        );
        assert_eq!(
            dom.matches("<script").count(),
            2,
            "{frag}: a script element was made"
        );
        assert!(!dom.contains("<img") && !dom.contains("<iframe"), "{frag}");
    }
    // The detail panel shows the name as text.
    let dom = dump_dom(&browser, &file, &format!("click={name}"), None);
    assert!(
        dom.contains("<h2>&lt;script&gt;document.documentElement"),
        "the name as text"
    );
    let n = p.tables().count();
    assert_eq!(dom.matches("<g class=\"card").count(), n);
}

#[test]
fn compare_overlay_and_safety_report() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let new = crowfoot::samples::shop::build();
    // The old version: no reviews table, and orders without its notes column.
    let mut old = new.clone();
    let reviews = old.table_by_name(None, "reviews").unwrap().id;
    let cmd = crowfoot::model::command::remove_tables(&old, &[reviews]);
    cmd.apply(&mut old).unwrap();
    let orders = old.table_by_name(None, "orders").unwrap().clone();
    let notes = orders.column_by_name("notes").unwrap().id;
    crowfoot::model::command::remove_column(&old, orders.id, notes)
        .unwrap()
        .apply(&mut old)
        .unwrap();
    let old_file = dir.path().join("old.ron");
    crowfoot::project_file::save(&old, &old_file).unwrap();
    let new_file = dir.path().join("new.ron");
    crowfoot::project_file::save(&new, &new_file).unwrap();
    let page = dir.path().join("review.html");
    let out = crowfoot_in_repo(&[
        "render",
        new_file.to_str().unwrap(),
        "-o",
        page.to_str().unwrap(),
        "--compare",
        old_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dom = dump_dom(&browser, &page, "", None);
    assert!(
        dom.contains("<g class=\"card added\" data-table=\"reviews\""),
        "reviews added"
    );
    assert!(
        dom.contains("<g class=\"card changed\" data-table=\"orders\""),
        "orders changed"
    );
    assert!(dom.contains("Changes ("), "the Changes tab");
    assert!(dom.contains("Migration safety"), "the safety report");
    // Without --compare the page has no overlay; --compare is refused for SVG.
    let bad = crowfoot_in_repo(&[
        "render",
        new_file.to_str().unwrap(),
        "-o",
        dir.path().join("d.svg").to_str().unwrap(),
        "--compare",
        old_file.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    // The library gives the same overlay.
    let opts = ReviewOptions {
        compare: Some(Compare {
            name: "old.ron".into(),
            old: &old,
        }),
        ..Default::default()
    };
    let html = review_page(&new, &opts).html;
    assert!(
        html.contains("\"change\":\"added\""),
        "reviews marked added"
    );
    assert!(
        !review_page(&new, &ReviewOptions::default())
            .html
            .contains("\"change\":\"added\"")
    );
}

#[test]
fn screenshot_is_not_blank() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let p = crowfoot::samples::saas::build();
    let file = write_page(&p, &ReviewOptions::default(), dir.path(), "saas.html");
    let png = screenshot(&browser, &file, "table=users");
    let pix = resvg::tiny_skia::Pixmap::decode_png(&png).expect("a PNG");
    assert_eq!((pix.width(), pix.height()), (1400, 900));
    let data = pix.data();
    let mut colours = std::collections::BTreeSet::new();
    let mut dark = 0;
    for px in data.chunks(4) {
        colours.insert((px[0] >> 3, px[1] >> 3, px[2] >> 3));
        if px[0] < 120 && px[1] < 120 && px[2] < 120 {
            dark += 1;
        }
    }
    assert!(colours.len() > 50, "{} colours", colours.len());
    assert!(dark > 2000, "{dark} dark pixels (text)");
}

/// The page works in Firefox too: opened with a table in the fragment, the script runs under
/// the CSP and draws the detail panel, whose right-hand area is blank when it does not.
#[test]
fn firefox_runs_the_page() {
    let Some(browser) = firefox() else { return };
    let dir = tempfile::tempdir().unwrap();
    let p = crowfoot::samples::saas::build();
    let file = write_page(&p, &ReviewOptions::default(), dir.path(), "saas ✓.html");
    let ink = |png: &[u8]| {
        let pix = resvg::tiny_skia::Pixmap::decode_png(png).expect("a PNG");
        let (w, h) = (pix.width() as usize, pix.height() as usize);
        // Dark pixels in the right-hand 380 px below the bar: the detail panel's text.
        let mut dark = 0;
        for y in 60..h {
            for x in w - 360..w {
                let px = &pix.data()[(y * w + x) * 4..][..4];
                if px[0] < 110 && px[1] < 110 && px[2] < 110 {
                    dark += 1;
                }
            }
        }
        dark
    };
    let with = ink(&firefox_screenshot(&browser, &file, "table=users"));
    let without = ink(&firefox_screenshot(&browser, &file, ""));
    eprintln!("dark pixels at the right: {with} with the panel, {without} without");
    assert!(with > 1500 && with > 2 * without, "{with} vs {without}");
}
