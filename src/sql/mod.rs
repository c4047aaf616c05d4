//! SQL: dialects and DDL export.
