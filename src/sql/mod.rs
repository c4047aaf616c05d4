//! SQL: one model, many renderers. Each dialect implements [`dialect::DialectRules`]; the
//! generator in [`ddl`] is shared, so dialect differences live in one file per dialect.

pub mod ddl;
pub mod dialect;
pub mod dialect_expr;
pub mod dialect_import;
pub mod dialect_migrate;
pub mod diff;
pub mod expr;
pub mod import;
pub mod incomplete;
pub mod migrate;
mod mysql;
mod postgres;
pub mod reserved;
mod sequences;
mod sqlite;
mod sqlserver;

pub use ddl::{DdlOutput, ExportWarning, export, export_tables};

#[cfg(test)]
mod tests;
