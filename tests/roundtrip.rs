//! Project files round-trip: save → load → save gives an equal project and identical bytes,
//! in memory and through real files (with the `.bak` of the previous file); small edits give
//! small diffs; hostile strings and extreme floats survive.

#[path = "support/gen.rs"]
mod strategies;

use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::*;
use crowfoot::project_file::{self, from_ron_str, to_ron_string};
use crowfoot::samples::generated;
use proptest::prelude::*;
use std::path::Path;
use strategies::CmdConfig;

/// Save, load, save again: equal projects, equal id counters, identical text.
fn roundtrip(p: &Project) -> Result<Project, TestCaseError> {
    let text = to_ron_string(p);
    let loaded = match from_ron_str(&text, "mem.ron") {
        Ok(l) => l,
        Err(e) => return Err(TestCaseError::fail(format!("load failed: {e}\n{text}"))),
    };
    prop_assert!(&loaded == p, "loaded project differs\n{text}");
    prop_assert_eq!(loaded.next_id(), p.next_id());
    let again = to_ron_string(&loaded);
    prop_assert!(again == text, "second save differs:\n{text}\n---\n{again}");
    Ok(loaded)
}

/// File names in `dir`, sorted.
fn dir_listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn save_load_save_in_memory(p in strategies::project()) {
        roundtrip(&p)?;
    }

    /// Any project reachable by (ordinary) edits round-trips too.
    #[test]
    fn edited_projects_roundtrip(
        p in strategies::project(),
        specs in strategies::cmd_specs(20),
    ) {
        let mut p = p;
        for spec in &specs {
            let cmd = strategies::materialize(&mut p, spec, CmdConfig::AVOID_KNOWN_BUGS);
            let _ = cmd.apply(&mut p);
        }
        roundtrip(&p)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn save_load_save_through_files(p in strategies::project(), new_name in strategies::name()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.ron");
        let bak = project_file::backup_path(&path);
        prop_assert_eq!(bak.file_name().unwrap().to_str(), Some("model.ron.bak"));

        project_file::save(&p, &path).unwrap();
        prop_assert!(!bak.exists(), "first save must not create a backup");
        let first = std::fs::read(&path).unwrap();
        prop_assert!(first == to_ron_string(&p).into_bytes());
        let loaded = project_file::load(&path).unwrap();
        prop_assert!(loaded == p);

        // Second save (of an edited project): the previous bytes move to the backup.
        let mut edited = loaded;
        Command::SetProjectName(format!("{new_name}!")).apply(&mut edited).unwrap();
        project_file::save(&edited, &path).unwrap();
        prop_assert_eq!(std::fs::read(&bak).unwrap(), first);
        let second = std::fs::read(&path).unwrap();
        prop_assert!(second == to_ron_string(&edited).into_bytes());
        prop_assert!(project_file::load(&path).unwrap() == edited);
        prop_assert!(project_file::load(&bak).unwrap() == p);
        prop_assert_eq!(dir_listing(dir.path()), vec!["model.ron", "model.ron.bak"]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// With edits the model accepts although they break its invariants (reused ids).
    #[test]
    fn edited_projects_roundtrip_all(
        p in strategies::project(),
        specs in strategies::cmd_specs(20),
    ) {
        let mut p = p;
        let cfg = CmdConfig { remove_any_constraint: true, probe_validation_gaps: true };
        for spec in &specs {
            let cmd = strategies::materialize(&mut p, spec, cfg);
            let _ = cmd.apply(&mut p);
        }
        roundtrip(&p)?;
    }
}

// ---------------------------------------------------------------------------------------
// Deterministic cases
// ---------------------------------------------------------------------------------------

/// Number of lines that differ between two texts (positional after a common prefix and
/// suffix, so an in-place change of one line counts 1).
fn changed_lines(a: &str, b: &str) -> usize {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (a.len() - prefix - suffix).max(b.len() - prefix - suffix)
}

#[test]
fn renaming_a_column_changes_only_its_lines() {
    let mut p = generated::build(40, 8, 11);
    let before = to_ron_string(&p);
    let t = p.tables().nth(17).unwrap().clone();
    let mut col = t.columns[3].clone();
    let old_name = col.name.clone();
    col.name = format!("{old_name}_renamed");
    Command::UpdateColumn {
        table: t.id,
        column: Box::new(col),
    }
    .apply(&mut p)
    .unwrap();
    let after = to_ron_string(&p);
    let n = changed_lines(&before, &after);
    assert!((1..=2).contains(&n), "{n} lines changed");
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:#?}");
    assert!(changed[0].0.contains(&format!("\"{old_name}\"")));
    assert!(changed[0].1.contains(&format!("\"{old_name}_renamed\"")));
}

#[test]
fn small_edits_give_small_diffs() {
    let mut p = generated::build(30, 6, 5);
    let base = to_ron_string(&p);
    let t = p.tables().nth(9).unwrap().id;
    // Moving a table changes its position line only.
    let mut q = p.clone();
    Command::MoveTables(vec![(t, Position { x: 12.5, y: -7.0 })])
        .apply(&mut q)
        .unwrap();
    assert_eq!(changed_lines(&base, &to_ron_string(&q)), 1);
    // Making a column NOT NULL changes one line.
    let mut col = p.table(t).unwrap().columns[2].clone();
    col.nullable = !col.nullable;
    Command::UpdateColumn {
        table: t,
        column: Box::new(col),
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(changed_lines(&base, &to_ron_string(&p)), 1);
}

const HOSTILE: &[&str] = &[
    "",
    " ",
    "plain",
    "with space",
    "\"",
    "\"\"",
    "say \"hi\"",
    "\\",
    "C:\\temp\\new",
    "\\n is not a newline",
    "\"#",
    "\"##",
    "ends with hash #",
    "#\"#\"##\"###",
    "r#\"raw\"#",
    "'single' and `back`",
    "line1\nline2\n",
    "crlf\r\nline",
    "lone\rcr",
    "tab\there",
    "nul\u{0}byte",
    "bell\u{7}",
    "del\u{7f}",
    "bom\u{feff}",
    "zwj 👩‍👩‍👧",
    "rtl \u{202e}abc",
    "日本語のテーブル",
    "Größe",
    "🦀🦀🦀",
    "None",
    "Some(1)",
    "/* comment */ -- too",
    "}{)(][",
];

/// `s` as an SQL string literal: hostile text where the model holds SQL (defaults, checks,
/// index expressions), which must stay one expression (issue 13).
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
}

fn hostile_project() -> Project {
    let mut b = ProjectBuilder::new("hostile \"# project\\");
    let mut tables = Vec::new();
    for (i, s) in HOSTILE.iter().enumerate() {
        let name = format!("{s}{i}");
        let tid = b.table(&name, |t| {
            t.schema(s).table_comment(s);
            let lit = literal(s);
            t.col(s, LogicalType::Native(format!("hostile_{i}")))
                .default(&lit)
                .comment(s)
                .tag(s)
                .override_type(Dialect::SqlServer, "nvarchar(max)");
            t.col(&format!("{s}_2"), LogicalType::Integer)
                .generated(&lit, i % 2 == 0);
            t.check(Some(s), &lit);
            t.expr_index(s, &lit, false);
            t.index_with(&format!("{s}_ix"), &[&format!("{s}_2")], |ix| {
                ix.where_clause = Some(lit.clone());
                ix.method = Some(IndexMethod::Other(format!("method_{i}")));
            });
        });
        tables.push(tid);
        b.note(s, i as f32, -(i as f32));
        b.area(s, [i as u8, 0, 255], [0.0, 1.0], [2.0, 3.0]);
    }
    let values: Vec<&str> = HOSTILE.to_vec();
    b.enum_type("\"#enum\"#", &values);
    b.view(
        "multi\nline \"view\"",
        "SELECT o.id,\n       o.\"total\" AS \"Total \"\"#\",\n       'it''s' AS s -- \\ done\n  FROM orders o\r\n WHERE o.x <> '\"#'\n",
        &tables[..3],
    );
    b.build()
}

#[test]
fn hostile_strings_roundtrip() {
    let p = hostile_project();
    let text = to_ron_string(&p);
    let loaded = from_ron_str(&text, "hostile.ron").unwrap();
    assert_eq!(loaded, p);
    assert_eq!(to_ron_string(&loaded), text);
    // Spot checks that the values are really there, unchanged.
    let v = loaded.views().next().unwrap();
    assert_eq!(v.name, "multi\nline \"view\"");
    assert!(v.sql.contains("\r\n WHERE o.x <> '\"#'\n"));
    for s in HOSTILE {
        assert!(loaded.notes().any(|n| n.text == *s), "note {s:?} lost");
    }
    assert_eq!(loaded.enums().next().unwrap().values, HOSTILE);
}

#[test]
fn multi_line_view_sql_is_stored_readably() {
    let mut b = ProjectBuilder::new("views");
    let t = b.table("orders", |t| {
        t.col("id", LogicalType::BigInt).pk();
    });
    let sql = "SELECT id,\n       count(*) AS n\n  FROM orders\n GROUP BY id";
    b.view("order_counts", sql, &[t]);
    let p = b.build();
    let text = to_ron_string(&p);
    // The query is stored verbatim (no `\n` escapes): each of its lines is a line of the
    // file, so edits to the query diff line by line.
    assert!(text.contains(&format!("sql: \"{sql}\",")), "{text}");
    for line in sql.lines().skip(1).take(2) {
        assert!(
            text.lines().any(|l| l == line),
            "{line:?} not a line of\n{text}"
        );
    }
    let loaded = from_ron_str(&text, "views.ron").unwrap();
    assert_eq!(loaded.views().next().unwrap().sql, sql);
}

#[test]
fn extreme_floats_roundtrip_bit_exact() {
    let values = [
        0.0f32,
        -0.0,
        0.1,
        -0.3,
        1.0 / 3.0,
        f32::MIN_POSITIVE,
        1.0e-45,
        -1.4e-45,
        f32::MAX,
        f32::MIN,
        16_777_217.0,
        1.0e20,
        123_456.79,
    ];
    let mut b = ProjectBuilder::new("floats");
    for (i, v) in values.iter().enumerate() {
        b.table(&format!("t{i}"), |t| {
            t.at(*v, -*v);
        });
        b.note("n", *v, 1.5);
        b.area("a", [1, 2, 3], [*v, 0.0], [*v, -*v]);
    }
    let p = b.build();
    let text = to_ron_string(&p);
    let loaded = from_ron_str(&text, "floats.ron").unwrap();
    assert_eq!(loaded, p);
    for (a, b) in p.tables().zip(loaded.tables()) {
        assert_eq!(a.position.x.to_bits(), b.position.x.to_bits());
        assert_eq!(a.position.y.to_bits(), b.position.y.to_bits());
    }
    for (a, b) in p.areas().zip(loaded.areas()) {
        assert_eq!(a.size.map(f32::to_bits), b.size.map(f32::to_bits));
    }
    assert_eq!(to_ron_string(&loaded), text);
}

#[test]
fn every_logical_type_roundtrips() {
    use LogicalType as T;
    let mut b = ProjectBuilder::new("types");
    let e = b.enum_type("mood", &["happy", "sad"]);
    let types = vec![
        T::TinyInt,
        T::SmallInt,
        T::Integer,
        T::BigInt,
        T::Decimal(None, None),
        T::Decimal(Some(10), None),
        T::Decimal(None, Some(2)),
        T::Decimal(Some(12), Some(2)),
        T::Real,
        T::Double,
        T::Boolean,
        T::Text,
        T::Varchar(None),
        T::Varchar(Some(0)),
        T::Varchar(Some(u32::MAX)),
        T::Char(1),
        T::Bytes,
        T::Date,
        T::Time,
        T::Timestamp,
        T::TimestampTz,
        T::Interval,
        T::Uuid,
        T::Json,
        T::Enum(e),
        T::Array(Box::new(T::Enum(e))),
        T::Array(Box::new(T::Array(Box::new(T::Decimal(Some(5), None))))),
        T::Native("geometry(Point,4326)".into()),
        T::Native("None".into()),
        T::Native("\"char\"".into()),
    ];
    b.table("all_types", |t| {
        for (i, ty) in types.iter().enumerate() {
            t.col(&format!("c{i}"), ty.clone());
        }
    });
    let p = b.build();
    let loaded = from_ron_str(&to_ron_string(&p), "types.ron").unwrap();
    let got: Vec<LogicalType> = loaded
        .tables()
        .next()
        .unwrap()
        .columns
        .iter()
        .map(|c| c.ty.clone())
        .collect();
    assert_eq!(got, types);
}

#[test]
fn big_generated_project_roundtrips() {
    let p = generated::build(2000, 10, 1);
    assert_eq!(p.table_count(), 2000);
    assert_eq!(p.column_count(), 20_000);
    let text = to_ron_string(&p);
    let loaded = from_ron_str(&text, "big.ron").unwrap();
    assert!(loaded == p);
    assert!(to_ron_string(&loaded) == text);
    // Deterministic: the same arguments give the same bytes.
    assert!(to_ron_string(&generated::build(2000, 10, 1)) == text);
}

#[test]
fn gap_reused_id_makes_saved_project_unloadable() {
    let mut b = ProjectBuilder::new("reuse");
    let a = b.table("a", |t| {
        t.col("id", LogicalType::BigInt).pk();
    });
    let bt = b.table("b", |t| {
        t.col("id", LogicalType::BigInt).pk();
    });
    let mut p = b.build();
    let col_of_a = p.table(a).unwrap().columns[0].id;
    let bcol = p.table(bt).unwrap().columns[0].id;
    let cmd = Command::AddIndex {
        table: bt,
        at: None,
        index: Box::new(Index {
            id: IndexId(col_of_a.0),
            name: "ix".into(),
            unique: false,
            parts: vec![IndexPart::column(bcol)],
            where_clause: None,
            include: vec![],
            method: None,
        }),
    };
    let accepted = cmd.apply(&mut p).is_ok();
    let reloaded = from_ron_str(&to_ron_string(&p), "reuse.ron");
    assert!(
        !accepted || reloaded.is_ok(),
        "the model accepted the edit but the saved file does not load: {}",
        reloaded.err().unwrap()
    );
}

/// The skew estimate (a column's most common value's share) round-trips, makes the file
/// version 3 (older builds refuse it as newer instead of dropping it), and is validated.
#[test]
fn skew_estimates_roundtrip_as_version_3() {
    use crowfoot::model::{ColumnStats, Command, TableStats};
    use crowfoot::project_file::{from_ron_str, to_ron_string};
    let mut p = crowfoot::samples::shop::build();
    assert!(!to_ron_string(&p).contains("format_version: 3"));
    let orders = p.table_by_name(None, "orders").unwrap().clone();
    let status = orders.column_by_name("status").unwrap().id;
    let stats = |share: f32| TableStats {
        rows: Some(1_000_000),
        columns: vec![ColumnStats {
            column: status,
            distinct: Some(6),
            null_fraction: None,
            most_common: Some(share),
        }],
        ..Default::default()
    };
    let bad = Command::SetTableStats {
        table: orders.id,
        stats: Some(stats(1.5)),
    }
    .apply(&mut p.clone());
    assert!(bad.is_err(), "a share above 1 is refused");
    Command::SetTableStats {
        table: orders.id,
        stats: Some(stats(0.8)),
    }
    .apply(&mut p)
    .unwrap();
    let text = to_ron_string(&p);
    assert!(text.contains("format_version: 3"), "{text}");
    assert!(text.contains("most_common: Some(0.8)") || text.contains("most_common: 0.8"));
    let back = from_ron_str(&text, "shop.ron").unwrap();
    assert_eq!(back, p);
}
