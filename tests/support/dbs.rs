//! Real database engines for the export tests.
//!
//! PostgreSQL and MariaDB are reached through their command-line clients (`psql`, `mariadb`)
//! spawned with `std::process::Command`, configured by two environment variables holding
//! `key=value` pairs separated by spaces (keys: `host`, `port`, `user`, `password`):
//!
//! * `CROWFOOT_PG`, e.g. `host=127.0.0.1 port=55432 user=postgres`
//! * `CROWFOOT_MYSQL`, e.g. `host=127.0.0.1 port=53306 user=root`
//!
//! `scripts/dbs.sh` starts private servers and sets both (`./test.sh` does it for you).
//! When a variable is unset the server part of a test is skipped with a message on stderr,
//! unless `CROWFOOT_REQUIRE_DBS=1`, in which case the test panics.
//! `CROWFOOT_KEEP_DBS=1` keeps each test database instead of dropping it, for inspection.
//!
//! Every test gets a fresh database named `crowfoot_<name>_<pid>_<n>`, so tests run in
//! parallel (threads and processes) without seeing each other.
//!
//! SQLite runs in process through rusqlite (in-memory, `PRAGMA foreign_keys=ON`).

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A server engine reached through its command-line client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    MariaDb,
}

impl Engine {
    pub fn env_var(self) -> &'static str {
        match self {
            Engine::Postgres => "CROWFOOT_PG",
            Engine::MariaDb => "CROWFOOT_MYSQL",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Engine::Postgres => "PostgreSQL",
            Engine::MariaDb => "MariaDB",
        }
    }

    fn client(self) -> &'static str {
        match self {
            Engine::Postgres => "psql",
            Engine::MariaDb => "mariadb",
        }
    }

    /// The database an administrative connection uses.
    fn admin_db(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::MariaDb => "mysql",
        }
    }
}

/// Field separator of query output from `psql` (a control character no identifier uses).
const PG_FIELD_SEP: char = '\u{1f}';
/// Record separator of query output from `psql`.
const PG_RECORD_SEP: char = '\u{1e}';

/// Connection settings parsed from the environment.
#[derive(Clone, Debug)]
pub struct Server {
    pub engine: Engine,
    pub host: String,
    pub port: Option<u16>,
    pub user: String,
    pub password: Option<String>,
}

/// True when `CROWFOOT_REQUIRE_DBS=1`: a missing server is then an error, not a skip.
pub fn dbs_required() -> bool {
    std::env::var("CROWFOOT_REQUIRE_DBS").is_ok_and(|v| v == "1")
}

/// Parse `key=value key=value ...` (no quoting; values cannot contain spaces).
pub fn parse_config(engine: Engine, text: &str) -> Result<Server, String> {
    let mut server = Server {
        engine,
        host: "127.0.0.1".into(),
        port: None,
        user: match engine {
            Engine::Postgres => "postgres".into(),
            Engine::MariaDb => "root".into(),
        },
        password: None,
    };
    for pair in text.split_whitespace() {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("`{pair}` is not key=value"))?;
        match k {
            "host" => server.host = v.into(),
            "port" => {
                server.port = Some(v.parse().map_err(|_| format!("bad port `{v}`"))?);
            }
            "user" => server.user = v.into(),
            "password" => server.password = Some(v.into()),
            other => return Err(format!("unknown key `{other}`")),
        }
    }
    Ok(server)
}

/// The configured server for `engine`, or `None` (after a message) when the test should skip
/// it. Panics when the variable is malformed, or unset while `CROWFOOT_REQUIRE_DBS=1`.
pub fn server(engine: Engine, test: &str) -> Option<Server> {
    let var = engine.env_var();
    match std::env::var(var) {
        Ok(text) if !text.trim().is_empty() => Some(
            parse_config(engine, &text)
                .unwrap_or_else(|e| panic!("{var}=`{text}` is malformed: {e}")),
        ),
        _ => {
            if dbs_required() {
                panic!(
                    "{test}: {var} is not set but CROWFOOT_REQUIRE_DBS=1; start the servers \
                     with `source scripts/dbs.sh && crowfoot_dbs_start` or run ./test.sh"
                );
            }
            eprintln!(
                "{test}: SKIPPED the {} part: {var} is not set (run ./test.sh, or \
                 `eval \"$(scripts/dbs.sh start)\"`, to test against a real server)",
                engine.display_name()
            );
            None
        }
    }
}

