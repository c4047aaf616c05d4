//! The relationship explorer (issue 16, item 1): E opens it on the selection, its cards are
//! the neighbourhood (egui_graphs, AccessKit nodes "explorer: NAME"), a click selects the table
//! on the canvas, "+N more" shows the left-out neighbours, a double-click re-centres, and an
//! open explorer lets the studio sleep once the pointer rests.

use crowfoot::model::*;
use crowfoot::ui::actions::Action;
use egui::{Event, Modifiers, Pos2, accesskit::Role};
use egui_kittest::kittest::{NodeT, Queryable};
#[path = "support/panel_harness.rs"]
mod panel_harness;

use panel_harness::*;

/// The names on the explorer's cards.
fn cards(h: &H) -> Vec<String> {
    let mut v: Vec<String> = h
        .query_all_by_role(Role::Group)
        .filter_map(|n| n.accesskit_node().label())
        .filter_map(|l| l.strip_prefix("explorer: ").map(str::to_string))
        .collect();
    v.sort();
    v
}

fn card_rect(h: &H, name: &str) -> egui::Rect {
    h.get_by_role_and_label(Role::Group, &format!("explorer: {name}"))
        .rect()
}

fn open_on(h: &mut H, table: &str) {
    let t = id_of(h, table);
    h.state_mut().sel.tables = [t].into();
    key(h, Modifiers::NONE, egui::Key::E);
    h.run_steps(3);
}

#[test]
fn e_opens_the_neighbourhood_of_the_selection_and_a_click_selects_on_the_canvas() {
    let mut h = harness(crowfoot::samples::shop::build());
    open_on(&mut h, "orders");
    assert!(h.state().explorer.open);
    let shown = cards(&h);
    let p = h.state().doc.project().clone();
    let orders = id_of(&h, "orders");
    // One hop both ways: exactly the tables orders references and those referencing it.
    let mut expected: Vec<String> = p
        .foreign_keys_from(orders)
        .iter()
        .map(|f| f.to_table)
        .chain(p.foreign_keys_to(orders).iter().map(|f| f.from_table))
        .chain([orders])
        .map(|t| p.table(t).unwrap().name.clone())
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(shown, expected);
    let built = h.state().explorer.built.as_ref().expect("built");
    assert!(built.layout_steps > 0, "the force layout ran");
    assert!(built.graph.edge_count() > 0);

    // A click on the customers card selects customers on the canvas.
    let c = card_rect(&h, "customers").center();
    click(&mut h, c);
    h.run_steps(2);
    let customers = id_of(&h, "customers");
    assert_eq!(
        h.state().sel.tables.iter().copied().collect::<Vec<_>>(),
        [customers]
    );
}

