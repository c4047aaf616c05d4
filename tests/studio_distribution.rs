//! Model ▸ Plan distribution… (issue 18 §4): the window lists every table with its suggested
//! role, a role changed in its combo box changes the live findings of the chosen engine,
//! Accept stores every role as one undoable edit, and the open window lets the studio idle.

use crowfoot::model::*;
use crowfoot::ui::actions::Action;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
#[path = "support/panel_harness.rs"]
mod panel_harness;

use panel_harness::*;

fn role(h: &H, table: &str) -> Option<Distribution> {
    h.state()
        .doc
        .project()
        .table_by_name(None, table)
        .unwrap()
        .distribution
}

fn column(h: &H, table: &str, column: &str) -> ColumnId {
    let p = h.state().doc.project();
    p.table_by_name(None, table)
        .unwrap()
        .column_by_name(column)
        .unwrap()
        .id
}

#[test]
fn plan_edit_accept_and_undo() {
    let mut h = harness(crowfoot::samples::saas::build());
    let before = h.state().doc.project().clone();
    run_action(&mut h, Action::PlanDistribution);
    h.run_steps(3);
    assert!(h.state().distribution.open);
    h.get_by_label("Key tenant_id, root tenants · 0 role(s) stored, 40 suggested");
    // saas is Citus-ready under the suggested plan.
    h.get_by_label("0 finding(s) for Citus");
    h.get_by_label("permissions  (suggested)");

    // plans: reference -> local; Citus then refuses subscriptions' key to it (DS004).
    h.get_by_role_and_label(Role::ComboBox, "plans")
        .click_accesskit();
    h.run_steps(2);
    h.get_by_label("local").click();
    h.run_steps(3);
    h.get_by_label("1 finding(s) for Citus");
    h.get_by_label_contains("error[DS004] subscriptions.fk_subscriptions_plan");

    // Another engine: the same roles judged for Vitess (identity ids in sharded tables).
    h.get_by_label("Vitess").click();
    h.run_steps(3);
    h.get_by_label_contains("error[DS007] tenants.id");

    h.get_by_label("Accept (40 roles)").click_accesskit();
    h.run_steps(3);
    assert!(!h.state().distribution.open);
    assert_eq!(role(&h, "plans"), Some(Distribution::Local));
    assert_eq!(role(&h, "permissions"), Some(Distribution::Reference));
    assert_eq!(
        role(&h, "tenants"),
        Some(Distribution::Distributed(column(&h, "tenants", "id")))
    );
    assert_eq!(
        role(&h, "tasks"),
        Some(Distribution::Distributed(column(&h, "tasks", "tenant_id")))
    );
    let stored = h
        .state()
        .doc
        .project()
        .tables()
        .filter(|t| t.distribution.is_some())
        .count();
    assert_eq!(stored, 40);

    // One undo step takes every role back.
    run_action(&mut h, Action::Undo);
    h.run_steps(2);
    assert_eq!(h.state().doc.project(), &before);

    // Reopened, the window shows the plan again; nothing to accept when nothing changes.
    run_action(&mut h, Action::Redo);
    h.run_steps(1);
    run_action(&mut h, Action::PlanDistribution);
    h.run_steps(3);
    h.get_by_label_contains("40 role(s) stored, 0 suggested");
    h.get_by_label("plans  (stored)");
    h.get_by_label("Accept (0 roles)");
}

#[test]
fn the_open_window_idles() {
    let mut h = harness(crowfoot::samples::saas::build());
    run_action(&mut h, Action::PlanDistribution);
    h.run_steps(3);
    assert_idle(&mut h, "Plan distribution window");
}
