//! Security and privacy lint (rules SEC, issue 18 §3). One runner classifies the project once
//! ([`super::classify`]) and every rule reads that; each rule's id, rationale and fixtures are
//! its entry in `analysis::rules::security`.

use super::classify::{Category, Confidence, Finding, classify, is_person_table, words};
use super::erasure::{Effect, personal_columns, subject_map, subjects_of};
use crate::analysis::check::{Problem, push};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

fn obj(t: &Table, c: &Column) -> String {
    format!("{}.{}", t.qualified_name(), c.name)
}

/// Names that say a credential is a password (not a token).
const PASSWORD_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passwort",
    "kennwort",
    "passphrase",
    "contrasena",
    "motdepasse",
    "motpasse",
    "pass",
];

/// Names and comments that say a value is stored hashed or encrypted.
const HASHED_WORDS: &[&str] = &[
    "hash",
    "hashed",
    "digest",
    "encrypted",
    "enc",
    "crypt",
    "crypted",
    "bcrypt",
    "argon",
    "argon2",
    "scrypt",
    "pbkdf",
    "pbkdf2",
    "sha",
    "sha256",
    "sha512",
    "hmac",
    "cipher",
    "ciphertext",
    "salted",
];

fn is_password(c: &Column) -> bool {
    let w = words(&c.name);
    let joined: String = w.concat();
    w.iter().any(|x| PASSWORD_WORDS.contains(&x.as_str()))
        || [
            "password",
            "passwort",
            "kennwort",
            "motdepasse",
            "contrasena",
        ]
        .iter()
        .any(|p| joined.contains(p))
}

fn says_hashed(c: &Column) -> bool {
    let name = words(&c.name);
    let comment = c.comment.as_deref().map(words).unwrap_or_default();
    name.iter()
        .chain(comment.iter())
        .any(|x| HASHED_WORDS.contains(&x.as_str()))
}

/// What the rules share: the classification, once.
struct Ctx<'p> {
    p: &'p Project,
    findings: Vec<Finding>,
    by_col: BTreeMap<(TableId, ColumnId), usize>,
}

impl<'p> Ctx<'p> {
    fn new(p: &'p Project) -> Self {
        let findings = classify(p);
        let by_col = findings
            .iter()
            .enumerate()
            .map(|(i, f)| ((f.table_id, f.column_id), i))
            .collect();
        Ctx {
            p,
            findings,
            by_col,
        }
    }

    /// The column's finding, or what its `pii:<category>` tag says (tags are the user's word).
    fn category(&self, t: &Table, c: &Column) -> Option<(Category, Confidence)> {
        if let Some(cat) = c.tags.iter().find_map(|g| Category::from_tag(g)) {
            return Some((cat, Confidence::High));
        }
        self.by_col
            .get(&(t.id, c.id))
            .map(|i| (self.findings[*i].category, self.findings[*i].confidence))
    }

    fn is(&self, t: &Table, c: &Column, cat: Category, min: Confidence) -> bool {
        self.category(t, c)
            .is_some_and(|(x, conf)| x == cat && conf >= min)
    }

    /// Personal data that identifies or reaches a person (not free text, not pseudonymous
    /// references) at medium or above.
    fn personal(&self, t: &Table, c: &Column) -> Option<Category> {
        let (cat, conf) = self.category(t, c)?;
        let reference = self
            .by_col
            .get(&(t.id, c.id))
            .is_some_and(|i| self.findings[*i].reasons[0].starts_with("refers to"));
        (conf >= Confidence::Medium && cat != Category::FreeText && !reference).then_some(cat)
    }
}

/// Every SEC rule for `dialect` (the family's runner).
pub fn run(p: &Project, dialect: Dialect, out: &mut Vec<Problem>) {
    let cx = Ctx::new(p);
    weak_credential_type(&cx, out);
    secret_as_lookup_key(&cx, out);
    personal_data_key(&cx, out);
    erasure_blocked(&cx, out);
    free_text_without_comment(&cx, out);
    if dialect == Dialect::Postgres {
        unvalidated_type(&cx, out);
    }
    personal_data_copy(&cx, out);
    credential_without_expiry(&cx, out);
    card_security_code(&cx, out);
}

