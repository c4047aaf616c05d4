//! A small egui_kittest harness for the studio's panel tests (Normalize, Indexes, review and
//! presenter): the studio at 1400 × 900, raw-input helpers, and what a card tells AccessKit.
#![allow(dead_code)] // each test file uses part of it

use crowfoot::model::Project;
use crowfoot::ui::Studio;
use crowfoot::ui::actions::Action;
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::cell::RefCell;

pub type H = Harness<'static, Studio>;

pub fn harness(project: Project) -> H {
    harness_for(Studio::new(project, None))
}

thread_local! {
    /// Actions for the next frame of this thread's harness (see [`run_action`]).
    static QUEUED: RefCell<Vec<Action>> = const { RefCell::new(Vec::new()) };
}

/// A harness around `studio`. File dialogs are never shown: one an action opens stays open
/// (`studio.files.dialog_title()`) until the test answers it (`studio.files.answer_dialog`).
pub fn harness_for(mut studio: Studio) -> H {
    studio.files.without_native_dialogs();
    let mut h = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .with_step_dt(0.05)
        .build_ui_state(
            |ui, s: &mut Studio| {
                for a in QUEUED.with(|q| std::mem::take(&mut *q.borrow_mut())) {
                    s.run(ui, a);
                }
                s.ui(ui)
            },
            studio,
        );
    h.run_steps(3);
    h
}

/// Run `a` as a menu item or the palette does, in one frame.
pub fn run_action(h: &mut H, a: Action) {
    QUEUED.with(|q| q.borrow_mut().push(a));
    h.step();
}

/// One frame with exactly these raw events.
pub fn frame(h: &mut H, events: impl IntoIterator<Item = Event>) {
    h.input_mut().events.extend(events);
    h.step();
}

/// Hover, press, release: three frames.
pub fn click(h: &mut H, p: Pos2) {
    let b = |pressed| Event::PointerButton {
        pos: p,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    frame(h, [Event::PointerMoved(p)]);
    frame(h, [b(true)]);
    frame(h, [b(false)]);
}

/// Press and release `k` with `modifiers` held, then release the modifiers.
pub fn key(h: &mut H, modifiers: Modifiers, k: Key) {
    let e = |pressed| Event::Key {
        key: k,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    };
    frame(h, [Event::ModifiersChanged(modifiers), e(true), e(false)]);
    frame(h, [Event::ModifiersChanged(Modifiers::NONE)]);
}

pub fn type_text(h: &mut H, text: &str) {
    frame(h, [Event::Text(text.to_string())]);
}

/// The AccessKit description of a table's card (columns, keys, indexes, open comments).
pub fn card_description(h: &H, table: &str) -> String {
    h.get_by_role_and_label(Role::Group, table)
        .accesskit_node()
        .description()
        .unwrap_or_default()
        .to_string()
}
