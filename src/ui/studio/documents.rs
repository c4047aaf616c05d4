//! Opening, importing, comparing and recovering documents; the unsaved-changes guard.

use super::*;

impl Studio {
    /// The studio as `crowfoot FILE` opens it: on the project in `path`, or, when it cannot be
    /// loaded, on an empty untitled project with the error and the choices in front.
    pub fn open(path: PathBuf) -> Self {
        match crate::project_file::load(&path) {
            Ok(project) => Studio::new(project, Some(path)),
            Err(e) => {
                let mut s = Studio::new(Project::new("Untitled"), None);
                s.status = format!("Could not open {}", path.display());
                s.open_error = Some(OpenError::new(path, e.to_string()));
                s
            }
        }
    }

    /// Replace the document (after open/new); the view fits the new content.
    pub fn load_document(&mut self, project: Project, path: Option<PathBuf>) {
        if let Some(p) = &path {
            self.prefs.recent.retain(|r| r != p);
            self.prefs.recent.insert(0, p.clone());
            self.prefs.recent.truncate(10);
        }
        self.doc = Document::new(project, path);
        self.sel.clear();
        self.canvas = Canvas::default();
        self.problems = None;
        self.ddl = None;
        self.import_report = None;
        self.comparison = None;
        self.open_error = None;
        self.status = format!("Opened {}", self.doc.title());
    }

    /// Compare the open project with its file as it was in git revision `rev`.
    pub fn compare_with_revision(&mut self, rev: &str) {
        let Some(path) = self.doc.path.clone() else {
            self.status = "The project has no file to look up in git".into();
            return;
        };
        let loaded = crate::ui::compare::load_revision(&path, rev);
        self.show_comparison(rev.trim(), loaded);
    }

    /// Show the differences from `other` (named `name`), or why it could not be read.
    pub(super) fn show_comparison(&mut self, name: &str, other: Result<Project, String>) {
        match other {
            Ok(other) => {
                let c = crate::ui::compare::Comparison::new(name, &other, self.doc.project());
                self.canvas.marks = c.marks();
                self.status = format!("{} change(s) since {name}", c.count());
                self.comparison = Some(c);
                self.prefs.show_bottom = true;
                self.prefs.bottom_tab = BottomTab::Changes;
            }
            Err(e) => self.status = format!("Compare with {name}: {e}"),
        }
    }

    /// Compare the open project with another version of it (project, SQL or SQLite file).
    pub fn compare_with(&mut self, path: &std::path::Path) {
        let name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let loaded = crate::ui::compare::load_other(path);
        self.show_comparison(&name, loaded);
    }

    pub(super) fn guard_discard(&mut self, then: AfterDiscard) {
        if self.doc.is_dirty() {
            self.confirm = Some(Confirm::Discard { then });
        } else {
            self.after_discard(then);
        }
    }

    pub(super) fn after_discard(&mut self, then: AfterDiscard) {
        // The user chose to drop unsaved work: its recovery file goes too (for an import, only
        // once the import has replaced the document).
        let rec =
            crate::ui::files::recovery_path(self.doc.path.as_deref(), self.doc.project().name());
        if !matches!(then, AfterDiscard::Import(..) | AfterDiscard::ImportServer) {
            let _ = std::fs::remove_file(&rec);
        }
        match then {
            AfterDiscard::Quit => self.quit_requested = true,
            AfterDiscard::New => self.load_document(Project::new("Untitled"), None),
            AfterDiscard::Open => self.files.pick_project(),
            AfterDiscard::Load(p) => self.open_path(p),
            AfterDiscard::Import(p, dialect) => {
                if self.import_path_as(&p, dialect) {
                    let _ = std::fs::remove_file(&rec);
                }
            }
            // The recovery file goes when the import has replaced the document.
            AfterDiscard::ImportServer => {
                if let Some(d) = &mut self.server_import
                    && let Some(status) = d.start(rec)
                {
                    self.status = status;
                }
            }
        }
    }

    /// The import windows: the dialect dialog and the server dialog (hidden while a question
    /// about unsaved changes is on top of them), the report; and a server import that ended.
    pub(super) fn import_windows_ui(&mut self, ui: &mut Ui) {
        if let Some(d) = &mut self.server_import
            && let Some((run, result)) = d.poll(ui.ctx())
        {
            self.finish_server_import(run, result);
        }
        if self.confirm.is_none()
            && let Some(mut d) = self.import_dialog.take()
        {
            let requests = d.ui(ui);
            self.import_dialog = Some(d);
            self.handle(ui, requests);
        }
        if self.confirm.is_none()
            && let Some(mut d) = self.server_import.take()
        {
            let requests = d.ui(ui);
            self.server_import = Some(d);
            self.handle(ui, requests);
        }
        if let Some(mut r) = self.import_report.take() {
            let requests = r.ui(ui);
            self.import_report = Some(r);
            self.handle(ui, requests);
        }
    }