/// SEC001: a password column whose type cannot hold a modern hash.
fn weak_credential_type(cx: &Ctx, out: &mut Vec<Problem>) {
    for t in cx.p.tables() {
        for c in &t.columns {
            if !cx.is(t, c, Category::Credentials, Confidence::Medium) || !is_password(c) {
                continue;
            }
            let short = match &c.ty {
                LogicalType::Varchar(Some(n)) | LogicalType::Char(n) if *n < 60 => Some(*n),
                _ => None,
            };
            let numeric = c.ty.is_integer();
            if let Some(n) = short {
                push(
                    out,
                    "SEC001",
                    obj(t, c),
                    format!(
                        "a password in {} characters cannot hold a modern hash (bcrypt needs 60, \
                         argon2id about 97): it is stored in plain text or with a broken hash",
                        n
                    ),
                );
            } else if numeric {
                push(
                    out,
                    "SEC001",
                    obj(t, c),
                    format!(
                        "a password stored as {}: a number is a PIN or a plain-text password, \
                         never a salted hash",
                        c.ty.describe()
                    ),
                );
            }
        }
    }
}

/// SEC002: a secret (token, API key, session id, password) used as a lookup key as it is.
fn secret_as_lookup_key(cx: &Ctx, out: &mut Vec<Problem>) {
    for t in cx.p.tables() {
        let mut seen = BTreeSet::new();
        let mut leading: Vec<(ColumnId, &str)> = Vec::new();
        if let Some(pk) = &t.primary_key {
            leading.extend(pk.columns.first().map(|c| (*c, "the primary key")));
        }
        for u in &t.uniques {
            leading.extend(u.columns.first().map(|c| (*c, "a unique constraint")));
        }
        for ix in &t.indexes {
            if let Some(IndexTarget::Column(c)) = ix.parts.first().map(|p| &p.target) {
                leading.push((*c, "an index"));
            }
        }
        for (cid, what) in leading {
            let Some(c) = t.column(cid) else { continue };
            if !cx.is(t, c, Category::Credentials, Confidence::High)
                || says_hashed(c)
                || !seen.insert(cid)
            {
                continue;
            }
            push(
                out,
                "SEC002",
                obj(t, c),
                format!(
                    "the secret leads {what}, so it is looked up as it is: whoever reads the \
                     table (a backup, a replica, a log of slow queries) can use it; store a hash \
                     (SHA-256 of a random token) and look that up"
                ),
            );
        }
    }
}

/// SEC003: personal data in a primary key, or in a unique key that foreign keys copy.
fn personal_data_key(cx: &Ctx, out: &mut Vec<Problem>) {
    for t in cx.p.tables() {
        let referenced: Vec<&ForeignKey> = cx.p.foreign_keys_to(t.id);
        let mut keys: Vec<(&[ColumnId], String)> = Vec::new();
        if let Some(pk) = &t.primary_key {
            let n = referenced
                .iter()
                .filter(|fk| fk.target_columns(t) == pk.columns.as_slice())
                .count();
            keys.push((
                &pk.columns,
                if n > 0 {
                    format!("the primary key, copied by {n} foreign key(s)")
                } else {
                    "the primary key".into()
                },
            ));
        }
        for u in &t.uniques {
            let n = referenced
                .iter()
                .filter(|fk| fk.to_columns == u.columns)
                .count();
            if n > 0 {
                keys.push((
                    &u.columns,
                    format!("a unique key copied by {n} foreign key(s)"),
                ));
            }
        }
        for (cols, what) in keys {
            for cid in cols {
                let Some(c) = t.column(*cid) else { continue };
                if let Some(cat @ (Category::Contact | Category::Identity | Category::Financial)) =
                    cx.personal(t, c)
                {
                    push(
                        out,
                        "SEC003",
                        obj(t, c),
                        format!(
                            "{} data is part of {what}: every referencing row holds a copy, a \
                             change of address or an erasure must rewrite them all, and the \
                             value leaks into every index and log; use a surrogate key",
                            cat.as_str()
                        ),
                    );
                }
            }
        }
    }
}

