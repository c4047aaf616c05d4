//! Running a dump tool for a live import ([`super::source`]) without hanging, leaking the
//! password or leaving anything behind:
//!
//! * **Idle timeout.** [`run`] collects the tool's stdout and stderr on two threads; when
//!   neither produces anything for `timeout` (a server that accepts the connection and never
//!   answers, a lock that is never granted), the tool is killed and [`RunError::TimedOut`]
//!   returned. The dump tools are run with `--verbose` by the caller, so a long catalog read
//!   still shows progress on stderr.
//! * **Children die with Crowfoot.** On Linux the tool is started with
//!   `prctl(PR_SET_PDEATHSIG, SIGKILL)`: even a `kill -9` of Crowfoot takes it along.
//! * **Signals.** SIGINT, SIGTERM and SIGHUP (unless ignored, as under `nohup`) are caught on a
//!   thread that kills the running tools, removes the temporary directories, then lets the
//!   signal terminate the process as it would have (exit status 130 / 143 / 129 in a shell).
//! * **The client option file** ([`OptionFile`], MySQL/MariaDB's `--defaults-extra-file` holding
//!   the password) is created 0600 in a fresh 0700 directory, written, opened, and then both
//!   are removed *before* the tool starts: the tool reads the open file as `/dev/fd/N`, so no
//!   path with the password exists while it runs and nothing can be left behind, whatever
//!   happens to Crowfoot.

use std::io::{self, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// What a finished run produced.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Why [`run`] did not produce a [`Finished`].
#[derive(Debug)]
pub enum RunError {
    /// The program is not installed (not found on `PATH`).
    Missing,
    /// It could not be started.
    Spawn(io::Error),
    /// Nothing came from it for the whole timeout; it was killed. What it had written to stderr.
    TimedOut { stderr: Vec<u8> },
}

// ---------------------------------------------------------------------------------------------
// What a signal must clean up

/// Something to undo before the process ends on a signal (a scratch database to drop).
type Hook = Box<dyn FnOnce() + Send>;

/// Running children (by pid), temporary directories and clean-up hooks, for the signal
/// handler.
#[derive(Default)]
struct Registry {
    children: Vec<u32>,
    dirs: Vec<PathBuf>,
    hooks: Vec<(u64, Hook)>,
    next_hook: u64,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    children: Vec::new(),
    dirs: Vec::new(),
    hooks: Vec::new(),
    next_hook: 0,
});

/// Registered with [`on_signal`]: the hook runs if SIGINT/SIGTERM/SIGHUP ends the process
/// while this is alive; dropping it unregisters the hook (the work was undone normally).
pub struct CleanupHook(u64);

impl Drop for CleanupHook {
    fn drop(&mut self) {
        registry().hooks.retain(|(id, _)| *id != self.0);
    }
}

/// Run `f` (once) if a signal ends the process before the returned hook is dropped.
pub fn on_signal(f: impl FnOnce() + Send + 'static) -> CleanupHook {
    install_signal_handler();
    let mut r = registry();
    r.next_hook += 1;
    let id = r.next_hook;
    r.hooks.push((id, Box::new(f)));
    CleanupHook(id)
}

fn registry() -> MutexGuard<'static, Registry> {
    // A panic while holding the lock leaves plain vectors that are still usable.
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Kill every registered child and remove every registered directory (the signal handler).
fn clean_up_everything() {
    let hooks = {
        let mut r = registry();
        for pid in r.children.drain(..) {
            kill_pid(pid);
        }
        for dir in r.dirs.drain(..) {
            let _ = std::fs::remove_dir_all(dir);
        }
        std::mem::take(&mut r.hooks)
    };
    // Outside the lock: a hook may take a while (it talks to a server).
    for (_, hook) in hooks {
        hook();
    }
}

#[cfg(unix)]
fn kill_pid(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) has no memory effects; the pid is a child we have not reaped yet (the
        // registry lock is held while children are reaped), so it cannot have been reused.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
}

#[cfg(not(unix))]
fn kill_pid(_pid: u32) {}

/// Install the SIGINT/SIGTERM/SIGHUP handler thread, once per process.
fn install_signal_handler() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            // A signal the process ignores (nohup's SIGHUP, a background job's SIGINT) stays
            // ignored: catching it would make it terminate the process.
            let wanted: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
                .into_iter()
                .filter(|&s| !signal_ignored(s))
                .collect();
            let Ok(mut signals) = signal_hook::iterator::Signals::new(&wanted) else {
                return;
            };
            let spawned = std::thread::Builder::new()
                .name("crowfoot-signals".into())
                .spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        clean_up_everything();
                        // Terminate as the signal would have (falls back to abort).
                        let _ = signal_hook::low_level::emulate_default_handler(sig);
                        std::process::exit(128 + sig);
                    }
                });
            // Without the thread, children still die with the process (PR_SET_PDEATHSIG) and
            // the option file is already gone while they run.
            drop(spawned);
        });
    }
}

