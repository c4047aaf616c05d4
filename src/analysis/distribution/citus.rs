//! The Citus section `crowfoot export --to postgres --distribution citus` appends after the
//! DDL: `create_reference_table` for the reference tables, then `create_distributed_table`
//! for the distributed ones, each after the tables it references (Citus distributes a table
//! only once those it references are reference or co-located distributed tables), each
//! co-located with the first table of its group (the root where it belongs to it).
//!
//! The calls run in one `DO` block guarded by `pg_extension`, so the same script runs on
//! plain PostgreSQL and does nothing there. Signatures (Citus 11–13, "Citus Utility
//! Functions"): `create_reference_table(table_name regclass)` and
//! `create_distributed_table(table_name regclass, distribution_column text,
//! distribution_type citus.distribution_type DEFAULT 'hash', colocate_with text DEFAULT
//! 'default', shard_count int DEFAULT NULL)`. The table names are regclass text (identifier
//! syntax: quoted where needed), `colocate_with` a table name in the same syntax, and the
//! distribution column the column's name as it is (Citus looks it up without case folding).

use super::Plan;
use crate::model::{Dialect, Distribution, Project, TableId};
use crate::sql::dialect::rules;
use std::collections::{BTreeMap, BTreeSet};

/// The Citus section for `plan`, or a comment saying there is nothing to distribute.
pub fn section(p: &Project, plan: &Plan) -> String {
    let d = rules(Dialect::Postgres);
    let name = |id: TableId| {
        p.table(id)
            .map(|t| d.qualified(t.schema.as_deref(), &t.name))
            .unwrap_or_default()
    };
    let lit = |s: &str| d.string_literal(s);
    // Partitions follow their parent (Citus distributes them with it).
    let placed = |role: fn(&Distribution) -> bool| -> BTreeSet<TableId> {
        plan.tables
            .iter()
            .filter(|x| role(&x.role))
            .filter(|x| p.table(x.table).is_some_and(|t| t.partition_of.is_none()))
            .map(|x| x.table)
            .collect()
    };
    let reference = placed(|r| *r == Distribution::Reference);
    let distributed = placed(|r| matches!(r, Distribution::Distributed(_)));
    let mut head = String::from(
        "\n-- Citus (crowfoot export --distribution citus): reference tables, then distributed \
         tables after the\n-- tables they reference. Skipped where the citus extension is \
         not installed (plain PostgreSQL).\n",
    );
    if reference.is_empty() && distributed.is_empty() {
        head.push_str("-- No table is planned as distributed or reference: nothing to do.\n");
        return head;
    }
    let mut calls: Vec<String> = Vec::new();
    let mut cycles: Vec<(TableId, TableId)> = Vec::new();
    for t in order(p, &reference, plan.root, &mut cycles) {
        calls.push(format!(
            "PERFORM create_reference_table({});",
            lit(&name(t))
        ));
    }
    // Co-location groups: one per distribution column type, led by the root when it is in it.
    let mut leaders: BTreeMap<String, TableId> = BTreeMap::new();
    for t in order(p, &distributed, plan.root, &mut cycles) {
        let (Some(table), Some(c)) = (p.table(t), plan.column(t)) else {
            continue;
        };
        let Some(col) = table.column(c) else { continue };
        let ty = super::checks::colocation_type(&col.ty);
        let mut call = format!(
            "PERFORM create_distributed_table({}, {}",
            lit(&name(t)),
            lit(&col.name)
        );
        match leaders.get(&ty) {
            Some(leader) => call.push_str(&format!(", colocate_with => {}", lit(&name(*leader)))),
            None => {
                leaders.insert(ty, t);
            }
        }
        call.push_str(");");
        calls.push(call);
    }
    // Keys closing a cycle are dropped before the calls and added back after (as the engine
    // printed them), since a table is distributed only after the tables it references.
    let mut body = String::new();
    if !cycles.is_empty() {
        let pairs: Vec<String> = cycles
            .iter()
            .map(|(a, b)| {
                format!(
                    "({}::regclass::oid, {}::regclass::oid)",
                    lit(&name(*a)),
                    lit(&name(*b))
                )
            })
            .collect();
        head.push_str(
            "-- Foreign keys closing a cycle are dropped before the calls and added back after.\n",
        );
        body.push_str("DECLARE\n  fk record;\n  readd text[] := '{}';\n  stmt text;\n");
        calls.insert(
            0,
            format!(
                "FOR fk IN SELECT conrelid::regclass::text AS tbl, conname, \
                 pg_catalog.pg_get_constraintdef(oid) AS def FROM pg_catalog.pg_constraint \
                 WHERE contype = 'f' AND (conrelid, confrelid) IN ({}) LOOP\n      \
                 readd := readd || format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.tbl, \
                 fk.conname, fk.def);\n      \
                 EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);\n    \
                 END LOOP;",
                pairs.join(", ")
            ),
        );
        calls.push("FOREACH stmt IN ARRAY readd LOOP\n      EXECUTE stmt;\n    END LOOP;".into());
    }
    body.push_str(
        "BEGIN\n  IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN\n",
    );
    for c in calls {
        body.push_str(&format!("    {c}\n"));
    }
    body.push_str(
        "  ELSE\n    RAISE NOTICE 'citus is not installed: the tables stay plain PostgreSQL \
         tables';\n  END IF;\nEND\n",
    );
    let tag = dollar_tag(&body);
    format!("{head}DO {tag}\n{body}{tag};\n")
}

