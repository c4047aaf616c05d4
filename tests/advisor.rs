//! The workload index advisor (issue 7) on real schemas (Chinook, Sakila; copies in
//! tests/fixtures/advisor, see its README for sources and licences) with hand-written
//! workloads. The acceptance rule is checked literally against a real SQLite database built
//! from the exported schema, without the advisor's statistics.

use crowfoot::analysis::advisor::{self, Advice, Suggestion};
use crowfoot::model::{Dialect, History, IndexTarget, Project, Table, TableStats};
use crowfoot::sql::import::import_sql;
use rusqlite::Connection;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/advisor/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()
}

fn import(name: &str, d: Dialect) -> Project {
    let r = import_sql(&fixture(name), Some(d));
    assert!(r.project.table_count() > 5, "{name} imported");
    assert_eq!(r.project.settings().target_dialect, d);
    r.project
}

fn chinook() -> Project {
    import("chinook.sqlite.sql", Dialect::Sqlite)
}

fn sakila() -> Project {
    import("sakila-schema.sqlite.sql", Dialect::Sqlite)
}

const CHINOOK_WORKLOAD: &str = "\
-- customer lookup on login
-- weight: 20
SELECT c.FirstName, c.LastName FROM Customer c WHERE c.Email = ?;
SELECT * FROM Track WHERE Composer = 'AC/DC' ORDER BY Name;
SELECT i.InvoiceDate, i.Total FROM Invoice i
 WHERE i.BillingCountry = ? AND i.InvoiceDate >= ?;
SELECT g.Name, count(*) FROM Track t JOIN Genre g ON g.GenreId = t.GenreId
 WHERE t.UnitPrice > 1 GROUP BY g.Name;
SELECT Country, count(*) FROM Customer GROUP BY Country;
SELECT * FROM Employee ORDER BY HireDate DESC;
SELECT a.Title FROM Album a JOIN Artist ar ON ar.ArtistId = a.ArtistId WHERE ar.Name = ?;
SELECT * FROM Track WHERE AlbumId = ?;
UPDATE Customer SET Phone = ? WHERE Phone = ?;
DELETE FROM InvoiceLine WHERE Quantity = 0;
";

const SAKILA_WORKLOAD: &str = "\
SELECT f.title FROM film f
  JOIN film_category fc ON fc.film_id = f.film_id
  JOIN category c ON c.category_id = fc.category_id
 WHERE c.name = ?;
-- weight: 5
SELECT * FROM film WHERE rating = 'PG' AND length > 120 ORDER BY title;
SELECT customer_id, sum(amount) FROM payment WHERE payment_date >= ? GROUP BY customer_id;
SELECT r.rental_date FROM rental r WHERE r.return_date IS NULL;
SELECT * FROM customer WHERE email = ?;
SELECT a.first_name FROM actor a WHERE a.last_name = ?;
SELECT p.amount FROM payment p JOIN rental r ON r.rental_id = p.rental_id WHERE r.customer_id = ?;
UPDATE rental SET return_date = ? WHERE rental_id = ?;
DELETE FROM payment WHERE rental_id = ?;
";

/// A real SQLite database file holding the project's exported SQLite schema (no statistics).
fn real_db(p: &Project) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join("real.db")).unwrap();
    conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;")
        .unwrap();
    // A project of another dialect: its views are written in that dialect and SQLite can't
    // read them, so only the tables (with keys and indexes) are exported, as the advisor does.
    let ddl = if p.settings().target_dialect == Dialect::Sqlite {
        crowfoot::sql::export(p, Dialect::Sqlite)
    } else {
        let all = p.tables().map(|t| t.id).collect();
        crowfoot::sql::export_tables(p, Dialect::Sqlite, &all)
    };
    conn.execute_batch(&ddl.sql)
        .unwrap_or_else(|e| panic!("exported schema loads: {e}\n{}", ddl.sql));
    (dir, conn)
}

fn eqp(c: &Connection, sql: &str) -> Vec<String> {
    let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let mut rows = st.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next().unwrap() {
        out.push(r.get::<_, String>(3).unwrap());
    }
    out
}

