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

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// How a live server is read: [`ImportSource::import_with`].
#[derive(Clone)]
pub struct LiveOptions {
    /// The longest the server may stay silent, connecting or dumping, before the import stops
    /// with [`SourceError::Timeout`] (default [`LiveOptions::DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
    /// A password given apart from the URL (`--password-stdin`, the studio's password field).
    /// It is an error together with a password in the URL. Without either, `PGPASSWORD` /
    /// `MYSQL_PWD` from the environment is used (and `pg_dump` reads `~/.pgpass` itself).
    pub password: Option<String>,
}

impl LiveOptions {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            timeout: Self::DEFAULT_TIMEOUT,
            password: None,
        }
    }
}

impl fmt::Debug for LiveOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveOptions")
            .field("timeout", &self.timeout)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

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

/// The server engines a URL can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveEngine {
    Postgres,
    /// MySQL or MariaDB.
    MySql,
}

impl LiveEngine {
    /// The engine named by `scheme` (case-insensitive), if any.
    pub fn from_scheme(scheme: &str) -> Option<LiveEngine> {
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Some(LiveEngine::Postgres),
            "mysql" | "mariadb" => Some(LiveEngine::MySql),
            _ => None,
        }
    }

    pub fn dialect(self) -> Dialect {
        match self {
            LiveEngine::Postgres => Dialect::Postgres,
            LiveEngine::MySql => Dialect::MySql,
        }
    }
}

/// A server URL as given (`postgres://user:password@host:port/db?schema=s&sslmode=require`).
/// It is parsed by [`LiveUrl::params`]; `Debug` and `Display` show it redacted.
#[derive(Clone)]
pub struct LiveUrl {
    raw: String,
    engine: LiveEngine,
}

impl LiveUrl {
    /// `Some` when `text` starts with a server scheme (`postgres://`, `postgresql://`,
    /// `mysql://`, `mariadb://`).
    pub fn new(text: &str) -> Option<LiveUrl> {
        let (scheme, _) = text.split_once("://")?;
        LiveEngine::from_scheme(scheme).map(|engine| LiveUrl {
            raw: text.to_string(),
            engine,
        })
    }

    pub fn engine(&self) -> LiveEngine {
        self.engine
    }

    /// The URL with the password (and any `password=` parameter) replaced by `***`.
    pub fn redacted(&self) -> String {
        redact(&self.raw)
    }

    /// The connection settings, percent-decoded.
    pub fn params(&self) -> Result<LiveParams, SourceError> {
        parse_url(&self.raw, self.engine)
    }
}

impl fmt::Display for LiveUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for LiveUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LiveUrl({})", self.redacted())
    }
}

/// Connection settings of a [`LiveUrl`]. `Debug` does not show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct LiveParams {
    pub engine: LiveEngine,
    /// `None`: the client's default (a local socket).
    pub host: Option<String>,
    pub port: Option<u16>,
    /// `None`: the client's default user.
    pub user: Option<String>,
    pub password: Option<String>,
    pub database: String,
    /// PostgreSQL schemas to read (`?schema=a,b`); empty means every non-system schema.
    pub schemas: Vec<String>,
    /// PostgreSQL `sslmode` (`?sslmode=require`), passed on as `PGSSLMODE`.
    pub sslmode: Option<String>,
}

impl fmt::Debug for LiveParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveParams")
            .field("engine", &self.engine)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("database", &self.database)
            .field("schemas", &self.schemas)
            .field("sslmode", &self.sslmode)
            .finish()
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

fn timeout_detail(tool: &str, message: &str) -> String {
    if message.is_empty() {
        format!(" ({tool} was stopped)")
    } else {
        format!(" ({message})")
    }
}

/// "10 s", "2.5 s".
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
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

