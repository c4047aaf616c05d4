//! Subject areas from the graph (issue 16, item 4): modularity checked by hand, a planted
//! partition recovered, determinism, junction and single-neighbour tables with their parent,
//! names, apply + undo, `crowfoot areas` (JSON shape, --apply), and imports laid out by area
//! (no overlapping cards, a screen-like shape).

mod support {
    pub mod run;
}

use crowfoot::analysis::explore::areas::{
    self, ApplyOptions, AreaOptions, AreaSuggestion, OTHER, apply_command, suggest_areas,
};
use crowfoot::analysis::explore::louvain;
use crowfoot::diagram::geometry::card_size;
use crowfoot::diagram::layout::GroupedOptions;
use crowfoot::model::builder::ProjectBuilder;
use crowfoot::model::*;
use crowfoot::sql::import::import_sql;
use std::collections::BTreeSet;
use support::run::{crowfoot, crowfoot_in_repo, text};

/// A project of `names` (each with an `id` key) and one foreign key per edge `(from, to)`,
/// tables created in the order `order` gives (indices into `names`).
fn graph_in_order(names: &[&str], edges: &[(usize, usize)], order: &[usize]) -> Project {
    let mut b = ProjectBuilder::new("g");
    let mut cols: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    for (k, &(from, _)) in edges.iter().enumerate() {
        cols[from].push(format!("r{k}"));
    }
    let mut ids = vec![TableId(0); names.len()];
    for &i in order {
        ids[i] = b.table(names[i], |t| {
            t.col("id", LogicalType::BigInt).pk();
            for c in &cols[i] {
                t.col(c, LogicalType::BigInt);
            }
        });
    }
    for (k, &(from, to)) in edges.iter().enumerate() {
        b.fk(ids[from], &[&format!("r{k}")], ids[to], &["id"]);
    }
    b.build()
}

fn graph(names: &[&str], edges: &[(usize, usize)]) -> Project {
    let order: Vec<usize> = (0..names.len()).collect();
    graph_in_order(names, edges, &order)
}

/// The areas as (name, sorted table names), in the suggestion's order.
fn named(p: &Project, s: &AreaSuggestion) -> Vec<(String, Vec<String>)> {
    s.areas
        .iter()
        .map(|a| {
            let mut t: Vec<String> = a
                .tables
                .iter()
                .map(|t| p.table(*t).expect("table").name.clone())
                .collect();
            t.sort();
            (a.name.clone(), t)
        })
        .collect()
}

fn area_of<'a>(p: &Project, s: &'a AreaSuggestion, table: &str) -> &'a str {
    let id = p.tables().find(|t| t.name == table).expect("table").id;
    s.areas
        .iter()
        .find(|a| a.tables.contains(&id))
        .map_or("", |a| a.name.as_str())
}

/// Four cliques of six tables, `prefixes[c]_0..5`, joined in a ring by single keys.
fn cliques(prefixes: [&str; 4]) -> (Vec<String>, Vec<(usize, usize)>) {
    let mut names = Vec::new();
    let mut edges = Vec::new();
    for (c, pre) in prefixes.iter().enumerate() {
        for i in 0..6 {
            names.push(format!("{pre}_{i}"));
            for j in i + 1..6 {
                edges.push((c * 6 + i, c * 6 + j));
            }
        }
    }
    for c in 0..4 {
        edges.push((c * 6 + 5, ((c + 1) % 4) * 6));
    }
    (names, edges)
}

#[test]
fn modularity_is_newmans_on_a_hand_computed_graph() {
    // Two triangles joined by one key: m = 7, each side L = 3, d = 7: Q = 6/7 - 1/2 = 5/14.
    let p = graph(
        &["a", "b", "c", "x", "y", "z"],
        &[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)],
    );
    let s = suggest_areas(&p, &AreaOptions::default());
    assert_eq!(s.areas.len(), 2, "{:?}", named(&p, &s));
    assert!(
        (s.modularity - 5.0 / 14.0).abs() < 1e-12,
        "{}",
        s.modularity
    );
    // The function itself, weighted: a-b twice (weight 2), b-c once; {a, b} | {c}:
    // m = 3, L = 2, d = 4 and 1 + 1: Q = 2/3 - (5/6)^2 - (1/6)^2 = -1/18.
    let q = louvain::modularity(&[0, 0, 1], &[(0, 1, 2.0), (1, 2, 1.0)], 1.0);
    assert!((q + 1.0 / 18.0).abs() < 1e-12, "{q}");
}

