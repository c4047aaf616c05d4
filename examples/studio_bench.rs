//! The whole studio's frame on a big project (canvas, table list, inspector, Problems tab,
//! status bar), headless: what one edit costs until it is on screen, not only the canvas's
//! share (`canvas_bench`).
//!
//! `cargo run --release --example studio_bench -- [--tables N] [PROJECT.ron]`: a generated
//! project of N tables (default 50,000) or the given file. Prints the first frame, a steady
//! frame, and the frames after a column rename, its undo, a table selected and a table moved
//! (median of 5 each), with the thread CPU time.

use crowfoot::model::{Command, Position, Project};
use crowfoot::samples::generated;
use crowfoot::ui::Studio;
use egui::{Pos2, RawInput, Rect, vec2};
use std::time::{Duration, Instant};

fn frame(ctx: &egui::Context, studio: &mut Studio, time: &mut f64) -> Duration {
    *time += 1.0 / 60.0;
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1600.0, 1000.0))),
        time: Some(*time),
        ..Default::default()
    };
    let t = Instant::now();
    let out = ctx.run_ui(input, |ui| studio.ui(ui));
    let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
    std::hint::black_box(prims);
    t.elapsed()
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let mut tables = 50_000usize;
    let mut file = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--tables" => {
                tables = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--tables N")
            }
            "-h" | "--help" => {
                println!("usage: studio_bench [--tables N] [PROJECT.ron]");
                return;
            }
            other => file = Some(other.to_string()),
        }
    }
    let project: Project = match &file {
        Some(f) => crowfoot::project_file::load(std::path::Path::new(f)).expect("project loads"),
        None => generated::build(tables, 10, 1),
    };
    println!("project: {} tables", project.table_count());
    let t = Instant::now();
    let copy = project.clone();
    println!("clone         {:8.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let n = crowfoot::analysis::lint::problems(&copy, copy.settings().target_dialect).len();
    println!(
        "lint          {:8.1} ms ({n} problems)",
        t.elapsed().as_secs_f64() * 1e3
    );
    drop(copy);
    let ctx = egui::Context::default();
    let mut studio = Studio::new(project, None);
    let mut time = 0.0;
    println!(
        "first frame   {:8.1} ms",
        frame(&ctx, &mut studio, &mut time).as_secs_f64() * 1e3
    );
    for _ in 0..3 {
        frame(&ctx, &mut studio, &mut time);
    }
    let steady: Vec<Duration> = (0..5)
        .map(|_| frame(&ctx, &mut studio, &mut time))
        .collect();
    println!("steady frame  {:8.2} ms", median(steady));
    let t = studio
        .doc
        .project()
        .tables()
        .nth(17)
        .expect("a table")
        .clone();
    let mut renames = Vec::new();
    let mut undos = Vec::new();
    let mut moves = Vec::new();
    let only_select = std::env::var_os("STUDIO_BENCH_ONLY_SELECT").is_some();
    for i in 0..if only_select { 0 } else { 5 } {
        let mut c = t.columns[1].clone();
        c.name = format!("renamed_{i}");
        let s = Instant::now();
        studio.apply(Command::UpdateColumn {
            table: t.id,
            column: Box::new(c),
        });
        frame(&ctx, &mut studio, &mut time);
        renames.push(s.elapsed());
        let s = Instant::now();
        studio.doc.undo().expect("undo");
        frame(&ctx, &mut studio, &mut time);
        undos.push(s.elapsed());
        let s = Instant::now();
        studio.apply(Command::MoveTables(vec![(
            t.id,
            Position {
                x: t.position.x + 10.0 * (i + 1) as f32,
                y: t.position.y,
            },
        )]));
        frame(&ctx, &mut studio, &mut time);
        moves.push(s.elapsed());
    }
    if !only_select {
        println!("rename+frame  {:8.2} ms", median(renames));
        println!("undo+frame    {:8.2} ms", median(undos));
        println!("move+frame    {:8.2} ms", median(moves));
    }
    let mut selects = Vec::new();
    for k in 0..if only_select { 30 } else { 5 } {
        let id = studio
            .doc
            .project()
            .tables()
            .nth(100 + k)
            .expect("a table")
            .id;
        let s = Instant::now();
        studio.sel.tables = [id].into();
        frame(&ctx, &mut studio, &mut time);
        selects.push(s.elapsed());
    }
    println!("select+frame  {:8.2} ms", median(selects));
}
