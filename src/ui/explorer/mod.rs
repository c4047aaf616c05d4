//! View ▸ Explore relations (issue 16): the selected tables and their neighbourhood in a
//! window, drawn with egui_graphs (`GraphView` over a graph built from the model, ids mapped to
//! its own indices), laid out by egui_graphs' Fruchterman–Reingold force layout run until it
//! settles when the graph is built (then stopped).
//!
//! What is shown is `analysis::explore::FkGraph::explore` (1–3 hops, outgoing, incoming or
//! both, optionally views, at most [`CAP`] tables with "+N more" on the cards whose
//! neighbours are left out; a click on that line shows them). A click on a card selects the
//! table on the main canvas; a double-click re-centres the explorer on it.
//!
//! Repaints: `GraphView::show` asks for a repaint every frame. The live widget is drawn only
//! while the pointer moves, presses or scrolls over the graph (and half a second after);
//! otherwise the same shapes are painted from the settled positions, which asks for nothing,
//! so an open, idle explorer lets the studio sleep (tests/studio_explore.rs measures it).

mod shapes;

use super::request::{Request, View};
use crate::analysis::explore::{Direction, FkGraph, Focus};
use crate::model::{TableId, ViewId};
use egui::{Pos2, Rect, Vec2};
use egui_graphs::{
    DisplayEdge, DisplayNode, DrawContext, ForceAlgorithm, FruchtermanReingold,
    FruchtermanReingoldState, GraphChange, GraphView, MetadataFrame, SettingsInteraction,
    SettingsNavigation, SettingsStyle,
};
use petgraph::Directed;
use petgraph::stable_graph::NodeIndex;
pub use shapes::{Card, CardShape, Link, LinkShape};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use strum::IntoEnumIterator;

/// At most this many tables (force layout is O(n²) per step).
pub const CAP: usize = 200;
/// Layout steps at most; the layout stops earlier when nodes move less than a point.
const MAX_STEPS: usize = 400;
const GRAPH_ID: &str = "crowfoot-explorer";

pub type ExGraph = egui_graphs::Graph<Arc<Card>, Link, Directed, u32, CardShape, LinkShape>;

/// A layout that does nothing: positions come from the settled force layout.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Fixed;
impl egui_graphs::LayoutState for Fixed {}
#[derive(Debug, Default)]
pub struct FixedLayout;
impl egui_graphs::Layout<Fixed> for FixedLayout {
    fn from_state(_: Fixed) -> impl egui_graphs::Layout<Fixed> {
        FixedLayout
    }
    fn next<N, E, Ty, Ix, Dn, De>(
        &mut self,
        _: &mut egui_graphs::Graph<N, E, Ty, Ix, Dn, De>,
        _: &egui::Ui,
    ) where
        N: Clone,
        E: Clone,
        Ty: petgraph::EdgeType,
        Ix: petgraph::stable_graph::IndexType,
        Dn: DisplayNode<N, E, Ty, Ix>,
        De: DisplayEdge<N, E, Ty, Ix, Dn>,
    {
    }
    fn state(&self) -> Fixed {
        Fixed
    }
}

/// The graph of one question, laid out.
pub struct Built {
    key: (u64, Focus),
    pub graph: ExGraph,
    pub nodes: HashMap<NodeIndex, Target>,
    pub left_out: usize,
    /// Force-layout steps until it settled.
    pub layout_steps: usize,
    /// The view was fitted to the graph once.
    fitted: bool,
}

/// Whether the live widget was shown yet (its first frame fits the view its own way; ours is
/// kept so cards do not jump under the pointer).
#[derive(Clone, Copy, Default)]
struct LiveShown;

/// What a card stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Table(TableId),
    View(ViewId),
}

pub struct ExplorerPanel {
    pub open: bool,
    pub focus: Focus,
    pub built: Option<Built>,
    /// The live widget is drawn until this time (seconds, egui's clock).
    live_until: f64,
    /// Where the pointer was last frame (a move wakes the live widget).
    last_pointer: Option<Pos2>,
}

