//! Compare the open project with another version (a project file or a SQL script / SQLite
//! database, imported on the fly): `sql::diff` from that version to this one, added tables
//! outlined green and changed ones amber on the canvas, and the change list in the bottom
//! panel (click a line to go to its table).

use crate::model::{Project, TableId};
use crate::sql::diff::{MatchMode, diff_by};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub const ADDED: egui::Color32 = egui::Color32::from_rgb(0x2e, 0xb8, 0x4f);
pub const CHANGED: egui::Color32 = egui::Color32::from_rgb(0xf0, 0xa0, 0x20);

/// The differences from another version to the open project.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    /// What it was compared with (file name).
    pub other: String,
    pub added: BTreeSet<TableId>,
    /// Changed tables with their change lines.
    pub changed: BTreeMap<TableId, Vec<String>>,
    /// Every change, one line each (`+ table x`, `~ column x.y: type`, ...).
    pub lines: Vec<(String, Option<TableId>)>,
    /// The other version itself (the migration dialog goes from it to the open project).
    pub base: std::sync::Arc<Project>,
}

impl Comparison {
    /// Compare `current` with `other`: ids when they share them (the same project's history),
    /// names otherwise (separately imported schemas).
    pub fn new(other_name: &str, other: &Project, current: &Project) -> Comparison {
        let mode = None::<MatchMode>;
        let d = diff_by(other, current, mode);
        let mut c = Comparison {
            other: other_name.to_string(),
            base: std::sync::Arc::new(other.clone()),
            ..Comparison::default()
        };
        for t in &d.tables_added {
            c.added.insert(t.id);
        }
        for t in &d.tables_changed {
            c.changed.insert(t.new_id, Vec::new());
        }
        // Each summary line goes with the table it names.
        let tables: Vec<(String, TableId)> = current
            .tables()
            .map(|t| (t.qualified_name(), t.id))
            .collect();
        for line in d.summary() {
            let object = line.split_whitespace().nth(2).unwrap_or("");
            let table = tables
                .iter()
                .filter(|(n, _)| object == n || object.starts_with(&format!("{n}.")))
                .max_by_key(|(n, _)| n.len())
                .map(|(_, id)| *id);
            if let Some(id) = table
                && let Some(v) = c.changed.get_mut(&id)
            {
                v.push(line.clone());
            }
            c.lines.push((line, table));
        }
        c
    }

    pub fn count(&self) -> usize {
        self.lines.len()
    }

    /// Canvas outline colours.
    pub fn marks(&self) -> BTreeMap<TableId, egui::Color32> {
        self.added
            .iter()
            .map(|t| (*t, ADDED))
            .chain(self.changed.keys().map(|t| (*t, CHANGED)))
            .collect()
    }
}

/// Read the other version: a project file, a SQL script or an SQLite database (imported,
/// dialect detected), told apart as `crowfoot diff` does (`crate::source`).
pub fn load_other(path: &Path) -> Result<Project, String> {
    crate::source::load_schema(path, crate::source::Accept::Files)
        .map(|s| s.project)
        .map_err(|e| e.to_string())
}

/// The project file at `path` as it was in git revision `rev` (`HEAD`, `HEAD~3`, a branch, a
/// commit), read with `git show` in the file's directory.
pub fn load_revision(path: &Path, rev: &str) -> Result<Project, String> {
    let rev = rev.trim();
    if rev.is_empty() || rev.starts_with('-') {
        return Err("give a revision such as HEAD~1 or main".into());
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = path
        .file_name()
        .ok_or("the project has no file name")?
        .to_string_lossy();
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:./{file}"))
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    crate::project_file::from_ron_str(&text, &format!("{rev}:{file}")).map_err(|e| e.to_string())
}