impl Server {
    /// A client command connected to `db`, with options shared by scripts and queries.
    fn command(&self, db: &str) -> Command {
        let mut cmd = Command::new(self.engine.client());
        match self.engine {
            Engine::Postgres => {
                cmd.arg("-X")
                    .arg("-q")
                    .arg("-v")
                    .arg("ON_ERROR_STOP=1")
                    .arg("-h")
                    .arg(&self.host)
                    .arg("-U")
                    .arg(&self.user)
                    .arg("-d")
                    .arg(db)
                    .env("PGCLIENTENCODING", "UTF8")
                    .env("PGCONNECT_TIMEOUT", "10")
                    // Keep NOTICEs (e.g. identifier truncation) out of the error text.
                    .env("PGOPTIONS", "-c client_min_messages=warning");
                if let Some(p) = self.port {
                    cmd.arg("-p").arg(p.to_string());
                }
                match &self.password {
                    Some(pw) => cmd.env("PGPASSWORD", pw),
                    None => cmd.env_remove("PGPASSWORD"),
                };
            }
            Engine::MariaDb => {
                // --no-defaults must come first.
                cmd.arg("--no-defaults")
                    .arg("--batch")
                    .arg("--default-character-set=utf8mb4")
                    .arg("--connect-timeout=10")
                    .arg("--protocol=TCP")
                    .arg("-h")
                    .arg(&self.host)
                    .arg("-u")
                    .arg(&self.user)
                    .arg("-D")
                    .arg(db);
                if let Some(p) = self.port {
                    cmd.arg("-P").arg(p.to_string());
                }
                if let Some(pw) = &self.password {
                    cmd.env("MYSQL_PWD", pw);
                }
            }
        }
        cmd
    }

    /// Run `sql` (a script) against `db`, stopping at the first error.
    pub fn run_script(&self, db: &str, sql: &str) -> Result<(), String> {
        let mut cmd = self.command(db);
        if self.engine == Engine::Postgres {
            cmd.arg("-f").arg("-");
        }
        run(cmd, Some(sql)).map(|_| ())
    }

    /// Run one query against `db`; rows of fields (NULL comes back as an empty string from
    /// PostgreSQL and as `NULL` from MariaDB).
    pub fn query(&self, db: &str, sql: &str) -> Result<Vec<Vec<String>>, String> {
        let mut cmd = self.command(db);
        match self.engine {
            Engine::Postgres => {
                cmd.arg("-A")
                    .arg("-t")
                    .arg("-F")
                    .arg(PG_FIELD_SEP.to_string())
                    .arg("-R")
                    .arg(PG_RECORD_SEP.to_string())
                    .arg("-c")
                    .arg(sql);
                let out = run(cmd, None)?;
                let out = out.strip_suffix('\n').unwrap_or(&out);
                Ok(out
                    .split(PG_RECORD_SEP)
                    .filter(|r| !r.is_empty())
                    .map(|r| r.split(PG_FIELD_SEP).map(str::to_string).collect())
                    .collect())
            }
            Engine::MariaDb => {
                // Without --raw, batch mode escapes tab, newline, backslash and NUL inside
                // values, so identifiers containing them survive the round trip.
                cmd.arg("--skip-column-names").arg("-e").arg(sql);
                let out = run(cmd, None)?;
                Ok(out
                    .lines()
                    .map(|l| l.split('\t').map(unescape_mariadb).collect())
                    .collect())
            }
        }
    }

    /// Quote a database name for CREATE/DROP DATABASE.
    fn quote_db(&self, name: &str) -> String {
        match self.engine {
            Engine::Postgres => format!("\"{}\"", name.replace('"', "\"\"")),
            Engine::MariaDb => format!("`{}`", name.replace('`', "``")),
        }
    }
}

/// Undo the escaping of `mariadb --batch` output.
fn unescape_mariadb(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Spawn `cmd`, feed `stdin`, and return stdout, or an error naming the engine's message.
fn run(mut cmd: Command, stdin: Option<&str>) -> Result<String, String> {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let program = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run `{program}`: {e} (is the client installed?)"))?;
    // Write stdin from another thread so a large script cannot deadlock against a full pipe.
    let writer = stdin.map(|text| {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let text = text.to_string();
        std::thread::spawn(move || {
            // The client may exit early on an error; a broken pipe is then expected.
            let _ = pipe.write_all(text.as_bytes());
        })
    });
    let out = child
        .wait_with_output()
        .map_err(|e| format!("waiting for `{program}`: {e}"))?;
    if let Some(w) = writer {
        let _ = w.join();
    }
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "{program} exited with {}: {}",
            out.status,
            stderr.trim_end()
        ))
    }
}

