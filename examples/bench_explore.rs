//! Speed of find path and of the relationship explorer's neighbourhood on a generated project
//! (default 50,000 tables of 10 columns), the figures issue 16 asks for.
//!
//! `cargo run --release --example bench_explore [-- --tables 50000 --runs 9]`
//!
//! Each answer starts from the project (the foreign-key graph is built every time, as the
//! studio does after an edit): `path_ms` is the 5 shortest paths between the first table and
//! the last, `explore_ms` what the explorer shows around a table (2 hops, both directions, views, at most 200
//! tables with their "+N more" counts). Targets:
//! ≤ 100 ms each. The last line is machine-readable:
//! `bench_explore tables=N graph_ms=… path_ms=… explore_ms=… paths=… neighbours=…` (medians).
//! Exits non-zero when a median misses its target.

use crowfoot::analysis::explore::{Direction, FkGraph, Focus};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

#[path = "common/args.rs"]
mod args;

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (tables, runs) = (
        args::number(&args, "--tables", 50_000),
        args::number(&args, "--runs", 9),
    );
    let p = crowfoot::samples::generated::build(tables, 10, 7);
    let ids: Vec<_> = p.tables().map(|t| t.id).collect();
    let (first, last, middle) = (ids[0], ids[ids.len() - 1], ids[ids.len() / 2]);
    let (mut graph, mut path, mut explore) = (Vec::new(), Vec::new(), Vec::new());
    let (mut found, mut neighbours) = (0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        let g = FkGraph::new(&p);
        graph.push(t.elapsed());
        let t = Instant::now();
        found = FkGraph::new(&p)
            .paths(first, last, 5, &BTreeSet::new())
            .len();
        path.push(t.elapsed());
        let t = Instant::now();
        let focus = Focus {
            start: vec![middle],
            hops: 2,
            direction: Direction::Both,
            expanded: BTreeSet::new(),
            views: true,
            cap: 200,
        };
        neighbours = FkGraph::new(&p).explore(&focus).tables.len();
        explore.push(t.elapsed());
        drop(g);
    }
    let (g, pa, ex) = (median(graph), median(path), median(explore));
    println!(
        "bench_explore tables={tables} graph_ms={g:.1} path_ms={pa:.1} explore_ms={ex:.1} \
         paths={found} neighbours={neighbours}"
    );
    if pa > 100.0 || ex > 100.0 {
        eprintln!("target missed: find path and explorer must answer in 100 ms");
        std::process::exit(1);
    }
}
