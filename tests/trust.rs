//! Issue 13 (trust: nothing lost, nothing executed, nothing hangs): one regression test per
//! defect found by probing the CLI as a hostile user would.

#[path = "support/run.rs"]
mod run;
use run::{crowfoot, text};

use proptest::prelude::*;
use std::path::Path;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

const TWO_TABLES: &str = "CREATE TABLE author (id integer PRIMARY KEY, name text NOT NULL);\n\
                          CREATE TABLE book (id integer PRIMARY KEY, author_id integer REFERENCES author (id), title text);\n";

// -- 1. diff never drops what an import skipped -------------------------------------------------

#[test]
fn diff_reads_a_bom_and_never_drops_a_table_a_skipped_statement_names() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.sql", TWO_TABLES.as_bytes());
    // The same script behind a UTF-8 byte order mark: no change at all.
    let mut bom = "\u{feff}".as_bytes().to_vec();
    bom.extend_from_slice(TWO_TABLES.as_bytes());
    write(dir.path(), "b.sql", &bom);
    let out = crowfoot(&["diff", "a.sql", "b.sql"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("DROP"), "{}", text(&out.stdout));

    // The first table of NEW cannot be parsed: it is skipped, said so, and not dropped.
    let broken = TWO_TABLES.replacen("integer PRIMARY KEY", "integer PRIMARY KEY ((", 1);
    write(dir.path(), "c.sql", broken.as_bytes());
    let out = crowfoot(&["diff", "a.sql", "c.sql", "--to", "postgres"], dir.path());
    let (up, err) = (text(&out.stdout), text(&out.stderr));
    assert!(!up.contains("DROP TABLE"), "{up}");
    assert!(
        err.contains("c.sql:1:1"),
        "the skipped statement is reported: {err}"
    );
    assert!(err.contains("incomplete"), "{err}");
    assert!(err.contains("table author"), "{err}");

    // --allow-incomplete is the explicit way past it.
    let out = crowfoot(
        &[
            "diff",
            "a.sql",
            "c.sql",
            "--to",
            "postgres",
            "--allow-incomplete",
        ],
        dir.path(),
    );
    assert!(
        text(&out.stdout).contains("DROP TABLE"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn diff_does_not_drop_a_column_a_partial_statement_lost_in_the_old_script() {
    let dir = tempfile::tempdir().unwrap();
    // OLD's index statement is skipped; NEW has the index: the down migration must not drop it.
    write(
        dir.path(),
        "old.sql",
        b"CREATE TABLE t (id integer PRIMARY KEY, a integer);\nCREATE INDEX ix_a ON t (a) WITH ((;\n",
    );
    write(
        dir.path(),
        "new.sql",
        b"CREATE TABLE t (id integer PRIMARY KEY, a integer);\nCREATE INDEX ix_a ON t (a);\n",
    );
    let down = dir.path().join("down.sql");
    let out = crowfoot(
        &[
            "diff",
            "old.sql",
            "new.sql",
            "--to",
            "postgres",
            "--down",
            down.to_str().unwrap(),
        ],
        dir.path(),
    );
    let down = std::fs::read_to_string(&down).unwrap();
    assert!(
        !down.contains("DROP INDEX"),
        "{down}\n{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("table t"),
        "{}",
        text(&out.stderr)
    );
}

/// Table names with odd characters, quoted as PostgreSQL quotes them.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Whatever table a skipped statement of NEW creates, up.sql never drops it.
    #[test]
    fn diff_never_drops_an_object_named_by_a_skipped_statement(
        names in proptest::collection::btree_set("[a-z][a-z0-9_ ]{0,6}[a-z0-9é🦀\"]", 2..6),
        broken in 0usize..6,
        garbage in prop::sample::select(vec!["((", "PRIMARY PRIMARY", ");", "CHECK (", "\u{feff}"]),
    ) {
        let names: Vec<String> = names.into_iter().map(|n| n.trim().to_string()).collect();
        let mut names = names;
        names.sort();
        names.dedup();
        prop_assume!(names.len() >= 2 && names.iter().all(|n| !n.is_empty()));
        let broken = broken % names.len();
        let stmt = |n: &str, bad: bool| {
            format!(
                "CREATE TABLE {} (id integer PRIMARY KEY, v text{});\n",
                quoted(n),
                if bad { format!(" {garbage}") } else { String::new() }
            )
        };
        let old: String = names.iter().map(|n| stmt(n, false)).collect();
        let new: String = names
            .iter()
            .enumerate()
            .map(|(i, n)| stmt(n, i == broken))
            .collect();
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "old.sql", old.as_bytes());
        write(dir.path(), "new.sql", new.as_bytes());
        let out = crowfoot(&["diff", "old.sql", "new.sql", "--to", "postgres"], dir.path());
        let up = text(&out.stdout);
        prop_assert!(out.status.code() == Some(0) || out.status.code() == Some(1), "{}", text(&out.stderr));
        prop_assert!(!up.contains("DROP"), "broken {:?}:\n{}\n{}", names[broken], up, text(&out.stderr));
    }
}

// -- 8. closed and full standard output -----------------------------------------------------------

#[test]
fn a_closed_or_full_stdout_is_not_a_panic() {
    use std::process::{Command, Stdio};
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // A reader that goes away at once: the writer gets EPIPE (SIGPIPE is ignored by Rust).
    let mut child = Command::new(env!("CARGO_BIN_EXE_crowfoot"))
        .args(["export", "projects/shop.ron", "--to", "postgres"])
        .current_dir(repo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");

    // A full disk: an error, exit 2.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    for args in [
        &["info", "projects/shop.ron"][..],
        &["export", "projects/shop.ron", "--to", "mysql"][..],
        &["check", "projects/shop.ron", "--format", "json"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_crowfoot"))
            .args(args)
            .current_dir(repo)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains("No space left on device"), "{err}");
    }
}

// -- 4, 5. saves: symlinks, atomic backups, litter ----------------------------------------------

fn sample() -> crowfoot::model::Project {
    crowfoot::samples::shop::build()
}

#[cfg(unix)]
#[test]
fn saves_never_follow_a_planted_backup_symlink_and_write_through_a_project_link() {
    use crowfoot::project_file::{backup_path, load, save};
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let p = d.join("p.ron");
    save(&sample(), &p).unwrap();
    let first = std::fs::read(&p).unwrap();
    symlink(&victim, backup_path(&p)).unwrap();
    save(&sample(), &p).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let bak = std::fs::symlink_metadata(backup_path(&p)).unwrap();
    assert!(
        bak.file_type().is_file(),
        "the link was replaced by the backup"
    );
    assert_eq!(std::fs::read(backup_path(&p)).unwrap(), first);

    // A project opened through a symlink: the link stays, its target is saved.
    std::fs::create_dir(d.join("real")).unwrap();
    let real = d.join("real").join("q.ron");
    save(&sample(), &real).unwrap();
    let link = d.join("q-link.ron");
    symlink(&real, &link).unwrap();
    let mut changed = sample();
    crowfoot::model::Command::SetProjectName("renamed through the link".into())
        .apply(&mut changed)
        .unwrap();
    save(&changed, &link).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(load(&real).unwrap().name(), "renamed through the link");
    assert!(
        backup_path(&real).exists(),
        "the target's backup sits next to it"
    );
    assert!(!backup_path(&link).exists());
}

#[cfg(unix)]
#[test]
fn the_backup_is_made_atomically_and_killed_saves_leave_no_litter() {
    use crowfoot::project_file::{backup_path, save};
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = d.join("p.ron");
    save(&sample(), &p).unwrap();
    // The backup is the previous file itself (a link to its inode), not a truncating copy.
    let ino = std::fs::metadata(&p).unwrap().ino();
    save(&sample(), &p).unwrap();
    assert_eq!(std::fs::metadata(backup_path(&p)).unwrap().ino(), ino);

    // A backup that cannot be made: the error says so, and nothing changed.
    std::fs::remove_file(backup_path(&p)).unwrap();
    std::fs::create_dir(backup_path(&p)).unwrap();
    std::fs::write(backup_path(&p).join("keep"), "x").unwrap();
    let before = std::fs::read(&p).unwrap();
    let mut changed = sample();
    crowfoot::model::Command::SetProjectName("changed".into())
        .apply(&mut changed)
        .unwrap();
    let e = save(&changed, &p).unwrap_err().to_string();
    assert!(e.contains("could not make the backup"), "{e}");
    assert_eq!(std::fs::read(&p).unwrap(), before);
    std::fs::remove_dir_all(backup_path(&p)).unwrap();

    // Temporary files of a killed save (an hour old) are removed by the next save; a fresh
    // one (a save in progress elsewhere) and unrelated files stay.
    let stale = d.join(".p.ron.Ab3dE9.tmp");
    let fresh = d.join(".p.ron.Zz9yX1.tmp");
    let other = d.join(".p.ron.notes.tmp");
    for f in [&stale, &fresh, &other] {
        std::fs::write(f, vec![b'x'; 1 << 20]).unwrap();
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for f in [&stale, &other] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    save(&sample(), &p).unwrap();
    assert!(!stale.exists());
    assert!(fresh.exists());
    assert!(other.exists());
    let litter: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("tmp") && n != ".p.ron.Zz9yX1.tmp" && n != ".p.ron.notes.tmp")
        .collect();
    assert!(litter.is_empty(), "{litter:?}");
}

// -- 6. an output onto an input ---------------------------------------------------------------------

#[test]
fn an_output_that_is_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    crowfoot::project_file::save(&sample(), &d.join("p.ron")).unwrap();
    crowfoot::project_file::save(&sample(), &d.join("q.ron")).unwrap();
    write(d, "s.sql", TWO_TABLES.as_bytes());
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("p.ron"), d.join("alias.ron")).unwrap();
    let p_before = std::fs::read(d.join("p.ron")).unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["export", "p.ron", "--to", "postgres", "-o", "p.ron"],
        vec!["export", "p.ron", "--to", "mysql", "-o", "./p.ron"],
        vec!["doc", "p.ron", "-o", "p.ron"],
        vec!["render", "p.ron", "-o", "p.ron"],
        vec!["import", "s.sql", "-o", "s.sql"],
        vec!["diff", "p.ron", "q.ron", "-o", "p.ron"],
        vec!["diff", "p.ron", "q.ron", "--down", "q.ron"],
        #[cfg(unix)]
        vec!["export", "p.ron", "--to", "sqlite", "-o", "alias.ron"],
    ];
    for args in &cases {
        let out = crowfoot(args, d);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("the output is the input"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(d.join("p.ron")).unwrap(), p_before);
    assert_eq!(
        std::fs::read_to_string(d.join("s.sql")).unwrap(),
        TWO_TABLES
    );

    // An output that is a project file of a newer format is not overwritten.
    let newer = "(format_version: 99, name: \"from the future\", next_id: 1)\n";
    write(d, "newer.ron", newer.as_bytes());
    for args in [
        &["export", "p.ron", "--to", "postgres", "-o", "newer.ron"][..],
        &["import", "s.sql", "-o", "newer.ron"][..],
    ] {
        let out = crowfoot(args, d);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("format_version 99"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(d.join("newer.ron")).unwrap(), newer);
}

// -- 7. a crafted project file runs no SQL --------------------------------------------------------

const BREAKOUT: &str =
    "int); ATTACH DATABASE 'VICTIM' AS v; DROP TABLE v.users; CREATE TABLE zz (q int";

/// A project file whose column type (or default) is the hostile text.
fn crafted(dir: &Path, field: &str) -> std::path::PathBuf {
    use crowfoot::model::*;
    let mut p = Project::new("crafted");
    let mut t = Table::new(TableId(p.alloc_id()), "t");
    let mut c = Column::new(
        ColumnId(p.alloc_id()),
        "a",
        LogicalType::Native("int".into()),
    );
    c.default = Some("42".into());
    t.columns.push(c);
    Command::AddTable(Box::new(t)).apply(&mut p).unwrap();
    let text = crowfoot::project_file::to_ron_string(&p);
    let victim = dir.join("app.db");
    let hostile = BREAKOUT
        .replace("VICTIM", victim.to_str().unwrap())
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let text = match field {
        "type" => text.replace("Native(\"int\")", &format!("Native(\"{hostile}\")")),
        _ => text.replace(
            "default: \"42\"",
            &format!("default: \"0{}\"", &hostile[3..]),
        ),
    };
    assert!(text.contains("ATTACH"), "{text}");
    let path = dir.join(format!("crafted-{field}.ron"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_crafted_project_file_is_refused_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let victim = d.join("app.db");
    {
        let c = rusqlite::Connection::open(&victim).unwrap();
        c.execute_batch(
            "CREATE TABLE users (id integer primary key); INSERT INTO users VALUES (1);",
        )
        .unwrap();
    }
    write(d, "w.sql", b"SELECT * FROM t WHERE a = 1;\n");
    for field in ["type", "default"] {
        let path = crafted(d, field);
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        for args in [
            vec!["indexes", name.as_str(), "--workload", "w.sql"],
            vec!["export", name.as_str(), "--to", "sqlite"],
            vec!["check", name.as_str()],
        ] {
            let out = crowfoot(&args, d);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(&name), "located: {err}");
            assert!(
                err.contains("`;`") || err.contains("closes nothing"),
                "{err}"
            );
            assert!(!text(&out.stdout).contains("ATTACH"), "nothing emitted");
        }
    }
    let c = rusqlite::Connection::open(&victim).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "the unrelated database is untouched");
}

#[test]
fn edits_refuse_text_that_would_start_a_second_statement() {
    use crowfoot::model::*;
    let mut p = sample();
    let t = p.tables().next().unwrap().clone();
    let mut c = t.columns[0].clone();
    for (ty, default) in [
        (LogicalType::Native(BREAKOUT.into()), None),
        (c.ty.clone(), Some("0); DROP TABLE users; --".to_string())),
        (
            c.ty.clone(),
            Some("'\\'; DROP TABLE users; --'".to_string()),
        ),
    ] {
        c.ty = ty;
        c.default = default;
        let r = Command::UpdateColumn {
            table: t.id,
            column: Box::new(c.clone()),
        }
        .apply(&mut p);
        assert!(r.is_err(), "{c:?}");
    }
    let view = View {
        id: ViewId(p.alloc_id()),
        schema: None,
        name: "v".into(),
        sql: "SELECT 1; DROP TABLE users".into(),
        materialized: false,
        depends_on: vec![],
        comment: None,
    };
    assert!(Command::PutView(view).apply(&mut p).is_err());
}

#[test]
fn the_advisor_database_cannot_attach_files_or_write_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("reached.db");
    let c = crowfoot::analysis::advisor::sandbox().unwrap();
    let attach = format!("ATTACH DATABASE '{}' AS v", target.display());
    assert!(c.execute_batch(&attach).is_err());
    assert!(!target.exists(), "no file was created");
    assert!(c.execute_batch("PRAGMA writable_schema = 1").is_err());
    assert!(c.execute_batch("SELECT load_extension('x')").is_err());
    // What the advisor needs still works.
    c.execute_batch(
        "PRAGMA foreign_keys = ON; CREATE TABLE t (a int); CREATE INDEX ix ON t (a); ANALYZE;",
    )
    .unwrap();
}

