//! Loading bad project files fails with a precise, typed error (never a panic) and never
//! touches the file; saving keeps a backup and cleans up after itself when it fails.

use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::*;
use crowfoot::project_file::{
    self, FORMAT_VERSION, LoadError, SaveError, backup_path, from_ron_str, to_ron_string,
};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// A small valid file, written by hand so line and column numbers below are easy to check.
/// Line numbers: 1 `#![enable..]`, 2 `(`, ..., 8 `    name: "t",`, 10 `    position: ...`.
const SMALL: &str = "#![enable(implicit_some)]
(
  format_version: 1,
  name: \"x\",
  next_id: 5,
  tables: [(
    id: 1,
    name: \"t\",
    columns: [(id: 2, name: \"c\", type: Text, nullable: true)],
    position: (0.0, 0.0),
  )],
)
";

fn sample() -> Project {
    let mut b = ProjectBuilder::new("sample");
    let e = b.enum_type("status", &["new", "done"]);
    let a = b.table("accounts", |t| {
        t.col("id", LogicalType::BigInt).identity().pk();
        t.col("email", LogicalType::Varchar(Some(200)))
            .not_null()
            .unique();
        t.col("status", LogicalType::Enum(e)).default("'new'");
        t.index("ix_accounts_status", &["status", "email DESC"]);
    });
    let o = b.table("orders", |t| {
        t.col("id", LogicalType::BigInt).identity().pk();
        t.col("account_id", LogicalType::BigInt).not_null();
        t.col("parent_id", LogicalType::BigInt);
        t.check(None, "id > 0");
    });
    b.fk(o, &["account_id"], a, &["id"]);
    b.fk(o, &["parent_id"], o, &["id"]);
    b.view("v", "SELECT 1", &[a]);
    b.note("note", 1.0, 2.0);
    b.area("area", [1, 2, 3], [0.0, 0.0], [10.0, 10.0]);
    b.build()
}

fn syntax_at(r: Result<Project, LoadError>) -> (usize, usize, String) {
    match r {
        Err(e @ LoadError::Syntax { .. }) => {
            let LoadError::Syntax { line, col, .. } = &e else {
                unreachable!()
            };
            (*line, *col, e.to_string())
        }
        Err(e) => panic!("expected a syntax error, got {e:?}"),
        Ok(_) => panic!("expected a syntax error, got a project"),
    }
}

fn invalid_message(r: Result<Project, LoadError>) -> String {
    match r {
        Err(LoadError::Invalid { message, .. }) => message,
        Err(e) => panic!("expected LoadError::Invalid, got {e:?}"),
        Ok(_) => panic!("expected LoadError::Invalid, got a project"),
    }
}

/// Write `text` into a fresh file, try to load it, and check the file and its directory are
/// unchanged afterwards. Returns the load result.
fn load_from_file(text: &[u8]) -> Result<Project, LoadError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, text).unwrap();
    let r = project_file::load(&path);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        text,
        "load modified the file"
    );
    assert_eq!(
        listing(dir.path()),
        vec!["broken.ron"],
        "load created files"
    );
    r
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn small_file_is_valid() {
    let p = from_ron_str(SMALL, "small.ron").unwrap();
    assert_eq!(p.table_count(), 1);
    assert_eq!(p.next_id(), 5);
}

// ----- syntax errors -------------------------------------------------------------------

#[test]
fn bad_token_gives_exact_line_and_column() {
    let text = SMALL.replace("position: (0.0, 0.0),", "position: (0.0, 0.0) @,");
    let (line, col, shown) = syntax_at(from_ron_str(&text, "bad.ron"));
    // `    position: (0.0, 0.0) @,` — the `@` is the 26th character of line 10.
    assert_eq!((line, col), (10, 26));
    assert!(shown.starts_with("bad.ron:10:26: "), "{shown}");

    // Through a real file the message names the file's path.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    std::fs::write(&path, &text).unwrap();
    let err = project_file::load(&path).unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("{}:10:26", path.display())),
        "{err}"
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = SMALL.replace("name: \"t\",", "name: \"日本語🦀\", @");
    // `    name: "日本語🦀", @` — the `@` is character 19 (byte 29).
    let (line, col, _) = syntax_at(from_ron_str(&text, "u.ron"));
    assert_eq!((line, col), (8, 19));
}

#[test]
fn crlf_line_endings_count_lines_the_same() {
    let text = SMALL
        .replace("position: (0.0, 0.0),", "position: (0.0, 0.0) @,")
        .replace('\n', "\r\n");
    assert_eq!(syntax_at(from_ron_str(&text, "crlf.ron")).0, 10);
}

