//! Where an import comes from: a SQL script, an SQLite database file, or a live PostgreSQL or
//! MySQL/MariaDB server given as a URL. One entry point, [`import_source`], for the CLI and the
//! studio.
//!
//! * A SQL script is read as text (invalid UTF-8 is replaced, not refused) and given to
//!   [`import_sql`].
//! * An SQLite database file (it starts with `SQLite format 3\0`) is opened read-only with
//!   rusqlite and its `sqlite_schema` statements are imported (tables first).
//! * A live server (`postgres://`, `postgresql://`, `mysql://`, `mariadb://`) is read with the
//!   server's own dump tool (`pg_dump --schema-only`, `mariadb-dump --no-data` or `mysqldump`),
//!   whose DDL is then imported. Why the dump tools and not a driver crate:
//!   docs/notes/live-import.md. The password comes from the URL, [`LiveOptions::password`]
//!   (`--password-stdin`, the studio's password field) or the environment (`PGPASSWORD`,
//!   `MYSQL_PWD`; `pg_dump` also reads `~/.pgpass`). It never appears on a command line (it
//!   goes through `PGPASSWORD`, or a private option file for MariaDB that is removed before the
//!   tool starts: `live_run`), and neither the URL nor the password is stored in the imported
//!   project: its name is the database name. A server that does not answer for
//!   [`LiveOptions::timeout`] stops the tool with [`SourceError::Timeout`]; the tools die with
//!   Crowfoot, even on `kill -9` (Linux).
//!
//! Nothing here panics: every failure is a [`SourceError`] with a message fit for a user.

use super::live_run::{self, OptionFile, RunError};
use super::{ImportResult, import_sql};
use crate::model::{Command, Dialect};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

mod live;
pub use live::*;

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What [`classify`] made of an import argument.
#[derive(Debug)]
pub enum ImportSource {
    /// A SQL script (or anything that is not recognized as something else).
    Script(PathBuf),
    /// An SQLite database file.
    SqliteFile(PathBuf),
    /// A live server.
    Live(LiveUrl),
}

impl ImportSource {
    /// How to name the source in messages: the path, or the URL with its password replaced by
    /// `***`.
    pub fn label(&self) -> String {
        match self {
            ImportSource::Script(p) | ImportSource::SqliteFile(p) => p.display().to_string(),
            ImportSource::Live(u) => u.redacted(),
        }
    }

    /// Import this source. `from` is the script's dialect (detected when `None`); SQLite files
    /// and live servers always use their own dialect. A live server is read with the default
    /// [`LiveOptions`].
    pub fn import(&self, from: Option<Dialect>) -> Result<ImportResult, SourceError> {
        self.import_with(from, &LiveOptions::default())
    }

    /// [`ImportSource::import`] with `live` options for a server (ignored for files).
    pub fn import_with(
        &self,
        from: Option<Dialect>,
        live: &LiveOptions,
    ) -> Result<ImportResult, SourceError> {
        match self {
            ImportSource::Script(path) => {
                if has_database_extension(path) {
                    return Err(SourceError::NotText {
                        path: path.clone(),
                        reason: "named like an SQLite database, but it has no SQLite header \
                                 (not a database, or not an SQLite one)"
                            .into(),
                    });
                }
                let bytes = read_file(path)?;
                let text = decode_script(&bytes).map_err(|reason| SourceError::NotText {
                    path: path.clone(),
                    reason,
                })?;
                let mut r = import_sql(&text, from);
                name_after_file(&mut r, path);
                Ok(r)
            }
            ImportSource::SqliteFile(path) => {
                let text = sqlite_schema_sql(path)?;
                let mut r = import_sql(&text, Some(Dialect::Sqlite));
                name_after_file(&mut r, path);
                Ok(r)
            }
            ImportSource::Live(url) => import_live(url, live),
        }
    }
}