// -- 13. unreadable input is said so ---------------------------------------------------------------

#[test]
fn utf16_scripts_are_decoded_and_binary_files_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, be) in [("le.sql", false), ("be.sql", true)] {
        let mut bytes: Vec<u8> = if be {
            vec![0xfe, 0xff]
        } else {
            vec![0xff, 0xfe]
        };
        for u in TWO_TABLES.encode_utf16() {
            bytes.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        write(d, name, &bytes);
        let out = crowfoot(&["import", name, "-o", "x.ron"], d);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("imported 2 tables"),
            "{}",
            text(&out.stderr)
        );
    }
    // Random bytes: as a script, and named like a database.
    let noise: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for name in ["noise.sql", "noise.db", "notes.sqlite"] {
        write(d, name, &noise);
        let out = crowfoot(&["import", name, "-o", "n.ron"], d);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains("binary data") || err.contains("no SQLite header"),
            "{err}"
        );
        assert!(!d.join("n.ron").exists());
    }
    // A text file that is no SQL at all.
    write(
        d,
        "readme.sql",
        b"Hello, this is not SQL at all.\nJust words.\n",
    );
    let out = crowfoot(&["import", "readme.sql", "-o", "n.ron"], d);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("nothing could be imported"));
}

#[test]
fn an_unterminated_string_comment_or_body_is_reported_where_it_starts() {
    use crowfoot::model::Dialect;
    use crowfoot::sql::import::{NoteKind, import_sql};
    let cases = [
        (
            "CREATE TABLE a (x int);\n/* never closed\nCREATE TABLE b (y int);\n",
            Dialect::Sqlite,
            "comment",
            2,
        ),
        (
            "CREATE TABLE a (x int);\nCREATE TABLE c (y text DEFAULT 'open);\nCREATE TABLE b (y int);\n",
            Dialect::Sqlite,
            "string",
            2,
        ),
        (
            "CREATE TABLE a (x int);\n\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1;\nCREATE TABLE b (y int);\n",
            Dialect::Postgres,
            "$body$",
            3,
        ),
    ];
    for (sql, d, what, line) in cases {
        let r = import_sql(sql, Some(d));
        let note = r
            .report
            .iter()
            .find(|n| n.kind == NoteKind::Skipped && n.reason.contains("never closed"))
            .unwrap_or_else(|| panic!("{sql}: {:#?}", r.report));
        assert_eq!(note.line, line, "{note}");
        assert!(note.reason.contains(what), "{note}");
        // The swallowed table's name is on record, so diff never drops it.
        assert!(note.names.contains(&"b".to_string()), "{:?}", note.names);
        assert!(r.project.table_by_name(None, "a").is_some());
    }
}