#[test]
fn planted_partition_is_recovered_exactly() {
    let (names, edges) = cliques(["q", "r", "s", "t"]);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let p = graph(&names, &edges);
    let s = suggest_areas(&p, &AreaOptions::default());
    let got: BTreeSet<Vec<String>> = named(&p, &s).into_iter().map(|a| a.1).collect();
    let want: BTreeSet<Vec<String>> = ["q", "r", "s", "t"]
        .iter()
        .map(|c| (0..6).map(|i| format!("{c}_{i}")).collect())
        .collect();
    assert_eq!(got, want);
    assert!(s.unassigned.is_empty());
    // m = 64; each clique L = 15, d = 32: Q = 4 (15/64 - 1/16) = 0.6875.
    assert!((s.modularity - 0.6875).abs() < 1e-12, "{}", s.modularity);
}

#[test]
fn suggestions_are_deterministic_and_independent_of_creation_order() {
    let (names, edges) = cliques(["q", "r", "s", "t"]);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let forward: Vec<usize> = (0..names.len()).collect();
    let backward: Vec<usize> = forward.iter().rev().copied().collect();
    let mut shuffled = forward.clone();
    shuffled.sort_by_key(|&i| (i * 7) % names.len());
    let p = graph_in_order(&names, &edges, &forward);
    let a = suggest_areas(&p, &AreaOptions::default());
    assert_eq!(a, suggest_areas(&p, &AreaOptions::default()));
    for order in [backward, shuffled] {
        let q = graph_in_order(&names, &edges, &order);
        let b = suggest_areas(&q, &AreaOptions::default());
        assert_eq!(named(&p, &a), named(&q, &b));
        assert_eq!(a.modularity, b.modularity);
    }
    // The sample projects too, twice.
    for p in [
        crowfoot::samples::shop::build(),
        crowfoot::samples::saas::build(),
    ] {
        assert_eq!(
            suggest_areas(&p, &AreaOptions::default()),
            suggest_areas(&p, &AreaOptions::default())
        );
    }
}

#[test]
fn junction_and_single_neighbour_tables_go_with_a_parent() {
    // Two clusters (film, actor), a junction between them each way round, a table hanging
    // off each cluster.
    let names = [
        "film",
        "language",
        "rating",
        "studio",
        "actor",
        "agent",
        "award",
        "contract",
        "film_actor",
        "actor_film",
        "film_note",
        "agent_memo",
    ];
    let mut edges = Vec::new();
    for group in [[0, 1, 2, 3], [4, 5, 6, 7]] {
        for i in 0..4 {
            for j in i + 1..4 {
                edges.push((group[i], group[j]));
            }
        }
    }
    edges.extend([(8, 0), (8, 4), (9, 4), (9, 0), (10, 0), (11, 5)]);
    let p = graph(&names, &edges);
    let s = suggest_areas(&p, &AreaOptions::default());
    assert_eq!(s.areas.len(), 2, "{:?}", named(&p, &s));
    assert_ne!(area_of(&p, &s, "film"), area_of(&p, &s, "actor"));
    // Each junction with the parent its name starts with.
    assert_eq!(area_of(&p, &s, "film_actor"), area_of(&p, &s, "film"));
    assert_eq!(area_of(&p, &s, "actor_film"), area_of(&p, &s, "actor"));
    assert_eq!(area_of(&p, &s, "film_note"), area_of(&p, &s, "film"));
    assert_eq!(area_of(&p, &s, "agent_memo"), area_of(&p, &s, "agent"));
}

