//! Pointer and keyboard input on the canvas, and the inline rename.

use super::*;

impl Canvas {
    pub(super) fn handle_input(
        &mut self,
        ui: &mut Ui,
        resp: &Response,
        doc: &Document,
        sel: &mut Selection,
        requests: &mut Vec<Request>,
    ) {
        let (modifiers, press_origin, scroll, zoom_delta, space) = ui.input(|i| {
            (
                i.modifiers,
                i.pointer.press_origin(),
                i.smooth_scroll_delta,
                i.zoom_delta(),
                i.key_down(egui::Key::Space),
            )
        });
        self.space_down = space && !ui.ctx().egui_wants_keyboard_input();

        // Zoom at the cursor: wheel, pinch, ctrl+wheel.
        if let Some(hover) = resp.hover_pos() {
            let mut factor = zoom_delta;
            if scroll.y != 0.0 && !modifiers.shift {
                factor *= (scroll.y * 0.0015).exp();
            }
            if modifiers.shift && scroll != Vec2::ZERO {
                self.pan += vec2(scroll.y + scroll.x, 0.0);
            }
            if factor != 1.0 {
                self.zoom_at(hover, factor);
            }
        }

        // Start of a drag.
        if resp.drag_started() {
            let origin = press_origin.unwrap_or(resp.interact_pointer_pos().unwrap_or_default());
            let hit = self.hit(doc, origin);
            let additive = modifiers.shift || modifiers.command;
            self.drag = Some(
                if resp.dragged_by(PointerButton::Middle) || self.space_down {
                    Drag::Pan
                } else if resp.dragged_by(PointerButton::Primary) {
                    match hit {
                        Hit::Port(t, c) => Drag::Link {
                            table: t,
                            column: c,
                            pointer: origin,
                        },
                        Hit::Header(t) | Hit::Row(t, _) => {
                            if !sel.tables.contains(&t) {
                                if !additive {
                                    sel.tables.clear();
                                }
                                sel.tables.insert(t);
                            }
                            Drag::Move {
                                ids: sel.tables.iter().copied().collect(),
                                offset: Vec2::ZERO,
                            }
                        }
                        Hit::Note(id) => Drag::MoveNote {
                            id,
                            offset: Vec2::ZERO,
                        },
                        Hit::AreaTitle(id) if !additive => Drag::MoveArea {
                            id,
                            offset: Vec2::ZERO,
                        },
                        Hit::Empty | Hit::AreaTitle(_) if additive => {
                            let p = self.to_canvas(origin);
                            Drag::Box { start: p, end: p }
                        }
                        Hit::Empty | Hit::AreaTitle(_) => Drag::Pan,
                    }
                } else {
                    Drag::Pan
                },
            );
        }

        if resp.dragged() {
            let delta = resp.drag_delta();
            let pointer = resp.interact_pointer_pos();
            match &mut self.drag {
                Some(Drag::Pan) => self.pan += delta,
                Some(Drag::Move { offset, .. })
                | Some(Drag::MoveNote { offset, .. })
                | Some(Drag::MoveArea { offset, .. }) => *offset += delta / self.zoom,
                Some(Drag::Box { end, .. }) => {
                    if let Some(p) = pointer {
                        *end = ((p - self.viewport.min - self.pan) / self.zoom).to_pos2();
                    }
                }
                Some(Drag::Link { pointer: lp, .. }) => {
                    if let Some(p) = pointer {
                        *lp = p;
                    }
                }
                None => {}
            }
        }

        if resp.drag_stopped() {
            // A move is painted where it was dropped until the studio applied it (`dropped`).
            let moved = match &self.drag {
                Some(Drag::Move { ids, offset }) if offset.length() > 0.5 => {
                    let moves: Vec<(TableId, Position)> = ids
                        .iter()
                        .filter_map(|id| doc.project().table(*id))
                        .map(|t| {
                            (
                                t.id,
                                Position {
                                    x: (t.position.x + offset.x).round(),
                                    y: (t.position.y + offset.y).round(),
                                },
                            )
                        })
                        .collect();
                    Some(Command::MoveTables(moves))
                }
                Some(Drag::MoveNote { id, offset }) if offset.length() > 0.5 => {
                    doc.project().notes().find(|n| n.id == *id).map(|n| {
                        let mut n = n.clone();
                        n.position = Position {
                            x: (n.position.x + offset.x).round(),
                            y: (n.position.y + offset.y).round(),
                        };
                        Command::PutNote(n)
                    })
                }
                Some(Drag::MoveArea { id, offset }) if offset.length() > 0.5 => {
                    doc.project().areas().find(|a| a.id == *id).map(|a| {
                        let mut a = a.clone();
                        a.position = Position {
                            x: (a.position.x + offset.x).round(),
                            y: (a.position.y + offset.y).round(),
                        };
                        Command::PutArea(a)
                    })
                }
                _ => None,
            };
            if let Some(cmd) = moved {
                requests.push(Request::Apply(cmd));
                self.dropped = true;
            }
            match if self.dropped { None } else { self.drag.take() } {
                Some(Drag::Box { start, end }) => {
                    let b = Rect::from_two_pos(start, end);
                    if let Some(c) = &self.cache {
                        for card in &c.cards {
                            if b.intersects(card.rect) {
                                sel.tables.insert(card.id);
                            }
                        }
                    }
                }
                Some(Drag::Link {
                    table,
                    column,
                    pointer,
                }) => match self.hit(doc, pointer) {
                    Hit::Empty | Hit::Note(_) | Hit::AreaTitle(_) => {}
                    hit => {
                        let to = hit.table().expect("non-empty hit has a table");
                        let to_column = match hit {
                            Hit::Row(_, c) | Hit::Port(_, c) => Some(c),
                            _ => None,
                        };
                        requests.push(Request::Link {
                            from: table,
                            column,
                            to,
                            to_column,
                        });
                    }
                },
                _ => {}
            }
        }

        let click_pos = resp.interact_pointer_pos();
        if resp.double_clicked()
            && let Some(p) = click_pos
        {
            match self.hit(doc, p) {
                Hit::Empty => {
                    let at = self.to_canvas(p);
                    let at = Position { x: at.x, y: at.y };
                    requests.push(Request::new_table_at(doc.project(), at));
                }
                Hit::Header(t) => self.start_rename(doc, t),
                Hit::Row(t, c) | Hit::Port(t, c) => sel.select_column(t, c),
                Hit::Note(n) => requests.push(Request::EditNote(n)),
                Hit::AreaTitle(a) => requests.push(Request::EditArea(a)),
            }
        } else if resp.clicked()
            && let Some(p) = click_pos
        {
            let additive = modifiers.shift || modifiers.command;
            match self.hit(doc, p) {
                Hit::Empty | Hit::Note(_) | Hit::AreaTitle(_) => {
                    if !additive {
                        sel.clear();
                    }
                }
                Hit::Header(t) => sel.click_table(t, additive),
                Hit::Row(t, c) | Hit::Port(t, c) => {
                    sel.click_table(t, additive);
                    if !additive {
                        sel.column = Some((t, c));
                    }
                }
            }
        }

        if resp.secondary_clicked()
            && let Some(p) = resp.interact_pointer_pos()
        {
            let hit = self.hit(doc, p);
            if let Some(t) = hit.table()
                && !sel.tables.contains(&t)
            {
                sel.tables.clear();
                sel.tables.insert(t);
            }
            self.context_hit = hit;
        }

        // Hover tooltip for rows whose text is cut off.
        if self.drag.is_none()
            && let Some(h) = resp.hover_pos()
            && self.zoom >= HEADER_ONLY_ZOOM
            && let Hit::Row(t, c) | Hit::Port(t, c) = self.hit(doc, h)
            && let Some(table) = doc.project().table(t)
            && let Some(col) = table.column(c)
        {
            let mut text = format!(
                "{}.{}  {}{}",
                table.qualified_name(),
                col.name,
                geometry::type_label(col, doc.project()),
                if col.nullable { "  NULL" } else { "  NOT NULL" }
            );
            if let Some(q) = doc.project().sequence_of_column(col) {
                text.push_str(&format!(
                    "\nvalues from sequence {}: {}",
                    q.qualified_name(),
                    crate::model::sequence::describe(doc.project(), q)
                ));
            } else if let Some(d) = &col.default {
                text.push_str(&format!("\nDEFAULT {d}"));
            }
            if let Some(cm) = &col.comment {
                text.push_str(&format!("\n{cm}"));
            }
            if matches!(self.hit(doc, h), Hit::Port(..)) {
                text.push_str("\nDrag to another table to create a foreign key");
            }
            resp.clone().on_hover_text_at_pointer(text);
        }
    }