#[cfg(unix)]
#[test]
fn sqlite_imports_leave_no_wal_files_and_explain_what_they_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("app.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode=WAL; CREATE TABLE t (id integer primary key, v text);",
        )
        .unwrap();
    }
    // Closed cleanly: no -wal content; the import reads it without creating -wal/-shm.
    for f in ["app.db-wal", "app.db-shm"] {
        let _ = std::fs::remove_file(d.join(f));
    }
    let out = crowfoot(&["import", "app.db", "-o", "app.ron"], d);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!d.join("app.db-wal").exists() && !d.join("app.db-shm").exists());
    // Also through diff (an SQLite file is imported, not read as a project).
    let out = crowfoot(&["diff", "app.db", "app.ron", "--to", "sqlite"], d);
    assert!(
        !text(&out.stderr).contains("UTF-8"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // A hot journal (a copy taken in the middle of a write, as a crash leaves it): the
    // read-only import cannot roll it back, and the message says so.
    let live = d.join("live.db");
    let c = rusqlite::Connection::open(&live).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode=DELETE; PRAGMA cache_size=1; CREATE TABLE t (id integer primary key, v text);\
         INSERT INTO t SELECT value, printf('%0500d', value) FROM generate_series(1, 2000);",
    )
    .or_else(|_| {
        c.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
             INSERT INTO t SELECT i, printf('%0500d', i) FROM n;",
        )
    })
    .unwrap();
    c.execute_batch("BEGIN; UPDATE t SET v = upper(v) || 'x';")
        .unwrap();
    assert!(d.join("live.db-journal").exists(), "the write is journaled");
    std::fs::copy(&live, d.join("hot.db")).unwrap();
    std::fs::copy(d.join("live.db-journal"), d.join("hot.db-journal")).unwrap();
    c.execute_batch("ROLLBACK;").unwrap();
    let out = crowfoot(&["import", "hot.db", "-o", "h.ron"], d);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("hot journal"), "{err}");
    assert!(
        d.join("hot.db-journal").exists(),
        "the evidence is left as it was"
    );
}

