//! File ▸ Import SQL… (and dropped files): the dialect dialog shown once a file is picked, and
//! the import report window. The import itself is `Studio::import_path_as`. Each window is a
//! struct with its own state whose `ui` returns the `Request`s its buttons make.
//!
//! File ▸ Import from server…: a server URL, a password field and a timeout; the import runs
//! on a thread (`pg_dump` / `mariadb-dump` may take seconds) and its result replaces the
//! document like a file import. The password lives only in this dialog until Import is
//! clicked, then only in the import thread: it is never saved (not in the prefs, the project,
//! the recent files or egui's memory) and the field is emptied when the import starts.

use super::request::Request;
use crate::model::{Dialect, Project};
use crate::sql::import::source::{LiveOptions, LiveUrl, SourceError, import_source_with};
use crate::sql::import::{ImportNote, ImportResult, NoteKind, Severity};
use egui::Ui;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

/// SQLite database files start with this header.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// The dialog between picking (or dropping) a file and importing it.
pub struct ImportDialog {
    pub path: PathBuf,
    /// `None`: detect automatically.
    pub dialect: Option<Dialect>,
    /// What the file looks like ("SQL script, 12 KB; looks like MySQL/MariaDB"), or why it
    /// cannot be read.
    pub preview: Result<String, String>,
    /// The last import attempt failed with this message.
    pub error: Option<String>,
}

impl ImportDialog {
    pub fn new(path: PathBuf) -> Self {
        let preview = sniff(&path);
        ImportDialog {
            path,
            dialect: None,
            preview,
            error: None,
        }
    }
}

/// A quick look at the start of the file: SQLite database or script, and the dialect that
/// auto-detection would choose (the same function the import uses).
fn sniff(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("this is a directory, not a file".into());
    }
    let size = human_size(meta.len());
    let mut head = Vec::new();
    file.take(400_000)
        .read_to_end(&mut head)
        .map_err(|e| e.to_string())?;
    if head.starts_with(SQLITE_MAGIC) {
        return Ok(format!(
            "SQLite database file, {size}: its schema is read with SQLite rules"
        ));
    }
    let text = String::from_utf8_lossy(&head);
    Ok(format!(
        "SQL script, {size}; looks like {}",
        crate::sql::import::detect_dialect(&text).display_name()
    ))
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// What the last import did: kept until another document is loaded.
pub struct ImportReport {
    pub file: PathBuf,
    pub dialect: Dialect,
    /// How the dialect was decided: "detected", "chosen" or "database file".
    pub how: &'static str,
    pub tables: usize,
    pub columns: usize,
    pub foreign_keys: usize,
    pub indexes: usize,
    pub views: usize,
    pub enums: usize,
    pub notes: Vec<ImportNote>,
    /// The window is shown.
    pub open: bool,
    /// Dump noise (SET, GRANT, INSERT, ...) is listed too.
    pub show_noise: bool,
    /// Only notes containing this text (case-insensitive) are listed.
    pub filter: String,
}

impl ImportReport {
    pub fn new(
        file: PathBuf,
        project: &Project,
        dialect: Dialect,
        how: &'static str,
        notes: Vec<ImportNote>,
    ) -> Self {
        ImportReport {
            file,
            dialect,
            how,
            tables: project.table_count(),
            columns: project.column_count(),
            foreign_keys: project.foreign_key_count(),
            indexes: project.tables().map(|t| t.indexes.len()).sum(),
            views: project.views().count(),
            enums: project.enums().count(),
            notes,
            open: true,
            show_noise: false,
            filter: String::new(),
        }
    }

    pub fn count(&self, kind: NoteKind) -> usize {
        self.notes.iter().filter(|n| n.kind == kind).count()
    }

    /// Notes that are not dump noise: what the user has to look at.
    pub fn attention(&self) -> usize {
        self.notes.len() - self.count(NoteKind::Noise)
    }

    /// "PostgreSQL (detected)", "MySQL/MariaDB (chosen)" or "SQLite (database file)".
    pub fn dialect_text(&self) -> String {
        format!("{} ({})", self.dialect.display_name(), self.how)
    }

    /// The status-bar line after an import of `what` (a file name or a redacted URL).
    pub fn status_line(&self, what: &str) -> String {
        let notes = self.attention();
        format!(
            "Imported {what} as {}: {} tables, {notes} note{}{}",
            self.dialect_text(),
            self.tables,
            if notes == 1 { "" } else { "s" },
            if notes > 0 {
                " (see View > Import report)"
            } else {
                ""
            }
        )
    }

