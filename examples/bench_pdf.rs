//! Time and size of the PDF diagram of a generated project: one page, and tiled on A3
//! landscape (overview + grid).
//!
//! `cargo run --release --example bench_pdf [-- --tables 5000]`

use crowfoot::export::{Paper, PdfOptions, SvgOptions, render_pdf};
use std::time::Instant;
#[path = "common/args.rs"]
mod args;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let tables = args::number(&args, "--tables", 5_000);
    let p = crowfoot::samples::generated::build(tables, 10, 7);
    for (what, opts) in [
        ("one page", PdfOptions::default()),
        (
            "A3 landscape, tiled",
            PdfOptions {
                paper: Some(Paper::A3),
                landscape: true,
            },
        ),
    ] {
        let t = Instant::now();
        let pdf = render_pdf(&p, &SvgOptions::default(), &opts)?;
        println!(
            "{tables} tables, {what}: {:.2} s, {:.1} MB, {} page(s) ({} × {}), {:.2} pt per unit",
            t.elapsed().as_secs_f64(),
            pdf.data.len() as f64 / 1e6,
            pdf.pages,
            pdf.rows,
            pdf.columns,
            pdf.scale
        );
    }
    Ok(())
}
