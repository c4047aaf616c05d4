//! Index lint (`analysis::index_lint`): positive and negative cases per rule, fixes as
//! undoable commands, and precision on the corpus: every redundancy or missing-index claim
//! made on a real SQLite schema is checked against SQLite's own catalog of the original file.

#[path = "support/corpus.rs"]
mod corpus;

use crowfoot::analysis::index_lint::{Finding, lint};
use crowfoot::analysis::rules::Family;
use crowfoot::model::builder::{ProjectBuilder, TableBuilder};
use crowfoot::model::*;
use std::collections::BTreeMap;

/// One table `t(a, b, c, d)` (a is the primary key) shaped by `f`, linted for `dialect`.
fn lint_one(dialect: Dialect, f: impl FnOnce(&mut TableBuilder)) -> (Project, Vec<Finding>) {
    let mut b = ProjectBuilder::new("x");
    b.table("t", |t| {
        t.col("a", LogicalType::BigInt).pk();
        t.col("b", LogicalType::BigInt).not_null();
        t.col("c", LogicalType::Text);
        t.col("d", LogicalType::Integer);
        f(t);
    });
    let p = b.build();
    let l = lint(&p, dialect);
    (p, l)
}

fn ids(l: &[Finding]) -> Vec<(&str, Option<&str>)> {
    l.iter().map(|f| (f.rule, f.index.as_deref())).collect()
}

fn pg(f: impl FnOnce(&mut TableBuilder)) -> Vec<(String, Option<String>)> {
    let (_, l) = lint_one(Dialect::Postgres, f);
    l.iter()
        .map(|f| (f.rule.to_string(), f.index.clone()))
        .collect()
}

fn has(l: &[(String, Option<String>)], rule: &str, index: &str) -> bool {
    l.iter()
        .any(|(r, i)| r == rule && i.as_deref() == Some(index))
}

#[test]
fn every_rule_has_id_name_and_rationale() {
    let mut seen = std::collections::BTreeSet::new();
    for r in Family::Index.rules() {
        assert!(r.id.starts_with("IX") && r.id.len() == 5, "{}", r.id);
        assert!(seen.insert(r.id), "duplicate id {}", r.id);
        assert!(!r.name.is_empty() && r.rationale.len() > 40, "{}", r.id);
    }
    assert_eq!(Family::Index.rules().count(), 7);
}

// ----- IX001 duplicate index -----

#[test]
fn ix001_duplicate_index() {
    let l = pg(|t| {
        t.index("ix_b", &["b"]);
        t.index("ix_b_again", &["b"]);
    });
    assert!(has(&l, "IX001", "ix_b_again"));
    assert!(
        !has(&l, "IX001", "ix_b"),
        "only the later of two twins: {l:?}"
    );
    // Same columns written DESC: a B-tree reads both ways, so still a duplicate.
    let l = pg(|t| {
        t.index("ix_b", &["b"]);
        t.index("ix_b_desc", &["b DESC"]);
    });
    assert!(has(&l, "IX001", "ix_b_desc"));
    // A plain index beside a unique one on the same columns: the plain one is reported.
    let l = pg(|t| {
        t.index("ix_b", &["b"]);
        t.unique_index("uq_b", &["b"]);
    });
    assert!(has(&l, "IX001", "ix_b"), "{l:?}");
    assert!(!has(&l, "IX001", "uq_b"), "{l:?}");
}

#[test]
fn ix001_negative_cases() {
    // Different predicate, different order of columns, different method, mixed directions.
    let l = pg(|t| {
        t.index("ix_b", &["b"]);
        t.index_with("ix_b_partial", &["b"], |i| {
            i.where_clause = Some("d > 0".into())
        });
        t.index("ix_bc", &["b", "c"]);
        t.index("ix_cb", &["c", "b"]);
        t.index("ix_b_cdesc", &["b", "c DESC"]);
        t.index_with("ix_b_hash", &["b"], |i| i.method = Some(IndexMethod::Hash));
    });
    for name in ["ix_b_partial", "ix_cb", "ix_b_cdesc", "ix_b_hash", "ix_bc"] {
        assert!(!has(&l, "IX001", name), "{name}: {l:?}");
    }
    // A unique index is not a duplicate of a plain one.
    let l = pg(|t| {
        t.unique_index("uq_b", &["b"]);
        t.index_with("ix_b_incl", &["b"], |i| i.include = vec![]);
    });
    assert!(!has(&l, "IX001", "uq_b"), "{l:?}");
}

