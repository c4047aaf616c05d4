//! What every command checks before it changes anything: ids, references, keys, and the SQL
//! text it would paste into DDL (see `model::sql_text`).

use super::*;

pub(super) fn table_has_column(t: &Table, c: ColumnId) -> Result<(), ModelError> {
    t.column(c).map(|_| ()).ok_or(ModelError::NoColumn(t.id, c))
}

pub(super) fn check_columns(t: &Table, cols: &[ColumnId]) -> Result<(), ModelError> {
    cols.iter().try_for_each(|c| table_has_column(t, *c))
}

/// Columns of a key: at least one, each existing, none twice.
pub(super) fn check_key_columns(
    t: &Table,
    cols: &[ColumnId],
    what: &str,
) -> Result<(), ModelError> {
    if cols.is_empty() {
        return Err(ModelError::Invalid(format!("{what} has no columns")));
    }
    check_columns(t, cols)?;
    let distinct: std::collections::BTreeSet<_> = cols.iter().collect();
    if distinct.len() != cols.len() {
        return Err(ModelError::Invalid(format!("{what} lists a column twice")));
    }
    Ok(())
}

/// Every enum a type refers to (also inside arrays) must exist.
pub(crate) fn check_type(p: &Project, ty: &LogicalType) -> Result<(), ModelError> {
    match ty {
        LogicalType::Enum(e) if !p.enums.contains_key(e) => Err(ModelError::Missing("enum", e.0)),
        LogicalType::Array(inner) => check_type(p, inner),
        _ => Ok(()),
    }
}

/// Every id a table carries (its own, its columns', constraints' and indexes').
pub(crate) fn table_ids(t: &Table) -> Vec<u64> {
    std::iter::once(t.id.0)
        .chain(t.columns.iter().map(|c| c.id.0))
        .chain(t.uniques.iter().map(|u| u.id.0))
        .chain(t.checks.iter().map(|c| c.id.0))
        .chain(t.indexes.iter().map(|i| i.id.0))
        .collect()
}

/// A whole table's content must be consistent before it enters the project.
pub(crate) fn validate_table(p: &Project, t: &Table) -> Result<(), ModelError> {
    let ids = table_ids(t);
    let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
    if distinct.len() != ids.len() {
        return Err(ModelError::Invalid(format!(
            "table `{}` uses an id twice",
            t.name
        )));
    }
    for c in &t.columns {
        check_type(p, &c.ty)?;
        check_column_text(c)?;
    }
    for c in &t.checks {
        check_check_text(c)?;
    }
    check_partition_text(t.partition_by.as_ref(), t.partition_of.as_ref())?;
    if let Some(pk) = &t.primary_key {
        check_key_columns(t, &pk.columns, "primary key")?;
    }
    for u in &t.uniques {
        check_key_columns(t, &u.columns, "unique constraint")?;
    }
    for ix in &t.indexes {
        check_index(t, ix)?;
    }
    check_dependencies(t, &t.dependencies)?;
    check_review(t, &t.review)?;
    if let Some(Distribution::Distributed(c)) = t.distribution {
        table_has_column(t, c)?;
    }
    check_stats(t, t.stats.as_ref())
}

pub(super) fn check_dependencies(t: &Table, deps: &[Dependency]) -> Result<(), ModelError> {
    for d in deps {
        if d.rhs.is_empty() {
            return Err(ModelError::Invalid(
                "a dependency needs a column on its right-hand side".into(),
            ));
        }
        check_columns(t, &d.lhs)?;
        check_columns(t, &d.rhs)?;
    }
    Ok(())
}

pub(super) fn check_review(t: &Table, review: &[ReviewComment]) -> Result<(), ModelError> {
    for r in review {
        if let Some(c) = r.column {
            table_has_column(t, c)?;
        }
        if r.text.trim().is_empty() {
            return Err(ModelError::Invalid("a review comment needs text".into()));
        }
    }
    Ok(())
}

pub(super) fn check_stats(t: &Table, stats: Option<&TableStats>) -> Result<(), ModelError> {
    let Some(s) = stats else { return Ok(()) };
    for c in &s.columns {
        table_has_column(t, c.column)?;
        if let Some(f) = c.null_fraction
            && !(0.0..=1.0).contains(&f)
        {
            return Err(ModelError::Invalid(format!(
                "null fraction {f} of `{}` is not between 0 and 1",
                t.column_name(c.column)
            )));
        }
        if let Some(f) = c.most_common
            && !(0.0..=1.0).contains(&f)
        {
            return Err(ModelError::Invalid(format!(
                "most common value's share {f} of `{}` is not between 0 and 1",
                t.column_name(c.column)
            )));
        }
    }
    Ok(())
}

/// A partition's parent must exist, not be the table itself, and not lead back to it.
pub(crate) fn check_partition(p: &Project, t: &Table) -> Result<(), ModelError> {
    let Some(of) = &t.partition_of else {
        return Ok(());
    };
    let mut parent = of.parent;
    for _ in 0..=p.table_count() {
        if parent == t.id {
            return Err(ModelError::Invalid(format!(
                "table `{}` cannot be a partition of itself",
                t.name
            )));
        }
        let pt = p.table(parent).ok_or(ModelError::NoTable(parent))?;
        match &pt.partition_of {
            Some(up) => parent = up.parent,
            None => return Ok(()),
        }
    }
    Err(ModelError::Invalid(format!(
        "the partitions of `{}` form a cycle",
        t.name
    )))
}

