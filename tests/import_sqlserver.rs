//! SQL Server import over the corpus (../shared/corpus): every `*.sqlserver.sql` file imports
//! without panic, with the manifest's table count, and with every key, constraint, default
//! and index its text declares (counted here from the text by a small tokenizer that knows
//! nothing of the importer). Also: dialect detection is right for every corpus file whose
//! dialect the importer knows (the dialect is the file name's suffix).

use crowfoot::model::{Dialect, IndexMethod, Project, Table};
use crowfoot::sql::import::{ImportResult, NoteKind, detect_dialect, import_sql};
use std::collections::BTreeSet;
use std::path::Path;
use support::corpus::{corpus_dir, manifest_rows, read};

mod support {
    pub mod corpus;
}

fn manifest(dir: &Path) -> Vec<(String, String, usize)> {
    manifest_rows(dir)
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["dialect"].as_str().unwrap().to_string(),
                r["tables_own"].as_u64().unwrap_or(0) as usize,
            )
        })
        .collect()
}

fn import(dir: &Path, f: &str) -> ImportResult {
    import_sql(&read(dir, f), Some(Dialect::SqlServer))
}

fn table<'a>(p: &'a Project, name: &str) -> &'a Table {
    p.tables()
        .find(|t| t.name.eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("no table {name}"))
}

// -- counting from the text -------------------------------------------------------------------

/// Upper-cased words and punctuation of a T-SQL script, without comments and string literals
/// (a literal becomes `'`); `[x]` and `"x"` become the word `X`. Batches of procedures,
/// functions and triggers (which run to the next `GO`) are left out.
fn words(text: &str) -> Vec<String> {
    let mut batches: Vec<Vec<String>> = vec![Vec::new()];
    let c: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut at_line_start = true;
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            at_line_start = true;
            i += 1;
            continue;
        }
        if ch.is_whitespace() {
            i += 1;
            continue;
        }
        let line_start = std::mem::replace(&mut at_line_start, false);
        if ch == '-' && c.get(i + 1) == Some(&'-') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if ch == '/' && c.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            continue;
        }
        let tok = if ch == '\'' || ch == '[' || ch == '"' {
            let close = if ch == '[' { ']' } else { ch };
            let mut s = String::new();
            i += 1;
            while i < c.len() {
                if c[i] == close {
                    if c.get(i + 1) == Some(&close) {
                        s.push(close);
                        i += 2;
                        continue;
                    }
                    break;
                }
                s.push(c[i]);
                i += 1;
            }
            i += 1;
            if ch == '\'' {
                "'".to_string()
            } else {
                s.to_uppercase()
            }
        } else if ch.is_alphanumeric() || ch == '_' || ch == '@' || ch == '#' {
            let mut s = String::new();
            while i < c.len() && (c[i].is_alphanumeric() || matches!(c[i], '_' | '@' | '#')) {
                s.push(c[i]);
                i += 1;
            }
            s.to_uppercase()
        } else {
            i += 1;
            ch.to_string()
        };
        let next_is_eol = c[i..]
            .iter()
            .take_while(|x| **x != '\n')
            .all(|x| x.is_whitespace());
        if line_start && tok == "GO" && next_is_eol {
            batches.push(Vec::new());
        } else {
            batches.last_mut().unwrap().push(tok);
        }
    }
    batches
        .into_iter()
        .filter(|b| {
            let routine = b.len() > 2
                && matches!(b[0].as_str(), "CREATE" | "ALTER")
                && matches!(b[1].as_str(), "PROCEDURE" | "PROC" | "FUNCTION" | "TRIGGER");
            !routine
        })
        .flatten()
        .collect()
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    tables: usize,
    primary_keys: usize,
    foreign_keys: usize,
    uniques: usize,
    checks: usize,
    defaults: usize,
    /// CREATE INDEX statements (any kind but XML) on tables of the script.
    indexes: usize,
}