/// A path for an SQLite `file:` URI: absolute, with `%`, `?` and `#` (and anything not plain)
/// percent-encoded.
fn uri_path(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// URLs

/// Decode `%XX` escapes (invalid ones are kept as written); invalid UTF-8 is replaced.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// The user-info part ends at the last `@`, so a password with an unescaped `@`, `/` or `:`
/// still parses (and is still redacted); escaping (`%40`, `%2F`, `%3A`) is the documented way.
fn split_userinfo(rest: &str) -> (Option<&str>, &str) {
    match rest.rfind('@') {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    }
}

fn redact(raw: &str) -> String {
    let Some((scheme, rest)) = raw.split_once("://") else {
        return raw.to_string();
    };
    let (userinfo, after) = split_userinfo(rest);
    let mut out = format!("{scheme}://");
    if let Some(ui) = userinfo {
        match ui.split_once(':') {
            Some((user, _)) => out.push_str(&format!("{user}:***@")),
            None => out.push_str(&format!("{ui}@")),
        }
    }
    match after.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            let pairs: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if percent_decode(k).eq_ignore_ascii_case("password") => {
                        format!("{k}=***")
                    }
                    _ => pair.to_string(),
                })
                .collect();
            out.push_str(&pairs.join("&"));
        }
        None => out.push_str(after),
    }
    out
}

fn parse_url(raw: &str, engine: LiveEngine) -> Result<LiveParams, SourceError> {
    let invalid = |reason: String| SourceError::InvalidUrl {
        url: redact(raw),
        reason,
    };
    let (_, rest) = raw
        .split_once("://")
        .ok_or_else(|| invalid("no `scheme://`".into()))?;
    let (userinfo, rest) = split_userinfo(rest);
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));

    let (user, password) = match userinfo {
        None => (None, None),
        Some(ui) => match ui.split_once(':') {
            Some((u, p)) => (Some(percent_decode(u)), Some(percent_decode(p))),
            None => (Some(percent_decode(ui)), None),
        },
    };
    let user = user.filter(|u| !u.is_empty());

    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| invalid("unclosed `[` in the host".into()))?;
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| invalid(format!("unexpected `{p}` after the host")))?,
            ),
        };
        (h.to_string(), port)
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (percent_decode(h), Some(p)),
            None => (percent_decode(authority), None),
        }
    };
    let host = Some(host).filter(|h| !h.is_empty());
    let port = match port {
        None | Some("") => None,
        Some(p) => Some(
            p.parse::<u16>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| invalid(format!("port `{p}` is not a number from 1 to 65535")))?,
        ),
    };

    let database = percent_decode(path.strip_suffix('/').unwrap_or(path));
    if database.is_empty() {
        return Err(invalid(
            "no database name (write SCHEME://USER@HOST:PORT/DATABASE)".into(),
        ));
    }
    if database.contains('/') {
        return Err(invalid(format!(
            "`{database}` is not a database name (`/` must be written `%2F`)"
        )));
    }

    let mut schemas = Vec::new();
    let mut sslmode = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (percent_decode(k), percent_decode(v));
        match (engine, k.as_str()) {
            (LiveEngine::Postgres, "schema") => schemas.extend(
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            ),
            (LiveEngine::Postgres, "sslmode") => sslmode = Some(v),
            (LiveEngine::Postgres, _) => {
                return Err(invalid(format!(
                    "unsupported parameter `{k}` (PostgreSQL URLs take `schema` and `sslmode`)"
                )));
            }
            (LiveEngine::MySql, _) => {
                return Err(invalid(format!(
                    "unsupported parameter `{k}` (MySQL/MariaDB URLs take none)"
                )));
            }
        }
    }

    Ok(LiveParams {
        engine,
        host,
        port,
        user,
        password,
        database,
        schemas,
        sslmode,
    })
}

// ---------------------------------------------------------------------------------------------
// Live servers

fn import_live(url: &LiveUrl, live: &LiveOptions) -> Result<ImportResult, SourceError> {
    let mut params = url.params()?;
    params.password = match (params.password.take(), live.password.clone()) {
        (Some(_), Some(_)) => {
            return Err(SourceError::PasswordTwice {
                url: url.redacted(),
            });
        }
        (Some(p), None) | (None, Some(p)) => Some(p),
        (None, None) => std::env::var(match params.engine {
            LiveEngine::Postgres => "PGPASSWORD",
            LiveEngine::MySql => "MYSQL_PWD",
        })
        .ok(),
    };
    let text = match params.engine {
        LiveEngine::Postgres => pg_dump(url, &params, live.timeout)?,
        LiveEngine::MySql => mariadb_dump(url, &params, live.timeout)?,
    };
    let mut r = import_sql(&text, Some(params.engine.dialect()));
    rename(&mut r, params.database.clone());
    debug_assert!(
        {
            let ron = crate::project_file::to_ron_string(&r.project);
            !ron.contains(&url.raw) && !ron.contains(&url.redacted())
        },
        "the server URL must not be stored in the project"
    );
    Ok(r)
}

