//! Analysis of a project: validation (`check`), normalization, workload index advice
//! (`advisor`); later lint.

pub mod advisor;
pub mod check;
pub mod explore;
pub mod index_design;
pub mod index_lint;
pub mod lint;
pub mod normalize;
pub mod sarif;
