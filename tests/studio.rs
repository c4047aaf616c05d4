//! Studio UI tests through egui_kittest: real pointer and keyboard events (double-clicks, drags,
//! shortcuts, typing) on the canvas and inspector, with assertions on the model.
//!
//! Input is fed frame by frame with [`frame`] (every call is one egui pass with exactly the given
//! raw events), so gestures are deterministic: a click is hover / press / release in three
//! frames, a double-click's releases are 0.1 s apart (step_dt 0.05 s, egui needs < 0.3 s), and a
//! drag moves in several frames so that egui sees it start, move and stop.

use crowfoot::analysis::check;
use crowfoot::diagram::geometry::HEADER_H;
use crowfoot::model::*;
use crowfoot::ui::Studio;
use crowfoot::ui::studio::Confirm;
use egui::accesskit::Role;
use egui::{
    Event, Key, Modifiers, MouseWheelUnit, PointerButton, Pos2, Rect, TouchPhase, Vec2, pos2, vec2,
};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::collections::BTreeSet;
use std::time::Duration;

type H = Harness<'static, Studio>;

const WINDOW: Vec2 = vec2(1400.0, 900.0);

fn harness(project: Project) -> H {
    let mut h = Harness::builder()
        .with_size(WINDOW)
        .with_step_dt(0.05)
        .build_ui_state(|ui, s: &mut Studio| s.ui(ui), Studio::new(project, None));
    settle(&mut h);
    h
}

// ----- raw input -----

/// Run exactly one frame with these raw events.
fn frame(h: &mut H, events: impl IntoIterator<Item = Event>) {
    h.input_mut().events.extend(events);
    h.step();
}

/// A few frames without input (lets focus requests, modals and layout settle).
fn settle(h: &mut H) {
    h.run_steps(3);
}

fn button(pos: Pos2, button: PointerButton, pressed: bool, modifiers: Modifiers) -> Event {
    Event::PointerButton {
        pos,
        button,
        pressed,
        modifiers,
    }
}

fn primary(pos: Pos2, pressed: bool, modifiers: Modifiers) -> Event {
    button(pos, PointerButton::Primary, pressed, modifiers)
}

fn click(h: &mut H, p: Pos2) {
    frame(h, [Event::PointerMoved(p)]);
    frame(h, [primary(p, true, Modifiers::NONE)]);
    frame(h, [primary(p, false, Modifiers::NONE)]);
}

fn double_click(h: &mut H, p: Pos2) {
    // Wait 0.65 s first: egui counts a third click within 0.6 s as a triple click.
    h.run_steps(13);
    frame(h, [Event::PointerMoved(p)]);
    for _ in 0..2 {
        frame(h, [primary(p, true, Modifiers::NONE)]);
        frame(h, [primary(p, false, Modifiers::NONE)]);
    }
}

/// Press at `from`, move to `to` in several frames, release, with `modifiers` held throughout.
/// `before_release` runs on the frame before the button goes up.
fn drag_with(
    h: &mut H,
    from: Pos2,
    to: Pos2,
    modifiers: Modifiers,
    before_release: impl FnOnce(&mut H),
) {
    frame(
        h,
        [
            Event::ModifiersChanged(modifiers),
            Event::PointerMoved(from),
        ],
    );
    frame(h, [primary(from, true, modifiers)]);
    const STEPS: usize = 6;
    for i in 1..=STEPS {
        frame(
            h,
            [Event::PointerMoved(from.lerp(to, i as f32 / STEPS as f32))],
        );
    }
    before_release(h);
    frame(h, [primary(to, false, modifiers)]);
    frame(
        h,
        [Event::ModifiersChanged(Modifiers::NONE), Event::PointerGone],
    );
}

fn drag(h: &mut H, from: Pos2, to: Pos2, modifiers: Modifiers) {
    drag_with(h, from, to, modifiers, |_| {});
}

fn key_events(modifiers: Modifiers, key: Key) -> [Event; 3] {
    let k = |pressed| Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    };
    [Event::ModifiersChanged(modifiers), k(true), k(false)]
}

/// Press and release `key` with `modifiers` (held until the next frame, like a real keyboard).
fn key(h: &mut H, modifiers: Modifiers, k: Key) {
    frame(h, key_events(modifiers, k));
    if modifiers != Modifiers::NONE {
        frame(h, [Event::ModifiersChanged(Modifiers::NONE)]);
    }
}

fn type_text(h: &mut H, text: &str) {
    frame(h, [Event::Text(text.to_string())]);
}

/// Replace the text of the focused single-line field and confirm with Enter.
fn replace_text(h: &mut H, text: &str) {
    key(h, Modifiers::COMMAND, Key::A);
    type_text(h, text);
    key(h, Modifiers::NONE, Key::Enter);
    settle(h);
}

fn undo(h: &mut H) {
    key(h, Modifiers::COMMAND, Key::Z);
}

fn redo(h: &mut H) {
    key(h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
}

// ----- model and canvas look-ups -----

fn project(h: &H) -> &Project {
    h.state().doc.project()
}

fn table_id(h: &H, name: &str) -> TableId {
    project(h)
        .table_by_name(None, name)
        .unwrap_or_else(|| panic!("no table {name}"))
        .id
}

fn table(h: &H, t: TableId) -> &Table {
    project(h).table(t).expect("table exists")
}

fn column_id(h: &H, t: TableId, name: &str) -> ColumnId {
    table(h, t)
        .columns
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .id
}

fn card(h: &H, t: TableId) -> Rect {
    h.state()
        .canvas
        .card_screen_rect(t)
        .expect("card is on the canvas")
}

/// Middle of a card's header (the title bar).
fn header_pos(h: &H, t: TableId) -> Pos2 {
    let r = card(h, t);
    pos2(
        r.center().x,
        r.min.y + HEADER_H * h.state().canvas.zoom * 0.5,
    )
}

/// (row centre, link port) of a column's row.
fn row_pos(h: &H, t: TableId, c: ColumnId) -> (Pos2, Pos2) {
    let s = h.state();
    s.canvas
        .row_screen_pos(&s.doc, t, c)
        .expect("row is on the canvas")
}

fn table_ids(h: &H) -> BTreeSet<TableId> {
    project(h).tables().map(|t| t.id).collect()
}

fn dangling_problems(p: &Project) -> Vec<check::Problem> {
    check::check(p, Dialect::Postgres)
        .into_iter()
        .filter(|pr| pr.code == "CF001")
        .collect()
}

fn repaint_delay(h: &H) -> Duration {
    h.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay
}

/// Undo every step in the history (fails after 100 000 steps).
fn undo_all(h: &mut H) -> usize {
    let mut n = 0;
    while h.state().doc.can_undo() {
        h.state_mut().doc.undo().expect("undo succeeds");
        n += 1;
        assert!(n < 100_000, "history does not end");
    }
    n
}

// ----- acceptance 1: build a model with gestures -----

/// How the workflow creates, renames and selects tables.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Gestures {
    /// Double-click empty canvas to create, double-click the header to rename, click it to select.
    Mouse,
    /// `T` to create (then drag the card into place), F2 to rename, the table list to select.
    Keyboard,
}

