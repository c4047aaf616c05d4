//! Issue 15: panels read a `View` and return `Request`s; `Studio::handle` carries them out in one
//! place, with one status line (an applied edit shows its label, a failed one its error).

use crowfoot::model::*;
use crowfoot::ui::document::Document;
use crowfoot::ui::inspector::Inspector;
use crowfoot::ui::request::Done;
use crowfoot::ui::selection::Selection;
use crowfoot::ui::studio::Prefs;
use crowfoot::ui::{Request, View};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
#[path = "support/panel_harness.rs"]
mod panel_harness;

use panel_harness::*;

#[test]
fn a_failed_edit_shows_its_error_and_drops_what_was_to_follow() {
    let mut h = harness(crowfoot::samples::shop::build());
    let customers = id_of(&h, "customers");
    let version = h.state().doc.version();
    send(
        &mut h,
        vec![Request::ApplyThen(
            Command::RemoveTable(TableId(987_654_321)),
            vec![
                Request::Status("not shown".into()),
                Request::SelectOnly(vec![customers]),
            ],
        )],
    );
    let s = h.state();
    let label = Command::RemoveTable(TableId(987_654_321)).label();
    assert!(
        s.status.starts_with(&format!("{label}: ")) && s.status.len() > label.len() + 2,
        "the error is in the status line: {:?}",
        s.status
    );
    assert_eq!(s.doc.version(), version, "nothing changed");
    assert!(s.sel.tables.is_empty(), "what was to follow was dropped");
}

#[test]
fn an_edit_that_went_through_shows_its_label_and_carries_out_what_follows() {
    let mut h = harness(crowfoot::samples::shop::build());
    let p = h.state().doc.project().clone();
    let new = Request::new_table_at(&p, Position { x: 10.0, y: 20.0 });
    send(&mut h, vec![new]);
    let s = h.state();
    let t = s
        .doc
        .project()
        .table_by_name(None, "table_1")
        .expect("new table");
    assert_eq!(s.status, format!("Add table {}", t.name), "its label");
    assert_eq!(s.sel.tables.iter().copied().collect::<Vec<_>>(), [t.id]);
    assert_eq!(
        s.canvas.rename.as_ref().map(|r| r.table),
        Some(t.id),
        "being renamed"
    );
}

#[test]
fn merging_edits_are_one_undo_step_and_report_like_the_others() {
    let mut h = harness(crowfoot::samples::shop::build());
    let customers = id_of(&h, "customers");
    for name in ["c", "cl", "clients"] {
        send(
            &mut h,
            vec![Request::ApplyMerging(
                Command::RenameTable {
                    table: customers,
                    schema: None,
                    name: name.into(),
                },
                format!("tname{customers}"),
            )],
        );
    }
    assert_eq!(
        h.state().doc.project().table(customers).unwrap().name,
        "clients"
    );
    assert_eq!(h.state().status, "Rename table to clients");
    send(
        &mut h,
        vec![Request::Run(crowfoot::ui::actions::Action::Undo)],
    );
    assert_eq!(
        h.state().doc.project().table(customers).unwrap().name,
        "customers",
        "one undo step"
    );
    // A failing merging edit reports its error too.
    let version = h.state().doc.version();
    let gone = TableId(987_654_321);
    send(
        &mut h,
        vec![Request::ApplyMerging(
            Command::RenameTable {
                table: gone,
                schema: None,
                name: "nobody".into(),
            },
            format!("tname{gone}"),
        )],
    );
    let s = h.state();
    assert!(
        s.status.starts_with("Rename table to nobody: "),
        "{:?}",
        s.status
    );
    assert_eq!(s.doc.version(), version);
}

#[test]
fn a_panel_reads_a_view_and_returns_its_edits() {
    let project = crowfoot::samples::shop::build();
    let customers = project.table_by_name(None, "customers").unwrap().id;
    let columns = project.table(customers).unwrap().columns.len();
    let doc = Document::new(project, None);
    let version = doc.version();
    let sel = Selection {
        tables: [customers].into(),
        column: None,
    };
    let prefs = Prefs::default();
    let mut inspector = Inspector::default();
    let mut got = Vec::new();
    let mut h = Harness::builder()
        .with_size(egui::vec2(400.0, 800.0))
        .build_ui(|ui| {
            let view = View {
                doc: &doc,
                sel: &sel,
                prefs: &prefs,
                comparison: None,
                import_report: None,
                problems: &[],
                ddl: None,
            };
            got.extend(inspector.ui(&view, ui));
        });
    h.run();
    h.get_by_label("+ Add column").click();
    h.run();
    drop(h);
    assert_eq!(doc.version(), version, "the panel changed nothing itself");
    let [
        Request::ApplyThen(
            Command::AddColumn {
                table,
                index,
                column,
            },
            then,
        ),
    ] = &got[..]
    else {
        panic!("one new column: {got:?}");
    };
    assert_eq!((*table, *index), (customers, columns));
    assert_eq!(column.name, "column_1");
    assert!(
        matches!(
            &then[..],
            [Request::SelectColumn(t, c), Request::FocusColumn(f)]
                if *t == customers && *c == column.id && *f == column.id
        ),
        "{then:?}"
    );
}

#[test]
fn a_panel_follow_up_waits_for_its_edit() {
    // A saved index draft closes once the index was added (`Done::IndexSaved`), not before.
    let mut h = harness(crowfoot::samples::shop::build());
    let customers = id_of(&h, "customers");
    h.state_mut().indexes.draft = Some(crowfoot::ui::indexes::Draft {
        table: customers,
        editing: None,
        name: "x".into(),
        auto_name: false,
        parts: Vec::new(),
        unique: false,
        method: None,
        where_clause: String::new(),
        include: Default::default(),
        error: None,
    });
    send(
        &mut h,
        vec![Request::ApplyThen(
            Command::RemoveTable(TableId(987_654_321)),
            vec![Request::Done(Done::IndexSaved)],
        )],
    );
    assert!(h.state().indexes.draft.is_some(), "kept: the edit failed");
    let p = h.state().doc.project().clone();
    let add = Request::add_column(&p, customers).unwrap();
    let Request::ApplyThen(cmd, _) = add else {
        unreachable!()
    };
    send(
        &mut h,
        vec![Request::ApplyThen(
            cmd,
            vec![Request::Done(Done::IndexSaved)],
        )],
    );
    assert!(
        h.state().indexes.draft.is_none(),
        "closed: the edit went through"
    );
}