#[test]
fn tables_without_keys_go_to_other_or_the_area_of_their_prefix() {
    let (mut names, edges) = cliques(["auth", "billing", "catalog", "shipping"]);
    names.extend([
        "billing_archive".into(),
        "settings".into(),
        "migrations".into(),
    ]);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let p = graph(&names, &edges);
    let s = suggest_areas(&p, &AreaOptions::default());
    let got = named(&p, &s);
    let area_names: Vec<&str> = got.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(
        area_names,
        ["billing", "auth", "catalog", "shipping", OTHER],
        "{got:?}"
    );
    assert_eq!(got[0].1.len(), 7, "billing_archive joins billing");
    assert_eq!(got[4].1, ["migrations", "settings"]);
    assert!(s.areas[4].other && !s.areas[0].other);
    // Without any key, tables still group by a prefix three or more of them share (here
    // after the prefix all of them carry).
    let loose = graph(
        &[
            "glpi_items_a",
            "glpi_items_b",
            "glpi_items_c",
            "glpi_users",
            "glpi_tickets",
        ],
        &[],
    );
    let s = suggest_areas(&loose, &AreaOptions::default());
    assert_eq!(
        named(&loose, &s),
        [
            (
                "items".to_string(),
                vec![
                    "glpi_items_a".to_string(),
                    "glpi_items_b".into(),
                    "glpi_items_c".into()
                ]
            ),
            (
                OTHER.to_string(),
                vec!["glpi_tickets".to_string(), "glpi_users".into()]
            )
        ]
    );
    assert_eq!(s.modularity, 0.0);
    // Else there is no area at all.
    let loose = graph(&["a", "b", "c"], &[]);
    let s = suggest_areas(&loose, &AreaOptions::default());
    assert!(s.areas.is_empty());
    assert_eq!(s.unassigned.len(), 3);
    assert_eq!(s.modularity, 0.0);
}

#[test]
fn names_come_from_prefixes_else_the_most_referenced_table_and_are_unique() {
    // Two clusters both prefixed `auth`, plus one without a shared prefix around `hub`.
    let mut names: Vec<String> = Vec::new();
    let mut edges = Vec::new();
    for (c, list) in [
        ["auth_a", "auth_b", "auth_c", "auth_d", "x_1"],
        ["auth_e", "auth_f", "auth_g", "auth_h", "x_2"],
        ["hub", "red", "green", "blue", "cyan"],
    ]
    .iter()
    .enumerate()
    {
        for (i, n) in list.iter().enumerate() {
            names.push(n.to_string());
            for j in i + 1..5 {
                edges.push((c * 5 + j, c * 5 + i)); // later ones reference earlier ones
            }
        }
    }
    edges.extend([(4, 5), (9, 10)]);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let p = graph(&names, &edges);
    let s = suggest_areas(&p, &AreaOptions::default());
    let got: Vec<String> = s.areas.iter().map(|a| a.name.clone()).collect();
    // Equal sizes: ordered by first table name. The second `auth` cluster falls back to its
    // most referenced table (its first, referenced by the other four).
    assert_eq!(got, ["auth", "auth_e", "hub"], "{:?}", named(&p, &s));
    // Odd names survive as they are, prefixes included.
    let odd = graph(
        &[
            "🎉 party_guests",
            "🎉 party_rooms",
            "🎉 party_songs",
            "it's \"quoted\"",
        ],
        &[(0, 1), (1, 2), (0, 2), (3, 0)],
    );
    let s = suggest_areas(&odd, &AreaOptions::default());
    assert_eq!(s.areas.len(), 1);
    assert_eq!(s.areas[0].name, "🎉 party");
}

#[test]
fn prefix_rules() {
    assert_eq!(areas::prefix("auth_user"), "auth");
    assert_eq!(areas::prefix("SalesOrderHeader"), "Sales");
    assert_eq!(areas::prefix("film"), "film");
    assert_eq!(areas::prefix("_x"), "_x");
    assert_eq!(areas::prefix("ÉtéLong"), "Été");
}