    pub fn file_name(&self) -> String {
        self.file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.file.display().to_string())
    }

    fn counts_text(&self) -> String {
        format!(
            "{} tables, {} columns, {} foreign keys, {} indexes, {} views, {} enums",
            self.tables, self.columns, self.foreign_keys, self.indexes, self.views, self.enums
        )
    }

    fn notes_text(&self) -> String {
        let mut out = format!(
            "{} statements skipped, {} partly imported, ",
            self.count(NoteKind::Skipped),
            self.count(NoteKind::Partial),
        );
        let kept = self.notes.len()
            - self.count(NoteKind::Skipped)
            - self.count(NoteKind::Partial)
            - self.count(NoteKind::Noise);
        if kept > 0 {
            out.push_str(&format!("{kept} kept verbatim, "));
        }
        out.push_str(&format!(
            "{} noise statements ignored",
            self.count(NoteKind::Noise)
        ));
        out
    }

    /// The notes the window lists, in file order.
    pub fn visible(&self) -> Vec<&ImportNote> {
        let needle = self.filter.to_lowercase();
        self.notes
            .iter()
            .filter(|n| self.show_noise || n.kind != NoteKind::Noise)
            .filter(|n| needle.is_empty() || n.to_string().to_lowercase().contains(&needle))
            .collect()
    }

    /// The whole report as text (what "Copy report" puts on the clipboard): the same lines as
    /// `crowfoot import` prints, every note as `FILE:LINE:COL: kind: statement: reason`.
    /// Noise is included only when it is shown.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{}: {}\nimported {}\n{}\n",
            self.file.display(),
            self.dialect_text(),
            self.counts_text(),
            self.notes_text()
        );
        for n in &self.notes {
            if self.show_noise || n.kind != NoteKind::Noise {
                out.push_str(&format!("{}:{n}\n", self.file.display()));
            }
        }
        out
    }
}

impl ImportDialog {
    /// The dialect dialog (a modal): Import (`Request::Import`) or Cancel.
    pub fn ui(&mut self, ui: &mut Ui) -> Vec<Request> {
        dialog_ui(self, ui)
    }
}

fn dialog_ui(d: &mut ImportDialog, ui: &mut Ui) -> Vec<Request> {
    let mut answer: Option<bool> = None;
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter)) {
        answer = Some(true);
    }
    let modal = egui::Modal::new(egui::Id::new("crowfoot-import")).show(ui.ctx(), |ui| {
        ui.set_min_width(380.0);
        ui.set_max_width(520.0);
        ui.heading("Import SQL");
        ui.label(format!("File: {}", d.path.display()));
        match &d.preview {
            Ok(p) => {
                ui.weak(p);
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, format!("Cannot read: {e}"));
            }
        }
        ui.add_space(6.0);
        ui.label("Dialect of the script:");
        ui.radio_value(&mut d.dialect, None, "Detect automatically");
        for dialect in Dialect::ALL {
            ui.radio_value(&mut d.dialect, Some(dialect), dialect.display_name());
        }
        ui.add_space(4.0);
        ui.weak("The import becomes a new, unsaved project; a report lists every statement that was skipped or only partly imported.");
        if let Some(e) = &d.error {
            ui.add_space(4.0);
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Import").clicked() {
                answer = Some(true);
            }
            if ui.button("Cancel").clicked() {
                answer = Some(false);
            }
        });
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(false);
    }
    match answer {
        Some(true) => vec![Request::Import(d.path.clone(), d.dialect)],
        Some(false) => vec![Request::CancelImport],
        None => Vec::new(),
    }
}

impl ImportReport {
    /// The "Import report" window, while it is open.
    pub fn ui(&mut self, ui: &mut Ui) -> Vec<Request> {
        report_ui(self, ui)
    }
}

