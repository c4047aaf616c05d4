//! Project files: RON text with a `format_version` header, deterministic output (objects in id
//! order, no hash maps), migrations for older versions, refusal of newer ones, and atomic saves
//! that keep a `NAME.ron.bak` of the previous file.

use crate::model::*;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The format version this build writes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    format_version: u32,
    name: String,
    #[serde(default)]
    settings: Settings,
    next_id: u64,
    #[serde(default)]
    enums: Vec<EnumType>,
    #[serde(default)]
    tables: Vec<Table>,
    #[serde(default)]
    foreign_keys: Vec<ForeignKey>,
    #[serde(default)]
    views: Vec<View>,
    #[serde(default)]
    notes: Vec<Note>,
    #[serde(default)]
    areas: Vec<Area>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    extra_sql: Vec<ExtraSql>,
}

#[derive(Deserialize)]
struct Header {
    format_version: u32,
}

/// Why a project could not be read. Every variant names the file; syntax errors carry line:column.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{col}: {message}")]
    Syntax {
        path: String,
        line: usize,
        col: usize,
        message: String,
    },
    #[error(
        "{path}: format_version {found} is newer than this Crowfoot supports ({supported}); \
         open it with a newer Crowfoot (the file was not changed)"
    )]
    NewerVersion {
        path: String,
        found: u32,
        supported: u32,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path}: cannot save: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .indentor("  ".to_string())
        .struct_names(false)
        .separate_tuple_members(false)
        .enumerate_arrays(false)
        .compact_arrays(true)
        .escape_strings(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// The project as the file holds it, as a JSON value (for model-aware merging).
pub fn to_value(p: &Project) -> serde_json::Value {
    serde_json::to_value(file_of(p)).expect("project values always serialize")
}

/// A project from [`to_value`]'s shape, validated as a loaded file is.
pub fn from_value(v: serde_json::Value, path: &str) -> Result<Project, LoadError> {
    let file: ProjectFile = serde_json::from_value(v).map_err(|e| LoadError::Invalid {
        path: path.to_string(),
        message: e.to_string(),
    })?;
    project_of(file, path)
}

/// Build and validate the project a file describes.
fn project_of(file: ProjectFile, path: &str) -> Result<Project, LoadError> {
    Project::from_parts(
        file.name,
        file.settings,
        file.next_id,
        file.enums,
        file.tables,
        file.foreign_keys,
        file.views,
        file.notes,
        file.areas,
        file.extra_sql,
    )
    .map_err(|e| LoadError::Invalid {
        path: path.to_string(),
        message: e.to_string(),
    })
}

fn file_of(p: &Project) -> ProjectFile {
    ProjectFile {
        format_version: FORMAT_VERSION,
        name: p.name().to_string(),
        settings: p.settings().clone(),
        next_id: p.next_id(),
        enums: p.enums().cloned().collect(),
        tables: p.tables().cloned().collect(),
        foreign_keys: p.foreign_keys().cloned().collect(),
        views: p.views().cloned().collect(),
        notes: p.notes().cloned().collect(),
        areas: p.areas().cloned().collect(),
        extra_sql: p.extra_sql().cloned().collect(),
    }
}

/// Serialize a project to RON text. Same project, same bytes.
pub fn to_ron_string(p: &Project) -> String {
    let file = file_of(p);
    let mut s = ron::ser::to_string_pretty(&file, pretty())
        .expect("project values always serialize (no maps with non-string-like keys)");
    s.push('\n');
    s
}

fn syntax_error(path: &str, text: &str, e: ron::error::SpannedError) -> LoadError {
    let (line, col) = first_token_at(text, e.span.start, e.span.end);
    LoadError::Syntax {
        path: path.to_string(),
        line,
        col,
        message: e.code.to_string(),
    }
}

/// ron's span for a bad value starts before the whitespace in front of it and ends where the
/// value starts; point at the first non-whitespace character from the start up to the end
/// (lines and columns are 1-based, in chars).
fn first_token_at(
    text: &str,
    start: ron::error::Position,
    end: ron::error::Position,
) -> (usize, usize) {
    let (mut line, mut col) = (1, 1);
    for c in text.chars() {
        if (line, col) > (end.line, end.col) {
            break;
        }
        if (line, col) >= (start.line, start.col) && !c.is_whitespace() {
            return (line, col);
        }
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (start.line, start.col)
}

/// Parse RON text; `path` is only used in messages.
pub fn from_ron_str(text: &str, path: &str) -> Result<Project, LoadError> {
    let header: Header = ron::from_str(text).map_err(|e| syntax_error(path, text, e))?;
    if header.format_version > FORMAT_VERSION {
        return Err(LoadError::NewerVersion {
            path: path.to_string(),
            found: header.format_version,
            supported: FORMAT_VERSION,
        });
    }
    // Older versions would be migrated here, one step at a time, on a `ron::Value`
    // (version 1 is the first released format, so there is nothing to migrate yet).
    let file: ProjectFile = ron::from_str(text).map_err(|e| syntax_error(path, text, e))?;
    project_of(file, path)
}

/// Read a project file.
pub fn load(path: &Path) -> Result<Project, LoadError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    from_ron_str(&text, &shown)
}

/// `NAME.ron` → `NAME.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

/// Write `text` to `path` atomically: a temporary file in the same directory is written and
/// fsynced, the previous file (if any) is copied to `path.bak`, then the temporary file is
/// renamed over `path` and the directory fsynced. A crash leaves either the old or the new file.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), SaveError> {
    write_atomic_bytes(path, text.as_bytes())
}

/// [`write_atomic`] for binary content (PNG exports).
pub fn write_atomic_bytes(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let io = |source| SaveError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into());
    let existing = std::fs::metadata(path).ok().map(|m| m.permissions());
    let prefix = format!(".{file_name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666 minus the umask, like any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(io)?;
    if let Some(perm) = existing {
        // Keep the mode of the file being replaced.
        tmp.as_file().set_permissions(perm).map_err(io)?;
    }
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    if path.exists() {
        std::fs::copy(path, backup_path(path)).map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(&dir) {
        // Persist the rename itself; failure here does not undo the save.
        let _ = d.sync_all();
    }
    Ok(())
}

/// Save a project atomically (see [`write_atomic`]).
pub fn save(p: &Project, path: &Path) -> Result<(), SaveError> {
    write_atomic(path, &to_ron_string(p))
}
