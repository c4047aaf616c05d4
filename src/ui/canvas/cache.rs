//! The card cache: sizes and descriptions rebuilt when the document changes.

use super::*;

impl Canvas {
    pub(super) fn refresh(&mut self, doc: &Document) {
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
                fk: fk.id,
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
        let mut degree = vec![0usize; cards.len()];
        for e in &edges {
            degree[e.from] += 1;
            degree[e.to] += 1;
        }
        let mut label_order: Vec<usize> = (0..cards.len()).collect();
        label_order.sort_by(|&a, &b| {
            degree[b]
                .cmp(&degree[a])
                .then(cards[b].rect.width().total_cmp(&cards[a].rect.width()))
                .then(a.cmp(&b))
        });
        let labels = cards
            .iter()
            .map(|c| {
                p.table(c.id)
                    .map_or_else(String::new, |t| t.qualified_name())
            })
            .collect();
        self.cache = Some(Cache {
            version: doc.version(),
            cards,
            index,
            edges,
            labels,
            label_order,
        });
    }

    /// Cards in draw order (for benchmarks and tests).
    pub fn cards(&mut self, doc: &Document) -> &[Card] {
        self.refresh(doc);
        &self.cache.as_ref().expect("refreshed").cards
    }

    // ----- hit testing -----
}
