//! The ER canvas: table cards with crow's-foot foreign keys, painted directly with egui's
//! painter (see docs/canvas.md for why not egui_graphs). Culls off-screen cards, switches
//! level of detail with zoom, and turns every gesture into model commands.

use super::document::Document;
use super::selection::Selection;
use crate::model::geometry::{self, HEADER_H, MARKER_W, PAD_X, ROW_H};
use crate::model::*;
use egui::emath::GuiRounding;
use egui::{
    Align2, Color32, CornerRadius, FontId, PointerButton, Pos2, Rect, Response, Sense, Shape,
    Stroke, StrokeKind, Ui, Vec2, pos2, vec2,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const MIN_ZOOM: f32 = 0.02;
pub const MAX_ZOOM: f32 = 4.0;
/// Below this zoom cards show their header only; below `BLOCK_ZOOM` they are plain blocks.
pub const HEADER_ONLY_ZOOM: f32 = 0.45;
pub const BLOCK_ZOOM: f32 = 0.22;
/// Width of the link port at the right end of each row (drag from it to draw a foreign key).
pub const PORT_W: f32 = 14.0;
/// Size of a sticky note on the canvas.
pub const NOTE_SIZE: Vec2 = vec2(geometry::NOTE_W, geometry::NOTE_H);
/// Height of an area's title strip on screen (grab it to move the area).
pub const AREA_TITLE_H: f32 = 26.0;
/// How far (canvas units) an edge's curve can bulge beyond its two cards, for culling.
const EDGE_BULGE: f32 = 200.0;
/// With more cards than this the minimap draws them as one mesh instead of a shape each.
const MINIMAP_MESH_MIN: usize = 1000;

/// A card's place on the canvas, cached per document version.
#[derive(Clone, Debug)]
pub struct Card {
    pub id: TableId,
    /// Canvas coordinates.
    pub rect: Rect,
    pub header_color: Color32,
    /// Normal-form badge ("2NF", "BCNF"...) for tables with declared dependencies.
    pub badge: Option<&'static str>,
    /// Unresolved review comments on the table and its columns.
    pub open_comments: usize,
}

#[derive(Clone, Debug)]
struct Edge {
    from: usize,
    to: usize,
    from_row: usize,
    to_row: usize,
    /// Child columns are all part of the child's primary key.
    identifying: bool,
    /// Child columns are unique (one-to-one).
    child_unique: bool,
    /// Some child column is nullable (optional parent).
    optional: bool,
}

struct Cache {
    version: u64,
    cards: Vec<Card>,
    index: HashMap<TableId, usize>,
    edges: Vec<Edge>,
}

/// Per-frame state shared by the `paint_card` calls of one frame.
struct CardBatch {
    /// AccessKit is off unless a screen reader or test asked for it; the first card tells.
    accesskit: bool,
    /// All block-LOD cards in one mesh.
    blocks: egui::Mesh,
    pixels_per_point: f32,
    /// egui's own tessellator, for the rects that quads would not match (under 2 px thick).
    tess: egui::epaint::Tessellator,
}

impl CardBatch {
    /// Add what `Painter::rect_filled(r, 0, color)` (`stroke == None`) or
    /// `Painter::rect_stroke(r, 0, stroke, Outside)` would draw, to the block mesh. egui rounds
    /// such rects to pixels, and a pixel-aligned rect looks the same with or without its
    /// anti-aliasing fringe, so most become bare quads (4 vertices instead of 8 plus 24
    /// fringe indices); thin ones, which egui draws as lines, go through its tessellator.
    fn rect(&mut self, r: Rect, color: Color32, stroke: Option<f32>) {
        let ppp = self.pixels_per_point;
        let thin = r.width().min(r.height()) * ppp <= 2.01;
        match stroke {
            _ if thin => {
                let shape = match stroke {
                    None => egui::epaint::RectShape::filled(r, CornerRadius::ZERO, color),
                    Some(w) => egui::epaint::RectShape::stroke(
                        r,
                        CornerRadius::ZERO,
                        Stroke::new(w, color),
                        StrokeKind::Outside,
                    ),
                };
                self.tess.tessellate_rect(&shape, &mut self.blocks);
            }
            None => self.blocks.add_colored_rect(r.round_to_pixels(ppp), color),
            Some(w) => {
                let b = r.round_to_pixels(ppp);
                let o = b.expand(w);
                let m = &mut self.blocks;
                m.add_colored_rect(Rect::from_x_y_ranges(o.x_range(), o.min.y..=b.min.y), color);
                m.add_colored_rect(Rect::from_x_y_ranges(o.x_range(), b.max.y..=o.max.y), color);
                m.add_colored_rect(Rect::from_x_y_ranges(o.min.x..=b.min.x, b.y_range()), color);
                m.add_colored_rect(Rect::from_x_y_ranges(b.max.x..=o.max.x, b.y_range()), color);
            }
        }
    }
}

/// What is under a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Header(TableId),
    Row(TableId, ColumnId),
    Port(TableId, ColumnId),
    /// A sticky note (drag to move, double-click to edit).
    Note(NoteId),
    /// The title strip of an area (drag to move, double-click to edit).
    AreaTitle(AreaId),
    Empty,
}

impl Hit {
    pub fn table(self) -> Option<TableId> {
        match self {
            Hit::Header(t) | Hit::Row(t, _) | Hit::Port(t, _) => Some(t),
            Hit::Note(_) | Hit::AreaTitle(_) | Hit::Empty => None,
        }
    }
}

#[derive(Clone, Debug)]
enum Drag {
    Pan,
    MoveNote {
        id: NoteId,
        offset: Vec2,
    },
    MoveArea {
        id: AreaId,
        offset: Vec2,
    },
    Move {
        ids: Vec<TableId>,
        offset: Vec2,
    },
    Box {
        start: Pos2,
        end: Pos2,
    },
    Link {
        table: TableId,
        column: ColumnId,
        pointer: Pos2,
    },
}

pub struct Rename {
    pub table: TableId,
    pub text: String,
    focused: bool,
}

/// Something the canvas asks the studio to do (the studio owns dialogs and status).
pub enum CanvasRequest {
    /// Create a foreign key from `column` of `from` to the key of `to` (checked by the studio).
    Link {
        from: TableId,
        column: ColumnId,
        to: TableId,
        to_column: Option<ColumnId>,
    },
    NewTableAt(Pos2),
    Rename(TableId, String),
    EditNote(NoteId),
    EditArea(AreaId),
    Status(String),
}

pub struct Canvas {
    pub zoom: f32,
    /// Screen offset of the canvas origin from the canvas widget's top-left.
    pub pan: Vec2,
    /// Fit the view to the content on the next frame.
    pub fit_pending: bool,
    /// The last screen rect of the canvas widget.
    pub viewport: Rect,
    drag: Option<Drag>,
    pub rename: Option<Rename>,
    cache: Option<Cache>,
    pub context_hit: Hit,
    space_down: bool,
    /// The canvas widget's response of the last frame (context menus attach to it).
    pub response: Option<Response>,
    /// Bounds of areas and notes (canvas coordinates), for "fit all".
    decorations: Rect,
    /// Presenter mode: these tables (a highlighted one and its neighbours) stay bright, the
    /// rest of the diagram is veiled.
    pub emphasis: Option<BTreeSet<TableId>>,
    /// Outline colours (comparison with another version: added, changed).
    pub marks: BTreeMap<TableId, Color32>,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas {
            zoom: 1.0,
            pan: vec2(40.0, 40.0),
            fit_pending: true,
            viewport: Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0)),
            drag: None,
            rename: None,
            cache: None,
            context_hit: Hit::Empty,
            space_down: false,
            response: None,
            decorations: Rect::NOTHING,
            emphasis: None,
            marks: BTreeMap::new(),
        }
    }
}