#[test]
fn unknown_type_variant_points_at_it() {
    let text = SMALL.replace("type: Text", "type: Txet");
    // `    columns: [(id: 2, name: "c", type: Txet, ...` — `Txet` starts at column 40.
    let (line, col, shown) = syntax_at(from_ron_str(&text, "v.ron"));
    assert_eq!((line, col), (9, 40));
    assert!(shown.contains("Txet"), "{shown}");
}

#[test]
fn wrong_value_on_its_own_line_points_at_the_value() {
    let text = SMALL.replace("nullable: true)", "nullable:\n      flase)");
    // Line 9 ends with `nullable:`; line 10 is `      flase)],`: `flase` starts at column 7.
    let (line, col, _) = syntax_at(from_ron_str(&text, "w.ron"));
    assert_eq!((line, col), (10, 7));
}

#[test]
fn truncated_file_gives_syntax_error_at_the_cut() {
    // Cut inside the string on line 8: `    name: "t` — the unterminated string opens at col 11.
    let cut = SMALL.find("name: \"t\"").unwrap() + "name: \"t".len();
    let (line, col, shown) = syntax_at(from_ron_str(&SMALL[..cut], "cut.ron"));
    assert_eq!((line, col), (8, 11));
    assert!(shown.starts_with("cut.ron:8:11: "), "{shown}");

    // Cut inside a tuple on line 10 (`    position: (0.0,`, 19 characters): the error is on
    // that line, at the last character or just after it.
    let cut = SMALL.find("(0.0, 0.0)").unwrap() + "(0.0,".len();
    let (line, col, _) = syntax_at(from_ron_str(&SMALL[..cut], "cut.ron"));
    assert_eq!(line, 10);
    assert!((19..=20).contains(&col), "column {col}");

    // Empty file.
    assert_eq!(syntax_at(from_ron_str("", "e.ron")).0, 1);
}

#[test]
fn every_truncation_of_a_real_file_is_an_error_never_a_panic() {
    let text = to_ron_string(&sample());
    let lines = text.lines().count();
    let end = text.trim_end().len();
    for cut in (0..end).filter(|&i| text.is_char_boundary(i)) {
        match from_ron_str(&text[..cut], "cut.ron") {
            Err(LoadError::Syntax { line, col, .. }) => {
                assert!(
                    line >= 1 && line <= lines && col >= 1,
                    "{cut}: {line}:{col}"
                );
            }
            Err(e) => panic!("cut at {cut}: expected a syntax error, got {e}"),
            Ok(_) => panic!("cut at {cut}: a truncated file loaded"),
        }
    }
}

#[test]
fn missing_required_field_is_reported() {
    let text = SMALL.replace("  next_id: 5,\n", "");
    let (_, _, shown) = syntax_at(from_ron_str(&text, "m.ron"));
    assert!(shown.contains("next_id"), "{shown}");
}

// ----- newer versions ------------------------------------------------------------------

#[test]
fn newer_format_version_is_refused_with_a_clear_message() {
    let text = SMALL.replace("format_version: 1", "format_version: 99");
    // Even when the rest uses things this version does not know.
    let future = text.replace("type: Text", "type: Geography(4326)").replace(
        "  next_id: 5,\n",
        "  next_id: 5,\n  layers: {\"a\": [1, 2]},\n",
    );
    for t in [&text, &future] {
        match load_from_file(t.as_bytes()) {
            Err(e @ LoadError::NewerVersion { .. }) => {
                let LoadError::NewerVersion {
                    found, supported, ..
                } = &e
                else {
                    unreachable!()
                };
                assert_eq!((*found, *supported), (99, FORMAT_VERSION));
                let msg = e.to_string();
                assert!(msg.contains("99"), "{msg}");
                assert!(msg.contains(&format!("({FORMAT_VERSION})")), "{msg}");
                assert!(msg.contains("broken.ron"), "{msg}");
            }
            other => panic!("expected NewerVersion, got {other:?}"),
        }
    }
    // The current version and older-or-equal ones are accepted.
    assert!(from_ron_str(SMALL, "ok.ron").is_ok());
}

// ----- invalid content -----------------------------------------------------------------

#[test]
fn dangling_foreign_key_is_invalid() {
    let fk = "  foreign_keys: [(id: 3, from_table: 1, from_columns: [2], to_table: 42, to_columns: [2])],\n";
    let text = SMALL.replace("  tables:", &format!("{fk}  tables:"));
    // Foreign keys come after tables in real files; the order of fields does not matter.
    let msg = invalid_message(load_from_file(text.as_bytes()));
    assert!(msg.contains("42"), "{msg}");

    // A referenced column that does not exist.
    let fk = "  foreign_keys: [(id: 3, from_table: 1, from_columns: [2], to_table: 1, to_columns: [77])],\n";
    let text = SMALL.replace("  tables:", &format!("{fk}  tables:"));
    let msg = invalid_message(load_from_file(text.as_bytes()));
    assert!(msg.contains("77"), "{msg}");

    // A foreign key without columns.
    let fk = "  foreign_keys: [(id: 3, from_table: 1, from_columns: [], to_table: 1, to_columns: [])],\n";
    let text = SMALL.replace("  tables:", &format!("{fk}  tables:"));
    invalid_message(load_from_file(text.as_bytes()));
}

