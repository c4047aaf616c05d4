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