/// Card rectangles of `p`.
fn cards(p: &Project) -> Vec<(String, [f32; 4])> {
    p.tables()
        .map(|t| {
            let [w, h] = card_size(t, p);
            (t.name.clone(), [t.position.x, t.position.y, w, h])
        })
        .collect()
}

fn assert_no_overlap(p: &Project) {
    let mut c = cards(p);
    c.sort_by(|a, b| a.1[0].total_cmp(&b.1[0]));
    for i in 0..c.len() {
        for j in i + 1..c.len() {
            let (a, b) = (&c[i].1, &c[j].1);
            if b[0] >= a[0] + a[2] {
                break;
            }
            let apart = a[1] + a[3] <= b[1] || b[1] + b[3] <= a[1];
            assert!(apart, "{} and {} overlap", c[i].0, c[j].0);
        }
    }
}

/// Width / height of the cards' bounding box.
fn aspect(p: &Project) -> f32 {
    let mut lo = [f32::INFINITY; 2];
    let mut hi = [f32::NEG_INFINITY; 2];
    for (_, r) in cards(p) {
        lo = [lo[0].min(r[0]), lo[1].min(r[1])];
        hi = [hi[0].max(r[0] + r[2]), hi[1].max(r[1] + r[3])];
    }
    (hi[0] - lo[0]) / (hi[1] - lo[1])
}

/// Every table of each suggested area has its centre inside that area's box, and in no
/// other new area's box.
fn assert_areas_hold_their_tables(p: &Project, s: &AreaSuggestion, before: &BTreeSet<AreaId>) {
    let new: Vec<&Area> = p.areas().filter(|a| !before.contains(&a.id)).collect();
    assert_eq!(new.len(), s.areas.len());
    for (a, box_) in s.areas.iter().zip(&new) {
        assert_eq!(a.name, box_.name);
        for t in a.tables.iter().filter_map(|t| p.table(*t)) {
            let [w, h] = card_size(t, p);
            let (cx, cy) = (t.position.x + w / 2.0, t.position.y + h / 2.0);
            let holders: Vec<&str> = new
                .iter()
                .filter(|b| {
                    cx >= b.position.x
                        && cx <= b.position.x + b.size[0]
                        && cy >= b.position.y
                        && cy <= b.position.y + b.size[1]
                })
                .map(|b| b.name.as_str())
                .collect();
            assert_eq!(holders, [a.name.as_str()], "{}", t.name);
        }
    }
}

