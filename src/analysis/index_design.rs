//! Index design helpers for the studio's Indexes tab and the advisor: generated names from the
//! project's naming pattern, size estimates from the table's estimates, and what each target
//! dialect cannot express about an index (taken from the DDL exporter's own warnings, so the
//! panel and the export never disagree).

use crate::model::*;
use std::collections::{BTreeSet, HashSet};

/// A name part: letters and digits kept, every other run of characters one `_`.
fn name_part(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// A name for an index over `parts` of table `t` from the project's pattern
/// (`ix_{table}_{columns}` by default; `uq_` for a unique index), at most 60 bytes, unique
/// (case-insensitively) among the project's table, index and constraint names.
pub fn index_name(p: &Project, t: &Table, parts: &[IndexPart], unique: bool) -> String {
    index_name_avoiding(p, t, parts, unique, &HashSet::new())
}

/// [`index_name`], also avoiding the lower-case names in `taken` (names chosen in the same run
/// and not in the project yet).
pub fn index_name_avoiding(
    p: &Project,
    t: &Table,
    parts: &[IndexPart],
    unique: bool,
    taken: &HashSet<String>,
) -> String {
    let cols: Vec<String> = parts
        .iter()
        .map(|part| match &part.target {
            IndexTarget::Column(c) => name_part(&t.column_name(*c)),
            IndexTarget::Expr(e) => name_part(e),
        })
        .collect();
    let mut base = p
        .settings()
        .naming
        .index_pattern
        .replace("{table}", &name_part(&t.name))
        .replace("{columns}", &cols.join("_"));
    if unique && base.starts_with("ix_") {
        base = format!("uq_{}", &base[3..]);
    }
    let base = crate::sql::ddl::truncate_bytes(&base, 60);
    unique_name_among(p, base, None, taken)
}

/// `base`, or `base_2`, `base_3`... so that no table, other index or constraint of the project
/// has it (PostgreSQL keeps tables and indexes in one namespace; `except` is the index being
/// renamed).
pub fn unique_name(p: &Project, base: &str, except: Option<IndexId>) -> String {
    unique_name_among(p, base, except, &HashSet::new())
}

fn unique_name_among(
    p: &Project,
    base: &str,
    except: Option<IndexId>,
    also: &HashSet<String>,
) -> String {
    let taken: HashSet<String> = p
        .tables()
        .flat_map(|t| {
            t.indexes
                .iter()
                .filter(|i| Some(i.id) != except)
                .map(|i| i.name.clone())
                .chain(t.uniques.iter().filter_map(|u| u.name.clone()))
                .chain(t.primary_key.iter().filter_map(|k| k.name.clone()))
                .chain(std::iter::once(t.name.clone()))
                .collect::<Vec<_>>()
        })
        .map(|n| n.to_lowercase())
        .chain(also.iter().cloned())
        .collect();
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// Estimated average stored width of a value of `ty` in bytes (PostgreSQL-like storage; a
/// varchar counts half its limit, capped, plus a length byte).
pub fn value_width(ty: &LogicalType) -> u32 {
    use LogicalType as L;
    match ty {
        L::TinyInt | L::Boolean => 1,
        L::SmallInt => 2,
        L::Integer | L::Real | L::Date => 4,
        L::BigInt | L::Double | L::Time | L::Timestamp | L::TimestampTz => 8,
        L::Decimal(p, _) => 3 + p.unwrap_or(12) / 2,
        L::Interval | L::Uuid => 16,
        L::Char(n) => 1 + n,
        L::Varchar(Some(n)) => 1 + (n / 2).clamp(1, 64),
        L::Varchar(None) | L::Text | L::Bytes | L::Json | L::Array(_) | L::Native(_) => 32,
        L::Enum(_) => 4,
    }
}

/// Per-entry overhead of a B-tree leaf entry (item pointer + tuple header, PostgreSQL-like).
pub const INDEX_ENTRY_OVERHEAD: u64 = 12;
/// Leaf pages are about this full after random inserts.
pub const INDEX_FILL: f64 = 0.7;

/// Estimated size of `ix` in bytes from the table's row estimate (non-null rows only for a
/// partial index are unknown: the full count is used). `None` without a row estimate.
pub fn index_bytes(t: &Table, ix: &Index) -> Option<u64> {
    let stats = t.stats.as_ref()?;
    let rows = stats.rows?;
    let key: u64 = ix
        .parts
        .iter()
        .map(|part| match &part.target {
            IndexTarget::Column(c) => t
                .column(*c)
                .map(|col| match part.prefix {
                    Some(n) => 1 + n.min(value_width(&col.ty)),
                    None => value_width(&col.ty),
                })
                .unwrap_or(8) as u64,
            IndexTarget::Expr(_) => 16,
        })
        .sum::<u64>()
        + ix.include
            .iter()
            .filter_map(|c| t.column(*c))
            .map(|c| value_width(&c.ty) as u64)
            .sum::<u64>();
    let entry = key + INDEX_ENTRY_OVERHEAD;
    Some(((rows as f64 * entry as f64) / INDEX_FILL) as u64)
}

/// Human-readable byte count: `12.4 MB`.
pub fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// What each dialect cannot express about index `index_name` of table `t`: the export
/// warnings naming it, per dialect (empty when every dialect writes it as it is).
pub fn dialect_limits(p: &Project, t: &Table, index_name: &str) -> Vec<(Dialect, String)> {
    let only: BTreeSet<TableId> = [t.id].into_iter().collect();
    let needle = index_name.to_lowercase();
    let mut out = Vec::new();
    for d in Dialect::ALL {
        let ddl = crate::sql::export_tables(p, d, &only);
        for w in ddl.warnings {
            let obj = w.object.to_lowercase();
            if obj.ends_with(&format!(".{needle}")) || obj == needle {
                out.push((d, w.message));
            }
        }
    }
    out
}
