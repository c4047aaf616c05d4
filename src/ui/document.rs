//! The open document: project, undo history, file path and dirty state. No widgets here.
//! The project changes only through `apply`/`apply_merging`/`undo`/`redo` (one door for
//! every edit); new ids come from `Project::alloc_id`, which needs only a shared reference.

use crate::model::{Command, History, ModelError, Project};
use std::path::PathBuf;

pub struct Document {
    project: Project,
    history: History,
    pub path: Option<PathBuf>,
    /// Increases with every change; caches compare it.
    version: u64,
    saved_version: u64,
}

impl Document {
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        Document {
            project,
            history: History::default(),
            path,
            version: 1,
            saved_version: 1,
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

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn is_dirty(&self) -> bool {
        self.version != self.saved_version
    }

    /// Mark as unsaved (a recovered document differs from its file).
    pub fn force_dirty(&mut self) {
        self.version += 1;
    }

    pub fn mark_saved(&mut self) {
        self.saved_version = self.version;
    }

    /// Apply an edit through the history (undoable).
    pub fn apply(&mut self, cmd: Command) -> Result<(), ModelError> {
        self.history.apply(&mut self.project, cmd)?;
        self.version += 1;
        Ok(())
    }

    /// Apply an edit that merges with the previous one of the same key into one undo step.
    pub fn apply_merging(&mut self, cmd: Command, key: String) -> Result<(), ModelError> {
        self.history
            .apply_merging(&mut self.project, cmd, Some(key))?;
        self.version += 1;
        Ok(())
    }

    pub fn undo(&mut self) -> Result<Option<String>, ModelError> {
        let r = self.history.undo(&mut self.project)?;
        if r.is_some() {
            self.version += 1;
        }
        Ok(r)
    }

    pub fn redo(&mut self) -> Result<Option<String>, ModelError> {
        let r = self.history.redo(&mut self.project)?;
        if r.is_some() {
            self.version += 1;
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
