//! The Indexes tab through egui_kittest: lint findings with their fixes, the index editor
//! and the index showing on the card (its AccessKit description), with undo.

use crowfoot::model::*;
#[path = "support/panel_harness.rs"]
mod panel_harness;

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::Queryable;
use panel_harness::*;

fn orders(h: &H) -> &Table {
    h.state()
        .doc
        .project()
        .table_by_name(None, "orders")
        .unwrap()
}

#[test]
fn lint_fix_and_editor_with_undo() {
    let mut h = harness(crowfoot::samples::shop::build());
    // Select orders from the table list, open the Indexes tab with its shortcut.
    h.get_by_label("orders  ·15").click();
    h.run_steps(2);
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    h.run_steps(2);
    assert!(h.query_by_label("Index lint (3)").is_some());
    let before = h.state().doc.project().clone();

    // The FK to coupons has no index: the fix adds one, named from the project's pattern.
    h.get_by_label("Add index on (coupon_id)").click();
    h.run_steps(3);
    assert!(
        orders(&h)
            .indexes
            .iter()
            .any(|i| i.name == "ix_orders_coupon_id"),
        "{:?}",
        orders(&h)
            .indexes
            .iter()
            .map(|i| &i.name)
            .collect::<Vec<_>>()
    );
    assert!(h.query_by_label("Index lint (2)").is_some());
    assert!(
        card_description(&h, "orders").contains("ix_orders_coupon_id (coupon_id)"),
        "{}",
        card_description(&h, "orders")
    );

    // Edit it: make it unique, save; the name follows the edit only when asked.
    let n = orders(&h).indexes.len();
    let edits: Vec<_> = h
        .get_all_by_label("Edit")
        .filter(|e| e.rect().min.x > 700.0)
        .collect();
    assert_eq!(edits.len(), n);
    edits[n - 1].click();
    h.run_steps(2);
    h.get_by_label("Unique").click();
    h.run_steps(1);
    h.get_by_label("Save").click();
    h.run_steps(2);
    let ix = orders(&h)
        .indexes
        .iter()
        .find(|i| i.name == "ix_orders_coupon_id")
        .expect("kept its name")
        .clone();
    assert!(ix.unique);

    // A new index from the editor: default first column, DESC, named from the pattern.
    h.get_by_label("+ New index").click();
    h.run_steps(2);
    h.get_all_by_label("DESC").next().unwrap().click();
    h.run_steps(1);
    h.get_by_label("Save").click();
    h.run_steps(2);
    let new = orders(&h)
        .indexes
        .iter()
        .find(|i| i.name == "ix_orders_id")
        .expect("created");
    assert_eq!(new.parts[0].order, Some(SortOrder::Desc));
    // It duplicates the primary key: the lint says so.
    assert!(h.query_by_label("⚠ IX003").is_some());

    // Three undos bring the project back.
    for _ in 0..3 {
        key(&mut h, Modifiers::COMMAND, Key::Z);
    }
    h.run_steps(2);
    assert!(*h.state().doc.project() == before);
    assert!(!card_description(&h, "orders").contains("ix_orders_coupon_id"));
}

