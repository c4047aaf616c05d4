//! The PostgreSQL index advisor (issue 17) against the real PostgreSQL 15 that `./test.sh`
//! starts with hypopg: scratch databases filled with synthetic rows, hypothetical indexes,
//! and the acceptance rule checked with real indexes: every suggestion, created for real in
//! the scratch database, is used by a workload query's real plan and lowers its cost.
//! Without `CROWFOOT_PG` the server parts are skipped (with a message), unless
//! `CROWFOOT_REQUIRE_DBS=1`.

mod support {
    pub mod dbs;
    pub mod run;
}

use crowfoot::analysis::advisor::Workload;
use crowfoot::analysis::advisor::pg::{self, PgAdvice, PgOptions, PgTarget, Scratch};
use crowfoot::model::{History, IndexTarget, Project};
use postgres::Client;
use support::dbs::{self, Engine};

fn workload(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/workloads/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn shop() -> Project {
    crowfoot::project_file::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/projects/shop.ron"
    )))
    .unwrap()
}

/// `p` without its secondary indexes (keys stay): a schema the workload needs indexes for.
fn without_indexes(mut p: Project) -> Project {
    let ids: Vec<_> = p.tables().map(|t| t.id).collect();
    let mut h = History::default();
    for t in ids {
        let idx: Vec<_> = p.table(t).unwrap().indexes.iter().map(|i| i.id).collect();
        for id in idx {
            h.apply(
                &mut p,
                crowfoot::model::Command::RemoveIndex { table: t, id },
            )
            .unwrap();
        }
    }
    p
}

/// The URL of database `db` on the test server (scratch mode or not), or `None` to skip.
fn url(test: &str, db: &str, scratch: bool) -> Option<String> {
    let s = dbs::server(Engine::Postgres, test)?;
    let auth = match &s.password {
        Some(pw) => format!("{}:{pw}", s.user),
        None => s.user.clone(),
    };
    Some(format!(
        "postgres://{auth}@{}:{}/{db}{}",
        s.host,
        s.port.unwrap_or(5432),
        if scratch { "?scratch=1" } else { "" }
    ))
}

/// The scratch-mode target on the test server, or `None` to skip.
fn target(test: &str) -> Option<PgTarget> {
    let url = url(test, "postgres", true)?;
    Some(PgTarget::parse(&url).expect("the test URL parses"))
}

fn parse(w: &str) -> Workload {
    pg::parse_workload(w)
}

/// Advise inside `scratch` (kept, so that the test can create the real indexes there).
fn advise_in(scratch: &mut Scratch, p: &Project, w: &Workload) -> PgAdvice {
    pg::load(&mut scratch.client, p).expect("the project loads on PostgreSQL");
    let seeds = pg::constants(p, w);
    let warnings = pg::fill::fill(&mut scratch.client, p, Default::default(), &seeds)
        .expect("the tables fill");
    // Every table is filled (a composite foreign key that overlaps another key may be put
    // back NOT VALID: planning does not need it validated).
    let empty: Vec<&String> = warnings
        .iter()
        .filter(|w| !w.contains("NOT VALID"))
        .collect();
    assert!(empty.is_empty(), "synthetic rows: {empty:#?}");
    pg::advise_on(&mut scratch.client, p, w, &PgOptions::default()).expect("advice")
}

/// Total cost of `sql` (with `$n` parameters given representative values as the advisor
/// does) and the indexes its plan uses: the real planner, real indexes.
fn real_plan(c: &mut Client, name: &str, sql: &str) -> (f64, Vec<String>) {
    let e = pg::plan::prepare(c, name, sql).expect("prepares");
    let p = pg::plan::explain(c, &e).expect("plans");
    (p.cost, p.indexes)
}

