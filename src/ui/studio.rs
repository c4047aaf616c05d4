//! The studio's state and its top-level `ui()`: panels around the canvas. Everything that
//! changes the schema goes through `Document::apply` (model commands, undoable).

use super::actions::Action;
use super::canvas::{Canvas, CanvasRequest};
use super::document::Document;
use super::files::FileOps;
use super::import::{ImportDialog, ImportReport, ServerImportDialog};
use super::indexes::IndexPanel;
use super::inspector::Inspector;
use super::normalize::NormalizePanel;
use super::palette::Palette;
use super::selection::Selection;
use crate::analysis::check::Problem;
use crate::model::command::remove_tables;
use crate::model::*;
use egui::{Pos2, Ui};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Preferences persisted between runs (eframe storage).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub show_tables: bool,
    pub show_inspector: bool,
    pub show_bottom: bool,
    pub dark: bool,
    pub bottom_tab: BottomTab,
    pub ddl_dialect: Dialect,
    pub recent: Vec<PathBuf>,
    pub right_tab: RightTab,
    /// Name written on review comments.
    pub reviewer: String,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            show_tables: true,
            show_inspector: true,
            show_bottom: true,
            dark: true,
            bottom_tab: BottomTab::Ddl,
            ddl_dialect: Dialect::Postgres,
            recent: Vec::new(),
            right_tab: RightTab::Inspector,
            reviewer: std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_else(|_| "reviewer".into()),
        }
    }
}

/// What the right-hand panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RightTab {
    #[default]
    Inspector,
    Normalize,
    Indexes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BottomTab {
    Problems,
    Ddl,
    Changes,
}

/// A question that needs an answer before an edit happens.
pub enum Confirm {
    /// Delete tables that other tables still reference.
    DeleteReferenced {
        tables: Vec<TableId>,
        message: String,
    },
    /// Link columns whose types differ: offer to retype the referencing column.
    RetypeAndLink {
        fk: Box<ForeignKey>,
        column: Box<Column>,
        message: String,
    },
    /// Dragged from a primary key onto another table's header: add a referencing column there.
    CreateColumnAndLink {
        table: TableId,
        column: Box<Column>,
        fk: Box<ForeignKey>,
        message: String,
    },
    /// Unsaved changes before replacing or closing the document.
    Discard { then: AfterDiscard },
    /// A recovery file newer than the project was found (Crowfoot did not exit cleanly).
    Recover { recovery: PathBuf },
}

#[derive(Clone, Debug)]
pub enum AfterDiscard {
    Quit,
    Open,
    New,
    Load(PathBuf),
    /// Import a SQL script (or SQLite database) as a new, unsaved project; `None` detects
    /// the dialect.
    Import(PathBuf, Option<Dialect>),
    /// Start the import of File ▸ Import from server… (`Studio::server_import`).
    ImportServer,
}

/// The file the studio was started on could not be opened (damaged, from a newer Crowfoot,
/// unreadable). The studio shows why and the ways on over an empty untitled project, which has
/// no path: Save asks where, so nothing is written over the file unless the user picks it.
pub struct OpenError {
    pub path: PathBuf,
    pub message: String,
    /// The recovery copy autosave left next to the file, if there is one.
    pub recovery: Option<PathBuf>,
    /// Why the last choice did not work (a recovery copy that is damaged too).
    pub note: Option<String>,
}

impl OpenError {
    pub fn new(path: PathBuf, message: String) -> Self {
        let recovery = super::files::recovery_path(Some(&path), "");
        OpenError {
            recovery: recovery.is_file().then_some(recovery),
            path,
            message,
            note: None,
        }
    }
}

/// A note or area being edited in a small window (a copy; applied on OK).
pub enum Editing {
    Note(Note),
    Area(Area),
}

pub struct Studio {
    pub doc: Document,
    pub sel: Selection,
    pub canvas: Canvas,
    pub prefs: Prefs,
    pub status: String,
    pub confirm: Option<Confirm>,
    pub palette: Palette,
    pub files: FileOps,
    pub inspector: Inspector,
    pub normalize: NormalizePanel,
    pub indexes: IndexPanel,
    /// File ▸ Compare with git revision…: the revision being typed.
    pub revision_dialog: Option<String>,
    /// Comparison with another version (canvas outlines, Changes tab) when `Some`.
    pub comparison: Option<super::compare::Comparison>,
    /// The migration dialog (from the compared version to this project), when open.
    pub migration: Option<super::migration::MigrationDialog>,
    /// Presenter mode (full screen, no editing chrome) when `Some`.
    pub presenting: Option<super::present::Presenter>,
    pub tree_filter: String,
    problems: Option<(u64, Vec<Problem>)>,
    ddl: Option<(u64, Dialect, BTreeSet<TableId>, String)>,
    /// Set when the user confirmed quitting; the app closes the window.
    pub quit_requested: bool,
    title_shown: String,
    /// A text field had keyboard focus at the end of the last frame.
    was_typing: bool,
    pub editing: Option<Editing>,
    /// File ▸ Import SQL… (or a dropped file): the dialect dialog before importing.
    pub import_dialog: Option<ImportDialog>,
    /// The report of the last import; kept until another document is loaded.
    pub import_report: Option<ImportReport>,
    /// File ▸ Import from server…: URL, password (never stored) and the running import.
    pub server_import: Option<ServerImportDialog>,
    /// The file given to the studio could not be opened; see [`OpenError`].
    pub open_error: Option<OpenError>,
}

