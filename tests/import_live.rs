//! `import_source` end to end: SQLite database files, scripts, and live PostgreSQL / MariaDB
//! servers read through `pg_dump` / `mariadb-dump`.
//!
//! A sample project is exported, loaded into a fresh database on a real server
//! (tests/support/dbs.rs), imported back from the server's URL, and compared with the model by
//! name: tables, columns, primary keys, foreign keys, unique keys and indexes. Passwords are
//! exercised (percent-decoding, MariaDB's real authentication) and checked never to reach the
//! saved project.
//!
//! Servers that accept a connection and never answer must time out, a killed Crowfoot must
//! take its dump tool along and leave no password file, and passwords can come from
//! `--password-stdin`, `PGPASSWORD` / `MYSQL_PWD` and `~/.pgpass` (checked against servers that
//! really check them: scripts/dbs.sh makes PostgreSQL ask members of `crowfoot_password_users`).
//!
//! Without `CROWFOOT_PG` / `CROWFOOT_MYSQL` the server parts are skipped (with a message),
//! unless `CROWFOOT_REQUIRE_DBS=1` (as `./test.sh` sets); so are the parts that need a dump
//! tool that is not installed.

mod support {
    pub mod dbs;
}

use crowfoot::model::{Dialect, IndexTarget, Project, Table};
use crowfoot::project_file;
use crowfoot::sql::import::source::{
    ImportSource, LiveEngine, LiveOptions, SourceError, classify, import_file, import_source,
    import_source_with,
};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::dbs::{Engine, Server, TestDb};

fn sample(name: &str) -> Project {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("projects")
        .join(format!("{name}.ron"));
    project_file::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `scheme://user[:password]@host[:port]/db` for a test server.
fn url(server: &Server, db: &str, password: Option<&str>, user: Option<&str>) -> String {
    let scheme = match server.engine {
        Engine::Postgres => "postgres",
        Engine::MariaDb => "mysql",
    };
    let user = user.unwrap_or(&server.user);
    let auth = match password.or(server.password.as_deref()) {
        Some(pw) => format!("{user}:{pw}"),
        None => user.to_string(),
    };
    let host = if server.host.contains(':') {
        format!("[{}]", server.host)
    } else {
        server.host.clone()
    };
    let port = server.port.map(|p| format!(":{p}")).unwrap_or_default();
    format!("{scheme}://{auth}@{host}{port}/{db}")
}

// ---------------------------------------------------------------------------------------------
// Comparing a model with an import, by name

/// What the comparison looks at in one table. Unique keys are compared by columns (engines
/// name unnamed ones themselves, and a unique index and a unique constraint are the same key);
/// other indexes by name, with their key parts (`<expr>` for an expression), INCLUDE columns
/// and whether they are partial.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    columns: Vec<String>,
    primary_key: Vec<String>,
    foreign_keys: BTreeSet<String>,
    unique_keys: BTreeSet<String>,
    indexes: BTreeMap<String, String>,
}

fn col_names(t: &Table, ids: &[crowfoot::model::ColumnId]) -> Vec<String> {
    ids.iter()
        .map(|id| t.column(*id).map_or("?".into(), |c| c.name.clone()))
        .collect()
}