/// SEC004: a data subject whose erasure fails on a blocking foreign key.
fn erasure_blocked(cx: &Ctx, out: &mut Vec<Problem>) {
    let (subjects, _) = subjects_of(cx.p, &cx.findings);
    let personal = personal_columns(cx.p, &cx.findings);
    for s in subjects {
        let Some(map) = subject_map(cx.p, s, &personal) else {
            continue;
        };
        let blockers: Vec<String> = map
            .reached
            .iter()
            .filter_map(|r| match &r.effect {
                Effect::Blocks {
                    columns, action, ..
                } => Some(format!("{}({}) {action}", r.table, columns.join(", "))),
                _ => None,
            })
            .collect();
        if !blockers.is_empty() {
            push(
                out,
                "SEC004",
                map.subject.clone(),
                format!(
                    "erasing a person fails while rows reference it: {}; decide per key whether \
                     those rows go with the person (CASCADE), lose the link (SET NULL) or are \
                     anonymised first, and write it down",
                    blockers.join(", ")
                ),
            );
        }
    }
}

/// SEC005: free text beside personal data, with no comment saying what goes in it.
fn free_text_without_comment(cx: &Ctx, out: &mut Vec<Problem>) {
    for t in cx.p.tables() {
        let holds_personal = t.columns.iter().any(|c| cx.personal(t, c).is_some());
        if !holds_personal {
            continue;
        }
        for c in &t.columns {
            if cx.is(t, c, Category::FreeText, Confidence::Medium)
                && c.comment.as_deref().is_none_or(|s| s.trim().is_empty())
            {
                push(
                    out,
                    "SEC005",
                    obj(t, c),
                    "free text beside personal data, with no comment: people write names, \
                     health and addresses into such fields; say what belongs there and how long \
                     it is kept"
                        .into(),
                );
            }
        }
    }
}

/// SEC006 (PostgreSQL): IP addresses and e-mail addresses in plain text types.
fn unvalidated_type(cx: &Ctx, out: &mut Vec<Problem>) {
    for t in cx.p.tables() {
        for c in &t.columns {
            let plain_text = matches!(c.ty, LogicalType::Text | LogicalType::Varchar(_))
                && !c.type_overrides.contains_key(&Dialect::Postgres);
            if !plain_text {
                continue;
            }
            let w = words(&c.name);
            let ip = cx.is(t, c, Category::Network, Confidence::High)
                && w.iter()
                    .any(|x| x == "ip" || x == "ipaddr" || x == "ipaddress" || x == "addr");
            let email = cx.is(t, c, Category::Contact, Confidence::High)
                && w.iter()
                    .any(|x| x.contains("mail") || x == "courriel" || x == "correo");
            if ip {
                push(
                    out,
                    "SEC006",
                    obj(t, c),
                    "an IP address in text: PostgreSQL's `inet` refuses what is not an address, \
                     stores it in 7 or 19 bytes and compares networks (`<<=`)"
                        .into(),
                );
            } else if email {
                push(
                    out,
                    "SEC006",
                    obj(t, c),
                    "an e-mail address in plain text: `Alice@x.org` and `alice@x.org` are two \
                     accounts; use `citext` (or a domain with a CHECK) so uniqueness and lookups \
                     ignore case"
                        .into(),
                );
            }
        }
    }
}

