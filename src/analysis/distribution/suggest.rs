//! The distribution planner (Model ▸ Plan distribution…, `crowfoot check --distribution`):
//! a role for every table, read from the foreign-key graph alone.
//!
//! 1. **The key.** For every column name `K`, follow foreign keys that keep `K` (`x.K ->
//!    y.K`, as in composite keys `(tenant_id, x_id) -> (tenant_id, id)`) back from a *root*:
//!    a table some `K` column references under another name (`tenants.id`). The name and
//!    root reached from the most tables win (ties: tables whose primary or unique key holds
//!    `K`, as `(tenant_id, id)` does and a lookup reference such as `currency` does not, then
//!    tables holding `K`, then the usual names of [`KEY_NAMES`], then the name itself), so the
//!    plan does not depend on table order.
//! 2. **Distributed.** Every table with a `K` column, by it; the root by the column `K`
//!    references, so each tenant's root row sits on the same node as the tenant's rows.
//! 3. **Reference.** A table without `K` that a distributed (or reference) table references
//!    must be copied to every node for the foreign key to hold there, if it is small: at
//!    most [`REFERENCE_MAX_ROWS`] rows by its estimates, or, without estimates, a lookup
//!    shape (few columns, or referenced from several tables). It may not reference a
//!    distributed table itself.
//! 4. **Local.** The rest.
//!
//! Stored roles are kept and the rest is planned around them. Every role carries its reason.

use super::{Plan, PlanError, Planned};
use crate::model::{ColumnId, Distribution, ForeignKey, Project, Table, TableId};
use std::collections::{BTreeMap, BTreeSet};

/// Column names of distribution keys in the usual multi-tenant designs, preferred on ties.
pub const KEY_NAMES: &[&str] = &[
    "tenant_id",
    "account_id",
    "org_id",
    "organization_id",
    "company_id",
    "customer_id",
    "workspace_id",
];

/// The most rows a suggested reference table has by its estimates: every node holds a copy
/// and every write goes to all of them.
pub const REFERENCE_MAX_ROWS: u64 = 100_000;

/// Without estimates, a table of at most this many columns looks like a lookup table.
const LOOKUP_MAX_COLUMNS: usize = 10;

/// The suggested plan for `p` with no role stored (what Model ▸ Plan distribution… offers
/// for a table the user has not planned, and what `--key` changes).
pub fn suggest(p: &Project, key: Option<&str>) -> Result<Plan, PlanError> {
    plan(p, key, false)
}

/// The plan: stored roles when `keep_stored`, the suggestion for every other table.
pub(super) fn plan(p: &Project, key: Option<&str>, keep_stored: bool) -> Result<Plan, PlanError> {
    let (key, root) = match key {
        Some(k) => {
            if !p.tables().any(|t| t.column_by_name(k).is_some()) {
                return Err(PlanError::UnknownKey {
                    key: k.to_string(),
                    close: closest_column(p, k),
                });
            }
            (Some(k.to_string()), best_root(p, k).map(|r| r.root))
        }
        None => match find_key(p) {
            Some((k, r)) => (Some(k), Some(r.root)),
            None => (None, None),
        },
    };
    let mut roles: BTreeMap<TableId, Planned> = BTreeMap::new();
    if keep_stored {
        for t in p.tables() {
            if let Some(role) = t.distribution {
                roles.insert(t.id, planned(t, role, true, "stored in the project".into()));
            }
        }
    }
    // Distributed: the tables holding the key, and the root by what the key references.
    if let Some(k) = &key {
        let root_col = root.and_then(|r| best_root(p, k).filter(|b| b.root == r));
        for t in p.tables() {
            if roles.contains_key(&t.id) {
                continue;
            }
            if let Some(c) = t.column_by_name(k) {
                let why = format!("holds {k}, the distribution key");
                roles.insert(
                    t.id,
                    planned(t, Distribution::Distributed(c.id), false, why),
                );
            } else if let Some(r) = root_col.as_ref().filter(|r| r.root == t.id) {
                let why = format!(
                    "root of {k} ({} tables reach it): distributed by the column {k} references, \
                     so each root row sits with the rows that point at it",
                    r.reached
                );
                let role = Distribution::Distributed(r.column);
                roles.insert(t.id, planned(t, role, false, why));
            }
        }
    }
    // Reference: what distributed and reference tables point at, until nothing changes.
    let mut changed = true;
    while changed {
        changed = false;
        for t in p.tables() {
            if roles.contains_key(&t.id) {
                continue;
            }
            if let Some(why) = reference_reason(p, t, &roles) {
                roles.insert(t.id, planned(t, Distribution::Reference, false, why));
                changed = true;
            }
        }
    }
    let locals: Vec<Planned> = p
        .tables()
        .filter(|t| !roles.contains_key(&t.id))
        .map(|t| {
            let why = local_reason(p, t, key.as_deref(), &roles);
            planned(t, Distribution::Local, false, why)
        })
        .collect();
    roles.extend(locals.into_iter().map(|x| (x.table, x)));
    let tables = roles.into_values().collect();
    Ok(Plan { key, root, tables })
}