/// What a screen reader says about a card (and what tests read): columns, keys and indexes.
fn card_description(t: &Table) -> String {
    let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    let mut s = format!("{} columns: {}", cols.len(), cols.join(", "));
    if let Some(pk) = &t.primary_key {
        let k: Vec<String> = pk.columns.iter().map(|c| t.column_name(*c)).collect();
        s.push_str(&format!("; primary key ({})", k.join(", ")));
    }
    if !t.indexes.is_empty() {
        let ix: Vec<String> = t
            .indexes
            .iter()
            .map(|i| {
                let parts: Vec<String> = i
                    .parts
                    .iter()
                    .map(|p| match &p.target {
                        IndexTarget::Column(c) => t.column_name(*c),
                        IndexTarget::Expr(e) => format!("({e})"),
                    })
                    .collect();
                format!(
                    "{}{} ({})",
                    if i.unique { "unique " } else { "" },
                    i.name,
                    parts.join(", ")
                )
            })
            .collect();
        s.push_str(&format!("; indexes: {}", ix.join(", ")));
    }
    let open = t.review.iter().filter(|r| !r.resolved).count();
    if open > 0 {
        s.push_str(&format!("; {open} open review comment(s)"));
    }
    s
}

fn area_color(p: &Project, r: Rect) -> Option<Color32> {
    let c = r.center();
    p.areas()
        .find(|a| {
            Rect::from_min_size(pos2(a.position.x, a.position.y), vec2(a.size[0], a.size[1]))
                .contains(c)
        })
        .map(|a| Color32::from_rgb(a.color[0], a.color[1], a.color[2]))
}

impl Canvas {
    // ----- coordinates -----

    pub fn to_screen(&self, p: Pos2) -> Pos2 {
        self.viewport.min + self.pan + p.to_vec2() * self.zoom
    }

    pub fn to_canvas(&self, s: Pos2) -> Pos2 {
        ((s - self.viewport.min - self.pan) / self.zoom).to_pos2()
    }

    fn rect_to_screen(&self, r: Rect) -> Rect {
        Rect::from_min_max(self.to_screen(r.min), self.to_screen(r.max))
    }

    /// Screen rect of a table's card (if cached), for tests and tools.
    pub fn card_screen_rect(&self, id: TableId) -> Option<Rect> {
        let c = self.cache.as_ref()?;
        c.index
            .get(&id)
            .map(|&i| self.rect_to_screen(c.cards[i].rect))
    }

    /// Screen position of the centre of a column's row, and of its link port.
    pub fn row_screen_pos(
        &self,
        doc: &Document,
        t: TableId,
        col: ColumnId,
    ) -> Option<(Pos2, Pos2)> {
        let r = self.card_screen_rect(t)?;
        let table = doc.project().table(t)?;
        let i = table.column_index(col)?;
        let y = r.min.y + geometry::row_center_y(i) * self.zoom;
        Some((
            pos2(r.center().x, y),
            pos2(r.max.x - PORT_W * 0.5 * self.zoom, y),
        ))
    }

    pub fn zoom_at(&mut self, screen: Pos2, factor: f32) {
        let c = self.to_canvas(screen);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        self.pan = screen - self.viewport.min - c.to_vec2() * self.zoom;
    }

    /// Zoom and pan so that `bounds` (canvas coordinates) fills the view.
    pub fn show_rect(&mut self, bounds: Rect) {
        if !bounds.is_finite() || bounds.width() <= 0.0 {
            return;
        }
        let view = self.viewport.size() - vec2(40.0, 40.0);
        let z = (view.x / bounds.width())
            .min(view.y / bounds.height().max(1.0))
            .clamp(MIN_ZOOM, 1.5);
        self.zoom = z;
        self.pan = self.viewport.size() * 0.5 - bounds.center().to_vec2() * z;
    }

    fn content_bounds(&self, ids: Option<&BTreeSet<TableId>>) -> Rect {
        let mut b = Rect::NOTHING;
        if ids.is_none() {
            b = b.union(self.decorations);
        }
        if let Some(c) = &self.cache {
            for card in &c.cards {
                if ids.is_none_or(|s| s.contains(&card.id)) {
                    b = b.union(card.rect);
                }
            }
        }
        b
    }

    pub fn fit(&mut self, doc: &Document) {
        self.refresh(doc);
        let b = self.content_bounds(None);
        if b.is_positive() {
            self.show_rect(b.expand(20.0));
        } else {
            self.zoom = 1.0;
            self.pan = vec2(40.0, 40.0);
        }
    }

    pub fn zoom_to(&mut self, doc: &Document, ids: &BTreeSet<TableId>) {
        self.refresh(doc);
        let b = self.content_bounds(Some(ids));
        if b.is_positive() {
            self.show_rect(b.expand(40.0));
        }
    }

    /// Centre the view on a table without changing the zoom.
    pub fn center_on(&mut self, doc: &Document, id: TableId) {
        self.refresh(doc);
        if let Some(c) = &self.cache
            && let Some(&i) = c.index.get(&id)
        {
            let center = c.cards[i].rect.center();
            self.pan = self.viewport.size() * 0.5 - center.to_vec2() * self.zoom;
        }
    }

    // ----- cache -----

    fn refresh(&mut self, doc: &Document) {
        if self
            .cache
            .as_ref()
            .is_some_and(|c| c.version == doc.version())
        {
            return;
        }
        let p = &doc.project();
        let mut cards = Vec::with_capacity(p.table_count());
        let mut index = HashMap::with_capacity(p.table_count());
        for t in p.tables() {
            let [w, h] = geometry::card_size(t, p);
            let rect = Rect::from_min_size(pos2(t.position.x, t.position.y), vec2(w, h));
            index.insert(t.id, cards.len());
            let header_color = area_color(p, rect).unwrap_or(Color32::from_rgb(0x3d, 0x6f, 0xb6));
            cards.push(Card {
                id: t.id,
                rect,
                header_color,
                badge: crate::analysis::normalize::nf_badge(t),
                open_comments: t.review.iter().filter(|r| !r.resolved).count(),
            });
        }
        let mut edges = Vec::with_capacity(p.foreign_key_count());
        for fk in p.foreign_keys() {
            let (Some(&from), Some(&to)) = (index.get(&fk.from_table), index.get(&fk.to_table))
            else {
                continue;
            };
            let (Some(child), Some(parent)) = (p.table(fk.from_table), p.table(fk.to_table)) else {
                continue;
            };
            let from_row = fk
                .from_columns
                .first()
                .and_then(|c| child.column_index(*c))
                .unwrap_or(0);
            let to_cols = fk.target_columns(parent);
            let to_row = to_cols
                .first()
                .and_then(|c| parent.column_index(*c))
                .unwrap_or(0);
            let geometry::FkShape {
                identifying,
                child_unique,
                optional,
            } = geometry::fk_shape(fk, child);
            edges.push(Edge {
                from,
                to,
                from_row,
                to_row,
                identifying,
                child_unique,
                optional,
            });
        }
        self.decorations = p
            .areas()
            .map(|a| {
                Rect::from_min_size(pos2(a.position.x, a.position.y), vec2(a.size[0], a.size[1]))
            })
            .chain(
                p.notes()
                    .map(|n| Rect::from_min_size(pos2(n.position.x, n.position.y), NOTE_SIZE)),
            )
            .fold(Rect::NOTHING, |b, r| b.union(r));
        self.cache = Some(Cache {
            version: doc.version(),
            cards,
            index,
            edges,
        });
    }

