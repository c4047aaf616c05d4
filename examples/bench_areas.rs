//! Subject areas (issue 16, item 4) at scale: `cargo run --release --example bench_areas`.
//!
//! Prints, for the sample projects, the Sakila corpus schema and generated projects of 5,000
//! and 50,000 tables (10 columns, about 1.1 foreign keys a table): the number of areas, the
//! modularity, and the median time of `suggest_areas`, of the grouped layout
//! (`diagram::layout::grouped`) and, for generated scripts, of the whole import (which now
//! includes both). Measurements only; no targets.

use crowfoot::analysis::explore::areas::{AreaOptions, suggest_areas};
use crowfoot::diagram::layout::{GroupedOptions, grouped};
use crowfoot::model::{Dialect, Project, TableId};
use std::time::Instant;

fn median_ms<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut last = None;
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            last = Some(f());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    v.sort_by(|a, b| a.total_cmp(b));
    (v[v.len() / 2], last.expect("at least one run"))
}

fn report(what: &str, p: &Project, runs: usize) {
    let (suggest, s) = median_ms(runs, || suggest_areas(p, &AreaOptions::default()));
    let groups: Vec<Vec<TableId>> = s.areas.iter().map(|a| a.tables.clone()).collect();
    let (layout, _) = median_ms(runs, || grouped(p, &groups, &GroupedOptions::default()));
    let largest = s.areas.iter().map(|a| a.tables.len()).max().unwrap_or(0);
    println!(
        "{what:<34} {:>6} tables {:>6} FKs  {:>4} areas (largest {largest:>5})  Q {:.3}  \
         suggest {suggest:>8.1} ms  layout {layout:>8.1} ms",
        p.table_count(),
        p.foreign_key_count(),
        s.areas.len(),
        s.modularity,
    );
}

fn main() {
    report("shop", &crowfoot::samples::shop::build(), 5);
    report("saas", &crowfoot::samples::saas::build(), 5);
    report("social", &crowfoot::samples::social::build(), 5);
    let sakila = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/advisor/sakila-schema.postgres.sql"
    ))
    .expect("fixture");
    let p = crowfoot::sql::import::import_sql(&sakila, Some(Dialect::Postgres)).project;
    report("sakila (imported)", &p, 5);
    for (tables, runs) in [(5_000, 5), (50_000, 3)] {
        let p = crowfoot::samples::generated::build(tables, 10, 13);
        report(&format!("generated {tables}"), &p, runs);
        let sql = crowfoot::sql::export(&p, Dialect::Postgres).sql;
        let (ms, q) = median_ms(runs, || {
            crowfoot::sql::import::import_sql(&sql, Some(Dialect::Postgres)).project
        });
        println!(
            "  import of its PostgreSQL script: median {ms:.1} ms ({} tables, {} areas)",
            q.table_count(),
            q.areas().count()
        );
    }
}
