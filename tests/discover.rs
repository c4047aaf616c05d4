//! FD discovery from sample data (TANE), sample readers, 1NF hints and `crowfoot discover`.

#[path = "support/run.rs"]
mod run;
use run::{crowfoot, text};

use crowfoot::analysis::normalize::discover::{Cancelled, DiscoverOptions, Discovery, discover};
use crowfoot::analysis::normalize::hints::{
    HintKind, hints_for_columns, hints_for_sample, list_hint,
};
use crowfoot::analysis::normalize::parse::parse_fd;
use crowfoot::analysis::normalize::sample::{
    ReadOptions, Sample, SampleError, read_csv, read_csv_from, read_sqlite, sqlite_tables,
};
use proptest::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

fn run(s: &Sample) -> Discovery {
    discover(s, &DiscoverOptions::default(), &mut |_| true).unwrap()
}

fn sample(names: &[&str], rows: &[&[&str]]) -> Sample {
    let rows: Vec<Vec<Option<&str>>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| if *v == "NULL" { None } else { Some(*v) })
                .collect()
        })
        .collect();
    Sample::from_rows(names, &rows).unwrap()
}

fn csv(text: &str) -> Result<Sample, SampleError> {
    read_csv_from(text.as_bytes(), &ReadOptions::default(), &mut |_| true)
}

/// `(lhs bitmask, rhs)` of each FD.
fn as_pairs(d: &Discovery) -> BTreeSet<(u32, usize)> {
    d.fds
        .iter()
        .map(|fd| {
            assert_eq!(fd.rhs.len(), 1);
            (
                fd.lhs.iter().fold(0u32, |m, a| m | 1 << a),
                fd.rhs.iter().next().unwrap(),
            )
        })
        .collect()
}

/// Does `x` (bitmask) determine column `a` on `rows`?
fn holds(rows: &[Vec<u8>], x: u32, a: usize) -> bool {
    let mut seen: HashMap<Vec<u8>, u8> = HashMap::new();
    for r in rows {
        let key: Vec<u8> = (0..r.len())
            .filter(|i| x >> i & 1 == 1)
            .map(|i| r[i])
            .collect();
        if *seen.entry(key).or_insert(r[a]) != r[a] {
            return false;
        }
    }
    true
}

/// Every minimal non-trivial FD, by brute force over all subsets.
fn brute_force(rows: &[Vec<u8>], n: usize, max_lhs: usize) -> BTreeSet<(u32, usize)> {
    let mut out = BTreeSet::new();
    for x in 0u32..1 << n {
        if x.count_ones() as usize > max_lhs {
            continue;
        }
        for a in 0..n {
            if x >> a & 1 == 1 || !holds(rows, x, a) {
                continue;
            }
            let minimal = (0..n)
                .filter(|b| x >> b & 1 == 1)
                .all(|b| !holds(rows, x & !(1 << b), a));
            if minimal {
                out.insert((x, a));
            }
        }
    }
    out
}

/// Minimal unique column sets by brute force (none when rows repeat).
fn brute_keys(rows: &[Vec<u8>], n: usize) -> BTreeSet<u32> {
    let unique = |x: u32| {
        let mut seen = HashSet::new();
        rows.iter().all(|r| {
            seen.insert(
                (0..n)
                    .filter(|i| x >> i & 1 == 1)
                    .map(|i| r[i])
                    .collect::<Vec<_>>(),
            )
        })
    };
    (0u32..1 << n)
        .filter(|&x| unique(x) && (0..n).all(|b| x >> b & 1 == 0 || !unique(x & !(1 << b))))
        .collect()
}

fn to_sample(rows: &[Vec<u8>], n: usize) -> Sample {
    let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let text: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|v| v.to_string()).collect())
        .collect();
    let rows: Vec<Vec<Option<&str>>> = text
        .iter()
        .map(|r| {
            r.iter()
                // Value 0 stands for NULL: NULL must behave as a value equal to itself.
                .map(|v| if v == "0" { None } else { Some(v.as_str()) })
                .collect()
        })
        .collect();
    Sample::from_rows(&names, &rows).unwrap()
}

