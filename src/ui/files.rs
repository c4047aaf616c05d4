//! File dialogs (rfd, off the UI thread), saving, DDL export and crash-recovery autosave.
//! A cancelled dialog (or no portal) yields `None`: that is not an error.

use super::document::Document;
use crate::model::Dialect;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How often a dirty project is written to its recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);

enum Pending {
    Open,
    Import,
    Sample,
    Compare,
    SaveAs,
    ExportDdl(String),
    /// Any other export: the bytes to write and what to call them in the status bar.
    ExportBytes(Vec<u8>, &'static str),
}

/// A dialog result the studio must act on.
pub enum Picked {
    Open(PathBuf),
    /// A SQL script or SQLite database to import (the dialect dialog comes next).
    Import(PathBuf),
    /// Sample data (CSV or SQLite database) for dependency discovery.
    Sample(PathBuf),
    /// Another version of the schema to compare with.
    Compare(PathBuf),
}

pub struct FileOps {
    pending: Option<(Pending, Receiver<Option<PathBuf>>)>,
    ctx: Option<egui::Context>,
    last_autosave: Instant,
}

impl Default for FileOps {
    fn default() -> Self {
        FileOps {
            pending: None,
            ctx: None,
            last_autosave: Instant::now(),
        }
    }
}

/// Where unsaved work of `doc` is kept in case of a crash: `.NAME.ron.recovery` next to the
/// file, or in the temp directory for untitled projects.
pub fn recovery_path(doc_path: Option<&Path>, name: &str) -> PathBuf {
    match doc_path {
        Some(p) => {
            let file = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            p.with_file_name(format!(".{file}.recovery"))
        }
        None => std::env::temp_dir().join(format!("crowfoot-{}.ron.recovery", sanitize(name))),
    }
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl FileOps {
    fn spawn(&mut self, kind: Pending, dialog: rfd::AsyncFileDialog, save: bool) {
        if self.pending.is_some() {
            return; // one dialog at a time
        }
        let (tx, rx) = channel();
        type Dialog =
            std::pin::Pin<Box<dyn std::future::Future<Output = Option<rfd::FileHandle>> + Send>>;
        let fut: Dialog = if save {
            Box::pin(dialog.save_file())
        } else {
            Box::pin(dialog.pick_file())
        };
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let picked = pollster::block_on(fut).map(|h| h.path().to_path_buf());
            let _ = tx.send(picked);
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        });
        self.pending = Some((kind, rx));
    }

    pub fn pick_project(&mut self) {
        let d = rfd::AsyncFileDialog::new()
            .add_filter("Crowfoot project", &["ron"])
            .set_title("Open project");
        self.spawn(Pending::Open, d, false);
    }

    pub fn pick_import(&mut self) {
        let d = rfd::AsyncFileDialog::new()
            .add_filter(
                "SQL script or SQLite database",
                &["sql", "db", "sqlite", "sqlite3"],
            )
            .add_filter("SQL script", &["sql"])
            .add_filter("SQLite database", &["db", "sqlite", "sqlite3"])
            .add_filter("All files", &["*"])
            .set_title("Import SQL");
        self.spawn(Pending::Import, d, false);
    }

    /// Sample data for dependency discovery: a CSV file or an SQLite database.
    pub fn pick_sample(&mut self) {
        let d = rfd::AsyncFileDialog::new()
            .add_filter(
                "CSV or SQLite database",
                &["csv", "tsv", "txt", "db", "sqlite", "sqlite3"],
            )
            .add_filter("All files", &["*"])
            .set_title("Discover dependencies from sample data");
        self.spawn(Pending::Sample, d, false);
    }

    /// Another version of the schema to compare with: a project, SQL script or SQLite file.
    pub fn pick_compare(&mut self) {
        let d = rfd::AsyncFileDialog::new()
            .add_filter(
                "Project, SQL or SQLite",
                &["ron", "sql", "db", "sqlite", "sqlite3"],
            )
            .add_filter("All files", &["*"])
            .set_title("Compare with…");
        self.spawn(Pending::Compare, d, false);
    }

