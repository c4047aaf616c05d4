//! Generated projects of any size, for benchmarks and stress tests.
//!
//! [`build`] is deterministic: the same arguments always give the same project (and so the
//! same RON bytes). The project looks like a real schema: every table has an identity
//! `BIGINT` primary key `id`, about one foreign key to an earlier table (typed like the
//! referenced key, with an index on it), a mix of column types with realistic names,
//! defaults and nullability, some composite and some unique indexes, some comments, and
//! tables laid out on a grid.

use crate::model::builder::{ProjectBuilder, TableBuilder};
use crate::model::{LogicalType, Project, TableId};
use std::collections::HashSet;

/// Small deterministic PRNG (SplitMix64); no external crate needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `1 / n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NOUNS: &[&str] = &[
    "customer",
    "order",
    "product",
    "invoice",
    "payment",
    "shipment",
    "supplier",
    "warehouse",
    "employee",
    "department",
    "project",
    "task",
    "comment",
    "account",
    "subscription",
    "plan",
    "coupon",
    "category",
    "tag",
    "review",
    "address",
    "contact",
    "ticket",
    "event",
    "session",
    "device",
    "document",
    "attachment",
    "message",
    "channel",
    "team",
    "membership",
    "role",
    "permission",
    "audit_entry",
    "report",
    "budget",
    "contract",
    "vendor",
    "asset",
];

const QUALIFIERS: &[&str] = &[
    "",
    "",
    "",
    "archived_",
    "draft_",
    "external_",
    "internal_",
    "legacy_",
    "pending_",
    "regional_",
];

/// Kinds of non-key columns: (base names, type, usually NOT NULL, default expression).
struct ColumnKind {
    names: &'static [&'static str],
    ty: fn(&mut Rng) -> LogicalType,
    not_null: bool,
    default: Option<&'static str>,
}

const KINDS: &[ColumnKind] = &[
    ColumnKind {
        names: &[
            "name", "title", "label", "code", "slug", "status", "email", "phone",
        ],
        ty: |r| LogicalType::Varchar(Some(*r.pick(&[32, 64, 120, 255]))),
        not_null: true,
        default: None,
    },
    ColumnKind {
        names: &["description", "notes", "body", "summary", "instructions"],
        ty: |_| LogicalType::Text,
        not_null: false,
        default: None,
    },
    ColumnKind {
        names: &["quantity", "position", "rank", "revision", "attempts"],
        ty: |_| LogicalType::Integer,
        not_null: true,
        default: Some("0"),
    },
    ColumnKind {
        names: &["view_count", "size_bytes", "external_ref", "sequence_no"],
        ty: |_| LogicalType::BigInt,
        not_null: false,
        default: None,
    },
    ColumnKind {
        names: &[
            "price", "amount", "balance", "total", "tax_rate", "discount",
        ],
        ty: |r| {
            let (p, s) = *r.pick(&[(12, 2), (10, 4), (18, 2)]);
            LogicalType::Decimal(Some(p), Some(s))
        },
        not_null: true,
        default: Some("0"),
    },
    ColumnKind {
        names: &["is_active", "archived", "verified", "is_public", "locked"],
        ty: |_| LogicalType::Boolean,
        not_null: true,
        default: Some("false"),
    },
    ColumnKind {
        names: &[
            "due_on",
            "starts_on",
            "ends_on",
            "birth_date",
            "valid_until",
        ],
        ty: |_| LogicalType::Date,
        not_null: false,
        default: None,
    },
    ColumnKind {
        names: &["created_at", "updated_at", "published_at", "deleted_at"],
        ty: |_| LogicalType::TimestampTz,
        not_null: true,
        default: Some("CURRENT_TIMESTAMP"),
    },
    ColumnKind {
        names: &["public_id", "correlation_id", "external_uuid"],
        ty: |_| LogicalType::Uuid,
        not_null: false,
        default: None,
    },
    ColumnKind {
        names: &["metadata", "settings", "payload", "attributes"],
        ty: |_| LogicalType::Json,
        not_null: false,
        default: None,
    },
];

/// A column name not yet used in the table.
fn unique_name(used: &mut HashSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while used.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    used.insert(name.clone());
    name
}