// ----- IX002 left-prefix redundant -----

#[test]
fn ix002_prefix_of_a_longer_index() {
    let l = pg(|t| {
        t.index("ix_b", &["b"]);
        t.index("ix_b_c", &["b", "c"]);
    });
    assert!(has(&l, "IX002", "ix_b"));
    assert!(!has(&l, "IX002", "ix_b_c"));
    // Prefix of a composite unique constraint counts too.
    let l = pg(|t| {
        t.unique_on(Some("uq_b_d"), &["b", "d"]);
        t.index("ix_b", &["b"]);
    });
    assert!(has(&l, "IX002", "ix_b"), "{l:?}");
}

#[test]
fn ix002_negative_cases() {
    let l = pg(|t| {
        // Unique prefix: enforces uniqueness the longer one does not.
        t.unique_index("uq_b", &["b"]);
        t.index("ix_b_c", &["b", "c"]);
        // Partial prefix of a plain index, and plain prefix of a partial one.
        t.index_with("ix_c_partial", &["c"], |i| {
            i.where_clause = Some("d IS NOT NULL".into())
        });
        t.index("ix_c_d", &["c", "d"]);
        t.index("ix_d", &["d"]);
        t.index_with("ix_d_b_partial", &["d", "b"], |i| {
            i.where_clause = Some("b > 0".into())
        });
        // Not a prefix: second column of the longer index.
        t.index("ix_cc", &["c"]);
    });
    for name in ["uq_b", "ix_c_partial", "ix_d"] {
        assert!(!has(&l, "IX002", name), "{name}: {l:?}");
    }
    // Direction mismatch in a multi-column prefix, GIN indexes, INCLUDE columns the longer one
    // lacks.
    let l = pg(|t| {
        t.index("ix_b_c", &["b", "c DESC"]);
        t.index("ix_b_c_d", &["b", "c", "d"]);
        t.index_with("gin_c", &["c"], |i| i.method = Some(IndexMethod::Gin));
        t.index_with("gin_c_d", &["c", "d"], |i| {
            i.method = Some(IndexMethod::Gin)
        });
    });
    assert!(!has(&l, "IX002", "ix_b_c"), "{l:?}");
    assert!(!has(&l, "IX002", "gin_c"), "{l:?}");
    let mut b = ProjectBuilder::new("x");
    b.table("t", |t| {
        t.col("a", LogicalType::BigInt).pk();
        t.col("b", LogicalType::BigInt);
        t.col("c", LogicalType::Text);
        t.col("d", LogicalType::Integer);
        let d = t.column_ids(&["d"]);
        t.index_with("ix_b_incl_d", &["b"], |i| i.include = d);
        t.index("ix_b_c", &["b", "c"]);
    });
    let l = lint(&b.build(), Dialect::Postgres);
    assert!(!ids(&l).contains(&("IX002", Some("ix_b_incl_d"))), "{l:?}");
}

// ----- IX003 duplicates the primary key -----

#[test]
fn ix003_index_on_the_primary_key() {
    let l = pg(|t| {
        t.index("ix_a", &["a"]);
    });
    assert!(has(&l, "IX003", "ix_a"));
    let l = pg(|t| {
        t.unique_index("uq_a", &["a"]);
    });
    assert!(has(&l, "IX003", "uq_a"));
    // Negative: the primary key column leading a longer index, or a partial one.
    let l = pg(|t| {
        t.index("ix_a_b", &["a", "b"]);
        t.index_with("ix_a_partial", &["a"], |i| {
            i.where_clause = Some("d > 0".into())
        });
    });
    assert!(l.iter().all(|(r, _)| r != "IX003"), "{l:?}");
}

// ----- IX004 foreign key without index -----

