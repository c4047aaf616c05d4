//! The right-hand inspector: edit the selected table, its columns and keys. It reads a
//! `View` and returns every change as a `Request` (a model command; typing in one field
//! merges into one undo step).

use super::actions::Action;
use super::request::{Request, View};
use super::widgets::optional_line;
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
    pub fn ui(&mut self, v: &View, ui: &mut Ui) -> Vec<Request> {
        let mut out = Vec::new();
        let p = v.doc.project();
        let Some(tid) = v.sel.single() else {
            if v.sel.tables.is_empty() {
                ui.label(
                    "Select a table on the canvas, or double-click empty canvas to create one.",
                );
                egui::ScrollArea::vertical().show(ui, |ui| super::sequences::list(p, ui, &mut out));
            } else {
                ui.label(format!("{} tables selected", v.sel.tables.len()));
                if ui.button("Delete selected").clicked() {
                    out.push(Request::Run(Action::Delete));
                }
            }
            return out;
        };
        let Some(table) = p.table(tid) else {
            return out;
        };
        egui::ScrollArea::vertical().show(ui, |ui| {
            Self::table_fields(ui, table, &mut out);
            ui.add_space(6.0);
            self.columns(p, ui, table, &mut out);
            ui.add_space(6.0);
            if let Some((t, c)) = v.sel.column
                && t == tid
                && let Some(col) = table.column(c)
            {
                Self::column_details(p, ui, table, col, &mut out);
            }
            ui.add_space(6.0);
            Self::keys(p, ui, table, &mut out);
            ui.add_space(6.0);
            self.review(v, ui, table, &mut out);
        });
        out
    }

    fn table_fields(ui: &mut Ui, t: &Table, out: &mut Vec<Request>) {
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
                out.push(Request::ApplyMerging(cmd, format!("tname{}", t.id)));
            }
            ui.end_row();
            ui.label("Schema");
            let (_, edited) = optional_line(ui, &t.schema, ("tschema", t.id.0), "(default)");
            if let Some(schema) = edited {
                let cmd = Command::RenameTable {
                    table: t.id,
                    schema,
                    name: t.name.clone(),
                };
                out.push(Request::ApplyMerging(cmd, format!("tschema{}", t.id)));
            }
            ui.end_row();
            ui.label("Privacy");
            let mut subject = t.data_subject;
            if ui
                .checkbox(&mut subject, "Data subject")
                .on_hover_text(
                    "Each row is a person: the privacy report follows the foreign keys from \
                     this table to everything erasing one reaches",
                )
                .changed()
            {
                out.push(Request::Apply(Command::SetDataSubject {
                    table: t.id,
                    on: subject,
                }));
            }
            ui.end_row();
            ui.label("Distribution");
            let role = match t.distribution {
                Some(Distribution::Distributed(c)) => {
                    format!("distributed by {}", t.column_name(c))
                }
                Some(d) => d.kind().to_string(),
                None => "not planned".to_string(),
            };
            ui.label(role).on_hover_text(
                "The table's role on Citus, Vitess or CockroachDB: Model ▸ Plan distribution…",
            );
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
                out.push(Request::ApplyMerging(cmd, format!("tcomment{}", t.id)));
            }
            ui.end_row();
        });
    }

    fn columns(&mut self, p: &Project, ui: &mut Ui, t: &Table, out: &mut Vec<Request>) {
        ui.horizontal(|ui| {
            ui.strong(format!("Columns ({})", t.columns.len()));
            if ui.button("+ Add column").clicked() {
                out.extend(Request::add_column(p, t.id));
            }
        });
        let enums: Vec<(EnumId, String)> = p.enums().map(|e| (e.id, e.name.clone())).collect();
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
                        out.push(Request::Apply(Command::Batch(cmds)));
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
                        out.push(Request::SelectColumn(t.id, c.id));
                    }
                    if resp.changed() {
                        let mut nc = c.clone();
                        nc.name = name;
                        out.push(Request::ApplyMerging(
                            Command::UpdateColumn {
                                table: t.id,
                                column: Box::new(nc),
                            },
                            format!("cname{}", c.id),
                        ));
                    }
                    let current = crate::diagram::geometry::type_label(c, p);
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
                        out.push(Request::Apply(Command::UpdateColumn {
                            table: t.id,
                            column: Box::new(nc),
                        }));
                    }
                    let mut nullable = c.nullable;
                    if ui
                        .add_enabled(!pk, egui::Checkbox::without_text(&mut nullable))
                        .on_hover_text("Nullable")
                        .changed()
                    {
                        let mut nc = c.clone();
                        nc.nullable = nullable;
                        out.push(Request::Apply(Command::UpdateColumn {
                            table: t.id,
                            column: Box::new(nc),
                        }));
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(i > 0, egui::Button::new("⬆").small())
                            .on_hover_text("Move up")
                            .clicked()
                        {
                            out.push(Request::Apply(Command::MoveColumn {
                                table: t.id,
                                column: c.id,
                                to: i - 1,
                            }));
                        }
                        if ui
                            .add_enabled(i + 1 < n, egui::Button::new("⬇").small())
                            .on_hover_text("Move down")
                            .clicked()
                        {
                            out.push(Request::Apply(Command::MoveColumn {
                                table: t.id,
                                column: c.id,
                                to: i + 1,
                            }));
                        }
                    });
                    if ui
                        .small_button("🗑")
                        .on_hover_text("Remove column (and keys that use it)")
                        .clicked()
                    {
                        out.push(match command::remove_column(p, t.id, c.id) {
                            Ok(cmd) => Request::Apply(cmd),
                            Err(e) => Request::Status(e.to_string()),
                        });
                    }
                    ui.end_row();
                }
            });
    }

    fn column_details(p: &Project, ui: &mut Ui, t: &Table, c: &Column, out: &mut Vec<Request>) {
        ui.separator();
        ui.strong(format!("Column {}", c.name));
        let mut nc = c.clone();
        let mut changed_key = None;
        egui::Grid::new(("insp-col", c.id.0))
            .num_columns(2)
            .show(ui, |ui| {
                ui.label("Default");
                let (_, edited) = optional_line(ui, &c.default, ("cdef", c.id.0), "SQL expression");
                if let Some(d) = edited {
                    nc.default = d;
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
                super::sequences::column_source(p, ui, t, c, out);
                ui.end_row();
                ui.label("On update");
                let (r, edited) = optional_line(
                    ui,
                    &c.on_update,
                    ("conupdate", c.id.0),
                    "MySQL: CURRENT_TIMESTAMP",
                );
                r.on_hover_text(
                    "The value the column takes when its row is updated (MySQL's ON UPDATE; \
                     other engines need a trigger, and their export says so)",
                );
                if let Some(u) = edited {
                    nc.on_update = u;
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
        if let Some(q) = p.sequence_of_column(c) {
            super::sequences::fields(p, ui, q, out);
        }
        if let Some(key) = changed_key {
            if nc.identity.is_some() && c.identity.is_none() {
                // Identity replaces a sequence default (PostgreSQL refuses both at once).
                if p.sequence_of_column(&nc).is_some() {
                    nc.default = None;
                }
            }
            let cmd = Command::UpdateColumn {
                table: t.id,
                column: Box::new(nc),
            };
            out.push(if key.is_empty() {
                Request::Apply(cmd)
            } else {
                Request::ApplyMerging(cmd, key)
            });
        }
    }

    /// Review comments on the table, or on the selected column when one is selected: list,
    /// resolve/reopen, delete, add. Each change is one undoable command.
    fn review(&mut self, v: &View, ui: &mut Ui, t: &Table, out: &mut Vec<Request>) {
        let open = t.review.iter().filter(|r| !r.resolved).count();
        ui.horizontal(|ui| {
            ui.strong(format!("Review ({open} open)"));
            ui.checkbox(&mut self.hide_resolved, "hide resolved");
        });
        let column = v.sel.column.filter(|(tt, _)| *tt == t.id).map(|(_, c)| c);
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
                author: v.prefs.reviewer.clone(),
                text: self.comment_draft.trim().to_string(),
                resolved: false,
            });
            self.comment_draft.clear();
            changed = true;
        }
        if changed {
            out.push(Request::Apply(Command::SetReview {
                table: t.id,
                review,
            }));
        }
    }

    fn keys(p: &Project, ui: &mut Ui, t: &Table, out: &mut Vec<Request>) {
        ui.separator();
        ui.strong("Foreign keys");
        let fks = p.foreign_keys_from(t.id);
        if fks.is_empty() {
            ui.weak("none — drag from a row's right-edge dot to another table");
        }
        for fk in fks {
            let Some(to) = p.table(fk.to_table) else {
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
                    out.push(Request::Apply(Command::UpdateForeignKey(Box::new(nfk))));
                }
                if ui
                    .small_button("🗑")
                    .on_hover_text("Remove foreign key")
                    .clicked()
                {
                    out.push(Request::Apply(Command::RemoveForeignKey(fk.id)));
                }
            });
        }
        let incoming = p.foreign_keys_to(t.id).len();
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