/// Create a table at `at` (screen), name it `name` in the inline rename field.
fn new_table(h: &mut H, g: Gestures, at: Pos2, name: &str) -> TableId {
    let before = table_ids(h);
    match g {
        Gestures::Mouse => double_click(h, at),
        Gestures::Keyboard => key(h, Modifiers::NONE, Key::T),
    }
    settle(h);
    let new: Vec<TableId> = table_ids(h).difference(&before).copied().collect();
    assert_eq!(new.len(), 1, "{g:?}: one table is created");
    let id = new[0];
    let t = table(h, id).clone();
    assert!(t.name.starts_with("table_"), "default name, got {}", t.name);
    assert_eq!(t.columns.len(), 1);
    assert_eq!(t.columns[0].name, "id");
    assert_eq!(t.columns[0].ty, LogicalType::BigInt);
    assert_eq!(
        t.primary_key.as_ref().map(|k| k.columns.clone()),
        Some(vec![t.columns[0].id])
    );
    assert_eq!(
        h.state().sel.single(),
        Some(id),
        "the new table is selected"
    );
    assert_eq!(
        h.state().canvas.rename.as_ref().map(|r| r.table),
        Some(id),
        "the inline rename field is open"
    );
    if g == Gestures::Mouse {
        let c = h.state().canvas.to_canvas(at);
        assert_eq!(
            (t.position.x, t.position.y),
            (c.x.round(), c.y.round()),
            "the card is placed where the canvas was double-clicked"
        );
    }
    replace_text(h, name);
    assert_eq!(table(h, id).name, name, "renamed in place");
    assert!(h.state().canvas.rename.is_none(), "Enter closes the field");
    if g == Gestures::Keyboard {
        // `T` puts the card in the middle of the view: drag it to where it belongs.
        let from = header_pos(h, id);
        let delta = at - card(h, id).min;
        drag(h, from, from + delta, Modifiers::NONE);
        settle(h);
        let r = card(h, id);
        assert!(
            (r.min - at).length() < 1.5,
            "card dragged to {at:?}, is at {:?}",
            r.min
        );
    }
    id
}

fn select_only(h: &mut H, g: Gestures, t: TableId) {
    match g {
        Gestures::Mouse => {
            let p = header_pos(h, t);
            click(h, p)
        }
        Gestures::Keyboard => {
            let label = format!("{}  ·{}", table(h, t).name, table(h, t).columns.len());
            h.get_by_label(&label).click();
            h.step();
        }
    }
    settle(h);
    assert_eq!(h.state().sel.tables, BTreeSet::from([t]), "{g:?}: selected");
}

fn rename_table(h: &mut H, g: Gestures, t: TableId, name: &str) {
    match g {
        Gestures::Mouse => {
            let p = header_pos(h, t);
            double_click(h, p)
        }
        Gestures::Keyboard => {
            select_only(h, g, t);
            key(h, Modifiers::NONE, Key::F2);
        }
    }
    settle(h);
    assert_eq!(
        h.state().canvas.rename.as_ref().map(|r| r.table),
        Some(t),
        "{g:?}: rename field opens"
    );
    replace_text(h, name);
    assert_eq!(table(h, t).name, name);
}

