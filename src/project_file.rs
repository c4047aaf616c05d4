//! Project files: RON text with a `format_version` header, deterministic output (objects in id
//! order, no hash maps), migrations for older versions, refusal of newer ones, and atomic saves
//! that keep a `NAME.ron.bak` of the previous file.

use crate::model::*;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The newest format version this build reads and writes. Version 2 added sequences,
/// version 3 the skew estimate (`most_common` of a column's estimates), version 4 the
/// tables' privacy and distribution roles (`data_subject`, `distribution`); a project without
/// them is still written as the older version, so older builds keep opening it (and one
/// with them is refused by them as newer, rather than losing them).
pub const FORMAT_VERSION: u32 = 4;

/// The version a project is written as: the oldest that holds everything it has.
fn version_for(p: &Project) -> u32 {
    let skew = p.tables().any(|t| {
        t.stats
            .as_ref()
            .is_some_and(|s| s.columns.iter().any(|c| c.most_common.is_some()))
    });
    if p.tables()
        .any(|t| t.data_subject || t.distribution.is_some())
    {
        4
    } else if skew {
        3
    } else if p.sequences().next().is_some() {
        2
    } else {
        1
    }
}

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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sequences: Vec<Sequence>,
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
    #[error(
        "{path}: cannot save: could not make the backup {backup}: {source} (nothing was \
         changed: {path} and the previous backup are as they were)"
    )]
    Backup {
        path: String,
        backup: String,
        source: std::io::Error,
    },
    #[error(
        "{path}: not overwritten: it is a project file of format_version {found}, newer than \
         this Crowfoot writes ({supported}); choose another output"
    )]
    NewerVersion {
        path: String,
        found: u64,
        supported: u32,
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
    project_of(file, path, None)
}

/// The 1-based line of the `nth` (0-based) whole-token occurrence of `needle` in `text`, where
/// `def` says whether the occurrence must be an id definition (`id: N`).
fn line_of_token(text: &str, needle: &str, nth: usize, def: bool) -> Option<usize> {
    let mut seen = 0;
    for (i, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(p) = line[from..].find(needle) {
            let at = from + p;
            let end = at + needle.len();
            let before = line[..at].chars().next_back();
            let after = line[end..].chars().next();
            let token = !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_');
            let is_def =
                line[..at].trim_end().ends_with("id:") && !line[..at].trim_end().ends_with("_id:");
            if token && is_def == def {
                if seen == nth {
                    return Some(i + 1);
                }
                seen += 1;
            }
            from = end;
        }
    }
    None
}

/// Where in the file a model error is: the second definition of a duplicate id, the first
/// reference to a missing one, the table a message names.
fn locate(text: &str, e: &ModelError) -> Option<usize> {
    match e {
        ModelError::DuplicateId(id) => line_of_token(text, &id.to_string(), 1, true),
        ModelError::NoTable(t) => line_of_token(text, &t.0.to_string(), 0, false),
        ModelError::NoColumn(_, c) => line_of_token(text, &c.0.to_string(), 0, false),
        ModelError::NoForeignKey(f) => line_of_token(text, &f.0.to_string(), 0, false),
        ModelError::NoIndex(_, i) => line_of_token(text, &i.0.to_string(), 0, false),
        ModelError::NoConstraint(_, c) => line_of_token(text, &c.0.to_string(), 0, false),
        ModelError::Missing(_, id) => line_of_token(text, &id.to_string(), 0, false),
        ModelError::Invalid(m) => {
            let name = m.strip_prefix("table `")?.split('`').next()?;
            let quoted = format!(
                "name: \"{}\"",
                name.replace('\\', "\\\\").replace('"', "\\\"")
            );
            text.lines()
                .position(|l| l.contains(&quoted))
                .map(|i| i + 1)
        }
    }
}

/// Build and validate the project a file describes (`text`: the file, to locate errors).
fn project_of(file: ProjectFile, path: &str, text: Option<&str>) -> Result<Project, LoadError> {
    Project::from_parts(ProjectParts {
        name: file.name,
        settings: file.settings,
        next_id: file.next_id,
        enums: file.enums,
        sequences: file.sequences,
        tables: file.tables,
        foreign_keys: file.foreign_keys,
        views: file.views,
        notes: file.notes,
        areas: file.areas,
        extra_sql: file.extra_sql,
    })
    .map_err(|e| match text.and_then(|t| locate(t, &e)) {
        Some(line) => LoadError::Invalid {
            path: format!("{path}:{line}"),
            message: e.to_string(),
        },
        None => LoadError::Invalid {
            path: path.to_string(),
            message: e.to_string(),
        },
    })
}

