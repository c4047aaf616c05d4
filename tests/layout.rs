//! Auto-layout: no overlapping cards (real card sizes), determinism, parents before children
//! in the layered layout, cycles and self-references, tiny projects, undo, compact packing
//! of disconnected components, and selections.

use crowfoot::diagram::geometry::card_size;
use crowfoot::diagram::layout::{
    self, Direction, ForceOptions, ForceStart, LayeredOptions, feedback_arcs,
};
use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::*;
use crowfoot::samples::{generated, hostile, saas, shop, social};
use std::collections::{BTreeMap, BTreeSet};

/// Smallest gap required between any two cards after a layout.
const MARGIN: f32 = 20.0;

fn samples() -> Vec<(&'static str, Project)> {
    vec![
        ("social", social::build()),
        ("shop", shop::build()),
        ("saas", saas::build()),
        ("hostile", hostile::build()),
        ("generated-300", generated::build(300, 8, 3)),
        ("generated-120", generated::build(120, 5, 42)),
    ]
}

fn applied(p: &Project, cmd: &Command) -> Project {
    let mut q = p.clone();
    cmd.clone().apply(&mut q).expect("layout command applies");
    q
}

/// Card rectangles `[x, y, w, h]` by table id.
fn rects(p: &Project) -> BTreeMap<TableId, [f32; 4]> {
    p.tables()
        .map(|t| {
            let [w, h] = card_size(t, p);
            (t.id, [t.position.x, t.position.y, w, h])
        })
        .collect()
}

fn positions(p: &Project) -> BTreeMap<TableId, Position> {
    p.tables().map(|t| (t.id, t.position)).collect()
}

fn assert_no_overlap(name: &str, p: &Project, margin: f32) {
    let r: Vec<(TableId, [f32; 4])> = rects(p).into_iter().collect();
    for (i, (ia, a)) in r.iter().enumerate() {
        assert!(
            a.iter().all(|v| v.is_finite()),
            "{name}: table {ia} has a non-finite rect {a:?}"
        );
        for (ib, b) in &r[i + 1..] {
            let apart = a[0] + a[2] + margin <= b[0]
                || b[0] + b[2] + margin <= a[0]
                || a[1] + a[3] + margin <= b[1]
                || b[1] + b[3] + margin <= a[1];
            assert!(
                apart,
                "{name}: tables {ia} {a:?} and {ib} {b:?} are closer than {margin}"
            );
        }
    }
}

fn bbox(p: &Project) -> [f32; 4] {
    let mut lo = [f32::INFINITY; 2];
    let mut hi = [f32::NEG_INFINITY; 2];
    for [x, y, w, h] in rects(p).into_values() {
        lo = [lo[0].min(x), lo[1].min(y)];
        hi = [hi[0].max(x + w), hi[1].max(y + h)];
    }
    [lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1]]
}

/// Every foreign key outside the feedback set (and not a self-reference) has its referenced
/// table strictly before the referencing one along the layer axis.
fn assert_parents_first(name: &str, p: &Project, laid: &Project, dir: Direction) {
    let fas = feedback_arcs(p);
    let r = rects(laid);
    for fk in laid.foreign_keys() {
        if fk.from_table == fk.to_table || fas.contains(&fk.id) {
            continue;
        }
        let (c, par) = (r[&fk.from_table], r[&fk.to_table]);
        let ok = match dir {
            Direction::LeftToRight => par[0] + par[2] < c[0],
            Direction::TopToBottom => par[1] + par[3] < c[1],
        };
        assert!(
            ok,
            "{name}: fk {} from {} {c:?} to {} {par:?} is not parents-first ({dir:?})",
            fk.id, fk.from_table, fk.to_table
        );
    }
}

fn table_with_refs(b: &mut ProjectBuilder, name: &str, refs: usize, extra: usize) -> TableId {
    b.table(name, |t| {
        t.col("id", LogicalType::BigInt).pk();
        for i in 0..refs {
            t.col(&format!("ref{i}_id"), LogicalType::BigInt);
        }
        for i in 0..extra {
            t.col(&format!("attribute_{i}"), LogicalType::Text);
        }
    })
}

