//! Rasterize the application icon, `assets/icon/crowfoot.svg`, to the PNG sizes the window
//! icon and desktop environments use (`assets/icon/crowfoot-N.png`, N×N). The PNGs are
//! committed, so building Crowfoot needs no build script; run this after editing the SVG:
//!
//! ```sh
//! cargo run --example make_icons
//! ```

use std::path::Path;

/// The sizes of the freedesktop hicolor theme's usual folders (16…512).
const SIZES: [u32; 7] = [16, 32, 48, 64, 128, 256, 512];

fn main() -> Result<(), String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/icon");
    let svg_path = dir.join("crowfoot.svg");
    let svg =
        std::fs::read_to_string(&svg_path).map_err(|e| format!("{}: {e}", svg_path.display()))?;
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default())
        .map_err(|e| format!("{}: {e}", svg_path.display()))?;
    for n in SIZES {
        let mut pixmap = resvg::tiny_skia::Pixmap::new(n, n).ok_or("cannot allocate")?;
        let s = n as f32 / tree.size().width().max(tree.size().height());
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(s, s),
            &mut pixmap.as_mut(),
        );
        let png = pixmap.encode_png().map_err(|e| format!("PNG: {e}"))?;
        let out = dir.join(format!("crowfoot-{n}.png"));
        std::fs::write(&out, png).map_err(|e| format!("{}: {e}", out.display()))?;
        println!("{}", out.display());
    }
    Ok(())
}
