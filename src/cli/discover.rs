//! `crowfoot discover`: the functional dependencies that hold on sample data
//! (`analysis::normalize::discover`), with 1NF hints.

use super::common::fail;
use crate::{errln, out, outln};
use std::path::PathBuf;
use std::process::ExitCode;

/// Discover the functional dependencies that hold on sample data (a CSV file with a
/// header row, or a table of an SQLite database), with minimal keys and first-normal-form
/// hints. Exit 2 on bad input.
#[derive(clap::Args)]
pub struct DiscoverArgs {
    /// A CSV file with a header row.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["sqlite", "table"],
        required_unless_present = "sqlite"
    )]
    csv: Option<PathBuf>,
    /// An SQLite database file (with --table).
    #[arg(long, value_name = "DB", requires = "table")]
    sqlite: Option<PathBuf>,
    /// The table (or view) to read from --sqlite.
    #[arg(long, value_name = "T")]
    table: Option<String>,
    /// Only dependencies with at most N attributes on the left side; `all` for no limit.
    /// Default: no limit up to 12 columns, 4 above.
    #[arg(long, value_name = "N|all", value_parser = parse_max_lhs)]
    max_lhs: Option<MaxLhs>,
    /// Stop the search when the partitions it holds would exceed this many MiB (the results
    /// so far are then reported as partial).
    #[arg(long, value_name = "MB", default_value_t = crowfoot::analysis::normalize::discover::DEFAULT_MEMORY_MB)]
    memory_mb: usize,
    /// Read at most this many rows.
    #[arg(long, value_name = "ROWS")]
    limit: Option<usize>,
    /// CSV: an empty field is NULL (default: the empty string).
    #[arg(long)]
    empty_as_null: bool,
    /// CSV field delimiter (one ASCII character; `tab` for a tab).
    #[arg(long, value_name = "C", default_value = ",")]
    delimiter: String,
    /// Also analyze the relation under the discovered dependencies (normal form,
    /// decompositions), as `crowfoot fd` does.
    #[arg(long)]
    analyze: bool,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

/// `--max-lhs`: a number, or `all` for no limit.
#[derive(Clone, Copy, Debug)]
enum MaxLhs {
    All,
    Max(usize),
}

fn parse_max_lhs(s: &str) -> Result<MaxLhs, String> {
    match s {
        "all" | "none" => Ok(MaxLhs::All),
        n => n
            .parse()
            .map(MaxLhs::Max)
            .map_err(|_| format!("expected a number or `all`, not `{n}`")),
    }
}