#[test]
fn fifos_devices_and_directories_are_refused_not_read_forever() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    crowfoot::project_file::save(&sample(), &d.join("p.ron")).unwrap();
    #[cfg(unix)]
    {
        let fifo = d.join("pipe.ron");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(ok.success());
    }
    for args in [
        &["info", "/dev/zero"][..],
        &["diff", "/dev/zero", "p.ron"][..],
        &["import", "/dev/zero"][..],
        #[cfg(unix)]
        &["info", "pipe.ron"][..],
        &["info", "."][..],
    ] {
        let started = std::time::Instant::now();
        let out = crowfoot(args, d);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("not a regular file") || err.contains("directory"),
            "{args:?}: {err}"
        );
        assert!(started.elapsed().as_secs() < 10);
    }
    // The size limit is configurable.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_crowfoot"))
        .args(["info", "p.ron"])
        .current_dir(d)
        .env("CROWFOOT_MAX_INPUT_MB", "0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("input limit"),
        "{}",
        text(&out.stderr)
    );
    // Outputs: a directory and a device get a clear refusal.
    for o in [".", "/dev/null"] {
        let out = crowfoot(&["export", "p.ron", "--to", "sqlite", "-o", o], d);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("directory") || err.contains("not a regular file"),
            "{err}"
        );
    }
}

