//! CREATE TABLE: column types and definitions, constraints, foreign key clauses.

use super::*;

/// Columns of `t` that take part in a key, index or foreign key.
pub(crate) fn keyed_columns(p: &Project, t: &Table) -> BTreeSet<ColumnId> {
    let mut s: BTreeSet<ColumnId> = t.referenced_column_ids().collect();
    for fk in p.foreign_keys_from(t.id) {
        s.extend(fk.from_columns.iter().copied());
    }
    for fk in p.foreign_keys_to(t.id) {
        s.extend(fk.to_columns.iter().copied());
    }
    s
}

/// The referenced column when `c` is a foreign key column whose integer type is narrower or
/// wider than the referenced integer column's.
pub(super) fn fk_target_integer<'p>(p: &'p Project, t: &Table, c: &Column) -> Option<&'p Column> {
    let int = |ty: &LogicalType| {
        matches!(
            ty,
            LogicalType::TinyInt
                | LogicalType::SmallInt
                | LogicalType::Integer
                | LogicalType::BigInt
        )
    };
    if !int(&c.ty) {
        return None;
    }
    p.foreign_keys_from(t.id).into_iter().find_map(|fk| {
        let i = fk.from_columns.iter().position(|x| *x == c.id)?;
        let to = p.table(fk.to_table)?;
        let target = to.column(*fk.to_columns.get(i)?)?;
        (int(&target.ty) && target.ty != c.ty && target.id != c.id).then_some(target)
    })
}

/// The SQL type of a column in a dialect, honouring per-dialect overrides.
pub fn column_type(
    r: &dyn DialectRules,
    t: &Table,
    c: &Column,
    keyed: bool,
    cx: &mut Cx,
) -> String {
    if let Some(o) = c.type_overrides.get(&r.dialect()) {
        return o.clone();
    }
    let object = format!("{}.{}", t.name, c.name);
    if r.fk_types_must_match()
        && let Some(target) = fk_target_integer(cx.project, t, c)
    {
        cx.warn(
            &object,
            format!(
                "{} needs a foreign key column to have the referenced column's type; \
                 widened to the type of `{}`",
                r.dialect().display_name(),
                target.name
            ),
        );
        let widened = Column {
            ty: target.ty.clone(),
            ..c.clone()
        };
        return r.column_type(
            t,
            &widened,
            TypeUse {
                keyed,
                object: &object,
            },
            cx,
        );
    }
    r.column_type(
        t,
        c,
        TypeUse {
            keyed,
            object: &object,
        },
        cx,
    )
}