    /// Save to the document's path, or ask for one (always with `save_as`).
    pub fn save(
        &mut self,
        ctx: &egui::Context,
        doc: &mut Document,
        status: &mut String,
        save_as: bool,
    ) {
        self.ctx = Some(ctx.clone());
        match (&doc.path, save_as) {
            (Some(p), false) => {
                let p = p.clone();
                save_to(doc, &p, status);
            }
            _ => {
                let d = rfd::AsyncFileDialog::new()
                    .add_filter("Crowfoot project", &["ron"])
                    .set_file_name(format!("{}.ron", doc.project.name()))
                    .set_title("Save project as");
                self.spawn(Pending::SaveAs, d, true);
            }
        }
    }

    pub fn export_ddl(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        dialect: Dialect,
        sql: String,
    ) {
        self.ctx = Some(ctx.clone());
        let d = rfd::AsyncFileDialog::new()
            .add_filter("SQL", &["sql"])
            .set_file_name(format!("{}.{}.sql", doc.project.name(), dialect.cli_name()))
            .set_title("Export DDL");
        self.spawn(Pending::ExportDdl(sql), d, true);
    }

    /// Ask where to write an export (`ext` without the dot) and write `bytes` there.
    pub fn export_bytes(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        what: &'static str,
        ext: &'static str,
        bytes: Vec<u8>,
    ) {
        self.ctx = Some(ctx.clone());
        let d = rfd::AsyncFileDialog::new()
            .add_filter(what, &[ext])
            .set_file_name(format!("{}.{ext}", doc.project.name()))
            .set_title(format!("Export {what}"));
        self.spawn(Pending::ExportBytes(bytes, what), d, true);
    }

    /// Call every frame: finishes dialogs and autosaves. Returns a picked file to open.
    pub fn poll(
        &mut self,
        ctx: &egui::Context,
        doc: &mut Document,
        status: &mut String,
    ) -> Option<Picked> {
        self.ctx = Some(ctx.clone());
        if doc.is_dirty() {
            let due = self.last_autosave + AUTOSAVE_EVERY;
            let now = Instant::now();
            if now >= due {
                self.last_autosave = now;
                let path = recovery_path(doc.path.as_deref(), doc.project.name());
                if let Err(e) = crate::project_file::write_atomic(
                    &path,
                    &crate::project_file::to_ron_string(&doc.project),
                ) {
                    *status = format!("Autosave failed: {e}");
                }
            } else {
                // Wake up for the next autosave without repainting continuously.
                ctx.request_repaint_after(due - now);
            }
        } else {
            self.last_autosave = Instant::now();
        }
        let (_, rx) = self.pending.as_ref()?;
        let result = rx.try_recv().ok()?;
        let (kind, _) = self.pending.take().expect("checked above");
        let path = result?; // cancelled
        match kind {
            Pending::Open => return Some(Picked::Open(path)),
            Pending::Import => return Some(Picked::Import(path)),
            Pending::Sample => return Some(Picked::Sample(path)),
            Pending::Compare => return Some(Picked::Compare(path)),
            Pending::SaveAs => {
                let path = if path.extension().is_none() {
                    path.with_extension("ron")
                } else {
                    path
                };
                save_to(doc, &path, status);
            }
            Pending::ExportDdl(sql) => match crate::project_file::write_atomic(&path, &sql) {
                Ok(()) => *status = format!("Exported DDL to {}", path.display()),
                Err(e) => *status = e.to_string(),
            },
            Pending::ExportBytes(bytes, what) => {
                match crate::project_file::write_atomic_bytes(&path, &bytes) {
                    Ok(()) => *status = format!("Exported {what} to {}", path.display()),
                    Err(e) => *status = e.to_string(),
                }
            }
        }
        None
    }
}

/// Save `doc` to `path`, update its path and dirty state, and drop the recovery file.
pub fn save_to(doc: &mut Document, path: &Path, status: &mut String) {
    match crate::project_file::save(&doc.project, path) {
        Ok(()) => {
            let old_recovery = recovery_path(doc.path.as_deref(), doc.project.name());
            let _ = std::fs::remove_file(old_recovery);
            doc.path = Some(path.to_path_buf());
            doc.mark_saved();
            *status = format!("Saved {}", path.display());
        }
        Err(e) => *status = e.to_string(),
    }
}