    /// Cards in draw order (for benchmarks and tests).
    pub fn cards(&mut self, doc: &Document) -> &[Card] {
        self.refresh(doc);
        &self.cache.as_ref().expect("refreshed").cards
    }

    // ----- hit testing -----

    /// What is under a screen point: the topmost (last drawn) card wins.
    pub fn hit(&self, doc: &Document, screen: Pos2) -> Hit {
        let Some(c) = &self.cache else {
            return Hit::Empty;
        };
        let p = self.to_canvas(screen);
        if self.zoom >= BLOCK_ZOOM
            && let Some(n) = doc
                .project()
                .notes()
                .filter(|n| self.note_rect(n).contains(p))
                .last()
        {
            return Hit::Note(n.id);
        }
        for card in c.cards.iter().rev() {
            let r = self.moved_rect(card);
            if !r.contains(p) {
                continue;
            }
            let y = p.y - r.min.y;
            if y < HEADER_H || self.zoom < HEADER_ONLY_ZOOM {
                return Hit::Header(card.id);
            }
            let Some(t) = doc.project().table(card.id) else {
                return Hit::Header(card.id);
            };
            let row = ((y - HEADER_H) / ROW_H) as usize;
            return match t.columns.get(row) {
                Some(col) if p.x > r.max.x - PORT_W => Hit::Port(card.id, col.id),
                Some(col) => Hit::Row(card.id, col.id),
                None => Hit::Header(card.id),
            };
        }
        if let Some(a) = doc
            .project()
            .areas()
            .filter(|a| {
                let r = self.area_rect(a);
                let title =
                    Rect::from_min_size(r.min, vec2(r.width(), AREA_TITLE_H / self.zoom.max(0.3)));
                title.contains(p)
            })
            .last()
        {
            return Hit::AreaTitle(a.id);
        }
        Hit::Empty
    }

    /// A note's rect (canvas units), following a drag in progress.
    fn note_rect(&self, n: &Note) -> Rect {
        let r = Rect::from_min_size(pos2(n.position.x, n.position.y), NOTE_SIZE);
        match &self.drag {
            Some(Drag::MoveNote { id, offset }) if *id == n.id => r.translate(*offset),
            _ => r,
        }
    }

    /// An area's rect (canvas units), following a drag in progress.
    fn area_rect(&self, a: &Area) -> Rect {
        let r = Rect::from_min_size(pos2(a.position.x, a.position.y), vec2(a.size[0], a.size[1]));
        match &self.drag {
            Some(Drag::MoveArea { id, offset }) if *id == a.id => r.translate(*offset),
            _ => r,
        }
    }

    /// A card's rect including a move in progress.
    fn moved_rect(&self, card: &Card) -> Rect {
        match &self.drag {
            // `ids` comes from a `BTreeSet`, so it is sorted.
            Some(Drag::Move { ids, offset }) if ids.binary_search(&card.id).is_ok() => {
                card.rect.translate(*offset)
            }
            _ => card.rect,
        }
    }

    // ----- the widget -----