/// Build a project of `tables` tables with exactly `columns_per_table` columns each
/// (the identity primary key and foreign-key columns included), deterministic in `seed`.
pub fn build(tables: usize, columns_per_table: usize, seed: u64) -> Project {
    let mut rng = Rng(seed ^ 0x0C20_F007_5EED_0001);
    let mut b = ProjectBuilder::new(&format!("Generated ({tables} tables, seed {seed})"));
    let grid = (tables as f64).sqrt().ceil().max(1.0) as usize;

    let mut table_names: HashSet<String> = HashSet::new();
    // (id, name) of every table built so far, for foreign-key targets.
    let mut built: Vec<(TableId, String)> = Vec::with_capacity(tables);

    for i in 0..tables {
        // A unique, readable table name.
        let base = format!("{}{}", rng.pick(QUALIFIERS), rng.pick(NOUNS));
        let name = unique_name(&mut table_names, &base);

        // Foreign keys: about one per table, to an earlier table; sometimes two.
        let mut fk_targets: Vec<usize> = Vec::new();
        if i > 0 && columns_per_table >= 2 {
            fk_targets.push(rng.below(i));
            if i > 1 && columns_per_table >= 5 && rng.one_in(8) {
                fk_targets.push(rng.below(i));
            }
        }

        let mut used: HashSet<String> = HashSet::new();
        let id_col = unique_name(&mut used, "id");
        let fk_cols: Vec<String> = fk_targets
            .iter()
            .map(|&t| unique_name(&mut used, &format!("{}_id", built[t].1)))
            .collect();
        let fk_nullable: Vec<bool> = fk_targets.iter().map(|_| rng.one_in(4)).collect();

        // Plain columns filling the rest of the table.
        let plain_count = columns_per_table.saturating_sub(1 + fk_cols.len());
        struct Plain {
            name: String,
            ty: LogicalType,
            not_null: bool,
            default: Option<&'static str>,
            comment: bool,
        }
        let plain: Vec<Plain> = (0..plain_count)
            .map(|_| {
                let kind = rng.pick(KINDS);
                let base = *rng.pick(kind.names);
                Plain {
                    name: unique_name(&mut used, base),
                    ty: (kind.ty)(&mut rng),
                    not_null: kind.not_null && !rng.one_in(5),
                    default: kind.default,
                    comment: rng.one_in(9),
                }
            })
            .collect();

        // Indexes: every FK column, plus some unique, composite and partial ones.
        let unique_on = plain
            .iter()
            .position(|c| matches!(c.ty, LogicalType::Varchar(_) | LogicalType::Uuid))
            .filter(|_| rng.one_in(3));
        // Composite indexes only over columns worth indexing (not free text or JSON).
        let indexable: Vec<usize> = (0..plain.len())
            .filter(|&k| !matches!(plain[k].ty, LogicalType::Text | LogicalType::Json))
            .collect();
        let composite = (indexable.len() >= 2 && rng.one_in(5)).then(|| {
            let first = rng.below(indexable.len());
            let second = (first + 1 + rng.below(indexable.len() - 1)) % indexable.len();
            (indexable[first], indexable[second], rng.one_in(2))
        });
        let table_comment = rng.one_in(4);
        let col = (i % grid) as f32;
        let row = (i / grid) as f32;

        let tid = b.table(&name, |t: &mut TableBuilder| {
            t.at(col * 320.0, row * 300.0);
            if table_comment {
                t.table_comment(&format!("Generated table {} of {tables}.", i + 1));
            }
            if columns_per_table == 0 {
                return;
            }
            t.col(&id_col, LogicalType::BigInt).identity().pk();
            for (c, &nullable) in fk_cols.iter().zip(&fk_nullable) {
                t.col(c, LogicalType::BigInt);
                if !nullable {
                    t.not_null();
                }
            }
            for c in &plain {
                t.col(&c.name, c.ty.clone());
                if c.not_null {
                    t.not_null();
                }
                if let Some(d) = c.default {
                    t.default(d);
                }
                if c.comment {
                    t.comment(&format!(
                        "The {} of the {}.",
                        c.name.replace('_', " "),
                        name
                    ));
                }
            }
            for c in &fk_cols {
                t.index(&format!("ix_{name}_{c}"), &[c.as_str()]);
            }
            if let Some(u) = unique_on {
                let c = plain[u].name.as_str();
                t.unique_index(&format!("ux_{name}_{c}"), &[c]);
            }
            if let Some((a, b2, desc)) = composite {
                let first = plain[a].name.as_str();
                let second = if desc {
                    format!("{} DESC", plain[b2].name)
                } else {
                    plain[b2].name.clone()
                };
                let ix = format!("ix_{name}_{first}_{}", plain[b2].name);
                t.index(&ix, &[first, second.as_str()]);
            }
        });

        for (k, &target) in fk_targets.iter().enumerate() {
            let (to, _) = built[target];
            let nullable = fk_nullable[k];
            b.fk_with(tid, &[fk_cols[k].as_str()], to, &["id"], |fk| {
                if nullable {
                    fk.on_delete = crate::model::FkAction::SetNull;
                } else if k == 0 && target % 3 == 0 {
                    fk.on_delete = crate::model::FkAction::Cascade;
                }
            });
        }
        built.push((tid, name));
    }
    b.build()
}