/// Tables a..f with cycles a→b→c→a, a 2-cycle d↔e, self-references on a and f, and f → a.
fn cyclic() -> Project {
    let mut b = ProjectBuilder::new("cyclic");
    let ids: Vec<TableId> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .enumerate()
        .map(|(i, n)| table_with_refs(&mut b, n, 3, i))
        .collect();
    let fk = |b: &mut ProjectBuilder, from: usize, col: &str, to: usize| {
        b.fk(ids[from], &[col], ids[to], &["id"]);
    };
    fk(&mut b, 0, "ref0_id", 1);
    fk(&mut b, 1, "ref0_id", 2);
    fk(&mut b, 2, "ref0_id", 0);
    fk(&mut b, 3, "ref0_id", 4);
    fk(&mut b, 4, "ref0_id", 3);
    fk(&mut b, 0, "ref1_id", 0);
    fk(&mut b, 5, "ref1_id", 5);
    fk(&mut b, 5, "ref0_id", 0);
    fk(&mut b, 3, "ref1_id", 5);
    b.build()
}

/// Three components: a star (1 + 12), a chain of 5 and a small tree of 7.
fn three_components() -> Project {
    let mut b = ProjectBuilder::new("three");
    let hub = table_with_refs(&mut b, "hub", 0, 2);
    for i in 0..12 {
        let leaf = table_with_refs(&mut b, &format!("spoke_{i}"), 1, i % 4);
        b.fk(leaf, &["ref0_id"], hub, &["id"]);
    }
    let mut prev = table_with_refs(&mut b, "chain_0", 1, 1);
    for i in 1..5 {
        let t = table_with_refs(&mut b, &format!("chain_{i}"), 1, i);
        b.fk(t, &["ref0_id"], prev, &["id"]);
        prev = t;
    }
    let root = table_with_refs(&mut b, "root", 0, 3);
    let kids: Vec<TableId> = (0..3)
        .map(|i| {
            let k = table_with_refs(&mut b, &format!("kid_{i}"), 1, 2);
            b.fk(k, &["ref0_id"], root, &["id"]);
            k
        })
        .collect();
    for (i, &k) in kids.iter().take(3).enumerate() {
        let g = table_with_refs(&mut b, &format!("grandkid_{i}"), 1, 1);
        b.fk(g, &["ref0_id"], k, &["id"]);
    }
    b.build()
}

fn all_projects() -> Vec<(&'static str, Project)> {
    let mut v = samples();
    v.push(("cyclic", cyclic()));
    v.push(("three", three_components()));
    v
}

#[test]
fn layered_has_no_overlaps() {
    for (name, p) in all_projects() {
        for dir in [Direction::LeftToRight, Direction::TopToBottom] {
            let opts = LayeredOptions {
                direction: dir,
                ..Default::default()
            };
            let laid = applied(&p, &layout::layered(&p, &opts));
            assert_no_overlap(&format!("{name} layered {dir:?}"), &laid, MARGIN);
        }
    }
}

#[test]
fn force_has_no_overlaps() {
    for (name, p) in all_projects() {
        for start in [ForceStart::Layered, ForceStart::Current] {
            let opts = ForceOptions {
                start,
                ..Default::default()
            };
            let laid = applied(&p, &layout::force(&p, &opts));
            assert_no_overlap(&format!("{name} force {start:?}"), &laid, MARGIN);
        }
    }
}

#[test]
fn generated_500_tables_have_no_overlaps() {
    let p = generated::build(500, 10, 1);
    let laid = applied(&p, &layout::layered(&p, &LayeredOptions::default()));
    assert_no_overlap("generated-500 layered", &laid, MARGIN);
    assert_parents_first("generated-500", &p, &laid, Direction::LeftToRight);
    let laid = applied(&p, &layout::force(&p, &ForceOptions::default()));
    assert_no_overlap("generated-500 force", &laid, MARGIN);
}

#[test]
fn layouts_are_deterministic() {
    for (name, p) in all_projects() {
        let a = layout::layered(&p, &LayeredOptions::default());
        let b = layout::layered(&p.clone(), &LayeredOptions::default());
        assert_eq!(a, b, "{name}: layered differs between runs");
        let a = layout::force(&p, &ForceOptions::default());
        let b = layout::force(&p.clone(), &ForceOptions::default());
        assert_eq!(a, b, "{name}: force differs between runs");
        let cur = ForceOptions {
            start: ForceStart::Current,
            ..Default::default()
        };
        assert_eq!(
            layout::force(&p, &cur),
            layout::force(&p, &cur),
            "{name}: force from current positions differs between runs"
        );
    }
}

