//! The PostgreSQL server the advisor talks to: the URL (with Crowfoot's own `scratch=1`
//! parameter taken off before it reaches the driver), the connection, and the scratch
//! database that is always dropped again.

use super::PgError;
use postgres::{Client, Config, NoTls};
use std::time::Duration;

/// How long connecting may take (TCP and the server's start-up answer).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Quote a PostgreSQL identifier.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quote a PostgreSQL string literal (standard_conforming_strings is on since 9.1).
pub(crate) fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Where to advise: a server URL and whether Crowfoot may create a scratch database there.
#[derive(Clone, Debug)]
pub struct PgTarget {
    /// The connection string as the driver reads it (without `scratch=1`).
    config: Config,
    /// `scratch=1`: create a temporary database, fill it with synthetic rows, drop it at the
    /// end. Otherwise the database named is read only (live mode).
    pub scratch: bool,
    /// The URL with any password hidden, for messages.
    pub shown: String,
}

impl PgTarget {
    /// Read `postgres://user[:password]@host[:port]/db[?scratch=1&…]`.
    pub fn parse(url: &str) -> Result<PgTarget, PgError> {
        let (base, query) = match url.split_once('?') {
            Some((b, q)) => (b, q),
            None => (url, ""),
        };
        let mut scratch = false;
        let mut rest = Vec::new();
        for kv in query.split('&').filter(|s| !s.is_empty()) {
            match kv.split_once('=') {
                Some(("scratch", v)) => {
                    scratch = matches!(v, "1" | "true" | "yes" | "on");
                }
                None if kv == "scratch" => scratch = true,
                _ => rest.push(kv),
            }
        }
        let driver_url = if rest.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", rest.join("&"))
        };
        let shown = hide_password(url);
        let mut config: Config = driver_url
            .parse()
            .map_err(|e| PgError::Connect(format!("{shown}: not a PostgreSQL URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name("crowfoot index advisor");
        Ok(PgTarget {
            config,
            scratch,
            shown,
        })
    }

    /// Connect to the database the URL names.
    pub fn connect(&self) -> Result<Client, PgError> {
        self.connect_to(None)
    }

    fn connect_to(&self, dbname: Option<&str>) -> Result<Client, PgError> {
        let mut c = self.config.clone();
        if let Some(d) = dbname {
            c.dbname(d);
        }
        // The driver's timeout covers the TCP connection only: a server that accepts it and
        // then says nothing would hold the start-up forever. Wait on another thread instead
        // (left behind, blocked, if the server never answers).
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(c.connect(NoTls));
        });
        match rx.recv_timeout(CONNECT_TIMEOUT + Duration::from_secs(2)) {
            Ok(Ok(client)) => Ok(client),
            Ok(Err(e)) => Err(PgError::Connect(format!(
                "{}: cannot connect: {}",
                self.shown,
                cause(&e)
            ))),
            Err(_) => Err(PgError::Connect(format!(
                "{}: cannot connect: the server did not answer within {} s",
                self.shown,
                (CONNECT_TIMEOUT + Duration::from_secs(2)).as_secs()
            ))),
        }
    }
}

/// The innermost message of a driver error (the server's text, or the I/O error).
pub(crate) fn cause(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg = s.to_string();
        src = s.source();
    }
    msg
}

fn hide_password(url: &str) -> String {
    // scheme://user:password@host → scheme://user:***@host
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((auth, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// A temporary database on the server, dropped when this is dropped (also after an error or
/// a panic) and by the signal handler on Ctrl+C.
pub struct Scratch {
    /// Connected to the scratch database.
    pub client: Client,
    pub name: String,
    target: PgTarget,
    _cleanup: crate::sql::import::live_run::CleanupHook,
}

impl Scratch {
    /// Create an empty database `crowfoot_advisor_<pid>_<n>` with hypopg installed.
    pub fn create(target: &PgTarget) -> Result<Scratch, PgError> {
        let mut admin = target.connect()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("crowfoot_advisor_{}_{nanos}", std::process::id());
        admin
            .batch_execute(&format!("CREATE DATABASE {}", ident(&name)))
            .map_err(|e| {
                PgError::Server(format!(
                    "{}: cannot create a scratch database (the user needs CREATEDB): {}",
                    target.shown,
                    cause(&e)
                ))
            })?;
        let hook_target = target.clone();
        let hook_name = name.clone();
        let cleanup = crate::sql::import::live_run::on_signal(move || {
            drop_database(&hook_target, &hook_name);
        });
        let mut guard = DropOnError {
            target,
            name: &name,
            armed: true,
        };
        let mut client = target.connect_to(Some(&name))?;
        client
            .batch_execute("CREATE EXTENSION IF NOT EXISTS hypopg")
            .map_err(|e| {
                PgError::NoHypopg(format!(
                    "{}: the hypopg extension is not available ({}); install it on the server \
                     (Debian: apt-get install postgresql-15-hypopg)",
                    target.shown,
                    cause(&e)
                ))
            })?;
        guard.armed = false;
        drop(guard);
        Ok(Scratch {
            client,
            name,
            target: target.clone(),
            _cleanup: cleanup,
        })
    }
}

/// Drops the database if creating the [`Scratch`] fails half-way.
struct DropOnError<'a> {
    target: &'a PgTarget,
    name: &'a str,
    armed: bool,
}

impl Drop for DropOnError<'_> {
    fn drop(&mut self) {
        if self.armed {
            drop_database(self.target, self.name);
        }
    }
}

fn drop_database(target: &PgTarget, name: &str) {
    if let Ok(mut admin) = target.connect() {
        // FORCE (PostgreSQL 13+) ends sessions still connected to it.
        let _ = admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            ident(name)
        ));
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // FORCE ends this struct's own session too; the client closes when its field drops.
        drop_database(&self.target, &self.name);
    }
}
