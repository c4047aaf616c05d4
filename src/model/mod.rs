//! The domain model: pure Rust, no UI. See `Project` and `Command`.

pub mod builder;
pub mod clipboard;
pub mod command;
pub mod edit;
pub mod ids;
pub mod project;
pub mod sequence;
pub mod sql_text;
pub mod table;
pub mod types;

pub use command::{Command, History};
pub use edit::LinkPlan;
pub use ids::*;
pub use project::{
    ModelError, NamingCase, NamingConventions, Project, ProjectParts, RuleLevel, SavedView,
    Settings,
};
pub use sequence::{Sequence, SequenceOwner, SequenceType};
pub use table::*;
pub use types::{Dialect, LogicalType};