#[test]
fn layered_twice_changes_nothing() {
    for (name, p) in all_projects() {
        let opts = LayeredOptions::default();
        let laid = applied(&p, &layout::layered(&p, &opts));
        assert_eq!(
            layout::layered(&laid, &opts),
            Command::MoveTables(Vec::new()),
            "{name}: a second layered layout moved tables"
        );
        let fo = ForceOptions::default();
        let laid = applied(&p, &layout::force(&p, &fo));
        assert_eq!(
            layout::force(&laid, &fo),
            Command::MoveTables(Vec::new()),
            "{name}: a second force layout (from the layered start) moved tables"
        );
    }
}

#[test]
fn layered_puts_referenced_tables_first() {
    for (name, p) in all_projects() {
        for dir in [Direction::LeftToRight, Direction::TopToBottom] {
            let opts = LayeredOptions {
                direction: dir,
                ..Default::default()
            };
            let laid = applied(&p, &layout::layered(&p, &opts));
            assert_parents_first(name, &p, &laid, dir);
        }
    }
}

#[test]
fn feedback_arcs_break_cycles_and_nothing_else() {
    let p = cyclic();
    let fas = feedback_arcs(&p);
    // One arc of each of the two cycles, no self-reference.
    assert_eq!(fas.len(), 2, "{fas:?}");
    for id in &fas {
        let fk = p.foreign_key(*id).expect("fas holds foreign keys");
        assert_ne!(fk.from_table, fk.to_table);
    }
    // The rest is acyclic.
    let mut g = petgraph::graph::DiGraph::<(), ()>::new();
    let nodes: BTreeMap<TableId, _> = p.tables().map(|t| (t.id, g.add_node(()))).collect();
    for fk in p.foreign_keys() {
        if fk.from_table != fk.to_table && !fas.contains(&fk.id) {
            g.add_edge(nodes[&fk.from_table], nodes[&fk.to_table], ());
        }
    }
    assert!(!petgraph::algo::is_cyclic_directed(&g));
    // Acyclic samples reverse nothing.
    for (name, p) in samples() {
        let mut g = petgraph::graph::DiGraph::<(), ()>::new();
        let nodes: BTreeMap<TableId, _> = p.tables().map(|t| (t.id, g.add_node(()))).collect();
        for fk in p.foreign_keys().filter(|fk| fk.from_table != fk.to_table) {
            g.add_edge(nodes[&fk.from_table], nodes[&fk.to_table], ());
        }
        if !petgraph::algo::is_cyclic_directed(&g) {
            assert!(feedback_arcs(&p).is_empty(), "{name}");
        }
    }
}

#[test]
fn cycles_and_self_references_lay_out() {
    let p = cyclic();
    for cmd in [
        layout::layered(&p, &LayeredOptions::default()),
        layout::force(&p, &ForceOptions::default()),
    ] {
        let laid = applied(&p, &cmd);
        assert_no_overlap("cyclic", &laid, MARGIN);
    }
    // A project that is one big cycle, and one where every table references itself.
    let mut b = ProjectBuilder::new("ring");
    let ids: Vec<TableId> = (0..40)
        .map(|i| table_with_refs(&mut b, &format!("t{i}"), 2, i % 5))
        .collect();
    for i in 0..40 {
        b.fk(ids[i], &["ref0_id"], ids[(i + 1) % 40], &["id"]);
        b.fk(ids[i], &["ref1_id"], ids[i], &["id"]);
    }
    let p = b.build();
    assert_eq!(feedback_arcs(&p).len(), 1);
    for cmd in [
        layout::layered(&p, &LayeredOptions::default()),
        layout::force(&p, &ForceOptions::default()),
    ] {
        assert_no_overlap("ring", &applied(&p, &cmd), MARGIN);
    }
}

#[test]
fn empty_and_single_table_projects() {
    let p = Project::new("empty");
    assert_eq!(
        layout::layered(&p, &LayeredOptions::default()),
        Command::MoveTables(Vec::new())
    );
    assert_eq!(
        layout::force(&p, &ForceOptions::default()),
        Command::MoveTables(Vec::new())
    );

    let mut b = ProjectBuilder::new("one");
    b.table("only", |t| {
        t.col("id", LogicalType::BigInt).pk();
        t.at(120.0, -40.0);
    });
    let p = b.build();
    // A single table already is its own layout: it stays where it is.
    for cmd in [
        layout::layered(&p, &LayeredOptions::default()),
        layout::force(&p, &ForceOptions::default()),
    ] {
        assert_eq!(positions(&applied(&p, &cmd)), positions(&p));
    }
}

