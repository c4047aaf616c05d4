//! Any schema source, read into a project: a project file, a SQL script, an SQLite database
//! file, or (for a caller that takes one) a live server URL. What an input is gets decided
//! here only, by [`SchemaSource::of`], for the command line (`diff` reads any file; `merge`,
//! `check` and the other commands read projects) and for the studio (Compare, and whether a
//! dropped file is opened or imported).
//!
//! An input is, in this order:
//!
//! 1. a `postgres://`, `postgresql://`, `mysql://` or `mariadb://` URL, when the caller takes
//!    servers ([`Accept::FilesAndServers`]);
//! 2. an SQLite database, when the file starts with the SQLite header (whatever its name);
//! 3. a project, when its extension is `.ron` (in any case: `.RON` too);
//! 4. a SQL script, when its extension is `.sql` (in any case);
//! 5. a project, when it cannot be read (missing, a directory, a device, a pipe): loading it
//!    says why;
//! 6. a project, when its text starts like one (`(` after white space, comments and
//!    `#![enable(...)]`): a project under another name, such as a `.bak` or the temporary file
//!    git gives a merge driver;
//! 7. otherwise [`SchemaSource::Unknown`]: read as a SQL script when that imports something,
//!    else as a project (whose error then says what is wrong with it).
//!
//! A caller that takes only projects ([`Accept::Projects`]) reads every input as a project.

use crate::model::{Dialect, Project};
use crate::project_file::{self, LoadError};
use crate::sql::import::source::{ImportSource, LiveOptions, LiveUrl, SourceError};
use crate::sql::import::{ImportNote, ImportResult};
use std::path::{Path, PathBuf};

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What a caller reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accept {
    /// Project files only: every input is read as one (commands that save the project back,
    /// or match by stable id).
    Projects,
    /// Project files, SQL scripts and SQLite database files (`crowfoot diff`, the studio's
    /// Compare).
    Files,
    /// [`Accept::Files`] and server URLs.
    FilesAndServers,
}

/// What an input is: [`SchemaSource::of`].
#[derive(Debug)]
pub enum SchemaSource {
    /// A project file.
    Project(PathBuf),
    /// A SQL script, an SQLite database file or a server, imported on the fly.
    Import(ImportSource),
    /// A readable file that neither its name nor its first bytes identify: imported as a SQL
    /// script when that gives anything, else loaded as a project.
    Unknown(PathBuf),
}

/// A schema read from a [`SchemaSource`].
#[derive(Debug)]
pub struct LoadedSchema {
    pub project: Project,
    /// The dialect of an imported source (`None` for a project file).
    pub dialect: Option<Dialect>,
    /// The import report (empty for a project file).
    pub report: Vec<ImportNote>,
}

impl LoadedSchema {
    fn of_project(project: Project) -> LoadedSchema {
        LoadedSchema {
            project,
            dialect: None,
            report: Vec::new(),
        }
    }

    fn of_import(r: ImportResult) -> LoadedSchema {
        LoadedSchema {
            project: r.project,
            dialect: Some(r.dialect),
            report: r.report,
        }
    }
}