/// The name token after `SCAN `/`SEARCH ` (the alias when the plan shows `t AS a`).
fn access_name(line: &str) -> Option<String> {
    let rest = line
        .trim()
        .strip_prefix("SCAN ")
        .or_else(|| line.trim().strip_prefix("SEARCH "))?;
    let w: Vec<&str> = rest.split(' ').collect();
    if w.get(1) == Some(&"AS") {
        w.get(2).map(|s| s.to_string())
    } else {
        w.first().map(|s| s.to_string())
    }
}

fn index_sql(p: &Project, s: &Suggestion, name: &str) -> String {
    let t = p.table(s.table_id).unwrap();
    let cols: Vec<String> = s
        .columns
        .iter()
        .map(|c| match c.strip_suffix(" DESC") {
            // An expression part is its SQL text.
            _ if c.contains('(') => c.clone(),
            Some(n) => format!("\"{n}\" DESC"),
            None => format!("\"{c}\""),
        })
        .collect();
    format!(
        "CREATE INDEX \"{name}\" ON \"{}\" ({})",
        t.name,
        cols.join(", ")
    )
}

/// The acceptance rule: created alone in a real database with the exported schema,
/// the suggestion appears in the plan of a workload query that fully scanned that table
/// (same plan name) before.
fn assert_acceptance(p: &Project, advice: &Advice) {
    let (_dir, conn) = real_db(p);
    let before: Vec<Vec<String>> = advice.queries.iter().map(|q| eqp(&conn, &q.sql)).collect();
    for s in &advice.suggested {
        conn.execute_batch(&index_sql(p, s, "advisor_check"))
            .unwrap();
        let mut ok = false;
        for (q, b) in advice.queries.iter().zip(&before) {
            for line in eqp(&conn, &q.sql) {
                let uses = line.contains("USING INDEX advisor_check ")
                    || line.contains("USING COVERING INDEX advisor_check ")
                    || line.ends_with("INDEX advisor_check");
                if !uses {
                    continue;
                }
                let name = access_name(&line).unwrap();
                if b.iter().any(|l| {
                    l.trim().starts_with("SCAN ") && access_name(l).as_deref() == Some(&name)
                }) {
                    ok = true;
                }
            }
        }
        assert!(
            ok,
            "suggestion {}({}) is not used by any query that scanned it before",
            s.table,
            s.columns.join(", ")
        );
        conn.execute_batch("DROP INDEX advisor_check").unwrap();
    }
}

/// Every key the table has, by column names (the primary key, unique constraints, indexes).
fn keys(t: &Table) -> Vec<Vec<String>> {
    let mut v: Vec<Vec<String>> = Vec::new();
    if let Some(pk) = &t.primary_key {
        v.push(pk.columns.iter().map(|c| t.column_name(*c)).collect());
    }
    for u in &t.uniques {
        v.push(u.columns.iter().map(|c| t.column_name(*c)).collect());
    }
    for i in &t.indexes {
        v.push(
            i.parts
                .iter()
                .map(|p| match &p.target {
                    IndexTarget::Column(c) => t.column_name(*c),
                    IndexTarget::Expr(e) => e.clone(),
                })
                .collect(),
        );
    }
    v
}

fn assert_no_duplicates(p: &Project, advice: &Advice) {
    for (k, s) in advice.suggested.iter().enumerate() {
        let t = p.table(s.table_id).unwrap();
        let cols: Vec<String> = s
            .columns
            .iter()
            .map(|c| c.trim_end_matches(" DESC").to_string())
            .collect();
        for key in keys(t) {
            assert!(
                !(key.len() >= cols.len() && key[..cols.len()] == cols[..]),
                "{}({}) duplicates or prefixes an existing key ({})",
                s.table,
                cols.join(", "),
                key.join(", ")
            );
        }
        for other in &advice.suggested[k + 1..] {
            assert!(
                !(other.table == s.table && other.columns == s.columns),
                "suggested twice: {}({})",
                s.table,
                s.columns.join(", ")
            );
        }
    }
}

