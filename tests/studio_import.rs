//! File ▸ Import SQL… in the studio, through egui_kittest: the dialect dialog (opened by the
//! same `Studio::begin_import` the file dialog and a dropped file call), the discard question,
//! the import report window and what stays untouched on Cancel or on errors.
//!
//! File ▸ Import from server…: the password field is used once and kept nowhere (against a
//! server that never answers, and against the real MariaDB of tests/support/dbs.rs).

mod support {
    pub mod dbs;
}

use crowfoot::model::*;
use crowfoot::ui::Studio;
use crowfoot::ui::actions::Action;
use crowfoot::ui::studio::Confirm;
use egui::accesskit::Role;
use egui::{Event, Modifiers, Vec2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{self, NodeT, Queryable};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

type H = Harness<'static, Studio>;

const WINDOW: Vec2 = vec2(1400.0, 900.0);

/// A PostgreSQL script: two tables and an FK, dump noise on line 1, a tablespace (not
/// modelled: skipped) on line 5 and a function on line 6.
const SCRIPT: &str = "SET statement_timeout = 0;\n\
CREATE TABLE authors (id serial PRIMARY KEY, name text NOT NULL);\n\
CREATE TABLE posts (id serial PRIMARY KEY, author_id integer REFERENCES authors (id),\n\
    title text);\n\
CREATE TABLESPACE fast LOCATION '/ssd/pg';\n\
CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;\n";

fn harness(project: Project) -> H {
    let mut h = Harness::builder()
        .with_size(WINDOW)
        .with_step_dt(0.05)
        .build_ui_state(|ui, s: &mut Studio| s.ui(ui), Studio::new(project, None));
    h.run_steps(3);
    h
}

fn settle(h: &mut H) {
    h.run_steps(3);
}

fn write_script(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn table_names(h: &H) -> BTreeSet<String> {
    h.state()
        .doc
        .project()
        .tables()
        .map(|t| t.name.clone())
        .collect()
}

/// A small saved-looking project the tests import over.
fn existing() -> Project {
    let mut b = crowfoot::model::builder::ProjectBuilder::new("existing");
    b.table("customers", |t| {
        t.col("id", LogicalType::BigInt).identity().pk();
        t.at(40.0, 40.0);
    });
    b.build()
}

/// Click the dialect radio button with this label (the DDL tabs use the same names).
fn choose_dialect(h: &mut H, label: &str) {
    h.get_by_role_and_label(Role::RadioButton, label).click();
    settle(h);
}

fn click(h: &mut H, label: &str) {
    h.get_by_label(label).click();
    settle(h);
}

fn dialog_open(h: &H) -> bool {
    h.state().import_dialog.is_some() && h.query_by_label("Import SQL").is_some()
}

fn report_window_open(h: &H) -> bool {
    h.query_all_by_role(Role::Window)
        .any(|w| w.query_by_label("Copy report").is_some())
}

/// Text of the labels in the report window, trimmed (a note is a location label, `LINE:COL`,
/// then the rest of its line).
fn report_lines(h: &H) -> Vec<String> {
    let window = h
        .query_all_by_role(Role::Window)
        .find(|w| w.query_by_label("Copy report").is_some())
        .expect("report window");
    let mut out = Vec::new();
    for n in window.query_all_by_role(Role::Label) {
        let n = n.accesskit_node();
        let text = n.label().or(n.value()).unwrap_or_default();
        out.push(text.trim().to_string());
    }
    out
}

#[test]
fn import_through_the_dialog_shows_tables_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_script(dir.path(), "blog.sql", SCRIPT);
    let mut h = harness(existing());
    h.state_mut().begin_import(path.clone());
    settle(&mut h);
    assert!(dialog_open(&h), "picking a file opens the dialect dialog");
    assert!(
        h.query_by_label_contains("looks like PostgreSQL").is_some(),
        "the dialog says what detection would choose"
    );
    assert!(
        h.query_by_label_contains("blog.sql").is_some(),
        "the dialog names the file"
    );
    assert!(
        h.state()
            .doc
            .project()
            .table_by_name(None, "customers")
            .is_some()
    );

    choose_dialect(&mut h, "PostgreSQL");
    assert_eq!(
        h.state().import_dialog.as_ref().unwrap().dialect,
        Some(Dialect::Postgres)
    );
    click(&mut h, "Import");

    // The imported project replaced the document: a new, unsaved project named after the file.
    assert!(h.state().import_dialog.is_none());
    assert_eq!(
        table_names(&h),
        ["authors", "posts"].map(String::from).into()
    );
    assert_eq!(h.state().doc.project().foreign_key_count(), 1);
    assert_eq!(h.state().doc.project().name(), "blog");
    assert!(h.state().doc.is_dirty(), "an import is unsaved work");
    assert!(h.state().doc.path.is_none(), "Save asks where to put it");
    assert!(
        !h.state().doc.can_undo(),
        "the import is a new document, not an undo step over the old one"
    );
    // Canvas cards (AccessKit groups) and the table list show the imported tables.
    settle(&mut h);
    for name in ["authors", "posts"] {
        assert!(
            h.query_all_by_label(name)
                .any(|n| n.accesskit_node().role() == Role::Group),
            "card {name} on the canvas"
        );
        assert!(
            h.query_by_label_contains(&format!("{name}  ·")).is_some(),
            "{name} in the table list"
        );
    }
    assert!(h.query_all_by_label("customers").next().is_none());

    // Status bar: file, dialect and how it was decided, counts.
    let status = h.state().status.clone();
    assert!(
        status.starts_with("Imported blog.sql as PostgreSQL (chosen): 2 tables, "),
        "{status}"
    );
    assert!(
        h.query_by_label_contains("Imported blog.sql as PostgreSQL (chosen)")
            .is_some()
    );

    // The report window: dialect, counts, the skipped tablespace with its line:col; noise hidden.
    assert!(report_window_open(&h));
    let report = h.state().import_report.as_ref().unwrap();
    assert_eq!(report.dialect_text(), "PostgreSQL (chosen)");
    assert_eq!((report.tables, report.foreign_keys), (2, 1));
    let lines = report_lines(&h);
    let joined = lines.join("\n");
    assert!(joined.contains("PostgreSQL (chosen)"), "{joined}");
    assert!(
        joined.contains("2 tables, 5 columns, 1 foreign keys"),
        "{joined}"
    );
    assert!(
        lines.iter().any(|l| l == "5:1"),
        "tablespace location: {joined}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("skipped: CREATE TABLESPACE")),
        "{joined}"
    );
    assert!(
        lines.iter().any(|l| l == "6:1"),
        "function location: {joined}"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("noise:")),
        "noise is hidden by default: {joined}"
    );

    // Show noise: the SET on line 1 appears.
    h.get_by_label_contains("Show noise").click();
    settle(&mut h);
    let lines = report_lines(&h);
    assert!(lines.iter().any(|l| l == "1:1"), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("noise: SET")),
        "{lines:?}"
    );

    // Copy report puts the full text on the clipboard (checked on the frame of the click).
    let copy = h.get_by_label("Copy report");
    copy.click();
    h.step();
    let copied: Vec<String> = h
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(copied.len(), 1, "one copy command");
    let text = &copied[0];
    assert!(text.contains("PostgreSQL (chosen)"), "{text}");
    assert!(
        text.contains(&format!(
            "{}:5:1: skipped: CREATE TABLESPACE",
            path.display()
        )),
        "{text}"
    );
    assert!(
        text.contains(":1:1: noise: SET"),
        "noise shown, so copied: {text}"
    );
    settle(&mut h);

    // Closed, the report stays reachable (View ▸ Import report) until another document loads.
    h.state_mut().import_report.as_mut().unwrap().open = false;
    settle(&mut h);
    assert!(!report_window_open(&h));
    click(&mut h, "View");
    click(&mut h, "Import report");
    assert!(report_window_open(&h), "View ▸ Import report reopens it");
    // The bottom panel has it too (a toggle).
    let notes = h.state().import_report.as_ref().unwrap().attention();
    click(&mut h, &format!("Import report ({notes})"));
    assert!(!report_window_open(&h));
    click(&mut h, &format!("Import report ({notes})"));
    assert!(report_window_open(&h));
    h.state_mut().load_document(Project::new("other"), None);
    settle(&mut h);
    assert!(h.state().import_report.is_none());
    assert!(!report_window_open(&h));
}

