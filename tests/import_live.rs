//! `import_source` end to end: SQLite database files, scripts, and live PostgreSQL / MariaDB
//! servers read through `pg_dump` / `mariadb-dump`.
//!
//! A sample project is exported, loaded into a fresh database on a real server
//! (tests/support/dbs.rs), imported back from the server's URL, and compared with the model by
//! name: tables, columns, primary keys, foreign keys, unique keys and indexes. Passwords are
//! exercised (percent-decoding, MariaDB's real authentication) and checked never to reach the
//! saved project.
//!
//! Without `CROWFOOT_PG` / `CROWFOOT_MYSQL` the server parts are skipped (with a message),
//! unless `CROWFOOT_REQUIRE_DBS=1` (as `./test.sh` sets).

mod support {
    pub mod dbs;
}

use crowfoot::model::{Dialect, IndexTarget, Project, Table};
use crowfoot::project_file;
use crowfoot::sql::import::source::{
    ImportSource, LiveEngine, SourceError, classify, import_file, import_source,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
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

    // Loopback uses trust authentication in the test servers, so the password is not checked
    // here; the import runs as the role (it needs pg_read_all_data to dump).
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

#[test]
fn mariadb_password_authenticates_through_the_option_file() {
    let Some(db) = TestDb::create(Engine::MariaDb, "live_my_password") else {
        return;
    };
    let user = format!("crowfoot_pw_{}", std::process::id());
    let quoted_pw = PASSWORD.replace('\\', "\\\\").replace('\'', "\\'");
    let _account = Account {
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
    assert!(matches!(e, SourceError::Read { .. }), "a directory: {e:?}");

    // A truncated SQLite header is just a (strange) script, not a crash.
    let short = dir.path().join("short.db");
    std::fs::write(&short, b"SQLite format").unwrap();
    assert!(matches!(
        classify(short.to_str().unwrap()),
        ImportSource::Script(_)
    ));
    // A file with the SQLite header but garbage after it: a clear SQLite error.
    let broken = dir.path().join("broken.db");
    let mut junk = b"SQLite format 3\0".to_vec();
    junk.extend(std::iter::repeat_n(0xA5u8, 2000));
    std::fs::write(&broken, junk).unwrap();
    let e = import_source(broken.to_str().unwrap(), None).unwrap_err();
    assert!(matches!(e, SourceError::Sqlite { .. }), "{e:?}");
    assert!(e.to_string().contains("broken.db"), "{e}");
}
