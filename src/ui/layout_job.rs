//! Auto-layout of a big project on another thread, with its progress in the status bar and
//! a Cancel button (issue 16: 50,000 tables take about 4 s; the studio keeps drawing).
//! Smaller projects are laid out at once, within the frame.

use super::background::Background;
pub use super::background::Outcome;
use crate::diagram::layout::{self, Progress};
use crate::model::{Command, Project};
use std::sync::Arc;
use std::time::Duration;

/// From this many tables the layout runs in the background (about 0.15 s of work).
pub const BACKGROUND_TABLES: usize = 2000;

/// A layout running on another thread.
pub struct LayoutJob {
    /// Force-directed (else layered).
    pub force: bool,
    pub tables: usize,
    /// The document version it lays out; a result for an older version is discarded.
    pub version: u64,
    pub progress: Arc<Progress>,
    /// The moves, for the version the job started from; none when cancelled.
    work: Background<Command>,
}

impl LayoutJob {
    /// Lay out `project` (a copy of the document's at `version`) on a new thread.
    pub fn start(project: Project, version: u64, force: bool) -> Self {
        let progress = Arc::new(Progress::default());
        let shared = Arc::clone(&progress);
        let tables = project.table_count();
        let work = Background::spawn(
            move || {
                if force {
                    layout::force_with_progress(&project, &Default::default(), &shared)
                } else {
                    layout::layered_with_progress(&project, &Default::default(), &shared)
                }
            },
            None,
        );
        LayoutJob {
            force,
            tables,
            version,
            progress,
            work,
        }
    }

    pub fn poll(&self) -> Outcome<Command> {
        self.work.poll()
    }

    pub fn elapsed(&self) -> Duration {
        self.work.elapsed()
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
