//! Crowfoot's PostgreSQL advisor beside Dexter's documented method (ankane/dexter: B-tree
//! indexes on one or two columns, kept when they lower a query's cost by at least 50 %),
//! both on the same scratch databases, synthetic rows and planner: the shop and saas examples
//! without their secondary indexes, with `tests/fixtures/workloads/{shop,saas}-pg.sql`.
//! Prints a markdown table (docs/index-advisor.md has its output).
//!
//! `cargo run --release --example compare_dexter -- --db 'postgres://postgres@127.0.0.1:55432/postgres?scratch=1'`
//! (without `--db`, `CROWFOOT_PG` as `./test.sh` sets it).

use crowfoot::analysis::advisor::pg::{self, PgOptions, PgTarget};
use crowfoot::model::{Command, History, Project};
use std::path::Path;
#[path = "common/pg_env.rs"]
mod pg_env;

use std::time::Instant;

/// `p` without its secondary indexes.
fn without_indexes(mut p: Project) -> Project {
    let mut h = History::default();
    let ids: Vec<_> = p.tables().map(|t| t.id).collect();
    for t in ids {
        let idx: Vec<_> = p.table(t).unwrap().indexes.iter().map(|i| i.id).collect();
        for id in idx {
            h.apply(&mut p, Command::RemoveIndex { table: t, id })
                .unwrap();
        }
    }
    p
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let db = pg_env::db_url(&args);
    let Some(db) = db else {
        eprintln!("compare_dexter: give --db URL (scratch=1) or set CROWFOOT_PG");
        std::process::exit(2);
    };
    let target = PgTarget::parse(&db).unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!(
        "| project | method | suggestions | of them: 3+ columns / INCLUDE / partial / expression | weighted cost before → after | drop | time |"
    );
    println!("|---|---|---|---|---|---|---|");
    for name in ["shop", "saas"] {
        let p = crowfoot::project_file::load(&root.join(format!("projects/{name}.ron")))
            .unwrap_or_else(|e| panic!("{e}"));
        let p = without_indexes(p);
        let workload =
            std::fs::read_to_string(root.join(format!("tests/fixtures/workloads/{name}-pg.sql")))
                .unwrap();
        for (method, opts) in [
            ("Crowfoot", PgOptions::default()),
            ("Dexter's method", PgOptions::dexter()),
        ] {
            let t = Instant::now();
            let a = pg::advise_postgres(&p, &workload, &target, &opts)
                .unwrap_or_else(|e| panic!("{e}"));
            let secs = t.elapsed().as_secs_f64();
            let before: f64 = a.queries.iter().map(|q| q.weight * q.cost_before).sum();
            let after: f64 = a.queries.iter().map(|q| q.weight * q.cost_after).sum();
            let wide = a.suggested.iter().filter(|s| s.columns.len() >= 3).count();
            let include = a.suggested.iter().filter(|s| !s.include.is_empty()).count();
            let partial = a.suggested.iter().filter(|s| s.predicate.is_some()).count();
            let expr = a
                .suggested
                .iter()
                .filter(|s| s.columns.iter().any(|c| c.contains('(')))
                .count();
            println!(
                "| {name} ({} statements) | {method} | {} | {wide} / {include} / {partial} / {expr} | {before:.0} → {after:.0} (−{:.0} %) | {} | {secs:.1} s |",
                a.queries.len(),
                a.suggested.len(),
                100.0 * (1.0 - after / before.max(1e-9)),
                a.drop.len()
            );
        }
    }
}