/// A workload of `queries` statements over a project made by [`build`] (for the index
/// advisor's benchmark and tests), deterministic in `seed`: equality filters, equality plus
/// range, ORDER BY, joins along foreign keys, GROUP BY and UPDATEs, every third statement
/// with a `-- weight: N` comment. Identifiers are double-quoted.
pub fn workload(p: &Project, queries: usize, seed: u64) -> String {
    let mut rng = Rng(seed ^ 0x0A0B_15E0_0000_0007);
    let tables: Vec<&crate::model::Table> = p.tables().collect();
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::new();
    if tables.is_empty() {
        return out;
    }
    let mut k = 0;
    let mut attempts = 0;
    while k < queries && attempts < queries * 20 {
        attempts += 1;
        let t = tables[rng.below(tables.len())];
        let fks = p.foreign_keys_from(t.id);
        let fk_cols: Vec<_> = fks.iter().flat_map(|f| f.from_columns.iter()).collect();
        // Plain, indexable columns (not the key, not free text or JSON).
        let plain: Vec<&str> = t
            .columns
            .iter()
            .filter(|c| !t.is_pk_column(c.id) && !fk_cols.contains(&&c.id))
            .filter(|c| !matches!(c.ty, LogicalType::Text | LogicalType::Json))
            .map(|c| c.name.as_str())
            .collect();
        if plain.len() < 2 {
            continue;
        }
        let a = plain[rng.below(plain.len())];
        let b =
            plain[(plain.iter().position(|x| *x == a).unwrap() + 1 + rng.below(plain.len() - 1))
                % plain.len()];
        let tn = q(&t.name);
        let sql = match k % 6 {
            0 => format!("SELECT {}, {} FROM {tn} WHERE {} = ?", q("id"), q(b), q(a)),
            1 => format!("SELECT * FROM {tn} WHERE {} = ? AND {} > ?", q(a), q(b)),
            2 => format!(
                "SELECT * FROM {tn} WHERE {} = ? ORDER BY {} DESC LIMIT 20",
                q(a),
                q(b)
            ),
            3 => {
                let Some(fk) = fks.first() else { continue };
                let Some(parent) = p.table(fk.to_table) else {
                    continue;
                };
                let Some(pc) = parent.columns.iter().find(|c| {
                    !parent.is_pk_column(c.id)
                        && !matches!(c.ty, LogicalType::Text | LogicalType::Json)
                }) else {
                    continue;
                };
                format!(
                    "SELECT c.{}, p.{} FROM {tn} c JOIN {} p ON p.{} = c.{} WHERE p.{} = ?",
                    q(a),
                    q(&pc.name),
                    q(&parent.name),
                    q("id"),
                    q(&t.column_name(fk.from_columns[0])),
                    q(&pc.name)
                )
            }
            4 => format!("SELECT {}, count(*) FROM {tn} GROUP BY {}", q(a), q(a)),
            _ => format!("UPDATE {tn} SET {} = ? WHERE {} = ?", q(b), q(a)),
        };
        if k % 3 == 0 {
            out.push_str(&format!("-- weight: {}\n", 1 + rng.below(10)));
        }
        out.push_str(&sql);
        out.push_str(";\n");
        k += 1;
    }
    out
}

/// Estimates for the advisor benchmarks: on every other table (the 0th, 2nd, …) `rows(i)` rows
/// (`i`: the table's position), a 200-byte row, `write_heavy(i)`, and on every third column a
/// distinct count falling with the column's position and 10 % NULLs.
pub fn add_estimates(
    p: &mut Project,
    rows: impl Fn(usize) -> u64,
    write_heavy: impl Fn(usize) -> bool,
) {
    use crate::model::{ColumnStats, Command, TableStats};
    let tables: Vec<_> = p.tables().map(|t| (t.id, t.columns.clone())).collect();
    for (i, (id, cols)) in tables.iter().enumerate() {
        if i % 2 == 1 {
            continue;
        }
        let n = rows(i);
        let stats = TableStats {
            rows: Some(n),
            avg_row_bytes: Some(200),
            write_heavy: write_heavy(i),
            columns: cols
                .iter()
                .enumerate()
                .filter(|(k, _)| k % 3 == 1)
                .map(|(k, c)| ColumnStats {
                    column: c.id,
                    distinct: Some((n / (1 + k as u64 * 7)).max(2)),
                    null_fraction: Some(0.1),
                    most_common: None,
                })
                .collect(),
        };
        Command::SetTableStats {
            table: *id,
            stats: Some(stats),
        }
        .apply(p)
        .expect("estimates of existing columns apply");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_determinism() {
        let p = build(120, 10, 7);
        assert_eq!(p.table_count(), 120);
        assert_eq!(p.column_count(), 1200);
        assert!(p.foreign_key_count() >= 119);
        let names: HashSet<&str> = p.tables().map(|t| t.name.as_str()).collect();
        assert_eq!(names.len(), 120);
        assert_eq!(p, build(120, 10, 7));
        assert_ne!(p, build(120, 10, 8));
        for t in p.tables() {
            let pk = t.primary_key.as_ref().expect("every table has a PK");
            assert_eq!(t.column(pk.columns[0]).unwrap().ty, LogicalType::BigInt);
        }
    }

    #[test]
    fn tiny_shapes() {
        assert_eq!(build(0, 10, 1).table_count(), 0);
        assert_eq!(build(3, 0, 1).column_count(), 0);
        assert_eq!(build(3, 1, 1).column_count(), 3);
        assert_eq!(build(5, 2, 1).column_count(), 10);
    }
}
