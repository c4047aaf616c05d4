//! Model ▸ Apply pattern… (issue 20) through egui_kittest: the selected table's history
//! previewed, applied as one undoable edit, then taken out again from the same window.

#[path = "support/panel_harness.rs"]
mod panel_harness;

use crowfoot::ui::actions::Action;
use crowfoot::ui::request::Request;
use egui_kittest::kittest::Queryable;
use panel_harness::*;

#[test]
fn apply_a_pattern_to_the_selected_table_undo_and_remove() {
    let mut h = harness(crowfoot::samples::shop::build());
    let before = h.state().doc.project().clone();
    let orders = id_of(&h, "orders");
    send(&mut h, vec![Request::SelectOnly(vec![orders])]);
    run_action(&mut h, Action::ApplyPattern);
    h.run_steps(2);
    h.get_by_label_contains("+ table orders_history");
    h.get_by_label_contains("+ trigger orders_history_ai (MySQL");
    assert_idle(&mut h, "the pattern window open");
    h.get_by_label("Apply").click();
    h.run_steps(3);
    let p = h.state().doc.project().clone();
    assert!(p.table_by_name(None, "orders_history").is_some());
    assert_eq!(p.extra_sql().count(), 9);
    assert!(h.state().status.contains("Apply pattern history to orders"));
    run_action(&mut h, Action::Undo);
    h.run_steps(2);
    assert!(
        *h.state().doc.project() == before,
        "one undo takes it all back"
    );
    run_action(&mut h, Action::Redo);
    h.run_steps(2);
    // Take it out again from the window.
    run_action(&mut h, Action::ApplyPattern);
    h.run_steps(2);
    h.get_by_label_contains("Remove it instead").click();
    h.run_steps(2);
    h.get_by_label_contains("- table orders_history");
    h.get_by_label("Remove").click();
    h.run_steps(3);
    let p = h.state().doc.project();
    assert!(p.table_by_name(None, "orders_history").is_none());
    assert_eq!(p.extra_sql().count(), 0);
}
