//! Confirmations, the open-error screen, inline editing, the git revision prompt.

use super::*;

impl Studio {
    pub(super) fn confirm_ui(&mut self, ui: &mut Ui) {
        let Some(confirm) = &self.confirm else {
            return;
        };
        let message = match confirm {
            Confirm::DeleteReferenced { message, .. }
            | Confirm::RetypeAndLink { message, .. }
            | Confirm::CreateColumnAndLink { message, .. } => message.clone(),
            Confirm::Discard { .. } => {
                format!("{} has unsaved changes. Discard them?", self.doc.title())
            }
            Confirm::Recover { recovery } => format!(
                "Crowfoot did not close cleanly: unsaved work on {} was found in {}. Recover it? \
                 (It opens as unsaved changes; the file on disk is unchanged until you save.)",
                self.doc.title(),
                recovery.display()
            ),
        };
        let (yes, no) = match confirm {
            Confirm::DeleteReferenced { .. } => ("Delete", "Cancel"),
            Confirm::RetypeAndLink { .. } => ("Change type and link", "Cancel"),
            Confirm::CreateColumnAndLink { .. } => ("Add column and link", "Cancel"),
            Confirm::Discard { .. } => ("Discard changes", "Cancel"),
            Confirm::Recover { .. } => ("Recover", "Discard recovery"),
        };
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::new("crowfoot-confirm")).show(ui.ctx(), |ui| {
            ui.set_max_width(420.0);
            ui.label(&message);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(yes).clicked() {
                    answer = Some(true);
                }
                if ui.button(no).clicked() {
                    answer = Some(false);
                }
            });
        });
        if modal.should_close() && answer.is_none() {
            answer = Some(false);
        }
        if let Some(yes) = answer {
            let confirm = self.confirm.take().expect("checked above");
            if yes {
                match confirm {
                    Confirm::DeleteReferenced { tables, .. } => self.delete_tables(&tables),
                    Confirm::RetypeAndLink { command, .. } => {
                        if self.apply(*command) {
                            self.status = "Foreign key created".into();
                        }
                    }
                    Confirm::CreateColumnAndLink { command, .. } => {
                        if self.apply(*command) {
                            self.status = "Column and foreign key created".into();
                        }
                    }
                    Confirm::Discard { then } => self.after_discard(then),
                    Confirm::Recover { recovery } => self.recover(&recovery),
                }
            } else {
                match confirm {
                    Confirm::Recover { recovery } => {
                        let _ = std::fs::remove_file(recovery);
                    }
                    Confirm::Discard {
                        then: AfterDiscard::Import(..),
                    } => {
                        self.import_dialog = None;
                        self.status = "Import cancelled: the document is unchanged".into();
                    }
                    Confirm::Discard {
                        then: AfterDiscard::ImportServer,
                    } => {
                        // Dropping the dialog drops the password.
                        self.server_import = None;
                        self.status = "Import cancelled: the document is unchanged".into();
                    }
                    _ => {}
                }
            }
        }
    }

    /// Why the file given on the command line did not open, and what to do instead.
    pub(super) fn open_error_ui(&mut self, ui: &mut Ui) {
        let Some(err) = &self.open_error else {
            return;
        };
        enum Choice {
            Other,
            Recovery(PathBuf),
            New,
        }
        let mut choice = None;
        egui::Modal::new(egui::Id::new("crowfoot-open-error")).show(ui.ctx(), |ui| {
            ui.set_max_width(520.0);
            let name = err
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| err.path.display().to_string());
            ui.heading(format!("Could not open {name}"));
            ui.add_space(4.0);
            ui.label(&err.message);
            ui.add_space(4.0);
            ui.label(
                "The file is unchanged. This window shows an empty untitled project: Save asks \
                 where to save it and never writes over the file unless you choose it.",
            );
            if let Some(note) = &err.note {
                ui.add_space(4.0);
                ui.colored_label(ui.visuals().error_fg_color, note);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .button("Open another file…")
                    .on_hover_text("Choose another Crowfoot project")
                    .clicked()
                {
                    choice = Some(Choice::Other);
                }
                if let Some(rec) = &err.recovery
                    && ui
                        .button("Open recovery copy")
                        .on_hover_text(format!(
                            "The unsaved work autosave kept in {}; it opens as an untitled \
                             project (Save asks where to put it)",
                            rec.display()
                        ))
                        .clicked()
                {
                    choice = Some(Choice::Recovery(rec.clone()));
                }
                if ui
                    .button("New project")
                    .on_hover_text("Start an empty project")
                    .clicked()
                {
                    choice = Some(Choice::New);
                }
            });
        });
        match choice {
            None => {}
            Some(Choice::Other) => self.files.pick_project(),
            Some(Choice::Recovery(rec)) => match crate::project_file::load(&rec) {
                Ok(p) => {
                    self.load_document(p, None);
                    self.doc.force_dirty();
                    self.status = format!(
                        "Opened the recovery copy {} as an untitled project: Save as… to keep it",
                        rec.display()
                    );
                }
                Err(e) => {
                    if let Some(err) = &mut self.open_error {
                        err.note = Some(format!("The recovery copy did not open either: {e}"));
                    }
                }
            },
            Some(Choice::New) => self.load_document(Project::new("Untitled"), None),
        }
    }

    /// The note / area editor window.
    pub(super) fn editing_ui(&mut self, ui: &mut Ui) {
        let Some(editing) = &mut self.editing else {
            return;
        };
        let mut done: Option<Option<Command>> = None;
        let modal = egui::Modal::new(egui::Id::new("crowfoot-edit")).show(ui.ctx(), |ui| {
            ui.set_min_width(320.0);
            match editing {
                Editing::Note(n) => {
                    ui.heading("Note");
                    ui.add(
                        egui::TextEdit::multiline(&mut n.text)
                            .id_salt("note-text")
                            .desired_rows(4),
                    );
                }
                Editing::Area(a) => {
                    ui.heading("Area");
                    ui.add(egui::TextEdit::singleline(&mut a.name).id_salt("area-name"));
                    ui.horizontal(|ui| {
                        ui.label("Colour");
                        ui.color_edit_button_srgb(&mut a.color);
                    });
                }
            }
            ui.horizontal(|ui| {
                if ui.button("OK").clicked() {
                    done = Some(Some(match editing {
                        Editing::Note(n) => Command::PutNote(n.clone()),
                        Editing::Area(a) => Command::PutArea(a.clone()),
                    }));
                }
                if ui.button("Cancel").clicked() {
                    done = Some(None);
                }
                if ui.button("Delete").clicked() {
                    done = Some(Some(match editing {
                        Editing::Note(n) => Command::RemoveNote(n.id),
                        Editing::Area(a) => Command::RemoveArea(a.id),
                    }));
                }
            });
        });
        if modal.should_close() && done.is_none() {
            done = Some(None);
        }
        if let Some(cmd) = done {
            self.editing = None;
            if let Some(cmd) = cmd {
                self.apply(cmd);
            }
        }
    }

    pub(super) fn revision_dialog_ui(&mut self, ui: &mut Ui) {
        let Some(mut rev) = self.revision_dialog.take() else {
            return;
        };
        let mut keep = true;
        let mut go = false;
        egui::Window::new("Compare with git revision")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ui.ctx(), |ui| {
                ui.label("Revision (HEAD, HEAD~3, a branch or a commit):");
                let r = ui.add(egui::TextEdit::singleline(&mut rev).id_salt("git-rev"));
                if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    go = true;
                }
                ui.horizontal(|ui| {
                    if ui.button("Compare").clicked() {
                        go = true;
                    }
                    if ui.button("Cancel").clicked() {
                        keep = false;
                    }
                });
            });
        if go {
            self.compare_with_revision(&rev);
        } else if keep {
            self.revision_dialog = Some(rev);
        }
    }
}