/// Why an import could not run. Messages name the file or the redacted URL.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{}: file not found{}", .0.display(), url_hint(.0))]
    NotFound(PathBuf),
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot read the SQLite schema: {message}", path.display())]
    Sqlite { path: PathBuf, message: String },
    #[error("{}: not a SQL script: {reason}", path.display())]
    NotText { path: PathBuf, reason: String },
    #[error("{}: {reason}", path.display())]
    NotAFile { path: PathBuf, reason: String },
    #[error("{url}: invalid URL: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("{tool} not found: install {package}")]
    ToolMissing {
        tool: &'static str,
        package: &'static str,
    },
    #[error("{url}: cannot reach the server: {message}")]
    Unreachable { url: String, message: String },
    #[error("{url}: authentication failed: {message}{hint}")]
    AuthFailed {
        url: String,
        message: String,
        /// Empty, or how to give a password when none was given.
        hint: String,
    },
    #[error(
        "{url}: timed out: the server did not answer within {after}{}",
        timeout_detail(tool, message)
    )]
    Timeout {
        url: String,
        tool: &'static str,
        /// The timeout, written out ("10 s").
        after: String,
        /// What the tool said, if anything.
        message: String,
    },
    #[error(
        "{url}: the URL has a password and another one was given separately (--password-stdin \
         or the password field): give it once"
    )]
    PasswordTwice { url: String },
    #[error("{url}: no such database: {message}")]
    NoDatabase { url: String, message: String },
    #[error(
        "{url}: {tool} is older than the server (install a client at least as new as the \
         server): {message}"
    )]
    ToolTooOld {
        url: String,
        tool: &'static str,
        message: String,
    },
    #[error("{url}: {tool} failed: {message}")]
    DumpFailed {
        url: String,
        tool: &'static str,
        message: String,
    },
    #[error("cannot run {tool}: {source}")]
    Spawn {
        tool: &'static str,
        source: std::io::Error,
    },
    #[error("cannot write a temporary client option file: {0}")]
    TempFile(std::io::Error),
}

/// For a "file not found" that looks like a URL with an unknown scheme.
fn url_hint(path: &Path) -> String {
    match path.to_str().and_then(|s| s.split_once("://")) {
        Some((scheme, _)) if !scheme.is_empty() => format!(
            " (`{scheme}://` is not a server URL Crowfoot reads: use postgres://, \
             postgresql://, mysql:// or mariadb://)"
        ),
        _ => String::new(),
    }
}

/// What `arg` names: a server URL (by its scheme), an SQLite database file (by its first
/// bytes), or otherwise a script path. Never fails: a path that cannot be read is a
/// [`ImportSource::Script`], and reading it reports the error. An unknown scheme
/// (`oracle://...`) is a path too.
pub fn classify(arg: &str) -> ImportSource {
    if let Some(url) = LiveUrl::new(arg) {
        return ImportSource::Live(url);
    }
    classify_path(Path::new(arg))
}

/// [`classify`] for a path (no URL), e.g. from a file dialog or a dropped file.
pub fn classify_path(path: &Path) -> ImportSource {
    if is_sqlite_file(path) {
        ImportSource::SqliteFile(path.to_path_buf())
    } else {
        ImportSource::Script(path.to_path_buf())
    }
}

/// Import a script, an SQLite database file or a live server (see the module docs). `from`
/// is the dialect of a script (detected when `None`). The project is named after the file
/// (its stem) or the database.
pub fn import_source(arg: &str, from: Option<Dialect>) -> Result<ImportResult, SourceError> {
    classify(arg).import(from)
}

/// [`import_source`] with `live` options for a server.
pub fn import_source_with(
    arg: &str,
    from: Option<Dialect>,
    live: &LiveOptions,
) -> Result<ImportResult, SourceError> {
    classify(arg).import_with(from, live)
}

/// [`import_source`] for a path (a script or an SQLite file; never a URL).
pub fn import_file(path: &Path, from: Option<Dialect>) -> Result<ImportResult, SourceError> {
    classify_path(path).import(from)
}

// ---------------------------------------------------------------------------------------------
// Files

fn is_sqlite_file(path: &Path) -> bool {
    use std::io::Read;
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = [0u8; 16];
    f.read_exact(&mut head).is_ok() && &head == SQLITE_MAGIC
}

