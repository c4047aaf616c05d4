//! Auto-layout of a big project on another thread, with its progress in the status bar and
//! a Cancel button (issue 16: 50,000 tables take about 4 s; the studio keeps drawing).
//! Smaller projects are laid out at once, within the frame.

use crate::diagram::layout::{self, Progress};
use crate::model::{Command, Project};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// From this many tables the layout runs in the background (about 0.15 s of work).
pub const BACKGROUND_TABLES: usize = 2000;

/// A layout running on another thread.
pub struct LayoutJob {
    /// Force-directed (else layered).
    pub force: bool,
    pub tables: usize,
    /// The document version it lays out; a result for an older version is discarded.
    pub version: u64,
    started: Instant,
    pub progress: Arc<Progress>,
    result: Receiver<Command>,
}

/// What became of a job.
pub enum Outcome {
    Running,
    /// The moves, for the version the job started from.
    Done(Command),
    /// The thread ended without a result (cancelled, or it panicked): nothing moves.
    Failed,
}

impl LayoutJob {
    /// Lay out `project` (a copy of the document's at `version`) on a new thread.
    pub fn start(project: Project, version: u64, force: bool) -> Self {
        let progress = Arc::new(Progress::default());
        let (tx, rx) = channel();
        let shared = Arc::clone(&progress);
        let tables = project.table_count();
        std::thread::spawn(move || {
            let cmd = if force {
                layout::force_with_progress(&project, &Default::default(), &shared)
            } else {
                layout::layered_with_progress(&project, &Default::default(), &shared)
            };
            // Cancelled: no result. The studio may have dropped the job: nobody to tell.
            if let Some(cmd) = cmd {
                let _ = tx.send(cmd);
            }
        });
        LayoutJob {
            force,
            tables,
            version,
            started: Instant::now(),
            progress,
            result: rx,
        }
    }

    pub fn poll(&self) -> Outcome {
        match self.result.try_recv() {
            Ok(cmd) => Outcome::Done(cmd),
            Err(TryRecvError::Empty) => Outcome::Running,
            Err(TryRecvError::Disconnected) => Outcome::Failed,
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// "Layered layout of 50,000 tables".
    pub fn label(&self) -> String {
        format!(
            "{} layout of {} tables",
            if self.force { "Force" } else { "Layered" },
            self.tables
        )
    }

    /// The progress bar and its Cancel button; `true` when Cancel was clicked.
    pub fn ui(&self, ui: &mut egui::Ui) -> bool {
        let cancel = ui.button("Cancel").clicked();
        ui.add(
            egui::ProgressBar::new(self.progress.fraction())
                .desired_width(220.0)
                .show_percentage(),
        );
        ui.label(format!(
            "{}… {:.1} s",
            self.label(),
            self.elapsed().as_secs_f32()
        ));
        cancel
    }
}