impl Studio {
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        Studio {
            doc: Document::new(project, path),
            sel: Selection::default(),
            canvas: Canvas::default(),
            prefs: Prefs::default(),
            status: String::new(),
            confirm: None,
            palette: Palette::default(),
            files: FileOps::default(),
            inspector: Inspector::default(),
            normalize: NormalizePanel::default(),
            indexes: IndexPanel::default(),
            presenting: None,
            comparison: None,
            migration: None,
            revision_dialog: None,
            tree_filter: String::new(),
            problems: None,
            ddl: None,
            quit_requested: false,
            title_shown: String::new(),
            was_typing: false,
            editing: None,
            import_dialog: None,
            import_report: None,
            server_import: None,
            open_error: None,
        }
    }

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
        let loaded = super::compare::load_revision(&path, rev);
        self.show_comparison(rev.trim(), loaded);
    }

    /// Show the differences from `other` (named `name`), or why it could not be read.
    fn show_comparison(&mut self, name: &str, other: Result<Project, String>) {
        match other {
            Ok(other) => {
                let c = super::compare::Comparison::new(name, &other, self.doc.project());
                self.canvas.marks = c.marks();
                self.status = format!("{} change(s) since {name}", c.count());
                self.comparison = Some(c);
                self.prefs.show_bottom = true;
                self.prefs.bottom_tab = BottomTab::Changes;
            }
            Err(e) => self.status = format!("Compare with {name}: {e}"),
        }
    }

    fn revision_dialog_ui(&mut self, ui: &mut Ui) {
        let Some(mut rev) = self.revision_dialog.take() else {
            return;
        };
        let mut keep = true;
        let mut go = false;
        egui::Window::new("Compare with git revision")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ui.ctx(), |ui| {
                ui.label("Revision (HEAD, HEAD~3, a branch or a commit):");
                let r = ui.add(egui::TextEdit::singleline(&mut rev).id_salt("git-rev"));
                if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    go = true;
                }
                ui.horizontal(|ui| {
                    if ui.button("Compare").clicked() {
                        go = true;
                    }
                    if ui.button("Cancel").clicked() {
                        keep = false;
                    }
                });
            });
        if go {
            self.compare_with_revision(&rev);
        } else if keep {
            self.revision_dialog = Some(rev);
        }
    }

    /// Compare the open project with another version of it (project, SQL or SQLite file).
    pub fn compare_with(&mut self, path: &std::path::Path) {
        let name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let loaded = super::compare::load_other(path);
        self.show_comparison(&name, loaded);
    }

    /// Apply an edit and report failures in the status bar.
    pub fn apply(&mut self, cmd: Command) -> bool {
        let label = cmd.label();
        match self.doc.apply(cmd) {
            Ok(()) => {
                self.sel.retain_existing(self.doc.project());
                self.status = label;
                true
            }
            Err(e) => {
                self.status = format!("{label}: {e}");
                false
            }
        }
    }

    pub fn problems(&mut self) -> &[Problem] {
        let v = self.doc.version();
        if self.problems.as_ref().is_none_or(|(pv, _)| *pv != v) {
            let d = self.doc.project().settings().target_dialect;
            self.problems = Some((v, crate::analysis::lint::problems(self.doc.project(), d)));
        }
        &self.problems.as_ref().expect("computed").1
    }

    /// DDL of the selection (or of the whole project when nothing is selected), cached.
    pub fn ddl_preview(&mut self) -> &str {
        let v = self.doc.version();
        let d = self.prefs.ddl_dialect;
        let key = self.sel.tables.clone();
        if self
            .ddl
            .as_ref()
            .is_none_or(|(pv, pd, pk, _)| *pv != v || *pd != d || *pk != key)
        {
            let out = if key.is_empty() {
                crate::sql::export(self.doc.project(), d)
            } else {
                crate::sql::export_tables(self.doc.project(), d, &key)
            };
            self.ddl = Some((v, d, key, out.sql));
        }
        &self.ddl.as_ref().expect("computed").3
    }

    // ----- actions -----

    /// Whether action `a` can run now: asked by the menus, the command palette and `run`.
    pub fn is_enabled(&self, a: Action) -> bool {
        match a {
            Action::Undo => self.doc.can_undo(),
            Action::Redo => self.doc.can_redo(),
            Action::Delete | Action::ZoomToSelection | Action::Copy => !self.sel.tables.is_empty(),
            _ if a.nudge().is_some() => !self.sel.tables.is_empty(),
            Action::ManyToMany => self.sel.tables.len() == 2,
            Action::AddColumn | Action::Rename => self.sel.single().is_some(),
            Action::ImportReport => self.import_report.is_some(),
            Action::ClearComparison => self.comparison.is_some(),
            _ => true,
        }
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
                        let [w, h] = crate::model::geometry::card_size(t, self.doc.project());
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
            Action::ClearSelection => {
                self.sel.clear();
                self.canvas.rename = None;
            }
            Action::NewTable => {
                let c = self.canvas.to_canvas(self.canvas.viewport.center());
                self.new_table_at(c);
            }
            Action::AddColumn => {
                if let Some(t) = self.sel.single() {
                    self.add_column(t);
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
            Action::ExportSvg | Action::ExportPng => {
                let opts = crate::export::svg::SvgOptions {
                    tables: (!self.sel.tables.is_empty()).then(|| self.sel.tables.clone()),
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
                    match crate::export::png::render_png(self.doc.project(), &opts, 2.0) {
                        Ok(png) => self.files.export_bytes(
                            ui.ctx(),
                            &self.doc,
                            "PNG diagram",
                            "png",
                            png.data,
                        ),
                        Err(e) => self.status = format!("PNG: {e}"),
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
            Action::Quit => self.guard_discard(AfterDiscard::Quit),
        }
    }

    fn guard_discard(&mut self, then: AfterDiscard) {
        if self.doc.is_dirty() {
            self.confirm = Some(Confirm::Discard { then });
        } else {
            self.after_discard(then);
        }
    }

    fn after_discard(&mut self, then: AfterDiscard) {
        // The user chose to drop unsaved work: its recovery file goes too (for an import, only
        // once the import has replaced the document).
        let rec = super::files::recovery_path(self.doc.path.as_deref(), self.doc.project().name());
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
            AfterDiscard::ImportServer => super::import::start_server_import(self, rec),
        }
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
        let rec = super::files::recovery_path(self.doc.path.as_deref(), self.doc.project().name());
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

    pub fn new_table_at(&mut self, at: Pos2) {
        let p = self.doc.project();
        let existing: BTreeSet<String> = p.tables().map(|t| t.name.clone()).collect();
        let name = (1..)
            .map(|i| format!("table_{i}"))
            .find(|n| !existing.contains(n))
            .expect("some name is free");
        let id = TableId(p.alloc_id());
        let mut t = Table::new(id, name);
        let col = Column {
            nullable: false,
            identity: Some(Identity::ByDefault),
            ..Column::new(ColumnId(p.alloc_id()), "id", LogicalType::BigInt)
        };
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec![col.id],
        });
        t.columns.push(col);
        t.position = Position {
            x: at.x.round(),
            y: at.y.round(),
        };
        if self.apply(Command::AddTable(Box::new(t))) {
            self.sel.clear();
            self.sel.tables.insert(id);
            self.canvas.start_rename(&self.doc, id);
        }
    }

    pub fn add_column(&mut self, t: TableId) {
        let Some(table) = self.doc.project().table(t) else {
            return;
        };
        let existing: BTreeSet<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        let name = (1..)
            .map(|i| format!("column_{i}"))
            .find(|n| !existing.contains(n.as_str()))
            .expect("some name is free");
        let index = table.columns.len();
        let id = ColumnId(self.doc.project().alloc_id());
        let col = Column::new(id, name, LogicalType::Varchar(Some(255)));
        if self.apply(Command::AddColumn {
            table: t,
            index,
            column: Box::new(col),
        }) {
            self.sel.select_column(t, id);
            self.inspector.focus_column = Some(id);
        }
    }

    fn delete_selection(&mut self) {
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

    fn auto_layout(&mut self, force: bool) {
        let cmd = if force {
            crate::model::layout::force(self.doc.project(), &Default::default())
        } else {
            crate::model::layout::layered(self.doc.project(), &Default::default())
        };
        if self.apply(cmd) {
            self.canvas.fit(&self.doc);
            self.status = if force {
                "Force layout applied (undo with Ctrl+Z)".into()
            } else {
                "Layered layout applied (undo with Ctrl+Z)".into()
            };
        }
    }

    /// Create a foreign key from a dragged column to another table's key.
    fn link(&mut self, from: TableId, column: ColumnId, to: TableId, to_column: Option<ColumnId>) {
        let p = &self.doc.project();
        let (Some(child), Some(parent)) = (p.table(from), p.table(to)) else {
            return;
        };
        // From a table's own single-column primary key onto another table's header: the other
        // table gets a new column referencing this key.
        if to_column.is_none()
            && from != to
            && child
                .primary_key
                .as_ref()
                .is_some_and(|k| k.columns == [column])
            && let Some(key) = child.column(column)
        {
            let name = format!(
                "{}_{}",
                crate::model::clipboard::singular(&child.name),
                key.name
            );
            if parent.column_by_name(&name).is_none() {
                let mut col = Column::new(ColumnId(0), name.clone(), key.ty.clone());
                col.type_overrides = key.type_overrides.clone();
                let message = format!(
                    "Add column {}.{} ({}) referencing {} ({})?",
                    parent.name,
                    name,
                    key.ty.describe(),
                    child.name,
                    key.name
                );
                let fk = ForeignKey {
                    id: ForeignKeyId(0),
                    name: None,
                    from_table: to,
                    from_columns: Vec::new(),
                    to_table: from,
                    to_columns: vec![column],
                    on_delete: FkAction::NoAction,
                    on_update: FkAction::NoAction,
                    deferrable: Deferrable::NotDeferrable,
                };
                self.confirm = Some(Confirm::CreateColumnAndLink {
                    table: to,
                    column: Box::new(col),
                    fk: Box::new(fk),
                    message,
                });
                return;
            }
        }
        // Target: the row dropped on when it is a single-column key, else the primary key.
        let key: Vec<ColumnId> = match to_column {
            Some(c)
                if parent
                    .primary_key
                    .as_ref()
                    .is_some_and(|k| k.columns == [c])
                    || parent.uniques.iter().any(|u| u.columns == [c]) =>
            {
                vec![c]
            }
            _ => parent
                .primary_key
                .as_ref()
                .map(|k| k.columns.clone())
                .unwrap_or_default(),
        };
        if key.len() != 1 {
            self.status = format!(
                "{} needs a single-column primary key (or drop on a unique column) to link to",
                parent.qualified_name()
            );
            return;
        }
        let (Some(src), Some(dst)) = (child.column(column), parent.column(key[0])) else {
            return;
        };
        let fk = ForeignKey {
            id: ForeignKeyId(0),
            name: None,
            from_table: from,
            from_columns: vec![column],
            to_table: to,
            to_columns: key.clone(),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            deferrable: Deferrable::NotDeferrable,
        };
        if src.ty != dst.ty {
            let mut retyped = src.clone();
            retyped.ty = dst.ty.clone();
            retyped.identity = None;
            self.confirm = Some(Confirm::RetypeAndLink {
                message: format!(
                    "{}.{} is {} but {}.{} is {}. Change {} to {} and create the foreign key?",
                    child.name,
                    src.name,
                    src.ty.describe(),
                    parent.name,
                    dst.name,
                    dst.ty.describe(),
                    src.name,
                    dst.ty.describe()
                ),
                fk: Box::new(fk),
                column: Box::new(retyped),
            });
            return;
        }
        self.create_fk(fk, None);
    }

    fn create_fk(&mut self, mut fk: ForeignKey, retype: Option<Column>) {
        fk.id = ForeignKeyId(self.doc.project().alloc_id());
        let mut cmds = Vec::new();
        if let Some(c) = retype {
            cmds.push(Command::UpdateColumn {
                table: fk.from_table,
                column: Box::new(c),
            });
        }
        cmds.push(Command::AddForeignKey(Box::new(fk)));
        if self.apply(Command::Batch(cmds)) {
            self.status = "Foreign key created".into();
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

    /// The whole studio, drawn into `ui` (the eframe root or a test harness).
    pub fn ui(&mut self, ui: &mut Ui) {
        // Labels are not text-selectable: a selectable label takes part in arrow-key focus
        // navigation, and egui moves the focus onto one (a widget without an AccessKit node)
        // when an arrow key arrives in the frame a text field gains focus. Text worth copying
        // is offered in read-only text fields (DDL preview) or through Copy buttons.
        ui.style_mut().interaction.selectable_labels = false;
        // A steady text cursor. egui blinks it by waking up at every on/off edge, and it
        // subtracts the predicted frame time from the wake-up so each edge costs two frames:
        // a focused field (palette, rename, the name after C) kept the studio at 4 frames a
        // second, 12 % of a core in a debug build, with nothing happening.
        if ui.ctx().global_style().visuals.text_cursor.blink {
            ui.ctx()
                .all_styles_mut(|s| s.visuals.text_cursor.blink = false);
        }
        ui.style_mut().visuals.text_cursor.blink = false;
        ui.ctx().set_theme(if self.prefs.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        if self.presenting.is_none() {
            self.handle_shortcuts(ui);
        }
        self.handle_dropped_files(ui);
        if let Some(then) = self.files.poll(ui.ctx(), &mut self.doc, &mut self.status) {
            match then {
                super::files::Picked::Open(p) => self.open_path(p),
                super::files::Picked::Import(p) => self.begin_import(p),
                super::files::Picked::Compare(p) => self.compare_with(&p),
                super::files::Picked::Sample(p) => {
                    let ctx = ui.ctx().clone();
                    let mut nf = std::mem::take(&mut self.normalize);
                    nf.sample_picked(self, p, &ctx);
                    self.normalize = nf;
                }
            }
        }

        if self.presenting.is_some() {
            // Presenter mode: the canvas alone, full screen; no editing shortcuts.
            if !self.presenter_keys(ui) {
                return;
            }
            egui::CentralPanel::no_frame().show(ui, |ui| {
                let requests = self.canvas.ui(ui, &mut self.doc, &mut self.sel);
                for r in requests {
                    if matches!(r, CanvasRequest::Link { .. }) {
                        continue; // no edits while presenting
                    }
                    self.handle_canvas_request(r);
                }
            });
            self.presenter_ui(ui);
            self.update_title(ui);
            return;
        }
        egui::Panel::top("crowfoot-menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("crowfoot-status").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(&self.status);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(format!(
                        "{} tables · {} FKs · zoom {:.0}%",
                        self.doc.project().table_count(),
                        self.doc.project().foreign_key_count(),
                        self.canvas.zoom * 100.0
                    ));
                });
            });
        });
        if self.prefs.show_bottom {
            egui::Panel::bottom("crowfoot-bottom")
                .resizable(true)
                .default_size(200.0)
                .min_size(140.0)
                .show(ui, |ui| super::panels::bottom_panel(self, ui));
        }
        if self.prefs.show_tables {
            egui::Panel::left("crowfoot-tables")
                .resizable(true)
                .default_size(220.0)
                .show(ui, |ui| super::panels::table_list(self, ui));
        }
        if self.prefs.show_inspector {
            egui::Panel::right("crowfoot-inspector")
                .resizable(true)
                .default_size(320.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.selectable_value(
                            &mut self.prefs.right_tab,
                            RightTab::Inspector,
                            "Inspector",
                        );
                        ui.selectable_value(
                            &mut self.prefs.right_tab,
                            RightTab::Normalize,
                            "Normalize",
                        )
                        .on_hover_text(
                            "Functional dependencies, keys, normal form and decomposition of the selected table",
                        );
                        ui.selectable_value(&mut self.prefs.right_tab, RightTab::Indexes, "Indexes")
                            .on_hover_text(
                                "Indexes, estimates, index lint and the workload advisor of the selected table",
                            );
                    });
                    ui.separator();
                    match self.prefs.right_tab {
                        RightTab::Inspector => {
                            let mut inspector = std::mem::take(&mut self.inspector);
                            inspector.ui(self, ui);
                            self.inspector = inspector;
                        }
                        RightTab::Normalize => {
                            let mut panel = std::mem::take(&mut self.normalize);
                            panel.ui(self, ui);
                            self.normalize = panel;
                        }
                        RightTab::Indexes => {
                            let mut panel = std::mem::take(&mut self.indexes);
                            panel.ui(self, ui);
                            self.indexes = panel;
                        }
                    }
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let requests = self.canvas.ui(ui, &mut self.doc, &mut self.sel);
            for r in requests {
                self.handle_canvas_request(r);
            }
            self.canvas_context_menu();
        });
        self.open_error_ui(ui);
        self.confirm_ui(ui);
        self.editing_ui(ui);
        self.revision_dialog_ui(ui);
        if let Some(mut m) = self.migration.take()
            && m.ui(self, ui.ctx())
        {
            self.migration = Some(m);
        }
        let mut nf = std::mem::take(&mut self.normalize);
        nf.preview_window(self, ui.ctx());
        self.normalize = nf;
        super::import::dialog_ui(self, ui);
        super::import::server_dialog_ui(self, ui);
        super::import::report_ui(self, ui);
        let mut palette = std::mem::take(&mut self.palette);
        palette.ui(self, ui);
        self.palette = palette;
        self.sel.retain_existing(self.doc.project());
        self.update_title(ui);
        self.was_typing = ui.ctx().egui_wants_keyboard_input();
    }

    fn handle_canvas_request(&mut self, r: CanvasRequest) {
        match r {
            CanvasRequest::Link {
                from,
                column,
                to,
                to_column,
            } => self.link(from, column, to, to_column),
            CanvasRequest::NewTableAt(p) => self.new_table_at(p),
            CanvasRequest::Rename(t, name) => {
                let schema = self.doc.project().table(t).and_then(|t| t.schema.clone());
                if self.doc.project().table(t).is_some_and(|x| x.name != name) {
                    self.apply(Command::RenameTable {
                        table: t,
                        schema,
                        name,
                    });
                }
            }
            CanvasRequest::Status(s) => self.status = s,
            CanvasRequest::EditNote(id) => {
                if let Some(n) = self.doc.project().notes().find(|n| n.id == id) {
                    self.editing = Some(Editing::Note(n.clone()));
                }
            }
            CanvasRequest::EditArea(id) => {
                if let Some(a) = self.doc.project().areas().find(|a| a.id == id) {
                    self.editing = Some(Editing::Area(a.clone()));
                }
            }
        }
    }

    fn canvas_context_menu(&mut self) {
        let hit = self.canvas.context_hit;
        let Some(resp) = self.canvas.response.clone() else {
            return;
        };
        resp.context_menu(|ui| {
            let act = |ui: &mut Ui, s: &mut Studio, a: Action| {
                let (text, tip) = a.text();
                if ui.button(text).on_hover_text(tip).clicked() {
                    s.run(ui, a);
                    ui.close();
                }
            };
            match hit.table() {
                Some(_) => {
                    act(ui, self, Action::Rename);
                    act(ui, self, Action::AddColumn);
                    act(ui, self, Action::ZoomToSelection);
                    act(ui, self, Action::CopyDdl);
                    ui.separator();
                    act(ui, self, Action::Delete);
                }
                None => {
                    act(ui, self, Action::NewTable);
                    act(ui, self, Action::Fit);
                    act(ui, self, Action::LayoutLayered);
                    act(ui, self, Action::LayoutForce);
                    act(ui, self, Action::SelectAll);
                }
            }
        });
    }

    /// A dialog that takes the keyboard is open (shortcuts stay off).
    fn modal_open(&self) -> bool {
        self.open_error.is_some()
            || self.palette.is_open()
            || self.confirm.is_some()
            || self.editing.is_some()
            || self.import_dialog.is_some()
            || self.server_import.is_some()
            || self.normalize.preview.is_some()
            || self.revision_dialog.is_some()
    }

    fn handle_shortcuts(&mut self, ui: &mut Ui) {
        // egui drops focus on Escape before we run: a field focused last frame still counts.
        let typing = ui.ctx().egui_wants_keyboard_input() || self.was_typing;
        // Every shortcut of every action, most specific first: Ctrl+Shift+Z before Ctrl+Z,
        // Shift+Left before Left.
        let mut order: Vec<(Action, egui::KeyboardShortcut)> = Action::all()
            .flat_map(|a| a.shortcuts().into_iter().map(move |s| (a, s)))
            .collect();
        order.sort_by_key(|(_, s)| {
            std::cmp::Reverse(
                s.modifiers.shift as u8 + s.modifiers.command as u8 + s.modifiers.alt as u8,
            )
        });
        for (a, sc) in order {
            if typing
                && (a.is_plain_key()
                    || matches!(a, Action::Undo | Action::Redo | Action::SelectAll))
            {
                continue;
            }
            if self.modal_open() {
                continue;
            }
            if ui.input_mut(|i| i.consume_shortcut(&sc)) {
                self.run(ui, a);
            }
        }
        if !typing && !self.modal_open() {
            // Ctrl+C / Ctrl+V arrive as events, not key presses.
            let (copy, paste) = ui.input(|i| {
                let copy = i.events.iter().any(|e| matches!(e, egui::Event::Copy));
                let paste = i.events.iter().find_map(|e| match e {
                    egui::Event::Paste(t) => Some(t.clone()),
                    _ => None,
                });
                (copy, paste)
            });
            if copy {
                self.run(ui, Action::Copy);
            }
            if let Some(text) = paste {
                self.paste(&text);
            }
        }
    }

    /// Move the selected tables by (dx, dy); repeated nudges of one selection are one undo step.
    fn nudge(&mut self, dx: f32, dy: f32) {
        let moves: Vec<(TableId, Position)> = self
            .sel
            .tables
            .iter()
            .filter_map(|t| self.doc.project().table(*t))
            .map(|t| {
                (
                    t.id,
                    Position {
                        x: t.position.x + dx,
                        y: t.position.y + dy,
                    },
                )
            })
            .collect();
        let key = format!("nudge{:?}", self.sel.tables);
        if let Err(e) = self.doc.apply_merging(Command::MoveTables(moves), key) {
            self.status = e.to_string();
        }
    }

    fn handle_dropped_files(&mut self, ui: &Ui) {
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            // A project (by its name or its first bytes, as Compare and `crowfoot diff`
            // tell) is opened; anything else goes to the import dialog.
            use crate::source::{Accept, SchemaSource};
            if SchemaSource::of(&p, Accept::Files).is_project() {
                self.guard_discard(AfterDiscard::Load(p));
            } else {
                self.begin_import(p);
            }
        }
    }

    fn menu_bar(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            let item = |ui: &mut Ui, s: &mut Studio, a: Action| {
                let (text, tip) = a.text();
                let mut b = egui::Button::new(text);
                if let Some(sc) = a.shortcut() {
                    b = b.shortcut_text(ui.ctx().format_shortcut(&sc));
                }
                let enabled = s.is_enabled(a);
                if let Some(mut on) = s.is_checked(a) {
                    if ui.checkbox(&mut on, text).on_hover_text(tip).clicked() {
                        s.run(ui, a);
                    }
                    return;
                }
                let tip = match a {
                    Action::Undo => s.doc.undo_label().map(|l| format!("Undo: {l}")),
                    Action::Redo => s.doc.redo_label().map(|l| format!("Redo: {l}")),
                    _ => None,
                }
                .unwrap_or_else(|| tip.to_string());
                if ui.add_enabled(enabled, b).on_hover_text(tip).clicked() {
                    s.run(ui, a);
                    ui.close();
                }
            };
            ui.menu_button("File", |ui| {
                for a in [
                    Action::NewProject,
                    Action::Open,
                    Action::ImportSql,
                    Action::ImportServer,
                    Action::CompareWithFile,
                    Action::CompareWithRevision,
                    Action::ClearComparison,
                    Action::Save,
                    Action::SaveAs,
                ] {
                    item(ui, self, a);
                }
                ui.menu_button("Open recent", |ui| {
                    let recent = self.prefs.recent.clone();
                    if recent.is_empty() {
                        ui.label("(none)");
                    }
                    for p in recent {
                        if ui.button(p.display().to_string()).clicked() {
                            self.guard_discard(AfterDiscard::Load(p));
                            ui.close();
                        }
                    }
                });
                ui.separator();
                item(ui, self, Action::Quit);
            });
            ui.menu_button("Edit", |ui| {
                for a in [
                    Action::Undo,
                    Action::Redo,
                    Action::Copy,
                    Action::Paste,
                    Action::Delete,
                    Action::SelectAll,
                    Action::ClearSelection,
                    Action::CommandPalette,
                    Action::Find,
                ] {
                    item(ui, self, a);
                }
            });
            ui.menu_button("View", |ui| {
                for a in [
                    Action::Present,
                    Action::SaveView,
                    Action::Fit,
                    Action::ZoomToSelection,
                    Action::ZoomIn,
                    Action::ZoomOut,
                    Action::ZoomReset,
                ] {
                    item(ui, self, a);
                }
                ui.separator();
                for a in [
                    Action::ToggleLeftPanel,
                    Action::ToggleInspector,
                    Action::ToggleBottomPanel,
                ] {
                    item(ui, self, a);
                }
                item(ui, self, Action::ImportReport);
                item(ui, self, Action::ToggleTheme);
            });
            ui.menu_button("Model", |ui| {
                for a in [
                    Action::NewTable,
                    Action::AddColumn,
                    Action::Rename,
                    Action::ManyToMany,
                    Action::Normalize,
                    Action::Indexes,
                    Action::AddNote,
                    Action::AddArea,
                    Action::LayoutLayered,
                    Action::LayoutForce,
                ] {
                    item(ui, self, a);
                }
            });
            ui.menu_button("Export", |ui| {
                for d in Dialect::ALL {
                    ui.radio_value(&mut self.prefs.ddl_dialect, d, d.display_name());
                }
                ui.separator();
                item(ui, self, Action::CopyDdl);
                item(ui, self, Action::ExportDdl);
                ui.separator();
                for a in [
                    Action::ExportSvg,
                    Action::ExportPng,
                    Action::ExportDbml,
                    Action::ExportMermaid,
                    Action::ExportDoc,
                ] {
                    item(ui, self, a);
                }
            });
        });
    }

    fn confirm_ui(&mut self, ui: &mut Ui) {
        let Some(confirm) = &self.confirm else {
            return;
        };
        let message = match confirm {
            Confirm::DeleteReferenced { message, .. }
            | Confirm::RetypeAndLink { message, .. }
            | Confirm::CreateColumnAndLink { message, .. } => message.clone(),
            Confirm::Discard { .. } => {
                format!("{} has unsaved changes. Discard them?", self.doc.title())
            }
            Confirm::Recover { recovery } => format!(
                "Crowfoot did not close cleanly: unsaved work on {} was found in {}. Recover it? \
                 (It opens as unsaved changes; the file on disk is unchanged until you save.)",
                self.doc.title(),
                recovery.display()
            ),
        };
        let (yes, no) = match confirm {
            Confirm::DeleteReferenced { .. } => ("Delete", "Cancel"),
            Confirm::RetypeAndLink { .. } => ("Change type and link", "Cancel"),
            Confirm::CreateColumnAndLink { .. } => ("Add column and link", "Cancel"),
            Confirm::Discard { .. } => ("Discard changes", "Cancel"),
            Confirm::Recover { .. } => ("Recover", "Discard recovery"),
        };
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::new("crowfoot-confirm")).show(ui.ctx(), |ui| {
            ui.set_max_width(420.0);
            ui.label(&message);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(yes).clicked() {
                    answer = Some(true);
                }
                if ui.button(no).clicked() {
                    answer = Some(false);
                }
            });
        });
        if modal.should_close() && answer.is_none() {
            answer = Some(false);
        }
        if let Some(yes) = answer {
            let confirm = self.confirm.take().expect("checked above");
            if yes {
                match confirm {
                    Confirm::DeleteReferenced { tables, .. } => self.delete_tables(&tables),
                    Confirm::RetypeAndLink { fk, column, .. } => self.create_fk(*fk, Some(*column)),
                    Confirm::CreateColumnAndLink {
                        table,
                        mut column,
                        mut fk,
                        ..
                    } => {
                        column.id = ColumnId(self.doc.project().alloc_id());
                        fk.id = ForeignKeyId(self.doc.project().alloc_id());
                        fk.from_columns = vec![column.id];
                        let index = self
                            .doc
                            .project()
                            .table(table)
                            .map_or(0, |t| t.columns.len());
                        if self.apply(Command::Batch(vec![
                            Command::AddColumn {
                                table,
                                index,
                                column,
                            },
                            Command::AddForeignKey(fk),
                        ])) {
                            self.status = "Column and foreign key created".into();
                        }
                    }
                    Confirm::Discard { then } => self.after_discard(then),
                    Confirm::Recover { recovery } => self.recover(&recovery),
                }
            } else {
                match confirm {
                    Confirm::Recover { recovery } => {
                        let _ = std::fs::remove_file(recovery);
                    }
                    Confirm::Discard {
                        then: AfterDiscard::Import(..),
                    } => {
                        self.import_dialog = None;
                        self.status = "Import cancelled: the document is unchanged".into();
                    }
                    Confirm::Discard {
                        then: AfterDiscard::ImportServer,
                    } => {
                        // Dropping the dialog drops the password.
                        self.server_import = None;
                        self.status = "Import cancelled: the document is unchanged".into();
                    }
                    _ => {}
                }
            }
        }
    }

    /// Why the file given on the command line did not open, and what to do instead.
    fn open_error_ui(&mut self, ui: &mut Ui) {
        let Some(err) = &self.open_error else {
            return;
        };
        enum Choice {
            Other,
            Recovery(PathBuf),
            New,
        }
        let mut choice = None;
        egui::Modal::new(egui::Id::new("crowfoot-open-error")).show(ui.ctx(), |ui| {
            ui.set_max_width(520.0);
            let name = err
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| err.path.display().to_string());
            ui.heading(format!("Could not open {name}"));
            ui.add_space(4.0);
            ui.label(&err.message);
            ui.add_space(4.0);
            ui.label(
                "The file is unchanged. This window shows an empty untitled project: Save asks \
                 where to save it and never writes over the file unless you choose it.",
            );
            if let Some(note) = &err.note {
                ui.add_space(4.0);
                ui.colored_label(ui.visuals().error_fg_color, note);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .button("Open another file…")
                    .on_hover_text("Choose another Crowfoot project")
                    .clicked()
                {
                    choice = Some(Choice::Other);
                }
                if let Some(rec) = &err.recovery
                    && ui
                        .button("Open recovery copy")
                        .on_hover_text(format!(
                            "The unsaved work autosave kept in {}; it opens as an untitled \
                             project (Save asks where to put it)",
                            rec.display()
                        ))
                        .clicked()
                {
                    choice = Some(Choice::Recovery(rec.clone()));
                }
                if ui
                    .button("New project")
                    .on_hover_text("Start an empty project")
                    .clicked()
                {
                    choice = Some(Choice::New);
                }
            });
        });
        match choice {
            None => {}
            Some(Choice::Other) => self.files.pick_project(),
            Some(Choice::Recovery(rec)) => match crate::project_file::load(&rec) {
                Ok(p) => {
                    self.load_document(p, None);
                    self.doc.force_dirty();
                    self.status = format!(
                        "Opened the recovery copy {} as an untitled project: Save as… to keep it",
                        rec.display()
                    );
                }
                Err(e) => {
                    if let Some(err) = &mut self.open_error {
                        err.note = Some(format!("The recovery copy did not open either: {e}"));
                    }
                }
            },
            Some(Choice::New) => self.load_document(Project::new("Untitled"), None),
        }
    }

    /// The note / area editor window.
    fn editing_ui(&mut self, ui: &mut Ui) {
        let Some(editing) = &mut self.editing else {
            return;
        };
        let mut done: Option<Option<Command>> = None;
        let modal = egui::Modal::new(egui::Id::new("crowfoot-edit")).show(ui.ctx(), |ui| {
            ui.set_min_width(320.0);
            match editing {
                Editing::Note(n) => {
                    ui.heading("Note");
                    ui.add(
                        egui::TextEdit::multiline(&mut n.text)
                            .id_salt("note-text")
                            .desired_rows(4),
                    );
                }
                Editing::Area(a) => {
                    ui.heading("Area");
                    ui.add(egui::TextEdit::singleline(&mut a.name).id_salt("area-name"));
                    ui.horizontal(|ui| {
                        ui.label("Colour");
                        ui.color_edit_button_srgb(&mut a.color);
                    });
                }
            }
            ui.horizontal(|ui| {
                if ui.button("OK").clicked() {
                    done = Some(Some(match editing {
                        Editing::Note(n) => Command::PutNote(n.clone()),
                        Editing::Area(a) => Command::PutArea(a.clone()),
                    }));
                }
                if ui.button("Cancel").clicked() {
                    done = Some(None);
                }
                if ui.button("Delete").clicked() {
                    done = Some(Some(match editing {
                        Editing::Note(n) => Command::RemoveNote(n.id),
                        Editing::Area(a) => Command::RemoveArea(a.id),
                    }));
                }
            });
        });
        if modal.should_close() && done.is_none() {
            done = Some(None);
        }
        if let Some(cmd) = done {
            self.editing = None;
            if let Some(cmd) = cmd {
                self.apply(cmd);
            }
        }
    }

    fn update_title(&mut self, ui: &Ui) {
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

    fn recover(&mut self, recovery: &std::path::Path) {
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

    /// Move the view to a table (palette, table list, problems).
    pub fn reveal(&mut self, t: TableId, column: Option<ColumnId>) {
        self.sel.clear();
        self.sel.tables.insert(t);
        if let Some(c) = column {
            self.sel.column = Some((t, c));
        }
        self.canvas.center_on(&self.doc, t);
    }
}
