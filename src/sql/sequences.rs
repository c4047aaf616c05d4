//! Sequences in DDL and migrations. PostgreSQL writes them (`CREATE SEQUENCE` before the
//! tables, `ALTER SEQUENCE ... OWNED BY` after); a dialect without sequences gets the project
//! "folded" first: a column fed by the sequence it owns becomes that dialect's auto-increment,
//! every other `nextval` default is dropped, and each change is a warning.

use super::ddl::ExportWarning;
use super::dialect::DialectRules;
use super::diff::SchemaDiff;
use crate::model::*;

/// The options of `s` that differ from PostgreSQL's defaults, as `CREATE/ALTER SEQUENCE`
/// clauses (`AS integer INCREMENT BY 2 ...`).
pub(crate) fn option_clauses(s: &Sequence) -> Vec<String> {
    let mut out = Vec::new();
    if s.data_type != SequenceType::BigInt {
        out.push(format!("AS {}", s.data_type.sql()));
    }
    if s.increment != 1 {
        out.push(format!("INCREMENT BY {}", s.increment));
    }
    if let Some(v) = s.min {
        out.push(format!("MINVALUE {v}"));
    }
    if let Some(v) = s.max {
        out.push(format!("MAXVALUE {v}"));
    }
    if let Some(v) = s.start {
        out.push(format!("START WITH {v}"));
    }
    if let Some(v) = s.cache {
        out.push(format!("CACHE {v}"));
    }
    if s.cycle {
        out.push("CYCLE".into());
    }
    out
}

/// `CREATE SEQUENCE` for `s` (without its owner: see [`owned_by`]).
pub(crate) fn create(r: &dyn DialectRules, s: &Sequence) -> String {
    let mut out = format!(
        "CREATE SEQUENCE {}",
        r.qualified(s.schema.as_deref(), &s.name)
    );
    for c in option_clauses(s) {
        out.push(' ');
        out.push_str(&c);
    }
    out
}

/// `ALTER SEQUENCE ... OWNED BY table.column`, when `s` has an owner in `p`.
pub(crate) fn owned_by(r: &dyn DialectRules, p: &Project, s: &Sequence) -> Option<String> {
    let o = s.owned_by?;
    let t = p.table(o.table)?;
    let c = t.column(o.column)?;
    Some(format!(
        "ALTER SEQUENCE {} OWNED BY {}.{}",
        r.qualified(s.schema.as_deref(), &s.name),
        r.qualified(t.schema.as_deref(), &t.name),
        r.ident(&c.name)
    ))
}

/// `COMMENT ON SEQUENCE`, when `s` has a comment.
pub(crate) fn comment(r: &dyn DialectRules, s: &Sequence) -> Option<String> {
    let text = s.comment.as_deref()?;
    Some(format!(
        "COMMENT ON SEQUENCE {} IS {}",
        r.qualified(s.schema.as_deref(), &s.name),
        r.string_literal(text)
    ))
}

/// The statements turning sequence `o` into `n` (same sequence; PostgreSQL): schema, rename,
/// options and comment (the owner: [`owner_change`], once the owner column exists).
pub(crate) fn alter(r: &dyn DialectRules, o: &Sequence, n: &Sequence) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = r.qualified(o.schema.as_deref(), &o.name);
    if o.schema != n.schema {
        out.push(format!(
            "ALTER SEQUENCE {at} SET SCHEMA {}",
            r.ident(n.schema.as_deref().unwrap_or("public"))
        ));
        at = r.qualified(n.schema.as_deref(), &o.name);
    }
    if o.name != n.name {
        out.push(format!(
            "ALTER SEQUENCE {at} RENAME TO {}",
            r.ident(&n.name)
        ));
        at = r.qualified(n.schema.as_deref(), &n.name);
    }
    // Options: every one that differs, defaults written out (NO MINVALUE...).
    let mut opts = Vec::new();
    if o.data_type != n.data_type {
        opts.push(format!("AS {}", n.data_type.sql()));
    }
    if o.increment != n.increment {
        opts.push(format!("INCREMENT BY {}", n.increment));
    }
    // A new type or direction changes the implied bounds: state them.
    let bounds_moved = o.data_type != n.data_type || o.increment.signum() != n.increment.signum();
    if o.min != n.min || bounds_moved {
        opts.push(match n.min {
            Some(v) => format!("MINVALUE {v}"),
            None => "NO MINVALUE".into(),
        });
    }
    if o.max != n.max || bounds_moved {
        opts.push(match n.max {
            Some(v) => format!("MAXVALUE {v}"),
            None => "NO MAXVALUE".into(),
        });
    }
    if o.start != n.start || bounds_moved {
        opts.push(format!("START WITH {}", n.effective_start()));
    }
    if o.cache != n.cache {
        opts.push(format!("CACHE {}", n.cache.unwrap_or(1)));
    }
    if o.cycle != n.cycle {
        opts.push(if n.cycle { "CYCLE" } else { "NO CYCLE" }.into());
    }
    if !opts.is_empty() {
        out.push(format!("ALTER SEQUENCE {at} {}", opts.join(" ")));
    }
    if o.comment != n.comment {
        out.push(format!(
            "COMMENT ON SEQUENCE {at} IS {}",
            n.comment
                .as_deref()
                .map(|c| r.string_literal(c))
                .unwrap_or_else(|| "NULL".into())
        ));
    }
    out
}

