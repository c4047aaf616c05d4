//! Which objects of OLD and NEW are the same: by stable id, or by name with rename
//! heuristics (tables, columns) and a confidence.

use super::*;

pub(super) fn key(schema: Option<&str>, name: &str) -> (String, String) {
    (schema.unwrap_or("").to_lowercase(), name.to_lowercase())
}

/// Do the projects share ids (one is an edited copy of the other)? Two projects imported
/// separately number their objects from the same counter, so equal ids alone prove nothing:
/// the tables sharing an id must also agree (same name, or most shared column ids with the
/// same column names).
pub(super) fn shares_ids(old: &Project, new: &Project) -> bool {
    let mut shared = 0;
    let mut agree = 0;
    for t in new.tables() {
        let Some(o) = old.table(t.id) else {
            continue;
        };
        shared += 1;
        let cols: Vec<bool> = t
            .columns
            .iter()
            .filter_map(|c| {
                o.column(c.id)
                    .map(|oc| oc.name.eq_ignore_ascii_case(&c.name))
            })
            .collect();
        let same_cols = !cols.is_empty() && cols.iter().filter(|x| **x).count() * 2 > cols.len();
        if same_cols || (t.name.eq_ignore_ascii_case(&o.name) && cols.is_empty()) {
            agree += 1;
        }
    }
    let smaller = old.table_count().min(new.table_count());
    shared > 0 && shared * 2 >= smaller && agree * 10 >= shared * 9 && {
        // Every table sharing an id must also share column ids (imports rarely line up).
        new.tables().filter(|t| old.table(t.id).is_some()).all(|t| {
            t.columns
                .iter()
                .any(|c| old.table(t.id).and_then(|o| o.column(c.id)).is_some())
        })
    }
}

/// Pairs (OLD id, NEW id, rename confidence and reason when found by a heuristic).
pub(super) type Paired<I> = Vec<(I, I, Option<(f32, String)>)>;

pub(super) fn type_key(c: &Column) -> String {
    c.ty.describe().to_lowercase()
}

/// Pair the tables: (old, new, rename confidence and reason when renamed).
pub(super) fn match_tables(old: &Project, new: &Project, mode: MatchMode) -> Paired<TableId> {
    let mut pairs = Vec::new();
    let mut used_new = BTreeSet::new();
    let mut used_old = BTreeSet::new();
    if mode == MatchMode::Ids {
        for t in old.tables() {
            if new.table(t.id).is_some() {
                pairs.push((t.id, t.id, None));
                used_old.insert(t.id);
                used_new.insert(t.id);
            }
        }
    } else {
        let by_name: BTreeMap<(String, String), TableId> = new
            .tables()
            .map(|t| (key(t.schema.as_deref(), &t.name), t.id))
            .collect();
        for t in old.tables() {
            if let Some(n) = by_name.get(&key(t.schema.as_deref(), &t.name))
                && used_new.insert(*n)
            {
                pairs.push((t.id, *n, None));
                used_old.insert(t.id);
            }
        }
    }
    if mode == MatchMode::Names {
        // The same name in another schema (a table moved): when it is the only candidate.
        let lone = |name: &str, p: &Project, used: &BTreeSet<TableId>| -> Option<TableId> {
            let mut it = p
                .tables()
                .filter(|t| !used.contains(&t.id) && t.name.eq_ignore_ascii_case(name));
            let first = it.next()?;
            it.next().is_none().then_some(first.id)
        };
        let mut moved = Vec::new();
        for t in old.tables().filter(|t| !used_old.contains(&t.id)) {
            if let Some(n) = lone(&t.name, new, &used_new)
                && lone(&t.name, old, &used_old) == Some(t.id)
            {
                moved.push((t.id, n));
            }
        }
        for (o, n) in moved {
            if used_old.insert(o) && used_new.insert(n) {
                pairs.push((o, n, Some((0.9, "same name in another schema".to_string()))));
            }
        }
    }
    // Rename heuristics for what is left: the same columns (by name and type).
    let cols = |t: &Table| -> BTreeSet<(String, String)> {
        t.columns
            .iter()
            .map(|c| (c.name.to_lowercase(), type_key(c)))
            .collect()
    };
    let mut candidates = Vec::new();
    for o in old.tables().filter(|t| !used_old.contains(&t.id)) {
        let oc = cols(o);
        for n in new.tables().filter(|t| !used_new.contains(&t.id)) {
            let nc = cols(n);
            let common = oc.intersection(&nc).count();
            let union = oc.union(&nc).count().max(1);
            let score = common as f32 / union as f32;
            if score >= 0.75 && common >= 2 {
                candidates.push((score, o.id, n.id, common, oc.len(), nc.len()));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (score, o, n, common, ol, nl) in candidates {
        if used_old.contains(&o) || used_new.contains(&n) {
            continue;
        }
        used_old.insert(o);
        used_new.insert(n);
        let reason = if common == ol && common == nl {
            "same columns".to_string()
        } else {
            format!("{common} of {} columns in common", ol.max(nl))
        };
        pairs.push((o, n, Some((score, reason))));
    }
    pairs
}

/// Pair the columns of two matched tables: (old, new, rename confidence and reason).
pub(super) fn match_columns(o: &Table, n: &Table, mode: MatchMode) -> Paired<ColumnId> {
    let mut pairs = Vec::new();
    let mut used_new = BTreeSet::new();
    let mut used_old = BTreeSet::new();
    for c in &o.columns {
        let hit = match mode {
            MatchMode::Ids => n.column(c.id),
            MatchMode::Names => n
                .columns
                .iter()
                .find(|x| x.name.eq_ignore_ascii_case(&c.name) && !used_new.contains(&x.id)),
        };
        if let Some(x) = hit {
            used_new.insert(x.id);
            used_old.insert(c.id);
            pairs.push((c.id, x.id, None));
        }
    }
    if mode == MatchMode::Names {
        // Exactly one dropped and one added column, of the same type and nullability.
        let lost: Vec<(usize, &Column)> = o
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !used_old.contains(&c.id))
            .collect();
        let gained: Vec<(usize, &Column)> = n
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !used_new.contains(&c.id))
            .collect();
        if let ([(i, c)], [(j, x)]) = (lost.as_slice(), gained.as_slice())
            && type_key(x) == type_key(c)
            && x.nullable == c.nullable
        {
            let (conf, why) = if i == j {
                (
                    0.9,
                    "the only dropped and added column, same type and position",
                )
            } else {
                (0.7, "the only dropped and added column, same type")
            };
            pairs.push((c.id, x.id, Some((conf, why.to_string()))));
        }
    }
    pairs
}