impl Default for ExplorerPanel {
    fn default() -> Self {
        ExplorerPanel {
            open: false,
            focus: Focus {
                start: Vec::new(),
                hops: 1,
                direction: Direction::Both,
                expanded: BTreeSet::new(),
                views: false,
                cap: CAP,
            },
            built: None,
            live_until: 0.0,
            last_pointer: None,
        }
    }
}

impl ExplorerPanel {
    /// Open on `tables` (the selection).
    pub fn open_on(&mut self, tables: Vec<TableId>) {
        self.open = true;
        if !tables.is_empty() {
            self.focus.start = tables;
            self.focus.expanded.clear();
        }
    }

    pub fn ui(&mut self, view: &View, ctx: &egui::Context) -> Vec<Request> {
        let mut out = Vec::new();
        let mut open = self.open;
        super::widgets::closable_window(ctx, "Relations", &mut open, [900.0, 640.0], |ui| {
            self.contents(view, ui, &mut out)
        });
        self.open = open;
        out
    }

    fn contents(&mut self, view: &View, ui: &mut egui::Ui, out: &mut Vec<Request>) {
        let p = view.doc.project();
        self.focus.start.retain(|t| p.table(*t).is_some());
        ui.horizontal(|ui| {
            ui.label("Hops");
            for h in 1..=3 {
                ui.selectable_value(&mut self.focus.hops, h, h.to_string());
            }
            ui.separator();
            for d in Direction::iter() {
                ui.selectable_value(&mut self.focus.direction, d, d.to_string());
            }
            ui.separator();
            ui.checkbox(&mut self.focus.views, "views");
            if ui
                .add_enabled(!view.sel.tables.is_empty(), egui::Button::new("Selection"))
                .on_hover_text("Start from the tables selected on the canvas")
                .clicked()
            {
                self.focus.start = view.sel.tables.iter().copied().collect();
                self.focus.expanded.clear();
            }
        });
        if self.focus.start.is_empty() {
            ui.label("Select one or more tables on the canvas, then press Selection (or E).");
            return;
        }
        let key = (view.doc.version(), self.focus.clone());
        if self.built.as_ref().is_none_or(|b| b.key != key) {
            self.built = Some(build(&FkGraph::new(p), &self.focus, key));
        }
        let Some(b) = self.built.as_mut() else {
            return;
        };
        let names: Vec<String> = self
            .focus
            .start
            .iter()
            .filter_map(|t| p.table(*t).map(|t| t.qualified_name()))
            .collect();
        ui.label(format!(
            "{} tables around {}{}",
            b.nodes
                .values()
                .filter(|t| matches!(t, Target::Table(_)))
                .count(),
            names.join(", "),
            if b.left_out > 0 {
                format!(" ({} more within reach not shown)", b.left_out)
            } else {
                String::new()
            }
        ));
        let rect = ui.available_rect_before_wrap();
        if !b.fitted {
            fit(ui, rect, &b.graph);
            b.fitted = true;
        }
        let now = ui.input(|i| i.time);
        let pointer = ui.input(|i| i.pointer.latest_pos());
        let moved = pointer != self.last_pointer;
        self.last_pointer = pointer;
        let active = ui.rect_contains_pointer(rect)
            && ui.input(|i| {
                moved
                    || i.pointer.any_down()
                    || i.pointer.any_released()
                    || i.smooth_scroll_delta != Vec2::ZERO
                    || i.zoom_delta() != 1.0
            });
        if active {
            self.live_until = now + 0.5;
        }
        // The widget's first frame fits the view its own way: have it while nothing is being
        // pointed at, then keep our fit.
        let first = ui.data(|d| d.get_temp::<LiveShown>(egui::Id::new(GRAPH_ID)).is_none());
        if now < self.live_until || first {
            let kept = MetadataFrame::new(Some(GRAPH_ID.into())).load(ui);
            let resp = GraphView::<Fixed, FixedLayout>::new()
                .with_id(Some(GRAPH_ID.into()))
                .with_interactions(
                    &SettingsInteraction::new()
                        .with_dragging_enabled(false)
                        .with_node_clicking_enabled(true)
                        .with_node_selection_enabled(true)
                        .with_hover_enabled(true),
                )
                .with_navigations(
                    &SettingsNavigation::new()
                        .with_fit_to_screen_enabled(false)
                        .with_zoom_and_pan_enabled(true),
                )
                .with_styles(&SettingsStyle::new().with_labels_always(false))
                .show(ui, &mut b.graph);
            if first {
                kept.clone().save(ui);
                ui.data_mut(|d| d.insert_temp(egui::Id::new(GRAPH_ID), LiveShown));
            }
            let pointer = resp
                .response
                .interact_pointer_pos()
                .or(resp.response.hover_pos());
            for change in resp.changes {
                match change {
                    GraphChange::NodeClicked { node } => {
                        let on_more = pointer.is_some_and(|pos| {
                            let meta = MetadataFrame::new(Some(GRAPH_ID.into())).load(ui);
                            let local = pos - resp.response.rect.left_top().to_vec2();
                            let canvas = meta.screen_to_canvas_pos(local);
                            b.graph.node(node).is_some_and(|n| {
                                n.payload().more > 0
                                    && shapes::more_line(card_rect(n)).contains(canvas)
                            })
                        });
                        match b.nodes.get(&node) {
                            Some(Target::Table(t)) if on_more => {
                                self.focus.expanded.insert(*t);
                            }
                            Some(Target::Table(t)) => {
                                out.push(Request::SelectOnly(vec![*t]));
                                out.push(Request::Reveal(*t, None));
                            }
                            _ => {}
                        }
                    }
                    GraphChange::NodeDoubleClicked { node } => {
                        if let Some(Target::Table(t)) = b.nodes.get(&node) {
                            self.focus.start = vec![*t];
                            self.focus.expanded.clear();
                        }
                    }
                    _ => {}
                }
            }
        } else {
            paint_static(ui, rect, &mut b.graph);
            // The live widget's id and sense (the next automatic id, as `GraphView::show`
            // allocates it), so a press that wakes it is already its own.
            ui.allocate_rect(rect, egui::Sense::click_and_drag());
        }
        accessibility(ui, rect, &b.graph, &b.nodes, view);
    }
}