fn workflow(g: Gestures) {
    let mut h = harness(Project::new("t"));
    let vp = h.state().canvas.viewport;
    assert!(vp.width() > 600.0 && vp.height() > 400.0, "canvas {vp:?}");

    // Two tables.
    let authors = new_table(&mut h, g, vp.min + vec2(60.0, 80.0), "authors");
    let books = new_table(&mut h, g, vp.min + vec2(420.0, 60.0), "books");
    let authors_id = column_id(&h, authors, "id");
    assert_eq!(h.state().sel.single(), Some(books));

    // A column with the `C` shortcut; its name field in the inspector has the focus.
    key(&mut h, Modifiers::NONE, Key::C);
    settle(&mut h);
    assert_eq!(table(&h, books).columns.len(), 2, "C adds a column");
    replace_text(&mut h, "author_id");
    let author_id = column_id(&h, books, "author_id");
    assert_eq!(
        table(&h, books).column(author_id).unwrap().ty,
        LogicalType::Varchar(Some(255))
    );

    // Drag from the row's port onto the authors card: the types differ, so the studio asks.
    let before_link = project(&h).clone();
    let (_, port) = row_pos(&h, books, author_id);
    let target = header_pos(&h, authors);
    drag(&mut h, port, target, Modifiers::NONE);
    settle(&mut h);
    assert!(
        matches!(h.state().confirm, Some(Confirm::RetypeAndLink { .. })),
        "type mismatch asks first"
    );
    assert_eq!(project(&h).foreign_key_count(), 0, "nothing linked yet");
    h.get_by_label("Change type and link").click();
    h.step();
    settle(&mut h);
    assert!(h.state().confirm.is_none());
    let fks: Vec<ForeignKey> = project(&h).foreign_keys().cloned().collect();
    assert_eq!(fks.len(), 1, "one foreign key");
    assert_eq!(fks[0].from_table, books);
    assert_eq!(fks[0].from_columns, vec![author_id]);
    assert_eq!(fks[0].to_table, authors);
    assert_eq!(fks[0].to_columns, vec![authors_id]);
    assert_eq!(
        table(&h, books).column(author_id).unwrap().ty,
        LogicalType::BigInt,
        "retyped to the key's type"
    );
    let after_link = project(&h).clone();

    // Undo takes back link and retype in one step; redo brings both back.
    undo(&mut h);
    assert_eq!(project(&h).foreign_key_count(), 0);
    assert!(
        *project(&h) == before_link,
        "undo restores the state before the link"
    );
    redo(&mut h);
    assert!(
        *project(&h) == after_link,
        "redo restores the link and the retype"
    );

    // A second column with the inspector button, typed with the type menu, linked without asking.
    if h.state().sel.single() != Some(books) {
        select_only(&mut h, g, books);
    }
    h.get_by_label("+ Add column").click();
    h.step();
    settle(&mut h);
    // Leave the focused name field with Enter (Escape would also clear the selection: egui drops
    // the focus before the studio sees the key, so it runs "Clear selection").
    key(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(table(&h, books).columns.len(), 3);
    let editor_id = table(&h, books).columns[2].id;
    h.get_by(|n| n.role() == Role::ComboBox && n.value().as_deref() == Some("varchar(255)"))
        .click();
    h.step();
    settle(&mut h);
    h.get_by_label("bigint").click();
    h.step();
    settle(&mut h);
    assert_eq!(
        table(&h, books).column(editor_id).unwrap().ty,
        LogicalType::BigInt,
        "type menu"
    );
    let (_, port) = row_pos(&h, books, editor_id);
    let (id_row, _) = row_pos(&h, authors, authors_id);
    drag(&mut h, port, id_row, Modifiers::NONE);
    settle(&mut h);
    assert!(h.state().confirm.is_none(), "same types: no question");
    assert_eq!(project(&h).foreign_key_count(), 2);
    let fk2 = project(&h)
        .foreign_keys_from(books)
        .into_iter()
        .find(|fk| fk.from_columns == [editor_id])
        .cloned()
        .expect("second foreign key");
    assert_eq!(
        (fk2.to_table, fk2.to_columns.clone()),
        (authors, vec![authors_id])
    );

    // Rename the referenced table: the foreign keys follow it (they hold ids, not names).
    rename_table(&mut h, g, authors, "writers");
    for fk in project(&h).foreign_keys() {
        assert_eq!(fk.to_table, authors);
        assert_eq!(table(&h, fk.to_table).name, "writers");
        assert!(table(&h, fk.to_table).column(fk.to_columns[0]).is_some());
    }
    assert!(dangling_problems(project(&h)).is_empty());
    let ddl = crowfoot::sql::export(project(&h), Dialect::Postgres).sql;
    assert!(
        ddl.contains("REFERENCES writers (id)"),
        "DDL uses the new name:\n{ddl}"
    );

    // Delete the referenced table alone: the studio asks, then removes it and its keys.
    select_only(&mut h, g, authors);
    let before_delete = project(&h).clone();
    key(&mut h, Modifiers::NONE, Key::Delete);
    settle(&mut h);
    assert!(
        matches!(h.state().confirm, Some(Confirm::DeleteReferenced { .. })),
        "deleting a referenced table asks first"
    );
    assert_eq!(project(&h).table_count(), 2);
    h.get_by_label("Delete").click();
    h.step();
    settle(&mut h);
    assert!(project(&h).table(authors).is_none(), "deleted");
    assert_eq!(project(&h).foreign_key_count(), 0, "its foreign keys too");
    assert_eq!(table(&h, books).columns.len(), 3, "books keeps its columns");
    undo(&mut h);
    assert!(*project(&h) == before_delete, "undo brings it back");

    // Box-select both (Shift+drag on empty canvas) and delete: nothing outside refers to
    // them, so no question.
    key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(
        h.state().sel.tables.is_empty(),
        "Escape clears the selection"
    );
    // Fit, then zoom out a step, so that there is empty canvas around both cards.
    key(&mut h, Modifiers::NONE, Key::F);
    key(&mut h, Modifiers::COMMAND, Key::Minus);
    settle(&mut h);
    let both = card(&h, authors).union(card(&h, books));
    let (from, to) = (both.min - vec2(30.0, 30.0), both.max + vec2(30.0, 30.0));
    assert!(
        vp.contains(from) && vp.contains(to),
        "box inside the canvas"
    );
    assert_eq!(
        h.state().canvas.hit(&h.state().doc, from),
        crowfoot::ui::canvas::Hit::Empty
    );
    drag(&mut h, from, to, Modifiers::SHIFT);
    settle(&mut h);
    assert_eq!(h.state().sel.tables, BTreeSet::from([authors, books]));
    let before_delete = project(&h).clone();
    key(&mut h, Modifiers::NONE, Key::Delete);
    settle(&mut h);
    assert!(h.state().confirm.is_none());
    assert_eq!(project(&h).table_count(), 0, "both deleted");
    assert_eq!(project(&h).foreign_key_count(), 0);
    undo(&mut h);
    assert!(*project(&h) == before_delete, "undo brings both back");
    assert!(dangling_problems(project(&h)).is_empty());

    // Save with Ctrl+S and reopen.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.ron");
    h.state_mut().doc.path = Some(path.clone());
    assert!(h.state().doc.is_dirty());
    key(&mut h, Modifiers::COMMAND, Key::S);
    settle(&mut h);
    assert!(!h.state().doc.is_dirty(), "status: {}", h.state().status);
    let reopened = crowfoot::project_file::load(&path).expect("saved file loads");
    assert!(
        reopened == *project(&h),
        "reopened project equals the studio's"
    );
    assert_eq!(reopened.table_count(), 2);
    assert_eq!(reopened.foreign_key_count(), 2);
}

#[test]
fn build_a_model_with_the_mouse() {
    workflow(Gestures::Mouse);
}

#[test]
fn build_a_model_with_keyboard_and_drags() {
    workflow(Gestures::Keyboard);
}

#[test]
fn canvas_clicks_select_and_double_click_creates() {
    let mut h = harness(crowfoot::samples::shop::build());
    let customers = table_id(&h, "customers");
    let p = header_pos(&h, customers);
    click(&mut h, p);
    assert_eq!(
        h.state().sel.tables,
        BTreeSet::from([customers]),
        "click selects"
    );
    let empty = empty_canvas_point(&h);
    click(&mut h, empty);
    assert!(
        h.state().sel.tables.is_empty(),
        "click on empty canvas clears"
    );
    let n = project(&h).table_count();
    double_click(&mut h, empty);
    settle(&mut h);
    assert_eq!(project(&h).table_count(), n + 1, "double-click creates");
}

/// A point of the canvas with no card under it (and away from the minimap corner).
fn empty_canvas_point(h: &H) -> Pos2 {
    let s = h.state();
    let vp = s.canvas.viewport;
    for iy in 1..20 {
        for ix in 1..20 {
            let p = vp.min + vec2(vp.width() * ix as f32, vp.height() * iy as f32) / 20.0;
            let around = [vec2(0.0, 0.0), vec2(12.0, 0.0), vec2(0.0, 12.0)];
            if p.x < vp.max.x - 200.0
                && around.iter().all(|d| {
                    s.canvas.hit(&s.doc, p + *d) == crowfoot::ui::canvas::Hit::Empty
                        && s.canvas.hit(&s.doc, p - *d) == crowfoot::ui::canvas::Hit::Empty
                })
            {
                return p;
            }
        }
    }
    panic!("no empty canvas point");
}

// ----- acceptance 2: moving cards -----

#[test]
fn dragging_a_header_moves_the_card_in_one_undo_step() {
    let mut h = harness(crowfoot::samples::shop::build());
    let t = table_id(&h, "customers");
    let z = h.state().canvas.zoom;
    assert!(z > 0.05 && z < 1.5, "fitted zoom {z}");
    let before = table(&h, t).position;
    let from = header_pos(&h, t);
    let d = vec2(90.0, 50.0);
    let start = card(&h, t);
    drag_with(&mut h, from, from + d, Modifiers::NONE, |h| {
        assert!(
            !h.state().doc.can_undo(),
            "nothing is applied while dragging"
        );
        // The drawn card (its AccessKit bounds) follows the pointer.
        let drawn = h.get_by_label("customers").rect();
        assert!(
            (drawn.min - (start.min + d)).length() < 1.0,
            "card drawn at {:?} during the drag, expected {:?}",
            drawn.min,
            start.min + d
        );
    });
    settle(&mut h);
    let after = table(&h, t).position;
    let expect = (before.x + d.x / z, before.y + d.y / z);
    assert!(
        (after.x - expect.0).abs() <= 0.51 && (after.y - expect.1).abs() <= 0.51,
        "moved by drag / zoom: before {before:?}, after {after:?}, expected {expect:?} (zoom {z})"
    );
    assert_eq!(
        h.state().sel.tables,
        BTreeSet::from([t]),
        "a dragged card is selected"
    );
    // One undo step.
    undo(&mut h);
    assert_eq!(table(&h, t).position, before);
    assert!(!h.state().doc.can_undo(), "the move was a single undo step");
    redo(&mut h);
    assert_eq!(table(&h, t).position, after);

    // Arrow keys nudge the selection by 8 (Shift: 40); a run of nudges is one undo step.
    key(&mut h, Modifiers::NONE, Key::ArrowRight);
    assert_eq!(
        table(&h, t).position,
        Position {
            x: after.x + 8.0,
            y: after.y
        }
    );
    key(&mut h, Modifiers::SHIFT, Key::ArrowDown);
    key(&mut h, Modifiers::NONE, Key::ArrowLeft);
    key(&mut h, Modifiers::NONE, Key::ArrowUp);
    assert_eq!(
        table(&h, t).position,
        Position {
            x: after.x,
            y: after.y + 32.0
        }
    );
    undo(&mut h);
    assert_eq!(
        table(&h, t).position,
        after,
        "one undo takes back the nudges"
    );
    undo(&mut h);
    assert_eq!(table(&h, t).position, before);
}

#[test]
fn dragging_one_of_several_selected_cards_moves_them_all() {
    let mut h = harness(crowfoot::samples::shop::build());
    key(&mut h, Modifiers::COMMAND, Key::A);
    assert_eq!(h.state().sel.tables.len(), project(&h).table_count());
    let before: Vec<Position> = project(&h).tables().map(|t| t.position).collect();
    let t = table_id(&h, "orders");
    let z = h.state().canvas.zoom;
    let from = header_pos(&h, t);
    drag(&mut h, from, from + vec2(-40.0, 30.0), Modifiers::NONE);
    settle(&mut h);
    for (t, b) in project(&h).tables().zip(&before) {
        assert!(
            (t.position.x - (b.x - 40.0 / z)).abs() <= 0.51
                && (t.position.y - (b.y + 30.0 / z)).abs() <= 0.51,
            "{} moved with the group",
            t.name
        );
    }
    undo(&mut h);
    let back: Vec<Position> = project(&h).tables().map(|t| t.position).collect();
    assert_eq!(back, before, "one undo step for the group");
}

#[test]
fn wheel_zooms_at_the_cursor_and_drag_pans() {
    let mut h = harness(crowfoot::samples::shop::build());
    let p = empty_canvas_point(&h);
    let z0 = h.state().canvas.zoom;
    let under = h.state().canvas.to_canvas(p);
    frame(&mut h, [Event::PointerMoved(p)]);
    frame(
        &mut h,
        [Event::MouseWheel {
            unit: MouseWheelUnit::Line,
            delta: vec2(0.0, 3.0),
            phase: TouchPhase::Move,
            modifiers: Modifiers::NONE,
        }],
    );
    h.run_steps(20);
    let z1 = h.state().canvas.zoom;
    assert!(z1 > z0 * 1.05, "wheel up zooms in: {z0} -> {z1}");
    let still = h.state().canvas.to_canvas(p);
    assert!(
        (still - under).length() < 1.0,
        "the point under the cursor stays put: {under:?} -> {still:?}"
    );
    // Plain drag on empty canvas pans (no edit).
    let pan = h.state().canvas.pan;
    let p = empty_canvas_point(&h);
    drag(&mut h, p, p + vec2(60.0, -25.0), Modifiers::NONE);
    let moved = h.state().canvas.pan - pan;
    assert!(
        (moved - vec2(60.0, -25.0)).length() < 1.0,
        "pan follows the pointer: {moved:?}"
    );
    assert!(!h.state().doc.can_undo(), "panning is not an edit");
    assert_eq!(h.state().canvas.zoom, z1);
}

// ----- acceptance 4: idle -----

#[test]
fn idle_studio_does_not_repaint_continuously() {
    let mut h = harness(crowfoot::samples::shop::build());
    h.run_steps(3);
    let d = repaint_delay(&h);
    assert!(
        d >= Duration::from_secs(3600),
        "idle: no repaint requested, got {d:?}"
    );
    assert!(h.try_run().is_ok(), "the harness settles");

    // Pointer resting on a card row (its tooltip shows): idle again once the tooltip is up.
    key(&mut h, Modifiers::COMMAND, Key::Num0); // 100 %: rows are drawn
    let t = table_id(&h, "customers");
    h.state_mut().reveal(t, None);
    settle(&mut h);
    let c = table(&h, t).columns[1].id;
    let (row, _) = row_pos(&h, t, c);
    frame(&mut h, [Event::PointerMoved(row)]);
    h.run_steps(40);
    let d = repaint_delay(&h);
    assert!(
        d >= Duration::from_secs(3600),
        "idle with the pointer on a row, got {d:?}"
    );

    // Unsaved changes: only the autosave timer (30 s) may wake the studio up.
    key(&mut h, Modifiers::NONE, Key::ArrowRight);
    assert!(h.state().doc.is_dirty());
    h.run_steps(3);
    let d = repaint_delay(&h);
    assert!(
        d >= Duration::from_secs(5),
        "dirty but idle: no immediate repaint, got {d:?}"
    );
}

// ----- acceptance 5: AccessKit -----

#[test]
fn every_card_is_an_accesskit_group() {
    let mut h = harness(crowfoot::samples::shop::build());
    key(&mut h, Modifiers::NONE, Key::F);
    settle(&mut h);
    let t = table_id(&h, "customers");
    let node = h.get_by_label("customers");
    assert_eq!(node.accesskit_node().role(), Role::Group);
    let r = node.rect();
    let expect = card(&h, t);
    assert!(
        (r.min - expect.min).length() < 1.0 && (r.max - expect.max).length() < 1.0,
        "bounds {r:?} match the card {expect:?}"
    );
    // After Fit every table is visible, so every table has its node.
    let names: Vec<String> = project(&h).tables().map(|t| t.qualified_name()).collect();
    for name in &names {
        let n = h.get_by_role_and_label(Role::Group, name);
        assert!(n.rect().is_positive());
    }
    // Selection is exposed too.
    h.state_mut().sel.tables.insert(t);
    h.step();
    assert!(h.get_by_label("customers").accesskit_node().is_selected() == Some(true));
}

#[test]
fn delete_question_can_be_declined() {
    let mut h = harness(crowfoot::samples::shop::build());
    let customers = table_id(&h, "customers");
    select_only(&mut h, Gestures::Keyboard, customers);
    let before = project(&h).clone();
    key(&mut h, Modifiers::NONE, Key::Delete);
    settle(&mut h);
    assert!(matches!(
        h.state().confirm,
        Some(Confirm::DeleteReferenced { .. })
    ));
    h.get_by_label("Cancel").click();
    h.step();
    settle(&mut h);
    assert!(h.state().confirm.is_none(), "Cancel closes the question");
    assert!(*project(&h) == before, "Cancel deletes nothing");
    // Escape declines too, and the shortcut does not reach the canvas meanwhile.
    key(&mut h, Modifiers::NONE, Key::Delete);
    settle(&mut h);
    assert!(h.state().confirm.is_some());
    key(&mut h, Modifiers::NONE, Key::Escape);
    settle(&mut h);
    assert!(h.state().confirm.is_none(), "Escape closes the question");
    assert!(*project(&h) == before, "Escape deletes nothing");
    assert!(!h.state().doc.can_undo());
}

#[test]
fn escape_cancels_the_inline_rename() {
    let mut h = harness(Project::new("t"));
    key(&mut h, Modifiers::NONE, Key::T);
    settle(&mut h);
    let t = h.state().sel.single().expect("new table selected");
    assert!(h.state().canvas.rename.is_some());
    type_text(&mut h, "zzz");
    key(&mut h, Modifiers::NONE, Key::Escape);
    settle(&mut h);
    assert!(h.state().canvas.rename.is_none(), "Escape closes the field");
    assert_eq!(table(&h, t).name, "table_1", "and renames nothing");
}

/// Is any single-line text field focused (per AccessKit)?
fn text_field_focused(h: &H) -> bool {
    h.query_all_by_role(Role::TextInput).any(|n| n.is_focused())
}

#[test]
fn c_adds_a_column_and_focuses_its_name() {
    let mut h = harness(crowfoot::samples::shop::build());
    let customers = table_id(&h, "customers");
    select_only(&mut h, Gestures::Keyboard, customers);
    let n = table(&h, customers).columns.len();
    key(&mut h, Modifiers::NONE, Key::C);
    settle(&mut h);
    assert_eq!(table(&h, customers).columns.len(), n + 1);
    assert!(
        text_field_focused(&h),
        "the new column's name field has the focus"
    );
    type_text(&mut h, "x");
    settle(&mut h);
    assert_eq!(table(&h, customers).columns[n].name, "column_1x");
}

#[test]
fn add_column_button_focuses_the_new_name() {
    let mut h = harness(crowfoot::samples::shop::build());
    let customers = table_id(&h, "customers");
    select_only(&mut h, Gestures::Keyboard, customers);
    let n = table(&h, customers).columns.len();
    h.get_by_label("+ Add column").click();
    h.step();
    settle(&mut h);
    assert_eq!(table(&h, customers).columns.len(), n + 1);
    assert!(
        text_field_focused(&h),
        "the new column's name field has the focus (as with the C key)"
    );
}

#[test]
fn escape_in_an_inspector_field_keeps_the_selection() {
    let mut h = harness(crowfoot::samples::shop::build());
    let customers = table_id(&h, "customers");
    select_only(&mut h, Gestures::Keyboard, customers);
    key(&mut h, Modifiers::NONE, Key::C);
    settle(&mut h);
    assert!(
        text_field_focused(&h),
        "the new column's name field has the focus"
    );
    key(&mut h, Modifiers::NONE, Key::Escape);
    settle(&mut h);
    assert!(!text_field_focused(&h), "Escape leaves the field");
    assert_eq!(
        h.state().sel.tables,
        BTreeSet::from([customers]),
        "Escape in a text field only leaves the field; the table stays selected"
    );
}

// ----- acceptance 3: monkey -----

/// xorshift64: a tiny deterministic PRNG (no extra crates).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn chance(&mut self, p: f32) -> bool {
        self.unit() < p
    }
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
    fn point_in(&mut self, r: Rect) -> Pos2 {
        pos2(self.range(r.min.x, r.max.x), self.range(r.min.y, r.max.y))
    }
}

