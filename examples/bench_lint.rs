//! Speed of what the Problems panel recomputes after every edit: validation, design lint,
//! index lint and normalization verdicts (`analysis::lint::problems`), and of SARIF output, on
//! generated projects.
//!
//! `cargo run --release --example bench_lint [-- --runs 9]`
//!
//! Target: 5,000 tables under 250 ms (the panel recomputes once per edit, not per frame).

use crowfoot::analysis::{lint, sarif};
use crowfoot::model::Dialect;
use std::time::{Duration, Instant};

#[path = "common/args.rs"]
mod args;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs = args::number(&args, "--runs", 9);
    let mut failed = false;
    for (tables, target_ms) in [(2_000usize, 100u128), (5_000, 250)] {
        let p = crowfoot::samples::generated::build(tables, 10, 7);
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..runs {
            let t = Instant::now();
            found = lint::problems(&p, Dialect::Postgres).len();
            times.push(t.elapsed());
        }
        let m = median(times);
        let problems = lint::problems(&p, Dialect::Postgres);
        let text = crowfoot::project_file::to_ron_string(&p);
        let t = Instant::now();
        // With the project text: every result located on its line.
        let s = sarif::to_sarif(&problems, "p.ron", Some(&text));
        let sarif_ms = t.elapsed().as_secs_f64() * 1e3;
        let bytes = serde_json::to_string(&s).map(|x| x.len()).unwrap_or(0);
        let ok = m.as_millis() < target_ms;
        failed |= !ok;
        println!(
            "{tables} tables / {} columns: problems {:.1} ms median of {runs} ({found} findings; target < {target_ms} ms) {}; SARIF {:.1} ms, {} kB",
            tables * 10,
            m.as_secs_f64() * 1e3,
            if ok { "ok" } else { "MISSED" },
            sarif_ms,
            bytes / 1000
        );
    }
    if failed {
        std::process::exit(1);
    }
}