#[test]
fn apply_is_one_command_and_undo_restores_exactly() {
    for (p, replace) in [
        (crowfoot::samples::shop::build(), false),
        (crowfoot::samples::saas::build(), true),
    ] {
        let s = suggest_areas(&p, &AreaOptions::default());
        for layout in [None, Some(GroupedOptions::default())] {
            let with_layout = layout.is_some();
            let o = ApplyOptions { layout, replace };
            let cmd = apply_command(&p, &s, &o);
            assert!(matches!(cmd, Command::Batch(_)));
            let mut q = p.clone();
            let before: BTreeSet<AreaId> = if replace {
                BTreeSet::new()
            } else {
                q.areas().map(|a| a.id).collect()
            };
            let inverse = cmd.apply(&mut q).expect("applies");
            if with_layout {
                assert_no_overlap(&q);
                assert_areas_hold_their_tables(&q, &s, &before);
                let r = aspect(&q);
                assert!((0.3..4.0).contains(&r), "aspect {r}");
            } else {
                assert_eq!(q.areas().count(), before.len() + s.areas.len());
                for t in p.tables() {
                    assert_eq!(q.table(t.id).expect("table").position, t.position);
                }
            }
            inverse.apply(&mut q).expect("undoes");
            assert_eq!(q, p);
        }
    }
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// `crowfoot areas --json` output checked for shape: every table of the project exactly
/// once, names non-empty and unique, modularity in [-1/2, 1).
fn check_json(project: &std::path::Path, tables: usize) -> serde_json::Value {
    let out = crowfoot_in_repo(&["areas", project.to_str().expect("utf-8"), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let q = v["modularity"].as_f64().expect("modularity");
    assert!((-0.5..1.0).contains(&q), "{q}");
    let mut seen = BTreeSet::new();
    let mut names = BTreeSet::new();
    let list = v["areas"].as_array().expect("areas");
    for a in list {
        let name = a["name"].as_str().expect("name");
        assert!(
            !name.is_empty() && names.insert(name.to_lowercase()),
            "{name}"
        );
        for t in a["tables"].as_array().expect("tables") {
            assert!(seen.insert(t.as_str().expect("name").to_string()));
        }
        assert_eq!(a.as_object().expect("object").len(), 2, "{a}");
    }
    for t in v["unassigned"].as_array().expect("unassigned") {
        assert!(seen.insert(t.as_str().expect("name").to_string()));
    }
    assert_eq!(seen.len(), tables);
    v
}

#[test]
fn cli_json_on_the_samples_and_an_imported_corpus_schema() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, tables) in [("projects/shop.ron", 25), ("projects/saas.ron", 40)] {
        let p = crowfoot::project_file::load(&root.join(file)).expect("loads");
        assert_eq!(p.table_count(), tables);
        let v = check_json(&root.join(file), tables);
        assert!(v["areas"].as_array().expect("areas").len() >= 3, "{v}");
    }
    let dir = tmp();
    let sakila = root.join("tests/fixtures/advisor/sakila-schema.postgres.sql");
    let ron = dir.path().join("sakila.ron");
    let out = crowfoot(
        &[
            "import",
            sakila.to_str().expect("utf-8"),
            "-o",
            ron.to_str().expect("utf-8"),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = check_json(&ron, 21);
    let names: Vec<&str> = v["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .map(|a| a["name"].as_str().expect("name"))
        .collect();
    assert!(names.contains(&"film"), "{v}");
    // The text listing: a summary line, then one line per area.
    let out = crowfoot_in_repo(&["areas", ron.to_str().expect("utf-8")]);
    let listing = text(&out.stdout);
    assert!(listing.starts_with(&format!("{} areas, modularity ", names.len())));
    assert_eq!(listing.lines().count(), names.len() + 1, "{listing}");
}

#[test]
fn cli_apply_writes_only_the_output_asked_for() {
    let dir = tmp();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let input = dir.path().join("in.ron");
    std::fs::copy(root.join("projects/shop.ron"), &input).expect("copy");
    let original = std::fs::read(&input).expect("read");
    // --apply needs -o.
    let out = crowfoot(&["areas", "in.ron", "--apply"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let out = crowfoot(
        &["areas", "in.ron", "--apply", "--layout", "-o", "out.ron"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&input).expect("read"), original);
    let before = crowfoot::project_file::load(&input).expect("loads");
    let after = crowfoot::project_file::load(&dir.path().join("out.ron")).expect("loads");
    let s = suggest_areas(&before, &AreaOptions::default());
    assert_eq!(
        after.areas().count(),
        before.areas().count() + s.areas.len()
    );
    assert_no_overlap(&after);
    // A missing project is an error, exit 2.
    let out = crowfoot(&["areas", "missing.ron"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cli_handles_names_with_spaces_quotes_and_emoji() {
    let p = graph(
        &[
            "order items",
            "it's \"quoted\"",
            "🎉 party",
            "plain",
            "back\\slash",
        ],
        &[(0, 1), (1, 2), (0, 2), (3, 0), (4, 3)],
    );
    let dir = tmp();
    let file = dir.path().join("odd.ron");
    crowfoot::project_file::save(&p, &file).expect("saves");
    let v = check_json(&file, 5);
    let all: BTreeSet<&str> = v["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .flat_map(|a| a["tables"].as_array().expect("tables"))
        .map(|t| t.as_str().expect("name"))
        .collect();
    assert!(
        all.contains("it's \"quoted\"") && all.contains("🎉 party"),
        "{v}"
    );
}

/// Import a script and check the layout: every card apart, a screen-like bounding box, the
/// tables of each area inside it.
fn check_imported(sql: &str, dialect: Dialect) -> Project {
    let start = std::time::Instant::now();
    let r = import_sql(sql, Some(dialect));
    let p = r.project;
    eprintln!(
        "imported {} tables, {} keys in {:?} (debug build), {} areas",
        p.table_count(),
        p.foreign_key_count(),
        start.elapsed(),
        p.areas().count()
    );
    assert_no_overlap(&p);
    let r = aspect(&p);
    assert!((0.3..4.0).contains(&r), "aspect {r}");
    let s = suggest_areas(&p, &AreaOptions::default());
    assert_areas_hold_their_tables(&p, &s, &BTreeSet::new());
    p
}

#[test]
fn imports_are_laid_out_by_area_not_in_a_grid() {
    let sakila = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/advisor/sakila-schema.postgres.sql"
    ))
    .expect("fixture");
    let p = check_imported(&sakila, Dialect::Postgres);
    assert!(p.areas().count() >= 2);
    // A generated schema of 400 tables, exported and imported again.
    let g = crowfoot::samples::generated::build(400, 8, 7);
    let sql = crowfoot::sql::export(&g, Dialect::Postgres).sql;
    let p = check_imported(&sql, Dialect::Postgres);
    assert_eq!(p.table_count(), 400);
    // Importing twice gives the same layout and areas.
    let q = import_sql(&sql, Some(Dialect::Postgres)).project;
    assert_eq!(cards(&p), cards(&q));
    let areas = |p: &Project| -> Vec<(String, Position, [f32; 2])> {
        p.areas()
            .map(|a| (a.name.clone(), a.position, a.size))
            .collect()
    };
    assert_eq!(areas(&p), areas(&q));
    // A script without foreign keys is laid out too (no areas).
    let loose: String = (0..30)
        .map(|i| format!("CREATE TABLE t{i} (id INT PRIMARY KEY, name TEXT);\n"))
        .collect();
    let p = check_imported(&loose, Dialect::Postgres);
    assert_eq!(p.areas().count(), 0);
}

#[test]
fn a_prefix_nearly_every_table_carries_is_skipped_in_names() {
    let (names, edges) = cliques(["wp_auth", "wp_billing", "wp_catalog", "wp_shipping"]);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let p = graph(&names, &edges);
    let s = suggest_areas(&p, &AreaOptions::default());
    let got: BTreeSet<String> = s.areas.iter().map(|a| a.name.clone()).collect();
    let want: BTreeSet<String> = ["auth", "billing", "catalog", "shipping"]
        .map(String::from)
        .into();
    assert_eq!(got, want);
}

#[test]
fn large_communities_are_split_near_the_size_limit() {
    // A 3,000-table generated schema has communities of about a hundred tables: split them at
    // 40 (the default limit is 120).
    let p = crowfoot::samples::generated::build(3000, 6, 5);
    let limit = 40;
    let limited = suggest_areas(
        &p,
        &AreaOptions {
            max_size: limit,
            ..AreaOptions::default()
        },
    );
    let unlimited = suggest_areas(
        &p,
        &AreaOptions {
            max_size: 0,
            ..AreaOptions::default()
        },
    );
    let largest = |s: &AreaSuggestion| {
        s.areas
            .iter()
            .filter(|a| !a.other)
            .map(|a| a.tables.len())
            .max()
            .unwrap_or(0)
    };
    let real = |s: &AreaSuggestion| s.areas.iter().filter(|a| !a.other).count();
    eprintln!(
        "3,000 generated tables: {} areas (largest {}, Q {:.3}) at most {limit}; without a \
         limit {} (largest {}, Q {:.3})",
        real(&limited),
        largest(&limited),
        limited.modularity,
        real(&unlimited),
        largest(&unlimited),
        unlimited.modularity
    );
    assert!(largest(&unlimited) > limit);
    // Within the limit, give or take the junction and single-neighbour tables pulled in.
    assert!(largest(&limited) <= limit * 3 / 2, "{}", largest(&limited));
    // Parts are merged back towards the limit: not a swarm of tiny areas.
    assert!(real(&limited) <= 3000 / 15, "{} areas", real(&limited));
    assert!(limited.modularity > 0.7, "{}", limited.modularity);
}
