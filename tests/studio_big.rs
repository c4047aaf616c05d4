//! Big projects in the studio (issue 16, item 5): an auto-layout of a project with
//! `BACKGROUND_TABLES` or more runs on another thread with a progress bar and a Cancel button
//! while the studio keeps drawing; a result for a project that changed meanwhile is
//! discarded; edits to tables update the canvas's card cache in place; and "fit all" shows
//! every card however big the diagram is.

use crowfoot::model::*;
use crowfoot::samples::generated;
use crowfoot::ui::actions::Action;
use crowfoot::ui::layout_job::BACKGROUND_TABLES;
use egui_kittest::kittest::Queryable;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
#[path = "support/panel_harness.rs"]
mod panel_harness;

use panel_harness::*;

fn big() -> Project {
    generated::build(BACKGROUND_TABLES, 4, 5)
}

fn positions(p: &Project) -> BTreeMap<TableId, Position> {
    p.tables().map(|t| (t.id, t.position)).collect()
}

/// Frames until the background layout is over (or a minute has passed).
fn wait_for_layout(h: &mut H) {
    let start = Instant::now();
    while h.state().layout_job.is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the layout ended"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
}

#[test]
fn a_big_layout_runs_in_the_background_with_progress_then_applies_as_one_undo_step() {
    let mut h = harness(big());
    let before = positions(h.state().doc.project());
    let version = h.state().doc.version();
    run_action(&mut h, Action::LayoutLayered);
    {
        let s = h.state();
        let job = s.layout_job.as_ref().expect("a background job started");
        assert_eq!(job.tables, BACKGROUND_TABLES);
        assert_eq!(s.doc.version(), version, "nothing moved yet");
    }
    // The status bar shows the job while it runs (unless it was already done).
    h.step();
    if h.state().layout_job.is_some() {
        h.get_by_label("Cancel");
        let label = format!("Layered layout of {BACKGROUND_TABLES} tables");
        assert!(
            h.query_by_label_contains(&label).is_some(),
            "the progress line names the job"
        );
    }
    wait_for_layout(&mut h);
    let s = h.state();
    assert!(
        s.status.starts_with("Layered layout applied in "),
        "{}",
        s.status
    );
    let after = positions(s.doc.project());
    assert_ne!(after, before, "the tables moved");
    // The same moves as the layout run in the frame.
    let direct = crowfoot::diagram::layout::layered(&big(), &Default::default());
    let Command::MoveTables(moves) = &direct else {
        panic!("a layout is a move")
    };
    let label = format!("Move {} tables", moves.len());
    let mut expected = big();
    direct.apply(&mut expected).expect("applies");
    assert_eq!(after, positions(&expected));
    assert_eq!(s.doc.undo_label(), Some(label.as_str()));
    h.state_mut().doc.undo().expect("undo");
    assert_eq!(positions(h.state().doc.project()), before, "one undo step");
}

#[test]
fn cancel_stops_the_layout_and_moves_nothing() {
    let mut h = harness(big());
    let before = positions(h.state().doc.project());
    run_action(&mut h, Action::LayoutForce);
    h.step();
    // A force layout of 2,000 tables takes seconds in a test build: still running.
    assert!(
        h.state().layout_job.is_some(),
        "the layout is still running"
    );
    let progress = std::sync::Arc::clone(&h.state().layout_job.as_ref().unwrap().progress);
    h.get_by_label("Cancel").click();
    h.step();
    assert!(progress.is_cancelled());
    let s = h.state();
    assert!(s.layout_job.is_none());
    assert_eq!(s.status, "Layout cancelled: nothing moved");
    // Frames later, the thread's end changes nothing either.
    std::thread::sleep(Duration::from_millis(300));
    h.run_steps(3);
    assert_eq!(positions(h.state().doc.project()), before);
    assert!(!h.state().doc.can_undo());
}

#[test]
fn a_layout_of_a_project_that_changed_meanwhile_is_discarded() {
    let mut h = harness(big());
    run_action(&mut h, Action::LayoutLayered);
    assert!(h.state().layout_job.is_some());
    // An edit while it runs: rename the first table.
    let t = h.state().doc.project().tables().next().unwrap().id;
    assert!(h.state_mut().apply(Command::RenameTable {
        table: t,
        schema: None,
        name: "renamed \"while\" 🕒 it ran".into(),
    }));
    let renamed = positions(h.state().doc.project());
    wait_for_layout(&mut h);
    let s = h.state();
    assert_eq!(
        s.status,
        "Layout discarded: the project changed while it ran (run it again)"
    );
    assert_eq!(positions(s.doc.project()), renamed);
    assert_eq!(
        s.doc.undo_label(),
        Some("Rename table to renamed \"while\" 🕒 it ran")
    );
}

#[test]
fn edits_update_the_card_cache_in_place_and_fit_all_shows_every_card() {
    let mut h = harness(big());
    let rebuilds = h.state().canvas.cache_rebuilds;
    let t = h.state().doc.project().tables().nth(7).unwrap().clone();
    let mut c = t.columns[1].clone();
    c.name = "a much longer name with \"quotes\", a \\ and 🦀".into();
    assert!(h.state_mut().apply(Command::UpdateColumn {
        table: t.id,
        column: Box::new(c),
    }));
    h.run_steps(2);
    h.state_mut().doc.undo().expect("undo");
    h.run_steps(2);
    assert_eq!(
        h.state().canvas.cache_rebuilds,
        rebuilds,
        "a column edit and its undo updated the cache in place"
    );

    // The generated positions spread 2,000 tables far wider than MIN_ZOOM shows on one
    // screen: fit all still shows every card.
    run_action(&mut h, Action::Fit);
    h.step();
    let s = h.state_mut();
    let doc = &s.doc;
    let canvas = &mut s.canvas;
    let ids: Vec<TableId> = canvas.cards(doc).iter().map(|c| c.id).collect();
    let view = canvas.viewport;
    let off: Vec<_> = ids
        .iter()
        .filter(|id| {
            canvas
                .card_screen_rect(**id)
                .is_none_or(|r| !view.contains_rect(r))
        })
        .collect();
    assert!(
        off.is_empty(),
        "{} of {} cards off screen",
        off.len(),
        ids.len()
    );
}

/// A PNG of a big diagram is rendered on another thread: the status bar says so while the
/// studio keeps running frames, and the save dialog opens with the bytes when it is done.
/// A small diagram goes straight to the dialog.
#[test]
fn a_big_png_export_renders_in_the_background() {
    use crowfoot::ui::render_job::BACKGROUND_TABLES as RENDER;
    let mut h = harness(generated::build(RENDER, 3, 7));
    run_action(&mut h, Action::ExportPng);
    h.run_steps(1);
    assert!(h.state().render_job.is_some(), "{}", h.state().status);
    assert!(h.state().files.dialog_title().is_none());
    h.get_by_label_contains(&format!("Rendering PNG diagram of {RENDER} tables"));
    let start = Instant::now();
    while h.state().render_job.is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "render never ended"
        );
        std::thread::sleep(Duration::from_millis(50));
        h.run_steps(1);
    }
    h.run_steps(1);
    assert!(
        h.state().status.starts_with("Rendered the PNG diagram in"),
        "{}",
        h.state().status
    );
    assert_eq!(h.state().files.dialog_title(), Some("Export PNG diagram"));

    let mut small = harness(crowfoot::samples::shop::build());
    run_action(&mut small, Action::ExportPdf);
    small.run_steps(2);
    assert!(small.state().render_job.is_none());
    assert_eq!(
        small.state().files.dialog_title(),
        Some("Export PDF diagram")
    );
}