fn fk_project(f: impl FnOnce(&mut TableBuilder)) -> Project {
    let mut b = ProjectBuilder::new("x");
    let parent = b.table("parent", |t| {
        t.col("id", LogicalType::BigInt).pk();
        t.col("code", LogicalType::Integer).not_null();
        t.unique_on(Some("uq_parent"), &["id", "code"]);
    });
    let child = b.table("child", |t| {
        t.col("id", LogicalType::BigInt).pk();
        t.col("parent_id", LogicalType::BigInt).not_null();
        t.col("parent_code", LogicalType::Integer).not_null();
        t.col("note", LogicalType::Text);
        f(t);
    });
    b.fk(
        child,
        &["parent_id", "parent_code"],
        parent,
        &["id", "code"],
    );
    b.build()
}

#[test]
fn ix004_foreign_key_without_index() {
    let p = fk_project(|_| {});
    let l = lint(&p, Dialect::Postgres);
    assert!(ids(&l).contains(&("IX004", None)), "{l:?}");
    // Off for MySQL (InnoDB adds the index itself).
    assert!(lint(&p, Dialect::MySql).iter().all(|f| f.rule != "IX004"));
    // Only the first column indexed, or the columns indexed but not leading, or partially:
    // still reported.
    for shape in [vec!["parent_id"], vec!["note", "parent_id", "parent_code"]] {
        let p = fk_project(|t| {
            t.index("ix", &shape);
        });
        assert!(
            lint(&p, Dialect::Postgres)
                .iter()
                .any(|f| f.rule == "IX004"),
            "{shape:?}"
        );
    }
    let p = fk_project(|t| {
        t.index_with("ix_partial", &["parent_id", "parent_code"], |i| {
            i.where_clause = Some("note IS NULL".into())
        });
    });
    assert!(
        lint(&p, Dialect::Postgres)
            .iter()
            .any(|f| f.rule == "IX004")
    );
}

#[test]
fn ix004_negative_cases() {
    // Leading columns in either order, or a longer index, support the key.
    for shape in [
        vec!["parent_code", "parent_id"],
        vec!["parent_id", "parent_code", "note"],
    ] {
        let p = fk_project(|t| {
            t.index("ix", &shape);
        });
        assert!(
            lint(&p, Dialect::Postgres)
                .iter()
                .all(|f| f.rule != "IX004"),
            "{shape:?}"
        );
    }
    // The primary key supports it too.
    let mut b = ProjectBuilder::new("x");
    let parent = b.table("parent", |t| {
        t.col("id", LogicalType::BigInt).pk();
    });
    let child = b.table("child", |t| {
        t.col("parent_id", LogicalType::BigInt).pk();
        t.col("line", LogicalType::Integer).pk();
    });
    b.fk(child, &["parent_id"], parent, &["id"]);
    assert!(
        lint(&b.build(), Dialect::Postgres)
            .iter()
            .all(|f| f.rule != "IX004")
    );
}

// ----- IX005 too many indexes on a write-heavy table -----

fn with_stats(p: &mut Project, rows: u64, write_heavy: bool, distinct: &[(&str, u64)]) {
    let t = p.tables().next().unwrap().clone();
    let columns = distinct
        .iter()
        .map(|(n, d)| ColumnStats {
            column: t.column_by_name(n).unwrap().id,
            distinct: Some(*d),
            null_fraction: None,
            most_common: None,
        })
        .collect();
    Command::SetTableStats {
        table: t.id,
        stats: Some(TableStats {
            rows: Some(rows),
            avg_row_bytes: None,
            write_heavy,
            columns,
        }),
    }
    .apply(p)
    .unwrap();
}

#[test]
fn ix005_too_many_indexes_when_write_heavy() {
    let many = |t: &mut TableBuilder| {
        for (i, c) in ["b", "c", "d", "b DESC", "c DESC", "d DESC"]
            .iter()
            .enumerate()
        {
            let name = format!("ix_{i}");
            t.index_with(&name, &[c, "a"], |_| {});
        }
    };
    let (mut p, l) = lint_one(Dialect::Postgres, many);
    assert!(
        l.iter().all(|f| f.rule != "IX005"),
        "no estimates: no finding"
    );
    with_stats(&mut p, 1000, true, &[]);
    assert!(
        lint(&p, Dialect::Postgres)
            .iter()
            .any(|f| f.rule == "IX005")
    );
    with_stats(&mut p, 1000, false, &[]);
    assert!(
        lint(&p, Dialect::Postgres)
            .iter()
            .all(|f| f.rule != "IX005")
    );
    // Write-heavy with few indexes: fine.
    let (mut p, _) = lint_one(Dialect::Postgres, |t| {
        t.index("ix_b", &["b"]);
    });
    with_stats(&mut p, 1000, true, &[]);
    assert!(
        lint(&p, Dialect::Postgres)
            .iter()
            .all(|f| f.rule != "IX005")
    );
}

