//! Analysis of a project: validation (`check`), design lint (`lint`), index lint
//! (`index_lint`), normalization, workload index advice (`advisor`), distribution readiness
//! (`distribution`: the table roles' planner and the DS rules), and the one rule catalogue of
//! them all and of the migration safety codes (`rules`).

pub mod advisor;
pub mod check;
pub mod distribution;
pub mod explore;
pub mod index_design;
pub mod index_lint;
pub mod lint;
pub mod normalize;
pub mod patterns;
pub mod privacy;
pub mod rules;
pub mod sarif;
