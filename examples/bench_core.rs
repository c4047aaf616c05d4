//! Core performance check on a large generated project (2,000 tables, 20,000 columns):
//! RON save to a string, save to a file, load from a string, and DDL export per dialect.
//!
//! Run with `cargo run --release --example bench_core` (optionally `-- RUNS`, default 15).
//! Prints median/min/max per operation against its target and exits non-zero when a median
//! misses its target. Timing uses `std::time::Instant` only.

use crowfoot::model::{Dialect, Project};
use crowfoot::project_file::{self, from_ron_str, to_ron_string};
use crowfoot::samples::generated;
use crowfoot::sql;
use std::hint::black_box;
use std::time::{Duration, Instant};

const SAVE_LOAD_TARGET_MS: f64 = 250.0;
const EXPORT_TARGET_MS: f64 = 50.0;

struct Row {
    name: String,
    samples: Vec<Duration>,
    target_ms: f64,
}

impl Row {
    fn ms(d: Duration) -> f64 {
        d.as_secs_f64() * 1000.0
    }
    fn median_ms(&self) -> f64 {
        let mut v = self.samples.clone();
        v.sort();
        let n = v.len();
        if n % 2 == 1 {
            Self::ms(v[n / 2])
        } else {
            (Self::ms(v[n / 2 - 1]) + Self::ms(v[n / 2])) / 2.0
        }
    }
    fn min_ms(&self) -> f64 {
        Self::ms(*self.samples.iter().min().unwrap())
    }
    fn max_ms(&self) -> f64 {
        Self::ms(*self.samples.iter().max().unwrap())
    }
    fn pass(&self) -> bool {
        self.median_ms() < self.target_ms
    }
}

/// Run `f` once to warm up, then `runs` timed times.
fn measure<T>(name: &str, target_ms: f64, runs: usize, mut f: impl FnMut() -> T) -> Row {
    black_box(f());
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    Row {
        name: name.to_string(),
        samples,
        target_ms,
    }
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(15)
        .max(15);
    if cfg!(debug_assertions) {
        eprintln!("warning: debug build; run with --release for meaningful figures");
    }

    let start = Instant::now();
    let p: Project = generated::build(2000, 10, 1);
    let build_time = start.elapsed();
    println!(
        "project: {} tables, {} columns, {} foreign keys (built in {:.1} ms); {runs} runs each",
        p.table_count(),
        p.column_count(),
        p.foreign_key_count(),
        build_time.as_secs_f64() * 1000.0
    );

    let text = to_ron_string(&p);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.ron");

    let mut rows = vec![
        measure("RON save to string", SAVE_LOAD_TARGET_MS, runs, || {
            to_ron_string(&p)
        }),
        measure("RON save to file", SAVE_LOAD_TARGET_MS, runs, || {
            project_file::save(&p, &path).expect("save")
        }),
        measure("RON load from string", SAVE_LOAD_TARGET_MS, runs, || {
            from_ron_str(&text, "bench.ron").expect("load")
        }),
    ];
    let loaded = from_ron_str(&text, "bench.ron").expect("load");
    assert!(loaded == p, "loaded project differs from the saved one");

    for d in Dialect::ALL {
        let out = sql::export(&p, d);
        let size = out.sql.len();
        let warnings = out.warnings.len();
        rows.push(measure(
            &format!(
                "export {} ({:.1} MB, {warnings} warnings)",
                d.cli_name(),
                mb(size)
            ),
            EXPORT_TARGET_MS,
            runs,
            || sql::export(&p, d),
        ));
    }

    let file_size = std::fs::metadata(&path)
        .map(|m| m.len() as usize)
        .unwrap_or(0);
    println!(
        "RON size: {:.2} MB as a string, {:.2} MB on disk",
        mb(text.len()),
        mb(file_size)
    );
    println!();
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(9).max(9);
    println!(
        "{:<width$}  {:>9}  {:>9}  {:>9}  {:>9}  result",
        "operation", "median ms", "min ms", "max ms", "target ms"
    );
    println!("{}", "-".repeat(width + 2 + 4 * 11 + 6));
    for r in &rows {
        println!(
            "{:<width$}  {:>9.2}  {:>9.2}  {:>9.2}  {:>9}  {}",
            r.name,
            r.median_ms(),
            r.min_ms(),
            r.max_ms(),
            format!("< {}", r.target_ms),
            if r.pass() { "PASS" } else { "FAIL" }
        );
    }
    let failed = rows.iter().filter(|r| !r.pass()).count();
    println!();
    if failed == 0 {
        println!("all {} operations within target", rows.len());
    } else {
        println!("{failed} of {} operations missed their target", rows.len());
        std::process::exit(1);
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
