//! The right-hand inspector: edit the selected table, its columns and keys. Every change is a
//! model command; typing in one field merges into one undo step.

use super::studio::Studio;
use crate::model::*;
use egui::Ui;

#[derive(Default)]
pub struct Inspector {
    /// Give keyboard focus to this column's name field on the next frame.
    pub focus_column: Option<ColumnId>,
    /// The review comment being written.
    pub comment_draft: String,
    /// Hide resolved comments.
    pub hide_resolved: bool,
}

/// Types offered in the type menu (enums are added per project).
fn common_types() -> Vec<LogicalType> {
    use LogicalType as L;
    vec![
        L::SmallInt,
        L::Integer,
        L::BigInt,
        L::Decimal(Some(12), Some(2)),
        L::Real,
        L::Double,
        L::Boolean,
        L::Varchar(Some(255)),
        L::Char(2),
        L::Text,
        L::Bytes,
        L::Date,
        L::Time,
        L::Timestamp,
        L::TimestampTz,
        L::Interval,
        L::Uuid,
        L::Json,
    ]
}

impl Inspector {
    pub fn ui(&mut self, s: &mut Studio, ui: &mut Ui) {
        let Some(tid) = s.sel.single() else {
            if s.sel.tables.is_empty() {
                ui.label(
                    "Select a table on the canvas, or double-click empty canvas to create one.",
                );
                egui::ScrollArea::vertical().show(ui, |ui| super::sequences::list(s, ui));
            } else {
                ui.label(format!("{} tables selected", s.sel.tables.len()));
                if ui.button("Delete selected").clicked() {
                    s.run(ui, super::actions::Action::Delete);
                }
            }
            return;
        };
        let Some(table) = s.doc.project().table(tid).cloned() else {
            return;
        };
        egui::ScrollArea::vertical().show(ui, |ui| {
            self.table_fields(s, ui, &table);
            ui.add_space(6.0);
            self.columns(s, ui, &table);
            ui.add_space(6.0);
            if let Some((t, c)) = s.sel.column
                && t == tid
                && let Some(col) = table.column(c)
            {
                self.column_details(s, ui, &table, col);
            }
            ui.add_space(6.0);
            Self::keys(s, ui, &table);
            ui.add_space(6.0);
            self.review(s, ui, &table);
        });
    }

    fn table_fields(&mut self, s: &mut Studio, ui: &mut Ui, t: &Table) {
        egui::Grid::new("insp-table").num_columns(2).show(ui, |ui| {
            ui.label("Table");
            let mut name = t.name.clone();
            if ui
                .add(egui::TextEdit::singleline(&mut name).id_salt(("tname", t.id.0)))
                .changed()
            {
                let cmd = Command::RenameTable {
                    table: t.id,
                    schema: t.schema.clone(),
                    name,
                };
                if let Err(e) = s.doc.apply_merging(cmd, format!("tname{}", t.id)) {
                    s.status = e.to_string();
                }
            }
            ui.end_row();
            ui.label("Schema");
            let mut schema = t.schema.clone().unwrap_or_default();
            if ui
                .add(
                    egui::TextEdit::singleline(&mut schema)
                        .id_salt(("tschema", t.id.0))
                        .hint_text("(default)"),
                )
                .changed()
            {
                let cmd = Command::RenameTable {
                    table: t.id,
                    schema: (!schema.trim().is_empty()).then_some(schema),
                    name: t.name.clone(),
                };
                if let Err(e) = s.doc.apply_merging(cmd, format!("tschema{}", t.id)) {
                    s.status = e.to_string();
                }
            }
            ui.end_row();
            ui.label("Comment");
            let mut comment = t.comment.clone().unwrap_or_default();
            if ui
                .add(
                    egui::TextEdit::multiline(&mut comment)
                        .id_salt(("tcomment", t.id.0))
                        .desired_rows(2),
                )
                .changed()
            {
                let cmd = Command::SetTableComment {
                    table: t.id,
                    comment: (!comment.is_empty()).then_some(comment),
                };
                if let Err(e) = s.doc.apply_merging(cmd, format!("tcomment{}", t.id)) {
                    s.status = e.to_string();
                }
            }
            ui.end_row();
        });
    }

