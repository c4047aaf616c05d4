//! Sample projects built in code through model commands: the example projects shipped in
//! `projects/`, the hostile-identifier project used by the export tests, and generated
//! projects of any size for benchmarks.

pub mod generated;
pub mod hostile;
pub mod legacy;
pub mod saas;
pub mod shop;
pub mod social;