/// Peak resident memory of this process in MiB (Linux `VmHWM`), if known.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Read the sample, run `analysis::normalize::discover`, add 1NF hints.
pub fn run(a: DiscoverArgs) -> Result<ExitCode, ExitCode> {
    use crowfoot::analysis::normalize::discover::{DiscoverOptions, default_max_lhs, discover};
    use crowfoot::analysis::normalize::sample::{self, ReadOptions, SampleError};
    use crowfoot::analysis::normalize::{hints, report};
    use std::time::Instant;
    let delimiter = match a.delimiter.as_str() {
        "tab" | "\\t" => b'\t',
        d if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
        d => {
            return Err(fail(format!(
                "--delimiter {d:?}: expected one ASCII character or `tab`"
            )));
        }
    };
    let opts = ReadOptions {
        limit: a.limit,
        empty_as_null: a.empty_as_null,
        delimiter,
    };
    let started = Instant::now();
    let (path, read) = match (&a.csv, &a.sqlite, &a.table) {
        (Some(p), None, None) => (p, sample::read_csv(p, &opts, &mut |_| true)),
        (None, Some(p), Some(t)) => (p, sample::read_sqlite(p, t, &opts, &mut |_| true)),
        _ => {
            return Err(fail(
                "give --csv FILE, or --sqlite DB --table T".to_string(),
            ));
        }
    };
    let sample = read.map_err(|e| match e {
        SampleError::Invalid {
            line: Some(l),
            message,
        } => fail(format!("{}:{l}: {message}", path.display())),
        e => fail(format!("{}: {e}", path.display())),
    })?;
    let read_ms = started.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let max_lhs = match a.max_lhs {
        None => default_max_lhs(sample.schema().len()),
        Some(MaxLhs::All) => None,
        Some(MaxLhs::Max(k)) => Some(k),
    };
    let dopts = DiscoverOptions {
        max_lhs,
        memory_budget: Some(a.memory_mb.saturating_mul(1 << 20)),
        ..DiscoverOptions::default()
    };
    // Progress on stderr once a second after the first second.
    let mut next_report = 1u64;
    let d = discover(&sample, &dopts, &mut |p| {
        let secs = t.elapsed().as_secs();
        if secs >= next_report {
            next_report = secs + 1;
            errln!(
                "discover: {secs} s, lattice level {} of at most {}: {} sets visited, \
                 {} dependencies, {} MiB held",
                p.level,
                p.max_level,
                p.sets,
                p.fds,
                p.bytes >> 20
            );
        }
        true
    })
    .map_err(|e| fail(e.to_string()))?;
    let discover_ms = t.elapsed().as_secs_f64() * 1e3;
    let budget_note = d.memory_limited.then(|| {
        let k = d.complete_lhs.unwrap_or(0);
        format!(
            "memory budget of {} MB reached after {} sets; results so far are partial: \
             the dependencies with at most {k} column{} on the left are complete \
             (--memory-mb raises the budget, --max-lhs lowers the search)",
            a.memory_mb,
            d.sets_visited,
            if k == 1 { "" } else { "s" }
        )
    });
    if let Some(m) = &budget_note {
        errln!("warning: {m}");
    }
    let mut hs = hints::hints_for_columns(sample.schema().names());
    hs.extend(hints::hints_for_sample(&sample));
    let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
    let s = &d.schema;
    let analysis = a.analyze.then(|| {
        report::analyze(
            s.clone(),
            d.fds.clone(),
            vec![],
            &report::Options::default(),
        )
        .report()
    });
    let constants: Vec<String> = d
        .constant_columns()
        .into_iter()
        .map(|i| s.name(i).to_string())
        .collect();
    let keys: Vec<Vec<String>> = d.keys.iter().map(|k| s.names_of(k)).collect();
    let source = path.display().to_string();
    if a.json {
        let fds: Vec<_> = d
            .fds
            .iter()
            .map(|fd| serde_json::json!({"lhs": s.names_of(&fd.lhs), "rhs": s.names_of(&fd.rhs)}))
            .collect();
        let mut v = serde_json::json!({
            "source": source,
            "format": if a.csv.is_some() { "csv" } else { "sqlite" },
            "table": a.table,
            "columns": s.names(),
            "rows": d.rows,
            "rows_truncated": d.rows_truncated,
            "limit": a.limit,
            "max_lhs": max_lhs,
            "max_lhs_default": a.max_lhs.is_none() && max_lhs.is_some(),
            "lhs_limited": d.lhs_limited,
            "memory_budget_mb": a.memory_mb,
            "memory_limited": d.memory_limited,
            "memory_peak_mb": d.peak_bytes as f64 / (1u64 << 20) as f64,
            "peak_rss_mb": peak_rss_mb(),
            "complete_lhs": d.complete_lhs,
            "partial": budget_note,
            "duplicate_rows": d.duplicate_rows,
            "functional_dependencies": fds,
            "fd_text": d.fd_texts(),
            "constant_columns": constants,
            "minimal_keys": keys,
            "keys_exact": d.keys_exact,
            "hints": hs,
            "sets_visited": d.sets_visited,
            "read_ms": read_ms,
            "discover_ms": discover_ms,
            "elapsed_ms": elapsed_ms,
        });
        if let Some(r) = &analysis {
            v["analysis"] = serde_json::to_value(r).expect("json values serialize");
        }
        outln!(
            "{}",
            serde_json::to_string_pretty(&v).expect("json values serialize")
        );
        return Ok(ExitCode::SUCCESS);
    }
    match &a.table {
        Some(t) => outln!("source: {source}, table {t}"),
        None => outln!("source: {source}"),
    }
    outln!(
        "rows read: {}{}",
        d.rows,
        if d.rows_truncated {
            " (limit reached)"
        } else {
            ""
        }
    );
    outln!("columns: {}", s.fmt_set(&s.all()));
    let texts = d.fd_texts();
    if texts.is_empty() {
        outln!("functional dependencies: none");
    } else {
        outln!(
            "functional dependencies holding on the sample ({}, minimal):",
            texts.len()
        );
        for t in &texts {
            outln!("  {t}");
        }
    }
    if !constants.is_empty() {
        outln!("constant: {}", constants.join(", "));
    }
    if d.duplicate_rows > 0 {
        outln!("minimal keys: none ({} duplicate row(s))", d.duplicate_rows);
    } else {
        let shown: Vec<String> = d.keys.iter().map(|k| s.fmt_group(k)).collect();
        outln!(
            "minimal keys{}: {}",
            if d.keys_exact {
                ""
            } else {
                " (not exhaustive)"
            },
            if shown.is_empty() {
                "none".to_string()
            } else {
                shown.join(", ")
            }
        );
    }
    if hs.is_empty() {
        outln!("1NF hints: none");
    } else {
        outln!("1NF hints:");
        for h in &hs {
            outln!("  [{}] {}", h.id, h.message);
        }
    }
    if d.rows == 0 {
        outln!("note: no rows, so every dependency holds vacuously");
    }
    if d.lhs_limited {
        let k = max_lhs.unwrap_or(0);
        if a.max_lhs.is_some() {
            outln!("note: --max-lhs {k} stopped the search; longer left sides may hold");
        } else {
            outln!(
                "note: left sides limited to {k} columns (the default above 12 columns; \
                 --max-lhs N or all changes it); longer left sides may hold"
            );
        }
    }
    if let Some(m) = &budget_note {
        outln!("note: {m}");
    }
    outln!(
        "elapsed: {elapsed_ms:.1} ms (read {read_ms:.1} ms, discovery {discover_ms:.1} ms, {} sets)",
        d.sets_visited
    );
    if let Some(r) = &analysis {
        outln!();
        out!("{}", r.to_text());
    }
    Ok(ExitCode::SUCCESS)
}