fn text_counts(text: &str) -> Counts {
    let w = words(text);
    let at = |i: usize| w.get(i).map(String::as_str).unwrap_or("");
    let mut n = Counts::default();
    let mut tables = BTreeSet::new();
    // An object name after position i: (index after it, last part).
    let name_after = |mut i: usize| {
        while at(i + 1) == "." {
            i += 2;
        }
        (i + 1, at(i).to_string())
    };
    for i in 0..w.len() {
        match at(i) {
            "TABLE" if at(i - 1) == "CREATE" && !at(i + 1).starts_with('#') => {
                n.tables += 1;
                tables.insert(name_after(i + 1).1);
            }
            "KEY" if at(i - 1) == "PRIMARY" => n.primary_keys += 1,
            "REFERENCES" => n.foreign_keys += 1,
            // UNIQUE as a constraint (not CREATE UNIQUE [..] INDEX).
            "UNIQUE" if at(i - 1) != "CREATE" => n.uniques += 1,
            "CHECK" if at(i + 1) == "(" => n.checks += 1,
            // `DEFAULT NULL` (also `DEFAULT (NULL)`) is no default: the model keeps none.
            "DEFAULT"
                if !matches!(at(i - 1), "SET" | "AS")
                    && at(i + 1) != "NULL"
                    && !(at(i + 1) == "(" && at(i + 2) == "NULL") =>
            {
                n.defaults += 1
            }
            _ => {}
        }
    }
    for i in 0..w.len() {
        if at(i) == "INDEX" && (i.saturating_sub(4)..i).any(|j| at(j) == "CREATE") {
            let head: Vec<&str> = (i.saturating_sub(4)..i).map(at).collect();
            if head.contains(&"XML") {
                continue;
            }
            let on = (i + 1..w.len()).find(|&j| at(j) == "ON").unwrap();
            if tables.contains(&name_after(on + 1).1) {
                n.indexes += 1;
            }
        }
    }
    n
}

fn model_counts(p: &Project) -> Counts {
    let tables: Vec<&Table> = p.tables().collect();
    Counts {
        tables: tables.len(),
        primary_keys: tables.iter().filter(|t| t.primary_key.is_some()).count(),
        foreign_keys: p.foreign_key_count(),
        uniques: tables.iter().map(|t| t.uniques.len()).sum(),
        checks: tables.iter().map(|t| t.checks.len()).sum(),
        defaults: tables
            .iter()
            .flat_map(|t| &t.columns)
            .filter(|c| c.default.is_some())
            .count(),
        indexes: tables.iter().map(|t| t.indexes.len()).sum(),
    }
}

// -- the corpus -------------------------------------------------------------------------------

