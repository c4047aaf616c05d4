//! Names a dialect needs: index and constraint names unique where they must be, lengths.

use super::*;

/// `_1a2b3c4d`: what marks a name cut to a length limit, a hash of the whole name (FNV-1a,
/// stable across runs and platforms), so that two long names sharing a beginning stay apart
/// and the same name is cut the same way every time.
pub(crate) fn cut_mark(whole: &str) -> String {
    let hash = whole.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("_{:08x}", hash as u32)
}

/// The key part list of an index, `(a, b DESC, (lower(x)))`, with expression parts as
/// written by `expr` (dialects differ in how they wrap expressions).
/// PostgreSQL (per schema) and SQLite (per database) keep index names in one namespace with
/// tables, where MySQL and SQL Server scope them to their table: a copy of the project with
/// clashing index and key-constraint names made unique (`table_name`), or `None` when no name
/// clashes. Each rename is a warning.
pub(super) fn unique_index_names(
    p: &Project,
    dialect: Dialect,
    warnings: &mut Vec<ExportWarning>,
) -> Option<Project> {
    let r = rules(dialect);
    let scope = r.index_namespace();
    if scope == NameScope::Table {
        return None;
    }
    let max = match dialect.max_identifier_len() {
        Some(max) if r.truncates_long_names() => max,
        _ => usize::MAX,
    };
    let ns = |schema: Option<&str>| match scope {
        NameScope::Schema => schema.or(r.default_schema()).unwrap_or("").to_lowercase(),
        _ => String::new(),
    };
    let key =
        |schema: Option<&str>, name: &str| (ns(schema), truncate_bytes(name, max).to_lowercase());
    let mut taken: std::collections::HashSet<(String, String)> = p
        .tables()
        .map(|t| key(t.schema.as_deref(), &t.name))
        .chain(p.views().map(|v| key(v.schema.as_deref(), &v.name)))
        .collect();
    let mut changed: Vec<Table> = Vec::new();
    for t in p.tables() {
        let mut copy: Option<Table> = None;
        let schema = t.schema.as_deref();
        let mut claim = |name: &str, object: &str| -> Option<String> {
            if taken.insert(key(schema, name)) {
                return None;
            }
            let base = format!("{}_{name}", t.name);
            let mut candidate = truncate_bytes(&base, max).to_string();
            let mut n = 2;
            while !taken.insert(key(schema, &candidate)) {
                let suffix = format!("_{n}");
                candidate = format!(
                    "{}{suffix}",
                    truncate_bytes(&base, max.saturating_sub(suffix.len()))
                );
                n += 1;
            }
            warnings.push(ExportWarning {
                object: format!("{}.{name}", t.name),
                message: format!(
                    "{} {object} name `{name}` is already used in this {}; written as `{candidate}`",
                    dialect.display_name(),
                    scope.describe()
                ),
            });
            Some(candidate)
        };
        if r.schema_scoped_constraint_names() {
            if let Some(name) = t.primary_key.as_ref().and_then(|k| k.name.clone())
                && let Some(new) = claim(&name, "primary key")
            {
                copy.get_or_insert_with(|| t.clone())
                    .primary_key
                    .as_mut()
                    .expect("has a primary key")
                    .name = Some(new);
            }
            for (i, u) in t.uniques.iter().enumerate() {
                if let Some(name) = &u.name
                    && let Some(new) = claim(name, "unique constraint")
                {
                    copy.get_or_insert_with(|| t.clone()).uniques[i].name = Some(new);
                }
            }
        }
        for (i, ix) in t.indexes.iter().enumerate() {
            if let Some(new) = claim(&ix.name, "index") {
                copy.get_or_insert_with(|| t.clone()).indexes[i].name = new;
            }
        }
        changed.extend(copy);
    }
    if changed.is_empty() {
        return None;
    }
    let mut out = p.clone();
    for t in changed {
        Command::ReplaceTable(Box::new(t))
            .apply(&mut out)
            .expect("renaming indexes keeps the table valid");
    }
    Some(out)
}

/// One MySQL constraint namespace (foreign keys, or CHECK constraints): names per database,
/// compared case-insensitively within 64 characters.
pub(super) struct ConstraintNames {
    what: &'static str,
    /// Every name the project uses, and every name given out.
    taken: std::collections::HashSet<(String, String)>,
    /// The names met so far, in claiming order.
    seen: std::collections::HashSet<(String, String)>,
}

impl ConstraintNames {
    const MAX: usize = 64;

    fn fit(s: &str, room: usize) -> String {
        s.chars().take(room).collect()
    }

    fn key(schema: Option<&str>, name: &str) -> (String, String) {
        (
            schema.unwrap_or("").to_lowercase(),
            Self::fit(name, Self::MAX).to_lowercase(),
        )
    }

    fn new<'a>(
        what: &'static str,
        names: impl Iterator<Item = (Option<&'a str>, &'a str)>,
    ) -> Self {
        ConstraintNames {
            what,
            taken: names.map(|(s, n)| Self::key(s, n)).collect(),
            seen: Default::default(),
        }
    }

    /// `None` the first time `name` is met in `t`'s database; for a repeat, a free name
    /// (`name_2`, `name_3`, ...) and a warning.
    fn claim(
        &mut self,
        t: &Table,
        name: &str,
        warnings: &mut Vec<ExportWarning>,
    ) -> Option<String> {
        let schema = t.schema.as_deref();
        if self.seen.insert(Self::key(schema, name)) {
            return None;
        }
        let mut n = 2;
        let candidate = loop {
            let suffix = format!("_{n}");
            let c = format!(
                "{}{suffix}",
                Self::fit(name, Self::MAX - suffix.chars().count())
            );
            if self.taken.insert(Self::key(schema, &c)) {
                break c;
            }
            n += 1;
        };
        warnings.push(ExportWarning {
            object: format!("{}.{name}", t.name),
            message: format!(
                "MySQL/MariaDB {} names are unique per database and `{name}` is already \
                 used; written as `{candidate}` (migrations use the same name)",
                self.what
            ),
        });
        Some(candidate)
    }
}

