//! The specialist's privacy review (issue 18): which columns hold personal data
//! ([`classify`]), what erasing a person does along the foreign keys ([`erasure`]), and the
//! security lint that reads both ([`security`], rules SEC in the catalogue). docs/privacy.md
//! explains the rules.

pub mod classify;
pub mod erasure;
pub mod security;

pub use classify::{Category, Confidence, Finding, classify};