#[test]
fn every_sqlserver_file_imports_its_tables_keys_and_indexes() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: ../shared/corpus not found");
        return;
    };
    let files: Vec<_> = manifest(&dir)
        .into_iter()
        .filter(|(_, d, _)| d == "sqlserver")
        .collect();
    assert!(
        files.len() >= 10,
        "sqlserver files in the manifest: {files:?}"
    );
    let mut bad = Vec::new();
    for (file, _, tables) in &files {
        let text = read(&dir, file);
        let r = import_sql(&text, Some(Dialect::SqlServer));
        let mut want = text_counts(&text);
        // The manifest counts CREATE TABLE statements too, but by its own means.
        assert_eq!(want.tables, *tables, "{file}: text vs manifest");
        // guacamole: a rule bound to an alias type is a CHECK on each column of that type.
        if file.starts_with("guacamole/") {
            want.checks += bound_rule_columns(&text);
        }
        let got = model_counts(&r.project);
        eprintln!(
            "{file:<48} text {want:?}\n{:<48} got  {got:?}; skipped {} partial {}",
            "",
            r.count(NoteKind::Skipped),
            r.count(NoteKind::Partial)
        );
        if got != want {
            bad.push(format!("{file}: text {want:?}\n   model {got:?}"));
        }
        // No parse errors left in table/index/constraint statements.
        for n in &r.report {
            let h = n.statement_head.as_str();
            if n.reason.starts_with("parse error")
                && (h.starts_with("CREATE TABLE")
                    || h.starts_with("ALTER TABLE")
                    || h.contains("INDEX")
                    || h.starts_with("CREATE TYPE"))
            {
                bad.push(format!("{file}: {n}"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Columns declared with an alias type that has a rule bound (guacamole): counted from the
/// text by type name.
fn bound_rule_columns(text: &str) -> usize {
    let mut bound = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.trim_start().starts_with("EXEC sp_bindrule") {
            let target = lines[i + 2].trim().trim_end_matches(';').trim_matches('\'');
            bound.push(format!("[{target}]"));
        }
    }
    let w = words(text);
    w.windows(3)
        .filter(|p| {
            bound
                .iter()
                .any(|b| p[2] == b.trim_matches(['[', ']']).to_uppercase())
                // after a column name, not `CREATE TYPE x` / `CREATE TABLE x` / `ON x`
                && !(p[0] == "CREATE" && matches!(p[1].as_str(), "TYPE" | "TABLE"))
                && !matches!(p[1].as_str(), "ON" | "REFERENCES")
        })
        .count()
}

#[test]
fn quartz_nonclustered_indexes_keys_and_storage_notes() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let r = import(&dir, "quartz/tables_sqlServer.sqlserver.sql");
    let p = &r.project;
    assert_eq!(p.table_count(), 11);
    let t = table(p, "QRTZ_TRIGGERS");
    let ix = t
        .indexes
        .iter()
        .find(|i| i.name == "IX_QRTZ_TRIGGERS_QRTZ_JOB_DETAILS")
        .expect("NONCLUSTERED index imported");
    assert_eq!(ix.parts.len(), 3);
    assert!(!ix.unique);
    // `ALTER TABLE .. WITH NOCHECK ADD CONSTRAINT .. PRIMARY KEY CLUSTERED (..) ON [PRIMARY]`
    let pk = t.primary_key.as_ref().expect("primary key added by ALTER");
    assert_eq!(pk.columns.len(), 3);
    // Ten `ADD CONSTRAINT .. PRIMARY KEY` statements; QRTZ_BLOB_TRIGGERS has none.
    let without: Vec<&str> = p
        .tables()
        .filter(|t| t.primary_key.is_none())
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(without, ["QRTZ_BLOB_TRIGGERS"]);
    // The trailing comma of QRTZ_SIMPROP_TRIGGERS does not lose the table.
    assert_eq!(table(p, "QRTZ_SIMPROP_TRIGGERS").columns.len(), 14);
    assert!(
        r.report
            .iter()
            .any(|n| n.reason.contains("storage options") && n.reason.contains("ON [PRIMARY]"))
    );
    // A clustered primary key is SQL Server's default: nothing to report.
    assert!(!r.report.iter().any(|n| n.reason.contains("CLUSTERED")));
}

#[test]
fn sakila_default_for_and_unique_nonclustered_index() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let r = import(&dir, "sakila/sakila-schema.sqlserver.sql");
    let p = &r.project;
    assert_eq!(p.table_count(), 16);
    let pay = table(p, "payment");
    let lu = pay.column_by_name("last_update").unwrap();
    assert_eq!(lu.default.as_deref(), Some("(getdate())"));
    assert!(!lu.nullable);
    // Every `ADD CONSTRAINT .. DEFAULT .. FOR last_update` landed.
    let with_default = p
        .tables()
        .filter(|t| {
            t.column_by_name("last_update")
                .is_some_and(|c| c.default.is_some())
        })
        .count();
    let text = read(&dir, "sakila/sakila-schema.sqlserver.sql");
    assert_eq!(with_default, text.matches("FOR last_update").count());
    let store = table(p, "store");
    let ix = store
        .indexes
        .iter()
        .find(|i| i.name == "idx_fk_address_id")
        .expect("CREATE UNIQUE NONCLUSTERED INDEX imported");
    assert!(ix.unique);
    assert!(table(p, "film_text").primary_key.is_some());
}

#[test]
fn pubs_alias_types_and_all_foreign_keys() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let r = import(&dir, "pubs/pubs.sqlserver.sql");
    let p = &r.project;
    assert_eq!(p.table_count(), 11);
    let dropped: Vec<String> = r
        .report
        .iter()
        .filter(|n| n.reason.contains("foreign key"))
        .map(|n| n.to_string())
        .collect();
    assert!(dropped.is_empty(), "{dropped:?}");
    // REFERENCES appears once per foreign key in instpubs.sql.
    let text = read(&dir, "pubs/pubs.sqlserver.sql");
    assert_eq!(p.foreign_key_count(), text.matches("REFERENCES").count());
    // `tid` is `varchar(6) NOT NULL` (sp_addtype): roysched.title_id takes both.
    let c = table(p, "roysched").column_by_name("title_id").unwrap();
    assert_eq!(c.ty, crowfoot::model::LogicalType::Varchar(Some(6)));
    assert!(!c.nullable);
    // A column of an alias type that says NULL itself stays nullable... none in pubs; an
    // ordinary nullable column stays nullable.
    assert!(table(p, "titles").column_by_name("price").unwrap().nullable);
    // employee: PRIMARY KEY NONCLUSTERED + CREATE CLUSTERED INDEX are reported.
    assert!(
        r.report
            .iter()
            .any(|n| n.reason.contains("employee_ind") && n.reason.contains("CLUSTERED"))
    );
    assert!(
        table(p, "employee")
            .indexes
            .iter()
            .any(|i| i.name == "employee_ind")
    );
}

#[test]
fn northwind_batches_with_indented_statements() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let r = import(&dir, "northwind/northwind.sqlserver.sql");
    let p = &r.project;
    assert_eq!(p.table_count(), 13);
    // ` CREATE  INDEX "LastName" ON "dbo"."Employees"("LastName")` after a GO, two in a batch.
    let e = table(p, "Employees");
    let names: BTreeSet<&str> = e.indexes.iter().map(|i| i.name.as_str()).collect();
    assert!(
        names.contains("LastName") && names.contains("PostalCode"),
        "{names:?}"
    );
    assert!(table(p, "Order Details").primary_key.is_some());
    // `ALTER TABLE .. NOCHECK CONSTRAINT ALL` is noise, not an error.
    assert!(
        !r.report.iter().any(
            |n| n.reason.contains("parse error") && n.statement_head.starts_with("ALTER TABLE")
        )
    );
}