    fn columns(&mut self, s: &mut Studio, ui: &mut Ui, t: &Table) {
        ui.horizontal(|ui| {
            ui.strong(format!("Columns ({})", t.columns.len()));
            if ui.button("+ Add column").clicked() {
                if let Some(add) = super::request::Request::add_column(s.doc.project(), t.id) {
                    s.handle(ui, vec![add]);
                }
                // `add_column` asks the studio's inspector, which is this one, taken out.
                self.focus_column = s.inspector.focus_column.take().or(self.focus_column);
            }
        });
        let enums: Vec<(EnumId, String)> = s
            .doc
            .project()
            .enums()
            .map(|e| (e.id, e.name.clone()))
            .collect();
        egui::Grid::new(("insp-cols", t.id.0))
            .num_columns(6)
            .striped(true)
            .show(ui, |ui| {
                ui.weak("PK");
                ui.weak("name");
                ui.weak("type");
                ui.weak("null");
                ui.weak("");
                ui.weak("");
                ui.end_row();
                let n = t.columns.len();
                for (i, c) in t.columns.iter().enumerate() {
                    let mut pk = t.is_pk_column(c.id);
                    if ui
                        .checkbox(&mut pk, "")
                        .on_hover_text("Part of the primary key")
                        .changed()
                    {
                        let mut cols = t
                            .primary_key
                            .as_ref()
                            .map(|k| k.columns.clone())
                            .unwrap_or_default();
                        if pk {
                            cols.push(c.id);
                        } else {
                            cols.retain(|x| *x != c.id);
                        }
                        let mut cmds = vec![Command::SetPrimaryKey {
                            table: t.id,
                            primary_key: (!cols.is_empty()).then(|| PrimaryKey {
                                name: t.primary_key.as_ref().and_then(|k| k.name.clone()),
                                columns: cols,
                            }),
                        }];
                        if pk && c.nullable {
                            let mut nc = c.clone();
                            nc.nullable = false;
                            cmds.insert(
                                0,
                                Command::UpdateColumn {
                                    table: t.id,
                                    column: Box::new(nc),
                                },
                            );
                        }
                        s.apply(Command::Batch(cmds));
                    }
                    let mut name = c.name.clone();
                    let resp = ui.add_sized(
                        [120.0, ui.spacing().interact_size.y],
                        egui::TextEdit::singleline(&mut name).id_salt(("cname", c.id.0)),
                    );
                    if self.focus_column == Some(c.id) {
                        resp.request_focus();
                        self.focus_column = None;
                    }
                    if resp.gained_focus() {
                        s.sel.column = Some((t.id, c.id));
                    }
                    if resp.changed() {
                        let mut nc = c.clone();
                        nc.name = name;
                        if let Err(e) = s.doc.apply_merging(
                            Command::UpdateColumn {
                                table: t.id,
                                column: Box::new(nc),
                            },
                            format!("cname{}", c.id),
                        ) {
                            s.status = e.to_string();
                        }
                    }
                    let current = crate::model::geometry::type_label(c, s.doc.project());
                    let mut chosen: Option<LogicalType> = None;
                    egui::ComboBox::from_id_salt(("ctype", c.id.0))
                        .selected_text(current)
                        .width(120.0)
                        .show_ui(ui, |ui| {
                            for ty in common_types() {
                                if ui.selectable_label(ty == c.ty, ty.describe()).clicked() {
                                    chosen = Some(ty);
                                }
                            }
                            for (id, name) in &enums {
                                let ty = LogicalType::Enum(*id);
                                if ui
                                    .selectable_label(ty == c.ty, format!("enum {name}"))
                                    .clicked()
                                {
                                    chosen = Some(ty);
                                }
                            }
                        });
                    if let Some(ty) = chosen {
                        let mut nc = c.clone();
                        nc.ty = ty;
                        s.apply(Command::UpdateColumn {
                            table: t.id,
                            column: Box::new(nc),
                        });
                    }
                    let mut nullable = c.nullable;
                    if ui
                        .add_enabled(!pk, egui::Checkbox::without_text(&mut nullable))
                        .on_hover_text("Nullable")
                        .changed()
                    {
                        let mut nc = c.clone();
                        nc.nullable = nullable;
                        s.apply(Command::UpdateColumn {
                            table: t.id,
                            column: Box::new(nc),
                        });
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(i > 0, egui::Button::new("⬆").small())
                            .on_hover_text("Move up")
                            .clicked()
                        {
                            s.apply(Command::MoveColumn {
                                table: t.id,
                                column: c.id,
                                to: i - 1,
                            });
                        }
                        if ui
                            .add_enabled(i + 1 < n, egui::Button::new("⬇").small())
                            .on_hover_text("Move down")
                            .clicked()
                        {
                            s.apply(Command::MoveColumn {
                                table: t.id,
                                column: c.id,
                                to: i + 1,
                            });
                        }
                    });
                    if ui
                        .small_button("🗑")
                        .on_hover_text("Remove column (and keys that use it)")
                        .clicked()
                    {
                        match command::remove_column(s.doc.project(), t.id, c.id) {
                            Ok(cmd) => {
                                s.apply(cmd);
                            }
                            Err(e) => s.status = e.to_string(),
                        }
                    }
                    ui.end_row();
                }
            });
    }

    fn column_details(&mut self, s: &mut Studio, ui: &mut Ui, t: &Table, c: &Column) {
        ui.separator();
        ui.strong(format!("Column {}", c.name));
        let mut nc = c.clone();
        let mut changed_key = None;
        egui::Grid::new(("insp-col", c.id.0))
            .num_columns(2)
            .show(ui, |ui| {
                ui.label("Default");
                let mut d = c.default.clone().unwrap_or_default();
                if ui
                    .add(
                        egui::TextEdit::singleline(&mut d)
                            .id_salt(("cdef", c.id.0))
                            .hint_text("SQL expression"),
                    )
                    .changed()
                {
                    nc.default = (!d.trim().is_empty()).then_some(d);
                    changed_key = Some(format!("cdef{}", c.id));
                }
                ui.end_row();
                ui.label("Comment");
                let mut cm = c.comment.clone().unwrap_or_default();
                if ui
                    .add(
                        egui::TextEdit::multiline(&mut cm)
                            .id_salt(("ccomment", c.id.0))
                            .desired_rows(2),
                    )
                    .changed()
                {
                    nc.comment = (!cm.is_empty()).then_some(cm);
                    changed_key = Some(format!("ccomment{}", c.id));
                }
                ui.end_row();
                ui.label("Values from");
                super::sequences::column_source(s, ui, t, c);
                ui.end_row();
                ui.label("On update");
                let mut u = c.on_update.clone().unwrap_or_default();
                if ui
                    .add(
                        egui::TextEdit::singleline(&mut u)
                            .id_salt(("conupdate", c.id.0))
                            .hint_text("MySQL: CURRENT_TIMESTAMP"),
                    )
                    .on_hover_text(
                        "The value the column takes when its row is updated (MySQL's ON UPDATE; \
                         other engines need a trigger, and their export says so)",
                    )
                    .changed()
                {
                    nc.on_update = (!u.trim().is_empty()).then_some(u);
                    changed_key = Some(format!("conupdate{}", c.id));
                }
                ui.end_row();
                ui.label("Identity");
                let mut identity = c.identity.is_some();
                if ui.checkbox(&mut identity, "auto-increment").changed() {
                    nc.identity = identity.then_some(Identity::ByDefault);
                    changed_key = Some(String::new());
                }
                ui.end_row();
                ui.label("Tags");
                let mut pii = c.tags.contains("pii");
                if ui
                    .checkbox(&mut pii, "pii")
                    .on_hover_text("Personally identifiable information")
                    .changed()
                {
                    if pii {
                        nc.tags.insert("pii".into());
                    } else {
                        nc.tags.remove("pii");
                    }
                    changed_key = Some(String::new());
                }
                ui.end_row();
            });
        if let Some(q) = s.doc.project().sequence_of_column(c).cloned() {
            super::sequences::fields(s, ui, &q);
        }
        if let Some(key) = changed_key {
            if nc.identity.is_some() && c.identity.is_none() {
                // Identity replaces a sequence default (PostgreSQL refuses both at once).
                if s.doc.project().sequence_of_column(&nc).is_some() {
                    nc.default = None;
                }
            }
            let cmd = Command::UpdateColumn {
                table: t.id,
                column: Box::new(nc),
            };
            let r = if key.is_empty() {
                s.doc.apply(cmd)
            } else {
                s.doc.apply_merging(cmd, key)
            };
            if let Err(e) = r {
                s.status = e.to_string();
            }
        }
    }

    /// Review comments on the table, or on the selected column when one is selected: list,
    /// resolve/reopen, delete, add. Each change is one undoable command.
    fn review(&mut self, s: &mut Studio, ui: &mut Ui, t: &Table) {
        let open = t.review.iter().filter(|r| !r.resolved).count();
        ui.horizontal(|ui| {
            ui.strong(format!("Review ({open} open)"));
            ui.checkbox(&mut self.hide_resolved, "hide resolved");
        });
        let column = s.sel.column.filter(|(tt, _)| *tt == t.id).map(|(_, c)| c);
        let mut review = t.review.clone();
        let mut changed = false;
        let mut remove = None;
        for (i, r) in review.iter_mut().enumerate() {
            if self.hide_resolved && r.resolved {
                continue;
            }
            ui.horizontal_wrapped(|ui| {
                if ui
                    .checkbox(&mut r.resolved, "")
                    .on_hover_text("Resolved")
                    .changed()
                {
                    changed = true;
                }
                let on = r
                    .column
                    .map(|c| format!("{}: ", t.column_name(c)))
                    .unwrap_or_default();
                let text = egui::RichText::new(format!("{on}{}", r.text));
                ui.label(if r.resolved {
                    text.weak().strikethrough()
                } else {
                    text
                });
                ui.weak(format!("— {}", r.author));
                if ui
                    .small_button("✖")
                    .on_hover_text("Delete comment")
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            review.remove(i);
            changed = true;
        }
        let target = column
            .map(|c| format!("on {}", t.column_name(c)))
            .unwrap_or_else(|| "on the table".into());
        let mut add = false;
        // Room for the button: a field as wide as the row would widen the panel every frame.
        let w = (ui.available_width() - 110.0).max(80.0);
        ui.horizontal(|ui| {
            let r = ui.add(
                egui::TextEdit::singleline(&mut self.comment_draft)
                    .hint_text(format!("comment {target}"))
                    .id_salt("review-draft")
                    .desired_width(w),
            );
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                add = true;
            }
            if ui.button("Comment").clicked() {
                add = true;
            }
        });
        if add && !self.comment_draft.trim().is_empty() {
            review.push(ReviewComment {
                column,
                author: s.prefs.reviewer.clone(),
                text: self.comment_draft.trim().to_string(),
                resolved: false,
            });
            self.comment_draft.clear();
            changed = true;
        }
        if changed {
            s.apply(Command::SetReview {
                table: t.id,
                review,
            });
        }
    }

    fn keys(s: &mut Studio, ui: &mut Ui, t: &Table) {
        ui.separator();
        ui.strong("Foreign keys");
        let fks: Vec<ForeignKey> = s
            .doc
            .project()
            .foreign_keys_from(t.id)
            .into_iter()
            .cloned()
            .collect();
        if fks.is_empty() {
            ui.weak("none — drag from a row's right-edge dot to another table");
        }
        for fk in fks {
            let Some(to) = s.doc.project().table(fk.to_table) else {
                continue;
            };
            let cols: Vec<String> = fk.from_columns.iter().map(|c| t.column_name(*c)).collect();
            let refs: Vec<String> = fk.to_columns.iter().map(|c| to.column_name(*c)).collect();
            let label = format!(
                "({}) -> {} ({})",
                cols.join(", "),
                to.qualified_name(),
                refs.join(", ")
            );
            ui.horizontal(|ui| {
                ui.label(label);
                let mut on_delete = fk.on_delete;
                egui::ComboBox::from_id_salt(("fkdel", fk.id.0))
                    .selected_text(format!("ON DELETE {}", on_delete.sql()))
                    .show_ui(ui, |ui| {
                        for a in [
                            FkAction::NoAction,
                            FkAction::Restrict,
                            FkAction::Cascade,
                            FkAction::SetNull,
                            FkAction::SetDefault,
                        ] {
                            ui.selectable_value(&mut on_delete, a, a.sql());
                        }
                    });
                if on_delete != fk.on_delete {
                    let mut nfk = fk.clone();
                    nfk.on_delete = on_delete;
                    s.apply(Command::UpdateForeignKey(Box::new(nfk)));
                }
                if ui
                    .small_button("🗑")
                    .on_hover_text("Remove foreign key")
                    .clicked()
                {
                    s.apply(Command::RemoveForeignKey(fk.id));
                }
            });
        }
        let incoming = s.doc.project().foreign_keys_to(t.id).len();
        if incoming > 0 {
            ui.weak(format!("referenced by {incoming} foreign key(s)"));
        }
        ui.separator();
        ui.strong("Indexes");
        if t.indexes.is_empty() && t.uniques.is_empty() {
            ui.weak("none");
        }
        for u in &t.uniques {
            let cols: Vec<String> = u.columns.iter().map(|c| t.column_name(*c)).collect();
            ui.label(format!("UNIQUE ({})", cols.join(", ")));
        }
        for ix in &t.indexes {
            let parts: Vec<String> = ix
                .parts
                .iter()
                .map(|p| match &p.target {
                    IndexTarget::Column(c) => t.column_name(*c),
                    IndexTarget::Expr(e) => e.clone(),
                })
                .collect();
            let mut text = format!(
                "{}{} ({})",
                if ix.unique { "UNIQUE " } else { "" },
                ix.name,
                parts.join(", ")
            );
            if let Some(w) = &ix.where_clause {
                text.push_str(&format!(" WHERE {w}"));
            }
            ui.label(text);
        }
    }
}