/// Build and lay out the graph of `focus`.
pub fn build(g: &FkGraph, focus: &Focus, key: (u64, Focus)) -> Built {
    let p = g.project();
    let n = g.explore(focus);
    let mut graph = ExGraph::new();
    let mut index: HashMap<TableId, NodeIndex> = HashMap::new();
    let mut nodes: HashMap<NodeIndex, Target> = HashMap::new();
    let shown_fks: BTreeSet<_> = n.fks.iter().copied().collect();
    // Start positions: rings by distance, so the layout starts untangled and deterministic.
    let mut ring_count: HashMap<usize, usize> = HashMap::new();
    for (_, d) in &n.tables {
        *ring_count.entry(*d).or_default() += 1;
    }
    let mut ring_seen: HashMap<usize, usize> = HashMap::new();
    let mut place = |d: usize| {
        let k = ring_seen.entry(d).or_default();
        let total = ring_count.get(&d).copied().unwrap_or(1).max(1);
        let angle = std::f32::consts::TAU * (*k as f32 + 0.5 * (d % 2) as f32) / total as f32;
        *k += 1;
        let r = 260.0 * d as f32;
        Pos2::new(r * angle.cos(), r * angle.sin())
    };
    for (t, d) in &n.tables {
        let Some(table) = p.table(*t) else { continue };
        let mut rows: Vec<String> = Vec::new();
        if let Some(pk) = &table.primary_key {
            rows.extend(
                pk.columns
                    .iter()
                    .map(|c| format!("🔑 {}", table.column_name(*c))),
            );
        }
        for fk in p.foreign_keys_from(*t) {
            if shown_fks.contains(&fk.id) {
                for c in &fk.from_columns {
                    let row = format!("↗ {}", table.column_name(*c));
                    let key = format!("🔑 {}", table.column_name(*c));
                    if !rows.contains(&row) && !rows.contains(&key) {
                        rows.push(row);
                    }
                }
            }
        }
        let card = Card {
            table: Some(*t),
            view: None,
            name: table.qualified_name(),
            rows,
            more: n.more.get(t).copied().unwrap_or(0),
            start: *d == 0,
        };
        let at = place(*d);
        let idx = graph.add_node_custom(Arc::new(card), |node| {
            node.set_location(at);
            node.set_label(table.qualified_name());
        });
        index.insert(*t, idx);
        nodes.insert(idx, Target::Table(*t));
    }
    for id in &n.fks {
        let Some(fk) = p.foreign_key(*id) else {
            continue;
        };
        let (Some(a), Some(b)) = (index.get(&fk.from_table), index.get(&fk.to_table)) else {
            continue;
        };
        // As the canvas draws it (solid when identifying).
        let identifying = p
            .table(fk.from_table)
            .is_some_and(|t| crate::diagram::geometry::fk_shape(fk, t).identifying);
        let name = fk.name.clone().unwrap_or_else(|| {
            let t = p.table(fk.from_table);
            fk.from_columns
                .iter()
                .map(|c| t.map_or_else(String::new, |t| t.column_name(*c)))
                .collect::<Vec<_>>()
                .join(", ")
        });
        graph.add_edge(
            *a,
            *b,
            Link {
                name,
                identifying,
                view: false,
            },
        );
    }
    let far = n.tables.iter().map(|(_, d)| *d).max().unwrap_or(0) + 1;
    for v in n
        .views
        .iter()
        .filter_map(|v| p.views().find(|x| x.id == *v))
    {
        let card = Card {
            table: None,
            view: Some(v.id),
            name: format!("{} (view)", v.name),
            rows: Vec::new(),
            more: 0,
            start: false,
        };
        let at = place(far);
        let idx = graph.add_node_custom(Arc::new(card), |node| node.set_location(at));
        nodes.insert(idx, Target::View(v.id));
        for t in &v.depends_on {
            if let Some(b) = index.get(t) {
                graph.add_edge(
                    idx,
                    *b,
                    Link {
                        name: String::new(),
                        identifying: false,
                        view: true,
                    },
                );
            }
        }
    }
    let layout_steps = settle(&mut graph);
    Built {
        key,
        graph,
        nodes,
        left_out: n.left_out,
        layout_steps,
        fitted: false,
    }
}

