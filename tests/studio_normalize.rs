//! The Normalize tab through egui_kittest: select a table on the canvas, declare dependencies
//! by typing (with Tab completion), read the normal form and its badge on the card, preview
//! and apply a BCNF decomposition, see the new tables, undo.

use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::*;
#[path = "support/panel_harness.rs"]
mod panel_harness;

use egui::accesskit::Role;
use egui::{Key, Modifiers, Pos2, Vec2};
use egui_kittest::kittest::Queryable;
use panel_harness::*;

fn orders_project() -> (Project, TableId) {
    let mut b = ProjectBuilder::new("sales");
    let orders = b.table("orders", |t| {
        t.at(40.0, 40.0);
        t.col("order_id", LogicalType::BigInt).pk();
        t.col("customer_id", LogicalType::BigInt).not_null();
        t.col("customer_email", LogicalType::Text).tag("pii");
        t.col("product_code", LogicalType::Varchar(Some(20)))
            .not_null();
        t.col("product_title", LogicalType::Text);
        t.col("quantity", LogicalType::Integer).not_null();
    });
    (b.build(), orders)
}

/// The dependency text field of the Normalize tab (the right panel's only text input).
fn dependency_field(h: &H) -> Pos2 {
    h.get_all_by_role(Role::TextInput)
        .map(|n| n.rect())
        .filter(|r| r.min.x > 900.0)
        .map(|r| r.center())
        .next()
        .expect("the dependency field is shown")
}

fn badge(h: &mut H, t: TableId) -> Option<&'static str> {
    let s = h.state_mut();
    let doc = &s.doc;
    s.canvas
        .cards(doc)
        .iter()
        .find(|c| c.id == t)
        .and_then(|c| c.badge)
}

#[test]
fn declare_dependencies_decompose_to_bcnf_and_undo() {
    let (project, orders) = orders_project();
    let mut h = harness(project);
    key(&mut h, Modifiers::NONE, Key::F);
    h.run_steps(2);
    // Select the table by clicking its card header.
    let card = h.get_by_role_and_label(Role::Group, "orders").rect();
    click(&mut h, card.center_top() + Vec2::new(0.0, 8.0));
    assert_eq!(h.state().sel.single(), Some(orders));
    h.get_by_label("Normalize").click();
    h.run_steps(2);
    assert!(h.query_by_label("No violations.").is_some());
    assert_eq!(
        badge(&mut h, orders),
        None,
        "no badge without declared dependencies"
    );

    // A typo is reported with its column, nothing is declared.
    let field = dependency_field(&h);
    click(&mut h, field);
    type_text(&mut h, "customer_id -> nope");
    key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    assert!(
        h.state()
            .doc
            .project()
            .table(orders)
            .unwrap()
            .dependencies
            .is_empty()
    );
    assert!(
        h.state()
            .normalize
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("column 16:")),
        "{:?}",
        h.state().normalize.error
    );

    // Declare customer_id -> customer_email, completing names with Tab.
    key(&mut h, Modifiers::COMMAND, Key::A);
    type_text(&mut h, "customer_i");
    key(&mut h, Modifiers::NONE, Key::Tab);
    type_text(&mut h, " -> customer_e");
    key(&mut h, Modifiers::NONE, Key::Tab);
    assert_eq!(h.state().normalize.input, "customer_id -> customer_email");
    key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    // The field keeps focus for the next one.
    type_text(&mut h, "product_code -> product_title");
    key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    let deps = &h.state().doc.project().table(orders).unwrap().dependencies;
    assert_eq!(deps.len(), 2, "{deps:?} {}", h.state().status);
    assert!(h.state().normalize.input.is_empty());

    // The verdict: 2NF (transitive dependencies on the key), explained; badge on the card.
    assert_eq!(badge(&mut h, orders), Some("2NF"));
    assert!(h.query_by_label("Violations (2)").is_some());

    // Decompose to BCNF: preview first, then apply.
    h.get_by_label("Decompose (BCNF)").click();
    h.run_steps(2);
    assert!(
        h.query_by_label("customers(customer_id PK, customer_email)")
            .is_some()
    );
    assert!(
        h.query_by_label("products(product_code PK, product_title)")
            .is_some()
    );
    assert_eq!(
        h.state().doc.project().table_count(),
        1,
        "preview changes nothing"
    );
    h.get_by_label("Apply").click();
    h.run_steps(3);
    let p = &h.state().doc.project();
    assert_eq!(p.table_count(), 3, "{}", h.state().status);
    assert_eq!(p.foreign_key_count(), 2);
    let names: Vec<String> = p.tables().map(|t| t.name.clone()).collect();
    assert!(names.contains(&"customers".to_string()), "{names:?}");
    // The new tables are on the canvas, and every table is in BCNF.
    key(&mut h, Modifiers::NONE, Key::F);
    h.run_steps(2);
    for name in ["orders", "customers", "products"] {
        assert!(h.query_by_label(name).is_some(), "{name} drawn");
    }
    assert_eq!(
        badge(&mut h, orders),
        None,
        "orders has no dependencies left to check"
    );
    let customers = h
        .state()
        .doc
        .project()
        .tables()
        .find(|t| t.name == "customers")
        .unwrap()
        .id;
    assert_eq!(badge(&mut h, customers), Some("BCNF"));

    // One undo step brings the single table back, dependencies included.
    assert_eq!(h.state().doc.undo_label(), Some("Decompose orders (BCNF)"));
    key(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    let p = &h.state().doc.project();
    assert_eq!(p.table_count(), 1);
    assert_eq!(p.table(orders).unwrap().dependencies.len(), 2);
    assert_eq!(badge(&mut h, orders), Some("2NF"));
}

