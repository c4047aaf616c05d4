//! SEC: security and privacy lint (`analysis::privacy::security`): one runner classifies the
//! project once and reports every rule. docs/privacy.md explains the classification the rules
//! read.

use super::{ALL_DIALECTS, Check, Family, Fixture, Rule, Severity};
use crate::analysis::privacy::security;
use crate::model::Dialect;

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;
const I: Severity = Severity::Info;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "SEC001",
        name: "password-too-short-for-a-hash",
        family: Family::Security,
        severity: E,
        rationale: "A password column that cannot hold a modern hash (bcrypt: 60 characters, argon2id: about 97) holds plain text or a broken hash.",
        fires_when: "a column classified as a password (credentials) is `varchar(n)`/`char(n)` with n < 60, or an integer",
        dialects: ALL_DIALECTS,
        check: Check::Runner(security::run),
        positive: &[Fixture::sql(
            "CREATE TABLE users (id integer PRIMARY KEY, email varchar(255), password varchar(32));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE users (id integer PRIMARY KEY, email varchar(255), password varchar(60), password_changed_at timestamp);",
        )],
    },
    Rule {
        id: "SEC002",
        name: "secret-as-lookup-key",
        family: Family::Security,
        severity: W,
        rationale: "A token, API key or session id that leads a key or an index is stored as it is and usable by whoever reads the table, a backup or a replica; store its hash and look that up.",
        fires_when: "a column classified as credentials (high) leads the primary key, a unique constraint or an index, and neither its name nor its comment says it is hashed or encrypted",
        dialects: ALL_DIALECTS,
        check: Check::Runner(security::run),
        positive: &[Fixture::sql(
            "CREATE TABLE api_tokens (token varchar(64) PRIMARY KEY, user_id integer, expires_at timestamp);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE api_tokens (id integer PRIMARY KEY, token_hash varchar(64) UNIQUE, user_id integer, expires_at timestamp);",
        )],
    },
    Rule {
        id: "SEC003",
        name: "personal-data-in-key",
        family: Family::Security,
        severity: W,
        rationale: "Personal data in a primary key, or in a natural key that foreign keys copy, spreads copies into every referencing row, index and log; correcting or erasing it means rewriting them all.",
        fires_when: "a contact, identity or financial column (medium or high) is part of the primary key, or of a unique key that a foreign key references",
        dialects: ALL_DIALECTS,
        check: Check::Runner(security::run),
        positive: &[Fixture::sql(
            "CREATE TABLE customers (email varchar(255) PRIMARY KEY, full_name text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_email varchar(255) REFERENCES customers (email) ON DELETE CASCADE);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE customers (id integer PRIMARY KEY, email varchar(255) UNIQUE, full_name text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id) ON DELETE CASCADE);",
        )],
    },
    Rule {
        id: "SEC004",
        name: "erasure-blocked",
        family: Family::Security,
        severity: W,
        rationale: "A person's erasure request must be able to succeed; a RESTRICT or NO ACTION key that references the person makes DELETE fail until someone decides what happens to those rows.",
        fires_when: "deleting a row of a data subject (marked, or suggested by the classification) is blocked by a RESTRICT or NO ACTION foreign key on a table the deletion does not cascade to",
        dialects: ALL_DIALECTS,
        check: Check::Runner(security::run),
        positive: &[Fixture::sql(
            "CREATE TABLE customers (id integer PRIMARY KEY, email varchar(255), full_name text);
CREATE TABLE invoices (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id) ON DELETE RESTRICT);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE customers (id integer PRIMARY KEY, email varchar(255), full_name text);
CREATE TABLE invoices (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id) ON DELETE SET NULL);",
        )],
    },
    Rule {
        id: "SEC005",
        name: "free-text-beside-personal-data",
        family: Family::Security,
        severity: I,
        rationale: "Free-text fields next to personal data collect more of it (health notes, addresses, names); a comment should say what belongs there and how long it is kept.",
        fires_when: "a free-text column (notes, comments, body, bio...) classified medium or high, in a table holding personal data, has no comment",
        dialects: ALL_DIALECTS,
        check: Check::Runner(security::run),
        positive: &[Fixture::sql(
            "CREATE TABLE patients (id integer PRIMARY KEY, full_name text, notes text);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE patients (id integer PRIMARY KEY, full_name text, notes text);
COMMENT ON COLUMN patients.notes IS 'Scheduling remarks only; no clinical details. Deleted with the patient.';",
        )],
    },
    Rule {
        id: "SEC006",
        name: "unvalidated-address-type",
        family: Family::Security,
        severity: I,
        rationale: "PostgreSQL has types that validate and compare these values: `inet` refuses what is not an IP address; `citext` makes e-mail uniqueness and lookups ignore case.",
        fires_when: "an IP address or e-mail address column (high) is `text` or `varchar` with no PostgreSQL type written for it",
        dialects: &[Dialect::Postgres],
        check: Check::Runner(security::run),
        positive: &[Fixture::sql(
            "CREATE TABLE logins (id integer PRIMARY KEY, user_id integer NOT NULL, ip_address varchar(45), at timestamptz);",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE logins (id integer PRIMARY KEY, user_id integer NOT NULL, ip_address inet, at timestamptz);",
        )],
    },
    Rule {
        id: "SEC007",
        name: "personal-data-copy",
        family: Family::Security,
        severity: W,
        rationale: "A second copy of personal data in a table no foreign key links to the first is missed by an erasure or a correction that starts from the person.",
        fires_when: "a contact, identity or financial column (medium or high) has the same name and type as a high one in another table, and no foreign key joins the two tables",
        dialects: ALL_DIALECTS,
        check: Check::Runner(security::run),
        positive: &[Fixture::sql(
            "CREATE TABLE customers (id integer PRIMARY KEY, email varchar(255));
CREATE TABLE newsletter_signups (id integer PRIMARY KEY, email varchar(255));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE customers (id integer PRIMARY KEY, email varchar(255));
CREATE TABLE newsletter_signups (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id) ON DELETE CASCADE, email varchar(255));",
        )],
    },
    Rule {
        id: "SEC008",
        name: "token-without-expiry",
        family: Family::Security,
        severity: W,
        rationale: "Tokens, sessions and one-time codes kept without an expiry work forever once stolen.",
        fires_when: "a table has a credentials column (high) named token, session, OTP, reset or nonce, and no column whose name says expiry (`expires_at`, `valid_until`, `ttl`...)",
        dialects: ALL_DIALECTS,
        check: Check::Runner(security::run),
        positive: &[Fixture::sql(
            "CREATE TABLE password_resets (id integer PRIMARY KEY, user_id integer, reset_token varchar(64));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE password_resets (id integer PRIMARY KEY, user_id integer, reset_token varchar(64), expires_at timestamp);",
        )],
    },
    Rule {
        id: "SEC009",
        name: "card-security-code-stored",
        family: Family::Security,
        severity: E,
        rationale: "PCI DSS (requirement 3.3.1) forbids storing a card's security code after authorisation, even encrypted.",
        fires_when: "a column named CVV, CVC, CVV2 or security code is classified as financial (high)",
        dialects: ALL_DIALECTS,
        check: Check::Runner(security::run),
        positive: &[Fixture::sql(
            "CREATE TABLE cards (id integer PRIMARY KEY, card_number varchar(19), cvv varchar(4));",
        )],
        negative: &[Fixture::sql(
            "CREATE TABLE cards (id integer PRIMARY KEY, card_last4 char(4), cvv_checked boolean);",
        )],
    },
];
