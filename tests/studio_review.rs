//! Review comments in the inspector and presenter mode, through egui_kittest.

use crowfoot::model::*;
#[path = "support/panel_harness.rs"]
mod panel_harness;
#[path = "support/run.rs"]
mod run;

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::Queryable;
use panel_harness::*;

fn table<'a>(h: &'a H, name: &str) -> &'a Table {
    h.state().doc.project().table_by_name(None, name).unwrap()
}

#[test]
fn comment_on_a_table_resolve_and_undo() {
    let mut h = harness(crowfoot::samples::shop::build());
    h.state_mut().prefs.show_bottom = false;
    h.state_mut().prefs.reviewer = "ana".into();
    h.get_by_label("customers  ·7").click();
    h.run_steps(3);
    // The review field is the lowest text field of the inspector.
    let field = h
        .get_all_by_role(Role::TextInput)
        .filter(|n| n.rect().min.x > 900.0)
        .max_by(|a, b| a.rect().min.y.total_cmp(&b.rect().min.y))
        .expect("review field")
        .rect()
        .center();
    h.input_mut().events.push(Event::PointerMoved(field));
    h.step();
    for pressed in [true, false] {
        h.input_mut().events.push(Event::PointerButton {
            pos: field,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.input_mut().events.push(Event::Text(
        "Split full_name into given and family names?".into(),
    ));
    h.step();
    key(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    let t = table(&h, "customers");
    assert_eq!(t.review.len(), 1, "{:?}", h.state().status);
    assert_eq!(t.review[0].author, "ana");
    assert!(!t.review[0].resolved);
    assert!(card_description(&h, "customers").contains("1 open review comment"));
    assert!(h.query_by_label("Review (1 open)").is_some());
    // Resolve it with the checkbox on its row.
    h.get_by_label("Split full_name into given and family names?")
        .scroll_to_me();
    h.run_steps(2);
    // The checkbox on the comment's row.
    let y = h
        .get_by_label("Split full_name into given and family names?")
        .rect()
        .center()
        .y;
    h.get_all_by_role(Role::CheckBox)
        .find(|n| (n.rect().center().y - y).abs() < 4.0)
        .expect("the comment's checkbox")
        .click();
    h.run_steps(2);
    assert!(table(&h, "customers").review[0].resolved);
    assert!(h.query_by_label("Review (0 open)").is_some());
    assert!(!card_description(&h, "customers").contains("review comment"));
    // Saved with the project.
    let text = crowfoot::project_file::to_ron_string(h.state().doc.project());
    assert!(text.contains("Split full_name into given and family names?"));
    // Two undos: reopened, then gone.
    key(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(1);
    assert!(!table(&h, "customers").review[0].resolved);
    key(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(1);
    assert!(table(&h, "customers").review.is_empty());
}

#[test]
fn presenter_mode_steps_through_saved_views_and_highlights() {
    let mut h = harness(crowfoot::samples::shop::build());
    let orders = table(&h, "orders").id;
    let payments = table(&h, "payments").id;
    // Two saved views: the whole diagram, then orders highlighted at 120 %.
    {
        let s = h.state_mut();
        let mut settings = s.doc.project().settings().clone();
        settings.saved_views = vec![
            SavedView {
                name: "Overview".into(),
                center: Position { x: 800.0, y: 600.0 },
                zoom: 0.4,
                highlight: vec![],
            },
            SavedView {
                name: "Orders".into(),
                center: Position { x: 300.0, y: 900.0 },
                zoom: 1.2,
                highlight: vec![orders],
            },
        ];
        s.apply(Command::SetSettings(Box::new(settings)));
    }
    h.run_steps(2);
    assert!(h.query_by_label("Tables").is_some());
    key(&mut h, Modifiers::NONE, Key::F5);
    h.run_steps(2);
    assert!(h.state().presenting.is_some());
    assert_eq!(h.ctx.zoom_factor(), 1.3);
    // Editing chrome is gone; the first view is shown with its caption.
    assert!(h.query_by_label("Tables").is_none());
    assert!(h.query_by_label("Inspector").is_none());
    assert!(h.query_by_label("Overview (1/2)").is_some());
    assert_eq!(h.state().canvas.zoom, 0.4);
    // Plain keys no longer edit: T would add a table.
    let n = h.state().doc.project().table_count();
    key(&mut h, Modifiers::NONE, Key::T);
    assert_eq!(h.state().doc.project().table_count(), n);
    // → goes to the next view: its zoom, its highlight (orders and its neighbours).
    key(&mut h, Modifiers::NONE, Key::ArrowRight);
    h.run_steps(2);
    assert!(h.query_by_label("Orders (2/2)").is_some());
    assert_eq!(h.state().canvas.zoom, 1.2);
    let em = h.state().canvas.emphasis.clone().expect("highlight");
    assert!(em.contains(&orders) && em.contains(&payments), "{em:?}");
    assert!(!em.contains(&table(&h, "suppliers").id));
    // The centre of the screen shows the view's centre.
    let c = h
        .state()
        .canvas
        .to_canvas(h.state().canvas.viewport.center());
    assert!(
        (c.x - 300.0).abs() < 1.0 && (c.y - 900.0).abs() < 1.0,
        "{c:?}"
    );
    // → at the last view stays; ← goes back.
    key(&mut h, Modifiers::NONE, Key::ArrowRight);
    assert!(h.query_by_label("Orders (2/2)").is_some());
    key(&mut h, Modifiers::NONE, Key::ArrowLeft);
    h.run_steps(1);
    assert!(h.query_by_label("Overview (1/2)").is_some());
    // L toggles the laser pointer.
    key(&mut h, Modifiers::NONE, Key::L);
    assert!(h.state().presenting.as_ref().unwrap().laser);
    // Esc leaves: chrome back, zoom factor back.
    key(&mut h, Modifiers::NONE, Key::Escape);
    h.run_steps(2);
    assert!(h.state().presenting.is_none());
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    assert!(h.query_by_label("Tables").is_some());
    assert!(h.state().canvas.emphasis.is_none());
}

#[test]
fn save_view_is_undoable() {
    let mut h = harness(crowfoot::samples::shop::build());
    let orders = table(&h, "orders").id;
    h.state_mut().sel.tables.insert(orders);
    h.state_mut().save_view();
    h.run_steps(1);
    let v = &h.state().doc.project().settings().saved_views;
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].name, "View 1");
    assert_eq!(v[0].highlight, vec![orders]);
    key(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(h.state().doc.project().settings().saved_views.is_empty());
}

/// Compare with an older version of the project: added tables outlined green, changed ones
/// amber, the change list in the bottom panel; a click on a line goes to its table; Clear.
#[test]
fn compare_with_an_older_version() {
    let dir = tempfile::tempdir().unwrap();
    let old_path = dir.path().join("old.ron");
    let old = crowfoot::samples::shop::build();
    crowfoot::project_file::save(&old, &old_path).unwrap();
    // The open project: one table more, one column more.
    let mut now = old.clone();
    let tid = TableId(now.alloc_id());
    let mut t = Table::new(tid, "gift_cards");
    let cid = ColumnId(now.alloc_id());
    t.columns.push(Column::new(cid, "id", LogicalType::BigInt));
    t.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec![cid],
    });
    Command::AddTable(Box::new(t)).apply(&mut now).unwrap();
    let orders = now.table_by_name(None, "orders").unwrap().id;
    let col = Column::new(
        ColumnId(now.alloc_id()),
        "gift_card_id",
        LogicalType::BigInt,
    );
    let n = now.table(orders).unwrap().columns.len();
    Command::AddColumn {
        table: orders,
        index: n,
        column: Box::new(col),
    }
    .apply(&mut now)
    .unwrap();

    let mut h = harness(now);
    h.state_mut().compare_with(&old_path);
    h.run_steps(2);
    let c = h.state().comparison.clone().expect("compared");
    assert!(c.added.contains(&tid));
    assert_eq!(c.changed.keys().copied().collect::<Vec<_>>(), vec![orders]);
    assert!(
        c.changed[&orders]
            .iter()
            .any(|l| l == "+ column orders.gift_card_id"),
        "{c:?}"
    );
    assert_eq!(h.state().canvas.marks.len(), 2);
    assert!(h.query_by_label("Changes (2)").is_some());
    h.get_by_label("+ column orders.gift_card_id").click();
    h.run_steps(2);
    assert_eq!(h.state().sel.single(), Some(orders));
    h.get_by_label("Clear").click();
    h.run_steps(2);
    assert!(h.state().comparison.is_none());
    assert!(h.state().canvas.marks.is_empty());
}

/// The Export menu offers the hand-off formats next to DDL (each writes what `crowfoot
/// render` / `export --to` / `doc` write, tested in tests/exports.rs; the file dialog itself
/// cannot run headless).
#[test]
fn export_menu_offers_every_hand_off_format() {
    let mut h = harness(crowfoot::samples::shop::build());
    h.get_by_label("Export").click();
    h.run_steps(2);
    for item in [
        "Export DDL…",
        "Diagram as SVG…",
        "Diagram as PNG…",
        "DBML…",
        "Mermaid ER diagram…",
        "Data dictionary (Markdown)…",
    ] {
        assert!(h.query_by_label(item).is_some(), "{item}");
    }
}

/// Compare with a git revision of the project file: what changed since HEAD is outlined and
/// listed; a bad revision is reported, nothing else changes.
#[test]
fn compare_with_a_git_revision() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let git = |args: &[&str]| run::git(d, args).status.success();
    assert!(git(&["init", "-q", "-b", "main"]));
    let path = d.join("shop.ron");
    let committed = crowfoot::samples::shop::build();
    crowfoot::project_file::save(&committed, &path).unwrap();
    let _ = std::fs::remove_file(crowfoot::project_file::backup_path(&path));
    assert!(git(&["add", "shop.ron"]));
    assert!(git(&["commit", "-qm", "base"]));

    let mut now = committed.clone();
    let orders = now.table_by_name(None, "orders").unwrap().id;
    Command::SetTableComment {
        table: orders,
        comment: Some("Checkout records.".into()),
    }
    .apply(&mut now)
    .unwrap();
    let mut h = harness(now);
    h.state_mut().doc.path = Some(path.clone());
    h.state_mut().compare_with_revision("no-such-rev");
    assert!(h.state().comparison.is_none());
    assert!(
        h.state().status.starts_with("Compare with no-such-rev:"),
        "{}",
        h.state().status
    );
    h.state_mut().compare_with_revision("HEAD");
    h.run_steps(2);
    let c = h.state().comparison.clone().expect("compared");
    assert_eq!(c.other, "HEAD");
    assert_eq!(c.changed.keys().copied().collect::<Vec<_>>(), vec![orders]);
    assert!(h.query_by_label("Changes (1)").is_some());
}
