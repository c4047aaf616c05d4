//! What a statement asks of each table it reads: equality and range predicates (WHERE and
//! join conditions, split on AND), ORDER BY / GROUP BY columns, and the columns it
//! references (for covering indexes). Names are resolved to model tables and columns,
//! through aliases and outer queries (correlated subqueries).

use crate::model::{ColumnId, Project, Table, TableId};
use sqlparser::ast::*;
use std::collections::{BTreeSet, HashMap};

/// The needs of one table occurrence (one FROM item) of a statement.
#[derive(Clone, Debug, Default)]
pub(crate) struct Usage {
    pub table: Option<TableId>,
    /// Equality (`=`, `IN`, `IS NULL`, join) columns in the order met.
    pub eq: Vec<ColumnId>,
    pub range: Vec<ColumnId>,
    /// Expressions over this table's columns compared for equality (`lower(email) = ?`),
    /// as SQL text without table qualifiers.
    pub eq_exprs: Vec<String>,
    /// ORDER BY columns when the whole ORDER BY is on this table (with DESC flags).
    pub order: Vec<(ColumnId, bool)>,
    /// GROUP BY columns when the whole GROUP BY is on this table.
    pub group: Vec<ColumnId>,
    pub refs: BTreeSet<ColumnId>,
    /// `*` or `t.*` selected: no covering index.
    pub star: bool,
    /// Constants this occurrence's columns are compared with for equality (`status =
    /// 'open'`, `IN ('a', 'b')`), as SQL literals: a scratch database's synthetic rows hold
    /// them, so the planner sees them as it would in real data.
    pub constants: Vec<(ColumnId, String)>,
}

/// Facts about one workload statement.
#[derive(Clone, Debug, Default)]
pub(crate) struct Facts {
    pub usages: Vec<Usage>,
    /// Lower-case names (table names and aliases) the plan may show, to their tables.
    pub names: HashMap<String, TableId>,
    /// Table written by INSERT/UPDATE/DELETE, with the columns an UPDATE assigns.
    pub written: Option<(TableId, Option<Vec<ColumnId>>)>,
}

impl Facts {
    pub fn tables(&self) -> BTreeSet<TableId> {
        self.usages.iter().filter_map(|u| u.table).collect()
    }
}

struct Binding {
    name: String,
    usage: usize,
}

struct Cx<'a> {
    p: &'a Project,
    by_name: &'a HashMap<String, Vec<TableId>>,
    facts: Facts,
    /// Scopes from outermost to the current one.
    scopes: Vec<Vec<Binding>>,
    /// CTE names in effect (they are not model tables).
    ctes: Vec<String>,
}

/// Index of model tables by lower-case name (and `schema.name`).
pub(crate) fn table_index(p: &Project) -> HashMap<String, Vec<TableId>> {
    let mut m: HashMap<String, Vec<TableId>> = HashMap::new();
    for t in p.tables() {
        m.entry(t.name.to_lowercase()).or_default().push(t.id);
        if let Some(s) = &t.schema {
            m.entry(format!("{}.{}", s.to_lowercase(), t.name.to_lowercase()))
                .or_default()
                .push(t.id);
        }
    }
    m
}