/// True when the owner of `o` (OLD) is not, through the diff's maps, the owner of `n` (NEW):
/// the old owner is released first (`OWNED BY NONE`, before anything is dropped: dropping the
/// owner would drop the sequence) and the new one set once its column exists.
pub(crate) fn owner_moves(d: &SchemaDiff, o: &Sequence, n: &Sequence) -> bool {
    let mapped = o.owned_by.and_then(|w| {
        Some(SequenceOwner {
            table: *d.table_map.get(&w.table)?,
            column: *d.column_map.get(&w.column)?,
        })
    });
    o.owned_by.is_some() && mapped != n.owned_by || o.owned_by.is_none() && n.owned_by.is_some()
}

/// `ALTER SEQUENCE ... OWNED BY NONE` for sequence `s`.
pub(crate) fn disown(r: &dyn DialectRules, s: &Sequence) -> String {
    format!(
        "ALTER SEQUENCE {} OWNED BY NONE",
        r.qualified(s.schema.as_deref(), &s.name)
    )
}

/// True when `a` and `b` describe the same sequence (ids and owners aside).
pub(crate) fn same_definition(a: &Sequence, b: &Sequence) -> bool {
    *a == Sequence {
        id: a.id,
        owned_by: a.owned_by,
        ..b.clone()
    }
}

/// `p` for a dialect without sequences, or `None` when `p` has none. A column whose default
/// reads the sequence it owns (or, with no owner, the sequence only it reads, when it is the
/// table's single-column integer primary key) becomes an auto-increment column; any other
/// `nextval` default is dropped; the sequences go. Every change is a warning.
pub(crate) fn fold(
    p: &Project,
    dialect: Dialect,
    warnings: &mut Vec<ExportWarning>,
) -> Option<Project> {
    p.sequences().next()?;
    let d = dialect.display_name();
    let mut out = p.clone();
    let mut turned: std::collections::BTreeSet<SequenceId> = Default::default();
    let mut updates = Vec::new();
    let all_users = p.sequence_users();
    for s in p.sequences() {
        let users = all_users.get(&s.id).map(Vec::as_slice).unwrap_or_default();
        for (t, c) in users {
            let obj = format!("{}.{}", t.name, c.name);
            let owner = s
                .owned_by
                .is_some_and(|o| o.table == t.id && o.column == c.id);
            let sole_key = s.owned_by.is_none()
                && users.len() == 1
                && c.ty.is_integer()
                && t.primary_key
                    .as_ref()
                    .is_some_and(|pk| pk.columns == [c.id]);
            let has_identity = t.columns.iter().any(|x| x.identity.is_some());
            let mut nc = (*c).clone();
            nc.default = None;
            if (owner || sole_key) && !has_identity {
                nc.identity = Some(Identity::ByDefault);
                turned.insert(s.id);
                warnings.push(ExportWarning {
                    object: obj,
                    message: format!(
                        "takes its values from sequence `{}`: written as {d}'s auto-increment \
                         (code that calls nextval('{}') by name needs changing)",
                        s.name, s.name
                    ),
                });
            } else {
                warnings.push(ExportWarning {
                    object: obj,
                    message: format!(
                        "default nextval('{}') dropped: {d} has no sequences",
                        s.name
                    ),
                });
            }
            updates.push((t.id, nc));
        }
    }
    for (table, column) in updates {
        Command::UpdateColumn {
            table,
            column: Box::new(column),
        }
        .apply(&mut out)
        .expect("a column with another default is still valid");
    }
    for s in p.sequences() {
        if !turned.contains(&s.id) {
            warnings.push(ExportWarning {
                object: s.qualified_name(),
                message: format!("sequence not written: {d} has no sequences"),
            });
        }
        Command::RemoveSequence(s.id)
            .apply(&mut out)
            .expect("no default reads it any more");
    }
    Some(out)
}
