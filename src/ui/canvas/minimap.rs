//! The minimap in the bottom-right corner.

use super::*;

impl Canvas {
    /// Where the minimap goes on screen in the canvas widget `rect` (with the bounds of
    /// `cards`), when there is one: only when part of the diagram is off-screen.
    pub(super) fn minimap_rect(&self, rect: Rect, cards: &[Rect]) -> Option<(Rect, Rect)> {
        if cards.len() < 2 {
            return None;
        }
        let bounds = cards.iter().fold(Rect::NOTHING, |b, r| b.union(*r));
        if !bounds.is_positive() {
            return None;
        }
        let view = Rect::from_min_max(self.to_canvas(rect.min), self.to_canvas(rect.max));
        if view.contains_rect(bounds) {
            return None;
        }
        let aspect = bounds.height() / bounds.width();
        let size = vec2(150.0, (150.0 * aspect).clamp(50.0, 110.0));
        Some((
            Rect::from_min_size(rect.max - size - vec2(10.0, 10.0), size),
            bounds,
        ))
    }

    pub(super) fn paint_minimap(
        &self,
        painter: &egui::Painter,
        rect: Rect,
        cards: &[Rect],
        dark: bool,
    ) {
        let Some((mm, bounds)) = self.minimap_rect(rect, cards) else {
            return;
        };
        let size = mm.size();
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