pub(crate) fn facts(
    p: &Project,
    by_name: &HashMap<String, Vec<TableId>>,
    stmt: &Statement,
) -> Facts {
    let mut cx = Cx {
        p,
        by_name,
        facts: Facts::default(),
        scopes: Vec::new(),
        ctes: Vec::new(),
    };
    match stmt {
        Statement::Query(q) => cx.query(q),
        Statement::Update(u) => {
            cx.scopes.push(Vec::new());
            cx.from(std::slice::from_ref(&u.table));
            let target = cx.scopes.last().and_then(|s| s.first()).map(|b| b.usage);
            if let Some(UpdateTableFromKind::BeforeSet(f) | UpdateTableFromKind::AfterSet(f)) =
                &u.from
            {
                cx.from(f);
            }
            let mut assigned = Vec::new();
            for a in &u.assignments {
                let names: Vec<&ObjectName> = match &a.target {
                    AssignmentTarget::ColumnName(n) => vec![n],
                    AssignmentTarget::Tuple(v) => v.iter().collect(),
                };
                for n in names {
                    if let Some(last) = n.0.last().and_then(|p| p.as_ident())
                        && let Some(t) = target.and_then(|u| cx.usage_table(u))
                        && let Some(c) = t.column_by_name_ci(&last.value)
                    {
                        assigned.push(c);
                    }
                }
                cx.refs(&a.value);
            }
            if let Some(w) = &u.selection {
                cx.predicate(w);
            }
            if let Some(t) = target.and_then(|u| cx.facts.usages[u].table) {
                cx.facts.written = Some((t, Some(assigned)));
            }
            cx.scopes.pop();
        }
        Statement::Delete(d) => {
            cx.scopes.push(Vec::new());
            let (FromTable::WithFromKeyword(f) | FromTable::WithoutKeyword(f)) = &d.from;
            cx.from(f);
            let target = cx.scopes.last().and_then(|s| s.first()).map(|b| b.usage);
            if let Some(u) = &d.using {
                cx.from(u);
            }
            if let Some(w) = &d.selection {
                cx.predicate(w);
            }
            if let Some(t) = target.and_then(|u| cx.facts.usages[u].table) {
                cx.facts.written = Some((t, None));
            }
            cx.scopes.pop();
        }
        Statement::Insert(i) => {
            if let TableObject::TableName(n) = &i.table
                && let Some(t) = cx.resolve_table(n)
            {
                cx.facts.written = Some((t, None));
            }
            if let Some(src) = &i.source {
                cx.query(src);
            }
        }
        _ => {}
    }
    cx.facts
}

trait CiColumn {
    fn column_by_name_ci(&self, name: &str) -> Option<ColumnId>;
}

impl CiColumn for Table {
    fn column_by_name_ci(&self, name: &str) -> Option<ColumnId> {
        self.column_by_name(name)
            .or_else(|| {
                self.columns
                    .iter()
                    .find(|c| c.name.eq_ignore_ascii_case(name))
            })
            .map(|c| c.id)
    }
}

/// A resolved column: the usage (FROM item) and the column.
type ColRef = (usize, ColumnId);

