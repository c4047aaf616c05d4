//! Painting the canvas: grid, areas, notes and cards (culled to the visible rect).

use super::*;

/// The outline of tables matching the table list's search.
const FOUND: Color32 = Color32::from_rgb(0xff, 0xc1, 0x07);

/// A line from `a` to `b` as one quad, `half` points either side of it.
fn thin_line(mesh: &mut egui::Mesh, a: Pos2, b: Pos2, half: f32, color: Color32) {
    let n = perp((b - a).normalized()) * half;
    let i = mesh.vertices.len() as u32;
    for p in [a + n, a - n, b - n, b + n] {
        mesh.colored_vertex(p, color);
    }
    mesh.add_triangle(i, i + 1, i + 2);
    mesh.add_triangle(i, i + 2, i + 3);
}

impl Canvas {
    pub(super) fn paint(&self, ui: &Ui, rect: Rect, doc: &Document, sel: &Selection) {
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
            // Zoomed out to blocks there can be tens of thousands: each a one-pixel quad whose
            // colour carries the 0.6 px coverage (4 vertices; egui's thin line has a fringe
            // on each side, 6), the look of egui's line without its soft edge.
            let quads = self.zoom < BLOCK_ZOOM;
            let quad_color = stroke.color.gamma_multiply(stroke.width);
            if quads {
                lines.reserve_vertices(4 * cache.edges.len());
                lines.reserve_triangles(2 * cache.edges.len());
            }
            for e in &cache.edges {
                let pa = self.to_screen(rects[e.from].center());
                let pb = self.to_screen(rects[e.to].center());
                // Under 2 px a line hides under its cards anyway.
                if pa.distance_sq(pb) < 4.0
                    || !clip.intersects(Rect::from_two_pos(pa, pb).expand(1.0))
                {
                    continue;
                }
                if quads {
                    thin_line(&mut lines, pa, pb, 0.5 / ppp, quad_color);
                } else {
                    tess.tessellate_line_segment([pa, pb], stroke, &mut lines);
                }
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

        let blocks = self.zoom < BLOCK_ZOOM;
        let mut batch = CardBatch {
            accesskit: true,
            blocks: egui::Mesh::default(),
            pixels_per_point: ppp,
            tess,
        };
        if blocks {
            // Two quads a card at most.
            batch.blocks.reserve_vertices(8 * cache.cards.len());
            batch.blocks.reserve_triangles(4 * cache.cards.len());
        }
        let (body, border) = (
            if dark {
                Color32::from_gray(42)
            } else {
                Color32::WHITE
            },
            visuals.selection.stroke.color,
        );
        for (card, r) in cache.cards.iter().zip(&rects) {
            if !r.intersects(visible) {
                continue;
            }
            if blocks && !batch.accesskit {
                // No screen reader asked for nodes: a block needs nothing from the table.
                let selected = sel.tables.contains(&card.id);
                self.paint_block(
                    card,
                    self.rect_to_screen(*r),
                    selected,
                    body,
                    border,
                    &mut batch,
                );
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
                let on_path = self.emphasis_fks.as_ref().is_none_or(|f| f.contains(&e.fk));
                if em.contains(&ia) && em.contains(&ib) && on_path && self.zoom >= HEADER_ONLY_ZOOM
                {
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

        if self.zoom < HEADER_ONLY_ZOOM {
            let only = self.emphasis.as_ref().filter(|e| !e.is_empty());
            self.paint_labels(&painter, cache, &rects, visible, only, dark);
        } else {
            self.labels_drawn.borrow_mut().clear();
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

    pub(super) fn paint_grid(&self, painter: &egui::Painter, rect: Rect, dark: bool) {
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

    pub(super) fn paint_badge(&self, painter: &egui::Painter, header: Rect, label: &str) -> f32 {
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

    /// A card as a plain block (zoom < `BLOCK_ZOOM`): body, header band and, when selected or
    /// found, an outline, all in the one block mesh. A card under 4 pixels tall is one block
    /// in its header colour (a band would not show).
    pub(super) fn paint_block(
        &self,
        card: &Card,
        sr: Rect,
        selected: bool,
        body: Color32,
        border: Color32,
        batch: &mut CardBatch,
    ) {
        if sr.height() * batch.pixels_per_point < 4.0 {
            batch.rect(sr, card.header_color, None);
        } else {
            batch.rect(sr, body, None);
            batch.rect(
                Rect::from_min_size(sr.min, vec2(sr.width(), (HEADER_H * self.zoom).max(1.0))),
                card.header_color,
                None,
            );
        }
        if selected {
            batch.rect(sr, border, Some(2.0));
        }
        if self.found.contains(&card.id) {
            batch.rect(sr.expand(2.0), FOUND, Some(2.0));
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn paint_card(
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
            self.paint_block(card, sr, selected, body, border, batch);
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
        if self.found.contains(&t.id) {
            painter.rect_stroke(
                sr.expand(5.0),
                radius,
                Stroke::new(3.0, FOUND),
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
        // Zoomed out the name is a label at a readable size (`paint_labels`) instead.
        if z >= HEADER_ONLY_ZOOM {
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
        }

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
}