fn planned(t: &Table, role: Distribution, stored: bool, reason: String) -> Planned {
    Planned {
        table: t.id,
        role,
        stored,
        reason,
    }
}

/// Tables referencing `t` by a foreign key (not `t` itself), each once, in id order.
fn referrers(p: &Project, t: TableId) -> BTreeSet<TableId> {
    p.foreign_keys_to(t)
        .into_iter()
        .map(|fk| fk.from_table)
        .filter(|f| *f != t)
        .collect()
}

fn name_list(p: &Project, ids: impl IntoIterator<Item = TableId>) -> String {
    let names: Vec<String> = ids
        .into_iter()
        .filter_map(|id| p.table(id).map(|t| t.qualified_name()))
        .collect();
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{}, … ({n} tables)", names[..3].join(", ")),
    }
}

/// Why `t` should be a reference table, if it should: a distributed or reference table
/// references it, it references no distributed table, and it is small.
fn reference_reason(p: &Project, t: &Table, roles: &BTreeMap<TableId, Planned>) -> Option<String> {
    let role = |id: TableId| roles.get(&id).map(|x| x.role);
    let points_at_shard = p
        .foreign_keys_from(t.id)
        .iter()
        .any(|fk| matches!(role(fk.to_table), Some(Distribution::Distributed(_))));
    if points_at_shard {
        return None;
    }
    let from = referrers(p, t.id);
    let sharded: Vec<TableId> = from
        .iter()
        .copied()
        .filter(|f| {
            matches!(
                role(*f),
                Some(Distribution::Distributed(_) | Distribution::Reference)
            )
        })
        .collect();
    if sharded.is_empty() {
        return None;
    }
    let size = match t.stats.as_ref().and_then(|s| s.rows) {
        Some(rows) if rows > REFERENCE_MAX_ROWS => return None,
        Some(rows) => format!("{rows} rows by its estimates"),
        None if t.columns.len() <= LOOKUP_MAX_COLUMNS => {
            format!("a lookup shape ({} columns)", t.columns.len())
        }
        None if from.len() >= 2 => format!("referenced from {} tables", from.len()),
        None => return None,
    };
    Some(format!(
        "referenced by {} and small ({size}): copied to every node so the foreign keys hold \
         on each",
        name_list(p, sharded)
    ))
}

/// Why `t` stays local (no rule made it distributed or reference).
fn local_reason(
    p: &Project,
    t: &Table,
    key: Option<&str>,
    roles: &BTreeMap<TableId, Planned>,
) -> String {
    let Some(k) = key else {
        return "no distribution key found in the foreign-key graph".into();
    };
    let sharded = |id: &TableId| {
        matches!(
            roles.get(id).map(|x| x.role),
            Some(Distribution::Distributed(_) | Distribution::Reference)
        )
    };
    let from: Vec<TableId> = referrers(p, t.id).into_iter().filter(sharded).collect();
    if from.is_empty() {
        return format!("no {k}, and no distributed or reference table references it");
    }
    let by = name_list(p, from);
    let to_shard = p
        .foreign_keys_from(t.id)
        .iter()
        .map(|fk| fk.to_table)
        .find(|to| {
            matches!(
                roles.get(to).map(|x| x.role),
                Some(Distribution::Distributed(_))
            )
        });
    if let Some(to) = to_shard {
        return format!(
            "no {k}; referenced by {by} but it references the distributed {}, which a reference \
             table may not: consider adding {k} and distributing it",
            name_list(p, [to])
        );
    }
    match t.stats.as_ref().and_then(|s| s.rows) {
        Some(rows) => format!(
            "no {k}; referenced by {by} but too big for a reference table ({rows} rows > \
             {REFERENCE_MAX_ROWS}): consider adding {k} and distributing it"
        ),
        None => format!(
            "no {k}; referenced by {by} but wide ({} columns) and without a row estimate: \
             enter its rows if it is small enough to copy to every node",
            t.columns.len()
        ),
    }
}

