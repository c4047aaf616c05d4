//! Find path (issue 16, item 2): shortest foreign-key paths, checked against a brute-force
//! enumeration; the JOIN that follows a path, executed on real SQLite, PostgreSQL and MariaDB
//! against the exported schema (with rows, so the join's result is checked too);
//! `crowfoot path` exits, JSON and suggestions; an imported corpus schema (Sakila).
//!
//! Without `CROWFOOT_PG` / `CROWFOOT_MYSQL` the server parts are skipped (with a message),
//! unless `CROWFOOT_REQUIRE_DBS=1`.

mod support {
    pub mod dbs;
    pub mod run;
}

use crowfoot::analysis::explore::{Direction, FkGraph, FkPath, join_sql, resolve_table};
use crowfoot::model::*;
use crowfoot::sql::dialect::rules;
use crowfoot::sql::export;
use crowfoot::sql::import::import_sql;
use proptest::prelude::*;
use std::collections::BTreeSet;
use support::dbs::{self, Engine, TestDb};
use support::run::{crowfoot_in_repo, text};

fn project(sql: &str) -> Project {
    let r = import_sql(sql, Some(Dialect::Postgres));
    let errors: Vec<_> = r
        .report
        .iter()
        .filter(|n| n.severity == crowfoot::sql::import::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    r.project
}

fn id(p: &Project, name: &str) -> TableId {
    resolve_table(p, name).unwrap_or_else(|e| panic!("{e}"))
}

fn names(p: &Project, path: &FkPath) -> Vec<String> {
    path.tables
        .iter()
        .map(|t| p.table(*t).expect("path table").name.clone())
        .collect()
}

fn shop() -> Project {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/projects/shop.ron"))
        .expect("shop example");
    crowfoot::project_file::from_ron_str(&text, "shop.ron").expect("shop example loads")
}

#[test]
fn shop_paths_come_shortest_first_distinct_and_simple() {
    let p = shop();
    let g = FkGraph::new(&p);
    let paths = g.paths(
        id(&p, "order_items"),
        id(&p, "customers"),
        5,
        &BTreeSet::new(),
    );
    assert_eq!(paths.len(), 5);
    assert_eq!(names(&p, &paths[0]), ["order_items", "orders", "customers"]);
    // Billing and shipping address keys are two paths of the same length.
    let via_addresses: Vec<_> = paths
        .iter()
        .filter(|x| names(&p, x) == ["order_items", "orders", "addresses", "customers"])
        .collect();
    assert_eq!(via_addresses.len(), 2);
    assert_ne!(via_addresses[0].steps, via_addresses[1].steps);
    for w in paths.windows(2) {
        assert!(w[0].steps.len() <= w[1].steps.len());
    }
    for x in &paths {
        let distinct: BTreeSet<_> = x.tables.iter().collect();
        assert_eq!(distinct.len(), x.tables.len(), "a path is simple");
        assert_eq!(x.tables.len(), x.steps.len() + 1);
        check_steps(&p, x);
    }
    let steps: BTreeSet<_> = paths.iter().map(|x| x.steps.clone()).collect();
    assert_eq!(steps.len(), paths.len(), "paths are distinct");
}

/// Each step is a real key between the two tables it joins, walked the way it says.
fn check_steps(p: &Project, x: &FkPath) {
    for (i, s) in x.steps.iter().enumerate() {
        let fk = p.foreign_key(s.fk).expect("step key exists");
        let (a, b) = (x.tables[i], x.tables[i + 1]);
        if s.forward {
            assert_eq!((fk.from_table, fk.to_table), (a, b));
        } else {
            assert_eq!((fk.from_table, fk.to_table), (b, a));
        }
    }
}

#[test]
fn ignored_hubs_are_never_crossed_but_may_be_ends() {
    let p = shop();
    let g = FkGraph::new(&p);
    let (items, customers, orders) = (id(&p, "order_items"), id(&p, "customers"), id(&p, "orders"));
    let ignore = BTreeSet::from([orders]);
    let paths = g.paths(items, customers, 5, &ignore);
    assert!(!paths.is_empty());
    for x in &paths {
        assert!(!x.tables.contains(&orders), "{:?}", names(&p, x));
    }
    // An ignored table is still reachable as an end.
    let to_orders = g.paths(items, orders, 1, &ignore);
    assert_eq!(names(&p, &to_orders[0]), ["order_items", "orders"]);
    // No path at all: an island.
    let island =
        project("CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY);");
    let g = FkGraph::new(&island);
    assert!(
        g.paths(id(&island, "a"), id(&island, "b"), 5, &BTreeSet::new())
            .is_empty()
    );
}

#[test]
fn neighbourhood_follows_the_chosen_direction() {
    let p = shop();
    let g = FkGraph::new(&p);
    let orders = id(&p, "orders");
    let out = g.neighbourhood(&[orders], 1, Direction::Outgoing);
    let out_names: BTreeSet<String> = out
        .iter()
        .map(|(t, _)| p.table(*t).unwrap().name.clone())
        .collect();
    assert!(out_names.contains("customers") && out_names.contains("addresses"));
    assert!(!out_names.contains("order_items"));
    let inc = g.neighbourhood(&[orders], 1, Direction::Incoming);
    assert!(
        inc.iter()
            .any(|(t, d)| *t == id(&p, "order_items") && *d == 1)
    );
    assert!(!inc.iter().any(|(t, _)| *t == id(&p, "customers")));
    assert_eq!(inc[0], (orders, 0), "the start comes first, at distance 0");
}

/// Every simple path from `s` to `t`, as its key sequence (brute force).
fn all_paths(adj: &[Vec<(usize, (usize, bool))>], s: usize, t: usize) -> Vec<Vec<(usize, bool)>> {
    fn go(
        adj: &[Vec<(usize, (usize, bool))>],
        v: usize,
        t: usize,
        seen: &mut Vec<bool>,
        path: &mut Vec<(usize, bool)>,
        out: &mut Vec<Vec<(usize, bool)>>,
    ) {
        if v == t {
            out.push(path.clone());
            return;
        }
        for &(w, step) in &adj[v] {
            if !seen[w] {
                seen[w] = true;
                path.push(step);
                go(adj, w, t, seen, path, out);
                path.pop();
                seen[w] = false;
            }
        }
    }
    let mut seen = vec![false; adj.len()];
    seen[s] = true;
    let mut out = Vec::new();
    go(adj, s, t, &mut seen, &mut Vec::new(), &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Yen's paths are the k shortest of all simple paths (by length), each valid and distinct.
    #[test]
    fn paths_are_the_k_shortest_of_all_simple_paths(
        n in 2usize..7,
        edges in prop::collection::vec((0usize..7, 0usize..7), 0..12),
        k in 1usize..6,
    ) {
        let mut p = Project::new("g");
        let mut ids = Vec::new();
        for i in 0..n {
            let tid = TableId(p.alloc_id());
            let mut t = Table::new(tid, format!("t{i}"));
            let c = Column::new(ColumnId(p.alloc_id()), "id", LogicalType::Integer);
            t.primary_key = Some(PrimaryKey { name: None, columns: vec![c.id] });
            t.columns.push(c);
            Command::AddTable(Box::new(t)).apply(&mut p).unwrap();
            ids.push(tid);
        }
        let mut adj: Vec<Vec<(usize, (usize, bool))>> = vec![Vec::new(); n];
        for (a, b) in edges.into_iter().map(|(a, b)| (a % n, b % n)).filter(|(a, b)| a != b) {
            let col = Column::new(ColumnId(p.alloc_id()), format!("c{}", p.alloc_id()), LogicalType::Integer);
            let cid = col.id;
            Command::AddColumn { table: ids[a], index: 1, column: Box::new(col) }.apply(&mut p).unwrap();
            let key = p.table(ids[b]).unwrap().columns[0].id;
            let fk = ForeignKey {
                id: ForeignKeyId(p.alloc_id()),
                name: None,
                from_table: ids[a],
                from_columns: vec![cid],
                to_table: ids[b],
                to_columns: vec![key],
                on_delete: FkAction::NoAction,
                on_update: FkAction::NoAction,
                deferrable: Deferrable::NotDeferrable,
            };
            let raw = fk.id.0 as usize;
            Command::AddForeignKey(Box::new(fk)).apply(&mut p).unwrap();
            adj[a].push((b, (raw, true)));
            adj[b].push((a, (raw, false)));
        }
        let expected = all_paths(&adj, 0, n - 1);
        let mut lengths: Vec<usize> = expected.iter().map(Vec::len).collect();
        lengths.sort();
        let got = FkGraph::new(&p).paths(ids[0], ids[n - 1], k, &BTreeSet::new());
        prop_assert_eq!(got.len(), expected.len().min(k));
        let got_lengths: Vec<usize> = got.iter().map(|x| x.steps.len()).collect();
        prop_assert_eq!(&got_lengths[..], &lengths[..got.len()]);
        let as_keys: BTreeSet<Vec<(usize, bool)>> = got
            .iter()
            .map(|x| x.steps.iter().map(|s| (s.fk.0 as usize, s.forward)).collect())
            .collect();
        prop_assert_eq!(as_keys.len(), got.len());
        for x in &got {
            let keys: Vec<(usize, bool)> = x.steps.iter().map(|s| (s.fk.0 as usize, s.forward)).collect();
            prop_assert!(expected.contains(&keys), "not a simple path: {:?}", keys);
            check_steps(&p, x);
        }
    }
}

/// Tables with names that need quoting everywhere, a composite key and rows along the path.
/// (No emoji: MySQL/MariaDB identifiers hold only the Basic Multilingual Plane, and the export
/// says so.)
const ODD: &str = r#"
CREATE TABLE "Cüstomer ✓" (id int PRIMARY KEY, "it's name" text);
CREATE TABLE "order head" (
    region int NOT NULL,
    no int NOT NULL,
    "customer\id" int REFERENCES "Cüstomer ✓" (id),
    PRIMARY KEY (region, no)
);
CREATE TABLE "line ""item""" (
    id int PRIMARY KEY,
    region int NOT NULL,
    order_no int NOT NULL,
    FOREIGN KEY (region, order_no) REFERENCES "order head" (region, no)
);
"#;

/// Rows along the path (and one off it), in `d`'s quoting.
fn odd_rows(d: Dialect) -> String {
    let r = rules(d);
    let t = |n: &str| r.ident(n);
    [
        format!(
            "INSERT INTO {} ({}, {}) VALUES (1, 'Ann')",
            t("Cüstomer ✓"),
            t("id"),
            t("it's name")
        ),
        format!(
            "INSERT INTO {} ({}, {}) VALUES (2, 'Bob')",
            t("Cüstomer ✓"),
            t("id"),
            t("it's name")
        ),
        format!(
            "INSERT INTO {} ({}, {}, {}) VALUES (7, 1, 1)",
            t("order head"),
            t("region"),
            t("no"),
            t("customer\\id")
        ),
        format!(
            "INSERT INTO {} ({}, {}, {}) VALUES (7, 2, 2)",
            t("order head"),
            t("region"),
            t("no"),
            t("customer\\id")
        ),
        format!(
            "INSERT INTO {} ({}, {}, {}) VALUES (10, 7, 1)",
            t("line \"item\""),
            t("id"),
            t("region"),
            t("order_no")
        ),
    ]
    .map(|s| s + ";\n")
    .concat()
}

#[test]
fn join_sql_follows_composite_keys_and_odd_names_on_three_engines() {
    let p = project(ODD);
    let g = FkGraph::new(&p);
    let path = &g.paths(
        id(&p, "line \"item\""),
        id(&p, "Cüstomer ✓"),
        1,
        &BTreeSet::new(),
    )[0];
    assert_eq!(path.steps.len(), 2);
    for d in [Dialect::Sqlite, Dialect::Postgres, Dialect::MySql] {
        let sql = join_sql(&p, path, d);
        assert!(
            sql.contains(" AND "),
            "composite key joined on both columns: {sql}"
        );
        let ddl = export(&p, d).sql;
        let count = format!(
            "SELECT count(*) FROM ({}) AS j",
            sql.replace(
                "SELECT *",
                &format!(
                    "SELECT {}.{}",
                    rules(d).ident("Cüstomer ✓"),
                    rules(d).ident("it's name")
                )
            )
        );
        let name = format!(
            "SELECT {}.{} {}",
            rules(d).ident("Cüstomer ✓"),
            rules(d).ident("it's name"),
            &sql["SELECT * ".len()..]
        );
        let rows: Vec<Vec<String>> = match d {
            Dialect::Sqlite => {
                let conn = dbs::sqlite();
                dbs::sqlite_exec(&conn, &ddl).expect("schema");
                dbs::sqlite_exec(&conn, &odd_rows(d)).expect("rows");
                let mut st = conn
                    .prepare(&name)
                    .unwrap_or_else(|e| panic!("{e}\n{name}"));
                st.query_map([], |r| r.get::<_, String>(0))
                    .unwrap()
                    .map(|x| vec![x.unwrap()])
                    .collect()
            }
            _ => {
                let engine = if d == Dialect::Postgres {
                    Engine::Postgres
                } else {
                    Engine::MariaDb
                };
                let Some(db) = TestDb::create(engine, "explore_join") else {
                    eprintln!("skipped: no {} server", engine.display_name());
                    continue;
                };
                db.exec(&ddl).unwrap_or_else(|e| panic!("{e}\n{ddl}"));
                db.exec(&odd_rows(d)).expect("rows");
                assert_eq!(db.query(&count), vec![vec!["1".to_string()]], "{count}");
                db.query(&name)
            }
        };
        assert_eq!(rows, vec![vec!["Ann".to_string()]], "{d:?}: {name}");
    }
}

#[test]
fn path_command_exits_prints_json_and_suggests_names() {
    let out = crowfoot_in_repo(&[
        "path",
        "projects/shop.ron",
        "order_items",
        "customers",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let paths = v["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 5);
    assert_eq!(
        paths[0]["tables"],
        serde_json::json!(["order_items", "orders", "customers"])
    );
    assert_eq!(paths[0]["fks"][0]["from_table"], "order_items");
    assert_eq!(
        paths[0]["fks"][0]["from_columns"],
        serde_json::json!(["order_id"])
    );
    assert_eq!(paths[0]["fks"][0]["to_table"], "orders");
    assert!(
        paths[0]["sql"]
            .as_str()
            .unwrap()
            .contains("JOIN orders ON orders.id = order_items.order_id")
    );

    let out = crowfoot_in_repo(&[
        "path",
        "projects/shop.ron",
        "order_items",
        "customers",
        "--max",
        "1",
        "--sql",
        "--ignore",
        "orders",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(
        s.contains("FROM order_items") && !s.contains("JOIN orders"),
        "{s}"
    );

    let out = crowfoot_in_repo(&["path", "projects/shop.ron", "order_item", "customers"]);
    assert_eq!(out.status.code(), Some(2));
    let e = text(&out.stderr);
    assert!(
        e.contains("no table `order_item`") && e.contains("`order_items`"),
        "{e}"
    );

    // Unconnected tables: exit 1, an empty list in JSON.
    let dir = tempfile::tempdir().unwrap();
    let island = dir.path().join("isl and 🏝.ron");
    let p =
        project("CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE \"b b\" (id int PRIMARY KEY);");
    crowfoot::project_file::save(&p, &island).unwrap();
    let isl = island.to_str().unwrap();
    let out = crowfoot_in_repo(&["path", isl, "a", "b b", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout).trim(), r#"{"paths":[]}"#);
}

#[test]
fn paths_in_an_imported_corpus_schema_run_on_sqlite() {
    // Sakila (BSD licence, tests/fixtures/advisor/README.md).
    let sql = include_str!("fixtures/advisor/sakila-schema.sqlite.sql");
    let r = import_sql(sql, Some(Dialect::Sqlite));
    let p = r.project;
    let g = FkGraph::new(&p);
    let paths = g.paths(id(&p, "payment"), id(&p, "category"), 3, &BTreeSet::new());
    assert!(!paths.is_empty());
    assert_eq!(
        names(&p, &paths[0]),
        [
            "payment",
            "rental",
            "inventory",
            "film",
            "film_category",
            "category"
        ]
    );
    let conn = dbs::sqlite();
    dbs::sqlite_exec(&conn, &export(&p, Dialect::Sqlite).sql).expect("schema");
    for x in &paths {
        check_steps(&p, x);
        let sql = join_sql(&p, x, Dialect::Sqlite);
        conn.prepare(&sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
    }
}