/// Up to 6 columns and 40 rows; each column has its own domain of 1 (constant) to 12 values,
/// so dependencies, constants, keys and duplicate rows all occur.
fn table() -> impl Strategy<Value = (usize, Vec<Vec<u8>>)> {
    (
        prop::collection::vec(prop_oneof![3 => 1u8..=4, 1 => 5u8..=12], 1..=6),
        0usize..=40,
    )
        .prop_flat_map(|(domains, rows)| {
            let row: Vec<_> = domains.iter().map(|&d| 0..d).collect();
            (Just(domains.len()), prop::collection::vec(row, rows))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn matches_brute_force((n, rows) in table()) {
        let d = run(&to_sample(&rows, n));
        prop_assert_eq!(as_pairs(&d), brute_force(&rows, n, n));
        prop_assert_eq!(d.rows, rows.len());
        prop_assert!(!d.lhs_limited);
        let dup = rows.len() - rows.iter().collect::<HashSet<_>>().len();
        prop_assert_eq!(d.duplicate_rows, dup);
        let keys: BTreeSet<u32> = d
            .keys
            .iter()
            .map(|k| k.iter().fold(0u32, |m, a| m | 1 << a))
            .collect();
        prop_assert_eq!(keys, brute_keys(&rows, n));
        prop_assert!(d.keys_exact);
    }

    #[test]
    fn max_lhs_gives_exactly_the_short_ones((n, rows) in table(), k in 0usize..4) {
        let opts = DiscoverOptions { max_lhs: Some(k), ..DiscoverOptions::default() };
        let d = discover(&to_sample(&rows, n), &opts, &mut |_| true).unwrap();
        prop_assert_eq!(as_pairs(&d), brute_force(&rows, n, k));
        // If the limit hid something, it says so.
        if brute_force(&rows, n, n).len() > brute_force(&rows, n, k).len() {
            prop_assert!(d.lhs_limited);
        }
    }

    /// A memory budget that stops the search leaves a correct partial result: exactly the
    /// minimal FDs with left sides up to `complete_lhs`, the rest a subset of the true ones,
    /// and never more bytes held than the budget.
    #[test]
    fn memory_budget_gives_a_correct_partial_result(
        (n, rows) in table(),
        budget in 0usize..12_000,
    ) {
        let sample = to_sample(&rows, n);
        let opts = DiscoverOptions { memory_budget: Some(budget), ..DiscoverOptions::default() };
        let d = discover(&sample, &opts, &mut |_| true).unwrap();
        // What level 1 alone (a partition per column, the size of the input) holds: always
        // built, whatever the budget (a budget of 0 stops right after it).
        let level_one = DiscoverOptions { memory_budget: Some(0), ..DiscoverOptions::default() };
        let level_one = discover(&sample, &level_one, &mut |_| true).unwrap().peak_bytes;
        prop_assert!(d.peak_bytes <= budget.max(level_one), "{} > {budget}", d.peak_bytes);
        let all = brute_force(&rows, n, n);
        if d.memory_limited {
            let k = d.complete_lhs.expect("a stopped search says what is complete");
            let found = as_pairs(&d);
            let short: BTreeSet<_> = found
                .iter()
                .filter(|(x, _)| x.count_ones() as usize <= k)
                .copied()
                .collect();
            prop_assert_eq!(short, brute_force(&rows, n, k));
            prop_assert!(found.is_subset(&all));
            prop_assert!(!d.keys_exact);
        } else {
            prop_assert_eq!(as_pairs(&d), all);
            prop_assert_eq!(d.complete_lhs, None);
        }
    }
}

#[test]
fn zip_determines_city_and_id_is_the_key() {
    let s = sample(
        &["id", "zip", "city", "name"],
        &[
            &["1", "10115", "Berlin", "Ann"],
            &["2", "10115", "Berlin", "Bob"],
            &["3", "80331", "Munich", "Ann"],
            &["4", "20095", "Hamburg", "Cy"],
            &["5", "80333", "Munich", "Bob"],
        ],
    );
    let d = run(&s);
    let texts = d.fd_texts();
    assert!(texts.contains(&"zip -> city".to_string()), "{texts:?}");
    assert!(texts.contains(&"id -> zip".to_string()), "{texts:?}");
    // city does not determine zip (Munich has two).
    assert!(!texts.contains(&"city -> zip".to_string()), "{texts:?}");
    // Not minimal: zip already determines city.
    assert!(!texts.iter().any(|t| t.starts_with("zip, name -> city")));
    let keys: Vec<Vec<String>> = d.keys.iter().map(|k| d.schema.names_of(k)).collect();
    assert_eq!(keys[0], ["id"]);
    assert!(keys.contains(&vec!["zip".to_string(), "name".to_string()]));
    assert!(d.keys_exact);
    // Every text parses back with the schema.
    for t in &texts {
        let fd = parse_fd(&d.schema, t).unwrap();
        assert!(d.fds.contains(&fd), "{t}");
    }
}

#[test]
fn constant_column_has_an_empty_left_side() {
    let s = sample(
        &["a", "country", "b"],
        &[&["1", "DE", "x"], &["2", "DE", "y"], &["3", "DE", "x"]],
    );
    let d = run(&s);
    assert_eq!(d.constant_columns(), [1]);
    assert!(
        d.fds
            .iter()
            .any(|fd| fd.lhs.is_empty() && fd.rhs.contains(1))
    );
    // Nothing else mentions the constant column.
    assert!(
        d.fds
            .iter()
            .filter(|fd| !fd.lhs.is_empty())
            .all(|fd| !fd.lhs.contains(1) && !fd.rhs.contains(1))
    );
    assert_eq!(d.fd_texts(), ["a -> b"]);
}

#[test]
fn null_equals_null() {
    // With NULL = NULL, the two NULL emails are one value with two different names, so
    // email -> name fails; name -> email holds.
    let s = sample(
        &["email", "name"],
        &[
            &["NULL", "Ann"],
            &["NULL", "Bob"],
            &["c@x.org", "Cy"],
            &["c@x.org", "Cy"],
        ],
    );
    let d = run(&s);
    assert_eq!(d.fd_texts(), ["name -> email"]);
    // NULL is different from the empty string.
    let rows = vec![
        vec![None, Some("1")],
        vec![Some(""), Some("2")],
        vec![None, Some("1")],
    ];
    let s = Sample::from_rows(&["a", "b"], &rows).unwrap();
    assert_eq!(run(&s).fd_texts(), ["a -> b", "b -> a"]);
}

#[test]
fn empty_and_single_row_samples() {
    let s = sample(&["a", "b"], &[]);
    let d = run(&s);
    assert_eq!(d.rows, 0);
    assert_eq!(d.constant_columns(), [0, 1]);
    let s = sample(&["a", "b"], &[&["1", "2"]]);
    let d = run(&s);
    assert_eq!(d.constant_columns(), [0, 1]);
    // The empty set is unique on one row.
    assert_eq!(d.keys.len(), 1);
    assert!(d.keys[0].is_empty());
}

#[test]
fn duplicate_rows_have_no_key() {
    let s = sample(&["a", "b"], &[&["1", "2"], &["1", "2"], &["2", "3"]]);
    let d = run(&s);
    assert_eq!(d.duplicate_rows, 1);
    assert!(d.keys.is_empty());
    assert_eq!(d.fd_texts(), ["a -> b", "b -> a"]);
}

#[test]
fn cancellation_stops_the_search() {
    // 8 independent random columns: a deep lattice.
    let mut x = 1u64;
    let mut rows = Vec::new();
    for _ in 0..500 {
        let r: Vec<u8> = (0..8)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % 5) as u8
            })
            .collect();
        rows.push(r);
    }
    let s = to_sample(&rows, 8);
    let mut calls = 0;
    let r = discover(&s, &DiscoverOptions::default(), &mut |_| {
        calls += 1;
        calls < 5
    });
    assert_eq!(r.unwrap_err(), Cancelled);
    assert_eq!(calls, 5, "no callback after the one that cancelled");
    // Progress is monotone within a run and reaches the end.
    let mut last = 0.0f32;
    let mut levels = Vec::new();
    let d = discover(&s, &DiscoverOptions::default(), &mut |p| {
        assert!(p.fraction() >= 0.0 && p.fraction() <= 1.0);
        assert!(p.level >= levels.last().copied().unwrap_or(1));
        // Sets visited so far (level 1: the 8 columns) and the bytes held are reported.
        assert!(p.sets >= 8 && p.bytes > 0, "{p:?}");
        levels.push(p.level);
        last = p.fraction();
        true
    })
    .unwrap();
    assert!(levels.len() > 5);
    assert!(last > 0.0);
    assert!(d.sets_visited > 8);
}