#[test]
fn detect_automatically_is_the_default_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_script(
        dir.path(),
        "shop.sql",
        "CREATE TABLE `items` (`id` int unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`));\n",
    );
    let mut h = harness(existing());
    h.state_mut().begin_import(path);
    settle(&mut h);
    assert!(
        h.query_by_label_contains("looks like MySQL/MariaDB")
            .is_some()
    );
    assert_eq!(h.state().import_dialog.as_ref().unwrap().dialect, None);
    click(&mut h, "Import");
    assert_eq!(table_names(&h), ["items"].map(String::from).into());
    let status = &h.state().status;
    assert!(
        status.starts_with("Imported shop.sql as MySQL/MariaDB (detected): 1 tables, 0 notes"),
        "{status}"
    );
    assert!(report_window_open(&h));
    assert!(h.query_by_label("Every statement was imported.").is_some());
}

#[test]
fn cancel_leaves_the_document_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_script(dir.path(), "blog.sql", SCRIPT);
    let mut h = harness(existing());
    let before = crowfoot::project_file::to_ron_string(h.state().doc.project());

    // Cancel in the dialect dialog.
    h.state_mut().begin_import(path.clone());
    settle(&mut h);
    choose_dialect(&mut h, "SQLite");
    click(&mut h, "Cancel");
    assert!(!dialog_open(&h));
    assert_eq!(
        crowfoot::project_file::to_ron_string(h.state().doc.project()),
        before
    );
    assert!(!h.state().doc.is_dirty());
    assert!(h.state().import_report.is_none());
    assert_eq!(h.state().status, "Import cancelled");

    // Escape closes it too.
    h.state_mut().begin_import(path);
    settle(&mut h);
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(!dialog_open(&h));
    assert_eq!(
        crowfoot::project_file::to_ron_string(h.state().doc.project()),
        before
    );
    assert!(h.state().import_report.is_none());
}