pub(crate) fn column_list<R: DialectRules + ?Sized>(r: &R, t: &Table, cols: &[ColumnId]) -> String {
    cols.iter()
        .map(|c| r.ident(&t.column_name(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn create_table(
    r: &dyn DialectRules,
    t: &Table,
    fks: &[&ForeignKey],
    cx: &mut Cx,
) -> String {
    let p = cx.project;
    let keyed = keyed_columns(p, t);
    let tname = t.name.clone();
    // (definition, trailing comment)
    let mut lines: Vec<(String, Option<String>)> = Vec::new();
    let mut pk_inline = false;
    let xs = ExprScope::new(r, t, p);
    for c in &t.columns {
        let (def, trailing, inline) = column_definition(r, t, c, keyed.contains(&c.id), &xs, cx);
        pk_inline |= inline;
        lines.push((def, trailing));
    }
    if let Some(pk) = &t.primary_key
        && !pk_inline
    {
        let name = constraint_prefix(r, pk.name.as_deref());
        lines.push((
            format!(
                "{name}PRIMARY KEY ({})",
                r.key_column_list(t, &pk.columns, "primary key", cx)
            ),
            None,
        ));
    }
    for u in &t.uniques {
        let name = constraint_prefix(r, u.name.as_deref());
        lines.push((
            format!(
                "{name}UNIQUE ({})",
                r.key_column_list(t, &u.columns, u.name.as_deref().unwrap_or("unique"), cx)
            ),
            None,
        ));
    }
    for ck in &t.checks {
        let name = constraint_prefix(r, ck.name.as_deref());
        match xs.translate(&ck.expr, Place::Check) {
            Ok(e) => lines.push((format!("{name}CHECK ({})", e.trim()), None)),
            Err(why) => cx.warn(
                &format!("{tname}.{}", ck.name.as_deref().unwrap_or("check")),
                format!("CHECK ({}) not created: {why}", ck.expr.trim()),
            ),
        }
    }
    if r.enum_as_check() {
        for c in &t.columns {
            if c.type_overrides.contains_key(&r.dialect()) {
                continue;
            }
            if let LogicalType::Enum(e) = &c.ty
                && let Some(e) = p.enum_type(*e)
            {
                let values = e
                    .values
                    .iter()
                    .map(|v| r.string_literal(v))
                    .collect::<Vec<_>>()
                    .join(", ");
                lines.push((format!("CHECK ({} IN ({values}))", r.ident(&c.name)), None));
            }
        }
    }
    for ix in &t.indexes {
        if let Some(clause) = r.inline_index(t, ix, cx) {
            lines.push((clause, None));
        }
    }
    for fk in fks {
        lines.push((fk_clause(r, fk, cx), None));
    }

    let mut s = String::new();
    if r.comments_as_sql_comments()
        && let Some(c) = &t.comment
    {
        push_comment(&mut s, c);
    }
    s.push_str(&format!(
        "CREATE TABLE {} (\n",
        r.qualified(t.schema.as_deref(), &t.name)
    ));
    let n = lines.len();
    for (i, (def, trailing)) in lines.into_iter().enumerate() {
        s.push_str("  ");
        s.push_str(&def);
        if i + 1 < n {
            s.push(',');
        }
        if let Some(c) = trailing {
            // Comment lines inside the statement survive in sqlite_schema.
            let mut first = true;
            for line in c.lines() {
                if first {
                    s.push_str(" -- ");
                    first = false;
                } else {
                    s.push_str("\n  -- ");
                }
                s.push_str(line.trim_end());
            }
        }
        s.push('\n');
    }
    s.push(')');
    s.push_str(&r.table_options(t));
    s
}

/// One column's definition as `CREATE TABLE` writes it (`name type [NOT NULL] [identity]
/// [DEFAULT ..] [COMMENT ..]`), its trailing SQL comment where the dialect keeps comments
/// that way, and whether the identity clause made it the primary key (SQLite).
pub(crate) fn column_definition(
    r: &dyn DialectRules,
    t: &Table,
    c: &Column,
    keyed: bool,
    xs: &ExprScope,
    cx: &mut Cx,
) -> (String, Option<String>, bool) {
    let obj = format!("{}.{}", t.name, c.name);
    let mut pk_inline = false;
    let ty = column_type(r, t, c, keyed, cx);
    let mut def = format!("{} ", r.ident(&c.name));
    let generated = c.generated.as_ref().and_then(|g| {
        match xs.translate(&g.expr, Place::Generated) {
            Ok(e) => Some(Generated {
                expr: e,
                stored: g.stored,
            }),
            Err(why) => {
                cx.warn(
                    &obj,
                    format!(
                        "generation expression `{}` not exported ({why}); created as a plain column",
                        g.expr.trim()
                    ),
                );
                None
            }
        }
    });
    if let Some(g) = &generated {
        def.push_str(&r.generated_column(&obj, &ty, g, cx));
        if c.default.is_some() {
            cx.warn(
                &obj,
                "a generated column cannot have a default; default dropped",
            );
        }
        if c.identity.is_some() {
            cx.warn(
                &obj,
                "a generated column cannot be an identity; identity dropped",
            );
        }
    } else {
        def.push_str(&ty);
        let identity = c.identity.and_then(|_| r.identity_clause(t, c, cx));
        if identity.is_some() && r.identity_is_primary_key(t, c) {
            pk_inline = true;
        }
        if !c.nullable {
            def.push_str(" NOT NULL");
        }
        if let Some(id) = identity {
            def.push(' ');
            def.push_str(&id);
        }
        if let Some(d) = &c.default {
            if c.identity.is_some() {
                cx.warn(
                    &obj,
                    "an identity column cannot have a default; default dropped",
                );
            } else {
                match xs.translate_default(d, &c.ty) {
                    Ok((d, note)) => {
                        if let Some(note) = note {
                            cx.warn(
                                &obj,
                                format!(
                                    "default `{}`: {note}",
                                    c.default.as_deref().unwrap_or("").trim()
                                ),
                            );
                        }
                        def.push_str(" DEFAULT ");
                        def.push_str(&r.default_expr(&d, c, cx));
                    }
                    Err(why) => cx.warn(&obj, format!("default `{}` dropped: {why}", d.trim())),
                }
            }
        }
        if let Some(u) = c.on_update.as_deref().filter(|_| r.on_update()) {
            match xs.translate(u, Place::Default) {
                Ok(e) => {
                    def.push_str(" ON UPDATE ");
                    def.push_str(&e);
                }
                Err(why) => cx.warn(&obj, format!("ON UPDATE `{}` dropped: {why}", u.trim())),
            }
        }
    }
    if generated.is_some() && !c.nullable {
        def.push_str(" NOT NULL");
    }
    let mut trailing = None;
    if let Some(cm) = &c.comment {
        if let Some(clause) = r.inline_column_comment(cm) {
            def.push(' ');
            def.push_str(&clause);
        } else if r.comments_as_sql_comments() {
            trailing = Some(cm.clone());
        }
    }
    (def, trailing, pk_inline)
}

/// `CONSTRAINT name ` for a named constraint, nothing for an unnamed one.
pub(crate) fn constraint_prefix(r: &dyn DialectRules, name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", r.ident(&fit_name(r.dialect(), n))))
        .unwrap_or_default()
}

/// A constraint or index name the dialect takes: names longer than MySQL's 64 or SQL Server's
/// 128 characters (which they reject) are cut and given a short hash of the whole name, so
/// that two long names sharing a beginning stay apart. The length warning names the object.
pub(crate) fn fit_name(d: Dialect, name: &str) -> std::borrow::Cow<'_, str> {
    match d.max_identifier_len() {
        Some(max) if !rules(d).truncates_long_names() && d.identifier_len(name) > max => {
            let keep: String = name.chars().take(max - 9).collect();
            format!("{keep}{}", super::cut_mark(name)).into()
        }
        _ => name.into(),
    }
}

/// `[CONSTRAINT name] FOREIGN KEY (...) REFERENCES t (...) [ON DELETE ..] [ON UPDATE ..] [DEFERRABLE ..]`
pub(crate) fn fk_clause(r: &dyn DialectRules, fk: &ForeignKey, cx: &mut Cx) -> String {
    let p = cx.project;
    let from = p.table(fk.from_table).expect("fk source exists");
    let to = p.table(fk.to_table).expect("fk target exists");
    let obj = match &fk.name {
        Some(n) => format!("{}.{n}", from.name),
        None => format!("{} -> {}", from.name, to.name),
    };
    let to_cols = fk.target_columns(to);
    let mut s = constraint_prefix(r, fk.name.as_deref());
    s.push_str(&format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        column_list(r, from, &fk.from_columns),
        r.qualified(to.schema.as_deref(), &to.name),
        column_list(r, to, to_cols)
    ));
    // SET NULL on a NOT NULL column can only fail where the engine accepts it: the delete or
    // update is refused, which is what NO ACTION does.
    let not_null = fk
        .from_columns
        .iter()
        .filter_map(|c| from.column(*c))
        .find(|c| !c.nullable)
        .map(|c| c.name.clone());
    let action = |a: FkAction, when: &str, cx: &mut Cx| match (&not_null, a) {
        (Some(col), FkAction::SetNull) if r.set_null_needs_nullable() => {
            cx.warn(
                &obj,
                format!(
                    "{} rejects ON {when} SET NULL on the NOT NULL column `{col}`; written as NO ACTION (the {} fails either way)",
                    r.dialect().display_name(),
                    when.to_lowercase()
                ),
            );
            None
        }
        _ => r.fk_action(a, &obj, cx),
    };
    if let Some(a) = action(fk.on_delete, "DELETE", cx) {
        s.push_str(&format!(" ON DELETE {a}"));
    }
    if let Some(a) = action(fk.on_update, "UPDATE", cx) {
        s.push_str(&format!(" ON UPDATE {a}"));
    }
    if let Some(d) = r.deferrable_clause(fk.deferrable, &obj, cx) {
        s.push(' ');
        s.push_str(&d);
    }
    s
}