/// Why a schema could not be read; the message names the file or the (redacted) URL.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error(transparent)]
    Project(#[from] LoadError),
    #[error(transparent)]
    Import(#[from] SourceError),
}

impl SchemaSource {
    /// What `path` is for a caller that reads `accept` (see the module docs). Reads at most
    /// the first 4 KiB of a regular file; never blocks on a pipe.
    pub fn of(path: &Path, accept: Accept) -> SchemaSource {
        if accept == Accept::Projects {
            return SchemaSource::Project(path.to_path_buf());
        }
        if accept == Accept::FilesAndServers
            && let Some(url) = path.to_str().and_then(LiveUrl::new)
        {
            return SchemaSource::Import(ImportSource::Live(url));
        }
        let has_extension = |x: &str| path.extension().is_some_and(|e| e.eq_ignore_ascii_case(x));
        let head = read_head(path);
        let file = path.to_path_buf();
        if head.as_deref().is_some_and(|h| h.starts_with(SQLITE_MAGIC)) {
            SchemaSource::Import(ImportSource::SqliteFile(file))
        } else if has_extension("ron") {
            SchemaSource::Project(file)
        } else if has_extension("sql") {
            SchemaSource::Import(ImportSource::Script(file))
        } else if head.as_deref().is_none_or(starts_like_project) {
            SchemaSource::Project(file)
        } else {
            SchemaSource::Unknown(file)
        }
    }

    /// Is it read as a project file (the studio opens such a dropped file, and imports the
    /// others)?
    pub fn is_project(&self) -> bool {
        matches!(self, SchemaSource::Project(_))
    }

    /// Read it: a project file is loaded, anything else imported (its dialect detected; a
    /// server read with `live`).
    pub fn load(&self, live: &LiveOptions) -> Result<LoadedSchema, SchemaError> {
        match self {
            SchemaSource::Project(path) => Ok(LoadedSchema::of_project(project_file::load(path)?)),
            SchemaSource::Import(source) => {
                Ok(LoadedSchema::of_import(source.import_with(None, live)?))
            }
            SchemaSource::Unknown(path) => match ImportSource::Script(path.clone()).import(None) {
                Ok(r) if imported_anything(&r.project) => Ok(LoadedSchema::of_import(r)),
                _ => Ok(LoadedSchema::of_project(project_file::load(path)?)),
            },
        }
    }
}

/// Read the schema at `path` for a caller that reads `accept`: [`SchemaSource::of`], then
/// [`SchemaSource::load`] (a server with the default [`LiveOptions`]).
pub fn load_schema(path: &Path, accept: Accept) -> Result<LoadedSchema, SchemaError> {
    SchemaSource::of(path, accept).load(&LiveOptions::default())
}

/// A table, view, enum, sequence or SQL statement kept as it is.
fn imported_anything(p: &Project) -> bool {
    p.table_count() > 0
        || p.views().next().is_some()
        || p.enums().next().is_some()
        || p.sequences().next().is_some()
        || p.extra_sql().next().is_some()
}

/// The first 4 KiB of a regular file; `None` when it is not one or cannot be read.
fn read_head(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// Does this text start like a project file: `(` after white space, `//` and `/* */`
/// comments and `#![...]` attributes (`#![enable(implicit_some)]`)?
fn starts_like_project(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(&text);
    loop {
        rest = rest.trim_start();
        let skipped = if let Some(r) = rest.strip_prefix("//") {
            r.split_once('\n').map_or("", |(_, after)| after)
        } else if let Some(r) = rest.strip_prefix("/*") {
            r.split_once("*/").map_or("", |(_, after)| after)
        } else if let Some(r) = rest.strip_prefix("#![") {
            r.split_once(']').map_or("", |(_, after)| after)
        } else {
            return rest.starts_with('(');
        };
        rest = skipped;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_starts_with_a_parenthesis_after_comments_and_attributes() {
        for text in [
            "(format_version: 2)",
            "#![enable(implicit_some)]\n(\n  format_version: 1,",
            "\u{feff}  // exported\n/* by hand */ #![enable(unwrap_newtypes)] (",
        ] {
            assert!(starts_like_project(text.as_bytes()), "{text:?}");
        }
        for text in [
            "",
            "CREATE TABLE t (id int);",
            "-- pg_dump\nSET x = 1;",
            "/*!40101 SET NAMES utf8 */;\nCREATE TABLE t (id int);",
            "PRAGMA foreign_keys=OFF;",
            "// only a comment",
        ] {
            assert!(!starts_like_project(text.as_bytes()), "{text:?}");
        }
    }

    #[test]
    fn what_an_input_is() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let write = |name: &str, text: &[u8]| {
            let p = d.join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let project = b"#![enable(implicit_some)]\n(format_version: 2, name: \"x\")";
        let script = b"CREATE TABLE t (id int);";
        let mut db = SQLITE_MAGIC.to_vec();
        db.resize(100, 0);
        let kind = |p: &Path, accept| match SchemaSource::of(p, accept) {
            SchemaSource::Project(_) => "project",
            SchemaSource::Import(ImportSource::Script(_)) => "script",
            SchemaSource::Import(ImportSource::SqliteFile(_)) => "sqlite",
            SchemaSource::Import(ImportSource::Live(_)) => "live",
            SchemaSource::Unknown(_) => "unknown",
        };
        let files = Accept::Files;
        assert_eq!(kind(&write("a.ron", project), files), "project");
        assert_eq!(kind(&write("b.RON", script), files), "project");
        assert_eq!(kind(&write("c.ron.bak", project), files), "project");
        assert_eq!(kind(&write("merge_file_x", project), files), "project");
        assert_eq!(kind(&write("d.SQL", project), files), "script");
        assert_eq!(kind(&write("e.txt", script), files), "unknown");
        assert_eq!(kind(&write("f.ron", &db), files), "sqlite");
        assert_eq!(kind(&write("g", &db), files), "sqlite");
        assert_eq!(kind(&d.join("missing.db"), files), "project");
        assert_eq!(kind(&d.join("missing.sql"), files), "script");
        assert_eq!(kind(d, files), "project");
        assert_eq!(kind(&write("h.sql", script), Accept::Projects), "project");
        let url = Path::new("postgres://u@localhost/db");
        assert_eq!(kind(url, files), "project");
        assert_eq!(kind(url, Accept::FilesAndServers), "live");
    }

    #[test]
    fn an_unknown_file_is_a_script_when_it_imports_something_else_a_project() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let script = d.join("schema.txt");
        std::fs::write(&script, "CREATE TABLE t (id int PRIMARY KEY);").unwrap();
        let s = load_schema(&script, Accept::Files).unwrap();
        assert!(s.dialect.is_some());
        assert!(s.project.table_by_name(None, "t").is_some());
        let prose = d.join("notes.txt");
        std::fs::write(&prose, "Nothing here is SQL.").unwrap();
        let e = load_schema(&prose, Accept::Files).unwrap_err();
        assert!(matches!(e, SchemaError::Project(_)), "{e}");
    }
}