fn index_sql(p: &Project, s: &pg::PgSuggestion) -> String {
    let t = p.table(s.table_id).unwrap();
    let q = |n: &str| format!("\"{}\"", n.replace('"', "\"\""));
    let parts: Vec<String> = s
        .index
        .parts
        .iter()
        .map(|part| match &part.target {
            IndexTarget::Column(c) => q(&t.column_name(*c)),
            IndexTarget::Expr(e) => format!("({e})"),
        })
        .collect();
    let include = if s.include.is_empty() {
        String::new()
    } else {
        format!(
            " INCLUDE ({})",
            s.include
                .iter()
                .map(|c| q(c))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let predicate = s
        .index
        .where_clause
        .as_ref()
        .map(|w| format!(" WHERE {w}"))
        .unwrap_or_default();
    format!(
        "CREATE INDEX {} ON {} ({}){include}{predicate}",
        q(&s.index.name),
        pg::fill::relation(t),
        parts.join(", ")
    )
}

/// The acceptance rule with real indexes: create every suggestion, analyse, and each one is
/// used by at least one of its queries' real plans at a cost below that query's cost before.
fn assert_real_indexes_serve(scratch: &mut Scratch, p: &Project, advice: &PgAdvice) {
    let c = &mut scratch.client;
    c.batch_execute("SELECT hypopg_reset(); DEALLOCATE ALL")
        .unwrap();
    for s in &advice.suggested {
        c.batch_execute(&index_sql(p, s)).unwrap();
    }
    c.batch_execute("ANALYZE").unwrap();
    for (k, s) in advice.suggested.iter().enumerate() {
        assert!(!s.queries.is_empty(), "{} serves no query", s.index.name);
        let mut served = false;
        for (j, q) in s.queries.iter().enumerate() {
            let (cost, used) = real_plan(c, &format!("check_{k}_{j}"), &q.sql);
            if used.contains(&s.index.name) && cost < q.cost_before {
                served = true;
            }
        }
        assert!(
            served,
            "the real index {} ({}) serves none of its queries with a lower cost",
            s.index.name,
            s.columns.join(", ")
        );
    }
}

/// The acceptance rule on `p` without its secondary indexes and workload `file`: at least
/// `min` suggestions, each held by real indexes; accepting them all leaves nothing to
/// suggest. Returns the advice for further checks.
fn acceptance(test: &str, p: Project, file: &str, min: usize) -> Option<PgAdvice> {
    let target = target(test)?;
    let w = parse(&workload(file));
    assert!(w.errors.is_empty(), "{:?}", w.errors);
    assert!(
        w.statements.len() >= 20,
        "a workload of at least 20 queries"
    );
    let p = without_indexes(p);
    let mut scratch = Scratch::create(&target).expect("a scratch database");
    let advice = advise_in(&mut scratch, &p, &w);
    assert!(advice.errors.is_empty(), "{:?}", advice.errors);
    for s in &advice.suggested {
        eprintln!(
            "{file}: suggested {} ({}) include ({}) where {:?} saves {} for {} statement(s)",
            s.table,
            s.columns.join(", "),
            s.include.join(", "),
            s.predicate,
            s.benefit,
            s.queries.len()
        );
    }
    assert!(
        advice.suggested.len() >= min,
        "without its indexes {file} needs several: {}",
        advice.suggested.len()
    );
    for s in &advice.suggested {
        assert!(s.benefit > 0.0);
        for q in &s.queries {
            assert!(q.cost_after < q.cost_before, "{}: {}", s.index.name, q.sql);
            assert!(q.plan_before[0]["Plan"]["Total Cost"].is_number());
            assert!(q.plan_after[0]["Plan"]["Total Cost"].is_number());
        }
    }
    assert_real_indexes_serve(&mut scratch, &p, &advice);
    drop(scratch);

    // Accept every suggestion: the same workload then needs nothing more.
    let mut accepted = p.clone();
    for s in &advice.suggested {
        let cmd = pg::accept(&accepted, s).expect("accepts");
        cmd.apply(&mut accepted).expect("applies");
    }
    let mut scratch = Scratch::create(&target).expect("a scratch database");
    let again = advise_in(&mut scratch, &accepted, &w);
    assert!(
        again.suggested.is_empty(),
        "nothing left to suggest: {:#?}",
        again
            .suggested
            .iter()
            .map(|s| (&s.table, &s.columns, &s.predicate))
            .collect::<Vec<_>>()
    );
    Some(advice)
}

#[test]
fn shop_suggestions_hold_as_real_indexes_and_accepting_them_leaves_nothing_to_suggest() {
    let Some(advice) = acceptance("shop_acceptance", shop(), "shop-pg.sql", 8) else {
        return;
    };
    // Multi-column (equality then sort) and expression suggestions are among them.
    let expr = advice
        .suggested
        .iter()
        .any(|s| s.columns.iter().any(|c| c.contains("lower(")));
    assert!(expr, "lower(email) is looked up: an expression index");
    let multi = advice.suggested.iter().any(|s| s.columns.len() >= 2);
    assert!(
        multi,
        "orders by customer then placed_at: a two-column index"
    );
    // Index-only scans on a settled (vacuumed) database: covering INCLUDE indexes.
    assert!(
        advice.suggested.iter().any(|s| !s.include.is_empty()),
        "covering indexes with INCLUDE"
    );
}

#[test]
fn saas_suggestions_hold_as_real_indexes_and_accepting_them_leaves_nothing_to_suggest() {
    let saas = crowfoot::project_file::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/projects/saas.ron"
    )))
    .unwrap();
    // Composite tenant keys everywhere: (tenant_id, id) primary keys and foreign keys.
    let Some(advice) = acceptance("saas_acceptance", saas, "saas-pg.sql", 6) else {
        return;
    };
    assert!(
        advice
            .suggested
            .iter()
            .any(|s| s.columns.first().is_some_and(|c| c == "tenant_id") && s.columns.len() >= 2),
        "tenant-scoped lookups get (tenant_id, …) indexes"
    );
}

