//! Edits built from gestures: links from drags, deletes, layout, paste (new tables and
//! columns are `Request::new_table_at` / `Request::add_column`).

use super::*;

impl Studio {
    pub(super) fn delete_selection(&mut self) {
        let tables: Vec<TableId> = self.sel.tables.iter().copied().collect();
        if tables.is_empty() {
            return;
        }
        let outside: Vec<String> = tables
            .iter()
            .flat_map(|t| self.doc.project().foreign_keys_to(*t))
            .filter(|fk| !self.sel.tables.contains(&fk.from_table))
            .filter_map(|fk| self.doc.project().table(fk.from_table))
            .map(|t| t.qualified_name())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if outside.is_empty() {
            self.delete_tables(&tables);
        } else {
            self.confirm = Some(Confirm::DeleteReferenced {
                message: format!(
                    "{} referenced by {}. Delete anyway? Their foreign keys are removed too (undoable).",
                    if tables.len() == 1 {
                        "This table is".to_string()
                    } else {
                        format!("These {} tables are", tables.len())
                    },
                    outside.join(", ")
                ),
                tables,
            });
        }
    }

    pub fn delete_tables(&mut self, tables: &[TableId]) {
        let n = tables.len();
        if self.apply(remove_tables(self.doc.project(), tables)) {
            self.status = format!("Deleted {n} table(s)");
        }
    }

    pub(super) fn auto_layout(&mut self, force: bool) {
        use crate::ui::layout_job::{BACKGROUND_TABLES, LayoutJob};
        if self.layout_job.is_some() {
            self.status = "A layout is already running (Cancel it in the status bar)".into();
            return;
        }
        if self.doc.project().table_count() >= BACKGROUND_TABLES {
            let job = LayoutJob::start(self.doc.project().clone(), self.doc.version(), force);
            self.status = String::new();
            self.layout_job = Some(job);
            return;
        }
        let cmd = if force {
            crate::diagram::layout::force(self.doc.project(), &Default::default())
        } else {
            crate::diagram::layout::layered(self.doc.project(), &Default::default())
        };
        self.layout_done(cmd, force, None);
    }

    /// Apply a layout's moves (`secs`: how long a background one took).
    fn layout_done(&mut self, cmd: Command, force: bool, secs: Option<f32>) {
        if self.apply(cmd) {
            self.canvas.fit(&self.doc);
            self.status = format!(
                "{} layout applied{} (undo with Ctrl+Z)",
                if force { "Force" } else { "Layered" },
                secs.map(|s| format!(" in {s:.1} s")).unwrap_or_default()
            );
        }
    }

    /// Apply a background layout that finished, if the project is still the one it laid
    /// out; while it runs, wake up to show its progress.
    pub(super) fn poll_layout(&mut self, ui: &Ui) {
        use crate::ui::layout_job::Outcome;
        let Some(job) = &self.layout_job else { return };
        match job.poll() {
            Outcome::Running => {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
            Outcome::Done(cmd) => {
                let (force, version, secs) = (job.force, job.version, job.elapsed().as_secs_f32());
                self.layout_job = None;
                if version == self.doc.version() {
                    self.layout_done(cmd, force, Some(secs));
                } else {
                    self.status =
                        "Layout discarded: the project changed while it ran (run it again)".into();
                }
            }
            Outcome::Failed => {
                self.layout_job = None;
                self.status = "The layout failed; nothing moved".into();
            }
        }
    }

    /// Hand a finished background render to the save dialog; while it runs, wake up each
    /// second to show the time it has taken.
    pub(super) fn poll_render(&mut self, ui: &Ui) {
        use crate::ui::render_job::Outcome;
        let Some(job) = &self.render_job else { return };
        match job.poll() {
            Outcome::Running => {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(500));
            }
            Outcome::Done(out) => {
                let (what, ext) = job.picture.names();
                let secs = job.elapsed().as_secs_f32();
                self.render_job = None;
                match out {
                    Ok(bytes) => {
                        self.status = format!("Rendered the {what} in {secs:.1} s");
                        self.files
                            .export_bytes(ui.ctx(), &self.doc, what, ext, bytes);
                    }
                    Err(e) => self.status = e,
                }
            }
            Outcome::Failed => {
                self.render_job = None;
                self.status = "Rendering the diagram failed".into();
            }
        }
    }

    /// Create a foreign key from a dragged column to another table's key, or ask first
    /// (`model::edit::plan_link` decides which).
    pub(super) fn link(
        &mut self,
        from: TableId,
        column: ColumnId,
        to: TableId,
        to_column: Option<ColumnId>,
    ) {
        match crate::model::edit::plan_link(self.doc.project(), from, column, to, to_column) {
            LinkPlan::Create(cmd) => {
                if self.apply(cmd) {
                    self.status = "Foreign key created".into();
                }
            }
            LinkPlan::RetypeAndLink { message, command } => {
                self.confirm = Some(Confirm::RetypeAndLink {
                    message,
                    command: Box::new(command),
                });
            }
            LinkPlan::CreateColumnAndLink { message, command } => {
                self.confirm = Some(Confirm::CreateColumnAndLink {
                    message,
                    command: Box::new(command),
                });
            }
            LinkPlan::Refused(why) => self.status = why,
        }
    }

    /// Paste tables copied from this or another project, next to the originals.
    pub fn paste(&mut self, text: &str) {
        if !crate::model::clipboard::is_clip(text) {
            self.status = "The clipboard holds no Crowfoot tables".into();
            return;
        }
        match crate::model::clipboard::paste(
            self.doc.project(),
            text,
            Position { x: 40.0, y: 40.0 },
        ) {
            Ok((cmd, ids)) => {
                if self.apply(cmd) {
                    self.sel.clear();
                    self.sel.tables.extend(ids);
                    self.status = format!("Pasted {} table(s)", self.sel.tables.len());
                }
            }
            Err(e) => self.status = e,
        }
    }

    // ----- ui -----
}
