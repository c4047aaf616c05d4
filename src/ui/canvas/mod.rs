//! The ER canvas: table cards with crow's-foot foreign keys, painted directly with egui's
//! painter (see docs/canvas.md for why not egui_graphs). Culls off-screen cards, switches
//! level of detail with zoom, and turns every gesture into model commands.

use super::document::Document;
use super::request::Request;
use super::selection::Selection;
use crate::diagram::geometry::{self, HEADER_H, MARKER_W, PAD_X, ROW_H};
use crate::model::*;
use egui::emath::GuiRounding;
use egui::{
    Align2, Color32, CornerRadius, FontId, PointerButton, Pos2, Rect, Response, Sense, Shape,
    Stroke, StrokeKind, Ui, Vec2, pos2, vec2,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod cache;
mod edges;
mod hits;
mod input;
mod labels;
mod minimap;
mod painting;
mod viewport;

/// The lowest zoom, unless the whole diagram needs less (see [`Canvas::min_zoom`]).
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
    fk: crate::model::ForeignKeyId,
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
    /// The union of the cards' rects.
    bounds: Rect,
    /// Card names and the order their labels are placed in when zoomed out: the most
    /// connected tables first, then the widest (as maps label the biggest cities first).
    labels: Vec<String>,
    label_order: Vec<usize>,
    /// Each label's text size at `labels::LABEL_PT`, measured when first needed.
    label_sizes: std::cell::RefCell<Vec<Option<Vec2>>>,
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
    /// fringe indices); thin outlines, which egui draws as lines, go through its tessellator.
    /// A filled rect under 2 px becomes a pixel-aligned quad at least one pixel each way
    /// (egui would draw a faint anti-aliased sliver): zoomed out to tens of thousands of
    /// cards, each is a dot of its colour, as on the minimap.
    fn rect(&mut self, r: Rect, color: Color32, stroke: Option<f32>) {
        let ppp = self.pixels_per_point;
        let thin = r.width().min(r.height()) * ppp <= 2.01;
        match stroke {
            None if thin => {
                let snap = |p: Pos2| pos2((p.x * ppp).round() / ppp, (p.y * ppp).round() / ppp);
                let a = snap(r.min);
                let b = snap(r.max).max(a + Vec2::splat(1.0 / ppp));
                self.blocks
                    .add_colored_rect(Rect::from_min_max(a, b), color);
            }
            Some(w) if thin => {
                let shape = egui::epaint::RectShape::stroke(
                    r,
                    CornerRadius::ZERO,
                    Stroke::new(w, color),
                    StrokeKind::Outside,
                );
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

pub struct Canvas {
    pub zoom: f32,
    /// Screen offset of the canvas origin from the canvas widget's top-left.
    pub pan: Vec2,
    /// Fit the view to the content on the next frame.
    pub fit_pending: bool,
    /// The last screen rect of the canvas widget.
    pub viewport: Rect,
    drag: Option<Drag>,
    /// The drag ended last frame with a move the studio was asked to apply: it is still
    /// painted where it was dropped until the next frame shows the moved project.
    dropped: bool,
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
    /// With `emphasis`: only these keys stay bright (a path), not every key between the
    /// emphasized tables.
    pub emphasis_fks: Option<BTreeSet<crate::model::ForeignKeyId>>,
    /// Outline colours (comparison with another version: added, changed).
    pub marks: BTreeMap<TableId, Color32>,
    /// Tables matching the table list's search: outlined, and labelled first when zoomed out.
    pub found: BTreeSet<TableId>,
    /// The labels drawn last frame when zoomed out (screen rectangles), for tests.
    pub labels_drawn: std::cell::RefCell<Vec<(TableId, Rect)>>,
    /// How many times the card cache was built from scratch (edits to tables' own content
    /// update it in place), for tests and benchmarks.
    pub cache_rebuilds: usize,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas {
            zoom: 1.0,
            pan: vec2(40.0, 40.0),
            fit_pending: true,
            viewport: Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0)),
            drag: None,
            dropped: false,
            rename: None,
            cache: None,
            context_hit: Hit::Empty,
            space_down: false,
            response: None,
            decorations: Rect::NOTHING,
            emphasis: None,
            emphasis_fks: None,
            found: BTreeSet::new(),
            labels_drawn: Default::default(),
            marks: BTreeMap::new(),
            cache_rebuilds: 0,
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

    /// Draw the canvas in the remaining space of `ui` and handle its input. Clicks and drags
    /// change the selection; what changes the project is returned as requests (moves, new
    /// tables, links, renames) for the studio to apply.
    pub fn ui(&mut self, ui: &mut Ui, doc: &Document, sel: &mut Selection) -> Vec<Request> {
        let mut requests = Vec::new();
        if std::mem::take(&mut self.dropped) {
            self.drag = None;
        }
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