/// Quote a schema name as a pg_dump pattern that matches exactly it (no case folding, no
/// wildcards).
fn pg_pattern(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn pg_dump(url: &LiveUrl, p: &LiveParams, timeout: Duration) -> Result<String, SourceError> {
    let mut cmd = Process::new("pg_dump");
    cmd.args([
        "--schema-only",
        "--no-owner",
        "--no-privileges",
        // Never prompt for a password on the terminal (~/.pgpass is still read).
        "--no-password",
        // Progress on stderr while the catalog is read: the idle timeout sees it.
        "--verbose",
    ]);
    for s in &p.schemas {
        cmd.arg(format!("--schema={}", pg_pattern(s)));
    }
    // Everything else goes through the environment: nothing secret on the command line, and
    // no connection-string parsing of a database name containing `=`.
    cmd.env("PGDATABASE", &p.database)
        .env("PGCLIENTENCODING", "UTF8");
    if let Some(h) = &p.host {
        cmd.env("PGHOST", h);
    }
    if let Some(port) = p.port {
        cmd.env("PGPORT", port.to_string());
    }
    if let Some(u) = &p.user {
        cmd.env("PGUSER", u);
    }
    match &p.password {
        Some(pw) => cmd.env("PGPASSWORD", pw),
        None => cmd.env_remove("PGPASSWORD"),
    };
    if let Some(m) = &p.sslmode {
        cmd.env("PGSSLMODE", m);
    }
    // libpq's own connect timeout (whole seconds, at least 2) gives its clearer message; the
    // idle timeout of `run_dump` covers the rest of the dump.
    cmd.env(
        "PGCONNECT_TIMEOUT",
        timeout.as_secs_f64().ceil().max(1.0).to_string(),
    );
    run_dump(cmd, "pg_dump", url, timeout, None).map_err(|e| match e {
        DumpError::Missing => SourceError::ToolMissing {
            tool: "pg_dump",
            package: "postgresql-client",
        },
        DumpError::Other(e) => e,
    })
}

/// Escape a value for a double-quoted MySQL option-file value.
fn option_file_value(v: &str) -> String {
    crate::sql::dialect::util::backslash_quoted(v)
}

/// The private `[client]` option file holding the password (see `live_run::OptionFile`).
fn password_file(password: &str) -> Result<OptionFile, SourceError> {
    OptionFile::create(&format!(
        "[client]\npassword={}\n",
        option_file_value(password)
    ))
    .map_err(SourceError::TempFile)
}

fn mariadb_dump(url: &LiveUrl, p: &LiveParams, timeout: Duration) -> Result<String, SourceError> {
    let pw_file = p.password.as_deref().map(password_file).transpose()?;
    for tool in ["mariadb-dump", "mysqldump"] {
        let mut cmd = Process::new(tool);
        // An option-file option must come first.
        if let Some(f) = &pw_file {
            cmd.arg(format!("--defaults-extra-file={}", f.arg_path().display()));
        }
        // The password (MYSQL_PWD's too) goes through the option file only.
        cmd.env_remove("MYSQL_PWD");
        cmd.args([
            // Progress on stderr (`-- Retrieving table structure...`) for the idle timeout.
            "--verbose",
            "--no-data",
            "--skip-comments",
            "--routines",
            "--triggers",
            "--skip-events",
            // MySQL 8 wants the PROCESS privilege for tablespaces otherwise.
            "--no-tablespaces",
            "--default-character-set=utf8mb4",
        ]);
        if let Some(h) = &p.host {
            cmd.arg(format!("--host={h}"));
        }
        if let Some(port) = p.port {
            // With a port, connect to it (a `localhost` host would otherwise use the socket).
            cmd.arg(format!("--port={port}")).arg("--protocol=TCP");
        }
        if let Some(u) = &p.user {
            cmd.arg(format!("--user={u}"));
        }
        cmd.arg("--").arg(&p.database);
        match run_dump(cmd, tool, url, timeout, pw_file.as_ref()) {
            Ok(text) => return Ok(text),
            Err(DumpError::Missing) => continue,
            Err(DumpError::Other(e)) => return Err(e),
        }
    }
    Err(SourceError::ToolMissing {
        tool: "mariadb-dump (or mysqldump)",
        package: "mariadb-client (or mysql-client)",
    })
}

enum DumpError {
    Missing,
    Other(SourceError),
}

/// Run a dump tool (with the idle `timeout`, handing it `options`) and return its output
/// (lossily decoded), or a classified error.
fn run_dump(
    cmd: Process,
    tool: &'static str,
    url: &LiveUrl,
    timeout: Duration,
    options: Option<&OptionFile>,
) -> Result<String, DumpError> {
    let out = match live_run::run(cmd, timeout, options) {
        Ok(out) => out,
        Err(RunError::Missing) => return Err(DumpError::Missing),
        Err(RunError::Spawn(e)) => {
            return Err(DumpError::Other(SourceError::Spawn { tool, source: e }));
        }
        Err(RunError::TimedOut { stderr }) => {
            return Err(DumpError::Other(SourceError::Timeout {
                url: url.redacted(),
                tool,
                after: seconds(timeout),
                message: tool_message(&String::from_utf8_lossy(&stderr)),
            }));
        }
    };
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let mut message = tool_message(&String::from_utf8_lossy(&out.stderr));
    if message.is_empty() {
        message = format!("exited with {}", out.status);
    }
    Err(DumpError::Other(classify_failure(
        tool,
        url.redacted(),
        message,
        timeout,
    )))
}

/// A dump tool's stderr without its `--verbose` progress lines: mariadb-dump's `-- ...`, and
/// pg_dump's `pg_dump: reading ...` when it reported an `error:` (older pg_dumps label no
/// line, so everything is kept).
fn tool_message(stderr: &str) -> String {
    let pg_labelled = |rest: &str| {
        ["error:", "fatal:", "detail:", "hint:", "warning:"]
            .iter()
            .any(|l| rest.starts_with(l))
    };
    let pg_errors = stderr
        .lines()
        .any(|l| l.strip_prefix("pg_dump: ").is_some_and(pg_labelled));
    stderr
        .lines()
        .filter(|l| !l.starts_with("-- "))
        .filter(|l| !pg_errors || l.strip_prefix("pg_dump: ").is_none_or(pg_labelled))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// How to give a password, when the tool says none was given.
fn password_hint(tool: &str, m: &str) -> String {
    if m.contains("no password supplied") {
        " (no password was given: use PGPASSWORD, ~/.pgpass or --password-stdin)".into()
    } else if m.contains("using password: no") {
        format!(" (no password was given to {tool}: use MYSQL_PWD, ~/.my.cnf or --password-stdin)")
    } else {
        String::new()
    }
}

/// Sort a dump tool's error message into what went wrong.
fn classify_failure(
    tool: &'static str,
    url: String,
    message: String,
    timeout: Duration,
) -> SourceError {
    let m = message.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| m.contains(n));
    if has(&["timeout expired"]) {
        return SourceError::Timeout {
            url,
            tool,
            after: seconds(timeout),
            message,
        };
    }
    if has(&[
        "password authentication failed",
        "no password supplied",
        "authentication failed",
        "access denied",
        "peer authentication",
        "no pg_hba.conf entry",
    ]) {
        let hint = password_hint(tool, &m);
        SourceError::AuthFailed { url, message, hint }
    } else if has(&["server version mismatch"]) {
        SourceError::ToolTooOld { url, tool, message }
    } else if has(&["unknown database"]) || (m.contains("database") && m.contains("does not exist"))
    {
        SourceError::NoDatabase { url, message }
    } else if has(&[
        "could not connect",
        "connection refused",
        "connection to server",
        "could not translate host name",
        "can't connect",
        "unknown mysql server host",
        "unknown server host",
        "no route to host",
        "network is unreachable",
    ]) {
        SourceError::Unreachable { url, message }
    } else {
        SourceError::DumpFailed { url, tool, message }
    }
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
