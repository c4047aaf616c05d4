//! The privacy review (issue 18 §1–3): the sensitive-data classification (names in four
//! languages, types, enums, comments, foreign keys; precision of `high` on the corpus), the
//! `crowfoot pii` command (JSON, --apply as one edit keeping existing tags), the erasure
//! prediction checked against what real SQLite and PostgreSQL do, the privacy report, and the
//! tables' roles in project files.
//!
//! Without `CROWFOOT_PG` the PostgreSQL part is skipped (with a message), unless
//! `CROWFOOT_REQUIRE_DBS=1`.

mod support {
    #[allow(dead_code)]
    pub mod corpus;
    pub mod dbs;
    pub mod privacy_corpus;
    pub mod run;
}

use crowfoot::analysis::privacy::erasure::{self, Effect};
use crowfoot::analysis::privacy::{Category, Confidence, classify, classify as cl};
use crowfoot::model::*;
use crowfoot::sql::export;
use crowfoot::sql::import::import_sql;
use support::dbs::{self, Engine, TestDb};
use support::run::{crowfoot_in_repo, text};

fn project(sql: &str) -> Project {
    import_sql(sql, Some(Dialect::Postgres)).project
}

/// The finding of `table.column`, as (category, confidence).
fn finding(p: &Project, table: &str, column: &str) -> Option<(Category, Confidence)> {
    classify(p)
        .into_iter()
        .find(|f| f.table == table && f.column == column)
        .map(|f| (f.category, f.confidence))
}

#[test]
fn names_in_four_languages_and_their_abbreviations() {
    let p = project(
        r#"CREATE TABLE kunden (id integer PRIMARY KEY, "Vorname" varchar(80), nachname varchar(80),
            geburtsdatum date, "E-Mail" varchar(255), telefonnummer varchar(30), plz varchar(10),
            strasse varchar(120), passwort_hash varchar(255), iban varchar(34), gehalt numeric(10,2));
        CREATE TABLE clients (id integer PRIMARY KEY, prenom varchar(80), "nomDeFamille" varchar(80),
            date_de_naissance date, courriel varchar(255), "téléphone" varchar(30), code_postal varchar(10),
            mot_de_passe varchar(255), adresse_ip varchar(45));
        CREATE TABLE clientes (id integer PRIMARY KEY, nombre varchar(80), apellidos varchar(80),
            fecha_nacimiento date, correo_electronico varchar(255), "teléfono" varchar(30), dni varchar(12),
            "contraseña" varchar(255), latitud double precision, longitud double precision);
        CREATE TABLE members (id integer PRIMARY KEY, "firstName" text, dob date, tel varchar(30),
            addr text, ssn char(11), pwd varchar(255), "userAgent" text, ip varchar(45), lat double precision,
            blood_type varchar(3), diagnosis text, cvv varchar(4), api_key varchar(64));"#,
    );
    let high = [
        ("kunden", "Vorname", Category::Identity),
        ("kunden", "nachname", Category::Identity),
        ("kunden", "geburtsdatum", Category::Identity),
        ("kunden", "E-Mail", Category::Contact),
        ("kunden", "telefonnummer", Category::Contact),
        ("kunden", "plz", Category::Contact),
        ("kunden", "strasse", Category::Contact),
        ("kunden", "passwort_hash", Category::Credentials),
        ("kunden", "iban", Category::Financial),
        ("kunden", "gehalt", Category::Financial),
        ("clients", "prenom", Category::Identity),
        ("clients", "nomDeFamille", Category::Identity),
        ("clients", "date_de_naissance", Category::Identity),
        ("clients", "courriel", Category::Contact),
        ("clients", "téléphone", Category::Contact),
        ("clients", "mot_de_passe", Category::Credentials),
        ("clients", "adresse_ip", Category::Network),
        ("clientes", "apellidos", Category::Identity),
        ("clientes", "fecha_nacimiento", Category::Identity),
        ("clientes", "correo_electronico", Category::Contact),
        ("clientes", "teléfono", Category::Contact),
        ("clientes", "dni", Category::Identity),
        ("clientes", "contraseña", Category::Credentials),
        ("clientes", "latitud", Category::Location),
        ("members", "firstName", Category::Identity),
        ("members", "dob", Category::Identity),
        ("members", "ssn", Category::Identity),
        ("members", "pwd", Category::Credentials),
        ("members", "userAgent", Category::Network),
        ("members", "ip", Category::Network),
        ("members", "blood_type", Category::Health),
        ("members", "diagnosis", Category::Health),
        ("members", "cvv", Category::Financial),
        ("members", "api_key", Category::Credentials),
    ];
    for (t, c, cat) in high {
        assert_eq!(finding(&p, t, c), Some((cat, Confidence::High)), "{t}.{c}");
    }
    // Abbreviations that mean several things are medium at best; `nombre` is a name in a
    // table of people only.
    for (t, c) in [("members", "tel"), ("members", "addr"), ("members", "lat")] {
        let f = finding(&p, t, c).unwrap_or_else(|| panic!("{t}.{c} not found"));
        assert_eq!(f.1, Confidence::Medium, "{t}.{c}");
    }
    assert_eq!(
        finding(&p, "clientes", "nombre"),
        Some((Category::Identity, Confidence::Medium))
    );
}