#[test]
fn csv_reading() {
    let s = csv("id,name,note\n1,Ann,\n2,\"Bob, Jr\",x\n").unwrap();
    assert_eq!(s.schema().names(), ["id", "name", "note"]);
    assert_eq!(s.rows(), 2);
    // Empty fields are empty strings by default, NULL on request.
    assert_eq!(s.column(2).nulls(), 0);
    let opts = ReadOptions {
        empty_as_null: true,
        ..ReadOptions::default()
    };
    let s = read_csv_from(
        "id,name,note\n1,Ann,\n2,Bob,x\n".as_bytes(),
        &opts,
        &mut |_| true,
    )
    .unwrap();
    assert_eq!(s.column(2).nulls(), 1);
    // Row limit.
    let opts = ReadOptions {
        limit: Some(1),
        ..ReadOptions::default()
    };
    let s = read_csv_from("a\n1\n2\n3\n".as_bytes(), &opts, &mut |_| true).unwrap();
    assert_eq!(s.rows(), 1);
    assert!(s.truncated());
    let s = read_csv_from("a\n1\n".as_bytes(), &opts, &mut |_| true).unwrap();
    assert!(!s.truncated());
    // A header only: zero rows. A BOM is dropped; an empty header name is numbered.
    let s = csv("\u{feff}a,,c\n").unwrap();
    assert_eq!(s.rows(), 0);
    assert_eq!(s.schema().names(), ["a", "column_2", "c"]);
    // Semicolons.
    let opts = ReadOptions {
        delimiter: b';',
        ..ReadOptions::default()
    };
    let s = read_csv_from("a;b\n1;2\n".as_bytes(), &opts, &mut |_| true).unwrap();
    assert_eq!(s.schema().names(), ["a", "b"]);
}