/// Databases whose name starts with the advisor's prefix.
fn scratch_databases(target: &PgTarget) -> Vec<String> {
    let mut c = target.connect().unwrap();
    c.query(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'crowfoot_advisor_' || $1 || '%'",
        &[&std::process::id().to_string()],
    )
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

#[test]
fn the_scratch_database_is_dropped_after_advice_and_after_a_failure() {
    let Some(target) = target("the_scratch_database_is_dropped") else {
        return;
    };
    let w = workload("shop-pg.sql");
    // A redundant index nothing reads: (parent_id) beside (parent_id, sort_order).
    let mut p = shop();
    let categories = p.table_by_name(None, "categories").unwrap().clone();
    let parent = categories.column_by_name("parent_id").unwrap().id;
    let id = crowfoot::model::IndexId(p.alloc_id());
    crowfoot::model::Command::AddIndex {
        table: categories.id,
        index: Box::new(crowfoot::model::Index {
            id,
            name: "ix_categories_parent_only".into(),
            unique: false,
            parts: vec![crowfoot::model::IndexPart::column(parent)],
            where_clause: None,
            include: Vec::new(),
            method: None,
        }),
        at: None,
    }
    .apply(&mut p)
    .unwrap();
    let advice =
        pg::advise_postgres(&p, &w, &target, &PgOptions::default()).expect("advice on the shop");
    assert_eq!(advice.engine, "postgres");
    let drops: Vec<(&str, &str)> = advice
        .drop
        .iter()
        .map(|d| (d.index.as_str(), d.covered_by.as_str()))
        .collect();
    assert!(
        drops.contains(&("ix_categories_parent_only", "ix_categories_parent")),
        "{drops:?}"
    );
    // Only indexes that enforce nothing are offered.
    for d in &advice.drop {
        let t = p.table_by_name(None, &d.table).unwrap();
        let i = t.indexes.iter().find(|i| i.name == d.index).unwrap();
        assert!(!i.unique && i.where_clause.is_none(), "{d:?}");
    }
    assert!(advice.server_version.starts_with("15") || !advice.server_version.is_empty());

    // A project whose DDL PostgreSQL refuses: one clear error, and no database left behind.
    let mut broken = shop();
    let t = broken.tables().next().unwrap().clone();
    let mut bad = t.clone();
    bad.columns[1].ty = crowfoot::model::LogicalType::Native("no_such_type(3)".into());
    crowfoot::model::Command::ReplaceTable(Box::new(bad))
        .apply(&mut broken)
        .unwrap();
    let Err(err) = pg::advise_postgres(&broken, &w, &target, &PgOptions::default()) else {
        panic!("the DDL does not load")
    };
    let msg = err.to_string();
    assert!(
        msg.contains("does not export cleanly to PostgreSQL") && msg.contains("no_such_type"),
        "{msg}"
    );
    // Tests of this process run in parallel: wait for the others' scratch databases.
    let start = std::time::Instant::now();
    loop {
        let left = scratch_databases(&target);
        if left.is_empty() {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "scratch databases left: {left:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn a_statement_that_does_not_plan_is_located_and_the_rest_advised() {
    let Some(target) = target("a_statement_that_does_not_plan") else {
        return;
    };
    let w = "SELECT * FROM orders WHERE no_such_column = 1;\n\
             -- weight: 10\n\
             SELECT * FROM shipments WHERE tracking_number = $1;\n\
             SELECT FROM WHERE;\n";
    let advice = pg::advise_postgres(&shop(), w, &target, &PgOptions::default()).unwrap();
    let lines: Vec<usize> = advice.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [1, 4], "{:?}", advice.errors);
    assert!(advice.errors[0].message.contains("no_such_column"));
    assert_eq!(advice.queries.len(), 1);
    let s = &advice.suggested;
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].columns, ["tracking_number"]);
}