fn report_ui(r: &mut ImportReport, ui: &mut Ui) -> Vec<Request> {
    if !r.open {
        return Vec::new();
    }
    let mut open = true;
    let mut copied = false;
    let centre = ui.ctx().content_rect().center();
    egui::Window::new("Import report")
        .id(egui::Id::new("crowfoot-import-report"))
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_size([760.0, 400.0])
        .default_pos(centre - egui::vec2(380.0, 240.0))
        .show(ui.ctx(), |ui| {
            egui::Grid::new("import-report-summary")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.strong("File");
                    ui.label(r.file.display().to_string());
                    ui.end_row();
                    ui.strong("Dialect");
                    ui.label(r.dialect_text());
                    ui.end_row();
                    ui.strong("Imported");
                    ui.label(r.counts_text());
                    ui.end_row();
                    ui.strong("Notes");
                    ui.label(r.notes_text());
                    ui.end_row();
                });
            ui.separator();
            ui.horizontal(|ui| {
                let noise = r.count(NoteKind::Noise);
                ui.checkbox(&mut r.show_noise, format!("Show noise ({noise})"))
                    .on_hover_text(
                        "SET, GRANT, INSERT and other dump statements ignored on purpose",
                    );
                ui.add(
                    egui::TextEdit::singleline(&mut r.filter)
                        .id_salt("import-report-filter")
                        .hint_text("filter notes")
                        .desired_width(180.0),
                );
                if ui
                    .button("Copy report")
                    .on_hover_text("Copy the summary and the listed notes as text")
                    .clicked()
                {
                    ui.ctx().copy_text(r.to_text());
                    copied = true;
                }
            });
            ui.separator();
            let visible = r.visible();
            if visible.is_empty() {
                ui.label(if r.notes.is_empty() {
                    "Every statement was imported."
                } else if r.attention() == 0 && !r.show_noise {
                    "Every schema statement was imported (only dump noise was ignored)."
                } else {
                    "No note matches the filter."
                });
                return;
            }
            let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
            // Locations right-aligned on the colon, so the kinds line up.
            let digits = |n: usize| n.to_string().len();
            let line_w = visible.iter().map(|n| digits(n.line)).max().unwrap_or(1);
            let col_w = visible.iter().map(|n| digits(n.col)).max().unwrap_or(1);
            // Fixed size: a list shrinking under a pressed scroll bar panics in egui 0.36.
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show_rows(ui, row_h, visible.len(), |ui, range| {
                    for n in &visible[range] {
                        let (icon, color) = match n.severity {
                            Severity::Error => ("⛔", ui.visuals().error_fg_color),
                            Severity::Warning => ("⚠", ui.visuals().warn_fg_color),
                            Severity::Info => ("ℹ", ui.visuals().weak_text_color()),
                        };
                        // Display is "LINE:COL: kind: statement: reason".
                        let text = n.to_string();
                        let at = format!("{}:{}", n.line, n.col);
                        let rest = text
                            .strip_prefix(&format!("{at}: "))
                            .unwrap_or(&text)
                            .to_string();
                        ui.horizontal(|ui| {
                            ui.colored_label(color, icon);
                            ui.monospace(format!("{:>line_w$}:{:<col_w$}", n.line, n.col));
                            // One line per note (rows of equal height keep a long report
                            // fast); the full text on hover.
                            ui.add(egui::Label::new(rest).truncate())
                                .on_hover_text(&text);
                        });
                    }
                });
        });
    if !open {
        r.open = false;
    }
    if copied {
        vec![Request::Status("Copied the import report".into())]
    } else {
        Vec::new()
    }
}

// ---------------------------------------------------------------------------------------------
// File ▸ Import from server…

/// The dialog of File ▸ Import from server….
pub struct ServerImportDialog {
    /// `postgres://USER@HOST:PORT/DB` or `mysql://USER@HOST:PORT/DB`.
    pub url: String,
    /// Typed for one import: moved to the import thread (the field is emptied) when it
    /// starts, never saved.
    pub password: String,
    /// The longest the server may stay silent, in seconds.
    pub timeout_secs: u64,
    /// The last attempt failed with this message.
    pub error: Option<String>,
    /// The import under way, if any.
    pub running: Option<RunningImport>,
}

impl Default for ServerImportDialog {
    fn default() -> Self {
        ServerImportDialog {
            url: String::new(),
            password: String::new(),
            timeout_secs: LiveOptions::DEFAULT_TIMEOUT.as_secs(),
            error: None,
            running: None,
        }
    }
}

/// An import running on its thread.
pub struct RunningImport {
    /// The URL with any password redacted (what the report and the status bar show).
    pub label: String,
    started: Instant,
    /// The recovery file of the document the import replaces (removed once it has).
    pub recovery: PathBuf,
    result: mpsc::Receiver<Result<ImportResult, SourceError>>,
}

impl ServerImportDialog {
    /// Why the URL cannot be imported yet, if it cannot.
    fn check(&self) -> Result<LiveUrl, String> {
        let url = self.url.trim();
        let live = LiveUrl::new(url).ok_or_else(|| {
            "Not a server URL: write postgres://USER@HOST:PORT/DATABASE or \
             mysql://USER@HOST:PORT/DATABASE"
                .to_string()
        })?;
        let params = live.params().map_err(|e| e.to_string())?;
        if params.password.is_some() && !self.password.is_empty() {
            return Err(
                "The URL has a password and the Password field too: give it once (the field \
                 is better: a URL is easily shown or copied)"
                    .into(),
            );
        }
        Ok(live)
    }
}

impl ServerImportDialog {
    /// Start the import (after the unsaved-changes question). `recovery` is the recovery file
    /// of the current document, removed once the import replaced it. Returns what the status
    /// line says, or `None` when the URL is wrong (the dialog says why).
    pub fn start(&mut self, recovery: PathBuf) -> Option<String> {
        start_server_import(self, recovery)
    }