fn file_of(p: &Project) -> ProjectFile {
    ProjectFile {
        format_version: version_for(p),
        name: p.name().to_string(),
        settings: p.settings().clone(),
        next_id: p.next_id(),
        enums: p.enums().cloned().collect(),
        sequences: p.sequences().cloned().collect(),
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
    let message = match e.code {
        // ron's text suggests a crate to the programmer; the user needs the fact.
        ron::Error::ExceededRecursionLimit => {
            "nested too deeply (more than ron's limit of nested values): this is not a \
             Crowfoot project file, or it is damaged"
                .to_string()
        }
        code => code.to_string(),
    };
    LoadError::Syntax {
        path: path.to_string(),
        line,
        col,
        message,
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
    let newer = |found| LoadError::NewerVersion {
        path: path.to_string(),
        found,
        supported: FORMAT_VERSION,
    };
    // One parse when the file reads (parsing is most of the time of opening a big project:
    // 80 MB for 50,000 tables); only a file that does not is read again for its version, so
    // that a newer version's file is reported as newer rather than by what is new in it.
    // Older versions would be migrated here, one step at a time, on a `ron::Value`
    // (version 2 only added the optional `sequences`, so version 1 reads as it is).
    match ron::from_str::<ProjectFile>(text) {
        Ok(file) if file.format_version > FORMAT_VERSION => Err(newer(file.format_version)),
        Ok(file) => project_of(file, path, Some(text)),
        Err(e) => match ron::from_str::<Header>(text) {
            Ok(h) if h.format_version > FORMAT_VERSION => Err(newer(h.format_version)),
            Err(header_error) => Err(syntax_error(path, text, header_error)),
            Ok(_) => Err(syntax_error(path, text, e)),
        },
    }
}

/// Read a project file.
pub fn load(path: &Path) -> Result<Project, LoadError> {
    let shown = path.display().to_string();
    crate::input::check_input_file(path).map_err(|message| LoadError::Invalid {
        path: shown.clone(),
        message,
    })?;
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    if bytes.starts_with(b"SQLite format 3\0") {
        return Err(LoadError::Invalid {
            path: shown,
            message: "is an SQLite database, not a project file: import it with `crowfoot \
                      import` (diff and the studio's Compare read it directly)"
                .into(),
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // Valid up to here, so this slice is text.
        let before = std::str::from_utf8(good).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        LoadError::Syntax {
            path: shown.clone(),
            line,
            col,
            message: format!(
                "not UTF-8 text (byte 0x{:02x}); project files are UTF-8",
                e.as_bytes()[good.len()]
            ),
        }
    })?;
    from_ron_str(&text, &shown)
}

/// `NAME.ron` → `NAME.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".bak");
    PathBuf::from(s)
}

/// Write `text` to `path` atomically (see [`write_atomic_bytes`]).
pub fn write_atomic(path: &Path, text: &str) -> Result<(), SaveError> {
    write_atomic_bytes(path, text.as_bytes())
}

/// [`write_atomic`] for binary content (PNG exports). A temporary file in the same directory
/// is written and fsynced; the previous file (if any) becomes `path.bak`, atomically too (a
/// hard link, or a complete copy, under a temporary name renamed over the backup); then the
/// temporary file is renamed over `path` and the directory fsynced. A crash or a full disk at
/// any point leaves the old file and the old or new backup, never a cut one.
///
/// Symlinks: a `path` that is a symlink is resolved once and its target written (the link
/// stays a link); the backup and temporary names are never followed (a symlink planted at
/// `path.bak` is replaced, its target untouched). Temporary files a killed save left behind
/// are removed by the next save.
pub fn write_atomic_bytes(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_file(path, bytes, true)
}

/// [`write_atomic_bytes`] without a `.bak` (git's merge driver writes a temporary file).
pub fn write_atomic_no_backup(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_file(path, bytes, false)
}

/// Follow `path` while it is a symlink (at most 40 links) to the file it designates.
pub fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// How old a temporary file of an earlier save must be before a save removes it (a save in
/// progress in another process is younger).
const STALE_TEMP_SECS: u64 = 600;

/// Remove `.NAME.*.tmp` files of earlier saves that were killed (older than
/// [`STALE_TEMP_SECS`]). Failures are ignored: they only leave litter.
fn remove_stale_temps(dir: &Path, file_name: &str) {
    let prefix = format!(".{file_name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        // `.NAME.` + 6 random characters + `.tmp` or `.baktmp`: exactly what saves create.
        let random = rest
            .strip_suffix(".tmp")
            .or_else(|| rest.strip_suffix(".baktmp"));
        if !random.is_some_and(|r| r.len() == 6 && r.chars().all(|c| c.is_ascii_alphanumeric())) {
            continue;
        }
        let old = e
            .metadata()
            .ok()
            .filter(|m| m.file_type().is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age.as_secs() >= STALE_TEMP_SECS);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Make `backup` an atomic copy of `target`: a hard link (or a full copy) under a temporary
/// name in `dir`, renamed over `backup`.
fn make_backup(target: &Path, backup: &Path, dir: &Path, file_name: &str) -> std::io::Result<()> {
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".baktmp")
        .rand_bytes(6)
        .make_in(dir, |p| {
            std::fs::hard_link(target, p).or_else(|_| {
                // No hard links here (some network or FUSE file systems): a complete copy,
                // created exclusively, fsynced.
                let mut out = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(p)?;
                let mut src = std::fs::File::open(target)?;
                std::io::copy(&mut src, &mut out)?;
                out.sync_all()
            })
        })?;
    // rename(2) replaces whatever is at `backup`, a symlink included, without following it.
    std::fs::rename(tmp.path(), backup)?;
    std::mem::forget(tmp); // renamed away: nothing to delete
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8], backup: bool) -> Result<(), SaveError> {
    let io = |source| SaveError::Io {
        path: path.display().to_string(),
        source,
    };
    let target = resolve_links(path).map_err(io)?;
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => return Err(io(std::io::Error::other("is a directory, not a file"))),
        Ok(m) if !m.is_file() => {
            return Err(io(std::io::Error::other(
                "is not a regular file (a device, pipe or socket): outputs are written \
                 atomically into regular files; leave out -o to write to standard output",
            )));
        }
        _ => {}
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".into());
    remove_stale_temps(&dir, &file_name);
    let existing = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let prefix = format!(".{file_name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp").rand_bytes(6);
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
    if backup && target.exists() {
        let bak = backup_path(&target);
        make_backup(&target, &bak, &dir, &file_name).map_err(|source| SaveError::Backup {
            path: path.display().to_string(),
            backup: bak.display().to_string(),
            source,
        })?;
    }
    tmp.persist(&target).map_err(|e| io(e.error))?;
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(&dir) {
        // Persist the rename itself; failure here does not undo the save.
        let _ = d.sync_all();
    }
    Ok(())
}

/// Save a project atomically (see [`write_atomic`]). A file of a newer format version at
/// `path` is not overwritten.
pub fn save(p: &Project, path: &Path) -> Result<(), SaveError> {
    refuse_newer(path)?;
    write_atomic(path, &to_ron_string(p))
}

/// [`save`] without a `.bak` (for git's merge driver, which hands over a temporary file).
pub fn save_no_backup(p: &Project, path: &Path) -> Result<(), SaveError> {
    refuse_newer(path)?;
    write_atomic_no_backup(path, to_ron_string(p).as_bytes())
}

/// The format version of the project file at `path`, read from its first few kilobytes, when
/// it is one.
pub fn format_version_of(path: &Path) -> Option<u64> {
    use std::io::Read;
    let f = std::fs::File::open(path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut head = Vec::new();
    f.take(4096).read_to_end(&mut head).ok()?;
    let head = String::from_utf8_lossy(&head);
    let rest = head.split_once("format_version")?.1.trim_start();
    let digits: String = rest
        .strip_prefix(':')?
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Refuse to overwrite a project file of a newer format version than this build writes (it
/// would lose what this build does not know).
pub fn refuse_newer(path: &Path) -> Result<(), SaveError> {
    match format_version_of(path) {
        Some(v) if v > u64::from(FORMAT_VERSION) => Err(SaveError::NewerVersion {
            path: path.display().to_string(),
            found: v,
            supported: FORMAT_VERSION,
        }),
        _ => Ok(()),
    }
}