#[test]
fn duplicate_ids_are_invalid() {
    let cases = [
        // A column with the table's id.
        SMALL.replace("[(id: 2, name: \"c\"", "[(id: 1, name: \"c\""),
        // Two tables with the same id.
        SMALL.replace(
            "  )],\n)",
            "  ), (\n    id: 1,\n    name: \"u\",\n    columns: [],\n  )],\n)",
        ),
        // A note whose id is a column's.
        SMALL.replace(
            "  tables:",
            "  notes: [(id: 2, text: \"n\", position: (0.0, 0.0))],\n  tables:",
        ),
        // Two enums with the same id.
        SMALL.replace(
            "  tables:",
            "  enums: [(id: 3, name: \"a\", values: []), (id: 3, name: \"b\", values: [])],\n  tables:",
        ),
    ];
    for text in &cases {
        let msg = invalid_message(load_from_file(text.as_bytes()));
        assert!(msg.contains("already used"), "{msg}");
    }
}

#[test]
fn dangling_internal_references_are_invalid() {
    let cases = [
        (
            "enum",
            SMALL.replace("type: Text", "type: Array(Enum(99))"),
        ),
        (
            "view",
            SMALL.replace(
                "  tables:",
                "  views: [(id: 3, name: \"v\", sql: \"SELECT 1\", depends_on: [42])],\n  tables:",
            ),
        ),
        (
            "primary key",
            SMALL.replace(
                "    position:",
                "    primary_key: (columns: [42]),\n    position:",
            ),
        ),
        (
            "index",
            SMALL.replace(
                "    position:",
                "    indexes: [(id: 3, name: \"ix\", parts: [(target: Column(42))])],\n    position:",
            ),
        ),
    ];
    let mut accepted = Vec::new();
    for (what, text) in &cases {
        match from_ron_str(text, "d.ron") {
            Err(LoadError::Invalid { .. }) => {}
            Err(e) => panic!("{what}: expected Invalid, got {e}"),
            Ok(_) => accepted.push(*what),
        }
    }
    assert!(accepted.is_empty(), "loaded with dangling {accepted:?}");
}

#[test]
fn id_u64_max_does_not_panic_or_wrap() {
    let text = SMALL.replace("    id: 1,", "    id: 18446744073709551615,");
    let r = std::panic::catch_unwind(|| from_ron_str(&text, "max.ron"));
    match r {
        Err(_) => panic!("loader panicked on a table id of u64::MAX"),
        Ok(Ok(p)) => {
            // If accepted, new ids must not collide with existing ones.
            let next = p.alloc_id();
            assert!(
                p.table(TableId(next)).is_none() && next != 2,
                "alloc_id reused {next}"
            );
        }
        Ok(Err(_)) => {}
    }
}

/// Replace every number in a real file by other values: the loader returns a project or an
/// error, never panics; whatever loads saves and loads back the same.
#[test]
fn mutated_numbers_never_panic() {
    let text = to_ron_string(&sample());
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            spans.push((start, i));
        }
        i += 1;
    }
    assert!(spans.len() > 30);
    for &(a, b) in &spans {
        // u64::MAX is left to `id_u64_max_does_not_panic_or_wrap` (a known bug).
        for replacement in [
            "0",
            "1",
            "2",
            "7",
            "13",
            "4294967296",
            "18446744073709551614",
        ] {
            let mutated = format!("{}{replacement}{}", &text[..a], &text[b..]);
            let r = std::panic::catch_unwind(|| from_ron_str(&mutated, "m.ron"));
            match r {
                Err(_) => panic!("loader panicked on\n{mutated}"),
                Ok(Ok(p)) => {
                    let again = to_ron_string(&p);
                    assert!(from_ron_str(&again, "m2.ron").unwrap() == p);
                }
                Ok(Err(_)) => {}
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random byte-level damage: an error or a project, never a panic.
    #[test]
    fn corrupted_files_never_panic(
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..3, any::<char>()), 1..4),
    ) {
        let mut text: Vec<char> = to_ron_string(&sample()).chars().collect();
        for (at, kind, c) in edits {
            let i = at.index(text.len());
            match kind {
                0 => { text.remove(i); }
                1 => text.insert(i, c),
                _ => text[i] = c,
            }
        }
        let text: String = text.into_iter().collect();
        let r = std::panic::catch_unwind(|| from_ron_str(&text, "c.ron"));
        prop_assert!(r.is_ok(), "loader panicked on\n{text}");
        if let Ok(Ok(p)) = r {
            prop_assert!(from_ron_str(&to_ron_string(&p), "c2.ron").unwrap() == p);
        }
    }
}

