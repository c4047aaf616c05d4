//! Analysis of a project: validation (`check`), normalization, workload index advice
//! (`advisor`); later lint.

pub mod advisor;
pub mod check;
pub mod normalize;