#[test]
fn adventureworks_schemas_computed_columns_and_descriptions() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let r = import(&dir, "adventureworks/instawdb.sqlserver.sql");
    let p = &r.project;
    assert_eq!(p.table_count(), 71);
    let addr = p
        .table_by_name(Some("Person"), "Address")
        .expect("[Person].[Address]");
    assert_eq!(addr.columns.len(), 9);
    // Comments from sp_addextendedproperty MS_Description.
    assert!(
        addr.comment
            .as_deref()
            .is_some_and(|c| c.contains("address"))
    );
    assert!(addr.columns.iter().filter(|c| c.comment.is_some()).count() >= 8);
    // Alias type `[Name]` → nvarchar(50); `[Flag]` → bit NOT NULL.
    let dept = p
        .table_by_name(Some("HumanResources"), "Department")
        .unwrap();
    let name = dept.column_by_name("Name").unwrap();
    assert_eq!(name.ty, crowfoot::model::LogicalType::Varchar(Some(50)));
    // Computed columns are generated columns (PERSISTED = stored).
    let soh = p.table_by_name(Some("Sales"), "SalesOrderHeader").unwrap();
    let due = soh.column_by_name("TotalDue").unwrap();
    assert!(
        due.generated
            .as_ref()
            .is_some_and(|g| g.expr.contains("SubTotal"))
    );
    let poh = p
        .table_by_name(Some("Purchasing"), "PurchaseOrderHeader")
        .unwrap();
    let g = poh
        .column_by_name("TotalDue")
        .unwrap()
        .generated
        .clone()
        .unwrap();
    assert!(g.stored);
    // Full-text indexes.
    let review = p
        .table_by_name(Some("Production"), "ProductReview")
        .unwrap();
    assert!(
        review
            .indexes
            .iter()
            .any(|i| i.method == Some(IndexMethod::FullText))
    );
    // Indexed views are reported, not lost silently.
    assert!(
        r.report
            .iter()
            .any(|n| n.reason.contains("vStateProvinceCountryRegion"))
    );
}