// -- 17. messages that say where and what ----------------------------------------------------------

#[test]
fn load_errors_are_located_and_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = d.join("p.ron");
    crowfoot::project_file::save(&sample(), &p).unwrap();
    let good = std::fs::read_to_string(&p).unwrap();
    let info = |name: &str| {
        let out = crowfoot(&["info", name], d);
        assert_eq!(out.status.code(), Some(2));
        text(&out.stderr)
    };
    // Not UTF-8: line and column of the bad byte.
    let mut bytes = good.clone().into_bytes();
    let at = good.find("name:").unwrap();
    bytes[at] = 0xff;
    std::fs::write(d.join("latin.ron"), &bytes).unwrap();
    let line = good[..at].matches('\n').count() + 1;
    let err = info("latin.ron");
    assert!(
        err.contains(&format!("latin.ron:{line}:")) && err.contains("not UTF-8"),
        "{err}"
    );
    // A duplicate id: the line of its second definition.
    let ids: Vec<&str> = good
        .lines()
        .filter(|l| l.trim_start().starts_with("id: "))
        .collect();
    let (first, second) = (ids[0].trim(), ids[1].trim());
    let dup = good.replacen(second, first, 1);
    std::fs::write(d.join("dup.ron"), &dup).unwrap();
    let dup_line = dup.lines().position(|l| l.trim() == first).unwrap();
    let dup_line = dup
        .lines()
        .skip(dup_line + 1)
        .position(|l| l.trim() == first)
        .unwrap()
        + dup_line
        + 2;
    let err = info("dup.ron");
    assert!(
        err.contains(&format!("dup.ron:{dup_line}:")),
        "line {dup_line}: {err}"
    );
    // A dangling reference: the line that names the missing id.
    let fk_line = good
        .lines()
        .position(|l| l.trim_start().starts_with("to_table: "))
        .unwrap();
    let dangling: String = good
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == fk_line {
                "      to_table: 999999,".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(d.join("dangling.ron"), dangling).unwrap();
    let err = info("dangling.ron");
    assert!(
        err.contains(&format!("dangling.ron:{}:", fk_line + 1)),
        "line {}: {err}",
        fk_line + 1
    );
    // Deep nesting: no advice to the programmer.
    let deep = format!(
        "(format_version: 1, name: {}1{}, next_id: 1)",
        "[".repeat(500),
        "]".repeat(500)
    );
    std::fs::write(d.join("deep.ron"), deep).unwrap();
    let err = info("deep.ron");
    assert!(
        !err.contains("serde_stacker") && err.contains("nested too deeply"),
        "{err}"
    );
    // next_id near 2^64 is refused on load.
    let huge = good.replacen(
        &good
            .lines()
            .find(|l| l.trim_start().starts_with("next_id:"))
            .unwrap()
            .to_string(),
        "  next_id: 18446744073709551615,",
        1,
    );
    std::fs::write(d.join("huge.ron"), huge).unwrap();
    let err = info("huge.ron");
    assert!(
        err.contains("next_id") && err.contains("out of range"),
        "{err}"
    );
    // An SQLite file given as a project.
    {
        let c = rusqlite::Connection::open(d.join("x.db")).unwrap();
        c.execute_batch("CREATE TABLE t (id int);").unwrap();
    }
    std::fs::copy(d.join("x.db"), d.join("x.ron")).unwrap();
    let err = info("x.ron");
    assert!(err.contains("is an SQLite database"), "{err}");
    // import's save error names the path once.
    let out = crowfoot(&["import", "x.db", "-o", "no/such/dir/y.ron"], d);
    let err = text(&out.stderr);
    assert_eq!(err.matches("no/such/dir/y.ron").count(), 1, "{err}");
}