/// Run egui_graphs' Fruchterman–Reingold layout until the average move is under half a point
/// (or [`MAX_STEPS`]); the steps taken.
pub fn settle(graph: &mut ExGraph) -> usize {
    let count = graph.node_count();
    if count < 2 {
        return 0;
    }
    // The layout's ideal edge length comes from the area per node: room for a card each.
    let side = (count as f32).sqrt() * 230.0;
    let area = Rect::from_center_size(Pos2::ZERO, Vec2::splat(side));
    let mut fr = FruchtermanReingold::from_state(FruchtermanReingoldState::default());
    for step in 1..=MAX_STEPS {
        fr.step(graph, area);
        if fr.state().last_avg_displacement.is_some_and(|d| d < 0.5) {
            return step;
        }
    }
    MAX_STEPS
}

/// Zoom and pan so the whole graph shows in `rect`.
fn fit(ui: &mut egui::Ui, rect: Rect, graph: &ExGraph) {
    let bounds = graph
        .nodes_iter()
        .map(|(_, n)| card_rect(n))
        .reduce(|a, b| a.union(b));
    let Some(bounds) = bounds else { return };
    let zoom = ((rect.width() / bounds.width()).min(rect.height() / bounds.height()) * 0.92)
        .clamp(0.05, 1.5);
    let mut meta = MetadataFrame::new(Some(GRAPH_ID.into())).load(ui);
    meta.zoom = zoom;
    meta.pan = rect.size() / 2.0 - bounds.center().to_vec2() * zoom;
    meta.save(ui);
}

