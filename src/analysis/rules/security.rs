//! SEC: security and privacy lint (`analysis::privacy::security`), one function per rule.

use super::Rule;

pub(super) const RULES: &[Rule] = &[];