// -- 16. terminal escapes ----------------------------------------------------------------------------

#[test]
fn control_characters_from_files_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A table name and a broken statement carrying escape sequences.
    let sql =
        "CREATE TABLE \"evil\x1b]0;pwned\x07\x1b[2J\" (id int);\nCREATE TABLE \x1b[31mred ((;\n";
    write(d, "e.sql", sql.as_bytes());
    let out = crowfoot(&["import", "e.sql", "-o", "e.ron"], d);
    let err = text(&out.stderr);
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert!(err.contains("\\x1b"), "{err:?}");
    let out = crowfoot(&["check", "e.ron"], d);
    assert!(!text(&out.stderr).contains('\x1b'));
}

// -- 15. exports that would fail ---------------------------------------------------------------------

#[test]
fn export_refuses_a_model_with_errors_unless_forced_and_orders_views() {
    use crowfoot::model::*;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut p = sample();
    // An FK whose column count differs from the referenced key (CF003).
    let orders = p.table_by_name(None, "orders").unwrap().clone();
    let customers = p.table_by_name(None, "customers").unwrap().clone();
    let fk = ForeignKey {
        id: ForeignKeyId(p.alloc_id()),
        name: Some("fk_broken".into()),
        from_table: orders.id,
        from_columns: vec![orders.columns[0].id, orders.columns[1].id],
        to_table: customers.id,
        to_columns: vec![customers.primary_key.as_ref().unwrap().columns[0]],
        on_delete: FkAction::default(),
        on_update: FkAction::default(),
        deferrable: Deferrable::default(),
    };
    Command::AddForeignKey(Box::new(fk)).apply(&mut p).unwrap();
    crowfoot::project_file::save(&p, &d.join("p.ron")).unwrap();
    let out = crowfoot(&["export", "p.ron", "--to", "postgres"], d);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("CF003") && err.contains("--force"), "{err}");
    assert!(out.stdout.is_empty());
    let out = crowfoot(&["export", "p.ron", "--to", "postgres", "--force"], d);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let sql = text(&out.stdout);
    let live: Vec<&str> = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect();
    assert!(!live.iter().any(|l| l.contains("fk_broken")), "{sql}");
    assert!(
        sql.lines()
            .any(|l| l.starts_with("-- ") && l.contains("fk_broken")),
        "{sql}"
    );

    // Views that name each other: the one named comes first; a cycle is a warning.
    let mut q = sample();
    let mk = |q: &mut Project, name: &str, sql: &str| {
        let v = View {
            id: ViewId(q.alloc_id()),
            schema: None,
            name: name.into(),
            sql: sql.into(),
            materialized: false,
            depends_on: vec![],
            comment: None,
        };
        Command::PutView(v).apply(q).unwrap();
    };
    mk(&mut q, "upper_v", "SELECT * FROM middle");
    mk(&mut q, "middle", "SELECT * FROM base_v");
    mk(&mut q, "base_v", "SELECT 1 AS x");
    let out = crowfoot::sql::export(&q, Dialect::Postgres);
    let at = |n: &str| {
        out.sql
            .find(&format!("VIEW {n}"))
            .unwrap_or_else(|| panic!("{}", out.sql))
    };
    assert!(at("base_v") < at("middle") && at("middle") < at("upper_v"));
    mk(&mut q, "ping", "SELECT * FROM pong");
    mk(&mut q, "pong", "SELECT * FROM ping");
    let out = crowfoot::sql::export(&q, Dialect::Postgres);
    assert!(
        out.warnings.iter().any(|w| w.to_string().contains("cycle")),
        "{:?}",
        out.warnings
    );

    // Emoji in a MariaDB table name: a warning, not a silent failure on the engine.
    let mut e = sample();
    let t = e.tables().next().unwrap().id;
    Command::RenameTable {
        table: t,
        schema: None,
        name: "orders 🦀".into(),
    }
    .apply(&mut e)
    .unwrap();
    let out = crowfoot::sql::export(&e, Dialect::MySql);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.to_string().contains("Basic Multilingual Plane")),
        "{:?}",
        out.warnings
    );
    assert!(
        crowfoot::sql::export(&e, Dialect::Postgres)
            .warnings
            .iter()
            .all(|w| !w.to_string().contains("Basic Multilingual Plane"))
    );
}

