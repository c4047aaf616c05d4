//! The studio's state and its top-level `ui()`: panels around the canvas. Everything that
//! changes the schema goes through `Document::apply` (model commands, undoable).

use super::actions::Action;
use super::canvas::Canvas;
use super::document::Document;
use super::files::FileOps;
use super::import::{ImportDialog, ImportReport, ServerImportDialog};
use super::indexes::IndexPanel;
use super::inspector::Inspector;
use super::normalize::NormalizePanel;
use super::palette::Palette;
use super::panels::{BottomPanel, TableList};
use super::request::{Done, Request, View};
use super::selection::Selection;
use crate::analysis::check::Problem;
use crate::model::command::remove_tables;
use crate::model::*;
use egui::Ui;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::PathBuf;

mod dialogs;
mod documents;
mod edits;
mod focus;
mod input;
mod menus;
mod run;

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
    /// The PostgreSQL server of the index advisor (never with a password; never in the
    /// project).
    pub pg_url: String,
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
            pg_url: String::new(),
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
    /// Link columns whose types differ: offer to retype the referencing column (`command`
    /// does both, see `model::edit::plan_link`).
    RetypeAndLink {
        message: String,
        command: Box<Command>,
    },
    /// Dragged from a primary key onto another table's header: add a referencing column there
    /// (`command` adds it and the foreign key).
    CreateColumnAndLink {
        message: String,
        command: Box<Command>,
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

/// What focus or presenter emphasis was computed for: (version, start tables, hops).
type NearKey = (u64, BTreeSet<TableId>, usize);

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
    /// View ▸ Explore relations: the relationship explorer window.
    pub explorer: super::explorer::ExplorerPanel,
    /// Model ▸ Find path: the path window.
    pub paths: super::paths::PathPanel,
    /// Model ▸ Suggest subject areas: the preview window.
    pub areas: super::areas::AreasPanel,
    /// Model ▸ Classify sensitive data: the review list.
    pub privacy: super::privacy::PrivacyPanel,
    /// Model ▸ Apply pattern: the pattern, its table and the preview.
    pub patterns: super::patterns::PatternPanel,
    /// Model ▸ Plan distribution: the roles window.
    pub distribution: super::distribution::DistributionPanel,
    /// Focus mode: these tables and those within this many keys stay bright.
    pub focus: Option<(BTreeSet<TableId>, usize)>,
    /// The (version, search text) `canvas.found` was computed for.
    found_for: Option<(u64, String)>,
    /// Focus and presenter emphasis: (version, start, hops) and the tables it covers.
    near_cache: Option<(NearKey, BTreeSet<TableId>)>,
    /// The table list (left).
    pub tables: TableList,
    /// Problems, DDL preview and changes (bottom).
    pub bottom: BottomPanel,
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
    /// An auto-layout of a big project running in the background.
    pub layout_job: Option<super::layout_job::LayoutJob>,
    /// A PNG or PDF export of a big diagram being rendered.
    pub render_job: Option<super::render_job::RenderJob>,
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
            explorer: Default::default(),
            paths: Default::default(),
            areas: Default::default(),
            privacy: Default::default(),
            patterns: Default::default(),
            distribution: Default::default(),
            focus: None,
            found_for: None,
            near_cache: None,
            tables: TableList::default(),
            bottom: BottomPanel,
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
            layout_job: None,
            render_job: None,
        }
    }

    /// Apply an edit; the status line shows its label, or why it failed. The one place (with
    /// [`Studio::apply_merging`]) where the studio changes the project.
    pub fn apply(&mut self, cmd: Command) -> bool {
        let label = cmd.label();
        let r = self.doc.apply(cmd);
        self.applied(label, r)
    }

    /// Apply an edit that merges with the previous one of the same `key` into one undo step
    /// (typing in a field, repeated nudges); reported like [`Studio::apply`].
    pub fn apply_merging(&mut self, cmd: Command, key: String) -> bool {
        let label = cmd.label();
        let r = self.doc.apply_merging(cmd, key);
        self.applied(label, r)
    }

    fn applied(&mut self, label: String, r: Result<(), ModelError>) -> bool {
        match r {
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

    /// What the panels read (see [`View`]): the state, shared, with the problems and the DDL
    /// preview when they are up to date.
    pub fn view(&self) -> View<'_> {
        let v = self.doc.version();
        View {
            doc: &self.doc,
            sel: &self.sel,
            prefs: &self.prefs,
            comparison: self.comparison.as_ref(),
            import_report: self.import_report.as_ref(),
            problems: self
                .problems
                .as_ref()
                .filter(|(pv, _)| *pv == v)
                .map_or(&[], |(_, p)| p.as_slice()),
            ddl: self
                .ddl
                .as_ref()
                .filter(|(pv, d, k, _)| {
                    *pv == v && *d == self.prefs.ddl_dialect && *k == self.sel.tables
                })
                .map(|(_, _, _, sql)| sql.as_str()),
        }
    }

    /// Carry out what the canvas, a panel or a dialog asked for, in order.
    pub fn handle(&mut self, ui: &Ui, requests: Vec<Request>) {
        for r in requests {
            match r {
                Request::Apply(cmd) => {
                    self.apply(cmd);
                }
                Request::ApplyMerging(cmd, key) => {
                    self.apply_merging(cmd, key);
                }
                Request::ApplyThen(cmd, then) => {
                    if self.apply(cmd) {
                        self.handle(ui, then);
                    }
                }
                Request::Run(a) => self.run(ui, a),
                Request::Status(s) => self.status = s,
                Request::Reveal(t, c) => self.reveal(t, c),
                Request::SelectColumn(t, c) => self.sel.select_column(t, c),
                Request::SelectOnly(tables) => {
                    self.sel.clear();
                    self.sel.tables.extend(tables);
                }
                Request::AddToSelection(tables) => self.sel.tables.extend(tables),
                Request::FocusColumn(c) => self.inspector.focus_column = Some(c),
                Request::StartRename(t) => self.canvas.start_rename(&self.doc, t),
                Request::Link {
                    from,
                    column,
                    to,
                    to_column,
                } => self.link(from, column, to, to_column),
                Request::EditNote(id) => {
                    if let Some(n) = self.doc.project().notes().find(|n| n.id == id) {
                        self.editing = Some(Editing::Note(n.clone()));
                    }
                }
                Request::EditArea(id) => {
                    if let Some(a) = self.doc.project().areas().find(|a| a.id == id) {
                        self.editing = Some(Editing::Area(a.clone()));
                    }
                }
                Request::BottomTab(t) => self.prefs.bottom_tab = t,
                Request::DdlDialect(d) => self.prefs.ddl_dialect = d,
                Request::PgUrl(u) => self.prefs.pg_url = u,
                Request::ShowImportReport(open) => {
                    if let Some(r) = &mut self.import_report {
                        r.open = open;
                    }
                }
                Request::OpenMigration => {
                    self.migration = Some(super::migration::MigrationDialog::new(
                        self.doc.project().settings().target_dialect,
                    ));
                }
                Request::CloseMigration => self.migration = None,
                Request::Import(path, dialect) => self.request_import(path, dialect),
                Request::ImportServer => self.request_server_import(),
                Request::CancelImport => {
                    self.import_dialog = None;
                    self.status = "Import cancelled".into();
                }
                Request::CancelServerImport => {
                    // Dropping the dialog drops the password.
                    self.server_import = None;
                    self.status = "Import cancelled".into();
                }
                Request::PickSample => self.files.pick_sample(),
                Request::Export { what, ext, bytes } => {
                    self.files
                        .export_bytes(ui.ctx(), &self.doc, what, ext, bytes)
                }
                Request::Done(Done::DependencyDeclared) => self.normalize.dependency_declared(),
                Request::Done(Done::DiscoveriesAccepted) => self.normalize.discoveries_accepted(),
                Request::Done(Done::IndexSaved) => self.indexes.draft = None,
            }
        }
    }

    /// Draw a panel by the convention of [`View`]: taken out of the studio while it reads the
    /// view, put back, then its requests handled.
    fn show_panel<P: Default>(
        &mut self,
        ui: &mut Ui,
        panel: fn(&mut Studio) -> &mut P,
        draw: impl FnOnce(&mut P, &View, &mut Ui) -> Vec<Request>,
    ) {
        let mut p = std::mem::take(panel(self));
        let requests = draw(&mut p, &self.view(), ui);
        *panel(self) = p;
        self.handle(ui, requests);
    }

    /// The problems of the current version (computed once per version).
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
                    self.show_panel(
                        ui,
                        |s| &mut s.normalize,
                        |nf, v, ui| nf.sample_picked(v, p, ui.ctx()),
                    );
                }
            }
        }

        if self.presenting.is_some() {
            // Presenter mode: the canvas alone, full screen; no editing shortcuts.
            if !self.presenter_keys(ui) {
                return;
            }
            self.update_emphasis();
            egui::CentralPanel::no_frame().show(ui, |ui| {
                let mut requests = self.canvas.ui(ui, &self.doc, &mut self.sel);
                requests.retain(|r| !matches!(r, Request::Link { .. })); // no links while presenting
                self.handle(ui, requests);
            });
            self.presenter_ui(ui);
            self.update_title(ui);
            return;
        }
        egui::Panel::top("crowfoot-menu").show(ui, |ui| self.menu_bar(ui));
        self.poll_layout(ui);
        self.poll_render(ui);
        egui::Panel::bottom("crowfoot-status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some(job) = &self.render_job {
                    ui.spinner();
                    ui.label(job.label());
                }
                if let Some(job) = &self.layout_job
                    && job.ui(ui)
                {
                    job.progress.cancel();
                    self.layout_job = None;
                    self.status = "Layout cancelled: nothing moved".into();
                }
                ui.label(&self.status);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let zoom = self.canvas.zoom * 100.0;
                    ui.label(format!(
                        "{} tables · {} FKs · zoom {zoom:.*}%",
                        self.doc.project().table_count(),
                        self.doc.project().foreign_key_count(),
                        // Below 10 % a decimal (50,000 tables fit at 0.7 %).
                        usize::from(zoom < 10.0),
                    ));
                });
            });
        });
        if self.prefs.show_bottom {
            egui::Panel::bottom("crowfoot-bottom")
                .resizable(true)
                .default_size(200.0)
                .min_size(140.0)
                .show(ui, |ui| {
                    // What the panel shows is computed here, once per version.
                    self.problems();
                    if self.prefs.bottom_tab == BottomTab::Ddl
                        && !super::panels::ddl_too_large(&self.view())
                    {
                        self.ddl_preview();
                    }
                    self.show_panel(ui, |s| &mut s.bottom, BottomPanel::ui);
                });
        }
        if self.prefs.show_tables {
            egui::Panel::left("crowfoot-tables")
                .resizable(true)
                .default_size(220.0)
                .show(ui, |ui| {
                    self.show_panel(ui, |s| &mut s.tables, TableList::ui)
                });
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
                            self.show_panel(ui, |s| &mut s.inspector, Inspector::ui)
                        }
                        RightTab::Normalize => {
                            self.show_panel(ui, |s| &mut s.normalize, NormalizePanel::ui)
                        }
                        RightTab::Indexes => {
                            self.show_panel(ui, |s| &mut s.indexes, IndexPanel::ui)
                        }
                    }
                });
        }
        self.update_emphasis();
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let requests = self.canvas.ui(ui, &self.doc, &mut self.sel);
            self.handle(ui, requests);
            self.focus_banner(ui);
            let requests = self.canvas_context_menu();
            self.handle(ui, requests);
        });
        self.open_error_ui(ui);
        self.confirm_ui(ui);
        self.editing_ui(ui);
        self.revision_dialog_ui(ui);
        if let Some(mut m) = self.migration.take() {
            let requests = m.ui(&self.view(), ui.ctx());
            self.migration = Some(m);
            self.handle(ui, requests);
        }
        self.show_panel(
            ui,
            |s| &mut s.normalize,
            |nf, v, ui| nf.preview_window(v, ui.ctx()),
        );
        self.show_panel(ui, |s| &mut s.explorer, |ex, v, ui| ex.ui(v, ui.ctx()));
        self.show_panel(ui, |s| &mut s.paths, |pp, v, ui| pp.ui(v, ui.ctx()));
        self.show_panel(ui, |s| &mut s.areas, |ap, v, ui| ap.ui(v, ui.ctx()));
        self.show_panel(ui, |s| &mut s.privacy, |pp, v, ui| pp.ui(v, ui.ctx()));
        self.show_panel(ui, |s| &mut s.patterns, |pp, v, ui| pp.ui(v, ui.ctx()));
        self.show_panel(ui, |s| &mut s.distribution, |dp, v, ui| dp.ui(v, ui.ctx()));
        self.import_windows_ui(ui);
        self.show_panel(ui, |s| &mut s.palette, Palette::ui);
        self.sel.retain_existing(self.doc.project());
        self.update_title(ui);
        self.was_typing = ui.ctx().egui_wants_keyboard_input();
    }

    /// The canvas's right-click menu: actions on the table under the pointer, or on the
    /// canvas.
    fn canvas_context_menu(&self) -> Vec<Request> {
        let mut requests = Vec::new();
        let Some(resp) = self.canvas.response.clone() else {
            return requests;
        };
        let actions: &[Action] = match self.canvas.context_hit.table() {
            Some(_) => &[
                Action::Rename,
                Action::AddColumn,
                Action::ZoomToSelection,
                Action::CopyDdl,
                Action::Delete,
            ],
            None => &[
                Action::NewTable,
                Action::Fit,
                Action::LayoutLayered,
                Action::LayoutForce,
                Action::SelectAll,
            ],
        };
        resp.context_menu(|ui| {
            for &a in actions {
                if a == Action::Delete {
                    ui.separator();
                }
                let (text, tip) = a.text();
                if ui.button(text).on_hover_text(tip).clicked() {
                    requests.push(Request::Run(a));
                    ui.close();
                }
            }
        });
        requests
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
