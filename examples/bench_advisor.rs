//! Index advisor speed (issue 7): a generated 200-table project with estimates on half of
//! its tables and a generated 100-statement workload, advised end to end (SQLite database
//! built, statistics written, plans, candidates, greedy choice, final plans).
//!
//! `cargo run --release --example bench_advisor [-- --runs 5]`
//!
//! Target: < 2 s. Exits non-zero when the median misses it.

use crowfoot::analysis::advisor;
use crowfoot::samples::generated;
use std::time::{Duration, Instant};

fn main() {
    let runs: usize = std::env::args()
        .skip_while(|a| a != "--runs")
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let mut p = generated::build(200, 10, 7);
    // Estimates on every other table: rows, and distinct counts for some columns.
    generated::add_estimates(
        &mut p,
        |i| 10_000 * (1 + (i as u64 * 37) % 100),
        |i| i % 10 == 0,
    );
    let workload = generated::workload(&p, 100, 7);
    let statements = advisor::parse_workload(&workload).statements.len();
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let a = advisor::advise(&p, &workload).expect("advise");
        times.push(t.elapsed());
        last = Some(a);
    }
    let a = last.expect("at least one run");
    times.sort();
    let med: Duration = times[times.len() / 2];
    let max = *times.last().unwrap();
    let target = 2.0;
    let secs = med.as_secs_f64();
    println!(
        "index advisor: {} tables, {statements} statements ({} planned, {} errors), {} suggestions",
        p.table_count(),
        a.queries.len(),
        a.errors.len(),
        a.suggested.len()
    );
    println!(
        "median of {runs}: {:.0} ms (max {:.0} ms), target < {:.0} ms: {:.2}x",
        secs * 1e3,
        max.as_secs_f64() * 1e3,
        target * 1e3,
        secs / target
    );
    if secs >= target {
        eprintln!("MISSED the {target} s target");
        std::process::exit(1);
    }
}
