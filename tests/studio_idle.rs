//! The studio idles: after every action and in every editing state (palette, renames, inspector
//! and panel fields, dialogs, presenter, import report), once it has settled it asks for no
//! repaint sooner than a blinking text cursor would. egui_kittest turns cursor blinking off;
//! `assert_idle` turns it back on, as in the real window, and runs frames when the studio asks
//! for them, the way eframe does.

use crowfoot::model::*;
use crowfoot::ui::Studio;
use crowfoot::ui::actions::Action;
use crowfoot::ui::studio::{Editing, RightTab};
#[path = "support/panel_harness.rs"]
mod panel_harness;

use egui::accesskit::Role;
use egui::{Key, Modifiers, Rect};
use egui_kittest::kittest::{NodeT, Queryable};

const TEXT_ROLES: [Role; 2] = [Role::TextInput, Role::MultilineTextInput];
use panel_harness::*;
use std::path::{Path, PathBuf};

fn table_id(h: &H, name: &str) -> TableId {
    h.state()
        .doc
        .project()
        .table_by_name(None, name)
        .unwrap_or_else(|| panic!("{name}"))
        .id
}

fn select(h: &mut H, names: &[&str]) {
    let ids: Vec<TableId> = names.iter().map(|n| table_id(h, n)).collect();
    let s = h.state_mut();
    s.sel.clear();
    s.sel.tables.extend(ids);
    h.run_steps(2);
}

/// The shop sample saved as `dir/shop.ron`, opened from there (Save writes, and Compare with git
/// revision asks for a revision, instead of only reporting that there is no file).
fn saved_shop(dir: &Path) -> Studio {
    let path = dir.join("shop.ron");
    crowfoot::project_file::save(&crowfoot::samples::shop::build(), &path).unwrap();
    Studio::new(crowfoot::project_file::load(&path).unwrap(), Some(path))
}

fn focused(h: &H) -> bool {
    h.ctx.memory(|m| m.focused().is_some())
}

/// Did the action reach the state it is for (so the idle check below checks that state)?
fn check_reached(h: &H, a: Action) {
    let s = h.state();
    let ok = match a {
        Action::CommandPalette | Action::Find => s.palette.is_open() && focused(h),
        Action::NewTable | Action::Rename => s.canvas.rename.is_some() && focused(h),
        Action::AddColumn => focused(h),
        Action::Present => s.presenting.is_some(),
        Action::Quit => s.quit_requested,
        Action::Delete => s.confirm.is_some(),
        Action::CompareWithRevision => s.revision_dialog.is_some(),
        Action::Normalize => s.prefs.right_tab == RightTab::Normalize,
        Action::Indexes => s.prefs.right_tab == RightTab::Indexes,
        Action::Open
        | Action::ImportSql
        | Action::SaveAs
        | Action::CompareWithFile
        | Action::ExportDdl
        | Action::ExportSvg
        | Action::ExportPng
        | Action::ExportPdf
        | Action::ExportDbml
        | Action::ExportMermaid
        | Action::ExportDoc
        | Action::ExportPrivacy
        | Action::ExportReviewPage => s.files.dialog_title().is_some(),
        Action::ClassifySensitive => s.privacy.open,
        Action::ApplyPattern => s.patterns.open,
        _ => true,
    };
    assert!(ok, "{a:?} did not reach its state (status: {})", s.status);
}

#[test]
fn every_action_leaves_the_studio_idle() {
    let dir = tempfile::tempdir().unwrap();
    for a in Action::all() {
        let mut h = harness_for(saved_shop(dir.path()));
        match a {
            Action::ManyToMany => select(&mut h, &["customers", "products"]),
            _ => select(&mut h, &["customers"]),
        }
        run_action(&mut h, a);
        h.run_steps(3);
        check_reached(&h, a);
        assert_idle(&mut h, &format!("after {a:?}"));
    }
}

/// The visible text fields (by AccessKit) inside `area`.
fn text_fields(h: &H, area: Rect) -> Vec<Rect> {
    h.query_all_by(|n| TEXT_ROLES.contains(&n.role()))
        .filter(|n| !n.accesskit_node().is_disabled())
        .map(|n| n.rect())
        .filter(|r| r.is_positive() && area.contains(r.center()))
        .collect()
}