#[test]
fn cli_engine_postgres_json_and_exit_codes() {
    let Some(target) = target("cli_engine_postgres") else {
        return;
    };
    let _ = target;
    let s = dbs::server(Engine::Postgres, "cli_engine_postgres").unwrap();
    let url = format!(
        "postgres://{}@{}:{}/postgres?scratch=1",
        s.user,
        s.host,
        s.port.unwrap_or(5432)
    );
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("work load ✓.sql");
    std::fs::write(
        &w,
        "-- weight: 10\nSELECT * FROM shipments WHERE tracking_number = $1;\n",
    )
    .unwrap();
    let project = concat!(env!("CARGO_MANIFEST_DIR"), "/projects/shop.ron");
    let out = support::run::crowfoot_in_repo(&[
        "indexes",
        project,
        "--workload",
        w.to_str().unwrap(),
        "--engine",
        "postgres",
        "--db",
        &url,
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        support::run::text(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &v["suggested"][0];
    assert_eq!(s["table"], "shipments");
    assert_eq!(s["columns"], serde_json::json!(["tracking_number"]));
    assert_eq!(s["method"], "btree");
    assert!(s["where"].is_null());
    assert!(s["include"].is_array());
    let q = &s["queries"][0];
    assert!(q["cost_after"].as_f64().unwrap() < q["cost_before"].as_f64().unwrap());
    assert!(q["plan_before"][0]["Plan"]["Node Type"].is_string());

    // --apply -o: the suggestion becomes an index of the saved project.
    let saved = dir.path().join("shop \"advised\" ✓.ron");
    let out = support::run::crowfoot_in_repo(&[
        "indexes",
        project,
        "--workload",
        w.to_str().unwrap(),
        "--engine",
        "postgres",
        "--db",
        &url,
        "--apply",
        "-o",
        saved.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        support::run::text(&out.stderr)
    );
    let advised = crowfoot::project_file::load(&saved).unwrap();
    let shipments = advised.table_by_name(None, "shipments").unwrap();
    let tracking = shipments.column_by_name("tracking_number").unwrap().id;
    assert!(
        shipments
            .indexes
            .iter()
            .any(|i| i.parts.len() == 1 && i.parts[0].target == IndexTarget::Column(tracking))
    );

    // A server that is not there, and one that never answers: one message, exit 2.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    for port in [port, dbs::silent_server()] {
        let start = std::time::Instant::now();
        let out = support::run::crowfoot_in_repo(&[
            "indexes",
            project,
            "--workload",
            w.to_str().unwrap(),
            "--engine",
            "postgres",
            "--db",
            &format!("postgres://nobody:secret@127.0.0.1:{port}/x?scratch=1"),
        ]);
        assert_eq!(out.status.code(), Some(2));
        let err = support::run::text(&out.stderr);
        assert!(err.contains("cannot connect"), "{err}");
        assert!(!err.contains("secret"), "the password is not shown: {err}");
        assert!(start.elapsed() < std::time::Duration::from_secs(30));
    }
}

/// What a run could have written: relations (with their sizes), indexes, extensions, and the
/// write counters of every table.
fn snapshot(c: &mut Client) -> Vec<String> {
    c.batch_execute("SELECT pg_stat_force_next_flush()")
        .unwrap();
    c.batch_execute("SELECT 1").unwrap();
    c.batch_execute("SELECT pg_stat_clear_snapshot()").unwrap();
    [
        "SELECT coalesce(string_agg(format('%s/%s/%s', c.relname, c.relkind, c.relpages), ',' \
         ORDER BY c.relname), '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')",
        "SELECT coalesce(string_agg(indexrelid::regclass::text, ',' ORDER BY 1), '') FROM pg_index \
         WHERE indexrelid::regclass::text NOT LIKE 'pg_%'",
        "SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension",
        "SELECT coalesce(string_agg(format('%s:%s/%s/%s/%s', relname, n_tup_ins, n_tup_upd, \
         n_tup_del, n_live_tup), ',' ORDER BY relname), '') FROM pg_stat_user_tables",
    ]
    .iter()
    .map(|q| c.query_one(*q, &[]).unwrap().get::<_, String>(0))
    .collect()
}

#[test]
fn live_mode_reads_only_and_leaves_the_database_unchanged() {
    let Some(target) = target("live_mode") else {
        return;
    };
    // A database of our own plays the user's staging copy: the shop without its secondary
    // indexes, with rows and statistics, and hypopg installed by its owner.
    let p = without_indexes(shop());
    let text = workload("shop-pg.sql");
    let w = parse(&text);
    let mut copy = Scratch::create(&target).expect("a database");
    pg::load(&mut copy.client, &p).unwrap();
    pg::fill::fill(
        &mut copy.client,
        &p,
        Default::default(),
        &pg::constants(&p, &w),
    )
    .unwrap();
    let live = PgTarget::parse(&url("live_mode", &copy.name, false).unwrap()).unwrap();
    assert!(!live.scratch);
    let before = snapshot(&mut copy.client);
    let advice = pg::advise_postgres(&p, &text, &live, &PgOptions::default()).expect("advice");
    assert!(advice.errors.is_empty(), "{:?}", advice.errors);
    assert!(
        advice.suggested.len() >= 5,
        "the live copy needs indexes too: {}",
        advice.suggested.len()
    );
    // The UPDATE, INSERT and DELETE of the workload were explained, never run.
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert_eq!(
        snapshot(&mut copy.client),
        before,
        "the live database is unchanged"
    );

    // Without hypopg in the database: one clear message, nothing created.
    copy.client.batch_execute("DROP EXTENSION hypopg").unwrap();
    let before = snapshot(&mut copy.client);
    let Err(e) = pg::advise_postgres(&p, &text, &live, &PgOptions::default()) else {
        panic!("no hypopg, no advice")
    };
    let msg = e.to_string();
    assert!(msg.contains("CREATE EXTENSION hypopg"), "{msg}");
    assert_eq!(snapshot(&mut copy.client), before);
}

#[test]
fn dexters_method_proposes_only_one_or_two_plain_columns_and_saves_less() {
    let Some(target) = target("dexters_method") else {
        return;
    };
    let saas = without_indexes(
        crowfoot::project_file::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/projects/saas.ron"
        )))
        .unwrap(),
    );
    let w = workload("saas-pg.sql");
    let total = |a: &PgAdvice| -> (f64, f64) {
        (
            a.queries.iter().map(|q| q.weight * q.cost_before).sum(),
            a.queries.iter().map(|q| q.weight * q.cost_after).sum(),
        )
    };
    let ours = pg::advise_postgres(&saas, &w, &target, &PgOptions::default()).unwrap();
    let dexter = pg::advise_postgres(&saas, &w, &target, &PgOptions::dexter()).unwrap();
    assert!(!dexter.suggested.is_empty());
    for s in &dexter.suggested {
        assert!(s.columns.len() <= 2, "{:?}", s.columns);
        assert!(s.include.is_empty() && s.predicate.is_none());
        assert!(
            s.columns
                .iter()
                .all(|c| !c.contains('(') && !c.ends_with(" DESC"))
        );
    }
    let (before, ours_after) = total(&ours);
    let (dexter_before, dexter_after) = total(&dexter);
    assert!(
        (before - dexter_before).abs() < 1e-6 * before,
        "same starting point"
    );
    assert!(
        ours_after < dexter_after,
        "the wider candidates save more: {ours_after} vs {dexter_after} (from {before})"
    );
}