/// SEC007: a personal-data column copied into another table (same name and type) with no
/// foreign key between them: a second copy an erasure misses.
fn personal_data_copy(cx: &Ctx, out: &mut Vec<Problem>) {
    /// A personal-data column: its table, itself, and whether it is a high finding.
    type Col = (TableId, ColumnId, bool);
    // Columns by (name, type).
    let mut by_key: BTreeMap<(String, String), Vec<Col>> = BTreeMap::new();
    for t in cx.p.tables() {
        for c in &t.columns {
            let Some((cat, conf)) = cx.category(t, c) else {
                continue;
            };
            let kind = matches!(
                cat,
                Category::Contact | Category::Identity | Category::Financial
            );
            let reference =
                cx.p.foreign_keys_from(t.id)
                    .iter()
                    .any(|fk| fk.from_columns.contains(&c.id));
            if kind && conf >= Confidence::Medium && !reference {
                by_key
                    .entry((c.name.to_lowercase(), c.ty.describe()))
                    .or_default()
                    .push((t.id, c.id, conf == Confidence::High));
            }
        }
    }
    let linked = |a: TableId, b: TableId| {
        cx.p.foreign_keys().any(|fk| {
            (fk.from_table == a && fk.to_table == b) || (fk.from_table == b && fk.to_table == a)
        })
    };
    for cols in by_key.values() {
        let mut sorted: Vec<(&Table, &Column, bool)> = cols
            .iter()
            .filter_map(|(t, c, high)| {
                let t = cx.p.table(*t)?;
                Some((t, t.column(*c)?, *high))
            })
            .collect();
        // The original: the first high one, tables of people first.
        sorted.sort_by_key(|(t, _, high)| (!*high, !is_person_table(t), t.qualified_name()));
        let Some(&(first, _, true)) = sorted.first() else {
            continue;
        };
        for (t, c, _) in &sorted[1..] {
            if linked(first.id, t.id) {
                continue;
            }
            push(
                out,
                "SEC007",
                obj(t, c),
                format!(
                    "a second copy of `{}.{}` (same name and type) with no foreign key between \
                     the tables: an erasure or correction that starts from `{}` misses it",
                    first.qualified_name(),
                    c.name,
                    first.qualified_name()
                ),
            );
        }
    }
}

/// SEC008: tokens, sessions and one-time codes kept with no expiry.
fn credential_without_expiry(cx: &Ctx, out: &mut Vec<Problem>) {
    const EXPIRY: &[&str] = &[
        "expires",
        "expiry",
        "expiration",
        "expire",
        "expired",
        "ttl",
        "until",
        "valid",
        "lifetime",
        "deadline",
        "ablauf",
        "gueltig",
        "expiration",
    ];
    for t in cx.p.tables() {
        let has_expiry = t
            .columns
            .iter()
            .any(|c| words(&c.name).iter().any(|w| EXPIRY.contains(&w.as_str())));
        if has_expiry {
            continue;
        }
        for c in &t.columns {
            let w = words(&c.name);
            let ephemeral = w
                .iter()
                .any(|x| matches!(x.as_str(), "token" | "session" | "otp" | "reset" | "nonce"));
            if ephemeral && cx.is(t, c, Category::Credentials, Confidence::High) {
                push(
                    out,
                    "SEC008",
                    obj(t, c),
                    format!(
                        "`{}` holds a token but has no expiry column: a stolen token works \
                         forever; add `expires_at` and check it",
                        t.qualified_name()
                    ),
                );
                break;
            }
        }
    }
}

/// SEC009: a card security code (CVV/CVC) stored at all.
fn card_security_code(cx: &Ctx, out: &mut Vec<Problem>) {
    for t in cx.p.tables() {
        for c in &t.columns {
            let w = words(&c.name);
            let code = w
                .iter()
                .any(|x| matches!(x.as_str(), "cvv" | "cvc" | "cvv2" | "cvc2" | "cid"))
                || w.windows(2).any(|p| p[0] == "security" && p[1] == "code");
            if code && cx.is(t, c, Category::Financial, Confidence::High) {
                push(
                    out,
                    "SEC009",
                    obj(t, c),
                    "a card security code is stored: PCI DSS (requirement 3.3.1) forbids keeping \
                     it after authorisation, even encrypted; send it to the payment processor \
                     and never write it down"
                        .into(),
                );
            }
        }
    }
}
