//! Expressions written for a dialect: index parts, translation, and the final lexing check.

use super::*;

/// Warn about index part details the dialect leaves out (prefix lengths, operator classes).
pub(crate) fn index_part_warnings(r: &dyn DialectRules, t: &Table, ix: &Index, cx: &mut Cx) {
    let obj = format!("{}.{}", t.name, ix.name);
    for part in &ix.parts {
        let col = match &part.target {
            IndexTarget::Column(c) => t.column_name(*c),
            IndexTarget::Expr(e) => e.clone(),
        };
        if let Some(n) = part.prefix.filter(|_| !r.index_prefixes()) {
            cx.warn(
                &obj,
                format!(
                    "{} has no index prefix lengths; the whole of `{col}` is indexed instead of its first {n}{}",
                    r.dialect().display_name(),
                    if ix.unique {
                        " (a stricter uniqueness)"
                    } else {
                        ""
                    }
                ),
            );
        }
        if let Some(oc) = part.opclass.as_deref().filter(|_| !r.operator_classes()) {
            cx.warn(
                &obj,
                format!(
                    "{} has no operator classes; `{oc}` on `{col}` left out",
                    r.dialect().display_name()
                ),
            );
        }
    }
}

/// Key parts as the dialect writes them (a primary key or unique constraint is a list of
/// plain column parts).
pub(crate) fn index_parts(
    r: &dyn DialectRules,
    t: &Table,
    parts: &[IndexPart],
    expr: impl Fn(&str) -> String,
) -> Vec<String> {
    parts
        .iter()
        .map(|part| {
            let mut s = match &part.target {
                IndexTarget::Column(c) => r.ident(&t.column_name(*c)),
                IndexTarget::Expr(e) => expr(e),
            };
            if let Some(n) = part.prefix.filter(|_| r.index_prefixes()) {
                s.push_str(&format!("({n})"));
            }
            if let Some(oc) = part.opclass.as_deref().filter(|_| r.operator_classes()) {
                s.push(' ');
                s.push_str(oc);
            }
            match part.order {
                Some(SortOrder::Desc) => s.push_str(" DESC"),
                Some(SortOrder::Asc) => s.push_str(" ASC"),
                None => {}
            }
            s
        })
        .collect()
}

pub(crate) fn has_expr_parts(ix: &Index) -> bool {
    ix.parts
        .iter()
        .any(|p| matches!(p.target, IndexTarget::Expr(_)))
}

/// Refuse expression or query text that would not stay one expression in a `d` script (see
/// [`crate::model::sql_text::check_expression_for`]: MySQL's `#` comments).
pub(crate) fn writable(text: &str, d: Dialect) -> Result<(), String> {
    crate::model::sql_text::check_expression_for(text, d)
        .map_err(|e| format!("cannot be written for {} as it is: {e}", d.display_name()))
}

/// A table's expressions (defaults, checks, generated columns, index expressions and
/// predicates), translated from the dialect the project's expressions are written in
/// (hand-written ones count as PostgreSQL) to the target.
pub(crate) struct ExprScope<'a> {
    r: &'a dyn DialectRules,
    from: Dialect,
    columns: Vec<&'a str>,
}

impl<'a> ExprScope<'a> {
    pub(crate) fn new(r: &'a dyn DialectRules, t: &'a Table, p: &Project) -> Self {
        ExprScope {
            r,
            from: p.settings().expression_dialect.unwrap_or(Dialect::Postgres),
            columns: t.columns.iter().map(|c| c.name.as_str()).collect(),
        }
    }

    fn scope(&self, place: Place) -> expr::Scope<'_> {
        expr::Scope {
            place,
            columns: &self.columns,
        }
    }

    pub(crate) fn translate(&self, e: &str, place: Place) -> Result<String, String> {
        let out = expr::translate_in(e, self.from, self.r.dialect(), self.r, &self.scope(place))?;
        writable(&out, self.r.dialect())?;
        Ok(out)
    }

    /// A default in the target dialect, and a note when it was kept or translated with a
    /// change the user should know about.
    pub(crate) fn translate_default(
        &self,
        e: &str,
        ty: &LogicalType,
    ) -> Result<(String, Option<String>), String> {
        let out = expr::translate_default_noted(
            e,
            ty,
            self.from,
            self.r.dialect(),
            self.r,
            &self.scope(Place::Default),
        )?;
        writable(&out.0, self.r.dialect())?;
        Ok(out)
    }
}

/// `ix` with its expressions and predicate in the target dialect. `Err` is the text kept as a
/// comment when the index cannot be written there (with a warning); a non-unique partial
/// index whose predicate cannot be translated is created without it (with a warning).
pub(crate) fn translate_index<'i>(
    r: &dyn DialectRules,
    t: &Table,
    ix: &'i Index,
    cx: &mut Cx,
) -> Result<std::borrow::Cow<'i, Index>, String> {
    let xs = ExprScope::new(r, t, cx.project);
    if xs.from == r.dialect() {
        return Ok(std::borrow::Cow::Borrowed(ix));
    }
    let obj = format!("{}.{}", t.name, ix.name);
    let skipped = |what: &str, e: &str, why: &str| {
        format!(
            "index {} on {}: {what} `{}` not translated to {}: {why}",
            ix.name,
            t.name,
            e.trim(),
            r.dialect().display_name()
        )
    };
    let mut out = ix.clone();
    for part in &mut out.parts {
        if let IndexTarget::Expr(e) = &mut part.target {
            match xs.translate(e, Place::Index) {
                Ok(s) => *e = s,
                Err(why) => {
                    cx.warn(
                        &obj,
                        format!("index not created: expression `{}`: {why}", e.trim()),
                    );
                    return Err(skipped("expression", e, &why));
                }
            }
        }
    }
    if let Some(w) = &ix.where_clause {
        match xs.translate(w, Place::Index) {
            Ok(s) => out.where_clause = Some(s),
            Err(why) if ix.unique => {
                cx.warn(
                    &obj,
                    format!(
                        "unique index not created: its WHERE `{}` cannot be written ({why}), and without it valid rows would be rejected",
                        w.trim()
                    ),
                );
                return Err(skipped("WHERE", w, &why));
            }
            Err(why) => {
                cx.warn(
                    &obj,
                    format!("index created without its WHERE `{}`: {why}", w.trim()),
                );
                out.where_clause = None;
            }
        }
    }
    Ok(std::borrow::Cow::Owned(out))
}
