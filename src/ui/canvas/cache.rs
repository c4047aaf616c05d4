//! The card cache: sizes, edges and labels, kept per document version. An edit that touches
//! only some tables' own content or positions (a rename, a new column, a move) updates those
//! cards and the edges at them in place; anything else rebuilds the cache (issue 16: 0.2 s at
//! 50,000 tables, where one rename must reach the screen within a frame).

use super::*;

/// A table's card at its position.
fn card_for(p: &Project, t: &Table) -> Card {
    let [w, h] = geometry::card_size(t, p);
    let rect = Rect::from_min_size(pos2(t.position.x, t.position.y), vec2(w, h));
    Card {
        id: t.id,
        rect,
        header_color: area_color(p, rect).unwrap_or(Color32::from_rgb(0x3d, 0x6f, 0xb6)),
        badge: crate::analysis::normalize::nf_badge(t),
        open_comments: t.review.iter().filter(|r| !r.resolved).count(),
    }
}

/// The edge of a foreign key between the cards at `from` and `to`.
fn edge_for(p: &Project, fk: &ForeignKey, from: usize, to: usize) -> Option<Edge> {
    let (child, parent) = (p.table(fk.from_table)?, p.table(fk.to_table)?);
    let from_row = fk
        .from_columns
        .first()
        .and_then(|c| child.column_index(*c))
        .unwrap_or(0);
    let to_row = fk
        .target_columns(parent)
        .first()
        .and_then(|c| parent.column_index(*c))
        .unwrap_or(0);
    let geometry::FkShape {
        identifying,
        child_unique,
        optional,
    } = geometry::fk_shape(fk, child);
    Some(Edge {
        fk: fk.id,
        from,
        to,
        from_row,
        to_row,
        identifying,
        child_unique,
        optional,
    })
}

/// Label placement order: the most connected cards first, then the widest (as maps label
/// the biggest cities first). `order` may hold the previous order: a stable sort of a nearly
/// sorted list is close to linear.
fn sort_labels(order: &mut Vec<usize>, cards: &[Card], edges: &[Edge]) {
    let mut degree = vec![0usize; cards.len()];
    for e in edges {
        degree[e.from] += 1;
        degree[e.to] += 1;
    }
    if order.len() != cards.len() {
        *order = (0..cards.len()).collect();
    }
    order.sort_by(|&a, &b| {
        degree[b]
            .cmp(&degree[a])
            .then(cards[b].rect.width().total_cmp(&cards[a].rect.width()))
            .then(a.cmp(&b))
    });
}

impl Canvas {
    pub(super) fn refresh(&mut self, doc: &Document) {
        let Some(cache) = &mut self.cache else {
            self.rebuild(doc);
            return;
        };
        if cache.version == doc.version() {
            return;
        }
        let updated = doc
            .tables_changed_since(cache.version)
            .is_some_and(|touched| cache.update(doc.project(), &touched));
        if updated {
            cache.version = doc.version();
        } else {
            self.rebuild(doc);
        }
    }

