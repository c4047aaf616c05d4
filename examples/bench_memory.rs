//! Memory of a loaded project: `cargo run --release --example bench_memory`.
//!
//! For 1,000 / 5,000 / 20,000 generated tables (10 columns each, with keys, indexes and
//! foreign keys), writes the project file, then loads it in a fresh child process and reports
//! the child's peak resident memory (VmHWM) and the load time, and the memory per table. The
//! figures should grow linearly (issue 13: a 200 MB project took 2.4 GB).

use std::process::Command;

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--load") {
        let before = peak_kb();
        let t = std::time::Instant::now();
        let p = crowfoot::project_file::load(std::path::Path::new(&args[2])).expect("loads");
        let ms = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "{} {} {ms:.0}",
            p.table_count(),
            peak_kb().saturating_sub(before)
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    println!("tables | file MB | load ms | peak MB | KB per table");
    println!("---|---|---|---|---");
    let mut per_table = Vec::new();
    for n in [1_000usize, 5_000, 20_000] {
        let path = dir.path().join(format!("p{n}.ron"));
        {
            let p = crowfoot::samples::generated::build(n, 10, 7);
            crowfoot::project_file::save(&p, &path).expect("saves");
        }
        let mb = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        let out = Command::new(std::env::current_exe().expect("exe"))
            .args(["--load", path.to_str().expect("utf-8 temp path")])
            .output()
            .expect("child runs");
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<f64> = line
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        let (kb, ms) = (
            f.get(1).copied().unwrap_or(0.0),
            f.get(2).copied().unwrap_or(0.0),
        );
        per_table.push(kb / n as f64);
        println!(
            "{n} | {mb:.1} | {ms:.0} | {:.0} | {:.1}",
            kb / 1024.0,
            kb / n as f64
        );
    }
    let (lo, hi) = (per_table[0], per_table[per_table.len() - 1]);
    println!(
        "per-table memory ratio 20k/1k: {:.2} (linear ≈ 1)",
        hi / lo.max(1e-9)
    );
}