#[test]
fn csv_errors_are_located() {
    let e = csv("a,b,c\n1,2,3\n4,5\n").unwrap_err();
    assert_eq!(
        e,
        SampleError::Invalid {
            line: Some(3),
            message: "row has 2 fields, the header has 3".into()
        }
    );
    assert_eq!(e.to_string(), "line 3: row has 2 fields, the header has 3");
    let e = csv("").unwrap_err();
    assert!(e.to_string().contains("empty file"), "{e}");
    let e = csv("a,b,a\n1,2,3\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 1: header names column 1 and column 3 both \"a\""
    );
    let e = read_csv_from(
        &b"a,b\n1,2\n3,\xff\xfe\n"[..],
        &ReadOptions::default(),
        &mut |_| true,
    )
    .unwrap_err();
    let text = e.to_string();
    assert!(
        text.starts_with("line 3: field 2 (column \"b\") is not valid UTF-8"),
        "{text}"
    );
    let e = read_csv(
        Path::new("/nonexistent/x.csv"),
        &ReadOptions::default(),
        &mut |_| true,
    )
    .unwrap_err();
    assert!(matches!(e, SampleError::Invalid { line: None, .. }));
    // Progress: bytes grow towards the file size.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("n.csv");
    let body: String = std::iter::once("a,b\n".to_string())
        .chain((0..20_000).map(|i| format!("{i},{}\n", i % 7)))
        .collect();
    std::fs::write(&file, &body).unwrap();
    let mut seen = Vec::new();
    let s = read_csv(&file, &ReadOptions::default(), &mut |p| {
        seen.push(*p);
        true
    })
    .unwrap();
    assert_eq!(s.rows(), 20_000);
    assert_eq!(seen.len(), 20_000 / 4096 + 1);
    assert!(
        seen.windows(2)
            .all(|w| w[0].bytes < w[1].bytes && w[0].rows < w[1].rows)
    );
    assert!(
        seen.iter()
            .all(|p| p.total_bytes == Some(body.len() as u64))
    );
    assert!(seen[0].fraction().unwrap() > 0.1 && seen[0].fraction().unwrap() < 0.3);
    assert_eq!(seen.last().unwrap().fraction(), Some(1.0));
    // Reading can be cancelled.
    let big: String = std::iter::once("a\n".to_string())
        .chain((0..10_000).map(|i| format!("{i}\n")))
        .collect();
    let e = read_csv_from(big.as_bytes(), &ReadOptions::default(), &mut |_| false).unwrap_err();
    assert_eq!(e, SampleError::Cancelled);
}