#[test]
fn guacamole_rules_become_checks() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let r = import(&dir, "guacamole/001-create-schema.sqlserver.sql");
    let t = table(&r.project, "guacamole_connection_group");
    let ty = t.column_by_name("type").unwrap();
    assert!(!ty.nullable);
    assert!(
        t.checks
            .iter()
            .any(|c| c.expr.contains("type") && c.expr.contains("BALANCING")),
        "{:?}",
        t.checks
    );
}

#[test]
fn tsql_snippets() {
    let sql = "\
CREATE TYPE dbo.code FROM varchar(4) NOT NULL;
GO
CREATE TABLE dbo.a (id int IDENTITY(1,1) NOT FOR REPLICATION NOT NULL, c code, d code NULL,
  total AS (id * 2) PERSISTED, g uniqueidentifier ROWGUIDCOL NOT NULL,
  CONSTRAINT pk_a PRIMARY KEY CLUSTERED (id) WITH (PAD_INDEX = OFF, FILLFACTOR = 90) ON [PRIMARY],
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]
GO
CREATE TABLE b (id int NOT NULL, a_id int NULL, x int NULL)
ALTER TABLE b ADD CONSTRAINT pk_b PRIMARY KEY NONCLUSTERED (id), CONSTRAINT df_x DEFAULT ((0)) FOR x,
  CONSTRAINT fk_b FOREIGN KEY (a_id) REFERENCES dbo.a (id)
CREATE UNIQUE CLUSTERED INDEX ix_b ON b (x DESC) WITH FILLFACTOR = 80
GO
";
    let r = import_sql(sql, Some(Dialect::SqlServer));
    let p = &r.project;
    let a = table(p, "a");
    assert_eq!(a.columns.len(), 5);
    assert!(!a.column_by_name("c").unwrap().nullable);
    assert!(a.column_by_name("d").unwrap().nullable);
    assert!(
        a.column_by_name("total")
            .unwrap()
            .generated
            .as_ref()
            .unwrap()
            .stored
    );
    assert!(a.primary_key.is_some());
    let b = table(p, "b");
    assert!(b.primary_key.is_some());
    assert_eq!(
        b.column_by_name("x").unwrap().default.as_deref(),
        Some("((0))")
    );
    assert_eq!(p.foreign_key_count(), 1);
    assert!(b.indexes.iter().any(|i| i.name == "ix_b" && i.unique));
    let reasons: Vec<&str> = r.report.iter().map(|n| n.reason.as_str()).collect();
    assert!(
        reasons
            .iter()
            .any(|n| n.contains("ix_b") && n.contains("CLUSTERED"))
    );
    assert!(
        reasons
            .iter()
            .any(|n| n.contains("primary key is NONCLUSTERED"))
    );
    assert!(reasons.iter().any(|n| n.contains("ROWGUIDCOL")));
    assert!(
        !reasons.iter().any(|n| n.contains("parse error")),
        "{reasons:?}"
    );
}

#[test]
fn detection_matches_the_file_suffix() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: ../shared/corpus not found");
        return;
    };
    let mut wrong = Vec::new();
    for (file, dialect, _) in manifest(&dir) {
        let want = match dialect.as_str() {
            "postgres" => Dialect::Postgres,
            "mysql" => Dialect::MySql,
            "sqlite" => Dialect::Sqlite,
            "sqlserver" => Dialect::SqlServer,
            _ => continue, // oracle: no such dialect
        };
        assert!(file.ends_with(&format!(".{dialect}.sql")), "{file}");
        let got = detect_dialect(&read(&dir, &file));
        if got != want {
            wrong.push(format!("{file}: detected {}", got.cli_name()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
