//! The review page at scale: a generated project of N tables (default 2,000, 10 columns each)
//! rendered to HTML (time, size), then opened in headless Chromium when it is installed: the
//! time to load and lay out the page, and each pan/zoom frame's script, style and layout
//! (median and 95th percentile of 120 frames through the page's own drag and wheel code).
//!
//! `cargo run --release --example review_bench [-- --tables 2000] [--save PAGE.html]`

#[path = "../tests/support/chromium.rs"]
#[allow(dead_code)]
mod chromium;

use crowfoot::export::review::{ReviewOptions, review_page};
use std::time::Instant;
#[path = "common/args.rs"]
mod args;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let tables = args::number(&args, "--tables", 2000);
    let p = crowfoot::samples::generated::build(tables, 10, 19);
    let mut times = Vec::new();
    let mut html = String::new();
    for _ in 0..3 {
        let t0 = Instant::now();
        html = review_page(&p, &ReviewOptions::default()).html;
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let dir = tempfile::tempdir().unwrap();
    let file = args
        .iter()
        .position(|a| a == "--save")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("review.html"));
    std::fs::write(&file, &html).unwrap();
    print!(
        "tables={tables} render_ms={:.0} size_mb={:.2}",
        times[1],
        html.len() as f64 / 1e6
    );
    let Some(browser) = chromium::chromium() else {
        println!();
        return;
    };
    let mut medians = Vec::new();
    let mut p95s = Vec::new();
    let mut loads = Vec::new();
    for _ in 0..3 {
        let dom = chromium::dump_dom(&browser, &file, "bench", None);
        let get = |k: &str| {
            chromium::root_attr(&dom, k)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        medians.push(get("data-bench-median"));
        p95s.push(get("data-bench-p95"));
        loads.push(get("data-load-ms"));
    }
    let mid = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[1]
    };
    println!(
        " load_ms={:.0} frame_median_ms={:.2} frame_p95_ms={:.2}",
        mid(loads),
        mid(medians),
        mid(p95s)
    );
}