/// A dollar-quote tag the body does not contain (names may hold `$`).
fn dollar_tag(body: &str) -> String {
    (0..)
        .map(|i| match i {
            0 => "$citus$".to_string(),
            i => format!("$citus{i}$"),
        })
        .find(|t| !body.contains(t.as_str()))
        .expect("some tag is free")
}

/// `set` in dependency order: every table after the tables of `set` it references (the root
/// first, then by id); a cycle is broken where it closes, its (referencing, referenced) pair
/// pushed onto `cycles`.
fn order(
    p: &Project,
    set: &BTreeSet<TableId>,
    root: Option<TableId>,
    cycles: &mut Vec<(TableId, TableId)>,
) -> Vec<TableId> {
    #[derive(PartialEq)]
    enum Mark {
        Doing,
        Done,
    }
    fn visit(
        p: &Project,
        set: &BTreeSet<TableId>,
        t: TableId,
        marks: &mut BTreeMap<TableId, Mark>,
        out: &mut Vec<TableId>,
        cycles: &mut Vec<(TableId, TableId)>,
    ) {
        if marks.contains_key(&t) {
            return;
        }
        marks.insert(t, Mark::Doing);
        let parents: BTreeSet<TableId> = p
            .foreign_keys_from(t)
            .iter()
            .map(|fk| fk.to_table)
            .filter(|to| *to != t && set.contains(to))
            .collect();
        for parent in parents {
            if marks.get(&parent) == Some(&Mark::Doing) {
                cycles.push((t, parent));
            } else {
                visit(p, set, parent, marks, out, cycles);
            }
        }
        marks.insert(t, Mark::Done);
        out.push(t);
    }
    let mut marks = BTreeMap::new();
    let mut out = Vec::new();
    // The root first: every other table reaches it, so its own keys to them close cycles.
    if let Some(r) = root.filter(|r| set.contains(r)) {
        let closing: BTreeSet<TableId> = p
            .foreign_keys_from(r)
            .iter()
            .map(|fk| fk.to_table)
            .filter(|to| *to != r && set.contains(to))
            .collect();
        cycles.extend(closing.into_iter().map(|to| (r, to)));
        marks.insert(r, Mark::Done);
        out.push(r);
    }
    for t in set.iter().copied() {
        visit(p, set, t, &mut marks, &mut out, cycles);
    }
    out
}
