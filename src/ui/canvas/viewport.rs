//! The viewport: canvas and screen coordinates, zoom, fitting and centring.

use super::*;

impl Canvas {
    pub fn to_screen(&self, p: Pos2) -> Pos2 {
        self.viewport.min + self.pan + p.to_vec2() * self.zoom
    }

    pub fn to_canvas(&self, s: Pos2) -> Pos2 {
        ((s - self.viewport.min - self.pan) / self.zoom).to_pos2()
    }

    pub(super) fn rect_to_screen(&self, r: Rect) -> Rect {
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
        self.zoom = (self.zoom * factor).clamp(self.min_zoom(), MAX_ZOOM);
        self.pan = screen - self.viewport.min - c.to_vec2() * self.zoom;
    }

    /// The zoom that shows `bounds` (canvas coordinates) whole, with a 20-point margin.
    fn zoom_to_show(&self, bounds: Rect) -> f32 {
        let view = (self.viewport.size() - vec2(40.0, 40.0)).max(vec2(1.0, 1.0));
        (view.x / bounds.width().max(1.0)).min(view.y / bounds.height().max(1.0))
    }

    /// The lowest zoom allowed: `MIN_ZOOM`, or lower when that is what it takes to see the
    /// whole diagram (50,000 tables need about 0.007 on a 1600-point window).
    pub fn min_zoom(&self) -> f32 {
        let b = self.content_bounds(None);
        if b.is_positive() {
            MIN_ZOOM.min(self.zoom_to_show(b.expand(20.0)))
        } else {
            MIN_ZOOM
        }
    }

    /// Zoom and pan so that `bounds` (canvas coordinates) fills the view.
    pub fn show_rect(&mut self, bounds: Rect) {
        if !bounds.is_finite() || bounds.width() <= 0.0 {
            return;
        }
        let z = self.zoom_to_show(bounds).clamp(self.min_zoom(), 1.5);
        self.zoom = z;
        self.pan = self.viewport.size() * 0.5 - bounds.center().to_vec2() * z;
    }

    pub(super) fn content_bounds(&self, ids: Option<&BTreeSet<TableId>>) -> Rect {
        let mut b = Rect::NOTHING;
        if ids.is_none() {
            b = b.union(self.decorations);
        }
        if let Some(c) = &self.cache {
            match ids {
                None => b = b.union(c.bounds),
                Some(ids) => {
                    for card in &c.cards {
                        if ids.contains(&card.id) {
                            b = b.union(card.rect);
                        }
                    }
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
}