#[test]
fn more_shows_left_out_neighbours_and_a_double_click_recentres() {
    let mut h = harness(crowfoot::samples::shop::build());
    open_on(&mut h, "orders");
    let before = cards(&h).len();
    // A card with neighbours left out shows "+N more" on its last line: click it.
    let built = h.state().explorer.built.as_ref().expect("built");
    let with_more: Vec<String> = built
        .graph
        .nodes_iter()
        .filter(|(_, n)| n.payload().more > 0)
        .map(|(_, n)| n.payload().name.clone())
        .collect();
    assert!(
        !with_more.is_empty(),
        "some neighbour has neighbours of its own"
    );
    let name = &with_more[0];
    let r = card_rect(&h, name);
    click(&mut h, Pos2::new(r.left() + 12.0, r.bottom() - 5.0));
    h.run_steps(3);
    assert!(
        cards(&h).len() > before,
        "the left-out neighbours are shown"
    );
    assert!(h.state().explorer.focus.expanded.contains(&id_of(&h, name)));

    // Double-click re-centres on the table.
    let c = card_rect(&h, "customers").center();
    for _ in 0..14 {
        h.step(); // past the triple-click window
    }
    let b = |pressed| Event::PointerButton {
        pos: c,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    frame(&mut h, [Event::PointerMoved(c)]);
    frame(&mut h, [b(true)]);
    frame(&mut h, [b(false)]);
    frame(&mut h, [b(true)]);
    frame(&mut h, [b(false)]);
    h.run_steps(3);
    let customers = id_of(&h, "customers");
    assert_eq!(h.state().explorer.focus.start, vec![customers]);
    assert!(cards(&h).contains(&"customers".to_string()));
}

#[test]
fn an_open_explorer_lets_the_studio_sleep_once_the_pointer_rests() {
    let mut h = harness(crowfoot::samples::saas::build());
    let first = h
        .state()
        .doc
        .project()
        .tables()
        .next()
        .unwrap()
        .name
        .clone();
    open_on(&mut h, &first);
    assert!(!cards(&h).is_empty());
    // Move over the graph (the live widget runs), then rest.
    let c = card_rect(&h, &first).center();
    frame(&mut h, [Event::PointerMoved(c + egui::vec2(3.0, 3.0))]);
    assert_idle(&mut h, "explorer open, pointer resting on it");
    // Closed again: the studio is idle as before.
    h.state_mut().explorer.open = false;
    assert_idle(&mut h, "explorer closed");
    // The action is listed where actions are.
    assert!(Action::all().any(|a| a == Action::ExploreRelations));
}

#[test]
fn p_finds_paths_between_two_selected_tables_highlights_one_and_copies_its_join() {
    let mut h = harness(crowfoot::samples::shop::build());
    let (items, customers) = (id_of(&h, "order_items"), id_of(&h, "customers"));
    h.state_mut().sel.tables = [items, customers].into();
    key(&mut h, Modifiers::NONE, egui::Key::P);
    h.run_steps(2);
    assert!(h.state().paths.open);
    // The window lists the paths, shortest first; the first is on the canvas.
    h.get_by_label_contains("1. ");
    let emphasis = h
        .state()
        .canvas
        .emphasis
        .clone()
        .expect("a path is highlighted");
    let names: BTreeSetNames = emphasis
        .iter()
        .map(|t| h.state().doc.project().table(*t).unwrap().name.clone())
        .collect();
    assert_eq!(
        names,
        ["customers", "order_items", "orders"]
            .map(String::from)
            .into()
    );
    let fks = h
        .state()
        .canvas
        .emphasis_fks
        .clone()
        .expect("only the path's keys");
    assert_eq!(fks.len(), 2);
    // Pick the second path: the highlight follows.
    h.get_by_label_contains("2. ").click();
    h.run_steps(2);
    assert_eq!(h.state().paths.chosen, 1);
    assert_eq!(h.state().canvas.emphasis.as_ref().unwrap().len(), 4);
    // Copy as JOIN puts the SELECT on the clipboard.
    h.get_by_label("Copy as JOIN").click();
    h.run_steps(1);
    let copied: Vec<String> = h
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert!(
        copied.iter().any(|t| t.starts_with("SELECT *\nFROM ")
            && t.lines().count() == 5
            && t.contains("\nJOIN orders ON ")
            && t.contains("order_items")),
        "{copied:?}"
    );
    assert!(
        h.state().status.contains("JOIN of 4 tables copied"),
        "{}",
        h.state().status
    );
}

type BTreeSetNames = std::collections::BTreeSet<String>;

#[test]
fn o_focuses_on_the_selection_and_its_neighbours_and_esc_leaves() {
    let mut h = harness(crowfoot::samples::shop::build());
    let orders = id_of(&h, "orders");
    h.state_mut().sel.tables = [orders].into();
    key(&mut h, Modifiers::NONE, egui::Key::O);
    h.run_steps(2);
    let p = h.state().doc.project().clone();
    let mut expected: std::collections::BTreeSet<TableId> = [orders].into();
    for fk in p.foreign_keys() {
        if fk.from_table == orders {
            expected.insert(fk.to_table);
        }
        if fk.to_table == orders {
            expected.insert(fk.from_table);
        }
    }
    assert_eq!(h.state().canvas.emphasis.as_ref(), Some(&expected));
    h.get_by_label_contains("Focus: orders + 1 key away");
    // Two keys away shows more.
    h.get_by_label("+").click();
    h.run_steps(2);
    assert!(h.state().canvas.emphasis.as_ref().unwrap().len() > expected.len());
    // Esc leaves focus first (the selection stays), a second Esc clears the selection.
    key(&mut h, Modifiers::NONE, egui::Key::Escape);
    h.run_steps(2);
    assert!(h.state().focus.is_none() && h.state().canvas.emphasis.is_none());
    assert_eq!(h.state().sel.tables.len(), 1);
    assert_idle(&mut h, "after leaving focus");
}

#[test]
fn zoomed_out_names_stay_legible_without_overlap_and_search_matches_come_first() {
    let mut h = harness(crowfoot::samples::generated::build(600, 6, 3));
    run_action(&mut h, Action::Fit);
    h.run_steps(2);
    assert!(
        h.state().canvas.zoom < crowfoot::ui::canvas::HEADER_ONLY_ZOOM,
        "600 tables fit only zoomed out"
    );
    let labels = h.state().canvas.labels_drawn.borrow().clone();
    assert!(labels.len() > 40, "{} labels", labels.len());
    for (i, (_, a)) in labels.iter().enumerate() {
        assert!(a.height() >= 11.0, "readable: {a:?}");
        assert!(h.state().canvas.viewport.intersects(*a));
        for (_, b) in &labels[i + 1..] {
            assert!(!a.intersects(*b), "labels overlap: {a:?} {b:?}");
        }
    }
    // A search outlines the matches and labels them before any other.
    let name = h
        .state()
        .doc
        .project()
        .tables()
        .nth(123)
        .unwrap()
        .name
        .clone();
    h.state_mut().tables.filter = name.clone();
    h.run_steps(2);
    let found = h.state().canvas.found.clone();
    assert!(!found.is_empty());
    let labels = h.state().canvas.labels_drawn.borrow().clone();
    let first = labels.first().expect("labels").0;
    assert!(found.contains(&first), "a match is labelled first");
}

#[test]
fn suggested_areas_are_previewed_applied_as_one_edit_and_undone() {
    let mut h = harness(crowfoot::samples::saas::build());
    let before = h.state().doc.project().clone();
    run_action(&mut h, Action::SuggestAreas);
    h.run_steps(2);
    h.get_by_label_contains("modularity");
    // Pointing at an area veils the rest of the canvas.
    let first = h
        .query_all_by_label_contains(" tables)")
        .next()
        .expect("an area in the list")
        .rect()
        .center();
    frame(&mut h, [Event::PointerMoved(first)]);
    h.run_steps(1);
    assert!(
        h.state().canvas.emphasis.is_some(),
        "the hovered area is shown"
    );
    h.get_by_label("Apply").click();
    h.run_steps(3);
    let after = h.state().doc.project().clone();
    assert!(
        after.areas().count() >= 2,
        "{} areas",
        after.areas().count()
    );
    let moved = before
        .tables()
        .filter(|t| after.table(t.id).unwrap().position != t.position)
        .count();
    assert!(moved > 0, "laid out by area");
    // One undo step takes it all back.
    run_action(&mut h, Action::Undo);
    h.run_steps(1);
    assert_eq!(h.state().doc.project(), &before);
}