    /// Draw the canvas in the remaining space of `ui` and handle its input.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        doc: &mut Document,
        sel: &mut Selection,
    ) -> Vec<CanvasRequest> {
        let mut requests = Vec::new();
        let (rect, resp) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        self.response = Some(resp.clone());
        self.viewport = rect;
        self.refresh(doc);
        if self.fit_pending {
            self.fit_pending = false;
            self.fit(doc);
        }
        self.handle_input(ui, &resp, doc, sel, &mut requests);
        self.refresh(doc);
        self.paint(ui, rect, doc, sel);
        self.rename_ui(ui, doc, &mut requests);
        requests
    }

    fn handle_input(
        &mut self,
        ui: &mut Ui,
        resp: &Response,
        doc: &mut Document,
        sel: &mut Selection,
        requests: &mut Vec<CanvasRequest>,
    ) {
        let (modifiers, press_origin, scroll, zoom_delta, space) = ui.input(|i| {
            (
                i.modifiers,
                i.pointer.press_origin(),
                i.smooth_scroll_delta,
                i.zoom_delta(),
                i.key_down(egui::Key::Space),
            )
        });
        self.space_down = space && !ui.ctx().egui_wants_keyboard_input();

        // Zoom at the cursor: wheel, pinch, ctrl+wheel.
        if let Some(hover) = resp.hover_pos() {
            let mut factor = zoom_delta;
            if scroll.y != 0.0 && !modifiers.shift {
                factor *= (scroll.y * 0.0015).exp();
            }
            if modifiers.shift && scroll != Vec2::ZERO {
                self.pan += vec2(scroll.y + scroll.x, 0.0);
            }
            if factor != 1.0 {
                self.zoom_at(hover, factor);
            }
        }

        // Start of a drag.
        if resp.drag_started() {
            let origin = press_origin.unwrap_or(resp.interact_pointer_pos().unwrap_or_default());
            let hit = self.hit(doc, origin);
            let additive = modifiers.shift || modifiers.command;
            self.drag = Some(
                if resp.dragged_by(PointerButton::Middle) || self.space_down {
                    Drag::Pan
                } else if resp.dragged_by(PointerButton::Primary) {
                    match hit {
                        Hit::Port(t, c) => Drag::Link {
                            table: t,
                            column: c,
                            pointer: origin,
                        },
                        Hit::Header(t) | Hit::Row(t, _) => {
                            if !sel.tables.contains(&t) {
                                if !additive {
                                    sel.tables.clear();
                                }
                                sel.tables.insert(t);
                            }
                            Drag::Move {
                                ids: sel.tables.iter().copied().collect(),
                                offset: Vec2::ZERO,
                            }
                        }
                        Hit::Note(id) => Drag::MoveNote {
                            id,
                            offset: Vec2::ZERO,
                        },
                        Hit::AreaTitle(id) if !additive => Drag::MoveArea {
                            id,
                            offset: Vec2::ZERO,
                        },
                        Hit::Empty | Hit::AreaTitle(_) if additive => {
                            let p = self.to_canvas(origin);
                            Drag::Box { start: p, end: p }
                        }
                        Hit::Empty | Hit::AreaTitle(_) => Drag::Pan,
                    }
                } else {
                    Drag::Pan
                },
            );
        }

        if resp.dragged() {
            let delta = resp.drag_delta();
            let pointer = resp.interact_pointer_pos();
            match &mut self.drag {
                Some(Drag::Pan) => self.pan += delta,
                Some(Drag::Move { offset, .. })
                | Some(Drag::MoveNote { offset, .. })
                | Some(Drag::MoveArea { offset, .. }) => *offset += delta / self.zoom,
                Some(Drag::Box { end, .. }) => {
                    if let Some(p) = pointer {
                        *end = ((p - self.viewport.min - self.pan) / self.zoom).to_pos2();
                    }
                }
                Some(Drag::Link { pointer: lp, .. }) => {
                    if let Some(p) = pointer {
                        *lp = p;
                    }
                }
                None => {}
            }
        }

        if resp.drag_stopped() {
            match self.drag.take() {
                Some(Drag::Move { ids, offset }) if offset.length() > 0.5 => {
                    let moves: Vec<(TableId, Position)> = ids
                        .iter()
                        .filter_map(|id| doc.project().table(*id))
                        .map(|t| {
                            (
                                t.id,
                                Position {
                                    x: (t.position.x + offset.x).round(),
                                    y: (t.position.y + offset.y).round(),
                                },
                            )
                        })
                        .collect();
                    if let Err(e) = doc.apply(Command::MoveTables(moves)) {
                        requests.push(CanvasRequest::Status(e.to_string()));
                    }
                }
                Some(Drag::MoveNote { id, offset }) if offset.length() > 0.5 => {
                    let found = doc.project().notes().find(|n| n.id == id).cloned();
                    if let Some(mut n) = found {
                        n.position = Position {
                            x: (n.position.x + offset.x).round(),
                            y: (n.position.y + offset.y).round(),
                        };
                        if let Err(e) = doc.apply(Command::PutNote(n)) {
                            requests.push(CanvasRequest::Status(e.to_string()));
                        }
                    }
                }
                Some(Drag::MoveArea { id, offset }) if offset.length() > 0.5 => {
                    let found = doc.project().areas().find(|a| a.id == id).cloned();
                    if let Some(mut a) = found {
                        a.position = Position {
                            x: (a.position.x + offset.x).round(),
                            y: (a.position.y + offset.y).round(),
                        };
                        if let Err(e) = doc.apply(Command::PutArea(a)) {
                            requests.push(CanvasRequest::Status(e.to_string()));
                        }
                    }
                }
                Some(Drag::Box { start, end }) => {
                    let b = Rect::from_two_pos(start, end);
                    if let Some(c) = &self.cache {
                        for card in &c.cards {
                            if b.intersects(card.rect) {
                                sel.tables.insert(card.id);
                            }
                        }
                    }
                }
                Some(Drag::Link {
                    table,
                    column,
                    pointer,
                }) => match self.hit(doc, pointer) {
                    Hit::Empty | Hit::Note(_) | Hit::AreaTitle(_) => {}
                    hit => {
                        let to = hit.table().expect("non-empty hit has a table");
                        let to_column = match hit {
                            Hit::Row(_, c) | Hit::Port(_, c) => Some(c),
                            _ => None,
                        };
                        requests.push(CanvasRequest::Link {
                            from: table,
                            column,
                            to,
                            to_column,
                        });
                    }
                },
                _ => {}
            }
        }

        let click_pos = resp.interact_pointer_pos();
        if resp.double_clicked()
            && let Some(p) = click_pos
        {
            match self.hit(doc, p) {
                Hit::Empty => requests.push(CanvasRequest::NewTableAt(self.to_canvas(p))),
                Hit::Header(t) => self.start_rename(doc, t),
                Hit::Row(t, c) | Hit::Port(t, c) => sel.select_column(t, c),
                Hit::Note(n) => requests.push(CanvasRequest::EditNote(n)),
                Hit::AreaTitle(a) => requests.push(CanvasRequest::EditArea(a)),
            }
        } else if resp.clicked()
            && let Some(p) = click_pos
        {
            let additive = modifiers.shift || modifiers.command;
            match self.hit(doc, p) {
                Hit::Empty | Hit::Note(_) | Hit::AreaTitle(_) => {
                    if !additive {
                        sel.clear();
                    }
                }
                Hit::Header(t) => sel.click_table(t, additive),
                Hit::Row(t, c) | Hit::Port(t, c) => {
                    sel.click_table(t, additive);
                    if !additive {
                        sel.column = Some((t, c));
                    }
                }
            }
        }

        if resp.secondary_clicked()
            && let Some(p) = resp.interact_pointer_pos()
        {
            let hit = self.hit(doc, p);
            if let Some(t) = hit.table()
                && !sel.tables.contains(&t)
            {
                sel.tables.clear();
                sel.tables.insert(t);
            }
            self.context_hit = hit;
        }

        // Hover tooltip for rows whose text is cut off.
        if self.drag.is_none()
            && let Some(h) = resp.hover_pos()
            && self.zoom >= HEADER_ONLY_ZOOM
            && let Hit::Row(t, c) | Hit::Port(t, c) = self.hit(doc, h)
            && let Some(table) = doc.project().table(t)
            && let Some(col) = table.column(c)
        {
            let mut text = format!(
                "{}.{}  {}{}",
                table.qualified_name(),
                col.name,
                geometry::type_label(col, doc.project()),
                if col.nullable { "  NULL" } else { "  NOT NULL" }
            );
            if let Some(q) = doc.project().sequence_of_column(col) {
                text.push_str(&format!(
                    "\nvalues from sequence {}: {}",
                    q.qualified_name(),
                    crate::model::sequence::describe(doc.project(), q)
                ));
            } else if let Some(d) = &col.default {
                text.push_str(&format!("\nDEFAULT {d}"));
            }
            if let Some(cm) = &col.comment {
                text.push_str(&format!("\n{cm}"));
            }
            if matches!(self.hit(doc, h), Hit::Port(..)) {
                text.push_str("\nDrag to another table to create a foreign key");
            }
            resp.clone().on_hover_text_at_pointer(text);
        }
    }

    pub fn start_rename(&mut self, doc: &Document, t: TableId) {
        if let Some(table) = doc.project().table(t) {
            self.rename = Some(Rename {
                table: t,
                text: table.name.clone(),
                focused: false,
            });
        }
    }

    fn rename_ui(&mut self, ui: &mut Ui, _doc: &Document, requests: &mut Vec<CanvasRequest>) {
        let Some(table) = self.rename.as_ref().map(|r| r.table) else {
            return;
        };
        let Some(r) = self.card_screen_rect(table) else {
            self.rename = None;
            return;
        };
        let zoom = self.zoom;
        let Some(rename) = &mut self.rename else {
            return;
        };
        let header =
            Rect::from_min_size(r.min, vec2(r.width().max(160.0), HEADER_H * zoom.max(0.8)));
        let id = egui::Id::new("crowfoot-rename");
        let edit = egui::TextEdit::singleline(&mut rename.text)
            .id(id)
            .font(FontId::proportional(13.0 * zoom.clamp(0.8, 2.0)));
        let resp = ui.put(header, edit);
        if !rename.focused {
            resp.request_focus();
            rename.focused = true;
        }
        let (enter, escape) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Enter),
                i.key_pressed(egui::Key::Escape),
            )
        });
        if escape {
            self.rename = None;
        } else if enter || resp.lost_focus() {
            let name = rename.text.trim().to_string();
            let t = rename.table;
            self.rename = None;
            if !name.is_empty() {
                requests.push(CanvasRequest::Rename(t, name));
            }
        }
    }

    // ----- painting -----

    fn paint(&self, ui: &Ui, rect: Rect, doc: &Document, sel: &Selection) {
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals();
        let dark = visuals.dark_mode;
        let bg = if dark {
            Color32::from_gray(24)
        } else {
            Color32::from_gray(246)
        };
        painter.rect_filled(rect, CornerRadius::ZERO, bg);
        self.paint_grid(&painter, rect, dark);
        let Some(cache) = &self.cache else {
            return;
        };
        let p = &doc.project();
        let visible = Rect::from_min_max(self.to_canvas(rect.min), self.to_canvas(rect.max))
            .expand(40.0 / self.zoom);

        for a in p.areas() {
            let r = self.area_rect(a);
            if !r.intersects(visible) {
                continue;
            }
            let c = Color32::from_rgb(a.color[0], a.color[1], a.color[2]);
            let sr = self.rect_to_screen(r);
            painter.rect(
                sr,
                CornerRadius::same(8),
                c.gamma_multiply(if dark { 0.10 } else { 0.08 }),
                Stroke::new(1.0, c.gamma_multiply(0.5)),
                StrokeKind::Inside,
            );
            if self.zoom >= BLOCK_ZOOM {
                painter.text(
                    sr.min + vec2(10.0, 6.0),
                    Align2::LEFT_TOP,
                    &a.name,
                    FontId::proportional((15.0 * self.zoom).clamp(8.0, 40.0)),
                    c,
                );
            }
        }

        let edge_color = if dark {
            Color32::from_gray(160)
        } else {
            Color32::from_gray(90)
        };
        let rects: Vec<Rect> = cache.cards.iter().map(|c| self.moved_rect(c)).collect();
        let clip = painter.clip_rect();
        let ppp = painter.pixels_per_point();
        // egui's tessellator, to batch thousands of small shapes into one mesh when zoomed out.
        let mut tess = egui::epaint::Tessellator::new(
            ppp,
            ui.ctx().tessellation_options(|o| *o),
            [1, 1], // font texture size: only used for text
            Vec::new(),
        );
        tess.set_clip_rect(clip);
        if self.zoom < HEADER_ONLY_ZOOM {
            // Straight centre-to-centre lines, thousands of them when zoomed out: tessellate
            // them here into one mesh (same tessellator, same look) instead of a shape each.
            let stroke = Stroke::new(0.6, edge_color.gamma_multiply(0.6));
            let mut lines = egui::Mesh::default();
            for e in &cache.edges {
                let pa = self.to_screen(rects[e.from].center());
                let pb = self.to_screen(rects[e.to].center());
                // Under 2 px a line hides under its cards anyway.
                if pa.distance_sq(pb) < 4.0
                    || !clip.intersects(Rect::from_two_pos(pa, pb).expand(1.0))
                {
                    continue;
                }
                tess.tessellate_line_segment([pa, pb], stroke, &mut lines);
            }
            if !lines.is_empty() {
                painter.add(Shape::mesh(lines));
            }
        } else {
            // All edges go to the painter in one batch. A curve bulges at most ~160 canvas
            // units beyond its cards (markers and self-loops less); `paint_edge` culls precisely.
            let mut edge_shapes = Vec::new();
            for e in &cache.edges {
                let (a, b) = (rects[e.from], rects[e.to]);
                if !a.union(b).expand(EDGE_BULGE).intersects(visible) {
                    continue;
                }
                self.paint_edge(&mut edge_shapes, clip, e, a, b, edge_color);
            }
            painter.extend(edge_shapes);
        }

        let mut batch = CardBatch {
            accesskit: true,
            blocks: egui::Mesh::default(),
            pixels_per_point: ppp,
            tess,
        };
        for (card, r) in cache.cards.iter().zip(&rects) {
            if !r.intersects(visible) {
                continue;
            }
            let Some(t) = p.table(card.id) else { continue };
            self.paint_card(ui, &painter, t, card, *r, sel, p, dark, &mut batch);
        }
        if !batch.blocks.is_empty() {
            painter.add(Shape::mesh(batch.blocks));
        }

        for n in p.notes() {
            let r = self.note_rect(n);
            if !r.intersects(visible) || self.zoom < BLOCK_ZOOM {
                continue;
            }
            let sr = self.rect_to_screen(r);
            painter.rect_filled(
                sr,
                CornerRadius::same(4),
                Color32::from_rgb(0xff, 0xf1, 0xa8),
            );
            let galley = painter.layout(
                n.text.clone(),
                FontId::proportional(12.0 * self.zoom),
                Color32::from_gray(40),
                sr.width() - 12.0 * self.zoom,
            );
            painter.galley(
                sr.min + vec2(6.0, 6.0) * self.zoom,
                galley,
                Color32::from_gray(40),
            );
        }

        // Presenter highlight: veil everything, then paint the emphasized tables and the
        // keys between them again on top.
        if let Some(em) = self.emphasis.as_ref().filter(|e| !e.is_empty()) {
            painter.rect_filled(rect, CornerRadius::ZERO, bg.gamma_multiply(0.78));
            let mut edge_shapes = Vec::new();
            for e in &cache.edges {
                let (ia, ib) = (cache.cards[e.from].id, cache.cards[e.to].id);
                if em.contains(&ia) && em.contains(&ib) && self.zoom >= HEADER_ONLY_ZOOM {
                    self.paint_edge(
                        &mut edge_shapes,
                        clip,
                        e,
                        rects[e.from],
                        rects[e.to],
                        edge_color,
                    );
                }
            }
            painter.extend(edge_shapes);
            let mut batch = CardBatch {
                accesskit: false,
                blocks: egui::Mesh::default(),
                pixels_per_point: ppp,
                tess: egui::epaint::Tessellator::new(
                    ppp,
                    ui.ctx().tessellation_options(|o| *o),
                    [1, 1],
                    Vec::new(),
                ),
            };
            batch.tess.set_clip_rect(clip);
            for (card, r) in cache.cards.iter().zip(&rects) {
                if !em.contains(&card.id) || !r.intersects(visible) {
                    continue;
                }
                let Some(t) = p.table(card.id) else { continue };
                self.paint_card(ui, &painter, t, card, *r, sel, p, dark, &mut batch);
            }
            if !batch.blocks.is_empty() {
                painter.add(Shape::mesh(batch.blocks));
            }
        }

        match &self.drag {
            Some(Drag::Box { start, end }) => {
                let r = self.rect_to_screen(Rect::from_two_pos(*start, *end));
                painter.rect(
                    r,
                    CornerRadius::ZERO,
                    visuals.selection.bg_fill.gamma_multiply(0.2),
                    Stroke::new(1.0, visuals.selection.stroke.color),
                    StrokeKind::Inside,
                );
            }
            Some(Drag::Link {
                table,
                column,
                pointer,
            }) => {
                if let Some((_, port)) = self.row_screen_pos(doc, *table, *column) {
                    painter.line_segment(
                        [port, *pointer],
                        Stroke::new(2.0, visuals.selection.stroke.color),
                    );
                    painter.circle_filled(*pointer, 4.0, visuals.selection.stroke.color);
                }
            }
            _ => {}
        }
        self.paint_minimap(&painter, rect, &rects, dark);
    }

    fn paint_grid(&self, painter: &egui::Painter, rect: Rect, dark: bool) {
        if self.zoom < 0.5 {
            return;
        }
        let step = 40.0 * self.zoom;
        let color = if dark {
            Color32::from_gray(32)
        } else {
            Color32::from_gray(234)
        };
        let origin = self.viewport.min + self.pan;
        let mut x = origin.x + ((rect.min.x - origin.x) / step).ceil() * step;
        while x < rect.max.x {
            painter.line_segment(
                [pos2(x, rect.min.y), pos2(x, rect.max.y)],
                Stroke::new(1.0, color),
            );
            x += step;
        }
        let mut y = origin.y + ((rect.min.y - origin.y) / step).ceil() * step;
        while y < rect.max.y {
            painter.line_segment(
                [pos2(rect.min.x, y), pos2(rect.max.x, y)],
                Stroke::new(1.0, color),
            );
            y += step;
        }
    }

    fn paint_badge(&self, painter: &egui::Painter, header: Rect, label: &str) -> f32 {
        let z = self.zoom;
        let font = FontId::proportional(10.5 * z);
        let galley = painter.layout_no_wrap(label.to_string(), font, Color32::WHITE);
        let size = galley.size() + vec2(8.0 * z, 2.0 * z);
        let r = Rect::from_min_size(
            pos2(
                header.max.x - PAD_X * z - size.x,
                header.center().y - size.y / 2.0,
            ),
            size,
        );
        let fill = if label == "BCNF" || label == "4NF" {
            Color32::from_rgb(0x2e, 0x7d, 0x32)
        } else {
            Color32::from_rgb(0xc6, 0x62, 0x00)
        };
        painter.rect_filled(r, CornerRadius::same((3.0 * z) as u8), fill);
        painter.galley(r.min + vec2(4.0 * z, 1.0 * z), galley, Color32::WHITE);
        size.x + PAD_X * z
    }

    #[allow(clippy::too_many_arguments)]
    fn paint_card(
        &self,
        ui: &Ui,
        painter: &egui::Painter,
        t: &Table,
        card: &Card,
        r: Rect,
        sel: &Selection,
        p: &Project,
        dark: bool,
        batch: &mut CardBatch,
    ) {
        let z = self.zoom;
        let sr = self.rect_to_screen(r);
        let selected = sel.tables.contains(&t.id);
        let body = if dark {
            Color32::from_gray(42)
        } else {
            Color32::WHITE
        };
        let border = if selected {
            ui.visuals().selection.stroke.color
        } else if dark {
            Color32::from_gray(70)
        } else {
            Color32::from_gray(190)
        };
        let radius = CornerRadius::same((6.0 * z).clamp(0.0, 8.0) as u8);
        let header_h = HEADER_H * z;

        // Accessibility: every visible card is a node screen readers and tests can find.
        // `accesskit_node_builder` returns `None` when AccessKit is off; then skip the rest.
        if batch.accesskit {
            batch.accesskit = ui
                .ctx()
                .accesskit_node_builder(egui::Id::new(("crowfoot-card", t.id.0)), |b| {
                    b.set_role(egui::accesskit::Role::Group);
                    b.set_label(t.qualified_name());
                    b.set_description(card_description(t));
                    if selected {
                        b.set_selected(true);
                    }
                    b.set_bounds(egui::accesskit::Rect {
                        x0: sr.min.x as f64,
                        y0: sr.min.y as f64,
                        x1: sr.max.x as f64,
                        y1: sr.max.y as f64,
                    });
                })
                .is_some();
        }

        if z < BLOCK_ZOOM {
            // Plain blocks: body, header band and, when selected, a 2 pt outline, all in the
            // one block mesh.
            batch.rect(sr, body, None);
            batch.rect(
                Rect::from_min_size(sr.min, vec2(sr.width(), header_h.max(1.0))),
                card.header_color,
                None,
            );
            if selected {
                batch.rect(sr, border, Some(2.0));
            }
            return;
        }

        painter.rect(
            sr,
            radius,
            body,
            Stroke::new(if selected { 2.0 } else { 1.0 }, border),
            StrokeKind::Outside,
        );
        if let Some(c) = self.marks.get(&t.id) {
            painter.rect_stroke(
                sr.expand(3.0),
                radius,
                Stroke::new(2.5, *c),
                StrokeKind::Outside,
            );
        }
        let header = Rect::from_min_size(sr.min, vec2(sr.width(), header_h));
        painter.rect_filled(
            header,
            CornerRadius {
                nw: radius.nw,
                ne: radius.ne,
                sw: 0,
                se: 0,
            },
            card.header_color,
        );
        let font = 13.0 * z;
        let mut badge_w = card
            .badge
            .map(|b| self.paint_badge(painter, header, b))
            .unwrap_or(0.0);
        if card.open_comments > 0 {
            // A speech-bubble-like count of open review comments, left of the NF badge.
            let r = 8.0 * z;
            let c = pos2(header.max.x - badge_w - PAD_X * z - r, header.center().y);
            painter.circle_filled(c, r, Color32::from_rgb(0xf5, 0xa6, 0x23));
            painter.text(
                c,
                Align2::CENTER_CENTER,
                card.open_comments.min(99).to_string(),
                FontId::proportional(10.0 * z),
                Color32::BLACK,
            );
            badge_w += 2.0 * r + PAD_X * z;
        }
        let title = ellipsize(
            &t.qualified_name(),
            (sr.width() - 2.0 * PAD_X * z - badge_w) / (geometry::CHAR_W * 1.05 * z),
        );
        painter.text(
            header.left_center() + vec2(PAD_X * z, 0.0),
            Align2::LEFT_CENTER,
            title,
            FontId::proportional(font),
            Color32::WHITE,
        );

        if z < HEADER_ONLY_ZOOM {
            // Header only: faint bars stand in for the rows.
            let line = if dark {
                Color32::from_gray(60)
            } else {
                Color32::from_gray(225)
            };
            for i in 0..t.columns.len() {
                let y = sr.min.y + geometry::row_center_y(i) * z;
                painter.line_segment(
                    [pos2(sr.min.x + PAD_X * z, y), pos2(sr.max.x - PAD_X * z, y)],
                    Stroke::new((ROW_H * z * 0.35).max(1.0), line),
                );
            }
            return;
        }

        let text_color = ui.visuals().text_color();
        let weak = ui.visuals().weak_text_color();
        let fk_cols = p.fk_columns_from(t.id);
        let markers = geometry::row_markers(t, &fk_cols);
        let clip = painter.clip_rect();
        for (i, c) in t.columns.iter().enumerate() {
            let row = Rect::from_min_size(
                pos2(sr.min.x, sr.min.y + (HEADER_H + i as f32 * ROW_H) * z),
                vec2(sr.width(), ROW_H * z),
            );
            if !row.intersects(clip) {
                continue;
            }
            if sel.column == Some((t.id, c.id)) {
                painter.rect_filled(
                    row,
                    CornerRadius::ZERO,
                    ui.visuals().selection.bg_fill.gamma_multiply(0.35),
                );
            }
            let pk = t.is_pk_column(c.id);
            let marker = markers[i].map(|m| {
                let [r, g, b] = m.rgb();
                (m.label(), Color32::from_rgb(r, g, b))
            });
            if let Some((m, color)) = marker {
                painter.text(
                    row.left_center() + vec2(PAD_X * z, 0.0),
                    Align2::LEFT_CENTER,
                    m,
                    FontId::monospace(10.0 * z),
                    color,
                );
            }
            let ty = geometry::row_type_text(c, p);
            // Type right-aligned, name left; the name gives way (ellipsis) when both don't fit.
            let row_w = row.width() - (2.0 * PAD_X + MARKER_W + 6.0) * z;
            let ty_galley = painter.layout_no_wrap(
                fit_text(painter, &ty, FontId::proportional(12.0 * z), row_w * 0.5),
                FontId::proportional(12.0 * z),
                weak,
            );
            let name_w = row_w - ty_galley.size().x - geometry::NAME_TYPE_GAP * 0.6 * z;
            let name = fit_text(painter, &c.name, FontId::proportional(font), name_w);
            painter.text(
                row.left_center() + vec2((PAD_X + MARKER_W) * z, 0.0),
                Align2::LEFT_CENTER,
                name,
                FontId::proportional(font),
                if pk {
                    text_color
                } else {
                    text_color.gamma_multiply(0.92)
                },
            );
            painter.galley(
                pos2(
                    row.max.x - (PAD_X + 6.0) * z - ty_galley.size().x,
                    row.center().y - ty_galley.size().y * 0.5,
                ),
                ty_galley,
                weak,
            );
            // The link port, a small dot at the row's right edge.
            painter.circle_stroke(
                pos2(row.max.x - 5.0 * z, row.center().y),
                2.2 * z,
                Stroke::new(1.0, weak.gamma_multiply(0.6)),
            );
        }
    }

    /// Push the shapes of one foreign-key edge (zoom ≥ `HEADER_ONLY_ZOOM`: curves anchored at
    /// the rows, with crow's-foot markers); nothing that falls outside `clip` (screen).
    fn paint_edge(
        &self,
        out: &mut Vec<Shape>,
        clip: Rect,
        e: &Edge,
        a: Rect,
        b: Rect,
        color: Color32,
    ) {
        let z = self.zoom;
        let stroke = Stroke::new((1.5 * z).clamp(0.6, 2.0), color);
        let ya = a.min.y + geometry::row_center_y(e.from_row);
        let yb = b.min.y + geometry::row_center_y(e.to_row);
        let s = (10.0 * z).clamp(4.0, 16.0);
        // Markers reach about 2.5 `s` from the line's ends.
        let marker_reach = 3.0 * s + stroke.width;
        let (pa, c1, c2, pb, start_dir, end_dir);
        if e.from == e.to {
            // Self-reference: a loop out of the right side.
            let x = a.max.x;
            let loop_w = 28.0;
            (pa, c1, c2, pb) = (
                pos2(x, ya),
                pos2(x + loop_w, ya),
                pos2(x + loop_w, yb),
                pos2(x, yb),
            );
            start_dir = vec2(1.0, 0.0);
            end_dir = vec2(1.0, 0.0);
        } else {
            let (xa, da, xb, db) = if b.min.x > a.max.x + 40.0 {
                (a.max.x, 1.0, b.min.x, -1.0)
            } else if a.min.x > b.max.x + 40.0 {
                (a.min.x, -1.0, b.max.x, 1.0)
            } else {
                // Overlapping columns: leave and enter on the right.
                (a.max.x, 1.0, b.max.x, 1.0)
            };
            pa = pos2(xa, ya);
            pb = pos2(xb, yb);
            let reach = ((pb.x - pa.x).abs() * 0.5).clamp(30.0, 160.0);
            c1 = pa + vec2(da * reach, 0.0);
            c2 = pb + vec2(db * reach, 0.0);
            start_dir = vec2(da, 0.0);
            end_dir = vec2(db, 0.0);
        }
        // The curve (or loop) lies inside the hull of its four control points.
        let hull = self
            .rect_to_screen(Rect::from_points(&[pa, c1, c2, pb]))
            .expand(marker_reach);
        if !hull.intersects(clip) {
            return;
        }
        let points: Vec<Pos2> = if e.from == e.to {
            vec![pa, c1, c2, pb]
        } else {
            (0..=20)
                .map(|i| {
                    let t = i as f32 / 20.0;
                    let u = 1.0 - t;
                    (pa.to_vec2() * (u * u * u)
                        + c1.to_vec2() * (3.0 * u * u * t)
                        + c2.to_vec2() * (3.0 * u * t * t)
                        + pb.to_vec2() * (t * t * t))
                        .to_pos2()
                })
                .collect()
        };
        let screen: Vec<Pos2> = points.iter().map(|p| self.to_screen(*p)).collect();
        let pa = screen[0];
        let pb = *screen.last().expect("edge has points");
        if e.identifying {
            out.push(Shape::line(screen, stroke));
        } else {
            visible_dashes(
                &screen,
                stroke,
                6.0 * z.max(0.5),
                4.0 * z.max(0.5),
                clip,
                out,
            );
        }
        let near =
            |p: Pos2| clip.intersects(Rect::from_center_size(p, Vec2::splat(2.0 * marker_reach)));
        // Child end: crow's foot ("many") unless the key is unique; circle: zero allowed.
        if near(pa) {
            if e.child_unique {
                bar(out, pa, start_dir, s * 0.8, s, stroke);
            } else {
                crow_foot(out, pa, start_dir, s, stroke);
            }
            circle(out, pa, start_dir, s * 1.6, s * 0.35, stroke);
        }
        // Parent end: exactly one, or zero-or-one when the key columns are nullable.
        if near(pb) {
            bar(out, pb, end_dir, s * 0.8, s, stroke);
            if e.optional {
                circle(out, pb, end_dir, s * 1.6, s * 0.35, stroke);
            } else {
                bar(out, pb, end_dir, s * 1.3, s, stroke);
            }
        }
    }

    fn paint_minimap(&self, painter: &egui::Painter, rect: Rect, cards: &[Rect], dark: bool) {
        if cards.len() < 2 {
            return;
        }
        let bounds = cards.iter().fold(Rect::NOTHING, |b, r| b.union(*r));
        if !bounds.is_positive() {
            return;
        }
        // Only useful when part of the diagram is off-screen.
        let view = Rect::from_min_max(self.to_canvas(rect.min), self.to_canvas(rect.max));
        if view.contains_rect(bounds) {
            return;
        }
        let aspect = bounds.height() / bounds.width();
        let size = vec2(150.0, (150.0 * aspect).clamp(50.0, 110.0));
        let mm = Rect::from_min_size(rect.max - size - vec2(10.0, 10.0), size);
        let scale = (size.x / bounds.width()).min(size.y / bounds.height());
        let map = |p: Pos2| mm.min + (p - bounds.min) * scale;
        painter.rect(
            mm,
            CornerRadius::same(4),
            if dark {
                Color32::from_black_alpha(110)
            } else {
                Color32::from_white_alpha(150)
            },
            Stroke::new(1.0, Color32::from_gray(128).gamma_multiply(0.6)),
            StrokeKind::Inside,
        );
        let fill = if dark {
            Color32::from_gray(120)
        } else {
            Color32::from_gray(150)
        }
        .gamma_multiply(0.7);
        if cards.len() > MINIMAP_MESH_MIN {
            // One mesh of pixel-aligned quads (no anti-aliasing needed at this size) instead
            // of thousands of rect shapes to tessellate.
            let ppp = painter.pixels_per_point();
            let snap = |p: Pos2| pos2((p.x * ppp).round() / ppp, (p.y * ppp).round() / ppp);
            let mut mesh = egui::Mesh::default();
            mesh.reserve_vertices(4 * cards.len());
            mesh.reserve_triangles(2 * cards.len());
            for r in cards {
                let a = snap(map(r.min));
                let b = snap(map(r.max)).max(a + vec2(1.0, 1.0));
                mesh.add_colored_rect(Rect::from_min_max(a, b), fill);
            }
            painter.add(Shape::mesh(mesh));
        } else {
            for r in cards {
                let a = map(r.min);
                let b = map(r.max);
                painter.rect_filled(
                    Rect::from_min_max(a, b.max(a + vec2(1.0, 1.0))),
                    CornerRadius::ZERO,
                    fill,
                );
            }
        }
        let view = Rect::from_min_max(self.to_canvas(rect.min), self.to_canvas(rect.max));
        let v = Rect::from_min_max(map(view.min), map(view.max)).intersect(mm);
        painter.rect_stroke(
            v,
            CornerRadius::ZERO,
            Stroke::new(1.5, Color32::from_rgb(0x3d, 0x7e, 0xd8)),
            StrokeKind::Inside,
        );
    }
}

