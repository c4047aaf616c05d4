//! Synthetic rows for the scratch database, following the project's estimates: row counts
//! (capped), distinct values, NULL fractions, keys that are unique and foreign keys that
//! point at rows that exist.
//!
//! Every column's value is a function of the row number `r` (1…N) written as SQL:
//! an integer *key* `K(r)` turned into a value of the column's type (`'v' || K`, `K` days
//! after 2000-01-01, …). A primary key, a unique constraint or a unique index gets keys that
//! are unique per row (mixed radix over the parts when it has several); a foreign key column
//! takes its parent's key expression at a row number of the parent (`1 + (r-1)·p mod
//! N_parent`), so every reference exists; other columns take `1 + (r-1)·p mod d` for `d`
//! distinct values (the estimate, else a tenth of the rows), and a column whose estimates
//! give its most common value's share holds key 1 (the first of the workload's constants
//! for it, if any) in that share of the rows. The foreign keys and checks are
//! dropped while filling and put back afterwards (checks `NOT VALID`: synthetic values need
//! not satisfy them), then the tables are vacuumed and analysed.

use super::server::{cause, ident};
use crate::model::{Column, ColumnId, LogicalType, Project, Table, TableId};
use postgres::Client;
use std::collections::{BTreeSet, HashMap};

/// A large prime: multiplying the row number by it spreads values over their domain.
const SPREAD: u64 = 1_000_003;

/// How many rows each table gets.
#[derive(Clone, Copy, Debug)]
pub struct FillOptions {
    /// Rows of a table without an estimate.
    pub default_rows: u64,
    /// At most this many rows per table (the scratch database stays quick to fill).
    pub max_rows: u64,
}

impl Default for FillOptions {
    fn default() -> Self {
        FillOptions {
            default_rows: 10_000,
            max_rows: 50_000,
        }
    }
}

/// The key expressions of one table's columns (with `{r}` for the row number) and its rows.
#[derive(Clone, Debug, Default)]
struct Shape {
    rows: u64,
    /// Column → (key expression, the type that renders it: the column's own, or for a
    /// foreign key the referenced column's, so that both render the same value).
    keys: HashMap<ColumnId, (String, LogicalType)>,
}

/// One digit of a unique key: its columns, its domain (rows of the parent for a foreign
/// key, else of the table) and, for a foreign key, the parent's shape and referenced columns.
type Unit = (Vec<ColumnId>, u64, Option<(Shape, Vec<ColumnId>)>);

struct Shaper<'a> {
    p: &'a Project,
    opts: FillOptions,
    done: HashMap<TableId, Shape>,
    busy: BTreeSet<TableId>,
}

fn substitute(k: &str, r: &str) -> String {
    k.replace("{r}", &format!("({r})"))
}