/// SQL text of the model that reaches DDL must be one type name or one expression (see
/// [`crate::model::sql_text`]).
pub(super) fn text_ok(
    r: Result<(), String>,
    what: impl FnOnce() -> String,
) -> Result<(), ModelError> {
    r.map_err(|e| ModelError::Invalid(format!("{}: {e}", what())))
}

/// A column's type, per-dialect types, default and generation expression.
pub(crate) fn check_column_text(c: &Column) -> Result<(), ModelError> {
    use crate::model::sql_text::{check_expression, check_native_type};
    let at = || format!("column `{}`", c.name);
    text_ok(crate::model::sql_text::check_type(&c.ty), at)?;
    for o in c.type_overrides.values() {
        text_ok(check_native_type(o), at)?;
    }
    if let Some(d) = &c.default {
        text_ok(check_expression(d), || {
            format!("column `{}` default", c.name)
        })?;
    }
    if let Some(g) = &c.generated {
        text_ok(check_expression(&g.expr), || {
            format!("column `{}` generated expression", c.name)
        })?;
    }
    if let Some(u) = &c.on_update {
        text_ok(check_expression(u), || {
            format!("column `{}` ON UPDATE", c.name)
        })?;
    }
    Ok(())
}

pub(super) fn check_check_text(c: &CheckConstraint) -> Result<(), ModelError> {
    text_ok(crate::model::sql_text::check_expression(&c.expr), || {
        format!("check `{}`", c.name.as_deref().unwrap_or(""))
    })
}

pub(super) fn check_partition_text(
    by: Option<&String>,
    of: Option<&PartitionOf>,
) -> Result<(), ModelError> {
    use crate::model::sql_text::check_expression;
    if let Some(b) = by {
        text_ok(check_expression(b), || "partition clause".to_string())?;
    }
    if let Some(o) = of {
        text_ok(check_expression(&o.bound), || "partition bound".to_string())?;
    }
    Ok(())
}

/// A sequence: valid for PostgreSQL, its owner column existing, its name free among the
/// sequences, tables and views of its schema (they share PostgreSQL's relation namespace).
pub(crate) fn check_sequence(p: &Project, s: &Sequence) -> Result<(), ModelError> {
    s.validate().map_err(ModelError::Invalid)?;
    if let Some(o) = s.owned_by {
        let t = p.table(o.table).ok_or(ModelError::NoTable(o.table))?;
        table_has_column(t, o.column)?;
    }
    let clash = |schema: Option<&str>, name: &str| schema == s.schema.as_deref() && name == s.name;
    if p.sequences()
        .any(|o| o.id != s.id && clash(o.schema.as_deref(), &o.name))
    {
        return Err(ModelError::Invalid(format!(
            "a sequence named `{}` already exists",
            s.qualified_name()
        )));
    }
    if let Some(what) = p
        .tables()
        .find(|t| clash(t.schema.as_deref(), &t.name))
        .map(|_| "table")
        .or_else(|| {
            p.views()
                .find(|v| clash(v.schema.as_deref(), &v.name))
                .map(|_| "view")
        })
    {
        return Err(ModelError::Invalid(format!(
            "sequence `{}`: a {what} has that name (PostgreSQL keeps them in one namespace)",
            s.qualified_name()
        )));
    }
    Ok(())
}

/// A view's query text.
pub(crate) fn check_view_text(v: &View) -> Result<(), ModelError> {
    text_ok(crate::model::sql_text::check_query(&v.sql), || {
        format!("view `{}`", v.name)
    })
}

pub(super) fn check_index(t: &Table, ix: &Index) -> Result<(), ModelError> {
    use crate::model::sql_text::check_expression;
    let at = || format!("index `{}`", ix.name);
    for p in &ix.parts {
        if let IndexTarget::Expr(e) = &p.target {
            text_ok(check_expression(e), at)?;
        }
        if let Some(o) = &p.opclass {
            text_ok(crate::model::sql_text::check_native_type(o), at)?;
        }
    }
    if let Some(w) = &ix.where_clause {
        text_ok(check_expression(w), at)?;
    }
    if let Some(IndexMethod::Other(m)) = &ix.method {
        text_ok(crate::model::sql_text::check_native_type(m), at)?;
    }
    if ix.parts.is_empty() {
        return Err(ModelError::Invalid(format!(
            "index `{}` has no parts",
            ix.name
        )));
    }
    for p in &ix.parts {
        if let IndexTarget::Column(c) = p.target {
            table_has_column(t, c)?;
        }
    }
    check_columns(t, &ix.include)
}

pub(super) fn type_uses_enum(ty: &LogicalType, id: EnumId) -> bool {
    match ty {
        LogicalType::Enum(e) => *e == id,
        LogicalType::Array(inner) => type_uses_enum(inner, id),
        _ => false,
    }
}