/// The shape of every table of `p`. `expected_for` adjusts a model to what `dialect` can
/// hold (as the exporter warns): MariaDB has no expression indexes (left out), no partial
/// indexes (created without WHERE) and no INCLUDE (appended as key columns). On the import
/// side (`expected_for` = `None`), MariaDB's own indexes for foreign keys are left out.
fn shapes(p: &Project, expected_for: Option<Dialect>) -> BTreeMap<String, Shape> {
    let mysql = expected_for == Some(Dialect::MySql);
    // Expression indexes MariaDB gets through an invisible virtual column (the export says so).
    let emulated: BTreeSet<String> = if mysql {
        crowfoot::sql::export(p, Dialect::MySql)
            .warnings
            .into_iter()
            .filter(|w| w.message.contains("invisible virtual column"))
            .map(|w| w.object)
            .collect()
    } else {
        BTreeSet::new()
    };
    let mut out = BTreeMap::new();
    for t in p.tables() {
        let fks: Vec<_> = p.foreign_keys_from(t.id);
        let foreign_keys = fks
            .iter()
            .map(|fk| {
                let to = p.table(fk.to_table).expect("fk target exists");
                format!(
                    "({}) -> {}({})",
                    col_names(t, &fk.from_columns).join(","),
                    to.qualified_name(),
                    col_names(to, fk.target_columns(to)).join(",")
                )
            })
            .collect();
        let mut unique_keys: BTreeSet<String> = t
            .uniques
            .iter()
            .map(|u| col_names(t, &u.columns).join(","))
            .collect();
        let mut indexes = BTreeMap::new();
        for ix in &t.indexes {
            let has_expr = ix
                .parts
                .iter()
                .any(|part| matches!(part.target, IndexTarget::Expr(_)));
            if mysql && has_expr && !emulated.contains(&format!("{}.{}", t.name, ix.name)) {
                continue;
            }
            let mut parts: Vec<String> = ix
                .parts
                .iter()
                .map(|part| match &part.target {
                    IndexTarget::Column(id) => col_names(t, &[*id]).remove(0),
                    IndexTarget::Expr(_) => "<expr>".into(),
                })
                .collect();
            let mut include = col_names(t, &ix.include);
            if mysql {
                parts.append(&mut include);
            }
            let partial = ix.where_clause.is_some() && !mysql;
            if ix.unique && !has_expr && !partial && include.is_empty() {
                unique_keys.insert(parts.join(","));
                continue;
            }
            if expected_for.is_none() && !ix.unique && !has_expr && include.is_empty() {
                // MariaDB's implicit index for a foreign key: named after the constraint or
                // its first column, with exactly the key's columns.
                let implicit = fks.iter().any(|fk| {
                    let cols = col_names(t, &fk.from_columns);
                    cols == parts
                        && (fk.name.as_deref() == Some(ix.name.as_str())
                            || cols.first() == Some(&ix.name))
                });
                if implicit && p.settings().target_dialect == Dialect::MySql {
                    continue;
                }
            }
            indexes.insert(
                ix.name.clone(),
                format!(
                    "{}({}){}{}",
                    if ix.unique { "unique " } else { "" },
                    parts.join(","),
                    if include.is_empty() {
                        String::new()
                    } else {
                        format!(" include({})", include.join(","))
                    },
                    if partial { " where ..." } else { "" }
                ),
            );
        }
        out.insert(
            t.qualified_name(),
            Shape {
                columns: t.columns.iter().map(|c| c.name.clone()).collect(),
                primary_key: t
                    .primary_key
                    .as_ref()
                    .map(|k| col_names(t, &k.columns))
                    .unwrap_or_default(),
                foreign_keys,
                unique_keys,
                indexes,
            },
        );
    }
    out
}

fn assert_same_schema(what: &str, model: &Project, dialect: Dialect, imported: &Project) {
    let expected = shapes(model, Some(dialect));
    let actual = shapes(imported, None);
    let mut diffs = Vec::new();
    for name in expected
        .keys()
        .chain(actual.keys())
        .collect::<BTreeSet<_>>()
    {
        match (expected.get(name), actual.get(name)) {
            (Some(e), Some(a)) if e != a => diffs.push(format!(
                "table {name}:\n  model:    {e:?}\n  imported: {a:?}"
            )),
            (Some(_), None) => diffs.push(format!("table {name}: missing from the import")),
            (None, Some(_)) => diffs.push(format!("table {name}: not in the model")),
            _ => {}
        }
    }
    assert!(
        diffs.is_empty(),
        "{what}: the import differs from the model:\n{}",
        diffs.join("\n")
    );
    // Not a vacuous comparison: the samples have every kind of object compared.
    assert!(expected.len() > 10, "{what}: the sample should be sizeable");
    let count = |f: fn(&Shape) -> usize| expected.values().map(f).sum::<usize>();
    assert!(count(|s| s.foreign_keys.len()) > 10, "{what}: foreign keys");
    assert!(count(|s| s.unique_keys.len()) > 0, "{what}: unique keys");
    assert!(count(|s| s.indexes.len()) > 5, "{what}: indexes");
    eprintln!(
        "{what}: {} tables, {} columns, {} foreign keys, {} unique keys, {} indexes match",
        expected.len(),
        count(|s| s.columns.len()),
        count(|s| s.foreign_keys.len()),
        count(|s| s.unique_keys.len()),
        count(|s| s.indexes.len())
    );
}

/// Export `model` to `dialect`, load it into `db`, import it back from `url` and compare.
fn round_trip(db: &TestDb, model: &Project, dialect: Dialect, url: &str) -> Project {
    let ddl = crowfoot::sql::export(model, dialect);
    db.exec(&ddl.sql)
        .unwrap_or_else(|e| panic!("loading the exported DDL into {}: {e}", db.name));
    let r = import_source(url, None).unwrap_or_else(|e| panic!("import {url}: {e}"));
    assert_eq!(r.dialect, dialect);
    assert_eq!(
        r.project.name(),
        db.name,
        "the project is named after the database"
    );
    assert_same_schema(
        &format!("{url} ({})", model.name()),
        model,
        dialect,
        &r.project,
    );
    let ron = project_file::to_ron_string(&r.project);
    assert!(!ron.contains(url), "the URL must not be saved");
    assert!(!ron.contains("://"), "no URL at all in the saved project");
    r.project
}

// ---------------------------------------------------------------------------------------------
// Live servers