    /// A finished import, with its result (called every frame while one runs).
    pub fn poll(
        &mut self,
        ctx: &egui::Context,
    ) -> Option<(RunningImport, Result<ImportResult, SourceError>)> {
        let run = self.running.take()?;
        match run.result.try_recv() {
            Ok(result) => return Some((run, result)),
            Err(mpsc::TryRecvError::Empty) => {
                self.running = Some(run);
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
            Err(mpsc::TryRecvError::Disconnected) => {
                self.error = Some("Could not import: the import stopped unexpectedly".into());
            }
        }
        None
    }

    /// The Import from server dialog (a modal): Import (`Request::ImportServer`) or Cancel.
    pub fn ui(&mut self, ui: &mut Ui) -> Vec<Request> {
        server_dialog_ui(self, ui)
    }
}

fn start_server_import(d: &mut ServerImportDialog, recovery: PathBuf) -> Option<String> {
    let live = match d.check() {
        Ok(live) => live,
        Err(e) => {
            d.error = Some(e);
            return None;
        }
    };
    // The password leaves the dialog: the field is empty from now on.
    let password = std::mem::take(&mut d.password);
    let options = LiveOptions {
        timeout: std::time::Duration::from_secs(d.timeout_secs.max(1)),
        password: (!password.is_empty()).then_some(password),
    };
    let url = d.url.trim().to_string();
    let (tx, rx) = mpsc::channel();
    // The thread waits for the dump tool, so the tool's parent-death signal stays armed.
    std::thread::Builder::new()
        .name("crowfoot-server-import".into())
        .spawn(move || {
            let _ = tx.send(import_source_with(&url, None, &options));
        })
        .expect("spawn the import thread");
    d.error = None;
    d.running = Some(RunningImport {
        label: live.redacted(),
        started: Instant::now(),
        recovery,
        result: rx,
    });
    Some(format!("Reading {}…", live.redacted()))
}

fn server_dialog_ui(d: &mut ServerImportDialog, ui: &mut Ui) -> Vec<Request> {
    let mut import = false;
    let mut close = false;
    let running = d.running.is_some();
    let mut password_id = None;
    let modal = egui::Modal::new(egui::Id::new("crowfoot-server-import")).show(ui.ctx(), |ui| {
        ui.set_min_width(420.0);
        ui.set_max_width(560.0);
        ui.heading("Import from server");
        ui.add_enabled_ui(!running, |ui| {
            egui::Grid::new("server-import-fields")
                .num_columns(2)
                .show(ui, |ui| {
                    let l = ui.label("URL");
                    ui.add(
                        egui::TextEdit::singleline(&mut d.url)
                            .id_salt("server-import-url")
                            .hint_text("postgres://user@host:5432/db")
                            .desired_width(360.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label("Password");
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut d.password)
                                .id_salt("server-import-password")
                                .password(true)
                                .desired_width(360.0),
                        )
                        .labelled_by(l.id);
                    password_id = Some(field.id);
                    if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                        import = true;
                    }
                    ui.end_row();
                    ui.label("Timeout");
                    ui.add(
                        egui::DragValue::new(&mut d.timeout_secs)
                            .range(1..=600)
                            .suffix(" s"),
                    )
                    .on_hover_text("How long the server may stay silent before the import stops");
                    ui.end_row();
                });
        });
        ui.weak(
            "postgres://, postgresql://, mysql:// or mariadb://; read with pg_dump or \
             mariadb-dump, which must be installed. The password is used for this import \
             only and never saved; empty: PGPASSWORD / MYSQL_PWD, ~/.pgpass or ~/.my.cnf.",
        );
        if let Some(run) = &d.running {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!(
                    "Reading {}… {} s",
                    run.label,
                    run.started.elapsed().as_secs()
                ));
            });
        }
        if let Some(e) = &d.error {
            ui.add_space(4.0);
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let can = !running && !d.url.trim().is_empty();
            if ui.add_enabled(can, egui::Button::new("Import")).clicked() {
                import = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
    });
    if modal.should_close() && !import {
        close = true;
    }
    if close {
        // A running import finishes on its thread (within the timeout); its result is dropped.
        forget_password_field(ui.ctx(), password_id);
        return vec![Request::CancelServerImport];
    } else if import && !running {
        match d.check() {
            Ok(_) => {
                forget_password_field(ui.ctx(), password_id);
                return vec![Request::ImportServer];
            }
            Err(e) => d.error = Some(e),
        }
    }
    Vec::new()
}

/// Drop the state of the password field: egui keeps earlier texts in its undo history (in
/// memory only; it is not persisted).
fn forget_password_field(ctx: &egui::Context, id: Option<egui::Id>) {
    if let Some(id) = id {
        ctx.data_mut(|d| d.remove::<egui::text_edit::TextEditState>(id));
    }
}