/// PostgreSQL's `#` operators (`#>>`, `#>`, `#-`, `#`) are ordinary expression text: imported
/// and kept (musicbrainz indexes `data #>> '{link_type,id}'`). In a MySQL script `#` starts a
/// comment, so such text is never written there as it is: the object is left out with a
/// warning, and text built to hide a statement behind that comment never reaches the script.
#[test]
fn postgres_hash_operators_are_kept_but_never_pasted_into_mysql() {
    use crowfoot::model::Dialect;
    let sql = "CREATE TABLE edit_data (id integer PRIMARY KEY, data jsonb NOT NULL, \
               n integer DEFAULT 0);\n\
               CREATE INDEX edit_data_idx_link ON edit_data USING gin \
               (array_remove(ARRAY[(data #>> '{link_type,id}')::int,\n\
               (data #>> '{link,link_type,id}')::int], NULL));\n\
               CREATE VIEW hiding AS SELECT id #> '\n) ; DROP TABLE edit_data; -- ' AS x FROM edit_data;\n";
    let r = crowfoot::sql::import::import_sql(sql, Some(Dialect::Postgres));
    let p = &r.project;
    let t = p.tables().next().unwrap();
    assert_eq!(t.indexes.len(), 1, "{:#?}", r.report);
    assert_eq!(p.views().count(), 1, "{:#?}", r.report);
    let pg = crowfoot::sql::export(p, Dialect::Postgres).sql;
    assert!(pg.contains("#>>"), "{pg}");
    let my = crowfoot::sql::export(p, Dialect::MySql);
    let code: Vec<&str> = my
        .sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect();
    assert!(
        code.iter()
            .all(|l| !l.contains('#') && !l.contains("DROP TABLE")),
        "{}",
        my.sql
    );
    assert!(
        my.warnings.iter().any(|w| w.object == "hiding"),
        "{:#?}",
        my.warnings
    );
    assert!(
        my.warnings
            .iter()
            .any(|w| w.object.contains("edit_data_idx_link")),
        "{:#?}",
        my.warnings
    );
}