/// Click every text field in `area` in turn (listed again after each: focusing a column's name
/// shows that column's fields); the studio idles with each focused.
fn each_field_idles(h: &mut H, area: Rect, what: &str) -> usize {
    let mut i = 0;
    while let Some(r) = text_fields(h, area).get(i).copied() {
        click(h, r.center());
        h.run_steps(2);
        assert!(focused(h), "{what} field {i} at {r:?} takes the focus");
        assert_idle(h, &format!("{what}: field {i} focused"));
        i += 1;
        assert!(i < 60, "{what}: fields do not end");
    }
    key(h, Modifiers::NONE, Key::Escape);
    i
}

#[test]
fn every_text_field_idles_while_focused() {
    let mut h = harness(crowfoot::samples::shop::build());
    select(&mut h, &["customers"]);
    let right = Rect::from_min_max(egui::pos2(1000.0, 60.0), egui::pos2(1400.0, 680.0));
    let n = each_field_idles(&mut h, right, "inspector");
    assert!(
        n >= 5,
        "the inspector shows the table's and its columns' fields: {n}"
    );
    for (tab, what) in [
        (RightTab::Normalize, "normalize tab"),
        (RightTab::Indexes, "indexes tab"),
    ] {
        h.state_mut().prefs.right_tab = tab;
        select(&mut h, &["customers"]);
        each_field_idles(&mut h, right, what);
    }
    // The table list's filter and the DDL preview.
    let left = Rect::from_min_max(egui::pos2(0.0, 20.0), egui::pos2(300.0, 680.0));
    assert!(each_field_idles(&mut h, left, "table list") >= 1);
    let bottom = Rect::from_min_max(egui::pos2(0.0, 680.0), egui::pos2(1400.0, 880.0));
    each_field_idles(&mut h, bottom, "bottom panel");
}

#[test]
fn renames_palette_and_the_new_column_idle() {
    let mut h = harness(crowfoot::samples::shop::build());
    key(&mut h, Modifiers::COMMAND, Key::K);
    type_text(&mut h, "cust");
    assert!(h.state().palette.is_open());
    assert_idle(&mut h, "palette with a query");
    key(&mut h, Modifiers::NONE, Key::Escape);

    // T: a new table with its header in rename.
    key(&mut h, Modifiers::NONE, Key::T);
    h.run_steps(2);
    assert!(h.state().canvas.rename.is_some());
    key(&mut h, Modifiers::COMMAND, Key::A);
    type_text(&mut h, "invoices");
    assert_idle(&mut h, "header rename");
    key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    assert!(
        h.state()
            .doc
            .project()
            .table_by_name(None, "invoices")
            .is_some()
    );

    // C: a column added to the selected table, its name field focused.
    key(&mut h, Modifiers::NONE, Key::C);
    h.run_steps(2);
    assert!(focused(&h), "the new column's name has the focus");
    assert_idle(&mut h, "after C");
    type_text(&mut h, "x");
    assert_idle(&mut h, "typing the new column's name");
}

