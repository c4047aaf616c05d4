//! Table names that stay legible when zoomed out (issue 16): below the full-card level each
//! card's name is drawn at a readable screen size over its card, the way maps label cities:
//! most connected (then widest) tables first, search matches before all, a label skipped when
//! it would overlap one already placed.

use super::*;

/// Screen size of the labels, in points (≥ 11 px at 100 % display scale).
pub const LABEL_PT: f32 = 12.0;
/// At most this many labels a frame (a full 1600 × 1000 screen holds about a thousand).
const MAX_LABELS: usize = 1200;

/// Placed label rectangles, bucketed on a coarse grid for overlap tests.
struct Placed {
    cell: f32,
    buckets: HashMap<(i32, i32), Vec<Rect>>,
}

impl Placed {
    fn cells(&self, r: Rect) -> impl Iterator<Item = (i32, i32)> + use<> {
        let c = self.cell;
        let (x0, x1) = ((r.min.x / c).floor() as i32, (r.max.x / c).floor() as i32);
        let (y0, y1) = ((r.min.y / c).floor() as i32, (r.max.y / c).floor() as i32);
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn free(&self, r: Rect) -> bool {
        self.cells(r).all(|k| {
            self.buckets
                .get(&k)
                .is_none_or(|v| v.iter().all(|o| !o.intersects(r)))
        })
    }

    fn insert(&mut self, r: Rect) {
        for k in self.cells(r).collect::<Vec<_>>() {
            self.buckets.entry(k).or_default().push(r);
        }
    }
}

impl Canvas {
    /// Draw the labels of the visible cards (`rects` in canvas coordinates); with `only`, just
    /// those tables' (the emphasized ones). Returns how many were placed.
    pub(super) fn paint_labels(
        &self,
        painter: &egui::Painter,
        cache: &Cache,
        rects: &[Rect],
        visible: Rect,
        only: Option<&BTreeSet<TableId>>,
        dark: bool,
    ) -> usize {
        let font = FontId::proportional(LABEL_PT);
        let (text, back) = if dark {
            (Color32::from_gray(235), Color32::from_black_alpha(170))
        } else {
            (Color32::from_gray(20), Color32::from_white_alpha(215))
        };
        let mut placed = Placed {
            cell: 96.0,
            buckets: HashMap::new(),
        };
        // No label under the minimap (drawn over the diagram's corner).
        if let Some((mm, _)) = self.minimap_rect(painter.clip_rect(), rects) {
            placed.insert(mm.expand(2.0));
        }
        let found = cache
            .label_order
            .iter()
            .filter(|&&i| self.found.contains(&cache.cards[i].id));
        let rest = cache
            .label_order
            .iter()
            .filter(|&&i| !self.found.contains(&cache.cards[i].id));
        let mut count = 0;
        let mut drawn = self.labels_drawn.borrow_mut();
        let mut sizes = cache.label_sizes.borrow_mut();
        sizes.resize(cache.labels.len(), None);
        drawn.clear();
        for &i in found.chain(rest) {
            if count >= MAX_LABELS {
                break;
            }
            let card = &cache.cards[i];
            if !rects[i].intersects(visible) || only.is_some_and(|o| !o.contains(&card.id)) {
                continue;
            }
            let sr = self.rect_to_screen(rects[i]);
            // Measured once per card (the text and font do not change with the view): most
            // candidates are skipped, and laying each out every frame cost 10 ms at 50,000.
            let size = *sizes[i].get_or_insert_with(|| {
                painter
                    .layout_no_wrap(cache.labels[i].clone(), font.clone(), text)
                    .size()
            }) + vec2(6.0, 2.0);
            // Over the card's header when the card is tall enough to show one, else centred.
            let centre = if sr.height() > 3.0 * size.y {
                pos2(sr.center().x, sr.min.y + size.y / 2.0 + 1.0)
            } else {
                sr.center()
            };
            let mut lr = Rect::from_center_size(centre, size);
            // Kept inside the canvas (a card at its edge keeps its whole name).
            let clip = painter.clip_rect();
            if !clip.intersects(lr) {
                continue;
            }
            lr = lr.translate(vec2(
                (clip.left() - lr.left()).max(0.0) + (clip.right() - lr.right()).min(0.0),
                (clip.top() - lr.top()).max(0.0) + (clip.bottom() - lr.bottom()).min(0.0),
            ));
            if !placed.free(lr) {
                continue;
            }
            placed.insert(lr);
            drawn.push((card.id, lr));
            let galley = painter.layout_no_wrap(cache.labels[i].clone(), font.clone(), text);
            let highlight = self.found.contains(&card.id);
            painter.rect_filled(
                lr,
                CornerRadius::same(3),
                if highlight {
                    Color32::from_rgb(0xff, 0xd5, 0x4f)
                } else {
                    back
                },
            );
            painter.galley(
                lr.min + vec2(3.0, 1.0),
                galley,
                if highlight { Color32::BLACK } else { text },
            );
            count += 1;
        }
        count
    }
}