/// A root of key `K`: the table, the column `K` references there, and how many tables
/// reach it through foreign keys that keep `K`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Root {
    root: TableId,
    column: ColumnId,
    reached: usize,
}

/// The (column name, position) pairs of a foreign key: `(from column name, to column)`.
fn pairs<'a>(p: &'a Project, fk: &'a ForeignKey) -> Vec<(&'a str, ColumnId)> {
    let (Some(from), Some(to)) = (p.table(fk.from_table), p.table(fk.to_table)) else {
        return Vec::new();
    };
    fk.from_columns
        .iter()
        .zip(fk.target_columns(to))
        .filter_map(|(f, t)| Some((from.column(*f)?.name.as_str(), *t)))
        .collect()
}

/// The best root of key `k`, if any foreign key carries a `k` column to a column of another
/// name.
fn best_root(p: &Project, k: &str) -> Option<Root> {
    let mut candidates: BTreeSet<(TableId, ColumnId)> = BTreeSet::new();
    for fk in p.foreign_keys() {
        let Some(to) = p.table(fk.to_table) else {
            continue;
        };
        for (name, target) in pairs(p, fk) {
            if name == k && to.column(target).is_some_and(|c| c.name != k) {
                candidates.insert((to.id, target));
            }
        }
    }
    candidates
        .into_iter()
        .map(|(root, column)| Root {
            root,
            column,
            reached: reached(p, k, root, column),
        })
        // Most reached first; on a tie the lowest id (the min of a reversed key).
        .max_by_key(|r| (r.reached, std::cmp::Reverse(r.root)))
}

/// How many tables reach `root.column` by foreign keys that keep the name `k`.
fn reached(p: &Project, k: &str, root: TableId, column: ColumnId) -> usize {
    let mut seen: BTreeSet<TableId> = BTreeSet::from([root]);
    let mut todo = vec![root];
    while let Some(t) = todo.pop() {
        let Some(table) = p.table(t) else { continue };
        for fk in p.foreign_keys_to(t) {
            let keeps = pairs(p, fk).into_iter().any(|(name, target)| {
                name == k
                    && if t == root {
                        target == column
                    } else {
                        table.column(target).is_some_and(|c| c.name == k)
                    }
            });
            if keeps && seen.insert(fk.from_table) {
                todo.push(fk.from_table);
            }
        }
    }
    seen.len() - 1
}

/// The distribution key the graph suggests and its root.
fn find_key(p: &Project) -> Option<(String, Root)> {
    let names: BTreeSet<&str> = p
        .tables()
        .flat_map(|t| t.columns.iter().map(|c| c.name.as_str()))
        .collect();
    let holding = |k: &str| p.tables().filter(|t| t.column_by_name(k).is_some()).count();
    // A tenant key is part of its tables' keys ((tenant_id, id)); a lookup reference
    // (currency -> currencies) is not.
    let keyed = |k: &str| {
        p.tables()
            .filter(|t| {
                t.column_by_name(k).is_some_and(|c| {
                    t.is_pk_column(c.id) || t.uniques.iter().any(|u| u.columns.contains(&c.id))
                })
            })
            .count()
    };
    let known = |k: &str| {
        KEY_NAMES
            .iter()
            .position(|n| *n == k)
            .unwrap_or(KEY_NAMES.len())
    };
    names
        .into_iter()
        .filter_map(|k| best_root(p, k).map(|r| (k, r)))
        .filter(|(_, r)| r.reached >= 1)
        // Most reached, then most often in a key, then most holding, then a usual name, then
        // the first name.
        .max_by(|(a, ra), (b, rb)| {
            (ra.reached, keyed(a), holding(a))
                .cmp(&(rb.reached, keyed(b), holding(b)))
                .then(known(b).cmp(&known(a)))
                .then(b.cmp(a))
        })
        .map(|(k, r)| (k.to_string(), r))
}

