//! Running an action: `Studio::run`, and whether it can run now (`is_enabled`).

use super::*;

impl Studio {
    /// Whether action `a` can run now: asked by the menus, the command palette and `run`.
    pub fn is_enabled(&self, a: Action) -> bool {
        self.view().is_enabled(a)
    }

    /// For a shown/hidden setting ([`Action::is_toggle`]), whether it is on.
    pub fn is_checked(&self, a: Action) -> Option<bool> {
        match a {
            Action::ToggleLeftPanel => Some(self.prefs.show_tables),
            Action::ToggleInspector => Some(self.prefs.show_inspector),
            Action::ToggleBottomPanel => Some(self.prefs.show_bottom),
            _ => None,
        }
    }

    pub fn run(&mut self, ui: &Ui, a: Action) {
        if !self.is_enabled(a) {
            self.status = format!("{}: not available now", a.text().0);
            return;
        }
        match a {
            Action::NewProject => self.guard_discard(AfterDiscard::New),
            Action::Open => self.guard_discard(AfterDiscard::Open),
            // Unsaved changes are asked about when Import is clicked in the dialect dialog.
            Action::ImportSql => self.files.pick_import(),
            Action::ImportServer => {
                self.server_import
                    .get_or_insert_with(ServerImportDialog::default);
            }
            Action::ImportReport => match &mut self.import_report {
                Some(r) => r.open = true,
                None => self.status = "No import report yet: import with File > Import SQL…".into(),
            },
            Action::Save => self
                .files
                .save(ui.ctx(), &mut self.doc, &mut self.status, false),
            Action::SaveAs => self
                .files
                .save(ui.ctx(), &mut self.doc, &mut self.status, true),
            Action::Undo => match self.doc.undo() {
                Ok(Some(l)) => self.status = format!("Undid: {l}"),
                Ok(None) => self.status = "Nothing to undo".into(),
                Err(e) => self.status = format!("Undo failed: {e}"),
            },
            Action::Redo => match self.doc.redo() {
                Ok(Some(l)) => self.status = format!("Redid: {l}"),
                Ok(None) => self.status = "Nothing to redo".into(),
                Err(e) => self.status = format!("Redo failed: {e}"),
            },
            Action::Delete => self.delete_selection(),
            Action::NudgeLeft
            | Action::NudgeRight
            | Action::NudgeUp
            | Action::NudgeDown
            | Action::NudgeLeftFar
            | Action::NudgeRightFar
            | Action::NudgeUpFar
            | Action::NudgeDownFar => {
                let (dx, dy) = a.nudge().expect("a nudge action");
                self.nudge(dx, dy);
            }
            // The integration answers with a Paste event (see `handle_shortcuts`).
            Action::Paste => ui
                .ctx()
                .send_viewport_cmd(egui::ViewportCommand::RequestPaste),
            Action::SelectAll => {
                self.sel.tables = self.doc.project().tables().map(|t| t.id).collect();
            }
            Action::Copy => {
                if !self.sel.tables.is_empty() {
                    let text = crate::model::clipboard::copy(self.doc.project(), &self.sel.tables);
                    ui.ctx().copy_text(text);
                    self.status = format!(
                        "Copied {} table(s); paste with Ctrl+V",
                        self.sel.tables.len()
                    );
                }
            }
            Action::ManyToMany => {
                let v: Vec<TableId> = self.sel.tables.iter().copied().collect();
                if let [a, b] = v[..] {
                    match crate::model::clipboard::many_to_many(self.doc.project(), a, b) {
                        Ok((cmd, id)) => {
                            if self.apply(cmd) {
                                self.sel.clear();
                                self.sel.tables.insert(id);
                            }
                        }
                        Err(e) => self.status = e,
                    }
                } else {
                    self.status =
                        "Select exactly two tables for a many-to-many relationship".into();
                }
            }
            Action::AddNote => {
                let c = self.canvas.to_canvas(self.canvas.viewport.center());
                let id = NoteId(self.doc.project().alloc_id());
                self.apply(Command::PutNote(Note {
                    id,
                    text: "Note".into(),
                    position: Position {
                        x: c.x.round(),
                        y: c.y.round(),
                    },
                }));
            }
            Action::AddArea => {
                let bounds = self
                    .sel
                    .tables
                    .iter()
                    .filter_map(|t| self.doc.project().table(*t))
                    .map(|t| {
                        let [w, h] = crate::diagram::geometry::card_size(t, self.doc.project());
                        egui::Rect::from_min_size(
                            egui::pos2(t.position.x, t.position.y),
                            egui::vec2(w, h),
                        )
                    })
                    .fold(egui::Rect::NOTHING, |b, r| b.union(r));
                let r = if bounds.is_positive() {
                    bounds.expand(30.0)
                } else {
                    egui::Rect::from_center_size(
                        self.canvas.to_canvas(self.canvas.viewport.center()),
                        egui::vec2(400.0, 300.0),
                    )
                };
                let id = AreaId(self.doc.project().alloc_id());
                let n = self.doc.project().areas().count() + 1;
                self.apply(Command::PutArea(Area {
                    id,
                    name: format!("Area {n}"),
                    color: [0x4a, 0x90, 0xd9],
                    position: Position {
                        x: r.min.x.round(),
                        y: r.min.y.round(),
                    },
                    size: [r.width().round(), r.height().round()],
                }));
            }
            Action::ClearSelection if self.focus.is_some() => self.focus = None,
            Action::ClearSelection => {
                self.sel.clear();
                self.canvas.rename = None;
            }
            Action::NewTable => {
                let c = self.canvas.to_canvas(self.canvas.viewport.center());
                let new = Request::new_table_at(self.doc.project(), Position { x: c.x, y: c.y });
                self.handle(ui, vec![new]);
            }
            Action::AddColumn => {
                if let Some(t) = self.sel.single()
                    && let Some(add) = Request::add_column(self.doc.project(), t)
                {
                    self.handle(ui, vec![add]);
                }
            }
            Action::Rename => {
                if let Some(t) = self.sel.single() {
                    self.canvas.start_rename(&self.doc, t);
                }
            }
            Action::Fit => self.canvas.fit(&self.doc),
            Action::ZoomToSelection => {
                let s = self.sel.tables.clone();
                self.canvas.zoom_to(&self.doc, &s);
            }
            Action::ZoomIn => self.canvas.zoom_at(self.canvas.viewport.center(), 1.25),
            Action::ZoomOut => self.canvas.zoom_at(self.canvas.viewport.center(), 0.8),
            Action::ZoomReset => {
                let f = 1.0 / self.canvas.zoom;
                self.canvas.zoom_at(self.canvas.viewport.center(), f);
            }
            Action::LayoutLayered => self.auto_layout(false),
            Action::LayoutForce => self.auto_layout(true),
            Action::ToggleLeftPanel => self.prefs.show_tables ^= true,
            Action::ToggleInspector => self.prefs.show_inspector ^= true,
            Action::Normalize => {
                self.prefs.show_inspector = true;
                self.prefs.right_tab = RightTab::Normalize;
            }
            Action::Present => self.start_presenting(ui),
            Action::CompareWithFile => self.files.pick_compare(),
            Action::CompareWithRevision => {
                if self.doc.path.is_some() {
                    self.revision_dialog = Some("HEAD".into());
                } else {
                    self.status =
                        "Save the project in a git repository to compare with a revision".into();
                }
            }
            Action::ClearComparison => {
                self.comparison = None;
                self.canvas.marks.clear();
            }
            Action::SaveView => self.save_view(),
            Action::FindPath => {
                let mut two = self.sel.tables.iter().copied();
                let (a, b) = (two.next(), two.next());
                self.paths.open_between(self.doc.project(), a, b);
            }
            Action::Focus => self.focus = Some((self.sel.tables.clone(), 1)),
            Action::SuggestAreas => self.areas.open = true,
            Action::ClassifySensitive => self.privacy.open = true,
            Action::ApplyPattern => self.patterns.open = true,
            Action::PlanDistribution => self.distribution.open(),
            Action::ExploreRelations => {
                let start = self.sel.tables.iter().copied().collect();
                self.explorer.open_on(start);
            }
            Action::Indexes => {
                self.prefs.show_inspector = true;
                self.prefs.right_tab = RightTab::Indexes;
            }
            Action::ToggleBottomPanel => self.prefs.show_bottom ^= true,
            Action::ToggleTheme => self.prefs.dark ^= true,
            Action::CommandPalette | Action::Find => self.palette.open(),
            Action::CopyDdl => {
                let ddl = self.ddl_preview().to_string();
                ui.ctx().copy_text(ddl);
                self.status = format!("Copied {} DDL", self.prefs.ddl_dialect.display_name());
            }
            Action::ExportDdl => {
                let out = crate::sql::export(self.doc.project(), self.prefs.ddl_dialect);
                self.files
                    .export_ddl(ui.ctx(), &self.doc, self.prefs.ddl_dialect, out.sql);
            }
            Action::ExportSvg | Action::ExportPng | Action::ExportPdf => {
                let opts = crate::export::svg::SvgOptions {
                    tables: (!self.sel.tables.is_empty()).then(|| self.sel.tables.clone()),
                    ..Default::default()
                };
                if a == Action::ExportSvg {
                    let svg = crate::export::svg::render_svg(self.doc.project(), &opts);
                    self.files.export_bytes(
                        ui.ctx(),
                        &self.doc,
                        "SVG diagram",
                        "svg",
                        svg.text.into_bytes(),
                    );
                } else {
                    use crate::ui::render_job::{BACKGROUND_TABLES, Picture, RenderJob};
                    let picture = if a == Action::ExportPdf {
                        Picture::Pdf
                    } else {
                        Picture::Png
                    };
                    let tables = opts
                        .tables
                        .as_ref()
                        .map_or(self.doc.project().table_count(), |t| t.len());
                    if self.render_job.is_some() {
                        self.status = "A diagram is being rendered already: wait for it".into();
                    } else if tables >= BACKGROUND_TABLES {
                        self.render_job = Some(RenderJob::start(
                            self.doc.project().clone(),
                            opts,
                            picture,
                            tables,
                            ui.ctx().clone(),
                        ));
                    } else {
                        let (what, ext) = picture.names();
                        match picture.render(self.doc.project(), &opts) {
                            Ok(bytes) => {
                                self.files
                                    .export_bytes(ui.ctx(), &self.doc, what, ext, bytes)
                            }
                            Err(e) => self.status = e,
                        }
                    }
                }
            }
            Action::ExportDbml => {
                let out = crate::export::dbml::export(self.doc.project());
                self.files
                    .export_bytes(ui.ctx(), &self.doc, "DBML", "dbml", out.text.into_bytes());
            }
            Action::ExportMermaid => {
                let out = crate::export::mermaid::export(self.doc.project());
                self.files.export_bytes(
                    ui.ctx(),
                    &self.doc,
                    "Mermaid",
                    "mmd",
                    out.text.into_bytes(),
                );
            }
            Action::ExportDoc => {
                let text = crate::export::markdown::data_dictionary(self.doc.project());
                self.files
                    .export_bytes(ui.ctx(), &self.doc, "Markdown", "md", text.into_bytes());
            }
            Action::ExportPrivacy => {
                use crate::analysis::privacy::{classify, erasure};
                let p = self.doc.project();
                let text = erasure::markdown(p, &classify(p));
                self.files
                    .export_bytes(ui.ctx(), &self.doc, "Markdown", "md", text.into_bytes());
            }
            Action::ExportReviewPage => {
                use crate::export::review::{Compare, ReviewOptions, review_page};
                let opts = ReviewOptions {
                    dialect: Some(self.prefs.ddl_dialect),
                    compare: self.comparison.as_ref().map(|c| Compare {
                        name: c.other.clone(),
                        old: &c.base,
                    }),
                };
                let html = review_page(self.doc.project(), &opts).html;
                self.files
                    .export_bytes(ui.ctx(), &self.doc, "HTML", "html", html.into_bytes());
            }
            Action::Quit => self.guard_discard(AfterDiscard::Quit),
        }
    }
}