/// MySQL/MariaDB: foreign key names, and CHECK constraint names, are unique per database
/// (InnoDB refuses a second `fk_user` anywhere in the schema: errno 121), while PostgreSQL and
/// SQLite scope them per table. A copy of the project where every repeated name but the first
/// (by table order, then position) becomes `name_2`, `name_3`, ... (within 64 characters), or
/// `None` when no name repeats; each rename is a warning. Deterministic, so migrations
/// ([`crate::sql::migrate::plan`]) name the constraints as the export did.
pub(crate) fn unique_constraint_names(
    p: &Project,
    dialect: Dialect,
    warnings: &mut Vec<ExportWarning>,
) -> Option<Project> {
    if !rules(dialect).constraint_names_database_wide() {
        return None;
    }
    let order = table_order(p);
    // Foreign keys of each table in id order; the tables in export order.
    let mut fks: Vec<&ForeignKey> = Vec::new();
    for t in &order {
        let mut own: Vec<&ForeignKey> = p.foreign_keys_from(*t);
        own.sort_by_key(|f| f.id);
        fks.extend(own);
    }
    let named_fks = fks.iter().filter_map(|f| {
        let t = p.table(f.from_table)?;
        Some((t.schema.as_deref(), f.name.as_deref()?))
    });
    let mut fk_names = ConstraintNames::new("foreign key", named_fks);
    let mut fk_new: Vec<ForeignKey> = Vec::new();
    for f in fks {
        let (Some(name), Some(t)) = (f.name.as_deref(), p.table(f.from_table)) else {
            continue;
        };
        if let Some(new) = fk_names.claim(t, name, warnings) {
            let mut g = f.clone();
            g.name = Some(new);
            fk_new.push(g);
        }
    }
    let named_checks = p.tables().flat_map(|t| {
        t.checks
            .iter()
            .filter_map(move |c| Some((t.schema.as_deref(), c.name.as_deref()?)))
    });
    let mut ck_names = ConstraintNames::new("CHECK constraint", named_checks);
    let mut tables_new: Vec<Table> = Vec::new();
    for id in &order {
        let Some(t) = p.table(*id) else { continue };
        let mut copy: Option<Table> = None;
        for (i, c) in t.checks.iter().enumerate() {
            if let Some(name) = c.name.as_deref()
                && let Some(new) = ck_names.claim(t, name, warnings)
            {
                copy.get_or_insert_with(|| t.clone()).checks[i].name = Some(new);
            }
        }
        tables_new.extend(copy);
    }
    if fk_new.is_empty() && tables_new.is_empty() {
        return None;
    }
    let mut out = p.clone();
    for t in tables_new {
        Command::ReplaceTable(Box::new(t))
            .apply(&mut out)
            .expect("renaming checks keeps the table valid");
    }
    for f in fk_new {
        Command::UpdateForeignKey(Box::new(f))
            .apply(&mut out)
            .expect("renaming a foreign key keeps it valid");
    }
    Some(out)
}

pub(super) fn check_identifier_lengths(p: &Project, d: Dialect, cx: &mut Cx) {
    let max = d.max_identifier_len();
    let mut names: Vec<(String, &str)> = Vec::new();
    for e in p.enums() {
        names.push((e.name.clone(), &e.name));
    }
    for t in p.tables() {
        names.push((t.name.clone(), &t.name));
        for c in &t.columns {
            names.push((format!("{}.{}", t.name, c.name), &c.name));
        }
        for ix in &t.indexes {
            names.push((format!("{}.{}", t.name, ix.name), &ix.name));
        }
        for u in t.uniques.iter().filter_map(|u| u.name.as_ref()) {
            names.push((format!("{}.{u}", t.name), u));
        }
        for c in t.checks.iter().filter_map(|u| u.name.as_ref()) {
            names.push((format!("{}.{c}", t.name), c));
        }
        if let Some(n) = t.primary_key.as_ref().and_then(|pk| pk.name.as_ref()) {
            names.push((format!("{}.{n}", t.name), n));
        }
    }
    for fk in p.foreign_keys() {
        if let Some(n) = &fk.name {
            names.push((n.clone(), n));
        }
    }
    for v in p.views() {
        names.push((v.name.clone(), &v.name));
    }
    let r = rules(d);
    for (obj, name) in &names {
        if let Some(why) = r.unstorable_identifier(name) {
            cx.warn(obj, why);
        }
    }
    let Some(max) = max else {
        return;
    };
    for (obj, name) in names {
        let len = d.identifier_len(name);
        if len > max {
            let msg = if r.truncates_long_names() {
                format!(
                    "identifier is {len} bytes; {} truncates names to {max} bytes (`{}`)",
                    d.display_name(),
                    truncate_bytes(name, max)
                )
            } else {
                format!(
                    "identifier is {len} characters; {} rejects names longer than {max}",
                    d.display_name()
                )
            };
            cx.warn(&obj, msg);
        }
    }
}

/// Truncate to at most `max` bytes on a character boundary (what PostgreSQL does).
pub fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