impl<'a> Cx<'a> {
    fn usage_table(&self, u: usize) -> Option<&'a Table> {
        self.facts.usages[u].table.and_then(|t| self.p.table(t))
    }

    fn resolve_table(&self, n: &ObjectName) -> Option<TableId> {
        let parts: Vec<String> =
            n.0.iter()
                .filter_map(|p| p.as_ident().map(|i| i.value.to_lowercase()))
                .collect();
        let last = parts.last()?;
        if parts.len() == 1 && self.ctes.contains(last) {
            return None;
        }
        if parts.len() >= 2 {
            let q = format!("{}.{}", parts[parts.len() - 2], last);
            if let Some(v) = self.by_name.get(&q) {
                return v.first().copied();
            }
        }
        self.by_name.get(last).and_then(|v| v.first().copied())
    }

    fn bind(&mut self, name: String, table: Option<TableId>) -> usize {
        let u = self.facts.usages.len();
        self.facts.usages.push(Usage {
            table,
            ..Default::default()
        });
        if let Some(t) = table {
            self.facts.names.entry(name.clone()).or_insert(t);
        }
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(Binding { name, usage: u });
        }
        u
    }

    fn query(&mut self, q: &Query) {
        let pushed = q.with.as_ref().map(|w| {
            for c in &w.cte_tables {
                self.query(&c.query);
                self.ctes.push(c.alias.name.value.to_lowercase());
            }
            w.cte_tables.len()
        });
        let order: Vec<&OrderByExpr> = match q.order_by.as_ref().map(|o| &o.kind) {
            Some(OrderByKind::Expressions(v)) => v.iter().collect(),
            _ => Vec::new(),
        };
        self.set_expr(&q.body, &order);
        if let Some(n) = pushed {
            self.ctes.truncate(self.ctes.len() - n);
        }
    }

    fn set_expr(&mut self, s: &SetExpr, order: &[&OrderByExpr]) {
        match s {
            SetExpr::Select(sel) => self.select(sel, order),
            SetExpr::Query(q) => self.query(q),
            SetExpr::SetOperation { left, right, .. } => {
                self.set_expr(left, &[]);
                self.set_expr(right, &[]);
            }
            _ => {}
        }
    }

    fn from(&mut self, from: &[TableWithJoins]) {
        for twj in from {
            self.factor(&twj.relation);
            for j in &twj.joins {
                self.factor(&j.relation);
                let c = match &j.join_operator {
                    JoinOperator::Join(c)
                    | JoinOperator::Inner(c)
                    | JoinOperator::Left(c)
                    | JoinOperator::LeftOuter(c)
                    | JoinOperator::Right(c)
                    | JoinOperator::RightOuter(c)
                    | JoinOperator::FullOuter(c)
                    | JoinOperator::CrossJoin(c)
                    | JoinOperator::Semi(c)
                    | JoinOperator::LeftSemi(c)
                    | JoinOperator::RightSemi(c)
                    | JoinOperator::Anti(c)
                    | JoinOperator::LeftAnti(c)
                    | JoinOperator::RightAnti(c)
                    | JoinOperator::StraightJoin(c) => Some(c),
                    JoinOperator::AsOf { constraint, .. } => Some(constraint),
                    _ => None,
                };
                match c {
                    Some(JoinConstraint::On(e)) => self.predicate(e),
                    Some(JoinConstraint::Using(cols)) => {
                        for n in cols {
                            if let Some(i) = n.0.last().and_then(|p| p.as_ident()) {
                                let name = i.value.clone();
                                self.using_column(&name);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// `JOIN t USING (c)`: equality on `c` in the joined table and every earlier one having it.
    fn using_column(&mut self, name: &str) {
        let Some(scope) = self.scopes.last() else {
            return;
        };
        let hits: Vec<ColRef> = scope
            .iter()
            .filter_map(|b| {
                let t = self.usage_table(b.usage)?;
                Some((b.usage, t.column_by_name_ci(name)?))
            })
            .collect();
        for (u, c) in hits {
            self.add_eq(u, c);
        }
    }

    fn factor(&mut self, f: &TableFactor) {
        match f {
            TableFactor::Table { name, alias, .. } => {
                let t = self.resolve_table(name);
                let bname = match alias {
                    Some(a) => a.name.value.to_lowercase(),
                    None => name
                        .0
                        .last()
                        .and_then(|p| p.as_ident())
                        .map(|i| i.value.to_lowercase())
                        .unwrap_or_default(),
                };
                if let Some(t) = t {
                    // The plan may show the table's own name too.
                    if let Some(tt) = self.p.table(t) {
                        self.facts.names.entry(tt.name.to_lowercase()).or_insert(t);
                    }
                }
                self.bind(bname, t);
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                self.query_in_new_scope(subquery);
                if let Some(a) = alias {
                    self.bind(a.name.value.to_lowercase(), None);
                }
            }
            TableFactor::NestedJoin {
                table_with_joins, ..
            } => self.from(std::slice::from_ref(table_with_joins)),
            _ => {}
        }
    }

    /// A subquery: its own scope, seeing the enclosing ones.
    fn query_in_new_scope(&mut self, q: &Query) {
        self.query(q);
    }

    fn select(&mut self, s: &Select, order: &[&OrderByExpr]) {
        self.scopes.push(Vec::new());
        self.from(&s.from);
        for item in &s.projection {
            match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    self.refs(e)
                }
                SelectItem::Wildcard(_) => {
                    let us: Vec<usize> = self
                        .scopes
                        .last()
                        .unwrap()
                        .iter()
                        .map(|b| b.usage)
                        .collect();
                    for u in us {
                        self.facts.usages[u].star = true;
                    }
                }
                SelectItem::QualifiedWildcard(
                    SelectItemQualifiedWildcardKind::ObjectName(n),
                    _,
                ) => {
                    let q =
                        n.0.last()
                            .and_then(|p| p.as_ident())
                            .map(|i| i.value.to_lowercase())
                            .unwrap_or_default();
                    let us: Vec<usize> = self
                        .scopes
                        .last()
                        .unwrap()
                        .iter()
                        .filter(|b| b.name == q)
                        .map(|b| b.usage)
                        .collect();
                    for u in us {
                        self.facts.usages[u].star = true;
                    }
                }
                _ => {}
            }
        }
        if let Some(w) = &s.selection {
            self.predicate(w);
        }
        if let GroupByExpr::Expressions(exprs, _) = &s.group_by
            && !exprs.is_empty()
        {
            let cols: Vec<Option<ColRef>> = exprs.iter().map(|e| self.column(e)).collect();
            for e in exprs {
                self.refs(e);
            }
            if let Some(first) = cols.first().copied().flatten()
                && cols.iter().all(|c| c.is_some_and(|c| c.0 == first.0))
            {
                let g: Vec<ColumnId> = cols.iter().map(|c| c.unwrap().1).collect();
                self.facts.usages[first.0].group = g;
            }
        }
        if let Some(h) = &s.having {
            self.refs(h);
        }
        if !order.is_empty() {
            let cols: Vec<Option<ColRef>> = order.iter().map(|o| self.column(&o.expr)).collect();
            for o in order {
                self.refs(&o.expr);
            }
            if let Some(first) = cols.first().copied().flatten()
                && cols.iter().all(|c| c.is_some_and(|c| c.0 == first.0))
            {
                let v: Vec<(ColumnId, bool)> = cols
                    .iter()
                    .zip(order)
                    .map(|(c, o)| {
                        (
                            c.unwrap().1,
                            matches!(o.options.sort, Some(OrderBySort::Desc)),
                        )
                    })
                    .collect();
                self.facts.usages[first.0].order = v;
            }
        }
        self.scopes.pop();
    }

    /// Resolve a column reference, innermost scope first.
    fn column(&self, e: &Expr) -> Option<ColRef> {
        match e {
            Expr::Nested(inner) => self.column(inner),
            Expr::Identifier(i) => {
                for scope in self.scopes.iter().rev() {
                    let hits: Vec<ColRef> = scope
                        .iter()
                        .filter_map(|b| {
                            let t = self.usage_table(b.usage)?;
                            Some((b.usage, t.column_by_name_ci(&i.value)?))
                        })
                        .collect();
                    if hits.len() == 1 {
                        return Some(hits[0]);
                    }
                    if hits.len() > 1 {
                        return None;
                    }
                }
                None
            }
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                let q = parts[parts.len() - 2].value.to_lowercase();
                let c = &parts[parts.len() - 1].value;
                for scope in self.scopes.iter().rev() {
                    if let Some(b) = scope.iter().find(|b| b.name == q) {
                        let t = self.usage_table(b.usage)?;
                        return Some((b.usage, t.column_by_name_ci(c)?));
                    }
                }
                None
            }
            _ => None,
        }
    }

    fn add_eq(&mut self, u: usize, c: ColumnId) {
        let us = &mut self.facts.usages[u];
        if !us.eq.contains(&c) {
            us.eq.push(c);
        }
        us.refs.insert(c);
    }

    fn add_range(&mut self, u: usize, c: ColumnId) {
        let us = &mut self.facts.usages[u];
        if !us.range.contains(&c) {
            us.range.push(c);
        }
        us.refs.insert(c);
    }

    /// Usages an expression refers to (to tell `a.x = 5` from `a.x = a.y`).
    fn usages_of(&self, e: &Expr, out: &mut BTreeSet<usize>) {
        if let Some((u, _)) = self.column(e) {
            out.insert(u);
            return;
        }
        match e {
            Expr::BinaryOp { left, right, .. } => {
                self.usages_of(left, out);
                self.usages_of(right, out);
            }
            Expr::UnaryOp { expr, .. }
            | Expr::Nested(expr)
            | Expr::Cast { expr, .. }
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr) => self.usages_of(expr, out),
            Expr::Function(f) => {
                for x in arg_exprs(f) {
                    self.usages_of(x, out);
                }
            }
            _ => {}
        }
    }

    /// A WHERE or ON condition: AND-split, each conjunct classified.
    fn predicate(&mut self, e: &Expr) {
        match e {
            Expr::Nested(inner) => self.predicate(inner),
            Expr::BinaryOp {
                left,
                op: BinaryOperator::And,
                right,
            } => {
                self.predicate(left);
                self.predicate(right);
            }
            Expr::BinaryOp { left, op, right } => {
                let is_eq = matches!(op, BinaryOperator::Eq);
                let is_range = matches!(
                    op,
                    BinaryOperator::Lt
                        | BinaryOperator::LtEq
                        | BinaryOperator::Gt
                        | BinaryOperator::GtEq
                );
                if is_eq || is_range {
                    let l = self.column(left);
                    let r = self.column(right);
                    let mut lu = BTreeSet::new();
                    self.usages_of(left, &mut lu);
                    let mut ru = BTreeSet::new();
                    self.usages_of(right, &mut ru);
                    if let Some((u, c)) = l
                        && !ru.contains(&u)
                    {
                        if is_eq {
                            self.add_eq(u, c)
                        } else {
                            self.add_range(u, c)
                        }
                    }
                    if let Some((u, c)) = r
                        && !lu.contains(&u)
                    {
                        if is_eq {
                            self.add_eq(u, c)
                        } else {
                            self.add_range(u, c)
                        }
                    }
                    if is_eq {
                        self.eq_expr(left, l, &lu, &ru);
                        self.eq_expr(right, r, &ru, &lu);
                        for (col, other) in [(l, right), (r, left)] {
                            if let (Some((u, c)), Expr::Value(v)) = (col, other.as_ref())
                                && !matches!(v.value, Value::Placeholder(_))
                            {
                                self.facts.usages[u].constants.push((c, v.to_string()));
                            }
                        }
                    }
                }
                self.refs(left);
                self.refs(right);
            }
            Expr::Between {
                expr,
                negated: false,
                low,
                high,
            } => {
                if let Some((u, c)) = self.column(expr) {
                    self.add_range(u, c);
                }
                self.refs(expr);
                self.refs(low);
                self.refs(high);
            }
            Expr::In {
                expr,
                negated: false,
                target,
                ..
            } => {
                if let Some((u, c)) = self.column(expr) {
                    self.add_eq(u, c);
                    if let InTarget::List(list) = target {
                        for v in list {
                            if let Expr::Value(v) = v
                                && !matches!(v.value, Value::Placeholder(_))
                            {
                                self.facts.usages[u].constants.push((c, v.to_string()));
                            }
                        }
                    }
                }
                self.refs(e);
            }
            Expr::IsNull(expr) => {
                if let Some((u, c)) = self.column(expr) {
                    self.add_eq(u, c);
                }
                self.refs(e);
            }
            _ => self.refs(e),
        }
    }

    /// `side = other` where `side` is an expression (not a plain column) over one table
    /// occurrence that `other` does not read: an expression index candidate.
    fn eq_expr(
        &mut self,
        side: &Expr,
        col: Option<ColRef>,
        side_usages: &BTreeSet<usize>,
        other_usages: &BTreeSet<usize>,
    ) {
        if col.is_some() || side_usages.len() != 1 {
            return;
        }
        let mut inner = side;
        while let Expr::Nested(x) = inner {
            inner = x;
        }
        if !matches!(
            inner,
            Expr::Function(_) | Expr::BinaryOp { .. } | Expr::Cast { .. } | Expr::UnaryOp { .. }
        ) {
            return;
        }
        let u = *side_usages.iter().next().unwrap();
        if other_usages.contains(&u) {
            return;
        }
        if let Some(x) = unqualified(inner) {
            let text = x.to_string();
            let us = &mut self.facts.usages[u];
            if !us.eq_exprs.contains(&text) {
                us.eq_exprs.push(text);
            }
        }
    }

    /// Record every column an expression reads and walk its subqueries.
    fn refs(&mut self, e: &Expr) {
        if let Some((u, c)) = self.column(e) {
            self.facts.usages[u].refs.insert(c);
            return;
        }
        match e {
            Expr::BinaryOp { left, right, .. } => {
                self.refs(left);
                self.refs(right);
            }
            Expr::UnaryOp { expr, .. }
            | Expr::Nested(expr)
            | Expr::Cast { expr, .. }
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr)
            | Expr::IsTrue(expr)
            | Expr::IsFalse(expr)
            | Expr::Collate { expr, .. } => self.refs(expr),
            Expr::Between {
                expr, low, high, ..
            } => {
                self.refs(expr);
                self.refs(low);
                self.refs(high);
            }
            Expr::Like { expr, pattern, .. }
            | Expr::ILike { expr, pattern, .. }
            | Expr::SimilarTo { expr, pattern, .. } => {
                self.refs(expr);
                self.refs(pattern);
            }
            Expr::In { expr, target, .. } => {
                self.refs(expr);
                match target {
                    InTarget::List(v) => {
                        for x in v {
                            self.refs(x);
                        }
                    }
                    InTarget::Subquery(q) => self.query_in_new_scope(q),
                    _ => {}
                }
            }
            Expr::Exists { subquery, .. } | Expr::Subquery(subquery) => {
                self.query_in_new_scope(subquery)
            }
            Expr::Function(f) => {
                for x in arg_exprs(f) {
                    self.refs(x);
                }
                if let FunctionArguments::Subquery(q) = &f.args {
                    self.query_in_new_scope(q);
                }
            }
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                if let Some(o) = operand {
                    self.refs(o);
                }
                for w in conditions {
                    self.refs(&w.condition);
                    self.refs(&w.result);
                }
                if let Some(x) = else_result {
                    self.refs(x);
                }
            }
            Expr::Tuple(v) => {
                for x in v {
                    self.refs(x);
                }
            }
            _ => {}
        }
    }
}