/// `.db`, `.sqlite`, `.sqlite3`, `.db3`: a file the user means as an SQLite database.
fn has_database_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["db", "sqlite", "sqlite3", "db3"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

pub use crate::input::{check_input_file, max_input_bytes};

/// Script bytes as text: UTF-16 (LE or BE, with its byte order mark) is decoded (a UTF-8
/// byte order mark stays: `import_sql` drops it, for every caller); binary data (NUL bytes, mostly invalid UTF-8) is refused with the
/// reason; stray invalid bytes in otherwise UTF-8 text are replaced.
pub fn decode_script(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |be: bool| {
        let units = bytes[2..].chunks(2).map(|c| match c {
            [a, b] if be => u16::from_be_bytes([*a, *b]),
            [a, b] => u16::from_le_bytes([*a, *b]),
            [a] => u16::from(*a),
            _ => 0xfffd,
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    let text = match bytes {
        [0xff, 0xfe, ..] => utf16(false),
        [0xfe, 0xff, ..] => utf16(true),
        _ => {
            if let Some(at) = bytes.iter().position(|&b| b == 0) {
                return Err(format!(
                    "binary data (a NUL byte at offset {at}); a UTF-16 script needs its byte \
                     order mark"
                ));
            }
            let text = String::from_utf8_lossy(bytes);
            let bad = text
                .chars()
                .filter(|&c| c == char::REPLACEMENT_CHARACTER)
                .count();
            if bad > 16 && bad * 20 > text.chars().count() {
                return Err(format!(
                    "binary data ({bad} bytes that are not UTF-8 text); convert the script to \
                     UTF-8"
                ));
            }
            text.into_owned()
        }
    };
    if text.contains('\0') {
        return Err("binary data (a NUL character)".into());
    }
    Ok(text)
}

fn read_file(path: &Path) -> Result<Vec<u8>, SourceError> {
    check_input_file(path).map_err(|reason| SourceError::NotAFile {
        path: path.to_path_buf(),
        reason,
    })?;
    std::fs::read(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            SourceError::NotFound(path.to_path_buf())
        } else {
            SourceError::Read {
                path: path.to_path_buf(),
                source: e,
            }
        }
    })
}

fn name_after_file(r: &mut ImportResult, path: &Path) {
    if let Some(stem) = path.file_stem() {
        rename(r, stem.to_string_lossy().into_owned());
    }
}

fn rename(r: &mut ImportResult, name: String) {
    // Renaming cannot fail; an error would only leave the importer's default name.
    let _ = Command::SetProjectName(name).apply(&mut r.project);
}

/// The `CREATE` statements of an SQLite database file (opened read-only), tables first, then
/// indexes, then views and triggers, each group in creation order.
pub fn sqlite_schema_sql(path: &Path) -> Result<String, SourceError> {
    if !path.exists() {
        return Err(SourceError::NotFound(path.to_path_buf()));
    }
    check_input_file(path).map_err(|reason| SourceError::NotAFile {
        path: path.to_path_buf(),
        reason,
    })?;
    let side = |suffix: &str| {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    let (wal, shm, journal) = (side("-wal"), side("-shm"), side("-journal"));
    let nonempty = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.len() > 0);
    let existed = (wal.exists(), shm.exists());
    // Byte 18 of the header is 2 in WAL mode.
    let wal_mode = {
        use std::io::Read;
        let mut head = [0u8; 20];
        std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok()
            && head[18] == 2
    };
    let read = || -> Result<Vec<String>, rusqlite::Error> {
        use rusqlite::OpenFlags as F;
        let conn = if wal_mode && !nonempty(&wal) {
            // A WAL database with nothing in its log: read it as immutable, which needs no
            // -shm file (none is created, and read-only media work).
            let uri = format!("file:{}?immutable=1", uri_path(path));
            rusqlite::Connection::open_with_flags(
                uri,
                F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_URI | F::SQLITE_OPEN_NO_MUTEX,
            )?
        } else {
            rusqlite::Connection::open_with_flags(
                path,
                F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_NO_MUTEX,
            )?
        };
        let mut stmt = conn.prepare(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid",
        )?;
        stmt.query_map([], |r| r.get::<_, String>(0))
            .and_then(|r| r.collect::<Result<Vec<_>, _>>())
    };
    let result = read();
    // Importing leaves nothing behind: -wal/-shm files SQLite made for this read go.
    for (p, was) in [(&wal, existed.0), (&shm, existed.1)] {
        if !was && p.exists() {
            let _ = std::fs::remove_file(p);
        }
    }
    let rows = result.map_err(|e| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let message = if nonempty(&journal) {
            format!(
                "{e}: it has a hot journal ({name}-journal: a write was interrupted); open it once \
                 with sqlite3 where it is writable so SQLite rolls the write back, then import"
            )
        } else if wal_mode && nonempty(&wal) {
            format!(
                "{e}: it is a WAL database with changes still in {name}-wal, which SQLite cannot \
                 read without writing {name}-shm (read-only media or directory?); copy the \
                 database together with its -wal file to a writable directory and import the copy"
            )
        } else {
            e.to_string()
        };
        SourceError::Sqlite {
            path: path.to_path_buf(),
            message,
        }
    })?;
    Ok(rows.into_iter().map(|s| s + ";\n").collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_and_redact() {
        let u = LiveUrl::new(
            "postgres://app%40x:p%40ss%3Aw%2Frd@db.example:6543/shop?schema=a,B&sslmode=require",
        )
        .unwrap();
        let p = u.params().unwrap();
        assert_eq!(p.engine, LiveEngine::Postgres);
        assert_eq!(p.host.as_deref(), Some("db.example"));
        assert_eq!(p.port, Some(6543));
        assert_eq!(p.user.as_deref(), Some("app@x"));
        assert_eq!(p.password.as_deref(), Some("p@ss:w/rd"));
        assert_eq!(p.database, "shop");
        assert_eq!(p.schemas, ["a", "B"]);
        assert_eq!(p.sslmode.as_deref(), Some("require"));
        assert_eq!(
            u.redacted(),
            "postgres://app%40x:***@db.example:6543/shop?schema=a,B&sslmode=require"
        );
        assert!(!format!("{u:?} {p:?} {u}").contains("p%40ss"));
        assert!(!format!("{p:?}").contains("p@ss"));

        // Unescaped specials in the password still parse and are still redacted.
        let u = LiveUrl::new("mysql://root:a/b@c@[::1]:3306/app").unwrap();
        let p = u.params().unwrap();
        assert_eq!(p.password.as_deref(), Some("a/b@c"));
        assert_eq!(p.host.as_deref(), Some("::1"));
        assert_eq!(u.redacted(), "mysql://root:***@[::1]:3306/app");

        let p = LiveUrl::new("MariaDB://localhost/x")
            .unwrap()
            .params()
            .unwrap();
        assert_eq!((p.engine, p.user, p.port), (LiveEngine::MySql, None, None));
        assert_eq!(
            LiveUrl::new("postgresql:///local")
                .unwrap()
                .params()
                .unwrap()
                .host,
            None
        );
        assert!(LiveUrl::new("oracle://x/y").is_none());
        assert!(LiveUrl::new("schema.sql").is_none());
    }

    #[test]
    fn bad_urls_are_errors_without_the_password() {
        for (url, needle) in [
            ("postgres://u:secret@h:99999/db", "port"),
            ("postgres://u:secret@h:5432", "no database name"),
            (
                "postgres://u:secret@h/db?password=secret",
                "unsupported parameter",
            ),
            ("mysql://u:secret@h/db?schema=x", "unsupported parameter"),
            ("postgres://u:secret@[::1/db", "unclosed"),
        ] {
            let e = LiveUrl::new(url).unwrap().params().unwrap_err().to_string();
            assert!(e.contains(needle), "{url}: {e}");
            assert!(!e.contains("secret"), "{url}: {e}");
        }
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("%FF"), "\u{fffd}");
    }

    #[test]
    fn verbose_progress_is_left_out_of_error_messages() {
        let pg = "pg_dump: last built-in OID is 16383\npg_dump: reading extensions\n\
                  pg_dump: error: connection to server at \"h\" failed: FATAL:  no\n\
                  pg_dump: detail: more\n\tcontinued\n";
        assert_eq!(
            tool_message(pg),
            "pg_dump: error: connection to server at \"h\" failed: FATAL:  no\n\
             pg_dump: detail: more\n\tcontinued"
        );
        // An older pg_dump labels nothing: everything is kept.
        let old = "pg_dump: server version: 16.1; pg_dump version: 11.2\n\
                   pg_dump: aborting because of server version mismatch\n";
        assert_eq!(tool_message(old), old.trim());
        let my = "-- Connecting to 127.0.0.1...\nmariadb-dump: Got error: 1045: \"Access denied \
                  for user 'u'@'h' (using password: NO)\" when trying to connect\n";
        let msg = tool_message(my);
        assert!(msg.starts_with("mariadb-dump: Got error: 1045"), "{msg}");
        match classify_failure("mariadb-dump", "u".into(), msg, Duration::from_secs(3)) {
            e @ SourceError::AuthFailed { .. } => assert!(
                e.to_string()
                    .ends_with("(no password was given to mariadb-dump: use MYSQL_PWD, ~/.my.cnf or --password-stdin)"),
                "{e}"
            ),
            e => panic!("{e:?}"),
        }
        // libpq's own connect timeout is a timeout too.
        let e = classify_failure(
            "pg_dump",
            "postgres://h/db".into(),
            "pg_dump: error: connection to server at \"h\", port 1 failed: timeout expired".into(),
            Duration::from_millis(2500),
        );
        assert!(matches!(e, SourceError::Timeout { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "postgres://h/db: timed out: the server did not answer within 2.5 s (pg_dump: error: \
             connection to server at \"h\", port 1 failed: timeout expired)"
        );
        let debug = format!(
            "{:?}",
            LiveOptions {
                password: Some("hunter2".into()),
                ..LiveOptions::default()
            }
        );
        assert!(!debug.contains("hunter2"), "{debug}");
    }

    #[test]
    fn option_file_values_are_quoted() {
        assert_eq!(option_file_value(r#"a"b\c#d"#), r#""a\"b\\c#d""#);
    }
}