#[cfg(unix)]
fn signal_ignored(sig: i32) -> bool {
    // SAFETY: sigaction with a null new action only reads the current one into `old`.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

// ---------------------------------------------------------------------------------------------
// The client option file

/// A private client option file (see the module docs). Unix: the open, already removed file,
/// passed to the child as `/dev/fd/N`. Elsewhere: a 0600 file in a private directory, removed
/// when this is dropped (and by the signal handler).
pub struct OptionFile {
    #[cfg(unix)]
    file: std::fs::File,
    #[cfg(not(unix))]
    dir: Option<tempfile::TempDir>,
    #[cfg(not(unix))]
    path: PathBuf,
}

impl OptionFile {
    /// The file name inside its private directory.
    pub const NAME: &'static str = "crowfoot-client.cnf";

    /// Create the file with `contents`; the `check` callback sees the directory and the file
    /// while they exist (the tests look at their modes).
    pub fn create_checked(
        contents: &str,
        check: impl FnOnce(&std::path::Path, &std::path::Path),
    ) -> io::Result<OptionFile> {
        use std::io::{Seek, Write};
        install_signal_handler();
        let mut builder = tempfile::Builder::new();
        builder.prefix("crowfoot-client-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir()?;
        registry().dirs.push(dir.path().to_path_buf());
        let unregister = |dir: &std::path::Path| registry().dirs.retain(|d| d != dir);
        let path = dir.path().join(Self::NAME);
        let written = (|| {
            let mut options = std::fs::OpenOptions::new();
            options.read(true).write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&path)?;
            file.write_all(contents.as_bytes())?;
            file.flush()?;
            // Where a reopened /dev/fd/N shares the offset (BSD, macOS), the child reads from
            // the start.
            file.rewind()?;
            check(dir.path(), &path);
            Ok::<_, io::Error>(file)
        })();
        #[cfg(unix)]
        {
            let dir_path = dir.path().to_path_buf();
            let removed = dir.close();
            unregister(&dir_path);
            let file = written?;
            removed?;
            Ok(OptionFile { file })
        }
        #[cfg(not(unix))]
        {
            if let Err(e) = written {
                unregister(dir.path());
                return Err(e);
            }
            Ok(OptionFile {
                dir: Some(dir),
                path,
            })
        }
    }

    /// [`OptionFile::create_checked`] without a check.
    pub fn create(contents: &str) -> io::Result<OptionFile> {
        Self::create_checked(contents, |_, _| {})
    }

    /// What to give the tool as `--defaults-extra-file=`.
    pub fn arg_path(&self) -> PathBuf {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            PathBuf::from(format!("/dev/fd/{}", self.file.as_raw_fd()))
        }
        #[cfg(not(unix))]
        {
            self.path.clone()
        }
    }

    /// The descriptor the child must inherit (Unix).
    #[cfg(unix)]
    fn raw_fd(&self) -> std::os::fd::RawFd {
        use std::os::fd::AsRawFd;
        self.file.as_raw_fd()
    }
}

#[cfg(not(unix))]
impl Drop for OptionFile {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let path = dir.path().to_path_buf();
            let _ = dir.close();
            registry().dirs.retain(|d| *d != path);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running

enum Event {
    Data,
    Eof,
}

/// Read `pipe` to its end on a thread, telling `tx` about every chunk.
fn collect(
    mut pipe: impl Read + Send + 'static,
    tx: mpsc::Sender<Event>,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    all.extend_from_slice(&buf[..n]);
                    let _ = tx.send(Event::Data);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let _ = tx.send(Event::Eof);
        all
    })
}