fn make_db(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("shop.db");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, email TEXT, total REAL, \
         photo BLOB);
         INSERT INTO orders VALUES (1, 'ann', 'ann@x.org', 9.5, x'00ff');
         INSERT INTO orders VALUES (2, 'bob', 'bob@x.org', 9.5, NULL);
         INSERT INTO orders VALUES (3, 'ann', 'ann@x.org', 12.0, NULL);
         INSERT INTO orders VALUES (4, 'cy', NULL, 12.0, x'00ff');
         CREATE TABLE \"odd \"\"name\" (a);",
    )
    .unwrap();
    path
}

#[test]
fn sqlite_table_discovery() {
    let dir = tempfile::tempdir().unwrap();
    let db = make_db(dir.path());
    let s = read_sqlite(&db, "orders", &ReadOptions::default(), &mut |_| true).unwrap();
    assert_eq!(s.rows(), 4);
    assert_eq!(
        s.schema().names(),
        ["id", "customer", "email", "total", "photo"]
    );
    assert_eq!(s.column(2).nulls(), 1);
    let blob: Vec<_> = s.column(4).values().collect();
    assert!(blob.contains(&(Some("x'00ff'"), 2)), "{blob:?}");
    let d = run(&s);
    let texts = d.fd_texts();
    assert!(
        texts.contains(&"customer -> email".to_string()),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"email -> customer".to_string()),
        "{texts:?}"
    );
    assert!(texts.contains(&"id -> total".to_string()), "{texts:?}");
    assert_eq!(d.schema.names_of(&d.keys[0]), ["id"]);
    // Limit.
    let opts = ReadOptions {
        limit: Some(2),
        ..ReadOptions::default()
    };
    let s = read_sqlite(&db, "orders", &opts, &mut |_| true).unwrap();
    assert_eq!(s.rows(), 2);
    assert!(s.truncated());
    let d = run(&s);
    assert!(d.rows_truncated);
    // A quoted table name.
    let s = read_sqlite(&db, "odd \"name", &ReadOptions::default(), &mut |_| true).unwrap();
    assert_eq!(s.rows(), 0);
    assert_eq!(sqlite_tables(&db).unwrap(), ["odd \"name", "orders"]);
    // Errors.
    let e = read_sqlite(&db, "nope", &ReadOptions::default(), &mut |_| true).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no table \"nope\" in the database (tables: odd \"name, orders)"
    );
    let junk = dir.path().join("junk.db");
    std::fs::write(
        &junk,
        "this is not a database, just some text that is long enough",
    )
    .unwrap();
    let e = read_sqlite(&junk, "t", &ReadOptions::default(), &mut |_| true).unwrap_err();
    assert!(
        e.to_string().contains("not a readable SQLite database"),
        "{e}"
    );
}

#[test]
fn list_hints_fire_on_lists_only() {
    let tags =
        csv("id,tags\n1,\"red,green\"\n2,\"green,blue,red\"\n3,blue\n4,\"red,blue\"\n").unwrap();
    let hints = hints_for_sample(&tags);
    assert_eq!(hints.len(), 1, "{hints:?}");
    assert_eq!(hints[0].id, "1nf-list:tags");
    assert_eq!(hints[0].kind, HintKind::ListValues);
    assert_eq!(hints[0].share, Some(0.75));
    assert!(hints[0].message.contains("75%"), "{}", hints[0].message);

    let json = [(Some("[1,2]"), 3), (Some("[]"), 1), (None, 5)];
    let h = list_hint("ids", json).unwrap();
    assert_eq!(h.share, Some(1.0));
    assert!(h.message.contains("JSON arrays"));

    let emails = [
        (Some("a@x.org; b@x.org"), 2),
        (Some("c@x.org"), 1),
        (Some("d@x.org;e@y.org;f@z.org"), 1),
    ];
    assert!(list_hint("emails", emails).is_some());

    // Negative cases: prose, decimal and grouped numbers, addresses, "City, ST", timestamps.
    let quiet: &[(&str, &[&str])] = &[
        (
            "comment",
            &[
                "Great product, would buy again",
                "Arrived late, but fine",
                "Too small, sadly",
                "Okay, I guess",
            ],
        ),
        ("price", &["1,234.50", "12,000", "3,999,999.99", "1,000"]),
        ("amount_de", &["3,14", "2,5", "10,75", "0,5"]),
        (
            "address",
            &[
                "12 Main St, Springfield, IL",
                "4 Elm Rd, Dover",
                "9 Oak Ave, Salem, MA",
            ],
        ),
        (
            "city",
            &["Springfield, IL", "Dover, DE", "Salem, MA", "Austin, TX"],
        ),
        ("name", &["Smith, John", "Doe, Jane", "Roe, Rick"]),
        (
            "sent",
            &[
                "Mon, 02 Jan 2024 10:00:00 GMT",
                "Tue, 03 Jan 2024 11:00:00 GMT",
                "Wed, 04 Jan 2024 12:00:00 GMT",
            ],
        ),
        ("note", &["[draft]", "[final]", "[citation needed]"]),
    ];
    for (col, vals) in quiet {
        let h = list_hint(col, vals.iter().map(|v| (Some(*v), 1)));
        assert!(h.is_none(), "{col}: {h:?}");
    }
    // Blank values count neither way.
    let sparse = [(Some("a,b,c"), 3), (Some(""), 50), (None, 50)];
    assert_eq!(list_hint("t", sparse).unwrap().share, Some(1.0));
    // A few lists among many plain values: below the share.
    let mostly_plain = [(Some("a,b,c"), 2), (Some("x"), 10)];
    assert!(list_hint("t", mostly_plain).is_none());
}

