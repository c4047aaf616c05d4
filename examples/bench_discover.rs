//! FD discovery speed: read a generated 100,000-row × 12-column CSV and discover every
//! minimal FD holding on it (TANE), end to end.
//!
//! `cargo run --release --example bench_discover [-- --runs 5 --rows 100000]`
//!
//! Target (issue 6): < 5 s. The generator is seeded (splitmix64), so every run reads the same
//! file: an order-line table with a key (`order_id`), planted dependencies (`customer_id →
//! customer_email, country`, `product_id → product_name, category, unit_price`, `category,
//! quantity → discount`), low-cardinality columns (`status`, `quantity`) and
//! high-cardinality ones. Exits non-zero when the median misses the target or a planted
//! dependency is not found.
//!
//! A second, informational line times the worst case for TANE: 12 independent uniform
//! columns of 2–13 values, no key and no dependency, so all 4,095 column sets are visited.

use crowfoot::analysis::normalize::discover::{DiscoverOptions, discover};
use crowfoot::analysis::normalize::parse::parse_fd;
use crowfoot::analysis::normalize::sample::{ReadOptions, read_csv};
use std::io::Write;
use std::process::ExitCode;
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
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A value of `x` scrambled by `salt`: a deterministic function of `x` (for planted FDs).
fn hash(x: u64, salt: u64) -> u64 {
    Rng(x.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ salt).next()
}

const COUNTRIES: &[&str] = &[
    "DE", "FR", "US", "GB", "NL", "BE", "AT", "CH", "IT", "ES", "PT", "PL", "CZ", "SE", "NO", "DK",
    "FI", "IE", "CA", "MX", "BR", "AR", "JP", "KR", "CN", "IN", "AU", "NZ", "ZA", "EG",
];
const CATEGORIES: &[&str] = &[
    "books", "music", "garden", "toys", "tools", "kitchen", "sports", "beauty", "office", "pets",
    "baby", "auto", "games", "shoes", "bags", "lamps", "paint", "food", "tea", "wine",
];
const STATUS: &[&str] = &["new", "paid", "shipped", "delivered", "returned"];

fn write_csv(path: &std::path::Path, rows: usize) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        w,
        "order_id,customer_id,customer_email,country,product_id,product_name,category,\
         quantity,unit_price,order_date,status,discount"
    )?;
    let mut rng = Rng(0xD15C_0BE5);
    for i in 0..rows {
        let customer = rng.below(5_000);
        let product = rng.below(20_000);
        let category = hash(product, 3) % CATEGORIES.len() as u64;
        let quantity = 1 + rng.below(10);
        let discount = hash(category * 16 + quantity, 7) % 6 * 5;
        writeln!(
            w,
            "{},{customer},c{:x}@example.org,{},{product},\"Product {:x}\",{},{quantity},{}.{:02},\
             2024-{:02}-{:02},{},{discount}",
            100_000 + i,
            hash(customer, 1) % 0xFFFF_FFFF,
            COUNTRIES[(hash(customer, 2) % COUNTRIES.len() as u64) as usize],
            hash(product, 4),
            CATEGORIES[category as usize],
            1 + hash(product, 5) % 500,
            hash(product, 6) % 100,
            1 + rng.below(12),
            1 + rng.below(28),
            STATUS[rng.below(STATUS.len() as u64) as usize],
        )?;
    }
    w.flush()
}

/// Independent uniform columns: column `i` has `i + 2` values.
fn write_random_csv(path: &std::path::Path, rows: usize) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    let names: Vec<String> = (0..12).map(|i| format!("c{i}")).collect();
    writeln!(w, "{}", names.join(","))?;
    let mut rng = Rng(0x5EED);
    for _ in 0..rows {
        let row: Vec<String> = (0..12u64).map(|i| rng.below(i + 2).to_string()).collect();
        writeln!(w, "{}", row.join(","))?;
    }
    w.flush()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn arg(name: &str) -> Option<usize> {
    std::env::args()
        .skip_while(|a| a != name)
        .nth(1)
        .and_then(|s| s.parse().ok())
}

fn main() -> ExitCode {
    let runs = arg("--runs").unwrap_or(5).max(1);
    let rows = arg("--rows").unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("orders.csv");
    write_csv(&path, rows).expect("write CSV");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "FD discovery (TANE), {rows} rows x 12 columns, {:.1} MB CSV, median of {runs} runs",
        size as f64 / 1e6
    );
    let mut read_t = Vec::new();
    let mut disc_t = Vec::new();
    let mut total_t = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let sample = read_csv(&path, &ReadOptions::default(), &mut |_| true).expect("read");
        let r = t.elapsed();
        let t2 = Instant::now();
        let d = discover(&sample, &DiscoverOptions::default(), &mut |_| true).expect("run");
        let dt = t2.elapsed();
        read_t.push(r);
        disc_t.push(dt);
        total_t.push(t.elapsed());
        last = Some(d);
    }
    let d = last.expect("at least one run");
    let ms = |x: Duration| x.as_secs_f64() * 1e3;
    let total = median(total_t);
    let target_ms = 5000.0;
    println!(
        "{:<22} {:>10} {:>10} {:>10} {:>8} {:>8} {:>6} {:>6}",
        "case", "read", "discover", "total", "target", "ratio", "FDs", "sets"
    );
    println!(
        "{:<22} {:>8.0}ms {:>8.0}ms {:>8.0}ms {:>6.0}ms {:>7.3}x {:>6} {:>6}",
        format!("{rows} x 12 CSV"),
        ms(median(read_t)),
        ms(median(disc_t)),
        ms(total),
        target_ms,
        ms(total) / target_ms,
        d.fds.len(),
        d.sets_visited
    );
    let keys: Vec<String> = d.keys.iter().map(|k| d.schema.fmt_group(k)).collect();
    println!("minimal keys: {}", keys.join("; "));
    let mut ok = true;
    for planted in [
        "order_id -> status",
        "customer_id -> customer_email",
        "customer_email -> country",
        "product_id -> product_name",
        "product_name -> unit_price",
        "product_id -> category",
        "category, quantity -> discount",
    ] {
        let fd = parse_fd(&d.schema, planted).expect("planted FD parses");
        if !d.fds.contains(&fd) {
            println!("MISSING planted dependency {planted}");
            ok = false;
        }
    }
    let path = dir.path().join("random.csv");
    write_random_csv(&path, rows).expect("write CSV");
    let mut times = Vec::new();
    let (mut sets, mut fds) = (0, 0);
    for _ in 0..runs.min(3) {
        let t = Instant::now();
        let sample = read_csv(&path, &ReadOptions::default(), &mut |_| true).expect("read");
        let d = discover(&sample, &DiscoverOptions::default(), &mut |_| true).expect("run");
        times.push(t.elapsed());
        sets = d.sets_visited;
        fds = d.fds.len();
    }
    println!(
        "{:<22} {:>10} {:>10} {:>8.0}ms {:>8} {:>8} {:>6} {:>6}  (worst case, informational)",
        format!("{rows} x 12 random"),
        "",
        "",
        ms(median(times)),
        "",
        "",
        fds,
        sets
    );
    if ms(total) > target_ms {
        println!("MISS: {:.0} ms > {target_ms:.0} ms", ms(total));
        ok = false;
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