#[test]
fn chinook_suggestions_meet_the_acceptance_rule() {
    let p = chinook();
    let advice = advisor::advise(&p, CHINOOK_WORKLOAD).unwrap();
    assert!(advice.errors.is_empty(), "{:?}", advice.errors);
    assert_eq!(advice.queries.len(), 10);
    assert!(
        advice.suggested.len() >= 3,
        "{:#?}",
        advice
            .suggested
            .iter()
            .map(|s| (&s.table, &s.columns))
            .collect::<Vec<_>>()
    );
    assert_acceptance(&p, &advice);
    assert_no_duplicates(&p, &advice);
    // The weighted login lookup is served, and ranked first.
    let top = &advice.suggested[0];
    assert_eq!(top.table, "Customer");
    assert_eq!(top.columns.first().map(String::as_str), Some("Email"));
    for w in advice.suggested.windows(2) {
        assert!(w[0].benefit >= w[1].benefit);
    }
    for s in &advice.suggested {
        assert!(s.benefit > 0.0);
        assert!(!s.serves.is_empty());
        for &q in &s.serves {
            let after = advice.queries[q].plan_after.join("\n");
            assert!(after.contains(&s.index.name), "{after}");
        }
    }
    // The query already served by IFK_TrackAlbumId keeps its plan.
    let q = advice
        .queries
        .iter()
        .find(|q| q.sql.contains("AlbumId = ?"))
        .unwrap();
    assert!(q.plan_before.iter().any(|l| l.contains("IFK_TrackAlbumId")));
    assert_eq!(q.plan_before, q.plan_after);
    // JSON shapes the CLI prints.
    let json = serde_json::to_value(&advice).unwrap();
    let q0 = &json["queries"][0];
    assert!(q0["sql"].is_string() && q0["plan_before"].is_array() && q0["plan_after"].is_array());
    let s0 = &json["suggested"][0];
    assert_eq!(s0["table"], "Customer");
    assert!(s0["columns"].is_array() && s0["unique"].is_boolean() && s0["benefit"].is_number());
}

#[test]
fn sakila_suggestions_meet_the_acceptance_rule() {
    let p = sakila();
    let advice = advisor::advise(&p, SAKILA_WORKLOAD).unwrap();
    assert!(advice.errors.is_empty(), "{:?}", advice.errors);
    assert!(
        advice.suggested.len() >= 3,
        "{:#?}",
        advice
            .suggested
            .iter()
            .map(|s| (&s.table, &s.columns))
            .collect::<Vec<_>>()
    );
    assert_acceptance(&p, &advice);
    assert_no_duplicates(&p, &advice);
    // actor.last_name has idx_actor_last_name: nothing on it.
    assert!(
        !advice
            .suggested
            .iter()
            .any(|s| s.table == "actor" && s.columns[0] == "last_name")
    );
}

#[test]
fn a_postgres_project_is_analysed_through_its_sqlite_rendering() {
    let p = import("sakila-schema.postgres.sql", Dialect::Postgres);
    let advice = advisor::advise(&p, SAKILA_WORKLOAD).unwrap();
    assert!(advice.errors.is_empty(), "{:?}", advice.errors);
    assert!(
        !advice
            .warnings
            .iter()
            .any(|w| w.contains("could not be created")
                && (w.contains(" film ") || w.contains(" payment ") || w.contains(" rental "))),
        "{:#?}",
        advice.warnings
    );
    assert!(!advice.suggested.is_empty());
    assert_acceptance(&p, &advice);
    assert_no_duplicates(&p, &advice);
}

#[test]
fn accepted_suggestions_leave_nothing_to_suggest() {
    let mut p = chinook();
    let advice = advisor::advise(&p, CHINOOK_WORKLOAD).unwrap();
    assert!(!advice.suggested.is_empty());
    let mut h = History::default();
    for s in &advice.suggested {
        let cmd = advisor::accept(&p, s).unwrap();
        h.apply(&mut p, cmd).unwrap();
    }
    // Exported with the accepted indexes, a real database uses each of them.
    let (_dir, conn) = real_db(&p);
    for s in &advice.suggested {
        let t = p.table(s.table_id).unwrap();
        let ix = t.indexes.last_mut_name(&s.index.name);
        let used = advice
            .queries
            .iter()
            .any(|q| eqp(&conn, &q.sql).iter().any(|l| l.contains(&ix)));
        assert!(used, "{ix} unused in the real database");
    }
    // The workload is now served: no more suggestions.
    let again = advisor::advise(&p, CHINOOK_WORKLOAD).unwrap();
    assert!(
        again.suggested.is_empty(),
        "{:#?}",
        again
            .suggested
            .iter()
            .map(|s| (&s.table, &s.columns))
            .collect::<Vec<_>>()
    );
    for q in &again.queries {
        assert_eq!(q.plan_before, q.plan_after);
    }
}