impl Shaper<'_> {
    fn wanted_rows(&self, t: &Table) -> u64 {
        t.stats
            .as_ref()
            .and_then(|s| s.rows)
            .unwrap_or(self.opts.default_rows)
            .clamp(1, self.opts.max_rows.max(1))
    }

    /// The shape of `t` (computed once; a cycle of keys falls back to plain keys).
    fn shape(&mut self, t: TableId) -> Shape {
        if let Some(s) = self.done.get(&t) {
            return s.clone();
        }
        let Some(table) = self.p.table(t) else {
            return Shape::default();
        };
        if !self.busy.insert(t) {
            // A key cycle: the parent's keys as plain row numbers.
            let mut s = Shape {
                rows: self.wanted_rows(table),
                keys: HashMap::new(),
            };
            for c in &table.columns {
                s.keys.insert(c.id, ("{r}".into(), c.ty.clone()));
            }
            return s;
        }
        let s = self.compute(table);
        self.busy.remove(&t);
        self.done.insert(t, s.clone());
        s
    }

    /// The foreign key of `t` (to another table) that has column `col`: its columns, the
    /// parent's shape and the parent columns it references.
    fn parent_of(
        &mut self,
        t: &Table,
        col: ColumnId,
    ) -> Option<(Vec<ColumnId>, Shape, Vec<ColumnId>)> {
        let fk = self
            .p
            .foreign_keys_from(t.id)
            .into_iter()
            .find(|f| f.from_columns.contains(&col) && f.to_table != t.id)?
            .clone();
        let parent = self.p.table(fk.to_table)?;
        let targets = fk.target_columns(parent).to_vec();
        let shape = self.shape(fk.to_table);
        Some((fk.from_columns.clone(), shape, targets))
    }

    fn compute(&mut self, t: &Table) -> Shape {
        let mut rows = self.wanted_rows(t);
        let mut keys: HashMap<ColumnId, (String, LogicalType)> = HashMap::new();
        let col = |id: ColumnId| t.column(id).cloned();

        // Unique sets: the primary key first, then unique constraints and unique indexes.
        let mut unique_sets: Vec<Vec<ColumnId>> = Vec::new();
        if let Some(pk) = &t.primary_key {
            unique_sets.push(pk.columns.clone());
        }
        unique_sets.extend(t.uniques.iter().map(|u| u.columns.clone()));
        // A unique index on expressions (`lower(email)`): the columns they read, each keyed
        // by the row number, keep the expressions' values unique too.
        unique_sets.extend(t.indexes.iter().filter(|i| i.unique).map(|i| {
            let mut cols = Vec::new();
            for part in &i.parts {
                match &part.target {
                    crate::model::IndexTarget::Column(c) => cols.push(*c),
                    crate::model::IndexTarget::Expr(e) => cols.extend(
                        t.columns
                            .iter()
                            .filter(|c| {
                                crate::sql::dialect::util::contains_word(
                                    &e.to_lowercase(),
                                    &c.name.to_lowercase(),
                                )
                            })
                            .map(|c| c.id),
                    ),
                }
            }
            cols.dedup();
            cols
        }));
        for set in unique_sets {
            if set.is_empty() || set.iter().any(|c| col(*c).is_none()) {
                continue;
            }
            if set.iter().any(|c| keys.contains_key(c)) {
                // Overlaps a key already shaped (`UNIQUE (tenant_id, email)` beside the
                // primary key `(tenant_id, id)`): its other columns are keyed by the row
                // number, which makes the whole tuple unique. (Such a column that is also
                // part of a composite foreign key may then miss its parent: that key is put
                // back NOT VALID, with a warning.)
                for c in &set {
                    if !keys.contains_key(c) {
                        let ty = col(*c).expect("checked").ty;
                        keys.insert(*c, ("{r}".into(), ty));
                    }
                }
                continue;
            }
            // Units: a foreign key wholly inside the set is one digit (its parent's rows);
            // every other column is a digit of its own. A key sharing a column with an
            // earlier unit (`(tenant_id, team_id)` and `(tenant_id, user_id)` in a link
            // table's `(tenant_id, team_id, user_id)`) is not one: its shared column would be
            // keyed twice and the tuple no longer unique; its other columns are digits (it
            // may then miss its parent and be put back NOT VALID, as above).
            let mut units: Vec<Unit> = Vec::new();
            let mut left: Vec<ColumnId> = set.clone();
            while let Some(&c) = left.first() {
                match self.parent_of(t, c) {
                    Some((from, shape, targets)) if from.iter().all(|f| left.contains(f)) => {
                        left.retain(|x| !from.contains(x));
                        units.push((from, shape.rows.max(1), Some((shape, targets))));
                    }
                    _ => {
                        left.remove(0);
                        units.push((vec![c], rows, None));
                    }
                }
            }
            // Balanced digits: each takes about the m-th root of the rows (at most its
            // domain), so that every part varies; a digit's value is spread over its domain
            // (multiplying by a prime is a bijection there), so the tuple stays unique.
            let n = units.len();
            let mut radices = Vec::with_capacity(n);
            let mut remaining = rows.max(1);
            for (i, (_, domain, _)) in units.iter().enumerate() {
                let left = (n - i) as f64;
                let want = if i + 1 == n {
                    remaining
                } else {
                    (remaining as f64).powf(1.0 / left).ceil() as u64
                };
                let r = want.clamp(1, (*domain).max(1));
                radices.push(r);
                remaining = remaining.div_ceil(r);
            }
            let capacity = radices.iter().fold(1u64, |a, r| a.saturating_mul(*r));
            rows = rows.min(capacity);
            let mut divisor: u64 = 1;
            for (i, (cols, domain, parent)) in units.into_iter().enumerate() {
                let radix = radices[i];
                let digit = if n == 1 {
                    // A one-part key is the row number itself.
                    "{r}".to_string()
                } else if i + 1 == n {
                    format!("(1 + (((({{r}} - 1) / {divisor}) * {SPREAD}) % {domain}))")
                } else {
                    format!("(1 + (((({{r}} - 1) / {divisor}) % {radix}) * {SPREAD}) % {domain})")
                };
                divisor = divisor.saturating_mul(radix);
                match parent {
                    Some((shape, targets)) => {
                        for (c, pc) in cols.iter().zip(&targets) {
                            let (k, ty) = shape
                                .keys
                                .get(pc)
                                .cloned()
                                .unwrap_or(("{r}".into(), col(*c).expect("checked").ty));
                            keys.insert(*c, (substitute(&k, &digit), ty));
                        }
                    }
                    None => {
                        let ty = col(cols[0]).expect("checked").ty;
                        keys.insert(cols[0], (digit, ty));
                    }
                }
            }
        }

        // Other foreign keys: a spread row of the parent.
        let fks: Vec<_> = self
            .p
            .foreign_keys_from(t.id)
            .into_iter()
            .cloned()
            .collect();
        for fk in fks {
            if fk.from_columns.iter().any(|c| keys.contains_key(c)) {
                continue;
            }
            let Some(parent) = self.p.table(fk.to_table) else {
                continue;
            };
            let targets = fk.target_columns(parent).to_vec();
            let shape = if fk.to_table == t.id {
                // A self-reference: rows of this table, keyed as its own key is.
                Shape {
                    rows,
                    keys: keys.clone(),
                }
            } else {
                self.shape(fk.to_table)
            };
            let skew = fk.from_columns.first().and_then(|c| most_common(t, *c));
            let r = skewed(
                format!("1 + (({{r}} - 1) * {SPREAD}) % {}", shape.rows.max(1)),
                skew,
            );
            for (c, pc) in fk.from_columns.iter().zip(&targets) {
                let Some(column) = col(*c) else { continue };
                let (k, ty) = shape
                    .keys
                    .get(pc)
                    .cloned()
                    .unwrap_or(("{r}".into(), column.ty.clone()));
                keys.insert(*c, (substitute(&k, &r), ty));
            }
        }

        // The rest: `d` distinct values spread over the rows.
        for c in &t.columns {
            if keys.contains_key(&c.id) {
                continue;
            }
            let d = t
                .stats
                .as_ref()
                .and_then(|s| s.column(c.id))
                .and_then(|s| s.distinct)
                .unwrap_or(match c.ty {
                    LogicalType::Boolean => 2,
                    _ => (rows / 10).max(1),
                })
                .clamp(1, rows.max(1));
            let k = skewed(
                format!("1 + (({{r}} - 1) * {SPREAD}) % {d}"),
                most_common(t, c.id),
            );
            keys.insert(c.id, (k, c.ty.clone()));
        }
        Shape { rows, keys }
    }
}