    pub fn start_rename(&mut self, doc: &Document, t: TableId) {
        if let Some(table) = doc.project().table(t) {
            self.rename = Some(Rename {
                table: t,
                text: table.name.clone(),
                focused: false,
            });
        }
    }

    pub(super) fn rename_ui(&mut self, ui: &mut Ui, doc: &Document, requests: &mut Vec<Request>) {
        let Some(table) = self.rename.as_ref().map(|r| r.table) else {
            return;
        };
        let Some(r) = self.card_screen_rect(table) else {
            self.rename = None;
            return;
        };
        let zoom = self.zoom;
        let Some(rename) = &mut self.rename else {
            return;
        };
        let header =
            Rect::from_min_size(r.min, vec2(r.width().max(160.0), HEADER_H * zoom.max(0.8)));
        let id = egui::Id::new("crowfoot-rename");
        let edit = egui::TextEdit::singleline(&mut rename.text)
            .id(id)
            .font(FontId::proportional(13.0 * zoom.clamp(0.8, 2.0)));
        let resp = ui.put(header, edit);
        if !rename.focused {
            resp.request_focus();
            rename.focused = true;
        }
        let (enter, escape) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Enter),
                i.key_pressed(egui::Key::Escape),
            )
        });
        if escape {
            self.rename = None;
        } else if enter || resp.lost_focus() {
            let name = rename.text.trim().to_string();
            let t = rename.table;
            self.rename = None;
            if let Some(table) = doc.project().table(t)
                && !name.is_empty()
                && table.name != name
            {
                requests.push(Request::Apply(Command::RenameTable {
                    table: t,
                    schema: table.schema.clone(),
                    name,
                }));
            }
        }
    }

    // ----- painting -----
}
