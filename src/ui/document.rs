//! The open document: project, undo history, file path and dirty state. No widgets here.
//! The project changes only through `apply`/`apply_merging`/`undo`/`redo` (one door for
//! every edit); new ids come from `Project::alloc_id`, which needs only a shared reference.

use crate::model::{Command, History, ModelError, Project, TableId};
use std::collections::{BTreeSet, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// Versions are unique across documents (a cache kept from another document never matches).
static VERSIONS: AtomicU64 = AtomicU64::new(1);

fn next_version() -> u64 {
    VERSIONS.fetch_add(1, Ordering::Relaxed)
}

/// How many recent changes [`Document::tables_changed_since`] can look back over.
const CHANGE_LOG: usize = 64;

/// One change: the version before and after it, and the tables it touched (`None`: more than
/// tables' own content, see [`Command::touched_tables`]).
type Change = (u64, u64, Option<BTreeSet<TableId>>);

pub struct Document {
    project: Project,
    history: History,
    pub path: Option<PathBuf>,
    /// Increases with every change; caches compare it.
    version: u64,
    saved_version: u64,
    /// The last `CHANGE_LOG` changes, oldest first.
    changes: VecDeque<Change>,
}

impl Document {
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        let version = next_version();
        Document {
            project,
            history: History::default(),
            path,
            version,
            saved_version: version,
            changes: VecDeque::new(),
        }
    }

    /// The project, to read (edits go through [`Document::apply`]).
    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// What Undo would take back.
    pub fn undo_label(&self) -> Option<&str> {
        self.history.undo_label()
    }

    /// What Redo would do again.
    pub fn redo_label(&self) -> Option<&str> {
        self.history.redo_label()
    }

    /// Changes with every edit, undo and redo; unique across documents.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The tables changed since `version` when only tables' own content or positions changed
    /// (see [`Command::touched_tables`]); `None` when something else changed too, or when
    /// `version` is not one of this document's recent ones: then rebuild from scratch.
    pub fn tables_changed_since(&self, version: u64) -> Option<BTreeSet<TableId>> {
        if version == self.version {
            return Some(BTreeSet::new());
        }
        let start = self.changes.iter().position(|c| c.0 == version)?;
        let mut all = BTreeSet::new();
        for (_, _, touched) in self.changes.iter().skip(start) {
            all.extend(touched.as_ref()?.iter().copied());
        }
        Some(all)
    }

    /// Move to a new version, recording what changed.
    fn bump(&mut self, touched: Option<BTreeSet<TableId>>) {
        let next = next_version();
        self.changes.push_back((self.version, next, touched));
        if self.changes.len() > CHANGE_LOG {
            self.changes.pop_front();
        }
        self.version = next;
    }

    pub fn is_dirty(&self) -> bool {
        self.version != self.saved_version
    }

    /// Mark as unsaved (a recovered document differs from its file).
    pub fn force_dirty(&mut self) {
        self.bump(Some(BTreeSet::new()));
    }

    pub fn mark_saved(&mut self) {
        self.saved_version = self.version;
    }

    /// Apply an edit through the history (undoable).
    pub fn apply(&mut self, cmd: Command) -> Result<(), ModelError> {
        let touched = cmd.touched_tables();
        self.history.apply(&mut self.project, cmd)?;
        self.bump(touched);
        Ok(())
    }

    /// Apply an edit that merges with the previous one of the same key into one undo step.
    pub fn apply_merging(&mut self, cmd: Command, key: String) -> Result<(), ModelError> {
        let touched = cmd.touched_tables();
        self.history
            .apply_merging(&mut self.project, cmd, Some(key))?;
        self.bump(touched);
        Ok(())
    }

    pub fn undo(&mut self) -> Result<Option<String>, ModelError> {
        let touched = self.history.next_undo().and_then(Command::touched_tables);
        let r = self.history.undo(&mut self.project)?;
        if r.is_some() {
            self.bump(touched);
        }
        Ok(r)
    }

    pub fn redo(&mut self) -> Result<Option<String>, ModelError> {
        let touched = self.history.next_redo().and_then(Command::touched_tables);
        let r = self.history.redo(&mut self.project)?;
        if r.is_some() {
            self.bump(touched);
        }
        Ok(r)
    }

    /// Display name: file name or project name.
    pub fn title(&self) -> String {
        match &self.path {
            Some(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string()),
            None => self.project.name().to_string(),
        }
    }
}