/// `e` with table qualifiers dropped (`lower(c.email)` -> `lower(email)`), for an index
/// expression; `None` for anything an index cannot hold or this does not handle
/// (subqueries, window functions, ...).
fn unqualified(e: &Expr) -> Option<Expr> {
    Some(match e {
        Expr::Identifier(_) | Expr::Value(_) => e.clone(),
        Expr::CompoundIdentifier(parts) => Expr::Identifier(parts.last()?.clone()),
        Expr::Nested(x) => Expr::Nested(Box::new(unqualified(x)?)),
        Expr::UnaryOp { op, expr } => Expr::UnaryOp {
            op: *op,
            expr: Box::new(unqualified(expr)?),
        },
        Expr::BinaryOp { left, op, right } => Expr::BinaryOp {
            left: Box::new(unqualified(left)?),
            op: op.clone(),
            right: Box::new(unqualified(right)?),
        },
        Expr::Cast { .. } => {
            let mut c = e.clone();
            if let Expr::Cast { expr, .. } = &mut c {
                **expr = unqualified(expr)?;
            }
            c
        }
        Expr::Function(f) => {
            if f.over.is_some() || f.filter.is_some() {
                return None;
            }
            let mut f2 = f.clone();
            match &mut f2.args {
                FunctionArguments::List(l) => {
                    for a in &mut l.args {
                        match a {
                            FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => *x = unqualified(x)?,
                            _ => return None,
                        }
                    }
                }
                FunctionArguments::None => {}
                FunctionArguments::Subquery(_) => return None,
            }
            Expr::Function(f2)
        }
        _ => return None,
    })
}