#[test]
fn dialogs_idle() {
    let dir = tempfile::tempdir().unwrap();

    // Unsaved changes, then New project: the discard question.
    let mut h = harness_for(saved_shop(dir.path()));
    select(&mut h, &["customers"]);
    key(&mut h, Modifiers::NONE, Key::ArrowRight);
    run_action(&mut h, Action::NewProject);
    h.run_steps(2);
    assert!(h.state().confirm.is_some());
    assert_idle(&mut h, "discard question");

    // A recovery file newer than the project: the recovery question.
    let mut s = saved_shop(dir.path());
    let rec = crowfoot::ui::files::recovery_path(s.doc.path.as_deref(), "shop");
    std::thread::sleep(std::time::Duration::from_millis(20));
    crowfoot::ui::files::write_recovery(
        &rec,
        &crowfoot::project_file::to_ron_string(s.doc.project()),
    )
    .unwrap();
    s.offer_recovery();
    assert!(s.confirm.is_some());
    let mut h = harness_for(s);
    assert_idle(&mut h, "recovery question");
    std::fs::remove_file(&rec).unwrap();

    // The note and area editors.
    let mut h = harness(crowfoot::samples::shop::build());
    run_action(&mut h, Action::AddNote);
    let note = h.state().doc.project().notes().next().unwrap().clone();
    h.state_mut().editing = Some(Editing::Note(note));
    h.run_steps(2);
    assert_idle(&mut h, "note editor");
    let field = text_fields(&h, Rect::EVERYTHING)
        .into_iter()
        .find(|r| r.center().x > 500.0 && r.center().x < 900.0 && r.center().y < 600.0)
        .expect("the note's text field");
    click(&mut h, field.center());
    assert_idle(&mut h, "note editor, text focused");
    key(&mut h, Modifiers::NONE, Key::Escape);
    run_action(&mut h, Action::AddArea);
    let area = h.state().doc.project().areas().next().unwrap().clone();
    h.state_mut().editing = Some(Editing::Area(area));
    h.run_steps(2);
    assert_idle(&mut h, "area editor");

    // Compare with git revision: the revision field focused.
    let mut h = harness_for(saved_shop(dir.path()));
    run_action(&mut h, Action::CompareWithRevision);
    h.run_steps(2);
    let field = text_fields(&h, Rect::EVERYTHING)
        .into_iter()
        .find(|r| (r.center().x - 700.0).abs() < 200.0 && (r.center().y - 450.0).abs() < 100.0)
        .expect("the revision field");
    click(&mut h, field.center());
    assert_idle(&mut h, "git revision dialog");

    // The decomposition preview window.
    let mut h = harness(crowfoot::samples::shop::build());
    select(&mut h, &["customers"]);
    let t = table_id(&h, "customers");
    let table = h.state().doc.project().table(t).unwrap().clone();
    let cols: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    let dep = crowfoot::analysis::normalize::apply::parse_declared(
        &table,
        &format!("{} -> {}", cols[2], cols[3]),
    )
    .unwrap();
    assert!(h.state_mut().apply(Command::SetDependencies {
        table: t,
        dependencies: vec![dep],
    }));
    h.state_mut().prefs.right_tab = RightTab::Normalize;
    h.run_steps(2);
    h.get_by_label("Decompose (BCNF)").click();
    h.run_steps(2);
    assert!(
        h.state().normalize.preview.is_some(),
        "{}",
        h.state().status
    );
    assert_idle(&mut h, "decomposition preview");
}

fn write_script(dir: &Path) -> PathBuf {
    let path = dir.join("blog.sql");
    std::fs::write(
        &path,
        "CREATE TABLE authors (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);\n\
         CREATE TABLE posts (id BIGSERIAL PRIMARY KEY, author_id BIGINT REFERENCES authors(id),\n\
           body TEXT, CONSTRAINT chk CHECK (length(body) > 0));\n\
         CREATE VIEW v AS SELECT 1;\n",
    )
    .unwrap();
    path
}

#[test]
fn import_dialog_and_report_idle() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_script(dir.path());
    let mut h = harness(Project::new("empty"));
    h.state_mut().begin_import(path.clone());
    h.run_steps(2);
    assert!(h.state().import_dialog.is_some());
    assert_idle(&mut h, "import dialog");

    assert!(h.state_mut().import_path(&path));
    run_action(&mut h, Action::ImportReport);
    h.run_steps(2);
    assert!(h.state().import_report.as_ref().is_some_and(|r| r.open));
    assert_idle(&mut h, "import report");
    let window = h
        .query_all_by_role(Role::Window)
        .find(|w| w.query_by_label("Copy report").is_some())
        .expect("report window")
        .rect();
    let n = each_field_idles(&mut h, window, "import report");
    assert!(n >= 1, "the report has a filter field");
}

#[test]
fn presenter_idles() {
    let mut h = harness(crowfoot::samples::shop::build());
    select(&mut h, &["customers"]);
    run_action(&mut h, Action::SaveView);
    run_action(&mut h, Action::Present);
    h.run_steps(3);
    assert!(h.state().presenting.is_some());
    assert_idle(&mut h, "presenting");
    key(&mut h, Modifiers::NONE, Key::L);
    frame(
        &mut h,
        [egui::Event::PointerMoved(egui::pos2(700.0, 400.0))],
    );
    assert_idle(&mut h, "presenting with the laser pointer");
    key(&mut h, Modifiers::NONE, Key::ArrowRight);
    assert_idle(&mut h, "presenting, next view");
}
