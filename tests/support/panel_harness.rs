//! A small egui_kittest harness for the studio's panel tests (Normalize, Indexes, review and
//! presenter): the studio at 1400 × 900, raw-input helpers, and what a card tells AccessKit.
#![allow(dead_code)] // each test file uses part of it

use crowfoot::model::Project;
use crowfoot::ui::actions::Action;
use crowfoot::ui::{Request, Studio};
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::cell::RefCell;
use std::time::Duration;

pub type H = Harness<'static, Studio>;

pub fn harness(project: Project) -> H {
    harness_for(Studio::new(project, None))
}

thread_local! {
    /// Actions for the next frame of this thread's harness (see [`run_action`]).
    static QUEUED: RefCell<Vec<Action>> = const { RefCell::new(Vec::new()) };
    /// Requests for the next frame of this thread's harness (see [`send`]).
    static REQUESTS: RefCell<Vec<Request>> = const { RefCell::new(Vec::new()) };
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
                let requests = REQUESTS.with(|q| std::mem::take(&mut *q.borrow_mut()));
                s.handle(ui, requests);
                s.ui(ui)
            },
            studio,
        );
    h.run_steps(3);
    h
}

/// The id of the table named `name` (no schema) in the studio's project.
pub fn id_of(h: &H, name: &str) -> crowfoot::model::TableId {
    h.state()
        .doc
        .project()
        .table_by_name(None, name)
        .expect("table")
        .id
}

/// Run `a` as a menu item or the palette does, in one frame.
pub fn run_action(h: &mut H, a: Action) {
    QUEUED.with(|q| q.borrow_mut().push(a));
    h.step();
}

/// Hand `requests` to `Studio::handle` as a panel would, in one frame.
pub fn send(h: &mut H, requests: Vec<Request>) {
    REQUESTS.with(|q| q.borrow_mut().extend(requests));
    h.step();
}

/// How often a blinking text cursor would wake the studio up (egui's default on/off time).
pub fn blink_interval() -> Duration {
    let c = egui::style::TextCursorStyle::default();
    Duration::from_secs_f32(c.on_duration.min(c.off_duration))
}

/// Let the studio idle as eframe would, for `secs` seconds of egui time: every frame runs when
/// the one before asked to be repainted (an immediate repaint: one 60 Hz frame later), with no
/// input. Returns the repaint delays the frames after the first second requested (that second
/// lets animations, tooltips and focus changes settle), each with what asked for it; a delay
/// longer than what is left ends the run. Before, egui's defaults are restored where kittest
/// changes them: the text cursor blinks and animations take their time.
pub fn idle_repaints(h: &mut H, secs: f64) -> Vec<(Duration, String)> {
    h.ctx.all_styles_mut(|s| {
        s.visuals.text_cursor.blink = true;
        s.animation_time = egui::Style::default().animation_time;
    });
    let start = h.ctx.input(|i| i.time) + 1.0 / 60.0;
    let mut t = start;
    let mut delays = Vec::new();
    for _ in 0..1000 {
        h.input_mut().time = Some(t);
        h.step();
        let d = h.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
        if t - start >= 1.0 {
            delays.push((d, format!("{:?}", h.ctx.repaint_causes())));
        }
        let next = t + d.as_secs_f64().max(1.0 / 60.0);
        if next - start > secs {
            break;
        }
        t = next;
    }
    h.input_mut().time = None;
    delays
}

/// After settling, the studio in this state asks for no repaint sooner than a blinking cursor
/// would (most states ask for none at all).
#[track_caller]
pub fn assert_idle(h: &mut H, state: &str) {
    let delays = idle_repaints(h, 6.0);
    if let Some((shortest, causes)) = delays.iter().min_by_key(|(d, _)| *d) {
        assert!(
            *shortest >= blink_interval(),
            "{state}: the studio keeps repainting ({} frames in 5 s idle, one asking for the next \
             after {shortest:?}, requested by {causes})",
            delays.len(),
        );
    }
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