/// Ctrl+C during a run: the process ends as the signal would have it, and its scratch
/// database is dropped first.
#[cfg(unix)]
#[test]
fn ctrl_c_drops_the_scratch_database() {
    let Some(target) = target("ctrl_c_drops_the_scratch_database") else {
        return;
    };
    let s = dbs::server(Engine::Postgres, "ctrl_c").unwrap();
    let url = format!(
        "postgres://{}@{}:{}/postgres?scratch=1",
        s.user,
        s.host,
        s.port.unwrap_or(5432)
    );
    // A project big enough to keep the run busy for seconds.
    let p = crowfoot::samples::generated::build(120, 10, 3);
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("big.ron");
    crowfoot::project_file::save(&p, &project).unwrap();
    let w = dir.path().join("w.sql");
    std::fs::write(&w, crowfoot::samples::generated::workload(&p, 60, 3)).unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_crowfoot"))
        .args(["indexes"])
        .arg(&project)
        .arg("--workload")
        .arg(&w)
        .args(["--engine", "postgres", "--db", &url])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let prefix = format!("crowfoot_advisor_{}_", child.id());
    let mut c = target.connect().unwrap();
    let exists = |c: &mut Client| {
        c.query_one(
            "SELECT count(*) FROM pg_database WHERE datname LIKE $1 || '%'",
            &[&prefix],
        )
        .unwrap()
        .get::<_, i64>(0)
            > 0
    };
    let start = std::time::Instant::now();
    while !exists(&mut c) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "the scratch database appears"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    // SAFETY: kill(2) on our own child, which has not been reaped.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    use std::os::unix::process::ExitStatusExt;
    // Ended by the signal; or, when the dropped database ended the run's session first, by
    // that error (exit 2): the signal thread and the run race to the end.
    assert!(
        out.status.signal() == Some(libc::SIGINT)
            || matches!(out.status.code(), Some(130) | Some(2)),
        "{:?} {}",
        out.status,
        support::run::text(&out.stderr)
    );
    assert!(
        !exists(&mut c),
        "the scratch database {prefix}… is gone after Ctrl+C"
    );
}