/// Issue 7 acceptance 4: open the panel, add a workload query, run the advisor, accept a
/// suggestion, see the index on the card, undo.
#[test]
fn workload_advice_accepted_shows_on_the_card_and_undoes() {
    let mut h = harness(crowfoot::samples::shop::build());
    h.state_mut().prefs.show_bottom = false;
    h.get_by_label("products  ·9").click();
    h.run_steps(2);
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    h.run_steps(2);
    let before = h.state().doc.project().clone();
    // Type the workload into the advisor's text area.
    let field = h
        .get_all_by_role(Role::MultilineTextInput)
        .find(|n| n.rect().min.x > 700.0)
        .expect("workload field");
    field.scroll_to_me();
    h.run_steps(2);
    h.get_all_by_role(Role::MultilineTextInput)
        .find(|n| n.rect().min.x > 700.0)
        .unwrap()
        .click();
    h.run_steps(2);
    h.input_mut().events.push(Event::Text(
        "-- weight: 5\nSELECT * FROM products WHERE name = 'lamp';".into(),
    ));
    h.run_steps(2);
    assert!(h.state().indexes.workload.contains("WHERE name = 'lamp'"));
    h.get_by_label("Run advisor").click();
    h.run_steps(3);
    let advice = &h.state().indexes.advice.as_ref().expect("advice").1;
    let sug = advice
        .suggested
        .iter()
        .find(|s| s.table == "products" && s.columns == ["name"])
        .expect("an index on products(name)")
        .clone();
    assert!(
        advice.queries[0].plan_before[0].starts_with("SCAN products"),
        "{:?}",
        advice.queries
    );
    let accept = h
        .get_all_by_label("Accept")
        .next()
        .expect("an Accept button");
    accept.scroll_to_me();
    h.run_steps(2);
    h.get_all_by_label("Accept").next().unwrap().click();
    h.run_steps(3);
    let products = h
        .state()
        .doc
        .project()
        .table_by_name(None, "products")
        .unwrap();
    assert!(products.indexes.iter().any(|i| i.name == sug.index.name));
    assert!(h.query_by_label("✔ added").is_some());
    // The index shows on the card (reveal it first: the card must be on screen).
    let pid = products.id;
    h.state_mut().reveal(pid, None);
    h.run_steps(2);
    assert!(
        card_description(&h, "products").contains(&format!("{} (name)", sug.index.name)),
        "{}",
        card_description(&h, "products")
    );
    key(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(*h.state().doc.project() == before);
    assert!(!card_description(&h, "products").contains(&sug.index.name));
}

#[path = "support/dbs.rs"]
mod dbs;

/// Issue 17 in the studio: the advisor's engine switch, a PostgreSQL server run on another
/// thread (stage shown), its suggestion accepted as one undoable command, the plans before
/// and after as trees with the changed nodes. Skipped without `CROWFOOT_PG` (unless
/// `CROWFOOT_REQUIRE_DBS=1`).
#[test]
fn postgres_engine_advice_runs_in_the_background_and_is_accepted() {
    let Some(s) = dbs::server(dbs::Engine::Postgres, "postgres_engine_advice") else {
        return;
    };
    let url = format!(
        "postgres://{}@{}:{}/postgres?scratch=1",
        s.user,
        s.host,
        s.port.unwrap_or(5432)
    );
    let mut h = harness(crowfoot::samples::shop::build());
    h.state_mut().prefs.show_bottom = false;
    let shipments = h
        .state()
        .doc
        .project()
        .table_by_name(None, "shipments")
        .unwrap()
        .id;
    h.state_mut().sel.tables = [shipments].into();
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    h.run_steps(2);
    h.get_by_label("PostgreSQL server").click();
    h.run_steps(2);
    {
        let ix = &mut h.state_mut().indexes;
        ix.workload = "-- weight: 10\nSELECT * FROM shipments WHERE tracking_number = ?;".into();
        ix.pg.url = url.clone();
    }
    h.run_steps(2);
    let before = h.state().doc.project().clone();
    let run = h.get_by_label("Run advisor");
    run.scroll_to_me();
    h.run_steps(1);
    h.get_by_label("Run advisor").click();
    h.run_steps(2);
    let start = std::time::Instant::now();
    while h.state().indexes.pg.job.is_some() {
        assert!(start.elapsed() < std::time::Duration::from_secs(120));
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
    }
    h.run_steps(2);
    assert_eq!(h.state().prefs.pg_url, url, "the URL is remembered");
    let advice = &h.state().indexes.pg.advice.as_ref().expect("advice").1;
    assert_eq!(
        advice.suggested.len(),
        1,
        "{:?}",
        h.state().indexes.pg.error
    );
    let name = advice.suggested[0].index.name.clone();
    assert!(
        h.query_by_label_contains("shipments (tracking_number)")
            .is_some(),
        "the suggestion is listed"
    );
    // The plans: before, a Seq Scan on shipments; after, an Index Scan using the suggestion.
    h.get_by_label(&format!("Plans: {name}")).click();
    h.run_steps(2);
    assert!(h.query_by_label_contains("Seq Scan on shipments").is_some());
    assert!(h.query_by_label_contains("Index Scan using").is_some());
    let accept = h.get_all_by_label("Accept").next().expect("Accept");
    accept.scroll_to_me();
    h.run_steps(1);
    h.get_all_by_label("Accept").next().unwrap().click();
    h.run_steps(3);
    let t = h.state().doc.project().table(shipments).unwrap();
    assert!(t.indexes.iter().any(|i| i.name == name), "accepted");
    key(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(*h.state().doc.project() == before, "one undo step");
}

/// A long PostgreSQL run shows its stage and stops on Cancel, changing nothing.
#[test]
fn postgres_engine_run_shows_its_stage_and_cancels() {
    let Some(s) = dbs::server(dbs::Engine::Postgres, "postgres_engine_cancel") else {
        return;
    };
    let url = format!(
        "postgres://{}@{}:{}/postgres?scratch=1",
        s.user,
        s.host,
        s.port.unwrap_or(5432)
    );
    let p = crowfoot::samples::generated::build(120, 10, 3);
    // A short workload (the button stays in view); the big project keeps the run busy.
    let workload: String = crowfoot::samples::generated::workload(&p, 60, 3)
        .split_inclusive(';')
        .take(4)
        .collect();
    let first = p.tables().next().unwrap().id;
    let mut h = harness(p);
    h.state_mut().prefs.show_bottom = false;
    h.state_mut().sel.tables = [first].into();
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    h.run_steps(2);
    h.get_by_label("PostgreSQL server").click();
    h.run_steps(2);
    {
        let ix = &mut h.state_mut().indexes;
        ix.workload = workload;
        ix.pg.url = url;
    }
    h.run_steps(2);
    let before = h.state().doc.project().clone();
    h.get_by_label("Run advisor").scroll_to_me();
    h.run_steps(1);
    h.get_by_label("Run advisor").click();
    h.run_steps(2);
    assert!(
        h.state().indexes.pg.job.is_some(),
        "running: {:?}",
        h.state().indexes.pg.error
    );
    let stage = h.state().indexes.pg.job.as_ref().unwrap().control.stage();
    assert!(!stage.is_empty(), "a stage is shown");
    let control = std::sync::Arc::clone(&h.state().indexes.pg.job.as_ref().unwrap().control);
    h.get_by_label("Cancel").click();
    h.step();
    assert!(control.is_cancelled(), "Cancel asks the run to stop");
    let start = std::time::Instant::now();
    while h.state().indexes.pg.job.is_some() {
        assert!(start.elapsed() < std::time::Duration::from_secs(120));
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
    }
    assert_eq!(
        h.state().indexes.pg.error.as_deref(),
        Some("Cancelled: nothing was suggested")
    );
    assert!(h.state().indexes.pg.advice.is_none());
    assert!(*h.state().doc.project() == before);
}