#[test]
fn postgres_live_import_matches_the_model() {
    let Some(db) = TestDb::create(Engine::Postgres, "live_pg_shop") else {
        return;
    };
    let url = url(&db.server, &db.name, None, None);
    let imported = round_trip(&db, &sample("shop"), Dialect::Postgres, &url);
    // The dump's enums and views come along too.
    assert!(imported.enums().count() > 0);
    assert!(imported.views().count() > 0);
}

#[test]
fn postgres_live_import_of_a_second_sample_and_a_schema_filter() {
    let Some(db) = TestDb::create(Engine::Postgres, "live_pg_saas") else {
        return;
    };
    let saas = sample("saas");
    let base = url(&db.server, &db.name, None, None);
    round_trip(&db, &saas, Dialect::Postgres, &base);

    // `?schema=` limits the dump to exactly that schema (case kept, not a pattern).
    db.exec(
        "CREATE SCHEMA \"Extra\";\nCREATE TABLE \"Extra\".only_here (id integer PRIMARY KEY);\n",
    )
    .unwrap();
    let all = import_source(&base, None).unwrap().project;
    assert!(all.table_by_name(Some("Extra"), "only_here").is_some());
    let extra = import_source(&format!("{base}?schema=Extra"), None)
        .unwrap()
        .project;
    assert_eq!(
        extra
            .tables()
            .map(|t| t.qualified_name())
            .collect::<Vec<_>>(),
        ["Extra.only_here"]
    );
    let public = import_source(&format!("{base}?schema=public&sslmode=disable"), None)
        .unwrap()
        .project;
    assert_eq!(public.table_count(), saas.table_count());
}

#[test]
fn mariadb_live_import_matches_the_model() {
    let Some(db) = TestDb::create(Engine::MariaDb, "live_my_shop") else {
        return;
    };
    let url = url(&db.server, &db.name, None, None);
    round_trip(&db, &sample("shop"), Dialect::MySql, &url);
    // mariadb:// is the same thing.
    let again = import_source(&url.replacen("mysql://", "mariadb://", 1), None).unwrap();
    assert_eq!(again.project.table_count(), sample("shop").table_count());
}

#[test]
fn mariadb_live_import_of_a_second_sample() {
    let Some(db) = TestDb::create(Engine::MariaDb, "live_my_saas") else {
        return;
    };
    let url = url(&db.server, &db.name, None, None);
    round_trip(&db, &sample("saas"), Dialect::MySql, &url);
}

/// A password full of URL and option-file specials, percent-encoded in the URL.
const PASSWORD: &str = "p@ss:w/rd\"\\#; x";
const PASSWORD_IN_URL: &str = "p%40ss%3Aw%2Frd%22%5C%23%3B%20x";

fn assert_secret_free(project: &Project, url: &str) {
    let ron = project_file::to_ron_string(project);
    for needle in [PASSWORD, PASSWORD_IN_URL, "p@ss", url] {
        assert!(
            !ron.contains(needle),
            "the saved project contains {needle:?}"
        );
    }
}

/// Drops a server-wide PostgreSQL role or MariaDB user at the end of a test.
struct Account {
    server: Server,
    drop_sql: String,
}

impl Drop for Account {
    fn drop(&mut self) {
        let admin = match self.server.engine {
            Engine::Postgres => "postgres",
            Engine::MariaDb => "mysql",
        };
        if let Err(e) = self.server.run_script(admin, &self.drop_sql) {
            eprintln!("warning: {e}");
        }
    }
}