/// The expression arguments of a function call (positional and named).
fn arg_exprs(f: &sqlparser::ast::Function) -> impl Iterator<Item = &Expr> {
    let args = match &f.args {
        FunctionArguments::List(l) => l.args.as_slice(),
        _ => &[],
    };
    args.iter().filter_map(|a| match a {
        FunctionArg::Unnamed(FunctionArgExpr::Expr(x))
        | FunctionArg::Named {
            arg: FunctionArgExpr::Expr(x),
            ..
        } => Some(x),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogicalType;
    use crate::model::builder::ProjectBuilder;

    fn project() -> Project {
        let mut b = ProjectBuilder::new("f");
        for (name, cols) in [
            ("orders", &["id", "customer_id", "status", "placed_at"][..]),
            ("customers", &["id", "email", "country"][..]),
        ] {
            b.table(name, |t| {
                t.col("id", LogicalType::BigInt).pk();
                for c in &cols[1..] {
                    t.col(c, LogicalType::Integer);
                }
            });
        }
        b.build()
    }

    fn facts_of(p: &Project, sql: &str) -> Facts {
        let stmt = Parser::parse_sql(&SQLiteDialect {}, sql).unwrap().remove(0);
        facts(p, &table_index(p), &stmt)
    }

    fn names(p: &Project, t: TableId, cols: &[ColumnId]) -> Vec<String> {
        let t = p.table(t).unwrap();
        cols.iter().map(|c| t.column_name(*c)).collect()
    }

    use sqlparser::dialect::SQLiteDialect;
    use sqlparser::parser::Parser;

    #[test]
    fn aliases_joins_correlation_order_and_group() {
        let p = project();
        let o = p.table_by_name(None, "orders").unwrap().id;
        let c = p.table_by_name(None, "customers").unwrap().id;
        let f = facts_of(
            &p,
            "WITH recent AS (SELECT * FROM orders WHERE placed_at > 5) \
             SELECT o.status FROM orders o JOIN customers cu ON cu.id = o.customer_id \
             WHERE cu.country = 'FR' AND o.status IN (1, 2) AND EXISTS \
             (SELECT 1 FROM orders o2 WHERE o2.customer_id = cu.id AND o2.placed_at >= 3) \
             ORDER BY o.placed_at DESC",
        );
        assert_eq!(f.names.get("o"), Some(&o));
        assert_eq!(f.names.get("cu"), Some(&c));
        assert!(!f.names.contains_key("recent"));
        let by = |alias_table: TableId, eq: &[&str]| {
            f.usages
                .iter()
                .any(|u| u.table == Some(alias_table) && names(&p, alias_table, &u.eq) == eq)
        };
        // The CTE's range, the join (both sides), IN, the correlated subquery.
        assert!(f.usages.iter().any(|u| u.table == Some(o)
            && names(&p, o, &u.range) == ["placed_at"]
            && u.eq.is_empty()));
        assert!(by(o, &["customer_id", "status"]));
        assert!(by(c, &["id", "country"]));
        let o2 = f
            .usages
            .iter()
            .find(|u| u.table == Some(o) && names(&p, o, &u.eq) == ["customer_id"])
            .unwrap();
        assert_eq!(names(&p, o, &o2.range), ["placed_at"]);
        let main = f
            .usages
            .iter()
            .find(|u| u.table == Some(o) && !u.order.is_empty())
            .unwrap();
        assert_eq!(main.order.len(), 1);
        assert!(main.order[0].1, "DESC kept");
        assert!(!main.star);

        let g = facts_of(
            &p,
            "SELECT country, count(*) FROM customers GROUP BY country",
        );
        assert_eq!(names(&p, c, &g.usages[0].group), ["country"]);
        let u = facts_of(&p, "UPDATE orders SET status = 3 WHERE customer_id = 9");
        let (t, assigned) = u.written.clone().unwrap();
        assert_eq!(t, o);
        assert_eq!(names(&p, o, &assigned.unwrap()), ["status"]);
        assert_eq!(names(&p, o, &u.usages[0].eq), ["customer_id"]);
        let s = facts_of(&p, "SELECT * FROM orders JOIN customers USING (id)");
        assert!(
            s.usages
                .iter()
                .all(|u| u.star && names(&p, u.table.unwrap(), &u.eq) == ["id"])
        );
    }
}