trait IndexNames {
    fn last_mut_name(&self, suggested: &str) -> String;
}

impl IndexNames for Vec<crowfoot::model::Index> {
    /// The name the accepted index got (the suggested one unless it was taken meanwhile).
    fn last_mut_name(&self, suggested: &str) -> String {
        self.iter()
            .find(|i| i.name == suggested || i.name.starts_with(&format!("{suggested}_")))
            .map(|i| i.name.clone())
            .unwrap_or_else(|| panic!("accepted index {suggested} missing"))
    }
}

#[test]
fn a_served_workload_gets_no_suggestion() {
    let p = chinook();
    let w = "SELECT * FROM Track WHERE AlbumId = ?;\n\
             SELECT * FROM Invoice WHERE CustomerId = ? ;\n\
             SELECT * FROM Customer WHERE CustomerId = 7;\n\
             SELECT t.Name FROM Track t JOIN Album a ON a.AlbumId = t.AlbumId WHERE a.AlbumId = 3;\n\
             UPDATE Invoice SET Total = 0 WHERE InvoiceId = 1;";
    let advice = advisor::advise(&p, w).unwrap();
    assert_eq!(advice.queries.len(), 5);
    assert!(advice.suggested.is_empty());
    for q in &advice.queries {
        assert!(
            !q.plan_before
                .iter()
                .any(|l| l.trim() == "SCAN Track" || l.trim() == "SCAN Invoice"),
            "{:?}",
            q.plan_before
        );
    }
}

#[test]
fn weights_change_the_ranking() {
    let p = chinook();
    let rank = |w_customer: u32, w_employee: u32| -> Vec<String> {
        let w = format!(
            "-- weight: {w_customer}\nSELECT * FROM Customer WHERE Email = ?;\n\
             -- weight: {w_employee}\nSELECT * FROM Employee WHERE Title = ?;"
        );
        let a = advisor::advise(&p, &w).unwrap();
        assert_eq!(a.suggested.len(), 2);
        a.suggested.iter().map(|s| s.table.clone()).collect()
    };
    assert_eq!(rank(1, 50), ["Employee", "Customer"]);
    assert_eq!(rank(50, 1), ["Customer", "Employee"]);
}

#[test]
fn writes_cost_and_estimates_count() {
    let mut p = chinook();
    let read = "SELECT * FROM Customer WHERE Phone = ?;";
    assert_eq!(advisor::advise(&p, read).unwrap().suggested.len(), 1);
    // Heavy updates of the column outweigh one read.
    let w =
        format!("{read}\n-- weight: 1000000\nUPDATE Customer SET Phone = ? WHERE CustomerId = ?;");
    let a = advisor::advise(&p, &w).unwrap();
    assert!(a.suggested.is_empty(), "{:?}", a.suggested);
    // Updates of other columns do not.
    let w =
        format!("{read}\n-- weight: 1000000\nUPDATE Customer SET Fax = ? WHERE CustomerId = ?;");
    assert_eq!(advisor::advise(&p, &w).unwrap().suggested.len(), 1);
    // A write-heavy table pays for its writes; a small one is not worth an index.
    let cid = p.table_by_name(None, "Customer").unwrap().id;
    let mut h = History::default();
    let mut benefit_with = |p: &mut Project, rows: u64, write_heavy: bool| -> Option<f64> {
        let stats = TableStats {
            rows: Some(rows),
            write_heavy,
            ..Default::default()
        };
        let cmd = crowfoot::model::Command::SetTableStats {
            table: cid,
            stats: Some(stats),
        };
        h.apply(p, cmd).unwrap();
        let a = advisor::advise(p, read).unwrap();
        a.suggested.first().map(|s| {
            assert_eq!(write_heavy, s.write_cost > 0.0);
            s.benefit
        })
    };
    // A column with two values is not worth an index: a search would fetch half the rows.
    let phone = p.table(cid).unwrap().column_by_name("Phone").unwrap().id;
    let two_values = TableStats {
        rows: Some(100_000),
        columns: vec![crowfoot::model::ColumnStats {
            column: phone,
            distinct: Some(2),
            null_fraction: None,
            most_common: None,
        }],
        ..Default::default()
    };
    crowfoot::model::Command::SetTableStats {
        table: cid,
        stats: Some(two_values),
    }
    .apply(&mut p)
    .unwrap();
    let a = advisor::advise(&p, read).unwrap();
    assert!(a.suggested.is_empty(), "{:?}", a.suggested);
    let light = benefit_with(&mut p, 100_000, false).unwrap();
    let heavy = benefit_with(&mut p, 100_000, true).unwrap();
    assert!(heavy < light, "{heavy} < {light}");
    assert!(benefit_with(&mut p, 100, false).is_some());
    assert!(benefit_with(&mut p, 100, true).is_none());
}