#[test]
fn unsaved_changes_are_asked_about_before_the_import_replaces_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_script(dir.path(), "blog.sql", SCRIPT);
    let mut h = harness(existing());
    // An unsaved edit: rename the table through the model (undoable).
    let t = h
        .state()
        .doc
        .project()
        .table_by_name(None, "customers")
        .unwrap()
        .id;
    assert!(h.state_mut().apply(Command::RenameTable {
        table: t,
        schema: None,
        name: "clients".into(),
    }));
    assert!(h.state().doc.is_dirty());

    h.state_mut().begin_import(path.clone());
    settle(&mut h);
    click(&mut h, "Import");
    assert!(
        matches!(h.state().confirm, Some(Confirm::Discard { .. })),
        "the discard question comes first"
    );
    click(&mut h, "Cancel");
    assert!(h.state().confirm.is_none());
    assert!(!dialog_open(&h), "declining ends the import");
    assert_eq!(table_names(&h), ["clients"].map(String::from).into());
    assert!(h.state().doc.is_dirty(), "the edit is still unsaved");
    assert!(h.state().doc.can_undo(), "and still undoable");
    assert!(h.state().import_report.is_none());

    // Again, and discard this time.
    h.state_mut().begin_import(path);
    settle(&mut h);
    click(&mut h, "Import");
    click(&mut h, "Discard changes");
    assert_eq!(
        table_names(&h),
        ["authors", "posts"].map(String::from).into()
    );
    assert!(!h.state().doc.can_undo());
    assert!(h.state().import_report.is_some());
}

