//! Foreign-key edges with their crow's-foot markers.

use super::*;

impl Canvas {
    /// Push the shapes of one foreign-key edge (zoom ≥ `HEADER_ONLY_ZOOM`: curves anchored at
    /// the rows, with crow's-foot markers); nothing that falls outside `clip` (screen).
    pub(super) fn paint_edge(
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
}
