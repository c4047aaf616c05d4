//! How the explorer draws a table (a mini card: name, key columns, the foreign key columns
//! of the shown keys, "+N more") and a key (crow's foot at the referencing end, a bar at the
//! referenced one, dashed when not identifying, its name on hover), as egui_graphs
//! `DisplayNode` / `DisplayEdge` implementations.

use egui::epaint::{CornerRadius, RectShape, Stroke, StrokeKind};
use egui::{Align2, Color32, FontFamily, FontId, Pos2, Rect, Shape, Vec2};
use egui_graphs::{DisplayEdge, DisplayNode, DrawContext, EdgeProps, Node, NodeProps};
use petgraph::{EdgeType, stable_graph::IndexType};
use std::sync::Arc;

pub const CARD_W: f32 = 190.0;
pub const HEADER_H: f32 = 22.0;
pub const ROW_H: f32 = 16.0;
/// Rows a card shows at most (key columns first).
pub const MAX_ROWS: usize = 6;

/// A shown table or view.
#[derive(Clone, Debug)]
pub struct Card {
    pub table: Option<crate::model::TableId>,
    pub view: Option<crate::model::ViewId>,
    pub name: String,
    /// `🔑 id`, `↗ customer_id`, …
    pub rows: Vec<String>,
    /// Neighbours not shown ("+N more", a click shows them).
    pub more: usize,
    /// One of the tables the explorer started from.
    pub start: bool,
}

/// A shown key, or a view's reading of a table.
#[derive(Clone, Debug)]
pub struct Link {
    pub name: String,
    /// The key's columns are (part of) the referencing table's primary key.
    pub identifying: bool,
    pub view: bool,
}

#[derive(Clone, Debug)]
pub struct CardShape {
    pub center: Pos2,
    pub card: Arc<Card>,
    selected: bool,
    hovered: bool,
}

impl CardShape {
    pub fn size(&self) -> Vec2 {
        let rows = self.card.rows.len().min(MAX_ROWS) + usize::from(self.card.more > 0);
        Vec2::new(CARD_W, HEADER_H + ROW_H * rows as f32 + 4.0)
    }

    pub fn rect(&self) -> Rect {
        Rect::from_center_size(self.center, self.size())
    }

    /// Where a ray from the centre in direction `dir` leaves the card.
    pub fn boundary_point(&self, dir: Vec2) -> Pos2 {
        let r = self.rect();
        if dir == Vec2::ZERO {
            return r.center();
        }
        let h = r.size() / 2.0;
        let tx = if dir.x != 0.0 {
            h.x / dir.x.abs()
        } else {
            f32::INFINITY
        };
        let ty = if dir.y != 0.0 {
            h.y / dir.y.abs()
        } else {
            f32::INFINITY
        };
        r.center() + dir * tx.min(ty)
    }
}

/// The "+N more" line of a card whose rectangle is `card` (a click there shows the left-out
/// neighbours).
pub fn more_line(card: Rect) -> Rect {
    Rect::from_min_max(
        Pos2::new(card.left(), card.bottom() - ROW_H - 4.0),
        card.max,
    )
}

impl From<NodeProps<Arc<Card>>> for CardShape {
    fn from(p: NodeProps<Arc<Card>>) -> Self {
        CardShape {
            center: p.location(),
            card: p.payload.clone(),
            selected: p.selected,
            hovered: p.hovered,
        }
    }
}

fn screen_rect(ctx: &DrawContext, r: Rect) -> Rect {
    Rect::from_min_max(
        ctx.meta.canvas_to_screen_pos(r.min),
        ctx.meta.canvas_to_screen_pos(r.max),
    )
}

impl<E: Clone, Ty: EdgeType, Ix: IndexType> DisplayNode<Arc<Card>, E, Ty, Ix> for CardShape {
    fn closest_boundary_point(&self, dir: Vec2) -> Pos2 {
        self.boundary_point(dir)
    }

    fn shapes(&mut self, ctx: &DrawContext) -> Vec<Shape> {
        let v = &ctx.ctx.global_style().visuals;
        let r = screen_rect(ctx, self.rect());
        let zoom = ctx.meta.zoom;
        let accent = if self.card.view.is_some() {
            Color32::from_rgb(0x8a, 0x6d, 0xc8)
        } else {
            Color32::from_rgb(0x3d, 0x7e, 0xc9)
        };
        let stroke = if self.selected || self.hovered {
            Stroke::new(2.0, v.selection.stroke.color)
        } else if self.card.start {
            Stroke::new(2.0, accent)
        } else {
            Stroke::new(1.0, v.widgets.noninteractive.bg_stroke.color)
        };
        let radius = CornerRadius::same((4.0 * zoom).clamp(0.0, 8.0) as u8);
        let header = Rect::from_min_max(r.min, Pos2::new(r.max.x, r.min.y + HEADER_H * zoom));
        let mut out = vec![
            Shape::Rect(RectShape::new(
                r,
                radius,
                v.extreme_bg_color,
                Stroke::NONE,
                StrokeKind::Inside,
            )),
            Shape::rect_filled(header, radius, accent.gamma_multiply(0.35)),
            Shape::Rect(RectShape::new(
                r,
                radius,
                Color32::TRANSPARENT,
                stroke,
                StrokeKind::Inside,
            )),
        ];
        // Below this size text is unreadable: the card is a coloured block with its name
        // only when it fits.
        let font = |size: f32| FontId::new(size * zoom, FontFamily::Proportional);
        if zoom < 0.35 {
            return out;
        }
        let text = v.text_color();
        let weak = v.weak_text_color();
        ctx.ctx.fonts_mut(|f| {
            out.push(Shape::text(
                f,
                header.left_center() + Vec2::new(6.0 * zoom, 0.0),
                Align2::LEFT_CENTER,
                &self.card.name,
                font(13.0),
                text,
            ));
            let mut y = header.bottom() + ROW_H * zoom / 2.0 + 2.0 * zoom;
            for row in self.card.rows.iter().take(MAX_ROWS) {
                out.push(Shape::text(
                    f,
                    Pos2::new(r.left() + 8.0 * zoom, y),
                    Align2::LEFT_CENTER,
                    row,
                    font(11.5),
                    text,
                ));
                y += ROW_H * zoom;
            }
            if self.card.more > 0 {
                out.push(Shape::text(
                    f,
                    Pos2::new(r.left() + 8.0 * zoom, y),
                    Align2::LEFT_CENTER,
                    format!("+{} more (click)", self.card.more),
                    font(11.0),
                    weak,
                ));
            }
        });
        out
    }