#[test]
fn near_misses_are_not_personal_data() {
    let p = project(
        "CREATE TABLE addresses (id integer PRIMARY KEY, street varchar(120));
        CREATE TABLE ip_pools (id integer PRIMARY KEY, cidr_text varchar(50));
        CREATE TABLE users (id integer PRIMARY KEY, email varchar(255), address_id integer REFERENCES addresses (id),
            ip_pool_id integer REFERENCES ip_pools (id), email_verified boolean, email_verified_at timestamp,
            is_email_public boolean, password_changed_at timestamp, phone_count integer, email_template_id integer,
            health_check_url text, token_type varchar(20), has_avatar boolean, product_name varchar(80),
            mail_server varchar(80), max_age integer, login_attempts integer, namespace varchar(40),
            hostname varchar(80), filename varchar(200), name_space varchar(40), email_code char(1));",
    );
    let found: Vec<_> = classify(&p)
        .into_iter()
        .filter(|f| f.table == "users" && f.confidence >= Confidence::Medium)
        .map(|f| f.column)
        .collect();
    assert_eq!(found, ["email"], "only the e-mail address is personal data");
    // address_id and ip_pool_id are references: low (a pseudonymous link at most), never an
    // address.
    let low: Vec<_> = classify(&p)
        .into_iter()
        .filter(|f| f.table == "users" && f.confidence == Confidence::Low)
        .map(|f| (f.column, f.category))
        .collect();
    assert!(low.iter().all(|(_, c)| *c == Category::Identity), "{low:?}");
}

#[test]
fn types_enums_comments_and_foreign_keys_count() {
    let p = project(
        "CREATE TYPE sex AS ENUM ('female', 'male', 'diverse');
        CREATE TABLE people (id integer PRIMARY KEY, full_name text, s sex, seen_from inet, mac macaddr,
            x varchar(100), note_text text, flag boolean, password varchar(20));
        COMMENT ON COLUMN people.x IS 'PII: the second e-mail the person gave us';
        COMMENT ON COLUMN people.flag IS 'Set when the email bounced';
        CREATE TABLE visits (id integer PRIMARY KEY, person_id integer REFERENCES people (id), at timestamptz);",
    );
    assert_eq!(
        finding(&p, "people", "s"),
        Some((Category::Identity, Confidence::High)),
        "an enum of genders"
    );
    assert_eq!(
        finding(&p, "people", "seen_from"),
        Some((Category::Network, Confidence::High)),
        "inet"
    );
    assert_eq!(
        finding(&p, "people", "mac"),
        Some((Category::Network, Confidence::High)),
        "macaddr"
    );
    assert_eq!(
        finding(&p, "people", "x"),
        Some((Category::Contact, Confidence::Medium)),
        "the comment says"
    );
    assert_eq!(
        finding(&p, "people", "flag"),
        None,
        "a boolean is never PII by comment"
    );
    assert_eq!(
        finding(&p, "visits", "person_id"),
        Some((Category::Identity, Confidence::Low)),
        "a reference to a person"
    );
    let f = classify(&p);
    let why = &f.iter().find(|f| f.column == "s").unwrap().reasons;
    assert!(why.iter().any(|r| r.contains("genders")), "{why:?}");
}

#[test]
fn contacts_of_organisations_are_medium_not_high() {
    let p = project(
        "CREATE TABLE warehouses (id integer PRIMARY KEY, address_line varchar(200), phone varchar(30));
        CREATE TABLE customers (id integer PRIMARY KEY, address_line varchar(200), phone varchar(30));
        CREATE TABLE deliveries (id integer PRIMARY KEY, user_id integer, address_line varchar(200));",
    );
    assert_eq!(
        finding(&p, "warehouses", "phone").map(|f| f.1),
        Some(Confidence::Medium)
    );
    assert_eq!(
        finding(&p, "customers", "phone").map(|f| f.1),
        Some(Confidence::High)
    );
    assert_eq!(
        finding(&p, "deliveries", "address_line").map(|f| f.1),
        Some(Confidence::High),
        "a user_id column makes the table about people"
    );
}

#[test]
fn odd_names_are_classified_and_never_panic() {
    let p = project(
        r#"CREATE TABLE "Kündin 🙂" (id integer PRIMARY KEY, "e""mail" varchar(255), "back\slash" text,
            "🙂" text, "電話" varchar(20), "first name" varchar(80), "Straße" varchar(100), "" text);"#,
    );
    let f = classify(&p);
    let cols: Vec<&str> = f.iter().map(|f| f.column.as_str()).collect();
    assert!(cols.contains(&"e\"mail"), "{cols:?}");
    assert!(cols.contains(&"first name"), "{cols:?}");
    assert!(cols.contains(&"Straße"), "{cols:?}");
    let json = cl::to_json(&f).to_string();
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        back["columns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["table"] == "Kündin 🙂" && c["column"] == "e\"mail")
    );
    // The report keeps the names readable and its tables intact.
    let md = erasure::markdown(&p, &f);
    assert!(md.contains("`Kündin 🙂`"), "{md}");
}