#[test]
fn coincident_and_non_finite_positions_are_handled() {
    let mut p = generated::build(60, 6, 9);
    let moves: Vec<(TableId, Position)> = p
        .tables()
        .map(|t| (t.id, Position { x: 10.0, y: 10.0 }))
        .collect();
    Command::MoveTables(moves).apply(&mut p).unwrap();
    let cur = ForceOptions {
        start: ForceStart::Current,
        ..Default::default()
    };
    assert_no_overlap(
        "stacked force",
        &applied(&p, &layout::force(&p, &cur)),
        MARGIN,
    );
    assert_no_overlap(
        "stacked layered",
        &applied(&p, &layout::layered(&p, &LayeredOptions::default())),
        MARGIN,
    );
    let first = p.tables().next().unwrap().id;
    Command::MoveTables(vec![(
        first,
        Position {
            x: f32::NAN,
            y: f32::INFINITY,
        },
    )])
    .apply(&mut p)
    .unwrap();
    assert_no_overlap("nan force", &applied(&p, &layout::force(&p, &cur)), MARGIN);
}

#[test]
fn odd_options_do_not_break_layouts() {
    let p = shop::build();
    let layered_opts = [
        LayeredOptions {
            node_gap: 0.0,
            layer_gap: 0.0,
            component_gap: 0.0,
            aspect: 0.0,
            crossing_sweeps: 0,
            align_sweeps: 0,
            ..Default::default()
        },
        LayeredOptions {
            node_gap: f32::NAN,
            layer_gap: -5.0,
            component_gap: f32::INFINITY,
            aspect: f32::NAN,
            wrap_layers: false,
            compact_layers: false,
            ..Default::default()
        },
        LayeredOptions {
            aspect: 1.0e30,
            direction: Direction::TopToBottom,
            ..Default::default()
        },
    ];
    for o in &layered_opts {
        let laid = applied(&p, &layout::layered(&p, o));
        assert_no_overlap(&format!("layered {o:?}"), &laid, 0.0);
    }
    let force_opts = [
        ForceOptions {
            iterations: 0,
            gap: 0.0,
            component_gap: -1.0,
            ..Default::default()
        },
        ForceOptions {
            edge_length: f32::INFINITY,
            gravity: f32::INFINITY,
            gap: f32::NAN,
            aspect: -1.0,
            start: ForceStart::Current,
            ..Default::default()
        },
        ForceOptions {
            edge_length: 1.0,
            iterations: 20,
            ..Default::default()
        },
    ];
    for o in &force_opts {
        let laid = applied(&p, &layout::force(&p, o));
        assert_no_overlap(&format!("force {o:?}"), &laid, 0.0);
    }
}

#[test]
fn undo_restores_positions() {
    for (name, p) in all_projects() {
        for cmd in [
            layout::layered(&p, &LayeredOptions::default()),
            layout::force(&p, &ForceOptions::default()),
        ] {
            let mut q = p.clone();
            let inverse = cmd.apply(&mut q).expect("applies");
            let inverse2 = inverse.apply(&mut q).expect("undo applies");
            assert_eq!(positions(&q), positions(&p), "{name}");
            assert!(q == p, "{name}: undo did not restore the project");
            // And redo gives the layout again.
            inverse2.apply(&mut q).expect("redo applies");
            assert_no_overlap(name, &q, MARGIN);
        }
    }
    // Through History as the studio does.
    let mut p = shop::build();
    let before = positions(&p);
    let mut h = History::default();
    let cmd = layout::layered(&p, &LayeredOptions::default());
    h.apply(&mut p, cmd).unwrap();
    assert_ne!(positions(&p), before);
    h.undo(&mut p).unwrap();
    assert_eq!(positions(&p), before);
}

