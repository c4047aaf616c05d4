//! Normalization engine: functional dependencies, keys, normal forms, 3NF synthesis and BCNF
//! decomposition, with plain-language explanations. No UI here; `crowfoot fd`, `crowfoot
//! normalize` and (later) the studio panel are built on [`report`].
//!
//! Algorithms, caps and sources: `docs/normalization.md`.
//!
//! ```
//! use crowfoot::analysis::normalize::{analyze, parse::parse_fd, Options, Schema};
//! let s = Schema::new(["order_id", "customer_id", "customer_email"]).unwrap();
//! let fds = vec![
//!     parse_fd(&s, "order_id -> customer_id").unwrap(),
//!     parse_fd(&s, "customer_id -> customer_email").unwrap(),
//! ];
//! let a = analyze(s, fds, vec![], &Options::default());
//! assert_eq!(a.nf.normal_form.label(), "2NF");
//! ```

pub mod apply;
pub mod attrs;
pub mod decompose;
pub mod discover;
pub mod fd;
pub mod hints;
pub mod keys;
pub mod nf;
pub mod parse;
pub mod report;
pub mod sample;

pub use attrs::{AttrSet, Schema};

/// The normal-form badge of a table that declares dependencies ("2NF", "BCNF", "4NF"...);
/// `None` for other tables (their keys alone always give BCNF) and very wide ones. Shown on
/// canvas cards and rendered diagrams.
pub fn nf_badge(t: &crate::model::Table) -> Option<&'static str> {
    use report::{Options, table_analysis};
    if t.dependencies.is_empty() || t.columns.len() > 64 {
        return None;
    }
    let (a, _) = table_analysis(t, &[], &Options::default()).ok()?;
    Some(match a.report().fourth_nf {
        Some(true) => "4NF",
        _ => a.nf.normal_form.label(),
    })
}
pub use decompose::Decomposition;
pub use fd::{Fd, FdSet, Mvd};
pub use keys::Keys;
pub use nf::{NfResult, NormalForm, Violation};
pub use report::{Analysis, FdReport, Options, analyze};