static DB_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// `crowfoot_<name>_<pid>_<n>` with `name` reduced to `[a-z0-9_]` and the whole kept within
/// the 63-byte (PostgreSQL) / 64-character (MariaDB) identifier limits.
pub fn unique_db_name(name: &str) -> String {
    let mut clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let suffix = format!(
        "_{}_{}",
        std::process::id(),
        DB_COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let room = 63 - "crowfoot_".len() - suffix.len();
    clean.truncate(room);
    format!("crowfoot_{clean}{suffix}")
}

/// A fresh database on a server, dropped when this value is (unless `CROWFOOT_KEEP_DBS=1`).
pub struct TestDb {
    pub server: Server,
    pub name: String,
}

impl TestDb {
    /// Create a fresh database for `test` on the server configured for `engine`; `None` when the
    /// server is not configured and not required (see [`server`]). Panics when it cannot be
    /// created.
    pub fn create(engine: Engine, test: &str) -> Option<TestDb> {
        let server = server(engine, test)?;
        let name = unique_db_name(test);
        let q = server.quote_db(&name);
        let create = match engine {
            Engine::Postgres => format!(
                "DROP DATABASE IF EXISTS {q};\nCREATE DATABASE {q} TEMPLATE template0 \
                 ENCODING 'UTF8';\n"
            ),
            Engine::MariaDb => format!(
                "DROP DATABASE IF EXISTS {q};\nCREATE DATABASE {q} CHARACTER SET utf8mb4 \
                 COLLATE utf8mb4_general_ci;\n"
            ),
        };
        if let Err(e) = server.run_script(engine.admin_db(), &create) {
            panic!(
                "{test}: cannot create database {name} on {} ({}={:?}): {e}",
                engine.display_name(),
                engine.env_var(),
                std::env::var(engine.env_var()).unwrap_or_default()
            );
        }
        Some(TestDb { server, name })
    }

    pub fn engine(&self) -> Engine {
        self.server.engine
    }

    /// Execute a DDL script, stopping at the first error; `Err` holds the engine's message
    /// (psql prefixes it with `psql:<stdin>:LINE:`, mariadb with `ERROR ... at line LINE`).
    pub fn exec(&self, sql: &str) -> Result<(), String> {
        self.server.run_script(&self.name, sql)
    }

    /// Run a catalog query; panics with the engine's message on failure (queries are ours).
    pub fn query(&self, sql: &str) -> Vec<Vec<String>> {
        self.server
            .query(&self.name, sql)
            .unwrap_or_else(|e| panic!("catalog query failed: {e}\nquery:\n{sql}"))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::env::var("CROWFOOT_KEEP_DBS").is_ok_and(|v| v == "1") {
            eprintln!(
                "kept {} database {} (CROWFOOT_KEEP_DBS=1)",
                self.server.engine.display_name(),
                self.name
            );
            return;
        }
        let q = self.server.quote_db(&self.name);
        let drop = match self.server.engine {
            Engine::Postgres => format!("DROP DATABASE IF EXISTS {q} WITH (FORCE);\n"),
            Engine::MariaDb => format!("DROP DATABASE IF EXISTS {q};\n"),
        };
        if let Err(e) = self.server.run_script(self.server.engine.admin_db(), &drop) {
            eprintln!("warning: could not drop database {}: {e}", self.name);
        }
    }
}

/// A fresh in-memory SQLite database with foreign keys enforced.
pub fn sqlite() -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().expect("open in-memory SQLite");
    conn.execute_batch("PRAGMA foreign_keys=ON;")
        .expect("enable SQLite foreign keys");
    conn
}

/// Execute a DDL script in SQLite, statement by statement, stopping at the first error; the
/// error names the line and the failing statement.
pub fn sqlite_exec(conn: &rusqlite::Connection, sql: &str) -> Result<(), String> {
    use rusqlite::fallible_iterator::FallibleIterator;
    let line_of = |byte: usize| sql[..byte.min(sql.len())].matches('\n').count() + 1;
    let mut batch = rusqlite::Batch::new(conn, sql);
    loop {
        match batch.next() {
            Ok(Some(mut stmt)) => {
                // Some statements (PRAGMA) return rows; stepping through them is fine.
                let text = stmt.expanded_sql().unwrap_or_default();
                let result = match stmt.raw_execute() {
                    Err(rusqlite::Error::ExecuteReturnedResults) => Ok(0),
                    other => other,
                };
                if let Err(e) = result {
                    let at = sql.find(text.trim()).map(line_of);
                    return Err(format!(
                        "SQLite: {e}{}\nstatement: {text}",
                        at.map(|l| format!(" (line {l})")).unwrap_or_default()
                    ));
                }
            }
            Ok(None) => return Ok(()),
            Err(rusqlite::Error::SqlInputError {
                msg,
                sql: rest,
                offset,
                ..
            }) => {
                let start = sql.len().saturating_sub(rest.len());
                let line = line_of(start + offset.max(0) as usize);
                return Err(format!("SQLite: {msg} (line {line})"));
            }
            Err(e) => return Err(format!("SQLite: {e}")),
        }
    }
}

/// `sql` with 1-based line numbers, for failure messages.
pub fn numbered(sql: &str) -> String {
    let width = sql.lines().count().max(1).to_string().len();
    sql.lines()
        .enumerate()
        .map(|(i, l)| format!("{:>width$} | {l}\n", i + 1))
        .collect()
}

/// A TCP server on 127.0.0.1 that accepts every connection and never says anything (a hung
/// server, a firewall that lets the SYN through, a wrong port forwarding...). Its port.
pub fn silent_server() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}