/// Menu, palette and modal entries that would open a native file dialog, replace the document
/// or quit. The monkey never presses the pointer on them, never presses Enter while one has the
/// focus and never sends their shortcuts: dialogs would pop up on a developer's desktop, and
/// New/Quit end the session.
const FORBIDDEN: &[&str] = &[
    "Open…",
    "Save as…",
    "Export DDL…",
    "New project",
    "Quit",
    "Discard",
];

fn forbidden_at(h: &H, p: Pos2) -> bool {
    h.query_all_by(|n| {
        n.label()
            .is_some_and(|l| FORBIDDEN.iter().any(|f| l.contains(f)))
    })
    .any(|n| n.rect().expand(2.0).contains(p))
}

fn forbidden_focused(h: &H) -> bool {
    h.query_all_by(|n| {
        n.is_focused()
            && n.label()
                .is_some_and(|l| FORBIDDEN.iter().any(|f| l.contains(f)))
    })
    .next()
    .is_some()
}

/// Interactive widgets the monkey may click (by their AccessKit role).
fn clickable_widgets(h: &H) -> Vec<Rect> {
    let window = Rect::from_min_size(Pos2::ZERO, WINDOW);
    h.query_all_by(|n| {
        matches!(
            n.role(),
            Role::Button
                | Role::CheckBox
                | Role::ComboBox
                | Role::RadioButton
                | Role::TextInput
                | Role::MultilineTextInput
                | Role::MenuItem
        ) && !n
            .label()
            .is_some_and(|l| FORBIDDEN.iter().any(|f| l.contains(f)))
    })
    .map(|n| n.rect())
    .filter(|r| r.is_positive() && window.contains(r.center()))
    .collect()
}

