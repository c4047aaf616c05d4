//! Hit-testing: what is under a screen point.

use super::*;

impl Canvas {
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
    pub(super) fn note_rect(&self, n: &Note) -> Rect {
        let r = Rect::from_min_size(pos2(n.position.x, n.position.y), NOTE_SIZE);
        match &self.drag {
            Some(Drag::MoveNote { id, offset }) if *id == n.id => r.translate(*offset),
            _ => r,
        }
    }

    /// An area's rect (canvas units), following a drag in progress.
    pub(super) fn area_rect(&self, a: &Area) -> Rect {
        let r = Rect::from_min_size(pos2(a.position.x, a.position.y), vec2(a.size[0], a.size[1]));
        match &self.drag {
            Some(Drag::MoveArea { id, offset }) if *id == a.id => r.translate(*offset),
            _ => r,
        }
    }

    /// A card's rect including a move in progress.
    pub(super) fn moved_rect(&self, card: &Card) -> Rect {
        match &self.drag {
            // `ids` comes from a `BTreeSet`, so it is sorted.
            Some(Drag::Move { ids, offset }) if ids.binary_search(&card.id).is_ok() => {
                card.rect.translate(*offset)
            }
            _ => card.rect,
        }
    }

    // ----- the widget -----
}
