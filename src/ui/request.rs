//! How the canvas, the panels and the dialogs change things: they read the studio through a
//! [`View`] (shared references: nothing in it can change the project, the selection or the
//! preferences) and return the [`Request`]s their gestures make. `Studio::handle` carries them
//! out in one place, with one status line: an applied edit shows its label, a failed one its
//! error; nothing is dropped.
//!
//! The convention, as in egui_demo_app: a panel is a struct holding its own state (drafts,
//! typed text, caches) with `fn ui(&mut self, view: &View, ui: &mut Ui) -> Vec<Request>`.

use super::actions::Action;
use super::compare::Comparison;
use super::document::Document;
use super::import::ImportReport;
use super::selection::Selection;
use super::studio::{BottomTab, Prefs};
use crate::analysis::check::Problem;
use crate::model::{AreaId, ColumnId, Command, Dialect, NoteId, Position, Project, TableId};

/// Something a panel, the canvas or a dialog asks the studio to do.
#[derive(Debug)]
pub enum Request {
    /// Apply an edit (one undo step).
    Apply(Command),
    /// Apply an edit that merges with the previous one of the same key into one undo step
    /// (typing in a field).
    ApplyMerging(Command, String),
    /// Apply an edit; when it went through, carry out `then` too (select what it made, a
    /// status, a panel's follow-up). When it failed, the error shows and `then` is dropped.
    ApplyThen(Command, Vec<Request>),
    /// Run an action, as its menu item would.
    Run(Action),
    /// Show this in the status line.
    Status(String),
    /// Select a table (and one of its columns) and move the view to it.
    Reveal(TableId, Option<ColumnId>),
    /// Select this column (and its table only).
    SelectColumn(TableId, ColumnId),
    /// Select these tables only.
    SelectOnly(Vec<TableId>),
    /// Add these tables to the selection.
    AddToSelection(Vec<TableId>),
    /// Give keyboard focus to this column's name field in the inspector.
    FocusColumn(ColumnId),
    /// Start renaming this table on the canvas.
    StartRename(TableId),
    /// Link `column` of `from` to `to` (a row of it when `to_column`), a canvas drag; the
    /// studio applies or asks, see `model::edit::plan_link`.
    Link {
        from: TableId,
        column: ColumnId,
        to: TableId,
        to_column: Option<ColumnId>,
    },
    /// Open the note or area editor.
    EditNote(NoteId),
    EditArea(AreaId),
    BottomTab(BottomTab),
    DdlDialect(Dialect),
    /// Remember the PostgreSQL server URL of the index advisor (preferences only).
    PgUrl(String),
    /// Show or hide the last import's report.
    ShowImportReport(bool),
    /// Open the migration dialog (from the compared version to this project).
    OpenMigration,
    CloseMigration,
    /// Import this file (`None`: detect the dialect), after the unsaved-changes question.
    Import(std::path::PathBuf, Option<Dialect>),
    /// Start the import of File ▸ Import from server…, after the unsaved-changes question.
    ImportServer,
    /// Close the import dialog without importing.
    CancelImport,
    /// Close the server import dialog (a running import's result is dropped).
    CancelServerImport,
    /// Ask for a sample file for dependency discovery (Normalize tab).
    PickSample,
    /// Save `bytes` to a file the user picks (`what` names it, `ext` is its extension).
    Export {
        what: &'static str,
        ext: &'static str,
        bytes: Vec<u8>,
    },
    /// A panel's own follow-up to an edit that went through (see `ApplyThen`).
    Done(Done),
}

impl Request {
    /// A new table (`model::edit::new_table_at`) at `at` on the canvas, selected alone and
    /// being renamed.
    pub fn new_table_at(p: &Project, at: Position) -> Request {
        let (cmd, id) = crate::model::edit::new_table_at(p, at);
        Request::ApplyThen(
            cmd,
            vec![Request::SelectOnly(vec![id]), Request::StartRename(id)],
        )
    }

    /// A new column at the end of table `t` (`model::edit::new_column`), selected, its name
    /// field focused in the inspector.
    pub fn add_column(p: &Project, t: TableId) -> Option<Request> {
        let (cmd, id) = crate::model::edit::new_column(p, t)?;
        Some(Request::ApplyThen(
            cmd,
            vec![Request::SelectColumn(t, id), Request::FocusColumn(id)],
        ))
    }
}

/// What a panel does once its edit went through.
#[derive(Debug)]
pub enum Done {
    /// Normalize: the typed dependency was declared (clear the field).
    DependencyDeclared,
    /// Normalize: the ticked discoveries were declared (untick them).
    DiscoveriesAccepted,
    /// Indexes: the draft was saved (close the editor).
    IndexSaved,
}

/// What panels read: the studio's state, shared. Expensive results (problems, DDL preview)
/// are computed by the studio before it draws the panels that show them.
pub struct View<'a> {
    pub doc: &'a Document,
    pub sel: &'a Selection,
    pub prefs: &'a Prefs,
    pub comparison: Option<&'a Comparison>,
    pub import_report: Option<&'a ImportReport>,
    /// The problems of the current version (empty until the studio computed them).
    pub problems: &'a [Problem],
    /// The DDL preview of the selection, when the studio computed it.
    pub ddl: Option<&'a str>,
}

impl View<'_> {
    /// Whether action `a` can run now: asked by the menus, the command palette and `run`.
    pub fn is_enabled(&self, a: Action) -> bool {
        match a {
            Action::Undo => self.doc.can_undo(),
            Action::Redo => self.doc.can_redo(),
            Action::Delete | Action::ZoomToSelection | Action::Copy => !self.sel.tables.is_empty(),
            _ if a.nudge().is_some() => !self.sel.tables.is_empty(),
            Action::ManyToMany => self.sel.tables.len() == 2,
            Action::Focus => !self.sel.tables.is_empty(),
            Action::AddColumn | Action::Rename => self.sel.single().is_some(),
            Action::ImportReport => self.import_report.is_some(),
            Action::ClearComparison => self.comparison.is_some(),
            _ => true,
        }
    }
}