/// A point on a visible card: its header, a row or a row's link port.
fn card_point(rng: &mut Rng, h: &H) -> Option<Pos2> {
    let s = h.state();
    let vp = s.canvas.viewport;
    let visible: Vec<(TableId, Rect)> = s
        .doc
        .project()
        .tables()
        .filter_map(|t| Some((t.id, s.canvas.card_screen_rect(t.id)?)))
        .filter(|(_, r)| vp.intersects(*r))
        .collect();
    if visible.is_empty() {
        return None;
    }
    let (t, r) = visible[rng.below(visible.len())];
    let cols = &s.doc.project().table(t)?.columns;
    let p = if cols.is_empty() || rng.chance(0.3) {
        pos2(
            r.center().x,
            r.min.y + HEADER_H * s.canvas.zoom * rng.range(0.2, 0.8),
        )
    } else {
        let c = cols[rng.below(cols.len())].id;
        let (row, port) = s.canvas.row_screen_pos(&s.doc, t, c)?;
        if rng.chance(0.5) { port } else { row }
    };
    vp.contains(p).then_some(p)
}

#[derive(Default, Debug)]
struct MonkeyStats {
    clicks: usize,
    double_clicks: usize,
    right_clicks: usize,
    drags: usize,
    wheels: usize,
    keys: usize,
    texts: usize,
    widget_clicks: usize,
    skipped: usize,
    frames: usize,
}

const MONKEY_KEYS: &[(Modifiers, Key)] = &[
    (Modifiers::NONE, Key::Delete),
    (Modifiers::NONE, Key::Backspace),
    (Modifiers::NONE, Key::Escape),
    (Modifiers::NONE, Key::Enter),
    (Modifiers::NONE, Key::F),
    (Modifiers::SHIFT, Key::F),
    (Modifiers::NONE, Key::C),
    (Modifiers::NONE, Key::F2),
    (Modifiers::NONE, Key::T),
    (Modifiers::NONE, Key::L),
    (Modifiers::NONE, Key::ArrowLeft),
    (Modifiers::NONE, Key::ArrowRight),
    (Modifiers::NONE, Key::ArrowUp),
    (Modifiers::NONE, Key::ArrowDown),
    (Modifiers::SHIFT, Key::ArrowRight),
    (Modifiers::SHIFT, Key::ArrowDown),
    (Modifiers::COMMAND, Key::Z),
    (Modifiers::COMMAND, Key::Z),
    (Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z),
    (Modifiers::COMMAND, Key::Y),
    (Modifiers::COMMAND, Key::A),
    (Modifiers::COMMAND, Key::S), // the document has a path: saves, no dialog
    (Modifiers::COMMAND, Key::K),
    (Modifiers::COMMAND, Key::F),
    (Modifiers::COMMAND, Key::Equals),
    (Modifiers::COMMAND, Key::Minus),
    (Modifiers::COMMAND, Key::Num0),
    (Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::C),
    (Modifiers::NONE, Key::Tab),
];

const MONKEY_TEXT: &[&str] = &[
    "a", "x", "id", "user", "_", "2", " ", "é", "名前", "select", "\"q\"", "Orders", "ab",
];