#[test]
fn not_utf8_is_located_and_missing_files_are_io_errors() {
    let mut bytes = SMALL.as_bytes().to_vec();
    bytes[40] = 0xff;
    let line = SMALL[..40].matches('\n').count() + 1;
    match load_from_file(&bytes) {
        Err(e @ LoadError::Syntax { .. }) => {
            let LoadError::Syntax { path, line: l, .. } = &e else {
                unreachable!()
            };
            assert!(path.ends_with("broken.ron"));
            assert_eq!(*l, line);
            assert!(e.to_string().contains("not UTF-8"), "{e}");
        }
        other => panic!("expected a located error, got {other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.ron");
    match project_file::load(&missing) {
        Err(e @ LoadError::Io { .. }) => assert!(e.to_string().contains("nope.ron")),
        other => panic!("expected an I/O error, got {other:?}"),
    }
    assert!(listing(dir.path()).is_empty());
}

// ----- saving --------------------------------------------------------------------------

#[test]
fn saving_over_a_file_keeps_the_old_bytes_in_bak() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.ron");
    let bak = backup_path(&path);
    assert_eq!(bak, dir.path().join("shop.ron.bak"));

    // Whatever was there before (even a hand-edited, non-Crowfoot file) is kept.
    std::fs::write(&path, b"hand written \xff bytes").unwrap();
    let p = sample();
    project_file::save(&p, &path).unwrap();
    assert_eq!(std::fs::read(&bak).unwrap(), b"hand written \xff bytes");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), to_ron_string(&p));

    let first = std::fs::read(&path).unwrap();
    let mut q = p.clone();
    Command::SetProjectName("renamed".into())
        .apply(&mut q)
        .unwrap();
    project_file::save(&q, &path).unwrap();
    assert_eq!(std::fs::read(&bak).unwrap(), first);
    assert!(project_file::load(&path).unwrap() == q);
    assert_eq!(listing(dir.path()), vec!["shop.ron", "shop.ron.bak"]);
}

fn assert_save_fails_cleanly(p: &Project, path: &Path, dir: &Path) {
    let before = listing(dir);
    let old = std::fs::read(path).ok();
    match project_file::save(p, path) {
        Err(e @ (SaveError::Io { .. } | SaveError::Backup { .. })) => {
            assert!(e.to_string().contains("cannot save"), "{e}");
        }
        Err(e @ SaveError::NewerVersion { .. }) => panic!("unexpected: {e}"),
        Ok(()) => panic!("save into {} succeeded", path.display()),
    }
    assert_eq!(listing(dir), before, "save left files behind");
    assert_eq!(std::fs::read(path).ok(), old, "save changed the old file");
}

#[test]
fn save_into_missing_directory_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no").join("such").join("dir").join("p.ron");
    match project_file::save(&sample(), &path) {
        Err(e) => assert!(e.to_string().contains("p.ron"), "{e}"),
        Ok(()) => panic!("saved into a missing directory"),
    }
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn failed_saves_leave_no_temp_files() {
    let p = sample();
    let dir = tempfile::tempdir().unwrap();

    // The target is a directory: the temp file is written, then the save fails.
    let as_dir = dir.path().join("is_a_dir.ron");
    std::fs::create_dir(&as_dir).unwrap();
    assert_save_fails_cleanly(&p, &as_dir, dir.path());

    // The backup cannot be written (its name is taken by a directory): the save fails
    // before the old file is replaced.
    let path = dir.path().join("p.ron");
    std::fs::write(&path, b"old").unwrap();
    std::fs::create_dir(backup_path(&path)).unwrap();
    assert_save_fails_cleanly(&p, &path, dir.path());
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
}

#[cfg(unix)]
#[test]
fn save_into_read_only_directory_fails_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let ro: PathBuf = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let path = ro.join("p.ron");
    std::fs::write(&path, b"old").unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores directory permissions: then there is nothing to check here.
    let probe = ro.join("probe");
    let writable = std::fs::write(&probe, b"").is_ok();
    if writable {
        std::fs::remove_file(&probe).unwrap();
        eprintln!("directory permissions are not enforced for this user; skipping");
    } else {
        assert_save_fails_cleanly(&sample(), &path, &ro);
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn save_keeps_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    std::fs::write(&path, b"old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    project_file::save(&sample(), &path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "mode after save: {mode:o}");
}
