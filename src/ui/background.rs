//! Work on another thread whose result the studio polls each frame (the background layout and
//! the PNG/PDF render): when it started, and where its result arrives.

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// What became of a job.
pub enum Outcome<T> {
    Running,
    Done(T),
    /// The thread ended without a result (cancelled, or it panicked).
    Failed,
}

/// A result of type `T` being computed on another thread.
pub struct Background<T> {
    started: Instant,
    result: Receiver<T>,
}

impl<T: Send + 'static> Background<T> {
    /// Run `work` on a new thread (`None`: no result, e.g. cancelled); `wake` is asked to
    /// repaint once the result is sent.
    pub fn spawn(
        work: impl FnOnce() -> Option<T> + Send + 'static,
        wake: Option<egui::Context>,
    ) -> Self {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            // The studio may have dropped the job: nobody to tell.
            if let Some(out) = work() {
                let _ = tx.send(out);
            }
            if let Some(ctx) = wake {
                ctx.request_repaint();
            }
        });
        Background {
            started: Instant::now(),
            result: rx,
        }
    }

    pub fn poll(&self) -> Outcome<T> {
        match self.result.try_recv() {
            Ok(out) => Outcome::Done(out),
            Err(TryRecvError::Empty) => Outcome::Running,
            Err(TryRecvError::Disconnected) => Outcome::Failed,
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}
