//! The shared corpus of real public schemas (`../shared/corpus`, see its MANIFEST.md).

use std::path::{Path, PathBuf};

/// The corpus folder, or `None` when this checkout has no `../shared/corpus` (tests skip).
pub fn corpus_dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    d.join("manifest.json").is_file().then_some(d)
}

/// The rows of `manifest.json` (one object per file).
pub fn manifest_rows(dir: &Path) -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    v.as_array().expect("manifest is a list").clone()
}

/// A corpus file's text (invalid UTF-8 replaced, as the importer reads files).
pub fn read(dir: &Path, f: &str) -> String {
    let bytes = std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    String::from_utf8_lossy(&bytes).into_owned()
}
