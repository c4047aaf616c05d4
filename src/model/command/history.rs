//! Undo/redo stacks of inverse commands.

use super::*;

/// Undo/redo stacks of inverse commands.
#[derive(Default, Debug, Clone)]
pub struct History {
    undo: Vec<(String, Command)>,
    redo: Vec<(String, Command)>,
    /// Merge key of the newest undo entry (see [`History::apply_merging`]).
    merge_key: Option<String>,
}

impl History {
    /// Apply `cmd` and record its inverse; clears the redo stack.
    pub fn apply(&mut self, p: &mut Project, cmd: Command) -> Result<(), ModelError> {
        self.apply_merging(p, cmd, None)
    }

    /// Like [`History::apply`], but consecutive edits with the same `merge_key` (typing in one
    /// field, nudging with arrow keys) become one undo step that restores the state before the
    /// first of them.
    pub fn apply_merging(
        &mut self,
        p: &mut Project,
        cmd: Command,
        merge_key: Option<String>,
    ) -> Result<(), ModelError> {
        let label = cmd.label();
        let inv = cmd.apply(p)?;
        let merge = merge_key.is_some() && merge_key == self.merge_key && !self.undo.is_empty();
        if merge {
            // Keep the older inverse: it undoes the whole run of edits.
            if let Some(last) = self.undo.last_mut() {
                last.0 = label;
            }
        } else {
            self.undo.push((label, inv));
        }
        self.merge_key = merge_key;
        self.redo.clear();
        Ok(())
    }

    /// End any run of merged edits (the next edit starts a new undo step).
    pub fn seal(&mut self) {
        self.merge_key = None;
    }

    /// Undo the last edit; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self, p: &mut Project) -> Result<Option<String>, ModelError> {
        let History {
            undo,
            redo,
            merge_key,
        } = self;
        Self::step(p, undo, redo, merge_key)
    }

    pub fn redo(&mut self, p: &mut Project) -> Result<Option<String>, ModelError> {
        let History {
            undo,
            redo,
            merge_key,
        } = self;
        Self::step(p, redo, undo, merge_key)
    }

    /// Apply the last command of `from` and push its inverse on `to`; a command that fails
    /// stays where it was.
    fn step(
        p: &mut Project,
        from: &mut Vec<(String, Command)>,
        to: &mut Vec<(String, Command)>,
        merge_key: &mut Option<String>,
    ) -> Result<Option<String>, ModelError> {
        *merge_key = None;
        let Some((label, cmd)) = from.pop() else {
            return Ok(None);
        };
        match cmd.clone().apply(p) {
            Ok(inverse) => {
                to.push((label.clone(), inverse));
                Ok(Some(label))
            }
            Err(e) => {
                from.push((label, cmd));
                Err(e)
            }
        }
    }

    /// The command Undo would apply (the inverse of the last edit).
    pub fn next_undo(&self) -> Option<&Command> {
        self.undo.last().map(|(_, c)| c)
    }

    /// The command Redo would apply.
    pub fn next_redo(&self) -> Option<&Command> {
        self.redo.last().map(|(_, c)| c)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|(l, _)| l.as_str())
    }
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|(l, _)| l.as_str())
    }
}