#[test]
fn an_unreadable_file_is_reported_in_the_dialog_and_the_status_bar() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone.sql");
    let mut h = harness(existing());
    let before = crowfoot::project_file::to_ron_string(h.state().doc.project());
    h.state_mut().begin_import(missing.clone());
    settle(&mut h);
    assert!(
        h.query_by_label_contains("Cannot read:").is_some(),
        "the dialog says the file cannot be read before Import"
    );
    click(&mut h, "Import");
    assert!(dialog_open(&h), "the dialog stays open with the error");
    let status = h.state().status.clone();
    assert!(status.starts_with("Could not import: "), "{status}");
    assert!(status.contains("gone.sql"), "{status}");
    assert!(
        h.query_all_by_label_contains("Could not import: ").count() >= 2,
        "shown in the dialog and in the status bar"
    );
    assert_eq!(
        crowfoot::project_file::to_ron_string(h.state().doc.project()),
        before
    );
    assert!(h.state().import_report.is_none());
    click(&mut h, "Cancel");
    assert!(!dialog_open(&h));

    // A directory is refused the same way.
    h.state_mut().begin_import(dir.path().to_path_buf());
    settle(&mut h);
    click(&mut h, "Import");
    assert!(h.state().status.starts_with("Could not import: "));
    assert_eq!(
        crowfoot::project_file::to_ron_string(h.state().doc.project()),
        before
    );
}

/// A file dropped on the window (what eframe hands to egui).
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_sql_file_goes_through_the_same_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_script(dir.path(), "blog.sql", SCRIPT);
    let mut h = harness(existing());
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.clone())));
    settle(&mut h);
    assert!(dialog_open(&h), "a drop opens the dialect dialog");
    assert_eq!(
        h.state().import_dialog.as_ref().unwrap().path,
        path,
        "for the dropped file"
    );
    assert_eq!(table_names(&h), ["customers"].map(String::from).into());
    choose_dialect(&mut h, "MySQL/MariaDB");
    click(&mut h, "Import");
    assert_eq!(
        table_names(&h),
        ["authors", "posts"].map(String::from).into()
    );
    assert!(h.state().status.contains("as MySQL/MariaDB (chosen)"));
}

#[test]
fn an_sqlite_database_file_is_imported_with_sqlite_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n\
             CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));",
        )
        .unwrap();
    }
    let mut h = harness(existing());
    h.state_mut().begin_import(path);
    settle(&mut h);
    assert!(h.query_by_label_contains("SQLite database file").is_some());
    click(&mut h, "Import");
    assert_eq!(table_names(&h), ["notes", "users"].map(String::from).into());
    let status = &h.state().status;
    assert!(
        status.starts_with("Imported app.db as SQLite (database file): 2 tables"),
        "{status}"
    );
}

#[test]
fn import_is_an_action_in_the_file_menu_and_the_palette_with_a_free_shortcut() {
    let (text, tip) = Action::ImportSql.text();
    assert_eq!(text, "Import SQL…");
    assert!(!tip.is_empty());
    let sc = Action::ImportSql.shortcut().expect("a shortcut");
    assert_eq!(
        sc,
        egui::KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), egui::Key::I)
    );
    // No two actions share a shortcut.
    let mut seen: Vec<(egui::KeyboardShortcut, Action)> = Vec::new();
    for a in Action::all() {
        for s in a.shortcuts() {
            if let Some((_, other)) = seen.iter().find(|(x, _)| *x == s) {
                panic!("{a:?} and {other:?} share a shortcut");
            }
            seen.push((s, a));
        }
    }

    let mut h = harness(existing());
    click(&mut h, "File");
    // Menu buttons are labelled with their shortcut.
    assert!(
        h.query_by_label("Import SQL… Ctrl+Shift+I").is_some(),
        "in the File menu"
    );
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    // Ctrl+K lists it; typing filters to it. (Running it would open the native file dialog.)
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::K);
    settle(&mut h);
    assert!(h.state().palette.is_open());
    h.event(Event::Text("import sql".into()));
    settle(&mut h);
    assert!(
        h.query_by_label("Import SQL…    Ctrl+Shift+I").is_some(),
        "in the palette"
    );
}

// ---------------------------------------------------------------------------------------------
// File ▸ Import from server…

/// A password that must not be kept anywhere.
const SECRET: &str = "it's \"q\" a\\b: é ✓ #; s3cr3t";

use support::dbs::silent_server;

