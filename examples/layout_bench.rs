//! Auto-layout timing on generated projects (500, 2,000 and 5,000 tables of 10 columns):
//! median/min/max of `layout::layered` and `layout::force` against their targets for 5,000
//! tables (2 s and 3 s), plus the size of the result.
//!
//! Run with `cargo run --release --example layout_bench` (optionally `-- RUNS`, default 5).
//! Exits non-zero when a 5,000-table median misses its target.
//!
//! `-- --svg DIR` also writes SVG pictures of both layouts of the sample projects and of a
//! 150-table generated project into DIR, for eyeballing.

use crowfoot::diagram::geometry::{card_size, row_center_y};
use crowfoot::diagram::layout::{self, ForceOptions, LayeredOptions};
use crowfoot::model::{Command, Project};
use crowfoot::samples::{generated, hostile, saas, shop, social};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const LAYERED_TARGET_MS: f64 = 2000.0;
const FORCE_TARGET_MS: f64 = 3000.0;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort();
    let n = v.len();
    let med = if n % 2 == 1 {
        ms(v[n / 2])
    } else {
        (ms(v[n / 2 - 1]) + ms(v[n / 2])) / 2.0
    };
    (med, ms(v[0]), ms(v[n - 1]))
}

/// Bounding box (width, height) of all cards after applying `cmd` to a copy of `p`.
fn extent(p: &Project, cmd: &Command) -> (f32, f32) {
    let mut q = p.clone();
    cmd.clone().apply(&mut q).expect("layout command applies");
    let mut lo = [f32::INFINITY; 2];
    let mut hi = [f32::NEG_INFINITY; 2];
    for t in q.tables() {
        let [w, h] = card_size(t, &q);
        lo = [lo[0].min(t.position.x), lo[1].min(t.position.y)];
        hi = [hi[0].max(t.position.x + w), hi[1].max(t.position.y + h)];
    }
    (hi[0] - lo[0], hi[1] - lo[1])
}

fn svg(p: &Project) -> String {
    let mut lo = [f32::INFINITY; 2];
    let mut hi = [f32::NEG_INFINITY; 2];
    for t in p.tables() {
        let [w, h] = card_size(t, p);
        lo = [lo[0].min(t.position.x), lo[1].min(t.position.y)];
        hi = [hi[0].max(t.position.x + w), hi[1].max(t.position.y + h)];
    }
    let pad = 40.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" width="{}" height="{}">"#,
        lo[0] - pad,
        lo[1] - pad,
        hi[0] - lo[0] + 2.0 * pad,
        hi[1] - lo[1] + 2.0 * pad,
        ((hi[0] - lo[0] + 2.0 * pad) / 2.0).min(4000.0),
        ((hi[1] - lo[1] + 2.0 * pad) / 2.0).min(4000.0),
    );
    let _ = writeln!(
        s,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="white"/>"#,
        lo[0] - pad,
        lo[1] - pad,
        hi[0] - lo[0] + 2.0 * pad,
        hi[1] - lo[1] + 2.0 * pad
    );
    for fk in p.foreign_keys() {
        let (Some(a), Some(b)) = (p.table(fk.from_table), p.table(fk.to_table)) else {
            continue;
        };
        let [aw, _] = card_size(a, p);
        let [bw, _] = card_size(b, p);
        let ra = fk
            .from_columns
            .first()
            .and_then(|c| a.column_index(*c))
            .unwrap_or(0);
        let rb = fk
            .to_columns
            .first()
            .and_then(|c| b.column_index(*c))
            .unwrap_or(0);
        let ya = a.position.y + row_center_y(ra);
        let yb = b.position.y + row_center_y(rb);
        let (xa, da, xb, db) = if b.position.x > a.position.x + aw + 40.0 {
            (a.position.x + aw, 1.0, b.position.x, -1.0)
        } else if a.position.x > b.position.x + bw + 40.0 {
            (a.position.x, -1.0, b.position.x + bw, 1.0)
        } else {
            (a.position.x + aw, 1.0, b.position.x + bw, 1.0)
        };
        let reach = ((xb - xa).abs() * 0.5).clamp(30.0, 160.0);
        let _ = writeln!(
            s,
            r##"<path d="M{xa} {ya} C{} {ya} {} {yb} {xb} {yb}" fill="none" stroke="#4060c0" stroke-width="2"/>"##,
            xa + da * reach,
            xb + db * reach
        );
    }
    for t in p.tables() {
        let [w, h] = card_size(t, p);
        let _ = writeln!(
            s,
            r##"<rect x="{}" y="{}" width="{w}" height="{h}" fill="#f4f4f8" fill-opacity="0.85" stroke="#333"/><text x="{}" y="{}" font-size="16" font-family="sans-serif">{}</text>"##,
            t.position.x,
            t.position.y,
            t.position.x + 6.0,
            t.position.y + 19.0,
            t.name.replace('&', "&amp;").replace('<', "&lt;")
        );
    }
    s.push_str("</svg>\n");
    s
}

fn write_svgs(dir: &str) {
    std::fs::create_dir_all(dir).expect("create svg dir");
    let projects: Vec<(&str, Project)> = vec![
        ("social", social::build()),
        ("shop", shop::build()),
        ("saas", saas::build()),
        ("hostile", hostile::build()),
        ("gen150", generated::build(150, 8, 7)),
    ];
    for (name, p) in projects {
        for (kind, cmd) in [
            ("layered", layout::layered(&p, &LayeredOptions::default())),
            (
                "layered-ttb",
                layout::layered(
                    &p,
                    &LayeredOptions {
                        direction: layout::Direction::TopToBottom,
                        ..Default::default()
                    },
                ),
            ),
            ("force", layout::force(&p, &ForceOptions::default())),
        ] {
            let mut q = p.clone();
            cmd.apply(&mut q).expect("layout applies");
            let path = format!("{dir}/{name}-{kind}.svg");
            std::fs::write(&path, svg(&q)).expect("write svg");
            println!("wrote {path}");
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--svg") {
        write_svgs(args.get(i + 1).map_or("layout-svg", |s| s.as_str()));
        return;
    }
    let runs: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(5)
        .max(1);
    println!("auto-layout, {runs} runs each (median / min / max)");
    let mut ok = true;
    for tables in [500, 2000, 5000] {
        let p = generated::build(tables, 10, 1);
        let lo = LayeredOptions::default();
        let fo = ForceOptions::default();
        let mut lt = Vec::new();
        let mut ft = Vec::new();
        let mut last = (Command::Batch(vec![]), Command::Batch(vec![]));
        for _ in 0..runs {
            let t = Instant::now();
            let c = layout::layered(&p, &lo);
            lt.push(t.elapsed());
            let t = Instant::now();
            let f = layout::force(&p, &fo);
            ft.push(t.elapsed());
            last = (c, f);
        }
        for (name, times, cmd, target) in [
            ("layered", lt, &last.0, LAYERED_TARGET_MS),
            ("force", ft, &last.1, FORCE_TARGET_MS),
        ] {
            let (med, min, max) = median(times);
            let (w, h) = extent(&p, cmd);
            let verdict = if tables == 5000 {
                if med <= target {
                    format!("ok (target {target:.0} ms)")
                } else {
                    ok = false;
                    format!("SLOW (target {target:.0} ms)")
                }
            } else {
                String::new()
            };
            println!(
                "{tables:>5} tables  {name:<8} {med:>8.1} ms  (min {min:.1}, max {max:.1})  \
                 extent {w:.0} x {h:.0} (aspect {:.2})  {verdict}",
                w / h
            );
        }
    }
    if !ok {
        std::process::exit(1);
    }
}
