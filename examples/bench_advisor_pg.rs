//! PostgreSQL advisor speed (issue 17): a generated 100-table project with estimates on half
//! of its tables and a generated 50-statement workload, advised end to end in scratch mode
//! (database created, DDL loaded, synthetic rows, ANALYZE, plans, hypothetical candidates,
//! greedy choice, final plans, database dropped).
//!
//! `cargo run --release --example bench_advisor_pg -- --db 'postgres://postgres@127.0.0.1:55432/postgres?scratch=1' [--runs 3]`
//! (without `--db`, `CROWFOOT_PG` as `./test.sh` sets it: `host=… port=… user=…`).
//!
//! Target: < 30 s. Exits non-zero when the median misses it.

use crowfoot::analysis::advisor::pg::{PgOptions, PgTarget, advise_postgres};
use crowfoot::samples::generated;
#[path = "common/pg_env.rs"]
mod pg_env;

use std::time::{Duration, Instant};

const TARGET: Duration = Duration::from_secs(30);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let runs: usize = arg("--runs").and_then(|s| s.parse().ok()).unwrap_or(3);
    let Some(url) = pg_env::db_url(&args) else {
        eprintln!("bench_advisor_pg: give --db URL (scratch=1) or set CROWFOOT_PG");
        std::process::exit(2);
    };
    let target = PgTarget::parse(&url).unwrap_or_else(|e| panic!("{e}"));
    let mut p = generated::build(100, 10, 11);
    // Estimates on every other table: rows, and distinct counts for some columns.
    generated::add_estimates(&mut p, |i| 5_000 * (1 + (i as u64 * 37) % 20), |_| false);
    let workload = generated::workload(&p, 50, 11);
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let a = advise_postgres(&p, &workload, &target, &PgOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        times.push(t.elapsed());
        last = Some(a);
    }
    let a = last.expect("ran");
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{} tables, {} statements ({} not planned), {} suggestions, {} drop candidates",
        p.table_count(),
        a.queries.len(),
        a.errors.len(),
        a.suggested.len(),
        a.drop.len()
    );
    for e in a.errors.iter().take(5) {
        println!("  not planned: {e}");
    }
    let before: f64 = a.queries.iter().map(|q| q.weight * q.cost_before).sum();
    let after: f64 = a.queries.iter().map(|q| q.weight * q.cost_after).sum();
    println!(
        "weighted workload cost {before:.0} -> {after:.0} ({:.0} % lower)",
        100.0 * (1.0 - after / before.max(1e-9))
    );
    println!(
        "bench_advisor_pg median {:.1} s over {runs} runs (target < {} s) {}",
        median.as_secs_f64(),
        TARGET.as_secs(),
        if median < TARGET { "ok" } else { "MISSED" }
    );
    if median >= TARGET {
        std::process::exit(1);
    }
}