    /// Take the result of a finished server import into the studio.
    fn finish_server_import(
        &mut self,
        run: crate::ui::import::RunningImport,
        result: Result<crate::sql::import::ImportResult, crate::sql::import::source::SourceError>,
    ) {
        let r = match result {
            Ok(r) => r,
            Err(e) => {
                // The error names the URL with its password redacted.
                let message = format!("Could not import: {e}");
                if let Some(d) = &mut self.server_import {
                    d.error = Some(message.clone());
                }
                self.status = message;
                return;
            }
        };
        // The project is named after the database; no URL or password is in it.
        self.load_document(r.project, None);
        self.doc.force_dirty();
        self.server_import = None;
        let _ = std::fs::remove_file(&run.recovery);
        let report = ImportReport::new(
            PathBuf::from(&run.label),
            self.doc.project(),
            r.dialect,
            "live server",
            r.report,
        );
        self.status = report.status_line(&run.label);
        self.import_report = Some(report);
    }

    /// Import clicked in File ▸ Import from server…: asks about unsaved changes first.
    pub fn request_server_import(&mut self) {
        self.guard_discard(AfterDiscard::ImportServer);
    }

    /// Show the import dialog for `path` (File ▸ Import SQL… and dropped files come here):
    /// the user chooses the dialect, then Import or Cancel. Nothing changes before Import.
    pub fn begin_import(&mut self, path: PathBuf) {
        self.import_dialog = Some(ImportDialog::new(path));
    }

    /// Import clicked in the dialog: asks about unsaved changes first, then imports.
    pub fn request_import(&mut self, path: PathBuf, dialect: Option<Dialect>) {
        self.guard_discard(AfterDiscard::Import(path, dialect));
    }

    /// Import a SQL script (or SQLite database) with a detected dialect; see `import_path_as`.
    pub fn import_path(&mut self, path: &std::path::Path) -> bool {
        self.import_path_as(path, None)
    }

    /// Import a SQL script or SQLite database file as a new, unsaved project (Save asks where
    /// to put it) and open the import report. `dialect` `None` detects it. Synchronous: a
    /// 2,000-table script takes about 0.1 s (release). On failure the current document stays,
    /// the dialog (if open) shows the error and `false` is returned.
    pub fn import_path_as(&mut self, path: &std::path::Path, dialect: Option<Dialect>) -> bool {
        use crate::sql::import::source::{ImportSource, classify_path, import_file};
        let how = match (classify_path(path), dialect) {
            (ImportSource::SqliteFile(_), _) => "database file",
            (_, None) => "detected",
            (_, Some(_)) => "chosen",
        };
        let result = match import_file(path, dialect) {
            Ok(r) => r,
            Err(e) => {
                // The error names the file.
                let message = format!("Could not import: {e}");
                if let Some(d) = &mut self.import_dialog {
                    d.error = Some(message.clone());
                }
                self.status = message;
                return false;
            }
        };
        // import_file names the project after the file.
        self.load_document(result.project, None);
        self.doc.force_dirty();
        self.import_dialog = None;
        let report = ImportReport::new(
            path.to_path_buf(),
            self.doc.project(),
            result.dialect,
            how,
            result.report,
        );
        self.status = report.status_line(&report.file_name());
        self.import_report = Some(report);
        true
    }

    /// Open a project file (drag-and-drop, recent files, dialogs).
    pub fn open_path(&mut self, path: PathBuf) {
        match crate::project_file::load(&path) {
            Ok(p) => {
                self.load_document(p, Some(path));
                self.offer_recovery();
            }
            // Still on the placeholder of a file that did not open: this one's error replaces it.
            Err(e) if self.open_error.is_some() => {
                self.open_error = Some(OpenError::new(path, e.to_string()));
            }
            Err(e) => self.status = e.to_string(),
        }
    }

    /// If autosave left a recovery file newer than the document, offer to restore it.
    pub fn offer_recovery(&mut self) {
        let rec =
            crate::ui::files::recovery_path(self.doc.path.as_deref(), self.doc.project().name());
        let newer = |a: &std::path::Path, b: Option<&std::path::Path>| -> bool {
            let Ok(ma) = std::fs::metadata(a).and_then(|m| m.modified()) else {
                return false;
            };
            match b.map(|b| std::fs::metadata(b).and_then(|m| m.modified())) {
                Some(Ok(mb)) => ma > mb,
                _ => true,
            }
        };
        if newer(&rec, self.doc.path.as_deref()) {
            self.confirm = Some(Confirm::Recover { recovery: rec });
        }
    }

    pub(super) fn recover(&mut self, recovery: &std::path::Path) {
        match crate::project_file::load(recovery) {
            Ok(p) => {
                // Apply as one edit so the recovered state is "unsaved" and undoable.
                let path = self.doc.path.clone();
                let mut doc = Document::new(p, path);
                doc.force_dirty();
                self.doc = doc;
                self.canvas = Canvas::default();
                self.status = format!("Recovered unsaved work from {}", recovery.display());
            }
            Err(e) => self.status = format!("Could not recover: {e}"),
        }
    }

    pub(super) fn update_title(&mut self, ui: &Ui) {
        let title = format!(
            "{}{} — Crowfoot",
            if self.doc.is_dirty() { "● " } else { "" },
            self.doc.title()
        );
        if title != self.title_shown {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_shown = title;
        }
    }
}
