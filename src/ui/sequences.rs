//! Sequences in the inspector: which sequence feeds the selected column (none, one of the
//! project's, or a new one owned by the column), the fields of that sequence, and the list
//! of every sequence when nothing is selected. Each change is one model command, returned to the
//! inspector as a `Request`.

use super::request::Request;
use super::widgets::optional_line;
use crate::model::command::{remove_sequence, update_sequence};
use crate::model::sequence::{describe, nextval_default};
use crate::model::*;
use egui::Ui;
use strum::IntoEnumIterator;

/// What the "Values from" menu picked.
enum Source {
    Nothing,
    Existing(SequenceId),
    New,
}

/// The "Values from" row of the column details: `none`, a sequence, or a new one.
pub fn column_source(p: &Project, ui: &mut Ui, t: &Table, c: &Column, out: &mut Vec<Request>) {
    let current = p.sequence_of_column(c).map(|q| q.id);
    let label = match current.and_then(|id| p.sequence(id)) {
        Some(q) => format!("sequence {}", q.qualified_name()),
        None if c.identity.is_some() => "identity".into(),
        None => "default / none".into(),
    };
    let mut picked = None;
    egui::ComboBox::from_id_salt(("cseq", c.id.0))
        .selected_text(label)
        .width(180.0)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(current.is_none(), "no sequence")
                .clicked()
            {
                picked = Some(Source::Nothing);
            }
            for q in p.sequences() {
                if ui
                    .selectable_label(current == Some(q.id), q.qualified_name())
                    .clicked()
                {
                    picked = Some(Source::Existing(q.id));
                }
            }
            if ui
                .button("New sequence owned by this column")
                .on_hover_text("CREATE SEQUENCE ... OWNED BY, and nextval() as the default")
                .clicked()
            {
                picked = Some(Source::New);
            }
        });
    let Some(picked) = picked else { return };
    let mut nc = c.clone();
    let mut cmds = Vec::new();
    match picked {
        Source::Nothing => {
            if current.is_none() {
                return;
            }
            nc.default = None;
        }
        Source::Existing(id) => {
            let Some(q) = p.sequence(id) else { return };
            nc.default = Some(nextval_default(q.schema.as_deref(), &q.name));
            nc.identity = None;
        }
        Source::New => {
            let name = crate::model::edit::owned_sequence_name(p, t, c);
            let mut q = Sequence::new(SequenceId(p.alloc_id()), name);
            q.schema = t.schema.clone();
            q.data_type = match c.ty {
                LogicalType::SmallInt => SequenceType::SmallInt,
                LogicalType::Integer => SequenceType::Integer,
                _ => SequenceType::BigInt,
            };
            q.owned_by = Some(SequenceOwner {
                table: t.id,
                column: c.id,
            });
            nc.default = Some(nextval_default(q.schema.as_deref(), &q.name));
            nc.identity = None;
            nc.generated = None;
            cmds.push(Command::PutSequence(Box::new(q)));
        }
    }
    cmds.push(Command::UpdateColumn {
        table: t.id,
        column: Box::new(nc),
    });
    out.push(Request::Apply(Command::Named {
        label: format!("Values of {}.{}", t.name, c.name),
        command: Box::new(Command::Batch(cmds)),
    }));
}

/// An optional bound: a checkbox and, when set, its value.
fn optional(ui: &mut Ui, v: &mut Option<i64>, default: i64) -> bool {
    let mut on = v.is_some();
    let mut changed = ui.checkbox(&mut on, "").changed();
    match (on, v.as_mut()) {
        (true, Some(x)) => changed |= ui.add(egui::DragValue::new(x)).changed(),
        (true, None) => *v = Some(default),
        (false, _) => {
            *v = None;
            ui.weak("default");
        }
    }
    changed
}

/// The editable fields of sequence `q` (name, schema, type, increment, bounds, cache, cycle).
pub fn fields(p: &Project, ui: &mut Ui, q: &Sequence, out: &mut Vec<Request>) {
    let mut n = q.clone();
    let mut key = None;
    egui::Grid::new(("insp-seq", q.id.0))
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Sequence");
            if ui
                .add(egui::TextEdit::singleline(&mut n.name).id_salt(("sname", q.id.0)))
                .changed()
            {
                key = Some(format!("sname{}", q.id));
            }
            ui.end_row();
            ui.label("Schema");
            let (_, edited) =
                optional_line(ui, &n.schema.clone(), ("sschema", q.id.0), "(default)");
            if let Some(schema) = edited {
                n.schema = schema;
                key = Some(format!("sschema{}", q.id));
            }
            ui.end_row();
            ui.label("Type");
            egui::ComboBox::from_id_salt(("stype", q.id.0))
                .selected_text(n.data_type.sql())
                .show_ui(ui, |ui| {
                    for ty in SequenceType::iter() {
                        if ui
                            .selectable_value(&mut n.data_type, ty, ty.sql())
                            .clicked()
                        {
                            key = Some(String::new());
                        }
                    }
                });
            ui.end_row();
            ui.label("Increment");
            if ui.add(egui::DragValue::new(&mut n.increment)).changed() {
                key = Some(format!("sinc{}", q.id));
            }
            ui.end_row();
            for (label, salt) in [("Start", "sstart"), ("Min", "smin"), ("Max", "smax")] {
                ui.label(label);
                let (v, d) = match salt {
                    "sstart" => (&mut n.start, q.effective_start()),
                    "smin" => (&mut n.min, q.effective_min()),
                    _ => (&mut n.max, q.effective_max()),
                };
                if ui.horizontal(|ui| optional(ui, v, d)).inner {
                    key = Some(format!("{salt}{}", q.id));
                }
                ui.end_row();
            }
            ui.label("Cache");
            if ui.horizontal(|ui| optional(ui, &mut n.cache, 1)).inner {
                key = Some(format!("scache{}", q.id));
            }
            ui.end_row();
            ui.label("Cycle");
            if ui
                .checkbox(&mut n.cycle, "wrap around at the bound")
                .changed()
            {
                key = Some(String::new());
            }
            ui.end_row();
        });
    ui.weak(describe(p, q));
    let Some(key) = key else { return };
    out.push(match update_sequence(p, n) {
        Ok(cmd) if key.is_empty() => Request::Apply(cmd),
        Ok(cmd) => Request::ApplyMerging(cmd, key),
        Err(e) => Request::Status(e.to_string()),
    });
}

/// Every sequence of the project, each with its fields and a delete button.
pub fn list(p: &Project, ui: &mut Ui, out: &mut Vec<Request>) {
    let seqs: Vec<&Sequence> = p.sequences().collect();
    if seqs.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.strong(format!("Sequences ({})", seqs.len()));
    for q in &seqs {
        egui::CollapsingHeader::new(q.qualified_name())
            .id_salt(("seqlist", q.id.0))
            .show(ui, |ui| {
                fields(p, ui, q, out);
                if ui
                    .small_button("🗑 Delete sequence")
                    .on_hover_text("DROP SEQUENCE ... CASCADE: the defaults that read it go too")
                    .clicked()
                {
                    out.push(match remove_sequence(p, q.id) {
                        Ok(cmd) => Request::Apply(Command::Named {
                            label: format!("Delete sequence {}", q.name),
                            command: Box::new(cmd),
                        }),
                        Err(e) => Request::Status(e.to_string()),
                    });
                }
            });
    }
}
