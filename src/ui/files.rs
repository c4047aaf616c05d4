//! File dialogs (rfd, off the UI thread), saving, DDL export and crash-recovery autosave.
//! A cancelled dialog (or no portal) yields `None`: that is not an error.

use super::document::Document;
use crate::model::Dialect;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// How often a dirty project is written to its recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);

enum Pending {
    Open,
    Import,
    Sample,
    Compare,
    SaveAs,
    ExportDdl(String),
    /// Any other export: the bytes to write and what to call them in the status bar.
    ExportBytes(Vec<u8>, &'static str),
}

/// A dialog result the studio must act on.
pub enum Picked {
    Open(PathBuf),
    /// A SQL script or SQLite database to import (the dialect dialog comes next).
    Import(PathBuf),
    /// Sample data (CSV or SQLite database) for dependency discovery.
    Sample(PathBuf),
    /// Another version of the schema to compare with.
    Compare(PathBuf),
}

pub struct FileOps {
    /// The dialog being shown: what it is for, its title and where its answer arrives.
    pending: Option<(Pending, String, Receiver<Option<PathBuf>>)>,
    ctx: Option<egui::Context>,
    last_autosave: Instant,
    /// `Some` when dialogs are not shown (tests): the sender of the open dialog's answer.
    headless: Option<Option<Sender<Option<PathBuf>>>>,
}

impl Default for FileOps {
    fn default() -> Self {
        FileOps {
            pending: None,
            ctx: None,
            last_autosave: Instant::now(),
            headless: None,
        }
    }
}

/// Where unsaved work of `doc` is kept in case of a crash: `.NAME.ron.recovery` next to the
/// file, or for untitled projects `NAME.ron.recovery` in [`recovery_dir`] (the user's own data
/// directory: a predictable name in the shared temp directory could be planted by anyone).
pub fn recovery_path(doc_path: Option<&Path>, name: &str) -> PathBuf {
    recovery_path_in(&recovery_dir(), doc_path, name)
}

/// [`recovery_path`] with untitled projects' recoveries in `dir`.
pub fn recovery_path_in(dir: &Path, doc_path: Option<&Path>, name: &str) -> PathBuf {
    match doc_path {
        Some(p) => {
            let file = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            p.with_file_name(format!(".{file}.recovery"))
        }
        None => dir.join(format!("{}.ron.recovery", sanitize(name))),
    }
}

/// Where untitled projects' recovery files go: `crowfoot/recovery` in the user's data directory
/// (`$XDG_DATA_HOME`, else `~/.local/share`).
pub fn recovery_dir() -> PathBuf {
    recovery_dir_from(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
}

/// [`recovery_dir`] from the values of `XDG_DATA_HOME` and `HOME`. A relative or empty
/// `XDG_DATA_HOME` is ignored, as the XDG spec says. With no home either: one directory in the
/// temp directory, `crowfoot-recovery-USER` (made private before anything is written into it,
/// which fails when someone else made it first).
pub fn recovery_dir_from(
    xdg_data_home: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> PathBuf {
    let absolute = |v: Option<std::ffi::OsString>| v.map(PathBuf::from).filter(|p| p.is_absolute());
    match absolute(xdg_data_home).or_else(|| absolute(home).map(|h| h.join(".local/share"))) {
        Some(data) => data.join("crowfoot").join("recovery"),
        None => {
            let user = std::env::var("USER").unwrap_or_default();
            std::env::temp_dir().join(format!("crowfoot-recovery-{}", sanitize(&user)))
        }
    }
}

/// Create `dir` (and its parents) for recovery files, readable by the user only: mode 0700,
/// tightened to 0700 when it exists with wider permissions (which fails unless it is the user's
/// own). A symlink in its place is refused.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)?;
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(std::io::Error::other(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Write a recovery file: a new file in the same directory (created exclusively, readable by the
/// user only) renamed over `path`. A symlink at `path` is replaced, never followed, and no
/// `.bak` copy is made.
pub fn write_recovery(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // tempfile creates with O_EXCL and mode 0600.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl FileOps {
    /// For tests: file dialogs are not shown but stay open (as a native one would while the
    /// user looks at it) until [`FileOps::answer_dialog`].
    pub fn without_native_dialogs(&mut self) {
        self.headless = Some(None);
    }

    /// The title of the file dialog being shown, if any.
    pub fn dialog_title(&self) -> Option<&str> {
        self.pending.as_ref().map(|(_, title, _)| title.as_str())
    }

    /// For tests (see [`FileOps::without_native_dialogs`]): answer the open dialog with a
    /// file, or `None` for Cancel. The studio acts on it in its next frame.
    pub fn answer_dialog(&mut self, path: Option<PathBuf>) {
        if let Some(Some(tx)) = self.headless.as_mut().map(Option::take) {
            let _ = tx.send(path);
        }
    }

    fn spawn(&mut self, kind: Pending, dialog: rfd::AsyncFileDialog, title: &str, save: bool) {
        if self.pending.is_some() {
            return; // one dialog at a time
        }
        let dialog = dialog.set_title(title);
        let (tx, rx) = channel();
        if let Some(held) = &mut self.headless {
            *held = Some(tx);
            self.pending = Some((kind, title.to_string(), rx));
            return;
        }
        type Dialog =
            std::pin::Pin<Box<dyn std::future::Future<Output = Option<rfd::FileHandle>> + Send>>;
        let fut: Dialog = if save {
            Box::pin(dialog.save_file())
        } else {
            Box::pin(dialog.pick_file())
        };
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let picked = pollster::block_on(fut).map(|h| h.path().to_path_buf());
            let _ = tx.send(picked);
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        });
        self.pending = Some((kind, title.to_string(), rx));
    }

    pub fn pick_project(&mut self) {
        let d = rfd::AsyncFileDialog::new().add_filter("Crowfoot project", &["ron"]);
        self.spawn(Pending::Open, d, "Open project", false);
    }

    pub fn pick_import(&mut self) {
        let d = rfd::AsyncFileDialog::new()
            .add_filter(
                "SQL script or SQLite database",
                &["sql", "db", "sqlite", "sqlite3"],
            )
            .add_filter("SQL script", &["sql"])
            .add_filter("SQLite database", &["db", "sqlite", "sqlite3"])
            .add_filter("All files", &["*"]);
        self.spawn(Pending::Import, d, "Import SQL", false);
    }

    /// Sample data for dependency discovery: a CSV file or an SQLite database.
    pub fn pick_sample(&mut self) {
        let d = rfd::AsyncFileDialog::new()
            .add_filter(
                "CSV or SQLite database",
                &["csv", "tsv", "txt", "db", "sqlite", "sqlite3"],
            )
            .add_filter("All files", &["*"]);
        self.spawn(
            Pending::Sample,
            d,
            "Discover dependencies from sample data",
            false,
        );
    }

    /// Another version of the schema to compare with: a project, SQL script or SQLite file.
    pub fn pick_compare(&mut self) {
        let d = rfd::AsyncFileDialog::new()
            .add_filter(
                "Project, SQL or SQLite",
                &["ron", "sql", "db", "sqlite", "sqlite3"],
            )
            .add_filter("All files", &["*"]);
        self.spawn(Pending::Compare, d, "Compare with…", false);
    }

    /// Save to the document's path, or ask for one (always with `save_as`).
    pub fn save(
        &mut self,
        ctx: &egui::Context,
        doc: &mut Document,
        status: &mut String,
        save_as: bool,
    ) {
        self.ctx = Some(ctx.clone());
        match (&doc.path, save_as) {
            (Some(p), false) => {
                let p = p.clone();
                save_to(doc, &p, status);
            }
            _ => {
                let d = rfd::AsyncFileDialog::new()
                    .add_filter("Crowfoot project", &["ron"])
                    .set_file_name(format!("{}.ron", doc.project().name()));
                self.spawn(Pending::SaveAs, d, "Save project as", true);
            }
        }
    }

    pub fn export_ddl(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        dialect: Dialect,
        sql: String,
    ) {
        self.ctx = Some(ctx.clone());
        let d = rfd::AsyncFileDialog::new()
            .add_filter("SQL", &["sql"])
            .set_file_name(format!(
                "{}.{}.sql",
                doc.project().name(),
                dialect.cli_name()
            ));
        self.spawn(Pending::ExportDdl(sql), d, "Export DDL", true);
    }

    /// Ask where to write an export (`ext` without the dot) and write `bytes` there.
    pub fn export_bytes(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        what: &'static str,
        ext: &'static str,
        bytes: Vec<u8>,
    ) {
        self.ctx = Some(ctx.clone());
        let d = rfd::AsyncFileDialog::new()
            .add_filter(what, &[ext])
            .set_file_name(format!("{}.{ext}", doc.project().name()));
        self.spawn(
            Pending::ExportBytes(bytes, what),
            d,
            &format!("Export {what}"),
            true,
        );
    }

    /// Call every frame: finishes dialogs and autosaves. Returns a picked file to open.
    pub fn poll(
        &mut self,
        ctx: &egui::Context,
        doc: &mut Document,
        status: &mut String,
    ) -> Option<Picked> {
        self.ctx = Some(ctx.clone());
        if doc.is_dirty() {
            let due = self.last_autosave + AUTOSAVE_EVERY;
            let now = Instant::now();
            if now >= due {
                self.last_autosave = now;
                let path = recovery_path(doc.path.as_deref(), doc.project().name());
                let text = crate::project_file::to_ron_string(doc.project());
                let private = match doc.path {
                    Some(_) => Ok(()),
                    None => ensure_private_dir(&recovery_dir()),
                };
                if let Err(e) = private.and_then(|()| write_recovery(&path, &text)) {
                    *status = format!("Autosave to {} failed: {e}", path.display());
                }
            } else {
                // Wake up for the next autosave without repainting continuously.
                ctx.request_repaint_after(due - now);
            }
        } else {
            self.last_autosave = Instant::now();
        }
        let (_, _, rx) = self.pending.as_ref()?;
        let result = rx.try_recv().ok()?;
        let (kind, _, _) = self.pending.take().expect("checked above");
        let path = result?; // cancelled
        match kind {
            Pending::Open => return Some(Picked::Open(path)),
            Pending::Import => return Some(Picked::Import(path)),
            Pending::Sample => return Some(Picked::Sample(path)),
            Pending::Compare => return Some(Picked::Compare(path)),
            Pending::SaveAs => {
                let path = if path.extension().is_none() {
                    path.with_extension("ron")
                } else {
                    path
                };
                save_to(doc, &path, status);
            }
            Pending::ExportDdl(sql) => match crate::project_file::write_atomic(&path, &sql) {
                Ok(()) => *status = format!("Exported DDL to {}", path.display()),
                Err(e) => *status = e.to_string(),
            },
            Pending::ExportBytes(bytes, what) => {
                match crate::project_file::write_atomic_bytes(&path, &bytes) {
                    Ok(()) => *status = format!("Exported {what} to {}", path.display()),
                    Err(e) => *status = e.to_string(),
                }
            }
        }
        None
    }
}

/// Save `doc` to `path`, update its path and dirty state, and drop the recovery file.
pub fn save_to(doc: &mut Document, path: &Path, status: &mut String) {
    match crate::project_file::save(doc.project(), path) {
        Ok(()) => {
            let old_recovery = recovery_path(doc.path.as_deref(), doc.project().name());
            let _ = std::fs::remove_file(old_recovery);
            doc.path = Some(path.to_path_buf());
            doc.mark_saved();
            *status = format!("Saved {}", path.display());
        }
        Err(e) => *status = e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untitled_recovery_goes_to_the_users_data_dir() {
        let dir = recovery_dir_from(Some("/x/data".into()), Some("/home/ann".into()));
        assert_eq!(dir, Path::new("/x/data/crowfoot/recovery"));
        let dir = recovery_dir_from(None, Some("/home/ann".into()));
        assert_eq!(dir, Path::new("/home/ann/.local/share/crowfoot/recovery"));
        // A relative XDG_DATA_HOME is ignored (XDG base directory spec).
        let dir = recovery_dir_from(Some("rel".into()), Some("/home/ann".into()));
        assert_eq!(dir, Path::new("/home/ann/.local/share/crowfoot/recovery"));
        assert!(
            !recovery_dir_from(None, None).starts_with(std::env::temp_dir().join("crowfoot")),
            "no shared crowfoot directory in the temp dir"
        );
        let data = Path::new("/x/data/crowfoot/recovery");
        assert_eq!(
            recovery_path_in(data, None, "my shop"),
            Path::new("/x/data/crowfoot/recovery/my_shop.ron.recovery")
        );
        // A saved project's recovery stays next to its file.
        assert_eq!(
            recovery_path_in(data, Some(Path::new("/p/shop.ron")), "shop"),
            Path::new("/p/.shop.ron.recovery")
        );
    }

    #[cfg(unix)]
    #[test]
    fn recovery_files_are_private_and_symlinks_are_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = recovery_dir_from(Some(tmp.path().join("data").into()), None);
        assert!(dir.starts_with(tmp.path()));
        ensure_private_dir(&dir).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode(&dir),
            0o700,
            "the recovery directory is the user's only"
        );

        // Someone planted symlinks where the recovery file (and a backup of it) would go,
        // pointing at the user's files.
        let victim = tmp.path().join("victim.txt");
        let victim_bak = tmp.path().join("victim-bak.txt");
        std::fs::write(&victim, "precious").unwrap();
        std::fs::write(&victim_bak, "also precious").unwrap();
        let path = recovery_path_in(&dir, None, "shop");
        let bak = crate::project_file::backup_path(&path);
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        std::os::unix::fs::symlink(&victim_bak, &bak).unwrap();
        write_recovery(&path, "recovered").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(
            std::fs::read_to_string(&victim_bak).unwrap(),
            "also precious"
        );
        assert!(!std::fs::symlink_metadata(&path).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "recovered");
        assert_eq!(mode(&path), 0o600);
        std::fs::remove_file(&bak).unwrap();
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("shop.ron.recovery")],
            "no temp file left"
        );

        // A directory left with wider permissions is tightened; a symlink in its place refused.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        ensure_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let other = tmp.path().join("other");
        std::fs::create_dir(&other).unwrap();
        let linked = tmp.path().join("linked");
        std::os::unix::fs::symlink(&other, &linked).unwrap();
        assert!(ensure_private_dir(&linked).is_err());
    }
}