fn mariadb_dump_installed() -> bool {
    let found = ["mariadb-dump", "mysqldump"].iter().any(|t| {
        std::process::Command::new(t)
            .arg("--version")
            .output()
            .is_ok()
    });
    if !found {
        assert!(
            !support::dbs::dbs_required(),
            "mariadb-dump is not installed but CROWFOOT_REQUIRE_DBS=1"
        );
        eprintln!("SKIPPED: mariadb-dump is not installed");
    }
    found
}

/// Focus the text field with this role and label and type `text` into it.
fn type_into(h: &mut H, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).focus();
    settle(h);
    h.get_by_role_and_label(role, label).type_text(text);
    settle(h);
}

/// Run frames (in real time: the import runs on a thread) until no import is running.
fn wait_for_server_import(h: &mut H) {
    let start = std::time::Instant::now();
    while h
        .state()
        .server_import
        .as_ref()
        .is_some_and(|d| d.running.is_some())
    {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "the import did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.run_steps(1);
    }
    settle(h);
}

/// Everything the studio keeps or shows that could leak a password: the prefs (saved by
/// eframe), egui's memory (saved too), the project as saved, the status bar, the import
/// report, and every label and value of the accessibility tree.
fn kept_text(h: &H) -> String {
    let s = h.state();
    let mut out = ron::to_string(&s.prefs).unwrap();
    out.push_str(&h.ctx.memory(|m| ron::to_string(m).unwrap()));
    out.push_str(&crowfoot::project_file::to_ron_string(s.doc.project()));
    out.push_str(&s.status);
    if let Some(r) = &s.import_report {
        out.push_str(&r.to_text());
    }
    for n in h.query_all(kittest::By::new().predicate(|_| true)) {
        let n = n.accesskit_node();
        out.push_str(&n.label().unwrap_or_default());
        out.push_str(&n.value().unwrap_or_default());
    }
    out
}

fn open_server_dialog(h: &mut H) {
    // (The import report window has a "File" label too.)
    h.get_by_role_and_label(Role::Button, "File").click();
    settle(h);
    click(h, "Import from server…");
    assert!(h.state().server_import.is_some(), "the dialog opens");
    assert!(h.query_by_label("Import from server").is_some());
}

#[test]
fn import_from_server_uses_the_typed_password_once_and_keeps_it_nowhere() {
    if !mariadb_dump_installed() {
        return;
    }
    let port = silent_server();
    let mut h = harness(existing());
    open_server_dialog(&mut h);
    let url = format!("mysql://someone@127.0.0.1:{port}/app");
    type_into(&mut h, Role::TextInput, "URL", &url);
    type_into(&mut h, Role::PasswordInput, "Password", SECRET);
    assert_eq!(h.state().server_import.as_ref().unwrap().url, url);
    assert_eq!(h.state().server_import.as_ref().unwrap().password, SECRET);
    let kept = kept_text(&h);
    assert!(
        kept.contains(&url),
        "typed text is seen (the URL field's value)"
    );
    assert!(
        !kept.contains(SECRET),
        "the field is masked and nothing else holds it"
    );
    h.state_mut().server_import.as_mut().unwrap().timeout_secs = 1;

    click(&mut h, "Import");
    {
        let d = h.state().server_import.as_ref().expect("the dialog stays");
        assert!(d.running.is_some(), "the import runs in the background");
        assert!(d.password.is_empty(), "the field is emptied when it starts");
    }
    assert!(
        h.query_by_label_contains(&format!("Reading {url}… 0 s"))
            .is_some(),
        "progress is shown in the dialog"
    );
    wait_for_server_import(&mut h);
    let error = h
        .state()
        .server_import
        .as_ref()
        .and_then(|d| d.error.clone())
        .expect("the dialog shows the error");
    assert!(
        error.contains(&format!(
            "{url}: timed out: the server did not answer within 1 s"
        )),
        "{error}"
    );
    assert!(
        h.query_all_by_label_contains("timed out").count() >= 2,
        "in the dialog and the status bar"
    );
    assert!(
        h.state()
            .doc
            .project()
            .table_by_name(None, "customers")
            .is_some(),
        "a failed import leaves the document"
    );
    let kept = kept_text(&h);
    assert!(!kept.contains(SECRET) && !kept.contains("s3cr3t"), "{kept}");

    // A password in the URL and in the field: refused before anything runs.
    let d = h.state_mut().server_import.as_mut().unwrap();
    d.url = format!("mysql://someone:x@127.0.0.1:{port}/app");
    d.password = "y".into();
    click(&mut h, "Import");
    let d = h.state().server_import.as_ref().unwrap();
    assert!(d.running.is_none());
    assert!(
        d.error.as_deref().unwrap().contains("give it once"),
        "{:?}",
        d.error
    );

    click(&mut h, "Cancel");
    assert!(
        h.state().server_import.is_none(),
        "Cancel drops the dialog and its password"
    );
}

