//! The order objects are created in: tables along their foreign keys, views along their uses.

use super::*;

/// Tables in an order where each table comes after the tables it references, when possible.
/// Ties (and the table that breaks a cycle) go to the smallest id. O((V + E) log V).
pub fn table_order(p: &Project) -> Vec<TableId> {
    let mut deps: BTreeMap<TableId, BTreeSet<TableId>> = BTreeMap::new();
    let mut dependents: BTreeMap<TableId, Vec<TableId>> = BTreeMap::new();
    for t in p.tables() {
        deps.insert(t.id, BTreeSet::new());
    }
    for fk in p.foreign_keys() {
        if fk.from_table != fk.to_table
            && deps
                .get_mut(&fk.from_table)
                .is_some_and(|d| d.insert(fk.to_table))
        {
            dependents
                .entry(fk.to_table)
                .or_default()
                .push(fk.from_table);
        }
    }
    let mut indeg: BTreeMap<TableId, usize> = deps.iter().map(|(k, v)| (*k, v.len())).collect();
    let mut ready: BTreeSet<TableId> = indeg
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| *k)
        .collect();
    let mut remaining: BTreeSet<TableId> = deps.keys().copied().collect();
    let mut order = Vec::with_capacity(remaining.len());
    while let Some(&first) = remaining.first() {
        let t = ready.pop_first().unwrap_or(first);
        remaining.remove(&t);
        order.push(t);
        for d in dependents.get(&t).map(Vec::as_slice).unwrap_or(&[]) {
            if remaining.contains(d) {
                let n = indeg.get_mut(d).expect("every table has a degree");
                *n -= 1;
                if *n == 0 {
                    ready.insert(*d);
                }
            }
        }
    }
    order
}

/// Views in an order that can create them: a view that names another view comes after it
/// (names found as words in the query). Views that name each other in a cycle cannot be
/// created in any order: they come last, in id order, with a warning.
pub fn view_order<'p>(p: &'p Project, cx: &mut Cx) -> Vec<&'p View> {
    let views: Vec<&View> = p.views().collect();
    let lower: Vec<String> = views.iter().map(|v| v.sql.to_lowercase()).collect();
    let names: Vec<String> = views.iter().map(|v| v.name.to_lowercase()).collect();
    // needs[i]: the views view i names (itself excluded: a recursive view).
    let needs: Vec<Vec<usize>> = (0..views.len())
        .map(|i| {
            (0..views.len())
                .filter(|&j| j != i && util::contains_word(&lower[i], &names[j]))
                .collect()
        })
        .collect();
    let mut done = vec![false; views.len()];
    let mut out = Vec::with_capacity(views.len());
    loop {
        let ready: Vec<usize> = (0..views.len())
            .filter(|&i| !done[i] && needs[i].iter().all(|&j| done[j]))
            .collect();
        if ready.is_empty() {
            break;
        }
        for i in ready {
            done[i] = true;
            out.push(views[i]);
        }
    }
    let stuck: Vec<usize> = (0..views.len()).filter(|&i| !done[i]).collect();
    if !stuck.is_empty() {
        let list: Vec<&str> = stuck.iter().map(|&i| views[i].name.as_str()).collect();
        cx.warn(
            &list.join(", "),
            "these views name each other in a cycle: no order can create them (the script \
             will fail on the first); break the cycle",
        );
        out.extend(stuck.into_iter().map(|i| views[i]));
    }
    out
}