// ----- IX006 unique index as constraint -----

#[test]
fn ix006_unique_index_as_constraint() {
    let (mut p, l) = lint_one(Dialect::Postgres, |t| {
        t.unique_index("uq_b_c", &["b", "c"]);
    });
    let f = l.iter().find(|f| f.rule == "IX006").expect("reported");
    // Not for MySQL / SQLite, where both are the same thing.
    assert!(lint(&p, Dialect::MySql).iter().all(|f| f.rule != "IX006"));
    assert!(lint(&p, Dialect::Sqlite).iter().all(|f| f.rule != "IX006"));
    // The fix replaces the index with a constraint of the same name, in one undo step.
    let before = p.clone();
    let cmd = f.fix.as_ref().unwrap().command(&p).unwrap();
    let mut h = History::default();
    h.apply(&mut p, cmd).unwrap();
    let t = p.tables().next().unwrap();
    assert!(t.indexes.is_empty());
    assert_eq!(t.uniques[0].name.as_deref(), Some("uq_b_c"));
    assert!(lint(&p, Dialect::Postgres).is_empty());
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
    // Negative: partial, expression, INCLUDE or DESC unique indexes need an index.
    let l = pg(|t| {
        t.index_with("uq_partial", &["b"], |i| {
            i.unique = true;
            i.where_clause = Some("d > 0".into());
        });
        t.expr_index("uq_lower_c", "lower(c)", true);
        t.index_with("uq_desc", &["d DESC"], |i| i.unique = true);
    });
    assert!(l.iter().all(|(r, _)| r != "IX006"), "{l:?}");
}

// ----- IX007 low-selectivity leading column -----

#[test]
fn ix007_low_selectivity_leading_column() {
    let (mut p, l) = lint_one(Dialect::Postgres, |t| {
        t.index("ix_d_b", &["d", "b"]);
        t.index("ix_b", &["b"]);
    });
    assert!(
        l.iter().all(|f| f.rule != "IX007"),
        "no estimates: no finding"
    );
    with_stats(&mut p, 1_000_000, false, &[("d", 3), ("b", 900_000)]);
    let l = lint(&p, Dialect::Postgres);
    assert!(ids(&l).contains(&("IX007", Some("ix_d_b"))), "{l:?}");
    assert!(!ids(&l).contains(&("IX007", Some("ix_b"))), "{l:?}");
    // A small table is not worth the warning.
    with_stats(&mut p, 500, false, &[("d", 3)]);
    assert!(
        lint(&p, Dialect::Postgres)
            .iter()
            .all(|f| f.rule != "IX007")
    );
}

// ----- fixes -----

#[test]
fn fixes_are_undoable_and_silence_the_rule() {
    let mut p = fk_project(|t| {
        t.index("ix_note", &["note"]);
        t.index("ix_note_again", &["note"]);
    });
    let before = p.clone();
    let mut h = History::default();
    loop {
        let l = lint(&p, Dialect::Postgres);
        let Some(f) = l.iter().find(|f| f.fix.is_some()) else {
            break;
        };
        let cmd = f.fix.as_ref().unwrap().command(&p).unwrap();
        h.apply(&mut p, cmd).unwrap();
    }
    assert!(
        lint(&p, Dialect::Postgres).is_empty(),
        "{:?}",
        lint(&p, Dialect::Postgres)
    );
    let child = p.tables().find(|t| t.name == "child").unwrap();
    let names: Vec<&str> = child.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["ix_note", "ix_child_parent_id_parent_code"]);
    while h.can_undo() {
        h.undo(&mut p).unwrap();
    }
    assert_eq!(p, before);
}

// ----- corpus precision -----

/// Key columns (`None` for an expression) with their direction (descending).
type Key = Vec<(Option<String>, bool)>;

