//! Normalization engine speed: full analysis (minimal cover, candidate keys, normal form,
//! 3NF synthesis, BCNF decomposition, lossless and preservation checks) of random FD sets.
//!
//! `cargo run --release --example bench_normalize [-- --runs 31]`
//!
//! Targets (issue 6): 16 attributes / 30 FDs < 10 ms; 40 attributes / 60 FDs < 100 ms.
//! The generator is seeded (splitmix64), so every run analyzes the same sets.

use crowfoot::analysis::normalize::{AttrSet, Fd, Options, Schema, analyze};
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `fds` random FDs over `n` attributes: left sides of 1–3 attributes, right sides of 1–2.
fn random_fds(rng: &mut Rng, n: usize, fds: usize) -> Vec<Fd> {
    let mut pick = |k: usize| {
        let size = 1 + rng.below(k);
        AttrSet::from_indices(n, (0..size).map(|_| rng.below(n)).collect::<Vec<_>>())
    };
    (0..fds).map(|_| Fd::new(pick(3), pick(2))).collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::args()
        .skip_while(|a| a != "--runs")
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(31);
    let opts = Options::default();
    println!("normalization engine, median of {runs} seeded random FD sets each");
    println!(
        "{:<26} {:>10} {:>10} {:>8} {:>10} {:>8}",
        "case", "median", "max", "target", "ratio", "keys"
    );
    for (n, m, target_ms) in [(16usize, 30usize, 10.0f64), (40, 60, 100.0)] {
        let mut rng = Rng(0xC0FF_EE00 ^ (n as u64) << 8 ^ m as u64);
        let mut times = Vec::new();
        let mut keys = Vec::new();
        for _ in 0..runs {
            let fds = random_fds(&mut rng, n, m);
            let schema = Schema::new((0..n).map(|i| format!("a{i}"))).unwrap();
            let t = Instant::now();
            let a = analyze(schema, fds, vec![], &opts);
            let _ = std::hint::black_box(a.report());
            times.push(t.elapsed());
            keys.push(a.keys.keys.len());
        }
        let max = *times.iter().max().unwrap();
        let med = median(times);
        keys.sort();
        let ms = med.as_secs_f64() * 1e3;
        println!(
            "{:<26} {:>8.3}ms {:>8.3}ms {:>6.0}ms {:>9.3}x {:>8}",
            format!("{n} attrs / {m} FDs"),
            ms,
            max.as_secs_f64() * 1e3,
            target_ms,
            ms / target_ms,
            keys[keys.len() / 2]
        );
    }
    // The 64-key acceptance case.
    let n = 12;
    let mut fds = Vec::new();
    for i in 0..6 {
        fds.push(Fd::new(
            AttrSet::single(n, 2 * i),
            AttrSet::single(n, 2 * i + 1),
        ));
        fds.push(Fd::new(
            AttrSet::single(n, 2 * i + 1),
            AttrSet::single(n, 2 * i),
        ));
    }
    let mut times = Vec::new();
    for _ in 0..runs {
        let schema = Schema::new((0..n).map(|i| format!("a{i}"))).unwrap();
        let t = Instant::now();
        let a = analyze(schema, fds.clone(), vec![], &opts);
        times.push(t.elapsed());
        assert_eq!(a.keys.keys.len(), 64);
    }
    println!(
        "{:<26} {:>8.3}ms",
        "6 pairs (64 keys)",
        median(times).as_secs_f64() * 1e3
    );
}
