//! Input files: only regular files of a readable size are read.

use std::path::Path;

/// The largest input file read (scripts, project files), in bytes: `CROWFOOT_MAX_INPUT_MB`
/// (default 2048 MB).
pub fn max_input_bytes() -> u64 {
    std::env::var("CROWFOOT_MAX_INPUT_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(2048)
        .saturating_mul(1 << 20)
}

/// Refuse what is not a regular file of a readable size: a directory, FIFO, device
/// (`/dev/zero` would be read forever) or socket, or a file over [`max_input_bytes`].
pub fn check_input_file(path: &Path) -> Result<(), String> {
    let m = match std::fs::metadata(path) {
        Ok(m) => m,
        // Reading it reports the error with its kind.
        Err(_) => return Ok(()),
    };
    if m.is_dir() {
        return Err("is a directory, not a file".into());
    }
    if !m.is_file() {
        return Err(
            "is not a regular file (a pipe, device or socket): give a file; it would be read \
             forever or block"
                .into(),
        );
    }
    let max = max_input_bytes();
    if m.len() > max {
        return Err(format!(
            "is {} MB, over the {} MB input limit (set CROWFOOT_MAX_INPUT_MB to raise it)",
            m.len() >> 20,
            max >> 20
        ));
    }
    Ok(())
}