#[test]
fn repeating_groups_from_names() {
    let names: Vec<String> = [
        "id",
        "phone1",
        "phone2",
        "phone3",
        "email_1",
        "email_2",
        "address_line1",
        "address_line2",
        "sha1",
        "sha256",
        "x1",
        "x2",
        "item1_qty",
        "item2_qty",
        "ipv4",
        "ipv6",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let hints = hints_for_columns(&names);
    let ids: Vec<&str> = hints.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "1nf-repeating:phone#",
            "1nf-repeating:email#",
            "1nf-repeating:item#_qty"
        ]
    );
    assert_eq!(hints[0].columns, ["phone1", "phone2", "phone3"]);
    assert_eq!(hints[0].kind, HintKind::RepeatingGroup);
    assert!(
        hints[0].message.contains("repeating group"),
        "{}",
        hints[0].message
    );
    // A lone numbered column is not a group.
    assert!(hints_for_columns(&["phone1".to_string(), "fax".to_string()]).is_empty());
}

#[test]
fn cli_discover_csv() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("people.csv"),
        "id,zip,city,country,phone1,phone2,tags\n\
         1,10115,Berlin,DE,1,2,\"a,b\"\n\
         2,10115,Berlin,DE,3,4,\"b,c,d\"\n\
         3,80331,Munich,DE,5,6,\"a,c\"\n\
         4,20095,Hamburg,DE,7,8,a\n",
    )
    .unwrap();
    let out = crowfoot(&["discover", "--csv", "people.csv"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let o = text(&out.stdout);
    assert!(o.contains("\n  zip -> city\n"), "{o}");
    assert!(o.contains("constant: country"), "{o}");
    assert!(o.contains("1nf-repeating:phone#"), "{o}");
    assert!(o.contains("1nf-list:tags"), "{o}");
    assert!(o.contains("rows read: 4"), "{o}");

    let out = crowfoot(
        &[
            "discover",
            "--csv",
            "people.csv",
            "--json",
            "--max-lhs",
            "1",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"], 4);
    assert_eq!(v["max_lhs"], 1);
    let fds = v["functional_dependencies"].as_array().unwrap();
    assert!(
        fds.iter()
            .any(|f| f["lhs"] == serde_json::json!(["zip"])
                && f["rhs"] == serde_json::json!(["city"]))
    );
    assert!(
        fds.iter().any(
            |f| f["lhs"] == serde_json::json!([]) && f["rhs"] == serde_json::json!(["country"])
        )
    );
    assert!(fds.iter().all(|f| f["lhs"].as_array().unwrap().len() <= 1));
    assert!(v["hints"].as_array().unwrap().len() >= 2);
    assert!(v["elapsed_ms"].is_number());

    // --analyze feeds the FDs to the normalization report.
    let out = crowfoot(
        &["discover", "--csv", "people.csv", "--analyze"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("normal form"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn cli_discover_errors_and_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.csv"), "a,b\n1,2\n3\n").unwrap();
    let out = crowfoot(&["discover", "--csv", "bad.csv"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "error: bad.csv:3: row has 1 fields, the header has 2"
    );
    let out = crowfoot(
        &["discover", "--sqlite", "nothere.db", "--table", "t"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    // Exactly one source.
    let out = crowfoot(&["discover"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = crowfoot(
        &["discover", "--csv", "bad.csv", "--delimiter", "::"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--delimiter"),
        "{}",
        text(&out.stderr)
    );
    // Tab-separated, empty fields as NULL: the NULL row agrees with the other NULL row.
    std::fs::write(dir.path().join("t.tsv"), "a\tb\n1\t\n1\t\n2\tx\n").unwrap();
    let out = crowfoot(
        &[
            "discover",
            "--csv",
            "t.tsv",
            "--delimiter",
            "tab",
            "--empty-as-null",
            "--json",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fd_text"], serde_json::json!(["a -> b", "b -> a"]));
    assert_eq!(v["duplicate_rows"], 1);

    make_db(dir.path());
    let out = crowfoot(
        &[
            "discover", "--sqlite", "shop.db", "--table", "orders", "--limit", "3",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let o = text(&out.stdout);
    assert!(o.contains("customer -> email"), "{o}");
    assert!(o.contains("rows read: 3 (limit reached)"), "{o}");
    let out = crowfoot(&["discover", "--sqlite", "shop.db"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

/// Issue 13, item 11: a wide sample of random values (60 columns × 2,000 rows, seeded) used to
/// grow without bound (10 GB in 60 s). Under the defaults (left sides of at most 4 columns
/// above 12 columns) and a 64 MB budget it stops, says the result is partial, reports progress
/// and stays within the budget: the budget's own count, and the process's peak resident
/// memory (VmHWM) with a margin for the program and the sample.
#[test]
fn cli_discover_wide_random_csv_stays_within_the_memory_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut x = 0x5EED_u64;
    let mut csv = (0..60)
        .map(|c| format!("c{c}"))
        .collect::<Vec<_>>()
        .join(",");
    csv.push('\n');
    for _ in 0..2000 {
        let row: Vec<String> = (0..60u64)
            .map(|c| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Small domains (2 to 11 values): no column is a key, the lattice is deep.
                (x % (2 + c * 7 % 10)).to_string()
            })
            .collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    std::fs::write(dir.path().join("wide.csv"), csv).unwrap();
    let budget_mb = 64.0;
    let out = crowfoot(
        &[
            "discover",
            "--csv",
            "wide.csv",
            "--json",
            "--memory-mb",
            "64",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"], 2000);
    assert_eq!(
        v["max_lhs"], 4,
        "the default limit applies to a wide sample"
    );
    assert_eq!(v["max_lhs_default"], true);
    assert_eq!(v["memory_budget_mb"], 64);
    assert_eq!(v["memory_limited"], true, "{}", text(&out.stderr));
    assert_eq!(v["keys_exact"], false);
    let complete = v["complete_lhs"].as_u64().unwrap();
    assert!(complete < 4, "{complete}");
    let partial = v["partial"].as_str().unwrap();
    assert!(
        partial.starts_with("memory budget of 64 MB reached after ")
            && partial.contains("results so far are partial"),
        "{partial}"
    );
    let err = text(&out.stderr);
    assert!(
        err.contains("warning: memory budget of 64 MB reached"),
        "{err}"
    );
    let held = v["memory_peak_mb"].as_f64().unwrap();
    assert!(held <= budget_mb, "{held} MB held");
    assert!(
        held > budget_mb / 2.0,
        "{held} MB held: the budget was what stopped it"
    );
    let rss = v["peak_rss_mb"].as_f64().expect("Linux reports VmHWM");
    assert!(rss < budget_mb + 64.0, "peak RSS {rss} MB");

    // The text output says so too.
    let out = crowfoot(
        &["discover", "--csv", "wide.csv", "--memory-mb", "8"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let o = text(&out.stdout);
    assert!(
        o.contains("note: memory budget of 8 MB reached after ")
            && o.contains("results so far are partial"),
        "{o}"
    );
    // `--max-lhs all` lifts the default limit; `--max-lhs 1` stops before the budget.
    let out = crowfoot(
        &["discover", "--csv", "wide.csv", "--json", "--max-lhs", "1"],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["max_lhs"], 1);
    assert_eq!(v["memory_limited"], false);
    assert_eq!(v["lhs_limited"], true);
    assert_eq!(v["complete_lhs"], 1);
    let out = crowfoot(
        &[
            "discover",
            "--csv",
            "wide.csv",
            "--json",
            "--max-lhs",
            "all",
            "--memory-mb",
            "4",
        ],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["max_lhs"], serde_json::Value::Null);
    assert_eq!(v["memory_limited"], true);
}