    fn update(&mut self, state: &NodeProps<Arc<Card>>) {
        self.center = state.location();
        self.selected = state.selected;
        self.hovered = state.hovered;
        if !Arc::ptr_eq(&self.card, &state.payload) {
            self.card = state.payload.clone();
        }
    }

    fn is_inside(&self, pos: Pos2) -> bool {
        self.rect().contains(pos)
    }
}

#[derive(Clone, Debug)]
pub struct LinkShape {
    link: Link,
    selected: bool,
}

impl From<EdgeProps<Link>> for LinkShape {
    fn from(p: EdgeProps<Link>) -> Self {
        LinkShape {
            link: p.payload,
            selected: p.selected,
        }
    }
}

/// The two ends of an edge between two cards' borders, in canvas coordinates.
fn ends(a: &CardShape, b: &CardShape) -> (Pos2, Pos2) {
    let dir = (b.center - a.center).normalized();
    (a.boundary_point(dir), b.boundary_point(-dir))
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(1e-6)).clamp(0.0, 1.0);
    (a + ab * t - p).length()
}

impl<Ty: EdgeType, Ix: IndexType> DisplayEdge<Arc<Card>, Link, Ty, Ix, CardShape> for LinkShape {
    fn shapes(
        &mut self,
        start: &Node<Arc<Card>, Link, Ty, Ix, CardShape>,
        end: &Node<Arc<Card>, Link, Ty, Ix, CardShape>,
        ctx: &DrawContext,
    ) -> Vec<Shape> {
        let (a, b) = ends(start.display(), end.display());
        let (sa, sb) = (
            ctx.meta.canvas_to_screen_pos(a),
            ctx.meta.canvas_to_screen_pos(b),
        );
        let v = &ctx.ctx.global_style().visuals;
        let color = if self.selected {
            v.selection.stroke.color
        } else {
            v.widgets.noninteractive.fg_stroke.color.gamma_multiply(0.8)
        };
        let stroke = Stroke::new(1.3, color);
        let mut out = Vec::new();
        if self.link.identifying {
            out.push(Shape::line_segment([sa, sb], stroke));
        } else {
            out.extend(Shape::dashed_line(&[sa, sb], stroke, 6.0, 4.0));
        }
        let len = (sb - sa).length();
        if len > 1.0 && !self.link.view {
            let dir = (sb - sa) / len;
            let n = Vec2::new(-dir.y, dir.x);
            let s = 9.0_f32.min(len / 3.0);
            // Many: a crow's foot at the referencing end.
            let foot = sa + dir * s;
            out.push(Shape::line_segment([foot, sa + n * s * 0.6], stroke));
            out.push(Shape::line_segment([foot, sa - n * s * 0.6], stroke));
            // One: a bar across the referenced end.
            let bar = sb - dir * s * 0.7;
            out.push(Shape::line_segment(
                [bar + n * s * 0.6, bar - n * s * 0.6],
                stroke,
            ));
        }
        // The key's name while the pointer is on the line.
        if let Some(pointer) = ctx.ctx.pointer_hover_pos()
            && ctx.painter.clip_rect().contains(pointer)
            && distance_to_segment(pointer, sa, sb) < 5.0
            && !self.link.name.is_empty()
        {
            ctx.ctx.fonts_mut(|f| {
                out.push(Shape::text(
                    f,
                    sa + (sb - sa) / 2.0,
                    Align2::CENTER_BOTTOM,
                    &self.link.name,
                    FontId::proportional(12.0),
                    v.strong_text_color(),
                ));
            });
        }
        out
    }

    fn update(&mut self, state: &EdgeProps<Link>) {
        self.selected = state.selected;
    }

    fn is_inside(
        &self,
        start: &Node<Arc<Card>, Link, Ty, Ix, CardShape>,
        end: &Node<Arc<Card>, Link, Ty, Ix, CardShape>,
        pos: Pos2,
    ) -> bool {
        let (a, b) = ends(start.display(), end.display());
        distance_to_segment(pos, a, b) < 4.0
    }
}
