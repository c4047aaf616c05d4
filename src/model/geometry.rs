//! Card geometry in canvas units, shared by the canvas, auto-layout and exports, so that
//! layout can run without a UI. A card's top-left corner is `Table::position`.

use super::table::Table;

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
pub const MAX_W: f32 = 360.0;

/// Number of characters, for width estimates.
fn chars(s: &str) -> f32 {
    s.chars().count() as f32
}

/// The type text shown on a card row.
pub fn type_label(c: &super::table::Column, p: &super::project::Project) -> String {
    match &c.ty {
        super::types::LogicalType::Enum(id) => p
            .enum_type(*id)
            .map(|e| e.name.clone())
            .unwrap_or_else(|| c.ty.describe()),
        other => other.describe(),
    }
}

/// Width and height of a table's card. Long names are ellipsized when drawn, so the width is
/// capped at [`MAX_W`].
pub fn card_size(t: &Table, p: &super::project::Project) -> [f32; 2] {
    let header = chars(&t.qualified_name()) * CHAR_W * 1.05 + 2.0 * PAD_X;
    let rows = t
        .columns
        .iter()
        .map(|c| {
            MARKER_W
                + chars(&c.name) * CHAR_W
                + NAME_TYPE_GAP
                + (chars(&type_label(c, p)) + if c.nullable { 1.0 } else { 0.0 }) * CHAR_W
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