#[test]
fn pii_cli_json_apply_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("shop 🙂.ron");
    let out = dir.path().join("tagged ✓.ron");
    let mut p = crowfoot::samples::shop::build();
    // An existing tag is kept.
    let customers = p.table_by_name(None, "customers").unwrap().clone();
    let mut email = customers.column_by_name("email").unwrap().clone();
    email.tags.insert("login".into());
    Command::UpdateColumn {
        table: customers.id,
        column: Box::new(email),
    }
    .apply(&mut p)
    .unwrap();
    crowfoot::project_file::save(&p, &input).unwrap();
    let json = crowfoot_in_repo(&["pii", input.to_str().unwrap(), "--json"]);
    assert!(json.status.success(), "{}", text(&json.stderr));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let cols = v["columns"].as_array().unwrap();
    for c in cols {
        for k in ["table", "column", "category", "confidence", "reasons"] {
            assert!(c.get(k).is_some(), "{k} in {c}");
        }
    }
    assert_eq!(v["subjects"], serde_json::json!(["customers"]));
    assert_eq!(v["subjects_suggested"], true);
    let again = crowfoot_in_repo(&["pii", input.to_str().unwrap(), "--json"]);
    assert_eq!(json.stdout, again.stdout, "deterministic");
    let keys: Vec<(String, String)> = cols
        .iter()
        .map(|c| {
            (
                c["table"].as_str().unwrap().to_string(),
                c["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let table_order: Vec<&String> = keys.iter().map(|k| &k.0).collect();
    let mut sorted = table_order.clone();
    sorted.sort();
    assert_eq!(table_order, sorted, "sorted by table");

    let apply = crowfoot_in_repo(&[
        "pii",
        input.to_str().unwrap(),
        "--apply",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(apply.status.success(), "{}", text(&apply.stderr));
    let tagged = crowfoot::project_file::load(&out).unwrap();
    let c = tagged.table_by_name(None, "customers").unwrap();
    assert!(c.data_subject, "the suggested subject is marked");
    let e = c.column_by_name("email").unwrap();
    for tag in ["login", "pii", "pii:contact"] {
        assert!(e.tags.contains(tag), "{tag} in {:?}", e.tags);
    }
    // Medium findings are tagged, low ones (references) are not.
    let orders = tagged.table_by_name(None, "orders").unwrap();
    assert!(
        orders
            .column_by_name("notes")
            .unwrap()
            .tags
            .contains("pii:free_text")
    );
    assert!(
        orders
            .column_by_name("customer_id")
            .unwrap()
            .tags
            .is_empty()
    );
    assert!(
        text(&apply.stderr).contains("data subject"),
        "{}",
        text(&apply.stderr)
    );

    // An unknown subject is exit 2 with a suggestion; the file is not written.
    let bad = crowfoot_in_repo(&[
        "pii",
        input.to_str().unwrap(),
        "--apply",
        "-o",
        dir.path().join("no.ron").to_str().unwrap(),
        "--subject",
        "custmers",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("customers"),
        "{}",
        text(&bad.stderr)
    );
    assert!(!dir.path().join("no.ron").exists());
    let bad = crowfoot_in_repo(&["pii", input.to_str().unwrap(), "--min", "certain"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn tagging_is_one_undoable_edit() {
    let mut p = crowfoot::samples::saas::build();
    let before = p.clone();
    let f = classify(&p);
    let cmds = cl::tag_commands(&p, f.iter().filter(|f| f.confidence >= Confidence::Medium));
    assert!(cmds.len() >= 10);
    let mut h = History::default();
    h.apply(&mut p, Command::Batch(cmds)).unwrap();
    assert_ne!(p, before);
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
    // Applying twice changes nothing the second time.
    let mut q = before.clone();
    Command::Batch(cl::tag_commands(&q, &f))
        .apply(&mut q)
        .unwrap();
    assert!(cl::tag_commands(&q, &f).is_empty());
}

#[test]
fn the_term_list_in_the_docs_is_current() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/privacy.md")).unwrap();
    assert!(
        doc.contains(&cl::terms_markdown()),
        "docs/privacy.md: regenerate the term table with `crowfoot pii --terms`"
    );
}

/// Every corpus schema is classified; the table of findings in docs/privacy.md is what the
/// classification gives today; the `high` findings checked by hand stay high, and the near
/// misses found by hand stay below it.
#[test]
fn corpus_classification_matches_the_docs_and_the_hand_check() {
    let Some(dir) = support::corpus::corpus_dir() else {
        eprintln!("no ../shared/corpus: skipped");
        return;
    };
    let rows = support::privacy_corpus::run(&dir);
    assert!(rows.len() >= 25, "{} datasets", rows.len());
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/privacy.md")).unwrap();
    assert!(
        doc.contains(&support::privacy_corpus::markdown(&rows)),
        "docs/privacy.md: regenerate the corpus table with `cargo run --example privacy_corpus`"
    );
    let get = |ds: &str, t: &str, c: &str| {
        rows.iter()
            .find(|r| r.dataset == ds)
            .and_then(|r| r.findings.iter().find(|f| f.0 == t && f.1 == c))
            .map(|f| (f.2, f.3))
    };
    let high = [
        ("sakila", "customer", "email", Category::Contact),
        ("sakila", "staff", "password", Category::Credentials),
        ("chinook", "employee", "birth_date", Category::Identity),
        (
            "adventureworks",
            "sales.creditcard",
            "cardnumber",
            Category::Financial,
        ),
        (
            "adventureworks",
            "person.person",
            "firstname",
            Category::Identity,
        ),
        ("employees", "salaries", "salary", Category::Financial),
        ("synapse", "user_ips", "ip", Category::Network),
        (
            "openstreetmap",
            "users",
            "creation_address",
            Category::Network,
        ),
        ("openstreetmap", "notes", "latitude", Category::Location),
        (
            "wordpress",
            "wp_comments",
            "comment_author_IP",
            Category::Network,
        ),
        ("prestashop", "ps_customer", "birthday", Category::Identity),
        ("friendica", "profile", "religion", Category::Identity),
    ];
    for (ds, t, c, cat) in high {
        assert_eq!(get(ds, t, c), Some((cat, Confidence::High)), "{ds} {t}.{c}");
    }
    // Found by hand among earlier `high` findings, and wrong: organisations' and machines'
    // addresses, hardware ids.
    for (ds, t, c) in [
        ("glpi", "glpi_pcivendors", "deviceid"),
        ("glpi", "glpi_usbvendors", "deviceid"),
        ("prestashop", "ps_memcached_servers", "ip"),
        ("cacti", "automation_devices", "ip"),
        ("otrs", "customer_company", "street"),
        ("adventureworks", "purchasing.vendor", "accountnumber"),
    ] {
        let f = get(ds, t, c);
        assert!(
            f.is_none_or(|f| f.1 < Confidence::High),
            "{ds} {t}.{c}: {f:?}"
        );
    }
}

// ----- erasure -----

/// A schema with every ON DELETE action along paths from `customers`, and a copy of the e-mail
/// address no foreign key reaches.
const SHOP: &str = "
CREATE TABLE customers (id integer PRIMARY KEY, email varchar(255) NOT NULL, full_name varchar(120));
COMMENT ON COLUMN customers.email IS 'Login; deleted with the account, kept 30 days in backups (retention).';
CREATE TABLE addresses (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    street varchar(200), postal_code varchar(20));
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id) ON DELETE SET NULL,
    shipping_name varchar(120), notes text);
CREATE TABLE order_lines (order_id integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE, line_no integer NOT NULL,
    sku varchar(20), PRIMARY KEY (order_id, line_no));
CREATE TABLE sessions (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    ip_address varchar(45), user_agent varchar(255));
CREATE TABLE session_events (id integer PRIMARY KEY, session_id integer NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    note text);
CREATE TABLE invoices (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id) ON DELETE RESTRICT,
    billing_address varchar(200));
CREATE TABLE tickets (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id), body text);
CREATE TABLE newsletter (id integer PRIMARY KEY, email varchar(255));
";

/// Rows for customers 1–4: 1 has rows everywhere, 2 a ticket only, 3 an invoice only, 4
/// everything but invoices and tickets. Ids are `customer * 100 + n`.
const ROWS: &str = "
INSERT INTO customers VALUES (1, 'a@x.org', 'A'), (2, 'b@x.org', 'B'), (3, 'c@x.org', 'C'), (4, 'd@x.org', 'D');
INSERT INTO addresses VALUES (101, 1, 'S1', '1'), (401, 4, 'S4', '4'), (402, 4, 'S4b', '4');
INSERT INTO orders VALUES (101, 1, 'A', NULL), (401, 4, 'D', 'ring twice'), (402, 4, 'D', NULL);
INSERT INTO order_lines VALUES (101, 1, 'X'), (401, 1, 'X'), (401, 2, 'Y'), (402, 1, 'Z');
INSERT INTO sessions VALUES (101, 1, '10.0.0.1', 'UA'), (401, 4, '10.0.0.4', 'UA');
INSERT INTO session_events VALUES (101, 101, NULL), (401, 401, 'login'), (402, 401, 'logout');
INSERT INTO invoices VALUES (101, 1, 'B1'), (301, 3, 'B3');
INSERT INTO tickets VALUES (101, 1, 'help'), (201, 2, 'help');
INSERT INTO newsletter VALUES (1, 'd@x.org');
";

/// The rows of customer 4 in each table: (table, key column, key values).
const PERSON_4: &[(&str, &str, &[i64])] = &[
    ("customers", "id", &[4]),
    ("addresses", "id", &[401, 402]),
    ("orders", "id", &[401, 402]),
    ("order_lines", "order_id", &[401, 402]),
    ("sessions", "id", &[401]),
    ("session_events", "id", &[401, 402]),
];

/// One engine's answers: run a statement (Err = the engine refused), count rows.
trait Db {
    fn run(&self, sql: &str) -> Result<(), String>;
    fn count(&self, sql: &str) -> i64;
}

impl Db for rusqlite::Connection {
    fn run(&self, sql: &str) -> Result<(), String> {
        dbs::sqlite_exec(self, sql)
    }
    fn count(&self, sql: &str) -> i64 {
        self.query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

impl Db for TestDb {
    fn run(&self, sql: &str) -> Result<(), String> {
        self.exec(sql)
    }
    fn count(&self, sql: &str) -> i64 {
        self.query(sql)[0][0].parse().unwrap()
    }
}

/// Check the prediction for `customers` against an engine holding SHOP and ROWS.
fn check_erasure(db: &dyn Db, map: &erasure::SubjectMap, engine: &str) {
    let effect = |t: &str| {
        map.reached
            .iter()
            .find(|r| r.table == t)
            .map(|r| r.effect.clone())
            .unwrap_or_else(|| panic!("{t} not reached"))
    };
    // Customers 1, 2, 3: each blocking table refuses on its own.
    let blockers: Vec<&str> = map
        .reached
        .iter()
        .filter(|r| matches!(r.effect, Effect::Blocks { .. }))
        .map(|r| r.table.as_str())
        .collect();
    assert_eq!(
        blockers,
        ["invoices", "tickets"],
        "{engine}: predicted blockers"
    );
    assert!(!map.erasure_can_succeed());
    for (id, why) in [(1, "both"), (2, "a ticket"), (3, "an invoice")] {
        let r = db.run(&format!("DELETE FROM customers WHERE id = {id};"));
        assert!(
            r.is_err(),
            "{engine}: customer {id} ({why}) must not be deletable"
        );
        assert_eq!(
            db.count(&format!("SELECT count(*) FROM customers WHERE id = {id}")),
            1,
            "{engine}: nothing deleted"
        );
    }
    // Customer 4 has no blocking rows: the erasure succeeds and does what was predicted.
    db.run("DELETE FROM customers WHERE id = 4;")
        .unwrap_or_else(|e| panic!("{engine}: {e}"));
    for (table, key, ids) in PERSON_4 {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let where_ = format!("{key} IN ({})", list.join(", "));
        let left = db.count(&format!("SELECT count(*) FROM {table} WHERE {where_}"));
        let e = effect(table);
        match &e {
            Effect::Subject | Effect::Deleted => {
                assert_eq!(left, 0, "{engine}: {table} predicted {e:?}")
            }
            Effect::Nulled { columns, .. } => {
                assert_eq!(left, ids.len() as i64, "{engine}: {table} rows kept");
                let nulls = db.count(&format!(
                    "SELECT count(*) FROM {table} WHERE {where_} AND {} IS NULL",
                    columns[0]
                ));
                assert_eq!(nulls, left, "{engine}: {table}.{} nulled", columns[0]);
            }
            Effect::Kept { .. } => {
                assert!(
                    left > 0,
                    "{engine}: {table} predicted kept, engine deleted it"
                )
            }
            Effect::Blocks { .. } => unreachable!(),
        }
    }
    // The copy of the e-mail address no key reaches is still there, as the report says.
    assert_eq!(
        db.count("SELECT count(*) FROM newsletter WHERE email = 'd@x.org'"),
        1
    );
}

#[test]
fn erasure_prediction_holds_on_real_sqlite_and_postgres() {
    let p = project(SHOP);
    let f = classify(&p);
    let (subjects, suggested) = erasure::subjects_of(&p, &f);
    assert!(suggested);
    let map = erasure::privacy_map(&p, &f, &subjects);
    assert_eq!(map.subjects.len(), 1);
    let m = &map.subjects[0];
    assert_eq!(m.subject, "customers");
    let effects: Vec<(&str, &str)> = m
        .reached
        .iter()
        .map(|r| (r.table.as_str(), r.effect.word()))
        .collect();
    for want in [
        ("customers", "subject"),
        ("addresses", "deleted"),
        ("orders", "nulled"),
        ("order_lines", "kept"),
        ("sessions", "deleted"),
        ("session_events", "deleted"),
        ("invoices", "blocks"),
        ("tickets", "blocks"),
    ] {
        assert!(effects.contains(&want), "{want:?} in {effects:?}");
    }
    assert!(
        map.unreached
            .iter()
            .any(|(t, c, _)| t == "newsletter" && c == "email"),
        "{:?}",
        map.unreached
    );
    assert!(map.retention.iter().any(|(o, _)| o == "customers.email"));
    // The report says the same.
    let md = erasure::markdown(&p, &f);
    assert!(md.contains("**fails**"), "{md}");
    assert!(md.contains("| `newsletter` | `email` | contact |"), "{md}");

    let sqlite = dbs::sqlite();
    sqlite
        .run(&export(&p, Dialect::Sqlite).sql)
        .expect("schema on SQLite");
    sqlite.run(ROWS).expect("rows on SQLite");
    check_erasure(&sqlite, m, "SQLite");

    let Some(db) = TestDb::create(Engine::Postgres, "privacy_erasure") else {
        eprintln!("skipped: no PostgreSQL server");
        return;
    };
    db.exec(&export(&p, Dialect::Postgres).sql)
        .expect("schema on PostgreSQL");
    db.exec(ROWS).expect("rows on PostgreSQL");
    check_erasure(&db, m, "PostgreSQL");
}

#[test]
fn privacy_report_cli() {
    let out = crowfoot_in_repo(&["doc", "projects/shop.ron", "--privacy"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(md.starts_with("# Privacy report: Shop"), "{md}");
    assert!(md.contains("## Data subject: `customers`"), "{md}");
    assert!(
        md.contains("| `orders` | **blocks** the erasure (RESTRICT on `customer_id`)"),
        "{md}"
    );
    assert!(
        md.contains("| `carts` | **kept**, `customer_id` set to NULL"),
        "{md}"
    );
    assert!(md.contains("## Personal data no subject reaches"), "{md}");
}

// ----- roles in project files -----

#[test]
fn table_roles_roundtrip_as_version_4_and_follow_their_columns() {
    use crowfoot::project_file::{from_ron_str, to_ron_string};
    let mut p = crowfoot::samples::saas::build();
    assert!(!to_ron_string(&p).contains("format_version: 4"));
    let users = p.table_by_name(None, "users").unwrap().clone();
    let tenant = users.column_by_name("tenant_id").unwrap().id;
    let mut h = History::default();
    h.apply(
        &mut p,
        Command::Batch(vec![
            Command::SetDataSubject {
                table: users.id,
                on: true,
            },
            Command::SetDistribution {
                table: users.id,
                distribution: Some(Distribution::Distributed(tenant)),
            },
        ]),
    )
    .unwrap();
    let text = to_ron_string(&p);
    assert!(text.contains("format_version: 4"), "{text}");
    assert_eq!(from_ron_str(&text, "saas.ron").unwrap(), p);
    // A column of another table is refused.
    let other = p.table_by_name(None, "tenants").unwrap().columns[0].id;
    assert!(
        Command::SetDistribution {
            table: users.id,
            distribution: Some(Distribution::Distributed(other)),
        }
        .apply(&mut p.clone())
        .is_err()
    );
    h.undo(&mut p).unwrap();
    let t = p.table(users.id).unwrap();
    assert!(!t.data_subject && t.distribution.is_none());
    h.redo(&mut p).unwrap();
    // Removing the distribution column removes the role with it (and undo brings both back).
    let fks: Vec<ForeignKeyId> = p
        .foreign_keys()
        .filter(|fk| {
            (fk.from_table == users.id && fk.from_columns.contains(&tenant))
                || (fk.to_table == users.id && fk.to_columns.contains(&tenant))
        })
        .map(|fk| fk.id)
        .collect();
    assert!(!fks.is_empty());
    let before = p.clone();
    let cmd = crowfoot::model::command::remove_column(&p, users.id, tenant).unwrap();
    h.apply(&mut p, cmd).unwrap();
    assert_eq!(p.table(users.id).unwrap().distribution, None);
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
}

// ----- the erasure on the shipped examples, with generated rows -----

/// A value for `c` in row `i` (0 or 1) as SQL of dialect `d`: a function of the type and the
/// row only, so a foreign key's columns hold their parent row's values without being told.
fn value(p: &Project, c: &Column, i: usize, d: Dialect) -> String {
    use LogicalType as L;
    let text = |s: String| format!("'{}'", s.replace('\'', "''"));
    let pg = d == Dialect::Postgres;
    match &c.ty {
        L::TinyInt
        | L::SmallInt
        | L::Integer
        | L::BigInt
        | L::Decimal(..)
        | L::Real
        | L::Double => (i + 1).to_string(),
        L::Boolean if pg => ["true", "false"][i].into(),
        L::Boolean => ["1", "0"][i].into(),
        L::Varchar(Some(n)) | L::Char(n) if *n < 2 => text(["a", "b"][i].into()),
        L::Text | L::Varchar(_) | L::Char(_) | L::Native(_) => text(format!("v{i}")),
        L::Bytes if pg => format!("decode('0{i}', 'hex')"),
        L::Bytes => format!("X'0{i}'"),
        L::Date => text(format!("2020-01-0{}", i + 1)),
        L::Time => text(format!("10:0{i}")),
        L::Timestamp | L::TimestampTz => text(format!("2020-01-0{} 10:00:00", i + 1)),
        L::Interval => text(format!("{} days", i + 1)),
        L::Uuid => text(format!("00000000-0000-0000-0000-00000000000{i}")),
        L::Json => text(format!("{{\"v\": {i}}}")),
        L::Enum(e) => {
            let values = &p.enum_type(*e).unwrap().values;
            text(values[i.min(values.len() - 1)].clone())
        }
        L::Array(_) if pg => text("{}".into()),
        L::Array(_) => text("[]".into()),
    }
}

/// Two rows in every table, row `i` of each referring to row `i` of its parents, so row 0 of
/// every table reached from a subject belongs to person 0 and row 1 to person 1. Keys that
/// close a cycle or point at their own table are inserted NULL (they must be nullable) and
/// set by an UPDATE once every row is in.
fn example_rows(p: &Project, d: Dialect) -> String {
    use crowfoot::sql::dialect::rules;
    let r = rules(d);
    // Insert order: parents first; a key whose parent is not placed yet when nothing else can
    // go is left NULL.
    let mut placed: Vec<TableId> = Vec::new();
    let mut nulled: std::collections::BTreeSet<ForeignKeyId> = Default::default();
    let mut left: Vec<&Table> = p.tables().filter(|t| t.partition_of.is_none()).collect();
    left.sort_by_key(|t| t.id);
    while !left.is_empty() {
        let ready = left.iter().position(|t| {
            p.foreign_keys_from(t.id).iter().all(|fk| {
                fk.to_table == t.id || placed.contains(&fk.to_table) || nulled.contains(&fk.id)
            })
        });
        match ready {
            Some(k) => placed.push(left.remove(k).id),
            None => {
                // Break a cycle at a key whose own columns are all nullable and not part of the
                // table's primary key.
                let fk = left
                    .iter()
                    .flat_map(|t| p.foreign_keys_from(t.id))
                    .find(|fk| {
                        !placed.contains(&fk.to_table)
                            && !nulled.contains(&fk.id)
                            && fk.from_columns.iter().any(|c| {
                                let t = p.table(fk.from_table).unwrap();
                                t.column(*c).unwrap().nullable && !t.is_pk_column(*c)
                            })
                    })
                    .expect("a cycle with a nullable key");
                nulled.insert(fk.id);
            }
        }
    }
    let mut sql = String::new();
    let mut updates = String::new();
    for tid in placed {
        let t = p.table(tid).unwrap();
        let fks = p.foreign_keys_from(tid);
        // Columns left NULL: the nullable columns of cycle-closing and self-referencing keys
        // that are not part of another key of the row.
        let keyed: std::collections::BTreeSet<ColumnId> = t.referenced_column_ids().collect();
        let null_cols: std::collections::BTreeSet<ColumnId> = fks
            .iter()
            .filter(|fk| nulled.contains(&fk.id) || fk.to_table == tid)
            .flat_map(|fk| fk.from_columns.iter().copied())
            .filter(|c| t.column(*c).unwrap().nullable && !t.is_pk_column(*c))
            .collect();
        let linked: std::collections::BTreeSet<ColumnId> = fks
            .iter()
            .flat_map(|fk| fk.from_columns.iter().copied())
            .collect();
        let cols: Vec<&Column> = t.columns.iter().filter(|c| c.generated.is_none()).collect();
        for i in 0..2 {
            let vals: Vec<String> = cols
                .iter()
                .map(|c| {
                    let needed = !c.nullable || keyed.contains(&c.id) || linked.contains(&c.id);
                    if null_cols.contains(&c.id)
                        && !t.uniques.iter().any(|u| u.columns.contains(&c.id))
                        || !needed
                    {
                        "NULL".to_string()
                    } else {
                        value(p, c, i, d)
                    }
                })
                .collect();
            let overriding = if d == Dialect::Postgres
                && t.columns
                    .iter()
                    .any(|c| c.identity == Some(Identity::Always))
            {
                " OVERRIDING SYSTEM VALUE"
            } else {
                ""
            };
            sql.push_str(&format!(
                "INSERT INTO {} ({}){overriding} VALUES ({});\n",
                r.ident(&t.name),
                cols.iter()
                    .map(|c| r.ident(&c.name))
                    .collect::<Vec<_>>()
                    .join(", "),
                vals.join(", ")
            ));
            let set: Vec<String> = cols
                .iter()
                .zip(&vals)
                .filter(|(c, v)| v.as_str() == "NULL" && null_cols.contains(&c.id))
                .map(|(c, _)| format!("{} = {}", r.ident(&c.name), value(p, c, i, d)))
                .collect();
            if let (false, Some(w)) = (set.is_empty(), row_where(p, t, i, d)) {
                updates.push_str(&format!(
                    "UPDATE {} SET {} WHERE {w};\n",
                    r.ident(&t.name),
                    set.join(", ")
                ));
            }
        }
    }
    sql + &updates
}

/// The primary-key condition of row `i` of table `t`.
fn row_where(p: &Project, t: &Table, i: usize, d: Dialect) -> Option<String> {
    let r = crowfoot::sql::dialect::rules(d);
    let pk = t.primary_key.as_ref()?;
    Some(
        pk.columns
            .iter()
            .map(|c| {
                let col = t.column(*c).unwrap();
                format!("{} = {}", r.ident(&col.name), value(p, col, i, d))
            })
            .collect::<Vec<_>>()
            .join(" AND "),
    )
}

/// On each example: erase person 0 and compare every table with the prediction. While the
/// prediction says a key blocks, the engine must refuse; the key is then made CASCADE (the
/// example's design changed the way a reviewer would) and the prediction made again, until
/// the erasure goes through and each table is deleted, nulled or kept as predicted, and
/// person 1's rows are all still there.
fn erase_example(mut p: Project, name: &str, d: Dialect, fresh: &dyn Fn() -> Box<dyn Db>) {
    let r = crowfoot::sql::dialect::rules(d);
    // Checks do not take part in an erasure; they would refuse the generated values.
    let ids: Vec<TableId> = p.tables().map(|t| t.id).collect();
    for id in ids {
        let mut t = p.table(id).unwrap().clone();
        t.checks.clear();
        Command::ReplaceTable(Box::new(t)).apply(&mut p).unwrap();
    }
    let f = classify(&p);
    let (subjects, _) = erasure::subjects_of(&p, &f);
    let subject = subjects[0];
    let st = p.table(subject).unwrap().clone();
    let erase = format!(
        "DELETE FROM {} WHERE {};",
        r.ident(&st.name),
        row_where(&p, &st, 0, d).unwrap()
    );
    for round in 0.. {
        assert!(round < 10, "{name}: the blockers never end");
        let db = fresh();
        db.run(&export(&p, d).sql)
            .unwrap_or_else(|e| panic!("{name} {d:?} schema: {e}"));
        db.run(&example_rows(&p, d))
            .unwrap_or_else(|e| panic!("{name} {d:?} rows: {e}"));
        let personal = erasure::personal_columns(&p, &f);
        let m = erasure::subject_map(&p, subject, &personal).unwrap();
        let deleted = |t: TableId| {
            m.reached
                .iter()
                .any(|y| y.table_id == t && matches!(y.effect, Effect::Subject | Effect::Deleted))
        };
        let blockers: Vec<ForeignKey> = m
            .reached
            .iter()
            .filter(|x| matches!(x.effect, Effect::Blocks { .. }))
            .flat_map(|x| p.foreign_keys_from(x.table_id))
            .filter(|fk| matches!(fk.on_delete, FkAction::Restrict | FkAction::NoAction))
            .filter(|fk| deleted(fk.to_table))
            .cloned()
            .collect();
        if blockers.is_empty() {
            db.run(&erase)
                .unwrap_or_else(|e| panic!("{name} {d:?}: predicted to succeed: {e}"));
            let mut checked = 0;
            for x in &m.reached {
                let t = p.table(x.table_id).unwrap();
                let Some(w0) = row_where(&p, t, 0, d) else {
                    continue;
                };
                let w1 = row_where(&p, t, 1, d).unwrap();
                let q = |w: &str| format!("SELECT count(*) FROM {} WHERE {w}", r.ident(&t.name));
                let left = db.count(&q(&w0));
                assert_eq!(db.count(&q(&w1)), 1, "{name} {d:?}: {} of person 1", t.name);
                match &x.effect {
                    Effect::Subject | Effect::Deleted => {
                        assert_eq!(left, 0, "{name} {d:?}: {} predicted deleted", t.name)
                    }
                    Effect::Nulled { columns, .. } => {
                        assert_eq!(left, 1, "{name} {d:?}: {} predicted kept", t.name);
                        let nulls = db.count(&format!(
                            "{} AND {} IS NULL",
                            q(&w0),
                            r.ident(columns.last().unwrap())
                        ));
                        assert_eq!(nulls, 1, "{name} {d:?}: {} predicted nulled", t.name);
                    }
                    Effect::Kept { .. } => {
                        assert_eq!(left, 1, "{name} {d:?}: {} predicted kept", t.name)
                    }
                    Effect::Blocks { .. } => unreachable!(),
                }
                checked += 1;
            }
            assert!(checked >= 5, "{name}: {checked} tables checked");
            eprintln!(
                "{name} {d:?}: {round} round(s) of blockers, then {checked} tables as predicted"
            );
            return;
        }
        // A RESTRICT key on a table the cascade deletes as well "may block": the engine's
        // trigger order decides, so only certain blockers must refuse.
        let certain = m.reached.iter().any(|x| {
            matches!(
                x.effect,
                Effect::Blocks {
                    uncertain: false,
                    ..
                }
            )
        });
        let refused = db.run(&erase).is_err();
        assert!(
            refused || !certain,
            "{name} {d:?}: predicted blocked by {:?}, the engine erased",
            blockers
                .iter()
                .map(|fk| format!(
                    "{} -> {} {:?} {:?}",
                    p.table(fk.from_table).unwrap().name,
                    p.table(fk.to_table).unwrap().name,
                    fk.on_delete,
                    fk.deferrable
                ))
                .collect::<Vec<_>>()
        );
        // Make the blocking keys CASCADE and predict again.
        for mut fk in blockers {
            fk.on_delete = FkAction::Cascade;
            Command::UpdateForeignKey(Box::new(fk))
                .apply(&mut p)
                .unwrap();
        }
    }
}

#[test]
fn erasure_of_the_examples_holds_on_real_sqlite_and_postgres() {
    for (name, p) in [
        ("shop", crowfoot::samples::shop::build()),
        ("saas", crowfoot::samples::saas::build()),
        ("social", crowfoot::samples::social::build()),
    ] {
        erase_example(p.clone(), name, Dialect::Sqlite, &|| {
            let c = dbs::sqlite();
            Box::new(c) as Box<dyn Db>
        });
        if dbs::server(Engine::Postgres, "privacy_examples").is_none() {
            eprintln!("skipped: no PostgreSQL server");
            continue;
        }
        erase_example(p, name, Dialect::Postgres, &|| {
            Box::new(TestDb::create(Engine::Postgres, "privacy_examples").unwrap()) as Box<dyn Db>
        });
    }
}