/// The estimated share of rows holding column `c`'s most common value.
fn most_common(t: &Table, c: ColumnId) -> Option<f32> {
    t.stats
        .as_ref()
        .and_then(|s| s.column(c))
        .and_then(|s| s.most_common)
        .filter(|f| *f > 0.0)
}

/// `spread` (a key 1…d), with the first key on that share of the rows (a hash of the row
/// number decides which rows): the skew the estimates describe.
fn skewed(spread: String, share: Option<f32>) -> String {
    match share {
        Some(f) => {
            let per_mille = (f64::from(f.clamp(0.0, 1.0)) * 1000.0).round() as u64;
            format!(
                "(CASE WHEN (({{r}}) * 2654435761) % 1000 < {per_mille} THEN 1 ELSE {spread} END)"
            )
        }
        None => spread,
    }
}

/// A value of logical type `ty` from the integer key `k` (SQL), cast to the column's type as
/// the server names it (`catalog`).
fn value(ty: &LogicalType, k: &str, catalog: &str, nullable: bool) -> String {
    use LogicalType as L;
    let v = match ty {
        L::TinyInt | L::SmallInt => format!("(({k}) % 32767)"),
        L::Integer | L::BigInt => format!("({k})"),
        L::Decimal(p, s) => {
            let digits = p.unwrap_or(18).saturating_sub(s.unwrap_or(0)).clamp(1, 15);
            format!("(({k}) % 1{})", "0".repeat(digits as usize))
        }
        L::Real | L::Double => format!("(({k})::double precision / 7)"),
        L::Boolean => format!("(({k}) % 2 = 0)"),
        L::Text => format!("('v' || ({k}))"),
        L::Varchar(Some(n)) | L::Char(n) => format!("right('v' || ({k}), {})", (*n).max(1)),
        L::Varchar(None) => format!("('v' || ({k}))"),
        L::Bytes => format!("decode(md5(({k})::text), 'hex')"),
        L::Date => format!("(date '2000-01-01' + (({k}) % 36500)::integer)"),
        L::Time => format!("(time '00:00' + (({k}) % 86400) * interval '1 second')"),
        L::Timestamp | L::TimestampTz => {
            format!("(timestamp '2000-01-01' + ({k}) * interval '1 minute')")
        }
        L::Interval => format!("(({k}) * interval '1 second')"),
        L::Uuid => format!("md5(({k})::text)::uuid"),
        L::Json => format!("json_build_object('k', ({k}))::text"),
        L::Enum(_) => format!(
            "(enum_range(NULL::{catalog}))[1 + ({k}) % cardinality(enum_range(NULL::{catalog}))]"
        ),
        L::Array(_) | L::Native(_) if nullable => "NULL".to_string(),
        L::Array(_) => "'{}'".to_string(),
        L::Native(_) => format!("('v' || ({k}))"),
    };
    format!("({v})::{catalog}")
}

