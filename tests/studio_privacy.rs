//! Model ▸ Classify sensitive data (issue 18) through egui_kittest: the review list, unchecking
//! a finding, marking the data subjects, Accept as one undoable edit, the inspector's data
//! subject checkbox, and an idle studio with the window open.

use crowfoot::model::*;
#[path = "support/panel_harness.rs"]
mod panel_harness;

use crowfoot::ui::actions::Action;
use egui_kittest::kittest::Queryable;
use panel_harness::*;

fn column<'a>(p: &'a Project, t: &str, c: &str) -> &'a Column {
    p.table_by_name(None, t).unwrap().column_by_name(c).unwrap()
}

#[test]
fn classify_review_accept_and_undo() {
    let mut h = harness(crowfoot::samples::saas::build());
    let before = h.state().doc.project().clone();
    run_action(&mut h, Action::ClassifySensitive);
    h.run_steps(2);
    h.get_by_label_contains("columns hold personal data");
    assert_idle(&mut h, "the classify window open");
    // Uncheck one finding: it stays untagged.
    h.get_by_label("sessions.user_agent").click();
    h.run_steps(1);
    // Low findings are hidden until asked for.
    assert!(h.query_by_label("api_keys.created_by_user_id").is_none());
    h.get_by_label("Show low").click();
    h.run_steps(2);
    assert!(h.query_by_label("api_keys.created_by_user_id").is_some());
    // The suggested data subject is offered checked.
    h.get_by_label_contains("Data subjects (suggested");
    h.get_by_label("Accept").click();
    h.run_steps(3);
    let p = h.state().doc.project().clone();
    let email = column(&p, "users", "email");
    assert!(
        email.tags.contains("pii") && email.tags.contains("pii:contact"),
        "{:?}",
        email.tags
    );
    assert!(
        column(&p, "sessions", "ip_address")
            .tags
            .contains("pii:network")
    );
    assert!(
        !column(&p, "sessions", "user_agent").tags.contains("pii"),
        "unchecked: not tagged"
    );
    assert!(
        column(&p, "users", "tenant_id").tags.is_empty(),
        "low: not tagged"
    );
    assert!(p.table_by_name(None, "users").unwrap().data_subject);
    // One undo step takes it all back.
    run_action(&mut h, Action::Undo);
    h.run_steps(1);
    assert_eq!(h.state().doc.project(), &before);
}

#[test]
fn the_inspector_marks_a_data_subject() {
    let mut h = harness(crowfoot::samples::shop::build());
    h.state_mut().prefs.show_bottom = false;
    h.get_by_label("customers  ·7").click();
    h.run_steps(3);
    h.get_by_label("Data subject").click();
    h.run_steps(2);
    let p = h.state().doc.project();
    assert!(p.table_by_name(None, "customers").unwrap().data_subject);
    run_action(&mut h, Action::Undo);
    h.run_steps(1);
    assert!(
        !h.state()
            .doc
            .project()
            .table_by_name(None, "customers")
            .unwrap()
            .data_subject
    );
}