/// One random user action, as frames of raw events.
fn monkey_action(rng: &mut Rng, h: &H, st: &mut MonkeyStats) -> Vec<Vec<Event>> {
    let window = Rect::from_min_size(Pos2::ZERO, WINDOW);
    let vp = h.state().canvas.viewport;
    let palette_open = h.state().palette.is_open();
    // Where pointer gestures happen: anywhere, on the canvas, or on a card (header/row/port).
    let point = |rng: &mut Rng| -> Pos2 {
        match rng.below(10) {
            0..=1 => rng.point_in(window),
            2..=4 => rng.point_in(vp),
            _ => card_point(rng, h).unwrap_or_else(|| rng.point_in(vp)),
        }
    };
    let mods = |rng: &mut Rng| match rng.below(8) {
        0 => Modifiers::SHIFT,
        1 => Modifiers::COMMAND,
        _ => Modifiers::NONE,
    };
    let roll = rng.below(100);
    match roll {
        // Click.
        0..=13 => {
            let p = point(rng);
            st.clicks += 1;
            let m = mods(rng);
            vec![
                vec![Event::ModifiersChanged(m), Event::PointerMoved(p)],
                vec![primary(p, true, m), primary(p, false, m)],
            ]
        }
        // Double-click.
        14..=20 => {
            let p = point(rng);
            st.double_clicks += 1;
            let m = Modifiers::NONE;
            vec![
                vec![Event::PointerMoved(p)],
                vec![primary(p, true, m), primary(p, false, m)],
                vec![primary(p, true, m), primary(p, false, m)],
            ]
        }
        // Right-click (context menu).
        21..=25 => {
            let p = point(rng);
            st.right_clicks += 1;
            let b = |pressed| button(p, PointerButton::Secondary, pressed, Modifiers::NONE);
            vec![vec![Event::PointerMoved(p)], vec![b(true), b(false)]]
        }
        // Drag between two points (ports to cards make foreign keys; Shift: box select).
        26..=45 => {
            let from = point(rng);
            let to = if rng.chance(0.5) {
                card_point(rng, h).unwrap_or_else(|| point(rng))
            } else {
                point(rng)
            };
            st.drags += 1;
            let m = mods(rng);
            let mid = |t: f32| Event::PointerMoved(from.lerp(to, t));
            vec![
                vec![
                    Event::ModifiersChanged(m),
                    Event::PointerMoved(from),
                    primary(from, true, m),
                ],
                vec![mid(0.5)],
                vec![mid(1.0)],
                vec![primary(to, false, m)],
            ]
        }
        // Wheel (zoom; Shift pans, Ctrl zooms too).
        46..=53 => {
            st.wheels += 1;
            let p = if rng.chance(0.8) {
                rng.point_in(vp)
            } else {
                rng.point_in(window)
            };
            let m = mods(rng);
            vec![vec![
                Event::ModifiersChanged(m),
                Event::PointerMoved(p),
                Event::MouseWheel {
                    unit: MouseWheelUnit::Line,
                    delta: vec2(rng.range(-1.0, 1.0), rng.range(-6.0, 6.0)),
                    phase: TouchPhase::Move,
                    modifiers: m,
                },
            ]]
        }
        // Shortcut or key.
        54..=79 => {
            let (m, k) = MONKEY_KEYS[rng.below(MONKEY_KEYS.len())];
            if k == Key::Enter && (palette_open || forbidden_focused(h)) {
                // The palette would run its selected entry, which may be "Open…" and the like;
                // a button focused with Tab would be pressed.
                st.skipped += 1;
                return vec![];
            }
            st.keys += 1;
            vec![key_events(m, k).to_vec()]
        }
        // Text into whatever has the focus.
        80..=87 => {
            st.texts += 1;
            let t = MONKEY_TEXT[rng.below(MONKEY_TEXT.len())];
            vec![vec![Event::Text(t.to_string())]]
        }
        // Click a random button, checkbox, combo box or text field.
        _ => {
            let widgets = clickable_widgets(h);
            if widgets.is_empty() {
                st.skipped += 1;
                return vec![];
            }
            let p = widgets[rng.below(widgets.len())].center();
            st.widget_clicks += 1;
            vec![
                vec![Event::PointerMoved(p)],
                vec![
                    primary(p, true, Modifiers::NONE),
                    primary(p, false, Modifiers::NONE),
                ],
            ]
        }
    }
}

fn monkey_run(seed: u64, actions: usize) {
    let original = crowfoot::samples::shop::build();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.ron");
    let mut h = harness(original.clone());
    // With a path, Ctrl+S saves without a dialog and autosave writes next to it, not to /tmp.
    h.state_mut().doc.path = Some(path.clone());
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut st = MonkeyStats::default();
    let start = std::time::Instant::now();
    for i in 0..actions {
        let frames = monkey_action(&mut rng, &h, &mut st);
        let held = frames
            .iter()
            .rev()
            .flat_map(|f| f.iter().rev())
            .find_map(|e| match e {
                Event::ModifiersChanged(m) => Some(*m),
                _ => None,
            })
            .is_some_and(|m| m != Modifiers::NONE);
        for f in frames {
            // Check presses against the widgets of the last frame (what egui hit-tests): a
            // hover may have opened a menu since the action was planned.
            let press = f.iter().find_map(|e| match e {
                Event::PointerButton {
                    pos, pressed: true, ..
                } => Some(*pos),
                _ => None,
            });
            if press.is_some_and(|p| forbidden_at(&h, p)) {
                st.skipped += 1;
                break;
            }
            frame(&mut h, f);
            st.frames += 1;
        }
        assert_eq!(
            h.state().doc.path.as_deref(),
            Some(path.as_path()),
            "action {i} replaced the document (New/Open must not be reachable)"
        );
        assert!(!h.state().quit_requested, "action {i} quit");
        // Let go of the modifiers in a frame of their own, so that the action saw them held.
        if held {
            frame(&mut h, [Event::ModifiersChanged(Modifiers::NONE)]);
            st.frames += 1;
        }
        if i % 200 == 199 {
            let s = h.state();
            let p = &s.doc.project();
            assert!(
                dangling_problems(p).is_empty(),
                "after {} actions: {:?}",
                i + 1,
                dangling_problems(p)
            );
            assert!(s.sel.tables.iter().all(|t| p.table(*t).is_some()));
        }
    }
    settle(&mut h);
    let elapsed = start.elapsed();
    let s = h.state();
    eprintln!(
        "monkey seed {seed:#x}: {actions} actions, {} frames in {elapsed:.1?} ({:.0} actions/s); \
         {} tables, {} FKs; status {:?}\n{st:?}",
        st.frames,
        actions as f64 / elapsed.as_secs_f64(),
        s.doc.project().table_count(),
        s.doc.project().foreign_key_count(),
        s.status,
    );
    assert!(
        st.skipped < actions / 10,
        "most actions happen: {} skipped",
        st.skipped
    );

    let project = s.doc.project().clone();
    assert!(
        dangling_problems(&project).is_empty(),
        "{:?}",
        dangling_problems(&project)
    );
    // RON round trip, in memory and through a file.
    let text = crowfoot::project_file::to_ron_string(&project);
    let back = crowfoot::project_file::from_ron_str(&text, "monkey.ron").expect("RON loads");
    assert!(back == project, "RON round trip");
    let file = dir.path().join("after.ron");
    crowfoot::project_file::save(&project, &file).expect("saves");
    assert!(crowfoot::project_file::load(&file).expect("loads") == project);
    if path.exists() {
        // What Ctrl+S wrote (at some point) loads too.
        crowfoot::project_file::load(&path).expect("the Ctrl+S file loads");
    }
    // The whole session undoes back to the sample and redoes forward to the end.
    let steps = undo_all(&mut h);
    assert!(
        *h.state().doc.project() == original,
        "undoing all {steps} steps restores the sample"
    );
    for _ in 0..steps {
        h.state_mut().doc.redo().expect("redo succeeds");
    }
    assert!(
        *h.state().doc.project() == project,
        "redoing the {steps} steps restores the end state"
    );
    while h.state().doc.can_redo() {
        h.state_mut()
            .doc
            .redo()
            .expect("what was undone last redoes too");
    }
    assert!(dangling_problems(h.state().doc.project()).is_empty());
}

