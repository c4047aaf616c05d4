//! The one rule catalogue (`analysis::rules`, issue 15 "rules as units"): its shape, and every
//! rule of every family (CF, DL, NF, IX, MG) run on its own fixtures. A positive fixture fires
//! the rule, with its default severity, in every dialect the rule applies to and in no other; a
//! negative one fires it in no dialect. Project rules also show in `lint::problems`, the list
//! `crowfoot check` and the studio report. Every code the sources can report is catalogued.

use crowfoot::analysis::lint;
use crowfoot::analysis::rules::{self, Check, Family, Fixture, Loaded, Rule};
use crowfoot::model::Dialect;
use std::collections::BTreeSet;

#[test]
fn catalogue_is_well_formed() {
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for r in rules::all() {
        let id = r.id;
        assert!(ids.insert(id), "{id} twice");
        assert!(names.insert(r.name), "{id}: name {} twice", r.name);
        assert!(
            id.len() == r.family.prefix().len() + 3
                && id.starts_with(r.family.prefix())
                && id[r.family.prefix().len()..]
                    .chars()
                    .all(|c| c.is_ascii_digit()),
            "{id}: id of family {:?}",
            r.family
        );
        assert!(
            !r.name.is_empty()
                && r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{id}: name {:?} is not kebab-case",
            r.name
        );
        assert!(r.rationale.len() > 30, "{id}: rationale too short");
        assert!(!r.fires_when.is_empty(), "{id}: fires_when");
        for text in [r.name, r.rationale, r.fires_when] {
            assert!(
                !text.contains('|') && !text.contains('\n'),
                "{id}: a table cell"
            );
        }
        assert!(!r.dialects.is_empty(), "{id}: dialects");
        let distinct: BTreeSet<_> = r.dialects.iter().collect();
        assert_eq!(distinct.len(), r.dialects.len(), "{id}: a dialect twice");
        assert!(!r.positive.is_empty(), "{id}: no positive fixture");
        assert!(!r.negative.is_empty(), "{id}: no negative fixture");
        let migration = r.family == Family::Migration;
        match r.check {
            Check::Own(_) => assert_eq!(r.family, Family::Design, "{id}: own function"),
            Check::Runner(_) => assert!(
                !migration && r.family != Family::Design,
                "{id}: a family runner"
            ),
            Check::Migration(_) => assert!(migration, "{id}: migration runner"),
            Check::Distribution { engines, .. } => {
                assert_eq!(r.family, Family::Distribution, "{id}: distribution check");
                // Its dialects are its engines' dialects, each once, in order.
                let mut want: Vec<Dialect> = Vec::new();
                for e in engines {
                    if !want.contains(&e.dialect()) {
                        want.push(e.dialect());
                    }
                }
                assert_eq!(r.dialects, want.as_slice(), "{id}: dialects of its engines");
            }
        }
        assert_eq!(
            matches!(r.check, Check::Distribution { .. }),
            r.family == Family::Distribution,
            "{id}: distribution rules and only they judge an engine"
        );
        for f in r.positive.iter().chain(r.negative) {
            assert_eq!(
                matches!(f, Fixture::Migration { .. }),
                migration,
                "{id}: fixture kind"
            );
        }
        assert_eq!(rules::get(id).map(|x| x.id), Some(id));
        assert_eq!(rules::severity(id), r.severity);
    }
    // The catalogue lists families in order, each rule once, ids ascending within a family.
    let order: Vec<(Family, &str)> = rules::all().map(|r| (r.family, r.id)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    for (family, n) in [
        (Family::Validation, 8),
        (Family::Design, 14),
        (Family::Normalization, 2),
        (Family::Index, 7),
        (Family::Migration, 9),
        (Family::Security, 9),
        (Family::Distribution, 11),
    ] {
        assert_eq!(family.rules().count(), n, "{family:?}");
    }
    assert!(
        rules::in_problems().all(|r| !matches!(r.family, Family::Migration | Family::Distribution))
    );
}

fn fixture_failures(r: &Rule) -> Vec<String> {
    let mut bad = Vec::new();
    let id = r.id;
    for (kind, fixtures) in [("positive", r.positive), ("negative", r.negative)] {
        for (i, f) in fixtures.iter().enumerate() {
            for d in Dialect::ALL {
                let found = match r.fixture_findings(f, d) {
                    Ok(v) => v,
                    Err(e) => {
                        bad.push(format!("{id} {kind} #{i}: {e}"));
                        break;
                    }
                };
                let want = kind == "positive" && r.applies_to(d);
                if want && found.is_empty() {
                    bad.push(format!("{id} {kind} #{i}: does not fire for {d}"));
                }
                if !want && !found.is_empty() {
                    bad.push(format!("{id} {kind} #{i}: fires for {d}: {found:?}"));
                }
                if let Some(p) = found.iter().find(|p| p.severity != r.severity) {
                    bad.push(format!("{id} {kind} #{i}: severity {:?}", p.severity));
                }
            }
        }
    }
    bad
}

#[test]
fn every_rule_fires_on_its_positive_fixtures_and_only_there() {
    let bad: Vec<String> = rules::all().flat_map(fixture_failures).collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A rule's own function reports that rule only, and `lint::problems` (what `crowfoot check`,
/// SARIF and the studio's Problems panel show) reports every project rule on its positive
/// fixtures and none on its negatives, with its default severity.
#[test]
fn problems_report_every_project_rule_on_its_fixtures() {
    let mut bad = Vec::new();
    for r in rules::in_problems() {
        let home = r.dialects[0];
        for (positive, f) in r
            .positive
            .iter()
            .map(|f| (true, f))
            .chain(r.negative.iter().map(|f| (false, f)))
        {
            let Ok(Loaded::Project(p)) = f.load(home) else {
                bad.push(format!("{}: fixture does not load", r.id));
                continue;
            };
            if let Check::Own(own) = r.check {
                let mut v = Vec::new();
                own(&p, home, &mut v);
                if let Some(x) = v.iter().find(|x| x.code != r.id) {
                    bad.push(format!("{}: its function reports {}", r.id, x.code));
                }
            }
            let found: Vec<_> = lint::problems(&p, home)
                .into_iter()
                .filter(|x| x.code == r.id)
                .collect();
            if positive == found.is_empty() {
                bad.push(format!(
                    "{} (positive: {positive}): problems {found:?}",
                    r.id
                ));
            }
            if found.iter().any(|x| x.severity != r.severity) {
                bad.push(format!("{}: severity in problems", r.id));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Every `XXnnn` code a rule's source can report is in the catalogue, and every catalogued
/// rule is reported somewhere in its family's source.
#[test]
fn every_reported_code_is_catalogued() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // Every source file of the analysis (but the catalogue itself) and of migrations.
    let mut files = Vec::new();
    let mut dirs = vec![root.join("src/analysis"), root.join("src/sql/migrate")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("rules") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|x| x == "rs") {
                files.push(path);
            }
        }
    }
    let src: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let mut seen = BTreeSet::new();
    for (i, _) in src.match_indices('"') {
        // An id is a family prefix and three digits between quotes: `"DL009"`, `"SEC001"`.
        let rest = &src[i + 1..];
        let Some(family) = Family::ALL.iter().find(|f| rest.starts_with(f.prefix())) else {
            continue;
        };
        let len = family.prefix().len() + 3;
        let Some(id) = rest.get(..len) else { continue };
        if rest[len..].starts_with('"')
            && id[family.prefix().len()..]
                .chars()
                .all(|c| c.is_ascii_digit())
        {
            assert!(
                rules::get(id).is_some(),
                "{id} is reported but not catalogued"
            );
            seen.insert(id.to_string());
        }
    }
    for r in rules::all() {
        assert!(
            seen.contains(r.id),
            "{} is catalogued but never reported",
            r.id
        );
    }
}