/// An index as SQLite's catalog describes it.
#[derive(Debug)]
struct SqliteIndex {
    unique: bool,
    partial: bool,
    /// (column name or `None` for an expression, descending)
    key: Vec<(Option<String>, bool)>,
    sql: Option<String>,
}

fn sqlite_indexes(db: &rusqlite::Connection, table: &str) -> BTreeMap<String, SqliteIndex> {
    let mut out = BTreeMap::new();
    let mut list = db
        .prepare("SELECT name, \"unique\", partial FROM pragma_index_list(?1)")
        .unwrap();
    let rows: Vec<(String, bool, bool)> = list
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (name, unique, partial) in rows {
        let mut x = db
            .prepare(
                "SELECT name, \"desc\" FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
            )
            .unwrap();
        let key = x
            .query_map([&name], |r| {
                Ok((r.get::<_, Option<String>>(0)?, r.get::<_, bool>(1)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let sql = db
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = ?1",
                [&name],
                |r| r.get::<_, Option<String>>(0),
            )
            .ok()
            .flatten();
        out.insert(
            name,
            SqliteIndex {
                unique,
                partial,
                key,
                sql,
            },
        );
    }
    out
}

/// Lint every corpus schema in its own dialect (never panics, counts per rule printed), and
/// check every IX001/IX002/IX003/IX004 finding on the SQLite originals against SQLite's own
/// catalog of the original file: the reported index exists, is not unique or partial where
/// the rule says so, and another index (or the primary key) really has the same key or a key
/// it leads; a foreign key reported as unsupported really has no index led by its columns.
#[test]
fn corpus_findings_hold_in_the_real_catalog() {
    let Some(dir) = corpus::corpus_dir() else {
        eprintln!("no ../shared/corpus: skipped");
        return;
    };
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut checked = 0;
    for r in corpus::manifest_rows(&dir) {
        let file = r["file"].as_str().unwrap();
        let dialect = match r["dialect"].as_str().unwrap() {
            "postgres" => Dialect::Postgres,
            "mysql" => Dialect::MySql,
            "sqlite" => Dialect::Sqlite,
            "sqlserver" => Dialect::SqlServer,
            _ => continue,
        };
        let text = corpus::read(&dir, file);
        let im = crowfoot::sql::import::import_sql(&text, Some(dialect));
        let findings = lint(&im.project, dialect);
        for f in &findings {
            *per_rule.entry(f.rule).or_default() += 1;
        }
        if dialect != Dialect::Sqlite || !r["loads"].as_bool().unwrap_or(false) {
            continue;
        }
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.execute_batch(&text)
            .unwrap_or_else(|e| panic!("{file} loads in SQLite: {e}"));
        for f in &findings {
            let table = im.project.table(f.table_id).unwrap();
            let idx = sqlite_indexes(&db, &table.name);
            let pk: Vec<String> = {
                let mut s = db
                    .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")
                    .unwrap();
                s.query_map([&table.name], |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            };
            let lower = |v: &[(Option<String>, bool)]| -> Vec<(Option<String>, bool)> {
                v.iter()
                    .map(|(n, d)| (n.as_ref().map(|n| n.to_lowercase()), *d))
                    .collect()
            };
            let key_of = |name: &str| lower(&idx[name].key);
            let all_keys: Vec<(String, Key, bool, bool)> = idx
                .iter()
                .map(|(n, i)| (n.clone(), lower(&i.key), i.unique, i.partial))
                .chain(std::iter::once((
                    "<pk>".to_string(),
                    pk.iter().map(|c| (Some(c.to_lowercase()), false)).collect(),
                    true,
                    false,
                )))
                .collect();
            let ctx = format!("{file}: {} {:?}: {}", f.rule, f.index, f.message);
            match f.rule {
                "IX001" | "IX002" | "IX003" => {
                    let name = f.index.as_deref().unwrap();
                    let me = &idx
                        .get(name)
                        .unwrap_or_else(|| panic!("{ctx}: index not in SQLite's catalog"));
                    assert!(!me.partial || f.rule != "IX002", "{ctx}: partial");
                    assert!(
                        me.key.iter().all(|(n, _)| n.is_some()),
                        "{ctx}: expression keys are not claimed here"
                    );
                    let mine = key_of(name);
                    let undirected = |k: &[(Option<String>, bool)]| -> Vec<Option<String>> {
                        k.iter().map(|(n, _)| n.clone()).collect()
                    };
                    let ok = all_keys.iter().any(|(other, key, uniq, partial)| {
                        other != name
                            && !*partial
                            && !me.partial
                            && (*uniq || !me.unique)
                            && match f.rule {
                                "IX002" => {
                                    key.len() > mine.len()
                                        && (key[..mine.len()] == mine[..]
                                            || (mine.len() == 1
                                                && undirected(&key[..1]) == undirected(&mine)))
                                }
                                _ => {
                                    undirected(key) == undirected(&mine)
                                        && (key == &mine || mine.len() == 1)
                                }
                            }
                    });
                    assert!(
                        ok,
                        "{ctx}: no index in SQLite's catalog backs the claim ({:?})",
                        me.sql
                    );
                }
                "IX004" => {
                    // The message names the columns: (a, b).
                    let cols: Vec<String> = f.message
                        [f.message.find('(').unwrap() + 1..f.message.find(')').unwrap()]
                        .split(", ")
                        .map(|s| s.to_lowercase())
                        .collect();
                    let supported = all_keys.iter().any(|(_, key, _, partial)| {
                        !*partial && key.len() >= cols.len() && {
                            let mut lead: Vec<String> = key[..cols.len()]
                                .iter()
                                .filter_map(|(n, _)| n.clone())
                                .collect();
                            let mut want = cols.clone();
                            lead.sort();
                            want.sort();
                            lead == want
                        }
                    });
                    assert!(!supported, "{ctx}: SQLite's catalog has a supporting index");
                }
                _ => {}
            }
            checked += 1;
        }
    }
    eprintln!("findings per rule over the corpus: {per_rule:?}; {checked} checked in SQLite");
    assert!(checked > 0, "some SQLite corpus findings were checked");
}

// ----- index design helpers -----

#[test]
fn index_names_sizes_and_dialect_limits() {
    use crowfoot::analysis::index_design::{dialect_limits, index_bytes, index_name};
    let (mut p, _) = lint_one(Dialect::Postgres, |t| {
        t.index_with("ix_partial", &["b"], |i| {
            i.where_clause = Some("d > 0".into())
        });
        t.index("ix_t_b", &["b"]);
    });
    let t = p.tables().next().unwrap().clone();
    let parts = vec![IndexPart::column(t.column_by_name("b").unwrap().id)];
    // The pattern's name is taken: a suffix makes it unique; unique indexes get uq_.
    assert_eq!(index_name(&p, &t, &parts, false), "ix_t_b_2");
    assert_eq!(index_name(&p, &t, &parts, true), "uq_t_b");
    // Sizes need a row estimate and grow with it.
    assert_eq!(index_bytes(&t, &t.indexes[1]), None);
    with_stats(&mut p, 1_000_000, false, &[]);
    let t = p.tables().next().unwrap().clone();
    let small = index_bytes(&t, &t.indexes[1]).unwrap();
    assert!((10_000_000..100_000_000).contains(&small), "{small}");
    with_stats(&mut p, 2_000_000, false, &[]);
    let t = p.tables().next().unwrap().clone();
    let double = index_bytes(&t, &t.indexes[1]).unwrap();
    assert!(double.abs_diff(small * 2) <= 2, "{double} vs 2 × {small}");
    // A partial index: MySQL cannot express it, PostgreSQL and SQLite can.
    let limits = dialect_limits(&p, &t, "ix_partial");
    assert!(
        limits.iter().any(|(d, _)| *d == Dialect::MySql),
        "{limits:?}"
    );
    assert!(
        limits
            .iter()
            .all(|(d, _)| *d != Dialect::Postgres && *d != Dialect::Sqlite)
    );
    assert!(dialect_limits(&p, &t, "ix_t_b").is_empty());
}

// ----- CLI -----

/// `crowfoot indexes PROJECT --workload FILE --json`: `lint` with {rule, table, index,
/// message}, `queries` with {sql, plan_before, plan_after}, `suggested` with {table, columns,
/// unique, benefit}; exit 1 when there is something to report, 2 on a missing file.
#[test]
fn cli_indexes_json_with_a_workload() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("w.sql");
    std::fs::write(
        &w,
        "-- weight: 3\nSELECT * FROM products WHERE name = ?;\nSELEC oops;\n",
    )
    .unwrap();
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/shop.ron");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_crowfoot"))
        .args(["indexes"])
        .arg(&project)
        .arg("--workload")
        .arg(&w)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lint = v["lint"].as_array().unwrap();
    assert!(lint.iter().all(|f| f["rule"].is_string()
        && f["table"].is_string()
        && f["message"].is_string()
        && f.get("index").is_some()));
    assert!(lint.iter().any(|f| f["rule"] == "IX004"));
    let q = &v["queries"][0];
    assert_eq!(
        q["sql"].as_str().unwrap().trim(),
        "SELECT * FROM products WHERE name = ?"
    );
    assert!(
        q["plan_before"][0]
            .as_str()
            .unwrap()
            .starts_with("SCAN products")
    );
    assert!(q["plan_after"][0].as_str().unwrap().contains("USING INDEX"));
    let s = &v["suggested"][0];
    assert_eq!(s["table"], "products");
    assert_eq!(s["columns"], serde_json::json!(["name"]));
    assert_eq!(s["unique"], false);
    assert!(s["benefit"].as_f64().unwrap() > 0.0);
    // The broken statement is reported with its line; the rest was analysed.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(":line 3") || err.contains("line 3"), "{err}");

    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_crowfoot"))
        .args(["indexes"])
        .arg(&project)
        .args(["--workload", "/nonexistent/w.sql"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

/// IX005's fix drops the non-unique index with the least selective leading column that no
/// foreign key needs; IX007's fix puts the most selective column first.
#[test]
fn ix005_and_ix007_fixes() {
    let (mut p, _) = lint_one(Dialect::Postgres, |t| {
        t.index("ix_b", &["b"]);
        t.index("ix_c", &["c"]);
        t.index("ix_d", &["d"]);
        t.index("ix_b_c", &["b", "c"]);
        t.index("ix_c_d", &["c", "d"]);
        t.index("ix_d_b", &["d", "b"]);
    });
    with_stats(
        &mut p,
        1_000_000,
        true,
        &[("b", 900_000), ("c", 50_000), ("d", 4)],
    );
    let l = lint(&p, Dialect::Postgres);
    let f5 = l.iter().find(|f| f.rule == "IX005").expect("IX005");
    let before = p.clone();
    let cmd = f5.fix.as_ref().unwrap().command(&p).unwrap();
    cmd.apply(&mut p).unwrap();
    let names: Vec<String> = p
        .tables()
        .next()
        .unwrap()
        .indexes
        .iter()
        .map(|i| i.name.clone())
        .collect();
    // ix_d and ix_d_b lead with d (4 values); the later one goes first.
    assert!(!names.contains(&"ix_d_b".to_string()), "{names:?}");
    assert_eq!(names.len(), 5);
    let mut p = before;
    let l = lint(&p, Dialect::Postgres);
    let f7 = l
        .iter()
        .find(|f| f.rule == "IX007" && f.index.as_deref() == Some("ix_d_b"))
        .expect("IX007 on ix_d_b");
    assert_eq!(f7.fix.as_ref().unwrap().label(&p), "Reorder as (b, d)");
    let cmd = f7.fix.as_ref().unwrap().command(&p).unwrap();
    cmd.apply(&mut p).unwrap();
    let t = p.tables().next().unwrap();
    let ix = t.indexes.iter().find(|i| i.name == "ix_d_b").unwrap();
    let cols: Vec<String> = ix
        .parts
        .iter()
        .map(|x| match x.target {
            IndexTarget::Column(c) => t.column_name(c),
            IndexTarget::Expr(_) => unreachable!(),
        })
        .collect();
    assert_eq!(cols, ["b", "d"]);
    assert!(
        lint(&p, Dialect::Postgres)
            .iter()
            .all(|f| !(f.rule == "IX007" && f.index.as_deref() == Some("ix_d_b")))
    );
    // A single-column low-selectivity index is offered for dropping.
    let single = lint(&p, Dialect::Postgres)
        .into_iter()
        .find(|f| f.rule == "IX007" && f.index.as_deref() == Some("ix_d"))
        .expect("IX007 on ix_d");
    assert_eq!(single.fix.as_ref().unwrap().label(&p), "Drop index ix_d");
}