#[test]
fn postgres_password_is_decoded_and_never_saved() {
    let Some(server) = support::dbs::server(Engine::Postgres, "live_pg_password") else {
        return;
    };
    let role = format!("crowfoot_pw_{}", std::process::id());
    let _account = Account {
        server: server.clone(),
        drop_sql: format!("DROP ROLE IF EXISTS {role};\n"),
    };
    server
        .run_script(
            "postgres",
            &format!(
                "DROP ROLE IF EXISTS {role};\n\
                 CREATE ROLE {role} LOGIN PASSWORD '{}';\n\
                 GRANT pg_read_all_data TO {role};\n",
                PASSWORD.replace('\'', "''")
            ),
        )
        .unwrap();
    // The server checks this role's password (scripts/dbs.sh): the decoded one must arrive.
    let _checked = password_checked(&server, &role);
    // Declared after the role: dropped first.
    let db = TestDb::create(Engine::Postgres, "live_pg_password").unwrap();
    db.exec(&crowfoot::sql::export(&sample("social"), Dialect::Postgres).sql)
        .unwrap();

    let url = url(&db.server, &db.name, Some(PASSWORD_IN_URL), Some(&role));
    let ImportSource::Live(live) = classify(&url) else {
        panic!("{url} is a server URL");
    };
    let params = live.params().unwrap();
    assert_eq!(params.password.as_deref(), Some(PASSWORD));
    assert_eq!(params.user.as_deref(), Some(role.as_str()));
    assert!(!live.redacted().contains("p%40ss"), "{}", live.redacted());
    assert!(live.redacted().contains(&format!("{role}:***@")));

    // The import runs as the role (it needs pg_read_all_data to dump).
    let r = import_source(&url, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.project.table_count(), sample("social").table_count());
    assert_secret_free(&r.project, &url);

    // The command line shows the URL redacted and writes a project without it.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.ron");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_crowfoot"))
        .args(["import", &url, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{err}");
    assert!(err.contains(&format!("{role}:***@")), "{err}");
    assert!(err.contains("PostgreSQL (live server)"), "{err}");
    assert!(!err.contains("p%40ss") && !err.contains("p@ss"), "{err}");
    let saved = project_file::load(&out).unwrap();
    assert_eq!(saved.name(), db.name);
    assert_secret_free(&saved, &url);
}

/// A MariaDB account `user` identified by `password` with the rights a dump needs on `db`,
/// dropped when the returned guard goes.
fn mariadb_user(db: &TestDb, user: &str, password: &str) -> Account {
    let quoted_pw = password.replace('\\', "\\\\").replace('\'', "\\'");
    let account = Account {
        server: db.server.clone(),
        drop_sql: format!("DROP USER IF EXISTS '{user}'@'%';\n"),
    };
    db.server
        .run_script(
            "mysql",
            &format!(
                "DROP USER IF EXISTS '{user}'@'%';\n\
                 CREATE USER '{user}'@'%' IDENTIFIED BY '{quoted_pw}';\n\
                 GRANT SELECT, SHOW VIEW, TRIGGER, LOCK TABLES, EVENT ON `{}`.* TO '{user}'@'%';\n",
                db.name
            ),
        )
        .unwrap();
    account
}

#[test]
fn mariadb_password_authenticates_through_the_option_file() {
    let Some(db) = TestDb::create(Engine::MariaDb, "live_my_password") else {
        return;
    };
    let user = format!("crowfoot_pw_{}", std::process::id());
    let _account = mariadb_user(&db, &user, PASSWORD);
    db.exec(&crowfoot::sql::export(&sample("social"), Dialect::MySql).sql)
        .unwrap();

    // MariaDB checks passwords over TCP: this only works if the decoded password reached the
    // client intact through the temporary option file.
    let good = url(&db.server, &db.name, Some(PASSWORD_IN_URL), Some(&user));
    let r = import_source(&good, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.project.table_count(), sample("social").table_count());
    assert_secret_free(&r.project, &good);

    let bad = url(&db.server, &db.name, Some("wrong"), Some(&user));
    match import_source(&bad, None) {
        Err(e @ SourceError::AuthFailed { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains(&format!("{user}:***@")), "{msg}");
            assert!(!msg.contains("wrong"), "{msg}");
        }
        other => panic!("expected an authentication failure, got {other:?}"),
    }
    // No option file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("crowfoot-client-")
        })
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter(|text| text.contains("p@ss"))
        .collect();
    assert!(leftovers.is_empty(), "a password file was left behind");
}

