//! Import benchmark: `cargo run --release --example bench_import [-- --quick]`.
//!
//! Times `crowfoot::sql::import::import_sql` on a generated 2,000-table PostgreSQL script
//! (exported from `samples::generated`) and on the largest corpus file, median of 15 runs.
//! Targets (issue 5): < 200 ms and < 100 ms.
//!
//! Scale (issue 13, item 10): generated 5,000- and 50,000-table scripts (10 columns a table,
//! about 1.1 foreign keys and 2 indexes a table, foreign keys as `ALTER TABLE ... ADD
//! CONSTRAINT` after the tables, as `pg_dump` writes them), median of 7 and 5 runs. Import
//! must grow linearly: the 50,000-table median at most 12× the 5,000-table one, and at most
//! 5 s. `--quick` runs each scale line 3 and 1 times instead.
//!
//! Exits non-zero when a median misses its target.

use crowfoot::model::Dialect;
use std::time::Instant;

fn median_ms(runs: usize, mut f: impl FnMut()) -> (f64, f64, f64) {
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    v.sort_by(|a, b| a.total_cmp(b));
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let generated = crowfoot::samples::generated::build(2000, 10, 1);
    let script = crowfoot::sql::export(&generated, Dialect::Postgres).sql;
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let largest = std::fs::read_dir(&corpus)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|d| d.path().is_dir())
        .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten().flatten())
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0));

    let mut failed = false;
    // Median, table count and foreign key count.
    let mut row = |what: String, runs: usize, text: &str, target: Option<f64>| -> f64 {
        let mut counts = (0, 0, 0);
        let (med, min, max) = median_ms(runs, || {
            let p = crowfoot::sql::import::import_sql(text, None).project;
            counts = (
                p.table_count(),
                p.foreign_key_count(),
                p.tables().map(|t| t.indexes.len()).sum::<usize>(),
            );
        });
        let verdict = match target {
            Some(t) if med < t => format!("target < {t} ms  PASS"),
            Some(t) => {
                failed = true;
                format!("target < {t} ms  FAIL")
            }
            None => String::new(),
        };
        println!(
            "{what:<44} {:>6.2} MB {:>6} tables {:>6} FKs {:>6} indexes  median {med:>8.1} ms  \
             (min {min:.1}, max {max:.1}, {runs} runs)  {verdict}",
            text.len() as f64 / 1e6,
            counts.0,
            counts.1,
            counts.2,
        );
        med
    };
    row(
        "generated 2,000-table PostgreSQL script".into(),
        15,
        &script,
        Some(200.0),
    );
    match largest {
        Some(p) => {
            let bytes = std::fs::read(&p).expect("corpus file reads");
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let name = p.strip_prefix(&corpus).unwrap_or(&p).display().to_string();
            row(
                format!("largest corpus file ({name})"),
                15,
                &text,
                Some(100.0),
            );
        }
        None => println!("corpus not found at {}; skipped", corpus.display()),
    }

    // Scale: linear growth in the number of tables.
    let script_of = |tables: usize| {
        let p = crowfoot::samples::generated::build(tables, 10, 13);
        crowfoot::sql::export(&p, Dialect::Postgres).sql
    };
    let small = script_of(5_000);
    let m5 = row(
        "generated 5,000-table PostgreSQL script".into(),
        if quick { 3 } else { 7 },
        &small,
        None,
    );
    drop(small);
    let large = script_of(50_000);
    let m50 = row(
        "generated 50,000-table PostgreSQL script".into(),
        if quick { 1 } else { 5 },
        &large,
        Some(5_000.0),
    );
    let ratio = m50 / m5;
    let ok = ratio <= 12.0;
    failed |= !ok;
    println!(
        "growth 5,000 → 50,000 tables: {ratio:.1}× (10× the tables; target ≤ 12×)  {}",
        if ok { "PASS" } else { "FAIL" }
    );
    if failed {
        std::process::exit(1);
    }
}