#[test]
fn disconnected_components_are_packed_compactly() {
    let p = three_components();
    for (kind, cmd) in [
        ("layered", layout::layered(&p, &LayeredOptions::default())),
        ("force", layout::force(&p, &ForceOptions::default())),
        (
            "layered top-to-bottom",
            layout::layered(
                &p,
                &LayeredOptions {
                    direction: Direction::TopToBottom,
                    ..Default::default()
                },
            ),
        ),
    ] {
        let laid = applied(&p, &cmd);
        let [_, _, w, h] = bbox(&laid);
        let aspect = w / h;
        assert!(
            (0.3..=4.0).contains(&aspect),
            "{kind}: bounding box {w} x {h} (aspect {aspect})"
        );
        // Compact: the cards cover a fair share of the bounding box.
        let cards: f32 = rects(&laid).values().map(|r| r[2] * r[3]).sum();
        assert!(cards / (w * h) > 0.1, "{kind}: density {}", cards / (w * h));
    }
    // Many isolated tables end up in a grid-like block, not in one row.
    let mut b = ProjectBuilder::new("isolated");
    for i in 0..50 {
        table_with_refs(&mut b, &format!("lonely_{i}"), 0, i % 7);
    }
    let p = b.build();
    let laid = applied(&p, &layout::layered(&p, &LayeredOptions::default()));
    let [_, _, w, h] = bbox(&laid);
    assert!((0.3..=4.0).contains(&(w / h)), "isolated: {w} x {h}");
    assert_no_overlap("isolated", &laid, MARGIN);
}

#[test]
fn generated_layout_keeps_a_screen_like_shape() {
    let p = generated::build(400, 10, 5);
    let laid = applied(&p, &layout::layered(&p, &LayeredOptions::default()));
    let [_, _, w, h] = bbox(&laid);
    assert!((0.5..=4.0).contains(&(w / h)), "layered: {w} x {h}");
    let laid = applied(&p, &layout::force(&p, &ForceOptions::default()));
    let [_, _, w, h] = bbox(&laid);
    assert!((0.3..=4.0).contains(&(w / h)), "force: {w} x {h}");
}

#[test]
fn layout_keeps_the_top_left_corner() {
    let p = saas::build();
    let before = bbox(&p);
    let laid = applied(&p, &layout::layered(&p, &LayeredOptions::default()));
    let after = bbox(&laid);
    assert_eq!([before[0].round(), before[1].round()], [after[0], after[1]]);
}

#[test]
fn selection_layout_moves_only_the_selection() {
    let p = generated::build(80, 6, 11);
    let selection: BTreeSet<TableId> = p.tables().map(|t| t.id).step_by(3).collect();
    for cmd in [
        layout::layered_selection(&p, &LayeredOptions::default(), &selection),
        layout::force_selection(&p, &ForceOptions::default(), &selection),
    ] {
        let Command::MoveTables(moves) = &cmd else {
            panic!("expected MoveTables, got {cmd:?}");
        };
        assert!(!moves.is_empty());
        assert!(moves.iter().all(|(id, _)| selection.contains(id)));
        let laid = applied(&p, &cmd);
        // The selection is laid out without overlaps; the generated grid's own spacing is
        // left as it was, so only check pairs involving a moved table.
        let r = rects(&laid);
        for id in &selection {
            let a = r[id];
            for (ib, b) in &r {
                if ib == id {
                    continue;
                }
                let apart = a[0] + a[2] <= b[0]
                    || b[0] + b[2] <= a[0]
                    || a[1] + a[3] <= b[1]
                    || b[1] + b[3] <= a[1];
                assert!(apart, "selected {id} {a:?} overlaps {ib} {b:?}");
            }
        }
    }
    // An empty selection moves nothing.
    assert_eq!(
        layout::layered_selection(&p, &LayeredOptions::default(), &BTreeSet::new()),
        Command::MoveTables(Vec::new())
    );
}

#[test]
fn progress_reaches_one_with_the_same_result_and_a_cancelled_layout_stops_early() {
    let p = generated::build(400, 6, 7);
    let progress = layout::Progress::default();
    assert_eq!(progress.fraction(), 0.0);
    let with = layout::layered_with_progress(&p, &LayeredOptions::default(), &progress);
    assert_eq!(progress.fraction(), 1.0, "all the work is counted");
    assert_eq!(
        with,
        Some(layout::layered(&p, &LayeredOptions::default())),
        "reporting progress changes nothing"
    );
    let progress = layout::Progress::default();
    let forced = layout::force_with_progress(&p, &ForceOptions::default(), &progress);
    assert_eq!(progress.fraction(), 1.0);
    assert_eq!(forced, Some(layout::force(&p, &ForceOptions::default())));

    // Cancelled: no result, at once.
    let progress = layout::Progress::default();
    progress.cancel();
    let t = std::time::Instant::now();
    assert_eq!(
        layout::layered_with_progress(&p, &LayeredOptions::default(), &progress),
        None
    );
    assert!(progress.fraction() < 0.01, "{}", progress.fraction());
    assert!(t.elapsed() < std::time::Duration::from_secs(5));
}