/// One column as the server has it.
struct CatalogColumn {
    name: String,
    ty: String,
    generated: bool,
    identity_always: bool,
}

fn catalog_columns(c: &mut Client, rel: &str) -> Result<Vec<CatalogColumn>, String> {
    let rows = c
        .query(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), \
                    a.attgenerated <> '', a.attidentity = 'a' \
             FROM pg_attribute a \
             WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attnum",
            &[&rel],
        )
        .map_err(|e| cause(&e))?;
    Ok(rows
        .iter()
        .map(|r| CatalogColumn {
            name: r.get(0),
            ty: r.get(1),
            generated: r.get(2),
            identity_always: r.get(3),
        })
        .collect())
}

/// The table's name as the PostgreSQL export writes it.
pub fn relation(t: &Table) -> String {
    match &t.schema {
        Some(s) => format!("{}.{}", ident(s), ident(&t.name)),
        None => ident(&t.name),
    }
}

/// Fill every table of `p` (already created on `c`); returns warnings (tables that could not
/// be filled, keys that could not be put back as valid).
pub fn fill(
    c: &mut Client,
    p: &Project,
    opts: FillOptions,
    seeds: &HashMap<ColumnId, Vec<String>>,
) -> Result<Vec<String>, String> {
    let mut warnings = Vec::new();
    // Foreign keys and checks off while filling.
    let constraints: Vec<(String, String, String, bool)> = c
        .query(
            "SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid), \
                    contype = 'c' \
             FROM pg_constraint \
             WHERE contype IN ('f', 'c') AND connamespace NOT IN \
                   (SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema')) \
             ORDER BY contype DESC, conrelid, conname",
            &[],
        )
        .map_err(|e| cause(&e))?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    for (rel, name, _, _) in &constraints {
        c.batch_execute(&format!(
            "ALTER TABLE {rel} DROP CONSTRAINT IF EXISTS {}",
            ident(name)
        ))
        .map_err(|e| cause(&e))?;
    }

    let mut shaper = Shaper {
        p,
        opts,
        done: HashMap::new(),
        busy: BTreeSet::new(),
    };
    for t in p.tables() {
        if t.partition_of.is_some() {
            // Rows go in through the partitioned parent.
            continue;
        }
        let shape = shaper.shape(t.id);
        let rel = relation(t);
        let catalog = match catalog_columns(c, &rel) {
            Ok(v) => v,
            Err(e) => {
                warnings.push(format!("{}: not filled: {e}", t.qualified_name()));
                continue;
            }
        };
        let by_name: HashMap<&str, &Column> =
            t.columns.iter().map(|c| (c.name.as_str(), c)).collect();
        let mut names = Vec::new();
        let mut values = Vec::new();
        let mut overriding = false;
        for cc in catalog.iter().filter(|cc| !cc.generated) {
            let Some(col) = by_name.get(cc.name.as_str()) else {
                continue;
            };
            let Some((k, ty)) = shape.keys.get(&col.id) else {
                continue;
            };
            let plain = k == "{r}";
            let k = substitute(k, "s.g");
            let mut v = value(ty, &k, &cc.ty, col.nullable);
            // The workload's constants (`status = 'open'`) are the first values of a column
            // that is not a key, so the planner sees them as it would in real data.
            if let Some(consts) = seeds.get(&col.id).filter(|v| !v.is_empty() && !plain) {
                let arms: Vec<String> = consts
                    .iter()
                    .enumerate()
                    .map(|(i, lit)| format!("WHEN {} THEN ({lit})::{}", i + 1, cc.ty))
                    .collect();
                v = format!("(CASE ({k}) {} ELSE {v} END)", arms.join(" "));
            }
            let nulls = t
                .stats
                .as_ref()
                .and_then(|s| s.column(col.id))
                .and_then(|s| s.null_fraction)
                .filter(|f| col.nullable && *f > 0.0);
            if let Some(f) = nulls {
                let per_mille = (f64::from(f.clamp(0.0, 1.0)) * 1000.0).round() as u64;
                v = format!(
                    "CASE WHEN (s.g * 2654435761) % 1000 < {per_mille} THEN NULL ELSE {v} END"
                );
            }
            overriding |= cc.identity_always;
            names.push(ident(&cc.name));
            values.push(v);
        }
        if names.is_empty() {
            continue;
        }
        // No autovacuum on the scratch tables: one arriving while the rows are vacuumed below
        // would hold back the all-visible marks, and the costs of index-only scans would
        // differ from run to run. (A partitioned parent refuses the setting: it has no rows.)
        let _ = c.batch_execute(&format!(
            "ALTER TABLE {rel} SET (autovacuum_enabled = false)"
        ));
        let sql = format!(
            "INSERT INTO {rel} ({}) {}SELECT {} FROM generate_series(1::bigint, {}) AS s(g)",
            names.join(", "),
            if overriding {
                "OVERRIDING SYSTEM VALUE "
            } else {
                ""
            },
            values.join(", "),
            shape.rows
        );
        if let Err(e) = c.batch_execute(&sql) {
            warnings.push(format!(
                "{}: left empty, the synthetic rows were refused: {}",
                t.qualified_name(),
                cause(&e)
            ));
        }
    }

    for (rel, name, def, check) in &constraints {
        let add = format!("ALTER TABLE {rel} ADD CONSTRAINT {} {def}", ident(name));
        if *check {
            let _ = c.batch_execute(&format!("{add} NOT VALID"));
        } else if c.batch_execute(&add).is_err() {
            warnings.push(format!(
                "foreign key {name} on {rel}: the synthetic rows do not satisfy it; kept as NOT VALID"
            ));
            let _ = c.batch_execute(&format!("{add} NOT VALID"));
        }
    }
    // VACUUM too: it marks the pages all-visible, as in a settled database, so index-only
    // scans are priced the same on every run (an autovacuum arriving at some point would
    // change the costs half-way).
    c.batch_execute("VACUUM ANALYZE").map_err(|e| cause(&e))?;
    Ok(warnings)
}