/// Skew where the estimates say so: 80 % of orders hold the most common status, which is the
/// workload's constant; PostgreSQL's own statistics see it, and an index on status is not
/// suggested for that value (the planner reads most of the table either way).
#[test]
fn skewed_estimates_give_skewed_rows() {
    let Some(target) = target("skewed_estimates") else {
        return;
    };
    use crowfoot::model::{ColumnStats, Command, TableStats};
    let mut p = without_indexes(shop());
    let orders = p.table_by_name(None, "orders").unwrap().clone();
    let status = orders.column_by_name("status").unwrap().id;
    Command::SetTableStats {
        table: orders.id,
        stats: Some(TableStats {
            rows: Some(20_000),
            columns: vec![ColumnStats {
                column: status,
                distinct: Some(6),
                null_fraction: None,
                most_common: Some(0.8),
            }],
            ..Default::default()
        }),
    }
    .apply(&mut p)
    .unwrap();
    let w = parse(
        "-- weight: 10\nSELECT id FROM orders WHERE status = 'delivered';\n\
         -- weight: 10\nSELECT * FROM orders WHERE status = 'pending' ORDER BY placed_at DESC LIMIT 20;",
    );
    let mut scratch = Scratch::create(&target).unwrap();
    let advice = advise_in(&mut scratch, &p, &w);
    let row = scratch
        .client
        .query_one(
            "SELECT most_common_vals::text::text[], most_common_freqs FROM pg_stats \
             WHERE tablename = 'orders' AND attname = 'status'",
            &[],
        )
        .unwrap();
    let vals: Vec<String> = row.get(0);
    let freqs: Vec<f32> = row.get(1);
    assert_eq!(vals[0], "delivered", "{vals:?}");
    // 80 % by the skew, plus the rows where the other keys happen to map to the same
    // label (six labels for the rest).
    assert!((0.78..0.9).contains(&freqs[0]), "{freqs:?}");
    let n: i64 = scratch
        .client
        .query_one("SELECT count(*) FROM orders", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 20_000);
    assert!(
        !advice
            .suggested
            .iter()
            .any(|s| s.table == "orders" && s.columns == ["status"] && s.predicate.is_none()),
        "no plain index for a value 80 % of the rows hold"
    );
    for s in &advice.suggested {
        eprintln!(
            "skewed: {} ({}) where {:?}",
            s.table,
            s.columns.join(", "),
            s.predicate
        );
    }
    // A constant predicate: a partial index is among the suggestions (here the planner
    // prefers a small index of the matching rows to reading 80 % of the table's pages).
    assert!(
        advice
            .suggested
            .iter()
            .any(|s| s.table == "orders" && s.predicate.is_some()),
        "a partial index"
    );
}