/// `s`, or its longest prefix plus an ellipsis that fits in `max_w` points.
fn fit_text(painter: &egui::Painter, s: &str, font: FontId, max_w: f32) -> String {
    let w = painter
        .layout_no_wrap(s.to_string(), font.clone(), Color32::WHITE)
        .size()
        .x;
    if w <= max_w || s.is_empty() {
        return s.to_string();
    }
    let n = s.chars().count();
    let keep = ((n as f32) * (max_w / w)).floor() as usize;
    let mut out: String = s.chars().take(keep.saturating_sub(1).max(1)).collect();
    out.push('…');
    out
}

/// Cut `s` to about `max_chars` characters, ending with an ellipsis when cut.
fn ellipsize(s: &str, max_chars: f32) -> String {
    let max = max_chars.floor().max(1.0) as usize;
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn perp(d: Vec2) -> Vec2 {
    vec2(-d.y, d.x)
}

/// A bar across the line at distance `at` from the card edge.
fn bar(out: &mut Vec<Shape>, p: Pos2, dir: Vec2, at: f32, size: f32, stroke: Stroke) {
    let c = p + dir * at;
    let n = perp(dir) * size * 0.5;
    out.push(Shape::line_segment([c - n, c + n], stroke));
}

/// A small circle on the line at distance `at`.
fn circle(out: &mut Vec<Shape>, p: Pos2, dir: Vec2, at: f32, r: f32, stroke: Stroke) {
    out.push(Shape::circle_stroke(p + dir * (at + r), r, stroke));
}

/// Three prongs fanning from a point on the line to the card edge.
fn crow_foot(out: &mut Vec<Shape>, p: Pos2, dir: Vec2, size: f32, stroke: Stroke) {
    let apex = p + dir * size;
    let n = perp(dir) * size * 0.6;
    out.push(Shape::line_segment([apex, p + n], stroke));
    out.push(Shape::line_segment([apex, p], stroke));
    out.push(Shape::line_segment([apex, p - n], stroke));
}

/// The dashes of `Shape::dashed_line(path, stroke, dash, gap)`, at the same places, minus
/// the ones outside `clip` (which the tessellator would drop anyway: same test). Long edges
/// crossing the view at high zoom otherwise make thousands of off-screen dash shapes.
fn visible_dashes(
    path: &[Pos2],
    stroke: Stroke,
    dash: f32,
    gap: f32,
    clip: Rect,
    out: &mut Vec<Shape>,
) {
    let shows = |a: Pos2, b: Pos2| clip.intersects(Rect::from_two_pos(a, b).expand(stroke.width));
    let period = dash + gap;
    // Same walk as epaint's `dashes_from_line`: distance to the next dash/gap boundary.
    let mut pos = 0.0_f32;
    let mut drawing = false;
    for w in path.windows(2) {
        let (start, end) = (w[0], w[1]);
        let v = end - start;
        let len = v.length();
        if !shows(start, end) {
            // Nothing of this segment shows: skip whole periods (they leave the state as it
            // was), then step through the rest.
            if pos < len && period > 0.0 {
                pos += ((len - pos) / period).floor() * period;
            }
            while pos < len {
                pos += if drawing { gap } else { dash };
                drawing = !drawing;
            }
            pos -= len;
            continue;
        }
        let mut from = start;
        while pos < len {
            let p = start + v * (pos / len);
            if drawing {
                if shows(from, p) {
                    out.push(Shape::line_segment([from, p], stroke));
                }
                pos += gap;
            } else {
                from = p;
                pos += dash;
            }
            drawing = !drawing;
        }
        if drawing && shows(from, end) {
            out.push(Shape::line_segment([from, end], stroke));
        }
        pos -= len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bezier-like wiggly path, as `paint_edge` makes.
    fn path(seed: u32) -> Vec<Pos2> {
        (0..=20)
            .map(|i| {
                let t = i as f32 + seed as f32 * 0.37;
                pos2(
                    -300.0 + i as f32 * 95.0,
                    200.0 + (t * 0.7).sin() * 180.0 * (1.0 + seed as f32 * 0.1),
                )
            })
            .collect()
    }

    #[test]
    fn visible_dashes_are_egui_dashes_minus_the_culled_ones() {
        let stroke = Stroke::new(1.5, Color32::WHITE);
        let clips = [
            Rect::EVERYTHING,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(800.0, 600.0)),
            Rect::from_min_max(pos2(350.0, 150.0), pos2(420.0, 260.0)),
            Rect::from_min_max(pos2(5000.0, 5000.0), pos2(5001.0, 5001.0)),
        ];
        for seed in 0..8 {
            let p = path(seed);
            for (dash, gap) in [(6.0, 4.0), (3.0, 2.0), (1.0, 0.5)] {
                let all = Shape::dashed_line(&p, stroke, dash, gap);
                for clip in clips {
                    let expected: Vec<Shape> = all
                        .iter()
                        .filter(|s| match s {
                            Shape::LineSegment { points, .. } => clip.intersects(
                                Rect::from_two_pos(points[0], points[1]).expand(stroke.width),
                            ),
                            _ => unreachable!("dashes are line segments"),
                        })
                        .cloned()
                        .collect();
                    let mut got = Vec::new();
                    visible_dashes(&p, stroke, dash, gap, clip, &mut got);
                    assert_eq!(got.len(), expected.len(), "seed {seed} clip {clip:?}");
                    for (g, e) in got.iter().zip(&expected) {
                        let (
                            Shape::LineSegment { points: a, .. },
                            Shape::LineSegment { points: b, .. },
                        ) = (g, e)
                        else {
                            unreachable!("dashes are line segments")
                        };
                        // Skipping whole periods at once may differ in the last float bits.
                        for k in 0..2 {
                            assert!(a[k].distance(b[k]) < 1e-2, "{a:?} vs {b:?}");
                        }
                    }
                }
            }
        }
    }
}
