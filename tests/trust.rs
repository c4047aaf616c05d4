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