#[test]
fn a_missing_database_is_reported() {
    for engine in [Engine::Postgres, Engine::MariaDb] {
        let Some(server) = support::dbs::server(engine, "live_missing_db") else {
            continue;
        };
        let url = url(&server, "crowfoot_no_such_database", None, None);
        match import_source(&url, None) {
            Err(SourceError::NoDatabase { message, .. }) => {
                assert!(message.contains("crowfoot_no_such_database"), "{message}")
            }
            other => panic!("{url}: expected NoDatabase, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors that need no server

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn an_unreachable_server_is_an_error_with_a_message() {
    for scheme in ["postgres", "mysql"] {
        let url = format!("{scheme}://someone:secret@127.0.0.1:{}/app", free_port());
        let e = import_source(&url, None).expect_err("nothing listens there");
        let msg = e.to_string();
        assert!(
            matches!(
                e,
                SourceError::Unreachable { .. } | SourceError::ToolMissing { .. }
            ),
            "{url}: {e:?}"
        );
        assert!(!msg.contains("secret"), "{msg}");
        if let SourceError::Unreachable { .. } = e {
            assert!(msg.contains("someone:***@127.0.0.1"), "{msg}");
            assert!(msg.contains("cannot reach the server"), "{msg}");
        }
    }
}

#[test]
fn a_missing_dump_tool_names_the_package() {
    for (url, needle) in [
        (
            "postgres://u:secret@127.0.0.1:1/db",
            "pg_dump not found: install postgresql-client",
        ),
        (
            "mysql://u:secret@127.0.0.1:1/db",
            "mariadb-dump (or mysqldump) not found",
        ),
    ] {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_crowfoot"))
            .args(["import", url])
            .env("PATH", "")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{err}");
        assert!(err.contains(needle), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }
}

#[test]
fn unknown_schemes_and_bad_urls() {
    // An unknown scheme is a path, and reading it says so.
    let ImportSource::Script(path) = classify("oracle://scott@db/orcl") else {
        panic!("an unknown scheme is a file path");
    };
    assert_eq!(path, PathBuf::from("oracle://scott@db/orcl"));
    match import_source("oracle://scott@db/orcl", None) {
        Err(e @ SourceError::NotFound(_)) => {
            let msg = e.to_string();
            assert!(msg.contains("file not found"), "{msg}");
            assert!(msg.contains("postgres://"), "{msg}");
        }
        other => panic!("expected file not found, got {other:?}"),
    }
    assert!(matches!(
        classify("POSTGRESQL://h/db"),
        ImportSource::Live(u) if u.engine() == LiveEngine::Postgres
    ));
    for bad in [
        "postgres://u:secret@h:notaport/db",
        "mysql://u:secret@h",
        "postgres://u:secret@h/db?unknown=1",
    ] {
        let e = import_source(bad, None).expect_err(bad);
        assert!(matches!(e, SourceError::InvalidUrl { .. }), "{bad}: {e:?}");
        assert!(!e.to_string().contains("secret"), "{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// Files

#[test]
fn sqlite_database_files_are_read_read_only() {
    let dir = tempfile::tempdir().unwrap();
    // Any name: the file's first bytes decide.
    let path = dir.path().join("inventory.data");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        // An index created before a later table: the import reads tables first anyway.
        conn.execute_batch(
            "CREATE TABLE item (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE);\n\
             CREATE INDEX item_sku_desc ON item (sku DESC);\n\
             CREATE VIEW skus AS SELECT sku FROM item;\n\
             CREATE TABLE stock (id INTEGER PRIMARY KEY, \
                 item_id INTEGER NOT NULL REFERENCES item(id), qty INTEGER);\n\
             CREATE INDEX stock_item ON stock (item_id);\n\
             CREATE TABLE later (id INTEGER PRIMARY KEY);\n",
        )
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let arg = path.to_str().unwrap();
    assert!(matches!(classify(arg), ImportSource::SqliteFile(_)));
    let r = import_source(arg, Some(Dialect::Postgres)).unwrap();
    assert_eq!(
        r.dialect,
        Dialect::Sqlite,
        "an SQLite file is always SQLite"
    );
    assert_eq!(r.project.name(), "inventory");
    let names: Vec<_> = r.project.tables().map(|t| t.name.clone()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let stock = r.project.table_by_name(None, "stock").unwrap();
    assert_eq!(stock.indexes.len(), 1);
    assert_eq!(stock.indexes[0].name, "stock_item");
    assert_eq!(r.project.foreign_key_count(), 1);
    assert_eq!(r.project.views().count(), 1);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is not written"
    );
    // import_file is the same thing for a path.
    let again = import_file(&path, None).unwrap();
    assert_eq!(again.project.table_count(), 3);
}

#[test]
fn scripts_are_read_lossily_and_missing_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.sql");
    let mut bytes = b"-- caf\xe9\nCREATE TABLE t (id integer PRIMARY KEY, note text);\n".to_vec();
    bytes.extend_from_slice(b"COMMENT ON COLUMN t.note IS 'r\xe9sum\xe9';\n");
    std::fs::write(&path, &bytes).unwrap();
    let r = import_source(path.to_str().unwrap(), Some(Dialect::Postgres)).unwrap();
    assert_eq!(r.project.name(), "latin1");
    assert_eq!(r.project.table_count(), 1);

    let missing = dir.path().join("nope.sql");
    let e = import_source(missing.to_str().unwrap(), None).unwrap_err();
    assert!(matches!(e, SourceError::NotFound(_)), "{e:?}");
    assert!(e.to_string().contains("nope.sql: file not found"), "{e}");
    let e = import_source(dir.path().to_str().unwrap(), None).unwrap_err();
    assert!(
        matches!(e, SourceError::NotAFile { .. }),
        "a directory: {e:?}"
    );
    assert!(e.to_string().contains("directory"), "{e}");

    // A truncated SQLite header is not taken for a database, not a crash; named like a
    // database, it is refused with the reason (issue 13).
    let short = dir.path().join("short.db");
    std::fs::write(&short, b"SQLite format").unwrap();
    assert!(matches!(
        classify(short.to_str().unwrap()),
        ImportSource::Script(_)
    ));
    let e = import_source(short.to_str().unwrap(), None).unwrap_err();
    assert!(e.to_string().contains("no SQLite header"), "{e}");
    // A file with the SQLite header but garbage after it: a clear SQLite error.
    let broken = dir.path().join("broken.db");
    let mut junk = b"SQLite format 3\0".to_vec();
    junk.extend(std::iter::repeat_n(0xA5u8, 2000));
    std::fs::write(&broken, junk).unwrap();
    let e = import_source(broken.to_str().unwrap(), None).unwrap_err();
    assert!(matches!(e, SourceError::Sqlite { .. }), "{e:?}");
    assert!(e.to_string().contains("broken.db"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Hanging servers, killed imports and passwords

const BIN: &str = env!("CARGO_BIN_EXE_crowfoot");

/// A password that must never show up anywhere.
const SECRET: &str = "s3cr3t-never-shown";

use support::dbs::silent_server;

/// Whether one of `tools` is installed; when none is, the caller skips (or, with
/// `CROWFOOT_REQUIRE_DBS=1`, fails).
fn have_tool(tools: &[&str], test: &str) -> bool {
    let found = tools.iter().any(|t| {
        Command::new(t)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    });
    if !found {
        assert!(
            !support::dbs::dbs_required(),
            "{test}: {tools:?} not installed but CROWFOOT_REQUIRE_DBS=1"
        );
        eprintln!("{test}: SKIPPED the {tools:?} part: not installed");
    }
    found
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// Run `crowfoot ARGS` with `stdin`, no password variables from this environment (`HOME` is
/// an empty directory, so no ~/.pgpass or ~/.my.cnf) plus `env`; it must end within `limit`
/// (else it is killed and the test fails: it hung).
fn crowfoot(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)], limit: Duration) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("HOME", home.path())
        .env_remove("PGPASSWORD")
        .env_remove("PGPASSFILE")
        .env_remove("MYSQL_PWD")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = pipe.read_to_string(&mut s);
            s
        })
    };
    let out = read(Box::new(child.stdout.take().unwrap()));
    let err = read(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "crowfoot {args:?} hung for {limit:?}; stderr: {}",
                err.join().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        took: start.elapsed(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

#[test]
fn a_server_that_accepts_and_never_answers_times_out() {
    let port = silent_server();
    for (scheme, tools) in [
        ("mysql", &["mariadb-dump", "mysqldump"][..]),
        ("postgres", &["pg_dump"][..]),
    ] {
        if !have_tool(tools, "silent server") {
            continue;
        }
        let url = format!("{scheme}://someone:{SECRET}@127.0.0.1:{port}/app");
        let run = crowfoot(
            &["import", &url, "--timeout", "2"],
            None,
            &[],
            Duration::from_secs(60),
        );
        assert_eq!(run.code, Some(2), "{url}: {}", run.stderr);
        let expected = format!(
            "error: {scheme}://someone:***@127.0.0.1:{port}/app: timed out: the server did not \
             answer within 2 s"
        );
        assert!(run.stderr.contains(&expected), "{}", run.stderr);
        assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
        assert!(
            run.took < Duration::from_secs(8),
            "{scheme}: took {:?}",
            run.took
        );

        // The library: the same error as a value, within the (sub-second) timeout given.
        let start = Instant::now();
        let options = LiveOptions {
            timeout: Duration::from_millis(1500),
            password: None,
        };
        match import_source_with(&url, None, &options) {
            Err(e @ SourceError::Timeout { .. }) => {
                assert!(e.to_string().contains("within 1.5 s"), "{e}");
            }
            other => panic!("{url}: expected a timeout, got {other:?}"),
        }
        assert!(
            start.elapsed() < Duration::from_secs(6),
            "{:?}",
            start.elapsed()
        );
    }
    assert_eq!(
        LiveOptions::default().timeout,
        Duration::from_secs(10),
        "the documented default"
    );
}

/// Processes whose parent is `pid` (Linux /proc).
#[cfg(target_os = "linux")]
fn children_of(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(n) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Some((_, ppid)) = proc_state(n)
            && ppid == pid
        {
            out.push(n);
        }
    }
    out
}

/// State letter and parent of a process, if it exists.
#[cfg(target_os = "linux")]
fn proc_state(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) S ppid ...`; comm may hold spaces and parentheses.
    let mut rest = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = rest.next()?.chars().next()?;
    Some((state, rest.next()?.parse().ok()?))
}

/// Running (a zombie waiting for a reaper has been killed already).
#[cfg(target_os = "linux")]
fn alive(pid: u32) -> bool {
    proc_state(pid).is_some_and(|(state, _)| !matches!(state, 'Z' | 'X'))
}

/// Poll `f` every 20 ms for up to `limit`.
fn wait_for<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every file under `dir` (recursively) whose name or content contains `needle`, or whose name
/// starts with `crowfoot-client`.
fn secrets_under(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("crowfoot-client") || name.contains(needle) {
            found.push(path.clone());
        }
        if path.is_dir() {
            found.extend(secrets_under(&path, needle));
        } else if std::fs::read(&path).is_ok_and(|b| String::from_utf8_lossy(&b).contains(needle)) {
            found.push(path);
        }
    }
    found
}

/// Kills a process at the end of a test (one that should have died already).
#[cfg(target_os = "linux")]
struct KillOnDrop(u32);

#[cfg(target_os = "linux")]
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if alive(self.0) {
            // SAFETY: kill(2) on a pid this test saw as crowfoot's child.
            unsafe {
                libc::kill(self.0 as libc::pid_t, libc::SIGKILL);
            }
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn killing_crowfoot_takes_the_dump_tool_along_and_leaves_no_password_behind() {
    use std::os::unix::process::ExitStatusExt;
    let port = silent_server();
    for (scheme, tools) in [
        ("mysql", &["mariadb-dump", "mysqldump"][..]),
        ("postgres", &["pg_dump"][..]),
    ] {
        if !have_tool(tools, "killed import") {
            continue;
        }
        for signal in [libc::SIGKILL, libc::SIGTERM, libc::SIGINT] {
            let what = format!("{scheme}, signal {signal}");
            // Temporary files go here (TMPDIR), so this test sees them.
            let tmp = tempfile::tempdir().unwrap();
            let url = format!("{scheme}://someone:{SECRET}@127.0.0.1:{port}/app");
            let mut cmd = Command::new(BIN);
            cmd.args(["import", &url, "--timeout", "120"])
                .env("TMPDIR", tmp.path())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            // As from an interactive shell: a CI job may run with SIGINT ignored, which
            // crowfoot (rightly) leaves ignored.
            // SAFETY: signal(2) is async-signal-safe.
            unsafe {
                use std::os::unix::process::CommandExt;
                cmd.pre_exec(|| {
                    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                        libc::signal(sig, libc::SIG_DFL);
                    }
                    Ok(())
                });
            }
            let mut cf = cmd.spawn().unwrap();
            let _cf_guard = KillOnDrop(cf.id());
            let tool = wait_for(Duration::from_secs(10), || {
                children_of(cf.id()).first().copied()
            })
            .unwrap_or_else(|| panic!("{what}: the dump tool did not start"));
            let _tool_guard = KillOnDrop(tool);
            // It waits for the server: the password is in no file and not on its command line.
            std::thread::sleep(Duration::from_millis(300));
            assert!(alive(tool), "{what}: the tool should still be waiting");
            let cmdline = std::fs::read(format!("/proc/{tool}/cmdline")).unwrap();
            assert!(
                !String::from_utf8_lossy(&cmdline).contains(SECRET),
                "{what}: the password is on the command line"
            );
            assert_eq!(
                secrets_under(tmp.path(), SECRET),
                Vec::<PathBuf>::new(),
                "{what}: a password file exists while the tool runs"
            );

            // SAFETY: kill(2) on the crowfoot process this test started.
            unsafe {
                libc::kill(cf.id() as libc::pid_t, signal);
            }
            let status = cf.wait().unwrap();
            if signal != libc::SIGKILL {
                // Terminated as by the signal (a shell shows 130 / 143).
                assert!(
                    status.signal() == Some(signal) || status.code() == Some(128 + signal),
                    "{what}: {status:?}"
                );
            }
            assert!(
                wait_for(Duration::from_secs(3), || (!alive(tool)).then_some(())).is_some(),
                "{what}: the dump tool (pid {tool}) outlived crowfoot"
            );
            assert_eq!(
                secrets_under(tmp.path(), SECRET),
                Vec::<PathBuf>::new(),
                "{what}: left behind"
            );
        }
    }
}

/// Give `role` (a PostgreSQL login role) a password the server checks, via the group that
/// scripts/dbs.sh's pg_hba.conf names; panics if the server does not check it.
fn password_checked(server: &Server, role: &str) -> String {
    server
        .run_script(
            "postgres",
            &format!(
                "DO $$ BEGIN CREATE ROLE crowfoot_password_users NOLOGIN; \
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;\n\
                 GRANT crowfoot_password_users TO {role};\n"
            ),
        )
        .unwrap();
    let wrong = url(server, "postgres", Some("wrong"), Some(role));
    match import_source(&wrong, None) {
        Err(SourceError::AuthFailed { .. }) => role.to_string(),
        other => panic!(
            "the test server must check passwords of crowfoot_password_users members over TCP \
             (scripts/dbs.sh adds `host all +crowfoot_password_users 127.0.0.1/32 \
             scram-sha-256` to pg_hba.conf); a wrong password gave {other:?}"
        ),
    }
}

/// Quotes, a backslash, spaces, `:`, `#`, `;` and non-ASCII: names are data.
const NASTY: &str = "it's \"q\" a\\b: é ✓ #; x";

#[test]
fn postgres_passwords_from_pgpassword_pgpass_and_stdin() {
    let Some(server) = support::dbs::server(Engine::Postgres, "live_pg_pw_sources") else {
        return;
    };
    let role = format!("crowfoot_pws_{}", std::process::id());
    let _account = Account {
        server: server.clone(),
        drop_sql: format!("DROP ROLE IF EXISTS {role};\n"),
    };
    server
        .run_script(
            "postgres",
            &format!(
                "DROP ROLE IF EXISTS {role};\n\
                 CREATE ROLE {role} LOGIN PASSWORD '{}';\n\
                 GRANT pg_read_all_data TO {role};\n",
                NASTY.replace('\'', "''")
            ),
        )
        .unwrap();
    password_checked(&server, &role);
    let db = TestDb::create(Engine::Postgres, "live_pg_pw_sources").unwrap();
    db.exec("CREATE TABLE only_table (id integer PRIMARY KEY);\n")
        .unwrap();
    let bare = url(&db.server, &db.name, None, Some(&role));
    let tables = |run: &Run| {
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(!run.stderr.contains(NASTY), "{}", run.stderr);
        assert!(run.stdout.contains("only_table"), "{}", run.stdout);
        assert!(
            !run.stdout.contains(NASTY),
            "the password is not in the project"
        );
    };
    let limit = Duration::from_secs(60);
    let import = ["import", bare.as_str()];

    tables(&crowfoot(&import, None, &[("PGPASSWORD", NASTY)], limit));
    let stdin = format!("{NASTY}\n");
    tables(&crowfoot(
        &["import", &bare, "--password-stdin"],
        Some(&stdin),
        &[],
        limit,
    ));
    // A CRLF line (Windows clipboard) is the same password.
    tables(&crowfoot(
        &["import", &bare, "--password-stdin"],
        Some(&format!("{NASTY}\r\n")),
        &[],
        limit,
    ));

    // ~/.pgpass (0600; `:` and `\` escaped) is read although pg_dump may never prompt.
    let home = tempfile::tempdir().unwrap();
    let pgpass = home.path().join(".pgpass");
    let escaped = NASTY.replace('\\', "\\\\").replace(':', "\\:");
    let port = server.port.map_or("*".to_string(), |p| p.to_string());
    std::fs::write(&pgpass, format!("*:{port}:*:{role}:{escaped}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let home_env = home.path().to_str().unwrap();
    tables(&crowfoot(&import, None, &[("HOME", home_env)], limit));

    // A wrong password is refused; none at all says where to give one.
    let wrong = crowfoot(&import, None, &[("PGPASSWORD", "wrong")], limit);
    assert_eq!(wrong.code, Some(2), "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("authentication failed"),
        "{}",
        wrong.stderr
    );
    let none = crowfoot(&import, None, &[], limit);
    assert_eq!(none.code, Some(2), "{}", none.stderr);
    assert!(
        none.stderr
            .contains("no password was given: use PGPASSWORD, ~/.pgpass or --password-stdin"),
        "{}",
        none.stderr
    );

    // A password in the URL and on stdin: which one was meant? Refused.
    let both = url(&db.server, &db.name, Some("x"), Some(&role));
    let run = crowfoot(
        &["import", &both, "--password-stdin"],
        Some(&stdin),
        &[],
        limit,
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("give it once"), "{}", run.stderr);
    // And not for a file.
    let run = crowfoot(
        &["import", "schema.sql", "--password-stdin"],
        Some(&stdin),
        &[],
        limit,
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("--password-stdin is for a server URL"),
        "{}",
        run.stderr
    );
}

#[test]
fn mariadb_passwords_from_stdin_and_mysql_pwd() {
    let Some(db) = TestDb::create(Engine::MariaDb, "live_my_pw_sources") else {
        return;
    };
    let user = format!("crowfoot_pws_{}", std::process::id());
    let _account = mariadb_user(&db, &user, NASTY);
    db.exec("CREATE TABLE only_table (id integer PRIMARY KEY);\n")
        .unwrap();
    let bare = url(&db.server, &db.name, None, Some(&user));
    let limit = Duration::from_secs(60);
    let ok = |run: Run| {
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(run.stdout.contains("only_table"), "{}", run.stdout);
        assert!(!run.stdout.contains(NASTY) && !run.stderr.contains(NASTY));
    };
    // MariaDB checks passwords over TCP: each works only if it arrived intact.
    ok(crowfoot(
        &["import", &bare, "--password-stdin"],
        Some(&format!("{NASTY}\n")),
        &[],
        limit,
    ));
    ok(crowfoot(
        &["import", &bare],
        None,
        &[("MYSQL_PWD", NASTY)],
        limit,
    ));
    // In the library: LiveOptions::password, as the studio passes it.
    let options = LiveOptions {
        password: Some(NASTY.to_string()),
        ..LiveOptions::default()
    };
    let r = import_source_with(&bare, None, &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.project.table_count(), 1);

    let wrong = crowfoot(
        &["import", &bare, "--password-stdin"],
        Some("wrong\n"),
        &[],
        limit,
    );
    assert_eq!(wrong.code, Some(2), "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("authentication failed"),
        "{}",
        wrong.stderr
    );
    assert!(
        !wrong.stderr.contains("no password was given"),
        "{}",
        wrong.stderr
    );
    let none = crowfoot(&["import", &bare], None, &[], limit);
    assert_eq!(none.code, Some(2), "{}", none.stderr);
    assert!(
        none.stderr
            .contains("use MYSQL_PWD, ~/.my.cnf or --password-stdin)"),
        "{}",
        none.stderr
    );
}
