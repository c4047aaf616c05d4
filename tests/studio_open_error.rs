//! `crowfoot FILE` on a file that does not load (damaged, or from a newer Crowfoot): the window
//! opens with the error and the ways on (open another file, open the recovery copy, new
//! project), and nothing the studio does in that state writes over the file.

use crowfoot::ui::actions::Action;
use crowfoot::ui::app::initial_studio;
#[path = "support/panel_harness.rs"]
mod panel_harness;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use panel_harness::*;
use std::path::{Path, PathBuf};

const DAMAGED: &str =
    "#![enable(implicit_some)]\n(\n  format_version: 1,\n  name: \"Shop\",\n  tables: [(id: 3, na";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn shop_text() -> String {
    crowfoot::project_file::to_ron_string(&crowfoot::samples::shop::build())
}

fn newer_format() -> String {
    let text = shop_text();
    assert!(text.contains("format_version: 1,"));
    text.replace("format_version: 1,", "format_version: 999,")
}

fn has_button(h: &H, label: &str) -> bool {
    h.query_by_role_and_label(Role::Button, label).is_some()
}

/// The error is shown with its choices, over an empty project without a path.
fn assert_error_shown(h: &H, file: &str, error_part: &str) {
    let s = h.state();
    let err = s.open_error.as_ref().expect("the open error is shown");
    assert!(
        err.message.contains(error_part),
        "{:?} names the problem",
        err.message
    );
    assert!(
        h.query_by_label(&format!("Could not open {file}"))
            .is_some()
    );
    assert!(
        h.query_by_label(&err.message).is_some(),
        "the error text is in the window"
    );
    assert!(has_button(h, "Open another file…"));
    assert!(has_button(h, "New project"));
    assert_eq!(s.doc.path, None, "Save cannot write over the file");
    assert_eq!(s.doc.project().table_count(), 0);
}

#[test]
fn damaged_file_opens_the_window_with_the_error_and_new_project() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.ron", DAMAGED);
    let mut h = harness_for(initial_studio(Some(path.clone())));
    assert_error_shown(&h, "bad.ron", "bad.ron:5:");
    assert!(
        !has_button(&h, "Open recovery copy"),
        "no recovery copy exists"
    );
    assert_idle(&mut h, "open error");

    // Save in this state asks where (Save as), it does not write the file.
    run_action(&mut h, Action::Save);
    h.run_steps(2);
    assert_eq!(h.state().files.dialog_title(), Some("Save project as"));
    h.state_mut().files.answer_dialog(None);
    h.run_steps(2);

    h.get_by_label("New project").click();
    h.run_steps(3);
    let s = h.state();
    assert!(s.open_error.is_none(), "New project closes the error");
    assert!(!has_button(&h, "Open another file…"));
    assert_eq!(s.doc.project().table_count(), 0);
    assert_eq!(s.doc.path, None);
    assert!(!s.doc.is_dirty());

    // An edit, then Save: still Save as, never the damaged file.
    run_action(&mut h, Action::NewTable);
    h.run_steps(2);
    assert_eq!(h.state().doc.project().table_count(), 1);
    run_action(&mut h, Action::Save);
    h.run_steps(2);
    assert_eq!(h.state().files.dialog_title(), Some("Save project as"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DAMAGED);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["bad.ron"], "no backup or other file written");
}

#[test]
fn newer_format_offers_the_recovery_copy() {
    let dir = tempfile::tempdir().unwrap();
    let newer = newer_format();
    let path = write(dir.path(), "next.ron", &newer);
    // Autosave's recovery copy of unsaved work on this file, in today's format.
    let recovered = shop_text().replacen("name: \"Shop\"", "name: \"Recovered shop\"", 1);
    let rec = crowfoot::ui::files::recovery_path(Some(&path), "");
    crowfoot::ui::files::write_recovery(&rec, &recovered).unwrap();

    let mut h = harness_for(initial_studio(Some(path.clone())));
    assert_error_shown(&h, "next.ron", "format_version 999 is newer");
    assert!(has_button(&h, "Open recovery copy"));

    h.get_by_label("Open recovery copy").click();
    h.run_steps(3);
    let s = h.state();
    assert!(s.open_error.is_none());
    assert_eq!(s.doc.project().name(), "Recovered shop");
    assert_eq!(
        s.doc.project().table_count(),
        crowfoot::samples::shop::build().table_count()
    );
    assert_eq!(s.doc.path, None, "opens untitled: Save asks where");
    assert!(s.doc.is_dirty(), "recovered work is unsaved");
    run_action(&mut h, Action::Save);
    h.run_steps(2);
    assert_eq!(h.state().files.dialog_title(), Some("Save project as"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), newer);
    assert!(
        rec.exists(),
        "the recovery copy stays until the work is saved"
    );
}

#[test]
fn open_another_file_from_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.ron", DAMAGED);
    let newer = write(dir.path(), "next.ron", &newer_format());
    let good = write(dir.path(), "shop.ron", &shop_text());
    let mut h = harness_for(initial_studio(Some(bad.clone())));

    // Cancelling the file dialog leaves the choices up.
    h.get_by_label("Open another file…").click();
    h.run_steps(2);
    assert_eq!(h.state().files.dialog_title(), Some("Open project"));
    h.state_mut().files.answer_dialog(None);
    h.run_steps(2);
    assert_error_shown(&h, "bad.ron", "bad.ron");

    // Another file that does not load either: its error replaces the first.
    h.get_by_label("Open another file…").click();
    h.run_steps(2);
    h.state_mut().files.answer_dialog(Some(newer.clone()));
    h.run_steps(3);
    assert_error_shown(&h, "next.ron", "newer");

    // A good one opens.
    h.get_by_label("Open another file…").click();
    h.run_steps(2);
    h.state_mut().files.answer_dialog(Some(good.clone()));
    h.run_steps(3);
    let s = h.state();
    assert!(s.open_error.is_none());
    assert_eq!(s.doc.path.as_deref(), Some(good.as_path()));
    assert_eq!(
        s.doc.project().table_count(),
        crowfoot::samples::shop::build().table_count()
    );
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), DAMAGED);
}

#[test]
fn a_good_file_opens_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "shop.ron", &shop_text());
    let h = harness_for(initial_studio(Some(good.clone())));
    assert!(h.state().open_error.is_none());
    assert_eq!(h.state().doc.path.as_deref(), Some(good.as_path()));
    assert!(h.query_by_label("New project").is_none());
}
