//! Dependency discovery from sample data, run off the UI thread for the Normalize tab: read a
//! CSV file or an SQLite table, run `analysis::normalize::discover`, report progress, stop on
//! Cancel. The results are candidates the user accepts into the table's declared
//! dependencies.

use crate::analysis::normalize::discover::{DiscoverOptions, default_max_lhs, discover};
use crate::analysis::normalize::hints::{self, Hint};
use crate::analysis::normalize::sample::{self, ReadOptions, SampleError};
use crate::model::TableId;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};

/// Where the sample comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Csv(PathBuf),
    Sqlite { db: PathBuf, table: String },
}

impl Source {
    pub fn describe(&self) -> String {
        let name = |p: &Path| {
            p.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string())
        };
        match self {
            Source::Csv(p) => name(p),
            Source::Sqlite { db, table } => format!("{}, table {table}", name(db)),
        }
    }
}

/// Rows read at most (a sample, not the whole table). Wide samples search left sides of
/// limited size (`discover::default_max_lhs`: the lattice grows as 2^columns), and the search
/// stops at the default memory budget (`discover::DEFAULT_MEMORY_MB`).
pub const ROW_LIMIT: usize = 1_000_000;

/// What discovery found, with names as in the sample.
#[derive(Clone, Debug)]
pub struct Found {
    pub source: String,
    pub rows: usize,
    pub rows_truncated: bool,
    pub lhs_limited: bool,
    /// The left-side limit applied (wide samples).
    pub max_lhs: Option<usize>,
    /// The memory budget stopped the search after `sets` column sets; dependencies with left
    /// sides of up to `complete_lhs` columns are complete.
    pub memory_limited: bool,
    pub complete_lhs: Option<usize>,
    pub sets: usize,
    pub millis: u128,
    /// (left side, right side) names; one attribute on the right.
    pub fds: Vec<(Vec<String>, String)>,
    pub constants: Vec<String>,
    pub keys: Vec<Vec<String>>,
    pub hints: Vec<Hint>,
}

/// A discovery running on its own thread.
pub struct Job {
    pub table: TableId,
    pub source: Source,
    /// Phase text and fraction done (when known).
    pub progress: Arc<Mutex<(String, Option<f32>)>>,
    cancel: Arc<AtomicBool>,
    rx: Receiver<Result<Found, String>>,
}

impl Job {
    pub fn start(table: TableId, source: Source, ctx: Option<egui::Context>) -> Job {
        let progress = Arc::new(Mutex::new(("Reading…".to_string(), None)));
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let (p2, c2, src) = (progress.clone(), cancel.clone(), source.clone());
        std::thread::spawn(move || {
            let r = run(&src, &p2, &c2, ctx.as_ref());
            let _ = tx.send(r);
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        });
        Job {
            table,
            source,
            progress,
            cancel,
            rx,
        }
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The result once the thread is done.
    pub fn poll(&self) -> Option<Result<Found, String>> {
        self.rx.try_recv().ok()
    }
}

fn set(progress: &Mutex<(String, Option<f32>)>, text: String, f: Option<f32>) {
    if let Ok(mut p) = progress.lock() {
        *p = (text, f);
    }
}

fn run(
    src: &Source,
    progress: &Mutex<(String, Option<f32>)>,
    cancel: &AtomicBool,
    ctx: Option<&egui::Context>,
) -> Result<Found, String> {
    let started = std::time::Instant::now();
    let opts = ReadOptions {
        limit: Some(ROW_LIMIT),
        ..ReadOptions::default()
    };
    let mut last = std::time::Instant::now();
    let mut on_read = |p: &sample::ReadProgress| {
        if last.elapsed().as_millis() > 50 {
            last = std::time::Instant::now();
            set(progress, format!("Reading… {} rows", p.rows), p.fraction());
            if let Some(c) = ctx {
                c.request_repaint();
            }
        }
        !cancel.load(Ordering::Relaxed)
    };
    let read = match src {
        Source::Csv(p) => sample::read_csv(p, &opts, &mut on_read),
        Source::Sqlite { db, table } => sample::read_sqlite(db, table, &opts, &mut on_read),
    };
    let sample = read.map_err(|e| match e {
        SampleError::Cancelled => "cancelled".to_string(),
        SampleError::Invalid {
            line: Some(l),
            message,
        } => format!("{}:{l}: {message}", src.describe()),
        e => format!("{}: {e}", src.describe()),
    })?;
    let cols = sample.schema().len();
    let dopts = DiscoverOptions {
        max_lhs: default_max_lhs(cols),
        ..DiscoverOptions::default()
    };
    let mut last = std::time::Instant::now();
    let d = discover(&sample, &dopts, &mut |p| {
        if last.elapsed().as_millis() > 50 {
            last = std::time::Instant::now();
            set(
                progress,
                format!(
                    "Searching column sets of size {} … {} dependencies so far",
                    p.level, p.fds
                ),
                Some(p.fraction()),
            );
            if let Some(c) = ctx {
                c.request_repaint();
            }
        }
        !cancel.load(Ordering::Relaxed)
    })
    .map_err(|_| "cancelled".to_string())?;
    let s = &d.schema;
    let mut hs = hints::hints_for_sample(&sample);
    hs.extend(hints::hints_for_columns(s.names()));
    Ok(Found {
        source: src.describe(),
        rows: d.rows,
        rows_truncated: d.rows_truncated,
        lhs_limited: d.lhs_limited,
        max_lhs: dopts.max_lhs,
        memory_limited: d.memory_limited,
        complete_lhs: d.complete_lhs,
        sets: d.sets_visited,
        millis: started.elapsed().as_millis(),
        fds: d
            .fds
            .iter()
            .filter(|fd| !fd.lhs.is_empty())
            .flat_map(|fd| {
                let lhs = s.names_of(&fd.lhs);
                fd.rhs
                    .iter()
                    .map(move |r| (lhs.clone(), s.name(r).to_string()))
                    .collect::<Vec<_>>()
            })
            .collect(),
        constants: d
            .constant_columns()
            .into_iter()
            .map(|i| s.name(i).to_string())
            .collect(),
        keys: d.keys.iter().map(|k| s.names_of(k)).collect(),
        hints: hs,
    })
}