/// Prepare `cmd` to die with this process and to inherit `keep` (Unix).
#[cfg(unix)]
fn harden(cmd: &mut Command, keep: Option<std::os::fd::RawFd>) {
    use std::os::unix::process::CommandExt;
    #[cfg(target_os = "linux")]
    let parent = std::process::id();
    let pre_exec = move || -> io::Result<()> {
        // Only async-signal-safe calls here (this runs between fork and exec).
        #[cfg(target_os = "linux")]
        {
            // SAFETY: prctl and getppid have no memory effects.
            unsafe {
                if libc::prctl(
                    libc::PR_SET_PDEATHSIG,
                    libc::SIGKILL as libc::c_ulong,
                    0,
                    0,
                    0,
                ) != 0
                {
                    return Err(io::Error::last_os_error());
                }
                // The parent may have died before prctl: then nobody would kill us.
                if libc::getppid() as u32 != parent {
                    return Err(io::Error::from_raw_os_error(libc::ESRCH));
                }
            }
        }
        if let Some(fd) = keep {
            // SAFETY: clears close-on-exec on a descriptor the parent keeps open.
            if unsafe { libc::fcntl(fd, libc::F_SETFD, 0) } != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(())
    };
    // SAFETY: the closure only makes async-signal-safe system calls.
    unsafe {
        cmd.pre_exec(pre_exec);
    }
}

/// Kill and reap a child, then forget it.
fn kill_and_reap(child: &mut Child) {
    let mut r = registry();
    let _ = child.kill();
    let _ = child.wait();
    r.children.retain(|&p| p != child.id());
}

/// Run `cmd` (stdin closed, stdout and stderr collected) with the idle `timeout`, handing it
/// `options` (see [`OptionFile`]). The child dies with this process and is killed by the signal
/// handler (module docs). Must be called from a thread that outlives the child (the death
/// signal follows the thread that started it), which it does: it waits for the child.
pub fn run(
    mut cmd: Command,
    timeout: Duration,
    options: Option<&OptionFile>,
) -> Result<Finished, RunError> {
    install_signal_handler();
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    harden(&mut cmd, options.map(OptionFile::raw_fd));
    #[cfg(not(unix))]
    let _ = options;
    let mut child = {
        let mut r = registry();
        let child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(RunError::Missing),
            Err(e) => return Err(RunError::Spawn(e)),
        };
        r.children.push(child.id());
        child
    };
    let (tx, rx) = mpsc::channel();
    let out = collect(child.stdout.take().expect("stdout is piped"), tx.clone());
    let err = collect(child.stderr.take().expect("stderr is piped"), tx);
    let timed_out = |child: &mut Child, err: std::thread::JoinHandle<Vec<u8>>| {
        kill_and_reap(child);
        RunError::TimedOut {
            stderr: err.join().unwrap_or_default(),
        }
    };

    // Until both pipes are closed, any output resets the clock.
    let mut open = 2;
    while open > 0 {
        match rx.recv_timeout(timeout) {
            Ok(Event::Data) => {}
            Ok(Event::Eof) => open -= 1,
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => return Err(timed_out(&mut child, err)),
        }
    }
    // Both closed: the child is exiting.
    let deadline = Instant::now() + timeout;
    let status = loop {
        {
            let mut r = registry();
            match child.try_wait() {
                Ok(Some(status)) => {
                    r.children.retain(|&p| p != child.id());
                    break status;
                }
                Ok(None) => {}
                Err(e) => {
                    drop(r);
                    kill_and_reap(&mut child);
                    return Err(RunError::Spawn(e));
                }
            }
        }
        if Instant::now() >= deadline {
            return Err(timed_out(&mut child, err));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok(Finished {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_option_file_is_private_and_gone_before_the_tool_runs() {
        use std::os::unix::fs::PermissionsExt;
        let mut seen = None;
        let f = OptionFile::create_checked("[client]\npassword=\"s3cret\"\n", |dir, file| {
            let mode = |p: &std::path::Path| p.metadata().unwrap().permissions().mode() & 0o777;
            seen = Some((dir.to_path_buf(), mode(dir), mode(file)));
        })
        .unwrap();
        let (dir, dir_mode, file_mode) = seen.unwrap();
        assert_eq!(dir_mode, 0o700, "the directory is private");
        assert_eq!(file_mode, 0o600, "the file is private");
        assert!(!dir.exists(), "removed before any tool starts");
        // A child reads it through the inherited descriptor.
        let mut cat = Command::new("cat");
        cat.arg(f.arg_path());
        let done = run(cat, Duration::from_secs(10), Some(&f)).unwrap();
        assert!(
            done.status.success(),
            "{:?}",
            String::from_utf8_lossy(&done.stderr)
        );
        assert_eq!(done.stdout, b"[client]\npassword=\"s3cret\"\n");
        // Other children do not inherit it.
        let mut cat = Command::new("cat");
        cat.arg(f.arg_path());
        let done = run(cat, Duration::from_secs(10), None).unwrap();
        assert!(!done.status.success());
        assert!(!registry().dirs.contains(&dir));
    }

    #[cfg(unix)]
    #[test]
    fn a_silent_child_is_killed_after_the_idle_timeout_and_a_chatty_one_is_not() {
        let start = Instant::now();
        let mut sleeper = Command::new("sh");
        sleeper.args(["-c", "echo started >&2; exec sleep 30"]);
        match run(sleeper, Duration::from_millis(500), None) {
            Err(RunError::TimedOut { stderr }) => assert_eq!(stderr, b"started\n"),
            Err(e) => panic!("expected a timeout, got {e:?}"),
            Ok(_) => panic!("expected a timeout, got a result"),
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );

        // Output every 0.2 s for 2 s: never idle for 1.5 s (however busy the machine), so it
        // finishes although it runs longer than the timeout.
        let mut chatty = Command::new("sh");
        chatty.args([
            "-c",
            "for i in 1 2 3 4 5 6 7 8 9 10; do echo $i; sleep 0.2; done",
        ]);
        let done = run(chatty, Duration::from_millis(1500), None).unwrap();
        assert!(done.status.success());
        assert_eq!(done.stdout, b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");

        assert!(matches!(
            run(
                Command::new("crowfoot-no-such-tool"),
                Duration::from_secs(1),
                None
            ),
            Err(RunError::Missing)
        ));
    }
}