    fn rebuild(&mut self, doc: &Document) {
        self.cache_rebuilds += 1;
        let p = &doc.project();
        let mut cards = Vec::with_capacity(p.table_count());
        let mut index = HashMap::with_capacity(p.table_count());
        for t in p.tables() {
            index.insert(t.id, cards.len());
            cards.push(card_for(p, t));
        }
        let mut edges = Vec::with_capacity(p.foreign_key_count());
        for fk in p.foreign_keys() {
            let (Some(&from), Some(&to)) = (index.get(&fk.from_table), index.get(&fk.to_table))
            else {
                continue;
            };
            edges.extend(edge_for(p, fk, from, to));
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
        let mut label_order = Vec::new();
        sort_labels(&mut label_order, &cards, &edges);
        let labels = cards
            .iter()
            .map(|c| {
                p.table(c.id)
                    .map_or_else(String::new, |t| t.qualified_name())
            })
            .collect();
        let bounds = cards.iter().fold(Rect::NOTHING, |b, c| b.union(c.rect));
        self.cache = Some(Cache {
            version: doc.version(),
            bounds,
            cards,
            index,
            edges,
            labels,
            label_order,
            label_sizes: Default::default(),
        });
    }

    /// Cards in draw order (for benchmarks and tests).
    pub fn cards(&mut self, doc: &Document) -> &[Card] {
        self.refresh(doc);
        &self.cache.as_ref().expect("refreshed").cards
    }
}

impl Cache {
    /// Bring the cards of `touched` (whose content or position changed, nothing else) and the
    /// edges at them up to date. `false` when that is not enough (a table came or went): the
    /// caller rebuilds.
    fn update(&mut self, p: &Project, touched: &BTreeSet<TableId>) -> bool {
        if p.table_count() != self.cards.len() || p.foreign_key_count() != self.edges.len() {
            return false;
        }
        let mut at = BTreeSet::new();
        for id in touched {
            let (Some(&i), Some(_)) = (self.index.get(id), p.table(*id)) else {
                return false;
            };
            at.insert(i);
        }
        let mut widths_changed = false;
        for &i in &at {
            let t = p.table(self.cards[i].id).expect("checked above");
            let card = card_for(p, t);
            widths_changed |= card.rect.width() != self.cards[i].rect.width();
            self.cards[i] = card;
            let label = t.qualified_name();
            if label != self.labels[i] {
                self.labels[i] = label;
                if let Some(s) = self.label_sizes.get_mut().get_mut(i) {
                    *s = None;
                }
            }
        }
        for e in &mut self.edges {
            if !at.contains(&e.from) && !at.contains(&e.to) {
                continue;
            }
            let Some(fresh) = p
                .foreign_key(e.fk)
                .and_then(|fk| edge_for(p, fk, e.from, e.to))
            else {
                return false;
            };
            *e = fresh;
        }
        if widths_changed {
            sort_labels(&mut self.label_order, &self.cards, &self.edges);
        }
        self.bounds = self
            .cards
            .iter()
            .fold(Rect::NOTHING, |b, c| b.union(c.rect));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    /// Everything the cache holds, as text (cards and edges have no `PartialEq`).
    fn snapshot(c: &Canvas) -> String {
        let c = c.cache.as_ref().expect("refreshed");
        let mut index: Vec<_> = c.index.iter().collect();
        index.sort();
        format!(
            "{:?}\n{:?}\n{index:?}\n{:?}\n{:?}\n{:?}",
            c.cards, c.edges, c.labels, c.label_order, c.bounds
        )
    }

    fn fresh(doc: &Document) -> String {
        let mut c = Canvas::default();
        c.refresh(doc);
        snapshot(&c)
    }

    #[test]
    fn edits_to_tables_update_the_cache_as_a_rebuild_would() {
        let project = samples::shop::build();
        let orders = project.table_by_name(None, "orders").unwrap().id;
        let customers = project.table_by_name(None, "customers").unwrap().id;
        // A name with a quote, a space and an emoji, so labels and widths change.
        let c = project.table(customers).unwrap().columns[0].clone();
        let mut doc = Document::new(project, None);
        let mut canvas = Canvas::default();
        canvas.refresh(&doc);
        assert_eq!(canvas.cache_rebuilds, 1);

        let mut renamed = c.clone();
        renamed.name = "the \"customer\" id 🦀 with a much longer name".into();
        let t = doc.project().table(orders).unwrap().clone();
        let edits = vec![
            Command::UpdateColumn {
                table: customers,
                column: Box::new(renamed),
            },
            Command::RenameTable {
                table: orders,
                schema: Some("sales".into()),
                name: "orders 📦".into(),
            },
            Command::MoveTables(vec![
                (orders, Position { x: 900.0, y: -40.0 }),
                (customers, Position { x: -300.0, y: 10.0 }),
            ]),
            Command::SetPrimaryKey {
                table: orders,
                primary_key: None,
            },
            Command::MoveColumn {
                table: orders,
                column: t.columns[0].id,
                to: t.columns.len() - 1,
            },
        ];
        for (i, cmd) in edits.into_iter().enumerate() {
            doc.apply(cmd).expect("edit applies");
            canvas.refresh(&doc);
            assert_eq!(snapshot(&canvas), fresh(&doc), "after edit {i}");
        }
        for i in 0..3 {
            doc.undo().expect("undo");
            canvas.refresh(&doc);
            assert_eq!(snapshot(&canvas), fresh(&doc), "after undo {i}");
        }
        doc.redo().expect("redo");
        canvas.refresh(&doc);
        assert_eq!(snapshot(&canvas), fresh(&doc), "after redo");
        assert_eq!(canvas.cache_rebuilds, 1, "all of these updated in place");

        // A new table is more than an edit in place: the cache is rebuilt.
        let mut extra = doc.project().table(orders).unwrap().clone();
        extra.id = TableId(doc.project().alloc_id());
        extra.name = "extra".into();
        for col in &mut extra.columns {
            col.id = ColumnId(doc.project().alloc_id());
        }
        extra.primary_key = None;
        extra.indexes.clear();
        extra.uniques.clear();
        extra.checks.clear();
        extra.dependencies.clear();
        doc.apply(Command::AddTable(Box::new(extra)))
            .expect("the table is added");
        canvas.refresh(&doc);
        assert_eq!(snapshot(&canvas), fresh(&doc));
        assert_eq!(canvas.cache_rebuilds, 2);
    }
}
