//! Import benchmark: `cargo run --release --example bench_import`.
//! Times `crowfoot::sql::import::import_sql` on a generated 2,000-table PostgreSQL script
//! (exported from `samples::generated`) and on the largest corpus file, median of 15 runs.
//! Targets (issue 5): < 200 ms and < 100 ms. Exits non-zero when a median misses.

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
    let mut row = |what: String, bytes: usize, text: &str, target: f64| {
        let mut tables = 0;
        let (med, min, max) = median_ms(15, || {
            tables = crowfoot::sql::import::import_sql(text, None)
                .project
                .table_count();
        });
        let ok = med < target;
        failed |= !ok;
        println!(
            "{what:<48} {:>7.2} MB {tables:>5} tables  median {med:>7.1} ms  (min {min:.1}, max {max:.1})  target < {target} ms  {}",
            bytes as f64 / 1e6,
            if ok { "PASS" } else { "FAIL" }
        );
    };
    row(
        "generated 2,000-table PostgreSQL script".into(),
        script.len(),
        &script,
        200.0,
    );
    match largest {
        Some(p) => {
            let bytes = std::fs::read(&p).expect("corpus file reads");
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let name = p.strip_prefix(&corpus).unwrap_or(&p).display().to_string();
            row(
                format!("largest corpus file ({name})"),
                text.len(),
                &text,
                100.0,
            );
        }
        None => println!("corpus not found at {}; skipped", corpus.display()),
    }
    if failed {
        std::process::exit(1);
    }
}
