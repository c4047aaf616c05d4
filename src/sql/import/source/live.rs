//! Live servers: `postgres://` and `mysql://` URLs (parsed, redacted), and the schema read with
//! pg_dump / mariadb-dump under a timeout, with clear messages for each way it can fail.

use super::*;

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

/// A path for an SQLite `file:` URI: absolute, with `%`, `?` and `#` (and anything not plain)
/// percent-encoded.
pub(super) fn uri_path(path: &Path) -> String {
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
pub(super) fn percent_decode(s: &str) -> String {
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

pub(super) fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// The user-info part ends at the last `@`, so a password with an unescaped `@`, `/` or `:`
/// still parses (and is still redacted); escaping (`%40`, `%2F`, `%3A`) is the documented way.
pub(super) fn split_userinfo(rest: &str) -> (Option<&str>, &str) {
    match rest.rfind('@') {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    }
}

pub(super) fn redact(raw: &str) -> String {
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

pub(super) fn parse_url(raw: &str, engine: LiveEngine) -> Result<LiveParams, SourceError> {
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

pub(super) fn import_live(url: &LiveUrl, live: &LiveOptions) -> Result<ImportResult, SourceError> {
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
pub(super) fn pg_pattern(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub(super) fn pg_dump(
    url: &LiveUrl,
    p: &LiveParams,
    timeout: Duration,
) -> Result<String, SourceError> {
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
pub(super) fn option_file_value(v: &str) -> String {
    crate::sql::dialect::util::backslash_quoted(v)
}

/// The private `[client]` option file holding the password (see `live_run::OptionFile`).
pub(super) fn password_file(password: &str) -> Result<OptionFile, SourceError> {
    OptionFile::create(&format!(
        "[client]\npassword={}\n",
        option_file_value(password)
    ))
    .map_err(SourceError::TempFile)
}

pub(super) fn mariadb_dump(
    url: &LiveUrl,
    p: &LiveParams,
    timeout: Duration,
) -> Result<String, SourceError> {
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

pub(super) enum DumpError {
    Missing,
    Other(SourceError),
}

/// Run a dump tool (with the idle `timeout`, handing it `options`) and return its output
/// (lossily decoded), or a classified error.
pub(super) fn run_dump(
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
pub(super) fn tool_message(stderr: &str) -> String {
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
pub(super) fn password_hint(tool: &str, m: &str) -> String {
    if m.contains("no password supplied") {
        " (no password was given: use PGPASSWORD, ~/.pgpass or --password-stdin)".into()
    } else if m.contains("using password: no") {
        format!(" (no password was given to {tool}: use MYSQL_PWD, ~/.my.cnf or --password-stdin)")
    } else {
        String::new()
    }
}

/// Sort a dump tool's error message into what went wrong.
pub(super) fn classify_failure(
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

pub(super) fn timeout_detail(tool: &str, message: &str) -> String {
    if message.is_empty() {
        format!(" ({tool} was stopped)")
    } else {
        format!(" ({message})")
    }
}

/// "10 s", "2.5 s".
pub(super) fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
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
