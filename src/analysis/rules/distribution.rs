//! DS: distribution readiness (`analysis::distribution`), judged for one engine.

use super::Rule;

pub(super) const RULES: &[Rule] = &[];