/// 2,000 random actions. `CROWFOOT_MONKEY_SEED` / `CROWFOOT_MONKEY_ACTIONS` override the seed
/// and the count (to explore: `CROWFOOT_MONKEY_SEED=7 cargo test --test studio monkey`).
#[test]
fn monkey_2000_random_actions() {
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
    let seed = env("CROWFOOT_MONKEY_SEED").unwrap_or(0x5eed_c0ff_ee15_0001);
    let actions = env("CROWFOOT_MONKEY_ACTIONS").unwrap_or(2000) as usize;
    monkey_run(seed, actions);
}

/// Found by the monkey (seed 22 with the click fix applied): press the palette's scroll bar in
/// the frame after typing a query that matches nothing.
#[test]
fn palette_scroll_bar_survives_a_shrinking_list() {
    let mut h = harness(crowfoot::samples::shop::build());
    key(&mut h, Modifiers::COMMAND, Key::K);
    settle(&mut h);
    assert!(h.state().palette.is_open());
    let window = h.get_by_role(Role::Window).rect();
    let bar = h
        .query_all_by_role(Role::ScrollBar)
        .map(|n| n.rect())
        .find(|r| window.contains_rect(*r))
        .expect("the full action list scrolls");
    type_text(&mut h, "\"q\""); // matches nothing: the list becomes empty next frame
    let p = bar.center();
    frame(
        &mut h,
        [Event::PointerMoved(p), primary(p, true, Modifiers::NONE)],
    );
    frame(&mut h, [Event::PointerMoved(p - vec2(0.0, 40.0))]);
    frame(
        &mut h,
        [primary(p - vec2(0.0, 40.0), false, Modifiers::NONE)],
    );
    settle(&mut h);
    assert!(h.state().palette.is_open());
}

/// `Studio::import_path` (what Import in the import dialog runs, for a dropped or picked file)
/// imports a `.sql` file as a new, unsaved project. The dialog itself: tests/studio_import.rs.
#[test]
fn dropped_sql_file_is_imported_as_unsaved_project() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blog.sql");
    std::fs::write(
        &path,
        "CREATE TABLE authors (id integer PRIMARY KEY, name text NOT NULL);\n\
         CREATE TABLE posts (id integer PRIMARY KEY, author_id integer REFERENCES authors (id));\n",
    )
    .unwrap();
    let mut studio = Studio::new(crowfoot::model::Project::new("t"), None);
    studio.import_path(&path);
    assert_eq!(studio.doc.project().table_count(), 2);
    assert_eq!(studio.doc.project().foreign_key_count(), 1);
    assert_eq!(studio.doc.project().name(), "blog");
    assert!(studio.doc.is_dirty());
    assert!(studio.doc.path.is_none(), "an import is saved with Save As");
}

/// Dragging from a table's primary key onto another table's header offers to add the
/// referencing column there, and does it as one undoable step.
#[test]
fn dragging_a_primary_key_onto_a_header_adds_the_referencing_column() {
    let mut b = crowfoot::model::builder::ProjectBuilder::new("t");
    let authors = b.table("authors", |t| {
        t.col("id", LogicalType::BigInt).identity().pk();
        t.at(40.0, 40.0);
    });
    let posts = b.table("posts", |t| {
        t.col("id", LogicalType::BigInt).identity().pk();
        t.col("title", LogicalType::Text);
        t.at(520.0, 40.0);
    });
    let mut h = harness(b.build());
    let id = column_id(&h, authors, "id");
    let (_, port) = row_pos(&h, authors, id);
    let target = header_pos(&h, posts);
    drag(&mut h, port, target, Modifiers::NONE);
    settle(&mut h);
    h.get_by_label("Add column and link").click();
    settle(&mut h);
    let t = table(&h, posts);
    let col = t.column_by_name("author_id").expect("column added");
    assert_eq!(col.ty, LogicalType::BigInt);
    let fks = project(&h).foreign_keys_from(posts);
    assert_eq!(fks.len(), 1);
    assert_eq!(fks[0].from_columns, vec![col.id]);
    assert_eq!(fks[0].to_table, authors);
    undo(&mut h);
    assert!(table(&h, posts).column_by_name("author_id").is_none());
    assert_eq!(project(&h).foreign_key_count(), 0);
}

/// Notes move by dragging (one undo step) and are edited by double-clicking.
#[test]
fn notes_move_and_edit() {
    let mut b = crowfoot::model::builder::ProjectBuilder::new("t");
    b.table("a", |t| {
        t.col("id", LogicalType::Integer).pk();
        t.at(40.0, 40.0);
    });
    let note = b.note("remember", 400.0, 300.0);
    let mut h = harness(b.build());
    let z = h.state().canvas.zoom;
    let start = h.state().canvas.to_screen(pos2(400.0 + 30.0, 300.0 + 20.0));
    drag(&mut h, start, start + vec2(100.0, 50.0), Modifiers::NONE);
    settle(&mut h);
    let n = project(&h).notes().find(|n| n.id == note).unwrap().clone();
    assert!(
        (n.position.x - (400.0 + 100.0 / z)).abs() <= 1.0,
        "{:?}",
        n.position
    );
    assert!(
        (n.position.y - (300.0 + 50.0 / z)).abs() <= 1.0,
        "{:?}",
        n.position
    );
    undo(&mut h);
    let n = project(&h).notes().find(|n| n.id == note).unwrap().clone();
    assert_eq!((n.position.x, n.position.y), (400.0, 300.0));

    let p = h.state().canvas.to_screen(pos2(400.0 + 30.0, 300.0 + 20.0));
    double_click(&mut h, p);
    settle(&mut h);
    assert!(
        h.state().editing.is_some(),
        "double-click opens the note editor"
    );
    h.get_by_label("Delete").click();
    settle(&mut h);
    assert_eq!(project(&h).notes().count(), 0);
    undo(&mut h);
    assert_eq!(project(&h).notes().count(), 1);
}