/// The column name closest to `key` (for "did you mean").
fn closest_column(p: &Project, key: &str) -> Option<String> {
    let names: BTreeSet<&str> = p
        .tables()
        .flat_map(|t| t.columns.iter().map(|c| c.name.as_str()))
        .collect();
    names
        .into_iter()
        .map(|n| {
            (
                strsim::jaro_winkler(&n.to_lowercase(), &key.to_lowercase()),
                n,
            )
        })
        .filter(|(s, _)| *s >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
        .map(|(_, n)| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::import::import_sql;

    fn project(sql: &str) -> Project {
        import_sql(sql, Some(crate::model::Dialect::Postgres)).project
    }

    fn roles(p: &Project, plan: &Plan) -> Vec<(String, String)> {
        plan.tables
            .iter()
            .map(|x| {
                let t = p.table(x.table).unwrap();
                (t.name.clone(), Plan::describe(x.role, t))
            })
            .collect()
    }

    #[test]
    fn key_root_reference_and_local() {
        let p = project(
            "CREATE TABLE countries (code char(2) PRIMARY KEY, name text);
             CREATE TABLE accounts (id bigint PRIMARY KEY, country char(2) REFERENCES countries);
             CREATE TABLE users (account_id bigint NOT NULL REFERENCES accounts (id), id bigint, country char(2) REFERENCES countries, PRIMARY KEY (account_id, id));
             CREATE TABLE posts (account_id bigint NOT NULL, id bigint, user_id bigint, PRIMARY KEY (account_id, id), FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id));
             CREATE TABLE settings (name text PRIMARY KEY, value text);",
        );
        let plan = suggest(&p, None).unwrap();
        assert_eq!(plan.key.as_deref(), Some("account_id"));
        assert_eq!(
            roles(&p, &plan),
            [
                ("countries", "reference"),
                ("accounts", "distributed by id"),
                ("users", "distributed by account_id"),
                ("posts", "distributed by account_id"),
                ("settings", "local"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        // Deterministic.
        assert_eq!(plan, suggest(&p, None).unwrap());
    }

    #[test]
    fn forced_key_and_unknown_key() {
        let p = project(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
             CREATE TABLE a (tenant_id bigint REFERENCES tenants (id), id bigint PRIMARY KEY);",
        );
        let plan = suggest(&p, Some("id")).unwrap();
        assert_eq!(plan.key.as_deref(), Some("id"));
        assert_eq!(plan.root, None);
        let e = suggest(&p, Some("tenant_ld")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no table has a column \"tenant_ld\" (did you mean \"tenant_id\"?)"
        );
    }

    #[test]
    fn big_tables_are_not_reference_tables() {
        let mut p = project(
            "CREATE TABLE tenants (id bigint PRIMARY KEY);
             CREATE TABLE products (id bigint PRIMARY KEY, name text);
             CREATE TABLE orders (tenant_id bigint NOT NULL REFERENCES tenants (id), id bigint, product_id bigint REFERENCES products (id), PRIMARY KEY (tenant_id, id));",
        );
        let products = p.table_by_name(None, "products").unwrap().id;
        p.table_mut(products).unwrap().stats = Some(crate::model::TableStats {
            rows: Some(5_000_000),
            ..Default::default()
        });
        let plan = suggest(&p, None).unwrap();
        assert_eq!(plan.role(products), Some(Distribution::Local));
        assert!(
            plan.get(products).unwrap().reason.contains("too big"),
            "{:?}",
            plan.get(products)
        );
    }

    #[test]
    fn no_foreign_keys_no_key() {
        let p = project("CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int);");
        let plan = suggest(&p, None).unwrap();
        assert_eq!(plan.key, None);
        assert!(
            plan.tables
                .iter()
                .all(|x| x.role == Distribution::Local && !x.stored)
        );
    }
}