/// Discovery on a CSV sample runs off the UI thread; candidates already implied by the key are
/// hidden; ticking one and accepting declares it (with where it came from); undo removes it.
#[test]
fn discover_from_a_csv_sample_and_accept() {
    use crowfoot::ui::discovery::Source;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("orders.csv");
    let mut text = String::from(
        "order_id,customer_id,customer_email,product_code,product_title,quantity,note\n",
    );
    for i in 0..60 {
        let c = i % 7;
        let p = i % 5;
        text.push_str(&format!(
            "{i},{c},c{c}@example.com,P{p},Product {p},{},\"{}\"\n",
            i % 4 + 1,
            ["red, green, blue", "green, blue", "blue, red, green, white"][i % 3]
        ));
    }
    std::fs::write(&csv, text).unwrap();

    let (project, orders) = orders_project();
    let mut h = harness(project);
    // Room for the whole tab without scrolling.
    h.state_mut().prefs.show_bottom = false;
    h.state_mut().sel.tables.insert(orders);
    key(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::N);
    h.run_steps(2);
    h.state_mut()
        .normalize
        .start(orders, Source::Csv(csv), None);
    let t0 = std::time::Instant::now();
    while h.state().normalize.job.is_some() {
        assert!(t0.elapsed().as_secs() < 20, "discovery finishes");
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    h.run_steps(2);
    let found = &h.state().normalize.found.as_ref().expect("found").1;
    assert_eq!(found.rows, 60);
    assert!(found.fds.contains(&(
        vec!["customer_id".to_string()],
        "customer_email".to_string()
    )));
    // The list-valued `note` column (not in the table) gets a 1NF hint; its dependencies are
    // counted as unmatched.
    assert!(
        found.hints.iter().any(|h| h.columns == ["note"]),
        "{:?}",
        found.hints
    );
    assert!(
        h.query_by_label_contains("use columns this table does not have")
            .is_some()
    );
    // order_id -> everything follows from the primary key: not offered.
    assert!(h.query_by_label("order_id -> customer_id").is_none());
    for label in [
        "customer_id -> customer_email",
        "product_code -> product_title",
    ] {
        h.get_by_label(label).scroll_to_me();
        h.run_steps(2);
        h.get_by_label(label).click();
        h.run_steps(1);
    }
    h.get_by_label("Accept selected (2)").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Accept selected (2)").click();
    h.run_steps(2);

    let deps = &h.state().doc.project().table(orders).unwrap().dependencies;
    assert_eq!(deps.len(), 2, "{deps:?} {}", h.state().status);
    assert!(
        deps.iter()
            .all(|d| d.note.as_deref() == Some("holds on orders.csv (60 rows)"))
    );
    assert_eq!(badge(&mut h, orders), Some("2NF"));
    key(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(
        h.state()
            .doc
            .project()
            .table(orders)
            .unwrap()
            .dependencies
            .is_empty()
    );
}