/// Issue 14, item 3: the inspector gives a column a new sequence owned by it (PostgreSQL's
/// `CREATE SEQUENCE ... OWNED BY` with `nextval()` as the default), edits the sequence, lists
/// every sequence when nothing is selected; each step undoes.
#[test]
fn inspector_gives_a_column_a_sequence_and_edits_it() {
    let p = crowfoot::sql::import::import_sql(
        "CREATE TABLE \"ordres d'achat 🚚\" (id integer NOT NULL PRIMARY KEY, note text);",
        Some(Dialect::Postgres),
    )
    .project;
    let mut h = harness(p);
    let t = table_id(&h, "ordres d'achat 🚚");
    let c = column_id(&h, t, "id");
    let (row, _) = row_pos(&h, t, c);
    click(&mut h, row);
    settle(&mut h);
    assert_eq!(h.state().sel.column, Some((t, c)));
    h.get_by(|n| n.role() == Role::ComboBox && n.value().as_deref() == Some("default / none"))
        .click();
    h.step();
    settle(&mut h);
    h.get_by_label("New sequence owned by this column").click();
    h.step();
    settle(&mut h);
    let name = "ordres d'achat 🚚_id_seq";
    let q = project(&h)
        .sequence_by_name(None, name)
        .unwrap_or_else(|| panic!("no sequence; status {}", h.state().status))
        .clone();
    assert_eq!(
        q.owned_by,
        Some(SequenceOwner {
            table: t,
            column: c
        })
    );
    assert_eq!(q.data_type, SequenceType::Integer);
    let col = table(&h, t).column(c).unwrap().clone();
    assert_eq!(
        col.default,
        Some(crowfoot::model::sequence::nextval_default(None, name))
    );
    assert_eq!(
        project(&h).sequence_of_column(&col).map(|s| s.id),
        Some(q.id)
    );
    // The sequence's fields are under the column's.
    h.get_by_label("wrap around at the bound").click();
    h.step();
    settle(&mut h);
    assert!(project(&h).sequence(q.id).unwrap().cycle);
    undo(&mut h);
    assert!(!project(&h).sequence(q.id).unwrap().cycle);
    undo(&mut h);
    assert!(project(&h).sequence(q.id).is_none());
    assert_eq!(table(&h, t).column(c).unwrap().default, None);
    redo(&mut h);
    // Nothing selected: the inspector lists the project's sequences.
    let empty = empty_canvas_point(&h);
    click(&mut h, empty);
    settle(&mut h);
    assert!(h.state().sel.tables.is_empty());
    h.get_by_label(name);
}

/// Issue 14, item 4: the studio's migration script asks, like Django's makemigrations, for the
/// value existing rows get in each NOT NULL column added without a default; until it has one,
/// MG004 says the script fails on a table with rows; the typed value lands in up.sql.
#[test]
fn migration_dialog_asks_for_one_off_values() {
    let base = crowfoot::sql::import::import_sql(
        "CREATE TABLE \"commandes 🚚\" (id integer PRIMARY KEY, note text);",
        Some(Dialect::Postgres),
    )
    .project;
    let mut current = base.clone();
    let t = current.tables().next().unwrap().id;
    let mut col = Column::new(
        ColumnId(current.alloc_id()),
        "prix TTC €",
        LogicalType::Integer,
    );
    col.nullable = false;
    Command::AddColumn {
        table: t,
        index: 2,
        column: Box::new(col),
    }
    .apply(&mut current)
    .unwrap();
    let mut h = harness(current);
    let c = crowfoot::ui::compare::Comparison::new("v1.ron", &base, h.state().doc.project());
    h.state_mut().comparison = Some(c);
    h.state_mut().prefs.show_bottom = true;
    h.state_mut().prefs.bottom_tab = crowfoot::ui::studio::BottomTab::Changes;
    settle(&mut h);
    h.get_by_label("Migration script…").click();
    h.step();
    settle(&mut h);
    let sql = |h: &H| {
        h.get_by(|n| {
            n.role() == Role::MultilineTextInput
                && n.value()
                    .is_some_and(|v| v.contains("Migration generated by Crowfoot"))
        })
        .value()
        .unwrap()
    };
    assert!(h.state().migration.is_some(), "the dialog opened");
    let mg004 = |h: &H| {
        h.query_all_by(|n| {
            n.label().is_some_and(|l| l.starts_with("MG004"))
                || n.value().is_some_and(|l| l.starts_with("MG004"))
        })
        .count()
    };
    assert!(mg004(&h) > 0, "MG004 shown");
    assert!(!sql(&h).contains("DEFAULT 42"), "{}", sql(&h));
    // The fill field sits on the row of its column's label.
    let label = h.get_by_label("commandes 🚚.prix TTC € (integer)").rect();
    let field = h
        .query_all_by(|n| n.role() == Role::TextInput)
        .find(|n| {
            (n.rect().center().y - label.center().y).abs() < 6.0 && n.rect().min.x > label.max.x
        })
        .expect("a fill field beside the label")
        .rect();
    click(&mut h, field.center());
    type_text(&mut h, "42");
    settle(&mut h);
    let up = sql(&h);
    assert!(
        up.contains("ADD COLUMN \"prix TTC €\" integer NOT NULL DEFAULT 42"),
        "{up}"
    );
    assert!(
        up.contains("ALTER COLUMN \"prix TTC €\" DROP DEFAULT"),
        "{up}"
    );
    assert_eq!(mg004(&h), 0, "no MG004 once the value is given");
    // The model itself did not change.
    assert!(
        table(&h, t)
            .column_by_name("prix TTC €")
            .unwrap()
            .default
            .is_none()
    );
}

/// Issue 15, part 1: one question decides whether an action can run (`Studio::is_enabled`),
/// asked by the menus, the palette and `run`: the palette offers Delete only with a selection,
/// and running a disabled action says so instead of doing anything. View toggles are actions
/// shown as checkboxes; every extra shortcut (Backspace, Ctrl+Y, arrows) belongs to an action.
#[test]
fn palette_offers_only_what_can_run_and_view_toggles_are_actions() {
    use crowfoot::ui::actions::Action;
    let mut h = harness(crowfoot::samples::shop::build());
    let offered = |h: &H, name: &str| {
        h.query_all_by(|n| n.label().is_some_and(|l| l.starts_with(name)))
            .count()
    };
    key(&mut h, Modifiers::COMMAND, Key::K);
    settle(&mut h);
    type_text(&mut h, "Delete");
    settle(&mut h);
    assert_eq!(offered(&h, "Delete    "), 0, "nothing selected: no Delete");
    key(&mut h, Modifiers::NONE, Key::Escape);
    settle(&mut h);
    let customers = table_id(&h, "customers");
    let p = header_pos(&h, customers);
    click(&mut h, p);
    settle(&mut h);
    key(&mut h, Modifiers::COMMAND, Key::K);
    settle(&mut h);
    type_text(&mut h, "Delete");
    settle(&mut h);
    assert!(
        offered(&h, "Delete    ") > 0,
        "Delete offered with a selection"
    );
    key(&mut h, Modifiers::NONE, Key::Escape);
    settle(&mut h);
    // A disabled action run anyway (its shortcut, nothing selected) changes nothing and says
    // why.
    let empty = empty_canvas_point(&h);
    click(&mut h, empty);
    settle(&mut h);
    let before = project(&h).clone();
    key(&mut h, Modifiers::NONE, Key::Backspace);
    settle(&mut h);
    assert_eq!(project(&h), &before);
    assert_eq!(h.state().status, "Delete: not available now");
    // Every action's shortcuts, the extra ones included, are the action's.
    assert!(Action::Redo.shortcuts().len() == 2 && Action::Delete.shortcuts().len() == 2);
    assert_eq!(
        Action::all().filter(|a| a.nudge().is_some()).count(),
        8,
        "arrow and Shift+arrow nudges"
    );
    // View ▸ toggles: checkboxes that reflect and change the setting.
    assert_eq!(h.state().is_checked(Action::ToggleInspector), Some(true));
    h.get_by_label("View").click();
    h.step();
    settle(&mut h);
    let toggle =
        h.get_by(|n| n.role() == Role::CheckBox && n.label().as_deref() == Some("Inspector"));
    toggle.click();
    h.step();
    settle(&mut h);
    assert!(!h.state().prefs.show_inspector);
    assert_eq!(h.state().is_checked(Action::ToggleInspector), Some(false));
}
