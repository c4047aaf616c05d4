//! Card geometry in canvas units, shared by the canvas, auto-layout and exports, so that
//! layout can run without a UI. A card's top-left corner is `Table::position`.

use crate::model::table::Table;

/// Height of the card header (table name).
pub const HEADER_H: f32 = 28.0;
/// Height of one column row.
pub const ROW_H: f32 = 20.0;
/// Bottom padding below the last row.
pub const FOOTER_H: f32 = 6.0;
/// Horizontal padding inside the card.
pub const PAD_X: f32 = 8.0;
/// Width reserved for the key marker (PK/FK/UQ) at the left of a row.
pub const MARKER_W: f32 = 22.0;
/// Gap between a column's name and its type.
pub const NAME_TYPE_GAP: f32 = 14.0;
/// Estimated advance of one character at the card font size (13 px proportional).
pub const CHAR_W: f32 = 7.4;
pub const MIN_W: f32 = 160.0;
/// Size of a sticky note.
pub const NOTE_W: f32 = 220.0;
pub const NOTE_H: f32 = 90.0;
pub const MAX_W: f32 = 360.0;

/// Number of characters, for width estimates.
fn chars(s: &str) -> f32 {
    s.chars().count() as f32
}

/// The type text shown on a card row.
pub fn type_label(c: &crate::model::table::Column, p: &crate::model::project::Project) -> String {
    match &c.ty {
        crate::model::types::LogicalType::Enum(id) => p
            .enum_type(*id)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| c.ty.describe()),
        other => other.describe(),
    }
}

/// The type shown in a column's row on the canvas and in the SVG: its type, `?` when
/// nullable, then the sequence its default reads (`bigint · actor_id_seq`).
pub fn row_type_text(
    c: &crate::model::table::Column,
    p: &crate::model::project::Project,
) -> String {
    let ty = format!("{}{}", type_label(c, p), if c.nullable { "?" } else { "" });
    match c
        .default
        .as_deref()
        .filter(|d| d.len() > 8 && d[..8].eq_ignore_ascii_case("nextval("))
        .and_then(|d| p.sequence_of_default(d))
    {
        Some(s) => format!("{ty} · {}", s.name),
        None => ty,
    }
}

/// Width and height of a table's card. Long names are ellipsized when drawn, so the width is
/// capped at [`MAX_W`].
pub fn card_size(t: &Table, p: &crate::model::project::Project) -> [f32; 2] {
    let header = chars(&t.qualified_name()) * CHAR_W * 1.05 + 2.0 * PAD_X;
    let rows = t
        .columns
        .iter()
        .map(|c| {
            MARKER_W
                + chars(&c.name) * CHAR_W
                + NAME_TYPE_GAP
                + chars(&row_type_text(c, p)) * CHAR_W
                + 2.0 * PAD_X
        })
        .fold(0.0_f32, f32::max);
    let w = header.max(rows).clamp(MIN_W, MAX_W);
    [w, card_height(t.columns.len())]
}

pub fn card_height(rows: usize) -> f32 {
    HEADER_H + rows as f32 * ROW_H + FOOTER_H
}

/// Vertical centre of row `i`, relative to the card's top.
pub fn row_center_y(i: usize) -> f32 {
    HEADER_H + (i as f32 + 0.5) * ROW_H
}

/// Cards share one key marker per row: `PF` (primary and foreign key), `PK`, `FK`, `UQ`
/// (single-column unique constraint or full unique index), `IX` (leads an index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowMarker {
    Pf,
    Pk,
    Fk,
    Uq,
    Ix,
}

impl RowMarker {
    pub fn label(self) -> &'static str {
        match self {
            RowMarker::Pf => "PF",
            RowMarker::Pk => "PK",
            RowMarker::Fk => "FK",
            RowMarker::Uq => "UQ",
            RowMarker::Ix => "IX",
        }
    }

    /// RGB colour of the marker text.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            RowMarker::Pf | RowMarker::Pk => [0xc9, 0x8a, 0x00],
            RowMarker::Fk => [0x3d, 0x7e, 0xd8],
            RowMarker::Uq => [0x2e, 0x9e, 0x6a],
            RowMarker::Ix => [0x9a, 0x7f, 0xc8],
        }
    }
}

/// The marker of every row of `t`, in column order (`fk_cols`: columns of `t` that some
/// foreign key declared on `t` uses).
pub fn row_markers(
    t: &Table,
    fk_cols: &std::collections::BTreeSet<crate::model::ids::ColumnId>,
) -> Vec<Option<RowMarker>> {
    use crate::model::table::IndexTarget;
    use std::collections::BTreeSet;
    let unique_cols: BTreeSet<crate::model::ids::ColumnId> = t
        .uniques
        .iter()
        .filter(|u| u.columns.len() == 1)
        .flat_map(|u| u.columns.iter().copied())
        .chain(
            t.indexes
                .iter()
                .filter(|i| i.unique && i.parts.len() == 1 && i.where_clause.is_none())
                .filter_map(|i| i.parts[0].target.column()),
        )
        .collect();
    let index_lead: BTreeSet<crate::model::ids::ColumnId> = t
        .indexes
        .iter()
        .filter_map(|i| match i.parts.first().map(|p| &p.target) {
            Some(IndexTarget::Column(c)) => Some(*c),
            _ => None,
        })
        .collect();
    t.columns
        .iter()
        .map(|c| match (t.is_pk_column(c.id), fk_cols.contains(&c.id)) {
            (true, true) => Some(RowMarker::Pf),
            (true, false) => Some(RowMarker::Pk),
            (false, true) => Some(RowMarker::Fk),
            _ if unique_cols.contains(&c.id) => Some(RowMarker::Uq),
            _ if index_lead.contains(&c.id) => Some(RowMarker::Ix),
            _ => None,
        })
        .collect()
}

/// How a foreign key is drawn in crow's-foot notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FkShape {
    /// Child columns are all part of the child's primary key (solid line; dashed otherwise).
    pub identifying: bool,
    /// Child columns are unique (one-to-one: a bar instead of a crow's foot).
    pub child_unique: bool,
    /// Some child column is nullable (zero-or-one parent: a circle instead of a second bar).
    pub optional: bool,
}

/// The crow's-foot shape of `fk`, declared on `child`.
pub fn fk_shape(fk: &crate::model::table::ForeignKey, child: &Table) -> FkShape {
    use std::collections::BTreeSet;
    let cols: BTreeSet<crate::model::ids::ColumnId> = fk.from_columns.iter().copied().collect();
    let same =
        |k: &[crate::model::ids::ColumnId]| k.iter().copied().collect::<BTreeSet<_>>() == cols;
    FkShape {
        identifying: fk.from_columns.iter().all(|c| child.is_pk_column(*c)),
        child_unique: child.primary_key.as_ref().is_some_and(|k| same(&k.columns))
            || child.uniques.iter().any(|u| same(&u.columns)),
        optional: fk
            .from_columns
            .iter()
            .any(|c| child.column(*c).is_some_and(|c| c.nullable)),
    }
}