/// A card's rect in canvas coordinates, from the node's location (its display is brought up
/// to date only when egui_graphs draws it).
fn card_rect(n: &egui_graphs::Node<Arc<Card>, Link, Directed, u32, CardShape>) -> Rect {
    Rect::from_center_size(n.location(), n.display().size())
}

/// Paint the graph as the live widget would, from the stored zoom and pan, asking for no
/// repaint.
fn paint_static(ui: &egui::Ui, rect: Rect, graph: &mut ExGraph) {
    let mut meta = MetadataFrame::new(Some(GRAPH_ID.into())).load(ui);
    if meta.zoom <= 0.0 || !meta.zoom.is_finite() {
        meta.zoom = 1.0;
    }
    meta.pan += rect.left_top().to_vec2();
    let painter = ui.painter_at(rect);
    let style = SettingsStyle::new();
    let ctx = DrawContext {
        ctx: ui.ctx(),
        painter: &painter,
        style: &style,
        is_directed: true,
        meta: &meta,
    };
    let nodes: Vec<_> = graph.nodes_iter().map(|(n, _)| n).collect();
    for n in &nodes {
        if let Some(node) = graph.node_mut(*n) {
            let props = node.props().clone();
            DisplayNode::<Arc<Card>, Link, Directed, u32>::update(node.display_mut(), &props);
        }
    }
    let edges: Vec<_> = graph.edges_iter().map(|(e, _)| e).collect();
    for e in edges {
        let Some((a, b)) = graph.edge_endpoints(e) else {
            continue;
        };
        let (Some(na), Some(nb)) = (graph.node(a).cloned(), graph.node(b).cloned()) else {
            continue;
        };
        if let Some(edge) = graph.edge_mut(e) {
            painter.extend(edge.display_mut().shapes(&na, &nb, &ctx));
        }
    }
    for n in nodes {
        if let Some(node) = graph.node_mut(n) {
            painter.extend(DisplayNode::<Arc<Card>, Link, Directed, u32>::shapes(
                node.display_mut(),
                &ctx,
            ));
        }
    }
}

/// One AccessKit node per card (kittest finds and clicks them; screen readers read them).
fn accessibility(
    ui: &egui::Ui,
    rect: Rect,
    graph: &ExGraph,
    nodes: &HashMap<NodeIndex, Target>,
    view: &View,
) {
    let meta = MetadataFrame::new(Some(GRAPH_ID.into())).load(ui);
    let origin = rect.left_top().to_vec2();
    let p = view.doc.project();
    for (idx, node) in graph.nodes_iter() {
        let cr = card_rect(node);
        let to_screen = |q: Pos2| (q.to_vec2() * meta.zoom + meta.pan + origin).to_pos2();
        let sr = Rect::from_min_max(to_screen(cr.min), to_screen(cr.max)).intersect(rect);
        if !sr.is_positive() {
            continue;
        }
        let label = match nodes.get(&idx) {
            Some(Target::Table(t)) => p
                .table(*t)
                .map(|t| format!("explorer: {}", t.qualified_name())),
            Some(Target::View(_)) => Some(format!("explorer: {}", node.payload().name)),
            None => None,
        };
        let Some(label) = label else { continue };
        ui.ctx()
            .accesskit_node_builder(egui::Id::new(("explorer-card", idx.index())), |b| {
                b.set_role(egui::accesskit::Role::Group);
                b.set_label(label);
                b.set_bounds(egui::accesskit::Rect {
                    x0: sr.min.x as f64,
                    y0: sr.min.y as f64,
                    x1: sr.max.x as f64,
                    y1: sr.max.y as f64,
                });
            });
    }
}
