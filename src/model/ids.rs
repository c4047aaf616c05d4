//! Stable identifiers. Every object in a project gets an id from one project-wide
//! counter (`Project::next_id`) that only grows, so a deleted id is never reused
//! and ids survive save/load unchanged.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

id_type!(
    /// A table (graph node).
    TableId,
    /// A column, unique in the whole project.
    ColumnId,
    /// A foreign key (graph edge).
    ForeignKeyId,
    /// An index.
    IndexId,
    /// A unique or check constraint.
    ConstraintId,
    /// An enum type.
    EnumId,
    /// A view.
    ViewId,
    /// A sticky note on the canvas.
    NoteId,
    /// A colored area (group) on the canvas.
    AreaId,
    /// A sequence (PostgreSQL `CREATE SEQUENCE`).
    SequenceId,
    /// A verbatim SQL statement the model does not otherwise hold (function, trigger, ...).
    ExtraSqlId,
);