#[test]
fn bad_statements_are_located_and_the_rest_analysed() {
    let p = chinook();
    let w = "SELECT * FROM Customer WHERE Email = ?;\n\
             \n\
             SELECT FROM WHERE;\n\
             SELECT * FROM NoSuchTable WHERE x = 1;\n\
             SELECT * FROM Employee WHERE Title = ?;\n\
             -- weight: lots\n\
             SELECT * FROM Invoice WHERE BillingCity = ?;";
    let advice = advisor::advise(&p, w).unwrap();
    let lines: Vec<usize> = advice.errors.iter().map(|e| e.line).collect();
    assert!(lines.contains(&3), "{:?}", advice.errors);
    assert!(lines.contains(&4), "{:?}", advice.errors);
    assert!(lines.contains(&7), "{:?}", advice.errors);
    assert!(
        advice
            .errors
            .iter()
            .any(|e| e.line == 4 && e.message.contains("NoSuchTable")),
        "{:?}",
        advice.errors
    );
    assert_eq!(advice.queries.len(), 3);
    let tables: Vec<&str> = advice.suggested.iter().map(|s| s.table.as_str()).collect();
    for t in ["Customer", "Employee", "Invoice"] {
        assert!(tables.contains(&t), "{tables:?}");
    }
}

#[test]
fn accept_is_an_undoable_command() {
    let mut p = chinook();
    let original = p.clone();
    let advice = advisor::advise(&p, "SELECT * FROM Customer WHERE Email = ?;").unwrap();
    let s = &advice.suggested[0];
    let cmd = advisor::accept(&p, s).unwrap();
    let mut h = History::default();
    h.apply(&mut p, cmd).unwrap();
    let t = p.table(s.table_id).unwrap();
    let ix = t.indexes.last().unwrap();
    assert_eq!(ix.name, s.index.name);
    assert_eq!(ix.parts.len(), s.columns.len());
    assert!(
        crowfoot::sql::export(&p, Dialect::Sqlite)
            .sql
            .contains(&ix.name)
    );
    // Accepting it again is refused: the key exists now.
    assert!(advisor::accept(&p, s).is_err());
    h.undo(&mut p).unwrap();
    assert_eq!(p, original);
    h.redo(&mut p).unwrap();
    assert_eq!(
        p.table(s.table_id).unwrap().indexes.len(),
        t_len(&original, s) + 1
    );
}

fn t_len(p: &Project, s: &Suggestion) -> usize {
    p.table(s.table_id).unwrap().indexes.len()
}

#[test]
fn accept_names_are_unique_in_the_project() {
    let mut p = chinook();
    let advice = advisor::advise(&p, "SELECT * FROM Customer WHERE Email = ?;").unwrap();
    let mut s = advice.suggested[0].clone();
    // Another table already uses the suggested name.
    let other = p.table_by_name(None, "Employee").unwrap().id;
    let email = p.table(other).unwrap().column_by_name("Email").unwrap().id;
    let taken = crowfoot::model::Index {
        id: crowfoot::model::IndexId(p.alloc_id()),
        name: s.index.name.clone(),
        unique: false,
        parts: vec![crowfoot::model::IndexPart::column(email)],
        where_clause: None,
        include: Vec::new(),
        method: None,
    };
    let mut h = History::default();
    h.apply(
        &mut p,
        crowfoot::model::Command::AddIndex {
            table: other,
            index: Box::new(taken),
            at: None,
        },
    )
    .unwrap();
    s.index.name = "whatever".into();
    let crowfoot::model::Command::AddIndex { index, .. } = advisor::accept(&p, &s).unwrap() else {
        panic!("AddIndex expected");
    };
    let names: Vec<String> = p
        .tables()
        .flat_map(|t| t.indexes.iter().map(|i| i.name.to_lowercase()))
        .collect();
    assert!(
        !names.contains(&index.name.to_lowercase()),
        "{}",
        index.name
    );
    assert!(index.name.starts_with("ix_Customer_Email"));
}