#[test]
fn import_from_server_reads_a_real_mariadb_with_the_typed_password() {
    let Some(db) = support::dbs::TestDb::create(support::dbs::Engine::MariaDb, "studio_server")
    else {
        return;
    };
    let user = format!("crowfoot_studio_{}", std::process::id());
    let quoted = SECRET.replace('\\', "\\\\").replace('\'', "\\'");
    let server = db.server.clone();
    db.server
        .run_script(
            "mysql",
            &format!(
                "DROP USER IF EXISTS '{user}'@'%';\n\
                 CREATE USER '{user}'@'%' IDENTIFIED BY '{quoted}';\n\
                 GRANT SELECT, SHOW VIEW, TRIGGER, LOCK TABLES ON `{}`.* TO '{user}'@'%';\n",
                db.name
            ),
        )
        .unwrap();
    db.exec(
        "CREATE TABLE authors (id integer PRIMARY KEY);\n\
         CREATE TABLE posts (id integer PRIMARY KEY, author_id integer REFERENCES authors (id));\n",
    )
    .unwrap();

    let mut h = harness(existing());
    open_server_dialog(&mut h);
    let port = server.port.map(|p| format!(":{p}")).unwrap_or_default();
    let url = format!("mysql://{user}@{}{port}/{}", server.host, db.name);
    type_into(&mut h, Role::TextInput, "URL", &url);
    type_into(&mut h, Role::PasswordInput, "Password", SECRET);
    click(&mut h, "Import");
    wait_for_server_import(&mut h);
    let error = h
        .state()
        .server_import
        .as_ref()
        .and_then(|d| d.error.clone());
    assert!(
        h.state().server_import.is_none(),
        "closed after success: {error:?}"
    );
    assert_eq!(
        table_names(&h),
        BTreeSet::from(["authors".to_string(), "posts".to_string()])
    );
    assert_eq!(h.state().doc.project().name(), db.name);
    assert!(h.state().doc.path.is_none(), "a new, unsaved project");
    assert!(h.state().prefs.recent.is_empty(), "no recent entry");
    let status = h.state().status.clone();
    assert!(
        status.starts_with(&format!(
            "Imported {url} as MySQL/MariaDB (live server): 2 tables"
        )),
        "{status}"
    );
    let kept = kept_text(&h);
    assert!(!kept.contains(SECRET) && !kept.contains("s3cr3t"), "{kept}");
    // The password reached MariaDB intact (it checks it): a wrong one is refused.
    open_server_dialog(&mut h);
    type_into(&mut h, Role::TextInput, "URL", &url);
    type_into(&mut h, Role::PasswordInput, "Password", "wrong");
    click(&mut h, "Import");
    // The import is unsaved: the discard question comes first, the password waits.
    assert!(
        matches!(h.state().confirm, Some(Confirm::Discard { .. })),
        "the discard question comes first"
    );
    assert_eq!(h.state().server_import.as_ref().unwrap().password, "wrong");
    click(&mut h, "Discard changes");
    wait_for_server_import(&mut h);
    let error = h
        .state()
        .server_import
        .as_ref()
        .and_then(|d| d.error.clone());
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.contains("authentication failed")),
        "{error:?}"
    );
    server
        .run_script("mysql", &format!("DROP USER IF EXISTS '{user}'@'%';\n"))
        .unwrap();
}
