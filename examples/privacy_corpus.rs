//! The sensitive-data classification over every schema of `../shared/corpus`: the table of
//! findings per dataset and category that docs/privacy.md holds, and with `--list high` (or
//! `medium`, `low`) every finding of that confidence with its reasons, for review by hand.
//!
//! `cargo run --release --example privacy_corpus [-- --list high]`

#[path = "../tests/support/privacy_corpus.rs"]
mod privacy_corpus;

use crowfoot::analysis::privacy::Confidence;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.join("manifest.json").is_file() {
        eprintln!("no ../shared/corpus");
        std::process::exit(2);
    }
    let args: Vec<String> = std::env::args().collect();
    let list = args
        .iter()
        .position(|a| a == "--list")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| Confidence::parse(s));
    let t0 = std::time::Instant::now();
    let rows = privacy_corpus::run(&dir);
    let ms = t0.elapsed().as_millis();
    if let Some(level) = list {
        for r in &rows {
            for (t, c, cat, conf, why) in &r.findings {
                if *conf == level {
                    println!("{}\t{t}.{c}\t{}\t{why}", r.dataset, cat.as_str());
                }
            }
        }
    } else {
        print!("{}", privacy_corpus::markdown(&rows));
    }
    eprintln!("{} datasets imported and classified in {ms} ms", rows.len());
}