#[test]
fn generated_schema_and_workload_meet_the_acceptance_rule() {
    let p = crowfoot::samples::generated::build(40, 10, 3);
    let w = crowfoot::samples::generated::workload(&p, 60, 3);
    let advice = advisor::advise(&p, &w).unwrap();
    assert!(advice.errors.is_empty(), "{:?}", advice.errors);
    assert_eq!(advice.queries.len(), 60);
    assert!(advice.suggested.len() >= 10, "{}", advice.suggested.len());
    assert_acceptance(&p, &advice);
    assert_no_duplicates(&p, &advice);
}

#[test]
fn expressions_compared_for_equality_get_expression_indexes() {
    let mut p = chinook();
    let w = "SELECT c.CustomerId FROM Customer c WHERE lower(c.Email) = lower(?);";
    let advice = advisor::advise(&p, w).unwrap();
    assert_eq!(advice.suggested.len(), 1, "{:?}", advice.suggested);
    let s = &advice.suggested[0];
    assert_eq!(s.table, "Customer");
    assert_eq!(s.columns, ["lower(Email)"]);
    assert!(matches!(&s.index.parts[0].target, IndexTarget::Expr(e) if e == "lower(Email)"));
    assert_acceptance(&p, &advice);
    let json = serde_json::to_value(&advice).unwrap();
    assert_eq!(json["suggested"][0]["columns"][0], "lower(Email)");
    // Accepted, exported and used; then nothing more to suggest.
    let cmd = advisor::accept(&p, s).unwrap();
    History::default().apply(&mut p, cmd).unwrap();
    let (_dir, conn) = real_db(&p);
    let plan = eqp(&conn, &advice.queries[0].sql).join("\n");
    assert!(plan.contains(&s.index.name), "{plan}");
    assert!(advisor::advise(&p, w).unwrap().suggested.is_empty());
}

/// A partial index does not serve a statement without its predicate: a plain index on the same
/// column is still suggested (shop's `ix_products_active_name ... WHERE is_active`), and it
/// meets the acceptance rule.
#[test]
fn a_partial_index_does_not_hide_a_plain_suggestion() {
    let p = crowfoot::samples::shop::build();
    let advice = advisor::advise(&p, "SELECT * FROM products WHERE name = 'x';").unwrap();
    assert!(
        advice
            .suggested
            .iter()
            .any(|s| s.table == "products" && s.columns == ["name"]),
        "{:?}",
        advice.suggested
    );
    assert_acceptance(&p, &advice);
}

/// Suggested and accepted indexes are named by the project's index pattern, as indexes made in
/// the studio are.
#[test]
fn suggestions_follow_the_project_naming_pattern() {
    let mut p = crowfoot::samples::shop::build();
    let mut s = p.settings().clone();
    s.naming.index_pattern = "idx_{columns}_on_{table}".into();
    crowfoot::model::Command::SetSettings(Box::new(s))
        .apply(&mut p)
        .unwrap();
    let advice = advisor::advise(&p, "SELECT * FROM products WHERE name = 'x';").unwrap();
    let sug = advice
        .suggested
        .iter()
        .find(|s| s.table == "products")
        .expect("a suggestion on products");
    assert_eq!(sug.index.name, "idx_name_on_products");
    let cmd = advisor::accept(&p, sug).unwrap();
    match cmd {
        crowfoot::model::Command::AddIndex { index, .. } => {
            assert_eq!(index.name, "idx_name_on_products")
        }
        other => panic!("{other:?}"),
    }
}
