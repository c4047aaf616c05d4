//! The open document: project, undo history, file path and dirty state. No widgets here.

use crate::model::{Command, History, ModelError, Project};
use std::path::PathBuf;

pub struct Document {
    pub project: Project,
    pub history: History,
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
