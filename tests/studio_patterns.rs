//! Model ▸ Apply pattern… (issue 20) through egui_kittest: the selected table's history
//! previewed, applied as one undoable edit, then taken out again from the same window.

#[path = "support/panel_harness.rs"]
mod panel_harness;

use crowfoot::ui::actions::Action;
use crowfoot::ui::request::Request;
use egui::accesskit::Role;
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

/// Read model of the selected order lines joined with customers (ticked in the window), then a
/// temporal price list keyed by the ticked variant and currency.
#[test]
fn a_read_model_with_chosen_joins_and_a_temporal_table_with_a_chosen_key() {
    let mut h = harness(crowfoot::samples::shop::build());
    open_pattern_on(&mut h, "order_items", "read-model");
    h.get_by_label_contains("+ materialized view order_items_read");
    h.get_by_role_and_label(Role::CheckBox, "customers").click();
    h.run_steps(2);
    h.get_by_label_contains("from order_items, orders, customers");
    assert_idle(&mut h, "the read model's choices shown");
    h.get_by_label("Apply").click();
    h.run_steps(3);
    let p = h.state().doc.project().clone();
    let v = p.views().find(|v| v.name == "order_items_read").unwrap();
    assert!(v.materialized && v.sql.contains("customers"), "{}", v.sql);

    open_pattern_on(&mut h, "prices", "temporal");
    // The primary key by default; ticking variant_id and currency keeps it.
    h.get_by_label_contains("~ primary key of prices becomes (id, valid_from)");
    h.get_by_role_and_label(Role::CheckBox, "variant_id")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::CheckBox, "currency").click();
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("~ primary key of prices")
            .is_none(),
        "a chosen key leaves the primary key"
    );
    h.get_by_label("Apply").click();
    h.run_steps(3);
    let p = h.state().doc.project();
    let x = p
        .extra_sql()
        .find(|x| x.name.as_deref() == Some("prices_no_overlap") && x.kind == "constraint")
        .expect("the exclusion constraint");
    assert!(
        x.sql.contains("variant_id WITH =, currency WITH ="),
        "{}",
        x.sql
    );
}

/// Select `table`, open Model ▸ Apply pattern… and choose `pattern` in its combo box.
fn open_pattern_on(h: &mut H, table: &str, pattern: &str) {
    let id = id_of(h, table);
    send(h, vec![Request::SelectOnly(vec![id])]);
    run_action(h, Action::ApplyPattern);
    h.run_steps(2);
    h.get_by_label("Pattern").click();
    h.run_steps(2);
    h.get_by_label(pattern).click();
    h.run_steps(2);
}
