//! Analysis of a project: validation (`check`); later normalization, lint and index advice.

pub mod check;
pub mod index_design;
pub mod index_lint;
pub mod normalize;
